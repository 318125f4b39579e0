/* What `evmap batch` and `evmap render` share for runs of many maps: the
 * options both take, and a runner that prints failures, a progress bar
 * (when stderr is a terminal), the summary, and turns SIGINT/SIGTERM
 * into a clean stop. */
#ifndef EVM_BATCH_CLI_H
#define EVM_BATCH_CLI_H

#include "evmap.h"

/* Options common to render and batch. */
struct cli_many {
    evm_batch_opts o;       /* render defaults, by, cumulative, threads */
    const char *places;     /* --places FILE */
    int quiet;              /* -q */
    char from[11], to[11];  /* --date window */
    int have_date;
};

void cli_many_init(struct cli_many *c);

/* If argv[*i] is one of the common options (-f, --size, --dpi, --theme,
 * --places, -q, -j, --by, --cumulative, --date), consumes it (and its
 * value, advancing *i) and returns 1; returns 0 when it is not one, and
 * 2 (after printing a usage message for cmd) when its value is bad. */
int cli_many_opt(const char *cmd, struct cli_many *c, int argc, char **argv,
                 int *i);

/* Opens the gazetteer (with --places), runs jobs with c->o, prints each
 * failure as "evmap: WHERE: reason", a progress bar on a terminal unless
 * quiet, and the summary ("N written, M failed"; always when something
 * failed or the run was interrupted, else when show_summary and not
 * quiet). SIGINT and SIGTERM stop the run after the maps being drawn.
 * Returns the exit code: 0, 1 when any map failed or the jobs were bad,
 * 2 usage, 3 I/O or library failure, 130 / 143 when interrupted by
 * SIGINT / SIGTERM. */
int cli_many_run(const char *cmd, struct cli_many *c,
                 const evm_batch_jobs *jobs, int show_summary);

#endif
