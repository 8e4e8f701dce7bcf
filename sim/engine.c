/* The event loop: builds the CPUs, task groups and tasks of a scenario,
 * then processes events in (time, seq) order — per-CPU ticks, task starts
 * and wake-ups, completion of a task's CPU burst, bandwidth period and
 * slack timers — rescheduling the CPUs an event asked to reschedule, until
 * the scenario's duration; then fills the results. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/sim.h"
#include "sim/balance.h"
#include "sim/bandwidth.h"
#include "sim/core.h"
#include "sim/evq.h"
#include "sim/fair.h"
#include "sim/lat.h"
#include "sim/pelt.h"
#include "sim/policy.h"
#include "sim/sched.h"
#include "sim/timeline.h"
#include "base/xalloc.h"
#include "model/kernel.h"

void sim_tunables(const struct scenario *sc, struct sim_tunables *t)
{
	const struct kernel_spec *k = &sc->kernel;
	unsigned online = k->online_cpus ? k->online_cpus : sc->cpus;
	unsigned hz = k->hz ? k->hz : 250;
	uint64_t jiffy, busy_j, idle_j, max_j;

	if (!online)
		online = 1;
	t->factor = 1 + weight_ilog2_u64(online < 8 ? online : 8);
	t->tick_ns = NSEC_PER_SEC / hz;
	t->sched_latency_ns = 6 * NSEC_PER_MSEC * t->factor;
	t->min_granularity_ns = 750 * NSEC_PER_USEC * t->factor;
	t->wakeup_granularity_ns = 1 * NSEC_PER_MSEC * t->factor;
	t->base_slice_ns = 700 * NSEC_PER_USEC * t->factor;
	t->bandwidth_slice_ns = k->bandwidth_slice_ns ? k->bandwidth_slice_ns :
							5 * NSEC_PER_MSEC;
	t->migration_cost_ns = 500 * NSEC_PER_USEC;

	/* kernel: sd_init, get_sd_balance_interval: balance_interval = sd
	 * weight in ms; busy: x busy_factor 16, in jiffies rounded up, minus
	 * one; clamped to [1, HZ * cpus / 10] jiffies */
	jiffy = t->tick_ns;
	busy_j = (sc->cpus * 16 * NSEC_PER_MSEC + jiffy - 1) / jiffy;
	busy_j = busy_j > 1 ? busy_j - 1 : 1;
	idle_j = (sc->cpus * NSEC_PER_MSEC + jiffy - 1) / jiffy;
	max_j = (uint64_t)hz * sc->cpus / 10;
	if (max_j < 1)
		max_j = 1;
	t->balance_busy_ns = (busy_j > max_j ? max_j : busy_j) * jiffy;
	t->balance_idle_ns = (idle_j > max_j ? max_j : idle_j) * jiffy;
}

static void init_tunables(struct sim *s)
{
	struct sim_tunables t;

	sim_tunables(s->sc, &t);
	s->tick_ns = t.tick_ns;
	s->sched_latency = t.sched_latency_ns;
	s->sched_min_granularity = t.min_granularity_ns;
	s->sched_wakeup_granularity = t.wakeup_granularity_ns;
	s->sched_nr_latency = 8; /* kernel: latency / min_granularity */
	s->base_slice = t.base_slice_ns;
	s->bw_slice = t.bandwidth_slice_ns;
	s->migration_cost = t.migration_cost_ns;
	s->balance_busy_ns = t.balance_busy_ns;
	s->balance_idle_ns = t.balance_idle_ns;
}

static void init_cfs_rq(struct cfs_rq *cfs_rq, struct rq *rq,
			struct task_group *tg)
{
	memset(cfs_rq, 0, sizeof(*cfs_rq));
	cfs_rq->tasks_timeline = RB_ROOT_CACHED;
	cfs_rq->min_vruntime = (uint64_t)(-(1LL << 20)); /* kernel */
	cfs_rq->rq = rq;
	cfs_rq->tg = tg;
	cfs_rq->owner = tg->se ? &tg->se[rq->cpu] : NULL;
	list_init(&cfs_rq->throttled_list);
}

static void init_groups(struct sim *s)
{
	const struct scenario *sc = s->sc;
	uint64_t all = s->ncpus >= 64 ? ~0ULL : (1ULL << s->ncpus) - 1;
	struct task_group *root, *a;
	unsigned cpu;
	size_t i;

	s->ngroups = sc->ngroups;
	s->groups = xcalloc(sc->ngroups + 1, sizeof(*s->groups));
	root = &s->groups[0];
	root->index = SIZE_MAX;
	root->shares = NICE_0_LOAD;
	root->cpus_mask = all;
	/* queues and group entities start on a cache line, and so stay on
	 * lines of their own while their size is a multiple of one (256 and
	 * 128 bytes): a queue without quota then touches 3 of its 4 lines
	 * (struct cfs_rq), not 4 or 5 */
	root->cfs_rq = xcalloc_aligned(s->ncpus, sizeof(*root->cfs_rq),
				       SIM_CACHE_LINE);
	list_init(&root->bw.throttled_cfs_rq);
	evq_event_init(&root->bw.period_timer, EV_PERIOD);
	evq_event_init(&root->bw.slack_timer, EV_SLACK);
	for (cpu = 0; cpu < s->ncpus; cpu++) {
		init_cfs_rq(&root->cfs_rq[cpu], &s->rqs[cpu], root);
		s->rqs[cpu].cfs = &root->cfs_rq[cpu];
	}
	for (i = 0; i < sc->ngroups; i++) {
		const struct group_spec *g = &sc->groups[i];
		struct task_group *tg = &s->groups[i + 1];
		struct task_group *parent = &s->groups[g->parent + 1];

		tg->index = i;
		tg->parent = parent;
		tg->shares = scale_load(g->shares);
		tg->cpus_mask = g->cpus_mask & all;
		if (!tg->cpus_mask)
			tg->cpus_mask = all;
		tg->cfs_rq = xcalloc_aligned(s->ncpus, sizeof(*tg->cfs_rq),
					     SIM_CACHE_LINE);
		tg->se = xcalloc_aligned(s->ncpus, sizeof(*tg->se),
					 SIM_CACHE_LINE);
		for (cpu = 0; cpu < s->ncpus; cpu++) {
			struct sched_entity *se = &tg->se[cpu];

			init_cfs_rq(&tg->cfs_rq[cpu], &s->rqs[cpu], tg);
			se->group = true;
			se->my_q = &tg->cfs_rq[cpu];
			se->cfs_rq = &parent->cfs_rq[cpu];
			se->depth = g->depth;
			/* kernel: new group entities start at NICE_0_LOAD */
			weight_lw_set(&se->load, NICE_0_LOAD);
			rb_clear_node(&se->run_node);
		}
		bw_init(s, tg, g);
	}
	/* each group's descendants, in scenario order (walk_subtree) */
	for (i = 1; i <= sc->ngroups; i++)
		for (a = s->groups[i].parent; a; a = a->parent)
			a->nbelow++;
	for (i = 0; i <= sc->ngroups; i++) {
		s->groups[i].below =
			xcalloc(s->groups[i].nbelow ? s->groups[i].nbelow : 1,
				sizeof(*s->groups[i].below));
		s->groups[i].nbelow = 0;
	}
	for (i = 1; i <= sc->ngroups; i++)
		for (a = s->groups[i].parent; a; a = a->parent)
			a->below[a->nbelow++] = i;
}

/* EEVDF queues keep their entities in arrays, which take memory as they
 * fill, within a budget for all of them, and up to SQ_MAX entities (or
 * the group's child groups and threads, all on one CPU, when fewer): a
 * queue that would hold more becomes a tree. */
static void init_queue_arrays(struct sim *s, const struct sim_options *opt)
{
	const struct scenario *sc = s->sc;
	size_t *cap = xcalloc(sc->ngroups + 1, sizeof(*cap));
	size_t i;
	unsigned cpu;

	s->sq_budget.limit =
		opt && opt->array_bytes ?
			opt->array_bytes :
			(uint64_t)SIM_ARRAY_BYTES_PER_THREAD * s->ntasks;
	if (!(opt && opt->array_bytes) &&
	    s->sq_budget.limit < SIM_ARRAY_BYTES_MIN)
		s->sq_budget.limit = SIM_ARRAY_BYTES_MIN;
	for (i = 0; i < sc->ngroups; i++)
		cap[sc->groups[i].parent + 1]++;
	for (i = 0; i < sc->ntasks; i++)
		cap[sc->tasks[i].group + 1] += sc->tasks[i].count;
	for (i = 0; i <= sc->ngroups; i++) {
		if (!cap[i])
			continue;
		for (cpu = 0; cpu < s->ncpus; cpu++) {
			struct cfs_rq *q = &s->groups[i].cfs_rq[cpu];

			q->small = true;
			sq_init(&q->sq,
				cap[i] > SQ_MAX ? SQ_MAX : (unsigned)cap[i]);
		}
	}
	free(cap);
}

/* Array queues at the end of the run, their storage freed. */
static size_t release_queue_arrays(struct sim *s)
{
	size_t i, n = 0;
	unsigned cpu;

	for (i = 0; i <= s->ngroups; i++)
		for (cpu = 0; cpu < s->ncpus; cpu++) {
			struct cfs_rq *q = &s->groups[i].cfs_rq[cpu];

			if (q->small) {
				sq_release(&q->sq, &s->sq_budget);
				n++;
			}
		}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts the n values of v and drops repeats; returns how many remain. */
static size_t sort_distinct(uint64_t *v, size_t n)
{
	size_t i, j;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 1, j = 1; i < n; i++)
		if (v[i] != v[j - 1])
			v[j++] = v[i];
	return j;
}

/* The distinct custom slices the scenario's tasks ask for, with extra
 * (unless 0), ascending, into *out (malloc'ed; NULL: only counted). */
static size_t distinct_slices(const struct scenario *sc, uint64_t extra,
			      uint64_t **out)
{
	uint64_t *v = xcalloc(sc->ntasks + 1, sizeof(*v));
	size_t i, n = 0;

	if (extra)
		v[n++] = extra;
	for (i = 0; i < sc->ntasks; i++)
		if (sc->tasks[i].slice_ns)
			v[n++] = sc->tasks[i].slice_ns;
	n = sort_distinct(v, n);
	if (out)
		*out = v;
	else
		free(v);
	return n;
}

/* the index of ns in the n ascending values of v (which hold it) */
static unsigned slice_index(const uint64_t *v, size_t n, uint64_t ns)
{
	unsigned j;

	for (j = 0; j + 1 < n && v[j] != ns; j++)
		;
	return j;
}

/* sim.slices: the base slice and every task's custom slice, distinct and
 * ascending; left NULL when no task sets one */
static void init_slices(struct sim *s)
{
	const struct scenario *sc = s->sc;
	unsigned base;
	uint32_t *counts;
	size_t i, j;

	for (i = 0; i < sc->ntasks && !sc->tasks[i].slice_ns; i++)
		;
	if (i == sc->ntasks)
		return;
	s->nslices = (unsigned)distinct_slices(sc, s->base_slice, &s->slices);
	s->spec_slice = xcalloc(sc->ntasks, sizeof(*s->spec_slice));
	for (i = 0; i < sc->ntasks; i++)
		s->spec_slice[i] = (uint8_t)slice_index(
			s->slices, s->nslices,
			sc->tasks[i].slice_ns ? sc->tasks[i].slice_ns :
						s->base_slice);
	base = slice_index(s->slices, s->nslices, s->base_slice);
	/* one block of counters for every queue; group entities start
	 * with the base slice (kernel: __sched_fork) */
	counts = xcalloc((s->ngroups + 1) * s->ncpus * s->nslices,
			 sizeof(*counts));
	s->slice_counts = counts;
	for (i = 0; i <= s->ngroups; i++) {
		s->groups[i].slice_count = counts + i * s->ncpus * s->nslices;
		for (j = 0; j < s->ncpus; j++)
			s->groups[i].cfs_rq[j].owner_slice = (uint8_t)base;
	}
}

/* distinct custom slices the counters can tell apart (sim.slices also
 * holds the base slice, and SLICE_NONE is no index) */
#define SIM_MAX_SLICES (SLICE_NONE - 1)

static void set_task_cpu(struct task *p, struct task_group *tg, struct rq *rq)
{
	p->se.cfs_rq = &tg->cfs_rq[rq->cpu];
}

static void task_wl_store(struct task *p, const struct wl_cursor *c)
{
	p->wl_rng = c->rng;
	p->wl_count = c->wl->kind == WL_PERIODIC ? c->activation : c->iteration;
	p->wl_phase = (uint32_t)c->phase;
	p->wl_ran = c->ran;
}

/* wl_next of a workload other than WL_PERIODIC, through an unpacked
 * cursor.  Apart, so that a periodic thread's step does not pay for its
 * frame (the cursor on the stack, six saved registers). */
static __attribute__((noinline)) void
task_wl_next_cursor(struct sim *s, struct task *p, const struct workload *wl,
		    struct wl_step *step)
{
	struct wl_cursor c;

	c.wl = wl;
	c.rng = p->wl_rng;
	/* the kind's counter; the other one is unused */
	c.activation = p->wl_count;
	c.iteration = p->wl_count;
	c.phase = p->wl_phase;
	c.ran = p->wl_ran;
	if (s->wl_seqs)
		c.seq = s->wl_seqs[task_index(s, p)];
	else
		c.seq.block = 0; /* the only field such a workload reads */
	wl_next(&c, s->now, step);
	task_wl_store(p, &c);
	if (s->wl_seqs)
		s->wl_seqs[task_index(s, p)] = c.seq;
}

/* wl_next on the task's packed cursor */
static void task_wl_next(struct sim *s, struct task *p, struct wl_step *step)
{
	const struct workload *wl = &s->sc->tasks[p->spec].wl;

	if (wl->kind == WL_PERIODIC) /* on the packed fields themselves */
		wl_next_periodic(wl, &p->wl_rng, &p->wl_count, &p->wl_ran,
				 s->now, step);
	else
		task_wl_next_cursor(s, p, wl, step);
}

static void init_tasks(struct sim *s)
{
	const struct scenario *sc = s->sc;
	struct wl_cursor c;
	size_t i, n = 0;
	unsigned t;

	for (i = 0; i < sc->ntasks; i++)
		n += sc->tasks[i].count;
	s->ntasks = n;
	/* The array starts on a cache-line boundary, so that task i has the
	 * same offset in its lines (i * sizeof(struct task) mod 64) wherever
	 * calloc finds room: which fields share a line moved the cost of a
	 * switch at 1 000 tasks by 6%. */
	s->tasks_mem = xcalloc(1, (n ? n : 1) * sizeof(*s->tasks) +
					  SIM_CACHE_LINE - 1);
	s->tasks = (struct task *)(void *)(((uintptr_t)s->tasks_mem +
					    SIM_CACHE_LINE - 1) &
					   ~(uintptr_t)(SIM_CACHE_LINE - 1));
	s->task_links = xcalloc(n + s->ncpus, sizeof(*s->task_links));
	for (i = 0; i < sc->ntasks; i++)
		if (wl_needs_seq(&sc->tasks[i].wl)) {
			s->wl_seqs = xcalloc(n ? n : 1, sizeof(*s->wl_seqs));
			break;
		}
	n = 0;
	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *ts = &sc->tasks[i];
		const struct group_spec *g = &sc->groups[ts->group];

		for (t = 0; t < ts->count; t++) {
			struct task *p = &s->tasks[n];

			p->state = TASK_NEW;
			p->spec = (unsigned)i;
			p->se.depth = g->depth + 1;
			weight_lw_set_nice(&p->se.load, ts->nice);
			rb_clear_node(&p->se.run_node);
			task_list_init(s, (uint32_t)n);
			wl_cursor_init(&c, &ts->wl, sc->seed, (unsigned)i, t);
			task_wl_store(p, &c);
			evq_event_init(&p->ev, EV_WAKE);
			set_task_cpu(p, &s->groups[ts->group + 1], &s->rqs[0]);
			evq_arm(&s->evq, &p->ev, EV_WAKE, ts->wl.start_ns);
			n++;
		}
	}
}

_Static_assert(sizeof(struct task) >= sizeof(struct task_result),
	       "fill_results writes the results over the tasks");

/* ---- task life ---- */

static void arm_wake(struct sim *s, struct task *p, uint64_t time)
{
	evq_arm(&s->evq, &p->ev, EV_WAKE, time);
}

/* A sleeping (or not yet started) task becomes runnable. */
static void wake_task(struct sim *s, struct task *p, bool fork)
{
	struct rq *rq;

	p->state = TASK_RUNNABLE;
	p->waiting = true;
	p->wait_clock -= s->now;
	if (p->se.on_rq) {
		/* still queued as a delayed dequeue: woken where it is */
		s->policy->requeue_delayed(s, p->se.cfs_rq, &p->se);
		sim_check_preempt_wakeup(s, task_rq(p), p);
		return;
	}
	rq = sim_select_task_rq(s, p, fork);

	if (fork) {
		set_task_cpu(p, task_tg(p), rq);
		/* kernel: init_entity_runnable_average, a new task starts
		 * with its full weight as load */
		p->se.avg.load_avg =
			(uint32_t)scale_load_down(p->se.load.weight);
		p->se.avg.load_sum = PELT_MIN_DIVIDER;
		pelt_attach_task(s, p->se.cfs_rq, &p->se);
	} else if (rq != task_rq(p)) {
		struct cfs_rq *from = p->se.cfs_rq;

		pelt_detach_task(s, from, &p->se);
		set_task_cpu(p, task_tg(p), rq);
		s->policy->migrate(from, p->se.cfs_rq, &p->se);
		pelt_attach_task(s, p->se.cfs_rq, &p->se);
	}
	sim_enqueue_task_fair(s, rq, p, fork ? ENQ_INITIAL : ENQ_WAKEUP);
	sim_check_preempt_wakeup(s, rq, p);
}

/* a new or sleeping task wakes up to run ns of CPU time */
static void task_wake_to_run(struct sim *s, struct task *p, uint64_t ns)
{
	set_work_end(p, p->se.sum_exec_runtime + ns);
	wake_task(s, p, p->state == TASK_NEW);
}

/* The running task, its burst just done, goes on with ns more.  The read
 * of its CPU clock (ev_run_done) charged it on its own queue, and nothing
 * else in the kernel charges the levels above at that moment: they are
 * charged at the tick and when something is queued on or leaves them.
 * Charging them here too moved a group entity's deadline checks to the
 * ends of bursts: a thread running back-to-back 1 ms bursts in a group
 * beside another group's hog got turns of 2 ms, where 6.18 gives each a
 * tick, as to two hogs (one CPU, 2 s: 250 switches each measured, 498
 * simulated before; scenarios/examples/late-beside-hog.yaml, and
 * test_back_to_back_bursts_switch_like_a_hog in tests/test_sim.c).  Its
 * burst ends ns of CPU time from now, which is s->now + ns as long as it
 * runs. */
static void task_run_more(struct sim *s, struct task *p, uint64_t ns)
{
	evq_arm(&s->evq, &p->ev, EV_RUN_DONE, s->now + ns);
}

/* the running task, its burst just done, sleeps until woken */
static void task_block(struct sim *s, struct task *p)
{
	struct rq *rq = task_rq(p);

	p->state = TASK_SLEEPING;
	sim_dequeue_task_fair(s, rq, p, DEQ_SLEEP);
	sim_resched_curr(s, rq);
}

/* hands the waiting requests of src to its idle workers */
static void dispatch_requests(struct sim *s, struct lat_source *src)
{
	uint64_t service_ns, arrival_ns;
	struct task *p;

	while ((p = lat_dispatch(s, src, &service_ns, &arrival_ns))) {
		task_wake_to_run(s, p, service_ns);
		lat_request_begin(s, p, arrival_ns);
	}
}

/* Start or wake-up event: ask the workload what to do now. */
static void ev_wake(struct sim *s, struct task *p)
{
	struct lat_source *src;
	struct wl_step step;

	if (s->lat && (src = lat_wake(s, p))) {
		dispatch_requests(s, src);
		return;
	}
	task_wl_next(s, p, &step);
	switch (step.kind) {
	case WL_STEP_RUN:
		set_work_end(p, step.ns == UINT64_MAX ?
					UINT64_MAX :
					p->se.sum_exec_runtime + step.ns);
		wake_task(s, p, p->state == TASK_NEW);
		if (s->lat)
			lat_begin(s, p);
		break;
	case WL_STEP_SLEEP_UNTIL:
		arm_wake(s, p, step.ns);
		break;
	case WL_STEP_EXIT:
		p->state = TASK_EXITED;
		break;
	}
}

/* The running task consumed its CPU burst. */
static void ev_run_done(struct sim *s, struct task *p)
{
	struct rq *rq = task_rq(p);
	struct wl_step step;

	/* The real workload learns that its burst is over by reading its
	 * CPU clock (backend/wlrun.c, spin_to), a system call that accounts
	 * the task on its own queue only (kernel: task_sched_runtime ->
	 * update_curr_fair -> update_curr).  If that asks for a resched
	 * (another entity queued and the task past its deadline or its
	 * protection, or the queue out of runtime), the task is switched out
	 * on its way back to user space, still runnable, and goes on (to
	 * sleep, or to its next step) when it runs again: its event stays
	 * armed, with nothing left to run. */
	update_curr(s, p->se.cfs_rq);
	if (rq->need_resched) {
		evq_arm(&s->evq, &p->ev, EV_RUN_DONE, s->now);
		return;
	}
	if (s->lat) {
		uint64_t service_ns, arrival_ns;

		switch (lat_run_done(s, p, &service_ns, &arrival_ns)) {
		case LAT_WORKLOAD:
			break;
		case LAT_RUN_MORE:
			task_run_more(s, p, service_ns);
			lat_request_begin(s, p, arrival_ns);
			return;
		case LAT_BLOCK:
			task_block(s, p);
			return;
		}
	}
	task_wl_next(s, p, &step);
	if (step.kind == WL_STEP_RUN) {
		/* charged on its own queue above, as the kernel does; see
		 * task_run_more */
		if (step.ns == UINT64_MAX)
			set_work_end(p, UINT64_MAX);
		else
			task_run_more(s, p, step.ns);
		if (s->lat)
			lat_begin(s, p);
		return;
	}
	p->state = step.kind == WL_STEP_EXIT ? TASK_EXITED : TASK_SLEEPING;
	sim_dequeue_task_fair(s, rq, p, DEQ_SLEEP);
	if (step.kind == WL_STEP_SLEEP_UNTIL)
		arm_wake(s, p, step.ns);
	sim_resched_curr(s, rq);
}

static void ev_tick(struct sim *s, struct rq *rq)
{
	sim_task_tick_fair(s, rq);
	sim_periodic_balance(s, rq);
	evq_arm(&s->evq, &rq->tick, EV_TICK, s->now + s->tick_ns);
}

static void dispatch(struct sim *s, struct sim_event *ev)
{
	switch (ev_kind(ev)) {
	case EV_TICK:
		ev_tick(s, rb_container_of(ev, struct rq, tick));
		break;
	case EV_WAKE:
		ev_wake(s, rb_container_of(ev, struct task, ev));
		break;
	case EV_RUN_DONE:
		ev_run_done(s, rb_container_of(ev, struct task, ev));
		break;
	case EV_PERIOD:
		bw_period_timer(s, rb_container_of(ev, struct task_group,
						   bw.period_timer));
		break;
	case EV_SLACK:
		bw_slack_timer(s, rb_container_of(ev, struct task_group,
						  bw.slack_timer));
		break;
	case EV_ARRIVAL:
		dispatch_requests(s, lat_arrival(s, ev));
		break;
	}
}

static void run_loop(struct sim *s)
{
	struct sim_event *ev;
	unsigned cpu;

	/* Bandwidth counters are read just after the last instant (the
	 * real backend reads them 2 ms later): a period boundary at the end
	 * belongs to the run; nothing else does. */
	while ((ev = evq_peek(&s->evq)) &&
	       (ev_time(ev) < s->end ||
		(ev_time(ev) == s->end && ev_kind(ev) == EV_PERIOD))) {
		evq_take(&s->evq, ev);
		s->now = ev_time(ev);
		s->nr_events++;
		dispatch(s, ev);
		/* passes over the CPUs in ascending order, scheduling those
		 * asking for it when the pass reaches them, until none asks */
		while (s->resched_mask) {
			uint64_t m;

			for (cpu = 0;
			     cpu < SIM_MAX_CPUS && (m = s->resched_mask >> cpu);
			     cpu++) {
				cpu += (unsigned)__builtin_ctzll(m);
				sim_schedule(s, &s->rqs[cpu]);
			}
		}
	}
	s->now = s->end;
	/* charge what the running tasks ran since their last accounting */
	for (cpu = 0; cpu < s->ncpus; cpu++) {
		struct rq *rq = &s->rqs[cpu];
		struct sched_entity *se;

		if (!rq->curr)
			continue;
		for (se = &rq->curr->se; se; se = parent_entity(se))
			update_curr(s, se->cfs_rq);
		sim_tl_slice(s, rq->curr, s->end);
	}
	bw_finish(s);
}

static void fill_results(struct sim *s, struct results *r)
{
	const struct scenario *sc = s->sc;
	char **names;
	size_t i;
	unsigned thread = 0, prev_spec = 0;

	/* each task's group path and name once, shared by its threads */
	names = xcalloc(sc->ntasks ? 2 * sc->ntasks : 1, sizeof(*names));
	results_begin(r, sc, SOURCE_SIM, names);
	snprintf(r->kernel, sizeof(r->kernel), "sim %s %s HZ=%u",
		 sc->kernel.version[0] ? sc->kernel.version :
					 SIM_DEFAULT_KERNEL,
		 s->policy->name, sc->kernel.hz ? sc->kernel.hz : 250);
	for (i = 0; i < sc->ngroups; i++) {
		struct task_group *tg = &s->groups[i + 1];
		struct group_result *g = &r->groups[i];

		g->usage_ns = tg->usage_ns;
		g->user_ns = tg->usage_ns;
		g->system_ns = 0;
		g->nr_periods = tg->bw.nr_periods;
		g->nr_throttled = tg->bw.nr_throttled;
		g->throttled_ns = tg->bw.throttled_time;
		g->nr_bursts = tg->bw.nr_burst;
		g->burst_ns = tg->bw.burst_time;
		g->throttled_local_ns = tg->throttled_local_ns;
	}
	/* The entries are written over the task array from the start of its
	 * allocation, which then shrinks to them: the peak never holds both
	 * arrays.  Entry i ends at (i + 1) * sizeof(struct task_result) from
	 * there, before task i + 1 starts, and task i is read before entry
	 * i is written. */
	for (i = 0; i < s->ntasks; i++) {
		const struct task *p = &s->tasks[i];
		struct task_result t;

		memset(&t, 0, sizeof(t));
		t.group = names[2 * p->spec];
		t.name = names[2 * p->spec + 1];
		/* threads of a task are consecutive */
		thread = i && prev_spec == p->spec ? thread + 1 : 0;
		prev_spec = p->spec;
		t.index = thread;
		t.runtime_ns = p->se.sum_exec_runtime;
		t.wait_ns = p->wait_clock;
		if (p->waiting)
			t.wait_ns += s->end;
		t.nr_switches = p->nr_switches;
		t.nr_voluntary = p->nr_voluntary;
		memcpy((struct task_result *)s->tasks_mem + i, &t, sizeof(t));
	}
	r->ntasks = s->ntasks;
	r->tasks = xrealloc(s->tasks_mem,
			    (s->ntasks ? s->ntasks : 1) * sizeof(*r->tasks));
	s->tasks_mem = NULL;
	s->tasks = NULL;
	free(names);
	r->timeline = s->tl;
	s->tl = NULL;
	r->nr_events = s->nr_events;
}

static void sim_destroy(struct sim *s)
{
	size_t i;

	for (i = 0; i <= s->ngroups && s->groups; i++) {
		free(s->groups[i].cfs_rq);
		free(s->groups[i].se);
		free(s->groups[i].below);
	}
	free(s->slice_counts);
	free(s->slices);
	free(s->spec_slice);
	free(s->groups);
	free(s->tasks_mem);
	free(s->task_links);
	free(s->wl_seqs);
	free(s->run_start);
	free(s->rqs);
	if (s->tl) {
		free(s->tl->periods);
		free(s->tl->slices);
		free(s->tl->vruntimes);
		free(s->tl->requests);
		free(s->tl);
	}
	lat_destroy(s);
	evq_destroy(&s->evq);
}

static uint64_t wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int sim_kernel_version(const struct kernel_spec *k, unsigned *major,
		       unsigned *minor)
{
	const char *v = k->version[0] ? k->version : SIM_DEFAULT_KERNEL;

	return kernel_version_parse(v, major, minor);
}

enum policy_kind sim_kernel_policy(const struct kernel_spec *k)
{
	unsigned major, minor;

	if (k->policy_set)
		return k->policy;
	if (sim_kernel_version(k, &major, &minor))
		return POLICY_EEVDF;
	return kernel_has(KERNEL_EEVDF, major, minor) ? POLICY_EEVDF :
							POLICY_CFS;
}

/* An error about what the scenario defined at line:col of its file (no
 * position for scenarios built in code). */
static int spec_error(const struct scenario *sc, int line, int col,
		      const char *msg, struct err *err)
{
	if (line && sc->file && sc->file[0])
		return err_at(err, sc->file, line, col, "%s", msg);
	return err_set(err, 0, "%s", msg);
}

/* What the scenario asks of its kernel version (a --kernel override may
 * name an older one than the file's loader checked). */
static int check_kernel_features(const struct scenario *sc, struct err *err)
{
	enum policy_kind policy = sim_kernel_policy(&sc->kernel);
	unsigned major, minor;
	char msg[512];
	size_t i, n;

	if (sim_kernel_version(&sc->kernel, &major, &minor))
		return err_set(err, 0, "kernel version '%s' is not X.Y",
			       sc->kernel.version);
	for (i = 0; i < sc->ngroups; i++) {
		const struct group_spec *g = &sc->groups[i];
		struct kernel_version v = kernel_feature_since(KERNEL_BURST);

		if (!g->burst_ns || kernel_has(KERNEL_BURST, major, minor))
			continue;
		snprintf(msg, sizeof(msg),
			 "group '%s' sets burst, which kernel %u.%u does not "
			 "have (%u.%u or later)",
			 g->path, major, minor, v.major, v.minor);
		return spec_error(sc, g->line, g->col, msg, err);
	}
	/* custom slices (857b158dc5e8) are EEVDF's */
	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *t = &sc->tasks[i];
		struct kernel_version v =
			kernel_feature_since(KERNEL_CUSTOM_SLICE);

		if (!t->slice_ns ||
		    (policy == POLICY_EEVDF &&
		     kernel_has(KERNEL_CUSTOM_SLICE, major, minor)))
			continue;
		snprintf(msg, sizeof(msg),
			 "task '%s/%s' sets a slice, which kernel %u.%u with "
			 "policy %s does not have (EEVDF, %u.%u or later)",
			 sc->groups[t->group].path, t->name, major, minor,
			 policy == POLICY_EEVDF ? "eevdf" : "cfs", v.major,
			 v.minor);
		return spec_error(sc, t->line, t->col, msg, err);
	}
	n = distinct_slices(sc, 0, NULL);
	if (n > SIM_MAX_SLICES)
		return err_set(err, 0,
			       "scenario '%s' has %zu distinct task slices, "
			       "at most %d can be simulated",
			       sc->name, n, SIM_MAX_SLICES);
	return 0;
}

int sim_run(const struct scenario *sc, const struct sim_options *opt,
	    struct results *out, struct err *err)
{
	struct sim s;
	uint64_t t0 = wall_now(), tick_offset;
	unsigned cpu;

	memset(out, 0, sizeof(*out));
	if (sc->cpus < 1 || sc->cpus > SIM_MAX_CPUS)
		return err_set(err, 0, "'cpus' must be between 1 and %d",
			       SIM_MAX_CPUS);
	if (!sc->duration_ns)
		return err_set(err, 0, "'duration' must be positive");
	{
		uint64_t threads = 0;
		size_t i;

		for (i = 0; i < sc->ntasks; i++)
			threads += sc->tasks[i].count;
		if (threads > SIM_MAX_THREADS)
			return err_set(err, 0,
				       "scenario '%s' has %" PRIu64
				       " threads, at most %u can be simulated",
				       sc->name, threads, SIM_MAX_THREADS);
	}
	if (check_kernel_features(sc, err))
		return -1;
	memset(&s, 0, sizeof(s));
	s.sc = sc;
	s.policy = sim_kernel_policy(&sc->kernel) == POLICY_EEVDF ?
			   &policy_eevdf :
			   &policy_cfs;
	s.ncpus = sc->cpus;
	s.end = sc->duration_ns;
	rng_derive(&s.rng,
		   sc->kernel.phase_seed ? sc->kernel.phase_seed : sc->seed,
		   ~0ULL, 0, 0);
	if (opt && opt->timeline) {
		s.tl = xcalloc(1, sizeof(*s.tl));
		s.tl->max_entries =
			opt->timeline_max && opt->timeline_max <
						     TIMELINE_MAX_ENTRIES ?
				opt->timeline_max :
				TIMELINE_MAX_ENTRIES;
	}
	init_tunables(&s);
	/* The run does not start on a tick: the ticks of all CPUs (aligned
	 * with each other) fall at a phase drawn like the timers', unless
	 * the scenario fixed the phases (then on multiples of the tick). */
	tick_offset = sc->kernel.bw_phase_set ? s.tick_ns :
						rng_range(&s.rng, 1, s.tick_ns);
	{
		unsigned major, minor;

		sim_kernel_version(&sc->kernel, &major, &minor);
		s.slice_expiry =
			!kernel_has(KERNEL_NO_SLICE_EXPIRY, major, minor);
		s.task_throttle =
			kernel_has(KERNEL_TASK_THROTTLE, major, minor);
		s.lb_group_types =
			kernel_has(KERNEL_LB_GROUP_TYPES, major, minor);
		s.busy_spare_no_pull =
			kernel_has(KERNEL_BUSY_SPARE_NO_PULL, major, minor);
	}
	evq_init(&s.evq);
	s.rqs = xcalloc(s.ncpus, sizeof(*s.rqs));
	s.idle_mask = s.ncpus >= 64 ? ~0ULL : (1ULL << s.ncpus) - 1;
	for (cpu = 0; cpu < s.ncpus; cpu++) {
		struct rq *rq = &s.rqs[cpu];

		rq->cpu = cpu;
		evq_event_init(&rq->tick, EV_TICK);
		evq_arm(&s.evq, &rq->tick, EV_TICK, tick_offset);
	}
	init_groups(&s);
	init_slices(&s);
	init_tasks(&s);
	if (s.policy == &policy_eevdf && !(opt && opt->tree_queues))
		init_queue_arrays(&s, opt);
	for (cpu = 0; cpu < s.ncpus; cpu++)
		task_list_init(&s, task_list_head(&s, &s.rqs[cpu]));
	if (s.tl)
		s.run_start =
			xcalloc(s.ntasks ? s.ntasks : 1, sizeof(*s.run_start));
	lat_init(&s, opt && opt->latency);
	run_loop(&s);
	if (s.lat)
		lat_fill(&s, out);
	fill_results(&s, out);
	out->nr_array_queues = release_queue_arrays(&s);
	out->array_bytes = s.sq_budget.peak;
	sim_destroy(&s);
	out->wall_ns = wall_now() - t0;
	return 0;
}
