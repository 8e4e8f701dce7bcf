/* fair.c: the class machinery shared by the policies (kernel: fair.c).
 * fair.c and bandwidth.c call each other, as fair.c and the bandwidth half
 * of the kernel's fair.c do: throttling dequeues and enqueues entities,
 * and charging runtime happens in update_curr.  That pair is the one
 * mutual dependency of sim/. */
#ifndef SIM_FAIR_H
#define SIM_FAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/policy.h"
#include "sim/sched.h"

/* ---- custom slices (kernel: se->slice, cfs_rq_min_slice) ---- */
#define SLICE_NONE 0xff /* no index: an empty queue (the kernel's ~0ULL) */

/* index of se->slice in sim.slices; only with custom slices */
static inline unsigned entity_slice_idx(const struct sim *s,
					const struct sched_entity *se)
{
	if (se->group)
		return se->my_q->owner_slice;
	return s->spec_slice[((const struct task *)((const char *)se -
						    offsetof(struct task, se)))
				     ->spec];
}

/* kernel: se->slice: the base slice, a task's sched_runtime, or for a
 * group entity the shortest slice queued below it */
static inline uint64_t entity_slice(const struct sim *s,
				    const struct sched_entity *se)
{
	if (!s->slices)
		return s->base_slice;
	return s->slices[entity_slice_idx(s, se)];
}

/* the slice counters of cfs_rq (only with custom slices) */
static inline uint32_t *cfs_rq_slice_count(const struct sim *s,
					   const struct cfs_rq *cfs_rq)
{
	return cfs_rq->tg->slice_count + (size_t)cfs_rq->rq->cpu * s->nslices;
}

/* kernel: cfs_rq_min_slice as an index, SLICE_NONE for an empty queue */
unsigned cfs_rq_min_slice_idx(const struct sim *s, const struct cfs_rq *cfs_rq);
uint64_t cfs_rq_min_custom_slice(const struct sim *s,
				 const struct cfs_rq *cfs_rq);

/* kernel: cfs_rq_min_slice: the shortest slice queued (curr included),
 * UINT64_MAX for an empty queue */
static inline uint64_t cfs_rq_min_slice(const struct sim *s,
					const struct cfs_rq *cfs_rq)
{
	if (!s->slices)
		return cfs_rq->nr_running ? s->base_slice : UINT64_MAX;
	return cfs_rq_min_custom_slice(s, cfs_rq);
}
/* a group entity's slice becomes the shortest queued below it, as the
 * kernel's enqueue and dequeue walks set it (throttling, in 6.18, moves
 * tasks through those walks) */
void sim_sync_group_slice(struct sim *s, struct sched_entity *se);

static inline bool vruntime_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

void sim_resched_curr(struct sim *s, struct rq *rq);
/* update_curr once it knows that curr ran since exec_start */
void sim_update_curr_charge(struct sim *s, struct cfs_rq *cfs_rq);

/* kernel: update_curr: charge curr (if any) for the time since exec_start;
 * most calls find nothing to do and stop here, inline */
static inline void update_curr(struct sim *s, struct cfs_rq *cfs_rq)
{
	const struct sched_entity *curr = cfs_rq->curr;

	if (curr && (int64_t)(s->now - curr->exec_start) > 0)
		sim_update_curr_charge(s, cfs_rq);
}
void sim_update_min_vruntime_cfs(struct cfs_rq *cfs_rq);
struct sched_entity *sim_pick_first_entity(struct cfs_rq *cfs_rq);
void sim_enqueue_task_fair(struct sim *s, struct rq *rq, struct task *p,
			   unsigned flags);
void sim_dequeue_task_fair(struct sim *s, struct rq *rq, struct task *p,
			   unsigned flags);
void sim_enqueue_entity(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags);
/* false when the policy kept se queued as a delayed dequeue */
bool sim_dequeue_entity(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags);
/* Dequeues se (a task, or a delayed group entity) and the ancestors that
 * become empty. */
void sim_dequeue_entities(struct sim *s, struct rq *rq, struct sched_entity *se,
			  unsigned flags);
/* kernel: pick_next_task_fair: the task rq runs next (prev, the task
 * that ran, is put), NULL when nothing is runnable. */
struct task *sim_pick_next_task_fair(struct sim *s, struct rq *rq,
				     struct task *prev);
void sim_task_tick_fair(struct sim *s, struct rq *rq);
void sim_check_preempt_wakeup(struct sim *s, struct rq *rq, struct task *p);
/* kernel: find_matching_se: walks se and pse up to the ancestors that are
 * siblings on one queue (the level where a wakeup is judged) */
void sim_find_matching_se(struct sched_entity **se, struct sched_entity **pse);
bool sim_throttled_hierarchy(const struct cfs_rq *cfs_rq);
void sim_update_cfs_group(struct sim *s, struct sched_entity *se);
void sim_set_next_buddy(struct sched_entity *se);
void sim_set_last_buddy(struct sched_entity *se);
void sim_clear_buddies(struct cfs_rq *cfs_rq, struct sched_entity *se);
/* Charge a running task's time to its group and ancestors (cpuacct). */
void sim_account_task_time(struct sim *s, struct task *p, uint64_t delta);

#endif
