/* Raster backgrounds (spec key `background:`): the shipped Natural Earth
 * II shaded relief, or the user's own georeferenced raster, warped into
 * the map's frame by the GDAL module and painted under the basemap's
 * lines, muted so that events and labels keep the eye. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gdal/gdal_api.h"
#include "render/render_int.h"

/* Greyscale for the print theme, which must survive a black-and-white
 * printer: Rec. 601 luma of premultiplied pixels stays premultiplied. */
static void to_grey(unsigned char *px, int w, int h, int stride)
{
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            uint32_t r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            uint32_t l = (299 * r + 587 * g + 114 * b + 500) / 1000;
            row[x] = (p & 0xff000000u) | l << 16 | l << 8 | l;
        }
    }
}

evm_status evm__background_draw(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    if (m->background == EVM_BG_NONE)
        return EVM_OK;
    char *shipped = NULL;
    const char *path = m->background_path;
    if (m->background == EVM_BG_RELIEF &&
        !(path = shipped = evm_data_path("natural_earth_relief.png")) &&
        errno == ENOMEM)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (m->background == EVM_BG_RELIEF && !path)
        return evm_error_set(err, EVM_E_IO,
                             "%s: background: relief: "
                             "natural_earth_relief.png not found beside "
                             "the executable or in the install prefix; "
                             "reinstall evmap or set EVMAP_DATA", m->file);
    const evm_gdal_api *g = evm__gdal(err);
    if (!g) {
        free(shipped);
        return err ? err->code : EVM_E_LIB;
    }
    /* The shipped relief has 0.17578125 degrees a pixel (about 20 km):
     * on a regional map one of its pixels covers several of the map's.
     * It is warped at a fraction of the map's size, about 1.5 map pixels
     * per relief pixel, and cairo scales it up bilinearly: the same
     * picture for a tenth of the warping. A user's raster may be finer,
     * so it is warped at full size. */
    int f = 1;
    if (m->background == EVM_BG_RELIEF && d->tol > 0) {
        double ratio = 0.17578125 / (d->tol / 0.4);
        f = ratio >= 3 ? (int)(ratio / 1.5) : 1;
        if (f > 8)
            f = 8;
    }
    int w = (d->W + f - 1) / f, h = (d->H + f - 1) / f;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                                      w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        free(shipped);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    /* the frame in projected units, row 0 at y1, grown to whole pixels
     * of the reduced raster */
    const double ex[4] = {d->X0, d->Y0 - (double)h * f / d->k,
                          d->X0 + (double)w * f / d->k, d->Y0};
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    evm_status st = g->warp_raster(path, evm_geo_definition(d->geo), ex,
                                   w, h, px, stride, err);
    free(shipped);
    if (st != EVM_OK) {
        cairo_surface_destroy(img);
        evm__error_at(err, m->file, m->background_pos, "background");
        return st;
    }
    if (!strcmp(d->th->name, "print"))
        to_grey(px, w, h, stride);
    cairo_surface_mark_dirty(img);
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_scale(cr, f, f);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_t *pat = cairo_get_source(cr);
    cairo_pattern_set_filter(pat, CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    /* a wash of the theme's land colour: relief at full strength is as
     * loud as the events drawn on it */
    evm__set_rgba(cr, d->th->land_other,
                  !strcmp(d->th->name, "dark") ? 0.55 : 0.35);
    cairo_paint(cr);
    return EVM_OK;
}
