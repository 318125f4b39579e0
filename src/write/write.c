/* A map written in the format asked for: PNG, SVG and PDF are drawn by
 * the renderer (src/render), GeoJSON and the GDAL vector formats are
 * written as features by the exporters (src/export). This choice sits
 * above both, so that neither calls the other: both take their colours
 * and styles from src/style. */
#include "core/core.h"
#include "export/export.h"
#include "render/render.h"

/* The format of an output: o's, else path's extension, else PNG. */
static evm_format pick_format(const evm_render_opts *o, const char *path)
{
    if (o && o->format != EVM_FMT_AUTO)
        return o->format;
    evm_format f = evm_format_from_path(path);
    return f == EVM_FMT_AUTO ? EVM_FMT_PNG : f;
}

static int drawn(evm_format f)
{
    return f == EVM_FMT_PNG || f == EVM_FMT_SVG || f == EVM_FMT_PDF;
}

/* Contract in evmap.h. */
evm_status evm_map_render(const evm_map *m, const evm_render_opts *o,
                          const char *path, evm_error *err)
{
    evm_format fmt = pick_format(o, path);
    if (!drawn(fmt))
        return evm__export(m, o, fmt, path, err);
    return evm__render_draw(NULL, m, o, fmt, path, err);
}

/* Contract in evmap.h. */
evm_status evm_renderer_render(const evm_renderer *r, const evm_map *m,
                               const evm_render_opts *o, const char *path,
                               evm_error *err)
{
    evm_format fmt = pick_format(o, path);
    if (!drawn(fmt))
        return evm__export(m, o, fmt, path, err);
    return evm__render_draw(r, m, o, fmt, path, err);
}
