/* Gazetteer: normalisation, lookup and ranking on the shipped index,
 * the fast path against the general one, display names, qualifiers and
 * hints, misses and suggestions, bad input, the overlay of user places
 * and its file reader, concurrent lookups. Needs the built index:
 * $EVMAP_DATA/gazetteer.evg (tests/run sets EVMAP_DATA). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "evmap.h"
#include "gazetteer/gaz_int.h"
#include "harness.h"

static evm_gazetteer *gz;

static void key_of(const char *s, char *out, size_t cap)
{
    struct evm_gz_words w;
    out[0] = '\0';
    if (evm__gz_words(s, strlen(s), &w) == 0)
        evm__gz_key(&w, 0, w.n, out, cap);
}

static void same_key(const char *a, const char *b)
{
    char ka[512], kb[512];
    key_of(a, ka, sizeof ka);
    key_of(b, kb, sizeof kb);
    CHECK(ka[0] && strcmp(ka, kb) == 0, "\"%s\" (%s) and \"%s\" (%s) "
          "should normalise alike", a, ka, b, kb);
}

static void test_normalise(void)
{
    same_key("Almaty", "ALMATY");
    same_key("Almaty", "Almatý");
    same_key("Алматы", "АЛМАТЫ");
    same_key("Nur-Sultan", "Nur Sultan");
    same_key("Nur-Sultan", "Nursultan");
    same_key("Al-Fashir", "El Fashir");
    same_key("As-Sulaymaniyah", "al Sulaymaniyah");
    same_key("Deir ez-Zor", "Deir al Zor");
    same_key("Kharkivs'ka Oblast'", "Kharkivs’ka Oblast’");
    same_key("Kharkivs'ka", "Kharkivska");
    same_key("St. Petersburg", "St Petersburg");
    same_key("\xef\xac\x81nland", "finland"); /* ﬁ ligature */
    same_key("İstanbul", "Istanbul");
    same_key("Tromsø", "Tromso");
    same_key("Łódź", "Lodz");
    char k1[64], k2[64];
    key_of("Paris", k1, sizeof k1);
    key_of("Parma", k2, sizeof k2);
    CHECK(strcmp(k1, k2) != 0, "different names stay different");
    /* "as" before a word not starting with s is not an article */
    key_of("as Salt", k1, sizeof k1);
    key_of("as Balt", k2, sizeof k2);
    CHECK(strcmp(k1, "alsalt") == 0 && strcmp(k2, "asbalt") == 0,
          "article rule: %s %s", k1, k2);

    struct evm_gz_words w;
    int from, to;
    const char *s = "Tengiz oil field";
    evm__gz_words(s, strlen(s), &w);
    const struct evm_gz_kindword *kw = evm__gz_strip_kind(&w, &from, &to);
    CHECK(kw && kw->kind_name && !strcmp(kw->kind_name, "oil field") &&
          from == 0 && to == 1, "kind words of \"%s\"", s);
    s = "Lake Baikal";
    evm__gz_words(s, strlen(s), &w);
    kw = evm__gz_strip_kind(&w, &from, &to);
    CHECK(kw && kw->kind == EVM_KIND_WATER && from == 1 && to == 2,
          "prefix kind word of \"%s\"", s);
    s = "Almaty";
    evm__gz_words(s, strlen(s), &w);
    CHECK(!evm__gz_strip_kind(&w, &from, &to), "a bare name has no kind");
    s = "Field"; /* a kind word alone is a name */
    evm__gz_words(s, strlen(s), &w);
    CHECK(!evm__gz_strip_kind(&w, &from, &to), "\"Field\" stays a name");
    CHECK(evm__gz_parse_kind("oil field") != NULL, "kind \"oil field\"");
    CHECK(evm__gz_parse_kind("Airport") != NULL, "kind \"Airport\"");
    CHECK(evm__gz_parse_kind("airports") != NULL, "kind \"airports\"");
    CHECK(evm__gz_parse_kind("wibble") == NULL, "unknown kind");
    CHECK_STR(evm_kind_str(EVM_KIND_AIRPORT), "airport", "kind str");
    CHECK_STR(evm_kind_str((evm_kind)99), "unknown", "bad kind str");
}

/* The ASCII shortcut of evm__gz_words must split and fold exactly as
 * the utf8proc path does. */
static int same_words(const char *s, size_t n)
{
    struct evm_gz_words a, b;
    int ra = evm__gz_words(s, n, &a), rb = evm__gz_words_unicode(s, n, &b);
    if (ra != rb)
        return 0;
    if (ra < 0)
        return 1;
    if (a.n != b.n || a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0)
        return 0;
    for (int i = 0; i < a.n; i++)
        if (a.start[i] != b.start[i] || a.wlen[i] != b.wlen[i])
            return 0;
    return 1;
}

static void test_ascii_words(void)
{
    static const char *const fixed[] = {
        "Almaty", "ALMATY", "Nur-Sultan", "Kharkivs'ka Oblast'", "al-Fashir",
        "El Fasher", "as Salt", "as Balt", "Deir ez-Zor", "ash-Sham",
        "St. Petersburg", "O`Higgins", "  Lake   Baikal  ", "A1 B2-C3",
        "San Jose (CA)", "x/y\\z", "ad Dawhah", "et Tur", "en Nahud", ""};
    int bad = 0;
    const char *first = NULL;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!same_words(fixed[i], strlen(fixed[i]))) {
            bad++;
            first = first ? first : fixed[i];
        }
    /* every printable character alone and between letters */
    char buf[8];
    for (int c = 1; c < 128; c++) {
        buf[0] = (char)c;
        if (!same_words(buf, 1))
            bad++;
        snprintf(buf, sizeof buf, "a%cb", c);
        if (!same_words(buf, 3))
            bad++;
    }
    /* pseudo-random ASCII text, some of it longer than the word cap */
    unsigned x = 12345;
    char text[600];
    for (int r = 0; r < 2000; r++) {
        size_t n = (size_t)(r % 7 == 0 ? 300 + r % 290 : 1 + r % 40);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            static const char pool[] = "aelrsADZ- '`.,/0:t";
            text[i] = (x >> 16) % 3 ? pool[(x >> 8) % (sizeof pool - 1)]
                                    : (char)(32 + (x >> 20) % 95);
        }
        if (!same_words(text, n))
            bad++;
    }
    CHECK(bad == 0, "ASCII words differ from utf8proc's in %d cases%s%s",
          bad, first ? ", e.g. " : "", first ? first : "");
}

/* The best match for q (opts may be NULL); returns 1 if there is one. */
static int top(const char *q, const evm_geocode_opts *o, evm_place *p)
{
    evm_error e = {0};
    int n = evm_geocode(gz, q, o, p, 1, &e);
    CHECK(n >= 0, "\"%s\": error %s", q, e.msg);
    return n == 1;
}

static void expect(const char *q, const char *cc, double lat, double lon,
                   double tol, evm_kind kind)
{
    evm_place p;
    if (!top(q, NULL, &p)) {
        CHECK(0, "\"%s\" resolved to nothing", q);
        return;
    }
    CHECK_STR(p.country, cc, q);
    CHECK_NEAR(p.lat, lat, tol, q);
    CHECK_NEAR(p.lon, lon, tol, q);
    CHECK(p.kind == kind, "\"%s\": kind %s, want %s", q,
          evm_kind_str(p.kind), evm_kind_str(kind));
    CHECK(p.score > 0 && p.score <= 1, "\"%s\": score %g", q, p.score);
}

static void same_place(const char *a, const char *b)
{
    evm_place pa, pb;
    int ha = top(a, NULL, &pa), hb = top(b, NULL, &pb);
    CHECK(ha && hb && strcmp(pa.id, pb.id) == 0,
          "\"%s\" (%s) and \"%s\" (%s) should be one place", a,
          ha ? pa.id : "-", b, hb ? pb.id : "-");
}

static void test_lookup(void)
{
    evm_place p;
    CHECK(top("Almaty", NULL, &p), "Almaty resolves");
    CHECK_STR(p.id, "geonames:1526384", "Almaty id");
    CHECK_STR(p.source, "GeoNames", "Almaty source");
    CHECK_STR(p.admin1, "Almaty", "Almaty admin1");
    CHECK(p.population > 1500000, "Almaty population %ld", p.population);
    CHECK(p.kind == EVM_KIND_CITY, "Almaty is a city");
    CHECK(p.score > 0.9, "an exact, prominent match scores high: %g",
          p.score);
    expect("Almaty", "KZ", 43.25, 76.91, 0.05, EVM_KIND_CITY);
    same_place("Almaty", "Alma-Ata");
    same_place("Almaty", "Alma Ata");
    same_place("Almaty", "Алматы");
    same_place("Almaty", "ALMATY");
    same_place("Almaty", "  almaty  ");

    CHECK(top("Almaty International Airport", NULL, &p), "airport");
    CHECK_STR(p.id, "ourairports:UAAA", "Almaty airport id");
    CHECK(p.kind == EVM_KIND_AIRPORT, "airport kind");
    same_place("Almaty International Airport", "ALA");
    same_place("Almaty International Airport", "UAAA");
    same_place("Almaty International Airport", "Almaty airport");

    /* Tengiz: the oil field in Atyrau Region, not the lake */
    expect("Tengiz", "KZ", 46.15, 53.38, 0.05, EVM_KIND_SITE);
    expect("Tengiz oil field", "KZ", 46.15, 53.38, 0.05, EVM_KIND_SITE);
    CHECK(top("Tengiz oil field", NULL, &p) && strstr(p.admin1, "Atyrau"),
          "Tengiz field lies in Atyrau region: %s", p.admin1);
    CHECK(top("Lake Tengiz", NULL, &p) && p.kind == EVM_KIND_WATER &&
          fabs(p.lat - 50.4) < 0.3, "Lake Tengiz is the lake");
    evm_geocode_opts ko = {.kind = "lake"};
    CHECK(top("Tengiz", &ko, &p) && p.kind == EVM_KIND_WATER,
          "Tengiz with kind lake is the lake");

    expect("Moscow", "RU", 55.75, 37.62, 0.1, EVM_KIND_CITY);
    expect("Москва", "RU", 55.75, 37.62, 0.1, EVM_KIND_CITY);
    expect("Ivanovo", "RU", 57.0, 40.97, 0.1, EVM_KIND_CITY);
    expect("Kazakhstan", "KZ", 48.2, 67.3, 1.0, EVM_KIND_COUNTRY);
    expect("Казахстан", "KZ", 48.2, 67.3, 1.0, EVM_KIND_COUNTRY);
    expect("Astana", "KZ", 51.17, 71.43, 0.1, EVM_KIND_CITY);
    same_place("Astana", "Nur-Sultan");
    same_place("Astana", "Akmola");
    expect("Kyiv", "UA", 50.45, 30.52, 0.1, EVM_KIND_CITY);
    same_place("Kyiv", "Київ");
    same_place("Kyiv", "Kiev");
    same_place("Kyiv", "Киев");
    /* homonyms go where a reader expects */
    expect("Paris", "FR", 48.85, 2.35, 0.1, EVM_KIND_CITY);
    expect("Sydney", "AU", -33.87, 151.21, 0.1, EVM_KIND_CITY);
    expect("London", "GB", 51.51, -0.13, 0.1, EVM_KIND_CITY);
    expect("Georgia", "GE", 42.2, 43.5, 1.5, EVM_KIND_COUNTRY);
    expect("Kharkiv", "UA", 49.98, 36.25, 0.1, EVM_KIND_CITY);
    expect("Texas", "US", 31.1, -98.8, 1.5, EVM_KIND_ADMIN1);
    /* qualifiers */
    expect("Moscow, Idaho", "US", 46.73, -117.0, 0.1, EVM_KIND_CITY);
    expect("Moscow, ID", "US", 46.73, -117.0, 0.1, EVM_KIND_CITY);
    expect("Paris, Texas", "US", 33.66, -95.56, 0.1, EVM_KIND_CITY);
    expect("Paris, TX", "US", 33.66, -95.56, 0.1, EVM_KIND_CITY);
    expect("Paris, Texas, United States", "US", 33.66, -95.56, 0.1,
           EVM_KIND_CITY);
    /* a town's former name means the town, not a village of that name
     * a tenth its size; a qualifier can still ask for the village */
    expect("Artemivsk", "UA", 48.594, 38.0, 0.05, EVM_KIND_CITY);
    expect("Artemivsk, Luhansk", "UA", 48.44, 38.73, 0.05, EVM_KIND_CITY);
    expect("Almaty, KZ", "KZ", 43.25, 76.91, 0.05, EVM_KIND_CITY);
    expect("Almaty, Kazakhstan", "KZ", 43.25, 76.91, 0.05, EVM_KIND_CITY);
    expect("Kharkiv, Kharkivs'ka Oblast', Ukraine", "UA", 49.98, 36.25, 0.1,
           EVM_KIND_CITY);
    expect("Republic Square, Almaty", "KZ", 43.238, 76.945, 0.01,
           EVM_KIND_SITE);
    expect("Almaty Region", "KZ", 45.0, 78.2, 1.0, EVM_KIND_ADMIN1);
    /* Arabic article and spelling variants */
    expect("El Fasher", "SD", 13.63, 25.35, 0.1, EVM_KIND_CITY);
    same_place("El Fasher", "Al-Fashir");
    same_place("El Fasher", "al Fashir");
    /* sites and seas */
    expect("Zaporizhzhia NPP", "UA", 47.51, 34.59, 0.05, EVM_KIND_SITE);
    expect("Akorda", "KZ", 51.13, 71.45, 0.05, EVM_KIND_SITE);
    expect("Baikonur Cosmodrome", "KZ", 45.96, 63.31, 0.05, EVM_KIND_SITE);
    expect("Black Sea", "", 43.0, 34.0, 0.5, EVM_KIND_WATER);
    expect("Laukkaing town", "MM", 23.70, 98.76, 0.05, EVM_KIND_CITY);

    /* a wrong qualifier is no namesake elsewhere: the qualifier's own
     * area, said to be one */
    evm_error e = {0};
    evm_place many[5];
    CHECK(evm_geocode(gz, "Almaty, Uzbekistan", NULL, many, 5, &e) == 1 &&
              many[0].fallback && !strcmp(many[0].country, "UZ") &&
              many[0].precision == EVM_PREC_COUNTRY,
          "a qualifier rules places out");
    CHECK(evm_geocode(gz, "Tengiz airport", NULL, many, 5, &e) >= 1 &&
          many[0].kind == EVM_KIND_AIRPORT, "Tengiz airport");
    /* max, order, scores */
    int n = evm_geocode(gz, "Paris", NULL, many, 5, &e);
    CHECK(n == 5, "Paris has many homonyms: %d", n);
    for (int i = 1; i < n; i++)
        CHECK(many[i].score <= many[i - 1].score && many[i].score >= 0,
              "scores descend");
    evm_place again[5];
    CHECK(evm_geocode(gz, "Paris", NULL, again, 5, &e) == n, "repeatable");
    for (int i = 0; i < n; i++)
        CHECK(strcmp(many[i].id, again[i].id) == 0, "deterministic order");
    CHECK(evm_geocode(gz, "Paris", NULL, NULL, 0, &e) == 0,
          "max 0 returns 0");
}

/* The fast path (bare names) and the general path give the same
 * answers: names of places across the whole index, alternate names (as
 * the index's keys), codes, with and without a context country. */
static int compare_paths(const char *q, const evm_geocode_opts *o,
                         char *why, size_t cap)
{
    evm_place a[3], b[3];
    evm_error ea = {0}, eb = {0};
    int na = evm__geocode(gz, q, o, a, 3, 1, &ea);
    int nb = evm__geocode(gz, q, o, b, 3, 0, &eb);
    if (na != nb) {
        snprintf(why, cap, "\"%s\": %d matches, general path %d", q, na, nb);
        return 0;
    }
    if (na < 0)
        return strcmp(ea.msg, eb.msg) == 0;
    for (int i = 0; i < na; i++)
        if (strcmp(a[i].id, b[i].id) != 0 || a[i].score != b[i].score ||
            strcmp(a[i].name, b[i].name) != 0) {
            snprintf(why, cap, "\"%s\" #%d: %s %s %.3f, general path %s %s "
                     "%.3f", q, i + 1, a[i].id, a[i].name, a[i].score,
                     b[i].id, b[i].name, b[i].score);
            return 0;
        }
    return na > 0 ? 2 : 1;
}

static void test_fast_path(void)
{
    const struct evm_gz_header *h = gz->h;
    char why[512] = "", q[512];
    int n = 0, hits = 0, bad = 0;
    evm_geocode_opts kz = {.country = "KZ"};
    /* 2500 places spread over the index, most prominent to least */
    for (uint32_t k = 0; k < 2500; k++) {
        evm_place p;
        evm__gz_place_out(gz, (uint32_t)((uint64_t)k * h->nplaces / 2500),
                          &p);
        snprintf(q, sizeof q, "%s", p.name);
        int r = compare_paths(q, k % 5 ? NULL : &kz, why, sizeof why);
        n++;
        /* the context country filters: a miss there is an answer */
        hits += r == 2 || (k % 5 == 0 && r == 1 && strcmp(p.country, "KZ"));
        bad += r == 0;
    }
    /* 1500 normalised names (alternate names, codes, former names) */
    for (uint32_t k = 0; k < 1500; k++) {
        const struct evm_gz_key *key =
            &gz->keys[(uint64_t)k * h->nkeys / 1500];
        snprintf(q, sizeof q, "%s", evm__gz_str(gz, key->str));
        if (k % 3 == 0) /* codes are looked up in capitals too */
            for (char *c = q; *c; c++)
                if (*c >= 'a' && *c <= 'z')
                    *c = (char)(*c - 32);
        int r = compare_paths(q, NULL, why, sizeof why);
        n++;
        hits += r == 2;
        bad += r == 0;
    }
    static const char *const more[] = {"Paris", "Almaty", "ALA", "UAAA",
                                       "Georgia", "Texas", "Kharkiv",
                                       "New York", "Aktau", "Shevchenko",
                                       "Moscow", "Springfield", "Qxzqxz"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        int r = compare_paths(more[i], NULL, why, sizeof why);
        n++;
        hits += r == 2;
        bad += r == 0;
    }
    CHECK(bad == 0, "fast path differs from the general path in %d of %d "
          "queries, e.g. %s", bad, n, why);
    CHECK(hits > n * 9 / 10, "most of the index's names resolve: %d of %d",
          hits, n);
}

/* GeoNames gives some towns a former name as their primary name (Aktau
 * is "Shevchenko", geonames:610612); a query by the current name shows
 * it. */
static void test_display_names(void)
{
    evm_place p;
    CHECK(top("Aktau", NULL, &p), "Aktau resolves");
    CHECK_STR(p.name, "Aktau", "Aktau display name");
    CHECK_STR(p.id, "geonames:610612", "Aktau id");
    CHECK_STR(p.country, "KZ", "Aktau country");
    CHECK(strstr(p.admin1, "Mang") != NULL, "Aktau lies in Mangystau: %s",
          p.admin1);
    CHECK_NEAR(p.lat, 43.65, 0.05, "Aktau lat");
    CHECK_NEAR(p.lon, 51.17, 0.05, "Aktau lon");
    CHECK(p.kind == EVM_KIND_CITY && p.population > 100000,
          "Aktau is a city of %ld", p.population);
    CHECK(top("AKTAU", NULL, &p) && !strcmp(p.name, "Aktau"),
          "display name whatever the case: %s", p.name);
    evm_geocode_opts kz = {.country = "KZ"};
    CHECK(top("Aktau", &kz, &p) && !strcmp(p.name, "Aktau") &&
          !strcmp(p.id, "geonames:610612"), "Aktau with context KZ: %s",
          p.name);
    /* the same town by its GeoNames name keeps that name */
    same_place("Aktau", "Shevchenko");
    same_place("Aktau", "Aqtau");
    same_place("Aktau", "Актау");
    CHECK(top("Kropyvnytskyi", NULL, &p) && !strcmp(p.name, "Kropyvnytskyi"),
          "Kropyvnytskyi: %s", p.name);
    same_place("Kropyvnytskyi", "Kirovohrad");
    same_place("Kropyvnytskyi", "Kirovograd");
    CHECK(top("Kirovohrad", NULL, &p) && strncmp(p.name, "Kropyvnytsky", 12)
          == 0, "Kirovohrad shows the current name: %s", p.name);
    /* renamed places whose GeoNames name is the current one */
    CHECK(top("Nur-Sultan", NULL, &p) && !strcmp(p.name, "Astana"),
          "Nur-Sultan is Astana: %s", p.name);
    CHECK(top("Tselinograd", NULL, &p) && !strcmp(p.name, "Astana"),
          "Tselinograd is Astana: %s", p.name);
    CHECK(top("Kiev", NULL, &p) && !strcmp(p.name, "Kyiv"), "Kiev: %s",
          p.name);
    CHECK(top("Dnipropetrovsk", NULL, &p) && !strcmp(p.name, "Dnipro") &&
          p.kind == EVM_KIND_CITY, "Dnipropetrovsk is Dnipro: %s", p.name);
    CHECK(top("Dnipro", NULL, &p) && p.kind == EVM_KIND_CITY &&
          !strcmp(p.country, "UA"), "Dnipro is the city");
    CHECK(top("Bakhmut", NULL, &p) && !strcmp(p.name, "Bakhmut"),
          "Bakhmut: %s", p.name);
    same_place("Bakhmut", "Artemovsk");
    same_place("Bakhmut", "Артемовск");
    /* "Artemivsk" is also a village's own name in GeoNames: both come */
    evm_place m[3];
    evm_error e = {0};
    int n = evm_geocode(gz, "Artemivsk", NULL, m, 3, &e);
    int seen = 0;
    for (int i = 0; i < n && i < 2; i++)
        seen |= !strcmp(m[i].name, "Bakhmut");
    CHECK(seen, "Bakhmut among the first two for Artemivsk");
    CHECK(top("Volgograd", NULL, &p) && top("Stalingrad", NULL, &m[0]) &&
          !strcmp(p.id, m[0].id) && !strcmp(m[0].name, "Volgograd"),
          "Stalingrad is Volgograd: %s", m[0].name);
    CHECK(top("Ulaanbaatar", NULL, &p) && !strcmp(p.name, "Ulaanbaatar") &&
          !strcmp(p.country, "MN"), "Ulaanbaatar: %s", p.name);
    /* the current name is shown only when the query names the town by
     * it: where the two sources disagree, the user's name stands */
    CHECK(top("Gqeberha", NULL, &p) && !strcmp(p.name, "Gqeberha"),
          "Gqeberha: %s", p.name);
    same_place("Gqeberha", "Port Elizabeth");
    /* suggestions propose the current name too */
    const evm_place *s[5];
    n = evm_geocode_suggest(gz, "Aktauu", s, 5);
    CHECK(n >= 1 && !strcmp(s[0]->id, "geonames:610612") &&
          !strcmp(s[0]->name, "Aktau"), "Aktauu -> did you mean Aktau (%s)",
          n ? s[0]->name : "-");
}

static void test_opts(void)
{
    evm_place p;
    evm_geocode_opts o = {.country = "US"};
    CHECK(top("Paris", &o, &p) && !strcmp(p.country, "US"),
          "--country US Paris");
    o.country = "United States";
    CHECK(top("Paris", &o, &p) && !strcmp(p.country, "US"),
          "country by name");
    /* the country is a filter: names elsewhere do not resolve */
    o.country = "KZ";
    CHECK(!top("Ivanovo", &o, &p), "--country KZ Ivanovo: nothing");
    o.country = "FR";
    CHECK(!top("Almaty", &o, &p), "--country FR Almaty: nothing");
    evm_geocode_opts near = {.has_near = 1, .near_lat = 46.7,
                             .near_lon = -117.0};
    CHECK(top("Moscow", &near, &p) && !strcmp(p.country, "US"),
          "near Idaho, Moscow is Moscow, Idaho");
    evm_geocode_opts k = {.kind = "airport"};
    CHECK(top("Almaty", &k, &p) && p.kind == EVM_KIND_AIRPORT,
          "kind airport");
    evm_error e = {0};
    evm_geocode_opts bad = {.kind = "wibble"};
    CHECK(evm_geocode(gz, "Almaty", &bad, &p, 1, &e) == -1 &&
          e.code == EVM_E_INPUT && strstr(e.msg, "wibble"), "bad kind");
    evm_error_clear(&e);
    evm_geocode_opts badc = {.country = "Narnia"};
    CHECK(evm_geocode(gz, "Almaty", &badc, &p, 1, &e) == -1 &&
          e.code == EVM_E_INPUT && strstr(e.msg, "Narnia"),
          "bad country");
    evm_error_clear(&e);
    evm_geocode_opts badn = {.has_near = 1, .near_lat = 95};
    CHECK(evm_geocode(gz, "Almaty", &badn, &p, 1, &e) == -1,
          "bad near point");
}

static void test_miss(void)
{
    evm_error e = {0};
    evm_place p;
    const evm_place *s[5];
    CHECK(evm_geocode(gz, "Almatty", NULL, &p, 1, &e) == 0 &&
          e.code == EVM_OK, "a miss is 0 matches, not an error");
    int n = evm_geocode_suggest(gz, "Almatty", s, 5);
    CHECK(n >= 1 && !strcmp(s[0]->id, "geonames:1526384"),
          "Almatty -> did you mean Almaty (%s)", n ? s[0]->name : "-");
    n = evm_geocode_suggest(gz, "Kharkov oblast", s, 5);
    CHECK(n >= 0, "suggest with kind words");
    n = evm_geocode_suggest(gz, "Алмати", s, 5);
    CHECK(n >= 1, "suggestions for Cyrillic");
    const evm_place *s1[5], *s2[5];
    int n1 = evm_geocode_suggest(gz, "Almatty", s1, 5);
    int n2 = evm_geocode_suggest(gz, "Almatty", s2, 5);
    CHECK(n1 >= 1 && n2 == n1 && s1[0] == s2[0],
          "suggestions are stable, borrowed places");
    CHECK(evm_geocode(gz, "Qxzqxzqxz", NULL, &p, 1, &e) == 0, "nonsense");
    CHECK(evm_geocode_suggest(gz, "Qxzqxzqxz", s, 5) == 0,
          "no suggestions for nonsense");
    CHECK(evm_geocode_suggest(gz, "", s, 5) == 0, "none for empty");
}

static void bad_query(const char *q, const char *what)
{
    evm_error e = {0};
    evm_place p;
    CHECK(evm_geocode(gz, q, NULL, &p, 1, &e) == -1 &&
          e.code == EVM_E_INPUT && e.msg[0] && !strchr(e.msg, '\n'),
          "%s: want one-line EVM_E_INPUT, got %d \"%s\"", what, e.code,
          e.msg);
}

static void test_bad_input(void)
{
    bad_query("", "empty");
    bad_query("   ", "blank");
    bad_query(", KZ", "empty name with qualifier");
    bad_query("\xff\xfe", "invalid UTF-8");
    bad_query("Alm\xc3", "truncated UTF-8");
    bad_query("Alm\x01" "aty", "control character");
    bad_query("Alm\naty", "newline");
    bad_query("Alm\xc2\x85" "aty", "C1 control");
    bad_query("!!!", "no letters");
    char *big = malloc(100 * 1024 + 1);
    memset(big, 'a', 100 * 1024);
    big[100 * 1024] = '\0';
    bad_query(big, "100 KB name");
    free(big);
    /* first error wins */
    evm_error e = {0};
    evm_place p;
    evm_geocode(gz, "", NULL, &p, 1, &e);
    char first[sizeof e.msg];
    strcpy(first, e.msg);
    evm_geocode(gz, "\xff", NULL, &p, 1, &e);
    CHECK_STR(e.msg, first, "first error wins");
    CHECK(evm_geocode(NULL, "x", NULL, &p, 1, NULL) == -1, "NULL handle");
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", getenv("TMPD") ? getenv("TMPD")
                                                         : "/tmp", name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_overlay(void)
{
    evm_error e = {0};
    evm_gazetteer *g = evm_gazetteer_open(NULL, &e);
    CHECK(g != NULL, "open: %s", e.msg);
    if (!g)
        return;
    evm_place p;
    CHECK(evm_gazetteer_add_place(g, "Almaty", 1.5, 2.5, "KZ", "city", &e) ==
              EVM_OK, "add_place: %s", e.msg);
    CHECK(evm_geocode(g, "Almaty", NULL, &p, 1, &e) == 1 &&
          fabs(p.lat - 1.5) < 1e-9 && !strcmp(p.source, "user"),
          "an overlay place wins over a shipped one of the same name");
    CHECK(evm_geocode(gz, "Almaty", NULL, &p, 1, &e) == 1 &&
          fabs(p.lat - 43.25) < 0.1, "other handles are unaffected");
    CHECK(evm_gazetteer_add_place(g, "X", 91, 0, NULL, NULL, &e) ==
              EVM_E_INPUT, "latitude out of range");
    evm_error_clear(&e);
    CHECK(evm_gazetteer_add_place(g, "", 1, 1, NULL, NULL, &e) ==
              EVM_E_INPUT, "empty name");
    evm_error_clear(&e);
    CHECK(evm_gazetteer_add_place(g, "Q", 1, 1, "Narnia", NULL, &e) ==
              EVM_E_INPUT, "unknown country");
    evm_error_clear(&e);

    const char *csv = write_tmp("gz_places.csv",
                                "name,lat,lon,country,kind\n"
                                "\"Checkpoint Alpha, north\",43.3,76.8,KZ,"
                                "checkpoint\n"
                                "Zhetysu Square,43.2,76.9,Kazakhstan,"
                                "square\n");
    CHECK(csv && evm_gazetteer_add_places(g, csv, &e) == EVM_OK,
          "add_places csv: %s", e.msg);
    CHECK(evm_geocode(g, "Checkpoint Alpha, north", NULL, &p, 1, &e) >= 0,
          "quoted name with a comma");
    CHECK(evm_geocode(g, "Zhetysu Square", NULL, &p, 1, &e) == 1 &&
          !strcmp(p.source, "gz_places.csv") && !strcmp(p.country, "KZ") &&
          p.kind == EVM_KIND_SITE, "user square: %s %s", p.source,
          p.country);
    const char *tsv = write_tmp("gz_places.tsv",
                                "Camp Zulu\t-1.5\t30.25\n"
                                "Ridge 7\t-1.6\t30.3\n");
    CHECK(tsv && evm_gazetteer_add_places(g, tsv, &e) == EVM_OK,
          "add_places tsv without header: %s", e.msg);
    CHECK(evm_geocode(g, "camp zulu", NULL, &p, 1, &e) == 1 &&
          fabs(p.lon - 30.25) < 1e-9, "tsv place");
    evm_gazetteer_close(g);

    /* every file of the bad-input corpus fails with file:line */
    const char *bad[] = {"ragged.csv", "nonnumeric_lat.csv",
                         "lat_range.csv", "lon_range.csv", "empty_name.csv",
                         "bad_utf8.csv", "control_char.csv",
                         "unclosed_quote.csv", "bad_header.csv",
                         "unknown_country.csv", "empty.csv", "ragged.tsv",
                         NULL};
    const char *root = getenv("EVMAP_ROOT") ? getenv("EVMAP_ROOT") : ".";
    for (int i = 0; bad[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/bad/places/%s", root, bad[i]);
        evm_gazetteer *b = evm_gazetteer_open(NULL, &e);
        if (!b)
            break;
        evm_error be = {0};
        evm_status st = evm_gazetteer_add_places(b, path, &be);
        CHECK(st == EVM_E_INPUT && strstr(be.msg, bad[i]) &&
              !strchr(be.msg, '\n'),
              "%s: want EVM_E_INPUT naming the file, got %d \"%s\"", bad[i],
              st, be.msg);
        CHECK(evm_geocode(b, "Good Place", NULL, &p, 1, &e) == 0 ||
              strcmp(p.source, bad[i]) != 0,
              "%s: no partial overlay", bad[i]);
        evm_gazetteer_close(b);
    }
    evm_error me = {0};
    g = evm_gazetteer_open(NULL, &e);
    CHECK(g && evm_gazetteer_add_places(g, "/nonexistent/x.csv", &me) ==
                   EVM_E_IO, "missing file is an I/O error");
    evm_gazetteer_close(g);
    evm_gazetteer_close(NULL);
}

static void test_open_errors(void)
{
    evm_error e = {0};
    CHECK(evm_gazetteer_open("/nonexistent.evg", &e) == NULL &&
          e.code == EVM_E_IO, "missing index");
    evm_error_clear(&e);
    char text[1024];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    const char *junk = write_tmp("junk.evg", text);
    CHECK(junk && evm_gazetteer_open(junk, &e) == NULL &&
          e.code == EVM_E_IO && strstr(e.msg, "rebuild"), "junk index: %s",
          e.msg);
}

static void *worker(void *arg)
{
    static const char *const q[] = {"Almaty", "Paris", "Kyiv", "Tengiz",
                                    "Moscow, Idaho", "ALA", "Almatty"};
    int *bad = arg;
    for (int r = 0; r < 300; r++) {
        evm_place p;
        evm_error e = {0};
        const evm_place *s[3];
        int i = r % 7;
        int n = evm_geocode(gz, q[i], NULL, &p, 1, &e);
        if (i == 6) {
            if (n != 0 || evm_geocode_suggest(gz, q[i], s, 3) < 1)
                (*bad)++;
        } else if (n != 1) {
            (*bad)++;
        }
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[4];
    int bad[4] = {0};
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, &bad[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK(bad[0] + bad[1] + bad[2] + bad[3] == 0,
          "concurrent lookups agree");
}

int main(void)
{
    evm_error e = {0};
    test_normalise();
    test_ascii_words();
    gz = evm_gazetteer_open(NULL, &e);
    CHECK(gz != NULL, "open the shipped index: %s", e.msg);
    if (!gz)
        TEST_REPORT();
    test_lookup();
    test_fast_path();
    test_display_names();
    test_opts();
    test_miss();
    test_bad_input();
    test_overlay();
    test_open_errors();
    test_threads();
    evm_gazetteer_close(gz);
    TEST_REPORT();
}
