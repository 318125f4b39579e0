/* Text over Pango for the map: layouts with absolute pixel sizes, no
 * hinting (so a layout measures the same at every resolution), halos. */
#include <math.h>
#include <string.h>

#include "core/core.h"
#include "render/render.h"

static void rgb(cairo_t *cr, unsigned c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0,
                         ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

/* A layout on cr with resolution-independent font options. */
static PangoLayout *new_layout(cairo_t *cr)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(l);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* out of memory (cairo's nil options): cr takes the error, which
     * fails the render, rather than measuring text with other metrics */
    if (cairo_font_options_status(fo) != CAIRO_STATUS_SUCCESS)
        cairo_set_font_options(cr, fo);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(l);
    return l;
}

static PangoFontDescription *font_desc(const char *family, int bold,
                                       double px)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family ? family : EVM_FONT);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
                                               : PANGO_WEIGHT_NORMAL);
    if (!(px > 0.5))
        px = 0.5;
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    return fd;
}

/* Builds a single-style layout: see render.h. The text is copied (and
 * uppercased with g_utf8_strup when asked); invalid UTF-8 is drawn with
 * replacement boxes by Pango rather than rejected. Never NULL. */
PangoLayout *evm__text_layout(cairo_t *cr, const char *family, int bold,
                              double px, const char *utf8,
                              double letter_spacing_em, int uppercase)
{
    PangoLayout *l = new_layout(cr);
    PangoFontDescription *fd = font_desc(family, bold, px);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (!utf8)
        utf8 = "";
    /* text past the limits of core.h is cut (a spec cannot have it; a
     * table's can) */
    int len = (int)evm__text_cut(utf8);
    if (uppercase) {
        char *up = g_utf8_strup(utf8, len);
        pango_layout_set_text(l, up ? up : utf8, up ? -1 : len);
        g_free(up);
    } else {
        pango_layout_set_text(l, utf8, len);
    }
    if (letter_spacing_em != 0) {
        PangoAttrList *al = pango_attr_list_new();
        pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                                       (int)(letter_spacing_em * px *
                                             PANGO_SCALE)));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    return l;
}

/* Builds a bold-name, regular-description label layout: see render.h.
 * Never NULL. */
PangoLayout *evm__label_layout(cairo_t *cr, const char *family, double px,
                               const char *name, const char *desc,
                               int align)
{
    PangoLayout *l = new_layout(cr);
    PangoFontDescription *fd = font_desc(family, 0, px);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    int has_n = name && *name, has_d = desc && *desc;
    size_t nn = has_n ? evm__text_cut(name) : 0; /* limits: core.h */
    GString *s = g_string_new(NULL);
    if (has_n)
        g_string_append_len(s, name, (gssize)nn);
    if (has_n && has_d)
        g_string_append_c(s, '\n');
    if (has_d)
        g_string_append_len(s, desc, (gssize)evm__text_cut(desc));
    pango_layout_set_text(l, s->str, (int)s->len);
    g_string_free(s, TRUE);
    if (has_n) {
        PangoAttrList *al = pango_attr_list_new();
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = 0;
        a->end_index = (guint)nn;
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    pango_layout_set_alignment(l, align == 1   ? PANGO_ALIGN_CENTER
                                  : align == 2 ? PANGO_ALIGN_RIGHT
                                               : PANGO_ALIGN_LEFT);
    return l;
}

/* Draws l at (x, y) (top-left of its logical box) with an optional
 * halo; leaves the cairo state as it found it. */
/* On image surfaces the halo is the text's own coverage mask painted at
 * offsets on two rings around it: a dilation. Stroking glyph outlines
 * with round joins costs about ten times more, and the result differs by
 * less than the antialiasing. Vector surfaces keep the stroked outline,
 * which stays one clean path in SVG and PDF. */
static int halo_by_mask(cairo_t *cr, PangoLayout *l, double x, double y,
                        unsigned halo, double halo_px)
{
    if (cairo_surface_get_type(cairo_get_target(cr)) !=
        CAIRO_SURFACE_TYPE_IMAGE)
        return 0;
    PangoRectangle ink;
    pango_layout_get_pixel_extents(l, &ink, NULL);
    int pad = (int)ceil(halo_px) + 2;
    int w = ink.width + 2 * pad, h = ink.height + 2 * pad;
    if (w <= 0 || h <= 0 || w > 8192 || h > 8192)
        return 0;
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    if (cairo_surface_status(m) != CAIRO_STATUS_SUCCESS) {
        /* out of memory: cr takes the mask's error, which fails the
         * render, rather than drawing the halo another way */
        cairo_set_source_surface(cr, m, 0, 0);
        cairo_surface_destroy(m);
        return 1;
    }
    /* keep the sub-pixel phase of the final position */
    double ox = floor(x), oy = floor(y);
    cairo_t *mc = cairo_create(m);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_get_font_options(cr, fo);
    cairo_set_font_options(mc, fo);
    cairo_font_options_destroy(fo);
    cairo_move_to(mc, x - ox - ink.x + pad, y - oy - ink.y + pad);
    pango_cairo_show_layout(mc, l);
    if (cairo_status(mc) != CAIRO_STATUS_SUCCESS)
        cairo_set_source(cr, cairo_get_source(mc)); /* its error, as above */
    cairo_destroy(mc);
    rgb(cr, halo);
    double bx = ox + ink.x - pad, by = oy + ink.y - pad;
    /* whole-pixel offsets inside the halo's disc: pixman then composites
     * the A8 mask without resampling */
    int r = (int)floor(halo_px + 0.25);
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++)
            if (dx * dx + dy * dy <= (halo_px + 0.25) * (halo_px + 0.25) &&
                (dx || dy))
                cairo_mask_surface(cr, m, bx + dx, by + dy);
    cairo_surface_destroy(m);
    return 1;
}

void evm__text_draw(cairo_t *cr, PangoLayout *l, double x, double y,
                    unsigned color, unsigned halo, double halo_px)
{
    if (!cr || !l)
        return;
    PangoRectangle lg;
    pango_layout_get_extents(l, NULL, &lg);
    x -= (double)lg.x / PANGO_SCALE;
    y -= (double)lg.y / PANGO_SCALE;
    cairo_save(cr);
    cairo_new_path(cr);
    if (halo_px > 0 && !halo_by_mask(cr, l, x, y, halo, halo_px)) {
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, l);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_width(cr, 2 * halo_px);
        rgb(cr, halo);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_move_to(cr, x, y);
    rgb(cr, color);
    pango_cairo_show_layout(cr, l);
    /* the path is not part of the saved state: without this the text's
     * start stays the current point, and the next arc drawn joins it
     * with a line (invisible in a PNG, a hairline in a PDF viewer) */
    cairo_new_path(cr);
    cairo_restore(cr);
}

/* Logical extents of l in px; see render.h. */
void evm__text_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle lg = { 0, 0, 0, 0 };
    if (l)
        pango_layout_get_extents(l, NULL, &lg);
    if (w)
        *w = (double)lg.width / PANGO_SCALE;
    if (h)
        *h = (double)lg.height / PANGO_SCALE;
}

/* Characters of l drawn as "unknown glyph" boxes; 0 when every script
 * found a font. */
int evm__text_missing_glyphs(PangoLayout *l)
{
    return l ? pango_layout_get_unknown_glyphs_count(l) : 0;
}
