/* mkbasemap: cuts large polygons into tiles (Sutherland-Hodgman per ring,
 * by recursive halving so each vertex is clipped O(log tiles) times) and
 * long lines into pieces. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkbasemap.h"

#define TILE_MIN_POINTS 256   /* smaller features are never cut */
#define LINE_PIECE_POINTS 256

static const double tile_deg[EVB_NSCALES] = {30.0, 10.0, 5.0};

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
void tile_layer(const struct mlayer *src, int scale,
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

