/* The run's cgroup tree as data (struct cg_tree), the helpers its
 * version-independent half (cgroup.c) shares with the hierarchy-specific
 * halves, and the ops table through which cgroup.c reaches those halves
 * (cgroup_v1.c, cgroup_v2.c).  The halves use only this header, never
 * cgroup.c. */
#ifndef BACKEND_CGROUP_TREE_H
#define BACKEND_CGROUP_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/cgroup_fs.h"
#include "backend/cgroup_mount.h"
#include "backend/cpustat.h"
#include "base/err.h"
#include "model/model.h"

/* true when group gi of sc has child groups / tasks. */
bool cg_has_children(const struct scenario *sc, size_t gi);
bool cg_has_tasks(const struct scenario *sc, size_t gi);
/* The scenario's CPUs 0..cpus-1 intersected with group gi's mask (the
 * load generator's group: its own mask). */
uint64_t cg_group_cpus(const struct scenario *sc, size_t gi);
/* The run root's CPUs: the scenario's, and the load generator's group's
 * (which may have CPUs of its own, outside the scenario's). */
uint64_t cg_run_cpus(const struct scenario *sc);

struct journal;

struct cg_options {
	pid_t owner;	       /* names the run root cfssim-<owner> */
	struct journal *state; /* records what is created, or NULL */
	/* Tests only: each directory created in hierarchy h gets these files
	 * (a kernel would create them), "name" empty or "name=content", and
	 * removal deletes files first.  NULL for real cgroupfs. */
	const char *const *fake_files[CG_NHIER];
	bool fake;
	/* Leave every group unlimited (quota -1 / "max P") until
	 * cg_tree_rearm: a period timer takes its phase from the first
	 * quota write and keeps it, so the real run writes quotas at its
	 * start instant. */
	bool defer_quota;
	/* Caps on the whole run, written to the run root: pids.max (v1 pids
	 * hierarchy or cgroup2) and memory.limit_in_bytes (v1) / memory.max
	 * (cgroup2); 0 = not set.  See backend/limits.h. */
	uint64_t pids_max;
	uint64_t memory_max_bytes;
};

/* What the run wrote for one scenario group. */
struct cg_group {
	char *rel;	 /* group path below the run root, owned */
	char *leaf;	 /* where its tasks go, below the run root */
	uint32_t shares; /* cpu.shares written (v1), 0 = none */
	uint32_t weight; /* cpu.weight written (v2), 0 = none */
	char cpus[64];	 /* cpuset.cpus written */
};

struct cg_ops;

struct cg_tree {
	struct cg_mounts m;
	int version; /* 1: v1 controllers, 2: cgroup2 controllers */
	const struct cg_ops *ops; /* the version's steps */
	bool mirror;		  /* hybrid: the tree is mirrored in cgroup2 */
	bool used[CG_NHIER];	  /* hierarchies holding the tree (deduped) */
	bool root_only[CG_NHIER]; /* v1 pids, memory: the run root alone */
	char name[32];		  /* cfssim-<owner> */
	char base[CG_NHIER][CG_PATH_MAX]; /* run root per hierarchy */
	struct cg_group *groups;	  /* scenario order, owned */
	size_t ngroups;
	char **dirs; /* directories created, in creation order */
	size_t ndirs, cap_dirs;
	char **notes; /* what was written or skipped, for reports */
	size_t nnotes, cap_notes;
	struct cg_options opt;
	bool v2_moved_self;	/* cfssim sits in <root>/.supervisor */
	bool v2_enabled_parent; /* we enabled controllers in the parent */
	/* what undoes it: "-cpu", "-cpuset" for the controllers the parent
	 * did not hand down before (also in the journal: "subtree") */
	char v2_parent_undo[32];
};

/* Creates base[h]/rel (rel "" = the run root itself), recording it in the
 * state file first and in t->dirs after; fills out with the path. */
int cg_mkdir_rec(struct cg_tree *t, enum cg_hier h, const char *rel, char *out,
		 size_t len, struct err *err);
/* Directory of rel below the run root in hierarchy h. */
void cg_path(const struct cg_tree *t, enum cg_hier h, const char *rel,
	     char *out, size_t len);
void cg_note(struct cg_tree *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes value and notes "file=value (group)". */
int cg_set(struct cg_tree *t, const char *dir, const char *file,
	   const char *value, struct err *err);

/* The hierarchy whose directories hold h's files: h itself, or the one it
 * is co-mounted with (cpu,cpuacct). */
enum cg_hier cg_owner_of(const struct cg_tree *t, enum cg_hier h);
/* Directory the run root was created in (cfssim's own cgroup). */
const char *cg_parent_dir(const struct cg_tree *t, enum cg_hier h);
/* Burst for group gi in dir: writes it, or notes that the file is absent
 * when burst is 0; error when absent and burst > 0. */
int cg_set_burst(struct cg_tree *t, const struct scenario *sc, size_t gi,
		 const char *dir, const char *file, struct err *err);

/* What differs between cgroup v1 and cgroup2 controllers. */
struct cg_ops {
	/* the run root's own knobs (weight over the host, cpusets) */
	int (*setup_root)(struct cg_tree *t, const struct scenario *sc,
			  struct err *err);
	/* group gi's directories and knobs */
	int (*setup_group)(struct cg_tree *t, const struct scenario *sc,
			   size_t gi, struct err *err);
	/* group gi's CPU accounting, added into *st */
	int (*read)(const struct cg_tree *t, size_t gi, struct cpustat *st,
		    struct err *err);
	/* before the .supervisor leaf is removed: moves cfssim back out of
	 * it (NULL when the version never moves cfssim) */
	int (*restore_self)(struct cg_tree *t, struct err *err);
};

extern const struct cg_ops cg_v1_ops; /* cgroup_v1.c */
extern const struct cg_ops cg_v2_ops; /* cgroup_v2.c */

#endif
