#include "base/sort.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define SORT_BITS    11
#define SORT_BUCKETS (1u << SORT_BITS)
#define SORT_SMALL   64

static void insertion(uint64_t *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void sort_u64(uint64_t *v, size_t n)
{
	size_t *pos, i;
	uint64_t *src = v, *dst, *buf, *t, diff = 0;
	unsigned shift;

	if (n < SORT_SMALL) {
		insertion(v, n);
		return;
	}
	for (i = 1; i < n; i++)
		diff |= v[i] ^ v[0];
	if (!diff)
		return;
	buf = xmalloc(n * sizeof(*v));
	pos = xmalloc(SORT_BUCKETS * sizeof(*pos));
	dst = buf;
	for (shift = 0; shift < 64; shift += SORT_BITS) {
		size_t sum = 0;
		unsigned d;

		/* every value has the same digit here: this pass keeps the
		 * order as it is */
		if (!((diff >> shift) & (SORT_BUCKETS - 1)))
			continue;
		memset(pos, 0, SORT_BUCKETS * sizeof(*pos));
		for (i = 0; i < n; i++)
			pos[(src[i] >> shift) & (SORT_BUCKETS - 1)]++;
		for (d = 0; d < SORT_BUCKETS; d++) {
			size_t c = pos[d];

			pos[d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[pos[(src[i] >> shift) & (SORT_BUCKETS - 1)]++] =
				src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(pos);
	free(buf);
}
