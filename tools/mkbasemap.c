/* mkbasemap: compiles the committed basemap sources into basemap.evb.
 *
 *   mkbasemap SRCDIR OUT
 *
 * Reads SRCDIR/<layer>_<scale>.txt.gz (written by scripts/build-basemap,
 * format in basemap/README.md) with zlib, orients rings (outer CCW, holes
 * CW), cuts large polygons into tiles (Sutherland-Hodgman per ring, by
 * recursive halving so each vertex is clipped O(log tiles) times) and long
 * lines into pieces, sorts features along a Hilbert curve, packs an R-tree
 * per layer and scale, builds the name index of countries and admin-1
 * regions, and writes OUT atomically in the format of src/basemap/evb.h.
 * Exit status: 0 done, 1 bad input data, 3 I/O failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mkbasemap/mkbasemap.h"

static const char *const scale_names[EVB_NSCALES] = {"110m", "50m", "10m"};

static const struct {
    const char *file;
    int geom;
    int optional_below_10m; /* absent at 110m is fine */
} layer_src[EVM_BM_LAYER_COUNT] = {
    [EVM_BM_LAND] = {"land", EVB_GEOM_POLYGON, 0},
    [EVM_BM_OCEAN] = {"ocean", EVB_GEOM_POLYGON, 0},
    [EVM_BM_LAKES] = {"lakes", EVB_GEOM_POLYGON, 0},
    [EVM_BM_RIVERS] = {"rivers", EVB_GEOM_LINE, 0},
    [EVM_BM_COUNTRIES] = {"countries", EVB_GEOM_POLYGON, 0},
    [EVM_BM_BORDERS] = {"borders", EVB_GEOM_LINE, 0},
    [EVM_BM_ADMIN1] = {"admin1", EVB_GEOM_POLYGON, 1},
    [EVM_BM_ADMIN1_LINES] = {"admin1_lines", EVB_GEOM_LINE, 1},
    [EVM_BM_COUNTRY_LABELS] = {"country_labels", EVB_GEOM_POINT, 0},
    [EVM_BM_CITIES] = {"cities", EVB_GEOM_POINT, 0},
    [EVM_BM_COASTLINE] = {"coastline", EVB_GEOM_LINE, 0},
};

/* ------------------------------------------------------------ output */

struct out {
    unsigned char *b;
    size_t n, cap;
};

static size_t out_put(struct out *o, const void *p, size_t n)
{
    size_t at = o->n;
    grow(&o->b, &o->cap, o->n + n, 1);
    memcpy(o->b + o->n, p, n);
    o->n += n;
    return at;
}

static void out_align(struct out *o, size_t a)
{
    static const unsigned char zero[8];
    if (o->n % a)
        out_put(o, zero, a - o->n % a);
}

/* String table with de-duplication (FNV-1a, open addressing). */
struct strtab {
    struct out data;
    uint32_t *slot;        /* offset + 1, 0 = empty */
    size_t nslot, used;
};

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static uint32_t str_intern(struct strtab *t, const char *s)
{
    size_t i;
    if (!*s)
        return 0;
    if (t->used * 2 >= t->nslot) {
        size_t ns = t->nslot ? t->nslot * 2 : 4096;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            die(3, "out of memory");
        for (size_t k = 0; k < t->nslot; k++)
            if (t->slot[k]) {
                const char *o = (const char *)t->data.b + t->slot[k] - 1;
                size_t j = fnv(o) & (ns - 1);
                while (sl[j])
                    j = (j + 1) & (ns - 1);
                sl[j] = t->slot[k];
            }
        free(t->slot);
        t->slot = sl;
        t->nslot = ns;
    }
    i = fnv(s) & (t->nslot - 1);
    while (t->slot[i]) {
        if (strcmp((const char *)t->data.b + t->slot[i] - 1, s) == 0)
            return t->slot[i] - 1;
        i = (i + 1) & (t->nslot - 1);
    }
    size_t at = out_put(&t->data, s, strlen(s) + 1);
    if (at >= UINT32_MAX)
        die(1, "string table over 4 GB");
    t->slot[i] = (uint32_t)at + 1;
    t->used++;
    return (uint32_t)at;
}

static uint64_t hilbert(uint32_t x, uint32_t y)
{
    /* xy to distance along a 2^16 x 2^16 Hilbert curve */
    const uint32_t n = 1u << 16;
    uint64_t d = 0;
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            uint32_t t;
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

struct order {
    uint64_t h;
    size_t i;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void compute_bboxes(struct mlayer *l)
{
    for (size_t fi = 0; fi < l->nf; fi++) {
        struct mfeat *f = &l->f[fi];
        float b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            const double *p = l->xy + 2 * l->pstart[k];
            for (uint32_t i = 0; i < l->plen[k]; i++) {
                float x = (float)p[2 * i], y = (float)p[2 * i + 1];
                b[0] = x < b[0] ? x : b[0];
                b[2] = x > b[2] ? x : b[2];
                b[1] = y < b[1] ? y : b[1];
                b[3] = y > b[3] ? y : b[3];
            }
        }
        memcpy(f->bbox, b, sizeof b);
    }
}

/* Order of l's features along the Hilbert curve of bbox centres. */
static size_t *hilbert_order(const struct mlayer *l)
{
    struct order *o = evm__reallocarray(NULL, l->nf ? l->nf : 1, sizeof *o);
    size_t *perm = evm__reallocarray(NULL, l->nf ? l->nf : 1, sizeof *perm);
    if (!o || !perm)
        die(3, "out of memory");
    for (size_t i = 0; i < l->nf; i++) {
        const float *b = l->f[i].bbox;
        double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
        uint32_t x = (uint32_t)((cx + 180.0) / 360.0 * 65535.0);
        uint32_t y = (uint32_t)((cy + 90.0) / 180.0 * 65535.0);
        o[i].h = hilbert(x > 65535 ? 65535 : x, y > 65535 ? 65535 : y);
        o[i].i = i;
    }
    qsort(o, l->nf, sizeof *o, order_cmp);
    for (size_t i = 0; i < l->nf; i++)
        perm[i] = o[i].i;
    free(o);
    return perm;
}

/* Where a written whole layer put each source feature's geometry. */
struct placed {
    uint64_t parts_off, coords_off;
    uint32_t pos;          /* index in the written layer */
};

/* Writes layer l (features, geometry, R-tree) and fills desc. whole_map
 * (may be NULL) gives for whole-feature indices their final placement, to
 * set evb_feat.whole and to share geometry with unchanged copies. If
 * placed_out is given it receives the placement of every feature of l by
 * its index in l. */
static void write_layer(struct out *o, struct strtab *st, struct mlayer *l,
                        const struct placed *whole_map,
                        struct placed *placed_out, struct evb_layer *desc)
{
    size_t *perm;
    struct evb_feat *recs;
    uint32_t count[EVB_MAX_LEVELS];
    uint64_t nnodes;
    int nlev;

    memset(desc, 0, sizeof *desc);
    if (l->nf == 0)
        return;
    if (l->nf > UINT32_MAX / 2)
        die(1, "too many features");
    compute_bboxes(l);
    perm = hilbert_order(l);
    recs = calloc(l->nf, sizeof *recs);
    if (!recs)
        die(3, "out of memory");
    for (size_t r = 0; r < l->nf; r++) {
        const struct mfeat *f = &l->f[perm[r]];
        struct evb_feat *e = &recs[r];
        uint64_t npts = 0;
        memcpy(e->bbox, f->bbox, sizeof e->bbox);
        e->name = str_intern(st, f->name ? f->name : "");
        e->name_en = str_intern(st, f->name_en ? f->name_en : "");
        e->id = str_intern(st, f->id ? f->id : "");
        e->code = str_intern(st, f->code ? f->code : "");
        memcpy(e->iso, f->iso, 2);
        e->rank = f->rank;
        e->pop = f->pop;
        e->flags = f->flags;
        e->nparts = (uint32_t)f->nparts;
        e->whole = EVB_NOWHOLE;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++)
            npts += l->plen[k] + (l->geom == EVB_GEOM_POLYGON);
        if (npts > UINT32_MAX)
            die(1, "feature too large");
        e->npoints = (uint32_t)npts;
        if (whole_map && f->whole != EVB_NOWHOLE) {
            e->whole = whole_map[f->whole].pos;
            if (f->same_as_whole) {
                e->parts_off = whole_map[f->whole].parts_off;
                e->coords_off = whole_map[f->whole].coords_off;
                continue;
            }
        }
        out_align(o, 4);
        e->parts_off = o->n;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            uint32_t n = l->plen[k] + (l->geom == EVB_GEOM_POLYGON);
            out_put(o, &n, sizeof n);
        }
        e->coords_off = o->n;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            const double *p = l->xy + 2 * l->pstart[k];
            for (uint32_t i = 0; i < l->plen[k]; i++) {
                float v[2] = {(float)p[2 * i], (float)p[2 * i + 1]};
                out_put(o, v, sizeof v);
            }
            if (l->geom == EVB_GEOM_POLYGON) {
                /* rings are stored closed */
                float v[2] = {(float)p[0], (float)p[1]};
                out_put(o, v, sizeof v);
            }
        }
        if (placed_out) {
            placed_out[perm[r]].parts_off = e->parts_off;
            placed_out[perm[r]].coords_off = e->coords_off;
            placed_out[perm[r]].pos = (uint32_t)r;
        }
    }
    out_align(o, 8);
    desc->nfeat = (uint32_t)l->nf;
    desc->geom = (uint32_t)l->geom;
    desc->feat_off = out_put(o, recs, l->nf * sizeof *recs);

    /* packed R-tree: build levels bottom-up, store root first */
    nlev = evm__evb_levels((uint32_t)l->nf, count, &nnodes);
    if (nlev <= 0)
        die(1, "R-tree too deep");
    {
        float *nodes = calloc((size_t)nnodes * 4, sizeof(float));
        uint64_t start[EVB_MAX_LEVELS], at = 0;
        if (!nodes)
            die(3, "out of memory");
        for (int k = 0; k < nlev; k++) {
            start[k] = at;
            at += count[k];
        }
        for (int k = nlev - 1; k >= 0; k--) {
            uint32_t below = k + 1 < nlev ? count[k + 1] : (uint32_t)l->nf;
            for (uint32_t i = 0; i < count[k]; i++) {
                float *nb = nodes + 4 * (start[k] + i);
                nb[0] = nb[1] = INFINITY;
                nb[2] = nb[3] = -INFINITY;
                for (uint32_t c = i * EVB_NODE;
                     c < (i + 1) * EVB_NODE && c < below; c++) {
                    const float *cb = k + 1 < nlev
                        ? nodes + 4 * (start[k + 1] + c) : recs[c].bbox;
                    nb[0] = cb[0] < nb[0] ? cb[0] : nb[0];
                    nb[1] = cb[1] < nb[1] ? cb[1] : nb[1];
                    nb[2] = cb[2] > nb[2] ? cb[2] : nb[2];
                    nb[3] = cb[3] > nb[3] ? cb[3] : nb[3];
                }
            }
        }
        memcpy(desc->bbox, nodes, sizeof desc->bbox);
        desc->tree_off = out_put(o, nodes, (size_t)nnodes * 4 * sizeof(float));
        free(nodes);
    }
    out_align(o, 8);
    free(recs);
    free(perm);
}

/* ---------------------------------------------------------- name index */

struct nameent {
    const char *key;
    struct evb_name e;
};

static int name_cmp(const void *a, const void *b)
{
    const struct nameent *x = a, *y = b;
    int c;
    if (x->e.kind != y->e.kind)
        return x->e.kind < y->e.kind ? -1 : 1;
    if ((c = strcmp(x->key, y->key)) != 0)
        return c;
    if (x->e.feat != y->e.feat)
        return x->e.feat < y->e.feat ? -1 : 1;
    return (int)x->e.tier - (int)y->e.tier;
}

struct names {
    struct nameent *v;
    size_t n, cap;
};

static void name_add(struct names *nm, int kind, const char *text, int tier,
                     uint32_t feat)
{
    char key[512];
    int len, is_city;
    if (evm__bm_norm(text, key, sizeof key) <= 0)
        return;
    for (int pass = 0; pass < 2; pass++) {
        grow(&nm->v, &nm->cap, nm->n + 1, sizeof *nm->v);
        nm->v[nm->n].key = xstrdup(key);
        nm->v[nm->n].e.kind = (uint16_t)kind;
        nm->v[nm->n].e.tier = (uint16_t)(pass ? 3 : tier);
        nm->v[nm->n].e.feat = feat;
        nm->n++;
        /* also index admin-1 names without their type word */
        if (kind != EVB_WHOLE_ADMIN1 ||
            (len = evm__bm_strip_type(key, &is_city)) <= 0)
            break;
        key[len] = '\0';
    }
}

/* ------------------------------------------------------------- main */

static void load(const char *dir, int layer, int scale, struct mlayer *l,
                 int *present)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s_%s.txt.gz", dir, layer_src[layer].file,
             scale_names[scale]);
    f = fopen(path, "rb");
    if (!f) {
        snprintf(path, sizeof path, "%s/%s_all.txt.gz", dir,
                 layer_src[layer].file);
        f = fopen(path, "rb");
    }
    if (!f) {
        *present = 0;
        if (layer_src[layer].optional_below_10m && scale != EVM_BM_10M)
            return;
        die(3, "%s/%s_%s.txt.gz: cannot open (run scripts/build-basemap)",
            dir, layer_src[layer].file, scale_names[scale]);
    }
    fclose(f);
    *present = 1;
    parse_file(path, layer_src[layer].geom, l);
}

int main(int argc, char **argv)
{
    struct out o = {0};
    struct strtab st = {0};
    struct evb_header h;
    struct names nm = {0};
    struct mlayer whole[EVB_NWHOLE];
    struct placed *wplaced[EVB_NWHOLE] = {NULL, NULL};
    evm_atomic at;
    evm_error err;
    const int whole_layer[EVB_NWHOLE] = {EVM_BM_COUNTRIES, EVM_BM_ADMIN1};

    if (argc != 3) {
        fprintf(stderr, "usage: mkbasemap SRCDIR OUT\n");
        return 2;
    }
    memset(&h, 0, sizeof h);
    out_put(&o, &h, sizeof h);
    out_align(&o, 8);
    out_put(&st.data, "", 1);

    /* untiled countries and admin-1 (10m), for lookups by name */
    for (int k = 0; k < EVB_NWHOLE; k++) {
        int present;
        load(argv[1], whole_layer[k], EVM_BM_10M, &whole[k], &present);
        wplaced[k] = calloc(whole[k].nf ? whole[k].nf : 1,
                            sizeof *wplaced[k]);
        if (!wplaced[k])
            die(3, "out of memory");
        write_layer(&o, &st, &whole[k], NULL, wplaced[k], &h.whole[k]);
        for (size_t a = 0; a < whole[k].na; a++)
            name_add(&nm, k, whole[k].a[a].text, whole[k].a[a].tier,
                     wplaced[k][whole[k].a[a].feat].pos);
        for (size_t fi = 0; fi < whole[k].nf; fi++) {
            name_add(&nm, k, whole[k].f[fi].name, 0, wplaced[k][fi].pos);
            name_add(&nm, k, whole[k].f[fi].name_en, 1, wplaced[k][fi].pos);
        }
    }

    for (int layer = 0; layer < EVM_BM_LAYER_COUNT; layer++)
        for (int s = 0; s < EVB_NSCALES; s++) {
            struct mlayer src, tiled;
            int present, wk = -1;
            for (int k = 0; k < EVB_NWHOLE; k++)
                if (whole_layer[k] == layer && s == EVM_BM_10M)
                    wk = k;
            if (wk >= 0) {
                tile_layer(&whole[wk], s, &tiled);
                write_layer(&o, &st, &tiled, wplaced[wk], NULL,
                            &h.layers[layer][s]);
                layer_free(&tiled, 0);
                continue;
            }
            memset(&src, 0, sizeof src);
            load(argv[1], layer, s, &src, &present);
            if (!present)
                continue;
            tile_layer(&src, s, &tiled);
            write_layer(&o, &st, &tiled, NULL, NULL, &h.layers[layer][s]);
            layer_free(&tiled, 0);
            layer_free(&src, 1);
        }

    /* name index: sorted, duplicates (same kind, key, feature) dropped
     * keeping the best tier */
    qsort(nm.v, nm.n, sizeof *nm.v, name_cmp);
    {
        size_t w = 0;
        for (size_t i = 0; i < nm.n; i++) {
            if (w > 0 && nm.v[w - 1].e.kind == nm.v[i].e.kind &&
                nm.v[w - 1].e.feat == nm.v[i].e.feat &&
                strcmp(nm.v[w - 1].key, nm.v[i].key) == 0) {
                free((char *)nm.v[i].key);
                continue;
            }
            nm.v[w++] = nm.v[i];
        }
        nm.n = w;
    }
    out_align(&o, 8);
    h.names_off = o.n;
    h.nnames = (uint32_t)nm.n;
    for (size_t i = 0; i < nm.n; i++) {
        nm.v[i].e.key = str_intern(&st, nm.v[i].key);
        out_put(&o, &nm.v[i].e, sizeof nm.v[i].e);
        free((char *)nm.v[i].key);
    }
    free(nm.v);
    out_align(&o, 8);
    h.strings_off = o.n;
    h.strings_size = st.data.n;
    out_put(&o, st.data.b, st.data.n);
    out_align(&o, 8);

    memcpy(h.magic, EVB_MAGIC, 8);
    h.version = EVB_VERSION;
    h.endian = EVB_ENDIAN;
    h.file_size = o.n;
    h.nlayers = EVM_BM_LAYER_COUNT;
    h.nscales = EVB_NSCALES;
    h.crc = 0;
    h.crc = (uint32_t)crc32(0L, (const Bytef *)&h, sizeof h);
    memcpy(o.b, &h, sizeof h);

    evm_error_clear(&err);
    if (evm__atomic_open(&at, argv[2], &err) != EVM_OK)
        die(3, "%s", err.msg);
    if (fwrite(o.b, 1, o.n, at.f) != o.n) {
        evm__atomic_abort(&at);
        die(3, "%s: write failed", argv[2]);
    }
    if (evm__atomic_commit(&at, &err) != EVM_OK)
        die(3, "%s", err.msg);
    fprintf(stderr, "mkbasemap: %s: %zu bytes, %zu names\n", argv[2], o.n,
            nm.n);
    for (int k = 0; k < EVB_NWHOLE; k++) {
        layer_free(&whole[k], 1);
        free(wplaced[k]);
    }
    free(o.b);
    free(st.data.b);
    free(st.slot);
    return 0;
}
