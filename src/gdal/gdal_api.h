/* The boundary to GDAL/OGR. Everything that calls GDAL lives in src/gdal/
 * and is built into build/evmap-gdal.so, loaded with dlopen on first use
 * (src/core/gdal_loader.c), so that paths that read no GDAL format never
 * pay libgdal's start-up (about 27 ms). The module exports one symbol,
 * evm_gdal_module, a table of the functions below. No GDAL type appears
 * here: callers only see plain C data. */
#ifndef EVM_GDAL_API_H
#define EVM_GDAL_API_H

#include "evmap.h"

#define EVM_GDAL_ABI 2

/* Called once per point feature; return non-zero to stop. name, country
 * and kind may be NULL. */
typedef int (*evm_gdal_point_fn)(void *ud, const char *name, double lon,
                                 double lat, const char *country,
                                 const char *kind);

/* ---------------------------------------------------- vector layers */

typedef enum evm_vgeom {
    EVM_VGEOM_POINT = 1,   /* one part per point (multipoints: several) */
    EVM_VGEOM_LINE = 2,    /* one part per linestring */
    EVM_VGEOM_POLYGON = 3  /* one part per ring: each polygon's exterior
                            * ring, then its holes (hole[k] = 1) */
} evm_vgeom;

/* One feature, WGS 84 lon/lat degrees. Part k holds the points
 * [part[k], part[k + 1]) of lon/lat, so part has npart + 1 entries and
 * there are part[npart] points. Curves are linearised, Z/M dropped.
 * Everything is malloc'ed and owned by the layer. */
typedef struct evm_vfeat {
    evm_vgeom type;
    int npart;
    int *part;
    unsigned char *hole;  /* polygons: 1 for an interior ring; else NULL */
    double *lon, *lat;
    char *name;           /* first field name/NAME/Name, or NULL */
    char *label;          /* first field label/LABEL/Label, or NULL */
} evm_vfeat;

typedef struct evm_vlayer {
    int nfeat;
    evm_vfeat *feat;
    double bbox[4];       /* lon_min, lat_min, lon_max, lat_max of every
                           * point; all NaN when the layer is empty */
    long npoints;         /* total points, for callers' budgets */
} evm_vlayer;

/* A source may hold at most this many points in all (EVM_E_TOOBIG). */
#define EVM_VLAYER_MAX_POINTS 20000000L

typedef struct evm_gdal_api {
    int abi; /* EVM_GDAL_ABI */
    /* Reads every feature of a vector source (all layers) as points
     * (centroids for lines/polygons), reprojected to WGS 84 lon/lat.
     * The name is the first field called name/NAME/Name/label, country
     * the first of country/country_code/iso_a2/cc, kind the field kind.
     * CSV/TSV files without WKT take their points from columns named
     * lon/lng/long/longitude/x and lat/latitude/y. Features without a
     * geometry are skipped. Returns EVM_OK or an error naming path:
     * EVM_E_IO (cannot open), EVM_E_INPUT (not a vector source, bad
     * geometry), EVM_E_LIB (GDAL failure). */
    evm_status (*read_points)(const char *path, evm_gdal_point_fn fn,
                              void *ud, evm_error *err);

    /* Reads all features of a vector source (GeoJSON, GPKG, Shapefile,
     * KML, FlatGeobuf, CSV with WKT or lon/lat columns, anything OGR
     * opens; /vsigzip/ and other /vsi paths too) reprojected to WGS 84
     * lon/lat. layer: the name of one layer, or NULL for every layer.
     * A layer without a CRS is taken as lon/lat. Features without a
     * geometry are skipped; a geometry collection gives one evm_vfeat per
     * geometry type it holds. Returns a layer the caller releases with
     * free_layer, or NULL + err (as read_points; EVM_E_INPUT for an
     * unknown layer name; EVM_E_TOOBIG over EVM_VLAYER_MAX_POINTS). */
    evm_vlayer *(*read_layer)(const char *path, const char *layer,
                              evm_error *err);
    /* Releases a layer from read_layer; accepts NULL. */
    void (*free_layer)(evm_vlayer *l);

    /* Warps an 8-bit raster (RGB, RGBA, grey, grey+alpha or paletted;
     * e.g. a Natural Earth relief PNG with its .pgw world file; a raster
     * with a geotransform but no CRS is taken as EPSG:4326) into a frame:
     * the CRS `proj` (any definition GDAL's OSRSetFromUserInput takes:
     * "EPSG:3857", "+proj=...", WKT), the projected extent
     * extent = {x0, y0, x1, y1} (x0 < x1, y0 < y1; row 0 is at y1) and
     * width x height pixels. Bilinear resampling. Writes premultiplied
     * ARGB32 pixels (cairo's CAIRO_FORMAT_ARGB32: native-endian uint32
     * 0xAARRGGBB) into argb, row r starting at argb + r * stride (stride
     * in bytes, >= 4 * width, a multiple of 4). Pixels the source does
     * not cover are written fully transparent (0). Returns EVM_OK, or an
     * error naming path (EVM_E_IO, EVM_E_INPUT for an unusable raster or
     * frame, EVM_E_LIB). */
    evm_status (*warp_raster)(const char *path, const char *proj,
                              const double extent[4], int width, int height,
                              unsigned char *argb, int stride,
                              evm_error *err);

    /* Reports the PROJ version libgdal runs with (for the loader's check
     * that GDAL and evmap use the same PROJ). */
    void (*proj_version)(int *major, int *minor, int *patch);

    /* Room for the exporter (OGR output formats) and later entries; NULL
     * until implemented. */
    void *reserved[8];
} evm_gdal_api;

/* Loads the module on first use (thread-safe, once per process) and
 * returns its table, or NULL + err (EVM_E_LIB) when it cannot be found,
 * loaded, is of another ABI, or its GDAL runs with another PROJ than
 * evmap. The module is searched with evm_data_path("evmap-gdal.so"). A
 * failure is remembered: later calls fail the same way, quickly. */
const evm_gdal_api *evm__gdal(evm_error *err);

/* For tests and benchmarks: 1 if the module has been loaded in this
 * process. */
int evm__gdal_loaded(void);

#endif
