/* cgroup v1: the cpu, cpuacct and cpuset hierarchies (separate or
 * co-mounted).  Limits go in before any task joins; cpuset.cpus and
 * cpuset.mems must both be set top-down or joining fails with ENOSPC. */
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/cpulist.h"
#include "backend/cgroup_tree.h"
#include "model/knobs.h"

/* Reads the cpus (effective when the kernel has the file) and mems of the
 * directory the run root sits in and writes them to the run root. */
static int cg1_setup_root(struct cg_tree *t, const struct scenario *sc,
			  struct err *err)
{
	enum cg_hier h = cg_owner_of(t, CG_CPUSET);
	const char *parent = cg_parent_dir(t, h);
	uint64_t have, want;
	char buf[256], list[256];
	size_t n;

	snprintf(buf, sizeof(buf), "%u", CG_RUN_ROOT_SHARES);
	if (cg_set(t, t->base[CG_CPU], "cpu.shares", buf, err))
		return -1;

	if (cg_read(parent,
		    cg_exists(parent, "cpuset.effective_cpus") ?
			    "cpuset.effective_cpus" :
			    "cpuset.cpus",
		    buf, sizeof(buf), err) ||
	    cpulist_parse_file(buf, &have, err))
		return -1;
	want = cg_run_cpus(sc);
	if ((have & want) != want) {
		cpulist_format(want, list, sizeof(list));
		n = strcspn(buf, "\n");
		buf[n] = '\0';
		return err_set(err, 0,
			       "scenario needs cpus %s but cgroup '%s' allows "
			       "'%s'",
			       list, parent, buf);
	}
	cpulist_format(want, list, sizeof(list));
	if (cg_set(t, t->base[h], "cpuset.cpus", list, err))
		return -1;
	if (cg_read(parent,
		    cg_exists(parent, "cpuset.effective_mems") ?
			    "cpuset.effective_mems" :
			    "cpuset.mems",
		    buf, sizeof(buf), err))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		return err_set(err, 0, "cgroup '%s' has no memory nodes",
			       parent);
	return cg_set(t, t->base[h], "cpuset.mems", buf, err);
}

/* v1 refuses a child whose quota/period ratio is above its parent's. */
static int set_quota(struct cg_tree *t, const struct group_spec *g,
		     const char *dir, struct err *err)
{
	struct knob_files kf;
	char period[32];
	const char *quota = kf.cfs_quota_us;

	knob_files(g, t->opt.defer_quota, &kf);
	snprintf(period, sizeof(period), "%" PRIu64, kf.cfs_period_us);
	/* a fresh group is unlimited, so the period can go first (runc and
	 * crun retry in the other order; we never need to) */
	if (cg_set(t, dir, "cpu.cfs_period_us", period, err))
		return -1;
	if (!cg_write(dir, "cpu.cfs_quota_us", quota, err)) {
		cg_note(t, "%s/cpu.cfs_quota_us = %s", g->path, quota);
		return 0;
	}
	if (err->code == EINVAL && g->parent >= 0)
		return err_set(err, EINVAL,
			       "cannot write '%s' to '%s/cpu.cfs_quota_us' "
			       "(cgroup v1 refuses a quota/period ratio above "
			       "the parent's)",
			       quota, dir);
	return -1;
}

static int cg1_setup_group(struct cg_tree *t, const struct scenario *sc,
			   size_t gi, struct err *err)
{
	const struct group_spec *g = &sc->groups[gi];
	struct cg_group *cg = &t->groups[gi];
	char dir[CG_PATH_MAX], buf[64], mems[64];
	enum cg_hier hs = cg_owner_of(t, CG_CPUSET);
	uint64_t cpus = cg_group_cpus(sc, gi);

	struct knob_files kf;

	knob_files(g, false, &kf);
	cg_path(t, CG_CPU, cg->rel, dir, sizeof(dir));
	snprintf(buf, sizeof(buf), "%u", (unsigned)kf.shares);
	if (cg_set(t, dir, "cpu.shares", buf, err))
		return -1;
	cg->shares = kf.shares;
	if (set_quota(t, g, dir, err) ||
	    cg_set_burst(t, sc, gi, dir, "cpu.cfs_burst_us", err))
		return -1;

	if (!cpus)
		return err_set(err, 0,
			       "group '%s' has no cpu among the "
			       "scenario's %u",
			       g->path, sc->cpus);
	cpulist_format(cpus, cg->cpus, sizeof(cg->cpus));
	if (cg_read(t->base[hs], "cpuset.mems", mems, sizeof(mems), err))
		return -1;
	mems[strcspn(mems, "\n")] = '\0';
	cg_path(t, hs, cg->rel, dir, sizeof(dir));
	if (cg_set(t, dir, "cpuset.cpus", cg->cpus, err) ||
	    cg_set(t, dir, "cpuset.mems", mems, err))
		return -1;
	return 0;
}

static int cg1_read(const struct cg_tree *t, size_t gi, struct cpustat *st,
		    struct err *err)
{
	enum cg_hier ha = cg_owner_of(t, CG_CPUACCT);
	char dir[CG_PATH_MAX];

	cg_path(t, CG_CPU, t->groups[gi].rel, dir, sizeof(dir));
	if (cg_read_stat(dir, "cpu.stat", cpustat_parse_v1, false, st, err) ||
	    cg_read_stat(dir, "cpu.stat.local", cpustat_parse_v1_local, true,
			 st, err))
		return -1;
	cg_path(t, ha, t->groups[gi].rel, dir, sizeof(dir));
	if (cg_read_stat(dir, "cpuacct.usage", cpustat_parse_cpuacct_usage,
			 false, st, err) ||
	    cg_read_stat(dir, "cpuacct.stat", cpustat_parse_cpuacct_stat, false,
			 st, err))
		return -1;
	return 0;
}

const struct cg_ops cg_v1_ops = {
	.setup_root = cg1_setup_root,
	.setup_group = cg1_setup_group,
	.read = cg1_read,
};
