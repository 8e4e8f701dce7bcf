/* The fair class machinery common to classic CFS and EEVDF: accounting of
 * the running entity (update_curr), enqueue and dequeue through the group
 * hierarchy, group entity weights, the pick walk with put/set of the levels
 * that change, the tick and wakeup entry points.  What differs between the
 * policies (tree key, pick, placement, preemption) is behind s->policy.
 * Follows kernel/sched/fair.c (docs/kernel-rules.md §2-§4, §9.1). */
#include "sim/fair.h"
#include "sim/bandwidth.h"
#include "sim/pelt.h"

void sim_resched_curr(struct sim *s, struct rq *rq)
{
	if (!rq->need_resched) {
		rq->need_resched = true;
		s->resched_mask |= 1ULL << rq->cpu;
	}
}

static void update_load_add(struct load_weight *lw, uint64_t inc)
{
	lw->weight += inc;
	lw->inv_weight = 0;
}

static void update_load_sub(struct load_weight *lw, uint64_t dec)
{
	lw->weight -= dec;
	lw->inv_weight = 0;
}

bool sim_throttled_hierarchy(const struct cfs_rq *cfs_rq)
{
	return cfs_rq->throttle_count > 0;
}

struct sched_entity *sim_pick_first_entity(struct cfs_rq *cfs_rq)
{
	struct rb_node *n;

	if (cfs_rq->small)
		return sq_first(&cfs_rq->sq);
	n = rb_first_cached(&cfs_rq->tasks_timeline);
	return n ? rb_entry(n, struct sched_entity, run_node) : NULL;
}

/* kernel: update_min_vruntime (6.5): min of curr and leftmost, never back */
void sim_update_min_vruntime_cfs(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *left = sim_pick_first_entity(cfs_rq);
	uint64_t vruntime = cfs_rq->min_vruntime;

	if (curr) {
		if (curr->on_rq)
			vruntime = curr->vruntime;
		else
			curr = NULL;
	}
	if (left) {
		if (!curr || vruntime_before(left->vruntime, vruntime))
			vruntime = left->vruntime;
	}
	if (vruntime_before(cfs_rq->min_vruntime, vruntime))
		cfs_rq->min_vruntime = vruntime;
}

void sim_account_task_time(struct sim *s, struct task *p, uint64_t delta)
{
	struct task_group *tg;

	(void)s;
	/* nothing reads the root's (it has no cpu.stat of its own here) */
	for (tg = task_tg(p); tg->parent; tg = tg->parent)
		tg->usage_ns += delta;
}

void sim_update_curr_charge(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	uint64_t delta = s->now - curr->exec_start;
	bool resched;

	curr->exec_start = s->now;
	curr->sum_exec_runtime += delta;
	curr->vruntime += calc_delta_fair(delta, &curr->load);
	resched = s->policy->update_curr(s, cfs_rq, curr);
	if (entity_is_task(curr))
		sim_account_task_time(s, task_of(curr), delta);
	sim_account_cfs_rq_runtime(s, cfs_rq, delta);
	if (resched)
		sim_resched_curr(s, cfs_rq->rq);
}

/* kernel: update_load_avg(cfs_rq, se, UPDATE_TG).  Inlined at its eight
 * callers (enqueue, dequeue, put, set, tick), about five calls a switch:
 * most find PELT unchanged and only test the tg load, so the call itself
 * was a good part of their cost. */
static inline __attribute__((always_inline)) void
update_load_avg(struct sim *s, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (se && entity_is_task(se))
		pelt_update_task(s, se, se->on_rq);
	pelt_update_cfs_rq(s, cfs_rq);
	sim_update_tg_load_avg(s, cfs_rq);
}

unsigned cfs_rq_min_slice_idx(const struct sim *s, const struct cfs_rq *cfs_rq)
{
	const uint32_t *count = cfs_rq_slice_count(s, cfs_rq);
	unsigned i;

	for (i = 0; i < s->nslices; i++)
		if (count[i])
			return i;
	return SLICE_NONE;
}

uint64_t cfs_rq_min_custom_slice(const struct sim *s,
				 const struct cfs_rq *cfs_rq)
{
	unsigned i = cfs_rq_min_slice_idx(s, cfs_rq);

	return i == SLICE_NONE ? UINT64_MAX : s->slices[i];
}

/* kernel: se->slice = slice for a group entity (enqueue_task_fair,
 * dequeue_entities), min_slice kept up to date wherever it is queued */
static void set_group_slice(struct sim *s, struct sched_entity *se,
			    unsigned idx)
{
	uint32_t *count;
	uint8_t *cur;

	if (idx == SLICE_NONE)
		return; /* nothing below (or se is the task itself) */
	cur = &se->my_q->owner_slice;
	if (*cur == idx)
		return;
	if (se->on_rq) {
		count = cfs_rq_slice_count(s, se->cfs_rq);
		count[*cur]--;
		count[idx]++;
	}
	*cur = (uint8_t)idx;
}

void sim_sync_group_slice(struct sim *s, struct sched_entity *se)
{
	if (s->slices)
		set_group_slice(s, se, cfs_rq_min_slice_idx(s, se->my_q));
}

static void account_entity_enqueue(struct sim *s, struct cfs_rq *cfs_rq,
				   struct sched_entity *se)
{
	pelt_update_cfs_rq(s, cfs_rq);
	update_load_add(&cfs_rq->load, se->load.weight);
	cfs_rq->nr_running++;
	if (s->slices)
		cfs_rq_slice_count(s, cfs_rq)[entity_slice_idx(s, se)]++;
	if (entity_is_task(
		    se)) /* kernel: list_add, most recently queued first */
		task_list_add_first(s, (uint32_t)task_index(s, task_of(se)),
				    task_list_head(s, cfs_rq->rq));
}

static void account_entity_dequeue(struct sim *s, struct cfs_rq *cfs_rq,
				   struct sched_entity *se)
{
	pelt_update_cfs_rq(s, cfs_rq);
	update_load_sub(&cfs_rq->load, se->load.weight);
	cfs_rq->nr_running--;
	if (s->slices)
		cfs_rq_slice_count(s, cfs_rq)[entity_slice_idx(s, se)]--;
	if (entity_is_task(se))
		task_list_del(s, (uint32_t)task_index(s, task_of(se)));
}

/* kernel: reweight_entity, the class-independent part */
static void reweight_entity(struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *se, uint64_t weight)
{
	if (se->on_rq) {
		if (cfs_rq->curr == se)
			update_curr(s, cfs_rq);
		pelt_update_cfs_rq(s, cfs_rq);
		update_load_sub(&cfs_rq->load, se->load.weight);
	}
	s->policy->reweight(s, cfs_rq, se, weight);
	if (se->on_rq)
		update_load_add(&cfs_rq->load, se->load.weight);
}

/* kernel: update_cfs_group: the group entity's weight follows its share
 * of the group's load (calc_group_shares); kept while the queue is empty */
void sim_update_cfs_group(struct sim *s, struct sched_entity *se)
{
	struct cfs_rq *gcfs_rq = group_cfs_rq(se);
	uint64_t shares;

	if (!gcfs_rq || !gcfs_rq->load.weight ||
	    sim_throttled_hierarchy(gcfs_rq))
		return;
	shares = sim_calc_group_shares(gcfs_rq);
	if (se->load.weight != shares)
		reweight_entity(s, se->cfs_rq, se, shares);
}

void sim_set_next_buddy(struct sched_entity *se)
{
	for (; se; se = parent_entity(se)) {
		if (!se->on_rq)
			return;
		se->cfs_rq->next = se;
	}
}

void sim_set_last_buddy(struct sched_entity *se)
{
	for (; se; se = parent_entity(se)) {
		if (!se->on_rq)
			return;
		se->cfs_rq->last = se;
	}
}

void sim_clear_buddies(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct sched_entity *e;

	if (cfs_rq->last == se)
		for (e = se; e && e->cfs_rq->last == e; e = parent_entity(e))
			e->cfs_rq->last = NULL;
	if (cfs_rq->next == se)
		for (e = se; e && e->cfs_rq->next == e; e = parent_entity(e))
			e->cfs_rq->next = NULL;
}

void sim_enqueue_entity(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags)
{
	bool curr = cfs_rq->curr == se;

	update_curr(s, cfs_rq);
	update_load_avg(s, cfs_rq, se);
	sim_update_cfs_group(s, se);
	s->policy->place(s, cfs_rq, se, flags);
	account_entity_enqueue(s, cfs_rq, se);
	if (!curr)
		s->policy->enqueue_tree(s, cfs_rq, se);
	se->on_rq = true;
	if (cfs_rq->nr_running == 1) {
		sim_check_enqueue_throttle(s, cfs_rq);
		/* kernel (6.6+): a queue throttled while empty starts counting
		 * throttled time when something arrives */
		if (sim_throttled_hierarchy(cfs_rq)) {
			if (cfs_rq->throttled && !cfs_rq->throttled_clock)
				cfs_rq->throttled_clock = s->now;
			if (!cfs_rq->throttled_clock_self)
				cfs_rq->throttled_clock_self = s->now;
		}
	}
}

bool sim_dequeue_entity(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags)
{
	update_curr(s, cfs_rq);
	sim_clear_buddies(cfs_rq, se);
	if (!s->policy->dequeue(s, cfs_rq, se, flags)) {
		update_load_avg(s, cfs_rq, se);
		return false;
	}
	update_load_avg(s, cfs_rq, se);
	if (se != cfs_rq->curr)
		s->policy->dequeue_tree(cfs_rq, se);
	se->on_rq = false;
	se->sched_delayed = false;
	if (entity_is_task(se))
		pelt_update_task(s, se, false);
	account_entity_dequeue(s, cfs_rq, se);
	sim_return_cfs_rq_runtime(s, cfs_rq);
	sim_update_cfs_group(s, se);
	s->policy->update_min_vruntime(cfs_rq);
	return true;
}

/* kernel: enqueue_task_fair: enqueue up the hierarchy until an entity is
 * already queued or a throttled queue stops the walk */
void sim_enqueue_task_fair(struct sim *s, struct rq *rq, struct task *p,
			   unsigned flags)
{
	struct sched_entity *se = &p->se;
	unsigned slice = SLICE_NONE;
	struct cfs_rq *cfs_rq;

	for (; se; se = parent_entity(se)) {
		if (se->on_rq) {
			if (se->sched_delayed)
				s->policy->requeue_delayed(s, se->cfs_rq, se);
			break;
		}
		cfs_rq = se->cfs_rq;
		/* a group entity asks for the shortest slice below it */
		if (s->slices)
			set_group_slice(s, se, slice);
		sim_enqueue_entity(s, cfs_rq, se, flags);
		if (s->slices)
			slice = cfs_rq_min_slice_idx(s, cfs_rq);
		cfs_rq->h_nr_running++;
		if (cfs_rq->throttled)
			return;
		flags = ENQ_WAKEUP;
	}
	for (; se; se = parent_entity(se)) {
		cfs_rq = se->cfs_rq;
		update_load_avg(s, cfs_rq, se);
		sim_update_cfs_group(s, se);
		if (s->slices) {
			set_group_slice(s, se, slice);
			slice = cfs_rq_min_slice_idx(s, cfs_rq);
		}
		cfs_rq->h_nr_running++;
		if (cfs_rq->throttled)
			return;
	}
	rq_add_nr_running(s, rq, 1);
}

/* kernel: dequeue_entities: dequeue up the hierarchy while queues become
 * empty; a sleeping task makes its parent entity the next buddy.  A task
 * the policy keeps as delayed stays queued; a group entity kept delayed
 * stays in its parent's queue with no task below it. */
void sim_dequeue_entities(struct sim *s, struct rq *rq, struct sched_entity *se,
			  unsigned flags)
{
	unsigned delta =
		entity_is_task(se) ? 1 : group_cfs_rq(se)->h_nr_running;
	bool task_sleep = (flags & DEQ_SLEEP) && entity_is_task(se);
	bool is_task = entity_is_task(se);
	unsigned slice = SLICE_NONE;
	struct cfs_rq *cfs_rq;

	for (; se; se = parent_entity(se)) {
		cfs_rq = se->cfs_rq;
		if (!sim_dequeue_entity(s, cfs_rq, se, flags)) {
			if (is_task)
				return;
			/* kernel: the delayed group entity itself then takes
			 * the minimum of the queue it stays in */
			if (s->slices)
				slice = cfs_rq_min_slice_idx(s, cfs_rq);
			break;
		}
		is_task = false;
		cfs_rq->h_nr_running -= delta;
		if (cfs_rq->throttled)
			return;
		if (cfs_rq->load.weight) {
			if (s->slices)
				slice = cfs_rq_min_slice_idx(s, cfs_rq);
			se = parent_entity(se);
			if (task_sleep && se &&
			    !sim_throttled_hierarchy(cfs_rq))
				sim_set_next_buddy(se);
			break;
		}
		flags |= DEQ_SLEEP;
		flags &= ~(unsigned)(DEQ_DELAYED | DEQ_SPECIAL);
	}
	for (; se; se = parent_entity(se)) {
		cfs_rq = se->cfs_rq;
		update_load_avg(s, cfs_rq, se);
		sim_update_cfs_group(s, se);
		if (s->slices) {
			set_group_slice(s, se, slice);
			slice = cfs_rq_min_slice_idx(s, cfs_rq);
		}
		cfs_rq->h_nr_running -= delta;
		if (cfs_rq->throttled)
			return;
	}
	rq_add_nr_running(s, rq, -delta);
}

void sim_dequeue_task_fair(struct sim *s, struct rq *rq, struct task *p,
			   unsigned flags)
{
	sim_dequeue_entities(s, rq, &p->se, flags);
}

static void put_prev_entity(struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *prev)
{
	if (prev->on_rq)
		update_curr(s, cfs_rq);
	sim_check_cfs_rq_runtime(s, cfs_rq);
	if (prev->on_rq) {
		s->policy->enqueue_tree(s, cfs_rq, prev);
		update_load_avg(s, cfs_rq, prev);
	}
	cfs_rq->curr = NULL;
}

/* Below this many threads the tasks fit in a core's caches (4096 x 240
 * bytes: 1 MiB, the L2 of the machine tuned on), and prefetching the next
 * pick only costs: 4 ns a switch with 1 000 hogs. */
#define PREFETCH_MIN_TASKS 4096

/* A queue's leftmost is what it most likely picks next (with 10^6 hogs
 * 99.96% of the picks).  When the tasks do not fit in the caches, that
 * task's lines come from memory, and its pick waited for each of them in
 * turn; fetched now, they arrive while other queues run (with 8 groups on
 * 8 CPUs, about 64 switches pass before this queue picks again).  Called
 * once a switch, for the queue of the task picked, rather than from
 * set_next_entity, which then stays small enough to be inlined.  Forced
 * inline: GCC 12 drops calls to a function that only prefetches. */
static inline __attribute__((always_inline)) void
prefetch_next_pick(const struct sim *s, struct cfs_rq *cfs_rq)
{
	const struct sched_entity *se;
	uintptr_t off;
	const char *p;
	size_t i, id;

	if (s->ntasks < PREFETCH_MIN_TASKS) /* few tasks */
		return;
	se = sim_pick_first_entity(cfs_rq);
	off = (uintptr_t)se - (uintptr_t)&s->tasks[0].se;
	/* an empty queue, or a group entity next */
	if (off >= s->ntasks * sizeof(struct task))
		return;
	id = off / sizeof(struct task);
	p = (const char *)&s->tasks[id];
	for (i = 0; i < sizeof(struct task); i += SIM_CACHE_LINE)
		__builtin_prefetch(p + i);
	__builtin_prefetch(p + sizeof(struct task) - 1);
	__builtin_prefetch(&s->task_links[id]);
}

static void set_next_entity(struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *se)
{
	if (se->on_rq) {
		s->policy->dequeue_tree(cfs_rq, se);
		update_load_avg(s, cfs_rq, se);
	}
	se->exec_start = s->now;
	cfs_rq->curr = se;
	cfs_rq->curr_prev_sum_exec = se->sum_exec_runtime;
	s->policy->set_next(s, cfs_rq, se);
}

/* set_next_entity on every level from the root down to se */
static void set_next_path(struct sim *s, struct sched_entity *se)
{
	if (parent_entity(se))
		set_next_path(s, parent_entity(se));
	set_next_entity(s, se->cfs_rq, se);
}

static void put_prev_task_fair(struct sim *s, struct task *prev)
{
	struct sched_entity *se;

	for (se = &prev->se; se; se = parent_entity(se))
		put_prev_entity(s, se->cfs_rq, se);
}

/* kernel: pick_next_task_fair with CONFIG_FAIR_GROUP_SCHED: walk down from
 * the root picking at each level (considering each level's curr), then
 * put/set only the levels where prev and next differ.  A level found out of
 * runtime on the way throttles and restarts through the simple path. */
struct task *sim_pick_next_task_fair(struct sim *s, struct rq *rq,
				     struct task *prev)
{
	struct cfs_rq *cfs_rq;
	struct sched_entity *se, *pse;
	struct task *p;

again:
	cfs_rq = rq->cfs;
	if (!cfs_rq->nr_running)
		goto idle;
	if (!prev)
		goto simple;
	do {
		struct sched_entity *curr = cfs_rq->curr;

		if (curr) {
			if (curr->on_rq)
				update_curr(s, cfs_rq);
			else
				curr = NULL;
			if (sim_check_cfs_rq_runtime(s, cfs_rq)) {
				cfs_rq = rq->cfs;
				if (!cfs_rq->nr_running)
					goto idle;
				goto simple;
			}
		}
		se = s->policy->pick(s, cfs_rq, curr);
		if (se->sched_delayed) {
			sim_dequeue_entities(s, rq, se,
					     DEQ_SLEEP | DEQ_DELAYED);
			goto again;
		}
		cfs_rq = group_cfs_rq(se);
	} while (cfs_rq);
	p = task_of(se);
	if (prev != p) {
		pse = &prev->se;
		while (se->cfs_rq != pse->cfs_rq) {
			unsigned se_depth = se->depth;
			unsigned pse_depth = pse->depth;

			if (se_depth <= pse_depth) {
				put_prev_entity(s, pse->cfs_rq, pse);
				pse = parent_entity(pse);
			}
			if (se_depth >= pse_depth) {
				set_next_entity(s, se->cfs_rq, se);
				se = parent_entity(se);
			}
		}
		put_prev_entity(s, se->cfs_rq, pse);
		set_next_entity(s, se->cfs_rq, se);
	}
	goto done;
simple:
	if (prev) {
		put_prev_task_fair(s, prev);
		prev = NULL;
	}
simple_again:
	cfs_rq = rq->cfs;
	if (!cfs_rq->nr_running)
		goto idle;
	/* kernel: pick_task_fair, then set_next_task_fair: nothing is set
	 * until the walk reaches a task, so a delayed entity found on the
	 * way restarts from a clean state */
	do {
		se = s->policy->pick(s, cfs_rq, NULL);
		if (se->sched_delayed) {
			sim_dequeue_entities(s, rq, se,
					     DEQ_SLEEP | DEQ_DELAYED);
			goto simple_again;
		}
		cfs_rq = group_cfs_rq(se);
	} while (cfs_rq);
	p = task_of(se);
	set_next_path(s, se);
done:
	prefetch_next_pick(s, p->se.cfs_rq);
	/* most recently run first: balancing takes from the tail */
	task_list_del(s, (uint32_t)task_index(s, p));
	task_list_add_first(s, (uint32_t)task_index(s, p),
			    task_list_head(s, rq));
	return p;
idle:
	if (prev) {
		put_prev_task_fair(s, prev);
		prev = NULL;
	}
	return NULL;
}

void sim_task_tick_fair(struct sim *s, struct rq *rq)
{
	struct sched_entity *se;

	if (!rq->curr)
		return;
	for (se = &rq->curr->se; se; se = parent_entity(se)) {
		struct cfs_rq *cfs_rq = se->cfs_rq;

		update_curr(s, cfs_rq);
		update_load_avg(s, cfs_rq, se);
		sim_update_cfs_group(s, se);
		s->policy->tick(s, cfs_rq, se);
	}
	/* A busy host's tasks wait in the root queue beside the scenario's
	 * top-level entity, which has run for far longer than its slice:
	 * its update_curr asks for a resched at every tick (6.18: deadline
	 * passed; classic CFS: ideal runtime exceeded), and pick_next_task
	 * then picks again at every level.  Below the top, EEVDF protects
	 * curr's slice only while curr is eligible (__pick_eevdf), so a task
	 * that woke with little lag loses the CPU at the first tick after it
	 * passes the average, however little of its slice it used.  The
	 * host's tasks themselves run too rarely at that weight to count. */
	if (s->sc->kernel.busy_host)
		sim_resched_curr(s, rq);
}

void sim_find_matching_se(struct sched_entity **se, struct sched_entity **pse)
{
	while ((*se)->depth > (*pse)->depth)
		*se = parent_entity(*se);
	while ((*pse)->depth > (*se)->depth)
		*pse = parent_entity(*pse);
	while ((*se)->cfs_rq != (*pse)->cfs_rq) {
		*se = parent_entity(*se);
		*pse = parent_entity(*pse);
	}
}

void sim_check_preempt_wakeup(struct sim *s, struct rq *rq, struct task *p)
{
	if (!rq->curr) {
		sim_resched_curr(s, rq);
		return;
	}
	if (rq->curr == p)
		return;
	s->policy->wakeup_preempt(s, rq, p);
}
