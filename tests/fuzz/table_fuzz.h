/* What the table fuzz targets share: the input is written after a fixed
 * prefix (the format's header, or a first row) to a file in /dev/shm
 * (the readers take paths; tmpfs keeps it in memory) and read with
 * evm__table_read. Any input must give either events that are whole
 * (a type, coordinates in range, ISO dates) or one clear error line that
 * names the file, never a crash, a hang or a leak. Included by one
 * fuzz_*.c file each. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmap.h"
#include "model.h"
#include "tables/tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ud, const char *msg)
{
    (void)ud;
    if (!msg || strchr(msg, '\n'))
        abort(); /* a warning is one line */
}

static int check_event(void *ud, const evm_event *e, const char *const *x,
                       evm_error *err)
{
    long *n = ud;
    (void)x;
    (void)err;
    if (!e->type || !e->type->key || !e->where.has_coord ||
        !(e->where.lat >= -90 && e->where.lat <= 90) ||
        !(e->where.lon >= -180 && e->where.lon <= 180) ||
        (e->date && strlen(e->date) != 10) ||
        (unsigned)e->where.precision > EVM_PREC_COUNTRY)
        abort();
    (*n)++;
    return 0;
}

/* Reads prefix + data as a table named name (its extension chooses the
 * reader). */
static int fuzz_table(const char *name, const char *prefix,
                      const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/evm-fuzz-%d-%s", (int)getpid(),
             name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fputs(prefix, f);
    fwrite(data, 1, size, f);
    fclose(f);
    evm_table_opts o;
    evm_table_opts_init(&o);
    o.skip_bad = size > 0 && (data[size - 1] & 1);
    o.all = size > 0 && (data[size - 1] & 2);
    o.warn = quiet;
    long n = 0;
    evm__table_cb cb = {NULL, check_event, NULL, NULL, &n};
    evm_table_stats st;
    evm_error e;
    evm_error_clear(&e);
    evm_status s = evm__table_read(path, &o, 0, &cb, &st, &e);
    unlink(path);
    if (s != EVM_OK) {
        /* a failure always says where and what, on one line */
        if (e.code == EVM_OK || !strstr(e.msg, path) || strchr(e.msg, '\n'))
            abort();
        return 0;
    }
    if (e.code != EVM_OK || n != st.events || st.events > st.rows)
        abort();
    return 0;
}
