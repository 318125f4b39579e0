/* src/gdal through the loader: lazy loading, points, layers, warping. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "core/core.h"
#include "gdal/gdal_api.h"
#include "geo/geo.h"


/* evm_geo_fit with equal margins of `margin` times the size. */
static int fit_margin(evm_geo *g, const double bb[4], int w, int h,
                      double margin, evm_frame *fr, evm_error *err)
{
    evm_fit how = {.width = w, .height = h,
                   .margin = {w * margin, h * margin, w * margin,
                              h * margin}};
    return evm_geo_fit(g, bb, &how, fr, err);
}

static char root[1024];
static const evm_gdal_api *api;

static const char *data(const char *name)
{
    static char buf[4][1200];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/tests/data/%s", root, name);
    return buf[k];
}

struct pts {
    int n, stop_after;
    char name[8][64], country[8][4], kind[8][32];
    double lon[8], lat[8];
};

static int on_point(void *ud, const char *name, double lon, double lat,
                    const char *country, const char *kind)
{
    struct pts *p = ud;
    if (p->n < 8) {
        snprintf(p->name[p->n], 64, "%s", name ? name : "(null)");
        snprintf(p->country[p->n], 4, "%s", country ? country : "");
        snprintf(p->kind[p->n], 32, "%s", kind ? kind : "");
        p->lon[p->n] = lon;
        p->lat[p->n] = lat;
    }
    p->n++;
    return p->stop_after && p->n >= p->stop_after;
}

/* In a child process (before this process touches GDAL): with no module
 * to be found, loading fails cleanly, every time, with EVM_E_LIB. */
static void test_load_failure(void)
{
    char dir[] = "/tmp/evm-nomod-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("EVMAP_DATA", dir, 1);
        evm_error e1 = {0}, e2 = {0};
        const evm_gdal_api *a = evm__gdal(&e1);
        if (a) /* an installed copy was found elsewhere: nothing to test */
            _exit(2);
        int ok = e1.code == EVM_E_LIB && strstr(e1.msg, "evmap-gdal.so") &&
                 !evm__gdal(&e2) && e2.code == EVM_E_LIB &&
                 strcmp(e1.msg, e2.msg) == 0 && !evm__gdal_loaded();
        if (!ok)
            fprintf(stderr, "load failure: %d %s\n", e1.code, e1.msg);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 1,
          "a missing module gives EVM_E_LIB naming evmap-gdal.so");
    rmdir(dir);
}

static void test_load(void)
{
    CHECK(evm__gdal_loaded() == 0, "GDAL is not loaded before first use");
    evm_error err = {0};
    api = evm__gdal(&err);
    CHECK(api != NULL, "module loads: %s", err.msg);
    CHECK(evm__gdal_loaded() == 1, "loaded after first use");
    CHECK(api && api->abi == EVM_GDAL_ABI, "ABI matches");
    CHECK(evm__gdal(&err) == api, "second call returns the same table");
    CHECK(api && api->read_points && api->read_layer && api->free_layer &&
              api->warp_raster,
          "table filled");
}

static void test_points(void)
{
    evm_error err = {0};
    struct pts p = {0};
    CHECK(api->read_points(data("places.geojson"), on_point, &p, &err) ==
              EVM_OK,
          "GeoJSON points: %s", err.msg);
    CHECK(p.n == 3, "3 located features (null geometry skipped): %d", p.n);
    CHECK_STR(p.name[0], "Republic Square", "name");
    CHECK_NEAR(p.lon[0], 76.9452, 1e-9, "lon stays lon");
    CHECK_NEAR(p.lat[0], 43.238, 1e-9, "lat stays lat");
    CHECK_STR(p.country[0], "KZ", "country");
    CHECK_STR(p.kind[0], "square", "kind");
    CHECK_STR(p.name[1], "Алматы", "UTF-8 name");
    CHECK_STR(p.name[2], "Test block", "label when there is no name");
    CHECK_NEAR(p.lon[2], 31, 1e-9, "polygon centroid lon");
    CHECK_NEAR(p.lat[2], 51, 1e-9, "polygon centroid lat");

    memset(&p, 0, sizeof p);
    CHECK(api->read_points(data("places.csv"), on_point, &p, &err) == EVM_OK,
          "CSV points: %s", err.msg);
    CHECK(p.n == 3, "3 CSV rows: %d", p.n);
    CHECK_STR(p.name[1], "Karaganda, central", "quoted CSV field");
    CHECK_NEAR(p.lon[1], 73.1, 1e-9, "longitude column -> lon");
    CHECK_NEAR(p.lat[1], 49.8, 1e-9, "latitude column -> lat");
    CHECK_STR(p.kind[0], "oil field", "CSV kind");
    CHECK_STR(p.name[2], "Алматы", "CSV UTF-8");

    memset(&p, 0, sizeof p);
    p.stop_after = 1;
    CHECK(api->read_points(data("places.csv"), on_point, &p, &err) ==
                  EVM_OK && p.n == 1,
          "callback stops the read");

    memset(&p, 0, sizeof p);
    CHECK(api->read_points(data("wkt.csv"), on_point, &p, &err) == EVM_OK &&
              p.n == 2,
          "CSV with WKT: %s", err.msg);
    CHECK_STR(p.name[1], "Astana", "WKT point name");
    CHECK_NEAR(p.lon[1], 71.4491, 1e-9, "WKT point lon");

    evm_error_clear(&err);
    memset(&p, 0, sizeof p);
    CHECK(api->read_points(data("noloc.csv"), on_point, &p, &err) ==
              EVM_E_INPUT,
          "CSV without coordinates is bad input");
    CHECK(strstr(err.msg, "noloc.csv") && strstr(err.msg, "lon"),
          "message names the file and what is missing: %s", err.msg);
}

static const evm_vfeat *find(const evm_vlayer *l, const char *name,
                             evm_vgeom t)
{
    for (int i = 0; i < l->nfeat; i++)
        if (l->feat[i].name && strcmp(l->feat[i].name, name) == 0 &&
            l->feat[i].type == t)
            return &l->feat[i];
    return NULL;
}

static void check_areas(const evm_vlayer *l, const char *what)
{
    CHECK(l->nfeat == 5, "%s: 5 features (a collection gives 2): %d", what,
          l->nfeat);
    const evm_vfeat *f = find(l, "Block with a hole", EVM_VGEOM_POLYGON);
    CHECK(f != NULL, "%s: polygon found", what);
    if (f) {
        CHECK(f->npart == 2 && f->part[0] == 0 && f->part[1] == 5 &&
                  f->part[2] == 10,
              "%s: exterior and hole rings", what);
        CHECK(f->hole && f->hole[0] == 0 && f->hole[1] == 1,
              "%s: second ring is a hole", what);
        CHECK(f->lon[1] == 80 && f->lat[1] == 40, "%s: lon/lat order", what);
        CHECK_STR(f->label, "State of emergency", "label");
    }
    f = find(l, "Two islands", EVM_VGEOM_POLYGON);
    CHECK(f && f->npart == 2 && f->hole[0] == 0 && f->hole[1] == 0 &&
              f->part[2] == 9,
          "%s: multipolygon: two exterior rings", what);
    f = find(l, "Front line", EVM_VGEOM_LINE);
    CHECK(f && f->npart == 1 && f->part[1] == 3 && f->lat[1] == 48.5 &&
              !f->hole,
          "%s: linestring", what);
    CHECK(find(l, "Mixed", EVM_VGEOM_POINT) && find(l, "Mixed",
                                                    EVM_VGEOM_LINE),
          "%s: collection split by type", what);
    CHECK(l->bbox[0] == 0 && l->bbox[1] == 0 && l->bbox[2] == 80 &&
              l->bbox[3] == 50,
          "%s: bbox", what);
    CHECK(l->npoints == 10 + 9 + 3 + 1 + 2, "%s: point count %ld", what,
          l->npoints);
}

static void test_layers(void)
{
    evm_error err = {0};
    evm_vlayer *l = api->read_layer(data("areas.geojson"), NULL, &err);
    CHECK(l != NULL, "GeoJSON layer: %s", err.msg);
    if (l)
        check_areas(l, "GeoJSON");
    api->free_layer(l);

    l = api->read_layer(data("areas.fgb"), NULL, &err);
    CHECK(l != NULL, "FlatGeobuf layer: %s", err.msg);
    if (l)
        check_areas(l, "FlatGeobuf");
    api->free_layer(l);

    l = api->read_layer(data("areas.geojson"), "areas", &err);
    CHECK(l && l->nfeat == 5, "layer by name: %s", err.msg);
    api->free_layer(l);

    /* reprojection from EPSG:3857 */
    l = api->read_layer(data("square_3857.geojson"), NULL, &err);
    CHECK(l && l->nfeat == 1, "3857 layer: %s", err.msg);
    if (l && l->nfeat == 1) {
        const evm_vfeat *f = &l->feat[0];
        CHECK_NEAR(f->lon[0], 30, 1e-6, "3857 x -> lon");
        CHECK_NEAR(f->lat[0], 50, 1e-6, "3857 y -> lat");
        CHECK_NEAR(f->lon[2], 31, 1e-6, "3857 far corner lon");
        CHECK_NEAR(f->lat[2], 51, 1e-6, "3857 far corner lat");
    }
    api->free_layer(l);

    /* a Shapefile in UTM 43N (.prj) comes back in lon/lat */
    l = api->read_layer(data("block_utm43.shp"), NULL, &err);
    CHECK(l && l->nfeat == 1 && l->feat[0].type == EVM_VGEOM_POLYGON &&
              l->feat[0].npart == 2 && l->feat[0].hole[1] == 1,
          "Shapefile polygon with a hole: %s", err.msg);
    if (l && l->nfeat == 1) {
        CHECK(fabs(l->bbox[0] - 70) < 1e-6 && fabs(l->bbox[1] - 40) < 1e-6 &&
                  fabs(l->bbox[2] - 80) < 1e-6 && fabs(l->bbox[3] - 50) < 1e-6,
              "UTM -> lon/lat: %f %f %f %f", l->bbox[0], l->bbox[1],
              l->bbox[2], l->bbox[3]);
        CHECK_STR(l->feat[0].label, "State of emergency", "DBF label");
    }
    api->free_layer(l);

    l = api->read_layer(data("lines.kml"), NULL, &err);
    CHECK(l && l->nfeat == 1 && l->feat[0].type == EVM_VGEOM_LINE &&
              l->feat[0].part[1] == 3,
          "KML line: %s", err.msg);
    if (l && l->nfeat == 1)
        CHECK_STR(l->feat[0].name, "Front line", "KML name");
    api->free_layer(l);

    l = api->read_layer(data("wkt.csv"), NULL, &err);
    CHECK(l && l->nfeat == 2 && l->feat[0].type == EVM_VGEOM_LINE &&
              l->feat[1].type == EVM_VGEOM_POINT,
          "CSV with WKT: %s", err.msg);
    if (l && l->nfeat == 2)
        CHECK_STR(l->feat[0].label, "Paratroopers", "CSV label");
    api->free_layer(l);

    /* gzip: explicitly through /vsigzip/, and a plain .gz path */
    char vsi[1300];
    snprintf(vsi, sizeof vsi, "/vsigzip/%s", data("places.geojson.gz"));
    l = api->read_layer(vsi, NULL, &err);
    CHECK(l && l->nfeat == 3, "/vsigzip/: %s", err.msg);
    api->free_layer(l);
    l = api->read_layer(data("places.geojson.gz"), NULL, &err);
    CHECK(l && l->nfeat == 3, "plain .gz: %s", err.msg);
    api->free_layer(l);

    /* a driver prefix is not a file name */
    char pre[1300];
    snprintf(pre, sizeof pre, "GeoJSON:%s", data("areas.geojson"));
    l = api->read_layer(pre, NULL, &err);
    CHECK(l && l->nfeat == 5, "GeoJSON: prefix: %s", err.msg);
    api->free_layer(l);

    /* errors */
    evm_error_clear(&err);
    l = api->read_layer(data("areas.geojson"), "nope", &err);
    CHECK(!l && err.code == EVM_E_INPUT && strstr(err.msg, "\"nope\"") &&
              strstr(err.msg, "areas"),
          "unknown layer lists the layers: %s", err.msg);
    evm_error_clear(&err);
    const char *missing = data("no-such-file.geojson");
    l = api->read_layer(missing, NULL, &err);
    CHECK(!l && err.code == EVM_E_IO, "missing file: I/O error (%d)",
          err.code);
    CHECK(strstr(err.msg, missing) != NULL, "message has the path: %s",
          err.msg);
    evm_error_clear(&err);
    CHECK(api->read_points(missing, on_point, NULL, &err) == EVM_E_IO &&
              strstr(err.msg, missing),
          "read_points: missing file: %s", err.msg);
    evm_error_clear(&err);
    l = api->read_layer(data("quadrants.png"), NULL, &err);
    CHECK(!l && err.code == EVM_E_INPUT && strstr(err.msg, "quadrants.png"),
          "a raster is not a vector source: %s", err.msg);
    CHECK(!strchr(err.msg, '\n'), "one line");
    api->free_layer(NULL);
}

static uint32_t px(const unsigned char *buf, int stride, int x, int y)
{
    uint32_t v;
    memcpy(&v, buf + (size_t)y * stride + (size_t)x * 4, 4);
    return v;
}

static void test_warp(void)
{
    evm_error err = {0};
    enum { W = 80, H = 40, S = W * 4 + 16 };
    static unsigned char buf[S * H];
    memset(buf, 0xab, sizeof buf);
    const double world[4] = {-180, -90, 180, 90};
    evm_status st = api->warp_raster(data("quadrants.png"), "EPSG:4326",
                                     world, W, H, buf, S, &err);
    CHECK(st == EVM_OK, "warp to plate carree: %s", err.msg);
    /* pixel (20, 10) is at lon -87.75, lat 42.75: inside the red quadrant */
    CHECK(px(buf, S, 20, 10) == 0xffff0000u, "NW red: %08x",
          px(buf, S, 20, 10));
    CHECK(px(buf, S, 60, 10) == 0xff00ff00u, "NE green: %08x",
          px(buf, S, 60, 10));
    CHECK(px(buf, S, 20, 30) == 0xff0000ffu, "SW blue: %08x",
          px(buf, S, 20, 30));
    CHECK(px(buf, S, 60, 30) == 0x80808080u,
          "SE white at alpha 128, premultiplied: %08x", px(buf, S, 60, 30));
    /* at lon -2.25 red and green blend (bilinear, not nearest) */
    uint32_t m = px(buf, S, 39, 10);
    CHECK(((m >> 16) & 255) > 60 && ((m >> 8) & 255) > 60 && (m >> 24) == 255,
          "bilinear blend at the seam: %08x", m);
    CHECK(buf[W * 4] == 0xab && buf[S - 1] == 0xab, "row padding untouched");

    /* a paletted image with a transparent entry */
    st = api->warp_raster(data("palette.png"), "EPSG:4326", world, W, H, buf,
                          S, &err);
    CHECK(st == EVM_OK, "paletted raster: %s", err.msg);
    CHECK(px(buf, S, 20, 10) == 0xffff0000u && px(buf, S, 20, 30) ==
              0xff0000ffu && px(buf, S, 60, 30) == 0,
          "palette expanded, transparent entry clear: %08x %08x %08x",
          px(buf, S, 20, 10), px(buf, S, 20, 30), px(buf, S, 60, 30));

    /* an azimuthal frame centred in the red quadrant */
    const double ex[4] = {-1e6, -1e6, 1e6, 1e6};
    st = api->warp_raster(data("quadrants.png"),
                          "+proj=laea +lat_0=45 +lon_0=-90 +datum=WGS84", ex,
                          W, H, buf, S, &err);
    CHECK(st == EVM_OK && px(buf, S, W / 2, H / 2) == 0xffff0000u,
          "LAEA frame: red at the centre: %s %08x", err.msg,
          px(buf, S, W / 2, H / 2));

    /* a frame larger than the globe: corners transparent */
    const double big[4] = {-8e6, -8e6, 8e6, 8e6};
    st = api->warp_raster(data("quadrants.png"),
                          "+proj=ortho +lat_0=45 +lon_0=-90 +datum=WGS84",
                          big, W, H, buf, S, &err);
    CHECK(st == EVM_OK, "orthographic frame: %s", err.msg);
    CHECK(px(buf, S, 0, 0) == 0 && px(buf, S, W - 1, H - 1) == 0,
          "off the globe is transparent: %08x", px(buf, S, 0, 0));
    CHECK(px(buf, S, W / 2, H / 2) == 0xffff0000u, "ortho centre red");

    /* Equal Earth's inverse does not fail beyond the +-180 meridians: the
     * margin left and right of the globe must stay clear all the same */
    evm_geo *g = evm_geo_new(NULL, NULL, &err);
    evm_frame fr;
    if (g && fit_margin(g, world, W, H, 0.1, &fr, &err) == 0) {
        const double fx[4] = {fr.x0, fr.y0, fr.x1, fr.y1};
        st = api->warp_raster(data("quadrants.png"), evm_geo_definition(g), fx, W, H, buf,
                              S, &err);
        CHECK(st == EVM_OK, "Equal Earth frame: %s", err.msg);
        double x, y;
        evm_geo_to_px(g, &fr, -179.9, 1, &x, &y);
        CHECK(px(buf, S, (int)x - 2, (int)y) == 0 &&
                  px(buf, S, 1, H / 2) == 0 && px(buf, S, W - 2, H / 2) == 0,
              "beside the globe is clear: %08x %08x",
              px(buf, S, (int)x - 2, (int)y), px(buf, S, 1, H / 2));
        CHECK((px(buf, S, (int)x + 2, (int)y) >> 24) == 255,
              "just inside the globe is drawn: %08x",
              px(buf, S, (int)x + 2, (int)y));
        evm_geo_to_px(g, &fr, -90, 45, &x, &y);
        CHECK(px(buf, S, (int)x, (int)y) == 0xffff0000u, "red at -90,45: %08x",
              px(buf, S, (int)x, (int)y));
    } else {
        CHECK(0, "Equal Earth frame: %s", err.msg);
    }
    evm_geo_free(g);

    /* errors */
    evm_error_clear(&err);
    const char *missing = data("nothing-here.png");
    CHECK(api->warp_raster(missing, "EPSG:4326", world, W, H, buf, S,
                           &err) == EVM_E_IO &&
              strstr(err.msg, missing),
          "missing raster names the path: %s", err.msg);
    evm_error_clear(&err);
    CHECK(api->warp_raster(data("quadrants.png"), "EPSG:99999", world, W, H,
                           buf, S, &err) == EVM_E_INPUT,
          "bad projection: %s", err.msg);
    evm_error_clear(&err);
    CHECK(api->warp_raster(data("quadrants.png"), "EPSG:4326", world, W, H,
                           buf, W * 2, &err) == EVM_E_INPUT,
          "short stride refused");

    /* the same image without its world file is not georeferenced */
    char tmpl[] = "/tmp/evm-gdal-XXXXXX";
    if (mkdtemp(tmpl)) {
        char copy[256], *png = NULL;
        size_t n = 0;
        snprintf(copy, sizeof copy, "%s/plain.png", tmpl);
        evm_error_clear(&err);
        if (evm__read_file(data("quadrants.png"), 1 << 20, &png, &n, &err) ==
            EVM_OK) {
            FILE *f = fopen(copy, "wb");
            if (f) {
                fwrite(png, 1, n, f);
                fclose(f);
            }
            free(png);
            CHECK(api->warp_raster(copy, "EPSG:4326", world, W, H, buf, S,
                                   &err) == EVM_E_INPUT &&
                      strstr(err.msg, "not georeferenced"),
                  "no world file: %s", err.msg);
            remove(copy);
        }
        rmdir(tmpl);
    }
}

/* The shipped relief raster under a Kazakhstan frame. */
static void test_relief(void)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/data/raster/natural_earth_relief.png",
             root);
    if (access(path, R_OK) != 0) {
        CHECK(0, "shipped relief raster missing: %s", path);
        return;
    }
    evm_error err = {0};
    const double kz[4] = {46.5, 40.6, 87.3, 55.4};
    evm_geo *g = evm_geo_new("auto", kz, &err);
    evm_frame fr;
    if (!g || fit_margin(g, kz, 800, 500, 0.05, &fr, &err)) {
        CHECK(0, "frame: %s", err.msg);
        evm_geo_free(g);
        return;
    }
    unsigned char *buf = malloc(800 * 4 * 500);
    if (!buf) {
        evm_geo_free(g);
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const double ex[4] = {fr.x0, fr.y0, fr.x1, fr.y1};
    evm_status st = api->warp_raster(path, evm_geo_definition(g), ex, 800, 500, buf,
                                     800 * 4, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(st == EVM_OK, "relief warps: %s", err.msg);
    int clear = 0;
    for (int y = 0; y < 500; y += 7)
        for (int x = 0; x < 800; x += 7)
            if ((px(buf, 800 * 4, x, y) >> 24) != 255)
                clear++;
    CHECK(clear == 0, "a regional frame is fully covered (%d clear)", clear);
    /* the Caspian Sea (lon 50, lat 42) is water: blue over red */
    double cx, cy;
    if (evm_geo_to_px(g, &fr, 50.5, 42.0, &cx, &cy) == 0) {
        uint32_t v = px(buf, 800 * 4, (int)cx, (int)cy);
        CHECK((v & 255) > ((v >> 16) & 255), "Caspian is blue: %08x", v);
    }
    printf("# relief 800x500 LCC warp: %.1f ms\n",
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    free(buf);
    evm_geo_free(g);
}

int main(void)
{
    const char *r = getenv("EVMAP_ROOT");
    snprintf(root, sizeof root, "%s", r && *r ? r : ".");
    test_load_failure();
    test_load();
    if (!api)
        TEST_REPORT();
    test_points();
    test_layers();
    test_warp();
    test_relief();
    TEST_REPORT();
}
