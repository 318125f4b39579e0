/* Dense event maps: more than EVM_DENSE_EVENTS events in the frame (a
 * whole event table: ACLED for a year, GDELT for a day). The ordinary
 * layout (events.c) clusters events pairwise and labels every cluster,
 * which is quadratic and unreadable at that count. Here events fall into
 * a pixel grid instead: each occupied cell draws one small marker of its
 * most important event (most fatalities, then first in the table), a
 * little larger where many events share the cell, and nothing gets a
 * label; the occupied cells keep reference names off the events. Linear
 * in the number of events; projection goes in batches. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

/* Grid cell and marker sizes in CSS px. */
#define CELL 7.0
#define DOT_MIN 6.0
#define DOT_MAX 12.0
#define BATCH 4096

/* Contract in render_int.h. */
evm_status evm__events_layout_dense(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    int n = m->nevents;
    double s = d->s;
    double cell = CELL * s;
    int gw = (int)(d->W / cell) + 1, gh = (int)(d->H / cell) + 1;
    size_t ncell = (size_t)gw * (size_t)gh;
    int *best = NULL, *count = NULL;
    double *bx = NULL, *by = NULL;
    /* the clusters come later, one per occupied cell */
    int ok = evm__events_alloc(d, n, 0) == 0;
    best = malloc(ncell * sizeof *best);
    count = evm__calloc(ncell, sizeof *count);
    bx = malloc(BATCH * sizeof *bx);
    by = malloc(BATCH * sizeof *by);
    evm_status st = EVM_OK;
    if (!ok || !best || !count || !bx || !by) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto out;
    }
    /* project in batches; every event's place and cell */
    for (int a = 0; a < n; a += BATCH) {
        int k = n - a < BATCH ? n - a : BATCH;
        for (int j = 0; j < k; j++) {
            const evm_event *e = &m->events[a + j];
            bx[j] = e->where.has_coord ? e->where.lon : NAN;
            by[j] = e->where.has_coord ? e->where.lat : NAN;
        }
        evm__project_n(d, bx, by, k);
        for (int j = 0; j < k; j++) {
            int i = a + j;
            const evm_event *e = &m->events[i];
            d->msize[i] = DOT_MIN * s;
            if (!isfinite(bx[j]) || bx[j] < 0 || by[j] < 0 || bx[j] > d->W ||
                by[j] > d->H)
                continue;
            d->ev[i].x = d->mk[i].x = bx[j];
            d->ev[i].y = d->mk[i].y = by[j];
            d->ev_ok[i] = 1;
            if (!evm__in_window(d, e->date))
                continue;
            d->ev_ok[i] = 2;
            size_t c = (size_t)(by[j] / cell) * (size_t)gw +
                       (size_t)(bx[j] / cell);
            if (!count[c]++ ||
                e->fatalities > m->events[best[c]].fatalities)
                best[c] = i;
        }
    }
    /* one marker per occupied cell, cell by cell */
    int ncl = 0;
    for (size_t c = 0; c < ncell; c++)
        ncl += count[c] > 0;
    if (!(d->cl = evm__calloc((size_t)(ncl ? ncl : 1), sizeof *d->cl))) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < ncell; c++) {
        if (!count[c])
            continue;
        int i = best[c];
        double size = (DOT_MIN + 2.0 * log10((double)count[c])) * s;
        if (size > DOT_MAX * s)
            size = DOT_MAX * s;
        d->msize[i] = size;
        evm_cluster *cl = &d->cl[d->ncl];
        cl->x = d->mk[i].x;
        cl->y = d->mk[i].y;
        cl->r = size / 2;
        cl->first = d->ncl;
        cl->n = 1;
        cl->label = -1;
        d->order[d->ncl++] = i;
    }
    /* the occupied cells, row by row in runs, are obstacles: country and
     * city names go only where they hide no event */
    double pad = DOT_MAX * s / 2;
    for (int gy = 0; gy < gh; gy++)
        for (int gx = 0; gx < gw; gx++) {
            if (!count[(size_t)gy * gw + gx])
                continue;
            int x1 = gx;
            while (x1 + 1 < gw && count[(size_t)gy * gw + x1 + 1])
                x1++;
            evm__labeler_add_obstacle(d->lb, (evm_rect){
                gx * cell - pad, gy * cell - pad, (x1 + 1) * cell + pad,
                (gy + 1) * cell + pad});
            gx = x1;
        }
out:
    free(best);
    free(count);
    free(bx);
    free(by);
    return st;
}
