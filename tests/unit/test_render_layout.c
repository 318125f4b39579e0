/* The layout engine, through its report (evm_map_layout): every symbol at
 * its place at several scales, a pile of events drawn as one symbol at
 * its point, two piles 100 km apart each at its own place, no label
 * unaccounted for, "+N more" blocks, robust frames, the aggregate
 * styles. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>

#include "harness.h"
#include "evmap.h"
#include "core/core.h"
#include "model.h"

static evm_gazetteer *gz;

static evm_map *load(const char *yaml)
{
    evm_error err = {0};
    evm_map *m = evm_map_load_buffer("t.yaml", yaml, strlen(yaml), &err);
    if (!m) {
        fprintf(stderr, "load: %s\n", err.msg);
        return NULL;
    }
    if (evm_map_resolve(m, gz, &err) != EVM_OK) {
        fprintf(stderr, "resolve: %s\n", err.msg);
        evm_map_free(m);
        return NULL;
    }
    return m;
}

/* A growing YAML text. */
typedef struct { char *p; size_t n, cap; } text;

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
        va_end(ap);
        if (t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        t->cap = t->cap * 2 + (size_t)k + 256;
        t->p = realloc(t->p, t->cap);
        if (!t->p)
            abort();
    }
}

static char *layout_of(evm_map *m, int w, int h, int style)
{
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    o.width = w;
    o.height = h;
    o.style = style;
    char *json = NULL;
    evm_error err = {0};
    CHECK(evm_map_layout(m, &o, &json, &err) == EVM_OK, "layout: %s",
          err.msg);
    return json;
}

/* The number after "key": in s (NAN if absent). */
static double num(const char *s, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(s, k);
    return p ? strtod(p + strlen(k), NULL) : NAN;
}

/* The i-th object of the array "name" (a copy up to its closing brace),
 * or NULL. Objects in the report hold no nested braces. */
static char *item(const char *json, const char *name, int i)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": [", name);
    const char *p = strstr(json, k);
    if (!p)
        return NULL;
    p += strlen(k);
    for (int j = 0;; j++) {
        while (*p == ' ' || *p == '\n' || *p == ',')
            p++;
        if (*p != '{')
            return NULL;
        const char *e = strchr(p, '}');
        if (!e)
            return NULL;
        if (j == i)
            return evm__strndup(p, (size_t)(e - p + 1));
        p = e + 1;
    }
}

static int count_items(const char *json, const char *name)
{
    int n = 0;
    char *it;
    while ((it = item(json, name, n)) != NULL) {
        free(it);
        n++;
    }
    return n;
}

/* Every symbol within tol px of its place (a ring's markers: within two
 * symbol widths of the point). Returns how many symbols there were. */
static int symbols_at_places(const char *json, const char *what)
{
    int n = count_items(json, "symbols");
    for (int i = 0; i < n; i++) {
        char *s = item(json, "symbols", i);
        double dx = num(s, "x") - num(s, "true_x");
        double dy = num(s, "y") - num(s, "true_y");
        double r = num(s, "r");
        int ring = strstr(s, "\"ring\": true") != NULL;
        double tol = ring ? 2 * (2 * r) + 4 : 2.0;
        CHECK(hypot(dx, dy) <= tol, "%s: symbol %d drawn %.1f px from its "
              "place (allowed %.1f)", what, i, hypot(dx, dy), tol);
        free(s);
    }
    return n;
}

/* Every label block listed, shown or not, and the omitted count agrees. */
static void labels_accounted(const char *json, int blocks, const char *what)
{
    int n = count_items(json, "labels"), hidden = 0;
    for (int i = 0; i < n; i++) {
        char *s = item(json, "labels", i);
        hidden += strstr(s, "\"shown\": false") != NULL;
        free(s);
    }
    CHECK(n == blocks, "%s: %d label blocks listed, want %d", what, n,
          blocks);
    const char *om = strstr(json, "\"omitted\"");
    CHECK(om && (int)num(om, "labels") == hidden,
          "%s: omitted labels %g, labels not shown %d", what,
          om ? num(om, "labels") : NAN, hidden);
}

static void test_pile(void)
{
    text t = {0};
    add(&t, "places:\n  - { name: Sea Point, lat: 10.0, lon: 88.0 }\n"
            "events:\n");
    for (int i = 0; i < 500; i++)
        add(&t, "  - { place: Sea Point, type: %s, label: Event %d }\n",
            i % 3 ? "armed clash" : "protest", i);
    evm_map *m = load(t.p);
    free(t.p);
    CHECK(m != NULL, "pile spec loads");
    if (!m)
        return;
    char *j = layout_of(m, 1600, 1000, 0);
    if (j) {
        CHECK(strstr(j, "\"style\": \"markers\"") != NULL, "pile: markers");
        CHECK(count_items(j, "symbols") == 1, "500 events at one point: "
              "one symbol (%d)", count_items(j, "symbols"));
        char *s = item(j, "symbols", 0);
        CHECK(s && num(s, "count") == 500, "the symbol counts 500");
        CHECK(s && num(s, "r") <= 30, "and stays a symbol (r %.1f)",
              s ? num(s, "r") : NAN);
        free(s);
        symbols_at_places(j, "pile");
        labels_accounted(j, 1, "pile");
        char *l = item(j, "labels", 0);
        CHECK(l && strstr(l, "Sea Point: 500 events") &&
                  strstr(l, "+497 more"),
              "one block: a summary, three lines and +497 more (%s)",
              l ? l : "");
        free(l);
        free(j);
    }
    evm_map_free(m);
}

static void test_two_piles(void)
{
    /* 100 km apart at 43.25 N: 1.234 degrees of longitude */
    text t = {0};
    add(&t, "events:\n");
    for (int i = 0; i < 200; i++)
        add(&t, "  - { lat: 43.25, lon: 76.9, type: riot }\n"
                "  - { lat: 43.25, lon: 78.134, type: battle }\n");
    evm_map *m = load(t.p);
    free(t.p);
    if (!m)
        return;
    int sizes[3][2] = {{800, 500}, {1600, 1000}, {3200, 2000}};
    for (int k = 0; k < 3; k++) {
        char *j = layout_of(m, sizes[k][0], sizes[k][1], 0);
        if (!j)
            continue;
        CHECK(count_items(j, "symbols") == 2, "two piles %dpx: two symbols "
              "(%d)", sizes[k][0], count_items(j, "symbols"));
        symbols_at_places(j, "two piles");
        for (int i = 0; i < 2; i++) {
            char *s = item(j, "symbols", i);
            double lon = num(s, "lon");
            CHECK(s && num(s, "count") == 200 &&
                      (fabs(lon - 76.9) < 1e-6 || fabs(lon - 78.134) < 1e-6),
                  "pile %d: its own 200 events at its own place", i);
            free(s);
        }
        free(j);
    }
    evm_map_free(m);
}

/* Distinct places at several scales: none moved, a ring stays close. */
static void test_scales(void)
{
    const char *y =
        "places:\n  - { name: Hub, lat: 21.0, lon: 92.5 }\n"
        "events:\n"
        "  - { place: Hub, type: battle, fatalities: 40, label: A }\n"
        "  - { place: Hub, type: protest, label: B }\n"
        "  - { place: Hub, type: airstrike, fatalities: 3, label: C }\n"
        "  - { lat: 21.05, lon: 92.55, type: riot, label: Five km away }\n"
        "  - { lat: 20.6, lon: 92.9, type: battle, fatalities: 364 }\n"
        "  - { lat: 20.62, lon: 92.93, type: battle, fatalities: 2 }\n"
        "  - { lat: 22.3, lon: 91.8, type: protest, label: North }\n"
        "  - { lat: 19.9, lon: 93.6, type: arrest, label: South }\n";
    evm_map *m = load(y);
    if (!m)
        return;
    int sizes[3][2] = {{500, 400}, {1600, 1000}, {4000, 3000}};
    for (int k = 0; k < 3; k++) {
        char *j = layout_of(m, sizes[k][0], sizes[k][1], 0);
        if (!j)
            continue;
        int n = symbols_at_places(j, "scales");
        CHECK(n >= (k ? 5 : 4), "%dpx: the distinct places keep their "
              "symbols (%d)",
              sizes[k][0], n);
        /* the 364-death event is drawn where it happened */
        int found = 0;
        for (int i = 0; i < n; i++) {
            char *s = item(j, "symbols", i);
            if (s && num(s, "fatalities") >= 364) {
                found = 1;
                CHECK(hypot(num(s, "x") - num(s, "true_x"),
                            num(s, "y") - num(s, "true_y")) < 1,
                      "the largest event is not moved");
            }
            free(s);
        }
        CHECK(found, "the 364-death event has its symbol");
        free(j);
    }
    evm_map_free(m);
}

/* A stray event far away and country-level events leave the frame. */
static void test_frame(void)
{
    text t = {0};
    add(&t, "events:\n");
    for (int i = 0; i < 40; i++)
        add(&t, "  - { lat: %.3f, lon: %.3f, type: battle }\n",
            20.5 + (i % 7) * 0.1, 92.3 + (i / 7) * 0.08);
    add(&t, "  - { lat: 35.0, lon: 105.0, type: battle }\n"); /* stray */
    add(&t, "  - { lat: 21.9, lon: 95.9, type: battle }\n");  /* country */
    evm_map *m = load(t.p);
    free(t.p);
    if (!m)
        return;
    m->events[m->nevents - 1].where.precision = EVM_PREC_COUNTRY;
    char *j = layout_of(m, 1600, 1000, 0);
    if (j) {
        const char *f = strstr(j, "\"extent\": [");
        double e[4] = {NAN, NAN, NAN, NAN};
        if (f)
            sscanf(f, "\"extent\": [%lf, %lf, %lf, %lf", &e[0], &e[1], &e[2],
                   &e[3]);
        CHECK(e[2] - e[0] < 6 && e[3] - e[1] < 6, "the frame fits the bulk: "
              "%.1f x %.1f degrees", e[2] - e[0], e[3] - e[1]);
        const char *om = strstr(j, "\"omitted\"");
        CHECK(om && num(om, "events_outside_frame") == 2 &&
                  num(om, "events_approximate_outside") == 1,
              "the stray and the country-level event are reported");
        free(j);
    }
    evm_map_free(m);
}

/* auto: markers while the places fit, hexagons for a whole table; the
 * bins hold every event. */
static void test_styles(void)
{
    text t = {0};
    add(&t, "events:\n");
    int n = 0;
    for (int i = 0; i < 3000; i++, n++)
        add(&t, "  - { lat: %.4f, lon: %.4f, type: protest }\n",
            10 + (i % 60) * 0.2 + (i % 7) * 0.013,
            20 + (i / 60) * 0.25 + (i % 5) * 0.011);
    evm_map *m = load(t.p);
    free(t.p);
    if (!m)
        return;
    char *j = layout_of(m, 1600, 1000, 0);
    if (j) {
        CHECK(strstr(j, "\"style\": \"hexbin\", \"style_auto\": true"),
              "auto: 3,000 places are hexagons");
        long sum = 0;
        int k = count_items(j, "symbols");
        for (int i = 0; i < k; i++) {
            char *s = item(j, "symbols", i);
            sum += (long)num(s, "count");
            free(s);
        }
        CHECK(sum == n, "the hexagons hold every event (%ld of %d)", sum, n);
        free(j);
    }
    j = layout_of(m, 1600, 1000, 1);
    if (j) {
        CHECK(strstr(j, "\"style\": \"markers\", \"style_auto\": false"),
              "--style markers is obeyed");
        symbols_at_places(j, "3,000 markers");
        free(j);
    }
    evm_map_free(m);
}

/* A country as the extent frames its main body: metropolitan France, not
 * French Guiana and Réunion; the contiguous United States, not Alaska
 * and Hawaii. */
static void test_place_extent(void)
{
    static const struct {
        const char *name;
        double lon0, lat0, lon1, lat1; /* the frame must lie within */
    } c[] = {{"France", -15, 35, 20, 57}, {"United States", -150, 10, -40, 62}};
    for (int i = 0; i < 2; i++) {
        char y[200];
        snprintf(y, sizeof y, "extent: %s\nevents:\n"
                 "  - { lat: 45, lon: %s, type: protest }\n",
                 c[i].name, i ? "-100" : "2");
        evm_map *m = load(y);
        if (!m)
            continue;
        char *j = layout_of(m, 1600, 1000, 0);
        const char *f = j ? strstr(j, "\"extent\": [") : NULL;
        double e[4] = {NAN, NAN, NAN, NAN};
        if (f)
            sscanf(f, "\"extent\": [%lf, %lf, %lf, %lf", &e[0], &e[1],
                   &e[2], &e[3]);
        CHECK(e[0] >= c[i].lon0 && e[1] >= c[i].lat0 && e[2] <= c[i].lon1 &&
                  e[3] <= c[i].lat1,
              "extent: %s frames %.1f %.1f %.1f %.1f", c[i].name, e[0], e[1],
              e[2], e[3]);
        free(j);
        evm_map_free(m);
    }
}

/* style: in a spec chooses the style; the options' style wins over it. */
static void test_spec_style(void)
{
    evm_map *m = load("style: points\nevents:\n"
                      "  - { lat: 10, lon: 10, type: riot }\n"
                      "  - { lat: 11, lon: 12, type: protest }\n");
    if (!m)
        return;
    char *j = layout_of(m, 800, 500, 0);
    CHECK(j && strstr(j, "\"style\": \"points\", \"style_auto\": false"),
          "style: points is drawn as points");
    free(j);
    j = layout_of(m, 800, 500, 3);
    CHECK(j && strstr(j, "\"style\": \"hexbin\""), "--style hexbin wins");
    free(j);
    evm_map_free(m);
}

int main(void)
{
    evm_error err = {0};
    gz = evm_gazetteer_open(NULL, &err);
    if (!gz) {
        fprintf(stderr, "gazetteer: %s\n", err.msg);
        return 1;
    }
    test_pile();
    test_two_piles();
    test_scales();
    test_frame();
    test_styles();
    test_spec_style();
    test_place_extent();
    evm_gazetteer_close(gz);
    TEST_REPORT();
}
