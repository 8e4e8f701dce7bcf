/* The seeded pseudo-random generator (xoshiro256**, seeded by splitmix64).
 * Every random choice of a run derives from the scenario seed through
 * rng_derive, so a simulation and a real run draw the same numbers. */
#ifndef BASE_RNG_H
#define BASE_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
/* Independent stream for (seed, a, b, c), e.g. (seed, task, thread, 0). */
void rng_derive(struct rng *r, uint64_t seed, uint64_t a, uint64_t b,
		uint64_t c);
uint64_t rng_next(struct rng *r);
/* Uniform in [lo, hi] (inclusive), without modulo bias. */
uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi);

#endif
