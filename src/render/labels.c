/* The label placement engine. Labels are placed one at a time in order
 * of priority (then of addition) at the first free candidate position:
 * right of the anchor, left, above, below, then the four diagonals
 * (upper right, upper left, lower right, lower left), `gap` px from the
 * anchor. When all eight collide, positions further out are tried on
 * rings of growing radius at sixteen angles each (nearest first); those
 * get a leader line, which must cross no label, no other leader and no
 * other place's symbol (it may cross plain obstacles, a crowd of hexagons,
 * when nothing else is free), and which later labels avoid. A label with
 * no free position is left unplaced and counted. Collisions are tested against a uniform grid, so
 * each test looks only at the items near the box. Everything is
 * deterministic: the same input gives the same boxes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render.h"

enum { IT_OBST, IT_BOX, IT_SEG, IT_SYM };

struct item {
    evm_rect r;         /* the rect, or the segment's or circle's
                         * bounding box */
    double x0, y0, x1, y1; /* segment ends (IT_SEG); centre and radius
                            * in x0, y0, x1 (IT_SYM) */
    int kind;           /* obstacle, label or fixed box, leader, symbol */
};

struct label {
    double ax, ay, gap, w, h;
    int prio, done, placed, leader;
    int limited;        /* counts against the labeler's limit */
    int no_leader;      /* drawn without a leader: a displaced box need
                         * not have a clear line to the anchor */
    evm_rect box;
};

struct cell {
    int *v;
    int n, cap;
};

struct evm_labeler {
    evm_rect frame;
    struct label *lab;
    int nlab, caplab;
    struct item *it;
    int nit, capit;
    struct cell *cells;
    int gw, gh;
    double cs;          /* cell size, px */
    int failed;         /* out of memory: further items are not indexed */
    int limit;          /* limited labels that may still be placed;
                         * -1: no limit */
};

/* Rings tried for a displaced label, and angles per ring. */
#define RINGS 12
#define ANGLES 32
/* A walled-in place's leader crosses at most this many symbols. */
#define MAX_SYMS 1

/* ---------------------------------------------------------- geometry */

static int rect_ok(evm_rect r)
{
    return isfinite(r.x0) && isfinite(r.y0) && isfinite(r.x1) &&
           isfinite(r.y1) && r.x1 >= r.x0 && r.y1 >= r.y0;
}

/* Strict overlap: boxes that only touch do not overlap. */
static int overlap(evm_rect a, evm_rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static int inside(evm_rect in, evm_rect out)
{
    const double e = 1e-9;
    return in.x0 >= out.x0 - e && in.y0 >= out.y0 - e &&
           in.x1 <= out.x1 + e && in.y1 <= out.y1 + e;
}

/* Does segment (x0,y0)-(x1,y1) pass through the interior of r?
 * Liang-Barsky clipping against r shrunk by a hair. */
static int seg_hits_rect(double x0, double y0, double x1, double y1,
                         evm_rect r)
{
    const double e = 1e-6;
    double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
    double p[4] = { -dx, dx, -dy, dy };
    double q[4] = { x0 - (r.x0 + e), (r.x1 - e) - x0, y0 - (r.y0 + e),
                    (r.y1 - e) - y0 };
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
        } else {
            double t = q[i] / p[i];
            if (p[i] < 0) {
                if (t > t1)
                    return 0;
                if (t > t0)
                    t0 = t;
            } else {
                if (t < t0)
                    return 0;
                if (t < t1)
                    t1 = t;
            }
        }
    }
    return t0 < t1;
}

/* Does the circle (cx, cy, rad) reach into the interior of r? */
static int circle_hits_rect(double cx, double cy, double rad, evm_rect r)
{
    double nx = cx < r.x0 ? r.x0 : cx > r.x1 ? r.x1 : cx;
    double ny = cy < r.y0 ? r.y0 : cy > r.y1 ? r.y1 : cy;
    return hypot(nx - cx, ny - cy) < rad - 1e-6;
}

/* Does segment (x0,y0)-(x1,y1) pass closer than rad to (cx, cy)? */
static int seg_hits_circle(double x0, double y0, double x1, double y1,
                           double cx, double cy, double rad)
{
    double dx = x1 - x0, dy = y1 - y0, L2 = dx * dx + dy * dy;
    double t = L2 > 0 ? ((cx - x0) * dx + (cy - y0) * dy) / L2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(x0 + t * dx - cx, y0 + t * dy - cy) < rad - 1e-6;
}

/* Do segments a and b cross (touching ends do not count)? */
static int segs_cross(double ax0, double ay0, double ax1, double ay1,
                      double bx0, double by0, double bx1, double by1)
{
    double d1 = (bx1 - bx0) * (ay0 - by0) - (by1 - by0) * (ax0 - bx0);
    double d2 = (bx1 - bx0) * (ay1 - by0) - (by1 - by0) * (ax1 - bx0);
    double d3 = (ax1 - ax0) * (by0 - ay0) - (ay1 - ay0) * (bx0 - ax0);
    double d4 = (ax1 - ax0) * (by1 - ay0) - (ay1 - ay0) * (bx1 - ax0);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

/* The point of r nearest to (ax, ay) (the anchor itself when inside). */
void evm__rect_nearest(evm_rect r, double ax, double ay, double *x,
                       double *y)
{
    double px = ax < r.x0 ? r.x0 : ax > r.x1 ? r.x1 : ax;
    double py = ay < r.y0 ? r.y0 : ay > r.y1 ? r.y1 : ay;
    if (x)
        *x = px;
    if (y)
        *y = py;
}

/* -------------------------------------------------------------- grid */

static void cell_range(const evm_labeler *lb, evm_rect r, int *cx0,
                       int *cy0, int *cx1, int *cy1)
{
    double fx = (r.x0 - lb->frame.x0) / lb->cs;
    double fy = (r.y0 - lb->frame.y0) / lb->cs;
    double gx = (r.x1 - lb->frame.x0) / lb->cs;
    double gy = (r.y1 - lb->frame.y0) / lb->cs;
    *cx0 = fx < 0 ? 0 : fx >= lb->gw ? lb->gw - 1 : (int)fx;
    *cy0 = fy < 0 ? 0 : fy >= lb->gh ? lb->gh - 1 : (int)fy;
    *cx1 = gx < 0 ? 0 : gx >= lb->gw ? lb->gw - 1 : (int)gx;
    *cy1 = gy < 0 ? 0 : gy >= lb->gh ? lb->gh - 1 : (int)gy;
}

static int cell_push(struct cell *c, int v)
{
    if (c->n == c->cap) {
        int nc = c->cap ? c->cap * 2 : 8;
        int *nv = evm__reallocarray(c->v, (size_t)nc, sizeof *nv);
        if (!nv)
            return -1;
        c->v = nv;
        c->cap = nc;
    }
    c->v[c->n++] = v;
    return 0;
}

static int add_item(evm_labeler *lb, const struct item *item)
{
    if (lb->failed)
        return -1;
    if (lb->nit == lb->capit) {
        int nc = lb->capit ? lb->capit * 2 : 64;
        struct item *ni = evm__reallocarray(lb->it, (size_t)nc, sizeof *ni);
        if (!ni) {
            lb->failed = 1;
            return -1;
        }
        lb->it = ni;
        lb->capit = nc;
    }
    int id = lb->nit++;
    lb->it[id] = *item;
    int cx0, cy0, cx1, cy1;
    cell_range(lb, item->r, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
            if (cell_push(&lb->cells[cy * lb->gw + cx], id) < 0) {
                lb->failed = 1;
                return -1;
            }
    return 0;
}

static int add_rect(evm_labeler *lb, evm_rect r, int kind)
{
    struct item it = { r, 0, 0, 0, 0, kind };
    return add_item(lb, &it);
}

/* Does box r overlap any indexed item? */
static int hits_box(const evm_labeler *lb, evm_rect r)
{
    int cx0, cy0, cx1, cy1;
    cell_range(lb, r, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++) {
            const struct cell *c = &lb->cells[cy * lb->gw + cx];
            for (int k = 0; k < c->n; k++) {
                const struct item *it = &lb->it[c->v[k]];
                if (!overlap(r, it->r))
                    continue;
                if (it->kind == IT_SYM) {
                    if (circle_hits_rect(it->x0, it->y0, it->x1, r))
                        return 1;
                } else if (it->kind != IT_SEG ||
                           seg_hits_rect(it->x0, it->y0, it->x1, it->y1, r)) {
                    return 1;
                }
            }
        }
    return 0;
}

/* What the leader from (x0, y0) to (x1, y1) passes through: -1 when it
 * crosses a label, a fixed box or another leader (never allowed); else
 * twice the number of other places' symbols it crosses (not its own,
 * centred within `own` px of (ax, ay), nor one (ax, ay) lies in), plus 1
 * when it crosses plain obstacles. */
static int hits_seg(const evm_labeler *lb, double x0, double y0, double x1,
                    double y1, double ax, double ay, double own)
{
    evm_rect bb = { fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1) };
    int cx0, cy0, cx1, cy1, obst = 0, syms = 0;
    cell_range(lb, bb, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++) {
            const struct cell *c = &lb->cells[cy * lb->gw + cx];
            for (int k = 0; k < c->n; k++) {
                const struct item *it = &lb->it[c->v[k]];
                if (obst && it->kind == IT_OBST)
                    continue;
                if (it->kind == IT_SEG) {
                    if (segs_cross(x0, y0, x1, y1, it->x0, it->y0, it->x1,
                                   it->y1))
                        return -1;
                    continue;
                }
                if (it->kind == IT_SYM) {
                    /* a symbol spanning several cells counts in the
                     * first cell of the segment's range it covers; not
                     * its own, nor one the anchor lies in (no leader
                     * could leave it) */
                    int bx0, by0, bx1, by1;
                    cell_range(lb, it->r, &bx0, &by0, &bx1, &by1);
                    if ((bx0 > cx0 ? bx0 : cx0) != cx ||
                        (by0 > cy0 ? by0 : cy0) != cy)
                        continue;
                    double da = hypot(it->x0 - ax, it->y0 - ay);
                    syms += da > own && da >= it->x1 &&
                            seg_hits_circle(x0, y0, x1, y1, it->x0, it->y0,
                                            it->x1);
                    continue;
                }
                if (!seg_hits_rect(x0, y0, x1, y1, it->r))
                    continue;
                if (it->kind == IT_OBST)
                    obst = 1;
                else
                    return -1;
            }
        }
    return 2 * syms + obst;
}

/* --------------------------------------------------------------- API */

/* Creates a labeler for the drawable area frame. Returns NULL when out of
 * memory or when frame is empty or not finite. Free with
 * evm__labeler_free. */
evm_labeler *evm__labeler_new(evm_rect frame)
{
    if (!rect_ok(frame) || !(frame.x1 > frame.x0) || !(frame.y1 > frame.y0))
        return NULL;
    evm_labeler *lb = evm__calloc(1, sizeof *lb);
    if (!lb)
        return NULL;
    double W = frame.x1 - frame.x0, H = frame.y1 - frame.y0;
    double big = W > H ? W : H;
    lb->frame = frame;
    lb->limit = -1;
    lb->cs = big / 96 > 24 ? big / 96 : 24;
    lb->gw = (int)ceil(W / lb->cs);
    lb->gh = (int)ceil(H / lb->cs);
    if (lb->gw < 1)
        lb->gw = 1;
    if (lb->gh < 1)
        lb->gh = 1;
    lb->cells = evm__calloc((size_t)lb->gw * (size_t)lb->gh,
                            sizeof *lb->cells);
    if (!lb->cells) {
        free(lb);
        return NULL;
    }
    return lb;
}

/* Frees lb and everything it holds; accepts NULL. */
void evm__labeler_free(evm_labeler *lb)
{
    if (!lb)
        return;
    for (int i = 0; i < lb->gw * lb->gh; i++)
        free(lb->cells[i].v);
    free(lb->cells);
    free(lb->it);
    free(lb->lab);
    free(lb);
}

/* Adds an area no label may cover. Rects that are empty or not finite
 * are ignored. */
void evm__labeler_add_obstacle(evm_labeler *lb, evm_rect r)
{
    if (!lb || !rect_ok(r))
        return;
    add_rect(lb, r, IT_OBST);
}

/* Adds a place's symbol, a disc no label may cover and no other
 * place's leader may cross; see render.h. */
void evm__labeler_add_symbol(evm_labeler *lb, double x, double y, double r)
{
    if (!lb || !isfinite(x) || !isfinite(y) || !(r > 0) || !isfinite(r))
        return;
    struct item it = { { x - r, y - r, x + r, y + r }, x, y, r, 0, IT_SYM };
    add_item(lb, &it);
}

/* Adds a label to place; see render.h. Returns its index, or -1 when out
 * of memory. A label with a size that is negative or not finite is kept
 * (and reported unplaced). */
int evm__labeler_add(evm_labeler *lb, double ax, double ay, double gap,
                     double w, double h, int priority)
{
    if (!lb)
        return -1;
    if (lb->nlab == lb->caplab) {
        int nc = lb->caplab ? lb->caplab * 2 : 64;
        struct label *nl = evm__reallocarray(lb->lab, (size_t)nc,
                                             sizeof *nl);
        if (!nl) {
            lb->failed = 1;
            return -1;
        }
        lb->lab = nl;
        lb->caplab = nc;
    }
    struct label *L = &lb->lab[lb->nlab];
    memset(L, 0, sizeof *L);
    L->ax = ax;
    L->ay = ay;
    L->gap = gap > 0 ? gap : 0;
    L->w = w;
    L->h = h;
    L->prio = priority;
    return lb->nlab++;
}

/* Candidate k (0..7) of the eight around the anchor. */
static evm_rect candidate(const struct label *L, int k)
{
    double ax = L->ax, ay = L->ay, g = L->gap, w = L->w, h = L->h;
    double d = g * 0.70710678;
    evm_rect r;
    switch (k) {
    case 0: r.x0 = ax + g; r.y0 = ay - h / 2; break;          /* right */
    case 1: r.x0 = ax - g - w; r.y0 = ay - h / 2; break;      /* left */
    case 2: r.x0 = ax - w / 2; r.y0 = ay - g - h; break;      /* above */
    case 3: r.x0 = ax - w / 2; r.y0 = ay + g; break;          /* below */
    case 4: r.x0 = ax + d; r.y0 = ay - d - h; break;          /* NE */
    case 5: r.x0 = ax - d - w; r.y0 = ay - d - h; break;      /* NW */
    case 6: r.x0 = ax + d; r.y0 = ay + d; break;              /* SE */
    default: r.x0 = ax - d - w; r.y0 = ay + d; break;         /* SW */
    }
    r.x1 = r.x0 + w;
    r.y1 = r.y0 + h;
    return r;
}

/* Angle order on a ring: the four sides, the diagonals, then the rest. */
static const int ring_order[ANGLES] = {
    0, 16, 24, 8, 28, 20, 4, 12, 30, 18, 26, 14, 2, 22, 6, 10,
    31, 17, 1, 15, 29, 19, 3, 13, 27, 21, 5, 11, 25, 23, 7, 9};

/* A displaced box whose nearest edge is at distance rad from the anchor
 * in direction a (ring_order index), moved inside the frame. */
static evm_rect ring_box(const evm_labeler *lb, const struct label *L,
                         double rad, int a)
{
    double t = 2 * M_PI * a / ANGLES;
    double c = cos(t), s = sin(t);
    double px = L->ax + rad * c, py = L->ay + rad * s;
    evm_rect r;
    /* Attach the box to the ring point on its side facing the anchor. */
    r.x0 = c > 0.35 ? px : c < -0.35 ? px - L->w : px - L->w / 2;
    r.y0 = s > 0.35 ? py : s < -0.35 ? py - L->h : py - L->h / 2;
    if (r.x0 < lb->frame.x0)
        r.x0 = lb->frame.x0;
    if (r.x0 + L->w > lb->frame.x1)
        r.x0 = lb->frame.x1 - L->w;
    if (r.y0 < lb->frame.y0)
        r.y0 = lb->frame.y0;
    if (r.y0 + L->h > lb->frame.y1)
        r.y0 = lb->frame.y1 - L->h;
    r.x1 = r.x0 + L->w;
    r.y1 = r.y0 + L->h;
    return r;
}

static int free_box(const evm_labeler *lb, evm_rect r)
{
    return inside(r, lb->frame) && !hits_box(lb, r);
}

/* What a leader from the anchor's rim (gap from it) to the box's
 * nearest point crosses: see hits_seg. Against other leaders it counts
 * from the anchor itself, as drawn leaders start nearer than gap. */
static int leader_hits(const evm_labeler *lb, const struct label *L,
                       evm_rect r)
{
    double ex, ey;
    evm__rect_nearest(r, L->ax, L->ay, &ex, &ey);
    double dx = ex - L->ax, dy = ey - L->ay, len = hypot(dx, dy);
    if (len <= L->gap)
        return 0;
    double sx = L->ax + dx / len * L->gap, sy = L->ay + dy / len * L->gap;
    int h = hits_seg(lb, sx, sy, ex, ey, L->ax, L->ay, 0.5);
    if (h >= 0) {
        /* leaders only: the part under the anchor's rim */
        evm_rect bb = { fmin(L->ax, ex), fmin(L->ay, ey), fmax(L->ax, ex),
                        fmax(L->ay, ey) };
        int cx0, cy0, cx1, cy1;
        cell_range(lb, bb, &cx0, &cy0, &cx1, &cy1);
        for (int cy = cy0; cy <= cy1; cy++)
            for (int cx = cx0; cx <= cx1; cx++) {
                const struct cell *c = &lb->cells[cy * lb->gw + cx];
                for (int k = 0; k < c->n; k++) {
                    const struct item *it = &lb->it[c->v[k]];
                    if (it->kind == IT_SEG &&
                        segs_cross(L->ax, L->ay, ex, ey, it->x0, it->y0,
                                   it->x1, it->y1))
                        return -1;
                }
            }
    }
    return h;
}

/* Records r as label L's box, with its leader when displaced. */
static void accept(evm_labeler *lb, struct label *L, evm_rect r, int leader)
{
    if (add_rect(lb, r, IT_BOX) < 0)
        return;
    L->box = r;
    L->placed = 1;
    L->leader = leader;
    if (!leader || L->no_leader)
        return;
    double ex, ey;
    evm__rect_nearest(r, L->ax, L->ay, &ex, &ey);
    double dx = ex - L->ax, dy = ey - L->ay, len = hypot(dx, dy);
    if (len <= L->gap)
        return;
    /* kept from the anchor itself: drawn leaders start nearer than gap */
    struct item s;
    s.kind = IT_SEG;
    s.x0 = L->ax;
    s.y0 = L->ay;
    s.x1 = ex;
    s.y1 = ey;
    s.r.x0 = fmin(s.x0, s.x1);
    s.r.y0 = fmin(s.y0, s.y1);
    s.r.x1 = fmax(s.x0, s.x1);
    s.r.y1 = fmax(s.y0, s.y1);
    add_item(lb, &s);
}

static void place_one(evm_labeler *lb, struct label *L)
{
    L->done = 1;
    L->placed = L->leader = 0;
    if (L->limited && lb->limit == 0)
        return;
    if (!(L->w >= 0) || !(L->h >= 0) || !isfinite(L->w) ||
        !isfinite(L->h) || !isfinite(L->ax) || !isfinite(L->ay) ||
        !isfinite(L->gap) || L->w > lb->frame.x1 - lb->frame.x0 ||
        L->h > lb->frame.y1 - lb->frame.y0)
        return;
    for (int k = 0; k < 8; k++) {
        evm_rect r = candidate(L, k);
        if (free_box(lb, r)) {
            accept(lb, L, r, 0);
            return;
        }
    }
    /* Displaced: on each ring, the first box whose leader crosses
     * nothing; failing that, the first whose leader crosses only plain
     * obstacles (a crowd of hexagons). With neither on any ring (a place
     * walled in by others' symbols, as a city's in a dense table), the
     * box whose leader crosses the fewest symbols, nearest first: an
     * important place keeps its label. A leader never crosses a label or
     * another leader. */
    double step = L->h * 0.6;
    step = step < 6 ? 6 : step > 14 ? 14 : step;
    int best = -1;
    evm_rect bestr = { 0, 0, 0, 0 };
    for (int ring = 1; ring <= RINGS; ring++) {
        double rad = L->gap + ring * step;
        int have_fb = 0;
        evm_rect fb = { 0, 0, 0, 0 };
        for (int i = 0; i < ANGLES; i++) {
            evm_rect r = ring_box(lb, L, rad, ring_order[i]);
            if (!free_box(lb, r))
                continue;
            int h = L->no_leader ? 0 : leader_hits(lb, L, r);
            if (h == 0) {
                accept(lb, L, r, 1);
                return;
            }
            if (h == 1 && !have_fb) {
                fb = r;
                have_fb = 1;
            }
            if (h > 1 && (best < 0 || h < best)) {
                best = h;
                bestr = r;
            }
        }
        if (have_fb) {
            accept(lb, L, fb, 1);
            return;
        }
    }
    if (best > 0 && best <= 2 * MAX_SYMS + 1)
        accept(lb, L, bestr, 1);
}

struct order {
    int prio, idx;
};

static int by_priority(const void *a, const void *b)
{
    const struct order *p = a, *q = b;
    if (p->prio != q->prio)
        return p->prio < q->prio ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Places every label added since the last run, in order of priority
 * then of addition. Labels placed by an earlier run stay where they are.
 * Out of memory: the remaining labels are reported unplaced (and
 * evm__labeler_failed says so). */
void evm__labeler_run(evm_labeler *lb)
{
    if (!lb)
        return;
    int n = 0;
    for (int i = 0; i < lb->nlab; i++)
        n += !lb->lab[i].done;
    if (!n)
        return;
    struct order *ord = evm__reallocarray(NULL, (size_t)n, sizeof *ord);
    if (!ord) {
        for (int i = 0; i < lb->nlab; i++)
            lb->lab[i].done = 1;
        lb->failed = 1;
        return;
    }
    n = 0;
    for (int i = 0; i < lb->nlab; i++)
        if (!lb->lab[i].done) {
            ord[n].prio = lb->lab[i].prio;
            ord[n++].idx = i;
        }
    qsort(ord, (size_t)n, sizeof *ord, by_priority);
    for (int k = 0; k < n; k++) {
        struct label *L = &lb->lab[ord[k].idx];
        place_one(lb, L);
        if (L->placed && L->limited && lb->limit > 0)
            lb->limit--;
    }
    free(ord);
}

/* At most n of the labels marked with evm__labeler_limited are placed:
 * the first that find room, in order of priority. */
void evm__labeler_set_limit(evm_labeler *lb, int n)
{
    if (lb)
        lb->limit = n < 0 ? -1 : n;
}

void evm__labeler_no_leader(evm_labeler *lb, int i)
{
    if (lb && i >= 0 && i < lb->nlab)
        lb->lab[i].no_leader = 1;
}

void evm__labeler_limited(evm_labeler *lb, int i)
{
    if (lb && i >= 0 && i < lb->nlab)
        lb->lab[i].limited = 1;
}

/* Result of label i after evm__labeler_run; an index out of range or a
 * label not yet run reads as unplaced. Any pointer may be NULL. */
void evm__labeler_result(const evm_labeler *lb, int i, evm_rect *box,
                         int *placed, int *leader)
{
    const struct label *L =
        lb && i >= 0 && i < lb->nlab ? &lb->lab[i] : NULL;
    int ok = L && L->done && L->placed;
    if (box) {
        evm_rect z = { 0, 0, 0, 0 };
        *box = ok ? L->box : z;
    }
    if (placed)
        *placed = ok;
    if (leader)
        *leader = ok && L->leader;
}

/* Adds r as a placed box when it is inside the frame and free; see
 * render.h. */
int evm__labeler_try_place_fixed(evm_labeler *lb, evm_rect r)
{
    if (!lb || !rect_ok(r) || !free_box(lb, r))
        return 0;
    return add_rect(lb, r, IT_BOX) == 0;
}

/* 1 if r overlaps anything indexed; see render.h. */
int evm__labeler_collides(const evm_labeler *lb, evm_rect r)
{
    if (!lb || !rect_ok(r))
        return 0;
    return hits_box(lb, r);
}

/* 1 once an allocation of lb failed; see render.h. */
int evm__labeler_failed(const evm_labeler *lb)
{
    return !lb || lb->failed;
}

/* Number of labels added. */
int evm__labeler_count(const evm_labeler *lb)
{
    return lb ? lb->nlab : 0;
}

/* Number of labels that went through a run and could not be placed. */
int evm__labeler_unplaced(const evm_labeler *lb)
{
    int n = 0;
    if (lb)
        for (int i = 0; i < lb->nlab; i++)
            n += lb->lab[i].done && !lb->lab[i].placed;
    return n;
}
