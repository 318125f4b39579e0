/* The spec's `layers:`: any vector source GDAL reads, drawn under the
 * events and movements (the GDAL module is loaded only when a map has
 * layers). */
#include <math.h>
#include <stdlib.h>

#include "core/core.h"
#include "gdal/gdal_api.h"
#include "render/render_int.h"

/* Adds the features of one geometry type to the current path; -1 when
 * out of memory. */
static int vlayer_path(evm_draw *d, const evm_vlayer *l, evm_vgeom type)
{
    cairo_t *cr = d->cr;
    double *x = NULL, *y = NULL;
    size_t cap = 0;
    for (int f = 0; f < l->nfeat; f++) {
        const evm_vfeat *v = &l->feat[f];
        if (v->type != type)
            continue;
        int at = 0;
        for (int p = 0; p < v->npart; p++) {
            int n = v->part[p];
            if ((size_t)n > cap) {
                double *nx = evm__reallocarray(x, (size_t)n, sizeof *x);
                double *ny = nx ? evm__reallocarray(y, (size_t)n, sizeof *y)
                                : NULL;
                if (!nx || !ny) {
                    free(nx ? nx : x);
                    free(ny ? ny : y);
                    return -1;
                }
                x = nx;
                y = ny;
                cap = (size_t)n;
            }
            for (int i = 0; i < n; i++) {
                x[i] = v->lon[at + i];
                y[i] = v->lat[at + i];
            }
            at += n;
            if (type == EVM_VGEOM_POINT) {
                evm__project_n(d, x, y, n);
                for (int i = 0; i < n; i++)
                    if (!isnan(x[i])) {
                        cairo_new_sub_path(cr);
                        cairo_arc(cr, x[i], y[i], 3 * d->s, 0, 2 * M_PI);
                    }
                continue;
            }
            if (evm__path_add(d, x, y, (uint32_t)n,
                              type == EVM_VGEOM_POLYGON) < 0) {
                free(x);
                free(y);
                return -1;
            }
        }
    }
    free(x);
    free(y);
    return 0;
}

int evm__vlayer_polygons_path(evm_draw *d, const evm_vlayer *l)
{
    return vlayer_path(d, l, EVM_VGEOM_POLYGON);
}

evm_status evm__layers_draw(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    if (!m->nlayers)
        return EVM_OK;
    const evm_gdal_api *g = evm__gdal(err);
    if (!g)
        return err ? err->code : EVM_E_LIB;
    cairo_t *cr = d->cr;
    double s = d->s;
    for (int i = 0; i < m->nlayers; i++) {
        const evm_layer *ly = &m->layers[i];
        evm_vlayer *l = g->read_layer(ly->path, NULL, err);
        if (!l) {
            evm__error_at(err, m->file, ly->pos, "layer");
            return err ? err->code : EVM_E_INPUT;
        }
        unsigned stroke = evm__color_parse(ly->stroke, d->th->text_muted);
        double w = (ly->width > 0 ? ly->width : 1.2) * s;
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_new_path(cr);
        int rc = vlayer_path(d, l, EVM_VGEOM_POLYGON);
        if (ly->fill) {
            evm__set_rgba(cr, evm__color_parse(ly->fill, stroke), 0.25);
            cairo_fill_preserve(cr);
        }
        evm__set_rgb(cr, stroke);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
        rc |= vlayer_path(d, l, EVM_VGEOM_LINE);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
        rc |= vlayer_path(d, l, EVM_VGEOM_POINT);
        evm__set_rgb(cr, evm__color_parse(ly->fill, stroke));
        cairo_fill_preserve(cr);
        evm__set_rgb(cr, d->th->halo);
        cairo_set_line_width(cr, 1 * s);
        cairo_stroke(cr);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        g->free_layer(l);
        if (rc < 0)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    return EVM_OK;
}
