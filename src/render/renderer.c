/* The renderer: a handle holding the basemap and a cache of its rasters,
 * the layout of one map (frame, events, furniture, arrows, labels) and
 * its painting in order: under (basemap, layers) then over (areas,
 * movements, events, labels, furniture), and the entry points that draw a
 * map into PNG, SVG or PDF. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include "core/core.h"
#include "gdal/gdal_api.h"
#include "render/render_int.h"

#define DEFAULT_W 1600
#define DEFAULT_H 1000
#define MAX_PX 20000
#define MAX_PIXELS 64000000 /* about 256 MB of raster */

/* ------------------------------------------------------------- render */

/* A cairo surface or context in error state: cairo ran out of memory
 * (EVM_E_NOMEM, as for our own allocations), or failed otherwise. cairo
 * records an error instead of returning it, and a context in error
 * draws nothing more: unchecked, it leaves a blank map. */
static evm_status cairo_failed(cairo_status_t cs, evm_error *err)
{
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    return evm_error_set(err, EVM_E_LIB, "drawing failed: %s",
                         cairo_status_to_string(cs));
}

static void draw_free(evm_draw *d)
{
    evm__events_free(d);
    free(d->fit_lon);
    free(d->fit_lat);
    free(d->area_label);
    free(d->area_lw);
    free(d->area_lh);
    evm__arrows_free(d);
    evm__labeler_free(d->lb);
    evm_geo_free(d->geo);
}

/* per thread: renders run side by side in a batch */
static _Thread_local double pt_last;
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
/* EVMAP_PROFILE=1 prints how long each phase of a render took. */
#define PT(x)                                                             \
    do {                                                                  \
        if (getenv("EVMAP_PROFILE")) {                                    \
            double n_ = now_ms();                                         \
            fprintf(stderr, "evmap: %-10s %7.1f ms\n", x, n_ - pt_last);  \
            pt_last = n_;                                                 \
        }                                                                 \
    } while (0)

/* Everything but painting: projection, frame, events, furniture, arrows
 * and the label candidates. */
static evm_status layout(evm_draw *d, evm_error *err)
{
    const evm_map *m = d->m;
    evm_status st;
    double bb[4];
    if ((st = evm__frame_projection(d, bb, err)) != EVM_OK)
        return st;
    evm__focus_collect(d);
    evm__furniture_measure(d);

    /* fit, then make sure the legend and inset find corners free of
     * events and the events' labels room; zoom out a little when not */
    double shrink = 1.0;
    for (int attempt = 0;; attempt++) {
        if ((st = evm__frame_fit(d, bb, shrink, err)) != EVM_OK)
            return st;
        evm__labeler_free(d->lb);
        d->lb = evm__labeler_new((evm_rect){0, 0, d->W, d->H});
        if (!d->lb)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        if ((st = evm__events_layout(d, err)) != EVM_OK)
            return st;
        int ok = evm__furniture_place(d);
        evm__arrows_free(d);
        if ((st = evm__arrows_layout(d, err)) != EVM_OK)
            return st;
        /* and that the events' and movements' labels find room (an event
         * at the frame's edge leaves none for a block of several lines):
         * they are placed now, the areas' and the reference names later,
         * after them in priority as always */
        evm__labeler_run(d->lb);
        /* an obstacle or label the labeler could not hold is missing */
        if (evm__labeler_failed(d->lb))
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        /* (a table's place labels and an aggregate's are optional: the
         * frame fits the data, not them) */
        int optional = d->from_table || d->style != EVM_STYLE_MARKERS;
        if ((ok && (optional || !evm__labeler_unplaced(d->lb))) ||
            attempt >= 6 ||
            m->extent_mode == EVM_EXTENT_BBOX)
            break;
        shrink *= 0.88;
    }
    return EVM_OK;
}

/* The basemap raster cache. Frames of a time series, and maps of one
 * region drawn again, share their frame exactly: same projection, extent,
 * size, theme and focus countries. Their basemap pixels are then the same,
 * so a renderer keeps the last few basemap rasters of PNG maps and copies
 * them instead of projecting and filling Natural Earth again. */
#define BM_CACHE 2

struct bm_cached {
    char *key;
    unsigned char *px;
    int stride, h;
    unsigned long used;
};

struct evm_renderer {
    evm_basemap *bm;
    int oneshot;              /* draws one map: keeps no basemap raster */
    pthread_mutex_t mu;
    struct bm_cached c[BM_CACHE];
    unsigned long tick;
};

/* The key of a frame's basemap: everything evm__land_draw reads. */
static char *bm_key(const evm_draw *d)
{
    evm_buf b;
    evm__buf_init(&b, 1 << 16);
    char n[3][40];
    evm__fmt_num(n[0], d->X0, 6);
    evm__fmt_num(n[1], d->Y0, 6);
    evm__fmt_num(n[2], d->k, 12);
    evm__buf_printf(&b, "%s|%s %s %s|%dx%d|%s|%g|%d|%.17g|", 
                    evm_geo_definition(d->geo), n[0], n[1], n[2], d->W,
                    d->H, d->th->name, d->s, (int)d->bscale, d->tol);
    for (int i = 0; i < d->nfocus; i++)
        evm__buf_puts(&b, d->focus[i]);
    evm__buf_printf(&b, "|%d|%s", (int)d->m->background,
                    d->m->background_path ? d->m->background_path : "");
    return b.failed ? NULL : b.data;
}

/* Copies a cached basemap into the image surface; 1 on a hit. */
static int bm_cache_get(evm_renderer *r, const char *key,
                        cairo_surface_t *s)
{
    int hit = 0;
    pthread_mutex_lock(&r->mu);
    for (int i = 0; i < BM_CACHE && !hit; i++) {
        struct bm_cached *c = &r->c[i];
        if (!c->key || strcmp(c->key, key) != 0 ||
            c->stride != cairo_image_surface_get_stride(s) ||
            c->h != cairo_image_surface_get_height(s))
            continue;
        cairo_surface_flush(s);
        memcpy(cairo_image_surface_get_data(s), c->px,
               (size_t)c->stride * (size_t)c->h);
        cairo_surface_mark_dirty(s);
        c->used = ++r->tick;
        hit = 1;
    }
    pthread_mutex_unlock(&r->mu);
    return hit;
}

static void bm_cache_put(evm_renderer *r, char *key, cairo_surface_t *s)
{
    cairo_surface_flush(s);
    int stride = cairo_image_surface_get_stride(s);
    int h = cairo_image_surface_get_height(s);
    unsigned char *px = malloc((size_t)stride * (size_t)h);
    if (!px) {
        free(key);
        return;
    }
    memcpy(px, cairo_image_surface_get_data(s), (size_t)stride * (size_t)h);
    pthread_mutex_lock(&r->mu);
    int v = 0;
    for (int i = 1; i < BM_CACHE; i++)
        if (r->c[i].used < r->c[v].used)
            v = i;
    free(r->c[v].key);
    free(r->c[v].px);
    r->c[v] = (struct bm_cached){key, px, stride, h, ++r->tick};
    pthread_mutex_unlock(&r->mu);
}

/* The basemap (from the cache when a frame was drawn before) and the
 * spec's own layers: everything under the map's content. */
static evm_status draw_under(evm_draw *d, evm_error *err)
{
    cairo_surface_t *target = cairo_get_target(d->cr);
    char *key = NULL;
    if (d->r && !d->r->oneshot &&
        cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE)
        key = bm_key(d);
    if (key && bm_cache_get(d->r, key, target)) {
        free(key);
    } else {
        evm_status st = evm__land_draw(d, err);
        if (st != EVM_OK) {
            free(key);
            return st;
        }
        if (key)
            bm_cache_put(d->r, key, target);
    }
    PT("basemap");
    return evm__layers_draw(d, err);
}

/* Areas, movements, events, labels and furniture, in that order. */
static evm_status draw_over(evm_draw *d, evm_error *err)
{
    evm_status st = evm__areas_draw(d, err);
    if (st != EVM_OK)
        return st;
    PT("areas");
    evm__arrows_draw(d);
    PT("arrows");
    if ((st = evm__events_draw(d, err)) != EVM_OK)
        return st;
    PT("events");
    /* labels: events and movements first (they carry the news), then
     * country names and reference cities wherever room is left */
    evm__labeler_run(d->lb);
    if (evm__labeler_failed(d->lb))
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    evm__events_labels_draw(d);
    evm__arrows_labels_draw(d);
    evm__areas_labels_draw(d);
    PT("labels");
    if ((st = evm__places_draw(d, err)) != EVM_OK)
        return st;
    PT("reference");
    evm__furniture_draw(d);
    PT("furniture");
    return EVM_OK;
}

/* draw_under on a thread of its own: a copy of the map's state with its
 * own cairo context and PROJ handle. It reads only the frame, the theme,
 * the focus countries and the spec; the content drawn meanwhile touches
 * none of them. */
struct under_job {
    evm_draw d;
    evm_status st;
    evm_error err;
};

static void *under_run(void *arg)
{
    struct under_job *j = arg;
    if (getenv("EVMAP_PROFILE"))
        pt_last = now_ms();
    j->st = draw_under(&j->d, &j->err);
    return NULL;
}

static evm_status paint(evm_draw *d, evm_error *err)
{
    evm_status st;
    PT("layout");
    cairo_t *cr = d->cr;
    cairo_surface_t *target = cairo_get_target(cr);
    if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE) {
        /* SVG and PDF record every drawing operation in order */
        if ((st = draw_under(d, err)) == EVM_OK)
            st = draw_over(d, err);
    } else {
        /* A PNG is drawn in two layers that meet at the end: the basemap
         * on one thread, the content on a transparent surface on this
         * one (of a cold map's drawing, the basemap is about half). The
         * content is composited over the basemap in the same way whether
         * or not the thread ran, and whether the basemap came from the
         * cache, so the bytes never depend on it. */
        cairo_surface_t *ov =
            evm__image_surface(CAIRO_FORMAT_ARGB32, d->W, d->H);
        cairo_t *ocr = cairo_create(ov);
        struct under_job *j = calloc(1, sizeof *j);
        if (cairo_status(ocr) != CAIRO_STATUS_SUCCESS || !j) {
            cairo_destroy(ocr);
            cairo_surface_destroy(ov);
            free(j);
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        }
        j->d = *d;
        /* the module loads once, before two threads may ask for it */
        if ((d->m->nlayers || d->m->background != EVM_BG_NONE) &&
            !evm__gdal(err)) {
            cairo_destroy(ocr);
            cairo_surface_destroy(ov);
            free(j);
            return err ? err->code : EVM_E_LIB;
        }
        pthread_t th;
        int threaded = 0;
        evm_geo *g2 = evm_geo_clone(d->geo, NULL);
        if (g2) {
            j->d.geo = g2;
            threaded = pthread_create(&th, NULL, under_run, j) == 0;
        }
        if (!threaded) {
            j->d.geo = d->geo;
            under_run(j);
        }
        d->cr = ocr;
        st = draw_over(d, err);
        d->cr = cr;
        if (st == EVM_OK && cairo_status(ocr) != CAIRO_STATUS_SUCCESS)
            st = cairo_failed(cairo_status(ocr), err);
        if (threaded)
            pthread_join(th, NULL);
        evm_geo_free(g2);
        if (st == EVM_OK && j->st != EVM_OK) {
            st = j->st;
            if (err)
                *err = j->err;
        }
        cairo_destroy(ocr);
        cairo_set_source_surface(cr, ov, 0, 0);
        cairo_paint(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_surface_destroy(ov);
        free(j);
        PT("composite");
    }
    if (st != EVM_OK)
        return st;
    cairo_status_t cs = cairo_status(d->cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cairo_failed(cs, err);
    return EVM_OK;
}


evm_renderer *evm_renderer_new(evm_error *err)
{
    evm_error berr = {0};
    char *bpath = evm_data_path("basemap.evb");
    if (!bpath && errno == ENOMEM) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    evm_basemap *bm = bpath ? evm_basemap_open(bpath, &berr) : NULL;
    free(bpath);
    if (!bm && berr.code == EVM_E_NOMEM) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    if (!bm) {
        evm_error_set(err, EVM_E_IO, "basemap.evb: %s (reinstall evmap or "
                      "set EVMAP_DATA)", berr.msg[0] ? berr.msg : "not found");
        return NULL;
    }
    evm_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        evm_basemap_close(bm);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    r->bm = bm;
    pthread_mutex_init(&r->mu, NULL);
    return r;
}

void evm_renderer_free(evm_renderer *r)
{
    if (!r)
        return;
    evm_basemap_close(r->bm);
    for (int i = 0; i < BM_CACHE; i++) {
        free(r->c[i].key);
        free(r->c[i].px);
    }
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* Sets up d for m and o. */
static evm_status draw_init(evm_draw *d, const evm_renderer *r,
                            const evm_map *m, const evm_render_opts *o,
                            evm_format fmt, int *w, int *h, evm_error *err)
{
    *w = o->width > 0 ? o->width : m->width > 0 ? m->width : DEFAULT_W;
    *h = o->height > 0 ? o->height : m->height > 0 ? m->height : DEFAULT_H;
    double dpi = o->dpi > 0 ? o->dpi : 96;
    double s = fmt == EVM_FMT_PNG ? dpi / 96.0 : 1.0;
    memset(d, 0, sizeof *d);
    if (!m->resolved)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: places not resolved (call "
                             "evm_map_resolve first)", m->file);
    if (*w < 16 || *h < 16 || *w * s > MAX_PX || *h * s > MAX_PX)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: map size %dx%d at %g dpi is outside "
                             "16..%d px; choose a smaller size or dpi",
                             m->file, *w, *h, dpi, MAX_PX);
    /* a raster of 20000 x 20000 took 2.7 GB: the pixels are capped */
    if ((double)*w * s * *h * s > MAX_PIXELS)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: map size %dx%d at %g dpi is %.0f million "
                             "pixels, over the limit of %d million (e.g. "
                             "8000x8000); choose a smaller size or dpi",
                             m->file, *w, *h, dpi,
                             (double)*w * s * *h * s / 1e6,
                             MAX_PIXELS / 1000000);
    d->m = m;
    d->th = evm__theme(o->theme >= 0 ? (evm_theme)o->theme : m->theme);
    evm__sides_of_map(&d->sides, m);
    d->s = s;
    d->W = (int)lround(*w * s);
    d->H = (int)lround(*h * s);
    d->quiet = o->quiet;
    d->verbose = o->verbose;
    d->style_opt = o->style;
    d->measure_opt = o->measure;
    d->warn = o->warn;
    d->warn_ud = o->warn_ud;
    d->date_from = o->date_from;
    d->date_to = o->date_to;
    d->subtitle = o->subtitle;
    d->bm = r->bm;
    d->r = (evm_renderer *)r;
    return EVM_OK;
}

/* A map laid out but not painted (evm_map_project, evm_map_layout): its
 * own renderer, and a 1x1 surface for Pango to measure text on. */
struct dry {
    evm_renderer *r;
    cairo_surface_t *surf;
    evm_draw d;
    int ready; /* d holds a draw state to free */
};

static evm_status dry_layout(struct dry *y, const evm_map *m,
                             const evm_render_opts *o, evm_error *err)
{
    evm_render_opts def;
    if (!o) {
        evm_render_opts_init(&def);
        o = &def;
    }
    memset(y, 0, sizeof *y);
    int w, h;
    evm_format fmt = o->format == EVM_FMT_AUTO ? EVM_FMT_PNG : o->format;
    y->r = evm_renderer_new(err);
    if (!y->r)
        return err ? err->code : EVM_E_IO;
    evm_status st = draw_init(&y->d, y->r, m, o, fmt, &w, &h, err);
    if (st != EVM_OK)
        return st;
    y->ready = 1;
    y->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    y->d.cr = cairo_create(y->surf);
    if (cairo_status(y->d.cr) != CAIRO_STATUS_SUCCESS)
        return cairo_failed(cairo_status(y->d.cr), err);
    if ((st = layout(&y->d, err)) != EVM_OK)
        return st;
    if (cairo_status(y->d.cr) != CAIRO_STATUS_SUCCESS)
        return cairo_failed(cairo_status(y->d.cr), err);
    return EVM_OK;
}

static void dry_free(struct dry *y)
{
    if (y->ready) {
        cairo_destroy(y->d.cr);
        cairo_surface_destroy(y->surf);
        draw_free(&y->d);
    }
    evm_renderer_free(y->r);
}

evm_status evm_map_project(const evm_map *m, const evm_render_opts *o,
                           const double *lon, const double *lat, int n,
                           double *px, double *py, evm_error *err)
{
    struct dry y;
    evm_status st = dry_layout(&y, m, o, err);
    for (int i = 0; st == EVM_OK && i < n; i++)
        if (evm__project(&y.d, lon[i], lat[i], &px[i], &py[i]) != 0)
            px[i] = py[i] = NAN;
    dry_free(&y);
    return st;
}

/* Contract in render.h. */
evm_status evm__render_draw(const evm_renderer *r, const evm_map *m,
                            const evm_render_opts *o, evm_format fmt,
                            const char *path, evm_error *err)
{
    if (fmt != EVM_FMT_PNG && fmt != EVM_FMT_SVG && fmt != EVM_FMT_PDF)
        return evm_error_set(err, EVM_E_USAGE, "%s: the renderer draws "
                             "PNG, SVG and PDF only", path);
    if (!r) {
        evm_renderer *own = evm_renderer_new(err);
        if (!own)
            return err ? err->code : EVM_E_IO;
        own->oneshot = 1;
        evm_status st = evm__render_draw(own, m, o, fmt, path, err);
        evm_renderer_free(own);
        return st;
    }
    evm_render_opts def;
    if (!o) {
        evm_render_opts_init(&def);
        o = &def;
    }
    evm_draw d;
    int w, h;
    evm_status st = draw_init(&d, r, m, o, fmt, &w, &h, err);
    if (st != EVM_OK)
        return st;
    evm_atomic out;
    if ((st = evm__atomic_open(&out, path, err)) != EVM_OK)
        return st;
    cairo_surface_t *surf;
    evm_buf svg;
    evm__buf_init(&svg, 1u << 30);
    if (fmt == EVM_FMT_PNG)
        surf = evm__image_surface(CAIRO_FORMAT_RGB24, d.W, d.H);
    else
        surf = evm__vector_surface(fmt, out.f, &svg, w, h);
    d.cr = cairo_create(surf);
    pt_last = now_ms();
    /* (cairo_create on a surface in error state gives a context in it) */
    if (cairo_status(d.cr) != CAIRO_STATUS_SUCCESS)
        st = cairo_failed(cairo_status(d.cr), err);
    if (st == EVM_OK)
        st = layout(&d, err);
    if (st == EVM_OK)
        st = paint(&d, err);
    cairo_destroy(d.cr);
    int drawn = st == EVM_OK; /* failures from here on are the output's */
    if (st == EVM_OK && fmt == EVM_FMT_PNG)
        st = evm__write_png(surf, out.f, m->background != EVM_BG_NONE,
                            err);
    PT("encode");
    cairo_surface_finish(surf);
    if (st == EVM_OK &&
        cairo_surface_status(surf) == CAIRO_STATUS_NO_MEMORY)
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
    else if (st == EVM_OK &&
             cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s", path,
                           cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    if (st == EVM_OK && fmt == EVM_FMT_SVG)
        st = svg.failed ? evm_error_set(err, EVM_E_NOMEM, "out of memory")
                        : evm__svg_write_normalized(&svg, out.f, err);
    evm__buf_free(&svg);
    if (st == EVM_OK)
        evm__report(&d, o, err);
    if (st == EVM_OK && err && err->code != EVM_OK)
        st = err->code;
    if (st == EVM_OK && d.nomem)
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
    draw_free(&d);
    if (st != EVM_OK) {
        evm__atomic_abort(&out);
        if (drawn && st == EVM_E_IO)
            evm__error_name_path(err, path); /* "PNG write failed" */
        return st;
    }
    return evm__atomic_commit(&out, err);
}

evm_status evm_map_layout(const evm_map *m, const evm_render_opts *o,
                          char **json, evm_error *err)
{
    *json = NULL;
    struct dry y;
    evm_status st = dry_layout(&y, m, o, err);
    evm_buf b;
    evm__buf_init(&b, (size_t)1 << 30);
    if (st == EVM_OK && (evm__layout_json(&y.d, &b) != EVM_OK ||
                         evm__buf_add(&b, "", 1) != 0))
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (st == EVM_OK)
        *json = b.data;
    else
        evm__buf_free(&b);
    dry_free(&y);
    return st;
}
