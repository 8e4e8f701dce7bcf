/* CFS bandwidth control (docs/kernel-rules.md §5): a global pool per limited
 * group refilled by a period timer on a fixed grid, per-CPU queues taking
 * 5 ms slices from it, charging at every update_curr (so at ticks and
 * switches), throttling when a queue runs dry, distribution of the refill to
 * throttled queues in throttle order (deficit + 1 ns each), slack return,
 * burst, and hierarchical limits (an ancestor's throttle stops the queues
 * below it; they see it as cpu.stat.local time).  The throttle model is the
 * one of kernels up to 6.17: the group entity leaves its parent's queue. */
#include "sim/bandwidth.h"
#include "sim/evq.h"
#include "sim/fair.h"
#include "sim/lat.h"
#include "sim/timeline.h"

#define MIN_CFS_RQ_RUNTIME	   NSEC_PER_MSEC /* kernel: min_cfs_rq_runtime */
#define MIN_BANDWIDTH_EXPIRATION   (2 * NSEC_PER_MSEC)
#define CFS_BANDWIDTH_SLACK_PERIOD (5 * NSEC_PER_MSEC)

/* kernel: __refill_cfs_bandwidth_runtime, with burst statistics; before
 * 5.4 the pool was reset to the quota and local runtime got an expiry */
static void refill_runtime(struct sim *s, struct cfs_bandwidth *b)
{
	int64_t over;

	if (!b->limited)
		return;
	if (s->slice_expiry) {
		b->runtime = (int64_t)b->quota;
		b->runtime_expires = s->now + b->period;
		b->expires_seq++;
		return;
	}
	b->runtime += (int64_t)b->quota;
	over = b->runtime_snap - b->runtime;
	if (over > 0) {
		b->burst_time += (uint64_t)over;
		b->nr_burst++;
	}
	if (b->runtime > (int64_t)(b->quota + b->burst))
		b->runtime = (int64_t)(b->quota + b->burst);
	b->runtime_snap = b->runtime;
}

/* The first instant of the group's period grid after now. */
static uint64_t next_boundary(const struct cfs_bandwidth *b, uint64_t now)
{
	uint64_t k;

	if (now < b->period_phase)
		return b->period_phase;
	k = (now - b->period_phase) / b->period + 1;
	return b->period_phase + k * b->period;
}

/* kernel: start_cfs_bandwidth: arm the period timer on the grid */
static void start_cfs_bandwidth(struct sim *s, struct task_group *tg)
{
	struct cfs_bandwidth *b = &tg->bw;

	if (b->period_active)
		return;
	b->period_active = true;
	if (b->sample_from_start) {
		b->sample_from_start = false;
	} else {
		b->period_start = s->now;
		b->period_granted = 0;
		b->period_throttled = 0;
		b->period_usage0 = tg->usage_ns;
	}
	evq_arm(&s->evq, &b->period_timer, EV_PERIOD, next_boundary(b, s->now));
}

void bw_init(struct sim *s, struct task_group *tg, const struct group_spec *g)
{
	struct cfs_bandwidth *b = &tg->bw;
	unsigned cpu;

	list_init(&b->throttled_cfs_rq);
	evq_event_init(&b->period_timer, EV_PERIOD);
	evq_event_init(&b->slack_timer, EV_SLACK);
	b->period = g->period_ns;
	if (!g->has_quota)
		return;
	s->bandwidth_used = true;
	b->limited = true;
	b->quota = g->quota_ns;
	b->burst = g->burst_ns;
	/* The run starts on a boundary of the first limited group, as the
	 * real backend aligns it; the others keep a phase of their own. */
	if (s->sc->kernel.bw_phase_set)
		b->period_phase = s->sc->kernel.bw_phase_ns % b->period;
	else if (!s->aligned_group)
		b->period_phase = 0;
	else
		b->period_phase = rng_range(&s->rng, 0, b->period - 1);
	s->aligned_group = true;
	/* The quota write, as the real run leaves it: the quotas are written
	 * at least two periods before the start and nothing in the groups
	 * runs meanwhile, so each period timer has seen a period without
	 * demand and stopped (an idle group counts no periods in the run),
	 * and its refills have filled the pool to quota + burst (burst <=
	 * quota, so two refills fill it).  The first runtime request
	 * restarts the timer on the group's grid.  Before 5.4 the pool only
	 * holds the quota and carries an expiry the restart does not
	 * extend here, so those kernels keep the timer running from 0. */
	refill_runtime(s, b);
	if (s->slice_expiry) {
		start_cfs_bandwidth(s, tg);
	} else {
		refill_runtime(s, b);
		b->nr_burst = 0;
		b->burst_time = 0;
		b->idle = true;
		b->sample_from_start = true;
	}
	/* 1 ns on every CPU */
	for (cpu = 0; cpu < s->ncpus; cpu++) {
		tg->cfs_rq[cpu].runtime_enabled = true;
		tg->cfs_rq[cpu].runtime_remaining = 1;
	}
}

/* kernel: __assign_cfs_rq_runtime: bring runtime_remaining up to target
 * from the pool, as far as the pool allows */
static bool assign_runtime(struct sim *s, struct cfs_rq *cfs_rq, int64_t target)
{
	struct task_group *tg = cfs_rq->tg;
	struct cfs_bandwidth *b = &tg->bw;
	int64_t min_amount = target - cfs_rq->runtime_remaining;
	int64_t amount = 0;

	start_cfs_bandwidth(s, tg);
	if (b->runtime > 0) {
		amount = b->runtime < min_amount ? b->runtime : min_amount;
		b->runtime -= amount;
		b->idle = false;
		b->period_granted += (uint64_t)amount;
	}
	cfs_rq->runtime_remaining += amount;
	if (s->slice_expiry &&
	    (int64_t)(b->runtime_expires - cfs_rq->runtime_expires) > 0) {
		cfs_rq->runtime_expires = b->runtime_expires;
		cfs_rq->expires_seq = b->expires_seq;
	}
	return cfs_rq->runtime_remaining > 0;
}

/* kernel (4.18 - 5.3): expire_cfs_rq_runtime: local runtime granted in an
 * earlier period is lost (a late clock only extends it by a tick) */
static void expire_runtime(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct cfs_bandwidth *b = &cfs_rq->tg->bw;

	if ((int64_t)(s->now - cfs_rq->runtime_expires) < 0 ||
	    cfs_rq->runtime_remaining < 0)
		return;
	if (cfs_rq->expires_seq == b->expires_seq)
		cfs_rq->runtime_expires += s->tick_ns;
	else
		cfs_rq->runtime_remaining = 0;
}

void sim_account_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq,
				uint64_t delta)
{
	if (!cfs_rq->runtime_enabled)
		return;
	cfs_rq->runtime_remaining -= (int64_t)delta;
	if (s->slice_expiry)
		expire_runtime(s, cfs_rq);
	if (cfs_rq->runtime_remaining > 0 || cfs_rq->throttled)
		return;
	if (!assign_runtime(s, cfs_rq, (int64_t)s->bw_slice) && cfs_rq->curr)
		sim_resched_curr(s, cfs_rq->rq);
}

/* Every queue of the subtree of cfs_rq's group on the same CPU, in
 * pre-order (cfs_rq's own first). */
static void walk_subtree(struct sim *s, struct cfs_rq *cfs_rq,
			 void (*fn)(struct sim *, struct cfs_rq *))
{
	struct task_group *top = cfs_rq->tg;
	unsigned cpu = cfs_rq->rq->cpu;
	size_t i;

	fn(s, cfs_rq);
	for (i = 0; i < top->nbelow; i++)
		fn(s, &s->groups[top->below[i]].cfs_rq[cpu]);
}

static void tg_throttle_down(struct sim *s, struct cfs_rq *cfs_rq)
{
	if (!cfs_rq->throttle_count && !cfs_rq->throttled_clock_self &&
	    cfs_rq->nr_running)
		cfs_rq->throttled_clock_self = s->now;
	if (!cfs_rq->throttle_count && s->lat)
		lat_throttle_change(s, cfs_rq, true);
	cfs_rq->throttle_count++;
}

static void tg_unthrottle_up(struct sim *s, struct cfs_rq *cfs_rq)
{
	cfs_rq->throttle_count--;
	if (!cfs_rq->throttle_count && s->lat)
		lat_throttle_change(s, cfs_rq, false);
	if (!cfs_rq->throttle_count && cfs_rq->throttled_clock_self) {
		uint64_t d = s->now - cfs_rq->throttled_clock_self;

		cfs_rq->throttled_clock_self_time += d;
		cfs_rq->tg->throttled_local_ns += d;
		cfs_rq->throttled_clock_self = 0;
	}
}

/* kernel: throttle_cfs_rq (<= 6.17): one last try for 1 ns, then join the
 * throttled list and take the group entity off its parent's queue */
/* 6.18's task-based throttle keeps the group queued: each task queued
 * below the throttled queue on its CPU is still picked once, and parks
 * itself on its way back to user space microseconds later.  At the
 * simulator's granularity that is the group-dequeue model plus one more
 * involuntary switch for each of them.  A running task that ran out is
 * switched out as before, and when others are queued beside it they are
 * picked first (it has just had its turn), so it is picked and parked
 * later too: one more switch for it.  Alone, it is picked again at once
 * and parks without another switch.  Tasks below a queue that was
 * already throttled were parked then. */
/* A walk over what is queued below a throttling queue. */
struct park {
	const struct task *curr; /* the CPU's running task */
	unsigned parked;	 /* tasks given their parking switch */
	bool curr_below;	 /* curr was met, runnable */
};

static void park_below(struct cfs_rq *q, struct park *pk);

/* One more switch for se if it is a runnable task other than curr, or for
 * each one below it if it is a group entity whose queue was not throttled
 * before. */
static void park_entity(struct sched_entity *se, struct park *pk)
{
	struct task *p;

	if (se->group) {
		if (!se->my_q->throttled)
			park_below(se->my_q, pk);
		return;
	}
	p = task_of(se);
	if (p == pk->curr) {
		pk->curr_below = p->state == TASK_RUNNABLE;
		return;
	}
	if (p->state != TASK_RUNNABLE || se->sched_delayed)
		return;
	p->nr_switches++;
	pk->parked++;
}

/* park_entity on everything queued on q: its curr (out of the tree) and
 * the tree */
static void park_below(struct cfs_rq *q, struct park *pk)
{
	struct rb_node *n;

	if (q->curr && q->curr->on_rq)
		park_entity(q->curr, pk);
	if (q->small) {
		unsigned i;

		for (i = 0; i < q->sq.n; i++)
			park_entity(q->sq.e[i].se, pk);
		return;
	}
	for (n = rb_first_cached(&q->tasks_timeline); n; n = rb_next(n))
		park_entity(rb_entry(n, struct sched_entity, run_node), pk);
}

static void park_queued_tasks(struct cfs_rq *cfs_rq)
{
	struct park pk = {cfs_rq->rq->curr, 0, false};

	park_below(cfs_rq, &pk);
	if (pk.parked && pk.curr_below)
		cfs_rq->rq->curr->nr_switches++;
}

static bool throttle_cfs_rq(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct task_group *tg = cfs_rq->tg;
	struct rq *rq = cfs_rq->rq;
	struct sched_entity *se;
	unsigned task_delta;

	if (assign_runtime(s, cfs_rq, 1))
		return false;
	list_add_tail(&cfs_rq->throttled_list, &tg->bw.throttled_cfs_rq);
	if (s->task_throttle)
		park_queued_tasks(cfs_rq);
	walk_subtree(s, cfs_rq, tg_throttle_down);
	task_delta = cfs_rq->h_nr_running;
	se = &tg->se[rq->cpu];
	for (; se; se = parent_entity(se)) {
		struct cfs_rq *q = se->cfs_rq;

		if (!se->on_rq)
			goto done;
		sim_dequeue_entity(s, q, se, DEQ_SLEEP | DEQ_SPECIAL);
		q->h_nr_running -= task_delta;
		if (q->load.weight) {
			se = parent_entity(se);
			break;
		}
	}
	for (; se; se = parent_entity(se)) {
		struct cfs_rq *q = se->cfs_rq;

		if (!se->on_rq)
			goto done;
		sim_update_cfs_group(s, se);
		sim_sync_group_slice(s, se);
		q->h_nr_running -= task_delta;
	}
	rq_add_nr_running(s, rq, -task_delta);
done:
	cfs_rq->throttled = true;
	if (cfs_rq->nr_running)
		cfs_rq->throttled_clock = s->now;
	return true;
}

/* kernel: unthrottle_cfs_rq: account the throttled time, put the group
 * entity back (as a wakeup) and kick the CPU if it was idle */
static void unthrottle_cfs_rq(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct task_group *tg = cfs_rq->tg;
	struct rq *rq = cfs_rq->rq;
	struct sched_entity *se = &tg->se[rq->cpu];
	unsigned task_delta;

	cfs_rq->throttled = false;
	if (cfs_rq->throttled_clock) {
		uint64_t d = s->now - cfs_rq->throttled_clock;

		tg->bw.throttled_time += d;
		tg->bw.period_throttled +=
			s->now -
			(cfs_rq->throttled_clock > tg->bw.period_start ?
				 cfs_rq->throttled_clock :
				 tg->bw.period_start);
		cfs_rq->throttled_clock = 0;
	}
	list_del(&cfs_rq->throttled_list);
	walk_subtree(s, cfs_rq, tg_unthrottle_up);
	if (!cfs_rq->load.weight)
		goto out;
	task_delta = cfs_rq->h_nr_running;
	for (; se; se = parent_entity(se)) {
		struct cfs_rq *q = se->cfs_rq;

		if (se->on_rq)
			break;
		sim_sync_group_slice(s, se);
		sim_enqueue_entity(s, q, se, ENQ_WAKEUP);
		q->h_nr_running += task_delta;
		if (q->throttled)
			goto out;
	}
	for (; se; se = parent_entity(se)) {
		struct cfs_rq *q = se->cfs_rq;

		sim_update_cfs_group(s, se);
		sim_sync_group_slice(s, se);
		q->h_nr_running += task_delta;
		if (q->throttled)
			goto out;
	}
	rq_add_nr_running(s, rq, task_delta);
out:
	if (!rq->curr && rq->cfs->nr_running)
		sim_resched_curr(s, rq);
}

bool sim_check_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq)
{
	if (!cfs_rq->runtime_enabled || cfs_rq->runtime_remaining > 0)
		return false;
	if (cfs_rq->throttled)
		return true;
	return throttle_cfs_rq(s, cfs_rq);
}

/* kernel: check_enqueue_throttle: the first entity queued on an idle,
 * limited queue that has no runtime left throttles it at once */
void sim_check_enqueue_throttle(struct sim *s, struct cfs_rq *cfs_rq)
{
	if (!cfs_rq->runtime_enabled || cfs_rq->curr || cfs_rq->throttled)
		return;
	sim_account_cfs_rq_runtime(s, cfs_rq, 0);
	if (cfs_rq->runtime_remaining <= 0)
		throttle_cfs_rq(s, cfs_rq);
}

/* kernel: runtime_refresh_within: the period timer fires within min */
static bool runtime_refresh_within(struct cfs_bandwidth *b, uint64_t now,
				   uint64_t min)
{
	if (!ev_queued(&b->period_timer))
		return true;
	return ev_time(&b->period_timer) - now < min;
}

/* kernel: return_cfs_rq_runtime: an emptied queue keeps 1 ms and gives the
 * rest back; a pool worth distributing wakes the slack timer */
void sim_return_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct task_group *tg = cfs_rq->tg;
	struct cfs_bandwidth *b = &tg->bw;
	int64_t slack;

	if (!cfs_rq->runtime_enabled || cfs_rq->nr_running)
		return;
	slack = cfs_rq->runtime_remaining - (int64_t)MIN_CFS_RQ_RUNTIME;
	if (slack <= 0)
		return;
	/* before 5.4 only runtime of the current period goes back */
	if (b->limited && (!s->slice_expiry ||
			   cfs_rq->runtime_expires == b->runtime_expires)) {
		b->runtime += slack;
		b->period_granted -= (uint64_t)slack < b->period_granted ?
					     (uint64_t)slack :
					     b->period_granted;
		if (b->runtime > (int64_t)s->bw_slice &&
		    !list_empty(&b->throttled_cfs_rq) &&
		    !runtime_refresh_within(b, s->now,
					    CFS_BANDWIDTH_SLACK_PERIOD +
						    MIN_BANDWIDTH_EXPIRATION) &&
		    !b->slack_started) {
			b->slack_started = true;
			evq_arm(&s->evq, &b->slack_timer, EV_SLACK,
				s->now + CFS_BANDWIDTH_SLACK_PERIOD);
		}
	}
	cfs_rq->runtime_remaining -= slack;
}

/* kernel: distribute_cfs_runtime: in throttle order, give each throttled
 * queue its deficit + 1 ns while the pool lasts; those that come out
 * positive are unthrottled.  Returns whether some queue stays throttled. */
static bool distribute_runtime(struct sim *s, struct task_group *tg)
{
	struct cfs_bandwidth *b = &tg->bw;
	struct list_node *n, *next;
	struct cfs_rq *ready[SIM_MAX_CPUS];
	unsigned nready = 0, i;

	for (n = b->throttled_cfs_rq.next; n != &b->throttled_cfs_rq;
	     n = next) {
		struct cfs_rq *cfs_rq =
			rb_container_of(n, struct cfs_rq, throttled_list);
		int64_t runtime;

		next = n->next;
		if (b->runtime <= 0)
			break;
		runtime = -cfs_rq->runtime_remaining + 1;
		if (runtime > b->runtime)
			runtime = b->runtime;
		b->runtime -= runtime;
		b->period_granted += (uint64_t)runtime;
		cfs_rq->runtime_remaining += runtime;
		if (s->slice_expiry) {
			cfs_rq->runtime_expires = b->runtime_expires;
			cfs_rq->expires_seq = b->expires_seq;
		}
		if (cfs_rq->runtime_remaining > 0)
			ready[nready++] = cfs_rq;
	}
	for (i = 0; i < nready; i++)
		unthrottle_cfs_rq(s, ready[i]);
	return !list_empty(&b->throttled_cfs_rq);
}

/* kernel: sched_cfs_period_timer / do_sched_cfs_period_timer */
void bw_period_timer(struct sim *s, struct task_group *tg)
{
	struct cfs_bandwidth *b = &tg->bw;
	bool throttled = !list_empty(&b->throttled_cfs_rq);

	b->nr_periods++;
	sim_tl_period(s, tg, throttled);
	refill_runtime(s, b);
	b->period_start = s->now;
	b->period_granted = 0;
	b->period_throttled = 0;
	b->period_usage0 = tg->usage_ns;
	if (b->idle && !throttled) {
		b->period_active = false;
		return;
	}
	evq_arm(&s->evq, &b->period_timer, EV_PERIOD, s->now + b->period);
	if (!throttled) {
		b->idle = true;
		return;
	}
	b->nr_throttled++;
	while (throttled && b->runtime > 0)
		throttled = distribute_runtime(s, tg);
	b->idle = false;
}

/* kernel: do_sched_cfs_slack_timer */
void bw_slack_timer(struct sim *s, struct task_group *tg)
{
	struct cfs_bandwidth *b = &tg->bw;

	b->slack_started = false;
	if (runtime_refresh_within(b, s->now, MIN_BANDWIDTH_EXPIRATION))
		return;
	if (b->runtime > (int64_t)s->bw_slice)
		distribute_runtime(s, tg);
}

void bw_finish(struct sim *s)
{
	size_t i;

	for (i = 1; i <= s->ngroups; i++) {
		struct task_group *tg = &s->groups[i];

		if (tg->bw.limited && tg->bw.period_active &&
		    tg->bw.period_start < s->now)
			sim_tl_period(s, tg, false);
	}
}
