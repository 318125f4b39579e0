/* Lines and polygons in lon/lat onto the current cairo path, projected,
 * cut at the projection's seam: the meridian opposite its centre, where a
 * world map's left and right edges meet. Natural Earth is cut at the
 * antimeridian, which is the seam only of maps centred on Greenwich; a
 * map centred elsewhere (an Equal Earth map of Latin America to
 * Australia is centred near 40 E) would join a polygon's vertices on
 * either side of its seam straight across the whole map. PROJ projects
 * points, not geometries, and GDAL's cutter (OGR's wrapdateline) would
 * load GDAL for every world map: a ring is cut here by clipping it, in
 * longitudes unwrapped around the map's centre, to the one turn of the
 * globe the map shows (Sutherland-Hodgman against two meridians). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render_int.h"

/* A point just inside the seam, so that PROJ puts it on the right edge:
 * exactly +-180 from the centre may come out on either side. */
#define EDGE (180.0 - 1e-7)

/* Projects n points in place and adds them to the path. */
static void emit(evm_draw *d, double *x, double *y, uint32_t n, int close)
{
    evm__project_n(d, x, y, (int)n);
    int pen = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            pen = 0;
            continue;
        }
        if (!pen)
            cairo_move_to(d->cr, x[i], y[i]);
        else
            cairo_line_to(d->cr, x[i], y[i]);
        pen = 1;
    }
    if (close && pen)
        cairo_close_path(d->cr);
}

/* An edge along which a polygon was cut, not a coastline or border:
 * on the antimeridian (Natural Earth's cut) or on this map's seam (ours). */
static int cut_point(const evm_draw *d, double lon)
{
    double r = evm__wrap180(lon - d->lon0);
    return fabs(fabs(lon) - 180.0) < 1e-6 || fabs(fabs(r) - EDGE) < 1e-6;
}

/* A ring as an outline (d->outline): open runs between its cut edges. */
static int emit_outline(evm_draw *d, const double *x, const double *y,
                        uint32_t n)
{
    uint32_t s = n;
    for (uint32_t i = 0; i < n && s == n; i++)
        if (cut_point(d, x[i]) && cut_point(d, x[(i + 1) % n]))
            s = i;
    double *bx = malloc(sizeof *bx * ((size_t)n + 1));
    double *by = malloc(sizeof *by * ((size_t)n + 1));
    if (!bx || !by) {
        free(bx);
        free(by);
        return -1;
    }
    if (s == n) {
        memcpy(bx, x, sizeof *bx * n);
        memcpy(by, y, sizeof *by * n);
        emit(d, bx, by, n, 1);
    } else {
        /* from the end of a cut edge round to its start */
        uint32_t k = 0;
        for (uint32_t j = 1; j <= n; j++) {
            uint32_t i = (s + j) % n, nx = (i + 1) % n;
            bx[k] = x[i];
            by[k++] = y[i];
            if (j == n || (cut_point(d, x[i]) && cut_point(d, x[nx]))) {
                if (k >= 2)
                    emit(d, bx, by, k, 0);
                k = 0;
            }
        }
    }
    free(bx);
    free(by);
    return 0;
}

/* Keeps the part of ring (x, y; n points) on one side of the meridian
 * x = at (keep_below: x <= at), into (ox, oy); returns the count. */
static uint32_t clip(const double *x, const double *y, uint32_t n, double at,
                     int keep_below, double *ox, double *oy)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = (i + 1) % n;
        int in_i = keep_below ? x[i] <= at : x[i] >= at;
        int in_j = keep_below ? x[j] <= at : x[j] >= at;
        if (in_i) {
            ox[m] = x[i];
            oy[m++] = y[i];
        }
        if (in_i != in_j) {
            double t = (at - x[i]) / (x[j] - x[i]);
            ox[m] = at;
            oy[m++] = y[i] + t * (y[j] - y[i]);
        }
    }
    return m;
}

/* Contract in render_int.h. */
int evm__path_add(evm_draw *d, double *lon, double *lat, uint32_t n,
                  int close)
{
    if (n < (close ? 3u : 2u))
        return 0;
    double c = d->lon0;
    int crosses = 0;
    /* longitudes and the centre are within +-180 (a user layer's a little
     * beyond at worst): one add or subtract wraps their difference */
    double prev = lon[0] - c;
    prev = prev > 180 ? prev - 360 : prev <= -180 ? prev + 360 : prev;
    double first = prev;
    for (uint32_t i = 1; i <= n && !crosses; i++) {
        double u;
        if (i == n) {
            if (!close)
                break;
            u = first;
        } else {
            u = lon[i] - c;
            u = u > 180 ? u - 360 : u <= -180 ? u + 360 : u;
        }
        crosses = fabs(u - prev) > 180;
        prev = u;
    }
    if (!crosses) {
        if (close && d->outline)
            return emit_outline(d, lon, lat, n);
        emit(d, lon, lat, n, close);
        return 0;
    }
    /* longitudes relative to the centre, unwrapped along the part: no
     * step between neighbours is more than half a turn */
    /* each clip at most doubles a ring; the pole adds three points */
    size_t cap = ((size_t)n + 3) * 4;
    double *v = malloc(cap * sizeof *v), *w = malloc(cap * sizeof *w);
    double *cx = malloc(cap * sizeof *cx), *cy = malloc(cap * sizeof *cy);
    double *px = malloc(cap * sizeof *px), *py = malloc(cap * sizeof *py);
    if (!v || !w || !cx || !cy || !px || !py) {
        free(v); free(w); free(cx); free(cy); free(px); free(py);
        return -1;
    }
    v[0] = evm__wrap180(lon[0] - c);
    w[0] = lat[0];
    for (uint32_t i = 1; i < n; i++) {
        v[i] = v[i - 1] + evm__wrap180(lon[i] - lon[i - 1]);
        w[i] = lat[i];
    }
    uint32_t m = n;
    int rc = 0;
    if (!close) {
        /* a line: a new piece wherever it passes a seam */
        uint32_t k = 0;
        double turn = floor((v[0] + 180) / 360);
        for (uint32_t i = 0; i < n; i++) {
            double t2 = floor((v[i] + 180) / 360);
            if (i > 0 && t2 != turn) {
                double at = t2 > turn ? 180 + 360 * turn : -180 + 360 * turn;
                double f = (at - v[i - 1]) / (v[i] - v[i - 1]);
                double la = w[i - 1] + f * (w[i] - w[i - 1]);
                px[k] = c + (t2 > turn ? EDGE : -EDGE);
                py[k++] = la;
                emit(d, px, py, k, 0);
                k = 0;
                px[k] = c + (t2 > turn ? -EDGE : EDGE);
                py[k++] = la;
                turn = t2;
            }
            px[k] = c + v[i] - 360 * turn;
            py[k++] = w[i];
        }
        emit(d, px, py, k, 0);
    } else {
        /* a ring that goes once around a pole (Antarctica) closes
         * through the pole */
        double total = v[n - 1] + evm__wrap180(lon[0] - lon[n - 1]) - v[0];
        if (fabs(total) > 180) {
            double sum = 0;
            for (uint32_t i = 0; i < n; i++)
                sum += w[i];
            double pole = sum >= 0 ? 90 : -90;
            v[m] = v[0] + total;
            w[m++] = w[0];
            v[m] = v[0] + total;
            w[m++] = pole;
            v[m] = v[0];
            w[m++] = pole;
        }
        double lo = v[0], hi = v[0];
        for (uint32_t i = 1; i < m; i++) {
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
        }
        /* each turn of the globe the unwrapped ring reaches, moved onto
         * the one the map shows and clipped to it */
        for (double t = floor((lo + 180) / 360); t * 360 - 180 < hi; t++) {
            for (uint32_t i = 0; i < m; i++)
                cx[i] = v[i] - 360 * t;
            uint32_t k = clip(cx, w, m, EDGE, 1, px, py);
            k = clip(px, py, k, -EDGE, 0, cx, cy);
            if (k < 3)
                continue;
            for (uint32_t i = 0; i < k; i++)
                cx[i] += c;
            if (d->outline) {
                if ((rc = emit_outline(d, cx, cy, k)) < 0)
                    break;
            } else {
                emit(d, cx, cy, k, 1);
            }
        }
    }
    free(v); free(w); free(cx); free(cy); free(px); free(py);
    return rc;
}
