/* Bisection over an axis's sorted values.  For the smallest value the
 * verdicts must read fail..fail pass..pass along the axis; for the
 * largest, pass..pass fail..fail.  Both ends are evaluated first, so a
 * range where no value (or every value) meets the targets is told apart
 * from a crossing inside it. */
#include "sweep/tune.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sweep/json.h"

static int evaluate(struct sweep_tune *t, size_t value, bool *met,
		    struct err *err)
{
	struct sweep_tune_point *p;
	struct sweep_json *j;
	char *json = NULL;
	size_t i;

	for (i = 0; i < t->npoints; i++) {
		if (t->points[i].value == value) {
			*met = t->points[i].met;
			return 0;
		}
	}
	if (t->result(t->ctx, t->grid, value, &json, err))
		return -1;
	j = sweep_json_parse(json, strlen(json), err);
	free(json);
	if (!j)
		return -1;
	t->points = xrealloc(t->points, (t->npoints + 1) * sizeof(*t->points));
	p = &t->points[t->npoints++];
	p->value = value;
	p->met = true;
	p->figs = xcalloc(t->ntargets + 1, sizeof(*p->figs));
	for (i = 0; i < t->ntargets; i++) {
		if (sweep_figure_value(&t->targets[i].fig, j, &p->figs[i],
				       err)) {
			sweep_json_free(j);
			return -1;
		}
		if (!sweep_target_met(&t->targets[i], p->figs[i]))
			p->met = false;
	}
	sweep_json_free(j);
	*met = p->met;
	return 0;
}

static int cmp_points(const void *a, const void *b)
{
	const struct sweep_tune_point *x = a, *y = b;

	return x->value < y->value ? -1 : x->value > y->value;
}

struct sweep_tune_point *sweep_tune_sorted(const struct sweep_tune *t)
{
	struct sweep_tune_point *s = xcalloc(t->npoints + 1, sizeof(*s));

	memcpy(s, t->points, t->npoints * sizeof(*s));
	qsort(s, t->npoints, sizeof(*s), cmp_points);
	return s;
}

/* Whether the figures and verdicts of the evaluated points, in axis
 * order, are what bisection assumed. */
static void check_monotone(struct sweep_tune *t)
{
	struct sweep_tune_point *s = sweep_tune_sorted(t);
	size_t i, k;

	t->monotone = true;
	for (k = 0; k < t->ntargets && t->monotone; k++) {
		bool up = false, down = false;

		for (i = 1; i < t->npoints; i++) {
			if (s[i].figs[k] > s[i - 1].figs[k])
				up = true;
			if (s[i].figs[k] < s[i - 1].figs[k])
				down = true;
		}
		if (up && down) {
			t->monotone = false;
			t->bad_target = k;
		}
	}
	for (i = 1; i < t->npoints && t->monotone; i++) {
		/* smallest: once met, always met; largest: the reverse */
		if (t->max ? (s[i].met && !s[i - 1].met) :
			     (!s[i].met && s[i - 1].met)) {
			t->monotone = false;
			t->bad_target = t->ntargets;
		}
	}
	free(s);
}

int sweep_tune_run(struct sweep_tune *t, struct err *err)
{
	size_t n = t->grid->axes[t->axis].nvalues, lo = 0, hi = n - 1, mid;
	bool met_lo, met_hi, met;

	t->answer = -1;
	if (evaluate(t, lo, &met_lo, err) || evaluate(t, hi, &met_hi, err))
		return -1;
	if (!t->max) {
		if (met_lo)
			t->answer = 0;
		else if (met_hi) {
			/* fail at lo, pass at hi */
			while (hi - lo > 1) {
				mid = lo + (hi - lo) / 2;
				if (evaluate(t, mid, &met, err))
					return -1;
				if (met)
					hi = mid;
				else
					lo = mid;
			}
			t->answer = (long)hi;
		}
	} else {
		if (met_hi)
			t->answer = (long)hi;
		else if (met_lo) {
			/* pass at lo, fail at hi */
			while (hi - lo > 1) {
				mid = lo + (hi - lo) / 2;
				if (evaluate(t, mid, &met, err))
					return -1;
				if (met)
					lo = mid;
				else
					hi = mid;
			}
			t->answer = (long)lo;
		}
	}
	check_monotone(t);
	return 0;
}

void sweep_tune_destroy(struct sweep_tune *t)
{
	size_t i;

	for (i = 0; i < t->npoints; i++)
		free(t->points[i].figs);
	free(t->points);
	t->points = NULL;
	t->npoints = 0;
}
