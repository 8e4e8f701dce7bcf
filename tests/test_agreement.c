/* The simulator against the real kernel of this machine: every shipped
 * example that fits the machine's CPUs is simulated over the phase
 * variants and run for real once, and each figure must lie within the
 * project-wide ceiling of its kind (compare/compare.c) of the simulated
 * range, as `cfssim compare` judges it; figures an example declares
 * not_modelled are shown, not judged.  The ceilings, not the example's own
 * tighter tolerances, so that no example can loosen what CI asks of the
 * simulator.  A run that fails, fails, unless the host was busy during it
 * (compare/compare.h, cmp_host_busy: something outside the scenario took
 * its CPUs); then it runs once more, which is printed and counted in the
 * closing line.  Needs root and a cgroup
 * CPU controller; skips otherwise, unless CFSSIM_REQUIRE_REAL=1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/cgroup.h"
#include "backend/run.h"
#include "tests/real_skip.h"
#include "cli/cmd_compare.h"
#include "compare/compare.h"
#include "scenarios/loader.h"
#include "sim/sim.h"
#include "base/xalloc.h"

#define EXAMPLES "scenarios/examples"

/* runs repeated because the host was busy */
static unsigned retries;

static void check_example(void **state)
{
	const char *path = *state;
	struct results sim[CMP_SIM_RUNS], real;
	struct expect_spec *x;
	struct real_options opt;
	struct cmp_table t = {0};
	struct scenario sc;
	struct err err;
	uint64_t wall;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned attempt;
	size_t k;

	err_init(&err);
	if (scenario_load_file(path, &sc, &err))
		fail_msg("%s: %s", path, err.msg);
	if (online > 0 && sc.cpus > (unsigned)online) {
		print_message("%s needs %u CPUs, this machine has %ld\n", path,
			      sc.cpus, online);
		scenario_destroy(&sc);
		skip();
	}
	if (!real_can_run(&sc))
		return;
	/* judged by the ceilings */
	x = &sc.expect;
	x->usage.kind = x->nr_periods.kind = x->nr_throttled.kind =
		x->throttled.kind = x->nr_bursts.kind = x->burst.kind =
			x->runtime.kind = TOL_DEFAULT;
	/* switches and wait stay compared where the example asks */
	if (x->switches.kind != TOL_DEFAULT) {
		x->switches.kind = TOL_REL;
		x->switches.rel = cmp_ceiling(CMP_SWITCHES)->rel;
	}
	if (x->wait.kind != TOL_DEFAULT) {
		x->wait.kind = TOL_REL;
		x->wait.rel = cmp_ceiling(CMP_WAIT)->rel;
	}
	assert_int_equal(cmp_simulate(&sc, sim, &wall, &err), 0);
	real_options_init(&opt);
	for (attempt = 0;; attempt++) {
		if (real_run(&sc, &opt, &real, &err))
			fail_msg("real run of '%s' failed: %s", sc.name,
				 err.msg);
		if (cmp_build(&sc, sim, CMP_SIM_RUNS, &real, 1,
			      cmp_host_has_local(), &t, &err))
			fail_msg("%s", err.msg);
		print_message("%s\n", path);
		cmp_print_text(stdout, &t, sim[0].wall_ns, &real, 1);
		if (!t.failed || attempt || !cmp_host_busy(&real))
			break;
		retries++;
		print_message("RETRY: %s failed on a busy host, running it "
			      "again\n",
			      path);
		cmp_destroy(&t);
		memset(&t, 0, sizeof(t));
		results_destroy(&real);
	}
	if (t.failed)
		fail_msg("%s: %zu figures outside the ceilings", path,
			 t.failed);
	cmp_destroy(&t);
	results_destroy(&real);
	for (k = 0; k < CMP_SIM_RUNS; k++)
		results_destroy(&sim[k]);
	scenario_destroy(&sc);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	struct CMUnitTest *tests = NULL;
	char **paths = NULL;
	size_t n = 0, cap = 0, pcap = 0, i;
	struct dirent *de;
	DIR *d = opendir(EXAMPLES);
	int rc;

	if (!d) {
		perror(EXAMPLES);
		return 1;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		/* YAML scenarios and rt-app files */
		if (len < 6 || (strcmp(de->d_name + len - 5, ".yaml") &&
				strcmp(de->d_name + len - 5, ".json")))
			continue;
		xgrow((void **)&paths, &pcap, n + 1, sizeof(*paths));
		paths[n] = xmalloc(sizeof(EXAMPLES) + len + 1);
		sprintf(paths[n], EXAMPLES "/%s", de->d_name);
		n++;
	}
	closedir(d);
	qsort(paths, n, sizeof(*paths), by_name);
	xgrow((void **)&tests, &cap, n ? n : 1, sizeof(*tests));
	for (i = 0; i < n; i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = paths[i];
		tests[i].test_func = check_example;
		tests[i].initial_state = paths[i];
	}
	rc = _cmocka_run_group_tests("test_agreement", tests, n, NULL, NULL);
	printf("%u example%s run again because the host was busy\n", retries,
	       retries == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(tests);
	return rc;
}
