/* What the frame fits (frame.c fits it). The bulk of the events, not every one: events
 * located only to a region or a country (UCDP where_prec 4-6, GDELT
 * country centroids) sit far from what happened and are left out while
 * any exactly located event remains; and a few outliers (a stray
 * coordinate, one event abroad) do not stretch a country's map into a
 * continent's. What is left out of the frame is not drawn and is
 * reported. A named place's frame is its main body: France without its
 * overseas departments, the United States without Alaska and Hawaii.
 * All of it is linear in the events (no sorting of a million values). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

#define HBINS 4096
#define GRID 512

/* The keep-range of one axis: the 2nd to 98th percentile (from a
 * histogram of HBINS bins: linear, where sorting a million values took
 * a fifth of a second), widened by half its width, at least 1 degree,
 * on each side. */
static void axis_range(const double *v, int n, double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < n; i++) {
        mn = fmin(mn, v[i]);
        mx = fmax(mx, v[i]);
    }
    int *h = calloc(HBINS, sizeof *h);
    if (!h || !(mx > mn)) {
        free(h);
        *lo = mn - 1;
        *hi = mx + 1;
        return;
    }
    double w = (mx - mn) / HBINS;
    for (int i = 0; i < n; i++) {
        int k = (int)((v[i] - mn) / w);
        h[k < HBINS ? k : HBINS - 1]++;
    }
    /* 2 %, and at least one point: with 20-50 events one stray one */
    int lim = n / 50 > 0 ? n / 50 : 1;
    int c = 0, k = 0;
    while (k < HBINS - 1 && c + h[k] <= lim)
        c += h[k++];
    double a = mn + k * w;
    c = 0;
    k = HBINS - 1;
    while (k > 0 && c + h[k] <= lim)
        c += h[k--];
    double b = mn + (k + 1) * w;
    free(h);
    double pad = fmax(0.5 * (b - a), 1.0);
    *lo = a - pad;
    *hi = b + pad;
}

/* Thins many points to one per cell of a GRID x GRID grid over their box
 * (the first in each): the frame of a million events is that of their
 * occupied cells, within a 512th of the frame. */
static int thin(double *lon, double *lat, int k)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < k; i++) {
        x0 = fmin(x0, lon[i]);
        x1 = fmax(x1, lon[i]);
        y0 = fmin(y0, lat[i]);
        y1 = fmax(y1, lat[i]);
    }
    unsigned char *seen = calloc((size_t)GRID * GRID / 8, 1);
    if (!seen)
        return k;
    double cx = (x1 - x0) / GRID + 1e-12, cy = (y1 - y0) / GRID + 1e-12;
    int j = 0;
    for (int i = 0; i < k; i++) {
        int gx = (int)((lon[i] - x0) / cx), gy = (int)((lat[i] - y0) / cy);
        gx = gx < GRID ? gx : GRID - 1;
        gy = gy < GRID ? gy : GRID - 1;
        size_t bit = (size_t)gy * GRID + gx;
        if (seen[bit >> 3] & (1u << (bit & 7)))
            continue;
        seen[bit >> 3] |= (unsigned char)(1u << (bit & 7));
        lon[j] = lon[i];
        lat[j++] = lat[i];
    }
    free(seen);
    return j;
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
    if (k > 4 * GRID && (k = thin(lon, lat, k)) < n / 2) {
        /* give the thinned-out rest back: a million events are 16 MB */
        double *a = realloc(lon, (size_t)(k ? k : 1) * sizeof *lon);
        if (a)
            lon = a;
        double *b = realloc(lat, (size_t)(k ? k : 1) * sizeof *lat);
        if (b)
            lat = b;
    }
    *lon_out = lon;
    *lat_out = lat;
    return k;
}

/* Contract in render_int.h. */
int evm__frame_points(evm_draw *d, const double **lon, const double **lat)
{
    if (!d->fit_lon) {
        d->nfit = evm__frame_events(d->m, &d->fit_lon, &d->fit_lat);
        if (d->nfit < 0) {
            d->nfit = 0;
            d->fit_lon = d->fit_lat = NULL;
        }
    }
    *lon = d->fit_lon;
    *lat = d->fit_lat;
    return d->nfit;
}

/* Contract in render_int.h. */
int evm__cellset_seen(evm_cellset *s, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return 1;
    uint64_t key = ((uint64_t)(int64_t)floor((lon + 360) * 100) << 32) ^
                   (uint64_t)(int64_t)floor((lat + 180) * 100);
    key = key * 0x9E3779B97F4A7C15ull + 1; /* never 0: 0 marks empty */
    if (s->n * 2 >= s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        uint64_t *k = calloc(nc, sizeof *k);
        if (!k)
            return 0; /* no memory: look again, as without the set */
        for (size_t i = 0; i < s->cap; i++)
            if (s->k[i]) {
                size_t h = (size_t)(s->k[i] >> 17) & (nc - 1);
                while (k[h])
                    h = (h + 1) & (nc - 1);
                k[h] = s->k[i];
            }
        free(s->k);
        s->k = k;
        s->cap = nc;
    }
    size_t h = (size_t)(key >> 17) & (s->cap - 1);
    while (s->k[h]) {
        if (s->k[h] == key)
            return 1;
        h = (h + 1) & (s->cap - 1);
    }
    s->k[h] = key;
    s->n++;
    return 0;
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
