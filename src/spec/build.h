/* The model's builders: what a reader calls to append to a map. */
#ifndef EVM_SPEC_BUILD_H
#define EVM_SPEC_BUILD_H

#include "model.h"

/* Append deep copies to m's events, movements and areas (owned by m).
 * Return 0, or -1 when memory runs out (the map stays valid and may be
 * freed; the element may be partly copied). */
int evm__map_add_event(evm_map *m, const evm_event *e);
int evm__map_add_movement(evm_map *m, const evm_movement *mv);
int evm__map_add_area(evm_map *m, const evm_area *a);

/* "auto", "markers", "points", "hexbin", "heatmap" -> the style; -1
 * for anything else. And back (a static name). */
int evm__style_from_name(const char *name);
const char *evm__style_name(evm_style s);

#endif
