#include "backend/rootfs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The image runs as root on the host: whoever may change it may run code
 * as root.  It must belong to root (or to whoever owns the cfssim program,
 * who could replace cfssim itself) and be writable by its owner only. */
static int check_owner(const char *image, const char *path,
		       const struct stat *st, struct err *err)
{
	struct stat exe;
	uid_t ok = 0;

	if (!stat("/proc/self/exe", &exe))
		ok = exe.st_uid;
	if (st->st_uid != 0 && st->st_uid != ok)
		return err_set(err, 0,
			       "container image '%s': '%s' belongs to uid %ld, "
			       "not to root",
			       image, path, (long)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return err_set(err, 0,
			       "container image '%s': '%s' is writable by "
			       "%s (mode %04o)",
			       image, path,
			       st->st_mode & S_IWOTH ? "others" : "its group",
			       (unsigned)(st->st_mode & 07777));
	return 0;
}

int rootfs_check(const char *dir, struct err *err)
{
	static const char *const dirs[] = {"proc", "sys", "dev", "tmp"};
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	if (stat(dir, &st))
		return err_set(err, errno, "cannot use container image '%s'",
			       dir);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ENOTDIR, "cannot use container image '%s'",
			       dir);
	if (check_owner(dir, dir, &st, err))
		return -1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			return err_set(err, 0,
				       "container image '%s' lacks '%s'", dir,
				       dirs[i]);
	}
	snprintf(path, sizeof(path), "%s/cfssim-workload", dir);
	if (access(path, X_OK) || stat(path, &st))
		return err_set(err, 0, "container image '%s' lacks '%s'", dir,
			       "cfssim-workload");
	return check_owner(dir, path, &st, err);
}

int rootfs_locate(char *dir, size_t len, struct err *err)
{
	static const char *const rel[] = {
		"rootfs",
		"../rootfs",
		"../share/cfssim/rootfs",
	};
	char exe[PATH_MAX], cand[PATH_MAX + 32], *slash;
	const char *env = getenv(ROOTFS_ENV);
	ssize_t n;
	size_t i;

	if (env && *env) {
		if (rootfs_check(env, err))
			return -1;
		snprintf(dir, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(cand, sizeof(cand), "%s/%s", exe, rel[i]);
			if (!rootfs_check(cand, NULL)) {
				if (!realpath(cand, exe))
					break;
				snprintf(dir, len, "%s", exe);
				return 0;
			}
		}
	}
	return err_set(err, 0,
		       "cannot find the container image "
		       "(build/rootfs); run 'make' or set " ROOTFS_ENV);
}
