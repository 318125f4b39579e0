/* Value parsers of the spec: colours (the style's one parser) and
 * movement types. Dates and times are the calendar's (core/date.c). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spec/spec.h"
#include "style/style.h"

/* See spec.h: the colour is read by style's one parser. */
int evm__parse_color(const char *s, char out[8])
{
    unsigned rgb;
    if (evm__color_read(s, &rgb) != 0)
        return -1;
    evm__color_hex(out, rgb);
    return 0;
}

static const char *const move_names[EVM_MOVE_COUNT] = {
    "advance", "withdrawal", "airlift", "deployment", "attack", "supply"};

/* See spec.h. */
int evm__move_type_find(const char *name)
{
    for (int i = 0; i < EVM_MOVE_COUNT; i++)
        if (strcasecmp(name, move_names[i]) == 0)
            return i;
    return -1;
}

/* See spec.h. */
const char *evm__move_type_str(evm_move_type t)
{
    return (int)t >= 0 && t < EVM_MOVE_COUNT ? move_names[t] : "advance";
}
