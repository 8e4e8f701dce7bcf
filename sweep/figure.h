/* Figures of a point's results and targets on them.  A figure is named
 * PATH.FIGURE: "web.usage_usec", "web.throttled_ratio" (group figures,
 * from the cpu.stat fields), "web:server.runtime_usec" (task figures,
 * summed over the task's threads), "web:server.latency.p99" (latency).
 * The names live in one table, looked up in the JSON results object that
 * `--json` prints, so anything the results carry can become a figure. */
#ifndef SWEEP_FIGURE_H
#define SWEEP_FIGURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "sweep/json.h"

enum sweep_unit {
	SWEEP_UNIT_COUNT,
	SWEEP_UNIT_USEC,  /* a time in µs */
	SWEEP_UNIT_RATIO, /* a fraction, printed as a percentage */
};

struct sweep_figure_def;

struct sweep_figure {
	char *name;  /* as written */
	char *group; /* group path */
	char *task;  /* NULL for group figures */
	const struct sweep_figure_def *def;
};

/* Parses "GROUP.FIGURE" or "GROUP:TASK.FIGURE". */
int sweep_figure_parse(const char *s, struct sweep_figure *f, struct err *err);
void sweep_figure_destroy(struct sweep_figure *f);
enum sweep_unit sweep_figure_unit(const struct sweep_figure *f);
/* The figure's value in a results object (µs for times); error when the
 * results have no such group, task or latency entry. */
int sweep_figure_value(const struct sweep_figure *f,
		       const struct sweep_json *result, double *v,
		       struct err *err);
/* Writes a value in the figure's unit for people: "12.5ms", "3.1%", "42". */
void sweep_figure_format(enum sweep_unit unit, double v, char *buf, size_t len);

/* The headline figures of a results object, for CSV columns and plots:
 * calls fn(name, value) for each group's usage, periods, throttling and
 * throttled ratio, each task's runtime, wait and switches, and each
 * latency entry's percentiles, in the results' order. */
void sweep_figure_headlines(const struct sweep_json *result,
			    void (*fn)(void *ctx, const char *name, double v),
			    void *ctx);

enum sweep_op { SWEEP_LT, SWEEP_LE, SWEEP_GT, SWEEP_GE };

/* "web.throttled_ratio < 5%": a figure, an operator and a bound in the
 * figure's unit (durations for times, "5%" or a fraction for ratios). */
struct sweep_target {
	char *text;
	struct sweep_figure fig;
	enum sweep_op op;
	double bound;
};

int sweep_target_parse(const char *s, struct sweep_target *t, struct err *err);
void sweep_target_destroy(struct sweep_target *t);
bool sweep_target_met(const struct sweep_target *t, double v);

#endif
