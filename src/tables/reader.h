/* The table reader's engine and what a format adds to it. The engine
 * (reader.c) sniffs the format, maps the header to columns, reads rows
 * from the CSV tokenizer or GDAL and turns each into an event; a format
 * (acled.c, gdelt.c, ucdp.c, generic.c) is a column map given as data
 * plus the few rules only it has. A new format is one file and one entry
 * in the engine's list of formats (FORMATS in reader.c).
 *
 * Internal to src/tables. */
#ifndef EVM_TABLES_READER_H
#define EVM_TABLES_READER_H

#include <stddef.h>

#include "basemap/basemap.h"
#include "gdal/gdal_api.h"
#include "tables/tables.h"

/* What a column means to the engine. */
typedef enum {
    C_LAT = 0, C_LON, C_PLACE, C_TYPE, C_SUB, C_EVT, C_DATE, C_TIME,
    C_LABEL, C_FAT, C_SIDE, C_CONF, C_COUNTRY, C_ISO3,
    C_PNAME, C_PID, C_PCOUNTRY, C_PKIND, /* the place evmap resolved */
    C_PREC,                              /* location precision */
    C_FEATURE, C_STROKE, C_FROM, C_TO, C_VIA, /* evmap's own output */
    C_NROLE
} evm__trole;

/* One entry of a column map: the role and the header names that fill
 * it, in order of preference (case-insensitive; NULL-terminated, or the
 * list of names `list` when set). */
typedef struct evm__tcol {
    evm__trole role;
    const char *names[12];
    const char *const *list;
} evm__tcol;

/* A column carried along with each event (written by the exporters): the
 * header name, the property name and its type. */
typedef struct evm__textra {
    const char *col, *out;
    evm_ftype type;
} evm__textra;

/* One row, from the CSV tokenizer or from GDAL. */
typedef struct evm__trow {
    int n;
    const char *const *v;  /* NULL: null (GDAL) */
    const size_t *len;     /* CSV only */
    const long *fline;     /* CSV: line of each field */
    const int *fcol;       /* CSV: column of each field */
    long line;             /* CSV: line where the row starts */
    /* GDAL */
    const char *layer;
    long index;
    int has_geom;
    double glon, glat;
    const evm_vfeat *geom;
} evm__trow;

typedef struct evm__tfmt evm__tfmt;
struct evm__smap;

/* A bounded string map (the readers' caches). */
typedef struct evm__smap {
    char **key;
    void **val;
    size_t cap, n, max, limit;
} evm__smap;

/* One code of a format's location precision column. */
typedef struct evm__tprec {
    const char *code;
    evm_precision prec;
} evm__tprec;

/* A row filter (evm_table_opts.where, or a format's default one). */
typedef struct evm__tcond {
    int col, neg;       /* neg: COLUMN!=VALUE */
    const char *val;    /* borrowed from the condition's text */
    size_t vlen;
} evm__tcond;

/* The state of one read. */
typedef struct evm__tr {
    const char *path;
    const evm_table_opts *o;
    int defer;
    evm_table_stats *st;
    const evm__table_cb *cb;
    evm_error *err;
    const evm__tfmt *fmt;
    int gdal, begun, layer, maxw;
    int ncol;
    int col[C_NROLE];  /* -1 when absent */
    /* extra columns */
    int nx;
    char **xname;
    evm_ftype *xtype;
    int *xcol;
    const char **xval;
    char (*xbuf)[48];
    evm__tcond *cond;
    int ncond;
    evm__smap types, countries, places, dates;
    evm_basemap *bm;
    int bm_tried;
    char date[11], time[21], pid[96];
} evm__tr;

/* A format: how it is recognised, its columns, and its rules. Hooks
 * left NULL take the engine's general rule. */
struct evm__tfmt {
    const char *name;      /* "acled": evm_table_stats.format */
    const char *title;     /* "ACLED": a map's title begins with it */
    const char *source;    /* attribution for the map's footer, or NULL */
    /* 1 when a header (n names; gdal: a GDAL layer) is this format's */
    int (*detect)(const char *const *names, int n, int gdal);
    /* Headerless formats (GDELT): 1 when the first record (n fields,
     * delimiter delim, first field f0) starts such a file; the first
     * record is then data, and names is the header by position (at
     * least n names). */
    int (*detect_row)(int n, char delim, const char *f0);
    const char *const *names;
    const evm__tcol *cols;       /* the column map, ended by role -1 */
    const evm__textra *extras;   /* fixed extras, ended by col NULL */
    int all_extras;              /* every unused column travels along */
    int own_columns;             /* the user's --lat etc. do not apply */
    /* where: fills e->where from the row when the format places events
     * its own way. Returns 0, 1 to drop the row silently (counted by the
     * hook), or -1 with *rc the bad() result. */
    int (*where)(evm__tr *t, const evm__trow *r, evm_event *e, int *rc);
    /* the event type's name (and in *tcol its column); NULL with *rc
     * set for a bad value */
    const char *(*type)(evm__tr *t, const evm__trow *r, int *tcol,
                        int *rc);
    /* the precision column's codes (ended by code NULL); NULL: none. A
     * blank value is exact, a value not listed a bad row. */
    const evm__tprec *prec;
    int type_fallback;           /* an unknown type falls back on the
                                  * event_type column (ACLED) */
    /* conditions a row must meet unless evm_table_opts.all is set, as
     * evm_table_opts.where (GDELT: the conflict QuadClasses) */
    const char *const *default_where;
    /* "a row of %d fields in a <name> file of %d columns" instead of the
     * header's count (headerless formats) */
    int ragged_by_columns;
};

/* The formats the engine knows. */
extern const evm__tfmt EVM__FMT_ACLED, EVM__FMT_UCDP, EVM__FMT_GDELT1,
    EVM__FMT_GDELT2, EVM__FMT_GENERIC;

/* The format called name (evm_table_stats.format), or NULL ("gdal"). */
const evm__tfmt *evm__tformat(const char *name);
/* The headerless format whose files begin with this record (n fields,
 * delimiter delim, first field f0), or NULL. */
const evm__tfmt *evm__tformat_of_row(int n, char delim, const char *f0);

/* --- the header (header.c) --- */

/* Maps the header (CSV), the names by position (headerless formats, with
 * t->fmt set) or a layer's fields (GDAL) to columns, extras and row
 * filters; the format is detected unless t->fmt is a headerless one.
 * gtypes (GDAL field types) may be NULL. 0, or -1 + err. */
int evm__tsetup(evm__tr *t, const char *const *names, int n,
                const evm_ftype *gtypes);
/* The extras' arrays for n columns (0, or -1), and their release. */
int evm__textras_alloc(evm__tr *t, int n);
void evm__textras_free(evm__tr *t);
/* Two columns of one name would leave one unread: an error naming both
 * (lines and cols: where each header field is, or NULL). 0, or -1 +
 * err. */
int evm__tunique_names(evm__tr *t, const char *const *names, int n,
                       const long *lines, const int *cols);
/* 1 when row r meets t's row filters: every "!=", and for each column
 * with "=" conditions one of them. */
int evm__trow_kept(const evm__tr *t, const evm__trow *r);

/* --- helpers for formats (values.c) --- */

/* The row's value in column col, spaces before it skipped; NULL when the
 * column is absent, null or blank. */
const char *evm__tval(const evm__trow *r, int col);
/* A bad row: fails the read (returns -1, err set) or, with skip_bad,
 * warns and counts it (returns 0: the row is dropped). col -1: the row. */
int evm__tbad(evm__tr *t, const evm__trow *r, int col, evm_status code,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Parses a coordinate (|v| <= lim) from column col into *out; 0, or -1
 * with *rc the evm__tbad result. */
int evm__tcoord(evm__tr *t, const evm__trow *r, int col, const char *s,
                double lim, const char *what, double *out, int *rc);
/* Where row r (column col) is, "path:line:col" or "path: layer L,
 * feature N", into b. */
void evm__twhere(const evm__tr *t, const evm__trow *r, int col, char *b,
                 size_t n);

/* Dates as tables write them (ISO 8601 days and date-times, YYYY/MM/DD,
 * YYYYMMDD, YYYYMMDDhhmmss, "16 May 2025"): 0, or -1 with why. */
int evm__tparse_date(const char *s, char date[11], char time[21],
                     char why[80]);
/* The same through t's cache. */
int evm__tcached_date(evm__tr *t, const char *s, char date[11],
                      char time[21], char why[80]);
/* A whole number >= 0 (also "12.0"); -1 if s is not one. */
long evm__tparse_count(const char *s);
/* Normalises extra value s of type ty into b (48 bytes): the text to
 * write, NULL for null, or (const char *)-1 when s is not a number of
 * that type. */
const char *evm__tnorm_extra(const char *s, evm_ftype ty, char *b);
/* The event type of name through t's cache; NULL if unknown. */
const evm_event_type *evm__ttype_of(evm__tr *t, const char *name);
/* ISO alpha-2 of a country column's value into out ("" when unknown);
 * out, or NULL when out of memory. */
const char *evm__tcountry_of(evm__tr *t, const char *v, char out[3]);

/* A place resolved through the gazetteer (or why it was not). */
typedef struct evm__tplace {
    int ok;
    double lon, lat;
    char *name, *id, *kind;
    char country[3];
    evm_precision prec; /* from the kind of place it is */
    int fallback;       /* placed at its qualifiers' area */
    evm_status code;
    char *msg; /* without the file:line:col prefix */
} evm__tplace;
/* Resolves name (country hint may be NULL) through t->o->gz, cached.
 * The record is the cache's, or *tmp's when the cache is full (the
 * caller frees *tmp with evm__tplace_free). NULL: out of memory. */
evm__tplace *evm__tresolve(evm__tr *t, const char *name,
                           const char *country, evm__tplace **tmp);
void evm__tplace_free(void *p);

/* An empty map that holds at most 3/4 of limit (a power of two) keys;
 * 0. Freed with evm__smap_free (fv frees each value; may be NULL). */
int evm__smap_init(evm__smap *m, size_t limit);
void evm__smap_free(evm__smap *m, void (*fv)(void *));

/* 1 when path ends in one of ext[] (NULL-terminated, case-insensitive),
 * a ".gz" after it allowed; *stem_len (may be NULL) gets the length
 * without that ".gz". */
int evm__tpath_has_ext(const char *path, const char *const *ext,
                       size_t *stem_len);

/* A table's map made ready to draw (title.c): its source's attribution,
 * a title and subtitle from the data (or o's), o's extent and style.
 * format is evm_table_stats.format. EVM_OK, or EVM_E_USAGE for a bad
 * option, EVM_E_NOTFOUND for an unknown extent place, EVM_E_NOMEM. */
evm_status evm__table_furnish(evm_map *m, const char *path,
                              const char *format, const evm_table_opts *o,
                              evm_error *err);

/* --- evmap's own output read back (own.c) --- */

/* A feature of a GeoJSON (or other source) evmap wrote whose "feature"
 * field says movement or area: handed to t->cb. Returns 1 when the row
 * was one (*rc: 0 or -1), 0 when it is an event row. */
int evm__town_feature(evm__tr *t, const evm__trow *r, int *rc);

#endif
