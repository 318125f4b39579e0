/* The checks a map passes before it can be drawn that need more than
 * its text: something to map, and a projection PROJ knows. `evmap
 * validate` and `evmap render` run the same ones, so that validate
 * accepts nothing render then refuses, and errors name file:line:col. */
#include <stdio.h>

#include "geo/geo.h"
#include "spec/spec.h"

/* Contract in spec.h. */
evm_status evm__map_check(const evm_map *m, evm_error *err)
{
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
