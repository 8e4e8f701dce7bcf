/* The optional timeline of a simulation (struct timeline of
 * model/results.h): run slices, vruntime samples and bandwidth periods. */
#include "sim/timeline.h"

#include <string.h>

#include "base/xalloc.h"
#include "sim/policy.h"

/* true (and the timeline marked full) when n entries are already kept */
static bool tl_full(struct sim *s, struct timeline *tl, size_t n)
{
	if (n < tl->max_entries)
		return false;
	if (!tl->full) {
		tl->full = true;
		tl->full_at_ns = s->now;
	}
	return true;
}

void sim_tl_slice(struct sim *s, struct task *p, uint64_t end)
{
	struct timeline *tl = s->tl;
	struct run_slice *sl;

	if (!tl || end <= s->run_start[task_index(s, p)] ||
	    tl_full(s, tl, tl->nslices))
		return;
	xgrow((void **)&tl->slices, &tl->cap_slices, tl->nslices + 1,
	      sizeof(*tl->slices));
	sl = &tl->slices[tl->nslices++];
	sl->task = task_index(s, p);
	sl->cpu = task_rq(p)->cpu;
	sl->start_ns = s->run_start[task_index(s, p)];
	sl->end_ns = end;
}

void sim_tl_vruntime(struct sim *s, struct task *p)
{
	struct timeline *tl = s->tl;
	struct vruntime_sample *v;
	struct sched_entity *top;
	int64_t vlag;

	if (!tl || tl_full(s, tl, tl->nvruntimes))
		return;
	xgrow((void **)&tl->vruntimes, &tl->cap_vruntimes, tl->nvruntimes + 1,
	      sizeof(*tl->vruntimes));
	v = &tl->vruntimes[tl->nvruntimes++];
	v->task = task_index(s, p);
	v->cpu = task_rq(p)->cpu;
	v->time_ns = s->now;
	v->vruntime_ns = (int64_t)(p->se.vruntime - p->se.cfs_rq->min_vruntime);
	for (top = &p->se; parent_entity(top); top = parent_entity(top))
		;
	v->top_group = top->group ? top->my_q->tg->index : SIZE_MAX;
	/* the lag in CPU time (docs/kernel-rules.md §3.3), not in virtual
	 * time: a light entity's vruntime swings by seconds.  An entity that
	 * just left its queue (slept, throttled) keeps the lag saved then. */
	vlag = s->policy->lag(top->cfs_rq, top);
	v->top_lag_ns =
		vlag * (int64_t)scale_load_down(top->load.weight) / 1024;
}

void sim_tl_period(struct sim *s, struct task_group *tg, bool throttled)
{
	struct cfs_bandwidth *b = &tg->bw;
	struct timeline *tl = s->tl;
	struct period_sample *ps;
	uint64_t thr = b->period_throttled;
	struct list_node *n;

	if (!tl || tl_full(s, tl, tl->nperiods))
		return;
	/* queues still throttled: their time so far belongs to this period */
	for (n = b->throttled_cfs_rq.next; n != &b->throttled_cfs_rq;
	     n = n->next) {
		struct cfs_rq *c =
			rb_container_of(n, struct cfs_rq, throttled_list);

		if (c->throttled_clock)
			thr += s->now - (c->throttled_clock > b->period_start ?
						 c->throttled_clock :
						 b->period_start);
	}
	xgrow((void **)&tl->periods, &tl->cap_periods, tl->nperiods + 1,
	      sizeof(*tl->periods));
	ps = &tl->periods[tl->nperiods++];
	memset(ps, 0, sizeof(*ps));
	ps->group = tg->index;
	ps->start_ns = b->period_start;
	ps->end_ns = s->now;
	ps->quota_ns = b->period_granted;
	ps->used_ns = tg->usage_ns - b->period_usage0;
	ps->throttled_ns = thr;
	ps->throttled = throttled;
}
