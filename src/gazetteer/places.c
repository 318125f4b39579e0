/* The overlay of user places: evm_gazetteer_add_place(s), the CSV/TSV
 * reader for --places files, and the bridge to the GDAL module for every
 * other vector format.
 *
 * CSV and TSV go through the tokenizer every table reader uses
 * (core/csv.h): RFC 4180 quoting in CSV, none in TSV, a header or none,
 * and every error names its file, line and column. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/csv.h"
#include "gaz_int.h"
#include "gdal/gdal_api.h"

/* The GDAL module loader lives in another part of the library; a build
 * without it still reads CSV and TSV. */
#pragma weak evm__gdal

#define MAX_PLACES_FILE (64u << 20)
#define MAX_ROWS 2000000

/* ------------------------------------------------------------- overlay */

static evm_status add_ukey(evm_gazetteer *gz, const char *key, size_t n,
                           uint32_t user, int type)
{
    if (gz->nukeys + 1 > gz->nubuckets / 2) {
        size_t nb = gz->nubuckets ? gz->nubuckets * 2 : 64;
        uint32_t *b = evm__reallocarray(NULL, nb, sizeof *b);
        if (!b)
            return EVM_E_NOMEM;
        for (size_t i = 0; i < nb; i++)
            b[i] = UINT32_MAX;
        for (size_t i = 0; i < gz->nukeys; i++) {
            struct evm_gz_ukey *k = &gz->ukeys[i];
            size_t s = k->hash & (nb - 1);
            k->next = b[s];
            b[s] = (uint32_t)i;
        }
        free(gz->ubuckets);
        gz->ubuckets = b;
        gz->nubuckets = nb;
    }
    if (gz->nukeys == gz->capukeys) {
        size_t nc = gz->capukeys ? gz->capukeys * 2 : 64;
        struct evm_gz_ukey *k = evm__reallocarray(gz->ukeys, nc, sizeof *k);
        if (!k)
            return EVM_E_NOMEM;
        gz->ukeys = k;
        gz->capukeys = nc;
    }
    struct evm_gz_ukey *k = &gz->ukeys[gz->nukeys];
    k->key = evm__strndup(key, n);
    if (!k->key)
        return EVM_E_NOMEM;
    k->hash = evm__gz_hash(key, n);
    k->user = user;
    k->type = (uint8_t)type;
    size_t s = k->hash & (gz->nubuckets - 1);
    k->next = gz->ubuckets[s];
    gz->ubuckets[s] = (uint32_t)gz->nukeys;
    gz->nukeys++;
    return EVM_OK;
}

/* Adds one checked place. cc is "" or an alpha-2 code. */
static evm_status user_add(evm_gazetteer *gz, const char *name, double lat,
                           double lon, const char *cc, const char *kind,
                           const char *source, evm_error *err)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (evm__gz_words(name, strlen(name), &w) < 0 || w.n == 0)
        return evm_error_set(err, EVM_E_INPUT,
                             "place name \"%.60s\" has no letters or digits",
                             name);
    if (gz->nusers == gz->capusers) {
        size_t nc = gz->capusers ? gz->capusers * 2 : 16;
        struct evm_gz_user **u = evm__reallocarray(gz->users, nc, sizeof *u);
        if (!u)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        gz->users = u;
        gz->capusers = nc;
    }
    struct evm_gz_user *u = calloc(1, sizeof *u);
    char id[32];
    snprintf(id, sizeof id, "user:%zu", gz->nusers + 1);
    if (!u || !(u->name = evm__strdup(name)) ||
        !(u->kind_name = evm__strdup(kind && *kind ? kind : "place")) ||
        !(u->id = evm__strdup(id)) ||
        !(u->source = evm__strdup(source ? source : "user"))) {
        if (u) {
            free(u->name);
            free(u->kind_name);
            free(u->id);
        }
        free(u);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    for (char *p = u->kind_name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    u->pub.name = u->name;
    u->pub.lat = lat;
    u->pub.lon = lon;
    u->pub.country[0] = cc[0] ? (char)toupper((unsigned char)cc[0]) : 0;
    u->pub.country[1] = cc[0] ? (char)toupper((unsigned char)cc[1]) : 0;
    u->pub.admin1 = "";
    u->pub.kind = kind && *kind ? evm__gz_kind_of(kind) : EVM_KIND_SITE;
    u->pub.kind_name = u->kind_name;
    u->pub.id = u->id;
    u->pub.source = u->source;
    u->importance = 10000;
    uint32_t ui = (uint32_t)gz->nusers;
    gz->users[gz->nusers++] = u;
    int len = evm__gz_key(&w, 0, w.n, key, sizeof key);
    if (len > 0 && add_ukey(gz, key, (size_t)len, ui, EVM_GZ_M_PRIMARY))
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    int from, to;
    if (u->pub.kind != EVM_KIND_CITY && evm__gz_strip_kind(&w, &from, &to)) {
        len = evm__gz_key(&w, from, to, key, sizeof key);
        if (len > 0 && add_ukey(gz, key, (size_t)len, ui, EVM_GZ_M_STRIP))
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    return EVM_OK;
}

/* Checks a country given by the user: "" stays "", an alpha-2 code is
 * taken as is, a name is looked up. Returns 0 or -1. */
static int user_country(const evm_gazetteer *gz, const char *s, char cc[3])
{
    cc[0] = '\0';
    if (!*s)
        return 0;
    if (strlen(s) == 2 && isalpha((unsigned char)s[0]) &&
        isalpha((unsigned char)s[1])) {
        cc[0] = (char)toupper((unsigned char)s[0]);
        cc[1] = (char)toupper((unsigned char)s[1]);
        cc[2] = '\0';
        return 0;
    }
    return evm__gz_country(gz, s, cc);
}

evm_status evm_gazetteer_add_place(evm_gazetteer *gz, const char *name,
                                   double lat, double lon,
                                   const char *country, const char *kind,
                                   evm_error *err)
{
    char cc[3];
    if (!gz || !name)
        return evm_error_set(err, EVM_E_INPUT,
                             "evm_gazetteer_add_place: invalid arguments");
    const char *bad = evm__gz_bad_name(name, strlen(name));
    if (bad)
        return evm_error_set(err, EVM_E_INPUT, "place: %s", bad);
    if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 ||
        fabs(lon) > 180)
        return evm_error_set(err, EVM_E_INPUT,
                             "place \"%.60s\": coordinates out of range "
                             "(latitude -90..90, longitude -180..180)",
                             name);
    if (user_country(gz, country ? country : "", cc) < 0)
        return evm_error_set(err, EVM_E_INPUT,
                             "place \"%.60s\": unknown country \"%.60s\"",
                             name, country);
    if (kind && evm__gz_bad_name(kind, strlen(kind)))
        kind = NULL;
    return user_add(gz, name, lat, lon, cc, kind, "user", err);
}

/* ------------------------------------------------------------ CSV / TSV */

struct row {
    char *name, *kind;
    double lat, lon;
    char cc[3];
};

struct rows {
    struct row *v;
    size_t n, cap;
};

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        free(r->v[i].kind);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static evm_status rows_push(struct rows *r, const char *name,
                            const char *kind, double lat, double lon,
                            const char *cc, evm_error *err)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        struct row *v = evm__reallocarray(r->v, nc, sizeof *v);
        if (!v)
            return evm_error_set(err, EVM_E_NOMEM, "out of memory");
        r->v = v;
        r->cap = nc;
    }
    struct row *x = &r->v[r->n];
    x->name = evm__strdup(name);
    x->kind = kind && *kind ? evm__strdup(kind) : NULL;
    if (!x->name || (kind && *kind && !x->kind)) {
        free(x->name);
        free(x->kind);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    x->lat = lat;
    x->lon = lon;
    memcpy(x->cc, cc, 3);
    r->n++;
    return EVM_OK;
}

/* The current record of the tokenizer (core/csv.h). */
struct record {
    evm__csv *c;
    int n;
    long line;      /* line where the record starts */
    const int *col; /* column of each field */
};

static void record_of(struct record *r, evm__csv *c)
{
    r->c = c;
    r->n = evm__csv_nfield(c);
    r->line = evm__csv_line(c);
    r->col = evm__csv_cols(c);
}

static const char *fld(struct record *r, int i)
{
    return i >= 0 && i < r->n ? evm__csv_field(r->c, i) : "";
}

/* A NUL inside a field would cut it short without a word: the column of
 * the first such field, or -1. */
static int nul_field(struct record *r)
{
    for (int i = 0; i < r->n; i++)
        if (strlen(fld(r, i)) != evm__csv_field_len(r->c, i))
            return i;
    return -1;
}

static int is_blank_record(struct record *r)
{
    if (r->n == 1) {
        const char *s = fld(r, 0);
        while (*s == ' ' || *s == '\t')
            s++;
        return *s == '\0' || *s == '#';
    }
    return fld(r, 0)[0] == '#';
}

static int name_in(const char *s, const char *const *names)
{
    while (*s == ' ')
        s++;
    for (; *names; names++)
        if (strcasecmp(s, *names) == 0)
            return 1;
    return 0;
}

static int find_col(struct record *r, const char *const *names)
{
    for (int i = 0; i < r->n; i++)
        if (name_in(fld(r, i), names))
            return i;
    return -1;
}

static evm_status parse_coord(const char *fname, struct record *r, int i,
                              const char *what, double lim, double *v,
                              evm_error *err)
{
    const char *s = fld(r, i);
    if (evm__parse_double(s, v) < 0)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s:%ld:%d: %s \"%.40s\" is not a number; write "
                             "decimal degrees such as 43.238", fname,
                             r->line, r->col[i], what, s);
    if (fabs(*v) > lim)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s:%ld:%d: %s %.40s is out of range (-%g..%g)",
                             fname, r->line, r->col[i], what, s, lim, lim);
    return EVM_OK;
}

static int has_word(const char *name)
{
    struct evm_gz_words w;
    return evm__gz_words(name, strlen(name), &w) == 0 && w.n > 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static evm_status add_rows(evm_gazetteer *gz, struct rows *rows,
                           const char *source, evm_error *err)
{
    for (size_t i = 0; i < rows->n; i++) {
        struct row *x = &rows->v[i];
        evm_status st = user_add(gz, x->name, x->lat, x->lon, x->cc, x->kind,
                                 source, err);
        if (st)
            return st;
    }
    return EVM_OK;
}

evm_status evm__gz_add_places_buffer(evm_gazetteer *gz, const char *fname,
                                     const char *buf, size_t len, int tab,
                                     evm_error *err)
{
    static const char *const n_name[] = {"name", "place", "title", "label",
                                         "toponym", NULL};
    static const char *const n_cc[] = {"country", "cc", "country_code",
                                       "countrycode", "iso", "iso2", NULL};
    static const char *const n_kind[] = {"kind", "type", "feature", "class",
                                         NULL};
    struct record r;
    struct rows rows = {0};
    evm_status st = EVM_OK;
    int ncols = -1, c_name = 0, c_lat = 1, c_lon = 2, c_cc = 3, c_kind = 4;
    evm__csv *c = evm__csv_open_mem(fname, buf, len, err);
    if (!c)
        return err ? err->code : EVM_E_NOMEM;
    evm__csv_set_delim(c, tab ? '\t' : ',');
    if (tab)
        evm__csv_no_quotes(c);
    for (;;) {
        int got = evm__csv_next(c, err);
        if (got < 0) {
            st = err ? err->code : EVM_E_INPUT;
            goto done;
        }
        if (got == 0)
            break;
        record_of(&r, c);
        int z = nul_field(&r);
        if (z >= 0) {
            st = evm_error_set(err, EVM_E_INPUT, "%s:%ld:%d: a NUL byte in "
                               "the field; remove it (is the file UTF-16?)",
                               fname, r.line, r.col[z]);
            goto done;
        }
        if (is_blank_record(&r))
            continue;
        if (ncols < 0) {
            double v;
            ncols = r.n;
            int numeric = r.n >= 3 && evm__parse_double(fld(&r, 1), &v) == 0 &&
                          evm__parse_double(fld(&r, 2), &v) == 0;
            if (!numeric) {
                c_name = find_col(&r, n_name);
                c_lat = find_col(&r, EVM_CSV_LAT_NAMES);
                c_lon = find_col(&r, EVM_CSV_LON_NAMES);
                c_cc = find_col(&r, n_cc);
                c_kind = find_col(&r, n_kind);
                if (c_name < 0 || c_lat < 0 || c_lon < 0) {
                    st = evm_error_set(
                        err, EVM_E_INPUT,
                        "%s:%ld: the first row is neither a header naming "
                        "name, lat and lon columns nor a row of name, "
                        "latitude, longitude", fname, r.line);
                    goto done;
                }
                continue;
            }
            if (r.n > 5) {
                st = evm_error_set(err, EVM_E_INPUT,
                                   "%s:%ld: %d fields without a header; "
                                   "expected name, lat, lon[, country, "
                                   "kind] or a header row", fname, r.line,
                                   r.n);
                goto done;
            }
        }
        if (r.n != ncols) {
            st = evm_error_set(err, EVM_E_INPUT,
                               "%s:%ld: %d fields where the first row has "
                               "%d; quote fields that contain %s", fname,
                               r.line, r.n, ncols,
                               tab ? "tabs" : "commas");
            goto done;
        }
        if (rows.n >= MAX_ROWS) {
            st = evm_error_set(err, EVM_E_TOOBIG,
                               "%s:%ld: more than %d places", fname, r.line,
                               MAX_ROWS);
            goto done;
        }
        const char *name = fld(&r, c_name);
        const char *bad = evm__gz_bad_name(name, strlen(name));
        if (!bad && !has_word(name))
            bad = "name has no letters or digits";
        if (bad) {
            st = evm_error_set(err, EVM_E_INPUT, "%s:%ld:%d: %s", fname,
                               r.line, r.col[c_name], bad);
            goto done;
        }
        double lat, lon;
        if ((st = parse_coord(fname, &r, c_lat, "latitude", 90, &lat, err)) ||
            (st = parse_coord(fname, &r, c_lon, "longitude", 180, &lon, err)))
            goto done;
        char cc[3];
        const char *country = c_cc < r.n ? fld(&r, c_cc) : "";
        if (user_country(gz, country, cc) < 0) {
            st = evm_error_set(err, EVM_E_INPUT,
                               "%s:%ld:%d: unknown country \"%.40s\"; use an "
                               "ISO code such as KZ", fname, r.line,
                               r.col[c_cc], country);
            goto done;
        }
        const char *kind = c_kind < r.n ? fld(&r, c_kind) : "";
        if (*kind && evm__gz_bad_name(kind, strlen(kind))) {
            st = evm_error_set(err, EVM_E_INPUT, "%s:%ld:%d: bad kind",
                               fname, r.line, r.col[c_kind]);
            goto done;
        }
        if ((st = rows_push(&rows, name, kind, lat, lon, cc, err)))
            goto done;
    }
    if (rows.n == 0) {
        st = evm_error_set(err, EVM_E_INPUT,
                           "%s: no places (expected rows of name, lat, lon)",
                           fname);
        goto done;
    }
    /* all rows are good: only now does the overlay change */
    st = add_rows(gz, &rows, base_name(fname), err);
done:
    evm__csv_close(c);
    rows_free(&rows);
    return st;
}

/* ----------------------------------------------------------------- GDAL */

struct ogr_ctx {
    evm_gazetteer *gz;
    const char *path;
    struct rows rows;
    evm_error *err;
    evm_status st;
    long n;
};

static int ogr_point(void *ud, const char *name, double lon, double lat,
                     const char *country, const char *kind)
{
    struct ogr_ctx *c = ud;
    char cc[3];
    c->n++;
    const char *bad = name ? evm__gz_bad_name(name, strlen(name))
                           : "feature without a name";
    if (!bad && !has_word(name))
        bad = "name has no letters or digits";
    if (bad) {
        c->st = evm_error_set(c->err, EVM_E_INPUT, "%s: feature %ld: %s",
                              c->path, c->n, bad);
        return 1;
    }
    if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 ||
        fabs(lon) > 180) {
        c->st = evm_error_set(c->err, EVM_E_INPUT,
                              "%s: feature %ld (\"%.40s\"): coordinates out "
                              "of range", c->path, c->n, name);
        return 1;
    }
    if (user_country(c->gz, country ? country : "", cc) < 0)
        cc[0] = '\0'; /* a GIS layer's country field is only a hint */
    if (kind && evm__gz_bad_name(kind, strlen(kind)))
        kind = NULL;
    c->st = rows_push(&c->rows, name, kind, lat, lon, cc, c->err);
    return c->st != EVM_OK;
}

static evm_status add_places_ogr(evm_gazetteer *gz, const char *path,
                                 evm_error *err)
{
    if (!evm__gdal)
        return evm_error_set(err, EVM_E_LIB,
                             "%s: this build cannot read GIS formats (no "
                             "GDAL module); give the places as CSV or TSV "
                             "with columns name, lat, lon", path);
    const evm_gdal_api *api = evm__gdal(err);
    if (!api)
        return err && err->code ? err->code : EVM_E_LIB;
    struct ogr_ctx c = {.gz = gz, .path = path, .err = err};
    evm_status st = api->read_points(path, ogr_point, &c, err);
    if (!st)
        st = c.st;
    if (!st && c.rows.n == 0)
        st = evm_error_set(err, EVM_E_INPUT,
                           "%s: no point features with a name", path);
    if (!st)
        st = add_rows(gz, &c.rows, base_name(path), err);
    rows_free(&c.rows);
    return st;
}

evm_status evm_gazetteer_add_places(evm_gazetteer *gz, const char *path,
                                    evm_error *err)
{
    if (!gz || !path)
        return evm_error_set(err, EVM_E_INPUT,
                             "evm_gazetteer_add_places: invalid arguments");
    const char *dot = strrchr(base_name(path), '.');
    int tab;
    if (dot && strcasecmp(dot, ".evp") == 0)
        return evm__gz_open_lset(gz, path, err);
    if (dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".tsv") ||
                !strcasecmp(dot, ".txt") || !strcasecmp(dot, ".gz"))) {
        int got = evm__gz_learn_table(gz, path, err);
        if (got < 0)
            return err && err->code ? err->code : EVM_E_INPUT;
        if (got > 0)
            return EVM_OK;
        if (!strcasecmp(dot, ".gz"))
            return evm_error_set(err, EVM_E_INPUT,
                                 "%s: not an event table (a compressed "
                                 "table needs a header naming a place, "
                                 "coordinates and admin or precision "
                                 "columns)", path);
    }
    if (dot && strcasecmp(dot, ".csv") == 0)
        tab = 0;
    else if (dot && strcasecmp(dot, ".tsv") == 0)
        tab = 1;
    else if (dot && strcasecmp(dot, ".txt") == 0)
        tab = -1;
    else
        return add_places_ogr(gz, path, err);
    char *buf = NULL;
    size_t len = 0;
    evm_status st = evm__read_file(path, MAX_PLACES_FILE, &buf, &len, err);
    if (st)
        return st;
    if (tab < 0) { /* .txt: tab-separated if the first line has a tab */
        const char *nl = memchr(buf, '\n', len);
        tab = memchr(buf, '\t', nl ? (size_t)(nl - buf) : len) != NULL;
    }
    st = evm__gz_add_places_buffer(gz, path, buf, len, tab, err);
    free(buf);
    return st;
}
