/* cfssim [sim] FILE: simulate and print the results. */
#include <stdio.h>

#include "cli/cli.h"
#include "sim/sim.h"

int cmd_sim(const struct cli_opts *o)
{
	struct sim_options opt = {0};
	struct scenario sc;
	struct results r;
	struct err err;
	char buf[1200];
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	opt.timeline = o->timeline_dir || o->trace_file;
	opt.latency = true;
	err_init(&err);
	if (sim_run(&sc, &opt, &r, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		scenario_destroy(&sc);
		return EXIT_USAGE;
	}
	rc = cli_emit_results(o, &r);
	results_destroy(&r);
	scenario_destroy(&sc);
	return rc;
}
