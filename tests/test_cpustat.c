/* cpu.stat, cpu.stat.local, cpuacct.usage and cpuacct.stat as the kernels
 * print them (6.18, 6.5, pre-burst 5.15, schedstats on, hybrid mirror),
 * parsed into ns, deltas and the results' figures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "backend/cpustat.h"

/* /proc/stat of a 3-CPU machine (user nice system idle iowait irq softirq
 * steal guest guest_nice): CPUs 0 and 2 sum to idle 1000+5 + 3000+7, steal
 * 11 + 33; the "cpu" total line and CPU 1 do not count. */
static void test_hoststat_sums_the_run_cpus(void **state)
{
	const char *text = "cpu  60 0 30 6000 12 0 3 66 0 0\n"
			   "cpu0 10 0 5 1000 5 0 1 11 0 0\n"
			   "cpu1 20 0 10 2000 0 0 1 22 0 0\n"
			   "cpu2 30 0 15 3000 7 0 1 33 0 0\n"
			   "intr 12345 0 0\nctxt 999\n";
	struct hoststat h;
	struct err err;

	(void)state;
	assert_int_equal(hoststat_parse(text, 0x5, &h, &err), 0);
	assert_int_equal(h.idle_ticks, 4012);
	assert_int_equal(h.steal_ticks, 44);
	assert_int_equal(hoststat_parse(text, 0x2, &h, &err), 0);
	assert_int_equal(h.idle_ticks, 2000);
	assert_int_equal(h.steal_ticks, 22);
	/* CPU 3 is offline: no line */
	assert_int_equal(hoststat_parse(text, 0x9, &h, &err), -1);
	assert_string_equal(err.msg, "/proc/stat has no line for CPU 3");
	assert_int_equal(hoststat_parse("cpu0 1 2 3\n", 0x1, &h, &err), -1);
	assert_string_equal(err.msg, "malformed /proc/stat line 'cpu0 1 2 3'");
}

static void test_v1_cpu_stat_618(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v1("nr_periods 11\n"
					  "nr_throttled 11\n"
					  "throttled_time 810394567\n"
					  "nr_bursts 0\n"
					  "burst_time 0\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.nr_periods, 11);
	assert_int_equal(st.nr_throttled, 11);
	assert_int_equal(st.throttled_ns, 810394567);
	assert_int_equal(st.nr_bursts, 0);
	assert_int_equal(st.have, CPUSTAT_BANDWIDTH | CPUSTAT_BURST);
}

static void test_v1_cpu_stat_with_wait_sum(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v1("nr_periods 30\n"
					  "nr_throttled 28\n"
					  "throttled_time 2610000000\n"
					  "wait_sum 1234567\n"
					  "nr_bursts 3\n"
					  "burst_time 4000000\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.wait_sum_ns, 1234567);
	assert_int_equal(st.throttled_ns, 2610000000ULL);
	assert_int_equal(st.nr_bursts, 3);
	assert_int_equal(st.burst_ns, 4000000);
	assert_true(st.have & CPUSTAT_WAIT_SUM);
}

static void test_v1_cpu_stat_before_burst_stats(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v1("nr_periods 5\n"
					  "nr_throttled 1\n"
					  "throttled_time 7000\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.nr_periods, 5);
	assert_int_equal(st.have, CPUSTAT_BANDWIDTH);
}

static void test_v1_local_and_cpuacct(void **state)
{
	struct cpustat st = {0};
	struct group_result g = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v1_local("throttled_time 5000000\n",
						"cpu.stat.local", &st, &err),
			 0);
	assert_int_equal(cpustat_parse_cpuacct_usage(
				 "221641000\n", "cpuacct.usage", &st, &err),
			 0);
	assert_int_equal(cpustat_parse_cpuacct_stat("user 20\nsystem 2\n",
						    "cpuacct.stat", &st, &err),
			 0);
	assert_int_equal(st.throttled_local_ns, 5000000);
	assert_int_equal(st.usage_ns, 221641000);
	assert_int_equal(st.user_ticks, 20);
	assert_int_equal(st.system_ticks, 2);
	cpustat_to_result(&st, &g);
	/* system = 221641000 * 2 / 22 = 20149181.8 -> 20149181 */
	assert_int_equal(g.system_ns, 20149181);
	assert_int_equal(g.user_ns, 221641000 - 20149181);
	assert_int_equal(g.throttled_local_ns, 5000000);
}

static void test_ticks_split_like_cputime_adjust(void **state)
{
	struct cpustat st = {0};
	struct group_result g = {0};

	(void)state;
	st.have = CPUSTAT_USAGE | CPUSTAT_TICKS;
	st.usage_ns = 1000;
	cpustat_to_result(&st, &g); /* no ticks at all: all user */
	assert_int_equal(g.user_ns, 1000);
	assert_int_equal(g.system_ns, 0);
	st.system_ticks = 3; /* only system ticks: all system */
	cpustat_to_result(&st, &g);
	assert_int_equal(g.user_ns, 0);
	assert_int_equal(g.system_ns, 1000);
}

static void test_v2_cpu_stat_618(void **state)
{
	struct cpustat st = {0};
	struct group_result g = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v2("usage_usec 900123\n"
					  "user_usec 890000\n"
					  "system_usec 10123\n"
					  "nice_usec 0\n"
					  "nr_periods 30\n"
					  "nr_throttled 28\n"
					  "throttled_usec 261000\n"
					  "nr_bursts 0\n"
					  "burst_usec 0\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.usage_ns, 900123000);
	assert_int_equal(st.throttled_ns, 261000000);
	assert_int_equal(st.have, CPUSTAT_USAGE | CPUSTAT_USER_SYSTEM |
					  CPUSTAT_NICE | CPUSTAT_BANDWIDTH |
					  CPUSTAT_BURST);
	cpustat_to_result(&st, &g);
	assert_int_equal(g.user_ns, 890000000);
	assert_int_equal(g.system_ns, 10123000);
	assert_int_equal(g.nr_throttled, 28);
}

static void test_v2_cpu_stat_65_core_sched(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v2("usage_usec 10\n"
					  "user_usec 6\n"
					  "system_usec 4\n"
					  "core_sched.force_idle_usec 7\n"
					  "nr_periods 2\n"
					  "nr_throttled 1\n"
					  "throttled_usec 3\n"
					  "nr_bursts 1\n"
					  "burst_usec 9\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.force_idle_ns, 7000);
	assert_int_equal(st.burst_ns, 9000);
	assert_false(st.have & CPUSTAT_NICE);
}

static void test_v2_cpu_stat_without_controller(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	/* the hybrid mirror: only the rstat lines */
	assert_int_equal(cpustat_parse_v2("usage_usec 221641\n"
					  "user_usec 221641\n"
					  "system_usec 0\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.usage_ns, 221641000);
	assert_int_equal(st.have, CPUSTAT_USAGE | CPUSTAT_USER_SYSTEM);
	assert_int_equal(cpustat_parse_v2_local("throttled_usec 12\n",
						"cpu.stat.local", &st, &err),
			 0);
	assert_int_equal(st.throttled_local_ns, 12000);
}

static void test_unknown_keys_ignored(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v2("usage_usec 1\nuser_usec 1\n"
					  "system_usec 0\nnew_key_usec 5\n",
					  "cpu.stat", &st, &err),
			 0);
	assert_int_equal(st.usage_ns, 1000);
}

static void test_errors(void **state)
{
	struct cpustat st = {0};
	struct err err;

	(void)state;
	assert_int_equal(cpustat_parse_v1("nr_periods 1\nnr_throttled x\n",
					  "/cg/cpu.stat", &st, &err),
			 -1);
	assert_string_equal(err.msg, "malformed line 2 in '/cg/cpu.stat': "
				     "'nr_throttled x'");
	assert_int_equal(cpustat_parse_v1("nr_periods 1\nnr_throttled 0\n",
					  "/cg/cpu.stat", &st, &err),
			 -1);
	assert_string_equal(err.msg,
			    "missing 'throttled_time' in '/cg/cpu.stat'");
	assert_int_equal(
		cpustat_parse_v2("usage_usec 1\n", "cpu.stat", &st, &err), -1);
	assert_string_equal(err.msg, "missing 'user_usec' in 'cpu.stat'");
	assert_int_equal(cpustat_parse_cpuacct_usage("12a\n", "cpuacct.usage",
						     &st, &err),
			 -1);
	assert_string_equal(err.msg, "malformed 'cpuacct.usage': '12a'");
	assert_int_equal(cpustat_parse_cpuacct_stat("user 1\n", "cpuacct.stat",
						    &st, &err),
			 -1);
	assert_string_equal(err.msg, "missing 'system' in 'cpuacct.stat'");
}

static void test_delta(void **state)
{
	struct cpustat a = {0}, b = {0}, d;

	(void)state;
	a.usage_ns = 100;
	a.nr_periods = 3;
	b.usage_ns = 350;
	b.nr_periods = 13;
	b.throttled_ns = 7;
	b.have = CPUSTAT_USAGE;
	a.nr_bursts = 2; /* went backwards: 0, not a wrap */
	cpustat_delta(&a, &b, &d);
	assert_int_equal(d.usage_ns, 250);
	assert_int_equal(d.nr_periods, 10);
	assert_int_equal(d.throttled_ns, 7);
	assert_int_equal(d.nr_bursts, 0);
	assert_int_equal(d.have, CPUSTAT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hoststat_sums_the_run_cpus),
		cmocka_unit_test(test_v1_cpu_stat_618),
		cmocka_unit_test(test_v1_cpu_stat_with_wait_sum),
		cmocka_unit_test(test_v1_cpu_stat_before_burst_stats),
		cmocka_unit_test(test_v1_local_and_cpuacct),
		cmocka_unit_test(test_ticks_split_like_cputime_adjust),
		cmocka_unit_test(test_v2_cpu_stat_618),
		cmocka_unit_test(test_v2_cpu_stat_65_core_sched),
		cmocka_unit_test(test_v2_cpu_stat_without_controller),
		cmocka_unit_test(test_unknown_keys_ignored),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_delta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
