/* What the items of a spec mean: values (numbers, colours, dates, paths,
 * place names), place references, and the entries of events:,
 * movements:, areas:, places: and layers:. Each walks one node of the
 * YAML reader's tree (yaml.h) and names file:line:col on error. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/spec_int.h"

/* ---------------------------------------------------------------- values */


/* Copies optional text (n may be NULL; a YAML null leaves *out NULL). */
int evm__sp_opt_str(evm__yrd *r, const yaml_node_t *n, const char *key,
                    char **out)
{
    if (!n || is_null(n))
        return 0;
    const char *s = text(r, n, key);
    if (!s)
        return -1;
    /* text drawn on the map has limits (core.h): a label of 100,000
     * combining marks or newlines kept the text shaper busy for minutes */
    if (evm__text_cut(s) < n->data.scalar.length)
        return fail(r, n, "%s is too long: text on the map holds at most %d "
                    "characters on %d lines; shorten it", key,
                    EVM_TEXT_MAX_CHARS, EVM_TEXT_MAX_LINES);
    if (!(*out = evm__strdup(s)))
        return nomem(r);
    return 0;
}

/* A plain number (quoted text is refused: "1600" is a string). */
int evm__sp_number(evm__yrd *r, const yaml_node_t *n, const char *key,
                   double *v)
{
    char b[160];
    if (!is_plain(n) || is_null(n) || evm__parse_double(sval(n), v) < 0)
        return fail(r, n, "%s must be a number, got %s", key,
                    describe(r, n, b));
    return 0;
}

static int latlon(evm__yrd *r, const yaml_node_t *nlat,
                  const yaml_node_t *nlon, double *lat, double *lon)
{
    if (evm__sp_number(r, nlat, "lat", lat) < 0 ||
        evm__sp_number(r, nlon, "lon", lon) < 0)
        return -1;
    if (*lat < -90 || *lat > 90) {
        char b[40];
        evm__fmt_num(b, *lat, 6);
        return fail(r, nlat, "lat must be within -90..90, got %s%s", b,
                    fabs(*lon) <= 90 ? " (are lat and lon swapped?)" : "");
    }
    if (*lon < -180 || *lon > 180) {
        char b[40];
        evm__fmt_num(b, *lon, 6);
        return fail(r, nlon, "lon must be within -180..180, got %s", b);
    }
    return 0;
}

/* Case-insensitive match of n's text against a NULL-terminated word list;
 * returns the index or -1. */
int evm__sp_keyword(const yaml_node_t *n, const char *const *words)
{
    if (!is_scalar(n))
        return -1;
    for (int i = 0; words[i]; i++)
        if (!strcasecmp(sval(n), words[i]))
            return i;
    return -1;
}

static int confidence(evm__yrd *r, const yaml_node_t *n, int *claimed)
{
    static const char *const w[] = {"assessed", "claimed", NULL};
    if (!n || is_null(n))
        return 0;
    int i = evm__sp_keyword(n, w);
    if (i < 0) {
        char b[160];
        return fail(r, n, "confidence must be assessed or claimed, got %s",
                    describe(r, n, b));
    }
    *claimed = i == 1;
    return 0;
}

static int color(evm__yrd *r, const yaml_node_t *n, const char *key,
                 char **out)
{
    char c[8], b[160];
    if (!n)
        return 0;
    if (is_null(n))
        return fail(r, n, "%s is empty; quote colours (%s: \"#c00\"): an "
                          "unquoted # starts a YAML comment", key, key);
    if (!is_scalar(n) || evm__parse_color(sval(n), c) < 0)
        return fail(r, n, "%s must be a colour #rgb or #rrggbb (e.g. "
                          "\"#c00\"), got %s", key, describe(r, n, b));
    if (!(*out = evm__strdup(c)))
        return nomem(r);
    return 0;
}

/* A date (day or date-time): *date gets the day; *time (when time is not
 * NULL) the UTC instant, else a date-time is accepted but only its day
 * kept. */
static int date_value(evm__yrd *r, const yaml_node_t *n, char **date,
                      char **time)
{
    char d[11], t[21], why[80], b[160];
    if (!is_scalar(n) || is_null(n))
        return fail(r, n, "date must be an ISO 8601 day or date-time "
                          "(2022-01-06, 2022-01-06T14:00+06:00), got %s",
                    describe(r, n, b));
    if (evm__parse_date(sval(n), d, t, why) < 0)
        return fail(r, n, "bad date \"%.40s\": %s", sval(n), why);
    if (!(*date = evm__strdup(d)))
        return nomem(r);
    if (time && t[0] && !(*time = evm__strdup(t)))
        return nomem(r);
    return 0;
}

/* Stores a path relative to the spec's directory, resolved. Paths that
 * are absolute, URLs ("https://...") or GDAL connection strings
 * ("PG:dbname=...", "/vsizip/...") are kept as written. */
int evm__sp_path_value(evm__yrd *r, const yaml_node_t *n, const char *key,
                       char **out)
{
    const char *s = text(r, n, key);
    if (!s)
        return -1;
    if (!*s || is_null(n))
        return fail(r, n, "%s is empty; give a file name", key);
    const char *c = s;
    while ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'))
        c++;
    int scheme = c - s >= 2 && *c == ':';
    if (s[0] == '/' || scheme || r->dirlen == 0) {
        *out = evm__strdup(s);
    } else {
        size_t n1 = r->dirlen, n2 = strlen(s);
        *out = malloc(n1 + n2 + 1);
        if (*out) {
            memcpy(*out, r->file, n1);
            memcpy(*out + n1, s, n2 + 1);
        }
    }
    return *out ? 0 : nomem(r);
}

/* ---------------------------------------------------------------- places */

/* A place name: trimmed, non-empty, bounded, no control characters. */
int evm__sp_place_name(evm__yrd *r, const yaml_node_t *n, const char *key,
                       char **out)
{
    const char *s = text(r, n, key);
    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    if (!len || is_null(n))
        return fail(r, n, "%s is empty; give a place name", key);
    if (len > MAX_NAME)
        return fail(r, n, "%s is %zu bytes long; place names are at most "
                          "%d", key, len, MAX_NAME);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return fail(r, n, "%s contains a control character; write the "
                              "name on one line", key);
    if (!(*out = evm__strndup(s, len)))
        return nomem(r);
    return 0;
}

/* near: a place name, "LAT, LON" or {lat, lon}. */
static int near_value(evm__yrd *r, const yaml_node_t *n, evm_placehint *p)
{
    static const char *const keys[] = {"lat", "lon", NULL};
    if (n->type == YAML_MAPPING_NODE) {
        yaml_node_t *v[2];
        if (read_map(r, n, "near", keys, v) < 0)
            return -1;
        if (!v[0] || !v[1])
            return fail(r, n, "near needs both lat and lon");
        if (latlon(r, v[0], v[1], &p->near_lat, &p->near_lon) < 0)
            return -1;
        p->has_near_coord = 1;
        return 0;
    }
    if (!is_scalar(n))
        return fail(r, n, "near must be a place name, \"LAT, LON\" or "
                          "{lat: .., lon: ..}, got %s", type_word(n));
    const char *s = sval(n), *comma = strchr(s, ',');
    if (comma && comma - s < 40) {
        char a[40];
        double la, lo;
        memcpy(a, s, (size_t)(comma - s));
        a[comma - s] = '\0';
        if (evm__parse_double(a, &la) == 0 &&
            evm__parse_double(comma + 1, &lo) == 0) {
            if (la < -90 || la > 90 || lo < -180 || lo > 180)
                return fail(r, n, "near \"%.40s\" is not LAT, LON within "
                                  "-90..90, -180..180", s);
            p->near_lat = la;
            p->near_lon = lo;
            p->has_near_coord = 1;
            return 0;
        }
    }
    return evm__sp_place_name(r, n, "near", &p->near);
}

/* The hint keys of a place: country, kind, near. Each may be given once,
 * either in the place's own mapping or beside it. */
static int hints(evm__yrd *r, const yaml_node_t *country,
                 const yaml_node_t *kind, const yaml_node_t *near,
                 evm_placeref *pr)
{
    int any = (country && !is_null(country)) || (kind && !is_null(kind)) ||
              (near && !is_null(near));
    if (!any)
        return 0;
    evm_placehint *p = evm__placeref_hint(pr);
    if (!p)
        return nomem(r);
    if (country && !is_null(country)) {
        if (p->country)
            return fail(r, country, "country is given twice (here and in "
                                    "place:); keep one");
        if (evm__sp_place_name(r, country, "country", &p->country) < 0)
            return -1;
    }
    if (kind && !is_null(kind)) {
        if (p->kind)
            return fail(r, kind, "kind is given twice (here and in "
                                 "place:); keep one");
        if (evm__sp_place_name(r, kind, "kind", &p->kind) < 0)
            return -1;
    }
    if (near && !is_null(near)) {
        if (p->near || p->has_near_coord)
            return fail(r, near, "near is given twice (here and in "
                                 "place:); keep one");
        if (near_value(r, near, p) < 0)
            return -1;
    }
    return 0;
}

/* A place reference value: a name, or {name, lat, lon, country, kind,
 * near}. need_name: coordinates alone are not enough (extent). */
int evm__sp_placeref(evm__yrd *r, const yaml_node_t *n, const char *key,
                     evm_placeref *p, int need_name)
{
    static const char *const keys[] = {"name", "lat", "lon", "country",
                                       "kind", "near", NULL};
    enum { NAME, LAT, LON, COUNTRY, KIND, NEAR };
    p->pos.line = (int)n->start_mark.line + 1;
    p->pos.col = (int)n->start_mark.column + 1;
    if (is_scalar(n)) {
        if (is_null(n))
            return fail(r, n, "%s is empty; give a place name%s", key,
                        need_name ? "" : " or {lat: .., lon: ..}");
        return evm__sp_place_name(r, n, key, &p->name);
    }
    if (n->type != YAML_MAPPING_NODE)
        return fail(r, n, "%s must be a place name%s, got a list", key,
                    need_name ? " or {name: .., country: ..}"
                              : " or {lat: .., lon: ..}");
    yaml_node_t *v[6];
    if (read_map(r, n, key, keys, v) < 0)
        return -1;
    if (v[NAME] && evm__sp_place_name(r, v[NAME], "name", &p->name) < 0)
        return -1;
    if (v[LAT] || v[LON]) {
        if (need_name)
            return fail(r, v[LAT] ? v[LAT] : v[LON],
                        "%s takes a place name, not coordinates", key);
        if (!v[LAT] || !v[LON])
            return fail(r, n, "%s needs both lat and lon", key);
        if (latlon(r, v[LAT], v[LON], &p->lat, &p->lon) < 0)
            return -1;
        p->has_coord = 1;
    }
    if (!p->name && !p->has_coord)
        return fail(r, n, "%s needs a name%s", key,
                    need_name ? "" : " or lat and lon");
    return hints(r, v[COUNTRY], v[KIND], v[NEAR], p);
}

static int side_value(evm__yrd *r, yaml_node_t *side, yaml_node_t *actor,
                      char **out)
{
    if (side && actor)
        return fail(r, actor, "actor and side are the same key; keep one");
    return evm__sp_opt_str(r, side ? side : actor, side ? "side" : "actor",
                           out);
}

/* ---------------------------------------------------------------- events */

int evm__sp_event(evm__yrd *r, const yaml_node_t *n, evm_event *e)
{
    static const char *const keys[] = {
        "place", "lat", "lon", "country", "kind", "near", "type", "date",
        "time", "label", "fatalities", "side", "actor", "confidence", NULL};
    enum { PLACE, LAT, LON, COUNTRY, KIND, NEAR, TYPE, DATE, TIME, LABEL,
           FATAL, SIDE, ACTOR, CONF };
    yaml_node_t *v[14];
    char b[160];
    e->fatalities = -1;
    e->pos.line = (int)n->start_mark.line + 1;
    e->pos.col = (int)n->start_mark.column + 1;
    if (read_map(r, n, "event", keys, v) < 0)
        return -1;
    /* where */
    if (v[PLACE] && (!is_null(v[PLACE]) || (!v[LAT] && !v[LON])) &&
        evm__sp_placeref(r, v[PLACE], "place", &e->where, 0) < 0)
        return -1;
    if (v[LAT] || v[LON]) {
        if (!v[LAT] || !v[LON])
            return fail(r, v[LAT] ? v[LAT] : v[LON],
                        "%s needs %s too", v[LAT] ? "lat" : "lon",
                        v[LAT] ? "lon" : "lat");
        if (e->where.has_coord)
            return fail(r, v[LAT], "coordinates are given twice (here "
                                   "and in place:); keep one");
        if (latlon(r, v[LAT], v[LON], &e->where.lat, &e->where.lon) < 0)
            return -1;
        e->where.has_coord = 1;
        if (!e->where.name) {
            e->where.pos.line = (int)v[LAT]->start_mark.line + 1;
            e->where.pos.col = (int)v[LAT]->start_mark.column + 1;
        }
    }
    if (!e->where.name && !e->where.has_coord)
        return fail(r, n, "event needs a place (place: NAME) or "
                          "coordinates (lat: and lon:)");
    if (hints(r, v[COUNTRY], v[KIND], v[NEAR], &e->where) < 0)
        return -1;
    /* type */
    if (!v[TYPE] || is_null(v[TYPE]))
        return fail(r, v[TYPE] ? v[TYPE] : n,
                    "event needs a type (e.g. type: clash, protest, riot, "
                    "airstrike, seizure)");
    const char *tn = text(r, v[TYPE], "type");
    if (!tn)
        return -1;
    if (!(e->type = evm__event_type_find(tn))) {
        const char *s = evm__event_type_suggest(tn);
        if (s)
            return fail(r, v[TYPE], "unknown event type \"%.60s\" — did you "
                                    "mean \"%s\"?", tn, s);
        return fail(r, v[TYPE], "unknown event type \"%.60s\"; use an ACLED "
                                "event or sub-event type (Battles, Armed "
                                "clash, ...) or a short word such as "
                                "clash, airstrike, protest, riot, arrest, "
                                "seizure, outage or other", tn);
    }
    /* date and time */
    if (v[DATE] && !is_null(v[DATE]) &&
        date_value(r, v[DATE], &e->date, &e->time) < 0)
        return -1;
    if (v[TIME] && !is_null(v[TIME])) {
        char t[21], why[80], d[11];
        if (!is_scalar(v[TIME]))
            return fail(r, v[TIME], "time must be hh:mm, hh:mm:ss or a "
                                    "date-time, got %s",
                        describe(r, v[TIME], b));
        const char *s = sval(v[TIME]);
        if (e->time)
            return fail(r, v[TIME], "date already has a time of day; "
                                    "remove time: or give date as a day");
        if (strlen(s) >= 10 && s[4] == '-') {
            /* a full date-time */
            if (evm__parse_date(s, d, t, why) < 0)
                return fail(r, v[TIME], "bad time \"%.40s\": %s", s, why);
            if (!t[0])
                return fail(r, v[TIME], "time \"%.40s\" has no time of "
                                        "day; use date: for a day", s);
            if (e->date && strcmp(d, e->date))
                return fail(r, v[TIME], "time \"%.40s\" is on another day "
                                        "than date %s; give one of them",
                            s, e->date);
            if (!e->date && !(e->date = evm__strdup(d)))
                return nomem(r);
        } else {
            if (!e->date)
                return fail(r, v[TIME], "time needs a date; add date: "
                                        "YYYY-MM-DD");
            if (evm__parse_time_of_day(e->date, s, t, why) < 0)
                return fail(r, v[TIME], "bad time \"%.40s\": %s", s, why);
        }
        if (!(e->time = evm__strdup(t)))
            return nomem(r);
    }
    if (evm__sp_opt_str(r, v[LABEL], "label", &e->label) < 0)
        return -1;
    if (v[FATAL] && !is_null(v[FATAL])) {
        double f;
        if (!is_plain(v[FATAL]) || evm__parse_double(sval(v[FATAL]), &f) < 0 ||
            f < 0 || f > INT_MAX || f != floor(f))
            return fail(r, v[FATAL], "fatalities must be a whole number "
                                     ">= 0, got %s",
                        describe(r, v[FATAL], b));
        e->fatalities = (int)f;
    }
    if (side_value(r, v[SIDE], v[ACTOR], &e->side) < 0)
        return -1;
    int claimed = 0;
    if (confidence(r, v[CONF], &claimed) < 0)
        return -1;
    e->claimed = (unsigned char)claimed;
    return 0;
}

/* ------------------------------------------------------------- movements */

int evm__sp_movement(evm__yrd *r, const yaml_node_t *n, evm_movement *mv)
{
    static const char *const keys[] = {
        "from", "to", "via", "type", "side", "actor", "color", "label",
        "date", "confidence", NULL};
    enum { FROM, TO, VIA, TYPE, SIDE, ACTOR, COLOR, LABEL, DATE, CONF };
    yaml_node_t *v[10];
    mv->pos.line = (int)n->start_mark.line + 1;
    mv->pos.col = (int)n->start_mark.column + 1;
    if (read_map(r, n, "movement", keys, v) < 0)
        return -1;
    if (!v[FROM] || !v[TO])
        return fail(r, n, "movement needs from: and to: (place names or "
                          "{lat: .., lon: ..})");
    if (evm__sp_placeref(r, v[FROM], "from", &mv->from, 0) < 0 ||
        evm__sp_placeref(r, v[TO], "to", &mv->to, 0) < 0)
        return -1;
    if (v[VIA] && !is_null(v[VIA])) {
        yaml_node_t *l = v[VIA];
        if (l->type != YAML_SEQUENCE_NODE)
            return fail(r, l, "via must be a list of places, e.g. "
                              "via: [Astana, Karaganda]");
        size_t cnt = (size_t)(l->data.sequence.items.top -
                              l->data.sequence.items.start);
        if (cnt) {
            mv->via = evm__reallocarray(NULL, cnt, sizeof *mv->via);
            if (!mv->via)
                return nomem(r);
            for (size_t i = 0; i < cnt; i++) {
                yaml_node_t *it =
                    child(r, l, l->data.sequence.items.start[i]);
                if (!it)
                    return -1;
                memset(&mv->via[i], 0, sizeof mv->via[i]);
                mv->nvia++;
                if (evm__sp_placeref(r, it, "via", &mv->via[i], 0) < 0)
                    return -1;
            }
        }
    }
    mv->type = EVM_MOVE_ADVANCE;
    if (v[TYPE] && !is_null(v[TYPE])) {
        const char *t = text(r, v[TYPE], "type");
        if (!t)
            return -1;
        int k = evm__move_type_find(t);
        if (k < 0) {
            const char *names[EVM_MOVE_COUNT + 1];
            for (int i = 0; i < EVM_MOVE_COUNT; i++)
                names[i] = evm__move_type_str((evm_move_type)i);
            names[EVM_MOVE_COUNT] = NULL;
            const char *s = evm__nearest(t, names, 3);
            if (s)
                return fail(r, v[TYPE], "unknown movement type \"%.60s\" — "
                                        "did you mean \"%s\"?", t, s);
            return fail(r, v[TYPE], "unknown movement type \"%.60s\"; use "
                                    "advance, withdrawal, airlift, "
                                    "deployment, attack or supply", t);
        }
        mv->type = (evm_move_type)k;
    }
    if (side_value(r, v[SIDE], v[ACTOR], &mv->side) < 0 ||
        color(r, v[COLOR], "color", &mv->color) < 0 ||
        evm__sp_opt_str(r, v[LABEL], "label", &mv->label) < 0)
        return -1;
    if (v[DATE] && !is_null(v[DATE]) &&
        date_value(r, v[DATE], &mv->date, NULL) < 0)
        return -1;
    return confidence(r, v[CONF], &mv->claimed);
}

/* ----------------------------------------------------------------- areas */

int evm__sp_area(evm__yrd *r, const yaml_node_t *n, evm_area *a)
{
    static const char *const keys[] = {"place", "path", "type", "side",
                                       "actor", "color", "label", "date",
                                       "confidence", NULL};
    enum { PLACE, PATH, TYPE, SIDE, ACTOR, COLOR, LABEL, DATE, CONF };
    yaml_node_t *v[9];
    a->pos.line = (int)n->start_mark.line + 1;
    a->pos.col = (int)n->start_mark.column + 1;
    if (read_map(r, n, "area", keys, v) < 0)
        return -1;
    if ((!v[PLACE] || is_null(v[PLACE])) && (!v[PATH] || is_null(v[PATH])))
        return fail(r, n, "area needs a place (a country or region name) "
                          "or a path (a polygon file)");
    if (v[PLACE] && !is_null(v[PLACE]) &&
        evm__sp_placeref(r, v[PLACE], "place", &a->where, 1) < 0)
        return -1;
    if (v[PATH] && !is_null(v[PATH]) &&
        evm__sp_path_value(r, v[PATH], "path", &a->path) < 0)
        return -1;
    if (evm__sp_opt_str(r, v[TYPE], "type", &a->type) < 0 ||
        side_value(r, v[SIDE], v[ACTOR], &a->side) < 0 ||
        color(r, v[COLOR], "color", &a->color) < 0 ||
        evm__sp_opt_str(r, v[LABEL], "label", &a->label) < 0)
        return -1;
    if (v[DATE] && !is_null(v[DATE]) &&
        date_value(r, v[DATE], &a->date, NULL) < 0)
        return -1;
    return confidence(r, v[CONF], &a->claimed);
}

/* ------------------------------------------------------ places and layers */

int evm__sp_user_place(evm__yrd *r, const yaml_node_t *n,
                       evm_user_place *u)
{
    static const char *const keys[] = {"name", "lat", "lon", "country",
                                       "kind", NULL};
    enum { NAME, LAT, LON, COUNTRY, KIND };
    yaml_node_t *v[5];
    u->pos.line = (int)n->start_mark.line + 1;
    u->pos.col = (int)n->start_mark.column + 1;
    if (read_map(r, n, "places entry", keys, v) < 0)
        return -1;
    if (!v[NAME] || !v[LAT] || !v[LON])
        return fail(r, n, "a places entry needs name, lat and lon, e.g. "
                          "{ name: Republic Square, lat: 43.238, "
                          "lon: 76.9452 }");
    if (evm__sp_place_name(r, v[NAME], "name", &u->name) < 0 ||
        latlon(r, v[LAT], v[LON], &u->lat, &u->lon) < 0)
        return -1;
    if (v[COUNTRY] && !is_null(v[COUNTRY]) &&
        evm__sp_place_name(r, v[COUNTRY], "country", &u->country) < 0)
        return -1;
    if (v[KIND] && !is_null(v[KIND]) &&
        evm__sp_place_name(r, v[KIND], "kind", &u->kind) < 0)
        return -1;
    return 0;
}

int evm__sp_layer(evm__yrd *r, const yaml_node_t *n, evm_layer *l)
{
    static const char *const keys[] = {"path", "stroke", "fill", "width",
                                       NULL};
    enum { PATH, STROKE, FILL, WIDTH };
    yaml_node_t *v[4];
    l->pos.line = (int)n->start_mark.line + 1;
    l->pos.col = (int)n->start_mark.column + 1;
    if (read_map(r, n, "layer", keys, v) < 0)
        return -1;
    if (!v[PATH] || is_null(v[PATH]))
        return fail(r, n, "layer needs a path (a file GDAL can read, "
                          "relative to the spec)");
    if (evm__sp_path_value(r, v[PATH], "path", &l->path) < 0 ||
        color(r, v[STROKE], "stroke", &l->stroke) < 0 ||
        color(r, v[FILL], "fill", &l->fill) < 0)
        return -1;
    if (v[WIDTH] && !is_null(v[WIDTH])) {
        if (evm__sp_number(r, v[WIDTH], "width", &l->width) < 0)
            return -1;
        if (l->width <= 0 || l->width > 100) {
            char b[40];
            evm__fmt_num(b, l->width, 3);
            return fail(r, v[WIDTH], "width must be within 0..100 px (not "
                                     "0), got %s", b);
        }
    }
    return 0;
}
