#include "model/workload.h"

#include <string.h>

void wl_cursor_init(struct wl_cursor *c, const struct workload *wl,
		    uint64_t seed, unsigned task, unsigned thread)
{
	memset(c, 0, sizeof(*c));
	c->wl = wl;
	rng_derive(&c->rng, seed, task, thread, 0);
}

static uint64_t draw(struct wl_cursor *c, const struct len_range *len)
{
	if (len->max_ns <= len->min_ns)
		return len->min_ns;
	return rng_range(&c->rng, len->min_ns, len->max_ns);
}

static void next_periodic(struct wl_cursor *c, uint64_t now,
			  struct wl_step *step)
{
	const struct workload *wl = c->wl;
	uint64_t at;

	for (;;) {
		if (c->ran) {
			c->activation++;
			c->ran = false;
			at = wl->start_ns + c->activation * wl->period_ns;
			if (at > now) {
				step->kind = WL_STEP_SLEEP_UNTIL;
				step->ns = at;
				return;
			}
		}
		c->ran = true;
		step->kind = WL_STEP_RUN;
		step->ns = draw(c, &wl->run);
		if (step->ns > 0)
			return;
	}
}

static void next_phase(struct wl_cursor *c, uint64_t now, struct wl_step *step)
{
	const struct workload *wl = c->wl;
	uint64_t len, guard;

	/* guard: a loop of only zero-length phases must still end */
	for (guard = 0; guard <= wl->nphases; guard++) {
		const struct wl_phase *ph;

		if (c->phase == wl->nphases) {
			c->phase = 0;
			c->iteration++;
		}
		if ((wl->loop && c->iteration >= wl->loop) || !wl->nphases)
			break;
		ph = &wl->phases[c->phase++];
		len = draw(c, &ph->len);
		if (!len)
			continue;
		if (ph->kind == PHASE_RUN) {
			step->kind = WL_STEP_RUN;
			step->ns = len;
		} else {
			step->kind = WL_STEP_SLEEP_UNTIL;
			step->ns = now + len;
		}
		return;
	}
	step->kind = WL_STEP_EXIT;
	step->ns = 0;
}

void wl_next(struct wl_cursor *c, uint64_t now, struct wl_step *step)
{
	switch (c->wl->kind) {
	case WL_HOG:
		step->kind = WL_STEP_RUN;
		step->ns = UINT64_MAX;
		return;
	case WL_PERIODIC:
		next_periodic(c, now, step);
		return;
	case WL_PHASES:
		next_phase(c, now, step);
		return;
	case WL_REQUESTS: /* its steps come from the request stream */
		break;
	}
	step->kind = WL_STEP_EXIT;
	step->ns = 0;
}
