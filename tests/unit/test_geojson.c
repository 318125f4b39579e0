/* GeoJSON out: every file evmap writes is checked against RFC 7946 by a
 * checker written here, since no common validator checks all of it
 * (winding, crs, coordinate ranges, bbox, precision, antimeridian):
 *  - no "crs" member anywhere, no duplicate member names;
 *  - every position 2 (or 3) numbers, lon in [-180, 180], lat in
 *    [-90, 90], at most 7 decimals, no exponents;
 *  - polygon rings closed with >= 4 positions, exteriors counter-clockwise
 *    and holes clockwise;
 *  - no line segment longer than 180 degrees of longitude (a line that
 *    crosses the antimeridian must be split into a MultiLineString);
 *  - a bbox of 4 numbers equal to the real extent (west > east when it
 *    straddles the antimeridian);
 *  - every Feature has "properties" and "geometry".
 * The checker is tested on broken documents first, so that it can fail.
 *
 * Run as `test_geojson --check FILE...` it checks those files (used by
 * tests/cli/geojson.sh). */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "core/core.h"
#include "export/export.h"

/* ------------------------------------------------- a tiny JSON reader */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    int type;
    char *text;      /* numbers: the literal; strings: the value */
    double num;
    int n;
    struct jv **item;
    char **key;      /* objects */
} jv;

struct jp {
    const char *s;
    const char *err;
};

static void jfree(jv *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++) {
        jfree(v->item[i]);
        if (v->key)
            free(v->key[i]);
    }
    free(v->item);
    free(v->key);
    free(v->text);
    free(v);
}

static void ws(struct jp *p)
{
    while (*p->s == ' ' || *p->s == '\n' || *p->s == '\r' || *p->s == '\t')
        p->s++;
}

static jv *parse(struct jp *p, int depth);

static char *parse_string(struct jp *p)
{
    if (*p->s != '"') {
        p->err = "string expected";
        return NULL;
    }
    p->s++;
    size_t cap = 64, n = 0;
    char *b = malloc(cap);
    while (b && *p->s && *p->s != '"') {
        char c = *p->s++;
        if (c == '\\') {
            char e = *p->s++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                for (int i = 0; i < 4; i++)
                    if (!p->s[i]) {
                        p->err = "bad \\u escape";
                        free(b);
                        return NULL;
                    }
                p->s += 4;
                c = '?';
                break;
            case '"': case '\\': case '/': c = e; break;
            default:
                p->err = "bad escape";
                free(b);
                return NULL;
            }
        } else if ((unsigned char)c < 0x20) {
            p->err = "control character in a string";
            free(b);
            return NULL;
        }
        if (n + 2 > cap) {
            char *q = realloc(b, cap *= 2);
            if (!q) {
                free(b);
                return NULL;
            }
            b = q;
        }
        b[n++] = c;
    }
    if (!b || *p->s != '"') {
        p->err = "unterminated string";
        free(b);
        return NULL;
    }
    p->s++;
    b[n] = '\0';
    return b;
}

static int push(jv *v, jv *x, char *k)
{
    jv **a = realloc(v->item, sizeof *a * (size_t)(v->n + 1));
    if (!a)
        return -1;
    v->item = a;
    if (v->type == J_OBJ) {
        char **ks = realloc(v->key, sizeof *ks * (size_t)(v->n + 1));
        if (!ks)
            return -1;
        v->key = ks;
        v->key[v->n] = k;
    }
    v->item[v->n++] = x;
    return 0;
}

static jv *parse(struct jp *p, int depth)
{
    ws(p);
    if (depth > 64) {
        p->err = "too deep";
        return NULL;
    }
    jv *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    const char *s = p->s;
    if (*s == '{' || *s == '[') {
        int obj = *s == '{';
        v->type = obj ? J_OBJ : J_ARR;
        p->s++;
        ws(p);
        if (*p->s == (obj ? '}' : ']')) {
            p->s++;
            return v;
        }
        for (;;) {
            char *k = NULL;
            ws(p);
            if (obj) {
                if (!(k = parse_string(p)))
                    goto bad;
                ws(p);
                if (*p->s++ != ':') {
                    p->err = "':' expected";
                    free(k);
                    goto bad;
                }
            }
            jv *x = parse(p, depth + 1);
            if (!x || push(v, x, k) < 0) {
                jfree(x);
                free(k);
                goto bad;
            }
            ws(p);
            if (*p->s == ',') {
                p->s++;
                continue;
            }
            if (*p->s == (obj ? '}' : ']')) {
                p->s++;
                return v;
            }
            p->err = "',' or a closing bracket expected";
            goto bad;
        }
    }
    if (*s == '"') {
        v->type = J_STR;
        if (!(v->text = parse_string(p)))
            goto bad;
        return v;
    }
    if (!strncmp(s, "null", 4) || !strncmp(s, "true", 4) ||
        !strncmp(s, "false", 5)) {
        v->type = *s == 'n' ? J_NULL : J_BOOL;
        p->s += *s == 'f' ? 5 : 4;
        return v;
    }
    if (*s == '-' || (*s >= '0' && *s <= '9')) {
        const char *e = s + (*s == '-');
        while ((*e >= '0' && *e <= '9') || *e == '.' || *e == 'e' ||
               *e == 'E' || *e == '+' || *e == '-')
            e++;
        v->type = J_NUM;
        v->text = strndup(s, (size_t)(e - s));
        v->num = strtod(v->text, NULL);
        p->s = e;
        return v;
    }
    p->err = "a value expected";
bad:
    jfree(v);
    return NULL;
}

static jv *member(const jv *o, const char *k)
{
    if (!o || o->type != J_OBJ)
        return NULL;
    for (int i = 0; i < o->n; i++)
        if (!strcmp(o->key[i], k))
            return o->item[i];
    return NULL;
}

/* ----------------------------------------------------- the checker */

struct chk {
    int issues;
    char first[300];
    /* extent */
    int any;
    double lat0, lat1;
    double lo_min, lo_max;    /* over all positions */
    double *lons;
    size_t nlon, clon;
};

static void issue(struct chk *c, const char *fmt, const char *what)
{
    if (!c->issues)
        snprintf(c->first, sizeof c->first, fmt, what);
    c->issues++;
}

static int decimals(const char *t)
{
    const char *d = strchr(t, '.');
    return d ? (int)strlen(d + 1) : 0;
}

static void pos(struct chk *c, const jv *p, double *lon, double *lat)
{
    *lon = *lat = NAN;
    if (!p || p->type != J_ARR || p->n < 2 || p->n > 3) {
        issue(c, "a position is not 2 or 3 numbers%s", "");
        return;
    }
    for (int i = 0; i < p->n; i++) {
        const jv *x = p->item[i];
        if (x->type != J_NUM) {
            issue(c, "a coordinate is not a number%s", "");
            return;
        }
        if (strpbrk(x->text, "eE"))
            issue(c, "a coordinate with an exponent: %s", x->text);
        if (decimals(x->text) > 7)
            issue(c, "more than 7 decimals: %s", x->text);
    }
    *lon = p->item[0]->num;
    *lat = p->item[1]->num;
    if (!(*lon >= -180 && *lon <= 180))
        issue(c, "longitude out of range: %s", p->item[0]->text);
    if (!(*lat >= -90 && *lat <= 90))
        issue(c, "latitude out of range: %s", p->item[1]->text);
    if (isfinite(*lon) && isfinite(*lat)) {
        if (!c->any) {
            c->lat0 = c->lat1 = *lat;
            c->lo_min = c->lo_max = *lon;
            c->any = 1;
        }
        c->lat0 = fmin(c->lat0, *lat);
        c->lat1 = fmax(c->lat1, *lat);
        c->lo_min = fmin(c->lo_min, *lon);
        c->lo_max = fmax(c->lo_max, *lon);
        if (c->nlon == c->clon) {
            c->clon = c->clon ? c->clon * 2 : 1024;
            c->lons = realloc(c->lons, c->clon * sizeof *c->lons);
        }
        if (c->lons)
            c->lons[c->nlon++] = *lon;
    }
}

static void line(struct chk *c, const jv *l, int min)
{
    if (!l || l->type != J_ARR || l->n < min) {
        issue(c, "a line or ring with too few positions%s", "");
        return;
    }
    double plon = NAN, plat;
    for (int i = 0; i < l->n; i++) {
        double lon, lat;
        pos(c, l->item[i], &lon, &lat);
        if (i && fabs(lon - plon) > 180)
            issue(c, "a segment crosses the antimeridian unsplit%s", "");
        plon = lon;
        plat = lat;
    }
    (void)plat;
}

static void ring(struct chk *c, const jv *r, int hole)
{
    line(c, r, 4);
    if (!r || r->type != J_ARR || r->n < 4)
        return;
    const jv *a = r->item[0], *b = r->item[r->n - 1];
    if (a->type != J_ARR || b->type != J_ARR || a->n < 2 || b->n < 2 ||
        a->item[0]->num != b->item[0]->num ||
        a->item[1]->num != b->item[1]->num) {
        issue(c, "a ring is not closed%s", "");
        return;
    }
    double s = 0;
    for (int i = 0; i + 1 < r->n; i++) {
        const jv *p = r->item[i], *q = r->item[i + 1];
        if (p->type != J_ARR || q->type != J_ARR || p->n < 2 || q->n < 2)
            return;
        s += p->item[0]->num * q->item[1]->num -
             q->item[0]->num * p->item[1]->num;
    }
    if (!hole && s <= 0)
        issue(c, "an exterior ring is not counter-clockwise%s", "");
    if (hole && s >= 0)
        issue(c, "a hole is not clockwise%s", "");
}

static void polygon(struct chk *c, const jv *p)
{
    if (!p || p->type != J_ARR || p->n < 1) {
        issue(c, "a polygon without rings%s", "");
        return;
    }
    for (int i = 0; i < p->n; i++)
        ring(c, p->item[i], i > 0);
}

static void no_crs_no_dups(struct chk *c, const jv *o)
{
    if (!o)
        return;
    if (o->type == J_OBJ) {
        for (int i = 0; i < o->n; i++) {
            if (!strcmp(o->key[i], "crs"))
                issue(c, "a \"crs\" member%s", "");
            for (int j = 0; j < i; j++)
                if (!strcmp(o->key[i], o->key[j]))
                    issue(c, "duplicate member \"%s\"", o->key[i]);
        }
    }
    if (o->type == J_OBJ || o->type == J_ARR)
        for (int i = 0; i < o->n; i++)
            no_crs_no_dups(c, o->item[i]);
}

static void geometry(struct chk *c, const jv *g)
{
    if (!g || g->type == J_NULL)
        return;
    const jv *t = member(g, "type"), *co = member(g, "coordinates");
    if (!t || t->type != J_STR) {
        issue(c, "a geometry without a type%s", "");
        return;
    }
    const char *ty = t->text;
    if (!strcmp(ty, "GeometryCollection")) {
        const jv *gs = member(g, "geometries");
        for (int i = 0; gs && i < gs->n; i++)
            geometry(c, gs->item[i]);
        return;
    }
    if (!co || co->type != J_ARR) {
        issue(c, "a %s without coordinates", ty);
        return;
    }
    double lon, lat;
    if (!strcmp(ty, "Point")) {
        pos(c, co, &lon, &lat);
    } else if (!strcmp(ty, "MultiPoint")) {
        for (int i = 0; i < co->n; i++)
            pos(c, co->item[i], &lon, &lat);
    } else if (!strcmp(ty, "LineString")) {
        line(c, co, 2);
    } else if (!strcmp(ty, "MultiLineString")) {
        for (int i = 0; i < co->n; i++)
            line(c, co->item[i], 2);
    } else if (!strcmp(ty, "Polygon")) {
        polygon(c, co);
    } else if (!strcmp(ty, "MultiPolygon")) {
        for (int i = 0; i < co->n; i++)
            polygon(c, co->item[i]);
    } else {
        issue(c, "unknown geometry type %s", ty);
    }
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* Checks a GeoJSON document; returns the number of issues, the first in
 * why (300 bytes). nfeat receives the feature count. */
static int rfc7946_check(const char *text, char *why, int *nfeat)
{
    struct chk c;
    memset(&c, 0, sizeof c);
    struct jp p = {text, NULL};
    jv *root = parse(&p, 0);
    if (nfeat)
        *nfeat = 0;
    if (root) {
        ws(&p);
        if (*p.s)
            p.err = "text after the document";
    }
    if (!root || p.err) {
        snprintf(why, 300, "not JSON: %s at byte %ld",
                 p.err ? p.err : "?", (long)(p.s - text));
        jfree(root);
        return 1;
    }
    no_crs_no_dups(&c, root);
    const jv *t = member(root, "type"), *fs = member(root, "features");
    if (!t || t->type != J_STR || strcmp(t->text, "FeatureCollection") ||
        !fs || fs->type != J_ARR) {
        issue(&c, "not a FeatureCollection%s", "");
    } else {
        if (nfeat)
            *nfeat = fs->n;
        for (int i = 0; i < fs->n; i++) {
            const jv *f = fs->item[i], *ft = member(f, "type");
            if (!ft || ft->type != J_STR || strcmp(ft->text, "Feature"))
                issue(&c, "a member of features is not a Feature%s", "");
            const jv *pr = member(f, "properties");
            if (!pr || (pr->type != J_OBJ && pr->type != J_NULL))
                issue(&c, "a Feature without properties%s", "");
            const jv *g = member(f, "geometry");
            if (!g)
                issue(&c, "a Feature without geometry%s", "");
            geometry(&c, g);
        }
        const jv *bb = member(root, "bbox");
        if (c.any && !bb) {
            issue(&c, "no bbox%s", "");
        } else if (bb) {
            if (bb->type != J_ARR || bb->n != 4) {
                issue(&c, "the bbox is not 4 numbers%s", "");
            } else {
                double w = bb->item[0]->num, s = bb->item[1]->num;
                double e = bb->item[2]->num, n = bb->item[3]->num;
                if (!near(s, c.lat0) || !near(n, c.lat1))
                    issue(&c, "the bbox's latitudes are not the extent%s",
                          "");
                if (w <= e) {
                    if (!near(w, c.lo_min) || !near(e, c.lo_max))
                        issue(&c, "the bbox's longitudes are not the "
                                  "extent%s", "");
                } else {
                    /* across the antimeridian: all inside, ends reached */
                    int hw = 0, he = 0;
                    for (size_t i = 0; i < c.nlon; i++) {
                        double x = c.lons[i];
                        if (x < w - 1e-9 && x > e + 1e-9)
                            issue(&c, "a position outside the bbox%s", "");
                        hw |= near(x, w);
                        he |= near(x, e);
                    }
                    if (!hw || !he)
                        issue(&c, "the antimeridian bbox is not tight%s",
                              "");
                }
            }
        }
    }
    snprintf(why, 300, "%s", c.first);
    free(c.lons);
    jfree(root);
    return c.issues;
}

static char *slurp(const char *path)
{
    char *b = NULL;
    size_t n = 0;
    evm_error e = {0};
    if (evm__read_file(path, (size_t)1 << 31, &b, &n, &e) != EVM_OK)
        return NULL;
    return b;
}

/* ------------------------------------------------------------ tests */

static void expect_bad(const char *doc, const char *what)
{
    char why[300];
    CHECK(rfc7946_check(doc, why, NULL) > 0, "checker misses: %s", what);
}

static void test_checker(void)
{
    char why[300];
    const char *good =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
        "\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[0,0],[1,0],[1,1],[0,0]]]},\"properties\":{}}],"
        "\"bbox\":[0,0,1,1]}";
    CHECK(rfc7946_check(good, why, NULL) == 0, "a valid document: %s", why);
    expect_bad("{\"type\":\"FeatureCollection\",\"crs\":{},\"features\":[]}",
               "a crs member");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Polygon\","
               "\"coordinates\":[[[0,0],[1,1],[1,0],[0,0]]]},"
               "\"properties\":{}}],\"bbox\":[0,0,1,1]}",
               "a clockwise exterior");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Polygon\","
               "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],"
               "[[0.2,0.1],[0.8,0.1],[0.8,0.5],[0.2,0.1]]]},"
               "\"properties\":{}}],\"bbox\":[0,0,1,1]}",
               "a counter-clockwise hole");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Polygon\","
               "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0.5]]]},"
               "\"properties\":{}}],\"bbox\":[0,0,1,1]}",
               "an unclosed ring");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1.12345678,2]},\"properties\":{}}],"
               "\"bbox\":[1.12345678,2,1.12345678,2]}",
               "8 decimals");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[200,2]},\"properties\":{}}],"
               "\"bbox\":[200,2,200,2]}",
               "longitude 200");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,95]},\"properties\":{}}],"
               "\"bbox\":[1,95,1,95]}",
               "latitude 95");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,2]},\"properties\":{}}]}",
               "no bbox");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,2]},\"properties\":{}}],"
               "\"bbox\":[0,2,1,2]}",
               "a loose bbox");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,2]}}],\"bbox\":[1,2,1,2]}",
               "a Feature without properties");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"LineString\","
               "\"coordinates\":[[170,60],[-170,62]]},\"properties\":{}}],"
               "\"bbox\":[170,60,-170,62]}",
               "a line across the antimeridian");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,2]},\"properties\":{\"a\":1,\"a\":2}}],"
               "\"bbox\":[1,2,1,2]}",
               "duplicate members");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[1,2,3,4]},\"properties\":{}}],"
               "\"bbox\":[1,2,1,2]}",
               "a 4-number position");
    expect_bad("{\"type\":\"FeatureCollection\",\"features\":[",
               "truncated JSON");
}

/* evm__gj_fmt writes what evm__fmt_num writes, in every locale. */
static void test_numbers(void)
{
    static const double v[] = {0, -0.0, 1, -1, 0.5, -0.5, 76.91667,
                               43.2380, 179.9999999, -179.99999951,
                               1e-7, -1e-7, 4e-7, 123456789.123456,
                               90, -90, 180, -180, 0.1 + 0.2, 1e15};
    int bad = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (int d = 0; d <= 9; d++) {
            char a[40], b[40];
            evm__gj_fmt(a, v[i], d);
            evm__fmt_num(b, v[i], d);
            if (strcmp(a, b)) {
                bad++;
                fprintf(stderr, "%.17g at %d: %s vs %s\n", v[i], d, a, b);
            }
        }
    srand(7);
    for (int i = 0; i < 20000; i++) {
        double x = (rand() / (double)RAND_MAX - 0.5) * 360;
        char a[40], b[40];
        evm__gj_fmt(a, x, 6);
        evm__fmt_num(b, x, 6);
        bad += strcmp(a, b) != 0;
    }
    CHECK(bad == 0, "%d numbers formatted differently", bad);
    char a[40];
    evm__gj_fmt(a, -0.0000001, 6);
    CHECK_STR(a, "0", "a tiny negative rounds to 0, never -0");
    /* a locale with a decimal comma changes nothing (when installed) */
    const char *locs[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", NULL};
    for (int i = 0; locs[i]; i++)
        if (setlocale(LC_ALL, locs[i])) {
            evm__gj_fmt(a, 76.91667, 6);
            CHECK_STR(a, "76.91667", "decimal point under a comma locale");
            setlocale(LC_ALL, "C");
            break;
        }
}

static void check_file(const char *path, int want_feat)
{
    char why[300];
    int nf = -1;
    char *t = slurp(path);
    CHECK(t != NULL, "%s: cannot read", path);
    if (!t)
        return;
    int n = rfc7946_check(t, why, &nf);
    CHECK(n == 0, "%s: %d RFC 7946 issues, first: %s", path, n, why);
    if (want_feat >= 0)
        CHECK(nf == want_feat, "%s: %d features, want %d", path, nf,
              want_feat);
    free(t);
}

static char tmpdir[256];
static char root[1024];

/* A map with every kind of feature, including ones that cross the
 * antimeridian and a polygon with a hole. */
static void test_map_export(evm_gazetteer *gz)
{
    const char *spec =
        "title: Export test\n"
        "events:\n"
        "  - { lat: 43.25, lon: 76.95, type: riot, date: 2022-01-05,"
        " label: \"Clashes \\\"downtown\\\"\", fatalities: 44 }\n"
        "  - { lat: -17.7134, lon: 178.065, type: airstrike,"
        " date: \"2022-01-06T14:30:00+06:00\", confidence: claimed }\n"
        "  - { place: Almaty, type: seizure, side: Rioters }\n"
        "movements:\n"
        "  - { from: { lat: 60, lon: 170 }, to: { lat: 62, lon: -170 },"
        " type: airlift, side: red }\n"
        "  - { from: { lat: 55.75, lon: 37.62 }, to: { lat: 43.25,"
        " lon: 76.95 }, type: advance, side: blue, confidence: claimed }\n"
        "areas:\n"
        "  - { place: South Africa, type: control, side: red }\n"
        "  - { place: Fiji, type: unrest, confidence: claimed }\n"
        "  - { place: Kazakhstan, type: unrest }\n";
    evm_error e = {0};
    evm_map *m = evm_map_load_buffer("export-test.yaml", spec, strlen(spec),
                                     &e);
    CHECK(m != NULL, "spec loads: %s", e.msg);
    if (!m)
        return;
    CHECK(evm_map_resolve(m, gz, &e) == EVM_OK, "resolves: %s", e.msg);
    char path[400];
    snprintf(path, sizeof path, "%s/map.geojson", tmpdir);
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.format = EVM_FMT_GEOJSON;
    CHECK(evm_map_render(m, &o, path, &e) == EVM_OK, "export: %s", e.msg);
    check_file(path, 8);
    char *t = slurp(path);
    if (t) {
        CHECK(strstr(t, "\"type\":\"MultiLineString\"") != NULL,
              "the airlift across the antimeridian is split");
        CHECK(strstr(t, "\"type\":\"MultiPolygon\"") != NULL,
              "Fiji (or South Africa with Lesotho) is a MultiPolygon");
        CHECK(strstr(t, "\"time\":\"2022-01-06T08:30:00Z\"") != NULL,
              "time is RFC 3339 UTC");
        CHECK(strstr(t, "\"date\":\"2022-01-05\"") != NULL, "date kept");
        CHECK(strstr(t, "\"marker-color\":\"#56b4e9\"") != NULL,
              "riots in the PNG's riot colour");
        CHECK(strstr(t, "\"stroke-dasharray\":\"11 6\"") != NULL,
              "the airlift is dashed");
        CHECK(strstr(t, "\"stroke-dasharray\":\"6 5\"") != NULL,
              "the claimed advance is dashed finer");
        CHECK(strstr(t, "\"stroke\":\"#c0392b\"") != NULL,
              "the first side is the PNG's first side colour");
        CHECK(strstr(t, "\"place_id\":\"geonames:") != NULL,
              "gazetteer ids");
        CHECK(strstr(t, "Clashes \\\"downtown\\\"") != NULL,
              "quotes escaped");
        CHECK(strstr(t, "\"crs\"") == NULL, "no crs");
        free(t);
    }
    /* only the antimeridian airlift: the bbox wraps (west > east) */
    const char *am = "movements:\n"
                     "  - { from: { lat: 60, lon: 170 }, to: { lat: 62,"
                     " lon: -170 }, type: airlift }\n";
    evm_map *m2 = evm_map_load_buffer("am.yaml", am, strlen(am), &e);
    if (m2 && evm_map_resolve(m2, gz, &e) == EVM_OK) {
        snprintf(path, sizeof path, "%s/am.geojson", tmpdir);
        CHECK(evm_map_render(m2, &o, path, &e) == EVM_OK, "export: %s",
              e.msg);
        check_file(path, 1);
        t = slurp(path);
        CHECK(t && strstr(t, "\"bbox\":[170,") && strstr(t, ",-170,"),
              "bbox across the antimeridian: %s",
              t ? strstr(t, "bbox") : "");
        free(t);
    }
    evm_map_free(m2);
    /* a failure leaves nothing behind */
    snprintf(path, sizeof path, "%s/none/map.geojson", tmpdir);
    CHECK(evm_map_render(m, &o, path, &e) != EVM_OK, "unwritable path");
    evm_map_free(m);
}

static int warned;

static void on_warn(void *ud, const char *msg)
{
    (void)ud;
    (void)msg;
    warned++;
}

/* Every table fixture converts to a valid FeatureCollection. */
static void test_tables(evm_gazetteer *gz)
{
    static const struct {
        const char *file;
        int n;
    } t[] = {{"acled_new.csv", 4},         {"acled_old.csv", 3},
             {"gdelt2.export.CSV", 4},     {"gdelt1_daily.export.CSV", 4},
             {"gdelt1_backfile.CSV", 4},   {"ucdp_hdx.csv", 5},
             {"generic_latlon.csv", 3},    {"generic_place.csv", 4},
             {"generic.tsv", 2}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char in[1300], out[400];
        snprintf(in, sizeof in, "%s/tests/data/tables/%s", root, t[i].file);
        snprintf(out, sizeof out, "%s/t%zu.geojson", tmpdir, i);
        evm_table_opts o;
        evm_table_opts_init(&o);
        o.gz = gz;
        o.warn = on_warn;
        o.all = 1; /* GDELT: every row, not only the conflict classes */
        evm_table_stats st;
        evm_error e = {0};
        CHECK(evm_table_export(in, &o, EVM_FMT_GEOJSON, out, &st, &e) ==
                  EVM_OK,
              "%s: %s", t[i].file, e.msg);
        CHECK(st.events == t[i].n, "%s: %ld events, want %d", t[i].file,
              st.events, t[i].n);
        check_file(out, t[i].n);
    }
    CHECK(warned == 0, "no warnings for good fixtures");
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "--check")) {
        for (int i = 2; i < argc; i++)
            check_file(argv[i], -1);
        TEST_REPORT();
    }
    const char *r = getenv("EVMAP_ROOT");
    snprintf(root, sizeof root, "%s", r && *r ? r : ".");
    snprintf(tmpdir, sizeof tmpdir, "%s/evm-gj-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_checker();
    test_numbers();
    evm_error e = {0};
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &e);
    CHECK(gz != NULL, "gazetteer: %s", e.msg);
    if (gz) {
        test_map_export(gz);
        test_tables(gz);
    }
    evm_gazetteer_close(gz);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    TEST_REPORT();
}
