/* The model's builders: deep copies of events, movements and areas
 * appended to a map (from a table's rows, or a spec's events: { from:
 * FILE }). Contracts in build.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/build.h"

static char *dup_or_null(const char *s, int *bad)
{
    if (!s)
        return NULL;
    char *d = evm__strdup(s);
    if (!d)
        *bad = 1;
    return d;
}

static int grow_pow2(void **v, int n, size_t sz);

/* Contract in build.h. */
int evm__map_event_room(const evm_map *m, const char *file,
                        const evm_event *e, evm_error *err)
{
    if (m->nevents < EVM_MAX_MAP_EVENTS)
        return 0;
    evm_error_set(err, EVM_E_INPUT, "%s:%d: more than %d events to draw on "
                  "one map; narrow the table (--where, --date, --precision, "
                  "or where: in the spec) or convert it to GeoJSON or "
                  "GeoPackage, which streams any size",
                  file ? file : "<table>", e->pos.line, EVM_MAX_MAP_EVENTS);
    return -1;
}

/* Contract in build.h. */
int evm__map_add_row(evm_map *m, const char *file, const evm_event *e,
                     int keep_label, evm_error *err)
{
    if (evm__map_event_room(m, file, e, err) < 0)
        return -1;
    evm_event c = *e;
    if (!keep_label && c.label)
        c.label = (char *)"";
    if (evm__map_add_event(m, &c) < 0) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* Contract in build.h. */
int evm__map_add_event(evm_map *m, const evm_event *e)
{
    if (grow_pow2((void **)&m->events, m->nevents, sizeof *m->events) < 0)
        return -1;
    evm_event *d = &m->events[m->nevents];
    memset(d, 0, sizeof *d);
    int bad = 0;
    /* borrowed from the map's arena (evm_map_free knows): place names,
     * hints, type names, dates and sides repeat across rows and are kept
     * once; the record itself is the row's only heap cost */
    evm__strpool **sp = &m->strings;
    d->where.name = (char *)evm__strpool_intern(sp, e->where.name, &bad);
    d->where.h = (evm_placehint *)evm__strpool_hint(sp, e->where.h, &bad);
    d->where.borrowed = 1;
    d->where.has_coord = e->where.has_coord;
    d->where.lon = e->where.lon;
    d->where.lat = e->where.lat;
    memcpy(d->where.resolved_country, e->where.resolved_country, 3);
    d->where.precision = e->where.precision;
    d->where.pos = e->where.pos;
    d->type = e->type;
    d->date = (char *)evm__strpool_intern(sp, e->date, &bad);
    d->time = (char *)evm__strpool_copy(sp, e->time, &bad);
    d->label = e->label && !*e->label
                   ? (char *)"" /* a row label not kept (evm_map_load_table) */
                   : (char *)evm__strpool_copy(sp, e->label, &bad);
    d->fatalities = e->fatalities;
    d->side = (char *)evm__strpool_intern(sp, e->side, &bad);
    d->claimed = e->claimed;
    d->pos = e->pos;
    d->from_table = 1; /* only tables' rows come this way */
    m->nevents++;
    return bad ? -1 : 0;
}

/* Grows *v (n used) for one more element of size sz: capacity is the
 * next power of two (at least 16) above n, as every append keeps it. */
static int grow_pow2(void **v, int n, size_t sz)
{
    if (n >= (1 << 30))
        return -1;
    if (n >= 16 ? (n & (n - 1)) != 0 : n != 0)
        return 0;
    size_t cap = n ? (size_t)n * 2 : 16;
    void *p = evm__reallocarray(*v, cap, sz);
    if (!p)
        return -1;
    *v = p;
    return 0;
}

static void copy_ref(evm_placeref *d, const evm_placeref *s, int *bad)
{
    memset(d, 0, sizeof *d);
    d->name = dup_or_null(s->name, bad);
    d->has_coord = s->has_coord;
    d->lon = s->lon;
    d->lat = s->lat;
    if (evm__placehint_dup(s->h, &d->h) < 0)
        *bad = 1;
    memcpy(d->resolved_country, s->resolved_country, 3);
    d->precision = s->precision;
    d->pos = s->pos;
}

/* Contract in build.h. */
int evm__map_add_movement(evm_map *m, const evm_movement *mv)
{
    if (grow_pow2((void **)&m->movements, m->nmovements,
                  sizeof *m->movements) < 0)
        return -1;
    evm_movement *d = &m->movements[m->nmovements++];
    int bad = 0;
    memset(d, 0, sizeof *d);
    copy_ref(&d->from, &mv->from, &bad);
    copy_ref(&d->to, &mv->to, &bad);
    if (mv->nvia > 0) {
        if ((d->via = calloc((size_t)mv->nvia, sizeof *d->via))) {
            d->nvia = mv->nvia;
            for (int i = 0; i < mv->nvia; i++)
                copy_ref(&d->via[i], &mv->via[i], &bad);
        } else {
            bad = 1;
        }
    }
    d->type = mv->type;
    d->side = dup_or_null(mv->side, &bad);
    d->color = dup_or_null(mv->color, &bad);
    d->label = dup_or_null(mv->label, &bad);
    d->date = dup_or_null(mv->date, &bad);
    d->claimed = mv->claimed;
    d->pos = mv->pos;
    return bad ? -1 : 0;
}

/* Contract in build.h. */
int evm__map_add_area(evm_map *m, const evm_area *a)
{
    if (grow_pow2((void **)&m->areas, m->nareas, sizeof *m->areas) < 0)
        return -1;
    evm_area *d = &m->areas[m->nareas++];
    int bad = 0;
    memset(d, 0, sizeof *d);
    copy_ref(&d->where, &a->where, &bad);
    d->path = dup_or_null(a->path, &bad);
    d->type = dup_or_null(a->type, &bad);
    d->side = dup_or_null(a->side, &bad);
    d->color = dup_or_null(a->color, &bad);
    d->label = dup_or_null(a->label, &bad);
    d->date = dup_or_null(a->date, &bad);
    d->claimed = a->claimed;
    d->pos = a->pos;
    return bad ? -1 : 0;
}


static const char *const STYLE_NAMES[] = {"auto", "markers", "points",
                                          "hexbin", "heatmap"};

/* Contract in build.h. */
int evm__style_from_name(const char *name)
{
    for (int i = 0; name && i < 5; i++)
        if (!strcmp(name, STYLE_NAMES[i]))
            return i;
    return -1;
}

/* Contract in build.h. */
const char *evm__style_name(evm_style s)
{
    return (unsigned)s < 5 ? STYLE_NAMES[s] : "auto";
}

static const char *const MEASURE_NAMES[] = {"auto", "events", "fatalities",
                                            NULL};

/* Contract in evmap.h: the names, and what reporters call them. */
int evm_measure_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; MEASURE_NAMES[i]; i++)
        if (!strcasecmp(name, MEASURE_NAMES[i]))
            return i;
    if (!strcasecmp(name, "count"))
        return EVM_MEASURE_EVENTS;
    if (!strcasecmp(name, "deaths"))
        return EVM_MEASURE_FATALITIES;
    return -1;
}

/* Contract in build.h. */
const char *evm__measure_name(evm_measure k)
{
    return (unsigned)k < 3 ? MEASURE_NAMES[k] : "auto";
}

/* Contract in build.h. */
const char *evm__measure_nearest(const char *name)
{
    return name ? evm__nearest(name, MEASURE_NAMES, 3) : NULL;
}
