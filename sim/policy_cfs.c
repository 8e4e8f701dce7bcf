/* Classic CFS (kernels up to 6.5, docs/kernel-rules.md §2): the tree is keyed
 * by vruntime, the leftmost entity runs, next/last buddies are preferred when
 * they are not more than a wakeup granularity ahead, new tasks start a virtual
 * slice late (START_DEBIT), sleepers get half a latency of credit
 * (GENTLE_FAIR_SLEEPERS), the tick preempts after the ideal slice. */
#include "sim/policy.h"
#include "sim/fair.h"

static bool cfs_entity_before(const struct sched_entity *a,
			      const struct sched_entity *b)
{
	return vruntime_before(a->vruntime, b->vruntime);
}

static bool cfs_less(const struct rb_node *a, const struct rb_node *b)
{
	return cfs_entity_before(rb_entry(a, struct sched_entity, run_node),
				 rb_entry(b, struct sched_entity, run_node));
}

/* kernel: __enqueue_entity.  An entity not before the rightmost one (the
 * usual case: a task that ran or slept goes to the back) is linked below
 * that node, where the descent from the root would end, without the
 * descent; the tree comes out the same. */
static void cfs_enqueue_tree(struct sim *s, struct cfs_rq *cfs_rq,
			     struct sched_entity *se)
{
	struct rb_node *last = cfs_rq->timeline_last;

	(void)s;
	if (last && !cfs_entity_before(se, rb_entry(last, struct sched_entity,
						    run_node))) {
		rb_link_node(&se->run_node, last, &last->right);
		rb_insert_color_cached(&se->run_node, &cfs_rq->tasks_timeline,
				       false);
		cfs_rq->timeline_last = &se->run_node;
		return;
	}
	rb_add_cached(&se->run_node, &cfs_rq->tasks_timeline, cfs_less);
	if (!last)
		cfs_rq->timeline_last = &se->run_node;
}

static void cfs_dequeue_tree(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->timeline_last == &se->run_node)
		cfs_rq->timeline_last = rb_prev(&se->run_node);
	rb_erase_cached(&se->run_node, &cfs_rq->tasks_timeline);
}

/* kernel: __sched_period */
static uint64_t sched_period(const struct sim *s, unsigned long nr_running)
{
	if (nr_running > s->sched_nr_latency)
		return nr_running * s->sched_min_granularity;
	return s->sched_latency;
}

/* kernel: sched_slice (6.5, ALT_PERIOD and BASE_SLICE on): the period for
 * all fair tasks of the CPU, scaled by the weight fraction at every level */
static uint64_t sched_slice(const struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *se)
{
	unsigned long nr_running = cfs_rq->rq->cfs->h_nr_running;
	uint64_t slice = sched_period(s, nr_running + !se->on_rq);

	for (; se; se = parent_entity(se)) {
		struct cfs_rq *q = se->cfs_rq;
		struct load_weight lw = q->load;

		if (!se->on_rq) {
			lw.weight += se->load.weight;
			lw.inv_weight = 0;
		}
		slice = weight_calc_delta(slice, se->load.weight, &lw);
	}
	if (slice < s->sched_min_granularity)
		slice = s->sched_min_granularity;
	return slice;
}

static uint64_t sched_vslice(const struct sim *s, struct cfs_rq *cfs_rq,
			     struct sched_entity *se)
{
	return calc_delta_fair(sched_slice(s, cfs_rq, se), &se->load);
}

/* kernel: wakeup_gran / wakeup_preempt_entity: 1 if se is more than a
 * wakeup granularity (scaled to se's weight) ahead of curr */
static int wakeup_preempt_entity(const struct sim *s, struct sched_entity *curr,
				 struct sched_entity *se)
{
	int64_t vdiff = (int64_t)(curr->vruntime - se->vruntime);
	uint64_t gran;

	if (vdiff <= 0)
		return -1;
	gran = calc_delta_fair(s->sched_wakeup_granularity, &se->load);
	if ((uint64_t)vdiff > gran)
		return 1;
	return 0;
}

/* kernel: pick_next_entity (6.5) */
static struct sched_entity *cfs_pick(struct sim *s, struct cfs_rq *cfs_rq,
				     struct sched_entity *curr)
{
	struct sched_entity *left = sim_pick_first_entity(cfs_rq);
	struct sched_entity *se;

	if (!left || (curr && cfs_entity_before(curr, left)))
		left = curr;
	se = left;
	if (cfs_rq->next && wakeup_preempt_entity(s, cfs_rq->next, left) < 1)
		se = cfs_rq->next;
	else if (cfs_rq->last &&
		 wakeup_preempt_entity(s, cfs_rq->last, left) < 1)
		se = cfs_rq->last;
	sim_clear_buddies(cfs_rq, se);
	return se;
}

/* kernel: place_entity (6.5) for a new task (START_DEBIT) or a waking one
 * (GENTLE_FAIR_SLEEPERS: half a latency of credit); a renormalised
 * migration (flags 0) keeps its vruntime */
static void cfs_place(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se, unsigned flags)
{
	uint64_t vruntime = cfs_rq->min_vruntime;

	if (flags & ENQ_INITIAL) {
		se->vruntime = vruntime + sched_vslice(s, cfs_rq, se);
		return;
	}
	if (!(flags & ENQ_WAKEUP))
		return;
	vruntime -= s->sched_latency >> 1;
	/* long sleeper: the old vruntime is meaningless (60 s, 6.5) */
	if ((int64_t)(s->now - se->exec_start) > 60LL * (int64_t)NSEC_PER_SEC ||
	    vruntime_before(se->vruntime, vruntime))
		se->vruntime = vruntime;
}

static bool cfs_update_curr(struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *curr)
{
	(void)s;
	(void)curr;
	sim_update_min_vruntime_cfs(cfs_rq);
	return false;
}

/* kernel: check_preempt_tick (6.5) */
static void cfs_tick(struct sim *s, struct cfs_rq *cfs_rq,
		     struct sched_entity *curr)
{
	uint64_t ideal, delta_exec;
	struct sched_entity *se;
	int64_t delta;

	if (cfs_rq->nr_running <= 1)
		return;
	ideal = sched_slice(s, cfs_rq, curr);
	if (ideal > s->sched_latency)
		ideal = s->sched_latency;
	delta_exec = curr->sum_exec_runtime - cfs_rq->curr_prev_sum_exec;
	if (delta_exec > ideal) {
		sim_resched_curr(s, cfs_rq->rq);
		sim_clear_buddies(cfs_rq, curr);
		return;
	}
	if (delta_exec < s->sched_min_granularity)
		return;
	se = sim_pick_first_entity(cfs_rq);
	if (!se)
		return;
	delta = (int64_t)(curr->vruntime - se->vruntime);
	if (delta < 0)
		return;
	if ((uint64_t)delta > ideal)
		sim_resched_curr(s, cfs_rq->rq);
}

/* kernel: check_preempt_wakeup (6.5) */
static void cfs_wakeup_preempt(struct sim *s, struct rq *rq, struct task *p)
{
	struct sched_entity *se = &rq->curr->se;
	struct sched_entity *pse = &p->se;
	bool scale = rq->cfs->nr_running >= s->sched_nr_latency;

	if (sim_throttled_hierarchy(pse->cfs_rq))
		return;
	if (rq->need_resched)
		return;
	sim_find_matching_se(&se, &pse);
	update_curr(s, se->cfs_rq);
	if (wakeup_preempt_entity(s, se, pse) == 1) {
		sim_set_next_buddy(pse);
		sim_resched_curr(s, rq);
		if (scale && entity_is_task(se))
			sim_set_last_buddy(se);
	}
}

static void cfs_set_next(struct sim *s, struct cfs_rq *cfs_rq,
			 struct sched_entity *se)
{
	(void)s;
	(void)cfs_rq;
	(void)se;
}

/* vruntime kept relative to min_vruntime across the move (6.5 renorm) */
static void cfs_migrate(struct cfs_rq *from, struct cfs_rq *to,
			struct sched_entity *se)
{
	se->vruntime = se->vruntime - from->min_vruntime + to->min_vruntime;
}

static bool cfs_dequeue(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags)
{
	(void)s;
	(void)cfs_rq;
	(void)se;
	(void)flags;
	return true;
}

static void cfs_requeue_delayed(struct sim *s, struct cfs_rq *cfs_rq,
				struct sched_entity *se)
{
	(void)s;
	(void)cfs_rq;
	se->sched_delayed = false;
}

/* kernel: reweight_entity (6.5) changes only the weight */
static void cfs_reweight(struct sim *s, struct cfs_rq *cfs_rq,
			 struct sched_entity *se, uint64_t weight)
{
	(void)s;
	(void)cfs_rq;
	weight_lw_set(&se->load, weight);
}

static int64_t cfs_lag(const struct cfs_rq *cfs_rq,
		       const struct sched_entity *se)
{
	return (int64_t)(cfs_rq->min_vruntime - se->vruntime);
}

const struct sched_policy policy_cfs = {
	.name = "cfs",
	.enqueue_tree = cfs_enqueue_tree,
	.dequeue_tree = cfs_dequeue_tree,
	.pick = cfs_pick,
	.place = cfs_place,
	.update_curr = cfs_update_curr,
	.migrate = cfs_migrate,
	.dequeue = cfs_dequeue,
	.requeue_delayed = cfs_requeue_delayed,
	.reweight = cfs_reweight,
	.tick = cfs_tick,
	.wakeup_preempt = cfs_wakeup_preempt,
	.set_next = cfs_set_next,
	.update_min_vruntime = sim_update_min_vruntime_cfs,
	.lag = cfs_lag,
};
