/* lat.c: latency of request and periodic workloads in the engine (the
 * request stream, the worker pool with its FIFO queue, the exact
 * breakdown of each request).  lat.c decides which worker takes which
 * request; engine.c, above it, wakes, runs and blocks the workers.  The
 * struct sim_lat hangs off struct sim, which owns it. */
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
/* EV_WAKE of p: a request worker (returned: its source, to dispatch from)
 * goes idle until a request comes; NULL for any other task. */
struct lat_source *lat_wake(struct sim *s, struct task *p);
/* The next request for an idle worker of src, or NULL (lat.c). */
struct task *lat_dispatch(struct sim *s, struct lat_source *src,
			  uint64_t *service_ns, uint64_t *arrival_ns);
/* The worker dispatched to a request was woken: its request starts now. */
void lat_request_begin(struct sim *s, struct task *p, uint64_t arrival_ns);
/* p's periodic activation began now (after the workload said RUN). */
void lat_begin(struct sim *s, struct task *p);
/* What p does after its burst (EV_RUN_DONE, past the resched check). */
enum lat_next {
	LAT_WORKLOAD, /* not a request worker: ask its workload */
	LAT_RUN_MORE, /* the next request: *service_ns more CPU, then
		       * lat_request_begin(*arrival_ns) */
	LAT_BLOCK,    /* no request waits: the worker sleeps until one does */
};
enum lat_next lat_run_done(struct sim *s, struct task *p, uint64_t *service_ns,
			   uint64_t *arrival_ns);
void lat_switched_in(struct sim *s, struct task *p);
/* p moves to the queue `to` (load balance) while runnable */
void lat_migrate(struct sim *s, struct task *p, struct cfs_rq *to);
/* cfs_rq's throttle_count left 0 (on) or came back to it (off) */
void lat_throttle_change(struct sim *s, struct cfs_rq *cfs_rq, bool on);
/* EV_ARRIVAL: the requests due now arrive; returns their source, to
 * dispatch from */
struct lat_source *lat_arrival(struct sim *s, struct sim_event *ev);
/* Appends the latency results (before the task array is reused). */
void lat_fill(struct sim *s, struct results *r);

#endif
