/* libFuzzer target for UCDP GED tables: rows after HDX's header (see
 * table_fuzz.h); the HXL row may come from the input. */
#include "table_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_table(
        "u.csv",
        "id,year,active_year,type_of_violence,conflict_new_id,"
        "conflict_name,dyad_new_id,dyad_name,side_a_new_id,gwnoa,side_a,"
        "side_b_new_id,gwnob,side_b,number_of_sources,source_article,"
        "source_office,source_date,source_headline,source_original,"
        "where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,"
        "geom_wkt,priogrid_gid,country,iso3,country_id,region,"
        "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
        "deaths_civilians,deaths_unknown,best,high,low\n",
        data, size);
}
