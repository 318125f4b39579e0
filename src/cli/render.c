/* evmap render: spec(s) -> PNG, SVG, PDF or GeoJSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "core/core.h"

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

static int is_dir(const char *p)
{
    struct stat st;
    size_t n = strlen(p);
    return (n && p[n - 1] == '/') || (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

static const char *ext_of(evm_format f)
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

/* DIR/<spec stem>.<ext> */
static char *out_name(const char *dir, const char *spec, evm_format f)
{
    const char *base = strrchr(spec, '/');
    base = base ? base + 1 : spec;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t n = (dir ? strlen(dir) : 0) + stem + 16;
    char *p = malloc(n);
    if (!p)
        return NULL;
    if (dir && *dir) {
        size_t dl = strlen(dir);
        snprintf(p, n, "%s%s%.*s.%s", dir, dir[dl - 1] == '/' ? "" : "/",
                 (int)stem, base, ext_of(f));
    } else {
        snprintf(p, n, "%.*s.%s", (int)stem, base, ext_of(f));
    }
    return p;
}

int cmd_render(int argc, char **argv)
{
    evm_render_opts o;
    evm_render_opts_init(&o);
    const char *out = NULL, *places = NULL;
    const char **specs = calloc((size_t)argc, sizeof *specs);
    int nspec = 0;
    if (!specs)
        return 3;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v) { rc = cli_usage("render", "-o needs a path"); goto done; }
            out = v; i++;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!v || (o.format = evm_format_from_name(v)) == EVM_FMT_AUTO) {
                rc = cli_usage("render", "-f takes png, svg, pdf, geojson, "
                               "gpkg, kml, fgb, shp or csv");
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--size")) {
            if (!v || parse_size(v, &o.width, &o.height) != 0) {
                rc = cli_usage("render", "--size takes WIDTHxHEIGHT, e.g. "
                               "1600x1000");
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--dpi")) {
            double d;
            if (!v || evm__parse_double(v, &d) != 0 || d < 10 || d > 2400) {
                rc = cli_usage("render", "--dpi takes a number in 10..2400");
                goto done;
            }
            o.dpi = d;
            i++;
        } else if (!strcmp(a, "--theme")) {
            if (!v) { rc = cli_usage("render", "--theme needs a name"); goto done; }
            if (!strcmp(v, "light")) o.theme = EVM_THEME_LIGHT;
            else if (!strcmp(v, "dark")) o.theme = EVM_THEME_DARK;
            else if (!strcmp(v, "print")) o.theme = EVM_THEME_PRINT;
            else {
                rc = cli_usage("render", "--theme takes light, dark or print");
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--places")) {
            if (!v) { rc = cli_usage("render", "--places needs a file"); goto done; }
            places = v;
            i++;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o.quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage("render", "unknown option %s", a);
            goto done;
        } else {
            specs[nspec++] = a;
        }
    }
    if (!nspec) {
        rc = cli_usage("render", "give a spec file");
        goto done;
    }
    int to_dir = out && (nspec > 1 || is_dir(out)) && strcmp(out, "-") != 0;
    if (nspec > 1 && out && !to_dir) {
        rc = cli_usage("render", "several specs need -o DIR/");
        goto done;
    }
    evm_error err = {0};
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &err);
    if (!gz) {
        rc = cli_fail(&err);
        goto done;
    }
    if (places && evm_gazetteer_add_places(gz, places, &err) != EVM_OK) {
        rc = cli_fail(&err);
        evm_gazetteer_close(gz);
        goto done;
    }
    for (int i = 0; i < nspec; i++) {
        evm_error e = {0};
        evm_map *m = evm_map_load(specs[i], &e);
        if (m && evm_map_resolve(m, gz, &e) == EVM_OK) {
            evm_format f = o.format != EVM_FMT_AUTO ? o.format
                           : out && !to_dir ? evm_format_from_path(out)
                                            : EVM_FMT_AUTO;
            if (f == EVM_FMT_AUTO)
                f = EVM_FMT_PNG;
            char *path = out && !to_dir ? evm__strdup(out)
                                        : out_name(out, specs[i], f);
            evm_render_opts oo = o;
            oo.format = f;
            if (path)
                evm_map_render(m, &oo, path, &e);
            else
                evm_error_set(&e, EVM_E_NOMEM, "out of memory");
            free(path);
        }
        evm_map_free(m);
        if (e.code != EVM_OK) {
            int c = cli_fail(&e);
            if (c > rc)
                rc = c;
        }
    }
    evm_gazetteer_close(gz);
done:
    free(specs);
    return rc;
}
