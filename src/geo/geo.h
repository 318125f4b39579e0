/* PROJ wrapper: projection choice, transforms, extent fitting, geodesics.
 * One evm_geo per thread (it owns a PJ_CONTEXT). */
#ifndef EVM_GEO_H
#define EVM_GEO_H

#include "evmap.h"

typedef struct evm_geo evm_geo;

/* A projected map frame: lon/lat -> projected metres -> pixels. */
typedef struct evm_frame {
    double x0, y0, x1, y1;  /* projected extent shown (metres; degrees for
                             * a geographic target CRS) */
    int width, height;      /* output size in pixels (points) */
    double scale;           /* pixels per projected unit */
} evm_frame;

/* How evm_geo_fit fits a frame. */
typedef struct evm_fit {
    int width, height;      /* the canvas, px */
    double margin[4];       /* px kept free at the left, top, right and
                             * bottom (a title, a footer); the inner box
                             * is at least 16 x 16 px */
    double shrink;          /* the tightest scale times this (0: 1), to
                             * leave room around the extent */
    const double *lon, *lat;/* n points that must be inside as well (the
                             * events); may be NULL when n is 0 */
    int n;
} evm_fit;

/* Creates a transformer from WGS 84 lon/lat to the projection given by
 * `projection`: NULL/"auto" picks one centred on bbox (lon_min, lat_min,
 * lon_max, lat_max; lon_min > lon_max means the box crosses the
 * antimeridian; bbox NULL means the whole world):
 *  - world-scale (lon span > 200 or lat span > 120): Equal Earth;
 *  - polar (|centre lat| > 70): polar Lambert azimuthal equal-area;
 *  - wide east-west (lon span > 1.6 x lat span and > 15 deg): Lambert
 *    conformal conic with standard parallels at 1/6 and 5/6 of the lat
 *    range (Equal Earth when those parallels lie on both sides of the
 *    equator, where a cone degenerates);
 *  - otherwise: Lambert azimuthal equal-area centred on the bbox.
 * Otherwise "EPSG:nnnn", "ESRI:nnnn", WKT or a PROJ string ("+proj=...",
 * " +type=crs" is implied). A geographic target (EPSG:4326) gives plate
 * carree in degrees. Geocentric CRSs are refused.
 * Returns a handle freed with evm_geo_free, or NULL + err (EVM_E_INPUT
 * `projection "EPSG:99999": crs not found` for a bad projection or bbox,
 * EVM_E_LIB / EVM_E_NOMEM otherwise). */
evm_geo *evm_geo_new(const char *projection, const double bbox[4],
                     evm_error *err);
/* The same projection on a PROJ context of its own, for another thread:
 * an evm_geo is used by one thread at a time. Returns NULL + err when
 * PROJ cannot copy it. */
evm_geo *evm_geo_clone(const evm_geo *g, evm_error *err);
/* Releases g and its PROJ context; accepts NULL. */
void evm_geo_free(evm_geo *g);
/* The definition in use: the auto choice ("+proj=laea +lat_0=43.25 ...",
 * deterministic, locale-independent) or the user's string as given.
 * Borrowed, valid until evm_geo_free. */
const char *evm_geo_definition(const evm_geo *g);
/* 1 if the target CRS is geographic (projected units are degrees). */
int evm_geo_is_geographic(const evm_geo *g);

/* Projects n points in place: in lon/lat degrees, out x/y metres.
 * Points that fail (outside the projection's domain, non-finite input)
 * come back as HUGE_VAL in both x and y; returns the number that failed. */
int evm_geo_fwd(evm_geo *g, double *x, double *y, int n);
/* The inverse: x/y metres in, lon/lat degrees out; same failure rule. */
int evm_geo_inv(evm_geo *g, double *x, double *y, int n);

/* Fits a frame: the edges of bbox (lon/lat; lon_min > lon_max crosses
 * the antimeridian), sampled at 33 points each so that curved projections
 * are covered, and how's points are projected, and their projected box is
 * scaled to fit the inner box (canvas less margins), times how->shrink,
 * and centred in it. The canvas keeps its aspect: the frame's projected
 * extent is the whole canvas. The one frame fitter of evmap: the renderer
 * fits every map with it. Returns 0, or -1 + err (EVM_E_INPUT when the
 * size, margins or bbox are out of range or nothing of them can be
 * projected; EVM_E_NOMEM). */
int evm_geo_fit(evm_geo *g, const double bbox[4], const evm_fit *how,
                evm_frame *fr, evm_error *err);

/* lon/lat -> pixel (y down) through the frame; returns 0, or -1 when the
 * point cannot be projected (px, py untouched). */
int evm_geo_to_px(evm_geo *g, const evm_frame *fr, double lon, double lat,
                  double *px, double *py);
/* pixel -> lon/lat; returns 0, or -1 when the pixel is off the earth. */
int evm_geo_from_px(evm_geo *g, const evm_frame *fr, double px, double py,
                    double *lon, double *lat);

/* Great-circle path from a to b: writes n points (n >= 2; n == 1 writes
 * only a) including both ends into lon/lat (PROJ geodesic on the WGS 84
 * ellipsoid). The first point is exactly (lon1, lat1) and the last has
 * latitude exactly lat2 and longitude lon2 + k*360: longitudes are
 * continuous along the path, so a path crossing the antimeridian runs past
 * +-180 (e.g. 170 .. 190). Split it with evm_geo_split_antimeridian for
 * GeoJSON; a projection wraps such longitudes by itself. */
void evm_geo_great_circle(double lon1, double lat1, double lon2, double lat2,
                          int n, double *lon, double *lat);
/* Geodesic distance in metres on WGS 84 (NaN for non-finite input). */
double evm_geo_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Length in metres on the ground of one pixel at the frame's centre,
 * measured along the horizontal: used for a scale bar true at the centre.
 * Returns 0 when it cannot be measured (centre off the earth). */
double evm_geo_ground_m_per_px(evm_geo *g, const evm_frame *fr);

/* Splits the lon/lat polyline (lon[i], lat[i]), i < n, at the antimeridian
 * for GeoJSON (RFC 7946 section 3.1.9). Longitudes may be continuous past
 * +-180 (as evm_geo_great_circle writes them) or wrapped; each segment is
 * taken the short way round (|delta lon| <= 180). Where a segment crosses
 * +-180 the crossing latitude is interpolated linearly, the current part
 * ends at that point at +180 (or -180) and the next part starts at the
 * same point on the other side. Every output longitude lies in
 * [-180, 180].
 * Output: all parts' points one after another in olon/olat (the caller
 * provides room for 3*n points), part k starting at index starts[k] and
 * ending before starts[k+1] (or the returned point count *npts); starts
 * needs room for n entries. Returns the number of parts (0 when n < 1). */
int evm_geo_split_antimeridian(const double *lon, const double *lat, int n,
                               double *olon, double *olat, int *starts,
                               int *npts);

#endif
