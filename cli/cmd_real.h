/* What `cfssim real` and `cfssim compare` share: one real run with its
 * messages printed the same way, and the exit status a real-run failure
 * maps to (77 when the host cannot run it, re-raising SIGINT/SIGTERM). */
#ifndef CLI_CMD_REAL_H
#define CLI_CMD_REAL_H

#include <stdbool.h>

#include "cli/cli.h"
#include "model/model.h"
#include "model/results.h"

/* Runs sc for real once; prints what the janitor removed and what the
 * timeline recorder says (and, verbose, what was written) on stderr.
 * Returns EXIT_OK with *out filled, or the exit status to return after the
 * error was printed.  The results carry a timeline when --timeline or
 * --trace was given.  On a terminal, stderr shows the run's progress
 * ("real run K of N: elapsed of duration"; run and nruns count from 1). */
int cli_real_once(const struct cli_opts *o, const struct scenario *sc,
		  unsigned run, unsigned nruns, struct results *out);

/* Same, recording out->timeline when timeline is true. */
int cli_real_run(const struct cli_opts *o, const struct scenario *sc,
		 bool timeline, unsigned run, unsigned nruns,
		 struct results *out);

/* Ends the process with the default action of the signal that interrupted
 * a real run (exit status 128 + N in the shell); returns when that signal
 * is not fatal, with 128 + N. */
int cli_reraise(int sig);

#endif
