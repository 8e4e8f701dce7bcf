/* Reading, writing and removing cgroup files and directories. */
#ifndef BACKEND_CGROUP_FS_H
#define BACKEND_CGROUP_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/cpustat.h"
#include "base/err.h"

#define CG_PATH_MAX 512

/* Small file helpers, also for tests: the value is written with one
 * write(2) (O_TRUNC, so fake trees hold exactly the bytes); reads
 * NUL-terminate and fail when the file does not fit. */
int cg_write(const char *dir, const char *file, const char *value,
	     struct err *err);
int cg_read(const char *dir, const char *file, char *buf, size_t len,
	    struct err *err);
bool cg_exists(const char *dir, const char *file);

/* One of the cpustat_parse_* functions. */
typedef int (*cg_stat_parser)(const char *text, const char *name,
			      struct cpustat *st, struct err *err);
/* Reads dir/file and parses it into st; an optional file that is absent
 * (cpu.stat.local before 6.6) is skipped. */
int cg_read_stat(const char *dir, const char *file, cg_stat_parser parse,
		 bool optional, struct cpustat *st, struct err *err);

/* Removes one cgroup directory, retrying EBUSY for retry_ms; with fake,
 * the regular files inside are deleted first. */
int cg_rmdir(const char *dir, bool fake, unsigned retry_ms, struct err *err);

#endif
