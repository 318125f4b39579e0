/* Geodesics on the WGS 84 ellipsoid (PROJ's geodesic.h, Karney's
 * algorithms) and splitting lon/lat lines at the antimeridian. No PROJ
 * context is involved: these are plain functions, safe in any thread. */
#include <math.h>
#include <stddef.h>

#include <geodesic.h>

#include "geo/geo.h"

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

/* Contract in geo.h. */
void evm_geo_great_circle(double lon1, double lat1, double lon2, double lat2,
                          int n, double *lon, double *lat)
{
    if (n < 1)
        return;
    lon[0] = lon1;
    lat[0] = lat1;
    if (n == 1)
        return;
    struct geod_geodesic g;
    struct geod_geodesicline l;
    geod_init(&g, WGS84_A, WGS84_F);
    geod_inverseline(&l, &g, lat1, lon1, lat2, lon2,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN |
                         GEOD_LONG_UNROLL);
    double s13 = l.s13;
    for (int i = 1; i < n - 1; i++) {
        double s = s13 * i / (n - 1);
        geod_genposition(&l, GEOD_LONG_UNROLL, s, &lat[i], &lon[i], NULL,
                         NULL, NULL, NULL, NULL, NULL);
    }
    /* The end: exactly lat2, and lon2 shifted by whole turns so that the
     * longitudes stay continuous with the unrolled path. */
    double ulat, ulon;
    geod_genposition(&l, GEOD_LONG_UNROLL, s13, &ulat, &ulon, NULL, NULL,
                     NULL, NULL, NULL, NULL);
    double k = round((ulon - lon2) / 360.0);
    lon[n - 1] = lon2 + k * 360.0;
    lat[n - 1] = lat2;
}

/* Contract in geo.h. */
double evm_geo_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    if (!isfinite(lon1) || !isfinite(lat1) || !isfinite(lon2) ||
        !isfinite(lat2) || fabs(lat1) > 90 || fabs(lat2) > 90)
        return NAN;
    struct geod_geodesic g;
    double s12 = 0;
    geod_init(&g, WGS84_A, WGS84_F);
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

/* ------------------------------------------------------ antimeridian */

/* World index of a point strictly inside a world: world w spans
 * (-180 + 360 w, 180 + 360 w). */
static double world_of(double v)
{
    return floor((v + 180.0) / 360.0);
}

static void emit(double *olon, double *olat, int *np, double lon, double lat)
{
    olon[*np] = lon;
    olat[*np] = lat;
    (*np)++;
}

/* Contract in geo.h. */
int evm_geo_split_antimeridian(const double *lon, const double *lat, int n,
                               double *olon, double *olat, int *starts,
                               int *npts)
{
    int np = 0, nparts = 0;
    if (npts)
        *npts = 0;
    if (n < 1)
        return 0;
    /* unrolled longitude of the current and previous input point */
    double prev = lon[0];
    double W = 0;       /* world of the part being written */
    int have_w = 0;
    if (n == 1) {
        double w = world_of(prev);
        double v = prev - 360 * w;
        starts[nparts++] = 0;
        emit(olon, olat, &np, v, lat[0]);
        if (npts)
            *npts = np;
        return nparts;
    }
    /* The world of the first part: that of the first segment that is not
     * a point on a boundary. A segment crossing a boundary starts in the
     * world of its first point (which then lies strictly inside one);
     * any other segment of non-zero length lies in its midpoint's world. */
    for (int i = 1; i < n && !have_w; i++) {
        double a = lon[0] + remainder(lon[i - 1] - lon[0], 360.0);
        double b = a + remainder(lon[i] - a, 360.0);
        if (a == b)
            continue;
        double lo = fmin(a, b), hi = fmax(a, b);
        double bnd = 180.0 + 360.0 * world_of(lo);
        W = (lo < bnd && bnd < hi) ? world_of(a) : world_of((a + b) / 2);
        have_w = 1;
    }
    if (!have_w)
        W = world_of(lon[0] - 1e-9);
    starts[nparts++] = 0;
    emit(olon, olat, &np, prev - 360 * W, lat[0]);
    for (int i = 1; i < n; i++) {
        double a = prev, b = a + remainder(lon[i] - a, 360.0);
        double lo = fmin(a, b), hi = fmax(a, b);
        double bnd = 180.0 + 360.0 * world_of(lo);
        if (lo < bnd && bnd < hi) {
            /* crosses the antimeridian inside the segment */
            double t = (bnd - a) / (b - a);
            double c = lat[i - 1] + t * (lat[i] - lat[i - 1]);
            double w2 = world_of(b);
            emit(olon, olat, &np, bnd - 360 * W, c);
            starts[nparts++] = np;
            emit(olon, olat, &np, bnd - 360 * w2, c);
            W = w2;
        } else if (a != b) {
            double w = world_of((a + b) / 2);
            if (w != W) {
                /* the segment starts on the boundary, on the other side of
                 * the part so far: restart there */
                starts[nparts++] = np;
                emit(olon, olat, &np, a - 360 * w, lat[i - 1]);
                W = w;
            }
        }
        emit(olon, olat, &np, b - 360 * W, lat[i]);
        prev = b;
    }
    if (npts)
        *npts = np;
    return nparts;
}
