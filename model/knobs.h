/* A group's knobs as the values of its cgroup files: what `cfssim check`
 * shows and what the real backend writes, computed in one place. */
#ifndef MODEL_KNOBS_H
#define MODEL_KNOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

struct knob_files {
	uint32_t shares;	/* v1 cpu.shares */
	uint32_t weight;	/* v2 cpu.weight: the scenario's weight,
				    * else shares_to_weight(shares) */
	char cfs_quota_us[24];	/* v1 cpu.cfs_quota_us: µs, or "-1" */
	uint64_t cfs_period_us; /* v1 cpu.cfs_period_us */
	uint64_t burst_us;	/* v1 cpu.cfs_burst_us, v2 cpu.max.burst */
	char cpu_max[48];	/* v2 cpu.max: "QUOTA PERIOD", "max PERIOD" */
};

/* The files' values for group g; with unlimited, the quota is left out
 * ("-1", "max PERIOD") whatever g says (the backend writes quotas last). */
void knob_files(const struct group_spec *g, bool unlimited,
		struct knob_files *kf);

#endif
