/* Map furniture: title block, legend of exactly what is drawn, scale bar
 * true at the map's centre, footer with source and data attribution, and
 * a locator globe. The legend and the globe go to the corners that cover
 * no event. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include "core/core.h"
#include "render/render_int.h"

#define PAD 10
#define ROW 20

/* ------------------------------------------------------------- legend */

enum { LG_EVENT, LG_CLAIMED, LG_SIZE, LG_MOVE, LG_AREA, LG_DOT, LG_APPROX,
       LG_NOTE, LG_RAMP, LG_HEAT };

typedef struct lg_entry {
    int kind;
    const evm_event_type *type;
    const evm_movement *mv;
    const evm_area *area;
    int ntypes;
    double size;          /* LG_SIZE: symbol diameter, px */
    unsigned color;       /* LG_RAMP */
    char text[200];
} lg_entry;

static const char *move_word(evm_move_type t)
{
    static const char *w[] = {"advance", "withdrawal", "airlift",
                              "deployment", "attack", "supply"};
    return t < EVM_MOVE_COUNT ? w[t] : "movement";
}

/* The distinct types of the drawn events, in one pass over the events
 * (a table holds few types: the last one found is checked first). */
static int used_types(const evm_draw *d, const evm_event_type **t, int max,
                      int *claimed, int *fat)
{
    const evm_map *m = d->m;
    int n = 0;
    const evm_event_type *last = NULL;
    *claimed = *fat = 0;
    for (int i = 0; d->ev_ok && i < m->nevents; i++) {
        const evm_event *ev = &m->events[i];
        if (!d->ev_ok[i])
            continue;
        *claimed |= ev->claimed;
        *fat |= ev->fatalities > 0;
        if (ev->type == last)
            continue;
        last = ev->type;
        int k = 0;
        while (k < n && t[k] != ev->type)
            k++;
        if (k == n && n < max)
            t[n++] = ev->type;
    }
    return n;
}

/* Round values (1, 10, 100 ...; or 1, 2, 5 when few) up to vmax, at most
 * three, largest last. */
static int size_values(double vmax, double *v)
{
    int n = 0;
    double all[24];
    for (double p = 1; p <= vmax && n < 20; p *= 10)
        all[n++] = p;
    if (n < 2) {
        n = 0;
        static const double f[] = {1, 2, 5};
        for (int k = 0; k < 3; k++)
            if (f[k] <= vmax)
                all[n++] = f[k];
    }
    int k0 = n > 3 ? n - 3 : 0;
    for (int k = k0; k < n; k++)
        v[k - k0] = all[k];
    return n - k0;
}

static int event_entries(const evm_draw *d, lg_entry *e, int n, int max,
                         int dots)
{
    const evm_event_type *t[64];
    int claimed, fat;
    int nt = used_types(d, t, 64, &claimed, &fat);
    for (int c = 0; c < EVM_CAT_COUNT; c++)
        for (int i = 0; i < nt && n < max; i++) {
            const evm_event_type *ty = t[i];
            if ((int)ty->cat != c)
                continue;
            /* one entry per symbol: types drawn alike share it, named
             * together ("Airstrike, shelling"), or by their category
             * (its ACLED event type) when there are more than three */
            int same = -1;
            for (int j = 0; j < n; j++)
                if ((e[j].kind == LG_EVENT || e[j].kind == LG_DOT) &&
                    e[j].type->cat == ty->cat &&
                    (dots || e[j].type->glyph == ty->glyph))
                    same = j;
            if (same < 0) {
                e[n] = (lg_entry){.kind = dots ? LG_DOT : LG_EVENT,
                                  .type = ty, .ntypes = 1};
                snprintf(e[n].text, sizeof e[n].text, "%s",
                         dots && ty->event_type ? ty->event_type
                                                : ty->legend);
                n++;
                continue;
            }
            lg_entry *x = &e[same];
            if (dots || strcasestr(x->text, ty->legend))
                continue;
            if (++x->ntypes > 3) {
                snprintf(x->text, sizeof x->text, "%s",
                         ty->event_type ? ty->event_type : ty->legend);
            } else {
                size_t l = strlen(x->text);
                snprintf(x->text + l, sizeof x->text - l, ", %c%s",
                         (char)tolower((unsigned char)ty->legend[0]),
                         ty->legend + 1);
            }
        }
    if (claimed && n < max && !dots) {
        e[n] = (lg_entry){.kind = LG_CLAIMED};
        snprintf(e[n++].text, sizeof e[0].text, "Claimed, not confirmed");
    }
    return n;
}

/* Markers: the approximate places, the number in a symbol, and the size
 * classes with their values. */
static int marker_entries(const evm_draw *d, lg_entry *e, int n, int max)
{
    int approx = 0, agg = 0;
    double vmax = 0;
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        approx |= cl->approx;
        agg |= !cl->ring && cl->n > 1;
        vmax = fmax(vmax, d->size_fat ? (double)cl->fat : (double)cl->n);
    }
    if (approx && n < max) {
        e[n] = (lg_entry){.kind = LG_APPROX};
        snprintf(e[n++].text, sizeof e[0].text,
                 "Approximate location (region or country)");
    }
    if (agg && n < max) {
        e[n] = (lg_entry){.kind = LG_NOTE};
        snprintf(e[n++].text, sizeof e[0].text,
                 "Number: events at the place");
    }
    double v[3];
    int nv = (d->size_fat || vmax >= 2) ? size_values(vmax, v) : 0;
    if (nv && n < max) {
        e[n] = (lg_entry){.kind = LG_NOTE};
        snprintf(e[n++].text, sizeof e[0].text, "Size: %s",
                 d->size_fat ? "deaths at the place" : "events at the place");
    }
    for (int k = 0; k < nv && n < max; k++) {
        double val = d->size_fat ? v[k] : v[k] - 1;
        e[n] = (lg_entry){.kind = LG_SIZE,
                          .size = evm__symbol_size(d, val)};
        snprintf(e[n++].text, sizeof e[0].text, "%g %s", v[k],
                 d->size_fat ? (v[k] == 1 ? "death" : "deaths")
                             : (v[k] == 1 ? "event" : "events"));
    }
    return n;
}

static int aggregate_rows(evm_draw *d, lg_entry *e, int n, int max)
{
    if (d->style_auto && n < max) {
        e[n] = (lg_entry){.kind = LG_NOTE};
        snprintf(e[n++].text, sizeof e[0].text,
                 "Too many places for markers: %s",
                 d->style == EVM_STYLE_HEXBIN ? "hexagons" : "aggregated");
    }
    if (d->style == EVM_STYLE_POINTS) {
        if (n < max) {
            e[n] = (lg_entry){.kind = LG_NOTE};
            snprintf(e[n++].text, sizeof e[0].text, "One dot per event");
        }
        n = event_entries(d, e, n, max, 1);
        if (evm__agg_rings(d) && n < max) {
            e[n] = (lg_entry){.kind = LG_NOTE};
            snprintf(e[n++].text, sizeof e[0].text,
                     "Rings: location known only to a region");
        }
        return n;
    }
    if (d->style == EVM_STYLE_HEATMAP) {
        if (n < max) {
            e[n] = (lg_entry){.kind = LG_NOTE};
            snprintf(e[n++].text, sizeof e[0].text, "Density of %s",
                     d->size_fat ? "deaths" : "events");
        }
        if (n < max) {
            /* the peak per 100 km2, or per a larger area when that would
             * read 0 (a world map): 10,000 km2, 1,000,000 km2 */
            double pk = evm__agg_heat_peak(d);
            const char *unit = "100";
            if (pk > 0 && pk < 1) {
                pk *= 100;
                unit = "10,000";
            }
            if (pk > 0 && pk < 1) {
                pk *= 100;
                unit = "1,000,000";
            }
            char num[40];
            evm__fmt_num(num, pk >= 10 ? round(pk) : pk, pk >= 10 ? 0 : 1);
            e[n] = (lg_entry){.kind = LG_HEAT};
            if (pk > 0)
                snprintf(e[n++].text, sizeof e[0].text,
                         "low \xe2\x80\x93 peak %s per %s km\xc2\xb2", num,
                         unit);
            else
                snprintf(e[n++].text, sizeof e[0].text, "low \xe2\x80\x93 high");
        }
        return n;
    }
    double km = evm__agg_hex_km(d);
    if (n < max) {
        char num[40];
        evm__fmt_num(num, km >= 10 ? round(km) : km, km >= 10 ? 0 : 1);
        e[n] = (lg_entry){.kind = LG_NOTE};
        const char *what = d->size_fat ? "Deaths" : "Events";
        if (km > 0)
            snprintf(e[n++].text, sizeof e[0].text,
                     "%s per hexagon (%s km across)", what, num);
        else
            snprintf(e[n++].text, sizeof e[0].text, "%s per hexagon", what);
    }
    unsigned col[8];
    char txt[8][64];
    int nc = evm__agg_legend(d, col, txt, 8);
    for (int k = 0; k < nc && n < max; k++) {
        e[n] = (lg_entry){.kind = LG_RAMP, .color = col[k]};
        snprintf(e[n++].text, sizeof e[0].text, "%.63s", txt[k]);
    }
    return n;
}

/* The aggregate's rows, then what it leaves out: dense.c does not bin the
 * events known only by their country. */
static int aggregate_entries(evm_draw *d, lg_entry *e, int n, int max)
{
    n = aggregate_rows(d, e, n, max);
    if (d->ngathered && n < max) {
        e[n] = (lg_entry){.kind = LG_NOTE};
        snprintf(e[n++].text, sizeof e[0].text,
                 "%d country-level event%s not mapped", d->ngathered,
                 d->ngathered == 1 ? "" : "s");
    }
    return n;
}

/* Entries for exactly the types, sides and areas the map draws, and the
 * values of what the events' sizes and colours say. */
static int legend_entries(evm_draw *d, lg_entry *e, int max)
{
    const evm_map *m = d->m;
    int n = 0;
    if (d->style == EVM_STYLE_MARKERS || d->style == EVM_STYLE_AUTO) {
        n = event_entries(d, e, n, max, 0);
        n = marker_entries(d, e, n, max);
    } else {
        n = aggregate_entries(d, e, n, max);
    }
    for (int i = 0; i < m->nmovements && n < max; i++) {
        const evm_movement *mv = &m->movements[i];
        int dup = 0;
        for (int j = 0; j < n; j++)
            if (e[j].kind == LG_MOVE && e[j].mv->type == mv->type &&
                e[j].mv->claimed == mv->claimed &&
                evm__side_color(d, e[j].mv->side, e[j].mv->color) ==
                    evm__side_color(d, mv->side, mv->color))
                dup = 1;
        if (dup)
            continue;
        e[n] = (lg_entry){.kind = LG_MOVE, .mv = mv};
        const char *w = move_word(mv->type);
        if (mv->side && *mv->side)
            snprintf(e[n].text, sizeof e[n].text, "%s: %s%s", mv->side, w,
                     mv->claimed ? " (claimed)" : "");
        else
            snprintf(e[n].text, sizeof e[n].text, "%c%s%s",
                     w[0] - 'a' + 'A', w + 1,
                     mv->claimed ? " (claimed)" : "");
        n++;
    }
    for (int i = 0; i < m->nareas && n < max; i++) {
        const evm_area *a = &m->areas[i];
        const char *t = a->type ? a->type : a->label ? a->label : "Area";
        e[n] = (lg_entry){.kind = LG_AREA, .area = a};
        snprintf(e[n].text, sizeof e[n].text, "%c%s%s",
                 t[0] >= 'a' && t[0] <= 'z' ? t[0] - 'a' + 'A' : t[0], t + 1,
                 a->claimed ? " (claimed)" : "");
        int dup = 0;
        for (int j = 0; j < n; j++)
            if (e[j].kind == LG_AREA && strcmp(e[j].text, e[n].text) == 0)
                dup = 1;
        n += !dup;
    }
    return n;
}

/* Contract in render_int.h. */
int evm__legend_text(evm_draw *d, int k, char *buf, size_t n)
{
    lg_entry e[48];
    int ne = legend_entries(d, e, 48);
    if (k < 0 || k >= ne)
        return -1;
    snprintf(buf, n, "%s", e[k].text);
    return 0;
}

static double row_h(const evm_draw *d, const lg_entry *e)
{
    double s = d->s;
    if (e->kind == LG_SIZE)
        return fmax(ROW * s, e->size + 4 * s);
    if (e->kind == LG_RAMP)
        return 16 * s;
    return ROW * s;
}

static void legend_size(evm_draw *d, double *w, double *h)
{
    lg_entry e[48];
    int n = legend_entries(d, e, 48);
    double s = d->s, mw = 0, sw = 38 * s, hh = 0;
    for (int i = 0; i < n; i++) {
        PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 12 * s,
                                          e[i].text, 0, 0);
        double tw, th;
        evm__text_size(l, &tw, &th);
        g_object_unref(l);
        /* notes run across the swatch column */
        mw = fmax(mw, e[i].kind == LG_NOTE ? tw - sw : tw);
        if (e[i].kind == LG_SIZE)
            sw = fmax(sw, e[i].size + 10 * s);
        if (e[i].kind == LG_HEAT)
            sw = fmax(sw, 60 * s);
        hh += row_h(d, &e[i]);
    }
    if (!n) {
        *w = *h = 0;
        return;
    }
    *w = 2 * PAD * s + sw + mw;
    *h = 2 * PAD * s + hh;
}

/* --------------------------------------------------------------- text */

static void footer_text(const evm_draw *d, char *buf, size_t n)
{
    const char *src = d->m->source;
    snprintf(buf, n, "%s%s%sBasemap: Natural Earth · Places: GeoNames "
             "(CC BY 4.0), OurAirports", src ? "Source: " : "",
             src ? src : "", src ? " · " : "");
}

void evm__furniture_measure(evm_draw *d)
{
    double s = d->s;
    const evm_map *m = d->m;
    double w = 0, h = 0;
    const char *subtitle = d->subtitle ? d->subtitle : m->subtitle;
    if (m->title || subtitle) {
        double tw = 0, th = 0;
        if (m->title) {
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 1, 26 * s,
                                              m->title, 0, 0);
            evm__text_size(l, &tw, &th);
            g_object_unref(l);
            w = tw;
            h = th;
        }
        if (subtitle) {
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 15 * s,
                                              subtitle, 0, 0);
            evm__text_size(l, &tw, &th);
            g_object_unref(l);
            w = fmax(w, tw);
            h += th + 2 * s;
        }
        w = fmin(w, d->W - 32 * s - 2 * PAD * s);
        d->title = (evm_rect){16 * s, 16 * s, 16 * s + w + 2 * PAD * s,
                              16 * s + h + 2 * PAD * s};
    } else {
        d->title = (evm_rect){0, 0, 0, 0};
    }
    char ft[600];
    footer_text(d, ft, sizeof ft);
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 10 * s, ft, 0,
                                      0);
    double fw, fh;
    evm__text_size(l, &fw, &fh);
    g_object_unref(l);
    d->footer = (evm_rect){0, d->H - fh - 8 * s, d->W, d->H};
}

/* Event symbols inside r (the occupancy grid of what the events
 * cover), so that the legend and the globe take the emptiest corner. */
static int covers(const evm_draw *d, evm_rect r)
{
    return evm__events_cover(d, r);
}

static int overlaps(evm_rect a, evm_rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

int evm__furniture_place(evm_draw *d)
{
    double s = d->s, m = 16 * s;
    double lw, lh;
    legend_size(d, &lw, &lh);
    double bottom = d->footer.y0 - 8 * s;
    /* the scale bar sits bottom-left, just above the footer */
    d->scalebar = (evm_rect){m, bottom - 30 * s, m + d->W * 0.22 + 30 * s,
                             bottom};
    int ok = 1;
    /* the title block sits top-left unless it would hide events there
     * (a fixed extent with events at its corner): then top-right when
     * that is clear; when neither is, the frame zooms out (an auto
     * frame), as for the legend */
    double tw = d->title.x1 - d->title.x0;
    if (tw > 0)
        d->title.x0 = m, d->title.x1 = m + tw; /* each attempt starts there */
    if (tw > 0 && covers(d, d->title)) {
        evm_rect tr = {d->W - m - tw, d->title.y0, d->W - m, d->title.y1};
        if (tr.x0 > d->title.x1 && !covers(d, tr))
            d->title = tr;
        else if (d->style == EVM_STYLE_MARKERS)
            ok = 0;
    }
    d->has_legend = lw > 0;
    if (d->has_legend) {
        evm_rect cand[4] = {
            {d->W - m - lw, m, d->W - m, m + lh},                 /* TR */
            {d->W - m - lw, bottom - lh, d->W - m, bottom},       /* BR */
            {m, d->scalebar.y0 - 8 * s - lh, m + lw,
             d->scalebar.y0 - 8 * s},                              /* BL */
            {m, d->title.y1 + 8 * s, m + lw, d->title.y1 + 8 * s + lh},
        };
        int best = -1, bc = 1 << 30;
        for (int i = 0; i < 4; i++) {
            if (cand[i].y0 < 0 || cand[i].y1 > d->H)
                continue;
            if (i == 3 && overlaps(cand[3], cand[2]))
                continue;
            if (overlaps(cand[i], d->title))
                continue;
            int c = covers(d, cand[i]);
            if (c < bc) {
                bc = c;
                best = i;
            }
        }
        if (best < 0) {
            best = 0;
            bc = 1;
        }
        d->legend = cand[best];
        /* an aggregate may fill the map: its legend covers some of it
         * rather than zooming the map out */
        ok &= bc == 0 || d->style != EVM_STYLE_MARKERS;
    }
    /* the locator globe when the map shows less than a continent */
    evm_inset_mode im = d->m->inset;
    double span = fmax(evm__ll_span(d), d->ll[3] - d->ll[1]);
    d->has_inset = im == EVM_INSET_ON ||
                   (im == EVM_INSET_AUTO && !d->ll_world && span < 50);
    if (d->has_inset) {
        double sz = 0.14 * d->W;
        evm_rect cand[2] = {
            {d->W - m - sz, bottom - sz, d->W - m, bottom},
            {d->W - m - sz, m, d->W - m, m + sz},
        };
        int placed = 0;
        for (int i = 0; i < 2 && !placed; i++) {
            if (d->has_legend && overlaps(cand[i], d->legend))
                continue;
            if (overlaps(cand[i], d->title) || covers(d, cand[i]))
                continue;
            d->inset = cand[i];
            placed = 1;
        }
        if (!placed) {
            if (im == EVM_INSET_ON)
                ok = 0;
            d->has_inset = 0;
        }
    }
    evm__labeler_add_obstacle(d->lb, d->title);
    evm__labeler_add_obstacle(d->lb, d->footer);
    evm__labeler_add_obstacle(d->lb, d->scalebar);
    if (d->has_legend)
        evm__labeler_add_obstacle(d->lb, d->legend);
    if (d->has_inset)
        evm__labeler_add_obstacle(d->lb, d->inset);
    return ok;
}

/* --------------------------------------------------------------- draw */

static void box(cairo_t *cr, evm_rect r, unsigned bg, double alpha,
                unsigned border, double s)
{
    cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    evm__set_rgba(cr, bg, alpha);
    cairo_fill_preserve(cr);
    if (border) {
        evm__set_rgb(cr, border);
        cairo_set_line_width(cr, 1 * s);
        cairo_stroke(cr);
    } else {
        cairo_new_path(cr);
    }
}

static void draw_title(evm_draw *d)
{
    const evm_map *m = d->m;
    const char *subtitle = d->subtitle ? d->subtitle : m->subtitle;
    if (!m->title && !subtitle)
        return;
    double s = d->s;
    box(d->cr, d->title, d->th->legend_bg, 0.85, 0, s);
    double x = d->title.x0 + PAD * s, y = d->title.y0 + PAD * s;
    if (m->title) {
        PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 1, 26 * s,
                                          m->title, 0, 0);
        double w, h;
        evm__text_size(l, &w, &h);
        evm__text_draw(d->cr, l, x, y, d->th->title, 0, 0);
        g_object_unref(l);
        y += h + 2 * s;
    }
    if (subtitle) {
        PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 15 * s,
                                          subtitle, 0, 0);
        evm__text_draw(d->cr, l, x, y, d->th->text_muted, 0, 0);
        g_object_unref(l);
    }
}

static double swatch_w(const evm_draw *d, const lg_entry *e, int n)
{
    double s = d->s, sw = 38 * s;
    for (int i = 0; i < n; i++) {
        if (e[i].kind == LG_SIZE)
            sw = fmax(sw, e[i].size + 10 * s);
        if (e[i].kind == LG_HEAT)
            sw = fmax(sw, 60 * s);
    }
    return sw;
}

static void swatch(evm_draw *d, const lg_entry *e, double x, double cx,
                   double cy, double sw)
{
    cairo_t *cr = d->cr;
    double s = d->s;
    const evm_theme_def *th = d->th;
    switch (e->kind) {
    case LG_EVENT:
        evm__draw_marker_ex(cr, th, e->type, cx, cy, 14 * s, 0, s);
        break;
    case LG_CLAIMED: {
        /* the claimed style on a neutral marker */
        const evm_event_type *t = NULL;
        for (int j = 0; j < d->m->nevents && !t; j++)
            if (d->m->events[j].claimed)
                t = d->m->events[j].type;
        if (t)
            evm__draw_marker_ex(cr, th, t, cx, cy, 14 * s, 1, s);
        break;
    }
    case LG_DOT:
        cairo_new_path(cr);
        cairo_arc(cr, cx, cy, 3 * s, 0, 2 * M_PI);
        evm__set_rgb(cr, th->greyscale ? 0x222222 : th->cat_color[e->type->cat]);
        cairo_fill(cr);
        break;
    case LG_APPROX: {
        cairo_new_path(cr);
        cairo_arc(cr, cx, cy, 6.5 * s, 0, 2 * M_PI);
        evm__set_rgb(cr, th->text_muted);
        cairo_set_line_width(cr, 2.2 * s);
        double dash[2] = {4 * s, 2.5 * s};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    }
    case LG_SIZE:
        /* the symbol itself, centred in the swatch column */
        cairo_new_path(cr);
        cairo_arc(cr, x + sw / 2 - 4 * s, cy, e->size / 2, 0, 2 * M_PI);
        evm__set_rgba(cr, th->text_muted, 0.25);
        cairo_fill_preserve(cr);
        evm__set_rgb(cr, th->text_muted);
        cairo_set_line_width(cr, 1 * s);
        cairo_stroke(cr);
        break;
    case LG_RAMP:
        cairo_new_path(cr);
        for (int k = 0; k < 6; k++) {
            double an = M_PI / 180 * (60 * k - 30), R = 7 * s;
            if (k == 0)
                cairo_move_to(cr, cx + R * cos(an), cy + R * sin(an));
            else
                cairo_line_to(cr, cx + R * cos(an), cy + R * sin(an));
        }
        cairo_close_path(cr);
        evm__set_rgba(cr, e->color, 0.88);
        cairo_fill(cr);
        break;
    case LG_HEAT: {
        cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + sw - 8 * s,
                                                         0);
        static const unsigned r[7] = {0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c,
                                      0xfc4e2a, 0xe31a1c, 0xb10026};
        for (int k = 0; k < 7; k++)
            cairo_pattern_add_color_stop_rgba(g, k / 6.0,
                ((r[k] >> 16) & 255) / 255.0, ((r[k] >> 8) & 255) / 255.0,
                (r[k] & 255) / 255.0, 0.3 + 0.55 * k / 6.0);
        cairo_rectangle(cr, x, cy - 5 * s, sw - 8 * s, 10 * s);
        cairo_set_source(cr, g);
        cairo_fill(cr);
        cairo_pattern_destroy(g);
        break;
    }
    case LG_MOVE: {
        evm__move_style ms;
        evm__move_style_of(th, &d->sides, e->mv, &ms);
        evm__arrow_swatch(cr, x, cy, x + 30 * s, cy, &ms, s);
        break;
    }
    case LG_AREA: {
        unsigned col = evm__area_color(d, e->area);
        evm_rect r = {x + 4 * s, cy - 6 * s, x + 26 * s, cy + 6 * s};
        cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        if (e->area->claimed) {
            cairo_save(cr);
            cairo_clip_preserve(cr);
            cairo_new_path(cr);
            evm__hatch(cr, r.x0, r.y0, r.x1, r.y1, 5 * s);
            evm__set_rgba(cr, col, 0.85);
            cairo_set_line_width(cr, 1 * s);
            cairo_stroke(cr);
            cairo_restore(cr);
            cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        } else {
            evm__set_rgba(cr, col, 0.10);
            cairo_fill_preserve(cr);
        }
        evm__set_rgba(cr, col, 0.9);
        cairo_set_line_width(cr, 1.4 * s);
        cairo_stroke(cr);
        break;
    }
    }
}

static void draw_legend(evm_draw *d)
{
    if (!d->has_legend)
        return;
    cairo_t *cr = d->cr;
    double s = d->s;
    const evm_theme_def *th = d->th;
    box(cr, d->legend, th->legend_bg, 0.9, th->legend_border, s);
    lg_entry e[48];
    int n = legend_entries(d, e, 48);
    double sw = swatch_w(d, e, n);
    double x = d->legend.x0 + PAD * s, y = d->legend.y0 + PAD * s;
    for (int i = 0; i < n; i++) {
        double rh = row_h(d, &e[i]);
        double cy = y + rh / 2, cx = x + 15 * s;
        swatch(d, &e[i], x, cx, cy, sw);
        int note = e[i].kind == LG_NOTE;
        PangoLayout *l = evm__text_layout(cr, "Noto Sans", 0, 12 * s,
                                          e[i].text, 0, 0);
        double w, h;
        evm__text_size(l, &w, &h);
        evm__text_draw(cr, l, note ? x : x + sw, cy - h / 2,
                       note ? th->text_muted : th->text, 0, 0);
        g_object_unref(l);
        y += rh;
    }
}

/* The largest 1-2-5 number not above v. */
static double nice125(double v)
{
    double p = pow(10, floor(log10(v)));
    double f = v / p;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

static void draw_scalebar(evm_draw *d)
{
    double s = d->s;
    evm_frame fr = {.x0 = d->X0, .y1 = d->Y0, .x1 = d->X0 + d->W / d->k,
                    .y0 = d->Y0 - d->H / d->k, .width = d->W,
                    .height = d->H, .scale = d->k};
    double mpp = evm_geo_ground_m_per_px(d->geo, &fr);
    if (!(mpp > 0) || !isfinite(mpp))
        return;
    double km = nice125(d->W * 0.2 * mpp / 1000);
    if (!(km > 0))
        return;
    double len = km * 1000 / mpp;
    cairo_t *cr = d->cr;
    double x = d->scalebar.x0 + 4 * s, y = d->scalebar.y1 - 8 * s;
    double hgt = 4 * s;
    box(cr, (evm_rect){d->scalebar.x0, d->scalebar.y0, x + len + 36 * s,
                       d->scalebar.y1}, d->th->legend_bg, 0.75, 0, s);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + len * i / 4, y - hgt, len / 4, hgt);
        evm__set_rgb(cr, i % 2 ? 0xffffff : d->th->text);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y - hgt, len, hgt);
    evm__set_rgb(cr, d->th->text);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_stroke(cr);
    char num[40], txt[64];
    evm__fmt_num(num, km, 3);
    snprintf(txt, sizeof txt, "%s km", num);
    PangoLayout *l0 = evm__text_layout(cr, "Noto Sans", 0, 11 * s, "0", 0, 0);
    PangoLayout *l1 = evm__text_layout(cr, "Noto Sans", 0, 11 * s, txt, 0, 0);
    double w0, h0, w1, h1;
    evm__text_size(l0, &w0, &h0);
    evm__text_size(l1, &w1, &h1);
    evm__text_draw(cr, l0, x - w0 / 2, y - hgt - h0 - 1 * s, d->th->text, 0, 0);
    evm__text_draw(cr, l1, x + len - w1 / 2 + fmin(w1 / 2, 14 * s),
                   y - hgt - h1 - 1 * s, d->th->text, 0, 0);
    g_object_unref(l0);
    g_object_unref(l1);
}

static void draw_footer(evm_draw *d)
{
    double s = d->s;
    char ft[600];
    footer_text(d, ft, sizeof ft);
    box(d->cr, d->footer, d->th->legend_bg, 0.85, 0, s);
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 10 * s, ft, 0, 0);
    evm__text_draw(d->cr, l, 16 * s, d->footer.y0 + 4 * s, d->th->footer, 0, 0);
    g_object_unref(l);
}

/* The locator globe. An orthographic projection written out here rather
 * than through PROJ: PROJ returns errors for the far hemisphere, while a
 * globe needs far-side vertices moved onto the limb so that continents
 * cut by the horizon still close as polygons. */
typedef struct globe {
    double lon0, lat0, cx, cy, R;
} globe;

static void ortho(const globe *g, double lon, double lat, double *x,
                  double *y)
{
    double r = M_PI / 180;
    double ph = lat * r, l = (lon - g->lon0) * r, p0 = g->lat0 * r;
    double cosc = sin(p0) * sin(ph) + cos(p0) * cos(ph) * cos(l);
    double X = cos(ph) * sin(l);
    double Y = cos(p0) * sin(ph) - sin(p0) * cos(ph) * cos(l);
    if (cosc < 0) { /* behind the globe: onto the limb */
        double n = hypot(X, Y);
        if (n > 0) {
            X /= n;
            Y /= n;
        }
    }
    *x = g->cx + g->R * X;
    *y = g->cy - g->R * Y;
}

typedef struct globe_ctx { evm_draw *d; const globe *g; } globe_ctx;

static int globe_land(const evm_bm_feature *f, void *ud)
{
    globe_ctx *c = ud;
    const float *ll = f->lonlat;
    for (uint32_t p = 0; p < f->nparts; p++) {
        for (uint32_t i = 0; i < f->part_len[p]; i++) {
            double x, y;
            ortho(c->g, ll[2 * i], ll[2 * i + 1], &x, &y);
            if (i == 0)
                cairo_move_to(c->d->cr, x, y);
            else
                cairo_line_to(c->d->cr, x, y);
        }
        cairo_close_path(c->d->cr);
        ll += 2 * (size_t)f->part_len[p];
    }
    return 0;
}

static void draw_inset(evm_draw *d)
{
    if (!d->has_inset)
        return;
    cairo_t *cr = d->cr;
    double s = d->s;
    const evm_theme_def *th = d->th;
    double sz = d->inset.x1 - d->inset.x0;
    globe g = {.cx = (d->inset.x0 + d->inset.x1) / 2,
               .cy = (d->inset.y0 + d->inset.y1) / 2, .R = sz / 2 - 2 * s};
    /* centre on the map's centre */
    double lon = d->X0 + d->W / d->k / 2, lat = d->Y0 - d->H / d->k / 2;
    evm_geo_inv(d->geo, &lon, &lat, 1);
    if (!isfinite(lon) || !isfinite(lat))
        return;
    g.lon0 = lon;
    g.lat0 = fmax(-60, fmin(60, lat));
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_arc(cr, g.cx, g.cy, g.R + 1.5 * s, 0, 2 * M_PI);
    evm__set_rgb(cr, th->halo);
    cairo_fill(cr);
    cairo_arc(cr, g.cx, g.cy, g.R, 0, 2 * M_PI);
    evm__set_rgb(cr, th->water);
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    cairo_new_path(cr);
    globe_ctx c = {d, &g};
    double world[4] = {-180, -90, 180, 90};
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    evm_basemap_query(d->bm, EVM_BM_LAND, EVM_BM_110M, world, globe_land, &c);
    evm__set_rgb(cr, th->land_other);
    cairo_fill(cr);
    /* the map's frame, as a red outline */
    cairo_new_path(cr);
    enum { E = 16 };
    double fx[4 * E], fy[4 * E];
    for (int i = 0; i < E; i++) {
        double t = i / (double)E;
        fx[i] = d->X0 + t * d->W / d->k;           fy[i] = d->Y0;
        fx[E + i] = d->X0 + d->W / d->k;           fy[E + i] = d->Y0 - t * d->H / d->k;
        fx[2 * E + i] = d->X0 + (1 - t) * d->W / d->k; fy[2 * E + i] = d->Y0 - d->H / d->k;
        fx[3 * E + i] = d->X0;                     fy[3 * E + i] = d->Y0 - (1 - t) * d->H / d->k;
    }
    evm_geo_inv(d->geo, fx, fy, 4 * E);
    int pen = 0;
    for (int i = 0; i < 4 * E; i++) {
        if (!isfinite(fx[i]) || !isfinite(fy[i]))
            continue;
        double x, y;
        ortho(&g, fx[i], fy[i], &x, &y);
        if (!pen)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
        pen = 1;
    }
    cairo_close_path(cr);
    evm__set_rgba(cr, th->inset_box, 0.18);
    cairo_fill_preserve(cr);
    evm__set_rgb(cr, th->inset_box);
    cairo_set_line_width(cr, 1.5 * s);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_arc(cr, g.cx, g.cy, g.R, 0, 2 * M_PI);
    evm__set_rgb(cr, th->border);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_stroke(cr);
}

void evm__furniture_draw(evm_draw *d)
{
    draw_inset(d);
    draw_title(d);
    draw_legend(d);
    draw_scalebar(d);
    draw_footer(d);
}
