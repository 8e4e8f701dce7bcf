#include "compare/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* The project-wide ceilings, one per kind (README.md "How compare judges"
 * shows the same table).  Where they come from: usage and runtime follow the
 * shares and quotas the scheduler enforces to a tick; throttled time hangs
 * on where the ticks fall in each throttled period, which the phase
 * variants only sample; counters move by one at the ends of a run; switches
 * and wait carry the host's own kernel threads. */
static const struct cmp_ceiling ceilings[CMP_NKINDS] = {
	[CMP_USAGE] = {"usage", "usage, user + system", true, 0.05, 0, 1},
	[CMP_RUNTIME] = {"runtime", "a task thread's runtime", true, 0.05, 0,
			 1},
	[CMP_THROTTLE] = {"throttled",
			  "throttled, cpu.stat.local throttled, "
			  "burst time",
			  true, 0.25, 0, 1},
	[CMP_COUNTER] = {"counters", "nr_periods, nr_throttled, nr_bursts",
			 false, 0.10, 1, 0},
	[CMP_SWITCHES] = {"switches", "a task's switches, voluntary switches",
			  false, 0.25, 2, 0},
	[CMP_WAIT] = {"wait", "a task's wait time", true, 0.25, 0, 1},
	[CMP_LATENCY] = {"latency", "wake-up latency percentiles", true, 0.20,
			 0, 1},
};

static const struct cmp_figure figures[FIG_NKEYS] = {
	[FIG_USAGE] = {"usage", "usage_usec", CMP_USAGE, false},
	[FIG_USER_SYSTEM] = {"user_system", "user+system_usec", CMP_USAGE,
			     false},
	[FIG_NR_PERIODS] = {"nr_periods", "nr_periods", CMP_COUNTER, false},
	[FIG_NR_THROTTLED] = {"nr_throttled", "nr_throttled", CMP_COUNTER,
			      false},
	[FIG_THROTTLED] = {"throttled", "throttled_usec", CMP_THROTTLE, false},
	[FIG_THROTTLED_LOCAL] = {"throttled_local", "local_throttled_usec",
				 CMP_THROTTLE, false},
	[FIG_NR_BURSTS] = {"nr_bursts", "nr_bursts", CMP_COUNTER, false},
	[FIG_BURST] = {"burst", "burst_usec", CMP_THROTTLE, false},
	[FIG_RUNTIME] = {"runtime", "runtime_usec", CMP_RUNTIME, true},
	[FIG_SWITCHES] = {"switches", "nr_switches", CMP_SWITCHES, true},
	[FIG_VOLUNTARY] = {"voluntary", "nr_voluntary", CMP_SWITCHES, true},
	[FIG_WAIT] = {"wait", "wait_usec", CMP_WAIT, true},
	[FIG_LATENCY_P50] = {"latency_p50", "latency_p50_usec", CMP_LATENCY,
			     false},
	[FIG_LATENCY_P90] = {"latency_p90", "latency_p90_usec", CMP_LATENCY,
			     false},
	[FIG_LATENCY_P99] = {"latency_p99", "latency_p99_usec", CMP_LATENCY,
			     false},
};

const struct cmp_ceiling *cmp_ceiling(enum cmp_kind kind)
{
	return &ceilings[kind];
}

const struct cmp_figure *cmp_figure(enum figure_key key)
{
	return &figures[key];
}

int cmp_figure_lookup(const char *key)
{
	int i;

	for (i = 0; i < FIG_NKEYS; i++)
		if (!strcmp(figures[i].key, key))
			return i;
	return -1;
}

const struct tolerance *cmp_tolerance_of(const struct expect_spec *x,
					 enum figure_key key)
{
	switch (key) {
	case FIG_USAGE:
	case FIG_USER_SYSTEM:
		return &x->usage;
	case FIG_NR_PERIODS:
		return &x->nr_periods;
	case FIG_NR_THROTTLED:
		return &x->nr_throttled;
	case FIG_THROTTLED:
	case FIG_THROTTLED_LOCAL:
		return &x->throttled;
	case FIG_NR_BURSTS:
		return &x->nr_bursts;
	case FIG_BURST:
		return &x->burst;
	case FIG_RUNTIME:
		return &x->runtime;
	case FIG_SWITCHES:
	case FIG_VOLUNTARY:
		return &x->switches;
	case FIG_LATENCY_P50:
	case FIG_LATENCY_P90:
	case FIG_LATENCY_P99:
		return &x->latency;
	case FIG_WAIT:
	case FIG_NKEYS:
		break;
	}
	return &x->wait;
}

static uint64_t tick_ns(unsigned hz)
{
	return NSEC_PER_SEC / (hz ? hz : 250);
}

/* "4ms", "250us", "3ns": the shortest exact unit */
static void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns && ns % NSEC_PER_MSEC == 0)
		snprintf(buf, len, "%llums",
			 (unsigned long long)(ns / NSEC_PER_MSEC));
	else if (ns && ns % NSEC_PER_USEC == 0)
		snprintf(buf, len, "%lluus",
			 (unsigned long long)(ns / NSEC_PER_USEC));
	else
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
}

/* The absolute floor of a kind: ns or a count. */
static double floor_of(const struct cmp_ceiling *c, unsigned hz)
{
	return c->time ? (double)c->abs_ticks * (double)tick_ns(hz) :
			 (double)c->abs_count;
}

static void fmt_abs(char *buf, size_t len, const struct cmp_ceiling *c,
		    double v)
{
	if (c->time)
		fmt_ns(buf, len, (uint64_t)v);
	else
		snprintf(buf, len, "%.0f", v);
}

bool cmp_within_ceiling(const char *key, enum cmp_kind kind,
			const struct tolerance *tol, unsigned hz, char *msg,
			size_t len)
{
	const struct cmp_ceiling *c = &ceilings[kind];
	double floor_abs = floor_of(c, hz);
	char a[24];

	switch (tol->kind) {
	case TOL_DEFAULT:
		return true;
	case TOL_REL:
		/* within a millionth of a percent: 5% is 0.05 exactly */
		if (tol->rel <= c->rel + 1e-12)
			return true;
		snprintf(msg, len,
			 "'%s' may be at most %g%%, the ceiling of every "
			 "scenario",
			 key, c->rel * 100);
		return false;
	case TOL_ABS:
		if ((double)tol->abs <= floor_abs)
			return true;
		fmt_abs(a, sizeof(a), c, floor_abs);
		snprintf(msg, len,
			 "'%s' may be at most %s, the ceiling of every "
			 "scenario",
			 key, a);
		return false;
	}
	return true;
}

double cmp_allowed(const struct tolerance *tol, enum cmp_kind kind, double v,
		   unsigned hz, char *tol_text)
{
	const struct cmp_ceiling *c = &ceilings[kind];
	double floor_abs = floor_of(c, hz), rel = c->rel;
	char a[16]; /* a tick or a count: short, so that "%g%%|%s" fits 32 */

	switch (tol->kind) {
	case TOL_ABS:
		fmt_abs(tol_text, 32, c, (double)tol->abs);
		return (double)tol->abs;
	case TOL_REL:
		rel = tol->rel;
		break;
	case TOL_DEFAULT:
		break;
	}
	fmt_abs(a, sizeof(a), c, floor_abs);
	snprintf(tol_text, 32, "%g%%|%s", rel * 100, a);
	return fmax(rel * fabs(v), floor_abs);
}

bool cmp_host_busy(const struct results *real)
{
	uint64_t cap = real->duration_ns * real->cpus;
	uint64_t took = real->host_charged_ns;

	if (real->host_measured)
		took += real->host_other_ns + real->host_steal_ns;
	return took * 1000 > cap * CMP_HOST_BUSY_PERMILLE;
}

bool cmp_inside(const struct cmp_row *r, double v)
{
	if (r->lo == 0 && r->hi == 0)
		return v == 0;
	if (r->nonzero && v == 0)
		return false;
	return v >= r->lo - 1e-9 && v <= r->hi + 1e-9;
}

static void stats(const double *v, size_t n, double *mean, double *sd,
		  double *min, double *max)
{
	double sum = 0, sq = 0;
	size_t i;

	*min = *max = n ? v[0] : 0;
	for (i = 0; i < n; i++) {
		sum += v[i];
		*min = fmin(*min, v[i]);
		*max = fmax(*max, v[i]);
	}
	*mean = n ? sum / (double)n : 0;
	for (i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
}

void cmp_add_row(struct cmp_table *t, const char *group, const char *task,
		 unsigned index, enum figure_key key,
		 const struct tolerance *tol, unsigned hz, const double *sim,
		 size_t nsim, const double *real, size_t nreal,
		 const char *reason)
{
	const struct cmp_figure *fig = &figures[key];
	struct cmp_row *r;
	double sd, allowed_lo;
	char scratch[32];
	size_t i;

	xgrow((void **)&t->rows, &t->cap, t->n + 1, sizeof(*t->rows));
	r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	r->group = xstrdup(group);
	r->task = task ? xstrdup(task) : NULL;
	r->index = index;
	r->key = key;
	r->figure = fig->column;
	r->kind = fig->kind;
	stats(sim, nsim, &r->sim, &sd, &r->sim_min, &r->sim_max);
	r->real = xcalloc(nreal ? nreal : 1, sizeof(double));
	if (nreal)
		memcpy(r->real, real, nreal * sizeof(double));
	r->nreal = nreal;
	stats(real, nreal, &r->real_mean, &r->real_sd, &r->real_min,
	      &r->real_max);
	/* each end widened by the tolerance computed on it */
	allowed_lo = cmp_allowed(tol, r->kind, r->sim_min, hz, scratch);
	r->allowed = cmp_allowed(tol, r->kind, r->sim_max, hz, r->tol);
	r->lo = fmax(0, r->sim_min - allowed_lo);
	r->hi = r->sim_max + r->allowed;
	if (r->sim_max == 0)
		r->lo = r->hi = 0; /* only a 0 agrees with a 0 */
	r->nonzero = r->sim_min > 0;
	r->abs_err = fabs(r->real_mean - r->sim);
	r->rel_err = r->sim != 0 ? r->abs_err / fabs(r->sim) : NAN;
	for (i = 0; i < nreal; i++)
		if (cmp_inside(r, real[i]))
			r->runs_passed++;
	if (reason) {
		r->not_modelled = reason;
		t->not_modelled++;
		return;
	}
	r->pass = nreal > 0 && r->runs_passed == nreal;
	if (!r->pass)
		t->failed++;
}

static double gvalue(const struct group_result *g, enum figure_key f)
{
	switch (f) {
	case FIG_USAGE:
		return (double)g->usage_ns;
	case FIG_USER_SYSTEM:
		return (double)g->user_ns + (double)g->system_ns;
	case FIG_NR_PERIODS:
		return (double)g->nr_periods;
	case FIG_NR_THROTTLED:
		return (double)g->nr_throttled;
	case FIG_THROTTLED:
		return (double)g->throttled_ns;
	case FIG_THROTTLED_LOCAL:
		return (double)g->throttled_local_ns;
	case FIG_NR_BURSTS:
		return (double)g->nr_bursts;
	case FIG_BURST:
		return (double)g->burst_ns;
	default:
		break;
	}
	return 0;
}

static double tvalue(const struct task_result *r, enum figure_key f)
{
	switch (f) {
	case FIG_RUNTIME:
		return (double)r->runtime_ns;
	case FIG_SWITCHES:
		return (double)r->nr_switches;
	case FIG_VOLUNTARY:
		return (double)r->nr_voluntary;
	case FIG_WAIT:
		return (double)r->wait_ns;
	default:
		break;
	}
	return 0;
}

/* A group with a quota of its own or below one. */
static bool under_quota(const struct scenario *sc, size_t gi)
{
	long g = (long)gi;

	for (; g >= 0; g = sc->groups[g].parent)
		if (sc->groups[g].has_quota)
			return true;
	return false;
}

static bool group_figure(const struct scenario *sc, size_t gi,
			 enum figure_key f, bool have_local)
{
	const struct group_spec *g = gi < sc->ngroups ? &sc->groups[gi] : NULL;

	switch (f) {
	case FIG_USAGE:
	case FIG_USER_SYSTEM:
		return true;
	case FIG_NR_PERIODS:
	case FIG_NR_THROTTLED:
	case FIG_THROTTLED:
		return g && under_quota(sc, gi);
	case FIG_THROTTLED_LOCAL:
		return g && have_local && under_quota(sc, gi);
	case FIG_NR_BURSTS:
	case FIG_BURST:
		return g && g->has_quota && g->burst_ns;
	default:
		break;
	}
	return false;
}

static bool task_figure(const struct expect_spec *x, enum figure_key f)
{
	switch (f) {
	case FIG_RUNTIME:
	case FIG_VOLUNTARY:
		return true;
	case FIG_SWITCHES:
		return x->switches.kind != TOL_DEFAULT ||
		       x->not_modelled[FIG_SWITCHES];
	case FIG_WAIT:
		return x->wait.kind != TOL_DEFAULT || x->not_modelled[FIG_WAIT];
	default:
		break;
	}
	return false;
}

/* The scenario's reason for not judging figure f of a row of group (a
 * task row: its task's group), or NULL: a reason limited to some groups
 * covers them and the groups below them. */
static const char *reason_for(const struct expect_spec *x, enum figure_key f,
			      const char *group)
{
	size_t k, len;

	if (!x->not_modelled[f] || !x->not_modelled_ngroups[f])
		return x->not_modelled[f];
	for (k = 0; k < x->not_modelled_ngroups[f]; k++) {
		len = strlen(x->not_modelled_groups[f][k]);
		if (!strncmp(group, x->not_modelled_groups[f][k], len) &&
		    (group[len] == '\0' || group[len] == '/'))
			return x->not_modelled[f];
	}
	return NULL;
}

/* p50, p90 and p99 of each task's requests; of a periodic task's
 * activations only when the scenario gives expect: latency.  Both sides
 * list the tasks with latency in scenario order. */
static void latency_rows(const struct scenario *sc, const struct results *sim,
			 size_t nsim, const struct results *real, size_t nreal,
			 struct cmp_table *t, double *vals, double *svals)
{
	static const unsigned pct[] = {50000, 90000, 99000};
	const struct expect_spec *x = &sc->expect;
	const char *reason;
	bool shared = false;
	size_t li, i, f;

	for (i = 0; i < nreal; i++) {
		if (real[i].nlatency != sim->nlatency)
			return;
		shared |= real[i].generator_shared;
	}
	for (li = 0; li < sim->nlatency; li++) {
		const struct latency_result *l = &sim->latency[li];

		if (l->kind == LAT_ACTIVATIONS &&
		    x->latency.kind == TOL_DEFAULT)
			continue;
		for (f = 0; f < 3; f++) {
			enum figure_key key =
				(enum figure_key)(FIG_LATENCY_P50 + f);

			for (i = 0; i < nreal; i++)
				vals[i] = (double)latency_percentile(
					real[i].latency[li].samples_ns,
					real[i].latency[li].n, pct[f]);
			for (i = 0; i < nsim; i++)
				svals[i] = (double)latency_percentile(
					sim[i].latency[li].samples_ns,
					sim[i].latency[li].n, pct[f]);
			reason = reason_for(x, key, l->group);
			if (!reason && shared && l->kind == LAT_REQUESTS)
				reason = CMP_GENERATOR_SHARED;
			cmp_add_row(t, l->group, l->task, 0, key, &x->latency,
				    sc->kernel.hz, svals, nsim, vals, nreal,
				    reason);
		}
	}
}

int cmp_build(const struct scenario *sc, const struct results *sim, size_t nsim,
	      const struct results *real, size_t nreal, bool have_local,
	      struct cmp_table *t, struct err *err)
{
	const struct expect_spec *x = &sc->expect;
	double *vals = xcalloc(nreal ? nreal : 1, sizeof(double));
	double *svals = xcalloc(nsim ? nsim : 1, sizeof(double));
	unsigned hz = sc->kernel.hz;
	size_t gi, ti, i;
	int f;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < nreal; i++)
		if (real[i].ngroups != sim->ngroups ||
		    real[i].ntasks != sim->ntasks) {
			free(vals);
			free(svals);
			return err_set(err, 0,
				       "real run %zu does not match "
				       "the scenario (%zu groups, %zu "
				       "threads)",
				       i + 1, real[i].ngroups, real[i].ntasks);
		}
	for (gi = 0; gi < sim->ngroups; gi++)
		for (f = 0; f < FIG_NKEYS; f++) {
			if (figures[f].task ||
			    !group_figure(sc, gi, (enum figure_key)f,
					  have_local))
				continue;
			for (i = 0; i < nreal; i++)
				vals[i] = gvalue(&real[i].groups[gi],
						 (enum figure_key)f);
			for (i = 0; i < nsim; i++)
				svals[i] = gvalue(&sim[i].groups[gi],
						  (enum figure_key)f);
			cmp_add_row(t, sim->groups[gi].path, NULL, 0,
				    (enum figure_key)f,
				    cmp_tolerance_of(x, (enum figure_key)f), hz,
				    svals, nsim, vals, nreal,
				    reason_for(x, (enum figure_key)f,
					       sim->groups[gi].path));
		}
	for (ti = 0; ti < sim->ntasks; ti++) {
		const struct task_result *s = &sim->tasks[ti];

		for (f = 0; f < FIG_NKEYS; f++) {
			if (!figures[f].task ||
			    !task_figure(x, (enum figure_key)f))
				continue;
			for (i = 0; i < nreal; i++)
				vals[i] = tvalue(&real[i].tasks[ti],
						 (enum figure_key)f);
			for (i = 0; i < nsim; i++)
				svals[i] = tvalue(&sim[i].tasks[ti],
						  (enum figure_key)f);
			cmp_add_row(
				t, s->group, s->name, s->index,
				(enum figure_key)f,
				cmp_tolerance_of(x, (enum figure_key)f), hz,
				svals, nsim, vals, nreal,
				reason_for(x, (enum figure_key)f, s->group));
		}
	}
	latency_rows(sc, sim, nsim, real, nreal, t, vals, svals);
	free(vals);
	free(svals);
	return 0;
}

void cmp_destroy(struct cmp_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->rows[i].group);
		free(t->rows[i].task);
		free(t->rows[i].real);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void cmp_score(const struct cmp_table *tables, size_t ntables,
	       struct cmp_score *score)
{
	size_t k, ti, i, n = 0;
	double *rel;

	for (ti = 0; ti < ntables; ti++)
		n += tables[ti].n;
	rel = xcalloc(n ? n : 1, sizeof(double));
	for (k = 0; k < CMP_NKINDS; k++) {
		struct cmp_score *s = &score[k];

		memset(s, 0, sizeof(*s));
		for (ti = 0; ti < ntables; ti++)
			for (i = 0; i < tables[ti].n; i++) {
				const struct cmp_row *r = &tables[ti].rows[i];

				if (r->kind != (enum cmp_kind)k)
					continue;
				if (r->not_modelled) {
					s->not_modelled++;
					continue;
				}
				s->rows++;
				s->passed += r->pass;
				if (!isnan(r->rel_err))
					rel[s->nrel++] = r->rel_err;
			}
		if (!s->nrel)
			continue;
		qsort(rel, s->nrel, sizeof(double), cmp_double);
		s->median_rel =
			s->nrel % 2 ?
				rel[s->nrel / 2] :
				(rel[s->nrel / 2 - 1] + rel[s->nrel / 2]) / 2;
		s->worst_rel = rel[s->nrel - 1];
	}
	free(rel);
}
