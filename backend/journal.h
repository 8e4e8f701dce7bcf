/* The journal of a real run: the state file <dir>/<owner pid>-<start
 * time>.state that lists, before they are created, the cgroups, processes
 * and trace instances a run makes, so that the janitor (backend/janitor.h)
 * can remove them if the run dies.  It knows nothing of what it lists.
 * The owner is a pid, its start time and its pid namespace: a pid alone is
 * reused, and names another process in another pid namespace. */
#ifndef BACKEND_JOURNAL_H
#define BACKEND_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* longest path a journal names (the cgroup paths' limit) */
#define JOURNAL_PATH_MAX 512

#define JOURNAL_DIR   "/run/cfssim"
#define JOURNAL_MAGIC "cfssim-state 1"

/* An open state file; owned by the run that writes it. */
struct journal {
	int fd; /* -1 when closed */
	pid_t owner;
	char path[JOURNAL_PATH_MAX];
};

/* Creates <dir>/<owner>-<start time>.state (and dir) with O_EXCL, so a
 * state file is never truncated, holding the magic line and "owner <pid>
 * <start time> <pid namespace>"; fake marks a test tree ("fake" line).
 * Older runs wrote <dir>/<owner>.state and no pid namespace; the janitor
 * reads both. */
int journal_open(struct journal *s, const char *dir, pid_t owner, bool fake,
		 struct err *err);
/* Appends "<kind> <what>" (kind: cgroup, pid, trace: a trace instance
 * .../instances/cfssim-<owner>, backend/tracefs.h) and syncs it. */
int journal_add(struct journal *s, const char *kind, const char *what,
		struct err *err);
/* Closes the file; with remove, deletes it (the run cleaned up).  Accepts
 * a closed or zeroed struct (fd 0 is never ours: use journal_init). */
void journal_close(struct journal *s, bool remove);
void journal_init(struct journal *s);

/* Start time of pid in clock ticks since boot (/proc/<pid>/stat field 22),
 * 0 when the process does not exist. */
uint64_t journal_starttime(pid_t pid);
/* true when pid exists and, if starttime is not 0, started at that time. */
bool journal_owner_alive(pid_t pid, uint64_t starttime);
/* Inode of /proc/<pid>/ns/pid (pid 0: ours), 0 when unknown. */
uint64_t journal_pidns(pid_t pid);
/* true only when the owner (pid, start time, pid namespace) is known to be
 * gone: it lived in our pid namespace (or pidns is 0: not recorded), and
 * pid does not exist or, when starttime is not 0, started at another time.
 * The owner of another pid namespace is never judged gone. */
bool journal_owner_gone(pid_t pid, uint64_t starttime, uint64_t pidns);

#endif
