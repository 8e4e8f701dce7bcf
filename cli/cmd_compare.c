/* cfssim compare FILE [--repeat N]: the simulator and the kernel side by
 * side, judged by compare/ against the scenario's tolerances. */
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

bool cmp_host_has_local(void)
{
	unsigned major, minor;

	return !kernel_host_version(&major, &minor) &&
	       kernel_at_least(major, minor, 6, 6);
}

/* Times are shown in µs like cgroup v2 prints them. */
static double shown(const struct cmp_row *r, double v)
{
	return cmp_ceiling(r->kind)->time ? v / 1000.0 : v;
}

static void row_name(const struct cmp_row *r, char *buf, size_t len)
{
	if (r->task)
		snprintf(buf, len, "%s/%s[%u]", r->group, r->task, r->index);
	else
		snprintf(buf, len, "%s", r->group);
}

static const char *verdict_word(const struct cmp_row *r)
{
	if (r->not_modelled)
		return "not modelled";
	return r->pass ? "ok" : "OUTSIDE";
}

void cmp_print_text(FILE *f, const struct cmp_table *t, uint64_t sim_wall_ns,
		    const struct results *real, size_t nreal)
{
	char name[256], mean[48], range[64], rel[16], runs[24];
	uint64_t real_wall = 0;
	size_t i;

	fprintf(f, "%-24s %-20s %12s %21s %22s %10s %8s %-12s %6s %s\n",
		"group/task", "figure", "sim mean", "sim range",
		"real mean +- sd", "abs err", "rel err", "tolerance", "runs",
		"verdict");
	for (i = 0; i < t->n; i++) {
		const struct cmp_row *r = &t->rows[i];

		row_name(r, name, sizeof(name));
		snprintf(mean, sizeof(mean), "%.0f +- %.0f",
			 shown(r, r->real_mean), shown(r, r->real_sd));
		snprintf(range, sizeof(range), "%.0f..%.0f",
			 shown(r, r->sim_min), shown(r, r->sim_max));
		/* a simulated 0 has no relative error: the absolute one
		 * beside it is the figure */
		if (isnan(r->rel_err))
			snprintf(rel, sizeof(rel), "-");
		else
			snprintf(rel, sizeof(rel), "%.1f%%", r->rel_err * 100);
		snprintf(runs, sizeof(runs), "%zu/%zu", r->runs_passed,
			 r->nreal);
		fprintf(f,
			"%-24s %-20s %12.0f %21s %22s %10.0f %8s %-12s %6s "
			"%s\n",
			name, r->figure, shown(r, r->sim), range, mean,
			shown(r, r->abs_err), rel, r->tol, runs,
			verdict_word(r));
	}
	for (i = 0; i < t->n; i++) {
		const struct cmp_row *r = &t->rows[i];

		if (!r->not_modelled)
			continue;
		row_name(r, name, sizeof(name));
		fprintf(f, "not modelled: %s %s: %s\n", name, r->figure,
			r->not_modelled);
	}
	for (i = 0; i < nreal; i++) {
		const struct results *x = &real[i];
		char which[32] = "";

		uint64_t took = x->host_charged_ns;

		real_wall += x->wall_ns;
		if (!x->host_measured && !x->host_charged_ns)
			continue;
		if (nreal > 1)
			snprintf(which, sizeof(which), " during run %zu",
				 i + 1);
		fprintf(f, "host%s: ", which);
		if (x->host_measured) {
			fprintf(f,
				"other tasks took %.1f ms of the run's CPUs, "
				"the hypervisor %.1f ms",
				(double)x->host_other_ns / 1e6,
				(double)x->host_steal_ns / 1e6);
			took += x->host_other_ns + x->host_steal_ns;
		}
		if (x->host_charged_ns)
			fprintf(f,
				"%s%.1f ms charged to the tasks while they "
				"did not run",
				x->host_measured ? ", " : "",
				(double)x->host_charged_ns / 1e6);
		fprintf(f, " (%.1f%%)%s\n",
			100.0 * (double)took /
				(double)(x->duration_ns * x->cpus),
			cmp_host_busy(x) ? ": a busy host, this run's figures "
					   "may be off" :
					   "");
	}
	fprintf(f, "wall time: sim %.3f s, real %.3f s (%zu run%s)\n",
		(double)sim_wall_ns / 1e9, (double)real_wall / 1e9, nreal,
		nreal == 1 ? "" : "s");
	if (t->failed)
		fprintf(f, "verdict: fail (%zu of %zu outside tolerance)\n",
			t->failed, t->n - t->not_modelled);
	else
		fprintf(f, "verdict: pass\n");
}

void cmp_print_json(FILE *f, const struct results *sim,
		    const struct results *real, size_t nreal,
		    const struct cmp_table *t, uint64_t sim_wall_ns)
{
	size_t i, k;

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
			", \"figure\": \"%s\", \"kind\": \"%s\", "
			"\"sim\": %.3f, \"sim_min\": %.3f, \"sim_max\": %.3f, "
			"\"real\": [",
			r->figure, cmp_ceiling(r->kind)->name, shown(r, r->sim),
			shown(r, r->sim_min), shown(r, r->sim_max));
		for (k = 0; k < r->nreal; k++)
			fprintf(f, "%s%.3f", k ? ", " : "",
				shown(r, r->real[k]));
		fprintf(f,
			"], \"real_mean\": %.3f, \"real_sd\": %.3f, "
			"\"low\": %.3f, \"high\": %.3f, "
			"\"abs_err\": %.3f, \"rel_err\": ",
			shown(r, r->real_mean), shown(r, r->real_sd),
			shown(r, r->lo), shown(r, r->hi), shown(r, r->abs_err));
		if (isnan(r->rel_err))
			fprintf(f, "null");
		else
			fprintf(f, "%.6f", r->rel_err);
		fprintf(f, ", \"allowed\": %.3f, \"tolerance\": ",
			shown(r, r->allowed));
		report_json_string(f, r->tol);
		fprintf(f, ", \"runs_passed\": %zu, \"runs\": %zu",
			r->runs_passed, r->nreal);
		if (r->not_modelled) {
			fprintf(f, ", \"not_modelled\": ");
			report_json_string(f, r->not_modelled);
		}
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
		rc = cli_real_once(o, &sc, (unsigned)done + 1, (unsigned)n,
				   &real[done]);
		if (rc != EXIT_OK)
			goto out;
	}
	if (cmp_build(&sc, sim, CMP_SIM_RUNS, real, n, cmp_host_has_local(), &t,
		      &err)) {
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
