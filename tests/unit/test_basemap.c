/* The shipped basemap: open, spatial queries (antimeridian included),
 * lookups by name, point in polygon, scale choice, damaged files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "basemap/basemap.h"
#include "basemap/evb.h"
#include "core/core.h"

struct tally {
    long features, points, pieces, with_name;
    const char *want;          /* count features whose name has this */
    int closed_ok, orient_ok;  /* polygons: rings closed, CCW/CW valid */
    double lon_min, lon_max;   /* of all vertices */
};

static int tally(const evm_bm_feature *f, void *ud)
{
    struct tally *t = ud;
    const float *p = f->lonlat;
    t->features++;
    if (f->flags & EVM_BM_F_PIECE)
        t->pieces++;
    if (t->want && strstr(f->name, t->want))
        t->with_name++;
    for (uint32_t k = 0; k < f->nparts; k++) {
        uint32_t n = f->part_len[k];
        if (n >= 4 && (p[0] != p[2 * (n - 1)] || p[1] != p[2 * n - 1]))
            t->closed_ok = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (p[2 * i] < t->lon_min)
                t->lon_min = p[2 * i];
            if (p[2 * i] > t->lon_max)
                t->lon_max = p[2 * i];
        }
        t->points += n;
        p += 2 * (size_t)n;
    }
    return 0;
}

static struct tally query(const evm_basemap *bm, evm_bm_layer layer,
                          evm_bm_scale scale, double x0, double y0,
                          double x1, double y1, const char *want)
{
    struct tally t = {0, 0, 0, 0, want, 1, 1, 1e9, -1e9};
    double b[4] = {x0, y0, x1, y1};
    long n = evm_basemap_query(bm, layer, scale, b, tally, &t);
    CHECK(n == t.features, "query return %ld != visits %ld", n, t.features);
    return t;
}

static int stop_after_one(const evm_bm_feature *f, void *ud)
{
    (void)f;
    (*(int *)ud)++;
    return 1;
}

/* Sum of signed ring areas of a whole polygon: positive when outer rings
 * are counter-clockwise and holes clockwise. */
static double signed_area(const evm_bm_feature *f)
{
    const float *p = f->lonlat;
    double a = 0;
    for (uint32_t k = 0; k < f->nparts; k++) {
        uint32_t n = f->part_len[k];
        for (uint32_t i = 0, j = n - 1; i < n; j = i++)
            a += (double)p[2 * j] * p[2 * i + 1] -
                 (double)p[2 * i] * p[2 * j + 1];
        p += 2 * (size_t)n;
    }
    return a / 2;
}

static char *copy_file(const char *src, const char *dst, long keep,
                       long flip_at)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
    evm_error err;
    evm_error_clear(&err);
    if (evm__read_file(src, (size_t)1 << 30, &buf, &len, &err) != EVM_OK)
        return NULL;
    if (keep >= 0 && (size_t)keep < len)
        len = (size_t)keep;
    if (flip_at >= 0 && (size_t)flip_at < len)
        buf[flip_at] ^= 0x5a;
    f = fopen(dst, "wb");
    if (f) {
        fwrite(buf, 1, len, f);
        fclose(f);
    }
    free(buf);
    return f ? evm__strdup(dst) : NULL;
}

static int touch_all(const evm_bm_feature *f, void *ud)
{
    const float *p = f->lonlat;
    double *sum = ud;
    for (uint32_t k = 0; k < f->nparts; k++)
        for (uint32_t i = 0; i < f->part_len[k]; i++, p += 2)
            *sum += p[0] + p[1];
    *sum += strlen(f->name) + strlen(f->name_en);
    return 0;
}

static void put_at(FILE *f, uint64_t off, const void *p, size_t n)
{
    fseek(f, (long)off, SEEK_SET);
    fwrite(p, 1, n, f);
}

/* Restores tmp's header from the intact file, then damages feature
 * records and name entries behind it: the header still checks out, so
 * the damage must be caught at access time. */
static int scribble_body(const char *good, const char *tmp)
{
    struct evb_header h;
    FILE *g = fopen(good, "rb"), *f = fopen(tmp, "r+b");
    int ok = g && f && fread(&h, sizeof h, 1, g) == 1;
    const struct evb_layer *ls[4];

    if (!ok)
        goto done;
    put_at(f, 0, &h, sizeof h);
    ls[0] = &h.layers[EVM_BM_LAND][EVM_BM_10M];
    ls[1] = &h.layers[EVM_BM_BORDERS][EVM_BM_110M];
    ls[2] = &h.layers[EVM_BM_CITIES][EVM_BM_10M];
    ls[3] = &h.whole[EVB_WHOLE_COUNTRIES];
    for (int k = 0; k < 4; k++) {
        uint32_t n = ls[k]->nfeat;
        uint32_t pick[4] = {0, 1, n / 2, n - 1};
        for (int j = 0; j < 4; j++) {
            struct evb_feat e;
            uint64_t off = ls[k]->feat_off + (uint64_t)pick[j] * sizeof e;
            fseek(g, (long)off, SEEK_SET);
            if (fread(&e, sizeof e, 1, g) != 1)
                continue;
            switch (j) {
            case 0: e.parts_off = UINT64_MAX - 3; e.name = UINT32_MAX;
                    break;
            case 1: e.nparts = UINT32_MAX; e.coords_off += 2; break;
            case 2: e.npoints += 1000000; e.name_en = 0x7fffffff; break;
            default: e.coords_off = h.file_size - 8; break;
            }
            put_at(f, off, &e, sizeof e);
        }
    }
    for (uint32_t i = 0; i < h.nnames; i += h.nnames / 7 + 1) {
        struct evb_name e;
        uint64_t off = h.names_off + (uint64_t)i * sizeof e;
        fseek(g, (long)off, SEEK_SET);
        if (fread(&e, sizeof e, 1, g) != 1)
            continue;
        if (i % 2)
            e.feat = UINT32_MAX;
        else
            e.key = UINT32_MAX;
        put_at(f, off, &e, sizeof e);
    }
done:
    if (g)
        fclose(g);
    if (f && fclose(f) != 0)
        ok = 0;
    return ok;
}

static void test_damaged(const char *path)
{
    char tmp[256];
    const char *dir = getenv("TMPD") ? getenv("TMPD") : "/tmp";
    evm_error err;
    evm_basemap *bm;
    char *p;

    snprintf(tmp, sizeof tmp, "%s/bm_damaged_%ld.evb", dir, (long)getpid());
    /* truncated to half */
    p = copy_file(path, tmp, 20000, -1);
    CHECK(p != NULL, "copy for truncation");
    evm_error_clear(&err);
    bm = evm_basemap_open(tmp, &err);
    CHECK(bm == NULL && err.code == EVM_E_INPUT, "truncated file rejected "
          "(code %d: %s)", err.code, err.msg);
    CHECK(strstr(err.msg, "truncated") != NULL, "message says truncated: %s",
          err.msg);
    evm_basemap_close(bm);
    free(p);
    /* a byte of the header's layer table flipped */
    p = copy_file(path, tmp, -1, 200);
    evm_error_clear(&err);
    bm = evm_basemap_open(tmp, &err);
    CHECK(bm == NULL && err.code == EVM_E_INPUT, "corrupted header "
          "rejected (code %d)", err.code);
    evm_basemap_close(bm);
    free(p);
    /* damaged records behind a valid header: skipped, never a crash */
    CHECK(scribble_body(path, tmp), "damage the body");
    evm_error_clear(&err);
    bm = evm_basemap_open(tmp, &err);
    CHECK(bm != NULL, "header intact: opens (%s)", err.msg);
    if (bm) {
        double world[4] = {-180, -90, 180, 90}, sum = 0;
        long all = 0, good = 0;
        evm_bm_feature f;
        for (int l = 0; l < EVM_BM_LAYER_COUNT; l++)
            for (int sc = 0; sc < 3; sc++)
                all += evm_basemap_query(bm, (evm_bm_layer)l,
                                         (evm_bm_scale)sc, world, touch_all,
                                         &sum);
        evm_basemap_close(bm);
        bm = evm_basemap_open(path, &err);
        for (int l = 0; bm && l < EVM_BM_LAYER_COUNT; l++)
            for (int sc = 0; sc < 3; sc++)
                good += evm_basemap_query(bm, (evm_bm_layer)l,
                                          (evm_bm_scale)sc, world, NULL,
                                          NULL);
        CHECK(all > 0 && all < good, "damaged features skipped (%ld of %ld"
              " visited)", all, good);
        evm_basemap_close(bm);
        bm = evm_basemap_open(tmp, &err);
        for (int i = 0; bm && i < 4; i++) {
            static const char *const q[] = {"Kazakhstan", "Almaty Region",
                                            "KZ", "Russia"};
            if (evm_basemap_find_polygon(bm, i == 1 ? EVM_BM_ADMIN1
                                                    : EVM_BM_COUNTRIES,
                                         q[i], &f) == 0)
                touch_all(&f, &sum);
        }
        evm_basemap_close(bm);
        bm = NULL;
    }
    /* shorter than a header, and not a basemap at all */
    p = copy_file(path, tmp, 10, -1);
    evm_error_clear(&err);
    bm = evm_basemap_open(tmp, &err);
    CHECK(bm == NULL && err.code == EVM_E_INPUT, "tiny file rejected");
    evm_basemap_close(bm);
    free(p);
    p = copy_file(path, tmp, 20000, 0);
    evm_error_clear(&err);
    bm = evm_basemap_open(tmp, &err);
    CHECK(bm == NULL && err.code == EVM_E_INPUT, "bad magic rejected");
    evm_basemap_close(bm);
    free(p);
    unlink(tmp);
    evm_error_clear(&err);
    bm = evm_basemap_open("/nonexistent/basemap.evb", &err);
    CHECK(bm == NULL && err.code == EVM_E_IO, "missing file: EVM_E_IO");
}

/* Border lines at 10m around a box: how many lie wholly inside it, and
 * how many carry the disputed flag. */
struct inside {
    double b[4];
    int inside, disputed;
};

static int inside_fn(const evm_bm_feature *f, void *ud)
{
    struct inside *c = ud;
    c->disputed += !!(f->flags & EVM_BM_F_DISPUTED);
    const float *ll = f->lonlat;
    size_t n = 0;
    for (uint32_t p = 0; p < f->nparts; p++)
        n += f->part_len[p];
    int in = n > 0;
    for (size_t i = 0; i < n && in; i++)
        in = ll[2 * i] > c->b[0] && ll[2 * i] < c->b[2] &&
             ll[2 * i + 1] > c->b[1] && ll[2 * i + 1] < c->b[3];
    c->inside += in;
    return 0;
}

/* Lease and overlay limits are not borders: Baikonur's, a ring inside
 * Kazakhstan, is not in the layer (it drew a stray circle); the line of
 * control in Kashmir is, flagged to be drawn dashed. */
static void test_border_kinds(const evm_basemap *bm)
{
    struct inside c = {{62.0, 45.0, 64.5, 47.0}, 0, 0};
    evm_basemap_query(bm, EVM_BM_BORDERS, EVM_BM_10M, c.b, inside_fn, &c);
    CHECK(c.inside == 0, "no border line wholly inside the Baikonur box "
          "(%d)", c.inside);
    struct inside k = {{73.0, 32.0, 78.0, 36.0}, 0, 0};
    evm_basemap_query(bm, EVM_BM_BORDERS, EVM_BM_10M, k.b, inside_fn, &k);
    CHECK(k.disputed > 0, "Kashmir has disputed lines (%d)", k.disputed);
    struct inside f = {{0.0, 44.0, 8.0, 51.0}, 0, 0};
    evm_basemap_query(bm, EVM_BM_BORDERS, EVM_BM_10M, f.b, inside_fn, &f);
    CHECK(f.disputed == 0, "France's eastern borders are settled (%d)",
          f.disputed);
}

/* No country polygon steps across the antimeridian: world-atlas kept
 * Russia, Fiji and Antarctica whole, and the tiles cut from them drew
 * bands across the map. (Tiles themselves cannot show it: a step is cut
 * into pieces no wider than a tile.) Antarctica closes along the pole. */
static int jumps_fn(const evm_bm_feature *f, void *ud)
{
    long *jumps = ud;
    const float *ll = f->lonlat;
    for (uint32_t p = 0; p < f->nparts; p++) {
        for (uint32_t i = 1; i < f->part_len[p]; i++)
            /* an edge along the pole is not a step across the map */
            *jumps += fabs(ll[2 * i] - ll[2 * i - 2]) > 180 &&
                      !(fabs(ll[2 * i + 1]) > 89.99 &&
                        fabs(ll[2 * i - 1]) > 89.99);
        ll += 2 * (size_t)f->part_len[p];
    }
    return 0;
}

static void test_no_antimeridian_jumps(const evm_basemap *bm)
{
    static const char *const names[] = {"Russia", "Fiji", "Antarctica",
                                        "United States of America",
                                        "New Zealand", "Kiribati"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        evm_bm_feature f;
        long jumps = 0;
        int found = evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, names[i],
                                             &f) == 0;
        if (found)
            jumps_fn(&f, &jumps);
        CHECK(found && jumps == 0, "%s's whole polygon is cut at 180 (%s, "
              "%ld steps across)", names[i], found ? "found" : "missing",
              jumps);
    }
}

/* An area is the polygon of the place its name resolved to: given the
 * point, the feature of that name that holds it. "Moscow" the city is the
 * city (the oblast around it has the city as a hole), "Kyiv Oblast" the
 * oblast (not Kyiv city), "Almaty" the city. */
static void test_polygon_at(const evm_basemap *bm)
{
    static const struct {
        const char *name;
        double lon, lat;
    } c[] = {{"Moscow", 37.61781, 55.75204},
             {"Moscow", 38.5, 55.2},          /* a point of the oblast */
             {"Kyiv Oblast", 31.0214, 50.0894},
             {"Kiev", 30.5234, 50.45},
             {"Almaty", 76.91667, 43.25},
             {"Tashkent", 69.21627, 41.26465}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        evm_bm_feature f;
        double pt[2] = {c[i].lon, c[i].lat};
        int ok = evm_basemap_find_polygon_at(bm, EVM_BM_ADMIN1, c[i].name, pt,
                                             &f) == 0;
        CHECK(ok && evm_basemap_contains(&f, c[i].lon, c[i].lat),
              "%s at %g, %g: the polygon found (%s) holds the point",
              c[i].name, c[i].lon, c[i].lat, ok ? f.name : "none");
        ok = evm_basemap_find_area_at(bm, c[i].name, pt, &f) == 0;
        CHECK(ok && evm_basemap_contains(&f, c[i].lon, c[i].lat),
              "area %s at %g, %g: the polygon found (%s) holds the point",
              c[i].name, c[i].lon, c[i].lat, ok ? f.name : "none");
    }
    /* a country is still a country */
    evm_bm_feature f;
    double kz[2] = {66.9, 48.0};
    CHECK(evm_basemap_find_area_at(bm, "Kazakhstan", kz, &f) == 0 &&
          !strcmp(f.iso_a2, "KZ") && f.bbox[2] - f.bbox[0] > 30,
          "area Kazakhstan is the country");
}

/* Polygons by the gazetteer's ids: Natural Earth's ADM0_A3 and
 * adm1_code, never a name. */
static void test_by_id(const evm_basemap *bm)
{
    evm_bm_feature f;
    evm_bm_layer layer = EVM_BM_LAND;
    CHECK(evm_basemap_find_id(bm, EVM_BM_ADMIN1, "UKR-321", &f) == 0 &&
          !strcmp(f.code, "UA-32") && !strcmp(f.id, "UKR-321") &&
          !evm_basemap_contains(&f, 30.5238, 50.45466) &&
          evm_basemap_contains(&f, 30.2, 50.6),
          "UKR-321 is Kyiv Oblast, with Kyiv city a hole in it");
    CHECK(evm_basemap_find_id(bm, EVM_BM_ADMIN1, "UKR-4826", &f) == 0 &&
          !strcmp(f.code, "UA-30") &&
          evm_basemap_contains(&f, 30.5238, 50.45466) &&
          f.bbox[2] - f.bbox[0] < 1,
          "UKR-4826 is Kyiv city");
    CHECK(evm_basemap_place_polygon(bm, "ne:RUS-2365", &f, &layer) == 0 &&
          layer == EVM_BM_ADMIN1 && !strcmp(f.code, "RU-MOS") &&
          evm_basemap_contains(&f, 37.61781, 55.75204),
          "ne:RUS-2365 is the federal city of Moscow");
    CHECK(evm_basemap_place_polygon(bm, "ne:KAZ", &f, &layer) == 0 &&
          layer == EVM_BM_COUNTRIES && !strcmp(f.iso_a2, "KZ") &&
          !strcmp(f.code, "KZ"), "ne:KAZ is Kazakhstan");
    CHECK(evm_basemap_place_polygon(bm, "ne:FRA", &f, &layer) == 0 &&
          layer == EVM_BM_COUNTRIES && evm_basemap_contains(&f, 2.35, 48.86),
          "ne:FRA is France");
    CHECK(evm_basemap_place_polygon(bm, "geonames:703448", &f, NULL) != 0 &&
          evm_basemap_place_polygon(bm, "ne:", &f, NULL) != 0 &&
          evm_basemap_place_polygon(bm, "ne:Kazakhstan", &f, NULL) != 0 &&
          evm_basemap_place_polygon(bm, NULL, &f, NULL) != 0 &&
          evm_basemap_find_id(bm, EVM_BM_CITIES, "KAZ", &f) != 0,
          "a town, an empty id, a name and a point layer have no polygon");
}

int main(void)
{
    evm_error err;
    evm_basemap *bm;
    char *path = evm_data_path("basemap.evb");
    evm_bm_feature kz, almaty_reg, almaty_city, f;
    struct tally t;

    CHECK(path != NULL, "basemap.evb found through evm_data_path");
    if (!path)
        TEST_REPORT();
    evm_error_clear(&err);
    bm = evm_basemap_open(path, &err);
    CHECK(bm != NULL, "open: %s", err.msg);
    if (!bm) {
        free(path);
        TEST_REPORT();
    }

    test_border_kinds(bm);
    test_polygon_at(bm);
    test_by_id(bm);
    test_no_antimeridian_jumps(bm);

    /* borders of Kazakhstan in its bbox, not in South America's */
    t = query(bm, EVM_BM_BORDERS, EVM_BM_10M, 46.5, 40.5, 87.4, 55.5,
              "Kazakhstan");
    CHECK(t.with_name >= 5, "KZ bbox has Kazakhstan's borders (%ld)",
          t.with_name);
    CHECK(t.lon_min > 30 && t.lon_max < 100, "KZ border pieces stay near "
          "the bbox (%.1f..%.1f)", t.lon_min, t.lon_max);
    t = query(bm, EVM_BM_BORDERS, EVM_BM_10M, -75, -35, -55, -10,
              "Kazakhstan");
    CHECK(t.features > 0 && t.with_name == 0, "South America: %ld borders, "
          "%ld of Kazakhstan", t.features, t.with_name);
    t = query(bm, EVM_BM_BORDERS, EVM_BM_10M, -75, -35, -55, -10, "Chile");
    CHECK(t.with_name > 0, "South America bbox has Chile's borders");

    /* land of the Kazakhstan extent comes in tiles, not whole Eurasia */
    t = query(bm, EVM_BM_LAND, EVM_BM_10M, 45, 39, 88, 56, NULL);
    CHECK(t.features > 0 && t.pieces > 0, "KZ land: %ld pieces",
          t.pieces);
    CHECK(t.points < 200000, "KZ land vertices bounded (%ld)", t.points);
    CHECK(t.lon_min >= 40 - 1e-3 && t.lon_max <= 95, "land pieces near "
          "KZ (%.2f..%.2f)", t.lon_min, t.lon_max);
    CHECK(t.closed_ok, "land rings closed");

    /* antimeridian: Fiji / Chukotka side both appear, the middle not */
    t = query(bm, EVM_BM_LAND, EVM_BM_50M, 170, 60, -170, 70, NULL);
    CHECK(t.features > 0 && t.lon_min < -170 && t.lon_max > 170,
          "antimeridian box finds land on both sides (%.1f..%.1f)",
          t.lon_min, t.lon_max);
    CHECK(t.lon_min < -179 || t.lon_max > 179, "crossing pieces touch it");
    {
        struct tally a = query(bm, EVM_BM_CITIES, EVM_BM_10M, 175, -20,
                               -175, -15, "Suva");
        struct tally b = query(bm, EVM_BM_CITIES, EVM_BM_10M, 175, -20,
                               185, -15, "Suva");
        struct tally c = query(bm, EVM_BM_CITIES, EVM_BM_10M, -5, -20,
                               5, -15, "Suva");
        CHECK(a.with_name == 1, "Suva found across the antimeridian");
        CHECK(b.with_name == 1 && b.features == a.features,
              "lon > 180 wraps like lon_min > lon_max (%ld vs %ld)",
              b.features, a.features);
        CHECK(c.with_name == 0, "Suva not near Greenwich");
    }
    t = query(bm, EVM_BM_COUNTRIES, EVM_BM_110M, -180, -90, 180, 90, NULL);
    {
        struct tally w = query(bm, EVM_BM_COUNTRIES, EVM_BM_110M, -720, -90,
                               720, 90, NULL);
        CHECK(t.features > 150 && w.features == t.features, "world query: "
              "%ld features, wide box %ld", t.features, w.features);
    }
    {
        int n = 0;
        double b[4] = {-180, -90, 180, 90};
        long r = evm_basemap_query(bm, EVM_BM_CITIES, EVM_BM_10M, b,
                                   stop_after_one, &n);
        CHECK(r == 1 && n == 1, "visitor stops the query");
        b[0] = NAN;
        CHECK(evm_basemap_query(bm, EVM_BM_CITIES, EVM_BM_10M, b,
                                stop_after_one, &n) == 0, "NaN bbox: none");
        b[0] = -180;
        CHECK(evm_basemap_query(bm, EVM_BM_ADMIN1, EVM_BM_110M, b, NULL,
                                NULL) == 0, "no admin-1 at 110m");
        CHECK(evm_basemap_query(bm, EVM_BM_ADMIN1_LINES, EVM_BM_10M, b,
                                NULL, NULL) > 1000, "admin-1 lines at 10m");
    }
    t = query(bm, EVM_BM_ADMIN1_LINES, EVM_BM_10M, 45, 39, 88, 56, NULL);
    CHECK(t.features > 10, "admin-1 lines in KZ (%ld)", t.features);

    /* find_polygon by name, ISO codes and Russian name */
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "Kazakhstan",
                                   &kz) == 0, "find Kazakhstan");
    CHECK_STR(kz.iso_a2, "KZ", "Kazakhstan iso");
    CHECK(!(kz.flags & EVM_BM_F_PIECE), "found polygon is whole");
    CHECK(kz.bbox[0] < 47 && kz.bbox[2] > 87 && kz.bbox[1] < 41 &&
          kz.bbox[3] > 55, "KZ polygon covers the whole country");
    CHECK(signed_area(&kz) > 0, "outer rings counter-clockwise");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "kz", &f) == 0 &&
          f.lonlat == kz.lonlat, "find by ISO A2, any case");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "KAZ", &f) == 0 &&
          f.lonlat == kz.lonlat, "find by ISO A3");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "Казахстан",
                                   &f) == 0 && f.lonlat == kz.lonlat,
          "find by Russian name");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "КАЗАХСТАН",
                                   &f) == 0 && f.lonlat == kz.lonlat,
          "Cyrillic case-insensitive");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "Republic of "
                                   "Kazakhstan", &f) == 0 &&
          f.lonlat == kz.lonlat, "formal name");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "France", &f) == 0
          && strcmp(f.iso_a2, "FR") == 0, "France has its ISO code");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "Atlantis",
                                   &f) != 0, "unknown country: -1");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_CITIES, "Almaty", &f) != 0,
          "find_polygon rejects point layers");

    /* Almaty is in KZ, in Almaty Region (the oblast around the city) and
     * in Almaty City; not in Russia */
    CHECK(evm_basemap_contains(&kz, 76.9167, 43.25), "Almaty inside KZ");
    CHECK(!evm_basemap_contains(&kz, 37.62, 55.75), "Moscow not in KZ");
    CHECK(evm_basemap_contains(&kz, 63.3, 45.6), "Baikonur folded into KZ");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Almaty Region",
                                   &almaty_reg) == 0, "find Almaty Region");
    CHECK(!(almaty_reg.flags & EVM_BM_F_CITY), "Almaty Region is the "
          "oblast, not the city");
    CHECK_STR(almaty_reg.iso_a2, "KZ", "Almaty Region country");
    CHECK(evm_basemap_contains(&almaty_reg, 77.5, 44.5),
          "a point of the oblast inside Almaty Region");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Almaty City",
                                   &almaty_city) == 0 &&
          (almaty_city.flags & EVM_BM_F_CITY), "Almaty City is the city");
    CHECK(evm_basemap_contains(&almaty_city, 76.9167, 43.25),
          "Almaty inside Almaty City");
    CHECK(!evm_basemap_contains(&almaty_reg, 76.9167, 43.25) ||
          !evm_basemap_contains(&almaty_city, 77.5, 44.5),
          "city and oblast are different polygons");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Almaty Oblast",
                                   &f) == 0 && f.lonlat == almaty_reg.lonlat,
          "Almaty Oblast = Almaty Region");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "KZ-ALA", &f) == 0,
          "admin-1 by ISO 3166-2");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Kharkiv Oblast",
                                   &f) == 0 && strcmp(f.iso_a2, "UA") == 0,
          "Kharkiv Oblast in UA");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Karaganda Region",
                                   &f) == 0 && strcmp(f.iso_a2, "KZ") == 0 &&
          evm_basemap_contains(&f, 73.1, 49.8), "Karaganda Region (name_en)"
          " holds Karaganda");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Almaty, Kazakhstan",
                                   &f) == 0 && strcmp(f.iso_a2, "KZ") == 0,
          "country qualifier");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "Nowhere Oblast",
                                   &f) != 0, "unknown region: -1");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "", &f) != 0,
          "empty name: -1");
    CHECK(evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, "\xff\xfe", &f) != 0,
          "invalid UTF-8: -1");

    /* a region is covered by its tiled pieces in the query layer too */
    {
        struct tally p = query(bm, EVM_BM_ADMIN1, EVM_BM_10M, 76.9, 43.2,
                               76.95, 43.3, "Almaty");
        CHECK(p.with_name >= 1, "query finds Almaty admin-1 (%ld)",
              p.with_name);
    }

    /* scale thresholds */
    CHECK(evm_basemap_pick_scale(43, 1600) == EVM_BM_10M, "KZ: 10m");
    CHECK(evm_basemap_pick_scale(1, 1600) == EVM_BM_10M, "city: 10m");
    CHECK(evm_basemap_pick_scale(64, 1600) == EVM_BM_10M, "0.04/px: 10m");
    CHECK(evm_basemap_pick_scale(65, 1600) == EVM_BM_50M, "65 deg: 50m");
    CHECK(evm_basemap_pick_scale(240, 1600) == EVM_BM_50M, "240: 50m");
    CHECK(evm_basemap_pick_scale(360, 1600) == EVM_BM_110M, "world: 110m");
    CHECK(evm_basemap_pick_scale(360, 4000) == EVM_BM_50M,
          "world, 4000 px: 50m");
    CHECK(evm_basemap_pick_scale(360, 0) == EVM_BM_110M, "default width");
    CHECK(evm_basemap_pick_scale(NAN, 1600) == EVM_BM_10M, "NaN: 10m");

    test_damaged(path);
    evm_basemap_close(bm);
    evm_basemap_close(NULL);
    free(path);
    TEST_REPORT();
}
