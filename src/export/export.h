/* Feature export: a map's events, movements and areas as GIS features.
 * A sink receives features one at a time and writes them out as they
 * come (GeoJSON by hand in geojson.c, the other formats through the GDAL
 * module's OGR writer), so a table of any length streams through with
 * flat memory. Every format carries the same fields: the model's own
 * (type, ACLED event_type and sub_event_type, date, RFC 3339 time, label,
 * fatalities, side, confidence, the resolved place), a table's extra
 * columns, and simplestyle properties in the colours of the PNG. */
#ifndef EVM_EXPORT_H
#define EVM_EXPORT_H

#include <stdio.h>
#include "model.h"
#include "gdal/gdal_api.h"

/* Decimals of every coordinate written (RFC 7946 section 11.2: 6 is
 * about 10 cm). */
#define EVM_EXPORT_DECIMALS 6

/* Extra per-event fields (a table's own columns), in output order. The
 * arrays are borrowed by evm__sink_open for the sink's life. */
typedef struct evm__extras {
    int n;
    const char *const *name;
    const evm_ftype *type;
} evm__extras;

/* Layers a sink may receive (bit mask for evm__sink_open). */
#define EVM_SINK_EVENTS 1u
#define EVM_SINK_MOVEMENTS 2u
#define EVM_SINK_AREAS 4u

typedef struct evm__sink evm__sink;

/* Opens an output of format fmt (EVM_FMT_GEOJSON or a GDAL format) at
 * path ("-" is stdout, GeoJSON only). m supplies the theme and the side
 * colours (the first movement's side red, ...) and stays borrowed; it
 * may be NULL (light theme). extras (may be NULL) adds fields to events.
 * layers says which layers to create (GDAL formats); a GeoJSON
 * FeatureCollection holds all. Nothing appears at path before
 * evm__sink_close succeeds. Returns NULL + err on failure. */
evm__sink *evm__sink_open(const char *path, evm_format fmt, const evm_map *m,
                          const evm__extras *extras, unsigned layers,
                          evm_error *err);
/* Writes one event; extra holds extras->n values (NULL: null; INT and
 * REAL values as JSON numbers, dates ISO 8601). The event's place must
 * have coordinates. */
evm_status evm__sink_event(evm__sink *s, const evm_event *e,
                           const char *const *extra, evm_error *err);
/* Writes one movement: a great-circle LineString through its ends and
 * vias, split at the antimeridian into a MultiLineString. */
evm_status evm__sink_movement(evm__sink *s, const evm_movement *mv,
                              evm_error *err);
/* Writes one area: its country or admin-1 polygon from the basemap, or
 * the polygons of its file (GDAL). EVM_E_INPUT naming file:line:col when
 * neither is found. */
evm_status evm__sink_area(evm__sink *s, const evm_area *a, evm_error *err);
/* Finishes the output (GeoJSON: the bbox last) and moves it into place;
 * frees s. On failure nothing is left at path. */
evm_status evm__sink_close(evm__sink *s, evm_error *err);
/* Drops everything written and frees s; accepts NULL. */
void evm__sink_abort(evm__sink *s);

/* ------------------------------------------------- GeoJSON (geojson.c) */

typedef struct evm__gj evm__gj;

/* A property value of a feature. */
typedef struct evm__prop {
    const char *name;
    evm_ftype type;
    const char *val; /* NULL: null */
} evm__prop;

/* Starts a FeatureCollection on f (borrowed; written through a private
 * buffer, flushed by evm__gj_finish). NULL when memory runs out. */
evm__gj *evm__gj_new(FILE *f);
/* Writes one Feature: geometry g (lon/lat; lines split at the
 * antimeridian already; polygon rings are closed and rewound to the
 * right-hand rule here) and its properties in order. */
int evm__gj_feature(evm__gj *w, const evm_vfeat *g, const evm__prop *p,
                    int np);
/* Closes the collection with its bbox ([west, south, east, north]; west >
 * east when the features straddle the antimeridian; no bbox when empty),
 * flushes, and frees w. Returns 0, or -1 when a write failed. */
int evm__gj_finish(evm__gj *w);
/* Frees w without finishing. */
void evm__gj_free(evm__gj *w);

/* evm__fmt_num's output (same text) for coordinates, faster: at most
 * `decimals` (<= 9) fractional digits, zeros trimmed, no "-0". out holds
 * 40 bytes. Returns the length. */
size_t evm__gj_fmt(char *out, double v, int decimals);

/* ------------------------------------------------ the map (export.c) */

/* Writes the map's features (events, movements, areas) to path in fmt
 * (EVM_FMT_GEOJSON or a GDAL format), in the simplestyle colours of o's
 * theme (o NULL or theme -1: the map's) and only what o's date window
 * holds, as the PNG would show. m must be resolved and stays borrowed.
 * Nothing is left at path on failure (EVM_E_IO, EVM_E_NOMEM, EVM_E_LIB
 * from the GDAL module, EVM_E_INPUT for an area without a polygon). */
evm_status evm__export(const evm_map *m, const evm_render_opts *o,
                       evm_format fmt, const char *path, evm_error *err);

#endif
