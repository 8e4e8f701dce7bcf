/* The simulator against the real kernel of this machine: each shipped
 * scenario below is simulated and run for real, and every figure must lie
 * within the tolerances the scenario declares (its expect: block) of the
 * range the simulator predicts over the phases a real run leaves to
 * chance, as `cfssim compare` judges them.  A real run is repeated once when it fails,
 * since another process on the host can steal CPU time from a 3 s run; a
 * wrong simulator fails both.  Needs root and a cgroup CPU controller;
 * skips otherwise, unless CFSSIM_REQUIRE_REAL=1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cgroup.h"
#include "backend/run.h"
#include "tests/real_skip.h"
#include "cli/cmd_compare.h"
#include "scenarios/loader.h"
#include "sim/sim.h"

/* One attempt: true when every figure is within tolerance. */
static bool agrees(const struct scenario *sc, const struct results *sim,
		   size_t nsim)
{
	struct real_options opt;
	struct cmp_table t = {0};
	struct results real;
	struct err err;
	bool ok;

	real_options_init(&opt);
	err_init(&err);
	if (real_run(sc, &opt, &real, &err))
		fail_msg("real run of '%s' failed: %s", sc->name, err.msg);
	if (cmp_build(sc, sim, nsim, &real, 1, &t, &err))
		fail_msg("%s", err.msg);
	ok = t.failed == 0;
	cmp_print_text(stdout, &t, sim[0].wall_ns, &real, 1);
	cmp_destroy(&t);
	results_destroy(&real);
	return ok;
}

static void check_example(const char *name)
{
	char path[256];
	struct scenario sc;
	struct results sim[CMP_SIM_RUNS];
	struct err err;
	uint64_t wall;
	size_t k;

	snprintf(path, sizeof(path), "scenarios/examples/%s.yaml", name);
	err_init(&err);
	if (scenario_load_file(path, &sc, &err))
		fail_msg("%s: %s", path, err.msg);
	if (!real_can_run(&sc))
		return;
	assert_int_equal(cmp_simulate(&sc, sim, &wall, &err), 0);
	if (!agrees(&sc, sim, CMP_SIM_RUNS)) {
		print_message("%s: outside tolerance, running once more\n",
			      name);
		if (!agrees(&sc, sim, CMP_SIM_RUNS))
			fail_msg("%s: simulated and measured figures disagree "
				 "twice",
				 name);
	}
	for (k = 0; k < CMP_SIM_RUNS; k++)
		results_destroy(&sim[k]);
	scenario_destroy(&sc);
}

/* latency percentiles over the veth network (default tolerance, 20 % or a
 * tick), besides the counters */
static void test_agree_latency_threads(void **state)
{
	(void)state;
	check_example("latency-threads");
}

static void test_agree_latency_neighbour(void **state)
{
	(void)state;
	check_example("latency-neighbour");
}

static void test_agree_quota_throttling(void **state)
{
	(void)state;
	check_example("quota-throttling");
}

static void test_agree_shares_ratio(void **state)
{
	(void)state;
	check_example("shares-ratio");
}

static void test_agree_nice_levels(void **state)
{
	(void)state;
	check_example("nice-levels");
}

static void test_agree_weights_2cpu(void **state)
{
	(void)state;
	check_example("weights-2cpu");
}

static void test_agree_pinned_cpuset(void **state)
{
	(void)state;
	check_example("pinned-cpuset");
}

static void test_agree_periodic_quota(void **state)
{
	(void)state;
	check_example("periodic-quota");
}

static void test_agree_multithread_one_cpu(void **state)
{
	(void)state;
	check_example("multithread-one-cpu");
}

static void test_agree_eevdf_vs_cfs(void **state)
{
	(void)state;
	check_example("eevdf-vs-cfs");
}

static void test_agree_burst(void **state)
{
	(void)state;
	check_example("burst");
}

static void test_agree_nested_quota(void **state)
{
	(void)state;
	check_example("nested-quota");
}

static void test_agree_random_phases(void **state)
{
	(void)state;
	check_example("random-phases");
}

static void test_agree_selftest_cpu_max(void **state)
{
	(void)state;
	check_example("selftest-cpu-max");
}

static void test_agree_selftest_nested_max(void **state)
{
	(void)state;
	check_example("selftest-nested-max");
}

static void test_agree_custom_slice(void **state)
{
	(void)state;
	check_example("custom-slice");
}

static void test_agree_task_throttle(void **state)
{
	(void)state;
	check_example("task-throttle");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree_quota_throttling),
		cmocka_unit_test(test_agree_latency_threads),
		cmocka_unit_test(test_agree_latency_neighbour),
		cmocka_unit_test(test_agree_shares_ratio),
		cmocka_unit_test(test_agree_nice_levels),
		cmocka_unit_test(test_agree_weights_2cpu),
		cmocka_unit_test(test_agree_pinned_cpuset),
		cmocka_unit_test(test_agree_periodic_quota),
		cmocka_unit_test(test_agree_multithread_one_cpu),
		cmocka_unit_test(test_agree_eevdf_vs_cfs),
		cmocka_unit_test(test_agree_burst),
		cmocka_unit_test(test_agree_nested_quota),
		cmocka_unit_test(test_agree_random_phases),
		cmocka_unit_test(test_agree_selftest_cpu_max),
		cmocka_unit_test(test_agree_selftest_nested_max),
		cmocka_unit_test(test_agree_custom_slice),
		cmocka_unit_test(test_agree_task_throttle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
