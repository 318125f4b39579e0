/* Label blocks of the places (events.c lays the places out). The most
 * important places get theirs first: fatalities, then the count, then a
 * user's label. A spec's place names itself and lists its events' labels
 * (a small copy of each marker in front); a place of many events, or any
 * place of an event table, is named with a summary ("Sylhet: 40 events,
 * 73 deaths"), never its actors. A block lists a few lines at most and
 * ends with "+N more". What is not shown is counted and reported. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

#define MAX_LINES EVM_RING_MAX
#define AGG_LINES 3       /* event lines under an aggregate's summary */
/* label blocks of an event table's map: 25 on 1600 x 1000 CSS px, fewer
 * on smaller maps, at least 5 */
#define TABLE_LABELS(d) \
    fmax(5, 25.0 * ((d)->W / (d)->s) * ((d)->H / (d)->s) / 1.6e6)

typedef struct label_block {
    PangoLayout *head;
    PangoLayout *line[MAX_LINES + 1];
    int ev[MAX_LINES + 1];      /* -1: the "+N more" line */
    int nline;
    double w, h, lh[MAX_LINES + 1], hh, mini;
} label_block;

static const char *place_name(const evm_event *e)
{
    return e->where.name ? e->where.name
                         : EVM_H(&e->where)->resolved_name;
}

/* 1234567 -> "1,234,567" */
static void thousands(char *out, size_t n, long v)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%ld", v < 0 ? -v : v);
    size_t L = strlen(raw), o = 0;
    if (v < 0 && o + 1 < n)
        out[o++] = '-';
    for (size_t i = 0; i < L && o + 2 < n; i++) {
        out[o++] = raw[i];
        if ((L - i - 1) % 3 == 0 && i + 1 < L)
            out[o++] = ',';
    }
    out[o] = '\0';
}

/* "40 events, 73 deaths" (deaths when the map has them). */
static void summary(const evm_draw *d, const evm_cluster *c, char *buf,
                    size_t n)
{
    char a[32], b[32];
    thousands(a, sizeof a, c->n);
    thousands(b, sizeof b, c->fat);
    if (d->size_fat)
        snprintf(buf, n, "%s event%s, %s death%s", a, c->n == 1 ? "" : "s",
                 b, c->fat == 1 ? "" : "s");
    else
        snprintf(buf, n, "%s event%s", a, c->n == 1 ? "" : "s");
}

/* Contract in render_int.h. */
void evm__name_drop_repeat(char *s)
{
    size_t L = strlen(s);
    for (size_t k = 1; k < L; k++) {
        if (s[k] != ' ')
            continue;
        /* s[0..k) are the first words; does s end with " " + them? */
        if (L < 2 * k + 2 || s[L - k - 1] != ' ' ||
            strncasecmp(s, s + L - k, k) != 0)
            continue;
        size_t end = L - k - 1;
        while (end > 0 && s[end - 1] == ' ')
            end--;
        if (end > k) {
            s[end] = '\0';
            return;
        }
    }
}

/* The name a place goes by: the one most of its events carry (a town's
 * hundred events name it, not the one village that had the most deaths
 * nearby); a table's "Kyiv, Kyyiv, Misto, Ukraine" is "Kyiv". */
static const char *group_name(const evm_draw *d, const evm_cluster *c,
                              char *buf, size_t n)
{
    enum { MAXN = 32 };
    const char *nm[MAXN];
    int cnt[MAXN], k = 0, best = -1;
    for (int j = 0; j < c->n; j++) {
        const char *x = place_name(&d->m->events[d->order[c->first + j]]);
        if (!x)
            continue;
        int i = 0;
        while (i < k && strcmp(nm[i], x) != 0)
            i++;
        if (i == k) {
            if (k == MAXN)
                continue;
            nm[k] = x;
            cnt[k++] = 0;
        }
        if (++cnt[i] > (best >= 0 ? cnt[best] : 0))
            best = i;
    }
    if (best < 0)
        return NULL;
    const char *name = nm[best];
    if (!d->from_table)
        return name;
    const char *comma = strchr(name, ',');
    int len = comma && comma > name ? (int)(comma - name) : (int)strlen(name);
    snprintf(buf, n, "%.*s", len, name);
    evm__name_drop_repeat(buf);
    return buf;
}

/* A block's heading; 1 when the place is summarised (no per-event lines
 * from a table, a few under an aggregate). */
static int heading(const evm_draw *d, const evm_cluster *c, char *buf,
                   size_t n)
{
    const evm_event *e = &d->m->events[d->order[c->first]];
    char nbuf[200];
    const char *name = group_name(d, c, nbuf, sizeof nbuf);
    const evm_gather *g = c->approx == 2 ? evm__gathered(d, d->order[c->first])
                                         : NULL;
    if (g) {
        /* the events the table places only in the country, gathered */
        snprintf(nbuf, sizeof nbuf, "%s (country-level)", g->name);
        name = nbuf;
        if (c->n == 1 && d->from_table) {
            char sum1[96];
            summary(d, c, sum1, sizeof sum1);
            snprintf(buf, n, "%s: %s", name, sum1);
            return 1;
        }
    }
    char sum[96];
    buf[0] = '\0';
    if (d->from_table && c->n == 1) {
        char f[48] = "";
        if (e->fatalities > 0) {
            char t[32];
            thousands(t, sizeof t, e->fatalities);
            snprintf(f, sizeof f, ", %s death%s", t,
                     e->fatalities == 1 ? "" : "s");
        }
        snprintf(buf, n, "%s%s%s%s", name ? name : "", name ? ": " : "",
                 e->type->legend, f);
        return 1;
    }
    if (d->from_table || (!c->ring && c->n > 1)) {
        summary(d, c, sum, sizeof sum);
        snprintf(buf, n, "%s%s%s", name ? name : "", name ? ": " : "", sum);
        return 1;
    }
    if (name)
        snprintf(buf, n, "%s", name);
    return 0;
}

static void add_line(evm_draw *d, label_block *b, const char *txt, int ev,
                     double *w, double *h)
{
    double s = d->s;
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 12 * s, txt, 0,
                                      0);
    double lw, lh;
    evm__text_size(l, &lw, &lh);
    lw += b->mini && ev >= 0 ? b->mini + 4 * s : 0;
    b->line[b->nline] = l;
    b->lh[b->nline] = lh;
    b->ev[b->nline] = ev;
    b->nline++;
    *w = fmax(*w, lw);
    *h += lh;
}

static void block_build(evm_draw *d, const evm_cluster *c, label_block *b)
{
    const evm_map *m = d->m;
    double s = d->s;
    memset(b, 0, sizeof *b);
    b->mini = c->n > 1 ? 11 * s : 0;
    char head[400];
    int summed = heading(d, c, head, sizeof head);
    double w = 0, h = 0;
    if (head[0]) {
        b->head = evm__text_layout(d->cr, "Noto Sans", 1, 12 * s, head, 0,
                                   0);
        evm__text_size(b->head, &w, &b->hh);
        h = b->hh;
    }
    if (d->from_table)
        goto out;
    int max = summed ? AGG_LINES : MAX_LINES, shown = 0;
    const char *pname = place_name(&m->events[d->order[c->first]]);
    for (int k = 0; k < c->n && b->nline < max; k++) {
        const evm_event *e = &m->events[d->order[c->first + k]];
        char buf[600];
        const char *txt = e->label;
        /* a line for an event at another named place of the block says
         * where, so the airport's event is not read as the city's */
        const char *nm = place_name(e);
        if (pname && nm && strcasecmp(nm, pname) != 0) {
            snprintf(buf, sizeof buf, "%s: %s", nm,
                     txt ? txt : e->type->legend);
            txt = buf;
        }
        if (!txt)
            continue;
        add_line(d, b, txt, d->order[c->first + k], &w, &h);
        shown++;
    }
    if (summed && c->n > shown && (shown || !head[0])) {
        char more[48], t[32];
        thousands(t, sizeof t, c->n - shown);
        snprintf(more, sizeof more, "+%s more", t);
        add_line(d, b, more, -1, &w, &h);
    }
out:
    b->w = w;
    b->h = h;
}

static void block_free(label_block *b)
{
    if (b->head)
        g_object_unref(b->head);
    for (int i = 0; i < b->nline; i++)
        g_object_unref(b->line[i]);
}

/* The text a report gives for a block: its heading and lines. */
void evm__place_label_text(evm_draw *d, const evm_cluster *c, char *buf,
                           size_t n)
{
    label_block b;
    block_build(d, c, &b);
    size_t o = 0;
    buf[0] = '\0';
    if (b.head) {
        const char *t = pango_layout_get_text(b.head);
        o += (size_t)snprintf(buf + o, n - o, "%s", t);
    }
    for (int k = 0; k < b.nline && o < n; k++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? "\n" : "",
                              pango_layout_get_text(b.line[k]));
    block_free(&b);
}

/* Contract in render_int.h. */
void evm__place_labels_add(evm_draw *d)
{
    double s = d->s;
    for (int c = 0; c < d->ncl; c++) {
        evm_cluster *cl = &d->cl[c];
        cl->label = -1;
        label_block b;
        block_build(d, cl, &b);
        cl->lw = b.w;
        cl->lh = b.h;
        block_free(&b);
        if (!(b.w > 0 && b.h > 0))
            continue;
        d->nlabels++;
        /* a table's places: the first TABLE_LABELS that fit, tried among
         * three times as many */
        if (d->from_table && cl->rank >= 3 * TABLE_LABELS(d)) {
            d->nhidden++;
            continue;
        }
        cl->label = evm__labeler_add(d->lb, cl->tx, cl->ty, cl->r + 4 * s,
                                     b.w + 2 * s, b.h, cl->rank);
        if (d->from_table)
            evm__labeler_limited(d->lb, cl->label);
    }
    if (d->from_table)
        evm__labeler_set_limit(d->lb, (int)TABLE_LABELS(d));
}

void evm__label_leader(evm_draw *d, double ax, double ay, double r,
                       evm_rect b)
{
    /* from the anchor's edge to the nearest point of the label's box */
    double tx = fmin(fmax(ax, b.x0), b.x1), ty = fmin(fmax(ay, b.y0), b.y1);
    double dx = tx - ax, dy = ty - ay, L = hypot(dx, dy);
    if (L <= r)
        return;
    cairo_t *cr = d->cr;
    cairo_move_to(cr, ax + dx / L * r, ay + dy / L * r);
    cairo_line_to(cr, tx, ty);
    evm__set_rgb(cr, d->th->halo);
    cairo_set_line_width(cr, 2.4 * d->s);
    cairo_stroke_preserve(cr);
    evm__set_rgb(cr, d->th->text_muted);
    cairo_set_line_width(cr, 0.8 * d->s);
    cairo_stroke(cr);
}

static void block_draw(evm_draw *d, const evm_cluster *cl, label_block *b,
                       evm_rect box)
{
    const evm_map *m = d->m;
    double s = d->s, y = box.y0;
    /* right-aligned text when the label sits left of the anchor */
    int right = box.x1 <= cl->tx;
    if (b->head) {
        double w, h;
        evm__text_size(b->head, &w, &h);
        evm__text_draw(d->cr, b->head, right ? box.x1 - w : box.x0, y,
                       d->th->text, d->th->halo, 2.5 * s);
        y += b->hh;
    }
    for (int k = 0; k < b->nline; k++) {
        double w, h;
        evm__text_size(b->line[k], &w, &h);
        int mini = b->mini && b->ev[k] >= 0;
        double full = w + (mini ? b->mini + 4 * s : 0);
        double x = right ? box.x1 - full : box.x0;
        if (mini) {
            const evm_event *e = &m->events[b->ev[k]];
            evm__draw_marker_ex(d->cr, d->th, e->type, x + b->mini / 2,
                                y + h / 2, b->mini, e->claimed, d->s);
            x += b->mini + 4 * s;
        }
        evm__text_draw(d->cr, b->line[k], x, y,
                       b->ev[k] >= 0 ? d->th->text : d->th->text_muted,
                       d->th->halo, 2.5 * s);
        y += b->lh[k];
    }
}

void evm__events_labels_draw(evm_draw *d)
{
    const evm_map *m = d->m;
    double s = d->s;
    if (d->style != EVM_STYLE_MARKERS) {
        evm__agg_labels_draw(d);
        return;
    }
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        const evm_event *e = &m->events[d->order[cl->first]];
        if (cl->label < 0) {
            if (d->verbose && cl->lw > 0 && cl->lh > 0) {
                char t[400];
                heading(d, cl, t, sizeof t);
                evm__warn(d, "%s:%d:%d: label \"%s\" not shown (no room)",
                          EVM_H(&e->where)->file ? EVM_H(&e->where)->file
                                                  : m->file,
                          e->pos.line, e->pos.col, t);
            }
            continue;
        }
        evm_rect box;
        int placed, lead;
        evm__labeler_result(d->lb, cl->label, &box, &placed, &lead);
        if (!placed) {
            char t[400];
            heading(d, cl, t, sizeof t);
            evm__label_unplaced(d, e->pos, t[0] ? t : e->label ? e->label
                                : e->type->legend);
            continue;
        }
        label_block b;
        block_build(d, cl, &b);
        if (lead)
            evm__label_leader(d, cl->tx, cl->ty, cl->r + 1 * s, box);
        block_draw(d, cl, &b, box);
        block_free(&b);
    }
}
