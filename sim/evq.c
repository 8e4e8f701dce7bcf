/* The event queue: events ordered by time, equal times in the order they
 * were armed, so that two runs of a scenario process events identically.
 * One exception: a task's CPU burst that ends at the very instant of
 * another event ends first, so a tick on the same nanosecond does not
 * preempt a task that has nothing left to run.
 *
 * Most events sit in a timing wheel: nslots buckets of 2^shift ns each,
 * covering the nslots slots from cur on, bucket b holding the slot that is
 * b modulo nslots.  A bucket keeps its events sorted by time (a new one
 * goes after every one at or before its time, walking from the bucket's
 * last, which is mostly where it belongs), the buckets in use are marked
 * in a bitmap, and the earliest event is kept at hand (wfirst), found again
 * from the bitmap when it is taken.  So arming and taking an event cost a
 * few list links, where a tree of a thousand sleeping tasks' wake-ups took
 * a descent and a rebalancing through lines spread over the task array.
 * cur follows the events taken; an event before it (never armed by the
 * engine, which arms from now on) joins cur's bucket in time order.
 *
 * Events beyond the wheel's reach go to a red-black tree.  The tree keeps
 * equal keys in insertion order; an event at or after every queued one
 * links below the cached rightmost node without a descent.  Equal times
 * in the tree and in the wheel: the tree's were armed first (an instant
 * joins the wheel's reach when cur moves, and cur never moves back), so
 * they go first.  The wheel grows with what it is given (evq_arm): more
 * slots while it holds more events than slots, longer ones while many
 * armings miss it; each time it is rebuilt (wheel_rebuild), and the tree's
 * events then within reach move into it.
 *
 * The ends of CPU bursts (EV_RUN_DONE) stay out of both: only running
 * tasks have one, so there are at most as many as CPUs, and they are armed
 * and cancelled at almost every switch.  They sit in a small array sorted
 * by time, earliest first: the earliest is taken by moving the array's
 * head, and a new end, which is most often the latest or nearly (a new
 * burst against what is left of the others'), is put in from the back,
 * after every end at or before its time, so that equal times keep their
 * arming order.  No other kind shares their (time, ending-burst-first)
 * order key, so taking the earliest of the three gives the order of one
 * queue. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

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

/* ---- the wheel ---- */

#define WHEEL_TAG 2u /* node.parent_color & 3 of an event in the wheel */

static inline bool in_wheel(const struct sim_event *ev)
{
	return (ev->w.tag & 3u) == WHEEL_TAG;
}

/* Marks bucket b in use (on) or empty. */
static inline void mark(struct evq *q, unsigned b, bool on)
{
	unsigned w = b >> 6;

	if (on) {
		if (!q->bits[w])
			q->sum[w >> 6] |= 1ULL << (w & 63);
		q->bits[w] |= 1ULL << (b & 63);
	} else {
		q->bits[w] &= ~(1ULL << (b & 63));
		if (!q->bits[w])
			q->sum[w >> 6] &= ~(1ULL << (w & 63));
	}
}

/* The first bucket in use from b on, in slot order (the wheel is not
 * empty): in b's word of the bitmap, else in the next word in use, which
 * the summary (a bit a word) finds without reading the empty ones. */
static unsigned next_bucket(const struct evq *q, unsigned b)
{
	unsigned w = b >> 6, nw = q->nslots >> 6, i;
	uint64_t m = q->bits[w] & (~0ULL << (b & 63));

	if (m)
		return w << 6 | (unsigned)__builtin_ctzll(m);
	for (i = w + 1;;) {
		if (i >= nw)
			i = 0;
		m = q->sum[i >> 6] & (~0ULL << (i & 63));
		if (m) {
			w = (i & ~63u) | (unsigned)__builtin_ctzll(m);
			return w << 6 | (unsigned)__builtin_ctzll(q->bits[w]);
		}
		i = (i | 63) + 1;
	}
}

/* Puts ev (its time later than or equal to every event in the bucket but
 * those it is walked past) into the bucket of slot, in time order. */
static void bucket_add(struct evq *q, struct sim_event *ev, uint64_t slot)
{
	unsigned b = (unsigned)slot & (q->nslots - 1);
	struct sim_event *head = q->heads[b], *at;
	uint64_t t = ev_time(ev);

	ev->w.tag = (uintptr_t)b << 2 | WHEEL_TAG;
	q->nwheel++;
	if (!q->wfirst || t < ev_time(q->wfirst))
		q->wfirst = ev;
	if (!head) {
		ev->w.next = ev->w.prev = ev;
		q->heads[b] = ev;
		mark(q, b, true);
		return;
	}
	/* after the last event at or before t (from the back: most are
	 * the latest); before the first if all are later */
	for (at = head->w.prev; at != head && ev_time(at) > t; at = at->w.prev)
		;
	if (ev_time(at) > t) {
		at = head->w.prev;
		q->heads[b] = ev;
	}
	ev->w.prev = at;
	ev->w.next = at->w.next;
	at->w.next->w.prev = ev;
	at->w.next = ev;
}

static void wheel_remove(struct evq *q, struct sim_event *ev)
{
	unsigned b = (unsigned)(ev->w.tag >> 2);

	q->nwheel--;
	if (ev->w.next == ev) {
		q->heads[b] = NULL;
		mark(q, b, false);
	} else {
		ev->w.prev->w.next = ev->w.next;
		ev->w.next->w.prev = ev->w.prev;
		if (q->heads[b] == ev)
			q->heads[b] = ev->w.next;
	}
	/* the earliest is the first of its bucket: the next one is the
	 * bucket's new first, or the first of the next bucket in use */
	if (q->wfirst == ev)
		q->wfirst = !q->nwheel	? NULL :
			    q->heads[b] ? q->heads[b] :
					  q->heads[next_bucket(q, b)];
	rb_clear_node(&ev->node);
}

/* The slot of time, or cur for a time before it. */
static inline uint64_t wheel_slot(const struct evq *q, uint64_t time)
{
	uint64_t slot = time >> q->shift;

	return slot < q->cur ? q->cur : slot;
}

/* Whether the wheel takes an event in slot (wheel_slot: within reach). */
static inline bool wheel_has_slot(const struct evq *q, uint64_t slot)
{
	return slot - q->cur < q->nslots;
}

static void tree_erase(struct evq *q, struct sim_event *ev)
{
	if (&ev->node == q->rightmost)
		q->rightmost = rb_prev(&ev->node);
	if (&ev->node == q->hint)
		q->hint = NULL;
	rb_erase_cached(&ev->node, &q->tree);
	rb_clear_node(&ev->node);
	q->ntree--;
}

/* The wheel rebuilt with nslots slots of 2^shift ns (each at least the
 * old), so that it reaches at least as far: the tree's first events, while
 * they are within the new reach, go into the emptied wheel, then the
 * wheel's own, walked in time order from cur's bucket: each goes after the
 * events at or before its time, so the tree's go before the wheel's at
 * the same time (they were armed first). */
static void wheel_rebuild(struct evq *q, unsigned nslots, unsigned shift)
{
	struct sim_event *chain = NULL, *last = NULL, *ev, *next;
	unsigned i, b = (unsigned)q->cur & (q->nslots - 1);
	struct rb_node *n;

	for (i = 0; i < q->nslots; i++, b = (b + 1) & (q->nslots - 1)) {
		struct sim_event *head = q->heads[b];

		if (!head)
			continue;
		/* the bucket's circle, opened after its last */
		head->w.prev->w.next = NULL;
		if (last)
			last->w.next = head;
		else
			chain = head;
		last = head->w.prev;
	}
	free(q->heads);
	free(q->bits);
	q->heads = xcalloc(nslots, sizeof(struct sim_event *));
	q->bits = xcalloc(nslots / 64, sizeof(*q->bits));
	memset(q->sum, 0, sizeof(q->sum));
	q->cur >>= shift - q->shift;
	q->nslots = nslots;
	q->shift = shift;
	q->nwheel = 0;
	q->wfirst = NULL;
	while ((n = rb_first_cached(&q->tree))) {
		uint64_t slot;

		ev = rb_entry(n, struct sim_event, node);
		slot = wheel_slot(q, ev_time(ev));
		if (!wheel_has_slot(q, slot))
			break;
		tree_erase(q, ev);
		bucket_add(q, ev, slot);
	}
	for (ev = chain; ev; ev = next) {
		next = ev->w.next;
		bucket_add(q, ev, wheel_slot(q, ev_time(ev)));
	}
}

void evq_init(struct evq *q)
{
	memset(q, 0, sizeof(*q));
	q->tree = RB_ROOT_CACHED;
	q->shift = EVQ_SHIFT_MIN;
	q->nslots = EVQ_SLOTS_MIN;
	q->heads = xcalloc(q->nslots, sizeof(struct sim_event *));
	q->bits = xcalloc(q->nslots / 64, sizeof(*q->bits));
}

void evq_destroy(struct evq *q)
{
	free(q->heads);
	free(q->bits);
	q->heads = NULL;
	q->bits = NULL;
	q->nslots = 0;
}

void evq_event_init(struct sim_event *ev, enum ev_kind kind)
{
	rb_clear_node(&ev->node);
	ev->key = (uint64_t)kind;
}

static void evq_erase(struct evq *q, struct sim_event *ev)
{
	if (ev_kind(ev) == EV_RUN_DONE)
		done_remove(q, ev);
	else if (in_wheel(ev))
		wheel_remove(q, ev);
	else
		tree_erase(q, ev);
}

static void tree_add(struct evq *q, struct sim_event *ev)
{
	struct rb_node *last = q->rightmost, *hint = q->hint;

	q->ntree++;
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

/* The wheel grows with what it is given.  It starts small (EVQ_SLOTS_MIN
 * slots of 1 us: 8 KiB, enough for the ticks of a run of hogs, their only
 * timed events) and doubles its slots, up to EVQ_SLOTS_MAX, when it holds
 * more events than slots.  An
 * event that goes to the tree is a miss: 4 points, an event the wheel
 * takes -1; past MISS_LIMIT more than a fifth of the events armed lately
 * were misses, and the wheel reaches twice as far, with twice as many
 * slots while it is half full, else with slots twice as long.  A few
 * events far away (a long sleep, a bandwidth period among many wake-ups)
 * stay in the tree; events beyond the widest reach (some 9 hours) are no
 * misses. */
#define MISS_LIMIT 64

void evq_arm(struct evq *q, struct sim_event *ev, enum ev_kind kind,
	     uint64_t time)
{
	uint64_t slot;

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
	slot = wheel_slot(q, time);
	if (wheel_has_slot(q, slot)) {
		if (q->miss)
			q->miss--;
		bucket_add(q, ev, slot);
		if (q->nwheel > q->nslots && q->nslots < EVQ_SLOTS_MAX)
			wheel_rebuild(q, 2 * q->nslots, q->shift);
		return;
	}
	tree_add(q, ev);
	if ((time >> EVQ_SHIFT_MAX) - (q->cur >> (EVQ_SHIFT_MAX - q->shift)) <
		    EVQ_SLOTS_MAX &&
	    (q->miss += 4) > MISS_LIMIT) {
		q->miss = 0;
		if (2 * q->nwheel >= q->nslots && q->nslots < EVQ_SLOTS_MAX)
			wheel_rebuild(q, 2 * q->nslots, q->shift);
		else if (q->shift < EVQ_SHIFT_MAX)
			wheel_rebuild(q, q->nslots, q->shift + 1);
	}
}

void evq_cancel(struct evq *q, struct sim_event *ev)
{
	if (!ev_queued(ev))
		return;
	evq_erase(q, ev);
}

/* by key >> EV_ORDER_SHIFT: time, then an ending burst first */
static inline bool key_less(uint64_t a, uint64_t b)
{
	return a >> EV_ORDER_SHIFT < b >> EV_ORDER_SHIFT;
}

struct sim_event *evq_peek(struct evq *q)
{
	struct rb_node *n = rb_first_cached(&q->tree);
	struct sim_event *best = n ? rb_entry(n, struct sim_event, node) : NULL;
	struct sim_event *w = q->wfirst;

	/* the wheel's earliest, unless the tree's is as early (armed
	 * before it) */
	if (w && (!best || key_less(w->key, best->key)))
		best = w;
	/* the end of a burst first, unless another event is earlier */
	if (q->ndone &&
	    (!best || key_less(q->done[q->done_head].key, best->key)))
		best = q->done[q->done_head].ev;
	return best;
}

void evq_remove(struct evq *q, struct sim_event *ev)
{
	evq_cancel(q, ev);
}

void evq_take(struct evq *q, struct sim_event *ev)
{
	uint64_t slot = ev_time(ev) >> q->shift;

	/* the earliest event: nothing in the wheel is before its slot */
	if (slot > q->cur)
		q->cur = slot;
	if (ev_kind(ev) == EV_RUN_DONE) { /* the head of the array */
		q->done_head++;
		q->ndone--;
		rb_clear_node(&ev->node);
		return;
	}
	evq_erase(q, ev);
}
