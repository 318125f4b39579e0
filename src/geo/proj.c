/* The PROJ side of src/geo: projection choice, batch transforms, frame
 * fitting. One evm_geo owns one PJ_CONTEXT, so it stays with one thread. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>

#include "core/core.h"
#include "geo/geo.h"

struct evm_geo {
    PJ_CONTEXT *ctx;
    PJ *pj;           /* WGS 84 lon/lat -> target, normalised axis order */
    char *def;        /* the definition in use */
    char *pipeline;   /* auto projections: the PROJ pipeline pj runs */
    int geographic;
    char log[256];    /* last error PROJ logged on this context */
};

/* PROJ would print to stderr; keep the last error for our message. */
static void proj_log(void *ud, int level, const char *msg)
{
    struct evm_geo *g = ud;
    if (!g || level > PJ_LOG_ERROR || !msg)
        return;
    const char *p = msg;
    static const char *const prefixes[] = {
        "proj_create: ", "proj_create_operations: ",
        "proj_create_crs_to_crs: ", NULL};
    for (int i = 0; prefixes[i]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(p, prefixes[i], n) == 0) {
            p += n;
            break;
        }
    }
    /* "Error 1027 (Invalid value for an argument): merc: ..." */
    if (strncmp(p, "Error ", 6) == 0) {
        const char *q = strstr(p, "): ");
        if (q && q[3])
            p = q + 3;
    }
    snprintf(g->log, sizeof g->log, "%s", p);
}

/* The best message PROJ has for the last failure on g's context. */
static const char *proj_msg(struct evm_geo *g)
{
    if (g->log[0])
        return g->log;
    int e = proj_context_errno(g->ctx);
    const char *s = e ? proj_context_errno_string(g->ctx, e) : NULL;
    return s ? s : "not a usable coordinate reference system";
}

static int bbox_valid(const double b[4])
{
    for (int i = 0; i < 4; i++)
        if (!isfinite(b[i]))
            return 0;
    return b[1] >= -90 && b[3] <= 90 && b[1] <= b[3] && b[0] >= -540 &&
           b[0] <= 540 && b[2] >= -540 && b[2] <= 540;
}

/* lon_min, lon span of a bbox; lon_min > lon_max crosses the antimeridian */
static void lon_range(const double b[4], double *lo, double *span)
{
    double hi = b[2];
    while (hi < b[0])
        hi += 360.0;
    *lo = b[0];
    *span = hi - b[0];
    if (*span > 360.0)
        *span = 360.0;
}

static void put(evm_buf *b, const char *key, double v)
{
    char num[40];
    evm__fmt_num(num, v, 6);
    evm__buf_printf(b, " +%s=%s", key, num);
}

/* Writes the auto projection for bbox (NULL: the world) into b. */
static void auto_definition(const double *bbox, evm_buf *b)
{
    double lo = -180, lonspan = 360, lat0 = -90, lat1 = 90;
    if (bbox) {
        lon_range(bbox, &lo, &lonspan);
        lat0 = bbox[1];
        lat1 = bbox[3];
    }
    double latspan = lat1 - lat0;
    double clon = evm__wrap180(lo + lonspan / 2), clat = (lat0 + lat1) / 2;
    if (lonspan >= 359.999)
        clon = 0;
    if (lonspan > 200 || latspan > 120) {
        evm__buf_puts(b, "+proj=eqearth");
        put(b, "lon_0", clon);
    } else if (fabs(clat) > 70) {
        evm__buf_puts(b, "+proj=laea");
        put(b, "lat_0", clat > 0 ? 90 : -90);
        put(b, "lon_0", clon);
    } else if (lonspan > 1.6 * latspan && lonspan > 15) {
        double p1 = lat0 + latspan / 6, p2 = lat0 + latspan * 5 / 6;
        if (p1 * p2 <= 0 || fabs(p1 + p2) < 1) {
            evm__buf_puts(b, "+proj=eqearth");
            put(b, "lon_0", clon);
        } else {
            evm__buf_puts(b, "+proj=lcc");
            put(b, "lat_0", clat);
            put(b, "lon_0", clon);
            put(b, "lat_1", p1);
            put(b, "lat_2", p2);
        }
    } else {
        evm__buf_puts(b, "+proj=laea");
        put(b, "lat_0", clat);
        put(b, "lon_0", clon);
    }
    evm__buf_puts(b, " +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
                     " +type=crs");
}

static int is_auto(const char *p)
{
    return !p || !*p || strcmp(p, "auto") == 0;
}

/* Creates the CRS object for a user definition; PROJ strings get
 * +type=crs so they name a CRS rather than an operation. */
static PJ *create_crs(struct evm_geo *g, const char *def)
{
    while (*def == ' ' || *def == '\t')
        def++;
    if (def[0] == '+' && !strstr(def, "+type=crs")) {
        evm_buf b;
        evm__buf_init(&b, 1 << 16);
        evm__buf_puts(&b, def);
        evm__buf_puts(&b, " +type=crs");
        if (b.failed)
            return NULL;
        PJ *p = proj_create(g->ctx, b.data);
        evm__buf_free(&b);
        return p;
    }
    return proj_create(g->ctx, def);
}

/* Auto projections need no database, yet proj_create opens proj.db and
 * reads its schema (about 25 million instructions, more than drawing the
 * basemap) unless it cannot find it: such a context gets a search path
 * with no database in it. */
static void no_proj_db(PJ_CONTEXT *ctx)
{
    static const char *const none[] = {"/nonexistent/evmap-no-proj-db"};
    proj_context_set_search_paths(ctx, 1, none);
}

/* Contract in geo.h. */
evm_geo *evm_geo_new(const char *projection, const double bbox[4],
                     evm_error *err)
{
    struct evm_geo *g = calloc(1, sizeof *g);
    PJ *src = NULL, *dst = NULL, *op = NULL;
    evm_buf b;
    evm__buf_init(&b, 1 << 16);
    if (!g) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    if (bbox && !bbox_valid(bbox)) {
        evm_error_set(err, EVM_E_INPUT,
                      "extent is not a valid lon/lat box (lon_min, lat_min,"
                      " lon_max, lat_max with -90 <= lat_min <= lat_max "
                      "<= 90)");
        goto fail;
    }
    if (!(g->ctx = proj_context_create())) {
        evm_error_set(err, EVM_E_LIB, "PROJ: cannot create a context");
        goto fail;
    }
    proj_log_func(g->ctx, g, proj_log);
    if (is_auto(projection))
        auto_definition(bbox, &b);
    else
        evm__buf_puts(&b, projection);
    if (b.failed || !(g->def = evm__strdup(b.data))) {
        evm_error_set(err, b.failed && !is_auto(projection) ? EVM_E_INPUT
                                                            : EVM_E_NOMEM,
                      b.failed ? "projection definition too long"
                               : "out of memory");
        goto fail;
    }
    if (is_auto(projection)) {
        /* Our own projections are WGS 84 based: no datum shift, so the
         * operation is the projection itself behind a degrees-to-radians
         * step, on the WGS 84 ellipsoid. */
        no_proj_db(g->ctx);
        evm_buf pb;
        evm__buf_init(&pb, 1 << 16);
        evm__buf_puts(&pb, "+proj=pipeline +step +proj=unitconvert "
                           "+xy_in=deg +xy_out=rad +step ");
        const char *cut = strstr(g->def, " +datum=WGS84");
        evm__buf_add(&pb, g->def, cut ? (size_t)(cut - g->def)
                                      : strlen(g->def));
        evm__buf_puts(&pb, " +ellps=WGS84");
        g->pj = pb.failed ? NULL : proj_create(g->ctx, pb.data);
        if (g->pj && !(g->pipeline = evm__strdup(pb.data))) {
            evm__buf_free(&pb);
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            goto fail;
        }
        evm__buf_free(&pb);
        if (!g->pj) {
            evm_error_set(err, EVM_E_LIB, "projection \"%s\": %s", g->def,
                          proj_msg(g));
            goto fail;
        }
        evm__buf_free(&b);
        return g;
    }
    if (!(dst = create_crs(g, g->def)) || !proj_is_crs(dst)) {
        evm_error_set(err, EVM_E_INPUT, "projection \"%s\": %s", g->def,
                      dst ? "not a coordinate reference system"
                          : proj_msg(g));
        goto fail;
    }
    PJ_TYPE t = proj_get_type(dst);
    if (t == PJ_TYPE_GEOCENTRIC_CRS) {
        evm_error_set(err, EVM_E_INPUT,
                      "projection \"%s\": a geocentric CRS is not a map "
                      "projection", g->def);
        goto fail;
    }
    g->geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS ||
                    t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
                    t == PJ_TYPE_GEOGRAPHIC_CRS;
    if (t == PJ_TYPE_BOUND_CRS || t == PJ_TYPE_COMPOUND_CRS) {
        PJ *h = t == PJ_TYPE_BOUND_CRS ? proj_get_source_crs(g->ctx, dst)
                                       : proj_crs_get_sub_crs(g->ctx, dst, 0);
        if (h) {
            PJ_TYPE ht = proj_get_type(h);
            g->geographic = ht == PJ_TYPE_GEOGRAPHIC_2D_CRS ||
                            ht == PJ_TYPE_GEOGRAPHIC_3D_CRS;
            proj_destroy(h);
        }
    }
    if (!(src = proj_create(g->ctx, "EPSG:4326"))) {
        evm_error_set(err, EVM_E_LIB, "PROJ: cannot create EPSG:4326 (%s); "
                      "is proj.db installed?", proj_msg(g));
        goto fail;
    }
    g->log[0] = '\0';
    op = proj_create_crs_to_crs_from_pj(g->ctx, src, dst, NULL, NULL);
    if (!op) {
        evm_error_set(err, EVM_E_INPUT, "projection \"%s\": %s", g->def,
                      proj_msg(g));
        goto fail;
    }
    if (!(g->pj = proj_normalize_for_visualization(g->ctx, op))) {
        evm_error_set(err, EVM_E_LIB, "projection \"%s\": %s", g->def,
                      proj_msg(g));
        goto fail;
    }
    proj_destroy(op);
    proj_destroy(src);
    proj_destroy(dst);
    evm__buf_free(&b);
    return g;
fail:
    proj_destroy(op);
    proj_destroy(src);
    proj_destroy(dst);
    evm__buf_free(&b);
    evm_geo_free(g);
    return NULL;
}

/* Contract in geo.h. */
evm_geo *evm_geo_clone(const evm_geo *g, evm_error *err)
{
    struct evm_geo *c = calloc(1, sizeof *c);
    if (!c || !(c->def = evm__strdup(g->def)) ||
        (g->pipeline && !(c->pipeline = evm__strdup(g->pipeline)))) {
        evm_geo_free(c);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    c->geographic = g->geographic;
    if (!(c->ctx = proj_context_create())) {
        evm_geo_free(c);
        evm_error_set(err, EVM_E_LIB, "PROJ: cannot create a context");
        return NULL;
    }
    proj_log_func(c->ctx, c, proj_log);
    if (c->pipeline) {
        no_proj_db(c->ctx);
        c->pj = proj_create(c->ctx, c->pipeline);
    } else {
        c->pj = proj_clone(c->ctx, g->pj);
    }
    if (!c->pj) {
        evm_error_set(err, EVM_E_LIB, "projection \"%s\": %s", c->def,
                      proj_msg(c));
        evm_geo_free(c);
        return NULL;
    }
    return c;
}

/* Contract in geo.h. */
void evm_geo_free(evm_geo *g)
{
    if (!g)
        return;
    proj_destroy(g->pj);
    if (g->ctx)
        proj_context_destroy(g->ctx);
    free(g->def);
    free(g->pipeline);
    free(g);
}

/* Contract in geo.h. */
const char *evm_geo_definition(const evm_geo *g)
{
    return g ? g->def : NULL;
}

/* Contract in geo.h. */
int evm_geo_is_geographic(const evm_geo *g)
{
    return g ? g->geographic : 0;
}

static int trans(evm_geo *g, PJ_DIRECTION dir, double *x, double *y, int n)
{
    if (n <= 0)
        return 0;
    proj_trans_generic(g->pj, dir, x, sizeof *x, (size_t)n, y, sizeof *y,
                       (size_t)n, NULL, 0, 0, NULL, 0, 0);
    /* proj_trans_generic returns how many points it visited, not how many
     * succeeded: failures are HUGE_VAL, so look at every point. */
    int bad = 0;
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL ||
            y[i] == HUGE_VAL) {
            x[i] = y[i] = HUGE_VAL;
            bad++;
        }
    proj_errno_reset(g->pj);
    return bad;
}

/* Contract in geo.h. */
int evm_geo_fwd(evm_geo *g, double *x, double *y, int n)
{
    return trans(g, PJ_FWD, x, y, n);
}

/* Contract in geo.h. */
int evm_geo_inv(evm_geo *g, double *x, double *y, int n)
{
    return trans(g, PJ_INV, x, y, n);
}

/* Samples per edge of the extent's box, ends included. */
#define EDGE 33

/* Contract in geo.h. */
int evm_geo_fit(evm_geo *g, const double bbox[4], const evm_fit *how,
                evm_frame *fr, evm_error *err)
{
    int width = how->width, height = how->height;
    const double *mg = how->margin;
    if (width <= 0 || height <= 0 || width > 1000000 || height > 1000000 ||
        !(mg[0] >= 0 && mg[1] >= 0 && mg[2] >= 0 && mg[3] >= 0) ||
        how->n < 0 || (how->n > 0 && (!how->lon || !how->lat))) {
        evm_error_set(err, EVM_E_INPUT, "frame %dx%d with margins %g %g %g "
                      "%g is out of range", width, height, mg[0], mg[1],
                      mg[2], mg[3]);
        return -1;
    }
    if (!bbox || !bbox_valid(bbox)) {
        evm_error_set(err, EVM_E_INPUT,
                      "extent is not a valid lon/lat box");
        return -1;
    }
    size_t cap = 4 * EDGE + (size_t)how->n;
    double *x = malloc(sizeof *x * cap), *y = malloc(sizeof *y * cap);
    if (!x || !y) {
        free(x);
        free(y);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    /* the box's edges (so curved projections are covered), then the
     * points */
    int n = 0;
    double lo1 = bbox[0] + (bbox[2] >= bbox[0] ? bbox[2] - bbox[0]
                                               : bbox[2] + 360 - bbox[0]);
    for (int i = 0; i < EDGE; i++) {
        double t = i / (double)(EDGE - 1);
        double lo = bbox[0] + (lo1 - bbox[0]) * t;
        if (lo > 180)
            lo -= 360;
        double la = bbox[1] + (bbox[3] - bbox[1]) * t;
        x[n] = lo; y[n++] = bbox[1];
        x[n] = lo; y[n++] = bbox[3];
        x[n] = bbox[0]; y[n++] = la;
        x[n] = bbox[2]; y[n++] = la;
    }
    for (int i = 0; i < how->n; i++) {
        x[n] = how->lon[i];
        y[n++] = how->lat[i];
    }
    evm_geo_fwd(g, x, y, n);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 1e15)
            continue;
        if (x[i] < x0) x0 = x[i];
        if (x[i] > x1) x1 = x[i];
        if (y[i] < y0) y0 = y[i];
        if (y[i] > y1) y1 = y[i];
    }
    free(x);
    free(y);
    if (!(x1 >= x0) || !(y1 >= y0)) {
        evm_error_set(err, EVM_E_INPUT,
                      "the extent cannot be shown in projection \"%s\"",
                      g->def);
        return -1;
    }
    double iw = width - mg[0] - mg[2], ih = height - mg[1] - mg[3];
    if (iw < 16) iw = 16;
    if (ih < 16) ih = 16;
    double dx = x1 - x0, dy = y1 - y0;
    if (dx <= 0 && dy <= 0)
        dx = dy = 1;
    double k = fmin(dx > 0 ? iw / dx : INFINITY, dy > 0 ? ih / dy : INFINITY);
    if (how->shrink > 0)
        k *= how->shrink;
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    double icx = mg[0] + iw / 2, icy = mg[1] + ih / 2;
    memset(fr, 0, sizeof *fr);
    fr->width = width;
    fr->height = height;
    fr->scale = k;
    fr->x0 = cx - icx / k;
    fr->y1 = cy + icy / k;
    fr->x1 = fr->x0 + width / k;
    fr->y0 = fr->y1 - height / k;
    return 0;
}

/* Contract in geo.h. */
int evm_geo_to_px(evm_geo *g, const evm_frame *fr, double lon, double lat,
                  double *px, double *py)
{
    double x = lon, y = lat;
    if (evm_geo_fwd(g, &x, &y, 1))
        return -1;
    *px = (x - fr->x0) * fr->scale;
    *py = (fr->y1 - y) * fr->scale;
    return 0;
}

/* Contract in geo.h. */
int evm_geo_from_px(evm_geo *g, const evm_frame *fr, double px, double py,
                    double *lon, double *lat)
{
    double x = fr->x0 + px / fr->scale, y = fr->y1 - py / fr->scale;
    if (evm_geo_inv(g, &x, &y, 1))
        return -1;
    /* an inverse can land beyond the globe's edge without failing */
    if (!(y >= -90.000001 && y <= 90.000001))
        return -1;
    *lon = x;
    *lat = y;
    return 0;
}

/* Contract in geo.h. */
double evm_geo_ground_m_per_px(evm_geo *g, const evm_frame *fr)
{
    if (!g || !fr || fr->width <= 0 || !(fr->scale > 0))
        return 0;
    double cx = fr->width / 2.0, cy = fr->height / 2.0;
    double d = fr->width / 20.0;
    if (d < 1)
        d = 1;
    double lon1, lat1, lon2, lat2;
    if (evm_geo_from_px(g, fr, cx - d, cy, &lon1, &lat1) ||
        evm_geo_from_px(g, fr, cx + d, cy, &lon2, &lat2))
        return 0;
    double m = evm_geo_distance_m(lon1, lat1, lon2, lat2);
    return isfinite(m) ? m / (2 * d) : 0;
}
