/* libFuzzer target for GeoJSON read as a table (GDAL's reader under
 * src/gdal/table.c, and evmap's own movements and areas read back): any
 * input gives whole events, movements and areas or one clear error line,
 * never a crash, a hang or a leak. The build links src/gdal into this
 * target (sanitized) and evm__gdal below hands it over, where evmap
 * itself loads evmap-gdal.so. */
#include "gdal/gdal_api.h"
#include "table_fuzz.h"

extern const evm_gdal_api evm_gdal_module;

const evm_gdal_api *evm__gdal(evm_error *err)
{
    (void)err;
    return &evm_gdal_module;
}

static int check_ref(const evm_placeref *p)
{
    return p->has_coord && p->lat >= -90 && p->lat <= 90 &&
           p->lon >= -180 && p->lon <= 180;
}

static int check_move(void *ud, const evm_movement *mv, evm_error *err)
{
    (void)ud;
    (void)err;
    if (!check_ref(&mv->from) || !check_ref(&mv->to) || mv->nvia < 0 ||
        (mv->nvia && !mv->via))
        abort();
    for (int i = 0; i < mv->nvia; i++)
        if (!check_ref(&mv->via[i]))
            abort();
    return 0;
}

static int check_area(void *ud, const evm_area *a, evm_error *err)
{
    (void)ud;
    (void)err;
    if (!a->where.name)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/evm-fuzz-%d.geojson",
             (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    evm_table_opts o;
    evm_table_opts_init(&o);
    o.skip_bad = size > 0 && (data[0] & 1);
    o.warn = quiet;
    long n = 0;
    evm__table_cb cb = {NULL, check_event, check_move, check_area, &n};
    evm_table_stats st;
    evm_error e;
    evm_error_clear(&e);
    evm_status s = evm__table_read(path, &o, 0, &cb, &st, &e);
    unlink(path);
    if (s != EVM_OK) {
        if (e.code == EVM_OK || !strstr(e.msg, path) || strchr(e.msg, '\n'))
            abort();
        return 0;
    }
    if (e.code != EVM_OK || n != st.events)
        abort();
    return 0;
}
