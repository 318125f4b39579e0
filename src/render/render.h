/* Internal interfaces of the renderer (cairo + Pango). */
#ifndef EVM_RENDER_H
#define EVM_RENDER_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include "model.h"
#include "style/style.h"

/* Themes, colours, marker sizes and symbols: src/style/style.h. */

/* --------------------------------------------------------------- drawing */
/* Draws map m as fmt (PNG, SVG or PDF; anything else: EVM_E_USAGE) to
 * path, as evm_map_render documents, with r's basemap and raster cache
 * (NULL: a renderer made and freed for this one map). The choice of
 * writer by format is src/write/write.c's, above the renderer and the
 * exporters. */
evm_status evm__render_draw(const evm_renderer *r, const evm_map *m,
                            const evm_render_opts *o, evm_format fmt,
                            const char *path, evm_error *err);

/* ---------------------------------------------------------------- markers */
/* Draws the marker of event type `t` centred at (x, y), `size` px across
 * (the symbol's bounding box), with a white 1.5 px halo, in the theme's
 * colours; `claimed` draws the outline dashed. Used by the map, the legend
 * and the tests alike (src/render/markers.c). */
void evm__draw_marker(cairo_t *cr, const evm_theme_def *th,
                      const evm_event_type *t, double x, double y,
                      double size, int claimed);
/* Halo width around a marker at line_scale 1, in px. */
#define EVM_MARKER_HALO 1.5
/* evm__draw_marker with the halo and outline widths multiplied by
 * line_scale (px per CSS px, for DPI); evm__draw_marker uses 1. The
 * drawing never reaches further than size / 2 + EVM_MARKER_HALO *
 * line_scale from (x, y). */
void evm__draw_marker_ex(cairo_t *cr, const evm_theme_def *th,
                         const evm_event_type *t, double x, double y,
                         double size, int claimed, double line_scale);

/* ------------------------------------------------------- label placement */
/* A placement engine (src/render/labels.c): labels with candidate positions
 * around an anchor, obstacles (markers, arrow heads, furniture), priorities.
 * No label overlaps another label or any obstacle; a label that cannot be
 * placed at a candidate is displaced further out with a leader line; one
 * that cannot be placed at all is reported back, never dropped silently. */
typedef struct evm_rect { double x0, y0, x1, y1; } evm_rect;

typedef struct evm_labeler evm_labeler;

/* frame: the drawable area; labels must lie fully inside it. */
evm_labeler *evm__labeler_new(evm_rect frame);
void evm__labeler_free(evm_labeler *lb);
/* An area nothing may cover. */
void evm__labeler_add_obstacle(evm_labeler *lb, evm_rect r);
/* A place's symbol: a disc of radius r round (x, y) that no label may
 * cover and no leader but its own place's (anchored at x, y) may
 * cross. */
void evm__labeler_add_symbol(evm_labeler *lb, double x, double y, double r);
/* A label of size w x h px to place near the anchor point (ax, ay), at
 * least `gap` px from the anchor's edge (the anchor's radius + margin).
 * Lower priority numbers are placed first. Returns the label's index. */
int evm__labeler_add(evm_labeler *lb, double ax, double ay, double gap,
                     double w, double h, int priority);
/* At most n of the labels marked by evm__labeler_limited are placed: the
 * first that find room, in order of priority (a map of a whole table
 * shows its 25 most important places that fit, not the 25 most
 * important whether they fit or not). */
void evm__labeler_set_limit(evm_labeler *lb, int n);
void evm__labeler_limited(evm_labeler *lb, int i);
/* Label i is drawn without a leader (an arrow's or an area's name): when
 * displaced it takes the nearest free box, whatever lies between. */
void evm__labeler_no_leader(evm_labeler *lb, int i);
/* Places every label. Afterwards evm__labeler_result gives each label's
 * box; *placed = 0 when it could not be placed; *leader = 1 when it was
 * displaced and needs a leader line from the anchor. */
void evm__labeler_run(evm_labeler *lb);
void evm__labeler_result(const evm_labeler *lb, int i, evm_rect *box,
                         int *placed, int *leader);
/* Boxes are compared exactly (touching is allowed): give label sizes
 * with their halo and any spacing wanted between labels included. A
 * displaced label's leader runs from `gap` px out from the anchor to
 * evm__rect_nearest(box). Leaders never cross a label or another
 * leader; they avoid other places' symbols and plain obstacles where they
 * can (a place walled in by symbols gets the leader crossing fewest);
 * later labels keep off them. */
/* Adds r as a placed box (a country name, a reference city) if it lies
 * inside the frame and collides with no label, obstacle or placed box;
 * returns 1 then, else 0 and nothing changes. Boxes added before
 * evm__labeler_run act as obstacles for the labels placed by it. */
int evm__labeler_try_place_fixed(evm_labeler *lb, evm_rect r);
/* 1 if r overlaps any obstacle, placed label, fixed box or leader line
 * (touching edges do not count), else 0. */
int evm__labeler_collides(const evm_labeler *lb, evm_rect r);
/* 1 once any call on lb (or the labeler_new that gave a NULL lb) ran out
 * of memory: an obstacle, label, box or leader is then missing, and
 * what was placed is not what the map asks for. Sticky: the caller checks
 * it after a step and fails with EVM_E_NOMEM. */
int evm__labeler_failed(const evm_labeler *lb);
/* Number of labels added, and of those that could not be placed. */
int evm__labeler_count(const evm_labeler *lb);
int evm__labeler_unplaced(const evm_labeler *lb);
/* Where a leader line from the anchor (ax, ay) to box r should end: the
 * point of r nearest to the anchor. */
void evm__rect_nearest(evm_rect r, double ax, double ay, double *x,
                       double *y);

/* ------------------------------------------------------------------ text */
/* Text over Pango (src/render/text.c). Hinting and metrics hinting are
 * off, so a layout measures the same at every output resolution. */
#define EVM_FONT "Noto Sans"
/* A layout of utf8 in `family` (NULL: EVM_FONT), bold or regular, px
 * (font size in device pixels), letter spacing in em (0: none),
 * uppercased first if `uppercase` (Unicode-aware: Cyrillic too). Lines
 * break only at '\n'. Caller frees with g_object_unref. Never NULL. */
PangoLayout *evm__text_layout(cairo_t *cr, const char *family, int bold,
                              double px, const char *utf8,
                              double letter_spacing_em, int uppercase);
/* A two-line event label: `name` bold, then `desc` regular on a second
 * line (either may be NULL or empty). align: 0 left, 1 centre, 2 right.
 * Caller frees with g_object_unref. Never NULL. */
PangoLayout *evm__label_layout(cairo_t *cr, const char *family, double px,
                               const char *name, const char *desc,
                               int align);
/* Draws l with its logical box's top-left at (x, y) in color (0xRRGGBB);
 * with halo_px > 0 a halo of that width in colour `halo` goes under it
 * (stroked outline, round joins). */
void evm__text_draw(cairo_t *cr, PangoLayout *l, double x, double y,
                    unsigned color, unsigned halo, double halo_px);
/* Logical width and height of l in px (either pointer may be NULL). */
void evm__text_size(PangoLayout *l, double *w, double *h);
/* Number of characters of l no installed font could draw (tofu). */
int evm__text_missing_glyphs(PangoLayout *l);

#endif
