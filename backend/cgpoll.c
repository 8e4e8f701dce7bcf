/* The sampler thread of a real run's timeline; see cgpoll.h. */
#include "backend/cgpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/cpustat.h"
#include "base/xalloc.h"

void cgpoll_init(struct cgpoll *p)
{
	memset(p, 0, sizeof(*p));
	atomic_init(&p->stop, false);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int open_counter(const char *path, int *fd, struct err *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return err_set(err, errno, "cannot open '%s'", path);
	return 0;
}

int cgpoll_open(struct cgpoll *p, const struct cg_tree *t,
		const struct scenario *sc, struct err *err)
{
	uint64_t shortest = 0;
	size_t gi, n = 0;

	p->groups = xcalloc(sc->ngroups ? sc->ngroups : 1, sizeof(*p->groups));
	for (gi = 0; gi < sc->ngroups; gi++) {
		const struct group_spec *g = &sc->groups[gi];
		struct cgpoll_group *pg;
		enum cg_hier hu;

		if (!g->has_quota)
			continue;
		pg = &p->groups[n++];
		p->ngroups = n;
		pg->group = gi;
		pg->quota_ns = g->quota_ns;
		pg->stat_fd = pg->usage_fd = -1;
		pg->version = t->version;
		if (!shortest || g->period_ns < shortest)
			shortest = g->period_ns;
		if (t->version == 2) {
			snprintf(pg->stat_path, sizeof(pg->stat_path),
				 "%s/%s/cpu.stat", t->base[CG_UNIFIED],
				 t->groups[gi].rel);
		} else {
			/* cpuacct may be co-mounted with cpu */
			hu = t->used[CG_CPUACCT] ? CG_CPUACCT : CG_CPU;
			snprintf(pg->stat_path, sizeof(pg->stat_path),
				 "%s/%s/cpu.stat", t->base[CG_CPU],
				 t->groups[gi].rel);
			snprintf(pg->usage_path, sizeof(pg->usage_path),
				 "%s/%s/cpuacct.usage", t->base[hu],
				 t->groups[gi].rel);
			if (open_counter(pg->usage_path, &pg->usage_fd, err))
				return -1;
		}
		if (open_counter(pg->stat_path, &pg->stat_fd, err))
			return -1;
	}
	/* nothing to sample: wake only to drain the trace */
	p->interval_ns = n ? shortest / 4 : CGPOLL_DRAIN_NS;
	if (n && p->interval_ns > CGPOLL_MAX_INTERVAL_NS)
		p->interval_ns = CGPOLL_MAX_INTERVAL_NS;
	if (p->interval_ns < CGPOLL_MIN_INTERVAL_NS)
		p->interval_ns = CGPOLL_MIN_INTERVAL_NS;
	return 0;
}

/* Reads a whole cgroup file from offset 0 (which makes the kernel print it
 * afresh) into buf. */
static int read_counter(int fd, const char *path, char *buf, size_t len,
			struct err *err)
{
	ssize_t got = pread(fd, buf, len - 1, 0);

	if (got < 0)
		return err_set(err, errno, "cannot read '%s'", path);
	buf[got] = '\0';
	return 0;
}

int cgpoll_read(struct cgpoll *p, size_t k, struct cgpoll_point *pt,
		struct err *err)
{
	struct cgpoll_group *g = &p->groups[k];
	struct cpustat st;
	char buf[1024];
	uint64_t t0 = mono_ns();

	memset(&st, 0, sizeof(st));
	if (read_counter(g->stat_fd, g->stat_path, buf, sizeof(buf), err) ||
	    (g->version == 2 ? cpustat_parse_v2(buf, g->stat_path, &st, err) :
			       cpustat_parse_v1(buf, g->stat_path, &st, err)))
		return -1;
	if (g->usage_fd >= 0 &&
	    (read_counter(g->usage_fd, g->usage_path, buf, sizeof(buf), err) ||
	     cpustat_parse_cpuacct_usage(buf, g->usage_path, &st, err)))
		return -1;
	pt->t_ns = t0 + (mono_ns() - t0) / 2;
	pt->usage_ns = st.usage_ns;
	pt->nr_periods = st.nr_periods;
	pt->nr_throttled = st.nr_throttled;
	pt->throttled_ns = st.throttled_ns;
	return 0;
}

void cgpoll_feed(struct cgpoll *p, size_t k, const struct cgpoll_point *pt)
{
	struct cgpoll_group *g = &p->groups[k];
	struct period_sample *ps;

	if (!g->have_prev) {
		g->prev = *pt;
		g->have_prev = true;
		return;
	}
	if (pt->nr_periods != g->prev.nr_periods) {
		if (g->open) {
			xgrow((void **)&p->periods, &p->cap_periods,
			      p->nperiods + 1, sizeof(*p->periods));
			ps = &p->periods[p->nperiods++];
			ps->group = g->group;
			ps->start_ns =
				g->pre.t_ns + (g->post.t_ns - g->pre.t_ns) / 2;
			ps->end_ns =
				g->prev.t_ns + (pt->t_ns - g->prev.t_ns) / 2;
			ps->start_err_ns = (g->post.t_ns - g->pre.t_ns + 1) / 2;
			ps->end_err_ns = (pt->t_ns - g->prev.t_ns + 1) / 2;
			ps->quota_ns = g->quota_ns;
			ps->used_ns = g->prev.usage_ns - g->pre.usage_ns;
			ps->throttled_ns =
				pt->throttled_ns - g->post.throttled_ns;
			ps->throttled =
				pt->nr_throttled != g->post.nr_throttled;
		}
		g->pre = g->prev;
		g->post = *pt;
		g->open = true;
	}
	g->prev = *pt;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void *sampler(void *arg)
{
	struct cgpoll *p = arg;
	struct sched_param rt = {.sched_priority = 1};
	uint64_t next = mono_ns(), next_drain = next + CGPOLL_DRAIN_NS, now;
	struct cgpoll_point pt;
	struct timespec ts;
	size_t k;

	pthread_setschedparam(pthread_self(), SCHED_FIFO, &rt);
	while (!atomic_load(&p->stop)) {
		for (k = 0; k < p->ngroups; k++) {
			if (cgpoll_read(p, k, &pt, &p->err))
				goto fail;
			cgpoll_feed(p, k, &pt);
		}
		p->nsamples++;
		now = mono_ns();
		if (p->trace && now >= next_drain) {
			if (tracefs_drain(p->trace, &p->err))
				goto fail;
			next_drain = now + CGPOLL_DRAIN_NS;
		}
		next += p->interval_ns;
		now = mono_ns();
		if (next < now) {
			/* late: skip the missed rounds, keep the grid */
			if (now - next > p->max_late_ns)
				p->max_late_ns = now - next;
			next += (now - next) / p->interval_ns * p->interval_ns +
				p->interval_ns;
		}
		ts.tv_sec = (time_t)(next / NSEC_PER_SEC);
		ts.tv_nsec = (long)(next % NSEC_PER_SEC);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		now = mono_ns();
		if (now - next > p->max_late_ns)
			p->max_late_ns = now - next;
	}
	p->cpu_ns = thread_cpu_ns();
	return NULL;
fail:
	p->failed = true;
	p->cpu_ns = thread_cpu_ns();
	return NULL;
}

int cgpoll_start(struct cgpoll *p, struct tracefs *trace, uint64_t avoid_cpus,
		 struct err *err)
{
	sigset_t all, old;
	pthread_attr_t attr;
	cpu_set_t set;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int rc, c, nfree = 0;

	p->trace = trace;
	atomic_store(&p->stop, false);
	pthread_attr_init(&attr);
	CPU_ZERO(&set);
	for (c = 0; c < online && c < CPU_SETSIZE; c++)
		if (c >= 64 || !(avoid_cpus & (1ULL << c))) {
			CPU_SET(c, &set);
			nfree++;
		}
	if (nfree)
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	/* the run loop, not the sampler, must see SIGINT/SIGTERM */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&p->thread, &attr, sampler, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc)
		return err_set(err, rc, "cannot start the cpu.stat sampler");
	p->running = true;
	return 0;
}

int cgpoll_stop(struct cgpoll *p, struct err *err)
{
	if (!p->running)
		return 0;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	p->running = false;
	if (p->failed) {
		*err = p->err;
		return -1;
	}
	if (p->trace && tracefs_drain(p->trace, err))
		return -1;
	return 0;
}

void cgpoll_fill(const struct cgpoll *p, uint64_t from_ns, uint64_t to_ns,
		 struct timeline *tl)
{
	uint64_t lo = from_ns > p->interval_ns ? from_ns - p->interval_ns : 0;
	uint64_t hi = to_ns + p->interval_ns;
	struct period_sample *ps;
	size_t i;

	for (i = 0; i < p->nperiods; i++) {
		const struct period_sample *s = &p->periods[i];

		if (s->start_ns < lo || s->end_ns > hi)
			continue;
		xgrow((void **)&tl->periods, &tl->cap_periods, tl->nperiods + 1,
		      sizeof(*tl->periods));
		ps = &tl->periods[tl->nperiods++];
		*ps = *s;
		ps->start_ns =
			s->start_ns > from_ns ? s->start_ns - from_ns : 0;
		ps->end_ns = s->end_ns > from_ns ? s->end_ns - from_ns : 0;
		if (ps->end_ns > to_ns - from_ns)
			ps->end_ns = to_ns - from_ns;
		if (ps->start_ns > ps->end_ns)
			ps->start_ns = ps->end_ns;
	}
}

void cgpoll_destroy(struct cgpoll *p)
{
	struct err e;
	size_t k;

	cgpoll_stop(p, &e);
	for (k = 0; k < p->ngroups; k++) {
		if (p->groups[k].stat_fd >= 0)
			close(p->groups[k].stat_fd);
		if (p->groups[k].usage_fd >= 0)
			close(p->groups[k].usage_fd);
	}
	free(p->groups);
	free(p->periods);
	cgpoll_init(p);
}
