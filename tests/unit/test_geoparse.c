/* evm_geoparse on documents written for these tests (US local news,
 * world news, conflict reports): which words are places, where they are,
 * and which look like places but are not; code point offsets; bad input. */
#include <math.h>

#include "evmap.h"
#include "harness.h"

static evm_gazetteer *gz;

static long parse(const char *text, evm_toponym **t)
{
    evm_error err = {0};
    long n = evm_geoparse(gz, text, strlen(text), NULL, t, &err);
    CHECK(n >= 0, "geoparse failed: %s", err.msg);
    return n;
}

/* The toponym whose text is word (its first occurrence), or NULL. */
static const evm_toponym *find(const char *text, const evm_toponym *t,
                               long n, const char *word)
{
    for (long i = 0; i < n; i++)
        if (t[i].byte_end - t[i].byte_start >= strlen(word) &&
            !strncmp(text + t[i].byte_start, word, strlen(word)))
            return &t[i];
    return NULL;
}

static double km(double la1, double lo1, double la2, double lo2)
{
    double r = M_PI / 180, dla = (la2 - la1) * r, dlo = (lo2 - lo1) * r;
    double h = sin(dla / 2) * sin(dla / 2) +
               cos(la1 * r) * cos(la2 * r) * sin(dlo / 2) * sin(dlo / 2);
    return 2 * 6371 * asin(sqrt(h));
}

struct want {
    const char *word, *cc;
    double lat, lon; /* within 161 km */
};

static void expect(const char *text, const struct want *w, int nw,
                   const char *const *not, int nnot)
{
    evm_toponym *t = NULL;
    long n = parse(text, &t);
    for (int i = 0; i < nw; i++) {
        const evm_toponym *x = find(text, t, n, w[i].word);
        CHECK(x != NULL, "\"%s\" not found as a place in: %.60s...",
              w[i].word, text);
        if (!x)
            continue;
        CHECK(x->resolved && !strcmp(x->place.country, w[i].cc),
              "\"%s\" resolved to %s (%s), want %s", w[i].word,
              x->place.name, x->place.country, w[i].cc);
        double d = km(x->place.lat, x->place.lon, w[i].lat, w[i].lon);
        CHECK(d < 161, "\"%s\" placed %.0f km away (%s)", w[i].word, d,
              x->place.name);
    }
    for (int i = 0; i < nnot; i++)
        CHECK(find(text, t, n, not[i]) == NULL,
              "\"%s\" taken for a place in: %.60s...", not[i], text);
    free(t);
}

static void us_local(void)
{
    const char *text =
        "SPRINGFIELD, Ill. (AP) - Police in Springfield said Tuesday that "
        "two people were hurt when a truck hit a school bus on Route 4 "
        "near Chatham. Mayor Jim Langfelder said the Sangamon County "
        "sheriff's office would review the crash. Officials in Peoria and "
        "Chicago sent help. March is the busiest month for road works, the "
        "Illinois Department of Transportation said.";
    struct want w[] = {
        {"SPRINGFIELD", "US", 39.80, -89.64},
        {"Chatham", "US", 39.68, -89.70},
        {"Peoria", "US", 40.69, -89.59},
        {"Chicago", "US", 41.85, -87.65},
        {"Illinois", "US", 40.0, -89.2},
    };
    const char *not[] = {"Police", "Jim", "Langfelder", "March", "Tuesday",
                         "Mayor"};
    expect(text, w, 5, not, 6);
}

static void us_paris_texas(void)
{
    const char *text =
        "Storms swept across northeast Texas on Sunday. In Paris, Texas, "
        "the Lamar County emergency office opened a shelter, and roads to "
        "Clarksville and Sulphur Springs were closed.";
    struct want w[] = {
        {"Texas", "US", 31.1, -98.7},
        {"Paris", "US", 33.66, -95.55},
        {"Clarksville", "US", 33.61, -95.05},
        {"Sulphur Springs", "US", 33.14, -95.60},
    };
    expect(text, w, 4, NULL, 0);
}

static void world_kazakhstan(void)
{
    const char *text =
        "ALMATY, Jan 6 (Reuters) - Kazakhstan's president said Russian-led "
        "troops had arrived after protesters stormed Almaty airport. Ned "
        "Price, the U.S. State Department spokesman, said Washington was "
        "watching. Chevron said output at the Tengiz field was cut, TASS "
        "reported.";
    struct want w[] = {
        {"ALMATY", "KZ", 43.25, 76.91},
        {"Kazakhstan", "KZ", 48.0, 67.0},
        {"Almaty airport", "KZ", 43.35, 77.04},
        {"U.S.", "US", 39.5, -99.0},
        {"Washington", "US", 38.90, -77.04},
        {"Tengiz field", "KZ", 46.15, 53.38},
    };
    const char *not[] = {"Ned", "Price", "Chevron", "TASS", "Reuters",
                         "State Department", "Jan"};
    expect(text, w, 6, not, 7);
}

static void world_sudan(void)
{
    const char *text =
        "Fighting between the army and the Rapid Support Forces spread from "
        "Khartoum to Omdurman and El Fasher on Saturday, the United Nations "
        "said. Thousands fled west toward Chad. In Port Sudan, aid agencies "
        "said supplies were running out.";
    struct want w[] = {
        {"Khartoum", "SD", 15.55, 32.53},
        {"Omdurman", "SD", 15.64, 32.48},
        {"El Fasher", "SD", 13.63, 25.35},
        {"Chad", "TD", 15.0, 19.0},
        {"Port Sudan", "SD", 19.62, 37.22},
    };
    const char *not[] = {"Saturday", "Rapid Support Forces", "United Nations"};
    expect(text, w, 5, not, 3);
}

static void world_georgia(void)
{
    /* Georgia the country next to Tbilisi; Georgia the state next to
     * Atlanta */
    const char *a = "Protesters filled the streets of Tbilisi, the capital of "
                    "Georgia, as lawmakers in the former Soviet republic "
                    "debated the bill.";
    const char *b = "Voters in Atlanta and Savannah lined up for hours as "
                    "Georgia counted ballots for the Senate race.";
    struct want wa[] = {{"Tbilisi", "GE", 41.69, 44.83},
                        {"Georgia", "GE", 42.2, 43.5}};
    struct want wb[] = {{"Atlanta", "US", 33.75, -84.39},
                        {"Savannah", "US", 32.08, -81.10},
                        {"Georgia", "US", 32.9, -83.4}};
    expect(a, wa, 2, NULL, 0);
    expect(b, wb, 3, NULL, 0);
}

static void ukraine(void)
{
    const char *text =
        "Russian forces shelled Kharkiv overnight and pushed toward "
        "Kupiansk, the Kherson region governor said. In the Black Sea port "
        "of Odesa, air defences shot down drones. President Zelenskiy "
        "spoke with German Chancellor Olaf Scholz.";
    struct want w[] = {
        {"Kharkiv", "UA", 49.98, 36.25},
        {"Kupiansk", "UA", 49.71, 37.62},
        {"Kherson", "UA", 46.7, 33.5},
        {"Odesa", "UA", 46.48, 30.73},
    };
    const char *not[] = {"Zelenskiy", "Olaf", "Scholz", "Russian", "German"};
    expect(text, w, 4, not, 5);
}

static void offsets(void)
{
    /* code points, not bytes: "Zürich" and an emoji before "Bern" */
    const char *text = "Zürich \xF0\x9F\x98\x80 and Bern.";
    evm_toponym *t = NULL;
    long n = parse(text, &t);
    const evm_toponym *z = find(text, t, n, "Zürich");
    const evm_toponym *b = find(text, t, n, "Bern");
    CHECK(z && z->start == 0 && z->end == 6, "Zürich spans [0, 6)");
    CHECK(b && b->start == 13 && b->end == 17, "Bern spans [13, 17): %zu",
          b ? b->start : 0);
    CHECK(b && b->byte_start == 17, "Bern starts at byte 17");
    free(t);
    /* possessive: the span stops before 's */
    const char *p = "Kazakhstan's capital";
    n = parse(p, &t);
    CHECK(n == 1 && t[0].end == 10, "possessive cut off");
    free(t);
}

static void bad_input(void)
{
    evm_toponym *t = (evm_toponym *)1;
    evm_error err = {0};
    long n = evm_geoparse(gz, "", 0, NULL, &t, &err);
    CHECK(n == 0 && t == NULL, "empty text: no places, no error");
    n = evm_geoparse(gz, "Paris \xC3(", 8, NULL, &t, &err);
    CHECK(n == -1 && err.code == EVM_E_INPUT && strstr(err.msg, "byte 6"),
          "bad UTF-8 names its byte: %s", err.msg);
    evm_error_clear(&err);
    n = evm_geoparse(gz, "no capitals here at all.", 24, NULL, &t, &err);
    CHECK(n == 0, "lower-case prose has no places");
    /* demonyms on request only */
    evm_geoparse_opts o = {.demonyms = 1, .country = NULL};
    n = evm_geoparse(gz, "Kazakh troops", 13, &o, &t, &err);
    CHECK(n == 1 && t[0].demonym && !strcmp(t[0].place.country, "KZ"),
          "Kazakh is a demonym of KZ");
    free(t);
    n = evm_geoparse(gz, "Kazakh troops", 13, NULL, &t, &err);
    CHECK(n == 0, "demonyms are not toponyms by default");
}

int main(void)
{
    evm_error err = {0};
    gz = evm_gazetteer_open(NULL, &err);
    if (!gz) {
        fprintf(stderr, "no gazetteer: %s\n", err.msg);
        return 1;
    }
    us_local();
    us_paris_texas();
    world_kazakhstan();
    world_sudan();
    world_georgia();
    ukraine();
    offsets();
    bad_input();
    evm_gazetteer_close(gz);
    TEST_REPORT();
}
