/* Streaming CSV/TSV tokenizer: one record in memory at a time. Files are
 * read through zlib, so a gzip-compressed table (events.csv.gz) reads as
 * the plain one does.
 *
 * Written by hand: none of the project's dependencies reads CSV (GDAL's
 * CSV driver costs libgdal's start-up, reports no line:column and
 * guesses types), and every error must name its file, line and
 * column. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "core/core.h"
#include "core/csv.h"

#define BUFSZ ((size_t)1 << 16)

struct evm__csv {
    gzFile f;
    int is_stdin, mem; /* mem: buf is the caller's, read once */
    char *path;
    unsigned char *buf;
    size_t blen, bpos;
    int eof, read_err;
    char delim;
    int delim_set, started, no_quotes;
    /* the current record: fields one after another, each NUL-terminated */
    char *rec;
    size_t rlen, rcap;
    size_t *foff, *flen;
    long *fline;
    int *fcol;
    const char **fptr;
    int nf, fcap;
    long line;   /* position of the next byte */
    int col;
    long rec_line;
};

/* The buffers of a record; 0, or -1 when memory runs out. */
static int alloc_record(evm__csv *c)
{
    c->rcap = 4096;
    c->rec = malloc(c->rcap);
    c->fcap = 64;
    c->foff = malloc(sizeof *c->foff * (size_t)c->fcap);
    c->flen = malloc(sizeof *c->flen * (size_t)c->fcap);
    c->fline = malloc(sizeof *c->fline * (size_t)c->fcap);
    c->fcol = malloc(sizeof *c->fcol * (size_t)c->fcap);
    c->fptr = malloc(sizeof *c->fptr * (size_t)c->fcap);
    c->delim = ',';
    c->line = 1;
    c->col = 1;
    return c->rec && c->foff && c->flen && c->fline && c->fcol && c->fptr
               ? 0 : -1;
}

/* Contract in csv.h. */
evm__csv *evm__csv_open(const char *path, evm_error *err)
{
    evm__csv *c = evm__calloc(1, sizeof *c);
    if (!c) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    c->is_stdin = strcmp(path, "-") == 0;
    errno = 0;
    c->f = c->is_stdin ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
    if (!c->f) {
        evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                      errno ? strerror(errno) : "out of memory");
        free(c);
        return NULL;
    }
    gzbuffer(c->f, 1 << 17);
    c->path = evm__strdup(path);
    c->buf = malloc(BUFSZ);
    if (!c->path || !c->buf || alloc_record(c) < 0) {
        evm__csv_close(c);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    return c;
}

/* Contract in csv.h. */
evm__csv *evm__csv_open_mem(const char *name, const char *buf, size_t len,
                            evm_error *err)
{
    evm__csv *c = evm__calloc(1, sizeof *c);
    if (!c) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    c->mem = 1;
    c->buf = (unsigned char *)buf; /* only read: see fill() */
    c->blen = len;
    c->eof = 1;
    c->path = evm__strdup(name ? name : "input");
    if (!c->path || alloc_record(c) < 0) {
        evm__csv_close(c);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    return c;
}

/* Contract in csv.h. */
void evm__csv_close(evm__csv *c)
{
    if (!c)
        return;
    if (c->f)
        gzclose(c->f);
    free(c->path);
    if (!c->mem)
        free(c->buf);
    free(c->rec);
    free(c->foff);
    free(c->flen);
    free(c->fline);
    free(c->fcol);
    free(c->fptr);
    free(c);
}

/* Contracts in csv.h. */
char evm__csv_delim(const evm__csv *c) { return c->delim; }

void evm__csv_set_delim(evm__csv *c, char d)
{
    c->delim = d;
    c->delim_set = 1;
}

void evm__csv_no_quotes(evm__csv *c) { c->no_quotes = 1; }

/* Refills the buffer when it is used up. Returns the bytes available. */
static size_t fill(evm__csv *c)
{
    if (c->bpos < c->blen)
        return c->blen - c->bpos;
    if (c->eof)
        return 0;
    c->bpos = 0;
    int n = gzread(c->f, c->buf, (unsigned)BUFSZ);
    c->blen = n > 0 ? (size_t)n : 0;
    if (n <= 0) {
        c->eof = 1;
        if (n < 0)
            c->read_err = 1;
    }
    return c->blen;
}

/* Next byte or -1 at the end. */
static int getb(evm__csv *c)
{
    if (c->bpos >= c->blen && !fill(c))
        return -1;
    return c->buf[c->bpos++];
}

static int peekb(evm__csv *c)
{
    if (c->bpos >= c->blen && !fill(c))
        return -1;
    return c->buf[c->bpos];
}

/* Keeps at least n more bytes of room in the record. */
static int room(evm__csv *c, size_t n, evm_error *err)
{
    if (c->rlen + n <= c->rcap)
        return 0;
    if (c->rlen + n > EVM_CSV_MAX_RECORD) {
        evm_error_set(err, EVM_E_INPUT, "%s:%ld: a row longer than %zu MB "
                      "(is a quote left open?); check the quoting from "
                      "this line on", c->path, c->rec_line,
                      EVM_CSV_MAX_RECORD >> 20);
        return -1;
    }
    size_t nc = c->rcap;
    while (nc < c->rlen + n)
        nc *= 2;
    char *p = realloc(c->rec, nc);
    if (!p) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    c->rec = p;
    c->rcap = nc;
    return 0;
}

static int put(evm__csv *c, int ch, evm_error *err)
{
    if (room(c, 1, err) < 0)
        return -1;
    c->rec[c->rlen++] = (char)ch;
    return 0;
}

static int begin_field(evm__csv *c, evm_error *err)
{
    if (c->nf == c->fcap) {
        if (c->fcap >= 100000) {
            evm_error_set(err, EVM_E_INPUT, "%s:%ld: more than 100000 "
                          "columns; is this a table?", c->path, c->rec_line);
            return -1;
        }
        int nc = c->fcap * 2;
        size_t *a = realloc(c->foff, sizeof *a * (size_t)nc);
        if (a)
            c->foff = a;
        size_t *b = realloc(c->flen, sizeof *b * (size_t)nc);
        if (b)
            c->flen = b;
        long *l = realloc(c->fline, sizeof *l * (size_t)nc);
        if (l)
            c->fline = l;
        int *k = realloc(c->fcol, sizeof *k * (size_t)nc);
        if (k)
            c->fcol = k;
        const char **p = realloc(c->fptr, sizeof *p * (size_t)nc);
        if (p)
            c->fptr = p;
        if (!a || !b || !l || !k || !p) {
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return -1;
        }
        c->fcap = nc;
    }
    c->foff[c->nf] = c->rlen;
    c->fline[c->nf] = c->line;
    c->fcol[c->nf] = c->col;
    return 0;
}

static int end_field(evm__csv *c, evm_error *err)
{
    c->flen[c->nf] = c->rlen - c->foff[c->nf];
    if (put(c, '\0', err) < 0)
        return -1;
    c->nf++;
    return 0;
}

/* Advances the position over byte ch (already consumed). */
static void advance(evm__csv *c, int ch)
{
    if (ch == '\n') {
        c->line++;
        c->col = 1;
    } else if ((ch & 0xC0) != 0x80) {
        c->col++;
    }
}

/* Consumes a line end whose first byte ch was read; CR LF is one. */
static void line_end(evm__csv *c, int ch)
{
    if (ch == '\r' && peekb(c) == '\n')
        c->bpos++;
    c->line++;
    c->col = 1;
}

static void sniff(evm__csv *c)
{
    /* skip a byte-order mark */
    if (fill(c) >= 3 && c->buf[0] == 0xEF && c->buf[1] == 0xBB &&
        c->buf[2] == 0xBF)
        c->bpos = 3;
    if (c->delim_set)
        return;
    size_t n[3] = {0, 0, 0};
    int q = 0;
    for (size_t i = c->bpos; i < c->blen; i++) {
        unsigned char ch = c->buf[i];
        if (ch == '"')
            q = !q;
        else if (!q && (ch == '\n' || ch == '\r'))
            break;
        else if (!q && ch == ',')
            n[0]++;
        else if (!q && ch == '\t')
            n[1]++;
        else if (!q && ch == ';')
            n[2]++;
    }
    c->delim = n[1] >= n[0] && n[1] >= n[2] && n[1] ? '\t'
               : n[2] > n[0]                          ? ';'
                                                      : ',';
}

/* Contract in csv.h. */
int evm__csv_next(evm__csv *c, evm_error *err)
{
    if (!c->started) {
        c->started = 1;
        sniff(c);
    }
    for (;;) {
        c->rlen = 0;
        c->nf = 0;
        c->rec_line = c->line;
        if (peekb(c) < 0) {
            if (c->read_err) {
                int z;
                const char *m = gzerror(c->f, &z);
                evm_error_set(err, EVM_E_IO, "%s: read error: %s", c->path,
                              z == Z_ERRNO ? strerror(errno) : m);
                return -1;
            }
            return 0;
        }
        int ended = 0, quoted_any = 0;
        while (!ended) {
            if (begin_field(c, err) < 0)
                return -1;
            int ch = peekb(c);
            if (ch == '"' && !c->no_quotes) {
                /* quoted field */
                quoted_any = 1;
                long qline = c->line;
                int qcol = c->col;
                c->bpos++;
                c->col++;
                for (;;) {
                    ch = getb(c);
                    if (ch < 0) {
                        evm_error_set(err, EVM_E_INPUT, "%s:%ld:%d: a quote "
                                      "opened here is never closed; close "
                                      "it or double the quotes inside "
                                      "(\"\")", c->path, qline, qcol);
                        return -1;
                    }
                    if (ch == '"') {
                        c->col++;
                        if (peekb(c) == '"') {
                            c->bpos++;
                            c->col++;
                            if (put(c, '"', err) < 0)
                                return -1;
                            continue;
                        }
                        break;
                    }
                    if (ch == '\r') {
                        line_end(c, ch);
                        ch = '\n';
                    } else {
                        advance(c, ch);
                    }
                    if (put(c, ch, err) < 0)
                        return -1;
                }
            }
            /* unquoted (or the rest after a closing quote, kept as is) */
            for (;;) {
                if (c->bpos >= c->blen && !fill(c)) {
                    ended = 1;
                    break;
                }
                size_t s = c->bpos, e = s;
                const unsigned char *b = c->buf;
                int col = c->col;
                char d = c->delim;
                while (e < c->blen && b[e] != (unsigned char)d &&
                       b[e] != '\n' && b[e] != '\r') {
                    if ((b[e] & 0xC0) != 0x80)
                        col++;
                    e++;
                }
                if (e > s) {
                    if (room(c, e - s, err) < 0)
                        return -1;
                    memcpy(c->rec + c->rlen, b + s, e - s);
                    c->rlen += e - s;
                    c->col = col;
                    c->bpos = e;
                }
                if (e < c->blen) {
                    int t = b[e];
                    c->bpos = e + 1;
                    if (t == (unsigned char)d) {
                        c->col++;
                    } else {
                        line_end(c, t);
                        ended = 1;
                    }
                    break;
                }
            }
            if (end_field(c, err) < 0)
                return -1;
        }
        if (c->read_err) {
            evm_error_set(err, EVM_E_IO, "%s: read error (a damaged "
                          "compressed file?)", c->path);
            return -1;
        }
        /* an empty line is no record */
        if (c->nf == 1 && c->flen[0] == 0 && !quoted_any)
            continue;
        for (int i = 0; i < c->nf; i++)
            c->fptr[i] = c->rec + c->foff[i];
        return 1;
    }
}

/* Contract in csv.h. */
const char *const EVM_CSV_LAT_NAMES[] = {
    "lat", "latitude", "y", "lat_dd", "decimallatitude", "#geo+lat", NULL};
const char *const EVM_CSV_LON_NAMES[] = {
    "lon", "lng", "long", "longitude", "x", "lon_dd", "decimallongitude",
    "#geo+lon", NULL};

/* Contract in csv.h. */
int evm__csv_name_is(const char *h, const char *cand)
{
    if (!h)
        return 0;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t' || h[n - 1] == '\r'))
        n--;
    return strlen(cand) == n && strncasecmp(h, cand, n) == 0;
}

/* Contract in csv.h. */
int evm__csv_find_col(const char *const *names, int n,
                      const char *const *cands)
{
    for (int k = 0; cands[k]; k++)
        for (int i = 0; i < n; i++)
            if (evm__csv_name_is(names[i], cands[k]))
                return i;
    return -1;
}

/* Accessors of the current record; contracts in csv.h. */
int evm__csv_nfield(const evm__csv *c) { return c->nf; }
const char *evm__csv_field(const evm__csv *c, int i) { return c->fptr[i]; }
size_t evm__csv_field_len(const evm__csv *c, int i) { return c->flen[i]; }
long evm__csv_field_line(const evm__csv *c, int i) { return c->fline[i]; }
int evm__csv_field_col(const evm__csv *c, int i) { return c->fcol[i]; }
long evm__csv_line(const evm__csv *c) { return c->rec_line; }
const char **evm__csv_fields(const evm__csv *c) { return c->fptr; }
const size_t *evm__csv_lens(const evm__csv *c) { return c->flen; }
const long *evm__csv_lines(const evm__csv *c) { return c->fline; }
const int *evm__csv_cols(const evm__csv *c) { return c->fcol; }

