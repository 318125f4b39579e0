/* ACLED exports (acleddata.com): both header layouts (the current one
 * beginning event_id_cnty, event_date, and the older one beginning
 * data_id, iso), ISO or "16 May 2025" dates. Events take their type from
 * sub_event_type, else event_type; their actors are sides (actor1) and
 * extra columns, their notes an extra column: a map labels events by
 * their place. */
#include <stddef.h>

#include "core/csv.h"
#include "tables/reader.h"

static int has(const char *const *names, int n, const char *name)
{
    const char *c[2] = {name, NULL};
    return evm__csv_find_col(names, n, c) >= 0;
}

static int detect(const char *const *names, int n, int gdal)
{
    return has(names, n, "event_id_cnty") && has(names, n, "event_date") &&
           has(names, n, "event_type") && (gdal || has(names, n, "latitude"));
}

static const evm__tcol COLS[] = {
    {C_LAT, {"latitude"}, NULL},       {C_LON, {"longitude"}, NULL},
    {C_PLACE, {"location"}, NULL},     {C_SUB, {"sub_event_type"}, NULL},
    {C_EVT, {"event_type"}, NULL},     {C_DATE, {"event_date"}, NULL},
    {C_FAT, {"fatalities"}, NULL},
    {C_SIDE, {"actor1"}, NULL},        {C_COUNTRY, {"country"}, NULL},
    {C_ISO3, {"iso3"}, NULL},          {C_PREC, {"geo_precision"}, NULL},
    {(evm__trole)-1, {NULL}, NULL}};

static const evm__textra EXTRAS[] = {
    {"event_id_cnty", "event_id_cnty", EVM_FT_STRING},
    {"disorder_type", "disorder_type", EVM_FT_STRING},
    {"actor2", "actor2", EVM_FT_STRING},
    {"admin1", "admin1", EVM_FT_STRING},
    {"admin2", "admin2", EVM_FT_STRING},
    {"geo_precision", "geo_precision", EVM_FT_INT},
    {"time_precision", "time_precision", EVM_FT_INT},
    {"source", "source", EVM_FT_STRING},
    {"notes", "notes", EVM_FT_STRING},
    {NULL, NULL, EVM_FT_STRING}};

/* geo_precision: 1 the place itself, 2 near it or in part of a region
 * (a district), 3 only the region (admin-1) is known. */
static const evm__tprec PREC[] = {{"1", EVM_PREC_EXACT},
                                  {"2", EVM_PREC_ADMIN2},
                                  {"3", EVM_PREC_ADMIN1},
                                  {NULL, EVM_PREC_EXACT}};

const evm__tfmt EVM__FMT_ACLED = {
    .name = "acled",
    .title = "ACLED",
    .source = "Data: ACLED, acleddata.com",
    .detect = detect,
    .cols = COLS,
    .extras = EXTRAS,
    .prec = PREC,
    .type_fallback = 1,
};
