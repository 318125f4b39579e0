/* Feature export (GeoJSON, and the GDAL formats). */
#include "core/core.h"
#include "render/render_int.h"

evm_status evm__export(const evm_map *m, evm_format fmt, const char *path,
                       evm_error *err)
{
    (void)fmt;
    (void)path;
    return evm_error_set(err, EVM_E_USAGE,
                         "%s: this version draws PNG, SVG and PDF only; "
                         "feature export is not available yet", m->file);
}
