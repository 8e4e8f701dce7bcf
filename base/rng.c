#include "base/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void rng_derive(struct rng *r, uint64_t seed, uint64_t a, uint64_t b,
		uint64_t c)
{
	uint64_t x = seed;

	x = splitmix64(&x) ^ a;
	x = splitmix64(&x) ^ b;
	x = splitmix64(&x) ^ c;
	rng_seed(r, x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	uint64_t span, limit, x;

	if (hi <= lo)
		return lo;
	span = hi - lo + 1;
	if (span == 0)
		return rng_next(r);
	limit = UINT64_MAX - UINT64_MAX % span;
	do
		x = rng_next(r);
	while (x >= limit);
	return lo + x % span;
}
