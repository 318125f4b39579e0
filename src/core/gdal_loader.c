/* Loads build/evmap-gdal.so on first use. No GDAL header here: libevmap
 * never links libgdal, so commands that read no GDAL format start fast. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <proj.h>

#include "core/core.h"
#include "core/csv.h"
#include "gdal/gdal_api.h"

/* The module names CSV coordinate columns as every reader of evmap does
 * (core/csv.h): this reference links those lists into any program that
 * can load the module, libevmap.a's users included. */
const char *const *const evm__gdal_csv_names[2] = {EVM_CSV_LAT_NAMES,
                                                   EVM_CSV_LON_NAMES};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const evm_gdal_api *module;
static atomic_int loaded;
static evm_error load_err; /* why loading failed, kept for later calls */

static void load(void)
{
    char *path = evm_data_path("evmap-gdal.so");
    if (!path && errno == ENOMEM) {
        evm_error_set(&load_err, EVM_E_NOMEM, "out of memory");
        return;
    }
    if (!path) {
        evm_error_set(&load_err, EVM_E_LIB,
                      "the GDAL module evmap-gdal.so was not found ($EVMAP_DATA,"
                      " beside the evmap executable, ../share/evmap, "
                      EVMAP_DATADIR "); reinstall evmap or set EVMAP_DATA");
        return;
    }
    /* RTLD_LOCAL: GDAL's symbols stay out of the global namespace. The
     * handle is never closed: GDAL keeps process-lifetime state. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        evm_error_set(&load_err, EVM_E_LIB, "cannot load the GDAL module: %s",
                      e ? e : path);
        free(path);
        return;
    }
    const evm_gdal_api *api = dlsym(h, "evm_gdal_module");
    if (!api) {
        evm_error_set(&load_err, EVM_E_LIB,
                      "%s is not an evmap GDAL module (no evm_gdal_module)",
                      path);
        free(path);
        return;
    }
    if (api->abi != EVM_GDAL_ABI) {
        evm_error_set(&load_err, EVM_E_LIB,
                      "%s has interface version %d, this evmap needs %d; "
                      "reinstall evmap", path, api->abi, EVM_GDAL_ABI);
        free(path);
        return;
    }
    /* GDAL has its own PROJ contexts: both sides must run the same PROJ,
     * or a CRS could mean different things in the basemap and a layer. */
    int ma = 0, mi = 0, pa = 0;
    if (api->proj_version)
        api->proj_version(&ma, &mi, &pa);
    /* Looked up rather than linked: the core of the evmap binary (the
     * gazetteer) does not load PROJ at all, and then there is only
     * GDAL's PROJ in the process and nothing to compare. */
    PJ_INFO (*info)(void) = (PJ_INFO (*)(void))dlsym(RTLD_DEFAULT,
                                                     "proj_info");
    PJ_INFO pi = info ? info() : (PJ_INFO){.major = ma, .minor = mi};
    if (ma != pi.major || mi != pi.minor) {
        evm_error_set(&load_err, EVM_E_LIB,
                      "GDAL runs with PROJ %d.%d.%d but evmap with %d.%d.%d;"
                      " rebuild evmap against the installed GDAL",
                      ma, mi, pa, pi.major, pi.minor, pi.patch);
        free(path);
        return;
    }
    free(path);
    module = api;
    atomic_store(&loaded, 1);
}

/* Contract in gdal/gdal_api.h. */
const evm_gdal_api *evm__gdal(evm_error *err)
{
    pthread_once(&once, load);
    if (!module) {
        evm_error_set(err, load_err.code ? load_err.code : EVM_E_LIB, "%s",
                      load_err.msg);
        return NULL;
    }
    return module;
}

/* Contract in gdal/gdal_api.h. */
int evm__gdal_loaded(void)
{
    return atomic_load(&loaded);
}
