/* Figures: one table of names, each naming where the JSON results keep
 * it, and targets over them. */
#include "sweep/figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/loader.h"
#include "base/xalloc.h"

enum fig_scope {
	FIG_GROUP,   /* results.groups[] by path */
	FIG_TASK,    /* results.tasks[] by group and name, summed */
	FIG_LATENCY, /* results.latency[] by group and task */
};

struct sweep_figure_def {
	const char *name;
	const char *alias; /* accepted too, NULL = none */
	enum fig_scope scope;
	const char *field;
	const char *per; /* ratio figures: field / per (0 when per is 0) */
	enum sweep_unit unit;
	bool headline; /* a CSV column and a plot of a sweep */
};

static const struct sweep_figure_def defs[] = {
	{"usage_usec", "usage", FIG_GROUP, "usage_usec", NULL, SWEEP_UNIT_USEC,
	 true},
	{"user_usec", "user", FIG_GROUP, "user_usec", NULL, SWEEP_UNIT_USEC,
	 false},
	{"system_usec", "system", FIG_GROUP, "system_usec", NULL,
	 SWEEP_UNIT_USEC, false},
	{"nr_periods", NULL, FIG_GROUP, "nr_periods", NULL, SWEEP_UNIT_COUNT,
	 true},
	{"nr_throttled", NULL, FIG_GROUP, "nr_throttled", NULL,
	 SWEEP_UNIT_COUNT, true},
	{"throttled_usec", "throttled", FIG_GROUP, "throttled_usec", NULL,
	 SWEEP_UNIT_USEC, true},
	{"throttled_ratio", NULL, FIG_GROUP, "nr_throttled", "nr_periods",
	 SWEEP_UNIT_RATIO, true},
	{"nr_bursts", NULL, FIG_GROUP, "nr_bursts", NULL, SWEEP_UNIT_COUNT,
	 false},
	{"burst_usec", "burst", FIG_GROUP, "burst_usec", NULL, SWEEP_UNIT_USEC,
	 false},
	{"throttled_local_usec", NULL, FIG_GROUP, "throttled_local_usec", NULL,
	 SWEEP_UNIT_USEC, false},
	{"runtime_usec", "runtime", FIG_TASK, "runtime_usec", NULL,
	 SWEEP_UNIT_USEC, true},
	{"wait_usec", "wait", FIG_TASK, "wait_usec", NULL, SWEEP_UNIT_USEC,
	 true},
	{"nr_switches", "switches", FIG_TASK, "nr_switches", NULL,
	 SWEEP_UNIT_COUNT, true},
	{"nr_voluntary_switches", "voluntary_switches", FIG_TASK,
	 "nr_voluntary_switches", NULL, SWEEP_UNIT_COUNT, false},
	{"latency.n", NULL, FIG_LATENCY, "n", NULL, SWEEP_UNIT_COUNT, false},
	{"latency.mean", NULL, FIG_LATENCY, "mean_usec", NULL, SWEEP_UNIT_USEC,
	 false},
	{"latency.p50", NULL, FIG_LATENCY, "p50_usec", NULL, SWEEP_UNIT_USEC,
	 true},
	{"latency.p90", NULL, FIG_LATENCY, "p90_usec", NULL, SWEEP_UNIT_USEC,
	 false},
	{"latency.p99", NULL, FIG_LATENCY, "p99_usec", NULL, SWEEP_UNIT_USEC,
	 true},
	{"latency.p999", NULL, FIG_LATENCY, "p999_usec", NULL, SWEEP_UNIT_USEC,
	 false},
	{"latency.max", NULL, FIG_LATENCY, "max_usec", NULL, SWEEP_UNIT_USEC,
	 false},
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static const struct sweep_figure_def *find_def(const char *name, bool task)
{
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		if ((defs[i].scope != FIG_GROUP) != task)
			continue;
		if (strcmp(defs[i].name, name) == 0 ||
		    (defs[i].alias && strcmp(defs[i].alias, name) == 0))
			return &defs[i];
	}
	return NULL;
}

static char *dupn(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int sweep_figure_parse(const char *s, struct sweep_figure *f, struct err *err)
{
	const char *colon = strchr(s, ':');
	const char *dot;
	bool task = colon != NULL;

	memset(f, 0, sizeof(*f));
	/* names may hold '.': the figure is the first suffix the table
	 * knows */
	for (dot = strchr(colon ? colon : s, '.'); dot;
	     dot = strchr(dot + 1, '.')) {
		f->def = find_def(dot + 1, task);
		if (f->def)
			break;
	}
	if (!f->def || dot == s || (colon && dot == colon + 1))
		return err_set(
			err, 0, "'%s' names no figure (%s)", s,
			task ? "GROUP:TASK.runtime_usec, wait_usec, "
			       "nr_switches, nr_voluntary_switches, "
			       "latency.p50|p90|p99|p999|max|mean|n" :
			       "GROUP.usage_usec, user_usec, system_usec, "
			       "nr_periods, nr_throttled, throttled_usec, "
			       "throttled_ratio, nr_bursts, burst_usec, "
			       "throttled_local_usec");
	f->name = xstrdup(s);
	if (colon) {
		f->group = dupn(s, (size_t)(colon - s));
		f->task = dupn(colon + 1, (size_t)(dot - colon - 1));
	} else {
		f->group = dupn(s, (size_t)(dot - s));
	}
	return 0;
}

void sweep_figure_destroy(struct sweep_figure *f)
{
	free(f->name);
	free(f->group);
	free(f->task);
	memset(f, 0, sizeof(*f));
}

enum sweep_unit sweep_figure_unit(const struct sweep_figure *f)
{
	return f->def->unit;
}

static bool str_is(const struct sweep_json *j, const char *s)
{
	return j && j->kind == SWEEP_JSON_STR && strcmp(j->str, s) == 0;
}

static double num_of(const struct sweep_json *j)
{
	return j && j->kind == SWEEP_JSON_NUM ? j->num : 0;
}

static double entry_value(const struct sweep_figure_def *d,
			  const struct sweep_json *e, bool *null)
{
	const struct sweep_json *v = sweep_json_get(e, d->field);
	double den;

	*null = !v || v->kind != SWEEP_JSON_NUM;
	if (!d->per)
		return num_of(v);
	den = num_of(sweep_json_get(e, d->per));
	return den > 0 ? num_of(v) / den : 0;
}

int sweep_figure_value(const struct sweep_figure *f,
		       const struct sweep_json *result, double *v,
		       struct err *err)
{
	static const char *const arrays[] = {"groups", "tasks", "latency"};
	const struct sweep_figure_def *d = f->def;
	const struct sweep_json *arr = sweep_json_get(result, arrays[d->scope]);
	bool found = false, null = false;
	double sum = 0;
	size_t i;

	for (i = 0; arr && arr->kind == SWEEP_JSON_ARR && i < arr->n; i++) {
		const struct sweep_json *e = arr->items[i];

		if (d->scope == FIG_GROUP) {
			if (!str_is(sweep_json_get(e, "path"), f->group))
				continue;
		} else if (!str_is(sweep_json_get(e, "group"), f->group) ||
			   !str_is(sweep_json_get(e, d->scope == FIG_TASK ?
							     "name" :
							     "task"),
				   f->task)) {
			continue;
		}
		sum += entry_value(d, e, &null);
		found = true;
		if (d->scope != FIG_TASK)
			break;
	}
	if (!found && d->scope == FIG_GROUP)
		return err_set(err, 0, "'%s': the results have no group '%s'",
			       f->name, f->group);
	if (!found && d->scope == FIG_TASK)
		return err_set(err, 0, "'%s': the results have no task '%s:%s'",
			       f->name, f->group, f->task);
	if (!found || null)
		return err_set(err, 0,
			       "'%s': the results have no latency of '%s:%s'",
			       f->name, f->group, f->task);
	*v = sum;
	return 0;
}

void sweep_figure_format(enum sweep_unit unit, double v, char *buf, size_t len)
{
	if (unit == SWEEP_UNIT_RATIO)
		snprintf(buf, len, "%.4g%%", v * 100);
	else if (unit == SWEEP_UNIT_COUNT)
		snprintf(buf, len, "%.10g", v);
	else if (fabs(v) >= 1e6)
		snprintf(buf, len, "%.4gs", v / 1e6);
	else if (fabs(v) >= 1e3)
		snprintf(buf, len, "%.4gms", v / 1e3);
	else
		snprintf(buf, len, "%.4gus", v);
}

void sweep_figure_headlines(const struct sweep_json *result,
			    void (*fn)(void *ctx, const char *name, double v),
			    void *ctx)
{
	const struct sweep_json *arr;
	char name[512];
	size_t i, j, k;
	bool null;

	arr = sweep_json_get(result, "groups");
	for (i = 0; arr && arr->kind == SWEEP_JSON_ARR && i < arr->n; i++) {
		const struct sweep_json *p =
			sweep_json_get(arr->items[i], "path");

		if (!p || p->kind != SWEEP_JSON_STR)
			continue;
		for (k = 0; k < NDEFS; k++) {
			if (defs[k].scope != FIG_GROUP || !defs[k].headline)
				continue;
			snprintf(name, sizeof(name), "%s.%s", p->str,
				 defs[k].name);
			fn(ctx, name,
			   entry_value(&defs[k], arr->items[i], &null));
		}
	}
	/* tasks: one column per task (threads summed), first thread order */
	arr = sweep_json_get(result, "tasks");
	for (i = 0; arr && arr->kind == SWEEP_JSON_ARR && i < arr->n; i++) {
		const struct sweep_json *g =
			sweep_json_get(arr->items[i], "group");
		const struct sweep_json *t =
			sweep_json_get(arr->items[i], "name");
		struct sweep_figure f;
		struct err e;
		double v = 0;

		if (!g || !t || g->kind != SWEEP_JSON_STR ||
		    t->kind != SWEEP_JSON_STR)
			continue;
		for (j = 0; j < i; j++)
			if (str_is(sweep_json_get(arr->items[j], "group"),
				   g->str) &&
			    str_is(sweep_json_get(arr->items[j], "name"),
				   t->str))
				break;
		if (j < i)
			continue;
		for (k = 0; k < NDEFS; k++) {
			if (defs[k].scope != FIG_TASK || !defs[k].headline)
				continue;
			snprintf(name, sizeof(name), "%s:%s.%s", g->str, t->str,
				 defs[k].name);
			f.name = name;
			f.group = g->str;
			f.task = t->str;
			f.def = &defs[k];
			err_init(&e);
			if (sweep_figure_value(&f, result, &v, &e) == 0)
				fn(ctx, name, v);
		}
	}
	arr = sweep_json_get(result, "latency");
	for (i = 0; arr && arr->kind == SWEEP_JSON_ARR && i < arr->n; i++) {
		const struct sweep_json *g =
			sweep_json_get(arr->items[i], "group");
		const struct sweep_json *t =
			sweep_json_get(arr->items[i], "task");

		if (!g || !t || g->kind != SWEEP_JSON_STR ||
		    t->kind != SWEEP_JSON_STR)
			continue;
		for (k = 0; k < NDEFS; k++) {
			double v;

			if (defs[k].scope != FIG_LATENCY || !defs[k].headline)
				continue;
			v = entry_value(&defs[k], arr->items[i], &null);
			if (null)
				continue;
			snprintf(name, sizeof(name), "%s:%s.%s", g->str, t->str,
				 defs[k].name);
			fn(ctx, name, v);
		}
	}
}

/* ---- targets -------------------------------------------------------------- */

static char *trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return dupn(s, n);
}

static int parse_bound(struct sweep_target *t, const char *rhs, struct err *err)
{
	enum sweep_unit unit = t->fig.def->unit;
	uint64_t ns;
	char *end;
	size_t n = strlen(rhs);

	if (unit == SWEEP_UNIT_USEC) {
		if (scenario_parse_duration(rhs, &ns, err))
			return err_set(err, 0,
				       "target '%s': '%s' must be a duration "
				       "like '20ms'",
				       t->text, rhs);
		t->bound = (double)ns / 1000.0;
		return 0;
	}
	t->bound = strtod(rhs, &end);
	if (end == rhs ||
	    (*end && !(unit == SWEEP_UNIT_RATIO && strcmp(end, "%") == 0)) ||
	    !isfinite(t->bound) || n == 0)
		return err_set(err, 0,
			       unit == SWEEP_UNIT_RATIO ?
				       "target '%s': '%s' must be a "
				       "percentage like '5%%' or a fraction" :
				       "target '%s': '%s' must be a number",
			       t->text, rhs);
	if (*end == '%')
		t->bound /= 100;
	return 0;
}

int sweep_target_parse(const char *s, struct sweep_target *t, struct err *err)
{
	static const struct {
		const char *text;
		enum sweep_op op;
	} ops[] = {
		{"<=", SWEEP_LE},
		{">=", SWEEP_GE},
		{"<", SWEEP_LT},
		{">", SWEEP_GT},
	};
	const char *at = NULL;
	char *lhs, *rhs;
	size_t i, oplen = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && !at; i++) {
		at = strstr(s, ops[i].text);
		if (at) {
			t->op = ops[i].op;
			oplen = strlen(ops[i].text);
		}
	}
	if (!at)
		return err_set(err, 0,
			       "target '%s' must look like 'FIGURE < VALUE' "
			       "(<, <=, >, >=)",
			       s);
	t->text = xstrdup(s);
	lhs = trim(s, (size_t)(at - s));
	rhs = trim(at + oplen, strlen(at + oplen));
	rc = sweep_figure_parse(lhs, &t->fig, err);
	if (rc == 0)
		rc = parse_bound(t, rhs, err);
	free(lhs);
	free(rhs);
	if (rc)
		sweep_target_destroy(t);
	return rc;
}

void sweep_target_destroy(struct sweep_target *t)
{
	sweep_figure_destroy(&t->fig);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

bool sweep_target_met(const struct sweep_target *t, double v)
{
	switch (t->op) {
	case SWEEP_LT:
		return v < t->bound;
	case SWEEP_LE:
		return v <= t->bound;
	case SWEEP_GT:
		return v > t->bound;
	case SWEEP_GE:
		return v >= t->bound;
	}
	return false;
}
