/* cfssim compare: one simulated run against N real runs, figure by figure
 * (per group usage, nr_periods, nr_throttled, throttled, nr_bursts, burst;
 * per task thread runtime, and switches when the scenario gives them a
 * tolerance), with the error of each and a verdict against
 * the scenario's expect tolerances.  A struct cmp_table owns its rows. */
#ifndef CLI_CMD_COMPARE_H
#define CLI_CMD_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

/* Defaults for TOL_DEFAULT: usage and runtime within 5 % or one tick per
 * period of the group (bandwidth is charged at the tick, so each period can
 * overrun by up to a tick; one tick when the group has no periods),
 * counters within 2, throttled and burst time within 20 % or 10 ms
 * (whichever allows more), a task's switches within 25 % or 5 (the real
 * count also has the host's interrupting kernel threads in it) when an
 * expect: switches tolerance asks for them (TOL_DEFAULT leaves them out). */
#define CMP_TIME_REL	    0.05
#define CMP_COUNT_ABS	    2
#define CMP_THROTTLE_REL    0.20
#define CMP_THROTTLE_ABS_NS (10 * NSEC_PER_MSEC)
#define CMP_SWITCHES_REL    0.25
#define CMP_SWITCHES_ABS    5
/* Latency percentiles (p50, p90, p99 of a task's requests, or of its
 * activations when expect: latency is given) within 20 % or one tick: a
 * wake-up on a CPU the host's other tasks are using waits for the end of
 * their slice, which the kernel checks at the tick. */
#define CMP_LATENCY_REL 0.20

enum cmp_kind {
	CMP_TIME,     /* usage, runtime: ns, default 5 % or a tick */
	CMP_COUNTER,  /* nr_periods, nr_throttled, nr_bursts */
	CMP_THROTTLE, /* throttled, burst, a task's wait: ns, default 20 %
		       * or 10 ms */
	CMP_SWITCHES, /* nr_switches of a task, default 25 % or 5 */
	CMP_LATENCY,  /* a latency percentile: ns, default 20 % or a tick */
};

struct cmp_row {
	char *group;	    /* group path, owned */
	char *task;	    /* task name for runtime rows, else NULL */
	unsigned index;	    /* thread index of a task row */
	const char *figure; /* "usage_usec", ... (static) */
	enum cmp_kind kind;
	double sim;	/* ns or count: mean over the simulated runs */
	double sim_min; /* range over the simulated runs (phases differ) */
	double sim_max;
	double real_mean;
	double real_sd; /* sample standard deviation, 0 for 1 run */
	double abs_err; /* |real_mean - sim| (the mean) */
	double rel_err; /* abs_err / sim, 0 when sim is 0 */
	double allowed; /* largest abs_err that passes */
	char tol[32];	/* the tolerance as written: "5%", "2" */
	bool pass;
};

struct cmp_table {
	struct cmp_row *rows;
	size_t n, cap;
	size_t failed;
};

/* Largest error allowed for a figure of kind whose simulated value is sim;
 * hz gives the tick and periods the simulated nr_periods of the figure's
 * group for the time default.  Fills tol_text (32 bytes). */
double cmp_allowed(const struct tolerance *tol, enum cmp_kind kind, double sim,
		   unsigned hz, uint64_t periods, char *tol_text);

/* Simulated runs that compare makes of a scenario: what a real run leaves
 * to chance (period timer phases, the tick's offset) is drawn anew for
 * each (kernel.phase_seed 0, 1, ...); the workloads stay the same. */
#define CMP_SIM_RUNS 8

/* Builds the rows from nsim simulated runs (sim[0] is the plain one) and
 * nreal real runs of the same scenario (same groups and threads in the
 * same order): "real run %zu does not match the scenario (%s)".  A figure
 * passes when the real mean lies within the simulated range widened by
 * the tolerance (computed on the simulated mean). */
int cmp_build(const struct scenario *sc, const struct results *sim, size_t nsim,
	      const struct results *real, size_t nreal, struct cmp_table *t,
	      struct err *err);

/* Runs the CMP_SIM_RUNS simulations of sc into sims (caller-allocated,
 * CMP_SIM_RUNS entries) as the running kernel (uname -r) unless the
 * scenario or --kernel names one; returns the wall time of the plain one. */
int cmp_simulate(const struct scenario *sc, struct results *sims,
		 uint64_t *wall_ns, struct err *err);
void cmp_destroy(struct cmp_table *t);

/* The table for people: one row per figure (sim mean and range over the
 * simulated runs, real mean and sd), times in µs, then the wall times and
 * "verdict: pass" / "verdict: fail (N of M outside tolerance)". */
void cmp_print_text(FILE *f, const struct cmp_table *t, uint64_t sim_wall_ns,
		    const struct results *real, size_t nreal);

/* {"sim": {...}, "real": [{...}, ...], "diff": [...], "verdict": "pass"}. */
void cmp_print_json(FILE *f, const struct results *sim,
		    const struct results *real, size_t nreal,
		    const struct cmp_table *t, uint64_t sim_wall_ns);

#endif
