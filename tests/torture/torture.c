/* Allocation-failure injection, as curl's torture tests do it: each
 * scenario (a small map loaded, resolved and drawn as PNG, SVG and
 * GeoJSON; an event table read, with a place and a country column,
 * drawn as markers, hexagons, a heat map and dots, and exported) runs
 * once to count the allocations libevmap makes, then once for every N
 * with the N-th allocation failing. Every run must end in EVM_OK or an error
 * (EVM_E_NOMEM, or a clean failure such as EVM_E_IO for a lost write),
 * never a crash, and leave no temporary file; under AddressSanitizer,
 * LeakSanitizer then checks that nothing leaked. A run that succeeds
 * must write what the run without injection wrote: a failure that is
 * not reported may only cost time (a cache rebuilt), never content.
 * TORTURE_STRICT=0 in the environment only counts such runs.
 *
 * Only libevmap's own allocations fail: the program is linked with
 * -Wl,--wrap for malloc, calloc, realloc, strdup and strndup, which
 * redirects the calls made by the objects of libevmap.a (not those of
 * cairo, Pango or GLib, whose g_malloc aborts by design). glibc's malloc
 * hooks are gone and LD_PRELOAD would catch every library's calls.
 *
 * Usage: torture [STEP [FIRST]] -- test every STEP-th N (1: all). */
#include <dirent.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmap.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t k);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

/* allocations so far in this run: atomic, as a PNG's basemap is drawn
 * on a thread of its own (which of two threads makes the N-th one may
 * vary from run to run; every N still fails one allocation) */
static _Atomic long counter;
static long fail_at;  /* which one fails (0: none) */
static int armed;

static int should_fail(void)
{
    if (!armed)
        return 0;
    if (++counter != fail_at)
        return 0;
    if (getenv("TORTURE_BACKTRACE")) { /* where the failing one is made */
        void *bt[16];
        armed = 0;
        backtrace_symbols_fd(bt, backtrace(bt, 16), 2);
        armed = 1;
    }
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t k)
{
    return should_fail() ? NULL : __real_calloc(n, k);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

static char dir[256];
static evm_gazetteer *gz;

static const char SPEC[] =
    "title: Torture\n"
    "subtitle: every allocation fails once\n"
    "size: [320, 200]\n"
    "extent: [60, 40, 80, 50]\n"
    "events:\n"
    "  - { place: Almaty, type: protest, date: 2022-01-05, label: Square }\n"
    "  - { lat: 43.3, lon: 68.25, type: riot, fatalities: 3 }\n"
    "movements:\n"
    "  - { from: { lat: 47, lon: 70 }, to: Almaty, type: advance, "
    "label: Convoy }\n"
    "areas:\n"
    "  - { place: Kazakhstan, type: unrest }\n";

static const char TABLE[] =
    "latitude,longitude,event_date,event_type,country,location,notes\n"
    "43.25,76.92,2022-01-05,Protests,Kazakhstan,Almaty,a\n"
    "51.17,71.43,2022-01-06,Riots,Kazakhstan,Astana,b\n"
    ",,2022-01-07,Protests,Kazakhstan,Shymkent,c\n";

/* A small map to PNG, SVG and GeoJSON. */
static evm_status scenario_render(evm_error *e)
{
    evm_map *m = evm_map_load_buffer("torture.yaml", SPEC, sizeof SPEC - 1,
                                     e);
    if (!m)
        return e->code;
    evm_status st = evm_map_resolve(m, gz, e);
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    char out[300];
    snprintf(out, sizeof out, "%s/t.png", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &o, out, e);
    o.format = EVM_FMT_SVG;
    snprintf(out, sizeof out, "%s/t.svg", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &o, out, e);
    o.format = EVM_FMT_GEOJSON;
    snprintf(out, sizeof out, "%s/t.geojson", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &o, out, e);
    evm_map_free(m);
    return st;
}

/* A CSV table read into a map, drawn as markers, hexagons, a heat map
 * and dots, and exported to GeoJSON. */
static evm_status scenario_table(evm_error *e)
{
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/events.csv", dir);
    evm_table_opts o;
    evm_table_opts_init(&o);
    o.gz = gz;
    evm_map *m = evm_map_load_table(in, &o, NULL, e);
    if (!m)
        return e->code;
    evm_render_opts ro;
    evm_render_opts_init(&ro);
    ro.quiet = 1;
    ro.width = 320;
    ro.height = 240;
    snprintf(out, sizeof out, "%s/events.png", dir);
    evm_status st = evm_map_render(m, &ro, out, e);
    ro.style = evm_style_from_name("hexbin");
    snprintf(out, sizeof out, "%s/hexbin.png", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &ro, out, e);
    ro.style = evm_style_from_name("heatmap");
    snprintf(out, sizeof out, "%s/heatmap.png", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &ro, out, e);
    ro.style = evm_style_from_name("points");
    snprintf(out, sizeof out, "%s/points.png", dir);
    if (st == EVM_OK)
        st = evm_map_render(m, &ro, out, e);
    evm_map_free(m);
    snprintf(out, sizeof out, "%s/events.geojson", dir);
    if (st == EVM_OK)
        st = evm_table_export(in, &o, EVM_FMT_GEOJSON, out, NULL, e);
    return st;
}

/* The bytes of dir/name (NULL if none); *n its length. */
static char *slurp(const char *name, size_t *n)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    char *b = NULL;
    *n = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long len = ftell(f);
        rewind(f);
        if (len >= 0 && (b = __real_malloc((size_t)len + 1)) &&
            fread(b, 1, (size_t)len, f) == (size_t)len)
            *n = (size_t)len;
    }
    fclose(f);
    return b;
}

/* The outputs of a scenario, kept from its run without injection. */
#define NOUT 5
struct ref {
    const char *name[NOUT];
    char *data[NOUT];
    size_t len[NOUT];
};

static void ref_take(struct ref *r)
{
    for (int i = 0; i < NOUT && r->name[i]; i++)
        r->data[i] = slurp(r->name[i], &r->len[i]);
}

/* 1 when an output differs from the reference (or is missing); removes
 * the outputs so the next run starts without them. */
static int ref_differs(const struct ref *r)
{
    int d = 0;
    for (int i = 0; i < NOUT && r->name[i]; i++) {
        size_t n;
        char *b = slurp(r->name[i], &n);
        d |= !b || n != r->len[i] || memcmp(b, r->data[i], n) != 0;
        free(b);
        char p[300];
        snprintf(p, sizeof p, "%s/%s", dir, r->name[i]);
        unlink(p);
    }
    return d;
}

/* Files in dir that are temporaries (".*.tmp*"). */
static int temporaries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        n += de->d_name[0] == '.' && strstr(de->d_name, ".tmp") != NULL;
    if (d)
        closedir(d);
    return n;
}

/* Runs fn once to count its allocations, then with each N-th failing.
 * A run may fail (with a message) or succeed; one that succeeds must
 * write what the run without injection wrote, or it lost something
 * without saying so: counted, and a failure when strict. */
static int run(const char *name, evm_status (*fn)(evm_error *),
               struct ref *ref, long step, long first, int strict)
{
    evm_error e;
    evm_error_clear(&e);
    counter = 0;
    fail_at = 0;
    armed = 1;
    evm_status st = fn(&e);
    armed = 0;
    long total = counter;
    if (st != EVM_OK) {
        fprintf(stderr, "%s: fails without injection: %s\n", name, e.msg);
        return 1;
    }
    ref_take(ref);
    int bad = 0;
    long tried = 0, failed = 0, silent = 0;
    for (long n = first; n <= total; n += step) {
        evm_error_clear(&e);
        counter = 0;
        fail_at = n;
        armed = 1;
        st = fn(&e);
        armed = 0;
        tried++;
        failed += st != EVM_OK;
        int differs = ref_differs(ref);
        if (getenv("TORTURE_VERBOSE"))
            fprintf(stderr, "%s %ld: %d%s %s\n", name, n, (int)st,
                    st == EVM_OK && differs ? " (output differs)" : "",
                    e.msg);
        if (st != EVM_OK && !e.msg[0]) {
            fprintf(stderr, "FAIL %s: allocation %ld: status %d without a "
                    "message\n", name, n, (int)st);
            bad++;
        }
        if (st == EVM_OK && differs) {
            silent++;
            if (strict) {
                fprintf(stderr, "FAIL %s: allocation %ld: success, but the "
                        "output differs\n", name, n);
                bad++;
            }
        }
        if (temporaries()) {
            fprintf(stderr, "FAIL %s: allocation %ld: a temporary file is "
                    "left\n", name, n);
            bad++;
            break;
        }
    }
    printf("%s: %ld allocations, %ld failed in turn: %ld runs failed "
           "cleanly, %ld succeeded with the same output, %ld succeeded with "
           "another output%s: %s\n", name, total, tried, failed,
           tried - failed - silent, silent,
           strict ? "" : " (TORTURE_STRICT=0: counted only)",
           bad ? "FAILED" : "ok");
    for (int i = 0; i < NOUT; i++)
        free(ref->data[i]);
    return bad;
}

int main(int argc, char **argv)
{
    long step = argc > 1 ? atol(argv[1]) : 1;
    long first = argc > 2 ? atol(argv[2]) : 1;
    if (step < 1)
        step = 1;
    if (first < 1)
        first = 1;
    snprintf(dir, sizeof dir, "%s/evmap-torture-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char p[300];
    snprintf(p, sizeof p, "%s/events.csv", dir);
    FILE *f = fopen(p, "w");
    if (!f || fputs(TABLE, f) < 0 || fclose(f) != 0) {
        perror(p);
        return 1;
    }
    evm_error e;
    evm_error_clear(&e);
    if (!(gz = evm_gazetteer_open(NULL, &e))) {
        fprintf(stderr, "gazetteer: %s\n", e.msg);
        return 1;
    }
    const char *sv = getenv("TORTURE_STRICT");
    int strict = !sv || strcmp(sv, "0") != 0;
    struct ref r1 = {{"t.png", "t.svg", "t.geojson"}, {0}, {0}};
    struct ref r2 = {{"events.png", "hexbin.png", "heatmap.png",
                      "points.png", "events.geojson"}, {0}, {0}};
    int bad = run("render", scenario_render, &r1, step, first, strict);
    bad += run("table", scenario_table, &r2, step, first, strict);
    evm_gazetteer_close(gz);
    const char *names[] = {"t.png",      "t.svg",      "t.geojson",
                           "events.png", "hexbin.png", "heatmap.png",
                           "points.png", "events.geojson", "events.csv"};
    for (int i = 0; i < 9; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    printf("%d passed, %d failed\n", bad ? 0 : 2, bad ? 1 : 0);
    return bad ? 1 : 0;
}
