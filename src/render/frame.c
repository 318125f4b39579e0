/* The frame: which lon/lat box the map shows (the spec's extent, a
 * place, or everything the map holds), its projection, the fit of that
 * box into the canvas between title and footer, and the visible box
 * queried from the basemap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"


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

/* A box's longitude span, across the antimeridian when lo0 > lo1. */
static double lon_span(double lo0, double lo1)
{
    return lo1 >= lo0 ? lo1 - lo0 : lo1 + 360 - lo0;
}

/* -1 when out of memory. */
static int data_bbox(evm_draw *d, bbox_acc *b)
{
    const evm_map *m = d->m;
    memset(b, 0, sizeof *b);
    int cap = m->nevents + 2 * m->nmovements + 2 * m->nareas;
    for (int i = 0; i < m->nmovements; i++)
        cap += m->movements[i].nvia;
    double *lon = malloc(sizeof *lon * (size_t)(cap > 0 ? cap : 1));
    int n = 0;
    if (!lon)
        return -1;
#define ADD(lo, la)                                                        \
    do {                                                                   \
        acc(b, lo, la);                                                    \
        if (isfinite(lo) && isfinite(la))                                  \
            lon[n++] = lo;                                                 \
    } while (0)
    /* the bulk of the events (fit.c) */
    const double *elon, *elat;
    int ne = evm__frame_points(d, &elon, &elat);
    if (ne < 0) {
        free(lon);
        return -1;
    }
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
        const evm_placeref *w = &m->areas[i].where;
        if (!m->areas[i].path &&
            evm_basemap_place_polygon(d->bm, EVM_H(w)->resolved_id, &f,
                                      NULL) == 0) {
            ADD(f.bbox[0], f.bbox[1]);
            ADD(f.bbox[2], f.bbox[3]);
        } else if (m->areas[i].where.has_coord) {
            ADD(m->areas[i].where.lon, m->areas[i].where.lat);
        }
    }
#undef ADD
    if (n > 1)
        lon_arc(lon, n, &b->lo0, &b->lo1);
    /* data all round the world: a world map centred on Greenwich */
    if (n > 1 && lon_span(b->lo0, b->lo1) > 240) {
        b->lo0 = -180;
        b->lo1 = 180;
    }
    free(lon);
    return 0;
}

/* Fits the frame with evm_geo_fit: the extent's box, and the events
 * unless the spec set the extent, scaled to fit the canvas inside margins
 * that leave room for the title and the footer. */
static evm_status fit(evm_draw *d, const double bb[4], double shrink,
                      evm_error *err)
{
    const evm_map *m = d->m;
    double s = d->s;
    evm_fit how = {.width = d->W, .height = d->H, .shrink = shrink};
    if (m->extent_mode == EVM_EXTENT_BBOX) {
        how.margin[1] = d->title.y1 + 4 * s;
        how.margin[3] = (d->H - d->footer.y0) + 4 * s;
    } else {
        how.margin[0] = how.margin[2] = 56 * s;
        how.margin[1] = d->title.y1 + 20 * s;
        how.margin[3] = (d->H - d->footer.y0) + 44 * s;
    }
    /* the bulk of the events (fit.c): exactly located ones, without a
     * few outliers, one per occupied cell of a million */
    if (!d->explicit_extent && m->nevents > 0 &&
        (how.n = evm__frame_points(d, &how.lon, &how.lat)) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    evm_frame fr;
    int rc = evm_geo_fit(d->geo, bb, &how, &fr, err);
    if (rc != 0) {
        if (err && err->code == EVM_E_NOMEM)
            return EVM_E_NOMEM;
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: the map's extent cannot be shown in "
                             "projection \"%s\"", m->file,
                             evm_geo_definition(d->geo));
    }
    d->k = fr.scale;
    d->X0 = fr.x0;
    d->Y0 = fr.y1;
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
            /* its main body: metropolitan France (fit.c) */
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
        if (data_bbox(d, &b) < 0)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
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


/* Contract in render_int.h. */
evm_status evm__frame_projection(evm_draw *d, double bb[4], evm_error *err)
{
    const evm_map *m = d->m;
    evm_status st;
    d->explicit_extent = m->extent_mode != EVM_EXTENT_AUTO;
    if ((st = extent_box(d, bb, err)) != EVM_OK)
        return st;
    d->geo = evm_geo_new(m->projection, bb, err);
    if (!d->geo)
        return err ? err->code : EVM_E_LIB;
    d->lon0 = central_meridian(evm_geo_definition(d->geo));
    return EVM_OK;
}

/* Contract in render_int.h. */
evm_status evm__frame_fit(evm_draw *d, const double bb[4], double shrink,
                          evm_error *err)
{
    evm_status st = fit(d, bb, shrink, err);
    if (st != EVM_OK)
        return st;
    visible_bbox(d);
    /* thinning tolerance: about 0.4 px, in degrees at the centre */
    double mpp = evm_geo_ground_m_per_px(d->geo, &(evm_frame){
        .x0 = d->X0, .y1 = d->Y0, .x1 = d->X0 + d->W / d->k,
        .y0 = d->Y0 - d->H / d->k, .width = d->W, .height = d->H,
        .scale = d->k});
    d->tol = mpp > 0 && isfinite(mpp) ? 0.4 * mpp / 111320.0 : 0;
    d->bscale = evm_basemap_pick_scale(evm__ll_span(d), d->W);
    return EVM_OK;
}
