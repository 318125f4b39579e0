/* The batch engine: calendar periods and their labels, date windows,
 * manifests (jobs, defaults, inline specs, errors at line:col), output
 * names (refused paths, duplicates), shards that split the maps exactly
 * once, the frames of a series, and a small threaded run with failures
 * isolated and nothing partial left behind. */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "harness.h"
#include "evmap.h"
#include "batch/batch.h"
#include "core/core.h"
#include "model.h"

static char dir[256];

static const char *tmp(const char *name)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

/* ------------------------------------------------------------ periods */

static void test_days(void)
{
    long d, e;
    CHECK(evm__day_parse("1970-01-01", &d) == 0 && d == 0, "epoch is day 0");
    CHECK(evm__day_parse("2022-01-03", &d) == 0 && evm__day_weekday(d) == 1,
          "3 January 2022 was a Monday");
    CHECK(evm__day_parse("2022-01-02", &d) == 0 && evm__day_weekday(d) == 7,
          "2 January 2022 was a Sunday");
    CHECK(evm__day_parse("2024-02-29", &d) == 0, "2024 is a leap year");
    CHECK(evm__day_parse("2023-02-29", &d) < 0, "2023 is not");
    CHECK(evm__day_parse("1900-02-29", &d) < 0, "1900 is not");
    CHECK(evm__day_parse("2000-02-29", &d) == 0, "2000 is");
    CHECK(evm__day_parse("2022-13-01", &d) < 0, "no month 13");
    CHECK(evm__day_parse("2022-1-01", &d) < 0, "two-digit months");
    CHECK(evm__day_parse("2022-01-01T00:00", &d) < 0, "days only");
    CHECK(evm__day_parse("2021-12-31", &d) == 0 &&
          evm__day_parse("2022-01-01", &e) == 0 && e == d + 1,
          "days are consecutive across a year");
    char b[11];
    evm__day_format(d, b);
    CHECK_STR(b, "2021-12-31", "day round trip");
    evm__day_format(-1, b);
    CHECK_STR(b, "1969-12-31", "day before the epoch");
}

static void test_frames(void)
{
    evm_series_frame *f = NULL;
    evm_error err;
    evm_error_clear(&err);
    int n = evm_series_frames(EVM_BY_DAY, "2022-01-02", "2022-01-06", 0,
                              &f, &err);
    CHECK(n == 5, "5 days, got %d (%s)", n, err.msg);
    if (n == 5) {
        CHECK_STR(f[0].first, "2022-01-02", "first day");
        CHECK_STR(f[4].first, "2022-01-06", "last day");
        CHECK_STR(f[4].last, "2022-01-06", "a day ends on itself");
        CHECK_STR(f[4].label, "6 January 2022", "day label");
    }
    free(f);
    n = evm_series_frames(EVM_BY_DAY, "2022-01-02", "2022-01-06", 1, &f,
                          &err);
    CHECK(n == 5 && !strcmp(f[4].label, "up to 6 January 2022"),
          "cumulative day label: %s", n > 0 ? f[n - 1].label : err.msg);
    free(f);

    /* ISO weeks start on Monday: Sunday 2 January is in the week of 27
     * December 2021 */
    n = evm_series_frames(EVM_BY_WEEK, "2022-01-02", "2022-01-06", 0, &f,
                          &err);
    CHECK(n == 2, "2 weeks, got %d", n);
    if (n == 2) {
        CHECK_STR(f[0].first, "2021-12-27", "week of the Sunday");
        CHECK_STR(f[0].last, "2022-01-02", "week ends on Sunday");
        CHECK_STR(f[1].first, "2022-01-03", "next Monday");
        CHECK_STR(f[1].label, "Week of 3 January 2022", "week label");
    }
    free(f);
    n = evm_series_frames(EVM_BY_WEEK, "2022-01-03", "2022-01-09", 1, &f,
                          &err);
    CHECK(n == 1 && !strcmp(f[0].label, "up to 9 January 2022"),
          "one week, cumulative label: %s", n > 0 ? f[0].label : err.msg);
    free(f);

    n = evm_series_frames(EVM_BY_MONTH, "2021-12-15", "2022-02-01", 0, &f,
                          &err);
    CHECK(n == 3, "3 months, got %d", n);
    if (n == 3) {
        CHECK_STR(f[0].first, "2021-12-01", "month starts on the 1st");
        CHECK_STR(f[0].last, "2021-12-31", "December ends on the 31st");
        CHECK_STR(f[1].label, "January 2022", "month label");
        CHECK_STR(f[2].first, "2022-02-01", "third month");
    }
    free(f);
    n = evm_series_frames(EVM_BY_MONTH, "2024-02-10", "2024-02-10", 1, &f,
                          &err);
    CHECK(n == 1 && !strcmp(f[0].last, "2024-02-29") &&
          !strcmp(f[0].label, "up to 29 February 2024"),
          "leap February: %s", n > 0 ? f[0].label : err.msg);
    free(f);
    n = evm_series_frames(EVM_BY_DAY, "2020-01-01", "2020-12-31", 0, &f,
                          &err);
    CHECK(n == 366, "a leap year has 366 days, got %d", n);
    free(f);

    evm_error_clear(&err);
    n = evm_series_frames(EVM_BY_DAY, "2022-01-06", "2022-01-02", 0, &f,
                          &err);
    CHECK(n < 0 && f == NULL && err.code == EVM_E_INPUT, "reversed range");
    evm_error_clear(&err);
    n = evm_series_frames(EVM_BY_DAY, "2022-02-30", "2022-03-02", 0, &f,
                          &err);
    CHECK(n < 0 && strstr(err.msg, "2022-02-30"), "bad day named: %s",
          err.msg);
    evm_error_clear(&err);
    n = evm_series_frames(EVM_BY_NONE, "2022-01-01", "2022-01-02", 0, &f,
                          &err);
    CHECK(n < 0, "no period");
    evm_error_clear(&err);
    n = evm_series_frames(EVM_BY_DAY, "0001-01-01", "9999-12-31", 0, &f,
                          &err);
    CHECK(n < 0 && err.code == EVM_E_TOOBIG, "too many frames refused");

    CHECK(evm_period_from_name("week") == EVM_BY_WEEK, "week");
    CHECK(evm_period_from_name("Monthly") == EVM_BY_MONTH, "Monthly");
    CHECK(evm_period_from_name("year") == EVM_BY_NONE, "no years");
}

static void test_windows(void)
{
    char a[11], b[11];
    evm_error err;
    evm_error_clear(&err);
    CHECK(evm_date_window_parse("2022-01-06", a, b, &err) == EVM_OK &&
          !strcmp(a, "2022-01-06") && !strcmp(b, "2022-01-06"), "one day");
    CHECK(evm_date_window_parse("2022-02", a, b, &err) == EVM_OK &&
          !strcmp(a, "2022-02-01") && !strcmp(b, "2022-02-28"),
          "a month: %s..%s", a, b);
    CHECK(evm_date_window_parse("2022-01-02..2022-01-05", a, b, &err) ==
              EVM_OK && !strcmp(a, "2022-01-02") && !strcmp(b, "2022-01-05"),
          "a window");
    CHECK(evm_date_window_parse("..2022-01-05", a, b, &err) == EVM_OK &&
          !a[0] && !strcmp(b, "2022-01-05"), "open start");
    CHECK(evm_date_window_parse("2022-01-05..", a, b, &err) == EVM_OK &&
          !strcmp(a, "2022-01-05") && !b[0], "open end");
    CHECK(evm_date_window_parse("1990-01-01/1999-12-31", a, b, &err) ==
              EVM_OK && !strcmp(a, "1990-01-01") && !strcmp(b, "1999-12-31"),
          "an ISO 8601 interval");
    static const char *const bad[] = {
        "", "..", "2022-01-06..2022-01-02", "2022-13", "6 Jan 2022",
        "2022-01-32", "2022-01-02...2022-01-03", "/2022-01-02",
        "2022-01-02/", "1999-12-31/1990-01-01", NULL};
    for (int i = 0; bad[i]; i++) {
        evm_error_clear(&err);
        CHECK(evm_date_window_parse(bad[i], a, b, &err) == EVM_E_INPUT &&
              err.msg[0], "bad window \"%s\" refused", bad[i]);
    }
}

/* ----------------------------------------------------------- manifests */

static evm_status load(const char *text, evm_batch_jobs *j, evm_error *err)
{
    evm_batch_jobs_init(j);
    evm_error_clear(err);
    return evm_manifest_load_buffer("dir/m.yaml", text, strlen(text), j,
                                    err);
}

static void test_manifest(void)
{
    evm_batch_jobs j;
    evm_error err;
    CHECK(load("- a.yaml\n- /abs/b.yaml\n- {spec: c.yaml, output: x/c.svg,"
               " size: 400x250, theme: dark, date: 2022-01-06,"
               " by: week, cumulative: true, dpi: 150, format: svg,"
               " subtitle: Hello}\n", &j, &err) == EVM_OK,
          "a list of jobs: %s", err.msg);
    CHECK(j.n == 3, "3 jobs, got %d", j.n);
    if (j.n == 3) {
        CHECK_STR(j.v[0].spec, "dir/a.yaml", "relative to the manifest");
        CHECK_STR(j.v[1].spec, "/abs/b.yaml", "absolute kept");
        CHECK(j.v[0].line == 1 && j.v[0].col == 3, "job position %d:%d",
              j.v[0].line, j.v[0].col);
        const evm_batch_job *c = &j.v[2];
        CHECK_STR(c->output, "x/c.svg", "output");
        CHECK(c->width == 400 && c->height == 250, "size");
        CHECK(c->theme == EVM_THEME_DARK, "theme");
        CHECK(c->format == EVM_FMT_SVG, "format");
        CHECK(c->dpi == 150, "dpi");
        CHECK(c->by == EVM_BY_WEEK && c->cumulative == 1, "by, cumulative");
        CHECK_STR(c->date_from, "2022-01-06", "date from");
        CHECK_STR(c->date_to, "2022-01-06", "date to");
        CHECK_STR(c->subtitle, "Hello", "subtitle");
        CHECK(j.v[0].theme == -1 && j.v[0].cumulative == -1 &&
              j.v[0].by == EVM_BY_NONE && !j.v[0].output, "unset fields");
    }
    evm_batch_jobs_free(&j);

    /* jobs: and defaults:, a job overriding a default */
    CHECK(load("defaults:\n  size: [400, 250]\n  theme: print\n"
               "  date: [2022-01-03, ~]\n"
               "jobs:\n  - a.yaml\n  - spec: b.yaml\n    theme: light\n",
               &j, &err) == EVM_OK, "defaults: %s", err.msg);
    if (j.n == 2) {
        CHECK(j.v[0].width == 400 && j.v[0].theme == EVM_THEME_PRINT,
              "defaults apply");
        CHECK(j.v[1].theme == EVM_THEME_LIGHT && j.v[1].height == 250,
              "a job's own value wins");
        CHECK(j.v[0].date_from && !strcmp(j.v[0].date_from, "2022-01-03") &&
              j.v[0].date_to && !j.v[0].date_to[0], "open window default");
    } else {
        CHECK(0, "2 jobs, got %d", j.n);
    }
    evm_batch_jobs_free(&j);

    /* an inline spec keeps the manifest's positions */
    const char *inl =
        "jobs:\n"
        "  - spec:\n"
        "      title: Inline\n"
        "      events:\n"
        "        - { lat: 43.25, lon: 76.95, type: riot }\n"
        "        - { lat: 43.25, lon: 76.95, type: rioot }\n"
        "    output: inline.png\n"
        "  - spec: { title: Flow, events: [{lat: 1, lon: 2, type: riot}] }\n";
    CHECK(load(inl, &j, &err) == EVM_OK, "inline: %s", err.msg);
    if (j.n == 2) {
        CHECK(j.v[0].inline_doc && !j.v[0].spec && !j.v[0].text,
              "inline spec kept as a node of the manifest");
        CHECK_STR(j.v[0].name, "dir/m.yaml", "inline named by manifest");
        CHECK_STR(j.v[0].output, "inline.png", "inline output");
        evm_error e2;
        evm_error_clear(&e2);
        evm_map *m = evm__job_load_map(&j.v[0], &e2);
        CHECK(!m && strstr(e2.msg, "dir/m.yaml:6:"),
              "inline spec error at the manifest's line: %s", e2.msg);
        evm_map_free(m);
        evm_error_clear(&e2);
        m = evm__job_load_map(&j.v[1], &e2);
        CHECK(m != NULL, "flow inline spec loads: %s", e2.msg);
        evm_map_free(m);
    } else {
        CHECK(0, "2 inline jobs, got %d", j.n);
    }
    evm_batch_jobs_free(&j);

    /* a multi-byte character before an inline spec */
    CHECK(load("- {output: \"Алматы.png\", spec: {title: Т, events: "
               "[{lat: 1, lon: 2, type: riot}]}}\n", &j, &err) == EVM_OK &&
              j.n == 1, "UTF-8 before an inline spec: %s", err.msg);
    if (j.n == 1) {
        evm_error e2;
        evm_error_clear(&e2);
        evm_map *m = evm__job_load_map(&j.v[0], &e2);
        CHECK(m != NULL, "the slice is the spec: %s", e2.msg);
        evm_map_free(m);
    }
    evm_batch_jobs_free(&j);

    /* errors: each at its line:col, and nothing appended */
    static const struct { const char *text, *want; } bad[] = {
        {"", "m.yaml:1:1: the manifest is empty"},
        {"jobs: []\n", "m.yaml:1:7: the manifest lists no jobs"},
        {"jobs: a.yaml\n", "m.yaml:1:7: jobs must be a list"},
        {"job: [a.yaml]\n", "m.yaml:1:1: unknown key \"job\" at the top of "
                            "the manifest; did you mean \"jobs\"?"},
        {"- a.yaml\n- {spec: b.yaml, fromat: svg}\n",
         "m.yaml:2:18: unknown key \"fromat\" in a job; did you mean "
         "\"format\"?"},
        {"- a.yaml\n- {output: x.png}\n", "m.yaml:2:3: a job needs spec:"},
        {"- [a.yaml]\n", "m.yaml:1:3: a job is a spec path or a mapping"},
        {"- ~\n", "m.yaml:1:3: a job is a spec path"},
        {"- {spec: a.yaml, size: 10x10}\n", "m.yaml:1:24: size must be"},
        {"- {spec: a.yaml, size: [400]}\n", "m.yaml:1:24: size must be"},
        {"- {spec: a.yaml, date: 2022-02-30}\n", "m.yaml:1:24: bad date"},
        {"- {spec: a.yaml, date: [2022-01-05, 2022-01-01]}\n",
         "m.yaml:1:24: the date window ends before it starts"},
        {"- {spec: a.yaml, by: year}\n", "m.yaml:1:22: by must be day"},
        {"- {spec: a.yaml, theme: pink}\n", "m.yaml:1:25: theme must be"},
        {"- {spec: a.yaml, format: tiff}\n", "m.yaml:1:26: format must be"},
        {"- {spec: a.yaml, cumulative: maybe}\n",
         "m.yaml:1:30: cumulative must be true or false"},
        {"- {spec: a.yaml, output: out/}\n",
         "m.yaml:1:26: output \"out/\" names a directory"},
        {"- {spec: a.yaml, spec: b.yaml}\n", "m.yaml:1:18: spec: given twice"},
        {"defaults: {output: x.png}\njobs: [a.yaml]\n",
         "m.yaml:1:12: output: cannot be a default"},
        {"- a.yaml\n- {spec: b.yaml\n", "m.yaml:3:1: YAML syntax error"},
        {"- a.yaml\n---\n- b.yaml\n", "m.yaml:2:1: a second YAML document"},
        {"- {spec: {}, dpi: 5}\n", "m.yaml:1:19: dpi must be a number"},
        {"- {spec: a.yaml, output: \"a\\0b.png\"}\n",
         "m.yaml:1:26: output contains a NUL character"},
        {"- {spec: \"a\\0.yaml\"}\n",
         "m.yaml:1:10: spec contains a NUL character"},
        {"- \"a\\0.yaml\"\n", "m.yaml:1:3: a job's spec contains a NUL"},
        {"- {spec: a.yaml, output: '.'}\n",
         "m.yaml:1:26: output \".\" names a directory"},
        {"- {spec: a.yaml, output: maps/..}\n",
         "m.yaml:1:26: output \"maps/..\" names a directory"},
        {"- {spec: a.yaml, subtitle: \"a\\0b\"}\n",
         "m.yaml:1:28: subtitle contains a NUL character"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        evm_status st = load(bad[i].text, &j, &err);
        CHECK(st == EVM_E_INPUT && j.n == 0 &&
              !strncmp(err.msg, "dir/", 4) &&
              !strncmp(err.msg + 4, bad[i].want, strlen(bad[i].want)),
              "manifest %zu: got \"%s\", want \"%s...\"", i, err.msg,
              bad[i].want);
        evm_batch_jobs_free(&j);
    }
    evm_batch_jobs_init(&j);
    evm_error_clear(&err);
    CHECK(evm_manifest_load(tmp("none.yaml"), &j, &err) == EVM_E_IO &&
          strstr(err.msg, "none.yaml"), "missing manifest: %s", err.msg);
    CHECK(evm_manifest_load_buffer("m.yaml", "- a\xff\n", 4, &j, &err) ==
              EVM_E_INPUT, "invalid UTF-8 refused");
    evm_batch_jobs_free(&j);
}

/* ------------------------------------------------------------- plans */

static int plan(const evm_batch_jobs *j, evm_batch_opts *o,
                struct evm__plan *p, evm_error *err)
{
    evm_error_clear(err);
    return evm__plan_build(j, o, p, err);
}

/* The manifest reader is the spec's YAML reader: its limits hold, and
 * anchors defined in one job are usable in the next. */
static void test_manifest_yaml(void)
{
    evm_batch_jobs j;
    evm_error err;
    evm_batch_jobs_init(&j);
    evm_error_clear(&err);
    const char *text =
        "jobs:\n"
        "  - spec: &base\n"
        "      title: Base\n"
        "      events: [{lat: 43.25, lon: 76.95, type: riot, "
        "label: &lbl Almaty}]\n"
        "    output: a.png\n"
        "  - spec: *base\n"
        "    output: b.png\n"
        "  - spec: {title: Other, events: [{lat: 1, lon: 2, type: riot, "
        "label: *lbl}]}\n"
        "    output: c.png\n";
    /* the jobs outlive the manifest's text */
    char *copy = strdup(text);
    CHECK(copy && evm_manifest_load_buffer("dir/m.yaml", copy, strlen(copy),
                                           &j, &err) == EVM_OK &&
              j.n == 3, "anchors across jobs: %s", err.msg);
    free(copy);
    static const char *const title[3] = {"Base", "Base", "Other"};
    for (int i = 0; i < j.n && i < 3; i++) {
        evm_error e2;
        evm_error_clear(&e2);
        evm_map *m = evm__job_load_map(&j.v[i], &e2);
        CHECK(m && m->title && !strcmp(m->title, title[i]) &&
                  m->nevents == 1 && m->events[0].label &&
                  !strcmp(m->events[0].label, "Almaty"),
              "job %d: the aliased spec and label: %s", i, e2.msg);
        evm_map_free(m);
    }
    evm_batch_jobs_free(&j);

    /* 400 KB of nested brackets: refused at the 33rd level, at once */
    size_t n = 400000;
    char *deep = malloc(n + 32);
    if (deep) {
        memcpy(deep, "- {spec: a.yaml, size: ", 23);
        memset(deep + 23, '[', n);
        deep[23 + n] = '\0';
        evm_error_clear(&err);
        CHECK(evm_manifest_load_buffer("m.yaml", deep, strlen(deep), &j,
                                       &err) == EVM_E_INPUT && j.n == 0 &&
                  strstr(err.msg, "m.yaml:1:") &&
                  strstr(err.msg, "nests more than 32 levels"),
              "nested brackets: %s", err.msg);
        free(deep);
    }

    /* a label aliased thousands of times in an inline spec: the spec's
     * walk stops at its text budget, naming where */
    evm_buf b;
    evm__buf_init(&b, (size_t)64 << 20);
    /* (each label within the 500-character limit of text on a map) */
    evm__buf_puts(&b, "- spec:\n    title: t\n    events:\n"
                      "      - {lat: 1, lon: 2, type: riot, label: &t \"");
    for (int i = 0; i < 60; i++)
        evm__buf_puts(&b, "lol lol ");
    evm__buf_puts(&b, "\"}\n");
    for (int i = 0; i < 8000; i++)
        evm__buf_puts(&b, "      - {lat: 1, lon: 2, type: riot, label: *t}\n");
    CHECK(!b.failed, "bomb built");
    evm_error_clear(&err);
    CHECK(!b.failed && evm_manifest_load_buffer("m.yaml", b.data, b.len, &j,
                                                &err) == EVM_OK && j.n == 1,
          "the manifest itself loads: %s", err.msg);
    if (j.n == 1) {
        evm_error_clear(&err);
        evm_map *m = evm__job_load_map(&j.v[0], &err);
        CHECK(!m && err.code == EVM_E_INPUT && strstr(err.msg, "m.yaml:") &&
                  strstr(err.msg, "expands to too much text"),
              "aliased labels: %s", err.msg);
        evm_map_free(m);
    }
    evm_batch_jobs_free(&j);
    evm__buf_free(&b);

    /* aliases past the limit */
    evm__buf_init(&b, (size_t)8 << 20);
    evm__buf_puts(&b, "- &j {spec: a.yaml}\n");
    for (int i = 0; i < 70000; i++)
        evm__buf_puts(&b, "- *j\n");
    evm_error_clear(&err);
    CHECK(!b.failed && evm_manifest_load_buffer("m.yaml", b.data, b.len, &j,
                                                &err) == EVM_E_INPUT &&
              strstr(err.msg, "m.yaml:65538:3: more than 65536 aliases"),
          "too many aliases: %s", err.msg);
    evm_batch_jobs_free(&j);
    evm__buf_free(&b);
}

static void test_paths(void)
{
    static const char *const refused[] = {
        "../x.png", "/abs/x.png", "a/../../x.png", "a/..", "..", "", "d/",
        NULL};
    for (int i = 0; refused[i]; i++)
        CHECK(evm__output_name_refused(refused[i], 0) != NULL,
              "\"%s\" refused", refused[i]);
    static const char *const fine[] = {
        "x.png", "a/b/x.png", "./x.png", "a..b.png", "..x.png", "x..", NULL};
    for (int i = 0; fine[i]; i++)
        CHECK(evm__output_name_refused(fine[i], 0) == NULL,
              "\"%s\" accepted", fine[i]);
    CHECK(evm__output_name_refused("/abs/x.png", 1) == NULL &&
          evm__output_name_refused("../x.png", 1) == NULL,
          "--allow-any-path accepts them");

    /* the plan refuses them before anything renders, naming the job */
    evm_batch_jobs j;
    evm_error err;
    CHECK(load("- a.yaml\n- {spec: b.yaml, output: ../up.png}\n", &j, &err)
              == EVM_OK, "load: %s", err.msg);
    evm_batch_opts o;
    evm_batch_opts_init(&o);
    o.out_dir = "out";
    struct evm__plan p;
    CHECK(plan(&j, &o, &p, &err) == EVM_E_INPUT &&
          strstr(err.msg, "dir/m.yaml:2:3: output \"../up.png\""),
          "refused path: %s", err.msg);
    o.allow_any_path = 1;
    CHECK(plan(&j, &o, &p, &err) == EVM_OK && p.n == 2, "allowed: %s",
          err.msg);
    if (p.n == 2) {
        CHECK_STR(p.t[0].output, "out/a.png", "derived name");
        CHECK_STR(p.t[1].output, "out/../up.png", "relative to out dir");
    }
    evm__plan_free(&p);
    evm_batch_jobs_free(&j);
}

static void test_duplicates(void)
{
    evm_batch_jobs j;
    evm_error err;
    evm_batch_opts o;
    evm_batch_opts_init(&o);
    o.out_dir = "out/";
    struct evm__plan p;
    static const struct { const char *text, *want; } dup[] = {
        {"- {spec: a.yaml, output: x.png}\n- {spec: b.yaml, output: x.png}\n",
         "dir/m.yaml:2:3: output \"out/x.png\" is also written by the job "
         "at dir/m.yaml:1:3"},
        {"- {spec: a.yaml, output: s/x.png}\n"
         "- {spec: b.yaml, output: ./s//x.png}\n", "is also written"},
        {"- one/kaz.yaml\n- two/kaz.yaml\n", "output \"out/kaz.png\""},
        {"- {spec: a.yaml, output: kaz}\n- kaz.yaml\n", "is also written"},
        {"- {spec: a.yaml, output: s/../x.png}\n- x.yaml\n",
         "is also written"},
    };
    for (size_t i = 0; i < sizeof dup / sizeof dup[0]; i++) {
        CHECK(load(dup[i].text, &j, &err) == EVM_OK, "load %zu: %s", i,
              err.msg);
        o.allow_any_path = i == 4; /* ".." normalised away */
        CHECK(plan(&j, &o, &p, &err) == EVM_E_INPUT &&
              strstr(err.msg, dup[i].want) && p.n == 0,
              "duplicate %zu: got \"%s\"", i, err.msg);
        evm__plan_free(&p);
        evm_batch_jobs_free(&j);
    }
    /* same stem, different formats: no clash */
    CHECK(load("- {spec: a.yaml, format: svg}\n- a.yaml\n", &j, &err) ==
              EVM_OK, "load");
    CHECK(plan(&j, &o, &p, &err) == EVM_OK && p.n == 2 &&
              !strcmp(p.t[0].output, "out/a.svg"),
          "a.svg and a.png: %s", err.msg);
    evm__plan_free(&p);
    evm_batch_jobs_free(&j);
}

static void test_shards(void)
{
    /* 23 jobs, 2 of them a 5-day series: 31 maps */
    write_file(tmp("series.yaml"),
               "events:\n"
               "  - { lat: 43.2, lon: 76.9, type: riot, date: 2022-01-02 }\n"
               "  - { lat: 43.2, lon: 76.9, type: riot, date: 2022-01-06 }\n");
    evm_batch_jobs j;
    evm_batch_jobs_init(&j);
    evm_error err;
    evm_error_clear(&err);
    char name[64];
    for (int i = 0; i < 21; i++) {
        snprintf(name, sizeof name, "specs/s%02d.yaml", i);
        evm_batch_jobs_add_spec(&j, name, &err);
    }
    evm_batch_job *s = evm_batch_jobs_add_spec(&j, tmp("series.yaml"), &err);
    if (s)
        s->by = EVM_BY_DAY;
    s = evm_batch_jobs_add_spec(&j, tmp("series.yaml"), &err);
    if (s) {
        s->by = EVM_BY_DAY;
        s->output = evm__strdup("second.png");
    }
    CHECK(j.n == 23, "23 jobs");
    evm_batch_opts o;
    evm_batch_opts_init(&o);
    o.out_dir = "o";
    struct evm__plan all;
    CHECK(plan(&j, &o, &all, &err) == EVM_OK && all.n == 31,
          "31 maps in all, got %d (%s%s)", all.n, err.msg,
          all.n > 21 && all.t[21].fail ? all.t[21].fail->msg : "");
    for (int n = 1; n <= 7; n++) {
        int *seen = evm__calloc((size_t)all.n + 1, sizeof *seen);
        int ok = 1;
        for (int i = 0; i < n; i++) {
            struct evm__plan p;
            o.shard_index = i;
            o.shard_count = n;
            if (plan(&j, &o, &p, &err) != EVM_OK) {
                ok = 0;
                break;
            }
            for (int k = 0; k < p.nmine; k++) {
                /* the same map, by output name, as in the whole plan */
                const char *out = p.t[p.mine[k]].output;
                for (int a = 0; a < all.n; a++)
                    if (out && all.t[a].output &&
                        !strcmp(all.t[a].output, out))
                        seen[a]++;
            }
            evm__plan_free(&p);
        }
        for (int a = 0; ok && a < all.n; a++)
            if (seen[a] != 1)
                ok = 0;
        CHECK(ok, "%d shards cover every map exactly once", n);
        free(seen);
    }
    o.shard_index = 3;
    o.shard_count = 3;
    struct evm__plan p;
    CHECK(plan(&j, &o, &p, &err) == EVM_E_USAGE, "shard 3/3 refused");
    o.shard_index = 0;
    o.shard_count = 0;

    /* the series' frames: names, windows and subtitles */
    if (all.n == 31) {
        const struct evm__task *t = &all.t[21];
        char want[600];
        snprintf(want, sizeof want, "o/series-2022-01-02.png");
        CHECK_STR(t->output, want, "first frame's name");
        CHECK_STR(all.t[25].output, "o/series-2022-01-06.png", "last frame");
        CHECK_STR(all.t[26].output, "o/second-2022-01-02.png",
                  "frames of a named output");
        CHECK(!strcmp(t->from, "2022-01-02") && !strcmp(t->to, "2022-01-02"),
              "a frame shows its day");
        CHECK_STR(t->ro.subtitle, "2 January 2022", "frame subtitle");
        CHECK(t->ro.date_from == t->from, "options point at the task");
    }
    evm__plan_free(&all);

    /* cumulative frames show everything up to their end; a window
     * limits the series */
    j.v[21].cumulative = 1;
    j.v[21].date_from = evm__strdup("2022-01-03");
    j.v[21].date_to = evm__strdup("2022-01-04");
    j.v[21].subtitle = evm__strdup("Unrest");
    CHECK(plan(&j, &o, &all, &err) == EVM_OK && all.n == 28,
          "window of 2 days: 28 maps, got %d", all.n);
    if (all.n == 28) {
        const struct evm__task *t = &all.t[22];
        CHECK_STR(t->output, "o/series-2022-01-04.png", "windowed frame");
        CHECK(!strcmp(t->from, "2022-01-03") && !strcmp(t->to, "2022-01-04"),
              "cumulative from the window's start: %s..%s", t->from, t->to);
        CHECK_STR(t->ro.subtitle, "Unrest \xc2\xb7 up to 4 January 2022",
                  "subtitle and period");
    }
    evm__plan_free(&all);

    /* a series whose spec has no dates fails alone, at its turn */
    write_file(tmp("nodates.yaml"),
               "events:\n  - { lat: 43.2, lon: 76.9, type: riot }\n");
    s = evm_batch_jobs_add_spec(&j, tmp("nodates.yaml"), &err);
    if (s)
        s->by = EVM_BY_MONTH;
    CHECK(plan(&j, &o, &all, &err) == EVM_OK && all.n == 29 &&
              all.t[28].fail && strstr(all.t[28].fail->msg, "no event"),
          "undated series planned as one failing map");
    evm__plan_free(&all);

    /* by with a format that has no frames */
    j.v[21].format = EVM_FMT_GEOJSON;
    CHECK(plan(&j, &o, &all, &err) == EVM_E_INPUT &&
          strstr(err.msg, "PNG, SVG or PDF"), "geojson series: %s", err.msg);
    evm__plan_free(&all);
    evm_batch_jobs_free(&j);
}

static void test_dir(void)
{
    char d[600];
    snprintf(d, sizeof d, "%s/specdir", dir);
    mkdir(d, 0777);
    write_file(tmp("specdir/b.yaml"), "title: b\n");
    write_file(tmp("specdir/a.json"), "{}\n");
    write_file(tmp("specdir/.hidden.yaml"), "title: h\n");
    write_file(tmp("specdir/notes.txt"), "x\n");
    mkdir(tmp("specdir/sub.yaml"), 0777);
    evm_batch_jobs j;
    evm_batch_jobs_init(&j);
    evm_error err;
    evm_error_clear(&err);
    CHECK(evm_batch_jobs_from_dir(d, &j, &err) == EVM_OK && j.n == 2,
          "2 specs in the directory, got %d (%s)", j.n, err.msg);
    if (j.n == 2)
        CHECK(strstr(j.v[0].spec, "/a.json") && strstr(j.v[1].spec, "/b.yaml"),
              "sorted by name");
    evm_batch_jobs_free(&j);
    snprintf(d, sizeof d, "%s/specdir/sub.yaml", dir);
    evm_error_clear(&err);
    CHECK(evm_batch_jobs_from_dir(d, &j, &err) == EVM_E_INPUT,
          "an empty directory is an error");
    evm_batch_jobs_free(&j);
}

/* ---------------------------------------------------------------- run */

static int is_png(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char h[8], t[12];
    int ok = fread(h, 1, 8, f) == 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8) &&
             fseek(f, -12, SEEK_END) == 0 && fread(t, 1, 12, f) == 12 &&
             !memcmp(t + 4, "IEND", 4);
    fclose(f);
    return ok;
}

struct seen {
    int reports, failed, max_done;
    char msgs[2048];
};

static void on_report(void *ud, const evm_batch_result *r)
{
    struct seen *s = ud;
    s->reports++;
    if (r->status != EVM_OK) {
        s->failed++;
        size_t n = strlen(s->msgs);
        snprintf(s->msgs + n, sizeof s->msgs - n, "%s|%s\n", r->where,
                 r->err ? r->err->msg : "");
    }
    if (r->done > s->max_done)
        s->max_done = r->done;
}

static int count_files(const char *d, int *tmps)
{
    DIR *dd = opendir(d);
    int n = 0;
    *tmps = 0;
    struct dirent *e;
    while (dd && (e = readdir(dd))) {
        if (e->d_name[0] == '.') {
            if (strstr(e->d_name, ".tmp"))
                (*tmps)++;
            continue;
        }
        n++;
    }
    if (dd)
        closedir(dd);
    return n;
}

static void test_run(void)
{
    write_file(tmp("good.yaml"),
               "title: Good\nevents:\n"
               "  - { lat: 43.25, lon: 76.95, type: riot, date: 2022-01-02 }\n"
               "  - { lat: 51.17, lon: 71.45, type: protest, "
               "date: 2022-01-03 }\n");
    write_file(tmp("unknown.yaml"),
               "events:\n  - { place: Qwzxyplace, type: riot }\n");
    write_file(tmp("broken.yaml"), "events: [\n");
    write_file(tmp("blocker"), "a file, not a directory\n");
    char man[2048];
    snprintf(man, sizeof man,
             "defaults: { size: 200x125 }\n"
             "jobs:\n"
             "  - good.yaml\n"
             "  - unknown.yaml\n"
             "  - broken.yaml\n"
             "  - { spec: good.yaml, output: blocker/x.png }\n"
             "  - { spec: good.yaml, output: sub/dir/g2.png, theme: dark }\n"
             "  - { spec: good.yaml, output: g3.svg, by: day }\n");
    write_file(tmp("m.yaml"), man);
    evm_batch_jobs j;
    evm_batch_jobs_init(&j);
    evm_error err;
    evm_error_clear(&err);
    CHECK(evm_manifest_load(tmp("m.yaml"), &j, &err) == EVM_OK, "manifest: %s",
          err.msg);
    evm_batch_opts o;
    evm_batch_opts_init(&o);
    char out[600];
    snprintf(out, sizeof out, "%s", dir);
    o.out_dir = out;
    o.threads = 2;
    o.render.quiet = 1;
    struct seen s;
    memset(&s, 0, sizeof s);
    o.report = on_report;
    o.report_ud = &s;
    /* a stale temporary of an output, as a killed run leaves it */
    write_file(tmp(".good.png.tmpAbC123"), "partial");
    struct timeval past[2] = {{1000000000, 0}, {1000000000, 0}};
    utimes(tmp(".good.png.tmpAbC123"), past);
    /* one newer than the run (another run's, still writing) stays */
    write_file(tmp(".good.png.tmpXyZ789"), "partial");
    struct timeval later[2] = {{time(NULL) + 3600, 0}, {time(NULL) + 3600, 0}};
    utimes(tmp(".good.png.tmpXyZ789"), later);
    struct stat sb;
    evm_batch_summary sum;
    evm_status st = evm_batch_run(&j, &o, &sum, &err);
    CHECK(st == EVM_OK, "run: %s", err.msg);
    CHECK(sum.total == 7 && sum.written == 4 && sum.failed == 3,
          "4 written, 3 failed of 7: %d, %d of %d", sum.written, sum.failed,
          sum.total);
    CHECK(s.reports == 7 && s.failed == 3 && s.max_done == 7,
          "one report per map");
    CHECK(strstr(s.msgs, "unknown.yaml:2:") &&
              strstr(s.msgs, "unknown place \"Qwzxyplace\""),
          "unknown place reported: %s", s.msgs);
    CHECK(strstr(s.msgs, "broken.yaml:"), "broken spec reported");
    CHECK(strstr(s.msgs, "m.yaml:6:5|") && strstr(s.msgs, "blocker/x.png"),
          "unwritable path reported with its job: %s", s.msgs);
    CHECK(is_png(tmp("good.png")), "good.png written");
    CHECK(is_png(tmp("sub/dir/g2.png")), "subdirectories made");
    CHECK(stat(tmp("g3-2022-01-02.svg"), &sb) == 0 &&
          stat(tmp("g3-2022-01-03.svg"), &sb) == 0, "SVG frames");
    CHECK(stat(tmp("unknown.png"), &sb) != 0 &&
          stat(tmp("broken.png"), &sb) != 0, "no file for a failed map");
    CHECK(sum.stale_removed == 1 && stat(tmp(".good.png.tmpAbC123"), &sb),
          "the stale temporary removed");
    CHECK(stat(tmp(".good.png.tmpXyZ789"), &sb) == 0,
          "a temporary newer than the run is kept");
    unlink(tmp(".good.png.tmpXyZ789"));
    int tmps;
    count_files(dir, &tmps);
    CHECK(tmps == 0, "no temporary files left");

    /* skip_existing: nothing drawn again */
    o.skip_existing = 1;
    memset(&s, 0, sizeof s);
    st = evm_batch_run(&j, &o, &sum, &err);
    CHECK(st == EVM_OK && sum.skipped == 4 && sum.written == 0 &&
          sum.failed == 3, "skip existing: %d skipped", sum.skipped);
    o.skip_existing = 0;
    evm_batch_jobs_free(&j);
}

static int stop_now(void *ud)
{
    return ++*(int *)ud > 2;
}

static void test_cancel(void)
{
    evm_batch_jobs j;
    evm_batch_jobs_init(&j);
    evm_error err;
    evm_error_clear(&err);
    char d[600];
    snprintf(d, sizeof d, "%s/cancel", dir);
    for (int i = 0; i < 6; i++) {
        evm_batch_job *b = evm_batch_jobs_add_spec(&j, tmp("good.yaml"), &err);
        char n[32];
        snprintf(n, sizeof n, "c%d.png", i);
        if (b)
            b->output = evm__strdup(n);
    }
    evm_batch_opts o;
    evm_batch_opts_init(&o);
    o.out_dir = d;
    o.threads = 1;
    o.render.quiet = 1;
    o.render.width = 200;
    o.render.height = 125;
    int polls = 0;
    o.cancelled = stop_now;
    o.cancel_ud = &polls;
    evm_batch_summary sum;
    CHECK(evm_batch_run(&j, &o, &sum, &err) == EVM_OK, "run: %s", err.msg);
    CHECK(sum.cancelled && sum.done == 2 && sum.written == 2,
          "stopped after 2 of 6: %d", sum.done);
    int tmps;
    CHECK(count_files(d, &tmps) == 2 && tmps == 0,
          "only the complete maps are there");
    evm_batch_jobs_free(&j);
}

int main(void)
{
    /* as the CLI does: fontconfig set up before any thread draws text */
    FcInit();
    snprintf(dir, sizeof dir, "%s/batchXXXXXX",
             getenv("TMPD") ? getenv("TMPD") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_days();
    test_frames();
    test_windows();
    test_manifest();
    test_manifest_yaml();
    test_paths();
    test_duplicates();
    test_shards();
    test_dir();
    test_run();
    test_cancel();
    TEST_REPORT();
}
