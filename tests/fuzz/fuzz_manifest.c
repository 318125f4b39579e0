/* libFuzzer target for the batch manifest reader (the spec's YAML reader
 * under a manifest's meaning): any input must give either jobs or one
 * clear error line naming fuzz.yaml, never a crash, a hang or a leak;
 * every inline spec it yields must read as a map or fail the same way.
 * Spec files named by the input are not opened (a name such as
 * /dev/stdin would block). Built by tests/fuzz/build (make fuzz); run it
 * on a copy of tests/fuzz/corpus_manifest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"
#include "evmap.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line, named after the input, no raw control characters. */
static void check_msg(const evm_error *e)
{
    if (e->code == EVM_OK || strncmp(e->msg, "fuzz.yaml:", 10))
        abort();
    for (const unsigned char *p = (const unsigned char *)e->msg; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evm_batch_jobs jobs;
    evm_error e;
    evm_batch_jobs_init(&jobs);
    evm_error_clear(&e);
    evm_status st = evm_manifest_load_buffer("fuzz.yaml", (const char *)data,
                                             size, &jobs, &e);
    if (st != EVM_OK) {
        check_msg(&e);
        if (jobs.n != 0)
            abort(); /* nothing appended on error */
        evm_batch_jobs_free(&jobs);
        return 0;
    }
    if (jobs.n < 1)
        abort();
    for (int i = 0; i < jobs.n; i++) {
        const evm_batch_job *j = &jobs.v[i];
        if (!j->name || (!j->spec && !j->inline_doc) || j->line < 1)
            abort();
        if (j->output && !*j->output)
            abort();
        if (!j->inline_doc)
            continue;
        evm_error_clear(&e);
        evm_map *m = evm__job_load_map(j, &e);
        if (!m)
            check_msg(&e);
        evm_map_free(m);
    }
    evm_batch_jobs_free(&jobs);
    return 0;
}
