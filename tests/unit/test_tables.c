/* Event tables: the CSV tokenizer (quotes, newlines in fields, CRLF,
 * BOM, delimiters), format sniffing and row -> event mapping for ACLED
 * (both layouts and date formats), GDELT 1.0/2.0 (57/58/61 columns, rows
 * without coordinates), UCDP GED (HDX's hashtag row, quoted newlines),
 * generic CSV (lat/lon, place columns, named columns), bad rows with and
 * without skip_bad, round trips through GeoJSON, and events: { from: }
 * in specs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "core/core.h"
#include "model.h"
#include "core/csv.h"
#include "tables/tables.h"
#include "spec/build.h"
#include "spec/spec.h"

static char root[1024], tmpdir[256];
static evm_gazetteer *gz;

static const char *fixture(const char *name)
{
    static char b[4][1300];
    static int k;
    k = (k + 1) % 4;
    snprintf(b[k], sizeof b[k], "%s/tests/data/tables/%s", root, name);
    return b[k];
}

static const char *tmp(const char *name)
{
    static char b[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(b[k], sizeof b[k], "%s/%s", tmpdir, name);
    return b[k];
}

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(text, 1, n, f);
        fclose(f);
    }
}

static char *slurp(const char *path)
{
    char *b = NULL;
    size_t n = 0;
    evm_error e = {0};
    if (evm__read_file(path, (size_t)1 << 30, &b, &n, &e) != EVM_OK)
        return NULL;
    return b;
}

/* ---------------------------------------------------------- tokenizer */

static void test_csv(void)
{
    const char text[] = "\xEF\xBB\xBF" "a,b,c\r\n"
                        "1,\"two, with comma\",3\r\n"
                        "\r\n"
                        "x,\"line one\r\nline \"\"two\"\"\",z\n"
                        "last,,\"\"";
    const char *p = tmp("tok.csv");
    write_file(p, text, sizeof text - 1);
    evm_error e = {0};
    evm__csv *c = evm__csv_open(p, &e);
    CHECK(c != NULL, "open: %s", e.msg);
    if (!c)
        return;
    CHECK(evm__csv_next(c, &e) == 1, "header");
    CHECK(evm__csv_delim(c) == ',', "comma sniffed");
    CHECK_STR(evm__csv_field(c, 0), "a", "BOM skipped");
    CHECK(evm__csv_field_col(c, 0) == 1, "BOM takes no column");
    CHECK(evm__csv_next(c, &e) == 1 && evm__csv_nfield(c) == 3, "row 1");
    CHECK_STR(evm__csv_field(c, 1), "two, with comma", "quoted comma");
    CHECK(evm__csv_field_col(c, 2) == 21, "column of field 3: %d",
          evm__csv_field_col(c, 2));
    CHECK(evm__csv_next(c, &e) == 1, "row 2 (empty line skipped)");
    CHECK(evm__csv_line(c) == 4, "row 2 starts on line 4: %ld",
          evm__csv_line(c));
    CHECK_STR(evm__csv_field(c, 1), "line one\nline \"two\"",
              "newline and doubled quotes in a field");
    CHECK(evm__csv_field_line(c, 2) == 5, "field after a newline is on "
          "line 5: %ld", evm__csv_field_line(c, 2));
    CHECK(evm__csv_next(c, &e) == 1 && evm__csv_nfield(c) == 3,
          "last row without a line end");
    CHECK_STR(evm__csv_field(c, 2), "", "empty quoted field");
    CHECK(evm__csv_next(c, &e) == 0, "end");
    evm__csv_close(c);

    /* tabs and semicolons */
    p = tmp("tok.tsv");
    write_file(p, "a\tb;c\n1\t2\n", 11);
    c = evm__csv_open(p, &e);
    CHECK(c && evm__csv_next(c, &e) == 1 && evm__csv_delim(c) == '\t' &&
              evm__csv_nfield(c) == 2,
          "tab sniffed");
    evm__csv_close(c);
    p = tmp("tok.ssv");
    write_file(p, "a;b;c\n1;2,5;3\n", 14);
    c = evm__csv_open(p, &e);
    CHECK(c && evm__csv_next(c, &e) == 1 && evm__csv_delim(c) == ';',
          "semicolon sniffed");
    CHECK(c && evm__csv_next(c, &e) == 1 &&
              !strcmp(evm__csv_field(c, 1), "2,5"),
          "comma kept inside a semicolon field");
    evm__csv_close(c);

    /* an unterminated quote names where it opened */
    p = tmp("tok-open.csv");
    write_file(p, "a,b\n1,\"open\n2,3\n", 17);
    evm_error_clear(&e);
    c = evm__csv_open(p, &e);
    CHECK(c && evm__csv_next(c, &e) == 1, "header");
    CHECK(c && evm__csv_next(c, &e) == -1 && strstr(e.msg, ":2:3:"),
          "unterminated quote at 2:3: %s", e.msg);
    evm__csv_close(c);

    /* from memory, quotes as data (plain TSV), the shared column names */
    static const char mem[] = "\xEF\xBB\xBFName\t Latitude \tlng\n"
                              "\"Quoted\" Town\t43.1\t76.1\n";
    evm_error_clear(&e);
    c = evm__csv_open_mem("mem.tsv", mem, sizeof mem - 1, &e);
    CHECK(c != NULL, "open_mem: %s", e.msg);
    if (c) {
        evm__csv_set_delim(c, '\t');
        evm__csv_no_quotes(c);
        CHECK(evm__csv_next(c, &e) == 1 && evm__csv_nfield(c) == 3,
              "header from memory, BOM skipped");
        const char *names[3] = {evm__csv_field(c, 0), evm__csv_field(c, 1),
                                evm__csv_field(c, 2)};
        CHECK(evm__csv_find_col(names, 3, EVM_CSV_LAT_NAMES) == 1 &&
                  evm__csv_find_col(names, 3, EVM_CSV_LON_NAMES) == 2,
              "latitude/longitude by the one list, spaces and case aside");
        CHECK(evm__csv_next(c, &e) == 1 &&
                  !strcmp(evm__csv_field(c, 0), "\"Quoted\" Town"),
              "quotes are data: %s", evm__csv_field(c, 0));
        CHECK(evm__csv_next(c, &e) == 0, "end of the buffer");
    }
    evm__csv_close(c);
    CHECK(evm__utf8_bad_offset("ok \xc3\xa9", 5) == -1, "valid UTF-8");
    CHECK(evm__utf8_bad_offset("caf\xe9", 4) == 3, "bad byte offset");
}

/* -------------------------------------------------------------- tables */

struct got {
    int n, nmove, narea, nx;
    evm_event e[16];
    char label[16][200], date[16][11], time[16][21], side[16][80];
    char place[16][120], pid[16][80], cc[16][3];
    char extra[16][600];
    char format[16];
};

static int got_begin(void *ud, const evm_table_stats *st,
                     const evm__extras *x, evm_error *err)
{
    struct got *g = ud;
    (void)x;
    (void)err;
    snprintf(g->format, sizeof g->format, "%s", st->format);
    g->nx = x ? x->n : 0;
    return 0;
}

static int got_event(void *ud, const evm_event *e, const char *const *x,
                     evm_error *err)
{
    struct got *g = ud;
    (void)err;
    if (g->n >= 16)
        return 0;
    int i = g->n++;
    g->e[i] = *e;
    snprintf(g->label[i], 200, "%s", e->label ? e->label : "");
    snprintf(g->date[i], 11, "%s", e->date ? e->date : "");
    snprintf(g->time[i], 21, "%s", e->time ? e->time : "");
    snprintf(g->side[i], 80, "%s", e->side ? e->side : "");
    snprintf(g->place[i], 120, "%s", e->where.name ? e->where.name : "");
    snprintf(g->pid[i], 80, "%s",
             EVM_H(&e->where)->resolved_id ? EVM_H(&e->where)->resolved_id
                                           : "");
    memcpy(g->cc[i], e->where.resolved_country, 3);
    /* the extra columns' values, "|"-joined */
    size_t k = 0;
    for (int j = 0; x && j < g->nx && k < sizeof g->extra[i]; j++)
        k += (size_t)snprintf(g->extra[i] + k, sizeof g->extra[i] - k,
                              "%s|", x[j] ? x[j] : "");
    return 0;
}

static evm_status read_into(const char *path, evm_table_opts *o,
                            struct got *g, evm_table_stats *st,
                            evm_error *e)
{
    memset(g, 0, sizeof *g);
    evm__table_cb cb = {got_begin, got_event, NULL, NULL, g};
    return evm__table_read(path, o, 0, &cb, st, e);
}

static void test_acled(void)
{
    struct got g;
    evm_table_stats st;
    evm_error e = {0};
    evm_table_opts o;
    evm_table_opts_init(&o);
    CHECK(read_into(fixture("acled_new.csv"), &o, &g, &st, &e) == EVM_OK,
          "acled_new: %s", e.msg);
    CHECK_STR(g.format, "acled", "ACLED recognised by its header");
    CHECK(g.n == 4, "4 events, got %d", g.n);
    CHECK_STR(g.e[0].type->key, "mob violence", "sub_event_type chooses");
    CHECK_STR(g.e[0].type->event_type, "Riots", "event_type");
    CHECK(g.e[0].fatalities == 8, "fatalities");
    CHECK_STR(g.side[0], "Rioters (Kazakhstan)", "actor1 as side");
    CHECK_STR(g.label[0], "", "notes are no label: a map labels places");
    CHECK(strstr(g.extra[0], "|Rioters stormed the akimat; \"dozens\" "
                             "injured|") != NULL,
          "notes travel as a column, doubled quotes: %s", g.extra[0]);
    CHECK(g.e[0].where.precision == EVM_PREC_EXACT &&
              g.e[3].where.precision == EVM_PREC_ADMIN2,
          "geo_precision 1 -> exact, 2 -> admin2");
    CHECK_STR(g.cc[0], "KZ", "country name -> KZ");
    CHECK_STR(g.place[2], "Almaty International Airport", "location");
    CHECK_NEAR(g.e[2].where.lon, 77.0405, 1e-9, "longitude");
    CHECK_STR(g.e[3].type->key, "arrests", "Arrests");
    CHECK_STR(g.date[1], "2022-01-04", "ISO date");
    CHECK(read_into(fixture("acled_old.csv"), &o, &g, &st, &e) == EVM_OK,
          "acled_old: %s", e.msg);
    CHECK_STR(g.format, "acled", "old layout recognised");
    CHECK(g.n == 3, "3 events");
    CHECK_STR(g.date[0], "2022-01-06", "\"06 January 2022\"");
    CHECK_STR(g.date[1], "2022-01-07", "\"7 January 2022\"");
    CHECK_STR(g.date[2], "2025-05-16", "\"16 May 2025\"");
    CHECK_STR(g.e[1].type->key, "shelling/artillery/missile attack",
              "Shelling/artillery/missile attack");
    CHECK_STR(g.cc[2], "UA", "Ukraine -> UA");
}

static void test_gdelt(void)
{
    static const char *const files[] = {"gdelt2.export.CSV",
                                        "gdelt1_daily.export.CSV",
                                        "gdelt1_backfile.CSV"};
    static const char *const fmts[] = {"gdelt-2.0", "gdelt-1.0",
                                       "gdelt-1.0"};
    for (int f = 0; f < 3; f++) {
        struct got g;
        evm_table_stats st;
        evm_error e = {0};
        evm_table_opts o;
        evm_table_opts_init(&o);
        /* by default only the conflict classes (QuadClass 3 and 4) */
        CHECK(read_into(fixture(files[f]), &o, &g, &st, &e) == EVM_OK,
              "%s: %s", files[f], e.msg);
        CHECK(g.n == 3 && st.filtered == 2, "%s: 3 conflict events, 2 "
              "rows left out (got %d, %ld)", files[f], g.n, st.filtered);
        CHECK_STR(g.e[2].type->key, "arrests", "root 17 -> arrests");
        o.all = 1;
        CHECK(read_into(fixture(files[f]), &o, &g, &st, &e) == EVM_OK,
              "%s: %s", files[f], e.msg);
        CHECK_STR(g.format, fmts[f], "GDELT version by column count");
        CHECK(g.n == 4 && st.no_location == 1 && st.bad == 0,
              "%s: 4 events, 1 row without coordinates (got %d, %ld)",
              files[f], g.n, st.no_location);
        CHECK_STR(g.e[0].type->key, "riot", "CAMEO 145 -> riot");
        CHECK_STR(g.e[1].type->key, "armed clash", "root 19 -> clash");
        CHECK_STR(g.e[2].type->key, "other", "root 08 -> other");
        CHECK_STR(g.e[3].type->key, "arrests", "root 17 -> arrests");
        CHECK_STR(g.cc[1], "UA", "FIPS UP -> UA");
        CHECK_STR(g.cc[0], "KZ", "FIPS KZ -> KZ");
        CHECK_STR(g.date[0], "2022-01-05", "SQLDATE");
        CHECK_STR(g.side[1], "RUSSIA", "Actor1Name");
        CHECK_STR(g.pid[0], "gns:-2453123", "FeatureID");
        CHECK_NEAR(g.e[1].where.lat, 50.4333, 1e-9, "ActionGeo_Lat");
    }
    CHECK(evm_path_is_table(fixture("gdelt2.export.CSV")),
          "GDELT by extension");
}

static void test_ucdp(void)
{
    struct got g;
    evm_table_stats st;
    evm_error e = {0};
    evm_table_opts o;
    evm_table_opts_init(&o);
    CHECK(read_into(fixture("ucdp_hdx.csv"), &o, &g, &st, &e) == EVM_OK,
          "ucdp: %s", e.msg);
    CHECK_STR(g.format, "ucdp", "UCDP recognised");
    CHECK(g.n == 5 && st.rows == 5, "the HXL row is skipped: %d events, "
          "%ld rows", g.n, st.rows);
    CHECK_STR(g.e[0].type->key, "armed clash", "non-state -> clash");
    CHECK_STR(g.e[1].type->key, "attack", "one-sided -> attack");
    CHECK(g.e[1].fatalities == 6, "best as fatalities");
    CHECK_STR(g.cc[0], "BD", "iso3 BGD -> BD");
    CHECK_STR(g.place[0], "Bh\xc4\x81nd\xc4\x81ria town",
              "where_coordinates");
    CHECK_STR(g.date[0], "2013-12-13", "date_start");
    CHECK(g.e[3].pos.line == 6 && g.e[4].pos.line == 8,
          "rows after a quoted newline keep their line: %d, %d",
          g.e[3].pos.line, g.e[4].pos.line);
}

static void test_generic(void)
{
    struct got g;
    evm_table_stats st;
    evm_error e = {0};
    evm_table_opts o;
    evm_table_opts_init(&o);
    CHECK(read_into(fixture("generic_latlon.csv"), &o, &g, &st, &e) ==
              EVM_OK,
          "latlon: %s", e.msg);
    CHECK(g.n == 3, "3 events");
    CHECK_STR(g.label[0], "Clashes near\nthe akimat", "CRLF in a field");
    CHECK_STR(g.time[0], "2022-01-05T08:30:00Z", "offset time -> UTC");
    CHECK_STR(g.date[0], "2022-01-05", "its day");
    CHECK(g.e[0].fatalities == 8, "Deaths as fatalities");
    CHECK(g.e[1].fatalities == -1, "empty fatalities");
    /* a place column, through the gazetteer */
    o.gz = gz;
    CHECK(read_into(fixture("generic_place.csv"), &o, &g, &st, &e) ==
              EVM_OK,
          "place: %s", e.msg);
    CHECK(g.n == 4, "4 events");
    CHECK_NEAR(g.e[0].where.lat, 43.25, 0.1, "Almaty resolved");
    CHECK(!strncmp(g.pid[0], "geonames:", 9), "gazetteer id: %s", g.pid[0]);
    CHECK_STR(g.cc[0], "KZ", "country");
    CHECK(g.e[0].fatalities == 44, "fatalities");
    /* named columns */
    evm_table_opts_init(&o);
    o.gz = gz;
    CHECK(read_into(fixture("generic_columns.csv"), &o, &g, &st, &e) ==
              EVM_E_INPUT,
          "without --lat/--lon/--place the columns are not found");
    CHECK(strstr(e.msg, "--lat") != NULL, "the error says what to do");
    evm_error_clear(&e);
    o.lat = "y_coord";
    o.lon = "x_coord";
    o.place = "spot";
    o.type = "what";
    o.date = "when";
    CHECK(read_into(fixture("generic_columns.csv"), &o, &g, &st, &e) ==
              EVM_OK,
          "named columns: %s", e.msg);
    CHECK(g.n == 2, "2 events");
    CHECK_STR(g.e[0].type->key, "armed clash", "--type");
    CHECK_STR(g.date[1], "2022-01-04", "--date");
    CHECK(g.e[1].where.has_coord && fabs(g.e[1].where.lon - 51.2) < 0.5,
          "a row without coordinates resolves its place");
    evm_error_clear(&e);
    o.type = "nope";
    CHECK(read_into(fixture("generic_columns.csv"), &o, &g, &st, &e) ==
              EVM_E_USAGE && strstr(e.msg, "nope"),
          "a missing named column: %s", e.msg);
}

static int nwarn;
static char lastwarn[1200];

static void on_warn(void *ud, const char *msg)
{
    (void)ud;
    nwarn++;
    snprintf(lastwarn, sizeof lastwarn, "%s", msg);
}

static void test_bad(void)
{
    static const struct {
        const char *file, *where, *what;
        int good;
    } t[] = {
        {"bad/ragged.csv", "ragged.csv:3:", "5 fields", 2},
        {"bad/badnum.csv", "badnum.csv:3:1", "bad latitude", 1},
        {"bad/range.csv", "range.csv:3:1", "out of range", 1},
        {"bad/unknown_place.csv", "unknown_place.csv:3:1", "unknown place",
         1},
        {"bad/badutf8.csv", "badutf8.csv:3:", "invalid UTF-8", 1},
        {"bad/badtype.csv", "badtype.csv:2:", "did you mean \"riot\"", 0},
        {"bad/baddate.csv", "baddate.csv:2:", "28 days", 0},
        {"bad/badfatal.csv", "badfatal.csv:2:", "fatalities", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct got g;
        evm_table_stats st;
        evm_error e = {0};
        evm_table_opts o;
        evm_table_opts_init(&o);
        o.gz = gz;
        o.warn = on_warn;
        evm_status s = read_into(fixture(t[i].file), &o, &g, &st, &e);
        CHECK(s == EVM_E_INPUT || s == EVM_E_NOTFOUND, "%s fails: %d",
              t[i].file, s);
        CHECK(strstr(e.msg, t[i].where) && strstr(e.msg, t[i].what),
              "%s: message names %s and %s: %s", t[i].file, t[i].where,
              t[i].what, e.msg);
        CHECK(strstr(e.msg, "--skip-bad") != NULL, "says what to do");
        /* skip_bad: a warning and a count, the good rows stay */
        evm_error_clear(&e);
        nwarn = 0;
        o.skip_bad = 1;
        s = read_into(fixture(t[i].file), &o, &g, &st, &e);
        CHECK(s == EVM_OK, "%s with skip_bad: %s", t[i].file, e.msg);
        CHECK(st.bad == 1 && nwarn == 1 && g.n == t[i].good,
              "%s: %ld bad, %d warnings, %d events", t[i].file, st.bad,
              nwarn, g.n);
        CHECK(strstr(lastwarn, t[i].where) != NULL, "the warning names "
              "the row: %s", lastwarn);
    }
    /* an open quote is not a row to skip */
    struct got g;
    evm_table_stats st;
    evm_error e = {0};
    evm_table_opts o;
    evm_table_opts_init(&o);
    o.skip_bad = 1;
    CHECK(read_into(fixture("bad/openquote.csv"), &o, &g, &st, &e) ==
              EVM_E_INPUT && strstr(e.msg, "openquote.csv:2:18"),
          "open quote: %s", e.msg);
    /* warnings are capped, the count is not */
    char *big = malloc(64 * 1000 + 64);
    if (big) {
        size_t n = (size_t)sprintf(big, "lat,lon,type\n");
        for (int i = 0; i < 1000; i++)
            n += (size_t)sprintf(big + n, "%d,1,riot\n", i % 2 ? 1 : 99);
        write_file(tmp("many-bad.csv"), big, n);
        free(big);
        evm_table_opts_init(&o);
        o.skip_bad = 1;
        o.warn = on_warn;
        o.max_warnings = 5;
        nwarn = 0;
        evm_error_clear(&e);
        CHECK(read_into(tmp("many-bad.csv"), &o, &g, &st, &e) == EVM_OK &&
                  st.bad == 500 && nwarn == 5 && st.events == 500,
              "500 bad rows, 5 warnings: %ld, %d, %ld events", st.bad, nwarn,
              st.events);
    }
}

/* table -> GeoJSON -> the same GeoJSON again; and GDAL sources made by
 * ogr2ogr read as tables */
static void test_round_trip(void)
{
    static const char *const files[] = {
        "acled_new.csv", "acled_old.csv", "gdelt2.export.CSV",
        "gdelt1_backfile.CSV", "ucdp_hdx.csv", "generic_latlon.csv",
        "generic_place.csv", "generic.tsv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char a[400], b[400];
        snprintf(a, sizeof a, "%s/rt%zu-a.geojson", tmpdir, i);
        snprintf(b, sizeof b, "%s/rt%zu-b.geojson", tmpdir, i);
        evm_table_opts o;
        evm_table_opts_init(&o);
        o.gz = gz;
        evm_error e = {0};
        CHECK(evm_table_export(fixture(files[i]), &o, EVM_FMT_GEOJSON, a,
                               NULL, &e) == EVM_OK,
              "%s: %s", files[i], e.msg);
        CHECK(evm_table_export(a, &o, EVM_FMT_GEOJSON, b, NULL, &e) ==
                  EVM_OK,
              "%s read back: %s", files[i], e.msg);
        char *x = slurp(a), *y = slurp(b);
        CHECK(x && y && !strcmp(x, y), "%s: round trip not identical",
              files[i]);
        free(x);
        free(y);
    }
    /* a map with movements and areas */
    const char *spec =
        "events:\n"
        "  - { place: Almaty, type: riot, date: 2022-01-05, label: x }\n"
        "movements:\n"
        "  - { from: Moscow, to: Almaty, type: airlift, side: CSTO }\n"
        "areas:\n"
        "  - { place: Kazakhstan, type: unrest, side: CSTO }\n";
    evm_error e = {0};
    evm_map *m = evm_map_load_buffer("rt.yaml", spec, strlen(spec), &e);
    if (m && evm_map_resolve(m, gz, &e) == EVM_OK) {
        evm_render_opts ro;
        evm_render_opts_init(&ro);
        ro.format = EVM_FMT_GEOJSON;
        CHECK(evm_map_render(m, &ro, tmp("map-a.geojson"), &e) == EVM_OK,
              "map export: %s", e.msg);
        CHECK(evm_table_export(tmp("map-a.geojson"), NULL, EVM_FMT_GEOJSON,
                               tmp("map-b.geojson"), NULL, &e) == EVM_OK,
              "map read back: %s", e.msg);
        char *x = slurp(tmp("map-a.geojson")), *y = slurp(tmp("map-b.geojson"));
        CHECK(x && y && !strcmp(x, y), "map round trip not identical");
        free(x);
        free(y);
        /* and as a map in memory */
        evm_table_stats st;
        evm_map *m2 = evm_map_load_table(tmp("map-a.geojson"), NULL, &st,
                                         &e);
        CHECK(m2 && m2->nevents == 1 && m2->nmovements == 1 &&
                  m2->nareas == 1,
              "movements and areas come back: %s", e.msg);
        evm_map_free(m2);
    } else {
        CHECK(0, "round-trip spec: %s", e.msg);
    }
    evm_map_free(m);
}

static void test_paths(void)
{
    CHECK(evm_path_is_table("x.csv") && evm_path_is_table("x.TSV") &&
              evm_path_is_table("x.gpkg") && evm_path_is_table("x.csv.gz"),
          "tables by extension");
    CHECK(!evm_path_is_table("x.yaml") && !evm_path_is_table("-"),
          "specs are not tables");
    write_file(tmp("fc.json"), "{ \"type\" : \"FeatureCollection\", "
               "\"features\": [] }", 48);
    write_file(tmp("spec.json"), "{\"title\": \"x\", \"events\": []}", 29);
    CHECK(evm_path_is_table(tmp("fc.json")), "a FeatureCollection .json");
    CHECK(!evm_path_is_table(tmp("spec.json")), "a JSON spec");
    CHECK_STR(evm__fips_to_iso("UP"), "UA", "FIPS UP");
    CHECK_STR(evm__fips_to_iso("gm"), "DE", "FIPS gm");
    CHECK_STR(evm__fips_to_iso("UK"), "GB", "FIPS UK");
    CHECK(evm__fips_to_iso("QQ") == NULL, "unknown FIPS");
}

/* events: { from: FILE } in a spec */
static void test_spec_from(void)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/spec", tmpdir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return;
    char p[500];
    snprintf(p, sizeof p, "%s/ev.csv", dir);
    const char *csv = "place,type,date\nAlmaty,riot,2022-01-05\n"
                      "Qwxzzyville,protest,2022-01-06\n";
    write_file(p, csv, strlen(csv));
    const char *spec = "title: t\nevents: { from: ev.csv }\n";
    snprintf(p, sizeof p, "%s/s.yaml", dir);
    evm_error e = {0};
    evm_map *m = evm_map_load_buffer(p, spec, strlen(spec), &e);
    CHECK(m && m->nevents == 2, "events from a table: %s", e.msg);
    if (m) {
        CHECK(evm_map_resolve(m, gz, &e) == EVM_E_NOTFOUND,
              "the unknown place fails");
        CHECK(strstr(e.msg, "ev.csv:3:1: unknown place \"Qwxzzyville\""),
              "the error names the table's row: %s", e.msg);
        CHECK(m->events[0].where.has_coord, "Almaty resolved");
    }
    evm_map_free(m);
    const char *bad = "events: { from: missing.csv }\n";
    evm_error_clear(&e);
    m = evm_map_load_buffer(p, bad, strlen(bad), &e);
    CHECK(!m && strstr(e.msg, "s.yaml:1:") && strstr(e.msg, "missing.csv"),
          "a missing table names the spec line: %s", e.msg);
    evm_map_free(m);
}

/* A table drawn without a spec: title, subtitle and source from the
 * data, or the options'; the style and extent options. */
static void test_titles(void)
{
    evm_error e = {0};
    evm_table_opts o;
    evm_table_opts_init(&o);
    evm_map *m = evm_map_load_table(fixture("ucdp_hdx.csv"), &o, NULL, &e);
    CHECK(m != NULL, "ucdp: %s", e.msg);
    if (m) {
        CHECK_STR(m->title, "UCDP GED: Bangladesh", "source and country");
        CHECK(m->subtitle && strstr(m->subtitle, " · 5 events, ") &&
                  strstr(m->subtitle, " deaths"),
              "date range and counts: %s", m->subtitle);
        CHECK(m->source && strstr(m->source, "ucdp.uu.se"), "attribution");
        CHECK(m->style == EVM_STYLE_AUTO, "style auto by default");
    }
    evm_map_free(m);
    m = evm_map_load_table(fixture("acled_new.csv"), &o, NULL, &e);
    CHECK(m != NULL, "acled: %s", e.msg);
    if (m) {
        CHECK_STR(m->title, "ACLED: Kazakhstan", "ACLED title");
        CHECK_STR(m->subtitle, "4–7 January 2022 · 4 events, 13 deaths",
                  "a range within a month");
    }
    evm_map_free(m);
    o.title = "Mine";
    o.subtitle = "";
    o.style = "hexbin";
    o.extent = "50,40,80,55";
    o.date_from = "2022-01-05";
    o.date_to = "2022-01-05";
    m = evm_map_load_table(fixture("acled_new.csv"), &o, NULL, &e);
    CHECK(m != NULL, "acled with options: %s", e.msg);
    if (m) {
        CHECK_STR(m->title, "Mine", "the option's title");
        CHECK(m->subtitle == NULL, "an empty subtitle is none");
        CHECK(m->style == EVM_STYLE_HEXBIN, "style hexbin");
        CHECK(m->extent_mode == EVM_EXTENT_BBOX && m->extent[0] == 50 &&
                  m->extent[3] == 55,
              "extent box");
        CHECK(m->nevents == 1, "the date window: %d events", m->nevents);
    }
    evm_map_free(m);
    /* the date range as a reader says it */
    static const struct {
        const char *d0, *d1, *want;
    } ranges[] = {
        {"2023-01-04", "2023-03-09", "4 January – 9 March 2023 · 2 events"},
        {"2021-12-03", "2022-01-09",
         "3 December 2021 – 9 January 2022 · 2 events"},
        {"1989-05-01", "2018-07-01", "1989–2018 · 2 events"},
        {"2022-01-06", "2022-01-06", "6 January 2022 · 2 events"}};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        char text[200];
        int n = snprintf(text, sizeof text, "lat,lon,type,date\n"
                         "43.2,76.9,riot,%s\n43.3,76.8,riot,%s\n",
                         ranges[i].d0, ranges[i].d1);
        write_file(tmp("range.csv"), text, (size_t)n);
        evm_table_opts r;
        evm_table_opts_init(&r);
        m = evm_map_load_table(tmp("range.csv"), &r, NULL, &e);
        CHECK(m && m->subtitle && !strcmp(m->subtitle, ranges[i].want),
              "range %s..%s: %s", ranges[i].d0, ranges[i].d1,
              m && m->subtitle ? m->subtitle : e.msg);
        evm_map_free(m);
    }
    o.style = "fancy";
    evm_error_clear(&e);
    m = evm_map_load_table(fixture("acled_new.csv"), &o, NULL, &e);
    CHECK(!m && e.code == EVM_E_USAGE && strstr(e.msg, "--style fancy"),
          "a bad style: %s", e.msg);
    evm_map_free(m);
}

/* A table's repeated values (type, date, side) are kept once in the
 * map and freed with it once (the sanitizer run checks the freeing);
 * labels are not kept, and the values read back as written. */
static void test_shared_strings(void)
{
    const char *csv = "lat,lon,type,date,label,side\n"
                      "43.2,76.9,riot,2022-01-05,One,Protesters\n"
                      "43.3,76.8,riot,2022-01-05,Two,Protesters\n"
                      "43.4,76.7,protest,2022-01-06,,Police\n";
    const char *p = tmp("shared.csv");
    write_file(p, csv, strlen(csv));
    evm_error e = {0};
    evm_table_stats st;
    evm_map *m = evm_map_load_table(p, NULL, &st, &e);
    CHECK(m != NULL, "shared: %s", e.msg);
    if (!m)
        return;
    CHECK(m->nevents == 3, "3 events");
    if (m->nevents == 3) {
        evm_event *v = m->events;
        CHECK(v[0].side == v[1].side, "one copy of a repeated side");
        CHECK(v[0].date == v[1].date, "one copy of a repeated date");
        CHECK(!v[0].where.h && !v[1].where.h,
              "rows with coordinates carry no place hint");
        CHECK(sizeof v[0] <= 112, "an event record is %zu bytes (at most "
              "112: a million rows are a million records)", sizeof v[0]);
        /* the map labels places with summaries: a row's text is not
         * kept, only that it has one */
        CHECK(v[0].label && v[1].label && !*v[1].label,
              "a row's label text is not kept in the map");
        CHECK_STR(v[1].side, "Protesters", "side");
        CHECK_STR(v[2].side, "Police", "another side");
        CHECK_STR(v[2].date, "2022-01-06", "another date");
        CHECK(v[2].label == NULL, "an empty label is none");
    }
    evm_map_free(m);
}

/* A map holds at most EVM_MAX_MAP_EVENTS events: the next row is an
 * input error naming the file and line, with what to do, not gigabytes. */
static void test_event_limit(void)
{
    evm_error e = {0};
    evm_map *m = evm__map_new("big.csv", &e);
    CHECK(m != NULL, "map");
    if (!m)
        return;
    evm_event ev;
    memset(&ev, 0, sizeof ev);
    ev.pos.line = 5000002;
    CHECK(evm__map_event_room(m, "big.csv", &ev, &e) == 0, "room at first");
    m->nevents = EVM_MAX_MAP_EVENTS - 1; /* counted, not allocated */
    CHECK(evm__map_event_room(m, "big.csv", &ev, &e) == 0, "room for last");
    m->nevents = EVM_MAX_MAP_EVENTS;
    CHECK(evm__map_event_room(m, "big.csv", &ev, &e) < 0 &&
              e.code == EVM_E_INPUT,
          "full after %d", EVM_MAX_MAP_EVENTS);
    CHECK(strstr(e.msg, "big.csv:5000002: more than 5000000 events") &&
              strstr(e.msg, "GeoJSON"),
          "says where and what to do: %s", e.msg);
    m->nevents = 0;
    evm_map_free(m);
}

int main(void)
{
    const char *r = getenv("EVMAP_ROOT");
    snprintf(root, sizeof root, "%s", r && *r ? r : ".");
    snprintf(tmpdir, sizeof tmpdir, "%s/evm-tab-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    evm_error e = {0};
    gz = evm_gazetteer_open(NULL, &e);
    CHECK(gz != NULL, "gazetteer: %s", e.msg);
    test_csv();
    test_acled();
    test_gdelt();
    test_ucdp();
    test_paths();
    test_titles();
    test_shared_strings();
    test_event_limit();
    if (gz) {
        test_generic();
        test_bad();
        test_round_trip();
        test_spec_from();
    }
    evm_gazetteer_close(gz);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    TEST_REPORT();
}
