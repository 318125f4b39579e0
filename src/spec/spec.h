/* Internals of the spec reader shared by the files of src/spec, the CLI
 * and the later table readers: model construction, value parsers (dates,
 * colours, movement types), the type vocabulary's suggestion helper and
 * place resolution with per-reference reporting. Not public API. */
#ifndef EVM_SPEC_H
#define EVM_SPEC_H

#include "core/date.h"
#include "model.h"
#include "spec/yaml.h"

/* Largest spec file read (bytes): the YAML reader's limit. */
#define EVM_SPEC_MAX_BYTES EVM_YAML_MAX_BYTES

/* The YAML reader's words for specs (for evm__ydoc_load). Static. */
const evm__ykind *evm__spec_kind(void);
/* The spec at node n of document d (a spec file's root, or an inline
 * spec of a manifest): a new map (caller frees with evm_map_free), or
 * NULL and err naming d's file:line:col. Walks of one d may run on
 * several threads at once. */
evm_map *evm__map_from_node(const evm__ydoc *d, const yaml_node_t *n,
                            evm_error *err);

/* A new empty map with the defaults (1600x1000, light theme, extent and
 * inset auto). file (may be NULL) is copied for messages. Caller frees
 * with evm_map_free. NULL and err on out of memory. */
evm_map *evm__map_new(const char *file, evm_error *err);

/* Parses "#rgb" or "#rrggbb" (any case) into "#rrggbb" lower case.
 * Returns 0, or -1 on anything else. */
int evm__parse_color(const char *s, char out[8]);

/* Unicode case folding (NFC) of UTF-8 s, for comparing place names.
 * Returns a malloc'ed string the caller frees, or NULL on failure. */
char *evm__casefold(const char *s);

/* Movement type names ("advance", ...): name -> type (-1 if unknown) and
 * type -> static name. */
int evm__move_type_find(const char *name);
const char *evm__move_type_str(evm_move_type t);

/* The accepted event-type name closest to name, or NULL (static). */
const char *evm__event_type_suggest(const char *name);
/* The vocabulary's canonical entries: count and the i-th (static). */
int evm__event_type_count(void);
const evm_event_type *evm__event_type_at(int i);

/* The checks of a parsed map that render would otherwise fail on
 * (check.c): a layer, background or area file that is not there
 * (EVM_E_IO, "kaz.yaml:12:9: layer: roads.shp: No such file or
 * directory"), nothing to map (no events, movements or areas and no
 * extent), or a projection PROJ does not know ("kaz.yaml:2:13:
 * projection \"EPSG:99999\": crs not found; ...", EVM_E_INPUT).
 * Returns EVM_OK or the error. */
evm_status evm__map_check(const evm_map *m, evm_error *err);

/* Every place reference of m (event places, movement ends and vias, area
 * places, the extent place) in file order. Returns a malloc'ed array of
 * pointers into m (caller frees the array only) and its length in *n, or
 * NULL with *n = 0 when there are none or memory ran out (*n = -1). */
evm_placeref **evm__map_placerefs(evm_map *m, int *n);

/* Called once for every place reference that fails to resolve, with the
 * error for it ("file:line:col: unknown place ..."). */
typedef void (*evm__resolve_report_fn)(void *ud, const evm_placeref *p,
                                       const evm_error *e);
/* evm_map_resolve that keeps going after a failure: every reference it
 * can resolve is filled in, report (may be NULL) hears about each one it
 * cannot, and err holds the first failure. gz may be NULL (only the
 * spec's places: and coordinates then resolve). */
evm_status evm__map_resolve_report(evm_map *m, const evm_gazetteer *gz,
                                   evm__resolve_report_fn report, void *ud,
                                   evm_error *err);

/* Fills p from a gazetteer match (name, id, kind, country, point,
 * precision); -1 out of memory. */
int evm__placeref_fill(evm_placeref *p, const evm_place *g);

/* areas.c: after the places resolved, makes every area's place one with
 * a polygon in the shipped basemap (see the top of areas.c): a city that
 * is an admin-1 unit of its own becomes that unit, a name that also
 * reads as a country or a region elsewhere becomes that; any other area
 * whose place has no polygon is reported (report, and *first if it holds
 * no error yet). Returns 0, or -1 when an area was reported. */
int evm__areas_resolve(evm_map *m, const evm_gazetteer *gz,
                       evm__resolve_report_fn report, void *ud,
                       evm_error *first);
/* The error for area a whose place has no polygon when it is drawn or
 * written (file: the spec's): "file:line:col: area ...". EVM_E_INPUT. */
evm_status evm__area_no_polygon(evm_error *err, const char *file,
                                const evm_area *a);

#endif
