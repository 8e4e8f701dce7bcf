/* libFuzzer target for `--set PATH=VALUES` (and tune's `--vary`): the input
 * is one command-line argument a line, each added to the grid of a fixed,
 * valid scenario as `cfssim sweep` and `cfssim tune` do (a line starting
 * with '@' is a --vary, with tune's default step of 1 us), then the grid is
 * finished (every value and, when there are few, every point loaded, as the
 * sweep checks before it runs) and its first and last points are loaded.
 * A refusal must name its argument ("--set 'ARG': ..."); crashes, leaks,
 * undefined behaviour and hangs abort. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "scenarios/loader.h"
#include "sweep/grid.h"

#define FUZZ_MAX_CHECK 64 /* values or points loaded by the check */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Groups, nested groups, a dotted group and task name, and the workload
 * kinds the --set paths of the tests name; a sweep: block for --set to
 * replace. */
static const char scenario[] =
	"name: fuzz-set\n"
	"duration: 1s\n"
	"cpus: 2\n"
	"seed: 7\n"
	"kernel: {version: \"6.6\"}\n"
	"groups:\n"
	"  - name: web\n"
	"    quota: 50ms\n"
	"    period: 100ms\n"
	"    tasks:\n"
	"      - name: server\n"
	"        count: 2\n"
	"        workload:\n"
	"          requests: {rate: 100/s, arrival: uniform, service: 2ms}\n"
	"      - {name: hog, workload: hog}\n"
	"      - name: api\n"
	"        workload: {run: 1ms, period: 10ms}\n"
	"  - name: a.b\n"
	"    tasks:\n"
	"      - {name: x.y, workload: hog}\n"
	"  - name: jobs\n"
	"    tasks:\n"
	"      - name: steps\n"
	"        count: 2\n"
	"        workload: {phases: [{run: {min: 1ms, max: 4ms}}, "
	"{sleep: {min: 2ms, max: 10ms}}]}\n"
	"  - name: tenant\n"
	"    groups:\n"
	"      - name: gold\n"
	"        shares: 2048\n"
	"        tasks:\n"
	"          - {name: w, workload: hog}\n"
	"sweep:\n"
	"  web:server.count: [1, 2]\n";

/* A refusal of sweep_grid_set names the option and its argument, whole
 * or, beyond 160 characters, its first 80, "..." and its last 77. */
static void check_refusal(const struct err *err, const char *opt,
			  const char *arg)
{
	char buf[1600], want[1200];
	size_t n = strlen(arg);

	err_str(err, buf, sizeof(buf));
	if (n <= 160)
		snprintf(want, sizeof(want), "%s '%s': ", opt, arg);
	else
		snprintf(want, sizeof(want), "%s '%.80s...%s': ", opt, arg,
			 arg + n - 77);
	if (!err->msg[0] || strncmp(buf, want, strlen(want)) != 0) {
		fprintf(stderr, "refusal does not name '%s': %s\n", arg, buf);
		abort();
	}
}

/* The scenario is valid, so a refusal of the finished grid comes from an
 * argument, which it names, or from a place in the scenario (an axis of
 * its sweep: block, or a key an edit made wrong), or it is about the
 * grid's size. */
static void check_located(const struct err *err)
{
	static const char *const starts[] = {
		"--set '", "--vary '", "s.yaml:", "the grid has more than"};
	char buf[1600];
	size_t i;

	err_str(err, buf, sizeof(buf));
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (!strncmp(buf, starts[i], strlen(starts[i])))
			return;
	fprintf(stderr, "refusal names no argument or place: %s\n", buf);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sweep_grid g;
	struct scenario sc;
	struct err err;
	char *text, *line, *next;
	FILE *null;

	/* arguments hold no NUL */
	if (memchr(data, '\0', size))
		return 0;
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	sweep_grid_init(&g);
	err_init(&err);
	if (sweep_grid_load_text(&g, "s.yaml", scenario, strlen(scenario),
				 &err))
		abort();
	for (line = text; line; line = next) {
		const char *opt = "--set", *arg = line;
		uint64_t step = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*arg == '@') {
			opt = "--vary";
			arg++;
			step = 1000;
		}
		err_init(&err);
		if (sweep_grid_set(&g, opt, arg, step, &err)) {
			check_refusal(&err, opt, arg);
			goto out;
		}
	}
	err_init(&err);
	if (sweep_grid_finish(&g, 0, FUZZ_MAX_CHECK, &err)) {
		check_located(&err);
		goto out;
	}
	if (!g.npoints)
		abort();
	/* values the check did not load may still be refused here */
	err_init(&err);
	if (sweep_point_load(&g, 0, &sc, &err) == 0)
		scenario_destroy(&sc);
	err_init(&err);
	if (sweep_point_load(&g, g.npoints - 1, &sc, &err) == 0)
		scenario_destroy(&sc);
	null = fopen("/dev/null", "w");
	if (null) {
		sweep_point_params_json(null, &g, g.npoints - 1);
		fclose(null);
	}
out:
	sweep_grid_destroy(&g);
	free(text);
	return 0;
}
