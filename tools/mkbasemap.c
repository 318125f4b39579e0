/* mkbasemap: compiles the committed basemap sources into basemap.evb.
 *
 *   mkbasemap SRCDIR OUT
 *
 * Reads SRCDIR/<layer>_<scale>.txt.gz (written by scripts/build-basemap,
 * format in basemap/README.md) with zlib, orients rings (outer CCW, holes
 * CW), cuts large polygons into tiles (Sutherland-Hodgman per ring, by
 * recursive halving so each vertex is clipped O(log tiles) times) and long
 * lines into pieces, sorts features along a Hilbert curve, packs an R-tree
 * per layer and scale, builds the name index of countries and admin-1
 * regions, and writes OUT atomically in the format of src/basemap/evb.h.
 * Exit status: 0 done, 1 bad input data, 3 I/O failure. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "basemap/evb.h"
#include "core/core.h"

#define MAX_SRC_BYTES ((size_t)1 << 30)
#define TILE_MIN_POINTS 256   /* smaller features are never cut */
#define LINE_PIECE_POINTS 256

static const char *const scale_names[EVB_NSCALES] = {"110m", "50m", "10m"};
static const double tile_deg[EVB_NSCALES] = {30.0, 10.0, 5.0};

static const struct {
    const char *file;
    int geom;
    int optional_below_10m; /* absent at 110m is fine */
} layer_src[EVM_BM_LAYER_COUNT] = {
    [EVM_BM_LAND] = {"land", EVB_GEOM_POLYGON, 0},
    [EVM_BM_OCEAN] = {"ocean", EVB_GEOM_POLYGON, 0},
    [EVM_BM_LAKES] = {"lakes", EVB_GEOM_POLYGON, 0},
    [EVM_BM_RIVERS] = {"rivers", EVB_GEOM_LINE, 0},
    [EVM_BM_COUNTRIES] = {"countries", EVB_GEOM_POLYGON, 0},
    [EVM_BM_BORDERS] = {"borders", EVB_GEOM_LINE, 0},
    [EVM_BM_ADMIN1] = {"admin1", EVB_GEOM_POLYGON, 1},
    [EVM_BM_ADMIN1_LINES] = {"admin1_lines", EVB_GEOM_LINE, 1},
    [EVM_BM_COUNTRY_LABELS] = {"country_labels", EVB_GEOM_POINT, 0},
    [EVM_BM_CITIES] = {"cities", EVB_GEOM_POINT, 0},
    [EVM_BM_COASTLINE] = {"coastline", EVB_GEOM_LINE, 0},
};

static void die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
static void die(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("mkbasemap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

/* Grows *p (of *cap elements of size sz) to hold at least need. */
static void grow(void *pp, size_t *cap, size_t need, size_t sz)
{
    void **p = pp;
    size_t c = *cap ? *cap : 16;
    if (need <= *cap)
        return;
    while (c < need)
        c *= 2;
    void *q = evm__reallocarray(*p, c, sz);
    if (!q)
        die(3, "out of memory");
    *p = q;
    *cap = c;
}

static char *xstrdup(const char *s)
{
    char *d = evm__strdup(s);
    if (!d)
        die(3, "out of memory");
    return d;
}

/* ------------------------------------------------------ in-memory layer */

struct mfeat {
    char *name, *name_en;  /* owned by the layer's parse (shared by pieces) */
    char iso[3];
    int rank;
    long long pop;
    int flags;
    size_t part0, nparts;  /* into layer parts */
    uint32_t whole;        /* source feature for pieces, or EVB_NOWHOLE */
    int same_as_whole;     /* geometry identical to whole feature */
    float bbox[4];
};

struct malias {
    size_t feat;
    int tier;
    char *text;
};

struct mlayer {
    int geom;
    struct mfeat *f;
    size_t nf, capf;
    size_t *pstart;        /* first point of each part */
    uint32_t *plen;
    size_t np, capp, capp2;
    double *xy;            /* points, 2 doubles each; rings open */
    size_t npt, capxy;
    struct malias *a;
    size_t na, capa;
};

static void layer_free(struct mlayer *l, int free_strings)
{
    if (free_strings) {
        for (size_t i = 0; i < l->nf; i++) {
            free(l->f[i].name);
            free(l->f[i].name_en);
        }
        for (size_t i = 0; i < l->na; i++)
            free(l->a[i].text);
    }
    free(l->f);
    free(l->pstart);
    free(l->plen);
    free(l->xy);
    free(l->a);
    memset(l, 0, sizeof *l);
}

static void add_point(struct mlayer *l, double x, double y)
{
    grow(&l->xy, &l->capxy, 2 * (l->npt + 1), sizeof(double));
    l->xy[2 * l->npt] = x;
    l->xy[2 * l->npt + 1] = y;
    l->npt++;
}

static void begin_part(struct mlayer *l)
{
    size_t c1 = l->capp, c2 = l->capp2;
    grow(&l->pstart, &c1, l->np + 1, sizeof(size_t));
    grow(&l->plen, &c2, l->np + 1, sizeof(uint32_t));
    l->capp = c1;
    l->capp2 = c2;
    l->pstart[l->np] = l->npt;
    l->plen[l->np] = 0;
    l->np++;
}

static void end_part(struct mlayer *l)
{
    size_t n = l->npt - l->pstart[l->np - 1];
    if (n > UINT32_MAX)
        die(1, "part too long");
    l->plen[l->np - 1] = (uint32_t)n;
    l->f[l->nf - 1].nparts++;
}

static struct mfeat *new_feat(struct mlayer *l, const struct mfeat *tmpl)
{
    grow(&l->f, &l->capf, l->nf + 1, sizeof *l->f);
    struct mfeat *f = &l->f[l->nf++];
    if (tmpl)
        *f = *tmpl;
    else
        memset(f, 0, sizeof *f);
    f->part0 = l->np;
    f->nparts = 0;
    f->whole = EVB_NOWHOLE;
    f->same_as_whole = 0;
    return f;
}

static double ring_area2(const double *p, size_t n)
{
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
    return a;
}

static void reverse_pts(double *p, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        double x = p[2 * i], y = p[2 * i + 1];
        p[2 * i] = p[2 * j];
        p[2 * i + 1] = p[2 * j + 1];
        p[2 * j] = x;
        p[2 * j + 1] = y;
    }
}

/* ------------------------------------------------------------ parsing */

static char *read_gz(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!g)
        return NULL;
    for (;;) {
        int r;
        grow(&buf, &cap, n + (1 << 20) + 1, 1);
        r = gzread(g, buf + n, 1 << 20);
        if (r < 0) {
            int e;
            const char *m = gzerror(g, &e);
            die(1, "%s: %s", path, m);
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > MAX_SRC_BYTES)
            die(1, "%s: over %zu bytes uncompressed", path, MAX_SRC_BYTES);
    }
    gzclose(g);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static long long next_int(char **pp, const char *path, int line)
{
    char *p = *pp, *end;
    long long v;
    while (*p == ' ')
        p++;
    v = strtoll(p, &end, 10);
    if (end == p)
        die(1, "%s:%d: expected a number", path, line);
    *pp = end;
    return v;
}

/* Splits s at tabs into at most max fields (modifies s). */
static int split_tabs(char *s, char **fld, int max)
{
    int n = 0;
    fld[n++] = s;
    while (n < max && (s = strchr(s, '\t')) != NULL) {
        *s++ = '\0';
        fld[n++] = s;
    }
    return n;
}

static void parse_file(const char *path, int geom, struct mlayer *l)
{
    size_t len;
    char *buf = read_gz(path, &len);
    char *p, *eol;
    int line = 0, in_poly = 0;
    char want[64];

    if (!buf)
        die(3, "%s: cannot open", path);
    memset(l, 0, sizeof *l);
    l->geom = geom;
    snprintf(want, sizeof want, "#evmap-basemap 1 ");
    if (strncmp(buf, want, strlen(want)) != 0)
        die(1, "%s:1: not a basemap source (no '#evmap-basemap 1' line)",
            path);
    for (p = buf; *p; p = eol + 1) {
        eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        *eol = '\0';
        line++;
        if (p[0] == '#' || p[0] == '\0') {
            /* comment */
        } else if (p[0] == 'F' && p[1] == '\t') {
            char *fld[8];
            struct mfeat *f;
            if (split_tabs(p + 2, fld, 7) != 6)
                die(1, "%s:%d: F needs 6 tab-separated fields", path, line);
            f = new_feat(l, NULL);
            f->name = xstrdup(fld[0]);
            f->name_en = xstrdup(fld[1]);
            snprintf(f->iso, sizeof f->iso, "%s", fld[2]);
            f->rank = atoi(fld[3]);
            f->pop = atoll(fld[4]);
            f->flags = atoi(fld[5]);
            if (!evm__utf8_valid(f->name, strlen(f->name)) ||
                !evm__utf8_valid(f->name_en, strlen(f->name_en)))
                die(1, "%s:%d: invalid UTF-8", path, line);
            in_poly = 0;
        } else if (p[0] == 'A' && p[1] == '\t') {
            char *fld[3];
            if (!l->nf || split_tabs(p + 2, fld, 2) != 2)
                die(1, "%s:%d: bad alias line", path, line);
            grow(&l->a, &l->capa, l->na + 1, sizeof *l->a);
            l->a[l->na].feat = l->nf - 1;
            l->a[l->na].tier = atoi(fld[0]);
            l->a[l->na].text = xstrdup(fld[1]);
            l->na++;
        } else if (p[0] == 'P' && p[1] == '\0') {
            if (!l->nf || geom != EVB_GEOM_POLYGON)
                die(1, "%s:%d: unexpected polygon", path, line);
            in_poly = 1;
        } else if ((p[0] == 'R' || p[0] == 'L') && p[1] == ' ') {
            char *q = p + 1;
            long long n, x = 0, y = 0;
            int outer;
            if (!l->nf || (p[0] == 'R') != (geom == EVB_GEOM_POLYGON) ||
                (p[0] == 'R' && !in_poly))
                die(1, "%s:%d: unexpected part", path, line);
            n = next_int(&q, path, line);
            if (n < 2 || n > 50000000)
                die(1, "%s:%d: bad point count", path, line);
            outer = in_poly == 1;
            in_poly = 2;
            begin_part(l);
            for (long long i = 0; i < n; i++) {
                x += next_int(&q, path, line);
                y += next_int(&q, path, line);
                if (x < -18000000 || x > 18000000 || y < -9000000 ||
                    y > 9000000)
                    die(1, "%s:%d: coordinate out of range", path, line);
                add_point(l, x / 1e5, y / 1e5);
            }
            end_part(l);
            if (p[0] == 'R') {
                /* outer rings counter-clockwise, holes clockwise */
                size_t k = l->np - 1;
                double a = ring_area2(l->xy + 2 * l->pstart[k], l->plen[k]);
                if ((outer && a < 0) || (!outer && a > 0))
                    reverse_pts(l->xy + 2 * l->pstart[k], l->plen[k]);
            }
        } else if (p[0] == 'X' && p[1] == ' ') {
            char *q = p + 1;
            long long x, y;
            if (!l->nf || geom != EVB_GEOM_POINT)
                die(1, "%s:%d: unexpected point", path, line);
            x = next_int(&q, path, line);
            y = next_int(&q, path, line);
            begin_part(l);
            add_point(l, x / 1e5, y / 1e5);
            end_part(l);
        } else {
            die(1, "%s:%d: unknown record", path, line);
        }
        if (*eol == '\0' && eol == buf + len)
            break;
    }
    free(buf);
}

/* ------------------------------------------------------------ tiling */

struct rings {
    double *xy;
    size_t npt, capxy;
    size_t *start;
    uint32_t *len;
    size_t nr, caps, capl;
};

static void rings_free(struct rings *r)
{
    free(r->xy);
    free(r->start);
    free(r->len);
    memset(r, 0, sizeof *r);
}

static void rings_add(struct rings *r, const double *p, size_t n)
{
    grow(&r->xy, &r->capxy, 2 * (r->npt + n), sizeof(double));
    grow(&r->start, &r->caps, r->nr + 1, sizeof(size_t));
    grow(&r->len, &r->capl, r->nr + 1, sizeof(uint32_t));
    memcpy(r->xy + 2 * r->npt, p, 2 * n * sizeof(double));
    r->start[r->nr] = r->npt;
    r->len[r->nr] = (uint32_t)n;
    r->nr++;
    r->npt += n;
}

/* Scratch point list. */
struct pts {
    double *xy;
    size_t n, cap;
};

static void pts_add(struct pts *s, double x, double y)
{
    grow(&s->xy, &s->cap, 2 * (s->n + 1), sizeof(double));
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->n++;
}

/* Intersection of segment a-b with the line coord[axis] == c, computed
 * from the endpoints in a canonical order so that both sides of a cut get
 * bit-identical points. */
static void cut_point(const double *a, const double *b, int axis, double c,
                      double *out)
{
    const double *p = a, *q = b;
    double t;
    if (a[axis] > b[axis] || (a[axis] == b[axis] && a[1 - axis] > b[1 - axis])) {
        p = b;
        q = a;
    }
    t = (c - p[axis]) / (q[axis] - p[axis]);
    out[axis] = c;
    out[1 - axis] = p[1 - axis] + t * (q[1 - axis] - p[1 - axis]);
}

/* Sutherland-Hodgman against one half-plane: keeps side sign*(v - c) <= 0
 * (sign +1: coord <= c, -1: coord >= c). Edges running along the cut get
 * extra points at multiples of step, so the pieces on both sides of a
 * seam share every vertex and stay seamless under any projection. */
static void clip_half(const double *in, size_t n, int axis, double c,
                      int sign, double step, struct pts *tmp,
                      struct rings *out)
{
    tmp->n = 0;
    for (size_t i = 0; i < n; i++) {
        const double *s = in + 2 * ((i + n - 1) % n);
        const double *e = in + 2 * i;
        double ds = sign * (s[axis] - c), de = sign * (e[axis] - c);
        double ip[2];
        if (de <= 0) {
            if (ds > 0 && de < 0) {
                cut_point(s, e, axis, c, ip);
                pts_add(tmp, ip[0], ip[1]);
            }
            pts_add(tmp, e[0], e[1]);
        } else if (ds < 0) {
            cut_point(s, e, axis, c, ip);
            pts_add(tmp, ip[0], ip[1]);
        }
    }
    if (tmp->n < 3)
        return;
    /* densify edges along the cut line */
    {
        struct pts d = {0};
        size_t m = tmp->n;
        for (size_t i = 0; i < m; i++) {
            const double *a = tmp->xy + 2 * i;
            const double *b = tmp->xy + 2 * ((i + 1) % m);
            pts_add(&d, a[0], a[1]);
            if (a[axis] == c && b[axis] == c) {
                double u0 = a[1 - axis], u1 = b[1 - axis];
                if (u0 < u1) {
                    for (double k = floor(u0 / step) + 1; k * step < u1; k++) {
                        double v[2];
                        v[axis] = c;
                        v[1 - axis] = k * step;
                        pts_add(&d, v[0], v[1]);
                    }
                } else if (u0 > u1) {
                    for (double k = ceil(u0 / step) - 1; k * step > u1; k--) {
                        double v[2];
                        v[axis] = c;
                        v[1 - axis] = k * step;
                        pts_add(&d, v[0], v[1]);
                    }
                }
            }
        }
        if (ring_area2(d.xy, d.n) != 0)
            rings_add(out, d.xy, d.n);
        free(d.xy);
    }
}

struct tiler {
    double tile, step;
    struct mlayer *dst;
    const struct mfeat *src;
    uint32_t src_index;
    struct pts tmp;
};

static void emit_piece(struct tiler *t, const struct rings *r)
{
    struct mfeat *f;
    if (r->nr == 0)
        return;
    f = new_feat(t->dst, t->src);
    f->flags |= EVM_BM_F_PIECE;
    f->whole = t->src_index;
    for (size_t i = 0; i < r->nr; i++) {
        begin_part(t->dst);
        for (uint32_t k = 0; k < r->len[i]; k++)
            add_point(t->dst, r->xy[2 * (r->start[i] + k)],
                      r->xy[2 * (r->start[i] + k) + 1]);
        end_part(t->dst);
    }
}

/* Recursively halves the tile range [tx0,tx1) x [ty0,ty1). */
static void split(struct tiler *t, const struct rings *r, int tx0, int tx1,
                  int ty0, int ty1)
{
    struct rings lo = {0}, hi = {0};
    int axis, mid;
    double c;

    if (r->nr == 0)
        return;
    if (tx1 - tx0 <= 1 && ty1 - ty0 <= 1) {
        emit_piece(t, r);
        return;
    }
    if (tx1 - tx0 >= ty1 - ty0) {
        axis = 0;
        mid = tx0 + (tx1 - tx0) / 2;
        c = -180.0 + mid * t->tile;
    } else {
        axis = 1;
        mid = ty0 + (ty1 - ty0) / 2;
        c = -90.0 + mid * t->tile;
    }
    for (size_t i = 0; i < r->nr; i++) {
        const double *p = r->xy + 2 * r->start[i];
        size_t n = r->len[i];
        double mn = INFINITY, mx = -INFINITY;
        for (size_t k = 0; k < n; k++) {
            double v = p[2 * k + axis];
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        if (mx <= c)
            rings_add(&lo, p, n);
        else if (mn >= c)
            rings_add(&hi, p, n);
        else {
            clip_half(p, n, axis, c, 1, t->step, &t->tmp, &lo);
            clip_half(p, n, axis, c, -1, t->step, &t->tmp, &hi);
        }
    }
    if (axis == 0) {
        split(t, &lo, tx0, mid, ty0, ty1);
        split(t, &hi, mid, tx1, ty0, ty1);
    } else {
        split(t, &lo, tx0, tx1, ty0, mid);
        split(t, &hi, tx0, tx1, mid, ty1);
    }
    rings_free(&lo);
    rings_free(&hi);
}

static void feat_bbox_d(const struct mlayer *l, const struct mfeat *f,
                        double b[4], size_t *npts)
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    *npts = 0;
    for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
        const double *p = l->xy + 2 * l->pstart[k];
        for (uint32_t i = 0; i < l->plen[k]; i++) {
            b[0] = p[2 * i] < b[0] ? p[2 * i] : b[0];
            b[2] = p[2 * i] > b[2] ? p[2 * i] : b[2];
            b[1] = p[2 * i + 1] < b[1] ? p[2 * i + 1] : b[1];
            b[3] = p[2 * i + 1] > b[3] ? p[2 * i + 1] : b[3];
        }
        *npts += l->plen[k];
    }
}

static void copy_feat(struct mlayer *dst, const struct mlayer *src,
                      size_t fi)
{
    const struct mfeat *sf = &src->f[fi];
    struct mfeat *f = new_feat(dst, sf);
    f->whole = (uint32_t)fi;
    f->same_as_whole = 1;
    for (size_t k = sf->part0; k < sf->part0 + sf->nparts; k++) {
        const double *p = src->xy + 2 * src->pstart[k];
        begin_part(dst);
        for (uint32_t i = 0; i < src->plen[k]; i++)
            add_point(dst, p[2 * i], p[2 * i + 1]);
        end_part(dst);
    }
}

/* Builds dst from src: large polygons cut into tiles, long lines into
 * pieces of at most LINE_PIECE_POINTS points and one tile in extent. */
static void tile_layer(const struct mlayer *src, int scale,
                       struct mlayer *dst)
{
    double T = tile_deg[scale];
    struct tiler t = {T, T / 5.0, dst, NULL, 0, {0}};

    memset(dst, 0, sizeof *dst);
    dst->geom = src->geom;
    for (size_t fi = 0; fi < src->nf; fi++) {
        const struct mfeat *sf = &src->f[fi];
        double b[4];
        size_t npts;
        feat_bbox_d(src, sf, b, &npts);
        int tx0 = (int)floor((b[0] + 180.0) / T), tx1 =
            (int)floor((b[2] + 180.0) / T) + 1;
        int ty0 = (int)floor((b[1] + 90.0) / T), ty1 =
            (int)floor((b[3] + 90.0) / T) + 1;
        int big = b[2] - b[0] > T || b[3] - b[1] > T;
        if (src->geom == EVB_GEOM_POLYGON && npts > TILE_MIN_POINTS &&
            (tx1 - tx0 > 1 || ty1 - ty0 > 1)) {
            struct rings r = {0};
            for (size_t k = sf->part0; k < sf->part0 + sf->nparts; k++)
                rings_add(&r, src->xy + 2 * src->pstart[k], src->plen[k]);
            t.src = sf;
            t.src_index = (uint32_t)fi;
            split(&t, &r, tx0, tx1, ty0, ty1);
            rings_free(&r);
        } else if (src->geom == EVB_GEOM_LINE &&
                   (npts > LINE_PIECE_POINTS || big)) {
            for (size_t k = sf->part0; k < sf->part0 + sf->nparts; k++) {
                const double *p = src->xy + 2 * src->pstart[k];
                size_t n = src->plen[k], i0 = 0;
                while (i0 + 1 < n) {
                    double mnx = p[2 * i0], mxx = mnx;
                    double mny = p[2 * i0 + 1], mxy = mny;
                    size_t j = i0 + 1;
                    for (; j < n; j++) {
                        double x = p[2 * j], y = p[2 * j + 1];
                        double nx0 = x < mnx ? x : mnx, nx1 = x > mxx ? x : mxx;
                        double ny0 = y < mny ? y : mny, ny1 = y > mxy ? y : mxy;
                        if (j > i0 + 1 && (j - i0 + 1 > LINE_PIECE_POINTS ||
                                           nx1 - nx0 > T || ny1 - ny0 > T))
                            break;
                        mnx = nx0; mxx = nx1; mny = ny0; mxy = ny1;
                    }
                    /* points i0 .. j-1; the next piece starts at j-1 */
                    struct mfeat *f = new_feat(dst, sf);
                    f->flags |= EVM_BM_F_PIECE;
                    f->whole = (uint32_t)fi;
                    begin_part(dst);
                    for (size_t q = i0; q < j; q++)
                        add_point(dst, p[2 * q], p[2 * q + 1]);
                    end_part(dst);
                    i0 = j - 1;
                }
            }
        } else {
            copy_feat(dst, src, fi);
        }
    }
    free(t.tmp.xy);
}

/* ------------------------------------------------------------ output */

struct out {
    unsigned char *b;
    size_t n, cap;
};

static size_t out_put(struct out *o, const void *p, size_t n)
{
    size_t at = o->n;
    grow(&o->b, &o->cap, o->n + n, 1);
    memcpy(o->b + o->n, p, n);
    o->n += n;
    return at;
}

static void out_align(struct out *o, size_t a)
{
    static const unsigned char zero[8];
    if (o->n % a)
        out_put(o, zero, a - o->n % a);
}

/* String table with de-duplication (FNV-1a, open addressing). */
struct strtab {
    struct out data;
    uint32_t *slot;        /* offset + 1, 0 = empty */
    size_t nslot, used;
};

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static uint32_t str_intern(struct strtab *t, const char *s)
{
    size_t i;
    if (!*s)
        return 0;
    if (t->used * 2 >= t->nslot) {
        size_t ns = t->nslot ? t->nslot * 2 : 4096;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            die(3, "out of memory");
        for (size_t k = 0; k < t->nslot; k++)
            if (t->slot[k]) {
                const char *o = (const char *)t->data.b + t->slot[k] - 1;
                size_t j = fnv(o) & (ns - 1);
                while (sl[j])
                    j = (j + 1) & (ns - 1);
                sl[j] = t->slot[k];
            }
        free(t->slot);
        t->slot = sl;
        t->nslot = ns;
    }
    i = fnv(s) & (t->nslot - 1);
    while (t->slot[i]) {
        if (strcmp((const char *)t->data.b + t->slot[i] - 1, s) == 0)
            return t->slot[i] - 1;
        i = (i + 1) & (t->nslot - 1);
    }
    size_t at = out_put(&t->data, s, strlen(s) + 1);
    if (at >= UINT32_MAX)
        die(1, "string table over 4 GB");
    t->slot[i] = (uint32_t)at + 1;
    t->used++;
    return (uint32_t)at;
}

static uint64_t hilbert(uint32_t x, uint32_t y)
{
    /* xy to distance along a 2^16 x 2^16 Hilbert curve */
    const uint32_t n = 1u << 16;
    uint64_t d = 0;
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            uint32_t t;
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

struct order {
    uint64_t h;
    size_t i;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void compute_bboxes(struct mlayer *l)
{
    for (size_t fi = 0; fi < l->nf; fi++) {
        struct mfeat *f = &l->f[fi];
        float b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            const double *p = l->xy + 2 * l->pstart[k];
            for (uint32_t i = 0; i < l->plen[k]; i++) {
                float x = (float)p[2 * i], y = (float)p[2 * i + 1];
                b[0] = x < b[0] ? x : b[0];
                b[2] = x > b[2] ? x : b[2];
                b[1] = y < b[1] ? y : b[1];
                b[3] = y > b[3] ? y : b[3];
            }
        }
        memcpy(f->bbox, b, sizeof b);
    }
}

/* Order of l's features along the Hilbert curve of bbox centres. */
static size_t *hilbert_order(const struct mlayer *l)
{
    struct order *o = evm__reallocarray(NULL, l->nf ? l->nf : 1, sizeof *o);
    size_t *perm = evm__reallocarray(NULL, l->nf ? l->nf : 1, sizeof *perm);
    if (!o || !perm)
        die(3, "out of memory");
    for (size_t i = 0; i < l->nf; i++) {
        const float *b = l->f[i].bbox;
        double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
        uint32_t x = (uint32_t)((cx + 180.0) / 360.0 * 65535.0);
        uint32_t y = (uint32_t)((cy + 90.0) / 180.0 * 65535.0);
        o[i].h = hilbert(x > 65535 ? 65535 : x, y > 65535 ? 65535 : y);
        o[i].i = i;
    }
    qsort(o, l->nf, sizeof *o, order_cmp);
    for (size_t i = 0; i < l->nf; i++)
        perm[i] = o[i].i;
    free(o);
    return perm;
}

/* Where a written whole layer put each source feature's geometry. */
struct placed {
    uint64_t parts_off, coords_off;
    uint32_t pos;          /* index in the written layer */
};

/* Writes layer l (features, geometry, R-tree) and fills desc. whole_map
 * (may be NULL) gives for whole-feature indices their final placement, to
 * set evb_feat.whole and to share geometry with unchanged copies. If
 * placed_out is given it receives the placement of every feature of l by
 * its index in l. */
static void write_layer(struct out *o, struct strtab *st, struct mlayer *l,
                        const struct placed *whole_map,
                        struct placed *placed_out, struct evb_layer *desc)
{
    size_t *perm;
    struct evb_feat *recs;
    uint32_t count[EVB_MAX_LEVELS];
    uint64_t nnodes;
    int nlev;

    memset(desc, 0, sizeof *desc);
    if (l->nf == 0)
        return;
    if (l->nf > UINT32_MAX / 2)
        die(1, "too many features");
    compute_bboxes(l);
    perm = hilbert_order(l);
    recs = calloc(l->nf, sizeof *recs);
    if (!recs)
        die(3, "out of memory");
    for (size_t r = 0; r < l->nf; r++) {
        const struct mfeat *f = &l->f[perm[r]];
        struct evb_feat *e = &recs[r];
        uint64_t npts = 0;
        memcpy(e->bbox, f->bbox, sizeof e->bbox);
        e->name = str_intern(st, f->name ? f->name : "");
        e->name_en = str_intern(st, f->name_en ? f->name_en : "");
        memcpy(e->iso, f->iso, 2);
        e->rank = f->rank;
        e->pop = f->pop;
        e->flags = f->flags;
        e->nparts = (uint32_t)f->nparts;
        e->whole = EVB_NOWHOLE;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++)
            npts += l->plen[k] + (l->geom == EVB_GEOM_POLYGON);
        if (npts > UINT32_MAX)
            die(1, "feature too large");
        e->npoints = (uint32_t)npts;
        if (whole_map && f->whole != EVB_NOWHOLE) {
            e->whole = whole_map[f->whole].pos;
            if (f->same_as_whole) {
                e->parts_off = whole_map[f->whole].parts_off;
                e->coords_off = whole_map[f->whole].coords_off;
                continue;
            }
        }
        out_align(o, 4);
        e->parts_off = o->n;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            uint32_t n = l->plen[k] + (l->geom == EVB_GEOM_POLYGON);
            out_put(o, &n, sizeof n);
        }
        e->coords_off = o->n;
        for (size_t k = f->part0; k < f->part0 + f->nparts; k++) {
            const double *p = l->xy + 2 * l->pstart[k];
            for (uint32_t i = 0; i < l->plen[k]; i++) {
                float v[2] = {(float)p[2 * i], (float)p[2 * i + 1]};
                out_put(o, v, sizeof v);
            }
            if (l->geom == EVB_GEOM_POLYGON) {
                /* rings are stored closed */
                float v[2] = {(float)p[0], (float)p[1]};
                out_put(o, v, sizeof v);
            }
        }
        if (placed_out) {
            placed_out[perm[r]].parts_off = e->parts_off;
            placed_out[perm[r]].coords_off = e->coords_off;
            placed_out[perm[r]].pos = (uint32_t)r;
        }
    }
    out_align(o, 8);
    desc->nfeat = (uint32_t)l->nf;
    desc->geom = (uint32_t)l->geom;
    desc->feat_off = out_put(o, recs, l->nf * sizeof *recs);

    /* packed R-tree: build levels bottom-up, store root first */
    nlev = evm__evb_levels((uint32_t)l->nf, count, &nnodes);
    if (nlev <= 0)
        die(1, "R-tree too deep");
    {
        float *nodes = calloc((size_t)nnodes * 4, sizeof(float));
        uint64_t start[EVB_MAX_LEVELS], at = 0;
        if (!nodes)
            die(3, "out of memory");
        for (int k = 0; k < nlev; k++) {
            start[k] = at;
            at += count[k];
        }
        for (int k = nlev - 1; k >= 0; k--) {
            uint32_t below = k + 1 < nlev ? count[k + 1] : (uint32_t)l->nf;
            for (uint32_t i = 0; i < count[k]; i++) {
                float *nb = nodes + 4 * (start[k] + i);
                nb[0] = nb[1] = INFINITY;
                nb[2] = nb[3] = -INFINITY;
                for (uint32_t c = i * EVB_NODE;
                     c < (i + 1) * EVB_NODE && c < below; c++) {
                    const float *cb = k + 1 < nlev
                        ? nodes + 4 * (start[k + 1] + c) : recs[c].bbox;
                    nb[0] = cb[0] < nb[0] ? cb[0] : nb[0];
                    nb[1] = cb[1] < nb[1] ? cb[1] : nb[1];
                    nb[2] = cb[2] > nb[2] ? cb[2] : nb[2];
                    nb[3] = cb[3] > nb[3] ? cb[3] : nb[3];
                }
            }
        }
        memcpy(desc->bbox, nodes, sizeof desc->bbox);
        desc->tree_off = out_put(o, nodes, (size_t)nnodes * 4 * sizeof(float));
        free(nodes);
    }
    out_align(o, 8);
    free(recs);
    free(perm);
}

/* ---------------------------------------------------------- name index */

struct nameent {
    const char *key;
    struct evb_name e;
};

static int name_cmp(const void *a, const void *b)
{
    const struct nameent *x = a, *y = b;
    int c;
    if (x->e.kind != y->e.kind)
        return x->e.kind < y->e.kind ? -1 : 1;
    if ((c = strcmp(x->key, y->key)) != 0)
        return c;
    if (x->e.feat != y->e.feat)
        return x->e.feat < y->e.feat ? -1 : 1;
    return (int)x->e.tier - (int)y->e.tier;
}

struct names {
    struct nameent *v;
    size_t n, cap;
};

static void name_add(struct names *nm, int kind, const char *text, int tier,
                     uint32_t feat)
{
    char key[512];
    int len, is_city;
    if (evm__bm_norm(text, key, sizeof key) <= 0)
        return;
    for (int pass = 0; pass < 2; pass++) {
        grow(&nm->v, &nm->cap, nm->n + 1, sizeof *nm->v);
        nm->v[nm->n].key = xstrdup(key);
        nm->v[nm->n].e.kind = (uint16_t)kind;
        nm->v[nm->n].e.tier = (uint16_t)(pass ? 3 : tier);
        nm->v[nm->n].e.feat = feat;
        nm->n++;
        /* also index admin-1 names without their type word */
        if (kind != EVB_WHOLE_ADMIN1 ||
            (len = evm__bm_strip_type(key, &is_city)) <= 0)
            break;
        key[len] = '\0';
    }
}

/* ------------------------------------------------------------- main */

static void load(const char *dir, int layer, int scale, struct mlayer *l,
                 int *present)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s_%s.txt.gz", dir, layer_src[layer].file,
             scale_names[scale]);
    f = fopen(path, "rb");
    if (!f) {
        snprintf(path, sizeof path, "%s/%s_all.txt.gz", dir,
                 layer_src[layer].file);
        f = fopen(path, "rb");
    }
    if (!f) {
        *present = 0;
        if (layer_src[layer].optional_below_10m && scale != EVM_BM_10M)
            return;
        die(3, "%s/%s_%s.txt.gz: cannot open (run scripts/build-basemap)",
            dir, layer_src[layer].file, scale_names[scale]);
    }
    fclose(f);
    *present = 1;
    parse_file(path, layer_src[layer].geom, l);
}

int main(int argc, char **argv)
{
    struct out o = {0};
    struct strtab st = {0};
    struct evb_header h;
    struct names nm = {0};
    struct mlayer whole[EVB_NWHOLE];
    struct placed *wplaced[EVB_NWHOLE] = {NULL, NULL};
    evm_atomic at;
    evm_error err;
    const int whole_layer[EVB_NWHOLE] = {EVM_BM_COUNTRIES, EVM_BM_ADMIN1};

    if (argc != 3) {
        fprintf(stderr, "usage: mkbasemap SRCDIR OUT\n");
        return 2;
    }
    memset(&h, 0, sizeof h);
    out_put(&o, &h, sizeof h);
    out_align(&o, 8);
    out_put(&st.data, "", 1);

    /* untiled countries and admin-1 (10m), for lookups by name */
    for (int k = 0; k < EVB_NWHOLE; k++) {
        int present;
        load(argv[1], whole_layer[k], EVM_BM_10M, &whole[k], &present);
        wplaced[k] = calloc(whole[k].nf ? whole[k].nf : 1,
                            sizeof *wplaced[k]);
        if (!wplaced[k])
            die(3, "out of memory");
        write_layer(&o, &st, &whole[k], NULL, wplaced[k], &h.whole[k]);
        for (size_t a = 0; a < whole[k].na; a++)
            name_add(&nm, k, whole[k].a[a].text, whole[k].a[a].tier,
                     wplaced[k][whole[k].a[a].feat].pos);
        for (size_t fi = 0; fi < whole[k].nf; fi++) {
            name_add(&nm, k, whole[k].f[fi].name, 0, wplaced[k][fi].pos);
            name_add(&nm, k, whole[k].f[fi].name_en, 1, wplaced[k][fi].pos);
        }
    }

    for (int layer = 0; layer < EVM_BM_LAYER_COUNT; layer++)
        for (int s = 0; s < EVB_NSCALES; s++) {
            struct mlayer src, tiled;
            int present, wk = -1;
            for (int k = 0; k < EVB_NWHOLE; k++)
                if (whole_layer[k] == layer && s == EVM_BM_10M)
                    wk = k;
            if (wk >= 0) {
                tile_layer(&whole[wk], s, &tiled);
                write_layer(&o, &st, &tiled, wplaced[wk], NULL,
                            &h.layers[layer][s]);
                layer_free(&tiled, 0);
                continue;
            }
            memset(&src, 0, sizeof src);
            load(argv[1], layer, s, &src, &present);
            if (!present)
                continue;
            tile_layer(&src, s, &tiled);
            write_layer(&o, &st, &tiled, NULL, NULL, &h.layers[layer][s]);
            layer_free(&tiled, 0);
            layer_free(&src, 1);
        }

    /* name index: sorted, duplicates (same kind, key, feature) dropped
     * keeping the best tier */
    qsort(nm.v, nm.n, sizeof *nm.v, name_cmp);
    {
        size_t w = 0;
        for (size_t i = 0; i < nm.n; i++) {
            if (w > 0 && nm.v[w - 1].e.kind == nm.v[i].e.kind &&
                nm.v[w - 1].e.feat == nm.v[i].e.feat &&
                strcmp(nm.v[w - 1].key, nm.v[i].key) == 0) {
                free((char *)nm.v[i].key);
                continue;
            }
            nm.v[w++] = nm.v[i];
        }
        nm.n = w;
    }
    out_align(&o, 8);
    h.names_off = o.n;
    h.nnames = (uint32_t)nm.n;
    for (size_t i = 0; i < nm.n; i++) {
        nm.v[i].e.key = str_intern(&st, nm.v[i].key);
        out_put(&o, &nm.v[i].e, sizeof nm.v[i].e);
        free((char *)nm.v[i].key);
    }
    free(nm.v);
    out_align(&o, 8);
    h.strings_off = o.n;
    h.strings_size = st.data.n;
    out_put(&o, st.data.b, st.data.n);
    out_align(&o, 8);

    memcpy(h.magic, EVB_MAGIC, 8);
    h.version = EVB_VERSION;
    h.endian = EVB_ENDIAN;
    h.file_size = o.n;
    h.nlayers = EVM_BM_LAYER_COUNT;
    h.nscales = EVB_NSCALES;
    h.crc = 0;
    h.crc = (uint32_t)crc32(0L, (const Bytef *)&h, sizeof h);
    memcpy(o.b, &h, sizeof h);

    evm_error_clear(&err);
    if (evm__atomic_open(&at, argv[2], &err) != EVM_OK)
        die(3, "%s", err.msg);
    if (fwrite(o.b, 1, o.n, at.f) != o.n) {
        evm__atomic_abort(&at);
        die(3, "%s: write failed", argv[2]);
    }
    if (evm__atomic_commit(&at, &err) != EVM_OK)
        die(3, "%s", err.msg);
    fprintf(stderr, "mkbasemap: %s: %zu bytes, %zu names\n", argv[2], o.n,
            nm.n);
    for (int k = 0; k < EVB_NWHOLE; k++) {
        layer_free(&whole[k], 1);
        free(wplaced[k]);
    }
    free(o.b);
    free(st.data.b);
    free(st.slot);
    return 0;
}
