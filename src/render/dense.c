/* Aggregate styles for whole event tables (ACLED for a year, GDELT for a
 * day, a million rows): every event is binned once, then all the work is
 * per pixel or per cell.
 *  - points: a small dot per event at its position, transparency adding
 *    up where they pile (a raster accumulated here: a million cairo arcs
 *    would take seconds);
 *  - hexbin: hexagons coloured by their number of events, or their
 *    deaths (measure: fatalities; hexagons of events without deaths
 *    grey), on a sequential colour-blind-safe ramp (ColorBrewer YlOrRd)
 *    with round class breaks;
 *  - heatmap: a Gaussian kernel density of the events, or of their
 *    deaths, on a grid, on the same ramp.
 * The largest few hexagons' places get a label with their value. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

#define HEX_R 8.0         /* hexagon radius, CSS px */
/* one dot's opacity: nearly opaque for a few hundred events, fainter
 * for a million so that piles still read as denser */
#define DOT_ALPHA(n) fmax(0.2, fmin(0.85, 40.0 / sqrt((double)(n) + 1)))
#define HEAT_CELL 4.0     /* density grid, CSS px */
#define HEAT_SIGMA 3.0    /* kernel, in cells */
#define TOP_LABELS 6
#define MAX_CLASSES 7

typedef struct hexcell {
    int n;
    int best;             /* the bin's most important event */
    long fat;             /* its deaths */
} hexcell;

typedef struct agg_label {
    double x, y;
    int idx;              /* labeler index */
    char text[200];
    int ev;
} agg_label;

struct evm_agg {
    double R;             /* hexagon radius, px */
    int cols, rows;
    hexcell *hex;
    cairo_surface_t *img; /* points, heatmap */
    double img_scale;     /* px per image pixel */
    long vmax;
    int nzero;            /* hexagons of events without deaths (by deaths) */
    int nring;            /* points: approximate events drawn as rings */
    double breaks[MAX_CLASSES];
    int nclass;
    unsigned ramp[MAX_CLASSES];
    double heat_peak;     /* heatmap: events per 100 km2 at the peak */
    agg_label lab[TOP_LABELS];
    int nlab;
};

/* ColorBrewer YlOrRd without its palest steps (they vanish on land). */
static const unsigned YLORRD[7] = {0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c,
                                   0xfc4e2a, 0xe31a1c, 0xb10026};
static const unsigned GREYS[7] = {0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373,
                                  0x525252, 0x252525, 0x000000};
/* hexagons of events without deaths, when they show deaths: neutral, off
 * the ramp */
#define NO_DEATHS 0xc8c8c8
#define NO_DEATHS_GREY 0xf2f2f2

/* Is event i in the dots, hexagons and density? Drawn, and not known
 * only by its country (gather.c: the legend counts those). */
static int binned(const evm_draw *d, int i)
{
    return d->ev_ok[i] == 2 && !evm__gathered(d, i);
}

/* What a hexagon shows: its deaths or its number of events. */
static long hex_value(const evm_draw *d, const hexcell *h)
{
    return d->size_fat ? h->fat : h->n;
}

void evm__agg_free(evm_draw *d)
{
    struct evm_agg *a = d->agg;
    if (!a)
        return;
    free(a->hex);
    if (a->img)
        cairo_surface_destroy(a->img);
    free(a);
    d->agg = NULL;
}

/* --------------------------------------------------------------- hexes */

/* The hexagon (pointy top, odd rows shifted right) holding pixel x, y. */
static void hex_of(double R, double x, double y, int *col, int *row)
{
    double q = (sqrt(3) / 3 * x - y / 3) / R, r = 2.0 / 3 * y / R;
    double cx = q, cz = r, cy = -q - r;
    double rx = round(cx), ry = round(cy), rz = round(cz);
    double dx = fabs(rx - cx), dy = fabs(ry - cy), dz = fabs(rz - cz);
    if (dx > dy && dx > dz)
        rx = -ry - rz;
    else if (dy <= dz)
        rz = -rx - ry;
    int R_ = (int)rz, Q = (int)rx;
    *row = R_;
    *col = Q + (R_ - (R_ & 1)) / 2;
}

static void hex_centre(double R, int col, int row, double *x, double *y)
{
    *x = R * sqrt(3) * (col + 0.5 * (row & 1));
    *y = R * 1.5 * row;
}

/* Round class breaks from 1 to vmax: 1-2-5 steps, else 1-3-10, else
 * powers of ten, whichever gives at most MAX_CLASSES classes. */
static int round_breaks(long vmax, double *b)
{
    static const double steps[3][3] = {{1, 2, 5}, {1, 3, 0}, {1, 0, 0}};
    for (int s = 0; s < 3; s++) {
        int n = 0;
        for (double p = 1; p <= vmax && n <= MAX_CLASSES; p *= 10)
            for (int k = 0; k < 3 && steps[s][k] > 0; k++) {
                double v = steps[s][k] * p;
                if (v <= vmax && n <= MAX_CLASSES)
                    b[n < MAX_CLASSES ? n : MAX_CLASSES - 1] = v, n++;
            }
        if (n <= MAX_CLASSES || s == 2)
            return n > MAX_CLASSES ? MAX_CLASSES : n ? n : 1;
    }
    return 1;
}

static void set_ramp(const evm_draw *d, struct evm_agg *a)
{
    const unsigned *src = d->th->greyscale ? GREYS : YLORRD;
    for (int i = 0; i < a->nclass; i++) {
        int k = a->nclass == 1 ? 4 : (int)lround(i * 6.0 / (a->nclass - 1));
        a->ramp[i] = src[k];
    }
}

/* The class of value v; -1 below the first break (no deaths). */
static int class_of(const struct evm_agg *a, double v)
{
    if (v < a->breaks[0])
        return -1;
    int c = 0;
    while (c + 1 < a->nclass && v >= a->breaks[c + 1])
        c++;
    return c;
}

/* Bins every drawn event into its hexagon. */
static int bin_hexes(evm_draw *d, struct evm_agg *a)
{
    const evm_map *m = d->m;
    a->R = HEX_R * d->s;
    a->cols = (int)(d->W / (a->R * sqrt(3))) + 3;
    a->rows = (int)(d->H / (a->R * 1.5)) + 3;
    a->hex = evm__calloc((size_t)a->cols * a->rows, sizeof *a->hex);
    if (!a->hex)
        return -1;
    for (int i = 0; i < m->nevents; i++) {
        if (!binned(d, i))
            continue;
        int c, r;
        hex_of(a->R, d->ev[i].x, d->ev[i].y, &c, &r);
        if (c < 0 || r < 0 || c >= a->cols || r >= a->rows)
            continue;
        hexcell *h = &a->hex[(size_t)r * a->cols + c];
        if (!h->n++ || m->events[i].fatalities > m->events[h->best].fatalities)
            h->best = i;
        h->fat += m->events[i].fatalities > 0 ? m->events[i].fatalities : 0;
    }
    for (size_t k = 0; k < (size_t)a->cols * a->rows; k++) {
        if (!a->hex[k].n)
            continue;
        long v = hex_value(d, &a->hex[k]);
        a->vmax = v > a->vmax ? v : a->vmax;
        a->nzero += v == 0;
    }
    return 0;
}

/* -------------------------------------------------------------- rasters */

/* A dot per event: per pixel the count and the summed colour of the
 * dots covering it, then one ARGB pixel from them (opacity
 * 1 - (1 - a)^n, mean colour). Drawn by gathering rather than by
 * stamping each dot: events are first binned to the pixel their dot is
 * centred on (one write an event; discs and rings apart), then each
 * pixel sums the centres within a dot's reach, tile by tile, skipping
 * tiles no dot reaches. The same sums as stamping (2r+1)^2 pixels an
 * event, without a million events' scattered writes. */
#define PT_TILE 16
typedef struct {
    float *g;           /* (W + 2M) x (H + 2M) x {count, r, g, b} */
    unsigned char *occ; /* per PT_TILE x PT_TILE block of g: any centre */
} pt_grid;

static int pt_add(pt_grid *p, int GW, int GH, int gx, int gy, float cr,
                  float cg, float cb)
{
    int TW = (GW + PT_TILE - 1) / PT_TILE, TH = (GH + PT_TILE - 1) / PT_TILE;
    if (!p->g) {
        p->g = evm__calloc((size_t)GW * GH * 4, sizeof *p->g);
        p->occ = evm__calloc((size_t)TW * TH, 1);
        if (!p->g || !p->occ)
            return -1;
    }
    float *q = &p->g[((size_t)gy * GW + gx) * 4];
    q[0] += 1;
    q[1] += cr;
    q[2] += cg;
    q[3] += cb;
    p->occ[(size_t)(gy / PT_TILE) * TW + gx / PT_TILE] = 1;
    return 0;
}

/* 1 if a centre of p lies in grid columns [x0, x1) x rows [y0, y1). */
static int pt_any(const pt_grid *p, int GW, int x0, int y0, int x1, int y1)
{
    if (!p->g)
        return 0;
    int TW = (GW + PT_TILE - 1) / PT_TILE;
    for (int ty = y0 / PT_TILE; ty <= (y1 - 1) / PT_TILE; ty++)
        for (int tx = x0 / PT_TILE; tx <= (x1 - 1) / PT_TILE; tx++)
            if (p->occ[(size_t)ty * TW + tx])
                return 1;
    return 0;
}

/* Sums into s[4] the centres of p at grid offsets off[0..n) from
 * (gx, gy). */
static void pt_gather(const pt_grid *p, int GW, int gx, int gy,
                      const int *off, int n, float *s)
{
    const float *c = &p->g[((size_t)gy * GW + gx) * 4];
    for (int k = 0; k < n; k++) {
        const float *q = c + (ptrdiff_t)off[k] * 4;
        s[0] += q[0];
        s[1] += q[1];
        s[2] += q[2];
        s[3] += q[3];
    }
}

/* -1 when out of memory. */
static int pt_pixels(evm_draw *d, const pt_grid *pg, int rad,
                     double dot_a, unsigned char *px, int st)
{
    int W = d->W, H = d->H, M = rad, GW = W + 2 * M;
    /* discs and rings of radius rad + 0.5: round, no one-pixel spikes at
     * the ends of the axes; as grid offsets from a pixel */
    int out2 = rad * rad + rad, in2 = (rad - 1) * rad;
    int span = 2 * rad + 1;
    int *off = malloc((size_t)span * span * 2 * sizeof *off);
    if (!off)
        return -1;
    int nd = 0, nr = 0, *roff = off + span * span;
    for (int dy = -rad; dy <= rad; dy++)
        for (int dx = -rad; dx <= rad; dx++) {
            int r2 = dx * dx + dy * dy;
            if (r2 > out2)
                continue;
            off[nd++] = dy * GW + dx;
            if (r2 > in2)
                roff[nr++] = dy * GW + dx;
        }
    for (int ty = 0; ty < H; ty += PT_TILE)
        for (int tx = 0; tx < W; tx += PT_TILE) {
            int x1 = tx + PT_TILE < W ? tx + PT_TILE : W;
            int y1 = ty + PT_TILE < H ? ty + PT_TILE : H;
            /* output (x, y) reads grid (x + M + dx, y + M + dy) */
            int disc = pt_any(&pg[0], GW, tx, ty, x1 + 2 * M, y1 + 2 * M);
            int ring = pt_any(&pg[1], GW, tx, ty, x1 + 2 * M, y1 + 2 * M);
            if (!disc && !ring)
                continue; /* the surface starts transparent */
            for (int y = ty; y < y1; y++) {
                uint32_t *row = (uint32_t *)(px + (size_t)y * st);
                for (int x = tx; x < x1; x++) {
                    float p[4] = {0, 0, 0, 0};
                    if (disc)
                        pt_gather(&pg[0], GW, x + M, y + M, off, nd, p);
                    if (ring)
                        pt_gather(&pg[1], GW, x + M, y + M, roff, nr, p);
                    if (p[0] <= 0)
                        continue;
                    double al = 1 - pow(1 - dot_a, p[0]);
                    unsigned A = (unsigned)lround(al * 255);
                    unsigned R = (unsigned)lround(p[1] / p[0] * al * 255);
                    unsigned G = (unsigned)lround(p[2] / p[0] * al * 255);
                    unsigned B = (unsigned)lround(p[3] / p[0] * al * 255);
                    row[x] = A << 24 | R << 16 | G << 8 | B;
                }
            }
        }
    free(off);
    return 0;
}

static int raster_points(evm_draw *d, struct evm_agg *a)
{
    const evm_map *m = d->m;
    /* dots an analyst can see: 3 px across at print resolution for a few
     * thousand events, smaller for more; approximate locations (admin-1
     * or coarser) are rings, never drawn as if exact */
    int rad = (int)lround((d->ndrawn < 20000 ? 3.0 : 2.0) * d->s);
    rad = rad < 2 ? 2 : rad;
    double dot_a = DOT_ALPHA(d->ndrawn);
    int M = rad, GW = d->W + 2 * M, GH = d->H + 2 * M;
    pt_grid pg[2] = {{NULL, NULL}, {NULL, NULL}};
    int rc = 0;
    for (int i = 0; i < m->nevents && rc == 0; i++) {
        if (!binned(d, i))
            continue;
        unsigned c = d->th->greyscale ? 0x222222
                                      : d->th->cat_color[m->events[i].type->cat];
        int ring = m->events[i].where.precision >= EVM_PREC_ADMIN1;
        a->nring += ring;
        int gx = (int)d->ev[i].x + M, gy = (int)d->ev[i].y + M;
        if (gx < 0 || gy < 0 || gx >= GW || gy >= GH)
            continue; /* no pixel of its dot is on the map */
        rc = pt_add(&pg[ring], GW, GH, gx, gy, ((c >> 16) & 255) / 255.f,
                    ((c >> 8) & 255) / 255.f, (c & 255) / 255.f);
    }
    if (rc == 0) {
        a->img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, d->W, d->H);
        if (cairo_surface_status(a->img) != CAIRO_STATUS_SUCCESS)
            rc = -1;
    }
    if (rc == 0) {
        cairo_surface_flush(a->img);
        rc = pt_pixels(d, pg, rad, dot_a,
                       cairo_image_surface_get_data(a->img),
                       cairo_image_surface_get_stride(a->img));
        cairo_surface_mark_dirty(a->img);
        a->img_scale = 1;
    }
    for (int k = 0; k < 2; k++) {
        free(pg[k].g);
        free(pg[k].occ);
    }
    return rc;
}

/* One pass of a separable Gaussian blur along rows (stride 1) or
 * columns (stride w) of g into t. */
static void blur_pass(const float *g, float *t, int w, int h, int along_x,
                      const float *k, int kr)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float s = 0;
            for (int j = -kr; j <= kr; j++) {
                int xx = along_x ? x + j : x, yy = along_x ? y : y + j;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                    continue;
                s += g[(size_t)yy * w + xx] * k[j + kr];
            }
            t[(size_t)y * w + x] = s;
        }
}

static double ground_m_per_px(evm_draw *d)
{
    evm_frame fr = {.x0 = d->X0, .y1 = d->Y0, .x1 = d->X0 + d->W / d->k,
                    .y0 = d->Y0 - d->H / d->k, .width = d->W,
                    .height = d->H, .scale = d->k};
    return evm_geo_ground_m_per_px(d->geo, &fr);
}

static int raster_heat(evm_draw *d, struct evm_agg *a)
{
    const evm_map *m = d->m;
    double c = HEAT_CELL * d->s;
    int w = (int)(d->W / c) + 1, h = (int)(d->H / c) + 1;
    float *g = evm__calloc((size_t)w * h, sizeof *g);
    float *t = evm__calloc((size_t)w * h, sizeof *t);
    if (!g || !t) {
        free(g);
        free(t);
        return -1;
    }
    for (int i = 0; i < m->nevents; i++)
        if (binned(d, i))
            g[(size_t)(int)(d->ev[i].y / c) * w + (int)(d->ev[i].x / c)] +=
                !d->size_fat ? 1
                : m->events[i].fatalities > 0 ? m->events[i].fatalities : 0;
    enum { KR = 9 };
    float k[2 * KR + 1], ks = 0;
    for (int j = -KR; j <= KR; j++)
        ks += k[j + KR] = (float)exp(-0.5 * j * j / (HEAT_SIGMA * HEAT_SIGMA));
    for (int j = 0; j <= 2 * KR; j++)
        k[j] /= ks;
    blur_pass(g, t, w, h, 1, k, KR);
    blur_pass(t, g, w, h, 0, k, KR);
    float peak = 0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        peak = fmaxf(peak, g[i]);
    double mpp = ground_m_per_px(d);
    a->heat_peak = mpp > 0 && isfinite(mpp)
                       ? peak / (c * c * mpp * mpp / 1e6) * 100 : 0;
    a->img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(a->img) != CAIRO_STATUS_SUCCESS || peak <= 0) {
        free(g);
        free(t);
        return peak <= 0 ? 0 : -1;
    }
    const unsigned *src = d->th->greyscale ? GREYS : YLORRD;
    cairo_surface_flush(a->img);
    unsigned char *px = cairo_image_surface_get_data(a->img);
    int st = cairo_image_surface_get_stride(a->img);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(px + (size_t)y * st);
        for (int x = 0; x < w; x++) {
            double v = sqrt(g[(size_t)y * w + x] / peak); /* 0..1 */
            if (v < 0.04) {
                row[x] = 0;
                continue;
            }
            double f = v * 6;
            int i0 = (int)f < 6 ? (int)f : 5;
            double u = f - i0;
            unsigned c0 = src[i0], c1 = src[i0 + 1], out = 0;
            for (int sh = 16; sh >= 0; sh -= 8) {
                double ch = ((c0 >> sh) & 255) * (1 - u) + ((c1 >> sh) & 255) * u;
                out |= (unsigned)lround(ch) << sh;
            }
            double al = fmin(0.85, 0.25 + v);
            unsigned A = (unsigned)lround(al * 255);
            row[x] = A << 24 |
                     (unsigned)lround(((out >> 16) & 255) * al) << 16 |
                     (unsigned)lround(((out >> 8) & 255) * al) << 8 |
                     (unsigned)lround((out & 255) * al);
        }
    }
    cairo_surface_mark_dirty(a->img);
    a->img_scale = c;
    a->vmax = (int)lround(peak);
    free(g);
    free(t);
    return 0;
}

/* -------------------------------------------------------------- labels */

static void agg_labels(evm_draw *d, struct evm_agg *a)
{
    const evm_map *m = d->m;
    int ncell = a->cols * a->rows;
    a->nlab = 0;
    /* the TOP_LABELS fullest hexagons */
    int top[TOP_LABELS];
    int nt = 0;
    for (int i = 0; i < ncell; i++) {
        if (!hex_value(d, &a->hex[i]))
            continue;
        int k;
        if (nt < TOP_LABELS)
            k = nt++;
        else if (hex_value(d, &a->hex[i]) >
                 hex_value(d, &a->hex[top[TOP_LABELS - 1]]))
            k = TOP_LABELS - 1;
        else
            continue;
        top[k] = i;
        while (k > 0 && hex_value(d, &a->hex[top[k - 1]]) <
                            hex_value(d, &a->hex[top[k]])) {
            int t = top[k - 1];
            top[k - 1] = top[k];
            top[k] = t;
            k--;
        }
    }
    for (int j = 0; j < nt; j++) {
        const hexcell *h = &a->hex[top[j]];
        const evm_event *e = &m->events[h->best];
        const char *nm = e->where.name ? e->where.name
                                       : EVM_H(&e->where)->resolved_name;
        if (!nm)
            continue;
        agg_label *L = &a->lab[a->nlab];
        L->ev = h->best;
        L->x = d->ev[h->best].x;
        L->y = d->ev[h->best].y;
        /* a table's "Kyiv, Kyyiv, Misto, Ukraine" is "Kyiv" */
        const char *comma = d->from_table ? strchr(nm, ',') : NULL;
        int len = comma && comma > nm ? (int)(comma - nm) : (int)strlen(nm);
        long v = hex_value(d, h);
        const char *unit = d->size_fat ? "death" : "event";
        char name[160];
        snprintf(name, sizeof name, "%.*s", len, nm);
        if (d->from_table)
            evm__name_drop_repeat(name);
        snprintf(L->text, sizeof L->text, "%s: %ld %s%s", name, v, unit,
                 v == 1 ? "" : "s");
        PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 1, 12 * d->s,
                                          L->text, 0, 0);
        double w, hh;
        evm__text_size(l, &w, &hh);
        g_object_unref(l);
        L->idx = evm__labeler_add(d->lb, L->x, L->y, 6 * d->s, w + 2 * d->s,
                                  hh, j);
        /* its marked point: no other label covers it */
        evm__labeler_add_symbol(d->lb, L->x, L->y, 3 * d->s);
        d->nlabels++;
        a->nlab++;
    }
}

/* ------------------------------------------------------------- layout */

evm_status evm__events_layout_dense(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    evm__agg_free(d);
    /* hexagons and density show the events unless asked for deaths */
    d->size_fat = d->measure == EVM_MEASURE_FATALITIES;
    if (d->size_fat) {
        int any = 0;
        for (int i = 0; i < m->nevents && !any; i++)
            any = binned(d, i) && m->events[i].fatalities > 0;
        if (!any && d->ndrawn)
            evm__warn(d, "%s: measure fatalities: no event drawn has deaths",
                      m->file);
    }
    struct evm_agg *a = d->agg = evm__calloc(1, sizeof *a);
    if (!a || bin_hexes(d, a) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    /* what the events cover: reference names and furniture keep off */
    for (int r = 0; r < a->rows; r++)
        for (int c = 0; c < a->cols; c++)
            if (a->hex[(size_t)r * a->cols + c].n) {
                double x, y;
                hex_centre(a->R, c, r, &x, &y);
                evm__occ_mark(d, x, y, a->R);
            }
    /* the occupied cells, row by row in runs, are obstacles: country and
     * city names go only where they hide no event */
    for (int gy = 0; gy < d->oh; gy++)
        for (int gx = 0; gx < d->ow; gx++) {
            if (!d->occ[(size_t)gy * d->ow + gx])
                continue;
            int x1 = gx;
            while (x1 + 1 < d->ow && d->occ[(size_t)gy * d->ow + x1 + 1])
                x1++;
            evm__labeler_add_obstacle(d->lb, (evm_rect){
                gx * d->ocell, gy * d->ocell, (x1 + 1) * d->ocell,
                (gy + 1) * d->ocell});
            gx = x1;
        }
    int rc = 0;
    if (d->style == EVM_STYLE_POINTS)
        rc = raster_points(d, a);
    else if (d->style == EVM_STYLE_HEATMAP)
        rc = raster_heat(d, a);
    if (rc < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (d->style == EVM_STYLE_HEXBIN) {
        a->nclass = round_breaks(a->vmax > 0 ? a->vmax : 1, a->breaks);
        set_ramp(d, a);
    }
    agg_labels(d, a);
    return EVM_OK;
}

/* --------------------------------------------------------------- draw */

static void hex_path(cairo_t *cr, double x, double y, double R)
{
    for (int k = 0; k < 6; k++) {
        double an = M_PI / 180 * (60 * k - 30);
        if (k == 0)
            cairo_move_to(cr, x + R * cos(an), y + R * sin(an));
        else
            cairo_line_to(cr, x + R * cos(an), y + R * sin(an));
    }
    cairo_close_path(cr);
}

void evm__events_draw_dense(evm_draw *d)
{
    struct evm_agg *a = d->agg;
    cairo_t *cr = d->cr;
    if (!a)
        return;
    if (a->img) {
        cairo_save(cr);
        cairo_scale(cr, a->img_scale, a->img_scale);
        cairo_set_source_surface(cr, a->img, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr),
                                 a->img_scale > 1 ? CAIRO_FILTER_BILINEAR
                                                  : CAIRO_FILTER_NEAREST);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    if (d->style == EVM_STYLE_HEXBIN) {
        /* one path per class: a few fills for any number of hexagons;
         * class -1 holds events without deaths */
        for (int k = a->nzero ? -1 : 0; k < a->nclass; k++) {
            cairo_new_path(cr);
            for (int r = 0; r < a->rows; r++)
                for (int c = 0; c < a->cols; c++) {
                    const hexcell *h = &a->hex[(size_t)r * a->cols + c];
                    if (!h->n || class_of(a, hex_value(d, h)) != k)
                        continue;
                    double x, y;
                    hex_centre(a->R, c, r, &x, &y);
                    hex_path(cr, x, y, a->R - 0.4 * d->s);
                }
            evm__set_rgba(cr, k >= 0 ? a->ramp[k]
                              : d->th->greyscale ? NO_DEATHS_GREY : NO_DEATHS,
                          0.88);
            cairo_fill(cr);
        }
    }
    /* the labelled places marked */
    for (int j = 0; j < a->nlab; j++) {
        cairo_new_path(cr);
        cairo_arc(cr, a->lab[j].x, a->lab[j].y, 2.6 * d->s, 0, 2 * M_PI);
        evm__set_rgb(cr, d->th->marker_halo);
        cairo_fill(cr);
        cairo_arc(cr, a->lab[j].x, a->lab[j].y, 1.8 * d->s, 0, 2 * M_PI);
        evm__set_rgb(cr, d->th->label_text);
        cairo_fill(cr);
    }
}

/* The aggregate's labels (placelabels.c draws the places' own), with a
 * leader to the marked point when the hexagons around pushed them off. */
void evm__agg_labels_draw(evm_draw *d)
{
    struct evm_agg *a = d->agg;
    for (int j = 0; a && j < a->nlab; j++) {
        const agg_label *L = &a->lab[j];
        evm_rect box;
        int placed, lead;
        evm__labeler_result(d->lb, L->idx, &box, &placed, &lead);
        if (placed && lead)
            evm__label_leader(d, L->x, L->y, 3 * d->s, box);
        evm__label_draw(d, L->idx, L->text, 1, 12, d->th->text,
                        d->m->events[L->ev].pos);
    }
}

/* The layout report's view of an aggregate. */
int evm__agg_bins(const evm_draw *d, int k, double *x, double *y, int *n,
                  long *fat)
{
    const struct evm_agg *a = d->agg;
    if (!a || k < 0 || k >= a->cols * a->rows)
        return -1;
    *n = a->hex[k].n;
    *fat = a->hex[k].fat;
    hex_centre(a->R, k % a->cols, k / a->cols, x, y);
    return 0;
}

int evm__agg_label(const evm_draw *d, int j, const char **text, int *idx,
                   int *ev)
{
    const struct evm_agg *a = d->agg;
    if (!a || j >= a->nlab)
        return -1;
    *text = a->lab[j].text;
    *idx = a->lab[j].idx;
    *ev = a->lab[j].ev;
    return 0;
}

int evm__agg_legend(const evm_draw *d, unsigned *color, char (*text)[64],
                    int max)
{
    const struct evm_agg *a = d->agg;
    if (!a || d->style != EVM_STYLE_HEXBIN)
        return 0;
    int n = 0;
    if (a->nzero && d->size_fat && n < max) {
        color[n] = d->th->greyscale ? NO_DEATHS_GREY : NO_DEATHS;
        snprintf(text[n++], 64, "events, no deaths");
    }
    for (int k = 0; k < a->nclass && n < max; k++, n++) {
        color[n] = a->ramp[k];
        long lo = (long)a->breaks[k];
        long hi = k + 1 < a->nclass ? (long)a->breaks[k + 1] - 1 : a->vmax;
        if (k + 1 == a->nclass && hi > lo)
            snprintf(text[n], 64, "%ld or more", lo);
        else if (hi > lo)
            snprintf(text[n], 64, "%ld\xe2\x80\x93%ld", lo, hi);
        else
            snprintf(text[n], 64, "%ld", lo);
    }
    return n;
}

/* Points: how many approximate events are drawn as rings. */
int evm__agg_rings(const evm_draw *d)
{
    return d->agg ? d->agg->nring : 0;
}

/* Heatmap: the ramp and its peak, for the legend. */
double evm__agg_heat_peak(const evm_draw *d)
{
    return d->agg ? d->agg->heat_peak : 0;
}

/* Hexagon radius (px) and its width across in km. */
double evm__agg_hex_km(evm_draw *d)
{
    if (!d->agg)
        return 0;
    double mpp = ground_m_per_px(d);
    return mpp > 0 && isfinite(mpp) ? d->agg->R * sqrt(3) * mpp / 1000 : 0;
}
