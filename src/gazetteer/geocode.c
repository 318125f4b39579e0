/* Name lookup and ranking (evm_geocode); suggestions are in suggest.c.
 *
 * Ranking (also in gazetteer/README.md). Every place whose normalised name
 * equals the query's (or the query with its kind words taken off, as in
 * "Tengiz oil field") is a candidate and gets
 *
 *   score = 0.33 N + 0.25 P + 0.27 Q + 0.15 H          (0..1)
 *
 *   N  name match: 1 the place's own name, 0.92 an alternate or former
 *      name, 1 an IATA/ICAO/ISO code written in capitals (0.6 otherwise),
 *      0.85 the place's name without its kind words ("Lake Tengiz" ->
 *      "Tengiz"); x0.9 when the query's own kind words had to go; x0.6
 *      for a name match when the query looks like a code ("ALA"), x0.75
 *      for a 3-4 letter code of anything but an airport.
 *   P  prominence, fixed at build time: country 1 > capital 0.90-0.95 >
 *      admin region 0.80 > city 0.30 + 0.55 log10(pop)/7.3 (+0.05 admin
 *      seat) > curated site 0.65 > airport 0.35-0.6 > other features.
 *   Q  share of the query's qualifiers ("Paris, Texas", "Almaty, KZ")
 *      that the place satisfies (1 when there are none). A qualifier
 *      names a country, an admin-1 region (in any language, US state
 *      abbreviations included), an admin-2 area or a town (the place
 *      must lie within 30 km); qualifiers that name nothing are ignored.
 *      A place outside a qualifier that names only countries is dropped;
 *      so is a place outside opts.country (a filter).
 *   H  mean of the hints given: kind (the query's kind words or
 *      opts.kind: 1 fits, 0.9 a related kind, 0.6 same class, 0) and
 *      nearness to opts.near (1 / (1 + km / 100)); 1 when none. A place
 *      whose kind does not fit an explicit kind is dropped.
 *
 * Places inside every qualifier that names an area come first (fits;
 * see qual_near for regions renamed since); when there are none, the
 * first such qualifier's area stands in for the name (fallback_area),
 * flagged and first. An admin region never outranks an equally named
 * city of the same country that is its seat, a capital, big, inside it,
 * better named or at its point (admin_rule); a site named after a town
 * does not outrank the town (town_rule). With nothing else in the
 * query, a town over 50,000 matched by a former or alternate name
 * outranks a place a tenth its size whose own name it is (Artemivsk:
 * Bakhmut). User and learned places that match the name come before
 * shipped ones. Ties go to the more prominent place, then to index
 * order, so the ranking is deterministic.
 *
 * Most queries are a bare name ("Almaty", "ALA") whose key is in the
 * index and names a few places: those take a fast path that allocates
 * nothing (stack buffers, a small fixed candidate array) and ranks the
 * key's postings in one pass with the importance mkgaz stored for each
 * place. It scores with the same functions as the general path, which
 * tests/unit/test_gazetteer.c checks gives the same answers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gaz_int.h"

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

#define MAX_CANDS 512  /* candidates of the general path */
#define FAST_CANDS 64  /* postings the fast path ranks on the stack */
#define MAX_QUALS 4
#define MAX_QSETS 16

struct cand {
    uint32_t idx;       /* place index (shipped) or user index */
    uint8_t user;       /* 1: overlay place */
    uint8_t via_strip;  /* matched only with the query's kind words off */
    uint8_t type;       /* match type (EVM_GZ_M_*) of the name matched */
    uint8_t fits;       /* satisfies every qualifier of the query */
    uint8_t fallback;   /* a qualifier's area standing in for the name */
    uint16_t importance;
    double n, score;
};

/* What one qualifier can mean. */
struct qual {
    char cc[MAX_QSETS][2];
    int ncc;
    uint32_t a1[MAX_QSETS];
    int na1;
    uint32_t a2[MAX_QSETS]; /* place indexes of admin-2 areas */
    int na2;
    double pt[MAX_QSETS][2];
    int npt;
    uint32_t area[MAX_QSETS]; /* the country, admin-1 and admin-2 places
                                 it names, best first (fallbacks) */
    int narea;
    int usable; /* names an area that lies within the later qualifiers:
                   only such qualifiers must be met (a qualifier naming
                   a town, or only areas elsewhere, is a hint) */
};

struct query {
    const evm_gazetteer *gz;
    struct qual q[MAX_QUALS];
    int nq;
    char ctx_cc[3];                    /* opts.country, "" if none */
    const struct evm_gz_kindword *kw;  /* query's kind words */
    const struct evm_gz_kindword *okw; /* opts.kind */
    int has_near;
    double near_lat, near_lon;
    int codeq;                         /* query looks like a code */
    struct cand *c;                    /* candidates: c[0 .. nc) */
    int nc;
};

/* The place fields the ranking needs, for shipped and user places. */
struct pview {
    int kind;
    const char *kind_name;
    char cc[2];
    uint32_t admin1; /* shipped admin1 index, or EVM_GZ_NO_ADMIN1 */
    uint32_t admin2; /* shipped admin-2 place index, or EVM_GZ_NO_ADMIN2 */
    double lat, lon;
    long pop;
    int flags;
};

/* A learned place (cand.user >= 2: set user - 2). */
static const struct evm_gz_lplace *lplace(const evm_gazetteer *gz,
                                          const struct cand *c,
                                          const struct evm_gz_lset **set)
{
    *set = &gz->lsets[c->user - 2];
    return &(*set)->places[c->idx];
}

static const char *lstr(const struct evm_gz_lset *l, uint32_t off)
{
    return off < l->h->len_strings ? l->str + off : "";
}

static void view(const evm_gazetteer *gz, const struct cand *c,
                 struct pview *v)
{
    if (c->user >= 2) {
        const struct evm_gz_lset *l;
        const struct evm_gz_lplace *p = lplace(gz, c, &l);
        v->kind = p->kind < EVM_KIND_COUNT ? p->kind : EVM_KIND_SITE;
        v->kind_name = lstr(l, p->kind_name);
        v->cc[0] = p->cc[0];
        v->cc[1] = p->cc[1];
        v->admin1 = l->admin_ok ? p->admin1 : EVM_GZ_NO_ADMIN1;
        v->admin2 = l->admin_ok ? p->admin2 : EVM_GZ_NO_ADMIN2;
        v->lat = p->lat_e6 / 1e6;
        v->lon = p->lon_e6 / 1e6;
        v->pop = 0;
        v->flags = 0;
        return;
    }
    if (c->user) {
        const evm_place *p = &gz->users[c->idx]->pub;
        v->kind = (int)p->kind;
        v->kind_name = p->kind_name;
        v->cc[0] = p->country[0];
        v->cc[1] = p->country[1];
        v->admin1 = gz->users[c->idx]->admin1;
        v->admin2 = gz->users[c->idx]->admin2;
        v->lat = p->lat;
        v->lon = p->lon;
        v->pop = p->population;
        v->flags = 0;
        return;
    }
    const struct evm_gz_place *p = &gz->places[c->idx];
    v->kind = p->kind;
    v->kind_name = p->kind_name < gz->h->nkind_names
                       ? evm__gz_str(gz, gz->h->kind_names[p->kind_name])
                       : "";
    v->cc[0] = p->cc[0];
    v->cc[1] = p->cc[1];
    v->admin1 = p->admin1;
    v->admin2 = p->admin2;
    v->lat = p->lat_e6 / 1e6;
    v->lon = p->lon_e6 / 1e6;
    v->pop = (long)p->pop;
    v->flags = p->flags;
}

/* Adds a candidate; with dedup, a place already there keeps the better
 * of its two name matches. (The postings of one key name each place
 * once, so the first key's need no check.) */
static void add_cand(struct query *q, uint32_t idx, int user, double n,
                     int via_strip, uint16_t imp, int type, int dedup)
{
    if (dedup)
        for (int i = 0; i < q->nc; i++)
            if (q->c[i].idx == idx && q->c[i].user == user) {
                if (n > q->c[i].n) {
                    q->c[i].n = n;
                    q->c[i].via_strip = (uint8_t)via_strip;
                    q->c[i].type = (uint8_t)type;
                }
                return;
            }
    if (q->nc == MAX_CANDS)
        return;
    struct cand *c = &q->c[q->nc++];
    c->idx = idx;
    c->user = (uint8_t)user;
    c->n = n;
    c->via_strip = (uint8_t)via_strip;
    c->type = (uint8_t)type;
    c->fits = 1;
    c->fallback = 0;
    c->importance = imp;
    c->score = 0;
}

static double type_weight(const struct query *q, int type)
{
    switch (type) {
    case EVM_GZ_M_PRIMARY: return q->codeq ? 0.6 : 1.0;
    case EVM_GZ_M_ALT:
    case EVM_GZ_M_CURRENT: return q->codeq ? 0.92 * 0.6 : 0.92;
    case EVM_GZ_M_CODE: return q->codeq ? 1.0 : 0.6;
    case EVM_GZ_M_STRIP: return q->codeq ? 0.85 * 0.6 : 0.85;
    }
    return 0.5;
}

/* The name term of a shipped posting of key length n. */
static double posting_weight(const struct query *q, const evm_gazetteer *gz,
                             uint32_t pst, size_t n, double f)
{
    int type = (int)EVM_GZ_POST_TYPE(pst);
    double w = f * type_weight(q, type);
    /* three- and four-letter codes are airport codes first */
    if (type == EVM_GZ_M_CODE && n >= 3 &&
        gz->places[EVM_GZ_POST_PLACE(pst)].kind != EVM_KIND_AIRPORT)
        w *= 0.75;
    return w;
}

/* Adds the places named by key s[0..n) as candidates. */
static void collect(struct query *q, const char *s, size_t n, int stripped)
{
    const evm_gazetteer *gz = q->gz;
    double f = stripped ? 0.9 : 1.0;
    int dedup = q->nc > 0;
    const struct evm_gz_key *k = evm__gz_find(gz, s, n);
    if (k)
        for (uint32_t j = 0; j < k->npost; j++) {
            uint32_t pst = gz->posts[k->post + j];
            uint32_t pi = EVM_GZ_POST_PLACE(pst);
            if (pi >= gz->h->nplaces)
                continue;
            add_cand(q, pi, 0, posting_weight(q, gz, pst, n, f), stripped,
                     gz->places[pi].importance, (int)EVM_GZ_POST_TYPE(pst),
                     dedup);
        }
    for (uint32_t u = evm__gz_ufind(gz, s, n); u != UINT32_MAX;
         u = gz->ukeys[u].next) {
        const struct evm_gz_ukey *uk = &gz->ukeys[u];
        if (strncmp(uk->key, s, n) != 0 || uk->key[n] != '\0')
            continue;
        add_cand(q, uk->user, 1, f * type_weight(q, uk->type), stripped,
                 gz->users[uk->user]->importance, uk->type, 1);
    }
    for (int l = 0; l < gz->nlsets; l++) {
        const struct evm_gz_lset *ls = &gz->lsets[l];
        const struct evm_gz_key *lk = evm__gz_lfind(ls, s, n);
        for (uint32_t j = 0; lk && j < lk->npost; j++) {
            uint32_t pst = ls->posts[lk->post + j];
            uint32_t pi = EVM_GZ_POST_PLACE(pst);
            if (pi >= ls->h->nplaces)
                continue;
            /* the index's order (precision, then rows) within 10000 */
            uint32_t r = pi < 5000 ? pi : 5000;
            add_cand(q, pi, 2 + l,
                     f * type_weight(q, (int)EVM_GZ_POST_TYPE(pst)),
                     stripped, (uint16_t)(10000 - r),
                     (int)EVM_GZ_POST_TYPE(pst), 1);
        }
    }
}

/* Resolves one qualifier ("Texas", "KZ", "Kharkivs'ka Oblast'",
 * "Almaty") into the countries, regions and towns it may name. Returns
 * 1 if it names anything. */
static int resolve_qual(const evm_gazetteer *gz, const char *s, size_t n,
                        struct qual *ql)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    memset(ql, 0, sizeof *ql);
    if (evm__gz_words(s, n, &w) < 0 || w.n == 0)
        return 0;
    for (int variant = 0; variant < 2; variant++) {
        int from = 0, to = w.n;
        if (variant == 1 && !evm__gz_strip_kind(&w, &from, &to))
            break;
        int len = evm__gz_key(&w, from, to, key, sizeof key);
        if (len <= 0)
            continue;
        const struct evm_gz_key *k = evm__gz_find(gz, key, (size_t)len);
        if (!k)
            continue;
        for (uint32_t j = 0; j < k->npost; j++) {
            uint32_t pst = gz->posts[k->post + j];
            uint32_t pi = EVM_GZ_POST_PLACE(pst);
            int type = (int)EVM_GZ_POST_TYPE(pst);
            if (pi >= gz->h->nplaces)
                continue;
            const struct evm_gz_place *p = &gz->places[pi];
            if ((p->kind == EVM_KIND_COUNTRY || p->kind == EVM_KIND_ADMIN1 ||
                 p->kind == EVM_KIND_ADMIN2) && type != EVM_GZ_M_CODE &&
                ql->narea < MAX_QSETS)
                ql->area[ql->narea++] = pi;
            if (p->kind == EVM_KIND_COUNTRY && ql->ncc < MAX_QSETS &&
                p->cc[0]) {
                ql->cc[ql->ncc][0] = p->cc[0];
                ql->cc[ql->ncc][1] = p->cc[1];
                ql->ncc++;
            } else if (p->kind == EVM_KIND_ADMIN1 && ql->na1 < MAX_QSETS &&
                       p->admin1 != EVM_GZ_NO_ADMIN1) {
                ql->a1[ql->na1++] = p->admin1;
            } else if (p->kind == EVM_KIND_ADMIN2 && ql->na2 < MAX_QSETS) {
                ql->a2[ql->na2++] = pi;
            } else if (p->kind == EVM_KIND_CITY && ql->npt < 4 &&
                       type != EVM_GZ_M_CODE) {
                ql->pt[ql->npt][0] = p->lat_e6 / 1e6;
                ql->pt[ql->npt][1] = p->lon_e6 / 1e6;
                ql->npt++;
            }
        }
    }
    return ql->ncc + ql->na1 + ql->na2 + ql->npt > 0;
}

static int qual_fits(const struct qual *ql, const struct pview *v)
{
    for (int i = 0; i < ql->ncc; i++)
        if (ql->cc[i][0] == v->cc[0] && ql->cc[i][1] == v->cc[1])
            return 1;
    for (int i = 0; i < ql->na1; i++)
        if (ql->a1[i] == v->admin1 && v->admin1 != EVM_GZ_NO_ADMIN1)
            return 1;
    for (int i = 0; i < ql->na2; i++)
        if (ql->a2[i] == v->admin2 && v->admin2 != EVM_GZ_NO_ADMIN2)
            return 1;
    for (int i = 0; i < ql->npt; i++)
        if (evm__distance_km(ql->pt[i][0], ql->pt[i][1], v->lat, v->lon) <=
            30)
            return 1;
    return 0;
}

/* Whether a place that lies outside a region qualifier may still be the
 * one meant: not itself a region, in the same country, within 400 km of
 * the region's point (60 km of a district's). Event tables name regions as they were
 * (Katanga, Coast Province, Toliary), which later splits and mergers
 * moved towns out of; a namesake farther off is another place. */
static int qual_near(const evm_gazetteer *gz, const struct qual *ql,
                     const struct pview *v)
{
    if (v->kind <= EVM_KIND_ADMIN2)
        return 0;
    for (int i = 0; i < ql->narea; i++) {
        const struct evm_gz_place *a = &gz->places[ql->area[i]];
        double r = a->kind == EVM_KIND_ADMIN1   ? 400
                   : a->kind == EVM_KIND_ADMIN2 ? 60
                                                : 0;
        if (r > 0 && a->cc[0] == v->cc[0] && a->cc[1] == v->cc[1] &&
            evm__distance_km(a->lat_e6 / 1e6, a->lon_e6 / 1e6, v->lat,
                             v->lon) <= r)
            return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *t)
{
    size_t a = strlen(s), b = strlen(t);
    return a >= b && strcmp(s + a - b, t) == 0;
}

static double kind_fit(const struct evm_gz_kindword *kw,
                       const struct pview *v)
{
    if (!(kw->kinds & (1u << v->kind)))
        return 0;
    if (!kw->kind_name || !strcmp(kw->kind_name, v->kind_name))
        return 1;
    if (ends_with(v->kind_name, kw->kind_name) ||
        ends_with(kw->kind_name, v->kind_name))
        return 0.9;
    return 0.6;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->fallback != y->fallback)
        return y->fallback - x->fallback;
    if (x->fits != y->fits)
        return y->fits - x->fits;
    int ux = x->user && x->n >= 0.9, uy = y->user && y->n >= 0.9;
    if (ux != uy)
        return uy - ux;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    if (x->user != y->user)
        return x->user ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Scores c (the formula at the top of this file). Returns 0 if a country
 * qualifier or an explicit kind rules the place out. */
static int score(const struct query *q, struct cand *c)
{
    double P = c->importance / 10000.0;
    if (!q->nq && !q->kw && !q->okw && !q->has_near) {
        /* no qualifier and no hint but perhaps a context country: the
         * same sums as below, without the place view */
        double Q = 1.0, H = 1.0;
        if (q->ctx_cc[0]) {
            const char *cc;
            const struct evm_gz_lset *l;
            if (c->user >= 2)
                cc = lplace(q->gz, c, &l)->cc;
            else
                cc = c->user ? q->gz->users[c->idx]->pub.country
                             : q->gz->places[c->idx].cc;
            /* a filter: only places without a country (seas) pass too */
            if (cc[0] && (q->ctx_cc[0] != cc[0] || q->ctx_cc[1] != cc[1]))
                return 0;
        }
        c->score = 0.33 * c->n + 0.25 * P + 0.27 * Q + 0.15 * H;
        if (c->score > 1)
            c->score = 1;
        return 1;
    }
    struct pview v;
    view(q->gz, c, &v);
    int nq = 0, met = 0, near = 0, drop = 0;
    for (int j = 0; j < q->nq; j++) {
        int fits = qual_fits(&q->q[j], &v);
        nq++;
        met += fits;
        near += fits || !q->q[j].usable || qual_near(q->gz, &q->q[j], &v);
        if (!fits && q->q[j].na1 == 0 && q->q[j].na2 == 0 &&
            q->q[j].npt == 0)
            drop = 1;
    }
    c->fits = near == nq;
    if (q->ctx_cc[0] && v.cc[0] &&
        (q->ctx_cc[0] != v.cc[0] || q->ctx_cc[1] != v.cc[1]))
        drop = 1;
    double hsum = 0;
    int nh = 0;
    if (q->kw) {
        double f = kind_fit(q->kw, &v);
        if (f == 0 && c->via_strip)
            drop = 1;
        hsum += f;
        nh++;
    }
    if (q->okw) {
        double f = kind_fit(q->okw, &v);
        if (f == 0)
            drop = 1;
        hsum += f;
        nh++;
    }
    if (q->has_near) {
        double d = evm__distance_km(q->near_lat, q->near_lon, v.lat, v.lon);
        hsum += 1 / (1 + d / 100);
        nh++;
    }
    if (drop)
        return 0;
    double Q = nq ? (double)met / nq : 1.0;
    double H = nh ? hsum / nh : 1.0;
    c->score = 0.33 * c->n + 0.25 * P + 0.27 * Q + 0.15 * H;
    if (c->score > 1)
        c->score = 1;
    return 1;
}

/* An admin region does not outrank its eponymous city. */
static void admin_rule(const evm_gazetteer *gz, struct cand *c, int nc)
{
    for (int i = 0; i < nc; i++) {
        struct cand *r = &c[i];
        if (r->user)
            continue;
        const struct evm_gz_place *rp = &gz->places[r->idx];
        if (rp->kind != EVM_KIND_ADMIN1 && rp->kind != EVM_KIND_ADMIN2)
            continue;
        for (int j = 0; j < nc; j++) {
            struct cand *t = &c[j];
            if (t->user)
                continue;
            const struct evm_gz_place *tp = &gz->places[t->idx];
            if (tp->kind != EVM_KIND_CITY || tp->cc[0] != rp->cc[0] ||
                tp->cc[1] != rp->cc[1] || t->n < r->n - 0.1)
                continue;
            /* the city is its seat, big, inside it, named more
             * exactly, or where the region's label point is (a region
             * named after its town, as Khojaly is "Stepanakert") */
            if ((tp->flags & (EVM_GZ_F_CAPITAL | EVM_GZ_F_SEAT)) ||
                tp->pop >= 100000 || tp->admin1 == rp->admin1 ||
                t->n > r->n ||
                evm__distance_km(rp->lat_e6 / 1e6, rp->lon_e6 / 1e6,
                                 tp->lat_e6 / 1e6, tp->lon_e6 / 1e6) <= 25) {
                if (r->score >= t->score)
                    r->score = t->score - 0.01;
            }
        }
    }
}

/* A town known by a former name (Artemivsk for Bakhmut) is meant before
 * a village whose own name that is, when the town is at least ten times
 * as big and over 50,000 people, and the query says nothing else (no
 * qualifier, kind or nearness) that could tell them apart: news names
 * the town. Applied in both paths, after scoring. */
static void former_name_rule(const evm_gazetteer *gz, struct cand *c, int nc)
{
    for (int i = 0; i < nc; i++) {
        struct cand *r = &c[i];
        if (r->user || r->type != EVM_GZ_M_PRIMARY)
            continue;
        const struct evm_gz_place *rp = &gz->places[r->idx];
        if (rp->kind != EVM_KIND_CITY)
            continue;
        for (int j = 0; j < nc; j++) {
            struct cand *t = &c[j];
            if (t->user || (t->type != EVM_GZ_M_ALT &&
                            t->type != EVM_GZ_M_CURRENT))
                continue;
            const struct evm_gz_place *tp = &gz->places[t->idx];
            if (tp->kind != EVM_KIND_CITY || tp->cc[0] != rp->cc[0] ||
                tp->cc[1] != rp->cc[1] || tp->pop < 50000 ||
                tp->pop < 10.0 * rp->pop)
                continue;
            if (r->score >= t->score)
                r->score = t->score - 0.01;
        }
    }
}

/* A bare name means the town rather than a site or airport named after
 * it ("Wadi Halfa" the town, not Wadi Halfa Airport): a place matched
 * only with its kind words off does not outrank a town of that name in
 * the same country. */
static void town_rule(const evm_gazetteer *gz, struct cand *c, int nc)
{
    for (int i = 0; i < nc; i++) {
        struct cand *r = &c[i];
        if (r->user || r->type != EVM_GZ_M_STRIP)
            continue;
        const struct evm_gz_place *rp = &gz->places[r->idx];
        if (rp->kind == EVM_KIND_CITY)
            continue;
        for (int j = 0; j < nc; j++) {
            struct cand *t = &c[j];
            if (t->user || t->type == EVM_GZ_M_STRIP ||
                t->type == EVM_GZ_M_CODE || t->fits < r->fits)
                continue;
            const struct evm_gz_place *tp = &gz->places[t->idx];
            if (tp->kind != EVM_KIND_CITY || tp->cc[0] != rp->cc[0] ||
                tp->cc[1] != rp->cc[1])
                continue;
            if (r->score >= t->score)
                r->score = t->score - 0.01;
        }
    }
}

/* The area a qualified query's qualifiers name, standing in for a name
 * none of whose places lies there ("Bogoro, Borno, Nigeria": no Bogoro
 * in Borno): the first qualifier (the most specific, as "Town, District,
 * Region, Country" is written) naming an admin-2 area, admin-1 region or
 * country that lies within every later qualifier and the context
 * country; of its areas, the finest. Returns 1 with *out set. */
static int fallback_area(const struct query *q, struct cand *out)
{
    int found = 0;
    for (int j = 0; j < q->nq && !found; j++)
        for (int a = 0; a < q->q[j].narea && q->q[j].usable; a++) {
            struct cand c;
            memset(&c, 0, sizeof c);
            c.idx = q->q[j].area[a];
            c.type = EVM_GZ_M_PRIMARY;
            c.fits = 1;
            c.fallback = 1;
            c.importance = q->gz->places[c.idx].importance;
            struct pview v;
            view(q->gz, &c, &v);
            int ok = !q->ctx_cc[0] || !v.cc[0] ||
                     (q->ctx_cc[0] == v.cc[0] && q->ctx_cc[1] == v.cc[1]);
            for (int k = j + 1; k < q->nq && ok; k++)
                ok = !q->q[k].usable || qual_fits(&q->q[k], &v);
            if (!ok)
                continue;
            /* of the areas the qualifier may name, the finest: the
             * district Rajshahi rather than the division */
            if (found && v.kind <= (int)q->gz->places[out->idx].kind)
                continue;
            /* half the score of a place found by its own name */
            c.n = 1;
            c.score = 0.5 * (0.33 + 0.25 * c.importance / 10000.0 + 0.27 +
                             0.15);
            *out = c;
            found = 1;
        }
    return found;
}

/* Marks the qualifiers that name an area lying within every later
 * qualifier (and the context country). */
static void mark_usable(struct query *q)
{
    for (int j = q->nq - 1; j >= 0; j--) {
        struct qual *ql = &q->q[j];
        ql->usable = 0;
        for (int a = 0; a < ql->narea && !ql->usable; a++) {
            struct cand c;
            memset(&c, 0, sizeof c);
            c.idx = ql->area[a];
            struct pview v;
            view(q->gz, &c, &v);
            int ok = !q->ctx_cc[0] || !v.cc[0] ||
                     (q->ctx_cc[0] == v.cc[0] && q->ctx_cc[1] == v.cc[1]);
            for (int k = j + 1; k < q->nq && ok; k++)
                ok = !q->q[k].usable || qual_fits(&q->q[k], &v);
            ql->usable = ok;
        }
    }
}

/* Puts the best max of c[0 .. nc) first, in order (cmp_cand is a total
 * order, so this is the order a full sort gives). */
static void select_best(struct cand *c, int nc, int max)
{
    if (max > 8) {
        qsort(c, (size_t)nc, sizeof c[0], cmp_cand);
        return;
    }
    for (int i = 0; i < max && i < nc; i++) {
        int best = i;
        for (int j = i + 1; j < nc; j++)
            if (cmp_cand(&c[j], &c[best]) < 0)
                best = j;
        if (best != i) {
            struct cand t = c[i];
            c[i] = c[best];
            c[best] = t;
        }
    }
}

/* Scores every candidate, drops those a country qualifier or an explicit
 * kind rules out, and puts the best max first. */
static void rank(struct query *q, int max)
{
    int kept = 0, fits = 0;
    for (int i = 0; i < q->nc; i++)
        if (score(q, &q->c[i])) {
            fits |= q->c[i].fits;
            q->c[kept++] = q->c[i];
        }
    q->nc = kept;
    admin_rule(q->gz, q->c, q->nc);
    if (!q->nq && !q->kw && !q->okw && !q->has_near)
        former_name_rule(q->gz, q->c, q->nc);
    if (!q->kw && !q->okw)
        town_rule(q->gz, q->c, q->nc);
    if (q->nq && !fits) {
        struct cand area;
        if (fallback_area(q, &area)) {
            if (q->nc == MAX_CANDS)
                q->nc--;
            q->c[q->nc++] = area;
        }
    }
    select_best(q->c, q->nc, max);
}

static void fill_out(const evm_gazetteer *gz, const struct cand *c,
                     evm_place *out);

void evm__gz_fill_place(const evm_gazetteer *gz, uint32_t idx, int user,
                        int type, evm_place *out)
{
    struct cand c;
    memset(&c, 0, sizeof c);
    c.idx = idx;
    c.user = (uint8_t)user;
    c.type = (uint8_t)type;
    fill_out(gz, &c, out);
}

static void fill_out(const evm_gazetteer *gz, const struct cand *c,
                     evm_place *out)
{
    if (c->user >= 2) {
        const struct evm_gz_lset *l;
        const struct evm_gz_lplace *p = lplace(gz, c, &l);
        memset(out, 0, sizeof *out);
        out->name = lstr(l, p->name);
        out->lat = p->lat_e6 / 1e6;
        out->lon = p->lon_e6 / 1e6;
        if (p->cc[0] >= 'A' && p->cc[0] <= 'Z' && p->cc[1] >= 'A' &&
            p->cc[1] <= 'Z') {
            out->country[0] = p->cc[0];
            out->country[1] = p->cc[1];
        }
        out->admin1 = l->admin_ok && p->admin1 < gz->h->nadmin1
                          ? evm__gz_str(gz, gz->admin1[p->admin1].name)
                          : "";
        out->kind = p->kind < EVM_KIND_COUNT ? (evm_kind)p->kind
                                             : EVM_KIND_SITE;
        out->kind_name = lstr(l, p->kind_name);
        out->id = p->id ? lstr(l, p->id) : "";
        out->source = lstr(l, p->source);
        out->precision = p->precision <= EVM_PREC_COUNTRY
                             ? (evm_precision)p->precision
                             : EVM_PREC_EXACT;
    } else if (c->user) {
        *out = gz->users[c->idx]->pub;
    } else {
        evm__gz_place_out(gz, c->idx, out);
        /* found by its current name: show that, not a former one */
        if (c->type == EVM_GZ_M_CURRENT) {
            const char *cur = evm__gz_current_name(gz, c->idx);
            if (cur)
                out->name = cur;
        }
    }
    out->score = round(c->score * 1000) / 1000;
    out->fallback = c->fallback;
}

const char *evm_geocode_note(const char *query, const evm_place *p,
                             char *buf, size_t cap)
{
    if (!query || !p || !p->fallback || !buf || !cap)
        return NULL;
    const char *comma = strchr(query, ',');
    const char *name = query;
    size_t n = comma ? (size_t)(comma - query) : strlen(query);
    evm__gz_trim(&name, &n);
    if (n > 200)
        n = 200;
    snprintf(buf, cap, "%.*s not found in %s; placed at %s (%s)", (int)n,
             name, p->name, p->name, evm_precision_str(p->precision));
    return buf;
}

static int looks_like_code(const char *s, size_t n)
{
    if (n < 2 || n > 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* Contract in gaz_int.h. */
void evm__gz_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Sets up q from opts; returns -1 with err set on a bad option. */
static int setup_opts(struct query *q, const evm_geocode_opts *opts,
                      evm_error *err)
{
    if (!opts)
        return 0;
    if (opts->country && *opts->country) {
        const char *c = opts->country;
        if (strlen(c) == 2 && ((c[0] | 32) >= 'a' && (c[0] | 32) <= 'z') &&
            ((c[1] | 32) >= 'a' && (c[1] | 32) <= 'z')) {
            q->ctx_cc[0] = (char)(c[0] & ~32);
            q->ctx_cc[1] = (char)(c[1] & ~32);
        } else if (evm__gz_country(q->gz, c, q->ctx_cc) < 0) {
            evm_error_set(err, EVM_E_INPUT,
                          "unknown country \"%.100s\" (give an ISO code such "
                          "as KZ or a country name)", c);
            return -1;
        }
    }
    if (opts->kind && *opts->kind) {
        q->okw = evm__gz_parse_kind(opts->kind);
        if (!q->okw) {
            evm_error_set(err, EVM_E_INPUT,
                          "unknown kind \"%.100s\" (try city, airport, port, "
                          "water, physical, site, oil field, air base, "
                          "square ...)", opts->kind);
            return -1;
        }
    }
    if (opts->has_near) {
        if (!isfinite(opts->near_lat) || !isfinite(opts->near_lon) ||
            fabs(opts->near_lat) > 90 || fabs(opts->near_lon) > 180) {
            evm_error_set(err, EVM_E_INPUT,
                          "near point out of range (latitude -90..90, "
                          "longitude -180..180)");
            return -1;
        }
        q->has_near = 1;
        q->near_lat = opts->near_lat;
        q->near_lon = opts->near_lon;
    }
    return 0;
}

/* The fast path: key[0..klen) is the whole query's key, the query has no
 * qualifier and no kind words, opts no kind and no near point. Ranks the
 * key's postings in a fixed array on the stack. Returns the number of
 * matches, or -1 where the general path must answer (a user place of
 * that name, or more postings than the array holds). */
static int geocode_fast(struct query *q, const char *key, size_t klen,
                        evm_place *out, int max)
{
    const evm_gazetteer *gz = q->gz;
    if (gz->nukeys && evm__gz_ufind(gz, key, klen) != UINT32_MAX)
        return -1;
    for (int l = 0; l < gz->nlsets; l++)
        if (evm__gz_lfind(&gz->lsets[l], key, klen))
            return -1;
    const struct evm_gz_key *k = evm__gz_find(gz, key, klen);
    if (!k)
        return 0;
    if (k->npost > FAST_CANDS)
        return -1;
    /* the place records are independent reads: ask for them all at once
     * rather than wait for each in turn */
    for (uint32_t j = 0; j < k->npost; j++) {
        uint32_t pi = EVM_GZ_POST_PLACE(gz->posts[k->post + j]);
        if (pi < gz->h->nplaces)
            PREFETCH(&gz->places[pi]);
    }
    struct cand c[FAST_CANDS];
    int nc = 0, admin = 0;
    for (uint32_t j = 0; j < k->npost; j++) {
        uint32_t pst = gz->posts[k->post + j];
        uint32_t pi = EVM_GZ_POST_PLACE(pst);
        if (pi >= gz->h->nplaces)
            continue;
        const struct evm_gz_place *p = &gz->places[pi];
        struct cand *cd = &c[nc];
        cd->idx = pi;
        cd->user = 0;
        cd->via_strip = 0;
        cd->type = (uint8_t)EVM_GZ_POST_TYPE(pst);
        cd->fits = 1;
        cd->fallback = 0;
        cd->importance = p->importance;
        cd->n = posting_weight(q, gz, pst, klen, 1.0);
        cd->score = 0;
        if (!score(q, cd))
            continue;
        admin |= p->kind == EVM_KIND_ADMIN1 || p->kind == EVM_KIND_ADMIN2;
        nc++;
    }
    if (admin)
        admin_rule(gz, c, nc);
    if (!q->nq && !q->kw && !q->okw && !q->has_near)
        former_name_rule(gz, c, nc);
    town_rule(gz, c, nc);
    int n = nc < max ? nc : max;
    select_best(c, nc, n);
    for (int i = 0; i < n; i++)
        fill_out(gz, &c[i], &out[i]);
    return n;
}

int evm_geocode(const evm_gazetteer *gz, const char *query,
                const evm_geocode_opts *opts, evm_place *out, int max,
                evm_error *err)
{
    return evm__geocode(gz, query, opts, out, max, 1, err);
}

int evm__geocode(const evm_gazetteer *gz, const char *query,
                 const evm_geocode_opts *opts, evm_place *out, int max,
                 int fast, evm_error *err)
{
    if (!gz || !query || max < 0 || (max > 0 && !out)) {
        evm_error_set(err, EVM_E_INPUT, "evm_geocode: invalid arguments");
        return -1;
    }
    size_t qlen = strlen(query);
    const char *bad = evm__gz_bad_name(query, qlen);
    if (bad) {
        evm_error_set(err, EVM_E_INPUT, "%s (query \"%.60s%s\")", bad,
                      evm__utf8_valid(query, qlen > 60 ? 60 : qlen)
                          ? query
                          : "?",
                      qlen > 60 ? "..." : "");
        return -1;
    }
    struct query q;
    q.gz = gz;
    q.nq = 0;
    q.c = NULL;
    q.nc = 0;
    q.ctx_cc[0] = '\0';
    q.kw = q.okw = NULL;
    q.has_near = 0;
    int result = -1;
    if (setup_opts(&q, opts, err) < 0)
        return -1;

    /* name, then comma-separated qualifiers */
    const char *comma = memchr(query, ',', qlen);
    const char *name = query;
    size_t nlen = comma ? (size_t)(comma - query) : qlen;
    evm__gz_trim(&name, &nlen);
    if (nlen == 0) {
        evm_error_set(err, EVM_E_INPUT,
                      "empty name before \",\" in \"%.60s\"", query);
        return -1;
    }
    q.codeq = looks_like_code(name, nlen);

    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (evm__gz_words(name, nlen, &w) < 0) {
        evm_error_set(err, EVM_E_INPUT, "name too long once normalised");
        return -1;
    }
    if (w.n == 0) {
        evm_error_set(err, EVM_E_INPUT,
                      "name \"%.60s\" has no letters or digits", query);
        return -1;
    }
    int len = evm__gz_key(&w, 0, w.n, key, sizeof key);
    int from, to;
    const struct evm_gz_kindword *kw = evm__gz_strip_kind(&w, &from, &to);
    if (fast && !comma && !kw && !q.okw && !q.has_near && len > 0) {
        result = geocode_fast(&q, key, (size_t)len, out, max);
        if (result >= 0)
            return result;
    }

    q.c = malloc(MAX_CANDS * sizeof *q.c);
    if (!q.c) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    while (comma && q.nq < MAX_QUALS) {
        const char *s = comma + 1;
        const char *next = memchr(s, ',', qlen - (size_t)(s - query));
        size_t n = next ? (size_t)(next - s) : qlen - (size_t)(s - query);
        comma = next;
        evm__gz_trim(&s, &n);
        if (n && resolve_qual(gz, s, n, &q.q[q.nq]))
            q.nq++;
    }
    mark_usable(&q);
    if (len > 0)
        collect(&q, key, (size_t)len, 0);
    q.kw = kw;
    if (q.kw) {
        len = evm__gz_key(&w, from, to, key, sizeof key);
        if (len > 0)
            collect(&q, key, (size_t)len, 1);
    }
    rank(&q, max);
    result = q.nc < max ? q.nc : max;
    for (int i = 0; i < result; i++)
        fill_out(gz, &q.c[i], &out[i]);
    free(q.c);
    return result;
}
