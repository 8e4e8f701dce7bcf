/* cfssim real FILE: run the scenario in real containers under real cgroups
 * and print what the kernel measured. */
#include "cli/cmd_real.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend/run.h"
#include "cli/progress.h"

int cli_reraise(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;
}

int cli_real_once(const struct cli_opts *o, const struct scenario *sc,
		  unsigned run, unsigned nruns, struct results *out)
{
	return cli_real_run(o, sc, o->timeline_dir || o->trace_file, run, nruns,
			    out);
}

int cli_real_run(const struct cli_opts *o, const struct scenario *sc,
		 bool timeline, unsigned run, unsigned nruns,
		 struct results *out)
{
	struct progress prog;
	struct jan_report log = {0};
	struct real_options opt;
	struct err err;
	char buf[1200];
	size_t i;
	int rc;

	real_options_init(&opt);
	opt.log = &log;
	opt.timeline = timeline;
	opt.allow_long = o->allow_long;
	err_init(&err);
	progress_start(&prog, STDERR_FILENO, "real run", run, nruns,
		       sc->duration_ns);
	rc = real_run(sc, &opt, out, &err);
	progress_stop(&prog);
	for (i = 0; i < log.n; i++)
		if (o->verbose || !strncmp(log.lines[i], "janitor:", 8) ||
		    !strncmp(log.lines[i], "timeline:", 9) ||
		    !strncmp(log.lines[i], "note:", 5))
			fprintf(stderr, "cfssim: %s\n", log.lines[i]);
	jan_report_destroy(&log);
	switch (rc) {
	case REAL_OK:
		return EXIT_OK;
	case REAL_REFUSED:
		fprintf(stderr, "cfssim: %s: %s\n", o->file, err.msg);
		return EXIT_USAGE;
	case REAL_UNSUPPORTED:
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_NOREAL;
	case REAL_INTERRUPTED:
		fprintf(stderr,
			"cfssim: %s; the run's cgroups, containers and "
			"links were removed\n",
			err.msg);
		fflush(stderr);
		return cli_reraise(real_stop_signal());
	default:
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_FAIL;
	}
}

int cmd_real(const struct cli_opts *o)
{
	struct scenario sc;
	struct results r;
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	rc = cli_real_once(o, &sc, 1, 1, &r);
	if (rc == EXIT_OK) {
		rc = cli_emit_results(o, &r);
		results_destroy(&r);
	}
	scenario_destroy(&sc);
	return rc;
}
