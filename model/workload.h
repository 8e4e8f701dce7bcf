/* Workload semantics shared by the simulator and the program that runs in
 * real containers: a cursor turns a struct workload into a sequence of steps
 * (run this much CPU time, sleep until this instant, exit).  Times are ns
 * since the scenario started; the cursor keeps the activation grid. */
#ifndef MODEL_WORKLOAD_H
#define MODEL_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "base/rng.h"

enum wl_step_kind {
	WL_STEP_RUN,	     /* consume ns of CPU time */
	WL_STEP_SLEEP_UNTIL, /* sleep until absolute time ns */
	WL_STEP_EXIT,	     /* the thread is done */
};

struct wl_step {
	enum wl_step_kind kind;
	uint64_t ns; /* RUN: CPU time (UINT64_MAX = forever) */
};

/* What a WL_PHASES cursor needs beyond its position when the workload has
 * timers or blocks (wl_needs_seq): the simulator keeps it apart from its
 * packed per-thread cursor, for the few workloads that use it. */
struct wl_seq {
	uint64_t block_iter; /* completed iterations of the current block */
	uint32_t block;	     /* index of the current block's entry + 1, 0 =
			      * outside any block */
	uint32_t timers_set; /* bit i: timer i was used, timer_next[i] holds */
	uint64_t timer_next[WL_MAX_TIMERS]; /* next expiry, ns */
};

struct wl_cursor {
	const struct workload *wl; /* borrowed */
	struct rng rng;
	uint64_t activation; /* WL_PERIODIC: index of the current one */
	bool ran;	     /* WL_PERIODIC: the current activation ran */
	uint64_t iteration;  /* WL_PHASES: completed loops */
	uint64_t phase;	     /* WL_PHASES: next phase index */
	struct wl_seq seq;   /* WL_PHASES with timers or blocks */
};

/* The workload has timers or blocks, so its cursor uses seq. */
bool wl_needs_seq(const struct workload *wl);

/* A length drawn from len (uniform in [min, max]) with rng. */
static inline uint64_t wl_draw(struct rng *rng, const struct len_range *len)
{
	if (len->max_ns <= len->min_ns)
		return len->min_ns;
	return rng_range(rng, len->min_ns, len->max_ns);
}

/* wl_next of a WL_PERIODIC workload on the parts of a cursor it uses (its
 * random stream, activation and ran), which the simulator keeps packed in
 * its threads: it calls this directly, without unpacking a cursor. */
static inline void wl_next_periodic(const struct workload *wl, struct rng *rng,
				    uint64_t *activation, bool *ran,
				    uint64_t now, struct wl_step *step)
{
	uint64_t at;

	for (;;) {
		if (*ran) {
			++*activation;
			*ran = false;
			at = wl->start_ns + *activation * wl->period_ns;
			if (at > now) {
				step->kind = WL_STEP_SLEEP_UNTIL;
				step->ns = at;
				return;
			}
		}
		*ran = true;
		step->kind = WL_STEP_RUN;
		step->ns = wl_draw(rng, &wl->run);
		if (step->ns > 0)
			return;
	}
}

/* Prepares the cursor of thread `thread` of task `task`; random lengths are
 * drawn from rng_derive(seed, task, thread, 0). */
void wl_cursor_init(struct wl_cursor *c, const struct workload *wl,
		    uint64_t seed, unsigned task, unsigned thread);

/* The step to take at time now (ns since scenario start), called when the
 * thread starts (now = wl->start_ns) and after each step completes.  A
 * periodic thread that finished after its next activation runs again at
 * once (absolute timer, as rt-app does).  Zero-length steps are skipped. */
void wl_next(struct wl_cursor *c, uint64_t now, struct wl_step *step);

#endif
