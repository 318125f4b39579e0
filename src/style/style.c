/* Style decisions shared by the renderer and the exporters; contracts in
 * style.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "style/style.h"

/* ---------------------------------------------------------------- colour */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Contract in style.h. */
int evm__color_read(const char *s, unsigned *rgb)
{
    if (!s || s[0] != '#')
        return -1;
    size_t n = strlen(s + 1);
    if (n != 3 && n != 6)
        return -1;
    unsigned v = 0;
    for (size_t i = 1; i <= n; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v << 4 | (unsigned)h;
        if (n == 3)
            v = v << 4 | (unsigned)h; /* #rgb is #rrggbb */
    }
    *rgb = v;
    return 0;
}

/* Contract in style.h. */
unsigned evm__color_parse(const char *s, unsigned dflt)
{
    unsigned v;
    return evm__color_read(s, &v) == 0 ? v : dflt;
}

/* Contract in style.h. */
void evm__color_hex(char out[8], unsigned rgb)
{
    static const char hx[] = "0123456789abcdef";
    out[0] = '#';
    for (int i = 0; i < 6; i++)
        out[1 + i] = hx[(rgb >> (20 - 4 * i)) & 15];
    out[7] = '\0';
}

/* ----------------------------------------------------------- side palette */

/* Contract in style.h. */
int evm__sides_find(const evm__sides *sp, const char *side)
{
    if (!side || !*side)
        return -1;
    for (int i = 0; i < sp->n; i++)
        if (strcasecmp(sp->name[i], side) == 0)
            return i;
    return -1;
}

/* Contract in style.h. */
int evm__sides_add(evm__sides *sp, const char *side)
{
    if (!side || !*side || evm__sides_find(sp, side) >= 0 ||
        sp->n >= EVM_SIDES_MAX)
        return -1;
    sp->name[sp->n] = side;
    return sp->n++;
}

/* Contract in style.h. */
void evm__sides_of_map(evm__sides *sp, const evm_map *m)
{
    memset(sp, 0, sizeof *sp);
    if (!m)
        return;
    for (int i = 0; i < m->nmovements; i++)
        evm__sides_add(sp, m->movements[i].side);
    for (int i = 0; i < m->nareas; i++)
        evm__sides_add(sp, m->areas[i].side);
}

/* Contract in style.h. */
unsigned evm__side_color_of(const evm_theme_def *th, const evm__sides *sp,
                            const char *side, const char *override)
{
    if (override)
        return evm__color_parse(override, th->side_unknown);
    int i = evm__sides_find(sp, side);
    return i >= 0 && i < 4 ? th->side_color[i] : th->side_unknown;
}

/* ------------------------------------------------------------- movements */

/* Contract in style.h. */
void evm__move_style_of(const evm_theme_def *th, const evm__sides *sp,
                        const evm_movement *mv, evm__move_style *out)
{
    memset(out, 0, sizeof *out);
    out->color = evm__side_color_of(th, sp, mv->side, mv->color);
    out->dashed = mv->type == EVM_MOVE_AIRLIFT ||
                  mv->type == EVM_MOVE_DEPLOYMENT || mv->claimed;
    out->claimed = mv->claimed;
    out->open_head = mv->type == EVM_MOVE_WITHDRAWAL;
    if (out->dashed) {
        out->dash_on = mv->claimed ? EVM_CLAIMED_DASH_ON : EVM_MOVE_DASH_ON;
        out->dash_off = mv->claimed ? EVM_CLAIMED_DASH_OFF
                                    : EVM_MOVE_DASH_OFF;
        out->dasharray = mv->claimed ? "6 5" : "11 6";
    }
    out->w_tail = mv->type == EVM_MOVE_ATTACK || mv->type == EVM_MOVE_ADVANCE
                      ? 8
                      : 6.5;
    out->w_end = 3.2;
    out->head_w = 15;
    out->head_len = 15;
    out->stroke_width = (out->w_tail + out->w_end) / 2;
}

/* ----------------------------------------------------------------- areas */

/* Contract in style.h. */
void evm__area_style_of(const evm_theme_def *th, const evm__sides *sp,
                        const evm_area *a, evm__area_style *out)
{
    memset(out, 0, sizeof *out);
    out->color = a->color || a->side
                     ? evm__side_color_of(th, sp, a->side, a->color)
                     : th->area_default;
    out->hatched = a->claimed;
    out->fill_alpha = 0.10;
    out->hatch_alpha = 0.85;
    out->hatch_gap = 6;
    out->hatch_width = 1;
    out->edge_alpha = 0.9;
    out->edge_width = 1.4;
    if (a->claimed) {
        out->dash_on = 5;
        out->dash_off = 3;
        out->dasharray = "5 3";
    }
    /* assessed: a 10% fill; claimed: a hatch covering about a fifth */
    out->fill_cover = a->claimed ? 0.2 : 0.1;
}

/* --------------------------------------------------------------- markers */

/* Base size and cap of a marker, in CSS px. */
#define MARKER_BASE 14.0
#define MARKER_MAX 40.0
/* Fatalities at which a marker's area has doubled over the base. */
#define FAT_DOUBLE 12.0

/* Marker size (px across) for a fatality count, times scale:
 *     size = 14 * sqrt(1 + f / 12), capped at 40.
 * The marker's area is the base area plus a part proportional to the
 * fatalities (doubling at 12), reaching the 40 px cap at 86 fatalities.
 * fatalities < 0 (not given) and 0 give the 14 px base. */
double evm__marker_size(int fatalities, double scale)
{
    if (!(scale > 0))
        scale = 1;
    double s = MARKER_BASE;
    if (fatalities > 0) {
        s = MARKER_BASE * sqrt(1.0 + fatalities / FAT_DOUBLE);
        if (s > MARKER_MAX)
            s = MARKER_MAX;
    }
    return s * scale;
}

/* Contract in style.h. */
const char *evm__marker_size_name(int fatalities)
{
    double ms = evm__marker_size(fatalities, 1);
    return ms <= 14.5 ? "small" : ms <= 24 ? "medium" : "large";
}

/* Contract in style.h. */
unsigned evm__marker_color(const evm_theme_def *th, const evm_event_type *t)
{
    return th->cat_color[t ? t->cat : EVM_CAT_PROTESTS];
}

/* Contract in style.h. */
const char *evm__marker_symbol(const evm_event_type *t)
{
    if (!t)
        return "circle";
    switch (t->glyph) {
    case EVM_GLYPH_FLAG: return "embassy";
    case EVM_GLYPH_BARS: return "prison";
    case EVM_GLYPH_SQUARE: return "town-hall";
    case EVM_GLYPH_DROP: return "oil-well";
    case EVM_GLYPH_RAILS: return "rail";
    case EVM_GLYPH_SIGNAL: return "communications-tower";
    case EVM_GLYPH_FIRE: return "fire-station";
    case EVM_GLYPH_PLANE: return "airport";
    default: break;
    }
    switch (t->cat) {
    case EVM_CAT_BATTLES: return "cross";
    case EVM_CAT_EXPLOSIONS: return "danger";
    case EVM_CAT_VIOLENCE_CIV: return "triangle";
    case EVM_CAT_PROTESTS: return "circle";
    case EVM_CAT_RIOTS: return "circle-stroked";
    case EVM_CAT_STRATEGIC: return "star";
    case EVM_CAT_INFRA: return "square";
    default: return "circle";
    }
}
