/* Requests over the network in a real run, inside the workload program: a
 * server task's threads take datagrams from one UDP socket (the kernel
 * queues them in arrival order and wakes one waiting thread per datagram),
 * burn each request's service time on the thread's CPU clock and reply; a
 * load generator sends the task's request stream (model/reqstream.h, the
 * simulator's) at the scheduled instants and timestamps the replies.
 * struct wlreq_gen owns its socket and arrays. */
#ifndef BACKEND_WLREQ_H
#define BACKEND_WLREQ_H

#include <stdint.h>
#include <stdio.h>

#include "backend/wlproto.h"
#include "base/err.h"
#include "model/reqstream.h"

/* A UDP socket bound to port on every address, with a receive buffer big
 * enough for the requests a throttled server lets pile up. */
int wlreq_listen(uint16_t port, int *fd, struct err *err);

/* Serves requests from fd on the calling thread until CLOCK_MONOTONIC
 * reaches end_ns; a thread blocked in the receive then needs the socket
 * shut down to see the end (wlrun_join does).  The service times add up
 * on the thread's CPU clock from its first request, so what the thread
 * spends receiving and replying is taken from the next request's spin, as
 * wlrun does between steps. */
void wlreq_serve(int fd, uint64_t end_ns, uint64_t spin_iters_per_us);

struct wlreq_gen {
	const struct wlproto_task *task; /* borrowed */
	struct req_item *items;		 /* the stream, owned */
	size_t nitems;
	uint64_t *end_ns; /* [nitems] reply time since start, 0 = none */
	int fd;
	uint64_t start_ns, duration_ns;
};

/* Draws the stream of task t (seed, duration) and opens the socket. */
int wlreq_gen_init(struct wlreq_gen *g, const struct wlproto_task *t,
		   uint64_t seed, uint64_t duration_ns, struct err *err);
/* The sender: each request at start_ns + its arrival (thread body). */
void wlreq_gen_send(struct wlreq_gen *g);
/* The receiver: replies until the end of the run (thread body). */
void wlreq_gen_receive(struct wlreq_gen *g);
/* "req" lines for the answered requests. */
void wlreq_gen_report(const struct wlreq_gen *g, FILE *out);
void wlreq_gen_destroy(struct wlreq_gen *g);

#endif
