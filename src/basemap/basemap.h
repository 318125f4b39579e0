/* The shipped Natural Earth basemap, compiled at build time into
 * basemap.evb (tools/mkbasemap) and read here without GDAL through mmap.
 * Read-only after opening: one evm_basemap may be shared by threads.
 *
 * Drawing polygons: large polygons (continents, the ocean, big countries
 * and regions) are stored pre-cut into tiles (5 degrees at 10m, 10 at 50m,
 * 30 at 110m), so a query returns only the pieces near the extent. Every
 * piece is a set of closed rings, outer rings counter-clockwise and holes
 * clockwise in lon/lat (lat up), and pieces of one polygon meet exactly
 * along tile edges. Fill ALL features of one layer as ONE cairo path with
 * CAIRO_FILL_RULE_WINDING: the tile seams then cancel and leave no
 * antialiasing hairline (filling piece by piece would show them). Never
 * stroke polygon features for outlines: pieces carry cut edges
 * (EVM_BM_F_PIECE); stroke EVM_BM_COASTLINE, EVM_BM_BORDERS and
 * EVM_BM_ADMIN1_LINES instead. Long lines are split into pieces too;
 * consecutive pieces share their end points. */
#ifndef EVM_BASEMAP_H
#define EVM_BASEMAP_H

#include <stdint.h>
#include "evmap.h"

typedef struct evm_basemap evm_basemap;

/* Layers, each at up to three scales. */
typedef enum {
    EVM_BM_LAND = 0,      /* polygons */
    EVM_BM_OCEAN,         /* polygons (not always needed: draw water bg) */
    EVM_BM_LAKES,         /* polygons, with name, rank = scalerank */
    EVM_BM_RIVERS,        /* lines, with name, rank = scalerank */
    EVM_BM_COUNTRIES,     /* polygons: one feature per country, iso_a2, name,
                             rank = labelrank, population = estimate */
    EVM_BM_BORDERS,       /* lines: land boundaries between countries;
                             flags EVM_BM_F_DISPUTED */
    EVM_BM_ADMIN1,        /* polygons: admin-1 regions, name, iso_a2
                             (10m and 50m only) */
    EVM_BM_ADMIN1_LINES,  /* lines: admin-1 internal boundaries, iso_a2
                             (10m and 50m only) */
    EVM_BM_COUNTRY_LABELS,/* points: label point per country (inside its
                             largest part), name, rank = labelrank */
    EVM_BM_CITIES,        /* points: populated places, name, rank =
                             scalerank, pop; flags EVM_BM_F_CAPITAL.
                             110m: scalerank <= 2, 50m: <= 4, 10m: all,
                             national capitals at every scale */
    EVM_BM_COASTLINE,     /* lines: coastlines (outline of land) */
    EVM_BM_LAYER_COUNT
} evm_bm_layer;

typedef enum { EVM_BM_110M = 0, EVM_BM_50M, EVM_BM_10M } evm_bm_scale;

/* evm_bm_feature.flags */
#define EVM_BM_F_CAPITAL 1    /* cities: national capital */
#define EVM_BM_F_DISPUTED 2   /* borders: disputed, indefinite, line of
                                 control, lease or overlay limit */
#define EVM_BM_F_PIECE 4      /* a tile piece of a larger feature: polygon
                                 rings may have cut edges on tile lines */
#define EVM_BM_F_CITY 8       /* admin-1: a city region (Almaty City) */

/* A feature as read from the mmap'ed file: borrowed pointers valid until
 * evm_basemap_close. Geometry: nparts parts; part i has part_len[i] points
 * stored consecutively in lonlat (x0,y0,x1,y1,... as float lon/lat, lon in
 * [-180, 180]). Polygons: each part is a ring, closed (its last point
 * repeats the first); outer rings counter-clockwise, holes
 * clockwise; in a whole feature each outer ring is followed by its holes.
 * Lines: each part a polyline. Points: nparts == 1 and one point. */
typedef struct evm_bm_feature {
    const char *name;      /* "" if none */
    const char *name_en;   /* English name, "" if none */
    const char *id;        /* whole 10m countries and admin-1 regions: the
                              Natural Earth key the gazetteer's record of
                              the same unit carries as "ne:<id>" (ADM0_A3
                              "KAZ", adm1_code "UKR-321"); else "" */
    const char *code;      /* with id: ISO 3166-1 alpha-2 or ISO 3166-2
                              code ("UA-32"), as Natural Earth has it */
    char iso_a2[3];        /* country code, "" if none */
    int rank;              /* scalerank / labelrank, lower = more important */
    long population;       /* cities, countries */
    int flags;             /* EVM_BM_F_* */
    double bbox[4];        /* lon_min, lat_min, lon_max, lat_max; a
                              feature with parts on both sides of the
                              antimeridian (Russia, Fiji) spans -180..180 */
    uint32_t nparts;
    const uint32_t *part_len;
    const float *lonlat;
} evm_bm_feature;

/* Opens basemap.evb at path (NULL: evm_data_path("basemap.evb")) by
 * mmap: no parsing, well under a millisecond. Checks the header (magic,
 * version, byte order, size against the file, CRC) and every section's
 * bounds; a truncated or corrupted file gives NULL and err (EVM_E_IO if it
 * cannot be read, EVM_E_INPUT if it is not a valid basemap), never a
 * crash. Close with evm_basemap_close (accepts NULL). */
evm_basemap *evm_basemap_open(const char *path, evm_error *err);
void evm_basemap_close(evm_basemap *bm);

/* Calls fn for every feature of layer at scale whose bbox intersects
 * bbox (lon_min, lat_min, lon_max, lat_max; lon_min > lon_max means the
 * box crosses the antimeridian; longitudes outside [-180, 180] wrap; a box
 * 360 degrees wide or more is the whole world), through the file's packed
 * R-tree. Each feature is visited at most once. Stops early when fn
 * returns non-zero. The feature passed to fn is valid during the call;
 * the pointers in it until evm_basemap_close. Returns the number of
 * features visited (0 for a layer absent at that scale or a non-finite
 * bbox). Features whose stored geometry fails its bounds check are
 * skipped. */
typedef int (*evm_bm_visit)(const evm_bm_feature *f, void *ud);
long evm_basemap_query(const evm_basemap *bm, evm_bm_layer layer,
                       evm_bm_scale scale, const double bbox[4],
                       evm_bm_visit fn, void *ud);

/* Finds a whole (untiled, 10m) polygon of layer EVM_BM_COUNTRIES or
 * EVM_BM_ADMIN1 by name, case- and accent-insensitively, and copies it
 * into *out (its pointers are borrowed until evm_basemap_close).
 * Countries match the NE name, English/long/formal names, ISO A2, ISO A3
 * and names in 26 other languages ("Kazakhstan", "KZ", "KAZ",
 * "Казахстан"). Admin-1 regions match name, name_en, gn_name, the ISO
 * 3166-2 code, alternative and local names ("Almaty", "KZ-ALA"); a
 * trailing type word (Region, Oblast, Oblysy, Province, State,
 * Governorate, Prefecture, Krai, County, District, City, ...) may be given
 * or left out, and decides between a city and the region around it
 * ("Almaty Region" -> the oblast, "Almaty City" -> the city). A bare name
 * prefers the feature whose primary name it is. "NAME, COUNTRY" limits an
 * admin-1 search to a country given by code or name. Returns 0 on
 * success, -1 if nothing matches (out untouched). */
int evm_basemap_find_polygon(const evm_basemap *bm, evm_bm_layer layer,
                             const char *name, evm_bm_feature *out);
/* The polygon an area's name stands for: a country first, then an
 * admin-1 region. 0, or -1 when bm or name is NULL or nothing matches. */
int evm_basemap_find_area(const evm_basemap *bm, const char *name,
                          evm_bm_feature *out);
/* As evm_basemap_find_area, for the place the name resolved to at
 * lonlat[0], lonlat[1] (NULL: no point): the polygon that holds the point
 * first, a country before a region ("Moscow" the city, not the oblast
 * around it; "Kyiv Oblast", not Kyiv). */
int evm_basemap_find_area_at(const evm_basemap *bm, const char *name,
                             const double *lonlat, evm_bm_feature *out);

/* The whole (untiled, 10m) polygon of layer EVM_BM_COUNTRIES or
 * EVM_BM_ADMIN1 whose id is id ("KAZ", "UKR-321"), into *out. 0, or -1
 * when none has it. */
int evm_basemap_find_id(const evm_basemap *bm, evm_bm_layer layer,
                        const char *id, evm_bm_feature *out);
/* The polygon of a gazetteer place: a country or admin-1 region of
 * Natural Earth ("ne:KAZ", "ne:UKR-321"), found by that id, never by
 * name. 0 with *out and *layer (EVM_BM_COUNTRIES or EVM_BM_ADMIN1; layer
 * may be NULL), or -1 when the place has no polygon (a town, an airport,
 * a GeoNames-only region, a places: entry, NULL). */
int evm_basemap_place_polygon(const evm_basemap *bm, const char *place_id,
                              evm_bm_feature *out, evm_bm_layer *layer);

/* Whether name ends in an admin-1 type word: 1 a city word ("Almaty
 * City", "Almaty Qalasy"), 0 a region word ("Kyiv Oblast", "Almaty
 * Region", "Texas State"), -1 none or not valid UTF-8. */
int evm_basemap_type_word(const char *name);

/* As evm_basemap_find_polygon, preferring among the features of that name
 * one that contains lonlat[0], lonlat[1] (the point the name resolved
 * to; NULL: none): "Moscow" resolved to the city is the city, not the
 * oblast around it. */
int evm_basemap_find_polygon_at(const evm_basemap *bm, evm_bm_layer layer,
                                const char *name, const double *lonlat,
                                evm_bm_feature *out);

/* 1 if (lon, lat) lies inside polygon feature f (even-odd rule over all
 * its rings), else 0. */
int evm_basemap_contains(const evm_bm_feature *f, double lon, double lat);

/* Scale suited to an extent spanning span_deg degrees of longitude on a
 * map width_px wide (width_px <= 0 means 1600): 10m up to 0.04 degree per
 * pixel (about 1:17M at 96 dpi), 50m up to 0.15 (about 1:63M), 110m
 * beyond. A non-finite or non-positive span gives 10m. */
evm_bm_scale evm_basemap_pick_scale(double span_deg, int width_px);

#endif
