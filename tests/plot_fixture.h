/* A hand-built run for the plot, trace and report tests: 2 CPUs, 1 s.
 * CPU 0: web/hog runs [4k ms + 1 ns, 4(k+1) ms) for k = 0..249, i.e.
 * 250 slices of 3,999,999 ns = 999,999,750 ns.  CPU 1, in each 100 ms
 * period p = 0..9: batch/worker#0 runs 10 ms, batch/worker#1 10 ms, then
 * batch/inner/steps#0 10 ms; batch (quota 30 ms) is then throttled for
 * the remaining 70 ms.  So batch uses 300 ms, inner 100 ms, each worker
 * thread 100 ms; batch has 10 periods, all throttled, 700 ms throttled. */
#ifndef TESTS_PLOT_FIXTURE_H
#define TESTS_PLOT_FIXTURE_H

#include <string.h>

#include "sim/results.h"
#include "sim/xalloc.h"

#define FX_MS 1000000ULL

static inline void fx_slice(struct timeline *tl, size_t task, unsigned cpu,
			    uint64_t start, uint64_t end)
{
	xgrow((void **)&tl->slices, &tl->cap_slices, tl->nslices + 1,
	      sizeof(*tl->slices));
	tl->slices[tl->nslices].task = task;
	tl->slices[tl->nslices].cpu = cpu;
	tl->slices[tl->nslices].start_ns = start;
	tl->slices[tl->nslices].end_ns = end;
	tl->nslices++;
	xgrow((void **)&tl->vruntimes, &tl->cap_vruntimes, tl->nvruntimes + 1,
	      sizeof(*tl->vruntimes));
	tl->vruntimes[tl->nvruntimes].task = task;
	tl->vruntimes[tl->nvruntimes].cpu = cpu;
	tl->vruntimes[tl->nvruntimes].time_ns = end;
	tl->vruntimes[tl->nvruntimes].vruntime_ns =
		(int64_t)((end / 3) % (7 * FX_MS)) - (int64_t)(2 * FX_MS);
	tl->nvruntimes++;
}

static inline void fx_group(struct group_result *g, const char *path,
			    uint64_t usage_ns)
{
	memset(g, 0, sizeof(*g));
	g->path = xstrdup(path);
	g->usage_ns = usage_ns;
	g->user_ns = usage_ns;
}

static inline void fx_task(struct task_result *t, const char *group,
			   const char *name, unsigned index,
			   uint64_t runtime_ns)
{
	memset(t, 0, sizeof(*t));
	t->group = xstrdup(group);
	t->name = xstrdup(name);
	t->index = index;
	t->runtime_ns = runtime_ns;
}

/* Fills r (zeroed by the caller) with the run described above. */
static inline void fx_build(struct results *r)
{
	struct timeline *tl = xcalloc(1, sizeof(*tl));
	unsigned k;

	r->scenario = xstrdup("fixture <two> & \"groups\"");
	r->source = SOURCE_SIM;
	r->duration_ns = 1000 * FX_MS;
	r->cpus = 2;
	strcpy(r->kernel, "6.18");
	r->ngroups = 3;
	r->groups = xcalloc(3, sizeof(*r->groups));
	fx_group(&r->groups[0], "web", 999999750ULL);
	fx_group(&r->groups[1], "batch", 300 * FX_MS);
	fx_group(&r->groups[2], "batch/inner", 100 * FX_MS);
	r->groups[1].nr_periods = 10;
	r->groups[1].nr_throttled = 10;
	r->groups[1].throttled_ns = 700 * FX_MS;
	r->ntasks = 4;
	r->tasks = xcalloc(4, sizeof(*r->tasks));
	fx_task(&r->tasks[0], "web", "hog", 0, 999999750ULL);
	fx_task(&r->tasks[1], "batch", "worker", 0, 100 * FX_MS);
	fx_task(&r->tasks[2], "batch", "worker", 1, 100 * FX_MS);
	fx_task(&r->tasks[3], "batch/inner", "steps", 0, 100 * FX_MS);
	r->tasks[0].nr_switches = 250;
	r->timeline = tl;
	for (k = 0; k < 250; k++)
		fx_slice(tl, 0, 0, k * 4 * FX_MS + 1, (k + 1) * 4 * FX_MS);
	for (k = 0; k < 10; k++) {
		uint64_t p = k * 100 * FX_MS;

		fx_slice(tl, 1, 1, p, p + 10 * FX_MS);
		fx_slice(tl, 2, 1, p + 10 * FX_MS, p + 20 * FX_MS);
		fx_slice(tl, 3, 1, p + 20 * FX_MS, p + 30 * FX_MS);
		xgrow((void **)&tl->periods, &tl->cap_periods, tl->nperiods + 1,
		      sizeof(*tl->periods));
		tl->periods[tl->nperiods].group = 1;
		tl->periods[tl->nperiods].start_ns = p;
		tl->periods[tl->nperiods].end_ns = p + 100 * FX_MS;
		tl->periods[tl->nperiods].quota_ns = 30 * FX_MS;
		tl->periods[tl->nperiods].used_ns = 30 * FX_MS;
		tl->periods[tl->nperiods].throttled_ns = 70 * FX_MS;
		tl->periods[tl->nperiods].throttled = 1;
		tl->nperiods++;
	}
}

#endif
