/* Resolution: which place each recognised name is, in the context of
 * the whole text, and whether the evidence is enough to call it a place.
 *
 * Each distinct name (with its qualifier and kind word) is looked up
 * once through evm_geocode, whose ranking gives the prior (prominence,
 * "Paris, Texas" qualifiers, kind words). The text then re-ranks the
 * senses, one sense per name per text:
 *
 *   score = prior + 0.30 C + 0.20 A + 0.15 N
 *
 *   C  how much the text is about the sense's country: mentions of the
 *      country itself (x2), its demonyms, and of places that are
 *      unambiguously in it, over the most-mentioned country's count;
 *   A  1 when the sense lies in an admin-1 region the text names;
 *   N  1 when the sense lies within 150 km of another place of the text
 *      placed with confidence (Paris near Texas).
 *
 * The evidence that a candidate is a place at all (see recognize.c for
 * the signals) is weighed against the kind and size of its chosen sense:
 * a country or a city of a million needs nothing more; a village needs a
 * locative word, a qualifier or its country being the text's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gazetteer/gaz_int.h"
#include "geoparse.h"

#define MAX_CC 64

struct cw {
    char cc[MAX_CC][3];
    double w[MAX_CC];
    int n;
    double max;
};

static void cw_add(struct cw *c, const char *cc, double w)
{
    if (!cc || !cc[0])
        return;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->cc[i], cc)) {
            c->w[i] += w;
            if (c->w[i] > c->max)
                c->max = c->w[i];
            return;
        }
    if (c->n == MAX_CC)
        return;
    memcpy(c->cc[c->n], cc, 3);
    c->cc[c->n][2] = 0;
    c->w[c->n] = w;
    if (w > c->max)
        c->max = w;
    c->n++;
}

static double cw_get(const struct cw *c, const char *cc)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->cc[i], cc))
            return c->w[i];
    return 0;
}

/* The words of candidate k, as written, with its kind words. */
static void cand_text(const struct gp_ctx *x, size_t k, char *q, size_t cap)
{
    const struct gp_doc *d = &x->doc;
    const struct gp_cand *c = &x->cand[k];
    size_t b0 = d->tok[c->t0].b0, b1 = d->tok[c->s1 - 1].b1;
    size_t n = b1 - b0 < cap - 1 ? b1 - b0 : cap - 1;
    memcpy(q, d->text + b0, n);
    q[n] = 0;
}

static int is_region(const evm_place *p)
{
    return p->kind == EVM_KIND_COUNTRY || p->kind == EVM_KIND_ADMIN1;
}

/* The qualifier after candidate k's comma, when k names a town and the
 * qualifier a region or country ("Pandi, Bulacan", "Springfield, Ill.",
 * "Paris, Texas"; not a list "Arizona, California, Colorado"): writes
 * "name, qualifier" to q and returns 1. */
static int qualified(struct gp_ctx *x, size_t k, const char *name, char *q,
                     size_t cap)
{
    const struct gp_doc *d = &x->doc;
    struct gp_cand *c = &x->cand[k];
    const struct gp_name *head = &x->names[c->sense];
    if (!c->comma_after || c->t1 >= d->ntok || !head->nsenses)
        return 0;
    /* a name that is a region's own ("Missouri, Mississippi, Montana")
     * is an item of a list, not a town with its qualifier */
    for (int s = 0; s < head->nsenses; s++)
        if (is_region(&head->senses[s]) && head->exact[s] == 2)
            return 0;
    size_t q0, q1;
    if (k + 1 < x->ncand && x->cand[k + 1].t0 == c->t1 &&
        !x->cand[k + 1].demonym && x->cand[k + 1].sense >= 0) {
        const struct gp_cand *qc = &x->cand[k + 1];
        const struct gp_name *qn = &x->names[qc->sense];
        if (!qn->nsenses || !is_region(&qn->senses[0]))
            return 0;
        q0 = d->tok[qc->t0].b0;
        q1 = d->tok[qc->t1 - 1].b1;
        c->qual = (int)(k + 1);
    } else {
        /* an abbreviation of a US state or Canadian province, AP style:
         * "Springfield, Ill.", "Portland, Ore." */
        const struct gp_tok *a = &d->tok[c->t1];
        if (!(a->flags & GP_CAP) || !(a->flags & GP_DOT) ||
            a->b1 - a->b0 > 5)
            return 0;
        q0 = a->b0;
        q1 = a->b1 + 1;
        c->qual = -2;
    }
    int n = snprintf(q, cap, "%s, %.*s", name, (int)(q1 - q0),
                     d->text + q0);
    if (n < 0 || (size_t)n >= cap) {
        c->qual = -1;
        return 0;
    }
    return 1;
}

static void query_key(const char *q, char *key, size_t cap)
{
    struct evm_gz_words w;
    key[0] = 0;
    if (evm__gz_words(q, strlen(q), &w) == 0 &&
        evm__gz_key(&w, 0, w.n, key, cap) < 0)
        key[0] = 0;
}

static struct gp_name *name_for(struct gp_ctx *x, const char *q,
                                int kind, int *isnew)
{
    char key[256];
    query_key(q, key, sizeof key);
    /* qualified names keep their qualifier in the key: "Paris, Texas" is
     * not "Paris" */
    const char *comma = strchr(q, ',');
    for (size_t i = 0; i < x->nnames; i++)
        if (x->names[i].kind == kind &&
            (!comma ? !strcmp(x->names[i].key, key) && key[0]
                    : !strcmp(x->names[i].query, q))) {
            *isnew = 0;
            return &x->names[i];
        }
    if (x->nnames == x->capnames) {
        size_t cap = x->capnames ? x->capnames * 2 : 32;
        struct gp_name *n = realloc(x->names, cap * sizeof *n);
        if (!n)
            return NULL;
        x->names = n;
        x->capnames = cap;
    }
    struct gp_name *nm = &x->names[x->nnames++];
    memset(nm, 0, sizeof *nm);
    snprintf(nm->query, sizeof nm->query, "%s", q);
    memcpy(nm->key, key, sizeof key);
    /* a name in capitals ("ALMATY, Jan 6") is asked as a name, not as a
     * code */
    size_t n = strlen(nm->query), up = 0, low = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)nm->query[i];
        up += ch >= 'A' && ch <= 'Z';
        low += ch >= 'a' && ch <= 'z';
    }
    if (!low && up > 3)
        for (size_t i = 1; i < n; i++)
            if (nm->query[i] >= 'A' && nm->query[i] <= 'Z' &&
                nm->query[i - 1] != ' ' && nm->query[i - 1] != '-')
                nm->query[i] = (char)(nm->query[i] - 'A' + 'a');
    nm->kind = kind;
    nm->chosen = -1;
    *isnew = 1;
    return nm;
}

/* Regions and countries of that name that evm_geocode ranked below its
 * first GP_MAX_SENSES answers (a state without a population can rank
 * under a dozen small towns of its name). */
static void add_regions(struct gp_ctx *x, struct gp_name *nm, const char *q)
{
    struct evm_gz_words w;
    char key[512];
    if (evm__gz_words(q, strlen(q), &w) < 0 || w.n == 0)
        return;
    int kl = evm__gz_key(&w, 0, w.n, key, sizeof key);
    if (kl <= 0)
        return;
    const struct evm_gz_key *k = evm__gz_find(x->gz, key, (size_t)kl);
    if (!k)
        return;
    for (uint32_t i = 0; i < k->npost && i < 256; i++) {
        uint32_t pst = x->gz->posts[k->post + i];
        int type = (int)EVM_GZ_POST_TYPE(pst);
        uint32_t pi = EVM_GZ_POST_PLACE(pst);
        if (pi >= x->gz->h->nplaces ||
            (type != EVM_GZ_M_PRIMARY && type != EVM_GZ_M_ALT &&
             type != EVM_GZ_M_CURRENT))
            continue;
        int kind = x->gz->places[pi].kind;
        if (kind != EVM_KIND_COUNTRY && kind != EVM_KIND_ADMIN1)
            continue;
        evm_place p;
        evm__gz_place_out(x->gz, pi, &p);
        int dup = 0;
        for (int s = 0; s < nm->nsenses && !dup; s++)
            dup = !strcmp(nm->senses[s].id, p.id);
        if (dup)
            continue;
        if (nm->nsenses == GP_MAX_SENSES)
            nm->nsenses--; /* drop the weakest answer */
        p.score = type == EVM_GZ_M_PRIMARY ? 0.95 : 0.92;
        nm->senses[nm->nsenses++] = p;
    }
}

/* The prior of a sense: evm_geocode's score, raised for countries and
 * regions and by population (the geocoder's own ranking weighs a name's
 * exact match more than the size of the place), lowered when only an
 * alternate name of the place matched ("Minnesota" for Minneota). */
static double prior(const evm_place *p, const char *qkey, int kind_given)
{
    double v = p->score;
    if (p->kind == EVM_KIND_COUNTRY)
        v += 0.20;
    else if (p->kind == EVM_KIND_ADMIN1)
        v += 0.15;
    else if (p->kind == EVM_KIND_CITY) {
        double b = 0.03 * (log10((double)p->population + 1) - 4);
        v += b < -0.1 ? -0.1 : b > 0.1 ? 0.1 : b;
        if (p->kind_name && strstr(p->kind_name, "neighbourhood"))
            v -= 0.05; /* a part of a city, named with its city */
    } else if (p->kind == EVM_KIND_AIRPORT && !kind_given)
        v -= 0.10; /* a bare name is the town, not its airport */
    if (qkey[0] && p->name) {
        struct evm_gz_words w;
        char k[256];
        if (evm__gz_words(p->name, strlen(p->name), &w) == 0 &&
            evm__gz_key(&w, 0, w.n, k, sizeof k) > 0 && strcmp(k, qkey))
            v -= 0.06;
    }
    return v;
}

/* Sets nm->exact[s] for the senses whose own or alternate name the
 * query is (by the index's postings of the query's key). */
static void mark_exact(struct gp_ctx *x, struct gp_name *nm, const char *qkey)
{
    memset(nm->exact, 0, sizeof nm->exact);
    const struct evm_gz_key *k =
        qkey[0] ? evm__gz_find(x->gz, qkey, strlen(qkey)) : NULL;
    for (int s = 0; s < nm->nsenses; s++) {
        if (!strcmp(nm->senses[s].source, "evmap")) {
            nm->exact[s] = 2;
            continue;
        }
        struct evm_gz_words w;
        char k2[256];
        const char *nmn = nm->senses[s].name;
        if (nmn && evm__gz_words(nmn, strlen(nmn), &w) == 0 &&
            evm__gz_key(&w, 0, w.n, k2, sizeof k2) > 0 && !strcmp(k2, qkey)) {
            nm->exact[s] = 2; /* its display name */
            continue;
        }
        for (uint32_t i = 0; k && i < k->npost && !nm->exact[s]; i++) {
            uint32_t pst = x->gz->posts[k->post + i];
            int type = (int)EVM_GZ_POST_TYPE(pst);
            uint32_t pi = EVM_GZ_POST_PLACE(pst);
            if (pi >= x->gz->h->nplaces ||
                (type != EVM_GZ_M_PRIMARY && type != EVM_GZ_M_ALT &&
                 type != EVM_GZ_M_CURRENT))
                continue;
            if (!strcmp(evm__gz_str(x->gz, x->gz->places[pi].id),
                        nm->senses[s].id))
                nm->exact[s] = 1;
        }
    }
}

static void lookup(struct gp_ctx *x, struct gp_name *nm,
                   const struct gp_extra *e, int qualified_query)
{
    if (e && !e->query) {
        evm_place *p = &nm->senses[0];
        memset(p, 0, sizeof *p);
        p->name = e->name;
        p->lat = e->lat;
        p->lon = e->lon;
        memcpy(p->country, e->cc, strlen(e->cc) + 1);
        p->admin1 = "";
        p->kind = EVM_KIND_PHYSICAL;
        p->kind_name = "region";
        p->id = "";
        p->source = "evmap";
        p->score = 1.0;
        nm->nsenses = 1;
        nm->prior[0] = 1.0;
        nm->exact[0] = 1;
        return;
    }
    evm_error err = {0};
    const char *q = e ? e->query : nm->query;
    int n = evm_geocode(x->gz, q, NULL, nm->senses, GP_MAX_SENSES, &err);
    nm->nsenses = n > 0 ? n : 0;
    if (qualified_query) {
        /* a qualified name is a town ("Almaty, Kazakhstan"): not the
         * region of the same name */
        int k = 0;
        for (int s = 0; s < nm->nsenses; s++)
            if (!is_region(&nm->senses[s]))
                nm->senses[k++] = nm->senses[s];
        if (k)
            nm->nsenses = k;
    }
    if (!qualified_query && !nm->kind)
        add_regions(x, nm, q);
    struct evm_gz_words w;
    char qkey[256] = "";
    if (evm__gz_words(q, strlen(q), &w) == 0)
        evm__gz_key(&w, 0, w.n, qkey, sizeof qkey);
    mark_exact(x, nm, qkey);
    for (int s = 0; s < nm->nsenses; s++) {
        nm->prior[s] = prior(&nm->senses[s], qkey, nm->kind);
        /* a region named after its city is the city unless the text says
         * "region" (Almaty, Lviv, Paris; New York stays ambiguous) */
        const evm_place *p = &nm->senses[s];
        if (p->kind != EVM_KIND_ADMIN1 || nm->kind)
            continue;
        for (int t = 0; t < nm->nsenses; t++) {
            const evm_place *c = &nm->senses[t];
            if (c->kind == EVM_KIND_CITY && c->population >= 100000 &&
                !strcmp(c->country, p->country) && nm->exact[t] == 2) {
                nm->prior[s] -= 0.20;
                break;
            }
        }
    }
}

/* 1 when candidate k stands in a list with a place kept so far
 * ("Atlanta and Savannah", "Arizona, California, Colorado"). */
static int listed(const struct gp_ctx *x, size_t k)
{
    const struct gp_doc *d = &x->doc;
    for (int side = -1; side <= 1; side += 2) {
        if ((side < 0 && k == 0) || (side > 0 && k + 1 >= x->ncand))
            continue;
        const struct gp_cand *a = &x->cand[side < 0 ? k - 1 : k];
        const struct gp_cand *b = &x->cand[side < 0 ? k : k + 1];
        const struct gp_cand *o = side < 0 ? a : b;
        if (!o->keep || o->demonym)
            continue;
        if (b->t0 == a->s1 && (d->tok[a->s1 - 1].flags & GP_COMMA))
            return 1;
        if (b->t0 == a->s1 + 1) {
            char w[8];
            gp_lower(d, a->s1, w, sizeof w);
            if (!strcmp(w, "and") || !strcmp(w, "or"))
                return 1;
        }
    }
    return 0;
}

/* Evidence (about 0..1.5) that candidate c, resolved to p, is a place. */
static double evidence(const struct gp_ctx *x, const struct gp_cand *c,
                       const struct gp_name *nm, double cshare)
{
    const evm_place *p = &nm->senses[nm->chosen];
    int exact = nm->exact[nm->chosen] || c->qual != -1 || c->kind;
    /* "the Mediterranean", "the Baltic": a sea named without "Sea" */
    if (!exact && p->kind == EVM_KIND_WATER && c->t0 > 0) {
        char w[8];
        exact = !strcmp(gp_lower(&x->doc, c->t0 - 1, w, sizeof w), "the");
    }
    double e;
    int strong = gp_place_strong(p);
    switch (p->kind) {
    case EVM_KIND_COUNTRY:
    case EVM_KIND_ADMIN1:
        e = 1.0;
        break;
    case EVM_KIND_CITY:
        e = p->population >= 1000000 ? 1.0
            : p->population >= 100000 ? 0.8
            : p->population >= 10000 ? 0.5
            : p->population >= 1000 ? 0.4 : 0.3;
        if (strong)
            e = 1.0;
        break;
    case EVM_KIND_ADMIN2:
        e = 0.6;
        break;
    case EVM_KIND_WATER:
    case EVM_KIND_PHYSICAL:
        /* seas and oceans (no one country's) are prominent */
        e = c->extra || !p->country[0] ? 1.0 : 0.55;
        break;
    default:
        e = c->kind ? 0.9 : 0.2;
    }
    if (!c->single)
        e += 0.25;
    if (c->locative)
        e += 0.2;
    if (c->qual != -1 || c->qualifier)
        e += 0.35;
    if (c->kind)
        e += 0.15;
    if (cshare >= 0.5)
        e += 0.15;
    if (listed(x, (size_t)(c - x->cand)))
        e += 0.2;
    if (c->single && c->sent)
        e -= 0.15;
    if (c->common)
        e -= c->single ? (strong ? 0.2 : 0.45) : 0.3;
    if (c->in_run)
        e -= 0.35;
    if (c->org_after && !strong)
        e -= 0.4;
    if (c->name_after && p->kind != EVM_KIND_COUNTRY &&
        p->kind != EVM_KIND_ADMIN1)
        e -= 0.3;
    if (c->speaks && !strong)
        e -= 0.3;
    /* a code or a name without its kind words: "Mad" is no Madagascar,
     * "Free" no Free State; capitals codes only as country codes */
    if (!exact && (c->single || c->allcaps) &&
        !(c->allcaps && p->kind == EVM_KIND_COUNTRY && !c->acronym))
        e -= 1.0;
    /* short words and acronyms: only by a display name or as a country
     * ("Mad." abbreviates Madagascar; "FAO" is no Al Faw) */
    if (c->single && !c->allcaps && !c->extra &&
        x->doc.tok[c->t0].nlen <= 3 && nm->exact[nm->chosen] != 2)
        e -= 1.0;
    /* an airport or site named by a person's name without its kind
     * words ("Nursultan Nazarbayev" International Airport) */
    if (!c->kind && nm->exact[nm->chosen] != 2 &&
        (p->kind == EVM_KIND_AIRPORT || p->kind == EVM_KIND_SITE ||
         p->kind == EVM_KIND_PORT))
        e -= 1.0;
    if (c->acronym && !c->extra && p->kind != EVM_KIND_COUNTRY &&
        !(p->kind == EVM_KIND_ADMIN1 && nm->exact[nm->chosen] == 2))
        e -= 1.0;
    /* a code of two or three capitals is a country only as the short
     * forms news uses (US, UK, UAE, DRC); "EST", "MAC", "TV" are not */
    if (c->acronym && !c->extra && nm->exact[nm->chosen] != 2 &&
        x->doc.tok[c->t0].nlen <= 3)
        e -= 1.0;
    return e;
}

static void weigh_countries(struct gp_ctx *x, struct cw *cw)
{
    memset(cw, 0, sizeof *cw);
    if (x->opts && x->opts->country && strlen(x->opts->country) == 2)
        cw_add(cw, x->opts->country, 5);
    for (size_t k = 0; k < x->ncand; k++) {
        const struct gp_cand *c = &x->cand[k];
        if (c->demonym) {
            cw_add(cw, c->demonym, 1);
            continue;
        }
        if (c->sense < 0 || !c->keep)
            continue;
        const struct gp_name *nm = &x->names[c->sense];
        if (nm->chosen < 0)
            continue;
        const evm_place *p = &nm->senses[nm->chosen];
        if (p->kind == EVM_KIND_COUNTRY)
            /* "Georgia" may be the state: an ambiguous country name
             * counts little until the text settles it */
            cw_add(cw, p->country, nm->nsenses == 1 || nm->conf > 0.15
                                       ? 2 : 0.5);
        else if (nm->nsenses == 1 || nm->conf > 0.15)
            cw_add(cw, p->country, 0.5 + 0.5 * (p->kind == EVM_KIND_ADMIN1));
    }
}

/* What the text's other names say, gathered once per round: regions it
 * may name, regions its places lie in, places placed with confidence. */
#define GP_MAX_CTX 128
struct ctxset {
    const evm_place *region[GP_MAX_CTX];  /* admin-1 senses of any name */
    const struct gp_name *region_of[GP_MAX_CTX];
    int nregion;
    const evm_place *in[GP_MAX_CTX];      /* chosen places in regions */
    const struct gp_name *in_of[GP_MAX_CTX];
    int nin;
    const evm_place *anchor[GP_MAX_CTX];  /* confident towns and sites */
    const struct gp_name *anchor_of[GP_MAX_CTX];
    int nanchor;
};

static void gather(const struct gp_ctx *x, struct ctxset *c)
{
    c->nregion = c->nin = c->nanchor = 0;
    for (size_t i = 0; i < x->nnames; i++) {
        const struct gp_name *nm = &x->names[i];
        if (!nm->mentions)
            continue;
        for (int s = 0; s < nm->nsenses && c->nregion < GP_MAX_CTX; s++)
            if (nm->senses[s].kind == EVM_KIND_ADMIN1) {
                c->region_of[c->nregion] = nm;
                c->region[c->nregion++] = &nm->senses[s];
            }
        if (nm->chosen < 0)
            continue;
        const evm_place *o = &nm->senses[nm->chosen];
        if (o->kind != EVM_KIND_ADMIN1 && o->kind != EVM_KIND_COUNTRY &&
            o->admin1 && o->admin1[0] && c->nin < GP_MAX_CTX) {
            c->in_of[c->nin] = nm;
            c->in[c->nin++] = o;
        }
        if (nm->conf >= 0.1 && o->kind != EVM_KIND_COUNTRY &&
            o->kind != EVM_KIND_ADMIN1 && c->nanchor < GP_MAX_CTX) {
            c->anchor_of[c->nanchor] = nm;
            c->anchor[c->nanchor++] = o;
        }
    }
}

/* 1 when the text names p's admin-1 region: a name of the text has a
 * region of p's country called like p's region ("Savannah" with
 * "Georgia", whichever Georgia the text was first taken to mean). */
static int in_named_admin1(const struct ctxset *c, const struct gp_name *self,
                           const evm_place *p)
{
    if (!p->admin1 || !p->admin1[0] || p->kind == EVM_KIND_ADMIN1)
        return 0;
    for (int i = 0; i < c->nregion; i++)
        if (c->region_of[i] != self &&
            !strcmp(c->region[i]->country, p->country) &&
            !strcmp(c->region[i]->name, p->admin1))
            return 1;
    return 0;
}

/* 1 when region p holds places the text names ("Georgia" with Atlanta). */
static int holds_others(const struct ctxset *c, const struct gp_name *self,
                        const evm_place *p)
{
    if (p->kind != EVM_KIND_ADMIN1)
        return 0;
    for (int i = 0; i < c->nin; i++)
        if (c->in_of[i] != self && !strcmp(c->in[i]->country, p->country) &&
            !strcmp(c->in[i]->admin1, p->name))
            return 1;
    return 0;
}

/* 1 when p lies within 150 km of a place of the text placed with
 * confidence (a cheap box test first). */
static int near_other(const struct ctxset *c, const struct gp_name *self,
                      const evm_place *p)
{
    for (int i = 0; i < c->nanchor; i++) {
        const evm_place *o = c->anchor[i];
        if (c->anchor_of[i] == self || fabs(o->lat - p->lat) > 1.4)
            continue;
        double dlon = fabs(o->lon - p->lon);
        if (dlon > 180)
            dlon = 360 - dlon;
        if (dlon * cos(p->lat * 0.0174533) > 1.4)
            continue;
        if (evm__distance_km(o->lat, o->lon, p->lat, p->lon) < 150)
            return 1;
    }
    return 0;
}

/* 1 when p is a small town named like a region of its own country
 * ("Indiana", Pennsylvania): the text's other places do not make it
 * more likely than the region itself. */
static int town_of_region_name(const struct gp_name *nm, const evm_place *p)
{
    if (p->kind != EVM_KIND_CITY || p->population >= 100000)
        return 0;
    for (int s = 0; s < nm->nsenses; s++)
        if (nm->senses[s].kind == EVM_KIND_ADMIN1 && nm->exact[s] == 2 &&
            !strcmp(nm->senses[s].country, p->country))
            return 1;
    return 0;
}

/* Chooses each name's sense in the text's context. The country share
 * counts for every sense; the named region and nearness only break
 * near-ties, so that a prominent place is not lost to a village that
 * happens to lie near the others. */
static void rerank(struct gp_ctx *x, const struct cw *cw)
{
    struct ctxset c;
    gather(x, &c);
    for (size_t i = 0; i < x->nnames; i++) {
        struct gp_name *nm = &x->names[i];
        if (nm->nsenses == 0)
            continue;
        double best = -1, second = -1, top = -1;
        int bi = 0;
        for (int s = 0; s < nm->nsenses; s++) {
            const evm_place *p = &nm->senses[s];
            double v = nm->prior[s];
            if (cw->max > 0)
                v += (nm->exact[s] == 2 ? 0.30 : 0.12) *
                     cw_get(cw, p->country) / cw->max;
            if (v > top)
                top = v;
        }
        for (int s = 0; s < nm->nsenses; s++) {
            const evm_place *p = &nm->senses[s];
            double v = nm->prior[s];
            if (cw->max > 0)
                v += (nm->exact[s] == 2 ? 0.30 : 0.12) *
                     cw_get(cw, p->country) / cw->max;
            if (v > top - 0.15 && !town_of_region_name(nm, p)) {
                if (in_named_admin1(&c, nm, p) || holds_others(&c, nm, p))
                    v += 0.10;
                if (near_other(&c, nm, p))
                    v += 0.10;
            }
            if (v > best) {
                second = best;
                best = v;
                bi = s;
            } else if (v > second)
                second = v;
        }
        nm->chosen = bi;
        nm->conf = nm->nsenses == 1 ? 1.0 : best - second;
    }
}

/* Whether the answers to a name with kind words fit them: any answer
 * for "Almaty airport", a region or town for "Kherson region". */
static int usable_with_kind(const struct gp_name *nm, const struct gp_cand *c)
{
    if (!nm->nsenses)
        return 0;
    if (!c->kind_admin)
        return 1;
    int k = nm->senses[0].kind;
    return k == EVM_KIND_ADMIN1 || k == EVM_KIND_ADMIN2 ||
           k == EVM_KIND_COUNTRY || k == EVM_KIND_CITY;
}

int gp_resolve(struct gp_ctx *x)
{
    char q[200], qq[256];
    for (size_t k = 0; k < x->ncand; k++) {
        x->cand[k].sense = -1;
        x->cand[k].qual = -1;
    }
    /* every name alone, then the qualified ones */
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < x->ncand; k++) {
            struct gp_cand *c = &x->cand[k];
            if (c->demonym)
                continue;
            cand_text(x, k, q, sizeof q);
            const char *query = q;
            if (pass == 1) {
                if (!qualified(x, k, q, qq, sizeof qq))
                    continue;
                query = qq;
            }
            int isnew;
            struct gp_name *nm = name_for(x, query, c->kind, &isnew);
            if (!nm)
                return -1;
            if (isnew)
                lookup(x, nm, c->extra, pass == 1);
            if (pass == 0 && c->kind && !usable_with_kind(nm, c)) {
                /* "Dallas County" where the gazetteer has no counties:
                 * the name without its kind words */
                c->kind = 0;
                c->kind_admin = 0;
                c->s1 = c->span1 = c->t1;
                cand_text(x, k, q, sizeof q);
                nm = name_for(x, q, 0, &isnew);
                if (!nm)
                    return -1;
                if (isnew)
                    lookup(x, nm, c->extra, 0);
            }
            if (pass == 1 && nm->nsenses == 0)
                continue; /* the qualifier did not fit: keep the name */
            if (pass == 1) {
                x->names[c->sense].mentions--;
                if (c->qual >= 0)
                    x->cand[c->qual].qualifier = 1;
            }
            c->sense = (int)(nm - x->names);
            nm->mentions++;
        }
    struct cw cw;
    for (size_t i = 0; i < x->nnames; i++)
        x->names[i].chosen = x->names[i].nsenses ? 0 : -1;
    for (size_t k = 0; k < x->ncand; k++)
        x->cand[k].keep = !x->cand[k].demonym && x->cand[k].sense >= 0 &&
                          x->names[x->cand[k].sense].nsenses > 0;
    /* a first choice from the priors alone, then two rounds in the
     * context of what was kept */
    for (int round = 0; round < 2; round++) {
        weigh_countries(x, &cw);
        rerank(x, &cw);
        for (size_t k = 0; k < x->ncand; k++) {
            struct gp_cand *c = &x->cand[k];
            if (c->demonym || c->sense < 0)
                continue;
            struct gp_name *nm = &x->names[c->sense];
            if (nm->chosen < 0) {
                c->keep = 0;
                continue;
            }
            /* "the Baltic", "the Pacific": the sea, not a village */
            if (c->single && c->t0 > 0 &&
                nm->senses[nm->chosen].kind != EVM_KIND_WATER) {
                char w[8];
                if (!strcmp(gp_lower(&x->doc, c->t0 - 1, w, sizeof w), "the"))
                    for (int s2 = 0; s2 < nm->nsenses; s2++)
                        if (nm->senses[s2].kind == EVM_KIND_WATER &&
                            !nm->senses[s2].country[0]) {
                            nm->chosen = s2;
                            break;
                        }
            }
            const evm_place *p = &nm->senses[nm->chosen];
            double share = cw.max > 0 ? cw_get(&cw, p->country) / cw.max
                                      : 0;
            c->keep = evidence(x, c, nm, share) >= 0.6;
        }
    }
    return 0;
}
