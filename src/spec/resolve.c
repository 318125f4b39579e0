/* Place resolution: every place reference of a map with a name becomes a
 * point, from the spec's own places: first (names compared after Unicode
 * case folding), then the gazetteer.
 *
 * Hints: a reference's own country and kind are passed to the gazetteer
 * as given. The map's context country is a softer hint: it is tried
 * first, and when nothing matches inside that country the name is looked
 * up worldwide (a map of Kazakhstan can still draw an airlift from
 * Ivanovo, Russia). A `near` name is resolved first and passed as a
 * location to prefer.
 *
 * Nearness rule: a name the gazetteer finds ambiguous -- its runner-up
 * scores at least 85% of the best match and lies over 50 km from it --
 * is looked up again near the centroid of the map's other places, those
 * that resolved unambiguously (given coordinates, places: entries, clear
 * gazetteer matches, names with a near hint). With no such place the
 * gazetteer's own best match stands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core.h"
#include "spec/spec.h"

#define NMATCH 5
#define AMBIG_SCORE 0.85
#define AMBIG_KM 50.0

enum { ST_OK, ST_AMBIGUOUS, ST_FAILED };

struct res {
    evm_map *m;
    const evm_gazetteer *gz;
    char **folded;               /* case-folded places: names */
    evm__resolve_report_fn report;
    void *ud;
    evm_error *err;              /* first failure */
    int failed;
};

/* See spec.h. */
char *evm__casefold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, 0, &out,
        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
            UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    return (char *)out;
}

/* Records a failure for p: reported at once, kept in err if first. */
static void report(struct res *rs, const evm_placeref *p, const evm_error *e)
{
    rs->failed = 1;
    if (rs->report)
        rs->report(rs->ud, p, e);
    evm_error_set(rs->err, e->code, "%s", e->msg);
}

static int user_place(struct res *rs, const char *name)
{
    if (!rs->m->nplaces)
        return -1;
    char *f = evm__casefold(name);
    if (!f)
        return -1;
    int found = -1;
    for (int i = 0; i < rs->m->nplaces && found < 0; i++)
        if (rs->folded[i] && !strcmp(rs->folded[i], f))
            found = i;
    free(f);
    return found;
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s && *s ? evm__strdup(s) : NULL;
}

static void fill_user(evm_placeref *p, const evm_user_place *u)
{
    char id[300];
    snprintf(id, sizeof id, "spec:%s", u->name);
    set_str(&p->resolved_name, u->name);
    set_str(&p->resolved_id, id);
    set_str(&p->resolved_kind, u->kind);
    p->resolved_country[0] = '\0';
    if (u->country && strlen(u->country) == 2) {
        for (int i = 0; i < 2; i++) {
            char c = u->country[i];
            p->resolved_country[i] = c >= 'a' && c <= 'z' ? c - 32 : c;
        }
        p->resolved_country[2] = '\0';
    }
    p->lon = u->lon;
    p->lat = u->lat;
    p->has_coord = 1;
}

static void fill_gz(evm_placeref *p, const evm_place *g)
{
    set_str(&p->resolved_name, g->name);
    set_str(&p->resolved_id, g->id);
    set_str(&p->resolved_kind,
            g->kind_name && *g->kind_name ? g->kind_name
                                          : evm_kind_str(g->kind));
    memcpy(p->resolved_country, g->country, 2);
    p->resolved_country[2] = '\0';
    p->lon = g->lon;
    p->lat = g->lat;
    p->has_coord = 1;
}

/* Gazetteer lookup with the reference's hints; the context country is
 * dropped when nothing matches inside it. Returns the number of matches
 * or -1 with e set. */
static int lookup(struct res *rs, const char *name, const evm_placeref *p,
                  int has_near, double nlat, double nlon, evm_place *out,
                  evm_error *e)
{
    evm_geocode_opts o;
    memset(&o, 0, sizeof o);
    o.country = p->country ? p->country : rs->m->context_country;
    o.kind = p->kind;
    o.has_near = has_near;
    o.near_lat = nlat;
    o.near_lon = nlon;
    int n = evm_geocode(rs->gz, name, &o, out, NMATCH, e);
    if (n == 0 && !p->country && rs->m->context_country) {
        o.country = NULL;
        n = evm_geocode(rs->gz, name, &o, out, NMATCH, e);
    }
    return n;
}

static int ambiguous(const evm_place *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i].score >= AMBIG_SCORE * v[0].score &&
            evm__distance_km(v[0].lat, v[0].lon, v[i].lat, v[i].lon) >
                AMBIG_KM)
            return 1;
    return 0;
}

/* "2.0M", "350k", "870": a population for messages. */
static void fmt_pop(long pop, char out[32])
{
    if (pop >= 1000000) {
        long t = (pop + 50000) / 100000;
        snprintf(out, 32, "%ld.%ldM", t / 10, t % 10);
    } else if (pop >= 1000) {
        snprintf(out, 32, "%ldk", (pop + 500) / 1000);
    } else {
        snprintf(out, 32, "%ld", pop);
    }
}

/* Sets e to "file:line:col: unknown place "X" — did you mean ...". role
 * says what the name was for when it is not the place itself. */
static void unknown(struct res *rs, const evm_placeref *p, const char *name,
                    const char *role, evm_error *e)
{
    const char *file = p->file ? p->file
                       : rs->m->file ? rs->m->file : "<spec>";
    char what[400];
    snprintf(what, sizeof what, "%s:%d:%d: unknown place \"%s\"%s", file,
             p->pos.line, p->pos.col, name, role);
    /* the spec's own places first */
    char *f = evm__casefold(name);
    const char *best = NULL;
    int bd = 3;
    for (int i = 0; f && i < rs->m->nplaces; i++) {
        if (!rs->folded[i])
            continue;
        int d = evm__edit_distance(f, rs->folded[i], 2);
        if (d < bd) {
            bd = d;
            best = rs->m->places[i].name;
        }
    }
    free(f);
    if (best) {
        evm_error_set(e, EVM_E_NOTFOUND, "%s — did you mean \"%s\" (from "
                      "places:)?", what, best);
        return;
    }
    if (!rs->gz) {
        evm_error_set(e, EVM_E_NOTFOUND, "%s and no gazetteer is loaded; "
                      "give lat: and lon:, or add it under places:", what);
        return;
    }
    const evm_place *s[1];
    if (evm_geocode_suggest(rs->gz, name, s, 1) > 0 && s[0]) {
        char det[96] = "", pop[32];
        const char *kind = s[0]->kind_name && *s[0]->kind_name
                               ? s[0]->kind_name
                               : evm_kind_str(s[0]->kind);
        if (s[0]->country[0])
            snprintf(det, sizeof det, "%.2s, ", s[0]->country);
        size_t l = strlen(det);
        snprintf(det + l, sizeof det - l, "%s", kind ? kind : "place");
        if (s[0]->population > 0) {
            fmt_pop(s[0]->population, pop);
            l = strlen(det);
            snprintf(det + l, sizeof det - l, ", pop %s", pop);
        }
        evm_error_set(e, EVM_E_NOTFOUND, "%s — did you mean \"%s\" (%s)?",
                      what, s[0]->name, det);
        return;
    }
    evm_error_set(e, EVM_E_NOTFOUND, "%s; check the spelling, add country: "
                  "or kind:, or give lat: and lon: (or a places: entry)",
                  what);
}

/* Resolves p's near name into a location. 0, or -1 after reporting. */
static int resolve_near(struct res *rs, evm_placeref *p)
{
    evm_error e;
    evm_error_clear(&e);
    int u = user_place(rs, p->near);
    if (u >= 0) {
        p->near_lat = rs->m->places[u].lat;
        p->near_lon = rs->m->places[u].lon;
        p->has_near_coord = 1;
        return 0;
    }
    if (rs->gz) {
        evm_place v[NMATCH];
        evm_placeref hint = *p;
        hint.kind = NULL; /* the kind is the place's, not its neighbour's */
        int n = lookup(rs, p->near, &hint, 0, 0, 0, v, &e);
        if (n > 0) {
            p->near_lat = v[0].lat;
            p->near_lon = v[0].lon;
            p->has_near_coord = 1;
            return 0;
        }
        if (n < 0) {
            evm_error bad;
            evm_error_clear(&bad);
            evm_error_set(&bad, e.code, "%s:%d:%d: near \"%s\": %s",
                          p->file ? p->file
                          : rs->m->file ? rs->m->file : "<spec>", p->pos.line,
                          p->pos.col, p->near, e.msg);
            report(rs, p, &bad);
            return -1;
        }
    }
    unknown(rs, p, p->near, " (given as near)", &e);
    report(rs, p, &e);
    return -1;
}

/* First pass for one reference; returns its ST_* state. */
static int resolve_one(struct res *rs, evm_placeref *p)
{
    if (p->has_coord)
        return ST_OK; /* coordinates given (or resolved before) */
    if (p->near && !p->has_near_coord && resolve_near(rs, p) < 0)
        return ST_FAILED;
    int u = user_place(rs, p->name);
    if (u >= 0) {
        fill_user(p, &rs->m->places[u]);
        return ST_OK;
    }
    evm_error e;
    evm_error_clear(&e);
    if (!rs->gz) {
        unknown(rs, p, p->name, "", &e);
        report(rs, p, &e);
        return ST_FAILED;
    }
    evm_place v[NMATCH];
    int n = lookup(rs, p->name, p, p->has_near_coord, p->near_lat,
                   p->near_lon, v, &e);
    if (n < 0) {
        evm_error bad;
        evm_error_clear(&bad);
        evm_error_set(&bad, e.code == EVM_OK ? EVM_E_INPUT : e.code,
                      "%s:%d:%d: place \"%s\": %s",
                      p->file ? p->file
                      : rs->m->file ? rs->m->file : "<spec>", p->pos.line,
                      p->pos.col, p->name, e.msg);
        report(rs, p, &bad);
        return ST_FAILED;
    }
    if (n == 0) {
        unknown(rs, p, p->name, "", &e);
        report(rs, p, &e);
        return ST_FAILED;
    }
    fill_gz(p, &v[0]);
    if (!p->has_near_coord && ambiguous(v, n))
        return ST_AMBIGUOUS;
    return ST_OK;
}

/* See spec.h. */
evm_status evm__map_resolve_report(evm_map *m, const evm_gazetteer *gz,
                                   evm__resolve_report_fn rep, void *ud,
                                   evm_error *err)
{
    struct res rs;
    int n = 0;
    evm_placeref **refs = NULL;
    int *state = NULL, namb = 0;
    evm_status st = EVM_OK;
    evm_error first;
    evm_error_clear(&first);
    if (!m)
        return evm_error_set(err, EVM_E_USAGE, "no map to resolve");
    memset(&rs, 0, sizeof rs);
    rs.m = m;
    rs.gz = gz;
    rs.report = rep;
    rs.ud = ud;
    rs.err = &first;
    refs = evm__map_placerefs(m, &n);
    if (n < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (m->nplaces) {
        rs.folded = evm__calloc((size_t)m->nplaces, sizeof *rs.folded);
        if (!rs.folded) {
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            goto out;
        }
        for (int i = 0; i < m->nplaces; i++)
            rs.folded[i] = evm__casefold(m->places[i].name);
    }
    if (n && !(state = evm__calloc((size_t)n, sizeof *state))) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto out;
    }
    /* first pass */
    for (int i = 0; i < n; i++) {
        state[i] = resolve_one(&rs, refs[i]);
        namb += state[i] == ST_AMBIGUOUS;
    }
    /* second pass: ambiguous names near the others' centroid, averaged
     * as unit vectors so that maps across the antimeridian work */
    if (namb) {
        double x = 0, y = 0, z = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (state[i] != ST_OK || !refs[i]->has_coord)
                continue;
            double la = refs[i]->lat * M_PI / 180,
                   lo = refs[i]->lon * M_PI / 180;
            x += cos(la) * cos(lo);
            y += cos(la) * sin(lo);
            z += sin(la);
            k++;
        }
        double h = sqrt(x * x + y * y);
        if (k && (h > 1e-9 || fabs(z) > 1e-9)) {
            double clat = atan2(z, h) * 180 / M_PI;
            double clon = atan2(y, x) * 180 / M_PI;
            for (int i = 0; i < n; i++) {
                if (state[i] != ST_AMBIGUOUS)
                    continue;
                evm_place v[NMATCH];
                evm_error e;
                evm_error_clear(&e);
                int c = lookup(&rs, refs[i]->name, refs[i], 1, clat, clon, v,
                               &e);
                if (c > 0)
                    fill_gz(refs[i], &v[0]);
            }
        }
    }
    if (rs.failed) {
        m->resolved = 0;
        st = evm_error_set(err, first.code, "%s", first.msg);
    } else {
        m->resolved = 1;
    }
out:
    for (int i = 0; i < m->nplaces && rs.folded; i++)
        free(rs.folded[i]);
    free(rs.folded);
    free(refs);
    free(state);
    return st;
}

/* Resolves every place name of m through its places: and gz (may be
 * NULL: then only places: and coordinates resolve). Returns EVM_OK, or
 * the first failure ("file:line:col: unknown place ... did you mean
 * ...", EVM_E_NOTFOUND); references that did resolve are filled in. */
evm_status evm_map_resolve(evm_map *m, const evm_gazetteer *gz,
                           evm_error *err)
{
    return evm__map_resolve_report(m, gz, NULL, NULL, err);
}
