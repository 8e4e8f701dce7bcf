/* balance.c: CPU selection for new and woken tasks, and load
 * balancing. */
#ifndef SIM_BALANCE_H
#define SIM_BALANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sched.h"

/* CPU for a new (fork) or woken task. */
struct rq *sim_select_task_rq(struct sim *s, struct task *p, bool fork);
/* rq is about to go idle: try to pull a task; true if one was pulled. */
bool sim_newidle_balance(struct sim *s, struct rq *rq);
/* Periodic balance from the tick. */
void sim_periodic_balance(struct sim *s, struct rq *rq);
/* Moves a queued (not running) task to dst. */
void sim_migrate_task(struct sim *s, struct task *p, struct rq *dst);

#endif
