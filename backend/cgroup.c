/* Layout detection, file helpers and the version-independent half of the
 * run's cgroup tree (creation order, attach, read, kill, removal). */
#include "backend/cgroup.h"

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

#include "backend/cgroup_internal.h"
#include "backend/janitor.h"
#include "sim/xalloc.h"

const char *cg_layout_name(enum cg_layout layout)
{
	switch (layout) {
	case CG_LAYOUT_V1:
		return "v1";
	case CG_LAYOUT_HYBRID:
		return "hybrid";
	case CG_LAYOUT_V2:
		return "v2";
	case CG_LAYOUT_NONE:
		break;
	}
	return "none";
}

const char *cg_hier_name(enum cg_hier h)
{
	static const char *const names[CG_NHIER] = {"cpu", "cpuacct", "cpuset",
						    "unified"};

	return (unsigned)h < CG_NHIER ? names[h] : "?";
}

/* ---- mountinfo and /proc/self/cgroup ---- */

/* Copies a mountinfo field, turning the kernel's \ooo escapes back into
 * bytes (a space in a path is written \040). */
static void unescape(const char *s, size_t n, char *out, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < len; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] =
				(char)((s[i + 1] - '0') * 64 +
				       (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

/* true when the comma-separated list [s, s+n) holds word. */
static bool list_has(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	const char *end = s + n, *p = s, *c;

	while (p < end) {
		c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		if ((size_t)(c - p) == wl && !memcmp(p, word, wl))
			return true;
		p = c + 1;
	}
	return false;
}

static void set_mount(struct cg_mount *cm, const char *dev, size_t devn,
		      const char *root, size_t rootn, const char *dir,
		      size_t dirn)
{
	if (cm->dir[0])
		return; /* the first mount of a hierarchy wins */
	unescape(dev, devn, cm->dev, sizeof(cm->dev));
	unescape(root, rootn, cm->root, sizeof(cm->root));
	unescape(dir, dirn, cm->dir, sizeof(cm->dir));
}

/* Splits the space-separated fields of [p, end) into f/fl from index *nf
 * until there are max; returns where it stopped. */
static const char *split_fields(const char *p, const char *end, const char **f,
				size_t *fl, size_t *nf, size_t max)
{
	while (p < end && *nf < max) {
		const char *q = memchr(p, ' ', (size_t)(end - p));

		if (!q)
			q = end;
		f[*nf] = p;
		fl[(*nf)++] = (size_t)(q - p);
		p = q + 1;
	}
	return p;
}

int cg_parse_mountinfo(const char *text, struct cg_mounts *m, struct err *err)
{
	const char *line = text, *nl, *f[10], *sep, *p;
	size_t fl[10], nf;
	unsigned lineno = 0;

	memset(m, 0, sizeof(*m));
	for (; *line; line = nl + 1) {
		const char *end;

		lineno++;
		nl = strchr(line, '\n');
		end = nl ? nl : line + strlen(line);
		/* id parent dev root mountpoint options [optional...] - fstype
		 * source superoptions */
		sep = NULL;
		nf = 0;
		p = split_fields(line, end, f, fl, &nf, 5);
		for (; p < end; p++)
			if (p[0] == '-' && p[-1] == ' ' &&
			    (p + 1 == end || p[1] == ' ')) {
				sep = p;
				break;
			}
		if (nf < 5 || !sep || sep + 2 >= end) {
			if (end == line) { /* empty line */
				if (!nl)
					break;
				continue;
			}
			return err_set(
				err, 0, "malformed mountinfo line %u: '%.*s'",
				lineno,
				(int)(end - line > 80 ? 80 : end - line), line);
		}
		/* fstype, source, superoptions */
		split_fields(sep + 2, end, f, fl, &nf, 8);
		if (nf == 8 && fl[5] == 6 && !memcmp(f[5], "cgroup", 6)) {
			if (list_has(f[7], fl[7], "cpu"))
				set_mount(&m->h[CG_CPU], f[2], fl[2], f[3],
					  fl[3], f[4], fl[4]);
			if (list_has(f[7], fl[7], "cpuacct"))
				set_mount(&m->h[CG_CPUACCT], f[2], fl[2], f[3],
					  fl[3], f[4], fl[4]);
			if (list_has(f[7], fl[7], "cpuset"))
				set_mount(&m->h[CG_CPUSET], f[2], fl[2], f[3],
					  fl[3], f[4], fl[4]);
		} else if (nf >= 6 && fl[5] == 7 &&
			   !memcmp(f[5], "cgroup2", 7)) {
			set_mount(&m->h[CG_UNIFIED], f[2], fl[2], f[3], fl[3],
				  f[4], fl[4]);
		}
		if (!nl)
			break;
	}
	if (m->h[CG_CPU].dir[0])
		m->layout = m->h[CG_UNIFIED].dir[0] ? CG_LAYOUT_HYBRID :
						      CG_LAYOUT_V1;
	else if (m->h[CG_UNIFIED].dir[0])
		m->layout = CG_LAYOUT_V2;
	else
		m->layout = CG_LAYOUT_NONE;
	return 0;
}

/* self = dir + (path below the mount's root). */
static int set_self(struct cg_mount *cm, const char *path, size_t n,
		    struct err *err)
{
	char p[CG_PATH_MAX];
	size_t rl = strlen(cm->root);
	const char *rest;

	if (!cm->dir[0] || cm->self[0])
		return 0;
	if (n >= sizeof(p))
		n = sizeof(p) - 1;
	memcpy(p, path, n);
	p[n] = '\0';
	if (!strcmp(cm->root, "/"))
		rest = p;
	else if (!strncmp(p, cm->root, rl) && (p[rl] == '/' || !p[rl]))
		rest = p + rl;
	else
		return err_set(err, 0, "cgroup '%s' is outside mount '%s'", p,
			       cm->dir);
	while (*rest == '/')
		rest++;
	if (!*rest)
		snprintf(cm->self, sizeof(cm->self), "%s", cm->dir);
	else if (snprintf(cm->self, sizeof(cm->self), "%s/%s", cm->dir, rest) >=
		 (int)sizeof(cm->self))
		return err_set(err, 0, "cgroup path '%s' is too long", p);
	return 0;
}

int cg_parse_self(const char *text, struct cg_mounts *m, struct err *err)
{
	const char *line = text, *nl, *c1, *c2, *end;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		end = nl ? nl : line + strlen(line);
		c1 = memchr(line, ':', (size_t)(end - line));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c2) {
			const char *ctl = c1 + 1, *path = c2 + 1;
			size_t cl = (size_t)(c2 - ctl),
			       pl = (size_t)(end - path);

			if (c1 - line == 1 && line[0] == '0' && cl == 0) {
				if (set_self(&m->h[CG_UNIFIED], path, pl, err))
					return -1;
			} else {
				if (list_has(ctl, cl, "cpu") &&
				    set_self(&m->h[CG_CPU], path, pl, err))
					return -1;
				if (list_has(ctl, cl, "cpuacct") &&
				    set_self(&m->h[CG_CPUACCT], path, pl, err))
					return -1;
				if (list_has(ctl, cl, "cpuset") &&
				    set_self(&m->h[CG_CPUSET], path, pl, err))
					return -1;
			}
		}
		if (!nl)
			break;
	}
	return 0;
}

static char *slurp(const char *path, struct err *err)
{
	size_t len = 0, cap = 8192;
	char *buf;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		err_set(err, errno, "cannot open '%s'", path);
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, errno, "cannot read '%s'", path);
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

int cg_detect(const char *mountinfo_path, const char *self_cgroup_path,
	      struct cg_mounts *m, struct err *err)
{
	char *text;
	int rc;

	text = slurp(mountinfo_path, err);
	if (!text)
		return -1;
	rc = cg_parse_mountinfo(text, m, err);
	free(text);
	if (rc)
		return -1;
	text = slurp(self_cgroup_path, err);
	if (!text)
		return -1;
	rc = cg_parse_self(text, m, err);
	free(text);
	return rc;
}

/* ---- files ---- */

int cg_write(const char *dir, const char *file, const char *value,
	     struct err *err)
{
	char path[CG_PATH_MAX + 64];
	size_t len = strlen(value);
	ssize_t n;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot write '%s' to '%s'", value,
			       path);
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	e = errno;
	close(fd);
	if (n < 0)
		return err_set(err, e, "cannot write '%s' to '%s'", value,
			       path);
	if ((size_t)n != len)
		return err_set(err, 0, "short write of '%s' to '%s'", value,
			       path);
	return 0;
}

int cg_read(const char *dir, const char *file, char *buf, size_t len,
	    struct err *err)
{
	char path[CG_PATH_MAX + 64];
	size_t got = 0;
	ssize_t n;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot read '%s'", path);
	for (;;) {
		if (got + 1 >= len) {
			close(fd);
			return err_set(err, 0, "'%s' is larger than %zu bytes",
				       path, len - 1);
		}
		n = read(fd, buf + got, len - got - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			return err_set(err, e, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return 0;
}

int cg_read_stat(const char *dir, const char *file, cg_stat_parser parse,
		 bool optional, struct cpustat *st, struct err *err)
{
	char buf[4096], name[CG_PATH_MAX + 32];

	if (optional && !cg_exists(dir, file))
		return 0;
	snprintf(name, sizeof(name), "%s/%s", dir, file);
	if (cg_read(dir, file, buf, sizeof(buf), err) ||
	    parse(buf, name, st, err))
		return -1;
	return 0;
}

bool cg_exists(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

void cg_format_cpulist(uint64_t mask, char *buf, size_t len)
{
	size_t o = 0;
	unsigned i = 0, j;

	buf[0] = '\0';
	while (i < 64) {
		if (!(mask >> i & 1)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 64 && (mask >> (j + 1) & 1); j++)
			;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%u",
					      o ? "," : "", i);
		if (j > i && o < len)
			o += (size_t)snprintf(buf + o, len - o, "-%u", j);
		i = j + 1;
	}
}

int cg_parse_cpulist(const char *text, uint64_t *mask, struct err *err)
{
	const char *p = text;
	unsigned long a, b;
	char *end;

	*mask = 0;
	while (*p == ' ')
		p++;
	while (*p && *p != '\n') {
		if (*p < '0' || *p > '9')
			goto bad;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			if (p[1] < '0' || p[1] > '9')
				goto bad;
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		if (a > b || b >= 64)
			goto bad;
		for (; a <= b; a++)
			*mask |= 1ULL << a;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	return 0;
bad : {
	size_t n = strcspn(text, "\n");

	return err_set(err, 0, "invalid cpu list '%.*s'",
		       (int)(n > 60 ? 60 : n), text);
}
}

/* ---- the tree ---- */

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
	if (t->opt.state && jan_state_add(t->opt.state, "cgroup", out, err))
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
	uint64_t all = sc->cpus >= 64 ? ~0ULL : (1ULL << sc->cpus) - 1;

	return sc->groups[gi].cpus_mask & all;
}

int cg_set_burst(struct cg_tree *t, const struct scenario *sc, size_t gi,
		 const char *dir, const char *file, struct err *err)
{
	const struct group_spec *g = &sc->groups[gi];
	char val[32];

	if (!cg_exists(dir, file)) {
		if (g->burst_ns)
			return err_set(err, 0,
				       "cannot set the burst of group '%s': "
				       "'%s/%s' is missing (kernel older than "
				       "5.14?)",
				       g->path, dir, file);
		cg_note(t, "%s/%s absent, burst 0 not written", g->path, file);
		return 0;
	}
	if (!g->burst_ns)
		return 0;
	snprintf(val, sizeof(val), "%llu",
		 (unsigned long long)(g->burst_ns / NSEC_PER_USEC));
	return cg_set(t, dir, file, val, err);
}

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
		t->used[CG_CPU] = true;
		t->used[CG_CPUACCT] =
			strcmp(m->h[CG_CPUACCT].dev, m->h[CG_CPU].dev) != 0;
		t->used[CG_CPUSET] =
			strcmp(m->h[CG_CPUSET].dev, m->h[CG_CPU].dev) &&
			strcmp(m->h[CG_CPUSET].dev, m->h[CG_CPUACCT].dev);
		t->mirror = m->layout == CG_LAYOUT_HYBRID;
		t->used[CG_UNIFIED] = t->mirror;
		break;
	case CG_LAYOUT_V2:
		t->version = 2;
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

	if (t->version == 1) {
		for (h = 0; h < CG_NHIER; h++)
			if (t->used[h] &&
			    cg_mkdir_rec(t, h, "", dir, sizeof(dir), err))
				goto fail;
		if (cg1_setup_root(t, sc, err))
			goto fail;
	} else if (cg2_setup_root(t, sc, err)) {
		goto fail;
	}
	for (gi = 0; gi < sc->ngroups; gi++) {
		for (h = 0; h < CG_NHIER; h++)
			if (t->used[h] && cg_mkdir_rec(t, h, t->groups[gi].rel,
						       dir, sizeof(dir), err))
				goto fail;
		if (t->version == 1 ? cg1_setup_group(t, sc, gi, err) :
				      cg2_setup_group(t, sc, gi, err))
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
	if (t->opt.state && jan_state_add(t->opt.state, "pid", val, err))
		return -1;
	for (h = 0; h < CG_NHIER; h++) {
		if (!t->used[h] || (h == CG_UNIFIED && in_cgroup2))
			continue;
		cg_path(t, h,
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

int cg_tree_rearm(const struct cg_tree *t, const struct scenario *sc,
		  struct err *err)
{
	char dir[CG_PATH_MAX], val[64];
	size_t gi;

	for (gi = 0; gi < t->ngroups && gi < sc->ngroups; gi++) {
		const struct group_spec *g = &sc->groups[gi];
		unsigned long long q = g->quota_ns / NSEC_PER_USEC;
		unsigned long long p = g->period_ns / NSEC_PER_USEC;

		if (!g->has_quota)
			continue;
		if (t->version == 1) {
			cg_path(t, CG_CPU, t->groups[gi].rel, dir, sizeof(dir));
			snprintf(val, sizeof(val), "%llu", q);
			if (cg_write(dir, "cpu.cfs_quota_us", val, err))
				return -1;
		} else {
			cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir,
				sizeof(dir));
			snprintf(val, sizeof(val), "%llu %llu", q, p);
			if (cg_write(dir, "cpu.max", val, err))
				return -1;
		}
	}
	return 0;
}

int cg_tree_unlimit(const struct cg_tree *t, const struct scenario *sc,
		    struct err *err)
{
	char dir[CG_PATH_MAX], val[64];
	size_t gi;

	for (gi = t->ngroups < sc->ngroups ? t->ngroups : sc->ngroups; gi--;) {
		const struct group_spec *g = &sc->groups[gi];

		if (!g->has_quota)
			continue;
		if (t->version == 1) {
			cg_path(t, CG_CPU, t->groups[gi].rel, dir, sizeof(dir));
			if (cg_write(dir, "cpu.cfs_quota_us", "-1", err))
				return -1;
		} else {
			cg_path(t, CG_UNIFIED, t->groups[gi].rel, dir,
				sizeof(dir));
			snprintf(val, sizeof(val), "max %llu",
				 (unsigned long long)(g->period_ns /
						      NSEC_PER_USEC));
			if (cg_write(dir, "cpu.max", val, err))
				return -1;
		}
	}
	return 0;
}

int cg_tree_read(const struct cg_tree *t, size_t group, struct cpustat *st,
		 struct err *err)
{
	memset(st, 0, sizeof(*st));
	return t->version == 1 ? cg1_read(t, group, st, err) :
				 cg2_read(t, group, st, err);
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

static void unlink_files(const char *dir)
{
	char path[CG_PATH_MAX + 300];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_type != DT_REG)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

int cg_rmdir(const char *dir, bool fake, unsigned retry_ms, struct err *err)
{
	struct timespec ts = {0, 10 * 1000000};
	char procs[256];
	unsigned waited = 0;
	struct err e;
	size_t i;

	for (;;) {
		if (!rmdir(dir) || errno == ENOENT)
			return 0;
		if (errno == ENOTEMPTY && fake) {
			unlink_files(dir);
			fake = false;
			continue;
		}
		if (errno != EBUSY || waited >= retry_ms)
			break;
		nanosleep(&ts, NULL);
		waited += 10;
	}
	if (errno != EBUSY)
		return err_set(err, errno, "cannot remove cgroup '%s'", dir);
	if (cg_read(dir, "cgroup.procs", procs, sizeof(procs), &e))
		procs[0] = '\0';
	for (i = 0; procs[i]; i++)
		if (procs[i] == '\n')
			procs[i] = procs[i + 1] ? ' ' : '\0';
	return err_set(err, EBUSY,
		       "cannot remove cgroup '%s' (still holds: %s)", dir,
		       procs[0] ? procs : "child cgroups");
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
		    cg2_restore_self(t, &e) && !rc)
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
