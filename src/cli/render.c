/* evmap render: spec(s) -> PNG, SVG, PDF or GeoJSON. One spec to one
 * file (or stdout) is drawn here; several specs, -o DIR/ and time series
 * (--by) go through the batch engine (evm_batch_run), on -j threads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "batch/batch.h"
#include "batch_cli.h"
#include "cli.h"
#include "core/core.h"
#include "spec/build.h"
#include "spec/spec.h"
#include "tables/tables.h"
#include "table_cli.h"

static int is_dir(const char *p)
{
    struct stat st;
    size_t n = strlen(p);
    return (n && p[n - 1] == '/') ||
           (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

/* Whether input p is an event table. A pipe or FIFO (evmap render
 * <(cat k.yaml)) can be read only once, so it is never sniffed (that
 * would take its first bytes from the spec reader): it is a table when
 * its name ends like a text table's, else a spec. */
static int is_table(const char *p)
{
    static const char *const text_tables[] = {".csv", ".tsv", ".tab",
                                              ".geojson", ".geojsonl", NULL};
    struct stat st;
    if (p && stat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
        size_t n = strlen(p);
        for (int i = 0; text_tables[i]; i++) {
            size_t k = strlen(text_tables[i]);
            if (n > k && !strcasecmp(p + n - k, text_tables[i]))
                return 1;
        }
        return 0;
    }
    return evm_path_is_table(p);
}

/* The extension of path's last component (after its last dot), or NULL
 * when it has none. */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

/* One spec (or event table) to one file or stdout. */
static int render_one(struct cli_many *c, const evm_table_opts *t,
                      const char *spec, const char *out)
{
    if (evm__output_is_input(NULL, spec, out)) {
        evm_error e;
        evm_error_clear(&e);
        evm_error_set(&e, EVM_E_USAGE, "%s: refusing to write over the input "
                      "%s; choose another output with -o", out, spec);
        return cli_fail(&e);
    }
    int report = evm_path_is_report(spec);
    if (!report && is_table(spec))
        return cli_render_table(c, t, spec, out);
    evm_error e;
    evm_error_clear(&e);
    evm_gazetteer *gz = cli_gazetteer(c->places, &e);
    if (!gz)
        return cli_fail(&e);
    /* a report (.txt prose) is drafted into a spec first (evmap extract) */
    evm_map *m = report ? cli_report_map(spec, gz, &e)
                        : evm_map_load(spec, &e);
    const char *in = m ? evm__output_is_input(m, spec, out) : NULL;
    if (in) {
        evm_error_set(&e, EVM_E_USAGE, "%s: refusing to write over an input "
                      "of the map (%s); choose another output with -o", out,
                      in);
        evm_map_free(m);
        evm_gazetteer_close(gz);
        return cli_fail(&e);
    }
    evm_status rs = m ? evm_map_resolve(m, gz, &e) : e.code;
    if (rs == EVM_OK)
        rs = evm__map_check(m, &e); /* as validate: errors at file:line */
    /* the resolved map holds copies of what it took from the index:
     * unmapping it now keeps the pages resolving touched (tens of MB)
     * out of the memory the drawing adds to */
    evm_gazetteer_close(gz);
    if (rs == EVM_OK) {
        evm_render_opts o = c->o.render;
        if (o.format == EVM_FMT_AUTO)
            o.format = evm_format_from_path(out);
        if (o.format == EVM_FMT_AUTO)
            o.format = EVM_FMT_PNG;
        evm_map_render(m, &o, out, &e);
    }
    evm_map_free(m);
    return e.code != EVM_OK ? cli_fail(&e) : 0;
}

/* 1 when an option only tables take is set. */
static int table_only(const evm_table_opts *t)
{
    return t->title || t->extent || t->style || t->nwhere || t->precision ||
           t->all;
}

/* A table in a time series (--by): the job becomes a spec that reads it
 * (the batch engine draws specs), named after the table. 0, or -1 + err. */
static int table_job(struct cli_many *c, const evm_table_opts *t,
                     evm_batch_job *j, evm_error *err)
{
    evm_table_opts o = *t;
    evm_gazetteer *gz = cli_gazetteer(c->places, err);
    if (!gz)
        return -1;
    o.gz = gz;
    char *text = evm__table_series_spec(j->spec, &o, err);
    evm_gazetteer_close(gz);
    if (!text)
        return -1;
    const char *base = strrchr(j->spec, '/');
    base = base ? base + 1 : j->spec;
    size_t stem = strcspn(base, ".");
    evm_format f = c->o.render.format != EVM_FMT_AUTO ? c->o.render.format
                                                      : EVM_FMT_PNG;
    size_t n = stem + 16;
    free(j->output);
    if (!(j->output = malloc(n))) {
        free(text);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory"), -1;
    }
    snprintf(j->output, n, "%.*s.%s", (int)stem, base, evm__format_ext(f));
    free(j->spec);
    j->spec = NULL;
    j->text = text;
    j->text_len = strlen(text);
    return 0;
}

/* Several maps, -o DIR/ or --by: the tables are drawn here one by one
 * (not in a time series), the specs by the batch engine. Returns the exit
 * code. */
static int render_many(struct cli_many *c, const evm_table_opts *topts,
                       const char **specs, int nspec, const char *out,
                       int to_dir)
{
    int rc = 0;
    char *dir = NULL;
    evm_batch_jobs jobs;
    evm_batch_jobs_init(&jobs);
    /* tables are read here, one by one; the specs go to the batch engine */
    int table_rc = 0;
    if (to_dir && c->o.by == EVM_BY_NONE) {
        rc = table_rc = cli_render_tables(c, topts, specs, &nspec, out);
        if (!nspec)
            goto done;
    }
    /* many maps: the batch engine */
    evm_error err;
    evm_error_clear(&err);
    for (int i = 0; i < nspec; i++) {
        evm_batch_job *j = evm_batch_jobs_add_spec(&jobs, specs[i], &err);
        if (!j || (is_table(specs[i]) &&
                   table_job(c, topts, j, &err) < 0)) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (to_dir) {
        c->o.out_dir = out;
    } else if (out) {
        /* --by with -o NAME.png: frames NAME-DAY.png beside it */
        const char *slash = strrchr(out, '/');
        if (slash) {
            dir = evm__strndup(out, (size_t)(slash - out) + 1);
            if (!dir) {
                rc = 3;
                goto done;
            }
            c->o.out_dir = dir;
        }
        if (!(jobs.v[0].output = evm__strdup(slash ? slash + 1 : out))) {
            rc = 3;
            goto done;
        }
    }
    /* names come from the command line: the user chose them */
    c->o.allow_any_path = 1;
    rc = cli_many_run("render", c, &jobs, 0);
    if (table_rc > rc)
        rc = table_rc;
done:
    evm_batch_jobs_free(&jobs);
    free(dir);
    return rc;
}

/* <spec stem>.<format> in the current directory: the output of one map
 * without -o (NULL when out of memory). */
static char *default_output(const struct cli_many *c, const char *spec)
{
    const char *base = strrchr(spec, '/');
    base = base ? base + 1 : spec;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    evm_format f = c->o.render.format != EVM_FMT_AUTO ? c->o.render.format
                                                      : EVM_FMT_PNG;
    size_t n = stem + 16;
    char *def = malloc(n);
    if (def)
        snprintf(def, n, "%.*s.%s", (int)stem, base, evm__format_ext(f));
    return def;
}

/* evmap render SPEC... [options]: one map drawn directly, several (or
 * -o DIR/, or --by) through the batch engine; returns the exit code. */
int cmd_render(int argc, char **argv)
{
    struct cli_many c;
    cli_many_init(&c);
    const char *out = NULL;
    const char **specs = calloc((size_t)argc, sizeof *specs);
    int nspec = 0, rc = 0;
    evm_table_opts topts;
    evm_table_opts_init(&topts);
    if (!specs)
        return 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int k = cli_table_opt("render", &topts, argc, argv, &i);
        if (k == 0)
            k = cli_many_opt("render", &c, argc, argv, &i);
        if (k == 2) {
            rc = 2;
            goto done;
        }
        if (k == 1)
            continue;
        if (!strcmp(a, "--measure")) {
            int mk = v ? evm_measure_from_name(v) : -1;
            if (mk < 0) {
                const char *near = v ? evm__measure_nearest(v) : NULL;
                if (near)
                    rc = cli_usage("render", "unknown --measure \"%s\" "
                                   "\xe2\x80\x94 did you mean \"%s\"? (auto, "
                                   "events or fatalities)", v, near);
                else
                    rc = cli_usage("render", "--measure takes auto, events "
                                   "or fatalities");
                goto done;
            }
            c.o.render.measure = mk;
            i++;
        } else if (!strcmp(a, "--layout")) {
            if (!v) {
                rc = cli_usage("render", "--layout needs a path (FILE.json)");
                goto done;
            }
            c.o.render.layout = v;
            i++;
        } else if (!strcmp(a, "--verbose")) {
            c.o.render.verbose = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v) { rc = cli_usage("render", "-o needs a path"); goto done; }
            out = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage("render", "unknown option %s", a);
            goto done;
        } else {
            specs[nspec++] = a;
        }
    }
    /* --style (read with the table options) draws specs too */
    if (topts.style)
        c.o.render.style = evm_style_from_name(topts.style) > 0
                               ? evm_style_from_name(topts.style) : 0;
    if (!nspec) {
        rc = cli_usage("render", "give a spec file");
        goto done;
    }
    if (topts.subtitle && c.o.by == EVM_BY_NONE)
        c.o.render.subtitle = topts.subtitle; /* a spec's, too */
    int to_stdout = out && !strcmp(out, "-");
    int to_dir = out && !to_stdout && (nspec > 1 || is_dir(out));
    if (nspec > 1 && out && !to_dir) {
        rc = cli_usage("render", "several specs need -o DIR/");
        goto done;
    }
    if (table_only(&topts)) {
        for (int i = 0; i < nspec; i++)
            if (!is_table(specs[i])) {
                rc = cli_usage("render", "%s: --title, --extent, --style, "
                               "--where, --precision and --all are for "
                               "tables; a spec sets title:, extent:, "
                               "style: and events: { from: ..., where: "
                               "... }", specs[i]);
                goto done;
            }
    }
    if (c.o.by != EVM_BY_NONE && to_stdout) {
        rc = cli_usage("render", "--by writes one file per frame: give -o "
                       "DIR/ or -o NAME.png (frames NAME-YYYY-MM-DD.png)");
        goto done;
    }
    /* an extension no format has: map.html would be a PNG under that name */
    const char *ext = out && !to_stdout && !to_dir ? extension(out) : NULL;
    if (ext && c.o.render.format == EVM_FMT_AUTO &&
        evm_format_from_path(out) == EVM_FMT_AUTO) {
        rc = cli_usage("render", "-o %s: .%s is not an output format; name "
                       "the file .png, .svg, .pdf, .geojson, .gpkg, .kml, "
                       ".fgb, .shp or .csv, or give -f", out, ext);
        goto done;
    }
    if (nspec == 1 && c.o.by == EVM_BY_NONE && !to_dir) {
        /* one map: drawn here, its failure's own exit code */
        char *def = NULL;
        if (!out && !(def = default_output(&c, specs[0]))) {
            rc = 3;
            goto done;
        }
        rc = render_one(&c, &topts, specs[0], out ? out : def);
        free(def);
        goto done;
    }
    rc = render_many(&c, &topts, specs, nspec, out, to_dir);
done:
    free((void *)topts.where);
    free(specs);
    return rc;
}
