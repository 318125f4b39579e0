/* evmap extract REPORT.txt|- [-o DRAFT.yaml] [--places FILE]
 *
 * Drafts a map spec from a news report (evm_extract) and writes it
 * atomically to -o (or stdout). A report that names no place writes
 * nothing and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"

static evm_status read_report(const char *path, char **buf, size_t *len,
                              evm_error *err)
{
    if (strcmp(path, "-"))
        return evm__read_file(path, EVM_GEOPARSE_MAX_TEXT, buf, len, err);
    evm_buf b;
    evm__buf_init(&b, EVM_GEOPARSE_MAX_TEXT);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (evm__buf_add(&b, chunk, n) < 0)
            return evm_error_set(err, EVM_E_TOOBIG, "stdin: a report is at "
                                 "most %u MB", EVM_GEOPARSE_MAX_TEXT >> 20);
    if (ferror(stdin))
        return evm_error_set(err, EVM_E_IO, "stdin: cannot read");
    *buf = b.data ? b.data : evm__strdup("");
    *len = b.len;
    return *buf ? EVM_OK : evm_error_set(err, EVM_E_NOMEM, "out of memory");
}

static char *draft(const char *path, const evm_gazetteer *gz, evm_error *err)
{
    char *text = NULL;
    size_t len = 0;
    if (read_report(path, &text, &len, err) != EVM_OK)
        return NULL;
    char *yaml = evm_extract(gz, text, len, err);
    free(text);
    if (!yaml && err->msg[0] && strncmp(err->msg, path, strlen(path))) {
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%.200s: %.800s", path, err->msg);
        memcpy(err->msg, m, sizeof m);
    }
    return yaml;
}

evm_map *cli_report_map(const char *path, const evm_gazetteer *gz,
                        evm_error *err)
{
    char *yaml = draft(path, gz, err);
    if (!yaml)
        return NULL;
    evm_map *m = evm_map_load_buffer(path, yaml, strlen(yaml), err);
    free(yaml);
    return m;
}

int cmd_extract(int argc, char **argv)
{
    const char *in = NULL, *out = "-", *places = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--places") && i + 1 < argc)
            places = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("extract", "unknown option '%s'", argv[i]);
        else if (in)
            return cli_usage("extract", "one report only");
        else
            in = argv[i];
    }
    if (!in)
        return cli_usage("extract", "no report (a .txt file, or -)");
    evm_error err;
    evm_error_clear(&err);
    evm_gazetteer *gz = cli_gazetteer(places, &err);
    if (!gz)
        return cli_fail(&err);
    char *yaml = draft(in, gz, &err);
    evm_gazetteer_close(gz);
    if (!yaml)
        return cli_fail(&err);
    evm_atomic a;
    if (evm__atomic_open(&a, out, &err) != EVM_OK) {
        free(yaml);
        return cli_fail(&err);
    }
    fputs(yaml, a.f);
    free(yaml);
    if (evm__atomic_commit(&a, &err) != EVM_OK)
        return cli_fail(&err);
    return 0;
}
