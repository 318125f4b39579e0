/* Areas: the country or admin-1 polygons of the places areas' names
 * resolved to. Assessed areas get a light
 * fill and a solid edge; claimed ones a 45-degree hatch and a dashed edge,
 * as conflict maps draw them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gdal/gdal_api.h"
#include "render/render_int.h"
#include "spec/spec.h"

/* Contract in render_int.h. */
unsigned evm__area_color(const evm_draw *d, const evm_area *a)
{
    evm__area_style as;
    evm__area_style_of(d->th, &d->sides, a, &as);
    return as.color;
}

void evm__hatch(cairo_t *cr, double x0, double y0, double x1, double y1,
                double gap)
{
    double h = y1 - y0;
    for (double x = x0 - h; x < x1; x += gap) {
        cairo_move_to(cr, x, y1);
        cairo_line_to(cr, x + h, y0);
    }
}

/* -1 when out of memory. */
static int polygon_path(evm_draw *d, const evm_bm_feature *f)
{
    evm_scratch sc = {0};
    const float *ll = f->lonlat;
    int rc = 0;
    for (uint32_t p = 0; p < f->nparts; p++) {
        if ((rc = evm__path_lonlat(d, ll, f->part_len[p], 1, &sc)) < 0)
            break;
        ll += 2 * (size_t)f->part_len[p];
    }
    free(sc.x);
    free(sc.y);
    return rc;
}

evm_status evm__areas_draw(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    cairo_t *cr = d->cr;
    double s = d->s;
    if (!m->nareas)
        return EVM_OK;
    d->area_label = malloc(sizeof *d->area_label * (size_t)m->nareas);
    d->area_lw = malloc(sizeof *d->area_lw * (size_t)m->nareas);
    d->area_lh = malloc(sizeof *d->area_lh * (size_t)m->nareas);
    if (!d->area_label || !d->area_lw || !d->area_lh)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int i = 0; i < m->nareas; i++) {
        const evm_area *a = &m->areas[i];
        d->area_label[i] = -1;
        if (!evm__in_window(d, a->date))
            continue;
        evm_bm_feature f;
        evm_vlayer *vl = NULL;
        const evm_gdal_api *g = NULL;
        if (a->path) {
            /* polygons from the user's file, through GDAL */
            if (!(g = evm__gdal(err)) ||
                !(vl = g->read_layer(a->path, NULL, err))) {
                evm__error_at(err, m->file, a->where.pos, "area");
                return err ? err->code : EVM_E_INPUT;
            }
            memset(&f, 0, sizeof f);
            memcpy(f.bbox, vl->bbox, sizeof f.bbox);
        } else if (evm_basemap_place_polygon(
                       d->bm, EVM_H(&a->where)->resolved_id, &f, NULL) != 0) {
            /* the polygon of the place the name resolved to, by its id
             * (spec/areas.c has made it one that has a polygon) */
            return evm__area_no_polygon(err, m->file, a);
        }
        evm__area_style as;
        evm__area_style_of(d->th, &d->sides, a, &as);
        unsigned col = as.color;
        cairo_new_path(cr);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        int rc = vl ? evm__vlayer_polygons_path(d, vl) : polygon_path(d, &f);
        if (as.hatched) {
            cairo_save(cr);
            cairo_clip_preserve(cr);
            double x0, y0, x1, y1;
            cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
            cairo_new_path(cr);
            evm__hatch(cr, x0, y0, x1, y1, as.hatch_gap * s);
            evm__set_rgba(cr, col, as.hatch_alpha);
            cairo_set_line_width(cr, as.hatch_width * s);
            cairo_stroke(cr);
            cairo_restore(cr);
            double dash[] = {as.dash_on * s, as.dash_off * s};
            cairo_set_dash(cr, dash, 2, 0);
        } else {
            evm__set_rgba(cr, col, as.fill_alpha);
            cairo_fill(cr);
        }
        /* the edge, without the lines where the polygon was cut (at the
         * antimeridian: Russia's, Fiji's) */
        cairo_new_path(cr);
        d->outline = 1;
        rc |= vl ? evm__vlayer_polygons_path(d, vl) : polygon_path(d, &f);
        d->outline = 0;
        evm__set_rgba(cr, col, as.edge_alpha);
        cairo_set_line_width(cr, as.edge_width * s);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (vl)
            g->free_layer(vl);
        if (rc < 0)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");

        const char *txt = a->label ? a->label : a->type;
        if (txt && *txt) {
            PangoLayout *l = evm__text_layout(cr, "Noto Sans", 1, 12 * s, txt,
                                              0, 0);
            evm__text_size(l, &d->area_lw[i], &d->area_lh[i]);
            g_object_unref(l);
            /* anchored at the resolved point, else the box's centre */
            double lon = a->where.has_coord ? a->where.lon
                                            : (f.bbox[0] + f.bbox[2]) / 2;
            double lat = a->where.has_coord ? a->where.lat
                                            : (f.bbox[1] + f.bbox[3]) / 2;
            double px, py;
            if (evm__project(d, lon, lat, &px, &py) == 0) {
                d->area_label[i] = evm__labeler_add(d->lb, px, py, 0,
                                                    d->area_lw[i],
                                                    d->area_lh[i], 2000 + i);
                evm__labeler_no_leader(d->lb, d->area_label[i]);
            }
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    return EVM_OK;
}

void evm__areas_labels_draw(evm_draw *d)
{
    const evm_map *m = d->m;
    for (int i = 0; i < m->nareas && d->area_label; i++) {
        const evm_area *a = &m->areas[i];
        evm__label_draw(d, d->area_label[i], a->label ? a->label : a->type,
                        1, 12, evm__area_color(d, a), a->pos);
    }
}
