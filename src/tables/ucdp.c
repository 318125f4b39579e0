/* UCDP Georeferenced Event Dataset (ucdp.uu.se): the GED CSV of every
 * release (imported by header name: 42 columns in 19.1, 49 from 22.1),
 * and HDX's with its HXL hashtag row. type_of_violence gives the event
 * type; best is the death toll. The actors are side_a (the event's side)
 * and extra columns, not labels: a map labels events by their place. */
#include <string.h>

#include "core/csv.h"
#include "tables/reader.h"

static int has(const char *const *names, int n, const char *name)
{
    const char *c[2] = {name, NULL};
    return evm__csv_find_col(names, n, c) >= 0;
}

static int detect(const char *const *names, int n, int gdal)
{
    return has(names, n, "type_of_violence") && has(names, n, "date_start") &&
           (gdal || has(names, n, "latitude"));
}

/* type_of_violence: 1 state-based and 2 non-state conflict are armed
 * clashes, 3 one-sided violence an attack on civilians. */
static const char *type(evm__tr *t, const evm__trow *r, int *tcol, int *rc)
{
    const char *v = evm__tval(r, t->col[C_TYPE]);
    *tcol = t->col[C_TYPE];
    if (v && strcmp(v, "1") && strcmp(v, "2") && strcmp(v, "3")) {
        *rc = evm__tbad(t, r, *tcol, EVM_E_INPUT, "type_of_violence must "
                        "be 1, 2 or 3, got \"%.40s\"", v);
        return NULL;
    }
    return !v ? "armed clash" : !strcmp(v, "3") ? "attack" : "armed clash";
}

static const evm__tcol COLS[] = {
    {C_LAT, {"latitude"}, NULL},
    {C_LON, {"longitude"}, NULL},
    {C_PLACE, {"where_coordinates"}, NULL},
    {C_TYPE, {"type_of_violence"}, NULL},
    {C_DATE, {"date_start"}, NULL},
    {C_FAT, {"best"}, NULL},
    {C_SIDE, {"side_a"}, NULL},
    {C_COUNTRY, {"country"}, NULL},
    {C_ISO3, {"iso3"}, NULL},
    {C_PREC, {"where_prec"}, NULL},
    {(evm__trole)-1, {NULL}, NULL}};

static const evm__textra EXTRAS[] = {
    {"id", "ucdp_id", EVM_FT_STRING},
    {"conflict_name", "conflict_name", EVM_FT_STRING},
    {"side_b", "side_b", EVM_FT_STRING},
    {"dyad_name", "dyad_name", EVM_FT_STRING},
    {"type_of_violence", "type_of_violence", EVM_FT_INT},
    {"where_prec", "where_prec", EVM_FT_INT},
    {"date_prec", "date_prec", EVM_FT_INT},
    {"date_end", "date_end", EVM_FT_STRING},
    {"low", "low", EVM_FT_INT},
    {"high", "high", EVM_FT_INT},
    {"adm_1", "adm_1", EVM_FT_STRING},
    {NULL, NULL, EVM_FT_STRING}};

/* where_prec (GED codebook): 1 the exact location, 2 within about 25 km
 * of a known point, 3 a second-order administrative division, 4 a
 * first-order one, 5 a part of the country larger than a first-order
 * division, 6 the whole country, 7 international waters or airspace.
 * 5 to 7 are no better than a country. */
static const evm__tprec PREC[] = {
    {"1", EVM_PREC_EXACT},   {"2", EVM_PREC_EXACT},   {"3", EVM_PREC_ADMIN2},
    {"4", EVM_PREC_ADMIN1},  {"5", EVM_PREC_COUNTRY}, {"6", EVM_PREC_COUNTRY},
    {"7", EVM_PREC_COUNTRY}, {NULL, EVM_PREC_EXACT}};

const evm__tfmt EVM__FMT_UCDP = {
    .name = "ucdp",
    .title = "UCDP GED",
    .source = "Data: UCDP Georeferenced Event Dataset, ucdp.uu.se",
    .detect = detect,
    .cols = COLS,
    .extras = EXTRAS,
    .prec = PREC,
    .type = type,
};
