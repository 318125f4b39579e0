/* What the frame fits. The bulk of the events, not every one: events
 * located only to a region or a country (UCDP where_prec 4-6, GDELT
 * country centroids) sit far from what happened and are left out while
 * any exactly located event remains; and a few outliers (a stray
 * coordinate, one event abroad) do not stretch a country's map into a
 * continent's. What is left out of the frame is not drawn and is
 * reported. A named place's frame is its main body: France without its
 * overseas departments, the United States without Alaska and Hawaii. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double quantile(const double *sorted, int n, double q)
{
    double at = q * (n - 1);
    int i = (int)at;
    if (i >= n - 1)
        return sorted[n - 1];
    return sorted[i] + (sorted[i + 1] - sorted[i]) * (at - i);
}

/* The keep-range of one axis: the 2nd to 98th percentile, widened by
 * half its width (at least 1 degree) on each side. */
static void axis_range(const double *v, int n, double *lo, double *hi)
{
    double *t = malloc((size_t)n * sizeof *t);
    if (!t) {
        *lo = -INFINITY;
        *hi = INFINITY;
        return;
    }
    memcpy(t, v, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double a = quantile(t, n, 0.02), b = quantile(t, n, 0.98);
    double w = fmax(0.5 * (b - a), 1.0);
    *lo = a - w;
    *hi = b + w;
    free(t);
}

/* Contract in render_int.h. */
int evm__frame_events(const evm_map *m, double **lon_out, double **lat_out)
{
    int n = 0, exact = 0;
    for (int i = 0; i < m->nevents; i++)
        if (m->events[i].where.has_coord) {
            n++;
            exact += m->events[i].where.precision < EVM_PREC_ADMIN1;
        }
    double *lon = malloc((size_t)(n ? n : 1) * sizeof *lon);
    double *lat = malloc((size_t)(n ? n : 1) * sizeof *lat);
    if (!lon || !lat) {
        free(lon);
        free(lat);
        return -1;
    }
    int k = 0;
    for (int i = 0; i < m->nevents; i++) {
        const evm_placeref *p = &m->events[i].where;
        if (!p->has_coord || !isfinite(p->lon) || !isfinite(p->lat))
            continue;
        if (exact && p->precision >= EVM_PREC_ADMIN1)
            continue;
        lon[k] = p->lon;
        lat[k++] = p->lat;
    }
    /* a few outliers: only with enough events to tell, and only when
     * what falls outside is a few (at most 3 %) */
    if (k >= 20) {
        double a0, a1, b0, b1;
        axis_range(lon, k, &a0, &a1);
        axis_range(lat, k, &b0, &b1);
        int out = 0;
        for (int i = 0; i < k; i++)
            out += lon[i] < a0 || lon[i] > a1 || lat[i] < b0 || lat[i] > b1;
        if (out > 0 && out <= k * 3 / 100 + 1 && a1 - a0 < 300) {
            int j = 0;
            for (int i = 0; i < k; i++)
                if (!(lon[i] < a0 || lon[i] > a1 || lat[i] < b0 ||
                      lat[i] > b1)) {
                    lon[j] = lon[i];
                    lat[j++] = lat[i];
                }
            k = j;
        }
    }
    *lon_out = lon;
    *lat_out = lat;
    return k;
}

static void part_bbox(const float *ll, uint32_t n, double b[4])
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (uint32_t i = 0; i < n; i++) {
        b[0] = fmin(b[0], ll[2 * i]);
        b[2] = fmax(b[2], ll[2 * i]);
        b[1] = fmin(b[1], ll[2 * i + 1]);
        b[3] = fmax(b[3], ll[2 * i + 1]);
    }
}

static double part_area(const float *ll, uint32_t n)
{
    double a = 0;
    for (uint32_t i = 0, j = n - 1; i < n; j = i++)
        a += (double)ll[2 * j] * ll[2 * i + 1] - (double)ll[2 * i] * ll[2 * j + 1];
    return fabs(a) / 2;
}

/* Contract in render_int.h. */
void evm__frame_main_bbox(const evm_bm_feature *f, double bb[4])
{
    memcpy(bb, f->bbox, 4 * sizeof *bb);
    if (f->nparts < 2 || !f->part_len || !f->lonlat)
        return;
    /* the largest part (by area) */
    const float *ll = f->lonlat, *big = NULL;
    uint32_t bign = 0;
    double best = -1;
    for (uint32_t p = 0; p < f->nparts; p++) {
        uint32_t n = f->part_len[p];
        double a = n >= 3 ? part_area(ll, n) : 0;
        if (a > best) {
            best = a;
            big = ll;
            bign = n;
        }
        ll += 2 * (size_t)n;
    }
    if (!big || !bign)
        return;
    double b[4];
    part_bbox(big, bign, b);
    /* and every part near it (Corsica, Sicily; not Guiana, not Hawaii):
     * within a twelfth of the main body's size, repeated while it grows */
    for (int round = 0; round < 8; round++) {
        int grew = 0;
        double reach = 0.08 * fmax(b[2] - b[0], b[3] - b[1]);
        ll = f->lonlat;
        for (uint32_t p = 0; p < f->nparts; p++) {
            uint32_t n = f->part_len[p];
            double q[4];
            part_bbox(ll, n, q);
            ll += 2 * (size_t)n;
            if (q[0] >= b[0] && q[2] <= b[2] && q[1] >= b[1] && q[3] <= b[3])
                continue;
            double dx = fmax(0, fmax(b[0] - q[2], q[0] - b[2]));
            double dy = fmax(0, fmax(b[1] - q[3], q[1] - b[3]));
            if (hypot(dx, dy) > reach)
                continue;
            b[0] = fmin(b[0], q[0]);
            b[1] = fmin(b[1], q[1]);
            b[2] = fmax(b[2], q[2]);
            b[3] = fmax(b[3], q[3]);
            grew = 1;
        }
        if (!grew)
            break;
    }
    memcpy(bb, b, 4 * sizeof *bb);
}
