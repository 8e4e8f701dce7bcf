/* Leftovers of killed real runs.  Each run keeps a state file
 * <dir>/<owner pid>.state that lists, before it creates them, the cgroups and
 * processes it makes; the janitor removes what the file of a dead owner
 * lists (plus the veths and bridge backend/net finds) and nothing else. */
#ifndef BACKEND_JANITOR_H
#define BACKEND_JANITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/cgroup.h"
#include "sim/err.h"

#define JAN_STATE_DIR	"/run/cfssim"
#define JAN_STATE_MAGIC "cfssim-state 1"

/* An open state file; owned by the run that writes it. */
struct jan_state {
	int fd; /* -1 when closed */
	pid_t owner;
	char path[CG_PATH_MAX];
};

/* Creates <dir>/<owner>.state (and dir) holding the magic line and
 * "owner <pid> <start time>"; fake marks a test tree ("fake" line). */
int jan_state_open(struct jan_state *s, const char *dir, pid_t owner, bool fake,
		   struct err *err);
/* Appends "<kind> <what>" (kind: cgroup, pid, trace: a trace instance
 * .../instances/cfssim-<owner>, backend/tracefs.h) and syncs it. */
int jan_state_add(struct jan_state *s, const char *kind, const char *what,
		  struct err *err);
/* Closes the file; with remove, deletes it (the run cleaned up).  Accepts
 * a closed or zeroed struct (fd 0 is never ours: use jan_state_init). */
void jan_state_close(struct jan_state *s, bool remove);
void jan_state_init(struct jan_state *s);

/* Start time of pid in clock ticks since boot (/proc/<pid>/stat field 22),
 * 0 when the process does not exist. */
uint64_t jan_starttime(pid_t pid);
/* true when pid exists and, if starttime is not 0, started at that time. */
bool jan_owner_alive(pid_t pid, uint64_t starttime);

/* Lines saying what a sweep removed or left alone. */
struct jan_report {
	char **lines;
	size_t n, cap;
};
void jan_report_destroy(struct jan_report *r);

struct jan_options {
	const char *state_dir;		/* JAN_STATE_DIR unless testing */
	const struct cg_mounts *mounts; /* to spot cfssim-<pid> cgroups that
					 * no state file claims; may be NULL */
	bool net;			/* also the veths, bridge and container
					 * state dirs of dead runs
					 * (net_/ctr_cleanup_leftovers) */
	pid_t self;			/* never touched: our own pid */
};

/* For every state file whose owner is dead: SIGKILLs its listed pids that
 * still sit in its cgroups, removes its cgroups deepest first, its trace
 * instance (only one named cfssim-<owner>), the owner's empty container
 * state dir <state_dir>/<pid>/, then the file.  Reports "removed cgroup
 * '%s'", "removed trace instance '%s'", "killed pid %d", and "left alone
 * '%s' (no state file)" for an unclaimed cfssim-<dead pid> cgroup or (with
 * net) trace instance. */
int jan_sweep(const struct jan_options *opt, struct jan_report *rep,
	      struct err *err);

#endif
