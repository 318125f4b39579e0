/* The command-line tool: one file per command. Commands only parse
 * arguments, call libevmap and print; each returns the process exit code
 * (0 done, 1 bad input, 2 usage, 3 I/O or library failure). */
#ifndef EVM_CLI_H
#define EVM_CLI_H

#include <stdio.h>
#include "evmap.h"

int cmd_geocode(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_geoparse(int argc, char **argv);
int cmd_extract(int argc, char **argv);
/* The map evm_extract drafts from the report at path (extract.c). */
evm_map *cli_report_map(const char *path, const evm_gazetteer *gz,
                        evm_error *err);

/* Prints "evmap: <msg>" (err->msg already names file:line:col) to stderr
 * and returns the exit code for err->code. */
int cli_fail(const evm_error *err);
/* The shipped gazetteer with the --places file (NULL: none) added, or
 * NULL + err (nothing left open). */
evm_gazetteer *cli_gazetteer(const char *places, evm_error *err);
/* Prints "evmap COMMAND: msg" and a hint to stderr; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
