/* libFuzzer target for GDELT 2.0 event files: rows after one valid row,
 * which makes the file GDELT's (see table_fuzz.h). */
#include "table_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_table(
        "g.CSV",
        "1018563401\t20220105\t202201\t2022\t2022.0137\tKAZ\t"
        "PROTESTER\tKAZ\t\t\t\t\t\t\t\t\tPOLICE\t\t\t\t\t\t\t\t\t1\t"
        "145\t145\t14\t3\t-6.5\t4\t1\t4\t-3.2\t4\t"
        "Almaty, Almaty, Kazakhstan\tKZ\tKZ02\t\t43.25\t76.95\t"
        "-2453123\t\t\t\t\t\t\t\t\t4\tAlmaty, Almaty, Kazakhstan\t"
        "KZ\tKZ02\t\t43.25\t76.95\t-2453123\t20220105143000\t"
        "https://example.org/a\n",
        data, size);
}
