/* What differs between classic CFS (policy_cfs.c) and EEVDF
 * (policy_eevdf.c): the hooks fair.c calls through sim.policy. */
#ifndef SIM_POLICY_H
#define SIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sched.h"

/* Scheduling policy: what differs between classic CFS and EEVDF. */
struct sched_policy {
	const char *name;
	void (*enqueue_tree)(struct sim *s, struct cfs_rq *cfs_rq,
			     struct sched_entity *se);
	void (*dequeue_tree)(struct cfs_rq *cfs_rq, struct sched_entity *se);
	/* choose among curr (if not NULL, on_rq) and the queued entities */
	struct sched_entity *(*pick)(struct sim *s, struct cfs_rq *cfs_rq,
				     struct sched_entity *curr);
	/* placement on enqueue: flags ENQ_* */
	void (*place)(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se, unsigned flags);
	/* after vruntime advanced in update_curr; true = resched wanted
	 * once bandwidth has been charged */
	bool (*update_curr)(struct sim *s, struct cfs_rq *cfs_rq,
			    struct sched_entity *curr);
	/* se moves from one CPU's queue to another's (not queued now) */
	void (*migrate)(struct cfs_rq *from, struct cfs_rq *to,
			struct sched_entity *se);
	/* se leaves its queue (flags DEQ_*): save what placement needs
	 * later; false = keep it queued as a delayed dequeue */
	bool (*dequeue)(struct sim *s, struct cfs_rq *cfs_rq,
			struct sched_entity *se, unsigned flags);
	/* a delayed entity is woken (or requeued) where it is */
	void (*requeue_delayed)(struct sim *s, struct cfs_rq *cfs_rq,
				struct sched_entity *se);
	/* se's weight changes (queued or not) */
	void (*reweight)(struct sim *s, struct cfs_rq *cfs_rq,
			 struct sched_entity *se, uint64_t weight);
	/* tick: may call resched */
	void (*tick)(struct sim *s, struct cfs_rq *cfs_rq,
		     struct sched_entity *curr);
	/* woken task p on rq whose curr is fair: may call resched */
	void (*wakeup_preempt)(struct sim *s, struct rq *rq, struct task *p);
	void (*set_next)(struct sim *s, struct cfs_rq *cfs_rq,
			 struct sched_entity *se);
	void (*update_min_vruntime)(struct cfs_rq *cfs_rq);
	/* se's lag in virtual time, positive when it is owed CPU (the
	 * timeline's picture): against min_vruntime under classic CFS,
	 * against V under EEVDF, the saved lag for an EEVDF entity that
	 * left its queue */
	int64_t (*lag)(const struct cfs_rq *cfs_rq,
		       const struct sched_entity *se);
};

extern const struct sched_policy policy_cfs;
extern const struct sched_policy policy_eevdf;
/* EEVDF: the queue's V, its weighted average vruntime (curr included) */
uint64_t eevdf_avg_vruntime(const struct cfs_rq *cfs_rq);

#endif
