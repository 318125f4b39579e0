/* The draw state's helpers shared by every drawing file: colours on a
 * cairo context, labels drawn or reported, errors placed at the spec's
 * line, the date window, and the options' defaults. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

void evm_render_opts_init(evm_render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->theme = -1;
}

/* ------------------------------------------------------------- helpers */

void evm__set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0,
                         ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0);
}

void evm__set_rgba(cairo_t *cr, unsigned rgb, double a)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0,
                          ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0, a);
}

unsigned evm__color_rgb(const char *s, unsigned dflt)
{
    if (!s || s[0] != '#')
        return dflt;
    size_t n = strlen(s + 1);
    char *end;
    unsigned long v = strtoul(s + 1, &end, 16);
    if (*end)
        return dflt;
    if (n == 6)
        return (unsigned)v;
    if (n == 3)
        return (unsigned)((((v >> 8) & 15) * 17) << 16 |
                          (((v >> 4) & 15) * 17) << 8 | ((v & 15) * 17));
    return dflt;
}

/* Sides get colours in the order they first appear in the spec's
 * movements, then events and areas: the first red, the second blue, ...
 * so a side keeps its colour on every map drawn from one spec. */
unsigned evm__side_color(const evm_draw *d, const char *side,
                         const char *override)
{
    const evm_theme_def *th = d->th;
    if (override)
        return evm__color_rgb(override, th->side_unknown);
    if (!side || !*side)
        return th->side_unknown;
    const char *seen[8];
    int n = 0;
    const evm_map *m = d->m;
#define SEEN(sd)                                                          \
    do {                                                                  \
        const char *s_ = (sd);                                            \
        if (s_ && *s_) {                                                  \
            int f_ = 0;                                                   \
            for (int j_ = 0; j_ < n; j_++)                                \
                if (strcasecmp(seen[j_], s_) == 0)                        \
                    f_ = 1;                                               \
            if (!f_ && n < 8)                                             \
                seen[n++] = s_;                                           \
        }                                                                 \
    } while (0)
    for (int i = 0; i < m->nmovements; i++)
        SEEN(m->movements[i].side);
    for (int i = 0; i < m->nareas; i++)
        SEEN(m->areas[i].side);
#undef SEEN
    for (int i = 0; i < n; i++)
        if (strcasecmp(seen[i], side) == 0)
            return i < 4 ? th->side_color[i] : th->side_unknown;
    return th->side_unknown;
}

void evm__label_unplaced(evm_draw *d, evm_srcpos pos, const char *text)
{
    if (!d->quiet)
        fprintf(stderr, "evmap: %s:%d:%d: label \"%s\" could not be "
                "placed without overlap\n", d->m->file, pos.line, pos.col,
                text);
    d->unplaced++;
}

void evm__label_draw(evm_draw *d, int idx, const char *text, int bold,
                     double px, unsigned color, evm_srcpos pos)
{
    if (idx < 0 || !text)
        return;
    evm_rect box;
    int placed, lead;
    evm__labeler_result(d->lb, idx, &box, &placed, &lead);
    if (!placed) {
        evm__label_unplaced(d, pos, text);
        return;
    }
    PangoLayout *l = evm__text_layout(d->cr, "Noto Sans", bold, px * d->s,
                                      text, 0, 0);
    evm__text_draw(d->cr, l, box.x0, box.y0, color, d->th->halo,
                   2.5 * d->s);
    g_object_unref(l);
}

/* Contract in render_int.h. */
void evm__error_at(evm_error *err, const char *file, evm_srcpos pos,
                   const char *key)
{
    if (!err || pos.line <= 0 || !file)
        return;
    char why[700];
    snprintf(why, sizeof why, "%.690s", err->msg);
    snprintf(err->msg, sizeof err->msg, "%s:%d:%d: %s: %s", file, pos.line,
             pos.col, key, why);
}

int evm__in_window(const evm_draw *d, const char *date)
{
    if (!date)
        return 1;
    /* ISO days compare as strings */
    if (d->date_from && strncmp(date, d->date_from, 10) < 0)
        return 0;
    if (d->date_to && strncmp(date, d->date_to, 10) > 0)
        return 0;
    return 1;
}
