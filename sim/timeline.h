/* timeline.c: the timeline a simulation records when asked (sim.tl). */
#ifndef SIM_TIMELINE_H
#define SIM_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sched.h"

/* p ran from its switch-in until end (a run slice). */
void sim_tl_slice(struct sim *s, struct task *p, uint64_t end);
/* p's vruntime relative to its queue's min_vruntime, now. */
void sim_tl_vruntime(struct sim *s, struct task *p);
/* tg's bandwidth period ends now (throttled: it ended throttled). */
void sim_tl_period(struct sim *s, struct task_group *tg, bool throttled);

#endif
