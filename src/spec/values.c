/* Value parsers of the spec: colours and movement types. Dates and times
 * are the calendar's (core/date.c). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spec/spec.h"

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

/* See spec.h. */
int evm__parse_color(const char *s, char out[8])
{
    static const char hx[] = "0123456789abcdef";
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return -1;
    for (size_t i = 1; i < n; i++)
        if (hexval(s[i]) < 0)
            return -1;
    out[0] = '#';
    for (int i = 0; i < 3; i++) {
        int hi, lo;
        if (n == 4) {
            hi = lo = hexval(s[1 + i]);
        } else {
            hi = hexval(s[1 + 2 * i]);
            lo = hexval(s[2 + 2 * i]);
        }
        out[1 + 2 * i] = hx[hi];
        out[2 + 2 * i] = hx[lo];
    }
    out[7] = '\0';
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
