/* evmap render TABLE: event tables drawn as maps or converted to GIS
 * formats, one row at a time for the latter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch/batch.h"
#include "cli.h"
#include "core/core.h"
#include "table_cli.h"

/* --where COLUMN=VALUE: appended to t->where (an array of argv strings
 * the caller frees). */
static int add_where(const char *cmd, evm_table_opts *t, const char *v)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!eq || eq == v || (eq == v + 1 && v[0] == '!')) {
        cli_usage(cmd, "--where takes COLUMN=VALUE or COLUMN!=VALUE");
        return 2;
    }
    const char **w = realloc((void *)t->where,
                             (size_t)(t->nwhere + 1) * sizeof *w);
    if (!w) {
        fprintf(stderr, "evmap: out of memory\n");
        return 2;
    }
    w[t->nwhere++] = v;
    t->where = w;
    return 1;
}

/* Contract in table_cli.h. */
int cli_table_opt(const char *cmd, evm_table_opts *t, int argc, char **argv,
                  int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    const char **slot = !strcmp(a, "--lat")        ? &t->lat
                        : !strcmp(a, "--lon")      ? &t->lon
                        : !strcmp(a, "--place")    ? &t->place
                        : !strcmp(a, "--type")     ? &t->type
                        : !strcmp(a, "--date")     ? &t->date
                        : !strcmp(a, "--title")    ? &t->title
                        : !strcmp(a, "--subtitle") ? &t->subtitle
                        : !strcmp(a, "--extent")   ? &t->extent
                        : !strcmp(a, "--style")    ? &t->style
                                                   : NULL;
    if (!strcmp(a, "--skip-bad")) {
        t->skip_bad = 1;
        return 1;
    }
    if (!strcmp(a, "--all")) {
        t->all = 1;
        return 1;
    }
    if (!strcmp(a, "--where")) {
        (*i)++;
        return add_where(cmd, t, v);
    }
    if (!strcmp(a, "--precision")) {
        int p = v ? evm_precision_from_name(v) : -1;
        if (p < 0) {
            cli_usage(cmd, "--precision takes exact, admin2, admin1 or "
                      "country");
            return 2;
        }
        t->precision = p + 1;
        (*i)++;
        return 1;
    }
    if (!slot)
        return 0;
    /* --date 2022-01-06 (or 2022-01-01..2022-01-07) is the date window */
    if (slot == &t->date && v && ((v[0] >= '0' && v[0] <= '9') ||
                                  !strncmp(v, "..", 2)))
        return 0;
    if (!v || (!*v && slot != &t->title && slot != &t->subtitle)) {
        cli_usage(cmd, "%s needs a %s", a,
                  slot == &t->title || slot == &t->subtitle ? "text"
                  : slot == &t->extent ? "box or a place"
                  : slot == &t->style  ? "style"
                                       : "column name");
        return 2;
    }
    if (slot == &t->style && strcmp(v, "auto") && strcmp(v, "markers") &&
        strcmp(v, "points") && strcmp(v, "hexbin") && strcmp(v, "heatmap")) {
        cli_usage(cmd, "--style takes auto, markers, points, hexbin or "
                  "heatmap");
        return 2;
    }
    *slot = v;
    (*i)++;
    return 1;
}

static void warn(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "evmap: warning: %s\n", msg);
}

/* The filters that left rows out, for the summary line. */
static const char *filters(const evm_table_opts *o, const evm_table_stats *st)
{
    static char b[160];
    int gdelt = !strncmp(st->format, "gdelt", 5) && !o->all;
    for (int i = 0; gdelt && i < o->nwhere; i++)
        if (!strncasecmp(o->where[i], "QuadClass", 9) &&
            strchr("!= ", o->where[i][9]))
            gdelt = 0; /* the user's QuadClass replaces the default */
    snprintf(b, sizeof b, "%s%s%s%s%s%s%s", o->nwhere ? "--where" : "",
             o->nwhere && (o->date_from || o->precision || gdelt) ? ", " : "",
             o->date_from ? "--date" : "",
             o->date_from && (o->precision || gdelt) ? ", " : "",
             o->precision ? "--precision" : "",
             o->precision && gdelt ? ", " : "",
             gdelt ? "the conflict classes (QuadClass 3 and 4; --all keeps "
                     "every event)" : "");
    return b;
}

/* Contract in table_cli.h. */
int cli_render_table(struct cli_many *c, const evm_table_opts *t,
                     const char *in, const char *out)
{
    evm_error e;
    evm_error_clear(&e);
    evm_table_opts o = *t;
    evm_table_stats st;
    memset(&st, 0, sizeof st);
    o.warn = warn;
    if (c->have_date) {
        /* --date D: the table's rows outside D are left out, so that the
         * frame, the title and the counts are those of the window */
        o.date_from = c->from;
        o.date_to = c->to;
    }
    evm_gazetteer *gz = cli_gazetteer(c->places, &e);
    if (!gz)
        return cli_fail(&e);
    o.gz = gz;
    evm_render_opts ro = c->o.render;
    if (ro.format == EVM_FMT_AUTO)
        ro.format = evm_format_from_path(out);
    if (ro.format == EVM_FMT_AUTO)
        ro.format = EVM_FMT_PNG;
    if (ro.format == EVM_FMT_PNG || ro.format == EVM_FMT_SVG ||
        ro.format == EVM_FMT_PDF) {
        evm_map *m = evm_map_load_table(in, &o, &st, &e);
        /* resolved: the index's pages need not stay while drawing */
        evm_gazetteer_close(gz);
        gz = NULL;
        if (m)
            evm_map_render(m, &ro, out, &e);
        evm_map_free(m);
    } else {
        evm_table_export(in, &o, ro.format, out, &st, &e);
    }
    evm_gazetteer_close(gz);
    if (st.bad || st.no_location || st.filtered ||
        st.approximate) {
        fprintf(stderr, "evmap: %s: %ld event%s", in, st.events,
                st.events == 1 ? "" : "s");
        if (st.bad)
            fprintf(stderr, "; %ld bad row%s skipped", st.bad,
                    st.bad == 1 ? "" : "s");
        if (st.no_location)
            fprintf(stderr, "; %ld row%s without coordinates skipped",
                    st.no_location, st.no_location == 1 ? "" : "s");
        if (st.filtered)
            fprintf(stderr, "; %ld row%s left out by %s", st.filtered,
                    st.filtered == 1 ? "" : "s", filters(&o, &st));
        if (st.approximate)
            fprintf(stderr, "; %ld placed at their region or country (the "
                    "place name was not found there)", st.approximate);
        fputc('\n', stderr);
    }
    return e.code != EVM_OK ? cli_fail(&e) : 0;
}

/* Contract in table_cli.h. */
int cli_render_tables(struct cli_many *c, const evm_table_opts *t,
                      const char **inputs, int *n, const char *dir)
{
    int rc = 0, k = 0;
    evm_format f = c->o.render.format != EVM_FMT_AUTO ? c->o.render.format
                                                      : EVM_FMT_PNG;
    for (int i = 0; i < *n; i++) {
        if (!evm_path_is_table(inputs[i])) {
            inputs[k++] = inputs[i];
            continue;
        }
        const char *base = strrchr(inputs[i], '/');
        base = base ? base + 1 : inputs[i];
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t)(dot - base)
                                         : strlen(base);
        size_t dl = dir ? strlen(dir) : 0;
        size_t len = dl + stem + 16;
        char *out = malloc(len);
        if (!out)
            return 3;
        snprintf(out, len, "%s%s%.*s.%s", dir ? dir : "",
                 dl && dir[dl - 1] != '/' ? "/" : "", (int)stem, base,
                 evm__format_ext(f));
        int r = cli_render_table(c, t, inputs[i], out);
        free(out);
        if (r > rc)
            rc = r;
    }
    *n = k;
    return rc;
}
