/* libFuzzer target for ACLED exports: rows after the current header (see
 * table_fuzz.h). */
#include "table_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_table(
        "a.csv",
        "event_id_cnty,event_date,year,time_precision,disorder_type,"
        "event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,"
        "assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
        "country,admin1,admin2,admin3,location,latitude,longitude,"
        "geo_precision,source,source_scale,notes,fatalities,tags,"
        "timestamp\n",
        data, size);
}
