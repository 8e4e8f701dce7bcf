/* core.c: the switch from one task to the next on a CPU. */
#ifndef SIM_CORE_H
#define SIM_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sched.h"

/* A task's work_end, the sum_exec_runtime at which its current RUN step
 * ends (UINT64_MAX: never), has no field of its own.  While the task is
 * not running its event is not queued, and the event's key holds work_end.
 * While it runs, its EV_RUN_DONE event is at the instant its CPU time
 * reaches work_end, and update_curr adds the same delta to sum_exec_runtime
 * and se.exec_start, so work_end = sum_exec_runtime - exec_start + that
 * instant; a running task without that event runs forever and its key
 * still holds UINT64_MAX. */
static inline void set_work_end(struct task *p, uint64_t work_end)
{
	p->ev.key = work_end; /* not queued: see above */
}

/* The task stopped running on its CPU (switch-out) / started. */
void sim_task_switched_out(struct sim *s, struct task *p, bool voluntary);
void sim_task_switched_in(struct sim *s, struct task *p);

/* Picks the next task for rq and switches to it (or to idle). */
void sim_schedule(struct sim *s, struct rq *rq);

#endif
