/* The EEVDF policy on hand-built queues (docs/kernel-rules.md §3): the eligible
 * entity with the earliest virtual deadline is picked, lag survives a sleep
 * or a move, new tasks get half a slice. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "sim/fair.h"
#include "sim/policy.h"
#include "sim/sched.h"

#define MS NSEC_PER_MSEC

struct fixture {
	struct sim s;
	struct rq rq;
	struct cfs_rq cfs_rq;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->s.policy = &policy_eevdf;
	f->s.base_slice = 1400 * NSEC_PER_USEC; /* 2 CPUs */
	f->s.tick_ns = 4 * MS;
	f->cfs_rq.tasks_timeline = RB_ROOT_CACHED;
	f->cfs_rq.rq = &f->rq;
	f->rq.cfs = &f->cfs_rq;
}

/* Queues se with the given vruntime and deadline (ns) and nice 0. */
static void queue(struct fixture *f, struct sched_entity *se, int64_t v,
		  int64_t d, int nice)
{
	memset(se, 0, sizeof(*se));
	weight_lw_set_nice(&se->load, nice);
	se->vruntime = (uint64_t)v;
	se->deadline = (uint64_t)d;
	se->on_rq = true;
	se->cfs_rq = &f->cfs_rq;
	policy_eevdf.enqueue_tree(&f->s, &f->cfs_rq, se);
	f->cfs_rq.nr_running++;
}

static void test_eevdf_picks_earliest_eligible_deadline(void **state)
{
	struct fixture f;
	struct sched_entity a, b, c;

	(void)state;
	fixture_init(&f);
	/* V = (0 + 10 + 2) / 3 = 4 ms: a and c are eligible, b is not even
	 * though its deadline is the earliest */
	queue(&f, &a, 0, 10 * MS, 0);
	queue(&f, &b, 10 * MS, 5 * MS, 0);
	queue(&f, &c, 2 * MS, 8 * MS, 0);
	assert_ptr_equal(policy_eevdf.pick(&f.s, &f.cfs_rq, NULL), &c);
}

static void test_eevdf_picks_leftmost_when_eligible(void **state)
{
	struct fixture f;
	struct sched_entity a, b;

	(void)state;
	fixture_init(&f);
	queue(&f, &a, 0, 3 * MS, 0); /* V = 0.5 ms */
	queue(&f, &b, 1 * MS, 5 * MS, 0);
	assert_ptr_equal(policy_eevdf.pick(&f.s, &f.cfs_rq, NULL), &a);
}

static void test_eevdf_weights_move_the_average(void **state)
{
	struct fixture f;
	struct sched_entity a, b;

	(void)state;
	fixture_init(&f);
	/* nice -5 (3121) at 0 and nice 0 (1024) at 4 ms:
	 * V = 4 * 1024 / 4145 = 0.988 ms, so only a is eligible */
	queue(&f, &a, 0, 9 * MS, -5);
	queue(&f, &b, 4 * MS, 5 * MS, 0);
	assert_ptr_equal(policy_eevdf.pick(&f.s, &f.cfs_rq, NULL), &a);
}

__extension__ typedef __int128 i128;

/* Eligible by the definition, in 128-bit arithmetic. */
static bool eligible_by_hand(struct sched_entity *es, size_t n, size_t i)
{
	i128 sum = 0, load = 0;
	size_t j;

	for (j = 0; j < n; j++) {
		int64_t w = (int64_t)scale_load_down(es[j].load.weight);

		sum += (i128)(int64_t)es[j].vruntime * w;
		load += w;
	}
	return sum >= (i128)(int64_t)es[i].vruntime * load;
}

/* The pick against the definition, on random queues of up to n entities,
 * kept in the tree or (array) in a sorted array (sim/squeue.h). */
static void search_matches_brute_force(size_t max, bool array)
{
	enum { ROUNDS = 200 };
	struct sched_entity *es = calloc(max, sizeof(*es));
	struct rng rng;
	int round;

	rng_seed(&rng, 7);
	for (round = 0; round < ROUNDS; round++) {
		struct fixture f;
		struct sched_entity *got, *want = NULL;
		size_t i, n = 2 + rng_range(&rng, 0, max - 2);

		fixture_init(&f);
		if (array) {
			f.cfs_rq.small = true;
			sq_init(&f.cfs_rq.sq, (unsigned)max);
			f.s.sq_budget.limit = UINT64_MAX;
		}
		for (i = 0; i < n; i++) {
			int64_t v = (int64_t)rng_range(&rng, 0, 20 * MS);
			/* distinct deadlines: the order is then unique */
			int64_t d =
				v +
				(int64_t)rng_range(&rng, 0, 10 * MS) * 1024 +
				(int64_t)i;

			queue(&f, &es[i], v, d,
			      (int)rng_range(&rng, 0, 39) - 20);
		}
		for (i = 0; i < n; i++)
			if (eligible_by_hand(es, n, i) &&
			    (!want || es[i].deadline < want->deadline))
				want = &es[i];
		got = policy_eevdf.pick(&f.s, &f.cfs_rq, NULL);
		assert_non_null(want);
		assert_ptr_equal(got, want);
		if (array) {
			assert_true(f.cfs_rq.small);
			sq_release(&f.cfs_rq.sq, &f.s.sq_budget);
		}
	}
	free(es);
}

static void test_eevdf_heap_search_matches_brute_force(void **state)
{
	(void)state;
	search_matches_brute_force(300, false);
}

static void test_eevdf_array_search_matches_brute_force(void **state)
{
	(void)state;
	search_matches_brute_force(SQ_MAX, true);
}

/* Smallest vruntime in the subtree at n, recomputed by walking it. */
static uint64_t subtree_min(const struct rb_node *n)
{
	const struct sched_entity *se =
		rb_entry(n, struct sched_entity, run_node);
	uint64_t m = se->vruntime, c;

	if (n->left && (c = subtree_min(n->left)) < m)
		m = c;
	if (n->right && (c = subtree_min(n->right)) < m)
		m = c;
	return m;
}

/* The queue holds exactly queued[0..n) ordered by (deadline, arrival),
 * its last node is cached, and every subtree minimum is right. */
static void check_timeline(const struct cfs_rq *q, const uint64_t *seq,
			   struct sched_entity *es, size_t n)
{
	const struct rb_node *node = rb_first_cached(&q->tasks_timeline);
	const struct sched_entity *prev = NULL;
	size_t count = 0;

	for (; node; node = rb_next(node)) {
		const struct sched_entity *se =
			rb_entry(node, struct sched_entity, run_node);

		assert_true(se->on_rq);
		if (prev) {
			assert_true(prev->deadline <= se->deadline);
			if (prev->deadline == se->deadline)
				assert_true(seq[prev - es] < seq[se - es]);
		}
		assert_int_equal(se->min_vruntime, subtree_min(node));
		prev = se;
		count++;
	}
	assert_int_equal(count, n);
	assert_ptr_equal(q->timeline_last, rb_last(&q->tasks_timeline.root));
}

/* Enqueues at the end (the shortcut past the last node), in the middle and
 * with deadlines equal to queued ones, and dequeues of the first, the last
 * and any entity keep the tree in (deadline, arrival) order. */
static void test_eevdf_tree_keeps_order_and_last(void **state)
{
	enum { N = 64, OPS = 4000 };
	struct sched_entity es[N];
	uint64_t seq[N], arrivals = 0;
	size_t nqueued = 0, i;
	struct fixture f;
	struct rng rng;
	int op;

	(void)state;
	memset(es, 0, sizeof(es));
	fixture_init(&f);
	rng_seed(&rng, 11);
	for (op = 0; op < OPS; op++) {
		struct rb_node *last = f.cfs_rq.timeline_last;
		struct sched_entity *se = &es[rng_range(&rng, 0, N - 1)];

		if (!se->on_rq) {
			uint64_t d = rng_range(&rng, 0, 40) * MS;

			/* a third of them after (or at) the last deadline */
			if (last && rng_range(&rng, 0, 2) == 0)
				d = rb_entry(last, struct sched_entity,
					     run_node)
					    ->deadline +
				    rng_range(&rng, 0, 1) * MS;
			se->vruntime = rng_range(&rng, 0, 20) * MS;
			se->deadline = d;
			weight_lw_set_nice(&se->load, 0);
			policy_eevdf.enqueue_tree(&f.s, &f.cfs_rq, se);
			se->on_rq = true;
			seq[se - es] = arrivals++;
			nqueued++;
		} else {
			/* half the time the first or the last instead */
			switch (rng_range(&rng, 0, 3)) {
			case 0:
				se = rb_entry(rb_first_cached(
						      &f.cfs_rq.tasks_timeline),
					      struct sched_entity, run_node);
				break;
			case 1:
				se = rb_entry(last, struct sched_entity,
					      run_node);
				break;
			}
			policy_eevdf.dequeue_tree(&f.cfs_rq, se);
			se->on_rq = false;
			nqueued--;
		}
		check_timeline(&f.cfs_rq, seq, es, nqueued);
	}
	for (i = 0; i < N; i++)
		if (es[i].on_rq)
			policy_eevdf.dequeue_tree(&f.cfs_rq, &es[i]);
	assert_null(f.cfs_rq.timeline_last);
}

/* V of a queue, from its sums (tree only, no curr). */
static int64_t queue_avg(const struct cfs_rq *q)
{
	return (int64_t)q->min_vruntime +
	       q->avg_vruntime / (int64_t)q->avg_load;
}

static void test_eevdf_lag_survives_sleep(void **state)
{
	struct fixture f;
	struct sched_entity a, b;

	(void)state;
	fixture_init(&f);
	queue(&f, &a, 0, 10 * MS, 0);
	/* b slept owed 2 ms of virtual time; placing it at V - 2 ms would
	 * itself pull V down, so the lag is inflated by (W + w) / W = 2 */
	memset(&b, 0, sizeof(b));
	weight_lw_set_nice(&b.load, 0);
	b.vlag = 2 * MS;
	policy_eevdf.place(&f.s, &f.cfs_rq, &b, ENQ_WAKEUP);
	assert_int_equal((int64_t)b.vruntime, -4 * (int64_t)MS);
	assert_int_equal((int64_t)b.deadline, -4 * (int64_t)MS + 1400000);
	b.on_rq = true;
	policy_eevdf.enqueue_tree(&f.s, &f.cfs_rq, &b);
	f.cfs_rq.nr_running++;
	/* after insertion its lag V - v is exactly the saved 2 ms */
	assert_int_equal(queue_avg(&f.cfs_rq) - (int64_t)b.vruntime,
			 2 * (int64_t)MS);
}

static void test_eevdf_lag_and_deadline_survive_migration(void **state)
{
	struct fixture f, g;
	struct sched_entity a, b, c;

	(void)state;
	fixture_init(&f);
	fixture_init(&g);
	queue(&f, &a, 0, 10 * MS, 0);
	queue(&f, &b, 2 * MS, 3 * MS, 0); /* V = 1 ms: lag -1 ms */
	/* leaving without sleeping keeps lag and a relative deadline */
	assert_true(policy_eevdf.dequeue(&f.s, &f.cfs_rq, &b, 0));
	assert_int_equal(b.vlag, -(int64_t)MS);
	assert_true(b.rel_deadline);
	assert_int_equal(b.deadline, 1 * MS);
	policy_eevdf.dequeue_tree(&f.cfs_rq, &b);
	f.cfs_rq.nr_running--;
	/* on another CPU whose V is 5 ms (one entity): inflated lag -2 ms */
	queue(&g, &c, 5 * MS, 6 * MS, 0);
	policy_eevdf.place(&g.s, &g.cfs_rq, &b, ENQ_MIGRATED);
	assert_int_equal(b.vruntime, 7 * MS);
	assert_int_equal(b.deadline, 8 * MS);
	assert_false(b.rel_deadline);
}

static void test_eevdf_ineligible_sleeper_is_delayed(void **state)
{
	struct fixture f;
	struct sched_entity a, b;

	(void)state;
	fixture_init(&f);
	queue(&f, &a, 0, 10 * MS, 0);
	queue(&f, &b, 4 * MS, 6 * MS, 0); /* V = 2 ms: b in debt */
	assert_false(policy_eevdf.dequeue(&f.s, &f.cfs_rq, &b, DEQ_SLEEP));
	assert_true(b.sched_delayed);
	/* an eligible sleeper leaves at once, keeping its positive lag */
	assert_true(policy_eevdf.dequeue(&f.s, &f.cfs_rq, &a, DEQ_SLEEP));
	assert_int_equal(a.vlag, 2 * (int64_t)MS);
}

static void test_eevdf_new_task_gets_half_a_slice(void **state)
{
	struct fixture f;
	struct sched_entity a, n;

	(void)state;
	fixture_init(&f);
	queue(&f, &a, 3 * MS, 10 * MS, 0);
	memset(&n, 0, sizeof(n));
	weight_lw_set_nice(&n.load, 0);
	policy_eevdf.place(&f.s, &f.cfs_rq, &n, ENQ_INITIAL);
	/* at V with deadline V + 1.4 ms / 2 */
	assert_int_equal(n.vruntime, 3 * MS);
	assert_int_equal(n.deadline, 3 * MS + 700 * NSEC_PER_USEC);
	/* nice 5: the virtual slice is 1.4 ms * 1024 / 335, halved */
	memset(&n, 0, sizeof(n));
	weight_lw_set_nice(&n.load, 5);
	policy_eevdf.place(&f.s, &f.cfs_rq, &n, ENQ_INITIAL);
	/* 1.4e6 * (1024 * 12820798 >> 2) >> 30 = 4279403 (kernel fixed
	 * point), halved */
	assert_int_equal(n.deadline - n.vruntime, 4279403 / 2);
}

/* Custom slices on a hand-built queue: task 0 asks for 0.1 ms, task 1
 * keeps the 1.4 ms base slice.  curr is task 1 at v = 0 with deadline
 * 1.4 ms; the wakee (task 0) sits at v with deadline v + its slice. */
struct slice_fixture {
	struct fixture f;
	struct scenario sc;
	struct task t[2];
	uint64_t slices[2];
	uint8_t spec_slice[2];
	uint32_t count[2];
	struct task_group tg;
};

static void slice_fixture_init(struct slice_fixture *x, int64_t wakee_v,
			       unsigned wakee_spec)
{
	struct task *curr = &x->t[1], *p = &x->t[0];

	memset(x, 0, sizeof(*x));
	fixture_init(&x->f);
	x->slices[0] = 100 * NSEC_PER_USEC;
	x->slices[1] = x->f.s.base_slice;
	x->spec_slice[0] = 0;
	x->spec_slice[1] = 1;
	x->f.s.slices = x->slices;
	x->f.s.nslices = 2;
	x->f.s.spec_slice = x->spec_slice;
	x->tg.slice_count = x->count; /* CPU 0 */
	x->f.cfs_rq.tg = &x->tg;
	curr->spec = 1;
	p->spec = wakee_spec;
	/* curr: on the queue, out of the tree */
	weight_lw_set_nice(&curr->se.load, 0);
	curr->se.on_rq = true;
	curr->se.cfs_rq = &x->f.cfs_rq;
	curr->se.deadline = 1400 * NSEC_PER_USEC;
	x->f.cfs_rq.curr = &curr->se;
	x->f.cfs_rq.nr_running = 1;
	x->f.cfs_rq.avg_load = 0;
	x->f.rq.curr = curr;
	x->count[1]++;
	queue(&x->f, &p->se, wakee_v,
	      wakee_v + (int64_t)x->slices[x->spec_slice[wakee_spec]], 0);
	x->count[x->spec_slice[wakee_spec]]++;
	/* RUN_TO_PARITY as set when curr was picked */
	policy_eevdf.set_next(&x->f.s, &x->f.cfs_rq, &curr->se);
}

/* kernel: set_protect_slice: curr is protected until its deadline, or
 * only for the shortest slice queued beside it */
static void test_eevdf_protection_stops_at_the_shortest_slice(void **state)
{
	struct slice_fixture x;

	(void)state;
	slice_fixture_init(&x, 0, 1);
	assert_int_equal(x.f.cfs_rq.curr_vprot, 1400 * NSEC_PER_USEC);
	slice_fixture_init(&x, 0, 0);
	assert_int_equal(x.f.cfs_rq.curr_vprot, 100 * NSEC_PER_USEC);
}

/* kernel: check_preempt_wakeup_fair with PREEMPT_SHORT (6.18) */
static void test_eevdf_shorter_slice_wakee_ignores_protection(void **state)
{
	struct slice_fixture x;
	struct sched_entity *curr;

	(void)state;
	/* A wakee at V = 0 with the base slice: deadline 1.4 ms, a tie with
	 * curr, which is protected until 1.4 ms (set when it was picked
	 * with nothing else queued): no preemption. */
	slice_fixture_init(&x, 0, 1);
	policy_eevdf.wakeup_preempt(&x.f.s, &x.f.rq, &x.t[0]);
	assert_false(x.f.rq.need_resched);
	/* The same wakee with a 0.1 ms slice: protection is ignored, it is
	 * eligible with the earliest deadline (0.1 ms): preempt, and curr's
	 * protection is cancelled (vprot = its vruntime, 0). */
	slice_fixture_init(&x, 0, 0);
	x.f.cfs_rq.curr_vprot = 1400 * NSEC_PER_USEC;
	policy_eevdf.wakeup_preempt(&x.f.s, &x.f.rq, &x.t[0]);
	assert_true(x.f.rq.need_resched);
	assert_int_equal(x.f.cfs_rq.curr_vprot, 0);
	/* A short-slice wakee that is not eligible (v = 2 ms, V = 1 ms)
	 * does not preempt, but curr's protection shrinks to the shortest
	 * slice from where curr is (update_protect_slice): 0 + 0.1 ms. */
	slice_fixture_init(&x, 2 * (int64_t)MS, 0);
	x.f.cfs_rq.curr_vprot = 1400 * NSEC_PER_USEC;
	policy_eevdf.wakeup_preempt(&x.f.s, &x.f.rq, &x.t[0]);
	assert_false(x.f.rq.need_resched);
	curr = &x.t[1].se;
	assert_int_equal(x.f.cfs_rq.curr_vprot,
			 curr->vruntime + 100 * NSEC_PER_USEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eevdf_picks_earliest_eligible_deadline),
		cmocka_unit_test(test_eevdf_picks_leftmost_when_eligible),
		cmocka_unit_test(test_eevdf_weights_move_the_average),
		cmocka_unit_test(test_eevdf_heap_search_matches_brute_force),
		cmocka_unit_test(test_eevdf_array_search_matches_brute_force),
		cmocka_unit_test(test_eevdf_tree_keeps_order_and_last),
		cmocka_unit_test(test_eevdf_lag_survives_sleep),
		cmocka_unit_test(test_eevdf_lag_and_deadline_survive_migration),
		cmocka_unit_test(test_eevdf_ineligible_sleeper_is_delayed),
		cmocka_unit_test(test_eevdf_new_task_gets_half_a_slice),
		cmocka_unit_test(
			test_eevdf_protection_stops_at_the_shortest_slice),
		cmocka_unit_test(
			test_eevdf_shorter_slice_wakee_ignores_protection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
