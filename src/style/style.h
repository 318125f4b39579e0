/* Style decisions: what every output looks like, in one place that needs
 * no map being drawn and no cairo. The renderer draws with these values;
 * the exporters write them as simplestyle properties, so a GeoJSON opened
 * in a viewer shows the colours and dashes of the PNG.
 *   - themes: the colour tables of light, dark and print (theme.c);
 *   - the one colour parser ("#rgb", "#rrggbb");
 *   - the side palette: sides coloured in the order they first appear;
 *   - movement and area styles (dashes, widths, fills, hatches);
 *   - marker sizes by fatalities and the Maki names of marker symbols.
 * Sizes are in CSS px (1/96 inch); the renderer multiplies them by its
 * resolution. Colours are 0xRRGGBB. */
#ifndef EVM_STYLE_H
#define EVM_STYLE_H

#include "model.h"

/* ----------------------------------------------------------------- theme */
/* light, dark and print differ only in this data (src/style/theme.c). */
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
    unsigned inset_box;                  /* the map's extent in the inset */
    int greyscale;                       /* print: events black, shapes */
    /* text is the title colour, text_muted the subtitle's; halo is the
     * halo under event labels (the land colour). */
    unsigned label_text;                 /* event labels */
    unsigned leader;                     /* leader lines of moved labels */
    unsigned marker_halo;                /* ring around every marker */
    unsigned marker_glyph;               /* inner glyphs and marks */
    unsigned graticule;
    unsigned title;                      /* map title */
    unsigned area_default;               /* areas without side or colour */
} evm_theme_def;

/* The static table of theme t (never NULL; unknown values give light). */
const evm_theme_def *evm__theme(evm_theme t);

/* ---------------------------------------------------------------- colour */
/* Reads the colour "#rrggbb" or "#rgb" (hex digits, either case, nothing
 * else) into *rgb as 0xRRGGBB: 0, or -1 for NULL or anything else. The
 * one colour parser of evmap (the spec's values are checked with it). */
int evm__color_read(const char *s, unsigned *rgb);
/* evm__color_read's colour, or dflt when s is not one. */
unsigned evm__color_parse(const char *s, unsigned dflt);
/* Writes rgb as "#rrggbb" (lower case) into out (8 bytes). */
void evm__color_hex(char out[8], unsigned rgb);

/* ----------------------------------------------------------- side palette */
/* Sides get colours in the order they first appear: the first red, the
 * second blue, ... (the theme's side_color), so a side keeps its colour on
 * every map drawn from one spec. Names compare case-insensitively; at most
 * EVM_SIDES_MAX are remembered, sides past the fourth get side_unknown. */
#define EVM_SIDES_MAX 8
typedef struct evm__sides {
    const char *name[EVM_SIDES_MAX]; /* borrowed: the caller keeps them */
    int n;
} evm__sides;

/* The palette of map m: its movements' sides in order, then its areas'.
 * The names stay borrowed from m. m may be NULL (an empty palette). */
void evm__sides_of_map(evm__sides *sp, const evm_map *m);
/* The index of side (case-insensitive) in sp, or -1. */
int evm__sides_find(const evm__sides *sp, const char *side);
/* Adds side (borrowed: it must outlive sp) when it is new, non-empty and
 * there is room; returns its index, or -1 when it was not added. */
int evm__sides_add(evm__sides *sp, const char *side);
/* The colour of a thing of `side` (NULL or "": none) with its own colour
 * `override` (NULL: none; an unparsable one gives side_unknown). */
unsigned evm__side_color_of(const evm_theme_def *th, const evm__sides *sp,
                            const char *side, const char *override);

/* ------------------------------------------------------------- movements */
typedef struct evm__move_style {
    unsigned color;
    int dashed;           /* airlifts, deployments and claimed moves */
    int claimed;
    int open_head;        /* withdrawals: an open chevron */
    double dash_on, dash_off;   /* when dashed */
    const char *dasharray;      /* the same as simplestyle; NULL: solid */
    double w_tail, w_end;       /* the body tapers from tail to end */
    double head_w, head_len;
    double stroke_width;        /* simplestyle: the mean body width */
} evm__move_style;

/* The dashes of airlifts and deployments, and of claimed moves (shorter,
 * so that "claimed" reads apart), CSS px on and off. */
#define EVM_MOVE_DASH_ON 11
#define EVM_MOVE_DASH_OFF 6
#define EVM_CLAIMED_DASH_ON 6
#define EVM_CLAIMED_DASH_OFF 5

/* The style of movement mv in theme th with palette sp. */
void evm__move_style_of(const evm_theme_def *th, const evm__sides *sp,
                        const evm_movement *mv, evm__move_style *out);

/* ----------------------------------------------------------------- areas */
typedef struct evm__area_style {
    unsigned color;       /* its own colour, its side's, else the theme's */
    int hatched;          /* claimed: a 45-degree hatch, a dashed edge */
    double fill_alpha;    /* assessed: a flat fill of this opacity */
    double hatch_alpha, hatch_gap, hatch_width;
    double edge_alpha, edge_width;
    double dash_on, dash_off;   /* the edge, when hatched */
    const char *dasharray;      /* the same as simplestyle; NULL: solid */
    double fill_cover;    /* simplestyle fill-opacity: the share of the
                           * area the fill or the hatch covers */
} evm__area_style;

void evm__area_style_of(const evm_theme_def *th, const evm__sides *sp,
                        const evm_area *a, evm__area_style *out);

/* --------------------------------------------------------------- markers */
/* Marker size (px across) for a fatality count (< 0: not given), times
 * scale: 14 px base, area proportional to fatalities, capped at 40. */
double evm__marker_size(int fatalities, double scale);
/* The simplestyle marker-size ("small", "medium", "large") of a marker
 * for that many fatalities. */
const char *evm__marker_size_name(int fatalities);
/* The colour of event type t's marker (NULL: protests') in theme th. */
unsigned evm__marker_color(const evm_theme_def *th, const evm_event_type *t);
/* The Maki icon id (simplestyle marker-symbol) closest to t's marker: the
 * glyph's meaning when the type has one, else the category's shape. */
const char *evm__marker_symbol(const evm_event_type *t);

#endif
