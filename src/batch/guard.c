/* Guards on output paths, shared by `evmap render` and the batch engine:
 * an output must not be one of the map's inputs, a manifest's output
 * must stay inside the output directory once symbolic links are
 * resolved, and the side files of multi-file formats are outputs too. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "batch/batch.h"
#include "core/core.h"
#include "model.h"

/* 1 when a and b name the same existing file. */
static int same_file(const struct stat *o, const char *b)
{
    struct stat sb;
    return b && stat(b, &sb) == 0 && o->st_dev == sb.st_dev &&
           o->st_ino == sb.st_ino;
}

/* Contract in batch.h. */
const char *evm__output_is_input(const evm_map *m, const char *spec,
                                 const char *out)
{
    struct stat so;
    if (!out || !strcmp(out, "-") || stat(out, &so) != 0 ||
        !S_ISREG(so.st_mode))
        return NULL;
    if (same_file(&so, spec))
        return spec;
    if (!m)
        return NULL;
    if (same_file(&so, m->background_path))
        return m->background_path;
    for (int i = 0; i < m->nlayers; i++)
        if (same_file(&so, m->layers[i].path))
            return m->layers[i].path;
    for (int i = 0; i < m->nareas; i++)
        if (same_file(&so, m->areas[i].path))
            return m->areas[i].path;
    /* event tables: every event of a table names it; test each name once */
    const char *last = NULL;
    for (int i = 0; i < m->nevents; i++) {
        const char *f = EVM_H(&m->events[i].where)->file;
        if (f && f != last && (!last || strcmp(f, last)) && same_file(&so, f))
            return f;
        if (f)
            last = f;
    }
    return NULL;
}

/* The longest existing ancestor directory of path, resolved (realpath),
 * or NULL. */
static char *resolved_ancestor(const char *path)
{
    char *p = evm__strdup(path);
    if (!p)
        return NULL;
    for (;;) {
        char *slash = strrchr(p, '/');
        if (!slash) {
            free(p);
            return realpath(".", NULL);
        }
        if (slash == p) {
            free(p);
            return realpath("/", NULL);
        }
        *slash = '\0';
        char *r = realpath(p, NULL);
        if (r) {
            free(p);
            return r;
        }
        if (errno != ENOENT) {
            free(p);
            return NULL;
        }
    }
}

/* Contract in batch.h. */
evm_status evm__confine(const char *root, const char *out, evm_error *err)
{
    char *r = realpath(root && *root ? root : ".", NULL);
    char *a = resolved_ancestor(out);
    evm_status st = EVM_OK;
    if (!r || !a) {
        st = evm_error_set(err, EVM_E_IO, "%s: cannot resolve its directory: "
                           "%s", out, strerror(errno));
    } else {
        size_t n = strlen(r);
        int inside = !strncmp(a, r, n) &&
                     (a[n] == '\0' || a[n] == '/' || (n == 1 && r[0] == '/'));
        if (!inside)
            st = evm_error_set(err, EVM_E_INPUT, "%s: leaves the output "
                               "directory through a symbolic link (it "
                               "resolves to %s, outside %s); nothing was "
                               "written (or pass --allow-any-path)", out, a, r);
    }
    free(r);
    free(a);
    return st;
}

/* Contract in batch.h. */
int evm__side_outputs(evm_format f, const char *out, char *side[2])
{
    side[0] = side[1] = NULL;
    if (f != EVM_FMT_SHP && f != EVM_FMT_FGB && f != EVM_FMT_CSV)
        return 0;
    const char *ext = evm__format_ext(f);
    size_t n = strlen(out), el = strlen(ext);
    size_t stem = n > el && out[n - el - 1] == '.' &&
                          !strcasecmp(out + n - el, ext)
                      ? n - el - 1
                      : n;
    static const char *const layer[2] = {"movements", "areas"};
    for (int i = 0; i < 2; i++) {
        size_t k = stem + strlen(layer[i]) + el + 4;
        if (!(side[i] = malloc(k))) {
            free(side[0]);
            side[0] = NULL;
            return -1;
        }
        snprintf(side[i], k, "%.*s_%s.%s", (int)stem, out, layer[i], ext);
    }
    return 2;
}
