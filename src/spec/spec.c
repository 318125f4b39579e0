/* The map spec reader: YAML (and JSON, which libyaml reads as YAML flow
 * style) -> evm_map. libyaml builds the node tree with source marks; this
 * file walks it against the spec's schema, so that every error names
 * file:line:col, says what is wrong and what to do.
 *
 * Safety: input over 16 MB and invalid UTF-8 are refused before parsing;
 * the walk is bounded by the schema's fixed depth and by budgets of node
 * visits and text bytes proportional to the document's size, so aliases
 * (`*a`), even cyclic ones, cannot make it loop or blow up. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>
#include <yaml.h>

#include "core/core.h"
#include "spec/spec.h"
#include "tables/tables.h"

#define MAX_NAME 256 /* bytes in a place name */
#define MAX_DEPTH 32   /* nesting; a spec needs 6 */
#define MAX_ANCHORS 256
#define MAX_ALIASES 65536
#define MIN_PX 16
#define MAX_PX 20000

struct rd {
    const char *file;    /* name for messages */
    size_t dirlen;       /* length of the spec's directory prefix */
    yaml_document_t doc;
    evm_error *err;
    long budget;         /* node visits left */
    size_t bytes_left;   /* text bytes the walk may still take in */
    evm_map *m;
};

/* ------------------------------------------------------------ messages */

static int vfail(struct rd *r, int line, int col, const char *fmt,
                 va_list ap)
{
    char msg[900];
    vsnprintf(msg, sizeof msg, fmt, ap);
    evm_error_set(r->err, EVM_E_INPUT, "%s:%d:%d: %s", r->file, line, col,
                  msg);
    return -1;
}

/* Sets the error at node n's start ("file:line:col: ...") and returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(struct rd *r, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(r, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
          fmt, ap);
    va_end(ap);
    return -1;
}

static int nomem(struct rd *r)
{
    evm_error_set(r->err, EVM_E_NOMEM, "out of memory");
    return -1;
}

static int is_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE;
}

static const char *sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static int is_plain(const yaml_node_t *n)
{
    return is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A YAML null: an empty plain scalar, "~" or "null". */
static int is_null(const yaml_node_t *n)
{
    if (!is_plain(n))
        return 0;
    const char *s = sval(n);
    return !*s || !strcmp(s, "~") || !strcasecmp(s, "null");
}

/* Appends a short rendering of n to b (for "got ..." in messages). */
static void describe_into(struct rd *r, const yaml_node_t *n, char *b,
                          size_t cap, int depth)
{
    size_t len = strlen(b);
    if (len + 8 >= cap)
        return;
    if (is_scalar(n)) {
        if (is_null(n)) {
            snprintf(b + len, cap - len, "nothing");
            return;
        }
        const char *q = is_plain(n) ? "" : "\"";
        snprintf(b + len, cap - len, "%s%.40s%s%s", q, sval(n),
                 strlen(sval(n)) > 40 ? "..." : "", q);
        return;
    }
    if (n->type == YAML_MAPPING_NODE) {
        snprintf(b + len, cap - len, "%s", depth ? "{...}" : "a mapping");
        return;
    }
    if (depth) {
        snprintf(b + len, cap - len, "[...]");
        return;
    }
    snprintf(b + len, cap - len, "[");
    int i = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++, i++) {
        len = strlen(b);
        if (i == 4) {
            snprintf(b + len, cap - len, ", ...");
            break;
        }
        if (i)
            snprintf(b + len, cap - len, ", ");
        yaml_node_t *c = yaml_document_get_node(&r->doc, *it);
        if (c)
            describe_into(r, c, b, cap, depth + 1);
    }
    len = strlen(b);
    snprintf(b + len, cap - len, "]");
}

/* A short rendering of n: 42, "text", [0, 1000], a mapping. */
static const char *describe(struct rd *r, const yaml_node_t *n,
                            char b[160])
{
    b[0] = '\0';
    describe_into(r, n, b, 160, 0);
    return b;
}

static const char *type_word(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return "a single value";
}

/* ---------------------------------------------------------- tree walking */

/* Child node by id, counting the visit against the budget. */
static yaml_node_t *child(struct rd *r, const yaml_node_t *parent, int id)
{
    yaml_node_t *n = yaml_document_get_node(&r->doc, id);
    if (!n) {
        fail(r, parent, "internal error: dangling YAML node");
        return NULL;
    }
    if (--r->budget < 0) {
        fail(r, n, "the spec expands to too many values (check aliases "
                   "such as *name); write the values out");
        return NULL;
    }
    return n;
}

/* Reads the keys of mapping n (what names it in messages) into vals[i]
 * for keys[i] (NULL-terminated list). Unknown keys (with the nearest
 * valid one suggested) and duplicate keys are errors. */
static int read_map(struct rd *r, const yaml_node_t *n, const char *what,
                    const char *const *keys, yaml_node_t **vals)
{
    int nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    yaml_node_t *knode[32];
    for (int i = 0; i < nkeys && i < 32; i++) {
        vals[i] = NULL;
        knode[i] = NULL;
    }
    if (n->type != YAML_MAPPING_NODE) {
        char b[160];
        return fail(r, n, "%s must be a mapping of keys (key: value), got %s",
                    what, describe(r, n, b));
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = child(r, n, p->key);
        if (!k)
            return -1;
        yaml_node_t *v = child(r, n, p->value);
        if (!v)
            return -1;
        if (!is_scalar(k))
            return fail(r, k, "keys in %s must be plain words, not %s",
                        what, type_word(k));
        int idx = -1;
        for (int i = 0; i < nkeys; i++)
            if (!strcmp(sval(k), keys[i])) {
                idx = i;
                break;
            }
        if (idx < 0) {
            const char *near = evm__nearest(sval(k), keys, 2);
            if (!near) {
                /* "Title", "LABEL": the same word in another case */
                for (int i = 0; i < nkeys; i++)
                    if (!strcasecmp(sval(k), keys[i]))
                        near = keys[i];
            }
            if (near)
                return fail(r, k, "unknown key \"%.60s\" in %s — did you "
                                  "mean \"%s\"?", sval(k), what, near);
            size_t len = 0;
            char list[400] = "";
            for (int i = 0; i < nkeys; i++) {
                len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s",
                         i ? ", " : "", keys[i]);
            }
            return fail(r, k, "unknown key \"%.60s\" in %s; valid keys: %s",
                        sval(k), what, list);
        }
        if (knode[idx])
            return fail(r, k, "duplicate key \"%s\" in %s (first at %d:%d); "
                              "keep only one", keys[idx], what,
                        (int)knode[idx]->start_mark.line + 1,
                        (int)knode[idx]->start_mark.column + 1);
        knode[idx] = k;
        vals[idx] = v;
    }
    return 0;
}

/* The text of scalar n for key, or an error when n is a list/mapping. */
static const char *text(struct rd *r, const yaml_node_t *n, const char *key)
{
    if (!is_scalar(n)) {
        fail(r, n, "%s must be text, got %s", key, type_word(n));
        return NULL;
    }
    if (strlen(sval(n)) != n->data.scalar.length) {
        fail(r, n, "%s contains a NUL character; remove it", key);
        return NULL;
    }
    if (n->data.scalar.length > r->bytes_left) {
        fail(r, n, "the spec expands to too much text (check aliases such "
                   "as *name); write the values out");
        return NULL;
    }
    r->bytes_left -= n->data.scalar.length;
    return sval(n);
}

/* Copies optional text (n may be NULL; a YAML null leaves *out NULL). */
static int opt_str(struct rd *r, const yaml_node_t *n, const char *key,
                   char **out)
{
    if (!n || is_null(n))
        return 0;
    const char *s = text(r, n, key);
    if (!s)
        return -1;
    if (!(*out = evm__strdup(s)))
        return nomem(r);
    return 0;
}

/* A plain number (quoted text is refused: "1600" is a string). */
static int number(struct rd *r, const yaml_node_t *n, const char *key,
                  double *v)
{
    char b[160];
    if (!is_plain(n) || is_null(n) || evm__parse_double(sval(n), v) < 0)
        return fail(r, n, "%s must be a number, got %s", key,
                    describe(r, n, b));
    return 0;
}

static int latlon(struct rd *r, const yaml_node_t *nlat,
                  const yaml_node_t *nlon, double *lat, double *lon)
{
    if (number(r, nlat, "lat", lat) < 0 || number(r, nlon, "lon", lon) < 0)
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
static int keyword(const yaml_node_t *n, const char *const *words)
{
    if (!is_scalar(n))
        return -1;
    for (int i = 0; words[i]; i++)
        if (!strcasecmp(sval(n), words[i]))
            return i;
    return -1;
}

static int confidence(struct rd *r, const yaml_node_t *n, int *claimed)
{
    static const char *const w[] = {"assessed", "claimed", NULL};
    if (!n || is_null(n))
        return 0;
    int i = keyword(n, w);
    if (i < 0) {
        char b[160];
        return fail(r, n, "confidence must be assessed or claimed, got %s",
                    describe(r, n, b));
    }
    *claimed = i == 1;
    return 0;
}

static int color(struct rd *r, const yaml_node_t *n, const char *key,
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
static int date_value(struct rd *r, const yaml_node_t *n, char **date,
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
static int path_value(struct rd *r, const yaml_node_t *n, const char *key,
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
static int place_name(struct rd *r, const yaml_node_t *n, const char *key,
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
static int near_value(struct rd *r, const yaml_node_t *n, evm_placeref *p)
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
    return place_name(r, n, "near", &p->near);
}

/* The hint keys of a place: country, kind, near. Each may be given once,
 * either in the place's own mapping or beside it. */
static int hints(struct rd *r, const yaml_node_t *country,
                 const yaml_node_t *kind, const yaml_node_t *near,
                 evm_placeref *p)
{
    if (country && !is_null(country)) {
        if (p->country)
            return fail(r, country, "country is given twice (here and in "
                                    "place:); keep one");
        if (place_name(r, country, "country", &p->country) < 0)
            return -1;
    }
    if (kind && !is_null(kind)) {
        if (p->kind)
            return fail(r, kind, "kind is given twice (here and in "
                                 "place:); keep one");
        if (place_name(r, kind, "kind", &p->kind) < 0)
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
static int placeref(struct rd *r, const yaml_node_t *n, const char *key,
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
        return place_name(r, n, key, &p->name);
    }
    if (n->type != YAML_MAPPING_NODE)
        return fail(r, n, "%s must be a place name%s, got a list", key,
                    need_name ? " or {name: .., country: ..}"
                              : " or {lat: .., lon: ..}");
    yaml_node_t *v[6];
    if (read_map(r, n, key, keys, v) < 0)
        return -1;
    if (v[NAME] && place_name(r, v[NAME], "name", &p->name) < 0)
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

static int side_value(struct rd *r, yaml_node_t *side, yaml_node_t *actor,
                      char **out)
{
    if (side && actor)
        return fail(r, actor, "actor and side are the same key; keep one");
    return opt_str(r, side ? side : actor, side ? "side" : "actor", out);
}

/* ---------------------------------------------------------------- events */

static int event(struct rd *r, const yaml_node_t *n, evm_event *e)
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
        placeref(r, v[PLACE], "place", &e->where, 0) < 0)
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
    if (!(e->type_name = evm__strdup(tn)))
        return nomem(r);
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
    if (opt_str(r, v[LABEL], "label", &e->label) < 0)
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
    return confidence(r, v[CONF], &e->claimed);
}

/* ------------------------------------------------------------- movements */

static int movement(struct rd *r, const yaml_node_t *n, evm_movement *mv)
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
    if (placeref(r, v[FROM], "from", &mv->from, 0) < 0 ||
        placeref(r, v[TO], "to", &mv->to, 0) < 0)
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
                if (placeref(r, it, "via", &mv->via[i], 0) < 0)
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
        opt_str(r, v[LABEL], "label", &mv->label) < 0)
        return -1;
    if (v[DATE] && !is_null(v[DATE]) &&
        date_value(r, v[DATE], &mv->date, NULL) < 0)
        return -1;
    return confidence(r, v[CONF], &mv->claimed);
}

/* ----------------------------------------------------------------- areas */

static int area(struct rd *r, const yaml_node_t *n, evm_area *a)
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
        placeref(r, v[PLACE], "place", &a->where, 1) < 0)
        return -1;
    if (v[PATH] && !is_null(v[PATH]) &&
        path_value(r, v[PATH], "path", &a->path) < 0)
        return -1;
    if (opt_str(r, v[TYPE], "type", &a->type) < 0 ||
        side_value(r, v[SIDE], v[ACTOR], &a->side) < 0 ||
        color(r, v[COLOR], "color", &a->color) < 0 ||
        opt_str(r, v[LABEL], "label", &a->label) < 0)
        return -1;
    if (v[DATE] && !is_null(v[DATE]) &&
        date_value(r, v[DATE], &a->date, NULL) < 0)
        return -1;
    return confidence(r, v[CONF], &a->claimed);
}

/* ------------------------------------------------------ places and layers */

static int user_place(struct rd *r, const yaml_node_t *n, evm_user_place *u)
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
    if (place_name(r, v[NAME], "name", &u->name) < 0 ||
        latlon(r, v[LAT], v[LON], &u->lat, &u->lon) < 0)
        return -1;
    if (v[COUNTRY] && !is_null(v[COUNTRY]) &&
        place_name(r, v[COUNTRY], "country", &u->country) < 0)
        return -1;
    if (v[KIND] && !is_null(v[KIND]) &&
        place_name(r, v[KIND], "kind", &u->kind) < 0)
        return -1;
    return 0;
}

static int layer(struct rd *r, const yaml_node_t *n, evm_layer *l)
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
    if (path_value(r, v[PATH], "path", &l->path) < 0 ||
        color(r, v[STROKE], "stroke", &l->stroke) < 0 ||
        color(r, v[FILL], "fill", &l->fill) < 0)
        return -1;
    if (v[WIDTH] && !is_null(v[WIDTH])) {
        if (number(r, v[WIDTH], "width", &l->width) < 0)
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

/* Allocates *arr for list n's items and parses each with fn. *count
 * grows as items are parsed so a partial list frees cleanly. */
#define READ_LIST(r, n, what, arr, count, fn)                               \
    do {                                                                   \
        if ((n)->type != YAML_SEQUENCE_NODE)                               \
            return fail(r, n, what " must be a list (one \"- ...\" item "  \
                                   "each), got %s", type_word(n));          \
        size_t cnt_ = (size_t)((n)->data.sequence.items.top -              \
                               (n)->data.sequence.items.start);            \
        if (cnt_ > INT_MAX)                                                \
            return fail(r, n, "too many " what);                           \
        if (!cnt_)                                                         \
            break;                                                         \
        if (!((arr) = evm__calloc(cnt_, sizeof *(arr))))                   \
            return nomem(r);                                               \
        for (size_t i_ = 0; i_ < cnt_; i_++) {                             \
            yaml_node_t *it_ =                                             \
                child(r, n, (n)->data.sequence.items.start[i_]);           \
            if (!it_)                                                      \
                return -1;                                                 \
            (count)++;                                                     \
            if (fn(r, it_, &(arr)[i_]) < 0)                                \
                return -1;                                                 \
        }                                                                  \
    } while (0)

/* --------------------------------------------------------- map settings */

static int size_value(struct rd *r, const yaml_node_t *n)
{
    char b[160];
    double w = 0, h = 0;
    int ok = 0;
    if (n->type == YAML_SEQUENCE_NODE &&
        n->data.sequence.items.top - n->data.sequence.items.start == 2) {
        yaml_node_t *a = child(r, n, n->data.sequence.items.start[0]);
        yaml_node_t *c = child(r, n, n->data.sequence.items.start[1]);
        if (!a || !c)
            return -1;
        ok = is_plain(a) && is_plain(c) &&
             evm__parse_double(sval(a), &w) == 0 &&
             evm__parse_double(sval(c), &h) == 0;
    } else if (is_scalar(n)) {
        /* "1600x1000", as the command line writes it */
        const char *s = sval(n), *x = strchr(s, 'x');
        char a[32];
        if (x && x - s < 32) {
            memcpy(a, s, (size_t)(x - s));
            a[x - s] = '\0';
            ok = evm__parse_double(a, &w) == 0 &&
                 evm__parse_double(x + 1, &h) == 0;
        }
    }
    if (!ok || w != floor(w) || h != floor(h) || w < MIN_PX || w > MAX_PX ||
        h < MIN_PX || h > MAX_PX)
        return fail(r, n, "size must be [width, height] in %d..%d px, got %s",
                    MIN_PX, MAX_PX, describe(r, n, b));
    r->m->width = (int)w;
    r->m->height = (int)h;
    return 0;
}

static int extent_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const what[4] = {"lon_min", "lat_min", "lon_max",
                                        "lat_max"};
    evm_map *m = r->m;
    char b[160];
    if (is_scalar(n) && !strcasecmp(sval(n), "auto")) {
        m->extent_mode = EVM_EXTENT_AUTO;
        return 0;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        if (n->data.sequence.items.top - n->data.sequence.items.start != 4)
            return fail(r, n, "extent must be [lon_min, lat_min, lon_max, "
                              "lat_max], got %s", describe(r, n, b));
        for (int i = 0; i < 4; i++) {
            yaml_node_t *c = child(r, n, n->data.sequence.items.start[i]);
            if (!c || number(r, c, what[i], &m->extent[i]) < 0)
                return -1;
            double lim = i % 2 ? 90 : 180, v = m->extent[i];
            if (v < -lim || v > lim) {
                char nb[40];
                evm__fmt_num(nb, v, 6);
                return fail(r, c, "extent %s must be within %d..%d, got %s",
                            what[i], -(int)lim, (int)lim, nb);
            }
        }
        if (m->extent[0] >= m->extent[2] || m->extent[1] >= m->extent[3])
            return fail(r, n, "extent must be [lon_min, lat_min, lon_max, "
                              "lat_max] with min < max, got %s",
                        describe(r, n, b));
        m->extent_mode = EVM_EXTENT_BBOX;
        return 0;
    }
    if (placeref(r, n, "extent", &m->extent_where, 1) < 0)
        return -1;
    if (!(m->extent_place = evm__strdup(m->extent_where.name)))
        return nomem(r);
    m->extent_mode = EVM_EXTENT_PLACE;
    return 0;
}

static int projection_value(struct rd *r, const yaml_node_t *n)
{
    const char *s = text(r, n, "projection");
    if (!s)
        return -1;
    if (is_null(n))
        return fail(r, n, "projection is empty; use auto, EPSG:nnnn or a "
                          "PROJ string");
    if (!strcasecmp(s, "auto"))
        return 0;
    if (!strncasecmp(s, "epsg:", 5)) {
        const char *d = s + 5;
        size_t k = strspn(d, "0123456789");
        if (!k || d[k] || k > 6)
            return fail(r, n, "bad projection \"%.60s\": EPSG codes are "
                              "digits, e.g. EPSG:3857", s);
        char buf[16];
        snprintf(buf, sizeof buf, "EPSG:%s", d);
        return (r->m->projection = evm__strdup(buf)) ? 0 : nomem(r);
    }
    /* Other authorities (ESRI:54030, IAU_2015:30100), PROJ strings and
     * WKT go to PROJ as written; PROJ judges them when the map is drawn. */
    size_t a = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789_");
    int authority = a >= 2 && s[a] == ':' && s[a + 1];
    int projstr = strstr(s, "proj=") != NULL || strstr(s, "init=") != NULL;
    int wkt = a >= 4 && s[a] == '[';
    if (authority || projstr || wkt)
        return (r->m->projection = evm__strdup(s)) ? 0 : nomem(r);
    static const char *const kw[] = {"auto", NULL};
    if (evm__nearest(s, kw, 2))
        return fail(r, n, "unknown projection \"%.60s\" — did you mean "
                          "\"auto\"?", s);
    return fail(r, n, "unknown projection \"%.60s\"; use auto, EPSG:nnnn "
                      "(e.g. EPSG:3857) or a PROJ string (e.g. "
                      "\"+proj=robin\")", s);
}

static int theme_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"light", "dark", "print", NULL};
    char b[160];
    int i = keyword(n, names);
    if (i >= 0) {
        r->m->theme = (evm_theme)i;
        return 0;
    }
    const char *s = is_scalar(n) ? evm__nearest(sval(n), names, 2) : NULL;
    if (s)
        return fail(r, n, "unknown theme %s — did you mean \"%s\"? (light, "
                          "dark or print)", describe(r, n, b), s);
    return fail(r, n, "theme must be light, dark or print, got %s",
                describe(r, n, b));
}

/* fallback: none | admin2 | admin1 | country */
static int fallback_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"none", "admin2", "admin1",
                                        "country", NULL};
    static const int level[] = {-1, EVM_PREC_ADMIN2, EVM_PREC_ADMIN1,
                                EVM_PREC_COUNTRY};
    char b[160];
    int i = keyword(n, names);
    if (i >= 0) {
        r->m->fallback = level[i];
        return 0;
    }
    return fail(r, n, "fallback must be none, admin2, admin1 or country "
                      "(the coarsest area an unknown place's qualifier may "
                      "stand for), got %s", describe(r, n, b));
}

static int inset_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"auto", "true", "false", "yes",
                                        "no", "on", "off", NULL};
    static const evm_inset_mode modes[] = {EVM_INSET_AUTO, EVM_INSET_ON,
                                           EVM_INSET_OFF, EVM_INSET_ON,
                                           EVM_INSET_OFF, EVM_INSET_ON,
                                           EVM_INSET_OFF};
    char b[160];
    int i = keyword(n, names);
    if (i < 0)
        return fail(r, n, "inset must be auto, true or false, got %s",
                    describe(r, n, b));
    r->m->inset = modes[i];
    return 0;
}

/* background: none | relief | a raster's path (anything GDAL reads with a
 * georeference; a word without a dot or slash is taken for a keyword) */
static int background_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"none", "relief", NULL};
    char b[160];
    r->m->background_pos.line = (int)n->start_mark.line + 1;
    r->m->background_pos.col = (int)n->start_mark.column + 1;
    int i = keyword(n, names);
    if (i >= 0) {
        r->m->background = i == 0 ? EVM_BG_NONE : EVM_BG_RELIEF;
        return 0;
    }
    if (!is_scalar(n))
        return fail(r, n, "background must be none, relief or a raster "
                          "file's path, got %s", describe(r, n, b));
    const char *s = sval(n);
    if (!strpbrk(s, "./\\:")) {
        const char *near = evm__nearest(s, names, 3);
        if (near)
            return fail(r, n, "unknown background \"%.60s\" — did you mean "
                              "\"%s\"? (none, relief or a raster file's "
                              "path)", s, near);
        return fail(r, n, "unknown background \"%.60s\": give none, relief "
                          "or a raster file's path", s);
    }
    if (path_value(r, n, "background", &r->m->background_path) < 0)
        return -1;
    r->m->background = EVM_BG_FILE;
    return 0;
}

static int context_value(struct rd *r, const yaml_node_t *n)
{
    static const char *const keys[] = {"country", NULL};
    yaml_node_t *v[1];
    if (read_map(r, n, "context", keys, v) < 0)
        return -1;
    if (v[0] && !is_null(v[0]) &&
        place_name(r, v[0], "country", &r->m->context_country) < 0)
        return -1;
    return 0;
}

/* Appends a table's event to the map (events: { from: FILE }). */
static int table_event(void *ud, const evm_event *e, const char *const *x,
                       evm_error *err)
{
    (void)x;
    if (evm__map_add_event(ud, e) < 0) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* `events: { from: FILE }`: the events of an event table (any format
 * evmap render TABLE reads; FILE relative to the spec), with optional
 * column names lat, lon, place, type, date. Places named in the table
 * resolve with the spec's own (evm_map_resolve); errors name the table's
 * file:line:col. */
static int events_from(struct rd *r, const yaml_node_t *n)
{
    static const char *const keys[] = {"from", "lat", "lon", "place",
                                       "type", "date", NULL};
    yaml_node_t *v[6];
    const char *col[6] = {NULL};
    char *path = NULL;
    if (read_map(r, n, "events", keys, v) < 0)
        return -1;
    if (!v[0] || is_null(v[0]))
        return fail(r, n, "events must be a list of events, or { from: "
                          "FILE } to read them from a table");
    if (path_value(r, v[0], "from", &path) < 0)
        return -1;
    for (int i = 1; i < 6; i++)
        if (v[i] && !is_null(v[i]) && !(col[i] = text(r, v[i], keys[i]))) {
            free(path);
            return -1;
        }
    evm_table_opts o;
    evm_table_opts_init(&o);
    o.lat = col[1];
    o.lon = col[2];
    o.place = col[3];
    o.type = col[4];
    o.date = col[5];
    evm__table_cb cb = {NULL, table_event, NULL, NULL, r->m};
    evm_error e;
    evm_error_clear(&e);
    evm_status st = evm__table_read(path, &o, 1, &cb, NULL, &e);
    free(path);
    if (st != EVM_OK) {
        if (e.code == EVM_E_IO || e.code == EVM_E_USAGE)
            return fail(r, v[0], "%s", e.msg);
        evm_error_set(r->err, e.code, "%s", e.msg);
        return -1;
    }
    return 0;
}

struct folded {
    char *name;                  /* case-folded */
    const evm_user_place *u;
};

static int cmp_folded(const void *a, const void *b)
{
    const struct folded *p = a, *q = b;
    int c = strcmp(p->name, q->name);
    if (c)
        return c;
    if (p->u->pos.line != q->u->pos.line)
        return p->u->pos.line < q->u->pos.line ? -1 : 1;
    return (p->u->pos.col > q->u->pos.col) - (p->u->pos.col < q->u->pos.col);
}

/* Two places: entries with the same name (after case folding) would
 * shadow each other silently. */
static int check_places(struct rd *r)
{
    evm_map *m = r->m;
    int rc = 0, n = m->nplaces;
    if (n < 2)
        return 0;
    struct folded *v = evm__calloc((size_t)n, sizeof *v);
    if (!v)
        return nomem(r);
    for (int i = 0; i < n && rc == 0; i++) {
        v[i].u = &m->places[i];
        if (!(v[i].name = evm__casefold(m->places[i].name)))
            rc = nomem(r);
    }
    if (rc == 0)
        qsort(v, (size_t)n, sizeof *v, cmp_folded);
    for (int i = 1; i < n && rc == 0; i++)
        if (!strcmp(v[i].name, v[i - 1].name)) {
            const evm_user_place *dup = v[i].u, *first = v[i - 1].u;
            evm_error_set(r->err, EVM_E_INPUT,
                          "%s:%d:%d: place \"%s\" is defined twice in "
                          "places: (first at %d:%d); keep one", r->file,
                          dup->pos.line, dup->pos.col, dup->name,
                          first->pos.line, first->pos.col);
            rc = -1;
        }
    for (int i = 0; i < n; i++)
        free(v[i].name);
    free(v);
    return rc;
}

/* ------------------------------------------------------------------ root */

static int root(struct rd *r, const yaml_node_t *n)
{
    static const char *const keys[] = {
        "title", "subtitle", "source", "size", "extent", "projection",
        "theme", "inset", "context", "places", "layers", "events",
        "movements", "areas", "background", "fallback", NULL};
    enum { TITLE, SUBTITLE, SOURCE, SIZE, EXTENT, PROJECTION, THEME, INSET,
           CONTEXT, PLACES, LAYERS, EVENTS, MOVEMENTS, AREAS, BACKGROUND,
           FALLBACK, NKEYS };
    yaml_node_t *v[NKEYS];
    evm_map *m = r->m;
    if (n->type != YAML_MAPPING_NODE || is_null(n)) {
        char b[160];
        return fail(r, n, "a spec is a mapping of keys (title:, events:, "
                          "...), got %s", describe(r, n, b));
    }
    if (read_map(r, n, "the spec", keys, v) < 0)
        return -1;
    /* handle keys in the order the file gives them, so the first error
     * reported is the first in the file */
    int order[NKEYS], k = 0;
    for (int i = 0; i < NKEYS; i++)
        if (v[i] && !is_null(v[i]))
            order[k++] = i;
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && v[order[j]]->start_mark.index <
                                     v[order[j - 1]]->start_mark.index; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < k; i++) {
        yaml_node_t *x = v[order[i]];
        int rc = 0;
        switch (order[i]) {
        case TITLE: rc = opt_str(r, x, "title", &m->title); break;
        case SUBTITLE: rc = opt_str(r, x, "subtitle", &m->subtitle); break;
        case SOURCE: rc = opt_str(r, x, "source", &m->source); break;
        case SIZE: rc = size_value(r, x); break;
        case EXTENT: rc = extent_value(r, x); break;
        case PROJECTION: rc = projection_value(r, x); break;
        case THEME: rc = theme_value(r, x); break;
        case INSET: rc = inset_value(r, x); break;
        case BACKGROUND: rc = background_value(r, x); break;
        case CONTEXT: rc = context_value(r, x); break;
        case FALLBACK: rc = fallback_value(r, x); break;
        case PLACES:
            READ_LIST(r, x, "places", m->places, m->nplaces, user_place);
            rc = check_places(r);
            break;
        case LAYERS:
            READ_LIST(r, x, "layers", m->layers, m->nlayers, layer);
            break;
        case EVENTS:
            if (x->type == YAML_MAPPING_NODE) {
                rc = events_from(r, x);
                break;
            }
            READ_LIST(r, x, "events", m->events, m->nevents, event);
            break;
        case MOVEMENTS:
            READ_LIST(r, x, "movements", m->movements, m->nmovements,
                      movement);
            break;
        case AREAS:
            READ_LIST(r, x, "areas", m->areas, m->nareas, area);
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ----------------------------------------------------------- entry points */

/* 1-based line and column (in characters) of byte offset off in buf. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line,
                       int *col)
{
    int l = 1, c = 1;
    size_t i = 0;
    if (off > len)
        off = len;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3; /* a BOM takes no column */
    for (; i < off; i++) {
        unsigned char ch = (unsigned char)buf[i];
        int crlf = ch == '\r' && i + 1 < len && buf[i + 1] == '\n';
        if (ch == '\n' || (ch == '\r' && !crlf)) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* The character at 0-based line/column (libyaml marks), or 0. */
static int char_at(const char *buf, size_t len, size_t line, size_t col)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    for (size_t c = 0; c < col && i < len; i++)
        if (((unsigned char)buf[i] & 0xC0) != 0x80)
            c++;
    while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
        i++;
    return i < len ? (unsigned char)buf[i] : 0;
}

static void syntax_error(struct rd *r, yaml_parser_t *p, const char *buf,
                         size_t len)
{
    int line, col;
    if (p->error == YAML_MEMORY_ERROR) {
        evm_error_set(r->err, EVM_E_NOMEM, "%s: out of memory", r->file);
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        offset_pos(buf, len, p->problem_offset, &line, &col);
        evm_error_set(r->err, EVM_E_INPUT, "%s:%d:%d: %s; save the spec as "
                      "plain UTF-8 text", r->file, line, col,
                      p->problem ? p->problem : "unreadable input");
        return;
    }
    line = (int)p->problem_mark.line + 1;
    col = (int)p->problem_mark.column + 1;
    int ch = char_at(buf, len, p->problem_mark.line, p->problem_mark.column);
    const char *hint = "check the indentation, and quote values that "
                       "contain \": \" or start with # [ { * & ! | >";
    if (ch == '\t')
        hint = "YAML indents with spaces, not tabs";
    char ctx[80] = "";
    if (p->context)
        snprintf(ctx, sizeof ctx, " (%s at %d:%d)", p->context,
                 (int)p->context_mark.line + 1,
                 (int)p->context_mark.column + 1);
    evm_error_set(r->err, EVM_E_INPUT, "%s:%d:%d: YAML syntax error: %s%s; %s",
                  r->file, line, col,
                  p->problem ? p->problem : "malformed YAML", ctx, hint);
}

/* A first pass over libyaml's events that refuses what would make its
 * document loader slow: libyaml's scanner rechecks every open flow level
 * on each token (quadratic in the nesting depth) and its loader looks
 * each alias up in a linear list of anchors (anchors x aliases). No spec
 * needs more than a handful of either. Syntax errors surface here too. */
static int prescan(struct rd *r, const char *buf, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, rc = 0;
    long anchors = 0, aliases = 0;
    if (!yaml_parser_initialize(&p))
        return nomem(r);
    yaml_parser_set_input_string(&p, (const unsigned char *)(len ? buf : ""),
                                 len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(r, &p, buf, len);
            rc = -1;
            break;
        }
        yaml_event_type_t t = ev.type;
        const unsigned char *anchor = NULL;
        if (t == YAML_SEQUENCE_START_EVENT)
            anchor = ev.data.sequence_start.anchor;
        else if (t == YAML_MAPPING_START_EVENT)
            anchor = ev.data.mapping_start.anchor;
        else if (t == YAML_SCALAR_EVENT)
            anchor = ev.data.scalar.anchor;
        char why[120] = "";
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > MAX_DEPTH)
                snprintf(why, sizeof why, "the spec nests more than %d "
                         "levels deep (a spec needs at most 6); check the "
                         "brackets", MAX_DEPTH);
        } else if (t == YAML_SEQUENCE_END_EVENT ||
                   t == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        if (anchor && ++anchors > MAX_ANCHORS)
            snprintf(why, sizeof why, "more than %d anchors (&name); write "
                     "the values out", MAX_ANCHORS);
        if (t == YAML_ALIAS_EVENT && ++aliases > MAX_ALIASES)
            snprintf(why, sizeof why, "more than %d aliases (*name); write "
                     "the values out", MAX_ALIASES);
        if (why[0]) {
            evm_error_set(r->err, EVM_E_INPUT, "%s:%d:%d: %s", r->file,
                          (int)ev.start_mark.line + 1,
                          (int)ev.start_mark.column + 1, why);
            rc = -1;
        }
        yaml_event_delete(&ev);
        if (rc || t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return rc;
}

/* Reads a spec from buf (len bytes; need not be NUL-terminated). name is
 * used in messages and its directory anchors relative paths. Returns a
 * new map (caller frees with evm_map_free) or NULL and err. */
evm_map *evm_map_load_buffer(const char *name, const char *buf, size_t len,
                             evm_error *err)
{
    struct rd r;
    yaml_parser_t p;
    int have_doc = 0, have_parser = 0;
    evm_map *m = NULL;
    memset(&r, 0, sizeof r);
    r.file = name ? name : "<spec>";
    r.err = err;
    const char *slash = strrchr(r.file, '/');
    r.dirlen = slash ? (size_t)(slash - r.file) + 1 : 0;
    if (!buf && len) {
        evm_error_set(err, EVM_E_USAGE, "%s: no buffer", r.file);
        return NULL;
    }
    if (len > EVM_SPEC_MAX_BYTES) {
        evm_error_set(err, EVM_E_TOOBIG, "%s: the spec is %zu bytes, over "
                      "the 16 MB limit; split it into several maps, or "
                      "pass large event tables to evmap render directly",
                      r.file, len);
        return NULL;
    }
    /* Invalid UTF-8: say where, before libyaml (which gives no line). */
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(
            (const utf8proc_uint8_t *)buf + i, (utf8proc_ssize_t)(len - i),
            &cp);
        if (k <= 0) {
            int line, col;
            offset_pos(buf, len, i, &line, &col);
            evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: invalid UTF-8 (byte "
                          "0x%02x); save the spec as UTF-8", r.file, line,
                          col, (unsigned char)buf[i]);
            return NULL;
        }
        i += (size_t)k;
    }
    if (prescan(&r, buf, len) < 0)
        return NULL;
    if (!yaml_parser_initialize(&p)) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    have_parser = 1;
    yaml_parser_set_input_string(&p, (const unsigned char *)(len ? buf : ""),
                                 len);
    /* The input is valid UTF-8 by now, so libyaml's encoding detection
     * can only find UTF-8; it also skips a leading BOM without counting
     * it as a column. */
    if (!yaml_parser_load(&p, &r.doc)) {
        syntax_error(&r, &p, buf, len);
        goto fail;
    }
    have_doc = 1;
    yaml_node_t *top = yaml_document_get_root_node(&r.doc);
    if (!top) {
        evm_error_set(err, EVM_E_INPUT, "%s:1:1: the spec is empty; write "
                      "at least events: (see evmap help render)", r.file);
        goto fail;
    }
    /* one document per spec */
    {
        yaml_document_t next;
        if (!yaml_parser_load(&p, &next)) {
            syntax_error(&r, &p, buf, len);
            goto fail;
        }
        yaml_node_t *nr = yaml_document_get_root_node(&next);
        if (nr) {
            evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: a second YAML "
                          "document (after ---); a spec is one document, "
                          "put each map in its own file", r.file,
                          (int)next.start_mark.line + 1,
                          (int)next.start_mark.column + 1);
            yaml_document_delete(&next);
            goto fail;
        }
        yaml_document_delete(&next);
    }
    /* Without aliases the walk visits each node about once and copies
     * each text once; the margins leave room for ordinary alias use. */
    r.budget = 16 * (long)(r.doc.nodes.top - r.doc.nodes.start) + 100000;
    r.bytes_left = 2 * len + ((size_t)1 << 20);
    if (!(m = evm__map_new(r.file, err)))
        goto fail;
    r.m = m;
    if (root(&r, top) < 0)
        goto fail;
    yaml_document_delete(&r.doc);
    yaml_parser_delete(&p);
    return m;
fail:
    if (err && err->code == EVM_OK)
        evm_error_set(err, EVM_E_INPUT, "%s: unreadable spec", r.file);
    evm_map_free(m);
    if (have_doc)
        yaml_document_delete(&r.doc);
    if (have_parser)
        yaml_parser_delete(&p);
    return NULL;
}

/* Reads a spec file (YAML or JSON; "-" is stdin). Errors name
 * file:line:col; an unreadable file is EVM_E_IO, one over 16 MB
 * EVM_E_TOOBIG. Returns a new map (caller frees with evm_map_free) or
 * NULL and err. */
evm_map *evm_map_load(const char *path, evm_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    evm_error e;
    evm_error_clear(&e);
    if (!path) {
        evm_error_set(err, EVM_E_USAGE, "no spec file given");
        return NULL;
    }
    if (evm__read_file(path, EVM_SPEC_MAX_BYTES, &buf, &len, &e) !=
        EVM_OK) {
        if (e.code == EVM_E_TOOBIG)
            evm_error_set(err, EVM_E_TOOBIG, "%s: the spec is over the 16 "
                          "MB limit; split it into several maps, or pass "
                          "large event tables to evmap render directly",
                          path);
        else
            evm_error_set(err, e.code, "%s", e.msg);
        return NULL;
    }
    evm_map *m = evm_map_load_buffer(path, buf, len, err);
    free(buf);
    return m;
}
