/* The layout report: what a map drew and where, as JSON, so that tests
 * and newsrooms can check a batch of maps without looking at pixels:
 * every symbol with its events, the place's projected point and where
 * the symbol's centre went; every label block, shown or not; what was
 * left out. Also the render's warnings on stderr. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

static const char *const CAT_KEY[EVM_CAT_COUNT] = {
    "battles", "explosions", "violence_against_civilians", "protests",
    "riots", "strategic_developments", "infrastructure"};

static void jstr(evm_buf *b, const char *s)
{
    if (!s) {
        evm__buf_puts(b, "null");
        return;
    }
    evm__buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            evm__buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            evm__buf_puts(b, "\\n");
        else if (*p < 0x20)
            evm__buf_printf(b, "\\u%04x", *p);
        else
            evm__buf_add(b, p, 1);
    }
    evm__buf_puts(b, "\"");
}

/* Numbers: finite, short, locale-independent (evm__fmt_num). */
static void jnum(evm_buf *b, double v, int dec)
{
    char t[40];
    if (!isfinite(v)) {
        evm__buf_puts(b, "null");
        return;
    }
    evm__fmt_num(t, v, dec);
    evm__buf_puts(b, t);
}

static void events_list(evm_buf *b, const evm_draw *d, const evm_cluster *c,
                        int only)
{
    evm__buf_puts(b, "\"events\": [");
    if (only >= 0) {
        evm__buf_printf(b, "%d", only);
    } else {
        for (int k = 0; k < c->n; k++)
            evm__buf_printf(b, "%s%d", k ? ", " : "",
                            d->order[c->first + k]);
    }
    evm__buf_puts(b, "]");
}

/* A symbol: a place's (only < 0), or one event's on a ring, whose place
 * is the event's own. */
static void symbol(evm_buf *b, const evm_draw *d, const evm_cluster *c,
                   int only, double x, double y, double r, int *first)
{
    evm__buf_puts(b, *first ? "\n  {" : ",\n  {");
    *first = 0;
    events_list(b, d, c, only);
    const evm_placeref *p = only >= 0 ? &d->m->events[only].where : NULL;
    evm__buf_puts(b, ", \"lon\": ");
    jnum(b, p ? p->lon : c->lon, 6);
    evm__buf_puts(b, ", \"lat\": ");
    jnum(b, p ? p->lat : c->lat, 6);
    evm__buf_puts(b, ", \"true_x\": ");
    jnum(b, p ? d->ev[only].x : c->tx, 1);
    evm__buf_puts(b, ", \"true_y\": ");
    jnum(b, p ? d->ev[only].y : c->ty, 1);
    evm__buf_puts(b, ", \"x\": ");
    jnum(b, x, 1);
    evm__buf_puts(b, ", \"y\": ");
    jnum(b, y, 1);
    evm__buf_puts(b, ", \"r\": ");
    jnum(b, r, 1);
    evm__buf_printf(b, ", \"count\": %d, \"fatalities\": %ld, \"type\": "
                    "\"%s\", \"precision\": \"%s\", \"ring\": %s}",
                    only >= 0 ? 1 : c->n,
                    only >= 0 ? (long)(d->m->events[only].fatalities > 0
                                           ? d->m->events[only].fatalities : 0)
                              : c->fat,
                    CAT_KEY[only >= 0 ? (int)d->m->events[only].type->cat
                                      : c->cat],
                    c->approx ? "approximate" : "exact",
                    c->ring ? "true" : "false");
}

/* [x0, y0, x1, y1], or null when there is no such box. */
static void jrect(evm_buf *b, int has, evm_rect r)
{
    if (!has) {
        evm__buf_puts(b, "null");
        return;
    }
    double v[4] = {r.x0, r.y0, r.x1, r.y1};
    for (int k = 0; k < 4; k++) {
        evm__buf_puts(b, k ? ", " : "[");
        jnum(b, v[k], 1);
    }
    evm__buf_puts(b, "]");
}

static void symbols_markers(evm_buf *b, const evm_draw *d)
{
    int first = 1;
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        if (!cl->ring) {
            symbol(b, d, cl, -1, cl->x, cl->y, cl->r, &first);
            continue;
        }
        for (int k = 0; k < cl->n; k++) {
            int i = d->order[cl->first + k];
            symbol(b, d, cl, i, d->mk[i].x, d->mk[i].y, d->msize[i] / 2,
                   &first);
        }
    }
}

static void symbols_bins(evm_buf *b, evm_draw *d)
{
    int first = 1;
    double x, y;
    int n;
    long fat;
    for (int k = 0; evm__agg_bins(d, k, &x, &y, &n, &fat) == 0; k++) {
        if (!n)
            continue;
        double lon = d->X0 + x / d->k, lat = d->Y0 - y / d->k;
        evm_geo_inv(d->geo, &lon, &lat, 1);
        evm__buf_puts(b, first ? "\n  {" : ",\n  {");
        first = 0;
        evm__buf_printf(b, "\"count\": %d, \"fatalities\": %ld, \"lon\": ",
                        n, fat);
        jnum(b, lon, 6);
        evm__buf_puts(b, ", \"lat\": ");
        jnum(b, lat, 6);
        evm__buf_puts(b, ", \"true_x\": ");
        jnum(b, x, 1);
        evm__buf_puts(b, ", \"true_y\": ");
        jnum(b, y, 1);
        evm__buf_puts(b, ", \"x\": ");
        jnum(b, x, 1);
        evm__buf_puts(b, ", \"y\": ");
        jnum(b, y, 1);
        evm__buf_puts(b, ", \"r\": ");
        jnum(b, 8 * d->s, 1);
        evm__buf_puts(b, "}");
    }
}

/* A shown label: its box; with a leader, the line as drawn (from the
 * rim of radius r round the anchor to the box's nearest point). */
static int label(evm_buf *b, const evm_draw *d, const char *text, int idx,
                 double ax, double ay, double r, double w, double h,
                 int *first)
{
    evm_rect box = {ax, ay, ax + w, ay + h};
    int placed = 0, lead = 0;
    if (idx >= 0)
        evm__labeler_result(d->lb, idx, &box, &placed, &lead);
    if (!placed)
        box = (evm_rect){ax, ay, ax + w, ay + h};
    evm__buf_puts(b, *first ? "\n  {\"text\": " : ",\n  {\"text\": ");
    *first = 0;
    jstr(b, text);
    evm__buf_puts(b, ", \"x\": ");
    jnum(b, box.x0, 1);
    evm__buf_puts(b, ", \"y\": ");
    jnum(b, box.y0, 1);
    evm__buf_puts(b, ", \"w\": ");
    jnum(b, box.x1 - box.x0, 1);
    evm__buf_puts(b, ", \"h\": ");
    jnum(b, box.y1 - box.y0, 1);
    evm__buf_printf(b, ", \"shown\": %s, \"leader\": %s, ",
                    placed ? "true" : "false", lead ? "true" : "false");
    double tx, ty;
    evm__rect_nearest(box, ax, ay, &tx, &ty);
    double L = hypot(tx - ax, ty - ay);
    if (placed && lead && L > r) {
        double line[4] = {ax + (tx - ax) / L * r, ay + (ty - ay) / L * r,
                          tx, ty};
        evm__buf_puts(b, "\"leader_line\": [");
        for (int i = 0; i < 4; i++) {
            evm__buf_puts(b, i ? ", " : "");
            jnum(b, line[i], 1);
        }
        evm__buf_puts(b, "], ");
    }
    return !placed;
}

/* The label blocks; returns how many are not shown. */
static int labels(evm_buf *b, evm_draw *d)
{
    int first = 1, hidden = 0;
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        if (!(cl->lw > 0 && cl->lh > 0))
            continue;
        char t[2000];
        evm__place_label_text(d, cl, t, sizeof t);
        hidden += label(b, d, t, cl->label, cl->tx, cl->ty, cl->r + 1 * d->s,
                        cl->lw, cl->lh, &first);
        events_list(b, d, cl, -1);
        evm__buf_puts(b, "}");
    }
    const char *text;
    int idx, ev;
    for (int j = 0; evm__agg_label(d, j, &text, &idx, &ev) == 0; j++) {
        hidden += label(b, d, text, idx, d->ev[ev].x, d->ev[ev].y, 3 * d->s,
                        0, 0, &first);
        evm__buf_printf(b, "\"events\": [%d]}", ev);
    }
    return hidden;
}

/* Contract in render_int.h. */
evm_status evm__layout_json(evm_draw *d, evm_buf *b)
{
    const evm_map *m = d->m;
    evm__buf_printf(b, "{\"frame\": {\"width\": %d, \"height\": %d, "
                    "\"projection\": ", d->W, d->H);
    jstr(b, evm_geo_definition(d->geo));
    evm__buf_puts(b, ", \"extent\": [");
    for (int i = 0; i < 4; i++) {
        if (i)
            evm__buf_puts(b, ", ");
        jnum(b, d->ll[i], 4);
    }
    evm__buf_puts(b, "]},\n \"title\": ");
    jstr(b, m->title);
    evm__buf_puts(b, ", \"subtitle\": ");
    jstr(b, d->subtitle ? d->subtitle : m->subtitle);
    evm__buf_printf(b, ", \"style\": \"%s\", \"style_auto\": %s, "
                    "\"measure\": \"%s\",\n \"symbols\": [",
                    evm__style_name(d->style),
                    d->style_auto ? "true" : "false",
                    d->size_fat ? "fatalities" : "events");
    if (d->style == EVM_STYLE_MARKERS)
        symbols_markers(b, d);
    else
        symbols_bins(b, d);
    evm__buf_puts(b, "],\n \"legend\": [");
    char lt[200];
    for (int k = 0; d->has_legend && evm__legend_text(d, k, lt, sizeof lt) == 0;
         k++) {
        evm__buf_puts(b, k ? ", " : "");
        jstr(b, lt);
    }
    evm__buf_puts(b, "], \"legend_box\": ");
    jrect(b, d->has_legend, d->legend);
    evm__buf_puts(b, ", \"title_box\": ");
    jrect(b, d->title.x1 > d->title.x0, d->title);
    evm__buf_puts(b, ",\n \"labels\": [");
    int hidden = labels(b, d);
    int nocoord = 0;
    for (int i = 0; i < m->nevents; i++)
        nocoord += !m->events[i].where.has_coord &&
                   evm__in_window(d, m->events[i].date);
    evm__buf_printf(b, "],\n \"omitted\": {\"labels\": %d, \"events\": %d, "
                    "\"events_outside_frame\": %d, "
                    "\"events_approximate_outside\": %d}}\n",
                    hidden, d->noff + nocoord, d->noff,
                    d->noff_approx);
    return b->failed ? EVM_E_NOMEM : EVM_OK;
}

/* Contract in render_int.h. */
void evm__report(evm_draw *d, const evm_render_opts *o, evm_error *err)
{
    const evm_map *m = d->m;
    int hidden = d->unplaced + d->nhidden;
    if (hidden)
        evm__warn(d, "%s: %d of %d labels not shown (no room)%s", m->file,
                  hidden, evm__labeler_count(d->lb) + d->nhidden,
                  d->verbose ? "" : "; --verbose lists them");
    if (d->noff && m->extent_mode == EVM_EXTENT_AUTO)
        evm__warn(d, "%s: %d event%s outside the frame not drawn (%d with "
                  "an approximate location)", m->file, d->noff,
                  d->noff == 1 ? "" : "s", d->noff_approx);
    if (!o || !o->layout)
        return;
    evm_buf b;
    evm__buf_init(&b, (size_t)1 << 30);
    if (evm__layout_json(d, &b) != EVM_OK) {
        evm__buf_free(&b);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return;
    }
    evm_atomic out;
    if (evm__atomic_open(&out, o->layout, err) != EVM_OK) {
        evm__buf_free(&b);
        return;
    }
    if (fwrite(b.data, 1, b.len, out.f) != b.len) {
        evm__atomic_abort(&out);
        evm_error_set(err, EVM_E_IO, "%s: write failed", o->layout);
    } else {
        evm__atomic_commit(&out, err);
    }
    evm__buf_free(&b);
}
