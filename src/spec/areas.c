/* Areas: the polygon an area's name stands for is the polygon of the
 * place the name resolved to in the gazetteer, found by that place's id
 * (Natural Earth's ADM0_A3 or adm1_code, which the basemap's countries
 * and admin-1 regions carry too), never by a name or a point.
 *
 * A type word in the name picks between nested units of one name that
 * the gazetteer ranks alike ("Almaty Oblast" the oblast, "Almaty City"
 * the city unit). An area is a polygon, so when a name's best reading is
 * a point (a town, an airport) the name is read again as a polygon:
 * - a country of that name wins ("Luxembourg", "Singapore");
 * - a city that is an admin-1 unit of its own (Moscow, Kyiv, Tashkent,
 *   Almaty, Berlin, Vienna, Minsk) takes that unit: the admin-1 reading
 *   of the name that holds the city (is its GeoNames admin-1 unit, or
 *   its polygon holds the city's point) and is city-sized (the city's
 *   people over the unit's area at least CITY_DENSITY a km^2);
 * - a region of that name far from the town and not holding it wins
 *   over it ("California" is the state, not California, Maryland);
 * - otherwise (Kherson inside Kherson Oblast, a town with no region of
 *   its name) the area is an error that says what to write: the region
 *   that holds the town, with kind: admin1 where its name alone reads as
 *   the town.
 * A places: entry, coordinates and a region Natural Earth has not drawn
 * (the 2022 Kazakh regions) have no polygon either: an error too. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basemap/basemap.h"
#include "core/core.h"
#include "spec/spec.h"

#define NREAD 8
/* People a km^2 of a city that is a region of its own (its GeoNames
 * population over the area of Natural Earth's polygon): Moscow 3,670,
 * Kyiv City 1,700, Tashkent 8,230, Almaty 6,660, Minsk City 2,870,
 * Berlin 3,890, Paris 16,200, Manila 33,200, Astana 556; regions named
 * after their centre lie far below (Zurich canton 239, Antwerp province
 * 192, Kherson Oblast 11, Karaganda Region 2). Between them, city units
 * that take in countryside (Belgrade 380, Baku 469) and the Community of
 * Madrid (408) are not taken for their cities: the error names them. A
 * unit denser than CITY_MAX_DENSITY is a part of its city. */
#define CITY_DENSITY 500.0
#define CITY_MAX_DENSITY 100000.0
/* A region of the name elsewhere stands for a town's name only this far
 * from the town (California, not the City of London for London). */
#define OTHER_KM 50.0
/* Readings of one name this close in score may be nested units. */
#define NEST_BAND 0.05

struct actx {
    evm_map *m;
    const evm_gazetteer *gz;
    evm_basemap *bm;
    int bm_tried;
    evm__resolve_report_fn rep;
    void *ud;
    evm_error *first;
    int failed;
    int nomem; /* a reading or the basemap lost to out of memory */
};

static const char *afile(const struct actx *c, const evm_placeref *p)
{
    if (EVM_H(p)->file)
        return EVM_H(p)->file;
    return c->m->file ? c->m->file : "<spec>";
}

static void fail_area(struct actx *c, const evm_placeref *p,
                      const evm_error *e)
{
    c->failed = 1;
    if (c->rep)
        c->rep(c->ud, p, e);
    if (c->first && c->first->code == EVM_OK)
        evm_error_set(c->first, e->code, "%s", e->msg);
}

/* The gazetteer's readings of p's name with kind (NULL: p's own), in the
 * country p or the map names (then worldwide). */
static int readings_of(struct actx *c, const evm_placeref *p,
                       const char *name, const char *kind, evm_place *v)
{
    evm_geocode_opts o;
    evm_error e;
    memset(&o, 0, sizeof o);
    evm_error_clear(&e);
    const evm_placehint *h = EVM_H(p);
    o.country = h->country ? h->country : c->m->context_country;
    o.kind = kind ? kind : h->kind;
    int n = evm_geocode(c->gz, name, &o, v, NREAD, &e);
    if (n == 0 && !h->country && c->m->context_country) {
        o.country = NULL;
        n = evm_geocode(c->gz, name, &o, v, NREAD, &e);
    }
    if (n < 0 && e.code == EVM_E_NOMEM)
        c->nomem = 1;
    return n < 0 ? 0 : n;
}

static int readings(struct actx *c, const evm_placeref *p, const char *kind,
                    evm_place *v)
{
    return readings_of(c, p, p->name, kind, v);
}

static int polygon_of(struct actx *c, const char *id, evm_bm_feature *f)
{
    if (!c->bm_tried) {
        evm_error e;
        evm_error_clear(&e);
        c->bm_tried = 1;
        c->bm = evm_basemap_open(NULL, &e);
        c->nomem |= !c->bm && e.code == EVM_E_NOMEM;
    }
    return c->bm ? evm_basemap_place_polygon(c->bm, id, f, NULL) : -1;
}

/* Area of a polygon in km^2 on the authalic sphere: the sum over the
 * edges of dlon * (sin lat0 + sin lat1) / 2, rings signed by their
 * winding so that holes count negative. */
static double area_km2(const evm_bm_feature *f)
{
    const double r = 6371.0072, d = M_PI / 180;
    const float *ll = f->lonlat;
    double sum = 0;
    for (uint32_t p = 0; p < f->nparts; p++) {
        uint32_t n = f->part_len[p];
        for (uint32_t i = 0; i + 1 < n; i++)
            sum += (ll[2 * i + 2] - ll[2 * i]) * d *
                   (sin(ll[2 * i + 1] * d) + sin(ll[2 * i + 3] * d)) / 2;
        ll += 2 * (size_t)n;
    }
    return fabs(sum) * r * r;
}

/* 1 when region r (an admin-1 reading) holds point place t: the town's
 * GeoNames admin-1 unit is r's, or r's polygon holds the town (Natural
 * Earth and GeoNames do not always agree on the units: Belgium's
 * provinces, disputed Sevastopol). */
static int holds(struct actx *c, const evm_place *r, const evm_place *t)
{
    evm_bm_feature f;
    if (r->admin1 && *r->admin1 && t->admin1 &&
        !strcmp(r->admin1, t->admin1) && !memcmp(r->country, t->country, 2))
        return 1;
    return polygon_of(c, r->id, &f) == 0 &&
           evm_basemap_contains(&f, t->lon, t->lat);
}

/* How to name region r so that it resolves to r, for messages: into
 * buf, "place: \"Kharkiv Oblast\"" or with kind: admin1 (and the
 * country) where the plain name reads as the town. */
static void name_for(struct actx *c, const evm_place *r, char *buf,
                     size_t cap)
{
    static const char *const kinds[] = {NULL, "admin1"};
    for (int k = 0; k < 2; k++)
        for (int cc = 0; cc < 2; cc++) {
            evm_place v[1];
            evm_error e;
            evm_geocode_opts o;
            memset(&o, 0, sizeof o);
            evm_error_clear(&e);
            o.kind = kinds[k];
            o.country = cc ? r->country : NULL;
            if (evm_geocode(c->gz, r->name, &o, v, 1, &e) != 1 || !v[0].id ||
                strcmp(v[0].id, r->id) != 0)
                continue;
            if (!k && !cc)
                snprintf(buf, cap, "place: \"%s\"", r->name);
            else if (!cc)
                snprintf(buf, cap, "place: { name: \"%s\", kind: admin1 }",
                         r->name);
            else if (!k)
                snprintf(buf, cap, "place: { name: \"%s\", country: %.2s }",
                         r->name, r->country);
            else
                snprintf(buf, cap, "place: { name: \"%s\", kind: admin1, "
                         "country: %.2s }", r->name, r->country);
            return;
        }
    snprintf(buf, cap, "path: with a polygon file of %s", r->name);
}

/* The admin-1 region with a polygon that holds point place t, found by
 * its GeoNames admin-1 name; 0 with *out, or -1. */
static int region_of(struct actx *c, const evm_place *t, evm_place *out)
{
    evm_place v[NREAD];
    evm_error e;
    evm_geocode_opts o;
    evm_bm_feature f;
    if (!t->admin1 || !*t->admin1)
        return -1;
    memset(&o, 0, sizeof o);
    evm_error_clear(&e);
    o.kind = "admin1";
    o.country = t->country[0] ? t->country : NULL;
    int n = evm_geocode(c->gz, t->admin1, &o, v, NREAD, &e);
    for (int i = 0; i < n; i++)
        if (polygon_of(c, v[i].id, &f) == 0 &&
            evm_basemap_contains(&f, t->lon, t->lat)) {
            *out = v[i];
            return 0;
        }
    return -1;
}

/* The error for an area whose place t is a point; r, when not NULL, is
 * the region that holds it. */
static void point_error(struct actx *c, const evm_placeref *p,
                        const evm_place *t, const evm_place *r)
{
    char what[600], todo[800], how[400];
    evm_place rr;
    evm_error e;
    evm_error_clear(&e);
    const char *kind = t->kind_name && *t->kind_name ? t->kind_name
                                                     : evm_kind_str(t->kind);
    snprintf(what, sizeof what, "%s:%d:%d: area \"%s\": the name resolves "
             "to %s (%.2s, %s), a point with no polygon of its own",
             afile(c, p), p->pos.line, p->pos.col, p->name, t->name,
             t->country, kind);
    if (!r && region_of(c, t, &rr) == 0)
        r = &rr;
    if (r) {
        name_for(c, r, how, sizeof how);
        snprintf(todo, sizeof todo, "; for the admin-1 region that holds "
                 "it, %s (%s), write %s", r->name, r->id, how);
    } else {
        snprintf(todo, sizeof todo, "; name the region or country that "
                 "holds it instead, or give a polygon file with path:");
    }
    evm_error_set(&e, EVM_E_INPUT, "%s%s", what, todo);
    fail_area(c, p, &e);
}

static void take(struct actx *c, evm_placeref *p, const evm_place *g)
{
    if (evm__placeref_fill(p, g) < 0) {
        evm_error e;
        evm_error_clear(&e);
        evm_error_set(&e, EVM_E_NOMEM, "out of memory");
        fail_area(c, p, &e);
    }
}

/* Reads an area whose place resolved to point place t as a polygon (see
 * the top of this file). */
static void as_polygon(struct actx *c, evm_placeref *p, const evm_place *t)
{
    evm_place v[NREAD];
    evm_bm_feature f;
    int n = readings(c, p, "country", v);
    for (int i = 0; i < n; i++)
        if (polygon_of(c, v[i].id, &f) == 0) {
            take(c, p, &v[i]);
            return;
        }
    n = readings(c, p, "admin1", v);
    if (n == 0 && evm_basemap_type_word(p->name) == 1) {
        /* "Moscow City": the city word kept the regions out */
        char base[512];
        const char *sp = strrchr(p->name, ' ');
        size_t len = sp ? (size_t)(sp - p->name) : 0;
        if (len > 0 && len < sizeof base) {
            memcpy(base, p->name, len);
            base[len] = '\0';
            n = readings_of(c, p, base, "admin1", v);
        }
    }
    int held = -1, other = -1;
    for (int i = 0; i < n && held < 0; i++) {
        if (polygon_of(c, v[i].id, &f) != 0)
            continue;
        double km2 = area_km2(&f);
        double dens = km2 > 0 ? (double)t->population / km2 : 0;
        if (holds(c, &v[i], t)) {
            /* a unit far denser than any city is a part of it (the City
             * of London), not the city */
            if (dens <= CITY_MAX_DENSITY)
                held = i;
        } else if (other < 0 &&
                   evm__distance_km(v[i].lat, v[i].lon, t->lat, t->lon) >
                       OTHER_KM) {
            other = i; /* a namesake region, not a part of the town */
        }
    }
    if (held >= 0) {
        /* the town's own unit is the city itself when it is
         * city-sized */
        const evm_place *r = &v[held];
        if (t->kind == EVM_KIND_CITY && polygon_of(c, r->id, &f) == 0 &&
            area_km2(&f) > 0 &&
            (double)t->population / area_km2(&f) >= CITY_DENSITY) {
            take(c, p, r);
            return;
        }
        point_error(c, p, t, r);
        return;
    }
    if (other >= 0) {
        take(c, p, &v[other]);
        return;
    }
    point_error(c, p, t, NULL);
}

/* Regions of one name nested in each other (Kyiv Oblast around the city
 * unit Kyiv) score alike or even the wrong way round ("Almaty Oblast"
 * finds the city unit Almaty first); a type word in the name settles
 * it: of the readings within NEST_BAND of v[t] in its country whose
 * polygons' boxes hold one another's points, the larger one for a region
 * word ("Kyiv Oblast"), the smaller for a city word. Returns the reading
 * to take instead of v[t], or -1. */
static int by_type_word(struct actx *c, const evm_placeref *p,
                        const evm_place *v, int n, int t)
{
    int want_city = evm_basemap_type_word(p->name), best = -1;
    double best_km2 = 0;
    evm_bm_feature f, ft;
    if (want_city < 0 || polygon_of(c, v[t].id, &ft) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (v[i].kind != EVM_KIND_ADMIN1 ||
            v[i].score < v[t].score - NEST_BAND ||
            memcmp(v[i].country, v[t].country, 2) != 0 ||
            polygon_of(c, v[i].id, &f) != 0)
            continue;
        const evm_bm_feature *big = want_city ? &ft : &f;
        const evm_place *in = want_city ? &v[i] : &v[t];
        if (i != t && !(in->lon >= big->bbox[0] && in->lon <= big->bbox[2] &&
                        in->lat >= big->bbox[1] && in->lat <= big->bbox[3]))
            continue;
        double km2 = area_km2(&f);
        if (best < 0 || (want_city ? km2 < best_km2 : km2 > best_km2)) {
            best = i;
            best_km2 = km2;
        }
    }
    return best >= 0 && best != t ? best : -1;
}

/* Checks one area's place and, for a point, reads it as a polygon. */
static void area_one(struct actx *c, evm_area *a)
{
    evm_placeref *p = &a->where;
    const evm_placehint *h = EVM_H(p);
    evm_bm_feature f;
    evm_error e;
    evm_error_clear(&e);
    if (a->path || !p->name || !p->has_coord || !h->resolved_id)
        return; /* a file, or a name that failed (reported) */
    if (polygon_of(c, h->resolved_id, &f) == 0) {
        evm_place v[NREAD];
        int n = c->gz && evm_basemap_type_word(p->name) >= 0
                    ? readings(c, p, NULL, v) : 0;
        for (int i = 0; i < n; i++)
            if (v[i].id && !strcmp(v[i].id, h->resolved_id) &&
                v[i].kind == EVM_KIND_ADMIN1) {
                int j = by_type_word(c, p, v, n, i);
                if (j >= 0)
                    take(c, p, &v[j]);
                break;
            }
        return;
    }
    if (!c->bm)
        return; /* without a basemap, drawing says what is wrong */
    if (!strncmp(h->resolved_id, "spec:", 5)) {
        evm_error_set(&e, EVM_E_INPUT, "%s:%d:%d: area \"%s\": a places: "
                      "entry is a point with no polygon; name a country or "
                      "admin-1 region, or give a polygon file with path:",
                      afile(c, p), p->pos.line, p->pos.col, p->name);
        fail_area(c, p, &e);
        return;
    }
    /* the reading the name resolved to, again, for its kind and region */
    evm_place v[NREAD];
    int n = c->gz ? readings(c, p, NULL, v) : 0, t = -1;
    for (int i = 0; i < n && t < 0; i++)
        if (v[i].id && !strcmp(v[i].id, h->resolved_id))
            t = i;
    if (t >= 0 && v[t].kind != EVM_KIND_COUNTRY &&
        v[t].kind != EVM_KIND_ADMIN1 && !h->kind) {
        as_polygon(c, p, &v[t]);
        return;
    }
    if (t >= 0 && v[t].kind != EVM_KIND_COUNTRY &&
        v[t].kind != EVM_KIND_ADMIN1) {
        point_error(c, p, &v[t], NULL);
        return;
    }
    evm_error_set(&e, EVM_E_INPUT, "%s:%d:%d: area \"%s\": the name "
                  "resolves to %s (%s, %s), which has no polygon in the "
                  "basemap%s; name the region or country that holds it, or "
                  "give a polygon file with path:", afile(c, p), p->pos.line,
                  p->pos.col, p->name,
                  h->resolved_name ? h->resolved_name : p->name,
                  h->resolved_kind ? h->resolved_kind : "place",
                  h->resolved_id, t >= 0 ? " (Natural Earth does not "
                  "draw it)" : "");
    fail_area(c, p, &e);
}

/* See spec.h. */
int evm__areas_resolve(evm_map *m, const evm_gazetteer *gz,
                       evm__resolve_report_fn rep, void *ud,
                       evm_error *first)
{
    struct actx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.gz = gz;
    c.rep = rep;
    c.ud = ud;
    c.first = first;
    for (int i = 0; i < m->nareas; i++)
        area_one(&c, &m->areas[i]);
    evm_basemap_close(c.bm);
    /* an area resolved without a reading or polygon it should have had
     * is not the map asked for */
    if (c.nomem) {
        if (first)
            evm_error_set(first, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    return c.failed ? -1 : 0;
}

/* See spec.h. */
evm_status evm__area_no_polygon(evm_error *err, const char *file,
                                const evm_area *a)
{
    const evm_placeref *p = &a->where;
    const evm_placehint *h = EVM_H(p);
    if (h->file)
        file = h->file;
    if (h->resolved_id)
        return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: area \"%s\": "
                             "resolved to %s (%s), which has no country or "
                             "admin-1 polygon; name a country or admin-1 "
                             "region, or give a polygon file with path:",
                             file ? file : "<spec>", p->pos.line, p->pos.col,
                             p->name ? p->name : "",
                             h->resolved_name ? h->resolved_name : "",
                             h->resolved_id);
    return evm_error_set(err, EVM_E_INPUT, "%s:%d:%d: area \"%s\": no "
                         "country or admin-1 region of that name; use the "
                         "country's or region's English name",
                         file ? file : "<spec>", p->pos.line, p->pos.col,
                         p->name ? p->name : "");
}
