/* cfssim check: validates a scenario and prints what it resolves to, the
 * numbers the kernel would see (weights, cgroup v1 and v2 file values,
 * CPUs) and each workload in words, as text or as one JSON object. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/cpulist.h"
#include "base/duration.h"
#include "cli/cli.h"
#include "output/report.h"
#include "model/model.h"
#include "sim/sim.h"
#include "model/weights.h"
#include "model/knobs.h"

/* "1.5ms", "100ms", "3s", "3.333333ms" */
static const char *fmt_dur(uint64_t ns, char *buf, size_t len)
{
	return duration_format(ns, DURATION_DECIMAL, buf, len);
}

static const char *fmt_len(const struct len_range *l, char *buf, size_t len)
{
	char a[32], b[32];

	if (l->min_ns == l->max_ns)
		return fmt_dur(l->min_ns, buf, len);
	snprintf(buf, len, "%s..%s", fmt_dur(l->min_ns, a, sizeof(a)),
		 fmt_dur(l->max_ns, b, sizeof(b)));
	return buf;
}

static uint32_t nice_weight(int nice)
{
	return weight_prio_to_weight[nice + 20];
}

static const char *policy_name(enum policy_kind p)
{
	return p == POLICY_EEVDF ? "eevdf" : "cfs";
}

/* ---- text ---------------------------------------------------------------- */

static const char *const arrival_names[] = {"poisson", "uniform", "batch"};
static const char *const dist_names[] = {"const", "exp", "lognormal"};

static void text_requests(FILE *f, const struct req_spec *rq)
{
	char a[64], b[64];

	if (rq->arrival == ARRIVAL_BATCH)
		fprintf(f, "requests: %" PRIu64 " at once every %s",
			rq->batch_size,
			fmt_dur(rq->batch_every_ns, a, sizeof(a)));
	else
		fprintf(f, "requests: %" PRIu64 ".%03" PRIu64 "/s %s",
			rq->rate_milli / 1000, rq->rate_milli % 1000,
			arrival_names[rq->arrival]);
	fprintf(f, ", service %s %s", dist_names[rq->dist],
		fmt_dur(rq->service_mean_ns, a, sizeof(a)));
	if (rq->dist == DIST_LOGNORMAL)
		fprintf(f, " sd %s", fmt_dur(rq->service_sd_ns, b, sizeof(b)));
}

static void text_workload(FILE *f, const struct workload *wl)
{
	char a[64], b[64];
	size_t i;

	switch (wl->kind) {
	case WL_HOG:
		fputs("hog (always runnable)", f);
		break;
	case WL_PERIODIC:
		fprintf(f, "periodic: run %s every %s (activation period)",
			fmt_len(&wl->run, a, sizeof(a)),
			fmt_dur(wl->period_ns, b, sizeof(b)));
		break;
	case WL_PHASES:
		fputs("phases:", f);
		for (i = 0; i < wl->nphases; i++)
			fprintf(f, "%s %s %s", i ? "," : "",
				wl->phases[i].kind == PHASE_RUN ? "run" :
								  "sleep",
				fmt_len(&wl->phases[i].len, a, sizeof(a)));
		if (wl->loop)
			fprintf(f, "; %" PRIu64 " loop%s", wl->loop,
				wl->loop == 1 ? "" : "s");
		else
			fputs("; loops forever", f);
		break;
	case WL_REQUESTS:
		text_requests(f, &wl->req);
		break;
	}
	if (wl->start_ns)
		fprintf(f, "; starts at %s",
			fmt_dur(wl->start_ns, a, sizeof(a)));
}

static void text_tolerance(FILE *f, const char *name, const struct tolerance *t,
			   bool is_time, bool *first)
{
	char buf[32];

	if (t->kind == TOL_DEFAULT)
		return;
	fprintf(f, "%s%s ", *first ? "" : ", ", name);
	*first = false;
	if (t->kind == TOL_REL)
		fprintf(f, "%g%%", t->rel * 100);
	else if (is_time)
		fprintf(f, "%s", fmt_dur(t->abs, buf, sizeof(buf)));
	else
		fprintf(f, "%" PRIu64, t->abs);
}

static void text_group(FILE *f, const struct scenario *sc, size_t gi)
{
	const struct group_spec *g = &sc->groups[gi];
	int ind = 2 * (int)g->depth + 2;
	char q[32], p[32], b[32], cpus[256];
	struct knob_files kf;
	size_t i;

	fprintf(f, "%*s%s\n", ind, "", g->path);
	ind += 2;
	if (g->k8s.set)
		fprintf(f,
			"%*sk8s request %" PRIu64 "m, limit %" PRIu64 "m%s\n",
			ind, "", g->k8s.request_m, g->k8s.limit_m,
			g->k8s.limit_m ? "" : " (none)");
	if (g->weight)
		fprintf(f, "%*sweight %u -> shares %u\n", ind, "", g->weight,
			g->shares);
	else
		fprintf(f, "%*sshares %u\n", ind, "", g->shares);
	fmt_dur(g->period_ns, p, sizeof(p));
	fmt_dur(g->burst_ns, b, sizeof(b));
	if (g->has_quota)
		fprintf(f, "%*squota %s per period %s (bandwidth), burst %s\n",
			ind, "", fmt_dur(g->quota_ns, q, sizeof(q)), p, b);
	else
		fprintf(f, "%*sno quota (bandwidth period %s, unused)\n", ind,
			"", p);
	knob_files(g, false, &kf);
	fprintf(f,
		"%*sv1: cpu.shares %u, cpu.cfs_quota_us %s, cpu.cfs_period_us "
		"%" PRIu64 ", cpu.cfs_burst_us %" PRIu64 "\n",
		ind, "", kf.shares, kf.cfs_quota_us, kf.cfs_period_us,
		kf.burst_us);
	fprintf(f,
		"%*sv2: cpu.weight %u, cpu.max \"%s\", cpu.max.burst %" PRIu64
		"\n",
		ind, "", kf.weight, kf.cpu_max, kf.burst_us);
	fprintf(f, "%*scpuset: %s%s\n", ind, "",
		cpulist_format(g->cpus_mask, cpus, sizeof(cpus)),
		g->cpus_set ? "" : " (inherited)");
	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *t = &sc->tasks[i];

		if (t->group != gi)
			continue;
		fprintf(f, "%*stask %s: %u thread%s, nice %d (weight %u), ",
			ind, "", t->name, t->count, t->count == 1 ? "" : "s",
			t->nice, nice_weight(t->nice));
		text_workload(f, &t->wl);
		fputc('\n', f);
	}
}

static void text_check(FILE *f, const struct scenario *sc)
{
	const struct expect_spec *e = &sc->expect;
	const struct kernel_spec *k = &sc->kernel;
	char d[32], s[32], t[32], cpus[256];
	unsigned long long threads = 0;
	enum policy_kind policy;
	struct sim_tunables tu;
	bool first = true;
	size_t i;

	for (i = 0; i < sc->ntasks; i++)
		threads += sc->tasks[i].count;
	fprintf(f, "scenario %s (%s): valid\n", sc->name, sc->file);
	fprintf(f, "  duration %s, seed %" PRIu64 "\n",
		fmt_dur(sc->duration_ns, d, sizeof(d)), sc->seed);
	/* the top-level cpus is a count; a group's is a cpuset (below) */
	fprintf(f, "  cpus: %u (CPUs the scenario owns: %s)\n", sc->cpus,
		cpulist_format(scenario_cpus_mask(sc), cpus, sizeof(cpus)));
	sim_tunables(sc, &tu);
	policy = sim_kernel_policy(k);
	fprintf(f, "  kernel: %s%s, %s%s, hz %u (tick %s), online cpus %u%s\n",
		k->version[0] ? k->version : SIM_DEFAULT_KERNEL,
		k->version[0] ? "" : " (default)", policy_name(policy),
		k->policy_set ? "" : " (from the version)", k->hz,
		fmt_dur(tu.tick_ns, t, sizeof(t)),
		k->online_cpus ? k->online_cpus : sc->cpus,
		k->busy_host ? ", busy host" : "");
	fprintf(f, "  tunables: factor %u, ", tu.factor);
	if (policy == POLICY_EEVDF)
		fprintf(f, "base slice %s, ",
			fmt_dur(tu.base_slice_ns, s, sizeof(s)));
	else
		fprintf(f,
			"latency %s, min granularity %s, wakeup granularity"
			" %s, ",
			fmt_dur(tu.sched_latency_ns, s, sizeof(s)),
			fmt_dur(tu.min_granularity_ns, d, sizeof(d)),
			fmt_dur(tu.wakeup_granularity_ns, t, sizeof(t)));
	fprintf(f, "bandwidth slice %s, ",
		fmt_dur(tu.bandwidth_slice_ns, s, sizeof(s)));
	fprintf(f, "balance every %s busy / %s idle\n",
		fmt_dur(tu.balance_busy_ns, d, sizeof(d)),
		fmt_dur(tu.balance_idle_ns, t, sizeof(t)));
	fputs("  expect: ", f);
	for (i = 0; i < EXPECT_NKEYS; i++)
		text_tolerance(f, expect_keys[i].name, expect_tolerance(e, i),
			       expect_keys[i].is_time, &first);
	fputs(first ? "defaults\n" : "\n", f);
	fprintf(f, "  %zu group%s, %zu task%s, %llu thread%s\n", sc->ngroups,
		sc->ngroups == 1 ? "" : "s", sc->ntasks,
		sc->ntasks == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
	fputs("groups:\n", f);
	for (i = 0; i < sc->ngroups; i++)
		text_group(f, sc, i);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_len(FILE *f, const char *name, const struct len_range *l)
{
	fprintf(f, "\"%s_min_ns\": %" PRIu64 ", \"%s_max_ns\": %" PRIu64, name,
		l->min_ns, name, l->max_ns);
}

static void json_workload(FILE *f, const struct workload *wl)
{
	size_t i;

	switch (wl->kind) {
	case WL_HOG:
		fputs("{\"kind\": \"hog\"", f);
		break;
	case WL_REQUESTS:
		fprintf(f,
			"{\"kind\": \"requests\", \"rate_milli\": %" PRIu64
			", \"arrival\": \"%s\", \"batch_size\": %" PRIu64
			", \"batch_every_ns\": %" PRIu64
			", \"dist\": \"%s\", \"service_mean_ns\": %" PRIu64
			", \"service_sd_ns\": %" PRIu64,
			wl->req.rate_milli, arrival_names[wl->req.arrival],
			wl->req.batch_size, wl->req.batch_every_ns,
			dist_names[wl->req.dist], wl->req.service_mean_ns,
			wl->req.service_sd_ns);
		break;
	case WL_PERIODIC:
		fputs("{\"kind\": \"periodic\", ", f);
		json_len(f, "run", &wl->run);
		fprintf(f, ", \"period_ns\": %" PRIu64, wl->period_ns);
		break;
	case WL_PHASES:
		fprintf(f,
			"{\"kind\": \"phases\", \"loop\": %" PRIu64
			", \"phases\": [",
			wl->loop);
		for (i = 0; i < wl->nphases; i++) {
			fputs(i ? ", {" : "{", f);
			json_len(f,
				 wl->phases[i].kind == PHASE_RUN ? "run" :
								   "sleep",
				 &wl->phases[i].len);
			fputc('}', f);
		}
		fputc(']', f);
		break;
	}
	fprintf(f, ", \"start_ns\": %" PRIu64 "}", wl->start_ns);
}

static void json_tolerance(FILE *f, const char *name, const struct tolerance *t,
			   bool is_time, bool *first)
{
	if (t->kind == TOL_DEFAULT)
		return;
	fprintf(f, "%s\"%s\": ", *first ? "" : ", ", name);
	*first = false;
	if (t->kind == TOL_REL)
		fprintf(f, "{\"rel\": %.10g}", t->rel);
	else
		fprintf(f, "{\"%s\": %" PRIu64 "}", is_time ? "abs_ns" : "abs",
			t->abs);
}

static void json_group(FILE *f, const struct scenario *sc, size_t gi)
{
	const struct group_spec *g = &sc->groups[gi];
	struct knob_files kf;
	bool first = true;
	unsigned c;

	fputs("    {\"path\": ", f);
	report_json_string(f, g->path);
	fputs(", \"name\": ", f);
	report_json_string(f, g->name);
	fputs(", \"parent\": ", f);
	if (g->parent >= 0)
		report_json_string(f, sc->groups[g->parent].path);
	else
		fputs("null", f);
	knob_files(g, false, &kf);
	fprintf(f,
		", \"depth\": %u, \"shares\": %u, \"cpu_weight\": %u, "
		"\"weight\": ",
		g->depth, kf.shares, kf.weight);
	if (g->weight)
		fprintf(f, "%u", g->weight);
	else
		fputs("null", f);
	fputs(",\n     \"quota_ns\": ", f);
	if (g->has_quota)
		fprintf(f, "%" PRIu64, g->quota_ns);
	else
		fputs("null", f);
	fprintf(f,
		", \"period_ns\": %" PRIu64 ", \"burst_ns\": %" PRIu64
		", \"cfs_quota_us\": %s, \"cfs_period_us\": %" PRIu64
		", \"cfs_burst_us\": %" PRIu64 ", \"cpu_max\": \"%s\""
		", \"cpu_max_burst\": %" PRIu64 ",\n     \"cpus\": [",
		g->period_ns, g->burst_ns, kf.cfs_quota_us, kf.cfs_period_us,
		kf.burst_us, kf.cpu_max, kf.burst_us);
	for (c = 0; c < SIM_MAX_CPUS; c++) {
		if (!(g->cpus_mask >> c & 1))
			continue;
		fprintf(f, "%s%u", first ? "" : ", ", c);
		first = false;
	}
	fprintf(f, "], \"cpus_set\": %s, \"k8s\": ",
		g->cpus_set ? "true" : "false");
	if (g->k8s.set)
		fprintf(f,
			"{\"request_m\": %" PRIu64 ", \"limit_m\": %" PRIu64
			"}",
			g->k8s.request_m, g->k8s.limit_m);
	else
		fputs("null", f);
	fprintf(f, ", \"line\": %d, \"col\": %d}", g->line, g->col);
}

static void json_task(FILE *f, const struct scenario *sc, size_t ti)
{
	const struct task_spec *t = &sc->tasks[ti];

	fputs("    {\"group\": ", f);
	report_json_string(f, sc->groups[t->group].path);
	fputs(", \"name\": ", f);
	report_json_string(f, t->name);
	fprintf(f,
		", \"count\": %u, \"nice\": %d, \"weight\": %u,"
		" \"line\": %d, \"col\": %d,\n     \"workload\": ",
		t->count, t->nice, nice_weight(t->nice), t->line, t->col);
	json_workload(f, &t->wl);
	fputc('}', f);
}

static void json_check(FILE *f, const struct scenario *sc)
{
	const struct expect_spec *e = &sc->expect;
	const struct kernel_spec *k = &sc->kernel;
	struct sim_tunables tu;
	bool first = true;
	size_t i;

	fputs("{\"scenario\": ", f);
	report_json_string(f, sc->name);
	fputs(", \"file\": ", f);
	report_json_string(f, sc->file);
	fprintf(f,
		",\n  \"duration_ns\": %" PRIu64
		", \"cpus\": %u, \"seed\": %" PRIu64 ",\n",
		sc->duration_ns, sc->cpus, sc->seed);
	sim_tunables(sc, &tu);
	fputs("  \"kernel\": {\"version\": ", f);
	report_json_string(f, k->version[0] ? k->version : SIM_DEFAULT_KERNEL);
	fprintf(f,
		", \"version_set\": %s, \"policy\": \"%s\","
		" \"policy_set\": %s, \"hz\": %u, \"tick_ns\": %" PRIu64
		", \"online_cpus\": %u,\n    \"factor\": %u, \"base_slice_ns\": %" PRIu64
		", \"sched_latency_ns\": %" PRIu64
		", \"min_granularity_ns\": %" PRIu64
		", \"wakeup_granularity_ns\": %" PRIu64
		", \"bandwidth_slice_ns\": %" PRIu64
		", \"balance_busy_ns\": %" PRIu64
		", \"balance_idle_ns\": %" PRIu64 ", \"busy_host\": %s",
		k->version[0] ? "true" : "false",
		policy_name(sim_kernel_policy(k)),
		k->policy_set ? "true" : "false", k->hz, tu.tick_ns,
		k->online_cpus ? k->online_cpus : sc->cpus, tu.factor,
		tu.base_slice_ns, tu.sched_latency_ns, tu.min_granularity_ns,
		tu.wakeup_granularity_ns, tu.bandwidth_slice_ns,
		tu.balance_busy_ns, tu.balance_idle_ns,
		k->busy_host ? "true" : "false");
	fputs("},\n  \"expect\": {", f);
	for (i = 0; i < EXPECT_NKEYS; i++)
		json_tolerance(f, expect_keys[i].name, expect_tolerance(e, i),
			       expect_keys[i].is_time, &first);
	fputs("},\n  \"groups\": [\n", f);
	for (i = 0; i < sc->ngroups; i++) {
		json_group(f, sc, i);
		fputs(i + 1 < sc->ngroups ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"tasks\": [\n", f);
	for (i = 0; i < sc->ntasks; i++) {
		json_task(f, sc, i);
		fputs(i + 1 < sc->ntasks ? ",\n" : "\n", f);
	}
	fputs("  ]}\n", f);
}

int cmd_check(const struct cli_opts *o)
{
	struct scenario sc;
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc != EXIT_OK)
		return rc;
	if (o->json)
		json_check(stdout, &sc);
	else
		text_check(stdout, &sc);
	fflush(stdout);
	scenario_destroy(&sc);
	return EXIT_OK;
}
