/* The GeoJSON writer: RFC 7946 FeatureCollections written by hand.
 *
 * Why not GDAL's GeoJSON driver: loading libgdal costs about 27 ms of
 * start-up (DESIGN.md), and OGR wants a layer schema and a whole feature
 * object per row where this writer streams features straight from the
 * model (or a table row) into an output buffer. The rules RFC 7946 sets
 * are kept here in one place:
 *  - WGS 84 lon/lat, never a "crs" member (section 4);
 *  - 6 decimals (section 11.2), numbers formatted by hand so that the
 *    text is the same under every locale;
 *  - polygon rings closed, with at least 4 positions, exterior rings
 *    counter-clockwise and holes clockwise (3.1.6);
 *  - lines crossing the antimeridian arrive split (the sink does it with
 *    evm_geo_split_antimeridian, 3.1.9);
 *  - a bbox [west, south, east, north], west > east when the features
 *    straddle the antimeridian (5.2). RFC 7946 allows members in any
 *    order; streaming puts the bbox last, after the features. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "export/export.h"

#define OUTBUF ((size_t)1 << 16)

/* Property names written before, as ready "\"name\":" text: the names
 * a sink passes are the same pointers feature after feature. */
#define KEYS 512
struct key {
    const char *name;
    char *text;
    size_t len;
};

struct evm__gj {
    struct key keys[KEYS];
    FILE *f;
    char *buf;
    size_t len;
    int failed;
    long nfeat;
    /* extent: latitudes, and longitudes in one-degree bins so that the
     * narrowest box (possibly across the antimeridian) can be found */
    double lat0, lat1;
    double lo[360], hi[360];
    unsigned char used[360];
    int any;
};

static const double pow10_tab[10] = {1,   1e1, 1e2, 1e3, 1e4,
                                     1e5, 1e6, 1e7, 1e8, 1e9};

/* Contract in export.h. */
size_t evm__gj_fmt(char *out, double v, int decimals)
{
    if (!isfinite(v)) {
        memcpy(out, "null", 5);
        return 4;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    double scale = pow10_tab[decimals];
    double a = fabs(v);
    if (a * scale >= 9.0e18) {
        snprintf(out, 40, "%.0f", v);
        return strlen(out);
    }
    unsigned long long q = (unsigned long long)llround(a * scale);
    unsigned long long s = (unsigned long long)scale;
    unsigned long long ip = q / s, fp = q % s;
    char *p = out;
    if (v < 0 && q != 0)
        *p++ = '-';
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (n)
        *p++ = tmp[--n];
    if (decimals > 0 && fp) {
        char frac[12];
        for (int i = decimals - 1; i >= 0; i--) {
            frac[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        int k = decimals;
        while (k > 0 && frac[k - 1] == '0')
            k--;
        *p++ = '.';
        memcpy(p, frac, (size_t)k);
        p += k;
    }
    *p = '\0';
    return (size_t)(p - out);
}

static void flush(evm__gj *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->failed = 1;
    w->len = 0;
}

static inline void put(evm__gj *w, const char *s, size_t n)
{
    if (w->len + n > OUTBUF) {
        flush(w);
        if (n > OUTBUF) {
            if (fwrite(s, 1, n, w->f) != n)
                w->failed = 1;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static inline void putch(evm__gj *w, char c)
{
    if (w->len + 1 > OUTBUF)
        flush(w);
    w->buf[w->len++] = c;
}

/* A JSON string (s is valid UTF-8). */
static void put_str(evm__gj *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    putch(w, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, run, (size_t)(s - run));
        run = s + 1;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            n = 6;
        }
        put(w, e, n);
    }
    put(w, run, (size_t)(s - run));
    putch(w, '"');
}

/* 1 if s is a JSON number. */
static int json_number(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return 0;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static void extend(evm__gj *w, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return;
    int b = (int)floor(lon + 180);
    if (b < 0)
        b = 0;
    if (b > 359)
        b = 359;
    if (!w->used[b]) {
        w->used[b] = 1;
        w->lo[b] = w->hi[b] = lon;
    } else {
        if (lon < w->lo[b])
            w->lo[b] = lon;
        if (lon > w->hi[b])
            w->hi[b] = lon;
    }
    if (!w->any) {
        w->lat0 = w->lat1 = lat;
        w->any = 1;
    } else {
        if (lat < w->lat0)
            w->lat0 = lat;
        if (lat > w->lat1)
            w->lat1 = lat;
    }
}

static void put_pos(evm__gj *w, double lon, double lat)
{
    char b[96];
    size_t n = 0;
    b[n++] = '[';
    n += evm__gj_fmt(b + n, lon, EVM_EXPORT_DECIMALS);
    b[n++] = ',';
    n += evm__gj_fmt(b + n, lat, EVM_EXPORT_DECIMALS);
    b[n++] = ']';
    put(w, b, n);
    extend(w, lon, lat);
}

/* Twice the signed area of ring [a, b) (closed or not): > 0 when
 * counter-clockwise with lat up. */
static double ring_area2(const double *lon, const double *lat, int a, int b)
{
    double s = 0;
    for (int i = a; i < b; i++) {
        int j = i + 1 < b ? i + 1 : a;
        s += (lon[i] - lon[a]) * (lat[j] - lat[a]) -
             (lon[j] - lon[a]) * (lat[i] - lat[a]);
    }
    return s;
}

/* Positions of ring [a, b) once closed. */
static int ring_len(const double *lon, const double *lat, int a, int b)
{
    int n = b - a;
    if (n > 0 && (lon[a] != lon[b - 1] || lat[a] != lat[b - 1]))
        n++;
    return n;
}

static int ring_ok(const evm_vfeat *g, int k)
{
    int a = g->part[k], b = g->part[k + 1];
    return ring_len(g->lon, g->lat, a, b) >= 4 &&
           ring_area2(g->lon, g->lat, a, b) != 0;
}

/* Writes ring k closed and wound counter-clockwise (outer) or clockwise
 * (hole). */
static void put_ring(evm__gj *w, const evm_vfeat *g, int k, int hole)
{
    int a = g->part[k], b = g->part[k + 1];
    const double *x = g->lon, *y = g->lat;
    int ccw = ring_area2(x, y, a, b) > 0;
    int rev = hole ? ccw : !ccw;
    int closed = x[a] == x[b - 1] && y[a] == y[b - 1];
    putch(w, '[');
    int first = 1;
    if (!rev) {
        for (int i = a; i < b; i++) {
            if (!first)
                putch(w, ',');
            first = 0;
            put_pos(w, x[i], y[i]);
        }
        if (!closed) {
            putch(w, ',');
            put_pos(w, x[a], y[a]);
        }
    } else {
        /* reversed: start and end at the same first point */
        if (!closed) {
            put_pos(w, x[a], y[a]);
            first = 0;
        }
        for (int i = b - 1; i >= a; i--) {
            if (!first)
                putch(w, ',');
            first = 0;
            put_pos(w, x[i], y[i]);
        }
    }
    putch(w, ']');
}

static int is_hole(const evm_vfeat *g, int k)
{
    return g->hole && g->hole[k];
}

static void put_polygons(evm__gj *w, const evm_vfeat *g)
{
    /* a polygon is a valid exterior ring and its valid holes */
    int npoly = 0;
    for (int k = 0; k < g->npart; k++)
        if (!is_hole(g, k) && ring_ok(g, k))
            npoly++;
    if (!npoly) {
        PUTS(w, "null");
        return;
    }
    if (npoly == 1)
        PUTS(w, "{\"type\":\"Polygon\",\"coordinates\":");
    else
        PUTS(w, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
    int first_poly = 1, open = 0, skip = 0;
    for (int k = 0; k < g->npart; k++) {
        if (!is_hole(g, k)) {
            if (open)
                putch(w, ']');
            open = 0;
            skip = !ring_ok(g, k);
            if (skip)
                continue;
            if (!first_poly)
                putch(w, ',');
            first_poly = 0;
            putch(w, '[');
            open = 1;
            put_ring(w, g, k, 0);
        } else if (!skip && open && ring_ok(g, k)) {
            putch(w, ',');
            put_ring(w, g, k, 1);
        }
    }
    if (open)
        putch(w, ']');
    if (npoly > 1)
        putch(w, ']');
    putch(w, '}');
}

static void put_lines(evm__gj *w, const evm_vfeat *g)
{
    int n = 0;
    for (int k = 0; k < g->npart; k++)
        n += g->part[k + 1] - g->part[k] >= 2;
    if (!n) {
        PUTS(w, "null");
        return;
    }
    if (n == 1)
        PUTS(w, "{\"type\":\"LineString\",\"coordinates\":");
    else
        PUTS(w, "{\"type\":\"MultiLineString\",\"coordinates\":[");
    int first = 1;
    for (int k = 0; k < g->npart; k++) {
        int a = g->part[k], b = g->part[k + 1];
        if (b - a < 2)
            continue;
        if (!first)
            putch(w, ',');
        first = 0;
        putch(w, '[');
        for (int i = a; i < b; i++) {
            if (i > a)
                putch(w, ',');
            put_pos(w, g->lon[i], g->lat[i]);
        }
        putch(w, ']');
    }
    if (n > 1)
        putch(w, ']');
    putch(w, '}');
}

static void put_geom(evm__gj *w, const evm_vfeat *g)
{
    if (!g || g->npart < 1) {
        PUTS(w, "null");
        return;
    }
    switch (g->type) {
    case EVM_VGEOM_POINT:
        if (g->npart == 1) {
            PUTS(w, "{\"type\":\"Point\",\"coordinates\":");
            put_pos(w, g->lon[0], g->lat[0]);
        } else {
            PUTS(w, "{\"type\":\"MultiPoint\",\"coordinates\":[");
            for (int k = 0; k < g->npart; k++) {
                if (k)
                    putch(w, ',');
                put_pos(w, g->lon[g->part[k]], g->lat[g->part[k]]);
            }
            putch(w, ']');
        }
        putch(w, '}');
        return;
    case EVM_VGEOM_LINE:
        put_lines(w, g);
        return;
    case EVM_VGEOM_POLYGON:
        put_polygons(w, g);
        return;
    }
    PUTS(w, "null");
}

/* Writes "name": through the cache (escaping it once). */
static void put_key(evm__gj *w, const char *name)
{
    size_t h = ((uintptr_t)name >> 3) % KEYS;
    for (size_t k = 0; k < 8; k++) {
        struct key *e = &w->keys[(h + k) % KEYS];
        if (e->name == name) {
            put(w, e->text, e->len);
            return;
        }
        if (!e->name) {
            /* escape once into the buffer, then keep a copy */
            size_t need = 6 * strlen(name) + 8;
            if (need > OUTBUF / 2)
                break;
            if (w->len + need > OUTBUF)
                flush(w);
            size_t at = w->len;
            put_str(w, name);
            putch(w, ':');
            if (w->len > at) {
                size_t n = w->len - at;
                if ((e->text = malloc(n))) {
                    memcpy(e->text, w->buf + at, n);
                    e->len = n;
                    e->name = name;
                }
            }
            return;
        }
    }
    put_str(w, name);
    putch(w, ':');
}

/* Contract in export.h. */
evm__gj *evm__gj_new(FILE *f)
{
    evm__gj *w = evm__calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (!(w->buf = malloc(OUTBUF))) {
        free(w);
        return NULL;
    }
    w->f = f;
    PUTS(w, "{\"type\":\"FeatureCollection\",\"features\":[");
    return w;
}

/* Contract in export.h. */
int evm__gj_feature(evm__gj *w, const evm_vfeat *g, const evm__prop *p,
                    int np)
{
    if (w->nfeat++)
        PUTS(w, ",\n{\"type\":\"Feature\",\"geometry\":");
    else
        PUTS(w, "\n{\"type\":\"Feature\",\"geometry\":");
    put_geom(w, g);
    PUTS(w, ",\"properties\":{");
    for (int i = 0; i < np; i++) {
        if (i)
            putch(w, ',');
        put_key(w, p[i].name);
        const char *v = p[i].val;
        if (!v)
            PUTS(w, "null");
        else if ((p[i].type == EVM_FT_INT || p[i].type == EVM_FT_REAL))
            if (json_number(v))
                put(w, v, strlen(v));
            else
                PUTS(w, "null");
        else
            put_str(w, v);
    }
    PUTS(w, "}}");
    return w->failed ? -1 : 0;
}

/* The narrowest [west, east] holding every longitude seen: the complement
 * of the widest gap between occupied one-degree bins, which may wrap
 * around the antimeridian (then west > east). */
static void lon_extent(const evm__gj *w, double *west, double *east)
{
    int first = -1, last = -1;
    for (int b = 0; b < 360; b++)
        if (w->used[b]) {
            if (first < 0)
                first = b;
            last = b;
        }
    /* the gap across +-180: from the last bin round to the first */
    double best = (w->lo[first] + 360) - w->hi[last];
    *west = w->lo[first];
    *east = w->hi[last];
    int prev = first;
    for (int b = first + 1; b <= last; b++) {
        if (!w->used[b])
            continue;
        double gap = w->lo[b] - w->hi[prev];
        if (gap > best) {
            best = gap;
            *west = w->lo[b];
            *east = w->hi[prev];
        }
        prev = b;
    }
}

/* Contract in export.h. */
int evm__gj_finish(evm__gj *w)
{
    if (!w->nfeat || !w->any) {
        if (w->nfeat)
            PUTS(w, "\n]}\n");
        else
            PUTS(w, "]}\n");
    } else {
        double west, east;
        lon_extent(w, &west, &east);
        char b[200];
        size_t n = 0;
        memcpy(b, "\n],\"bbox\":[", 11);
        n = 11;
        n += evm__gj_fmt(b + n, west, EVM_EXPORT_DECIMALS);
        b[n++] = ',';
        n += evm__gj_fmt(b + n, w->lat0, EVM_EXPORT_DECIMALS);
        b[n++] = ',';
        n += evm__gj_fmt(b + n, east, EVM_EXPORT_DECIMALS);
        b[n++] = ',';
        n += evm__gj_fmt(b + n, w->lat1, EVM_EXPORT_DECIMALS);
        memcpy(b + n, "]}\n", 3);
        n += 3;
        put(w, b, n);
    }
    flush(w);
    int bad = w->failed;
    evm__gj_free(w);
    return bad ? -1 : 0;
}

/* Contract in export.h. */
void evm__gj_free(evm__gj *w)
{
    if (!w)
        return;
    for (int i = 0; i < KEYS; i++)
        free(w->keys[i].text);
    free(w->buf);
    free(w);
}
