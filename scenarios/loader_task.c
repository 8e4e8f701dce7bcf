/* Tasks in the YAML scenario format and their workloads: a hog, periodic
 * {run, period}, {phases} (runs, sleeps, timers, repeated blocks) or
 * {requests} (an open-loop request stream) (scenarios/loader_internal.h). */
#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "scenarios/loader_internal.h"

/* ---- workloads -------------------------------------------------------- */

/* A length or range of lengths in the largest unit that writes it whole
 * ("25ms", "1500us..2ms"). */
static const char *fmt_len_ns(const struct len_range *l, char *buf, size_t len)
{
	char a[32], b[32];

	if (l->min_ns == l->max_ns)
		return duration_format(l->min_ns, DURATION_WHOLE, buf, len);
	snprintf(buf, len, "%s..%s",
		 duration_format(l->min_ns, DURATION_WHOLE, a, sizeof(a)),
		 duration_format(l->max_ns, DURATION_WHOLE, b, sizeof(b)));
	return buf;
}

/* A run or sleep length: a duration or {min: D, max: D}. */
static int get_len(struct loader *ld, const char *name, const struct ynode *n,
		   struct len_range *len)
{
	static const char *const keys[] = {"min", "max"};
	struct field f[2];

	if (n->kind == Y_SCALAR) {
		if (ld_get_duration(ld, name, n, 0, LOADER_MAX_LEN_NS, false,
				    &len->min_ns))
			return -1;
		len->max_ns = len->min_ns;
		return 0;
	}
	if (n->kind != Y_MAP)
		return ld_fail(ld, n, "'%s' must be a duration or {min, max}",
			       name);
	if (ld_get_fields(ld, n, "range", keys, 2, f))
		return -1;
	if (!f[0].val || !f[1].val)
		return ld_fail(ld, n, "'%s' needs 'min' and 'max'", name);
	if (ld_get_duration(ld, "min", f[0].val, 0, LOADER_MAX_LEN_NS, false,
			    &len->min_ns) ||
	    ld_get_duration(ld, "max", f[1].val, 0, LOADER_MAX_LEN_NS, false,
			    &len->max_ns))
		return -1;
	if (len->min_ns > len->max_ns)
		return ld_fail(ld, f[1].val, "'min' must not exceed 'max'");
	return 0;
}

enum {
	PH_RUN,
	PH_SLEEP,
	PH_TIMER,
	PH_REF,
	PH_MODE,
	PH_LOOP,
	PH_PHASES,
	PH_NKEYS
};

static int load_phase_list(struct loader *ld, const struct ynode *seq,
			   bool in_block, struct workload *wl, size_t *cap);

/* {timer: P, ref: NAME, mode: absolute|relative} */
static int load_timer(struct loader *ld, const struct ynode *p,
		      const struct field *f, struct wl_phase *ph,
		      struct workload *wl)
{
	const char *ref = "unique", *mode = "relative";
	long idx;

	ph->kind = PHASE_TIMER;
	if (ld_get_duration(ld, "timer", f[PH_TIMER].val, NSEC_PER_USEC,
			    LOADER_MAX_LEN_NS, false, &ph->len.min_ns))
		return -1;
	ph->len.max_ns = ph->len.min_ns;
	if (f[PH_REF].val && (ld_get_string(ld, "ref", f[PH_REF].val, &ref) ||
			      ld_check_name(ld, "timer", f[PH_REF].val)))
		return -1;
	if (f[PH_MODE].val) {
		if (ld_get_string(ld, "mode", f[PH_MODE].val, &mode))
			return -1;
		if (strcmp(mode, "absolute") && strcmp(mode, "relative"))
			return ld_fail(
				ld, f[PH_MODE].val,
				"'mode' must be absolute or relative, not '%s'",
				mode);
	}
	ph->absolute = strcmp(mode, "absolute") == 0;
	idx = workload_timer(wl, ref);
	if (idx < 0)
		return ld_fail(ld, f[PH_REF].val ? f[PH_REF].val : p,
			       "more than %d timers in one workload",
			       WL_MAX_TIMERS);
	ph->timer = (unsigned)idx;
	return 0;
}

static int load_phase(struct loader *ld, const struct ynode *p, bool in_block,
		      struct workload *wl, size_t *cap)
{
	static const char *const keys[PH_NKEYS] = {
		"run", "sleep", "timer", "ref", "mode", "loop", "phases",
	};
	struct field f[PH_NKEYS];
	struct wl_phase *ph;
	size_t at, i;

	if (p->kind != Y_MAP)
		return ld_fail(ld, p,
			       "a phase must be a mapping like {run: 2ms}");
	if (ld_get_fields(ld, p, "phase", keys, PH_NKEYS, f))
		return -1;
	if (f[PH_TIMER].val) {
		for (i = 0; i < PH_NKEYS; i++)
			if (f[i].key && i != PH_TIMER && i != PH_REF &&
			    i != PH_MODE)
				return ld_fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'timer'",
					keys[i]);
		return load_timer(ld, p, f, workload_add_phase(wl, cap), wl);
	}
	for (i = PH_REF; i <= PH_MODE; i++)
		if (f[i].key)
			return ld_fail(ld, f[i].key, "'%s' needs 'timer'",
				       keys[i]);
	if (f[PH_PHASES].val) {
		uint64_t loop = 1;

		if (in_block)
			return ld_fail(ld, f[PH_PHASES].key,
				       "blocks of phases do not nest");
		if (f[PH_RUN].key || f[PH_SLEEP].key)
			return ld_fail(ld,
				       f[PH_RUN].key ? f[PH_RUN].key :
						       f[PH_SLEEP].key,
				       "'%s' cannot be combined with 'phases'",
				       f[PH_RUN].key ? "run" : "sleep");
		if (f[PH_LOOP].val && ld_get_u64(ld, "loop", f[PH_LOOP].val, 1,
						 LOADER_MAX_LOOP, &loop))
			return -1;
		if (loop == 1) /* once: the phases stand in the list */
			return load_phase_list(ld, f[PH_PHASES].val, true, wl,
					       cap);
		at = wl->nphases;
		ph = workload_add_phase(wl, cap);
		ph->kind = PHASE_BLOCK;
		ph->loop = loop;
		if (load_phase_list(ld, f[PH_PHASES].val, true, wl, cap))
			return -1;
		wl->phases[at].nchildren = wl->nphases - at - 1;
		/* a long loop of empty phases would never let time pass */
		if (workload_min_ns(wl, at + 1, wl->nphases) < NSEC_PER_USEC &&
		    loop > 1)
			return ld_fail(
				ld, f[PH_PHASES].val,
				"a repeated block must take at least 1us per loop");
		return 0;
	}
	if (f[PH_LOOP].key)
		return ld_fail(ld, f[PH_LOOP].key, "'loop' needs 'phases'");
	if (p->n != 2)
		return ld_fail(
			ld, p,
			"a phase must have exactly one key, 'run' or 'sleep'");
	ph = workload_add_phase(wl, cap);
	ph->kind = f[PH_RUN].val ? PHASE_RUN : PHASE_SLEEP;
	return get_len(ld, keys[ph->kind == PHASE_RUN ? PH_RUN : PH_SLEEP],
		       f[PH_RUN].val ? f[PH_RUN].val : f[PH_SLEEP].val,
		       &ph->len);
}

static int load_phase_list(struct loader *ld, const struct ynode *seq,
			   bool in_block, struct workload *wl, size_t *cap)
{
	size_t i;

	if (seq->kind != Y_SEQ)
		return ld_fail(ld, seq, "'phases' must be a list");
	if (seq->n == 0)
		return ld_fail(ld, seq, "'phases' must not be empty");
	for (i = 0; i < seq->n; i++)
		if (load_phase(ld, seq->items[i], in_block, wl, cap))
			return -1;
	return 0;
}

static int load_phases(struct loader *ld, const struct ynode *seq,
		       struct workload *wl)
{
	size_t cap = 0;

	return load_phase_list(ld, seq, false, wl, &cap);
}

/* "200/s", "0.5/s" or "3/ms" in requests per 1000 s. */
static int get_rate(struct loader *ld, const struct ynode *n,
		    uint64_t *rate_milli)
{
	uint64_t ip, fp, per_s, milli;
	const char *end = NULL;
	bool overflow = false;
	unsigned fd = 0;

	if (n->kind == Y_SCALAR)
		end = ld_parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end)
		return ld_fail(ld, n, "'rate' must be a rate like '200/s'");
	if (*end == '\0')
		return ld_fail(ld, n, "rate '%s' needs a unit (/s or /ms)",
			       n->text);
	if (strcmp(end, "/s") == 0)
		per_s = 1;
	else if (strcmp(end, "/ms") == 0)
		per_s = 1000;
	else
		return ld_fail(ld, n,
			       "rate '%s' has an unknown unit (/s or /ms)",
			       n->text);
	if (fd > 3 && per_s == 1)
		return ld_fail(ld, n, "rate '%s' is finer than 0.001/s",
			       n->text);
	if (overflow || ip > LOADER_MAX_RATE_MILLI)
		goto range;
	milli = (ip * 1000 +
		 (fd <= 3 ? fp * ld_pow10(3 - fd) : fp / ld_pow10(fd - 3))) *
		per_s;
	if (!milli)
		return ld_fail(ld, n, "'rate' must be positive");
	if (milli > LOADER_MAX_RATE_MILLI)
		goto range;
	*rate_milli = milli;
	return 0;
range:
	return ld_fail(ld, n, "'rate' must be at most 1000000/s");
}

/* One of three words (dist, arrival): its index in *out, or "unknown
 * WHAT 'x' (a, b or c)". */
static int get_word(struct loader *ld, const char *what, const struct ynode *n,
		    const char *const words[3], size_t *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < 3; i++) {
		if (n->kind == Y_SCALAR && strcmp(n->text, words[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return ld_fail(ld, n, "unknown %s '%s' (%s, %s or %s)", what,
		       n->kind == Y_SCALAR ? n->text : "", words[0], words[1],
		       words[2]);
}

enum { SV_DIST, SV_MEAN, SV_SD, SV_NKEYS };

/* 'service': a duration (constant) or {dist, mean, sd}. */
static int load_service(struct loader *ld, const struct ynode *n,
			struct req_spec *rq)
{
	static const char *const keys[SV_NKEYS] = {"dist", "mean", "sd"};
	static const char *const dists[] = {"const", "exp", "lognormal"};
	struct field f[SV_NKEYS];
	size_t i;

	if (n->kind == Y_SCALAR) {
		rq->dist = DIST_CONST;
		return ld_get_duration(ld, "service", n, NSEC_PER_USEC,
				       LOADER_MAX_LEN_NS, false,
				       &rq->service_mean_ns);
	}
	if (n->kind != Y_MAP)
		return ld_fail(
			ld, n,
			"'service' must be a duration or {dist, mean, sd}");
	if (ld_get_fields(ld, n, "service", keys, SV_NKEYS, f))
		return -1;
	if (!f[SV_MEAN].val)
		return ld_fail(ld, n, "'service' needs 'mean'");
	rq->dist = DIST_CONST;
	if (f[SV_DIST].val) {
		if (get_word(ld, "dist", f[SV_DIST].val, dists, &i))
			return -1;
		rq->dist = (enum req_dist)i;
	}
	if (ld_get_duration(ld, "mean", f[SV_MEAN].val, NSEC_PER_USEC,
			    LOADER_MAX_LEN_NS, false, &rq->service_mean_ns))
		return -1;
	if (rq->dist == DIST_LOGNORMAL) {
		if (!f[SV_SD].val)
			return ld_fail(ld, n, "dist 'lognormal' needs 'sd'");
		return ld_get_duration(ld, "sd", f[SV_SD].val, 0,
				       LOADER_MAX_LEN_NS, false,
				       &rq->service_sd_ns);
	}
	if (f[SV_SD].key)
		return ld_fail(ld, f[SV_SD].key,
			       "'sd' needs 'dist: lognormal'");
	return 0;
}

enum { RQ_RATE, RQ_ARRIVAL, RQ_BATCH, RQ_SERVICE, RQ_NKEYS };

/* 'batch: {size, every}' of arrival batch; every may come from the rate. */
static int load_batch(struct loader *ld, const struct ynode *n,
		      const struct field *rate, struct req_spec *rq)
{
	static const char *const keys[] = {"size", "every"};
	struct field f[2];
	uint64_t milli;

	if (ld_get_fields(ld, n, "batch", keys, 2, f))
		return -1;
	if (!f[0].val)
		return ld_fail(ld, n, "'batch' needs 'size'");
	if (ld_get_u64(ld, "size", f[0].val, 1, LOADER_MAX_BATCH,
		       &rq->batch_size))
		return -1;
	if (!f[1].val) {
		if (!rate->val)
			return ld_fail(ld, n,
				       "'batch' needs 'every' or a 'rate'");
		/* every = size / rate, to the nanosecond */
		rq->batch_every_ns =
			rq->batch_size * 1000 * NSEC_PER_SEC / rq->rate_milli;
		if (!rq->batch_every_ns)
			return ld_fail(ld, rate->val,
				       "'rate' is too high for batches of %llu",
				       (unsigned long long)rq->batch_size);
		return 0;
	}
	if (ld_get_duration(ld, "every", f[1].val, NSEC_PER_USEC,
			    LOADER_MAX_LEN_NS, false, &rq->batch_every_ns))
		return -1;
	milli = rq->batch_size * 1000 * NSEC_PER_SEC / rq->batch_every_ns;
	if (rate->val && milli != rq->rate_milli)
		return ld_fail(ld, rate->val,
			       "'rate' disagrees with 'batch' (%llu every %s)",
			       (unsigned long long)rq->batch_size,
			       f[1].val->text);
	if (!milli)
		return ld_fail(
			ld, f[1].val,
			"'batch' gives less than 0.001 requests per second");
	rq->rate_milli = milli;
	return 0;
}

static int load_requests(struct loader *ld, const struct ynode *n,
			 struct workload *wl)
{
	static const char *const keys[RQ_NKEYS] = {"rate", "arrival", "batch",
						   "service"};
	static const char *const arrivals[] = {"poisson", "uniform", "batch"};
	struct req_spec *rq = &wl->req;
	struct field f[RQ_NKEYS];
	uint64_t span, expected;
	size_t i;

	if (ld_get_fields(ld, n, "requests", keys, RQ_NKEYS, f))
		return -1;
	wl->kind = WL_REQUESTS;
	rq->arrival = ARRIVAL_POISSON;
	if (f[RQ_ARRIVAL].val) {
		if (get_word(ld, "arrival", f[RQ_ARRIVAL].val, arrivals, &i))
			return -1;
		rq->arrival = (enum req_arrival)i;
	}
	if (f[RQ_RATE].val && get_rate(ld, f[RQ_RATE].val, &rq->rate_milli))
		return -1;
	if (rq->arrival == ARRIVAL_BATCH) {
		if (!f[RQ_BATCH].val)
			return ld_fail(ld, f[RQ_ARRIVAL].val,
				       "arrival 'batch' needs 'batch'");
		if (load_batch(ld, f[RQ_BATCH].val, &f[RQ_RATE], rq))
			return -1;
	} else {
		if (f[RQ_BATCH].key)
			return ld_fail(ld, f[RQ_BATCH].key,
				       "'batch' needs 'arrival: batch'");
		if (!f[RQ_RATE].val)
			return ld_fail(ld, n, "'requests' needs 'rate'");
	}
	if (!f[RQ_SERVICE].val)
		return ld_fail(ld, n, "'requests' needs 'service'");
	if (load_service(ld, f[RQ_SERVICE].val, rq))
		return -1;
	if (rq->service_mean_ns >= ld->sc->duration_ns)
		return ld_fail(ld, f[RQ_SERVICE].val,
			       "'service' must be shorter than the duration");
	/* arrivals over the run, bounded so that memory stays bounded */
	span = ld->sc->duration_ns > wl->start_ns ?
		       ld->sc->duration_ns - wl->start_ns :
		       0;
	/* ms times requests per 1000 s, over 10^6 */
	expected = span / NSEC_PER_MSEC * rq->rate_milli / 1000000;
	if (expected > LOADER_MAX_REQUESTS)
		return ld_fail(ld, f[RQ_RATE].val ? f[RQ_RATE].val : n,
			       "'requests' would arrive more than %llu times",
			       (unsigned long long)LOADER_MAX_REQUESTS);
	return 0;
}

enum {
	WL_RUN,
	WL_PERIOD,
	WL_PHASES_K,
	WL_LOOP,
	WL_START,
	WL_REQUESTS_K,
	WL_NKEYS
};

static int load_workload(struct loader *ld, const struct ynode *n,
			 struct workload *wl)
{
	static const char *const keys[WL_NKEYS] = {
		"run", "period", "phases", "loop", "start", "requests"};
	struct field f[WL_NKEYS];
	uint64_t min_total = 0;
	size_t i;

	if (n->kind == Y_SCALAR) {
		if (strcmp(n->text, "hog") != 0)
			return ld_fail(
				ld, n,
				"unknown workload '%s' (hog, {run, period}, {phases} or {requests})",
				n->text);
		wl->kind = WL_HOG;
		return 0;
	}
	if (n->kind != Y_MAP)
		return ld_fail(ld, n, "'workload' must be 'hog' or a mapping");
	if (ld_get_fields(ld, n, "workload", keys, WL_NKEYS, f))
		return -1;
	if (f[WL_START].val &&
	    ld_get_duration(ld, "start", f[WL_START].val, 0, LOADER_MAX_LEN_NS,
			    false, &wl->start_ns))
		return -1;
	if (f[WL_REQUESTS_K].val) {
		for (i = WL_RUN; i <= WL_LOOP; i++)
			if (f[i].key)
				return ld_fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'requests'",
					keys[i]);
		return load_requests(ld, f[WL_REQUESTS_K].val, wl);
	}
	if (f[WL_PHASES_K].val) {
		for (i = WL_RUN; i <= WL_PERIOD; i++)
			if (f[i].key)
				return ld_fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'phases'",
					keys[i]);
		wl->kind = WL_PHASES;
		if (load_phases(ld, f[WL_PHASES_K].val, wl))
			return -1;
		if (f[WL_LOOP].val && ld_get_u64(ld, "loop", f[WL_LOOP].val, 0,
						 LOADER_MAX_LOOP, &wl->loop))
			return -1;
		min_total = workload_min_ns(wl, 0, wl->nphases);
		/* a forever loop of empty phases would never let time pass */
		if (wl->loop == 0 && min_total < NSEC_PER_USEC)
			return ld_fail(
				ld, f[WL_PHASES_K].val,
				"phases repeated forever must take at least 1us per loop");
		return 0;
	}
	if (f[WL_LOOP].key)
		return ld_fail(ld, f[WL_LOOP].key, "'loop' needs 'phases'");
	if (!f[WL_RUN].val && !f[WL_PERIOD].val) {
		wl->kind = WL_HOG; /* {start: D}: a hog that starts late */
		return 0;
	}
	if (!f[WL_RUN].val)
		return ld_fail(ld, n, "periodic workload needs 'run'");
	if (!f[WL_PERIOD].val)
		return ld_fail(ld, n, "periodic workload needs 'period'");
	wl->kind = WL_PERIODIC;
	if (get_len(ld, "run", f[WL_RUN].val, &wl->run))
		return -1;
	/* A thread that never runs would still wake every period: nothing a
	 * user means, so refused. */
	if (wl->run.max_ns == 0)
		return ld_fail(
			ld, f[WL_RUN].val,
			"'run' of a periodic workload must be more than 0");
	if (ld_get_duration(ld, "period", f[WL_PERIOD].val, NSEC_PER_USEC,
			    LOADER_MAX_LEN_NS, false, &wl->period_ns))
		return -1;
	/* Longer than the period: valid (an overload, the thread runs again
	 * at once and falls behind), but rarely what was meant. */
	if (wl->run.max_ns > wl->period_ns) {
		char r[64], p[32];

		ld_warn(ld, f[WL_RUN].val,
			"'run' %s is longer than 'period' %s: the thread falls "
			"behind its activations",
			fmt_len_ns(&wl->run, r, sizeof(r)),
			duration_format(wl->period_ns, DURATION_WHOLE, p,
					sizeof(p)));
	}
	return 0;
}

/* ---- tasks ------------------------------------------------------------ */

enum { T_NAME, T_COUNT, T_NICE, T_SLICE, T_WORKLOAD, T_NKEYS };

/* Custom slices (sched_setattr sched_runtime) arrived with the rest of
 * EEVDF in 6.12 (857b158dc5e8); the kernel clamps them to 0.1-100 ms. */
#define SLICE_MIN_NS (100 * NSEC_PER_USEC)
#define SLICE_MAX_NS (100 * NSEC_PER_MSEC)

/* An unset policy follows the version. */
static int check_slice_kernel(struct loader *ld, const struct ynode *n)
{
	const struct kernel_spec *k = &ld->sc->kernel;

	if (k->policy_set && k->policy == POLICY_CFS)
		return ld_fail(ld, n, "'slice' needs the eevdf policy");
	return ld_need_kernel(ld, n, "slice", KERNEL_CUSTOM_SLICE);
}

int ld_load_task(struct loader *ld, const struct ynode *n, size_t group)
{
	static const char *const keys[T_NKEYS] = {"name", "count", "nice",
						  "slice", "workload"};
	struct field f[T_NKEYS];
	struct task_spec *t;
	const char *name;
	uint64_t count = 1, slice = 0;
	size_t i, idx;
	int nice = 0;

	if (n->kind != Y_MAP)
		return ld_fail(ld, n, "a task must be a mapping");
	if (ld_get_fields(ld, n, "task", keys, T_NKEYS, f))
		return -1;
	if (!f[T_NAME].val)
		return ld_fail(ld, n, "task needs a 'name'");
	if (ld_get_string(ld, "name", f[T_NAME].val, &name) ||
	    ld_check_name(ld, "task", f[T_NAME].val))
		return -1;
	for (i = 0; i < ld->sc->ntasks; i++)
		if (ld->sc->tasks[i].group == group &&
		    strcmp(ld->sc->tasks[i].name, name) == 0)
			return ld_fail(ld, f[T_NAME].val,
				       "duplicate task name '%s' in group '%s'",
				       name, ld->sc->groups[group].path);
	if (f[T_COUNT].val && ld_get_u64(ld, "count", f[T_COUNT].val, 1,
					 LOADER_MAX_COUNT, &count))
		return -1;
	ld->threads += count;
	if (ld->threads > LOADER_MAX_THREADS)
		return ld_fail(ld, f[T_COUNT].val ? f[T_COUNT].val : n,
			       "more than %d tasks in total",
			       LOADER_MAX_THREADS);
	if (f[T_NICE].val &&
	    ld_get_int(ld, "nice", f[T_NICE].val, -20, 19, &nice))
		return -1;
	if (f[T_SLICE].val) {
		if (ld_get_duration(ld, "slice", f[T_SLICE].val, SLICE_MIN_NS,
				    SLICE_MAX_NS, false, &slice))
			return -1;
		if (check_slice_kernel(ld, f[T_SLICE].val))
			return -1;
	}
	idx = scenario_add_task(ld->sc, group, name);
	t = &ld->sc->tasks[idx];
	t->count = (unsigned)count;
	t->nice = nice;
	t->slice_ns = slice;
	t->line = n->line;
	t->col = n->col;
	if (f[T_WORKLOAD].val)
		return load_workload(ld, f[T_WORKLOAD].val, &t->wl);
	return 0;
}
