/* The simulation engine's entry point: runs a scenario through the modelled
 * fair scheduler and CFS bandwidth control and fills a struct results
 * (source SOURCE_SIM).  Deterministic: the same scenario and seed give the
 * same results, bit for bit. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>

#include "sim/err.h"
#include "sim/model.h"
#include "sim/results.h"

struct sim_options {
	bool timeline;		/* also record results.timeline */
};

/* Simulates sc for sc->duration_ns.  opt may be NULL.  On success returns 0
 * and out owns its data (free with results_destroy). */
int sim_run(const struct scenario *sc, const struct sim_options *opt,
	    struct results *out, struct err *err);

#endif
