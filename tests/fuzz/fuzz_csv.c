/* libFuzzer target for generic CSV/TSV tables and the tokenizer under
 * them: any bytes, header and all (see table_fuzz.h). */
#include "table_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_table("t.csv", "", data, size);
}
