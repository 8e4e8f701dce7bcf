/* The orchestration of a real run: preflight, janitor, cgroups, one
 * container per group with tasks, the start barrier, collection of the
 * workloads' lines and of cpu.stat, and the teardown every path goes
 * through. */
#include "backend/run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "backend/cgpoll.h"
#include "backend/container.h"
#include "backend/net.h"
#include "backend/reallat.h"
#include "backend/rootfs.h"
#include "backend/tracefs.h"
#include "backend/wlproto.h"
#include "base/cpulist.h"
#include "base/file.h"
#include "base/xalloc.h"
#include "model/kernel.h"

#define START_MARGIN_NS	 (20 * NSEC_PER_MSEC) /* between "start" and go */
#define READY_TIMEOUT_MS 10000
#define END_GRACE_MS	 5000	 /* after the run, for the final lines */
#define POLL_MS		 50	 /* how often the stop flag is looked at */
#define GRID_POLL_NS	 200000L /* nr_periods polled every 200 us */
#define GRID_SLACK_NS	 (50 * NSEC_PER_MSEC)
#define SNAPSHOT_LEAD_NS (1 * NSEC_PER_MSEC) /* counters read before go */
#define END_LAG_NS	 (2 * NSEC_PER_MSEC) /* counters read after the end */
#define REAL_LOCK_NAME	 "real.lock"	     /* in the state dir */

/* The one mutable global: set by the SIGINT/SIGTERM handler, read by the
 * run loop, which then tears down. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

int real_stop_signal(void)
{
	return stop_signal;
}

void real_options_init(struct real_options *o)
{
	memset(o, 0, sizeof(*o));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (long)(ns % NSEC_PER_SEC),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
		       EINTR &&
	       !stop_signal)
		;
}

static void log_line(const struct real_options *opt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_line(const struct real_options *opt, const char *fmt, ...)
{
	struct jan_report *r = opt->log;
	char buf[CG_PATH_MAX + 128];
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xgrow((void **)&r->lines, &r->cap, r->n + 1, sizeof(*r->lines));
	r->lines[r->n++] = xstrdup(buf);
}

/* ---- preflight ---- */

static bool delegated(const char *dir)
{
	char v[8];

	return getxattr(dir, "trusted.delegate", v, sizeof(v)) > 0 ||
	       getxattr(dir, "user.delegate", v, sizeof(v)) > 0;
}

static bool overlay_available(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "\toverlay\n") != NULL;
	fclose(f);
	return found;
}

static int unsupported(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int unsupported(struct err *err, const char *fmt, ...)
{
	va_list ap;

	err_init(err);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return REAL_UNSUPPORTED;
}

/* sched_setattr's sched_runtime sets an EEVDF slice from
 * KERNEL_CUSTOM_SLICE on; older kernels accept and ignore it */
static bool host_has_custom_slices(void)
{
	unsigned major, minor;

	return kernel_host_version(&major, &minor) ||
	       kernel_has(KERNEL_CUSTOM_SLICE, major, minor);
}

int real_check(const struct scenario *sc, const struct real_options *opt,
	       struct cg_mounts *m, struct err *err)
{
	static const enum cg_hier v1[] = {CG_CPU, CG_CPUACCT, CG_CPUSET};
	const char *dir;
	char ctl[256];
	long online;
	size_t i;

	if (geteuid() != 0)
		return unsupported(err,
				   "the real backend needs root (it "
				   "creates cgroups, namespaces, an overlay "
				   "mount and network links); " REAL_ROOT_HINT);
	if (cg_detect(opt->mountinfo ? opt->mountinfo : "/proc/self/mountinfo",
		      opt->self_cgroup ? opt->self_cgroup : "/proc/self/cgroup",
		      m, err))
		return REAL_ERROR;
	switch (m->layout) {
	case CG_LAYOUT_NONE:
		return unsupported(err,
				   "no cgroup cpu controller is mounted "
				   "(neither a cgroup v1 'cpu' hierarchy nor "
				   "cgroup2)");
	case CG_LAYOUT_V1:
	case CG_LAYOUT_HYBRID:
		for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
			const struct cg_mount *cm = &m->h[v1[i]];

			if (!cm->dir[0])
				return unsupported(err,
						   "the cgroup v1 '%s' "
						   "controller is not mounted",
						   cg_hier_name(v1[i]));
			dir = cm->self[0] ? cm->self : cm->dir;
			if (access(dir, W_OK))
				return unsupported(err,
						   "cannot create cgroups "
						   "in '%s'; " REAL_ROOT_HINT,
						   dir);
		}
		break;
	case CG_LAYOUT_V2: {
		const struct cg_mount *cm = &m->h[CG_UNIFIED];
		struct err e;

		dir = cm->self[0] ? cm->self : cm->dir;
		if (cg_read(dir, "cgroup.controllers", ctl, sizeof(ctl), &e) ||
		    !strstr(ctl, "cpu"))
			return unsupported(err,
					   "the cpu controller is not "
					   "available in '%s'; " REAL_ROOT_HINT,
					   dir);
		if (!access("/run/systemd/system", F_OK) &&
		    strcmp(dir, cm->dir) && !delegated(dir))
			return unsupported(
				err,
				"cgroup '%s' is not delegated "
				"to cfssim by systemd; run 'sudo " CG_DELEGATE_HINT
				"'",
				dir);
		if (access(dir, W_OK))
			return unsupported(err,
					   "cannot create cgroups in "
					   "'%s'; " REAL_ROOT_HINT,
					   dir);
		break;
	}
	}
	if (!overlay_available())
		return unsupported(err, "the overlay filesystem is not "
					"available (try 'modprobe overlay')");
	if (access("/proc/self/ns/pid", F_OK) ||
	    access("/proc/self/ns/net", F_OK))
		return unsupported(err, "this kernel lacks pid or network "
					"namespaces");
	online = sysconf(_SC_NPROCESSORS_ONLN);
	if (online > 0 && sc->cpus > (unsigned long)online)
		return unsupported(err,
				   "scenario '%s' needs %u cpus, this "
				   "host has %ld",
				   sc->name, sc->cpus, online);
	for (i = 0; i < sc->ntasks; i++) {
		struct kernel_version v =
			kernel_feature_since(KERNEL_CUSTOM_SLICE);

		if (sc->tasks[i].slice_ns && !host_has_custom_slices())
			return unsupported(err,
					   "task '%s' sets a slice, which this "
					   "kernel ignores (custom slices "
					   "arrived in %u.%u)",
					   sc->tasks[i].name, v.major, v.minor);
	}
	return 0;
}

/* ---- the run ---- */

struct member {
	size_t group;
	struct ctr c;
	bool started; /* ctr_start succeeded */
	struct net_link link;
	bool done; /* "done" seen */
};

struct run {
	/* the scenario, with the load generator's group appended when it
	 * has request workloads (groups past out->ngroups are not
	 * reported) */
	const struct scenario *sc;
	struct rlat lat;
	const struct real_options *opt;
	struct cg_mounts m;
	struct journal state;
	struct cg_tree tree;
	bool have_tree;
	struct net net;
	bool have_net;
	struct member *mem;
	size_t nmem;
	struct cpustat *before, *after;
	/* the run's CPUs as /proc/stat counts them at the two reads */
	struct hoststat host[2];
	uint64_t host_at[2];
	bool host_ok[2];
	size_t *task_base; /* results.tasks index of thread 0 of task i */
	char image[PATH_MAX];
	struct limits_plan plan; /* the caps of the run root */
	struct cgpoll poll;	 /* opt->timeline: cpu.stat sampler */
	struct tracefs trace;	 /* opt->timeline: sched_switch instance */
	bool tracing;		 /* trace follows the workloads' threads */
	bool generator;		 /* the last group is the load generator's */
};

static void results_setup(struct results *out, const struct scenario *sc,
			  size_t *task_base)
{
	char **names = xcalloc(sc->ntasks ? 2 * sc->ntasks : 1, sizeof(*names));
	struct utsname u;
	size_t i, k, n = 0;

	results_begin(out, sc, SOURCE_REAL, names);
	if (!uname(&u))
		snprintf(out->kernel, sizeof(out->kernel), "%.63s", u.release);
	for (i = 0; i < sc->ntasks; i++)
		n += sc->tasks[i].count;
	out->ntasks = n;
	out->tasks = xcalloc(n ? n : 1, sizeof(*out->tasks));
	for (i = 0, n = 0; i < sc->ntasks; i++) {
		task_base[i] = n;
		for (k = 0; k < sc->tasks[i].count; k++, n++) {
			struct task_result *t = &out->tasks[n];

			t->group = names[2 * i];
			t->name = names[2 * i + 1];
			t->index = (unsigned)k;
		}
	}
	free(names);
}

static bool stopped(struct err *err)
{
	if (!stop_signal)
		return false;
	err_set(err, 0, "interrupted by %s",
		stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
	return true;
}

/* The load generator's spec: each requests task's stream, sent to the
 * address of the container of the task's group (member k has slot k). */
static char *generator_spec(struct run *r)
{
	uint32_t *addr =
		xcalloc(r->sc->ntasks ? r->sc->ntasks : 1, sizeof(*addr));
	struct net_if_config cfg;
	size_t i, k;
	char *spec;

	for (i = 0; i < r->sc->ntasks; i++)
		for (k = 0; k < r->nmem; k++)
			if (r->mem[k].group == r->sc->tasks[i].group) {
				net_slot_config(&r->net, (unsigned)k, &cfg);
				addr[i] = cfg.addr;
			}
	spec = wlproto_format_generator(r->sc, addr, r->sc->seed,
					r->sc->duration_ns);
	free(addr);
	return spec;
}

static int start_member(struct run *r, struct member *mb, unsigned slot,
			bool crash, struct err *err)
{
	const struct group_spec *g = &r->sc->groups[mb->group];
	struct ctr_config cfg;
	char *spec;
	size_t i;
	int fd, rc;

	if (cg_tree_open_leaf(&r->tree, mb->group, &fd, err))
		return -1;
	ctr_config_init(&cfg, g->name, r->image);
	cfg.cgroup2_fd = fd;
	cfg.cpus_mask = cg_group_cpus(r->sc, mb->group);
	for (i = 0; i < r->sc->ntasks; i++)
		if (r->sc->tasks[i].group == mb->group &&
		    r->sc->tasks[i].nice < 0)
			cfg.negative_nice = true;
	if (r->have_net)
		net_slot_config(&r->net, slot, &cfg.net);
	rc = ctr_start(&cfg, &mb->c, err);
	if (fd >= 0)
		close(fd);
	if (rc)
		return -1;
	mb->started = true;
	if (cg_tree_attach(&r->tree, mb->group, mb->c.pid, mb->c.in_cgroup2,
			   err))
		return -1;
	if (r->have_net) {
		if (net_attach(&r->net, mb->c.pid, slot, &mb->link, err))
			return -1;
		/* links in the run's own network namespace go with it */
		if (r->net.netns_fd < 0 &&
		    journal_add(&r->state, "link", mb->link.host_ifname, err))
			return -1;
	}
	if (r->generator && mb->group == r->sc->ngroups - 1)
		spec = generator_spec(r);
	else
		spec = wlproto_format_spec(r->sc, mb->group, r->sc->seed,
					   r->sc->duration_ns,
					   crash ? r->opt->crash_after_ns : 0);
	rc = ctr_send(&mb->c, spec, strlen(spec), err);
	free(spec);
	if (rc || ctr_release(&mb->c, err))
		return -1;
	return 0;
}

/* Says why member mb stopped talking: a crash, an error line, or an exit
 * status that is not 0. */
static int member_failed(struct member *mb, const char *group, struct err *err)
{
	char how[96];
	int status;
	struct err e;

	if (ctr_wait(&mb->c, 2000, &status, &e))
		return err_set(err, 0,
			       "workload of group '%s' stopped "
			       "answering",
			       group);
	return err_set(err, 0, "workload of group '%s' crashed: %s", group,
		       ctr_status_str(status, how, sizeof(how)));
}

/* Handles one line from mb: 1 when it was "ready", 0 otherwise. */
static int take_line(struct run *r, struct member *mb, const char *text,
		     struct results *out, struct err *err)
{
	const char *group = r->sc->groups[mb->group].path;
	struct wlproto_line l;
	struct task_result *t;

	if (wlproto_parse_line(text, &l, err))
		return -1;
	switch (l.kind) {
	case WLPROTO_READY:
		return 1;
	case WLPROTO_DONE:
		mb->done = true;
		return 0;
	case WLPROTO_REQ:
	case WLPROTO_ACT:
		return rlat_take(&r->lat, r->sc, mb->group, &l.lat,
				 l.kind == WLPROTO_ACT, out, err);
	case WLPROTO_ERROR:
		return err_set(err, 0, "workload of group '%s' failed: %s",
			       group, l.message);
	case WLPROTO_THREAD:
		if (l.thread.task >= r->sc->ntasks ||
		    l.thread.thread >= r->sc->tasks[l.thread.task].count)
			return err_set(err, 0,
				       "workload of group '%s' reported "
				       "unknown thread %u/%u",
				       group, l.thread.task, l.thread.thread);
		/* A container speaks only for the tasks of its own group. */
		if (r->sc->tasks[l.thread.task].group != mb->group)
			return err_set(
				err, 0,
				"workload of group '%s' reported "
				"thread %u/%u of task '%s' of group "
				"'%s'",
				group, l.thread.task, l.thread.thread,
				r->sc->tasks[l.thread.task].name,
				r->sc->groups[r->sc->tasks[l.thread.task].group]
					.path);
		t = &out->tasks[r->task_base[l.thread.task] + l.thread.thread];
		t->runtime_ns = l.thread.runtime_ns;
		t->charged_ns = l.thread.charged_ns;
		out->host_charged_ns += l.thread.charged_ns;
		t->wait_ns = l.thread.wait_ns;
		t->nr_voluntary = l.thread.nr_voluntary;
		t->nr_switches =
			l.thread.nr_voluntary + l.thread.nr_involuntary;
		return 0;
	}
	return 0;
}

/* Reads lines from every member until each said "ready" (want_ready) or
 * "done", watching the stop flag and a deadline. */
static int collect(struct run *r, bool want_ready, uint64_t deadline_ns,
		   struct results *out, struct err *err)
{
	bool *finished = xcalloc(r->nmem ? r->nmem : 1, sizeof(*finished));
	struct pollfd *pfd = xcalloc(r->nmem ? r->nmem : 1, sizeof(*pfd));
	char line[WLPROTO_LINE_MAX];
	size_t i, left = r->nmem;
	int rc = -1, got;

	while (left) {
		if (stopped(err))
			goto out;
		if (now_ns() > deadline_ns) {
			for (i = 0; i < r->nmem && finished[i]; i++)
				;
			err_set(err, 0,
				"workload of group '%s' did not %s in "
				"time",
				r->sc->groups[r->mem[i].group].path,
				want_ready ? "get ready" : "finish");
			goto out;
		}
		for (i = 0; i < r->nmem; i++) {
			pfd[i].fd = finished[i] ? -1 : r->mem[i].c.out_fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, r->nmem, POLL_MS) < 0 && errno != EINTR) {
			err_set(err, errno, "cannot poll the workloads");
			goto out;
		}
		for (i = 0; i < r->nmem; i++) {
			struct member *mb = &r->mem[i];

			if (finished[i] || !pfd[i].revents)
				continue;
			/* drain every complete line that arrived */
			do {
				got = ctr_read_line(&mb->c, line, sizeof(line),
						    2000, err);
				if (got < 0)
					goto out;
				if (got == 0) {
					member_failed(
						mb,
						r->sc->groups[mb->group].path,
						err);
					goto out;
				}
				got = take_line(r, mb, line, out, err);
				if (got < 0)
					goto out;
				if ((want_ready && got == 1) ||
				    (!want_ready && mb->done)) {
					finished[i] = true;
					left--;
					break;
				}
			} while (mb->c.inbuf &&
				 memchr(mb->c.inbuf, '\n', mb->c.inlen));
		}
	}
	rc = 0;
out:
	free(finished);
	free(pfd);
	return rc;
}

/* Reads /proc/stat for the run's CPUs into r->host[which]; a failure only
 * leaves the host's share unmeasured (and says why in the log). */
static void host_read(struct run *r, int which)
{
	struct err e;
	char *text;
	size_t len;

	err_init(&e);
	r->host_at[which] = now_ns();
	text = file_read("/proc/stat", 1 << 20, &len, &e);
	r->host_ok[which] =
		text && !hoststat_parse(text, scenario_cpus_mask(r->sc),
					&r->host[which], &e);
	free(text);
	if (!r->host_ok[which])
		log_line(r->opt, "cannot tell what the host took: %s", e.msg);
}

/* Reads every group's counters, and the host's share of the run's CPUs
 * (which: 0 before the run, 1 after it). */
static int snapshot(struct run *r, struct cpustat *st, int which,
		    struct err *err)
{
	size_t gi;

	host_read(r, which);
	for (gi = 0; gi < r->sc->ngroups; gi++)
		if (cg_tree_read(&r->tree, gi, &st[gi], err))
			return -1;
	return 0;
}

/* What the host took of the run's CPUs between the two reads: their time
 * neither idle nor stolen, less what the run's top-level groups used, is
 * CPU time of other tasks (and of interrupts served while they or the
 * run's tasks ran; the kernel charges those to the task they hit).
 * /proc/stat counts in USER_HZ ticks, so the figure is good to a tick per
 * CPU and read. */
static void host_share(struct run *r, struct results *out)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t wall, idle, steal, busy, run = 0;
	size_t gi;

	if (!r->host_ok[0] || !r->host_ok[1] || hz <= 0)
		return;
	wall = r->host_at[1] - r->host_at[0];
	idle = (r->host[1].idle_ticks - r->host[0].idle_ticks) *
	       (NSEC_PER_SEC / (uint64_t)hz);
	steal = (r->host[1].steal_ticks - r->host[0].steal_ticks) *
		(NSEC_PER_SEC / (uint64_t)hz);
	busy = (uint64_t)r->sc->cpus * wall;
	busy = busy > idle + steal ? busy - idle - steal : 0;
	for (gi = 0; gi < r->sc->ngroups; gi++) {
		const struct group_spec *g = &r->sc->groups[gi];

		/* a load generator on CPUs of its own ran outside them */
		if (g->parent >= 0 ||
		    (g->load_generator &&
		     !(g->cpus_mask & scenario_cpus_mask(r->sc))))
			continue;
		if (r->after[gi].usage_ns > r->before[gi].usage_ns)
			run += r->after[gi].usage_ns - r->before[gi].usage_ns;
	}
	out->host_measured = true;
	out->host_other_ns = busy > run ? busy - run : 0;
	out->host_steal_ns = steal;
}

/* Every path ends here: containers killed and reaped (their pid, mount and
 * net namespaces go with them), host veths and bridge removed, cgroups
 * emptied (cgroup.kill where there is cgroup2) and removed deepest first,
 * and the state file deleted once nothing is left. */
static int teardown(struct run *r, struct err *err)
{
	struct timespec ts = {0, 5 * 1000000};
	struct err e;
	int rc = 0, i;
	bool done;
	size_t k;

	/* the sampler first: it reads the cgroups and the trace instance */
	cgpoll_destroy(&r->poll);
	r->tracing = false;
	if (tracefs_close(&r->trace, &e))
		rc = -1, *err = e;
	for (k = 0; k < r->nmem; k++) {
		struct member *mb = &r->mem[k];

		if (mb->started)
			ctr_destroy(&mb->c);
		if (r->have_net && mb->link.host_ifname[0] &&
		    net_detach(&r->net, &mb->link, &e) && !rc)
			rc = -1, *err = e;
	}
	if (r->have_tree) {
		if (cg_tree_kill(&r->tree, &done, &e) && !rc)
			rc = -1, *err = e;
		for (i = 0; i < 200 && cg_tree_populated(&r->tree); i++)
			nanosleep(&ts, NULL);
		if (cg_tree_destroy(&r->tree, &e) && !rc)
			rc = -1, *err = e;
		r->have_tree = false;
	}
	if (r->have_net)
		net_destroy(&r->net);
	r->have_net = false;
	journal_close(&r->state, rc == 0);
	return rc;
}

static void sweep(struct run *r)
{
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct err e;
	size_t i;

	jo.state_dir = r->opt->state_dir ? r->opt->state_dir : JOURNAL_DIR;
	jo.mounts = &r->m;
	jo.net = !r->opt->no_network;
	jo.self = getpid();
	if (jan_sweep(&jo, &rep, &e))
		log_line(r->opt, "janitor: %s", e.msg);
	for (i = 0; i < rep.n; i++)
		log_line(r->opt, "janitor: %s", rep.lines[i]);
	jan_report_destroy(&rep);
}

/* The period grid of the first group with a quota, found by watching its
 * nr_periods after the quotas were written: the kernel gives a new group's
 * period timer an arbitrary phase and keeps it when the timer restarts, so
 * the only way to start on a period boundary is to see one.  Fills *grid
 * with a boundary (0 when no group has a quota) and *period. */
static int find_grid(struct run *r, uint64_t *grid, uint64_t *period,
		     struct err *err)
{
	struct timespec ts = {0, GRID_POLL_NS};
	const struct scenario *sc = r->sc;
	struct cpustat st;
	uint64_t n0, until;
	size_t gi;

	*grid = 0;
	for (gi = 0; gi < sc->ngroups && !sc->groups[gi].has_quota; gi++)
		;
	if (gi == sc->ngroups)
		return 0;
	*period = sc->groups[gi].period_ns;
	if (cg_tree_read(&r->tree, gi, &st, err))
		return -1;
	n0 = st.nr_periods;
	until = now_ns() + *period + GRID_SLACK_NS;
	while (now_ns() < until && !stop_signal) {
		nanosleep(&ts, NULL);
		if (cg_tree_read(&r->tree, gi, &st, err))
			return -1;
		if (st.nr_periods != n0) {
			*grid = now_ns();
			return 0;
		}
	}
	log_line(r->opt, "no period boundary of '%s' seen; start not aligned",
		 sc->groups[gi].path);
	return 0;
}

/* The longest period of the limited groups, 0 if none. */
static uint64_t longest_period(const struct scenario *sc)
{
	uint64_t p = 0;
	size_t gi;

	for (gi = 0; gi < sc->ngroups; gi++)
		if (sc->groups[gi].has_quota && sc->groups[gi].period_ns > p)
			p = sc->groups[gi].period_ns;
	return p;
}

/* Writes the quotas, picks the start instant on the period grid, tells the
 * workloads, and reads the counters just before they begin.  The start
 * comes more than two of the longest periods after the "start" line: the
 * workloads run briefly when they read it, which takes runtime and
 * restarts each period timer, and a timer stops only after a period
 * without demand and one more, each counted.  So every timer has stopped
 * and every pool is full (quota + burst) at the start, as the simulator
 * starts them, and no boundary before the start is counted.  cfssim waits
 * as a real-time task meanwhile, so a busy host cannot make it miss the
 * grid. */
static int arm_and_start(struct run *r, uint64_t *start, struct err *err)
{
	struct sched_param rt = {.sched_priority = 1}, normal = {0};
	bool raised = !sched_setscheduler(0, SCHED_FIFO, &rt);
	uint64_t grid, period = 0, t;
	char cmd[48];
	size_t i;
	int rc = -1;

	if (cg_tree_rearm(&r->tree, r->sc, err) ||
	    find_grid(r, &grid, &period, err))
		goto out;
	t = now_ns() + START_MARGIN_NS + 2 * longest_period(r->sc);
	if (grid) {
		*start = grid + 2 * period;
		while (*start < t)
			*start += period;
	} else {
		*start = t;
	}
	snprintf(cmd, sizeof(cmd), "start %llu\n", (unsigned long long)*start);
	for (i = 0; i < r->nmem; i++)
		if (ctr_send(&r->mem[i].c, cmd, strlen(cmd), err))
			goto out;
	sleep_until(*start - SNAPSHOT_LEAD_NS);
	rc = snapshot(r, r->before, 0, err);
out:
	if (raised)
		sched_setscheduler(0, SCHED_OTHER, &normal);
	return rc;
}

/* ---- the timeline (opt->timeline) ---- */

/* true when thread tid of process pid carries name (truncated to 15 bytes,
 * as the workload names its threads and the kernel keeps comm). */
static bool thread_named(pid_t pid, pid_t tid, const char *name)
{
	char path[96], comm[32];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/comm", (long)pid,
		 (long)tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	n = strlen(name) < 15 ? strlen(name) : 15;
	return strlen(comm) == n && !strncmp(comm, name, n);
}

/* Follows the workloads' threads in a trace instance.  Without tracefs the
 * run goes on without running intervals and the log says why; whatever was
 * created is removed by the teardown. */
static void trace_start(struct run *r)
{
	const struct scenario *sc = r->sc;
	pid_t *tids = NULL, *found;
	size_t *tasks = NULL, n = 0, cap_tids = 0, cap_tasks = 0;
	size_t nfound, want, i, j, k, m;
	struct err e;

	if (tracefs_open(&r->trace, getpid(), &r->state, &e))
		goto fail;
	for (m = 0; m < r->nmem; m++) {
		const struct member *mb = &r->mem[m];

		if (tracefs_list_threads(mb->c.pid, &found, &nfound, &e))
			goto fail;
		for (i = 0, want = 0; i < sc->ntasks; i++)
			if (sc->tasks[i].group == mb->group)
				want += sc->tasks[i].count;
		if (nfound != want) {
			free(found);
			err_set(&e, 0,
				"workload of group '%s' has %zu threads, "
				"expected %zu",
				sc->groups[mb->group].path, nfound, want);
			goto fail;
		}
		/* the workload creates its threads in spec order: task by
		 * task in scenario order, thread index ascending */
		xgrow((void **)&tids, &cap_tids, n + want + 1, sizeof(*tids));
		xgrow((void **)&tasks, &cap_tasks, n + want + 1,
		      sizeof(*tasks));
		for (i = 0, j = 0; i < sc->ntasks; i++) {
			if (sc->tasks[i].group != mb->group)
				continue;
			for (k = 0; k < sc->tasks[i].count; k++, j++, n++) {
				tids[n] = found[j];
				tasks[n] = r->task_base[i] + k;
				if (thread_named(mb->c.pid, found[j],
						 sc->tasks[i].name))
					continue;
				err_set(&e, 0,
					"thread %ld of group '%s' is not "
					"task '%s'",
					(long)found[j],
					sc->groups[mb->group].path,
					sc->tasks[i].name);
				free(found);
				goto fail;
			}
		}
		free(found);
	}
	if (tracefs_follow(&r->trace, tids, tasks, n, &e))
		goto fail;
	r->tracing = true;
	log_line(r->opt, "timeline: sched_switch of %zu threads traced in '%s'",
		 n, r->trace.dir);
	free(tids);
	free(tasks);
	return;
fail:
	log_line(r->opt, "timeline: no running intervals (%s)", e.msg);
	free(tids);
	free(tasks);
}

/* Starts the cpu.stat sampler (and tracing) before the start instant. */
static int timeline_start(struct run *r, struct err *err)
{
	uint64_t mine = r->sc->cpus >= 64 ? ~0ULL : (1ULL << r->sc->cpus) - 1;

	if (cgpoll_open(&r->poll, &r->tree, r->sc, err))
		return -1;
	trace_start(r);
	return cgpoll_start(&r->poll, r->tracing ? &r->trace : NULL, mine, err);
}

/* Stops sampling once the boundary at the end of the run was seen and
 * fills out->timeline relative to the start instant. */
static int timeline_finish(struct run *r, uint64_t start, struct results *out,
			   struct err *err)
{
	uint64_t end = start + r->sc->duration_ns;
	struct timeline *tl;

	/* the boundary at the end is seen within an interval */
	if (r->poll.ngroups)
		sleep_until(end + 2 * r->poll.interval_ns + NSEC_PER_MSEC);
	if (cgpoll_stop(&r->poll, err))
		return -1;
	if (r->tracing)
		tracefs_stop(&r->trace);
	tl = xcalloc(1, sizeof(*tl));
	tl->max_entries = TIMELINE_MAX_ENTRIES;
	out->timeline = tl;
	cgpoll_fill(&r->poll, start, end, tl);
	if (r->tracing) {
		tracefs_slicer_fill(&r->trace.slicer, start, end, tl);
		if (r->trace.slicer.ninferred)
			log_line(r->opt,
				 "timeline: %llu running intervals began at "
				 "an unrecorded switch; their start comes "
				 "from sched_stat_runtime",
				 (unsigned long long)r->trace.slicer.ninferred);
		if (r->trace.nlost)
			log_line(r->opt,
				 "timeline: the kernel dropped %llu "
				 "sched_switch events; running intervals "
				 "are incomplete",
				 (unsigned long long)r->trace.nlost);
	}
	log_line(r->opt,
		 "timeline: cpu.stat sampled every %llu us (period bounds "
		 "within %llu us, latest wake-up %llu us, sampler cpu %llu "
		 "us), %zu period samples, %zu running intervals, no vruntime "
		 "(not observable in real runs)",
		 (unsigned long long)(r->poll.interval_ns / 1000),
		 (unsigned long long)(r->poll.interval_ns / 2000),
		 (unsigned long long)(r->poll.max_late_ns / 1000),
		 (unsigned long long)(r->poll.cpu_ns / 1000), tl->nperiods,
		 tl->nslices);
	return 0;
}

/* One real run at a time per host: two runs pinned to the same CPUs would
 * measure each other.  Waits (interruptibly) for a running one to finish;
 * the lock goes with the fd, also when cfssim is killed.  -1 when the wait
 * was interrupted, with err set. */
static int lock_host(const char *state_dir, int *fd, struct err *err)
{
	struct timespec ts = {0, POLL_MS * 1000000L};
	char path[CG_PATH_MAX];

	if (mkdir(state_dir, 0755) && errno != EEXIST)
		return err_set(err, errno, "cannot create '%s'", state_dir);
	snprintf(path, sizeof(path), "%s/" REAL_LOCK_NAME, state_dir);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return err_set(err, errno, "cannot open '%s'", path);
	while (flock(*fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK)
			return err_set(err, errno, "cannot lock '%s'", path);
		if (stopped(err))
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

int real_lock(const char *state_dir, int *fd, bool *waited, struct err *err)
{
	char path[CG_PATH_MAX];
	const char *dir = state_dir ? state_dir : JOURNAL_DIR;

	*waited = false;
	*fd = -1;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return err_set(err, errno, "cannot create '%s'", dir);
	snprintf(path, sizeof(path), "%s/" REAL_LOCK_NAME, dir);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return err_set(err, errno, "cannot open '%s'", path);
	if (!flock(*fd, LOCK_EX | LOCK_NB))
		return 0;
	*waited = true;
	while (flock(*fd, LOCK_EX)) {
		if (errno != EINTR) {
			err_set(err, errno, "cannot lock '%s'", path);
			close(*fd);
			*fd = -1;
			return -1;
		}
	}
	return 0;
}

/* Reads the counters at instant at, as a real-time task. */
static int read_at(struct run *r, uint64_t at, struct cpustat *st,
		   struct err *err)
{
	struct sched_param rt = {.sched_priority = 1}, normal = {0};
	bool raised = !sched_setscheduler(0, SCHED_FIFO, &rt);
	int rc;

	sleep_until(at);
	rc = stop_signal ? 0 : snapshot(r, st, 1, err);
	if (raised)
		sched_setscheduler(0, SCHED_OTHER, &normal);
	return rc;
}

static int run_body(struct run *r, struct results *out, struct err *err)
{
	const struct scenario *sc = r->sc;
	struct cg_options co = {0};
	uint64_t start, deadline;
	unsigned slot = 0;
	size_t gi, i;

	if (journal_open(&r->state,
			 r->opt->state_dir ? r->opt->state_dir : JOURNAL_DIR,
			 getpid(), false, err))
		return -1;
	co.owner = getpid();
	co.state = &r->state;
	co.defer_quota = true;
	co.pids_max = r->plan.pids_max;
	co.memory_max_bytes = r->plan.memory_max_bytes;
	if (cg_tree_create(&r->tree, &r->m, sc, &co, err))
		return -1;
	r->have_tree = true;
	log_line(r->opt, "cgroup layout %s, run root %s",
		 cg_layout_name(r->m.layout), r->tree.name);
	if (r->generator) {
		uint64_t own = scenario_cpus_mask(sc);
		uint64_t gen = sc->groups[sc->ngroups - 1].cpus_mask;
		char list[128];

		cpulist_format(gen, list, sizeof(list));
		out->generator_shared = (gen & own) != 0;
		log_line(r->opt,
			 gen & own ? "note: the load generator shares cpus %s "
				     "with the scenario (no spare cpu): its "
				     "wake-ups compete with the scenario's "
				     "tasks, which the simulation leaves out" :
				     "load generator on cpus %s, outside the "
				     "scenario's",
			 list);
	}
	for (i = 0; i < r->tree.nnotes; i++)
		log_line(r->opt, "wrote %s", r->tree.notes[i]);
	if (!r->opt->no_network) {
		struct net_config nc = {.own_netns = true};

		if (net_setup(&r->net, &nc, err))
			return -1;
		r->have_net = true;
	}
	r->mem = xcalloc(sc->ngroups ? sc->ngroups : 1, sizeof(*r->mem));
	for (gi = 0; gi < sc->ngroups; gi++) {
		/* the load generator starts last, once it knows where the
		 * servers are */
		if (!cg_has_tasks(sc, gi) &&
		    !(r->generator && gi == sc->ngroups - 1))
			continue;
		r->mem[r->nmem].group = gi;
		r->mem[r->nmem].c.pid = 0;
		r->nmem++;
		if (stopped(err) || start_member(r, &r->mem[r->nmem - 1],
						 slot++, r->nmem == 1, err))
			return -1;
	}
	if (collect(r, true, now_ns() + READY_TIMEOUT_MS * NSEC_PER_MSEC, out,
		    err))
		return -1;
	if (r->opt->timeline && timeline_start(r, err))
		return -1;
	/* the groups were unlimited until now (defer_quota), so what the
	 * workloads burned while starting up (their calibration) neither
	 * used quota nor throttled them */
	if (arm_and_start(r, &start, err))
		return -1;
	/* the counters stop at the end of the run (plus the boundary's
	 * unthrottle), not when the workloads have printed: a workload
	 * throttled again while reporting would add a period */
	if (read_at(r, start + sc->duration_ns + END_LAG_NS, r->after, err) ||
	    cg_tree_unlimit(&r->tree, sc, err))
		return -1;
	deadline = start + sc->duration_ns + END_GRACE_MS * NSEC_PER_MSEC;
	if (stopped(err) || collect(r, false, deadline, out, err))
		return -1;
	if (r->opt->timeline && timeline_finish(r, start, out, err))
		return -1;
	rlat_finish(&r->lat, sc, out);
	for (i = 0; i < r->nmem; i++) {
		struct member *mb = &r->mem[i];
		char how[96];
		int status;

		ctr_close_input(&mb->c);
		if (ctr_wait(&mb->c, 2000, &status, err))
			return -1;
		if (!ctr_status_ok(status))
			return err_set(
				err, 0, "workload of group '%s' %s",
				sc->groups[mb->group].path,
				ctr_status_str(status, how, sizeof(how)));
	}
	host_share(r, out);
	for (gi = 0; gi < out->ngroups; gi++) {
		struct cpustat d;

		cpustat_delta(&r->before[gi], &r->after[gi], &d);
		cpustat_to_result(&d, &out->groups[gi]);
		out->groups[gi].cg_shares = r->tree.groups[gi].shares;
		out->groups[gi].cg_weight = r->tree.groups[gi].weight;
	}
	return 0;
}

/* The CPUs this process may run on (the first 64), as a mask. */
static uint64_t allowed_cpus(void)
{
	uint64_t mask = 0;
	cpu_set_t set;
	unsigned c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (c = 0; c < 64 && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			mask |= 1ULL << c;
	return mask;
}

int real_run(const struct scenario *sc, const struct real_options *opt,
	     struct results *out, struct err *err)
{
	struct sigaction sa, old_int, old_term, old_pipe;
	uint64_t t0 = now_ns();
	int rc, lock_fd = -1;
	struct limits_host host;
	struct scenario aug;
	struct run r;
	struct err e;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	cgpoll_init(&r.poll);
	tracefs_init(&r.trace);
	r.sc = sc;
	r.opt = opt;
	journal_init(&r.state);
	rc = real_check(sc, opt, &r.m, err);
	if (rc)
		return rc;
	if (opt->image)
		snprintf(r.image, sizeof(r.image), "%s", opt->image);
	else if (rootfs_locate(r.image, sizeof(r.image), err))
		return REAL_ERROR;
	if (rlat_needs_generator(sc)) {
		if (opt->no_network)
			return unsupported(err, "request workloads need the "
						"containers' network");
		if (rlat_add_generator_group(
			    sc, rlat_generator_cpus(sc, allowed_cpus()), &aug,
			    err))
			return REAL_ERROR;
		r.sc = &aug;
		r.generator = true;
	}

	/* the plan counts the load generator's container too */
	rc = opt->host ? (host = *opt->host, 0) : limits_host_read(&host, err);
	if (!rc && limits_plan(r.sc, &host, opt->allow_long, &r.plan, err))
		rc = REAL_REFUSED;
	if (rc) {
		if (r.generator)
			rlat_drop_generator_group(&aug);
		return rc == REAL_REFUSED ? REAL_REFUSED : REAL_ERROR;
	}
	if (r.plan.every_cpu)
		log_line(opt,
			 "note: the scenario takes every online cpu (%u); "
			 "its run root outweighs the rest of the host 100:1 "
			 "for %.3g s",
			 host.online_cpus, (double)sc->duration_ns / 1e9);

	stop_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: poll returns early */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN; /* a dead workload's stdin */
	sigaction(SIGPIPE, &sa, &old_pipe);

	if (lock_host(opt->state_dir ? opt->state_dir : JOURNAL_DIR, &lock_fd,
		      err)) {
		rc = stop_signal ? REAL_INTERRUPTED : REAL_ERROR;
		goto out_lock;
	}
	t0 = now_ns(); /* the wall time leaves the wait for the lock out */
	sweep(&r);
	r.task_base = xcalloc(sc->ntasks ? sc->ntasks : 1, sizeof(size_t));
	r.before = xcalloc(r.sc->ngroups, sizeof(*r.before));
	r.after = xcalloc(r.sc->ngroups, sizeof(*r.after));
	results_setup(out, sc, r.task_base);
	rlat_setup(&r.lat, sc, out);

	rc = run_body(&r, out, err) ? REAL_ERROR : REAL_OK;
	if (rc == REAL_OK && stopped(err))
		rc = REAL_ERROR;
	if (teardown(&r, &e) && rc == REAL_OK) {
		*err = e;
		rc = REAL_ERROR;
	}
	if (stop_signal) {
		stopped(err);
		rc = REAL_INTERRUPTED;
	}
	free(r.mem);
	free(r.task_base);
	free(r.before);
	free(r.after);
	rlat_destroy(&r.lat);
out_lock:
	if (lock_fd >= 0)
		close(lock_fd);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	if (r.generator)
		rlat_drop_generator_group(&aug);
	if (rc != REAL_OK)
		results_destroy(out);
	else
		out->wall_ns = now_ns() - t0;
	return rc;
}
