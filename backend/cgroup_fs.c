/* Reading, writing and removing cgroup files and directories. */
#include "backend/cgroup_fs.h"

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
	char procs[256] = "";
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
