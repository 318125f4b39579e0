/* The GDAL module's entry table and what its files share: one-time driver
 * registration, per-thread error capture, opening files. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include "core/csv.h"
#include "gdal/gdal_int.h"

static pthread_once_t reg_once = PTHREAD_ONCE_INIT;

static void register_drivers(void)
{
    GDALAllRegister();
}

static void CPL_STDCALL capture(CPLErr cls, CPLErrorNum no, const char *msg)
{
    evm_cpl *cap = CPLGetErrorHandlerUserData();
    (void)no;
    /* warnings and debug output are dropped; the first failure is kept */
    if (!cap || cls < CE_Failure || cap->failed)
        return;
    cap->failed = 1;
    snprintf(cap->msg, sizeof cap->msg, "%s", msg ? msg : "");
    for (char *p = cap->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* Contract in gdal_int.h. */
void evm__cpl_begin(evm_cpl *cap)
{
    memset(cap, 0, sizeof *cap);
    pthread_once(&reg_once, register_drivers);
    CPLPushErrorHandlerEx(capture, cap);
}

/* Contract in gdal_int.h. */
void evm__cpl_end(void)
{
    CPLPopErrorHandler();
}

/* Contract in gdal_int.h. */
const char *evm__cpl_msg(const evm_cpl *cap, const char *fallback)
{
    return cap->failed && cap->msg[0] ? cap->msg : fallback;
}

/* "KEY=a,b,c" from a NULL-terminated list of column names into out
 * (HXL hashtags left out: GDAL's CSV driver reads no HXL row). */
static void join_names(char *out, size_t size, const char *key,
                       const char *const *names)
{
    size_t n = (size_t)snprintf(out, size, "%s", key);
    for (int i = 0; names[i] && n < size; i++)
        if (names[i][0] != '#')
            n += (size_t)snprintf(out + n, size - n, "%s%s",
                                  n > strlen(key) ? "," : "", names[i]);
}

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && strncasecmp(s + n - k, suf, k) == 0;
}

/* Contract in gdal_int.h. */
GDALDatasetH evm__open(const char *path, unsigned flags, const char *what,
                       evm_cpl *cap, evm_error *err)
{
    VSIStatBufL st;
    if (!path || !*path) {
        evm_error_set(err, EVM_E_INPUT, "empty file name");
        return NULL;
    }
    /* "GPKG:file.gpkg:layer", "CSV:file.txt", "PG:dbname=x": driver
     * prefixes and connection strings are not files to stat */
    size_t pre = strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
                              "tuvwxyz0123456789_");
    int prefixed = pre >= 2 && path[pre] == ':';
    if (!prefixed && VSIStatExL(path, &st, VSI_STAT_EXISTS_FLAG) != 0) {
        struct stat ps;
        const char *why = "no such file";
        if (strncmp(path, "/vsi", 4) != 0 && stat(path, &ps) != 0)
            why = strerror(errno);
        evm_error_set(err, EVM_E_IO, "%s: %s", path, why);
        return NULL;
    }
    /* a plain file.geojson.gz reads through /vsigzip/ */
    size_t n = strlen(path);
    char *gz = NULL;
    const char *open_path = path;
    size_t base = n;
    if (!prefixed && ends_with(path, n, ".gz") &&
        !ends_with(path, n, ".tar.gz")) {
        base = n - 3;
        if (strncmp(path, "/vsi", 4) != 0 && (gz = malloc(n + 10))) {
            snprintf(gz, n + 10, "/vsigzip/%s", path);
            open_path = gz;
        }
    }
    if (strncmp(path, "/vsigzip/", 9) == 0 && ends_with(path, n, ".gz"))
        base = n - 3;
    /* CSV/TSV without WKT: points from lon/lat columns, named as every
     * reader of evmap names them (core/csv.h) */
    char xnames[256], ynames[256];
    join_names(xnames, sizeof xnames, "X_POSSIBLE_NAMES=", EVM_CSV_LON_NAMES);
    join_names(ynames, sizeof ynames, "Y_POSSIBLE_NAMES=", EVM_CSV_LAT_NAMES);
    const char *const csv_opts[] = {xnames, ynames, "KEEP_GEOM_COLUMNS=NO",
                                    NULL};
    int csv = (flags & GDAL_OF_VECTOR) &&
              (ends_with(path, base, ".csv") || ends_with(path, base, ".tsv"));
    GDALDatasetH ds = GDALOpenEx(open_path, flags | GDAL_OF_READONLY |
                                                GDAL_OF_VERBOSE_ERROR,
                                 NULL, csv ? csv_opts : NULL, NULL);
    free(gz);
    if (!ds) {
        const char *m = evm__cpl_msg(cap, "");
        if (!*m || strstr(m, "not recognized as") ||
            strstr(m, "not recognised as"))
            evm_error_set(err, EVM_E_INPUT, "%s: not %s GDAL can read", path,
                          what);
        else
            evm_error_set(err, EVM_E_INPUT, "%s: not %s GDAL can read: %s",
                          path, what, m);
    }
    return ds;
}

/* Contract in gdal_int.h. */
OGRSpatialReferenceH evm__srs_wgs84(void)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    if (!s)
        return NULL;
    if (OSRSetWellKnownGeogCS(s, "WGS84") != OGRERR_NONE) {
        OSRDestroySpatialReference(s);
        return NULL;
    }
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

static void proj_version(int *major, int *minor, int *patch)
{
    OSRGetPROJVersion(major, minor, patch);
}

/* The module's one exported symbol: the table the loader looks up. */
__attribute__((visibility("default")))
const evm_gdal_api evm_gdal_module = {
    .abi = EVM_GDAL_ABI,
    .read_points = evm__read_points,
    .read_layer = evm__read_layer,
    .free_layer = evm__free_layer,
    .warp_raster = evm__warp_raster,
    .proj_version = proj_version,
    .read_rows = evm__read_rows,
    .writer_open = evm__writer_open,
    .writer_write = evm__writer_write,
    .writer_close = evm__writer_close,
};
