/* Scenario YAML writer: the keys of scenarios/README.md, in the order the
 * documentation gives them, defaults left out. */
#include "scenarios/writer.h"

#include <inttypes.h>
#include <string.h>

#include "base/cpulist.h"
#include "base/duration.h"
#include "compare/compare.h"

/* A duration as the loader reads it back: exact, with a unit even for 0
 * ("0s"), which duration_format writes bare. */
static const char *dur(uint64_t ns, char *buf, size_t len)
{
	if (!ns) {
		snprintf(buf, len, "0s");
		return buf;
	}
	return duration_format(ns, DURATION_DECIMAL, buf, len);
}

/* A name as a YAML scalar: names hold letters, digits, '_', '.' and '-'
 * and start with no '.', so plain is fine but for "-" alone, which YAML
 * reads as a sequence entry. */
static const char *yname(const char *s)
{
	return strcmp(s, "-") ? s : "\"-\"";
}

static void indent(FILE *out, unsigned n)
{
	while (n--)
		fputc(' ', out);
}

static void write_len(FILE *out, const struct len_range *r)
{
	char a[32], b[32];

	if (r->min_ns == r->max_ns)
		fputs(dur(r->min_ns, a, sizeof(a)), out);
	else
		fprintf(out, "{min: %s, max: %s}", dur(r->min_ns, a, sizeof(a)),
			dur(r->max_ns, b, sizeof(b)));
}

/* One entry of a phase list at pos; returns the index after it. */
static size_t write_phase(FILE *out, const struct workload *wl, size_t pos,
			  unsigned ind)
{
	const struct wl_phase *ph = &wl->phases[pos];
	char buf[32];
	size_t i, end;

	indent(out, ind);
	switch (ph->kind) {
	case PHASE_RUN:
	case PHASE_SLEEP:
		fprintf(out,
			"- {%s: ", ph->kind == PHASE_RUN ? "run" : "sleep");
		write_len(out, &ph->len);
		fputs("}\n", out);
		return pos + 1;
	case PHASE_TIMER:
		fprintf(out, "- {timer: %s",
			dur(ph->len.min_ns, buf, sizeof(buf)));
		if (strcmp(wl->timer_refs[ph->timer], "unique") != 0)
			fprintf(out, ", ref: %s",
				yname(wl->timer_refs[ph->timer]));
		if (ph->absolute)
			fputs(", mode: absolute", out);
		fputs("}\n", out);
		return pos + 1;
	case PHASE_BLOCK:
		break;
	}
	fprintf(out, "- loop: %" PRIu64 "\n", ph->loop);
	indent(out, ind + 2);
	fputs("phases:\n", out);
	end = pos + 1 + ph->nchildren;
	for (i = pos + 1; i < end;)
		i = write_phase(out, wl, i, ind + 4);
	return end;
}

static void write_workload(FILE *out, const struct workload *wl, unsigned ind)
{
	char buf[32];
	size_t i;

	indent(out, ind);
	if (wl->kind == WL_HOG && !wl->start_ns) {
		fputs("workload: hog\n", out);
		return;
	}
	if (wl->kind != WL_PHASES) {
		fputs("workload: {", out);
		if (wl->kind == WL_PERIODIC) {
			fputs("run: ", out);
			write_len(out, &wl->run);
			fprintf(out, ", period: %s",
				dur(wl->period_ns, buf, sizeof(buf)));
		}
		if (wl->start_ns)
			fprintf(out, "%sstart: %s",
				wl->kind == WL_PERIODIC ? ", " : "",
				dur(wl->start_ns, buf, sizeof(buf)));
		fputs("}\n", out);
		return;
	}
	fputs("workload:\n", out);
	if (wl->start_ns) {
		indent(out, ind + 2);
		fprintf(out, "start: %s\n",
			dur(wl->start_ns, buf, sizeof(buf)));
	}
	if (wl->loop) {
		indent(out, ind + 2);
		fprintf(out, "loop: %" PRIu64 "\n", wl->loop);
	}
	indent(out, ind + 2);
	fputs("phases:\n", out);
	for (i = 0; i < wl->nphases;)
		i = write_phase(out, wl, i, ind + 4);
}

static void write_task(FILE *out, const struct task_spec *t, unsigned ind)
{
	char buf[32];

	indent(out, ind);
	fprintf(out, "- name: %s\n", yname(t->name));
	if (t->count != 1) {
		indent(out, ind + 2);
		fprintf(out, "count: %u\n", t->count);
	}
	if (t->nice) {
		indent(out, ind + 2);
		fprintf(out, "nice: %d\n", t->nice);
	}
	if (t->slice_ns) {
		indent(out, ind + 2);
		fprintf(out, "slice: %s\n", dur(t->slice_ns, buf, sizeof(buf)));
	}
	write_workload(out, &t->wl, ind + 2);
}

static void write_milli(FILE *out, const char *key, uint64_t m)
{
	fprintf(out, "%s: %" PRIu64 "m", key, m);
}

static void write_group(FILE *out, const struct scenario *sc, size_t gi,
			unsigned ind)
{
	const struct group_spec *g = &sc->groups[gi];
	char buf[32], cpus[256];
	bool any = false;
	size_t i;

	indent(out, ind);
	fprintf(out, "- name: %s\n", yname(g->name));
	if (g->k8s.set) {
		indent(out, ind + 2);
		fputs("k8s: {", out);
		write_milli(out, "request", g->k8s.request_m);
		if (g->k8s.limit_m) {
			fputs(", ", out);
			write_milli(out, "limit", g->k8s.limit_m);
		}
		fputs("}\n", out);
	} else if (g->weight) {
		indent(out, ind + 2);
		fprintf(out, "weight: %u\n", g->weight);
	} else if (g->shares != SHARES_DEFAULT) {
		indent(out, ind + 2);
		fprintf(out, "shares: %u\n", g->shares);
	}
	if (g->has_quota && !g->k8s.set) {
		indent(out, ind + 2);
		fprintf(out, "quota: %s\n", dur(g->quota_ns, buf, sizeof(buf)));
	}
	if (g->period_ns != PERIOD_DEFAULT_NS) {
		indent(out, ind + 2);
		fprintf(out, "period: %s\n",
			dur(g->period_ns, buf, sizeof(buf)));
	}
	if (g->burst_ns) {
		indent(out, ind + 2);
		fprintf(out, "burst: %s\n", dur(g->burst_ns, buf, sizeof(buf)));
	}
	if (g->cpus_set) {
		indent(out, ind + 2);
		fprintf(out, "cpus: \"%s\"\n",
			cpulist_format(g->cpus_mask, cpus, sizeof(cpus)));
	}
	for (i = 0; i < sc->ntasks; i++) {
		if (sc->tasks[i].group != gi)
			continue;
		if (!any) {
			indent(out, ind + 2);
			fputs("tasks:\n", out);
			any = true;
		}
		write_task(out, &sc->tasks[i], ind + 4);
	}
	any = false;
	for (i = gi + 1; i < sc->ngroups; i++) {
		if (sc->groups[i].parent != (long)gi)
			continue;
		if (!any) {
			indent(out, ind + 2);
			fputs("groups:\n", out);
			any = true;
		}
		write_group(out, sc, i, ind + 4);
	}
}

void scenario_write_yaml_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* expect: and not_modelled:, as the loader reads them (an rt-app file's
 * "cfssim" key carries them into its YAML). */
static void write_judging(FILE *out, const struct expect_spec *x)
{
	bool any = false;
	char buf[32];
	size_t i, g;

	for (i = 0; i < EXPECT_NKEYS; i++) {
		const struct tolerance *tol = expect_tolerance(x, i);

		if (tol->kind == TOL_DEFAULT)
			continue;
		if (!any)
			fputs("expect:\n", out);
		any = true;
		fprintf(out, "  %s: ", expect_keys[i].name);
		if (tol->kind == TOL_REL)
			fprintf(out, "%.9g%%\n", tol->rel * 100);
		else if (expect_keys[i].is_time)
			fprintf(out, "%s\n", dur(tol->abs, buf, sizeof(buf)));
		else
			fprintf(out, "%" PRIu64 "\n", tol->abs);
	}
	any = false;
	for (i = 0; i < FIG_NKEYS; i++) {
		if (!x->not_modelled[i])
			continue;
		if (!any)
			fputs("not_modelled:\n", out);
		any = true;
		fprintf(out, "  %s:", cmp_figure((enum figure_key)i)->key);
		if (!x->not_modelled_ngroups[i]) {
			fputc(' ', out);
			scenario_write_yaml_string(out, x->not_modelled[i]);
			fputc('\n', out);
			continue;
		}
		fputs("\n    reason: ", out);
		scenario_write_yaml_string(out, x->not_modelled[i]);
		fputs("\n    groups: [", out);
		for (g = 0; g < x->not_modelled_ngroups[i]; g++)
			fprintf(out, "%s%s", g ? ", " : "",
				x->not_modelled_groups[i][g]);
		fputs("]\n", out);
	}
}

void scenario_write_yaml(FILE *out, const struct scenario *sc,
			 const char *header)
{
	const struct kernel_spec *k = &sc->kernel;
	const char *line, *nl;
	char buf[32];
	size_t i;

	for (line = header; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		fprintf(out, "#%s%.*s\n", line == nl ? "" : " ",
			(int)(nl ? (size_t)(nl - line) : strlen(line)), line);
		if (!nl)
			break;
	}
	fprintf(out, "name: %s\n", yname(sc->name));
	fprintf(out, "duration: %s\n", dur(sc->duration_ns, buf, sizeof(buf)));
	fprintf(out, "cpus: %u\n", sc->cpus);
	if (sc->seed != 1)
		fprintf(out, "seed: %" PRIu64 "\n", sc->seed);
	if (k->version[0] || k->policy_set || k->hz != 250 ||
	    k->bandwidth_slice_ns != 5 * NSEC_PER_MSEC || k->online_cpus) {
		fputs("kernel:\n", out);
		if (k->version[0])
			fprintf(out, "  version: \"%s\"\n", k->version);
		if (k->policy_set)
			fprintf(out, "  policy: %s\n",
				k->policy == POLICY_CFS ? "cfs" : "eevdf");
		if (k->hz != 250)
			fprintf(out, "  hz: %u\n", k->hz);
		if (k->bandwidth_slice_ns != 5 * NSEC_PER_MSEC)
			fprintf(out, "  bandwidth_slice: %s\n",
				dur(k->bandwidth_slice_ns, buf, sizeof(buf)));
		if (k->online_cpus)
			fprintf(out, "  online_cpus: %u\n", k->online_cpus);
	}
	write_judging(out, &sc->expect);
	fputs("groups:\n", out);
	for (i = 0; i < sc->ngroups; i++)
		if (sc->groups[i].parent < 0)
			write_group(out, sc, i, 2);
}
