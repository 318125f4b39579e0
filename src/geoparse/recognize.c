/* Recognition: which word sequences of a text are place names.
 *
 * Driven by the gazetteer: at every capitalised word the longest run of
 * words (capitalised, or lower-case connectors inside as in "Bosnia and
 * Herzegovina", "Rostov-on-Don") whose normalised key is a gazetteer name
 * is a candidate. A candidate is then kept or dropped on what the words
 * around it say, from general rules of English news prose:
 *  - a name that is also a lower-case English word ("Police", "March",
 *    "Chevron") is a place only when the place is prominent (a country,
 *    a region, a city of a million: "Turkey", "Chad");
 *  - a run that starts with a given name, or follows a title ("Ned
 *    Price", "President Biden"), is a person; the surname then stays a
 *    person for the rest of the text;
 *  - a name directly followed by an organisation word ("Chevron Corp",
 *    "Tass Agency") is an organisation unless it is a prominent place
 *    ("California Department of Health" keeps California);
 *  - acronyms in capitals ("CDC", "WHO") are places only as country codes;
 *  - the first word of a sentence, and small places (villages), need
 *    evidence: a locative word before ("in", "near"), a qualifier after
 *    ("Pandi, Bulacan"), or their country being one the text is about.
 * The thresholds are on the gazetteer's own prominence (0..1). */
#include <stdlib.h>
#include <string.h>

#include "gazetteer/gaz_int.h"
#include "geoparse.h"

#define MAX_NGRAM 7

static int can_join(const struct gp_tok *t)
{
    /* no n-gram across punctuation, except a hyphen, the dot of "St."
     * and the dots of an abbreviation */
    if (t->flags & (GP_COMMA | GP_NL))
        return 0;
    if (t->flags & GP_BREAK)
        return 0;
    return 1;
}

/* Longest gazetteer (or built-in) key starting at token i: sets *end and
 * returns 1, else 0. */
static int longest_match(struct gp_ctx *x, size_t i, size_t *end,
                         const struct gp_extra **extra)
{
    const struct gp_doc *d = &x->doc;
    char key[512];
    size_t klen = 0;
    int found = 0;
    static const char *const articles[] = {"al", "el", "ad", "ed", "ar",
                                           "er", "as", "es", "at", "an",
                                           "az", "ash", "adh", "ath"};
    int article = 0;
    for (size_t a = 0; a < sizeof articles / sizeof articles[0]; a++)
        if (d->tok[i].nlen == strlen(articles[a]) &&
            !memcmp(d->pool + d->tok[i].norm, articles[a], d->tok[i].nlen))
            article = 1;
    for (size_t j = i; j < d->ntok && j < i + MAX_NGRAM; j++) {
        const struct gp_tok *t = &d->tok[j];
        if (j > i) {
            const struct gp_tok *p = &d->tok[j - 1];
            if (!can_join(p) || (p->flags & GP_POSS))
                break;
            if (t->flags & GP_LOWER) {
                char w[32];
                if (!gp_is_connector(gp_lower(d, j, w, sizeof w)))
                    break;
            } else if (!(t->flags & (GP_CAP | GP_ALLCAPS)))
                break;
        }
        if (klen + t->nlen + 1 > sizeof key)
            break;
        memcpy(key + klen, d->pool + t->norm, t->nlen);
        klen += t->nlen;
        key[klen] = 0;
        if (!(t->flags & (GP_CAP | GP_ALLCAPS)) || !klen)
            continue;
        const struct gp_extra *e = gp_extra_find(key);
        int found_key = e || evm__gz_find(x->gz, key, klen) ||
                        evm__gz_ufind(x->gz, key, klen) != UINT32_MAX;
        if (!found_key && j > i && article) {
            /* "El Fasher", "Ad Dawr": the gazetteer writes Arabic
             * articles as "al"; its normaliser says how */
            struct evm_gz_words w;
            char k2[512];
            size_t b0 = d->tok[i].b0, b1 = t->b1;
            int kl;
            if (evm__gz_words(d->text + b0, b1 - b0, &w) == 0 &&
                (kl = evm__gz_key(&w, 0, w.n, k2, sizeof k2)) > 0)
                found_key = evm__gz_find(x->gz, k2, (size_t)kl) != NULL;
        }
        if (found_key) {
            *end = j + 1;
            *extra = e;
            found = 1;
        }
    }
    return found;
}

static int is_strong(const evm_place *p)
{
    return p->kind == EVM_KIND_COUNTRY || p->kind == EVM_KIND_ADMIN1 ||
           (p->kind == EVM_KIND_WATER && !p->country[0]) || /* seas */
           (p->kind == EVM_KIND_CITY && p->population >= 1000000) ||
           !strcmp(p->kind_name, "capital");
}

/* The capitalised run of names that token i belongs to: [*a, *b). */
static void cap_run(const struct gp_doc *d, size_t i, size_t *a, size_t *b)
{
    size_t s = i, e = i + 1;
    while (s > 0 && (d->tok[s - 1].flags & GP_CAP) &&
           can_join(&d->tok[s - 1]) && !(d->tok[s - 1].flags & GP_POSS) &&
           !(d->tok[s].flags & GP_SENT))
        s--;
    while (e < d->ntok && (d->tok[e].flags & GP_CAP) &&
           can_join(&d->tok[e - 1]) && !(d->tok[e - 1].flags & GP_POSS))
        e++;
    *a = s;
    *b = e;
}

static int add_person(struct gp_ctx *x, size_t tok)
{
    const struct gp_tok *t = &x->doc.tok[tok];
    if (t->nlen == 0 || t->nlen >= sizeof x->persons[0])
        return 0;
    for (int k = 0; k < x->npersons; k++)
        if (!strcmp(x->persons[k], x->doc.pool + t->norm))
            return 0;
    if (x->npersons < GP_MAX_PERSONS)
        strcpy(x->persons[x->npersons++], x->doc.pool + t->norm);
    return 0;
}

static int is_person_name(const struct gp_ctx *x, const char *key)
{
    for (int k = 0; k < x->npersons; k++)
        if (!strcmp(x->persons[k], key))
            return 1;
    return 0;
}

/* 1 when the token before i is a title ("Mr", "President", "Gen."). */
static int after_title(const struct gp_doc *d, size_t i)
{
    if (i == 0)
        return 0;
    const struct gp_tok *p = &d->tok[i - 1];
    if (!(p->flags & (GP_CAP | GP_LOWER)) || (p->flags & GP_COMMA))
        return 0;
    char w[32];
    return gp_is_title(gp_lower(d, i - 1, w, sizeof w));
}

static int push_cand(struct gp_ctx *x, const struct gp_cand *c)
{
    if (x->ncand == x->capcand) {
        size_t cap = x->capcand ? x->capcand * 2 : 64;
        struct gp_cand *n = realloc(x->cand, cap * sizeof *n);
        if (!n)
            return -1;
        x->cand = n;
        x->capcand = cap;
    }
    x->cand[x->ncand++] = *c;
    return 0;
}

/* Context words around [a, b): a locative before, a qualifier after. */
static void context(const struct gp_ctx *x, struct gp_cand *c)
{
    const struct gp_doc *d = &x->doc;
    char w[32];
    if (c->t0 > 0) {
        const struct gp_tok *p = &d->tok[c->t0 - 1];
        if (!(p->flags & (GP_BREAK | GP_NL)) &&
            gp_is_locative(gp_lower(d, c->t0 - 1, w, sizeof w)))
            c->locative = 1;
        /* "the Tengiz field", "in the Kherson region" */
        if (!strcmp(w, "the") && c->t0 > 1 &&
            gp_is_locative(gp_lower(d, c->t0 - 2, w, sizeof w)))
            c->locative = 1;
    }
    const struct gp_tok *last = &d->tok[c->t1 - 1];
    if (c->t1 < d->ntok && !(last->flags & (GP_BREAK | GP_COMMA))) {
        int admin = 0, nk = 0;
        char w2[32] = "";
        gp_lower(d, c->t1, w, sizeof w);
        if (c->t1 + 1 < d->ntok && !(d->tok[c->t1].flags &
                                     (GP_BREAK | GP_COMMA)))
            gp_lower(d, c->t1 + 1, w2, sizeof w2);
        if (gp_kind_word(w, w2[0] ? w2 : NULL, &admin, &nk)) {
            c->kind = 1;
            c->kind_admin = admin;
            c->s1 = c->t1 + (size_t)nk;
            if (!admin)
                c->span1 = c->s1; /* "Almaty airport" is the airport */
        }
        if (gp_is_speech_verb(w))
            c->speaks = 1;
        if ((d->tok[c->t1].flags & GP_CAP) && gp_is_org_word(w))
            c->org_after = 1;
        /* "Pacific Gas", "Paris Hilton": a name going on with a word that
         * is no organisation, title, kind or function word */
        else if ((d->tok[c->t1].flags & GP_CAP) &&
                 !(d->tok[c->t1].flags & GP_ALLCAPS) && !c->kind &&
                 !gp_is_title(w) && !gp_is_stop_cap(w) &&
                 !gp_is_connector(w))
            c->name_after = 1;
    }
}

/* Looks at token i: adds a candidate (or skips a person) and returns the
 * next token to look at. */
static size_t look(struct gp_ctx *x, size_t i)
{
    struct gp_doc *d = &x->doc;
    const struct gp_tok *t = &d->tok[i];
    char w[64];
    gp_lower(d, i, w, sizeof w);
    size_t end = 0;
    const struct gp_extra *extra = NULL;
    if (!(t->flags & GP_ALLCAPS) && gp_is_stop_cap(w) &&
        !gp_may_start_name(w)) {
        /* "Chinese", "French": no place, but a country's adjective */
        const char *cc = gp_demonym(w);
        if (cc) {
            struct gp_cand c = {0};
            c.t0 = c.span0 = c.s0 = i;
            c.t1 = c.span1 = c.s1 = i + 1;
            c.demonym = cc;
            if (push_cand(x, &c) < 0)
                x->oom = 1;
        }
        return i + 1;
    }
    int hit = longest_match(x, i, &end, &extra);
    /* people: a title before, or a given name starting a run that is not
     * as a whole a place */
    if ((t->flags & GP_CAP) && !(t->flags & GP_ALLCAPS)) {
        int title = after_title(d, i);
        int given = gp_is_given_name(w) && i + 1 < d->ntok &&
                    (d->tok[i + 1].flags & GP_CAP) && can_join(t) &&
                    !(t->flags & GP_POSS);
        if ((title || given) && !(hit && end - i >= 2 && !title)) {
            size_t a, b;
            cap_run(d, i, &a, &b);
            if (b > i + 4)
                b = i + 4;
            add_person(x, b - 1);
            return b;
        }
    }
    const char *cc = NULL;
    if (!hit || (end == i + 1 && (t->flags & GP_CAP) && gp_demonym(w))) {
        if ((t->flags & GP_CAP) && (cc = gp_demonym(w))) {
            struct gp_cand c = {0};
            c.t0 = c.span0 = c.s0 = i;
            c.t1 = c.span1 = c.s1 = i + 1;
            c.demonym = cc;
            push_cand(x, &c);
        }
        return i + 1;
    }
    struct gp_cand c = {0};
    c.t0 = c.span0 = c.s0 = i;
    c.t1 = c.span1 = c.s1 = end;
    c.extra = extra;
    c.sent = (t->flags & (GP_SENT | GP_QUOTE)) != 0;
    c.allcaps = (t->flags & GP_ALLCAPS) != 0;
    /* "West Nile virus", "Ebola fever", "Reston strain": a disease named
     * after a place */
    if (end < d->ntok && !(d->tok[end - 1].flags & (GP_BREAK | GP_COMMA))) {
        char nw[32];
        gp_lower(d, end, nw, sizeof nw);
        if (!strcmp(nw, "virus") || !strcmp(nw, "fever") ||
            !strcmp(nw, "ebolavirus") || !strcmp(nw, "strain") ||
            !strcmp(nw, "flu") || !strcmp(nw, "disease"))
            return end;
    }
    c.single = end == i + 1;
    if (c.single) {
        int acr = (t->flags & GP_ALLCAPS) && t->nlen <= 5;
        if (!(t->flags & GP_ALLCAPS) || acr) {
            if (gp_is_stop_cap(w) && strcmp(w, "us"))
                return i + 1;
        }
        if (!strcmp(w, "us") && !(t->flags & GP_ALLCAPS))
            return i + 1;
        c.acronym = acr;
        c.common = gp_is_common_word(w);
        if (is_person_name(x, w))
            return i + 1;
    } else {
        /* every word common ("White House", "Long Beach" stays: beach
         * is common but the pair is a well-known name; left to
         * prominence) */
        int all = 1;
        for (size_t j = i; j < end && all; j++) {
            char w2[64];
            gp_lower(d, j, w2, sizeof w2);
            all = gp_is_common_word(w2) || gp_is_stop_cap(w2) ||
                  gp_is_connector(w2);
        }
        c.common = all;
    }
    /* a name inside a longer capitalised run of non-place words ("Goldman
     * Sachs", "Chase Manhattan") */
    if (i > 0 && (d->tok[i - 1].flags & GP_CAP) &&
        !(d->tok[i - 1].flags & GP_ALLCAPS) && can_join(&d->tok[i - 1]) &&
        !(t->flags & GP_SENT) && !(d->tok[i - 1].flags & GP_POSS))
        c.in_run = 1;
    if (c.in_run) {
        char pw[64];
        gp_lower(d, i - 1, pw, sizeof pw);
        /* "North Carolina" etc. are whole matches; a direction or a
         * generic word before the name is no sign of a person */
        if (gp_is_stop_cap(pw) || gp_is_connector(pw))
            c.in_run = 0;
    }
    context(x, &c);
    if (end < d->ntok && (d->tok[end - 1].flags & GP_COMMA))
        c.comma_after = 1;
    if (push_cand(x, &c) < 0)
        x->oom = 1;
    return end;
}

int gp_recognize(struct gp_ctx *x)
{
    size_t i = 0;
    while (i < x->doc.ntok && !x->oom) {
        const struct gp_tok *t = &x->doc.tok[i];
        if (!(t->flags & (GP_CAP | GP_ALLCAPS))) {
            i++;
            continue;
        }
        i = look(x, i);
    }
    return x->oom ? -1 : 0;
}

int gp_place_strong(const evm_place *p) { return is_strong(p); }
