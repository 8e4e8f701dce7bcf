/* Sampling a real run while it goes: a thread reads the cpu.stat counters of
 * every bandwidth-limited group each interval (a quarter of the shortest
 * period, at most 5 ms) and closes a period sample each time a group's
 * nr_periods advances; it also drains the run's trace instance.  A struct
 * cgpoll owns its fds, its thread and the samples (absolute times). */
#ifndef BACKEND_CGPOLL_H
#define BACKEND_CGPOLL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/cgroup.h"
#include "backend/tracefs.h"
#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

#define CGPOLL_MAX_INTERVAL_NS 5000000ULL /* 5 ms */
#define CGPOLL_MIN_INTERVAL_NS 250000ULL
#define CGPOLL_DRAIN_NS	       50000000ULL /* trace_pipe read every 50 ms */

/* The counters of one group at one instant (CLOCK_MONOTONIC). */
struct cgpoll_point {
	uint64_t t_ns;
	uint64_t usage_ns;
	uint64_t nr_periods;
	uint64_t nr_throttled;
	uint64_t throttled_ns;
};

/* One limited group.  A boundary lies between the last sample before
 * nr_periods advanced (pre) and the first after it (post).  A period
 * sample spans two boundaries: start/end are the midpoints of their
 * brackets (± half an interval); used_ns is the usage between the two pre
 * samples (exact when the group sat throttled across both boundaries, else
 * ± an interval of its CPU rate); throttled_ns and throttled come from the
 * two post samples, since the kernel adds a period's throttled time and
 * nr_throttled at the boundary that ends it. */
struct cgpoll_group {
	size_t group; /* scenario / results index */
	uint64_t quota_ns;
	int stat_fd;  /* cpu.stat */
	int usage_fd; /* v1 cpuacct.usage, -1 on v2 */
	int version;
	char stat_path[CG_PATH_MAX + 16];
	char usage_path[CG_PATH_MAX + 16];
	bool have_prev; /* prev holds the last sample */
	bool open;	/* a boundary was seen: pre/post */
	struct cgpoll_point prev, pre, post;
};

struct cgpoll {
	struct cgpoll_group *groups; /* owned */
	size_t ngroups;
	uint64_t interval_ns;
	struct period_sample *periods; /* closed, absolute times, owned */
	size_t nperiods, cap_periods;
	struct tracefs *trace; /* drained by the thread, borrowed, or NULL */
	pthread_t thread;
	bool running;
	atomic_bool stop;
	bool failed; /* the thread stopped on err */
	struct err err;
	uint64_t nsamples;    /* poll rounds */
	uint64_t max_late_ns; /* worst wake-up delay seen */
	uint64_t cpu_ns;      /* CPU time the thread used */
};

void cgpoll_init(struct cgpoll *p);

/* Opens the counters of every group of sc with a quota in tree t and picks
 * the interval (CGPOLL_DRAIN_NS when no group has a quota).  Errors:
 * "cannot open '%s'". */
int cgpoll_open(struct cgpoll *p, const struct cg_tree *t,
		const struct scenario *sc, struct err *err);

/* Reads group k's counters now. */
int cgpoll_read(struct cgpoll *p, size_t k, struct cgpoll_point *pt,
		struct err *err);

/* Feeds one sample of group k (see struct cgpoll_group for the rule). */
void cgpoll_feed(struct cgpoll *p, size_t k, const struct cgpoll_point *pt);

/* Starts the thread: SCHED_FIFO when allowed, all signals blocked, on the
 * online CPUs outside avoid_cpus when there are any; it samples every group
 * each interval and drains trace (if not NULL) every CGPOLL_DRAIN_NS. */
int cgpoll_start(struct cgpoll *p, struct tracefs *trace, uint64_t avoid_cpus,
		 struct err *err);

/* Stops and joins the thread, drains trace a last time; returns the
 * thread's error if it stopped on one.  Safe when not running. */
int cgpoll_stop(struct cgpoll *p, struct err *err);

/* Appends to tl the period samples that lie within [from_ns - interval,
 * to_ns + interval], shifted so that from_ns is 0 and cut to
 * [0, to_ns - from_ns]. */
void cgpoll_fill(const struct cgpoll *p, uint64_t from_ns, uint64_t to_ns,
		 struct timeline *tl);

/* Stops the thread if needed, closes the fds, frees the samples.  Accepts
 * an initialised struct. */
void cgpoll_destroy(struct cgpoll *p);

#endif
