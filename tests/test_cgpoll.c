/* The cpu.stat sampler of real runs: period samples from hand-made counter
 * sequences (a hog under 30 ms / 100 ms polled every 5 ms), and, on the
 * real kernel (root, a cgroup CPU controller; skipped otherwise unless
 * CFSSIM_REQUIRE_REAL=1), the periods of a lone capped hog. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cgpoll.h"
#include "backend/run.h"
#include "sim/model.h"
#include "sim/results.h"

#define MS NSEC_PER_MSEC

/* Boundaries at 2, 102, 202, 302 ms; after each the hog runs 30 ms, then
 * sits throttled until the next, where the kernel adds the 70 ms and
 * counts the period as throttled (the first boundary ends no throttled
 * period). */
static const uint64_t bounds[] = {2 * MS, 102 * MS, 202 * MS, 302 * MS};

static void point_at(uint64_t t, struct cgpoll_point *pt)
{
	size_t i, seen = 0;

	memset(pt, 0, sizeof(*pt));
	pt->t_ns = t;
	for (i = 0; i < 4; i++) {
		uint64_t b = bounds[i];

		if (t >= b) {
			seen++;
			pt->usage_ns += t - b < 30 * MS ? t - b : 30 * MS;
		}
	}
	pt->nr_periods = seen;
	pt->nr_throttled = seen ? seen - 1 : 0;
	pt->throttled_ns = pt->nr_throttled * 70 * MS;
}

static void feed_run(struct cgpoll *p)
{
	struct cgpoll_point pt;
	uint64_t t;

	cgpoll_init(p);
	p->groups = calloc(1, sizeof(*p->groups));
	p->ngroups = 1;
	p->groups[0].group = 3;
	p->groups[0].quota_ns = 30 * MS;
	p->groups[0].stat_fd = p->groups[0].usage_fd = -1;
	p->interval_ns = 5 * MS;
	for (t = 0; t <= 400 * MS; t += 5 * MS) {
		point_at(t, &pt);
		cgpoll_feed(p, 0, &pt);
	}
}

static void test_cgpoll_hog_period_per_boundary(void **state)
{
	struct cgpoll p;
	size_t i;

	(void)state;
	feed_run(&p);
	/* four boundaries close three periods */
	assert_int_equal(p.nperiods, 3);
	for (i = 0; i < 3; i++) {
		const struct period_sample *s = &p.periods[i];

		assert_int_equal(s->group, 3);
		/* midpoints of the brackets (b - 2 ms, b + 3 ms] */
		assert_int_equal(s->start_ns, bounds[i] + MS / 2);
		assert_int_equal(s->end_ns, bounds[i + 1] + MS / 2);
		assert_int_equal(s->quota_ns, 30 * MS);
		assert_int_equal(s->used_ns, 30 * MS);
		assert_int_equal(s->throttled_ns, 70 * MS);
		assert_int_equal(s->throttled, 1);
	}
	cgpoll_destroy(&p);
}

static void test_cgpoll_fill_shifts_and_cuts(void **state)
{
	struct timeline tl;
	struct cgpoll p;

	(void)state;
	feed_run(&p);
	memset(&tl, 0, sizeof(tl));
	cgpoll_fill(&p, 2 * MS, 302 * MS, &tl);
	assert_int_equal(tl.nperiods, 3);
	assert_int_equal(tl.periods[0].start_ns, MS / 2);
	assert_int_equal(tl.periods[0].end_ns, 100 * MS + MS / 2);
	assert_int_equal(tl.periods[2].start_ns, 200 * MS + MS / 2);
	assert_int_equal(tl.periods[2].end_ns, 300 * MS);
	assert_int_equal(tl.periods[2].used_ns, 30 * MS);
	free(tl.periods);
	/* a window ending before the last period ends leaves it out */
	memset(&tl, 0, sizeof(tl));
	cgpoll_fill(&p, 2 * MS, 202 * MS, &tl);
	assert_int_equal(tl.nperiods, 2);
	free(tl.periods);
	cgpoll_destroy(&p);
}

/* Skips (or fails under CFSSIM_REQUIRE_REAL=1) when sc cannot run here;
 * sc is destroyed before skipping. */
static bool can_run(struct scenario *sc)
{
	struct real_options opt;
	struct cg_mounts m;
	struct err err;
	const char *req = getenv("CFSSIM_REQUIRE_REAL");

	real_options_init(&opt);
	if (real_check(sc, &opt, &m, &err) == 0)
		return true;
	if (req && !strcmp(req, "1"))
		fail_msg("real backend required but unavailable: %s", err.msg);
	print_message("skipped: %s\n", err.msg);
	scenario_destroy(sc);
	skip();
	return false;
}

static void test_cgpoll_real_hog_30_of_100_ms(void **state)
{
	struct real_options opt;
	struct scenario sc;
	struct results r;
	struct err err;
	size_t g, i;

	(void)state;
	scenario_init(&sc, "sampled-hog");
	sc.duration_ns = 1 * NSEC_PER_SEC;
	g = scenario_add_group(&sc, -1, "capped");
	scenario_add_task(&sc, g, "hog");
	sc.groups[g].has_quota = true;
	sc.groups[g].quota_ns = 30 * MS;
	if (!can_run(&sc))
		return;
	real_options_init(&opt);
	opt.timeline = true;
	if (real_run(&sc, &opt, &r, &err))
		fail_msg("%s", err.msg);
	assert_non_null(r.timeline);
	print_message("%zu period samples\n", r.timeline->nperiods);
	assert_true(r.timeline->nperiods >= 9 && r.timeline->nperiods <= 10);
	for (i = 0; i < r.timeline->nperiods; i++) {
		const struct period_sample *s = &r.timeline->periods[i];

		print_message("  %7.3f..%7.3f ms used %6.3f ms throttled "
			      "%6.3f ms %d\n",
			      s->start_ns / 1e6, s->end_ns / 1e6,
			      s->used_ns / 1e6, s->throttled_ns / 1e6,
			      s->throttled);
		assert_int_equal(s->group, g);
		assert_int_equal(s->quota_ns, 30 * MS);
		assert_true(s->used_ns >= 26 * MS && s->used_ns <= 34 * MS);
		assert_int_equal(s->throttled, 1);
		assert_true(s->end_ns <= sc.duration_ns);
		/* a period long, up to the cut at the end */
		if (i + 1 < r.timeline->nperiods)
			assert_true(s->end_ns - s->start_ns >= 95 * MS &&
				    s->end_ns - s->start_ns <= 105 * MS);
	}
	assert_int_equal(r.timeline->nvruntimes, 0);
	results_destroy(&r);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgpoll_hog_period_per_boundary),
		cmocka_unit_test(test_cgpoll_fill_shifts_and_cuts),
		cmocka_unit_test(test_cgpoll_real_hog_30_of_100_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
