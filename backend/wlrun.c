#include "backend/wlrun.h"

#include "backend/wlreq.h"
#include "backend/wlspin.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* One finished periodic activation, times since the start instant. */
struct wlrun_act {
	uint64_t activation_ns, first_run_ns, end_ns;
};

/* activations a thread keeps at most (the rest go unreported) */
#define WLRUN_MAX_ACTS 1000000

struct wlrun_acts {
	struct wlrun_act *v;
	size_t n, cap;
};

struct wlrun_thread {
	struct wlrun *run;
	const struct wlproto_task *task;
	unsigned index; /* thread index within the task */
	pthread_t handle;
	struct wlproto_thread result;
	struct wlrun_acts acts; /* periodic: its activations */
};

struct wlrun_gen_thread {
	struct wlrun *run;
	struct wlreq_gen *gen;
	bool sender; /* else the receiver */
	pthread_t handle;
};

static void acts_add(struct wlrun_acts *a, uint64_t activation_ns,
		     uint64_t first_run_ns, uint64_t end_ns)
{
	if (a->n == WLRUN_MAX_ACTS)
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v)
			abort();
	}
	a->v[a->n++] = (struct wlrun_act){activation_ns, first_run_ns, end_ns};
}

static uint64_t read_u64_field(const char *text, const char *key, int *found)
{
	const char *p = strstr(text, key);

	if (!p)
		return 0;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	(*found)++;
	return strtoull(p, NULL, 10);
}

/* With open and read, not stdio: no allocation, so no lock another thread
 * can hold, which would count as a voluntary switch of the sampled thread. */
static int read_file(const char *path, char *buf, size_t len, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return err_set(err, errno, "cannot open '%s'", path);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return err_set(err, errno, "cannot read '%s'", path);
	buf[n] = '\0';
	return 0;
}

int wlrun_sample(pid_t tid, struct wlrun_sample *s, struct err *err)
{
	char path[64], buf[2048];
	int found = 0;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)tid);
	if (read_file(path, buf, sizeof(buf), err))
		return -1;
	if (sscanf(buf, "%" SCNu64 " %" SCNu64, &s->runtime_ns, &s->wait_ns) !=
	    2)
		return err_set(err, 0, "cannot parse '%s'", path);
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	if (read_file(path, buf, sizeof(buf), err))
		return -1;
	s->nr_voluntary =
		read_u64_field(buf, "\nvoluntary_ctxt_switches:", &found);
	s->nr_involuntary =
		read_u64_field(buf, "\nnonvoluntary_ctxt_switches:", &found);
	if (found != 2)
		return err_set(err, 0, "cannot parse '%s'", path);
	return 0;
}

/* wlrun_execute, recording a periodic thread's activations into acts
 * (unless NULL): each one's instant, when the thread first ran for it (it
 * woke up, or was running already), and when it completed. */
static void execute(const struct workload *wl, uint64_t seed, unsigned task,
		    unsigned thread, uint64_t start_ns, uint64_t duration_ns,
		    uint64_t spin_iters_per_us, struct wlrun_acts *acts)
{
	uint64_t end_ns = start_ns + duration_ns, now_rel, cpu_base;
	uint64_t cpu_target = 0; /* sum of the RUN steps so far */
	uint64_t first_run;
	struct wl_cursor cur;
	struct wl_step step;

	if (wl->start_ns >= duration_ns)
		return;
	wlspin_sleep_until(start_ns + wl->start_ns);
	wl_cursor_init(&cur, wl, seed, task, thread);
	/* RUN steps spin up to the running total, so the CPU the thread
	 * spends between steps (waking up, reading clocks, going to sleep)
	 * counts against the next step instead of adding up over a run */
	cpu_base = wlspin_thread_cpu_ns();
	now_rel = wl->start_ns;
	for (;;) {
		wl_next(&cur, now_rel, &step);
		switch (step.kind) {
		case WL_STEP_RUN:
			if (step.ns == UINT64_MAX) {
				wlspin_spin(step.ns, end_ns, spin_iters_per_us);
				return;
			}
			cpu_target += step.ns;
			first_run = wlspin_now_ns();
			if (wlspin_to(cpu_base + cpu_target, end_ns,
				      spin_iters_per_us))
				return;
			if (acts && wl->kind == WL_PERIODIC)
				acts_add(acts,
					 wl->start_ns +
						 cur.activation * wl->period_ns,
					 first_run - start_ns,
					 wlspin_now_ns() - start_ns);
			break;
		case WL_STEP_SLEEP_UNTIL:
			if (step.ns >= duration_ns) {
				wlspin_sleep_until(end_ns);
				return;
			}
			wlspin_sleep_until(start_ns + step.ns);
			break;
		case WL_STEP_EXIT:
			return;
		}
		now_rel = wlspin_now_ns() - start_ns;
		if (now_rel >= duration_ns)
			return;
	}
}

void wlrun_execute(const struct workload *wl, uint64_t seed, unsigned task,
		   unsigned thread, uint64_t start_ns, uint64_t duration_ns,
		   uint64_t spin_iters_per_us)
{
	execute(wl, seed, task, thread, start_ns, duration_ns,
		spin_iters_per_us, NULL);
}

static void sample_or_zero(pid_t tid, struct wlrun_sample *s)
{
	struct err err;

	if (wlrun_sample(tid, s, &err))
		memset(s, 0, sizeof(*s));
}

/* The kernel's struct sched_attr (include/uapi/linux/sched/types.h), first
 * version: glibc has no wrapper for sched_setattr. */
struct wl_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

/* kernel 6.12+: a SCHED_OTHER thread asks for an EEVDF slice of
 * sched_runtime (__setparam_fair); nice is passed again as the call sets
 * it too */
static int set_slice(pid_t tid, int nice, uint64_t slice_ns)
{
	struct wl_sched_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = 0; /* SCHED_OTHER */
	a.sched_nice = nice;
	a.sched_runtime = slice_ns;
	return syscall(SYS_sched_setattr, tid, &a, 0U) ? errno : 0;
}

/* Tells wlrun_start this thread is set up (rc: an errno, 0 = fine). */
static void report_ready(struct wlrun *r, const struct wlproto_task *task,
			 int rc)
{
	pthread_mutex_lock(&r->lock);
	if (rc && !r->setup_errno) {
		r->setup_errno = rc;
		r->setup_task = task->name;
	}
	r->nready++;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void *thread_main(void *arg)
{
	struct wlrun_thread *t = arg;
	struct wlrun *r = t->run;
	const struct wlproto_task *task = t->task;
	struct wlrun_sample before, after;
	pid_t tid = gettid();
	char name[16];
	uint64_t start_ns, charged;

	/* per-thread nice: Linux applies PRIO_PROCESS to a single tid */
	setpriority(PRIO_PROCESS, (id_t)tid, task->nice);
	report_ready(r, task,
		     task->slice_ns ?
			     set_slice(tid, task->nice, task->slice_ns) :
			     0);
	/* wake at the activation instants, not up to 50 us after them (the
	 * default timer slack); the simulator's timers are exact */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	snprintf(name, sizeof(name), "%.15s", task->name);
	pthread_setname_np(pthread_self(), name);

	pthread_mutex_lock(&r->lock);
	while (!r->go)
		pthread_cond_wait(&r->cond, &r->lock);
	start_ns = r->start_ns;
	pthread_mutex_unlock(&r->lock);
	if (!start_ns)
		return NULL; /* cancelled before the start */

	/* the figures count from the thread's own start: the wait for it
	 * is no switch and no runtime of the run (the simulator's thread
	 * just arrives) */
	if (task->wl.start_ns < r->spec->duration_ns)
		wlspin_sleep_until(start_ns + task->wl.start_ns);
	sample_or_zero(tid, &before);
	charged = wlspin_charged_ns();
	if (task->wl.kind == WL_REQUESTS) {
		if (task->wl.start_ns < r->spec->duration_ns)
			wlspin_sleep_until(start_ns + task->wl.start_ns);
		wlreq_serve(r->task_fd[task - r->spec->tasks],
			    start_ns + r->spec->duration_ns,
			    r->spin_iters_per_us);
	} else {
		execute(&task->wl, r->spec->seed, task->index, t->index,
			start_ns, r->spec->duration_ns, r->spin_iters_per_us,
			&t->acts);
	}
	sample_or_zero(tid, &after);

	t->result.runtime_ns = after.runtime_ns - before.runtime_ns;
	t->result.charged_ns = wlspin_charged_ns() - charged;
	t->result.wait_ns = after.wait_ns - before.wait_ns;
	t->result.nr_voluntary = after.nr_voluntary - before.nr_voluntary;
	t->result.nr_involuntary = after.nr_involuntary - before.nr_involuntary;
	return NULL;
}

/* wait for the start like the others, then send or receive */
static void *gen_main(void *arg)
{
	struct wlrun_gen_thread *t = arg;
	struct wlrun *r = t->run;
	uint64_t start_ns;

	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	pthread_setname_np(pthread_self(), t->sender ? "send" : "receive");
	pthread_mutex_lock(&r->lock);
	while (!r->go)
		pthread_cond_wait(&r->cond, &r->lock);
	start_ns = r->start_ns;
	pthread_mutex_unlock(&r->lock);
	if (!start_ns)
		return NULL;
	t->gen->start_ns = start_ns;
	if (t->sender)
		wlreq_gen_send(t->gen);
	else
		wlreq_gen_receive(t->gen);
	return NULL;
}

static void release(struct wlrun *r, uint64_t start_ns)
{
	pthread_mutex_lock(&r->lock);
	r->start_ns = start_ns;
	r->go = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void join_started(struct wlrun *r)
{
	size_t i;

	for (i = 0; i < r->nstarted; i++)
		pthread_join(r->threads[i].handle, NULL);
	r->nstarted = 0;
	for (i = 0; i < r->ngen_started; i++)
		pthread_join(r->gen_threads[i].handle, NULL);
	r->ngen_started = 0;
}

/* Sockets of the servers and the generators, before any thread exists. */
static int net_setup_tasks(struct wlrun *r, const struct wlproto_spec *spec,
			   struct err *err)
{
	size_t i, g = 0;

	r->task_fd =
		calloc(spec->ntasks ? spec->ntasks : 1, sizeof(*r->task_fd));
	r->gens = calloc(spec->ntasks ? spec->ntasks : 1, sizeof(*r->gens));
	r->gen_threads = calloc(2 * (spec->ntasks ? spec->ntasks : 1),
				sizeof(*r->gen_threads));
	if (!r->task_fd || !r->gens || !r->gen_threads)
		abort();
	for (i = 0; i < spec->ntasks; i++)
		r->task_fd[i] = -1;
	for (i = 0; i < spec->ntasks; i++) {
		const struct wlproto_task *t = &spec->tasks[i];

		if (t->wl.kind != WL_REQUESTS)
			continue;
		if (t->target_port) {
			if (wlreq_gen_init(&r->gens[g++], t, spec->seed,
					   spec->duration_ns, err))
				return -1;
			r->ngens = g;
		} else if (!t->listen_port) {
			return err_set(err, 0, "requests task '%s' has no port",
				       t->name);
		} else if (wlreq_listen(t->listen_port, &r->task_fd[i], err)) {
			return -1;
		}
	}
	r->ngens = g;
	return 0;
}

static void net_close_tasks(struct wlrun *r)
{
	size_t i;

	for (i = 0; r->task_fd && r->spec && i < r->spec->ntasks; i++)
		if (r->task_fd[i] >= 0)
			close(r->task_fd[i]);
	for (i = 0; i < r->ngens; i++)
		wlreq_gen_destroy(&r->gens[i]);
	free(r->task_fd);
	free(r->gens);
	free(r->gen_threads);
	r->task_fd = NULL;
	r->gens = NULL;
	r->gen_threads = NULL;
	r->ngens = 0;
}

/* Thread stacks: the runner needs a few KiB; glibc's default of 8 MiB per
 * thread would reserve gigabytes for a task with thousands of threads. */
#define THREAD_STACK_BYTES (256 * 1024)

int wlrun_start(struct wlrun *r, const struct wlproto_spec *spec,
		struct err *err)
{
	size_t i, n = 0, k = 0;
	pthread_attr_t attr;
	unsigned j;
	int rc;

	memset(r, 0, sizeof(*r));
	r->spec = spec;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	for (i = 0; i < spec->ntasks; i++)
		if (!spec->tasks[i].target_port)
			n += spec->tasks[i].count;
	r->threads = calloc(n ? n : 1, sizeof(*r->threads));
	if (!r->threads)
		abort();
	r->nthreads = n;
	if (net_setup_tasks(r, spec, err))
		return -1;
	r->spin_iters_per_us = wlspin_calibrate();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
	for (i = 0; i < r->ngens; i++) {
		for (j = 0; j < 2; j++) {
			struct wlrun_gen_thread *t =
				&r->gen_threads[r->ngen_started];

			t->run = r;
			t->gen = &r->gens[i];
			t->sender = j == 0;
			rc = pthread_create(&t->handle, &attr, gen_main, t);
			if (rc) {
				pthread_attr_destroy(&attr);
				release(r, 0);
				join_started(r);
				return err_set(err, rc,
					       "cannot create a thread of the "
					       "load generator");
			}
			r->ngen_started++;
		}
	}
	for (i = 0; i < spec->ntasks; i++) {
		if (spec->tasks[i].target_port)
			continue;
		for (j = 0; j < spec->tasks[i].count; j++, k++) {
			struct wlrun_thread *t = &r->threads[k];

			t->run = r;
			t->task = &spec->tasks[i];
			t->index = j;
			t->result.task = spec->tasks[i].index;
			t->result.thread = j;
			rc = pthread_create(&t->handle, &attr, thread_main, t);
			if (rc) {
				pthread_attr_destroy(&attr);
				release(r, 0);
				join_started(r);
				return err_set(err, rc,
					       "cannot create thread %u of "
					       "task '%s'",
					       j, spec->tasks[i].name);
			}
			r->nstarted++;
		}
	}
	pthread_attr_destroy(&attr);
	/* every thread has its nice value and slice before "ready" */
	pthread_mutex_lock(&r->lock);
	while (r->nready < r->nstarted)
		pthread_cond_wait(&r->cond, &r->lock);
	rc = r->setup_errno;
	pthread_mutex_unlock(&r->lock);
	if (rc) {
		const char *name = r->setup_task;

		release(r, 0);
		join_started(r);
		return err_set(err, rc, "cannot set the slice of task '%s'",
			       name);
	}
	return 0;
}

void wlrun_go(struct wlrun *r, uint64_t start_ns)
{
	release(r, start_ns);
}

/* At the end of the run, wakes the request workers blocked in their
 * receive: a shutdown wakes every thread waiting on the socket, and their
 * receive returns 0.  (A receive time-out would wake each idle worker
 * again and again, each time a voluntary switch the simulated worker,
 * asleep until its next request, does not make.) */
static void end_serving(struct wlrun *r)
{
	uint64_t start_ns;
	size_t i;

	pthread_mutex_lock(&r->lock);
	start_ns = r->start_ns;
	pthread_mutex_unlock(&r->lock);
	if (!start_ns || !r->task_fd)
		return;
	for (i = 0; i < r->spec->ntasks; i++)
		if (r->task_fd[i] >= 0)
			break;
	if (i == r->spec->ntasks)
		return;
	wlspin_sleep_until(start_ns + r->spec->duration_ns);
	for (i = 0; i < r->spec->ntasks; i++)
		if (r->task_fd[i] >= 0)
			shutdown(r->task_fd[i], SHUT_RD);
}

void wlrun_join(struct wlrun *r, struct wlproto_thread *results)
{
	size_t i;

	end_serving(r);
	join_started(r);
	for (i = 0; results && i < r->nthreads; i++)
		results[i] = r->threads[i].result;
}

void wlrun_report_latency(const struct wlrun *r, FILE *out)
{
	size_t i, j;

	for (i = 0; i < r->nthreads; i++) {
		const struct wlrun_thread *t = &r->threads[i];

		for (j = 0; j < t->acts.n; j++)
			fprintf(out,
				"act %u %u %" PRIu64 " %" PRIu64 " %" PRIu64
				"\n",
				t->task->index, t->index,
				t->acts.v[j].activation_ns,
				t->acts.v[j].first_run_ns, t->acts.v[j].end_ns);
	}
	for (i = 0; i < r->ngens; i++)
		wlreq_gen_report(&r->gens[i], out);
}

void wlrun_destroy(struct wlrun *r)
{
	size_t i;

	if (r->threads) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
	}
	for (i = 0; r->threads && i < r->nthreads; i++)
		free(r->threads[i].acts.v);
	net_close_tasks(r);
	free(r->threads);
	r->threads = NULL;
	r->nthreads = 0;
}
