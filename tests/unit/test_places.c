/* Gazetteer: precision of every match, qualified names placed at their
 * qualifier's area (never at a namesake outside it), admin-2 areas, kind
 * words, the curated towns, crossings and front-line places, and places
 * learned from event tables (in memory and as a .evp index). Needs the
 * built index: $EVMAP_DATA/gazetteer.evg (tests/run sets EVMAP_DATA). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "evmap.h"
#include "gazetteer/gaz_int.h"
#include "harness.h"

static evm_gazetteer *gz;

static int top(evm_gazetteer *g, const char *q, evm_place *p)
{
    evm_error e = {0};
    return evm_geocode(g, q, NULL, p, 1, &e) == 1;
}

/* q resolves within km of lat, lon with precision prec (fallback fb). */
static void near(const char *q, double lat, double lon, double km,
                 evm_precision prec, int fb)
{
    evm_place p;
    if (!top(gz, q, &p)) {
        CHECK(0, "\"%s\" resolved to nothing", q);
        return;
    }
    double d = evm__distance_km(lat, lon, p.lat, p.lon);
    CHECK(d <= km, "\"%s\" -> %s (%s) is %.0f km off", q, p.name, p.id, d);
    CHECK(p.precision == prec, "\"%s\": precision %s, want %s", q,
          evm_precision_str(p.precision), evm_precision_str(prec));
    CHECK(p.fallback == fb, "\"%s\": fallback %d, want %d", q, p.fallback,
          fb);
}

static void test_precision(void)
{
    near("Almaty", 43.25, 76.91, 10, EVM_PREC_EXACT, 0);
    near("Kazakhstan", 48.0, 67.0, 800, EVM_PREC_COUNTRY, 0);
    near("Almaty Region", 45.0, 78.2, 150, EVM_PREC_ADMIN1, 0);
    /* admin-2 areas from GeoNames' codes, at their towns' centre */
    near("Lakshmipur District", 22.94, 90.83, 40, EVM_PREC_ADMIN2, 0);
    near("Harris County", 29.86, -95.39, 60, EVM_PREC_ADMIN2, 0);
    /* but a bare name is the town */
    evm_place p;
    CHECK(top(gz, "Lakshmipur", &p) && p.kind == EVM_KIND_CITY,
          "Lakshmipur: the town before its district");
}

static void test_fallback(void)
{
    /* the qualifier's area, never a namesake outside it */
    near("Bogoro, Borno, Nigeria", 11.9, 13.1, 150, EVM_PREC_ADMIN1, 1);
    near("Kwara, Zamfara", 12.1, 6.2, 150, EVM_PREC_ADMIN1, 1);
    near("Hebei, Jilin, China", 43.6, 126.2, 250, EVM_PREC_ADMIN1, 1);
    near("La Union, Sorsogon", 12.8, 124.0, 60, EVM_PREC_ADMIN1, 1);
    near("Xyzzyville, Kazakhstan", 48.0, 67.0, 800, EVM_PREC_COUNTRY, 1);
    /* a qualifier naming a district and a region: the finer */
    near("Mohanpur sub-district, Rajshahi, Bangladesh", 24.37, 88.64, 40,
         EVM_PREC_ADMIN2, 1);
    /* an unknown town in a district: the district */
    near("Xyzzypur, Lakshmipur District, Bangladesh", 22.94, 90.83, 40,
         EVM_PREC_ADMIN2, 1);
    /* a place inside its qualifiers is found as before */
    near("Bogoro, Bauchi, Nigeria", 9.67, 9.6, 40, EVM_PREC_EXACT, 0);
    near("Paris, Texas", 33.66, -95.56, 10, EVM_PREC_EXACT, 0);
    /* a region renamed or split since (event tables name the old one):
     * a town near it is still the place meant */
    near("Taoudenni, Timbuktu, Mali", 22.68, -3.98, 10, EVM_PREC_EXACT, 0);
    /* the warning */
    evm_place p;
    char buf[256];
    CHECK(top(gz, "Bogoro, Borno, Nigeria", &p) &&
              evm_geocode_note("Bogoro, Borno, Nigeria", &p, buf,
                               sizeof buf) &&
              !strcmp(buf, "Bogoro not found in Borno State; placed at "
                           "Borno State (admin1)"),
          "the fallback's warning: %s", buf);
    CHECK(top(gz, "Almaty", &p) &&
              !evm_geocode_note("Almaty", &p, buf, sizeof buf),
          "no warning for a place found by its name");
    /* with -n, namesakes elsewhere follow the area */
    evm_place many[4];
    evm_error e = {0};
    int n = evm_geocode(gz, "Bogoro, Borno, Nigeria", NULL, many, 4, &e);
    CHECK(n >= 2 && many[0].fallback && !many[1].fallback &&
              !strcmp(many[1].country, "NG"),
          "the namesake elsewhere comes after the area (%d)", n);
}

static void test_kind_words(void)
{
    near("Muse Township", 23.99, 97.90, 15, EVM_PREC_EXACT, 0);
    near("Rafah crossing", 31.247, 34.259, 3, EVM_PREC_EXACT, 0);
    near("Kerem Shalom crossing", 31.228, 34.284, 3, EVM_PREC_EXACT, 0);
    near("kibbutz Be'eri", 31.424, 34.491, 3, EVM_PREC_EXACT, 0);
    near("Jabalia camp", 31.53, 34.48, 5, EVM_PREC_EXACT, 0);
    near("Laukkaing town", 23.70, 98.76, 10, EVM_PREC_EXACT, 0);
    evm_place p;
    CHECK(top(gz, "Rafah crossing", &p) &&
              !strcmp(p.kind_name, "border crossing"),
          "a crossing is a crossing, not the town");
    CHECK(top(gz, "Rafah", &p) && p.kind == EVM_KIND_CITY,
          "a bare name is the town");
}

static void test_curated(void)
{
    /* towns GeoNames lacks: the town, not a site or airport named
     * after it */
    evm_place p;
    CHECK(top(gz, "Wadi Halfa", &p) && p.kind == EVM_KIND_CITY,
          "Wadi Halfa the town, not its airport: %s", p.name);
    near("Wadi Halfa", 21.80, 31.37, 5, EVM_PREC_EXACT, 0);
    CHECK(top(gz, "Chornobyl", &p) && p.kind == EVM_KIND_CITY,
          "Chornobyl the town, not the plant: %s", p.name);
    near("Stepanakert", 39.82, 46.75, 5, EVM_PREC_EXACT, 0);
    CHECK(top(gz, "Stepanakert", &p) && p.kind == EVM_KIND_CITY,
          "Stepanakert the town, not its district");
    /* front-line places and crossings in the news */
    near("Krynky", 46.73, 33.09, 5, EVM_PREC_EXACT, 0);
    near("Robotyne", 47.45, 35.84, 5, EVM_PREC_EXACT, 0);
    near("Kerem Shalom", 31.23, 34.28, 3, EVM_PREC_EXACT, 0);
    near("Bunagana", -1.29, 29.60, 5, EVM_PREC_EXACT, 0);
    near("Tal Rifaat", 36.47, 37.10, 5, EVM_PREC_EXACT, 0);
    near("Al-Tanf", 33.50, 38.66, 10, EVM_PREC_EXACT, 0);
    near("Torkham", 34.10, 71.09, 5, EVM_PREC_EXACT, 0);
    near("Bab al-Hawa", 36.23, 36.67, 5, EVM_PREC_EXACT, 0);
    near("Erez crossing", 31.56, 34.54, 3, EVM_PREC_EXACT, 0);
    near("Kfar Aza", 31.48, 34.53, 3, EVM_PREC_EXACT, 0);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s",
             getenv("TMPD") ? getenv("TMPD") : "/tmp", name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* A UCDP-layout table: a village GeoNames lacks, a row at admin-2
 * precision, a country-level row (not learned), an HXL tag row. */
static const char ucdp[] =
    "id,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,"
    "country\n"
    ",,#loc+name,#adm1+name,#adm2+name,#geo+lat,#geo+lon,#country+name\n"
    "1,1,Qzorbani village,Borno State,,11.61,13.42,Nigeria\n"
    "2,1,Qzorbani village,Borno State,,11.61,13.42,Nigeria\n"
    "3,3,Qzmali district,Borno State,,11.9,13.0,Nigeria\n"
    "4,6,Nigeria,,,9.0,8.0,Nigeria\n"
    "5,1,Almaty,Almaty,,43.30,76.95,Kazakhstan\n";

static void check_learned(evm_gazetteer *g, const char *src)
{
    evm_place p;
    CHECK(top(g, "Qzorbani", &p) && fabs(p.lat - 11.61) < 1e-6 &&
              !strcmp(p.source, src) && p.precision == EVM_PREC_EXACT &&
              !strcmp(p.country, "NG"),
          "a learned village: %s from %s", top(g, "Qzorbani", &p) ? p.name
                                                                : "-",
          p.source);
    CHECK(top(g, "Qzorbani village, Borno, Nigeria", &p) && !p.fallback &&
              fabs(p.lon - 13.42) < 1e-6,
          "its admin name is its qualifier");
    CHECK(top(g, "Qzorbani, Kano, Nigeria", &p) && p.fallback,
          "another region's qualifier rules it out");
    CHECK(top(g, "Qzmali district", &p) &&
              p.precision == EVM_PREC_ADMIN2,
          "the row's precision is kept");
    /* learned places rank above shipped ones of the same name */
    CHECK(top(g, "Almaty", &p) && !strcmp(p.source, src) &&
              fabs(p.lat - 43.30) < 1e-6,
          "learned Almaty first");
    CHECK(top(g, "Almaty, Kazakhstan", &p) && !strcmp(p.source, src),
          "learned Almaty first with its qualifier");
}

static void test_learned(void)
{
    evm_error e = {0};
    const char *path = write_tmp("ged_test.csv", ucdp);
    evm_gazetteer *g = evm_gazetteer_open(NULL, &e);
    CHECK(g && path &&
              evm_gazetteer_add_places(g, path, &e) == EVM_OK,
          "--places a UCDP table: %s", e.msg);
    if (g)
        check_learned(g, "places:ged_test.csv");
    evm_gazetteer_close(g);

    /* the same through a compiled index */
    char evp[600];
    snprintf(evp, sizeof evp, "%s/ged_test.evp",
             getenv("TMPD") ? getenv("TMPD") : "/tmp");
    const char *paths[1] = {path};
    evm_places_stats st;
    CHECK(evm_places_build(gz, paths, 1, evp, &st, &e) == EVM_OK,
          "places build: %s", e.msg);
    CHECK(st.rows == 6 && st.places == 3 && st.skipped == 2,
          "rows %ld, places %ld, skipped %ld", st.rows, st.places,
          st.skipped);
    g = evm_gazetteer_open(NULL, &e);
    CHECK(g && evm_gazetteer_add_places(g, evp, &e) == EVM_OK,
          "open the .evp: %s", e.msg);
    if (g)
        check_learned(g, "places:ged_test.csv");
    evm_gazetteer_close(g);

    /* a damaged index is refused, not read */
    FILE *f = fopen(evp, "r+b");
    if (f) {
        fseek(f, 24, SEEK_SET);
        fputc(0x7f, f);
        fputc(0x7f, f);
        fclose(f);
    }
    g = evm_gazetteer_open(NULL, &e);
    CHECK(g && evm_gazetteer_add_places(g, evp, &e) != EVM_OK &&
              strstr(e.msg, "not a places index"),
          "a damaged index: %s", e.msg);
    evm_gazetteer_close(g);
    /* every truncation is refused too */
    f = fopen(evp, "rb");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    for (size_t cut = 0; cut < n; cut += 7) {
        f = fopen(evp, "wb");
        if (!f)
            break;
        fwrite(buf, 1, cut, f);
        fclose(f);
        g = evm_gazetteer_open(NULL, &e);
        int bad = g && evm_gazetteer_add_places(g, evp, &e) != EVM_OK;
        evm_gazetteer_close(g);
        if (!bad) {
            CHECK(0, "an index cut at %zu bytes was accepted", cut);
            break;
        }
    }
    unlink(evp);
    unlink(path);
}

int main(void)
{
    evm_error e = {0};
    gz = evm_gazetteer_open(NULL, &e);
    CHECK(gz != NULL, "open the shipped index: %s", e.msg);
    if (!gz)
        TEST_REPORT();
    test_precision();
    test_fallback();
    test_kind_words();
    test_curated();
    test_learned();
    evm_gazetteer_close(gz);
    TEST_REPORT();
}
