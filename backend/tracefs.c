/* Trace instances and sched_switch parsing; see tracefs.h. */
#include "backend/tracefs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/journal.h"
#include "base/xalloc.h"

#define READ_CHUNK  65536
#define RMDIR_TRIES 100 /* 10 ms apart */

/* ---- parsing ---- */

/* Last occurrence of needle in [s, end). */
static const char *find_last(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	if ((size_t)(end - s) < n)
		return NULL;
	for (p = end - n; p >= s; p--)
		if (!memcmp(p, needle, n))
			return p;
	return NULL;
}

static bool parse_pid(const char *p, pid_t *pid)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno || v < 0 || (*end && *end != ' ' && *end != '\n'))
		return false;
	*pid = (pid_t)v;
	return true;
}

/* "SECONDS.FRACTION" ending at end (exclusive) -> ns. */
static bool parse_stamp(const char *line, const char *end, uint64_t *ns,
			const char **begin)
{
	const char *p = end, *dot = NULL;
	uint64_t secs = 0, frac = 0, scale = 1000000000ULL;

	while (p > line && (isdigit((unsigned char)p[-1]) || p[-1] == '.')) {
		p--;
		if (*p == '.') {
			if (dot)
				return false;
			dot = p;
		}
	}
	if (!dot || dot == p || dot + 1 == end || end - dot - 1 > 9)
		return false;
	for (; p < dot; p++)
		secs = secs * 10 + (uint64_t)(*p - '0');
	for (p = dot + 1; p < end; p++) {
		scale /= 10;
		frac += (uint64_t)(*p - '0') * scale;
	}
	*ns = secs * 1000000000ULL + frac;
	*begin = dot;
	while (*begin > line && isdigit((unsigned char)(*begin)[-1]))
		(*begin)--;
	return true;
}

/* sched_stat_runtime: "comm=%s pid=%d runtime=%Lu [ns]" after ev_at. */
static int parse_runtime(const char *line, const char *ev_at, const char *end,
			 struct tracefs_event *ev, struct err *err)
{
	const char *rt = find_last(ev_at, end, " runtime=");
	const char *pid = rt ? find_last(ev_at, rt, " pid=") : NULL;
	const char *stamp, *open;
	unsigned long long n;
	char *e;

	if (!pid || !parse_pid(pid + 5, &ev->pid) ||
	    !isdigit((unsigned char)rt[9]))
		goto bad;
	errno = 0;
	n = strtoull(rt + 9, &e, 10);
	if (errno || (*e && *e != ' ' && *e != '\n'))
		goto bad;
	ev->runtime_ns = n;
	if (!parse_stamp(line, ev_at, &ev->time_ns, &stamp))
		goto bad;
	open = find_last(line, stamp, "[");
	if (!open || !isdigit((unsigned char)open[1]))
		goto bad;
	n = strtoull(open + 1, &e, 10);
	if (*e != ']' || n > 65535)
		goto bad;
	ev->cpu = (unsigned)n;
	ev->kind = TRACEFS_RUNTIME;
	return 1;
bad:
	return err_set(err, 0, "bad sched_stat_runtime line '%.80s'", line);
}

int tracefs_parse_line(const char *line, struct tracefs_event *ev,
		       uint64_t *lost, struct err *err)
{
	const char *ev_at, *end = line + strlen(line), *next, *arrow, *prev;
	const char *stamp, *open;
	unsigned long long n;
	char *e;

	if (end > line && end[-1] == '\n')
		end--;
	memset(ev, 0, sizeof(*ev));
	if (!strncmp(line, "CPU:", 4) && (open = strstr(line, " [LOST "))) {
		/* "[LOST N EVENTS]", or "[LOST EVENTS]" when not counted */
		n = strtoull(open + 7, &e, 10);
		*lost = e != open + 7 && n ? n : 1;
		return 2;
	}
	ev_at = strstr(line, ": sched_stat_runtime: ");
	if (ev_at)
		return parse_runtime(line, ev_at, end, ev, err);
	ev_at = strstr(line, ": sched_switch: ");
	if (!ev_at)
		return 0;
	next = find_last(ev_at, end, " next_pid=");
	arrow = next ? find_last(ev_at, next, " ==> next_comm=") : NULL;
	prev = arrow ? find_last(ev_at, arrow, " prev_pid=") : NULL;
	if (!prev || !parse_pid(prev + 10, &ev->prev_pid) ||
	    !parse_pid(next + 10, &ev->next_pid) ||
	    !parse_stamp(line, ev_at, &ev->time_ns, &stamp))
		goto bad;
	/* "[CPU]" is the last bracket before the time stamp */
	open = find_last(line, stamp, "[");
	if (!open || !isdigit((unsigned char)open[1]))
		goto bad;
	errno = 0;
	n = strtoull(open + 1, &e, 10);
	if (errno || *e != ']' || n > 65535)
		goto bad;
	ev->cpu = (unsigned)n;
	ev->kind = TRACEFS_SWITCH;
	return 1;
bad:
	return err_set(err, 0, "bad sched_switch line '%.80s'", line);
}

/* ---- threads of a process ---- */

struct ns_tid {
	pid_t tid;  /* host */
	long nstid; /* innermost namespace */
};

static int cmp_nstid(const void *a, const void *b)
{
	const struct ns_tid *x = a, *y = b;

	return (x->nstid > y->nstid) - (x->nstid < y->nstid);
}

/* Last number of the NSpid line of /proc/<pid>/task/<tid>/status. */
static long read_nstid(pid_t pid, pid_t tid)
{
	char path[96], line[256];
	long v = -1;
	char *p, *end;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/status", (long)pid,
		 (long)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		for (p = line + 6;; p = end) {
			long x = strtol(p, &end, 10);

			if (end == p)
				break;
			v = x;
		}
		break;
	}
	fclose(f);
	return v;
}

int tracefs_list_threads(pid_t pid, pid_t **tids, size_t *n, struct err *err)
{
	struct ns_tid *all = NULL;
	size_t cnt = 0, cap = 0, i;
	char path[64];
	struct dirent *de;
	DIR *d;

	*tids = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (!d)
		return err_set(err, errno, "cannot open '%s'", path);
	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		long ns;

		if (*end || tid <= 0 || tid == (long)pid)
			continue;
		ns = read_nstid(pid, (pid_t)tid);
		if (ns < 0)
			continue; /* exited meanwhile */
		xgrow((void **)&all, &cap, cnt + 1, sizeof(*all));
		all[cnt].tid = (pid_t)tid;
		all[cnt].nstid = ns;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(all, cnt, sizeof(*all), cmp_nstid);
	*tids = xcalloc(cnt ? cnt : 1, sizeof(**tids));
	for (i = 0; i < cnt; i++)
		(*tids)[i] = all[i].tid;
	*n = cnt;
	free(all);
	return 0;
}

/* ---- slices ---- */

static int cmp_tid(const void *a, const void *b)
{
	const struct tracefs_thread *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

void tracefs_slicer_init(struct tracefs_slicer *s, const pid_t *tids,
			 const size_t *tasks, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->threads = xcalloc(n ? n : 1, sizeof(*s->threads));
	s->nthreads = n;
	for (i = 0; i < n; i++) {
		s->threads[i].tid = tids[i];
		s->threads[i].task = tasks[i];
	}
	if (n)
		qsort(s->threads, n, sizeof(*s->threads), cmp_tid);
}

static struct tracefs_thread *find_thread(struct tracefs_slicer *s, pid_t tid)
{
	struct tracefs_thread key = {.tid = tid};

	if (!s->nthreads || tid <= 0)
		return NULL;
	return bsearch(&key, s->threads, s->nthreads, sizeof(*s->threads),
		       cmp_tid);
}

static void add_slice(struct tracefs_slicer *s, size_t task, unsigned cpu,
		      uint64_t start, uint64_t end)
{
	struct run_slice *sl;

	if (end <= start)
		return;
	xgrow((void **)&s->slices, &s->cap_slices, s->nslices + 1,
	      sizeof(*s->slices));
	sl = &s->slices[s->nslices++];
	sl->task = task;
	sl->cpu = cpu;
	sl->start_ns = start;
	sl->end_ns = end;
}

void tracefs_slicer_feed(struct tracefs_slicer *s,
			 const struct tracefs_event *ev)
{
	struct tracefs_thread *th;
	size_t c = ev->cpu;
	uint64_t from;

	if (ev->kind == TRACEFS_RUNTIME) {
		th = find_thread(s, ev->pid);
		if (th)
			th->ran_ns += ev->runtime_ns;
		return;
	}
	th = find_thread(s, ev->prev_pid);
	s->nevents++;
	if (c >= s->ncpus) {
		xgrow((void **)&s->cpu_last_ns, &s->cap_cpus, c + 1,
		      sizeof(*s->cpu_last_ns));
		memset(s->cpu_last_ns + s->ncpus, 0,
		       (c + 1 - s->ncpus) * sizeof(*s->cpu_last_ns));
		s->ncpus = c + 1;
	}
	if (th && th->on && th->cpu == ev->cpu) {
		add_slice(s, th->task, th->cpu, th->since_ns, ev->time_ns);
	} else if (th && (th->ran_ns || s->cpu_last_ns[c])) {
		/* its switch in here was not recorded: it ran ran_ns */
		from = th->ran_ns && th->ran_ns < ev->time_ns ?
			       ev->time_ns - th->ran_ns :
			       s->cpu_last_ns[c];
		if (from < s->cpu_last_ns[c])
			from = s->cpu_last_ns[c];
		add_slice(s, th->task, ev->cpu, from, ev->time_ns);
		s->ninferred++;
	}
	if (th) {
		th->on = false;
		th->ran_ns = 0;
	}
	th = find_thread(s, ev->next_pid);
	if (th) {
		if (th->on) /* its switch out was not recorded */
			add_slice(s, th->task, th->cpu, th->since_ns,
				  ev->time_ns);
		th->on = true;
		th->cpu = ev->cpu;
		th->since_ns = ev->time_ns;
		th->ran_ns = 0;
	}
	s->cpu_last_ns[c] = ev->time_ns;
}

static void add_cut(struct timeline *tl, size_t task, unsigned cpu,
		    uint64_t start, uint64_t end, uint64_t from, uint64_t to)
{
	struct run_slice *sl;

	if (start < from)
		start = from;
	if (end > to)
		end = to;
	if (end <= start)
		return;
	xgrow((void **)&tl->slices, &tl->cap_slices, tl->nslices + 1,
	      sizeof(*tl->slices));
	sl = &tl->slices[tl->nslices++];
	sl->task = task;
	sl->cpu = cpu;
	sl->start_ns = start - from;
	sl->end_ns = end - from;
}

void tracefs_slicer_fill(const struct tracefs_slicer *s, uint64_t from_ns,
			 uint64_t to_ns, struct timeline *tl)
{
	size_t i;

	for (i = 0; i < s->nslices; i++)
		add_cut(tl, s->slices[i].task, s->slices[i].cpu,
			s->slices[i].start_ns, s->slices[i].end_ns, from_ns,
			to_ns);
	for (i = 0; i < s->nthreads; i++)
		if (s->threads[i].on)
			add_cut(tl, s->threads[i].task, s->threads[i].cpu,
				s->threads[i].since_ns, to_ns, from_ns, to_ns);
}

void tracefs_slicer_destroy(struct tracefs_slicer *s)
{
	free(s->threads);
	free(s->slices);
	free(s->cpu_last_ns);
	memset(s, 0, sizeof(*s));
}

/* ---- the instance ---- */

bool tracefs_find(char *dir, size_t len)
{
	static const char *const dirs[] = {TRACEFS_MOUNT_POINT,
					   TRACEFS_DEBUGFS_DIR};
	char path[TRACEFS_PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/instances", dirs[i]);
		if (!access(path, F_OK)) {
			snprintf(dir, len, "%s", dirs[i]);
			return true;
		}
	}
	return false;
}

void tracefs_init(struct tracefs *t)
{
	memset(t, 0, sizeof(*t));
	t->pipe_fd = -1;
}

static int write_file(const char *dir, const char *file, const char *value,
		      struct err *err)
{
	char path[TRACEFS_PATH_MAX + 128];
	size_t n = strlen(value);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot write '%s'", path);
	if (write(fd, value, n) != (ssize_t)n) {
		int e = errno;

		close(fd);
		return err_set(err, e, "cannot write '%s'", path);
	}
	close(fd);
	return 0;
}

int tracefs_open(struct tracefs *t, pid_t owner, struct journal *state,
		 struct err *err)
{
	if (!tracefs_find(t->root, sizeof(t->root))) {
		snprintf(t->root, sizeof(t->root), "%s", TRACEFS_MOUNT_POINT);
		if (mount("tracefs", t->root, "tracefs",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			return err_set(err, errno,
				       "tracefs is not available ('%s' "
				       "cannot be mounted)",
				       t->root);
		t->mounted = true;
	}
	snprintf(t->dir, sizeof(t->dir),
		 "%s/instances/" TRACEFS_INSTANCE_PREFIX "%ld", t->root,
		 (long)owner);
	if (state && journal_add(state, "trace", t->dir, err)) {
		t->dir[0] = '\0';
		return -1;
	}
	/* one of this very pid is not ours to remove: a leftover no state
	 * file claims (the janitor removed those of dead runs before), or
	 * the instance of a live run of another pid namespace */
	if (mkdir(t->dir, 0750)) {
		if (errno == EEXIST)
			err_set(err, 0,
				"trace instance '%s' exists (another run's, "
				"or a leftover: see 'cfssim cleanup')",
				t->dir);
		else
			err_set(err, errno, "cannot create trace instance '%s'",
				t->dir);
		t->dir[0] = '\0';
		return -1;
	}
	if (write_file(t->dir, "trace_clock", "mono", err) ||
	    write_file(t->dir, "buffer_size_kb", TRACEFS_BUFFER_KB, err))
		return -1;
	return 0;
}

/* Appends the test of one tid range [a, b] on the fields f1 (and f2 when
 * not NULL) to buf, "||" first unless it is empty; false when it does not
 * fit. */
static bool add_range(char *buf, size_t len, const char *f1, const char *f2,
		      pid_t a, pid_t b)
{
	size_t used = strlen(buf);
	const char *f[2] = {f1, f2};
	int i, n;

	for (i = 0; i < 2 && f[i]; i++) {
		if (a == b)
			n = snprintf(buf + used, len - used, "%s%s==%ld",
				     used ? "||" : "", f[i], (long)a);
		else
			n = snprintf(buf + used, len - used,
				     "%s(%s>=%ld&&%s<=%ld)", used ? "||" : "",
				     f[i], (long)a, f[i], (long)b);
		if (n < 0 || (size_t)n >= len - used) {
			buf[0] = '\0';
			return false;
		}
		used += (size_t)n;
	}
	return true;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Builds the filter of an event on fields f1 (and f2) for tids: ranges of
 * consecutive tids (each container's threads mostly are); "" when it
 * would not fit in one write (the kernel takes less than a page). */
static void build_filter(char *buf, size_t len, const pid_t *sorted, size_t n,
			 const char *f1, const char *f2)
{
	size_t i, j;

	buf[0] = '\0';
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j + 1 < n && sorted[j + 1] == sorted[j] + 1; j++)
			;
		if (!add_range(buf, len, f1, f2, sorted[i], sorted[j]))
			return;
	}
}

int tracefs_follow(struct tracefs *t, const pid_t *tids, const size_t *tasks,
		   size_t n, struct err *err)
{
	char path[TRACEFS_PATH_MAX + 128], filter[TRACEFS_FILTER_MAX];
	pid_t *sorted = xcalloc(n ? n : 1, sizeof(*sorted));

	tracefs_slicer_destroy(&t->slicer);
	tracefs_slicer_init(&t->slicer, tids, tasks, n);
	/* without a filter every event is recorded and the slicer keeps
	 * the followed threads */
	memcpy(sorted, tids, n * sizeof(*sorted));
	if (n)
		qsort(sorted, n, sizeof(*sorted), cmp_pid);
	build_filter(filter, sizeof(filter), sorted, n, "prev_pid", "next_pid");
	if (filter[0] &&
	    write_file(t->dir, "events/sched/sched_switch/filter", filter, err))
		goto fail;
	build_filter(filter, sizeof(filter), sorted, n, "pid", NULL);
	if (filter[0] &&
	    write_file(t->dir, "events/sched/sched_stat_runtime/filter", filter,
		       err))
		goto fail;
	free(sorted);
	if (write_file(t->dir, "events/sched/sched_switch/enable", "1", err) ||
	    write_file(t->dir, "events/sched/sched_stat_runtime/enable", "1",
		       err))
		return -1;
	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe_fd < 0)
		return err_set(err, errno, "cannot open '%s'", path);
	return 0;
fail:
	free(sorted);
	return -1;
}

/* Parses the complete lines of t->text and keeps the rest. */
static int take_lines(struct tracefs *t, struct err *err)
{
	struct tracefs_event ev;
	size_t done = 0;
	uint64_t lost = 0;
	char *nl;
	int rc;

	while ((nl = memchr(t->text + done, '\n', t->len - done))) {
		*nl = '\0';
		rc = tracefs_parse_line(t->text + done, &ev, &lost, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			tracefs_slicer_feed(&t->slicer, &ev);
		else if (rc == 2)
			t->nlost += lost;
		done = (size_t)(nl - t->text) + 1;
	}
	memmove(t->text, t->text + done, t->len - done);
	t->len -= done;
	return 0;
}

int tracefs_drain(struct tracefs *t, struct err *err)
{
	char path[TRACEFS_PATH_MAX + 128];
	ssize_t got;

	if (t->pipe_fd < 0)
		return 0;
	for (;;) {
		xgrow((void **)&t->text, &t->cap, t->len + READ_CHUNK + 1, 1);
		got = read(t->pipe_fd, t->text + t->len, READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			break;
		if (got < 0) {
			snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
			return err_set(err, errno, "cannot read '%s'", path);
		}
		if (got == 0)
			break;
		t->len += (size_t)got;
		if (take_lines(t, err))
			return -1;
	}
	return 0;
}

void tracefs_stop(struct tracefs *t)
{
	struct err e;

	if (t->dir[0]) {
		write_file(t->dir, "events/sched/sched_switch/enable", "0", &e);
		write_file(t->dir, "events/sched/sched_stat_runtime/enable",
			   "0", &e);
	}
}

int tracefs_close(struct tracefs *t, struct err *err)
{
	struct timespec ts = {0, 10 * 1000000L};
	int rc = 0, i, e = 0;

	if (t->pipe_fd >= 0)
		close(t->pipe_fd);
	t->pipe_fd = -1;
	if (t->dir[0]) {
		tracefs_stop(t);
		for (i = 0; i < RMDIR_TRIES; i++) {
			if (!rmdir(t->dir) || errno == ENOENT) {
				e = 0;
				break;
			}
			e = errno;
			if (e != EBUSY)
				break;
			nanosleep(&ts, NULL);
		}
		if (e)
			rc = err_set(err, e,
				     "cannot remove trace instance '%s'",
				     t->dir);
	}
	if (t->mounted && !rc)
		umount2(t->root, MNT_DETACH);
	free(t->text);
	tracefs_slicer_destroy(&t->slicer);
	tracefs_init(t);
	return rc;
}
