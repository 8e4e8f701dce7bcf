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
	return wl_draw(&c->rng, len);
}

static void next_periodic(struct wl_cursor *c, uint64_t now,
			  struct wl_step *step)
{
	wl_next_periodic(c->wl, &c->rng, &c->activation, &c->ran, now, step);
}

bool wl_needs_seq(const struct workload *wl)
{
	size_t i;

	if (wl->kind != WL_PHASES)
		return false;
	for (i = 0; i < wl->nphases; i++)
		if (wl->phases[i].kind == PHASE_TIMER ||
		    wl->phases[i].kind == PHASE_BLOCK)
			return true;
	return false;
}

/* rt-app's timer event: the expiry starts at the thread's start (its
 * t_first) and moves on by the period at each use; the thread sleeps until
 * it when it is still ahead.  Returns true with the sleep in step, false
 * when the expiry has passed (then a relative timer restarts from now). */
static bool timer_use(struct wl_cursor *c, const struct wl_phase *ph,
		      uint64_t now, struct wl_step *step)
{
	struct wl_seq *q = &c->seq;
	uint64_t *next = &q->timer_next[ph->timer];

	if (!(q->timers_set & (1U << ph->timer))) {
		q->timers_set |= 1U << ph->timer;
		*next = c->wl->start_ns;
	}
	*next += ph->len.min_ns;
	if (now < *next) {
		step->kind = WL_STEP_SLEEP_UNTIL;
		step->ns = *next;
		return true;
	}
	if (!ph->absolute)
		*next = now;
	return false;
}

static void next_phase(struct wl_cursor *c, uint64_t now, struct wl_step *step)
{
	const struct workload *wl = c->wl;
	struct wl_seq *q = &c->seq;
	unsigned empty_passes = 0;
	uint64_t len;

	for (;;) {
		const struct wl_phase *ph;

		if (q->block) {
			const struct wl_phase *b = &wl->phases[q->block - 1];

			if (c->phase == q->block + b->nchildren) {
				if (++q->block_iter < b->loop) {
					c->phase = q->block;
					continue;
				}
				q->block = 0;
			}
		}
		if (c->phase == wl->nphases) {
			c->phase = 0;
			c->iteration++;
			/* a whole pass without a step would repeat forever */
			if (++empty_passes > 1)
				break;
		}
		if ((wl->loop && c->iteration >= wl->loop) || !wl->nphases)
			break;
		ph = &wl->phases[c->phase++];
		switch (ph->kind) {
		case PHASE_BLOCK:
			q->block = (uint32_t)c->phase;
			q->block_iter = 0;
			continue;
		case PHASE_TIMER:
			if (timer_use(c, ph, now, step))
				return;
			empty_passes = 0; /* the grid moved on */
			continue;
		case PHASE_RUN:
		case PHASE_SLEEP:
			break;
		}
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
