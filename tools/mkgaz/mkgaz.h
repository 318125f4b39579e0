/* mkgaz's parts (tools/mkgaz.c is the program): the helpers and string
 * interning (util.c) and the readers of the shipped tables with the
 * ranking of places (read.c). */
#ifndef MKGAZ_H
#define MKGAZ_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "core/core.h"
#include "gazetteer/gaz_int.h"

struct place {
    double lat, lon;
    char *name, *id, *admin1code, *klass;
    const char *kind_name;
    char cc[3];
    long pop;
    int kind, source, flags;
    char **names, **codes; /* NULL-terminated */
    char *current;         /* current English name (current.tsv) or NULL */
    const char *admin2code;/* GeoNames admin-2 code ("NG.05.123") or NULL */
    uint32_t admin1, admin2;
    uint16_t importance;
};

struct post {
    uint32_t key, place;
    uint8_t type;
};

struct strtab {
    char **s;          /* by id */
    uint32_t *len;
    uint32_t n, cap;
    uint32_t *slots;   /* id + 1 */
    uint32_t nslots;
};

/* util.c */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                              noreturn));
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
int split(char *s, char sep, char **f, int max);
char **split_list(const char *s);
char *read_line(gzFile f, char **buf, size_t *cap);
/* A tab-separated file read a row at a time; with header set, lines
 * starting with '#', blank lines and the header line (starting with
 * header) are skipped. Dies when it cannot be opened. */
struct tsv {
    gzFile f;
    const char *path, *header;
    char *buf;
    size_t cap;
    long line;   /* of the row last returned, for messages */
};
void tsv_open(struct tsv *t, const char *path, const char *header);
/* The next row split into at most max fields: their count, or -1 at
 * the end of the file. */
int tsv_row(struct tsv *t, char **fld, int max);
void tsv_close(struct tsv *t);
/* Returns the id of s (interned on first sight). */
uint32_t strtab_id(struct strtab *t, const char *s, size_t n);

/* read.c: the places read, and the names of kinds and admin-1 areas */
extern struct place *places;
extern size_t nplaces;
extern struct strtab kindnames, admin1codes;
extern char **admin1names;

void read_admin1(const char *path);
void read_places(const char *path);
void read_curated(const char *path, int kind, const char *prefix);
void read_aliases(const char *path);
void read_current(const char *path);
void assign_admin1(void);
double importance(const struct place *p);

#endif
