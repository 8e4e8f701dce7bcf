/* Trace instances of real runs: parsing of literal sched_switch lines as
 * this kernel prints them, running intervals from switch events, the
 * threads of a process in creation order, the janitor removing a dead
 * run's instance; and on the real kernel (root, a cgroup CPU controller,
 * tracefs; skipped otherwise unless CFSSIM_REQUIRE_REAL=1) a pinned hog's
 * slices adding up to its runtime and the instance gone after a run and
 * after SIGINT. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/janitor.h"
#include "backend/run.h"
#include "tests/real_skip.h"
#include "backend/tracefs.h"
#include "output/plot.h"
#include "model/model.h"
#include "model/results.h"

/* ---- parsing ---- */

static void test_tracefs_parses_sched_switch(void **state)
{
	struct tracefs_event ev;
	uint64_t lost = 0;
	struct err err;

	(void)state;
	/* copied from instances/<x>/trace on kernel 6.18, clock mono */
	assert_int_equal(
		tracefs_parse_line(
			"           <...>-453     [001] d..2.  2563.049042: "
			"sched_switch: prev_comm=bash prev_pid=453 "
			"prev_prio=120 prev_state=S ==> next_comm=bash "
			"next_pid=456 next_prio=120\n",
			&ev, &lost, &err),
		1);
	assert_int_equal(ev.time_ns, 2563049042000ULL);
	assert_int_equal(ev.cpu, 1);
	assert_int_equal(ev.prev_pid, 453);
	assert_int_equal(ev.next_pid, 456);
	assert_int_equal(
		tracefs_parse_line(
			" memfd:sealed-91-29736   [000] d..2.  2563.059300: "
			"sched_switch: prev_comm=memfd:sealed-91 "
			"prev_pid=29736 prev_prio=120 prev_state=S ==> "
			"next_comm=cc1 next_pid=447 next_prio=120",
			&ev, &lost, &err),
		1);
	assert_int_equal(ev.time_ns, 2563059300000ULL);
	assert_int_equal(ev.cpu, 0);
	assert_int_equal(ev.prev_pid, 29736);
	assert_int_equal(ev.next_pid, 447);
}

static void test_tracefs_comm_with_spaces_and_arrows(void **state)
{
	struct tracefs_event ev;
	uint64_t lost = 0;
	struct err err;

	(void)state;
	/* a comm may hold spaces, '[' and even the separators */
	assert_int_equal(
		tracefs_parse_line(
			"  a [9] ==> b-77  [003] dN.2.    12.000001: "
			"sched_switch: prev_comm=a [9] ==> b prev_pid=77 "
			"prev_prio=139 prev_state=R+ ==> next_comm=x "
			"next_pid=5 next_pid=0 next_prio=120",
			&ev, &lost, &err),
		1);
	assert_int_equal(ev.time_ns, 12000001000ULL);
	assert_int_equal(ev.cpu, 3);
	assert_int_equal(ev.prev_pid, 77);
	assert_int_equal(ev.next_pid, 0);
}

static void test_tracefs_parses_stat_runtime(void **state)
{
	struct tracefs_event ev;
	uint64_t lost = 0;
	struct err err;

	(void)state;
	/* copied from instances/<x>/trace on kernel 6.18, clock mono */
	assert_int_equal(tracefs_parse_line("            bash-10281   [000] "
					    "d.h1.  3106.556015: "
					    "sched_stat_runtime: comm=bash "
					    "pid=10281 runtime=2421610 [ns]",
					    &ev, &lost, &err),
			 1);
	assert_int_equal(ev.kind, TRACEFS_RUNTIME);
	assert_int_equal(ev.time_ns, 3106556015000ULL);
	assert_int_equal(ev.cpu, 0);
	assert_int_equal(ev.pid, 10281);
	assert_int_equal(ev.runtime_ns, 2421610);
	assert_int_equal(tracefs_parse_line("  x-1 [000] d.h1.  1.000000: "
					    "sched_stat_runtime: comm=x "
					    "pid=1 runtime=lots [ns]",
					    &ev, &lost, &err),
			 -1);
	assert_string_equal(err.msg, "bad sched_stat_runtime line '  x-1 "
				     "[000] d.h1.  1.000000: "
				     "sched_stat_runtime: comm=x pid=1 "
				     "runtime=lots [ns]'");
}

static void test_tracefs_other_lines(void **state)
{
	struct tracefs_event ev;
	uint64_t lost = 0;
	struct err err;

	(void)state;
	assert_int_equal(tracefs_parse_line("# tracer: nop", &ev, &lost, &err),
			 0);
	assert_int_equal(tracefs_parse_line("", &ev, &lost, &err), 0);
	assert_int_equal(
		tracefs_parse_line("  bash-1 [000] d..2.  1.000000: "
				   "sched_wakeup: comm=x pid=2 prio=120 "
				   "target_cpu=000",
				   &ev, &lost, &err),
		0);
	assert_int_equal(tracefs_parse_line("CPU:1 [LOST 42 EVENTS]\n", &ev,
					    &lost, &err),
			 2);
	assert_int_equal(lost, 42);
	assert_int_equal(
		tracefs_parse_line("CPU:0 [LOST EVENTS]", &ev, &lost, &err), 2);
	assert_int_equal(lost, 1);
}

static void test_tracefs_bad_line_message(void **state)
{
	struct tracefs_event ev;
	uint64_t lost = 0;
	struct err err;

	(void)state;
	assert_int_equal(tracefs_parse_line("  x-1 [000] d..2.  12.5: "
					    "sched_switch: prev_comm=x "
					    "prev_pid=abc",
					    &ev, &lost, &err),
			 -1);
	assert_string_equal(err.msg, "bad sched_switch line '  x-1 [000] "
				     "d..2.  12.5: sched_switch: prev_comm=x "
				     "prev_pid=abc'");
	/* no CPU field */
	assert_int_equal(tracefs_parse_line("x-1 1.000000: sched_switch: "
					    "prev_comm=x prev_pid=1 "
					    "prev_prio=120 prev_state=S ==> "
					    "next_comm=y next_pid=2 "
					    "next_prio=120",
					    &ev, &lost, &err),
			 -1);
	assert_string_equal(err.msg, "bad sched_switch line 'x-1 1.000000: "
				     "sched_switch: prev_comm=x prev_pid=1 "
				     "prev_prio=120 prev_state=S =='");
}

/* ---- slices ---- */

static void feed(struct tracefs_slicer *s, uint64_t t, unsigned cpu, pid_t prev,
		 pid_t next)
{
	struct tracefs_event ev = {TRACEFS_SWITCH, t, cpu, prev, next, 0, 0};

	tracefs_slicer_feed(s, &ev);
}

static void test_tracefs_slices_from_switches(void **state)
{
	static const pid_t tids[] = {11, 10};
	static const size_t tasks[] = {7, 5};
	struct tracefs_slicer s;
	struct timeline tl;

	(void)state;
	tracefs_slicer_init(&s, tids, tasks, 2);
	feed(&s, 1000, 0, 0, 10);
	feed(&s, 3000, 0, 10, 11);
	feed(&s, 4000, 1, 0, 10); /* 10 migrated to CPU 1 */
	feed(&s, 6000, 0, 11, 0);
	feed(&s, 9000, 1, 10, 99);
	feed(&s, 9500, 0, 0, 11);  /* still on at the end */
	feed(&s, 9600, 1, 99, 98); /* neither followed */
	assert_int_equal(s.nslices, 3);
	assert_int_equal(s.nevents, 7);
	memset(&tl, 0, sizeof(tl));
	tracefs_slicer_fill(&s, 2000, 10000, &tl);
	assert_int_equal(tl.nslices, 4);
	/* task 5 (tid 10) on CPU 0 from 1000, cut at 2000 */
	assert_int_equal(tl.slices[0].task, 5);
	assert_int_equal(tl.slices[0].cpu, 0);
	assert_int_equal(tl.slices[0].start_ns, 0);
	assert_int_equal(tl.slices[0].end_ns, 1000);
	assert_int_equal(tl.slices[1].task, 7);
	assert_int_equal(tl.slices[1].start_ns, 1000);
	assert_int_equal(tl.slices[1].end_ns, 4000);
	assert_int_equal(tl.slices[2].task, 5);
	assert_int_equal(tl.slices[2].cpu, 1);
	assert_int_equal(tl.slices[2].start_ns, 2000);
	assert_int_equal(tl.slices[2].end_ns, 7000);
	assert_int_equal(tl.slices[3].task, 7);
	assert_int_equal(tl.slices[3].start_ns, 7500);
	assert_int_equal(tl.slices[3].end_ns, 8000);
	free(tl.slices);
	tracefs_slicer_destroy(&s);
}

static void test_tracefs_missing_switches_inferred(void **state)
{
	static const pid_t tids[] = {10};
	static const size_t tasks[] = {0};
	struct tracefs_slicer s;

	(void)state;
	tracefs_slicer_init(&s, tids, tasks, 1);
	feed(&s, 1000, 0, 0, 10);
	feed(&s, 2000, 0, 10, 50);
	/* 50 -> 10 on CPU 0 was not recorded */
	feed(&s, 5000, 0, 10, 51);
	/* in on CPU 1, then in on CPU 0 without an out on CPU 1 */
	feed(&s, 6000, 1, 0, 10);
	feed(&s, 8000, 0, 0, 10);
	feed(&s, 9000, 0, 10, 0);
	assert_int_equal(s.ninferred, 1);
	assert_int_equal(s.nslices, 4);
	assert_int_equal(s.slices[0].start_ns, 1000);
	assert_int_equal(s.slices[0].end_ns, 2000);
	assert_int_equal(s.slices[1].start_ns, 2000); /* CPU 0's last event */
	assert_int_equal(s.slices[1].end_ns, 5000);
	assert_int_equal(s.slices[1].cpu, 0);
	assert_int_equal(s.slices[2].start_ns, 6000);
	assert_int_equal(s.slices[2].end_ns, 8000);
	assert_int_equal(s.slices[2].cpu, 1);
	assert_int_equal(s.slices[3].start_ns, 8000);
	assert_int_equal(s.slices[3].end_ns, 9000);
	assert_int_equal(s.slices[3].cpu, 0);
	tracefs_slicer_destroy(&s);
}

static void test_tracefs_missing_switch_placed_by_runtime(void **state)
{
	static const pid_t tids[] = {10};
	static const size_t tasks[] = {0};
	struct tracefs_event rt = {TRACEFS_RUNTIME, 0, 0, 0, 0, 10, 0};
	struct tracefs_slicer s;

	(void)state;
	tracefs_slicer_init(&s, tids, tasks, 1);
	feed(&s, 1000, 0, 0, 10);
	rt.runtime_ns = 700; /* a tick while it ran: counted, then reset */
	tracefs_slicer_feed(&s, &rt);
	feed(&s, 2000, 0, 10, 50);
	/* 50 -> 10 at 4000 was not recorded; it ran 2500 + 500 ns */
	rt.runtime_ns = 2500;
	tracefs_slicer_feed(&s, &rt);
	rt.runtime_ns = 500;
	tracefs_slicer_feed(&s, &rt);
	feed(&s, 7000, 0, 10, 51);
	assert_int_equal(s.ninferred, 1);
	assert_int_equal(s.nslices, 2);
	assert_int_equal(s.slices[1].start_ns, 4000);
	assert_int_equal(s.slices[1].end_ns, 7000);
	tracefs_slicer_destroy(&s);
}

/* ---- threads of a process ---- */

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int go;
	pid_t tid;
};

static void *wait_for_go(void *arg)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	w->tid = gettid();
	pthread_cond_broadcast(&w->cond);
	while (!w->go)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void test_tracefs_threads_in_creation_order(void **state)
{
	struct waiter w[3];
	pthread_t th[3];
	pid_t *tids;
	struct err err;
	size_t n, i;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		pthread_mutex_init(&w[i].lock, NULL);
		pthread_cond_init(&w[i].cond, NULL);
		assert_int_equal(
			pthread_create(&th[i], NULL, wait_for_go, &w[i]), 0);
		pthread_mutex_lock(&w[i].lock);
		while (!w[i].tid)
			pthread_cond_wait(&w[i].cond, &w[i].lock);
		pthread_mutex_unlock(&w[i].lock);
	}
	assert_int_equal(tracefs_list_threads(getpid(), &tids, &n, &err), 0);
	assert_int_equal(n, 3); /* the main thread is left out */
	for (i = 0; i < 3; i++)
		assert_int_equal(tids[i], w[i].tid);
	free(tids);
	for (i = 0; i < 3; i++) {
		pthread_mutex_lock(&w[i].lock);
		w[i].go = 1;
		pthread_cond_broadcast(&w[i].cond);
		pthread_mutex_unlock(&w[i].lock);
		pthread_join(th[i], NULL);
	}
	assert_int_equal(tracefs_list_threads(0, &tids, &n, &err), -1);
	assert_string_equal(err.msg, "cannot open '/proc/0/task': No such "
				     "file or directory");
}

/* ---- the janitor ---- */

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void test_tracefs_janitor_removes_dead_runs_instance(void **state)
{
	char base[] = "/tmp/cfssim-test-tracefs-XXXXXX";
	char inst[256], other[256], sdir[256], path[PATH_MAX];
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct journal st;
	struct err err;
	pid_t owner;

	(void)state;
	assert_non_null(mkdtemp(base));
	owner = dead_pid();
	snprintf(sdir, sizeof(sdir), "%s/state", base);
	snprintf(path, sizeof(path), "%s/instances", base);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(inst, sizeof(inst), "%s/instances/cfssim-%ld", base,
		 (long)owner);
	snprintf(other, sizeof(other), "%s/instances/someone-else", base);
	assert_int_equal(mkdir(inst, 0755), 0);
	assert_int_equal(mkdir(other, 0755), 0);
	assert_int_equal(journal_open(&st, sdir, owner, true, &err), 0);
	assert_int_equal(journal_add(&st, "trace", inst, &err), 0);
	/* a line naming what is not the owner's instance is ignored */
	assert_int_equal(journal_add(&st, "trace", other, &err), 0);
	journal_close(&st, false);
	jo.state_dir = sdir;
	jo.self = getpid();
	assert_int_equal(jan_sweep(&jo, &rep, &err), 0);
	assert_int_equal(rep.n, 1);
	snprintf(path, sizeof(path), "removed trace instance '%s'", inst);
	assert_string_equal(rep.lines[0], path);
	jan_report_destroy(&rep);
	assert_int_equal(access(inst, F_OK), -1);
	assert_int_equal(access(other, F_OK), 0);
	/* the owner is gone: no start time */
	snprintf(path, sizeof(path), "%s/%ld-0.state", sdir, (long)owner);
	assert_int_equal(access(path, F_OK), -1);
	rmdir(other);
	snprintf(path, sizeof(path), "%s/instances", base);
	rmdir(path);
	rmdir(sdir);
	assert_int_equal(rmdir(base), 0);
}

static void test_tracefs_write_and_read_errors(void **state)
{
	char base[] = "/tmp/cfssim-test-tracefs-XXXXXX", want[512];
	static const pid_t tids[] = {10};
	static const size_t tasks[] = {0};
	struct tracefs t;
	struct err err;

	(void)state;
	assert_non_null(mkdtemp(base));
	tracefs_init(&t);
	snprintf(t.dir, sizeof(t.dir), "%s", base);
	assert_int_equal(tracefs_follow(&t, tids, tasks, 1, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot write '%s/events/sched/sched_switch/filter': No such "
		 "file or directory",
		 base);
	assert_string_equal(err.msg, want);
	/* a directory stands in for trace_pipe */
	t.pipe_fd = open(base, O_RDONLY | O_CLOEXEC);
	assert_true(t.pipe_fd >= 0);
	assert_int_equal(tracefs_drain(&t, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot read '%s/trace_pipe': Is a directory", base);
	assert_string_equal(err.msg, want);
	close(t.pipe_fd);
	t.pipe_fd = -1;
	t.dir[0] = '\0';
	assert_int_equal(tracefs_close(&t, &err), 0);
	assert_int_equal(rmdir(base), 0);
}

/* ---- on the real kernel ---- */

/* Skips (or fails under CFSSIM_REQUIRE_REAL=1) when sc cannot run here or
 * tracefs is missing; sc is destroyed before skipping. */
static bool can_trace(struct scenario *sc)
{
	struct real_options opt;
	struct cg_mounts m;
	struct err err;
	char dir[TRACEFS_PATH_MAX];
	const char *req = getenv("CFSSIM_REQUIRE_REAL");
	const char *why = NULL;

	real_options_init(&opt);
	if (real_check(sc, &opt, &m, &err))
		why = err.msg;
	else if (!tracefs_find(dir, sizeof(dir)) &&
		 access(TRACEFS_MOUNT_POINT, F_OK))
		why = "tracefs is not mounted and '" TRACEFS_MOUNT_POINT
		      "' is missing";
	if (!why)
		return true;
	if (req && !strcmp(req, "1"))
		fail_msg("real backend required but unavailable: %s", why);
	print_message("skipped: %s\n", why);
	scenario_destroy(sc);
	skip();
	return false;
}

/* An instance held busy by an open trace_pipe can be neither replaced nor
 * removed. */
static void test_tracefs_busy_instance_errors(void **state)
{
	pid_t owner = dead_pid();
	char pipe_path[TRACEFS_PATH_MAX + 128], want[TRACEFS_PATH_MAX + 128];
	char dir[TRACEFS_PATH_MAX + 64];
	struct tracefs a, b;
	struct scenario sc;
	struct err err;
	int fd;

	(void)state;
	scenario_init(&sc, "probe");
	if (!can_trace(&sc))
		return;
	tracefs_init(&a);
	tracefs_init(&b);
	if (tracefs_open(&a, owner, NULL, &err))
		fail_msg("%s", err.msg);
	snprintf(pipe_path, sizeof(pipe_path), "%s/trace_pipe", a.dir);
	fd = open(pipe_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(tracefs_open(&b, owner, NULL, &err), -1);
	snprintf(want, sizeof(want),
		 "trace instance '%s' exists (another run's, or a leftover: "
		 "see 'cfssim cleanup')",
		 a.dir);
	assert_string_equal(err.msg, want);
	snprintf(want, sizeof(want),
		 "cannot remove trace instance '%s': Device or resource busy",
		 a.dir);
	snprintf(dir, sizeof(dir), "%s", a.dir);
	assert_int_equal(tracefs_close(&a, &err), -1);
	assert_string_equal(err.msg, want);
	close(fd);
	/* what could not be removed stays for the janitor; remove it now */
	assert_int_equal(rmdir(dir), 0);
	scenario_destroy(&sc);
}

static bool instance_exists(pid_t owner);

/* An existing instance cfssim-<owner> is not the new run's to take over,
 * even when nothing holds it busy: opening another one of that owner
 * fails and the first keeps its settings (trace_clock mono). */
static void test_tracefs_existing_instance_left_alone(void **state)
{
	pid_t owner = dead_pid();
	char want[TRACEFS_PATH_MAX + 192], path[TRACEFS_PATH_MAX + 128];
	char clock[256];
	struct tracefs a, b;
	struct scenario sc;
	struct err err;
	ssize_t n;
	int fd;

	(void)state;
	scenario_init(&sc, "probe");
	if (!can_trace(&sc))
		return;
	tracefs_init(&a);
	tracefs_init(&b);
	if (tracefs_open(&a, owner, NULL, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(tracefs_open(&b, owner, NULL, &err), -1);
	snprintf(want, sizeof(want),
		 "trace instance '%s' exists (another run's, or a leftover: "
		 "see 'cfssim cleanup')",
		 a.dir);
	assert_string_equal(err.msg, want);
	assert_string_equal(b.dir, "");
	assert_int_equal(tracefs_close(&b, &err), 0); /* removes nothing */
	/* still the first one: a new instance's clock is "local" */
	snprintf(path, sizeof(path), "%s/trace_clock", a.dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, clock, sizeof(clock) - 1);
	close(fd);
	assert_true(n > 0);
	clock[n] = '\0';
	assert_non_null(strstr(clock, "[mono]"));
	assert_int_equal(tracefs_close(&a, &err), 0);
	assert_false(instance_exists(owner));
	scenario_destroy(&sc);
}

static bool instance_exists(pid_t owner)
{
	char dir[TRACEFS_PATH_MAX], path[TRACEFS_PATH_MAX + 64];

	if (!tracefs_find(dir, sizeof(dir)))
		return false;
	snprintf(path, sizeof(path),
		 "%s/instances/" TRACEFS_INSTANCE_PREFIX "%ld", dir,
		 (long)owner);
	return access(path, F_OK) == 0;
}

static void test_tracefs_pinned_hog_slices_add_up(void **state)
{
	struct jan_report log = {0};
	struct real_options opt;
	struct scenario sc;
	struct results r;
	struct err err;
	uint64_t sum = 0;
	double ratio;
	size_t g, i;

	(void)state;
	scenario_init(&sc, "traced-hog");
	sc.duration_ns = 1 * NSEC_PER_SEC;
	sc.cpus = 1; /* pinned to CPU 0, alone there in the run */
	g = scenario_add_group(&sc, -1, "solo");
	scenario_add_task(&sc, g, "hog");
	if (!can_trace(&sc))
		return;
	real_options_init(&opt);
	opt.timeline = true;
	opt.log = &log;
	if (real_run(&sc, &opt, &r, &err))
		fail_msg("%s", err.msg);
	for (i = 0; i < log.n; i++)
		print_message("%s\n", log.lines[i]);
	jan_report_destroy(&log);
	assert_non_null(r.timeline);
	assert_true(r.timeline->nslices > 0);
	for (i = 0; i < r.timeline->nslices; i++) {
		const struct run_slice *s = &r.timeline->slices[i];

		assert_int_equal(s->task, 0);
		assert_int_equal(s->cpu, 0);
		assert_true(s->end_ns <= sc.duration_ns);
		sum += s->end_ns - s->start_ns;
	}
	ratio = (double)sum / (double)r.tasks[0].runtime_ns;
	print_message("%zu slices, %.3f ms of %.3f ms runtime (%.4f)\n",
		      r.timeline->nslices, sum / 1e6,
		      r.tasks[0].runtime_ns / 1e6, ratio);
	assert_true(ratio > 0.98 && ratio < 1.02);
	/* no quota: no period samples */
	assert_int_equal(r.timeline->nperiods, 0);
	assert_false(instance_exists(getpid()));
	results_destroy(&r);
	scenario_destroy(&sc);
}

static const char sigint_yaml[] = "name: traced-interrupt\n"
				  "duration: 3s\n"
				  "cpus: 1\n"
				  "groups:\n"
				  "  - name: a\n"
				  "    quota: 50ms\n"
				  "    tasks:\n"
				  "      - name: hog\n"
				  "        workload: hog\n";

/* Starts `cfssim real` on sigint_yaml (extra arguments after the file)
 * and waits until its trace instance exists and the run is under way. */
static pid_t start_traced(const char *exe, char *yaml, const char *extra,
			  int *err_fd)
{
	struct timespec ts = {0, 20 * 1000000};
	int fd, errp[2], i;
	pid_t pid;

	fd = mkstemps(yaml, 5);
	assert_true(fd >= 0);
	assert_true(write(fd, sigint_yaml, strlen(sigint_yaml)) ==
		    (ssize_t)strlen(sigint_yaml));
	close(fd);
	assert_int_equal(pipe(errp), 0);
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(errp[1], 2);
		close(errp[0]);
		execl(exe, exe, "real", yaml, "--trace", extra, (char *)NULL);
		_exit(127);
	}
	close(errp[1]);
	*err_fd = errp[0];
	for (i = 0; i < 400 && !instance_exists(pid); i++)
		nanosleep(&ts, NULL);
	assert_true(instance_exists(pid));
	ts.tv_nsec = 400 * 1000000; /* into the run */
	nanosleep(&ts, NULL);
	return pid;
}

static void test_tracefs_sigkill_instance_swept(void **state)
{
	char yaml[] = "/tmp/cfssim-test-tracefs-XXXXXX.yaml";
	char exe[PATH_MAX + 16], want[TRACEFS_PATH_MAX + 128];
	char dir[TRACEFS_PATH_MAX];
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct timespec ts = {0, 300 * 1000000};
	struct scenario sc;
	struct cg_mounts m;
	struct err err;
	int status, err_fd;
	bool found = false;
	size_t i;
	pid_t pid;

	(void)state;
	if (!real_cfssim_path(exe, sizeof(exe))) {
		print_message("skipped: '%s' is not built (make)\n", exe);
		skip();
	}
	scenario_init(&sc, "probe");
	if (!can_trace(&sc))
		return;
	pid = start_traced(exe, yaml, "/dev/null", &err_fd);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(yaml);
	close(err_fd);
	nanosleep(&ts, NULL); /* the pid namespaces die with their inits */
	assert_true(instance_exists(pid));
	assert_int_equal(cg_detect("/proc/self/mountinfo", "/proc/self/cgroup",
				   &m, &err),
			 0);
	jo.state_dir = JOURNAL_DIR;
	jo.mounts = &m;
	jo.net = true;
	jo.self = getpid();
	if (jan_sweep(&jo, &rep, &err))
		fail_msg("%s", err.msg);
	assert_true(tracefs_find(dir, sizeof(dir)));
	snprintf(want, sizeof(want),
		 "removed trace instance '%s/instances/" TRACEFS_INSTANCE_PREFIX
		 "%ld'",
		 dir, (long)pid);
	for (i = 0; i < rep.n; i++)
		found = found || !strcmp(rep.lines[i], want);
	jan_report_destroy(&rep);
	assert_true(found);
	assert_false(instance_exists(pid));
	scenario_destroy(&sc);
}

static void test_tracefs_instance_gone_after_sigint(void **state)
{
	char yaml[] = "/tmp/cfssim-test-tracefs-XXXXXX.yaml";
	char exe[PATH_MAX + 16], trace[64], msg[2048];
	struct scenario sc;
	int status, err_fd;
	const char *tail;
	ssize_t n;
	pid_t pid;

	(void)state;
	if (!real_cfssim_path(exe, sizeof(exe))) {
		print_message("skipped: '%s' is not built (make)\n", exe);
		skip();
	}
	scenario_init(&sc, "probe");
	if (!can_trace(&sc))
		return;
	snprintf(trace, sizeof(trace), "/tmp/cfssim-test-tracefs-%ld.json",
		 (long)getpid());
	pid = start_traced(exe, yaml, trace, &err_fd);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(yaml);
	n = read(err_fd, msg, sizeof(msg) - 1);
	close(err_fd);
	msg[n > 0 ? n : 0] = '\0';
	tail = strstr(msg, "cfssim: interrupted by SIGINT");
	assert_non_null(tail);
	assert_string_equal(tail, "cfssim: interrupted by SIGINT; the run's "
				  "cgroups, containers and links were "
				  "removed\n");
	assert_true(WIFSIGNALED(status));
	assert_false(instance_exists(pid));
	assert_int_equal(access(trace, F_OK), -1); /* nothing written */
	scenario_destroy(&sc);
}

static const char cli_yaml[] = "name: cli-timeline\n"
			       "duration: 1s\n"
			       "cpus: 1\n"
			       "groups:\n"
			       "  - name: capped\n"
			       "    quota: 30ms\n"
			       "    tasks:\n"
			       "      - name: hog\n"
			       "        workload: hog\n";

static size_t count_lines(const char *path)
{
	size_t n = 0;
	int c;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* cfssim real --timeline DIR --trace FILE, and cfssim plot --real. */
static void test_tracefs_cli_real_timeline_trace_plot(void **state)
{
	char base[] = "/tmp/cfssim-test-tracefs-XXXXXX";
	char exe[PATH_MAX + 16], cmd[2 * PATH_MAX + 256], path[PATH_MAX];
	static const char *const pictures[] = {"usage", "throttling", "gantt"};
	struct scenario sc;
	struct err err;
	size_t i, n;
	FILE *f;

	(void)state;
	if (!real_cfssim_path(exe, sizeof(exe))) {
		print_message("skipped: '%s' is not built (make)\n", exe);
		skip();
	}
	scenario_init(&sc, "probe");
	if (!can_trace(&sc))
		return;
	assert_non_null(mkdtemp(base));
	snprintf(path, sizeof(path), "%s/s.yaml", base);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(cli_yaml, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "'%s' real '%s/s.yaml' --timeline '%s/tl' --trace "
		 "'%s/t.json' >/dev/null 2>&1",
		 exe, base, base, base);
	assert_int_equal(system(cmd), 0);
	/* a header and 9 or 10 periods in 1 s */
	snprintf(path, sizeof(path), "%s/tl/periods.csv", base);
	n = count_lines(path);
	print_message("periods.csv: %zu lines\n", n);
	assert_true(n >= 10 && n <= 11);
	snprintf(path, sizeof(path), "%s/tl/slices.csv", base);
	assert_true(count_lines(path) >= 10);
	snprintf(path, sizeof(path), "%s/t.json", base);
	assert_true(file_size(path) > 1000);
	/* the source tree's scripts, wherever the build put cfssim (make
	 * test runs from the top of the tree) */
	if (!getenv("CFSSIM_PLOTS_DIR") && realpath("plots", path))
		setenv("CFSSIM_PLOTS_DIR", path, 1);
	if (plot_find_gnuplot(NULL, path, sizeof(path), &err)) {
		print_message("plot --real not tried: %s\n", err.msg);
		goto out;
	}
	snprintf(cmd, sizeof(cmd),
		 "'%s' plot '%s/s.yaml' -o '%s/plots' --real >/dev/null 2>&1",
		 exe, base, base);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof(pictures) / sizeof(pictures[0]); i++) {
		snprintf(path, sizeof(path), "%s/plots/%s.png", base,
			 pictures[i]);
		assert_true(file_size(path) > 5000);
		snprintf(path, sizeof(path), "%s/plots/%s.svg", base,
			 pictures[i]);
		assert_true(file_size(path) > 5000);
	}
out:
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracefs_parses_sched_switch),
		cmocka_unit_test(test_tracefs_comm_with_spaces_and_arrows),
		cmocka_unit_test(test_tracefs_other_lines),
		cmocka_unit_test(test_tracefs_bad_line_message),
		cmocka_unit_test(test_tracefs_slices_from_switches),
		cmocka_unit_test(test_tracefs_missing_switches_inferred),
		cmocka_unit_test(test_tracefs_missing_switch_placed_by_runtime),
		cmocka_unit_test(test_tracefs_parses_stat_runtime),
		cmocka_unit_test(test_tracefs_threads_in_creation_order),
		cmocka_unit_test(
			test_tracefs_janitor_removes_dead_runs_instance),
		cmocka_unit_test(test_tracefs_write_and_read_errors),
		cmocka_unit_test(test_tracefs_busy_instance_errors),
		cmocka_unit_test(test_tracefs_existing_instance_left_alone),
		cmocka_unit_test(test_tracefs_pinned_hog_slices_add_up),
		cmocka_unit_test(test_tracefs_instance_gone_after_sigint),
		cmocka_unit_test(test_tracefs_sigkill_instance_swept),
		cmocka_unit_test(test_tracefs_cli_real_timeline_trace_plot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
