/* The scheduler core: switching a CPU from one task to the next, and
 * what a switch means for a task's events, wait time and timeline (kernel:
 * core.c's __schedule).  It calls down into fair.c, balance.c and
 * timeline.c; nothing below calls it back. */
#include "sim/core.h"

#include "sim/balance.h"
#include "sim/evq.h"
#include "sim/fair.h"
#include "sim/lat.h"
#include "sim/pelt.h"
#include "sim/timeline.h"

/* The task switches in: its burst ends when its CPU time reaches work_end. */
static void arm_done(struct sim *s, struct task *p)
{
	uint64_t work_end = p->ev.key, left = 0;

	if (work_end == UINT64_MAX)
		return;
	if (work_end > p->se.sum_exec_runtime)
		left = work_end - p->se.sum_exec_runtime;
	evq_arm(&s->evq, &p->ev, EV_RUN_DONE, s->now + left);
}

void sim_task_switched_in(struct sim *s, struct task *p)
{
	if (p->waiting) {
		p->wait_clock += s->now;
		p->waiting = false;
	}
	if (s->run_start)
		s->run_start[task_index(s, p)] = s->now;
	if (s->lat)
		lat_switched_in(s, p);
	arm_done(s, p);
}

void sim_task_switched_out(struct sim *s, struct task *p, bool voluntary)
{
	if (ev_queued(&p->ev) && ev_kind(&p->ev) == EV_RUN_DONE) {
		uint64_t work_end = p->se.sum_exec_runtime - p->se.exec_start +
				    ev_time(&p->ev);

		evq_cancel(&s->evq, &p->ev);
		set_work_end(p, work_end);
	}
	p->nr_switches++;
	if (voluntary)
		p->nr_voluntary++;
	if (s->tl) {
		sim_tl_slice(s, p, s->now);
		sim_tl_vruntime(s, p);
	}
	if (p->state == TASK_RUNNABLE) {
		p->waiting = true;
		p->wait_clock -= s->now;
	}
}

void sim_schedule(struct sim *s, struct rq *rq)
{
	struct task *prev = rq->curr;
	struct task *next;

	if (rq->need_resched) {
		rq->need_resched = false;
		s->resched_mask &= ~(1ULL << rq->cpu);
	}
	next = sim_pick_next_task_fair(s, rq, prev);
	/* kernel: the fair class balances before the CPU goes idle, then
	 * picks again (prev has been put by then) */
	while (!next && sim_newidle_balance(s, rq))
		next = sim_pick_next_task_fair(s, rq, NULL);
	if (next == prev)
		return;
	if (prev)
		sim_task_switched_out(s, prev, prev->state != TASK_RUNNABLE);
	if (!prev != !next)
		pelt_update_rq_util(s, rq, prev);
	rq->curr = next;
	rq_update_idle(s, rq);
	if (next)
		sim_task_switched_in(s, next);
}
