/* The event queue: an rbtree ordered by time.  The tree keeps equal keys
 * in insertion order, so events at the same instant run in the order they
 * were armed and two runs of a scenario process events identically (the
 * order a (time, arming sequence) key would give, without storing one). */
#include "sim/sim_internal.h"

static inline bool ev_less(const struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct sim_event, node)->time <
	       rb_entry(b, struct sim_event, node)->time;
}

void evq_init(struct evq *q)
{
	q->tree = RB_ROOT_CACHED;
}

void evq_arm(struct evq *q, struct sim_event *ev, uint64_t time)
{
	if (ev->queued)
		rb_erase_cached(&ev->node, &q->tree);
	ev->time = time;
	ev->queued = true;
	rb_add_cached_inline(&ev->node, &q->tree, ev_less);
}

void evq_cancel(struct evq *q, struct sim_event *ev)
{
	if (!ev->queued)
		return;
	rb_erase_cached(&ev->node, &q->tree);
	ev->queued = false;
}

struct sim_event *evq_peek(struct evq *q)
{
	struct rb_node *n = rb_first_cached(&q->tree);

	return n ? rb_entry(n, struct sim_event, node) : NULL;
}

void evq_remove(struct evq *q, struct sim_event *ev)
{
	evq_cancel(q, ev);
}
