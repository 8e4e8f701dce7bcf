#include "output/report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* cgroup v2 prints µs truncated (throttled_usec = throttled_time / 1000) */
static uint64_t usec(uint64_t ns)
{
	return ns / 1000;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static int width(const char *s, int min)
{
	int n = (int)strlen(s);

	return n > min ? n : min;
}

static void text_groups_v2(FILE *f, const struct results *r, int w)
{
	size_t i;

	fprintf(f, "%-*s %11s %11s %11s %10s %12s %14s %9s %10s %6s\n", w,
		"group", "usage_usec", "user_usec", "system_usec", "nr_periods",
		"nr_throttled", "throttled_usec", "nr_bursts", "burst_usec",
		"cpu%");
	for (i = 0; i < r->ngroups; i++) {
		const struct group_result *g = &r->groups[i];

		fprintf(f,
			"%-*s %11" PRIu64 " %11" PRIu64 " %11" PRIu64
			" %10" PRIu64 " %12" PRIu64 " %14" PRIu64 " %9" PRIu64
			" %10" PRIu64 " %6.1f\n",
			w, g->path, usec(g->usage_ns), usec(g->user_ns),
			usec(g->system_ns), g->nr_periods, g->nr_throttled,
			usec(g->throttled_ns), g->nr_bursts, usec(g->burst_ns),
			pct(g->usage_ns, r->duration_ns));
	}
}

static void text_groups_v1(FILE *f, const struct results *r, int w)
{
	size_t i;

	fprintf(f, "%-*s %14s %10s %12s %15s %9s %13s %6s\n", w, "group",
		"cpuacct.usage", "nr_periods", "nr_throttled", "throttled_time",
		"nr_bursts", "burst_time", "cpu%");
	for (i = 0; i < r->ngroups; i++) {
		const struct group_result *g = &r->groups[i];

		fprintf(f,
			"%-*s %14" PRIu64 " %10" PRIu64 " %12" PRIu64
			" %15" PRIu64 " %9" PRIu64 " %13" PRIu64 " %6.1f\n",
			w, g->path, g->usage_ns, g->nr_periods, g->nr_throttled,
			g->throttled_ns, g->nr_bursts, g->burst_ns,
			pct(g->usage_ns, r->duration_ns));
	}
}

static const char *latency_kind_name(enum latency_kind k)
{
	return k == LAT_REQUESTS ? "requests" : "activations";
}

static uint64_t lat_pct_us(const struct latency_result *l, unsigned per_100k)
{
	return usec(latency_percentile(l->samples_ns, l->n, per_100k));
}

/* Response times per task, then the breakdown of their mean, then the
 * wake-up latency of periodic activations. */
static void text_latency(FILE *f, const struct results *r)
{
	char name[512];
	int tw = 7;
	size_t i;
	bool wake = false;

	for (i = 0; i < r->nlatency; i++) {
		snprintf(name, sizeof(name), "%s/%s", r->latency[i].group,
			 r->latency[i].task);
		tw = width(name, tw);
		wake |= r->latency[i].kind == LAT_ACTIVATIONS;
	}
	fprintf(f, "\n%-*s %-11s %7s %6s %10s %10s %10s %10s %10s %10s\n", tw,
		"latency", "kind", "n", "open", "mean_usec", "p50_usec",
		"p90_usec", "p99_usec", "p99.9_usec", "max_usec");
	for (i = 0; i < r->nlatency; i++) {
		const struct latency_result *l = &r->latency[i];
		uint64_t mean, parts[4];

		latency_mean_parts(l, 1000, &mean, parts);
		snprintf(name, sizeof(name), "%s/%s", l->group, l->task);
		fprintf(f,
			"%-*s %-11s %7zu %6" PRIu64 " %10" PRIu64 " %10" PRIu64
			" %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			"\n",
			tw, name, latency_kind_name(l->kind), l->n, l->open,
			mean, lat_pct_us(l, 50000), lat_pct_us(l, 90000),
			lat_pct_us(l, 99000), lat_pct_us(l, 99900),
			l->n ? usec(l->samples_ns[l->n - 1]) : 0);
	}
	fprintf(f, "\n%-*s %10s %12s %13s %15s %12s\n", tw, "latency",
		"mean_usec", "queued_usec", "runnable_usec", "throttled_usec",
		"running_usec");
	for (i = 0; i < r->nlatency; i++) {
		const struct latency_result *l = &r->latency[i];
		uint64_t mean, parts[4];

		latency_mean_parts(l, 1000, &mean, parts);
		snprintf(name, sizeof(name), "%s/%s", l->group, l->task);
		if (!l->has_breakdown) {
			fprintf(f, "%-*s %10" PRIu64 " %12s %13s %15s %12s\n",
				tw, name, mean, "-", "-", "-", "-");
			continue;
		}
		fprintf(f,
			"%-*s %10" PRIu64 " %12" PRIu64 " %13" PRIu64
			" %15" PRIu64 " %12" PRIu64 "\n",
			tw, name, mean, parts[0], parts[1], parts[2], parts[3]);
	}
	if (!wake)
		return;
	fprintf(f, "\n%-*s %10s %10s %10s\n", tw, "wake-up", "p50_usec",
		"p99_usec", "max_usec");
	for (i = 0; i < r->nlatency; i++) {
		const struct latency_result *l = &r->latency[i];

		if (l->kind != LAT_ACTIVATIONS)
			continue;
		snprintf(name, sizeof(name), "%s/%s", l->group, l->task);
		fprintf(f, "%-*s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
			tw, name,
			usec(latency_percentile(l->wakeup_ns, l->nwakeup,
						50000)),
			usec(latency_percentile(l->wakeup_ns, l->nwakeup,
						99000)),
			l->nwakeup ? usec(l->wakeup_ns[l->nwakeup - 1]) : 0);
	}
}

void report_text(FILE *f, const struct results *r, int cgroup_version)
{
	char name[512];
	int w = 5, tw = 4;
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		w = width(r->groups[i].path, w);
	for (i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->tasks[i];

		snprintf(name, sizeof(name), "%s/%s[%u]", t->group, t->name,
			 t->index);
		tw = width(name, tw);
	}
	fprintf(f, "%s: %s run of %.3f s on %u CPU%s (%s)\n", r->scenario,
		r->source == SOURCE_SIM ? "simulated" : "real",
		(double)r->duration_ns / 1e9, r->cpus, r->cpus == 1 ? "" : "s",
		r->kernel);
	if (r->host_measured)
		fprintf(f,
			"host: other tasks took %.1f ms of the run's CPUs, "
			"the hypervisor %.1f ms (%.1f%% of them)\n",
			(double)r->host_other_ns / 1e6,
			(double)r->host_steal_ns / 1e6,
			pct(r->host_other_ns + r->host_steal_ns,
			    r->duration_ns * r->cpus));
	if (r->host_charged_ns)
		fprintf(f,
			"host: %.1f ms of the tasks' runtime was charged to "
			"them while they did not run (%.1f%% of the run's "
			"CPUs)\n",
			(double)r->host_charged_ns / 1e6,
			pct(r->host_charged_ns, r->duration_ns * r->cpus));
	fprintf(f, "\n");
	if (cgroup_version == 1)
		text_groups_v1(f, r, w);
	else
		text_groups_v2(f, r, w);
	fprintf(f, "\n%-*s %13s %11s %9s %10s %6s\n", tw, "task",
		"runtime_usec", "wait_usec", "switches", "voluntary", "cpu%");
	for (i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->tasks[i];

		snprintf(name, sizeof(name), "%s/%s[%u]", t->group, t->name,
			 t->index);
		fprintf(f,
			"%-*s %13" PRIu64 " %11" PRIu64 " %9" PRIu64
			" %10" PRIu64 " %6.1f\n",
			tw, name, usec(t->runtime_ns), usec(t->wait_ns),
			t->nr_switches, t->nr_voluntary,
			pct(t->runtime_ns, r->duration_ns));
	}
	if (r->nlatency)
		text_latency(f, r);
}

void report_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_latency(FILE *f, const struct results *r, int n)
{
	size_t i;

	fprintf(f, ",\n%*s  \"latency\": [", n, "");
	for (i = 0; i < r->nlatency; i++) {
		const struct latency_result *l = &r->latency[i];
		uint64_t mean, parts[4];

		latency_mean_parts(l, 1000, &mean, parts);
		fprintf(f, "%s\n%*s    { \"group\": ", i ? "," : "", n, "");
		report_json_string(f, l->group);
		fprintf(f, ", \"task\": ");
		report_json_string(f, l->task);
		fprintf(f,
			", \"kind\": \"%s\", \"n\": %zu, \"open\": %" PRIu64
			", \"mean_usec\": %" PRIu64 ", \"p50_usec\": %" PRIu64
			", \"p90_usec\": %" PRIu64 ", \"p99_usec\": %" PRIu64
			", \"p999_usec\": %" PRIu64 ", \"max_usec\": %" PRIu64,
			latency_kind_name(l->kind), l->n, l->open, mean,
			lat_pct_us(l, 50000), lat_pct_us(l, 90000),
			lat_pct_us(l, 99000), lat_pct_us(l, 99900),
			l->n ? usec(l->samples_ns[l->n - 1]) : 0);
		if (l->has_breakdown)
			fprintf(f,
				", \"breakdown_usec\": { \"queued\": %" PRIu64
				", \"runnable\": %" PRIu64
				", \"throttled\": %" PRIu64
				", \"running\": %" PRIu64 " }",
				parts[0], parts[1], parts[2], parts[3]);
		else
			fprintf(f, ", \"breakdown_usec\": null");
		if (l->kind == LAT_ACTIVATIONS)
			fprintf(f,
				", \"wakeup_usec\": { \"p50\": %" PRIu64
				", \"p99\": %" PRIu64 ", \"max\": %" PRIu64
				" }",
				usec(latency_percentile(l->wakeup_ns,
							l->nwakeup, 50000)),
				usec(latency_percentile(l->wakeup_ns,
							l->nwakeup, 99000)),
				l->nwakeup ?
					usec(l->wakeup_ns[l->nwakeup - 1]) :
					0);
		fprintf(f, " }");
	}
	fprintf(f, " ]");
}

void report_json(FILE *f, const struct results *r, int indent)
{
	size_t i;
	int n = indent;

	fprintf(f, "%*s{ \"scenario\": ", n, "");
	report_json_string(f, r->scenario);
	fprintf(f,
		", \"source\": \"%s\", \"duration_usec\": %" PRIu64
		", \"cpus\": %u,\n",
		r->source == SOURCE_SIM ? "sim" : "real", usec(r->duration_ns),
		r->cpus);
	fprintf(f, "%*s  \"kernel\": ", n, "");
	report_json_string(f, r->kernel);
	fprintf(f, ", \"wall_usec\": %" PRIu64, usec(r->wall_ns));
	if (r->host_measured)
		fprintf(f,
			", \"host_other_usec\": %" PRIu64
			", \"host_steal_usec\": %" PRIu64,
			usec(r->host_other_ns), usec(r->host_steal_ns));
	if (r->source == SOURCE_REAL)
		fprintf(f, ", \"host_charged_usec\": %" PRIu64,
			usec(r->host_charged_ns));
	if (r->generator_shared)
		fprintf(f, ", \"generator_shared\": true");
	fprintf(f, ",\n");
	fprintf(f, "%*s  \"groups\": [", n, "");
	for (i = 0; i < r->ngroups; i++) {
		const struct group_result *g = &r->groups[i];

		fprintf(f, "%s\n%*s    { \"path\": ", i ? "," : "", n, "");
		report_json_string(f, g->path);
		fprintf(f,
			", \"usage_usec\": %" PRIu64 ", \"user_usec\": %" PRIu64
			", \"system_usec\": %" PRIu64
			", \"nr_periods\": %" PRIu64
			", \"nr_throttled\": %" PRIu64
			", \"throttled_usec\": %" PRIu64
			", \"nr_bursts\": %" PRIu64 ", \"burst_usec\": %" PRIu64
			", \"throttled_local_usec\": %" PRIu64 " }",
			usec(g->usage_ns), usec(g->user_ns), usec(g->system_ns),
			g->nr_periods, g->nr_throttled, usec(g->throttled_ns),
			g->nr_bursts, usec(g->burst_ns),
			usec(g->throttled_local_ns));
	}
	fprintf(f, " ],\n%*s  \"tasks\": [", n, "");
	for (i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->tasks[i];

		fprintf(f, "%s\n%*s    { \"group\": ", i ? "," : "", n, "");
		report_json_string(f, t->group);
		fprintf(f, ", \"name\": ");
		report_json_string(f, t->name);
		fprintf(f,
			", \"index\": %u, \"runtime_usec\": %" PRIu64
			", \"wait_usec\": %" PRIu64
			", \"nr_switches\": %" PRIu64
			", \"nr_voluntary_switches\": %" PRIu64 " }",
			t->index, usec(t->runtime_ns), usec(t->wait_ns),
			t->nr_switches, t->nr_voluntary);
	}
	fprintf(f, " ]");
	if (r->nlatency)
		json_latency(f, r, n);
	fprintf(f, " }");
}

void report_csv_groups(FILE *f, const struct results *r)
{
	size_t i;

	fprintf(f, "source,group,usage_usec,user_usec,system_usec,nr_periods,"
		   "nr_throttled,throttled_usec,nr_bursts,burst_usec,"
		   "throttled_local_usec\n");
	for (i = 0; i < r->ngroups; i++) {
		const struct group_result *g = &r->groups[i];

		fprintf(f,
			"%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 "\n",
			r->source == SOURCE_SIM ? "sim" : "real", g->path,
			usec(g->usage_ns), usec(g->user_ns), usec(g->system_ns),
			g->nr_periods, g->nr_throttled, usec(g->throttled_ns),
			g->nr_bursts, usec(g->burst_ns),
			usec(g->throttled_local_ns));
	}
}

void report_csv_tasks(FILE *f, const struct results *r)
{
	size_t i;

	fprintf(f, "source,group,task,index,runtime_usec,wait_usec,"
		   "nr_switches,nr_voluntary_switches\n");
	for (i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->tasks[i];

		fprintf(f,
			"%s,%s,%s,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 "\n",
			r->source == SOURCE_SIM ? "sim" : "real", t->group,
			t->name, t->index, usec(t->runtime_ns),
			usec(t->wait_ns), t->nr_switches, t->nr_voluntary);
	}
}
