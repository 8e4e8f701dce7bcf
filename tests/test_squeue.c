/* EEVDF's small queues as sorted arrays (sim/squeue.h): the array on its
 * own, with orders and minima worked out by hand, and the simulation with
 * arrays against the same simulation with every queue in a tree
 * (sim_options.tree_queues), which must agree in every figure: the
 * example scenarios under the EEVDF kernels, and larger ones with queues
 * of up to 100 entities. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/results.h"
#include "output/report.h"
#include "scenarios/loader.h"
#include "sim/sim.h"
#include "sim/squeue.h"

#define EXAMPLES "scenarios/examples"
#define MS	 NSEC_PER_MSEC
#define US	 NSEC_PER_USEC

/* stand-ins for entities: only their addresses are kept */
static struct sched_entity *ent(unsigned i)
{
	static char pool[64];

	return (struct sched_entity *)(void *)&pool[i];
}

struct q {
	struct squeue q;
	struct sq_budget b;
};

static void q_init(struct q *t, unsigned cap)
{
	sq_init(&t->q, cap);
	t->b.used = t->b.peak = 0;
	t->b.limit = UINT64_MAX;
}

/* an insertion as EEVDF does it: the storage grown first if need be */
static void q_insert(struct q *t, uint64_t key, uint64_t v, unsigned id)
{
	if (!sq_room(&t->q))
		assert_true(sq_grow(&t->q, &t->b));
	sq_insert(&t->q, key, v, ent(id));
}

static void q_done(struct q *t)
{
	sq_release(&t->q, &t->b);
	assert_int_equal(t->b.used, 0);
}

static void assert_order(const struct squeue *q, const unsigned *want,
			 unsigned n)
{
	unsigned i;

	assert_int_equal(q->n, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(q->e[i].se, ent(want[i]));
}

/* Deadlines 30, 10, 20, 10, 30, 5 in that order: ascending, the two 10s
 * and the two 30s in the order they came (as the tree puts equal keys to
 * the right), 5 first. */
static void test_insert_keeps_deadline_then_arrival_order(void **state)
{
	static const uint64_t dl[] = {30, 10, 20, 10, 30, 5};
	static const unsigned want[] = {5, 1, 3, 2, 0, 4};
	struct q t;
	unsigned i;

	(void)state;
	q_init(&t, 16);
	for (i = 0; i < 6; i++)
		q_insert(&t, dl[i], 100 + i, i);
	assert_order(&t.q, want, 6);
	assert_int_equal(t.q.min_v, 100);
	for (i = 1; i < 6; i++)
		assert_true(t.q.e[i - 1].key <= t.q.e[i].key);
	q_done(&t);
}

/* Deadlines wrap like the kernel's: 2^64 - 10 comes before 5 (they are 15
 * apart), and so does a vruntime of 2^64 - 1 before 3 for the minimum. */
static void test_wrapping_deadlines_and_vruntimes(void **state)
{
	struct q t;
	static const unsigned want[] = {1, 2, 0};

	(void)state;
	q_init(&t, 4);
	q_insert(&t, 5, 3, 0);
	q_insert(&t, UINT64_MAX - 9, UINT64_MAX, 1);
	q_insert(&t, 0, 7, 2);
	assert_order(&t.q, want, 3);
	assert_int_equal(t.q.min_v, UINT64_MAX);
	/* the least vruntime leaves: the next least is 3 */
	sq_erase_at(&t.q, sq_find(&t.q, UINT64_MAX - 9, ent(1)));
	assert_int_equal(t.q.min_v, 3);
	q_done(&t);
}

/* An entity is found under the deadline it was queued with, at the hint a
 * pick leaves, or by itself when the key given is not its own. */
static void test_find_by_key_hint_and_entity(void **state)
{
	struct q t;
	unsigned i;

	(void)state;
	q_init(&t, 16);
	for (i = 0; i < 10; i++) /* deadlines 0, 0, 10, 10, ... 40, 40 */
		q_insert(&t, (i / 2) * 10, i, i);
	t.q.hint = 9;
	for (i = 0; i < 10; i++)
		assert_int_equal(sq_find(&t.q, (i / 2) * 10, ent(i)), i);
	t.q.hint = 7;
	assert_int_equal(sq_find(&t.q, 999, ent(7)), 7);
	t.q.hint = 0;
	assert_int_equal(sq_find(&t.q, 999, ent(6)), 6);
	assert_int_equal(sq_find(&t.q, 10, ent(3)), 3);
	q_done(&t);
}

/* Where a deadline goes, in queues of 10 and 40 entities with deadlines
 * 0, 10, 20, ...: after the floor(k / 10) + 1 deadlines at or before k
 * (all of them past the last), whether the place is among the first 16
 * (counted) or after them (searched). */
static void test_place_of_a_deadline(void **state)
{
	static const unsigned sizes[] = {10, 40};
	unsigned s, i, k, want;
	struct q t;

	(void)state;
	for (s = 0; s < 2; s++) {
		q_init(&t, 64);
		for (i = 0; i < sizes[s]; i++)
			q_insert(&t, i * 10, i, i);
		for (k = 0; k <= 10 * sizes[s] + 5; k++) {
			want = k / 10 + 1;
			if (want > sizes[s])
				want = sizes[s];
			assert_int_equal(sq_upper_bound(&t.q, k), want);
		}
		q_done(&t);
	}
}

/* A queue used as the hogs use it, taking from the front and adding at the
 * back, drifts through its storage and is moved back to the middle; after
 * 1000 rounds it still holds 0..cap-1 more than the count taken, in order,
 * and the least vruntime is the front's. */
static void test_drifting_window_keeps_order(void **state)
{
	struct q t;
	unsigned i, k;

	(void)state;
	q_init(&t, 16);
	for (i = 0; i < 15; i++)
		q_insert(&t, i, i, i % 64);
	for (k = 0; k < 1000; k++) {
		assert_ptr_equal(sq_first(&t.q), ent(k % 64));
		sq_erase_at(&t.q, 0);
		q_insert(&t, 15 + k, 15 + k, (15 + k) % 64);
		assert_int_equal(t.q.min_v, k + 1);
	}
	for (i = 0; i < 15; i++)
		assert_int_equal(t.q.e[i].key, 1000 + i);
	/* and from the back, adding at the front */
	for (k = 0; k < 1000; k++) {
		sq_erase_at(&t.q, t.q.n - 1);
		q_insert(&t, 999 - k, 999 - k, k % 64);
	}
	for (i = 0; i < 15; i++)
		assert_int_equal(t.q.e[i].key, i);
	assert_int_equal(t.q.min_v, 0);
	q_done(&t);
}

/* Erasing in the middle moves the nearer side; updating in place keeps the
 * minimum right whether the vruntime falls or the least one rises. */
static void test_erase_middle_and_update_in_place(void **state)
{
	static const unsigned after_erase[] = {0, 1, 3, 4, 5, 6};
	struct q t;
	unsigned i;

	(void)state;
	q_init(&t, 8);
	for (i = 0; i < 7; i++)
		q_insert(&t, 10 * i, 50 + i, i);
	sq_erase_at(&t.q, 2);
	assert_order(&t.q, after_erase, 6);
	assert_int_equal(t.q.min_v, 50);
	sq_update_at(&t.q, 3, 35, 40); /* entity 4: vruntime 54 -> 40 */
	assert_int_equal(t.q.min_v, 40);
	sq_update_at(&t.q, 3, 35, 90); /* and back up: 50 again */
	assert_int_equal(t.q.min_v, 50);
	sq_update_at(&t.q, 0, 0, 60); /* entity 0, the least, rises */
	assert_int_equal(t.q.min_v, 51);
	q_done(&t);
}

/* Deadlines 10, 20, 30 with vruntimes 1, 2, 3 rise together: no fall,
 * and when the first (the least vruntime) leaves, the least is the new
 * first's, 2.  Deadline 25 with vruntime 0 between 20 (2) and 30 (3): one
 * fall (2 -> 0), least 0; it leaves, and the least is the first's again. */
static void test_rising_vruntimes_need_no_scan(void **state)
{
	struct q t;

	(void)state;
	q_init(&t, 8);
	q_insert(&t, 10, 1, 0);
	q_insert(&t, 20, 2, 1);
	q_insert(&t, 30, 3, 2);
	assert_int_equal(t.q.falls, 0);
	sq_erase_at(&t.q, 0);
	assert_int_equal(t.q.min_v, 2);
	q_insert(&t, 25, 0, 3);
	assert_int_equal(t.q.falls, 1);
	assert_int_equal(t.q.min_v, 0);
	sq_erase_at(&t.q, 1);
	assert_int_equal(t.q.falls, 0);
	assert_int_equal(t.q.min_v, 2);
	q_done(&t);
}

/* Insertions, erasures and updates in place at random, in a queue of up
 * to 128: after each, the falls counted and the least vruntime are what
 * a walk over the entities finds. */
static void test_falls_and_least_follow_every_change(void **state)
{
	uint64_t x = 88172645463325252ULL;
	unsigned step, i, falls;
	uint64_t m;
	struct q t;

	(void)state;
	q_init(&t, 128);
	for (step = 0; step < 50000; step++) {
		unsigned r, n = t.q.n;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = (unsigned)(x >> 33);
		if (n < 128 && (n < 2 || r % 3 == 0)) {
			/* vruntimes that mostly rise with the deadlines */
			uint64_t key = x % 1000, v = r % 8 ? key / 2 : x % 500;

			q_insert(&t, key, v, step % 64);
		} else if (r % 3 == 1) {
			sq_erase_at(&t.q, r % n);
		} else {
			/* a new vruntime, the deadline kept */
			i = r % n;
			sq_update_at(&t.q, i, t.q.e[i].key, x % 600);
		}
		falls = 0;
		m = t.q.n ? t.q.e[0].v : 0;
		for (i = 1; i < t.q.n; i++) {
			falls += t.q.e[i].v < t.q.e[i - 1].v;
			if (t.q.e[i].v < m)
				m = t.q.e[i].v;
		}
		assert_int_equal(t.q.falls, falls);
		if (t.q.n)
			assert_int_equal(t.q.min_v, m);
	}
	q_done(&t);
}

/* The storage starts at 8 slots and doubles when the window would pass
 * half of it: 4 entities fit in 8 slots, the 5th needs 16, the 9th 32,
 * and a queue for 12 stops at 24; each growth is charged to the budget,
 * and one the budget cannot pay for changes nothing. */
static void test_storage_grows_within_budget(void **state)
{
	struct q t;
	unsigned i;

	(void)state;
	q_init(&t, 12);
	assert_int_equal(t.q.size, 0);
	assert_false(sq_room(&t.q));
	for (i = 0; i < 12; i++) {
		q_insert(&t, 100 - i, i, i);
		assert_int_equal(t.q.size, i < 4 ? 8 : i < 8 ? 16 : 24);
		assert_int_equal(t.b.used, t.q.size * sizeof(struct sq_ent));
	}
	for (i = 0; i < 12; i++) /* deadlines 89..100: the last first */
		assert_ptr_equal(t.q.e[i].se, ent(11 - i));
	q_done(&t);
	assert_int_equal(t.b.peak, 24 * sizeof(struct sq_ent));

	q_init(&t, 12);
	t.b.limit = 16 * sizeof(struct sq_ent); /* room for 16 slots */
	for (i = 0; i < 8; i++)
		q_insert(&t, i, i, i);
	assert_int_equal(t.q.size, 16);
	assert_false(sq_room(&t.q));
	assert_false(sq_grow(&t.q, &t.b));
	assert_int_equal(t.q.size, 16);
	assert_int_equal(t.q.n, 8);
	assert_int_equal(t.b.used, 16 * sizeof(struct sq_ent));
	for (i = 0; i < 8; i++)
		assert_ptr_equal(t.q.e[i].se, ent(i));
	q_done(&t);
}

/* ---- the simulation: arrays against trees ---- */

static char *json_of(struct results *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	r->wall_ns = 0;
	report_json(f, r, 0);
	fclose(f);
	return buf;
}

static void assert_same_timeline(const struct timeline *a,
				 const struct timeline *b)
{
	size_t i;

	assert_int_equal(a->nperiods, b->nperiods);
	assert_int_equal(a->nslices, b->nslices);
	assert_int_equal(a->nrequests, b->nrequests);
	assert_int_equal(a->nvruntimes, b->nvruntimes);
	for (i = 0; i < a->nvruntimes; i++) {
		const struct vruntime_sample *x = &a->vruntimes[i];
		const struct vruntime_sample *y = &b->vruntimes[i];

		assert_int_equal(x->task, y->task);
		assert_int_equal(x->cpu, y->cpu);
		assert_int_equal(x->time_ns, y->time_ns);
		assert_int_equal(x->vruntime_ns, y->vruntime_ns);
		assert_int_equal(x->top_group, y->top_group);
		assert_int_equal(x->top_lag_ns, y->top_lag_ns);
	}
	for (i = 0; i < a->nslices; i++) {
		assert_int_equal(a->slices[i].task, b->slices[i].task);
		assert_int_equal(a->slices[i].cpu, b->slices[i].cpu);
		assert_int_equal(a->slices[i].start_ns, b->slices[i].start_ns);
		assert_int_equal(a->slices[i].end_ns, b->slices[i].end_ns);
	}
}

/* Runs sc with arrays and with trees; returns how many switches it had
 * and, in *arrays_used, how many queues were arrays. */
static uint64_t assert_arrays_match_trees_within(const struct scenario *sc,
						 uint64_t budget,
						 size_t *arrays_used)
{
	struct sim_options arrays = {
		.timeline = true, .latency = true, .array_bytes = budget};
	struct sim_options trees = arrays;
	struct results ra, rt;
	struct err err;
	char *ja, *jt;
	uint64_t switches = 0, limit;
	size_t i;

	trees.tree_queues = true;
	err_init(&err);
	/* an example that needs a later kernel fails both ways */
	*arrays_used = 0;
	if (sim_run(sc, &arrays, &ra, &err)) {
		assert_int_not_equal(sim_run(sc, &trees, &rt, &err), 0);
		return 0;
	}
	assert_int_equal(sim_run(sc, &trees, &rt, &err), 0);
	assert_int_equal(rt.nr_array_queues, 0);
	assert_int_equal(rt.array_bytes, 0);
	*arrays_used = ra.nr_array_queues;
	/* the arrays stayed within their budget, and took memory only if
	 * some queue was one */
	limit = budget ? budget :
			 (uint64_t)SIM_ARRAY_BYTES_PER_THREAD * ra.ntasks;
	if (!budget && limit < SIM_ARRAY_BYTES_MIN)
		limit = SIM_ARRAY_BYTES_MIN;
	assert_true(ra.array_bytes <= limit);
	if (!ra.nr_array_queues && !budget)
		assert_int_equal(ra.array_bytes, 0);
	assert_non_null(ra.timeline);
	assert_same_timeline(ra.timeline, rt.timeline);
	ja = json_of(&ra);
	jt = json_of(&rt);
	assert_string_equal(ja, jt);
	for (i = 0; i < ra.ntasks; i++)
		switches += ra.tasks[i].nr_switches;
	free(ja);
	free(jt);
	results_destroy(&ra);
	results_destroy(&rt);
	return switches;
}

static uint64_t assert_arrays_match_trees(const struct scenario *sc,
					  size_t *arrays_used)
{
	return assert_arrays_match_trees_within(sc, 0, arrays_used);
}

/* Every example under each EEVDF kernel generation, with two seeds. */
static void test_examples_arrays_match_trees(void **state)
{
	static const char *const kernels[] = {"6.6", "6.12", "6.18"};
	DIR *d = opendir(EXAMPLES);
	struct dirent *de;
	unsigned nfiles = 0, nrun = 0;
	size_t used;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), k;
		char path[512];

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), EXAMPLES "/%s", de->d_name);
		for (k = 0; k < 6; k++) {
			struct scenario sc;
			struct err err;

			err_init(&err);
			if (scenario_load_file(path, &sc, &err))
				fail_msg("%s: %s", path, err.msg);
			snprintf(sc.kernel.version, sizeof(sc.kernel.version),
				 "%s", kernels[k / 2]);
			sc.kernel.policy = POLICY_EEVDF;
			sc.seed += k % 2;
			assert_arrays_match_trees(&sc, &used);
			/* one root queue per CPU at least, when it ran */
			if (used)
				assert_true(used >= sc.cpus);
			nrun += used > 0;
			scenario_destroy(&sc);
		}
		nfiles++;
	}
	closedir(d);
	assert_true(nfiles >= 20);
	assert_true(nrun >= 6 * 20);
}

/* groups top-level groups with shares 512..4096, quotas on some, periodic
 * or hog threads, more demand than the CPUs: root queues of up to 100
 * group entities, group queues of up to 100 threads */
static void build_hier(struct scenario *sc, unsigned groups, unsigned threads,
		       bool hog, bool quota)
{
	unsigned g;

	scenario_init(sc, "hier");
	sc->cpus = 4;
	sc->seed = 7;
	/* hogs switch about once a tick: 4 s of them switch as often as
	 * 300 ms of periodic threads */
	sc->duration_ns = hog ? 4000 * MS : 300 * MS;
	for (g = 0; g < groups; g++) {
		char name[16];
		size_t gi, t;

		snprintf(name, sizeof(name), "g%u", g);
		gi = scenario_add_group(sc, -1, name);
		sc->groups[gi].shares = 512u << (g % 4);
		if (quota && g % 10 < 4) {
			sc->groups[gi].has_quota = true;
			sc->groups[gi].quota_ns = 5 * MS;
		}
		snprintf(name, sizeof(name), "t%u", g);
		t = scenario_add_task(sc, gi, name);
		sc->tasks[t].count = threads / groups;
		sc->tasks[t].nice = (int)(g % 3) - 1;
		if (hog) {
			sc->tasks[t].wl.kind = WL_HOG;
		} else {
			sc->tasks[t].wl.kind = WL_PERIODIC;
			sc->tasks[t].wl.run.min_ns = 20 * US;
			sc->tasks[t].wl.run.max_ns = 80 * US;
			/* 50 us of demand per thread per period: 150% */
			sc->tasks[t].wl.period_ns = (uint64_t)threads * 50 *
						    US / (3 * sc->cpus / 2);
			sc->tasks[t].wl.start_ns = g * 37 * US;
		}
	}
}

static void test_hierarchies_arrays_match_trees(void **state)
{
	static const struct {
		unsigned groups, threads;
		bool hog, quota;
		size_t arrays; /* root queues and group queues, 4 CPUs */
	} cells[] = {
		/* roots hold 10 or 100 group entities, groups 100 threads */
		{10, 1000, false, false, 4 + 10 * 4},
		{10, 1000, false, true, 4 + 10 * 4},
		{100, 1000, false, false, 4 + 100 * 4},
		{100, 1000, true, true, 4 + 100 * 4},
		{100, 10000, false, true, 4 + 100 * 4},
		{10, 1000, true, false, 4 + 10 * 4},
		/* groups of 1000 threads: 250 a CPU, 150% demand, more than
		 * 128 queue at once and their queues become trees */
		{10, 10000, false, false, 4},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		struct scenario sc;
		size_t used;

		build_hier(&sc, cells[i].groups, cells[i].threads, cells[i].hog,
			   cells[i].quota);
		/* enough switches that the queues fill and empty */
		/* enough switches that the queues fill and empty (4 000 to
		 * 27 000) */
		assert_true(assert_arrays_match_trees(&sc, &used) > 3000);
		assert_int_equal(used, cells[i].arrays);
		scenario_destroy(&sc);
	}
}

/* With a budget of 16 KiB, 100 groups of 10 threads on 4 CPUs: the 4
 * root queues need 256 slots (6 KiB) each when 100 group entities queue
 * there, more than the budget leaves, and become trees as they fill; the
 * group queues (at most 20 slots, 480 bytes, each) stay arrays as long as
 * the budget lasts.  The results are the trees' all the same. */
static void test_budget_turns_queues_into_trees(void **state)
{
	struct scenario sc;
	size_t used;

	(void)state;
	build_hier(&sc, 100, 1000, false, false);
	assert_true(assert_arrays_match_trees_within(&sc, 16384, &used) > 3000);
	/* fewer than the 404 the default budget keeps */
	assert_true(used < 400);
	assert_true(used > 0);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_keeps_deadline_then_arrival_order),
		cmocka_unit_test(test_wrapping_deadlines_and_vruntimes),
		cmocka_unit_test(test_find_by_key_hint_and_entity),
		cmocka_unit_test(test_place_of_a_deadline),
		cmocka_unit_test(test_drifting_window_keeps_order),
		cmocka_unit_test(test_erase_middle_and_update_in_place),
		cmocka_unit_test(test_rising_vruntimes_need_no_scan),
		cmocka_unit_test(test_falls_and_least_follow_every_change),
		cmocka_unit_test(test_storage_grows_within_budget),
		cmocka_unit_test(test_examples_arrays_match_trees),
		cmocka_unit_test(test_hierarchies_arrays_match_trees),
		cmocka_unit_test(test_budget_turns_queues_into_trees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
