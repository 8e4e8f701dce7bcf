/* compare/: the verdict rules and ceilings with made-up real results, each
 * worked out by hand.  Every disagreement issue 11 lists that the old rules
 * passed gets a row here that must fail. */
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
#include "compare/compare.h"
#include "output/report.h"

#define MS NSEC_PER_MSEC

static const struct tolerance def = {TOL_DEFAULT, 0, 0};

/* One row of kind key from sim and real values given in ns or counts. */
static struct cmp_row *row(struct cmp_table *t, enum figure_key key,
			   const struct tolerance *tol, const double *sim,
			   size_t nsim, const double *real, size_t nreal)
{
	cmp_add_row(t, "g", cmp_figure(key)->task ? "t" : NULL, 0, key, tol,
		    250, sim, nsim, real, nreal, NULL);
	return &t->rows[t->n - 1];
}

/* A 2-CPU run of 5 s has 10 s of CPU: busy past 1.5 % of it, 150 ms taken
 * by other tasks and the hypervisor together; unmeasured /proc/stat figures
 * count nothing, the runtime charged in gaps counts always. */
static void test_host_busy(void **state)
{
	struct results r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.source = SOURCE_REAL;
	r.duration_ns = 5 * NSEC_PER_SEC;
	r.cpus = 2;
	r.host_other_ns = 200 * NSEC_PER_MSEC;
	assert_false(cmp_host_busy(&r));
	r.host_measured = true;
	assert_true(cmp_host_busy(&r));
	r.host_other_ns = 100 * NSEC_PER_MSEC;
	r.host_steal_ns = 50 * NSEC_PER_MSEC;
	assert_false(cmp_host_busy(&r));
	r.host_steal_ns += 1;
	assert_true(cmp_host_busy(&r));
	r.cpus = 1;
	r.host_other_ns = 75 * NSEC_PER_MSEC;
	r.host_steal_ns = 0;
	assert_false(cmp_host_busy(&r));
	/* runtime charged in gaps counts with the rest (75 ms = 15 permille
	 * of 5 s on 1 CPU), and also when /proc/stat was not read */
	r.host_charged_ns = 1;
	assert_true(cmp_host_busy(&r));
	r.host_measured = false;
	r.host_other_ns = 0;
	r.host_charged_ns = 75 * NSEC_PER_MSEC;
	assert_false(cmp_host_busy(&r));
	r.host_charged_ns += 1;
	assert_true(cmp_host_busy(&r));
}

/* The host's figures of a real run as the text and JSON print them:
 * 100 ms of 2 x 5 s is 1.0 %, 60 ms 0.6 %; a run where nothing was
 * charged prints no charged line, a simulated run no host fields. */
static void test_host_figures_printed(void **state)
{
	struct results r;
	char name[] = "h", *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.scenario = name;
	r.source = SOURCE_REAL;
	r.duration_ns = 5 * NSEC_PER_SEC;
	r.cpus = 2;
	r.host_measured = true;
	r.host_other_ns = 70 * MS;
	r.host_steal_ns = 30 * MS;
	r.host_charged_ns = 60 * MS + 400;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	report_text(f, &r, 2);
	report_json(f, &r, 0);
	fclose(f);
	assert_non_null(strstr(text, "host: other tasks took 70.0 ms of the "
				     "run's CPUs, the hypervisor 30.0 ms "
				     "(1.0% of them)\n"));
	assert_non_null(strstr(text, "host: 60.0 ms of the tasks' runtime "
				     "was charged to them while they did not "
				     "run (0.6% of the run's CPUs)\n"));
	assert_non_null(strstr(text, "\"host_other_usec\": 70000, "
				     "\"host_steal_usec\": 30000, "
				     "\"host_charged_usec\": 60000,"));
	free(text);
	text = NULL;
	r.host_charged_ns = 0;
	f = open_memstream(&text, &len);
	report_text(f, &r, 2);
	fclose(f);
	assert_null(strstr(text, "charged"));
	free(text);
	text = NULL;
	r.source = SOURCE_SIM;
	r.host_measured = false;
	f = open_memstream(&text, &len);
	report_json(f, &r, 0);
	fclose(f);
	assert_null(strstr(text, "host_"));
	free(text);
}

static void test_ceilings(void **state)
{
	char text[32];

	(void)state;
	/* the table README.md shows */
	assert_true(cmp_ceiling(CMP_USAGE)->rel == 0.05);
	assert_true(cmp_ceiling(CMP_RUNTIME)->rel == 0.05);
	assert_true(cmp_ceiling(CMP_THROTTLE)->rel == 0.25);
	assert_true(cmp_ceiling(CMP_COUNTER)->rel == 0.10);
	assert_int_equal(cmp_ceiling(CMP_COUNTER)->abs_count, 1);
	assert_true(cmp_ceiling(CMP_SWITCHES)->rel == 0.25);
	assert_true(cmp_ceiling(CMP_LATENCY)->rel == 0.20);
	/* no tolerance declared: the ceiling, 5 % of 1 s = 50 ms */
	assert_true(cmp_allowed(&def, CMP_USAGE, 1e9, 250, text) == 5e7);
	assert_string_equal(text, "5%|4ms");
	/* 5 % of 1 ms is less than one 4 ms tick: the tick */
	assert_true(cmp_allowed(&def, CMP_RUNTIME, 1e6, 250, text) == 4e6);
	assert_true(cmp_allowed(&def, CMP_RUNTIME, 1e6, 1000, text) == 1e6);
	assert_string_equal(text, "5%|1ms");
	/* counters: 10 % of 30 = 3; of 5, the 1 */
	assert_true(cmp_allowed(&def, CMP_COUNTER, 30, 250, text) == 3);
	assert_string_equal(text, "10%|1");
	assert_true(cmp_allowed(&def, CMP_COUNTER, 5, 250, text) == 1);
	assert_true(cmp_allowed(&def, CMP_THROTTLE, 1e9, 250, text) == 2.5e8);
	assert_string_equal(text, "25%|4ms");
	assert_true(cmp_allowed(&def, CMP_SWITCHES, 400, 250, text) == 100);
}

static void test_declared_tolerances(void **state)
{
	struct tolerance rel = {TOL_REL, 0.03, 0};
	struct tolerance abs_ns = {TOL_ABS, 0, 2 * MS};
	struct tolerance abs_n = {TOL_ABS, 0, 1};
	char text[32], msg[160];

	(void)state;
	assert_true(fabs(cmp_allowed(&rel, CMP_USAGE, 2e9, 250, text) - 6e7) <
		    1e-3);
	assert_string_equal(text, "3%|4ms");
	assert_true(cmp_allowed(&abs_ns, CMP_THROTTLE, 5e8, 250, text) == 2e6);
	assert_string_equal(text, "2ms");
	assert_true(cmp_allowed(&abs_n, CMP_COUNTER, 30, 250, text) == 1);
	assert_string_equal(text, "1");
	/* what the loader refuses */
	assert_true(cmp_within_ceiling("usage", CMP_USAGE, &rel, 250, msg,
				       sizeof(msg)));
	rel.rel = 0.06;
	assert_false(cmp_within_ceiling("usage", CMP_USAGE, &rel, 250, msg,
					sizeof(msg)));
	assert_string_equal(msg, "'usage' may be at most 5%, the ceiling of "
				 "every scenario");
	abs_n.abs = 2;
	assert_false(cmp_within_ceiling("nr_periods", CMP_COUNTER, &abs_n, 250,
					msg, sizeof(msg)));
	assert_string_equal(msg, "'nr_periods' may be at most 1, the ceiling "
				 "of every scenario");
	abs_ns.abs = 5 * MS; /* more than a 4 ms tick, less than 10 ms */
	assert_false(cmp_within_ceiling("throttled", CMP_THROTTLE, &abs_ns, 250,
					msg, sizeof(msg)));
	assert_true(cmp_within_ceiling("throttled", CMP_THROTTLE, &abs_ns, 100,
				       msg, sizeof(msg)));
}

/* Issue 11, first bullet: the window is the simulated range widened by
 * the tolerance computed on each of its ends, not on the mean. */
static void test_window_from_each_end(void **state)
{
	/* phases predict 300 and 500 ms of throttling: 25 % of 300 ms is
	 * 75 ms, of 500 ms 125 ms, so the window is 225..625 ms (on the
	 * mean, 400 +- 100 ms, it would be 200..600 ms) */
	double sim[2] = {300e6, 500e6};
	double in_hi = 620e6, out_hi = 630e6, in_lo = 230e6, out_lo = 210e6;
	struct cmp_table t = {0};

	(void)state;
	assert_true(row(&t, FIG_THROTTLED, &def, sim, 2, &in_hi, 1)->pass);
	assert_true(t.rows[0].lo == 225e6 && t.rows[0].hi == 625e6);
	assert_false(row(&t, FIG_THROTTLED, &def, sim, 2, &out_hi, 1)->pass);
	assert_true(row(&t, FIG_THROTTLED, &def, sim, 2, &in_lo, 1)->pass);
	assert_false(row(&t, FIG_THROTTLED, &def, sim, 2, &out_lo, 1)->pass);
	assert_int_equal(t.failed, 2);
	cmp_destroy(&t);
}

/* nested-quota's tenant: 1197-1199 ms simulated; the old window (range
 * plus 100 % of the mean) passed 434 ms and 0. */
static void test_tenant_throttled_far_off_fails(void **state)
{
	double sim[3] = {1197e6, 1198e6, 1199e6};
	double r434 = 434e6, r0 = 0, r1100 = 1100e6;
	struct cmp_table t = {0};

	(void)state;
	assert_false(row(&t, FIG_THROTTLED, &def, sim, 3, &r434, 1)->pass);
	assert_false(row(&t, FIG_THROTTLED, &def, sim, 3, &r0, 1)->pass);
	/* 1197 - 25 % = 897.75 ms: a real spread of -8 % passes */
	assert_true(row(&t, FIG_THROTTLED, &def, sim, 3, &r1100, 1)->pass);
	cmp_destroy(&t);
}

/* A window that holds 0 while every simulated variant is not 0 fails at
 * 0, and the reverse: burst's noburst throttled 689-698 ms, burst_usec
 * 46-188 ms, and a 0 that the kernel contradicts. */
static void test_zero_against_nonzero_fails(void **state)
{
	double sim_thr[2] = {689e6, 698e6}, sim_burst[2] = {46e6, 188e6};
	double small[2] = {1e6, 3e6}, zeros[2] = {0, 0};
	double r0 = 0, r2ms = 2e6, r4 = 4;
	struct tolerance wide = {TOL_ABS, 0, 4 * MS};
	struct cmp_table t = {0};
	struct cmp_row *r;

	(void)state;
	assert_false(row(&t, FIG_THROTTLED, &def, sim_thr, 2, &r0, 1)->pass);
	assert_false(row(&t, FIG_BURST, &def, sim_burst, 2, &r0, 1)->pass);
	/* 1..3 ms simulated with a 4 ms floor: the window reaches below
	 * 0, yet a 0 does not pass; 2 ms does */
	r = row(&t, FIG_THROTTLED, &wide, small, 2, &r0, 1);
	assert_true(r->lo == 0 && r->nonzero);
	assert_false(r->pass);
	assert_true(row(&t, FIG_THROTTLED, &wide, small, 2, &r2ms, 1)->pass);
	/* never throttled in any variant: 2 ms of real throttling fails
	 * although the 4 ms floor would cover it; so do 4 throttled periods
	 * (the burst group's nr_throttled, 0 vs 4) */
	assert_false(row(&t, FIG_THROTTLED, &wide, zeros, 2, &r2ms, 1)->pass);
	assert_false(row(&t, FIG_NR_THROTTLED, &def, zeros, 2, &r4, 1)->pass);
	assert_true(row(&t, FIG_NR_THROTTLED, &def, zeros, 2, &r0, 1)->pass);
	cmp_destroy(&t);
}

/* Counters: the larger of 10 % and 1, not a fixed 2-4 whatever the size
 * (quota-throttling's idle pod: 2 periods simulated, 0 measured). */
static void test_counters_relative_and_absolute(void **state)
{
	double two = 2, zero = 0, thirty = 30;
	double r33 = 33, r34 = 34, r3 = 3, r4 = 4;
	struct cmp_table t = {0};

	(void)state;
	assert_false(row(&t, FIG_NR_PERIODS, &def, &two, 1, &zero, 1)->pass);
	/* 10 % of 30 = 3 */
	assert_true(row(&t, FIG_NR_PERIODS, &def, &thirty, 1, &r33, 1)->pass);
	assert_false(row(&t, FIG_NR_PERIODS, &def, &thirty, 1, &r34, 1)->pass);
	/* 10 % of 2 is less than 1: 1 */
	assert_true(row(&t, FIG_NR_BURSTS, &def, &two, 1, &r3, 1)->pass);
	assert_false(row(&t, FIG_NR_BURSTS, &def, &two, 1, &r4, 1)->pass);
	cmp_destroy(&t);
}

/* A task's allowance is its own: one tick, not one per period of its group
 * (slice-expiry: 16 workers of 12.5 ms each over 20 periods passed with 0
 * runtime under the old 20 x 4 ms allowance). */
static void test_task_allowance_is_one_tick(void **state)
{
	double sim = 12.5e6, r0 = 0, r16 = 16.4e6, r17 = 16.6e6;
	struct cmp_table t = {0};

	(void)state;
	assert_false(row(&t, FIG_RUNTIME, &def, &sim, 1, &r0, 1)->pass);
	/* 12.5 ms + 4 ms tick = 16.5 ms */
	assert_true(row(&t, FIG_RUNTIME, &def, &sim, 1, &r16, 1)->pass);
	assert_false(row(&t, FIG_RUNTIME, &def, &sim, 1, &r17, 1)->pass);
	cmp_destroy(&t);
}

/* A simulated 0 has no relative error; the absolute one is the figure. */
static void test_simulated_zero_shows_absolute_error(void **state)
{
	double zero = 0, r790 = 790e6;
	struct cmp_table t = {0};
	struct cmp_row *r;
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	r = row(&t, FIG_THROTTLED, &def, &zero, 1, &r790, 1);
	assert_false(r->pass);
	assert_true(isnan(r->rel_err));
	assert_true(r->abs_err == 790e6);
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 0, NULL, 0);
	fclose(f);
	/* 790000 us of absolute error, "-" for the relative one */
	assert_non_null(strstr(buf, "     790000        - 25%|4ms         "
				    "0/1 OUTSIDE\n"));
	free(buf);
	cmp_destroy(&t);
}

/* With --repeat every run is judged: one bad run fails the row although
 * the mean of the runs lies inside. */
static void test_every_run_judged(void **state)
{
	/* 300 ms simulated, window 225..375 ms; runs 300, 310 and 450 ms
	 * average 353 ms, inside, but the third is outside */
	double sim = 300e6, real[3] = {300e6, 310e6, 450e6};
	struct cmp_table t = {0};
	struct cmp_row *r;

	(void)state;
	r = row(&t, FIG_THROTTLED, &def, &sim, 1, real, 3);
	assert_true(fabs(r->real_mean - 353.333333e6) < 1);
	assert_true(cmp_inside(r, r->real_mean));
	assert_int_equal(r->runs_passed, 2);
	assert_int_equal(r->nreal, 3);
	assert_false(r->pass);
	assert_int_equal(t.failed, 1);
	/* min and max of the runs, sample sd */
	assert_true(r->real_min == 300e6 && r->real_max == 450e6);
	cmp_destroy(&t);
}

/* web (no quota, one hog) and batch (quota, one worker that sleeps) with
 * batch/child below it (no quota, one hog). */
static void scenario3(struct scenario *sc)
{
	size_t web, batch, child, t;

	scenario_init(sc, "cmp");
	web = scenario_add_group(sc, -1, "web");
	scenario_add_task(sc, web, "hog");
	batch = scenario_add_group(sc, -1, "batch");
	sc->groups[batch].has_quota = true;
	sc->groups[batch].quota_ns = 30 * MS;
	t = scenario_add_task(sc, batch, "worker");
	sc->tasks[t].wl.kind = WL_PERIODIC;
	child = scenario_add_group(sc, (long)batch, "child");
	scenario_add_task(sc, child, "hog");
}

static void results3(struct results *r)
{
	static const char *const paths[] = {"web", "batch", "batch/child"};
	static const char *const names[] = {"hog", "worker", "hog"};
	size_t i;

	memset(r, 0, sizeof(*r));
	r->scenario = xstrdup("cmp");
	r->ngroups = 3;
	r->groups = xcalloc(3, sizeof(*r->groups));
	r->ntasks = 3;
	r->tasks = xcalloc(3, sizeof(*r->tasks));
	for (i = 0; i < 3; i++) {
		r->groups[i].path = xstrdup(paths[i]);
		r->groups[i].usage_ns = r->groups[i].user_ns = 900 * MS;
		r->tasks[i].group = results_keep(r, paths[i]);
		r->tasks[i].name = results_keep(r, names[i]);
		r->tasks[i].runtime_ns = 900 * MS;
	}
	r->groups[1].nr_periods = 30;
	r->groups[1].nr_throttled = 29;
	r->groups[1].throttled_ns = 300 * MS;
	r->groups[1].throttled_local_ns = 300 * MS;
	r->groups[2].throttled_local_ns = 300 * MS;
	r->tasks[1].nr_voluntary = 120;
	r->wall_ns = NSEC_PER_SEC;
}

static const struct cmp_row *find(const struct cmp_table *t, const char *group,
				  const char *figure)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].group, group) &&
		    !strcmp(t->rows[i].figure, figure))
			return &t->rows[i];
	fail_msg("no row %s %s", group, figure);
	return NULL;
}

/* The figures never compared before: user + system against usage, an
 * unlimited child's bandwidth counters (0), cpu.stat.local, voluntary
 * switches; switches and wait only where declared. */
static void test_rows_of_a_scenario(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	size_t i;

	(void)state;
	scenario3(&sc);
	results3(&sim);
	results3(&real);
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	/* web: usage, user+system; batch and child: those and nr_periods,
	 * nr_throttled, throttled, local throttled; three tasks: runtime
	 * and voluntary */
	assert_int_equal(t.n, 2 + 6 + 6 + 3 * 2);
	assert_int_equal(t.failed, 0);
	assert_true(find(&t, "batch/child", "nr_periods")->sim == 0);
	assert_true(find(&t, "batch/child", "local_throttled_usec")->sim ==
		    300e6);
	for (i = 0; i < t.n; i++) {
		assert_string_not_equal(t.rows[i].figure, "nr_switches");
		assert_string_not_equal(t.rows[i].figure, "wait_usec");
	}
	cmp_destroy(&t);

	/* each must fail: the child counted periods of its own, user +
	 * system is 10 % short of usage, the worker slept a third less
	 * (25 % of 120 = 30) */
	real.groups[2].nr_throttled = 3;
	real.groups[1].user_ns = 810 * MS;
	real.tasks[1].nr_voluntary = 80;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_false(find(&t, "batch/child", "nr_throttled")->pass);
	assert_false(find(&t, "batch", "user+system_usec")->pass);
	assert_true(find(&t, "batch", "usage_usec")->pass);
	assert_false(find(&t, "batch", "nr_voluntary")->pass);
	assert_int_equal(t.failed, 3);
	cmp_destroy(&t);

	/* no cpu.stat.local before 6.6; switches and wait when declared */
	sc.expect.switches.kind = TOL_REL;
	sc.expect.switches.rel = 0.10;
	sc.expect.wait.kind = TOL_ABS;
	sc.expect.wait.abs = 4 * MS;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, false, &t, &err), 0);
	assert_int_equal(t.n, 2 + 5 + 5 + 3 * 4);
	for (i = 0; i < t.n; i++)
		assert_string_not_equal(t.rows[i].figure,
					"local_throttled_usec");
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* A figure declared not_modelled is shown with its reason and judged by
 * nobody: it neither passes nor fails the verdict. */
static void test_not_modelled_rows(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	const struct cmp_row *r;
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	scenario3(&sc);
	sc.expect.not_modelled[FIG_THROTTLED] = xstrdup("6.18 clock");
	sc.expect.not_modelled[FIG_WAIT] = xstrdup("host tasks");
	results3(&sim);
	results3(&real);
	real.groups[1].throttled_ns = 0;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	r = find(&t, "batch", "throttled_usec");
	assert_false(r->pass);
	assert_string_equal(r->not_modelled, "6.18 clock");
	assert_int_equal(t.failed, 0);
	/* batch and its child; a wait row per task, shown although no
	 * tolerance is declared for it */
	assert_int_equal(t.not_modelled, 2 + 3);
	assert_string_equal(find(&t, "web", "wait_usec")->not_modelled,
			    "host tasks");
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 0, &real, 1);
	fclose(f);
	assert_non_null(strstr(buf, " 0/1 not modelled\n"));
	assert_non_null(strstr(buf, "\nnot modelled: batch throttled_usec: "
				    "6.18 clock\n"));
	assert_non_null(strstr(buf, "\nverdict: pass\n"));
	free(buf);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* A reason limited to groups covers them and the groups below them, a
 * task row by its task's group: usage limited to batch leaves web's judged
 * (and failing at 0 against 900 ms), and covers batch/child; runtime
 * limited to batch/child covers only the hog there, whose 0 is shown. */
static void test_not_modelled_in_some_groups(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	struct expect_spec *x;

	(void)state;
	scenario3(&sc);
	x = &sc.expect;
	x->not_modelled[FIG_USAGE] = xstrdup("balancer");
	x->not_modelled_groups[FIG_USAGE] = xcalloc(1, sizeof(char *));
	x->not_modelled_groups[FIG_USAGE][0] = xstrdup("batch");
	x->not_modelled_ngroups[FIG_USAGE] = 1;
	x->not_modelled[FIG_RUNTIME] = xstrdup("which thread");
	x->not_modelled_groups[FIG_RUNTIME] = xcalloc(1, sizeof(char *));
	x->not_modelled_groups[FIG_RUNTIME][0] = xstrdup("batch/child");
	x->not_modelled_ngroups[FIG_RUNTIME] = 1;
	results3(&sim);
	results3(&real);
	real.groups[0].usage_ns = 0;
	real.groups[2].usage_ns = 0;
	real.tasks[2].runtime_ns = 0;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_null(find(&t, "web", "usage_usec")->not_modelled);
	assert_false(find(&t, "web", "usage_usec")->pass);
	assert_string_equal(find(&t, "batch", "usage_usec")->not_modelled,
			    "balancer");
	assert_string_equal(find(&t, "batch/child", "usage_usec")->not_modelled,
			    "balancer");
	assert_null(find(&t, "web", "runtime_usec")->not_modelled);
	assert_null(find(&t, "batch", "runtime_usec")->not_modelled);
	assert_string_equal(
		find(&t, "batch/child", "runtime_usec")->not_modelled,
		"which thread");
	assert_int_equal(t.not_modelled, 3);
	assert_int_equal(t.failed, 1);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* Adds to r the latency of a requests task of web (a periodic one when
 * act): samples 1..100 ms, so p50 50 ms, p90 90 ms, p99 99 ms, scaled by
 * scale_pct / 100. */
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
		latency_add(l, i * MS * scale_pct / 100);
	latency_finish(l);
}

static size_t latency_rows_of(const struct cmp_table *t, const char *task)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->rows[i].task && !strcmp(t->rows[i].task, task) &&
		     !strncmp(t->rows[i].figure, "latency_", 8);
	return n;
}

/* A request task's percentiles are compared by default, within 20 % or a
 * tick: real 10 % above the simulation passes (p99 108.9 ms against 99 ms,
 * 19.8 ms allowed); 30 % above fails at each percentile (p50 65 ms against
 * 50 ms with 10 ms allowed, p90 117 against 90 with 18, p99 128.7 against
 * 99 with 19.8).  A periodic task's are compared only when expect: latency
 * is given, here 50 %, which 30 % passes. */
static void test_latency_percentiles_compared(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;
	char text[32];
	const struct cmp_row *r;

	(void)state;
	/* 20 % of 1 ms is below a 4 ms tick */
	assert_true(cmp_allowed(&def, CMP_LATENCY, 1e6, 250, text) == 4e6);
	assert_string_equal(text, "20%|4ms");
	assert_true(cmp_allowed(&def, CMP_LATENCY, 1e8, 250, text) == 2e7);
	scenario3(&sc);
	results3(&sim);
	results3(&real);
	add_latency(&sim, false, 100);
	add_latency(&real, false, 110);
	add_latency(&sim, true, 100);
	add_latency(&real, true, 300);
	err_init(&err);
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_int_equal(latency_rows_of(&t, "server"), 3);
	assert_int_equal(latency_rows_of(&t, "tick"), 0);
	r = find(&t, "web", "latency_p99_usec");
	assert_true(r->sim == 99e6);
	assert_true(fabs(r->real_mean - 108.9e6) < 1);
	assert_true(fabs(r->allowed - 99e6 * 0.2) < 1);
	assert_true(r->pass);
	assert_int_equal(t.failed, 0);
	cmp_destroy(&t);
	results_destroy(&real);
	results3(&real);
	add_latency(&real, false, 130);
	add_latency(&real, true, 130);
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_int_equal(t.failed, 3);
	assert_false(find(&t, "web", "latency_p50_usec")->pass);
	assert_false(find(&t, "web", "latency_p90_usec")->pass);
	assert_false(find(&t, "web", "latency_p99_usec")->pass);
	cmp_destroy(&t);
	/* a real run whose load generator shared the scenario's CPUs: the
	 * requests' percentiles are shown, not judged, the activations'
	 * (measured inside the workload) still are */
	real.generator_shared = true;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_int_equal(t.failed, 0);
	assert_string_equal(find(&t, "web", "latency_p50_usec")->not_modelled,
			    CMP_GENERATOR_SHARED);
	assert_int_equal(t.not_modelled, 3);
	cmp_destroy(&t);
	real.generator_shared = false;
	/* declared: the activations are compared too, within 50 % */
	sc.expect.latency.kind = TOL_REL;
	sc.expect.latency.rel = 0.5;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	assert_int_equal(latency_rows_of(&t, "tick"), 3);
	assert_int_equal(t.failed, 0);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

static void test_mismatched_real_run(void **state)
{
	struct results sim, real;
	struct scenario sc;
	struct cmp_table t;
	struct err err;

	(void)state;
	scenario3(&sc);
	results3(&sim);
	results3(&real);
	real.ntasks = 1;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), -1);
	assert_string_equal(err.msg, "real run 1 does not match the scenario "
				     "(3 groups, 1 threads)");
	real.ntasks = 3;
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
	scenario3(&sc);
	results3(&sim);
	results3(&real);
	real.wall_ns = 2 * NSEC_PER_SEC;
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 500 * MS, &real, 1);
	fclose(f);
	assert_non_null(strstr(buf, "\nwall time: sim 0.500 s, real 2.000 s "
				    "(1 run)\nverdict: pass\n"));
	free(buf);
	f = open_memstream(&buf, &len);
	cmp_print_json(f, &sim, &real, 1, &t, 500 * MS);
	fclose(f);
	/* 30 +- max(10 % of 30, 1) = 27..33 */
	assert_non_null(strstr(buf,
			       "{\"group\": \"batch\", \"figure\": "
			       "\"nr_periods\", \"kind\": \"counters\", "
			       "\"sim\": 30.000, \"sim_min\": 30.000, "
			       "\"sim_max\": 30.000, \"real\": [30.000], "
			       "\"real_mean\": 30.000, \"real_sd\": 0.000, "
			       "\"low\": 27.000, \"high\": 33.000, "
			       "\"abs_err\": 0.000, \"rel_err\": 0.000000, "
			       "\"allowed\": 3.000, \"tolerance\": \"10%|1\", "
			       "\"runs_passed\": 1, \"runs\": 1, "
			       "\"pass\": true}"));
	assert_non_null(strstr(buf,
			       "\"sim_wall_usec\": 500000,\n  \"verdict\": "
			       "\"pass\"\n}"));
	free(buf);
	cmp_destroy(&t);

	real.groups[1].nr_throttled = 25; /* 29 - 10 % = 26.1 */
	assert_int_equal(cmp_build(&sc, &sim, 1, &real, 1, true, &t, &err), 0);
	f = open_memstream(&buf, &len);
	cmp_print_text(f, &t, 0, &real, 1);
	fclose(f);
	assert_non_null(strstr(buf, "verdict: fail (1 of 20 outside "
				    "tolerance)\n"));
	free(buf);
	cmp_destroy(&t);
	results_destroy(&sim);
	results_destroy(&real);
	scenario_destroy(&sc);
}

/* The scoreboard: per kind, rows, passes, median and worst relative
 * error; a row simulated at 0 counts but has no relative error. */
static void test_score(void **state)
{
	double s100 = 100e6, s0 = 0, r[4] = {101e6, 110e6, 104e6, 0};
	struct cmp_table t[2] = {{0}, {0}};
	struct cmp_score score[CMP_NKINDS];

	(void)state;
	row(&t[0], FIG_USAGE, &def, &s100, 1, &r[0], 1); /* 1 %, pass */
	row(&t[0], FIG_USAGE, &def, &s100, 1, &r[1], 1); /* 10 %, fail */
	row(&t[1], FIG_USAGE, &def, &s100, 1, &r[2], 1); /* 4 %, pass */
	row(&t[1], FIG_USAGE, &def, &s0, 1, &r[3], 1);	 /* 0 = 0, pass */
	cmp_score(t, 2, score);
	assert_int_equal(score[CMP_USAGE].rows, 4);
	assert_int_equal(score[CMP_USAGE].passed, 3);
	assert_int_equal(score[CMP_USAGE].nrel, 3);
	assert_true(fabs(score[CMP_USAGE].median_rel - 0.04) < 1e-9);
	assert_true(fabs(score[CMP_USAGE].worst_rel - 0.10) < 1e-9);
	assert_int_equal(score[CMP_COUNTER].rows, 0);
	cmp_destroy(&t[0]);
	cmp_destroy(&t[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceilings),
		cmocka_unit_test(test_host_busy),
		cmocka_unit_test(test_host_figures_printed),
		cmocka_unit_test(test_declared_tolerances),
		cmocka_unit_test(test_window_from_each_end),
		cmocka_unit_test(test_tenant_throttled_far_off_fails),
		cmocka_unit_test(test_zero_against_nonzero_fails),
		cmocka_unit_test(test_counters_relative_and_absolute),
		cmocka_unit_test(test_task_allowance_is_one_tick),
		cmocka_unit_test(test_simulated_zero_shows_absolute_error),
		cmocka_unit_test(test_every_run_judged),
		cmocka_unit_test(test_rows_of_a_scenario),
		cmocka_unit_test(test_not_modelled_rows),
		cmocka_unit_test(test_not_modelled_in_some_groups),
		cmocka_unit_test(test_latency_percentiles_compared),
		cmocka_unit_test(test_mismatched_real_run),
		cmocka_unit_test(test_text_and_json_verdicts),
		cmocka_unit_test(test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
