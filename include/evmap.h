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

/* Optional process-wide set-up, for a program's main() before any other
 * evm_ call and before threads start; the library never calls it itself.
 * It gives fontconfig a configuration that lists only the font
 * directories and their caches, so the first map does not wait for the
 * system's full fontconfig set-up (a sixth of a small map's work).
 * EVMAP_SYSTEM_FONTCONFIG=1 in the environment keeps the system's. */
evm_status evm_global_init(void);

/* ------------------------------------------------------------ data files */

/* Library-wide, process start: nothing is required before other calls.
 * evm_data_path() finds a shipped data file ("gazetteer.evg",
 * "basemap.evb") in, in order: $EVMAP_DATA, the executable's directory,
 * <exe>/../share/evmap, and the compiled-in EVMAP_DATADIR. Returns a
 * malloc'ed path the caller frees, or NULL with errno ENOENT if none
 * exists, ENOMEM when out of memory. */
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

/* How precisely a location is known, best first: a populated place, site
 * or airport; a district (admin-2); a region (admin-1); a country. Event
 * tables carry it (UCDP where_prec, ACLED geo_precision, GDELT geo type),
 * the geocoder reports it, GeoJSON writes it as "precision". */
typedef enum {
    EVM_PREC_EXACT = 0,
    EVM_PREC_ADMIN2,
    EVM_PREC_ADMIN1,
    EVM_PREC_COUNTRY
} evm_precision;

/* "exact", "admin2", "admin1", "country"; and back (-1: unknown name). */
const char *evm_precision_str(evm_precision p);
int evm_precision_from_name(const char *name);

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
    const char *source;   /* "GeoNames", "OurAirports", "Natural Earth", ...;
                             learned places "places:FILE" */
    double score;         /* 0..1, higher is better */
    evm_precision precision; /* how precisely the query is placed: the
                             place's own (a country is EVM_PREC_COUNTRY,
                             a learned place keeps its table's) */
    int fallback;         /* 1: the name itself was not found where its
                             qualifiers say ("Bogoro, Borno"); this is
                             the qualifier's area standing in for it */
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
/* Besides simple places files, path may be an event table (ACLED, UCDP
 * GED, GDELT events, or a CSV whose header names a place, coordinates
 * and admin or precision columns): every row with a place name and
 * coordinates becomes a learned place, with its admin names as
 * qualifiers and its precision, deduplicated by name and position; or a
 * places index (.evp) built by evm_places_build, which is mmap'ed.
 * Learned places rank above shipped ones of the same name and qualifier;
 * their source is "places:FILE". */

typedef struct evm_places_stats {
    long rows;     /* data rows read */
    long skipped;  /* rows without a usable name and coordinates, or
                      placed only at a country */
    long places;   /* distinct places written */
    long bytes;    /* size of the index */
} evm_places_stats;

/* Compiles the event tables paths[0 .. npaths) into a places index at
 * out (written atomically), whose admin references follow gz. */
evm_status evm_places_build(const evm_gazetteer *gz,
                            const char *const *paths, int npaths,
                            const char *out, evm_places_stats *stats,
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

/* The warning for a fallback match (p->fallback) of query, into buf
 * (cap bytes): "Bogoro not found in Borno; placed at Borno (admin1)".
 * Returns buf, or NULL (buf untouched) when p is not a fallback. */
const char *evm_geocode_note(const char *query, const evm_place *p,
                             char *buf, size_t cap);

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

/* The fallback of specs that set none (fallback: none|admin2|admin1|
 * country): -1 (the default) makes a qualified name not found where its
 * qualifiers say an unknown place; EVM_PREC_ADMIN2 .. EVM_PREC_COUNTRY
 * let its qualifier's area stand in for it, down to that precision.
 * Process-wide, set before resolving (the --fallback option). */
void evm_set_default_fallback(int level);

typedef struct evm_render_opts {
    evm_format format;   /* EVM_FMT_AUTO: from the extension, else PNG */
    int width, height;   /* 0: the spec's size (default 1600x1000) */
    double dpi;          /* 0: 96. PNG pixels scale by dpi/96 */
    int theme;           /* -1: the spec's theme */
    int quiet;           /* report no warnings (warn is not called):
                          * labels not shown, events outside the frame */
    int verbose;         /* warn about every label not shown, by name */
    const char *layout;  /* write the layout report (JSON) here too */
    /* How events are drawn, over the map's own `style:`: 0 the map's,
     * 1 markers, 2 points, 3 hexbin, 4 heatmap (evm_style_from_name). */
    int style;
    /* What symbols, hexagons and density show, over the map's own
     * `measure:`: 0 the map's, 1 events, 2 fatalities
     * (evm_measure_from_name). */
    int measure;
    /* A date window for frames of a time series (ISO days, inclusive;
     * NULL: open). Dated events, movements and areas outside it are not
     * drawn; the extent, the legend and the furniture's places are
     * those of the whole map, so every frame of a series matches. */
    const char *date_from, *date_to;
    const char *subtitle; /* replaces the spec's subtitle when set */
    /* Receives each warning (a label that could not be placed, naming
     * file:line:col; then how many there were), one line without a
     * newline, on the rendering thread; NULL: warnings are dropped. The
     * library prints nothing itself: evmap's CLI prints them on stderr
     * as "evmap: ...". ud is passed back. */
    void (*warn)(void *ud, const char *msg);
    void *warn_ud;
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
 * leaves a partial file. A PNG is drawn and compressed on two threads
 * (the calling one and one it starts and joins); the bytes are the same
 * whether or not the second thread could be started. The map needs no
 * gazetteer once resolved: evm_gazetteer_close may come first. */
evm_status evm_map_render(const evm_map *m, const evm_render_opts *o,
                          const char *path, evm_error *err);

/* Where n lon/lat points fall on the map evm_map_render would draw with
 * the same options: pixel (PNG) or point (SVG, PDF) coordinates, y down,
 * written to px/py (NaN for a point the projection cannot show). For
 * image maps, HTML overlays and tests. */
evm_status evm_map_project(const evm_map *m, const evm_render_opts *o,
                           const double *lon, const double *lat, int n,
                           double *px, double *py, evm_error *err);

/* The layout report of the map evm_map_render would draw with the same
 * options, as JSON (a newly allocated string the caller frees):
 *   {"frame": {"width", "height", "projection", "extent"}, "title",
 *    "subtitle", "style", "style_auto", "measure", "symbols": [{"events":
 *    [...], "lon", "lat", "true_x", "true_y", "x", "y", "r"}], "legend":
 *    [row texts], "legend_box": [x0, y0, x1, y1] or null, "labels":
 *    [{"text", "x", "y", "w", "h", "shown", "leader", "leader_line":
 *    [x0, y0, x1, y1] (shown leaders only), "events"}], "omitted":
 *    {"labels", "events"}}
 * Pixels from the top-left; true_x/true_y is where the place projects,
 * x/y where its symbol was drawn. Aggregate styles give one symbol per
 * occupied bin with its "count" and "fatalities" instead of "events". */
evm_status evm_map_layout(const evm_map *m, const evm_render_opts *o,
                          char **json, evm_error *err);

/* "auto" 0, "markers" 1, "points" 2, "hexbin" 3, "heatmap" 4; -1 else. */
int evm_style_from_name(const char *name);
/* "auto" 0, "events" (or "count") 1, "fatalities" (or "deaths") 2; -1
 * else. */
int evm_measure_from_name(const char *name);

evm_format evm_format_from_name(const char *name); /* "png", "svg" ... */
evm_format evm_format_from_path(const char *path); /* by extension */

/* ---------------------------------------------------------- event tables */

/* Event tables read as maps: ACLED exports (both header layouts, ISO or
 * "16 May 2025" dates), GDELT 1.0 and 2.0 event files (tab-separated, no
 * header, 57/58/61 columns), UCDP GED CSV (also HDX's with its HXL
 * hashtag row), any CSV/TSV with latitude/longitude columns or a place
 * column resolved through the gazetteer, and any GDAL vector source
 * (GeoJSON -- evmap's own included --, GPKG, Shapefile, KML, FlatGeobuf).
 * Columns are found by header name, never by position (GDELT has no
 * header: by position there). */

typedef struct evm_table_opts {
    /* Columns by header name (case-insensitive); NULL: found by their
     * common names (lat/latitude/y, lon/lng/long/longitude/x,
     * place/location/name/city, type/sub_event_type/event_type,
     * date/event_date/date_start). */
    const char *lat, *lon, *place, *type, *date;
    /* Bad rows (ragged, bad numbers, coordinates out of range, unknown
     * places or types, invalid UTF-8) are warnings and counted instead
     * of failing the read. */
    int skip_bad;
    /* Resolves place columns; NULL: rows that need it are bad. Borrowed. */
    const evm_gazetteer *gz;
    /* Receives each warning, one line naming file:line:col; NULL: they
     * go to stderr as "evmap: warning: ...". At most max_warnings are
     * passed on (0: 20); the rest are only counted. */
    void (*warn)(void *ud, const char *msg);
    void *warn_ud;
    int max_warnings;
    /* Row filters: a row that fails one is no event (counted in
     * evm_table_stats.filtered). where: nwhere conditions "COLUMN=VALUE"
     * or "COLUMN!=VALUE" on the table's own columns (header names as for
     * lat; GDELT's by its codebook: QuadClass, EventRootCode, ...),
     * values compared without regard to ASCII case or surrounding
     * spaces; an empty VALUE is a blank cell. Equalities on one column
     * are alternatives (country=Mali, country=Niger: either), everything
     * else must hold. A column the table lacks is EVM_E_USAGE. */
    const char *const *where;
    int nwhere;
    /* Dated events outside [date_from, date_to] (ISO days, inclusive;
     * NULL or "": open) are left out; undated ones are kept. */
    const char *date_from, *date_to;
    /* Keep only events located at least this precisely: 1 +
     * EVM_PREC_EXACT .. 1 + EVM_PREC_COUNTRY; 0 keeps every event. */
    int precision;
    /* GDELT: every event; 0 keeps the conflict classes (QuadClass 3,
     * verbal conflict, and 4, material conflict) only. */
    int all;
    /* For evm_map_load_table: the map's title and subtitle (NULL: made
     * from the data, "UCDP GED: Bangladesh" and "1989-2018 · 601 events,
     * 1,234 deaths"), its frame ("lon_min,lat_min,lon_max,lat_max" in
     * degrees, or a place or country name resolved through gz; NULL: fit
     * the events) and how events are drawn ("auto", "markers", "points",
     * "hexbin", "heatmap"; NULL: auto). Bad values are EVM_E_USAGE. */
    const char *title, *subtitle, *extent, *style;
} evm_table_opts;

typedef struct evm_table_stats {
    char format[16];  /* "acled", "gdelt-1.0", "gdelt-2.0", "ucdp",
                       * "csv", "gdal" */
    long rows;        /* data rows read */
    long events;      /* events produced */
    long bad;         /* bad rows skipped (skip_bad) */
    long no_location; /* rows without coordinates skipped (GDELT) */
    long approximate; /* rows whose place name was not found where its
                       * qualifiers say, placed at their area (admin-2,
                       * admin-1 or country; the event's precision) */
    long filtered;    /* rows left out by the filters of evm_table_opts */
} evm_table_stats;

/* Zeroes o (every column detected, bad rows fail, no gazetteer). */
void evm_table_opts_init(evm_table_opts *o);

/* 1 if path names an event table rather than a map spec: by extension
 * (.csv .tsv .tab .txt .geojson .gpkg .shp .kml .fgb, optionally .gz;
 * .json only when it holds a FeatureCollection or Feature), else by
 * content (a GDELT row: 57, 58 or 61 tab-separated fields). 0 for a spec
 * (.yaml, .yml, other .json) or a file that cannot be read. */
int evm_path_is_table(const char *path);

/* Reads the table at path into a new, resolved map (events only; place
 * columns resolved through o->gz). Holds every event: for PNG, SVG and
 * PDF; a row's own label text is not kept (such a map labels places
 * with summaries; an event with a label has an empty one), so export a
 * table with evm_table_export, which streams every column. stats (may
 * be NULL) receives the counts. Returns the map (caller
 * frees with evm_map_free) or NULL + err: EVM_E_INPUT naming
 * path:line:col for a bad row, EVM_E_USAGE for a column named in o that
 * the table lacks, EVM_E_IO when it cannot be read. */
evm_map *evm_map_load_table(const char *path, const evm_table_opts *o,
                            evm_table_stats *stats, evm_error *err);

/* Converts the table at path to features in format fmt (EVM_FMT_GEOJSON,
 * or GPKG, KML, FGB, SHP, CSV through GDAL) at out ("-": stdout, GeoJSON
 * only), one row at a time: memory does not grow with the number of
 * rows. The fields are evm_map_render's for events plus the table's own
 * columns (ACLED geo_precision, GDELT EventCode, ...). On any failure
 * nothing is left at out. Errors as evm_map_load_table. */
evm_status evm_table_export(const char *path, const evm_table_opts *o,
                            evm_format fmt, const char *out,
                            evm_table_stats *stats, evm_error *err);

/* --------------------------------------------------------------- batches
 * Many maps in one process: a list of jobs (spec files or inline specs
 * with per-job overrides), rendered by a pool of worker threads that
 * share the gazetteer and the renderer's basemap; each map loads and
 * resolves its own spec and draws with its own PROJ context, cairo
 * surface and (per thread) Pango font map. A failing map is reported
 * and counted; it never stops the others and never leaves a file. */

/* Calendar periods of a time series. Weeks are ISO weeks (Monday to
 * Sunday); months run from the first to the last day. */
typedef enum {
    EVM_BY_NONE = 0, EVM_BY_DAY, EVM_BY_WEEK, EVM_BY_MONTH
} evm_period;

/* "day", "week", "month" (also "daily", "weekly", "monthly", "none")
 * -> the period; EVM_BY_NONE for "none", NULL or anything else. */
evm_period evm_period_from_name(const char *name);
/* The period's name ("day", ...; "none"). Static string. */
const char *evm_period_name(evm_period p);

/* One frame of a time series. */
typedef struct evm_series_frame {
    char first[11];  /* first day of the period, "2022-01-03": the date in
                      * the frame's file name */
    char last[11];   /* last day of the period */
    char label[64];  /* for the subtitle: "6 January 2022", "Week of 3
                      * January 2022", "January 2022"; cumulative: "up to
                      * 6 January 2022", "up to 9 January 2022" (a week's
                      * last day), "up to 31 January 2022" */
} evm_series_frame;

/* Largest number of frames one series may have. */
#define EVM_MAX_FRAMES 100000

/* The frames of a series by `by` from the period holding day `first` to
 * the one holding day `last` (ISO days "YYYY-MM-DD", first <= last), in
 * order. Returns the number of frames and *out, an array the caller
 * frees with free(); or -1, *out NULL and err (EVM_E_INPUT) for bad days,
 * last before first, by EVM_BY_NONE, or more than EVM_MAX_FRAMES. */
int evm_series_frames(evm_period by, const char *first, const char *last,
                      int cumulative, evm_series_frame **out,
                      evm_error *err);

/* The first and last day among the map's dated events, movements and
 * areas (the map need not be resolved). Returns EVM_OK, or EVM_E_INPUT
 * with "FILE: no event, movement or area has a date ..." when none is
 * dated. */
evm_status evm_map_date_range(const evm_map *m, char first[11],
                              char last[11], evm_error *err);

/* Parses a date window: "2022-01-06" (that day), "2022-01" (that
 * month), "2022-01-02..2022-01-05", "2022-01-03.." or "..2022-01-05"
 * (open ends). Writes the inclusive ends into from and to ("" for an
 * open end). Returns EVM_OK or EVM_E_INPUT with err saying why. */
evm_status evm_date_window_parse(const char *s, char from[11], char to[11],
                                 evm_error *err);

/* One job of a batch: a spec (file or inline) and what it overrides.
 * Unset overrides are 0, -1 or NULL as noted; they fall back to
 * evm_batch_opts.render / .by / .cumulative, then to the spec. */
typedef struct evm_batch_job {
    char *spec;          /* spec file path; NULL for an inline spec */
    char *text;          /* an inline spec's YAML/JSON text given by the
                          * caller, else NULL */
    size_t text_len;
    struct evm__ydoc *inline_doc; /* internal, set by the manifest
                          * reader: the parsed manifest holding the
                          * job's inline spec (shared by its jobs, so
                          * that anchors carry from job to job); else
                          * NULL. Freed with the jobs */
    int inline_node;     /* internal: the inline spec's node in it */
    char *name;          /* for messages and relative paths in the spec:
                          * the spec path, or the manifest's path */
    char *output;        /* output name relative to the output directory
                          * ("maps/almaty.png"); NULL: <spec stem>.<ext>,
                          * or <manifest stem>-<job number>.<ext> */
    char *manifest;      /* the manifest the job came from, or NULL */
    int line, col;       /* where the job is in it; 0 if none */
    evm_format format;   /* EVM_FMT_AUTO: unset */
    int width, height;   /* 0: unset */
    double dpi;          /* 0: unset */
    int theme;           /* -1: unset, else an evm_theme */
    char *date_from, *date_to; /* window (ISO days); NULL: unset. When
                          * either is set the pair replaces the default
                          * window */
    char *subtitle;      /* NULL: unset */
    evm_period by;       /* EVM_BY_NONE: unset */
    int cumulative;      /* -1: unset */
} evm_batch_job;

/* A list of jobs. Owns every string of its jobs. */
typedef struct evm_batch_jobs {
    evm_batch_job *v;
    int n, cap;
} evm_batch_jobs;

void evm_batch_jobs_init(evm_batch_jobs *jobs);
/* Frees every job and the array; leaves an empty list. NULL is fine. */
void evm_batch_jobs_free(evm_batch_jobs *jobs);
/* Appends a job for the spec file at path with nothing overridden.
 * Returns a pointer to it (valid until the next append) for the caller
 * to set overrides (strings set there must be malloc'ed: the list frees
 * them), or NULL and err (out of memory). */
evm_batch_job *evm_batch_jobs_add_spec(evm_batch_jobs *jobs,
                                       const char *path, evm_error *err);

/* Reads a manifest (YAML or JSON) and appends its jobs. The manifest is
 * a list of jobs, or a mapping with `jobs:` and optional `defaults:`
 * (overrides applied to every job that does not set them). A job is a
 * spec path (relative to the manifest's directory) or a mapping with
 * `spec:` (a path or an inline spec) and any of output, format, size,
 * dpi, theme, date, subtitle, by, cumulative. Errors name
 * manifest:line:col and what to do (EVM_E_INPUT; EVM_E_IO when the file
 * cannot be read); on error nothing is appended. */
evm_status evm_manifest_load(const char *path, evm_batch_jobs *jobs,
                             evm_error *err);
/* The same from a buffer; name is used in messages and its directory
 * anchors relative spec paths. */
evm_status evm_manifest_load_buffer(const char *name, const char *buf,
                                    size_t len, evm_batch_jobs *jobs,
                                    evm_error *err);
/* Appends one job per spec in directory dir (*.yaml, *.yml, *.json, not
 * hidden, not in subdirectories), in byte order of their names, so that
 * every machine sees the same order. EVM_E_INPUT when there is none,
 * EVM_E_IO when dir cannot be read. */
evm_status evm_batch_jobs_from_dir(const char *dir, evm_batch_jobs *jobs,
                                   evm_error *err);

/* What happened to one map, as reported to evm_batch_opts.report. */
typedef struct evm_batch_result {
    int job;              /* index into the jobs */
    const char *spec;     /* the job's spec path, or its manifest's */
    const char *where;    /* the job for messages: "manifest:line:col",
                           * or the spec path when it has no manifest */
    const char *output;   /* the output path (NULL if it has none) */
    const char *frame;    /* first day of the frame's period, or NULL */
    evm_status status;    /* EVM_OK: written or skipped; else failed */
    int skipped;          /* skip_existing found the file there */
    const evm_error *err; /* the failure (status != EVM_OK), else NULL */
    int done, total;      /* maps finished so far (any outcome) / in run */
    int written, failed, skipped_total;
} evm_batch_result;

typedef struct evm_batch_opts {
    const char *out_dir;   /* where outputs go; NULL or "": the current
                            * directory. Created when missing */
    int threads;           /* worker threads; 0: one per online core */
    int shard_index;       /* this run renders the maps whose number n
                            * (0-based, in job order, each frame of a
                            * series one map) has n % shard_count == */
    int shard_count;       /* shard_index; 0 or 1: every map */
    evm_render_opts render;/* defaults under each job's overrides */
    evm_period by;         /* default time series (EVM_BY_NONE: none) */
    int cumulative;        /* frames show everything up to their end */
    int skip_existing;     /* outputs already there count as skipped */
    int allow_any_path;    /* accept absolute and ".." output names */
    const evm_gazetteer *gazetteer; /* NULL: the shipped one is opened */
    const evm_renderer *renderer;   /* NULL: one is made for the run */
    /* Called once per map, from worker threads but never two at once,
     * in the order maps finish. May be NULL. */
    void (*report)(void *ud, const evm_batch_result *r);
    void *report_ud;
    /* Polled before each map starts (under the same lock); non-zero:
     * start no more maps (those running finish). For signal handlers.
     * May be NULL. */
    int (*cancelled)(void *ud);
    void *cancel_ud;
} evm_batch_opts;

void evm_batch_opts_init(evm_batch_opts *o);

typedef struct evm_batch_summary {
    int jobs;          /* jobs given */
    int maps;          /* maps in every shard (frames counted) */
    int total;         /* maps this run (shard) was to make */
    int written, failed, skipped;
    int done;          /* written + failed + skipped */
    int cancelled;     /* cancelled() stopped the run before the end */
    int stale_removed; /* stale temporary files removed before the run */
    evm_status worst;  /* EVM_OK, or the first failure's class */
} evm_batch_summary;

/* Runs the jobs. First plans every map of every shard (output names,
 * refused paths, duplicate outputs, frames: series specs are parsed
 * here), and fails with EVM_E_INPUT naming the job (manifest:line:col)
 * before anything renders when an output name is refused or used
 * twice. Then removes stale temporary files (".NAME.tmpXXXXXX" of this
 * run's outputs, older than the run) and renders this shard's maps on
 * o->threads threads. Every file is written to a temporary name and
 * renamed into place. Returns EVM_OK when the run took place (maps may
 * have failed or the run been cancelled: see *sum), or the error that
 * kept it from starting. sum may be NULL. Call FcInit() once before the
 * first batch (fontconfig's set-up is not for threads racing to it);
 * the library itself never initialises process-wide state. */
evm_status evm_batch_run(const evm_batch_jobs *jobs,
                         const evm_batch_opts *o, evm_batch_summary *sum,
                         evm_error *err);

/* ------------------------------------------------------------- geoparse */

/* One place name found in a text. */
typedef struct evm_toponym {
    size_t start, end;    /* code points into the text, end exclusive */
    size_t byte_start, byte_end; /* the same in bytes */
    int resolved;         /* 1: place holds where it is; 0: recognised
                             as a place but not placed (lat/lon unknown) */
    int demonym;          /* 1: an adjective or demonym standing for a
                             country ("Kazakh"), reported only on request */
    evm_place place;      /* the resolved place (name is the text's when
                             not resolved); strings borrowed from the
                             gazetteer or static */
    double score;         /* 0..1: confidence that this is the place */
} evm_toponym;

typedef struct evm_geoparse_opts {
    int demonyms;         /* also report demonyms and country adjectives */
    const char *country;  /* ISO alpha-2 the text is known to be about, or
                             NULL */
} evm_geoparse_opts;

/* Finds the place names of text[0..len) (UTF-8 news prose) with the
 * gazetteer and resolves each in the context of the whole text: the
 * countries it is about, places named together, qualifiers ("Paris,
 * Texas"), kind words ("Almaty airport"); one sense per name per text.
 * Writes a malloc'ed array of the toponyms in text order to *out (the
 * caller frees it with free(); NULL when there are none) and returns how
 * many, or -1 and err: EVM_E_INPUT with the byte offset when the text is
 * not UTF-8, EVM_E_NOMEM. Texts over 16 MB are refused (EVM_E_TOOBIG):
 * cut a longer stream at paragraph breaks (evmap geoparse does). opts
 * may be NULL. Thread-safe for distinct texts on one gazetteer. */
long evm_geoparse(const evm_gazetteer *gz, const char *text, size_t len,
                  const evm_geoparse_opts *opts, evm_toponym **out,
                  evm_error *err);
#define EVM_GEOPARSE_MAX_TEXT (16u << 20)

/* Drafts a map spec (YAML) from a news report text[0..len): title from
 * the headline, subtitle from the dateline, source from the agencies
 * cited; events typed in the ACLED vocabulary with dates, fatalities,
 * labels and `confidence: claimed` for attributed statements; movements
 * ("from A to B") with side and type; areas for what is said of a whole
 * country or region. Each element carries a YAML comment quoting its
 * sentence. Returns a malloc'ed NUL-terminated spec the caller frees, or
 * NULL and err: EVM_E_NOTFOUND "no places found" when the report names
 * no place, EVM_E_INPUT for text that is not UTF-8 (with its byte
 * offset), EVM_E_TOOBIG over EVM_GEOPARSE_MAX_TEXT. */
char *evm_extract(const evm_gazetteer *gz, const char *text, size_t len,
                  evm_error *err);
/* 1 when path is a plain-text report (.txt of prose, not a table). */
int evm_path_is_report(const char *path);

#ifdef __cplusplus
}
#endif
#endif
