/* The engine's limits on the size of a scenario: task lists link threads
 * by 32-bit ids, so a scenario with more threads than SIM_MAX_THREADS is
 * refused before anything is allocated. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sim/sim.h"

/* 2 x 2^31 threads: one more than 2^32 - 1 - 64; sim_run must refuse them
 * from the counts alone (allocating them would need a terabyte) */
static void test_sim_refuses_more_threads_than_32_bit_ids(void **state)
{
	struct scenario sc;
	struct results r;
	struct err err;
	size_t g, t;

	(void)state;
	scenario_init(&sc, "huge");
	g = scenario_add_group(&sc, -1, "g");
	t = scenario_add_task(&sc, g, "a");
	sc.tasks[t].count = 1U << 31;
	t = scenario_add_task(&sc, g, "b");
	sc.tasks[t].count = 1U << 31;
	err_init(&err);
	assert_int_equal(sim_run(&sc, NULL, &r, &err), -1);
	assert_string_equal(err.msg, "scenario 'huge' has 4294967296 threads, "
				     "at most 4294967231 can be simulated");
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* one thread over the limit, split over two tasks: the counts are summed */
static void test_sim_limit_sums_the_counts_of_all_tasks(void **state)
{
	struct scenario sc;
	struct results r;
	struct err err;
	size_t g, t;

	(void)state;
	scenario_init(&sc, "split");
	g = scenario_add_group(&sc, -1, "g");
	t = scenario_add_task(&sc, g, "a");
	sc.tasks[t].count = 4294967231U - 5;
	t = scenario_add_task(&sc, g, "b");
	sc.tasks[t].count = 6;
	err_init(&err);
	assert_int_equal(sim_run(&sc, NULL, &r, &err), -1);
	assert_string_equal(err.msg, "scenario 'split' has 4294967232 threads, "
				     "at most 4294967231 can be simulated");
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* The timeline keeps at most timeline_max entries of each kind: two hogs
 * on one CPU for 1 s switch every few ms, far more than 100 slices.  The
 * capped run keeps the first 100 slices of the full run, marks itself full
 * at the end of the 101st (when it was refused), and the results beside
 * the timeline do not change. */
static void test_timeline_capped(void **state)
{
	struct sim_options full = {.timeline = true};
	struct sim_options capped = {.timeline = true, .timeline_max = 100};
	struct scenario sc;
	struct results a, b;
	struct err err;
	size_t g, i;

	(void)state;
	scenario_init(&sc, "cap");
	sc.duration_ns = NSEC_PER_SEC;
	g = scenario_add_group(&sc, -1, "g");
	scenario_add_task(&sc, g, "a");
	scenario_add_task(&sc, g, "b");
	assert_int_equal(sim_run(&sc, &full, &a, &err), 0);
	assert_int_equal(sim_run(&sc, &capped, &b, &err), 0);
	assert_true(a.timeline->nslices > 101);
	assert_false(a.timeline->full);
	assert_int_equal(b.timeline->nslices, 100);
	assert_true(b.timeline->full);
	assert_int_equal(b.timeline->full_at_ns,
			 a.timeline->slices[100].end_ns);
	for (i = 0; i < 100; i++) {
		assert_int_equal(b.timeline->slices[i].start_ns,
				 a.timeline->slices[i].start_ns);
		assert_int_equal(b.timeline->slices[i].end_ns,
				 a.timeline->slices[i].end_ns);
	}
	for (i = 0; i < a.ntasks; i++)
		assert_int_equal(b.tasks[i].runtime_ns, a.tasks[i].runtime_ns);
	results_destroy(&a);
	results_destroy(&b);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_refuses_more_threads_than_32_bit_ids),
		cmocka_unit_test(test_sim_limit_sums_the_counts_of_all_tasks),
		cmocka_unit_test(test_timeline_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
