/* Reader of basemap.evb: mmap, header checks, R-tree queries, name
 * lookup. Nothing is parsed or copied at open; every access is bounds
 * checked against the mapping so a damaged file cannot crash a query. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "basemap/basemap.h"
#include "basemap/evb.h"
#include "core/core.h"

struct evm_basemap {
    const unsigned char *base;
    size_t size;
    const struct evb_header *h;
    const char *strings;
    uint64_t strings_size;
    const struct evb_name *names;
    uint32_t nnames;
};

/* A layer ready for traversal. */
struct qlayer {
    const struct evb_feat *feat;
    uint32_t nfeat;
    const float *tree;               /* internal nodes, root first */
    int nlevels;
    uint32_t count[EVB_MAX_LEVELS];  /* nodes per level */
    uint64_t start[EVB_MAX_LEVELS];  /* first node of each level */
};

static int range_ok(size_t size, uint64_t off, uint64_t n, uint64_t elem,
                    uint64_t align)
{
    if (off % align != 0 || off > size)
        return 0;
    if (elem && n > (size - off) / elem)
        return 0;
    return 1;
}

static int check_layer(const evm_basemap *bm, const struct evb_layer *l)
{
    uint32_t count[EVB_MAX_LEVELS];
    uint64_t nnodes;

    if (l->geom > EVB_GEOM_POLYGON)
        return 0;
    if (l->nfeat == 0)
        return 1;
    if (l->geom == EVB_GEOM_NONE)
        return 0;
    if (!range_ok(bm->size, l->feat_off, l->nfeat, sizeof(struct evb_feat),
                  8))
        return 0;
    if (evm__evb_levels(l->nfeat, count, &nnodes) < 0)
        return 0;
    return range_ok(bm->size, l->tree_off, nnodes, 4 * sizeof(float), 4);
}

evm_basemap *evm_basemap_open(const char *path, evm_error *err)
{
    evm_basemap *bm = NULL;
    char *found = NULL;
    struct stat st;
    struct evb_header hc;
    int fd = -1;
    void *map = MAP_FAILED;

    if (!path) {
        found = evm_data_path("basemap.evb");
        if (!found && errno == ENOMEM) {
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return NULL;
        }
        if (!found) {
            evm_error_set(err, EVM_E_IO, "basemap.evb: not found (set "
                          "EVMAP_DATA to the directory holding it)");
            return NULL;
        }
        path = found;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        evm_error_set(err, EVM_E_IO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size <
        sizeof(struct evb_header)) {
        evm_error_set(err, EVM_E_INPUT, "%s: not a basemap file (too "
                      "short); rebuild it with `make`", path);
        goto fail;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        evm_error_set(err, EVM_E_IO, "%s: mmap: %s", path, strerror(errno));
        goto fail;
    }
    close(fd);
    fd = -1;
    bm = evm__calloc(1, sizeof *bm);
    if (!bm) {
        evm_error_set(err, EVM_E_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    bm->base = map;
    bm->size = (size_t)st.st_size;
    bm->h = map;
    memcpy(&hc, map, sizeof hc);
    if (memcmp(hc.magic, EVB_MAGIC, 8) != 0 || hc.endian != EVB_ENDIAN ||
        hc.version != EVB_VERSION) {
        evm_error_set(err, EVM_E_INPUT, "%s: not a basemap file of this "
                      "version or byte order; rebuild it with `make`", path);
        goto fail;
    }
    if (hc.file_size != (uint64_t)st.st_size) {
        evm_error_set(err, EVM_E_INPUT, "%s: truncated or damaged basemap "
                      "(%lld bytes, header says %llu); rebuild it with "
                      "`make`", path, (long long)st.st_size,
                      (unsigned long long)hc.file_size);
        goto fail;
    }
    {
        uint32_t want = hc.crc;
        hc.crc = 0;
        if (crc32(0L, (const Bytef *)&hc, sizeof hc) != want ||
            hc.nlayers != EVM_BM_LAYER_COUNT || hc.nscales != EVB_NSCALES) {
            evm_error_set(err, EVM_E_INPUT, "%s: damaged basemap header "
                          "(checksum); rebuild it with `make`", path);
            goto fail;
        }
    }
    if (!range_ok(bm->size, hc.strings_off, hc.strings_size, 1, 1) ||
        hc.strings_size == 0 ||
        bm->base[hc.strings_off + hc.strings_size - 1] != '\0' ||
        bm->base[hc.strings_off] != '\0' ||
        !range_ok(bm->size, hc.names_off, hc.nnames,
                  sizeof(struct evb_name), 4)) {
        evm_error_set(err, EVM_E_INPUT, "%s: damaged basemap (string or "
                      "name table out of bounds); rebuild it with `make`",
                      path);
        goto fail;
    }
    for (int l = 0; l < EVM_BM_LAYER_COUNT; l++)
        for (int s = 0; s < EVB_NSCALES; s++)
            if (!check_layer(bm, &hc.layers[l][s])) {
                evm_error_set(err, EVM_E_INPUT, "%s: damaged basemap "
                              "(layer %d scale %d out of bounds); rebuild "
                              "it with `make`", path, l, s);
                goto fail;
            }
    for (int k = 0; k < EVB_NWHOLE; k++)
        if (!check_layer(bm, &hc.whole[k])) {
            evm_error_set(err, EVM_E_INPUT, "%s: damaged basemap (whole "
                          "layer %d out of bounds); rebuild it with `make`",
                          path, k);
            goto fail;
        }
    bm->strings = (const char *)bm->base + hc.strings_off;
    bm->strings_size = hc.strings_size;
    bm->names = (const struct evb_name *)(bm->base + hc.names_off);
    bm->nnames = hc.nnames;
    free(found);
    return bm;
fail:
    if (fd >= 0)
        close(fd);
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    free(bm);
    free(found);
    return NULL;
}

void evm_basemap_close(evm_basemap *bm)
{
    if (!bm)
        return;
    munmap((void *)bm->base, bm->size);
    free(bm);
}

static const char *str_at(const evm_basemap *bm, uint32_t off)
{
    /* the table ends in NUL, so any in-range offset is a C string */
    return off < bm->strings_size ? bm->strings + off : "";
}

static int qlayer_init(const evm_basemap *bm, const struct evb_layer *l,
                       struct qlayer *q)
{
    uint64_t nnodes, at = 0;

    memset(q, 0, sizeof *q);
    if (l->nfeat == 0)
        return -1;
    q->nlevels = evm__evb_levels(l->nfeat, q->count, &nnodes);
    if (q->nlevels <= 0)
        return -1;
    for (int i = 0; i < q->nlevels; i++) {
        q->start[i] = at;
        at += q->count[i];
    }
    q->feat = (const struct evb_feat *)(bm->base + l->feat_off);
    q->nfeat = l->nfeat;
    q->tree = (const float *)(bm->base + l->tree_off);
    return 0;
}

/* Fills out from a stored feature. -1 if its geometry is out of bounds. */
static int load_feat(const evm_basemap *bm, const struct evb_feat *sf,
                     evm_bm_feature *out)
{
    const uint32_t *parts;
    uint64_t sum = 0;

    if (!range_ok(bm->size, sf->parts_off, sf->nparts, sizeof(uint32_t), 4)
        || !range_ok(bm->size, sf->coords_off, sf->npoints,
                     2 * sizeof(float), 4))
        return -1;
    parts = (const uint32_t *)(bm->base + sf->parts_off);
    for (uint32_t i = 0; i < sf->nparts; i++)
        sum += parts[i];
    if (sum != sf->npoints)
        return -1;
    out->name = str_at(bm, sf->name);
    out->name_en = str_at(bm, sf->name_en);
    out->id = str_at(bm, sf->id);
    out->code = str_at(bm, sf->code);
    memcpy(out->iso_a2, sf->iso, 2);
    out->iso_a2[2] = '\0';
    out->rank = sf->rank;
    out->population = (long)sf->pop;
    out->flags = sf->flags;
    for (int i = 0; i < 4; i++)
        out->bbox[i] = sf->bbox[i];
    out->nparts = sf->nparts;
    out->part_len = parts;
    out->lonlat = (const float *)(bm->base + sf->coords_off);
    return 0;
}

static int box_hit(const float b[4], const double q[4])
{
    return b[0] <= q[2] && b[2] >= q[0] && b[1] <= q[3] && b[3] >= q[1];
}

/* Visits features of q intersecting box (and, if skip is set, not
 * intersecting skip). Returns visited count; *stop set when fn asks. */
static long walk(const evm_basemap *bm, const struct qlayer *q,
                 const double box[4], const double *skip, evm_bm_visit fn,
                 void *ud, int *stop)
{
    struct { int level; uint32_t node; } st[EVB_MAX_LEVELS * EVB_NODE + 1];
    int sp = 0;
    long n = 0;

    st[sp].level = 0;
    st[sp].node = 0;
    sp++;
    while (sp > 0 && !*stop) {
        int level;
        uint32_t node, first, last, below;
        sp--;
        level = st[sp].level;
        node = st[sp].node;
        if (!box_hit(q->tree + 4 * (q->start[level] + node), box))
            continue;
        below = level + 1 < q->nlevels ? q->count[level + 1] : q->nfeat;
        first = node * EVB_NODE;
        last = first + EVB_NODE < below ? first + EVB_NODE : below;
        if (level + 1 < q->nlevels) {
            /* push in reverse so children are visited in file order */
            for (uint32_t c = last; c > first; c--) {
                st[sp].level = level + 1;
                st[sp].node = c - 1;
                sp++;
            }
            continue;
        }
        for (uint32_t i = first; i < last; i++) {
            const struct evb_feat *sf = &q->feat[i];
            evm_bm_feature f;
            if (!box_hit(sf->bbox, box) || (skip && box_hit(sf->bbox, skip)))
                continue;
            if (load_feat(bm, sf, &f) != 0)
                continue;
            n++;
            if (fn && fn(&f, ud)) {
                *stop = 1;
                break;
            }
        }
    }
    return n;
}

/* A longitude into -180..180; 180 itself stays (a box's east edge). */
static double wrap_lon(double x)
{
    return x >= -180.0 && x <= 180.0 ? x : evm__wrap180(x);
}

long evm_basemap_query(const evm_basemap *bm, evm_bm_layer layer,
                       evm_bm_scale scale, const double bbox[4],
                       evm_bm_visit fn, void *ud)
{
    struct qlayer q;
    double a[4], b[4];
    int two = 0, stop = 0;
    long n;

    if (!bm || !bbox || (int)layer < 0 || layer >= EVM_BM_LAYER_COUNT ||
        (int)scale < 0 || scale >= EVB_NSCALES)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isfinite(bbox[i]))
            return 0;
    if (qlayer_init(bm, &bm->h->layers[layer][scale], &q) != 0)
        return 0;
    a[1] = bbox[1] < -90.0 ? -90.0 : bbox[1];
    a[3] = bbox[3] > 90.0 ? 90.0 : bbox[3];
    if (a[1] > a[3])
        return 0;
    b[1] = a[1];
    b[3] = a[3];
    if (bbox[0] <= bbox[2] && bbox[2] - bbox[0] >= 360.0) {
        a[0] = -180.0;
        a[2] = 180.0;
    } else if (bbox[0] <= bbox[2]) {
        double w = bbox[2] - bbox[0];
        a[0] = wrap_lon(bbox[0]);
        if (a[0] == 180.0)
            a[0] = -180.0;
        a[2] = a[0] + w;
        if (a[2] > 180.0) {
            two = 1;
            b[0] = -180.0;
            b[2] = a[2] - 360.0;
            a[2] = 180.0;
        }
    } else {
        /* crossing the antimeridian: [lon_min, 180] and [-180, lon_max] */
        two = 1;
        a[0] = wrap_lon(bbox[0]);
        a[2] = 180.0;
        b[0] = -180.0;
        b[2] = wrap_lon(bbox[2]);
    }
    n = walk(bm, &q, a, NULL, fn, ud, &stop);
    if (two && !stop)
        n += walk(bm, &q, b, a, fn, ud, &stop);
    return n;
}

int evm_basemap_contains(const evm_bm_feature *f, double lon, double lat)
{
    const float *p;
    int inside = 0;

    if (!f || !f->lonlat || f->nparts == 0)
        return 0;
    if (lon < f->bbox[0] || lon > f->bbox[2] || lat < f->bbox[1] ||
        lat > f->bbox[3])
        return 0;
    p = f->lonlat;
    for (uint32_t k = 0; k < f->nparts; k++) {
        uint32_t n = f->part_len[k];
        for (uint32_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1];
            double xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > lat) != (yj > lat) &&
                lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                inside = !inside;
        }
        p += 2 * (size_t)n;
    }
    return inside;
}

evm_bm_scale evm_basemap_pick_scale(double span_deg, int width_px)
{
    double d;

    if (!isfinite(span_deg) || span_deg <= 0.0)
        return EVM_BM_10M;
    if (width_px <= 0)
        width_px = 1600;
    if (span_deg > 360.0)
        span_deg = 360.0;
    d = span_deg / width_px;
    if (d <= 0.04)
        return EVM_BM_10M;
    if (d <= 0.15)
        return EVM_BM_50M;
    return EVM_BM_110M;
}

/* ------------------------------------------------------------ names */

/* First index of kind/key in the sorted name table, or nnames. */
static uint32_t name_lower(const evm_basemap *bm, int kind, const char *key)
{
    uint32_t lo = 0, hi = bm->nnames;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct evb_name *e = &bm->names[mid];
        int c = (int)e->kind - kind;
        if (c == 0)
            c = strcmp(str_at(bm, e->key), key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct best {
    long score;
    uint32_t feat;
    int found;
    int has_pt;       /* prefer the features that contain (lon, lat) */
    double lon, lat;
};

/* The whole-polygon layer of a public layer name; -1 for one without. */
static int whole_kind(evm_bm_layer layer)
{
    return layer == EVM_BM_COUNTRIES ? EVB_WHOLE_COUNTRIES
           : layer == EVM_BM_ADMIN1  ? EVB_WHOLE_ADMIN1
                                     : -1;
}

/* Scores every entry named key: lower is better. want_city: -1 no type
 * word given, 0 region word, 1 city word. */
static void consider(const evm_basemap *bm, int kind, const char *key,
                     int penalty, int want_city, const char *iso,
                     struct best *b)
{
    const struct evb_layer *l = &bm->h->whole[kind];
    const struct evb_feat *feat = (const struct evb_feat *)(bm->base +
                                                            l->feat_off);
    for (uint32_t i = name_lower(bm, kind, key); i < bm->nnames; i++) {
        const struct evb_name *e = &bm->names[i];
        const struct evb_feat *sf;
        long score;
        if (e->kind != kind || strcmp(str_at(bm, e->key), key) != 0)
            break;
        if (e->feat >= l->nfeat)
            continue;
        sf = &feat[e->feat];
        if (iso && strncmp(sf->iso, iso, 2) != 0)
            continue;
        score = (long)e->tier * 10 + penalty;
        if (want_city >= 0 && (!!(sf->flags & EVM_BM_F_CITY)) != want_city)
            score += 100;
        score = score * 1000 + (sf->rank < 0 ? 0 : sf->rank > 999 ? 999
                                : sf->rank);
        if (b->has_pt) {
            /* the polygon of the place a name resolved to: one that holds
             * its point first ("Moscow" the city is not the oblast
             * around it, whose ring has the city as a hole) */
            evm_bm_feature g;
            if (load_feat(bm, sf, &g) != 0 ||
                !evm_basemap_contains(&g, b->lon, b->lat))
                score += 100000000L;
        }
        if (!b->found || score < b->score ||
            (score == b->score && e->feat < b->feat)) {
            b->found = 1;
            b->score = score;
            b->feat = e->feat;
        }
    }
}

static int lookup(const evm_basemap *bm, int kind, const char *name,
                  const char *iso, const double *pt, uint32_t *feat)
{
    char key[512];
    struct best b = {0, 0, 0, pt != NULL, pt ? pt[0] : 0, pt ? pt[1] : 0};
    int is_city = -1, cut;

    if (evm__bm_norm(name, key, sizeof key) <= 0)
        return -1;
    cut = kind == EVB_WHOLE_ADMIN1 ? evm__bm_strip_type(key, &is_city) : -1;
    if (cut > 0) {
        /* "Almaty Region": the type word may be part of the name or not,
         * and decides between a city and the region of the same name */
        consider(bm, kind, key, 0, is_city, iso, &b);
        key[cut] = '\0';
        consider(bm, kind, key, 5, is_city, iso, &b);
    } else {
        consider(bm, kind, key, 0, -1, iso, &b);
    }
    if (!b.found)
        return -1;
    *feat = b.feat;
    return 0;
}

int evm_basemap_find_polygon(const evm_basemap *bm, evm_bm_layer layer,
                             const char *name, evm_bm_feature *out)
{
    return evm_basemap_find_polygon_at(bm, layer, name, NULL, out);
}

int evm_basemap_find_polygon_at(const evm_basemap *bm, evm_bm_layer layer,
                                const char *name, const double *lonlat,
                                evm_bm_feature *out)
{
    const struct evb_layer *l;
    const char *comma;
    char iso[3] = "";
    char head[512];
    uint32_t fi;
    int kind;

    if (!bm || !name || !out || (kind = whole_kind(layer)) < 0)
        return -1;
    l = &bm->h->whole[kind];
    if (l->nfeat == 0)
        return -1;
    if (lookup(bm, kind, name, NULL, lonlat, &fi) != 0) {
        /* "Almaty Region, Kazakhstan": a country qualifier */
        size_t hl;
        const struct evb_feat *cf;
        uint32_t ci;
        comma = strrchr(name, ',');
        if (!comma || kind != EVB_WHOLE_ADMIN1)
            return -1;
        hl = (size_t)(comma - name);
        if (hl >= sizeof head ||
            lookup(bm, EVB_WHOLE_COUNTRIES, comma + 1, NULL, NULL, &ci) != 0 ||
            ci >= bm->h->whole[EVB_WHOLE_COUNTRIES].nfeat)
            return -1;
        cf = (const struct evb_feat *)(bm->base +
                                       bm->h->whole[EVB_WHOLE_COUNTRIES]
                                       .feat_off) + ci;
        memcpy(iso, cf->iso, 2);
        memcpy(head, name, hl);
        head[hl] = '\0';
        if (!iso[0] || lookup(bm, kind, head, iso, lonlat, &fi) != 0)
            return -1;
    }
    if (fi >= l->nfeat)
        return -1;
    return load_feat(bm, (const struct evb_feat *)(bm->base + l->feat_off) +
                     fi, out);
}

/* Contract in basemap.h. */
int evm_basemap_find_area(const evm_basemap *bm, const char *name,
                          evm_bm_feature *out)
{
    return evm_basemap_find_area_at(bm, name, NULL, out);
}

/* Contract in basemap.h. */
int evm_basemap_find_area_at(const evm_basemap *bm, const char *name,
                             const double *lonlat, evm_bm_feature *out)
{
    evm_bm_feature c, a;
    if (!bm || !name)
        return -1;
    int hc = evm_basemap_find_polygon_at(bm, EVM_BM_COUNTRIES, name, lonlat,
                                         &c) == 0;
    if (hc && (!lonlat || evm_basemap_contains(&c, lonlat[0], lonlat[1]))) {
        *out = c;
        return 0;
    }
    int ha = evm_basemap_find_polygon_at(bm, EVM_BM_ADMIN1, name, lonlat,
                                         &a) == 0;
    /* the region that holds the point before a country that does not */
    if (ha && (!hc || evm_basemap_contains(&a, lonlat[0], lonlat[1]))) {
        *out = a;
        return 0;
    }
    if (!hc)
        return -1;
    *out = c;
    return 0;
}

/* Contract in basemap.h. */
int evm_basemap_type_word(const char *name)
{
    char key[512];
    int is_city = -1;
    if (!name || evm__bm_norm(name, key, sizeof key) <= 0 ||
        evm__bm_strip_type(key, &is_city) < 0)
        return -1;
    return is_city;
}

/* Contract in basemap.h. A scan of the whole layer: 4,596 admin-1
 * regions are compared in microseconds, and a map has a handful of
 * areas, so no index is stored for it. */
int evm_basemap_find_id(const evm_basemap *bm, evm_bm_layer layer,
                        const char *id, evm_bm_feature *out)
{
    int kind;
    if (!bm || !id || !*id || !out || (kind = whole_kind(layer)) < 0)
        return -1;
    const struct evb_layer *l = &bm->h->whole[kind];
    const struct evb_feat *feat = (const struct evb_feat *)(bm->base +
                                                            l->feat_off);
    for (uint32_t i = 0; i < l->nfeat; i++)
        if (strcmp(str_at(bm, feat[i].id), id) == 0)
            return load_feat(bm, &feat[i], out);
    return -1;
}

/* Contract in basemap.h. */
int evm_basemap_place_polygon(const evm_basemap *bm, const char *place_id,
                              evm_bm_feature *out, evm_bm_layer *layer)
{
    static const evm_bm_layer order[] = {EVM_BM_COUNTRIES, EVM_BM_ADMIN1};
    if (!place_id || strncmp(place_id, "ne:", 3) != 0)
        return -1;
    /* ADM0_A3 codes are three letters, adm1_codes "UKR-321": the two
     * never collide, so the first layer that has the id is the one */
    for (int i = 0; i < 2; i++)
        if (evm_basemap_find_id(bm, order[i], place_id + 3, out) == 0) {
            if (layer)
                *layer = order[i];
            return 0;
        }
    return -1;
}
