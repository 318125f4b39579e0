/* libFuzzer target for learned places: the input is read as an event
 * table (ACLED, UCDP, GDELT or CSV with place and coordinate columns)
 * learned into a gazetteer, and as a places index image (.evp) attached
 * to another; then a few names are looked up in each. Any input must be
 * learned, refused with one clear error line, or (an image) refused as
 * not a places index; never a crash, a hang, a leak or a match with
 * coordinates out of range. Built and run by tests/fuzz/build (make
 * fuzz) on a copy of tests/fuzz/corpus_places; EVMAP_DATA must name a
 * build directory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evmap.h"
#include "gazetteer/gaz_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lookups(evm_gazetteer *gz)
{
    static const char *const q[] = {"Almaty", "Qzorbani village",
                                    "Qzorbani, Borno, Nigeria", "Kyiv",
                                    "Dhaka town", "Bogoro, Borno"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        evm_place out[4];
        evm_error e = {0};
        int n = evm_geocode(gz, q[i], NULL, out, 4, &e);
        for (int j = 0; j < n; j++)
            if (!out[j].name || !out[j].id || !out[j].source ||
                out[j].lat < -90 || out[j].lat > 90 || out[j].lon < -180 ||
                out[j].lon > 180 || (unsigned)out[j].precision > 3)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_error e = {0};
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &e);
    if (!gz)
        abort(); /* set EVMAP_DATA to a build directory */
    int got = evm__gz_learn_buffer(gz, "fuzz.csv", (const char *)data, size,
                                   &e);
    if (got < 0 && (!e.msg[0] || strchr(e.msg, '\n')))
        abort();
    lookups(gz);
    evm_gazetteer_close(gz);

    gz = evm_gazetteer_open(NULL, &e);
    if (!gz)
        abort();
    evm_error ie = {0};
    if (evm__gz_attach_image(gz, "fuzz.evp", data, size, &ie) != EVM_OK &&
        !strstr(ie.msg, "not a places index") &&
        !strstr(ie.msg, "out of memory"))
        abort();
    lookups(gz);
    evm_gazetteer_close(gz);
    return 0;
}
