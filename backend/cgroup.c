/* The version-independent half of the run's cgroup tree (creation order,
 * attach, read, kill, removal); the per-version steps are reached through
 * the ops tables of cgroup_v1.c and cgroup_v2.c. */
#include "backend/cgroup.h"

#include <inttypes.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "backend/cgroup_tree.h"
#include "backend/journal.h"
#include "base/xalloc.h"
#include "model/knobs.h"

static int pick_hierarchies(struct cg_tree *t, struct err *err)
{
	const struct cg_mounts *m = &t->m;
	enum cg_hier h;

	switch (m->layout) {
	case CG_LAYOUT_V1:
	case CG_LAYOUT_HYBRID:
		for (h = CG_CPU; h <= CG_CPUSET; h++)
			if (!m->h[h].dir[0])
				return err_set(err, 0,
					       "no cgroup v1 '%s' hierarchy is "
					       "mounted",
					       cg_hier_name(h));
		t->version = 1;
		t->ops = &cg_v1_ops;
		t->used[CG_CPU] = true;
		t->used[CG_CPUACCT] =
			strcmp(m->h[CG_CPUACCT].dev, m->h[CG_CPU].dev) != 0;
		t->used[CG_CPUSET] =
			strcmp(m->h[CG_CPUSET].dev, m->h[CG_CPU].dev) &&
			strcmp(m->h[CG_CPUSET].dev, m->h[CG_CPUACCT].dev);
		t->mirror = m->layout == CG_LAYOUT_HYBRID;
		t->used[CG_UNIFIED] = t->mirror;
		/* the caps' hierarchies, when mounted apart from the cpu
		 * ones (on v1 a controller is in one hierarchy only) */
		for (h = CG_PIDS; h <= CG_MEMORY; h++)
			if (m->h[h].dir[0] &&
			    strcmp(m->h[h].dev, m->h[CG_CPU].dev))
				t->used[h] = t->root_only[h] = true;
		break;
	case CG_LAYOUT_V2:
		t->version = 2;
		t->ops = &cg_v2_ops;
		t->used[CG_UNIFIED] = true;
		break;
	case CG_LAYOUT_NONE:
		return err_set(err, 0, "no cgroup cpu controller is mounted");
	}
	for (h = 0; h < CG_NHIER; h++) {
		if (!t->used[h])
			continue;
		snprintf(t->base[h], sizeof(t->base[h]), "%s/%s",
			 cg_parent_dir(t, h), t->name);
	}
	return 0;
}

/* The run's caps (opt.pids_max, opt.memory_max_bytes) on its root: in the
 * v1 pids and memory hierarchies, or in cgroup2 when the parent hands the
 * controller down (else a note says the cap is missing). */
static int set_cap(struct cg_tree *t, enum cg_hier h, const char *v1_file,
		   const char *v2_file, const char *ctl, uint64_t value,
		   struct err *err)
{
	char val[32];
	enum cg_hier o;

	if (!value)
		return 0;
	snprintf(val, sizeof(val), "%" PRIu64, value);
	/* v1: its own hierarchy, or one it is co-mounted with */
	for (o = 0; t->version == 1 && o < CG_NHIER; o++)
		if (t->used[o] && o != CG_UNIFIED &&
		    (o == h || cg_exists(t->base[o], v1_file)))
			return cg_set(t, t->base[o], v1_file, val, err);
	if (t->used[CG_UNIFIED] && cg_exists(t->base[CG_UNIFIED], v2_file))
		return cg_set(t, t->base[CG_UNIFIED], v2_file, val, err);
	cg_note(t, "%s cap %s not set: no %s controller for the run root",
		v2_file, val, ctl);
	return 0;
}

static int set_caps(struct cg_tree *t, struct err *err)
{
	return set_cap(t, CG_PIDS, "pids.max", "pids.max", "pids",
		       t->opt.pids_max, err) ||
	       set_cap(t, CG_MEMORY, "memory.limit_in_bytes", "memory.max",
		       "memory", t->opt.memory_max_bytes, err);
}

int cg_tree_create(struct cg_tree *t, const struct cg_mounts *m,
		   const struct scenario *sc, const struct cg_options *opt,
		   struct err *err)
{
	char dir[CG_PATH_MAX];
	struct err e2;
	enum cg_hier h;
	size_t gi;

	memset(t, 0, sizeof(*t));
	t->m = *m;
	t->opt = *opt;
	snprintf(t->name, sizeof(t->name), CG_PREFIX "%ld", (long)opt->owner);
	if (pick_hierarchies(t, err))
		return -1;
	for (gi = 0; gi < sc->ngroups; gi++)
		for (h = 0; h < CG_NHIER; h++)
			if (t->used[h] &&
			    strlen(t->base[h]) + strlen(sc->groups[gi].path) +
					    sizeof("/" CG_TASKS_LEAF
						   "/cgroup.procs") >=
				    CG_PATH_MAX)
				return err_set(
					err, 0,
					"group path '%s' is too long for "
					"a cgroup below '%s'",
					sc->groups[gi].path, t->base[h]);
	t->groups = xcalloc(sc->ngroups, sizeof(*t->groups));
	t->ngroups = sc->ngroups;
	for (gi = 0; gi < sc->ngroups; gi++) {
		const struct group_spec *g = &sc->groups[gi];
		struct cg_group *cg = &t->groups[gi];
		size_t n = strlen(g->path) + sizeof("/" CG_TASKS_LEAF);

		cg->rel = xstrdup(g->path);
		cg->leaf = xmalloc(n);
		if (t->version == 2 && cg_has_children(sc, gi) &&
		    cg_has_tasks(sc, gi))
			snprintf(cg->leaf, n, "%s/" CG_TASKS_LEAF, g->path);
		else
			snprintf(cg->leaf, n, "%s", g->path);
	}

	if (t->version == 1) /* v2 makes its run roots as it enables */
		for (h = 0; h < CG_NHIER; h++)
			if (t->used[h] &&
			    cg_mkdir_rec(t, h, "", dir, sizeof(dir), err))
				goto fail;
	if (t->ops->setup_root(t, sc, err))
		goto fail;
	if (set_caps(t, err))
		goto fail;
	for (gi = 0; gi < sc->ngroups; gi++) {
		for (h = 0; h < CG_NHIER; h++)
			if (t->used[h] && !t->root_only[h] &&
			    cg_mkdir_rec(t, h, t->groups[gi].rel, dir,
					 sizeof(dir), err))
				goto fail;
		if (t->ops->setup_group(t, sc, gi, err))
			goto fail;
	}
	return 0;
fail:
	cg_tree_destroy(t, &e2);
	return -1;
}

int cg_tree_attach(struct cg_tree *t, size_t group, pid_t pid, bool in_cgroup2,
		   struct err *err)
{
	char dir[CG_PATH_MAX], val[24];
	struct timespec ts = {0, 1000000};
	enum cg_hier h;
	int tries;

	snprintf(val, sizeof(val), "%ld", (long)pid);
	if (t->opt.state && journal_add(t->opt.state, "pid", val, err))
		return -1;
	for (h = 0; h < CG_NHIER; h++) {
		if (!t->used[h] || (h == CG_UNIFIED && in_cgroup2))
			continue;
		cg_path(t, h,
			t->root_only[h] ? "" :
			h == CG_UNIFIED || t->version == 2 ?
					  t->groups[group].leaf :
					  t->groups[group].rel,
			dir, sizeof(dir));
		/* a task still in TASK_NEW can refuse the move (runc) */
		for (tries = 0;; tries++) {
			if (!cg_write(dir, "cgroup.procs", val, err))
				break;
			if (err->code != EINVAL || tries >= 5)
				return -1;
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

int cg_tree_open_leaf(const struct cg_tree *t, size_t group, int *fd,
		      struct err *err)
{
	char dir[CG_PATH_MAX];

	*fd = -1;
	if (!t->used[CG_UNIFIED])
		return 0;
	cg_path(t, CG_UNIFIED, t->groups[group].leaf, dir, sizeof(dir));
	*fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return err_set(err, errno, "cannot open cgroup '%s'", dir);
	return 0;
}

/* Writes group gi's quota file: the scenario's quota, or none when
 * unlimited. */
static int write_quota(const struct cg_tree *t, const struct group_spec *g,
		       size_t gi, bool unlimited, struct err *err)
{
	char dir[CG_PATH_MAX];
	struct knob_files kf;

	knob_files(g, unlimited, &kf);
	if (t->version == 1) {
		cg_path(t, CG_CPU, t->groups[gi].rel, dir, sizeof(dir));
		return cg_write(dir, "cpu.cfs_quota_us", kf.cfs_quota_us, err);
	}
	cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir, sizeof(dir));
	return cg_write(dir, "cpu.max", kf.cpu_max, err);
}

int cg_tree_rearm(const struct cg_tree *t, const struct scenario *sc,
		  struct err *err)
{
	size_t gi;

	for (gi = 0; gi < t->ngroups && gi < sc->ngroups; gi++)
		if (sc->groups[gi].has_quota &&
		    write_quota(t, &sc->groups[gi], gi, false, err))
			return -1;
	return 0;
}

int cg_tree_unlimit(const struct cg_tree *t, const struct scenario *sc,
		    struct err *err)
{
	size_t gi;

	for (gi = t->ngroups < sc->ngroups ? t->ngroups : sc->ngroups; gi--;)
		if (sc->groups[gi].has_quota &&
		    write_quota(t, &sc->groups[gi], gi, true, err))
			return -1;
	return 0;
}

int cg_tree_read(const struct cg_tree *t, size_t group, struct cpustat *st,
		 struct err *err)
{
	memset(st, 0, sizeof(*st));
	return t->ops->read(t, group, st, err);
}

int cg_tree_kill(const struct cg_tree *t, bool *done, struct err *err)
{
	char dir[CG_PATH_MAX];
	size_t gi;

	*done = false;
	if (!t->used[CG_UNIFIED] || !t->ngroups)
		return 0;
	cg_path(t, CG_UNIFIED, t->groups[0].rel, dir, sizeof(dir));
	if (!cg_exists(dir, "cgroup.kill"))
		return 0;
	for (gi = 0; gi < t->ngroups; gi++) {
		if (strchr(t->groups[gi].rel, '/'))
			continue; /* below a top-level group */
		cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir, sizeof(dir));
		if (access(dir, F_OK))
			continue;
		if (cg_write(dir, "cgroup.kill", "1", err))
			return -1;
	}
	*done = true;
	return 0;
}

bool cg_tree_populated(const struct cg_tree *t)
{
	char dir[CG_PATH_MAX], buf[256];
	struct err e;
	size_t gi;

	if (!t->used[CG_UNIFIED])
		return false;
	for (gi = 0; gi < t->ngroups; gi++) {
		if (strchr(t->groups[gi].rel, '/'))
			continue;
		cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir, sizeof(dir));
		if (cg_read(dir, "cgroup.events", buf, sizeof(buf), &e))
			continue;
		if (strstr(buf, "populated 1"))
			return true;
	}
	return false;
}

int cg_tree_destroy(struct cg_tree *t, struct err *err)
{
	char sup[CG_PATH_MAX];
	struct err e;
	int rc = 0;
	size_t i;

	sup[0] = '\0';
	if (t->v2_moved_self)
		cg_path(t, CG_UNIFIED, CG_SUPERVISOR_LEAF, sup, sizeof(sup));
	for (i = t->ndirs; i-- > 0;) {
		if (sup[0] && !strcmp(t->dirs[i], sup) &&
		    t->ops->restore_self && t->ops->restore_self(t, &e) && !rc)
			rc = -1, *err = e;
		if (cg_rmdir(t->dirs[i], t->opt.fake, 1000, &e) && !rc)
			rc = -1, *err = e;
		free(t->dirs[i]);
	}
	for (i = 0; i < t->ngroups; i++) {
		free(t->groups[i].rel);
		free(t->groups[i].leaf);
	}
	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	free(t->groups);
	free(t->dirs);
	memset(t, 0, sizeof(*t));
	return rc;
}
