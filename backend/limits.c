/* The budget of a real run (see limits.h). */
#include "backend/limits.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/duration.h"

static int read_u64(const char *path, uint64_t *v, struct err *err)
{
	FILE *f = fopen(path, "re");
	unsigned long long x;
	int n;

	if (!f)
		return err_set(err, errno, "cannot read '%s'", path);
	n = fscanf(f, "%llu", &x);
	fclose(f);
	if (n != 1)
		return err_set(err, 0, "cannot parse '%s'", path);
	*v = x;
	return 0;
}

int limits_host_read(struct limits_host *h, struct err *err)
{
	char line[256];
	unsigned long long run, all, kb;
	long online;
	FILE *f;

	memset(h, 0, sizeof(*h));
	if (read_u64("/proc/sys/kernel/pid_max", &h->pid_max, err) ||
	    read_u64("/proc/sys/kernel/threads-max", &h->threads_max, err))
		return -1;
	/* "0.00 0.01 0.05 RUNNING/THREADS LASTPID" */
	f = fopen("/proc/loadavg", "re");
	if (!f)
		return err_set(err, errno, "cannot read '/proc/loadavg'");
	if (fscanf(f, "%*s %*s %*s %llu/%llu", &run, &all) != 2) {
		fclose(f);
		return err_set(err, 0, "cannot parse '/proc/loadavg'");
	}
	fclose(f);
	h->threads_now = all;
	f = fopen("/proc/meminfo", "re");
	if (!f)
		return err_set(err, errno, "cannot read '/proc/meminfo'");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			h->mem_available_bytes = kb * 1024;
	fclose(f);
	if (!h->mem_available_bytes)
		return err_set(err, 0, "no MemAvailable in '/proc/meminfo'");
	online = sysconf(_SC_NPROCESSORS_ONLN);
	h->online_cpus = online > 0 ? (unsigned)online : 1;
	return 0;
}

static uint64_t containers(const struct scenario *sc)
{
	uint64_t n = 0;
	size_t gi, ti;

	for (gi = 0; gi < sc->ngroups; gi++)
		for (ti = 0; ti < sc->ntasks; ti++)
			if (sc->tasks[ti].group == gi) {
				n++;
				break;
			}
	return n;
}

#define MIB ((uint64_t)1 << 20)

int limits_plan(const struct scenario *sc, const struct limits_host *h,
		bool allow_long, struct limits_plan *p, struct err *err)
{
	uint64_t limit, free_threads, nctr = containers(sc);
	char d[32], m[32];
	size_t i;

	memset(p, 0, sizeof(*p));
	if (sc->duration_ns > LIMITS_MAX_DURATION_NS && !allow_long) {
		duration_format(sc->duration_ns, DURATION_WHOLE, d, sizeof(d));
		duration_format(LIMITS_MAX_DURATION_NS, DURATION_WHOLE, m,
				sizeof(m));
		return err_set(err, 0,
			       "scenario '%s' lasts %s; real runs are limited "
			       "to %s unless --long is given",
			       sc->name, d, m);
	}
	/* every task's threads, and the workload's main thread in each
	 * container (its init execs the workload) */
	for (i = 0; i < sc->ntasks; i++)
		p->threads += sc->tasks[i].count;
	p->threads += nctr;
	limit = h->pid_max < h->threads_max ? h->pid_max : h->threads_max;
	free_threads = limit > h->threads_now ? limit - h->threads_now : 0;
	p->threads_allowed =
		limit / 4 < free_threads / 2 ? limit / 4 : free_threads / 2;
	if (p->threads > p->threads_allowed)
		return err_set(err, 0,
			       "scenario '%s' needs %" PRIu64
			       " threads; a real run may use at most %" PRIu64
			       " here (a quarter of the limit of %" PRIu64
			       " set by kernel.pid_max %" PRIu64
			       " and kernel.threads-max %" PRIu64
			       ", and half of the %" PRIu64 " not in use)",
			       sc->name, p->threads, p->threads_allowed, limit,
			       h->pid_max, h->threads_max, free_threads);
	/* a little room for what a container's set-up forks */
	p->pids_max = p->threads + nctr + 16;
	if (p->pids_max > p->threads_allowed)
		p->pids_max = p->threads_allowed;
	p->memory_bytes = p->threads * LIMITS_THREAD_BYTES +
			  nctr * LIMITS_CONTAINER_BYTES;
	p->memory_allowed = h->mem_available_bytes / 2;
	if (p->memory_bytes > p->memory_allowed)
		return err_set(
			err, 0,
			"scenario '%s' needs about %" PRIu64 " MiB (%" PRIu64
			" threads at %llu KiB, %" PRIu64
			" containers at %llu MiB); a real run may use "
			"at most %" PRIu64
			" MiB here (half of MemAvailable %" PRIu64 " MiB)",
			sc->name, (p->memory_bytes + MIB - 1) / MIB, p->threads,
			LIMITS_THREAD_BYTES / 1024, nctr,
			(unsigned long long)(LIMITS_CONTAINER_BYTES / MIB),
			p->memory_allowed / MIB, h->mem_available_bytes / MIB);
	p->memory_max_bytes = p->memory_allowed;
	p->every_cpu = sc->cpus >= h->online_cpus;
	return 0;
}
