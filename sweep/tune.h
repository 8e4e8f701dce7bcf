/* Tuning one parameter: the smallest (or largest) of an axis's values at
 * which every target holds, found by bisection on the assumption that
 * the targets' figures are monotone in the parameter; the evaluated
 * points are checked against that assumption afterwards. */
#ifndef SWEEP_TUNE_H
#define SWEEP_TUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "sweep/figure.h"
#include "sweep/grid.h"
#include "sweep/run.h"

struct sweep_tune_point {
	size_t value; /* index into the axis's values */
	double *figs; /* one per target, in the targets' units */
	bool met;     /* every target holds */
};

struct sweep_tune {
	/* in */
	const struct sweep_grid *grid; /* one seed; every axis but one has a
					  single value, so a point's id is
					  its value's index */
	size_t axis;		       /* the one varied */
	const struct sweep_target *targets;
	size_t ntargets;
	bool max; /* the largest value instead of the smallest */
	sweep_result_fn result;
	void *ctx;
	/* out */
	struct sweep_tune_point *points; /* in evaluation order */
	size_t npoints;
	long answer;	   /* value index, -1 when no value meets them */
	bool monotone;	   /* the evaluated points agree with bisection */
	size_t bad_target; /* when not: the first target whose figure is not
			      monotone, or ntargets when only the verdicts
			      are out of order */
};

/* Runs the search; frees nothing of the inputs. */
int sweep_tune_run(struct sweep_tune *t, struct err *err);
/* The evaluated points sorted by value (a newly allocated array). */
struct sweep_tune_point *sweep_tune_sorted(const struct sweep_tune *t);
void sweep_tune_destroy(struct sweep_tune *t);

#endif
