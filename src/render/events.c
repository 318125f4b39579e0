/* Events as symbols at their places. Every event is projected once; then
 * the style decides: markers (here: one symbol per place), or an
 * aggregate for whole tables (dense.c). A place is the events at the
 * same coordinates, or closer than a symbol's size at this scale: one
 * symbol at the place's own position, its area growing with the count
 * or the fatalities, coloured by the dominant type, the count written in
 * it. Up to EVM_RING_MAX events of a spec may instead sit on a compact
 * ring round the point, which stays marked. Nothing moves further than
 * a symbol's size from where it happened; places are never merged into
 * rows or grids that grow with the count. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

#define BASE 14.0        /* symbol of one event, CSS px */
#define SIZE_MAX_PX 44.0 /* the largest place's symbol, CSS px */
#define RING_MEMBER 24.0 /* cap of a marker on a ring, CSS px */
#define BATCH 4096
/* auto: markers while places are at most this many and their symbols
 * cover at most this share of the map */
#define AUTO_PLACES 1500
#define AUTO_COVER 0.12
#define AUTO_EVENTS 50000

int evm_style_from_name(const char *name)
{
    static const char *n[] = {"auto", "markers", "points", "hexbin",
                              "heatmap"};
    for (int i = 0; name && i < 5; i++)
        if (strcasecmp(name, n[i]) == 0)
            return i;
    return -1;
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
    free(d->occ);
    free(d->gathered);
    d->gathered = NULL;
    d->ngather = d->ngathered = 0;
    evm__agg_free(d);
    d->ev = d->mk = NULL;
    d->ev_ok = d->order = NULL;
    d->msize = NULL;
    d->cl = NULL;
    d->occ = NULL;
    d->ncl = 0;
}

/* Contract in render_int.h. */
int evm__events_alloc(evm_draw *d, int n)
{
    evm__events_free(d);
    size_t k = (size_t)(n > 0 ? n : 1);
    d->ev = malloc(k * sizeof *d->ev);
    d->ev_ok = evm__calloc(k, sizeof *d->ev_ok);
    d->ocell = 8 * d->s;
    d->ow = (int)(d->W / d->ocell) + 1;
    d->oh = (int)(d->H / d->ocell) + 1;
    d->occ = evm__calloc((size_t)d->ow * (size_t)d->oh, 1);
    return d->ev && d->ev_ok && d->occ ? 0 : -1;
}

/* ------------------------------------------------------------ occupancy */

void evm__occ_mark(evm_draw *d, double x, double y, double r)
{
    int x0 = (int)floor((x - r) / d->ocell), x1 = (int)floor((x + r) / d->ocell);
    int y0 = (int)floor((y - r) / d->ocell), y1 = (int)floor((y + r) / d->ocell);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 >= d->ow) x1 = d->ow - 1;
    if (y1 >= d->oh) y1 = d->oh - 1;
    for (int j = y0; j <= y1; j++)
        for (int i = x0; i <= x1; i++)
            d->occ[(size_t)j * d->ow + i] = 1;
}

int evm__events_cover(const evm_draw *d, evm_rect r)
{
    if (!d->occ)
        return 0;
    int x0 = (int)floor(r.x0 / d->ocell), x1 = (int)floor(r.x1 / d->ocell);
    int y0 = (int)floor(r.y0 / d->ocell), y1 = (int)floor(r.y1 / d->ocell);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 >= d->ow) x1 = d->ow - 1;
    if (y1 >= d->oh) y1 = d->oh - 1;
    int c = 0;
    for (int j = y0; j <= y1; j++)
        for (int i = x0; i <= x1; i++)
            c += d->occ[(size_t)j * d->ow + i];
    return c;
}

int evm__events_near(const evm_draw *d, double x, double y, double r)
{
    return evm__events_cover(d, (evm_rect){x - r, y - r, x + r, y + r}) > 0;
}

int evm__events_names(const evm_draw *d, const char *name)
{
    const evm_map *m = d->m;
    for (int c = 0; c < d->ncl; c++)
        for (int k = 0; k < d->cl[c].n; k++) {
            const evm_placeref *p = &m->events[d->order[d->cl[c].first + k]]
                                         .where;
            if ((p->name && strcasecmp(p->name, name) == 0) ||
                (EVM_H(p)->resolved_name &&
                 strcasecmp(EVM_H(p)->resolved_name, name) == 0))
                return 1;
        }
    return 0;
}

/* --------------------------------------------------------------- sizes */

/* Area grows linearly with the value: area = base^2 + k * v, so the
 * legend's round values read true; k is the natural rate (a symbol's
 * area doubles at 12 deaths or at 3 events more) unless the largest
 * place would outgrow SIZE_MAX_PX, then smaller. */
static void size_scale(evm_draw *d, double vmax)
{
    double b = BASE * d->s, mx = SIZE_MAX_PX * d->s;
    double nat = b * b / (d->size_fat ? 12.0 : 3.0);
    d->size_k = nat;
    if (vmax > 0 && b * b + nat * vmax > mx * mx)
        d->size_k = (mx * mx - b * b) / vmax;
}

double evm__symbol_size(const evm_draw *d, double v)
{
    double b = BASE * d->s;
    return sqrt(b * b + d->size_k * (v > 0 ? v : 0));
}

/* The value a place's symbol shows. */
static double place_value(const evm_draw *d, const evm_cluster *c)
{
    return d->size_fat ? (double)c->fat : (double)(c->n - 1);
}

/* ------------------------------------------------------------ project */

/* Every event's pixel position, in batches; ev_ok as in render_int.h.
 * Counts what is drawn and what falls outside the frame. */
static void project_all(evm_draw *d)
{
    const evm_map *m = d->m;
    int n = m->nevents;
    double bx[BATCH], by[BATCH];
    for (int a = 0; a < n; a += BATCH) {
        int k = n - a < BATCH ? n - a : BATCH;
        for (int j = 0; j < k; j++) {
            const evm_placeref *p = &m->events[a + j].where;
            bx[j] = p->has_coord ? p->lon : NAN;
            by[j] = p->has_coord ? p->lat : NAN;
        }
        evm__project_n(d, bx, by, k);
        for (int j = 0; j < k; j++) {
            int i = a + j;
            const evm_event *e = &m->events[i];
            d->ev[i].x = bx[j];
            d->ev[i].y = by[j];
            int in = isfinite(bx[j]) && bx[j] >= 0 && by[j] >= 0 &&
                     bx[j] <= d->W && by[j] <= d->H;
            int win = evm__in_window(d, e->date);
            if (!in) {
                if (win && e->where.has_coord) {
                    d->noff++;
                    d->noff_approx += e->where.precision >= EVM_PREC_ADMIN1;
                }
                continue;
            }
            d->ev_ok[i] = win ? 2 : 1;
            d->ndrawn += win;
            /* events of the frame outside the date window still keep the
             * legend's corner and reference names away, so the frames of
             * a time series keep their furniture in one place */
            if (!win)
                evm__occ_mark(d, bx[j], by[j], BASE / 2 * d->s);
        }
    }
}

/* ------------------------------------------------------------- places */

/* Events matter in this order: more fatalities first, then the order the
 * table or spec gives. (qsort_r: no global state, renders run in
 * threads.) */
static int ev_cmp(const void *a, const void *b, void *ud)
{
    const evm_map *m = ud;
    int i = *(const int *)a, j = *(const int *)b;
    int fi = m->events[i].fatalities, fj = m->events[j].fatalities;
    if (fi != fj)
        return fi > fj ? -1 : 1;
    return i - j;
}

typedef struct place {
    double x, y;
    int ev;          /* its first (most important) event */
    int n;
    long fat;
    int approx;
    int group;
} place;

static int place_cmp(const void *a, const void *b)
{
    const place *p = a, *q = b;
    if (p->fat != q->fat)
        return p->fat > q->fat ? -1 : 1;
    if (p->n != q->n)
        return p->n > q->n ? -1 : 1;
    return p->ev - q->ev;
}

static uint64_t coord_key(const evm_event *e)
{
    uint64_t a, b;
    double lon = e->where.lon, lat = e->where.lat;
    memcpy(&a, &lon, 8);
    memcpy(&b, &lat, 8);
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull +
                                              (a << 6) + (a >> 2));
    return h ^ (uint64_t)(e->where.precision >= EVM_PREC_ADMIN1);
}

static int same_coord(const evm_event *a, const evm_event *b)
{
    return a->where.lon == b->where.lon && a->where.lat == b->where.lat &&
           (a->where.precision >= EVM_PREC_ADMIN1) ==
               (b->where.precision >= EVM_PREC_ADMIN1);
}

/* Events with the same coordinates (hash table): one place each.
 * order[0..no) holds the drawn events by importance; pid[k] gets the
 * place of order[k]. Returns the number of places, -1 out of memory. */
static int exact_places(evm_draw *d, int no, int *pid, place **out)
{
    const evm_map *m = d->m;
    size_t cap = 16;
    while (cap < (size_t)no * 2)
        cap <<= 1;
    int *slot = malloc(cap * sizeof *slot);
    place *P = malloc((size_t)(no ? no : 1) * sizeof *P);
    if (!slot || !P) {
        free(slot);
        free(P);
        return -1;
    }
    memset(slot, -1, cap * sizeof *slot);
    int np = 0;
    for (int k = 0; k < no; k++) {
        int i = d->order[k];
        const evm_event *e = &m->events[i];
        size_t h = (size_t)coord_key(e) & (cap - 1);
        while (slot[h] >= 0 && !same_coord(&m->events[P[slot[h]].ev], e))
            h = (h + 1) & (cap - 1);
        if (slot[h] < 0) {
            slot[h] = np;
            /* approx: 1 approximate, 2 gathered at its country */
            P[np] = (place){d->ev[i].x, d->ev[i].y, i, 0, 0,
                            evm__gathered(d, i) ? 2
                            : e->where.precision >= EVM_PREC_ADMIN1, -1};
            np++;
        }
        place *p = &P[slot[h]];
        p->n++;
        p->fat += e->fatalities > 0 ? e->fatalities : 0;
        pid[k] = slot[h];
    }
    free(slot);
    *out = P;
    return np;
}

/* Places closer than a symbol's size join the most important one near
 * them (a grid of cells that size: only the 3 x 3 cells around are
 * looked at). Fills P[].group and the clusters' anchors; returns the
 * number of groups or -1. */
static int group_places(evm_draw *d, place *P, int np)
{
    double T = BASE * d->s;
    int gw = (int)(d->W / T) + 3, gh = (int)(d->H / T) + 3;
    int *head = malloc((size_t)gw * gh * sizeof *head);
    int *next = malloc((size_t)(np ? np : 1) * sizeof *next);
    d->cl = evm__calloc((size_t)(np ? np : 1), sizeof *d->cl);
    if (!head || !next || !d->cl) {
        free(head);
        free(next);
        return -1;
    }
    memset(head, -1, (size_t)gw * gh * sizeof *head);
    /* most important places first: they anchor their neighbours */
    place *S = malloc((size_t)(np ? np : 1) * sizeof *S);
    if (!S) {
        free(head);
        free(next);
        return -1;
    }
    memcpy(S, P, (size_t)np * sizeof *S);
    for (int p = 0; p < np; p++)
        S[p].group = p; /* remember the index */
    qsort(S, (size_t)np, sizeof *S, place_cmp);
    int ng = 0;
    for (int q = 0; q < np; q++) {
        place *p = &P[S[q].group];
        int cx = (int)(p->x / T) + 1, cy = (int)(p->y / T) + 1;
        int best = -1;
        double bd = T;
        for (int j = cy - 1; j <= cy + 1; j++)
            for (int i = cx - 1; i <= cx + 1; i++) {
                if (i < 0 || j < 0 || i >= gw || j >= gh)
                    continue;
                for (int g = head[j * gw + i]; g >= 0; g = next[g]) {
                    evm_cluster *c = &d->cl[g];
                    double dd = hypot(c->tx - p->x, c->ty - p->y);
                    if (c->approx == p->approx && dd < bd) {
                        bd = dd;
                        best = g;
                    }
                }
            }
        if (best < 0) {
            best = ng++;
            evm_cluster *c = &d->cl[best];
            c->tx = c->x = p->x;
            c->ty = c->y = p->y;
            const evm_gather *g = evm__gathered(d, p->ev);
            g = g && g->ok == 1 ? g : NULL;
            c->lon = g ? g->lon : d->m->events[p->ev].where.lon;
            c->lat = g ? g->lat : d->m->events[p->ev].where.lat;
            c->approx = p->approx;
            c->label = -1;
            next[best] = head[cy * gw + cx];
            head[cy * gw + cx] = best;
        }
        p->group = best;
        d->cl[best].nplaces++;
    }
    free(S);
    free(head);
    free(next);
    return ng;
}

/* Regroups d->order by place (counting sort, stable: importance within
 * each place) and fills each place's counts. */
static int order_by_group(evm_draw *d, int no, const int *pid,
                          const place *P)
{
    const evm_map *m = d->m;
    int *o2 = malloc((size_t)(no ? no : 1) * sizeof *o2);
    if (!o2)
        return -1;
    for (int k = 0; k < no; k++)
        d->cl[P[pid[k]].group].n++;
    int at = 0;
    for (int c = 0; c < d->ncl; c++) {
        d->cl[c].first = at;
        at += d->cl[c].n;
        d->cl[c].n = 0;
    }
    for (int k = 0; k < no; k++) {
        evm_cluster *c = &d->cl[P[pid[k]].group];
        const evm_event *e = &m->events[d->order[k]];
        o2[c->first + c->n++] = d->order[k];
        c->fat += e->fatalities > 0 ? e->fatalities : 0;
        c->ncats[e->type->cat]++;
    }
    memcpy(d->order, o2, (size_t)no * sizeof *o2);
    free(o2);
    for (int c = 0; c < d->ncl; c++) {
        evm_cluster *cl = &d->cl[c];
        cl->cat = 0;
        for (int k = 0; k < EVM_CAT_COUNT; k++) {
            cl->ncat += cl->ncats[k] > 0;
            if (cl->ncats[k] > cl->ncats[cl->cat])
                cl->cat = k;
        }
    }
    return 0;
}

/* ------------------------------------------------------------- symbols */

/* A ring of up to EVM_RING_MAX markers round the point: as close as the
 * markers allow, so never further than about two symbol widths. */
static void ring_layout(evm_draw *d, evm_cluster *c)
{
    const evm_map *m = d->m;
    double s = d->s, sum = 0, big = 0;
    for (int k = 0; k < c->n; k++) {
        int i = d->order[c->first + k];
        double f = m->events[i].fatalities > 0 && d->size_fat
                       ? m->events[i].fatalities : 0;
        d->msize[i] = fmin(evm__symbol_size(d, f), RING_MEMBER * s);
        sum += d->msize[i] + 2 * s;
        big = fmax(big, d->msize[i]);
    }
    /* events at nearby but distinct points: the most important one stays
     * at its place, the centre, the others round it */
    int centred = c->nplaces > 1;
    int k0 = centred ? 1 : 0, nr = c->n - k0;
    double R = fmax(big / 2 + 2 * s, sum / (2 * M_PI));
    if (centred) {
        int i0 = d->order[c->first];
        R = fmax(R, (d->msize[i0] + big) / 2 + 2 * s);
        d->mk[i0].x = c->tx;
        d->mk[i0].y = c->ty;
    }
    for (int k = k0; k < c->n; k++) {
        int i = d->order[c->first + k];
        double a = -M_PI / 2 + 2 * M_PI * (k - k0) / nr;
        d->mk[i].x = c->tx + R * cos(a);
        d->mk[i].y = c->ty + R * sin(a);
    }
    c->r = R + big / 2;
}

/* A map of an event table: every event read from one (drawn as is, or
 * through a spec's events: { from: FILE }). */
static int is_table_map(const evm_map *m)
{
    if (!m->nevents)
        return 0;
    for (int i = 0; i < m->nevents; i++)
        if (!m->events[i].from_table)
            return 0;
    return 1;
}

/* Sizes, rings and obstacles of the places; the label candidates. */
static void symbols_layout(evm_draw *d)
{
    const evm_map *m = d->m;
    double s = d->s, vmax = 0;
    for (int c = 0; c < d->ncl; c++)
        vmax = fmax(vmax, place_value(d, &d->cl[c]));
    size_scale(d, vmax);
    for (int c = 0; c < d->ncl; c++) {
        evm_cluster *cl = &d->cl[c];
        cl->ring = !d->from_table && cl->n > 1 && cl->n <= EVM_RING_MAX &&
                   !cl->approx;
        if (cl->ring) {
            ring_layout(d, cl);
        } else {
            cl->r = evm__symbol_size(d, place_value(d, cl)) / 2;
            for (int k = 0; k < cl->n; k++) {
                int i = d->order[cl->first + k];
                d->mk[i].x = cl->x;
                d->mk[i].y = cl->y;
                d->msize[i] = 2 * cl->r;
            }
        }
        evm__labeler_add_symbol(d->lb, cl->x, cl->y, cl->r + 2 * s);
        evm__occ_mark(d, cl->x, cl->y, cl->r);
    }
    (void)m;
}

/* Label order: a country's gathered events, fatalities, then the count,
 * then a user's label. */
static int rank_cmp(const void *a, const void *b, void *ud)
{
    const evm_draw *d = ud;
    const evm_cluster *p = &d->cl[*(const int *)a], *q = &d->cl[*(const int *)b];
    /* a country's gathered events first: they sum up many rows */
    if ((p->approx == 2) != (q->approx == 2))
        return p->approx == 2 ? -1 : 1;
    if (p->fat != q->fat)
        return p->fat > q->fat ? -1 : 1;
    if (p->n != q->n)
        return p->n > q->n ? -1 : 1;
    int lp = d->m->events[d->order[p->first]].label != NULL;
    int lq = d->m->events[d->order[q->first]].label != NULL;
    if (lp != lq)
        return lq - lp;
    return *(const int *)a - *(const int *)b;
}

static evm_status markers_layout(evm_draw *d, int no, evm_error *err)
{
    int *pid = malloc((size_t)(no ? no : 1) * sizeof *pid);
    place *P = NULL;
    d->mk = malloc((size_t)(d->m->nevents ? d->m->nevents : 1) * sizeof *d->mk);
    d->msize = malloc((size_t)(d->m->nevents ? d->m->nevents : 1) *
                      sizeof *d->msize);
    int np = pid && d->mk && d->msize ? exact_places(d, no, pid, &P) : -1;
    if (np >= 0)
        d->ncl = group_places(d, P, np);
    int ok = np >= 0 && d->ncl >= 0 && order_by_group(d, no, pid, P) == 0;
    free(pid);
    free(P);
    if (!ok) {
        d->ncl = 0;
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    symbols_layout(d);
    int *rk = malloc((size_t)(d->ncl ? d->ncl : 1) * sizeof *rk);
    if (!rk)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int c = 0; c < d->ncl; c++)
        rk[c] = c;
    qsort_r(rk, (size_t)d->ncl, sizeof *rk, rank_cmp, d);
    for (int c = 0; c < d->ncl; c++)
        d->cl[rk[c]].rank = c;
    free(rk);
    evm__place_labels_add(d);
    return EVM_OK;
}

/* auto: markers while the places fit, else hexagons. The places are
 * counted the cheap way first (the table's size), then by symbols. */
static int places_fit(const evm_draw *d)
{
    double area = 0;
    for (int c = 0; c < d->ncl; c++)
        area += M_PI * d->cl[c].r * d->cl[c].r;
    return d->ncl <= AUTO_PLACES && area <= AUTO_COVER * d->W * d->H;
}

evm_status evm__events_layout(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    d->from_table = is_table_map(m);
    d->ndrawn = d->noff = d->noff_approx = 0;
    d->nlabels = d->nhidden = 0;
    if (evm__events_alloc(d, m->nevents) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    project_all(d);
    if (evm__gather_countries(d) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    d->style = m->style;
    if (d->style_opt > 0 && d->style_opt <= EVM_STYLE_HEATMAP)
        d->style = (evm_style)d->style_opt;
    d->style_auto = d->style == EVM_STYLE_AUTO;
    d->measure = d->measure_opt > 0 && d->measure_opt <= EVM_MEASURE_FATALITIES
                     ? (evm_measure)d->measure_opt : m->measure;
    if (d->style_auto && d->ndrawn > AUTO_EVENTS)
        d->style = EVM_STYLE_HEXBIN;
    if (d->style != EVM_STYLE_AUTO && d->style != EVM_STYLE_MARKERS)
        return evm__events_layout_dense(d, err);
    d->size_fat = 0;
    d->order = malloc((size_t)(d->ndrawn ? d->ndrawn : 1) * sizeof *d->order);
    if (!d->order)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    int no = 0;
    for (int i = 0; i < m->nevents; i++)
        if (d->ev_ok[i] == 2) {
            d->order[no++] = i;
            d->size_fat |= m->events[i].fatalities > 0;
        }
    if (d->measure != EVM_MEASURE_AUTO)
        d->size_fat = d->measure == EVM_MEASURE_FATALITIES;
    qsort_r(d->order, (size_t)no, sizeof *d->order, ev_cmp, (void *)m);
    evm_status st = markers_layout(d, no, err);
    if (st != EVM_OK || !d->style_auto)
        goto done;
    if (places_fit(d)) {
        d->style = EVM_STYLE_MARKERS;
        goto done;
    }
    /* too many places: start again as hexagons, with a fresh labeler
     * that holds no marker obstacles */
    evm_rect fr = {0, 0, d->W, d->H};
    evm__labeler_free(d->lb);
    d->lb = evm__labeler_new(fr);
    if (!d->lb)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    free(d->cl);
    d->cl = NULL;
    d->ncl = 0;
    d->nlabels = 0;
    memset(d->occ, 0, (size_t)d->ow * d->oh);
    d->style = EVM_STYLE_HEXBIN;
    return evm__events_layout_dense(d, err);
done:
    if (d->style == EVM_STYLE_AUTO)
        d->style = EVM_STYLE_MARKERS;
    return st;
}

/* ---------------------------------------------------------------- draw */

/* A place's symbol: a disc in its dominant type's colour, a ring of the
 * other types' shares round it when there are several, the count in the
 * middle. Approximate places are hollow. */
/* Layouts of the numbers in symbols, one per font size (sizes go in
 * quarter pixels): a new Pango layout per symbol cost a third of a
 * millisecond, most of drawing thousands of places. */
typedef struct num_cache {
    double px[16];
    PangoLayout *l[16];
    int n;
} num_cache;

static PangoLayout *num_layout(evm_draw *d, num_cache *nc, double px,
                               const char *txt)
{
    px = round(px * 4) / 4;
    for (int i = 0; i < nc->n; i++)
        if (nc->px[i] == px) {
            pango_layout_set_text(nc->l[i], txt, -1);
            return nc->l[i];
        }
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", 1, px, txt, 0, 0);
    if (nc->n < 16) {
        nc->px[nc->n] = px;
        nc->l[nc->n++] = l;
    }
    return l;
}

static void num_release(num_cache *nc, PangoLayout *l)
{
    for (int i = 0; i < nc->n; i++)
        if (nc->l[i] == l)
            return;
    g_object_unref(l);
}

static void draw_aggregate(evm_draw *d, const evm_cluster *c, num_cache *nc)
{
    cairo_t *cr = d->cr;
    const evm_theme_def *th = d->th;
    double s = d->s, R = c->r;
    unsigned col = th->cat_color[c->cat];
    cairo_new_path(cr);
    cairo_arc(cr, c->x, c->y, R + EVM_MARKER_HALO * s, 0, 2 * M_PI);
    evm__set_rgba(cr, th->marker_halo, 0.9);
    cairo_fill(cr);
    if (c->approx) {
        cairo_arc(cr, c->x, c->y, R - 1.2 * s, 0, 2 * M_PI);
        evm__set_rgba(cr, th->halo, 0.55);
        cairo_fill_preserve(cr);
        evm__set_rgb(cr, col);
        cairo_set_line_width(cr, 2.4 * s);
        double dash[2] = {4 * s, 2.5 * s};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    } else if (c->ncat > 1 && c->n > 1) {
        /* the shares of the types, clockwise from the top */
        double a = -M_PI / 2;
        for (int k = 0; k < EVM_CAT_COUNT; k++) {
            if (!c->ncats[k])
                continue;
            double b = a + 2 * M_PI * c->ncats[k] / c->n;
            cairo_new_path(cr);
            cairo_arc(cr, c->x, c->y, R, a, b);
            cairo_line_to(cr, c->x, c->y);
            cairo_close_path(cr);
            evm__set_rgba(cr, th->cat_color[k], 0.9);
            cairo_fill(cr);
            a = b;
        }
        cairo_arc(cr, c->x, c->y, R * 0.68, 0, 2 * M_PI);
        evm__set_rgba(cr, col, 0.92);
        cairo_fill(cr);
    } else {
        cairo_arc(cr, c->x, c->y, R, 0, 2 * M_PI);
        evm__set_rgba(cr, col, 0.88);
        cairo_fill(cr);
    }
    /* in greys the colour says no type: the dominant type's shape, small,
     * on the symbol's upper right */
    if (th->greyscale && !c->approx) {
        const evm_event_type *t = NULL;
        for (int k = 0; k < c->n && !t; k++) {
            const evm_event *e = &d->m->events[d->order[c->first + k]];
            if ((int)e->type->cat == c->cat)
                t = e->type;
        }
        if (t)
            evm__draw_marker_ex(cr, th, t, c->x + R * 0.8, c->y - R * 0.8,
                                fmax(8 * s, R * 0.7), 0, s);
    }
    if (c->n < 2)
        return;
    char num[24];
    snprintf(num, sizeof num, "%d", c->n);
    double px = fmin(12 * s, fmax(8.5 * s, R * 0.8));
    PangoLayout *l = num_layout(d, nc, px, num);
    double w, h;
    evm__text_size(l, &w, &h);
    if (w + 3 * s <= 2 * R * 0.9 && !c->approx)
        evm__text_draw(cr, l, c->x - w / 2, c->y - h / 2, 0xffffff,
                       th->cat_color[c->cat], 1.2 * s);
    else if (w + 3 * s <= 2 * R)
        evm__text_draw(cr, l, c->x - w / 2, c->y - h / 2, th->label_text,
                       th->halo, 2 * s);
    else /* beside it, upper right */
        evm__text_draw(cr, l, c->x + R * 0.7, c->y - R * 0.7 - h,
                       th->label_text, th->halo, 2 * s);
    num_release(nc, l);
}

static void draw_ring(evm_draw *d, const evm_cluster *c)
{
    cairo_t *cr = d->cr;
    double s = d->s;
    /* spokes to the true point, then the markers, then the point */
    cairo_new_path(cr);
    for (int k = c->nplaces > 1; k < c->n; k++) {
        int i = d->order[c->first + k];
        cairo_move_to(cr, c->tx, c->ty);
        cairo_line_to(cr, d->mk[i].x, d->mk[i].y);
    }
    evm__set_rgb(cr, d->th->leader);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_stroke(cr);
    for (int k = c->n - 1; k >= 0; k--) {
        int i = d->order[c->first + k];
        const evm_event *e = &d->m->events[i];
        evm__draw_marker_ex(cr, d->th, e->type, d->mk[i].x, d->mk[i].y,
                            d->msize[i], e->claimed, s);
    }
    if (c->nplaces > 1)
        return; /* the centre marker marks the point */
    cairo_new_path(cr);
    cairo_arc(cr, c->tx, c->ty, 2.6 * s, 0, 2 * M_PI);
    evm__set_rgb(cr, d->th->marker_halo);
    cairo_fill(cr);
    cairo_arc(cr, c->tx, c->ty, 1.8 * s, 0, 2 * M_PI);
    evm__set_rgb(cr, d->th->label_text);
    cairo_fill(cr);
}

static int size_desc(const void *a, const void *b, void *ud)
{
    const evm_draw *d = ud;
    double p = d->cl[*(const int *)a].r, q = d->cl[*(const int *)b].r;
    if (p != q)
        return p > q ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

evm_status evm__events_draw(evm_draw *d, evm_error *err)
{
    if (d->style != EVM_STYLE_MARKERS) {
        evm__events_draw_dense(d);
        return EVM_OK;
    }
    /* large symbols first, so that no small one hides under a big one */
    int *o = malloc((size_t)(d->ncl ? d->ncl : 1) * sizeof *o);
    if (!o)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int c = 0; c < d->ncl; c++)
        o[c] = c;
    qsort_r(o, (size_t)d->ncl, sizeof *o, size_desc, d);
    num_cache nc = {.n = 0};
    for (int k = 0; k < d->ncl; k++) {
        const evm_cluster *c = &d->cl[o[k]];
        const evm_event *e = &d->m->events[d->order[c->first]];
        if (c->ring)
            draw_ring(d, c);
        else if (c->n == 1 && !c->approx)
            evm__draw_marker_ex(d->cr, d->th, e->type, c->x, c->y, 2 * c->r,
                                e->claimed, d->s);
        else
            draw_aggregate(d, c, &nc);
    }
    for (int i = 0; i < nc.n; i++)
        g_object_unref(nc.l[i]);
    free(o);
    return EVM_OK;
}
