/* libFuzzer target for the gazetteer: the input is split at its first
 * NUL byte into a query for evm_geocode (and evm_geocode_suggest) and a
 * --places file body for the CSV/TSV reader. Any input must give matches,
 * no match, or one clear error line; never a crash, a hang or a leak;
 * and the lookup's fast path must answer as its general path does.
 *
 * Build with clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc
 * from this file, the .c files of src/gazetteer, src/core/error.c and
 * src/core/util.c,
 * linking -lutf8proc -lz -lm -lpthread; run it with EVMAP_DATA set to a
 * build directory (it reads gazetteer.evg) on a copy of
 * tests/fuzz/corpus_geocode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evmap.h"
#include "gazetteer/gaz_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static evm_gazetteer *shipped;

static void one_line(const evm_error *e)
{
    if (e->code == EVM_OK || !e->msg[0] || strchr(e->msg, '\n'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_error e = {0};
    if (!shipped && !(shipped = evm_gazetteer_open(NULL, &e)))
        abort(); /* set EVMAP_DATA to a build directory */
    const uint8_t *nul = memchr(data, 0, size);
    size_t qlen = nul ? (size_t)(nul - data) : size;
    char *q = malloc(qlen + 1);
    if (!q)
        return 0;
    memcpy(q, data, qlen);
    q[qlen] = '\0';

    evm_place out[4];
    evm_geocode_opts o = {.country = "KZ", .has_near = 1, .near_lat = 43,
                          .near_lon = 77};
    int n = evm_geocode(shipped, q, qlen % 2 ? &o : NULL, out, 4, &e);
    if (n < 0)
        one_line(&e);
    for (int i = 0; i < n; i++)
        if (!out[i].name || !out[i].id || out[i].score < 0 ||
            out[i].score > 1 || out[i].lat < -90 || out[i].lat > 90)
            abort();
    /* the fast path and the general one agree */
    evm_place gen[4];
    evm_error ge = {0};
    int ng = evm__geocode(shipped, q, qlen % 2 ? &o : NULL, gen, 4, 0, &ge);
    if (ng != n)
        abort();
    for (int i = 0; i < n; i++)
        if (strcmp(out[i].id, gen[i].id) != 0 ||
            strcmp(out[i].name, gen[i].name) != 0 ||
            out[i].score != gen[i].score)
            abort();
    if (n == 0) {
        const evm_place *s[3];
        int k = evm_geocode_suggest(shipped, q, s, 3);
        for (int i = 0; i < k; i++)
            if (!s[i] || !s[i]->name)
                abort();
    }

    if (nul) {
        evm_gazetteer *g = evm_gazetteer_open(NULL, &e);
        if (!g)
            abort();
        evm_error pe = {0};
        const char *body = (const char *)nul + 1;
        size_t blen = size - qlen - 1;
        evm_status st = evm__gz_add_places_buffer(g, "fuzz.csv", body, blen,
                                                  (int)(qlen & 1), &pe);
        if (st != EVM_OK) {
            one_line(&pe);
            if (strncmp(pe.msg, "fuzz.csv", 8) != 0 &&
                pe.code != EVM_E_NOMEM)
                abort();
        } else {
            evm_error ge = {0};
            evm_geocode(g, q, NULL, out, 4, &ge);
        }
        evm_gazetteer_close(g);
    }
    free(q);
    return 0;
}
