/* Load weights and the kernel's fixed-point arithmetic on them: the nice to
 * weight tables, scaled loads (64-bit kernels keep weights << 10), the
 * lazily computed inverse weight and __calc_delta.  Pure functions. */
#ifndef MODEL_WEIGHTS_H
#define MODEL_WEIGHTS_H

#include <stdint.h>

#define SCHED_FIXEDPOINT_SHIFT 10
#define NICE_0_LOAD_SHIFT      20 /* kernel: 64-bit, 2 * SCHED_FIXEDPOINT_SHIFT */
#define NICE_0_LOAD	       (1UL << NICE_0_LOAD_SHIFT)
#define WMULT_CONST	       0xffffffffUL
#define WMULT_SHIFT	       32

/* kernel: sched_prio_to_weight / sched_prio_to_wmult, index nice + 20 */
extern const uint32_t weight_prio_to_weight[40];
extern const uint32_t weight_prio_to_wmult[40];

/* A load weight as the kernel keeps it: weight scaled by 2^10 and the
 * inverse 2^32 / scale_load_down(weight) (0 = not computed yet). */
struct load_weight {
	uint64_t weight;
	uint32_t inv_weight;
};

static inline uint64_t scale_load(uint64_t w)
{
	return w << SCHED_FIXEDPOINT_SHIFT;
}

/* kernel: scale_load_down, never below 2 for a non-zero weight */
static inline uint64_t scale_load_down(uint64_t w)
{
	if (w) {
		uint64_t d = w >> SCHED_FIXEDPOINT_SHIFT;

		return d < 2 ? 2 : d;
	}
	return 0;
}

/* The weight of a task of the given nice value (table inverse included). */
void weight_lw_set_nice(struct load_weight *lw, int nice);
/* Sets a scaled weight; the inverse is computed on first use. */
void weight_lw_set(struct load_weight *lw, uint64_t scaled_weight);

/* kernel: __calc_delta: delta * weight / lw->weight in the kernel's fixed
 * point (floor), with weight scaled.  Computes lw's inverse if needed. */
uint64_t weight_calc_delta(uint64_t delta, uint64_t weight,
			   struct load_weight *lw);

/* kernel: calc_delta_fair: delta * NICE_0_LOAD / se weight.  Inline: it
 * is on every path of the engine, and at nice 0 it is the identity. */
static inline uint64_t calc_delta_fair(uint64_t delta, struct load_weight *lw)
{
	if (lw->weight != NICE_0_LOAD)
		delta = weight_calc_delta(delta, NICE_0_LOAD, lw);
	return delta;
}

/* Integer log2, floor (ilog2(1) = 0). */
unsigned weight_ilog2_u64(uint64_t x);

/* PELT: 1024 µs periods, y^32 = 1/2 (kernel: sched-pelt.h). */
#define LOAD_AVG_PERIOD	 32
#define LOAD_AVG_MAX	 47742
#define PELT_MIN_DIVIDER (LOAD_AVG_MAX - 1024)
/* kernel: SCHED_CAPACITY_SCALE, a CPU's full capacity in utilisation */
#define SCHED_CAPACITY 1024

/* kernel: decay_load: val * y^n */
uint64_t pelt_decay_load(uint64_t val, uint64_t n);

#endif
