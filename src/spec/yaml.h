/* The one YAML reader of evmap. Specs and batch manifests (YAML, or JSON,
 * which libyaml reads as YAML flow style) are both read here, so that the
 * same limits hold for both, checked once:
 *
 *   - a file of at most EVM_YAML_MAX_BYTES (16 MB), valid UTF-8;
 *   - at most EVM_YAML_MAX_DEPTH levels of nesting, EVM_YAML_MAX_ANCHORS
 *     anchors (&name) and EVM_YAML_MAX_ALIASES aliases (*name), counted
 *     on libyaml's event stream before its document loader runs (its
 *     scanner is quadratic in the flow nesting depth and its loader looks
 *     each alias up in a linear list of anchors);
 *   - walks over the node tree that visit at most 16 nodes per node of
 *     the document (plus 100,000) and take in at most twice its text
 *     (plus 1 MB), so that aliases, even cyclic ones, cannot expand a
 *     small file into a large amount of work or memory.
 *
 * Every error names file:line:col. Only this reader calls libyaml's
 * parser; spec.c and batch/manifest.c say what the nodes mean.
 *
 * A loaded document (evm__ydoc) is immutable and reference-counted, so
 * that a manifest's jobs can share it: an inline spec is a node of its
 * manifest's document, and anchors defined in one job are usable in the
 * next. Walks of one document may run on several threads at once. */
#ifndef EVM_SPEC_YAML_H
#define EVM_SPEC_YAML_H

#include <stddef.h>
#include <yaml.h>

#include "evmap.h"

#define EVM_YAML_MAX_BYTES ((size_t)16 << 20)
#define EVM_YAML_MAX_DEPTH 32
#define EVM_YAML_MAX_ANCHORS 256
#define EVM_YAML_MAX_ALIASES 65536

/* What kind of file is read, for messages. */
typedef struct evm__ykind {
    const char *noun;       /* "spec", "manifest" */
    const char *depth_hint; /* "a spec needs at most 6" */
    const char *empty_hint; /* after "the spec is empty; " */
    const char *multi_hint; /* after "a second YAML document (after ---); " */
    const char *big_hint;   /* after "over the 16 MB limit; " */
} evm__ykind;

/* A loaded YAML document: one per file, immutable once loaded. */
typedef struct evm__ydoc {
    yaml_document_t doc;
    char *file;           /* name for messages (malloc'ed) */
    size_t dirlen;        /* length of its directory prefix ("a/b/") */
    size_t len;           /* bytes of the source text */
    long nodes;           /* nodes in doc */
    const evm__ykind *kind;
    int refs;             /* owners; see evm__ydoc_ref/unref */
} evm__ydoc;

/* Parses buf (len bytes, need not be NUL-terminated) of the file named
 * name (NULL: "<spec>" or "<manifest>") under the limits above. Refuses
 * an empty document and a second document. Returns a document with one
 * reference (release with evm__ydoc_unref), or NULL and err: EVM_E_INPUT
 * naming name:line:col, EVM_E_TOOBIG, EVM_E_NOMEM or EVM_E_USAGE (a NULL
 * buf with len > 0). */
evm__ydoc *evm__ydoc_load(const evm__ykind *kind, const char *name,
                          const char *buf, size_t len, evm_error *err);
/* Reads the file at path ("-" is stdin) once, then as evm__ydoc_load.
 * An unreadable file is EVM_E_IO. */
evm__ydoc *evm__ydoc_load_file(const evm__ykind *kind, const char *path,
                               evm_error *err);
/* Takes one more reference; returns d. */
evm__ydoc *evm__ydoc_ref(evm__ydoc *d);
/* Drops one reference, freeing d with the last. NULL is fine. */
void evm__ydoc_unref(evm__ydoc *d);
/* The root node (never NULL for a loaded document). */
yaml_node_t *evm__ydoc_root(const evm__ydoc *d);

/* A walk over a document: the budgets of the safety note above and the
 * first error. */
typedef struct evm__yrd {
    const evm__ydoc *d;
    const char *file;     /* d->file */
    size_t dirlen;        /* d->dirlen */
    evm_error *err;
    long budget;          /* node visits left */
    size_t bytes_left;    /* text bytes the walk may still take in */
    evm_map *m;           /* a spec walk: the map being filled */
} evm__yrd;

/* Starts a walk of d with fresh budgets; errors go to err. */
void evm__yrd_init(evm__yrd *r, const evm__ydoc *d, evm_error *err);

/* Sets the error "file:line:col: ..." at node n (NULL: 1:1) and returns
 * -1. The first error wins. */
int evm__y_fail(evm__yrd *r, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets "out of memory" and returns -1. */
int evm__y_nomem(evm__yrd *r);

/* The node with id below parent, counted against the visit budget; NULL
 * with the error set when the budget is spent. */
yaml_node_t *evm__y_child(evm__yrd *r, const yaml_node_t *parent, int id);

/* Reads the keys of mapping n (what names it in messages) into vals[i]
 * for keys[i] (a NULL-terminated list of at most 32). Unknown keys (with
 * the nearest valid one suggested) and duplicate keys are errors. */
int evm__y_read_map(evm__yrd *r, const yaml_node_t *n, const char *what,
                    const char *const *keys, yaml_node_t **vals);

/* The text of scalar n for key, counted against the text budget; NULL
 * with an error when n is a list or mapping or holds a NUL. */
const char *evm__y_text(evm__yrd *r, const yaml_node_t *n, const char *key);

/* A short rendering of n for "got ..." in messages: 42, "text",
 * [0, 1000], a mapping. Writes into b, returns b. */
const char *evm__y_describe(evm__yrd *r, const yaml_node_t *n, char b[160]);
/* "a mapping", "a list" or "a single value". */
const char *evm__y_type_word(const yaml_node_t *n);

static inline int evm__y_is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

static inline const char *evm__y_sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static inline int evm__y_is_plain(const yaml_node_t *n)
{
    return evm__y_is_scalar(n) &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A YAML null: an empty plain scalar, "~" or "null" (any case). */
int evm__y_is_null(const yaml_node_t *n);

/* 1-based line and column of node n's start. */
static inline int evm__y_line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

static inline int evm__y_col(const yaml_node_t *n)
{
    return (int)n->start_mark.column + 1;
}

#endif
