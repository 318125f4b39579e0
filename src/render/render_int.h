/* State of one map being drawn, shared by the composer's files
 * (map.c, arrows.c, furniture.c, events.c). One per render call; never
 * shared between threads. */
#ifndef EVM_RENDER_INT_H
#define EVM_RENDER_INT_H

#include <stdint.h>
#include <stdio.h>
#include "core/core.h"
#include "render/render.h"
#include "geo/geo.h"
#include "basemap/basemap.h"

typedef struct evm_pt { double x, y; } evm_pt;

/* Reusable coordinate buffers for projecting parts. */
typedef struct evm_scratch {
    double *x, *y;
    size_t cap;
} evm_scratch;

/* A drawn event cluster: events at (nearly) one spot share one label. */
typedef struct evm_cluster {
    double x, y;       /* anchor (px) */
    double r;          /* radius covering its markers (px) */
    int first, n;      /* indices into draw->order */
    int label;         /* labeler index or -1 */
    double lw, lh;     /* label block size */
} evm_cluster;

typedef struct evm_arrow {
    evm_pt *p;         /* centre line, px, after trimming */
    int n;
    double *s;         /* cumulative length */
    unsigned color;
    int dashed, open_head, claimed;
    int dup;           /* the same path and style as an earlier arrow:
                        * not drawn again */
    double w_tail, w_end, head_w, head_len;
    int label;         /* labeler index or -1 */
    const char *text;
    int off_label;     /* labeler index of "from X" at the frame edge */
    char off_text[160];
    double lw, lh, ow, oh;
    /* the origin, when it is on the map and no event marks it */
    int has_origin, origin_label;
    evm_pt origin;
    double gw, gh;
    /* the destination likewise: named beside the head */
    int has_dest, dest_label;
    evm_pt dest;
    double dw, dh;
} evm_arrow;

typedef struct evm_draw {
    const evm_map *m;
    const evm_theme_def *th;
    cairo_t *cr;
    double s;                 /* px per CSS px (dpi / 96) */
    int W, H;                 /* canvas size in device units */
    evm_geo *geo;
    double X0, Y0, k;         /* px = (X - X0) * k, py = (Y0 - Y) * k */
    double ll[4];             /* visible lon/lat bbox; ll[0] > ll[2]
                               * when it crosses the antimeridian */
    int ll_world;             /* the frame shows (nearly) the whole world */
    int explicit_extent;      /* the spec set the extent: clip to it */
    double tol;               /* vertex thinning tolerance, degrees */
    double lon0;              /* the projection's central meridian */
    int outline;              /* rings go onto the path as outlines:
                               * without edges where they were cut */
    const evm_basemap *bm;
    evm_renderer *r;          /* its basemap raster cache; NULL: none */
    evm_bm_scale bscale;
    evm_labeler *lb;
    int quiet;
    const char *date_from, *date_to, *subtitle;
    /* events */
    evm_pt *ev;               /* projected event positions */
    int *ev_ok;               /* 0 off the frame, 1 in it but outside the
                               * date window, 2 drawn */
    evm_pt *mk;               /* drawn marker positions (after clustering) */
    double *msize;
    int *order;
    evm_cluster *cl;
    int ncl;
    evm_arrow *ar;
    int nar;
    char focus[32][3];        /* countries holding events */
    int nfocus;
    evm_rect title, legend, scalebar, footer, inset;
    int has_legend, has_inset;
    int unplaced;
    int *area_label;          /* labeler index per area, or -1 */
    double *area_lw, *area_lh;
} evm_draw;

/* map.c */
/* Reports a label the engine could not place (stderr unless quiet) and
 * counts it. */
void evm__label_unplaced(evm_draw *d, evm_srcpos pos, const char *text);
/* Draws the one-line label idx (of the labeler; -1: none) in Noto Sans
 * at px (CSS px) on a halo, or reports it when it was not placed. */
void evm__label_draw(evm_draw *d, int idx, const char *text, int bold,
                     double px, unsigned color, evm_srcpos pos);
/* Prefixes err's message (set by a library, say GDAL) with where the spec
 * asked for what failed: "kaz.yaml:12:9: layer: roads.shp: ...". */
void evm__error_at(evm_error *err, const char *file, evm_srcpos pos,
                   const char *key);
/* 1 when a thing dated `date` (NULL: undated) is inside the window. */
int evm__in_window(const evm_draw *d, const char *date);
int evm__project(evm_draw *d, double lon, double lat, double *px, double *py);
/* The visible box's width in degrees, and whether it holds a point,
 * across the antimeridian too. */
double evm__ll_span(const evm_draw *d);
int evm__ll_contains(const evm_draw *d, double lon, double lat);
int evm__project_n(evm_draw *d, double *x, double *y, int n);
int evm__path_lonlat(evm_draw *d, const float *ll, uint32_t n, int close,
                     evm_scratch *sc);
/* seam.c: adds n lon/lat points as a line (close 0) or a ring to the
 * current path, projected (lon and lat are overwritten), cut where they
 * cross the meridian opposite d->lon0; with d->outline, rings lose the
 * edges along which they were cut (the antimeridian, the seam), so that
 * stroking them draws no line there. Returns -1 when out of memory. */
int evm__path_add(evm_draw *d, double *lon, double *lat, uint32_t n,
                  int close);
void evm__set_rgb(cairo_t *cr, unsigned rgb);
void evm__set_rgba(cairo_t *cr, unsigned rgb, double a);
unsigned evm__color_rgb(const char *s, unsigned dflt);
unsigned evm__side_color(const evm_draw *d, const char *side,
                         const char *override);

/* events.c */
/* (Re)allocates the per-event arrays of d for n events, zeroed, with
 * room for n clusters when `clusters`; -1 when out of memory. */
int evm__events_alloc(evm_draw *d, int n, int clusters);
void evm__events_free(evm_draw *d);
evm_status evm__events_layout(evm_draw *d, evm_error *err);
/* dense.c: the layout for maps of more than EVM_DENSE_EVENTS events in
 * the date window (whole event tables): one small marker per occupied
 * grid cell, no labels; evm__events_layout hands over to it. */
#define EVM_DENSE_EVENTS 5000
evm_status evm__events_layout_dense(evm_draw *d, evm_error *err);
void evm__events_draw(evm_draw *d);

void evm__events_labels_draw(evm_draw *d);

/* arrows.c */
evm_status evm__arrows_layout(evm_draw *d, evm_error *err);
void evm__arrows_draw(evm_draw *d);
void evm__arrows_labels_draw(evm_draw *d);
void evm__arrows_free(evm_draw *d);
/* Draws an arrow swatch from (x0,y0) to (x1,y1) for the legend. */
void evm__arrow_swatch(cairo_t *cr, double x0, double y0, double x1,
                       double y1, unsigned color, int dashed, int open_head,
                       double s);

/* furniture.c */
void evm__furniture_measure(evm_draw *d);
int evm__furniture_place(evm_draw *d);
void evm__furniture_draw(evm_draw *d);

/* layers.c: the spec's own GDAL vector layers, under the events */
struct evm_vlayer;
void evm__vlayer_polygons_path(evm_draw *d, const struct evm_vlayer *l);
evm_status evm__layers_draw(evm_draw *d, evm_error *err);

/* background.c: the spec's raster background (none: nothing drawn),
 * warped into the frame through the GDAL module. */
evm_status evm__background_draw(evm_draw *d, evm_error *err);

/* areas.c */
unsigned evm__area_color(const evm_draw *d, const evm_area *a);
evm_status evm__areas_draw(evm_draw *d, evm_error *err);
void evm__areas_labels_draw(evm_draw *d);
/* Adds a 45-degree hatch over the current clip, lines every `gap`. */
void evm__hatch(cairo_t *cr, double x0, double y0, double x1, double y1,
                double gap);

/* The polygon an area names (a country, else an admin-1 region). */
int evm__area_polygon(const evm_basemap *bm, const evm_area *a,
                      evm_bm_feature *f);

/* export/: GeoJSON and the GDAL formats. */
/* o (may be NULL) gives the theme of the simplestyle colours and the
 * date window, as for the PNG. */
evm_status evm__export(const evm_map *m, const evm_render_opts *o,
                       evm_format fmt, const char *path, evm_error *err);

/* pixels.c: zeroed canvas memory in huge pages where the kernel has them
 * (calloc for small sizes); evm__pixels_free takes the size asked for. */
void *evm__pixels_alloc(size_t n);
void evm__pixels_free(void *p, size_t n);
/* An image surface over such memory, released with the surface. On
 * failure, cairo's own error surface (check cairo_surface_status). */
cairo_surface_t *evm__image_surface(cairo_format_t fmt, int w, int h);

/* output.c */
/* smooth: the picture is a photograph-like raster (a relief background):
 * rows get the UP filter; otherwise none, which suits flat colour. */
evm_status evm__write_png(cairo_surface_t *s, FILE *f, int smooth,
                          evm_error *err);
/* SVG is drawn into svg (a buffer) and written by
 * evm__svg_write_normalized; PDF goes straight to f. */
cairo_surface_t *evm__vector_surface(evm_format fmt, FILE *f, evm_buf *svg,
                                     double w, double h);
evm_status evm__svg_write_normalized(const evm_buf *b, FILE *f,
                                     evm_error *err);

#endif
