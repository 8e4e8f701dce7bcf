/* Results of one run, simulated or real: per-group cpu.stat figures and
 * per-task summaries.  Both producers fill the same structure so reporting,
 * comparison and plotting never need to know where numbers came from.
 * Times are kept in ns; reports convert to the units cgroups print.  A
 * struct results owns its strings and arrays. */
#ifndef MODEL_RESULTS_H
#define MODEL_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum result_source { SOURCE_SIM, SOURCE_REAL };

struct group_result {
	char *path;
	uint64_t usage_ns; /* cpuacct.usage / usage_usec, hierarchical */
	uint64_t user_ns;
	uint64_t system_ns;
	uint64_t nr_periods;
	uint64_t nr_throttled;
	uint64_t throttled_ns; /* summed over CPUs */
	uint64_t nr_bursts;
	uint64_t burst_ns;
	uint64_t throttled_local_ns; /* cpu.stat.local throttled time */
	/* Real runs: what cfssim wrote for the group, 0 = not written. */
	uint32_t cg_shares; /* cgroup v1 cpu.shares */
	uint32_t cg_weight; /* cgroup v2 cpu.weight, shares_to_weight() */
};

struct task_result {
	char *group; /* group path (see results.task_strings) */
	char *name;
	unsigned index;	       /* thread index within the task, 0..count-1 */
	uint64_t runtime_ns;   /* CPU time */
	uint64_t wait_ns;      /* runnable but not running */
	uint64_t nr_switches;  /* times switched out (voluntary + not) */
	uint64_t nr_voluntary; /* of which it slept */
	/* real runs: of runtime_ns, what the kernel charged to the thread
	 * while it did not run its own code, 200 us or more at a time (gaps
	 * in its spinning, jumps of its CPU clock: backend/wlspin.h,
	 * wlspin_charged_ns), such as the time of a hypervisor that does not
	 * report steal time */
	uint64_t charged_ns;
};

/* One sample of a group's bandwidth state at a period boundary. */
struct period_sample {
	size_t group;	   /* index into results.groups */
	uint64_t start_ns; /* period boundary that opened it */
	uint64_t end_ns;
	uint64_t quota_ns;     /* handed out at its start (refill) */
	uint64_t used_ns;      /* runtime consumed during the period */
	uint64_t throttled_ns; /* throttled time accounted in it */
	int throttled;	       /* 1 if the period counted in nr_throttled */
	/* real runs: each boundary lies within this of start_ns / end_ns
	 * (half the sampling interval it fell in); 0 when simulated */
	uint64_t start_err_ns, end_err_ns;
};

/* One running interval of a task thread on a CPU. */
struct run_slice {
	size_t task; /* index into results.tasks */
	unsigned cpu;
	uint64_t start_ns;
	uint64_t end_ns;
};

/* vruntime of a task thread, sampled when it stops running, and of the
 * entity above it at its CPU's top level (its top-level group's entity):
 * a task alone in its group is always at its queue's min_vruntime, while
 * the group entities compete at the top. */
struct vruntime_sample {
	size_t task;
	unsigned cpu;
	uint64_t time_ns;
	int64_t vruntime_ns; /* relative to the cfs_rq's min_vruntime */
	size_t top_group;    /* scenario group of the top-level entity,
			      * SIZE_MAX when the task itself is there */
	int64_t top_lag_ns;  /* its lag, weight * (V - vruntime) / 1024: CPU
			     * time it is owed (> 0) or ahead (< 0); classic
			     * CFS has no V and uses min_vruntime */
};

/* One request (or periodic activation) of a task with latency, in the
 * order they completed; the four parts add up to end - arrival in the
 * simulator, a real run leaves them 0 (has_breakdown false). */
struct request_record {
	size_t latency;	     /* index into results.latency */
	unsigned thread;     /* worker (thread index) that served it */
	uint64_t arrival_ns; /* scheduled arrival / activation */
	uint64_t start_ns;   /* a worker took it / the thread began it */
	uint64_t end_ns;     /* completion */
	uint64_t queued_ns, runnable_ns, throttled_ns, running_ns;
};

/* Optional time series, filled when a timeline is requested. */
/* A timeline keeps at most this many entries of each kind (about 64 MB of
 * run slices, 130 MB of CSV); past it recording stops, full_at_ns says
 * when, and the commands say so on stderr. */
#define TIMELINE_MAX_ENTRIES 2000000

struct timeline {
	struct period_sample *periods;
	size_t nperiods, cap_periods;
	struct run_slice *slices;
	size_t nslices, cap_slices;
	struct vruntime_sample *vruntimes;
	size_t nvruntimes, cap_vruntimes;
	struct request_record *requests;
	size_t nrequests, cap_requests;
	size_t max_entries;  /* of each kind, TIMELINE_MAX_ENTRIES or less */
	bool full;	     /* an array reached max_entries */
	uint64_t full_at_ns; /* the instant it did */
};

enum latency_kind {
	LAT_REQUESTS,	 /* a request stream served by a worker pool */
	LAT_ACTIVATIONS, /* the activations of a periodic task */
};

/* Response times of one scenario task.  samples_ns holds the latency of
 * every completed request, ascending (latency_finish sorts them);
 * wakeup_ns, for activations, the time from each activation to the
 * thread's first run for it.  The sums are over the completed ones; the
 * breakdown's four sums add up to sum_ns when has_breakdown. */
struct latency_result {
	char *group; /* owned */
	char *task;  /* owned */
	size_t spec; /* scenario task index */
	enum latency_kind kind;
	uint64_t open; /* arrived (or activated) but not completed */
	uint64_t *samples_ns;
	size_t n, cap;
	uint64_t *wakeup_ns;
	size_t nwakeup, cap_wakeup;
	uint64_t sum_ns;
	bool has_breakdown;
	uint64_t queued_sum_ns, runnable_sum_ns, throttled_sum_ns,
		running_sum_ns;
};

/* Adds one completed request's latency to l. */
void latency_add(struct latency_result *l, uint64_t latency_ns);
/* Adds one wake-up latency to l. */
void latency_add_wakeup(struct latency_result *l, uint64_t wakeup_ns);
/* Sorts the samples (call once all are in). */
void latency_finish(struct latency_result *l);
/* The nearest-rank percentile of n ascending values: the smallest value
 * with at least per_100k / 100000 of them at or below it; 0 when n is 0. */
uint64_t latency_percentile(const uint64_t *sorted, size_t n,
			    unsigned per_100k);
/* The mean of l and its breakdown in units of unit_ns (1000: µs), rounded
 * so that the four parts add up to the mean exactly (largest remainder);
 * parts are 0 without a breakdown. */
void latency_mean_parts(const struct latency_result *l, uint64_t unit_ns,
			uint64_t *mean, uint64_t parts[4]);

struct results {
	char *scenario;
	enum result_source source;
	uint64_t duration_ns;
	unsigned cpus;
	char kernel[64];	     /* behaviour set or running kernel */
	uint64_t wall_ns;	     /* wall-clock time taken to produce them */
	struct group_result *groups; /* scenario pre-order */
	size_t ngroups;
	struct task_result *tasks; /* per thread, scenario order */
	size_t ntasks;
	struct timeline *timeline;	/* NULL unless requested */
	struct latency_result *latency; /* per task with latency, scenario
					 * order */
	size_t nlatency;
	uint64_t nr_events; /* simulated runs: events the engine processed */
	/* simulated runs: queues that were sorted arrays to the end (EEVDF
	 * queues for at most 128 entities, unless the arrays' budget turned
	 * them into trees: sim/squeue.h) */
	size_t nr_array_queues;
	uint64_t array_bytes; /* simulated runs: the most they held at once */
	/* Real runs: how much of the run's CPUs the host took between the two
	 * counter reads, when it could be measured (host_measured): CPU time
	 * of tasks outside the run (host_other_ns; interrupts they caused
	 * included) and time the hypervisor stole (host_steal_ns). */
	bool host_measured;
	uint64_t host_other_ns, host_steal_ns;
	/* Real runs: the tasks' charged_ns summed (runtime the kernel charged
	 * to them while their loops did not run; with a hypervisor that does
	 * not report steal time, mostly what it ran elsewhere meanwhile). */
	uint64_t host_charged_ns;
	/* Real runs with request workloads: the load generator ran on the
	 * scenario's own CPUs, the machine having none to spare. */
	bool generator_shared;
	/* The strings tasks[i].group and tasks[i].name point to, always
	 * owned here (results_keep), a scenario task's two shared by all its
	 * threads: never free a task's strings one by one. */
	char **strings;
	size_t nstrings, cap_strings;
};

/* A copy of s owned by r's string table, for tasks[].group and .name. */
char *results_keep(struct results *r, const char *s);

struct scenario;

/* Starts results for sc in r, zeroed but for what the caller filled
 * already (a simulation's latency): fills the scenario name, source,
 * duration, CPU count and one group result per group with its path (the
 * figures zero, no tasks yet); names[2 i] and names[2 i + 1] get scenario
 * task i's group path and name, kept in r (names: 2 x sc->ntasks). */
void results_begin(struct results *r, const struct scenario *sc,
		   enum result_source source, char **names);

/* Frees what the results own; accepts a zeroed struct. */
void results_destroy(struct results *r);

#endif
