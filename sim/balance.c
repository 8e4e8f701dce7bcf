/* Task placement and load balancing between CPUs, at the level of detail
 * docs/kernel-rules.md §7.5 recommends: new and woken tasks go to an idle
 * allowed CPU if there is one (a woken task prefers its previous CPU); a
 * CPU about to idle pulls a queued task from the busiest CPU; the tick runs
 * a periodic balance every balance interval (28 ms busy, 4 ms idle on 2
 * CPUs at HZ 250) that evens out task counts and, when counts differ by
 * one, moves load that exceeds the 117 % imbalance threshold, relaxing the
 * size limit after failed attempts so tasks rotate as in the kernel. */
#include "sim/balance.h"
#include "sim/fair.h"
#include "sim/lat.h"
#include "sim/pelt.h"

static bool cpu_allowed(const struct task *p, unsigned cpu)
{
	return (task_tg(p)->cpus_mask >> cpu) & 1;
}

static bool rq_idle(const struct rq *rq)
{
	return !rq->curr && !rq->nr_running;
}

static uint64_t cpu_load(const struct rq *rq)
{
	uint64_t w = scale_load_down(rq->cfs->load.weight);

	return rq->cfs->avg.load_avg > w ? rq->cfs->avg.load_avg : w;
}

struct rq *sim_select_task_rq(struct sim *s, struct task *p, bool fork)
{
	unsigned prev = task_rq(p)->cpu;
	unsigned cpu, best = s->ncpus;
	uint64_t allowed, idle;

	if (fork) {
		/* slow path: the idlest allowed CPU (fewest tasks, then
		 * least load, then lowest number) */
		for (cpu = 0; cpu < s->ncpus; cpu++) {
			struct rq *rq = &s->rqs[cpu];

			if (!cpu_allowed(p, cpu))
				continue;
			if (best == s->ncpus ||
			    rq->nr_running < s->rqs[best].nr_running ||
			    (rq->nr_running == s->rqs[best].nr_running &&
			     cpu_load(rq) < cpu_load(&s->rqs[best])))
				best = cpu;
		}
		return &s->rqs[best];
	}
	/* the first idle allowed CPU of prev, prev + 1, ..., ncpus - 1, 0,
	 * ..., prev - 1 (sim.idle_mask has no bit at or above ncpus) */
	allowed = task_tg(p)->cpus_mask;
	idle = s->idle_mask & allowed;
	if (idle) {
		uint64_t after = idle & ~((2ULL << prev) - 1);

		if ((idle >> prev) & 1)
			return &s->rqs[prev];
		return &s->rqs[__builtin_ctzll(after ? after : idle)];
	}
	if ((allowed >> prev) & 1)
		return &s->rqs[prev];
	for (cpu = 0; cpu < s->ncpus; cpu++)
		if (cpu_allowed(p, cpu))
			return &s->rqs[cpu];
	return &s->rqs[prev];
}

void sim_migrate_task(struct sim *s, struct task *p, struct rq *dst)
{
	struct rq *src = task_rq(p);
	struct task_group *tg = task_tg(p);
	struct cfs_rq *from = &tg->cfs_rq[src->cpu];
	struct cfs_rq *to = &tg->cfs_rq[dst->cpu];

	if (s->lat)
		lat_migrate(s, p, to);
	sim_dequeue_task_fair(s, src, p, 0);
	pelt_detach_task(s, from, &p->se);
	s->policy->migrate(from, to, &p->se);
	p->se.cfs_rq = to;
	pelt_attach_task(s, to, &p->se);
	sim_enqueue_task_fair(s, dst, p, ENQ_MIGRATED);
	sim_check_preempt_wakeup(s, dst, p);
}

/* The task's share of its CPU's load, through the group hierarchy. */
static uint64_t task_h_load(const struct task *p)
{
	uint64_t load = p->se.avg.load_avg;
	const struct sched_entity *se;

	for (se = parent_entity(&p->se); se; se = parent_entity(se)) {
		uint64_t qw = scale_load_down(group_cfs_rq(se)->load.weight);

		load = load * scale_load_down(se->load.weight) / (qw ? qw : 1);
	}
	return load;
}

/* kernel: can_migrate_task, the parts that matter here, except task_hot.
 * No task moves from or to a throttled hierarchy (throttled_lb_pair up to
 * 6.17; from 6.18 a throttled queue's tasks park off the runqueue, and
 * lb_throttled_hierarchy keeps tasks out of a throttled destination). */
static bool can_migrate(const struct task *p, const struct rq *dst)
{
	if (!cpu_allowed(p, dst->cpu) || task_rq(p)->curr == p ||
	    p->state != TASK_RUNNABLE || p->se.sched_delayed)
		return false;
	if (sim_throttled_hierarchy(p->se.cfs_rq) ||
	    sim_throttled_hierarchy(&task_tg(p)->cfs_rq[dst->cpu]))
		return false;
	return true;
}

/* kernel: task_hot: se.exec_start is when it last ran (update_curr brings
 * it to the switch-out instant) */
static bool task_hot(const struct sim *s, const struct task *p)
{
	return s->now - p->se.exec_start < s->migration_cost;
}

/* Pulls one task from src to dst, the least recently run of the 32 least
 * recently run that can move, whose load is at most max_load (0 = any) and
 * that is not cache hot unless hot_ok; then, if hot_retry, the first one
 * refused only for being hot: the task a second walk with hot_ok would
 * take, found in the same walk.  True if one moved. */
static bool pull_one(struct sim *s, struct rq *src, struct rq *dst,
		     uint64_t max_load, bool hot_ok, bool hot_retry)
{
	uint32_t head = task_list_head(s, src), id;
	struct task *hot = NULL;
	unsigned loops = 0;

	for (id = s->task_links[head].prev; id != head && loops < 32;
	     id = s->task_links[id].prev, loops++) {
		struct task *p = &s->tasks[id];

		if (!can_migrate(p, dst))
			continue;
		if (max_load && task_h_load(p) > max_load)
			continue;
		if (!hot_ok && task_hot(s, p)) {
			if (hot_retry && !hot)
				hot = p;
			continue;
		}
		sim_migrate_task(s, p, dst);
		return true;
	}
	if (hot) {
		sim_migrate_task(s, hot, dst);
		return true;
	}
	return false;
}

/* The CPU other than dst with the most tasks, then the most load, then the
 * lowest number, among those with at least two tasks (NULL if none): a
 * CPU with fewer has nothing to give. */
static struct rq *busiest_rq(struct sim *s, struct rq *dst)
{
	uint64_t m = s->overload_mask & ~(1ULL << dst->cpu);
	struct rq *busiest = NULL;

	for (; m; m &= m - 1) {
		struct rq *rq = &s->rqs[__builtin_ctzll(m)];

		if (!busiest || rq->nr_running > busiest->nr_running ||
		    (rq->nr_running == busiest->nr_running &&
		     cpu_load(rq) > cpu_load(busiest)))
			busiest = rq;
	}
	return busiest;
}

/* kernel: group_classify of a one-CPU group with one task or none: it has
 * spare capacity unless its utilisation is above 100/117 of the CPU's
 * (group_has_capacity; a lone task's runnable signal never tips it).
 * A busy CPU that has spare capacity balances by task counts only
 * (calculate_imbalance, local group_has_spare: half the difference, so
 * nothing for a difference of one), and from 6.6 not at all:
 * sibling_imbalance gives a CPU that is not idle no imbalance.  So a
 * group throttled for part of every period, whose tasks no idle CPU may
 * pull (can_migrate), keeps an uneven split of its threads. */
static bool has_spare(struct sim *s, struct rq *rq)
{
	if (rq->nr_running > 1)
		return false;
	pelt_update_rq_util(s, rq, rq->curr != NULL);
	return rq->util.load_avg * 117 < SCHED_CAPACITY * 100;
}

bool sim_newidle_balance(struct sim *s, struct rq *rq)
{
	struct rq *src = busiest_rq(s, rq);

	if (!src)
		return false;
	return pull_one(s, src, rq, 0, false, true);
}

void sim_periodic_balance(struct sim *s, struct rq *rq)
{
	struct rq *src;
	bool idle = rq_idle(rq);
	uint64_t local, busiest, imbalance;

	if (s->now < rq->next_balance)
		return;
	rq->next_balance =
		s->now + (idle ? s->balance_idle_ns : s->balance_busy_ns);
	src = busiest_rq(s, rq);
	if (!src)
		return;
	if (!idle && s->lb_group_types && has_spare(s, rq) &&
	    (s->busy_spare_no_pull || src->nr_running < rq->nr_running + 2))
		return;
	if (src->nr_running >= rq->nr_running + 2) {
		/* spare capacity or a count imbalance: move a task */
		if (pull_one(s, src, rq, 0, rq->nr_balance_failed > 1, true))
			rq->nr_balance_failed = 0;
		else
			rq->nr_balance_failed++;
		return;
	}
	if (src->nr_running != rq->nr_running + 1)
		return;
	local = cpu_load(rq);
	busiest = cpu_load(src);
	if (busiest * 100 <= local * 117)
		return;
	/* migrate load: half the difference, relaxed by failed attempts */
	imbalance = (busiest - local) / 2;
	if (rq->nr_balance_failed < 63)
		imbalance <<= rq->nr_balance_failed;
	if (pull_one(s, src, rq, imbalance ? imbalance : 1,
		     rq->nr_balance_failed > 1, false))
		rq->nr_balance_failed = 0;
	else
		rq->nr_balance_failed++;
}
