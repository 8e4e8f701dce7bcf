/* The work `cfssim plot` shares with `cfssim report` (cli/cmd_plot.c). */
#ifndef CLI_CMD_PLOT_H
#define CLI_CMD_PLOT_H

#include <stdbool.h>

#include "cli/cli.h"
#include "model/model.h"
#include "model/results.h"
#include "output/plot.h"

/* What plot and report produce: the scenario, the run(s) and the
 * directory holding their CSV data and pictures. */
struct plot_session {
	struct scenario sc;
	struct results sim;  /* valid when have_sim */
	struct results real; /* valid when have_real */
	bool have_sim, have_real;
	bool drew_real; /* pictures of the real run in real/ */
	const char *primary_stems[PLOT_NPICTURES + 1]; /* drawn, NULL-ended */
};

/* The work of `cfssim plot` shared with `cfssim report`: checks the
 * options, finds gnuplot and the scripts, loads the scenario, runs it
 * (simulated, or real with --real, or both with --compare), writes the
 * CSVs and pictures into o->output (with --compare the measured run's in
 * o->output/real) and honours --timeline and --trace.  Prints its own
 * messages; returns an exit code, and on EXIT_OK s holds what it made
 * (free with plot_session_destroy). */
int plot_session_run(const struct cli_opts *o, struct plot_session *s);

void plot_session_destroy(struct plot_session *s);

#endif
