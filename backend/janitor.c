/* State files of real runs and the sweep that removes a dead run's
 * leftovers. */
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
#include <time.h>
#include <unistd.h>

#include "backend/container.h"
#include "backend/net.h"
#include "backend/tracefs.h"
#include "sim/xalloc.h"

void jan_state_init(struct jan_state *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

uint64_t jan_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p)
		return 0;
	/* fields after comm start at 3 (state); starttime is field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &v) != 1)
		return 0;
	return v;
}

bool jan_owner_alive(pid_t pid, uint64_t starttime)
{
	if (pid <= 0)
		return false;
	if (kill(pid, 0) && errno == ESRCH)
		return false;
	if (starttime && jan_starttime(pid) != starttime)
		return false; /* the pid was reused by another process */
	return true;
}

int jan_state_open(struct jan_state *s, const char *dir, pid_t owner, bool fake,
		   struct err *err)
{
	char head[128];
	int n;

	jan_state_init(s);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return err_set(err, errno, "cannot create '%s'", dir);
	snprintf(s->path, sizeof(s->path), "%s/%ld.state", dir, (long)owner);
	s->fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (s->fd < 0 && errno == ENOENT) {
		/* another run's cleanup removed the empty dir meanwhile */
		mkdir(dir, 0755);
		s->fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
	}
	if (s->fd < 0)
		return err_set(err, errno, "cannot create '%s'", s->path);
	s->owner = owner;
	n = snprintf(head, sizeof(head), JAN_STATE_MAGIC "\nowner %ld %llu\n%s",
		     (long)owner, (unsigned long long)jan_starttime(owner),
		     fake ? "fake\n" : "");
	if (write(s->fd, head, (size_t)n) != n) {
		err_set(err, errno, "cannot write '%s'", s->path);
		jan_state_close(s, true);
		return -1;
	}
	return 0;
}

int jan_state_add(struct jan_state *s, const char *kind, const char *what,
		  struct err *err)
{
	char line[CG_PATH_MAX + 64];
	int n;

	if (s->fd < 0)
		return 0;
	n = snprintf(line, sizeof(line), "%s %s\n", kind, what);
	if (n < 0 || (size_t)n >= sizeof(line))
		return err_set(err, 0, "state line too long: '%s %s'", kind,
			       what);
	if (write(s->fd, line, (size_t)n) != n)
		return err_set(err, errno, "cannot write '%s'", s->path);
	return 0;
}

void jan_state_close(struct jan_state *s, bool remove)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (remove && s->path[0])
		unlink(s->path);
}

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
	pid_t owner;
	uint64_t starttime;
	bool fake;
	char **cgroups;
	size_t ncgroups, cap_cgroups;
	pid_t *pids;
	size_t npids, cap_pids;
	char **traces; /* trace instances (backend/tracefs.h) */
	size_t ntraces, cap_traces;
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
}

/* Parses a state file; returns false (and leaves it alone) when it is not
 * one of ours. */
static bool state_load(const char *path, struct state *st)
{
	char line[CG_PATH_MAX + 64];
	unsigned long long start;
	bool ok = false;
	long pid;
	FILE *f = fopen(path, "re");

	memset(st, 0, sizeof(*st));
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f) || strcmp(line, JAN_STATE_MAGIC "\n"))
		goto out;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "owner %ld %llu", &pid, &start) != 2 || pid <= 0)
		goto out;
	st->owner = (pid_t)pid;
	st->starttime = start;
	ok = true;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "fake")) {
			st->fake = true;
		} else if (!strncmp(line, "cgroup /", 8)) {
			xgrow((void **)&st->cgroups, &st->cap_cgroups,
			      st->ncgroups + 1, sizeof(*st->cgroups));
			st->cgroups[st->ncgroups++] = xstrdup(line + 7);
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

static void kill_pids(const struct state *st, struct jan_report *rep)
{
	struct timespec ts = {0, 10 * 1000000};
	size_t i;
	int waited;

	for (i = 0; i < st->npids; i++) {
		pid_t pid = st->pids[i];

		if (!pid_in_run(pid, st->owner))
			continue;
		if (kill(pid, SIGKILL))
			continue;
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

/* Removes the trace instances a dead owner's state file lists. */
static int remove_traces(const struct state *st, struct jan_report *rep,
			 struct err *err)
{
	int rc = 0;
	size_t i;

	for (i = 0; i < st->ntraces; i++) {
		const char *dir = st->traces[i];

		if (!owner_instance(dir, st->owner) || access(dir, F_OK))
			continue;
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

static int sweep_one(const struct jan_options *opt, const char *path,
		     struct jan_report *rep, struct err *err)
{
	struct state st;
	struct err e;
	int rc = 0;
	size_t i;

	if (!state_load(path, &st))
		return 0;
	if (st.owner == opt->self || jan_owner_alive(st.owner, st.starttime)) {
		state_free(&st);
		return 0;
	}
	kill_pids(&st, rep);
	for (i = st.ncgroups; i-- > 0;) {
		if (access(st.cgroups[i], F_OK))
			continue;
		if (cg_rmdir(st.cgroups[i], st.fake, 1000, &e)) {
			if (!rc)
				*err = e;
			rc = -1;
			continue;
		}
		report(rep, "removed cgroup '%s'", st.cgroups[i]);
	}
	if (remove_traces(&st, rep, rc ? &e : err))
		rc = -1;
	remove_owner_dir(opt->state_dir, st.owner, rep);
	if (!rc)
		unlink(path);
	state_free(&st);
	return rc;
}

static bool is_state_name(const char *name, long *pid)
{
	char *end;

	if (name[0] < '1' || name[0] > '9')
		return false;
	*pid = strtol(name, &end, 10);
	return !strcmp(end, ".state");
}

/* Reports cfssim-<dead pid> run roots that no state file claims. */
static void scan_unclaimed(const struct jan_options *opt,
			   struct jan_report *rep)
{
	char path[CG_PATH_MAX + 300], sp[CG_PATH_MAX + 64];
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
			    jan_owner_alive((pid_t)pid, 0))
				continue;
			snprintf(sp, sizeof(sp), "%s/%ld.state", opt->state_dir,
				 pid);
			if (!access(sp, F_OK))
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
	char sp[CG_PATH_MAX + 64];
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
		    jan_owner_alive((pid_t)pid, 0))
			continue;
		snprintf(sp, sizeof(sp), "%s/%ld.state", opt->state_dir, pid);
		if (!access(sp, F_OK))
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
		if (sweep_one(opt, path, rep, &e)) {
			if (!rc)
				*err = e;
			rc = -1;
		}
	}
	if (d)
		closedir(d);
	if (opt->mounts)
		scan_unclaimed(opt, rep);
	if (opt->net) {
		unsigned n = 0;

		scan_unclaimed_traces(opt, rep);
		if (net_cleanup_leftovers(&n, &e) && !rc) {
			*err = e;
			rc = -1;
		}
		if (n)
			report(rep, "removed %u network link%s", n,
			       n == 1 ? "" : "s");
		n = 0;
		if (ctr_cleanup_leftovers(&n, &e) && !rc) {
			*err = e;
			rc = -1;
		}
		if (n)
			report(rep, "removed %u container state dir%s", n,
			       n == 1 ? "" : "s");
	}
	return rc;
}
