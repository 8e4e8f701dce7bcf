/* `cfssim plot FILE -o DIR [--real | --compare] [--window START:END]`:
 * runs the scenario with a timeline, writes its CSV series into DIR and
 * draws every picture of plots/ as PNG and SVG. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_plot.h"
#include "cli/cmd_real.h"
#include "output/plot.h"
#include "output/timeline_csv.h"
#include "output/trace.h"
#include "sim/sim.h"

static int fail(const struct err *err)
{
	char buf[1200];

	fprintf(stderr, "cfssim: %s\n", err_str(err, buf, sizeof(buf)));
	return EXIT_FAIL;
}

void plot_session_destroy(struct plot_session *s)
{
	if (s->have_sim)
		results_destroy(&s->sim);
	if (s->have_real)
		results_destroy(&s->real);
	scenario_destroy(&s->sc);
	memset(s, 0, sizeof(*s));
}

/* Writes the CSVs of r into dir and draws the timeline pictures there. */
static int draw_run(const struct results *r, const char *dir,
		    const char *gnuplot, const char *scripts,
		    const struct plot_opts *po, struct err *err)
{
	int p;

	if (timeline_csv_write(r, dir, 0, err) < 0)
		return -1;
	for (p = 0; p < PLOT_COMPARE; p++)
		if (plot_applies((enum plot_picture)p, r) &&
		    plot_run_script(gnuplot, scripts, (enum plot_picture)p, dir,
				    dir, po, err) < 0)
			return -1;
	return 0;
}

int plot_session_run(const struct cli_opts *o, struct plot_session *s)
{
	char gnuplot[PATH_MAX], scripts[PATH_MAX], realdir[PATH_MAX];
	struct sim_options sopt = {.timeline = true, .latency = true};
	struct plot_opts po;
	struct err err;
	const struct results *primary;
	int rc, n = 0, p;

	memset(s, 0, sizeof(*s));
	memset(&po, 0, sizeof(po));
	err_init(&err);
	if (!o->output || !*o->output) {
		fprintf(stderr,
			"cfssim: %s needs an output directory: -o DIR\n",
			o->command ? o->command : "plot");
		return EXIT_USAGE;
	}
	if (o->real && o->compare) {
		fprintf(stderr, "cfssim: --real and --compare exclude each "
				"other\n");
		return EXIT_USAGE;
	}
	if (cli_output_dir(o->output) != EXIT_OK)
		return EXIT_FAIL;
	if (o->window && plot_parse_window(o->window, &po.window_start_ns,
					   &po.window_end_ns, &err) < 0) {
		fail(&err);
		return EXIT_USAGE;
	}
	if (plot_find_gnuplot(NULL, gnuplot, sizeof(gnuplot), &err) < 0 ||
	    plot_find_scripts(scripts, sizeof(scripts), &err) < 0)
		return fail(&err);
	rc = cli_load_scenario(o, &s->sc);
	if (rc != EXIT_OK)
		return rc;
	po.title = s->sc.name;
	po.compare = o->compare;
	if (!o->real) {
		if (sim_run(&s->sc, &sopt, &s->sim, &err) < 0)
			goto out_fail;
		s->have_sim = true;
	}
	if (o->real || o->compare) {
		rc = cli_real_run(o, &s->sc, true, 1, 1, &s->real);
		if (rc != EXIT_OK)
			goto out_destroy;
		s->have_real = true;
	}
	/* both runs recorded a timeline: the simulator by sopt, the real
	 * backend by cli_real_run (periods from cpu.stat polling, slices
	 * from tracefs when the host has it; never vruntime) */
	primary = s->have_sim ? &s->sim : &s->real;
	if (draw_run(primary, o->output, gnuplot, scripts, &po, &err) < 0)
		goto out_fail;
	if (s->have_sim && s->have_real) {
		snprintf(realdir, sizeof(realdir), "%s/real", o->output);
		if (draw_run(&s->real, realdir, gnuplot, scripts, &po, &err) <
		    0)
			goto out_fail;
		s->drew_real = true;
		/* both runs' latency distributions in one picture */
		po.overlay_dir = realdir;
		if (plot_applies(PLOT_LATENCY_CDF, &s->sim) &&
		    plot_run_script(gnuplot, scripts, PLOT_LATENCY_CDF,
				    o->output, o->output, &po, &err) < 0)
			goto out_fail;
		po.overlay_dir = NULL;
		if (plot_write_compare_csv(o->output, &s->sim, &s->real, &err) <
			    0 ||
		    plot_run_script(gnuplot, scripts, PLOT_COMPARE, o->output,
				    o->output, &po, &err) < 0)
			goto out_fail;
	}
	if (o->timeline_dir &&
	    timeline_csv_write(primary, o->timeline_dir, 0, &err) < 0)
		goto out_fail;
	if (o->trace_file && trace_write_file(o->trace_file, primary, &err) < 0)
		goto out_fail;
	for (p = 0; p < PLOT_NPICTURES; p++)
		if ((p != PLOT_COMPARE || (s->have_sim && s->have_real)) &&
		    plot_applies((enum plot_picture)p, primary))
			s->primary_stems[n++] = plot_name((enum plot_picture)p);
	s->primary_stems[n] = NULL;
	return EXIT_OK;

out_fail:
	rc = fail(&err);
out_destroy:
	plot_session_destroy(s);
	return rc;
}

/* plot --sweep: the pictures of a sweep's results. */
static int plot_sweep(const struct cli_opts *o)
{
	char *stems[256];
	size_t i;
	int rc = cli_plot_sweep(o, stems, 256);

	for (i = 0; rc == EXIT_OK && stems[i]; i++)
		printf("%s/%s.png\n%s/%s.svg\n", o->output, stems[i], o->output,
		       stems[i]);
	for (i = 0; stems[i]; i++)
		free(stems[i]);
	return rc;
}

int cmd_plot(const struct cli_opts *o)
{
	struct plot_session s;
	int rc;
	size_t i;

	if (o->sweep)
		return plot_sweep(o);
	rc = plot_session_run(o, &s);
	if (rc != EXIT_OK)
		return rc;
	for (i = 0; s.primary_stems[i]; i++)
		printf("%s/%s.png\n%s/%s.svg\n", o->output, s.primary_stems[i],
		       o->output, s.primary_stems[i]);
	if (s.drew_real)
		for (i = 0; i < PLOT_COMPARE; i++)
			printf("%s/real/%s.png\n%s/real/%s.svg\n", o->output,
			       plot_name((enum plot_picture)i), o->output,
			       plot_name((enum plot_picture)i));
	plot_session_destroy(&s);
	return EXIT_OK;
}
