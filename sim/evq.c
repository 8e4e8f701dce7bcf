/* The event queue: an rbtree ordered by time.  The tree keeps equal keys
 * in insertion order, so events at the same instant run in the order they
 * were armed and two runs of a scenario process events identically (the
 * order a (time, arming sequence) key would give, without storing one).
 * One exception: a task's CPU burst that ends at the very instant of
 * another event ends first, so a tick on the same nanosecond does not
 * preempt a task that has nothing left to run.  An event at or after every
 * queued one (all the starts at setup, many timers) links below the cached
 * rightmost node without a descent.
 *
 * The ends of CPU bursts (EV_RUN_DONE) stay out of the tree: only running
 * tasks have one, so there are at most as many as CPUs, and they are armed
 * and cancelled at almost every switch.  They sit in a small sorted array,
 * ordered by time and then by an arming sequence number, which is the order
 * the tree gave them.  No other kind shares their
 * (time, ending-burst-first) order key, so taking the earlier of the tree's
 * first event and the earliest end of a burst gives the tree's old order. */
#include <assert.h>

#include "sim/evq.h"

/* by time, then an ending burst first: the key's bits above the kind */
static inline bool ev_less(const struct rb_node *a, const struct rb_node *b)
{
	const struct sim_event *x = rb_entry(a, struct sim_event, node);
	const struct sim_event *y = rb_entry(b, struct sim_event, node);

	return x->key >> EV_ORDER_SHIFT < y->key >> EV_ORDER_SHIFT;
}

/* Whether ev sorts after n (equal keys go right, so "not before"). */
static inline bool ev_not_before(const struct sim_event *ev,
				 const struct rb_node *n)
{
	return !ev_less(&ev->node, n);
}

/* the order of the ends of bursts: (time, arming sequence) */
static inline bool done_less(const struct sim_event *a,
			     const struct sim_event *b)
{
	if (a->key >> EV_ORDER_SHIFT != b->key >> EV_ORDER_SHIFT)
		return a->key >> EV_ORDER_SHIFT < b->key >> EV_ORDER_SHIFT;
	return a->done.seq < b->done.seq;
}

/* evq.done is kept latest first, so the earliest is last: taking it costs
 * nothing, and a new end of burst, usually among the earliest, moves few */
static void done_add(struct evq *q, struct sim_event *ev)
{
	size_t i = q->ndone++;

	assert(i < SIM_MAX_CPUS); /* one per running task */
	ev->done.linked = 0;
	ev->done.seq = q->done_seq++;
	for (; i > 0 && done_less(q->done[i - 1], ev); i--) {
		q->done[i] = q->done[i - 1];
		q->done[i]->done.slot = i;
	}
	q->done[i] = ev;
	ev->done.slot = i;
	q->done_min = q->done[q->ndone - 1];
}

static void done_remove(struct evq *q, struct sim_event *ev)
{
	size_t i;

	for (i = ev->done.slot; i + 1 < q->ndone; i++) {
		q->done[i] = q->done[i + 1];
		q->done[i]->done.slot = i;
	}
	q->ndone--;
	q->done_min = q->ndone ? q->done[q->ndone - 1] : NULL;
	rb_clear_node(&ev->node);
}

void evq_init(struct evq *q)
{
	q->tree = RB_ROOT_CACHED;
	q->rightmost = NULL;
	q->hint = NULL;
	q->ndone = 0;
	q->done_min = NULL;
	q->done_seq = 0;
}

void evq_event_init(struct sim_event *ev, enum ev_kind kind)
{
	rb_clear_node(&ev->node);
	ev->key = (uint64_t)kind;
}

static void evq_erase(struct evq *q, struct sim_event *ev)
{
	if (ev_kind(ev) == EV_RUN_DONE) {
		done_remove(q, ev);
		return;
	}
	if (&ev->node == q->rightmost)
		q->rightmost = rb_prev(&ev->node);
	if (&ev->node == q->hint)
		q->hint = NULL;
	rb_erase_cached(&ev->node, &q->tree);
	rb_clear_node(&ev->node);
}

void evq_arm(struct evq *q, struct sim_event *ev, enum ev_kind kind,
	     uint64_t time)
{
	struct rb_node *last, *hint;

	if (ev_queued(ev))
		evq_erase(q, ev);
	if (time > EV_TIME_MAX)
		time = EV_TIME_MAX;
	ev->key = time << EV_TIME_SHIFT |
		  (uint64_t)(kind != EV_RUN_DONE) << EV_ORDER_SHIFT |
		  (uint64_t)kind;
	if (kind == EV_RUN_DONE) {
		done_add(q, ev);
		return;
	}
	last = q->rightmost;
	hint = q->hint;
	q->hint = &ev->node;
	if (last && ev_not_before(ev, last)) {
		/* the descent from the root would go right all the way down
		 * to here (equal keys go right): link it directly */
		rb_link_node(&ev->node, last, &last->right);
		rb_insert_color_cached(&ev->node, &q->tree, false);
		q->rightmost = &ev->node;
		return;
	}
	if (hint && ev_not_before(ev, hint)) {
		/* the previous arming is the last event at or before time
		 * when the next one is later: the new one goes between them,
		 * in the one free link there, where the descent would end */
		struct rb_node *next = rb_next(hint);

		if (next && ev_less(&ev->node, next)) {
			if (!hint->right)
				rb_link_node(&ev->node, hint, &hint->right);
			else
				rb_link_node(&ev->node, next, &next->left);
			rb_insert_color_cached(&ev->node, &q->tree, false);
			return;
		}
	}
	rb_add_cached_inline(&ev->node, &q->tree, ev_less);
	if (!last)
		q->rightmost = &ev->node;
}

void evq_cancel(struct evq *q, struct sim_event *ev)
{
	if (!ev_queued(ev))
		return;
	evq_erase(q, ev);
}

struct sim_event *evq_peek(struct evq *q)
{
	struct rb_node *n = rb_first_cached(&q->tree);
	struct sim_event *d = q->done_min;

	if (!n)
		return d;
	if (d && ev_less(&d->node, n))
		return d;
	return rb_entry(n, struct sim_event, node);
}

void evq_remove(struct evq *q, struct sim_event *ev)
{
	evq_cancel(q, ev);
}
