/* cgroup v2: one hierarchy, controllers enabled top-down through
 * cgroup.subtree_control, and the no-internal-process rule: a cgroup that
 * hands controllers to children holds no process, so a group with both
 * tasks and child groups puts its tasks in a .tasks leaf, and cfssim moves
 * itself into the run root's .supervisor leaf when it sat in the parent. */
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cpulist.h"
#include "backend/cgroup_tree.h"
#include "backend/journal.h"
#include "model/weights.h"
#include "model/knobs.h"

static bool word_in(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') &&
		    (!p[n] || p[n] == ' ' || p[n] == '\n'))
			return true;
		p += n;
	}
	return false;
}

/* Enables cpu (required) and cpuset (when the parent offers it) for the
 * children of dir; the write is all-or-nothing, so cpu is retried alone. */
static int enable(struct cg_tree *t, const char *dir, bool cpuset,
		  struct err *err)
{
	if (cpuset &&
	    !cg_set(t, dir, "cgroup.subtree_control", "+cpu +cpuset", err))
		return 0;
	return cg_set(t, dir, "cgroup.subtree_control", "+cpu", err);
}

static bool cpuset_on(const struct cg_tree *t)
{
	char buf[256];
	struct err e;

	return !cg_read(t->base[CG_UNIFIED], "cgroup.controllers", buf,
			sizeof(buf), &e) &&
	       word_in(buf, "cpuset");
}

/* Moves cfssim from the parent into <run root>/.supervisor so that the
 * parent may enable controllers.  Refuses when others share the parent. */
static int move_self(struct cg_tree *t, const char *parent, struct err *err)
{
	char procs[512], dir[CG_PATH_MAX], me[24];
	char *p, *end;

	if (cg_read(parent, "cgroup.procs", procs, sizeof(procs), err))
		return -1;
	for (p = procs; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid != (long)getpid())
			return err_set(err, 0,
				       "cannot enable the cpu controller below "
				       "'%s': it holds other processes; run "
				       "'" CG_DELEGATE_HINT "'",
				       parent);
		while (*end == '\n')
			end++;
	}
	if (cg_mkdir_rec(t, CG_UNIFIED, CG_SUPERVISOR_LEAF, dir, sizeof(dir),
			 err))
		return -1;
	snprintf(me, sizeof(me), "%ld", (long)getpid());
	if (cg_write(dir, "cgroup.procs", me, err))
		return -1;
	t->v2_moved_self = true;
	return 0;
}

/* Enables in the parent what it does not hand down yet (cpu, and cpuset
 * when offered), after writing to the journal what undoes exactly that:
 * "subtree <parent> -cpu -cpuset" lists only controllers that were off, so
 * the teardown, or the janitor after a SIGKILL, leaves the parent as it
 * was. */
static int enable_parent(struct cg_tree *t, const char *parent, const char *sub,
			 bool cpuset, struct err *err)
{
	char on[32] = "", line[JOURNAL_PATH_MAX + 40];
	char *undo = t->v2_parent_undo;

	undo[0] = '\0';
	if (!word_in(sub, "cpu")) {
		strcat(on, "+cpu");
		strcat(undo, "-cpu");
	}
	if (cpuset && !word_in(sub, "cpuset")) {
		strcat(on, *on ? " +cpuset" : "+cpuset");
		strcat(undo, *undo ? " -cpuset" : "-cpuset");
	}
	if (!*on)
		return 0;
	snprintf(line, sizeof(line), "%s %s", parent, undo);
	/* at the mount's root the tree never undoes it (see cg2_restore_self) */
	if (t->opt.state && strcmp(parent, t->m.h[CG_UNIFIED].dir) &&
	    journal_add(t->opt.state, "subtree", line, err))
		return -1;
	if (!cg_set(t, parent, "cgroup.subtree_control", on, err))
		return 0;
	/* all or nothing: cpu alone, when cpuset was refused */
	if (!cpuset || word_in(sub, "cpu"))
		return -1;
	return cg_set(t, parent, "cgroup.subtree_control", "+cpu", err);
}

static int cg2_setup_root(struct cg_tree *t, const struct scenario *sc,
			  struct err *err)
{
	const char *parent = cg_parent_dir(t, CG_UNIFIED);
	const struct cg_mount *cm = &t->m.h[CG_UNIFIED];
	bool at_root = !strcmp(parent, cm->dir);
	char ctl[256], sub[256], dir[CG_PATH_MAX], list[256];
	uint64_t want;

	if (cg_read(parent, "cgroup.controllers", ctl, sizeof(ctl), err))
		return -1;
	if (!word_in(ctl, "cpu"))
		return err_set(err, 0,
			       "the cpu controller is not available in '%s' "
			       "(cgroup.controllers: '%.*s')",
			       parent, (int)strcspn(ctl, "\n"), ctl);
	if (cg_read(parent, "cgroup.subtree_control", sub, sizeof(sub), err))
		return -1;
	if (cg_mkdir_rec(t, CG_UNIFIED, "", dir, sizeof(dir), err))
		return -1;
	if (!word_in(sub, "cpu") ||
	    (word_in(ctl, "cpuset") && !word_in(sub, "cpuset"))) {
		if (!at_root && move_self(t, parent, err))
			return -1;
		if (enable_parent(t, parent, sub, word_in(ctl, "cpuset"), err))
			return -1;
		t->v2_enabled_parent = !at_root;
	}
	snprintf(list, sizeof(list), "%u", CG_RUN_ROOT_WEIGHT);
	if (cg_set(t, dir, "cpu.weight", list, err) ||
	    enable(t, dir, cpuset_on(t), err))
		return -1;
	if (!cpuset_on(t)) {
		cg_note(t, "cpuset controller not available, cpus not pinned "
			   "by cgroup");
		return 0;
	}
	want = cg_run_cpus(sc);
	cpulist_format(want, list, sizeof(list));
	return cg_set(t, dir, "cpuset.cpus", list, err);
}

/* The weight of the .tasks leaf: on v1 the group's own threads compete with
 * its child groups one by one, with their nice weights; the leaf stands for
 * all of them, so it gets their sum (in cpu.weight units). */
static uint32_t tasks_weight(const struct scenario *sc, size_t gi)
{
	uint64_t sum = 0, w;
	size_t ti;

	for (ti = 0; ti < sc->ntasks; ti++)
		if (sc->tasks[ti].group == gi)
			sum += (uint64_t)sc->tasks[ti].count *
			       weight_prio_to_weight[sc->tasks[ti].nice + 20];
	w = (sum * WEIGHT_DEFAULT + 512) / 1024;
	return (uint32_t)(w < WEIGHT_MIN ? WEIGHT_MIN :
			  w > WEIGHT_MAX ? WEIGHT_MAX :
					   w);
}

static int cg2_setup_group(struct cg_tree *t, const struct scenario *sc,
			   size_t gi, struct err *err)
{
	const struct group_spec *g = &sc->groups[gi];
	struct cg_group *cg = &t->groups[gi];
	char dir[CG_PATH_MAX], leaf[CG_PATH_MAX], buf[64];
	uint64_t cpus = cg_group_cpus(sc, gi);
	bool cpuset = cpuset_on(t);

	struct knob_files kf;

	knob_files(g, t->opt.defer_quota, &kf);
	cg_path(t, CG_UNIFIED, cg->rel, dir, sizeof(dir));
	cg->weight = kf.weight;
	snprintf(buf, sizeof(buf), "%u", (unsigned)cg->weight);
	if (cg_set(t, dir, "cpu.weight", buf, err))
		return -1;
	if (cg_set(t, dir, "cpu.max", kf.cpu_max, err) ||
	    cg_set_burst(t, sc, gi, dir, "cpu.max.burst", err))
		return -1;
	if (!cpus)
		return err_set(err, 0,
			       "group '%s' has no cpu among the "
			       "scenario's %u",
			       g->path, sc->cpus);
	cpulist_format(cpus, cg->cpus, sizeof(cg->cpus));
	if (cpuset && cg_set(t, dir, "cpuset.cpus", cg->cpus, err))
		return -1;
	if (!cg_has_children(sc, gi))
		return 0;
	if (enable(t, dir, cpuset, err))
		return -1;
	if (!strcmp(cg->leaf, cg->rel))
		return 0;
	if (cg_mkdir_rec(t, CG_UNIFIED, cg->leaf, leaf, sizeof(leaf), err))
		return -1;
	snprintf(buf, sizeof(buf), "%u", (unsigned)tasks_weight(sc, gi));
	return cg_set(t, leaf, "cpu.weight", buf, err);
}

static int cg2_read(const struct cg_tree *t, size_t gi, struct cpustat *st,
		    struct err *err)
{
	char dir[CG_PATH_MAX];

	cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir, sizeof(dir));
	if (cg_read_stat(dir, "cpu.stat", cpustat_parse_v2, false, st, err) ||
	    cg_read_stat(dir, "cpu.stat.local", cpustat_parse_v2_local, true,
			 st, err))
		return -1;
	return 0;
}

static int cg2_restore_self(struct cg_tree *t, struct err *err)
{
	const char *parent = cg_parent_dir(t, CG_UNIFIED);
	char me[24];

	/* children first: a controller cannot be disabled in the parent
	 * while the run root still hands it down */
	if (cg_write(t->base[CG_UNIFIED], "cgroup.subtree_control",
		     cpuset_on(t) ? "-cpu -cpuset" : "-cpu", err))
		return -1;
	if (t->v2_enabled_parent && t->v2_parent_undo[0] &&
	    cg_write(parent, "cgroup.subtree_control", t->v2_parent_undo, err))
		return -1;
	snprintf(me, sizeof(me), "%ld", (long)getpid());
	if (cg_write(parent, "cgroup.procs", me, err))
		return -1;
	t->v2_moved_self = false;
	return 0;
}

const struct cg_ops cg_v2_ops = {
	.setup_root = cg2_setup_root,
	.setup_group = cg2_setup_group,
	.read = cg2_read,
	.restore_self = cg2_restore_self,
};
