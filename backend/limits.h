/* What a real run may take of the host: its threads against kernel.pid_max
 * and kernel.threads-max, its memory against MemAvailable, its length, and
 * the caps (pids.max, memory.max) written on its run root.  The host's
 * figures are data, so tests hand in their own. */
#ifndef BACKEND_LIMITS_H
#define BACKEND_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"

/* Real runs longer than this need --long. */
#define LIMITS_MAX_DURATION_NS (600 * NSEC_PER_SEC)
/* Memory counted per thread (its 256 KiB stack, fully touched at worst,
 * and the kernel's stack and task struct) and per container (the static
 * workload, its tmpfs and page tables). */
#define LIMITS_THREAD_BYTES    (288ULL * 1024)
#define LIMITS_CONTAINER_BYTES (8ULL * 1024 * 1024)

struct limits_host {
	uint64_t pid_max;	      /* /proc/sys/kernel/pid_max */
	uint64_t threads_max;	      /* /proc/sys/kernel/threads-max */
	uint64_t threads_now;	      /* threads alive (/proc/loadavg) */
	uint64_t mem_available_bytes; /* MemAvailable of /proc/meminfo */
	unsigned online_cpus;
};

struct limits_plan {
	uint64_t threads;	   /* the run's threads: tasks + one per
				    * container */
	uint64_t threads_allowed;  /* the safe share of the host's */
	uint64_t pids_max;	   /* written to the run root */
	uint64_t memory_bytes;	   /* the run's estimate */
	uint64_t memory_allowed;   /* the safe share of MemAvailable */
	uint64_t memory_max_bytes; /* written to the run root */
	bool every_cpu;		   /* the scenario takes every online CPU */
};

/* Reads the host's figures from /proc. */
int limits_host_read(struct limits_host *h, struct err *err);

/* Plans sc on host h: -1 with the numbers in err when the scenario would
 * take more than a quarter of the host's thread limit (or half of the
 * threads still free), more than half of the available memory, or run
 * longer than LIMITS_MAX_DURATION_NS without allow_long. */
int limits_plan(const struct scenario *sc, const struct limits_host *h,
		bool allow_long, struct limits_plan *p, struct err *err);

#endif
