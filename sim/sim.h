/* The simulation engine's entry point: runs a scenario through the modelled
 * fair scheduler and CFS bandwidth control and fills a struct results
 * (source SOURCE_SIM).  Deterministic: the same scenario and seed give the
 * same results, bit for bit. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

/* The kernel whose behaviour a scenario gets when it names none. */
#define SIM_DEFAULT_KERNEL "6.18"

/* Parses kernel.version ("" = SIM_DEFAULT_KERNEL) as X.Y. */
int sim_kernel_version(const struct kernel_spec *k, unsigned *major,
		       unsigned *minor);
/* The policy a scenario's kernel block selects: policy if given, else
 * EEVDF from 6.6 on and classic CFS before. */
enum policy_kind sim_kernel_policy(const struct kernel_spec *k);

/* Scheduler tunables as the kernel derives them for a scenario: scaled by
 * 1 + ilog2(min(online CPUs, 8)) (SCHED_TUNABLESCALING_LOG), the tick from
 * HZ, the balance intervals of one sched domain spanning all CPUs. */
struct sim_tunables {
	unsigned factor;
	uint64_t tick_ns;
	uint64_t sched_latency_ns;	/* classic CFS */
	uint64_t min_granularity_ns;	/* classic CFS */
	uint64_t wakeup_granularity_ns; /* classic CFS */
	uint64_t base_slice_ns;		/* EEVDF */
	uint64_t bandwidth_slice_ns;
	uint64_t balance_busy_ns;
	uint64_t balance_idle_ns;
	uint64_t migration_cost_ns;
};

void sim_tunables(const struct scenario *sc, struct sim_tunables *t);

struct sim_options {
	bool timeline; /* also record results.timeline */
	/* entries of each kind the timeline keeps; 0 = TIMELINE_MAX_ENTRIES
	 * (tests use fewer) */
	size_t timeline_max;
	/* also record the latency of periodic tasks' activations (request
	 * workloads always record theirs) */
	bool latency;
	/* every queue in a red-black tree, as classic CFS keeps them; EEVDF
	 * keeps a queue in an array while it holds at most SQ_MAX entities
	 * (sim/squeue.h), with the same results (tests compare the two) */
	bool tree_queues;
	/* the memory those arrays may take together, in bytes; a queue whose
	 * array would pass it becomes a tree.  0: SIM_ARRAY_BYTES_PER_THREAD
	 * a thread, at least SIM_ARRAY_BYTES_MIN */
	uint64_t array_bytes;
};

#define SIM_ARRAY_BYTES_PER_THREAD 128
#define SIM_ARRAY_BYTES_MIN	   (256 * 1024)

/* Simulates sc for sc->duration_ns.  opt may be NULL.  On success returns 0
 * and out owns its data (free with results_destroy). */
int sim_run(const struct scenario *sc, const struct sim_options *opt,
	    struct results *out, struct err *err);

#endif
