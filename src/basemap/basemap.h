/* The shipped Natural Earth basemap, compiled at build time into
 * basemap.evb (tools/mkbasemap) and read here without GDAL through mmap.
 * Read-only after opening: one evm_basemap may be shared by threads. */
#ifndef EVM_BASEMAP_H
#define EVM_BASEMAP_H

#include <stdint.h>
#include "evmap.h"

typedef struct evm_basemap evm_basemap;

/* Layers, each at up to three scales. */
typedef enum {
    EVM_BM_LAND = 0,      /* polygons */
    EVM_BM_OCEAN,         /* polygons (not always needed: draw water bg) */
    EVM_BM_LAKES,         /* polygons, with name */
    EVM_BM_RIVERS,        /* lines, with scalerank */
    EVM_BM_COUNTRIES,     /* polygons: one feature per country, iso_a2, name */
    EVM_BM_BORDERS,       /* lines: land boundaries between countries */
    EVM_BM_ADMIN1,        /* polygons: admin-1 regions, name, iso_a2 */
    EVM_BM_ADMIN1_LINES,  /* lines: admin-1 internal boundaries */
    EVM_BM_COUNTRY_LABELS,/* points: label point per country, name, rank */
    EVM_BM_CITIES,        /* points: populated places, name, rank, pop */
    EVM_BM_LAYER_COUNT
} evm_bm_layer;

typedef enum { EVM_BM_110M = 0, EVM_BM_50M, EVM_BM_10M } evm_bm_scale;

/* A feature as read from the mmap'ed file: borrowed pointers valid until
 * evm_basemap_close. Geometry: nparts parts; part i has part_len[i] points
 * stored consecutively in lonlat (x0,y0,x1,y1,... as float lon/lat). For
 * polygons each part is a ring (the first of each polygon the outer one;
 * rings are closed); for points nparts == 1 and one point. */
typedef struct evm_bm_feature {
    const char *name;      /* "" if none */
    const char *name_en;   /* English name, "" if none */
    char iso_a2[3];        /* country code, "" if none */
    int rank;              /* scalerank / labelrank, lower = more important */
    long population;       /* cities */
    int flags;             /* layer specific: cities: 1 = capital */
    double bbox[4];        /* lon_min, lat_min, lon_max, lat_max */
    uint32_t nparts;
    const uint32_t *part_len;
    const float *lonlat;
} evm_bm_feature;

evm_basemap *evm_basemap_open(const char *path, evm_error *err);
void evm_basemap_close(evm_basemap *bm);

/* Calls fn for every feature of layer at scale whose bbox intersects
 * bbox (lon/lat; lon_min > lon_max means crossing the antimeridian),
 * through the file's spatial index. Stops early when fn returns non-zero.
 * Returns the number of features visited. */
typedef int (*evm_bm_visit)(const evm_bm_feature *f, void *ud);
long evm_basemap_query(const evm_basemap *bm, evm_bm_layer layer,
                       evm_bm_scale scale, const double bbox[4],
                       evm_bm_visit fn, void *ud);

/* Finds a polygon feature (country or admin-1) by name or ISO code,
 * case-insensitively; the 10m scale is preferred. NULL if none. The
 * returned feature is borrowed (pointer into a static per-call slot is NOT
 * used: it is copied into *out). Returns 0 on success. */
int evm_basemap_find_polygon(const evm_basemap *bm, evm_bm_layer layer,
                             const char *name, evm_bm_feature *out);

/* Scale suited to an extent spanning span_deg degrees of longitude on a
 * map width_px wide. */
evm_bm_scale evm_basemap_pick_scale(double span_deg, int width_px);

#endif
