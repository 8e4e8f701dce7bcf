/* A small queue as a sorted array (squeue.c): EEVDF keeps the entities of
 * a queue holding at most SQ_MAX of them in deadline order in an array of
 * (deadline, vruntime, entity) instead of the augmented red-black tree,
 * which is what a queue becomes when it would hold more.  Both give the
 * same order (deadline, equal deadlines in insertion order) and EEVDF's
 * pick reads nothing else, so the simulation is the same with either; the
 * array takes no pointer walk and no rebalancing, and a pick scans a few
 * contiguous vruntimes instead of descending through entities spread over
 * memory (bench/README.md, issue 14). */
#ifndef SIM_SQUEUE_H
#define SIM_SQUEUE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct sched_entity;

/* A queue is an array while at most this many entities are queued on it
 * (cap: its child groups and the threads of its group, when fewer). */
#define SQ_MAX 128
/* The storage, up to 2 * SQ_MAX slots, is indexed by bytes (lo, n, hint):
 * a window at the end of 256 slots starts at 255 at most, past that lo
 * would wrap (SQ_MAX 255 overran the storage). */
_Static_assert(2 * SQ_MAX <= 256, "squeue's byte fields index its storage");

/* One queued entity: its deadline (the order) and vruntime (what a pick
 * tests) beside it, so that a pick and a search read the array alone. */
struct sq_ent {
	uint64_t key; /* deadline */
	uint64_t v;   /* vruntime */
	struct sched_entity *se;
};

/* The entities sit in a window at most half the size of their storage,
 * so that an insertion or an erasure moves the entities on the nearer side
 * of it: a pick mostly takes one near the front, a hog's new slice goes to
 * the back, and neither moves the rest.  When the window reaches an end
 * of the storage it is moved back to the middle.  The storage starts at
 * SQ_MIN_SLOTS slots on the first insertion and doubles when the window
 * would pass half of it, up to twice the capacity, as far as the
 * simulation's budget allows (struct sq_budget). */
struct squeue {
	struct sq_ent *e; /* e[0..n) in deadline order (wrapping), equal
			   * deadlines in insertion order: the window */
	uint64_t min_v;	  /* the least of e[0..n).v, when n > 0 */
	uint8_t n, cap;	  /* cap <= SQ_MAX */
	uint8_t lo;	  /* e - storage */
	uint8_t hint;	  /* where the last pick found its entity */
	uint16_t size;	  /* slots of storage, 0 until the first insertion */
	uint8_t falls;	  /* neighbours whose vruntime falls: see sq_falls */
};

#define SQ_MIN_SLOTS 8

/* What the arrays of one simulation may take, in bytes; peak: the most
 * they held at once. */
struct sq_budget {
	uint64_t used, limit, peak;
};

/* Whether one more entity fits without growing the storage. */
static inline bool sq_room(const struct squeue *q)
{
	return 2u * (q->n + 1u) <= q->size;
}

/* The earliest deadline's entity, NULL when empty. */
static inline struct sched_entity *sq_first(const struct squeue *q)
{
	return q->n ? q->e[0].se : (struct sched_entity *)0;
}

/* An empty queue for at most cap <= SQ_MAX entities, without storage. */
void sq_init(struct squeue *q, unsigned cap);
/* Doubles the storage (to at least SQ_MIN_SLOTS slots) so that one more
 * entity fits; false, and nothing changed, when b has no room for it. */
bool sq_grow(struct squeue *q, struct sq_budget *b);
/* Frees the storage (the queue must be empty or become a tree). */
void sq_release(struct squeue *q, struct sq_budget *b);
/* The entity at i now has deadline key and vruntime v, and stays at i
 * (the caller checked that its neighbours allow it). */
void sq_update_at(struct squeue *q, unsigned i, uint64_t key, uint64_t v);
/* Puts the window back in the middle of its storage. */
void sq_recenter(struct squeue *q);
/* min_v from the entities */
void sq_recompute_min(struct squeue *q);

/* Inlined where EEVDF queues and picks (calls cost the flat benchmark
 * cell 2% more instructions).  Deadlines wrap as the kernel's do: the
 * tree puts b left of a when (int64_t)(b - a) < 0. */
static inline bool sq_after(uint64_t a, uint64_t b)
{
	return (int64_t)(b - a) < 0;
}

/* 1 when the vruntime falls from a to b (b the next in deadline order).
 * A queue counts its neighbours where it falls (falls): at 0 the
 * vruntimes rise with the deadlines, and the least is the first one's, so
 * that the entity leaving with the least vruntime (a hog's queue: the
 * earliest deadline is mostly the least vruntime, and the pick takes it)
 * needs no scan of the others. */
static inline unsigned sq_falls(const struct sq_ent *a, const struct sq_ent *b)
{
	return (int64_t)(b->v - a->v) < 0;
}

/* The falls between e[i] and its neighbours. */
static inline unsigned sq_falls_around(const struct squeue *q, unsigned i)
{
	unsigned f = 0;

	if (i)
		f += sq_falls(&q->e[i - 1], &q->e[i]);
	if (i + 1 < q->n)
		f += sq_falls(&q->e[i], &q->e[i + 1]);
	return f;
}

/* The fall between e[i]'s neighbours, were they next to each other. */
static inline unsigned sq_falls_across(const struct squeue *q, unsigned i)
{
	if (i && i + 1 < q->n)
		return sq_falls(&q->e[i - 1], &q->e[i + 1]);
	return 0;
}

/* The least vruntime's holder left or rose: at no fall the least is the
 * first's, else the entities are read. */
static inline void sq_min_lost(struct squeue *q)
{
	if (!q->falls)
		q->min_v = q->e[0].v;
	else
		sq_recompute_min(q);
}

/* Most moves are of a few entities (the nearer side of a small queue):
 * those are copied one by one, in the direction that does not overwrite
 * what is still to be copied, without a call. */
static inline void sq_move(struct sq_ent *to, const struct sq_ent *from,
			   unsigned n)
{
	unsigned i;

	if (n > 8) {
		memmove(to, from, (size_t)n * sizeof(*to));
	} else if (to < from) {
		for (i = 0; i < n; i++)
			to[i] = from[i];
	} else {
		for (i = n; i-- > 0;)
			to[i] = from[i];
	}
}

/* Opens a hole at i, moving the nearer side out by one. */
static inline void sq_open_at(struct squeue *q, unsigned i)
{
	bool front = i < q->n - i;

	if (front ? !q->lo : q->lo + q->n == q->size)
		sq_recenter(q);
	if (front) {
		sq_move(q->e - 1, q->e, i);
		q->e--;
		q->lo--;
	} else {
		sq_move(q->e + i + 1, q->e + i, q->n - i);
	}
	q->n++;
}

/* Closes the hole of i, moving the nearer side in by one. */
static inline void sq_close_at(struct squeue *q, unsigned i)
{
	q->n--;
	if (i < q->n - i) {
		sq_move(q->e + 1, q->e, i);
		q->e++;
		q->lo++;
	} else {
		sq_move(q->e + i, q->e + i + 1, q->n - i);
	}
}

/* Where most insertions and erasures fall: the earliest deadlines (in
 * the 100-group benchmark cell 84% of the insertions into root queues of
 * about 60 group entities, and 86% of the erasures, within the first 16,
 * 9 in the mean: the entities that run, while those of groups with little
 * weight wait far behind). */
#define SQ_FRONT 16

/* The first index whose deadline is after key (n if none): where an
 * entity with that deadline goes, after the equal ones.  Without a branch
 * on the comparisons, which a tree's descent mispredicts at every level:
 * in the first SQ_FRONT entities a count of those not after key (their
 * loads do not wait for each other), past them a binary search in which
 * the range [b, b + len] holds the answer throughout. */
static inline unsigned sq_upper_bound(const struct squeue *q, uint64_t key)
{
	const struct sq_ent *b = q->e;
	unsigned len = q->n, i, c = 0;

	if (len <= SQ_FRONT || sq_after(b[SQ_FRONT - 1].key, key)) {
		if (len > SQ_FRONT)
			len = SQ_FRONT;
		for (i = 0; i < len; i++)
			c += (unsigned)!sq_after(b[i].key, key);
		return c;
	}
	b += SQ_FRONT;
	len -= SQ_FRONT;
	while (len > 1) {
		unsigned half = len / 2;

		b += (unsigned)!sq_after(b[half].key, key) * half;
		len -= half;
	}
	return (unsigned)(b - q->e) + (unsigned)!sq_after(b->key, key);
}

static inline void sq_insert(struct squeue *q, uint64_t key, uint64_t v,
			     struct sched_entity *se)
{
	unsigned n = q->n, i = n;

	assert(sq_room(q));
	if (!n || (int64_t)(v - q->min_v) < 0)
		q->min_v = v;
	if (n && sq_after(q->e[n - 1].key, key)) {
		i = sq_upper_bound(q, key);
		sq_open_at(q, i);
	} else {
		/* at the back, as most are (an empty queue, a hog's new
		 * slice) */
		if (q->lo + n == q->size)
			sq_recenter(q);
		q->n++;
	}
	q->e[i].key = key;
	q->e[i].v = v;
	q->e[i].se = se;
	/* e[i] between what were neighbours */
	q->falls = (uint8_t)(q->falls + sq_falls_around(q, i) -
			     sq_falls_across(q, i));
}

static inline unsigned sq_find(const struct squeue *q, uint64_t key,
			       const struct sched_entity *se)
{
	unsigned i;

	if (q->hint < q->n && q->e[q->hint].se == se)
		return q->hint;
	/* past the deadlines before key: the equal ones, se among them */
	for (i = q->n ? sq_upper_bound(q, key - 1) : 0;
	     i < q->n && q->e[i].key == key; i++)
		if (q->e[i].se == se)
			return i;
	for (i = 0; i < q->n; i++)
		if (q->e[i].se == se)
			return i;
	assert(!"entity not in its queue");
	return 0;
}

static inline void sq_erase_at(struct squeue *q, unsigned i)
{
	uint64_t v = q->e[i].v;

	assert(i < q->n);
	/* its neighbours become each other's */
	q->falls = (uint8_t)(q->falls - sq_falls_around(q, i) +
			     sq_falls_across(q, i));
	sq_close_at(q, i);
	/* the least vruntime left only with this entity (seldom in a
	 * queue of periodic threads or groups: a pick takes the earliest
	 * eligible deadline, not the least vruntime) */
	if (q->n && v == q->min_v)
		sq_min_lost(q);
}

#endif
