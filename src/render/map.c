/* The map composer: fits the frame, draws the basemap, areas, movements,
 * events, labels and furniture in that order, and writes the output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <pthread.h>

#include "core/core.h"
#include "gdal/gdal_api.h"
#include "render/render_int.h"

#define DEFAULT_W 1600
#define DEFAULT_H 1000
#define MAX_PX 20000

void evm_render_opts_init(evm_render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->theme = -1;
}

/* ------------------------------------------------------------- helpers */

void evm__set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0,
                         ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0);
}

void evm__set_rgba(cairo_t *cr, unsigned rgb, double a)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0,
                          ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0, a);
}

unsigned evm__color_rgb(const char *s, unsigned dflt)
{
    if (!s || s[0] != '#')
        return dflt;
    size_t n = strlen(s + 1);
    char *end;
    unsigned long v = strtoul(s + 1, &end, 16);
    if (*end)
        return dflt;
    if (n == 6)
        return (unsigned)v;
    if (n == 3)
        return (unsigned)((((v >> 8) & 15) * 17) << 16 |
                          (((v >> 4) & 15) * 17) << 8 | ((v & 15) * 17));
    return dflt;
}

/* Sides get colours in the order they first appear in the spec's
 * movements, then events and areas: the first red, the second blue, ...
 * so a side keeps its colour on every map drawn from one spec. */
unsigned evm__side_color(const evm_draw *d, const char *side,
                         const char *override)
{
    const evm_theme_def *th = d->th;
    if (override)
        return evm__color_rgb(override, th->side_unknown);
    if (!side || !*side)
        return th->side_unknown;
    const char *seen[8];
    int n = 0;
    const evm_map *m = d->m;
#define SEEN(sd)                                                          \
    do {                                                                  \
        const char *s_ = (sd);                                            \
        if (s_ && *s_) {                                                  \
            int f_ = 0;                                                   \
            for (int j_ = 0; j_ < n; j_++)                                \
                if (strcasecmp(seen[j_], s_) == 0)                        \
                    f_ = 1;                                               \
            if (!f_ && n < 8)                                             \
                seen[n++] = s_;                                           \
        }                                                                 \
    } while (0)
    for (int i = 0; i < m->nmovements; i++)
        SEEN(m->movements[i].side);
    for (int i = 0; i < m->nareas; i++)
        SEEN(m->areas[i].side);
#undef SEEN
    for (int i = 0; i < n; i++)
        if (strcasecmp(seen[i], side) == 0)
            return i < 4 ? th->side_color[i] : th->side_unknown;
    return th->side_unknown;
}

void evm__label_unplaced(evm_draw *d, evm_srcpos pos, const char *text)
{
    if (d->verbose)
        fprintf(stderr, "evmap: %s:%d:%d: label \"%s\" not shown (no "
                "room)\n", d->m->file, pos.line, pos.col, text);
    d->unplaced++;
}

void evm__label_draw(evm_draw *d, int idx, const char *text, int bold,
                     double px, unsigned color, evm_srcpos pos)
{
    if (idx < 0 || !text)
        return;
    evm_rect box;
    int placed, lead;
    evm__labeler_result(d->lb, idx, &box, &placed, &lead);
    if (!placed) {
        evm__label_unplaced(d, pos, text);
        return;
    }
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", bold, px * d->s,
                                      text, 0, 0);
    evm__text_draw(d->cr, l, box.x0, box.y0, color, d->th->halo,
                   2.5 * d->s);
    g_object_unref(l);
}

/* Contract in render_int.h. */
void evm__error_at(evm_error *err, const char *file, evm_srcpos pos,
                   const char *key)
{
    if (!err || pos.line <= 0 || !file)
        return;
    char why[700];
    snprintf(why, sizeof why, "%.690s", err->msg);
    snprintf(err->msg, sizeof err->msg, "%s:%d:%d: %s: %s", file, pos.line,
             pos.col, key, why);
}

int evm__in_window(const evm_draw *d, const char *date)
{
    if (!date)
        return 1;
    /* ISO days compare as strings */
    if (d->date_from && strncmp(date, d->date_from, 10) < 0)
        return 0;
    if (d->date_to && strncmp(date, d->date_to, 10) > 0)
        return 0;
    return 1;
}

int evm__project(evm_draw *d, double lon, double lat, double *px, double *py)
{
    double x = lon, y = lat;
    if (evm_geo_fwd(d->geo, &x, &y, 1) != 0)
        return -1;
    *px = (x - d->X0) * d->k;
    *py = (d->Y0 - y) * d->k;
    return 0;
}

/* Projects n lon/lat points in place to pixels; failed points become NAN.
 * Returns how many failed. */
int evm__project_n(evm_draw *d, double *x, double *y, int n)
{
    int bad = evm_geo_fwd(d->geo, x, y, n);
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 1e15) {
            x[i] = y[i] = NAN;
            continue;
        }
        x[i] = (x[i] - d->X0) * d->k;
        y[i] = (d->Y0 - y[i]) * d->k;
    }
    return bad;
}

/* ------------------------------------------------------------- extent */

typedef struct { double lo0, la0, lo1, la1; int n; } bbox_acc;

static void acc(bbox_acc *b, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return;
    if (!b->n) {
        b->lo0 = b->lo1 = lon;
        b->la0 = b->la1 = lat;
    }
    if (lon < b->lo0) b->lo0 = lon;
    if (lon > b->lo1) b->lo1 = lon;
    if (lat < b->la0) b->la0 = lat;
    if (lat > b->la1) b->la1 = lat;
    b->n++;
}

/* The polygon an area names: a country first, then an admin-1 region. */
int evm__area_polygon(const evm_basemap *bm, const evm_area *a,
                      evm_bm_feature *f)
{
    const char *name = a->where.name;
    if (!bm || !name)
        return -1;
    if (evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, name, f) == 0)
        return 0;
    return evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, name, f);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The shortest run of longitudes that holds every one of lon[0..n):
 * [*lo, *hi], with *lo > *hi when it crosses the antimeridian (events
 * from Tokyo to Honolulu to Lima are a Pacific map, not the world from
 * Lima eastwards). Sorts lon. */
static void lon_arc(double *lon, int n, double *lo, double *hi)
{
    qsort(lon, (size_t)n, sizeof *lon, cmp_double);
    *lo = lon[0];
    *hi = lon[n - 1];
    double wrap = lon[0] + 360 - lon[n - 1], best = wrap;
    for (int i = 0; i + 1 < n; i++)
        if (lon[i + 1] - lon[i] > best + 1e-9) {
            best = lon[i + 1] - lon[i];
            *lo = lon[i + 1];
            *hi = lon[i];
        }
}

static double lon_span(double lo0, double lo1);

static void data_bbox(evm_draw *d, bbox_acc *b)
{
    const evm_map *m = d->m;
    memset(b, 0, sizeof *b);
    int cap = m->nevents + 2 * m->nmovements + 2 * m->nareas;
    for (int i = 0; i < m->nmovements; i++)
        cap += m->movements[i].nvia;
    double *lon = malloc(sizeof *lon * (size_t)(cap > 0 ? cap : 1));
    int n = 0;
#define ADD(lo, la)                                                        \
    do {                                                                   \
        acc(b, lo, la);                                                    \
        if (lon && isfinite(lo) && isfinite(la))                           \
            lon[n++] = lo;                                                 \
    } while (0)
    const double *elon, *elat;
    int ne = evm__frame_points(d, &elon, &elat);
    for (int i = 0; i < ne; i++)
        ADD(elon[i], elat[i]);
    for (int i = 0; i < m->nmovements; i++) {
        const evm_movement *mv = &m->movements[i];
        if (mv->from.has_coord) ADD(mv->from.lon, mv->from.lat);
        if (mv->to.has_coord) ADD(mv->to.lon, mv->to.lat);
        for (int j = 0; j < mv->nvia; j++)
            if (mv->via[j].has_coord)
                ADD(mv->via[j].lon, mv->via[j].lat);
    }
    for (int i = 0; i < m->nareas; i++) {
        evm_bm_feature f;
        if (evm__area_polygon(d->bm, &m->areas[i], &f) == 0) {
            ADD(f.bbox[0], f.bbox[1]);
            ADD(f.bbox[2], f.bbox[3]);
        } else if (m->areas[i].where.has_coord) {
            ADD(m->areas[i].where.lon, m->areas[i].where.lat);
        }
    }
#undef ADD
    if (lon && n > 1)
        lon_arc(lon, n, &b->lo0, &b->lo1);
    /* data all round the world: a world map centred on Greenwich */
    if (n > 1 && lon_span(b->lo0, b->lo1) > 240) {
        b->lo0 = -180;
        b->lo1 = 180;
    }
    free(lon);
}

/* A box's longitude span, across the antimeridian when lo0 > lo1. */
static double lon_span(double lo0, double lo1)
{
    return lo1 >= lo0 ? lo1 - lo0 : lo1 + 360 - lo0;
}

/* Samples of what must be inside the frame: every data point, and the
 * edges of the extent's box (so curved projections are covered). */
static int extent_samples(evm_draw *d, const double bb[4], int edges_only,
                          double **xs, double **ys)
{
    const evm_map *m = d->m;
    int cap = 4 * 33 + m->nevents + 2 * m->nmovements + m->nareas + 8;
    for (int i = 0; i < m->nmovements; i++)
        cap += m->movements[i].nvia;
    double *x = malloc(sizeof *x * (size_t)cap);
    double *y = malloc(sizeof *y * (size_t)cap);
    if (!x || !y) {
        free(x);
        free(y);
        return -1;
    }
    int n = 0;
    double lo1 = bb[0] + lon_span(bb[0], bb[2]);
    for (int i = 0; i <= 32; i++) {
        double t = i / 32.0;
        double lo = bb[0] + (lo1 - bb[0]) * t;
        if (lo > 180)
            lo -= 360;
        double la = bb[1] + (bb[3] - bb[1]) * t;
        x[n] = lo; y[n++] = bb[1];
        x[n] = lo; y[n++] = bb[3];
        x[n] = bb[0]; y[n++] = la;
        x[n] = bb[2]; y[n++] = la;
    }
    if (!edges_only) {
        const double *elon, *elat;
        int ne = evm__frame_points(d, &elon, &elat);
        for (int i = 0; i < ne; i++) {
            x[n] = elon[i];
            y[n++] = elat[i];
        }
    }
    *xs = x;
    *ys = y;
    return n;
}

/* Fits the frame: the extent's projected box is scaled to fit the canvas
 * inside margins that leave room for the title and the footer. */
static evm_status fit(evm_draw *d, const double bb[4], double shrink,
                      evm_error *err)
{
    double *x, *y;
    int n = extent_samples(d, bb, d->explicit_extent, &x, &y);
    if (n < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    evm_geo_fwd(d->geo, x, y, n);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 1e15)
            continue;
        if (x[i] < x0) x0 = x[i];
        if (x[i] > x1) x1 = x[i];
        if (y[i] < y0) y0 = y[i];
        if (y[i] > y1) y1 = y[i];
    }
    free(x);
    free(y);
    if (!(x1 >= x0) || !(y1 >= y0))
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: the map's extent cannot be shown in "
                             "projection \"%s\"", d->m->file,
                             evm_geo_definition(d->geo));
    double s = d->s;
    double ml = 56 * s, mr = 56 * s;
    double mt = d->title.y1 + 20 * s;
    double mb = (d->H - d->footer.y0) + 44 * s;
    if (d->m->extent_mode == EVM_EXTENT_BBOX) {
        ml = mr = 0;
        mt = d->title.y1 + 4 * s;
        mb = (d->H - d->footer.y0) + 4 * s;
    }
    double iw = d->W - ml - mr, ih = d->H - mt - mb;
    if (iw < 16) iw = 16;
    if (ih < 16) ih = 16;
    double dx = x1 - x0, dy = y1 - y0;
    if (dx <= 0 && dy <= 0)
        dx = dy = 1;
    double k = fmin(dx > 0 ? iw / dx : INFINITY, dy > 0 ? ih / dy : INFINITY);
    k *= shrink;
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    double icx = ml + iw / 2, icy = mt + ih / 2;
    d->k = k;
    d->X0 = cx - icx / k;
    d->Y0 = cy + icy / k;
    return EVM_OK;
}

/* The lon/lat box the frame shows, by inverse projection of a grid over
 * the canvas; falls back to the whole world when parts of the canvas lie
 * outside the projection's domain or the box wraps. */
static void visible_bbox(evm_draw *d)
{
    enum { G = 17 };
    double x[G * G], y[G * G];
    int n = 0;
    for (int i = 0; i < G; i++)
        for (int j = 0; j < G; j++) {
            x[n] = d->X0 + (d->W * i / (double)(G - 1)) / d->k;
            y[n] = d->Y0 - (d->H * j / (double)(G - 1)) / d->k;
            n++;
        }
    int bad = evm_geo_inv(d->geo, x, y, n);
    /* longitudes relative to the projection's centre, so that a frame
     * across the antimeridian has one unbroken range */
    double lo0 = 360, lo1 = -360, la0 = 90, la1 = -90;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 1e6)
            continue;
        double r = evm__wrap180(x[i] - d->lon0);
        lo0 = fmin(lo0, r); lo1 = fmax(lo1, r);
        la0 = fmin(la0, y[i]); la1 = fmax(la1, y[i]);
    }
    d->ll_world = bad > 0 || lo1 - lo0 > 300 || lo1 < lo0;
    /* a margin: the grid can miss a bulge of a curved edge */
    double pad = 0.05 * fmax(lo1 - lo0, la1 - la0) + 0.2;
    if (d->ll_world) {
        d->ll[0] = -180; d->ll[1] = -90; d->ll[2] = 180; d->ll[3] = 90;
        if (lo1 >= lo0 && bad == 0) {
            d->ll[1] = fmax(-90, la0 - pad);
            d->ll[3] = fmin(90, la1 + pad);
        }
        return;
    }
    /* back to -180..180: ll[0] > ll[2] when the box crosses the
     * antimeridian, as evm_basemap_query takes it */
    double a = d->lon0 + lo0 - pad, b = d->lon0 + lo1 + pad;
    if (b - a >= 360) {
        a = -180;
        b = 180;
    } else {
        a = evm__wrap180(a);
        b = evm__wrap180(b);
        if (b == -180)
            b = 180;
    }
    d->ll[0] = a;
    d->ll[1] = fmax(-90, la0 - pad);
    d->ll[2] = b;
    d->ll[3] = fmin(90, la1 + pad);
}

/* Contract in render_int.h. */
double evm__ll_span(const evm_draw *d)
{
    return lon_span(d->ll[0], d->ll[2]);
}

/* Contract in render_int.h. */
int evm__ll_contains(const evm_draw *d, double lon, double lat)
{
    if (lat < d->ll[1] || lat > d->ll[3])
        return 0;
    return d->ll[0] <= d->ll[2] ? lon >= d->ll[0] && lon <= d->ll[2]
                                : lon >= d->ll[0] || lon <= d->ll[2];
}

/* ------------------------------------------------------------- basemap */

typedef struct bm_ctx {
    evm_draw *d;
    evm_scratch sc;
    int polygon;
    int focus_mode;    /* COUNTRIES: 1 draw focus only, 2 others only */
    int admin_focus;   /* ADMIN1_LINES: only focus countries */
    int max_rank;
    int disputed;      /* BORDERS: 0 settled lines only, 1 disputed only */
    long nverts;
} bm_ctx;

static int is_focus(const evm_draw *d, const char *iso)
{
    for (int i = 0; i < d->nfocus; i++)
        if (iso[0] && strcmp(d->focus[i], iso) == 0)
            return 1;
    return 0;
}

/* Adds one feature's parts to the current cairo path. */
static int bm_add(const evm_bm_feature *f, void *ud)
{
    bm_ctx *c = ud;
    evm_draw *d = c->d;
    if (c->focus_mode == 1 && !is_focus(d, f->iso_a2))
        return 0;
    if (c->focus_mode == 2 && is_focus(d, f->iso_a2))
        return 0;
    if (c->admin_focus && !is_focus(d, f->iso_a2))
        return 0;
    if (c->max_rank >= 0 && f->rank > c->max_rank)
        return 0;
    if (c->disputed >= 0 && !!(f->flags & EVM_BM_F_DISPUTED) != c->disputed)
        return 0;
    const float *ll = f->lonlat;
    for (uint32_t p = 0; p < f->nparts; p++) {
        uint32_t n = f->part_len[p];
        if (evm__path_lonlat(d, ll, n, c->polygon, &c->sc) < 0)
            return 1;
        ll += 2 * (size_t)n;
        c->nverts += n;
    }
    return 0;
}

/* Adds one part (n float lon/lat pairs) to the current path, projected.
 * Vertices closer than the draw tolerance to the last kept one are
 * skipped before projecting: at country scale a 10m coastline has far
 * more points than pixels. Returns -1 when out of memory. */
int evm__path_lonlat(evm_draw *d, const float *ll, uint32_t n, int close,
                     evm_scratch *sc)
{
    if (n > sc->cap) {
        size_t nc = n + 1024;
        double *nx = evm__reallocarray(sc->x, nc, sizeof *nx);
        if (!nx)
            return -1;
        sc->x = nx;
        double *ny = evm__reallocarray(sc->y, nc, sizeof *ny);
        if (!ny)
            return -1;
        sc->y = ny;
        sc->cap = nc;
    }
    double tol = d->tol;
    uint32_t k = 0;
    double lx = 1e9, ly = 1e9;
    for (uint32_t i = 0; i < n; i++) {
        double lo = ll[2 * i], la = ll[2 * i + 1];
        if (i + 1 < n && i > 0 && fabs(lo - lx) < tol && fabs(la - ly) < tol)
            continue;
        sc->x[k] = lo;
        sc->y[k++] = la;
        lx = lo;
        ly = la;
    }
    return evm__path_add(d, sc->x, sc->y, k, close);
}

static void bm_layer_path(evm_draw *d, bm_ctx *c, evm_bm_layer layer,
                          evm_bm_scale sc)
{
    c->polygon = layer == EVM_BM_LAND || layer == EVM_BM_LAKES ||
                 layer == EVM_BM_COUNTRIES || layer == EVM_BM_ADMIN1 ||
                 layer == EVM_BM_OCEAN;
    cairo_new_path(d->cr);
    evm_basemap_query(d->bm, layer, sc, d->ll, bm_add, c);
}

/* Strokes the current path dashed (on, off) in rgb at width. */
static void dashed_stroke(cairo_t *cr, double on, double off, unsigned rgb,
                          double width)
{
    double dash[] = {on, off};
    cairo_set_dash(cr, dash, 2, 0);
    evm__set_rgb(cr, rgb);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static evm_status draw_basemap(evm_draw *d, evm_error *err)
{
    cairo_t *cr = d->cr;
    const evm_theme_def *th = d->th;
    double s = d->s;
    bm_ctx c = {.d = d, .max_rank = -1, .disputed = -1};

    evm__set_rgb(cr, th->water);
    cairo_paint(cr);
    evm_status st = evm__background_draw(d, err);
    if (st != EVM_OK || !d->bm)
        return st;
    evm_bm_scale sc = d->bscale;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    /* cairo's 4x4 antialiasing for the whole basemap: its default samples
     * 256x15 per pixel, the most expensive step of a cold map (half of a
     * stroke's time, a tenth of the basemap's fills), and no difference
     * can be seen on coasts and lines of 1-2 px (compared at 5x) */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);

    /* land in the colour of countries without events, then the focus
     * countries lighter on top: one canvas-sized fill fewer than filling
     * every country. A raster background has its own land and lakes. */
    if (d->m->background == EVM_BG_NONE) {
        bm_layer_path(d, &c, EVM_BM_LAND, sc);
        evm__set_rgb(cr, th->land_other);
        cairo_fill(cr);
        if (d->nfocus) {
            c.focus_mode = 1;
            bm_layer_path(d, &c, EVM_BM_COUNTRIES, sc);
            evm__set_rgb(cr, th->land_focus);
            cairo_fill(cr);
            c.focus_mode = 0;
        }
        bm_layer_path(d, &c, EVM_BM_LAKES, sc);
        evm__set_rgb(cr, th->water);
        cairo_fill(cr);
    }

    /* rivers by rank: only the major ones at small scales */
    /* thin lines: bevel joins look the same at these widths and cost
     * cairo's stroker a fraction of round ones */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    c.max_rank = sc == EVM_BM_10M ? 7 : 6;
    bm_layer_path(d, &c, EVM_BM_RIVERS, sc);
    evm__set_rgb(cr, th->river);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_stroke(cr);
    c.max_rank = -1;

    /* admin-1 lines of the focus countries where the scale allows */
    if (sc != EVM_BM_110M) {
        c.admin_focus = 1;
        bm_layer_path(d, &c, EVM_BM_ADMIN1_LINES, EVM_BM_10M);
        c.admin_focus = 0;
        dashed_stroke(cr, 3 * s, 2 * s, th->admin1, 0.6 * s);
    }

    /* country borders: a light casing under a grey line; disputed,
     * indefinite and line-of-control sections dashed */
    c.disputed = 0;
    bm_layer_path(d, &c, EVM_BM_BORDERS, sc);
    evm__set_rgb(cr, th->border_casing);
    cairo_set_line_width(cr, 2.4 * s);
    cairo_stroke_preserve(cr);
    evm__set_rgb(cr, th->border);
    cairo_set_line_width(cr, 0.9 * s);
    cairo_stroke(cr);
    c.disputed = 1;
    bm_layer_path(d, &c, EVM_BM_BORDERS, sc);
    dashed_stroke(cr, 4 * s, 2.5 * s, th->border, 0.9 * s);
    c.disputed = -1;
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    free(c.sc.x);
    free(c.sc.y);
    return EVM_OK;
}

/* Country names and reference cities go where they hide nothing: they are
 * placed after every event and movement label, only where free. */
struct ref_item {
    double x, y;
    char name[96];
    char iso[3];
    int rank;
    long pop;
    int cap;
};

typedef struct ref_ctx {
    evm_draw *d;
    int pass;          /* 0 countries, 1 cities */
    int count, max;
    struct ref_item *items;
    int n, cap_items;
} ref_ctx;

static int ref_collect(const evm_bm_feature *f, void *ud)
{
    ref_ctx *c = ud;
    const char *nm = f->name_en && *f->name_en ? f->name_en : f->name;
    if (!nm || !*nm)
        return 0;
    if (!evm__ll_contains(c->d, f->lonlat[0], f->lonlat[1]))
        return 0;
    if (c->n == c->cap_items) {
        int nc = c->cap_items ? c->cap_items * 2 : 64;
        void *p = evm__reallocarray(c->items, (size_t)nc, sizeof *c->items);
        if (!p)
            return 1;
        c->items = p;
        c->cap_items = nc;
    }
    double px, py;
    if (evm__project(c->d, f->lonlat[0], f->lonlat[1], &px, &py) != 0)
        return 0;
    if (px < 0 || py < 0 || px > c->d->W || py > c->d->H)
        return 0;
    c->items[c->n].x = px;
    c->items[c->n].y = py;
    snprintf(c->items[c->n].name, sizeof c->items[c->n].name, "%s", nm);
    c->items[c->n].rank = f->rank;
    c->items[c->n].pop = f->population;
    c->items[c->n].cap = f->flags & 1;
    memcpy(c->items[c->n].iso, f->iso_a2, 3);
    c->n++;
    return 0;
}

static int ref_cmp(const void *a, const void *b)
{
    const struct ref_item *p = a, *q = b;
    if (p->rank != q->rank)
        return p->rank - q->rank;
    if (p->pop != q->pop)
        return p->pop > q->pop ? -1 : 1;
    return strcmp(p->name, q->name);
}

static int near_event(const evm_draw *d, double x, double y, double r)
{
    return evm__events_near(d, x, y, r);
}

/* 1 when an event's place already carries this name on the map. */
static int same_place(const evm_placeref *p, const char *name)
{
    return (p->name && strcasecmp(p->name, name) == 0) ||
           (p->resolved_name && strcasecmp(p->resolved_name, name) == 0);
}

/* 1 when the map already names `name`: an event's place, or a
 * movement's origin or destination that carries its own label. */
static int names_event(const evm_draw *d, const char *name)
{
    if (evm__events_names(d, name))
        return 1;
    for (int i = 0; i < d->nar; i++) {
        const evm_movement *mv = &d->m->movements[i];
        if ((d->ar[i].has_origin && same_place(&mv->from, name)) ||
            (d->ar[i].has_dest && same_place(&mv->to, name)))
            return 1;
    }
    return 0;
}

static void draw_reference(evm_draw *d)
{
    if (!d->bm)
        return;
    cairo_t *cr = d->cr;
    double s = d->s;
    const evm_theme_def *th = d->th;
    /* country names */
    ref_ctx c = {.d = d};
    evm_basemap_query(d->bm, EVM_BM_COUNTRY_LABELS, EVM_BM_10M, d->ll,
                      ref_collect, &c);
    if (c.n)
        qsort(c.items, (size_t)c.n, sizeof *c.items, ref_cmp);
    int shown = 0;
    for (int i = 0; i < c.n && shown < 24; i++) {
        double px = c.items[i].rank <= 3 ? 12 : 11;
        PangoLayout *l = evm__text_layout(cr, "Noto Sans", 0, px * s,
                                          c.items[i].name, 0.12, 1);
        double w, h;
        evm__text_size(l, &w, &h);
        /* at the label point, else nudged around it a little: a
         * country's name may move, but not far from its middle */
        static const double off[][2] = {{0, 0},   {0, -1.5}, {0, 1.5},
                                        {-1, 0},  {1, 0},    {-1, -1.5},
                                        {1, -1.5}, {-1, 1.5}, {1, 1.5},
                                        {0, -3},  {0, 3}};
        evm_bm_feature cf;
        int have_poly = c.items[i].iso[0] &&
            evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES,
                                     c.items[i].iso, &cf) == 0;
        for (size_t k = 0; k < sizeof off / sizeof off[0]; k++) {
            double cx = c.items[i].x + off[k][0] * w * 0.6;
            double cy = c.items[i].y + off[k][1] * h;
            if (k > 0) {
                /* a nudged name stays inside its own country */
                double lx = d->X0 + cx / d->k, ly = d->Y0 - cy / d->k;
                if (!have_poly || evm_geo_inv(d->geo, &lx, &ly, 1) != 0 ||
                    !evm_basemap_contains(&cf, lx, ly))
                    continue;
            }
            evm_rect r = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
            if (r.x0 >= 4 * s && r.x1 <= d->W - 4 * s && r.y0 >= 0 &&
                r.y1 <= d->H && evm__labeler_try_place_fixed(d->lb, r)) {
                evm__text_draw(cr, l, r.x0, r.y0, th->country_label,
                               th->halo, 2 * s);
                shown++;
                break;
            }
        }
        g_object_unref(l);
    }
    free(c.items);

    /* reference cities: a few, by rank, never on an event */
    ref_ctx k = {.d = d, .pass = 1};
    evm_basemap_query(d->bm, EVM_BM_CITIES, EVM_BM_10M, d->ll, ref_collect,
                      &k);
    /* the capitals of the countries holding events come first */
    for (int i = 0; i < k.n; i++)
        if (k.items[i].cap && k.items[i].iso[0] && is_focus(d, k.items[i].iso))
            k.items[i].rank = -1;
    if (k.n)
        qsort(k.items, (size_t)k.n, sizeof *k.items, ref_cmp);
    shown = 0;
    for (int i = 0; i < k.n && shown < 8; i++) {
        double x = k.items[i].x, y = k.items[i].y;
        if (near_event(d, x, y, 24 * s) || names_event(d, k.items[i].name))
            continue;
        PangoLayout *l = evm__text_layout(cr, "Noto Sans", 0, 11 * s,
                                          k.items[i].name, 0, 0);
        double w, h;
        evm__text_size(l, &w, &h);
        double dot = 3 * s;
        evm_rect dr = {x - dot, y - dot, x + dot, y + dot};
        evm_rect cand[2] = {{x + 5 * s, y - h / 2, x + 5 * s + w, y + h / 2},
                            {x - 5 * s - w, y - h / 2, x - 5 * s, y + h / 2}};
        int placed = 0;
        if (!evm__labeler_collides(d->lb, dr))
            for (int j = 0; j < 2 && !placed; j++) {
                evm_rect r = cand[j];
                if (r.x0 < 2 || r.x1 > d->W - 2 || r.y0 < 2 || r.y1 > d->H - 2)
                    continue;
                evm_rect u = {fmin(r.x0, dr.x0), fmin(r.y0, dr.y0),
                              fmax(r.x1, dr.x1), fmax(r.y1, dr.y1)};
                if (evm__labeler_try_place_fixed(d->lb, u)) {
                    evm__set_rgb(cr, th->halo);
                    cairo_new_path(cr);
                    cairo_arc(cr, x, y, dot / 2 + 1 * s, 0, 2 * M_PI);
                    cairo_fill(cr);
                    evm__set_rgb(cr, th->city_dot);
                    cairo_arc(cr, x, y, dot / 2, 0, 2 * M_PI);
                    cairo_fill(cr);
                    evm__text_draw(cr, l, r.x0, r.y0, th->city_label,
                                   th->halo, 2 * s);
                    placed = 1;
                }
            }
        shown += placed;
        g_object_unref(l);
    }
    free(k.items);
}

/* ------------------------------------------------------------- render */

static evm_format pick_format(const evm_render_opts *o, const char *path)
{
    if (o->format != EVM_FMT_AUTO)
        return o->format;
    evm_format f = evm_format_from_path(path);
    return f == EVM_FMT_AUTO ? EVM_FMT_PNG : f;
}

struct pip_ctx {
    double lon, lat;
    char iso[3];
};

static int pip_visit(const evm_bm_feature *f, void *ud)
{
    struct pip_ctx *c = ud;
    if (f->iso_a2[0] && evm_basemap_contains(f, c->lon, c->lat)) {
        memcpy(c->iso, f->iso_a2, 3);
        return 1;
    }
    return 0;
}

static void collect_focus(evm_draw *d)
{
    for (int i = 0; i < d->m->nevents; i++) {
        const char *cc = d->m->events[i].where.resolved_country;
        if (!cc[0] || is_focus(d, cc) || d->nfocus >= 32)
            continue;
        memcpy(d->focus[d->nfocus++], cc, 3);
    }
    /* events given by coordinates: the country whose polygon holds them,
     * looked up once per place (a 0.01-degree cell), not per event */
    evm_cellset seen = {0};
    for (int i = 0; i < d->m->nevents && d->bm && d->nfocus < 32; i++) {
        const evm_placeref *p = &d->m->events[i].where;
        if (p->resolved_country[0] || !p->has_coord ||
            evm__cellset_seen(&seen, p->lon, p->lat))
            continue;
        struct pip_ctx c = {p->lon, p->lat, ""};
        double bb[4] = {p->lon - 1e-6, p->lat - 1e-6, p->lon + 1e-6,
                        p->lat + 1e-6};
        evm_basemap_query(d->bm, EVM_BM_COUNTRIES, EVM_BM_10M, bb, pip_visit,
                          &c);
        if (c.iso[0] && !is_focus(d, c.iso) && d->nfocus < 32)
            memcpy(d->focus[d->nfocus++], c.iso, 3);
    }
    free(seen.k);
    /* areas name their country */
    for (int i = 0; i < d->m->nareas; i++) {
        evm_bm_feature f;
        if (d->bm && d->m->areas[i].where.name &&
            evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES,
                                     d->m->areas[i].where.name, &f) == 0 &&
            f.iso_a2[0] && !is_focus(d, f.iso_a2) && d->nfocus < 32)
            memcpy(d->focus[d->nfocus++], f.iso_a2, 3);
    }
}

static void draw_free(evm_draw *d)
{
    evm__events_free(d);
    free(d->fit_lon);
    free(d->fit_lat);
    free(d->area_label);
    free(d->area_lw);
    free(d->area_lh);
    evm__arrows_free(d);
    evm__labeler_free(d->lb);
    evm_geo_free(d->geo);
}

/* per thread: renders run side by side in a batch */
static _Thread_local double pt_last;
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
/* EVMAP_PROFILE=1 prints how long each phase of a render took. */
#define PT(x)                                                             \
    do {                                                                  \
        if (getenv("EVMAP_PROFILE")) {                                    \
            double n_ = now_ms();                                         \
            fprintf(stderr, "evmap: %-10s %7.1f ms\n", x, n_ - pt_last);  \
            pt_last = n_;                                                 \
        }                                                                 \
    } while (0)
/* The box the map must show: an explicit extent, a named place's polygon
 * (or some ground around its point), or everything the map holds. */
static evm_status extent_box(evm_draw *d, double bb[4], evm_error *err)
{
    const evm_map *m = d->m;
    bbox_acc b;
    if (m->extent_mode == EVM_EXTENT_BBOX) {
        memcpy(bb, m->extent, 4 * sizeof *bb);
        return EVM_OK;
    }
    if (m->extent_mode == EVM_EXTENT_PLACE) {
        evm_bm_feature f;
        const char *nm = m->extent_where.name;
        if (nm && d->bm &&
            (evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES, nm, &f) == 0 ||
             evm_basemap_find_polygon(d->bm, EVM_BM_ADMIN1, nm, &f) == 0)) {
            evm__frame_main_bbox(&f, bb);
            return EVM_OK;
        }
        if (!m->extent_where.has_coord)
            return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: extent \"%s\" "
                                 "is not resolved", m->file,
                                 m->extent_where.pos.line,
                                 m->extent_where.pos.col, nm ? nm : "");
        memset(&b, 0, sizeof b);
        acc(&b, m->extent_where.lon, m->extent_where.lat);
    } else {
        data_bbox(d, &b);
        if (b.n == 0)
            return evm_error_set(err, EVM_E_INPUT,
                                 "%s: nothing to map: add events, movements "
                                 "or areas, or give an extent", m->file);
    }
    /* a lone point still needs some ground around it: a named place's
     * surroundings, or about 300 km around a map's only location, enough
     * for a few reference cities; several places close together keep
     * their own small frame (a city's districts) */
    double minspan = m->extent_mode == EVM_EXTENT_PLACE ? 1.0 : 0.4;
    if (m->extent_mode == EVM_EXTENT_AUTO &&
        lon_span(b.lo0, b.lo1) < 0.01 && b.la1 - b.la0 < 0.01)
        minspan = 3.0;
    double cx = b.lo0 + lon_span(b.lo0, b.lo1) / 2, cy = (b.la0 + b.la1) / 2;
    if (lon_span(b.lo0, b.lo1) < minspan) {
        b.lo0 = cx - minspan / 2;
        b.lo1 = cx + minspan / 2;
    }
    if (b.la1 - b.la0 < minspan) {
        b.la0 = fmax(-90, cy - minspan / 2);
        b.la1 = fmin(90, cy + minspan / 2);
    }
    bb[0] = b.lo0; bb[1] = b.la0; bb[2] = b.lo1; bb[3] = b.la1;
    return EVM_OK;
}

/* The +lon_0 of a PROJ string (the automatic projections give one), else
 * Greenwich, the centre of the CRSs named by code that show the world. */
static double central_meridian(const char *def)
{
    const char *p = def ? strstr(def, "+lon_0=") : NULL;
    double v = 0;
    if (p) {
        char num[40];
        size_t n = strspn(p + 7, "+-.0123456789eE");
        if (n < sizeof num) {
            memcpy(num, p + 7, n);
            num[n] = '\0';
            if (evm__parse_double(num, &v) != 0 || !isfinite(v))
                v = 0;
        }
    }
    return v;
}

/* Everything but painting: projection, frame, events, furniture, arrows
 * and the label candidates. */
static evm_status layout(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    evm_status st;
    double bb[4];
    d->explicit_extent = m->extent_mode != EVM_EXTENT_AUTO;
    if ((st = extent_box(d, bb, err)) != EVM_OK)
        return st;
    d->geo = evm_geo_new(m->projection, bb, err);
    if (!d->geo)
        return err ? err->code : EVM_E_LIB;
    d->lon0 = central_meridian(evm_geo_definition(d->geo));
    collect_focus(d);
    evm__furniture_measure(d);

    /* fit, then make sure the legend and inset find corners free of
     * events and the events' labels room; zoom out a little when not */
    double shrink = 1.0;
    for (int attempt = 0;; attempt++) {
        if ((st = fit(d, bb, shrink, err)) != EVM_OK)
            return st;
        visible_bbox(d);
        /* thinning tolerance: about 0.4 px, in degrees at the centre */
        double mpp = evm_geo_ground_m_per_px(d->geo, &(evm_frame){
            .x0 = d->X0, .y1 = d->Y0, .x1 = d->X0 + d->W / d->k,
            .y0 = d->Y0 - d->H / d->k, .width = d->W, .height = d->H,
            .scale = d->k});
        d->tol = mpp > 0 && isfinite(mpp) ? 0.4 * mpp / 111320.0 : 0;
        d->bscale = evm_basemap_pick_scale(evm__ll_span(d), d->W);
        evm__labeler_free(d->lb);
        d->lb = evm__labeler_new((evm_rect){0, 0, d->W, d->H});
        if (!d->lb)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        if ((st = evm__events_layout(d, err)) != EVM_OK)
            return st;
        int ok = evm__furniture_place(d);
        evm__arrows_free(d);
        if ((st = evm__arrows_layout(d, err)) != EVM_OK)
            return st;
        /* and that the events' and movements' labels find room (an event
         * at the frame's edge leaves none for a block of several lines):
         * they are placed now, the areas' and the reference names later,
         * after them in priority as always */
        evm__labeler_run(d->lb);
        /* (a table's place labels and an aggregate's are optional: the
         * frame fits the data, not them) */
        int optional = d->from_table || d->style != EVM_STYLE_MARKERS;
        if ((ok && (optional || !evm__labeler_unplaced(d->lb))) ||
            attempt >= 6 ||
            m->extent_mode == EVM_EXTENT_BBOX)
            break;
        shrink *= 0.88;
    }
    return EVM_OK;
}

/* The basemap raster cache. Frames of a time series, and maps of one
 * region drawn again, share their frame exactly: same projection, extent,
 * size, theme and focus countries. Their basemap pixels are then the same,
 * so a renderer keeps the last few basemap rasters of PNG maps and copies
 * them instead of projecting and filling Natural Earth again. */
#define BM_CACHE 2

struct bm_cached {
    char *key;
    unsigned char *px;
    int stride, h;
    unsigned long used;
};

struct evm_renderer {
    evm_basemap *bm;
    int oneshot;              /* draws one map: keeps no basemap raster */
    pthread_mutex_t mu;
    struct bm_cached c[BM_CACHE];
    unsigned long tick;
};

/* The key of a frame's basemap: everything draw_basemap reads. */
static char *bm_key(const evm_draw *d)
{
    evm_buf b;
    evm__buf_init(&b, 1 << 16);
    char n[3][40];
    evm__fmt_num(n[0], d->X0, 6);
    evm__fmt_num(n[1], d->Y0, 6);
    evm__fmt_num(n[2], d->k, 12);
    evm__buf_printf(&b, "%s|%s %s %s|%dx%d|%s|%g|%d|%.17g|", 
                    evm_geo_definition(d->geo), n[0], n[1], n[2], d->W,
                    d->H, d->th->name, d->s, (int)d->bscale, d->tol);
    for (int i = 0; i < d->nfocus; i++)
        evm__buf_puts(&b, d->focus[i]);
    evm__buf_printf(&b, "|%d|%s", (int)d->m->background,
                    d->m->background_path ? d->m->background_path : "");
    return b.failed ? NULL : b.data;
}

/* Copies a cached basemap into the image surface; 1 on a hit. */
static int bm_cache_get(evm_renderer *r, const char *key,
                        cairo_surface_t *s)
{
    int hit = 0;
    pthread_mutex_lock(&r->mu);
    for (int i = 0; i < BM_CACHE && !hit; i++) {
        struct bm_cached *c = &r->c[i];
        if (!c->key || strcmp(c->key, key) != 0 ||
            c->stride != cairo_image_surface_get_stride(s) ||
            c->h != cairo_image_surface_get_height(s))
            continue;
        cairo_surface_flush(s);
        memcpy(cairo_image_surface_get_data(s), c->px,
               (size_t)c->stride * (size_t)c->h);
        cairo_surface_mark_dirty(s);
        c->used = ++r->tick;
        hit = 1;
    }
    pthread_mutex_unlock(&r->mu);
    return hit;
}

static void bm_cache_put(evm_renderer *r, char *key, cairo_surface_t *s)
{
    cairo_surface_flush(s);
    int stride = cairo_image_surface_get_stride(s);
    int h = cairo_image_surface_get_height(s);
    unsigned char *px = malloc((size_t)stride * (size_t)h);
    if (!px) {
        free(key);
        return;
    }
    memcpy(px, cairo_image_surface_get_data(s), (size_t)stride * (size_t)h);
    pthread_mutex_lock(&r->mu);
    int v = 0;
    for (int i = 1; i < BM_CACHE; i++)
        if (r->c[i].used < r->c[v].used)
            v = i;
    free(r->c[v].key);
    free(r->c[v].px);
    r->c[v] = (struct bm_cached){key, px, stride, h, ++r->tick};
    pthread_mutex_unlock(&r->mu);
}

/* The basemap (from the cache when a frame was drawn before) and the
 * spec's own layers: everything under the map's content. */
static evm_status draw_under(evm_draw *d, evm_error *err)
{
    cairo_surface_t *target = cairo_get_target(d->cr);
    char *key = NULL;
    if (d->r && !d->r->oneshot &&
        cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE)
        key = bm_key(d);
    if (key && bm_cache_get(d->r, key, target)) {
        free(key);
    } else {
        evm_status st = draw_basemap(d, err);
        if (st != EVM_OK) {
            free(key);
            return st;
        }
        if (key)
            bm_cache_put(d->r, key, target);
    }
    PT("basemap");
    return evm__layers_draw(d, err);
}

/* Areas, movements, events, labels and furniture, in that order. */
static evm_status draw_over(evm_draw *d, evm_error *err)
{
    evm_status st = evm__areas_draw(d, err);
    if (st != EVM_OK)
        return st;
    PT("areas");
    evm__arrows_draw(d);
    PT("arrows");
    evm__events_draw(d);
    PT("events");
    /* labels: events and movements first (they carry the news), then
     * country names and reference cities wherever room is left */
    evm__labeler_run(d->lb);
    evm__events_labels_draw(d);
    evm__arrows_labels_draw(d);
    evm__areas_labels_draw(d);
    PT("labels");
    draw_reference(d);
    PT("reference");
    evm__furniture_draw(d);
    PT("furniture");
    return EVM_OK;
}

/* draw_under on a thread of its own: a copy of the map's state with its
 * own cairo context and PROJ handle. It reads only the frame, the theme,
 * the focus countries and the spec; the content drawn meanwhile touches
 * none of them. */
struct under_job {
    evm_draw d;
    evm_status st;
    evm_error err;
};

static void *under_run(void *arg)
{
    struct under_job *j = arg;
    if (getenv("EVMAP_PROFILE"))
        pt_last = now_ms();
    j->st = draw_under(&j->d, &j->err);
    return NULL;
}

static evm_status paint(evm_draw *d, evm_error *err)
{
    evm_status st;
    PT("layout");
    cairo_t *cr = d->cr;
    cairo_surface_t *target = cairo_get_target(cr);
    if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE) {
        /* SVG and PDF record every drawing operation in order */
        if ((st = draw_under(d, err)) == EVM_OK)
            st = draw_over(d, err);
    } else {
        /* A PNG is drawn in two layers that meet at the end: the basemap
         * on one thread, the content on a transparent surface on this
         * one (of a cold map's drawing, the basemap is about half). The
         * content is composited over the basemap in the same way whether
         * or not the thread ran, and whether the basemap came from the
         * cache, so the bytes never depend on it. */
        cairo_surface_t *ov =
            evm__image_surface(CAIRO_FORMAT_ARGB32, d->W, d->H);
        cairo_t *ocr = cairo_create(ov);
        struct under_job *j = calloc(1, sizeof *j);
        if (cairo_status(ocr) != CAIRO_STATUS_SUCCESS || !j) {
            cairo_destroy(ocr);
            cairo_surface_destroy(ov);
            free(j);
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        }
        j->d = *d;
        /* the module loads once, before two threads may ask for it */
        if ((d->m->nlayers || d->m->background != EVM_BG_NONE) &&
            !evm__gdal(err)) {
            cairo_destroy(ocr);
            cairo_surface_destroy(ov);
            free(j);
            return err ? err->code : EVM_E_LIB;
        }
        pthread_t th;
        int threaded = 0;
        evm_geo *g2 = evm_geo_clone(d->geo, NULL);
        if (g2) {
            j->d.geo = g2;
            threaded = pthread_create(&th, NULL, under_run, j) == 0;
        }
        if (!threaded) {
            j->d.geo = d->geo;
            under_run(j);
        }
        d->cr = ocr;
        st = draw_over(d, err);
        d->cr = cr;
        if (threaded)
            pthread_join(th, NULL);
        evm_geo_free(g2);
        if (st == EVM_OK && j->st != EVM_OK) {
            st = j->st;
            if (err)
                *err = j->err;
        }
        cairo_destroy(ocr);
        cairo_set_source_surface(cr, ov, 0, 0);
        cairo_paint(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_surface_destroy(ov);
        free(j);
        PT("composite");
    }
    if (st != EVM_OK)
        return st;
    cairo_status_t cs = cairo_status(d->cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return evm_error_set(err, EVM_E_LIB, "drawing failed: %s",
                             cairo_status_to_string(cs));
    return EVM_OK;
}


evm_renderer *evm_renderer_new(evm_error *err)
{
    evm_error berr = {0};
    char *bpath = evm_data_path("basemap.evb");
    evm_basemap *bm = bpath ? evm_basemap_open(bpath, &berr) : NULL;
    free(bpath);
    if (!bm) {
        evm_error_set(err, EVM_E_IO, "basemap.evb: %s (reinstall evmap or "
                      "set EVMAP_DATA)", berr.msg[0] ? berr.msg : "not found");
        return NULL;
    }
    evm_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        evm_basemap_close(bm);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    r->bm = bm;
    pthread_mutex_init(&r->mu, NULL);
    return r;
}

void evm_renderer_free(evm_renderer *r)
{
    if (!r)
        return;
    evm_basemap_close(r->bm);
    for (int i = 0; i < BM_CACHE; i++) {
        free(r->c[i].key);
        free(r->c[i].px);
    }
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* Sets up d for m and o. */
static evm_status draw_init(evm_draw *d, const evm_renderer *r,
                            const evm_map *m, const evm_render_opts *o,
                            evm_format fmt, int *w, int *h, evm_error *err)
{
    *w = o->width > 0 ? o->width : m->width > 0 ? m->width : DEFAULT_W;
    *h = o->height > 0 ? o->height : m->height > 0 ? m->height : DEFAULT_H;
    double dpi = o->dpi > 0 ? o->dpi : 96;
    double s = fmt == EVM_FMT_PNG ? dpi / 96.0 : 1.0;
    memset(d, 0, sizeof *d);
    if (!m->resolved)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: places not resolved (call "
                             "evm_map_resolve first)", m->file);
    if (*w < 16 || *h < 16 || *w * s > MAX_PX || *h * s > MAX_PX)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: map size %dx%d at %g dpi is outside "
                             "16..%d px; choose a smaller size or dpi",
                             m->file, *w, *h, dpi, MAX_PX);
    d->m = m;
    d->th = evm__theme(o->theme >= 0 ? (evm_theme)o->theme : m->theme);
    d->s = s;
    d->W = (int)lround(*w * s);
    d->H = (int)lround(*h * s);
    d->quiet = o->quiet;
    d->verbose = o->verbose;
    d->style_opt = o->style;
    d->date_from = o->date_from;
    d->date_to = o->date_to;
    d->subtitle = o->subtitle;
    d->bm = r->bm;
    d->r = (evm_renderer *)r;
    return EVM_OK;
}

evm_status evm_map_project(const evm_map *m, const evm_render_opts *o,
                           const double *lon, const double *lat, int n,
                           double *px, double *py, evm_error *err)
{
    evm_render_opts def;
    if (!o) {
        evm_render_opts_init(&def);
        o = &def;
    }
    evm_draw d;
    int w, h;
    evm_format fmt = o->format == EVM_FMT_AUTO ? EVM_FMT_PNG : o->format;
    evm_renderer *r = evm_renderer_new(err);
    if (!r)
        return err ? err->code : EVM_E_IO;
    evm_status st = draw_init(&d, r, m, o, fmt, &w, &h, err);
    if (st != EVM_OK) {
        evm_renderer_free(r);
        return st;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                       1, 1);
    d.cr = cairo_create(surf);
    st = layout(&d, err);
    for (int i = 0; st == EVM_OK && i < n; i++)
        if (evm__project(&d, lon[i], lat[i], &px[i], &py[i]) != 0)
            px[i] = py[i] = NAN;
    cairo_destroy(d.cr);
    cairo_surface_destroy(surf);
    draw_free(&d);
    evm_renderer_free(r);
    return st;
}

evm_status evm_map_layout(const evm_map *m, const evm_render_opts *o,
                          char **json, evm_error *err)
{
    evm_render_opts def;
    if (!o) {
        evm_render_opts_init(&def);
        o = &def;
    }
    *json = NULL;
    evm_draw d;
    int w, h;
    evm_format fmt = o->format == EVM_FMT_AUTO ? EVM_FMT_PNG : o->format;
    evm_renderer *r = evm_renderer_new(err);
    if (!r)
        return err ? err->code : EVM_E_IO;
    evm_status st = draw_init(&d, r, m, o, fmt, &w, &h, err);
    if (st != EVM_OK) {
        evm_renderer_free(r);
        return st;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                       1, 1);
    d.cr = cairo_create(surf);
    st = layout(&d, err);
    evm_buf b;
    evm__buf_init(&b, (size_t)1 << 30);
    if (st == EVM_OK && (evm__layout_json(&d, &b) != EVM_OK ||
                         evm__buf_add(&b, "", 1) != 0))
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (st == EVM_OK)
        *json = b.data;
    else
        evm__buf_free(&b);
    cairo_destroy(d.cr);
    cairo_surface_destroy(surf);
    draw_free(&d);
    evm_renderer_free(r);
    return st;
}

evm_status evm_map_render(const evm_map *m, const evm_render_opts *o,
                          const char *path, evm_error *err)
{
    evm_format fmt = pick_format(o ? o : &(evm_render_opts){0}, path);
    if (fmt != EVM_FMT_PNG && fmt != EVM_FMT_SVG && fmt != EVM_FMT_PDF)
        return evm__export(m, o, fmt, path, err);
    evm_renderer *r = evm_renderer_new(err);
    if (!r)
        return err ? err->code : EVM_E_IO;
    r->oneshot = 1;
    evm_status st = evm_renderer_render(r, m, o, path, err);
    evm_renderer_free(r);
    return st;
}

evm_status evm_renderer_render(const evm_renderer *r, const evm_map *m,
                               const evm_render_opts *o, const char *path,
                               evm_error *err)
{
    evm_render_opts def;
    if (!o) {
        evm_render_opts_init(&def);
        o = &def;
    }
    evm_format fmt = pick_format(o, path);
    if (fmt != EVM_FMT_PNG && fmt != EVM_FMT_SVG && fmt != EVM_FMT_PDF)
        return evm__export(m, o, fmt, path, err);
    evm_draw d;
    int w, h;
    evm_status st = draw_init(&d, r, m, o, fmt, &w, &h, err);
    if (st != EVM_OK)
        return st;
    evm_atomic out;
    if ((st = evm__atomic_open(&out, path, err)) != EVM_OK)
        return st;
    cairo_surface_t *surf;
    evm_buf svg;
    evm__buf_init(&svg, 1u << 30);
    if (fmt == EVM_FMT_PNG)
        surf = evm__image_surface(CAIRO_FORMAT_RGB24, d.W, d.H);
    else
        surf = evm__vector_surface(fmt, out.f, &svg, w, h);
    d.cr = cairo_create(surf);
    pt_last = now_ms();
    st = layout(&d, err);
    if (st == EVM_OK)
        st = paint(&d, err);
    cairo_destroy(d.cr);
    if (st == EVM_OK && fmt == EVM_FMT_PNG)
        st = evm__write_png(surf, out.f, m->background != EVM_BG_NONE,
                            err);
    PT("encode");
    cairo_surface_finish(surf);
    if (st == EVM_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s", path,
                           cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    if (st == EVM_OK && fmt == EVM_FMT_SVG)
        st = svg.failed ? evm_error_set(err, EVM_E_NOMEM, "out of memory")
                        : evm__svg_write_normalized(&svg, out.f, err);
    evm__buf_free(&svg);
    if (st == EVM_OK)
        evm__report(&d, o, err);
    if (st == EVM_OK && err && err->code != EVM_OK)
        st = err->code;
    draw_free(&d);
    if (st != EVM_OK) {
        evm__atomic_abort(&out);
        return st;
    }
    return evm__atomic_commit(&out, err);
}
