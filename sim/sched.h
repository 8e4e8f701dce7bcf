/* The engine's objects, shared by its files.  Mirrors the kernel's
 * objects: per-CPU rq with a root cfs_rq; per task group a cfs_rq and a
 * group sched_entity per CPU and one cfs_bandwidth; tasks embed their
 * entity.  The struct sim owns every object; intrusive nodes are owned by
 * their hosts.  Each .c file of sim/ declares its functions in its own
 * header (fair.h, bandwidth.h, pelt.h, balance.h, core.h, timeline.h,
 * evq.h, policy.h). */
#ifndef SIM_SCHED_H
#define SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"
#include "model/model.h"
#include "model/results.h"
#include "model/weights.h"
#include "model/workload.h"
#include "rbtree/rbtree.h"
#include "sim/evq.h"
#include "sim/squeue.h"

struct sim;
struct sched_policy;

/* ---- intrusive doubly linked list ---- */
struct list_node {
	struct list_node *prev, *next;
};

static inline void list_init(struct list_node *h)
{
	h->prev = h->next = h;
}

static inline bool list_empty(const struct list_node *h)
{
	return h->next == h;
}

static inline void list_add_tail(struct list_node *n, struct list_node *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

/* ---- lists of tasks linked by 32-bit ids in sim.task_links (task_list_*):
 * a task's id is its index in sim.tasks, sim.ntasks + cpu is the head of
 * CPU cpu's list of queued tasks (the kernel's rq->cfs_tasks), most recently
 * run first; a task on no list links to itself ---- */
struct task_link {
	uint32_t prev, next;
};

/* ---- PELT ---- */
struct sched_avg {
	uint64_t last_update_time;
	uint64_t load_sum;
	uint64_t load_avg;
	uint32_t period_contrib;
};

/* A task's PELT: the same signal for a load of 1 while runnable, so its sum
 * stays below LOAD_AVG_MAX and its average below the task's unscaled
 * weight (88761 at most): 32 bits hold them (pelt_update_task_sum). */
struct task_avg {
	uint64_t last_update_time;
	uint32_t load_sum;
	uint32_t load_avg;
	uint32_t period_contrib;
};

/* ---- the scheduler's objects ---- */
struct cfs_rq;
struct rq;
struct task_group;

/* (EEVDF's request size, the kernel's se->slice, is not stored here: a
 * task's comes from its scenario task, a group entity's from its queue's
 * owner_slice, see entity_slice; the kernel's se->parent
 * is the entity owning the queue se is on: parent_entity; prev_sum_exec_runtime
 * and vprot only matter while se is curr: struct cfs_rq keeps them)
 * What a walk of the tree reads comes first: a descent the node and the
 * deadline, in one cache line for 3 tasks out of 4 (tasks are 240 bytes
 * from a line boundary), a subtree-minimum update also min_vruntime and
 * vruntime, in one line for 2 out of 4. */
struct sched_entity {
	struct rb_node run_node;
	uint64_t deadline;     /* EEVDF */
	uint64_t min_vruntime; /* EEVDF: augmented subtree minimum */
	uint64_t vruntime;
	struct load_weight load;
	int64_t vlag; /* EEVDF: lag kept while off the queue */
	uint64_t exec_start;
	uint64_t sum_exec_runtime;
	struct cfs_rq *cfs_rq; /* queue it is queued on */
	union {
		struct task_avg avg; /* task: its PELT */
		struct cfs_rq *my_q; /* group entity: its own queue */
	};
	unsigned depth;
	bool group; /* a group entity, else a task */
	bool on_rq;
	bool rel_deadline;  /* EEVDF: deadline kept relative */
	bool sched_delayed; /* EEVDF: DELAY_DEQUEUE */
};

struct cfs_rq {
	struct load_weight load; /* sum of queued entities' weights */
	unsigned nr_running;	 /* queued entities, curr included */
	unsigned h_nr_running;	 /* runnable tasks below, all levels */
	uint64_t min_vruntime;
	int64_t avg_vruntime; /* EEVDF: sum (v - min_vruntime) * w */
	uint64_t avg_load;    /* EEVDF: sum of unscaled weights */
	/* the queued entities but curr, in order: a tree, or for EEVDF
	 * queues while they hold at most SQ_MAX entities an array (small) */
	union {
		struct {
			struct rb_root_cached tasks_timeline;
			struct rb_node *timeline_last; /* its rightmost node */
		};
		struct squeue sq;
	};
	struct sched_entity *curr;
	/* the kernel's curr->prev_sum_exec_runtime and curr->vprot, kept
	 * here since they only matter for curr; set with curr */
	uint64_t curr_prev_sum_exec; /* its sum_exec_runtime when set */
	uint64_t curr_vprot;	     /* EEVDF: protected until this vruntime */
	struct sched_entity *next;   /* buddies */
	struct sched_entity *last;
	struct rq *rq;
	struct task_group *tg;
	struct sched_entity *owner; /* tg's entity on this CPU, NULL at
					 * the root */

	struct sched_avg avg; /* PELT of load.weight */
	uint64_t tg_load_avg_contrib;
	uint64_t last_update_tg_load_avg;

	/* bandwidth (docs/kernel-rules.md §5.1); the flags, which every
	 * enqueue, dequeue and charge reads, share the cache line of the
	 * PELT fields (with the struct on a line boundary, engine.c), so
	 * that a queue without quota leaves the next line alone */
	bool runtime_enabled;
	bool throttled;
	uint8_t owner_slice; /* owner's se->slice, as an index */
	bool small;	     /* entities in sq, not tasks_timeline */
	int throttle_count;
	int64_t runtime_remaining;
	uint64_t throttled_clock;
	uint64_t throttled_clock_self;
	uint64_t throttled_clock_self_time;
	struct list_node throttled_list;
	uint64_t runtime_expires; /* < 5.4: local runtime dies here */
	uint64_t expires_seq;
};

enum task_state { TASK_NEW, TASK_RUNNABLE, TASK_SLEEPING, TASK_EXITED };

/* One per simulated thread, so kept small: its group, CPU and allowed CPUs
 * come from se.cfs_rq (task_tg, task_rq, task_group.cpus_mask), its index
 * in results.tasks is its index in sim.tasks (task_index), which is also
 * its id in sim.task_links (8 more bytes a thread). */
struct task {
	struct sched_entity se;
	/* its struct wl_cursor, packed (task_wl_next): the workload comes
	 * from spec, one counter serves as activation (WL_PERIODIC) or
	 * iteration (WL_PHASES), the other fields as they are */
	struct rng wl_rng;
	uint64_t wl_count;
	/* at most one event is pending for a task: EV_WAKE while new or
	 * sleeping, EV_RUN_DONE while running; the key of this event also
	 * stands for the end of the current CPU burst (set_work_end) */
	struct sim_event ev;
	/* statistics */
	uint64_t wait_clock; /* wait_ns, minus the start of the
					 * current wait while waiting */
	uint64_t nr_switches;
	uint64_t nr_voluntary;
	unsigned spec; /* scenario task index */
	uint32_t wl_phase;
	uint8_t state; /* enum task_state */
	bool waiting;
	bool wl_ran;
};

struct cfs_bandwidth {
	bool limited;
	uint64_t quota, period, burst;
	int64_t runtime; /* global pool */
	int64_t runtime_snap;
	bool idle;
	bool period_active;
	bool slack_started;
	uint64_t period_phase; /* grid: phase + k * period */
	struct list_node throttled_cfs_rq;
	struct sim_event period_timer;
	struct sim_event slack_timer;
	uint64_t runtime_expires; /* < 5.4: end of the current period */
	uint64_t expires_seq;
	uint64_t nr_periods, nr_throttled, throttled_time;
	uint64_t nr_burst, burst_time;
	/* timeline */
	uint64_t period_start;
	uint64_t period_granted;
	uint64_t period_usage0; /* group usage when it started */
	uint64_t period_throttled;
	/* the timeline's first period runs from the start, not from the
	 * first runtime request that restarts the timer */
	bool sample_from_start;
};

struct task_group {
	size_t index; /* scenario group, SIZE_MAX = root */
	struct task_group *parent;
	uint64_t shares;	 /* scaled */
	struct cfs_rq *cfs_rq;	 /* [ncpus] */
	struct sched_entity *se; /* [ncpus], NULL for the root */
	uint64_t cpus_mask;	 /* CPUs its tasks may run on */
	size_t *below;		 /* [nbelow] descendants' indices in
					 * sim.groups, in order */
	size_t nbelow;
	uint64_t load_avg; /* sum of tg_load_avg_contrib */
	struct cfs_bandwidth bw;
	uint64_t usage_ns;	     /* cpuacct, hierarchical (not kept
					  * for the root) */
	uint64_t throttled_local_ns; /* cpu.stat.local */
	/* custom slices (NULL without): for each CPU's queue, its queued
	 * entities (curr included) per index into sim.slices, which the
	 * kernel keeps as the tree's min_slice augmentation */
	uint32_t *slice_count; /* [ncpus][sim.nslices] */
};

struct rq {
	unsigned cpu;
	struct cfs_rq *cfs; /* root group's queue on this CPU */
	struct task *curr;  /* NULL = idle */
	bool need_resched;
	unsigned nr_running; /* runnable fair tasks on this CPU */
	struct sim_event tick;
	uint64_t next_balance;
	unsigned nr_balance_failed;
	/* PELT of "a fair task runs here", as load_sum/load_avg on the scale
	 * of 1024: the CPU's utilisation, which tells balancing whether the
	 * CPU has spare capacity (pelt_update_rq_util) */
	struct sched_avg util;
};

#define ENQ_WAKEUP   0x1
#define ENQ_INITIAL  0x2 /* new task */
#define ENQ_MIGRATED 0x4
#define DEQ_SLEEP    0x1
#define DEQ_SPECIAL  0x2 /* throttle: never delayed */
#define DEQ_DELAYED  0x4 /* finishing a delayed dequeue */

struct sim_lat;

struct sim {
	const struct scenario *sc;
	uint64_t resched_mask;	/* bit cpu: rqs[cpu].need_resched */
	uint64_t overload_mask; /* bit cpu: rqs[cpu].nr_running >= 2 */
	uint64_t idle_mask;	/* bit cpu: rqs[cpu] runs and queues nothing
				 * (!curr && !nr_running: rq_update_idle) */
	const struct sched_policy *policy;
	uint64_t now;
	uint64_t end;
	unsigned ncpus;
	struct rq *rqs;		   /* [ncpus] */
	struct task_group *groups; /* [ngroups + 1], [0] = root */
	size_t ngroups;
	struct task *tasks; /* [ntasks], per thread, at a cache line */
	void *tasks_mem;    /* the allocation holding tasks */
	size_t ntasks;
	struct task_link *task_links; /* [ntasks + ncpus], see task_link */
	/* [ntasks] when a workload has timers or blocks (wl_needs_seq), the
	 * rest of those threads' cursors; NULL otherwise */
	struct wl_seq *wl_seqs;
	uint64_t *run_start; /* [ntasks] if tl: current slice start */
	struct evq evq;
	struct rng rng;
	struct results *res;
	struct timeline *tl; /* NULL unless recording */
	bool bandwidth_used;
	bool aligned_group;  /* the first limited group has phase 0 */
	bool slice_expiry;   /* kernels before 5.4 (de53fd7aedb1) */
	bool task_throttle;  /* 6.18: tasks parked one by one (e1fad12dcb66) */
	bool lb_group_types; /* 5.5: load_balance rework (0b0695f2b34a) */
	bool busy_spare_no_pull; /* 6.6: sibling_imbalance (7ff1693236f5) */
	uint64_t nr_events;	 /* processed so far (benchmarks) */
	/* tunables, scaled by 1 + ilog2(min(online cpus, 8)) */
	uint64_t tick_ns;
	uint64_t sched_latency;
	uint64_t sched_min_granularity;
	uint64_t sched_wakeup_granularity;
	unsigned sched_nr_latency;
	uint64_t base_slice;
	uint64_t bw_slice;
	uint64_t balance_busy_ns;
	uint64_t balance_idle_ns;
	uint64_t migration_cost;

	/* custom slices (task_spec.slice_ns): the distinct request sizes,
	 * base slice included, ascending; NULL when no task sets one, and
	 * every entity then asks for base_slice */
	uint64_t *slices;	/* [nslices] */
	unsigned nslices;	/* <= SLICE_NONE */
	uint8_t *spec_slice;	/* [sc->ntasks] index of each task's slice */
	uint32_t *slice_counts; /* every queue's slice_count, one block */

	/* latency of request and periodic workloads (lat.c); NULL when no
	 * task has any to record */
	struct sim_lat *lat;

	/* what the array queues may take (touched when one grows) */
	struct sq_budget sq_budget;
};

/* bytes in a cache line of the machines the engine is tuned for (x86-64) */
#define SIM_CACHE_LINE 64

/* at most this many threads, so that task list ids fit in 32 bits */
#define SIM_MAX_THREADS (UINT32_MAX - SIM_MAX_CPUS)

static inline struct task_link *task_link_of(struct sim *s, uint32_t id)
{
	return &s->task_links[id];
}

static inline uint32_t task_list_head(const struct sim *s, const struct rq *rq)
{
	return (uint32_t)s->ntasks + rq->cpu;
}

static inline void task_list_init(struct sim *s, uint32_t id)
{
	struct task_link *l = task_link_of(s, id);

	l->prev = l->next = id;
}

/* links task id first on the list of head */
static inline void task_list_add_first(struct sim *s, uint32_t id,
				       uint32_t head)
{
	struct task_link *l = task_link_of(s, id), *h = task_link_of(s, head);

	l->prev = head;
	l->next = h->next;
	task_link_of(s, h->next)->prev = id;
	h->next = id;
}

static inline void task_list_del(struct sim *s, uint32_t id)
{
	struct task_link *l = task_link_of(s, id);

	task_link_of(s, l->prev)->next = l->next;
	task_link_of(s, l->next)->prev = l->prev;
	l->prev = l->next = id;
}

/* ---- navigation between the objects ---- */
static inline struct task *task_of(struct sched_entity *se)
{
	return rb_container_of(se, struct task, se);
}

static inline struct rq *task_rq(const struct task *p)
{
	return p->se.cfs_rq->rq; /* CPU it is on, or last ran on */
}

static inline struct task_group *task_tg(const struct task *p)
{
	return p->se.cfs_rq->tg;
}

static inline size_t task_index(const struct sim *s, const struct task *p)
{
	return (size_t)(p - s->tasks); /* = its index in results.tasks */
}

/* sim.idle_mask's bit of rq, after rq->curr or rq->nr_running changed */
static inline void rq_update_idle(struct sim *s, const struct rq *rq)
{
	uint64_t bit = 1ULL << rq->cpu;

	s->idle_mask = (s->idle_mask & ~bit) |
		       (!rq->curr && !rq->nr_running ? bit : 0);
}

/* rq->nr_running += delta (a wrapping delta subtracts), keeping
 * sim.overload_mask, which lets balancing skip CPUs with nothing to give,
 * and sim.idle_mask, which lets a wake-up find an idle CPU at once */
static inline void rq_add_nr_running(struct sim *s, struct rq *rq,
				     unsigned delta)
{
	rq->nr_running += delta;
	if (rq->nr_running >= 2)
		s->overload_mask |= 1ULL << rq->cpu;
	else
		s->overload_mask &= ~(1ULL << rq->cpu);
	rq_update_idle(s, rq);
}

/* kernel: se->parent, the group entity above se (NULL at the top) */
static inline struct sched_entity *parent_entity(const struct sched_entity *se)
{
	return se->cfs_rq->owner;
}

static inline bool entity_is_task(const struct sched_entity *se)
{
	return !se->group;
}

/* kernel: group_cfs_rq: the queue a group entity owns, NULL for a task */
static inline struct cfs_rq *group_cfs_rq(const struct sched_entity *se)
{
	return se->group ? se->my_q : NULL;
}

#endif
