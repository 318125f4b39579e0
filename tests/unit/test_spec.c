/* The map spec reader, the event-type vocabulary and place resolution. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "core/core.h"
#include "spec/spec.h"

/* A spec that uses every key. */
static const char full_yaml[] =
    "title: Unrest in Kazakhstan\n"
    "subtitle: 2–7 January 2022\n"
    "source: \"Reporting: TASS, RIA\"   # a comment\n"
    "size: [1200, 800]\n"
    "extent: [46, 40, 88, 56]\n"
    "projection: EPSG:32642\n"
    "theme: dark\n"
    "inset: false\n"
    "context: { country: KZ }\n"
    "places:\n"
    "  - { name: Republic Square, lat: 43.2380, lon: 76.9452, country: kz,"
    " kind: square }\n"
    "  - { name: Алматы вокзал, lat: 43.27, lon: 76.94 }\n"
    "layers:\n"
    "  - { path: data/front.geojson, stroke: \"#C00\", fill: \"#00ff7f\","
    " width: 2.5 }\n"
    "  - { path: /abs/roads.gpkg }\n"
    "events:\n"
    "  - place: republic square\n"
    "    type: Riots\n"
    "    date: 2022-01-06T14:00:00+06:00\n"
    "    label: Clashes; dozens killed\n"
    "    fatalities: 44\n"
    "    side: protesters\n"
    "    confidence: claimed\n"
    "  - place: { name: АЛМАТЫ ВОКЗАЛ, country: KZ, kind: station,"
    " near: Republic Square }\n"
    "    type: air/drone strike\n"
    "    date: 2022-01-07\n"
    "    time: \"09:30\"\n"
    "    actor: CSTO\n"
    "  - { lat: 49.80, lon: 73.10, type: protest, label: Karaganda }\n"
    "  - place: Republic Square\n"
    "    lat: 43.2\n"
    "    lon: 76.9\n"
    "    country: KZ\n"
    "    kind: square\n"
    "    near: \"43.25, 76.9\"\n"
    "    type: seizure\n"
    "movements:\n"
    "  - from: { lat: 57.0, lon: 40.97 }\n"
    "    to: Republic Square\n"
    "    via: [{ lat: 51.17, lon: 71.43 }, Алматы вокзал]\n"
    "    type: airlift\n"
    "    side: russia\n"
    "    color: \"#2E6DB4\"\n"
    "    label: Paratroopers\n"
    "    date: 2022-01-06\n"
    "    confidence: assessed\n"
    "areas:\n"
    "  - { place: Republic Square, type: unrest, side: gov, color: \"#abc\","
    " label: Emergency, date: 2022-01-05, confidence: claimed }\n"
    "  - { path: zones.geojson, type: control }\n";

/* The same spec as JSON. */
static const char full_json[] =
    "{\"title\": \"Unrest in Kazakhstan\", \"subtitle\": \"2–7 January 2022\","
    " \"source\": \"Reporting: TASS, RIA\", \"size\": [1200, 800],"
    " \"extent\": [46, 40, 88, 56], \"projection\": \"EPSG:32642\","
    " \"theme\": \"dark\", \"inset\": false,"
    " \"context\": {\"country\": \"KZ\"},"
    " \"places\": [{\"name\": \"Republic Square\", \"lat\": 43.2380,"
    " \"lon\": 76.9452, \"country\": \"kz\", \"kind\": \"square\"},"
    " {\"name\": \"Алматы вокзал\", \"lat\": 43.27, \"lon\": 76.94}],"
    " \"layers\": [{\"path\": \"data/front.geojson\", \"stroke\": \"#C00\","
    " \"fill\": \"#00ff7f\", \"width\": 2.5},"
    " {\"path\": \"/abs/roads.gpkg\"}],"
    " \"events\": ["
    "{\"place\": \"republic square\", \"type\": \"Riots\","
    " \"date\": \"2022-01-06T14:00:00+06:00\","
    " \"label\": \"Clashes; dozens killed\", \"fatalities\": 44,"
    " \"side\": \"protesters\", \"confidence\": \"claimed\"},"
    " {\"place\": {\"name\": \"АЛМАТЫ ВОКЗАЛ\", \"country\": \"KZ\","
    " \"kind\": \"station\", \"near\": \"Republic Square\"},"
    " \"type\": \"air/drone strike\", \"date\": \"2022-01-07\","
    " \"time\": \"09:30\", \"actor\": \"CSTO\"},"
    " {\"lat\": 49.80, \"lon\": 73.10, \"type\": \"protest\","
    " \"label\": \"Karaganda\"},"
    " {\"place\": \"Republic Square\", \"lat\": 43.2, \"lon\": 76.9,"
    " \"country\": \"KZ\", \"kind\": \"square\", \"near\": \"43.25, 76.9\","
    " \"type\": \"seizure\"}],"
    " \"movements\": [{\"from\": {\"lat\": 57.0, \"lon\": 40.97},"
    " \"to\": \"Republic Square\", \"via\": [{\"lat\": 51.17, \"lon\": 71.43},"
    " \"Алматы вокзал\"], \"type\": \"airlift\", \"side\": \"russia\","
    " \"color\": \"#2E6DB4\", \"label\": \"Paratroopers\","
    " \"date\": \"2022-01-06\", \"confidence\": \"assessed\"}],"
    " \"areas\": [{\"place\": \"Republic Square\", \"type\": \"unrest\","
    " \"side\": \"gov\", \"color\": \"#abc\", \"label\": \"Emergency\","
    " \"date\": \"2022-01-05\", \"confidence\": \"claimed\"},"
    " {\"path\": \"zones.geojson\", \"type\": \"control\"}]}";

static evm_map *load(const char *name, const char *text, evm_error *e)
{
    evm_error_clear(e);
    return evm_map_load_buffer(name, text, strlen(text), e);
}

static void check_full(const evm_map *m, const char *what)
{
    if (!m) {
        CHECK(0, "%s: loads", what);
        return;
    }
    CHECK_STR(m->title, "Unrest in Kazakhstan", what);
    CHECK_STR(m->subtitle, "2–7 January 2022", what);
    CHECK_STR(m->source, "Reporting: TASS, RIA", what);
    CHECK(m->width == 1200 && m->height == 800, "%s: size %dx%d", what,
          m->width, m->height);
    CHECK(m->extent_mode == EVM_EXTENT_BBOX && m->extent[0] == 46 &&
              m->extent[1] == 40 && m->extent[2] == 88 && m->extent[3] == 56,
          "%s: extent", what);
    CHECK_STR(m->projection, "EPSG:32642", what);
    CHECK(m->theme == EVM_THEME_DARK, "%s: theme", what);
    CHECK(m->inset == EVM_INSET_OFF, "%s: inset", what);
    CHECK_STR(m->context_country, "KZ", what);
    CHECK(m->nplaces == 2, "%s: places %d", what, m->nplaces);
    if (m->nplaces == 2) {
        CHECK_STR(m->places[0].name, "Republic Square", what);
        CHECK_NEAR(m->places[0].lat, 43.238, 1e-9, what);
        CHECK_NEAR(m->places[0].lon, 76.9452, 1e-9, what);
        CHECK_STR(m->places[0].kind, "square", what);
        CHECK(m->places[0].pos.line > 0, "%s: place pos", what);
    }
    CHECK(m->nlayers == 2, "%s: layers", what);
    if (m->nlayers == 2) {
        /* relative to the spec's directory, absolute kept */
        CHECK_STR(m->layers[0].path, "specs/data/front.geojson", what);
        CHECK_STR(m->layers[1].path, "/abs/roads.gpkg", what);
        CHECK_STR(m->layers[0].stroke, "#cc0000", what);
        CHECK_STR(m->layers[0].fill, "#00ff7f", what);
        CHECK_NEAR(m->layers[0].width, 2.5, 1e-12, what);
        CHECK(m->layers[1].stroke == NULL && m->layers[1].width == 0,
              "%s: layer defaults", what);
    }
    CHECK(m->nevents == 4, "%s: events %d", what, m->nevents);
    if (m->nevents == 4) {
        const evm_event *e = &m->events[0];
        CHECK_STR(e->where.name, "republic square", what);
        CHECK(!e->where.has_coord, "%s: named place has no coords yet", what);
        CHECK_STR(e->type->key, "riot", what);
        CHECK(e->type && e->type->cat == EVM_CAT_RIOTS, "%s: riot cat", what);
        CHECK_STR(e->date, "2022-01-06", what);
        CHECK_STR(e->time, "2022-01-06T08:00:00Z", what);
        CHECK_STR(e->label, "Clashes; dozens killed", what);
        CHECK(e->fatalities == 44, "%s: fatalities", what);
        CHECK_STR(e->side, "protesters", what);
        CHECK(e->claimed, "%s: claimed", what);
        e = &m->events[1];
        CHECK_STR(e->where.name, "АЛМАТЫ ВОКЗАЛ", what);
        CHECK_STR(EVM_H(&e->where)->country, "KZ", what);
        CHECK_STR(EVM_H(&e->where)->kind, "station", what);
        CHECK_STR(EVM_H(&e->where)->near, "Republic Square", what);
        CHECK(e->type && e->type->cat == EVM_CAT_EXPLOSIONS, "%s: strike",
              what);
        CHECK_STR(e->date, "2022-01-07", what);
        CHECK_STR(e->time, "2022-01-07T09:30:00Z", what);
        CHECK_STR(e->side, "CSTO", what);
        CHECK(e->fatalities == -1 && !e->claimed, "%s: defaults", what);
        e = &m->events[2];
        CHECK(e->where.name == NULL && e->where.has_coord &&
                  e->where.lat == 49.8 && e->where.lon == 73.1,
              "%s: coordinates", what);
        CHECK(e->date == NULL && e->time == NULL, "%s: no date", what);
        e = &m->events[3];
        CHECK_STR(e->where.name, "Republic Square", what);
        CHECK(e->where.has_coord && e->where.lat == 43.2,
              "%s: name and coordinates", what);
        CHECK(EVM_H(&e->where)->has_near_coord &&
                  fabs(EVM_H(&e->where)->near_lat - 43.25) < 1e-9 &&
                  fabs(EVM_H(&e->where)->near_lon - 76.9) < 1e-9,
              "%s: near LAT, LON", what);
        CHECK(e->type && e->type->glyph == EVM_GLYPH_FLAG, "%s: seizure",
              what);
    }
    CHECK(m->nmovements == 1, "%s: movements", what);
    if (m->nmovements == 1) {
        const evm_movement *v = &m->movements[0];
        CHECK(v->from.has_coord && v->from.lat == 57.0, "%s: from", what);
        CHECK_STR(v->to.name, "Republic Square", what);
        CHECK(v->nvia == 2, "%s: via", what);
        if (v->nvia == 2) {
            CHECK(v->via[0].has_coord && v->via[0].lon == 71.43, "%s: via0",
                  what);
            CHECK_STR(v->via[1].name, "Алматы вокзал", what);
        }
        CHECK(v->type == EVM_MOVE_AIRLIFT, "%s: airlift", what);
        CHECK_STR(v->side, "russia", what);
        CHECK_STR(v->color, "#2e6db4", what);
        CHECK_STR(v->label, "Paratroopers", what);
        CHECK_STR(v->date, "2022-01-06", what);
        CHECK(!v->claimed, "%s: assessed", what);
    }
    CHECK(m->nareas == 2, "%s: areas", what);
    if (m->nareas == 2) {
        const evm_area *a = &m->areas[0];
        CHECK_STR(a->where.name, "Republic Square", what);
        CHECK_STR(a->type, "unrest", what);
        CHECK_STR(a->side, "gov", what);
        CHECK_STR(a->color, "#aabbcc", what);
        CHECK_STR(a->label, "Emergency", what);
        CHECK_STR(a->date, "2022-01-05", what);
        CHECK(a->claimed, "%s: area claimed", what);
        CHECK_STR(m->areas[1].path, "specs/zones.geojson", what);
        CHECK(m->areas[1].where.name == NULL, "%s: area by path", what);
    }
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_ref(const evm_placeref *a, const evm_placeref *b)
{
    const evm_placehint *x = EVM_H(a), *y = EVM_H(b);
    return same_str(a->name, b->name) && same_str(x->country, y->country) &&
           same_str(x->kind, y->kind) && same_str(x->near, y->near) &&
           a->has_coord == b->has_coord && a->lat == b->lat &&
           a->lon == b->lon && x->has_near_coord == y->has_near_coord &&
           x->near_lat == y->near_lat && x->near_lon == y->near_lon;
}

/* Field-by-field equality of two models (positions aside). */
static int same_map(const evm_map *a, const evm_map *b)
{
    if (!same_str(a->title, b->title) || !same_str(a->subtitle, b->subtitle) ||
        !same_str(a->source, b->source) || a->width != b->width ||
        a->height != b->height || a->extent_mode != b->extent_mode ||
        memcmp(a->extent, b->extent, sizeof a->extent) ||
        !same_str(a->projection, b->projection) || a->theme != b->theme ||
        a->inset != b->inset || !same_str(a->context_country,
                                          b->context_country) ||
        a->nplaces != b->nplaces || a->nlayers != b->nlayers ||
        a->nevents != b->nevents || a->nmovements != b->nmovements ||
        a->nareas != b->nareas)
        return 0;
    for (int i = 0; i < a->nplaces; i++) {
        const evm_user_place *p = &a->places[i], *q = &b->places[i];
        if (!same_str(p->name, q->name) || p->lat != q->lat ||
            p->lon != q->lon || !same_str(p->country, q->country) ||
            !same_str(p->kind, q->kind))
            return 0;
    }
    for (int i = 0; i < a->nlayers; i++) {
        const evm_layer *p = &a->layers[i], *q = &b->layers[i];
        if (!same_str(p->path, q->path) || !same_str(p->stroke, q->stroke) ||
            !same_str(p->fill, q->fill) || p->width != q->width)
            return 0;
    }
    for (int i = 0; i < a->nevents; i++) {
        const evm_event *p = &a->events[i], *q = &b->events[i];
        if (!same_ref(&p->where, &q->where) || p->type != q->type ||
            !same_str(p->date, q->date) || !same_str(p->time, q->time) ||
            !same_str(p->label, q->label) || p->fatalities != q->fatalities ||
            !same_str(p->side, q->side) || p->claimed != q->claimed)
            return 0;
    }
    for (int i = 0; i < a->nmovements; i++) {
        const evm_movement *p = &a->movements[i], *q = &b->movements[i];
        if (!same_ref(&p->from, &q->from) || !same_ref(&p->to, &q->to) ||
            p->nvia != q->nvia || p->type != q->type ||
            !same_str(p->side, q->side) || !same_str(p->color, q->color) ||
            !same_str(p->label, q->label) || !same_str(p->date, q->date) ||
            p->claimed != q->claimed)
            return 0;
        for (int j = 0; j < p->nvia; j++)
            if (!same_ref(&p->via[j], &q->via[j]))
                return 0;
    }
    for (int i = 0; i < a->nareas; i++) {
        const evm_area *p = &a->areas[i], *q = &b->areas[i];
        if (!same_ref(&p->where, &q->where) || !same_str(p->path, q->path) ||
            !same_str(p->type, q->type) || !same_str(p->side, q->side) ||
            !same_str(p->color, q->color) || !same_str(p->label, q->label) ||
            !same_str(p->date, q->date) || p->claimed != q->claimed)
            return 0;
    }
    return 1;
}

static void test_full(void)
{
    evm_error e;
    evm_map *y = load("specs/full.yaml", full_yaml, &e);
    CHECK(y != NULL, "full YAML loads: %s", e.msg);
    check_full(y, "yaml");
    evm_map *j = load("specs/full.json", full_json, &e);
    CHECK(j != NULL, "full JSON loads: %s", e.msg);
    check_full(j, "json");
    CHECK(y && j && same_map(y, j), "JSON gives the same model as YAML");
    /* positions point at the values */
    if (y && y->nevents == 4) {
        CHECK(y->events[0].where.pos.line == 17 &&
                  y->events[0].where.pos.col == 12,
              "event place at 17:12, got %d:%d", y->events[0].where.pos.line,
              y->events[0].where.pos.col);
        CHECK(y->events[2].where.pos.line == 29 &&
                  y->events[2].where.pos.col == 12,
              "lat/lon event at its lat 29:12, got %d:%d",
              y->events[2].where.pos.line, y->events[2].where.pos.col);
    }

    /* resolution through places: (case-folded, Cyrillic too) and
     * coordinates, no gazetteer */
    if (y) {
        evm_error_clear(&e);
        /* every place resolves; the area named after a places: entry
         * (a point) has no polygon to shade, and says so */
        CHECK(evm_map_resolve(y, NULL, &e) == EVM_E_INPUT &&
                  strstr(e.msg, "specs/full.yaml:48:14: area \"Republic "
                                "Square\": a places: entry is a point"),
              "resolve: %s", e.msg);
        CHECK(!y->resolved, "not marked resolved");
        const evm_placeref *p = &y->events[0].where;
        CHECK(p->has_coord && p->lat == 43.238 && p->lon == 76.9452,
              "places: entry by case-insensitive name");
        CHECK_STR(EVM_H(p)->resolved_name, "Republic Square", "resolved name");
        CHECK_STR(EVM_H(p)->resolved_kind, "square", "resolved kind");
        CHECK_STR(p->resolved_country, "KZ", "country upper-cased");
        CHECK(EVM_H(p)->resolved_id && !strncmp(EVM_H(p)->resolved_id, "spec:", 5),
              "spec id");
        p = &y->events[1].where;
        CHECK(p->has_coord && p->lat == 43.27,
              "Cyrillic name matched after case folding");
        CHECK(EVM_H(p)->has_near_coord && EVM_H(p)->near_lat == 43.238,
              "near name resolved through places:");
        p = &y->events[3].where;
        CHECK(p->lat == 43.2 && EVM_H(p)->resolved_name == NULL,
              "given coordinates win over the name");
        CHECK(y->movements[0].via[1].lat == 43.27, "via resolved");
        CHECK(y->movements[0].to.lat == 43.238, "to resolved");
        CHECK(y->areas[0].where.has_coord, "area point resolved");
    }
    evm_map_free(y);
    evm_map_free(j);
}

/* background: none, relief, or a raster's path relative to the spec */
static void test_background(void)
{
    evm_error e;
    evm_map *m = load("maps/k.yaml", "background: Relief\n", &e);
    CHECK(m && m->background == EVM_BG_RELIEF && !m->background_path,
          "background: relief (%s)", m ? "" : e.msg);
    evm_map_free(m);
    m = load("maps/k.yaml", "background: none\n", &e);
    CHECK(m && m->background == EVM_BG_NONE, "background: none");
    evm_map_free(m);
    m = load("maps/k.yaml", "background: dem/hills.tif\n", &e);
    CHECK(m && m->background == EVM_BG_FILE, "background: a file");
    if (m)
        CHECK_STR(m->background_path, "maps/dem/hills.tif",
                  "raster path relative to the spec");
    evm_map_free(m);
    m = load("maps/k.yaml", "background: /data/hills.tif\n", &e);
    if (m)
        CHECK_STR(m->background_path, "/data/hills.tif", "absolute path");
    evm_map_free(m);
}

static void test_defaults(void)
{
    evm_error e;
    evm_map *m = load("d.yaml", "events: []\n", &e);
    CHECK(m != NULL, "minimal spec: %s", e.msg);
    if (m) {
        CHECK(m->width == 1600 && m->height == 1000, "default size");
        CHECK(m->theme == EVM_THEME_LIGHT, "default theme");
        CHECK(m->extent_mode == EVM_EXTENT_AUTO, "default extent");
        CHECK(m->inset == EVM_INSET_AUTO, "default inset");
        CHECK(m->projection == NULL, "default projection auto");
        CHECK(m->background == EVM_BG_NONE, "default background none");
        CHECK(m->title == NULL && m->nevents == 0, "nothing else");
        CHECK(evm_map_resolve(m, NULL, &e) == EVM_OK, "empty map resolves");
    }
    evm_map_free(m);
    m = load("d.yaml", "extent: Almaty Region\nprojection: \"+proj=robin\"\n"
                       "size: 800x600\ninset: yes\ntheme: PRINT\n"
                       "movements:\n  - { from: A, to: B }\n", &e);
    CHECK(m != NULL, "extent place: %s", e.msg);
    if (m) {
        CHECK(m->extent_mode == EVM_EXTENT_PLACE, "extent by name");
        CHECK_STR(m->extent_place, "Almaty Region", "extent place");
        CHECK_STR(m->extent_where.name, "Almaty Region", "extent ref");
        CHECK_STR(m->projection, "+proj=robin", "PROJ string kept");
        CHECK(m->width == 800 && m->height == 600, "WxH size");
        CHECK(m->inset == EVM_INSET_ON, "inset yes");
        CHECK(m->theme == EVM_THEME_PRINT, "theme case-insensitive");
        CHECK(m->movements[0].type == EVM_MOVE_ADVANCE,
              "movement type defaults to advance");
        /* unresolvable without a gazetteer: every reference reported */
        int n = 0;
        evm_placeref **refs = evm__map_placerefs(m, &n);
        CHECK(n == 3 && refs[0] == &m->extent_where,
              "placerefs in file order");
        free(refs);
        CHECK(evm_map_resolve(m, NULL, &e) == EVM_E_NOTFOUND,
              "unknown without gazetteer");
        CHECK(strstr(e.msg, "d.yaml:1:9: unknown place \"Almaty Region\"") !=
                  NULL, "first unknown is the extent: %s", e.msg);
        CHECK(!m->resolved, "not marked resolved");
    }
    evm_map_free(m);
    m = load("d.yaml", "subtitle:\nevents:\n  - place: x\n    type: riot\n"
                       "    date:\n    time:\n    confidence:\n    label:\n"
                       "    fatalities: ~\n", &e);
    CHECK(m && m->subtitle == NULL && m->nevents == 1 &&
              m->events[0].date == NULL && m->events[0].time == NULL &&
              !m->events[0].claimed && m->events[0].label == NULL &&
              m->events[0].fatalities == -1,
          "empty values leave the defaults: %s", e.msg);
    evm_map_free(m);
    m = load("d.yaml", "projection: ESRI:54030\n", &e);
    CHECK(m && m->projection && !strcmp(m->projection, "ESRI:54030"),
          "authority code kept");
    evm_map_free(m);
    m = load("d.yaml", "projection: epsg:3857\n", &e);
    CHECK(m && m->projection && !strcmp(m->projection, "EPSG:3857"),
          "EPSG normalised");
    evm_map_free(m);
}

/* One bad input: name, text, expected status, expected message fragment
 * (after "name:"). */
static void bad(const char *text, evm_status want, const char *frag)
{
    evm_error e;
    evm_map *m = load("kaz.yaml", text, &e);
    char expect[600];
    snprintf(expect, sizeof expect, "kaz.yaml:%s", frag);
    CHECK(m == NULL && e.code == want && strstr(e.msg, expect) != NULL,
          "bad input gives \"%s\" (status %d); got \"%s\" (status %d)",
          expect, want, e.msg, e.code);
    CHECK(strchr(e.msg, '\n') == NULL, "one line");
    evm_map_free(m);
}

static void test_bad(void)
{
    bad("title: x\nevents:\n  - place: Almaty\n    type: riot\n"
        "    lable: x\n", EVM_E_INPUT,
        "5:5: unknown key \"lable\" in event — did you mean \"label\"?");
    bad("title: x\nsize: [0, 1000]\n", EVM_E_INPUT,
        "2:7: size must be [width, height] in 16..20000 px, got [0, 1000]");
    bad("size: [1600, 100000]\n", EVM_E_INPUT,
        "1:7: size must be [width, height] in 16..20000 px");
    bad("size: [1600.5, 1000]\n", EVM_E_INPUT, "1:7: size must be");
    bad("events:\n  - { place: x, type: riot, lat: -91, lon: 0 }\n",
        EVM_E_INPUT, "2:34: lat must be within -90..90, got -91");
    bad("events:\n  - { type: riot, lat: 10, lon: -180.5 }\n", EVM_E_INPUT,
        "2:33: lon must be within -180..180, got -180.5");
    bad("events:\n  - { type: rioot, place: x }\n", EVM_E_INPUT,
        "2:13: unknown event type \"rioot\" — did you mean \"riot\"?");
    bad("events:\n  - { type: zzzzzzzz, place: x }\n", EVM_E_INPUT,
        "2:13: unknown event type \"zzzzzzzz\"; use an ACLED event");
    bad("events:\n  - { type: riot, place: x, date: 2021-02-29 }\n",
        EVM_E_INPUT, "2:35: bad date \"2021-02-29\": February 2021 has 28");
    bad("events:\n  - { type: riot, place: x, date: 2022-01-06T14:00+15:00"
        " }\n", EVM_E_INPUT, "2:35: bad date \"2022-01-06T14:00+15:00\": UTC "
        "offsets range from -14:00 to +14:00");
    bad("events:\n  - { type: riot, place: x, date: 2022-01-06 14:00:61 }\n",
        EVM_E_INPUT, "2:35: bad date \"2022-01-06 14:00:61\": 14:00:61 is "
        "not a time of day");
    bad("events:\n  - { type: riot, place: x, date: 2022-1-6 }\n",
        EVM_E_INPUT, "2:35: bad date \"2022-1-6\": use ISO 8601");
    bad("events:\n  - { type: riot, place: x, fatalities: \"4\" }\n",
        EVM_E_INPUT,
        "2:41: fatalities must be a whole number >= 0, got \"4\"");
    bad("events:\n  - { type: riot, place: x, confidence: maybe }\n",
        EVM_E_INPUT, "2:41: confidence must be assessed or claimed");
    bad("movements:\n  - { from: a, to: b, type: parachute }\n",
        EVM_E_INPUT, "2:29: unknown movement type \"parachute\"; use advance");
    bad("movements:\n  - { from: a, to: b, color: \"#12345\" }\n",
        EVM_E_INPUT, "2:30: color must be a colour #rgb or #rrggbb");
    bad("theme: sepia\n", EVM_E_INPUT,
        "1:8: theme must be light, dark or print, got sepia");
    bad("background: releif\n", EVM_E_INPUT,
        "1:13: unknown background \"releif\" — did you mean \"relief\"?");
    bad("background: satellite\n", EVM_E_INPUT,
        "1:13: unknown background \"satellite\": give none, relief or a "
        "raster file's path");
    bad("background: [relief]\n", EVM_E_INPUT,
        "1:13: background must be none, relief or a raster file's path");
    bad("projection: lambert\n", EVM_E_INPUT,
        "1:13: unknown projection \"lambert\"");
    bad("title: a\ntitle: b\n", EVM_E_INPUT,
        "2:1: duplicate key \"title\" in the spec (first at 1:1)");
    bad("events:\n  - place: a\n   type: riot\n", EVM_E_INPUT,
        "3:4: YAML syntax error: did not find expected '-' indicator");
    bad("events: { from: x.csv, typ: t }\n", EVM_E_INPUT,
        "1:24: unknown key \"typ\" in events — did you mean \"type\"?");
    bad("events: { place: p }\n", EVM_E_INPUT,
        "1:9: events must be a list of events, or { from: FILE }");
    bad("events:\n  - place: \"Bogot\xe9\"\n", EVM_E_INPUT,
        "2:18: invalid UTF-8 (byte 0xe9)");
    bad("\xef\xbb\xbftitle: [1]\n", EVM_E_INPUT, "1:8: title must be text");
    bad("", EVM_E_INPUT, "1:1: the spec is empty");
    bad("# only a comment\n", EVM_E_INPUT, "1:1: the spec is empty");
    bad("42\n", EVM_E_INPUT, "1:1: a spec is a mapping of keys");
    bad("events:\n  - { place: a, type: riot, side: a, actor: b }\n",
        EVM_E_INPUT, "2:45: actor and side are the same key");
    bad("events:\n  - { place: { name: a, country: KZ }, country: RU,"
        " type: riot }\n", EVM_E_INPUT,
        "2:49: country is given twice (here and in place:)");
    bad("events:\n  - { place: { name: a, lat: 1, lon: 2 }, lat: 1, lon: 2,"
        " type: riot }\n", EVM_E_INPUT, "2:48: coordinates are given twice");
    bad("events:\n  - { place: { nam: a }, type: riot }\n", EVM_E_INPUT,
        "2:16: unknown key \"nam\" in place — did you mean \"name\"?");
    bad("title: &a [*a]\n", EVM_E_INPUT, "1:8: title must be text");
    bad("events:\n  - { place: x, type: riot, date: 2022-01-06T10:00,"
        " time: \"11:00\" }\n", EVM_E_INPUT,
        "2:59: date already has a time of day");
    bad("events:\n  - { place: x, type: riot, date: 2022-01-06,"
        " time: \"25:00\" }\n", EVM_E_INPUT, "2:53: bad time \"25:00\"");

    /* a table that cannot be read is reported at the spec's from: */
    evm_error e;
    evm_map *t = load("kaz.yaml", "events: { from: missing.csv }\n", &e);
    CHECK(!t && e.code != EVM_OK && strstr(e.msg, "kaz.yaml:1:17: ") &&
              strstr(e.msg, "missing.csv"),
          "missing events table: %s", e.msg);
    evm_map_free(t);

    /* what would make libyaml slow: deep nesting, many anchors/aliases */
    evm_buf b;
    evm__buf_init(&b, 0);
    evm__buf_puts(&b, "events:\n");
    for (int i = 0; i < 300; i++)
        evm__buf_printf(&b, "  - {type: riot, lat: 1, lon: 2, label: &a%d x}"
                            "\n", i);
    bad(b.data, EVM_E_INPUT, "258:41: more than 256 anchors (&name)");
    evm__buf_free(&b);
    evm__buf_init(&b, 0);
    evm__buf_puts(&b, "title: &t x\nsubtitle: [");
    for (int i = 0; i < 70000; i++)
        evm__buf_puts(&b, "*t, ");
    evm__buf_puts(&b, "]\n");
    bad(b.data, EVM_E_INPUT, "2:262156: more than 65536 aliases (*name)");
    evm__buf_free(&b);
    evm__buf_init(&b, 0);
    for (int i = 0; i < 100000; i++)
        evm__buf_puts(&b, "[");
    bad(b.data, EVM_E_INPUT, "1:33: the spec nests more than 32 levels");
    evm__buf_free(&b);

    /* unreadable, oversized */
    evm_error_clear(&e);
    CHECK(evm_map_load("/nonexistent/dir/kaz.yaml", &e) == NULL &&
              e.code == EVM_E_IO &&
              strstr(e.msg, "/nonexistent/dir/kaz.yaml") != NULL,
          "unreadable file is EVM_E_IO: %s", e.msg);
    char *big = malloc(EVM_SPEC_MAX_BYTES + 2);
    if (big) {
        memset(big, ' ', EVM_SPEC_MAX_BYTES + 1);
        big[EVM_SPEC_MAX_BYTES + 1] = '\0';
        evm_error_clear(&e);
        CHECK(evm_map_load_buffer("big.yaml", big, EVM_SPEC_MAX_BYTES + 1,
                                  &e) == NULL &&
                  e.code == EVM_E_TOOBIG &&
                  evm_status_exit_code(e.code) == 1 &&
                  strstr(e.msg, "16 MB") != NULL,
              "over 16 MB refused: %s", e.msg);
        char path[] = "/tmp/evm_spec_big_XXXXXX";
        int fd = mkstemp(path);
        if (fd >= 0) {
            ssize_t w = write(fd, big, EVM_SPEC_MAX_BYTES + 1);
            close(fd);
            evm_error_clear(&e);
            CHECK(w > 0 && evm_map_load(path, &e) == NULL &&
                      e.code == EVM_E_TOOBIG && strstr(e.msg, path) != NULL,
                  "oversized file refused: %s", e.msg);
            unlink(path);
        }
        free(big);
    }
}

/* Walks tests/bad/spec: each file's first line is "# expect: FRAGMENT";
 * loading (and resolving without a gazetteer) must fail with a message
 * that starts with the file's path and contains the fragment. */
static void test_corpus(void)
{
    const char *root = getenv("EVMAP_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/bad/spec", root ? root : ".");
    DIR *d = opendir(dir);
    CHECK(d != NULL, "corpus directory %s", dir);
    if (!d)
        return;
    int files = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".yaml"))
            continue;
        char path[2048], line[1024] = "";
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f || !fgets(line, sizeof line, f)) {
            CHECK(0, "%s: readable", path);
            if (f)
                fclose(f);
            continue;
        }
        fclose(f);
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "# expect: ", 10)) {
            CHECK(0, "%s: line 1 is \"# expect: ...\"", path);
            continue;
        }
        const char *frag = line + 10;
        files++;
        evm_error e;
        evm_error_clear(&e);
        evm_map *m = evm_map_load(path, &e);
        if (m)
            evm_map_resolve(m, NULL, &e);
        char prefix[2100];
        snprintf(prefix, sizeof prefix, "%s:", path);
        CHECK(e.code != EVM_OK && evm_status_exit_code(e.code) == 1 &&
                  !strncmp(e.msg, prefix, strlen(prefix)) &&
                  strstr(e.msg, frag) != NULL,
              "%s: want \"%s\", got \"%s\" (status %d)", de->d_name, frag,
              e.msg, e.code);
        evm_map_free(m);
    }
    closedir(d);
    CHECK(files >= 40, "corpus has %d files", files);
}

static void test_types(void)
{
    /* every ACLED event_type and sub_event_type (FORMATS.md) */
    static const struct {
        const char *name;
        evm_category cat;
    } acled[] = {
        {"Battles", EVM_CAT_BATTLES},
        {"Armed clash", EVM_CAT_BATTLES},
        {"Government regains territory", EVM_CAT_BATTLES},
        {"Non-state actor overtakes territory", EVM_CAT_BATTLES},
        {"Explosions/Remote violence", EVM_CAT_EXPLOSIONS},
        {"Air/drone strike", EVM_CAT_EXPLOSIONS},
        {"Shelling/artillery/missile attack", EVM_CAT_EXPLOSIONS},
        {"Remote explosive/landmine/IED", EVM_CAT_EXPLOSIONS},
        {"Grenade", EVM_CAT_EXPLOSIONS},
        {"Suicide bomb", EVM_CAT_EXPLOSIONS},
        {"Chemical weapon", EVM_CAT_EXPLOSIONS},
        {"Violence against civilians", EVM_CAT_VIOLENCE_CIV},
        {"Attack", EVM_CAT_VIOLENCE_CIV},
        {"Abduction/forced disappearance", EVM_CAT_VIOLENCE_CIV},
        {"Sexual violence", EVM_CAT_VIOLENCE_CIV},
        {"Protests", EVM_CAT_PROTESTS},
        {"Peaceful protest", EVM_CAT_PROTESTS},
        {"Protest with intervention", EVM_CAT_PROTESTS},
        {"Excessive force against protesters", EVM_CAT_PROTESTS},
        {"Riots", EVM_CAT_RIOTS},
        {"Violent demonstration", EVM_CAT_RIOTS},
        {"Mob violence", EVM_CAT_RIOTS},
        {"Strategic developments", EVM_CAT_STRATEGIC},
        {"Agreement", EVM_CAT_STRATEGIC},
        {"Arrests", EVM_CAT_STRATEGIC},
        {"Change to group/activity", EVM_CAT_STRATEGIC},
        {"Disrupted weapons use", EVM_CAT_STRATEGIC},
        {"Headquarters or base established", EVM_CAT_STRATEGIC},
        {"Looting/property destruction", EVM_CAT_STRATEGIC},
        {"Non-violent transfer of territory", EVM_CAT_STRATEGIC},
        {"Other", EVM_CAT_STRATEGIC},
    };
    for (size_t i = 0; i < sizeof acled / sizeof acled[0]; i++) {
        const evm_event_type *t = evm__event_type_find(acled[i].name);
        CHECK(t && t->cat == acled[i].cat, "ACLED \"%s\"", acled[i].name);
        /* the ACLED names map back to themselves */
        CHECK(t && (!strcmp(t->event_type, acled[i].name) ||
                    (t->sub_event_type &&
                     !strcmp(t->sub_event_type, acled[i].name))),
              "ACLED \"%s\" keeps its ACLED name", acled[i].name);
    }
    /* news words: category, glyph, legend */
    static const struct {
        const char *name;
        evm_category cat;
        evm_glyph glyph;
        const char *legend;
    } words[] = {
        {"clash", EVM_CAT_BATTLES, EVM_GLYPH_NONE, "Armed clash"},
        {"armed clash", EVM_CAT_BATTLES, EVM_GLYPH_NONE, "Armed clash"},
        {"fighting", EVM_CAT_BATTLES, EVM_GLYPH_NONE, "Armed clash"},
        {"battle", EVM_CAT_BATTLES, EVM_GLYPH_NONE, "Battle"},
        {"shelling", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Shelling"},
        {"artillery", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Shelling"},
        {"airstrike", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Airstrike"},
        {"air strike", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Airstrike"},
        {"drone strike", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Drone strike"},
        {"missile strike", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE,
         "Missile strike"},
        {"explosion", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Explosion"},
        {"bombing", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "Bombing"},
        {"IED", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE, "IED"},
        {"suicide bombing", EVM_CAT_EXPLOSIONS, EVM_GLYPH_NONE,
         "Suicide bombing"},
        {"attack", EVM_CAT_VIOLENCE_CIV, EVM_GLYPH_NONE, "Attack"},
        {"massacre", EVM_CAT_VIOLENCE_CIV, EVM_GLYPH_NONE, "Massacre"},
        {"abduction", EVM_CAT_VIOLENCE_CIV, EVM_GLYPH_NONE, "Abduction"},
        {"killing", EVM_CAT_VIOLENCE_CIV, EVM_GLYPH_NONE, "Killing"},
        {"protest", EVM_CAT_PROTESTS, EVM_GLYPH_NONE, "Protest"},
        {"demonstration", EVM_CAT_PROTESTS, EVM_GLYPH_NONE, "Protest"},
        {"rally", EVM_CAT_PROTESTS, EVM_GLYPH_NONE, "Rally"},
        {"strike", EVM_CAT_PROTESTS, EVM_GLYPH_NONE, "Strike"},
        {"riot", EVM_CAT_RIOTS, EVM_GLYPH_NONE, "Riot"},
        {"unrest", EVM_CAT_RIOTS, EVM_GLYPH_NONE, "Unrest"},
        {"looting", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Looting"},
        {"arson", EVM_CAT_STRATEGIC, EVM_GLYPH_FIRE, "Arson"},
        {"seizure", EVM_CAT_STRATEGIC, EVM_GLYPH_FLAG, "Seizure"},
        {"captured", EVM_CAT_STRATEGIC, EVM_GLYPH_FLAG, "Seizure"},
        {"takeover", EVM_CAT_STRATEGIC, EVM_GLYPH_FLAG, "Seizure"},
        {"recaptured", EVM_CAT_BATTLES, EVM_GLYPH_FLAG, "Recaptured"},
        {"retaken", EVM_CAT_BATTLES, EVM_GLYPH_FLAG, "Recaptured"},
        {"arrest", EVM_CAT_STRATEGIC, EVM_GLYPH_BARS, "Arrests"},
        {"arrests", EVM_CAT_STRATEGIC, EVM_GLYPH_BARS, "Arrests"},
        {"detention", EVM_CAT_STRATEGIC, EVM_GLYPH_BARS, "Arrests"},
        {"base", EVM_CAT_STRATEGIC, EVM_GLYPH_SQUARE, "Base / HQ"},
        {"hq", EVM_CAT_STRATEGIC, EVM_GLYPH_SQUARE, "Base / HQ"},
        {"deployment", EVM_CAT_STRATEGIC, EVM_GLYPH_SQUARE, "Deployment"},
        {"troops", EVM_CAT_STRATEGIC, EVM_GLYPH_SQUARE, "Deployment"},
        {"airlift", EVM_CAT_STRATEGIC, EVM_GLYPH_PLANE, "Airlift"},
        {"agreement", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Agreement"},
        {"ceasefire", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Ceasefire"},
        {"curfew", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Curfew"},
        {"state of emergency", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE,
         "State of emergency"},
        {"evacuation", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Evacuation"},
        {"other", EVM_CAT_STRATEGIC, EVM_GLYPH_NONE, "Other"},
        {"economic", EVM_CAT_INFRA, EVM_GLYPH_NONE, "Economic"},
        {"oil", EVM_CAT_INFRA, EVM_GLYPH_DROP, "Oil / gas"},
        {"gas", EVM_CAT_INFRA, EVM_GLYPH_DROP, "Oil / gas"},
        {"pipeline", EVM_CAT_INFRA, EVM_GLYPH_DROP, "Pipeline"},
        {"rail", EVM_CAT_INFRA, EVM_GLYPH_RAILS, "Rail disruption"},
        {"railway", EVM_CAT_INFRA, EVM_GLYPH_RAILS, "Rail disruption"},
        {"rail disruption", EVM_CAT_INFRA, EVM_GLYPH_RAILS,
         "Rail disruption"},
        {"outage", EVM_CAT_INFRA, EVM_GLYPH_SIGNAL, "Outage"},
        {"blackout", EVM_CAT_INFRA, EVM_GLYPH_SIGNAL, "Outage"},
        {"internet shutdown", EVM_CAT_INFRA, EVM_GLYPH_SIGNAL,
         "Internet shutdown"},
        {"internet", EVM_CAT_INFRA, EVM_GLYPH_SIGNAL, "Internet shutdown"},
        {"power outage", EVM_CAT_INFRA, EVM_GLYPH_NONE, "Power outage"},
        {"airport", EVM_CAT_INFRA, EVM_GLYPH_PLANE, "Airport"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const evm_event_type *t = evm__event_type_find(words[i].name);
        CHECK(t && t->cat == words[i].cat && t->glyph == words[i].glyph &&
                  !strcmp(t->legend, words[i].legend),
              "\"%s\": got cat %d glyph %d legend \"%s\"", words[i].name,
              t ? (int)t->cat : -1, t ? (int)t->glyph : -1,
              t ? t->legend : "(none)");
    }
    /* spelling variants */
    const evm_event_type *a = evm__event_type_find("air/drone strike");
    CHECK(a && a == evm__event_type_find("AIR_DRONE-STRIKE") &&
              a == evm__event_type_find("  Air / Drone  strike "),
          "case, '_', '-', '/' and spaces are equivalent");
    CHECK(evm__event_type_find("state_of_emergency") ==
              evm__event_type_find("State-Of-Emergency"),
          "multi-word alias variants");
    CHECK(evm__event_type_find("rioot") == NULL, "unknown is NULL");
    CHECK(evm__event_type_find("") == NULL && !evm__event_type_find(NULL),
          "empty is NULL");
    const char *s = evm__event_type_suggest("rioot");
    CHECK(s && !strcmp(s, "riot"), "rioot -> riot, got %s", s ? s : "-");
    s = evm__event_type_suggest("airstrik");
    CHECK(s && evm__event_type_find(s) == evm__event_type_find("airstrike"),
          "airstrik -> airstrike");
    CHECK(evm__event_type_suggest("qqqqqqqqqqqq") == NULL, "no suggestion");
    /* every listed name resolves; every entry is complete */
    const char *const *names = evm__event_type_names();
    int n = 0, ok = 1;
    for (; names[n]; n++)
        if (!evm__event_type_find(names[n])) {
            ok = 0;
            fprintf(stderr, "listed name \"%s\" does not resolve\n",
                    names[n]);
        }
    CHECK(ok && n > 100, "all %d listed names resolve", n);
    for (int i = 0; i < evm__event_type_count(); i++) {
        const evm_event_type *t = evm__event_type_at(i);
        CHECK(t && t->key && t->event_type && t->legend && t->legend[0] &&
                  t->cat < EVM_CAT_COUNT && t->glyph < EVM_GLYPH_COUNT &&
                  evm__event_type_find(t->key) == t,
              "entry %d complete and found by its key", i);
    }
}

static void test_values(void)
{
    char d[11], t[21], why[80], c[8];
    CHECK(evm__parse_date("2022-01-06", d, t, why) == 0 &&
              !strcmp(d, "2022-01-06") && t[0] == '\0',
          "day");
    CHECK(evm__parse_date("2022-01-06T14:00", d, t, why) == 0 &&
              !strcmp(t, "2022-01-06T14:00:00Z"),
          "no offset is UTC");
    CHECK(evm__parse_date("2022-01-06T14:00:00Z", d, t, why) == 0 &&
              !strcmp(t, "2022-01-06T14:00:00Z"),
          "Z");
    CHECK(evm__parse_date("2022-01-06T14:00:00+06:00", d, t, why) == 0 &&
              !strcmp(d, "2022-01-06") && !strcmp(t, "2022-01-06T08:00:00Z"),
          "offset to UTC: %s", t);
    CHECK(evm__parse_date("2022-01-06T02:30:00+06:00", d, t, why) == 0 &&
              !strcmp(d, "2022-01-06") && !strcmp(t, "2022-01-05T20:30:00Z"),
          "offset crosses midnight, day stays as written: %s", t);
    CHECK(evm__parse_date("2021-12-31T23:30-0100", d, t, why) == 0 &&
              !strcmp(t, "2022-01-01T00:30:00Z"),
          "negative offset, compact form: %s", t);
    CHECK(evm__parse_date("2022-01-06 14:00:05.250", d, t, why) == 0 &&
              !strcmp(t, "2022-01-06T14:00:05Z"),
          "space separator, fraction dropped");
    CHECK(evm__parse_date("2024-02-29", d, t, why) == 0, "leap day");
    CHECK(evm__parse_date("2000-02-29", d, t, why) == 0, "leap 2000");
    CHECK(evm__parse_date("1900-02-29", d, t, why) < 0, "1900 not leap");
    CHECK(evm__parse_date("2022-02-30", d, t, why) < 0 &&
              strstr(why, "February 2022 has 28 days"),
          "Feb 30: %s", why);
    CHECK(evm__parse_date("2022-04-31", d, t, why) < 0, "Apr 31");
    CHECK(evm__parse_date("2022-00-10", d, t, why) < 0, "month 0");
    CHECK(evm__parse_date("2022-01-06T", d, t, why) < 0, "dangling T");
    CHECK(evm__parse_date("2022-01-06T14", d, t, why) < 0, "hour only");
    CHECK(evm__parse_date("2022-01-06x", d, t, why) < 0, "trailing junk");
    CHECK(evm__parse_date("2022-01-06T14:00Zjunk", d, t, why) < 0,
          "junk after zone");
    CHECK(evm__parse_date("20220106", d, t, why) < 0, "basic format");
    CHECK(evm__parse_time_of_day("2022-01-06", "09:30", t, why) == 0 &&
              !strcmp(t, "2022-01-06T09:30:00Z"),
          "time of day");
    CHECK(evm__parse_time_of_day("2022-01-06", "09:30+06:00", t, why) == 0 &&
              !strcmp(t, "2022-01-06T03:30:00Z"),
          "time of day with offset");
    CHECK(evm__parse_time_of_day("2022-01-06", "9:30", t, why) < 0,
          "one-digit hour");
    CHECK(evm__parse_color("#C00", c) == 0 && !strcmp(c, "#cc0000"), "#rgb");
    CHECK(evm__parse_color("#2E6DB4", c) == 0 && !strcmp(c, "#2e6db4"),
          "#rrggbb");
    CHECK(evm__parse_color("red", c) < 0 && evm__parse_color("#ccc0", c) < 0 &&
              evm__parse_color("#ggg", c) < 0 && evm__parse_color("#", c) < 0,
          "bad colours");
    CHECK(evm__move_type_find("Airlift") == EVM_MOVE_AIRLIFT &&
              evm__move_type_find("supply") == EVM_MOVE_SUPPLY &&
              evm__move_type_find("jump") < 0,
          "movement types");
    CHECK(!strcmp(evm__move_type_str(EVM_MOVE_WITHDRAWAL), "withdrawal"),
          "movement type names");
}

/* A path beside the spec file: layers and area paths are stored
 * relative to where the spec lives. */
static void test_file_paths(void)
{
    char dir[] = "/tmp/evm_spec_dir_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("layers:\n  - { path: front.geojson }\n  - { path: "
              "\"PG:dbname=x\" }\n  - { path: /vsizip/a.zip/b.shp }\n",
              f);
        fclose(f);
    }
    evm_error e;
    evm_error_clear(&e);
    evm_map *m = evm_map_load(path, &e);
    CHECK(m != NULL, "load from file: %s", e.msg);
    if (m && m->nlayers == 3) {
        char want[300];
        snprintf(want, sizeof want, "%s/front.geojson", dir);
        CHECK_STR(m->layers[0].path, want, "relative path resolved");
        CHECK_STR(m->layers[1].path, "PG:dbname=x", "connection kept");
        CHECK_STR(m->layers[2].path, "/vsizip/a.zip/b.shp", "absolute kept");
        CHECK_STR(m->file, path, "file name kept");
    }
    evm_map_free(m);
    unlink(path);
    rmdir(dir);
}

/* Resolution through the shipped gazetteer; skipped while it is not
 * built. */
static void test_gazetteer(void)
{
    evm_error e;
    evm_error_clear(&e);
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &e);
    if (!gz) {
        printf("gazetteer cases skipped: %s\n", e.msg);
        return;
    }
    static const char spec[] =
        "context: { country: KZ }\n"
        "events:\n"
        "  - { place: Almaty, type: riot }\n"
        "  - { place: Tengiz, kind: oil field, type: oil }\n"
        "movements:\n"
        "  - { from: Ivanovo, to: Almaty, type: airlift }\n";
    evm_map *m = load("kaz.yaml", spec, &e);
    CHECK(m != NULL, "gazetteer spec loads: %s", e.msg);
    if (m) {
        evm_error_clear(&e);
        CHECK(evm_map_resolve(m, gz, &e) == EVM_OK, "resolves: %s", e.msg);
        const evm_placeref *p = &m->events[0].where;
        CHECK(p->has_coord && fabs(p->lat - 43.25) < 0.1 &&
                  fabs(p->lon - 76.92) < 0.1 &&
                  !strcmp(p->resolved_country, "KZ"),
              "Almaty -> %s %.3f %.3f", p->resolved_country, p->lat, p->lon);
        CHECK(EVM_H(p)->resolved_id && EVM_H(p)->resolved_name, "Almaty has id and name");
        p = &m->events[1].where;
        CHECK(p->has_coord && !strcmp(p->resolved_country, "KZ") &&
                  p->lon > 50 && p->lon < 56 && p->lat > 44 && p->lat < 48,
              "Tengiz oil field in western KZ: %s %.3f %.3f",
              p->resolved_country, p->lat, p->lon);
        p = &m->movements[0].from;
        CHECK(p->has_coord && !strcmp(p->resolved_country, "RU") &&
                  fabs(p->lat - 57.0) < 0.3 && fabs(p->lon - 40.97) < 0.3,
              "Ivanovo outside the context country -> Russia: %s %.2f %.2f",
              p->resolved_country, p->lat, p->lon);
    }
    evm_map_free(m);
    /* the nearness rule: an ambiguous name takes the reading among the
     * map's other places, unless that reading is merely a bit nearer */
    static const struct {
        const char *spec, *name, *cc;
        double lon_min, lon_max;
    } near[] = {
        {"events:\n  - { place: Rennes, type: protest }\n"
         "  - { place: Quimper, type: protest }\n"
         "  - { place: Brest, type: protest }\n",
         "Brest in Brittany", "FR", -5, -4},
        {"events:\n  - { place: Minsk, type: protest }\n"
         "  - { place: Hrodna, type: protest }\n"
         "  - { place: Brest, type: protest }\n",
         "Brest in Belarus", "BY", 23, 24.5},
        {"events:\n  - { place: Beirut, type: protest }\n"
         "  - { place: Sidon, type: protest }\n"
         "  - { place: Tripoli, type: protest }\n",
         "Tripoli in Lebanon", "LB", 35, 36.5},
        {"events:\n  - { place: Almaty, type: riot }\n"
         "  - { place: Almaty, type: arrests }\n"
         "  - { place: Zhanaozen, type: protest }\n"
         "  - { place: Aktau, type: protest }\n",
         "Aktau on the Caspian, not a village nearer Almaty", "KZ", 50, 52},
    };
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        m = load("near.yaml", near[i].spec, &e);
        if (!m)
            continue;
        evm_error_clear(&e);
        const evm_placeref *p = &m->events[m->nevents - 1].where;
        CHECK(evm_map_resolve(m, gz, &e) == EVM_OK &&
                  !strcmp(p->resolved_country, near[i].cc) &&
                  p->lon >= near[i].lon_min && p->lon <= near[i].lon_max,
              "%s: got %s %.3f %.3f (%s)", near[i].name,
              p->resolved_country, p->lat, p->lon, e.msg);
        evm_map_free(m);
    }
    /* the shipped example resolves completely */
    const char *root = getenv("EVMAP_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/kazakhstan-2022.yaml",
             root ? root : ".");
    evm_error_clear(&e);
    m = evm_map_load(path, &e);
    CHECK(m && evm_map_resolve(m, gz, &e) == EVM_OK,
          "the Kazakhstan example resolves: %s", e.msg);
    evm_map_free(m);

    m = load("kaz.yaml", "events:\n  - place: Almatty\n    type: riot\n", &e);
    if (m) {
        evm_error_clear(&e);
        CHECK(evm_map_resolve(m, gz, &e) == EVM_E_NOTFOUND &&
                  strstr(e.msg, "kaz.yaml:2:12: unknown place \"Almatty\" — "
                                "did you mean \"Almaty\" (KZ, ") != NULL,
              "Almatty suggests Almaty: %s", e.msg);
    }
    evm_map_free(m);
    evm_gazetteer_close(gz);
}

int main(void)
{
    test_full();
    test_defaults();
    test_background();
    test_bad();
    test_corpus();
    test_types();
    test_values();
    test_file_paths();
    test_gazetteer();
    TEST_REPORT();
}
