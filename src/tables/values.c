/* The values of table rows: coordinates, dates, counts, extra columns,
 * event types, countries and places (the last three through bounded
 * caches, since tables repeat their values row after row), and the
 * messages of bad rows. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basemap/basemap.h"
#include "core/core.h"
#include "spec/spec.h"
#include "tables/reader.h"

/* ------------------------------------------------ a bounded string map */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Contract in reader.h. The table starts empty and doubles as it fills,
 * up to limit slots: a small table pays for a small cache. */
int evm__smap_init(evm__smap *m, size_t limit)
{
    memset(m, 0, sizeof *m);
    m->limit = limit; /* a power of two */
    return 0;
}

/* The value for k; *found says whether k is there. */
static void *smap_get(const evm__smap *m, const char *k, int *found)
{
    *found = 0;
    if (!m->key)
        return NULL;
    for (size_t i = hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->key[i])
            return NULL;
        if (!strcmp(m->key[i], k)) {
            *found = 1;
            return m->val[i];
        }
    }
}

/* Doubles m (from 64 slots) up to its limit. 0, or -1. */
static int smap_grow(evm__smap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    if (nc > m->limit)
        return -1;
    char **key = evm__calloc(nc, sizeof *key);
    void **val = evm__calloc(nc, sizeof *val);
    if (!key || !val) {
        free(key);
        free(val);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->key[i]) {
            size_t j = hash(m->key[i]) & (nc - 1);
            while (key[j])
                j = (j + 1) & (nc - 1);
            key[j] = m->key[i];
            val[j] = m->val[i];
        }
    free(m->key);
    free(m->val);
    m->key = key;
    m->val = val;
    m->cap = nc;
    m->max = nc / 4 * 3;
    return 0;
}

/* Adds k -> v unless the map is full (then the caller keeps ownership of
 * v: returns -1). */
static int smap_put(evm__smap *m, const char *k, void *v)
{
    if (m->n >= m->max && smap_grow(m) < 0)
        return -1;
    size_t i = hash(k) & (m->cap - 1);
    while (m->key[i])
        i = (i + 1) & (m->cap - 1);
    if (!(m->key[i] = evm__strdup(k)))
        return -1;
    m->val[i] = v;
    m->n++;
    return 0;
}

void evm__smap_free(evm__smap *m, void (*fv)(void *))
{
    for (size_t i = 0; m->key && i < m->cap; i++) {
        if (m->key[i] && fv)
            fv(m->val[i]);
        free(m->key[i]);
    }
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* Contract in reader.h. */
void evm__tplace_free(void *p)
{
    evm__tplace *r = p;
    if (!r)
        return;
    free(r->name);
    free(r->id);
    free(r->kind);
    free(r->msg);
    free(r);
}

/* ------------------------------------------------------------ bad rows */

/* Contract in reader.h. */
void evm__twhere(const evm__tr *t, const evm__trow *r, int col, char *b,
                 size_t n)
{
    if (!t->gdal) {
        long line = col >= 0 && col < r->n ? r->fline[col] : r->line;
        int c = col >= 0 && col < r->n ? r->fcol[col] : 1;
        snprintf(b, n, "%s:%ld:%d", t->path, line, c);
    } else {
        snprintf(b, n, "%s: layer %s, feature %ld", t->path,
                 r->layer ? r->layer : "?", r->index);
    }
}

/* s with control characters written as \n, \t, \xNN into out: a value
 * quoted in a message keeps it on one line and sends no escape sequence
 * to the terminal. */
static void escape_controls(const char *s, char *out, size_t size)
{
    size_t k = 0;
    for (; *s && k + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7f)
            out[k++] = (char)c;
        else if (c == '\n' || c == '\t' || c == '\r')
            k += (size_t)snprintf(out + k, size - k, "\\%c",
                                  c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else
            k += (size_t)snprintf(out + k, size - k, "\\x%02x", c);
    }
    out[k] = '\0';
}

/* Contract in reader.h. */
int evm__tbad(evm__tr *t, const evm__trow *r, int col, evm_status code,
              const char *fmt, ...)
{
    char loc[600], raw[800], msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    escape_controls(raw, msg, sizeof msg);
    evm__twhere(t, r, col, loc, sizeof loc);
    if (!t->o->skip_bad) {
        evm_error_set(t->err, code, "%s: %s; fix the row, or pass "
                      "--skip-bad to skip bad rows", loc, msg);
        return -1;
    }
    t->st->bad++;
    if (t->st->bad <= t->maxw) {
        char line[1500];
        snprintf(line, sizeof line, "%s: %s (row skipped)", loc, msg);
        if (t->o->warn)
            t->o->warn(t->o->warn_ud, line);
        else
            fprintf(stderr, "evmap: warning: %s\n", line);
    }
    return 0;
}

/* ---------------------------------------------------------- row values */

/* Contract in reader.h. */
const char *evm__tval(const evm__trow *r, int col)
{
    if (col < 0 || col >= r->n || !r->v[col])
        return NULL;
    const char *s = r->v[col];
    while (*s == ' ' || *s == '\t')
        s++;
    return *s ? s : NULL;
}

/* Dates as tables write them: ISO 8601 days and date-times, YYYY/MM/DD,
 * YYYYMMDD, YYYYMMDDhhmmss and "16 May 2025" (also "16-May-2025"). */
int evm__tparse_date(const char *s, char date[11], char time[21],
                     char why[80])
{
    char b[64];
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    if (n >= sizeof b) {
        snprintf(why, 80, "too long for a date");
        return -1;
    }
    memcpy(b, s, n);
    b[n] = '\0';
    int digits = 0;
    while (isdigit((unsigned char)b[digits]))
        digits++;
    if (digits == 4 && b[4] == '/' && n >= 10 && b[7] == '/') {
        b[4] = b[7] = '-';
        return evm__parse_date(b, date, time, why);
    }
    if ((digits == 8 || digits == 14) && (size_t)digits == n) {
        char iso[32];
        if (digits == 8)
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", b, b + 4, b + 6);
        else
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", b,
                     b + 4, b + 6, b + 8, b + 10, b + 12);
        return evm__parse_date(iso, date, time, why);
    }
    if ((digits == 1 || digits == 2) && (b[digits] == ' ' ||
                                         b[digits] == '-')) {
        const char *m = b + digits + 1;
        const char *e = m;
        while (isalpha((unsigned char)*e))
            e++;
        int mo = evm__month_from_abbr(m, (size_t)(e - m));
        if (mo > 0 && (*e == ' ' || *e == '-') && strlen(e + 1) == 4 &&
            isdigit((unsigned char)e[1]) && isdigit((unsigned char)e[4])) {
            char iso[16];
            snprintf(iso, sizeof iso, "%s-%02d-%02d", e + 1, mo, atoi(b));
            return evm__parse_date(iso, date, time, why);
        }
    }
    if (digits == 4 && b[4] == '-')
        return evm__parse_date(b, date, time, why);
    snprintf(why, 80, "use YYYY-MM-DD (or 16 May 2025, YYYYMMDD)");
    return -1;
}

/* A parsed date, cached (tables repeat their dates row after row). */
struct date_rec {
    int ok;
    char date[11], time[21], why[80];
};

int evm__tcached_date(evm__tr *t, const char *s, char date[11],
                      char time[21], char why[80])
{
    int found;
    struct date_rec *d = smap_get(&t->dates, s, &found);
    if (!found) {
        struct date_rec tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.ok = evm__tparse_date(s, tmp.date, tmp.time, tmp.why) == 0;
        if ((d = malloc(sizeof *d))) {
            *d = tmp;
            if (smap_put(&t->dates, s, d) < 0) {
                free(d);
                d = NULL;
            }
        }
        if (!d) {
            memcpy(date, tmp.date, 11);
            memcpy(time, tmp.time, 21);
            memcpy(why, tmp.why, 80);
            return tmp.ok ? 0 : -1;
        }
    }
    if (!d->ok) {
        memcpy(why, d->why, 80);
        return -1;
    }
    memcpy(date, d->date, 11);
    memcpy(time, d->time, 21);
    return 0;
}

/* A whole number >= 0 (also "12.0"); -1 if s is not one. */
long evm__tparse_count(const char *s)
{
    double d;
    if (evm__parse_double(s, &d) < 0 || d < 0 || d > 2e9 || d != floor(d))
        return -1;
    return (long)d;
}

/* Normalises extra value s of type ty into b (48 bytes). Returns the text
 * to write, NULL for null, or (const char *)-1 when s is not a number of
 * that type. */
const char *evm__tnorm_extra(const char *s, evm_ftype ty, char *b)
{
    if (!s)
        return NULL;
    if (ty == EVM_FT_INT) {
        const char *p = s;
        while (*p == ' ')
            p++;
        int neg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        unsigned long long v = 0;
        int nd = 0;
        while (*p >= '0' && *p <= '9' && nd < 19) {
            v = v * 10 + (unsigned)(*p++ - '0');
            nd++;
        }
        while (*p == ' ' || *p == '\r')
            p++;
        if (!nd || *p)
            return (const char *)-1;
        snprintf(b, 48, "%s%llu", neg && v ? "-" : "", v);
        return b;
    }
    if (ty == EVM_FT_REAL) {
        double d;
        if (evm__parse_double(s, &d) < 0)
            return (const char *)-1;
        evm__gj_fmt(b, d, 9);
        return b;
    }
    return s;
}

/* The event type of name, cached. NULL if unknown. */
const evm_event_type *evm__ttype_of(evm__tr *t, const char *name)
{
    int found;
    const evm_event_type *ty = smap_get(&t->types, name, &found);
    if (found)
        return ty;
    ty = evm__event_type_find(name);
    smap_put(&t->types, name, (void *)ty);
    return ty;
}

/* The basemap, opened on first use; NULL without one (countries are
 * then unknown), or with *nomem set when out of memory (tried again
 * next time). */
static const evm_basemap *basemap(evm__tr *t, int *nomem)
{
    if (!t->bm_tried) {
        evm_error e;
        evm_error_clear(&e);
        t->bm = evm_basemap_open(NULL, &e);
        if (!t->bm && e.code == EVM_E_NOMEM) {
            *nomem = 1;
            return NULL;
        }
        t->bm_tried = 1;
    }
    return t->bm;
}

/* ISO alpha-2 of a country column's value: a code as is, a name or ISO3
 * code through the basemap (cached). "" when unknown; NULL when out of
 * memory. */
const char *evm__tcountry_of(evm__tr *t, const char *v, char out[3])
{
    out[0] = '\0';
    if (!v)
        return out;
    if (strlen(v) == 2 && isalpha((unsigned char)v[0]) &&
        isalpha((unsigned char)v[1])) {
        out[0] = (char)toupper((unsigned char)v[0]);
        out[1] = (char)toupper((unsigned char)v[1]);
        out[2] = '\0';
        return out;
    }
    int found;
    char *c = smap_get(&t->countries, v, &found);
    if (!found) {
        evm_bm_feature f;
        int nomem = 0;
        const evm_basemap *bm = basemap(t, &nomem);
        if (nomem || !(c = malloc(3)))
            return NULL;
        c[0] = '\0';
        if (bm && evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, v, &f) == 0)
            memcpy(c, f.iso_a2, 3);
        /* UCDP's "Myanmar (Burma)", "Yemen (North Yemen)": the name
         * before the parenthesis */
        const char *par = strchr(v, '(');
        if (!c[0] && bm && par && par > v && par - v < 100) {
            char b[100];
            size_t n = (size_t)(par - v);
            while (n > 0 && v[n - 1] == ' ')
                n--;
            memcpy(b, v, n);
            b[n] = '\0';
            if (n && evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, b, &f) == 0)
                memcpy(c, f.iso_a2, 3);
        }
        if (smap_put(&t->countries, v, c) < 0) {
            memcpy(out, c, 3);
            free(c);
            return out;
        }
    }
    memcpy(out, c, 3);
    return out;
}

/* Contract in reader.h. */
evm__tplace *evm__tresolve(evm__tr *t, const char *name,
                           const char *country, evm__tplace **tmp)
{
    char key[600];
    snprintf(key, sizeof key, "%s\x1f%s", name, country ? country : "");
    int found;
    evm__tplace *p = smap_get(&t->places, key, &found);
    if (found)
        return p;
    p = evm__calloc(1, sizeof *p);
    if (!p)
        return NULL;
    evm_geocode_opts go;
    memset(&go, 0, sizeof go);
    go.country = country;
    evm_place pl;
    evm_error e;
    evm_error_clear(&e);
    int n = evm_geocode(t->o->gz, name, &go, &pl, 1, &e);
    if (n == 0 && country) {
        go.country = NULL;
        n = evm_geocode(t->o->gz, name, &go, &pl, 1, &e);
    }
    if (n < 0 && e.code == EVM_E_NOMEM) {
        free(p);
        return NULL;
    }
    if (n > 0) {
        p->ok = 1;
        p->lon = pl.lon;
        p->lat = pl.lat;
        p->name = pl.name ? evm__strdup(pl.name) : NULL;
        p->id = pl.id ? evm__strdup(pl.id) : NULL;
        p->kind = evm__strdup(pl.kind_name && *pl.kind_name
                                  ? pl.kind_name
                                  : evm_kind_str(pl.kind));
        memcpy(p->country, pl.country, 3);
        p->prec = pl.precision; /* the geocoder's, learned ones too */
        p->fallback = pl.fallback;
    } else if (n < 0) {
        p->code = EVM_E_INPUT;
        char m[1100];
        snprintf(m, sizeof m, "place \"%.200s\": %.800s", name, e.msg);
        p->msg = evm__strdup(m);
    } else {
        const evm_place *s[1];
        char m[600];
        p->code = EVM_E_NOTFOUND;
        if (evm_geocode_suggest(t->o->gz, name, s, 1) > 0 && s[0])
            snprintf(m, sizeof m, "unknown place \"%.200s\" — did you mean "
                     "\"%.200s\" (%s)?", name, s[0]->name,
                     s[0]->country[0] ? s[0]->country : "no country");
        else
            snprintf(m, sizeof m, "unknown place \"%.200s\"; check the "
                     "spelling, or give lat/lon columns", name);
        p->msg = evm__strdup(m);
    }
    /* a name, id, kind or message lost is out of memory, not a place
     * without them */
    if ((n > 0 && ((pl.name && !p->name) || (pl.id && !p->id) ||
                   !p->kind)) ||
        (n <= 0 && !p->msg)) {
        evm__tplace_free(p);
        return NULL;
    }
    if (smap_put(&t->places, key, p) < 0)
        *tmp = p; /* cache full: the caller frees it after use */
    return p;
}

/* Contract in reader.h. */
int evm__tcoord(evm__tr *t, const evm__trow *r, int col, const char *s,
                double lim, const char *what, double *out, int *rc)
{
    double v;
    if (evm__parse_double(s, &v) < 0) {
        *rc = evm__tbad(t, r, col, EVM_E_INPUT, "bad %s \"%.40s\" (a "
                        "number in decimal degrees)", what, s);
        return -1;
    }
    if (v < -lim || v > lim) {
        *rc = evm__tbad(t, r, col, EVM_E_INPUT, "%s %.40s is out of "
                        "range -%g..%g", what, s, lim, lim);
        return -1;
    }
    *out = v;
    return 0;
}

