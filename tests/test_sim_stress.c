/* The engine on larger scenarios than the examples: many periodic tasks and
 * hogs in nested groups with quotas on 8 CPUs, EEVDF with delayed dequeue,
 * over several seeds.  Checks invariants that hold by construction: every
 * run completes, the CPU time of a group's tasks is the group's usage, and
 * no more CPU time is used than the CPUs have. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "model/results.h"
#include "sim/sim.h"

#define US NSEC_PER_USEC
#define MS NSEC_PER_MSEC

static void add_periodic(struct scenario *sc, size_t group, const char *name,
			 unsigned count, int nice, uint64_t run_min)
{
	size_t t = scenario_add_task(sc, group, name);

	sc->tasks[t].count = count;
	sc->tasks[t].nice = nice;
	sc->tasks[t].wl.kind = WL_PERIODIC;
	sc->tasks[t].wl.run.min_ns = run_min;
	sc->tasks[t].wl.run.max_ns = 4 * run_min;
	sc->tasks[t].wl.period_ns = 10 * MS;
}

/* a (no limit) with a/b (150 ms per 100 ms), c (20 ms per 10 ms) with c/d;
 * 30 periodic threads per task entry and a few hogs below the limits */
static void build(struct scenario *sc, uint64_t seed, const char *kernel)
{
	size_t a, b, c, d, t;

	scenario_init(sc, "stress");
	sc->cpus = 8;
	sc->seed = seed;
	sc->duration_ns = 1000 * MS;
	snprintf(sc->kernel.version, sizeof(sc->kernel.version), "%s", kernel);
	a = scenario_add_group(sc, -1, "a");
	b = scenario_add_group(sc, (long)a, "b");
	sc->groups[b].has_quota = true;
	sc->groups[b].quota_ns = 150 * MS;
	c = scenario_add_group(sc, -1, "c");
	sc->groups[c].has_quota = true;
	sc->groups[c].quota_ns = 20 * MS;
	sc->groups[c].period_ns = 10 * MS;
	d = scenario_add_group(sc, (long)c, "d");
	add_periodic(sc, a, "a1", 30, -2, 20 * US);
	add_periodic(sc, b, "b1", 30, -1, 40 * US);
	add_periodic(sc, c, "c1", 30, 0, 60 * US);
	add_periodic(sc, d, "d1", 30, 1, 80 * US);
	add_periodic(sc, a, "a2", 30, 2, 100 * US);
	add_periodic(sc, b, "b2", 30, -2, 120 * US);
	add_periodic(sc, c, "c2", 30, -1, 140 * US);
	add_periodic(sc, d, "d2", 30, 0, 160 * US);
	t = scenario_add_task(sc, b, "hog");
	sc->tasks[t].count = 6;
	t = scenario_add_task(sc, d, "hog");
	sc->tasks[t].count = 3;
}

/* Sum of the runtimes of the threads whose group path is path or below. */
static uint64_t task_time_below(const struct results *r, const char *path)
{
	size_t len = strlen(path), i;
	uint64_t sum = 0;

	for (i = 0; i < r->ntasks; i++) {
		const char *g = r->tasks[i].group;

		if (strncmp(g, path, len) == 0 &&
		    (g[len] == '\0' || g[len] == '/'))
			sum += r->tasks[i].runtime_ns;
	}
	return sum;
}

static void check_seeds(const char *kernel)
{
	uint64_t seed;

	for (seed = 1; seed <= 8; seed++) {
		struct scenario sc;
		struct results r;
		struct err err;
		size_t g;
		uint64_t top = 0;

		err_init(&err);
		build(&sc, seed, kernel);
		assert_int_equal(sim_run(&sc, NULL, &r, &err), 0);
		assert_int_equal(r.ntasks, 8 * 30 + 6 + 3);
		for (g = 0; g < r.ngroups; g++)
			assert_int_equal(task_time_below(&r, r.groups[g].path),
					 r.groups[g].usage_ns);
		for (g = 0; g < sc.ngroups; g++)
			if (sc.groups[g].parent < 0)
				top += r.groups[g].usage_ns;
		assert_true(top <= (uint64_t)sc.cpus * sc.duration_ns);
		results_destroy(&r);
		scenario_destroy(&sc);
	}
}

/* 6.18: EEVDF with delayed dequeue, where a pick that met a delayed entity
 * below a group entity it had already set once lost or re-set that entity
 * (an rbtree assertion, or task runtimes above the groups' usage) */
static void test_stress_eevdf_nested_quotas(void **state)
{
	(void)state;
	check_seeds("6.18");
}

static void test_stress_cfs_nested_quotas(void **state)
{
	(void)state;
	check_seeds("6.5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_eevdf_nested_quotas),
		cmocka_unit_test(test_stress_cfs_nested_quotas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
