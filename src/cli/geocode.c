/* evmap geocode NAME...|- [--country CC] [--kind KIND] [--near LAT,LON]
 *               [--json] [-n N] [--places FILE]
 *
 * Prints a table (or JSON Lines) of the places each name resolves to.
 * Names given as arguments are answered together: a bad one (exit 1)
 * leaves no partial output on stdout. Names read from stdin (-) are
 * answered line by line as they come (JSON Lines are written at once;
 * the table is printed at the end, its columns aligned), and a bad line
 * is reported on its own, with its line number, while the others are
 * answered. A name that resolves to nothing gets suggestions on stderr
 * (or in its JSON object) and makes the exit code 1. A qualified name
 * placed at its qualifier's area ("Bogoro, Borno") is a match with a
 * warning on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cli.h"
#include "core/core.h"

#define MAX_N 100
#define MAX_LINE 4096
#define NSUGG 5

struct opts {
    evm_geocode_opts g;
    int json, n;
    const char *places;
    char **names;
    int nnames;
    int from_stdin;
};

/* A table cell list: rows of NCOL strings (query + the columns). */
#define NCOL 9
struct table {
    char **cell;
    size_t n, cap;
};

static int parse_int(const char *s, int lo, int hi, int *v)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (!*s || *end || x < lo || x > hi)
        return -1;
    *v = (int)x;
    return 0;
}

static int parse_near(const char *s, evm_geocode_opts *g)
{
    char buf[128];
    const char *comma = strchr(s, ',');
    if (!comma || (size_t)(comma - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(comma - s));
    buf[comma - s] = '\0';
    if (evm__parse_double(buf, &g->near_lat) < 0 ||
        evm__parse_double(comma + 1, &g->near_lon) < 0 ||
        g->near_lat < -90 || g->near_lat > 90 || g->near_lon < -180 ||
        g->near_lon > 180)
        return -1;
    g->has_near = 1;
    return 0;
}

/* Parses argv; returns 0, or the exit code for a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    int only_names = 0;
    memset(o, 0, sizeof *o);
    o->n = 1;
    o->names = calloc((size_t)argc + 1, sizeof *o->names);
    if (!o->names) {
        fprintf(stderr, "evmap geocode: out of memory\n");
        return 3;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!only_names && a[0] == '-' && a[1] == '-' && a[2] &&
            strchr(a, '=')) {
            /* --opt=value */
            static char opt[64];
            const char *eq = strchr(a, '=');
            size_t n = (size_t)(eq - a);
            if (n >= sizeof opt)
                return cli_usage("geocode", "unknown option '%s'", a);
            memcpy(opt, a, n);
            opt[n] = '\0';
            a = opt;
            val = eq + 1;
        }
#define VALUE()                                                            \
    (val ? val                                                             \
         : (i + 1 < argc ? argv[++i]                                       \
                         : (cli_usage("geocode", "%s needs a value", a),   \
                            (const char *)NULL)))
        if (only_names || a[0] != '-' || !strcmp(a, "-")) {
            if (!strcmp(a, "-") && !only_names)
                o->from_stdin = 1;
            else
                o->names[o->nnames++] = argv[i];
        } else if (!strcmp(a, "--")) {
            only_names = 1;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--country")) {
            if (!(o->g.country = VALUE()))
                return 2;
        } else if (!strcmp(a, "--kind")) {
            if (!(o->g.kind = VALUE()))
                return 2;
        } else if (!strcmp(a, "--places")) {
            if (!(o->places = VALUE()))
                return 2;
        } else if (!strcmp(a, "--near")) {
            const char *v = VALUE();
            if (!v)
                return 2;
            if (parse_near(v, &o->g) < 0)
                return cli_usage("geocode",
                                 "--near wants LAT,LON in degrees, e.g. "
                                 "--near 43.2,76.9");
        } else if (!strcmp(a, "-n") || !strcmp(a, "--max")) {
            const char *v = VALUE();
            if (!v)
                return 2;
            if (parse_int(v, 1, MAX_N, &o->n) < 0)
                return cli_usage("geocode", "-n wants a number 1..%d",
                                 MAX_N);
        } else {
            return cli_usage("geocode", "unknown option '%s'", a);
        }
#undef VALUE
    }
    if (o->from_stdin && o->nnames)
        return cli_usage("geocode", "give names as arguments or '-' for "
                                    "stdin, not both");
    if (!o->from_stdin && !o->nnames)
        return cli_usage("geocode", "no name given");
    return 0;
}

static void json_str(evm_buf *b, const char *s)
{
    evm__buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': evm__buf_add(b, "\\\"", 2); break;
        case '\\': evm__buf_add(b, "\\\\", 2); break;
        case '\n': evm__buf_add(b, "\\n", 2); break;
        case '\r': evm__buf_add(b, "\\r", 2); break;
        case '\t': evm__buf_add(b, "\\t", 2); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                evm__buf_add(b, esc, 6);
            } else if (p[0] == 0xe2 && p[1] == 0x80 &&
                       (p[2] == 0xa8 || p[2] == 0xa9)) {
                /* U+2028/2029 break JavaScript string literals */
                evm__buf_puts(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
                p += 2;
            } else {
                evm__buf_add(b, p, 1);
            }
        }
    }
    evm__buf_add(b, "\"", 1);
}

static void json_num(evm_buf *b, double v, int decimals)
{
    char num[40];
    size_t n = evm__fmt_num(num, v, decimals);
    evm__buf_add(b, num, n);
}

/* "Almaty" (KZ, city, pop 2.0M) */
static void describe(evm_buf *b, const evm_place *p)
{
    evm__buf_add(b, "\"", 1);
    evm__buf_puts(b, p->name);
    evm__buf_puts(b, "\" (");
    if (p->country[0]) {
        evm__buf_puts(b, p->country);
        evm__buf_puts(b, ", ");
    }
    evm__buf_puts(b, p->kind_name[0] ? p->kind_name : evm_kind_str(p->kind));
    if (p->population >= 1000000) {
        long t = (p->population + 50000) / 100000;
        evm__buf_printf(b, ", pop %ld.%ldM", t / 10, t % 10);
    } else if (p->population >= 1000) {
        evm__buf_printf(b, ", pop %ldk", (p->population + 500) / 1000);
    } else if (p->population > 0) {
        evm__buf_printf(b, ", pop %ld", p->population);
    }
    evm__buf_puts(b, ")");
}

static void json_place(evm_buf *b, const evm_place *p)
{
    evm__buf_puts(b, "{\"name\":");
    json_str(b, p->name);
    evm__buf_puts(b, ",\"lat\":");
    json_num(b, p->lat, 6);
    evm__buf_puts(b, ",\"lon\":");
    json_num(b, p->lon, 6);
    evm__buf_puts(b, ",\"country\":");
    json_str(b, p->country);
    evm__buf_puts(b, ",\"admin1\":");
    json_str(b, p->admin1);
    evm__buf_puts(b, ",\"kind\":");
    json_str(b, evm_kind_str(p->kind));
    evm__buf_puts(b, ",\"kind_name\":");
    json_str(b, p->kind_name);
    evm__buf_puts(b, ",\"population\":");
    json_num(b, (double)p->population, 0);
    evm__buf_puts(b, ",\"id\":");
    json_str(b, p->id);
    evm__buf_puts(b, ",\"source\":");
    json_str(b, p->source);
    evm__buf_puts(b, ",\"score\":");
    json_num(b, p->score, 3);
    evm__buf_puts(b, ",\"precision\":");
    json_str(b, evm_precision_str(p->precision));
    if (p->fallback)
        evm__buf_puts(b, ",\"fallback\":true");
    evm__buf_puts(b, "}");
}

static int table_add(struct table *t, const char *const cells[NCOL])
{
    if (t->n + NCOL > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        char **c = evm__reallocarray(t->cell, nc, sizeof *c);
        if (!c)
            return -1;
        t->cell = c;
        t->cap = nc;
    }
    for (int i = 0; i < NCOL; i++) {
        t->cell[t->n + (size_t)i] = evm__strdup(cells[i]);
        if (!t->cell[t->n + (size_t)i]) {
            for (int j = 0; j < i; j++)
                free(t->cell[t->n + (size_t)j]);
            return -1;
        }
    }
    t->n += NCOL;
    return 0;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->cell[i]);
    free(t->cell);
}

/* Display width of UTF-8 text in terminal columns. */
static size_t width(const char *s)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t c;
    while (*p) {
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
        if (n <= 0)
            break;
        int cw = utf8proc_charwidth(c);
        w += cw > 0 ? (size_t)cw : 0;
        p += n;
    }
    return w;
}

static void table_print(evm_buf *b, const struct table *t, int with_query)
{
    static const char *const head[NCOL] = {"query", "name", "lat", "lon",
                                           "country", "kind", "precision",
                                           "population", "source"};
    size_t wd[NCOL];
    int first = with_query ? 0 : 1;
    for (int c = 0; c < NCOL; c++)
        wd[c] = width(head[c]);
    for (size_t r = 0; r < t->n; r += NCOL)
        for (int c = 0; c < NCOL; c++) {
            size_t w = width(t->cell[r + (size_t)c]);
            if (w > wd[c])
                wd[c] = w;
        }
    for (size_t r = 0; r <= t->n; r += NCOL) {
        const char *const *row =
            r == 0 ? head : (const char *const *)&t->cell[r - NCOL];
        for (int c = first; c < NCOL; c++) {
            const char *s = row[c];
            evm__buf_puts(b, s);
            if (c < NCOL - 1) {
                /* numbers right-aligned would need padding before; keep
                 * every column left-aligned, two spaces apart */
                size_t pad = wd[c] - width(s) + 2;
                for (size_t k = 0; k < pad; k++)
                    evm__buf_add(b, " ", 1);
            }
        }
        evm__buf_add(b, "\n", 1);
    }
}

/* What a run shares between its queries. */
struct run {
    struct opts *o;
    evm_gazetteer *gz;
    evm_place *m;
    struct table t;
    evm_buf out, diag;
    int missed;
};

/* Answers query q into r->out (JSON) or r->t (table) and r->diag.
 * Returns 0, 1 for a bad query (err set), 3 when out of memory. */
static int answer(struct run *r, const char *q, evm_error *err)
{
    const struct opts *o = r->o;
    int k = evm_geocode(r->gz, q, &o->g, r->m, o->n, err);
    if (k < 0)
        return 1;
    if (k == 0) {
        const evm_place *s[NSUGG];
        int ns = evm_geocode_suggest(r->gz, q, s, NSUGG);
        r->missed = 1;
        if (o->json) {
            evm__buf_puts(&r->out, "{\"query\":");
            json_str(&r->out, q);
            evm__buf_puts(&r->out, ",\"matches\":[],\"suggestions\":[");
            for (int j = 0; j < ns; j++) {
                if (j)
                    evm__buf_add(&r->out, ",", 1);
                json_place(&r->out, s[j]);
            }
            evm__buf_puts(&r->out, "]}\n");
        }
        evm__buf_puts(&r->diag, "evmap: unknown place \"");
        evm__buf_puts(&r->diag, q);
        evm__buf_puts(&r->diag, "\"");
        for (int j = 0; j < ns && j < 3; j++) {
            evm__buf_puts(&r->diag,
                          j ? " or " : " \xe2\x80\x94 did you mean ");
            describe(&r->diag, s[j]);
        }
        evm__buf_puts(&r->diag,
                      ns ? "?\n" : " (no similar name known)\n");
        return 0;
    }
    char note[512];
    if (evm_geocode_note(q, &r->m[0], note, sizeof note)) {
        evm__buf_puts(&r->diag, "evmap: warning: ");
        evm__buf_puts(&r->diag, note);
        evm__buf_puts(&r->diag, "\n");
    }
    if (o->json) {
        evm__buf_puts(&r->out, "{\"query\":");
        json_str(&r->out, q);
        evm__buf_puts(&r->out, ",\"matches\":[");
        for (int j = 0; j < k; j++) {
            if (j)
                evm__buf_add(&r->out, ",", 1);
            json_place(&r->out, &r->m[j]);
        }
        evm__buf_puts(&r->out, "]}\n");
        return 0;
    }
    for (int j = 0; j < k; j++) {
        const evm_place *p = &r->m[j];
        char lat[40], lon[40], pop[40];
        evm__fmt_num(lat, p->lat, 6);
        evm__fmt_num(lon, p->lon, 6);
        if (p->population > 0)
            evm__fmt_num(pop, (double)p->population, 0);
        else
            strcpy(pop, "-");
        const char *cells[NCOL] = {q, p->name, lat, lon,
                                   p->country[0] ? p->country : "-",
                                   p->kind_name,
                                   evm_precision_str(p->precision), pop,
                                   p->source};
        if (table_add(&r->t, cells) < 0)
            return 3;
    }
    return 0;
}

/* Writes what r->out and r->diag hold and empties them. Returns 0, or 3
 * when stdout cannot be written. */
static int flush_run(struct run *r)
{
    if (r->out.failed || r->diag.failed) {
        fprintf(stderr, "evmap: out of memory\n");
        return 3;
    }
    int rc = 0;
    if (r->out.len &&
        (fwrite(r->out.data, 1, r->out.len, stdout) != r->out.len ||
         fflush(stdout) != 0)) {
        fprintf(stderr, "evmap: cannot write to stdout\n");
        rc = 3;
    }
    if (r->diag.len)
        fwrite(r->diag.data, 1, r->diag.len, stderr);
    r->out.len = 0;
    r->diag.len = 0;
    return rc;
}

/* Answers stdin line by line. Returns the exit code so far: 0, 1 (a bad
 * line; the others are still answered) or 3. */
static int run_stdin(struct run *r)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        no++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        evm_error err = {0};
        int st;
        if (memchr(line, '\0', len)) {
            evm_error_set(&err, EVM_E_INPUT, "name contains a NUL byte");
            st = 1;
        } else if (len > MAX_LINE) {
            evm_error_set(&err, EVM_E_INPUT, "line longer than %d bytes",
                          MAX_LINE);
            st = 1;
        } else {
            line[len] = '\0';
            st = answer(r, line, &err);
        }
        if (st == 1) {
            fprintf(stderr, "evmap: stdin:%ld: %s\n", no, err.msg);
            rc = 1;
        } else if (st) {
            rc = 3;
            break;
        }
        /* JSON Lines go out as they come; the table waits for its
         * column widths */
        if (r->o->json || r->diag.len > 65536)
            if (flush_run(r)) {
                rc = 3;
                break;
            }
    }
    if (ferror(stdin)) {
        fprintf(stderr, "evmap: cannot read stdin\n");
        rc = 3;
    }
    free(line);
    return rc;
}

int cmd_geocode(int argc, char **argv)
{
    struct opts o;
    evm_error err = {0};
    struct run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    int rc = parse_args(argc, argv, &o);
    evm__buf_init(&r.out, 0);
    evm__buf_init(&r.diag, 0);
    if (rc)
        goto done;
    rc = 3;
    if (!(r.gz = cli_gazetteer(o.places, &err))) {
        rc = cli_fail(&err);
        goto done;
    }
    if (!(r.m = calloc((size_t)o.n, sizeof *r.m))) {
        fprintf(stderr, "evmap: out of memory\n");
        goto done;
    }
    int bad = 0;
    if (o.from_stdin) {
        bad = run_stdin(&r);
        if (bad == 3)
            goto done;
    } else {
        for (int i = 0; i < o.nnames; i++) {
            int st = answer(&r, o.names[i], &err);
            if (st == 1) {
                /* arguments are answered together or not at all */
                fprintf(stderr, "evmap: argument %d: %s\n", i + 1, err.msg);
                rc = 1;
                goto done;
            }
            if (st) {
                fprintf(stderr, "evmap: out of memory\n");
                goto done;
            }
        }
    }
    if (!o.json && r.t.n)
        table_print(&r.out, &r.t, o.from_stdin || o.nnames > 1);
    rc = flush_run(&r);
    if (!rc)
        rc = bad ? bad : r.missed ? 1 : 0;
done:
    evm__buf_free(&r.out);
    evm__buf_free(&r.diag);
    table_free(&r.t);
    free(r.m);
    free(o.names);
    evm_gazetteer_close(r.gz);
    return rc;
}
