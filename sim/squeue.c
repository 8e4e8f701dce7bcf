/* A small queue as a sorted array: the parts that are not inlined
 * (squeue.h). */
#include <assert.h>
#include <string.h>

#include "sim/squeue.h"

void sq_init(struct squeue *q, void *mem, unsigned cap)
{
	assert(cap <= SQ_MAX);
	q->cap = (uint16_t)cap;
	q->lo = (uint16_t)(cap / 2);
	q->e = (struct sq_ent *)mem + q->lo;
	q->n = 0;
	q->hint = 0;
	q->min_v = 0;
}

/* Puts the window back in the middle of the storage. */
void sq_recenter(struct squeue *q)
{
	struct sq_ent *base = q->e - q->lo;
	unsigned lo = (2u * q->cap - q->n) / 2;

	sq_move(base + lo, q->e, q->n);
	q->e = base + lo;
	q->lo = (uint16_t)lo;
}

void sq_recompute_min(struct squeue *q)
{
	uint64_t m = q->e[0].v;
	unsigned i;

	for (i = 1; i < q->n; i++)
		if ((int64_t)(q->e[i].v - m) < 0)
			m = q->e[i].v;
	q->min_v = m;
}

void sq_update_at(struct squeue *q, unsigned i, uint64_t key, uint64_t v)
{
	uint64_t old = q->e[i].v;

	q->e[i].key = key;
	q->e[i].v = v;
	if ((int64_t)(v - q->min_v) < 0)
		q->min_v = v;
	else if (old == q->min_v && v != old)
		sq_recompute_min(q);
}
