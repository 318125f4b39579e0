/* evm_extract: a draft map spec from a news report.
 *
 * The report is geoparsed once (evm_geoparse, demonyms included) and cut
 * into sentences. A sentence whose words report something happening
 * gives an event typed in the ACLED vocabulary (the first rule of the
 * table below whose words it has), at the most precise place it names
 * (a site before a town before a region before a country), else at the
 * place of the sentence before it in the same paragraph, else at the
 * report's main place. Words of a whole country or region (an internet
 * shutdown, a state of emergency) give an area. Troops, columns,
 * refugees going "from A to/toward/into B" give a movement. Dates come
 * from the dateline and relative day words; what the text attributes
 * ("said", "according to") is `confidence: claimed`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "gazetteer/gaz_int.h"

/* Words -> type, in order of precedence. Families: 1 violence, 2
 * demonstrations, 3 property, 4 arrests, 5 territory, 6 economy, 7 what
 * is said of a whole country or region (an area when the text says so of
 * one), 8 evacuation. A sentence gives at most one event per family. */
static const struct rule {
    const char *type;
    const char *words[14];
    const char *need[8];   /* one of these must occur too (or none) */
    int fam;
} rules[] = {
    {"internet shutdown", {"internet", "online", NULL},
     {"cut", "shut", "block", "blackout", "disconnect", "outage", "down"}, 7},
    {"state of emergency", {"state of emergency", "martial law", NULL}, {0}, 7},
    {"curfew", {"curfew", NULL}, {0}, 7},
    {"power outage", {"power outage", "blackout", "without power",
                      "without electricity", NULL}, {0}, 7},
    {"recaptured", {"retook", "retaken", "recaptured", "regained control",
                    "took back", "recapture", NULL}, {0}, 5},
    {"arson", {"set on fire", "set fire", "torched", "burned down",
               "burnt down", "ablaze", "in flames", "set alight", NULL},
     {0}, 3},
    {"looting", {"looted", "looting", "ransacked", "looters", NULL}, {0}, 3},
    {"airstrike", {"air strike", "airstrike", "air raid", "airstrikes",
                   "air strikes", "warplanes", "bombed", "strikes hit",
                   "bombardment", NULL}, {0}, 1},
    {"drone strike", {"drone strike", "drone attack", "drones", NULL}, {0}, 1},
    {"missile strike", {"missile", "missiles", "rocket", "rockets", NULL},
     {0}, 1},
    {"shelling", {"shelling", "shelled", "artillery", "mortar", "shells",
                  NULL}, {0}, 1},
    {"suicide bomb", {"suicide bomb", "suicide attack", "suicide bomber",
                      NULL}, {0}, 1},
    {"explosion", {"explosion", "explosions", "blast", "exploded",
                   "car bomb", "bomb", "ied", NULL}, {0}, 1},
    {"massacre", {"massacre", "executed", "killed civilians",
                  "civilians were killed", "civilians killed", NULL}, {0}, 1},
    {"seizure", {"seized", "captured", "took control", "taken control",
                 "take control", "occupied", "stormed", "overran", NULL},
     {0}, 5},
    {"armed clash", {"clash", "clashes", "clashed", "fighting", "fought",
                     "battle", "gunfight", "firefight", "gunfire",
                     "exchange of fire", "offensive", "assault", "siege",
                     NULL}, {0}, 1},
    {"arrests", {"detained", "arrested", "arrests", "detentions",
                 "rounded up", NULL}, {0}, 4},
    /* the act, not its actors: "rioters", "protesters" alone report
     * no riot or protest */
    {"riot", {"riot", "riots", "rioting", "mob", NULL}, {0}, 2},
    {"protest", {"protest", "protests", "protested", "protesting",
                 "demonstration", "demonstrations", "rally", "rallies",
                 "rallied", "marched", NULL}, {0}, 2},
    {"oil", {"oil", "refinery", "pipeline", "gas field", NULL},
     {"cut", "reduc", "halt", "stop", "disrupt", "suspend", "shut", "fell"},
     0},
    {"rail", {"rail", "railway", "train", "trains", NULL},
     {"disrupt", "block", "halt", "cut", "suspend", "stop"}, 6},
    {"airport", {"airport", "flights", NULL},
     {"closed", "suspend", "cancel", "halt", "shut"}, 6},
    {"evacuation", {"evacuat*", NULL}, {0}, 8},
    {"abduction/forced disappearance", {"abducted", "kidnapped",
                                        "hostage*", "abduction*", NULL},
     {0}, 1},
    {"ceasefire", {"ceasefire", "truce", NULL}, {0}, 9},
    {"attack", {"killed", "dead", "died", "attack", "attacked", "gunmen",
                "ambush", "ambushed", "raid", "raided", "wounded",
                "injured", "struck", NULL}, {0}, 1},
};

static int rule_fires(const struct rule *r, const char *low)
{
    int any = 0;
    for (int i = 0; i < 14 && r->words[i] && !any; i++)
        any = ex_has(low, r->words[i]);
    if (!any)
        return 0;
    if (!r->need[0])
        return 1;
    for (int i = 0; i < 8 && r->need[i]; i++)
        if (strstr(low, r->need[i]))
            return 1;
    return 0;
}

static int attributed(const char *low)
{
    static const char *const w[] = {"said", "says", "according to",
                                    "claimed", "claims", "reported",
                                    "quoted", "alleged", "told"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (ex_has(low, w[i]))
            return 1;
    return 0;
}

/* Precision rank of a place: 0 site/airport, 1 town, 2 district,
 * 3 region, 4 country, 5 other (seas, continents). */
static int rank(const evm_place *p)
{
    switch (p->kind) {
    case EVM_KIND_SITE:
    case EVM_KIND_AIRPORT:
    case EVM_KIND_PORT:
        return 0;
    case EVM_KIND_CITY:
        return 1;
    case EVM_KIND_ADMIN2:
        return 2;
    case EVM_KIND_ADMIN1:
        return 3;
    case EVM_KIND_COUNTRY:
        return 4;
    default:
        return 5;
    }
}

static int usable(const evm_toponym *t)
{
    return t->resolved && !t->demonym && t->place.country[0] &&
           t->place.id && t->place.id[0];
}

/* The most precise usable toponym of sentence k, or NULL. */
static const char *txt_of(const struct ex_doc *d, size_t k)
{
    return d->text + d->sent[k].b0;
}

static const evm_toponym *best_in(const struct ex_doc *d, size_t k)
{
    const evm_toponym *b = NULL;
    const struct ex_sent *s = &d->sent[k];
    /* the dateline names where the report was filed, not an event */
    size_t from = s->b0 + ex_dateline_end(d->text + s->b0, s->b1 - s->b0);
    for (int t = s->t0; t < s->t1; t++) {
        const evm_toponym *x = &d->top[t];
        if (usable(x) && x->byte_start >= from &&
            (!b || rank(&x->place) < rank(&b->place)))
            b = x;
    }
    return b;
}

/* The first region or country sentence k names, or NULL. */
static const evm_toponym *widest_in(const struct ex_doc *d, size_t k)
{
    const struct ex_sent *s = &d->sent[k];
    size_t from = s->b0 + ex_dateline_end(d->text + s->b0, s->b1 - s->b0);
    for (int t = s->t0; t < s->t1; t++) {
        const evm_toponym *x = &d->top[t];
        if (usable(x) && x->byte_start >= from && rank(&x->place) >= 3 &&
            rank(&x->place) <= 4)
            return x;
    }
    return NULL;
}

static void main_places(struct ex_doc *d)
{
    int bestc = 0, bestp = 0;
    for (long i = 0; i < d->ntop; i++) {
        const evm_toponym *t = &d->top[i];
        if (!usable(t))
            continue;
        int n = 0;
        for (long j = 0; j < d->ntop; j++)
            n += usable(&d->top[j]) &&
                 !strcmp(d->top[j].place.id, t->place.id);
        if (t->place.kind == EVM_KIND_COUNTRY) {
            if (n > bestc) {
                bestc = n;
                d->main_country = t;
            }
        } else if (rank(&t->place) <= 3 && n > bestp) {
            bestp = n;
            d->main_place = t;
        }
    }
    if (d->main_place && d->main_country &&
        strcmp(d->main_place->place.country,
               d->main_country->place.country)) {
        /* the main place lies in the main country, when it can */
        for (long i = 0; i < d->ntop; i++)
            if (usable(&d->top[i]) && rank(&d->top[i].place) <= 3 &&
                !strcmp(d->top[i].place.country,
                        d->main_country->place.country)) {
                d->main_place = &d->top[i];
                break;
            }
    }
    if (d->main_place) {
        /* "the airport": the main place's airport */
        char q[300];
        snprintf(q, sizeof q, "%s airport", d->main_place->place.name);
        evm_error err = {0};
        if (evm_geocode(d->gz, q, NULL, &d->airport, 1, &err) == 1 &&
            d->airport.kind == EVM_KIND_AIRPORT)
            d->has_airport = 1;
    }
}

static struct ex_event *new_event(struct ex_doc *d)
{
    if (d->nev == d->capev) {
        size_t cap = d->capev ? d->capev * 2 : 16;
        struct ex_event *n = realloc(d->ev, cap * sizeof *n);
        if (!n)
            return NULL;
        d->ev = n;
        d->capev = cap;
    }
    struct ex_event *e = &d->ev[d->nev++];
    memset(e, 0, sizeof *e);
    e->fatalities = -1;
    return e;
}

/* Government forces as the subject of a seizure: the place is retaken. */
static int by_government(const char *low)
{
    static const char *const w[] = {"military", "army", "troops",
                                    "soldiers", "security forces",
                                    "police", "government forces"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const char *p = strstr(low, w[i]);
        if (p && (!strstr(low, " by ") || strstr(low, " by ") > p))
            return 1;
    }
    return 0;
}

/* A sentence about what someone says of events (accusing, condemning,
 * questioning, calling for) reports no event of its own. */
static int commentary(const char *low)
{
    static const char *const w[] = {"accus*", "statement", "condemn*",
                                    "called for", "calling for", "urged",
                                    "question*", "monitor*", "warned",
                                    "would consult", "evidence"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (ex_has(low, w[i]))
            return 1;
    return 0;
}

/* Adds an event of the type at p for sentence k, or raises the death
 * toll of the same event told again (same type, place and day). */
static int add_event(struct ex_doc *d, size_t k, const evm_toponym *p,
                     const char *type, int fam, int area,
                     struct ex_date date, const char *low, int *dead_given,
                     int placed)
{
    const struct ex_sent *s = &d->sent[k];
    const char *txt = d->text + s->b0;
    size_t n = s->b1 - s->b0;
    for (size_t i = 0; i < d->nev; i++) {
        struct ex_event *o = &d->ev[i];
        if (o->type == type &&
            (fam == 7 || !strcmp(o->at->place.id, p->place.id)) &&
            o->date.d == date.d && o->date.m == date.m) {
            /* the same event told again: keep the larger death toll */
            long f = fam != 1 ? -1 : ex_fatalities(txt, n);
            if (f > o->fatalities)
                o->fatalities = f;
            return 0;
        }
    }
    struct ex_event *e = new_event(d);
    if (!e)
        return -1;
    e->at = p;
    e->type = type;
    e->date = date;
    e->claimed = attributed(low);
    e->sent = (int)k;
    e->area = area;
    /* the dead once per sentence, on its first violent event */
    if (fam == 1 && !*dead_given) {
        e->fatalities = ex_fatalities(txt, n);
        *dead_given = 1;
    }
    ex_label(txt, n, e->label, sizeof e->label);
    if (!placed)
        snprintf(e->note, sizeof e->note, "place from the context");
    return 0;
}

static int events_of(struct ex_doc *d, size_t k, const evm_toponym **prev,
                     size_t *prev_k, struct ex_date *day)
{
    const struct ex_sent *s = &d->sent[k];
    const char *txt = d->text + s->b0;
    size_t n = s->b1 - s->b0;
    char low[2048];
    ex_lower(txt, n, low, sizeof low);
    /* a narrative keeps its day until it names another */
    struct ex_date own = ex_sentence_date(d, txt, n);
    if (own.y && (own.d != d->base.d || own.m != d->base.m ||
                  own.y != d->base.y))
        *day = own;
    /* commentary, and quoted speech ("This is an attack on the
     * people," he said), report no event */
    if (commentary(low) || txt[0] == '"' || txt[0] == '\'' ||
        !strncmp(txt, "\xE2\x80\x9C", 3))
        return 0;
    const evm_toponym *at = best_in(d, k);
    const evm_toponym *here = at;
    /* a sentence without a place speaks of the place of the sentence or
     * two before it; a site (an oil field) only for what happens there */
    if (!at && *prev && k - *prev_k <= 2)
        at = *prev;
    int made = 0, fams = 0, dead_given = 0;
    for (size_t r = 0; r < sizeof rules / sizeof rules[0] && made < 2; r++) {
        if ((fams & (1 << rules[r].fam)) || !rule_fires(&rules[r], low))
            continue;
        fams |= 1 << rules[r].fam;
        int area = 0;
        const char *type = rules[r].type;
        if (!strcmp(type, "seizure") && by_government(low))
            type = "recaptured";
        if (!strcmp(type, "attack") && !ex_has(low, "civilian*") &&
            (ex_has(low, "rioters") || ex_has(low, "protesters") ||
             ex_has(low, "militants") || ex_has(low, "soldiers") ||
             ex_has(low, "fighters") || ex_has(low, "security forces")))
            type = "armed clash";
        const evm_toponym *p = at ? at : d->main_place;
        if (!here && p && p->place.kind == EVM_KIND_SITE &&
            strcmp(type, "oil") && strcmp(type, "rail"))
            p = d->main_place;
        if (rules[r].fam == 7) {
            /* an area when the sentence names a country or region ("in
             * the Almaty region"), or says "nationwide"; else an event at
             * its place */
            const evm_toponym *wide = widest_in(d, k);
            if (wide)
                p = wide, area = 1;
            else if (d->main_country &&
                     (ex_has(low, "nationwide") ||
                      ex_has(low, "across the country") ||
                      ex_has(low, "countrywide") ||
                      ex_has(low, "whole country")))
                p = d->main_country, area = 1;
        }
        if (!p)
            continue;
        if (add_event(d, k, p, type, rules[r].fam, area, *day, low,
                      &dead_given, here != NULL) < 0)
            return -1;
        /* the other towns the sentence names ("fighting in Khartoum and
         * Omdurman"), not where something came from */
        int extra = 0;
        int moved = d->nmv && d->mv[d->nmv - 1].sent == (int)k;
        for (int t = s->t0; t < s->t1 && here && !area && !moved &&
                            rules[r].fam != 6 && extra < 3; t++) {
            const evm_toponym *o = &d->top[t];
            /* regions only beside regions ("in Sagaing and Magway"),
             * not beside a town of the sentence */
            int rmax = rank(&p->place) >= 3 ? 3 : 2;
            if (o == p || !usable(o) || rank(&o->place) > rmax ||
                o->byte_start < s->b0 + ex_dateline_end(txt_of(d, k),
                                                        s->b1 - s->b0) ||
                !strcmp(o->place.id, p->place.id))
                continue;
            size_t b0 = o->byte_start;
            while (b0 > s->b0 && d->text[b0 - 1] == ' ')
                b0--;
            if (b0 >= s->b0 + 4 && !strncmp(d->text + b0 - 4, "from", 4))
                continue;
            if (add_event(d, k, o, type, rules[r].fam, 0, *day, low,
                          &dead_given, 1) < 0)
                return -1;
            extra++;
        }
        made++;
    }
    if (here && rank(&here->place) < 4) {
        *prev = here;
        *prev_k = k;
    }
    return 0;
}

static void finish_airport(struct ex_doc *d)
{
    /* "the airport" of an event whose sentence says so, at the main
     * place's airport */
    if (!d->has_airport)
        return;
    static evm_toponym ap;
    memset(&ap, 0, sizeof ap);
    ap.resolved = 1;
    ap.place = d->airport;
    for (size_t i = 0; i < d->nev; i++) {
        const struct ex_sent *s = &d->sent[d->ev[i].sent];
        char low[2048];
        ex_lower(d->text + s->b0, s->b1 - s->b0, low, sizeof low);
        if (ex_has(low, "airport") &&
            d->ev[i].at->place.kind != EVM_KIND_AIRPORT &&
            rank(&d->ev[i].at->place) >= 1 &&
            (!strcmp(d->ev[i].type, "seizure") ||
             !strcmp(d->ev[i].type, "recaptured") ||
             !strcmp(d->ev[i].type, "airport")))
            d->ev[i].at = &ap;
    }
}

char *evm_extract(const evm_gazetteer *gz, const char *text, size_t len,
                  evm_error *err)
{
    struct ex_doc d;
    memset(&d, 0, sizeof d);
    d.gz = gz;
    d.len = len;
    if (len > EVM_GEOPARSE_MAX_TEXT) {
        evm_error_set(err, EVM_E_TOOBIG, "report of %zu bytes is over the "
                      "%u MB extract takes", len, EVM_GEOPARSE_MAX_TEXT >> 20);
        return NULL;
    }
    /* a NUL-terminated copy: the sentence readers search it as a string */
    char *copy = malloc(len + 1);
    if (!copy) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = 0;
    text = copy;
    d.text = copy;
    evm_geoparse_opts o = {.demonyms = 1, .country = NULL};
    d.ntop = evm_geoparse(gz, text, len, &o, &d.top, err);
    if (d.ntop < 0) {
        free(copy);
        return NULL;
    }
    long real = 0;
    for (long i = 0; i < d.ntop; i++)
        real += usable(&d.top[i]);
    char *yaml = NULL;
    if (!real) {
        evm_error_set(err, EVM_E_NOTFOUND, "no places found in the report; "
                      "nothing to map");
        goto done;
    }
    if (ex_sentences(&d) < 0)
        goto oom;
    ex_dateline(&d);
    ex_title(&d);
    ex_sources(&d);
    main_places(&d);
    const evm_toponym *prev = NULL;
    size_t prev_k = 0;
    struct ex_date day = d.base;
    int para = -1;
    for (size_t k = 0; k < d.nsent; k++) {
        if (d.sent[k].para != para) {
            para = d.sent[k].para;
            if (k > 0 && d.sent[k].b0 > d.sent[k - 1].b1 + 1)
                prev = NULL; /* a blank line: a new paragraph */
        }
        int mv = ex_movements(&d, k);
        if (mv < 0)
            goto oom;
        if (k == 0 && ex_headline(&d))
            continue; /* the headline repeats what the text says */
        if (events_of(&d, k, &prev, &prev_k, &day) < 0)
            goto oom;
    }
    finish_airport(&d);
    yaml = ex_yaml(&d);
    if (!yaml)
        goto oom;
    goto done;
oom:
    evm_error_set(err, EVM_E_NOMEM, "out of memory");
done:
    free(copy);
    free(d.top);
    free(d.sent);
    free(d.ev);
    free(d.mv);
    return yaml;
}

int evm_path_is_report(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n < 4 || strcasecmp(path + n - 4, ".txt"))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char b[4096];
    size_t got = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[got] = 0;
    /* a table's first line has tabs or several commas; prose has
     * sentences */
    char *nl = strchr(b, '\n');
    size_t l1 = nl ? (size_t)(nl - b) : got;
    size_t tabs = 0, commas = 0;
    for (size_t i = 0; i < l1; i++) {
        tabs += b[i] == '\t';
        commas += b[i] == ',';
    }
    if (tabs || commas >= 3)
        return 0;
    return strstr(b, ". ") != NULL || strstr(b, ".\n") != NULL;
}
