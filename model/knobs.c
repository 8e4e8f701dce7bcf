/* A group's knobs as cgroup file values. */
#include "model/knobs.h"

#include <inttypes.h>
#include <stdio.h>

void knob_files(const struct group_spec *g, bool unlimited,
		struct knob_files *kf)
{
	uint64_t quota_us = g->quota_ns / NSEC_PER_USEC;
	bool limited = g->has_quota && !unlimited;

	kf->shares = g->shares;
	kf->weight = g->weight ? g->weight : shares_to_weight(g->shares);
	kf->cfs_period_us = g->period_ns / NSEC_PER_USEC;
	kf->burst_us = g->burst_ns / NSEC_PER_USEC;
	if (limited) {
		snprintf(kf->cfs_quota_us, sizeof(kf->cfs_quota_us), "%" PRIu64,
			 quota_us);
		snprintf(kf->cpu_max, sizeof(kf->cpu_max),
			 "%" PRIu64 " %" PRIu64, quota_us, kf->cfs_period_us);
	} else {
		snprintf(kf->cfs_quota_us, sizeof(kf->cfs_quota_us), "-1");
		snprintf(kf->cpu_max, sizeof(kf->cpu_max), "max %" PRIu64,
			 kf->cfs_period_us);
	}
}
