/* src/geo: projection choice, transforms, fitting, geodesics, splitting. */
#include <math.h>
#include <string.h>

#include <geodesic.h>
#include <proj.h>

#include "harness.h"
#include "core/core.h"
#include "geo/geo.h"

static const double ALMATY[2] = {76.8512, 43.2220};
static const double MOSCOW[2] = {37.6173, 55.7558};

/* evm_geo_fit with equal margins of `margin` times the size. */
static int fit_margin(evm_geo *g, const double bb[4], int w, int h,
                      double margin, evm_frame *fr, evm_error *err)
{
    evm_fit how = {.width = w, .height = h,
                   .margin = {w * margin, h * margin, w * margin,
                              h * margin}};
    return evm_geo_fit(g, bb, &how, fr, err);
}

/* The auto definition chosen for a bbox (copied; "" on failure). */
static void auto_def(const double bbox[4], char *out, size_t n)
{
    evm_error err = {0};
    evm_geo *g = evm_geo_new("auto", bbox, &err);
    CHECK(g != NULL, "auto projection for bbox: %s", err.msg);
    snprintf(out, n, "%s", g ? evm_geo_definition(g) : "");
    evm_geo_free(g);
}

static void test_auto_choice(void)
{
    char d[256], d2[256];
    /* a city: azimuthal, centred on it */
    const double city[4] = {76.80, 43.10, 77.10, 43.40};
    auto_def(city, d, sizeof d);
    CHECK(strncmp(d, "+proj=laea ", 11) == 0, "city -> laea: %s", d);
    CHECK(strstr(d, "+lat_0=43.25 ") && strstr(d, "+lon_0=76.95 "),
          "city: centred on the bbox: %s", d);
    auto_def(city, d2, sizeof d2);
    CHECK_STR(d2, d, "auto choice is deterministic");

    /* Kazakhstan: wide east-west -> conic, parallels at 1/6 and 5/6 */
    const double kz[4] = {46.5, 40.6, 87.3, 55.4};
    auto_def(kz, d, sizeof d);
    CHECK(strncmp(d, "+proj=lcc ", 10) == 0, "Kazakhstan -> lcc: %s", d);
    CHECK(strstr(d, "+lat_1=43.066667 ") && strstr(d, "+lat_2=52.933333 "),
          "Kazakhstan: standard parallels: %s", d);
    CHECK(strstr(d, "+lon_0=66.9 ") != NULL, "Kazakhstan: lon_0: %s", d);

    /* a movement from Moscow to Almaty */
    const double ru[4] = {MOSCOW[0], ALMATY[1], ALMATY[0], MOSCOW[1]};
    auto_def(ru, d, sizeof d);
    CHECK(strncmp(d, "+proj=lcc ", 10) == 0, "Moscow->Almaty -> lcc: %s", d);

    /* the world */
    const double world[4] = {-180, -90, 180, 90};
    auto_def(world, d, sizeof d);
    CHECK(strncmp(d, "+proj=eqearth +lon_0=0 ", 23) == 0,
          "world -> Equal Earth: %s", d);
    auto_def(NULL, d2, sizeof d2);
    CHECK_STR(d2, d, "no bbox is the world");

    /* Svalbard: polar */
    const double sv[4] = {10, 76, 34, 81};
    auto_def(sv, d, sizeof d);
    CHECK(strncmp(d, "+proj=laea +lat_0=90 ", 21) == 0, "polar: %s", d);

    /* Bering strait, given across the antimeridian */
    const double ber[4] = {170, 55, -160, 70};
    auto_def(ber, d, sizeof d);
    CHECK(strstr(d, "+lon_0=-175 ") != NULL,
          "antimeridian bbox centred at -175: %s", d);

    /* wide across the equator: no degenerate cone */
    const double eq[4] = {95, -10, 140, 8};
    auto_def(eq, d, sizeof d);
    CHECK(strncmp(d, "+proj=eqearth ", 14) == 0, "equatorial belt: %s", d);
}

static void test_axis_order(void)
{
    evm_error err = {0};
    double x = 30, y = 50;
    evm_geo *g = evm_geo_new("EPSG:3857", NULL, &err);
    CHECK(g != NULL, "EPSG:3857: %s", err.msg);
    if (g) {
        CHECK(evm_geo_fwd(g, &x, &y, 1) == 0, "3857 projects lon 30 lat 50");
        CHECK_NEAR(x, 3339584.7238, 0.01, "3857 easting of lon 30");
        CHECK_NEAR(y, 6446275.8410, 0.01, "3857 northing of lat 50");
        CHECK(!evm_geo_is_geographic(g), "3857 is projected");
    }
    evm_geo_free(g);

    g = evm_geo_new("EPSG:4326", NULL, &err);
    CHECK(g != NULL, "EPSG:4326 target: %s", err.msg);
    if (g) {
        x = 30, y = 50;
        CHECK(evm_geo_fwd(g, &x, &y, 1) == 0, "4326 -> 4326");
        CHECK_NEAR(x, 30, 1e-12, "4326 keeps x = lon");
        CHECK_NEAR(y, 50, 1e-12, "4326 keeps y = lat");
        CHECK(evm_geo_is_geographic(g), "4326 is geographic");
    }
    evm_geo_free(g);

    /* a LAEA centred on (30, 50): the centre maps to the origin, a point
     * east of it to x > 0, one north of it to y > 0 */
    g = evm_geo_new("+proj=laea +lat_0=50 +lon_0=30 +datum=WGS84", NULL,
                    &err);
    CHECK(g != NULL, "PROJ string without +type=crs: %s", err.msg);
    if (g) {
        double xs[3] = {30, 31, 30}, ys[3] = {50, 50, 51};
        CHECK(evm_geo_fwd(g, xs, ys, 3) == 0, "laea projects");
        CHECK(fabs(xs[0]) < 1e-6 && fabs(ys[0]) < 1e-6, "centre -> 0,0");
        CHECK(xs[1] > 60000 && fabs(ys[1]) < 1000, "east -> +x: %f %f",
              xs[1], ys[1]);
        CHECK(ys[2] > 100000 && fabs(xs[2]) < 1e-6, "north -> +y: %f %f",
              xs[2], ys[2]);
    }
    evm_geo_free(g);
}

static void test_roundtrip(void)
{
    evm_error err = {0};
    const double kz[4] = {46.5, 40.6, 87.3, 55.4};
    const char *defs[] = {"auto", "EPSG:3857", "ESRI:54030", "EPSG:32643",
                          "+proj=eqearth +lon_0=60"};
    for (size_t k = 0; k < sizeof defs / sizeof *defs; k++) {
        evm_geo *g = evm_geo_new(defs[k], kz, &err);
        CHECK(g != NULL, "%s: %s", defs[k], err.msg);
        if (!g)
            continue;
        double lon[20], lat[20], x[20], y[20];
        for (int i = 0; i < 20; i++) {
            lon[i] = x[i] = 47 + i * 2.1;
            lat[i] = y[i] = 41 + i * 0.7;
        }
        CHECK(evm_geo_fwd(g, x, y, 20) == 0, "%s: fwd", defs[k]);
        CHECK(fabs(x[3] - lon[3]) > 1000, "%s: fwd changed the points",
              defs[k]);
        CHECK(evm_geo_inv(g, x, y, 20) == 0, "%s: inv", defs[k]);
        double worst = 0;
        for (int i = 0; i < 20; i++)
            worst = fmax(worst, fmax(fabs(x[i] - lon[i]),
                                     fabs(y[i] - lat[i])));
        CHECK(worst < 1e-6, "%s: round trip error %g deg", defs[k], worst);
        evm_geo_free(g);
    }

    /* points outside the domain fail one by one, the rest go through */
    evm_geo *g = evm_geo_new("+proj=ortho +lat_0=45 +lon_0=70", NULL, &err);
    CHECK(g != NULL, "ortho: %s", err.msg);
    if (g) {
        double x[3] = {70, -110, NAN}, y[3] = {45, -45, 10};
        CHECK(evm_geo_fwd(g, x, y, 3) == 2, "two of three fail");
        CHECK(x[0] != HUGE_VAL && x[1] == HUGE_VAL && y[1] == HUGE_VAL &&
                  x[2] == HUGE_VAL,
              "failures are HUGE_VAL");
    }
    evm_geo_free(g);
}

static void test_bad(void)
{
    const char *bad[] = {"EPSG:99999", "+proj=foo", "garbage", "EPSG:4978",
                         "+proj=merc +lat_ts=100", "ESRI:1"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        evm_error err = {0};
        evm_geo *g = evm_geo_new(bad[k], NULL, &err);
        CHECK(g == NULL, "%s is refused", bad[k]);
        CHECK(err.code == EVM_E_INPUT, "%s: EVM_E_INPUT (got %d)", bad[k],
              err.code);
        char want[128];
        snprintf(want, sizeof want, "projection \"%s\": ", bad[k]);
        CHECK(strncmp(err.msg, want, strlen(want)) == 0 &&
                  strlen(err.msg) > strlen(want) + 3,
              "%s: message: %s", bad[k], err.msg);
        CHECK(!strchr(err.msg, '\n'), "one line");
        evm_geo_free(g);
    }
    evm_error err = {0};
    evm_geo_new("EPSG:99999", NULL, &err);
    CHECK(strstr(err.msg, "not found") != NULL, "PROJ's reason: %s",
          err.msg);
    evm_error_clear(&err);
    const double badbox[4] = {10, 95, 20, 40};
    CHECK(evm_geo_new(NULL, badbox, &err) == NULL &&
              err.code == EVM_E_INPUT,
          "invalid bbox refused: %s", err.msg);
}

/* Every edge sample of bbox lies inside the frame's inner area. */
static void check_fit(const char *def, const double bb[4], int w, int h,
                      double margin)
{
    evm_error err = {0};
    evm_frame fr;
    evm_geo *g = evm_geo_new(def, bb, &err);
    CHECK(g != NULL, "%s: %s", def, err.msg);
    if (!g)
        return;
    CHECK(fit_margin(g, bb, w, h, margin, &fr, &err) == 0, "%s fit: %s",
          def, err.msg);
    CHECK_NEAR((fr.x1 - fr.x0) / (fr.y1 - fr.y0), (double)w / h, 1e-9,
               "frame aspect");
    CHECK_NEAR((fr.x1 - fr.x0) * fr.scale, w, 1e-6, "scale is px per unit");
    CHECK(fr.width == w && fr.height == h, "size kept");
    double lo = bb[0], span = bb[2] - bb[0];
    if (span < 0)
        span += 360;
    double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
    int outside = 0;
    for (int i = 0; i <= 200; i++) {
        double t = i / 200.0, pts[4][2] = {
            {lo + t * span, bb[1]}, {lo + t * span, bb[3]},
            {lo, bb[1] + t * (bb[3] - bb[1])},
            {lo + span, bb[1] + t * (bb[3] - bb[1])}};
        for (int k = 0; k < 4; k++) {
            double px, py;
            if (evm_geo_to_px(g, &fr, pts[k][0], pts[k][1], &px, &py))
                continue;
            minx = fmin(minx, px), maxx = fmax(maxx, px);
            miny = fmin(miny, py), maxy = fmax(maxy, py);
            if (px < w * margin - 1 || px > w * (1 - margin) + 1 ||
                py < h * margin - 1 || py > h * (1 - margin) + 1)
                outside++;
        }
    }
    CHECK(outside == 0, "%s: %d edge points outside the inner frame", def,
          outside);
    /* tight: the data touches the margin on one axis */
    double fx = (maxx - minx) / (w * (1 - 2 * margin));
    double fy = (maxy - miny) / (h * (1 - 2 * margin));
    CHECK(fmax(fx, fy) > 0.99 && fmax(fx, fy) < 1.01,
          "%s: fit is tight (%.3f, %.3f)", def, fx, fy);
    /* north is up at the centre */
    double px1, py1, px2, py2, clon = lo + span / 2,
                               clat = (bb[1] + bb[3]) / 2;
    evm_geo_to_px(g, &fr, clon, clat, &px1, &py1);
    evm_geo_to_px(g, &fr, clon, clat + 0.1, &px2, &py2);
    CHECK(py2 < py1, "%s: y grows downwards", def);
    evm_geo_free(g);
}

static void test_fit(void)
{
    const double kz[4] = {46.5, 40.6, 87.3, 55.4};
    const double city[4] = {76.80, 43.10, 77.10, 43.40};
    const double world[4] = {-180, -90, 180, 90};
    const double ber[4] = {170, 55, -160, 70};
    check_fit("auto", kz, 1600, 1000, 0.05);
    check_fit("auto", kz, 600, 1000, 0.08);
    check_fit("auto", city, 800, 800, 0.1);
    check_fit("auto", world, 1600, 1000, 0.02);
    check_fit("auto", ber, 1000, 700, 0.05);
    check_fit("EPSG:3857", kz, 1600, 1000, 0.05);
    check_fit("EPSG:4326", kz, 1600, 1000, 0.05);

    evm_error err = {0};
    evm_frame fr;
    evm_geo *g = evm_geo_new("EPSG:4326", world, &err);
    if (g) {
        CHECK(fit_margin(g, world, 1000, 500, 0, &fr, &err) == 0, "fit");
        CHECK_NEAR(fr.scale, 1000.0 / 360, 1e-9, "plate carree px/deg");
        double px, py;
        evm_geo_to_px(g, &fr, 0, 0, &px, &py);
        CHECK_NEAR(px, 500, 1e-9, "lon 0 in the middle");
        CHECK_NEAR(py, 250, 1e-9, "lat 0 in the middle");
        evm_geo_to_px(g, &fr, 30, 50, &px, &py);
        CHECK_NEAR(px, 500 + 30 * 1000.0 / 360, 1e-9, "lon 30 -> x");
        CHECK_NEAR(py, 250 - 50 * 1000.0 / 360, 1e-9, "lat 50 -> y");
        double lon, lat;
        CHECK(evm_geo_from_px(g, &fr, px, py, &lon, &lat) == 0 &&
                  fabs(lon - 30) < 1e-9 && fabs(lat - 50) < 1e-9,
              "from_px inverts to_px");
        CHECK(fit_margin(g, world, 0, 500, 0, &fr, &err) == -1 &&
                  err.code == EVM_E_INPUT,
              "zero width refused");
    }
    evm_geo_free(g);

    /* points outside the box (a map's events) are fitted in too */
    const double pts_lon[2] = {60, 95}, pts_lat[2] = {45, 58};
    evm_error_clear(&err);
    g = evm_geo_new(NULL, kz, &err);
    CHECK(g != NULL, "kz projection: %s", err.msg);
    if (g) {
        evm_fit how = {.width = 800, .height = 600,
                       .margin = {40, 60, 40, 80},
                       .lon = pts_lon, .lat = pts_lat, .n = 2};
        CHECK(evm_geo_fit(g, kz, &how, &fr, &err) == 0, "fit: %s",
              err.msg);
        double px, py;
        CHECK(evm_geo_to_px(g, &fr, 95, 58, &px, &py) == 0 &&
                  px <= 760 + 1e-6 && py >= 60 - 1e-6,
              "a point past the box's corner is inside: %f %f", px, py);
        /* the inner box is centred between unequal margins */
        double cx, cy;
        evm_geo_to_px(g, &fr, 46.5, 40.6, &cx, &cy);
        CHECK(cx >= 40 - 1e-6 && cy <= 520 + 1e-6,
              "south-west corner above the bottom margin: %f %f", cx, cy);
        evm_frame f2;
        how.shrink = 0.5;
        CHECK(evm_geo_fit(g, kz, &how, &f2, &err) == 0 &&
                  fabs(f2.scale - fr.scale / 2) < 1e-12 * fr.scale,
              "shrink halves the scale");
        how.margin[0] = -1;
        CHECK(evm_geo_fit(g, kz, &how, &f2, &err) == -1 &&
                  err.code == EVM_E_INPUT,
              "a negative margin is refused");
    }
    evm_geo_free(g);

    /* WKT input fits like the code it stands for */
    PJ_CONTEXT *c = proj_context_create();
    PJ *crs = proj_create(c, "EPSG:3857");
    const char *wkt = crs ? proj_as_wkt(c, crs, PJ_WKT2_2019, NULL) : NULL;
    CHECK(wkt && strlen(wkt) > 255, "WKT is long");
    if (wkt) {
        evm_error_clear(&err);
        g = evm_geo_new(wkt, kz, &err);
        evm_geo *g2 = evm_geo_new("EPSG:3857", kz, &err);
        evm_frame f2;
        CHECK(g && g2 && fit_margin(g, kz, 800, 600, 0.05, &fr, &err) == 0 &&
                  fit_margin(g2, kz, 800, 600, 0.05, &f2, &err) == 0 &&
                  fabs(fr.x0 - f2.x0) < 1e-3 && fabs(fr.y1 - f2.y1) < 1e-3 &&
                  fabs(fr.scale - f2.scale) < 1e-9 * f2.scale,
              "WKT frame as EPSG:3857's: %s", err.msg);
        evm_geo_free(g2);
        evm_geo_free(g);
    }
    proj_destroy(crs);
    proj_context_destroy(c);
}

static void test_geodesics(void)
{
    enum { N = 65 };
    double lon[N], lat[N];
    evm_geo_great_circle(MOSCOW[0], MOSCOW[1], ALMATY[0], ALMATY[1], N, lon,
                         lat);
    CHECK(lon[0] == MOSCOW[0] && lat[0] == MOSCOW[1], "starts at Moscow");
    CHECK(lon[N - 1] == ALMATY[0] && lat[N - 1] == ALMATY[1],
          "ends exactly at Almaty");
    struct geod_geodesic gd;
    double s12, azi1, azi2, mlat, mlon;
    geod_init(&gd, 6378137, 1 / 298.257223563);
    geod_inverse(&gd, MOSCOW[1], MOSCOW[0], ALMATY[1], ALMATY[0], &s12, &azi1,
                 &azi2);
    geod_direct(&gd, MOSCOW[1], MOSCOW[0], azi1, s12 / 2, &mlat, &mlon, NULL);
    CHECK_NEAR(lon[N / 2], mlon, 1e-9, "midpoint lon matches geod_direct");
    CHECK_NEAR(lat[N / 2], mlat, 1e-9, "midpoint lat matches geod_direct");
    /* a great circle bulges poleward of the straight lon/lat line */
    CHECK(lat[N / 2] > (MOSCOW[1] + ALMATY[1]) / 2, "bulges north");
    /* evenly spaced */
    double d1 = evm_geo_distance_m(lon[0], lat[0], lon[1], lat[1]);
    double d2 = evm_geo_distance_m(lon[40], lat[40], lon[41], lat[41]);
    CHECK_NEAR(d1, d2, 1e-3, "equal steps");

    double d = evm_geo_distance_m(ALMATY[0], ALMATY[1], MOSCOW[0], MOSCOW[1]);
    CHECK(fabs(d - 3100e3) < 31e3, "Almaty-Moscow ~3,100 km: %.0f m", d);
    double hav = evm__distance_km(ALMATY[1], ALMATY[0], MOSCOW[1],
                                  MOSCOW[0]) * 1000;
    CHECK(fabs(d - hav) / hav < 0.005, "ellipsoid vs sphere: %.0f %.0f", d,
          hav);
    CHECK(evm_geo_distance_m(10, 10, 10, 10) == 0, "zero distance");
    CHECK(isnan(evm_geo_distance_m(NAN, 0, 0, 0)), "NaN in, NaN out");
    /* one degree of latitude at the equator: 110,574 m */
    CHECK_NEAR(evm_geo_distance_m(0, 0, 0, 1), 110574.4, 1, "1 deg lat");

    /* Tokyo -> San Francisco crosses the antimeridian: continuous lons */
    double tl[N], ta[N];
    evm_geo_great_circle(139.69, 35.69, -122.42, 37.77, N, tl, ta);
    int jumps = 0;
    for (int i = 1; i < N; i++)
        if (fabs(tl[i] - tl[i - 1]) > 10)
            jumps++;
    CHECK(jumps == 0, "no jump across the antimeridian");
    CHECK_NEAR(tl[N - 1], -122.42 + 360, 1e-9, "ends at lon2 + 360");
    CHECK(ta[N / 2] > 45, "route arcs north over the Pacific: %f",
          ta[N / 2]);
}

static void test_ground_scale(void)
{
    evm_error err = {0};
    evm_frame fr;
    /* Mercator: true scale at latitude phi is cos(phi) of the nominal */
    const double bb[4] = {20, 58, 40, 62};
    evm_geo *g = evm_geo_new("EPSG:3857", bb, &err);
    if (g && fit_margin(g, bb, 1000, 800, 0.05, &fr, &err) == 0) {
        double lon, lat;
        evm_geo_from_px(g, &fr, 500, 400, &lon, &lat);
        double want = (1 / fr.scale) * cos(lat * M_PI / 180);
        double got = evm_geo_ground_m_per_px(g, &fr);
        CHECK(fabs(got - want) / want < 0.01, "Mercator at %.1f: %f vs %f",
              lat, got, want);
    } else {
        CHECK(0, "3857 frame: %s", err.msg);
    }
    evm_geo_free(g);

    /* LAEA is true to scale at its centre */
    g = evm_geo_new("auto", bb, &err);
    if (g && fit_margin(g, bb, 1000, 800, 0.05, &fr, &err) == 0) {
        double got = evm_geo_ground_m_per_px(g, &fr);
        CHECK(fabs(got * fr.scale - 1) < 0.005, "LAEA centre: %f m/px vs %f",
              got, 1 / fr.scale);
    } else {
        CHECK(0, "laea frame: %s", err.msg);
    }
    evm_geo_free(g);

    /* plate carree: metres per pixel, not degrees */
    g = evm_geo_new("EPSG:4326", bb, &err);
    if (g && fit_margin(g, bb, 1000, 800, 0.05, &fr, &err) == 0) {
        double got = evm_geo_ground_m_per_px(g, &fr);
        double want = 111320 * cos(60 * M_PI / 180) / fr.scale;
        CHECK(fabs(got - want) / want < 0.01, "4326 at 60N: %f vs %f", got,
              want);
    }
    evm_geo_free(g);
}

static int split(const double *lon, const double *lat, int n, double *ol,
                 double *oa, int *st, int *np)
{
    return evm_geo_split_antimeridian(lon, lat, n, ol, oa, st, np);
}

static void test_split(void)
{
    double ol[30], oa[30];
    int st[10], np;
    const double l1[2] = {170, 190}, a1[2] = {60, 62};
    int k = split(l1, a1, 2, ol, oa, st, &np);
    CHECK(k == 2 && np == 4, "170->190 splits in two: %d parts %d pts", k,
          np);
    if (k == 2 && np == 4) {
        CHECK(ol[0] == 170 && oa[0] == 60, "part 1 starts at the start");
        CHECK(ol[1] == 180 && oa[1] == 61, "part 1 ends at +180, lat 61");
        CHECK(st[1] == 2 && ol[2] == -180 && oa[2] == 61,
              "part 2 starts at -180, same lat");
        CHECK(ol[3] == -170 && oa[3] == 62, "part 2 ends at -170");
    }
    /* the same line given wrapped */
    const double l2[2] = {170, -170};
    k = split(l2, a1, 2, ol, oa, st, &np);
    CHECK(k == 2 && np == 4 && ol[1] == 180 && ol[2] == -180 &&
              ol[3] == -170,
          "wrapped input splits the same");
    /* westward */
    const double l3[2] = {-170, 170}, a3[2] = {0, 2};
    k = split(l3, a3, 2, ol, oa, st, &np);
    CHECK(k == 2 && ol[1] == -180 && oa[1] == 1 && ol[2] == 180 &&
              ol[3] == 170,
          "westward: -180 then +180");
    /* no crossing: unchanged */
    const double l4[3] = {10, 20, 30}, a4[3] = {1, 2, 3};
    k = split(l4, a4, 3, ol, oa, st, &np);
    CHECK(k == 1 && np == 3 && ol[2] == 30 && oa[2] == 3, "no crossing");
    /* a vertex on the antimeridian: no empty part, no interpolation */
    const double l5[3] = {170, 180, 190}, a5[3] = {10, 10, 10};
    k = split(l5, a5, 3, ol, oa, st, &np);
    CHECK(k == 2 && np == 4 && ol[1] == 180 && ol[2] == -180 &&
              ol[3] == -170,
          "vertex on the line: %d parts, %d pts", k, np);
    const double l6[2] = {180, -170};
    k = split(l6, a5, 2, ol, oa, st, &np);
    CHECK(k == 1 && np == 2 && ol[0] == -180 && ol[1] == -170,
          "starting on the line goes with its side");
    /* a densified great circle: every longitude in range, parts short */
    enum { N = 33 };
    double gl[N], ga[N], bl[3 * N], ba[3 * N];
    int bs[N];
    evm_geo_great_circle(139.69, 35.69, -122.42, 37.77, N, gl, ga);
    k = split(gl, ga, N, bl, ba, bs, &np);
    CHECK(k == 2 && np == N + 2, "Tokyo-SF: 2 parts (%d), %d points", k, np);
    int bad = 0;
    for (int i = 0; i < np; i++)
        if (bl[i] < -180 || bl[i] > 180)
            bad++;
    CHECK(bad == 0, "all longitudes within +-180");
    if (k == 2)
        CHECK(bl[bs[1] - 1] == 180 && bl[bs[1]] == -180 &&
                  ba[bs[1] - 1] == ba[bs[1]],
              "the parts meet at the antimeridian");
    CHECK(split(gl, ga, 0, bl, ba, bs, &np) == 0 && np == 0, "empty");
}

int main(void)
{
    test_auto_choice();
    test_axis_order();
    test_roundtrip();
    test_bad();
    test_fit();
    test_geodesics();
    test_ground_scale();
    test_split();
    TEST_REPORT();
}
