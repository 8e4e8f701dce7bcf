/* The host's cgroup layout (pure v2, hybrid, legacy v1 with separate or
 * co-mounted controllers), detected from mountinfo.  Mounts are data, so
 * tests point everything at a fake tree. */
#ifndef BACKEND_CGROUP_MOUNT_H
#define BACKEND_CGROUP_MOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/cgroup_fs.h"
#include "base/err.h"

#define CG_PREFIX "cfssim-" /* run roots are cfssim-<owner pid> */
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

/* The hierarchies cfssim uses; on v1 cpu and cpuacct may be one.  The v1
 * pids and memory hierarchies, when mounted, hold only the run root, which
 * caps the run's threads and memory (cgroup2 has both in the run root). */
enum cg_hier {
	CG_CPU,
	CG_CPUACCT,
	CG_CPUSET,
	CG_UNIFIED,
	CG_PIDS,
	CG_MEMORY,
	CG_NHIER
};

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

#endif
