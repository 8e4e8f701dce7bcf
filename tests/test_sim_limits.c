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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_refuses_more_threads_than_32_bit_ids),
		cmocka_unit_test(test_sim_limit_sums_the_counts_of_all_tasks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
