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
		/* in the queue's tree: an event beyond the wheel's reach;
		 * cleared (rb_clear_node) while not queued */
		struct rb_node node;
		/* in the wheel: a bucket's events in a circular list, the
		 * bucket's first one linked from its head */
		struct {
			uintptr_t tag; /* node.parent_color: bucket << 2 | 2 */
			struct sim_event *next, *prev;
		} w;
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

/* The length of the wheel's slots: 2^EVQ_SHIFT_MIN ns at first, doubled
 * (up to 2^EVQ_SHIFT_MAX) while many events fall beyond its reach. */
#define EVQ_SHIFT_MIN 10
#define EVQ_SHIFT_MAX 30
/* The wheel's slots: from EVQ_SLOTS_MIN, doubled while it holds more
 * events than slots, up to EVQ_SLOTS_MAX (256 KiB of bucket heads). */
#define EVQ_SLOTS_MIN 1024
#define EVQ_SLOTS_MAX 32768

/* Events in a timing wheel of buckets, a tree for those beyond its reach,
 * and the ends of CPU bursts (one per running task, so at most one per
 * CPU) in a small sorted array (see evq.c). */
struct evq {
	/* the wheel: bucket b holds the events of slot (time >> shift) for
	 * the one slot in [cur, cur + nslots) that is b modulo nslots */
	struct sim_event **heads; /* [nslots] a bucket's first, or NULL */
	uint64_t *bits;		  /* [nslots / 64] the buckets in use */
	uint64_t sum[EVQ_SLOTS_MAX / 4096]; /* the words of bits in use */
	struct sim_event *wfirst; /* the wheel's earliest, NULL if empty */
	uint64_t cur;		  /* no event in the wheel is earlier */
	size_t nwheel, ntree;	  /* events in the wheel, in the tree */
	unsigned nslots, shift;	  /* nslots: a power of two */
	unsigned miss;		  /* see evq_arm */
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
void evq_destroy(struct evq *q);
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
