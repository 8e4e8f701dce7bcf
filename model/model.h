/* The scenario model: cgroups with their CPU knobs and the tasks inside them,
 * as the YAML loader produces it and the simulator and real backend consume
 * it.  A struct scenario owns every string and array it points to.  Groups
 * are stored in pre-order (a parent always before its children). */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

#define SIM_MAX_CPUS	  64	 /* cpu masks are uint64_t */
#define SHARES_MIN	  2	 /* kernel: MIN_SHARES (cpu.shares) */
#define SHARES_MAX	  262144 /* kernel: MAX_SHARES */
#define SHARES_DEFAULT	  1024
#define WEIGHT_MIN	  1 /* kernel: CGROUP_WEIGHT_MIN (cpu.weight) */
#define WEIGHT_MAX	  10000
#define WEIGHT_DEFAULT	  100
#define PERIOD_DEFAULT_NS (100 * NSEC_PER_MSEC)
#define PERIOD_MIN_NS	  NSEC_PER_MSEC
#define PERIOD_MAX_NS	  NSEC_PER_SEC
#define QUOTA_MIN_NS	  NSEC_PER_MSEC

/* A length that is fixed (min == max) or drawn uniformly from [min, max]
 * with the scenario's seed. */
struct len_range {
	uint64_t min_ns;
	uint64_t max_ns;
};

enum wl_kind {
	WL_HOG,	     /* always runnable */
	WL_PERIODIC, /* run, then sleep till the next activation */
	WL_PHASES,   /* rt-app style list of run/sleep phases */
	WL_REQUESTS, /* worker pool serving an open-loop request stream */
};

enum req_arrival {
	ARRIVAL_POISSON, /* exponential gaps, from the seed */
	ARRIVAL_UNIFORM, /* a fixed gap */
	ARRIVAL_BATCH,	 /* batch_size requests at once, every batch_every */
};

enum req_dist { DIST_CONST, DIST_EXP, DIST_LOGNORMAL };

/* WL_REQUESTS: one stream for the whole task, whose count threads take the
 * requests from one FIFO queue.  rate_milli is in requests per 1000 s (so
 * "0.5/s" is 500); with ARRIVAL_BATCH it is batch_size / batch_every. */
struct req_spec {
	uint64_t rate_milli;
	enum req_arrival arrival;
	uint64_t batch_size;
	uint64_t batch_every_ns;
	enum req_dist dist;
	uint64_t service_mean_ns; /* CPU time per request */
	uint64_t service_sd_ns;	  /* DIST_LOGNORMAL only */
};

enum phase_kind {
	PHASE_RUN,   /* consume this much CPU time */
	PHASE_SLEEP, /* sleep this much wall time */
	PHASE_TIMER, /* sleep until the timer's next expiry (rt-app timer) */
	PHASE_BLOCK, /* repeat the nchildren entries after it loop times */
};

/* At most this many named timers in one workload. */
#define WL_MAX_TIMERS 8

/* One entry of WL_PHASES.  A timer's expiry starts at the thread's start
 * and moves on by len (the period, min == max) at each use; the thread
 * sleeps until it unless it is already past: then an absolute timer keeps
 * its grid (the next uses catch up), a relative one restarts from now.
 * Blocks do not nest. */
struct wl_phase {
	enum phase_kind kind;
	struct len_range len; /* RUN, SLEEP: length; TIMER: period */
	unsigned timer;	      /* TIMER: index into workload.timer_refs */
	bool absolute;	      /* TIMER: keep the grid when late */
	uint64_t loop;	      /* BLOCK: iterations, >= 1 */
	size_t nchildren;     /* BLOCK: how many entries follow inside it */
};

struct workload {
	enum wl_kind kind;
	struct len_range run;	 /* WL_PERIODIC: CPU time per activation */
	uint64_t period_ns;	 /* WL_PERIODIC: activation grid */
	struct wl_phase *phases; /* WL_PHASES, owned */
	size_t nphases;
	uint64_t loop;	     /* WL_PHASES: iterations, 0 = forever */
	uint64_t start_ns;   /* delay before the task starts */
	struct req_spec req; /* WL_REQUESTS */
	/* WL_PHASES: names of the timers (ref), owned; a phase refers to
	 * one by index */
	char **timer_refs;
	size_t ntimers;
};

struct task_spec {
	char *name;
	size_t group;	/* index into scenario.groups */
	unsigned count; /* threads, >= 1 */
	int nice;	/* -20..19 */
	/* EEVDF request size (sched_setattr sched_runtime, 6.12+),
	 * 0.1-100 ms; 0 = the kernel's base slice */
	uint64_t slice_ns;
	struct workload wl;
	int line, col; /* where it was defined, 0 if built in code */
};

/* Kubernetes resources in millicores, after the API server's defaulting
 * (a limit without a request sets the request; 0 = none). */
struct k8s_spec {
	bool set;
	uint64_t request_m;
	uint64_t limit_m;
};

struct group_spec {
	char *name;
	char *path;	 /* below the scenario root, '/'-separated */
	long parent;	 /* index of the parent group, -1 at top level */
	unsigned depth;	 /* 0 at top level */
	uint32_t shares; /* kernel weight in cpu.shares units, 2..262144 */
	uint32_t weight; /* cpu.weight if the scenario gave one, else 0 */
	bool has_quota;
	uint64_t quota_ns; /* valid when has_quota */
	uint64_t period_ns;
	uint64_t burst_ns;
	uint64_t cpus_mask; /* effective allowed CPUs (bit i = CPU i) */
	bool cpus_set;	    /* the scenario gave a cpuset for this group */
	/* the real backend's load generator, not a scenario group: the one
	 * group whose cpus_mask may lie outside the scenario's CPUs */
	bool load_generator;
	struct k8s_spec k8s;
	int line, col;
};

enum policy_kind {
	POLICY_CFS,   /* classic CFS (kernels <= 6.5) */
	POLICY_EEVDF, /* EEVDF (6.6+) */
};

struct kernel_spec {
	unsigned hz;		     /* default 250 */
	uint64_t bandwidth_slice_ns; /* default 5 ms */
	unsigned online_cpus;	     /* for tunable scaling, 0 = cpus */
	/* Other runnable tasks of the host share the scenario's CPUs at the
	 * top level, at a weight too small to take measurable time (as on a
	 * busy machine beside the real backend's 100:1 run cgroup). */
	bool busy_host;
	enum policy_kind policy;
	bool policy_set;
	char version[16]; /* "X.Y" or "" = default */
	/* Fixes the phases a real run leaves to chance, for figures worked
	 * out by hand: every group's period grid at bw_phase_ns and the
	 * ticks at multiples of the tick from 0.  Otherwise the first
	 * limited group's grid starts at 0 (the real backend aligns it),
	 * the others' and the ticks' phases are drawn from phase_seed. */
	bool bw_phase_set;
	uint64_t bw_phase_ns;
	/* Seed of what a real run leaves to chance (period timer phases, the
	 * tick's offset from the start); 0 = derived from seed.  Workloads
	 * keep drawing from seed, so varying it varies only the phases. */
	uint64_t phase_seed;
};

/* A tolerance for comparing a simulated figure with a measured one. */
enum tol_kind { TOL_DEFAULT, TOL_REL, TOL_ABS };
struct tolerance {
	enum tol_kind kind;
	double rel;   /* TOL_REL: fraction (0.03 = 3 %) */
	uint64_t abs; /* TOL_ABS: ns for times, count for counters */
};

/* The figures cfssim compare judges, by the names a scenario's expect: and
 * not_modelled: use for them (compare/compare.h lists what each is). */
enum figure_key {
	FIG_USAGE,	     /* a group's usage */
	FIG_USER_SYSTEM,     /* its user + system time, against usage */
	FIG_NR_PERIODS,	     /* bandwidth counters of limited groups and */
	FIG_NR_THROTTLED,    /* of groups below one (those stay 0) */
	FIG_THROTTLED,	     /* throttled time */
	FIG_THROTTLED_LOCAL, /* cpu.stat.local throttled time (6.6+) */
	FIG_NR_BURSTS,
	FIG_BURST,
	FIG_RUNTIME,	 /* a task thread's CPU time */
	FIG_SWITCHES,	 /* its context switches */
	FIG_VOLUNTARY,	 /* of which it slept */
	FIG_WAIT,	 /* its time runnable but not running */
	FIG_LATENCY_P50, /* a task's latency percentiles (expect: latency) */
	FIG_LATENCY_P90,
	FIG_LATENCY_P99,
	FIG_NKEYS
};

struct expect_spec {
	struct tolerance usage;
	struct tolerance nr_periods;
	struct tolerance nr_throttled;
	struct tolerance throttled;
	struct tolerance nr_bursts;
	struct tolerance burst;
	struct tolerance runtime;  /* per task */
	struct tolerance switches; /* per task: times switched out */
	struct tolerance wait;	   /* per task: runnable but not running */
	struct tolerance latency;  /* per task: p50, p90, p99 */
	/* not_modelled: why the simulator does not model a figure (owned),
	 * NULL for the figures it does */
	char *not_modelled[FIG_NKEYS];
	/* the groups (paths, owned) a reason is limited to, each with the
	 * groups below it; none: every group and task */
	char **not_modelled_groups[FIG_NKEYS];
	size_t not_modelled_ngroups[FIG_NKEYS];
};

/* expect:'s keys in the order a scenario lists them, whether each is a
 * time (else a count), and where its tolerance is in struct expect_spec. */
#define EXPECT_NKEYS 10
struct expect_key {
	const char *name;
	bool is_time;
	size_t offset;
};
extern const struct expect_key expect_keys[EXPECT_NKEYS];

/* The tolerance of expect_keys[i] in e (const in, not const out, as
 * strchr does: the loader fills it, the writers read it). */
static inline struct tolerance *expect_tolerance(const struct expect_spec *e,
						 size_t i)
{
	return (struct tolerance *)((uintptr_t)e + expect_keys[i].offset);
}

/* The `sweep:` block of a scenario: the grid `cfssim sweep` runs by
 * default.  A simulation ignores it; the sweep module parses the paths and
 * values (kept as written, a YAML list joined by ','). */
struct sweep_axis_spec {
	char *path;
	char *values;
	int line, col; /* of the values, for messages */
};

struct sweep_spec {
	struct sweep_axis_spec *axes;
	size_t naxes;
	unsigned seeds; /* 0 = not given */
};

struct scenario {
	char *name;
	char *file; /* path it was loaded from, or "" */
	uint64_t duration_ns;
	unsigned cpus; /* 1..SIM_MAX_CPUS */
	uint64_t seed;
	struct kernel_spec kernel;
	struct group_spec *groups; /* pre-order */
	size_t ngroups;
	struct task_spec *tasks;
	size_t ntasks;
	/* entries allocated by scenario_add_group and scenario_add_task,
	 * which grow the arrays by doubling */
	size_t groups_cap, tasks_cap;
	struct expect_spec expect;
	struct sweep_spec sweep;
	/* What the loader found valid but doubtful, with file:line:col (a
	 * run longer than its period); the caller prints them. */
	struct err *warnings;
	size_t nwarnings;
};

/* Empty scenario with the documented defaults (1 CPU, 1 s, seed 1, HZ 250,
 * 5 ms bandwidth slice, the default kernel's policy). */
void scenario_init(struct scenario *sc, const char *name);
/* Frees everything the scenario owns; accepts a zeroed struct. */
void scenario_destroy(struct scenario *sc);

/* Appends a group below parent (-1 = top level) with default knobs (shares
 * 1024, no quota, period 100 ms, all CPUs) and returns its index.  Children
 * must be added after their parent. */
size_t scenario_add_group(struct scenario *sc, long parent, const char *name);

/* The CPUs the scenario owns, 0..cpus-1, as a mask (bit i = CPU i). */
uint64_t scenario_cpus_mask(const struct scenario *sc);
/* Appends a task (count 1, nice 0, hog) to group and returns its index. */
size_t scenario_add_task(struct scenario *sc, size_t group, const char *name);

/* The index of the timer named ref in wl, added if new; -1 when wl already
 * has WL_MAX_TIMERS others. */
long workload_timer(struct workload *wl, const char *ref);
/* Frees the timer names; accepts a workload without any. */
void workload_free_timers(struct workload *wl);
/* Appends a zeroed phase to wl (cap: the entries allocated, which the
 * caller keeps, 0 at first) and returns it. */
struct wl_phase *workload_add_phase(struct workload *wl, size_t *cap);
/* The least time one pass over phases[from, to) takes: runs, sleeps and
 * timer periods at their minimum, blocks times their loop. */
uint64_t workload_min_ns(const struct workload *wl, size_t from, size_t to);

/* Looks a group up by its path; returns its index or -1. */
long scenario_find_group(const struct scenario *sc, const char *path);

/* kernel: clamp(round_closest(weight * 1024 / 100)) (sched_weight_from_cgroup) */
uint32_t weight_to_shares(uint32_t weight);
/* kernel: clamp(round_closest(shares * 100 / 1024), 1, 10000) */
uint32_t shares_to_weight(uint32_t shares);

/* Kubelet's mapping (pkg/kubelet/cm/helpers_linux.go). */
uint32_t k8s_milli_to_shares(uint64_t milli);
/* Quota in ns for a limit in millicores and a period, with the 1 ms floor;
 * 0 when limit_m is 0 (no quota). */
uint64_t k8s_milli_to_quota_ns(uint64_t limit_m, uint64_t period_ns);

#endif
