/* Leftovers of killed real runs.  Each run keeps a journal (a state file
 * <dir>/<owner pid>-<start time>.state, backend/journal.h) that lists, before it creates
 * them, the cgroups, processes and trace instances it makes; the janitor
 * removes what the journal of a dead owner lists (plus the veths and bridge
 * backend/net finds) and nothing else.  It stands above cgroup, tracefs and
 * net, which write the journal but never call the janitor. */
#ifndef BACKEND_JANITOR_H
#define BACKEND_JANITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/cgroup.h"
#include "backend/journal.h"
#include "base/err.h"

/* Lines saying what a sweep removed or left alone. */
struct jan_report {
	char **lines;
	size_t n, cap;
};
void jan_report_destroy(struct jan_report *r);

struct jan_options {
	const char *state_dir;		/* JOURNAL_DIR unless testing */
	const struct cg_mounts *mounts; /* to spot cfssim-<pid> cgroups that
					 * no state file claims; may be NULL */
	bool net;			/* also the veths, bridge and container
					 * state dirs of dead runs
					 * (net_/ctr_cleanup_leftovers) */
	pid_t self;			/* never touched: our own pid */
};

/* For every state file whose owner is gone (journal_owner_gone): SIGKILLs
 * through pidfds its listed pids that still sit in its cgroups, removes its
 * cgroups deepest first (only below <mount>/.../cfssim-<owner>), its trace
 * instance (only one named cfssim-<owner>), the owner's empty container
 * state dir <state_dir>/<pid>/, then the file.  Nothing a live run's state
 * file lists (or lies below it) is touched, and no process is killed when
 * the dead run's cgroups are a live run's.  Reports "removed cgroup '%s'",
 * "removed trace instance '%s'", "killed pid %d", "left alone '%s' (a live
 * run's)", "left alone '%s' (not below cfssim-<owner>)", "left alone
 * '<state file>' (no cgroup mount found)" when mounts is NULL, and "left
 * alone '%s' (no state file)" for an unclaimed cfssim-<dead pid> cgroup or
 * (with net) trace instance. */
int jan_sweep(const struct jan_options *opt, struct jan_report *rep,
	      struct err *err);

#endif
