/* compare: judges measured figures against simulated ones.  A row holds one
 * figure of a group or task thread: its simulated values over the phase
 * variants and every real run's value, the pass window and the verdict.
 * The verdict rules and the project-wide ceilings (the most tolerance any
 * scenario may declare per figure kind) live here, and nowhere else.  Pure
 * computation: nothing here runs, prints or reads files.  A struct
 * cmp_table owns its rows and what they point to. */
#ifndef COMPARE_COMPARE_H
#define COMPARE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

/* Figure kinds, each with one ceiling. */
enum cmp_kind {
	CMP_USAGE,    /* a group's usage, user + system: ns */
	CMP_RUNTIME,  /* a task thread's runtime: ns */
	CMP_THROTTLE, /* throttled, cpu.stat.local throttled, burst time: ns */
	CMP_COUNTER,  /* nr_periods, nr_throttled, nr_bursts */
	CMP_SWITCHES, /* a task's switches, voluntary switches */
	CMP_WAIT,     /* a task's wait time: ns */
	CMP_LATENCY,  /* wake-up latency percentiles: ns */
	CMP_NKINDS
};

/* The most a scenario may declare for a kind: rel of the value, or the
 * absolute floor, whichever is larger; the floor is abs_count for counts
 * and abs_ticks ticks of the scenario's HZ for times (the kernel charges
 * CPU time at ticks, so nothing finer can be asked of it).  A tolerance a
 * scenario declares is one of the two: a percentage (at most rel, and the
 * floor still applies) or an absolute value (at most the floor). */
struct cmp_ceiling {
	const char *name;    /* "usage" */
	const char *figures; /* what it covers, for people */
	bool time;	     /* ns, else a count */
	double rel;
	unsigned abs_count; /* counts */
	unsigned abs_ticks; /* times */
};

const struct cmp_ceiling *cmp_ceiling(enum cmp_kind kind);

/* What each figure_key is: the row name, kind, whether it is a task's. */
struct cmp_figure {
	const char *key;    /* scenario name: "usage", "throttled_local" */
	const char *column; /* row name: "usage_usec", "throttled_local_usec" */
	enum cmp_kind kind;
	bool task;
};

const struct cmp_figure *cmp_figure(enum figure_key key);

/* The figure_key a scenario's key names; -1 if none. */
int cmp_figure_lookup(const char *key);

/* The tolerance the scenario declares for a figure (several figures share
 * one: user + system follows usage, throttled_local throttled, voluntary
 * switches). */
const struct tolerance *cmp_tolerance_of(const struct expect_spec *x,
					 enum figure_key key);

/* Whether a declared tolerance for a figure of kind stays within the
 * ceiling at HZ hz; if not, writes why (e.g. "'usage' may be at most 5%")
 * into msg (len bytes) and returns false. */
bool cmp_within_ceiling(const char *key, enum cmp_kind kind,
			const struct tolerance *tol, unsigned hz, char *msg,
			size_t len);

/* The largest distance from a simulated value v that passes: the declared
 * tolerance, or the ceiling when none is declared (TOL_DEFAULT), with the
 * floor under a percentage.  Fills tol_text (32 bytes): "5%|4ms", "3". */
double cmp_allowed(const struct tolerance *tol, enum cmp_kind kind, double v,
		   unsigned hz, char *tol_text);

struct cmp_row {
	char *group;	/* group path, owned */
	char *task;	/* task name for task rows, else NULL (owned) */
	unsigned index; /* thread index of a task row */
	enum figure_key key;
	const char *figure; /* column name "usage_usec", ... (static) */
	enum cmp_kind kind;
	double sim;	/* ns or count: mean over the simulated variants */
	double sim_min; /* range over the simulated variants */
	double sim_max;
	double *real; /* each real run's value, nreal of them, owned */
	size_t nreal;
	double real_mean;
	double real_sd; /* sample standard deviation, 0 for 1 run */
	double real_min, real_max;
	/* The window: [lo, hi], the simulated range widened on each end by
	 * the tolerance computed on that end.  When every simulated variant
	 * is 0 only 0 passes (lo = hi = 0); when none is, 0 does not
	 * (nonzero). */
	double lo, hi;
	bool nonzero;
	double allowed;	    /* the tolerance at the upper end */
	double abs_err;	    /* |real_mean - sim| */
	double rel_err;	    /* abs_err / sim; not a number when sim is 0 */
	char tol[32];	    /* the tolerance applied: "5%|4ms", "2" */
	size_t runs_passed; /* real runs inside the window */
	const char *not_modelled; /* the scenario's reason, or NULL */
	bool pass;		  /* judged, and every run inside the window */
};

struct cmp_table {
	struct cmp_row *rows;
	size_t n, cap;
	size_t failed;	     /* judged rows with a run outside */
	size_t not_modelled; /* rows not judged */
};

/* A real run the host disturbed: tasks outside the run and the hypervisor
 * took more than this share (per mille) of the run's CPUs.  On a quiet
 * host they take 0.1-0.5 % (measured here: cfssim's own reads, kernel
 * threads, the network's interrupts); a run that lost more lost it to
 * something the scenario does not contain. */
#define CMP_HOST_BUSY_PERMILLE 15

/* Whether real (a real run) was disturbed so: other tasks, the hypervisor's
 * steal and the runtime charged to the run's threads in gaps of their
 * spinning (results.host_charged_ns), the first two only when measured. */
bool cmp_host_busy(const struct results *real);

/* Why a request task's latency is not judged when a real run's load
 * generator had to share the scenario's CPUs (results.generator_shared):
 * the simulation has requests arrive on time from outside. */
#define CMP_GENERATOR_SHARED                                                   \
	"the load generator shared the scenario's CPUs (no spare CPU on this " \
	"machine): late sends and its wake-ups beside the workers, which the " \
	"simulation leaves out"

/* Whether v (ns or count) lies in the row's window. */
bool cmp_inside(const struct cmp_row *r, double v);

/* Appends one row from nsim simulated and nreal real values: the window,
 * the statistics and the verdict, with every run judged.  reason: the
 * scenario's not_modelled reason for the figure, or NULL. */
void cmp_add_row(struct cmp_table *t, const char *group, const char *task,
		 unsigned index, enum figure_key key,
		 const struct tolerance *tol, unsigned hz, const double *sim,
		 size_t nsim, const double *real, size_t nreal,
		 const char *reason);

/* Builds the rows of a scenario from nsim simulated runs (sim[0] the plain
 * one, the others phase variants) and nreal real runs of the same scenario
 * (same groups and threads in the same order): "real run %zu does not
 * match the scenario (%zu groups, %zu threads)".  Rows, per group: usage
 * and user + system always; for a group with a quota or below one,
 * nr_periods, nr_throttled, throttled and cpu.stat.local throttled (the
 * latter when have_local, the kernel shows it: 6.6+); nr_bursts and burst
 * for a group with a burst.  Per task thread: runtime and voluntary
 * switches always, switches and wait when the scenario declares a
 * tolerance for them or declares them not modelled. */
int cmp_build(const struct scenario *sc, const struct results *sim, size_t nsim,
	      const struct results *real, size_t nreal, bool have_local,
	      struct cmp_table *t, struct err *err);

void cmp_destroy(struct cmp_table *t);

/* The scoreboard of one kind over many tables: rows judged, rows passed,
 * the median and worst relative error of the real mean (rows whose
 * simulated mean is 0 have none and count in rows only). */
struct cmp_score {
	size_t rows, passed, not_modelled;
	size_t nrel; /* rows with a relative error */
	double median_rel, worst_rel;
};

/* Scores per kind (score[CMP_NKINDS]) over ntables tables. */
void cmp_score(const struct cmp_table *tables, size_t ntables,
	       struct cmp_score *score);

#endif
