/* State of one map being drawn (evm_draw), shared by the renderer's
 * files: renderer.c (the handle, its cache, layout and paint order),
 * frame.c (extent and fit), land.c (basemap), places.c (reference names),
 * draw.c (shared helpers), and one file per thing drawn (areas, arrows,
 * events, furniture, ...). One per render call; never shared between
 * threads. */
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

/* A drawn place: the events at one place (the same coordinates, or
 * closer than a symbol's size at this scale) as one symbol, or as a
 * compact ring of up to EVM_RING_MAX markers around the point. */
typedef struct evm_cluster {
    double x, y;       /* symbol centre (px) */
    double tx, ty;     /* where the place projects (px) */
    double lon, lat;   /* the place */
    double r;          /* radius covering its symbol(s) (px) */
    int first, n;      /* indices into draw->order */
    int label;         /* labeler index or -1 */
    double lw, lh;     /* label block size */
    long fat;          /* fatalities summed */
    int cat, ncat;     /* dominant category; categories present */
    int ncats[EVM_CAT_COUNT];
    int approx;        /* every event approximate (admin-1 or country) */
    int ring;          /* events drawn on a ring round the point */
    int nplaces;       /* distinct coordinates it holds */
    int rank;          /* label order: 0 most important */
} evm_cluster;
#define EVM_RING_MAX 6

/* A country's gathering point for its country-level events (gather.c). */
typedef struct evm_gather {
    char iso[3];
    char name[64];     /* English name */
    double lon, lat;   /* the country's label point */
    double x, y;       /* projected */
    int ok;            /* 1: its point is in the frame, the events drawn
                        * there; 2: off the frame, the events keep their
                        * own points */
    int n;             /* events gathered */
    long fat;
} evm_gather;
#define EVM_GATHER_MAX 32

typedef struct evm_arrow {
    evm_pt *p;         /* centre line, px, after trimming */
    int n;
    double *s;         /* cumulative length */
    unsigned color;
    int dashed, open_head, claimed;
    int dup;           /* the same path and style as an earlier arrow:
                        * not drawn again */
    double dash_on, dash_off; /* CSS px, when dashed */
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
    evm__sides sides;         /* the map's side palette (names borrowed) */
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
    void (*warn)(void *ud, const char *msg); /* the options' (NULL: none) */
    void *warn_ud;
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
    /* how events are drawn (events.c, dense.c) */
    evm_style style;          /* never AUTO once laid out */
    int style_auto;           /* auto chose it */
    int style_opt;            /* the options' style (0: the map's) */
    int measure_opt;          /* the options' measure (0: the map's) */
    evm_measure measure;      /* the map's or the options' */
    int size_fat;             /* symbols sized by fatalities, else count;
                               * hexagons and density: deaths, else events */
    double size_k;            /* symbol area (px^2) per unit of value */
    int from_table;           /* the map is an event table drawn as is */
    int ndrawn, noff;         /* events drawn; in the window, off frame */
    int noff_approx;          /* of noff, approximate ones */
    int nlabels, nhidden;     /* event label blocks; of those not shown */
    int verbose;              /* list hidden labels on stderr */
    unsigned char *gathered;  /* per event: 1 + its evm_gather index when
                               * drawn at its country's point; NULL: none */
    evm_gather gather[EVM_GATHER_MAX];
    int ngather, ngathered;
    unsigned char *occ;       /* occupancy grid of event symbols */
    int ow, oh;
    double ocell;
    struct evm_agg *agg;      /* aggregate styles (dense.c) */
    double *fit_lon, *fit_lat; /* what the frame fits (frame.c) */
    int nfit;
    double *area_lw, *area_lh;
    int nomem;                /* a step that cannot fail ran out of memory
                               * (a warning lost): the render fails */
} evm_draw;

/* Contracts. Unless a comment says otherwise: d is the one map being
 * drawn, set up by the renderer (renderer.c) and owned by it; pointers
 * into d->m (the spec's strings) are borrowed for the draw; what a
 * function allocates into d is freed by its _free function, which the
 * renderer calls, also after a failure; a function returning evm_status
 * sets err (may be NULL) on failure and leaves d freeable; the drawing
 * functions paint onto d->cr and fail only as said. Sizes passed in CSS
 * px are multiplied by d->s here. */

/* frame.c */
/* Picks the box the map shows (the spec's extent, a named place's polygon
 * or point, else everything the map holds) into bb, and d's projection
 * for it (d->geo, owned by d, freed by the renderer; d->lon0). Fails with
 * EVM_E_INPUT (file:line:col) when there is nothing to map or the extent
 * place is not resolved, or with evm_geo_new's errors. */
evm_status evm__frame_projection(evm_draw *d, double bb[4], evm_error *err);
/* Fits bb into the canvas between title and footer, scaled by shrink
 * (<= 1), and sets what follows from the frame: X0, Y0, k, the visible
 * box ll and ll_world, the thinning tolerance and the basemap scale.
 * EVM_E_INPUT when the extent cannot be projected; EVM_E_NOMEM. */
evm_status evm__frame_fit(evm_draw *d, const double bb[4], double shrink,
                          evm_error *err);

/* land.c */
/* Collects the focus countries (those holding events or named by areas,
 * at most 32) into d->focus. */
void evm__focus_collect(evm_draw *d);
/* 1 when ISO code iso (may be "") is a focus country. */
int evm__is_focus(const evm_draw *d, const char *iso);
/* Paints water, the raster background if any, land, focus countries,
 * lakes, rivers, admin-1 lines and borders onto d->cr, clipped to the
 * visible box. Fails with the background's errors, or EVM_E_NOMEM. */
evm_status evm__land_draw(evm_draw *d, evm_error *err);

/* places.c */
/* Draws country names and reference cities where the labeler has room
 * left; call after every other label is placed. A name without room is
 * left out; EVM_E_NOMEM. */
evm_status evm__places_draw(evm_draw *d, evm_error *err);

/* draw.c */
/* Passes one warning line (printf format) to the options' warn callback
 * unless quiet or there is none; sets d->nomem when out of memory. */
void evm__warn(evm_draw *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reports a label the engine could not place (evm__warn) and counts it. */
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
/* frame.c, after evm__frame_fit: lon/lat to canvas px (y down); 0, or -1
 * when the projection cannot take the point (px, py untouched). */
int evm__project(evm_draw *d, double lon, double lat, double *px, double *py);
/* The visible box's width in degrees, and whether it holds a point,
 * across the antimeridian too. */
double evm__ll_span(const evm_draw *d);
int evm__ll_contains(const evm_draw *d, double lon, double lat);
/* Projects n lon/lat points in place to px; points that fail become NAN.
 * Returns how many failed. */
int evm__project_n(evm_draw *d, double *x, double *y, int n);
/* land.c: adds one part (n float lon/lat pairs, borrowed) to the current
 * path, thinned to d->tol and projected through evm__path_add; sc is the
 * caller's scratch (grown here, freed by the caller). -1 when out of
 * memory (the path then holds what was added so far). */
int evm__path_lonlat(evm_draw *d, const float *ll, uint32_t n, int close,
                     evm_scratch *sc);
/* seam.c: adds n lon/lat points as a line (close 0) or a ring to the
 * current path, projected (lon and lat are overwritten), cut where they
 * cross the meridian opposite d->lon0; with d->outline, rings lose the
 * edges along which they were cut (the antimeridian, the seam), so that
 * stroking them draws no line there. Returns -1 when out of memory. */
int evm__path_add(evm_draw *d, double *lon, double *lat, uint32_t n,
                  int close);
/* Sets cr's source to 0xRRGGBB rgb (with opacity a). */
void evm__set_rgb(cairo_t *cr, unsigned rgb);
void evm__set_rgba(cairo_t *cr, unsigned rgb, double a);
/* The colour of a thing of `side` with its own colour `override` (may
 * be NULL), in d's theme and side palette (style.h). */
unsigned evm__side_color(const evm_draw *d, const char *side,
                         const char *override);

/* events.c */
/* (Re)allocates the per-event arrays of d for n events, zeroed; -1 when
 * out of memory. */
int evm__events_alloc(evm_draw *d, int n);
/* Frees what evm__events_alloc and the layout put into d; d may hold
 * none. */
void evm__events_free(evm_draw *d);
/* Projects every event, picks the style (the map's, or for auto markers
 * while the places fit and hexagons when they do not) and lays it out:
 * symbols, obstacles, label candidates in d->lb (after evm__frame_fit,
 * called again on every fit attempt). EVM_E_NOMEM. */
evm_status evm__events_layout(evm_draw *d, evm_error *err);
/* Paints the laid-out symbols. EVM_E_NOMEM. */
evm_status evm__events_draw(evm_draw *d, evm_error *err);
/* Paints the event labels the labeler placed, with leaders; counts
 * those it could not place (evm__label_unplaced). After evm__labeler_run. */
void evm__events_labels_draw(evm_draw *d);
/* 1 when an event symbol lies within r px of (x, y) (occupancy grid). */
int evm__events_near(const evm_draw *d, double x, double y, double r);
/* Cells of the occupancy grid covered in r: how much of r the events
 * take (for the legend's corner). */
int evm__events_cover(const evm_draw *d, evm_rect r);
/* 1 when a labelled place of the map carries this name. */
int evm__events_names(const evm_draw *d, const char *name);
/* Symbol diameter (px) for a value (count - 1 or fatalities). */
double evm__symbol_size(const evm_draw *d, double v);
/* Marks the box around (x, y) of radius r in the occupancy grid. */
void evm__occ_mark(evm_draw *d, double x, double y, double r);
/* Names the events' style: "markers", "points", "hexbin", "heatmap"
 * (src/spec/build.c, shared with the spec reader). */
const char *evm__style_name(evm_style s);

/* placelabels.c: the places' label blocks; the text of one block (its
 * heading and lines, '\n' between) for the layout report. */
void evm__place_labels_add(evm_draw *d);
/* A leader line from r px out of the anchor (ax, ay) to the nearest point
 * of a displaced label's box b, on a halo. */
void evm__label_leader(evm_draw *d, double ax, double ay, double r,
                       evm_rect b);
void evm__place_label_text(evm_draw *d, const evm_cluster *c, char *buf,
                           size_t n);

/* dense.c: the aggregate styles for whole event tables: points (a dot
 * per event), hexbin (hexagons coloured by count on a sequential ramp
 * with round class breaks) and heatmap (kernel density). Work is per
 * event once (binning), then per cell. */
evm_status evm__events_layout_dense(evm_draw *d, evm_error *err);
void evm__events_draw_dense(evm_draw *d);
void evm__agg_free(evm_draw *d);
/* Legend rows of an aggregate: its classes (colour, "1-9 events"). Up
 * to max; returns how many. */
int evm__agg_legend(const evm_draw *d, unsigned *color, char (*text)[64],
                    int max);

void evm__agg_labels_draw(evm_draw *d);
/* placelabels.c: a table's place name that ends by repeating its first
 * words ("Bangladesh border Bangladesh", as UCDP writes a border area)
 * loses the repeat: "Bangladesh border". In place; names of one or two
 * words stay. */
void evm__name_drop_repeat(char *s);
/* Points: how many approximate events are drawn as rings (dense.c). */
int evm__agg_rings(const evm_draw *d);
/* gather.c: country-level events (see there) move to their country's
 * label point (d->ev) and are marked in d->gathered. After the events
 * are projected. 0, or -1 out of memory. */
int evm__gather_countries(evm_draw *d);
/* Event i's gathering point, or NULL when it keeps its own. */
const evm_gather *evm__gathered(const evm_draw *d, int i);
/* furniture.c: the text of the legend's row k (a type, "Deaths per
 * hexagon (24 km across)", a class "10-19"); -1 past the last row. */
int evm__legend_text(evm_draw *d, int k, char *buf, size_t n);
/* Bin k of the hexagon grid: centre and count (-1 past the last). */
int evm__agg_bins(const evm_draw *d, int k, double *x, double *y, int *n,
                  long *fat);
/* Label j of an aggregate: text, labeler index, its event (-1: none). */
int evm__agg_label(const evm_draw *d, int j, const char **text, int *idx,
                   int *ev);
double evm__agg_heat_peak(const evm_draw *d);
double evm__agg_hex_km(evm_draw *d);

/* frame.c: the events the frame fits (exactly located ones while there
 * are any, without a few outliers), as new arrays the caller frees;
 * returns how many, -1 when out of memory. And the box of a place
 * polygon's main body (its largest part and the parts near it). */
int evm__frame_events(const evm_map *m, double **lon, double **lat);
void evm__frame_main_bbox(const evm_bm_feature *f, double bb[4]);
/* evm__frame_events once per map, kept in d (freed with it); -1 when
 * out of memory. */
int evm__frame_points(evm_draw *d, const double **lon, const double **lat);
/* A set of 0.01-degree cells: 1 when the cell of lon/lat was seen, else
 * marks it and 0 (per-place work for per-event loops). */
typedef struct evm_cellset { uint64_t *k; size_t cap, n; } evm_cellset;
int evm__cellset_seen(evm_cellset *s, double lon, double lat);

/* layout.c: the layout report (JSON) of what was drawn. */
evm_status evm__layout_json(evm_draw *d, evm_buf *b);
/* After a render: the warnings (labels not shown, events outside the
 * frame) unless quiet, and the layout report when o->layout is set. */
void evm__report(evm_draw *d, const evm_render_opts *o, evm_error *err);

/* arrows.c */
/* Builds one arrow per movement in the window (great-circle centre line,
 * trimmed at markers, styled by evm__move_style_of) into d->ar, with its
 * label, origin and destination names added to d->lb. Free with
 * evm__arrows_free first when called again. EVM_E_NOMEM. */
evm_status evm__arrows_layout(evm_draw *d, evm_error *err);
/* Paints the arrows (never fails). */
void evm__arrows_draw(evm_draw *d);
/* Paints the movements' placed labels; reports the unplaced ones. */
void evm__arrows_labels_draw(evm_draw *d);
/* Frees d->ar; d may hold none. */
void evm__arrows_free(evm_draw *d);
/* Draws an arrow swatch from (x0,y0) to (x1,y1) for the legend in the
 * colour, head and dashing (always the long dash) of style ms. */
void evm__arrow_swatch(cairo_t *cr, double x0, double y0, double x1,
                       double y1, const evm__move_style *ms, double s);

/* furniture.c */
/* Measures the title and footer into d->title and d->footer (the fit
 * leaves room for them); before evm__frame_fit. Never fails. */
void evm__furniture_measure(evm_draw *d);
/* Places the legend, scale bar and inset in free corners and adds them
 * to d->lb as obstacles; returns 1, or 0 when one of them had to cover an
 * event (the caller may zoom out and lay out again). */
int evm__furniture_place(evm_draw *d);
/* Paints title, legend, scale bar, inset and footer (never fails). */
void evm__furniture_draw(evm_draw *d);

/* layers.c: the spec's own GDAL vector layers, under the events */
struct evm_vlayer;
/* Adds the polygons of layer l (borrowed, read by the GDAL module) to
 * the current path, projected. -1 when out of memory (the path then
 * holds what was added so far). */
int evm__vlayer_polygons_path(evm_draw *d, const struct evm_vlayer *l);
/* Reads and paints every layer of the spec; the GDAL module's errors
 * (EVM_E_IO, EVM_E_INPUT, EVM_E_LIB) carry the spec's file:line:col. */
evm_status evm__layers_draw(evm_draw *d, evm_error *err);

/* background.c: the spec's raster background (none: nothing drawn),
 * warped into the frame through the GDAL module. */
/* EVM_E_IO when the shipped relief is missing, EVM_E_NOMEM,
 * or the GDAL module's errors (the raster unreadable: file:line:col). */
evm_status evm__background_draw(evm_draw *d, evm_error *err);

/* areas.c */
/* The colour of area a in d's theme and palette (evm__area_style_of's). */
unsigned evm__area_color(const evm_draw *d, const evm_area *a);
/* Paints the areas in the window (fill or hatch, edge) and adds their
 * labels to d->lb. EVM_E_INPUT (file:line:col) for an area whose name no
 * country or region has; EVM_E_NOMEM; a layer file's GDAL errors. */
evm_status evm__areas_draw(evm_draw *d, evm_error *err);
/* Paints the areas' placed labels; reports the unplaced ones. */
void evm__areas_labels_draw(evm_draw *d);
/* Adds a 45-degree hatch over the current clip, lines every `gap`. */
void evm__hatch(cairo_t *cr, double x0, double y0, double x1, double y1,
                double gap);


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
/* Writes image surface s (borrowed) as PNG to f (borrowed, not closed).
 * EVM_E_IO when a write fails, EVM_E_NOMEM. */
evm_status evm__write_png(cairo_surface_t *s, FILE *f, int smooth,
                          evm_error *err);
/* SVG is drawn into svg (a buffer) and written by
 * evm__svg_write_normalized; PDF goes straight to f. */
/* The caller owns the surface (cairo_surface_destroy); on failure it is
 * cairo's error surface. f and svg are borrowed for its life. */
cairo_surface_t *evm__vector_surface(evm_format fmt, FILE *f, evm_buf *svg,
                                     double w, double h);
/* Writes the SVG in b to f with cairo's generated ids renumbered in
 * document order, so that equal maps give equal bytes. EVM_E_IO,
 * EVM_E_NOMEM. */
evm_status evm__svg_write_normalized(const evm_buf *b, FILE *f,
                                     evm_error *err);

#endif
