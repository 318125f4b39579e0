/* The map spec reader: what a spec means. The YAML reader (yaml.h) gives
 * the node tree with source marks under its limits; this file walks the
 * root and the map's settings against the spec's schema (items.c reads
 * the entries of its lists), so that every error names file:line:col,
 * says what is wrong and what to do. A spec is a file of its own, or a
 * node of a batch manifest (an inline spec), walked the same way. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/spec_int.h"
#include "tables/tables.h"

#define MIN_PX 16
#define MAX_PX 20000

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

static int size_value(evm__yrd *r, const yaml_node_t *n)
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

static int extent_value(evm__yrd *r, const yaml_node_t *n)
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
            if (!c || evm__sp_number(r, c, what[i], &m->extent[i]) < 0)
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
    if (evm__sp_placeref(r, n, "extent", &m->extent_where, 1) < 0)
        return -1;
    if (!(m->extent_place = evm__strdup(m->extent_where.name)))
        return nomem(r);
    m->extent_mode = EVM_EXTENT_PLACE;
    return 0;
}

static int projection_value(evm__yrd *r, const yaml_node_t *n)
{
    r->m->projection_pos.line = evm__y_line(n);
    r->m->projection_pos.col = evm__y_col(n);
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

static int theme_value(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"light", "dark", "print", NULL};
    char b[160];
    int i = evm__sp_keyword(n, names);
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
static int fallback_value(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"none", "admin2", "admin1",
                                        "country", NULL};
    static const int level[] = {-1, EVM_PREC_ADMIN2, EVM_PREC_ADMIN1,
                                EVM_PREC_COUNTRY};
    char b[160];
    int i = evm__sp_keyword(n, names);
    if (i >= 0) {
        r->m->fallback = level[i];
        return 0;
    }
    return fail(r, n, "fallback must be none, admin2, admin1 or country "
                      "(the coarsest area an unknown place's qualifier may "
                      "stand for), got %s", describe(r, n, b));
}

static int inset_value(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"auto", "true", "false", "yes",
                                        "no", "on", "off", NULL};
    static const evm_inset_mode modes[] = {EVM_INSET_AUTO, EVM_INSET_ON,
                                           EVM_INSET_OFF, EVM_INSET_ON,
                                           EVM_INSET_OFF, EVM_INSET_ON,
                                           EVM_INSET_OFF};
    char b[160];
    int i = evm__sp_keyword(n, names);
    if (i < 0)
        return fail(r, n, "inset must be auto, true or false, got %s",
                    describe(r, n, b));
    r->m->inset = modes[i];
    return 0;
}

/* background: none | relief | a raster's path (anything GDAL reads with a
 * georeference; a word without a dot or slash is taken for a keyword) */
static int background_value(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const names[] = {"none", "relief", NULL};
    char b[160];
    r->m->background_pos.line = (int)n->start_mark.line + 1;
    r->m->background_pos.col = (int)n->start_mark.column + 1;
    int i = evm__sp_keyword(n, names);
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
    if (evm__sp_path_value(r, n, "background", &r->m->background_path) < 0)
        return -1;
    r->m->background = EVM_BG_FILE;
    return 0;
}

static int context_value(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const keys[] = {"country", NULL};
    yaml_node_t *v[1];
    if (read_map(r, n, "context", keys, v) < 0)
        return -1;
    if (v[0] && !is_null(v[0]) &&
        evm__sp_place_name(r, v[0], "country", &r->m->context_country) < 0)
        return -1;
    return 0;
}

struct from_table {
    evm_map *m;
    const char *path;
};

/* Appends a table's event to the map (events: { from: FILE }). */
static int table_event(void *ud, const evm_event *e, const char *const *x,
                       evm_error *err)
{
    (void)x;
    const struct from_table *ft = ud;
    /* the spec may export the map: rows keep their labels */
    return evm__map_add_row(ft->m, ft->path, e, 1, err);
}

/* where: in events: { from: FILE }: one condition "COLUMN=VALUE" (or
 * "COLUMN!=VALUE") or a list of them, into w (n at most max). */
static int where_value(evm__yrd *r, const yaml_node_t *n, const char **w,
                       int *nw, int max)
{
    size_t cnt = n->type == YAML_SEQUENCE_NODE
                     ? (size_t)(n->data.sequence.items.top -
                                n->data.sequence.items.start)
                     : 1;
    if (cnt > (size_t)max)
        return fail(r, n, "where takes at most %d conditions", max);
    for (size_t i = 0; i < cnt; i++) {
        const yaml_node_t *c =
            n->type == YAML_SEQUENCE_NODE
                ? child(r, n, n->data.sequence.items.start[i]) : n;
        const char *t = c ? text(r, c, "where") : NULL;
        if (!t)
            return -1;
        const char *eq = strchr(t, '=');
        if (!eq || eq == t || (eq == t + 1 && *t == '!'))
            return fail(r, c, "where takes COLUMN=VALUE or COLUMN!=VALUE "
                              "(a list of them: all must hold, equalities "
                              "on one column are alternatives)");
        w[(*nw)++] = t;
    }
    return 0;
}

/* precision: and all: of events: { from: FILE } into o. 0, or -1. */
static int from_filters(evm__yrd *r, yaml_node_t *prec, yaml_node_t *all,
                        evm_table_opts *o)
{
    if (prec && !is_null(prec)) {
        const char *p = text(r, prec, "precision");
        if (!p)
            return -1;
        int k = evm_precision_from_name(p);
        if (k < 0)
            return fail(r, prec, "precision must be exact, admin2, admin1 "
                                 "or country");
        o->precision = k + 1;
    }
    if (all && !is_null(all)) {
        const char *a = text(r, all, "all");
        if (!a)
            return -1;
        if (strcmp(a, "true") && strcmp(a, "false"))
            return fail(r, all, "all must be true or false");
        o->all = !strcmp(a, "true");
    }
    return 0;
}

/* `events: { from: FILE }`: the events of an event table (any format
 * evmap render TABLE reads; FILE relative to the spec), with optional
 * column names lat, lon, place, type, date, row filters where: and
 * precision:, and all: (GDELT: every class, not only conflict). Places
 * named in the table resolve with the spec's own (evm_map_resolve);
 * errors name the table's file:line:col. *source gets the attribution
 * the table's format asks for (static), or NULL. */
static int events_from(evm__yrd *r, const yaml_node_t *n,
                       const char **source)
{
    static const char *const keys[] = {"from", "lat", "lon", "place",
                                       "type", "date", "where",
                                       "precision", "all", NULL};
    enum { WHERE = 6, PREC, ALL };
    yaml_node_t *v[9];
    const char *col[6] = {NULL}, *where[64];
    int nwhere = 0;
    char *path = NULL;
    if (read_map(r, n, "events", keys, v) < 0)
        return -1;
    if (!v[0] || is_null(v[0]))
        return fail(r, n, "events must be a list of events, or { from: "
                          "FILE } to read them from a table");
    evm_table_opts o;
    evm_table_opts_init(&o);
    if ((v[WHERE] && !is_null(v[WHERE]) &&
         where_value(r, v[WHERE], where, &nwhere, 64) < 0) ||
        from_filters(r, v[PREC], v[ALL], &o) < 0)
        return -1;
    if (evm__sp_path_value(r, v[0], "from", &path) < 0)
        return -1;
    for (int i = 1; i < 6; i++)
        if (v[i] && !is_null(v[i]) && !(col[i] = text(r, v[i], keys[i]))) {
            free(path);
            return -1;
        }
    o.lat = col[1];
    o.lon = col[2];
    o.place = col[3];
    o.type = col[4];
    o.date = col[5];
    o.where = where;
    o.nwhere = nwhere;
    struct from_table ft = {r->m, path};
    evm__table_cb cb = {NULL, table_event, NULL, NULL, &ft};
    evm_error e;
    evm_table_stats st;
    evm_error_clear(&e);
    evm_status rs = evm__table_read(path, &o, 1, &cb, &st, &e);
    free(path);
    if (rs != EVM_OK) {
        if (e.code == EVM_E_IO || e.code == EVM_E_USAGE)
            return fail(r, v[0], "%s", e.msg);
        evm_error_set(r->err, e.code, "%s", e.msg);
        return -1;
    }
    *source = evm__table_source(st.format);
    return 0;
}

/* style: how events are drawn (auto, markers, points, hexbin, heatmap). */
static int style_value(evm__yrd *r, const yaml_node_t *n)
{
    const char *t = text(r, n, "style");
    if (!t)
        return -1;
    int k = evm__style_from_name(t);
    if (k < 0)
        return fail(r, n, "style must be auto, markers, points, hexbin or "
                          "heatmap, got \"%.40s\"", t);
    r->m->style = (evm_style)k;
    return 0;
}

/* measure: what symbols, hexagons and density show (auto, events,
 * fatalities). */
static int measure_value(evm__yrd *r, const yaml_node_t *n)
{
    const char *t = text(r, n, "measure");
    if (!t)
        return -1;
    int k = evm_measure_from_name(t);
    if (k >= 0) {
        r->m->measure = (evm_measure)k;
        return 0;
    }
    const char *s = evm__measure_nearest(t);
    if (s)
        return fail(r, n, "unknown measure \"%.40s\" — did you mean "
                          "\"%s\"? (auto, events or fatalities)", t, s);
    return fail(r, n, "measure must be auto, events or fatalities, got "
                      "\"%.40s\"", t);
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
static int check_places(evm__yrd *r)
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

static int root(evm__yrd *r, const yaml_node_t *n)
{
    static const char *const keys[] = {
        "title", "subtitle", "source", "size", "extent", "projection",
        "theme", "inset", "context", "places", "layers", "events",
        "movements", "areas", "background", "style", "fallback", "measure",
        NULL};
    enum { TITLE, SUBTITLE, SOURCE, SIZE, EXTENT, PROJECTION, THEME, INSET,
           CONTEXT, PLACES, LAYERS, EVENTS, MOVEMENTS, AREAS, BACKGROUND,
           STYLE, FALLBACK, MEASURE, NKEYS };
    yaml_node_t *v[NKEYS];
    evm_map *m = r->m;
    const char *table_source = NULL;
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
        case TITLE: rc = evm__sp_opt_str(r, x, "title", &m->title); break;
        case SUBTITLE:
            rc = evm__sp_opt_str(r, x, "subtitle", &m->subtitle);
            break;
        case SOURCE: rc = evm__sp_opt_str(r, x, "source", &m->source); break;
        case SIZE: rc = size_value(r, x); break;
        case EXTENT: rc = extent_value(r, x); break;
        case PROJECTION: rc = projection_value(r, x); break;
        case THEME: rc = theme_value(r, x); break;
        case INSET: rc = inset_value(r, x); break;
        case BACKGROUND: rc = background_value(r, x); break;
        case CONTEXT: rc = context_value(r, x); break;
        case STYLE: rc = style_value(r, x); break;
        case MEASURE: rc = measure_value(r, x); break;
        case FALLBACK: rc = fallback_value(r, x); break;
        case PLACES:
            READ_LIST(r, x, "places", m->places, m->nplaces,
                      evm__sp_user_place);
            rc = check_places(r);
            break;
        case LAYERS:
            READ_LIST(r, x, "layers", m->layers, m->nlayers, evm__sp_layer);
            break;
        case EVENTS:
            if (x->type == YAML_MAPPING_NODE) {
                rc = events_from(r, x, &table_source);
                break;
            }
            READ_LIST(r, x, "events", m->events, m->nevents, evm__sp_event);
            break;
        case MOVEMENTS:
            READ_LIST(r, x, "movements", m->movements, m->nmovements,
                      evm__sp_movement);
            break;
        case AREAS:
            READ_LIST(r, x, "areas", m->areas, m->nareas, evm__sp_area);
            break;
        }
        if (rc < 0)
            return -1;
    }
    /* a table's attribution, as its licence asks, unless source: says */
    if (table_source && !m->source && !(m->source = evm__strdup(table_source)))
        return nomem(r);
    return 0;
}

/* ----------------------------------------------------------- entry points */

static const evm__ykind spec_kind = {
    "spec", "a spec needs at most 6",
    "write at least events: (see evmap help render)",
    "a spec is one document, put each map in its own file",
    "split it into several maps, or pass large event tables to evmap "
    "render directly"};

/* Contract in spec.h. */
const evm__ykind *evm__spec_kind(void)
{
    return &spec_kind;
}

/* Contract in spec.h. */
evm_map *evm__map_from_node(const evm__ydoc *d, const yaml_node_t *n,
                            evm_error *err)
{
    evm__yrd r;
    evm__yrd_init(&r, d, err);
    if (!(r.m = evm__map_new(r.file, err)))
        return NULL;
    if (root(&r, n) < 0) {
        if (err && err->code == EVM_OK)
            evm_error_set(err, EVM_E_INPUT, "%s: unreadable spec", r.file);
        evm_map_free(r.m);
        return NULL;
    }
    return r.m;
}

/* Reads a spec from buf (len bytes; need not be NUL-terminated). name is
 * used in messages and its directory anchors relative paths. Returns a
 * new map (caller frees with evm_map_free) or NULL and err. */
evm_map *evm_map_load_buffer(const char *name, const char *buf, size_t len,
                             evm_error *err)
{
    evm__ydoc *d = evm__ydoc_load(&spec_kind, name, buf, len, err);
    if (!d)
        return NULL;
    evm_map *m = evm__map_from_node(d, evm__ydoc_root(d), err);
    evm__ydoc_unref(d);
    return m;
}

/* Reads a spec file (YAML or JSON; "-" is stdin), once: a pipe or FIFO
 * works. Errors name file:line:col; an unreadable file is EVM_E_IO, one
 * over 16 MB EVM_E_TOOBIG. Returns a new map (caller frees with
 * evm_map_free) or NULL and err. */
evm_map *evm_map_load(const char *path, evm_error *err)
{
    evm__ydoc *d = evm__ydoc_load_file(&spec_kind, path, err);
    if (!d)
        return NULL;
    evm_map *m = evm__map_from_node(d, evm__ydoc_root(d), err);
    evm__ydoc_unref(d);
    return m;
}
