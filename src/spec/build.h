/* The model's builders: what a reader calls to append to a map. */
#ifndef EVM_SPEC_BUILD_H
#define EVM_SPEC_BUILD_H

#include "model.h"

/* Append deep copies to m's events, movements and areas (owned by m).
 * Return 0, or -1 when memory runs out (the map stays valid and may be
 * freed; the element may be partly copied). */
int evm__map_add_event(evm_map *m, const evm_event *e);

/* The most events one map holds (a table drawn as an image, or read
 * through a spec's events: { from: }): about 600 MB of records and
 * their drawing. Converting a table (evm_table_export) streams and has no
 * such limit. */
#define EVM_MAX_MAP_EVENTS 5000000
/* For a reader's callback before evm__map_add_event: 0 while m has room
 * for e, else -1 with err set (EVM_E_INPUT, file:line, what to do). */
int evm__map_event_room(const evm_map *m, const char *file,
                        const evm_event *e, evm_error *err);
/* A table row's event appended to m (a reader's callback for a map):
 * the room check above, then evm__map_add_event; keep_label 0 keeps
 * only whether the row has a label (an empty one), not its text. 0, or
 * -1 with err set (EVM_E_INPUT when full, EVM_E_NOMEM). */
int evm__map_add_row(evm_map *m, const char *file, const evm_event *e,
                     int keep_label, evm_error *err);
int evm__map_add_movement(evm_map *m, const evm_movement *mv);
int evm__map_add_area(evm_map *m, const evm_area *a);

/* A map's arena of table rows' strings (strpool.c), created on first
 * use in *pp: copy puts s in it, intern also returns the same storage for
 * equal strings (for values repeated across rows). NULL for NULL s; on
 * no memory, NULL with *bad set. The strings live until
 * evm__strpool_free (evm_map_free). */
typedef struct evm__strpool evm__strpool;
const char *evm__strpool_copy(evm__strpool **pp, const char *s, int *bad);
const char *evm__strpool_intern(evm__strpool **pp, const char *s, int *bad);
/* A copy of h with its strings interned, the same storage for equal
 * hints; NULL for NULL or an all-empty h (and on no memory, with *bad
 * set). Never to be written: a place reference holding it is borrowed. */
const evm_placehint *evm__strpool_hint(evm__strpool **pp,
                                       const evm_placehint *h, int *bad);
void evm__strpool_free(evm__strpool *p);

/* "auto", "markers", "points", "hexbin", "heatmap" -> the style; -1
 * for anything else. And back (a static name). */
int evm__style_from_name(const char *name);
const char *evm__style_name(evm_style s);
/* The measure's name ("auto", "events", "fatalities"), and the one
 * closest to a misspelt name (NULL: none near). */
const char *evm__measure_name(evm_measure k);
const char *evm__measure_nearest(const char *name);

#endif
