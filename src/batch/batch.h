/* Internals of the batch engine shared by the files of src/batch and the
 * tests: the plan (every map of every shard with
 * its output path and options) and output-name checks. Not public API. */
#ifndef EVM_BATCH_H
#define EVM_BATCH_H

#include "core/date.h"
#include "evmap.h"

/* One map of a batch. */
struct evm__task {
    int job;              /* index into the jobs */
    int frame;            /* index of the frame in its series, or -1 */
    char *output;         /* full output path (malloc'ed) */
    char *key;            /* normalised output name for duplicate checks
                           * (malloc'ed) */
    char from[11], to[11];/* date window; "" = open */
    char frame_day[11];   /* first day of the frame's period, or "" */
    char *subtitle;       /* NULL: the spec's (malloc'ed) */
    evm_render_opts ro;   /* options for this map; its string fields
                           * point into this task */
    evm_error *fail;      /* a failure found while planning (the spec of
                           * a series could not be read, has no dates),
                           * reported when the map's turn comes; or NULL */
};

/* Every map of every shard, in job order, and this shard's share. */
struct evm__plan {
    struct evm__task *t;
    int n;
    int *mine;            /* indexes into t of this shard's maps */
    int nmine;
};

/* Builds the plan for jobs under o (see evm_batch_run). Returns EVM_OK,
 * or EVM_E_INPUT (refused or duplicate output names, bad shard, by with
 * a format that has no frames) / EVM_E_NOMEM with err; the plan is then
 * empty. Free with evm__plan_free. */
evm_status evm__plan_build(const evm_batch_jobs *jobs,
                           const evm_batch_opts *o, struct evm__plan *p,
                           evm_error *err);
void evm__plan_free(struct evm__plan *p);

/* Whether an output name given in a manifest may be used: not empty, no
 * trailing '/', and unless allow_any, relative with no ".." component.
 * Returns NULL when it may, else a static reason ("is absolute", ...). */
const char *evm__output_name_refused(const char *name, int allow_any);

/* The extension written for format f ("png", "svg", ...). Static. */
const char *evm__format_ext(evm_format f);

/* The map of job j, parsed only: its inline spec (a node of its
 * manifest), its text or its spec file. A new map (caller frees with
 * evm_map_free) or NULL and err. Safe on several threads at once. */
evm_map *evm__job_load_map(const evm_batch_job *j, evm_error *err);

/* How a job is described in messages: "manifest.yaml:7:5" for a job of a
 * manifest, else its spec path. Writes into buf (n bytes), returns buf. */
const char *evm__job_where(const evm_batch_job *j, char *buf, size_t n);

#endif
