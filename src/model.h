/* The in-memory map model: plain data produced by src/spec (and later the
 * table readers), resolved by the gazetteer, read by render/ and export/.
 * Renderers never call back into parsing. All strings are owned by the
 * model (malloc'ed) and freed by evm_map_free. */
#ifndef EVM_MODEL_H
#define EVM_MODEL_H

#include "evmap.h"

/* Position of a value in its source file, for error messages. */
typedef struct evm_srcpos {
    int line, col; /* 1-based; 0 when unknown */
} evm_srcpos;

/* ACLED event categories plus the infrastructure/economic one: each has a
 * colour and a marker shape (CARTOGRAPHY.md). */
typedef enum {
    EVM_CAT_BATTLES = 0,
    EVM_CAT_EXPLOSIONS,      /* Explosions/Remote violence */
    EVM_CAT_VIOLENCE_CIV,    /* Violence against civilians */
    EVM_CAT_PROTESTS,
    EVM_CAT_RIOTS,
    EVM_CAT_STRATEGIC,       /* Strategic developments */
    EVM_CAT_INFRA,           /* infrastructure / economic (oil, rail, net) */
    EVM_CAT_COUNT
} evm_category;

/* Inner glyph drawn inside a category's marker for some sub-types. */
typedef enum {
    EVM_GLYPH_NONE = 0,
    EVM_GLYPH_FLAG,      /* seizure, territory taken */
    EVM_GLYPH_BARS,      /* arrests */
    EVM_GLYPH_SQUARE,    /* base / HQ established */
    EVM_GLYPH_DROP,      /* oil, gas */
    EVM_GLYPH_RAILS,     /* rail */
    EVM_GLYPH_SIGNAL,    /* internet, telecom, outage */
    EVM_GLYPH_FIRE,      /* arson */
    EVM_GLYPH_PLANE,     /* airlift, airport */
    EVM_GLYPH_COUNT
} evm_glyph;

/* One entry of the event-type vocabulary (src/spec/types.c). */
typedef struct evm_event_type {
    const char *key;            /* canonical short key: "riot", "seizure" */
    const char *event_type;     /* ACLED event_type */
    const char *sub_event_type; /* ACLED sub_event_type or NULL */
    evm_category cat;
    evm_glyph glyph;
    const char *legend;         /* legend text: "Riot", "Seizure" */
} evm_event_type;

/* Looks a type name up: canonical key, alias, ACLED event_type or
 * sub_event_type, case-insensitive. NULL if unknown. */
const evm_event_type *evm__event_type_find(const char *name);
/* NULL-terminated list of every accepted name, for suggestions. */
const char *const *evm__event_type_names(void);

typedef enum {
    EVM_MOVE_ADVANCE = 0, EVM_MOVE_WITHDRAWAL, EVM_MOVE_AIRLIFT,
    EVM_MOVE_DEPLOYMENT, EVM_MOVE_ATTACK, EVM_MOVE_SUPPLY, EVM_MOVE_COUNT
} evm_move_type;

/* The parts of a place reference that only a place written by name
 * uses: its hints and what the gazetteer made of it. Kept behind a
 * pointer so that a table's rows, which mostly give coordinates, carry
 * one pointer for all of them (a million rows are a million records). */
typedef struct evm_placehint {
    char *country;       /* hint: ISO alpha-2 or name */
    char *kind;          /* hint: "city", "airport", "oil field" ... */
    char *near;          /* hint: a place name, or NULL */
    double near_lon, near_lat;
    int has_near_coord;
    /* filled by resolve (NULL when coords were given) */
    char *resolved_name, *resolved_id, *resolved_kind;
    char *file;          /* the file pos refers to when it is not the
                          * map's own (a table read through events: {
                          * from: FILE }); NULL otherwise */
} evm_placehint;

/* Every field of evm_placehint empty: what EVM_H reads through a NULL. */
extern const evm_placehint evm__nohint;
/* A place reference's hint for reading: never NULL. */
#define EVM_H(p) ((p)->h ? (const evm_placehint *)(p)->h : &evm__nohint)

/* A reference to a place: either a name (with hints) to resolve, or
 * coordinates given directly. After evm_map_resolve, has_coord is 1 and
 * lon/lat hold the result; h->resolved_* describe the gazetteer match. */
typedef struct evm_placeref {
    char *name;          /* as written; NULL when only coordinates were
                          * given (with both, the coordinates win and the
                          * name is kept for labels) */
    evm_placehint *h;    /* NULL: no hints, nothing resolved; read it
                          * through EVM_H, write it through
                          * evm__placeref_hint */
    double lon, lat;
    evm_srcpos pos;
    char resolved_country[3];
    unsigned char has_coord;
    unsigned char precision; /* an evm_precision: EVM_PREC_EXACT unless a
                              * table or the geocoder says the place is
                              * approximate */
    unsigned char borrowed;  /* name and h (and h's strings) live in the
                              * map's string arena (a table's rows): not
                              * freed one by one, never written in place */
} evm_placeref;

typedef struct evm_event {
    evm_placeref where;
    const evm_event_type *type;  /* from the vocabulary (never NULL) */
    char *date;                  /* ISO 8601 day "2022-01-06" or NULL */
    char *time;                  /* RFC 3339 "2022-01-06T14:00:00Z" or NULL */
    char *label;                 /* with from_table, date, time, label
                                  * and side are borrowed from the map's
                                  * strings */
    char *side;                  /* actor, or NULL */
    evm_srcpos pos;
    int fatalities;              /* -1: not given */
    unsigned char claimed;       /* confidence: claimed */
    unsigned char from_table;    /* read from an event table: maps label
                                  * its place with a summary, not the
                                  * row's notes or actors */
} evm_event;

typedef struct evm_movement {
    evm_placeref from, to;
    evm_placeref *via;
    int nvia;
    evm_move_type type;
    char *side;
    char *color;                 /* "#rrggbb" override or NULL */
    char *label;
    char *date;
    int claimed;
    evm_srcpos pos;
} evm_movement;

typedef struct evm_area {
    evm_placeref where;          /* a country or admin-1 name (polygon) */
    char *path;                  /* or a polygon file (GDAL source) */
    char *type;                  /* free text: "unrest", "control" ... */
    char *side;
    char *color;
    char *label;
    char *date;
    int claimed;
    evm_srcpos pos;
} evm_area;

typedef struct evm_layer {
    char *path;
    char *stroke, *fill;         /* "#rrggbb" or NULL */
    double width;                /* 0: default */
    evm_srcpos pos;
} evm_layer;

typedef struct evm_user_place {
    char *name;
    double lon, lat;
    char *country, *kind;
    evm_srcpos pos;
} evm_user_place;

typedef enum { EVM_EXTENT_AUTO = 0, EVM_EXTENT_BBOX, EVM_EXTENT_PLACE } evm_extent_mode;
typedef enum { EVM_INSET_AUTO = 0, EVM_INSET_ON, EVM_INSET_OFF } evm_inset_mode;
/* What lies under the map's lines: flat land and water colours, the
 * shipped Natural Earth shaded relief, or the user's own raster. */
typedef enum { EVM_BG_NONE = 0, EVM_BG_RELIEF, EVM_BG_FILE } evm_background;
/* How events are drawn: auto (markers while the places fit, else an
 * aggregate), one symbol per place, a dot per event, hexagonal bins, or
 * a kernel density. Set by the spec's `style:` or `--style`. */
typedef enum {
    EVM_STYLE_AUTO = 0,
    EVM_STYLE_MARKERS,
    EVM_STYLE_POINTS,
    EVM_STYLE_HEXBIN,
    EVM_STYLE_HEATMAP
} evm_style;
/* What the events' symbols, hexagons and density show: auto (deaths when
 * the events have any for markers, the number of events for hexagons and
 * density), the number of events, or the deaths. Set by the spec's
 * `measure:` or `--measure`. */
typedef enum {
    EVM_MEASURE_AUTO = 0,
    EVM_MEASURE_EVENTS,
    EVM_MEASURE_FATALITIES
} evm_measure;

struct evm_map {
    char *file;                  /* source file name, for messages */
    char *title, *subtitle, *source;
    int width, height;           /* default 1600 x 1000 */
    evm_extent_mode extent_mode;
    double extent[4];            /* lon_min, lat_min, lon_max, lat_max */
    char *extent_place;
    /* EVM_EXTENT_PLACE: the same name as a place reference; resolve
     * fills its point (the polygon, if any, is found by geo/basemap) */
    evm_placeref extent_where;
    char *projection;            /* NULL or "auto", "EPSG:3857", PROJ string */
    evm_srcpos projection_pos;   /* where the spec sets it (0:0: nowhere) */
    evm_theme theme;
    evm_inset_mode inset;
    evm_background background;
    char *background_path;       /* EVM_BG_FILE: the raster (GDAL) */
    evm_srcpos background_pos;   /* where the spec sets it */
    char *context_country;       /* disambiguation hint for every name */
    int fallback;                /* -1: an unknown place is an error; else
                                    the coarsest evm_precision a qualified
                                    name may be placed at (its qualifier's
                                    area) when the name is not found; -2:
                                    not set (evm_set_default_fallback) */
    evm_style style;             /* EVM_STYLE_AUTO unless set */
    evm_measure measure;         /* EVM_MEASURE_AUTO unless set */
    evm_user_place *places; int nplaces;
    evm_layer *layers;      int nlayers;
    evm_event *events;      int nevents;
    evm_movement *movements;int nmovements;
    evm_area *areas;        int nareas;
    int resolved;                /* evm_map_resolve succeeded */
    /* table rows' type names, dates, times, labels and sides: events with
     * from_table borrow them from here (src/spec/strpool.c) */
    struct evm__strpool *strings;
};

/* Frees one place reference's strings (not the struct itself). */
void evm__placeref_clear(evm_placeref *p);
/* The writable hint of an owned place reference, created empty on first
 * use; a borrowed one is made owned first (its strings copied). NULL
 * when memory runs out. */
evm_placehint *evm__placeref_hint(evm_placeref *p);
/* An owned deep copy of o in *out (NULL for NULL o). 0, or -1 when
 * memory runs out (*out NULL). */
int evm__placehint_dup(const evm_placehint *o, evm_placehint **out);
/* Makes a borrowed place reference own copies of its name and hint, so
 * that it may be written. 0, or -1 when memory runs out (unchanged). */
int evm__placeref_own(evm_placeref *p);

#endif
