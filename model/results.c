#include "model/results.h"

#include <stdlib.h>
#include <string.h>

#include "base/sort.h"
#include "base/xalloc.h"
#include "model/model.h"

char *results_keep(struct results *r, const char *s)
{
	xgrow((void **)&r->strings, &r->cap_strings, r->nstrings + 1,
	      sizeof(*r->strings));
	r->strings[r->nstrings] = xstrdup(s);
	return r->strings[r->nstrings++];
}

void results_begin(struct results *r, const struct scenario *sc,
		   enum result_source source, char **names)
{
	size_t i;

	r->scenario = xstrdup(sc->name);
	r->source = source;
	r->duration_ns = sc->duration_ns;
	r->cpus = sc->cpus;
	r->ngroups = sc->ngroups;
	r->groups = xcalloc(sc->ngroups ? sc->ngroups : 1, sizeof(*r->groups));
	for (i = 0; i < sc->ngroups; i++)
		r->groups[i].path = xstrdup(sc->groups[i].path);
	for (i = 0; i < sc->ntasks; i++) {
		names[2 * i] =
			results_keep(r, sc->groups[sc->tasks[i].group].path);
		names[2 * i + 1] = results_keep(r, sc->tasks[i].name);
	}
}

void results_destroy(struct results *r)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i].path);
	for (i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r->groups);
	free(r->tasks);
	free(r->scenario);
	for (i = 0; i < r->nlatency; i++) {
		free(r->latency[i].group);
		free(r->latency[i].task);
		free(r->latency[i].samples_ns);
		free(r->latency[i].wakeup_ns);
	}
	free(r->latency);
	if (r->timeline) {
		free(r->timeline->periods);
		free(r->timeline->slices);
		free(r->timeline->vruntimes);
		free(r->timeline->requests);
		free(r->timeline);
	}
	memset(r, 0, sizeof(*r));
}

void latency_add(struct latency_result *l, uint64_t latency_ns)
{
	xgrow((void **)&l->samples_ns, &l->cap, l->n + 1,
	      sizeof(*l->samples_ns));
	l->samples_ns[l->n++] = latency_ns;
	l->sum_ns += latency_ns;
}

void latency_add_wakeup(struct latency_result *l, uint64_t wakeup_ns)
{
	xgrow((void **)&l->wakeup_ns, &l->cap_wakeup, l->nwakeup + 1,
	      sizeof(*l->wakeup_ns));
	l->wakeup_ns[l->nwakeup++] = wakeup_ns;
}

void latency_finish(struct latency_result *l)
{
	sort_u64(l->samples_ns, l->n);
	sort_u64(l->wakeup_ns, l->nwakeup);
}

uint64_t latency_percentile(const uint64_t *sorted, size_t n, unsigned per_100k)
{
	/* rank = ceil(n * p), at least 1 */
	uint64_t rank = ((uint64_t)n * per_100k + 99999) / 100000;

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void latency_mean_parts(const struct latency_result *l, uint64_t unit_ns,
			uint64_t *mean, uint64_t parts[4])
{
	const uint64_t sums[4] = {l->queued_sum_ns, l->runnable_sum_ns,
				  l->throttled_sum_ns, l->running_sum_ns};
	/* in units of unit_ns * n, so that quotients are the means */
	uint64_t div = unit_ns * (l->n ? l->n : 1), rem[4], given = 0;
	unsigned i, j, best;

	*mean = (l->sum_ns + div / 2) / div;
	for (i = 0; i < 4; i++) {
		parts[i] = l->has_breakdown ? sums[i] / div : 0;
		rem[i] = l->has_breakdown ? sums[i] % div : 0;
		given += parts[i];
	}
	if (!l->has_breakdown)
		return;
	/* hand the units the truncation lost to the largest remainders
	 * (ties: the earlier part) until the parts reach the mean */
	for (j = 0; given < *mean && j < 4; j++) {
		best = 0;
		for (i = 1; i < 4; i++)
			if (rem[i] > rem[best])
				best = i;
		parts[best]++;
		rem[best] = 0;
		given++;
	}
}
