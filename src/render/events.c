/* Event markers and their labels. Events at (nearly) one spot form a
 * cluster: markers side by side and one label block that names the place
 * once and gives one line per event, each with a small copy of its
 * marker, so nothing piles up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

#define MAX_LINES 8

/* Events matter in this order: more fatalities first, then the order the
 * spec gives. (qsort_r: no global state, renders run in threads.) */
static int ev_cmp(const void *a, const void *b, void *ud)
{
    const evm_map *m = ud;
    int i = *(const int *)a, j = *(const int *)b;
    int fi = m->events[i].fatalities, fj = m->events[j].fatalities;
    if (fi != fj)
        return fi > fj ? -1 : 1;
    return i - j;
}

static const char *heading_of(const evm_event *e)
{
    return e->where.name ? e->where.name : NULL;
}

/* Contract in render_int.h. */
void evm__events_free(evm_draw *d)
{
    free(d->ev);
    free(d->ev_ok);
    free(d->mk);
    free(d->msize);
    free(d->order);
    free(d->cl);
    d->ev = d->mk = NULL;
    d->ev_ok = d->order = NULL;
    d->msize = NULL;
    d->cl = NULL;
    d->ncl = 0;
}

/* Contract in render_int.h. */
int evm__events_alloc(evm_draw *d, int n, int clusters)
{
    evm__events_free(d);
    d->ev = evm__calloc((size_t)n, sizeof *d->ev);
    d->ev_ok = evm__calloc((size_t)n, sizeof *d->ev_ok);
    d->mk = evm__calloc((size_t)n, sizeof *d->mk);
    d->msize = evm__calloc((size_t)n, sizeof *d->msize);
    d->order = evm__calloc((size_t)n, sizeof *d->order);
    if (clusters)
        d->cl = evm__calloc((size_t)n, sizeof *d->cl);
    return d->ev && d->ev_ok && d->mk && d->msize && d->order &&
                   (d->cl || !clusters)
               ? 0
               : -1;
}

/* Lines of a cluster's label: a heading (the place), then one line per
 * event that has a label. */
typedef struct label_block {
    PangoLayout *head;
    PangoLayout *line[MAX_LINES];
    int ev[MAX_LINES];
    int nline;
    double w, h, lh[MAX_LINES], hh, mini;
} label_block;

static void block_build(evm_draw *d, const evm_cluster *c, label_block *b)
{
    const evm_map *m = d->m;
    double s = d->s;
    memset(b, 0, sizeof *b);
    b->mini = c->n > 1 ? 11 * s : 0;
    const evm_event *e0 = &m->events[d->order[c->first]];
    const char *head = heading_of(e0);
    double w = 0, h = 0;
    if (head) {
        b->head = evm__text_layout(d->cr, "Noto Sans", 1, 12 * s, head, 0,
                                   0);
        evm__text_size(b->head, &w, &b->hh);
        h = b->hh;
    }
    for (int k = 0; k < c->n && b->nline < MAX_LINES; k++) {
        const evm_event *e = &m->events[d->order[c->first + k]];
        char buf[600];
        const char *txt = e->label;
        /* a line for an event at another named place of the cluster says
         * where, so the airport's event is not read as the city's */
        if (head && e->where.name && strcasecmp(e->where.name, head) != 0) {
            snprintf(buf, sizeof buf, "%s: %s", e->where.name,
                     txt ? txt : e->type->legend);
            txt = buf;
        }
        if (!txt)
            continue;
        PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 12 * s, txt,
                                          0, 0);
        double lw, lh;
        evm__text_size(l, &lw, &lh);
        lw += b->mini ? b->mini + 4 * s : 0;
        b->line[b->nline] = l;
        b->lh[b->nline] = lh;
        b->ev[b->nline] = d->order[c->first + k];
        b->nline++;
        if (lw > w)
            w = lw;
        h += lh;
    }
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

evm_status evm__events_layout(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    int n = m->nevents;
    double s = d->s;
    /* a whole event table: the dense layout (dense.c) */
    int dense = 0;
    for (int i = 0; i < n && dense <= EVM_DENSE_EVENTS; i++)
        dense += m->events[i].where.has_coord &&
                 evm__in_window(d, m->events[i].date);
    if (dense > EVM_DENSE_EVENTS)
        return evm__events_layout_dense(d, err);
    if (evm__events_alloc(d, n, 1) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    int no = 0;
    for (int i = 0; i < n; i++) {
        const evm_event *e = &m->events[i];
        d->msize[i] = evm__marker_size(e->fatalities, s);
        if (!e->where.has_coord ||
            evm__project(d, e->where.lon, e->where.lat, &d->ev[i].x,
                         &d->ev[i].y) != 0)
            continue;
        if (d->ev[i].x < 0 || d->ev[i].y < 0 || d->ev[i].x > d->W ||
            d->ev[i].y > d->H)
            continue; /* outside an explicit extent */
        d->ev_ok[i] = 1;
        if (!evm__in_window(d, e->date))
            continue;
        d->ev_ok[i] = 2;
        d->order[no++] = i;
    }
    qsort_r(d->order, (size_t)no, sizeof *d->order, ev_cmp, (void *)m);

    /* clusters: greedy, biggest events first; an event joins the first
     * cluster whose anchor is within reach of its marker */
    int *cid = malloc(sizeof *cid * (size_t)(n ? n : 1));
    if (!cid)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int a = 0; a < no; a++) {
        int i = d->order[a];
        int found = -1;
        for (int c = 0; c < d->ncl; c++) {
            double reach = 0.5 * (d->msize[i] + 14 * s) + 4 * s;
            if (fabs(d->cl[c].x - d->ev[i].x) < reach &&
                fabs(d->cl[c].y - d->ev[i].y) < reach) {
                found = c;
                break;
            }
        }
        if (found < 0) {
            found = d->ncl++;
            d->cl[found].x = d->ev[i].x;
            d->cl[found].y = d->ev[i].y;
            d->cl[found].n = 0;
        }
        cid[i] = found;
        d->cl[found].n++;
    }
    /* regroup order by cluster (stable) */
    int *ord2 = malloc(sizeof *ord2 * (size_t)(no ? no : 1));
    if (!ord2) {
        free(cid);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    int at = 0;
    for (int c = 0; c < d->ncl; c++) {
        d->cl[c].first = at;
        for (int a = 0; a < no; a++)
            if (cid[d->order[a]] == c)
                ord2[at++] = d->order[a];
    }
    memcpy(d->order, ord2, sizeof *ord2 * (size_t)no);
    free(ord2);
    free(cid);

    /* markers of a cluster side by side in rows of up to three, centred
     * on the first (most important) event's place */
    for (int c = 0; c < d->ncl; c++) {
        evm_cluster *cl = &d->cl[c];
        double cell = 0;
        for (int k = 0; k < cl->n; k++)
            cell = fmax(cell, d->msize[d->order[cl->first + k]]);
        cell += 3 * s;
        int cols = cl->n < 3 ? cl->n : 3;
        int rows = (cl->n + 2) / 3;
        for (int k = 0; k < cl->n; k++) {
            int i = d->order[cl->first + k];
            int r = k / 3, col = k % 3;
            int inrow = r == rows - 1 ? cl->n - r * 3 : cols;
            d->mk[i].x = cl->x + (col - (inrow - 1) / 2.0) * cell;
            d->mk[i].y = cl->y + (r - (rows - 1) / 2.0) * cell;
        }
        cl->r = cl->n == 1 ? d->msize[d->order[cl->first]] / 2
                           : 0.5 * cell * fmax(cols, rows) * 1.05;
        for (int k = 0; k < cl->n; k++) {
            int i = d->order[cl->first + k];
            double r = d->msize[i] / 2 + 2 * s;
            evm__labeler_add_obstacle(d->lb, (evm_rect){d->mk[i].x - r,
                d->mk[i].y - r, d->mk[i].x + r, d->mk[i].y + r});
        }
        label_block b;
        block_build(d, cl, &b);
        cl->lw = b.w;
        cl->lh = b.h;
        block_free(&b);
        cl->label = (b.w > 0 && b.h > 0)
            ? evm__labeler_add(d->lb, cl->x, cl->y, cl->r + 4 * s,
                               b.w + 2 * s, b.h, c)
            : -1;
    }
    return EVM_OK;
}

void evm__events_draw(evm_draw *d)
{
    const evm_map *m = d->m;
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        /* draw smaller ones last so none hides another */
        for (int k = cl->n - 1; k >= 0; k--) {
            int i = d->order[cl->first + k];
            const evm_event *e = &m->events[i];
            evm__draw_marker_ex(d->cr, d->th, e->type, d->mk[i].x,
                                d->mk[i].y, d->msize[i], e->claimed, d->s);
        }
    }
}

static void leader(evm_draw *d, double ax, double ay, double r, evm_rect b)
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

void evm__events_labels_draw(evm_draw *d)
{
    const evm_map *m = d->m;
    double s = d->s;
    for (int c = 0; c < d->ncl; c++) {
        const evm_cluster *cl = &d->cl[c];
        if (cl->label < 0)
            continue;
        evm_rect box;
        int placed, lead;
        evm__labeler_result(d->lb, cl->label, &box, &placed, &lead);
        label_block b;
        block_build(d, cl, &b);
        if (!placed) {
            const evm_event *e = &m->events[d->order[cl->first]];
            evm__label_unplaced(d, e->pos, e->where.name ? e->where.name
                                : e->label ? e->label : e->type->legend);
            block_free(&b);
            continue;
        }
        if (lead)
            leader(d, cl->x, cl->y, cl->r + 1 * s, box);
        double y = box.y0;
        /* right-aligned text when the label sits left of the anchor */
        int right = box.x1 <= cl->x;
        if (b.head) {
            double w, h;
            evm__text_size(b.head, &w, &h);
            evm__text_draw(d->cr, b.head, right ? box.x1 - w : box.x0, y,
                           d->th->text, d->th->halo, 2.5 * s);
            y += b.hh;
        }
        for (int k = 0; k < b.nline; k++) {
            double w, h;
            evm__text_size(b.line[k], &w, &h);
            double full = w + (b.mini ? b.mini + 4 * s : 0);
            double x = right ? box.x1 - full : box.x0;
            if (b.mini) {
                const evm_event *e = &m->events[b.ev[k]];
                evm__draw_marker_ex(d->cr, d->th, e->type, x + b.mini / 2,
                                    y + h / 2, b.mini, e->claimed, d->s);
                x += b.mini + 4 * s;
            }
            evm__text_draw(d->cr, b.line[k], x, y, d->th->text, d->th->halo,
                           2.5 * s);
            y += b.lh[k];
        }
        block_free(&b);
    }
}
