/* Event tables as seen from outside src/tables: the public entry points
 * (evm_path_is_table, evm_map_load_table, evm_table_export) over the
 * reader engine (reader.c) and the formats it knows. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/build.h"
#include "spec/spec.h"
#include "tables/reader.h"

/* ---------------------------------------------------------- public API */

/* See evmap.h. */
void evm_table_opts_init(evm_table_opts *o)
{
    memset(o, 0, sizeof *o);
}

/* See evmap.h. */
int evm_path_is_table(const char *path)
{
    static const char *const ext[] = {".csv", ".tsv", ".tab", ".txt",
                                      ".geojson", ".gpkg", ".shp", ".kml",
                                      ".kmz", ".fgb", ".geojsonl", NULL};
    if (!path || !strcmp(path, "-"))
        return 0;
    size_t n;
    if (evm__tpath_has_ext(path, ext, &n))
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char b[8192];
    size_t got = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[got] = '\0';
    if (n >= 5 && !strncasecmp(path + n - 5, ".json", 5)) {
        /* a GeoJSON object names its type near the start */
        const char *p = strstr(b, "\"type\"");
        while (p) {
            const char *q = p + 6;
            while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
                q++;
            if (*q == ':') {
                q++;
                while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
                    q++;
                if (!strncmp(q, "\"FeatureCollection\"", 19) ||
                    !strncmp(q, "\"Feature\"", 9))
                    return 1;
            }
            p = strstr(p + 6, "\"type\"");
        }
        return 0;
    }
    if (n >= 5 && (!strncasecmp(path + n - 5, ".yaml", 5) ||
                   !strncasecmp(path + n - 4, ".yml", 4)))
        return 0;
    /* a GDELT file: digits, then 56, 57 or 60 more tabs on the line */
    if (!isdigit((unsigned char)b[0]))
        return 0;
    int tabs = 0;
    for (size_t i = 0; i < got && b[i] != '\n'; i++)
        tabs += b[i] == '\t';
    return tabs == 56 || tabs == 57 || tabs == 60;
}

static int add_cb(void *ud, const evm_event *e, const char *const *extra,
                  evm_error *err)
{
    (void)extra;
    /* a map labels a table's places with summaries, never a row's own
     * text: only whether a row has one is kept (it ranks the places),
     * not a description column's megabytes */
    evm_map *m = ud;
    return evm__map_add_row(m, m->file, e, 0, err);
}

static int add_move_cb(void *ud, const evm_movement *mv, evm_error *err)
{
    if (evm__map_add_movement(ud, mv) < 0) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int add_area_cb(void *ud, const evm_area *a, evm_error *err)
{
    if (evm__map_add_area(ud, a) < 0) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* See evmap.h. */
evm_map *evm_map_load_table(const char *path, const evm_table_opts *o,
                            evm_table_stats *stats, evm_error *err)
{
    evm_table_stats st;
    evm_error e;
    evm_error_clear(&e);
    evm_map *m = evm__map_new(path, err);
    if (!m)
        return NULL;
    evm__table_cb cb = {NULL, add_cb, add_move_cb, add_area_cb, m};
    if (evm__table_read(path, o, 0, &cb, &st, &e) != EVM_OK) {
        evm_error_set(err, e.code, "%s", e.msg);
        evm_map_free(m);
        return NULL;
    }
    evm_table_opts defo;
    if (!o) {
        evm_table_opts_init(&defo);
        o = &defo;
    }
    if (evm__table_furnish(m, path, st.format, o, err) != EVM_OK) {
        evm_map_free(m);
        return NULL;
    }
    m->resolved = 1;
    if (stats)
        *stats = st;
    return m;
}

struct conv {
    const char *out;
    evm_format fmt;
    evm__sink *sink;
};

static int conv_begin(void *ud, const evm_table_stats *st,
                      const evm__extras *x, evm_error *err)
{
    struct conv *c = ud;
    (void)st;
    /* movements and areas only come from evmap's own output: their
     * layers are made when the first arrives */
    c->sink = evm__sink_open(c->out, c->fmt, NULL, x,
                             EVM_SINK_EVENTS | EVM_SINK_MOVEMENTS |
                                 EVM_SINK_AREAS,
                             err);
    return c->sink ? 0 : -1;
}

static int conv_event(void *ud, const evm_event *e, const char *const *extra,
                      evm_error *err)
{
    struct conv *c = ud;
    return evm__sink_event(c->sink, e, extra, err) == EVM_OK ? 0 : -1;
}

static int conv_move(void *ud, const evm_movement *mv, evm_error *err)
{
    struct conv *c = ud;
    return evm__sink_movement(c->sink, mv, err) == EVM_OK ? 0 : -1;
}

static int conv_area(void *ud, const evm_area *a, evm_error *err)
{
    struct conv *c = ud;
    return evm__sink_area(c->sink, a, err) == EVM_OK ? 0 : -1;
}

/* See evmap.h. */
evm_status evm_table_export(const char *path, const evm_table_opts *o,
                            evm_format fmt, const char *out,
                            evm_table_stats *stats, evm_error *err)
{
    struct conv c = {out, fmt, NULL};
    evm_error e;
    evm_error_clear(&e);
    if (fmt == EVM_FMT_AUTO || fmt == EVM_FMT_PNG || fmt == EVM_FMT_SVG ||
        fmt == EVM_FMT_PDF)
        return evm_error_set(err, EVM_E_USAGE, "%s: evm_table_export writes "
                             "feature formats; draw maps with "
                             "evm_map_load_table and evm_map_render", path);
    evm__table_cb cb = {conv_begin, conv_event, conv_move, conv_area, &c};
    evm_status st = evm__table_read(path, o, 0, &cb, stats, &e);
    if (st != EVM_OK) {
        evm__sink_abort(c.sink);
        return evm_error_set(err, e.code ? e.code : st, "%s", e.msg);
    }
    st = evm__sink_close(c.sink, &e);
    if (st != EVM_OK)
        evm_error_set(err, st, "%s", e.msg);
    return st;
}

/* Appends s as a JSON string. */
static void json_str(evm_buf *b, const char *s)
{
    evm__buf_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            evm__buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            evm__buf_printf(b, "\\u%04x", c);
        else
            evm__buf_add(b, s, 1);
    }
    evm__buf_add(b, "\"", 1);
}

/* Appends ,"key":"value" when value is set. */
static void json_kv(evm_buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    evm__buf_printf(b, ",\"%s\":", key);
    json_str(b, v);
}

/* Contract in tables.h. */
char *evm__table_series_spec(const char *path, const evm_table_opts *o,
                             evm_error *err)
{
    char *abs = realpath(path, NULL);
    if (!abs) {
        evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                      strerror(errno));
        return NULL;
    }
    /* read once here: bad rows and options fail before any frame, and
     * the title is the data's */
    evm_map *m = evm_map_load_table(path, o, NULL, err);
    if (!m) {
        free(abs);
        return NULL;
    }
    evm_buf b;
    evm__buf_init(&b, (size_t)1 << 20);
    evm__buf_add(&b, "{\"size\":", 8);
    evm__buf_printf(&b, "[%d,%d]", m->width, m->height);
    json_kv(&b, "title", m->title);
    json_kv(&b, "source", m->source);
    json_kv(&b, "style", o->style);
    if (m->extent_mode == EVM_EXTENT_BBOX) {
        char num[40];
        for (int i = 0; i < 4; i++) {
            evm__fmt_num(num, m->extent[i], 9);
            evm__buf_printf(&b, "%s%s", i ? "," : ",\"extent\":[", num);
        }
        evm__buf_add(&b, "]", 1);
    } else
        json_kv(&b, "extent", m->extent_place);
    evm__buf_add(&b, ",\"events\":{\"from\":", 18);
    json_str(&b, abs);
    json_kv(&b, "lat", o->lat);
    json_kv(&b, "lon", o->lon);
    json_kv(&b, "place", o->place);
    json_kv(&b, "type", o->type);
    json_kv(&b, "date", o->date);
    if (o->precision > 0)
        json_kv(&b, "precision",
                evm_precision_str((evm_precision)(o->precision - 1)));
    if (o->all)
        evm__buf_add(&b, ",\"all\":true", 11);
    if (o->nwhere) {
        evm__buf_add(&b, ",\"where\":[", 10);
        for (int i = 0; i < o->nwhere; i++) {
            if (i)
                evm__buf_add(&b, ",", 1);
            json_str(&b, o->where[i]);
        }
        evm__buf_add(&b, "]", 1);
    }
    evm__buf_add(&b, "}}\n", 4);
    evm_map_free(m);
    free(abs);
    if (b.failed) {
        evm__buf_free(&b);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    return b.data;
}
