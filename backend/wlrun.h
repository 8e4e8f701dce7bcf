/* The workload runner: threads that follow the simulator's cursor
 * (model/workload.h), RUN steps burning the thread's CPU time, SLEEP_UNTIL
 * steps as absolute CLOCK_MONOTONIC sleeps from a common start instant.
 * Used by the static cfssim-workload and by tests in-process.  struct wlrun
 * owns its threads and results; the spec is borrowed and must outlive it. */
#ifndef BACKEND_WLRUN_H
#define BACKEND_WLRUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "backend/wlproto.h"
#include "backend/wlspin.h"
#include "base/err.h"
#include "model/workload.h"

/* Scheduler counters of one thread (from /proc/self/task/<tid>/). */
struct wlrun_sample {
	uint64_t runtime_ns; /* schedstat field 1 */
	uint64_t wait_ns;    /* schedstat field 2 (run_delay) */
	uint64_t nr_voluntary;
	uint64_t nr_involuntary;
};

struct wlrun_thread;
struct wlreq_gen;
struct wlrun_gen_thread;

struct wlrun {
	const struct wlproto_spec *spec; /* borrowed */
	struct wlrun_thread *threads;	 /* owned */
	size_t nthreads;
	size_t nstarted;	    /* threads created */
	uint64_t spin_iters_per_us; /* calibrated */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t nready;		/* threads done setting themselves up */
	int setup_errno;	/* first failure of a thread's set-up */
	const char *setup_task; /* its task's name */
	bool go;		/* start_ns is set */
	uint64_t start_ns;	/* CLOCK_MONOTONIC */
	int *task_fd;		/* [spec->ntasks] a server's socket, -1 */
	struct wlreq_gen *gens; /* load generators, owned */
	size_t ngens;
	struct wlrun_gen_thread *gen_threads; /* two per generator */
	size_t ngen_started;
};

/* Reads the counters of thread tid of this process. */
int wlrun_sample(pid_t tid, struct wlrun_sample *s, struct err *err);

/* Runs one thread's workload on the calling thread from the start instant
 * start_ns for duration_ns; it sleeps until start_ns + wl->start_ns itself.
 * RUN steps spin until the thread's CPU time since it started reaches the
 * sum of the RUN steps so far, so the overhead between steps is absorbed
 * and the total matches the workload's. */
void wlrun_execute(const struct workload *wl, uint64_t seed, unsigned task,
		   unsigned thread, uint64_t start_ns, uint64_t duration_ns,
		   uint64_t spin_iters_per_us);

/* Creates every thread of every task of spec (count each, nice applied to
 * the thread with setpriority); they wait for wlrun_go.  A requests task
 * with a listen port gets its socket first and its threads serve it; one
 * with a target is a load generator: a sender and a receiver thread, not
 * among nthreads.  On failure the threads already created are stopped and
 * joined. */
int wlrun_start(struct wlrun *r, const struct wlproto_spec *spec,
		struct err *err);

/* Releases the threads: they start at start_ns (CLOCK_MONOTONIC); 0
 * cancels them instead (they return without running). */
void wlrun_go(struct wlrun *r, uint64_t start_ns);

/* Waits for every thread; fills results[nthreads] (unless NULL) in spec
 * order (task, then thread index) with counters measured from just before
 * the start instant to the end of the run (or the thread's exit). */
void wlrun_join(struct wlrun *r, struct wlproto_thread *results);

/* After wlrun_join: the "act" lines of the periodic threads and the "req"
 * lines of the generators. */
void wlrun_report_latency(const struct wlrun *r, FILE *out);

/* Frees the threads' storage (after wlrun_join, or a failed start). */
void wlrun_destroy(struct wlrun *r);

#endif
