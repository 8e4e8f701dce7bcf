/* The sweep that removes what dead runs left behind, read from their
 * journals (backend/journal.h). */
#include "backend/janitor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "backend/container.h"
#include "backend/journal.h"
#include "backend/net.h"
#include "backend/tracefs.h"
#include "base/xalloc.h"

static void report(struct jan_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report(struct jan_report *r, const char *fmt, ...)
{
	char buf[CG_PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xgrow((void **)&r->lines, &r->cap, r->n + 1, sizeof(*r->lines));
	r->lines[r->n++] = xstrdup(buf);
}

void jan_report_destroy(struct jan_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

/* A parsed state file. */
struct state {
	char *path; /* the state file */
	pid_t owner;
	uint64_t starttime;
	uint64_t pidns; /* 0: not recorded (older runs) */
	bool fake;
	bool live; /* the owner is not known to be gone */
	char **cgroups;
	size_t ncgroups, cap_cgroups;
	pid_t *pids;
	size_t npids, cap_pids;
	char **traces; /* trace instances (backend/tracefs.h) */
	size_t ntraces, cap_traces;
	char **subtrees; /* "<dir> -cpu -cpuset": undoes a parent's change */
	size_t nsubtrees, cap_subtrees;
};

static void state_free(struct state *st)
{
	size_t i;

	for (i = 0; i < st->ncgroups; i++)
		free(st->cgroups[i]);
	free(st->cgroups);
	free(st->pids);
	for (i = 0; i < st->ntraces; i++)
		free(st->traces[i]);
	free(st->traces);
	for (i = 0; i < st->nsubtrees; i++)
		free(st->subtrees[i]);
	free(st->subtrees);
	free(st->path);
}

/* Parses a state file; returns false (and leaves it alone) when it is not
 * one of ours. */
static bool state_load(const char *path, struct state *st)
{
	char line[CG_PATH_MAX + 64];
	unsigned long long start, ns = 0;
	bool ok = false;
	long pid;
	FILE *f = fopen(path, "re");

	memset(st, 0, sizeof(*st));
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f) || strcmp(line, JOURNAL_MAGIC "\n"))
		goto out;
	/* older runs wrote no pid namespace */
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "owner %ld %llu %llu", &pid, &start, &ns) < 2 ||
	    pid <= 0)
		goto out;
	st->owner = (pid_t)pid;
	st->starttime = start;
	st->pidns = ns;
	st->path = xstrdup(path);
	ok = true;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "fake")) {
			st->fake = true;
		} else if (!strncmp(line, "cgroup /", 8)) {
			xgrow((void **)&st->cgroups, &st->cap_cgroups,
			      st->ncgroups + 1, sizeof(*st->cgroups));
			st->cgroups[st->ncgroups++] = xstrdup(line + 7);
		} else if (!strncmp(line, "subtree /", 9)) {
			xgrow((void **)&st->subtrees, &st->cap_subtrees,
			      st->nsubtrees + 1, sizeof(*st->subtrees));
			st->subtrees[st->nsubtrees++] = xstrdup(line + 8);
		} else if (!strncmp(line, "trace /", 7)) {
			xgrow((void **)&st->traces, &st->cap_traces,
			      st->ntraces + 1, sizeof(*st->traces));
			st->traces[st->ntraces++] = xstrdup(line + 6);
		} else if (sscanf(line, "pid %ld", &pid) == 1 && pid > 1) {
			xgrow((void **)&st->pids, &st->cap_pids, st->npids + 1,
			      sizeof(*st->pids));
			st->pids[st->npids++] = (pid_t)pid;
		}
	}
out:
	fclose(f);
	return ok;
}

/* true when pid sits in a cgroup of the run cfssim-<owner>. */
static bool pid_in_run(pid_t pid, pid_t owner)
{
	char path[64], line[CG_PATH_MAX], name[40];
	size_t n;
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", (long)pid);
	snprintf(name, sizeof(name), "/" CG_PREFIX "%ld", (long)owner);
	n = strlen(name);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!in && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, name);

		in = p && (p[n] == '/' || p[n] == '\n' || !p[n]);
	}
	fclose(f);
	return in;
}

/* A pid is checked and signalled through a pidfd: once it is open, the
 * number cannot be reused by another process between the check and the
 * signal. */
static void kill_pids(const struct state *st, struct jan_report *rep)
{
	struct timespec ts = {0, 10 * 1000000};
	size_t i;
	int waited, fd;

	for (i = 0; i < st->npids; i++) {
		pid_t pid = st->pids[i];

		fd = (int)syscall(SYS_pidfd_open, pid, 0U);
		if (fd < 0)
			continue;
		if (!pid_in_run(pid, st->owner) ||
		    syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0U)) {
			close(fd);
			continue;
		}
		close(fd);
		report(rep, "killed pid %ld", (long)pid);
		for (waited = 0; waited < 100 && pid_in_run(pid, st->owner);
		     waited++)
			nanosleep(&ts, NULL);
	}
}

/* Removes <state dir>/<owner>/ and its empty subdirectories (container
 * state dirs whose mounts died with their namespaces). */
static void remove_owner_dir(const char *state_dir, pid_t owner,
			     struct jan_report *rep)
{
	char dir[CG_PATH_MAX], sub[CG_PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%ld", state_dir, (long)owner);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		rmdir(sub);
	}
	closedir(d);
	if (!rmdir(dir))
		report(rep, "removed state dir '%s'", dir);
}

/* true when path names the trace instance of owner: .../instances/
 * cfssim-<owner>; a state file can list nothing else as a trace. */
static bool owner_instance(const char *path, pid_t owner)
{
	char want[48];
	const char *base = strrchr(path, '/');
	size_t n = strlen("/instances");

	snprintf(want, sizeof(want), TRACEFS_INSTANCE_PREFIX "%ld",
		 (long)owner);
	return base && !strcmp(base + 1, want) && (size_t)(base - path) >= n &&
	       !strncmp(base - n, "/instances", n);
}

/* true when a live run's state file lists path or a directory above it:
 * a run of the same pid in another pid namespace, or one that reused the
 * pid, names its cgroups and trace instance as the dead run did. */
static bool claimed(const struct state *all, size_t n, const char *path)
{
	size_t i, k, len;

	for (i = 0; i < n; i++) {
		if (!all[i].live)
			continue;
		for (k = 0; k < all[i].ncgroups + all[i].ntraces; k++) {
			const char *c =
				k < all[i].ncgroups ?
					all[i].cgroups[k] :
					all[i].traces[k - all[i].ncgroups];

			len = strlen(c);
			if (!strncmp(path, c, len) &&
			    (path[len] == '/' || !path[len]))
				return true;
		}
	}
	return false;
}

/* Removes the trace instances a dead owner's state file lists. */
static int remove_traces(const struct state *st, const struct state *all,
			 size_t nall, struct jan_report *rep, struct err *err)
{
	int rc = 0;
	size_t i;

	for (i = 0; i < st->ntraces; i++) {
		const char *dir = st->traces[i];

		if (!owner_instance(dir, st->owner) || access(dir, F_OK))
			continue;
		if (claimed(all, nall, dir)) {
			report(rep, "left alone '%s' (a live run's)", dir);
			continue;
		}
		if (rmdir(dir)) {
			if (!rc)
				err_set(err, errno,
					"cannot remove trace instance '%s'",
					dir);
			rc = -1;
			continue;
		}
		report(rep, "removed trace instance '%s'", dir);
	}
	return rc;
}

/* true when path lies below a cgroup mount <mount>/, at or below a
 * directory named cfssim-<owner> under it, with no empty, "." or ".."
 * component: a state file can make the janitor remove nothing else.
 * Without mounts nothing is. */
static bool owner_cgroup(const struct jan_options *opt, const char *path,
			 pid_t owner)
{
	char name[40];
	const char *p = NULL, *c;
	bool below = false;
	size_t n, len;
	enum cg_hier h;

	for (h = 0; opt->mounts && h < CG_NHIER && !p; h++) {
		const char *d = opt->mounts->h[h].dir;

		n = strlen(d);
		if (n && d[0] == '/' && !strncmp(path, d, n) && path[n] == '/')
			p = path + n + 1;
	}
	if (!p)
		return false;
	len = (size_t)snprintf(name, sizeof(name), CG_PREFIX "%ld",
			       (long)owner);
	for (; *p; p = *c ? c + 1 : c) {
		c = strchr(p, '/');
		if (!c)
			c = p + strlen(p);
		n = (size_t)(c - p);
		if (!n || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (n == len && !strncmp(p, name, len))
			below = true;
	}
	return below;
}

/* Undoes what a dead run enabled in the subtree_control of a parent it
 * did not create: only for the parent of its run root, and only the
 * controllers its journal says were off. */
static void restore_subtrees(const struct jan_options *opt,
			     const struct state *st, const struct state *all,
			     size_t nall, struct jan_report *rep)
{
	char root[CG_PATH_MAX + 48], dir[CG_PATH_MAX];
	const char *undo;
	struct err e;
	size_t i, k;
	bool ok;

	for (i = 0; i < st->nsubtrees; i++) {
		undo = strchr(st->subtrees[i], ' ');
		if (!undo || (size_t)(undo - st->subtrees[i]) >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s",
			 (int)(undo - st->subtrees[i]), st->subtrees[i]);
		undo++;
		snprintf(root, sizeof(root), "%s/" CG_PREFIX "%ld", dir,
			 (long)st->owner);
		for (k = 0, ok = false; k < st->ncgroups && !ok; k++)
			ok = !strcmp(st->cgroups[k], root);
		if (!ok || !owner_cgroup(opt, root, st->owner) ||
		    claimed(all, nall, root) ||
		    strspn(undo, "-cpuset ") != strlen(undo))
			continue;
		if (cg_write(dir, "cgroup.subtree_control", undo, &e))
			report(rep,
			       "cannot restore '%s/cgroup.subtree_control': %s",
			       dir, e.msg);
		else
			report(rep, "restored '%s/cgroup.subtree_control' (%s)",
			       dir, undo);
	}
}

/* Sweeps what the dead run st left; all[0..nall) are every run's states
 * (the live ones' paths are never touched). */
static int sweep_one(const struct jan_options *opt, const struct state *st,
		     const struct state *all, size_t nall,
		     struct jan_report *rep, struct err *err)
{
	bool shared = false;
	struct err e;
	int rc = 0;
	size_t i;

	for (i = 0; i < st->ncgroups && !shared; i++)
		shared = claimed(all, nall, st->cgroups[i]);
	/* a live run's processes sit in the cgroups of the same name */
	if (!shared)
		kill_pids(st, rep);
	for (i = st->ncgroups; i-- > 0;) {
		if (!owner_cgroup(opt, st->cgroups[i], st->owner)) {
			report(rep, "left alone '%s' (not below %s%ld)",
			       st->cgroups[i], CG_PREFIX, (long)st->owner);
			continue;
		}
		if (access(st->cgroups[i], F_OK))
			continue;
		if (claimed(all, nall, st->cgroups[i])) {
			report(rep, "left alone '%s' (a live run's)",
			       st->cgroups[i]);
			continue;
		}
		if (cg_rmdir(st->cgroups[i], st->fake, 1000, &e)) {
			if (!rc)
				*err = e;
			rc = -1;
			continue;
		}
		report(rep, "removed cgroup '%s'", st->cgroups[i]);
	}
	if (!rc)
		restore_subtrees(opt, st, all, nall, rep);
	if (remove_traces(st, all, nall, rep, rc ? &e : err))
		rc = -1;
	if (!shared)
		remove_owner_dir(opt->state_dir, st->owner, rep);
	if (!rc)
		unlink(st->path);
	return rc;
}

/* "<pid>-<start time>.state", or "<pid>.state" of older runs. */
static bool is_state_name(const char *name, long *pid)
{
	char *end;

	if (name[0] < '1' || name[0] > '9')
		return false;
	*pid = strtol(name, &end, 10);
	if (*end == '-' && end[1] >= '0' && end[1] <= '9')
		strtoull(end + 1, &end, 10);
	return !strcmp(end, ".state");
}

/* true when some state file in dir names pid as its owner. */
static bool has_state_file(const char *dir, long pid)
{
	struct dirent *de;
	bool found = false;
	long p;
	DIR *d = opendir(dir);

	while (d && !found && (de = readdir(d)))
		found = is_state_name(de->d_name, &p) && p == pid;
	if (d)
		closedir(d);
	return found;
}

/* Reports cfssim-<dead pid> run roots that no state file claims. */
static void scan_unclaimed(const struct jan_options *opt,
			   struct jan_report *rep)
{
	char path[CG_PATH_MAX + 300];
	const struct cg_mount *cm;
	struct dirent *de;
	enum cg_hier h;
	char *end;
	long pid;
	DIR *d;

	for (h = 0; h < CG_NHIER; h++) {
		cm = &opt->mounts->h[h];
		if (!cm->dir[0])
			continue;
		d = opendir(cm->self[0] ? cm->self : cm->dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, CG_PREFIX, strlen(CG_PREFIX)))
				continue;
			pid = strtol(de->d_name + strlen(CG_PREFIX), &end, 10);
			if (*end || pid <= 0 || pid == (long)opt->self ||
			    journal_owner_alive((pid_t)pid, 0))
				continue;
			if (has_state_file(opt->state_dir, pid))
				continue;
			snprintf(path, sizeof(path), "%s/%s",
				 cm->self[0] ? cm->self : cm->dir, de->d_name);
			report(rep, "left alone '%s' (no state file)", path);
		}
		closedir(d);
	}
}

/* Reports trace instances cfssim-<dead pid> that no state file claims. */
static void scan_unclaimed_traces(const struct jan_options *opt,
				  struct jan_report *rep)
{
	char root[TRACEFS_PATH_MAX], dir[TRACEFS_PATH_MAX + 16];
	const size_t np = strlen(TRACEFS_INSTANCE_PREFIX);
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;

	if (!tracefs_find(root, sizeof(root)))
		return;
	snprintf(dir, sizeof(dir), "%s/instances", root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, TRACEFS_INSTANCE_PREFIX, np) != 0)
			continue;
		pid = strtol(de->d_name + np, &end, 10);
		if (*end || pid <= 0 || pid == (long)opt->self ||
		    journal_owner_alive((pid_t)pid, 0))
			continue;
		if (has_state_file(opt->state_dir, pid))
			continue;
		report(rep, "left alone '%s/%s' (no state file)", dir,
		       de->d_name);
	}
	closedir(d);
}

int jan_sweep(const struct jan_options *opt, struct jan_report *rep,
	      struct err *err)
{
	char path[CG_PATH_MAX + 300];
	struct state *all = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct err e;
	int rc = 0;
	long pid;
	DIR *d;

	d = opendir(opt->state_dir);
	if (!d && errno != ENOENT)
		return err_set(err, errno, "cannot open '%s'", opt->state_dir);
	while (d && (de = readdir(d))) {
		if (!is_state_name(de->d_name, &pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", opt->state_dir,
			 de->d_name);
		xgrow((void **)&all, &cap, n + 1, sizeof(*all));
		if (!state_load(path, &all[n])) {
			state_free(&all[n]);
			continue;
		}
		all[n].live =
			all[n].owner == opt->self ||
			!journal_owner_gone(all[n].owner, all[n].starttime,
					    all[n].pidns);
		n++;
	}
	if (d)
		closedir(d);
	for (i = 0; i < n; i++) {
		if (all[i].live)
			continue;
		/* no path can be checked against a mount: keep it all */
		if (!opt->mounts && all[i].ncgroups) {
			report(rep, "left alone '%s' (no cgroup mount found)",
			       all[i].path);
			continue;
		}
		if (!sweep_one(opt, &all[i], all, n, rep, &e))
			continue;
		if (!rc)
			*err = e;
		rc = -1;
	}
	for (i = 0; i < n; i++)
		state_free(&all[i]);
	free(all);
	if (opt->mounts)
		scan_unclaimed(opt, rep);
	if (opt->net) {
		unsigned cnt = 0;

		scan_unclaimed_traces(opt, rep);
		if (net_cleanup_leftovers(&cnt, &e) && !rc) {
			*err = e;
			rc = -1;
		}
		if (cnt)
			report(rep, "removed %u network link%s", cnt,
			       cnt == 1 ? "" : "s");
		cnt = 0;
		if (ctr_cleanup_leftovers(&cnt, &e) && !rc) {
			*err = e;
			rc = -1;
		}
		if (cnt)
			report(rep, "removed %u container state dir%s", cnt,
			       cnt == 1 ? "" : "s");
	}
	return rc;
}
