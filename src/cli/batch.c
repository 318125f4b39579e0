/* evmap batch: a manifest or a directory of specs -> many maps, on
 * worker threads, shardable across machines; and the run/print/signal
 * shell it shares with evmap render. The work is evm_batch_run's. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "batch_cli.h"
#include "cli.h"
#include "core/core.h"

/* ------------------------------------------------------------ options */

/* The library prints nothing: its warnings come here. */
static void print_warning(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "evmap: %s\n", msg);
}

void cli_many_init(struct cli_many *c)
{
    memset(c, 0, sizeof *c);
    evm_batch_opts_init(&c->o);
    c->o.render.warn = print_warning;
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (*end != 'x' && *end != 'X')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (*end || a <= 0 || b <= 0 || a > 100000 || b > 100000)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* Contract in batch_cli.h. */
int cli_many_opt(const char *cmd, struct cli_many *c, int argc, char **argv,
                 int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    evm_render_opts *o = &c->o.render;
    if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        c->quiet = 1;
        o->quiet = 1;
        return 1;
    }
    if (!strncmp(a, "-j", 2) && a[2] >= '0' && a[2] <= '9') {
        /* -jN, as make takes it */
        if (parse_int(a + 2, 1, 1024, &c->o.threads) != 0) {
            cli_usage(cmd, "-j takes a number of threads, 1..1024");
            return 2;
        }
        return 1;
    }
    if (!strcmp(a, "--cumulative")) {
        c->o.cumulative = 1;
        return 1;
    }
    if (strcmp(a, "-f") && strcmp(a, "--format") && strcmp(a, "--size") &&
        strcmp(a, "--dpi") && strcmp(a, "--theme") &&
        strcmp(a, "--places") && strcmp(a, "-j") && strcmp(a, "--jobs") &&
        strcmp(a, "--by") && strcmp(a, "--date") && strcmp(a, "--fallback"))
        return 0;
    if (!v) {
        cli_usage(cmd, "%s needs a value", a);
        return 2;
    }
    (*i)++;
    if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
        if ((o->format = evm_format_from_name(v)) == EVM_FMT_AUTO) {
            cli_usage(cmd, "-f takes png, svg, pdf, geojson, gpkg, kml, "
                      "fgb, shp or csv");
            return 2;
        }
    } else if (!strcmp(a, "--size")) {
        if (parse_size(v, &o->width, &o->height) != 0) {
            cli_usage(cmd, "--size takes WIDTHxHEIGHT, e.g. 1600x1000");
            return 2;
        }
    } else if (!strcmp(a, "--dpi")) {
        double d;
        if (evm__parse_double(v, &d) != 0 || d < 10 || d > 2400) {
            cli_usage(cmd, "--dpi takes a number in 10..2400");
            return 2;
        }
        o->dpi = d;
    } else if (!strcmp(a, "--theme")) {
        if (!strcmp(v, "light"))
            o->theme = EVM_THEME_LIGHT;
        else if (!strcmp(v, "dark"))
            o->theme = EVM_THEME_DARK;
        else if (!strcmp(v, "print"))
            o->theme = EVM_THEME_PRINT;
        else {
            cli_usage(cmd, "--theme takes light, dark or print");
            return 2;
        }
    } else if (!strcmp(a, "--places")) {
        c->places = v;
    } else if (!strcmp(a, "--fallback")) {
        int level = evm_precision_from_name(v);
        if (level < EVM_PREC_ADMIN2 && strcmp(v, "none")) {
            cli_usage(cmd, "--fallback takes none, admin2, admin1 or "
                           "country");
            return 2;
        }
        evm_set_default_fallback(level);
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
        if (parse_int(v, 1, 1024, &c->o.threads) != 0) {
            cli_usage(cmd, "-j takes a number of threads, 1..1024");
            return 2;
        }
    } else if (!strcmp(a, "--by")) {
        if ((c->o.by = evm_period_from_name(v)) == EVM_BY_NONE) {
            cli_usage(cmd, "--by takes day, week or month");
            return 2;
        }
    } else { /* --date */
        evm_error e;
        evm_error_clear(&e);
        if (evm_date_window_parse(v, c->from, c->to, &e) != EVM_OK) {
            cli_usage(cmd, "--date: %s", e.msg);
            return 2;
        }
        c->have_date = 1;
        o->date_from = c->from[0] ? c->from : NULL;
        o->date_to = c->to[0] ? c->to : NULL;
    }
    return 1;
}

/* ------------------------------------------------------------ running */

/* Set by the handler: the signal that asked us to stop (0: none). A
 * lock-free atomic may be stored to from a signal handler (C11 7.14.1.1)
 * and read by the worker threads without a data race. */
static atomic_int stop_signal;

static void on_signal(int sig)
{
    atomic_store(&stop_signal, sig);
}

static int cancelled(void *ud)
{
    (void)ud;
    return atomic_load(&stop_signal) != 0;
}

struct printer {
    int bar;       /* draw a progress bar */
    int bar_shown; /* one is on the line now */
};

static void bar_clear(struct printer *pr)
{
    if (pr->bar_shown) {
        fputs("\r\033[K", stderr);
        pr->bar_shown = 0;
    }
}

static void bar_draw(struct printer *pr, int done, int total, int failed)
{
    enum { W = 30 };
    char b[W + 1];
    int fill = total > 0 ? (int)((long)done * W / total) : W;
    for (int k = 0; k < W; k++)
        b[k] = k < fill ? '=' : k == fill ? '>' : ' ';
    b[W] = '\0';
    fprintf(stderr, "\r[%s] %d/%d maps", b, done, total);
    if (failed)
        fprintf(stderr, ", %d failed", failed);
    /* the cursor goes back to the start of the line: a message the
     * renderer prints from a worker then writes over the bar instead of
     * running on after it */
    fputs("\033[K\r", stderr);
    fflush(stderr);
    pr->bar_shown = 1;
}

/* Called under the batch's lock: one at a time. */
static void report(void *ud, const evm_batch_result *r)
{
    struct printer *pr = ud;
    if (r->status != EVM_OK && r->err) {
        bar_clear(pr);
        const char *msg = r->err->msg[0] ? r->err->msg
                                         : evm_status_str(r->status);
        size_t sl = r->spec ? strlen(r->spec) : 0;
        /* messages from the spec reader already name the file */
        if (sl && !strncmp(msg, r->spec, sl) && msg[sl] == ':')
            fprintf(stderr, "evmap: %s\n", msg);
        else
            fprintf(stderr, "evmap: %s: %s\n", r->where, msg);
    }
    if (pr->bar)
        bar_draw(pr, r->done, r->total, r->failed);
}

/* Contract in batch_cli.h. */
int cli_many_run(const char *cmd, struct cli_many *c,
                 const evm_batch_jobs *jobs, int show_summary)
{
    (void)cmd; /* messages come from the library, already named */
    evm_error err;
    evm_error_clear(&err);
    /* fontconfig once, here, before any thread draws text */
    FcInit();
    evm_gazetteer *gz = cli_gazetteer(c->places, &err);
    if (!gz)
        return cli_fail(&err);
    evm_renderer *r = evm_renderer_new(&err);
    if (!r) {
        evm_gazetteer_close(gz);
        return cli_fail(&err);
    }
    struct printer pr = {0};
    pr.bar = !c->quiet && isatty(2);
    c->o.gazetteer = gz;
    c->o.renderer = r;
    c->o.report = report;
    c->o.report_ud = &pr;
    c->o.cancelled = cancelled;

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* a second signal ends the process at once (SA_RESETHAND) */
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    atomic_store(&stop_signal, 0);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    evm_batch_summary s;
    evm_status st = evm_batch_run(jobs, &c->o, &s, &err);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    bar_clear(&pr);
    evm_renderer_free(r);
    evm_gazetteer_close(gz);
    if (st != EVM_OK)
        return cli_fail(&err);

    if (s.stale_removed && !c->quiet)
        fprintf(stderr, "evmap: removed %d stale temporary file%s left by "
                "an interrupted run\n", s.stale_removed,
                s.stale_removed == 1 ? "" : "s");
    char shard[64] = "";
    if (c->o.shard_count > 1)
        snprintf(shard, sizeof shard, "shard %d/%d: ", c->o.shard_index,
                 c->o.shard_count);
    char skipped[48] = "";
    if (s.skipped)
        snprintf(skipped, sizeof skipped, ", %d skipped (already there)",
                 s.skipped);
    int sig = atomic_load(&stop_signal);
    if (s.cancelled) {
        fprintf(stderr, "evmap: %sinterrupted after %d of %d maps: %d "
                "written, %d failed%s; run the same command with "
                "--skip-existing to finish\n", shard, s.done, s.total,
                s.written, s.failed, skipped);
        return sig ? 128 + sig : 1;
    }
    if (s.failed || (show_summary && !c->quiet))
        fprintf(stderr, "evmap: %s%d written, %d failed%s\n", shard,
                s.written, s.failed, skipped);
    return s.failed ? 1 : 0;
}

/* ------------------------------------------------------------ command */

static int parse_shard(const char *s, int *i, int *n)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *b = end + 1;
    long c = strtol(b, &end, 10);
    if (end == b || *end || c < 1 || c > 1000000 || a < 0 || a >= c)
        return -1;
    *i = (int)a;
    *n = (int)c;
    return 0;
}

/* evmap batch MANIFEST|DIR -o OUTDIR [options]: parses argv, loads the
 * jobs and runs them; returns the exit code (see evmap help batch). */
int cmd_batch(int argc, char **argv)
{
    struct cli_many c;
    cli_many_init(&c);
    const char *src = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int k = cli_many_opt("batch", &c, argc, argv, &i);
        if (k == 2)
            return 2;
        if (k == 1)
            continue;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v)
                return cli_usage("batch", "-o needs an output directory");
            c.o.out_dir = v;
            i++;
        } else if (!strcmp(a, "--shard")) {
            if (!v || parse_shard(v, &c.o.shard_index, &c.o.shard_count))
                return cli_usage("batch", "--shard takes I/N with 0 <= I < "
                                 "N, e.g. --shard 3/10");
            i++;
        } else if (!strcmp(a, "--skip-existing")) {
            c.o.skip_existing = 1;
        } else if (!strcmp(a, "--allow-any-path")) {
            c.o.allow_any_path = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("batch", "unknown option %s", a);
        } else if (src) {
            return cli_usage("batch", "give one manifest or directory (got "
                             "%s and %s)", src, a);
        } else {
            src = a;
        }
    }
    if (!src)
        return cli_usage("batch", "give a manifest or a directory of specs");
    if (!c.o.out_dir)
        return cli_usage("batch", "give the output directory with -o DIR");
    if (!strcmp(c.o.out_dir, "-"))
        return cli_usage("batch", "a batch writes files: -o takes a "
                         "directory, not -");
    evm_batch_jobs jobs;
    evm_batch_jobs_init(&jobs);
    evm_error err;
    evm_error_clear(&err);
    struct stat st;
    evm_status s = stat(src, &st) == 0 && S_ISDIR(st.st_mode)
                       ? evm_batch_jobs_from_dir(src, &jobs, &err)
                       : evm_manifest_load(src, &jobs, &err);
    int rc = s == EVM_OK ? cli_many_run("batch", &c, &jobs, 1)
                         : cli_fail(&err);
    evm_batch_jobs_free(&jobs);
    return rc;
}
