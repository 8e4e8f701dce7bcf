/* The event queue: an rbtree ordered by (time, seq).  seq grows with every
 * arming, so events at the same instant run in the order they were armed and
 * two runs of a scenario process events identically. */
#include "sim/sim_internal.h"

static bool ev_less(const struct rb_node *a, const struct rb_node *b)
{
	const struct sim_event *x = rb_entry(a, struct sim_event, node);
	const struct sim_event *y = rb_entry(b, struct sim_event, node);

	if (x->time != y->time)
		return x->time < y->time;
	return x->seq < y->seq;
}

void evq_init(struct evq *q)
{
	q->tree = RB_ROOT_CACHED;
	q->seq = 0;
}

void evq_arm(struct evq *q, struct sim_event *ev, uint64_t time)
{
	if (ev->queued)
		rb_erase_cached(&ev->node, &q->tree);
	ev->time = time;
	ev->seq = q->seq++;
	ev->queued = true;
	rb_add_cached(&ev->node, &q->tree, ev_less);
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
