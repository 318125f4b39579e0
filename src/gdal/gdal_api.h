/* The boundary to GDAL/OGR. Everything that calls GDAL lives in src/gdal/
 * and is built into build/evmap-gdal.so, loaded with dlopen on first use
 * (src/core/gdal_loader.c), so that paths that read no GDAL format never
 * pay libgdal's start-up (about 27 ms). The module exports one symbol,
 * evm_gdal_module, a table of the functions below. */
#ifndef EVM_GDAL_API_H
#define EVM_GDAL_API_H

#include "evmap.h"

#define EVM_GDAL_ABI 1

/* Called once per point feature; return non-zero to stop. name, country
 * and kind may be NULL. */
typedef int (*evm_gdal_point_fn)(void *ud, const char *name, double lon,
                                 double lat, const char *country,
                                 const char *kind);

typedef struct evm_gdal_api {
    int abi; /* EVM_GDAL_ABI */
    /* Reads every feature of a vector source (first layer, or all layers)
     * as points (centroids for lines/polygons), reprojected to WGS 84
     * lon/lat. The name is the first field called name/NAME/Name/label. */
    evm_status (*read_points)(const char *path, evm_gdal_point_fn fn,
                              void *ud, evm_error *err);
    /* further entries are appended by the module's owner; bump the ABI */
} evm_gdal_api;

/* Loads the module on first use (thread-safe, once per process) and
 * returns its table, or NULL + err (EVM_E_LIB) when it cannot be found or
 * loaded. The module is searched with evm_data_path("evmap-gdal.so"). */
const evm_gdal_api *evm__gdal(evm_error *err);

/* For tests and benchmarks: 1 if the module has been loaded in this
 * process. */
int evm__gdal_loaded(void);

#endif
