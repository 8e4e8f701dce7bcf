/* Kernel versions and the one table of what each version's fair scheduler
 * has: the loader (checking a scenario), the engine (choosing behaviour)
 * and the real backend (checking the host) all ask kernel_has(). */
#ifndef MODEL_KERNEL_H
#define MODEL_KERNEL_H

#include <stdbool.h>

/* What changed across the versions cfssim simulates. */
enum kernel_feature {
	KERNEL_NO_SLICE_EXPIRY,	   /* runtime slices no longer expire (5.4) */
	KERNEL_LB_GROUP_TYPES,	   /* balancing by group type: a busy CPU with
				 * spare capacity balances task counts (5.5) */
	KERNEL_BURST,		   /* cpu.cfs_burst_us / cpu.max.burst (5.14) */
	KERNEL_EEVDF,		   /* EEVDF replaces CFS by default (6.6) */
	KERNEL_BUSY_SPARE_NO_PULL, /* a busy CPU with spare capacity pulls
				    * nothing: sibling_imbalance (6.6) */
	KERNEL_CUSTOM_SLICE,  /* sched_setattr sched_runtime slices (6.12) */
	KERNEL_TASK_THROTTLE, /* throttling parks tasks, not queues (6.18) */
	KERNEL_NFEATURES,
};

/* The first version that has f. */
struct kernel_version {
	unsigned major, minor;
};
struct kernel_version kernel_feature_since(enum kernel_feature f);

/* major.minor has feature f. */
bool kernel_has(enum kernel_feature f, unsigned major, unsigned minor);

/* "X.Y..." (a scenario's version or a uname release) into major, minor;
 * -1 if the text does not start so. */
int kernel_version_parse(const char *text, unsigned *major, unsigned *minor);

/* The running kernel's X.Y; -1 if unknown. */
int kernel_host_version(unsigned *major, unsigned *minor);

/* major.minor is want_major.want_minor or later. */
static inline bool kernel_at_least(unsigned major, unsigned minor,
				   unsigned want_major, unsigned want_minor)
{
	return major > want_major ||
	       (major == want_major && minor >= want_minor);
}

#endif
