/* The engine's event queue: timed events ordered by time, equal times in
 * arming order (evq.c). */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "rbtree/rbtree.h"

/* ---- events, ordered by time: equal times run in arming order ---- */
enum ev_kind {
	EV_TICK,     /* struct rq .tick */
	EV_WAKE,     /* struct task .ev: start or wake-up */
	EV_RUN_DONE, /* struct task .ev: its RUN step completes */
	EV_PERIOD,   /* struct task_group .bw.period_timer */
	EV_SLACK,    /* struct task_group .bw.slack_timer */
	EV_ARRIVAL,  /* struct lat_source .ev: requests arrive (lat.c) */
};

/* key = time << 4 | (kind != EV_RUN_DONE) << 3 | kind: the queue orders by
 * key >> 3, time first, then an ending CPU burst before anything else at
 * the same instant (see evq.c).  Times are at most EV_TIME_MAX (2^60 - 1 ns,
 * 36 years: beyond the end of any run; later ones are clamped to it). */
struct sim_event {
	union {
		/* in the queue's tree: every kind but EV_RUN_DONE; cleared
		 * (rb_clear_node) while not queued */
		struct rb_node node;
		/* EV_RUN_DONE, in the queue's array of them */
		struct {
			uintptr_t linked; /* node.parent_color: 0, queued */
		} done;
	};
	uint64_t key;
}; /* its owner is the object the kind says embeds it (container_of) */

#define EV_KIND_MASK   7ULL
#define EV_ORDER_SHIFT 3
#define EV_TIME_SHIFT  4
#define EV_TIME_MAX    ((1ULL << 60) - 1)

static inline uint64_t ev_time(const struct sim_event *ev)
{
	return ev->key >> EV_TIME_SHIFT;
}

static inline enum ev_kind ev_kind(const struct sim_event *ev)
{
	return (enum ev_kind)(ev->key & EV_KIND_MASK);
}

static inline bool ev_queued(const struct sim_event *ev)
{
	return rb_is_linked(&ev->node);
}

/* An end of a CPU burst in evq.done: its key, kept beside it so that
 * ordering them reads no event. */
struct evq_done {
	uint64_t key;
	struct sim_event *ev;
};

/* twice the most ends of bursts there can be, so that they move back to
 * the start of the array at most once every SIM_MAX_CPUS removals */
#define EVQ_DONE_SLOTS (2 * SIM_MAX_CPUS)

/* Events in a tree, except the ends of CPU bursts: one per running task,
 * so at most one per CPU, kept in a small sorted array (see evq.c). */
struct evq {
	struct rb_root_cached tree;
	struct rb_node *rightmost; /* latest event, NULL when empty */
	struct rb_node *hint;	   /* last armed, while queued */
	/* the EV_RUN_DONE events, earliest first, in done[done_head] to
	 * done[done_head + ndone - 1]; moved back to done[0] when they
	 * reach the end */
	struct evq_done done[EVQ_DONE_SLOTS];
	unsigned done_head;
	unsigned ndone;
};

void evq_init(struct evq *q);
/* Prepares an event that is not queued (before its first evq_arm). */
void evq_event_init(struct sim_event *ev, enum ev_kind kind);
/* (Re)queues ev as kind at time. */
void evq_arm(struct evq *q, struct sim_event *ev, enum ev_kind kind,
	     uint64_t time);
void evq_cancel(struct evq *q, struct sim_event *ev);
struct sim_event *evq_peek(struct evq *q);
void evq_remove(struct evq *q, struct sim_event *ev);
/* Dequeues ev, the event evq_peek has just returned. */
void evq_take(struct evq *q, struct sim_event *ev);

#endif
