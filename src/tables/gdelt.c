/* GDELT event files (gdeltproject.org): tab-separated without a header,
 * 61 columns in GDELT 2.0, 58 in 1.0's daily files and 57 in its
 * backfiles (1.0's geography blocks lack ADM2Code). The columns are
 * named here by position, as the GDELT codebook names them, and mapped
 * by name as every other format's. Events are placed at ActionGeo; their
 * type comes from the CAMEO code. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tables/reader.h"

/* ------------------------------------------------------------- columns */

#define ACTOR(a)                                                            \
    a "Code", a "Name", a "CountryCode", a "KnownGroupCode",               \
        a "EthnicCode", a "Religion1Code", a "Religion2Code",              \
        a "Type1Code", a "Type2Code", a "Type3Code"
#define GEO2(g)                                                             \
    g "_Type", g "_FullName", g "_CountryCode", g "_ADM1Code",             \
        g "_ADM2Code", g "_Lat", g "_Long", g "_FeatureID"
#define GEO1(g)                                                             \
    g "_Type", g "_FullName", g "_CountryCode", g "_ADM1Code", g "_Lat",   \
        g "_Long", g "_FeatureID"
#define EVENT                                                               \
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",       \
        ACTOR("Actor1"), ACTOR("Actor2"), "IsRootEvent", "EventCode",      \
        "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",   \
        "NumMentions", "NumSources", "NumArticles", "AvgTone"

static const char *const NAMES2[] = {
    EVENT, GEO2("Actor1Geo"), GEO2("Actor2Geo"), GEO2("ActionGeo"),
    "DATEADDED", "SOURCEURL", NULL};
/* 1.0's backfiles (57 columns) end before SOURCEURL: the engine takes
 * only as many names as the file has columns. */
static const char *const NAMES1[] = {
    EVENT, GEO1("Actor1Geo"), GEO1("Actor2Geo"), GEO1("ActionGeo"),
    "DATEADDED", "SOURCEURL", NULL};

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static int detect_row2(int n, char delim, const char *f0)
{
    return delim == '\t' && n == 61 && all_digits(f0);
}

static int detect_row1(int n, char delim, const char *f0)
{
    return delim == '\t' && (n == 57 || n == 58) && all_digits(f0);
}

/* --------------------------------------------------------------- rules */

/* ActionGeo: its point, FIPS country, kind of place and feature id. Rows
 * without coordinates are counted and dropped. */
static int where(evm__tr *t, const evm__trow *r, evm_event *e, int *rc)
{
    int clat = t->col[C_LAT], clon = t->col[C_LON];
    const char *la = evm__tval(r, clat), *lo = evm__tval(r, clon);
    if (!la || !lo) {
        t->st->no_location++;
        return 1;
    }
    if (evm__tcoord(t, r, clat, la, 90, "latitude", &e->where.lat, rc) < 0 ||
        evm__tcoord(t, r, clon, lo, 180, "longitude", &e->where.lon, rc) < 0)
        return -1;
    e->where.has_coord = 1;
    e->where.pos.line = e->pos.line;
    e->where.pos.col = r->fcol[clat];
    e->where.name = (char *)evm__tval(r, t->col[C_PLACE]);
    const char *iso = evm__fips_to_iso(evm__tval(r, t->col[C_COUNTRY]));
    if (iso)
        memcpy(e->where.resolved_country, iso, 3);
    static const char *const kinds[] = {"", "country", "admin1", "city",
                                        "city", "admin1"};
    const char *gt = evm__tval(r, t->col[C_PREC]);
    int k = gt && gt[0] >= '1' && gt[0] <= '5' && !gt[1] ? gt[0] - '0' : 0;
    e->where.h->resolved_kind = k ? (char *)kinds[k] : NULL;
    const char *fid = evm__tval(r, t->col[C_PID]);
    if (fid) {
        snprintf(t->pid, sizeof t->pid, "%s:%.80s",
                 k == 3 ? "gnis" : k == 4 ? "gns" : "fips", fid);
        e->where.h->resolved_id = t->pid;
    }
    return 0;
}

/* The CAMEO code -> event type key: a few base codes have their own
 * type, the rest go by their root code. */
static const char *type(evm__tr *t, const evm__trow *r, int *tcol, int *rc)
{
    static const struct {
        const char *code, *key;
    } m[] = {
        {"145", "riot"},          {"173", "arrests"},
        {"181", "abduction/forced disappearance"},
        {"183", "bombing"},       {"186", "killing"},
        {"194", "shelling"},      {"195", "airstrike"},
        {"14", "protest"},        {"15", "deployment"},
        {"17", "arrests"},        {"18", "attack"},
        {"19", "armed clash"},    {"20", "violence against civilians"},
    };
    (void)rc;
    const char *base = evm__tval(r, t->col[C_SUB]);
    const char *root = evm__tval(r, t->col[C_EVT]);
    *tcol = t->col[C_EVT];
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (base && !strcmp(base, m[i].code))
            return m[i].key;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (root && !strcmp(root, m[i].code))
            return m[i].key;
    return "other";
}

static const evm__tcol COLS[] = {
    {C_LAT, {"ActionGeo_Lat"}, NULL},
    {C_LON, {"ActionGeo_Long"}, NULL},
    {C_PLACE, {"ActionGeo_FullName"}, NULL},
    {C_COUNTRY, {"ActionGeo_CountryCode"}, NULL},
    {C_PREC, {"ActionGeo_Type"}, NULL},
    {C_PID, {"ActionGeo_FeatureID"}, NULL},
    {C_SUB, {"EventBaseCode"}, NULL},
    {C_EVT, {"EventRootCode"}, NULL},
    {C_DATE, {"SQLDATE"}, NULL},
    {C_SIDE, {"Actor1Name"}, NULL},
    {(evm__trole)-1, {NULL}, NULL}};

static const evm__textra EXTRAS[] = {
    {"GLOBALEVENTID", "GLOBALEVENTID", EVM_FT_STRING},
    {"EventCode", "EventCode", EVM_FT_STRING},
    {"EventBaseCode", "EventBaseCode", EVM_FT_STRING},
    {"EventRootCode", "EventRootCode", EVM_FT_STRING},
    {"QuadClass", "QuadClass", EVM_FT_INT},
    {"GoldsteinScale", "GoldsteinScale", EVM_FT_REAL},
    {"NumMentions", "NumMentions", EVM_FT_INT},
    {"NumSources", "NumSources", EVM_FT_INT},
    {"NumArticles", "NumArticles", EVM_FT_INT},
    {"AvgTone", "AvgTone", EVM_FT_REAL},
    {"Actor2Name", "Actor2Name", EVM_FT_STRING},
    {"ActionGeo_Type", "ActionGeo_Type", EVM_FT_INT},
    {"ActionGeo_ADM1Code", "ActionGeo_ADM1Code", EVM_FT_STRING},
    {"DATEADDED", "DATEADDED", EVM_FT_STRING},
    {"SOURCEURL", "SOURCEURL", EVM_FT_STRING},
    {NULL, NULL, EVM_FT_STRING}};

/* ActionGeo_Type: 1 a country, 2 a US state, 3 a US city, 4 a world
 * city, 5 a world first-order division (types 1, 2 and 5 are centroids). */
static const evm__tprec PREC[] = {
    {"1", EVM_PREC_COUNTRY}, {"2", EVM_PREC_ADMIN1}, {"3", EVM_PREC_EXACT},
    {"4", EVM_PREC_EXACT},   {"5", EVM_PREC_ADMIN1}, {NULL, EVM_PREC_EXACT}};

/* A GDELT map shows conflict: verbal (3) and material (4), not the
 * statements, consultations and cooperation of classes 1 and 2 that
 * make up most of every file. */
static const char *const CONFLICT[] = {"QuadClass=3", "QuadClass=4", NULL};

const evm__tfmt EVM__FMT_GDELT2 = {
    .name = "gdelt-2.0",
    .title = "GDELT",
    .source = "Data: The GDELT Project, gdeltproject.org",
    .detect_row = detect_row2,
    .names = NAMES2,
    .cols = COLS,
    .extras = EXTRAS,
    .own_columns = 1,
    .where = where,
    .prec = PREC,
    .type = type,
    .default_where = CONFLICT,
    .ragged_by_columns = 1,
};

const evm__tfmt EVM__FMT_GDELT1 = {
    .name = "gdelt-1.0",
    .title = "GDELT",
    .source = "Data: The GDELT Project, gdeltproject.org",
    .detect_row = detect_row1,
    .names = NAMES1,
    .cols = COLS,
    .extras = EXTRAS,
    .own_columns = 1,
    .where = where,
    .prec = PREC,
    .type = type,
    .default_where = CONFLICT,
    .ragged_by_columns = 1,
};
