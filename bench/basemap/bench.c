/* Times the shipped basemap: evm_basemap_open, and query + iterating
 * every vertex of the layers a map draws, for a Kazakhstan extent at 10m
 * and the world at 110m. With --png OUT it also draws one extent
 * (equirectangular, fills as one winding path per layer) to check tile
 * seams and admin-1 lines by eye.
 *
 *   bench BASEMAP.evb [--png|--gaps OUT.png LON0 LAT0 LON1 LAT1 SCALE]
 *
 * --gaps fills the admin-1 regions as one white path over red, so cracks
 * between neighbouring regions show red.
 */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basemap/basemap.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct acc {
    long features, points;
    double sum;
};

static int visit(const evm_bm_feature *f, void *ud)
{
    struct acc *a = ud;
    const float *p = f->lonlat;
    uint32_t n = 0;
    a->features++;
    for (uint32_t k = 0; k < f->nparts; k++)
        n += f->part_len[k];
    for (uint32_t i = 0; i < n; i++)
        a->sum += p[2 * i] + p[2 * i + 1];
    a->points += n;
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *const lname[] = {"land", "ocean", "lakes", "rivers",
    "countries", "borders", "admin1", "admin1_lines", "country_labels",
    "cities", "coastline"};

static void bench_extent(evm_basemap *bm, const char *title,
                         const double box[4], evm_bm_scale scale)
{
    const evm_bm_layer layers[] = {EVM_BM_LAND, EVM_BM_BORDERS, EVM_BM_LAKES,
                                   EVM_BM_RIVERS, EVM_BM_ADMIN1_LINES};
    double total_med = 0;
    long total_pts = 0;
    printf("%s [%g %g %g %g] %s\n", title, box[0], box[1], box[2], box[3],
           scale == EVM_BM_10M ? "10m" : scale == EVM_BM_50M ? "50m"
                                                             : "110m");
    for (size_t li = 0; li < sizeof layers / sizeof *layers; li++) {
        double t[51];
        struct acc a = {0, 0, 0};
        for (int r = 0; r < 51; r++) {
            double t0 = now_ms();
            a.features = a.points = 0;
            evm_basemap_query(bm, layers[li], scale, box, visit, &a);
            t[r] = now_ms() - t0;
        }
        qsort(t, 51, sizeof *t, cmp_d);
        printf("  %-14s %6ld features %8ld vertices  median %.3f ms  "
               "min %.3f ms\n", lname[layers[li]], a.features, a.points,
               t[25], t[0]);
        total_med += t[25];
        total_pts += a.points;
    }
    printf("  %-14s %24ld vertices  median %.3f ms\n", "all five",
           total_pts, total_med);
}

/* --------------------------------------------------------------- png */

struct draw {
    cairo_t *cr;
    double x0, y0, sx, sy;
    int closed;
};

static int path_feature(const evm_bm_feature *f, void *ud)
{
    struct draw *d = ud;
    const float *p = f->lonlat;
    for (uint32_t k = 0; k < f->nparts; k++) {
        uint32_t n = f->part_len[k];
        for (uint32_t i = 0; i < n; i++) {
            double x = (p[2 * i] - d->x0) * d->sx;
            double y = (d->y0 - p[2 * i + 1]) * d->sy;
            if (i == 0)
                cairo_move_to(d->cr, x, y);
            else
                cairo_line_to(d->cr, x, y);
        }
        if (d->closed)
            cairo_close_path(d->cr);
        p += 2 * (size_t)n;
    }
    return 0;
}

static void layer_path(evm_basemap *bm, struct draw *d, evm_bm_layer l,
                       evm_bm_scale s, const double box[4], int closed)
{
    d->closed = closed;
    cairo_new_path(d->cr);
    evm_basemap_query(bm, l, s, box, path_feature, d);
}

/* Gap check: admin-1 regions filled as one white path over red; any
 * crack between neighbouring regions shows red. */
static void draw_gaps(evm_basemap *bm, struct draw *d, const double box[4],
                      evm_bm_scale s)
{
    cairo_set_source_rgb(d->cr, 0.9, 0.1, 0.1);
    cairo_paint(d->cr);
    layer_path(bm, d, EVM_BM_ADMIN1, s, box, 1);
    cairo_set_source_rgb(d->cr, 1, 1, 1);
    cairo_fill(d->cr);
    layer_path(bm, d, EVM_BM_ADMIN1_LINES, s, box, 0);
    cairo_set_line_width(d->cr, 0.5);
    cairo_set_source_rgb(d->cr, 0.5, 0.5, 0.5);
    cairo_stroke(d->cr);
}

static int draw_png(evm_basemap *bm, const char *out, const double box[4],
                    evm_bm_scale s, int gaps)
{
    const int W = 1600, H = 1000;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W,
                                                     H);
    cairo_t *cr = cairo_create(sf);
    struct draw d = {cr, box[0], box[3], W / (box[2] - box[0]),
                     H / (box[3] - box[1]), 1};
    double t0 = now_ms();
    int rc;

    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    if (gaps) {
        draw_gaps(bm, &d, box, s);
        goto done;
    }
    cairo_set_source_rgb(cr, 0.78, 0.86, 0.93);
    cairo_paint(cr);
    layer_path(bm, &d, EVM_BM_LAND, s, box, 1);
    cairo_set_source_rgb(cr, 0.96, 0.95, 0.92);
    cairo_fill(cr);
    {
        evm_bm_feature kz;
        if (evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, "Kazakhstan",
                                     &kz) == 0) {
            cairo_new_path(cr);
            d.closed = 1;
            path_feature(&kz, &d);
            cairo_set_source_rgba(cr, 0.95, 0.85, 0.6, 0.6);
            cairo_fill(cr);
        }
    }
    layer_path(bm, &d, EVM_BM_LAKES, s, box, 1);
    cairo_set_source_rgb(cr, 0.78, 0.86, 0.93);
    cairo_fill(cr);
    layer_path(bm, &d, EVM_BM_RIVERS, s, box, 0);
    cairo_set_line_width(cr, 0.6);
    cairo_set_source_rgb(cr, 0.5, 0.65, 0.85);
    cairo_stroke(cr);
    layer_path(bm, &d, EVM_BM_ADMIN1_LINES, s, box, 0);
    cairo_set_line_width(cr, 0.7);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_stroke(cr);
    layer_path(bm, &d, EVM_BM_COASTLINE, s, box, 0);
    cairo_set_line_width(cr, 0.6);
    cairo_set_source_rgb(cr, 0.35, 0.5, 0.7);
    cairo_stroke(cr);
    layer_path(bm, &d, EVM_BM_BORDERS, s, box, 0);
    cairo_set_line_width(cr, 1.2);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_stroke(cr);
done:
    printf("drew %s in %.1f ms\n", out, now_ms() - t0);
    rc = cairo_surface_write_to_png(sf, out) == CAIRO_STATUS_SUCCESS ? 0 : 1;
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    return rc;
}

int main(int argc, char **argv)
{
    evm_error err;
    evm_basemap *bm;
    double t[1001];
    const double kz[4] = {45, 39, 88, 56}, world[4] = {-180, -90, 180, 90};

    if (argc < 2) {
        fprintf(stderr, "usage: bench BASEMAP.evb [--png OUT LON0 LAT0 "
                "LON1 LAT1 110m|50m|10m]\n");
        return 2;
    }
    evm_error_clear(&err);
    for (int i = 0; i < 1001; i++) {
        double t0 = now_ms();
        bm = evm_basemap_open(argv[1], &err);
        t[i] = now_ms() - t0;
        if (!bm) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 3;
        }
        evm_basemap_close(bm);
    }
    qsort(t, 1001, sizeof *t, cmp_d);
    printf("evm_basemap_open: median %.4f ms, min %.4f ms (1001 runs)\n",
           t[500], t[0]);
    bm = evm_basemap_open(argv[1], &err);
    if (argc == 9 && (strcmp(argv[2], "--png") == 0 ||
                      strcmp(argv[2], "--gaps") == 0)) {
        double box[4];
        for (int i = 0; i < 4; i++)
            box[i] = atof(argv[4 + i]);
        int rc = draw_png(bm, argv[3], box,
                          strcmp(argv[8], "110m") == 0 ? EVM_BM_110M
                          : strcmp(argv[8], "50m") == 0 ? EVM_BM_50M
                                                        : EVM_BM_10M,
                          argv[2][2] == 'g');
        evm_basemap_close(bm);
        return rc;
    }
    bench_extent(bm, "Kazakhstan", kz, EVM_BM_10M);
    bench_extent(bm, "World", world, EVM_BM_110M);
    bench_extent(bm, "World", world, EVM_BM_50M);
    evm_basemap_close(bm);
    return 0;
}
