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
 * and cancelled at almost every switch.  They sit in a small array sorted
 * by time, earliest first: the earliest is taken by moving the array's
 * head, and a new end, which is most often the latest or nearly (a new
 * burst against what is left of the others'), is put in from the back,
 * after every end at or before its time, so that equal times keep their
 * arming order, the order the tree gave them.  No other kind shares their
 * (time, ending-burst-first) order key, so taking the earlier of the
 * tree's first event and the earliest end of a burst gives the tree's old
 * order. */
#include <assert.h>
#include <string.h>

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

/* from the back, past the ends later than ev's (equal times: after) */
static void done_add(struct evq *q, struct sim_event *ev)
{
	struct evq_done *first, *d;
	uint64_t key = ev->key;

	/* one per running task */
	assert(q->ndone < SIM_MAX_CPUS);
	/* at the end of the array: back to its start */
	if (q->done_head + q->ndone == EVQ_DONE_SLOTS) {
		memmove(q->done, q->done + q->done_head,
			q->ndone * sizeof(*q->done));
		q->done_head = 0;
	}
	first = q->done + q->done_head;
	for (d = first + q->ndone; d > first && d[-1].key > key; d--)
		d[0] = d[-1];
	d->key = key;
	d->ev = ev;
	q->ndone++;
	ev->done.linked = 0;
}

static void done_remove(struct evq *q, struct sim_event *ev)
{
	struct evq_done *d = q->done + q->done_head, *last = d + q->ndone - 1;

	rb_clear_node(&ev->node);
	q->ndone--;
	if (d->ev == ev) { /* the earliest: most removals */
		q->done_head++;
		return;
	}
	while (d->ev != ev) {
		assert(d < last);
		d++;
	}
	for (; d < last; d++)
		d[0] = d[1];
}

void evq_init(struct evq *q)
{
	q->tree = RB_ROOT_CACHED;
	q->rightmost = NULL;
	q->hint = NULL;
	q->done_head = 0;
	q->ndone = 0;
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
	const struct evq_done *d = &q->done[q->done_head];

	if (!q->ndone)
		return n ? rb_entry(n, struct sim_event, node) : NULL;
	/* the end of a burst first, unless the tree's first is earlier
	 * (ev_less, with the key kept beside the end) */
	if (!n || d->key >> EV_ORDER_SHIFT <
			  rb_entry(n, struct sim_event, node)->key >>
			  EV_ORDER_SHIFT)
		return d->ev;
	return rb_entry(n, struct sim_event, node);
}

void evq_remove(struct evq *q, struct sim_event *ev)
{
	evq_cancel(q, ev);
}

void evq_take(struct evq *q, struct sim_event *ev)
{
	if (ev_kind(ev) == EV_RUN_DONE) { /* the head of the array */
		q->done_head++;
		q->ndone--;
		rb_clear_node(&ev->node);
		return;
	}
	evq_erase(q, ev);
}
