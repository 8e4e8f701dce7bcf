/* A real run: the scenario executed in one container per group that holds
 * tasks, under the run's own cgroups, every container released on one start
 * instant so the run lasts `duration`, measured from cpu.stat and the
 * workloads' per-thread counters, and torn down on every path (success,
 * error, SIGINT/SIGTERM, a crashing workload). */
#ifndef BACKEND_RUN_H
#define BACKEND_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/cgroup.h"
#include "backend/janitor.h"
#include "backend/limits.h"
#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

enum real_status {
	REAL_OK = 0,
	REAL_ERROR = -1,
	REAL_UNSUPPORTED = -2, /* this host cannot run it (exit 77) */
	REAL_INTERRUPTED = -3, /* stopped by real_stop_signal() */
	REAL_REFUSED = -4,     /* the scenario would take too much of the
				* host (backend/limits.h; exit 2) */
};

#define REAL_ROOT_HINT                                                          \
	"run 'sudo cfssim real FILE', or under systemd 'sudo " CG_DELEGATE_HINT \
	"'"

struct real_options {
	const char *state_dir;	 /* NULL = JOURNAL_DIR */
	const char *mountinfo;	 /* NULL = /proc/self/mountinfo */
	const char *self_cgroup; /* NULL = /proc/self/cgroup */
	const char *image;	 /* NULL = rootfs_locate() */
	bool no_network;	 /* containers get only lo */
	uint64_t crash_after_ns; /* tests: the first workload crashes
					 * this long after the start */
	struct jan_report *log;	 /* receives what the janitor removed
					 * and what was written, or NULL */
	/* Record out->timeline: per period samples of each group with a
	 * quota from cpu.stat polled during the run (bounds within half a
	 * poll interval, see backend/cgpoll.h), and the threads' running
	 * intervals from tracefs sched_switch events when tracefs can be
	 * used (else none, and a "timeline: " line in log says why).  Real
	 * runs never have vruntime samples: the kernel does not expose
	 * them per switch. */
	bool timeline;
	/* Allow runs longer than LIMITS_MAX_DURATION_NS (--long). */
	bool allow_long;
	/* Tests: the host's figures instead of /proc's, or NULL. */
	const struct limits_host *host;
};

void real_options_init(struct real_options *o);

/* What the host lacks for a real run of sc, if anything: REAL_UNSUPPORTED
 * with the reason and the command that would work (not root, no cgroup CPU
 * controller, cgroups not writable or not delegated, no overlay, too few
 * CPUs), REAL_ERROR when detection itself failed, else 0 with *m filled. */
int real_check(const struct scenario *sc, const struct real_options *opt,
	       struct cg_mounts *m, struct err *err);

/* Runs sc for real (see the top of this file), one run per host at a time
 * (it waits for <state dir>/real.lock).  Returns a real_status; on
 * REAL_OK out holds the results (source SOURCE_REAL, wall_ns set), else out
 * is empty.  SIGINT and SIGTERM are caught for the duration of the call and
 * end it with REAL_INTERRUPTED after the teardown. */
int real_run(const struct scenario *sc, const struct real_options *opt,
	     struct results *out, struct err *err);

/* Takes the host's real-run lock <state_dir>/real.lock (NULL = JOURNAL_DIR)
 * as real_run does, waiting while a run holds it; *waited says whether it
 * had to.  cfssim cleanup holds it so that it never sweeps beside a run
 * that is starting.  Close *fd to release it. */
int real_lock(const char *state_dir, int *fd, bool *waited, struct err *err);

/* The signal that interrupted the last real_run, 0 if none. */
int real_stop_signal(void);

#endif
