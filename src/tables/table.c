/* Event tables: format sniffing, header mapping and row -> event for
 * ACLED, GDELT, UCDP GED, generic CSV and GDAL sources. One row is held
 * at a time; the caches (event types, countries, resolved places) are
 * bounded, so memory does not grow with the number of rows. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basemap/basemap.h"
#include "core/core.h"
#include "gdal/gdal_api.h"
#include "spec/spec.h"
#include "tables/csv.h"
#include "tables/tables.h"

enum { F_GENERIC = 0, F_ACLED, F_UCDP, F_GDELT1, F_GDELT2 };

static const char *const FORMAT_NAMES[] = {"csv", "acled", "ucdp",
                                           "gdelt-1.0", "gdelt-2.0"};

/* ------------------------------------------------ a bounded string map */

struct smap {
    char **key;
    void **val;
    size_t cap, n, max;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int smap_init(struct smap *m, size_t cap)
{
    m->cap = cap; /* a power of two */
    m->n = 0;
    m->max = cap / 4 * 3;
    m->key = evm__calloc(cap, sizeof *m->key);
    m->val = evm__calloc(cap, sizeof *m->val);
    return m->key && m->val ? 0 : -1;
}

/* The value for k; *found says whether k is there. */
static void *smap_get(const struct smap *m, const char *k, int *found)
{
    *found = 0;
    if (!m->key)
        return NULL;
    for (size_t i = hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->key[i])
            return NULL;
        if (!strcmp(m->key[i], k)) {
            *found = 1;
            return m->val[i];
        }
    }
}

/* Adds k -> v unless the map is full (then the caller keeps ownership of
 * v: returns -1). */
static int smap_put(struct smap *m, const char *k, void *v)
{
    if (!m->key || m->n >= m->max)
        return -1;
    size_t i = hash(k) & (m->cap - 1);
    while (m->key[i])
        i = (i + 1) & (m->cap - 1);
    if (!(m->key[i] = evm__strdup(k)))
        return -1;
    m->val[i] = v;
    m->n++;
    return 0;
}

static void smap_free(struct smap *m, void (*fv)(void *))
{
    for (size_t i = 0; m->key && i < m->cap; i++) {
        if (m->key[i] && fv)
            fv(m->val[i]);
        free(m->key[i]);
    }
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* A place resolved through the gazetteer (or why it was not). */
struct place_rec {
    int ok;
    int fallback;           /* placed at its qualifier's area */
    evm_precision precision;
    double lon, lat;
    char *name, *id, *kind;
    char country[3];
    evm_status code;
    char *msg; /* without the file:line:col prefix */
};

static void place_free(void *p)
{
    struct place_rec *r = p;
    if (!r)
        return;
    free(r->name);
    free(r->id);
    free(r->kind);
    free(r->msg);
    free(r);
}

/* --------------------------------------------------------------- reader */

/* One row, from the CSV tokenizer or from GDAL. */
struct row {
    int n;
    const char *const *v;  /* NULL: null (GDAL) */
    const size_t *len;     /* CSV only */
    const long *fline;     /* CSV: line of each field */
    const int *fcol;       /* CSV: column of each field */
    long line;             /* CSV: line where the row starts */
    /* GDAL */
    const char *layer;
    long index;
    int has_geom;
    double glon, glat;
    const evm_vfeat *geom;
};

struct tr {
    const char *path;
    const evm_table_opts *o;
    int defer;
    evm_table_stats *st;
    const evm__table_cb *cb;
    evm_error *err;
    int failed;
    int fmt, gdal, begun, layer, maxw;
    int ncol;
    /* columns, -1 when absent */
    int c_lat, c_lon, c_place, c_type, c_sub, c_evt, c_date, c_time;
    int c_label, c_fat, c_side, c_conf, c_country, c_iso3;
    int c_pname, c_pid, c_pcountry, c_pkind;
    int c_feature, c_stroke, c_from, c_to, c_via; /* evmap's own output */
    /* GDELT */
    int g_type, g_name, g_cc, g_adm1, g_lat, g_lon, g_fid, g_added, g_url;
    /* extra columns */
    int nx;
    char **xname;
    evm_ftype *xtype;
    int *xcol;
    const char **xval;
    char (*xbuf)[48];
    int first_data; /* the next data row is the first (HXL check) */
    struct smap types, countries, places, dates;
    evm_basemap *bm;
    int bm_tried;
    char date[11], time[21], pid[96];
};

/* Case-insensitive equality of a header name (spaces around ignored)
 * with a lower-case candidate. */
static int name_is(const char *h, const char *cand)
{
    if (!h)
        return 0;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t' || h[n - 1] == '\r'))
        n--;
    return strlen(cand) == n && strncasecmp(h, cand, n) == 0;
}

/* The first column named like one of cands (in the order of cands). */
static int find_col(const char *const *names, int n, const char *const *cands)
{
    for (int k = 0; cands[k]; k++)
        for (int i = 0; i < n; i++)
            if (name_is(names[i], cands[k]))
                return i;
    return -1;
}

/* The column called name, or -1. */
static int col_of(const char *const *names, int n, const char *name)
{
    const char *c[2] = {name, NULL};
    return find_col(names, n, c);
}

static int has(const char *const *names, int n, const char *name)
{
    return col_of(names, n, name) >= 0;
}

static const char *const LAT_NAMES[] = {
    "lat", "latitude", "y", "lat_dd", "decimallatitude", "#geo+lat", NULL};
static const char *const LON_NAMES[] = {
    "lon", "lng", "long", "longitude", "x", "lon_dd", "decimallongitude",
    "#geo+lon", NULL};
static const char *const PLACE_NAMES[] = {
    "place", "location", "name", "city", "town", "locality", "site",
    "where_coordinates", "#loc+name", NULL};
static const char *const TYPE_NAMES[] = {"type", "category", NULL};
static const char *const DATE_NAMES[] = {
    "date", "event_date", "day", "date_start", "start_date", "#date", NULL};
static const char *const TIME_NAMES[] = {"time", "datetime", NULL};
static const char *const LABEL_NAMES[] = {
    "label", "title", "description", "notes", "text", "headline",
    "summary", NULL};
static const char *const FAT_NAMES[] = {
    "fatalities", "deaths", "killed", "dead", "casualties", NULL};
static const char *const SIDE_NAMES[] = {"side", "actor", "actor1", "party",
                                         NULL};
static const char *const COUNTRY_NAMES[] = {
    "country", "country_code", "countrycode", "iso2", "iso_a2", "cc", NULL};
static const char *const ISO3_NAMES[] = {"iso3", "iso_a3", NULL};

/* Output names no extra column may take (they would repeat a member). */
static const char *const RESERVED[] = {
    "feature", "type", "event_type", "sub_event_type", "date", "time",
    "label", "fatalities", "side", "confidence", "place", "place_name",
    "place_id", "place_country", "place_kind", "marker-color",
    "marker-symbol", "marker-size", "stroke", "stroke-width",
    "stroke-opacity", "stroke-dasharray", "fill", "fill-opacity", "from",
    "to", "via", NULL};

static int reserved(const char *name)
{
    for (int i = 0; RESERVED[i]; i++)
        if (name_is(name, RESERVED[i]))
            return 1;
    return 0;
}

static void extras_free(struct tr *t)
{
    for (int i = 0; i < t->nx; i++)
        free(t->xname[i]);
    free(t->xname);
    free(t->xtype);
    free(t->xcol);
    free(t->xval);
    free(t->xbuf);
    t->xname = NULL;
    t->xtype = NULL;
    t->xcol = NULL;
    t->xval = NULL;
    t->xbuf = NULL;
    t->nx = 0;
}

static int extras_alloc(struct tr *t, int n)
{
    size_t k = n > 0 ? (size_t)n : 1;
    t->xname = evm__calloc(k, sizeof *t->xname);
    t->xtype = evm__calloc(k, sizeof *t->xtype);
    t->xcol = evm__calloc(k, sizeof *t->xcol);
    t->xval = evm__calloc(k, sizeof *t->xval);
    t->xbuf = evm__calloc(k, sizeof *t->xbuf);
    return t->xname && t->xtype && t->xcol && t->xval && t->xbuf ? 0 : -1;
}

static int add_extra(struct tr *t, const char *name, int col, evm_ftype ty)
{
    for (int i = 0; i < t->nx; i++)
        if (!strcmp(t->xname[i], name))
            return 0;
    if (!(t->xname[t->nx] = evm__strdup(name)))
        return -1;
    t->xcol[t->nx] = col;
    t->xtype[t->nx] = ty;
    t->nx++;
    return 0;
}

/* A fixed extra column of a known format, when the table has it. */
static int fixed_extra(struct tr *t, const char *const *names, int n,
                       const char *col, const char *out, evm_ftype ty)
{
    const char *c[2] = {col, NULL};
    int i = find_col(names, n, c);
    return i < 0 ? 0 : add_extra(t, out, i, ty);
}

/* The header's names, comma-separated, for a message ("lat, lon, ..."),
 * cut off after about 240 characters. */
static void header_list(const char *const *names, int n, char *list,
                        size_t size)
{
    list[0] = '\0';
    for (int i = 0; i < n && strlen(list) < size - 60; i++) {
        size_t l = strlen(list);
        snprintf(list + l, size - l, "%s%s", i ? ", " : "",
                 names[i] ? names[i] : "");
    }
}

/* A column named by the user: it must exist. */
static int user_col(struct tr *t, const char *const *names, int n,
                    const char *want, const char *opt, int *col)
{
    if (!want)
        return 0;
    for (int i = 0; i < n; i++)
        if (names[i] && !strcasecmp(names[i], want)) {
            *col = i;
            return 0;
        }
    char list[300];
    header_list(names, n, list, sizeof list);
    evm_error_set(t->err, EVM_E_USAGE, "%s: %s %s: no such column (it has: "
                  "%s)", t->path, opt, want, list);
    return -1;
}

/* Maps the header (CSV) or the layer's fields (GDAL) to columns and
 * extras; gtypes (GDAL field types) may be NULL. 0, or -1 + err. */
static int setup(struct tr *t, const char *const *names, int n,
                 const evm_ftype *gtypes)
{
    int *cols[] = {&t->c_lat, &t->c_lon, &t->c_place, &t->c_type,
                   &t->c_sub, &t->c_evt, &t->c_date, &t->c_time,
                   &t->c_label, &t->c_fat, &t->c_side, &t->c_conf,
                   &t->c_country, &t->c_iso3, &t->c_pname, &t->c_pid,
                   &t->c_pcountry, &t->c_pkind, &t->c_feature,
                   &t->c_stroke, &t->c_from, &t->c_to, &t->c_via};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        *cols[i] = -1;
    extras_free(t);
    t->ncol = n;
    if (extras_alloc(t, n + 16) < 0)
        return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    if (t->fmt == F_GDELT1 || t->fmt == F_GDELT2) {
        int v2 = t->fmt == F_GDELT2;
        int b = v2 ? 51 : 49; /* ActionGeo_Type */
        t->g_type = b;
        t->g_name = b + 1;
        t->g_cc = b + 2;
        t->g_adm1 = b + 3;
        t->g_lat = v2 ? b + 5 : b + 4;
        t->g_lon = t->g_lat + 1;
        t->g_fid = t->g_lon + 1;
        t->g_added = t->g_fid + 1;
        t->g_url = n > t->g_added + 1 ? t->g_added + 1 : -1;
        t->c_date = 1;
        t->c_side = 6;
        static const struct {
            int col;
            const char *name;
            evm_ftype ty;
        } gx[] = {{0, "GLOBALEVENTID", EVM_FT_STRING},
                  {26, "EventCode", EVM_FT_STRING},
                  {27, "EventBaseCode", EVM_FT_STRING},
                  {28, "EventRootCode", EVM_FT_STRING},
                  {29, "QuadClass", EVM_FT_INT},
                  {30, "GoldsteinScale", EVM_FT_REAL},
                  {31, "NumMentions", EVM_FT_INT},
                  {32, "NumSources", EVM_FT_INT},
                  {33, "NumArticles", EVM_FT_INT},
                  {34, "AvgTone", EVM_FT_REAL},
                  {16, "Actor2Name", EVM_FT_STRING}};
        for (size_t i = 0; i < sizeof gx / sizeof gx[0]; i++)
            if (add_extra(t, gx[i].name, gx[i].col, gx[i].ty) < 0)
                goto oom;
        if (add_extra(t, "ActionGeo_Type", t->g_type, EVM_FT_INT) < 0 ||
            add_extra(t, "ActionGeo_ADM1Code", t->g_adm1, EVM_FT_STRING) <
                0 ||
            add_extra(t, "DATEADDED", t->g_added, EVM_FT_STRING) < 0 ||
            (t->g_url >= 0 &&
             add_extra(t, "SOURCEURL", t->g_url, EVM_FT_STRING) < 0))
            goto oom;
        return 0;
    }
    /* the format from the header's names */
    int lat = has(names, n, "latitude") || t->gdal;
    if (has(names, n, "event_id_cnty") && has(names, n, "event_date") &&
        has(names, n, "event_type") && lat)
        t->fmt = F_ACLED;
    else if (has(names, n, "type_of_violence") &&
             has(names, n, "date_start") && lat)
        t->fmt = F_UCDP;
    else
        t->fmt = F_GENERIC;
    const evm_table_opts *o = t->o;
    if (t->fmt == F_ACLED) {
        t->c_lat = col_of(names, n, "latitude");
        t->c_lon = col_of(names, n, "longitude");
        t->c_place = col_of(names, n, "location");
        t->c_sub = col_of(names, n, "sub_event_type");
        t->c_evt = col_of(names, n, "event_type");
        t->c_date = col_of(names, n, "event_date");
        t->c_label = col_of(names, n, "notes");
        t->c_fat = col_of(names, n, "fatalities");
        t->c_side = col_of(names, n, "actor1");
        t->c_country = col_of(names, n, "country");
        t->c_iso3 = col_of(names, n, "iso3");
        if (fixed_extra(t, names, n, "event_id_cnty", "event_id_cnty",
                        EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "disorder_type", "disorder_type",
                        EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "actor2", "actor2", EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "admin1", "admin1", EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "admin2", "admin2", EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "geo_precision", "geo_precision",
                        EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "time_precision", "time_precision",
                        EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "source", "source", EVM_FT_STRING) < 0)
            goto oom;
    } else if (t->fmt == F_UCDP) {
        t->c_lat = col_of(names, n, "latitude");
        t->c_lon = col_of(names, n, "longitude");
        t->c_place = col_of(names, n, "where_coordinates");
        t->c_type = col_of(names, n, "type_of_violence");
        t->c_date = col_of(names, n, "date_start");
        t->c_label = col_of(names, n, "dyad_name");
        t->c_fat = col_of(names, n, "best");
        t->c_side = col_of(names, n, "side_a");
        t->c_country = col_of(names, n, "country");
        t->c_iso3 = col_of(names, n, "iso3");
        if (fixed_extra(t, names, n, "id", "ucdp_id", EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "conflict_name", "conflict_name",
                        EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "side_b", "side_b", EVM_FT_STRING) < 0 ||
            fixed_extra(t, names, n, "type_of_violence", "type_of_violence",
                        EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "where_prec", "where_prec",
                        EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "date_prec", "date_prec", EVM_FT_INT) <
                0 ||
            fixed_extra(t, names, n, "date_end", "date_end", EVM_FT_STRING) <
                0 ||
            fixed_extra(t, names, n, "low", "low", EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "high", "high", EVM_FT_INT) < 0 ||
            fixed_extra(t, names, n, "adm_1", "adm_1", EVM_FT_STRING) < 0)
            goto oom;
    } else {
        t->c_lat = find_col(names, n, LAT_NAMES);
        t->c_lon = find_col(names, n, LON_NAMES);
        t->c_place = find_col(names, n, PLACE_NAMES);
        t->c_type = find_col(names, n, TYPE_NAMES);
        t->c_sub = col_of(names, n, "sub_event_type");
        t->c_evt = col_of(names, n, "event_type");
        t->c_date = find_col(names, n, DATE_NAMES);
        t->c_time = find_col(names, n, TIME_NAMES);
        t->c_label = find_col(names, n, LABEL_NAMES);
        t->c_fat = find_col(names, n, FAT_NAMES);
        t->c_side = find_col(names, n, SIDE_NAMES);
        t->c_conf = col_of(names, n, "confidence");
        t->c_country = find_col(names, n, COUNTRY_NAMES);
        t->c_iso3 = find_col(names, n, ISO3_NAMES);
        t->c_pname = col_of(names, n, "place_name");
        t->c_pid = col_of(names, n, "place_id");
        t->c_pcountry = col_of(names, n, "place_country");
        t->c_pkind = col_of(names, n, "place_kind");
        t->c_feature = col_of(names, n, "feature");
        t->c_stroke = col_of(names, n, "stroke");
        t->c_from = col_of(names, n, "from");
        t->c_to = col_of(names, n, "to");
        t->c_via = col_of(names, n, "via");
    }
    /* columns the user named win */
    if (user_col(t, names, n, o->lat, "--lat", &t->c_lat) < 0 ||
        user_col(t, names, n, o->lon, "--lon", &t->c_lon) < 0 ||
        user_col(t, names, n, o->place, "--place", &t->c_place) < 0 ||
        user_col(t, names, n, o->type, "--type", &t->c_type) < 0 ||
        user_col(t, names, n, o->date, "--date", &t->c_date) < 0)
        return -1;
    if (!t->gdal && (t->c_lat < 0) != (t->c_lon < 0)) {
        evm_error_set(t->err, EVM_E_INPUT, "%s:1: a %s column but no %s "
                      "column; name them with --lat and --lon", t->path,
                      t->c_lat < 0 ? "longitude" : "latitude",
                      t->c_lat < 0 ? "latitude" : "longitude");
        return -1;
    }
    if (!t->gdal && t->c_lat < 0 && t->c_place < 0) {
        char list[300];
        header_list(names, n, list, sizeof list);
        evm_error_set(t->err, EVM_E_INPUT, "%s:1: no latitude/longitude "
                      "columns and no place column (the header has: %s); "
                      "name them with --lat and --lon, or --place", t->path,
                      list);
        return -1;
    }
    if (t->fmt == F_GENERIC) {
        /* every other column travels along */
        for (int i = 0; i < n; i++) {
            int *used[] = {&t->c_lat, &t->c_lon, &t->c_place, &t->c_type,
                           &t->c_sub, &t->c_evt, &t->c_date, &t->c_time,
                           &t->c_label, &t->c_fat, &t->c_side, &t->c_conf,
                           &t->c_country, &t->c_iso3, &t->c_pname,
                           &t->c_pid, &t->c_pcountry, &t->c_pkind};
            int u = 0;
            for (size_t k = 0; k < sizeof used / sizeof used[0]; k++)
                u |= *used[k] == i;
            const char *nm = names[i];
            if (u || !nm || !*nm || reserved(nm))
                continue;
            if (add_extra(t, nm, i, gtypes ? gtypes[i] : EVM_FT_STRING) < 0)
                goto oom;
        }
    }
    return 0;
oom:
    evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
    return -1;
}

/* ------------------------------------------------------------ bad rows */

/* Where row r (column col, -1: the row) is, for messages. */
static void where(const struct tr *t, const struct row *r, int col,
                  char *b, size_t n)
{
    if (!t->gdal) {
        long line = col >= 0 && col < r->n ? r->fline[col] : r->line;
        int c = col >= 0 && col < r->n ? r->fcol[col] : 1;
        snprintf(b, n, "%s:%ld:%d", t->path, line, c);
    } else {
        snprintf(b, n, "%s: layer %s, feature %ld", t->path,
                 r->layer ? r->layer : "?", r->index);
    }
}

/* A bad row: fails the read (returns -1) or, with skip_bad, warns and
 * counts it (returns 0, the row is dropped). */
static int bad(struct tr *t, const struct row *r, int col, evm_status code,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int bad(struct tr *t, const struct row *r, int col, evm_status code,
               const char *fmt, ...)
{
    char loc[600], msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    where(t, r, col, loc, sizeof loc);
    if (!t->o->skip_bad) {
        evm_error_set(t->err, code, "%s: %s; fix the row, or pass "
                      "--skip-bad to skip bad rows", loc, msg);
        return -1;
    }
    t->st->bad++;
    if (t->st->bad <= t->maxw) {
        char line[1500];
        snprintf(line, sizeof line, "%s: %s (row skipped)", loc, msg);
        if (t->o->warn)
            t->o->warn(t->o->warn_ud, line);
        else
            fprintf(stderr, "evmap: warning: %s\n", line);
    }
    return 0;
}

/* ---------------------------------------------------------- row values */

static const char *val(const struct row *r, int col)
{
    if (col < 0 || col >= r->n || !r->v[col])
        return NULL;
    const char *s = r->v[col];
    while (*s == ' ' || *s == '\t')
        s++;
    return *s ? s : NULL;
}

/* Dates as tables write them: ISO 8601 days and date-times, YYYY/MM/DD,
 * YYYYMMDD, YYYYMMDDhhmmss and "16 May 2025" (also "16-May-2025"). */
static int parse_any_date(const char *s, char date[11], char time[21],
                          char why[80])
{
    char b[64];
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    if (n >= sizeof b) {
        snprintf(why, 80, "too long for a date");
        return -1;
    }
    memcpy(b, s, n);
    b[n] = '\0';
    int digits = 0;
    while (isdigit((unsigned char)b[digits]))
        digits++;
    if (digits == 4 && b[4] == '/' && n >= 10 && b[7] == '/') {
        b[4] = b[7] = '-';
        return evm__parse_date(b, date, time, why);
    }
    if ((digits == 8 || digits == 14) && (size_t)digits == n) {
        char iso[32];
        if (digits == 8)
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", b, b + 4, b + 6);
        else
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", b,
                     b + 4, b + 6, b + 8, b + 10, b + 12);
        return evm__parse_date(iso, date, time, why);
    }
    if ((digits == 1 || digits == 2) && (b[digits] == ' ' ||
                                         b[digits] == '-')) {
        const char *m = b + digits + 1;
        const char *e = m;
        while (isalpha((unsigned char)*e))
            e++;
        int mo = evm__month_from_abbr(m, (size_t)(e - m));
        if (mo > 0 && (*e == ' ' || *e == '-') && strlen(e + 1) == 4 &&
            isdigit((unsigned char)e[1]) && isdigit((unsigned char)e[4])) {
            char iso[16];
            snprintf(iso, sizeof iso, "%s-%02d-%02d", e + 1, mo, atoi(b));
            return evm__parse_date(iso, date, time, why);
        }
    }
    if (digits == 4 && b[4] == '-')
        return evm__parse_date(b, date, time, why);
    snprintf(why, 80, "use YYYY-MM-DD (or 16 May 2025, YYYYMMDD)");
    return -1;
}

/* A parsed date, cached (tables repeat their dates row after row). */
struct date_rec {
    int ok;
    char date[11], time[21], why[80];
};

static int cached_date(struct tr *t, const char *s, char date[11],
                       char time[21], char why[80])
{
    int found;
    struct date_rec *d = smap_get(&t->dates, s, &found);
    if (!found) {
        struct date_rec tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.ok = parse_any_date(s, tmp.date, tmp.time, tmp.why) == 0;
        if ((d = malloc(sizeof *d))) {
            *d = tmp;
            if (smap_put(&t->dates, s, d) < 0) {
                free(d);
                d = NULL;
            }
        }
        if (!d) {
            memcpy(date, tmp.date, 11);
            memcpy(time, tmp.time, 21);
            memcpy(why, tmp.why, 80);
            return tmp.ok ? 0 : -1;
        }
    }
    if (!d->ok) {
        memcpy(why, d->why, 80);
        return -1;
    }
    memcpy(date, d->date, 11);
    memcpy(time, d->time, 21);
    return 0;
}

/* A whole number >= 0 (also "12.0"); -1 if s is not one. */
static long parse_count(const char *s)
{
    double d;
    if (evm__parse_double(s, &d) < 0 || d < 0 || d > 2e9 || d != floor(d))
        return -1;
    return (long)d;
}

/* Normalises extra value s of type ty into b (48 bytes). Returns the text
 * to write, NULL for null, or (const char *)-1 when s is not a number of
 * that type. */
static const char *norm_extra(const char *s, evm_ftype ty, char *b)
{
    if (!s)
        return NULL;
    if (ty == EVM_FT_INT) {
        const char *p = s;
        while (*p == ' ')
            p++;
        int neg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        unsigned long long v = 0;
        int nd = 0;
        while (*p >= '0' && *p <= '9' && nd < 19) {
            v = v * 10 + (unsigned)(*p++ - '0');
            nd++;
        }
        while (*p == ' ' || *p == '\r')
            p++;
        if (!nd || *p)
            return (const char *)-1;
        snprintf(b, 48, "%s%llu", neg && v ? "-" : "", v);
        return b;
    }
    if (ty == EVM_FT_REAL) {
        double d;
        if (evm__parse_double(s, &d) < 0)
            return (const char *)-1;
        evm__gj_fmt(b, d, 9);
        return b;
    }
    return s;
}

/* The event type of name, cached. NULL if unknown. */
static const evm_event_type *type_of(struct tr *t, const char *name)
{
    int found;
    const evm_event_type *ty = smap_get(&t->types, name, &found);
    if (found)
        return ty;
    ty = evm__event_type_find(name);
    smap_put(&t->types, name, (void *)ty);
    return ty;
}

static const evm_basemap *basemap(struct tr *t)
{
    if (!t->bm_tried) {
        t->bm_tried = 1;
        t->bm = evm_basemap_open(NULL, NULL);
    }
    return t->bm;
}

/* ISO alpha-2 of a country column's value: a code as is, a name or ISO3
 * code through the basemap (cached). "" when unknown. */
static const char *country_of(struct tr *t, const char *v, char out[3])
{
    out[0] = '\0';
    if (!v)
        return out;
    if (strlen(v) == 2 && isalpha((unsigned char)v[0]) &&
        isalpha((unsigned char)v[1])) {
        out[0] = (char)toupper((unsigned char)v[0]);
        out[1] = (char)toupper((unsigned char)v[1]);
        out[2] = '\0';
        return out;
    }
    int found;
    char *c = smap_get(&t->countries, v, &found);
    if (!found) {
        evm_bm_feature f;
        const evm_basemap *bm = basemap(t);
        c = malloc(3);
        if (!c)
            return out;
        c[0] = '\0';
        if (bm && evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, v, &f) == 0)
            memcpy(c, f.iso_a2, 3);
        if (smap_put(&t->countries, v, c) < 0) {
            memcpy(out, c, 3);
            free(c);
            return out;
        }
    }
    memcpy(out, c, 3);
    return out;
}

/* Resolves place name (country hint may be NULL) through the gazetteer,
 * cached. Returns the record (owned by the cache or *tmp). */
static struct place_rec *resolve(struct tr *t, const char *name,
                                 const char *country,
                                 struct place_rec **tmp)
{
    char key[600];
    snprintf(key, sizeof key, "%s\x1f%s", name, country ? country : "");
    int found;
    struct place_rec *p = smap_get(&t->places, key, &found);
    if (found)
        return p;
    p = evm__calloc(1, sizeof *p);
    if (!p)
        return NULL;
    evm_geocode_opts go;
    memset(&go, 0, sizeof go);
    go.country = country;
    evm_place pl;
    evm_error e;
    evm_error_clear(&e);
    int n = evm_geocode(t->o->gz, name, &go, &pl, 1, &e);
    if (n == 0 && country) {
        go.country = NULL;
        n = evm_geocode(t->o->gz, name, &go, &pl, 1, &e);
    }
    if (n > 0) {
        p->ok = 1;
        p->fallback = pl.fallback;
        p->precision = pl.precision;
        p->lon = pl.lon;
        p->lat = pl.lat;
        p->name = pl.name ? evm__strdup(pl.name) : NULL;
        p->id = pl.id ? evm__strdup(pl.id) : NULL;
        p->kind = evm__strdup(pl.kind_name && *pl.kind_name
                                  ? pl.kind_name
                                  : evm_kind_str(pl.kind));
        memcpy(p->country, pl.country, 3);
    } else if (n < 0) {
        p->code = EVM_E_INPUT;
        char m[1100];
        snprintf(m, sizeof m, "place \"%.200s\": %.800s", name, e.msg);
        p->msg = evm__strdup(m);
    } else {
        const evm_place *s[1];
        char m[600];
        p->code = EVM_E_NOTFOUND;
        if (evm_geocode_suggest(t->o->gz, name, s, 1) > 0 && s[0])
            snprintf(m, sizeof m, "unknown place \"%.200s\" — did you mean "
                     "\"%.200s\" (%s)?", name, s[0]->name,
                     s[0]->country[0] ? s[0]->country : "no country");
        else
            snprintf(m, sizeof m, "unknown place \"%.200s\"; check the "
                     "spelling, or give lat/lon columns", name);
        p->msg = evm__strdup(m);
    }
    if (smap_put(&t->places, key, p) < 0)
        *tmp = p; /* cache full: the caller frees it after use */
    return p;
}

/* Parses a coordinate column; 0, or the bad() result. */
static int coord(struct tr *t, const struct row *r, int col, const char *s,
                 double lim, const char *what, double *out, int *rc)
{
    double v;
    if (evm__parse_double(s, &v) < 0) {
        *rc = bad(t, r, col, EVM_E_INPUT, "bad %s \"%.40s\" (a number in "
                  "decimal degrees)", what, s);
        return -1;
    }
    if (v < -lim || v > lim) {
        *rc = bad(t, r, col, EVM_E_INPUT, "%s %.40s is out of range "
                  "-%g..%g", what, s, lim, lim);
        return -1;
    }
    *out = v;
    return 0;
}

/* The GDELT CAMEO code -> event type key. */
static const char *gdelt_type(const char *base, const char *root)
{
    static const struct {
        const char *code, *key;
    } m[] = {
        {"145", "riot"},          {"173", "arrests"},
        {"181", "abduction/forced disappearance"},
        {"183", "bombing"},       {"186", "killing"},
        {"194", "shelling"},      {"195", "airstrike"},
        {"14", "protest"},        {"15", "deployment"},
        {"17", "arrests"},        {"18", "attack"},
        {"19", "armed clash"},    {"20", "violence against civilians"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (base && !strcmp(base, m[i].code))
            return m[i].key;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (root && !strcmp(root, m[i].code))
            return m[i].key;
    return "other";
}

/* The fields movements and areas share; 0, or the bad() result in *rc. */
static int common(struct tr *t, const struct row *r, char **side,
                  char **label, char **date, int *claimed, char **color,
                  char cbuf[8], int *rc)
{
    char why[80], tm[21];
    *side = (char *)val(r, t->c_side);
    *label = (char *)val(r, t->c_label);
    const char *dv = val(r, t->c_date);
    *date = NULL;
    if (dv) {
        if (parse_any_date(dv, t->date, tm, why) < 0) {
            *rc = bad(t, r, t->c_date, EVM_E_INPUT, "bad date \"%.40s\": %s",
                      dv, why);
            return -1;
        }
        *date = t->date;
    }
    const char *cf = val(r, t->c_conf);
    *claimed = cf && !strcasecmp(cf, "claimed");
    const char *st = val(r, t->c_stroke);
    *color = NULL;
    if (st) {
        if (evm__parse_color(st, cbuf) < 0) {
            *rc = bad(t, r, t->c_stroke, EVM_E_INPUT, "bad colour "
                      "\"%.40s\" (#rrggbb)", st);
            return -1;
        }
        *color = cbuf;
    }
    return 0;
}

/* The via column evmap writes: "lon,lat;lon,lat" in degrees. Returns the
 * number of points (at most max) or -1 when it is not that. */
static int parse_via(const char *s, evm_placeref *via, int max)
{
    int n = 0;
    while (s && *s) {
        char num[2][40];
        for (int k = 0; k < 2; k++) {
            size_t len = strcspn(s, k == 0 ? "," : ";");
            if (len == 0 || len >= sizeof num[k] || (k == 0 && !s[len]))
                return -1;
            memcpy(num[k], s, len);
            num[k][len] = '\0';
            s += len + (s[len] ? 1 : 0);
        }
        double lon, lat;
        if (n >= max || evm__parse_double(num[0], &lon) != 0 ||
            evm__parse_double(num[1], &lat) != 0 || fabs(lon) > 180 ||
            fabs(lat) > 90)
            return -1;
        memset(&via[n], 0, sizeof via[n]);
        via[n].has_coord = 1;
        via[n].lon = lon;
        via[n].lat = lat;
        n++;
    }
    return n;
}

/* A movement evmap wrote: its ends are the line's first and last points,
 * its route's turning points the via column (the great circles between
 * them are drawn again). */
static int on_movement(struct tr *t, const struct row *r)
{
    enum { MAXVIA = 64 };
    evm_movement mv;
    evm_placeref via[MAXVIA];
    char cbuf[8];
    int rc = 0;
    memset(&mv, 0, sizeof mv);
    const evm_vfeat *g = r->geom;
    if (!g || g->type != EVM_VGEOM_LINE || g->npart < 1 ||
        g->part[g->npart] < 2)
        return bad(t, r, -1, EVM_E_INPUT, "a movement without a line");
    int last = g->part[g->npart] - 1;
    mv.from.has_coord = mv.to.has_coord = 1;
    mv.from.lon = g->lon[0];
    mv.from.lat = g->lat[0];
    mv.to.lon = g->lon[last];
    mv.to.lat = g->lat[last];
    mv.from.name = (char *)val(r, t->c_from);
    mv.to.name = (char *)val(r, t->c_to);
    const char *vs = val(r, t->c_via);
    if (vs) {
        int nv = parse_via(vs, via, MAXVIA);
        if (nv < 0)
            return bad(t, r, t->c_via, EVM_E_INPUT, "via must be up to %d "
                       "points \"lon,lat;lon,lat\" in degrees, got "
                       "\"%.40s\"", MAXVIA, vs);
        mv.via = via;
        mv.nvia = nv;
    }
    mv.pos.line = mv.from.pos.line = mv.to.pos.line = (int)r->index;
    const char *ty = val(r, t->c_type);
    int k = ty ? evm__move_type_find(ty) : 0;
    if (k < 0)
        return bad(t, r, t->c_type, EVM_E_INPUT, "unknown movement type "
                   "\"%.40s\" (advance, withdrawal, airlift, deployment, "
                   "attack, supply)", ty);
    mv.type = (evm_move_type)k;
    if (common(t, r, &mv.side, &mv.label, &mv.date, &mv.claimed, &mv.color,
               cbuf, &rc) < 0)
        return rc;
    if (t->cb->movement &&
        t->cb->movement(t->cb->ud, &mv, t->err) < 0)
        return -1;
    return 0;
}

/* An area evmap wrote: its polygon is found again by its place's name. */
static int on_area(struct tr *t, const struct row *r)
{
    evm_area a;
    char cbuf[8];
    int rc = 0;
    memset(&a, 0, sizeof a);
    a.where.name = (char *)val(r, t->c_place);
    if (!a.where.name)
        return bad(t, r, t->c_place, EVM_E_INPUT, "an area without a place "
                   "name (its polygon came from a file) cannot be read "
                   "back");
    a.where.resolved_name = (char *)val(r, t->c_pname);
    a.where.resolved_id = (char *)val(r, t->c_pid);
    a.where.resolved_kind = (char *)val(r, t->c_pkind);
    const char *pc = val(r, t->c_pcountry);
    if (pc)
        snprintf(a.where.resolved_country, 3, "%s", pc);
    a.pos.line = a.where.pos.line = (int)r->index;
    a.type = (char *)val(r, t->c_type);
    if (common(t, r, &a.side, &a.label, &a.date, &a.claimed, &a.color, cbuf,
               &rc) < 0)
        return rc;
    if (t->cb->area && t->cb->area(t->cb->ud, &a, t->err) < 0)
        return -1;
    return 0;
}

/* One row -> one event (or a skipped row). 0, or -1 + err to stop. */
static int on_row(struct tr *t, const struct row *r)
{
    if (t->gdal && t->fmt == F_GENERIC && t->c_feature >= 0) {
        const char *f = val(r, t->c_feature);
        if (f && !strcmp(f, "movement"))
            return on_movement(t, r);
        if (f && !strcmp(f, "area"))
            return on_area(t, r);
    }
    evm_event e;
    memset(&e, 0, sizeof e);
    e.fatalities = -1;
    e.pos.line = t->gdal ? (int)r->index : (int)r->line;
    e.pos.col = 1;
    t->st->rows++;
    int rc = 0;
    struct place_rec *tmp = NULL;
    /* the shape of the row */
    if (!t->gdal) {
        if (r->n != t->ncol) {
            if (t->fmt == F_GDELT1 || t->fmt == F_GDELT2)
                return bad(t, r, -1, EVM_E_INPUT, "a row of %d fields in a "
                           "GDELT file of %d columns", r->n, t->ncol);
            return bad(t, r, r->n > t->ncol ? t->ncol : -1, EVM_E_INPUT,
                       "%d fields, the header has %d", r->n, t->ncol);
        }
        for (int i = 0; i < r->n; i++) {
            long off = evm__utf8_bad_offset(r->v[i], r->len[i]);
            if (off >= 0)
                return bad(t, r, i, EVM_E_INPUT, "invalid UTF-8 (byte 0x%02x"
                           " at byte %ld of the field); save the table as "
                           "UTF-8", (unsigned char)r->v[i][off], off + 1);
        }
    }
    /* where */
    const char *country_hint = NULL;
    char cc[3] = "";
    if (t->fmt == F_GDELT1 || t->fmt == F_GDELT2) {
        const char *la = val(r, t->g_lat), *lo = val(r, t->g_lon);
        if (!la || !lo) {
            t->st->no_location++;
            return 0;
        }
        if (coord(t, r, t->g_lat, la, 90, "latitude", &e.where.lat, &rc) <
                0 ||
            coord(t, r, t->g_lon, lo, 180, "longitude", &e.where.lon, &rc) <
                0)
            return rc;
        e.where.has_coord = 1;
        e.where.pos.line = e.pos.line;
        e.where.pos.col = r->fcol[t->g_lat];
        e.where.name = (char *)val(r, t->g_name);
        const char *fc = val(r, t->g_cc);
        const char *iso = evm__fips_to_iso(fc);
        if (iso)
            memcpy(e.where.resolved_country, iso, 3);
        static const char *const kinds[] = {"", "country", "admin1", "city",
                                            "city", "admin1"};
        const char *gt = val(r, t->g_type);
        int k = gt && gt[0] >= '1' && gt[0] <= '5' && !gt[1] ? gt[0] - '0'
                                                             : 0;
        e.where.resolved_kind = k ? (char *)kinds[k] : NULL;
        const char *fid = val(r, t->g_fid);
        if (fid) {
            snprintf(t->pid, sizeof t->pid, "%s:%.80s",
                     k == 3 ? "gnis" : k == 4 ? "gns" : "fips", fid);
            e.where.resolved_id = t->pid;
        }
    } else {
        const char *la = val(r, t->c_lat), *lo = val(r, t->c_lon);
        if (t->gdal && r->has_geom) {
            e.where.lon = r->glon;
            e.where.lat = r->glat;
            if (!(fabs(e.where.lat) <= 90) || !(fabs(e.where.lon) <= 180))
                return bad(t, r, -1, EVM_E_INPUT, "coordinates %g, %g out "
                           "of range", r->glon, r->glat);
            e.where.has_coord = 1;
        } else if (la && lo) {
            if (coord(t, r, t->c_lat, la, 90, "latitude", &e.where.lat,
                      &rc) < 0 ||
                coord(t, r, t->c_lon, lo, 180, "longitude", &e.where.lon,
                      &rc) < 0)
                return rc;
            e.where.has_coord = 1;
        } else if ((la || lo) && t->c_place < 0) {
            return bad(t, r, la ? t->c_lon : t->c_lat, EVM_E_INPUT,
                       "%s is missing", la ? "longitude" : "latitude");
        }
        int pcol = t->c_place;
        e.where.name = (char *)val(r, pcol);
        e.where.pos.line = t->gdal ? e.pos.line
                           : pcol >= 0 ? (int)r->fline[pcol]
                           : t->c_lat >= 0 ? (int)r->fline[t->c_lat]
                                           : e.pos.line;
        e.where.pos.col = t->gdal ? 1
                          : pcol >= 0 ? r->fcol[pcol]
                          : t->c_lat >= 0 ? r->fcol[t->c_lat]
                                          : 1;
        const char *cv = val(r, t->c_country);
        if (!cv)
            cv = val(r, t->c_iso3);
        country_hint = cv;
        if (cv)
            country_of(t, cv, cc);
        if (e.where.has_coord) {
            memcpy(e.where.resolved_country, cc, 3);
            const char *pc = val(r, t->c_pcountry);
            if (pc)
                snprintf(e.where.resolved_country, 3, "%s", pc);
            e.where.resolved_name = (char *)val(r, t->c_pname);
            e.where.resolved_id = (char *)val(r, t->c_pid);
            e.where.resolved_kind = (char *)val(r, t->c_pkind);
        } else if (!e.where.name) {
            return bad(t, r, pcol >= 0 ? pcol : t->c_lat, EVM_E_INPUT,
                       "no coordinates and no place name");
        } else if (t->defer) {
            if (!(e.where.file = evm__strdup(t->path)))
                return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"),
                       -1;
            e.where.country = cc[0] ? cc : (char *)country_hint;
        } else if (!t->o->gz) {
            return bad(t, r, pcol, EVM_E_NOTFOUND, "place \"%.200s\" needs "
                       "the gazetteer, which is not loaded", e.where.name);
        } else {
            struct place_rec *p = resolve(t, e.where.name,
                                          cc[0] ? cc : country_hint, &tmp);
            if (!p)
                return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"),
                       -1;
            if (!p->ok) {
                rc = bad(t, r, pcol, p->code, "%s", p->msg ? p->msg : "");
                place_free(tmp);
                return rc;
            }
            e.where.has_coord = 1;
            e.where.lon = p->lon;
            e.where.lat = p->lat;
            e.where.resolved_name = p->name;
            e.where.resolved_id = p->id;
            e.where.resolved_kind = p->kind;
            e.where.precision = p->precision;
            memcpy(e.where.resolved_country, p->country, 3);
            /* a name not found where its qualifiers say is placed at
             * their area (tables always allow it) and counted */
            if (p->fallback && t->st)
                t->st->approximate++;
        }
    }
    /* type */
    int tcol = -1;
    const char *tn = NULL;
    if (t->fmt == F_GDELT1 || t->fmt == F_GDELT2) {
        tn = gdelt_type(val(r, 27), val(r, 28));
        tcol = 28;
    } else if (t->fmt == F_UCDP) {
        const char *v = val(r, t->c_type);
        tcol = t->c_type;
        tn = !v ? "armed clash" : !strcmp(v, "3") ? "attack" : "armed clash";
        if (v && strcmp(v, "1") && strcmp(v, "2") && strcmp(v, "3")) {
            rc = bad(t, r, tcol, EVM_E_INPUT, "type_of_violence must be 1, 2 "
                     "or 3, got \"%.40s\"", v);
            goto out;
        }
    } else {
        int c3[3] = {t->c_type, t->c_sub, t->c_evt};
        for (int i = 0; i < 3 && !tn; i++)
            if ((tn = val(r, c3[i])))
                tcol = c3[i];
        if (!tn)
            tn = "other";
    }
    e.type = type_of(t, tn);
    if (!e.type && t->fmt != F_GENERIC) {
        /* ACLED: an unknown sub-event type falls back on the event type */
        const char *v = val(r, t->c_evt);
        if (v && (e.type = type_of(t, v)))
            tn = v;
    }
    if (!e.type) {
        const char *s = evm__event_type_suggest(tn);
        if (s)
            rc = bad(t, r, tcol, EVM_E_INPUT, "unknown event type \"%.60s\" "
                     "— did you mean \"%s\"?", tn, s);
        else
            rc = bad(t, r, tcol, EVM_E_INPUT, "unknown event type \"%.60s\";"
                     " use an ACLED event or sub-event type or a short word "
                     "such as clash, protest, riot, airstrike", tn);
        goto out;
    }
    e.type_name = (char *)tn;
    /* date and time */
    char why[80];
    const char *dv = val(r, t->c_date), *tv = val(r, t->c_time);
    if (dv) {
        if (cached_date(t, dv, t->date, t->time, why) < 0) {
            rc = bad(t, r, t->c_date, EVM_E_INPUT, "bad date \"%.40s\": %s",
                     dv, why);
            goto out;
        }
        e.date = t->date;
        e.time = t->time[0] ? t->time : NULL;
    }
    if (tv) {
        char d2[11], t2[21];
        if (parse_any_date(tv, d2, t2, why) < 0 || !t2[0]) {
            rc = bad(t, r, t->c_time, EVM_E_INPUT, "bad time \"%.40s\": give "
                     "a date-time such as 2022-01-06T14:00:00Z", tv);
            goto out;
        }
        memcpy(t->time, t2, 21);
        e.time = t->time;
        if (!e.date) {
            memcpy(t->date, d2, 11);
            e.date = t->date;
        }
    }
    /* the rest */
    e.label = (char *)val(r, t->c_label);
    e.side = (char *)val(r, t->c_side);
    const char *fv = val(r, t->c_fat);
    if (fv) {
        long f = parse_count(fv);
        if (f < 0) {
            rc = bad(t, r, t->c_fat, EVM_E_INPUT, "fatalities must be a "
                     "whole number >= 0, got \"%.40s\"", fv);
            goto out;
        }
        e.fatalities = (int)f;
    }
    const char *cf = val(r, t->c_conf);
    if (cf) {
        if (!strcasecmp(cf, "claimed"))
            e.claimed = 1;
        else if (strcasecmp(cf, "assessed")) {
            rc = bad(t, r, t->c_conf, EVM_E_INPUT, "confidence must be "
                     "assessed or claimed, got \"%.40s\"", cf);
            goto out;
        }
    }
    for (int i = 0; i < t->nx; i++) {
        const char *x = norm_extra(val(r, t->xcol[i]), t->xtype[i],
                                   t->xbuf[i]);
        if (x == (const char *)-1) {
            rc = bad(t, r, t->xcol[i], EVM_E_INPUT, "bad number \"%.40s\" "
                     "in column %s", val(r, t->xcol[i]), t->xname[i]);
            goto out;
        }
        t->xval[i] = x;
    }
    t->st->events++;
    if (t->cb->event && t->cb->event(t->cb->ud, &e, t->xval, t->err) < 0)
        rc = -1;
out:
    free(e.where.file);
    place_free(tmp);
    return rc;
}

/* Calls begin once, with the extras known so far. */
static int do_begin(struct tr *t)
{
    if (t->begun)
        return 0;
    t->begun = 1;
    snprintf(t->st->format, sizeof t->st->format, "%s",
             t->gdal ? "gdal" : FORMAT_NAMES[t->fmt]);
    evm__extras x = {t->nx, (const char *const *)t->xname, t->xtype};
    return t->cb->begin ? t->cb->begin(t->cb->ud, t->st, &x, t->err) : 0;
}

/* 1 if the row is an HXL hashtag row (HDX's second header line). */
static int hxl_row(const struct row *r)
{
    int tags = 0;
    for (int i = 0; i < r->n; i++) {
        const char *s = r->v[i];
        if (!s || !*s)
            continue;
        if (*s != '#')
            return 0;
        tags++;
    }
    return tags > 0;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static evm_status read_csv(struct tr *t)
{
    evm__csv *c = evm__csv_open(t->path, t->err);
    if (!c)
        return t->err && t->err->code ? t->err->code : EVM_E_IO;
    evm_status st = EVM_OK;
    char **hdr = NULL;
    int nh = 0;
    int r = evm__csv_next(c, t->err);
    if (r < 0) {
        st = t->err->code;
        goto out;
    }
    int pending = 0; /* the first record is data (GDELT) */
    if (r == 0) {
        /* an empty file: an empty table */
        t->fmt = F_GENERIC;
        t->ncol = 0;
        if (extras_alloc(t, 1) < 0 || do_begin(t) < 0)
            st = t->err && t->err->code ? t->err->code : EVM_E_NOMEM;
        goto out;
    }
    int n = evm__csv_nfield(c);
    if (evm__csv_delim(c) == '\t' && (n == 57 || n == 58 || n == 61) &&
        all_digits(evm__csv_field(c, 0))) {
        t->fmt = n == 61 ? F_GDELT2 : F_GDELT1;
        pending = 1;
        if (setup(t, NULL, n, NULL) < 0) {
            st = t->err->code;
            goto out;
        }
    } else {
        nh = n;
        if (!(hdr = evm__calloc((size_t)n, sizeof *hdr))) {
            st = evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
            goto out;
        }
        for (int i = 0; i < n; i++) {
            const char *f = evm__csv_field(c, i);
            if (evm__utf8_bad_offset(f, evm__csv_field_len(c, i)) >= 0) {
                st = evm_error_set(t->err, EVM_E_INPUT, "%s:%ld:%d: invalid "
                                   "UTF-8 in the header; save the table as "
                                   "UTF-8", t->path,
                                   evm__csv_field_line(c, i),
                                   evm__csv_field_col(c, i));
                goto out;
            }
            if (!(hdr[i] = evm__strdup(f))) {
                st = evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
                goto out;
            }
        }
        if (setup(t, (const char *const *)hdr, n, NULL) < 0) {
            st = t->err->code;
            goto out;
        }
    }
    if (do_begin(t) < 0) {
        st = t->err->code ? t->err->code : EVM_E_IO;
        goto out;
    }
    int first = 1;
    for (;;) {
        if (!pending) {
            r = evm__csv_next(c, t->err);
            if (r < 0) {
                st = t->err->code;
                break;
            }
            if (r == 0)
                break;
        }
        pending = 0;
        struct row row;
        memset(&row, 0, sizeof row);
        row.n = evm__csv_nfield(c);
        row.v = evm__csv_fields(c);
        row.len = evm__csv_lens(c);
        row.fline = evm__csv_lines(c);
        row.fcol = evm__csv_cols(c);
        row.line = evm__csv_line(c);
        if (first && hxl_row(&row)) {
            first = 0;
            continue;
        }
        first = 0;
        if (on_row(t, &row) < 0) {
            st = t->err->code ? t->err->code : EVM_E_INPUT;
            break;
        }
    }
out:
    for (int i = 0; i < nh && hdr; i++)
        free(hdr[i]);
    free(hdr);
    evm__csv_close(c);
    return st;
}

/* ------------------------------------------------------ GDAL sources */

struct gctx {
    struct tr *t;
    int stop;
    char **names; /* copies of the current layer's field names */
    int nnames;
};

static void gnames_free(struct gctx *g)
{
    for (int i = 0; i < g->nnames; i++)
        free(g->names[i]);
    free(g->names);
    g->names = NULL;
    g->nnames = 0;
}

static int on_gdal_row(void *ud, const evm_gdal_row *gr)
{
    struct gctx *g = ud;
    struct tr *t = g->t;
    if (gr->layer_index != t->layer) {
        /* a new layer: map its fields (extras stay those of the first) */
        t->layer = gr->layer_index;
        gnames_free(g);
        if (!(g->names = evm__calloc((size_t)gr->nfield + 1,
                                     sizeof *g->names))) {
            evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
            return g->stop = 1;
        }
        for (int i = 0; i < gr->nfield; i++)
            if (!(g->names[i] = evm__strdup(gr->name[i]))) {
                evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
                return g->stop = 1;
            }
        g->nnames = gr->nfield;
        if (!t->begun) {
            if (setup(t, gr->name, gr->nfield, gr->type) < 0 ||
                do_begin(t) < 0)
                return g->stop = 1;
        } else {
            /* keep the extras' names, find them in this layer */
            int nx = t->nx;
            char **xn = t->xname;
            evm_ftype *xt = t->xtype;
            t->xname = NULL;
            t->xtype = NULL;
            t->nx = 0;
            int fmt = t->fmt;
            int rc = setup(t, gr->name, gr->nfield, gr->type);
            t->fmt = fmt;
            extras_free(t);
            if (rc < 0 || extras_alloc(t, nx) < 0) {
                for (int i = 0; i < nx; i++)
                    free(xn[i]);
                free(xn);
                free(xt);
                if (rc >= 0)
                    evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
                return g->stop = 1;
            }
            for (int i = 0; i < nx; i++) {
                const char *c[2] = {xn[i], NULL};
                t->xname[i] = xn[i];
                t->xtype[i] = xt[i];
                t->xcol[i] = find_col(gr->name, gr->nfield, c);
            }
            t->nx = nx;
            free(xn);
            free(xt);
        }
    }
    struct row r;
    memset(&r, 0, sizeof r);
    r.n = gr->nfield;
    r.v = gr->value;
    r.layer = gr->layer;
    r.index = gr->index;
    r.has_geom = gr->geom && isfinite(gr->lon) && isfinite(gr->lat);
    r.glon = gr->lon;
    r.glat = gr->lat;
    r.geom = gr->geom;
    if (on_row(t, &r) < 0)
        return g->stop = 1;
    return 0;
}

static evm_status read_gdal(struct tr *t)
{
    const evm_gdal_api *api = evm__gdal(t->err);
    if (!api)
        return t->err->code;
    if (!api->read_rows)
        return evm_error_set(t->err, EVM_E_LIB, "the GDAL module cannot "
                             "read tables; reinstall evmap");
    struct gctx g = {t, 0, NULL, 0};
    t->gdal = 1;
    t->layer = -1;
    t->fmt = F_GENERIC;
    evm_status st = api->read_rows(t->path, on_gdal_row, &g, t->err);
    gnames_free(&g);
    if (st == EVM_OK && g.stop)
        st = t->err->code ? t->err->code : EVM_E_INPUT;
    if (st == EVM_OK && !t->begun) {
        if (extras_alloc(t, 1) < 0)
            return evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
        if (do_begin(t) < 0)
            st = t->err->code ? t->err->code : EVM_E_IO;
    }
    return st;
}

/* 1 when path ends in one of ext[] (NULL-terminated, case-insensitive),
 * a ".gz" after it allowed; *stem_len (may be NULL) gets the length
 * without that ".gz". */
static int has_ext(const char *path, const char *const *ext,
                   size_t *stem_len)
{
    size_t n = strlen(path);
    if (n > 3 && !strcasecmp(path + n - 3, ".gz"))
        n -= 3;
    if (stem_len)
        *stem_len = n;
    for (int i = 0; ext[i]; i++) {
        size_t k = strlen(ext[i]);
        if (n >= k && !strncasecmp(path + n - k, ext[i], k))
            return 1;
    }
    return 0;
}

/* By extension: GDAL reads these; the rest goes through the tokenizer. */
static int gdal_source(const char *path)
{
    static const char *const ext[] = {".geojson", ".json", ".gpkg", ".shp",
                                      ".kml", ".kmz", ".fgb", ".gml",
                                      ".geojsonl", ".geojsons", ".sqlite",
                                      ".gdb", ".zip", NULL};
    return has_ext(path, ext, NULL) || !strncmp(path, "/vsi", 4);
}

/* Contract in tables.h. */
evm_status evm__table_read(const char *path, const evm_table_opts *o,
                           int defer_places, const evm__table_cb *cb,
                           evm_table_stats *st, evm_error *err)
{
    struct tr t;
    evm_table_opts defo;
    evm_table_stats dst;
    evm_error local;
    if (!o) {
        evm_table_opts_init(&defo);
        o = &defo;
    }
    if (!st)
        st = &dst;
    if (!err) {
        evm_error_clear(&local);
        err = &local;
    }
    memset(st, 0, sizeof *st);
    memset(&t, 0, sizeof t);
    t.path = path;
    t.o = o;
    t.defer = defer_places;
    t.st = st;
    t.cb = cb;
    t.err = err;
    t.layer = -1;
    t.maxw = o->max_warnings > 0 ? o->max_warnings : 20;
    if (smap_init(&t.types, 1024) < 0 || smap_init(&t.countries, 1024) < 0 ||
        smap_init(&t.places, 1 << 16) < 0 ||
        smap_init(&t.dates, 1 << 14) < 0) {
        smap_free(&t.dates, NULL);
        smap_free(&t.types, NULL);
        smap_free(&t.countries, NULL);
        smap_free(&t.places, NULL);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    evm_status s = gdal_source(path) ? read_gdal(&t) : read_csv(&t);
    if (s == EVM_OK && err->code != EVM_OK)
        s = err->code;
    extras_free(&t);
    smap_free(&t.types, NULL);
    smap_free(&t.countries, free);
    smap_free(&t.places, place_free);
    smap_free(&t.dates, free);
    evm_basemap_close(t.bm);
    return s;
}

/* ------------------------------------------------------------ maps */

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

/* Contract in tables.h. */
int evm__map_add_event(evm_map *m, const evm_event *e)
{
    if (grow_pow2((void **)&m->events, m->nevents, sizeof *m->events) < 0)
        return -1;
    evm_event *d = &m->events[m->nevents];
    memset(d, 0, sizeof *d);
    int bad = 0;
    d->where.name = dup_or_null(e->where.name, &bad);
    d->where.country = dup_or_null(e->where.country, &bad);
    d->where.kind = dup_or_null(e->where.kind, &bad);
    d->where.has_coord = e->where.has_coord;
    d->where.lon = e->where.lon;
    d->where.lat = e->where.lat;
    d->where.resolved_name = dup_or_null(e->where.resolved_name, &bad);
    d->where.resolved_id = dup_or_null(e->where.resolved_id, &bad);
    d->where.resolved_kind = dup_or_null(e->where.resolved_kind, &bad);
    memcpy(d->where.resolved_country, e->where.resolved_country, 3);
    d->where.pos = e->where.pos;
    d->where.file = dup_or_null(e->where.file, &bad);
    d->type_name = dup_or_null(e->type_name, &bad);
    d->type = e->type;
    d->date = dup_or_null(e->date, &bad);
    d->time = dup_or_null(e->time, &bad);
    d->label = dup_or_null(e->label, &bad);
    d->fatalities = e->fatalities;
    d->side = dup_or_null(e->side, &bad);
    d->claimed = e->claimed;
    d->pos = e->pos;
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
    d->resolved_name = dup_or_null(s->resolved_name, bad);
    d->resolved_id = dup_or_null(s->resolved_id, bad);
    d->resolved_kind = dup_or_null(s->resolved_kind, bad);
    memcpy(d->resolved_country, s->resolved_country, 3);
    d->pos = s->pos;
}

/* Contract in tables.h. */
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

/* Contract in tables.h. */
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
    if (has_ext(path, ext, &n))
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
    if (evm__map_add_event(ud, e) < 0) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return 0;
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
    /* the data's source in the footer, as its licence asks */
    const char *src = !strcmp(st.format, "acled")
                          ? "Data: ACLED, acleddata.com"
                      : !strncmp(st.format, "gdelt", 5)
                          ? "Data: The GDELT Project, gdeltproject.org"
                      : !strcmp(st.format, "ucdp")
                          ? "Data: UCDP Georeferenced Event Dataset, ucdp.uu.se"
                          : NULL;
    if (src && !(m->source = evm__strdup(src))) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
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
