/* evmap validate SPEC...: parses and resolves each spec and prints what
 * every place reference became, one line each, in file order:
 *   kaz.yaml:14:12  "Almaty" -> Almaty (KZ, city) 43.25, 76.91667 \
 *       geonames:1526384      (one line)
 * and, after an area's place, the polygon the area shades:
 *   kaz.yaml:80:12  area "Kazakhstan" -> country polygon KZ Kazakhstan
 *       (Natural Earth ne:KAZ)
 * It checks what render would check before drawing: the spec, every
 * place, that there is something to map and the projection. Errors go to
 * stderr; the next file is still checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basemap/basemap.h"
#include "cli.h"
#include "core/core.h"
#include "spec/spec.h"

static void print_ref(const char *file, const evm_placeref *p)
{
    char la[40], lo[40];
    const evm_placehint *h = EVM_H(p);
    evm__fmt_num(la, p->lat, 5);
    evm__fmt_num(lo, p->lon, 5);
    /* references read from an events table name the table */
    printf("%s:%d:%d  ", h->file ? h->file : file, p->pos.line,
           p->pos.col);
    if (p->name)
        printf("\"%s\" -> ", p->name);
    if (!h->resolved_name) {
        printf("%s, %s (coordinates given)\n", la, lo);
        return;
    }
    printf("%s", h->resolved_name);
    if (p->resolved_country[0] && h->resolved_kind)
        printf(" (%s, %s)", p->resolved_country, h->resolved_kind);
    else if (p->resolved_country[0] || h->resolved_kind)
        printf(" (%s)", p->resolved_country[0] ? p->resolved_country
                                               : h->resolved_kind);
    printf(" %s, %s %s", la, lo, h->resolved_id ? h->resolved_id : "");
    /* an approximate place says how approximate */
    if (p->precision != EVM_PREC_EXACT)
        printf(" (precision %s)", evm_precision_str(p->precision));
    printf("\n");
}

static void on_error(void *ud, const evm_placeref *p, const evm_error *e)
{
    (void)ud;
    (void)p;
    fprintf(stderr, "evmap: %s\n", e->msg);
}

/* The polygon area a shades, after its place's line. */
static void print_area(const char *file, const evm_area *a,
                       const evm_basemap *bm)
{
    const evm_placeref *p = &a->where;
    const evm_placehint *h = EVM_H(p);
    evm_bm_feature f;
    evm_bm_layer layer;
    if (a->path) {
        printf("%s:%d:%d  area -> polygons from %s\n", file, a->pos.line,
               a->pos.col, a->path);
        return;
    }
    if (!bm || !p->name || !h->resolved_id ||
        evm_basemap_place_polygon(bm, h->resolved_id, &f, &layer) != 0)
        return; /* reported as an error */
    printf("%s:%d:%d  area \"%s\" -> %s polygon %s%s%s (Natural Earth "
           "%s)\n", h->file ? h->file : file, p->pos.line, p->pos.col,
           p->name, layer == EVM_BM_COUNTRIES ? "country" : "admin-1",
           f.code, *f.code ? " " : "", f.name, h->resolved_id);
}

/* Validates one spec; returns its exit code. */
static int validate_one(const char *path, const evm_gazetteer *gz)
{
    evm_error err;
    evm_error_clear(&err);
    evm_map *m = evm_map_load(path, &err);
    if (!m)
        return cli_fail(&err);
    evm__map_resolve_report(m, gz, on_error, NULL, &err);
    /* what render would refuse beyond the places */
    evm_error cerr;
    evm_error_clear(&cerr);
    if (evm__map_check(m, &cerr) != EVM_OK) {
        fprintf(stderr, "evmap: %s\n", cerr.msg);
        if (err.code == EVM_OK)
            err = cerr;
    }
    int n = 0;
    evm_placeref **refs = evm__map_placerefs(m, &n);
    evm_error berr;
    evm_error_clear(&berr);
    evm_basemap *bm = m->nareas ? evm_basemap_open(NULL, &berr) : NULL;
    if (m->nareas && !bm) {
        /* the areas' polygons cannot be shown: say so, and fail */
        fprintf(stderr, "evmap: %s\n", berr.msg);
        if (err.code == EVM_OK)
            err = berr;
    }
    int ai = 0;
    for (int i = 0; i < n; i++) {
        if (refs[i]->has_coord)
            print_ref(path, refs[i]);
        /* refs come in file order, areas' places among them */
        while (ai < m->nareas && m->areas[ai].path)
            print_area(path, &m->areas[ai++], bm);
        if (ai < m->nareas && refs[i] == &m->areas[ai].where)
            print_area(path, &m->areas[ai++], bm);
    }
    while (ai < m->nareas)
        print_area(path, &m->areas[ai++], bm);
    evm_basemap_close(bm);
    free(refs);
    evm_map_free(m);
    if (n < 0) {
        evm_error_set(&err, EVM_E_NOMEM, "out of memory");
        return cli_fail(&err);
    }
    /* an unknown place is bad input, unless there was no gazetteer to
     * look it up in: that is the installation's failure */
    if (err.code == EVM_E_NOTFOUND && !gz)
        return 3;
    return evm_status_exit_code(err.code);
}

/* evmap validate SPEC...: exit 0 when every spec parses and every place
 * resolves, else the worst failure's code (1 bad input, 3 I/O). */
int cmd_validate(int argc, char **argv)
{
    int nfiles = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            nfiles += argc - i - 1;
            break;
        }
        if (!strcmp(argv[i], "--fallback")) {
            int level = i + 1 < argc ? evm_precision_from_name(argv[i + 1])
                                     : -1;
            if (i + 1 >= argc ||
                (level < EVM_PREC_ADMIN2 && strcmp(argv[i + 1], "none")))
                return cli_usage("validate", "--fallback takes none, "
                                             "admin2, admin1 or country");
            evm_set_default_fallback(level);
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("validate", "unknown option '%s'", argv[i]);
        nfiles++;
    }
    if (!nfiles)
        return cli_usage("validate", "give one or more spec files");
    evm_error gerr;
    evm_error_clear(&gerr);
    evm_gazetteer *gz = cli_gazetteer(NULL, &gerr);
    if (!gz)
        fprintf(stderr, "evmap: warning: %s; only places: entries and "
                        "coordinates can be resolved\n",
                gerr.msg[0] ? gerr.msg : "no gazetteer");
    int opts = 1;
    for (int i = 1; i < argc; i++) {
        if (opts && !strcmp(argv[i], "--")) {
            opts = 0;
            continue;
        }
        if (opts && !strcmp(argv[i], "--fallback")) {
            i++;
            continue;
        }
        int r = validate_one(argv[i], gz);
        if (r > rc)
            rc = r;
    }
    evm_gazetteer_close(gz);
    fflush(stdout);
    return rc;
}
