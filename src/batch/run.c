/* Running a batch: a pool of pthreads takes this shard's maps in order
 * from a shared counter. Shared and read-only: the gazetteer, the
 * renderer (its mmap'ed basemap) and the plan. Each map loads and
 * resolves its own spec and is drawn by evm_renderer_render, which makes
 * its own PROJ context, cairo surface and Pango layouts (Pango's default
 * font map is per thread, so each long-lived worker keeps its own).
 * Outputs are written to a temporary file and renamed into place, so a
 * failure or an interruption never leaves a partial map. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "core/core.h"
#include "spec/spec.h"

/* The most worker threads per core (-j above it is lowered). */
#define EVM_BATCH_THREADS_PER_CORE 4

struct pool {
    const evm_batch_jobs *jobs;
    const evm_batch_opts *o;
    const struct evm__plan *p;
    const evm_gazetteer *gz;
    const evm_renderer *r;
    pthread_mutex_t mu;
    int next;         /* next index into p->mine */
    int stopped;      /* cancelled */
    int written, failed, skipped;
    evm_status worst;
};

/* Contract in evmap.h: every option unset, render options at their
 * defaults. */
void evm_batch_opts_init(evm_batch_opts *o)
{
    memset(o, 0, sizeof *o);
    evm_render_opts_init(&o->render);
}

/* mkdir -p of path's parent directory. 0 ok, -1 with errno. */
static int make_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    char *d = evm__strndup(path, n);
    if (!d)
        return -1;
    struct stat st;
    int rc = 0;
    if (stat(d, &st) == 0) {
        rc = S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
        free(d);
        return rc;
    }
    for (char *p = d + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0777) != 0 && errno != EEXIST) {
                rc = -1;
                break;
            }
            if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
                errno = ENOTDIR;
                rc = -1;
                break;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    free(d);
    return rc;
}

static evm_map *load_job(const evm_batch_job *j, evm_error *e)
{
    return evm__job_load_map(j, e);
}

/* Draws one map. Returns its status; *skipped when it was there. */
static evm_status run_task(struct pool *pl, const struct evm__task *t,
                           int *skipped, evm_error *e)
{
    const evm_batch_job *j = &pl->jobs->v[t->job];
    *skipped = 0;
    if (t->fail) {
        *e = *t->fail;
        return e->code;
    }
    struct stat st;
    if (pl->o->skip_existing && stat(t->output, &st) == 0 &&
        S_ISREG(st.st_mode)) {
        *skipped = 1;
        return EVM_OK;
    }
    /* a manifest's names stay inside the output directory, also through
     * symbolic links: checked before a directory is made, and again
     * after (a link could appear in between) */
    int confine = !pl->o->allow_any_path;
    evm_status s;
    if (confine && (s = evm__confine(pl->o->out_dir, t->output, e)) != EVM_OK)
        return s;
    if (make_parent(t->output) != 0)
        return evm_error_set(e, EVM_E_IO, "%s: cannot create its "
                             "directory: %s", t->output, strerror(errno));
    if (confine && (s = evm__confine(pl->o->out_dir, t->output, e)) != EVM_OK)
        return s;
    evm_map *m = load_job(j, e);
    if (!m)
        return e->code ? e->code : EVM_E_INPUT;
    const char *in = evm__output_is_input(m, j->spec, t->output);
    if (!in)
        in = evm__output_is_input(NULL, j->manifest, t->output);
    if (in) {
        evm_error_set(e, EVM_E_USAGE, "%s: refusing to write over an input "
                      "of the map (%s); choose another output", t->output,
                      in);
        evm_map_free(m);
        return EVM_E_USAGE;
    }
    s = evm__map_check(m, e); /* as render and validate: file:line:col */
    if (s == EVM_OK)
        s = evm_map_resolve(m, pl->gz, e);
    if (s == EVM_OK)
        s = evm_renderer_render(pl->r, m, &t->ro, t->output, e);
    evm_map_free(m);
    return s;
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    const struct evm__plan *p = pl->p;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        if (pl->next < p->nmine && pl->o->cancelled &&
            pl->o->cancelled(pl->o->cancel_ud))
            pl->stopped = 1;
        if (pl->stopped || pl->next >= p->nmine) {
            pthread_mutex_unlock(&pl->mu);
            break;
        }
        int ti = p->mine[pl->next++];
        pthread_mutex_unlock(&pl->mu);

        const struct evm__task *t = &p->t[ti];
        const evm_batch_job *j = &pl->jobs->v[t->job];
        evm_error e;
        evm_error_clear(&e);
        int skipped;
        evm_status s = run_task(pl, t, &skipped, &e);

        pthread_mutex_lock(&pl->mu);
        if (s != EVM_OK) {
            pl->failed++;
            if (pl->worst == EVM_OK)
                pl->worst = s;
        } else if (skipped) {
            pl->skipped++;
        } else {
            pl->written++;
        }
        if (pl->o->report) {
            char where[600];
            evm_batch_result r = {
                .job = t->job, .spec = j->name,
                .where = evm__job_where(j, where, sizeof where),
                .output = t->output,
                .frame = t->frame_day[0] ? t->frame_day : NULL,
                .status = s, .skipped = skipped,
                .err = s != EVM_OK ? &e : NULL,
                .done = pl->written + pl->failed + pl->skipped,
                .total = p->nmine, .written = pl->written,
                .failed = pl->failed, .skipped_total = pl->skipped};
            pl->o->report(pl->o->report_ud, &r);
        }
        pthread_mutex_unlock(&pl->mu);
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes temporaries that dead runs left for this run's outputs
 * (".NAME.tmp-PID-BOOT-XXXXXX" beside an output NAME, files or GDAL's
 * directories): a writer that still runs (same boot, its pid alive) is
 * never touched, so two runs on one directory leave each other alone,
 * and a run killed with SIGKILL is cleaned up by the next one at once.
 * Temporaries of the old, ownerless form go only when they predate this
 * run. Only names this run will write are touched, so other shards'
 * files in the same directory are left alone. Returns how many were
 * removed. */
static int clean_stale(const struct evm__plan *p, time_t started)
{
    /* outputs grouped by directory: sort their paths */
    char **v = evm__calloc((size_t)p->nmine + 1, sizeof *v);
    int n = 0, removed = 0;
    if (!v)
        return 0;
    for (int i = 0; i < p->nmine; i++)
        if (p->t[p->mine[i]].output)
            v[n++] = p->t[p->mine[i]].output;
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    for (int i = 0; i < n;) {
        const char *sl = strrchr(v[i], '/');
        size_t dl = sl ? (size_t)(sl - v[i]) + 1 : 0;
        int k = i;
        while (k < n && strlen(v[k]) > dl && !strncmp(v[k], v[i], dl) &&
               !strchr(v[k] + dl, '/'))
            k++;
        if (k == i)
            k = i + 1;
        char *dir = dl ? evm__strndup(v[i], dl) : evm__strdup(".");
        DIR *d = dir ? opendir(dir) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d))) {
            char target[512];
            int owner = evm__tmp_owner(e->d_name, target, sizeof target);
            if (owner == EVM_TMP_NONE || owner == EVM_TMP_LIVE)
                continue;
            /* is target one of v[i..k)? (they are sorted by name) */
            int lo = i, hi = k - 1, hit = 0;
            while (lo <= hi && !hit) {
                int mid = (lo + hi) / 2;
                int c = strcmp(v[mid] + dl, target);
                if (c == 0)
                    hit = 1;
                else if (c < 0)
                    lo = mid + 1;
                else
                    hi = mid - 1;
            }
            if (!hit)
                continue;
            size_t pl = dl + strlen(e->d_name) + 1;
            char *path = malloc(pl);
            struct stat st;
            if (path) {
                snprintf(path, pl, "%.*s%s", (int)dl, v[i], e->d_name);
                if (lstat(path, &st) == 0 &&
                    (owner == EVM_TMP_DEAD || st.st_mtime < started) &&
                    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) &&
                    evm__remove_tree(path, 2) == 0)
                    removed++;
                free(path);
            }
        }
        if (d)
            closedir(d);
        free(dir);
        i = k;
    }
    free(v);
    return removed;
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Contract in evmap.h: plan, clean stale temporaries, then draw this
 * shard's maps on the worker threads. */
evm_status evm_batch_run(const evm_batch_jobs *jobs,
                         const evm_batch_opts *o, evm_batch_summary *sum,
                         evm_error *err)
{
    evm_batch_summary dummy;
    if (!sum)
        sum = &dummy;
    memset(sum, 0, sizeof *sum);
    if (!o)
        return evm_error_set(err, EVM_E_USAGE, "evm_batch_run: no options");
    time_t started = time(NULL);
    struct evm__plan p;
    evm_status st = evm__plan_build(jobs, o, &p, err);
    if (st != EVM_OK)
        return st;
    sum->jobs = jobs->n;
    sum->maps = p.n;
    sum->total = p.nmine;
    if (o->out_dir && *o->out_dir) {
        /* the directory itself, so that a missing one is one clear error */
        size_t n = strlen(o->out_dir);
        char *probe = malloc(n + 3);
        if (!probe) {
            evm__plan_free(&p);
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        }
        snprintf(probe, n + 3, "%s/x", o->out_dir);
        if (make_parent(probe) != 0) {
            int e = errno;
            free(probe);
            evm__plan_free(&p);
            return evm_error_set(err, EVM_E_IO, "%s: cannot create the "
                                 "output directory: %s", o->out_dir,
                                 strerror(e));
        }
        free(probe);
    }
    sum->stale_removed = clean_stale(&p, started);

    evm_gazetteer *own_gz = NULL;
    evm_renderer *own_r = NULL;
    const evm_gazetteer *gz = o->gazetteer;
    const evm_renderer *r = o->renderer;
    if (!gz && !(gz = own_gz = evm_gazetteer_open(NULL, err))) {
        evm__plan_free(&p);
        return err ? err->code : EVM_E_IO;
    }
    if (!r && !(r = own_r = evm_renderer_new(err))) {
        evm_gazetteer_close(own_gz);
        evm__plan_free(&p);
        return err ? err->code : EVM_E_IO;
    }

    struct pool pl;
    memset(&pl, 0, sizeof pl);
    pl.jobs = jobs;
    pl.o = o;
    pl.p = &p;
    pl.gz = gz;
    pl.r = r;
    pthread_mutex_init(&pl.mu, NULL);
    /* more threads than 4 per core only add memory (each keeps its own
     * Pango font map and a full-size raster): -j 512 under a memory
     * limit made Pango abort on a thread of its own */
    int nt = o->threads > 0 ? o->threads : cores();
    if (nt > EVM_BATCH_THREADS_PER_CORE * cores())
        nt = EVM_BATCH_THREADS_PER_CORE * cores();
    if (nt > p.nmine)
        nt = p.nmine > 0 ? p.nmine : 1;
    pthread_t *th = evm__calloc((size_t)nt, sizeof *th);
    int started_threads = 0;
    for (int i = 0; th && i < nt; i++) {
        if (pthread_create(&th[i], NULL, worker, &pl) != 0)
            break;
        started_threads++;
    }
    /* no thread could start: do the work here */
    if (started_threads == 0)
        worker(&pl);
    for (int i = 0; i < started_threads; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&pl.mu);

    sum->written = pl.written;
    sum->failed = pl.failed;
    sum->skipped = pl.skipped;
    sum->done = pl.written + pl.failed + pl.skipped;
    sum->cancelled = pl.stopped;
    sum->worst = pl.worst;
    evm_renderer_free(own_r);
    evm_gazetteer_close(own_gz);
    evm__plan_free(&p);
    return EVM_OK;
}
