/* Planning a batch: every map of every shard, in job order, with its
 * output path, date window, subtitle and render options; the checks that
 * must pass before anything renders (refused output names, an output
 * written twice); and this shard's share. Specs of time series are
 * parsed here (not resolved) to find their frames. */
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"
#include "core/core.h"
#include "model.h"

/* Contract in batch.h. */
const char *evm__format_ext(evm_format f)
{
    switch (f) {
    case EVM_FMT_SVG: return "svg";
    case EVM_FMT_PDF: return "pdf";
    case EVM_FMT_GEOJSON: return "geojson";
    case EVM_FMT_GPKG: return "gpkg";
    case EVM_FMT_KML: return "kml";
    case EVM_FMT_FGB: return "fgb";
    case EVM_FMT_SHP: return "shp";
    case EVM_FMT_CSV: return "csv";
    default: return "png";
    }
}

/* Contract in batch.h. */
const char *evm__output_name_refused(const char *name, int allow_any)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return "is empty; give a file name";
    if (name[n - 1] == '/')
        return "names a directory; give a file name";
    if (allow_any)
        return NULL;
    if (name[0] == '/')
        return "is absolute; outputs are named relative to the output "
               "directory (or pass --allow-any-path)";
    for (const char *p = name; *p;) {
        const char *e = strchr(p, '/');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == 2 && p[0] == '.' && p[1] == '.')
            return "leaves the output directory (\"..\"); outputs are named "
                   "relative to it (or pass --allow-any-path)";
        p += k;
        while (*p == '/')
            p++;
    }
    return NULL;
}

/* Contract in batch.h. */
const char *evm__job_where(const evm_batch_job *j, char *buf, size_t n)
{
    if (j->manifest && j->line > 0)
        snprintf(buf, n, "%s:%d:%d", j->manifest, j->line, j->col);
    else
        snprintf(buf, n, "%s", j->name ? j->name : j->spec ? j->spec
                                                         : "(job)");
    return buf;
}

/* "a/b/c.yaml" -> "c" (pointer and length into path). */
static void stem_of(const char *path, const char **s, size_t *len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    *s = base;
    *len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
}

/* Lexical normalisation for duplicate checks: no "//", no "." segments,
 * "x/.." removed where x is a name. Returns a new string or NULL. */
static char *norm_path(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    int abs = p[0] == '/';
    if (abs)
        out[o++] = '/';
    size_t base = o;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, '/');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == 1 && p[0] == '.') {
            p += k;
            continue;
        }
        if (k == 2 && p[0] == '.' && p[1] == '.' && o > base) {
            /* drop the last segment unless it is ".." itself */
            size_t s = o;
            while (s > base && out[s - 1] != '/')
                s--;
            if (!(o - s == 2 && out[s] == '.' && out[s + 1] == '.')) {
                o = s > base ? s - 1 : base;
                p += k;
                continue;
            }
        }
        if (o > base)
            out[o++] = '/';
        memcpy(out + o, p, k);
        o += k;
        p += k;
    }
    out[o] = '\0';
    return out;
}

/* dir + "/" + name (name kept as is when absolute or dir empty). */
static char *join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir || !*dir)
        return evm__strdup(name);
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    size_t o = dl;
    if (dir[dl - 1] != '/')
        p[o++] = '/';
    memcpy(p + o, name, nl + 1);
    return p;
}

/* name with "-DAY" before its extension: "a/kaz.png" -> "a/kaz-DAY.png" */
static char *with_day(const char *name, const char *day)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(name, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : name))
        dot = name + strlen(name);
    size_t a = (size_t)(dot - name), n = strlen(name) + strlen(day) + 2;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%.*s-%s%s", (int)a, name, day, dot);
    return p;
}

static int grow(struct evm__plan *p, int *cap)
{
    if (p->n < *cap)
        return 0;
    int nc = *cap ? *cap * 2 : 64;
    struct evm__task *t = evm__reallocarray(p->t, (size_t)nc, sizeof *t);
    if (!t)
        return -1;
    p->t = t;
    *cap = nc;
    return 0;
}

static void task_free(struct evm__task *t)
{
    free(t->output);
    free(t->key);
    free(t->subtitle);
    free(t->fail);
}

/* Contract in batch.h: frees the tasks and leaves an empty plan. */
void evm__plan_free(struct evm__plan *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        task_free(&p->t[i]);
    free(p->t);
    free(p->mine);
    memset(p, 0, sizeof *p);
}

/* The job's map, parsed only (for its dates). */
static evm_map *parse_job(const evm_batch_job *j, evm_error *err)
{
    return evm__job_load_map(j, err);
}

static void copy_day(char out[11], const char *s)
{
    out[0] = '\0';
    if (s && strlen(s) == 10) {
        memcpy(out, s, 10);
        out[10] = '\0';
    }
}

/* Fills the options and strings every task of job j shares. */
static evm_status task_base(struct evm__task *t, int ji,
                            const evm_batch_job *j, const evm_batch_opts *o,
                            evm_format fmt)
{
    memset(t, 0, sizeof *t);
    t->job = ji;
    t->frame = -1;
    t->ro = o->render;
    t->ro.format = fmt;
    if (j->width > 0 && j->height > 0) {
        t->ro.width = j->width;
        t->ro.height = j->height;
    }
    if (j->dpi > 0)
        t->ro.dpi = j->dpi;
    if (j->theme >= 0)
        t->ro.theme = j->theme;
    if (j->date_from || j->date_to) {
        copy_day(t->from, j->date_from);
        copy_day(t->to, j->date_to);
    } else {
        copy_day(t->from, o->render.date_from);
        copy_day(t->to, o->render.date_to);
    }
    const char *sub = j->subtitle ? j->subtitle : o->render.subtitle;
    if (sub && !(t->subtitle = evm__strdup(sub)))
        return EVM_E_NOMEM;
    return EVM_OK;
}

/* Points the task's option strings at its own fields. */
static void task_link(struct evm__task *t)
{
    t->ro.date_from = t->from[0] ? t->from : NULL;
    t->ro.date_to = t->to[0] ? t->to : NULL;
    t->ro.subtitle = t->subtitle;
}

/* The frames of series job j into p (or one failing task). */
static evm_status plan_series(struct evm__plan *p, int *cap, int ji,
                              const evm_batch_job *j,
                              const evm_batch_opts *o, evm_format fmt,
                              const char *name, evm_period by, int cum,
                              evm_error *err)
{
    struct evm__task base;
    evm_error e;
    evm_error_clear(&e);
    if (task_base(&base, ji, j, o, fmt) != EVM_OK)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    char first[11], last[11];
    evm_series_frame *fr = NULL;
    int nf = -1;
    evm_map *m = parse_job(j, &e);
    if (m && evm_map_date_range(m, first, last, &e) == EVM_OK) {
        if (base.from[0] && strcmp(first, base.from) < 0)
            memcpy(first, base.from, 11);
        if (base.to[0] && strcmp(last, base.to) > 0)
            memcpy(last, base.to, 11);
        if (strcmp(first, last) > 0)
            evm_error_set(&e, EVM_E_INPUT, "%s: no date of the map falls in "
                          "the window %s..%s; widen --date or date:",
                          j->name, base.from, base.to);
        else
            nf = evm_series_frames(by, first, last, cum, &fr, &e);
    }
    evm_map_free(m);
    if (nf < 0) {
        /* reported when the map's turn comes, in whichever shard */
        if (grow(p, cap) < 0 || !(base.fail = malloc(sizeof *base.fail))) {
            task_free(&base);
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        }
        *base.fail = e;
        task_link(&base);
        p->t[p->n++] = base;
        return EVM_OK;
    }
    evm_status st = EVM_OK;
    for (int f = 0; f < nf && st == EVM_OK; f++) {
        struct evm__task t = base;
        t.subtitle = NULL;
        t.frame = f;
        memcpy(t.frame_day, fr[f].first, 11);
        const char *a = fr[f].first, *b = fr[f].last;
        if (cum)
            a = base.from; /* everything up to the frame's end */
        else if (base.from[0] && strcmp(a, base.from) < 0)
            a = base.from;
        if (base.to[0] && strcmp(b, base.to) > 0)
            b = base.to;
        copy_day(t.from, a);
        copy_day(t.to, b);
        size_t sl = strlen(fr[f].label) + 8 +
                    (base.subtitle ? strlen(base.subtitle) : 0);
        char *rel = with_day(name, fr[f].first);
        if (rel && (t.subtitle = malloc(sl)))
            snprintf(t.subtitle, sl, "%s%s%s",
                     base.subtitle ? base.subtitle : "",
                     base.subtitle ? " \xc2\xb7 " : "", fr[f].label);
        if (!rel || !t.subtitle || !(t.output = join(o->out_dir, rel)) ||
            !(t.key = norm_path(t.output)) || grow(p, cap) < 0) {
            task_free(&t);
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        } else {
            task_link(&t);
            p->t[p->n++] = t;
        }
        free(rel);
    }
    free(fr);
    task_free(&base);
    return st;
}

struct keyed {
    const char *key;
    int i;
};

static int cmp_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Fails when two maps have the same output. */
static evm_status check_duplicates(const evm_batch_jobs *jobs,
                                   struct evm__plan *p, evm_error *err)
{
    struct keyed *ix = evm__calloc((size_t)p->n + 1, sizeof *ix);
    int k = 0;
    if (!ix)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    for (int i = 0; i < p->n; i++)
        if (p->t[i].key)
            ix[k++] = (struct keyed){p->t[i].key, i};
    qsort(ix, (size_t)k, sizeof *ix, cmp_key);
    evm_status st = EVM_OK;
    for (int i = 1; i < k; i++) {
        const struct evm__task *a = &p->t[ix[i - 1].i], *b = &p->t[ix[i].i];
        if (strcmp(a->key, b->key))
            continue;
        char wa[600], wb[600];
        const evm_batch_job *ja = &jobs->v[a->job], *jb = &jobs->v[b->job];
        evm__job_where(ja, wa, sizeof wa);
        evm__job_where(jb, wb, sizeof wb);
        if (a->job == b->job)
            st = evm_error_set(err, EVM_E_INPUT, "%s: output \"%s\" would "
                               "be written twice by this job", wb,
                               b->output);
        else
            st = evm_error_set(err, EVM_E_INPUT, "%s: output \"%s\" is also "
                               "written by the job at %s; give each job its "
                               "own output: (nothing was rendered)", wb,
                               b->output, wa);
        break;
    }
    free(ix);
    return st;
}

/* Contract in batch.h. */
evm_status evm__plan_build(const evm_batch_jobs *jobs,
                           const evm_batch_opts *o, struct evm__plan *p,
                           evm_error *err)
{
    memset(p, 0, sizeof *p);
    int cap = 0;
    int sc = o->shard_count > 0 ? o->shard_count : 1;
    int si = o->shard_count > 0 ? o->shard_index : 0;
    if (o->shard_count < 0 || si < 0 || si >= sc)
        return evm_error_set(err, EVM_E_USAGE, "shard %d/%d: the index must "
                             "be in 0..%d", o->shard_index, o->shard_count,
                             sc - 1);
    if (!jobs || jobs->n == 0)
        return evm_error_set(err, EVM_E_INPUT, "no jobs to run");
    evm_status st = EVM_OK;
    for (int ji = 0; ji < jobs->n && st == EVM_OK; ji++) {
        const evm_batch_job *j = &jobs->v[ji];
        char where[600];
        evm__job_where(j, where, sizeof where);
        if (!j->spec && !j->text && !j->inline_doc) {
            st = evm_error_set(err, EVM_E_INPUT, "%s: the job has no spec",
                               where);
            break;
        }
        /* the format, then the name */
        evm_format fmt = j->format != EVM_FMT_AUTO ? j->format
                                                   : o->render.format;
        if (fmt == EVM_FMT_AUTO && j->output)
            fmt = evm_format_from_path(j->output);
        if (fmt == EVM_FMT_AUTO)
            fmt = EVM_FMT_PNG;
        char *name = NULL;
        if (j->output) {
            const char *why = evm__output_name_refused(j->output,
                                                       o->allow_any_path);
            if (why) {
                st = evm_error_set(err, EVM_E_INPUT, "%s: output \"%s\" %s "
                                   "(nothing was rendered)", where,
                                   j->output, why);
                break;
            }
            if (evm_format_from_path(j->output) != EVM_FMT_AUTO) {
                name = evm__strdup(j->output);
            } else {
                size_t n = strlen(j->output) + 16;
                if ((name = malloc(n)))
                    snprintf(name, n, "%s.%s", j->output,
                             evm__format_ext(fmt));
            }
        } else {
            const char *s;
            size_t sl;
            stem_of(j->spec ? j->spec : j->manifest ? j->manifest : "job",
                    &s, &sl);
            size_t n = sl + 40;
            if ((name = malloc(n))) {
                if (j->spec)
                    snprintf(name, n, "%.*s.%s", (int)sl, s,
                             evm__format_ext(fmt));
                else
                    snprintf(name, n, "%.*s-%d.%s", (int)sl, s, ji + 1,
                             evm__format_ext(fmt));
            }
        }
        if (!name) {
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            break;
        }
        evm_period by = j->by != EVM_BY_NONE ? j->by : o->by;
        int cum = j->cumulative >= 0 ? j->cumulative : o->cumulative;
        if (by != EVM_BY_NONE && fmt != EVM_FMT_PNG && fmt != EVM_FMT_SVG &&
            fmt != EVM_FMT_PDF) {
            st = evm_error_set(err, EVM_E_INPUT, "%s: a time series (by %s) "
                               "is drawn as PNG, SVG or PDF frames, not %s",
                               where, evm_period_name(by),
                               evm__format_ext(fmt));
            free(name);
            break;
        }
        if (by != EVM_BY_NONE) {
            st = plan_series(p, &cap, ji, j, o, fmt, name, by, cum, err);
        } else {
            struct evm__task t;
            if (task_base(&t, ji, j, o, fmt) != EVM_OK ||
                !(t.output = join(o->out_dir, name)) ||
                !(t.key = norm_path(t.output)) || grow(p, &cap) < 0) {
                task_free(&t);
                st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            } else {
                task_link(&t);
                p->t[p->n++] = t;
            }
        }
        free(name);
    }
    if (st == EVM_OK)
        st = check_duplicates(jobs, p, err);
    if (st == EVM_OK) {
        p->mine = evm__calloc((size_t)p->n / (size_t)sc + 1, sizeof *p->mine);
        if (!p->mine)
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        for (int i = si; st == EVM_OK && i < p->n; i += sc)
            p->mine[p->nmine++] = i;
    }
    /* the options point into the tasks: relink after the array moved */
    for (int i = 0; i < p->n; i++)
        task_link(&p->t[i]);
    if (st != EVM_OK)
        evm__plan_free(p);
    return st;
}
