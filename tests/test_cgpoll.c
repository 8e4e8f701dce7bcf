/* The cpu.stat sampler of real runs: period samples from hand-made counter
 * sequences (a hog under 30 ms / 100 ms polled every 5 ms), and, on the
 * real kernel (root, a cgroup CPU controller; skipped otherwise unless
 * CFSSIM_REQUIRE_REAL=1), the periods of a lone capped hog. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/cgpoll.h"
#include "backend/run.h"
#include "tests/real_skip.h"
#include "model/model.h"
#include "model/results.h"

#define MS NSEC_PER_MSEC
#define US NSEC_PER_USEC

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

static void put(const char *dir, const char *file, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A fake tree: group 0 "free" without quota, group 1 "capped" with one. */
static void fake_tree(struct cg_tree *t, struct scenario *sc, char *base,
		      int version)
{
	static char free_rel[] = "free", capped_rel[] = "capped";
	char dir[512];

	assert_non_null(mkdtemp(base));
	scenario_init(sc, "fake");
	scenario_add_group(sc, -1, "free");
	scenario_add_group(sc, -1, "capped");
	sc->groups[1].has_quota = true;
	sc->groups[1].quota_ns = 20 * MS;
	sc->groups[1].period_ns = 10 * MS;
	memset(t, 0, sizeof(*t));
	t->version = version;
	t->groups = calloc(2, sizeof(*t->groups));
	t->ngroups = 2;
	t->groups[0].rel = free_rel;
	t->groups[1].rel = capped_rel;
	snprintf(t->base[version == 2 ? CG_UNIFIED : CG_CPU],
		 sizeof(t->base[0]), "%s", base);
	snprintf(dir, sizeof(dir), "%s/capped", base);
	assert_int_equal(mkdir(dir, 0755), 0);
}

static void drop_tree(struct cg_tree *t, struct scenario *sc, const char *base)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
	free(t->groups);
	scenario_destroy(sc);
}

static void test_cgpoll_reads_v2_cpu_stat(void **state)
{
	char base[] = "/tmp/cfssim-test-cgpoll-XXXXXX", dir[600], want[700];
	struct cgpoll_point pt;
	struct scenario sc;
	struct cg_tree t;
	struct cgpoll p;
	struct err err;

	(void)state;
	fake_tree(&t, &sc, base, 2);
	snprintf(dir, sizeof(dir), "%s/capped", base);
	put(dir, "cpu.stat",
	    "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n"
	    "nr_periods 7\nnr_throttled 3\nthrottled_usec 250\n"
	    "nr_bursts 0\nburst_usec 0\n");
	cgpoll_init(&p);
	assert_int_equal(cgpoll_open(&p, &t, &sc, &err), 0);
	/* only the group with a quota, polled every 10 ms / 4 */
	assert_int_equal(p.ngroups, 1);
	assert_int_equal(p.groups[0].group, 1);
	assert_int_equal(p.interval_ns, 2500 * 1000);
	assert_int_equal(cgpoll_read(&p, 0, &pt, &err), 0);
	assert_int_equal(pt.usage_ns, 1500 * 1000);
	assert_int_equal(pt.nr_periods, 7);
	assert_int_equal(pt.nr_throttled, 3);
	assert_int_equal(pt.throttled_ns, 250 * 1000);
	/* read again from offset 0 after the file changed */
	put(dir, "cpu.stat",
	    "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n"
	    "nr_periods 8\nnr_throttled 3\nthrottled_usec 250\n");
	assert_int_equal(cgpoll_read(&p, 0, &pt, &err), 0);
	assert_int_equal(pt.nr_periods, 8);
	assert_int_equal(pt.usage_ns, 2500 * 1000);
	/* a counter that cannot be read */
	close(p.groups[0].stat_fd);
	p.groups[0].stat_fd = open(dir, O_RDONLY | O_CLOEXEC);
	assert_true(p.groups[0].stat_fd >= 0);
	assert_int_equal(cgpoll_read(&p, 0, &pt, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot read '%s/cpu.stat': Is a directory", dir);
	assert_string_equal(err.msg, want);
	cgpoll_destroy(&p);
	drop_tree(&t, &sc, base);
}

static void test_cgpoll_reads_v1_cpu_stat_and_cpuacct(void **state)
{
	char base[] = "/tmp/cfssim-test-cgpoll-XXXXXX", dir[600];
	struct cgpoll_point pt;
	struct scenario sc;
	struct cg_tree t;
	struct cgpoll p;
	struct err err;

	(void)state;
	fake_tree(&t, &sc, base, 1);
	snprintf(dir, sizeof(dir), "%s/capped", base);
	put(dir, "cpu.stat",
	    "nr_periods 4\nnr_throttled 2\nthrottled_time 123456789\n");
	put(dir, "cpuacct.usage", "987654321\n");
	cgpoll_init(&p);
	assert_int_equal(cgpoll_open(&p, &t, &sc, &err), 0);
	assert_int_equal(cgpoll_read(&p, 0, &pt, &err), 0);
	assert_int_equal(pt.usage_ns, 987654321);
	assert_int_equal(pt.nr_periods, 4);
	assert_int_equal(pt.nr_throttled, 2);
	assert_int_equal(pt.throttled_ns, 123456789);
	cgpoll_destroy(&p);
	/* a missing counter file */
	snprintf(dir, sizeof(dir), "%s/capped/cpuacct.usage", base);
	unlink(dir);
	cgpoll_init(&p);
	assert_int_equal(cgpoll_open(&p, &t, &sc, &err), -1);
	snprintf(dir, sizeof(dir),
		 "cannot open '%s/capped/cpuacct.usage': No such file or "
		 "directory",
		 base);
	assert_string_equal(err.msg, dir);
	cgpoll_destroy(&p);
	drop_tree(&t, &sc, base);
}

static void test_cgpoll_real_hog_30_of_100_ms(void **state)
{
	struct real_options opt;
	struct scenario sc;
	struct results r;
	struct err err;
	uint64_t used = 0;
	size_t g, i;

	(void)state;
	scenario_init(&sc, "sampled-hog");
	sc.duration_ns = 1 * NSEC_PER_SEC;
	g = scenario_add_group(&sc, -1, "capped");
	scenario_add_task(&sc, g, "hog");
	sc.groups[g].has_quota = true;
	sc.groups[g].quota_ns = 30 * MS;
	if (!real_can_run(&sc))
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
		/* the kernel charges runtime at ticks (HZ=250: 4 ms), so a
		 * period overruns its quota by up to a tick plus the
		 * resched latency and the next one pays it back; the first
		 * may also spend what the group's queue kept from before
		 * the start (up to min_cfs_rq_runtime, 1 ms).  Measured
		 * here: 27.4 to 34.1 ms, 34.8 ms in a first period */
		assert_true(s->used_ns >= 25500 * US &&
			    s->used_ns <= (i ? 34500 : 35500) * US);
		used += s->used_ns;
		assert_int_equal(s->throttled, 1);
		assert_true(s->end_ns <= sc.duration_ns);
		/* a period long, up to the cut at the end: each boundary
		 * within half the sampling bracket it fell in (the interval,
		 * at most 5 ms, plus the real-time sampler's own lateness,
		 * which stays under another interval) */
		assert_true(s->start_err_ns <= 5 * MS &&
			    s->end_err_ns <= 5 * MS);
		if (i + 1 < r.timeline->nperiods)
			assert_true(s->end_ns - s->start_ns + s->start_err_ns +
						    s->end_err_ns >=
					    100 * MS &&
				    s->end_ns - s->start_ns <=
					    100 * MS + s->start_err_ns +
						    s->end_err_ns);
	}
	/* what one period overran, the next paid back */
	used /= r.timeline->nperiods;
	print_message("mean used %.3f ms\n", used / 1e6);
	assert_true(used >= 29 * MS && used <= 31500 * US);
	assert_int_equal(r.timeline->nvruntimes, 0);
	results_destroy(&r);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgpoll_hog_period_per_boundary),
		cmocka_unit_test(test_cgpoll_fill_shifts_and_cuts),
		cmocka_unit_test(test_cgpoll_reads_v2_cpu_stat),
		cmocka_unit_test(test_cgpoll_reads_v1_cpu_stat_and_cpuacct),
		cmocka_unit_test(test_cgpoll_real_hog_30_of_100_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
