/* evmap: events at named places -> maps.
 *
 * Public C API of libevmap. Conventions (the same everywhere):
 *  - Handles are opaque, named evm_*, created by evm_X_open/new and released
 *    by evm_X_close/free, which accept NULL.
 *  - Every call that can fail takes a caller-owned evm_error *err (may be
 *    NULL). The first error wins: once err->code != EVM_OK later failures do
 *    not overwrite it. Functions return NULL or a negative number on failure.
 *  - Strings returned as `const char *` are borrowed: they stay valid as long
 *    as the handle they came from. Anything the caller must free says so.
 *  - A handle must only be used from one thread at a time. The gazetteer is
 *    read-only after opening and may be shared by threads for lookups.
 *  - Coordinates are always lon/lat WGS 84 degrees in evm_lonlat; names of
 *    fields say which is which.
 */
#ifndef EVMAP_H
#define EVMAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EVM_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

typedef enum {
    EVM_OK = 0,
    EVM_E_INPUT = 1,    /* bad spec, table, query, unknown place    -> exit 1 */
    EVM_E_USAGE = 2,    /* bad command-line usage                   -> exit 2 */
    EVM_E_IO = 3,       /* cannot read/write a file                 -> exit 3 */
    EVM_E_NOMEM = 4,    /* out of memory                            -> exit 3 */
    EVM_E_LIB = 5,      /* PROJ, cairo, GDAL, ... failed            -> exit 3 */
    EVM_E_NOTFOUND = 6, /* a name resolved to nothing               -> exit 1 */
    EVM_E_TOOBIG = 7    /* input over a documented size cap         -> exit 1 */
} evm_status;

typedef struct evm_error {
    evm_status code;
    char msg[1024]; /* one line, no trailing newline, "file:line:col: ..." */
} evm_error;

/* Sets err (if not NULL and still EVM_OK) to code and a printf message.
 * Returns code so callers can `return evm_error_set(...)`. */
evm_status evm_error_set(evm_error *err, evm_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void evm_error_clear(evm_error *err);
const char *evm_status_str(evm_status s);
/* Process exit code documented in DESIGN: 0 ok, 1 input, 2 usage, 3 I/O. */
int evm_status_exit_code(evm_status s);

/* ------------------------------------------------------------ data files */

/* Library-wide, process start: nothing is required before other calls.
 * evm_data_path() finds a shipped data file ("gazetteer.evg",
 * "basemap.evb") in, in order: $EVMAP_DATA, the executable's directory,
 * <exe>/../share/evmap, and the compiled-in EVMAP_DATADIR. Returns a
 * malloc'ed path the caller frees, or NULL if none exists. */
char *evm_data_path(const char *name);

/* Attribution of every shipped data source, one per line. Static string. */
const char *evm_attribution(void);

/* ------------------------------------------------------------ gazetteer */

typedef struct { double lon, lat; } evm_lonlat;

typedef struct evm_gazetteer evm_gazetteer;

/* Kinds of place, in the order of the ranking's kind priority. */
typedef enum {
    EVM_KIND_COUNTRY = 0,
    EVM_KIND_ADMIN1,      /* first-order region (oblast, state, ...) */
    EVM_KIND_ADMIN2,
    EVM_KIND_CITY,        /* city, town, village: any populated place */
    EVM_KIND_AIRPORT,     /* civil airports and military airbases */
    EVM_KIND_PORT,
    EVM_KIND_WATER,       /* lake, sea, bay, gulf, strait, ... */
    EVM_KIND_PHYSICAL,    /* mountains, deserts, islands, ... */
    EVM_KIND_SITE,        /* oil/gas field, power plant, base, square, ... */
    EVM_KIND_COUNT
} evm_kind;

/* One resolved place. All strings are borrowed from the gazetteer (or the
 * overlay they came from) and live as long as it does. */
typedef struct evm_place {
    const char *name;     /* display name (English where the data has it) */
    double lat, lon;
    char country[3];      /* ISO 3166-1 alpha-2, "" if none (seas) */
    const char *admin1;   /* admin-1 region name, "" if unknown */
    evm_kind kind;
    const char *kind_name;/* finer kind: "city", "capital", "oil field" ... */
    long population;      /* 0 if unknown */
    const char *id;       /* "geonames:1526384", "ourairports:UAAA", ... */
    const char *source;   /* "GeoNames", "OurAirports", "Natural Earth", ... */
    double score;         /* 0..1, higher is better */
} evm_place;

typedef struct evm_geocode_opts {
    const char *country;  /* ISO alpha-2 or a country name; NULL: any */
    const char *kind;     /* "city", "airport", "oil field", ...; NULL: any */
    int has_near;         /* prefer places near near_lat/near_lon */
    double near_lat, near_lon;
} evm_geocode_opts;

/* Opens the compiled index at path (NULL: evm_data_path("gazetteer.evg")).
 * The index is mmap'ed: opening costs well under a millisecond.
 * Returns NULL and sets err on failure. Close with evm_gazetteer_close. */
evm_gazetteer *evm_gazetteer_open(const char *path, evm_error *err);
void evm_gazetteer_close(evm_gazetteer *gz);

/* Overlays the user's own places from a CSV/TSV file with columns name,
 * lat, lon[, country, kind] (header optional). Overlay entries win over
 * shipped ones with the same name. Returns EVM_OK or an error naming
 * file:line. (GDAL vector sources go through evm_gazetteer_add_places_ogr
 * in the GDAL module.) */
evm_status evm_gazetteer_add_places(evm_gazetteer *gz, const char *path,
                                    evm_error *err);
/* Adds one place (copied) to the overlay. */
evm_status evm_gazetteer_add_place(evm_gazetteer *gz, const char *name,
                                   double lat, double lon,
                                   const char *country, const char *kind,
                                   evm_error *err);

/* Resolves query (UTF-8; may carry qualifiers "Name, Admin1, Country",
 * kind words "Tengiz oil field", IATA/ICAO codes) into at most max matches
 * written to out, best first. opts may be NULL. Returns the number of
 * matches (0 when nothing matches) or -1 with err set on bad input
 * (empty, invalid UTF-8, control characters, over 1024 bytes). */
int evm_geocode(const evm_gazetteer *gz, const char *query,
                const evm_geocode_opts *opts, evm_place *out, int max,
                evm_error *err);

/* Fills out with at most max "did you mean" names (borrowed strings) for a
 * query that matched nothing. Returns how many. */
int evm_geocode_suggest(const evm_gazetteer *gz, const char *query,
                        const evm_place **out, int max);

const char *evm_kind_str(evm_kind k);

/* ------------------------------------------------------------------ maps */

typedef struct evm_map evm_map;

typedef enum {
    EVM_FMT_AUTO = 0, EVM_FMT_PNG, EVM_FMT_SVG, EVM_FMT_PDF, EVM_FMT_GEOJSON,
    EVM_FMT_GPKG, EVM_FMT_KML, EVM_FMT_FGB, EVM_FMT_SHP, EVM_FMT_CSV
} evm_format;

typedef enum { EVM_THEME_LIGHT = 0, EVM_THEME_DARK, EVM_THEME_PRINT } evm_theme;

/* Reads a map spec (YAML or JSON) from path. Every error names
 * file:line:col. Returns a new map the caller frees with evm_map_free, or
 * NULL and err. */
evm_map *evm_map_load(const char *path, evm_error *err);
/* The same from a buffer; name is used in error messages. */
evm_map *evm_map_load_buffer(const char *name, const char *buf, size_t len,
                             evm_error *err);
void evm_map_free(evm_map *m);

/* Resolves every place name of the map through gz (and the map's own
 * places:). Returns EVM_OK or the first unknown place as
 * "file:line:col: unknown place ... did you mean ...". */
evm_status evm_map_resolve(evm_map *m, const evm_gazetteer *gz,
                           evm_error *err);

typedef struct evm_render_opts {
    evm_format format;   /* EVM_FMT_AUTO: from the extension, else PNG */
    int width, height;   /* 0: the spec's size (default 1600x1000) */
    double dpi;          /* 0: 96. PNG pixels scale by dpi/96 */
    int theme;           /* -1: the spec's theme */
    int quiet;           /* do not report unplaced labels on stderr */
    /* A date window for frames of a time series (ISO days, inclusive;
     * NULL: open). Dated events, movements and areas outside it are not
     * drawn; the extent, the legend and the furniture's places are
     * those of the whole map, so every frame of a series matches. */
    const char *date_from, *date_to;
    const char *subtitle; /* replaces the spec's subtitle when set */
} evm_render_opts;

void evm_render_opts_init(evm_render_opts *o);

/* A renderer holds what every map shares and nothing changes: the
 * mmap'ed basemap. One renderer may be used by many threads at once
 * (each render call keeps its own PROJ context, cairo surface and Pango
 * layouts). Returns NULL + err when the basemap cannot be opened. */
typedef struct evm_renderer evm_renderer;
evm_renderer *evm_renderer_new(evm_error *err);
void evm_renderer_free(evm_renderer *r);
/* As evm_map_render, with the renderer's shared data. */
evm_status evm_renderer_render(const evm_renderer *r, const evm_map *m,
                               const evm_render_opts *o, const char *path,
                               evm_error *err);

/* Renders a resolved map to path ("-" is stdout). The file is written to a
 * temporary name beside path and renamed into place, so a failure never
 * leaves a partial file. */
evm_status evm_map_render(const evm_map *m, const evm_render_opts *o,
                          const char *path, evm_error *err);

/* Where n lon/lat points fall on the map evm_map_render would draw with
 * the same options: pixel (PNG) or point (SVG, PDF) coordinates, y down,
 * written to px/py (NaN for a point the projection cannot show). For
 * image maps, HTML overlays and tests. */
evm_status evm_map_project(const evm_map *m, const evm_render_opts *o,
                           const double *lon, const double *lat, int n,
                           double *px, double *py, evm_error *err);

evm_format evm_format_from_name(const char *name); /* "png", "svg" ... */
evm_format evm_format_from_path(const char *path); /* by extension */

#ifdef __cplusplus
}
#endif
#endif
