/* The renderer: exact sizes, marker positions by pixel colour at the
 * projected coordinates, extent fitting, SVG/PDF validity, determinism,
 * themes and bad input. Nothing here depends on font versions. */
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <cairo.h>

#include "harness.h"
#include "evmap.h"
#include "core/core.h"
#include "render/render_int.h"

static char dir[256];
static evm_gazetteer *gz;

static evm_map *load(const char *yaml)
{
    evm_error err = {0};
    evm_map *m = evm_map_load_buffer("test.yaml", yaml, strlen(yaml), &err);
    if (!m) {
        fprintf(stderr, "load: %s\n", err.msg);
        return NULL;
    }
    if (evm_map_resolve(m, gz, &err) != EVM_OK) {
        fprintf(stderr, "resolve: %s\n", err.msg);
        evm_map_free(m);
        return NULL;
    }
    return m;
}

static const char *tmp(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    return ((const uint32_t *)(d + (size_t)y * st))[x] & 0xffffff;
}

static int near_colour(uint32_t p, uint32_t want, int tol)
{
    for (int sh = 0; sh <= 16; sh += 8) {
        int a = (p >> sh) & 255, b = (want >> sh) & 255;
        if (abs(a - b) > tol)
            return 0;
    }
    return 1;
}

/* Options for a quiet 800 x 500 map. */
static void small_opts(evm_render_opts *o)
{
    evm_render_opts_init(o);
    o->quiet = 1;
    o->width = 800;
    o->height = 500;
}

static int files_equal(const char *a, const char *b)
{
    char *x, *y;
    size_t nx, ny;
    evm_error e = {0};
    if (evm__read_file(a, 1 << 26, &x, &nx, &e) != EVM_OK)
        return 0;
    if (evm__read_file(b, 1 << 26, &y, &ny, &e) != EVM_OK) {
        free(x);
        return 0;
    }
    int eq = nx == ny && memcmp(x, y, nx) == 0;
    free(x);
    free(y);
    return eq;
}

static const char *SPEC =
    "title: Test map\n"
    "places:\n"
    "  - { name: Alpha, lat: 43.25, lon: 76.9, country: KZ }\n"
    "  - { name: Beta, lat: 51.17, lon: 71.45, country: KZ }\n"
    "  - { name: Gamma, lat: 47.1, lon: 51.9, country: KZ }\n"
    "events:\n"
    "  - { place: Alpha, type: protest, label: Protest here }\n"
    "  - { place: Beta, type: armed clash, fatalities: 12, label: Clash }\n"
    "  - { place: Gamma, type: oil, label: Output cut }\n"
    "movements:\n"
    "  - { from: Beta, to: Alpha, type: advance, side: Blue, label: Move }\n";

static void test_png(void)
{
    evm_map *m = load(SPEC);
    CHECK(m != NULL, "spec loads and resolves");
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("a.png"), &err) == EVM_OK, "render: %s",
          err.msg);
    cairo_surface_t *s = cairo_image_surface_create_from_png(tmp("a.png"));
    CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "PNG readable");
    CHECK(cairo_image_surface_get_width(s) == 1600 &&
          cairo_image_surface_get_height(s) == 1000, "default size 1600x1000");

    /* each event's marker centre has its category colour */
    double lon[3] = {76.9, 71.45, 51.9}, lat[3] = {43.25, 51.17, 47.1};
    double px[3], py[3];
    CHECK(evm_map_project(m, &o, lon, lat, 3, px, py, &err) == EVM_OK,
          "project: %s", err.msg);
    uint32_t want[3] = {0x0072B2, 0xD55E00, 0x4D4D4D};
    for (int i = 0; i < 3; i++) {
        CHECK(px[i] > 40 && px[i] < 1560 && py[i] > 40 && py[i] < 960,
              "event %d inside the frame (%.0f, %.0f)", i, px[i], py[i]);
        int x = (int)lround(px[i]), y = (int)lround(py[i]);
        /* the protest circle's centre; the other two carry a glyph at
         * the centre, so look just off it, inside the symbol */
        int ok = 0;
        for (int dy = -4; dy <= 4 && !ok; dy++)
            for (int dx = -4; dx <= 4 && !ok; dx++)
                ok = near_colour(pixel(s, x + dx, y + dy), want[i], 40);
        CHECK(ok, "marker %d colour at its projected position", i);
    }
    /* somewhere far from every event the map is basemap, not event colour */
    CHECK(!near_colour(pixel(s, 5, 500), 0x0072B2, 40), "no marker at edge");
    cairo_surface_destroy(s);

    /* the same spec gives the same bytes */
    CHECK(evm_map_render(m, &o, tmp("b.png"), &err) == EVM_OK, "render 2");
    CHECK(files_equal(tmp("a.png"), tmp("b.png")), "PNG deterministic");

    /* --dpi scales the pixels; --size sets them */
    o.dpi = 192;
    CHECK(evm_map_render(m, &o, tmp("c.png"), &err) == EVM_OK, "render dpi");
    s = cairo_image_surface_create_from_png(tmp("c.png"));
    CHECK(cairo_image_surface_get_width(s) == 3200 &&
          cairo_image_surface_get_height(s) == 2000, "192 dpi doubles size");
    cairo_surface_destroy(s);
    o.dpi = 0;
    o.width = 800;
    o.height = 500;
    CHECK(evm_map_render(m, &o, tmp("d.png"), &err) == EVM_OK, "render size");
    s = cairo_image_surface_create_from_png(tmp("d.png"));
    CHECK(cairo_image_surface_get_width(s) == 800 &&
          cairo_image_surface_get_height(s) == 500, "size 800x500");
    cairo_surface_destroy(s);
    evm_map_free(m);
}

/* A ring across the seam of a map centred at 37.5 E (the meridian
 * 142.5 W, through Alaska) is cut there: filled, it covers both edges of
 * the world, never the middle of the map between them; a line across it
 * likewise. */
static void test_seam(void)
{
    evm_error err = {0};
    evm_draw d;
    memset(&d, 0, sizeof d);
    d.geo = evm_geo_new("+proj=eqearth +lon_0=37.5", NULL, &err);
    CHECK(d.geo != NULL, "eqearth: %s", err.msg);
    if (!d.geo)
        return;
    int W = 720, H = 360;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    d.cr = cairo_create(s);
    d.W = W;
    d.H = H;
    d.X0 = -17.3e6;
    d.Y0 = 8.7e6;
    d.k = W / (2 * 17.3e6);
    d.lon0 = 37.5;
    d.s = 1;
    double lon[5] = {-150, -135, -135, -150, -150};
    double lat[5] = {50, 50, 60, 60, 50};
    cairo_set_source_rgb(d.cr, 1, 1, 1);
    cairo_paint(d.cr);
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    CHECK(evm__path_add(&d, lon, lat, 4, 1) == 0, "ring added");
    cairo_fill(d.cr);
    double ll[3] = {-149, -136, 37.5}, la[3] = {55, 55, 55}, px[3], py[3];
    for (int i = 0; i < 3; i++)
        evm__project(&d, ll[i], la[i], &px[i], &py[i]);
    cairo_surface_flush(s);
    CHECK(px[0] > W - 160 && px[1] < 160, "the two sides of the seam are at "
          "the two edges (%.0f, %.0f)", px[0], px[1]);
    CHECK(pixel(s, (int)px[0], (int)py[0]) == 0 &&
          pixel(s, (int)px[1], (int)py[1]) == 0,
          "the ring's pieces are filled at both edges");
    CHECK(pixel(s, (int)px[2], (int)py[2]) == 0xffffff,
          "nothing drawn across the middle of the map");
    /* a line across the seam: two pieces, none across the middle */
    cairo_set_source_rgb(d.cr, 1, 1, 1);
    cairo_paint(d.cr);
    double lx[2] = {-150, -135}, ly[2] = {55, 55};
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    cairo_set_line_width(d.cr, 3);
    CHECK(evm__path_add(&d, lx, ly, 2, 0) == 0, "line added");
    cairo_stroke(d.cr);
    cairo_surface_flush(s);
    CHECK(pixel(s, (int)px[2], (int)py[2]) == 0xffffff,
          "no line across the middle");
    cairo_destroy(d.cr);
    cairo_surface_destroy(s);
    evm_geo_free(d.geo);
}

/* An 800 x 600 frame of m in plate carree centred on lon0, lon_w..lon_e
 * wide with lat_n at the top, with a labeler and a small cairo context
 * (for text measuring): what layout() sets up, for the layout steps'
 * own tests. -1 when PROJ fails. */
static int frame_open(evm_draw *d, evm_map *m, double lon0, double lon_w,
                      double lon_e, double lat_n)
{
    memset(d, 0, sizeof *d);
    d->m = m;
    d->th = evm__theme(EVM_THEME_LIGHT);
    d->s = 1;
    d->W = 800;
    d->H = 600;
    char def[64];
    snprintf(def, sizeof def, "+proj=eqc +lon_0=%g", lon0);
    evm_error err = {0};
    if (!(d->geo = evm_geo_new(def, NULL, &err)))
        return -1;
    double x0 = lon_w, y1 = lat_n, x1 = lon_e, y0 = lat_n;
    evm_geo_fwd(d->geo, &x0, &y1, 1);
    evm_geo_fwd(d->geo, &x1, &y0, 1);
    d->X0 = x0;
    d->Y0 = y1;
    d->k = d->W / (x1 - x0);
    d->lb = evm__labeler_new((evm_rect){0, 0, d->W, d->H});
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
    d->cr = cairo_create(s);
    cairo_surface_destroy(s); /* the context keeps it */
    return 0;
}

static void frame_close(evm_draw *d)
{
    evm__arrows_free(d);
    evm__labeler_free(d->lb);
    evm__events_free(d);
    evm_geo_free(d->geo);
    cairo_destroy(d->cr);
}

/* A dense map (a whole event table) labels no event, but its occupied
 * cells are obstacles: country and city names go only where no event is. */
static void test_dense_obstacles(void)
{
    enum { N = 6000 };
    size_t cap = (size_t)N * 48 + 64;
    char *y = malloc(cap);
    if (!y)
        return;
    size_t len = (size_t)snprintf(y, cap, "events:\n");
    for (int i = 0; i < N; i++) /* a 60 x 100 grid over 60-65 E, 45-50 N */
        len += (size_t)snprintf(y + len, cap - len,
                                "  - { lat: %.3f, lon: %.3f, type: riot }\n",
                                45 + (i / 100) * 5.0 / 60,
                                60 + (i % 100) * 5.0 / 100);
    evm_map *m = load(y);
    free(y);
    CHECK(m != NULL, "dense spec loads");
    if (!m)
        return;
    evm_error err = {0};
    evm_draw d;
    /* 55..70 E by 43..52 N on the canvas: the events fill its middle */
    if (frame_open(&d, m, 62.5, 55, 70, 52) < 0) {
        evm_map_free(m);
        return;
    }
    CHECK(evm__events_layout(&d, &err) == EVM_OK, "dense layout: %s",
          err.msg);
    CHECK(d.ncl > 1000, "one marker per occupied cell (%d)", d.ncl);
    double px, py, qx, qy;
    evm__project(&d, 62.5, 47.5, &px, &py);
    evm__project(&d, 56, 51.5, &qx, &qy);
    CHECK(evm__labeler_collides(d.lb, (evm_rect){px - 30, py - 6, px + 30,
                                                 py + 6}),
          "a name amid the events collides");
    CHECK(!evm__labeler_collides(d.lb, (evm_rect){qx - 20, qy - 6, qx + 20,
                                                  qy + 6}),
          "a name clear of them does not");
    frame_close(&d);
    evm_map_free(m);
}

/* A movement's destination that no event marks is named beside the head,
 * once however many arrows end there; one an event marks is not. */
static void test_destination_names(void)
{
    evm_map *m = load(
        "events:\n  - { lat: 48.0, lon: 37.8, type: shelling }\n"
        "movements:\n"
        "  - { from: { lat: 47.2, lon: 39.7 }, to: { lat: 48.0, lon: 37.8 } }\n"
        "  - { from: { lat: 49.7, lon: 37.6 }, to: { lat: 49.4, lon: 38.2 } }\n"
        "  - { from: { lat: 50.6, lon: 36.6 }, to: { lat: 49.4, lon: 38.2 } }\n");
    CHECK(m != NULL, "movements spec loads");
    if (!m)
        return;
    /* give the ends names, as a gazetteer would */
    m->movements[0].to.name = evm__strdup("Donetsk");
    m->movements[1].to.name = evm__strdup("Svatove");
    m->movements[2].to.name = evm__strdup("Svatove");
    evm_error err = {0};
    evm_draw d;
    if (frame_open(&d, m, 38, 35, 41, 51.5) < 0) {
        evm_map_free(m);
        return;
    }
    CHECK(evm__events_layout(&d, &err) == EVM_OK, "events: %s", err.msg);
    CHECK(evm__arrows_layout(&d, &err) == EVM_OK, "arrows: %s", err.msg);
    CHECK(d.nar == 3 && !d.ar[0].has_dest && d.ar[0].dest_label < 0,
          "a destination an event marks gets no second name");
    CHECK(d.nar == 3 && d.ar[1].has_dest && d.ar[1].dest_label >= 0,
          "an unmarked destination is named");
    CHECK(d.nar == 3 && !d.ar[2].has_dest, "and named once");
    frame_close(&d);
    evm_map_free(m);
}

/* The PNG writer against libpng's reader (through cairo): every pixel
 * back exactly, unfiltered and UP-filtered, in one band and in two. */
static void test_png_encoder(void)
{
    const int sizes[][2] = {{37, 20}, {1600, 1000}, {640, 65}};
    for (int k = 0; k < 3; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        cairo_surface_t *s =
            cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        unsigned char *d = cairo_image_surface_get_data(s);
        int st = cairo_image_surface_get_stride(s);
        uint32_t r = 12345;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                r = r * 1103515245u + 12345u;
                /* flat blocks, gradients and noise */
                uint32_t v = x < w / 3 ? 0xefece4
                             : x < 2 * w / 3
                                 ? (uint32_t)((x * 255 / w) << 16 |
                                              (y * 255 / h) << 8 | 128)
                                 : (r >> 8) & 0xffffff;
                ((uint32_t *)(d + (size_t)y * st))[x] = v;
            }
        cairo_surface_mark_dirty(s);
        for (int smooth = 0; smooth <= 1; smooth++) {
            FILE *f = fopen(tmp("enc.png"), "wb");
            evm_error err = {0};
            CHECK(f && evm__write_png(s, f, smooth, &err) == EVM_OK,
                  "encode %dx%d: %s", w, h, err.msg);
            if (f)
                fclose(f);
            cairo_surface_t *back =
                cairo_image_surface_create_from_png(tmp("enc.png"));
            int bad = cairo_surface_status(back) != CAIRO_STATUS_SUCCESS ||
                      cairo_image_surface_get_width(back) != w ||
                      cairo_image_surface_get_height(back) != h;
            for (int y = 0; y < h && !bad; y++)
                for (int x = 0; x < w && !bad; x++)
                    bad = pixel(back, x, y) != pixel(s, x, y);
            CHECK(!bad, "%dx%d %s: libpng reads back every pixel", w, h,
                  smooth ? "UP" : "unfiltered");
            cairo_surface_destroy(back);
        }
        cairo_surface_destroy(s);
    }
}

/* One renderer drawing the same frame again reuses its basemap raster;
 * the maps must be the same bytes as drawn from scratch, and a different
 * theme in between must not leak into them. */
static void test_renderer_cache(void)
{
    evm_map *m = load(SPEC);
    if (!m)
        return;
    evm_render_opts o;
    small_opts(&o);
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("fresh.png"), &err) == EVM_OK, "fresh");
    evm_renderer *r = evm_renderer_new(&err);
    CHECK(r != NULL, "renderer: %s", err.msg);
    if (r) {
        CHECK(evm_renderer_render(r, m, &o, tmp("r1.png"), &err) == EVM_OK,
              "first");
        CHECK(evm_renderer_render(r, m, &o, tmp("r2.png"), &err) == EVM_OK,
              "second (cached basemap)");
        o.theme = EVM_THEME_DARK;
        CHECK(evm_renderer_render(r, m, &o, tmp("r3.png"), &err) == EVM_OK,
              "dark");
        o.theme = -1;
        CHECK(evm_renderer_render(r, m, &o, tmp("r4.png"), &err) == EVM_OK,
              "light again");
        CHECK(files_equal(tmp("fresh.png"), tmp("r1.png")), "r1 = fresh");
        CHECK(files_equal(tmp("fresh.png"), tmp("r2.png")), "cached = fresh");
        CHECK(!files_equal(tmp("fresh.png"), tmp("r3.png")), "dark differs");
        CHECK(files_equal(tmp("fresh.png"), tmp("r4.png")), "light again");
        evm_renderer_free(r);
    }
    evm_map_free(m);
}

static void test_vector(void)
{
    evm_map *m = load(SPEC);
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("a.svg"), &err) == EVM_OK, "svg: %s",
          err.msg);
    CHECK(evm_map_render(m, &o, tmp("b.svg"), &err) == EVM_OK, "svg 2");
    CHECK(files_equal(tmp("a.svg"), tmp("b.svg")), "SVG deterministic");
    CHECK(evm_map_render(m, &o, tmp("a.pdf"), &err) == EVM_OK, "pdf: %s",
          err.msg);
    CHECK(evm_map_render(m, &o, tmp("b.pdf"), &err) == EVM_OK, "pdf 2");
    CHECK(files_equal(tmp("a.pdf"), tmp("b.pdf")), "PDF deterministic");
    char *t;
    size_t n;
    if (evm__read_file(tmp("a.svg"), 1 << 26, &t, &n, &err) == EVM_OK) {
        CHECK(strncmp(t, "<?xml", 5) == 0, "SVG starts with an XML header");
        CHECK(strstr(t, "<svg") && strstr(t, "width=\"1600") &&
              strstr(t, "</svg>"), "SVG root, size and end");
        free(t);
    }
    if (evm__read_file(tmp("a.pdf"), 1 << 26, &t, &n, &err) == EVM_OK) {
        CHECK(n > 100 && strncmp(t, "%PDF-1.", 7) == 0, "PDF header");
        CHECK(strstr(t + n - 40, "%%EOF") != NULL, "PDF trailer");
        CHECK(memmem(t, n, "/MediaBox [ 0 0 1600 1000 ]", 27) != NULL,
              "PDF page is 1600x1000 pt");
        free(t);
    }
    evm_map_free(m);
}

static void test_extent(void)
{
    /* an explicit extent: its corners are on the canvas and the map
     * fills it; an event outside it is simply not drawn */
    evm_map *m = load("extent: [60, 40, 80, 50]\nprojection: EPSG:4326\n"
                      "inset: false\n"
                      "events:\n  - { lat: 45, lon: 70, type: riot }\n"
                      "  - { lat: 10, lon: 10, type: riot }\n");
    CHECK(m != NULL, "extent spec");
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    double lon[3] = {60, 80, 70}, lat[3] = {40, 50, 45}, px[3], py[3];
    evm_error err = {0};
    CHECK(evm_map_project(m, &o, lon, lat, 3, px, py, &err) == EVM_OK,
          "project");
    CHECK(px[0] >= -1 && px[1] <= 1601 && py[1] >= -1 && py[0] <= 1001,
          "extent corners on the canvas (%.0f,%.0f)-(%.0f,%.0f)", px[0],
          py[0], px[1], py[1]);
    CHECK(fabs((px[0] + px[1]) / 2 - px[2]) < 1.5, "plate carree centre x");
    CHECK(fabs(px[1] - px[0] - 1600) < 2 || fabs(py[0] - py[1]) > 900,
          "the extent fills one dimension");
    CHECK(evm_map_render(m, &o, tmp("e.png"), &err) == EVM_OK,
          "off-extent event does not fail the map: %s", err.msg);
    evm_map_free(m);

    /* auto extent keeps every event inside the frame, clear of the edges */
    m = load("title: A title that takes room\n"
             "events:\n  - { lat: 60, lon: -10, type: protest }\n"
             "  - { lat: 35, lon: 40, type: protest }\n"
             "  - { lat: 50, lon: 15, type: protest }\n");
    if (!m)
        return;
    double al[3] = {-10, 40, 15}, aa[3] = {60, 35, 50};
    CHECK(evm_map_project(m, &o, al, aa, 3, px, py, &err) == EVM_OK, "proj");
    for (int i = 0; i < 3; i++)
        CHECK(px[i] > 30 && px[i] < 1570 && py[i] > 80 && py[i] < 950,
              "auto extent: event %d at (%.0f, %.0f)", i, px[i], py[i]);
    evm_map_free(m);

    /* events around the Pacific make a map centred on the Pacific, not
     * a world map split down the middle of it */
    m = load("events:\n  - { lat: 35.7, lon: 139.7, type: protest }\n"
             "  - { lat: 21.3, lon: -157.9, type: protest }\n"
             "  - { lat: -12.0, lon: -77.0, type: protest }\n"
             "  - { lat: -6.2, lon: 106.8, type: protest }\n");
    if (!m)
        return;
    double pl[4] = {139.7, -157.9, -77.0, 106.8};
    double pa[4] = {35.7, 21.3, -12.0, -6.2};
    double qx[4], qy[4];
    CHECK(evm_map_project(m, &o, pl, pa, 4, qx, qy, &err) == EVM_OK, "pac");
    CHECK(qx[3] < qx[0] && qx[0] < qx[1] && qx[1] < qx[2],
          "west to east: Jakarta, Tokyo, Honolulu, Lima (%.0f %.0f %.0f "
          "%.0f)", qx[3], qx[0], qx[1], qx[2]);
    CHECK(qx[1] > 400 && qx[1] < 1200, "Honolulu mid-map (%.0f)", qx[1]);
    evm_map_free(m);

    /* a map's only location gets about 300 km of ground around it; two
     * places a few km apart keep a close frame */
    m = load("events:\n  - { lat: 46.1, lon: 53.4, type: oil }\n");
    if (!m)
        return;
    double sl[3] = {53.4, 52.4, 54.4}, sa[3] = {46.1, 46.1, 46.1};
    CHECK(evm_map_project(m, &o, sl, sa, 3, px, py, &err) == EVM_OK, "1");
    CHECK(px[1] > 0 && px[2] < 1600 && px[2] - px[1] < 800,
          "lone event: 1 degree either side on the map, but not a "
          "continent (%.0f..%.0f px)", px[1], px[2]);
    evm_map_free(m);
    m = load("events:\n  - { lat: 50.45, lon: 30.50, type: riot }\n"
             "  - { lat: 50.46, lon: 30.56, type: riot }\n");
    if (!m)
        return;
    CHECK(evm_map_project(m, &o, (double[]){30.50, 30.56},
                          (double[]){50.45, 50.46}, 2, px, py,
                          &err) == EVM_OK, "2");
    CHECK(px[1] - px[0] > 50, "two places 4 km apart are drawn apart "
          "(%.0f px)", px[1] - px[0]);
    evm_map_free(m);
}

static void test_print_theme(void)
{
    evm_map *m = load(SPEC);
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    o.theme = EVM_THEME_PRINT;
    o.width = 800;
    o.height = 500;
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("p.png"), &err) == EVM_OK, "print");
    cairo_surface_t *s = cairo_image_surface_create_from_png(tmp("p.png"));
    int coloured = 0;
    for (int y = 0; y < 500; y++)
        for (int x = 0; x < 800; x++) {
            uint32_t p = pixel(s, x, y);
            int r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
            int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
            coloured += mx - mn > 24;
        }
    CHECK(coloured == 0, "print theme is greyscale (%d coloured px)",
          coloured);
    cairo_surface_destroy(s);
    evm_map_free(m);
}

/* The share (0..1) of the commonest colour in a w x h block at (x, y):
 * flat land is nearly one colour (a line may cross it), shaded relief
 * has no colour that dominates. */
static double dominant(cairo_surface_t *s, int x0, int y0, int w, int h)
{
    enum { CAP = 4096 };
    static uint32_t col[CAP];
    static int cnt[CAP];
    int n = 0, best = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            uint32_t p = pixel(s, x, y);
            int k = 0;
            while (k < n && col[k] != p)
                k++;
            if (k == n && n < CAP) {
                col[n] = p;
                cnt[n++] = 0;
            }
            if (k < n && ++cnt[k] > best)
                best = cnt[k];
        }
    return (double)best / (w * h);
}

/* background: relief warps the shipped Natural Earth raster under the
 * lines (through the GDAL module); the events still sit on top, the print
 * theme stays grey, a missing raster is an error with no file left. */
static void test_background(void)
{
    char *spec = malloc(strlen(SPEC) + 64);
    if (!spec)
        return;
    snprintf(spec, strlen(SPEC) + 64, "background: relief\n%s", SPEC);
    evm_map *m = load(spec);
    evm_map *flat = load(SPEC);
    free(spec);
    CHECK(m && flat, "relief spec loads");
    if (!m || !flat) {
        evm_map_free(m);
        evm_map_free(flat);
        return;
    }
    evm_render_opts o;
    small_opts(&o);
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("r.png"), &err) == EVM_OK,
          "relief renders: %s", err.msg);
    CHECK(evm_map_render(flat, &o, tmp("f.png"), &err) == EVM_OK,
          "flat renders: %s", err.msg);
    cairo_surface_t *r = cairo_image_surface_create_from_png(tmp("r.png"));
    cairo_surface_t *f = cairo_image_surface_create_from_png(tmp("f.png"));
    CHECK(cairo_surface_status(r) == CAIRO_STATUS_SUCCESS &&
          cairo_image_surface_get_width(r) == 800, "relief PNG 800 wide");
    /* a block of open steppe north-west of the Aral Sea, clear of every
     * label and line */
    double lon = 62.0, lat = 48.6, px, py;
    CHECK(evm_map_project(m, &o, &lon, &lat, 1, &px, &py, &err) == EVM_OK,
          "project");
    int x = (int)px - 15, y = (int)py - 15;
    double dr = dominant(r, x, y, 30, 30), df = dominant(f, x, y, 30, 30);
    CHECK(dr < 0.3 && df > 0.6, "relief is shaded (commonest colour %.2f "
          "of the block), flat land is not (%.2f)", dr, df);
    /* the protest marker is drawn over the relief */
    double elon = 76.9, elat = 43.25;
    evm_map_project(m, &o, &elon, &elat, 1, &px, &py, &err);
    int ok = 0;
    for (int dy = -3; dy <= 3 && !ok; dy++)
        for (int dx = -3; dx <= 3 && !ok; dx++)
            ok = near_colour(pixel(r, (int)px + dx, (int)py + dy), 0x0072B2,
                             40);
    CHECK(ok, "marker over the relief");
    cairo_surface_destroy(r);
    cairo_surface_destroy(f);

    o.theme = EVM_THEME_PRINT;
    CHECK(evm_map_render(m, &o, tmp("rp.png"), &err) == EVM_OK, "print");
    r = cairo_image_surface_create_from_png(tmp("rp.png"));
    int coloured = 0;
    for (int yy = 0; yy < 500; yy += 2)
        for (int xx = 0; xx < 800; xx += 2) {
            uint32_t p = pixel(r, xx, yy);
            int R = p >> 16 & 255, G = p >> 8 & 255, B = p & 255;
            int mx = R > G ? (R > B ? R : B) : (G > B ? G : B);
            int mn = R < G ? (R < B ? R : B) : (G < B ? G : B);
            coloured += mx - mn > 24;
        }
    CHECK(coloured == 0, "print relief is grey (%d coloured px)", coloured);
    cairo_surface_destroy(r);
    evm_map_free(m);

    m = load("background: no-such-dem.tif\n"
             "events:\n  - { lat: 43.2, lon: 76.9, type: riot }\n");
    if (m) {
        o.theme = -1;
        err = (evm_error){0};
        CHECK(evm_map_render(m, &o, tmp("missing.png"), &err) != EVM_OK &&
              strstr(err.msg, "no-such-dem.tif") != NULL &&
              strncmp(err.msg, "test.yaml:1:13: background: ", 28) == 0,
              "missing raster named where the spec sets it: %s", err.msg);
        CHECK(access(tmp("missing.png"), F_OK) != 0, "no file left");
    }
    evm_map_free(m);
    evm_map_free(flat);
}

static int count_files(const char *d)
{
    DIR *dp = opendir(d);
    int n = 0;
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp") != NULL;
    if (dp)
        closedir(dp);
    return n;
}

static void test_bad(void)
{
    evm_map *m = load(SPEC);
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, "/nonexistent-dir/x.png", &err) == EVM_E_IO,
          "unwritable path is an I/O error");
    CHECK(strstr(err.msg, "/nonexistent-dir/x.png") != NULL,
          "error names the path: %s", err.msg);
    evm_error_clear(&err);
    o.width = 100000;
    o.height = 1000;
    char sub[300];
    snprintf(sub, sizeof sub, "%s/bad", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/bad/x.png", dir);
    CHECK(evm_map_render(m, &o, sub, &err) == EVM_E_INPUT, "100000 px");
    CHECK(strstr(err.msg, "size") != NULL, "says size: %s", err.msg);
    snprintf(sub, sizeof sub, "%s/bad", dir);
    CHECK(count_files(sub) == 0, "no file, no temporary left");
    evm_map_free(m);

    /* a map with nothing on it */
    evm_error_clear(&err);
    m = load("title: empty\n");
    if (m) {
        evm_render_opts_init(&o);
        CHECK(evm_map_render(m, &o, tmp("z.png"), &err) == EVM_E_INPUT,
              "empty map is bad input");
        CHECK(strstr(err.msg, "nothing to map") != NULL, "%s", err.msg);
        evm_map_free(m);
    }
    /* an unknown area name */
    evm_error_clear(&err);
    m = load("areas:\n  - { place: Almaty, type: unrest }\n");
    if (m) {
        evm_render_opts_init(&o);
        int st = evm_map_render(m, &o, tmp("y.png"), &err);
        struct stat sb;
        CHECK(st == EVM_OK || (st == EVM_E_INPUT &&
                               stat(tmp("y.png"), &sb) != 0),
              "area without polygon: error and no file, or drawn");
        evm_map_free(m);
    }
}

struct warnings {
    int n, labels, summary;
};

static void collect_warning(void *ud, const char *msg)
{
    struct warnings *w = ud;
    w->n++;
    if (strstr(msg, "could not be placed without overlap") &&
        strncmp(msg, "test.yaml:", 10) == 0)
        w->labels++;
    if (strstr(msg, "label(s) could not be placed (listed above)"))
        w->summary++;
    CHECK(!strchr(msg, '\n'), "a warning is one line: %s", msg);
}

/* Warnings reach the options' callback, never stderr: 36 labelled events
 * crowded onto a small map leave some labels without room. */
static void test_warnings(void)
{
    char spec[8192];
    size_t k = (size_t)snprintf(spec, sizeof spec, "places:\n");
    for (int i = 0; i < 36; i++)
        k += (size_t)snprintf(spec + k, sizeof spec - k,
                              "  - { name: P%d, lat: %.2f, lon: %.2f }\n", i,
                              43 + (i / 6) * 0.02, 76.9 + (i % 6) * 0.02);
    k += (size_t)snprintf(spec + k, sizeof spec - k, "events:\n");
    for (int i = 0; i < 36; i++)
        k += (size_t)snprintf(spec + k, sizeof spec - k,
                              "  - { place: P%d, type: protest, label: A "
                              "rather long label for event %d }\n", i, i);
    evm_map *m = load(spec);
    CHECK(m != NULL, "crowded spec loads");
    if (!m)
        return;
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.width = 320;
    o.height = 240;
    struct warnings w = {0};
    o.warn = collect_warning;
    o.warn_ud = &w;
    evm_error err = {0};
    CHECK(evm_map_render(m, &o, tmp("warn.png"), &err) == EVM_OK,
          "render: %s", err.msg);
    CHECK(w.labels > 0 && w.summary == 1 && w.n == w.labels + 1,
          "each unplaced label, then the count: %d labels, %d summaries, "
          "%d in all", w.labels, w.summary, w.n);
    struct warnings q = {0};
    o.warn_ud = &q;
    o.quiet = 1;
    CHECK(evm_map_render(m, &o, tmp("warn.png"), &err) == EVM_OK &&
              q.n == 0,
          "quiet: no warnings (%d)", q.n);
    evm_map_free(m);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/renderXXXXXX",
             getenv("TMPD") ? getenv("TMPD") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    evm_error err = {0};
    gz = evm_gazetteer_open(NULL, &err);
    CHECK(gz != NULL, "gazetteer: %s", err.msg);
    if (!gz)
        TEST_REPORT();
    test_png();
    test_png_encoder();
    test_seam();
    test_dense_obstacles();
    test_destination_names();
    test_renderer_cache();
    test_vector();
    test_extent();
    test_print_theme();
    test_background();
    test_bad();
    test_warnings();
    evm_gazetteer_close(gz);
    TEST_REPORT();
}
