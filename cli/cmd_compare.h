/* cfssim compare: simulates a scenario over the phase variants, runs it N
 * times for real, and prints the rows compare/ judges (per group usage,
 * user + system, bandwidth figures; per task runtime, voluntary switches,
 * switches and wait where declared) with the verdict. */
#ifndef CLI_CMD_COMPARE_H
#define CLI_CMD_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compare/compare.h"
#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

/* Simulated runs that compare makes of a scenario: what a real run leaves
 * to chance (period timer phases, the tick's offset) is drawn anew for
 * each (kernel.phase_seed 0, 1, ...); the workloads stay the same. */
#define CMP_SIM_RUNS 8

/* Runs the CMP_SIM_RUNS simulations of sc into sims (caller-allocated,
 * CMP_SIM_RUNS entries) as the running kernel (uname -r) unless the
 * scenario or --kernel names one; returns the wall time of the plain one. */
int cmp_simulate(const struct scenario *sc, struct results *sims,
		 uint64_t *wall_ns, struct err *err);

/* Whether the running kernel shows cpu.stat.local (6.6+). */
bool cmp_host_has_local(void);

/* The table for people: one row per figure (sim mean and range over the
 * simulated variants, real mean and sd, errors, the tolerance applied and
 * how many real runs fell inside), times in µs, then the wall times and
 * "verdict: pass" / "verdict: fail (N of M outside tolerance)", with the
 * rows not modelled and their reasons. */
void cmp_print_text(FILE *f, const struct cmp_table *t, uint64_t sim_wall_ns,
		    const struct results *real, size_t nreal);

/* {"sim": {...}, "real": [{...}, ...], "diff": [...], "verdict": "pass"}. */
void cmp_print_json(FILE *f, const struct results *sim,
		    const struct results *real, size_t nreal,
		    const struct cmp_table *t, uint64_t sim_wall_ns);

#endif
