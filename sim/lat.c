/* Latency of request and periodic workloads in the engine.  A request task
 * has a stream of requests (model/reqstream.h), one FIFO queue and its
 * threads as workers: an arrival goes to the worker idle longest, else
 * waits in the queue; a worker that finishes takes the oldest waiting
 * request without sleeping, else sleeps until an arrival wakes it.
 *
 * Each request (or periodic activation) is split exactly: queued from its
 * arrival until a worker takes it (a periodic thread: until it finishes
 * the previous activation), then until completion the worker is runnable,
 * so that time is its wait (the engine's wait clock) plus its running.
 * The part of the wait spent while its queue or an ancestor's was
 * throttled comes from a clock per cfs_rq that runs while its
 * throttle_count is not 0: a task cannot run there then, so the clock's
 * advance over the request is throttled waiting (capped by the wait, for
 * the instant a 6.18 throttle lets a parked task be picked once). */
#include "sim/lat.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/reqstream.h"
#include "sim/evq.h"
#include "sim/fair.h"

struct lat_thread {
	uint64_t arrival;   /* scheduled arrival / activation */
	uint64_t start;	    /* a worker took it / the thread began it */
	uint64_t first_run; /* activations: UINT64_MAX until it runs */
	uint64_t wait_mark; /* the task's wait so far, at start */
	uint64_t thr_mark;  /* its queue's throttle clock, at start */
	uint64_t thr_acc;   /* throttle clock of queues it left */
	size_t req;	    /* requests: the one it serves */
	bool busy;
};

struct lat_source {
	struct sim_event ev; /* EV_ARRIVAL */
	size_t spec;
	size_t first; /* its first thread in sim.tasks */
	unsigned count;
	struct req_item *items;
	size_t nitems;
	size_t next_arrival; /* items before it have arrived */
	size_t next_assign;  /* items before it have a worker */
	uint32_t *idle;	     /* ring of idle workers (task ids), FIFO */
	unsigned idle_head, nidle;
};

struct sim_lat {
	long *result_of_spec;	    /* [sc->ntasks]: index in res, -1 */
	struct latency_result *res; /* [nres] */
	size_t nres;
	struct lat_source *src; /* [nsrc] */
	size_t nsrc;
	long *src_of_spec;     /* [sc->ntasks]: index in src, -1 */
	struct lat_thread *th; /* [ntasks] */
	uint64_t *thr_since;   /* [(ngroups + 1) * ncpus] */
	uint64_t *thr_total;
};

static size_t cfs_rq_slot(const struct sim *s, const struct cfs_rq *cfs_rq)
{
	return (size_t)(cfs_rq->tg - s->groups) * s->ncpus + cfs_rq->rq->cpu;
}

/* time cfs_rq has spent with throttle_count > 0, up to now */
static uint64_t thr_clock(const struct sim *s, const struct cfs_rq *cfs_rq)
{
	size_t i = cfs_rq_slot(s, cfs_rq);
	uint64_t t = s->lat->thr_total[i];

	if (cfs_rq->throttle_count)
		t += s->now - s->lat->thr_since[i];
	return t;
}

/* the task's time runnable but not running, up to now */
static uint64_t wait_so_far(const struct sim *s, const struct task *p)
{
	return p->waiting ? p->wait_clock + s->now : p->wait_clock;
}

void lat_init(struct sim *s, bool activations)
{
	const struct scenario *sc = s->sc;
	struct sim_lat *l;
	size_t i, first = 0, nres = 0, nsrc = 0;

	for (i = 0; i < sc->ntasks; i++) {
		enum wl_kind k = sc->tasks[i].wl.kind;

		nsrc += k == WL_REQUESTS;
		nres += k == WL_REQUESTS || (activations && k == WL_PERIODIC);
	}
	if (!nres)
		return;
	l = xcalloc(1, sizeof(*l));
	s->lat = l;
	l->result_of_spec = xcalloc(sc->ntasks, sizeof(*l->result_of_spec));
	l->src_of_spec = xcalloc(sc->ntasks, sizeof(*l->src_of_spec));
	l->res = xcalloc(nres, sizeof(*l->res));
	l->src = xcalloc(nsrc ? nsrc : 1, sizeof(*l->src));
	l->th = xcalloc(s->ntasks ? s->ntasks : 1, sizeof(*l->th));
	l->thr_since =
		xcalloc((s->ngroups + 1) * s->ncpus, sizeof(*l->thr_since));
	l->thr_total =
		xcalloc((s->ngroups + 1) * s->ncpus, sizeof(*l->thr_total));
	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *ts = &sc->tasks[i];
		enum wl_kind k = ts->wl.kind;
		struct latency_result *r;

		l->result_of_spec[i] = -1;
		l->src_of_spec[i] = -1;
		if (k == WL_REQUESTS || (activations && k == WL_PERIODIC)) {
			l->result_of_spec[i] = (long)l->nres;
			r = &l->res[l->nres++];
			r->group = xstrdup(sc->groups[ts->group].path);
			r->task = xstrdup(ts->name);
			r->spec = i;
			r->kind = k == WL_REQUESTS ? LAT_REQUESTS :
						     LAT_ACTIVATIONS;
			r->has_breakdown = true;
		}
		if (k == WL_REQUESTS) {
			struct lat_source *src = &l->src[l->nsrc];

			l->src_of_spec[i] = (long)l->nsrc++;
			src->spec = i;
			src->first = first;
			src->count = ts->count;
			src->idle = xcalloc(ts->count, sizeof(*src->idle));
			src->nitems = req_stream(&ts->wl, sc->seed, (unsigned)i,
						 s->end, &src->items);
			evq_event_init(&src->ev, EV_ARRIVAL);
			/* armed after the workers' starts: at the same
			 * instant, the workers are idle first */
			if (src->nitems)
				evq_arm(&s->evq, &src->ev, EV_ARRIVAL,
					src->items[0].arrival_ns);
		}
		first += ts->count;
	}
}

void lat_destroy(struct sim *s)
{
	struct sim_lat *l = s->lat;
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nsrc; i++) {
		free(l->src[i].items);
		free(l->src[i].idle);
	}
	for (i = 0; i < l->nres; i++) {
		free(l->res[i].group);
		free(l->res[i].task);
		free(l->res[i].samples_ns);
		free(l->res[i].wakeup_ns);
	}
	free(l->res);
	free(l->src);
	free(l->result_of_spec);
	free(l->src_of_spec);
	free(l->th);
	free(l->thr_since);
	free(l->thr_total);
	free(l);
	s->lat = NULL;
}

/* the thread p begins the request or activation that arrived at arrival */
static void begin(struct sim *s, struct task *p, uint64_t arrival)
{
	struct lat_thread *t = &s->lat->th[task_index(s, p)];
	struct rq *rq = task_rq(p);

	t->arrival = arrival;
	t->start = s->now;
	t->first_run = rq->curr == p ? s->now : UINT64_MAX;
	t->wait_mark = wait_so_far(s, p);
	t->thr_mark = thr_clock(s, p->se.cfs_rq);
	t->thr_acc = 0;
	t->busy = true;
}

/* p completes its request or activation now: record it */
static void complete(struct sim *s, struct task *p, struct latency_result *r)
{
	struct lat_thread *t = &s->lat->th[task_index(s, p)];
	uint64_t latency = s->now - t->arrival;
	uint64_t queued = t->start - t->arrival;
	uint64_t wait = wait_so_far(s, p) - t->wait_mark;
	uint64_t thr = t->thr_acc + thr_clock(s, p->se.cfs_rq) - t->thr_mark;
	uint64_t running;

	if (wait > s->now - t->start) /* cannot happen: the clocks agree */
		wait = s->now - t->start;
	if (thr > wait)
		thr = wait;
	running = s->now - t->start - wait;
	t->busy = false;
	latency_add(r, latency);
	r->queued_sum_ns += queued;
	r->runnable_sum_ns += wait - thr;
	r->throttled_sum_ns += thr;
	r->running_sum_ns += running;
	if (r->kind == LAT_ACTIVATIONS)
		latency_add_wakeup(
			r,
			(t->first_run == UINT64_MAX ? s->now : t->first_run) -
				t->arrival);
	if (s->tl) {
		struct timeline *tl = s->tl;
		struct request_record *rec;
		size_t first = task_index(s, p);

		/* threads of a task are consecutive: find its index */
		while (first > 0 && s->tasks[first - 1].spec == p->spec)
			first--;
		xgrow((void **)&tl->requests, &tl->cap_requests,
		      tl->nrequests + 1, sizeof(*tl->requests));
		rec = &tl->requests[tl->nrequests++];
		rec->latency = (size_t)s->lat->result_of_spec[p->spec];
		rec->thread = (unsigned)(task_index(s, p) - first);
		rec->arrival_ns = t->arrival;
		rec->start_ns = t->start;
		rec->end_ns = s->now;
		rec->queued_ns = queued;
		rec->runnable_ns = wait - thr;
		rec->throttled_ns = thr;
		rec->running_ns = running;
	}
}

static struct lat_source *source_of(struct sim *s, const struct task *p)
{
	long i = s->lat->src_of_spec[p->spec];

	return i < 0 ? NULL : &s->lat->src[i];
}

static void idle_push(struct lat_source *src, uint32_t id)
{
	src->idle[(src->idle_head + src->nidle++) % src->count] = id;
}

static uint32_t idle_pop(struct lat_source *src)
{
	uint32_t id = src->idle[src->idle_head];

	src->idle_head = (src->idle_head + 1) % src->count;
	src->nidle--;
	return id;
}

/* The next waiting request for the longest idle worker of src, oldest
 * first: the worker, with the request's CPU time in *service_ns and its
 * arrival in *arrival_ns; NULL when no worker is idle or no request
 * waits.  The engine wakes the worker, then calls lat_request_begin. */
struct task *lat_dispatch(struct sim *s, struct lat_source *src,
			  uint64_t *service_ns, uint64_t *arrival_ns)
{
	struct task *p;
	const struct req_item *it;

	if (!src->nidle || src->next_assign >= src->next_arrival)
		return NULL;
	p = &s->tasks[idle_pop(src)];
	it = &src->items[src->next_assign];
	s->lat->th[task_index(s, p)].req = src->next_assign++;
	*service_ns = it->service_ns;
	*arrival_ns = it->arrival_ns;
	return p;
}

void lat_request_begin(struct sim *s, struct task *p, uint64_t arrival_ns)
{
	begin(s, p, arrival_ns);
}

struct lat_source *lat_wake(struct sim *s, struct task *p)
{
	struct lat_source *src = source_of(s, p);

	if (!src)
		return NULL;
	/* a worker starts: idle (still TASK_NEW, so that its first wake-up
	 * is its fork) until a request comes */
	idle_push(src, (uint32_t)task_index(s, p));
	return src;
}

struct lat_source *lat_arrival(struct sim *s, struct sim_event *ev)
{
	struct lat_source *src = rb_container_of(ev, struct lat_source, ev);

	while (src->next_arrival < src->nitems &&
	       src->items[src->next_arrival].arrival_ns <= s->now)
		src->next_arrival++;
	if (src->next_arrival < src->nitems)
		evq_arm(&s->evq, &src->ev, EV_ARRIVAL,
			src->items[src->next_arrival].arrival_ns);
	return src;
}

void lat_begin(struct sim *s, struct task *p)
{
	const struct task_spec *ts = &s->sc->tasks[p->spec];

	if (s->lat->result_of_spec[p->spec] < 0 || ts->wl.kind != WL_PERIODIC)
		return;
	/* wl_count is the activation the workload just began */
	begin(s, p, ts->wl.start_ns + p->wl_count * ts->wl.period_ns);
}

enum lat_next lat_run_done(struct sim *s, struct task *p, uint64_t *service_ns,
			   uint64_t *arrival_ns)
{
	struct sim_lat *l = s->lat;
	long ri = l->result_of_spec[p->spec];
	struct lat_source *src;
	struct lat_thread *t;

	if (ri < 0)
		return LAT_WORKLOAD;
	t = &l->th[task_index(s, p)];
	if (t->busy)
		complete(s, p, &l->res[ri]);
	src = source_of(s, p);
	if (!src)
		return LAT_WORKLOAD;
	if (src->next_assign < src->next_arrival) {
		const struct req_item *it = &src->items[src->next_assign];

		t->req = src->next_assign++;
		*service_ns = it->service_ns;
		*arrival_ns = it->arrival_ns;
		return LAT_RUN_MORE;
	}
	idle_push(src, (uint32_t)task_index(s, p));
	return LAT_BLOCK;
}

void lat_switched_in(struct sim *s, struct task *p)
{
	struct lat_thread *t = &s->lat->th[task_index(s, p)];

	if (t->busy && t->first_run == UINT64_MAX)
		t->first_run = s->now;
}

void lat_migrate(struct sim *s, struct task *p, struct cfs_rq *to)
{
	struct lat_thread *t = &s->lat->th[task_index(s, p)];

	if (!t->busy)
		return;
	t->thr_acc += thr_clock(s, p->se.cfs_rq) - t->thr_mark;
	t->thr_mark = thr_clock(s, to);
}

void lat_throttle_change(struct sim *s, struct cfs_rq *cfs_rq, bool on)
{
	size_t i = cfs_rq_slot(s, cfs_rq);

	if (on)
		s->lat->thr_since[i] = s->now;
	else
		s->lat->thr_total[i] += s->now - s->lat->thr_since[i];
}

/* activations scheduled before the end that thread p has not finished */
static uint64_t open_activations(const struct sim *s, const struct task *p)
{
	const struct workload *wl = &s->sc->tasks[p->spec].wl;
	const struct lat_thread *t = &s->lat->th[task_index(s, p)];
	uint64_t scheduled, done;

	if (p->state == TASK_NEW || wl->start_ns >= s->end)
		return 0;
	scheduled = (s->end - 1 - wl->start_ns) / wl->period_ns + 1;
	/* wl_count: the current activation, finished unless busy */
	done = p->wl_count + (t->busy ? 0 : 1);
	return scheduled > done ? scheduled - done : 0;
}

void lat_fill(struct sim *s, struct results *r)
{
	struct sim_lat *l = s->lat;
	size_t i;

	for (i = 0; i < s->ntasks; i++) {
		const struct task *p = &s->tasks[i];
		long ri = l->result_of_spec[p->spec];

		if (ri >= 0 && l->res[ri].kind == LAT_ACTIVATIONS)
			l->res[ri].open += open_activations(s, p);
	}
	for (i = 0; i < l->nsrc; i++) {
		struct lat_source *src = &l->src[i];
		struct latency_result *res =
			&l->res[l->result_of_spec[src->spec]];

		res->open = src->next_arrival - res->n;
	}
	for (i = 0; i < l->nres; i++)
		latency_finish(&l->res[i]);
	r->latency = l->res;
	r->nlatency = l->nres;
	l->res = NULL;
	l->nres = 0;
}
