/* The draw state's helpers shared by every drawing file: colours on a
 * cairo context, labels drawn or reported, errors placed at the spec's
 * line, the date window, and the options' defaults. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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

/* Contract in render_int.h. */
unsigned evm__side_color(const evm_draw *d, const char *side,
                         const char *override)
{
    return evm__side_color_of(d->th, &d->sides, side, override);
}

/* Contract in render_int.h. */
void evm__warn(evm_draw *d, const char *fmt, ...)
{
    if (d->quiet || !d->warn)
        return;
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    /* a line of usual length needs no allocation */
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        d->warn(d->warn_ud, small);
    } else if (n >= 0) {
        char *line = malloc((size_t)n + 1);
        if (line) {
            vsnprintf(line, (size_t)n + 1, fmt, aq);
            d->warn(d->warn_ud, line);
            free(line);
        } else {
            d->nomem = 1; /* the render fails rather than lose it */
        }
    }
    va_end(aq);
}

/* Contract in render_int.h. */
void evm__label_unplaced(evm_draw *d, evm_srcpos pos, const char *text)
{
    if (d->verbose) {
        /* the first 60 characters name it (a table's label may be huge) */
        size_t n = 0;
        for (int c = 0; text && text[n] && c < 60; c++)
            for (n++; (text[n] & 0xc0) == 0x80; n++)
                ;
        evm__warn(d, "%s:%d:%d: label \"%.*s%s\" not shown (no room)",
                  d->m->file, pos.line, pos.col, (int)n, text ? text : "",
                  text && text[n] ? "\xe2\x80\xa6" : "");
    }
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
