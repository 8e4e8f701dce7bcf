/* cfssim compare FILE [--repeat N]: the simulator and the kernel side by
 * side, with a verdict against the scenario's tolerances. */
#include "cli/cmd_compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_real.h"
#include "output/report.h"
#include "sim/sim.h"
#include "base/xalloc.h"
#include "model/kernel.h"

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

double cmp_allowed(const struct tolerance *tol, enum cmp_kind kind, double sim,
		   unsigned hz, uint64_t periods, char *tol_text)
{
	char a[16];
	double rel, floor_abs;
	uint64_t tick = NSEC_PER_SEC / (hz ? hz : 250);

	switch (tol->kind) {
	case TOL_REL:
		snprintf(tol_text, 32, "%g%%", tol->rel * 100);
		return tol->rel * fabs(sim);
	case TOL_ABS:
		if (kind == CMP_COUNTER || kind == CMP_SWITCHES)
			snprintf(tol_text, 32, "%llu",
				 (unsigned long long)tol->abs);
		else
			fmt_ns(tol_text, 32, tol->abs);
		return (double)tol->abs;
	case TOL_DEFAULT:
		break;
	}
	if (kind == CMP_COUNTER) {
		snprintf(tol_text, 32, "%d", CMP_COUNT_ABS);
		return CMP_COUNT_ABS;
	}
	if (kind == CMP_SWITCHES) {
		snprintf(tol_text, 32, "%g%%|%d", CMP_SWITCHES_REL * 100,
			 CMP_SWITCHES_ABS);
		return fmax(CMP_SWITCHES_REL * fabs(sim), CMP_SWITCHES_ABS);
	}
	if (kind == CMP_LATENCY) {
		fmt_ns(a, sizeof(a), tick);
		snprintf(tol_text, 32, "%g%%|%s", CMP_LATENCY_REL * 100, a);
		return fmax(CMP_LATENCY_REL * fabs(sim), (double)tick);
	}
	if (kind == CMP_TIME) {
		rel = CMP_TIME_REL;
		floor_abs = (double)tick * (double)(periods > 1 ? periods : 1);
		fmt_ns(a, sizeof(a), tick);
		if (periods > 1) {
			if (snprintf(tol_text, 32, "%g%%|%llux%s", rel * 100,
				     (unsigned long long)periods, a) >= 32)
				tol_text[31] = '\0';
			return fmax(rel * fabs(sim), floor_abs);
		}
	} else {
		rel = CMP_THROTTLE_REL;
		floor_abs = (double)CMP_THROTTLE_ABS_NS;
		fmt_ns(a, sizeof(a), CMP_THROTTLE_ABS_NS);
	}
	snprintf(tol_text, 32, "%g%%|%s", rel * 100, a);
	return fmax(rel * fabs(sim), floor_abs);
}

static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	*mean = n ? sum / (double)n : 0;
	for (i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
}

static void add_row(struct cmp_table *t, const struct scenario *sc,
		    const char *group, const char *task, unsigned index,
		    const char *figure, enum cmp_kind kind,
		    const struct tolerance *tol, uint64_t periods,
		    const double *sim, size_t nsim, const double *real,
		    size_t nreal)
{
	struct cmp_row *r;
	double sim_sd;
	size_t i;

	xgrow((void **)&t->rows, &t->cap, t->n + 1, sizeof(*t->rows));
	r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	r->group = xstrdup(group);
	r->task = task ? xstrdup(task) : NULL;
	r->index = index;
	r->figure = figure;
	r->kind = kind;
	mean_sd(sim, nsim, &r->sim, &sim_sd);
	r->sim_min = r->sim_max = nsim ? sim[0] : 0;
	for (i = 1; i < nsim; i++) {
		r->sim_min = fmin(r->sim_min, sim[i]);
		r->sim_max = fmax(r->sim_max, sim[i]);
	}
	mean_sd(real, nreal, &r->real_mean, &r->real_sd);
	r->abs_err = fabs(r->real_mean - r->sim);
	r->rel_err = r->sim != 0 ? r->abs_err / fabs(r->sim) : 0;
	r->allowed =
		cmp_allowed(tol, kind, r->sim, sc->kernel.hz, periods, r->tol);
	r->pass = r->real_mean >= r->sim_min - r->allowed - 1e-9 &&
		  r->real_mean <= r->sim_max + r->allowed + 1e-9;
	if (!r->pass)
		t->failed++;
}

/* The figures of a group: what results hold, by field. */
enum gfig {
	G_USAGE,
	G_PERIODS,
	G_THROTTLED_N,
	G_THROTTLED,
	G_BURSTS,
	G_BURST,
	G_NFIG
};

static double gvalue(const struct group_result *g, enum gfig f)
{
	switch (f) {
	case G_USAGE:
		return (double)g->usage_ns;
	case G_PERIODS:
		return (double)g->nr_periods;
	case G_THROTTLED_N:
		return (double)g->nr_throttled;
	case G_THROTTLED:
		return (double)g->throttled_ns;
	case G_BURSTS:
		return (double)g->nr_bursts;
	case G_BURST:
		return (double)g->burst_ns;
	case G_NFIG:
		break;
	}
	return 0;
}

/* The figures of a task. */
enum tfig { T_RUNTIME, T_SWITCHES, T_WAIT, T_NFIG };

static double tvalue(const struct task_result *r, enum tfig f)
{
	switch (f) {
	case T_RUNTIME:
		return (double)r->runtime_ns;
	case T_SWITCHES:
		return (double)r->nr_switches;
	case T_WAIT:
		return (double)r->wait_ns;
	case T_NFIG:
		break;
	}
	return 0;
}

/* p50, p90 and p99 of each task's requests; of a periodic task's
 * activations only when the scenario gives expect: latency (periodic
 * examples were written for their counters).  Both sides list the tasks
 * with latency in scenario order. */
static void latency_rows(const struct scenario *sc, const struct results *sim,
			 size_t nsim, const struct results *real, size_t nreal,
			 struct cmp_table *t, double *vals, double *svals)
{
	static const char *const names[] = {
		"latency_p50_usec", "latency_p90_usec", "latency_p99_usec"};
	static const unsigned pct[] = {50000, 90000, 99000};
	size_t li, i, f;

	for (i = 0; i < nreal; i++)
		if (real[i].nlatency != sim->nlatency)
			return;
	for (li = 0; li < sim->nlatency; li++) {
		const struct latency_result *l = &sim->latency[li];

		if (l->kind == LAT_ACTIVATIONS &&
		    sc->expect.latency.kind == TOL_DEFAULT)
			continue;
		for (f = 0; f < 3; f++) {
			for (i = 0; i < nreal; i++)
				vals[i] = (double)latency_percentile(
					real[i].latency[li].samples_ns,
					real[i].latency[li].n, pct[f]);
			for (i = 0; i < nsim; i++)
				svals[i] = (double)latency_percentile(
					sim[i].latency[li].samples_ns,
					sim[i].latency[li].n, pct[f]);
			add_row(t, sc, l->group, l->task, 0, names[f],
				CMP_LATENCY, &sc->expect.latency, 0, svals,
				nsim, vals, nreal);
		}
	}
}

int cmp_build(const struct scenario *sc, const struct results *sim, size_t nsim,
	      const struct results *real, size_t nreal, struct cmp_table *t,
	      struct err *err)
{
	static const char *const names[G_NFIG] = {
		"usage_usec",	  "nr_periods", "nr_throttled",
		"throttled_usec", "nr_bursts",	"burst_usec"};
	static const enum cmp_kind kinds[G_NFIG] = {CMP_TIME,	 CMP_COUNTER,
						    CMP_COUNTER, CMP_THROTTLE,
						    CMP_COUNTER, CMP_THROTTLE};
	const struct expect_spec *x = &sc->expect;
	const struct tolerance *tols[G_NFIG] = {
		&x->usage,     &x->nr_periods, &x->nr_throttled,
		&x->throttled, &x->nr_bursts,  &x->burst};
	static const char *const tnames[T_NFIG] = {"runtime_usec",
						   "nr_switches", "wait_usec"};
	static const enum cmp_kind tkinds[T_NFIG] = {CMP_TIME, CMP_SWITCHES,
						     CMP_THROTTLE};
	const struct tolerance *ttols[T_NFIG] = {&x->runtime, &x->switches,
						 &x->wait};
	double *vals = xcalloc(nreal ? nreal : 1, sizeof(double));
	double *svals = xcalloc(nsim ? nsim : 1, sizeof(double));
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
	for (gi = 0; gi < sim->ngroups; gi++) {
		const struct group_spec *g =
			gi < sc->ngroups ? &sc->groups[gi] : NULL;

		for (f = 0; f < G_NFIG; f++) {
			/* bandwidth figures only where a quota makes them */
			if (f != G_USAGE && (!g || !g->has_quota))
				continue;
			if ((f == G_BURSTS || f == G_BURST) && !g->burst_ns)
				continue;
			for (i = 0; i < nreal; i++)
				vals[i] = gvalue(&real[i].groups[gi], f);
			for (i = 0; i < nsim; i++)
				svals[i] = gvalue(&sim[i].groups[gi], f);
			add_row(t, sc, sim->groups[gi].path, NULL, 0, names[f],
				kinds[f], tols[f], sim->groups[gi].nr_periods,
				svals, nsim, vals, nreal);
		}
	}
	for (ti = 0; ti < sim->ntasks; ti++) {
		const struct task_result *s = &sim->tasks[ti];
		uint64_t periods = 0;

		for (gi = 0; gi < sim->ngroups; gi++)
			if (!strcmp(sim->groups[gi].path, s->group))
				periods = sim->groups[gi].nr_periods;
		for (f = 0; f < T_NFIG; f++) {
			/* switches and waits only where the scenario asks:
			 * they hang on every preemption, which the simulator
			 * reproduces for the workloads it has been checked on */
			if (f != T_RUNTIME && ttols[f]->kind == TOL_DEFAULT)
				continue;
			for (i = 0; i < nreal; i++)
				vals[i] = tvalue(&real[i].tasks[ti], f);
			for (i = 0; i < nsim; i++)
				svals[i] = tvalue(&sim[i].tasks[ti], f);
			add_row(t, sc, s->group, s->name, s->index, tnames[f],
				tkinds[f], ttols[f], periods, svals, nsim, vals,
				nreal);
		}
	}
	latency_rows(sc, sim, nsim, real, nreal, t, vals, svals);
	free(vals);
	free(svals);
	return 0;
}

/* The running kernel's "X.Y" into version (16 bytes); false if unknown. */
static bool running_kernel(char *version)
{
	unsigned major, minor;

	if (kernel_host_version(&major, &minor))
		return false;
	snprintf(version, 16, "%u.%u", major, minor);
	return true;
}

int cmp_simulate(const struct scenario *sc, struct results *sims,
		 uint64_t *wall_ns, struct err *err)
{
	struct sim_options opt = {.latency = true};
	struct scenario copy = *sc;
	size_t i;

	/* a scenario that names no kernel is simulated as the one it runs on,
	 * whose tunables scale with all its online CPUs, not the ones the
	 * scenario pins its groups to */
	if (!copy.kernel.version[0])
		running_kernel(copy.kernel.version);
	if (!copy.kernel.online_cpus) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		copy.kernel.online_cpus = n > 0 ? (unsigned)n : copy.cpus;
	}

	for (i = 0; i < CMP_SIM_RUNS; i++) {
		copy.kernel.phase_seed = i ? sc->seed * CMP_SIM_RUNS + i : 0;
		if (sim_run(&copy, &opt, &sims[i], err)) {
			while (i--)
				results_destroy(&sims[i]);
			return -1;
		}
	}
	*wall_ns = sims[0].wall_ns;
	return 0;
}

void cmp_destroy(struct cmp_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->rows[i].group);
		free(t->rows[i].task);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* Times are shown in µs like cgroup v2 prints them. */
static double shown(const struct cmp_row *r, double v)
{
	return r->kind == CMP_COUNTER || r->kind == CMP_SWITCHES ? v :
								   v / 1000.0;
}

static void row_name(const struct cmp_row *r, char *buf, size_t len)
{
	if (r->task)
		snprintf(buf, len, "%s/%s[%u]", r->group, r->task, r->index);
	else
		snprintf(buf, len, "%s", r->group);
}

void cmp_print_text(FILE *f, const struct cmp_table *t, uint64_t sim_wall_ns,
		    const struct results *real, size_t nreal)
{
	char name[256], mean[48];
	uint64_t real_wall = 0;
	size_t i;

	char range[64];

	fprintf(f, "%-24s %-15s %12s %21s %22s %10s %8s %-12s %s\n",
		"group/task", "figure", "sim mean", "sim range",
		"real mean +- sd", "abs err", "rel err", "tolerance",
		"verdict");
	for (i = 0; i < t->n; i++) {
		const struct cmp_row *r = &t->rows[i];

		row_name(r, name, sizeof(name));
		snprintf(mean, sizeof(mean), "%.0f +- %.0f",
			 shown(r, r->real_mean), shown(r, r->real_sd));
		snprintf(range, sizeof(range), "%.0f..%.0f",
			 shown(r, r->sim_min), shown(r, r->sim_max));
		fprintf(f,
			"%-24s %-15s %12.0f %21s %22s %10.0f %7.1f%% %-12s "
			"%s\n",
			name, r->figure, shown(r, r->sim), range, mean,
			shown(r, r->abs_err), r->rel_err * 100, r->tol,
			r->pass ? "ok" : "OUTSIDE");
	}
	for (i = 0; i < nreal; i++)
		real_wall += real[i].wall_ns;
	fprintf(f, "wall time: sim %.3f s, real %.3f s (%zu run%s)\n",
		(double)sim_wall_ns / 1e9, (double)real_wall / 1e9, nreal,
		nreal == 1 ? "" : "s");
	if (t->failed)
		fprintf(f, "verdict: fail (%zu of %zu outside tolerance)\n",
			t->failed, t->n);
	else
		fprintf(f, "verdict: pass\n");
}

void cmp_print_json(FILE *f, const struct results *sim,
		    const struct results *real, size_t nreal,
		    const struct cmp_table *t, uint64_t sim_wall_ns)
{
	size_t i;

	fprintf(f, "{\n  \"sim\": ");
	report_json(f, sim, 2);
	fprintf(f, ",\n  \"real\": [");
	for (i = 0; i < nreal; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		report_json(f, &real[i], 4);
	}
	fprintf(f, "%s],\n  \"diff\": [", nreal ? "\n  " : "");
	for (i = 0; i < t->n; i++) {
		const struct cmp_row *r = &t->rows[i];

		fprintf(f, "%s\n    {\"group\": ", i ? "," : "");
		report_json_string(f, r->group);
		if (r->task) {
			fprintf(f, ", \"task\": ");
			report_json_string(f, r->task);
			fprintf(f, ", \"index\": %u", r->index);
		}
		fprintf(f,
			", \"figure\": \"%s\", \"sim\": %.3f, "
			"\"sim_min\": %.3f, \"sim_max\": %.3f, "
			"\"real_mean\": %.3f, \"real_sd\": %.3f, "
			"\"abs_err\": %.3f, \"rel_err\": %.6f, "
			"\"allowed\": %.3f, \"tolerance\": ",
			r->figure, shown(r, r->sim), shown(r, r->sim_min),
			shown(r, r->sim_max), shown(r, r->real_mean),
			shown(r, r->real_sd), shown(r, r->abs_err), r->rel_err,
			shown(r, r->allowed));
		report_json_string(f, r->tol);
		fprintf(f, ", \"pass\": %s}", r->pass ? "true" : "false");
	}
	fprintf(f, "%s],\n  \"sim_wall_usec\": %llu,\n  \"verdict\": \"%s\"\n}",
		t->n ? "\n  " : "",
		(unsigned long long)(sim_wall_ns / NSEC_PER_USEC),
		t->failed ? "fail" : "pass");
}

int cmd_compare(const struct cli_opts *o)
{
	struct results sim[CMP_SIM_RUNS], *real;
	struct cmp_table t;
	struct scenario sc;
	struct err err;
	uint64_t sim_wall;
	size_t n = o->repeat > 0 ? (size_t)o->repeat : 1, done = 0, i;
	char buf[1200];
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	err_init(&err);
	if (cmp_simulate(&sc, sim, &sim_wall, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		scenario_destroy(&sc);
		return EXIT_USAGE;
	}
	real = xcalloc(n, sizeof(*real));
	for (; done < n; done++) {
		rc = cli_real_once(o, &sc, &real[done]);
		if (rc != EXIT_OK)
			goto out;
	}
	if (cmp_build(&sc, sim, CMP_SIM_RUNS, real, n, &t, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
		goto out;
	}
	if (o->json) {
		cmp_print_json(stdout, &sim[0], real, n, &t, sim_wall);
		fputc('\n', stdout);
	} else {
		cmp_print_text(stdout, &t, sim_wall, real, n);
	}
	rc = t.failed ? EXIT_FAIL : EXIT_OK;
	cmp_destroy(&t);
out:
	for (i = 0; i < done; i++)
		results_destroy(&real[i]);
	free(real);
	for (i = 0; i < CMP_SIM_RUNS; i++)
		results_destroy(&sim[i]);
	scenario_destroy(&sc);
	return rc;
}
