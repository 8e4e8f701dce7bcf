/* lat.c: latency of request and periodic workloads in the engine (the
 * request stream, the worker pool with its FIFO queue, the exact
 * breakdown of each request), and the engine.c helpers it drives a task
 * with.  The struct sim_lat hangs off struct sim, which owns it. */
#ifndef SIM_LAT_H
#define SIM_LAT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/results.h"
#include "sim/sched.h"

/* Sets up s->lat when a task has latency to record (every request
 * workload; periodic ones when activations is true); arms the arrivals. */
void lat_init(struct sim *s, bool activations);
void lat_destroy(struct sim *s);
/* EV_WAKE of p: true when lat.c took care of it (a request worker). */
bool lat_wake(struct sim *s, struct task *p);
/* p's periodic activation began now (after the workload said RUN). */
void lat_begin(struct sim *s, struct task *p);
/* p's burst ended (EV_RUN_DONE, past the resched check): true when lat.c
 * took care of what p does next (a request worker). */
bool lat_run_done(struct sim *s, struct task *p);
void lat_switched_in(struct sim *s, struct task *p);
/* p moves to the queue `to` (load balance) while runnable */
void lat_migrate(struct sim *s, struct task *p, struct cfs_rq *to);
/* cfs_rq's throttle_count left 0 (on) or came back to it (off) */
void lat_throttle_change(struct sim *s, struct cfs_rq *cfs_rq, bool on);
/* EV_ARRIVAL: the requests due now arrive */
void lat_arrival(struct sim *s, struct sim_event *ev);
/* Appends the latency results (before the task array is reused). */
void lat_fill(struct sim *s, struct results *r);

/* engine.c: a new or sleeping task wakes up to run ns of CPU time */
void sim_task_wake_to_run(struct sim *s, struct task *p, uint64_t ns);
/* engine.c: the running task, its burst just done, goes on with ns more */
void sim_task_run_more(struct sim *s, struct task *p, uint64_t ns);
/* engine.c: the running task, its burst just done, sleeps until woken */
void sim_task_block(struct sim *s, struct task *p);

#endif
