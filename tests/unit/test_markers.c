/* Event markers and text helpers: pixels of drawn markers (colour, extent,
 * greyscale print theme, distinct shapes), the fatality size scale, and
 * Pango layouts of Cyrillic and Arabic names.
 * With EVM_SPECIMEN=path.png set, also writes the marker specimen sheet
 * (every category x glyph, assessed and claimed, at 12, 14, 20 and 28 px
 * on the light, dark and print themes). */
#include <math.h>
#include <stdint.h>

#include "harness.h"
#include "render/render.h"

static const char *cat_name[EVM_CAT_COUNT] = {
    "Battles", "Explosions", "Violence/civ.", "Protests", "Riots",
    "Strategic", "Infrastructure",
};
static const char *glyph_name[EVM_GLYPH_COUNT] = {
    "none", "flag", "bars", "square", "drop", "rails", "signal", "fire",
    "plane",
};

static evm_event_type mktype(evm_category c, evm_glyph g)
{
    evm_event_type t;
    memset(&t, 0, sizeof t);
    t.key = "test";
    t.cat = c;
    t.glyph = g;
    return t;
}

/* Unpremultiplied pixel of an ARGB32 surface. */
typedef struct { int a, r, g, b; } px_t;

static px_t pixel(cairo_surface_t *s, int x, int y)
{
    unsigned char *d = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    uint32_t v = *(uint32_t *)(d + y * st + x * 4);
    px_t p = { (int)(v >> 24), (int)((v >> 16) & 255),
               (int)((v >> 8) & 255), (int)(v & 255) };
    if (p.a > 0 && p.a < 255) {
        p.r = p.r * 255 / p.a;
        p.g = p.g * 255 / p.a;
        p.b = p.b * 255 / p.a;
    }
    return p;
}

/* A fresh transparent W x H surface with one marker drawn at (cx, cy). */
static cairo_surface_t *draw_one(int W, int H, const evm_theme_def *th,
                                 const evm_event_type *t, double cx,
                                 double cy, double size, int claimed,
                                 unsigned bg, int with_bg)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    cairo_t *cr = cairo_create(s);
    if (with_bg) {
        cairo_set_source_rgb(cr, ((bg >> 16) & 255) / 255.0,
                             ((bg >> 8) & 255) / 255.0, (bg & 255) / 255.0);
        cairo_paint(cr);
    }
    evm__draw_marker(cr, th, t, cx, cy, size, claimed);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static void test_protest_colour(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_LIGHT);
    evm_event_type t = mktype(EVM_CAT_PROTESTS, EVM_GLYPH_NONE);
    cairo_surface_t *s = draw_one(64, 64, th, &t, 32, 32, 20, 0, 0, 0);
    px_t p = pixel(s, 32, 32);
    CHECK(p.a == 255, "protest centre opaque (alpha %d)", p.a);
    CHECK(abs(p.r - 0x00) <= 3 && abs(p.g - 0x72) <= 3 &&
              abs(p.b - 0xB2) <= 3,
          "protest centre is #0072B2, got #%02x%02x%02x", p.r, p.g, p.b);
    cairo_surface_destroy(s);

    /* Every category's fill colour shows inside its marker (at a spot
     * clear of the inner mark). */
    for (int c = 0; c < EVM_CAT_COUNT; c++) {
        evm_event_type tc = mktype((evm_category)c, EVM_GLYPH_NONE);
        s = draw_one(64, 64, th, &tc, 32, 32, 28, 0, 0, 0);
        unsigned want = th->cat_color[c];
        int found = 0;
        for (int y = 20; y < 44 && !found; y++)
            for (int x = 20; x < 44 && !found; x++) {
                px_t q = pixel(s, x, y);
                found = q.a == 255 &&
                        abs(q.r - (int)(want >> 16)) <= 3 &&
                        abs(q.g - (int)((want >> 8) & 255)) <= 3 &&
                        abs(q.b - (int)(want & 255)) <= 3;
            }
        CHECK(found, "%s marker shows its colour #%06x", cat_name[c], want);
        cairo_surface_destroy(s);
    }

    /* The halo: white just outside the shape, over a black ground. */
    s = draw_one(64, 64, th, &t, 32, 32, 20, 0, 0x000000, 1);
    p = pixel(s, 42, 32);
    CHECK(p.r > 230 && p.g > 230 && p.b > 230,
          "white halo right of the protest marker, got #%02x%02x%02x",
          p.r, p.g, p.b);
    cairo_surface_destroy(s);
}

/* Nothing is drawn beyond size/2 + halo (+1 px of antialiasing). */
static void test_extent(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_LIGHT);
    const double sizes[] = { 12, 20, 40 };
    int bad = 0, empty = 0;
    for (int si = 0; si < 3; si++) {
        double size = sizes[si];
        double lim = size / 2 + EVM_MARKER_HALO + 1.0;
        for (int c = 0; c < EVM_CAT_COUNT; c++)
            for (int g = 0; g < EVM_GLYPH_COUNT; g++)
                for (int cl = 0; cl < 2; cl++) {
                    evm_event_type t = mktype((evm_category)c,
                                              (evm_glyph)g);
                    cairo_surface_t *s =
                        draw_one(80, 80, th, &t, 40, 40, size, cl, 0, 0);
                    int drawn = 0;
                    for (int y = 0; y < 80; y++)
                        for (int x = 0; x < 80; x++) {
                            px_t p = pixel(s, x, y);
                            if (!p.a)
                                continue;
                            drawn++;
                            double dx = fabs(x + 0.5 - 40),
                                   dy = fabs(y + 0.5 - 40);
                            if (dx > lim || dy > lim)
                                bad++;
                        }
                    if (drawn < size * size / 4)
                        empty++;
                    cairo_surface_destroy(s);
                }
    }
    CHECK(bad == 0, "%d pixels drawn beyond size/2 + halo", bad);
    CHECK(empty == 0, "%d markers drew (almost) nothing", empty);
}

static void test_sizes(void)
{
    CHECK_NEAR(evm__marker_size(-1, 1), 14, 1e-9, "no fatalities: base");
    CHECK_NEAR(evm__marker_size(0, 1), 14, 1e-9, "zero fatalities: base");
    CHECK(evm__marker_size(1, 1) > 14, "one fatality is larger");
    double prev = 0;
    int mono = 1;
    for (int f = 0; f <= 5000; f++) {
        double s = evm__marker_size(f, 1);
        if (s < prev - 1e-12 || s > 40 + 1e-9)
            mono = 0;
        prev = s;
    }
    CHECK(mono, "sizes grow monotonically and stay <= 40");
    CHECK_NEAR(evm__marker_size(100000, 1), 40, 1e-9, "capped at 40");
    CHECK_NEAR(evm__marker_size(1000000000, 2), 80, 1e-9, "cap scales");
    CHECK_NEAR(evm__marker_size(7, 3), 3 * evm__marker_size(7, 1), 1e-9,
               "scale multiplies");
    /* Area grows in proportion to fatalities (above the base area). */
    double a0 = pow(evm__marker_size(0, 1), 2);
    double a10 = pow(evm__marker_size(10, 1), 2) - a0;
    double a20 = pow(evm__marker_size(20, 1), 2) - a0;
    CHECK_NEAR(a20 / a10, 2.0, 1e-9, "area proportional to fatalities");
}

static int chroma(px_t p)
{
    int mx = p.r > p.g ? (p.r > p.b ? p.r : p.b) : (p.g > p.b ? p.g : p.b);
    int mn = p.r < p.g ? (p.r < p.b ? p.r : p.b) : (p.g < p.b ? p.g : p.b);
    return mx - mn;
}

static void test_print_grey(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_PRINT);
    CHECK(th->greyscale, "print theme is flagged greyscale");
    int worst = 0;
    for (int c = 0; c < EVM_CAT_COUNT; c++)
        for (int g = 0; g < EVM_GLYPH_COUNT; g++)
            for (int cl = 0; cl < 2; cl++) {
                evm_event_type t = mktype((evm_category)c, (evm_glyph)g);
                cairo_surface_t *s = draw_one(48, 48, th, &t, 24, 24, 28,
                                              cl, th->land, 1);
                for (int y = 0; y < 48; y++)
                    for (int x = 0; x < 48; x++) {
                        int ch = chroma(pixel(s, x, y));
                        if (ch > worst)
                            worst = ch;
                    }
                cairo_surface_destroy(s);
            }
    CHECK(worst <= 2, "print markers are grey (max chroma %d)", worst);
    /* And so is every colour of the print table. */
    int col = 0;
    for (int c = 0; c < EVM_CAT_COUNT; c++) {
        unsigned v = th->cat_color[c];
        col |= ((v >> 16) & 255) != (v & 255) ||
               ((v >> 8) & 255) != (v & 255);
    }
    for (int i = 0; i < 4; i++) {
        unsigned v = th->side_color[i];
        col |= ((v >> 16) & 255) != (v & 255) ||
               ((v >> 8) & 255) != (v & 255);
    }
    CHECK(!col, "print theme event and side colours are greys");
}

/* Opaque-pixel mask (alpha > 127) or ink mask (light pixel inside). */
static void mask_of(const evm_theme_def *th, evm_category c, evm_glyph g,
                    int claimed, int ink, unsigned char *m)
{
    evm_event_type t = mktype(c, g);
    cairo_surface_t *s = draw_one(40, 40, th, &t, 20, 20, 20, claimed, 0, 0);
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 40; x++) {
            px_t p = pixel(s, x, y);
            int d = abs(x - 20) <= 7 && abs(y - 20) <= 7;
            m[y * 40 + x] = ink ? (unsigned char)(d && p.a > 200 &&
                                                  p.r + p.g + p.b > 600)
                                : (unsigned char)(p.a > 127);
        }
    cairo_surface_destroy(s);
}

static int mask_diff(const unsigned char *a, const unsigned char *b)
{
    int n = 0;
    for (int i = 0; i < 1600; i++)
        n += a[i] != b[i];
    return n;
}

/* In the print theme only shape tells the types apart: outlines of the
 * categories differ, and so do the glyphs inside one category. */
static void test_distinct(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_PRINT);
    static unsigned char m[EVM_CAT_COUNT][1600];
    for (int c = 0; c < EVM_CAT_COUNT; c++)
        mask_of(th, (evm_category)c, EVM_GLYPH_NONE, 0, 0, m[c]);
    int min = 1600, ma = 0, mb = 0;
    for (int a = 0; a < EVM_CAT_COUNT; a++)
        for (int b = a + 1; b < EVM_CAT_COUNT; b++) {
            int d = mask_diff(m[a], m[b]);
            if (d < min) {
                min = d;
                ma = a;
                mb = b;
            }
        }
    CHECK(min >= 12, "outlines differ: %s vs %s differ in %d px",
          cat_name[ma], cat_name[mb], min);

    static unsigned char gm[EVM_GLYPH_COUNT][1600];
    const evm_category in[] = { EVM_CAT_STRATEGIC, EVM_CAT_INFRA };
    for (int k = 0; k < 2; k++) {
        for (int g = 0; g < EVM_GLYPH_COUNT; g++)
            mask_of(th, in[k], (evm_glyph)g, 0, 1, gm[g]);
        int gmin = 1600, ga = 0, gb = 0;
        for (int a = 0; a < EVM_GLYPH_COUNT; a++)
            for (int b = a + 1; b < EVM_GLYPH_COUNT; b++) {
                int d = mask_diff(gm[a], gm[b]);
                if (d < gmin) {
                    gmin = d;
                    ga = a;
                    gb = b;
                }
            }
        CHECK(gmin >= 8, "%s glyphs differ: %s vs %s differ in %d px",
              cat_name[in[k]], glyph_name[ga], glyph_name[gb], gmin);
    }
}

static double lum(px_t p)
{
    return 0.2126 * p.r + 0.7152 * p.g + 0.0722 * p.b;
}

static void test_claimed(void)
{
    const evm_theme_def *th = evm__theme(EVM_THEME_PRINT);
    evm_event_type t = mktype(EVM_CAT_PROTESTS, EVM_GLYPH_NONE);
    cairo_surface_t *a = draw_one(64, 64, th, &t, 32, 32, 28, 0, 0, 0);
    cairo_surface_t *c = draw_one(64, 64, th, &t, 32, 32, 28, 1, 0, 0);
    CHECK(lum(pixel(c, 32, 32)) > lum(pixel(a, 32, 32)) + 40,
          "claimed fill is lighter (%.0f vs %.0f)", lum(pixel(c, 32, 32)),
          lum(pixel(a, 32, 32)));
    /* The outline is dashed: walking round the rim meets both outline
     * ink and gaps showing the halo under it. */
    int dark = 0, light = 0;
    for (int i = 0; i < 360; i++) {
        double ang = i * M_PI / 180;
        double r = 14 - 1.0;
        int x = (int)floor(32 + r * cos(ang)), y = (int)floor(32 + r * sin(ang));
        double l = lum(pixel(c, x, y));
        dark += l < 120;
        light += l > 200;
    }
    CHECK(dark > 20 && light > 20, "claimed outline dashed (%d dark, "
          "%d light samples on the rim)", dark, light);
    cairo_surface_destroy(a);
    cairo_surface_destroy(c);
}

/* ------------------------------------------------------------------ text */

static void test_text(void)
{
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 80);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    PangoLayout *l = evm__text_layout(cr, NULL, 0, 16, "Алматы", 0, 0);
    double w = 0, h = 0;
    evm__text_size(l, &w, &h);
    CHECK(w > 16 && h > 10, "Алматы has a size (%.1f x %.1f)", w, h);
    CHECK(evm__text_missing_glyphs(l) == 0, "Алматы has no missing glyphs");
    evm__text_draw(cr, l, 10, 10, 0x1f1f1f, 0xffffff, 2.5);
    cairo_surface_flush(s);
    int darkpx = 0, outside = 0;
    for (int y = 0; y < 80; y++)
        for (int x = 0; x < 240; x++) {
            px_t p = pixel(s, x, y);
            if (lum(p) < 100) {
                darkpx++;
                if (x < 10 - 1 || x > 10 + w + 1 || y < 10 - 1 ||
                    y > 10 + h + 1)
                    outside++;
            }
        }
    CHECK(darkpx > 30, "Алматы draws dark pixels (%d)", darkpx);
    CHECK(outside == 0, "text stays in its logical box (%d outside)",
          outside);
    g_object_unref(l);

    l = evm__text_layout(cr, NULL, 0, 16, "الفاشر", 0, 0);
    evm__text_size(l, &w, &h);
    CHECK(w > 10 && h > 10, "الفاشر has a size (%.1f x %.1f)", w, h);
    CHECK(evm__text_missing_glyphs(l) == 0, "الفاشر has no missing glyphs");
    g_object_unref(l);

    l = evm__text_layout(cr, NULL, 1, 12, "алматы and almaty", 0, 1);
    CHECK_STR(pango_layout_get_text(l), "АЛМАТЫ AND ALMATY",
              "uppercase is Unicode-aware");
    double w0;
    evm__text_size(l, &w0, NULL);
    g_object_unref(l);
    l = evm__text_layout(cr, NULL, 1, 12, "алматы and almaty", 0.12, 1);
    evm__text_size(l, &w, NULL);
    /* 17 characters, each followed by 0.12 em of extra space. */
    CHECK(w > w0 + 0.12 * 12 * 14, "letter spacing widens (%.1f -> %.1f)",
          w0, w);
    g_object_unref(l);

    /* Bold is wider than regular for the same text. */
    l = evm__text_layout(cr, NULL, 0, 20, "Karaganda", 0, 0);
    evm__text_size(l, &w0, NULL);
    g_object_unref(l);
    l = evm__text_layout(cr, NULL, 1, 20, "Karaganda", 0, 0);
    evm__text_size(l, &w, NULL);
    CHECK(w > w0, "bold is wider (%.1f vs %.1f)", w, w0);
    g_object_unref(l);

    /* Two-line label: two lines, taller than one. */
    l = evm__label_layout(cr, NULL, 12.5, "Almaty", "Clashes; dozens killed",
                          0);
    CHECK(pango_layout_get_line_count(l) == 2, "label has two lines");
    double lh;
    evm__text_size(l, NULL, &lh);
    PangoLayout *one = evm__label_layout(cr, NULL, 12.5, "Almaty", NULL, 0);
    double oh;
    evm__text_size(one, NULL, &oh);
    CHECK(pango_layout_get_line_count(one) == 1 && lh > oh * 1.6,
          "one-line label is half as tall (%.1f vs %.1f)", oh, lh);
    g_object_unref(one);
    g_object_unref(l);
    cairo_destroy(cr);

    /* Metrics do not depend on the output resolution: the same layout
     * under a 3.3x transform measures the same in user units. */
    cr = cairo_create(s);
    l = evm__text_layout(cr, NULL, 0, 12.5, "Karaganda protests", 0, 0);
    evm__text_size(l, &w0, NULL);
    g_object_unref(l);
    cairo_scale(cr, 3.3, 3.3);
    l = evm__text_layout(cr, NULL, 0, 12.5, "Karaganda protests", 0, 0);
    evm__text_size(l, &w, NULL);
    CHECK(fabs(w - w0) < 0.01 * w0,
          "width independent of resolution (%.3f vs %.3f)", w0, w);
    g_object_unref(l);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* -------------------------------------------------------------- specimen */

static void specimen(const char *path)
{
    static const double sizes[] = { 12, 14, 20, 28 };
    static const double cellw[] = { 22, 24, 30, 38 };
    const double rowh = 36, left = 150, top = 34, head = 30;
    double groupw = 0;
    for (int i = 0; i < 4; i++)
        groupw += cellw[i];
    groupw += 10;
    int W = (int)(left + groupw * EVM_GLYPH_COUNT + 10);
    double panel = head + rowh * EVM_CAT_COUNT * 2 + 16;
    int H = (int)(top + panel * 3);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    PangoLayout *l = evm__text_layout(
        cr, NULL, 1, 15, "evmap event markers: category x glyph, "
        "assessed and claimed, at 12, 14, 20, 28 px", 0, 0);
    evm__text_draw(cr, l, 10, 8, 0x1a1a1a, 0, 0);
    g_object_unref(l);
    for (int ti = 0; ti < 3; ti++) {
        const evm_theme_def *th = evm__theme((evm_theme)ti);
        double y0 = top + ti * panel;
        unsigned bg = th->land_focus;
        cairo_set_source_rgb(cr, ((bg >> 16) & 255) / 255.0,
                             ((bg >> 8) & 255) / 255.0, (bg & 255) / 255.0);
        cairo_rectangle(cr, 0, y0, W, panel - 6);
        cairo_fill(cr);
        l = evm__text_layout(cr, NULL, 1, 13, th->name, 0.1, 1);
        evm__text_draw(cr, l, 10, y0 + 6, th->text, 0, 0);
        g_object_unref(l);
        for (int g = 0; g < EVM_GLYPH_COUNT; g++) {
            l = evm__text_layout(cr, NULL, 0, 12, glyph_name[g], 0, 0);
            evm__text_draw(cr, l, left + g * groupw + 4, y0 + 8,
                           th->text_muted, 0, 0);
            g_object_unref(l);
        }
        for (int c = 0; c < EVM_CAT_COUNT; c++)
            for (int cl = 0; cl < 2; cl++) {
                double cy = y0 + head + (c * 2 + cl) * rowh + rowh / 2;
                char buf[64];
                snprintf(buf, sizeof buf, "%s%s", cat_name[c],
                         cl ? " (claimed)" : "");
                l = evm__text_layout(cr, NULL, cl ? 0 : 1, 12, buf, 0, 0);
                evm__text_draw(cr, l, 10, cy - 8, th->label_text, th->halo,
                               0);
                g_object_unref(l);
                for (int g = 0; g < EVM_GLYPH_COUNT; g++) {
                    double x = left + g * groupw;
                    evm_event_type t = mktype((evm_category)c, (evm_glyph)g);
                    for (int si = 0; si < 4; si++) {
                        evm__draw_marker(cr, th, &t, x + cellw[si] / 2,
                                         cy, sizes[si], cl);
                        x += cellw[si];
                    }
                }
            }
    }
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, path);
    CHECK(st == CAIRO_STATUS_SUCCESS, "specimen written to %s", path);
    cairo_surface_destroy(s);
}

int main(void)
{
    test_protest_colour();
    test_extent();
    test_sizes();
    test_print_grey();
    test_distinct();
    test_claimed();
    test_text();
    const char *sp = getenv("EVM_SPECIMEN");
    if (sp && *sp)
        specimen(sp);
    TEST_REPORT();
}
