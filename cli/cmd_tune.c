/* `cfssim tune FILE --vary PATH=LO..HI --target EXPR ... [--max]`: the
 * smallest (largest) value of one parameter meeting every target, by
 * bisection, with the points it evaluated and their curve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "output/report.h"
#include "base/xalloc.h"
#include "sweep/figure.h"
#include "sweep/grid.h"
#include "sweep/tune.h"

#define TUNE_BAR 40 /* characters of the longest bar of the curve */

static int fail_err(const struct err *err, int code)
{
	char buf[1200];

	fprintf(stderr, "cfssim: %s\n", err_str(err, buf, sizeof(buf)));
	return code;
}

static void print_json(const struct sweep_tune *t, const struct sweep_axis *a,
		       const struct sweep_tune_point *s)
{
	size_t i, k;

	printf("{ \"path\": ");
	report_json_string(stdout, a->path);
	printf(", \"max\": %s, \"answer\": ", t->max ? "true" : "false");
	if (t->answer >= 0)
		report_json_string(stdout, a->values[t->answer]);
	else
		printf("null");
	printf(", \"monotone\": %s, \"values\": %zu,\n  \"targets\": [",
	       t->monotone ? "true" : "false", a->nvalues);
	for (k = 0; k < t->ntargets; k++) {
		printf("%s", k ? ", " : "");
		report_json_string(stdout, t->targets[k].text);
	}
	printf("],\n  \"points\": [");
	for (i = 0; i < t->npoints; i++) {
		printf("%s\n    { \"value\": ", i ? "," : "");
		report_json_string(stdout, a->values[s[i].value]);
		printf(", \"met\": %s, \"figures\": {",
		       s[i].met ? "true" : "false");
		for (k = 0; k < t->ntargets; k++) {
			printf("%s", k ? ", " : " ");
			report_json_string(stdout, t->targets[k].fig.name);
			printf(": %.10g", s[i].figs[k]);
		}
		printf(" } }");
	}
	printf(" ] }\n");
}

static void print_text(const struct sweep_tune *t, const struct sweep_axis *a,
		       const struct sweep_tune_point *s)
{
	enum sweep_unit unit = sweep_figure_unit(&t->targets[0].fig);
	double top = 0;
	char v[64];
	size_t i, k, w = strlen(a->path);
	int bar;

	if (t->answer >= 0)
		printf("%s = %s: the %s value meeting every target\n", a->path,
		       a->values[t->answer], t->max ? "largest" : "smallest");
	else
		printf("%s: no value from %s to %s meets every target\n",
		       a->path, a->values[0], a->values[a->nvalues - 1]);
	for (k = 0; k < t->ntargets; k++)
		printf("  target: %s\n", t->targets[k].text);
	printf("%zu of %zu values evaluated (bisection)%s\n\n", t->npoints,
	       a->nvalues, t->monotone ? "" : "; NOT MONOTONE, see below");
	for (i = 0; i < t->npoints; i++) {
		if (strlen(a->values[s[i].value]) > w)
			w = strlen(a->values[s[i].value]);
		if (s[i].figs[0] > top)
			top = s[i].figs[0];
	}
	printf("  %-*s", (int)w, a->path);
	for (k = 0; k < t->ntargets; k++)
		printf("  %14s", t->targets[k].fig.name);
	printf("  met  %s\n", t->targets[0].fig.name);
	for (i = 0; i < t->npoints; i++) {
		printf("  %-*s", (int)w, a->values[s[i].value]);
		for (k = 0; k < t->ntargets; k++) {
			sweep_figure_format(
				sweep_figure_unit(&t->targets[k].fig),
				s[i].figs[k], v, sizeof(v));
			printf("  %14s", v);
		}
		printf("  %-3s  ", s[i].met ? "yes" : "no");
		bar = top > 0 ? (int)(s[i].figs[0] / top * TUNE_BAR + 0.5) : 0;
		while (bar-- > 0)
			fputc('#', stdout);
		fputc('\n', stdout);
	}
	(void)unit;
}

int cmd_tune(const struct cli_opts *o)
{
	struct sweep_target *targets = NULL;
	struct sweep_tune t = {0};
	struct sweep_tune_point *sorted = NULL;
	const struct sweep_axis *a;
	struct sweep_grid g;
	struct scenario sc;
	struct err err;
	int rc = EXIT_OK;
	size_t i;

	err_init(&err);
	sweep_grid_init(&g);
	if (o->nvaries != 1 || !o->ntargets) {
		fprintf(stderr, "cfssim: tune needs one --vary PATH=LO..HI and "
				"at least one --target\n");
		return EXIT_USAGE;
	}
	if (o->emit || o->shard || o->seeds) {
		fprintf(stderr, "cfssim: --emit, --shard and --seeds belong to "
				"'cfssim sweep'\n");
		return EXIT_USAGE;
	}
	targets = xcalloc(o->ntargets, sizeof(*targets));
	for (i = 0; i < o->ntargets; i++) {
		if (sweep_target_parse(o->targets[i], &targets[i], &err)) {
			rc = fail_err(&err, EXIT_USAGE);
			goto out;
		}
	}
	if (sweep_grid_load(&g, o->file, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	sweep_grid_clear_axes(&g);
	for (i = 0; i < o->nsets; i++) {
		if (sweep_grid_set(&g, "--set", o->sets[i], 0, &err)) {
			rc = fail_err(&err, EXIT_USAGE);
			goto out;
		}
		if (g.axes[g.naxes - 1].nvalues != 1) {
			fprintf(stderr,
				"cfssim: --set '%s': tune varies one parameter "
				"(--vary); --set takes one value here\n",
				o->sets[i]);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	/* durations without a step: 1us, the grain of the kernel's
	 * bandwidth knobs */
	if (sweep_grid_set(&g, "--vary", o->varies[0], 1000, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	cli_sweep_fix(o, &g);
	if (sweep_grid_finish(&g, 1, 1000, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	for (i = 0; i < g.naxes; i++)
		if (!strncmp(g.axes[i].path, o->varies[0],
			     strlen(g.axes[i].path)) &&
		    o->varies[0][strlen(g.axes[i].path)] == '=')
			t.axis = i;
	a = &g.axes[t.axis];
	/* both ends load (the middle is checked as it is reached) */
	if (sweep_value_load(&g, t.axis, 0, &sc, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	scenario_destroy(&sc);
	if (sweep_value_load(&g, t.axis, a->nvalues - 1, &sc, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	scenario_destroy(&sc);
	t.grid = &g;
	t.targets = targets;
	t.ntargets = o->ntargets;
	t.max = o->max;
	t.result = cli_sweep_result;
	if (sweep_tune_run(&t, &err)) {
		rc = fail_err(&err, EXIT_FAIL);
		goto out;
	}
	sorted = sweep_tune_sorted(&t);
	if (o->json)
		print_json(&t, a, sorted);
	else
		print_text(&t, a, sorted);
	if (!t.monotone) {
		if (t.bad_target < t.ntargets)
			fprintf(stderr,
				"cfssim: '%s' is not monotone in '%s' over the "
				"evaluated values: bisection may have missed "
				"the answer; run 'cfssim sweep' over the range\n",
				t.targets[t.bad_target].fig.name, a->path);
		else
			fprintf(stderr,
				"cfssim: the targets are met, then not, then "
				"met again along '%s': bisection may have "
				"missed the answer; run 'cfssim sweep' over the "
				"range\n",
				a->path);
	}
	if (t.answer < 0)
		rc = EXIT_FAIL;
out:
	free(sorted);
	sweep_tune_destroy(&t);
	for (i = 0; i < o->ntargets; i++)
		sweep_target_destroy(&targets[i]);
	free(targets);
	sweep_grid_destroy(&g);
	return rc;
}
