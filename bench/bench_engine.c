/* Benchmark of the simulation engine (issue 5, parts 2-4): simulated
 * context switches and events per wall-clock second against the number of
 * tasks and CPUs, for hogs and short periodic tasks, with and without
 * quotas (OUTDIR/engine.csv); peak RSS per simulated task, each size
 * measured in a child process (engine_memory.csv); and the wall time of
 * `cfssim FILE` for every shipped scenario against its duration
 * (engine_speedup.csv).  Medians of RUNS runs after a warm-up. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <spawn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenarios/loader.h"
#include "model/model.h"
#include "model/results.h"
#include "sim/sim.h"

#define MAX_RUNS	    31
#define DEFAULT_RUNS	    5
#define NR_GROUPS	    8 /* top-level groups the tasks are spread over */
#define MANY_GROUPS	    1000   /* ... in the many-groups cells */
#define MAX_SPECS	    64	   /* task specs (start offsets) per scenario */
#define TARGET_SWITCHES	    200000 /* simulated length: about this many */
#define RUN_MIN_NS	    (20 * NSEC_PER_USEC) /* periodic: 20-80 us */
#define RUN_MAX_NS	    (80 * NSEC_PER_USEC)
#define BENCH_PERIOD_MIN_NS (10 * NSEC_PER_MSEC) /* ... every 10 ms or more */

struct cell {
	int periodic; /* 0 hogs, 1 periodic */
	int quota;    /* 0 none, 1 every group capped, 2 QUOTA_SOME of 10 */
	unsigned n;   /* tasks (threads) */
	unsigned cpus;
	unsigned groups; /* top-level groups, 0 = NR_GROUPS */
	int hier;	 /* mixed shares, overload: see build() */
	int full;	 /* only in -f (make bench-full) */
};

#define QUOTA_SOME   4	 /* groups under quota in every 10 (quota 2) */
#define OVERLOAD_PCT 150 /* hier periodic cells: demand / capacity */

static uint64_t wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Activation period of the periodic tasks: 10 ms, or longer so that n
 * tasks of 50 us on average keep the CPUs at most 2/3 busy. */
static uint64_t cell_period(const struct cell *c)
{
	uint64_t p = (uint64_t)c->n * (RUN_MIN_NS + RUN_MAX_NS) / 2 * 3 /
		     (2 * c->cpus);

	if (c->hier) /* demand OVERLOAD_PCT % of the CPUs, any length */
		return (uint64_t)c->n * (RUN_MIN_NS + RUN_MAX_NS) / 2 * 100 /
		       (OVERLOAD_PCT * c->cpus);

	p = (p + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC * NSEC_PER_MSEC;
	return p < BENCH_PERIOD_MIN_NS ? BENCH_PERIOD_MIN_NS : p;
}

/* Simulated length giving about TARGET_SWITCHES switches (at least one
 * activation of every periodic task). */
static uint64_t cell_duration(const struct cell *c)
{
	if (c->periodic) {
		uint64_t p = cell_period(c);
		uint64_t d = p * (TARGET_SWITCHES / c->n);

		return d < p ? p : d;
	}
	/* hogs switch about once a tick (4 ms at HZ 250) per CPU */
	return (uint64_t)TARGET_SWITCHES / c->cpus * 4 * NSEC_PER_MSEC;
}

/* n tasks in NR_GROUPS (or c->groups) top-level groups, MAX_SPECS task
 * specs (at least one per group) whose start times spread over one
 * period.  With quota every group may use half of its fair part of the
 * machine (period 100 ms, quota at least 1 ms). */
static void build(struct scenario *sc, const struct cell *c, uint64_t duration)
{
	uint64_t period = cell_period(c);
	unsigned ngroups = c->groups ? c->groups : NR_GROUPS;
	unsigned nspecs = ngroups > MAX_SPECS ? ngroups : MAX_SPECS;
	size_t groups[MANY_GROUPS];
	unsigned g, j;

	if (nspecs > c->n)
		nspecs = c->n;

	scenario_init(sc, "bench");
	sc->cpus = c->cpus; /* before the groups: their cpusets */
	sc->duration_ns = duration;
	for (g = 0; g < ngroups; g++) {
		char name[16];
		struct group_spec *gs;

		snprintf(name, sizeof(name), "g%u", g);
		groups[g] = scenario_add_group(sc, -1, name);
		gs = &sc->groups[groups[g]];
		if (c->hier) /* mixed shares: 512, 1024, 2048, 4096 */
			gs->shares = 512u << (g % 4);
		if (c->quota == 1 || (c->quota == 2 && g % 10 < QUOTA_SOME)) {
			gs->has_quota = true;
			gs->quota_ns = (uint64_t)c->cpus * gs->period_ns /
				       (2 * ngroups) / NSEC_PER_USEC *
				       NSEC_PER_USEC;
			if (gs->quota_ns < QUOTA_MIN_NS)
				gs->quota_ns = QUOTA_MIN_NS;
		}
	}
	for (j = 0; j < nspecs; j++) {
		struct task_spec *t;
		char name[16];
		size_t i;

		snprintf(name, sizeof(name), "t%u", j);
		i = scenario_add_task(sc, groups[j % ngroups], name);
		t = &sc->tasks[i];
		t->count = c->n / nspecs + (j < c->n % nspecs);
		if (c->periodic) {
			t->wl.kind = WL_PERIODIC;
			t->wl.run.min_ns = RUN_MIN_NS;
			t->wl.run.max_ns = RUN_MAX_NS;
			t->wl.period_ns = period;
			t->wl.start_ns = period * j / nspecs;
		}
	}
}

struct sample {
	uint64_t wall_ns, cpu_ns, switches, events;
	uint64_t array_bytes; /* the most EEVDF's array queues held */
};

static uint64_t cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int run_once(const struct cell *c, uint64_t duration, struct sample *out)
{
	struct scenario sc;
	struct results r;
	struct err err;
	uint64_t t0, c0;
	size_t i;

	err_init(&err);
	build(&sc, c, duration);
	c0 = cpu_now();
	t0 = wall_now();
	if (sim_run(&sc, NULL, &r, &err)) {
		fprintf(stderr, "bench_engine: %s\n", err.msg);
		scenario_destroy(&sc);
		return -1;
	}
	out->wall_ns = wall_now() - t0;
	out->cpu_ns = cpu_now() - c0;
	out->switches = 0;
	for (i = 0; i < r.ntasks; i++)
		out->switches += r.tasks[i].nr_switches;
	out->events = r.nr_events;
	out->array_bytes = r.array_bytes;
	results_destroy(&r);
	scenario_destroy(&sc);
	return 0;
}

/* ---- part 2: throughput ---- */

struct row {
	struct cell c;
	uint64_t sim_ns, switches, events, wall_ns, setup_ns, cpu_ns;
	uint64_t array_bytes; /* of the full run (the same every run) */
	uint64_t setup_cpu_ns, setup_switches, setup_events;
	uint64_t walls[MAX_RUNS], setups[MAX_RUNS], cpus[MAX_RUNS];
	uint64_t setup_cpus[MAX_RUNS];
	double switches_per_s, events_per_s, ns_per_switch, cpu_ns_per_switch;
};

/* Run k of a cell: a setup run (build the CPUs, groups and tasks and start
 * those that start at 0, simulating 1 ns), then the full run. */
static int measure_run(struct row *row, unsigned k)
{
	struct sample s, s0;

	if (run_once(&row->c, 1, &s0) || run_once(&row->c, row->sim_ns, &s))
		return -1;
	row->setups[k] = s0.wall_ns;
	row->setup_cpus[k] = s0.cpu_ns;
	row->walls[k] = s.wall_ns;
	row->cpus[k] = s.cpu_ns;
	row->switches = s.switches;
	row->events = s.events;
	row->array_bytes = s.array_bytes;
	row->setup_switches = s0.switches;
	row->setup_events = s0.events;
	return 0;
}

/* Medians, and the per-switch figures without the setup. */
static void finish_row(struct row *row, unsigned runs)
{
	uint64_t sw;
	double t;

	row->wall_ns = median(row->walls, runs);
	row->setup_ns = median(row->setups, runs);
	row->cpu_ns = median(row->cpus, runs);
	row->setup_cpu_ns = median(row->setup_cpus, runs);
	if (row->wall_ns <= row->setup_ns ||
	    row->switches <= row->setup_switches)
		return;
	sw = row->switches - row->setup_switches;
	t = (double)(row->wall_ns - row->setup_ns);
	row->ns_per_switch = t / (double)sw;
	row->switches_per_s = 1e9 / row->ns_per_switch;
	row->events_per_s = (double)(row->events - row->setup_events) * 1e9 / t;
	if (row->cpu_ns > row->setup_cpu_ns)
		row->cpu_ns_per_switch =
			(double)(row->cpu_ns - row->setup_cpu_ns) / (double)sw;
}

static const unsigned task_counts[] = {10, 100, 1000, 10000, 100000, 1000000};
static const unsigned cpu_counts[] = {1, 2, 4, 8, 16, 32, 64};
#define NELEM(a)  (sizeof(a) / sizeof(*(a)))
#define MAX_CELLS 80

static const unsigned hier_groups[] = {10, 100};
static const unsigned hier_counts[] = {1000, 10000};

/* Every cell: for each workload, without and with quota, the task counts
 * at 8 CPUs, then the CPU counts at 1000 tasks; then 10 000 tasks in
 * MANY_GROUPS groups with quotas; last the hierarchical cells (issue 14):
 * 10 and 100 groups of mixed shares, no quota or QUOTA_SOME groups in 10
 * capped, 1 000 and 10 000 tasks, 8 CPUs, periodic demand OVERLOAD_PCT %
 * of capacity (hogs always overload).  The flat cells above 10 000 tasks,
 * the CPU sweep and the many-groups cells are `full` ones: only with -f
 * (make bench-full), so that make bench stays within 3 minutes. */
static unsigned all_cells(struct cell *cells)
{
	unsigned n = 0, w, q, i, g;

	for (w = 0; w < 2; w++)
		for (q = 0; q < 2; q++) {
			for (i = 0; i < NELEM(task_counts); i++)
				cells[n++] = (struct cell){
					.periodic = (int)w,
					.quota = (int)q,
					.n = task_counts[i],
					.cpus = 8,
					.full = task_counts[i] > 10000};
			for (i = 0; i < NELEM(cpu_counts); i++)
				if (cpu_counts[i] != 8)
					cells[n++] = (struct cell){
						.periodic = (int)w,
						.quota = (int)q,
						.n = 1000,
						.cpus = cpu_counts[i],
						.full = 1};
		}
	for (w = 0; w < 2; w++)
		cells[n++] = (struct cell){.periodic = (int)w,
					   .quota = 1,
					   .n = 10000,
					   .cpus = 8,
					   .groups = MANY_GROUPS,
					   .full = 1};
	for (w = 0; w < 2; w++)
		for (g = 0; g < NELEM(hier_groups); g++)
			for (q = 0; q < 3; q += 2)
				for (i = 0; i < NELEM(hier_counts); i++)
					cells[n++] = (struct cell){
						.periodic = (int)w,
						.quota = (int)q,
						.n = hier_counts[i],
						.cpus = 8,
						.groups = hier_groups[g],
						.hier = 1};
	return n;
}

static const char *const quota_names[] = {"no", "all", "some"};

static void print_row(FILE *csv, const struct row *r)
{
	const struct cell *c = &r->c;
	unsigned groups = c->groups ? c->groups : NR_GROUPS;
	const char *wl = c->periodic ? "periodic" : "hog";

	fprintf(csv,
		"%s,%d,%u,%u,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.0f,%.0f,%.1f,%.1f,%d,"
		"%" PRIu64 "\n",
		wl, c->quota, c->n, c->cpus, groups, r->sim_ns, r->switches,
		r->events, r->wall_ns, r->setup_ns, r->cpu_ns, r->setup_cpu_ns,
		r->switches_per_s, r->events_per_s, r->ns_per_switch,
		r->cpu_ns_per_switch, c->hier, r->array_bytes);
	printf("%-8s %-5s %8u %4u %6u %8.1f %9" PRIu64 " %9.1f %9.1f %10.3g "
	       "%10.3g %8.0f %8.0f\n",
	       wl, quota_names[c->quota], c->n, c->cpus, groups,
	       (double)r->sim_ns / 1e9, r->switches, (double)r->wall_ns / 1e6,
	       (double)r->setup_ns / 1e6, r->switches_per_s, r->events_per_s,
	       r->ns_per_switch, r->cpu_ns_per_switch);
}

/* The cells run in rounds (a warm-up round, then RUNS rounds of every
 * cell) so that a burst of load from elsewhere spreads over all cells
 * instead of spoiling the median of one. */
struct filter {
	int wl, q;	  /* -1: any */
	unsigned n, cpus; /* 0: any */
	int groups;	  /* -1: any, else the groups column */
	int full;	  /* 1: also the full cells */
};

static int part_throughput(const char *outdir, unsigned runs,
			   const struct filter *f)
{
	char path[4096];
	FILE *csv;
	struct cell cells[MAX_CELLS];
	struct row *rows, *ref1k = NULL, *ref1m = NULL;
	unsigned ncells = all_cells(cells), nrows = 0, i, k;
	int rc = -1;

	rows = calloc(MAX_CELLS, sizeof(*rows));
	if (!rows)
		return -1;

	for (i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];

		if ((f->wl >= 0 && c->periodic != f->wl) ||
		    (f->q >= 0 && c->quota != f->q) || (f->n && c->n != f->n) ||
		    (f->cpus && c->cpus != f->cpus) ||
		    (f->groups >= 0 && (c->groups ? c->groups : NR_GROUPS) !=
					       (unsigned)f->groups) ||
		    (c->full && !f->full))
			continue;
		rows[nrows].c = *c;
		rows[nrows].sim_ns = cell_duration(c);
		nrows++;
	}
	printf("# engine throughput: %u cells, median of %u interleaved rounds "
	       "after a warm-up round; per-switch figures exclude setup (a "
	       "1 ns run); cpu: process CPU time\n",
	       nrows, runs);
	fflush(stdout);
	for (k = 0; k <= runs; k++) /* k 0: warm-up, overwritten */
		for (i = 0; i < nrows; i++)
			if (measure_run(&rows[i], k ? k - 1 : 0))
				goto out;
	snprintf(path, sizeof(path), "%s/engine.csv", outdir);
	csv = fopen(path, "w");
	if (!csv) {
		fprintf(stderr, "bench_engine: cannot open '%s': %s\n", path,
			strerror(errno));
		goto out;
	}
	fprintf(csv, "workload,quota,n,cpus,groups,sim_ns,switches,events,"
		     "wall_ns,setup_ns,cpu_ns,setup_cpu_ns,switches_per_s,"
		     "events_per_s,ns_per_switch,cpu_ns_per_switch,hier,"
		     "array_bytes\n");
	printf("%-8s %-5s %8s %4s %6s %8s %9s %9s %9s %10s %10s %8s %8s\n",
	       "workload", "quota", "n", "cpus", "groups", "sim_s", "switches",
	       "wall_ms", "setup_ms", "switch/s", "events/s", "ns/sw",
	       "cpu/sw");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		const struct cell *c = &r->c;

		finish_row(r, runs);
		print_row(csv, r);
		if (c->periodic && !c->quota && c->cpus == 8 && !c->groups &&
		    c->n == 1000)
			ref1k = r;
		if (c->periodic && !c->quota && c->cpus == 8 && !c->groups &&
		    c->n == 1000000)
			ref1m = r;
	}
	fclose(csv);
	if (ref1k)
		printf("target: periodic, 1000 tasks, 8 CPUs: %.2f M "
		       "switches/s (>= 5 M: %s)\n",
		       ref1k->switches_per_s / 1e6,
		       ref1k->switches_per_s >= 5e6 ? "holds" : "missed");
	if (ref1k && ref1m && ref1k->ns_per_switch > 0)
		printf("target: cost per switch, 10^6 / 10^3 tasks: %.2f "
		       "(<= 3: %s)\n",
		       ref1m->ns_per_switch / ref1k->ns_per_switch,
		       ref1m->ns_per_switch <= 3 * ref1k->ns_per_switch ?
			       "holds" :
			       "missed");
	for (i = 0; i < nrows; i++) { /* issue 14's targets */
		const struct row *h = &rows[i], *flat = NULL;
		unsigned j;

		if (!h->c.hier)
			continue;
		for (j = 0; j < nrows; j++)
			if (!rows[j].c.hier && !rows[j].c.groups &&
			    !rows[j].c.quota && rows[j].c.cpus == h->c.cpus &&
			    rows[j].c.n == h->c.n &&
			    rows[j].c.periodic == h->c.periodic)
				flat = &rows[j];
		printf("target: %s, %u groups, quota %s, %u tasks: %.2f M "
		       "switches/s (>= 5 M: %s)",
		       h->c.periodic ? "periodic" : "hog", h->c.groups,
		       quota_names[h->c.quota], h->c.n, h->switches_per_s / 1e6,
		       h->switches_per_s >= 5e6 ? "holds" : "missed");
		if (flat && flat->ns_per_switch > 0)
			printf(", %.2fx the flat cell (<= 2: %s)",
			       h->ns_per_switch / flat->ns_per_switch,
			       h->ns_per_switch <= 2 * flat->ns_per_switch ?
				       "holds" :
				       "missed");
		/* the memory the speed costs: array queues grow as they
		 * fill, within 128 bytes a thread (sim/squeue.h) */
		printf(", arrays %.0f bytes a thread",
		       (double)h->array_bytes / h->c.n);
		printf("\n");
	}
	printf("bench_engine: %s\n", path);
	rc = 0;
out:
	free(rows);
	return rc;
}

/* ---- part 3: memory, one child process per size ---- */

/* Child: simulate n periodic tasks on 8 CPUs for one period, keep the
 * results until its peak RSS is read, print that in KiB.  The peak is
 * VmHWM, the high-water mark of this program image: ru_maxrss would also
 * count the parent's pages that fork copied before the exec. */
static int rss_child(unsigned n, unsigned groups)
{
	struct cell c = {
		.periodic = 1, .quota = 0, .n = n, .cpus = 8, .groups = groups};
	struct scenario sc;
	struct results r;
	struct err err;
	char line[256];
	long kb = -1;
	FILE *f;

	err_init(&err);
	build(&sc, &c, cell_period(&c)); /* n 0: the groups only */
	if (sim_run(&sc, NULL, &r, &err)) {
		fprintf(stderr, "bench_engine: %s\n", err.msg);
		return 1;
	}
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	results_destroy(&r);
	scenario_destroy(&sc);
	if (kb < 0) {
		fprintf(stderr,
			"bench_engine: no VmHWM in /proc/self/status\n");
		return 1;
	}
	printf("%ld\n", kb);
	return 0;
}

static long child_maxrss_kb(const char *self, unsigned n, unsigned groups)
{
	char arg[32], buf[64], *end;
	long kb = -1;
	ssize_t len;
	int status, fd[2];
	pid_t pid;

	snprintf(arg, sizeof(arg), "%u:%u", n, groups);
	fflush(NULL);
	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		close(fd[0]);
		if (dup2(fd[1], STDOUT_FILENO) < 0)
			_exit(126);
		execl(self, self, "-M", arg, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	len = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || len <= 0)
		return -1;
	buf[len] = '\0';
	kb = strtol(buf, &end, 10);
	if (end == buf || kb <= 0)
		return -1;
	return kb;
}

static const unsigned mem_counts[] = {1000, 10000, 100000, 1000000};

static int part_memory(const char *outdir, const char *self, unsigned runs)
{
	char path[4096];
	uint64_t v[MAX_RUNS], base;
	FILE *csv;
	unsigned i, k;

	snprintf(path, sizeof(path), "%s/engine_memory.csv", outdir);
	csv = fopen(path, "w");
	if (!csv) {
		fprintf(stderr, "bench_engine: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	for (k = 0; k < runs; k++) {
		long kb = child_maxrss_kb(self, 0, 0);

		if (kb < 0)
			goto fail;
		v[k] = (uint64_t)kb;
	}
	base = median(v, runs);
	fprintf(csv, "n,maxrss_kb,base_kb,bytes_per_task\n");
	printf("# peak RSS (VmHWM of a child process), periodic tasks, "
	       "8 CPUs, one period; baseline 0 tasks: %" PRIu64 " KiB\n",
	       base);
	printf("%8s %12s %14s\n", "n", "maxrss_KiB", "bytes/task");
	for (i = 0; i < sizeof(mem_counts) / sizeof(*mem_counts); i++) {
		unsigned n = mem_counts[i];
		uint64_t rss;
		double per;

		for (k = 0; k < runs; k++) {
			long kb = child_maxrss_kb(self, n, 0);

			if (kb < 0)
				goto fail;
			v[k] = (uint64_t)kb;
		}
		rss = median(v, runs);
		per = rss > base ? (double)(rss - base) * 1024 / n : 0;
		fprintf(csv, "%u,%" PRIu64 ",%" PRIu64 ",%.1f\n", n, rss, base,
			per);
		printf("%8u %12" PRIu64 " %14.1f\n", n, rss, per);
		if (n == 1000000)
			printf("target: bytes per task at 10^6 tasks: %.0f "
			       "(<= 256: %s)\n",
			       per, per <= 256 ? "holds" : "missed");
	}
	/* group overhead: MANY_GROUPS groups instead of NR_GROUPS, no task */
	for (k = 0; k < runs; k++) {
		long kb = child_maxrss_kb(self, 0, MANY_GROUPS);

		if (kb < 0)
			goto fail;
		v[k] = (uint64_t)kb;
	}
	{
		uint64_t rss = median(v, runs);
		double per = rss > base ?
				     (double)(rss - base) * 1024 /
					     ((MANY_GROUPS - NR_GROUPS) * 8) :
				     0;

		fprintf(csv, "groups%u,%" PRIu64 ",%" PRIu64 ",%.1f\n",
			MANY_GROUPS, rss, base, per);
		printf("group overhead: %u groups on 8 CPUs, no task: %" PRIu64
		       " KiB, %.0f bytes per (group x CPU)\n",
		       MANY_GROUPS, rss, per);
	}
	fclose(csv);
	printf("bench_engine: %s\n", path);
	return 0;
fail:
	fprintf(stderr, "bench_engine: memory child failed\n");
	fclose(csv);
	return -1;
}

/* ---- part 4: simulating instead of running ---- */

/* The whole process `cfssim FILE`, started with posix_spawn: a fork of
 * this process would copy its page tables (the throughput part leaves it
 * a large heap) and mark its pages copy-on-write, so that the next
 * in-process sim_run paid a page fault for each page it wrote; both
 * measured this program, not the simulator (4.5-6 ms a process and
 * 0.5-1.8 ms a sim_run, against 2.4 ms and well under 0.1 ms measured
 * apart). */
static int time_process(const char *cfssim, const char *file, uint64_t *ns)
{
	char *argv[] = {(char *)cfssim, (char *)file, NULL};
	posix_spawn_file_actions_t fa;
	int status, rc;
	uint64_t t0;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	if (posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					     O_WRONLY, 0)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	t0 = wall_now();
	rc = posix_spawn(&pid, cfssim, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return -1;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	*ns = wall_now() - t0;
	return 0;
}

static int part_speedup(const char *outdir, const char *cfssim, unsigned runs)
{
	char path[4096];
	glob_t gl;
	FILE *csv;
	size_t f;

	if (glob("scenarios/examples/*.yaml", 0, NULL, &gl)) {
		fprintf(stderr, "bench_engine: no 'scenarios/examples/*.yaml' "
				"here (run from the source tree)\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/engine_speedup.csv", outdir);
	csv = fopen(path, "w");
	if (!csv) {
		fprintf(stderr, "bench_engine: cannot open '%s': %s\n", path,
			strerror(errno));
		globfree(&gl);
		return -1;
	}
	fprintf(csv, "scenario,duration_ns,cpus,threads,events,wall_ns,"
		     "sim_wall_ns,speedup\n");
	printf("# '%s FILE' against the scenario's duration: median of %u "
	       "runs after a warm-up\n",
	       cfssim, runs);
	printf("%-26s %9s %4s %7s %9s %9s %9s %9s\n", "scenario", "duration",
	       "cpus", "threads", "events", "wall_ms", "sim_ms", "speed-up");
	for (f = 0; f < gl.gl_pathc; f++) {
		const char *file = gl.gl_pathv[f];
		uint64_t w[MAX_RUNS], sw[MAX_RUNS], wall, simwall, events = 0;
		struct scenario sc;
		struct err err;
		unsigned k, threads = 0;
		size_t i;
		const char *base =
			strrchr(file, '/') ? strrchr(file, '/') + 1 : file;

		err_init(&err);
		if (scenario_load_file(file, &sc, &err)) {
			fprintf(stderr, "bench_engine: %s\n", err.msg);
			goto fail;
		}
		for (i = 0; i < sc.ntasks; i++)
			threads += sc.tasks[i].count;
		for (k = 0; k <= runs; k++) { /* k 0: warm-up */
			struct results r;
			uint64_t t0;

			if (time_process(cfssim, file, &w[k ? k - 1 : 0])) {
				fprintf(stderr,
					"bench_engine: '%s %s' "
					"failed\n",
					cfssim, file);
				scenario_destroy(&sc);
				goto fail;
			}
			t0 = wall_now();
			if (sim_run(&sc, NULL, &r, &err)) {
				fprintf(stderr, "bench_engine: %s\n", err.msg);
				scenario_destroy(&sc);
				goto fail;
			}
			sw[k ? k - 1 : 0] = wall_now() - t0;
			events = r.nr_events;
			results_destroy(&r);
		}
		wall = median(w, runs);
		simwall = median(sw, runs);
		fprintf(csv,
			"%.*s,%" PRIu64 ",%u,%u,%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%.0f\n",
			(int)(strlen(base) - 5), base, sc.duration_ns, sc.cpus,
			threads, events, wall, simwall,
			(double)sc.duration_ns / (double)wall);
		printf("%-26.*s %8.2fs %4u %7u %9" PRIu64 " %9.2f %9.2f "
		       "%8.0fx\n",
		       (int)(strlen(base) - 5), base,
		       (double)sc.duration_ns / 1e9, sc.cpus, threads, events,
		       (double)wall / 1e6, (double)simwall / 1e6,
		       (double)sc.duration_ns / (double)wall);
		scenario_destroy(&sc);
	}
	fclose(csv);
	globfree(&gl);
	printf("bench_engine: %s\n", path);
	return 0;
fail:
	fclose(csv);
	globfree(&gl);
	return -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_engine [-r RUNS] [-p throughput|memory|speedup] "
		"[-w hog|periodic] [-n N] [-c CPUS] [-q 0|1|2] [-g GROUPS] "
		"[-f] [-b CFSSIM] "
		"[OUTDIR]\n");
}

int main(int argc, char **argv)
{
	const char *outdir = "build/bench", *part = NULL;
	const char *cfssim = "build/cfssim";
	unsigned runs = DEFAULT_RUNS;
	struct filter f = {.wl = -1, .q = -1, .groups = -1};
	int opt, rc = 0;
	char self[4096];
	ssize_t len;

	while ((opt = getopt(argc, argv, "r:p:w:n:c:q:g:fb:M:")) != -1) {
		switch (opt) {
		case 'r':
			runs = (unsigned)strtoul(optarg, NULL, 10);
			if (runs < 1 || runs > MAX_RUNS) {
				fprintf(stderr,
					"bench_engine: runs must be "
					"1..%d\n",
					MAX_RUNS);
				return 2;
			}
			break;
		case 'p':
			part = optarg;
			break;
		case 'w':
			f.wl = strcmp(optarg, "periodic") == 0;
			break;
		case 'n':
			f.n = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			f.cpus = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'q':
			f.q = (int)strtol(optarg, NULL, 10);
			break;
		case 'g':
			f.groups = (int)strtol(optarg, NULL, 10);
			break;
		case 'f':
			f.full = 1;
			break;
		case 'b':
			cfssim = optarg;
			break;
		case 'M': { /* internal: the memory child, N:GROUPS */
			char *end;
			unsigned n = (unsigned)strtoul(optarg, &end, 10);

			return rss_child(n, *end == ':' ?
						    (unsigned)strtoul(
							    end + 1, NULL, 10) :
						    0);
		}
		default:
			usage();
			return 2;
		}
	}
	if (optind < argc)
		outdir = argv[optind];
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		fprintf(stderr, "bench_engine: cannot read /proc/self/exe\n");
		return 1;
	}
	self[len] = '\0';
	if ((!part || !strcmp(part, "throughput")) &&
	    part_throughput(outdir, runs, &f))
		rc = 1;
	if ((!part || !strcmp(part, "memory")) &&
	    part_memory(outdir, self, runs))
		rc = 1;
	if ((!part || !strcmp(part, "speedup")) &&
	    part_speedup(outdir, cfssim, runs))
		rc = 1;
	return rc;
}
