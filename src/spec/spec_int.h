/* Shared by the files of src/spec that say what a spec means: spec.c
 * (the map's settings, the root, the entry points) and items.c (values,
 * place references, events, movements, areas, places and layers). They
 * walk the node tree of the YAML reader (yaml.h) with a walk whose m is
 * the map being filled. Not public API. */
#ifndef EVM_SPEC_INT_H
#define EVM_SPEC_INT_H

#include "spec/spec.h"
#include "spec/yaml.h"

#define MAX_NAME 256 /* bytes in a place name */

/* The reader's helpers under short names (see yaml.h for contracts). */
#define fail(r, n, ...) evm__y_fail(r, n, __VA_ARGS__)

static inline int nomem(evm__yrd *r)
{
    return evm__y_nomem(r);
}

static inline yaml_node_t *child(evm__yrd *r, const yaml_node_t *p, int id)
{
    return evm__y_child(r, p, id);
}

static inline int read_map(evm__yrd *r, const yaml_node_t *n,
                           const char *what, const char *const *keys,
                           yaml_node_t **vals)
{
    return evm__y_read_map(r, n, what, keys, vals);
}

static inline const char *text(evm__yrd *r, const yaml_node_t *n,
                               const char *key)
{
    return evm__y_text(r, n, key);
}

static inline const char *describe(evm__yrd *r, const yaml_node_t *n,
                                   char b[160])
{
    return evm__y_describe(r, n, b);
}

static inline const char *type_word(const yaml_node_t *n)
{
    return evm__y_type_word(n);
}

static inline int is_scalar(const yaml_node_t *n)
{
    return evm__y_is_scalar(n);
}

static inline const char *sval(const yaml_node_t *n)
{
    return evm__y_sval(n);
}

static inline int is_plain(const yaml_node_t *n)
{
    return evm__y_is_plain(n);
}

static inline int is_null(const yaml_node_t *n)
{
    return evm__y_is_null(n);
}

/* ---------------------------------------------------- items.c: values */

/* Copies optional text (n may be NULL; a YAML null leaves *out NULL). */
int evm__sp_opt_str(evm__yrd *r, const yaml_node_t *n, const char *key,
                    char **out);
/* A plain number (quoted text is refused: "1600" is a string). */
int evm__sp_number(evm__yrd *r, const yaml_node_t *n, const char *key,
                   double *v);
/* Case-insensitive match of n's text against a NULL-terminated word
 * list; the index or -1. */
int evm__sp_keyword(const yaml_node_t *n, const char *const *words);
/* A path relative to the spec's directory, resolved (absolute paths,
 * URLs and GDAL connection strings kept as written). */
int evm__sp_path_value(evm__yrd *r, const yaml_node_t *n, const char *key,
                       char **out);
/* A place name: trimmed, non-empty, bounded, no control characters. */
int evm__sp_place_name(evm__yrd *r, const yaml_node_t *n, const char *key,
                       char **out);
/* A place reference: a name, or {name, lat, lon, country, kind, near}.
 * need_name: coordinates alone are not enough (extent, areas). */
int evm__sp_placeref(evm__yrd *r, const yaml_node_t *n, const char *key,
                     evm_placeref *p, int need_name);

/* ----------------------------------------------------- items.c: items */

/* One item of events:, movements:, areas:, places:, layers: into the
 * zeroed struct given. Return 0, or -1 with the error set; a partly read
 * item frees with the map. */
int evm__sp_event(evm__yrd *r, const yaml_node_t *n, evm_event *e);
int evm__sp_movement(evm__yrd *r, const yaml_node_t *n, evm_movement *mv);
int evm__sp_area(evm__yrd *r, const yaml_node_t *n, evm_area *a);
int evm__sp_user_place(evm__yrd *r, const yaml_node_t *n,
                       evm_user_place *u);
int evm__sp_layer(evm__yrd *r, const yaml_node_t *n, evm_layer *l);

#endif
