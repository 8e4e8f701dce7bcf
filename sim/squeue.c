/* A small queue as a sorted array: the parts that are not inlined
 * (squeue.h). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#include "sim/squeue.h"

void sq_init(struct squeue *q, unsigned cap)
{
	assert(cap <= SQ_MAX);
	memset(q, 0, sizeof(*q));
	q->cap = (uint8_t)cap;
}

bool sq_grow(struct squeue *q, struct sq_budget *b)
{
	unsigned size = q->size ? 2u * q->size : SQ_MIN_SLOTS;
	uint64_t more;
	struct sq_ent *mem;

	if (size > 2u * q->cap)
		size = 2u * q->cap;
	more = (uint64_t)(size - q->size) * sizeof(*mem);
	if (size <= q->size || b->used + more > b->limit)
		return false;
	mem = xmalloc(size * sizeof(*mem));
	if (q->n)
		memcpy(mem + (size - q->n) / 2, q->e, q->n * sizeof(*mem));
	if (q->size)
		free(q->e - q->lo);
	q->lo = (uint8_t)((size - q->n) / 2);
	q->e = mem + q->lo;
	q->size = (uint16_t)size;
	b->used += more;
	if (b->used > b->peak)
		b->peak = b->used;
	return true;
}

void sq_release(struct squeue *q, struct sq_budget *b)
{
	if (!q->size)
		return;
	free(q->e - q->lo);
	b->used -= q->size * sizeof(*q->e);
	q->e = NULL;
	q->size = 0;
	q->lo = 0;
	q->n = 0;
	q->falls = 0;
}

/* Puts the window back in the middle of the storage. */
void sq_recenter(struct squeue *q)
{
	struct sq_ent *base = q->e - q->lo;
	unsigned lo = (q->size - q->n) / 2;

	sq_move(base + lo, q->e, q->n);
	q->e = base + lo;
	q->lo = (uint8_t)lo;
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

	q->falls = (uint8_t)(q->falls - sq_falls_around(q, i));
	q->e[i].key = key;
	q->e[i].v = v;
	q->falls = (uint8_t)(q->falls + sq_falls_around(q, i));
	if ((int64_t)(v - q->min_v) < 0)
		q->min_v = v;
	else if (old == q->min_v && v != old)
		sq_min_lost(q);
}
