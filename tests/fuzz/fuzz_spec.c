/* libFuzzer target for the map spec reader: any input must give either a
 * map or one clear error line, never a crash, a hang or a leak. Built by
 * tests/fuzz/build (make fuzz) with clang -fsanitize=fuzzer,address,
 * undefined; run it on a copy of tests/fuzz/corpus_spec. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evmap.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_error e;
    evm_error_clear(&e);
    evm_map *m = evm_map_load_buffer("fuzz.yaml", (const char *)data, size,
                                     &e);
    if (!m) {
        /* a failure always says where and what, on one line */
        if (e.code == EVM_OK || strncmp(e.msg, "fuzz.yaml:", 10) ||
            strchr(e.msg, '\n'))
            abort();
        return 0;
    }
    if (e.code != EVM_OK)
        abort();
    for (int i = 0; i < m->nevents; i++)
        if (!m->events[i].type || !m->events[i].type->key)
            abort();
    if (m->width < 16 || m->width > 20000 || m->height < 16 ||
        m->height > 20000)
        abort();
    /* resolution without a gazetteer: the spec's places: and coordinates */
    evm_map_resolve(m, NULL, &e);
    int n = 0;
    evm_placeref **refs = evm__map_placerefs(m, &n);
    for (int i = 0; i < n; i++)
        if (refs[i]->has_coord &&
            (refs[i]->lat < -90 || refs[i]->lat > 90 ||
             refs[i]->lon < -180 || refs[i]->lon > 180))
            abort();
    free(refs);
    evm_map_free(m);
    return 0;
}
