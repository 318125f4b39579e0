/* A table's header mapped for the reader engine: which format it is,
 * which column plays which role, the extra columns that travel with the
 * events, the user's columns and row filters, and the names a header
 * must not repeat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/csv.h"
#include "tables/reader.h"

/* The formats with a header, tried in order; a header none of them
 * claims is a generic table. */
static const evm__tfmt *const HEADER_FORMATS[] = {&EVM__FMT_ACLED,
                                                  &EVM__FMT_UCDP, NULL};
/* The formats without a header, told by their first record. */
static const evm__tfmt *const ROW_FORMATS[] = {&EVM__FMT_GDELT2,
                                               &EVM__FMT_GDELT1, NULL};

/* Output names no extra column may take (they would repeat a member). */
static const char *const RESERVED[] = {
    "feature", "type", "event_type", "sub_event_type", "date", "time",
    "label", "fatalities", "side", "confidence", "place", "place_name",
    "place_id", "place_country", "place_kind", "marker-color",
    "marker-symbol", "marker-size", "stroke", "stroke-width",
    "stroke-opacity", "stroke-dasharray", "fill", "fill-opacity", "from",
    "to", "via", "precision", NULL};

/* ------------------------------------------------------ extra columns */

/* Contract in reader.h. */
void evm__textras_free(evm__tr *t)
{
    for (int i = 0; i < t->nx; i++)
        free(t->xname[i]);
    free(t->xname);
    free(t->xtype);
    free(t->xcol);
    free(t->xval);
    free(t->xbuf);
    t->xname = NULL;
    t->xtype = NULL;
    t->xcol = NULL;
    t->xval = NULL;
    t->xbuf = NULL;
    t->nx = 0;
}

/* Contract in reader.h. */
int evm__textras_alloc(evm__tr *t, int n)
{
    size_t k = n > 0 ? (size_t)n : 1;
    t->xname = evm__calloc(k, sizeof *t->xname);
    t->xtype = evm__calloc(k, sizeof *t->xtype);
    t->xcol = evm__calloc(k, sizeof *t->xcol);
    t->xval = evm__calloc(k, sizeof *t->xval);
    t->xbuf = evm__calloc(k, sizeof *t->xbuf);
    return t->xname && t->xtype && t->xcol && t->xval && t->xbuf ? 0 : -1;
}

/* Appends an extra column; dedupe: unless one of that name is there
 * (a format's fixed extras; the header's own names are unique). */
static int add_extra(evm__tr *t, const char *name, int col, evm_ftype ty,
                     int dedupe)
{
    for (int i = 0; dedupe && i < t->nx; i++)
        if (!strcmp(t->xname[i], name))
            return 0;
    if (!(t->xname[t->nx] = evm__strdup(name)))
        return -1;
    t->xcol[t->nx] = col;
    t->xtype[t->nx] = ty;
    t->nx++;
    return 0;
}

static int reserved(const char *name)
{
    for (int i = 0; RESERVED[i]; i++)
        if (evm__csv_name_is(name, RESERVED[i]))
            return 1;
    return 0;
}

/* --------------------------------------------------------------- header */

/* The header's names, comma-separated, for a message ("lat, lon, ..."),
 * cut off after about 240 characters. */
static void header_list(const char *const *names, int n, char *list,
                        size_t size)
{
    size_t l = 0;
    list[0] = '\0';
    for (int i = 0; i < n && l < size - 60; i++)
        l += (size_t)snprintf(list + l, size - l, "%s%s", i ? ", " : "",
                              names[i] ? names[i] : "");
}

/* A column named by the user: it must exist. */
static int user_col(evm__tr *t, const char *const *names, int n,
                    const char *want, const char *opt, int *col)
{
    if (!want)
        return 0;
    for (int i = 0; i < n; i++)
        if (names[i] && !strcasecmp(names[i], want)) {
            *col = i;
            return 0;
        }
    char list[300];
    header_list(names, n, list, sizeof list);
    evm_error_set(t->err, EVM_E_USAGE, "%s: %s %s: no such column (it has: "
                  "%s)", t->path, opt, want, list);
    return -1;
}

/* A header name as columns are matched: spaces around it dropped, ASCII
 * lower case. malloc'ed; NULL when out of memory. */
static char *folded_name(const char *h)
{
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t' || h[n - 1] == '\r'))
        n--;
    char *f = evm__strndup(h, n);
    for (size_t i = 0; f && i < n; i++)
        if (f[i] >= 'A' && f[i] <= 'Z')
            f[i] = (char)(f[i] - 'A' + 'a');
    return f;
}

struct hname {
    char *name;
    int col;
};

static int cmp_hname(const void *a, const void *b)
{
    const struct hname *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->col > y->col) - (x->col < y->col);
}

/* Contract in reader.h. Sorted, so that a header of 100,000 columns
 * takes no time. */
int evm__tunique_names(evm__tr *t, const char *const *names, int n,
                        const long *lines, const int *cols)
{
    struct hname *v = evm__calloc((size_t)n + 1, sizeof *v);
    int k = 0, rc = 0;
    if (!v)
        return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    for (int i = 0; i < n && rc == 0; i++) {
        if (!names[i])
            continue;
        if (!(v[k].name = folded_name(names[i])))
            rc = evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
        else if (!*v[k].name)
            free(v[k].name);
        else
            v[k++].col = i;
    }
    if (rc == 0)
        qsort(v, (size_t)k, sizeof *v, cmp_hname);
    for (int i = 1; i < k && rc == 0; i++)
        if (!strcmp(v[i].name, v[i - 1].name)) {
            int a = v[i - 1].col, b = v[i].col;
            evm_error_set(t->err, EVM_E_INPUT, "%s:%ld:%d: column \"%.60s\" "
                          "appears twice (columns %d and %d), and only one "
                          "could be read; rename one", t->path,
                          lines ? lines[b] : 1L, cols ? cols[b] : 1,
                          names[b], a + 1, b + 1);
            rc = -1;
        }
    for (int i = 0; i < k; i++)
        free(v[i].name);
    free(v);
    return rc ? -1 : 0;
}

/* The user's columns (--lat, --lon, --place, --type, --date) and the
 * check that events can be placed. 0, or -1 + err. */
static int user_columns(evm__tr *t, const char *const *names, int n)
{
    const evm_table_opts *o = t->o;
    if (user_col(t, names, n, o->lat, "--lat", &t->col[C_LAT]) < 0 ||
        user_col(t, names, n, o->lon, "--lon", &t->col[C_LON]) < 0 ||
        user_col(t, names, n, o->place, "--place", &t->col[C_PLACE]) < 0 ||
        user_col(t, names, n, o->type, "--type", &t->col[C_TYPE]) < 0 ||
        user_col(t, names, n, o->date, "--date", &t->col[C_DATE]) < 0)
        return -1;
    int lat = t->col[C_LAT], lon = t->col[C_LON];
    if (!t->gdal && (lat < 0) != (lon < 0)) {
        evm_error_set(t->err, EVM_E_INPUT, "%s:1: a %s column but no %s "
                      "column; name them with --lat and --lon", t->path,
                      lat < 0 ? "longitude" : "latitude",
                      lat < 0 ? "latitude" : "longitude");
        return -1;
    }
    if (!t->gdal && lat < 0 && t->col[C_PLACE] < 0) {
        char list[300];
        header_list(names, n, list, sizeof list);
        evm_error_set(t->err, EVM_E_INPUT, "%s:1: no latitude/longitude "
                      "columns and no place column (the header has: %s); "
                      "name them with --lat and --lon, or --place", t->path,
                      list);
        return -1;
    }
    return 0;
}

/* Every column no role took travels along (generic tables). */
static int other_columns(evm__tr *t, const char *const *names, int n,
                         const evm_ftype *gtypes)
{
    for (int i = 0; i < n; i++) {
        int used = 0;
        for (int k = 0; k < C_FEATURE; k++)
            used |= t->col[k] == i;
        const char *nm = names[i];
        if (used || !nm || !*nm || reserved(nm))
            continue;
        if (add_extra(t, nm, i, gtypes ? gtypes[i] : EVM_FT_STRING, 0) < 0)
            return -1;
    }
    return 0;
}

/* One condition "COLUMN=VALUE" or "COLUMN!=VALUE" (opt names where it
 * came from in messages). 0, or -1 + err. */
static int add_cond(evm__tr *t, const char *const *names, int n,
                    const char *c, const char *opt)
{
    const char *eq = strchr(c, '=');
    int neg = eq && eq > c && eq[-1] == '!';
    size_t cl = eq ? (size_t)(eq - c) - (size_t)neg : 0;
    char col[200];
    if (!eq || cl == 0 || cl >= sizeof col) {
        evm_error_set(t->err, EVM_E_USAGE, "%s: %s \"%.80s\": give "
                      "COLUMN=VALUE or COLUMN!=VALUE", t->path, opt, c);
        return -1;
    }
    memcpy(col, c, cl);
    col[cl] = '\0';
    const char *cand[2] = {col, NULL};
    int i = evm__csv_find_col(names, n, cand);
    if (i < 0) {
        char list[300];
        header_list(names, n, list, sizeof list);
        evm_error_set(t->err, EVM_E_USAGE, "%s: %s %s: no such column (it "
                      "has: %s)", t->path, opt, col, list);
        return -1;
    }
    const char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vl = strlen(v);
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
        vl--;
    t->cond[t->ncond++] = (evm__tcond){i, neg, v, vl};
    return 0;
}

/* The row filters: the user's and the format's default ones, unless
 * evm_table_opts.all or the user's name the same column. */
static int conditions(evm__tr *t, const char *const *names, int n)
{
    const char *const *dw = t->o->all ? NULL : t->fmt->default_where;
    int nd = 0;
    while (dw && dw[nd])
        nd++;
    free(t->cond);
    t->ncond = 0;
    if (!(t->cond = evm__calloc((size_t)(t->o->nwhere + nd + 1),
                                sizeof *t->cond)))
        return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    for (int i = 0; i < t->o->nwhere; i++)
        if (add_cond(t, names, n, t->o->where[i], "--where") < 0)
            return -1;
    int nuser = t->ncond;
    for (int i = 0; i < nd; i++) {
        if (add_cond(t, names, n, dw[i], t->fmt->name) < 0)
            return -1;
        /* the user's own conditions on that column replace the format's
         * (--where QuadClass=1 means class 1, not 1, 3 or 4) */
        for (int k = 0; k < nuser; k++)
            if (t->cond[k].col == t->cond[t->ncond - 1].col) {
                t->ncond--;
                break;
            }
    }
    return 0;
}

/* Contract in reader.h. */
int evm__trow_kept(const evm__tr *t, const evm__trow *r)
{
    for (int i = 0; i < t->ncond; i++) {
        const evm__tcond *c = &t->cond[i];
        const char *v = evm__tval(r, c->col);
        size_t n = v ? strlen(v) : 0;
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
                     v[n - 1] == '\r'))
            n--;
        int eq = n == c->vlen && (!n || !strncasecmp(v, c->val, n));
        if (c->neg) {
            if (eq)
                return 0;
            continue;
        }
        if (eq)
            continue;
        /* another "=" on this column may match */
        int alt = 0;
        for (int k = 0; k < t->ncond && !alt; k++) {
            const evm__tcond *d = &t->cond[k];
            alt = k != i && !d->neg && d->col == c->col && n == d->vlen &&
                  (!n || !strncasecmp(v, d->val, n));
        }
        if (!alt)
            return 0;
    }
    return 1;
}

/* Contract in reader.h. */
int evm__tsetup(evm__tr *t, const char *const *names, int n,
                 const evm_ftype *gtypes)
{
    for (int k = 0; k < C_NROLE; k++)
        t->col[k] = -1;
    evm__textras_free(t);
    t->ncol = n;
    if (evm__textras_alloc(t, n + 16) < 0)
        goto oom;
    if (!t->fmt || !t->fmt->detect_row) {
        t->fmt = &EVM__FMT_GENERIC;
        for (int i = 0; HEADER_FORMATS[i]; i++)
            if (HEADER_FORMATS[i]->detect(names, n, t->gdal)) {
                t->fmt = HEADER_FORMATS[i];
                break;
            }
    }
    const evm__tfmt *f = t->fmt;
    for (const evm__tcol *c = f->cols; (int)c->role >= 0; c++)
        t->col[c->role] = evm__csv_find_col(names, n,
                                            c->list ? c->list : c->names);
    for (const evm__textra *x = f->extras; x->col; x++) {
        const char *c[2] = {x->col, NULL};
        int i = evm__csv_find_col(names, n, c);
        if (i >= 0 && add_extra(t, x->out, i, x->type, 1) < 0)
            goto oom;
    }
    if (conditions(t, names, n) < 0)
        return -1;
    if (f->own_columns)
        return 0;
    if (user_columns(t, names, n) < 0)
        return -1;
    if (f->all_extras && other_columns(t, names, n, gtypes) < 0)
        goto oom;
    return 0;
oom:
    evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
    return -1;
}

/* --------------------------------------------------------------- formats */

/* Contract in reader.h. */
const evm__tfmt *evm__tformat_of_row(int n, char delim, const char *f0)
{
    for (int i = 0; ROW_FORMATS[i]; i++)
        if (ROW_FORMATS[i]->detect_row(n, delim, f0))
            return ROW_FORMATS[i];
    return NULL;
}

/* Contract in tables.h. */
const char *evm__table_source(const char *format)
{
    const evm__tfmt *f = evm__tformat(format);
    return f ? f->source : NULL;
}

/* Contract in reader.h. */
const evm__tfmt *evm__tformat(const char *name)
{
    const evm__tfmt *const *lists[] = {HEADER_FORMATS, ROW_FORMATS};
    for (int k = 0; k < 2; k++)
        for (int i = 0; lists[k][i]; i++)
            if (!strcmp(lists[k][i]->name, name))
                return lists[k][i];
    return !strcmp(name, EVM__FMT_GENERIC.name) ? &EVM__FMT_GENERIC : NULL;
}

