/* The checks a map passes before it can be drawn that need more than
 * its text: something to map, a projection PROJ knows, and the files it
 * names (layers, a background raster, area polygons) there to read.
 * `evmap validate` and `evmap render` run the same ones, so that validate
 * accepts nothing render then refuses, and errors name file:line:col. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "geo/geo.h"
#include "spec/spec.h"

/* A file the map names (key at pos) that cannot be read: EVM_E_IO with
 * "file:line:col: key: path: reason", as render says it. Connection
 * strings, URLs and GDAL's virtual paths (/vsizip/...) are GDAL's to
 * judge when the map is drawn. */
static evm_status check_file(const evm_map *m, evm_srcpos pos,
                             const char *key, const char *path,
                             evm_error *err)
{
    const char *c = path;
    while ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'))
        c++;
    if ((c - path >= 2 && *c == ':') || !strncmp(path, "/vsi", 4))
        return EVM_OK;
    struct stat st;
    if (stat(path, &st) == 0)
        return EVM_OK;
    return evm_error_set(err, EVM_E_IO, "%s:%d:%d: %s: %s: %s", m->file,
                         pos.line, pos.col, key, path, strerror(errno));
}

/* Contract in spec.h. */
evm_status evm__map_check(const evm_map *m, evm_error *err)
{
    for (int i = 0; i < m->nlayers; i++)
        if (m->layers[i].path &&
            check_file(m, m->layers[i].pos, "layer", m->layers[i].path,
                       err) != EVM_OK)
            return EVM_E_IO;
    if (m->background == EVM_BG_FILE && m->background_path &&
        check_file(m, m->background_pos, "background", m->background_path,
                   err) != EVM_OK)
        return EVM_E_IO;
    for (int i = 0; i < m->nareas; i++)
        if (m->areas[i].path &&
            check_file(m, m->areas[i].pos, "area", m->areas[i].path,
                       err) != EVM_OK)
            return EVM_E_IO;
    if (m->extent_mode == EVM_EXTENT_AUTO && m->nevents == 0 &&
        m->nmovements == 0 && m->nareas == 0)
        return evm_error_set(err, EVM_E_INPUT, "%s: nothing to map: add "
                             "events, movements or areas, or give an "
                             "extent", m->file);
    if (!m->projection)
        return EVM_OK;
    evm_error e;
    evm_error_clear(&e);
    evm_geo *g = evm_geo_new(m->projection, NULL, &e);
    evm_geo_free(g);
    if (g || e.code != EVM_E_INPUT)
        return EVM_OK; /* a library failure is render's to report */
    return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: %s; use auto, "
                         "EPSG:nnnn (e.g. EPSG:3857) or a PROJ string",
                         m->file, m->projection_pos.line,
                         m->projection_pos.col, e.msg);
}
