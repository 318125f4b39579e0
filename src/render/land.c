/* Land and water: the basemap under everything (ocean, land, the focus
 * countries lighter, lakes, rivers, admin-1 lines, borders), and the
 * focus countries themselves (those holding events or areas). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

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
    int failed;        /* out of memory: a feature's parts are missing */
} bm_ctx;

/* Contract in render_int.h. */
int evm__is_focus(const evm_draw *d, const char *iso)
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
    if (c->focus_mode == 1 && !evm__is_focus(d, f->iso_a2))
        return 0;
    if (c->focus_mode == 2 && evm__is_focus(d, f->iso_a2))
        return 0;
    if (c->admin_focus && !evm__is_focus(d, f->iso_a2))
        return 0;
    if (c->max_rank >= 0 && f->rank > c->max_rank)
        return 0;
    if (c->disputed >= 0 && !!(f->flags & EVM_BM_F_DISPUTED) != c->disputed)
        return 0;
    const float *ll = f->lonlat;
    for (uint32_t p = 0; p < f->nparts; p++) {
        uint32_t n = f->part_len[p];
        if (evm__path_lonlat(d, ll, n, c->polygon, &c->sc) < 0) {
            c->failed = 1;
            return 1;
        }
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

/* Contract in render_int.h. */
evm_status evm__land_draw(evm_draw *d, evm_error *err)
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
    if (c.failed)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    return EVM_OK;
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

/* Contract in render_int.h. */
void evm__focus_collect(evm_draw *d)
{
    for (int i = 0; i < d->m->nevents; i++) {
        const char *cc = d->m->events[i].where.resolved_country;
        if (!cc[0] || evm__is_focus(d, cc) || d->nfocus >= 32)
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
        if (c.iso[0] && !evm__is_focus(d, c.iso) && d->nfocus < 32)
            memcpy(d->focus[d->nfocus++], c.iso, 3);
    }
    free(seen.k);
    /* areas name their country */
    for (int i = 0; i < d->m->nareas; i++) {
        evm_bm_feature f;
        if (d->bm && d->m->areas[i].where.name &&
            evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES,
                                     d->m->areas[i].where.name, &f) == 0 &&
            f.iso_a2[0] && !evm__is_focus(d, f.iso_a2) && d->nfocus < 32)
            memcpy(d->focus[d->nfocus++], f.iso_a2, 3);
    }
}

