/* What cgroup.c shares with the hierarchy-specific halves cgroup_v1.c and
 * cgroup_v2.c: directory creation that records itself, notes, and the
 * per-version steps.  Private to the cgroup unit. */
#ifndef BACKEND_CGROUP_INTERNAL_H
#define BACKEND_CGROUP_INTERNAL_H

#include "backend/cgroup.h"

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

/* One of the cpustat_parse_* functions. */
typedef int (*cg_stat_parser)(const char *text, const char *name,
			      struct cpustat *st, struct err *err);
/* Reads dir/file and parses it into st; an optional file that is absent
 * (cpu.stat.local before 6.6) is skipped. */
int cg_read_stat(const char *dir, const char *file, cg_stat_parser parse,
		 bool optional, struct cpustat *st, struct err *err);

/* cgroup_v1.c */
int cg1_setup_root(struct cg_tree *t, const struct scenario *sc,
		   struct err *err);
int cg1_setup_group(struct cg_tree *t, const struct scenario *sc, size_t gi,
		    struct err *err);
int cg1_read(const struct cg_tree *t, size_t gi, struct cpustat *st,
	     struct err *err);

/* cgroup_v2.c */
int cg2_setup_root(struct cg_tree *t, const struct scenario *sc,
		   struct err *err);
int cg2_setup_group(struct cg_tree *t, const struct scenario *sc, size_t gi,
		    struct err *err);
int cg2_read(const struct cg_tree *t, size_t gi, struct cpustat *st,
	     struct err *err);
/* Moves cfssim back out of .supervisor before that leaf is removed. */
int cg2_restore_self(struct cg_tree *t, struct err *err);

#endif
