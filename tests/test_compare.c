/* cfssim compare's arithmetic: default and declared tolerances, the rows
 * built from one simulated and N real results (mean, sample sd, errors,
 * verdict), and the verdict lines of the text and JSON output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_compare.h"
#include "base/xalloc.h"

static void test_default_tolerances(void **state)
{
	struct tolerance def = {TOL_DEFAULT, 0, 0};
	char text[32];

	(void)state;
	/* usage: 5 % of 1 s = 50 ms beats one 4 ms tick (HZ 250) */
	assert_true(cmp_allowed(&def, CMP_TIME, 1e9, 250, 0, text) == 5e7);
	assert_string_equal(text, "5%|4ms");
	/* 5 % of 1 ms is less than a tick: the tick wins */
	assert_true(cmp_allowed(&def, CMP_TIME, 1e6, 250, 0, text) == 4e6);
	assert_true(cmp_allowed(&def, CMP_TIME, 1e6, 1000, 0, text) == 1e6);
	assert_string_equal(text, "5%|1ms");
	/* a group with 30 periods may overrun by a tick in each: 120 ms
	 * beats 5 % of 900 ms */
	assert_true(cmp_allowed(&def, CMP_TIME, 9e8, 250, 30, text) == 1.2e8);
	assert_string_equal(text, "5%|30x4ms");
	assert_true(cmp_allowed(&def, CMP_COUNTER, 30, 250, 0, text) == 2);
	assert_string_equal(text, "2");
	/* throttled: 20 % of 1 s, or 10 ms for small values */
	assert_true(cmp_allowed(&def, CMP_THROTTLE, 1e9, 250, 0, text) == 2e8);
	assert_string_equal(text, "20%|10ms");
	assert_true(cmp_allowed(&def, CMP_THROTTLE, 1e7, 250, 0, text) == 1e7);
	/* switches: 25 % of 400, or 5 for a task that hardly switches */
	assert_true(cmp_allowed(&def, CMP_SWITCHES, 400, 250, 0, text) == 100);
	assert_string_equal(text, "25%|5");
	assert_true(cmp_allowed(&def, CMP_SWITCHES, 10, 250, 0, text) == 5);
}

static void test_declared_tolerances(void **state)
{
	struct tolerance rel = {TOL_REL, 0.03, 0};
	struct tolerance abs_ns = {TOL_ABS, 0, 10 * NSEC_PER_MSEC};
	struct tolerance abs_n = {TOL_ABS, 0, 3};
	struct tolerance abs_us = {TOL_ABS, 0, 250 * NSEC_PER_USEC};
	char text[32];

	(void)state;
	assert_true(fabs(cmp_allowed(&rel, CMP_TIME, 2e9, 250, 0, text) - 6e7) <
		    1e-3);
	assert_string_equal(text, "3%");
	assert_true(cmp_allowed(&abs_ns, CMP_THROTTLE, 5e8, 250, 0, text) ==
		    1e7);
	assert_string_equal(text, "10ms");
	assert_true(cmp_allowed(&abs_n, CMP_COUNTER, 30, 250, 0, text) == 3);
	assert_string_equal(text, "3");
	assert_true(cmp_allowed(&abs_us, CMP_TIME, 1e9, 250, 0, text) == 2.5e5);
	assert_string_equal(text, "250us");
}

/* web (no quota, one hog) and batch (quota, one worker). */
static void scenario2(struct scenario *sc)
{
	size_t web, batch;

	scenario_init(sc, "cmp");
	web = scenario_add_group(sc, -1, "web");
	scenario_add_task(sc, web, "hog");
	batch = scenario_add_group(sc, -1, "batch");
	sc->groups[batch].has_quota = true;
	sc->groups[batch].quota_ns = 30 * NSEC_PER_MSEC;
	scenario_add_task(sc, batch, "worker");
}

static void results2(struct results *r, uint64_t web_ns, uint64_t batch_ns,
		     uint64_t periods, uint64_t throttled_n,
		     uint64_t throttled_ns)
{
	memset(r, 0, sizeof(*r));
	r->scenario = xstrdup("cmp");
	r->ngroups = 2;
	r->groups = xcalloc(2, sizeof(*r->groups));
	r->groups[0].path = xstrdup("web");
	r->groups[0].usage_ns = web_ns;
	r->groups[1].path = xstrdup("batch");
	r->groups[1].usage_ns = batch_ns;
	r->groups[1].nr_periods = periods;
	r->groups[1].nr_throttled = throttled_n;
	r->groups[1].throttled_ns = throttled_ns;
	r->ntasks = 2;
	r->tasks = xcalloc(2, sizeof(*r->tasks));
	r->tasks[0].group = xstrdup("web");
	r->tasks[0].name = xstrdup("hog");
	r->tasks[0].runtime_ns = web_ns;
	r->tasks[1].group = xstrdup("batch");
	r->tasks[1].name = xstrdup("worker");
	r->tasks[1].runtime_ns = batch_ns;
	r->wall_ns = NSEC_PER_SEC;
}

static void test_rows_mean_sd_and_verdict(void **state)
{
	struct results sim, real[2];
	struct scenario sc;
	struct cmp_table t;
	struct err err;

	(void)state;
	scenario2(&sc);
	results2(&sim, 2100 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	results2(&real[0], 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 31, 30,
		 310 * NSEC_PER_MSEC);
	results2(&real[1], 2100 * NSEC_PER_MSEC, 1200 * NSEC_PER_MSEC, 31, 25,
		 330 * NSEC_PER_MSEC);
	assert_int_equal(cmp_build(&sc, &sim, 1, real, 2, &t, &err), 0);
	/* web usage; batch usage, nr_periods, nr_throttled, throttled (no
	 * burst); runtime of two tasks (switches only when declared) */
	assert_int_equal(t.n, 7);
	assert_string_equal(t.rows[0].group, "web");
	assert_string_equal(t.rows[0].figure, "usage_usec");
	assert_true(t.rows[0].real_mean == 2050e6);
	/* sample sd of 2000 and 2100 ms: 100/sqrt(2) ms */
	assert_true(fabs(t.rows[0].real_sd - 100e6 / sqrt(2)) < 1);
	assert_true(t.rows[0].abs_err == 50e6);
	assert_true(t.rows[0].pass); /* 50 ms <= 5 % of 2100 ms */
	assert_string_equal(t.rows[1].figure, "usage_usec");
	assert_true(t.rows[1].abs_err == 150e6);
	assert_true(t.rows[1].allowed == 120e6); /* 30 periods x 4 ms */
	assert_false(t.rows[1].pass);
	assert_string_equal(t.rows[2].figure, "nr_periods");
	assert_true(t.rows[2].pass); /* 31 vs 30 */
	assert_string_equal(t.rows[3].figure, "nr_throttled");
	assert_true(t.rows[3].real_mean == 27.5);
	assert_true(t.rows[3].pass); /* 29 - 27.5 = 1.5 <= 2 */
	assert_string_equal(t.rows[4].figure, "throttled_usec");
	assert_true(t.rows[4].abs_err == 20e6); /* 320 vs 300 ms */
	assert_true(t.rows[4].allowed == 60e6); /* 20 % of 300 ms */
	assert_string_equal(t.rows[5].task, "hog");
	assert_string_equal(t.rows[6].task, "worker");
	assert_int_equal(t.failed, 2); /* batch usage and its runtime */
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real[0]);
	results_destroy(&real[1]);
	scenario_destroy(&sc);
}

static void test_mismatched_real_run(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;

	(void)state;
	scenario2(&sc);
	results2(&sim, 1, 1, 1, 1, 1);
	results2(&real, 1, 1, 1, 1, 1);
	real.ntasks = 1;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), -1);
	assert_string_equal(err.msg, "real run 1 does not match the scenario "
				     "(2 groups, 1 threads)");
	real.ntasks = 2;
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

static void test_text_and_json_verdicts(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	scenario2(&sc);
	results2(&sim, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	results2(&real, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	real.wall_ns = 2 * NSEC_PER_SEC;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_int_equal(t.failed, 0);
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 500 * NSEC_PER_MSEC, &real, 1);
	fclose(f);
	assert_non_null(strstr(buf, "\nwall time: sim 0.500 s, real 2.000 s "
				    "(1 run)\nverdict: pass\n"));
	assert_non_null(strstr(buf, "\nbatch                    nr_periods  "));
	free(buf);
	f = open_memstream(&buf, &len);
	cmp_print_json(f, &sim, &real, 1, &t, 500 * NSEC_PER_MSEC);
	fclose(f);
	assert_non_null(strstr(buf,
			       "{\"group\": \"batch\", \"figure\": "
			       "\"nr_periods\", \"sim\": 30.000, "
			       "\"sim_min\": 30.000, \"sim_max\": 30.000, "
			       "\"real_mean\": 30.000, \"real_sd\": 0.000, "
			       "\"abs_err\": 0.000, \"rel_err\": 0.000000, "
			       "\"allowed\": 2.000, \"tolerance\": \"2\", "
			       "\"pass\": true}"));
	assert_non_null(strstr(buf,
			       "\"sim_wall_usec\": 500000,\n  \"verdict\": "
			       "\"pass\"\n}"));
	free(buf);
	cmp_destroy(&t);

	real.groups[1].nr_throttled = 25;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 0, &real, 1);
	fclose(f);
	assert_non_null(strstr(buf, "verdict: fail (1 of 7 outside "
				    "tolerance)\n"));
	free(buf);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

static void test_switches_compared_when_declared(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;

	(void)state;
	scenario2(&sc);
	sc.expect.switches.kind = TOL_REL;
	sc.expect.switches.rel = 0.10;
	results2(&sim, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	results2(&real, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	sim.tasks[0].nr_switches = 375;
	real.tasks[0].nr_switches = 415; /* 40 > 10 % of 375 */
	sim.tasks[1].nr_switches = 100;
	real.tasks[1].nr_switches = 105;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_int_equal(t.n, 9);
	assert_string_equal(t.rows[6].figure, "nr_switches");
	assert_true(t.rows[6].allowed == 37.5);
	assert_false(t.rows[6].pass);
	assert_true(t.rows[8].pass);
	assert_int_equal(t.failed, 1);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* wait rows only when declared, in ns, with the tolerance given */
static void test_wait_compared_when_declared(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	size_t i;

	(void)state;
	scenario2(&sc);
	results2(&sim, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	results2(&real, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	sim.tasks[0].wait_ns = 400 * NSEC_PER_MSEC;
	real.tasks[0].wait_ns = 445 * NSEC_PER_MSEC; /* 45 > 10 % of 400 */
	sim.tasks[1].wait_ns = 4 * NSEC_PER_MSEC;
	real.tasks[1].wait_ns = 14 * NSEC_PER_MSEC; /* 10 <= 10 ms */
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	for (i = 0; i < t.n; i++)
		assert_string_not_equal(t.rows[i].figure, "wait_usec");
	cmp_destroy(&t);
	sc.expect.wait.kind = TOL_REL;
	sc.expect.wait.rel = 0.10;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_int_equal(t.n, 9);
	assert_string_equal(t.rows[6].figure, "wait_usec");
	assert_true(t.rows[6].allowed == 40e6);
	assert_false(t.rows[6].pass);
	assert_false(t.rows[8].pass); /* 10 ms > 10 % of 4 ms */
	assert_int_equal(t.failed, 2);
	cmp_destroy(&t);
	sc.expect.wait.kind = TOL_ABS;
	sc.expect.wait.abs = 50 * NSEC_PER_MSEC;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_true(t.rows[6].pass && t.rows[8].pass);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

static void test_real_judged_against_simulated_range(void **state)
{
	struct results sim[2], real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	size_t i;

	(void)state;
	scenario2(&sc);
	/* two phases predict 300 and 500 ms of throttling: mean 400 ms, the
	 * default 20 % of it (80 ms) widens the range to 220..580 ms */
	results2(&sim[0], 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 300 * NSEC_PER_MSEC);
	results2(&sim[1], 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 500 * NSEC_PER_MSEC);
	results2(&real, 2000 * NSEC_PER_MSEC, 900 * NSEC_PER_MSEC, 30, 29,
		 570 * NSEC_PER_MSEC);
	assert_int_equal(cmp_build(&sc, sim, 2, &real, 1, &t, &err), 0);
	for (i = 0; i < t.n; i++)
		if (!strcmp(t.rows[i].figure, "throttled_usec"))
			break;
	assert_true(i < t.n);
	assert_true(t.rows[i].sim == 400e6);
	assert_true(t.rows[i].sim_min == 300e6);
	assert_true(t.rows[i].sim_max == 500e6);
	assert_true(t.rows[i].abs_err == 170e6);
	assert_true(t.rows[i].pass);
	cmp_destroy(&t);
	real.groups[1].throttled_ns = 590 * NSEC_PER_MSEC;
	assert_int_equal(cmp_build(&sc, sim, 2, &real, 1, &t, &err), 0);
	assert_false(t.rows[i].pass);
	cmp_destroy(&t);
	results_destroy(&sim[0]);
	results_destroy(&sim[1]);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* Adds a latency row to r: a requests task of web (a periodic one when
 * act) whose samples are 1..100 ms (so p50 is 50 ms, p90 90 ms, p99 99 ms),
 * scaled by scale_pct / 100. */
static void add_latency(struct results *r, bool act, unsigned scale_pct)
{
	struct latency_result *l;
	uint64_t i;

	r->latency = xrealloc(r->latency, (r->nlatency + 1) * sizeof(*l));
	l = &r->latency[r->nlatency++];
	memset(l, 0, sizeof(*l));
	l->group = xstrdup("web");
	l->task = xstrdup(act ? "tick" : "server");
	l->kind = act ? LAT_ACTIVATIONS : LAT_REQUESTS;
	for (i = 1; i <= 100; i++)
		latency_add(l, i * NSEC_PER_MSEC * scale_pct / 100);
	latency_finish(l);
}

/* The percentiles of requests are compared by default within 20 % or a
 * tick: real 10 % above the simulation passes (p99: 108.9 ms against
 * 99 ms, 19.8 ms allowed), 30 % above fails at p50 (65 ms against 50 ms,
 * 10 ms allowed) and beyond; activations only with expect: latency. */
static void test_latency_percentiles_compared(void **state)
{
	struct scenario sc;
	struct results sim, real;
	struct cmp_table t;
	struct err err;
	char text[32];
	struct tolerance def = {TOL_DEFAULT, 0, 0};

	(void)state;
	/* 20 % of 1 ms is below a 4 ms tick */
	assert_true(cmp_allowed(&def, CMP_LATENCY, 1e6, 250, 0, text) == 4e6);
	assert_string_equal(text, "20%|4ms");
	assert_true(cmp_allowed(&def, CMP_LATENCY, 1e8, 250, 0, text) == 2e7);
	scenario2(&sc);
	results2(&sim, NSEC_PER_SEC, NSEC_PER_SEC, 10, 0, 0);
	results2(&real, NSEC_PER_SEC, NSEC_PER_SEC, 10, 0, 0);
	add_latency(&sim, false, 100);
	add_latency(&real, false, 110);
	add_latency(&sim, true, 100);
	add_latency(&real, true, 300);
	err_init(&err);
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	/* usage x2, batch's 4 bandwidth rows, 2 runtimes, 3 percentiles */
	assert_int_equal(t.n, 2 + 3 + 2 + 3);
	assert_string_equal(t.rows[7].figure, "latency_p50_usec");
	assert_string_equal(t.rows[9].figure, "latency_p99_usec");
	assert_true(t.rows[9].sim == 99e6);
	assert_true(fabs(t.rows[9].real_mean - 108.9e6) < 1);
	assert_true(t.rows[9].allowed == 99e6 * 0.2);
	assert_int_equal(t.failed, 0);
	cmp_destroy(&t);
	results_destroy(&real);
	results2(&real, NSEC_PER_SEC, NSEC_PER_SEC, 10, 0, 0);
	add_latency(&real, false, 130);
	add_latency(&real, true, 100);
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_int_equal(t.failed, 3);
	assert_false(t.rows[7].pass);
	cmp_destroy(&t);
	/* declared: activations are compared too, here within 50 % */
	sc.expect.latency.kind = TOL_REL;
	sc.expect.latency.rel = 0.5;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, &t, &err), 0);
	assert_int_equal(t.n, 2 + 3 + 2 + 6);
	assert_int_equal(t.failed, 0);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_tolerances),
		cmocka_unit_test(test_declared_tolerances),
		cmocka_unit_test(test_rows_mean_sd_and_verdict),
		cmocka_unit_test(test_mismatched_real_run),
		cmocka_unit_test(test_text_and_json_verdicts),
		cmocka_unit_test(test_real_judged_against_simulated_range),
		cmocka_unit_test(test_switches_compared_when_declared),
		cmocka_unit_test(test_wait_compared_when_declared),
		cmocka_unit_test(test_latency_percentiles_compared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
