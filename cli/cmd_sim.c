/* cfssim [sim] FILE: simulate and print the results. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "cli/timeline_csv.h"
#include "cli/trace.h"
#include "sim/sim.h"

int cmd_sim(const struct cli_opts *o)
{
	struct sim_options opt = { 0 };
	struct scenario sc;
	struct results r;
	struct err err;
	char buf[1200];
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	opt.timeline = o->timeline_dir || o->trace_file;
	err_init(&err);
	if (sim_run(&sc, &opt, &r, &err)) {
		fprintf(stderr, "cfssim: %s\n", err_str(&err, buf, sizeof(buf)));
		scenario_destroy(&sc);
		return EXIT_USAGE;
	}
	rc = EXIT_OK;
	if (o->timeline_dir &&
	    timeline_csv_write(&r, o->timeline_dir, 0, &err)) {
		fprintf(stderr, "cfssim: %s\n", err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	}
	if (!rc && o->trace_file && trace_write_file(o->trace_file, &r, &err)) {
		fprintf(stderr, "cfssim: %s\n", err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	}
	if (o->json) {
		report_json(stdout, &r, 0);
		fputc('\n', stdout);
	} else {
		report_text(stdout, &r, o->cgroup_version);
	}
	results_destroy(&r);
	scenario_destroy(&sc);
	return rc;
}
