/* pelt.c: per-entity load tracking, the load signals balancing and group
 * shares read. */
#ifndef SIM_PELT_H
#define SIM_PELT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sched.h"

void pelt_update_cfs_rq_sum(struct sim *s, struct cfs_rq *cfs_rq);
void pelt_update_task_sum(struct sim *s, struct sched_entity *se,
			  bool runnable);

/* Less than one 1024 ns step since the last update (and not backwards):
 * PELT has nothing to do, which most calls find; tested inline. */
static inline bool pelt_unchanged(const struct sim *s,
				  uint64_t last_update_time)
{
	return s->now - last_update_time < 1024;
}

/* The load signal of a queue (its weight) and of a task (runnable). */
static inline void pelt_update_cfs_rq(struct sim *s, struct cfs_rq *cfs_rq)
{
	if (!pelt_unchanged(s, cfs_rq->avg.last_update_time))
		pelt_update_cfs_rq_sum(s, cfs_rq);
}

static inline void pelt_update_task(struct sim *s, struct sched_entity *se,
				    bool runnable)
{
	if (!pelt_unchanged(s, se->avg.last_update_time))
		pelt_update_task_sum(s, se, runnable);
}
/* Brings a CPU's utilisation signal to now; running tells whether a fair
 * task ran since its last update. */
void pelt_update_rq_util(struct sim *s, struct rq *rq, bool running);
void pelt_attach_task(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se);
void pelt_detach_task(struct sim *s, struct cfs_rq *cfs_rq,
		      struct sched_entity *se);
void sim_update_tg_load_avg(struct sim *s, struct cfs_rq *cfs_rq);
uint64_t sim_calc_group_shares(struct cfs_rq *cfs_rq);

#endif
