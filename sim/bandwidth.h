/* bandwidth.c: CFS bandwidth control (kernel: the bandwidth part of
 * fair.c): quota and period, runtime slices, throttling.  Mutual with
 * fair.c (sim/fair.h). */
#ifndef SIM_BANDWIDTH_H
#define SIM_BANDWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "sim/sched.h"

void bw_init(struct sim *s, struct task_group *tg, const struct group_spec *g);
void sim_account_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq,
				uint64_t delta);
bool sim_check_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq);
void sim_check_enqueue_throttle(struct sim *s, struct cfs_rq *cfs_rq);
void sim_return_cfs_rq_runtime(struct sim *s, struct cfs_rq *cfs_rq);
void bw_period_timer(struct sim *s, struct task_group *tg);
void bw_slack_timer(struct sim *s, struct task_group *tg);
/* Closes the last partial period of every group at the end of a run. */
void bw_finish(struct sim *s);

#endif
