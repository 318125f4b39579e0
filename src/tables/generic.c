/* Any other CSV/TSV or GDAL layer: columns found by their common names
 * (the first name of each list that the header has wins), every other
 * column carried along with the events. A GeoJSON evmap wrote reads
 * back through this format too (its place_* and style columns). */
#include <stddef.h>

#include "core/csv.h"
#include "tables/reader.h"

static const evm__tcol COLS[] = {
    {C_LAT, {NULL}, EVM_CSV_LAT_NAMES},
    {C_LON, {NULL}, EVM_CSV_LON_NAMES},
    {C_PLACE, {"place", "location", "name", "city", "town", "locality",
               "site", "where_coordinates", "#loc+name"}, NULL},
    {C_TYPE, {"type", "category"}, NULL},
    {C_SUB, {"sub_event_type"}, NULL},
    {C_EVT, {"event_type"}, NULL},
    {C_DATE, {"date", "event_date", "day", "date_start", "start_date",
              "#date"}, NULL},
    {C_TIME, {"time", "datetime"}, NULL},
    {C_LABEL, {"label", "title", "description", "notes", "text",
               "headline", "summary"}, NULL},
    {C_FAT, {"fatalities", "deaths", "killed", "dead", "casualties"}, NULL},
    {C_SIDE, {"side", "actor", "actor1", "party"}, NULL},
    {C_CONF, {"confidence"}, NULL},
    {C_COUNTRY, {"country", "country_code", "countrycode", "iso2",
                 "iso_a2", "cc"}, NULL},
    {C_ISO3, {"iso3", "iso_a3"}, NULL},
    {C_PNAME, {"place_name"}, NULL},
    {C_PID, {"place_id"}, NULL},
    {C_PCOUNTRY, {"place_country"}, NULL},
    {C_PKIND, {"place_kind"}, NULL},
    {C_PREC, {"precision"}, NULL},
    {C_FEATURE, {"feature"}, NULL},
    {C_STROKE, {"stroke"}, NULL},
    {C_FROM, {"from"}, NULL},
    {C_TO, {"to"}, NULL},
    {C_VIA, {"via"}, NULL},
    {(evm__trole)-1, {NULL}, NULL}};

static const evm__textra EXTRAS[] = {{NULL, NULL, EVM_FT_STRING}};

/* The names evmap writes (evm_precision_str). */
static const evm__tprec PREC[] = {{"exact", EVM_PREC_EXACT},
                                  {"admin2", EVM_PREC_ADMIN2},
                                  {"admin1", EVM_PREC_ADMIN1},
                                  {"country", EVM_PREC_COUNTRY},
                                  {NULL, EVM_PREC_EXACT}};

const evm__tfmt EVM__FMT_GENERIC = {
    .name = "csv",
    .cols = COLS,
    .extras = EXTRAS,
    .all_extras = 1,
    .prec = PREC,
};
