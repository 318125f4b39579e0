/* Feature export: the sink that turns model objects into features with
 * the fields and styles every format shares, and evm__export, which
 * sends a whole map through one. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "export/export.h"
#include "geo/geo.h"
#include "basemap/basemap.h"
#include "spec/spec.h"
#include "style/style.h"

/* ------------------------------------------------------------- fields */

enum { L_EVENTS = 0, L_MOVES, L_AREAS };

#define S EVM_FT_STRING
#define I EVM_FT_INT
#define R EVM_FT_REAL
#define D EVM_FT_DATE
#define T EVM_FT_DATETIME

/* Events: these, then the table's extra columns, then the style. */
static const evm_ogr_field EV_CORE[] = {
    {"feature", S},    {"type", S},       {"event_type", S},
    {"sub_event_type", S}, {"date", D},   {"time", T},
    {"label", S},      {"fatalities", I}, {"side", S},
    {"confidence", S}, {"place", S},      {"place_name", S},
    {"place_id", S},   {"place_country", S}, {"place_kind", S},
    {"precision", S}};
#define NEV_CORE ((int)(sizeof EV_CORE / sizeof EV_CORE[0]))
static const evm_ogr_field EV_STYLE[] = {
    {"marker-color", S}, {"marker-symbol", S}, {"marker-size", S}};
#define NEV_STYLE 3

static const evm_ogr_field MV_FIELDS[] = {
    {"feature", S},   {"type", S},           {"label", S},
    {"date", D},      {"time", T},           {"side", S},
    {"confidence", S}, {"from", S},          {"to", S},
    {"via", S},
    {"stroke", S},    {"stroke-width", R},   {"stroke-opacity", R},
    {"stroke-dasharray", S}};
#define NMV ((int)(sizeof MV_FIELDS / sizeof MV_FIELDS[0]))

static const evm_ogr_field AR_FIELDS[] = {
    {"feature", S},   {"type", S},           {"label", S},
    {"date", D},      {"time", T},           {"side", S},
    {"confidence", S}, {"place", S},         {"place_name", S},
    {"place_id", S},  {"place_country", S},  {"place_kind", S},
    {"stroke", S},    {"stroke-width", R},   {"stroke-opacity", R},
    {"fill", S},      {"fill-opacity", R},   {"stroke-dasharray", S}};
#define NAR ((int)(sizeof AR_FIELDS / sizeof AR_FIELDS[0]))

#undef S
#undef I
#undef R
#undef D
#undef T

/* --------------------------------------------------------------- sink */

struct evm__sink {
    evm_format fmt;
    const evm_map *m;
    const evm_theme_def *th;
    evm__sides sides;            /* the side palette: the map's, or the
                                  * sides in the order they stream in */
    char *side_own[EVM_SIDES_MAX]; /* ... then copies of their names */
    evm_atomic out;              /* GeoJSON */
    FILE *direct;                /* ... or a device or pipe given as -o */
    evm__gj *gj;
    const evm_gdal_api *api;     /* the other formats */
    evm_ogr_writer *ow;
    int lidx[3];                 /* writer layer of events/moves/areas */
    evm__extras x;
    evm_ogr_field *evf;          /* the events' fields */
    int nevf;
    evm__prop *prop;             /* scratch: the widest layer's fields */
    const char **val;
    int nprop_max;
    evm_basemap *bm;             /* opened for the first area */
    /* scratch geometry */
    double *lon, *lat, *olon, *olat;
    int *part, *starts;
    unsigned char *hole;
    size_t cap, pcap;
    double *rlon, *rlat;         /* rounded copy for OGR */
    size_t rcap;
    double *cut_lon, *cut_lat;   /* rings cut at the antimeridian */
    int *cut_part;
    unsigned char *cut_hole;
};

static void sink_free(evm__sink *s)
{
    if (!s)
        return;
    for (int i = 0; i < EVM_SIDES_MAX; i++)
        free(s->side_own[i]);
    free(s->evf);
    free(s->prop);
    free(s->val);
    free(s->lon);
    free(s->lat);
    free(s->olon);
    free(s->olat);
    free(s->part);
    free(s->starts);
    free(s->hole);
    free(s->rlon);
    free(s->rlat);
    free(s->cut_lon);
    free(s->cut_lat);
    free(s->cut_part);
    free(s->cut_hole);
    evm_basemap_close(s->bm);
    free(s);
}

/* A sink without a map learns its side palette as features stream in:
 * the first side seen is red, the second blue, as on the map. Keeps a
 * copy of a new side's name; -1 when out of memory. */
static int side_learn(evm__sink *s, const char *side)
{
    if (s->m || !side || !*side || evm__sides_find(&s->sides, side) >= 0 ||
        s->sides.n >= EVM_SIDES_MAX)
        return 0;
    char *c = evm__strdup(side);
    if (!c)
        return -1;
    s->side_own[s->sides.n] = c;
    evm__sides_add(&s->sides, c);
    return 0;
}

/* Contract in export.h. */
evm__sink *evm__sink_open(const char *path, evm_format fmt, const evm_map *m,
                          const evm__extras *extras, unsigned layers,
                          evm_error *err)
{
    evm__sink *s = evm__calloc(1, sizeof *s);
    if (!s) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    s->fmt = fmt;
    s->m = m;
    s->th = evm__theme(m ? m->theme : EVM_THEME_LIGHT);
    evm__sides_of_map(&s->sides, m);
    if (extras)
        s->x = *extras;
    int nev = NEV_CORE + s->x.n + NEV_STYLE;
    s->nprop_max = nev > NAR ? nev : NAR;
    if (s->nprop_max < NMV)
        s->nprop_max = NMV;
    s->prop = evm__calloc((size_t)s->nprop_max, sizeof *s->prop);
    s->val = evm__calloc((size_t)s->nprop_max, sizeof *s->val);
    if (!s->prop || !s->val) {
        sink_free(s);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    s->lidx[0] = s->lidx[1] = s->lidx[2] = -1;
    evm_ogr_field *evf = s->evf = evm__calloc((size_t)nev, sizeof *evf);
    if (!evf) {
        sink_free(s);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    s->nevf = nev;
    memcpy(evf, EV_CORE, sizeof EV_CORE);
    for (int i = 0; i < s->x.n; i++)
        evf[NEV_CORE + i] = (evm_ogr_field){s->x.name[i], s->x.type[i]};
    memcpy(evf + NEV_CORE + s->x.n, EV_STYLE, sizeof EV_STYLE);
    /* a device or pipe (-o /dev/stdout, a FIFO) is written in place: a
     * temporary file renamed over it would replace it */
    struct stat sb;
    int special = strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
                  !S_ISREG(sb.st_mode);
    if (special && (S_ISDIR(sb.st_mode) || fmt != EVM_FMT_GEOJSON)) {
        sink_free(s);
        evm_error_set(err, EVM_E_USAGE, "%s: not a regular file; give a "
                      "file name for this format", path);
        return NULL;
    }
    if (fmt == EVM_FMT_GEOJSON) {
        if (special) {
            if (!(s->direct = fopen(path, "wb"))) {
                evm_error_set(err, EVM_E_IO, "%s: cannot write: %s", path,
                              strerror(errno));
                sink_free(s);
                return NULL;
            }
        } else if (evm__atomic_open(&s->out, path, err) != EVM_OK) {
            sink_free(s);
            return NULL;
        }
        if (!(s->gj = evm__gj_new(s->direct ? s->direct : s->out.f))) {
            if (s->direct)
                fclose(s->direct);
            else
                evm__atomic_abort(&s->out);
            sink_free(s);
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return NULL;
        }
        return s;
    }
    if (!strcmp(path, "-")) {
        sink_free(s);
        evm_error_set(err, EVM_E_USAGE, "this format cannot go to stdout; "
                      "give -o FILE (or use -f geojson)");
        return NULL;
    }
    if (!(s->api = evm__gdal(err)) || !s->api->writer_open) {
        if (s->api)
            evm_error_set(err, EVM_E_LIB, "the GDAL module has no writer; "
                          "reinstall evmap");
        sink_free(s);
        return NULL;
    }
    /* the layers asked for, in a fixed order */
    evm_ogr_layer L[3];
    int nl = 0;
    if (layers & EVM_SINK_EVENTS || !layers) {
        s->lidx[L_EVENTS] = nl;
        L[nl++] = (evm_ogr_layer){"events", EVM_VGEOM_POINT, nev, evf};
    }
    if (layers & EVM_SINK_MOVEMENTS) {
        s->lidx[L_MOVES] = nl;
        L[nl++] = (evm_ogr_layer){"movements", EVM_VGEOM_LINE, NMV,
                                  MV_FIELDS};
    }
    if (layers & EVM_SINK_AREAS) {
        s->lidx[L_AREAS] = nl;
        L[nl++] = (evm_ogr_layer){"areas", EVM_VGEOM_POLYGON, NAR,
                                  AR_FIELDS};
    }
    s->ow = s->api->writer_open(path, fmt, nl, L, err);
    if (!s->ow) {
        sink_free(s);
        return NULL;
    }
    return s;
}

/* Hands one feature to the output. */
static evm_status emit(evm__sink *s, int layer, const evm_vfeat *g,
                       const evm_ogr_field *f, int nf, evm_error *err)
{
    if (s->gj) {
        for (int i = 0; i < nf; i++)
            s->prop[i] = (evm__prop){f[i].name, f[i].type, s->val[i]};
        if (evm__gj_feature(s->gj, g, s->prop, nf) < 0)
            return evm_error_set(err, EVM_E_IO, "%s: write failed",
                                 s->out.path ? s->out.path : "output");
        return EVM_OK;
    }
    if (s->lidx[layer] < 0)
        return evm_error_set(err, EVM_E_USAGE, "no output layer for this "
                             "feature");
    /* the GeoJSON's precision in every format */
    size_t n = g->npart > 0 ? (size_t)g->part[g->npart] : 0;
    if (n > s->rcap) {
        double *a = realloc(s->rlon, n * sizeof *a);
        if (a)
            s->rlon = a;
        double *b = realloc(s->rlat, n * sizeof *b);
        if (b)
            s->rlat = b;
        if (!a || !b)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        s->rcap = n;
    }
    const double k = 1e6; /* EVM_EXPORT_DECIMALS */
    for (size_t i = 0; i < n; i++) {
        s->rlon[i] = round(g->lon[i] * k) / k;
        s->rlat[i] = round(g->lat[i] * k) / k;
    }
    evm_vfeat r = *g;
    r.lon = s->rlon;
    r.lat = s->rlat;
    return s->api->writer_write(s->ow, s->lidx[layer], &r, s->val, err);
}

/* "2022-01-06T00:00:00Z" for a day without a time of day. */
static const char *time_of(const char *date, const char *time, char b[32])
{
    if (time)
        return time;
    if (!date || strlen(date) != 10)
        return NULL;
    memcpy(b, date, 10);
    memcpy(b + 10, "T00:00:00Z", 11);
    return b;
}

static const char *str_or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* Contract in export.h. */
evm_status evm__sink_event(evm__sink *s, const evm_event *e,
                           const char *const *extra, evm_error *err)
{
    char fat[40], tb[32], color[8];
    const char **v = s->val;
    const evm_event_type *t = e->type;
    v[0] = "event";
    v[1] = t->key;
    v[2] = t ? t->event_type : NULL;
    v[3] = t ? t->sub_event_type : NULL;
    v[4] = str_or_null(e->date);
    v[5] = time_of(e->date, e->time, tb);
    v[6] = str_or_null(e->label);
    if (e->fatalities >= 0) {
        evm__gj_fmt(fat, e->fatalities, 0);
        v[7] = fat;
    } else {
        v[7] = NULL;
    }
    v[8] = str_or_null(e->side);
    v[9] = e->claimed ? "claimed" : "assessed";
    v[10] = str_or_null(e->where.name);
    v[11] = str_or_null(EVM_H(&e->where)->resolved_name);
    v[12] = str_or_null(EVM_H(&e->where)->resolved_id);
    v[13] = str_or_null(e->where.resolved_country);
    v[14] = str_or_null(EVM_H(&e->where)->resolved_kind);
    v[15] = evm_precision_str(e->where.precision);
    int k = NEV_CORE;
    for (int i = 0; i < s->x.n; i++)
        v[k++] = extra ? extra[i] : NULL;
    evm__color_hex(color, evm__marker_color(s->th, t));
    v[k++] = color;
    v[k++] = evm__marker_symbol(t);
    v[k++] = evm__marker_size_name(e->fatalities);
    double lon = e->where.lon, lat = e->where.lat;
    int part[2] = {0, 1};
    evm_vfeat g = {EVM_VGEOM_POINT, 1, part, NULL, &lon, &lat, NULL, NULL};
    if (!e->where.has_coord || !isfinite(lon) || !isfinite(lat))
        return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: event has no "
                             "location (resolve the map first)",
                             s->m && s->m->file ? s->m->file : "<map>",
                             e->pos.line, e->pos.col);
    return emit(s, L_EVENTS, &g, s->evf, k, err);
}

static int reserve(evm__sink *s, size_t n, size_t nparts)
{
    if (n > s->cap) {
        size_t c = n + n / 2 + 16;
        double *a = realloc(s->lon, c * sizeof *a);
        if (a)
            s->lon = a;
        double *b = realloc(s->lat, c * sizeof *b);
        if (b)
            s->lat = b;
        double *x = realloc(s->olon, 3 * c * sizeof *x);
        if (x)
            s->olon = x;
        double *y = realloc(s->olat, 3 * c * sizeof *y);
        if (y)
            s->olat = y;
        int *st = realloc(s->starts, (c + 1) * sizeof *st);
        if (st)
            s->starts = st;
        if (!a || !b || !x || !y || !st)
            return -1;
        s->cap = c;
    }
    if (nparts + 1 > s->pcap) {
        size_t c = nparts + 16;
        int *p = realloc(s->part, c * sizeof *p);
        if (p)
            s->part = p;
        unsigned char *h = realloc(s->hole, c);
        if (h)
            s->hole = h;
        if (!p || !h)
            return -1;
        s->pcap = c;
    }
    return 0;
}

/* The fields movements and areas begin with (MV_FIELDS, AR_FIELDS):
 * feature, type, label, date, time, side, confidence. tb holds the time. */
static void head_vals(const char **v, const char *feature, const char *type,
                      const char *label, const char *date, const char *side,
                      int claimed, char tb[32])
{
    v[0] = feature;
    v[1] = str_or_null(type);
    v[2] = str_or_null(label);
    v[3] = str_or_null(date);
    v[4] = time_of(date, NULL, tb);
    v[5] = str_or_null(side);
    v[6] = claimed ? "claimed" : "assessed";
}

/* Contract in export.h. */
evm_status evm__sink_movement(evm__sink *s, const evm_movement *mv,
                              evm_error *err)
{
    const char *file = s->m && s->m->file ? s->m->file : "<map>";
    int nstop = mv->nvia + 2;
    /* count points: legs densified about every 100 km */
    size_t total = 1;
    for (int i = 0; i + 1 < nstop; i++) {
        const evm_placeref *a = i == 0 ? &mv->from : &mv->via[i - 1];
        const evm_placeref *b = i + 1 == nstop - 1 ? &mv->to : &mv->via[i];
        if (!a->has_coord || !b->has_coord)
            return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: movement has "
                                 "a place without a location (resolve the "
                                 "map first)", file, mv->pos.line,
                                 mv->pos.col);
        double km = evm__distance_km(a->lat, a->lon, b->lat, b->lon);
        int n = 2 + (int)(km / 100);
        if (n > 361)
            n = 361;
        total += (size_t)n;
    }
    if (reserve(s, total, 2) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    int np = 0;
    for (int i = 0; i + 1 < nstop; i++) {
        const evm_placeref *a = i == 0 ? &mv->from : &mv->via[i - 1];
        const evm_placeref *b = i + 1 == nstop - 1 ? &mv->to : &mv->via[i];
        double km = evm__distance_km(a->lat, a->lon, b->lat, b->lon);
        int n = 2 + (int)(km / 100);
        if (n > 361)
            n = 361;
        /* each leg starts where the last ended: drop the repeated point */
        int skip = np > 0;
        double *lo = s->olon, *la = s->olat; /* scratch for one leg */
        evm_geo_great_circle(a->lon, a->lat, b->lon, b->lat, n, lo, la);
        for (int k = skip; k < n; k++) {
            s->lon[np] = lo[k];
            s->lat[np] = la[k];
            np++;
        }
    }
    int npts = 0;
    int nparts = evm_geo_split_antimeridian(s->lon, s->lat, np, s->olon,
                                            s->olat, s->starts, &npts);
    if (reserve(s, total, (size_t)nparts + 1) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int k = 0; k < nparts; k++)
        s->part[k] = s->starts[k];
    s->part[nparts] = npts;
    evm_vfeat g = {EVM_VGEOM_LINE, nparts, s->part, NULL, s->olon, s->olat,
                   NULL, NULL};
    char tb[32], color[8], width[40];
    const char **v = s->val;
    if (side_learn(s, mv->side) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    evm__move_style ms;
    evm__move_style_of(s->th, &s->sides, mv, &ms);
    /* the arrow tapers from its tail width to its end: the mean */
    evm__gj_fmt(width, ms.stroke_width, 2);
    head_vals(v, "movement", evm__move_type_str(mv->type), mv->label,
              mv->date, mv->side, mv->claimed, tb);
    v[7] = str_or_null(mv->from.name);
    v[8] = str_or_null(mv->to.name);
    /* the route's turning points, so that reading the file back draws
     * the same arrow: "lon,lat;lon,lat" */
    evm_buf via;
    evm__buf_init(&via, 1 << 20);
    for (int i = 0; i < mv->nvia; i++) {
        char a[40], b[40];
        evm__gj_fmt(a, mv->via[i].lon, 6);
        evm__gj_fmt(b, mv->via[i].lat, 6);
        evm__buf_printf(&via, "%s%s,%s", i ? ";" : "", a, b);
    }
    if (via.failed) {
        evm__buf_free(&via);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    v[9] = mv->nvia ? via.data : NULL;
    evm__color_hex(color, ms.color);
    v[10] = color;
    v[11] = width;
    v[12] = "1";
    v[13] = ms.dasharray;
    evm_status st = emit(s, L_MOVES, &g, MV_FIELDS, NMV, err);
    evm__buf_free(&via);
    return st;
}

/* Clips ring (x, y)[0..n) (unwrapped longitudes, not repeating its first
 * point) to x <= at (keep_le) or x >= at, appending the result shifted by
 * `shift` to ox/oy; returns how many points it appended. */
static int clip_ring(const double *x, const double *y, int n, double at,
                     int keep_le, double shift, double *ox, double *oy)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        int in_i = keep_le ? x[i] <= at : x[i] >= at;
        int in_j = keep_le ? x[j] <= at : x[j] >= at;
        if (in_i) {
            ox[k] = x[i] + shift;
            oy[k++] = y[i];
        }
        if (in_i != in_j && x[j] != x[i]) {
            double t = (at - x[i]) / (x[j] - x[i]);
            ox[k] = at + shift;
            oy[k++] = y[i] + t * (y[j] - y[i]);
        }
    }
    return k;
}

/* Cuts the polygon rings of g that cross the antimeridian (a segment
 * over 180 degrees of longitude, as Natural Earth stores Fiji) into an
 * east and a west ring (RFC 7946 section 3.1.9); other rings pass as
 * they are. Holes that cross are dropped (no basemap feature has one).
 * Rings around a pole are left alone. Rewrites g to point into s's
 * scratch. Returns 0, or -1 when memory runs out. */
static int cut_antimeridian(evm__sink *s, evm_vfeat *g)
{
    int cross = 0;
    for (int k = 0; k < g->npart && !cross; k++)
        for (int i = g->part[k] + 1; i < g->part[k + 1]; i++)
            if (fabs(g->lon[i] - g->lon[i - 1]) > 180)
                cross = 1;
    if (!cross)
        return 0;
    size_t n = (size_t)g->part[g->npart];
    size_t cap = 3 * n + 8 * (size_t)g->npart + 8;
    double *x = malloc(n * sizeof *x);
    double *ox = malloc(cap * sizeof *ox), *oy = malloc(cap * sizeof *oy);
    int *op = malloc((2 * (size_t)g->npart + 1) * sizeof *op);
    unsigned char *oh = malloc(2 * (size_t)g->npart + 1);
    if (!x || !ox || !oy || !op || !oh) {
        free(x);
        free(ox);
        free(oy);
        free(op);
        free(oh);
        return -1;
    }
    int np = 0;
    size_t at = 0;
    for (int k = 0; k < g->npart; k++) {
        int a = g->part[k], b = g->part[k + 1], m = b - a;
        const double *lo = g->lon + a, *la = g->lat + a;
        /* unwrap, and drop the closing point */
        x[0] = lo[0];
        int jumps = 0;
        for (int i = 1; i < m; i++) {
            double d = lo[i] - lo[i - 1];
            jumps |= fabs(d) > 180;
            x[i] = x[i - 1] + remainder(d, 360.0);
        }
        int mm = m > 1 && lo[m - 1] == lo[0] && la[m - 1] == la[0] ? m - 1
                                                                  : m;
        int hole = g->hole && g->hole[k];
        double x0 = x[0], x1 = x[0];
        for (int i = 1; i < mm; i++) {
            x0 = fmin(x0, x[i]);
            x1 = fmax(x1, x[i]);
        }
        int polar = m > 1 && fabs(x[m - 1] - x[0]) > 180;
        if (!jumps || polar || mm < 3) {
            op[np] = (int)at;
            oh[np++] = (unsigned char)hole;
            for (int i = 0; i < m; i++) {
                ox[at] = lo[i];
                oy[at++] = la[i];
            }
            continue;
        }
        if (hole)
            continue;
        double seam = x1 > 180 ? 180 : -180;
        double shift = x1 > 180 ? -360 : 360;
        for (int side = 0; side < 2; side++) {
            /* the part on the original side, then the one past the seam */
            int keep_le = seam > 0 ? side == 0 : side == 1;
            double sh = side == 0 ? 0 : shift;
            int c = clip_ring(x, la, mm, seam, keep_le, sh, ox + at,
                              oy + at);
            if (c < 3)
                continue;
            op[np] = (int)at;
            oh[np++] = 0;
            ox[at + (size_t)c] = ox[at];
            oy[at + (size_t)c] = oy[at];
            at += (size_t)c + 1;
        }
    }
    op[np] = (int)at;
    free(x);
    free(s->cut_lon);
    free(s->cut_lat);
    free(s->cut_part);
    free(s->cut_hole);
    s->cut_lon = ox;
    s->cut_lat = oy;
    s->cut_part = op;
    s->cut_hole = oh;
    g->lon = ox;
    g->lat = oy;
    g->part = op;
    g->hole = oh;
    g->npart = np;
    return 0;
}

/* The basemap, opened on first use (areas only); NULL with err set
 * (not found, out of memory). */
static const evm_basemap *basemap(evm__sink *s, evm_error *err)
{
    if (!s->bm)
        s->bm = evm_basemap_open(NULL, err);
    return s->bm;
}

/* Contract in export.h. */
evm_status evm__sink_area(evm__sink *s, const evm_area *a, evm_error *err)
{
    const char *file = s->m && s->m->file ? s->m->file : "<map>";
    evm_vfeat g;
    evm_vlayer *vl = NULL;
    const evm_gdal_api *api = NULL;
    memset(&g, 0, sizeof g);
    g.type = EVM_VGEOM_POLYGON;
    if (a->path) {
        if (!(api = evm__gdal(err)) || !(vl = api->read_layer(a->path, NULL,
                                                              err)))
            return err && err->code ? err->code : EVM_E_INPUT;
        size_t n = 0, np = 0;
        for (int i = 0; i < vl->nfeat; i++)
            if (vl->feat[i].type == EVM_VGEOM_POLYGON) {
                n += (size_t)vl->feat[i].part[vl->feat[i].npart];
                np += (size_t)vl->feat[i].npart;
            }
        if (reserve(s, n, np) < 0) {
            api->free_layer(vl);
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        }
        size_t at = 0;
        for (int i = 0; i < vl->nfeat; i++) {
            const evm_vfeat *f = &vl->feat[i];
            if (f->type != EVM_VGEOM_POLYGON)
                continue;
            for (int k = 0; k < f->npart; k++) {
                s->part[g.npart] = (int)at;
                s->hole[g.npart++] = f->hole ? f->hole[k] : 0;
                for (int j = f->part[k]; j < f->part[k + 1]; j++) {
                    s->lon[at] = f->lon[j];
                    s->lat[at] = f->lat[j];
                    at++;
                }
            }
        }
        s->part[g.npart] = (int)at;
        api->free_layer(vl);
    } else {
        evm_bm_feature f;
        const evm_basemap *bm = basemap(s, err);
        if (!bm)
            return err && err->code ? err->code : EVM_E_IO;
        if (evm_basemap_place_polygon(bm, EVM_H(&a->where)->resolved_id,
                                      &f, NULL) != 0)
            return evm__area_no_polygon(err, file, a);
        size_t n = 0;
        for (uint32_t k = 0; k < f.nparts; k++)
            n += f.part_len[k];
        if (reserve(s, n, f.nparts) < 0)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        size_t at = 0;
        const float *ll = f.lonlat;
        for (uint32_t k = 0; k < f.nparts; k++) {
            s->part[g.npart] = (int)at;
            double area2 = 0;
            size_t a0 = at;
            for (uint32_t j = 0; j < f.part_len[k]; j++) {
                s->lon[at] = ll[0];
                s->lat[at] = ll[1];
                ll += 2;
                at++;
            }
            /* the basemap winds exteriors counter-clockwise, holes
             * clockwise: the sign says which */
            for (size_t j = a0; j + 1 < at; j++)
                area2 += s->lon[j] * s->lat[j + 1] - s->lon[j + 1] * s->lat[j];
            s->hole[g.npart++] = area2 < 0;
        }
        s->part[g.npart] = (int)at;
    }
    g.part = s->part;
    g.hole = s->hole;
    g.lon = s->lon;
    g.lat = s->lat;
    if (cut_antimeridian(s, &g) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    char tb[32], color[8];
    const char **v = s->val;
    head_vals(v, "area", a->type, a->label, a->date, a->side, a->claimed,
              tb);
    v[7] = str_or_null(a->where.name);
    v[8] = str_or_null(EVM_H(&a->where)->resolved_name);
    v[9] = str_or_null(EVM_H(&a->where)->resolved_id);
    v[10] = str_or_null(a->where.resolved_country);
    v[11] = str_or_null(EVM_H(&a->where)->resolved_kind);
    if (side_learn(s, a->side) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    evm__area_style as;
    evm__area_style_of(s->th, &s->sides, a, &as);
    char ew[40], ea[40], fc[40];
    evm__gj_fmt(ew, as.edge_width, 2);
    evm__gj_fmt(ea, as.edge_alpha, 2);
    evm__gj_fmt(fc, as.fill_cover, 2);
    evm__color_hex(color, as.color);
    v[12] = color;
    v[13] = ew;
    v[14] = ea;
    v[15] = color;
    v[16] = fc;
    v[17] = as.dasharray;
    return emit(s, L_AREAS, &g, AR_FIELDS, NAR, err);
}

/* Contract in export.h. */
evm_status evm__sink_close(evm__sink *s, evm_error *err)
{
    evm_status st = EVM_OK;
    if (!s)
        return EVM_OK;
    if (s->gj && s->direct) {
        int bad = evm__gj_finish(s->gj);
        s->gj = NULL;
        bad |= fclose(s->direct) != 0;
        s->direct = NULL;
        if (bad)
            st = evm_error_set(err, EVM_E_IO, "write failed");
    } else if (s->gj) {
        int bad = evm__gj_finish(s->gj);
        s->gj = NULL;
        if (bad) {
            st = evm_error_set(err, EVM_E_IO, "%s: write failed",
                               s->out.path ? s->out.path : "stdout");
            evm__atomic_abort(&s->out);
        } else {
            st = evm__atomic_commit(&s->out, err);
        }
    } else if (s->ow) {
        st = s->api->writer_close(s->ow, 1, err);
        s->ow = NULL;
    }
    sink_free(s);
    return st;
}

/* Contract in export.h. */
void evm__sink_abort(evm__sink *s)
{
    if (!s)
        return;
    if (s->gj) {
        evm__gj_free(s->gj);
        if (s->direct)
            fclose(s->direct);
        else
            evm__atomic_abort(&s->out);
    } else if (s->ow) {
        s->api->writer_close(s->ow, 0, NULL);
    }
    sink_free(s);
}

/* ------------------------------------------------------------ export */

/* 1 if a thing dated `date` (NULL: undated, always in) lies in o's date
 * window, as the renderer decides (ISO days compare as strings). */
static int in_window(const evm_render_opts *o, const char *date)
{
    if (!o || !date)
        return 1;
    if (o->date_from && strncmp(date, o->date_from, 10) < 0)
        return 0;
    if (o->date_to && strncmp(date, o->date_to, 10) > 0)
        return 0;
    return 1;
}

/* Contract in export.h. */
evm_status evm__export(const evm_map *m, const evm_render_opts *o,
                       evm_format fmt, const char *path, evm_error *err)
{
    unsigned layers = 0;
    if (m->nevents || (!m->nmovements && !m->nareas))
        layers |= EVM_SINK_EVENTS;
    if (m->nmovements)
        layers |= EVM_SINK_MOVEMENTS;
    if (m->nareas)
        layers |= EVM_SINK_AREAS;
    evm__sink *s = evm__sink_open(path, fmt, m, NULL, layers, err);
    if (!s)
        return err && err->code ? err->code : EVM_E_IO;
    if (o && o->theme >= 0) {
        s->th = evm__theme((evm_theme)o->theme);
    }
    evm_status st = EVM_OK;
    for (int i = 0; i < m->nevents && st == EVM_OK; i++)
        if (in_window(o, m->events[i].date))
            st = evm__sink_event(s, &m->events[i], NULL, err);
    for (int i = 0; i < m->nmovements && st == EVM_OK; i++)
        if (in_window(o, m->movements[i].date))
            st = evm__sink_movement(s, &m->movements[i], err);
    for (int i = 0; i < m->nareas && st == EVM_OK; i++)
        if (in_window(o, m->areas[i].date))
            st = evm__sink_area(s, &m->areas[i], err);
    if (st != EVM_OK) {
        evm__sink_abort(s);
        return st;
    }
    st = evm__sink_close(s, err);
    if (st == EVM_E_IO)
        evm__error_name_path(err, path); /* a device written in place */
    return st;
}
