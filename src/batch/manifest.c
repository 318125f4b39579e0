/* Batch manifests (YAML or JSON) and directories of specs -> job lists:
 * what a manifest means. It is read by the spec's YAML reader
 * (spec/yaml.h), under the same limits.
 *
 * A manifest is a list of jobs, or a mapping with `jobs:` and optional
 * `defaults:`. A job is a spec path, or a mapping with `spec:` (a path or
 * an inline spec) and overrides. An inline spec is a node of the parsed
 * manifest, which its job keeps a reference to: the spec reader walks it
 * there, so its file:line:col errors point into the manifest, and
 * anchors defined earlier in the manifest (in another job) work in it.
 * Every error here names manifest:line:col too. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "batch/batch.h"
#include "core/core.h"
#include "spec/spec.h"
#include "spec/yaml.h"

static const evm__ykind manifest_kind = {
    "manifest", "a manifest with inline specs needs at most 9",
    "list spec files, one per line as \"- kaz.yaml\"",
    "a manifest is one document",
    "split it, or list spec files instead of inline specs"};


/* ------------------------------------------------------------ job list */

void evm_batch_jobs_init(evm_batch_jobs *jobs)
{
    memset(jobs, 0, sizeof *jobs);
}

static void job_clear(evm_batch_job *j)
{
    free(j->spec);
    free(j->text);
    free(j->name);
    free(j->manifest);
    free(j->output);
    free(j->date_from);
    free(j->date_to);
    free(j->subtitle);
    evm__ydoc_unref(j->inline_doc);
    memset(j, 0, sizeof *j);
}

static void job_init(evm_batch_job *j)
{
    memset(j, 0, sizeof *j);
    j->theme = -1;
    j->cumulative = -1;
}

/* Contract in evmap.h: frees every job's strings and the array. */
void evm_batch_jobs_free(evm_batch_jobs *jobs)
{
    if (!jobs)
        return;
    for (int i = 0; i < jobs->n; i++)
        job_clear(&jobs->v[i]);
    free(jobs->v);
    memset(jobs, 0, sizeof *jobs);
}

/* A new unset job at the end of jobs, or NULL (out of memory). */
static evm_batch_job *jobs_push(evm_batch_jobs *jobs)
{
    if (jobs->n == jobs->cap) {
        int cap = jobs->cap ? jobs->cap * 2 : 16;
        evm_batch_job *v = evm__reallocarray(jobs->v, (size_t)cap,
                                             sizeof *v);
        if (!v)
            return NULL;
        jobs->v = v;
        jobs->cap = cap;
    }
    evm_batch_job *j = &jobs->v[jobs->n++];
    job_init(j);
    return j;
}

/* Contract in evmap.h: a new job for a spec file, nothing overridden. */
evm_batch_job *evm_batch_jobs_add_spec(evm_batch_jobs *jobs,
                                       const char *path, evm_error *err)
{
    evm_batch_job *j = jobs_push(jobs);
    if (!j || !(j->spec = evm__strdup(path)) ||
        !(j->name = evm__strdup(path))) {
        if (j) {
            job_clear(j);
            jobs->n--;
        }
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    return j;
}

/* ------------------------------------------------------------ messages */

#define fail(r, n, ...) evm__y_fail(r, n, __VA_ARGS__)
#define nomem(r) evm__y_nomem(r)
#define is_scalar(n) evm__y_is_scalar(n)
#define sval(n) evm__y_sval(n)
#define is_null(n) evm__y_is_null(n)

/* The node id below parent, counted against the walk's budget (aliased
 * jobs are walked again each time), or NULL with the error set. */
static yaml_node_t *node(evm__yrd *r, const yaml_node_t *parent, int id)
{
    return evm__y_child(r, parent, id);
}

/* "a list", "a mapping", "\"text\"" for "got ..." in messages. */
static const char *what(const yaml_node_t *n, char *b, size_t cap)
{
    if (!n)
        snprintf(b, cap, "nothing");
    else if (n->type == YAML_MAPPING_NODE)
        snprintf(b, cap, "a mapping");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(b, cap, "a list");
    else if (is_null(n))
        snprintf(b, cap, "nothing");
    else
        snprintf(b, cap, "\"%.40s\"", sval(n));
    return b;
}

/* A non-empty scalar string (no NUL), or -1 with "KEY must be TEXT". */
static int text_value(evm__yrd *r, const yaml_node_t *n, const char *key,
                      const char *expect, char **out)
{
    char b[64];
    if (!is_scalar(n) || is_null(n) || !*sval(n))
        return fail(r, n, "%s must be %s, got %s", key, expect,
                    what(n, b, sizeof b));
    const char *t = evm__y_text(r, n, key);
    if (!t)
        return -1;
    free(*out);
    if (!(*out = evm__strdup(t)))
        return nomem(r);
    return 0;
}

/* ---------------------------------------------------------- job fields */

enum {
    K_SPEC, K_OUTPUT, K_FORMAT, K_SIZE, K_DPI, K_THEME, K_DATE, K_SUBTITLE,
    K_BY, K_CUMULATIVE, K_COUNT
};
static const char *const job_keys[] = {
    "spec", "output", "format", "size", "dpi", "theme", "date", "subtitle",
    "by", "cumulative", NULL};

static int size_value(evm__yrd *r, const yaml_node_t *n, evm_batch_job *j)
{
    char b[64];
    long v[2];
    static const char hint[] = "size must be [WIDTH, HEIGHT] or "
                               "\"WIDTHxHEIGHT\" in pixels, 16..20000";
    if (is_scalar(n) && !is_null(n)) {
        char *end;
        v[0] = strtol(sval(n), &end, 10);
        if (*end != 'x' && *end != 'X')
            return fail(r, n, "%s, got %s", hint, what(n, b, sizeof b));
        v[1] = strtol(end + 1, &end, 10);
        if (*end)
            return fail(r, n, "%s, got %s", hint, what(n, b, sizeof b));
    } else if (n && n->type == YAML_SEQUENCE_NODE &&
               n->data.sequence.items.top - n->data.sequence.items.start ==
                   2) {
        for (int i = 0; i < 2; i++) {
            yaml_node_t *e = node(r, n, n->data.sequence.items.start[i]);
            char *end;
            if (!e)
                return -1;
            if (!is_scalar(e))
                return fail(r, e, "%s", hint);
            v[i] = strtol(sval(e), &end, 10);
            if (*end || !*sval(e))
                return fail(r, e, "%s, got %s", hint, what(e, b, sizeof b));
        }
    } else {
        return fail(r, n, "%s, got %s", hint, what(n, b, sizeof b));
    }
    if (v[0] < 16 || v[1] < 16 || v[0] > 20000 || v[1] > 20000)
        return fail(r, n, "%s; got %ldx%ld", hint, v[0], v[1]);
    j->width = (int)v[0];
    j->height = (int)v[1];
    return 0;
}

static int date_value(evm__yrd *r, const yaml_node_t *n, evm_batch_job *j)
{
    char from[11], to[11], b[64];
    evm_error e;
    evm_error_clear(&e);
    if (is_scalar(n) && !is_null(n)) {
        if (evm_date_window_parse(sval(n), from, to, &e) != EVM_OK)
            return fail(r, n, "%s", e.msg);
    } else if (n && n->type == YAML_SEQUENCE_NODE &&
               n->data.sequence.items.top - n->data.sequence.items.start ==
                   2) {
        char *ends[2] = {from, to};
        for (int i = 0; i < 2; i++) {
            yaml_node_t *d = node(r, n, n->data.sequence.items.start[i]);
            char dd[11], tt[21], why[80];
            if (!d)
                return -1;
            if (is_null(d)) {
                ends[i][0] = '\0';
                continue;
            }
            if (!is_scalar(d) || evm__parse_date(sval(d), dd, tt, why) < 0 ||
                tt[0])
                return fail(r, d, "a window end must be a day YYYY-MM-DD "
                            "(or ~ for open), got %s", what(d, b, sizeof b));
            memcpy(ends[i], dd, 11);
        }
        if (from[0] && to[0] && strcmp(from, to) > 0)
            return fail(r, n, "the date window ends before it starts");
    } else {
        return fail(r, n, "date must be a day (2022-01-06), a month "
                    "(2022-01), a window \"2022-01-02..2022-01-05\" or "
                    "[FROM, TO], got %s", what(n, b, sizeof b));
    }
    free(j->date_from);
    free(j->date_to);
    j->date_from = evm__strdup(from);
    j->date_to = evm__strdup(to);
    if (!j->date_from || !j->date_to)
        return nomem(r);
    return 0;
}

static int bool_value(evm__yrd *r, const yaml_node_t *n, const char *key,
                      int *out)
{
    char b[64];
    static const char *const yes[] = {"true", "yes", "on", NULL};
    static const char *const no[] = {"false", "no", "off", NULL};
    if (is_scalar(n) && !is_null(n)) {
        for (int i = 0; yes[i]; i++)
            if (!strcasecmp(sval(n), yes[i])) {
                *out = 1;
                return 0;
            }
        for (int i = 0; no[i]; i++)
            if (!strcasecmp(sval(n), no[i])) {
                *out = 0;
                return 0;
            }
    }
    return fail(r, n, "%s must be true or false, got %s", key,
                what(n, b, sizeof b));
}

/* Joins a spec path with the manifest's directory unless absolute. */
static char *rel_path(evm__yrd *r, const char *p)
{
    if (p[0] == '/' || r->dirlen == 0)
        return evm__strdup(p);
    size_t n = strlen(p);
    char *s = malloc(r->dirlen + n + 1);
    if (!s)
        return NULL;
    memcpy(s, r->file, r->dirlen);
    memcpy(s + r->dirlen, p, n + 1);
    return s;
}

static int spec_value(evm__yrd *r, const yaml_node_t *n, evm_batch_job *j)
{
    char b[64];
    if (n && n->type == YAML_MAPPING_NODE) {
        /* the spec is this node of the manifest's document, which the job
         * keeps: anchors defined before it in the manifest work */
        evm__ydoc_unref(j->inline_doc);
        j->inline_doc = evm__ydoc_ref((evm__ydoc *)r->d);
        j->inline_node = (int)(n - r->d->doc.nodes.start) + 1;
        free(j->name);
        if (!(j->name = evm__strdup(r->file)))
            return nomem(r);
        return 0;
    }
    if (!is_scalar(n) || is_null(n) || !*sval(n))
        return fail(r, n, "spec must be a spec file (a path relative to "
                    "the manifest) or an inline spec (a mapping), got %s",
                    what(n, b, sizeof b));
    const char *path = evm__y_text(r, n, "spec");
    if (!path)
        return -1;
    if (!(j->spec = rel_path(r, path)) || !(j->name = evm__strdup(j->spec)))
        return nomem(r);
    return 0;
}

/* Reads the overrides (and, when is_job, spec: and output:) of mapping
 * n into j. */
static int job_fields(evm__yrd *r, const yaml_node_t *n, evm_batch_job *j,
                      int is_job)
{
    const yaml_node_t *v[K_COUNT] = {0};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, n, p->key), *val = node(r, n, p->value);
        char b[64];
        if (!k || !val)
            return -1;
        if (!is_scalar(k))
            return fail(r, k, "a key must be a name, got %s",
                        what(k, b, sizeof b));
        int ki = -1;
        for (int i = 0; job_keys[i]; i++)
            if (!strcmp(sval(k), job_keys[i]))
                ki = i;
        if (ki < 0 || (!is_job && (ki == K_SPEC || ki == K_OUTPUT))) {
            const char *near = evm__nearest(sval(k), job_keys + (is_job ? 0
                                                                         : 2),
                                            2);
            if (!is_job && (ki == K_SPEC || ki == K_OUTPUT))
                return fail(r, k, "%s: cannot be a default; give it in each "
                            "job", sval(k));
            if (near)
                return fail(r, k, "unknown key \"%.40s\" in a %s; did you "
                            "mean \"%s\"?", sval(k),
                            is_job ? "job" : "defaults mapping", near);
            return fail(r, k, "unknown key \"%.40s\" in a %s; use spec, "
                        "output, format, size, dpi, theme, date, subtitle, "
                        "by or cumulative", sval(k),
                        is_job ? "job" : "defaults mapping");
        }
        if (v[ki])
            return fail(r, k, "%s: given twice in one mapping", sval(k));
        v[ki] = val;
    }
    char b[64];
    if (is_job && !v[K_SPEC])
        return fail(r, n, "a job needs spec: (a spec file or an inline "
                    "spec)");
    if (v[K_SPEC] && spec_value(r, v[K_SPEC], j) < 0)
        return -1;
    if (v[K_OUTPUT] &&
        text_value(r, v[K_OUTPUT], "output", "a file name", &j->output) < 0)
        return -1;
    if (v[K_OUTPUT]) {
        const char *why = evm__output_name_refused(j->output, 1);
        const char *base = strrchr(j->output, '/');
        base = base ? base + 1 : j->output;
        if (!why && (!strcmp(base, ".") || !strcmp(base, "..")))
            why = "names a directory; give a file name";
        if (why)
            return fail(r, v[K_OUTPUT], "output \"%.80s\" %s", j->output,
                        why);
    }
    if (v[K_FORMAT]) {
        const yaml_node_t *f = v[K_FORMAT];
        if (!is_scalar(f) ||
            (j->format = evm_format_from_name(sval(f))) == EVM_FMT_AUTO)
            return fail(r, f, "format must be png, svg, pdf, geojson, gpkg, "
                        "kml, fgb, shp or csv, got %s", what(f, b, sizeof b));
    }
    if (v[K_SIZE] && size_value(r, v[K_SIZE], j) < 0)
        return -1;
    if (v[K_DPI]) {
        double d;
        if (!is_scalar(v[K_DPI]) || evm__parse_double(sval(v[K_DPI]), &d) ||
            d < 10 || d > 2400)
            return fail(r, v[K_DPI], "dpi must be a number in 10..2400, got "
                        "%s", what(v[K_DPI], b, sizeof b));
        j->dpi = d;
    }
    if (v[K_THEME]) {
        const yaml_node_t *t = v[K_THEME];
        const char *s = is_scalar(t) ? sval(t) : "";
        if (!strcmp(s, "light"))
            j->theme = EVM_THEME_LIGHT;
        else if (!strcmp(s, "dark"))
            j->theme = EVM_THEME_DARK;
        else if (!strcmp(s, "print"))
            j->theme = EVM_THEME_PRINT;
        else
            return fail(r, t, "theme must be light, dark or print, got %s",
                        what(t, b, sizeof b));
    }
    if (v[K_DATE] && date_value(r, v[K_DATE], j) < 0)
        return -1;
    if (v[K_SUBTITLE]) {
        if (!is_scalar(v[K_SUBTITLE]))
            return fail(r, v[K_SUBTITLE], "subtitle must be text, got %s",
                        what(v[K_SUBTITLE], b, sizeof b));
        const char *t = evm__y_text(r, v[K_SUBTITLE], "subtitle");
        if (!t)
            return -1;
        free(j->subtitle);
        if (!(j->subtitle = evm__strdup(t)))
            return nomem(r);
    }
    if (v[K_BY]) {
        const yaml_node_t *y = v[K_BY];
        if (!is_scalar(y))
            return fail(r, y, "by must be day, week, month or none, got %s",
                        what(y, b, sizeof b));
        j->by = evm_period_from_name(sval(y));
        if (j->by == EVM_BY_NONE && strcasecmp(sval(y), "none"))
            return fail(r, y, "by must be day, week, month or none, got %s",
                        what(y, b, sizeof b));
        if (j->by == EVM_BY_NONE)
            j->by = (evm_period)-1; /* explicitly none: beats a default */
    }
    if (v[K_CUMULATIVE] &&
        bool_value(r, v[K_CUMULATIVE], "cumulative", &j->cumulative) < 0)
        return -1;
    return 0;
}

/* Copies the overrides d sets that j does not. */
static int apply_defaults(evm_batch_job *j, const evm_batch_job *d)
{
    if (j->format == EVM_FMT_AUTO)
        j->format = d->format;
    if (!j->width && !j->height) {
        j->width = d->width;
        j->height = d->height;
    }
    if (j->dpi == 0)
        j->dpi = d->dpi;
    if (j->theme < 0)
        j->theme = d->theme;
    if (!j->date_from && !j->date_to && (d->date_from || d->date_to)) {
        if (!(j->date_from = evm__strdup(d->date_from ? d->date_from : "")) ||
            !(j->date_to = evm__strdup(d->date_to ? d->date_to : "")))
            return -1;
    }
    if (!j->subtitle && d->subtitle &&
        !(j->subtitle = evm__strdup(d->subtitle)))
        return -1;
    if (j->by == EVM_BY_NONE)
        j->by = d->by;
    if (j->cumulative < 0)
        j->cumulative = d->cumulative;
    return 0;
}

/* One item of the job list into a new job of out. */
static int job(evm__yrd *r, const yaml_node_t *n, const evm_batch_job *d,
               evm_batch_jobs *out)
{
    char b[64];
    if (!n)
        return -1;
    evm_batch_job *j = jobs_push(out);
    if (!j)
        return nomem(r);
    j->line = (int)n->start_mark.line + 1;
    j->col = (int)n->start_mark.column + 1;
    if (!(j->manifest = evm__strdup(r->file)))
        return nomem(r);
    if (is_scalar(n) && !is_null(n) && *sval(n)) {
        const char *path = evm__y_text(r, n, "a job's spec");
        if (!path)
            return -1;
        if (!(j->spec = rel_path(r, path)) ||
            !(j->name = evm__strdup(j->spec)))
            return nomem(r);
    } else if (n->type == YAML_MAPPING_NODE) {
        if (job_fields(r, n, j, 1) < 0)
            return -1;
    } else {
        return fail(r, n, "a job is a spec path or a mapping with spec: "
                    "(and output:, format:, size:, ...), got %s",
                    what(n, b, sizeof b));
    }
    if (d && apply_defaults(j, d) < 0)
        return nomem(r);
    /* "by: none" was kept apart from unset only to beat the default */
    if ((int)j->by < 0)
        j->by = EVM_BY_NONE;
    return 0;
}

static const yaml_node_t *map_get(evm__yrd *r, const yaml_node_t *m,
                                  const char *key)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, m, p->key);
        if (is_scalar(k) && !strcmp(sval(k), key))
            return node(r, m, p->value);
    }
    return NULL;
}

static int root(evm__yrd *r, const yaml_node_t *top, evm_batch_jobs *out)
{
    char b[64];
    const yaml_node_t *list = top, *defs = NULL;
    evm_batch_job d;
    job_init(&d);
    if (top->type == YAML_MAPPING_NODE) {
        static const char *const keys[] = {"jobs", "defaults", NULL};
        for (yaml_node_pair_t *p = top->data.mapping.pairs.start;
             p < top->data.mapping.pairs.top; p++) {
            yaml_node_t *k = node(r, top, p->key);
            if (!k)
                return -1;
            if (!is_scalar(k) || (strcmp(sval(k), "jobs") &&
                                  strcmp(sval(k), "defaults"))) {
                const char *near = is_scalar(k)
                                       ? evm__nearest(sval(k), keys, 2)
                                       : NULL;
                if (near)
                    return fail(r, k, "unknown key %s at the top of the "
                                "manifest; did you mean \"%s\"?",
                                what(k, b, sizeof b), near);
                return fail(r, k, "unknown key %s at the top of the "
                            "manifest; a manifest has jobs: and optional "
                            "defaults:", what(k, b, sizeof b));
            }
        }
        list = map_get(r, top, "jobs");
        defs = map_get(r, top, "defaults");
        if (!list)
            return fail(r, top, "the manifest has no jobs:; list the specs "
                        "to render under jobs:");
    }
    if (list->type != YAML_SEQUENCE_NODE)
        return fail(r, list, "jobs must be a list (\"- kaz.yaml\" or \"- "
                    "{spec: kaz.yaml, output: kaz.png}\"), got %s",
                    what(list, b, sizeof b));
    if (list->data.sequence.items.top == list->data.sequence.items.start)
        return fail(r, list, "the manifest lists no jobs; add at least one "
                    "spec");
    int rc = 0;
    if (defs) {
        if (defs->type != YAML_MAPPING_NODE)
            return fail(r, defs, "defaults must be a mapping of overrides "
                        "(format:, size:, theme:, ...), got %s",
                        what(defs, b, sizeof b));
        if (job_fields(r, defs, &d, 0) < 0)
            rc = -1;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         rc == 0 && it < list->data.sequence.items.top; it++)
        if (job(r, node(r, list, *it), defs ? &d : NULL, out) < 0)
            rc = -1;
    job_clear(&d);
    return rc;
}

/* The jobs of the manifest d, appended to jobs; on error none, and err
 * (not NULL) says why. */
static evm_status manifest_jobs(evm__ydoc *d, evm_batch_jobs *jobs,
                                evm_error *err)
{
    evm__yrd r;
    evm__yrd_init(&r, d, err);
    int n0 = jobs->n;
    if (root(&r, evm__ydoc_root(d), jobs) < 0) {
        while (jobs->n > n0)
            job_clear(&jobs->v[--jobs->n]);
        if (err->code == EVM_OK)
            evm_error_set(err, EVM_E_INPUT, "%s: unreadable manifest",
                          d->file);
        return err->code;
    }
    return EVM_OK;
}

/* Contract in evmap.h: parses a manifest; on error nothing is appended
 * and err names name:line:col. The jobs of inline specs keep a
 * reference to the parsed manifest. */
evm_status evm_manifest_load_buffer(const char *name, const char *buf,
                                    size_t len, evm_batch_jobs *jobs,
                                    evm_error *err)
{
    evm_error e;
    evm_error_clear(&e);
    evm__ydoc *d = evm__ydoc_load(&manifest_kind, name, buf, len, &e);
    evm_status st = d ? manifest_jobs(d, jobs, &e) : e.code;
    evm__ydoc_unref(d);
    return st == EVM_OK ? EVM_OK : evm_error_set(err, st, "%s", e.msg);
}

/* Contract in evmap.h: reads the file once (16 MB cap), then as above. */
evm_status evm_manifest_load(const char *path, evm_batch_jobs *jobs,
                             evm_error *err)
{
    evm_error e;
    evm_error_clear(&e);
    evm__ydoc *d = evm__ydoc_load_file(&manifest_kind, path, &e);
    evm_status st = d ? manifest_jobs(d, jobs, &e) : e.code;
    evm__ydoc_unref(d);
    return st == EVM_OK ? EVM_OK : evm_error_set(err, st, "%s", e.msg);
}

/* Contract in batch.h. */
evm_map *evm__job_load_map(const evm_batch_job *j, evm_error *err)
{
    if (j->inline_doc) {
        yaml_node_t *n = yaml_document_get_node(&j->inline_doc->doc,
                                                j->inline_node);
        if (!n) {
            evm_error_set(err, EVM_E_USAGE, "%s: no such inline spec",
                          j->name ? j->name : "<manifest>");
            return NULL;
        }
        return evm__map_from_node(j->inline_doc, n, err);
    }
    if (j->text)
        return evm_map_load_buffer(j->name, j->text, j->text_len, err);
    return evm_map_load(j->spec, err);
}

/* ---------------------------------------------------------- directories */

static int is_spec_name(const char *n)
{
    size_t k = strlen(n);
    if (n[0] == '.')
        return 0;
    static const char *const ext[] = {".yaml", ".yml", ".json", NULL};
    for (int i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (k > e && !strcasecmp(n + k - e, ext[i]))
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Contract in evmap.h: one job per spec file in dir, in byte order. */
evm_status evm_batch_jobs_from_dir(const char *dir, evm_batch_jobs *jobs,
                                   evm_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return evm_error_set(err, EVM_E_IO, "%s: cannot read the directory: "
                             "%s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    evm_status st = EVM_OK;
    size_t dl = strlen(dir);
    int slash = dl && dir[dl - 1] == '/';
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_spec_name(e->d_name))
            continue;
        size_t nl = strlen(e->d_name);
        char *p = malloc(dl + nl + 2);
        if (!p) {
            st = EVM_E_NOMEM;
            break;
        }
        memcpy(p, dir, dl);
        if (!slash)
            p[dl] = '/';
        memcpy(p + dl + !slash, e->d_name, nl + 1);
        struct stat sb;
        if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(p);
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **v = evm__reallocarray(names, nc, sizeof *v);
            if (!v) {
                free(p);
                st = EVM_E_NOMEM;
                break;
            }
            names = v;
            cap = nc;
        }
        names[n++] = p;
    }
    closedir(d);
    if (st == EVM_OK && n == 0)
        st = evm_error_set(err, EVM_E_INPUT, "%s: no specs (*.yaml, *.yml, "
                           "*.json) in this directory", dir);
    if (st == EVM_OK)
        qsort(names, n, sizeof *names, cmp_str);
    int n0 = jobs->n;
    for (size_t i = 0; st == EVM_OK && i < n; i++)
        if (!evm_batch_jobs_add_spec(jobs, names[i], err))
            st = EVM_E_NOMEM;
    if (st == EVM_E_NOMEM) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        while (jobs->n > n0)
            job_clear(&jobs->v[--jobs->n]);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}
