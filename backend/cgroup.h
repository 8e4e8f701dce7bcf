/* Real cgroups for a run: the run's tree cfssim-<pid>/<group path> in every
 * hierarchy the host's layout (backend/cgroup_mount.h) offers.  A struct
 * cg_tree owns the directories it created and removes them, deepest first.
 * Within backend/ the cgroup files stand one way:
 *   cgroup.c -> cgroup_v1.c, cgroup_v2.c (through struct cg_ops)
 *            -> cgroup_tree.c -> cgroup_fs.c, cgroup_mount.c, journal.c */
#ifndef BACKEND_CGROUP_H
#define BACKEND_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/cgroup_fs.h"
#include "backend/cgroup_mount.h"
#include "backend/cgroup_tree.h"
#include "backend/cpustat.h"
#include "base/err.h"
#include "model/model.h"

/* Creates the run root in every hierarchy of the layout and the scenario's
 * groups below it, top-down, writing each group's knobs before any task can
 * join (v1: cpu.shares, cpu.cfs_period_us then cpu.cfs_quota_us,
 * cpu.cfs_burst_us, cpuset.cpus + cpuset.mems; v2: cgroup.subtree_control,
 * cpu.weight = shares_to_weight(shares), cpu.max, cpu.max.burst,
 * cpuset.cpus).  CPUs are 0..sc->cpus-1 intersected with each group's mask.
 * On failure everything created is removed again and *t is empty. */
int cg_tree_create(struct cg_tree *t, const struct cg_mounts *m,
		   const struct scenario *sc, const struct cg_options *opt,
		   struct err *err);

/* Puts pid into the leaf of group in every hierarchy (cgroup.procs),
 * skipping cgroup2 when the process was born there (CLONE_INTO_CGROUP). */
int cg_tree_attach(struct cg_tree *t, size_t group, pid_t pid, bool in_cgroup2,
		   struct err *err);

/* Opens the cgroup2 leaf of group (O_PATH) for CLONE_INTO_CGROUP; *fd = -1
 * when the tree has no cgroup2 side. */
int cg_tree_open_leaf(const struct cg_tree *t, size_t group, int *fd,
		      struct err *err);

/* Writes the scenario's quotas (top-down: v1 wants a child's ratio at most
 * its parent's).  A quota write refills the group's runtime pool; after
 * defer_quota it is the first, so the workloads' start-up cost nothing. */
int cg_tree_rearm(const struct cg_tree *t, const struct scenario *sc,
		  struct err *err);

/* Lifts every quota again (bottom-up; v1 takes -1 under any parent), once
 * the counters are read: the workloads report and exit unthrottled, which
 * a low quota on a slow machine (1 ms per period under emulation) would
 * otherwise stretch past the run's grace time. */
int cg_tree_unlimit(const struct cg_tree *t, const struct scenario *sc,
		    struct err *err);

/* Reads the group's CPU accounting into *st (zeroed first). */
int cg_tree_read(const struct cg_tree *t, size_t group, struct cpustat *st,
		 struct err *err);

/* Kills every process in the tree through cgroup.kill of each top-level
 * group (never cfssim's own .supervisor).  *done is false when there is no
 * cgroup2 side (v1: the caller kills the pids it started). */
int cg_tree_kill(const struct cg_tree *t, bool *done, struct err *err);

/* true while a process remains in the tree (cgroup2 cgroup.events
 * "populated 1"); false also when there is no cgroup2 side. */
bool cg_tree_populated(const struct cg_tree *t);

/* Removes every directory created, deepest first, retrying EBUSY for about
 * a second (re-killing in between), and frees *t.  Error: "cannot remove
 * cgroup '%s' (still holds: %s)". */
int cg_tree_destroy(struct cg_tree *t, struct err *err);

#endif
