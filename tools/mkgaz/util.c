/* mkgaz: helpers and string interning. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkgaz.h"

/* A build tool that exits right after its work: leak reports from
 * sanitizer builds would only be noise. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mkgaz: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xrealloc(void *p, size_t n, size_t size)
{
    void *q = evm__reallocarray(p, n, size);
    if (!q)
        die("out of memory");
    return q;
}

char *xstrdup(const char *s)
{
    char *d = evm__strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

/* Splits s on sep in place into at most max fields; returns the count. */
int split(char *s, char sep, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p; p++)
        if (*p == sep) {
            *p = '\0';
            if (n == max)
                return -1;
            f[n++] = p + 1;
        }
    return n;
}

char **split_list(const char *s)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == '|';
    char **v = xrealloc(NULL, n + 1, sizeof *v);
    size_t k = 0;
    const char *p = s;
    while (*s) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            v[k] = evm__strndup(p, len);
            if (!v[k])
                die("out of memory");
            k++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    v[k] = NULL;
    return v;
}

/* Reads one line of any length from a (possibly gzip'ed) file. Returns
 * NULL at the end. The buffer is reused between calls. */
char *read_line(gzFile f, char **buf, size_t *cap)
{
    size_t len = 0;
    if (!*buf) {
        *cap = 65536;
        *buf = xrealloc(NULL, *cap, 1);
    }
    for (;;) {
        if (!gzgets(f, *buf + len, (int)(*cap - len)))
            return len ? *buf : NULL;
        len += strlen(*buf + len);
        if (len && (*buf)[len - 1] == '\n') {
            (*buf)[--len] = '\0';
            if (len && (*buf)[len - 1] == '\r')
                (*buf)[--len] = '\0';
            return *buf;
        }
        if (len + 1 < *cap) /* end of file without newline */
            return *buf;
        *cap *= 2;
        *buf = xrealloc(*buf, *cap, 1);
    }
}

void tsv_open(struct tsv *t, const char *path, const char *header)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->header = header;
    if (!(t->f = gzopen(path, "rb")))
        die("%s: cannot open: %s", path, strerror(errno));
}

int tsv_row(struct tsv *t, char **fld, int max)
{
    char *l;
    while ((l = read_line(t->f, &t->buf, &t->cap))) {
        t->line++;
        if (t->header && (l[0] == '#' || l[0] == '\0' ||
                          strncmp(l, t->header, strlen(t->header)) == 0))
            continue;
        return split(l, '\t', fld, max);
    }
    return -1;
}

void tsv_close(struct tsv *t)
{
    free(t->buf);
    gzclose(t->f);
}

/* ------------------------------------------------------- string interning */


static void strtab_grow(struct strtab *t)
{
    uint32_t ns = t->nslots ? t->nslots * 2 : 1u << 16;
    uint32_t *sl = calloc(ns, sizeof *sl);
    if (!sl)
        die("out of memory");
    for (uint32_t i = 0; i < t->nslots; i++) {
        uint32_t id = t->slots[i];
        if (!id)
            continue;
        uint32_t h = evm__gz_hash(t->s[id - 1], t->len[id - 1]) & (ns - 1);
        while (sl[h])
            h = (h + 1) & (ns - 1);
        sl[h] = id;
    }
    free(t->slots);
    t->slots = sl;
    t->nslots = ns;
}

/* Returns the id of s (interned on first sight). */
uint32_t strtab_id(struct strtab *t, const char *s, size_t n)
{
    if ((uint64_t)(t->n + 1) * 2 > t->nslots)
        strtab_grow(t);
    uint32_t h = evm__gz_hash(s, n) & (t->nslots - 1);
    while (t->slots[h]) {
        uint32_t id = t->slots[h] - 1;
        if (t->len[id] == n && memcmp(t->s[id], s, n) == 0)
            return id;
        h = (h + 1) & (t->nslots - 1);
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->s = xrealloc(t->s, t->cap, sizeof *t->s);
        t->len = xrealloc(t->len, t->cap, sizeof *t->len);
    }
    t->s[t->n] = evm__strndup(s, n);
    if (!t->s[t->n])
        die("out of memory");
    t->len[t->n] = (uint32_t)n;
    t->slots[h] = t->n + 1;
    return t->n++;
}

