/* Internal interfaces of the renderer (cairo + Pango). */
#ifndef EVM_RENDER_H
#define EVM_RENDER_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include "model.h"

/* ----------------------------------------------------------------- theme */
/* Colours are 0xRRGGBB. light, dark and print differ only in this data
 * (src/render/theme.c). */
typedef struct evm_theme_def {
    const char *name;
    unsigned water, land, land_focus, land_other;
    unsigned border, border_casing, admin1, river;
    unsigned country_label, city_dot, city_label;
    unsigned text, text_muted, footer, halo;
    unsigned legend_bg, legend_border;
    unsigned cat_color[EVM_CAT_COUNT];   /* event category colours */
    unsigned side_color[4];              /* movement sides in order */
    unsigned side_unknown;
    unsigned inset_box;
    int greyscale;                       /* print: events black, shapes */
} evm_theme_def;

const evm_theme_def *evm__theme(evm_theme t);

/* ---------------------------------------------------------------- markers */
/* Draws the marker of event type `t` centred at (x, y), `size` px across
 * (the symbol's bounding box), with a white 1.5 px halo, in the theme's
 * colours; `claimed` draws the outline dashed. Used by the map, the legend
 * and the tests alike (src/render/markers.c). */
void evm__draw_marker(cairo_t *cr, const evm_theme_def *th,
                      const evm_event_type *t, double x, double y,
                      double size, int claimed);
/* Marker size in px for a fatality count (-1: none): 14 px base, area
 * proportional to fatalities, 14..40 px, capped. */
double evm__marker_size(int fatalities, double scale);

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
/* A label of size w x h px to place near the anchor point (ax, ay), at
 * least `gap` px from the anchor's edge (the anchor's radius + margin).
 * Lower priority numbers are placed first. Returns the label's index. */
int evm__labeler_add(evm_labeler *lb, double ax, double ay, double gap,
                     double w, double h, int priority);
/* Places every label. Afterwards evm__labeler_result gives each label's
 * box; *placed = 0 when it could not be placed; *leader = 1 when it was
 * displaced and needs a leader line from the anchor. */
void evm__labeler_run(evm_labeler *lb);
void evm__labeler_result(const evm_labeler *lb, int i, evm_rect *box,
                         int *placed, int *leader);

#endif
