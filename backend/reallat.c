#include "backend/reallat.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

bool rlat_needs_generator(const struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->ntasks; i++)
		if (sc->tasks[i].wl.kind == WL_REQUESTS)
			return true;
	return false;
}

uint64_t rlat_generator_cpus(const struct scenario *sc, uint64_t allowed)
{
	uint64_t own = scenario_cpus_mask(sc);

	return allowed & ~own ? allowed & ~own : own;
}

int rlat_add_generator_group(const struct scenario *sc, uint64_t cpus,
			     struct scenario *aug, struct err *err)
{
	struct group_spec *g;

	if (scenario_find_group(sc, RLAT_GENERATOR_GROUP) >= 0)
		return err_set(err, 0,
			       "group name '" RLAT_GENERATOR_GROUP
			       "' is reserved for the load generator");
	*aug = *sc;
	aug->groups = xcalloc(sc->ngroups + 1, sizeof(*aug->groups));
	memcpy(aug->groups, sc->groups, sc->ngroups * sizeof(*sc->groups));
	g = &aug->groups[sc->ngroups];
	g->name = xstrdup(RLAT_GENERATOR_GROUP);
	g->path = xstrdup(RLAT_GENERATOR_GROUP);
	g->parent = -1;
	g->shares = SHARES_DEFAULT;
	g->period_ns = PERIOD_DEFAULT_NS;
	g->cpus_mask = cpus;
	g->load_generator = true;
	aug->ngroups++;
	aug->groups_cap = aug->ngroups;
	return 0;
}

void rlat_drop_generator_group(struct scenario *aug)
{
	free(aug->groups[aug->ngroups - 1].name);
	free(aug->groups[aug->ngroups - 1].path);
	free(aug->groups);
	memset(aug, 0, sizeof(*aug));
}

void rlat_setup(struct rlat *l, const struct scenario *sc, struct results *out)
{
	size_t i, n = 0;

	memset(l, 0, sizeof(*l));
	l->ntasks = sc->ntasks;
	l->lat_of_task =
		xcalloc(sc->ntasks ? sc->ntasks : 1, sizeof(*l->lat_of_task));
	/* items holds pointers: the element size is a pointer's */
	l->items = xcalloc(
		sc->ntasks ? sc->ntasks : 1,
		sizeof(*l->items)); /* NOLINT(bugprone-sizeof-expression) */
	l->nitems = xcalloc(sc->ntasks ? sc->ntasks : 1, sizeof(*l->nitems));
	for (i = 0; i < sc->ntasks; i++) {
		enum wl_kind k = sc->tasks[i].wl.kind;

		l->lat_of_task[i] = -1;
		if (k == WL_REQUESTS || k == WL_PERIODIC)
			l->lat_of_task[i] = (long)n++;
		if (k == WL_REQUESTS)
			l->nitems[i] = req_stream(&sc->tasks[i].wl, sc->seed,
						  (unsigned)i, sc->duration_ns,
						  &l->items[i]);
	}
	out->nlatency = n;
	out->latency = n ? xcalloc(n, sizeof(*out->latency)) : NULL;
	for (i = 0; i < sc->ntasks; i++) {
		struct latency_result *r;

		if (l->lat_of_task[i] < 0)
			continue;
		r = &out->latency[l->lat_of_task[i]];
		r->group = xstrdup(sc->groups[sc->tasks[i].group].path);
		r->task = xstrdup(sc->tasks[i].name);
		r->spec = i;
		r->kind = sc->tasks[i].wl.kind == WL_REQUESTS ? LAT_REQUESTS :
								LAT_ACTIVATIONS;
	}
}

static int bad_line(unsigned task, struct err *err)
{
	return err_set(err, 0, "workload reported latency of unknown task %u",
		       task);
}

int rlat_take(struct rlat *l, const struct scenario *sc, size_t from,
	      const struct wlproto_latency *line, bool act, struct results *out,
	      struct err *err)
{
	const struct task_spec *t;
	struct latency_result *r;
	struct request_record *rec;
	uint64_t arrival, start;

	if (line->task >= sc->ntasks || l->lat_of_task[line->task] < 0)
		return bad_line(line->task, err);
	r = &out->latency[l->lat_of_task[line->task]];
	if (act != (r->kind == LAT_ACTIVATIONS))
		return bad_line(line->task, err);
	t = &sc->tasks[line->task];
	if (act && t->group != from)
		return err_set(err, 0,
			       "workload of group '%s' reported the latency "
			       "of task '%s' of group '%s'",
			       sc->groups[from].path, t->name,
			       sc->groups[t->group].path);
	if (!act && scenario_find_group(sc, RLAT_GENERATOR_GROUP) != (long)from)
		return err_set(err, 0,
			       "workload of group '%s' reported request %llu "
			       "of task '%s' (only the load generator does)",
			       sc->groups[from].path,
			       (unsigned long long)line->seq, t->name);
	if (act) {
		arrival = line->activation_ns;
		start = line->first_run_ns;
		if (start < arrival || line->end_ns < start)
			return err_set(err, 0,
				       "workload reported an activation of "
				       "task %u out of order",
				       line->task);
		latency_add_wakeup(r, start - arrival);
	} else {
		if (line->seq >= l->nitems[line->task])
			return bad_line(line->task, err);
		arrival = start = l->items[line->task][line->seq].arrival_ns;
		if (line->end_ns < arrival)
			return err_set(err, 0,
				       "workload reported request %llu of task "
				       "%u answered before it was sent",
				       (unsigned long long)line->seq,
				       line->task);
	}
	latency_add(r, line->end_ns - arrival);
	xgrow((void **)&l->recs, &l->cap, l->nrecs + 1, sizeof(*l->recs));
	rec = &l->recs[l->nrecs++];
	memset(rec, 0, sizeof(*rec));
	rec->latency = (size_t)l->lat_of_task[line->task];
	rec->thread = act ? line->thread : 0;
	rec->arrival_ns = arrival;
	rec->start_ns = start;
	rec->end_ns = line->end_ns;
	return 0;
}

void rlat_finish(struct rlat *l, const struct scenario *sc, struct results *out)
{
	size_t i;

	for (i = 0; i < sc->ntasks; i++) {
		const struct workload *wl = &sc->tasks[i].wl;
		struct latency_result *r;
		uint64_t due = 0;

		if (l->lat_of_task[i] < 0)
			continue;
		r = &out->latency[l->lat_of_task[i]];
		if (wl->kind == WL_REQUESTS)
			due = l->nitems[i];
		else if (wl->start_ns < sc->duration_ns)
			due = ((sc->duration_ns - 1 - wl->start_ns) /
				       wl->period_ns +
			       1) *
			      sc->tasks[i].count;
		r->open = due > r->n ? due - r->n : 0;
		latency_finish(r);
	}
	if (out->timeline) {
		free(out->timeline->requests);
		out->timeline->requests = l->recs;
		out->timeline->nrequests = l->nrecs;
		out->timeline->cap_requests = l->cap;
		l->recs = NULL;
		l->nrecs = l->cap = 0;
	}
}

void rlat_destroy(struct rlat *l)
{
	size_t i;

	for (i = 0; l->items && i < l->ntasks; i++)
		free(l->items[i]);
	free(l->items);
	free(l->recs);
	free(l->lat_of_task);
	free(l->nitems);
	memset(l, 0, sizeof(*l));
}
