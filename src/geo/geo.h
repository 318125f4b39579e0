/* PROJ wrapper: projection choice, transforms, extent fitting, geodesics.
 * One evm_geo per thread (it owns a PJ_CONTEXT). */
#ifndef EVM_GEO_H
#define EVM_GEO_H

#include "evmap.h"

typedef struct evm_geo evm_geo;

/* A projected map frame: lon/lat -> projected metres -> pixels. */
typedef struct evm_frame {
    double x0, y0, x1, y1;  /* projected extent shown (metres) */
    int width, height;      /* output size in pixels (points) */
    double scale;           /* pixels per projected metre */
    char proj[256];         /* the PROJ definition used */
} evm_frame;

/* Creates a transformer from WGS 84 lon/lat to the projection given by
 * `projection`: NULL/"auto" picks one centred on bbox (lon_min, lat_min,
 * lon_max, lat_max): LAEA for a region, LCC for wide east-west extents,
 * Equal Earth for the world. Otherwise "EPSG:nnnn" or any PROJ string.
 * Returns NULL + err (EVM_E_INPUT for a bad projection string). */
evm_geo *evm_geo_new(const char *projection, const double bbox[4],
                     evm_error *err);
void evm_geo_free(evm_geo *g);
const char *evm_geo_definition(const evm_geo *g);

/* Projects n points in place: in lon/lat degrees, out x/y metres.
 * Points that fail come back as HUGE_VAL; returns the number that failed. */
int evm_geo_fwd(evm_geo *g, double *x, double *y, int n);
int evm_geo_inv(evm_geo *g, double *x, double *y, int n);

/* Fits the frame to bbox (lon/lat) with `margin` (fraction of size, e.g.
 * 0.08) at the aspect width:height; the frame's projected extent grows in
 * one direction to keep the aspect. Samples the bbox edges densely so
 * curved projections are covered. */
int evm_geo_fit(evm_geo *g, const double bbox[4], int width, int height,
                double margin, evm_frame *fr, evm_error *err);

/* lon/lat -> pixel (y down) through the frame; returns 0, or -1 when the
 * point cannot be projected. */
int evm_geo_to_px(evm_geo *g, const evm_frame *fr, double lon, double lat,
                  double *px, double *py);

/* Great-circle path from a to b: writes n points (n >= 2) including both
 * ends into lon/lat (PROJ geodesic on the WGS 84 ellipsoid). */
void evm_geo_great_circle(double lon1, double lat1, double lon2, double lat2,
                          int n, double *lon, double *lat);
/* Geodesic distance in metres on WGS 84. */
double evm_geo_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Length in metres on the ground of `px` pixels at the frame's centre,
 * measured along the horizontal: used for a scale bar true at the centre. */
double evm_geo_ground_m_per_px(evm_geo *g, const evm_frame *fr);

#endif
