/* Event markers: one vector symbol per category (CARTOGRAPHY.md), an
 * inner glyph for some sub-types, a halo, a thin darker outline; claimed
 * events get a lighter fill and a dashed outline, which still reads when
 * printed in grey. Everything is drawn with paths, so PNG, SVG, PDF and
 * the legend show the same symbol. */
#include <math.h>

#include "render/render.h"


static void rgb(cairo_t *cr, unsigned c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0,
                         ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

/* a + (b - a) * t per channel. */
static unsigned mix(unsigned a, unsigned b, double t)
{
    unsigned out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double ca = (a >> sh) & 255, cb = (b >> sh) & 255;
        unsigned v = (unsigned)lround(ca + (cb - ca) * t);
        out |= (v > 255 ? 255 : v) << sh;
    }
    return out;
}

/* ------------------------------------------------------------ outlines */

/* Closed polygon of n points (unit coordinates scaled by R). */
static void poly(cairo_t *cr, double x, double y, double R,
                 const double (*p)[2], int n)
{
    cairo_move_to(cr, x + p[0][0] * R, y + p[0][1] * R);
    for (int i = 1; i < n; i++)
        cairo_line_to(cr, x + p[i][0] * R, y + p[i][1] * R);
    cairo_close_path(cr);
}

/* Regular star/polygon: n outer points at radius R starting at angle a0,
 * with inner points at radius ri * R between them when ri > 0. */
static void star(cairo_t *cr, double x, double y, double R, int n,
                 double ri, double a0)
{
    int k = ri > 0 ? 2 * n : n;
    for (int i = 0; i < k; i++) {
        double a = a0 + 2 * M_PI * i / k;
        double rr = (ri > 0 && (i & 1)) ? ri * R : R;
        if (i == 0)
            cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
        else
            cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
    }
    cairo_close_path(cr);
}

/* Riots: a circle with a bar through it whose ends stick out, so the
 * outline differs from the protest circle even when printed in grey. */
#define RIOT_RC 0.80
#define RIOT_BAR 0.27

static void riot_outline(cairo_t *cr, double x, double y, double R)
{
    double rc = RIOT_RC * R, b = RIOT_BAR * R;
    double a1 = asin(b / rc), xc = sqrt(rc * rc - b * b);
    cairo_move_to(cr, x + R, y - b);
    cairo_line_to(cr, x + R, y + b);
    cairo_line_to(cr, x + xc, y + b);
    cairo_arc(cr, x, y, rc, a1, M_PI - a1);
    cairo_line_to(cr, x - R, y + b);
    cairo_line_to(cr, x - R, y - b);
    cairo_line_to(cr, x - xc, y - b);
    cairo_arc(cr, x, y, rc, M_PI + a1, 2 * M_PI - a1);
    cairo_close_path(cr);
}

static const double tri_pts[3][2] = {
    { -1.0, -0.80 }, { 1.0, -0.80 }, { 0.0, 0.93 }
};
#define SQUARE_H 0.86

/* The category's outline path at path radius R; sets *gy (the glyph
 * centre's vertical offset) and *g (glyph half-size), both in units of
 * R. */
static void shape_path(cairo_t *cr, evm_category cat, double x, double y,
                       double R, double *gy, double *g)
{
    *gy = 0;
    switch (cat) {
    case EVM_CAT_BATTLES: {
        static const double d[4][2] = { { 0, -1 }, { 1, 0 }, { 0, 1 },
                                        { -1, 0 } };
        poly(cr, x, y, R, d, 4);
        *g = 0.44;
        break;
    }
    case EVM_CAT_EXPLOSIONS:
        star(cr, x, y, R, 8, 0.58, -M_PI / 2);
        *g = 0.44;
        break;
    case EVM_CAT_VIOLENCE_CIV:
        poly(cr, x, y, R, tri_pts, 3);
        *gy = -0.24;
        *g = 0.42;
        break;
    case EVM_CAT_RIOTS:
        riot_outline(cr, x, y, R);
        *g = 0.50;
        break;
    case EVM_CAT_STRATEGIC:
        star(cr, x, y, R, 6, 0, -M_PI / 2);
        *g = 0.58;
        break;
    case EVM_CAT_INFRA: {
        double h = SQUARE_H;
        const double s[4][2] = { { -h, -h }, { h, -h }, { h, h },
                                 { -h, h } };
        poly(cr, x, y, R, s, 4);
        *g = 0.62;
        break;
    }
    case EVM_CAT_PROTESTS:
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, R * 0.96, 0, 2 * M_PI);
        cairo_close_path(cr);
        *g = 0.60;
        break;
    }
}

/* -------------------------------------------------------------- glyphs */
/* Each glyph is drawn in a unit box [-1, 1]^2 (y down), scaled by the
 * glyph half-size; lw is the stroke width in those units. */

static void g_line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
}

static void glyph_flag(cairo_t *cr, double lw)
{
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    g_line(cr, -0.60, -1.0, -0.60, 1.0);
    cairo_stroke(cr);
    cairo_move_to(cr, -0.60, -1.0);
    cairo_line_to(cr, 0.95, -1.0);
    cairo_line_to(cr, 0.55, -0.55);
    cairo_line_to(cr, 0.95, -0.10);
    cairo_line_to(cr, -0.60, -0.10);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void glyph_bars(cairo_t *cr, double lw)
{
    cairo_set_line_width(cr, lw * 0.9);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int i = -1; i <= 1; i++)
        g_line(cr, i * 0.62, -0.8, i * 0.62, 0.8);
    cairo_stroke(cr);
    cairo_set_line_width(cr, lw * 0.8);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
    g_line(cr, -0.62, -0.8, 0.62, -0.8);
    g_line(cr, -0.62, 0.8, 0.62, 0.8);
    cairo_stroke(cr);
}

static void glyph_square(cairo_t *cr)
{
    cairo_rectangle(cr, -0.62, -0.62, 1.24, 1.24);
    cairo_fill(cr);
}

static void glyph_drop(cairo_t *cr)
{
    cairo_move_to(cr, 0, -1.0);
    cairo_curve_to(cr, 0.22, -0.55, 0.68, -0.15, 0.68, 0.32);
    cairo_arc(cr, 0, 0.32, 0.68, 0, M_PI);
    cairo_curve_to(cr, -0.68, -0.15, -0.22, -0.55, 0, -1.0);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void glyph_rails(cairo_t *cr, double lw)
{
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_width(cr, lw * 0.85);
    g_line(cr, -0.48, -1.0, -0.48, 1.0);
    g_line(cr, 0.48, -1.0, 0.48, 1.0);
    cairo_stroke(cr);
    cairo_set_line_width(cr, lw * 0.7);
    for (int i = -1; i <= 1; i++)
        g_line(cr, -0.95, i * 0.62, 0.95, i * 0.62);
    cairo_stroke(cr);
}

static void glyph_signal(cairo_t *cr, double lw)
{
    double cy = 0.72, a0 = -M_PI * 0.75, a1 = -M_PI * 0.25;
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, cy, 0.24, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_line_width(cr, lw * 0.85);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, cy, 0.78, a0, a1);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, cy, 1.40, a0 + 0.06, a1 - 0.06);
    cairo_stroke(cr);
}

static void glyph_fire(cairo_t *cr)
{
    /* A flame of three tongues (the middle one tallest) over a round
     * base: its ragged top tells it from the single-tipped drop. */
    cairo_move_to(cr, 0.05, -1.0);
    cairo_curve_to(cr, 0.22, -0.62, 0.34, -0.42, 0.32, -0.12);
    cairo_curve_to(cr, 0.48, -0.22, 0.58, -0.36, 0.62, -0.60);
    cairo_curve_to(cr, 0.86, -0.26, 0.92, 0.08, 0.86, 0.36);
    cairo_curve_to(cr, 0.80, 0.78, 0.44, 1.0, 0.0, 1.0);
    cairo_curve_to(cr, -0.44, 1.0, -0.84, 0.78, -0.86, 0.34);
    cairo_curve_to(cr, -0.88, 0.02, -0.74, -0.22, -0.58, -0.46);
    cairo_curve_to(cr, -0.52, -0.26, -0.42, -0.12, -0.28, -0.04);
    cairo_curve_to(cr, -0.34, -0.42, -0.18, -0.72, 0.05, -1.0);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void glyph_plane(cairo_t *cr)
{
    static const double h[][2] = {
        { 0.00, -1.00 }, { 0.14, -0.84 }, { 0.14, -0.30 }, { 1.00, 0.18 },
        { 1.00, 0.42 }, { 0.14, 0.18 }, { 0.14, 0.62 }, { 0.46, 0.86 },
        { 0.46, 1.00 }, { 0.00, 0.90 },
    };
    int n = (int)(sizeof h / sizeof h[0]);
    cairo_move_to(cr, h[0][0], h[0][1]);
    for (int i = 1; i < n; i++)
        cairo_line_to(cr, h[i][0], h[i][1]);
    for (int i = n - 2; i > 0; i--)
        cairo_line_to(cr, -h[i][0], h[i][1]);
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* The category's own inner mark, drawn when the type has no glyph. */
static void inner_mark(cairo_t *cr, evm_category cat, double x, double y,
                       double R, double lw)
{
    switch (cat) {
    case EVM_CAT_BATTLES: {
        double a = 0.40 * R;
        cairo_set_line_width(cr, lw);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        g_line(cr, x - a, y - a, x + a, y + a);
        g_line(cr, x + a, y - a, x - a, y + a);
        cairo_stroke(cr);
        break;
    }
    case EVM_CAT_RIOTS: {
        double b = RIOT_BAR * R * 0.62, w = RIOT_RC * R * 0.70;
        cairo_rectangle(cr, x - w, y - b, 2 * w, 2 * b);
        cairo_fill(cr);
        break;
    }
    default:
        break;
    }
}

static void draw_glyph(cairo_t *cr, evm_glyph gl, double x, double y,
                       double g, double lw)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, g, g);
    cairo_new_path(cr);
    lw /= g;
    switch (gl) {
    case EVM_GLYPH_FLAG: glyph_flag(cr, lw); break;
    case EVM_GLYPH_BARS: glyph_bars(cr, lw); break;
    case EVM_GLYPH_SQUARE: glyph_square(cr); break;
    case EVM_GLYPH_DROP: glyph_drop(cr); break;
    case EVM_GLYPH_RAILS: glyph_rails(cr, lw); break;
    case EVM_GLYPH_SIGNAL: glyph_signal(cr, lw); break;
    case EVM_GLYPH_FIRE: glyph_fire(cr); break;
    case EVM_GLYPH_PLANE: glyph_plane(cr); break;
    default: break;
    }
    cairo_restore(cr);
}

/* ---------------------------------------------------------------- API */

/* Draws the marker of type t (NULL: a plain protest-style circle)
 * centred at (x, y), size px across, halo and outline widths scaled by
 * line_scale. Leaves the cairo state as it found it. */
void evm__draw_marker_ex(cairo_t *cr, const evm_theme_def *th,
                         const evm_event_type *t, double x, double y,
                         double size, int claimed, double line_scale)
{
    if (!cr || !th || !(size > 0) || !isfinite(x) || !isfinite(y))
        return;
    if (!(line_scale > 0))
        line_scale = 1;
    evm_category cat = t ? t->cat : EVM_CAT_PROTESTS;
    evm_glyph gl = t ? t->glyph : EVM_GLYPH_NONE;
    if ((int)cat < 0 || cat >= EVM_CAT_COUNT)
        cat = EVM_CAT_PROTESTS;
    if ((int)gl < 0 || gl >= EVM_GLYPH_COUNT)
        gl = EVM_GLYPH_NONE;

    unsigned col = th->cat_color[cat];
    unsigned dark = mix(col, 0x000000, 0.40);
    unsigned fill = claimed ? mix(col, 0xffffff, 0.58) : col;
    unsigned ink = claimed ? dark : th->marker_glyph;
    double halo = EVM_MARKER_HALO * line_scale;
    double ow = (0.55 + 0.02 * size / line_scale) * line_scale;
    if (claimed)
        ow *= 1.35;
    /* Keep the outline inside the nominal box: the path runs ow/2 in. */
    double R = size / 2 - ow / 2;
    if (R < size * 0.25)
        R = size * 0.25;
    double gy, g;

    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_set_dash(cr, NULL, 0, 0);

    shape_path(cr, cat, x, y, R, &gy, &g);
    rgb(cr, th->marker_halo);
    cairo_set_line_width(cr, ow + 2 * halo);
    cairo_stroke_preserve(cr);
    rgb(cr, fill);
    cairo_fill(cr);

    double gr = g * R;
    double lw = gr * 0.30;
    if (lw < 0.9 * line_scale)
        lw = 0.9 * line_scale;
    rgb(cr, ink);
    if (gl != EVM_GLYPH_NONE)
        draw_glyph(cr, gl, x, y + gy * R, gr, lw);
    else
        inner_mark(cr, cat, x, y, R, R * 0.19 > lw ? R * 0.19 : lw);

    shape_path(cr, cat, x, y, R, &gy, &g);
    rgb(cr, dark);
    cairo_set_line_width(cr, ow);
    if (claimed) {
        double on = size * 0.17, off = size * 0.11;
        if (on < 2.6 * line_scale)
            on = 2.6 * line_scale;
        if (off < 1.6 * line_scale)
            off = 1.6 * line_scale;
        double dash[2] = { on, off };
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* evm__draw_marker_ex at line_scale 1. */
void evm__draw_marker(cairo_t *cr, const evm_theme_def *th,
                      const evm_event_type *t, double x, double y,
                      double size, int claimed)
{
    evm__draw_marker_ex(cr, th, t, x, y, size, claimed, 1.0);
}

