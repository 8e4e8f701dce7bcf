/* The request stream of a WL_REQUESTS task: when each request arrives and
 * how much CPU time it needs, drawn from the scenario seed.  The simulator
 * and the load generator of a real run call the same function, so both see
 * the same requests.  The caller owns the array it returns. */
#ifndef MODEL_REQSTREAM_H
#define MODEL_REQSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct req_item {
	uint64_t arrival_ns; /* scheduled, since the scenario started */
	uint64_t service_ns; /* CPU time, >= 1 */
};

/* The requests of scenario task `task` (workload wl) arriving before
 * end_ns, in arrival order, into *out (malloc'ed, NULL when none); returns
 * how many.  Arrivals are drawn from rng_derive(seed, task, REQ_STREAM_ID,
 * 1) and service times from (seed, task, REQ_STREAM_ID, 2), so changing the
 * rate leaves the service times alone.  Poisson gaps start at wl->start_ns;
 * uniform arrivals and batches fall at start_ns + k * gap, k >= 0. */
size_t req_stream(const struct workload *wl, uint64_t seed, unsigned task,
		  uint64_t end_ns, struct req_item **out);

/* not a thread index: the stream's draws never meet a thread's */
#define REQ_STREAM_ID (1ULL << 40)

#endif
