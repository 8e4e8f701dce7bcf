/* EEVDF (kernels 6.6+, as in 6.18; docs/kernel-rules.md §3): among the eligible
 * entities (vruntime <= V, the load-weighted average) the one with the
 * earliest virtual deadline runs.  The tree is keyed by deadline and
 * augmented with each subtree's minimum vruntime so the eligible pick is
 * O(log n).  V is kept as sum((v - min_vruntime) * w) / sum(w) over the
 * tree plus curr.  Placement keeps lag across sleeps and migrations
 * (PLACE_LAG, inflated so the lag after insertion is the saved one), new
 * tasks get half a slice (PLACE_DEADLINE_INITIAL), an ineligible sleeper
 * stays queued until its debt is paid (DELAY_DEQUEUE, DELAY_ZERO), and a
 * running entity is protected until its deadline or the shortest slice
 * queued beside it (RUN_TO_PARITY).  Tasks may ask for their own slice
 * (sched_setattr sched_runtime, 6.12+); a group entity asks for the
 * shortest below it, and a wakee with a shorter slice may cut curr's
 * protection short (PREEMPT_SHORT). */
#include "sim/policy.h"
#include "sim/fair.h"

static struct sched_entity *node_se(const struct rb_node *n)
{
	return rb_entry(n, struct sched_entity, run_node);
}

static int64_t entity_key(const struct cfs_rq *cfs_rq,
			  const struct sched_entity *se)
{
	return (int64_t)(se->vruntime - cfs_rq->min_vruntime);
}

/* kernel: se_weight, scale_load_down of a weight that is never 0 (a
 * task's comes from the nice table, a group entity's is at least
 * SHARES_MIN), so without scale_load_down's test for 0: V's sums take
 * it some 15 times a switch */
static int64_t se_weight(const struct sched_entity *se)
{
	uint64_t w = se->load.weight >> SCHED_FIXEDPOINT_SHIFT;

	return (int64_t)(w < 2 ? 2 : w);
}

static void avg_vruntime_add(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	int64_t w = se_weight(se);

	cfs_rq->avg_vruntime += entity_key(cfs_rq, se) * w;
	cfs_rq->avg_load += (uint64_t)w;
}

static void avg_vruntime_sub(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	int64_t w = se_weight(se);

	cfs_rq->avg_vruntime -= entity_key(cfs_rq, se) * w;
	cfs_rq->avg_load -= (uint64_t)w;
}

/* kernel: avg_vruntime: V, rounded toward minus infinity (also drawn by
 * the vruntime picture, through the timeline) */
uint64_t eevdf_avg_vruntime(const struct cfs_rq *cfs_rq)
{
	const struct sched_entity *curr = cfs_rq->curr;
	int64_t avg = cfs_rq->avg_vruntime;
	int64_t load = (int64_t)cfs_rq->avg_load;

	if (curr && curr->on_rq) {
		int64_t w = se_weight(curr);

		avg += entity_key(cfs_rq, curr) * w;
		load += w;
	}
	if (load) {
		if (avg < 0)
			avg -= load - 1;
		avg /= load;
	}
	return cfs_rq->min_vruntime + (uint64_t)avg;
}

/* The sums V is the ratio of, curr included: what every eligibility test
 * of a queue compares against, taken once per pick (eligible_at). */
struct eligible_sums {
	int64_t avg, load;
	uint64_t min_vruntime;
};

static struct eligible_sums eligible_sums(const struct cfs_rq *cfs_rq)
{
	const struct sched_entity *curr = cfs_rq->curr;
	struct eligible_sums e = {cfs_rq->avg_vruntime,
				  (int64_t)cfs_rq->avg_load,
				  cfs_rq->min_vruntime};

	if (curr && curr->on_rq) {
		int64_t w = se_weight(curr);

		e.avg += entity_key(cfs_rq, curr) * w;
		e.load += w;
	}
	return e;
}

static bool eligible_at(const struct eligible_sums *e, uint64_t vruntime)
{
	return e->avg >= (int64_t)(vruntime - e->min_vruntime) * e->load;
}

/* kernel: vruntime_eligible: V >= v without dividing */
static bool vruntime_eligible(const struct cfs_rq *cfs_rq, uint64_t vruntime)
{
	struct eligible_sums e = eligible_sums(cfs_rq);

	return eligible_at(&e, vruntime);
}

static bool entity_eligible(const struct cfs_rq *cfs_rq,
			    const struct sched_entity *se)
{
	return vruntime_eligible(cfs_rq, se->vruntime);
}

/* ---- the deadline-ordered tree, augmented with min vruntime ---- */

static bool before_deadline(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static bool eevdf_entity_before(const struct sched_entity *a,
				const struct sched_entity *b)
{
	return before_deadline(a->deadline, b->deadline);
}

/* Recomputes se's subtree minimum; false if it did not change. */
static bool min_vruntime_recompute(struct sched_entity *se)
{
	uint64_t m = se->vruntime, old = se->min_vruntime;
	struct rb_node *c;

	c = se->run_node.left;
	if (c && vruntime_before(node_se(c)->min_vruntime, m))
		m = node_se(c)->min_vruntime;
	c = se->run_node.right;
	if (c && vruntime_before(node_se(c)->min_vruntime, m))
		m = node_se(c)->min_vruntime;
	se->min_vruntime = m;
	return m != old;
}

/* Ancestors only depend on their children: stop where nothing changed. */
static void aug_propagate(struct rb_node *n, struct rb_node *stop)
{
	for (; n && n != stop; n = rb_parent(n))
		if (!min_vruntime_recompute(node_se(n)))
			break;
}

/* aug_propagate after a leaf of vruntime v was linked below n: a subtree
 * that gains a node can only see its minimum fall to v, so each ancestor's
 * new minimum is the smaller of its old one and v, which is what
 * min_vruntime_recompute finds from its children, without reading them;
 * the walk stops at the same ancestor, the first that keeps its minimum. */
static void aug_propagate_added(struct rb_node *n, uint64_t v)
{
	for (; n; n = rb_parent(n)) {
		struct sched_entity *se = node_se(n);

		if (!vruntime_before(v, se->min_vruntime))
			break;
		se->min_vruntime = v;
	}
}

static void aug_copy(struct rb_node *old, struct rb_node *new_node)
{
	node_se(new_node)->min_vruntime = node_se(old)->min_vruntime;
}

static void aug_rotate(struct rb_node *old, struct rb_node *new_node)
{
	aug_copy(old, new_node);
	min_vruntime_recompute(node_se(old));
}

static const struct rb_augment_callbacks min_vruntime_cb = {
	.propagate = aug_propagate,
	.copy = aug_copy,
	.rotate = aug_rotate,
};

/* An entity that used up its slice asks for the next one from where it
 * is, which most often puts its deadline after every queued one: then the
 * descent would go right at every level and end below the last node, so
 * it is linked there at once.  In a big queue that descent is a chain of
 * dependent cache misses (10^6 hogs: 38 L1 misses a switch). */
static void tree_link(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct rb_root_cached *root = &cfs_rq->tasks_timeline;
	struct rb_node **link = &root->root.node, *parent = NULL;
	struct rb_node *last = cfs_rq->timeline_last;
	bool leftmost = true;

	se->min_vruntime = se->vruntime;
	if (!last || !eevdf_entity_before(se, node_se(last))) {
		/* the new last (equal deadlines go right) */
		if (last) {
			parent = last;
			link = &last->right;
			leftmost = false;
		}
		cfs_rq->timeline_last = &se->run_node;
	} else {
		while (*link) {
			parent = *link;
			if (eevdf_entity_before(se, node_se(parent))) {
				link = &parent->left;
			} else {
				link = &parent->right;
				leftmost = false;
			}
		}
	}
	rb_link_node(&se->run_node, parent, link);
	aug_propagate_added(parent, se->vruntime);
	rb_insert_augmented_cached(&se->run_node, root, leftmost,
				   &min_vruntime_cb);
}

/* An array queue whose storage would pass the simulation's budget becomes
 * a tree, its entities linked in their order. */
static void queue_to_tree(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct squeue q = cfs_rq->sq;
	unsigned i;

	cfs_rq->small = false;
	cfs_rq->tasks_timeline = RB_ROOT_CACHED;
	cfs_rq->timeline_last = NULL;
	for (i = 0; i < q.n; i++)
		tree_link(cfs_rq, q.e[i].se);
	sq_release(&q, &s->sq_budget);
}

static void eevdf_enqueue_tree(struct sim *s, struct cfs_rq *cfs_rq,
			       struct sched_entity *se)
{
	avg_vruntime_add(cfs_rq, se);
	if (cfs_rq->small) {
		if (sq_room(&cfs_rq->sq) ||
		    sq_grow(&cfs_rq->sq, &s->sq_budget)) {
			sq_insert(&cfs_rq->sq, se->deadline, se->vruntime, se);
			return;
		}
		queue_to_tree(s, cfs_rq);
	}
	tree_link(cfs_rq, se);
}

/* The deadline se was queued under: eevdf_dequeue makes a moving
 * entity's deadline relative to its vruntime before it leaves the queue. */
static uint64_t queued_deadline(const struct sched_entity *se)
{
	return se->rel_deadline ? se->deadline + se->vruntime : se->deadline;
}

static void eevdf_dequeue_tree(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->small) {
		sq_erase_at(&cfs_rq->sq,
			    sq_find(&cfs_rq->sq, queued_deadline(se), se));
		avg_vruntime_sub(cfs_rq, se);
		return;
	}
	if (cfs_rq->timeline_last == &se->run_node)
		cfs_rq->timeline_last = rb_prev(&se->run_node);
	rb_erase_augmented_cached(&se->run_node, &cfs_rq->tasks_timeline,
				  &min_vruntime_cb);
	avg_vruntime_sub(cfs_rq, se);
}

/* kernel: update_min_vruntime (6.18.2): follows min(curr, tree minimum),
 * never backwards; the sums are rebased when it moves */
static void eevdf_update_min_vruntime(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	uint64_t vruntime = cfs_rq->min_vruntime;
	const uint64_t *queued = NULL; /* the queued entities' least */
	int64_t delta;

	if (curr) {
		if (curr->on_rq)
			vruntime = curr->vruntime;
		else
			curr = NULL;
	}
	if (cfs_rq->small) {
		if (cfs_rq->sq.n)
			queued = &cfs_rq->sq.min_v;
	} else if (cfs_rq->tasks_timeline.root.node) {
		queued = &node_se(cfs_rq->tasks_timeline.root.node)
				  ->min_vruntime;
	}
	if (queued && (!curr || vruntime_before(*queued, vruntime)))
		vruntime = *queued;
	delta = (int64_t)(vruntime - cfs_rq->min_vruntime);
	if (delta > 0) {
		cfs_rq->avg_vruntime -= (int64_t)cfs_rq->avg_load * delta;
		cfs_rq->min_vruntime = vruntime;
	}
}

/* se is cfs_rq->curr */
static bool protect_slice(const struct cfs_rq *cfs_rq,
			  const struct sched_entity *se)
{
	return (int64_t)(cfs_rq->curr_vprot - se->vruntime) > 0;
}

/* The first eligible entity in deadline order, NULL if none: in an
 * array, the first of its vruntimes at or before V */
static struct sched_entity *first_eligible_array(struct squeue *q,
						 const struct eligible_sums *e)
{
	unsigned i, n = q->n;

	for (i = 0; i < n; i++)
		if (eligible_at(e, q->e[i].v)) {
			q->hint = (uint8_t)i; /* what set_next takes out */
			return q->e[i].se;
		}
	return NULL;
}

/* in the tree, the leftmost if eligible, else a descent that enters a
 * subtree only if its least vruntime is eligible */
static struct sched_entity *first_eligible_tree(struct cfs_rq *cfs_rq,
						const struct eligible_sums *e)
{
	struct rb_node *node = cfs_rq->tasks_timeline.root.node;
	struct rb_node *first = rb_first_cached(&cfs_rq->tasks_timeline);
	struct sched_entity *se;

	if (first && eligible_at(e, node_se(first)->vruntime))
		return node_se(first);
	while (node) {
		struct rb_node *left = node->left;

		if (left && eligible_at(e, node_se(left)->min_vruntime)) {
			node = left;
			continue;
		}
		se = node_se(node);
		if (eligible_at(e, se->vruntime))
			return se;
		node = node->right;
	}
	return NULL;
}

/* kernel: __pick_eevdf */
static struct sched_entity *pick_eevdf(struct sim *s, struct cfs_rq *cfs_rq,
				       bool protect)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *best;
	struct eligible_sums e;

	(void)s;
	if (cfs_rq->nr_running == 1)
		return curr && curr->on_rq ? curr :
					     sim_pick_first_entity(cfs_rq);
	/* nothing below changes the queue: V's sums are taken once */
	e = eligible_sums(cfs_rq);
	if (curr && (!curr->on_rq || !eligible_at(&e, curr->vruntime)))
		curr = NULL;
	if (curr && protect && protect_slice(cfs_rq, curr))
		return curr;
	best = cfs_rq->small ? first_eligible_array(&cfs_rq->sq, &e) :
			       first_eligible_tree(cfs_rq, &e);
	if (!best || (curr && eevdf_entity_before(curr, best)))
		best = curr;
	return best;
}

/* kernel: pick_next_entity (6.18): an eligible next buddy, else EEVDF */
static struct sched_entity *eevdf_pick(struct sim *s, struct cfs_rq *cfs_rq,
				       struct sched_entity *curr)
{
	struct sched_entity *se;

	(void)curr;
	if (cfs_rq->next && entity_eligible(cfs_rq, cfs_rq->next)) {
		se = cfs_rq->next;
		sim_clear_buddies(cfs_rq, se);
		return se;
	}
	se = pick_eevdf(s, cfs_rq, true);
	if (!se) /* kernel: cannot happen with a non-empty queue */
		se = sim_pick_first_entity(cfs_rq);
	return se;
}

/* kernel: place_entity (6.18) */
static void eevdf_place(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags)
{
	uint64_t vslice, vruntime = eevdf_avg_vruntime(cfs_rq);
	int64_t lag = 0;

	vslice = calc_delta_fair(entity_slice(s, se), &se->load);
	if (cfs_rq->nr_running && se->vlag) {
		struct sched_entity *curr = cfs_rq->curr;
		int64_t load = (int64_t)cfs_rq->avg_load;

		if (curr && curr->on_rq)
			load += se_weight(curr);
		lag = se->vlag * (load + se_weight(se));
		if (!load)
			load = 1;
		lag /= load;
	}
	se->vruntime = vruntime - (uint64_t)lag;
	if (se->rel_deadline) {
		se->deadline += se->vruntime;
		se->rel_deadline = false;
		return;
	}
	if (flags & ENQ_INITIAL)
		vslice /= 2;
	se->deadline = se->vruntime + vslice;
}

/* kernel: update_entity_lag: V - v, clamped to a slice or a tick of
 * virtual time */
static void update_entity_lag(struct sim *s, struct cfs_rq *cfs_rq,
			      struct sched_entity *se)
{
	uint64_t slice = entity_slice(s, se);
	uint64_t span = 2 * slice > s->tick_ns ? 2 * slice : s->tick_ns;
	int64_t limit = (int64_t)calc_delta_fair(span, &se->load);
	int64_t vlag = (int64_t)(eevdf_avg_vruntime(cfs_rq) - se->vruntime);

	if (vlag > limit)
		vlag = limit;
	if (vlag < -limit)
		vlag = -limit;
	se->vlag = vlag;
}

/* kernel: update_deadline: past its deadline, an entity asks for a new
 * slice from where it is now; true = reschedule */
static bool update_deadline(struct sim *s, struct sched_entity *se)
{
	if ((int64_t)(se->vruntime - se->deadline) < 0)
		return false;
	se->deadline =
		se->vruntime + calc_delta_fair(entity_slice(s, se), &se->load);
	return true;
}

static bool eevdf_update_curr(struct sim *s, struct cfs_rq *cfs_rq,
			      struct sched_entity *curr)
{
	bool resched = update_deadline(s, curr);

	eevdf_update_min_vruntime(cfs_rq);
	if (cfs_rq->nr_running == 1)
		return false;
	if (resched || !protect_slice(cfs_rq, curr)) {
		sim_clear_buddies(cfs_rq, curr);
		return true;
	}
	return false;
}

/* 6.18 has no tick preemption of its own: update_curr decides */
static void eevdf_tick(struct sim *s, struct cfs_rq *cfs_rq,
		       struct sched_entity *curr)
{
	(void)s;
	(void)cfs_rq;
	(void)curr;
}

/* kernel: set_protect_slice (RUN_TO_PARITY) */
static void eevdf_set_next(struct sim *s, struct cfs_rq *cfs_rq,
			   struct sched_entity *se)
{
	uint64_t slice = cfs_rq_min_slice(s, cfs_rq);
	uint64_t vprot = se->deadline;

	if (!se->on_rq)
		return;
	if (slice > entity_slice(s, se))
		slice = entity_slice(s, se);
	if (slice != entity_slice(s, se)) {
		uint64_t v = se->vruntime + calc_delta_fair(slice, &se->load);

		if (vruntime_before(v, vprot))
			vprot = v;
	}
	cfs_rq->curr_vprot = vprot;
}

/* kernel: update_protect_slice: curr's protection shrinks to the
 * shortest slice queued */
static void update_protect_slice(struct sim *s, struct cfs_rq *cfs_rq,
				 struct sched_entity *se)
{
	uint64_t v = se->vruntime +
		     calc_delta_fair(cfs_rq_min_slice(s, cfs_rq), &se->load);

	if (vruntime_before(v, cfs_rq->curr_vprot))
		cfs_rq->curr_vprot = v;
}

/* kernel: check_preempt_wakeup_fair (6.18): preempt when the woken
 * entity is what EEVDF would pick now, curr's protection respected
 * unless the wakee asks for a shorter slice (PREEMPT_SHORT) */
static void eevdf_wakeup_preempt(struct sim *s, struct rq *rq, struct task *p)
{
	struct sched_entity *se = &rq->curr->se;
	struct sched_entity *pse = &p->se;
	struct cfs_rq *cfs_rq;
	bool preempt_short;

	if (sim_throttled_hierarchy(pse->cfs_rq) || rq->need_resched)
		return;
	sim_find_matching_se(&se, &pse);
	cfs_rq = se->cfs_rq;
	update_curr(s, cfs_rq);
	preempt_short = s->slices && entity_slice(s, pse) < entity_slice(s, se);
	if (pick_eevdf(s, cfs_rq, !preempt_short) == pse) {
		/* kernel: cancel_protect_slice */
		if (preempt_short && protect_slice(cfs_rq, se))
			cfs_rq->curr_vprot = se->vruntime;
		sim_resched_curr(s, rq);
	} else if (preempt_short) {
		update_protect_slice(s, cfs_rq, se);
	}
}

/* kernel: dequeue_entity (6.18): a sleeper that is not eligible stays
 * queued (DELAY_DEQUEUE); otherwise its lag is saved, and a deadline kept
 * relative when it only moves */
static bool eevdf_dequeue(struct sim *s, struct cfs_rq *cfs_rq,
			  struct sched_entity *se, unsigned flags)
{
	bool sleep = flags & DEQ_SLEEP;

	if (!(flags & DEQ_DELAYED) && sleep && !(flags & DEQ_SPECIAL) &&
	    !entity_eligible(cfs_rq, se)) {
		se->sched_delayed = true;
		return false;
	}
	update_entity_lag(s, cfs_rq, se);
	if (!sleep) {
		se->deadline -= se->vruntime;
		se->rel_deadline = true;
	}
	/* DELAY_ZERO: a delayed entity leaves owed nothing */
	if ((flags & DEQ_DELAYED) && se->vlag > 0)
		se->vlag = 0;
	return true;
}

/* kernel: requeue_delayed_entity with DELAY_ZERO */
static void eevdf_requeue_delayed(struct sim *s, struct cfs_rq *cfs_rq,
				  struct sched_entity *se)
{
	update_entity_lag(s, cfs_rq, se);
	if (se->vlag > 0) {
		cfs_rq->nr_running--;
		if (se != cfs_rq->curr)
			eevdf_dequeue_tree(cfs_rq, se);
		se->vlag = 0;
		eevdf_place(s, cfs_rq, se, 0);
		if (se != cfs_rq->curr)
			eevdf_enqueue_tree(s, cfs_rq, se);
		cfs_rq->nr_running++;
	}
	se->sched_delayed = false;
}

/* lag and relative deadline travel with the entity: nothing to convert */
static void eevdf_migrate(struct cfs_rq *from, struct cfs_rq *to,
			  struct sched_entity *se)
{
	(void)from;
	(void)to;
	(void)se;
}

/* The kernel's reweight takes a queued entity out of the tree and puts it
 * back with its new deadline.  What the simulation sees of the tree is its
 * order (the leftmost, the next in order, and a pick, which finds the first
 * eligible entity in order whatever the shape; V and the minimum vruntime
 * come from the sums and the root), so an entity whose new deadline keeps
 * it between the same neighbours (after the previous, equal deadlines
 * going right, and before the next) stays where it is: only the subtree
 * minima above it are brought up to date.  Otherwise it is erased and
 * inserted as the kernel does.  Its share of V (avg_vruntime_sub) was
 * taken out before placement. */
static void requeue_tree(struct cfs_rq *cfs_rq, struct sched_entity *se,
			 unsigned at)
{
	struct rb_node *prev, *next;

	if (cfs_rq->small) {
		struct squeue *q = &cfs_rq->sq;

		avg_vruntime_add(cfs_rq, se);
		if ((!at || !before_deadline(se->deadline, q->e[at - 1].key)) &&
		    (at + 1 == q->n ||
		     before_deadline(se->deadline, q->e[at + 1].key))) {
			sq_update_at(q, at, se->deadline, se->vruntime);
			return;
		}
		sq_erase_at(q, at);
		sq_insert(q, se->deadline, se->vruntime, se);
		return;
	}
	prev = rb_prev(&se->run_node);
	next = rb_next(&se->run_node);
	if ((!prev || !eevdf_entity_before(se, node_se(prev))) &&
	    (!next || eevdf_entity_before(se, node_se(next)))) {
		avg_vruntime_add(cfs_rq, se);
		aug_propagate(&se->run_node, NULL);
		return;
	}
	if (cfs_rq->timeline_last == &se->run_node)
		cfs_rq->timeline_last = prev;
	rb_erase_augmented_cached(&se->run_node, &cfs_rq->tasks_timeline,
				  &min_vruntime_cb);
	avg_vruntime_add(cfs_rq, se);
	tree_link(cfs_rq, se);
}

/* kernel: reweight_entity (6.18): lag and relative deadline scale with
 * old/new weight, then the entity is placed again */
static void eevdf_reweight(struct sim *s, struct cfs_rq *cfs_rq,
			   struct sched_entity *se, uint64_t weight)
{
	bool curr = cfs_rq->curr == se;
	uint64_t old = se->load.weight;
	unsigned at = 0; /* its index, in an array queue */

	if (se->on_rq) {
		if (!curr && cfs_rq->small)
			at = sq_find(&cfs_rq->sq, queued_deadline(se), se);
		update_entity_lag(s, cfs_rq, se);
		se->deadline -= se->vruntime;
		se->rel_deadline = true;
		cfs_rq->nr_running--;
		/* out of V now; out of the tree only if it moves there */
		if (!curr)
			avg_vruntime_sub(cfs_rq, se);
	}
	se->vlag = se->vlag * (int64_t)old / (int64_t)weight;
	if (se->rel_deadline)
		se->deadline = (uint64_t)((int64_t)se->deadline * (int64_t)old /
					  (int64_t)weight);
	weight_lw_set(&se->load, weight);
	if (se->on_rq) {
		eevdf_place(s, cfs_rq, se, 0);
		if (!curr)
			requeue_tree(cfs_rq, se, at);
		cfs_rq->nr_running++;
		eevdf_update_min_vruntime(cfs_rq);
	}
}

static int64_t eevdf_lag(const struct cfs_rq *cfs_rq,
			 const struct sched_entity *se)
{
	if (!se->on_rq)
		return se->vlag;
	return (int64_t)(eevdf_avg_vruntime(cfs_rq) - se->vruntime);
}

const struct sched_policy policy_eevdf = {
	.name = "eevdf",
	.enqueue_tree = eevdf_enqueue_tree,
	.dequeue_tree = eevdf_dequeue_tree,
	.pick = eevdf_pick,
	.place = eevdf_place,
	.update_curr = eevdf_update_curr,
	.migrate = eevdf_migrate,
	.dequeue = eevdf_dequeue,
	.requeue_delayed = eevdf_requeue_delayed,
	.reweight = eevdf_reweight,
	.tick = eevdf_tick,
	.wakeup_preempt = eevdf_wakeup_preempt,
	.set_next = eevdf_set_next,
	.update_min_vruntime = eevdf_update_min_vruntime,
	.lag = eevdf_lag,
};
