/* Detection of the host's cgroup layout from mountinfo and
 * /proc/self/cgroup. */
#include "backend/cgroup_mount.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "base/xalloc.h"
#include "base/file.h"

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
	static const char *const names[CG_NHIER] = {
		"cpu", "cpuacct", "cpuset", "unified", "pids", "memory"};

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
			if (list_has(f[7], fl[7], "pids"))
				set_mount(&m->h[CG_PIDS], f[2], fl[2], f[3],
					  fl[3], f[4], fl[4]);
			if (list_has(f[7], fl[7], "memory"))
				set_mount(&m->h[CG_MEMORY], f[2], fl[2], f[3],
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
				if (list_has(ctl, cl, "pids") &&
				    set_self(&m->h[CG_PIDS], path, pl, err))
					return -1;
				if (list_has(ctl, cl, "memory") &&
				    set_self(&m->h[CG_MEMORY], path, pl, err))
					return -1;
			}
		}
		if (!nl)
			break;
	}
	return 0;
}

int cg_detect(const char *mountinfo_path, const char *self_cgroup_path,
	      struct cg_mounts *m, struct err *err)
{
	char *text;
	size_t len;
	int rc;

	text = file_read(mountinfo_path, SIZE_MAX, &len, err);
	if (!text)
		return -1;
	rc = cg_parse_mountinfo(text, m, err);
	free(text);
	if (rc)
		return -1;
	text = file_read(self_cgroup_path, SIZE_MAX, &len, err);
	if (!text)
		return -1;
	rc = cg_parse_self(text, m, err);
	free(text);
	return rc;
}
