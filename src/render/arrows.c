/* Movement arrows: great-circle paths bent into a gentle arc, tapered
 * from tail to head, dashed for airlifts, deployments and claimed moves,
 * coloured by side, the head at the destination trimmed off its marker.
 * Several arrows into one place fan out to different sides. Origins off
 * an explicit extent are cut at the frame and named there. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

#define GC_STEPS 48

static const char *place_name(const evm_placeref *p)
{
    if (p->name)
        return p->name;
    return NULL;
}

static void cumlen(evm_arrow *a)
{
    a->s[0] = 0;
    for (int i = 1; i < a->n; i++)
        a->s[i] = a->s[i - 1] + hypot(a->p[i].x - a->p[i - 1].x,
                                      a->p[i].y - a->p[i - 1].y);
}

/* Point and unit tangent at arc length t: the first segment that reaches
 * t, found by bisection (a route of thousands of via points has hundreds
 * of thousands of points, and t is asked for every few pixels). */
static void at(const evm_arrow *a, double t, evm_pt *p, evm_pt *tan)
{
    int lo = 1, hi = a->n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a->s[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    int i = lo;
    double seg = a->s[i] - a->s[i - 1];
    double f = seg > 0 ? (t - a->s[i - 1]) / seg : 0;
    f = fmin(fmax(f, 0), 1);
    p->x = a->p[i - 1].x + f * (a->p[i].x - a->p[i - 1].x);
    p->y = a->p[i - 1].y + f * (a->p[i].y - a->p[i - 1].y);
    double dx = a->p[i].x - a->p[i - 1].x, dy = a->p[i].y - a->p[i - 1].y;
    double L = hypot(dx, dy);
    tan->x = L > 0 ? dx / L : 1;
    tan->y = L > 0 ? dy / L : 0;
}

/* Cuts the polyline to arc lengths [t0, t1] (re-sampled ends). Returns
 * 0, -1 when nothing is left, -2 out of memory. */
static int trim(evm_arrow *a, double t0, double t1)
{
    double L = a->s[a->n - 1];
    if (t1 - t0 < 4 || t0 >= L)
        return -1;
    evm_pt *np = malloc(sizeof *np * (size_t)(a->n + 2));
    if (!np)
        return -2;
    int k = 0;
    evm_pt p, tn;
    at(a, t0, &p, &tn);
    np[k++] = p;
    for (int i = 0; i < a->n; i++)
        if (a->s[i] > t0 && a->s[i] < t1)
            np[k++] = a->p[i];
    at(a, t1, &p, &tn);
    np[k++] = p;
    free(a->p);
    a->p = np;
    a->n = k;
    free(a->s);
    a->s = malloc(sizeof *a->s * (size_t)k);
    if (!a->s) {
        a->n = 0;
        return -2;
    }
    cumlen(a);
    return 0;
}

/* Radius of whatever event marker sits at (x, y), or 0. */
static double marker_at(const evm_draw *d, double x, double y)
{
    for (int c = 0; c < d->ncl; c++)
        if (hypot(d->cl[c].x - x, d->cl[c].y - y) < d->cl[c].r + 2 * d->s)
            return d->cl[c].r;
    return 0;
}

static int inside(const evm_draw *d, evm_pt p)
{
    return p.x >= 0 && p.y >= 0 && p.x <= d->W && p.y <= d->H;
}

/* How crowded the neighbourhood of p is: markers within 60 px, and
 * distance outside the canvas. Lower is roomier. */
static double crowd(const evm_draw *d, evm_pt p)
{
    double c = 0;
    for (int i = 0; i < d->m->nevents; i++)
        if (d->ev_ok[i] && hypot(d->ev[i].x - p.x, d->ev[i].y - p.y) < 60 * d->s)
            c += 1;
    if (!inside(d, p))
        c += 5;
    return c;
}

static evm_status build(evm_draw *d, int idx, double bend_sign,
                        double bend_f, evm_arrow *a, evm_error *err)
{
    const evm_movement *mv = &d->m->movements[idx];
    int nw = mv->nvia + 2;
    const evm_placeref **w = malloc(sizeof *w * (size_t)nw);
    if (!w)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    w[0] = &mv->from;
    for (int j = 0; j < mv->nvia; j++)
        w[j + 1] = &mv->via[j];
    w[nw - 1] = &mv->to;
    int cap = (nw - 1) * GC_STEPS + 1;
    double *x = malloc(sizeof *x * (size_t)cap);
    double *y = malloc(sizeof *y * (size_t)cap);
    a->p = malloc(sizeof *a->p * (size_t)cap);
    a->s = malloc(sizeof *a->s * (size_t)cap);
    if (!x || !y || !a->p || !a->s) {
        free(w); free(x); free(y);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    int n = 0;
    for (int j = 0; j + 1 < nw; j++) {
        evm_geo_great_circle(w[j]->lon, w[j]->lat, w[j + 1]->lon,
                             w[j + 1]->lat, GC_STEPS + 1, x + n, y + n);
        n += GC_STEPS; /* the next segment starts on this one's end */
    }
    n++;
    free(w);
    evm__project_n(d, x, y, n);
    a->n = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]))
            a->p[a->n++] = (evm_pt){x[i], y[i]};
    free(x);
    free(y);
    if (a->n < 2)
        return EVM_OK;
    cumlen(a);

    /* the arc: each point pushed sideways by sin(pi t) of the bend */
    double L = a->s[a->n - 1];
    evm_pt p0 = a->p[0], p1 = a->p[a->n - 1];
    double cx = p1.x - p0.x, cy = p1.y - p0.y, cl = hypot(cx, cy);
    if (cl > 0 && bend_f > 0) {
        double nx = -cy / cl, ny = cx / cl;
        if (bend_sign == 0) {
            evm_pt mid = {(p0.x + p1.x) / 2, (p0.y + p1.y) / 2};
            evm_pt l = {mid.x + nx * 0.12 * cl, mid.y + ny * 0.12 * cl};
            evm_pt r = {mid.x - nx * 0.12 * cl, mid.y - ny * 0.12 * cl};
            bend_sign = crowd(d, l) <= crowd(d, r) ? 1 : -1;
        }
        double b = bend_sign * bend_f * cl;
        for (int i = 1; i < a->n - 1; i++) {
            double t = a->s[i] / L;
            double o = sin(M_PI * t) * b;
            a->p[i].x += nx * o;
            a->p[i].y += ny * o;
        }
        cumlen(a);
        L = a->s[a->n - 1];
    }

    /* an origin outside the frame: start at the frame's edge, and say
     * where the move comes from there */
    double t0 = 0;
    if (!inside(d, a->p[0]) && d->explicit_extent) {
        for (int i = 0; i < a->n; i++)
            if (inside(d, a->p[i])) {
                t0 = a->s[i];
                break;
            }
        const char *nm = place_name(&mv->from);
        snprintf(a->off_text, sizeof a->off_text, "from %s",
                 nm ? nm : "off the map");
    } else {
        t0 = marker_at(d, a->p[0].x, a->p[0].y);
        if (t0 > 0) {
            t0 += 3 * d->s;
        } else if (inside(d, a->p[0]) && mv->from.name) {
            a->has_origin = 1;
            a->origin = a->p[0];
            t0 = 5 * d->s;
        }
    }
    double te = marker_at(d, p1.x, p1.y);
    if (te <= 0 && inside(d, p1) && mv->to.name) {
        a->has_dest = 1;
        a->dest = p1;
    }
    te = te > 0 ? te + 3 * d->s : 2 * d->s;
    int tr = trim(a, t0, L - te);
    if (tr != 0)
        a->n = 0;
    if (tr == -2)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    return EVM_OK;
}

static void style(evm_draw *d, const evm_movement *mv, evm_arrow *a)
{
    double s = d->s;
    evm__move_style ms;
    evm__move_style_of(d->th, &d->sides, mv, &ms);
    a->color = ms.color;
    a->dashed = ms.dashed;
    a->dash_on = ms.dash_on;
    a->dash_off = ms.dash_off;
    a->claimed = ms.claimed;
    a->open_head = ms.open_head;
    a->w_tail = ms.w_tail * s;
    a->w_end = ms.w_end * s;
    a->head_w = ms.head_w * s;
    a->head_len = ms.head_len * s;
    a->text = mv->label;
}

/* Arrows into one place fan out: the k-th of a group bends to
 * alternating sides, further each time, up to a cap (a hundred arrows
 * into one city would otherwise bend across the whole frame). */
#define MAX_FAN_STEPS 5

struct dest_key {
    double lon, lat;
    int i;
};

static int cmp_dest(const void *a, const void *b)
{
    const struct dest_key *x = a, *y = b;
    if (x->lon != y->lon)
        return x->lon < y->lon ? -1 : 1;
    if (x->lat != y->lat)
        return x->lat < y->lat ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* For each movement its rank among those into the same destination (in
 * spec order) and the size of that group: sorted once, n log n. */
static int fan_groups(const evm_map *m, int *rank, int *group)
{
    int n = m->nmovements;
    struct dest_key *k = evm__calloc((size_t)n, sizeof *k);
    if (!k)
        return -1;
    for (int i = 0; i < n; i++)
        k[i] = (struct dest_key){m->movements[i].to.lon,
                                 m->movements[i].to.lat, i};
    qsort(k, (size_t)n, sizeof *k, cmp_dest);
    for (int a = 0; a < n;) {
        int b = a + 1;
        while (b < n && fabs(k[b].lon - k[a].lon) < 1e-6 &&
               fabs(k[b].lat - k[a].lat) < 1e-6)
            b++;
        /* within a run the order is the spec's (ties sort by index) when
         * the coordinates are equal; sort the run's indexes to be sure */
        for (int x = a + 1; x < b; x++)
            for (int y = x; y > a && k[y - 1].i > k[y].i; y--) {
                struct dest_key t = k[y];
                k[y] = k[y - 1];
                k[y - 1] = t;
            }
        for (int x = a; x < b; x++) {
            rank[k[x].i] = x - a;
            group[k[x].i] = b - a;
        }
        a = b;
    }
    free(k);
    return 0;
}

/* Cells of 2 px that already hold an obstacle box of an arrow's body:
 * where many arrows converge, one box per cell is enough (their number
 * is bounded by the canvas, not by the arrows). */
struct cover {
    unsigned char *bit;
    int gw, gh;
    double q;
};

/* 1 if p's cell was free (now taken), 0 if taken; off the canvas: 1. */
static int cover_take(struct cover *c, evm_pt p)
{
    if (!c->bit || p.x < 0 || p.y < 0)
        return 1;
    int x = (int)(p.x / c->q), y = (int)(p.y / c->q);
    if (x >= c->gw || y >= c->gh)
        return 1;
    size_t i = (size_t)y * (size_t)c->gw + (size_t)x;
    if (c->bit[i >> 3] & (1u << (i & 7)))
        return 0;
    c->bit[i >> 3] |= (unsigned char)(1u << (i & 7));
    return 1;
}

/* Arrows already drawn, by a hash of their path and style: a fan of
 * hundreds of identical moves (its bend capped) draws each path once. */
struct seen {
    uint64_t *h;
    int *idx;
    size_t cap;
};

static uint64_t arrow_hash(const evm_arrow *a)
{
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *b = (const unsigned char *)a->p;
    for (size_t i = 0; i < sizeof *a->p * (size_t)a->n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    uint64_t st[3] = {a->color, (uint64_t)(a->dashed | a->open_head << 1 |
                                           a->claimed << 2),
                      (uint64_t)lround(a->w_tail * 1000)};
    b = (const unsigned char *)st;
    for (size_t i = 0; i < sizeof st; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h | 1; /* 0 marks an empty slot */
}

static int same_arrow(const evm_arrow *a, const evm_arrow *b)
{
    return a->n == b->n && a->color == b->color && a->dashed == b->dashed &&
           a->open_head == b->open_head && a->claimed == b->claimed &&
           a->w_tail == b->w_tail && a->w_end == b->w_end &&
           a->head_w == b->head_w && a->head_len == b->head_len &&
           a->dash_on == b->dash_on && a->dash_off == b->dash_off &&
           !memcmp(a->p, b->p, sizeof *a->p * (size_t)a->n);
}

/* 1 if arrow i of d repeats an earlier one (then marked dup), else adds
 * it to the table. */
static int seen_before(struct seen *t, evm_draw *d, int i)
{
    evm_arrow *a = &d->ar[i];
    uint64_t h = arrow_hash(a);
    size_t k = (size_t)(h % t->cap);
    while (t->h[k]) {
        if (t->h[k] == h && same_arrow(&d->ar[t->idx[k]], a))
            return a->dup = 1;
        k = (k + 1) % t->cap;
    }
    t->h[k] = h;
    t->idx[k] = i;
    return 0;
}

evm_status evm__arrows_layout(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    int n = m->nmovements;
    d->ar = evm__calloc((size_t)n, sizeof *d->ar);
    if (!d->ar)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    d->nar = n;
    int *ranks = evm__calloc((size_t)n, sizeof *ranks);
    int *groups = evm__calloc((size_t)n, sizeof *groups);
    struct cover cov = {.q = 2 * d->s};
    cov.gw = (int)(d->W / cov.q) + 1;
    cov.gh = (int)(d->H / cov.q) + 1;
    cov.bit = evm__calloc((size_t)cov.gw * (size_t)cov.gh / 8 + 1, 1);
    struct seen seen = {.cap = (size_t)n * 2 + 1};
    seen.h = evm__calloc(seen.cap, sizeof *seen.h);
    seen.idx = evm__calloc(seen.cap, sizeof *seen.idx);
    if (!ranks || !groups || !cov.bit || !seen.h || !seen.idx ||
        fan_groups(m, ranks, groups) < 0) {
        free(ranks);
        free(groups);
        free(cov.bit);
        free(seen.h);
        free(seen.idx);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    evm_status st = EVM_OK;
    for (int i = 0; i < n && st == EVM_OK; i++) {
        const evm_movement *mv = &m->movements[i];
        if (!evm__in_window(d, mv->date)) {
            d->ar[i].label = d->ar[i].off_label = d->ar[i].origin_label =
                d->ar[i].dest_label = -1;
            continue;
        }
        int group = groups[i], rank = ranks[i];
        double sign = 0, f = 0.12;
        if (group > 1) {
            sign = rank % 2 ? -1 : 1;
            int step = rank / 2 < MAX_FAN_STEPS ? rank / 2 : MAX_FAN_STEPS;
            f = 0.10 + 0.08 * step;
        }
        evm_arrow *a = &d->ar[i];
        a->label = a->off_label = a->origin_label = a->dest_label = -1;
        style(d, mv, a);
        if ((st = build(d, i, sign, f, a, err)) != EVM_OK || a->n < 2)
            continue;
        double s = d->s;
        int repeat = seen_before(&seen, d, i);
        /* labels must keep off the head and the body */
        evm_pt tip = a->p[a->n - 1];
        double hr = a->head_len;
        evm__labeler_add_obstacle(d->lb, (evm_rect){tip.x - hr, tip.y - hr,
                                                   tip.x + hr, tip.y + hr});
        double L = a->s[a->n - 1];
        /* boxes along the body, one every radius so that they overlap:
         * sparser ones let a label sit across the line between two */
        double br = a->w_tail / 2 + 1 * s;
        for (double t = 0; !repeat && t < L; t += fmax(br, 2 * s)) {
            evm_pt p, tn;
            at(a, t, &p, &tn);
            if (cover_take(&cov, p))
                evm__labeler_add_obstacle(d->lb, (evm_rect){p.x - br,
                    p.y - br, p.x + br, p.y + br});
        }
        if (a->text && *a->text) {
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 1, 12 * s,
                                              a->text, 0, 0);
            evm__text_size(l, &a->lw, &a->lh);
            g_object_unref(l);
            evm_pt mid, tn;
            at(a, L * 0.5, &mid, &tn);
            a->label = evm__labeler_add(d->lb, mid.x, mid.y,
                                        a->w_tail / 2 + 4 * s, a->lw, a->lh,
                                        1000 + i);
            evm__labeler_no_leader(d->lb, a->label);
        }
        /* one dot and name per origin, however many moves start there */
        int first = a->has_origin;
        for (int j = 0; j < i && first; j++)
            if (d->ar[j].has_origin &&
                hypot(d->ar[j].origin.x - a->origin.x,
                      d->ar[j].origin.y - a->origin.y) < 1)
                first = 0;
        if (a->has_origin && !first)
            a->has_origin = 0;
        if (a->has_origin) {
            double r = 4 * s;
            evm__labeler_add_obstacle(d->lb, (evm_rect){a->origin.x - r,
                a->origin.y - r, a->origin.x + r, a->origin.y + r});
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 11 * s,
                                              mv->from.name, 0, 0);
            evm__text_size(l, &a->gw, &a->gh);
            g_object_unref(l);
            a->origin_label = evm__labeler_add(d->lb, a->origin.x,
                                               a->origin.y, r + 2 * s, a->gw,
                                               a->gh, 800 + i);
            evm__labeler_no_leader(d->lb, a->origin_label);
        }
        /* one name per destination no event marks, beside the head */
        for (int j = 0; j < i && a->has_dest; j++)
            if (d->ar[j].has_dest && hypot(d->ar[j].dest.x - a->dest.x,
                                           d->ar[j].dest.y - a->dest.y) < 1)
                a->has_dest = 0;
        if (a->has_dest) {
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 11 * s,
                                              mv->to.name, 0, 0);
            evm__text_size(l, &a->dw, &a->dh);
            g_object_unref(l);
            a->dest_label = evm__labeler_add(d->lb, a->dest.x, a->dest.y,
                                             a->head_len + 2 * s, a->dw,
                                             a->dh, 850 + i);
            evm__labeler_no_leader(d->lb, a->dest_label);
        }
        if (a->off_text[0]) {
            PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 0, 11 * s,
                                              a->off_text, 0, 0);
            evm__text_size(l, &a->ow, &a->oh);
            g_object_unref(l);
            a->off_label = evm__labeler_add(d->lb, a->p[0].x, a->p[0].y,
                                            a->w_tail, a->ow, a->oh, 900 + i);
            evm__labeler_no_leader(d->lb, a->off_label);
        }
    }
    free(ranks);
    free(groups);
    free(cov.bit);
    free(seen.h);
    free(seen.idx);
    return st;
}

/* Adds the outline of the body between arc lengths t0 and t1, its width
 * tapering linearly from w_tail at 0 to w_end at `body` length. */
static void body_piece(cairo_t *cr, const evm_arrow *a, double t0, double t1,
                       double body)
{
    enum { MAXS = 256 };
    evm_pt l[MAXS], r[MAXS];
    int k = 0;
    double step = fmax((t1 - t0) / (MAXS - 2), 2.0);
    for (double t = t0;; t += step) {
        if (t > t1)
            t = t1;
        evm_pt p, tn;
        at(a, t, &p, &tn);
        double w = a->w_tail + (a->w_end - a->w_tail) * fmin(t / body, 1);
        l[k] = (evm_pt){p.x - tn.y * w / 2, p.y + tn.x * w / 2};
        r[k] = (evm_pt){p.x + tn.y * w / 2, p.y - tn.x * w / 2};
        k++;
        if (t >= t1 || k >= MAXS)
            break;
    }
    cairo_move_to(cr, l[0].x, l[0].y);
    for (int i = 1; i < k; i++)
        cairo_line_to(cr, l[i].x, l[i].y);
    for (int i = k - 1; i >= 0; i--)
        cairo_line_to(cr, r[i].x, r[i].y);
    cairo_close_path(cr);
}

static void draw_arrow(cairo_t *cr, const evm_arrow *a, unsigned halo,
                       double s)
{
    double L = a->s[a->n - 1];
    double hl = fmin(a->head_len, L * 0.6);
    double body = L - hl * 0.85;
    cairo_new_path(cr);
    if (a->dashed) {
        double on = a->dash_on * s, off = a->dash_off * s;
        for (double t = 0; t < body; t += on + off)
            body_piece(cr, a, t, fmin(t + on, body), body);
    } else {
        body_piece(cr, a, 0, body, body);
    }
    evm_pt p, tn, tip, tt;
    at(a, L - hl, &p, &tn);
    at(a, L, &tip, &tt);
    double dx = tip.x - p.x, dy = tip.y - p.y, dl = hypot(dx, dy);
    if (dl > 0) {
        dx /= dl;
        dy /= dl;
    }
    double hw = a->head_w / 2;
    if (!a->open_head) {
        cairo_move_to(cr, tip.x, tip.y);
        cairo_line_to(cr, p.x - dy * hw, p.y + dx * hw);
        cairo_line_to(cr, p.x + dx * hl * 0.18, p.y + dy * hl * 0.18);
        cairo_line_to(cr, p.x + dy * hw, p.y - dx * hw);
        cairo_close_path(cr);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    evm__set_rgb(cr, halo);
    cairo_set_line_width(cr, 2.2 * s);
    cairo_stroke_preserve(cr);
    evm__set_rgb(cr, a->color);
    cairo_fill(cr);
    if (a->open_head) {
        cairo_move_to(cr, p.x - dy * hw, p.y + dx * hw);
        cairo_line_to(cr, tip.x, tip.y);
        cairo_line_to(cr, p.x + dy * hw, p.y - dx * hw);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        evm__set_rgb(cr, halo);
        cairo_set_line_width(cr, a->w_end + 2.2 * s);
        cairo_stroke_preserve(cr);
        evm__set_rgb(cr, a->color);
        cairo_set_line_width(cr, a->w_end);
        cairo_stroke(cr);
    }
}

void evm__arrows_draw(evm_draw *d)
{
    for (int i = 0; i < d->nar; i++) {
        const evm_arrow *a = &d->ar[i];
        if (a->n < 2 || a->dup)
            continue;
        /* opaque: a group for 0.9 opacity costs a canvas-sized surface
         * per arrow for a difference hardly seen */
        draw_arrow(d->cr, a, d->th->halo, d->s);
        if (a->has_origin) {
            cairo_arc(d->cr, a->origin.x, a->origin.y, 3.5 * d->s, 0,
                      2 * M_PI);
            evm__set_rgb(d->cr, d->th->halo);
            cairo_set_line_width(d->cr, 3 * d->s);
            cairo_stroke_preserve(d->cr);
            evm__set_rgb(d->cr, a->color);
            cairo_fill(d->cr);
        }
    }
}

void evm__arrows_labels_draw(evm_draw *d)
{
    for (int i = 0; i < d->nar; i++) {
        const evm_arrow *a = &d->ar[i];
        const evm_movement *mv = &d->m->movements[i];
        evm__label_draw(d, a->label, a->text, 1, 12, a->color, mv->pos);
        evm__label_draw(d, a->origin_label, mv->from.name, 0, 11,
                        d->th->text, mv->from.pos);
        evm__label_draw(d, a->dest_label, mv->to.name, 0, 11, d->th->text,
                        mv->to.pos);
        evm__label_draw(d, a->off_label, a->off_text, 0, 11, a->color,
                        mv->pos);
    }
}

void evm__arrows_free(evm_draw *d)
{
    for (int i = 0; i < d->nar; i++) {
        free(d->ar[i].p);
        free(d->ar[i].s);
    }
    free(d->ar);
    d->ar = NULL;
    d->nar = 0;
}

void evm__arrow_swatch(cairo_t *cr, double x0, double y0, double x1,
                       double y1, const evm__move_style *ms, double s)
{
    evm_pt p[2] = {{x0, y0}, {x1, y1}};
    double len[2];
    evm_arrow a = {.p = p, .s = len, .n = 2, .color = ms->color,
                   .dashed = ms->dashed, .dash_on = EVM_MOVE_DASH_ON,
                   .dash_off = EVM_MOVE_DASH_OFF, .open_head = ms->open_head,
                   .w_tail = 5 * s, .w_end = 2.6 * s, .head_w = 11 * s,
                   .head_len = 10 * s};
    cumlen(&a);
    draw_arrow(cr, &a, 0xffffff, s);
}
