/* Per-entity load tracking, as far as group shares and load balancing need
 * it: the load signal of every cfs_rq (its queued weight, decayed with
 * y^32 = 1/2 over 1024 µs periods), of every task (runnable or not), and
 * each group's tg->load_avg (kernel/sched/pelt.c, fair.c; docs/kernel-rules.md
 * §4.3).  All integer arithmetic, as the kernel does it. */
#include <assert.h>

#include "sim/pelt.h"
#include "sim/fair.h"

/* kernel: __accumulate_pelt_segments */
static uint32_t accumulate_segments(uint64_t periods, uint32_t d1, uint32_t d3)
{
	uint32_t c1 = (uint32_t)pelt_decay_load(d1, periods);
	uint32_t c2 = LOAD_AVG_MAX -
		      (uint32_t)pelt_decay_load(LOAD_AVG_MAX, periods) - 1024;

	return c1 + c2 + d3;
}

/* kernel: ___update_load_sum + accumulate_sum for the load signal only,
 * on the fields of a struct sched_avg or struct task_avg; true when a period
 * boundary was crossed (the average must be redone).  The callers come here
 * when 1024 ns or more passed since the last update (pelt_unchanged) or the
 * clock went back. */
static inline bool update_load_sum(uint64_t now, uint64_t *last_update_time,
				   uint64_t *load_sum, uint32_t *period_contrib,
				   uint64_t load)
{
	uint64_t delta = now - *last_update_time, periods;
	uint32_t contrib;

	if ((int64_t)delta < 0) {
		*last_update_time = now;
		return false;
	}
	delta >>= 10;
	if (!delta)
		return false;
	*last_update_time += delta << 10;

	contrib = (uint32_t)delta;
	delta += *period_contrib;
	periods = delta / 1024;
	if (periods) {
		*load_sum = pelt_decay_load(*load_sum, periods);
		delta %= 1024;
		if (load)
			contrib = accumulate_segments(periods,
						      1024 - *period_contrib,
						      (uint32_t)delta);
	}
	*period_contrib = (uint32_t)delta;
	if (load)
		*load_sum += load * contrib;
	return periods != 0;
}

static uint32_t pelt_divider(const struct sched_avg *sa)
{
	return PELT_MIN_DIVIDER + sa->period_contrib;
}

void pelt_update_cfs_rq_sum(struct sim *s, struct cfs_rq *cfs_rq)
{
	struct sched_avg *sa = &cfs_rq->avg;

	if (update_load_sum(s->now, &sa->last_update_time, &sa->load_sum,
			    &sa->period_contrib,
			    scale_load_down(cfs_rq->load.weight)))
		sa->load_avg = sa->load_sum / pelt_divider(sa);
}

/* kernel: the root cfs_rq's util_avg, with one difference: the kernel sums
 * its tasks' signals, so a task that moves takes its history along and a
 * new task starts at half the CPU's spare capacity; here the signal is the
 * CPU's own busy time, decayed the same way. */
void pelt_update_rq_util(struct sim *s, struct rq *rq, bool running)
{
	struct sched_avg *sa = &rq->util;

	if (pelt_unchanged(s, sa->last_update_time))
		return;
	if (update_load_sum(s->now, &sa->last_update_time, &sa->load_sum,
			    &sa->period_contrib, running ? SCHED_CAPACITY : 0))
		sa->load_avg = sa->load_sum / pelt_divider(sa);
}

/* See struct task_avg for why its 32-bit fields hold the signal. */
void pelt_update_task_sum(struct sim *s, struct sched_entity *se, bool runnable)
{
	struct task_avg *ta = &se->avg;
	uint64_t sum = ta->load_sum;

	if (update_load_sum(s->now, &ta->last_update_time, &sum,
			    &ta->period_contrib, runnable ? 1 : 0))
		ta->load_avg =
			(uint32_t)(scale_load_down(se->load.weight) * sum /
				   (PELT_MIN_DIVIDER + ta->period_contrib));
	assert(sum <= UINT32_MAX);
	ta->load_sum = (uint32_t)sum;
}

/* kernel: attach_entity_load_avg: the task's load joins the queue's */
void pelt_attach_task(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se)
{
	pelt_update_cfs_rq(s, cfs_rq);
	se->avg.last_update_time = cfs_rq->avg.last_update_time;
	se->avg.period_contrib = cfs_rq->avg.period_contrib;
	cfs_rq->avg.load_avg += se->avg.load_avg;
	cfs_rq->avg.load_sum +=
		(uint64_t)se->avg.load_avg * pelt_divider(&cfs_rq->avg);
	sim_update_tg_load_avg(s, cfs_rq);
}

/* kernel: detach_entity_load_avg */
void pelt_detach_task(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se)
{
	struct sched_avg *sa = &cfs_rq->avg;
	uint64_t sum = (uint64_t)se->avg.load_avg * pelt_divider(sa);

	pelt_update_cfs_rq(s, cfs_rq);
	pelt_update_task(s, se, se->on_rq);
	sa->load_avg = sa->load_avg > se->avg.load_avg ?
			       sa->load_avg - se->avg.load_avg :
			       0;
	sa->load_sum = sa->load_sum > sum ? sa->load_sum - sum : 0;
	if (sa->load_sum < sa->load_avg * PELT_MIN_DIVIDER)
		sa->load_sum = sa->load_avg * PELT_MIN_DIVIDER;
	sim_update_tg_load_avg(s, cfs_rq);
}

/* kernel: update_tg_load_avg: at most once per ms, and only when the
 * queue's average moved by more than 1/64 of what it contributed.  Whether
 * it updates depends on the clock and the load, which a branch predictor
 * guesses badly: the three fields are written with selects instead. */
void sim_update_tg_load_avg(struct sim *s, struct cfs_rq *cfs_rq)
{
	int64_t delta;
	uint64_t limit, last = cfs_rq->last_update_tg_load_avg;
	bool update;

	if (!cfs_rq->owner) /* the root's queue: no group to tell */
		return;
	delta = (int64_t)cfs_rq->avg.load_avg -
		(int64_t)cfs_rq->tg_load_avg_contrib;
	limit = cfs_rq->tg_load_avg_contrib / 64;
	update = (s->now - last >= NSEC_PER_MSEC || !last) &
		 ((uint64_t)(delta < 0 ? -delta : delta) > limit);
	cfs_rq->tg->load_avg += update ? (uint64_t)delta : 0;
	cfs_rq->tg_load_avg_contrib =
		update ? cfs_rq->avg.load_avg : cfs_rq->tg_load_avg_contrib;
	cfs_rq->last_update_tg_load_avg = update ? s->now : last;
}

/* kernel: calc_group_shares: shares * this CPU's load / the group's load
 * over all CPUs, with this CPU's fresh value; in [MIN_SHARES, shares] */
uint64_t sim_calc_group_shares(struct cfs_rq *cfs_rq)
{
	struct task_group *tg = cfs_rq->tg;
	uint64_t tg_shares = tg->shares;
	uint64_t load = scale_load_down(cfs_rq->load.weight);
	uint64_t tg_weight, shares;

	if (cfs_rq->avg.load_avg > load)
		load = cfs_rq->avg.load_avg;
	tg_weight = tg->load_avg - cfs_rq->tg_load_avg_contrib + load;
	shares = tg_shares * load;
	if (tg_weight)
		shares /= tg_weight;
	if (shares < SHARES_MIN) /* kernel: MIN_SHARES, unscaled */
		shares = SHARES_MIN;
	if (shares > tg_shares)
		shares = tg_shares;
	return shares;
}
