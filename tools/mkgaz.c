/* mkgaz: compiles the shipped gazetteer tables into the mmap'ed index.
 *
 * Usage: mkgaz DIR OUT
 *   DIR holds places.tsv.gz, admin1.tsv.gz and current.tsv (written by
 *   scripts/build-gazetteer), the curated sites.tsv and water.tsv and
 *   aliases.tsv. OUT (build/gazetteer.evg) is written atomically.
 *
 * The format is described in src/gazetteer/gaz_int.h. Names are
 * normalised with the same code the lookup uses (evm__gz_words), so the
 * two always agree. Place importance (the prominence term of the ranking,
 * gazetteer/README.md) is computed here and stored with each place; places,
 * names and postings are then laid out by it, so that a lookup reads
 * records that sit together. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mkgaz/mkgaz.h"

/* ----------------------------------------------------------------- keys */

static struct strtab keys;
static struct post *posts;
static size_t nposts, capposts;

static void add_key(const char *key, size_t len, uint32_t place, int type)
{
    if (len == 0 || len > 255)
        return;
    if (nposts == capposts) {
        capposts = capposts ? capposts * 2 : 1u << 20;
        posts = xrealloc(posts, capposts, sizeof *posts);
    }
    posts[nposts].key = strtab_id(&keys, key, len);
    posts[nposts].place = place;
    posts[nposts].type = (uint8_t)type;
    nposts++;
}

static void add_name(const char *name, uint32_t place, int type, int strip)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (evm__gz_words(name, strlen(name), &w) < 0 || w.n == 0)
        return;
    int n = evm__gz_key(&w, 0, w.n, key, sizeof key);
    if (n > 0)
        add_key(key, (size_t)n, place, type);
    int from, to;
    if (strip && evm__gz_strip_kind(&w, &from, &to)) {
        n = evm__gz_key(&w, from, to, key, sizeof key);
        if (n > 0)
            add_key(key, (size_t)n, place, EVM_GZ_M_STRIP);
    }
}

/* Which match type of a (key, place) pair is kept when a place has a
 * name several ways: its own name, then its current name, an alternate
 * name, a code, a name without its kind words. */
static int type_rank(int t)
{
    switch (t) {
    case EVM_GZ_M_PRIMARY: return 0;
    case EVM_GZ_M_CURRENT: return 1;
    case EVM_GZ_M_ALT: return 2;
    case EVM_GZ_M_CODE: return 3;
    }
    return 4;
}

/* the order keys are written in (by key id), once it is known */
static uint32_t *key_pos;

static int cmp_post_key(const void *a, const void *b)
{
    const struct post *x = a, *y = b;
    uint32_t kx = key_pos ? key_pos[x->key] : x->key;
    uint32_t ky = key_pos ? key_pos[y->key] : y->key;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    uint16_t ix = places[x->place].importance;
    uint16_t iy = places[y->place].importance;
    if (ix != iy)
        return ix > iy ? -1 : 1;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    return type_rank(x->type) - type_rank(y->type);
}

/* Places by importance, most prominent first; equal ones keep their
 * order (the ranking's last tie-break). */
static int cmp_place_order(const void *a, const void *b)
{
    const struct place *x = &places[*(const uint32_t *)a];
    const struct place *y = &places[*(const uint32_t *)b];
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    return i < j ? -1 : i > j;
}

/* Keys: those the suggestions may propose first, then by the importance
 * of their best place, then by that place, then in order of creation. */
struct keyinfo {
    uint32_t first, n;   /* run in the sorted postings */
    uint16_t importance; /* of the best place */
    uint8_t fuzzy;
};
static struct keyinfo *kinfo;

static int cmp_key_order(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const struct keyinfo *x = &kinfo[i], *y = &kinfo[j];
    if (x->fuzzy != y->fuzzy)
        return x->fuzzy ? -1 : 1;
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    uint32_t px = posts[x->first].place, py = posts[y->first].place;
    if (px != py)
        return px < py ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* LEB128: 7 bits a byte, low bits first. Returns the bytes written. */
static size_t put_varint(uint8_t *out, uint32_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (out)
            out[n] = (uint8_t)(b | (v ? 0x80 : 0));
        n++;
    } while (v);
    return n;
}

/* ------------------------------------------------------------- writing */

struct pool {
    char *data;
    size_t len, cap;
    struct strtab dedup;
    uint32_t *off; /* by dedup id */
};

static uint32_t pool_add(struct pool *p, const char *s)
{
    size_t n = strlen(s);
    uint32_t before = p->dedup.n;
    uint32_t id = strtab_id(&p->dedup, s, n);
    if (id < before)
        return p->off[id];
    if (p->len + n + 1 > p->cap) {
        while (p->len + n + 1 > p->cap)
            p->cap = p->cap ? p->cap * 2 : 1u << 20;
        p->data = xrealloc(p->data, p->cap, 1);
    }
    p->off = xrealloc(p->off, p->dedup.n, sizeof *p->off);
    p->off[id] = (uint32_t)p->len;
    memcpy(p->data + p->len, s, n + 1);
    p->len += n + 1;
    if (p->len > UINT32_MAX)
        die("string pool over 4 GB");
    return p->off[id];
}

static void put(FILE *f, const void *p, size_t n, uint64_t *at)
{
    if (n && fwrite(p, 1, n, f) != n)
        die("write failed: %s", strerror(errno));
    *at += n;
    static const char zero[8];
    size_t pad = (size_t)((8 - *at % 8) % 8);
    if (pad && fwrite(zero, 1, pad, f) != pad)
        die("write failed: %s", strerror(errno));
    *at += pad;
}

/* Links each place to its admin-2 area (a place index), by the code the
 * area carries. After places are sorted. */
static void link_admin2(void)
{
    struct strtab codes = {0};
    uint32_t *area = NULL;
    for (size_t i = 0; i < nplaces; i++) {
        const struct place *p = &places[i];
        if (p->kind != EVM_KIND_ADMIN2 || !p->admin2code)
            continue;
        uint32_t n = codes.n;
        uint32_t id = strtab_id(&codes, p->admin2code,
                                strlen(p->admin2code));
        if (id == n) {
            area = xrealloc(area, codes.n, sizeof *area);
            area[id] = (uint32_t)i;
        }
    }
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        if (!p->admin2code)
            continue;
        uint32_t n = codes.n;
        uint32_t id = strtab_id(&codes, p->admin2code,
                                strlen(p->admin2code));
        if (id < n)
            p->admin2 = area[id];
    }
    free(area);
}

/* ---------------------------------------------------------- build steps */

static void read_tables(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/admin1.tsv.gz", dir);
    read_admin1(path);
    snprintf(path, sizeof path, "%s/places.tsv.gz", dir);
    read_places(path);
    snprintf(path, sizeof path, "%s/sites.tsv", dir);
    read_curated(path, EVM_KIND_SITE, "sites");
    snprintf(path, sizeof path, "%s/water.tsv", dir);
    read_curated(path, EVM_KIND_WATER, "water");
    snprintf(path, sizeof path, "%s/aliases.tsv", dir);
    read_aliases(path);
    snprintf(path, sizeof path, "%s/current.tsv", dir);
    read_current(path);
    if (nplaces >= (1u << 28))
        die("too many places");
    assign_admin1();
}

/* Computes each place's importance and sorts the places by it, most
 * prominent first. */
static void rank_places(void)
{
    for (size_t i = 0; i < nplaces; i++) {
        double v = importance(&places[i]);
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        places[i].importance = (uint16_t)lround(v * 10000);
    }
    uint32_t *order = xrealloc(NULL, nplaces + 1, sizeof *order);
    for (size_t i = 0; i < nplaces; i++)
        order[i] = (uint32_t)i;
    qsort(order, nplaces, sizeof *order, cmp_place_order);
    struct place *sorted = xrealloc(NULL, nplaces + 1, sizeof *sorted);
    for (size_t i = 0; i < nplaces; i++)
        sorted[i] = places[order[i]];
    free(places);
    free(order);
    places = sorted;
    link_admin2();
}

/* The postings: every key of every place's names and codes, one per
 * (key, place) with the best match type. */
static void index_names(void)
{
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        /* kind words are only taken off the names of non-populated
         * places: "Lake Charles" and "Port Said" are towns */
        int strip = p->kind != EVM_KIND_CITY;
        add_name(p->name, (uint32_t)i, EVM_GZ_M_PRIMARY, strip);
        for (char **n = p->names; *n; n++)
            add_name(*n, (uint32_t)i, EVM_GZ_M_ALT, strip);
        if (p->current)
            add_name(p->current, (uint32_t)i, EVM_GZ_M_CURRENT, 0);
        for (char **c = p->codes; *c; c++) {
            struct evm_gz_words w;
            char key[64];
            if (evm__gz_words(*c, strlen(*c), &w) == 0 &&
                evm__gz_key(&w, 0, w.n, key, sizeof key) > 0)
                add_key(key, strlen(key), (uint32_t)i, EVM_GZ_M_CODE);
        }
    }
    qsort(posts, nposts, sizeof *posts, cmp_post_key);
    size_t m = 0;
    for (size_t i = 0; i < nposts; i++) {
        if (m && posts[m - 1].key == posts[i].key &&
            posts[m - 1].place == posts[i].place) {
            if (type_rank(posts[i].type) < type_rank(posts[m - 1].type))
                posts[m - 1].type = posts[i].type;
            continue;
        }
        posts[m++] = posts[i];
    }
    nposts = m;
}

/* What the index file holds, section by section. */
struct image {
    struct evm_gz_header h;
    struct pool pool;
    uint32_t nkeys, nfuzzy, ncurrent, hsize;
    uint32_t *key_order;
    struct evm_gz_admin1 *ga;
    struct evm_gz_current *gc;
    struct evm_gz_key *gk;
    struct evm_gz_place *gp;
    uint32_t *gpost, *hash, *fuzzy, *tstart;
    uint8_t *tri;
    size_t ntri;
};

/* Key order: the names suggestions may propose first (the primary names
 * of places of some prominence, the alternate names of major ones), each
 * group by the prominence of its best place. Sets key_order and nfuzzy
 * and sorts the postings by it. */
static void order_keys(struct image *im)
{
    uint32_t nkeys = keys.n;
    im->nkeys = nkeys;
    kinfo = xrealloc(NULL, nkeys + 1, sizeof *kinfo);
    memset(kinfo, 0, sizeof *kinfo * (nkeys + 1));
    for (size_t i = 0; i < nposts; i++) {
        struct keyinfo *ki = &kinfo[posts[i].key];
        uint16_t imp = places[posts[i].place].importance;
        int type = posts[i].type;
        if (ki->n == 0) {
            ki->first = (uint32_t)i;
            ki->importance = imp;
        }
        ki->n++;
        if (((type == EVM_GZ_M_PRIMARY || type == EVM_GZ_M_CURRENT) &&
             imp >= 5000) ||
            (type == EVM_GZ_M_ALT && imp >= 7000))
            ki->fuzzy = 1;
    }
    uint32_t nfuzzy = 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        if (kinfo[k].fuzzy && keys.len[k] < 3)
            kinfo[k].fuzzy = 0;
        nfuzzy += kinfo[k].fuzzy;
    }
    im->nfuzzy = nfuzzy;
    uint32_t *key_order = xrealloc(NULL, nkeys + 1, sizeof *key_order);
    for (uint32_t k = 0; k < nkeys; k++)
        key_order[k] = k;
    qsort(key_order, nkeys, sizeof *key_order, cmp_key_order);
    key_pos = xrealloc(NULL, nkeys + 1, sizeof *key_pos);
    for (uint32_t i = 0; i < nkeys; i++)
        key_pos[key_order[i]] = i;
    qsort(posts, nposts, sizeof *posts, cmp_post_key);
    im->key_order = key_order;
}

/* The header's fixed part, the admin-1 areas, the keys and the places,
 * with the string pool: the keys' strings in key order (the suggestions'
 * names together at its start), then each place's name and id. */
static void build_records(struct image *im)
{
    struct pool *pool = &im->pool;
    pool_add(pool, "");
    struct evm_gz_header *h = &im->h;
    memset(h, 0, sizeof *h);
    memcpy(h->magic, EVM_GZ_MAGIC, 8);
    h->version = EVM_GZ_VERSION;
    h->endian = 0x01020304;
    h->nkind_names = kindnames.n;
    for (uint32_t i = 0; i < kindnames.n; i++)
        h->kind_names[i] = pool_add(pool, kindnames.s[i]);
    /* what every answer reads (kind and admin-1 names), near the header
     * that opening the index reads anyway */
    struct evm_gz_admin1 *ga = xrealloc(NULL, admin1codes.n + 1, sizeof *ga);
    for (uint32_t i = 0; i < admin1codes.n; i++) {
        ga[i].name = pool_add(pool, admin1names[i]);
        ga[i].code = pool_add(pool, admin1codes.s[i]);
    }
    im->ga = ga;
    for (size_t i = 0; i < nplaces; i++)
        if (places[i].current)
            pool_add(pool, places[i].current);
    uint32_t nkeys = im->nkeys;
    struct evm_gz_key *gk = xrealloc(NULL, nkeys + 1, sizeof *gk);
    memset(gk, 0, sizeof *gk * (nkeys + 1));
    for (uint32_t i = 0; i < nkeys; i++) {
        uint32_t k = im->key_order[i];
        gk[i].str = pool_add(pool, keys.s[k]);
        gk[i].hash = evm__gz_hash(keys.s[k], keys.len[k]);
    }
    im->gk = gk;
    struct evm_gz_place *gp = xrealloc(NULL, nplaces + 1, sizeof *gp);
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        struct evm_gz_place *g = &gp[i];
        memset(g, 0, sizeof *g);
        g->lat_e6 = (int32_t)lround(p->lat * 1e6);
        g->lon_e6 = (int32_t)lround(p->lon * 1e6);
        g->name = pool_add(pool, p->name);
        g->id = pool_add(pool, p->id);
        g->admin1 = p->admin1;
        g->admin2 = p->admin2;
        g->pop = p->pop > 0 && p->pop < (long)UINT32_MAX ? (uint32_t)p->pop
                                                         : 0;
        g->importance = p->importance;
        g->kind = (uint8_t)p->kind;
        g->kind_name = (uint8_t)strtab_id(&kindnames, p->kind_name,
                                          strlen(p->kind_name));
        memcpy(g->cc, p->cc, 2);
        g->source = (uint8_t)p->source;
        g->flags = (uint8_t)p->flags;
    }
    im->gp = gp;
}

/* The postings, the key hash and the current names of the places that
 * some key finds by one (not where it is also the place's own name). */
static void build_lookup(struct image *im)
{
    struct evm_gz_key *gk = im->gk;
    uint32_t nkeys = im->nkeys;
    uint32_t *gpost = xrealloc(NULL, nposts + 1, sizeof *gpost);
    for (size_t i = 0; i < nposts; i++) {
        struct evm_gz_key *k = &gk[key_pos[posts[i].key]];
        if (k->npost == 0)
            k->post = (uint32_t)i;
        k->npost++;
        gpost[i] = posts[i].place | ((uint32_t)posts[i].type << 28);
    }
    im->gpost = gpost;
    uint32_t hsize = 1;
    while (hsize < nkeys * 2u)
        hsize <<= 1;
    uint32_t *hash = calloc(hsize, sizeof *hash);
    if (!hash)
        die("out of memory");
    for (uint32_t k = 0; k < nkeys; k++) {
        uint32_t s = gk[k].hash & (hsize - 1);
        while (hash[s])
            s = (s + 1) & (hsize - 1);
        hash[s] = k + 1;
    }
    im->hash = hash;
    im->hsize = hsize;

    struct evm_gz_current *gc = xrealloc(NULL, nplaces + 1, sizeof *gc);
    uint32_t ncurrent = 0;
    uint8_t *by_current = calloc(nplaces + 1, 1);
    if (!by_current)
        die("out of memory");
    for (size_t i = 0; i < nposts; i++)
        if (posts[i].type == EVM_GZ_M_CURRENT)
            by_current[posts[i].place] = 1;
    for (size_t i = 0; i < nplaces; i++)
        if (places[i].current && by_current[i]) {
            gc[ncurrent].place = (uint32_t)i;
            gc[ncurrent].name = pool_add(&im->pool, places[i].current);
            ncurrent++;
        }
    im->gc = gc;
    im->ncurrent = ncurrent;
}

/* The fuzzy index: the suggestions' names are keys 0 .. nfuzzy - 1, in
 * order of prominence; each trigram's list holds them ascending. */
static void build_fuzzy(struct image *im)
{
    uint32_t nfuzzy = im->nfuzzy;
    uint32_t *fuzzy = xrealloc(NULL, nfuzzy + 1, sizeof *fuzzy);
    for (uint32_t f = 0; f < nfuzzy; f++)
        fuzzy[f] = im->gk[f].str;
    uint32_t *tstart = calloc(EVM_GZ_TRI_BUCKETS + 1, sizeof *tstart);
    uint32_t *last = malloc(EVM_GZ_TRI_BUCKETS * sizeof *last);
    if (!tstart || !last)
        die("out of memory");
    uint8_t *tri = NULL;
    size_t ntri = 0;
    /* two passes: bytes per bucket, then the bytes */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            uint64_t acc = 0;
            for (uint32_t b = 0; b <= EVM_GZ_TRI_BUCKETS; b++) {
                uint32_t c = tstart[b];
                tstart[b] = (uint32_t)acc;
                acc += c;
            }
            if (acc > UINT32_MAX)
                die("trigram index over 4 GB");
            ntri = (size_t)acc;
            tri = xrealloc(NULL, ntri + 1, 1);
            fill = xrealloc(NULL, EVM_GZ_TRI_BUCKETS, sizeof *fill);
            memcpy(fill, tstart, EVM_GZ_TRI_BUCKETS * sizeof *fill);
        }
        memset(last, 0xff, EVM_GZ_TRI_BUCKETS * sizeof *last);
        for (uint32_t f = 0; f < nfuzzy; f++) {
            uint32_t bk[EVM_GZ_MAX_TRI];
            uint32_t k = im->key_order[f];
            int nb = evm__gz_trigrams(keys.s[k], keys.len[k], bk);
            for (int i = 0; i < nb; i++) {
                uint32_t b = bk[i];
                uint32_t gap = f - (last[b] + 1); /* last = -1: f itself */
                last[b] = f;
                if (pass == 0)
                    tstart[b + 1] += (uint32_t)put_varint(NULL, gap);
                else
                    fill[b] += (uint32_t)put_varint(tri + fill[b], gap);
            }
        }
        if (pass == 0) { /* counts were stored shifted by one */
            for (uint32_t b = 0; b < EVM_GZ_TRI_BUCKETS; b++)
                tstart[b] = tstart[b + 1];
            tstart[EVM_GZ_TRI_BUCKETS] = 0;
        }
        free(fill);
    }
    free(last);
    im->fuzzy = fuzzy;
    im->tstart = tstart;
    im->tri = tri;
    im->ntri = ntri;
}

/* Places the sections (each 8-byte aligned) and fills in the header. */
static void lay_out(struct image *im)
{
    struct evm_gz_header *h = &im->h;
    uint64_t at = 0;
#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)
    at = ALIGN8(sizeof *h);
    h->off_admin1 = at;
    at = ALIGN8(at + admin1codes.n * sizeof *im->ga);
    h->off_current = at;
    at = ALIGN8(at + (uint64_t)im->ncurrent * sizeof *im->gc);
    h->off_strings = at;
    h->len_strings = im->pool.len;
    at = ALIGN8(at + im->pool.len);
    h->off_places = at;
    at = ALIGN8(at + nplaces * sizeof *im->gp);
    h->off_keys = at;
    at = ALIGN8(at + (uint64_t)im->nkeys * sizeof *im->gk);
    h->off_posts = at;
    at = ALIGN8(at + nposts * sizeof *im->gpost);
    h->off_hash = at;
    at = ALIGN8(at + (uint64_t)im->hsize * sizeof *im->hash);
    h->off_fuzzy = at;
    at = ALIGN8(at + (uint64_t)im->nfuzzy * sizeof *im->fuzzy);
    h->off_tri_start = at;
    at = ALIGN8(at + (EVM_GZ_TRI_BUCKETS + 1) * sizeof *im->tstart);
    h->off_tri = at;
    at = ALIGN8(at + im->ntri);
#undef ALIGN8
    h->file_size = at;
    h->nplaces = (uint32_t)nplaces;
    h->nadmin1 = admin1codes.n;
    h->nkeys = im->nkeys;
    h->nposts = (uint32_t)nposts;
    h->hash_size = im->hsize;
    h->nfuzzy = im->nfuzzy;
    h->ntri = (uint32_t)im->ntri;
    h->ncurrent = im->ncurrent;
}

static void write_image(const struct image *im, const char *path)
{
    evm_error err = {0};
    evm_atomic out;
    if (evm__atomic_open(&out, path, &err) != EVM_OK)
        die("%s", err.msg);
    uint64_t w = 0;
    put(out.f, &im->h, sizeof im->h, &w);
    put(out.f, im->ga, admin1codes.n * sizeof *im->ga, &w);
    put(out.f, im->gc, (size_t)im->ncurrent * sizeof *im->gc, &w);
    put(out.f, im->pool.data, im->pool.len, &w);
    put(out.f, im->gp, nplaces * sizeof *im->gp, &w);
    put(out.f, im->gk, (size_t)im->nkeys * sizeof *im->gk, &w);
    put(out.f, im->gpost, nposts * sizeof *im->gpost, &w);
    put(out.f, im->hash, (size_t)im->hsize * sizeof *im->hash, &w);
    put(out.f, im->fuzzy, (size_t)im->nfuzzy * sizeof *im->fuzzy, &w);
    put(out.f, im->tstart, (EVM_GZ_TRI_BUCKETS + 1) * sizeof *im->tstart,
        &w);
    put(out.f, im->tri, im->ntri, &w);
    if (w != im->h.file_size)
        die("internal error: wrote %llu bytes, planned %llu",
            (unsigned long long)w, (unsigned long long)im->h.file_size);
    if (evm__atomic_commit(&out, &err) != EVM_OK)
        die("%s", err.msg);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkgaz DIR OUT\n");
        return 2;
    }
    clock_t t0 = clock();
    read_tables(argv[1]);
    rank_places();
    index_names();
    struct image im;
    memset(&im, 0, sizeof im);
    order_keys(&im);
    build_records(&im);
    build_lookup(&im);
    build_fuzzy(&im);
    lay_out(&im);
    write_image(&im, argv[2]);
    fprintf(stderr,
            "mkgaz: %zu places, %u names, %zu postings, %u fuzzy names, "
            "%u current names, %.1f MB in %.2f s -> %s\n",
            nplaces, im.nkeys, nposts, im.nfuzzy, im.ncurrent,
            (double)im.h.file_size / 1e6,
            (double)(clock() - t0) / CLOCKS_PER_SEC, argv[2]);
    /* the process ends here: the OS reclaims the build's memory */
    return 0;
}
