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
 * Nearness rule: a name the gazetteer finds ambiguous -- a match of the
 * same kind as its best (city and city, not city and region) lies over
 * 50 km from it and scores within 0.05 of it -- is looked up again with
 * a near hint: the centroid of the map's places that resolved
 * unambiguously (given coordinates, places: entries, clear gazetteer
 * matches other than countries, regions and seas, names with a near
 * hint). Of the matches of that kind still within 0.05 of the best in the
 * second ranking, the one closest to one of those places replaces the
 * first choice when it is at most a third as far from them. So Brest is
 * Brest, France on a map of Brittany and Brest, Belarus on a map of
 * Belarus, while a village that is merely nearer the middle of the map
 * than the city of that name does not win (Aktau on the Caspian, beside
 * Zhanaozen, stays Aktau on a map of Kazakhstan drawn around Almaty).
 * With no unambiguous place the first choice stands. The gazetteer's
 * scores lie close together (0.85..1), so the band is narrow: London
 * stays London, England on a map of Ontario; write "London, Ontario" or
 * add country: when the prominent reading is not the one meant. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core.h"
#include "spec/spec.h"

#define NMATCH 5
#define AMBIG_GAP 0.05  /* score band of equally good readings */
#define AMBIG_KM 50.0
#define NEAR_GAIN 3.0 /* a nearer reading must be this many times nearer */

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

/* The file p's position refers to: its own (a table's) or the map's. */
static const char *ref_file(const struct res *rs, const evm_placeref *p)
{
    if (EVM_H(p)->file)
        return EVM_H(p)->file;
    return rs->m->file ? rs->m->file : "<spec>";
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

/* 0, or -1 out of memory (the old value is gone either way). */
static int set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s && *s ? evm__strdup(s) : NULL;
    return s && *s && !*dst ? -1 : 0;
}

/* Fills p from a places: entry; -1 out of memory. */
static int fill_user(evm_placeref *p, const evm_user_place *u)
{
    char id[300];
    snprintf(id, sizeof id, "spec:%s", u->name);
    evm_placehint *h = evm__placeref_hint(p);
    if (!h)
        return -1;
    int bad = set_str(&h->resolved_name, u->name);
    bad |= set_str(&h->resolved_id, id);
    bad |= set_str(&h->resolved_kind, u->kind);
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
    return bad ? -1 : 0;
}

static int default_fallback = -1;

void evm_set_default_fallback(int level)
{
    default_fallback = level >= EVM_PREC_ADMIN2 && level <= EVM_PREC_COUNTRY
                           ? level
                           : -1;
}

/* See spec.h. */
int evm__placeref_fill(evm_placeref *p, const evm_place *g)
{
    evm_placehint *h = evm__placeref_hint(p);
    if (!h)
        return -1;
    int bad = set_str(&h->resolved_name, g->name);
    bad |= set_str(&h->resolved_id, g->id);
    bad |= set_str(&h->resolved_kind,
                   g->kind_name && *g->kind_name ? g->kind_name
                                                 : evm_kind_str(g->kind));
    memcpy(p->resolved_country, g->country, 2);
    p->resolved_country[2] = '\0';
    p->lon = g->lon;
    p->lat = g->lat;
    p->precision = g->precision;
    p->has_coord = 1;
    return bad ? -1 : 0;
}

/* Gazetteer lookup with the reference's hints; the context country is
 * dropped when nothing matches inside it. Returns the number of matches
 * or -1 with e set. */
static int lookup(struct res *rs, const char *name, const char *country,
                  const char *kind, int has_near, double nlat, double nlon,
                  evm_place *out, evm_error *e)
{
    evm_geocode_opts o;
    memset(&o, 0, sizeof o);
    o.country = country ? country : rs->m->context_country;
    o.kind = kind;
    o.has_near = has_near;
    o.near_lat = nlat;
    o.near_lon = nlon;
    int n = evm_geocode(rs->gz, name, &o, out, NMATCH, e);
    if (n == 0 && !country && rs->m->context_country) {
        o.country = NULL;
        n = evm_geocode(rs->gz, name, &o, out, NMATCH, e);
    }
    return n;
}

static int ambiguous(const evm_place *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i].kind == v[0].kind && v[i].score >= v[0].score - AMBIG_GAP &&
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
    const char *file = ref_file(rs, p);
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
static int resolve_near(struct res *rs, evm_placeref *pr)
{
    evm_error e;
    evm_error_clear(&e);
    evm_placehint *p = evm__placeref_hint(pr);
    if (!p) {
        evm_error_set(&e, EVM_E_NOMEM, "out of memory");
        report(rs, pr, &e);
        return -1;
    }
    int u = user_place(rs, p->near);
    if (u >= 0) {
        p->near_lat = rs->m->places[u].lat;
        p->near_lon = rs->m->places[u].lon;
        p->has_near_coord = 1;
        return 0;
    }
    if (rs->gz) {
        evm_place v[NMATCH];
        /* the kind is the place's, not its neighbour's */
        int n = lookup(rs, p->near, p->country, NULL, 0, 0, 0, v, &e);
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
                          ref_file(rs, pr), pr->pos.line,
                          pr->pos.col, p->near, e.msg);
            report(rs, pr, &bad);
            return -1;
        }
    }
    unknown(rs, pr, p->near, " (given as near)", &e);
    report(rs, pr, &e);
    return -1;
}

/* First pass for one reference; returns its ST_* state and the kind of
 * its gazetteer match in *kind (EVM_KIND_COUNT for other points). */
static int resolve_one(struct res *rs, evm_placeref *p, evm_kind *kind)
{
    *kind = EVM_KIND_COUNT; /* a point: coordinates or places: entry */
    if (p->has_coord)
        return ST_OK; /* coordinates given (or resolved before) */
    const evm_placehint *h = EVM_H(p);
    if (h->near && !h->has_near_coord && resolve_near(rs, p) < 0)
        return ST_FAILED;
    h = EVM_H(p);
    int u = user_place(rs, p->name);
    evm_error e;
    evm_error_clear(&e);
    if (u >= 0) {
        if (fill_user(p, &rs->m->places[u]) == 0)
            return ST_OK;
        evm_error_set(&e, EVM_E_NOMEM, "out of memory");
        report(rs, p, &e);
        return ST_FAILED;
    }
    if (!rs->gz) {
        unknown(rs, p, p->name, "", &e);
        report(rs, p, &e);
        return ST_FAILED;
    }
    evm_place v[NMATCH];
    int n = lookup(rs, p->name, h->country, h->kind, h->has_near_coord,
                   h->near_lat, h->near_lon, v, &e);
    if (n < 0) {
        evm_error bad;
        evm_error_clear(&bad);
        evm_error_set(&bad, e.code == EVM_OK ? EVM_E_INPUT : e.code,
                      "%s:%d:%d: place \"%s\": %s",
                      ref_file(rs, p), p->pos.line,
                      p->pos.col, p->name, e.msg);
        report(rs, p, &bad);
        return ST_FAILED;
    }
    if (n == 0) {
        unknown(rs, p, p->name, "", &e);
        report(rs, p, &e);
        return ST_FAILED;
    }
    /* a name not found where its qualifiers say: their area stands in
     * for it only where the spec allows (a wrong place is worse than
     * none) */
    int allow = rs->m->fallback >= -1 ? rs->m->fallback : default_fallback;
    if (v[0].fallback && (allow < 0 || (int)v[0].precision > allow)) {
        const char *prec = evm_precision_str(v[0].precision);
        evm_error_set(&e, EVM_E_NOTFOUND, "%s:%d:%d: unknown place \"%s\": "
                      "not found in %s; add fallback: %s to the spec (or "
                      "--fallback %s) to place it at %s (precision %s)",
                      ref_file(rs, p), p->pos.line, p->pos.col, p->name,
                      v[0].name, prec, prec, v[0].name, prec);
        report(rs, p, &e);
        return ST_FAILED;
    }
    if (evm__placeref_fill(p, &v[0]) < 0) {
        evm_error_set(&e, EVM_E_NOMEM, "out of memory");
        report(rs, p, &e);
        return ST_FAILED;
    }
    *kind = v[0].kind;
    if (!EVM_H(p)->has_near_coord && ambiguous(v, n))
        return ST_AMBIGUOUS;
    return ST_OK;
}

static void unit_vec(const evm_placeref *p, double v[3])
{
    double la = p->lat * M_PI / 180, lo = p->lon * M_PI / 180;
    v[0] = cos(la) * cos(lo);
    v[1] = cos(la) * sin(lo);
    v[2] = sin(la);
}

/* The point a sum of unit vectors points at; 0 when it is degenerate
 * (no vectors, or antipodes cancelling out). */
static int centroid(const double s[3], double *clat, double *clon)
{
    double h = sqrt(s[0] * s[0] + s[1] * s[1]);
    if (h < 1e-9 && fabs(s[2]) < 1e-9)
        return 0;
    *clat = atan2(s[2], h) * 180 / M_PI;
    *clon = atan2(s[1], s[0]) * 180 / M_PI;
    return 1;
}

/* Distance from (lat, lon) to the closest of the n points pts (lat, lon
 * pairs), in km. */
static double closest_km(const double (*pts)[2], int n, double lat,
                         double lon)
{
    double best = HUGE_VAL;
    for (int i = 0; i < n; i++) {
        double d = evm__distance_km(lat, lon, pts[i][0], pts[i][1]);
        if (d < best)
            best = d;
    }
    return best;
}

/* The nearness rule's second look at an ambiguous reference p, whose
 * first choice was of kind k (see the top of this file); pts are the
 * map's unambiguous places and (clat, clon) their centroid. */
static void near_pass(struct res *rs, evm_placeref *p, evm_kind k,
                      const double (*pts)[2], int npts, double clat,
                      double clon)
{
    evm_place v[NMATCH];
    evm_error e;
    evm_error_clear(&e);
    int c = lookup(rs, p->name, EVM_H(p)->country, EVM_H(p)->kind, 1, clat,
                   clon, v, &e);
    int best = -1;
    double bd = closest_km(pts, npts, p->lat, p->lon) / NEAR_GAIN;
    for (int j = 0; j < c; j++) {
        if (v[j].kind != k || v[j].score < v[0].score - AMBIG_GAP)
            continue;
        double d = closest_km(pts, npts, v[j].lat, v[j].lon);
        if (d <= bd) {
            bd = d;
            best = j;
        }
    }
    if (best >= 0 && evm__placeref_fill(p, &v[best]) < 0) {
        evm_error_clear(&e);
        evm_error_set(&e, EVM_E_NOMEM, "out of memory");
        report(rs, p, &e);
    }
}

/* Places that stand for an area rather than a point: no guide to where
 * the map's other names are. */
static int is_area(evm_kind k)
{
    return k == EVM_KIND_COUNTRY || k == EVM_KIND_ADMIN1 ||
           k == EVM_KIND_ADMIN2 || k == EVM_KIND_WATER ||
           k == EVM_KIND_PHYSICAL;
}

/* 1 if p is the place of one of m's areas. */
static int is_area_ref(const evm_map *m, const evm_placeref *p)
{
    for (int i = 0; i < m->nareas; i++)
        if (p == &m->areas[i].where)
            return 1;
    return 0;
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
    evm_kind *kinds = NULL;
    double (*pts)[2] = NULL;
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
    if (n && (!(state = evm__calloc((size_t)n, sizeof *state)) ||
              !(kinds = evm__calloc((size_t)n, sizeof *kinds)))) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto out;
    }
    /* first pass */
    for (int i = 0; i < n; i++) {
        state[i] = resolve_one(&rs, refs[i], &kinds[i]);
        /* an area's region keeps its first reading: the regions of one
         * name near each other are nested ("Moscow Oblast" around the
         * federal city Moscow), not namesakes the map's other places
         * tell apart */
        if (state[i] == ST_AMBIGUOUS && is_area_ref(m, refs[i]) &&
            is_area(kinds[i]))
            state[i] = ST_OK;
        namb += state[i] == ST_AMBIGUOUS;
    }
    /* second pass: ambiguous names near the map's unambiguous places;
     * their centroid is a mean of unit vectors so that maps across the
     * antimeridian work */
    if (namb) {
        double sum[3] = {0, 0, 0}, u[3], clat, clon;
        int npts = 0;
        if (!(pts = evm__reallocarray(NULL, (size_t)n, sizeof *pts))) {
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            goto out;
        }
        for (int i = 0; i < n; i++) {
            if (state[i] != ST_OK || !refs[i]->has_coord || is_area(kinds[i]))
                continue;
            unit_vec(refs[i], u);
            for (int j = 0; j < 3; j++)
                sum[j] += u[j];
            pts[npts][0] = refs[i]->lat;
            pts[npts][1] = refs[i]->lon;
            npts++;
        }
        if (npts && centroid(sum, &clat, &clon))
            for (int i = 0; i < n; i++)
                if (state[i] == ST_AMBIGUOUS)
                    near_pass(&rs, refs[i], kinds[i],
                              (const double(*)[2])pts, npts, clat, clon);
    }
    /* areas: the polygon of the place each name resolved to */
    if (evm__areas_resolve(m, gz, rep, ud, &first) < 0)
        rs.failed = 1;
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
    free(kinds);
    free(pts);
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
