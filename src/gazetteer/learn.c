/* Places learned from the user's event tables: every row of an ACLED,
 * UCDP GED or GDELT export (or any CSV with a place name and
 * coordinates) becomes a place, with its admin names as qualifiers and
 * its location precision kept, deduplicated by name and position.
 *
 * They are compiled into a places index (.evp), a flat file mmap'ed
 * like the shipped gazetteer, so that opening one costs a few system
 * calls whatever its size; a table given to --places is compiled into
 * the same image in memory. The format:
 *
 *   header   struct evm_gz_lheader
 *   places   struct evm_gz_lplace[nplaces]: by precision (exact first),
 *            then by how many rows named the place there, most first;
 *            ids are GDELT's feature ids ("gdelt:-3365797") or
 *            "learned:N" (N: the place's position in the index)
 *   keys     struct evm_gz_key[nkeys]: one per normalised name
 *   postings uint32_t[nposts]: place index | match type << 28
 *   hash     uint32_t[hash_size]: key index + 1, open addressing on
 *            evm__gz_hash as in the shipped index
 *   strings  NUL-terminated UTF-8; offset 0 is ""
 *
 * Admin-1 and admin-2 references are indexes into the shipped index the
 * file was built with (stamped with its place and region counts); with
 * another index they are ignored. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "gaz_int.h"

#define MAX_TABLE (4ull << 30) /* bytes of one table */

/* ------------------------------------------------------------ reading */

struct lrow {
    char *name;            /* as written */
    int32_t lat_e6, lon_e6;
    uint32_t admin1, admin2;
    char cc[2];
    uint8_t precision;
    uint32_t source;       /* index into the source names */
    char *id;              /* "gdelt:-3365797" or NULL */
    uint32_t count;
    uint32_t hash;         /* of key and position, for deduplication */
    char *key;
};

struct learn {
    const evm_gazetteer *gz;
    struct lrow *rows;
    size_t n, cap;
    uint32_t *slots;       /* dedup table: row index + 1 */
    size_t nslots;
    char **sources;
    size_t nsources;
    long read, skipped;
};

/* Column positions of a table layout (-1: none). */
struct layout {
    int name, lat, lon, cc, a1, a2, prec, id, full, gtype;
    int prec_scheme;       /* 0 none, 1 UCDP where_prec, 2 ACLED
                              geo_precision, 3 names, 4 GDELT geo type */
};

/* The column of the first of names (in their order: ACLED has both a
 * "region" of the world and an "admin1") that the header has. */
static int col(struct evm_gz_record *r, const char *const *names)
{
    for (const char *const *n = names; *n; n++)
        for (int i = 0; i < r->n; i++)
            if (!strcasecmp(evm__gz_fld(r, i), *n))
                return i;
    return -1;
}

/* The layout of a header row; 0 if it names no place and coordinates. */
static int header_layout(struct evm_gz_record *r, struct layout *l)
{
    static const char *const n_name[] = {"where_coordinates", "location",
        "name", "place", "placename", "place_name", "location_name",
        "toponym", "site", "town", NULL};
    static const char *const n_lat[] = {"latitude", "lat", "y", NULL};
    static const char *const n_lon[] = {"longitude", "lon", "lng", "long",
                                        "x", NULL};
    static const char *const n_cc[] = {"country", "country_name", "cc",
        "country_code", "iso2", NULL};
    static const char *const n_a1[] = {"adm_1", "admin1", "adm1",
        "admin1_name", "region", "state", "province", NULL};
    static const char *const n_a2[] = {"adm_2", "admin2", "adm2",
        "admin2_name", "district", NULL};
    static const char *const n_up[] = {"where_prec", NULL};
    static const char *const n_ap[] = {"geo_precision", NULL};
    static const char *const n_np[] = {"precision", NULL};
    memset(l, -1, sizeof *l);
    l->prec_scheme = 0;
    l->name = col(r, n_name);
    l->lat = col(r, n_lat);
    l->lon = col(r, n_lon);
    l->cc = col(r, n_cc);
    l->a1 = col(r, n_a1);
    l->a2 = col(r, n_a2);
    if ((l->prec = col(r, n_up)) >= 0)
        l->prec_scheme = 1;
    else if ((l->prec = col(r, n_ap)) >= 0)
        l->prec_scheme = 2;
    else if ((l->prec = col(r, n_np)) >= 0)
        l->prec_scheme = 3;
    return l->name >= 0 && l->lat >= 0 && l->lon >= 0;
}

/* GDELT events files have no header: 1.0 has 57 or 58 columns, 2.0 has
 * 61. The action's place: geo type, full name, lat, lon, feature id. */
static int gdelt_layout(struct evm_gz_record *r, struct layout *l)
{
    double v;
    if (evm__parse_double(evm__gz_fld(r, 0), &v) < 0)
        return 0;
    memset(l, -1, sizeof *l);
    l->prec_scheme = 4;
    int b = r->n == 61 ? 51 : (r->n == 57 || r->n == 58) ? 49 : -1;
    if (b < 0)
        return 0;
    l->gtype = b;
    l->full = b + 1;
    l->lat = r->n == 61 ? b + 5 : b + 4;
    l->lon = l->lat + 1;
    l->id = l->lon + 1;
    return 1;
}

/* A UCDP where_prec (1-7), an ACLED geo_precision (1-3), a precision
 * name or a GDELT geo type (1 country, 2 US state, 3 US city, 4 world
 * city, 5 world state) as a precision; -1 to skip the row (a country
 * centroid or the sea says nothing about a place). */
static int row_precision(const struct layout *l, const char *s)
{
    int v = atoi(s);
    switch (l->prec_scheme) {
    case 1:
        return v <= 2 ? EVM_PREC_EXACT : v == 3 ? EVM_PREC_ADMIN2
               : v <= 5 ? EVM_PREC_ADMIN1 : -1;
    case 2:
        return v == 3 ? EVM_PREC_ADMIN2 : EVM_PREC_EXACT;
    case 3:
        v = evm_precision_from_name(s);
        return v == EVM_PREC_COUNTRY ? -1 : v < 0 ? EVM_PREC_EXACT : v;
    case 4:
        return v == 3 || v == 4 ? EVM_PREC_EXACT
               : v == 2 || v == 5 ? EVM_PREC_ADMIN1 : -1;
    }
    return EVM_PREC_EXACT;
}

/* The shipped admin place of kind `kind` named s in country cc (or
 * anywhere, cc ""): an admin-1 index (kind ADMIN1) or an admin-2 place
 * index; the NO_ value when none. */
static uint32_t find_admin(const evm_gazetteer *gz, const char *s,
                           const char *cc, int kind, uint32_t in_a1)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (!*s || evm__gz_words(s, strlen(s), &w) < 0 || w.n == 0)
        return UINT32_MAX;
    for (int variant = 0; variant < 2; variant++) {
        int from = 0, to = w.n;
        if (variant == 1 && !evm__gz_strip_kind(&w, &from, &to))
            break;
        int len = evm__gz_key(&w, from, to, key, sizeof key);
        const struct evm_gz_key *k =
            len > 0 ? evm__gz_find(gz, key, (size_t)len) : NULL;
        /* a region named so first, then one named so without its kind
         * words ("Almaty" is the city region before Almaty Region) */
        for (uint32_t j = 0; k && j < 2 * k->npost; j++) {
            uint32_t pst = gz->posts[k->post + j % k->npost];
            uint32_t pi = EVM_GZ_POST_PLACE(pst);
            if (pi >= gz->h->nplaces ||
                (EVM_GZ_POST_TYPE(pst) == EVM_GZ_M_STRIP) != (j >= k->npost))
                continue;
            const struct evm_gz_place *p = &gz->places[pi];
            if (p->kind != kind || (cc[0] && memcmp(p->cc, cc, 2) != 0))
                continue;
            if (kind == EVM_KIND_ADMIN1 && p->admin1 != EVM_GZ_NO_ADMIN1)
                return p->admin1;
            if (kind == EVM_KIND_ADMIN2 &&
                (in_a1 == EVM_GZ_NO_ADMIN1 || p->admin1 == in_a1))
                return pi;
        }
    }
    return UINT32_MAX;
}

static uint32_t row_hash(const char *key, int32_t lat, int32_t lon)
{
    /* positions within about 1 km are the same place */
    int32_t g[2] = {lat / 10000, lon / 10000};
    return evm__gz_hash(key, strlen(key)) ^
           (evm__gz_hash((const char *)g, sizeof g) * 0x9e3779b1u);
}

static int learn_grow(struct learn *L)
{
    if (L->n == L->cap) {
        size_t nc = L->cap ? L->cap * 2 : 1024;
        struct lrow *v = evm__reallocarray(L->rows, nc, sizeof *v);
        if (!v)
            return -1;
        L->rows = v;
        L->cap = nc;
    }
    if ((L->n + 1) * 2 > L->nslots) {
        size_t ns = L->nslots ? L->nslots * 2 : 4096;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return -1;
        for (size_t i = 0; i < L->n; i++) {
            size_t h = L->rows[i].hash & (ns - 1);
            while (sl[h])
                h = (h + 1) & (ns - 1);
            sl[h] = (uint32_t)i + 1;
        }
        free(L->slots);
        L->slots = sl;
        L->nslots = ns;
    }
    return 0;
}

/* Adds one place or counts it again. Returns 0 or -1 (out of memory). */
static int learn_add(struct learn *L, const char *name, double lat,
                     double lon, const char *cc, const char *a1,
                     const char *a2, int prec, const char *id)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (evm__gz_bad_name(name, strlen(name)) ||
        evm__gz_words(name, strlen(name), &w) < 0 || w.n == 0 ||
        evm__gz_key(&w, 0, w.n, key, sizeof key) <= 0 || !isfinite(lat) ||
        !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180 ||
        (lat == 0 && lon == 0)) {
        L->skipped++;
        return 0;
    }
    if (learn_grow(L) < 0)
        return -1;
    int32_t la = (int32_t)lround(lat * 1e6), lo = (int32_t)lround(lon * 1e6);
    uint32_t h = row_hash(key, la, lo);
    size_t s = h & (L->nslots - 1);
    for (; L->slots[s]; s = (s + 1) & (L->nslots - 1)) {
        struct lrow *x = &L->rows[L->slots[s] - 1];
        if (x->hash == h && la / 10000 == x->lat_e6 / 10000 &&
            lo / 10000 == x->lon_e6 / 10000 && !strcmp(x->key, key)) {
            x->count++;
            if (prec < x->precision)
                x->precision = (uint8_t)prec;
            return 0;
        }
    }
    struct lrow *x = &L->rows[L->n];
    memset(x, 0, sizeof *x);
    x->name = evm__strdup(name);
    x->key = evm__strdup(key);
    x->id = id && *id ? evm__strdup(id) : NULL;
    if (!x->name || !x->key || (id && *id && !x->id)) {
        free(x->name);
        free(x->key);
        free(x->id);
        return -1;
    }
    x->lat_e6 = la;
    x->lon_e6 = lo;
    char c[3] = "";
    if (cc && *cc && evm__gz_country(L->gz, cc, c) < 0)
        c[0] = '\0';
    memcpy(x->cc, c, 2);
    x->admin1 = find_admin(L->gz, a1 ? a1 : "", c, EVM_KIND_ADMIN1,
                           EVM_GZ_NO_ADMIN1);
    x->admin2 = find_admin(L->gz, a2 ? a2 : "", c, EVM_KIND_ADMIN2,
                           x->admin1);
    x->precision = (uint8_t)prec;
    x->source = (uint32_t)L->nsources - 1;
    x->count = 1;
    x->hash = h;
    L->slots[s] = (uint32_t)L->n + 1;
    L->n++;
    return 0;
}

/* One data row of a table in layout l. */
static int learn_row(struct learn *L, struct evm_gz_record *r,
                     const struct layout *l)
{
    double lat, lon;
    L->read++;
    if (evm__parse_double(evm__gz_fld(r, l->lat), &lat) < 0 ||
        evm__parse_double(evm__gz_fld(r, l->lon), &lon) < 0) {
        L->skipped++; /* a row without coordinates (or HXL tags) */
        return 0;
    }
    int prec = row_precision(l, evm__gz_fld(r, l->prec_scheme == 4
                                                   ? l->gtype
                                                   : l->prec));
    if (prec < 0) {
        L->skipped++;
        return 0;
    }
    if (l->prec_scheme != 4)
        return learn_add(L, evm__gz_fld(r, l->name), lat, lon,
                         evm__gz_fld(r, l->cc), evm__gz_fld(r, l->a1),
                         evm__gz_fld(r, l->a2), prec, NULL);
    /* GDELT: "Town, Region, Country" */
    char full[1100], id[64];
    snprintf(full, sizeof full, "%s", evm__gz_fld(r, l->full));
    char *part[3] = {full, NULL, NULL};
    char *c1 = strchr(full, ',');
    if (c1) {
        *c1 = '\0';
        part[1] = c1 + 1 + (c1[1] == ' ');
        char *c2 = strrchr(part[1], ',');
        if (c2) {
            *c2 = '\0';
            part[2] = c2 + 1 + (c2[1] == ' ');
        } else {
            part[2] = part[1];
            part[1] = NULL;
        }
    }
    const char *fid = evm__gz_fld(r, l->id);
    snprintf(id, sizeof id, "gdelt:%.50s", fid);
    return learn_add(L, part[0], lat, lon, part[2] ? part[2] : "",
                     part[1] ? part[1] : "", "", prec, *fid ? id : NULL);
}

/* Reads one table (whole file in buf) into L. Returns 1 if it is an
 * event table (with any: any table with a place name and coordinates),
 * 0 if it is not (a simple places file: nothing read), -1 with err
 * set. */
static int learn_buffer(struct learn *L, const char *fname, const char *buf,
                        size_t len, int any, evm_error *err)
{
    const char *p = buf, *e = buf + len;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    int tab = memchr(p, '\t', nl ? (size_t)(nl - p) : (size_t)(e - p)) !=
              NULL;
    struct evm_gz_record r;
    struct layout l;
    long line = 1;
    int st = 0, first = 1;
    evm__buf_init(&r.buf, 1u << 20);
    for (;;) {
        int got = evm__gz_next_record(fname, &p, e, tab ? '\t' : ',', !tab,
                                      &line, &r, err);
        if (got <= 0) {
            st = got < 0 ? -1 : first ? 0 : 1;
            break;
        }
        if (first) {
            first = 0;
            if (gdelt_layout(&r, &l)) {
                if (learn_row(L, &r, &l) < 0)
                    goto nomem;
                continue;
            }
            if (!header_layout(&r, &l) ||
                (!any && l.prec < 0 && l.a1 < 0 && strcasecmp(evm__gz_fld(&r, l.name),
                                                      "location") != 0)) {
                st = 0; /* name, lat, lon and no more: a places file */
                break;
            }
            continue;
        }
        if (learn_row(L, &r, &l) < 0)
            goto nomem;
    }
    evm__buf_free(&r.buf);
    return st;
nomem:
    evm__buf_free(&r.buf);
    evm_error_set(err, EVM_E_NOMEM, "%s: out of memory", fname);
    return -1;
}

static void learn_free(struct learn *L)
{
    for (size_t i = 0; i < L->n; i++) {
        free(L->rows[i].name);
        free(L->rows[i].key);
        free(L->rows[i].id);
    }
    free(L->rows);
    free(L->slots);
    for (size_t i = 0; i < L->nsources; i++)
        free(L->sources[i]);
    free(L->sources);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int ends_with_ci(const char *s, const char *t)
{
    size_t a = strlen(s), b = strlen(t);
    return a >= b && strcasecmp(s + a - b, t) == 0;
}

/* Reads a gzip-compressed file whole (at most max bytes once
 * uncompressed), as evm__read_file does a plain one. */
static evm_status read_gz(const char *path, size_t max, char **out,
                          size_t *len, evm_error *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                             strerror(errno));
    evm_buf b;
    evm__buf_init(&b, max);
    char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0)
        if (evm__buf_add(&b, chunk, (size_t)n) < 0)
            break;
    int zerr = 0;
    const char *zmsg = n < 0 ? gzerror(f, &zerr) : NULL;
    evm_status st = EVM_OK;
    if (b.failed)
        st = evm_error_set(err, EVM_E_TOOBIG, "%s: larger than %zu bytes "
                           "uncompressed", path, max);
    else if (n < 0)
        st = evm_error_set(err, EVM_E_INPUT, "%s: not valid gzip data (%s)",
                           path, zmsg ? zmsg : "read error");
    gzclose(f);
    if (!st && evm__buf_add(&b, "", 1) < 0)
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (st) {
        evm__buf_free(&b);
        return st;
    }
    *out = b.data;
    *len = b.len - 1;
    return EVM_OK;
}

/* Reads the table at path into L; *is_table says whether it was one. */
static evm_status learn_file(struct learn *L, const char *path, int any,
                             int *is_table, evm_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    evm_status st = ends_with_ci(path, ".gz")
                        ? read_gz(path, (size_t)MAX_TABLE, &buf, &len, err)
                        : evm__read_file(path, (size_t)MAX_TABLE, &buf, &len,
                                         err);
    if (st)
        return st;
    char **s = evm__reallocarray(L->sources, L->nsources + 1, sizeof *s);
    if (!s) {
        free(buf);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    L->sources = s;
    size_t n = strlen(base_name(path)) + 8;
    if (!(s[L->nsources] = malloc(n))) {
        free(buf);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    snprintf(s[L->nsources++], n, "places:%s", base_name(path));
    int got = learn_buffer(L, path, buf, len, any, err);
    free(buf);
    if (got < 0)
        return err && err->code ? err->code : EVM_E_INPUT;
    *is_table = got;
    return EVM_OK;
}

/* ------------------------------------------------------------ writing */

struct lpair {
    const char *key;
    uint32_t place;
    uint8_t type;
};

static struct learn *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
    const struct lrow *x = &sort_ctx->rows[*(const uint32_t *)a];
    const struct lrow *y = &sort_ctx->rows[*(const uint32_t *)b];
    if (x->precision != y->precision)
        return x->precision - y->precision;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    return i < j ? -1 : i > j;
}

static int cmp_pairs(const void *a, const void *b)
{
    const struct lpair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    return x->type - y->type;
}

static uint32_t pool_put(evm_buf *pool, const char *s)
{
    uint32_t off = (uint32_t)pool->len;
    evm__buf_add(pool, s, strlen(s) + 1);
    return off;
}

static void pad8(evm_buf *b)
{
    static const char zero[8];
    if (b->len % 8)
        evm__buf_add(b, zero, 8 - b->len % 8);
}

/* Builds the index image of L into out. */
static evm_status learn_image(struct learn *L, evm_buf *out, evm_error *err)
{
    size_t n = L->n;
    uint32_t *order = evm__reallocarray(NULL, n + 1, sizeof *order);
    struct lpair *pairs = evm__reallocarray(NULL, 2 * n + 1, sizeof *pairs);
    char **skeys = calloc(n + 1, sizeof *skeys);
    struct evm_gz_lplace *pl = calloc(n + 1, sizeof *pl);
    evm_buf pool;
    evm__buf_init(&pool, 0);
    evm_status st = EVM_OK;
    if (!order || !pairs || !skeys || !pl)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    sort_ctx = L;
    qsort(order, n, sizeof *order, cmp_rows);
    evm__buf_add(&pool, "", 1);
    uint32_t *src_off = calloc(L->nsources + 1, sizeof *src_off);
    if (!src_off)
        goto nomem;
    for (size_t i = 0; i < L->nsources; i++)
        src_off[i] = pool_put(&pool, L->sources[i]);
    uint32_t kn_place = pool_put(&pool, "place");
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        const struct lrow *x = &L->rows[order[i]];
        struct evm_gz_lplace *g = &pl[i];
        struct evm_gz_words w;
        g->lat_e6 = x->lat_e6;
        g->lon_e6 = x->lon_e6;
        g->name = pool_put(&pool, x->name);
        char lid[32];
        snprintf(lid, sizeof lid, "learned:%zu", i + 1);
        g->id = pool_put(&pool, x->id ? x->id : lid);
        g->source = src_off[x->source];
        g->admin1 = x->admin1;
        g->admin2 = x->admin2;
        g->count = x->count;
        memcpy(g->cc, x->cc, 2);
        g->precision = x->precision;
        g->kind = EVM_KIND_CITY;
        g->kind_name = kn_place;
        pairs[np++] = (struct lpair){x->key, (uint32_t)i, EVM_GZ_M_PRIMARY};
        int from, to;
        char key[EVM_GZ_NORM_MAX];
        const struct evm_gz_kindword *kw;
        if (evm__gz_words(x->name, strlen(x->name), &w) == 0 &&
            (kw = evm__gz_strip_kind(&w, &from, &to)) &&
            evm__gz_key(&w, from, to, key, sizeof key) > 0) {
            g->kind = (uint8_t)kw->kind;
            if (!(skeys[i] = evm__strdup(key)))
                goto nomem_src;
            pairs[np++] = (struct lpair){skeys[i], (uint32_t)i,
                                         EVM_GZ_M_STRIP};
        }
    }
    qsort(pairs, np, sizeof *pairs, cmp_pairs);
    size_t nkeys = 0;
    for (size_t i = 0; i < np; i++)
        nkeys += i == 0 || strcmp(pairs[i].key, pairs[i - 1].key) != 0;
    size_t hsize = 16;
    while (hsize < 2 * nkeys)
        hsize *= 2;
    struct evm_gz_key *keys = calloc(nkeys + 1, sizeof *keys);
    uint32_t *posts = evm__reallocarray(NULL, np + 1, sizeof *posts);
    uint32_t *hash = calloc(hsize, sizeof *hash);
    if (!keys || !posts || !hash) {
        free(keys);
        free(posts);
        free(hash);
        goto nomem_src;
    }
    size_t k = 0, npost = 0;
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && !strcmp(pairs[i].key, pairs[i - 1].key)) {
            if (pairs[i].place == pairs[i - 1].place)
                continue; /* a name that is its own stripped form */
            keys[k - 1].npost++;
        } else {
            struct evm_gz_key *ke = &keys[k++];
            size_t len = strlen(pairs[i].key);
            ke->str = pool_put(&pool, pairs[i].key);
            ke->post = (uint32_t)npost;
            ke->npost = 1;
            ke->hash = evm__gz_hash(pairs[i].key, len);
            size_t h = ke->hash & (hsize - 1);
            while (hash[h])
                h = (h + 1) & (hsize - 1);
            hash[h] = (uint32_t)k;
        }
        posts[npost++] = pairs[i].place | (uint32_t)pairs[i].type << 28;
    }
    struct evm_gz_lheader h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, EVM_GZ_LMAGIC, 8);
    h.version = EVM_GZ_LVERSION;
    h.endian = 0x01020304;
    h.nplaces = (uint32_t)n;
    h.nkeys = (uint32_t)nkeys;
    h.nposts = (uint32_t)npost;
    h.hash_size = (uint32_t)hsize;
    h.stamp_places = L->gz->h->nplaces;
    h.stamp_admin1 = L->gz->h->nadmin1;
    out->len = 0;
    evm__buf_add(out, &h, sizeof h);
    pad8(out);
    h.off_places = out->len;
    evm__buf_add(out, pl, n * sizeof *pl);
    pad8(out);
    h.off_keys = out->len;
    evm__buf_add(out, keys, nkeys * sizeof *keys);
    pad8(out);
    h.off_posts = out->len;
    evm__buf_add(out, posts, npost * sizeof *posts);
    pad8(out);
    h.off_hash = out->len;
    evm__buf_add(out, hash, hsize * sizeof *hash);
    pad8(out);
    h.off_strings = out->len;
    h.len_strings = pool.len;
    evm__buf_add(out, pool.data, pool.len);
    h.file_size = out->len;
    if (!out->failed)
        memcpy(out->data, &h, sizeof h);
    free(keys);
    free(posts);
    free(hash);
    if (out->failed || pool.failed)
        goto nomem_src;
    goto done_src;
nomem_src:
    st = evm_error_set(err, EVM_E_NOMEM, "out of memory building places");
done_src:
    free(src_off);
    goto done;
nomem:
    st = evm_error_set(err, EVM_E_NOMEM, "out of memory building places");
done:
    for (size_t i = 0; skeys && i < n; i++)
        free(skeys[i]);
    free(skeys);
    free(order);
    free(pairs);
    free(pl);
    evm__buf_free(&pool);
    return st;
}

/* ------------------------------------------------------------ opening */

/* Checks an index image and adds it to gz. The image is mmap'ed (mapped
 * = 1: unmapped on close) or malloc'ed (freed on close). */
static evm_status attach(evm_gazetteer *gz, const char *path, void *img,
                         size_t len, int mapped, evm_error *err)
{
    const struct evm_gz_lheader *h = img;
    if (gz->nlsets == EVM_GZ_MAX_LSETS)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: more than %d places indexes", path,
                             EVM_GZ_MAX_LSETS);
    int ok = len >= sizeof *h && !memcmp(h->magic, EVM_GZ_LMAGIC, 8) &&
             h->version == EVM_GZ_LVERSION && h->endian == 0x01020304 &&
             h->file_size == len;
#define FITS(off, cnt, sz) \
    ((off) <= len && (off) % 4 == 0 && (uint64_t)(cnt) * (sz) <= len - (off))
    ok = ok && FITS(h->off_places, h->nplaces, sizeof(struct evm_gz_lplace)) &&
         FITS(h->off_keys, h->nkeys, sizeof(struct evm_gz_key)) &&
         FITS(h->off_posts, h->nposts, 4) &&
         FITS(h->off_hash, h->hash_size, 4) &&
         FITS(h->off_strings, h->len_strings, 1) && h->len_strings > 0 &&
         h->hash_size > 0 && (h->hash_size & (h->hash_size - 1)) == 0 &&
         ((const char *)img)[h->off_strings + h->len_strings - 1] == '\0';
#undef FITS
    if (!ok)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: not a places index of this version (build "
                             "it again with evmap places build)", path);
    struct evm_gz_lset *s = &gz->lsets[gz->nlsets++];
    memset(s, 0, sizeof *s);
    s->img = img;
    s->len = len;
    s->mapped = mapped;
    s->h = h;
    const char *b = img;
    s->places = (const struct evm_gz_lplace *)(b + h->off_places);
    s->keys = (const struct evm_gz_key *)(b + h->off_keys);
    s->posts = (const uint32_t *)(b + h->off_posts);
    s->hash = (const uint32_t *)(b + h->off_hash);
    s->str = b + h->off_strings;
    /* admin references hold only against the index they were made with */
    s->admin_ok = h->stamp_places == gz->h->nplaces &&
                  h->stamp_admin1 == gz->h->nadmin1;
    return EVM_OK;
}

evm_status evm__gz_open_lset(evm_gazetteer *gz, const char *path,
                             evm_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                             strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) < 0 || sb.st_size < (off_t)sizeof(struct evm_gz_lheader)) {
        close(fd);
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: not a places index (too short)", path);
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return evm_error_set(err, EVM_E_IO, "%s: cannot map: %s", path,
                             strerror(errno));
    madvise(m, (size_t)sb.st_size, MADV_RANDOM);
    evm_status st = attach(gz, path, m, (size_t)sb.st_size, 1, err);
    if (st)
        munmap(m, (size_t)sb.st_size);
    return st;
}

void evm__gz_close_lsets(evm_gazetteer *gz)
{
    for (int i = 0; i < gz->nlsets; i++) {
        if (gz->lsets[i].mapped)
            munmap(gz->lsets[i].img, gz->lsets[i].len);
        else
            free(gz->lsets[i].img);
    }
    gz->nlsets = 0;
}

/* Learns L (read from path, is_table) into gz; as evm__gz_learn_table. */
static int learn_attach(evm_gazetteer *gz, struct learn *L, const char *path,
                        evm_status st, int is_table, evm_error *err);

int evm__gz_learn_table(evm_gazetteer *gz, const char *path, evm_error *err)
{
    struct learn L;
    memset(&L, 0, sizeof L);
    L.gz = gz;
    int is_table = 0;
    evm_status st = learn_file(&L, path, 0, &is_table, err);
    return learn_attach(gz, &L, path, st, is_table, err);
}

int evm__gz_learn_buffer(evm_gazetteer *gz, const char *name,
                         const char *buf, size_t len, evm_error *err)
{
    struct learn L;
    memset(&L, 0, sizeof L);
    L.gz = gz;
    L.sources = malloc(sizeof *L.sources);
    if (!L.sources || !(L.sources[0] = evm__strdup("places:buffer"))) {
        free(L.sources);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    L.nsources = 1;
    int got = learn_buffer(&L, name, buf, len, 0, err);
    return learn_attach(gz, &L, name, got < 0 ? EVM_E_INPUT : EVM_OK,
                        got > 0, err);
}

evm_status evm__gz_attach_image(evm_gazetteer *gz, const char *name,
                         const void *img, size_t len, evm_error *err)
{
    void *copy = malloc(len ? len : 1);
    if (!copy)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    memcpy(copy, img, len);
    evm_status st = attach(gz, name, copy, len, 0, err);
    if (st)
        free(copy);
    return st;
}

static int learn_attach(evm_gazetteer *gz, struct learn *L, const char *path,
                        evm_status st, int is_table, evm_error *err)
{
    struct learn l = *L;
    L = &l;
    if (st || !is_table) {
        learn_free(L);
        return st ? -1 : 0;
    }
    if (L->n == 0) {
        learn_free(L);
        evm_error_set(err, EVM_E_INPUT, "%s: no row with a place name and "
                      "coordinates", path);
        return -1;
    }
    evm_buf img;
    evm__buf_init(&img, 0);
    st = learn_image(L, &img, err);
    learn_free(L);
    if (!st)
        st = attach(gz, path, img.data, img.len, 0, err);
    if (st) {
        evm__buf_free(&img);
        return -1;
    }
    return 1; /* the image now belongs to gz */
}

/* Writes len bytes to path through a temporary file renamed into place. */
static evm_status write_atomic(const char *path, const void *data,
                               size_t len, evm_error *err)
{
    evm_atomic a;
    evm_status st = evm__atomic_open(&a, path, err);
    if (st)
        return st;
    if (fwrite(data, 1, len, a.f) != len) {
        evm__atomic_abort(&a);
        return evm_error_set(err, EVM_E_IO, "%s: write failed: %s", path,
                             strerror(errno));
    }
    return evm__atomic_commit(&a, err);
}

evm_status evm_places_build(const evm_gazetteer *gz,
                            const char *const *paths, int npaths,
                            const char *out, evm_places_stats *stats,
                            evm_error *err)
{
    struct learn L;
    memset(&L, 0, sizeof L);
    L.gz = gz;
    evm_status st = EVM_OK;
    for (int i = 0; i < npaths && !st; i++) {
        int is_table = 0;
        st = learn_file(&L, paths[i], 1, &is_table, err);
        if (!st && !is_table)
            st = evm_error_set(err, EVM_E_INPUT,
                               "%s: no place names with coordinates "
                               "(expected a header naming a place, "
                               "latitude and longitude columns, or a GDELT "
                               "events file)", paths[i]);
    }
    if (!st && L.n == 0)
        st = evm_error_set(err, EVM_E_INPUT,
                           "no row with a place name and coordinates");
    evm_buf img;
    evm__buf_init(&img, 0);
    if (!st)
        st = learn_image(&L, &img, err);
    if (!st)
        st = write_atomic(out, img.data, img.len, err);
    if (stats) {
        stats->rows = L.read;
        stats->skipped = L.skipped;
        stats->places = (long)L.n;
        stats->bytes = (long)img.len;
    }
    evm__buf_free(&img);
    learn_free(&L);
    return st;
}

const struct evm_gz_key *evm__gz_lfind(const struct evm_gz_lset *l,
                                       const char *s, size_t n)
{
    if (n == 0)
        return NULL;
    uint32_t hv = evm__gz_hash(s, n);
    uint32_t mask = l->h->hash_size - 1;
    for (uint32_t i = hv & mask, probes = 0; probes <= mask;
         i = (i + 1) & mask, probes++) {
        uint32_t k = l->hash[i];
        if (!k || k > l->h->nkeys)
            return NULL;
        const struct evm_gz_key *key = &l->keys[k - 1];
        if (key->hash != hv || key->str >= l->h->len_strings ||
            n >= l->h->len_strings - key->str)
            continue;
        const char *ks = l->str + key->str;
        if (memcmp(ks, s, n) == 0 && ks[n] == '\0')
            return key->post <= l->h->nposts &&
                           key->npost <= l->h->nposts - key->post
                       ? key
                       : NULL;
    }
    return NULL;
}
