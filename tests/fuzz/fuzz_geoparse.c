/* libFuzzer target for the geoparser: the input is split at its first NUL
 * byte into a text for evm_geoparse and evm_extract and a JSON Lines line
 * for the batch reader. Any input must give toponyms whose offsets lie in
 * the text, in order, or one clear error line; never a crash, a hang or a
 * leak. A draft, when there is one, must be a spec the reader accepts.
 *
 * Build with `make fuzz` (tests/fuzz/build); run with EVMAP_DATA set to a
 * build directory on a copy of tests/fuzz/corpus_geoparse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evmap.h"
#include "geoparse/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static evm_gazetteer *shipped;

static void one_line(const evm_error *e)
{
    if (e->code == EVM_OK || !e->msg[0] || strchr(e->msg, '\n'))
        abort();
}

static size_t code_points(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_error e = {0};
    if (!shipped && !(shipped = evm_gazetteer_open(NULL, &e)))
        abort(); /* set EVMAP_DATA to a build directory */
    const uint8_t *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    const char *text = (const char *)data;

    evm_toponym *t = NULL;
    evm_geoparse_opts o = {.demonyms = (int)(size & 1), .country = NULL};
    long n = evm_geoparse(shipped, text, tlen, &o, &t, &e);
    if (n < 0)
        one_line(&e);
    else {
        size_t ncp = code_points(text, tlen), last = 0;
        for (long i = 0; i < n; i++) {
            if (t[i].start >= t[i].end || t[i].end > ncp ||
                t[i].byte_end > tlen || t[i].byte_start >= t[i].byte_end ||
                t[i].start < last ||
                code_points(text, t[i].byte_start) != t[i].start ||
                (t[i].resolved && !t[i].place.name))
                abort();
            last = t[i].start;
        }
        free(t);
        evm_error_clear(&e);
        char *yaml = evm_extract(shipped, text, tlen, &e);
        if (!yaml)
            one_line(&e);
        else {
            evm_error_clear(&e);
            evm_map *m = evm_map_load_buffer("draft", yaml, strlen(yaml), &e);
            if (!m)
                abort(); /* a draft must parse */
            evm_map_free(m);
            free(yaml);
        }
    }
    if (nul) {
        struct gp_jsonl j;
        gp_jsonl_init(&j, NULL, 1u << 20);
        evm_error_clear(&e);
        const char *line = (const char *)nul + 1;
        size_t llen = size - tlen - 1;
        if (gp_jsonl_parse(&j, line, llen, &e) < 0)
            one_line(&e);
        else if (strlen(j.id) >= sizeof j.id || !j.text)
            abort();
        gp_jsonl_free(&j);
    }
    return 0;
}
