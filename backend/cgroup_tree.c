/* What the version-independent tree (cgroup.c) shares with the
 * hierarchy-specific halves cgroup_v1.c and cgroup_v2.c. */
#include "backend/cgroup_tree.h"

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

#include "backend/journal.h"
#include "base/xalloc.h"
#include "model/kernel.h"
#include "model/knobs.h"

void cg_path(const struct cg_tree *t, enum cg_hier h, const char *rel,
	     char *out, size_t len)
{
	int n;

	if (rel && *rel)
		n = snprintf(out, len, "%s/%s", t->base[h], rel);
	else
		n = snprintf(out, len, "%s", t->base[h]);
	assert(n >= 0 && (size_t)n < len); /* paths are bounded */
	(void)n;
}

void cg_note(struct cg_tree *t, const char *fmt, ...)
{
	char buf[CG_PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xgrow((void **)&t->notes, &t->cap_notes, t->nnotes + 1,
	      sizeof(*t->notes));
	t->notes[t->nnotes++] = xstrdup(buf);
}

/* The file's path below the mount point, for notes: ".../cfssim-1/a". */
static const char *below_base(const struct cg_tree *t, const char *dir)
{
	enum cg_hier h;
	size_t n;

	for (h = 0; h < CG_NHIER; h++) {
		n = strlen(t->base[h]);
		if (n && !strncmp(dir, t->base[h], n) &&
		    (dir[n] == '/' || !dir[n]))
			return dir[n] ? dir + n + 1 : "";
	}
	return dir;
}

int cg_set(struct cg_tree *t, const char *dir, const char *file,
	   const char *value, struct err *err)
{
	const char *rel = below_base(t, dir);

	if (cg_write(dir, file, value, err))
		return -1;
	cg_note(t, "%s%s%s = %s", rel, *rel ? "/" : "", file, value);
	return 0;
}

static void fake_populate(const struct cg_tree *t, enum cg_hier h,
			  const char *dir)
{
	const char *const *f = t->opt.fake_files[h];
	char path[CG_PATH_MAX + 64];
	const char *eq;
	int fd;

	for (; f && *f; f++) {
		eq = strchr(*f, '=');
		snprintf(path, sizeof(path), "%s/%.*s", dir,
			 (int)(eq ? (size_t)(eq - *f) : strlen(*f)), *f);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			continue;
		if (eq && write(fd, eq + 1, strlen(eq + 1)) < 0)
			unlink(path);
		close(fd);
	}
}

int cg_mkdir_rec(struct cg_tree *t, enum cg_hier h, const char *rel, char *out,
		 size_t len, struct err *err)
{
	cg_path(t, h, rel, out, len);
	if (t->opt.state && journal_add(t->opt.state, "cgroup", out, err))
		return -1;
	if (mkdir(out, 0755)) {
		if (errno == EEXIST)
			return err_set(err, errno,
				       "cannot create cgroup '%s' (a leftover? "
				       "run 'cfssim cleanup')",
				       out);
		return err_set(err, errno, "cannot create cgroup '%s'", out);
	}
	xgrow((void **)&t->dirs, &t->cap_dirs, t->ndirs + 1, sizeof(*t->dirs));
	t->dirs[t->ndirs++] = xstrdup(out);
	if (t->opt.fake)
		fake_populate(t, h, out);
	return 0;
}

bool cg_has_children(const struct scenario *sc, size_t gi)
{
	size_t i;

	for (i = gi + 1; i < sc->ngroups; i++)
		if (sc->groups[i].parent == (long)gi)
			return true;
	return false;
}

bool cg_has_tasks(const struct scenario *sc, size_t gi)
{
	size_t i;

	for (i = 0; i < sc->ntasks; i++)
		if (sc->tasks[i].group == gi)
			return true;
	return false;
}

const char *cg_parent_dir(const struct cg_tree *t, enum cg_hier h)
{
	const struct cg_mount *cm = &t->m.h[h];

	return cm->self[0] ? cm->self : cm->dir;
}

uint64_t cg_group_cpus(const struct scenario *sc, size_t gi)
{
	uint64_t all = scenario_cpus_mask(sc);

	if (sc->groups[gi].load_generator)
		return sc->groups[gi].cpus_mask;
	return sc->groups[gi].cpus_mask & all;
}

uint64_t cg_run_cpus(const struct scenario *sc)
{
	uint64_t all = scenario_cpus_mask(sc);
	size_t gi;

	for (gi = 0; gi < sc->ngroups; gi++)
		if (sc->groups[gi].load_generator)
			all |= sc->groups[gi].cpus_mask;
	return all;
}

int cg_set_burst(struct cg_tree *t, const struct scenario *sc, size_t gi,
		 const char *dir, const char *file, struct err *err)
{
	const struct group_spec *g = &sc->groups[gi];
	struct knob_files kf;
	char val[32];

	if (!cg_exists(dir, file)) {
		struct kernel_version v = kernel_feature_since(KERNEL_BURST);

		if (g->burst_ns)
			return err_set(err, 0,
				       "cannot set the burst of group '%s': "
				       "'%s/%s' is missing (kernel older than "
				       "%u.%u?)",
				       g->path, dir, file, v.major, v.minor);
		cg_note(t, "%s/%s absent, burst 0 not written", g->path, file);
		return 0;
	}
	if (!g->burst_ns)
		return 0;
	knob_files(g, false, &kf);
	snprintf(val, sizeof(val), "%" PRIu64, kf.burst_us);
	return cg_set(t, dir, file, val, err);
}

enum cg_hier cg_owner_of(const struct cg_tree *t, enum cg_hier h)
{
	if (t->used[h])
		return h;
	if (h == CG_CPUACCT || h == CG_CPUSET) {
		if (!strcmp(t->m.h[h].dev, t->m.h[CG_CPU].dev))
			return CG_CPU;
		return CG_CPUACCT;
	}
	return h;
}
