/* Internals shared by the files of the GDAL module (evmap-gdal.so). Only
 * evm_gdal_module is exported from the module; everything here is hidden. */
#ifndef EVM_GDAL_INT_H
#define EVM_GDAL_INT_H

#include <gdal.h>
#include <ogr_srs_api.h>

#include "gdal/gdal_api.h"

#define EVM_HIDDEN __attribute__((visibility("hidden")))

/* GDAL's first failure during one operation, captured on this thread by a
 * pushed handler (never the process-wide CPLSetErrorHandler). */
typedef struct evm_cpl {
    char msg[512];
    int failed;
} evm_cpl;

/* Registers the drivers once per process (thread-safe), then pushes a
 * handler that records failures into cap. Pair with evm__cpl_end. */
EVM_HIDDEN void evm__cpl_begin(evm_cpl *cap);
/* Pops the handler pushed by evm__cpl_begin. */
EVM_HIDDEN void evm__cpl_end(void);
/* GDAL's message for the current operation, or fallback. */
EVM_HIDDEN const char *evm__cpl_msg(const evm_cpl *cap, const char *fallback);

/* Opens path with GDALOpenEx for `flags` (GDAL_OF_VECTOR or
 * GDAL_OF_RASTER). A missing file gives EVM_E_IO "cannot open "path": ...",
 * a file no driver reads EVM_E_INPUT naming path and `what` ("a vector
 * source", "a raster"). CSV/TSV files get open options that take points
 * from lon/lat columns. Returns the dataset or NULL + err. */
EVM_HIDDEN GDALDatasetH evm__open(const char *path, unsigned flags,
                                  const char *what, evm_cpl *cap,
                                  evm_error *err);

/* A new WGS 84 lon/lat SRS in traditional GIS axis order (lon first). */
EVM_HIDDEN OGRSpatialReferenceH evm__srs_wgs84(void);
/* Transformation from layer l's CRS to WGS 84 lon/lat into *ct (caller
 * destroys it); *ct stays NULL when the layer has no CRS (taken as
 * lon/lat already). Errors name path and the layer. */
EVM_HIDDEN evm_status evm__layer_ct(OGRLayerH l, const char *path,
                                    evm_cpl *cap,
                                    OGRCoordinateTransformationH *ct,
                                    evm_error *err);

EVM_HIDDEN evm_status evm__read_points(const char *path, evm_gdal_point_fn fn,
                                       void *ud, evm_error *err);
EVM_HIDDEN evm_vlayer *evm__read_layer(const char *path, const char *layer,
                                       evm_error *err);
EVM_HIDDEN void evm__free_layer(evm_vlayer *l);
EVM_HIDDEN evm_status evm__warp_raster(const char *path, const char *proj,
                                       const double extent[4], int width,
                                       int height, unsigned char *argb,
                                       int stride, evm_error *err);

/* Tables and feature export (src/gdal/table.c, src/gdal/export.c);
 * contracts in gdal_api.h (read_rows, writer_open/write/close). */
EVM_HIDDEN evm_status evm__read_rows(const char *path, evm_gdal_row_fn fn,
                                     void *ud, evm_error *err);
EVM_HIDDEN evm_ogr_writer *evm__writer_open(const char *path, evm_format fmt,
                                            int nlayer,
                                            const evm_ogr_layer *layers,
                                            evm_error *err);
EVM_HIDDEN evm_status evm__writer_write(evm_ogr_writer *w, int layer,
                                        const evm_vfeat *g,
                                        const char *const *values,
                                        evm_error *err);
EVM_HIDDEN evm_status evm__writer_close(evm_ogr_writer *w, int commit,
                                        evm_error *err);

#endif
