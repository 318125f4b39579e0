/* The boundary to GDAL/OGR. Everything that calls GDAL lives in src/gdal/
 * and is built into build/evmap-gdal.so, loaded with dlopen on first use
 * (src/core/gdal_loader.c), so that paths that read no GDAL format never
 * pay libgdal's start-up (about 27 ms). The module exports one symbol,
 * evm_gdal_module, a table of the functions below. No GDAL type appears
 * here: callers only see plain C data. */
#ifndef EVM_GDAL_API_H
#define EVM_GDAL_API_H

#include "evmap.h"

#define EVM_GDAL_ABI 3

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

/* ------------------------------------------- tables and feature export */

/* Types of fields read from a source and written to an OGR layer. */
typedef enum evm_ftype {
    EVM_FT_STRING = 0,
    EVM_FT_INT,          /* 64-bit integer */
    EVM_FT_REAL,
    EVM_FT_DATE,         /* "2022-01-06" */
    EVM_FT_DATETIME      /* RFC 3339, "2022-01-06T14:00:00Z" */
} evm_ftype;

/* One feature of a vector source seen as a table row (read_rows). All
 * pointers are borrowed for the duration of the callback. */
typedef struct evm_gdal_row {
    const char *layer;          /* the layer's name */
    int layer_index;            /* 0-based */
    long index;                 /* 1-based feature number in the layer */
    int nfield;
    const char *const *name;    /* field names: the same array for every
                                 * row of one layer */
    const evm_ftype *type;
    /* values as text, NULL when unset or null: integers in decimal,
     * reals as "%.15g" (C locale), dates "YYYY-MM-DD", date-times
     * "YYYY-MM-DDThh:mm:ss" plus "Z" or "+hh:mm" when the zone is known */
    const char *const *value;
    const evm_vfeat *geom;      /* lon/lat; NULL when it has none */
    double lon, lat;            /* the point, else the geometry's centroid;
                                 * NaN when it has no geometry */
} evm_gdal_row;

/* Called once per feature; return non-zero to stop reading. */
typedef int (*evm_gdal_row_fn)(void *ud, const evm_gdal_row *r);

/* A field and a layer of an OGR output (writer_open). */
typedef struct evm_ogr_field {
    const char *name;
    evm_ftype type;
} evm_ogr_field;

typedef struct evm_ogr_layer {
    const char *name;           /* "events", "movements", "areas" */
    evm_vgeom geom;             /* points; lines are written as
                                 * MultiLineStrings, polygons as
                                 * MultiPolygons */
    int nfield;
    const evm_ogr_field *field;
} evm_ogr_layer;

/* An OGR output being written (opaque; src/gdal/export.c). */
typedef struct evm_ogr_writer evm_ogr_writer;

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

    /* Reads every feature of every layer of a vector source, in order,
     * as rows: all fields as text with their types, the geometry in WGS 84
     * lon/lat (reprojected as read_layer does) and a representative point.
     * Streams: one feature in memory at a time. Returns EVM_OK (also when
     * fn stopped the reading) or an error naming path as read_points. */
    evm_status (*read_rows)(const char *path, evm_gdal_row_fn fn, void *ud,
                            evm_error *err);

    /* Creates an OGR output for path in format fmt (EVM_FMT_GPKG, _KML,
     * _FGB, _SHP, _CSV) with the given layers, in WGS 84 lon/lat. The
     * data goes into a temporary directory beside path; writer_close
     * with commit moves it into place. GPKG and KML hold every layer in
     * the one file; SHP, FGB and CSV write layer 0 to path and layer k to
     * "<stem>_<name>.<ext>" beside it (a shapefile's .shx/.dbf/.prj/.cpg
     * go along). A layer is created when its first feature comes (KML
     * wants its layers written one after the other); layer 0 exists even
     * when empty, the others only when written to. Returns NULL + err
     * (EVM_E_IO when the directory is not writable, EVM_E_LIB when GDAL
     * fails). */
    evm_ogr_writer *(*writer_open)(const char *path, evm_format fmt,
                                   int nlayer, const evm_ogr_layer *layers,
                                   evm_error *err);
    /* Adds one feature to layer `layer`: geometry g (lon/lat; parts as in
     * evm_vfeat) and one text value per field of the layer (NULL: null;
     * numbers and dates as evm_ftype says). EVM_OK or err (EVM_E_LIB). */
    evm_status (*writer_write)(evm_ogr_writer *w, int layer,
                               const evm_vfeat *g, const char *const *values,
                               evm_error *err);
    /* Finishes w: with commit, flushes and renames every file into place
     * (EVM_E_IO on failure, and then nothing is left behind); without,
     * removes everything written. Frees w in both cases; accepts NULL. */
    evm_status (*writer_close)(evm_ogr_writer *w, int commit,
                               evm_error *err);

    /* Room for later entries; NULL until implemented. */
    void *reserved[4];
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
