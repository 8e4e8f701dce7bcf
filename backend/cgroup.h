/* Real cgroups for a run: detection of the host's layout (pure v2, hybrid,
 * legacy v1 with separate or co-mounted controllers) from mountinfo, and the
 * run's tree cfssim-<pid>/<group path> in every hierarchy used.  Mounts are
 * data, so tests point everything at a fake tree.  A struct cg_tree owns the
 * directories it created and removes them, deepest first. */
#ifndef BACKEND_CGROUP_H
#define BACKEND_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/cpustat.h"
#include "sim/err.h"
#include "sim/model.h"

#define CG_PATH_MAX 512
#define CG_PREFIX   "cfssim-" /* run roots are cfssim-<owner pid> */
#define CG_TASKS_LEAF \
	".tasks" /* v2: tasks of a group with children, at
				* their summed nice weight */
#define CG_SUPERVISOR_LEAF ".supervisor" /* v2: where cfssim waits */
/* The run root outweighs each of the host's other tasks 256:1 (v1, the
 * kernel's largest cpu.shares) or 100:1 against a default cgroup (v2, the
 * largest cpu.weight), so host noise barely disturbs the measured groups;
 * ratios inside the run are unchanged.  At 100:1, ten busy compilers on a
 * 2-CPU host took 8 % of the CPU time of a run that fills both CPUs. */
#define CG_RUN_ROOT_SHARES 262144
#define CG_RUN_ROOT_WEIGHT 10000
#define CG_DELEGATE_HINT   "systemd-run --scope -p Delegate=yes cfssim real FILE"

enum cg_layout {
	CG_LAYOUT_NONE,	  /* no cgroup CPU controller found */
	CG_LAYOUT_V1,	  /* legacy: v1 controllers only */
	CG_LAYOUT_HYBRID, /* v1 controllers + cgroup2 (unified) */
	CG_LAYOUT_V2,	  /* pure cgroup2 */
};

/* The hierarchies cfssim uses; on v1 cpu and cpuacct may be one. */
enum cg_hier { CG_CPU, CG_CPUACCT, CG_CPUSET, CG_UNIFIED, CG_NHIER };

struct cg_mount {
	char dir[CG_PATH_MAX];	/* mount point, "" when absent */
	char root[CG_PATH_MAX]; /* hierarchy path mounted there, "/" usually */
	char dev[32];		/* "major:minor": same value = same hierarchy */
	char self[CG_PATH_MAX]; /* directory of cfssim's own cgroup, "" if
				 * /proc/self/cgroup did not name it */
};

struct cg_mounts {
	enum cg_layout layout;
	struct cg_mount h[CG_NHIER];
};

/* Name of a layout: "none", "v1", "hybrid", "v2". */
const char *cg_layout_name(enum cg_layout layout);
/* Name of a hierarchy: "cpu", "cpuacct", "cpuset", "unified". */
const char *cg_hier_name(enum cg_hier h);

/* Fills dir/root/dev of each hierarchy from mountinfo text (fstype cgroup
 * with cpu/cpuacct/cpuset in its super options, fstype cgroup2), the first
 * mount of a hierarchy winning, and sets the layout. */
int cg_parse_mountinfo(const char *text, struct cg_mounts *m, struct err *err);
/* Fills self of each mounted hierarchy from /proc/self/cgroup text
 * ("ID:controllers:path"; "0::path" for cgroup2).  Error when a path lies
 * outside its mount's root: "cgroup '%s' is outside mount '%s'". */
int cg_parse_self(const char *text, struct cg_mounts *m, struct err *err);
/* Both, from files (normally /proc/self/mountinfo and /proc/self/cgroup). */
int cg_detect(const char *mountinfo_path, const char *self_cgroup_path,
	      struct cg_mounts *m, struct err *err);

/* Small file helpers, also for tests: the value is written with one
 * write(2) (O_TRUNC, so fake trees hold exactly the bytes); reads
 * NUL-terminate and fail when the file does not fit. */
int cg_write(const char *dir, const char *file, const char *value,
	     struct err *err);
int cg_read(const char *dir, const char *file, char *buf, size_t len,
	    struct err *err);
bool cg_exists(const char *dir, const char *file);

/* Formats a CPU mask as a kernel cpu list ("0-1", "0,2-3"); "" for 0. */
void cg_format_cpulist(uint64_t mask, char *buf, size_t len);
/* Parses a kernel cpu list; CPUs >= 64 are refused:
 * "invalid cpu list '%s'". */
int cg_parse_cpulist(const char *text, uint64_t *mask, struct err *err);

/* true when group gi of sc has child groups / tasks. */
bool cg_has_children(const struct scenario *sc, size_t gi);
bool cg_has_tasks(const struct scenario *sc, size_t gi);
/* The scenario's CPUs 0..cpus-1 intersected with group gi's mask. */
uint64_t cg_group_cpus(const struct scenario *sc, size_t gi);

struct jan_state;

struct cg_options {
	pid_t owner;		 /* names the run root cfssim-<owner> */
	struct jan_state *state; /* records what is created, or NULL */
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
};

/* What the run wrote for one scenario group. */
struct cg_group {
	char *rel;	 /* group path below the run root, owned */
	char *leaf;	 /* where its tasks go, below the run root */
	uint32_t shares; /* cpu.shares written (v1), 0 = none */
	uint32_t weight; /* cpu.weight written (v2), 0 = none */
	char cpus[64];	 /* cpuset.cpus written */
};

struct cg_tree {
	struct cg_mounts m;
	int version;	     /* 1: v1 controllers, 2: cgroup2 controllers */
	bool mirror;	     /* hybrid: the tree is mirrored in cgroup2 */
	bool used[CG_NHIER]; /* hierarchies holding the tree (deduped) */
	char name[32];	     /* cfssim-<owner> */
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
};

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

/* Removes one cgroup directory, retrying EBUSY for retry_ms; with fake,
 * the regular files inside are deleted first. */
int cg_rmdir(const char *dir, bool fake, unsigned retry_ms, struct err *err);

#endif
