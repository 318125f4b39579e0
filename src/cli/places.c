/* evmap places build TABLE... -o OUT.evp
 *
 * Compiles the place names and coordinates of event tables (ACLED, UCDP
 * GED, GDELT events, CSV with place, coordinate and admin or precision
 * columns) into a places index that --places (or EVMAP_PLACES) opens in
 * a few system calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_places(int argc, char **argv)
{
    const char *out = NULL;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n = 0, rc = 0;
    evm_gazetteer *gz = NULL;
    if (!paths) {
        fprintf(stderr, "evmap places: out of memory\n");
        return 3;
    }
    if (argc < 2 || strcmp(argv[1], "build") != 0) {
        rc = cli_usage("places", "the one subcommand is 'build'");
        goto done;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) {
                rc = cli_usage("places", "-o needs a value");
                goto done;
            }
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_usage("places", "unknown option '%s'", argv[i]);
            goto done;
        } else {
            paths[n++] = argv[i];
        }
    }
    if (!n || !out) {
        rc = cli_usage("places", n ? "give the output with -o FILE.evp"
                                   : "no table given");
        goto done;
    }
    evm_error err = {0};
    if (!(gz = evm_gazetteer_open(NULL, &err))) {
        rc = cli_fail(&err);
        goto done;
    }
    evm_places_stats st;
    if (evm_places_build(gz, paths, n, out, &st, &err) != EVM_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    fprintf(stderr, "evmap places: %ld rows, %ld skipped (no name or "
            "coordinates, or a country only), %ld places -> %s (%ld bytes)\n",
            st.rows, st.skipped, st.places, out, st.bytes);
done:
    evm_gazetteer_close(gz);
    free(paths);
    return rc;
}
