/* Place names: country names and reference cities, placed after every
 * event and movement label, only where room is left. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

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

/* (the events' occupancy grid: per cell, not per event) */
static int near_event(const evm_draw *d, double x, double y, double r)
{
    return evm__events_near(d, x, y, r);
}

/* 1 when an event's place already carries this name on the map. */
static int same_place(const evm_placeref *p, const char *name)
{
    return (p->name && strcasecmp(p->name, name) == 0) ||
           (EVM_H(p)->resolved_name &&
            strcasecmp(EVM_H(p)->resolved_name, name) == 0);
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

/* Contract in render_int.h. */
void evm__places_draw(evm_draw *d)
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
        if (k.items[i].cap && k.items[i].iso[0] && evm__is_focus(d, k.items[i].iso))
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

