/* The label placement engine: no overlaps, inside the frame, candidate
 * order, leaders in crowds, priorities, determinism, fixed boxes, and
 * speed. */
#include <math.h>
#include <time.h>

#include "harness.h"
#include "render/render.h"

static unsigned long long rng_state;

static double rnd(void) /* [0, 1), deterministic */
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static int ov(evm_rect a, evm_rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static int in_frame(evm_rect r, evm_rect f)
{
    return r.x0 >= f.x0 && r.y0 >= f.y0 && r.x1 <= f.x1 && r.y1 <= f.y1;
}

static evm_rect R(double x0, double y0, double x1, double y1)
{
    evm_rect r = { x0, y0, x1, y1 };
    return r;
}

/* Segment through the interior of r (sampled: fine for a test). */
static int seg_hits(double x0, double y0, double x1, double y1, evm_rect r)
{
    for (int i = 0; i <= 200; i++) {
        double t = i / 200.0, x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t;
        if (x > r.x0 + 0.01 && x < r.x1 - 0.01 && y > r.y0 + 0.01 &&
            y < r.y1 - 0.01)
            return 1;
    }
    return 0;
}

typedef struct {
    double ax, ay, gap, w, h;
    int prio;
} spec_t;

#define NMAX 2000
static spec_t S[NMAX];
static evm_rect OB[NMAX + 64];
static evm_rect BOX[NMAX];
static int PL[NMAX], LD[NMAX];

/* n random labels around random anchors, each anchor's marker an
 * obstacle, plus furniture boxes and arrow heads. Returns the obstacle
 * count. */
static int make_scene(int n, unsigned long long seed, double W, double H)
{
    rng_state = seed;
    int no = 0;
    for (int i = 0; i < n; i++) {
        S[i].ax = 10 + rnd() * (W - 20);
        S[i].ay = 10 + rnd() * (H - 20);
        double msz = 14 + rnd() * 20;
        S[i].gap = msz / 2 + 3;
        S[i].w = 30 + rnd() * 90;
        S[i].h = rnd() < 0.7 ? 17 : 33;
        S[i].prio = (int)(rnd() * 4);
        OB[no++] = R(S[i].ax - msz / 2, S[i].ay - msz / 2, S[i].ax + msz / 2,
                     S[i].ay + msz / 2);
    }
    OB[no++] = R(16, 16, 420, 90);              /* title */
    OB[no++] = R(W - 230, 16, W - 16, 200);     /* legend */
    OB[no++] = R(16, H - 40, 330, H - 16);      /* scale bar */
    OB[no++] = R(W - 300, H - 200, W - 16, H - 16); /* inset */
    for (int k = 0; k < 30; k++) {              /* arrow heads */
        double x = rnd() * W, y = rnd() * H;
        OB[no++] = R(x - 10, y - 10, x + 10, y + 10);
    }
    return no;
}

static evm_labeler *run_scene(int n, int no, evm_rect frame)
{
    evm_labeler *lb = evm__labeler_new(frame);
    if (!lb)
        return NULL;
    for (int k = 0; k < no; k++)
        evm__labeler_add_obstacle(lb, OB[k]);
    for (int i = 0; i < n; i++)
        evm__labeler_add(lb, S[i].ax, S[i].ay, S[i].gap, S[i].w, S[i].h,
                         S[i].prio);
    evm__labeler_run(lb);
    for (int i = 0; i < n; i++)
        evm__labeler_result(lb, i, &BOX[i], &PL[i], &LD[i]);
    return lb;
}

static void test_stress(void)
{
    const double W = 1600, H = 1000;
    evm_rect frame = R(0, 0, W, H);
    /* Two very crowded maps (half the frame would be label) and one
     * busy one. */
    for (int round = 0; round < 3; round++) {
        int n = round < 2 ? 500 : 250;
        int no = make_scene(n, 1234 + round * 77, W, H);
        evm_labeler *lb = run_scene(n, no, frame);
        CHECK(lb != NULL, "labeler created");
        if (!lb)
            return;
        int placed = 0, unplaced = 0, leaders = 0, outside = 0, lap = 0,
            obs = 0, far = 0, crossed = 0, worst = 0;
        for (int i = 0; i < n; i++) {
            if (!PL[i]) {
                unplaced++;
                continue;
            }
            placed++;
            leaders += LD[i];
            outside += !in_frame(BOX[i], frame);
            if (fabs((BOX[i].x1 - BOX[i].x0) - S[i].w) > 1e-9 ||
                fabs((BOX[i].y1 - BOX[i].y0) - S[i].h) > 1e-9)
                far++;
            for (int j = i + 1; j < n; j++)
                if (PL[j] && ov(BOX[i], BOX[j]))
                    lap++;
            for (int k = 0; k < no; k++)
                if (ov(BOX[i], OB[k]))
                    obs++;
            if (LD[i]) {
                double ex, ey;
                evm__rect_nearest(BOX[i], S[i].ax, S[i].ay, &ex, &ey);
                double dx = ex - S[i].ax, dy = ey - S[i].ay;
                double len = hypot(dx, dy);
                double sx = S[i].ax + dx / len * S[i].gap;
                double sy = S[i].ay + dy / len * S[i].gap;
                int c = 0;
                for (int j = 0; j < n; j++)
                    if (j != i && PL[j] && seg_hits(sx, sy, ex, ey, BOX[j]))
                        c++;
                crossed += c > 0;
                if (c > worst)
                    worst = c;
            }
        }
        CHECK(outside == 0, "round %d: %d labels outside the frame", round,
              outside);
        CHECK(lap == 0, "round %d: %d overlapping label pairs", round, lap);
        CHECK(obs == 0, "round %d: %d label/obstacle overlaps", round, obs);
        CHECK(far == 0, "round %d: %d boxes changed size", round, far);
        /* A leader crosses a label only as a last resort, and then one
         * at most. */
        CHECK(worst <= 1, "round %d: a leader crosses %d labels", round,
              worst);
        CHECK(crossed * 4 <= leaders, "round %d: %d of %d leaders cross "
              "a label", round, crossed, leaders);
        CHECK(placed + unplaced == n, "every label placed or reported");
        CHECK(evm__labeler_unplaced(lb) == unplaced,
              "unplaced count %d matches %d", evm__labeler_unplaced(lb),
              unplaced);
        CHECK(evm__labeler_count(lb) == n, "count");
        CHECK(placed * 100 >= n * (n == 250 ? 92 : 55),
              "round %d: enough labels placed (%d/%d)", round, placed, n);
        CHECK(leaders > 0, "round %d: some labels displaced (%d)", round,
              leaders);
        /* A placed label without a leader touches one of the eight
         * candidate positions: its near edge is at gap (or gap/sqrt 2 on
         * the diagonals) from the anchor. */
        int loose = 0;
        for (int i = 0; i < n; i++) {
            if (!PL[i] || LD[i])
                continue;
            double ex, ey;
            evm__rect_nearest(BOX[i], S[i].ax, S[i].ay, &ex, &ey);
            double d = hypot(ex - S[i].ax, ey - S[i].ay);
            if (d > S[i].gap + 1e-6)
                loose++;
        }
        CHECK(loose == 0, "%d unled labels away from their anchor", loose);
        evm__labeler_free(lb);
    }
}

static void test_order(void)
{
    evm_rect frame = R(0, 0, 800, 600);
    const double ax = 400, ay = 300, g = 10, w = 80, h = 20;
    /* Expected boxes in preference order. */
    const double d = g * 0.70710678;
    evm_rect want[8] = {
        R(ax + g, ay - h / 2, ax + g + w, ay + h / 2),          /* right */
        R(ax - g - w, ay - h / 2, ax - g, ay + h / 2),          /* left */
        R(ax - w / 2, ay - g - h, ax + w / 2, ay - g),          /* above */
        R(ax - w / 2, ay + g, ax + w / 2, ay + g + h),          /* below */
        R(ax + d, ay - d - h, ax + d + w, ay - d),              /* NE */
        R(ax - d - w, ay - d - h, ax - d, ay - d),              /* NW */
        R(ax + d, ay + d, ax + d + w, ay + d + h),              /* SE */
        R(ax - d - w, ay + d, ax - d, ay + d + h),              /* SW */
    };
    static const char *nm[8] = { "right", "left", "above", "below",
                                 "upper right", "upper left",
                                 "lower right", "lower left" };
    for (int k = 0; k < 8; k++) {
        evm_labeler *lb = evm__labeler_new(frame);
        /* Block every earlier candidate with a small obstacle at its far
         * end, clear of the later ones. */
        for (int j = 0; j < k; j++) {
            double cx = (want[j].x0 + want[j].x1) / 2,
                   cy = (want[j].y0 + want[j].y1) / 2;
            if (j == 0) cx = want[j].x1 - 2;
            if (j == 1) cx = want[j].x0 + 2;
            if (j == 2) cy = want[j].y0 + 2;
            if (j == 3) cy = want[j].y1 - 2;
            if (j == 4) { cx = want[j].x1 - 2; cy = want[j].y0 + 2; }
            if (j == 5) { cx = want[j].x0 + 2; cy = want[j].y0 + 2; }
            if (j == 6) { cx = want[j].x1 - 2; cy = want[j].y1 - 2; }
            evm__labeler_add_obstacle(lb, R(cx - 1, cy - 1, cx + 1, cy + 1));
        }
        int i = evm__labeler_add(lb, ax, ay, g, w, h, 0);
        evm__labeler_run(lb);
        evm_rect b;
        int p, l;
        evm__labeler_result(lb, i, &b, &p, &l);
        CHECK(p && !l && fabs(b.x0 - want[k].x0) < 1e-9 &&
                  fabs(b.y0 - want[k].y0) < 1e-9,
              "candidate %d (%s): got (%.1f,%.1f) placed %d leader %d", k,
              nm[k], b.x0, b.y0, p, l);
        evm__labeler_free(lb);
    }
    /* At the right edge of the frame the label goes left. */
    evm_labeler *lb = evm__labeler_new(frame);
    int i = evm__labeler_add(lb, 790, 300, g, w, h, 0);
    evm__labeler_run(lb);
    evm_rect b;
    int p, l;
    evm__labeler_result(lb, i, &b, &p, &l);
    CHECK(p && !l && b.x1 == 790 - g, "right edge: label goes left");
    evm__labeler_free(lb);
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

static void test_cluster(void)
{
    evm_rect frame = R(0, 0, 1200, 800);
    evm_labeler *lb = evm__labeler_new(frame);
    const int n = 40;
    rng_state = 99;
    for (int i = 0; i < n; i++) {
        double x = 600 + (rnd() - 0.5) * 30, y = 400 + (rnd() - 0.5) * 30;
        S[i].ax = x;
        S[i].ay = y;
        S[i].gap = 10;
        S[i].w = 60 + rnd() * 60;
        S[i].h = 17;
        OB[i] = R(x - 7, y - 7, x + 7, y + 7);
        evm__labeler_add_obstacle(lb, OB[i]);
    }
    for (int i = 0; i < n; i++)
        evm__labeler_add(lb, S[i].ax, S[i].ay, S[i].gap, S[i].w, S[i].h, 0);
    evm__labeler_run(lb);
    int leaders = 0, placed = 0, lap = 0, obs = 0;
    for (int i = 0; i < n; i++) {
        evm__labeler_result(lb, i, &BOX[i], &PL[i], &LD[i]);
        placed += PL[i];
        leaders += PL[i] && LD[i];
    }
    for (int i = 0; i < n; i++) {
        if (!PL[i])
            continue;
        for (int j = i + 1; j < n; j++)
            lap += PL[j] && ov(BOX[i], BOX[j]);
        for (int k = 0; k < n; k++)
            obs += ov(BOX[i], OB[k]);
    }
    /* leaders never cross one another and stay within twelve rings
     * (about 130 px here): forty anchors piled in 30 px leave room for
     * the few whose leaders fan out; the rest are reported unplaced */
    CHECK(leaders >= n / 8, "crowded cluster yields leaders (%d of %d)",
          leaders, n);
    int cross = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (!(PL[i] && LD[i] && PL[j] && LD[j]))
                continue;
            double ix, iy, jx, jy;
            evm__rect_nearest(BOX[i], S[i].ax, S[i].ay, &ix, &iy);
            evm__rect_nearest(BOX[j], S[j].ax, S[j].ay, &jx, &jy);
            cross += segs_cross(S[i].ax, S[i].ay, ix, iy, S[j].ax, S[j].ay,
                                jx, jy);
        }
    CHECK(cross == 0, "cluster: %d pairs of leaders cross", cross);
    CHECK(placed + evm__labeler_unplaced(lb) == n,
          "cluster: placed %d + unplaced %d == %d", placed,
          evm__labeler_unplaced(lb), n);
    CHECK(placed >= n / 5, "cluster: many placed (%d)", placed);
    for (int i = 0; i < n; i++)
        if (PL[i] && LD[i]) {
            double ex, ey;
            evm__rect_nearest(BOX[i], S[i].ax, S[i].ay, &ex, &ey);
            CHECK(hypot(ex - S[i].ax, ey - S[i].ay) < 250,
                  "cluster: leader %d stays short", i);
        }
    CHECK(lap == 0 && obs == 0, "cluster: %d overlaps, %d on markers", lap,
          obs);
    evm__labeler_free(lb);
}

static void test_leader_paths(void)
{
    /* An anchor ringed by markers with a clear way out to the right:
     * the label is displaced along it, and its leader crosses nothing. */
    evm_rect frame = R(0, 0, 600, 400);
    evm_labeler *lb = evm__labeler_new(frame);
    const double ax = 300, ay = 200;
    evm__labeler_add_obstacle(lb, R(ax - 6, ay - 6, ax + 6, ay + 6));
    /* A box around the anchor, open only in a corridor to the right. */
    evm__labeler_add_obstacle(lb, R(ax - 60, ay - 60, ax + 60, ay - 12));
    evm__labeler_add_obstacle(lb, R(ax - 60, ay + 12, ax + 60, ay + 60));
    evm__labeler_add_obstacle(lb, R(ax - 60, ay - 12, ax - 12, ay + 12));
    int i = evm__labeler_add(lb, ax, ay, 8, 50, 30, 0);
    evm__labeler_run(lb);
    evm_rect b;
    int p, l;
    evm__labeler_result(lb, i, &b, &p, &l);
    CHECK(p && l, "boxed-in label placed with a leader (%d %d)", p, l);
    CHECK(p && b.x0 >= ax + 60 - 1e-9, "displaced out of the box (x0 %.1f)",
          b.x0);
    if (p) {
        double ex, ey;
        evm__rect_nearest(b, ax, ay, &ex, &ey);
        CHECK(fabs(ey - ay) < 12, "leader runs along the corridor (%.1f)",
              ey - ay);
    }
    /* A later label must not cover the leader line. */
    int j = evm__labeler_add(lb, ax + 80, ay + 30, 8, 40, 16, 0);
    evm__labeler_run(lb);
    evm_rect bj;
    evm__labeler_result(lb, j, &bj, &p, NULL);
    if (p) {
        double ex, ey;
        evm__rect_nearest(b, ax, ay, &ex, &ey);
        CHECK(!seg_hits(ax + 8, ay, ex, ey, bj), "label clear of leader");
    }
    evm__labeler_free(lb);
}

static void test_determinism(void)
{
    const double W = 1600, H = 1000;
    int n = 800, no = make_scene(n, 4242, W, H);
    evm_labeler *a = run_scene(n, no, R(0, 0, W, H));
    static evm_rect first[NMAX];
    static int fp[NMAX], fl[NMAX];
    memcpy(first, BOX, sizeof(evm_rect) * (size_t)n);
    memcpy(fp, PL, sizeof(int) * (size_t)n);
    memcpy(fl, LD, sizeof(int) * (size_t)n);
    evm_labeler *b = run_scene(n, no, R(0, 0, W, H));
    int diff = 0;
    for (int i = 0; i < n; i++)
        diff += fp[i] != PL[i] || fl[i] != LD[i] ||
                memcmp(&first[i], &BOX[i], sizeof(evm_rect)) != 0;
    CHECK(diff == 0, "same input, same placement (%d differ)", diff);
    evm__labeler_free(a);
    evm__labeler_free(b);
}

static void test_priority(void)
{
    /* Two labels at one anchor want the same right-hand spot; the lower
     * priority number gets it although it was added second. */
    evm_rect frame = R(0, 0, 400, 300);
    evm_labeler *lb = evm__labeler_new(frame);
    int a = evm__labeler_add(lb, 100, 150, 10, 120, 20, 5);
    int b = evm__labeler_add(lb, 100, 150, 10, 120, 20, 1);
    evm__labeler_run(lb);
    evm_rect ba, bb;
    int pa, pb;
    evm__labeler_result(lb, a, &ba, &pa, NULL);
    evm__labeler_result(lb, b, &bb, &pb, NULL);
    CHECK(pb && bb.x0 == 110 && bb.y0 == 140, "priority 1 gets the right");
    CHECK(pa && !(ba.x0 == 110 && ba.y0 == 140), "priority 5 goes elsewhere");
    evm__labeler_free(lb);

    /* Equal priorities: the order of addition decides. */
    lb = evm__labeler_new(frame);
    a = evm__labeler_add(lb, 100, 150, 10, 120, 20, 3);
    b = evm__labeler_add(lb, 100, 150, 10, 120, 20, 3);
    evm__labeler_run(lb);
    evm__labeler_result(lb, a, &ba, &pa, NULL);
    CHECK(pa && ba.x0 == 110 && ba.y0 == 140, "first added wins a tie");
    evm__labeler_free(lb);
}

static void test_fixed(void)
{
    evm_rect frame = R(0, 0, 400, 300);
    evm_labeler *lb = evm__labeler_new(frame);
    /* A fixed box added first blocks the right-hand candidate. */
    CHECK(evm__labeler_try_place_fixed(lb, R(115, 130, 200, 170)) == 1,
          "free fixed box placed");
    CHECK(evm__labeler_try_place_fixed(lb, R(150, 150, 210, 190)) == 0,
          "overlapping fixed box refused");
    CHECK(evm__labeler_try_place_fixed(lb, R(350, 280, 450, 320)) == 0,
          "fixed box outside the frame refused");
    int i = evm__labeler_add(lb, 100, 150, 10, 60, 20, 0);
    evm__labeler_run(lb);
    evm_rect b;
    int p, l;
    evm__labeler_result(lb, i, &b, &p, &l);
    CHECK(p && !l && b.x1 == 90, "label avoids the fixed box (goes left)");
    /* After the run, fixed boxes must avoid placed labels. */
    CHECK(evm__labeler_collides(lb, b) == 1, "placed label collides");
    evm_rect over = R(b.x0 + 5, b.y0 + 5, b.x0 + 30, b.y0 + 10);
    CHECK(evm__labeler_try_place_fixed(lb, over) == 0,
          "fixed box over a label refused");
    evm_rect touch = R(b.x0 - 20, b.y0, b.x0, b.y1);
    CHECK(evm__labeler_collides(lb, touch) == 0, "touching is no collision");
    CHECK(evm__labeler_try_place_fixed(lb, touch) == 1, "touching box placed");
    CHECK(evm__labeler_collides(lb, touch) == 1, "fixed box now indexed");
    evm__labeler_add_obstacle(lb, R(300, 20, 340, 60));
    CHECK(evm__labeler_collides(lb, R(330, 50, 360, 80)) == 1,
          "obstacle collides");
    CHECK(evm__labeler_collides(lb, R(341, 61, 360, 80)) == 0,
          "clear area does not collide");
    evm__labeler_free(lb);
}

static void test_unplaceable(void)
{
    evm_rect frame = R(0, 0, 300, 200);
    evm_labeler *lb = evm__labeler_new(frame);
    int big = evm__labeler_add(lb, 150, 100, 10, 400, 20, 0);
    int bad = evm__labeler_add(lb, 150, 100, 10, NAN, 20, 0);
    int ok = evm__labeler_add(lb, 150, 100, 10, 50, 20, 0);
    evm__labeler_run(lb);
    int p;
    evm__labeler_result(lb, big, NULL, &p, NULL);
    CHECK(!p, "label wider than the frame is unplaced");
    evm__labeler_result(lb, bad, NULL, &p, NULL);
    CHECK(!p, "label with a NaN size is unplaced");
    evm__labeler_result(lb, ok, NULL, &p, NULL);
    CHECK(p, "a normal label still places");
    CHECK(evm__labeler_unplaced(lb) == 2, "two reported unplaced");
    evm__labeler_result(lb, 99, NULL, &p, NULL);
    CHECK(!p, "index out of range reads unplaced");
    evm__labeler_free(lb);

    /* A frame covered by obstacles: nothing places, all are reported. */
    lb = evm__labeler_new(frame);
    evm__labeler_add_obstacle(lb, R(0, 0, 300, 95));
    evm__labeler_add_obstacle(lb, R(0, 105, 300, 200));
    for (int k = 0; k < 5; k++)
        evm__labeler_add(lb, 50 + k * 40, 100, 5, 30, 20, k);
    evm__labeler_run(lb);
    CHECK(evm__labeler_unplaced(lb) == 5, "all five reported unplaced (%d)",
          evm__labeler_unplaced(lb));
    evm__labeler_free(lb);

    /* A second run places only what was added since. */
    lb = evm__labeler_new(frame);
    int first = evm__labeler_add(lb, 100, 100, 10, 50, 20, 0);
    evm__labeler_run(lb);
    evm_rect b1, b2;
    evm__labeler_result(lb, first, &b1, &p, NULL);
    int second = evm__labeler_add(lb, 100, 100, 10, 50, 20, -5);
    evm__labeler_run(lb);
    evm__labeler_result(lb, first, &b2, NULL, NULL);
    CHECK(memcmp(&b1, &b2, sizeof b1) == 0, "earlier labels stay put");
    evm__labeler_result(lb, second, &b2, &p, NULL);
    CHECK(p && !ov(b1, b2), "later label placed around the earlier one");
    evm__labeler_free(lb);

    CHECK(evm__labeler_new(R(0, 0, 0, 10)) == NULL, "empty frame refused");
    evm__labeler_free(NULL);
}

/* CPU time of this process: other jobs on a shared machine do not
 * inflate it the way they inflate wall-clock time. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_speed(void)
{
    const double W = 1600, H = 1000;
    int n = 2000, no = make_scene(n, 777, W, H);
    double best = 1e9;
    int placed = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_ms();
        evm_labeler *lb = run_scene(n, no, R(0, 0, W, H));
        double t = now_ms() - t0;
        if (t < best)
            best = t;
        placed = n - evm__labeler_unplaced(lb);
        evm__labeler_free(lb);
    }
#if defined(__SANITIZE_ADDRESS__)
    const double limit = 600;
#else
    const double limit = 100;
#endif
    printf("labels: 2000 labels, %d obstacles, %d placed in %.1f ms CPU\n",
           no, placed, best);
    CHECK(best < limit, "2000 labels placed in %.1f ms (limit %.0f)", best,
          limit);
}

/* Symbols of other places: a label never covers one, a leader never
 * crosses one (its own place's it starts from); a limit caps the
 * limited labels placed, the first in priority that fit. */
static void test_symbols(void)
{
    evm_labeler *lb = evm__labeler_new(R(0, 0, 600, 400));
    /* the anchor's own symbol, and a wall of other places' symbols on
     * every side but the lower left */
    evm__labeler_add_symbol(lb, 300, 200, 8);
    int nwall = 0;
    double wx[64], wy[64];
    for (int a = 0; a < 360; a += 15) {
        if (a == 135)
            continue;
        wx[nwall] = 300 + 30 * cos(a * M_PI / 180);
        wy[nwall] = 200 + 30 * sin(a * M_PI / 180);
        evm__labeler_add_symbol(lb, wx[nwall], wy[nwall], 7);
        nwall++;
    }
    int i = evm__labeler_add(lb, 300, 200, 10, 80, 16, 0);
    evm__labeler_run(lb);
    evm_rect b;
    int p, l;
    evm__labeler_result(lb, i, &b, &p, &l);
    CHECK(p && l, "walled-in label placed with a leader");
    double ex, ey;
    evm__rect_nearest(b, 300, 200, &ex, &ey);
    int hit = 0;
    for (int k = 0; k < nwall; k++) {
        double dx = ex - 300, dy = ey - 200, L2 = dx * dx + dy * dy;
        double t = ((wx[k] - 300) * dx + (wy[k] - 200) * dy) / L2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        hit += hypot(300 + t * dx - wx[k], 200 + t * dy - wy[k]) < 7;
        double nx = fmin(fmax(wx[k], b.x0), b.x1);
        double ny = fmin(fmax(wy[k], b.y0), b.y1);
        hit += hypot(nx - wx[k], ny - wy[k]) < 7;
    }
    CHECK(hit == 0, "leader or label on %d other symbols", hit);
    CHECK(ex < 280 && ey > 220, "leader leaves by the gap (%.0f, %.0f)", ex,
          ey);
    evm__labeler_free(lb);

    /* a limit of 2 among 4: the most important that fit */
    lb = evm__labeler_new(R(0, 0, 600, 400));
    int id[4];
    for (int k = 0; k < 4; k++) {
        /* the first is wider than the frame: no room anywhere */
        id[k] = evm__labeler_add(lb, 300, 50 + 90 * k, 5, k == 0 ? 700 : 60,
                                 16, k);
        evm__labeler_limited(lb, id[k]);
    }
    evm__labeler_set_limit(lb, 2);
    evm__labeler_run(lb);
    int pl[4];
    for (int k = 0; k < 4; k++)
        evm__labeler_result(lb, id[k], NULL, &pl[k], NULL);
    CHECK(pl[1] && pl[2] && !pl[3],
          "limit: the first two that fit (%d %d %d %d)", pl[0], pl[1], pl[2],
          pl[3]);
    evm__labeler_free(lb);
}

int main(void)
{
    test_order();
    test_stress();
    test_cluster();
    test_leader_paths();
    test_determinism();
    test_priority();
    test_fixed();
    test_unplaceable();
    test_symbols();
    test_speed();
    TEST_REPORT();
}
