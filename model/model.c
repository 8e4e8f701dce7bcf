#include "model/model.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define EXPECT_KEY(name, is_time)                                  \
	{                                                          \
#name, is_time, offsetof(struct expect_spec, name) \
	}
const struct expect_key expect_keys[EXPECT_NKEYS] = {
	EXPECT_KEY(usage, true),	 EXPECT_KEY(nr_periods, false),
	EXPECT_KEY(nr_throttled, false), EXPECT_KEY(throttled, true),
	EXPECT_KEY(nr_bursts, false),	 EXPECT_KEY(burst, true),
	EXPECT_KEY(runtime, true),	 EXPECT_KEY(switches, false),
	EXPECT_KEY(wait, true),		 EXPECT_KEY(latency, true),
};

void scenario_init(struct scenario *sc, const char *name)
{
	memset(sc, 0, sizeof(*sc));
	sc->name = xstrdup(name);
	sc->file = xstrdup("");
	sc->duration_ns = NSEC_PER_SEC;
	sc->cpus = 1;
	sc->seed = 1;
	sc->kernel.hz = 250;
	sc->kernel.bandwidth_slice_ns = 5 * NSEC_PER_MSEC;
	sc->kernel.policy = POLICY_EEVDF;
}

long workload_timer(struct workload *wl, const char *ref)
{
	size_t i;

	for (i = 0; i < wl->ntimers; i++)
		if (strcmp(wl->timer_refs[i], ref) == 0)
			return (long)i;
	if (wl->ntimers == WL_MAX_TIMERS)
		return -1;
	if (!wl->timer_refs)
		wl->timer_refs =
			xcalloc(WL_MAX_TIMERS, sizeof(*wl->timer_refs));
	wl->timer_refs[wl->ntimers] = xstrdup(ref);
	return (long)wl->ntimers++;
}

void workload_free_timers(struct workload *wl)
{
	size_t i;

	for (i = 0; i < wl->ntimers; i++)
		free(wl->timer_refs[i]);
	free(wl->timer_refs);
	wl->timer_refs = NULL;
	wl->ntimers = 0;
}

struct wl_phase *workload_add_phase(struct workload *wl, size_t *cap)
{
	xgrow((void **)&wl->phases, cap, wl->nphases + 1, sizeof(*wl->phases));
	memset(&wl->phases[wl->nphases], 0, sizeof(*wl->phases));
	return &wl->phases[wl->nphases++];
}

uint64_t workload_min_ns(const struct workload *wl, size_t from, size_t to)
{
	uint64_t total = 0, inner;
	size_t i;

	for (i = from; i < to; i++) {
		const struct wl_phase *ph = &wl->phases[i];

		if (ph->kind == PHASE_BLOCK) {
			inner = workload_min_ns(wl, i + 1,
						i + 1 + ph->nchildren);
			total += inner * ph->loop;
			i += ph->nchildren;
		} else {
			total += ph->len.min_ns;
		}
	}
	return total;
}

void scenario_destroy(struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->ngroups; i++) {
		free(sc->groups[i].name);
		free(sc->groups[i].path);
	}
	for (i = 0; i < sc->ntasks; i++) {
		free(sc->tasks[i].name);
		free(sc->tasks[i].wl.phases);
		workload_free_timers(&sc->tasks[i].wl);
	}
	for (i = 0; i < FIG_NKEYS; i++) {
		size_t k;

		free(sc->expect.not_modelled[i]);
		for (k = 0; k < sc->expect.not_modelled_ngroups[i]; k++)
			free(sc->expect.not_modelled_groups[i][k]);
		free(sc->expect.not_modelled_groups[i]);
	}
	for (i = 0; i < sc->sweep.naxes; i++) {
		free(sc->sweep.axes[i].path);
		free(sc->sweep.axes[i].values);
	}
	free(sc->sweep.axes);
	free(sc->groups);
	free(sc->tasks);
	free(sc->warnings);
	free(sc->name);
	free(sc->file);
	memset(sc, 0, sizeof(*sc));
}

uint64_t scenario_cpus_mask(const struct scenario *sc)
{
	return sc->cpus >= 64 ? ~0ULL : (1ULL << sc->cpus) - 1;
}

size_t scenario_add_group(struct scenario *sc, long parent, const char *name)
{
	struct group_spec *g;
	size_t len;

	xgrow((void **)&sc->groups, &sc->groups_cap, sc->ngroups + 1,
	      sizeof(*g));
	g = &sc->groups[sc->ngroups];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->parent = parent;
	if (parent >= 0) {
		const struct group_spec *p = &sc->groups[parent];

		len = strlen(p->path) + strlen(name) + 2;
		g->path = xmalloc(len);
		strcpy(g->path, p->path);
		strcat(g->path, "/");
		strcat(g->path, name);
		g->depth = p->depth + 1;
		g->cpus_mask = p->cpus_mask;
	} else {
		g->path = xstrdup(name);
		g->cpus_mask = scenario_cpus_mask(sc);
	}
	g->shares = SHARES_DEFAULT;
	g->period_ns = PERIOD_DEFAULT_NS;
	return sc->ngroups++;
}

size_t scenario_add_task(struct scenario *sc, size_t group, const char *name)
{
	struct task_spec *t;

	xgrow((void **)&sc->tasks, &sc->tasks_cap, sc->ntasks + 1, sizeof(*t));
	t = &sc->tasks[sc->ntasks];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->group = group;
	t->count = 1;
	t->wl.kind = WL_HOG;
	return sc->ntasks++;
}

long scenario_find_group(const struct scenario *sc, const char *path)
{
	size_t i;

	for (i = 0; i < sc->ngroups; i++)
		if (strcmp(sc->groups[i].path, path) == 0)
			return (long)i;
	return -1;
}

uint32_t weight_to_shares(uint32_t weight)
{
	uint64_t s =
		((uint64_t)weight * 1024 + WEIGHT_DEFAULT / 2) / WEIGHT_DEFAULT;

	if (s < SHARES_MIN)
		s = SHARES_MIN;
	if (s > SHARES_MAX)
		s = SHARES_MAX;
	return (uint32_t)s;
}

uint32_t shares_to_weight(uint32_t shares)
{
	uint64_t w = ((uint64_t)shares * WEIGHT_DEFAULT + 512) / 1024;

	if (w < WEIGHT_MIN)
		w = WEIGHT_MIN;
	if (w > WEIGHT_MAX)
		w = WEIGHT_MAX;
	return (uint32_t)w;
}

uint32_t k8s_milli_to_shares(uint64_t milli)
{
	/* kubelet: MilliCPUToShares, integer division, clamped */
	uint64_t s;

	if (milli == 0)
		return SHARES_MIN;
	s = milli * 1024 / 1000;
	if (s < SHARES_MIN)
		s = SHARES_MIN;
	if (s > SHARES_MAX)
		s = SHARES_MAX;
	return (uint32_t)s;
}

uint64_t k8s_milli_to_quota_ns(uint64_t limit_m, uint64_t period_ns)
{
	/* kubelet: MilliCPUToQuota, in µs with MinQuotaPeriod = 1000 µs */
	uint64_t quota_us;

	if (limit_m == 0)
		return 0;
	quota_us = limit_m * (period_ns / NSEC_PER_USEC) / 1000;
	if (quota_us < 1000)
		quota_us = 1000;
	return quota_us * NSEC_PER_USEC;
}
