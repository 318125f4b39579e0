/* Movements in a report: troops, columns, convoys, refugees going from A
 * to/toward/into B ("crossed the border from Belarus", "flown in from
 * Russia", "pushed out of Crimea toward Kherson", "Russia sends troops to
 * Kazakhstan"). The side is the actor the sentence names (a country's
 * adjective or name, an armed group, civilians); an origin given only as
 * a country starts at that country, or at its capital for an airlift. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "gazetteer/gaz_int.h"

static const char *const movers[] = {
    "troops", "soldiers", "forces", "paratroopers", "peacekeep*",
    "convoy", "column", "tanks", "refugees", "fled", "evacuat*",
    "fighters", "brigade", "battalion", "units", "militants",
    "reinforcements", "sends", "sent", "deploy*", "airlift*", "flown",
};

/* Named armed groups and alliances reporters use as sides. */
static const char *const groups[] = {
    "Wagner", "RSF", "Rapid Support Forces", "CSTO", "NATO", "Hamas",
    "Hezbollah", "Taliban", "ISIS", "Islamic State", "al-Shabaab",
    "Houthis", "M23", "Tatmadaw", "PKK", "SDF", "Boko Haram",
};

static int has_mover(const char *low)
{
    for (size_t i = 0; i < sizeof movers / sizeof movers[0]; i++)
        if (ex_has(low, movers[i]))
            return 1;
    return 0;
}

static const char *move_type(const char *low)
{
    if (ex_has(low, "paratroop*") || ex_has(low, "flown") ||
        ex_has(low, "airlift*") || ex_has(low, "by air") ||
        ex_has(low, "planes") || ex_has(low, "aircraft"))
        return "airlift";
    if (ex_has(low, "withdr*") || ex_has(low, "retreat*") ||
        ex_has(low, "pulled back") || ex_has(low, "pushed out") ||
        (strstr(low, " out of ") && (ex_has(low, "pushed") ||
                                     ex_has(low, "drove") ||
                                     ex_has(low, "driven"))) ||
        ex_has(low, "fled") || ex_has(low, "flee*") ||
        ex_has(low, "evacuat*") || ex_has(low, "refugees"))
        return "withdrawal";
    if (ex_has(low, "aid") || ex_has(low, "supplies") ||
        ex_has(low, "humanitarian"))
        return "supply";
    if (ex_has(low, "sent") || ex_has(low, "sends") ||
        ex_has(low, "deploy*") || ex_has(low, "dispatch*") ||
        ex_has(low, "arrived") || ex_has(low, "peacekeep*"))
        return "deployment";
    return "advance";
}

/* The word before byte offset b of text (lower case) into w. */
static void word_before(const char *text, size_t from, size_t b, char *w,
                        size_t cap)
{
    size_t e = b;
    while (e > from && text[e - 1] == ' ')
        e--;
    size_t s = e;
    while (s > from && isalpha((unsigned char)text[s - 1]))
        s--;
    ex_lower(text + s, e - s, w, cap);
}

/* The capital of country cc, from the gazetteer's capital flag. */
static int capital_of(const evm_gazetteer *gz, const char *cc,
                      evm_place *out)
{
    for (uint32_t i = 0; i < gz->h->nplaces; i++) {
        const struct evm_gz_place *p = &gz->places[i];
        if ((p->flags & EVM_GZ_F_CAPITAL) && p->cc[0] == cc[0] &&
            p->cc[1] == cc[1] && p->kind == EVM_KIND_CITY) {
            evm__gz_place_out(gz, i, out);
            return 1;
        }
    }
    return 0;
}

static int push(struct ex_doc *d, const struct ex_move *m)
{
    /* the same side into the same country: keep the more precise one */
    for (size_t i = 0; i < d->nmv; i++) {
        struct ex_move *o = &d->mv[i];
        if (strcmp(o->side, m->side) || strcmp(o->to.country, m->to.country))
            continue;
        int oc = o->to.kind == EVM_KIND_COUNTRY;
        int mc = m->to.kind == EVM_KIND_COUNTRY;
        if (!oc && !mc)
            continue; /* two places of one country: two movements */
        if (oc && !mc)
            *o = *m;
        return 0;
    }
    if (d->nmv == d->capmv) {
        size_t cap = d->capmv ? d->capmv * 2 : 8;
        struct ex_move *n = realloc(d->mv, cap * sizeof *n);
        if (!n)
            return -1;
        d->mv = n;
        d->capmv = cap;
    }
    d->mv[d->nmv++] = *m;
    return 0;
}

/* How the text names country cc: its own words for the country when it
 * names it ("Russia"), else the gazetteer's name. */
static void country_name(const struct ex_doc *d, const evm_toponym *x,
                         char *out, size_t cap)
{
    for (long i = 0; i < d->ntop; i++) {
        const evm_toponym *t = &d->top[i];
        if (!t->demonym && t->resolved &&
            t->place.kind == EVM_KIND_COUNTRY &&
            !strcmp(t->place.country, x->place.country)) {
            size_t n = t->byte_end - t->byte_start;
            snprintf(out, cap, "%.*s", (int)n, d->text + t->byte_start);
            return;
        }
    }
    snprintf(out, cap, "%s", x->place.name);
}

static int is_mover_word(const char *w)
{
    static const char *const m[] = {"troops", "soldiers", "forces",
                                    "paratroopers", "peacekeepers", "army",
                                    "military", "units", "tanks", "convoy",
                                    "column", "fighters", "led", "troop",
                                    "marines", "brigade", "jets"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(w, m[i]))
            return 1;
    return 0;
}

/* Side: an armed group named in the sentence, else a country adjective
 * before a mover word ("Russian paratroopers", "Russian-led"), else the
 * country the sentence starts with ("Russia sends troops"), else
 * civilians for refugees. Sets *cc to the side's country ("" if none). */
static void side_of(const struct ex_doc *d, size_t k, const char *low,
                    char *side, size_t cap, char cc[3], char *label,
                    size_t lcap)
{
    const struct ex_sent *s = &d->sent[k];
    cc[0] = 0;
    side[0] = 0;
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const char *p = d->text + s->b0;
        size_t n = s->b1 - s->b0, gl = strlen(groups[i]);
        for (size_t j = 0; j + gl <= n; j++)
            if (!memcmp(p + j, groups[i], gl) &&
                (j == 0 || !isalnum((unsigned char)p[j - 1])) &&
                (j + gl == n || !isalnum((unsigned char)p[j + gl]))) {
                snprintf(side, cap, "%s", groups[i]);
                break;
            }
        if (side[0])
            break;
    }
    const evm_toponym *first = NULL;
    /* "pushed Russian units out of Crimea": the side that moves is the
     * one pushed, the last one named */
    int pushed = strstr(low, " out of ") &&
                 (ex_has(low, "pushed") || ex_has(low, "drove") ||
                  ex_has(low, "driven") || ex_has(low, "forced") ||
                  ex_has(low, "expelled"));
    for (int t = s->t0; t < s->t1 && (!first || pushed); t++) {
        const evm_toponym *x = &d->top[t];
        if (!x->resolved || x->place.kind != EVM_KIND_COUNTRY)
            continue;
        if (x->demonym) {
            /* the word after it */
            size_t e = x->byte_end;
            while (e < s->b1 && (d->text[e] == ' ' || d->text[e] == '-'))
                e++;
            size_t st = e;
            while (e < s->b1 && isalpha((unsigned char)d->text[e]))
                e++;
            char w[32];
            ex_lower(d->text + st, e - st, w, sizeof w);
            if (is_mover_word(w)) {
                first = x;
                /* "Russian paratroopers" is the movement's label */
                snprintf(label, lcap, "%.*s", (int)(e - x->byte_start),
                         d->text + x->byte_start);
            }
        } else if (x->byte_start == s->b0)
            first = x;
    }
    if (first) {
        memcpy(cc, first->place.country, 3);
        char name[40];
        country_name(d, first, name, sizeof name);
        if (!side[0])
            snprintf(side, cap, "%s", name);
        else {
            size_t l = strlen(side);
            snprintf(side + l, cap - l, " (%s)", name);
        }
    }
    if (!side[0] && (ex_has(low, "refugees") || ex_has(low, "civilians") ||
                     ex_has(low, "residents")))
        snprintf(side, cap, "civilians");
}

int ex_movements(struct ex_doc *d, size_t k)
{
    const struct ex_sent *s = &d->sent[k];
    const char *txt = d->text + s->b0;
    size_t n = s->b1 - s->b0;
    char low[2048];
    ex_lower(txt, n, low, sizeof low);
    if (!has_mover(low))
        return 0;
    /* direction words before the sentence's places */
    const evm_toponym *from = NULL, *to = NULL;
    for (int t = s->t0; t < s->t1; t++) {
        const evm_toponym *x = &d->top[t];
        if (!x->resolved || !x->place.country[0])
            continue;
        char w[32];
        word_before(d->text, s->b0, x->byte_start, w, sizeof w);
        if (x->demonym) {
            /* "toward the Russian border": that country */
            size_t b = x->byte_start;
            while (b > s->b0 && d->text[b - 1] == ' ')
                b--;
            if (!strcmp(w, "the") && b >= s->b0 + 3) {
                word_before(d->text, s->b0, b - 3, w, sizeof w);
                if (!to && (!strcmp(w, "toward") || !strcmp(w, "towards") ||
                            !strcmp(w, "to") || !strcmp(w, "into")))
                    to = x;
            }
            continue;
        }
        if (!strcmp(w, "from") || !strcmp(w, "of"))
            from = from ? from : (!strcmp(w, "of") && !strstr(low, "out of")
                                      ? NULL : x);
        else if (!strcmp(w, "to") || !strcmp(w, "toward") ||
                 !strcmp(w, "towards") || !strcmp(w, "into") ||
                 !strcmp(w, "on") || !strcmp(w, "in"))
            to = to ? to : x;
    }
    /* "descend on the city": the report's main place */
    if (!to && d->main_place &&
        (ex_has(low, "the city") || ex_has(low, "the capital")))
        to = d->main_place;
    if (!to && !from)
        return 0;
    struct ex_move m;
    memset(&m, 0, sizeof m);
    char cc[3];
    side_of(d, k, low, m.side, sizeof m.side, cc, m.label, sizeof m.label);
    /* "flown in from Russia": the country it came from */
    if (!m.side[0] && from && from->place.kind == EVM_KIND_COUNTRY) {
        country_name(d, from, m.side, sizeof m.side);
        memcpy(cc, from->place.country, 3);
    }
    if (!m.side[0])
        return 0; /* no actor: not a movement we can draw */
    m.type = move_type(low);
    if (!to) {
        if (!d->main_place)
            return 0;
        to = d->main_place;
    }
    m.to = to->place;
    if (!from) {
        /* "recaptured Balakliia and advanced toward Kupiansk": the
         * sentence's other town */
        for (int t = s->t0; t < s->t1 && !from; t++) {
            const evm_toponym *x = &d->top[t];
            if (x != to && x->resolved && !x->demonym &&
                x->place.kind == EVM_KIND_CITY &&
                strcmp(x->place.id, to->place.id) &&
                x->byte_start < to->byte_start)
                from = x;
        }
    }
    if (from) {
        m.from = from->place;
        if (from->place.kind == EVM_KIND_COUNTRY) {
            m.from_country = 1;
            if (!strcmp(m.type, "airlift"))
                capital_of(d->gz, from->place.country, &m.from);
        }
    } else if (cc[0] && strcmp(cc, to->place.country)) {
        /* an origin given only as the actor's country */
        evm_error err = {0};
        m.from_country = 1;
        if (!(!strcmp(m.type, "airlift") &&
              capital_of(d->gz, cc, &m.from)) &&
            evm_geocode(d->gz, cc, &(evm_geocode_opts){.kind = "country"},
                        &m.from, 1, &err) != 1)
            return 0;
    } else
        return 0;
    if (!strcmp(m.from.id, m.to.id))
        return 0;
    m.date = ex_sentence_date(d, txt, n);
    m.claimed = 0;
    m.sent = (int)k;
    if (!m.label[0])
        ex_label(txt, n, m.label, sizeof m.label);
    return push(d, &m);
}
