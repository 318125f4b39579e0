/* evmap render with event tables (CSV, ACLED, GDELT, UCDP, GDAL sources)
 * as input: their options and how they are drawn or converted. The work
 * is libevmap's (evm_map_load_table, evm_table_export). */
#ifndef EVM_TABLE_CLI_H
#define EVM_TABLE_CLI_H

#include "evmap.h"
#include "batch_cli.h"

/* If argv[*i] is a table option (--lat, --lon, --place, --type COL;
 * --date COL when COL does not start with a digit, since --date
 * YYYY-MM-DD is the date window; --skip-bad), consumes it (and its value,
 * advancing *i) and returns 1; 0 when it is not one; 2 after a usage
 * message when its value is missing. */
int cli_table_opt(const char *cmd, evm_table_opts *t, int argc, char **argv,
                  int *i);

/* Draws (PNG, SVG, PDF) or converts (GeoJSON and the GDAL formats) the
 * table `in` to `out`, with c's render options and t's table options.
 * Prints warnings for skipped rows and a summary when rows were skipped.
 * Returns the exit code. */
int cli_render_table(struct cli_many *c, const evm_table_opts *t,
                     const char *in, const char *out);

/* Renders every table among inputs[0..*n) into dir as <stem>.<ext>,
 * removes them from inputs (the specs stay, in order, for the batch
 * engine) and returns the worst exit code (0 when none failed). */
int cli_render_tables(struct cli_many *c, const evm_table_opts *t,
                      const char **inputs, int *n, const char *dir);

#endif
