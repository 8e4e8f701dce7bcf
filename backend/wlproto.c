#include "backend/wlproto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void write_range(FILE *out, const struct len_range *r)
{
	fprintf(out, " %" PRIu64 " %" PRIu64, r->min_ns, r->max_ns);
}

/* Names end the line: keep them printable and on one line. */
static void write_name(FILE *out, const char *name)
{
	const char *p;

	fputc(' ', out);
	for (p = name; *p; p++)
		fputc((unsigned char)*p < 0x20 ? '_' : *p, out);
	if (!*name)
		fputc('-', out);
	fputc('\n', out);
}

static void write_phase(FILE *out, const struct wl_phase *ph)
{
	switch (ph->kind) {
	case PHASE_RUN:
	case PHASE_SLEEP:
		fputs(ph->kind == PHASE_RUN ? " run" : " sleep", out);
		write_range(out, &ph->len);
		break;
	case PHASE_TIMER:
		fprintf(out, " timer %" PRIu64 " %u %d", ph->len.min_ns,
			ph->timer, ph->absolute ? 1 : 0);
		break;
	case PHASE_BLOCK:
		fprintf(out, " block %" PRIu64 " %zu", ph->loop, ph->nchildren);
		break;
	}
}

/* The "task" line of scenario task i (and its "slice" line). */
static void write_task(FILE *out, const struct scenario *sc, size_t i)
{
	const struct task_spec *t = &sc->tasks[i];
	const struct workload *wl = &t->wl;
	size_t j;

	fprintf(out, "task %zu %u %d %" PRIu64, i, t->count, t->nice,
		wl->start_ns);
	switch (wl->kind) {
	case WL_HOG:
		fputs(" hog", out);
		break;
	case WL_PERIODIC:
		fputs(" periodic", out);
		write_range(out, &wl->run);
		fprintf(out, " %" PRIu64, wl->period_ns);
		break;
	case WL_PHASES:
		fprintf(out, " phases %" PRIu64 " %zu", wl->loop, wl->nphases);
		for (j = 0; j < wl->nphases; j++)
			write_phase(out, &wl->phases[j]);
		break;
	case WL_REQUESTS:
		fprintf(out,
			" requests %" PRIu64 " %d %" PRIu64 " %" PRIu64
			" %d %" PRIu64 " %" PRIu64,
			wl->req.rate_milli, (int)wl->req.arrival,
			wl->req.batch_size, wl->req.batch_every_ns,
			(int)wl->req.dist, wl->req.service_mean_ns,
			wl->req.service_sd_ns);
		break;
	}
	write_name(out, t->name ? t->name : "");
	if (t->slice_ns)
		fprintf(out, "slice %" PRIu64 "\n", t->slice_ns);
}

size_t wlproto_write_spec(FILE *out, const struct scenario *sc, size_t group,
			  uint64_t seed, uint64_t duration_ns,
			  uint64_t crash_after_ns)
{
	size_t i, n = 0;

	fprintf(out, "seed %" PRIu64 "\nduration %" PRIu64 "\n", seed,
		duration_ns);
	if (crash_after_ns)
		fprintf(out, "crash_after %" PRIu64 "\n", crash_after_ns);
	for (i = 0; i < sc->ntasks; i++) {
		if (sc->tasks[i].group != group)
			continue;
		write_task(out, sc, i);
		if (sc->tasks[i].wl.kind == WL_REQUESTS)
			fprintf(out, "listen %zu\n", WLPROTO_PORT_BASE + i);
		n++;
	}
	fputs("end\n", out);
	return n;
}

size_t wlproto_write_generator(FILE *out, const struct scenario *sc,
			       const uint32_t *server_addr, uint64_t seed,
			       uint64_t duration_ns)
{
	size_t i, n = 0;
	char addr[INET_ADDRSTRLEN];

	fprintf(out, "seed %" PRIu64 "\nduration %" PRIu64 "\n", seed,
		duration_ns);
	for (i = 0; i < sc->ntasks; i++) {
		if (sc->tasks[i].wl.kind != WL_REQUESTS)
			continue;
		write_task(out, sc, i);
		inet_ntop(AF_INET, &server_addr[i], addr, sizeof(addr));
		fprintf(out, "target %s %zu\n", addr, WLPROTO_PORT_BASE + i);
		n++;
	}
	fputs("end\n", out);
	return n;
}

char *wlproto_format_generator(const struct scenario *sc,
			       const uint32_t *server_addr, uint64_t seed,
			       uint64_t duration_ns)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		abort();
	wlproto_write_generator(out, sc, server_addr, seed, duration_ns);
	if (fclose(out))
		abort();
	return text;
}

char *wlproto_format_spec(const struct scenario *sc, size_t group,
			  uint64_t seed, uint64_t duration_ns,
			  uint64_t crash_after_ns)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		abort();
	wlproto_write_spec(out, sc, group, seed, duration_ns, crash_after_ns);
	if (fclose(out))
		abort();
	return text;
}

void wlproto_spec_init(struct wlproto_spec *s)
{
	memset(s, 0, sizeof(*s));
}

void wlproto_spec_destroy(struct wlproto_spec *s)
{
	size_t i;

	for (i = 0; i < s->ntasks; i++)
		free(s->tasks[i].wl.phases);
	free(s->tasks);
	memset(s, 0, sizeof(*s));
}

/* A small cursor over the words of a line. */
struct words {
	const char *p;
};

static int word_u64(struct words *w, uint64_t *v)
{
	char *end;

	while (*w->p == ' ')
		w->p++;
	if (*w->p < '0' || *w->p > '9')
		return -1;
	errno = 0;
	*v = strtoull(w->p, &end, 10);
	if (errno || (*end && *end != ' '))
		return -1;
	w->p = end;
	return 0;
}

static int word_int(struct words *w, long long *v)
{
	char *end;

	while (*w->p == ' ')
		w->p++;
	if (!*w->p)
		return -1;
	errno = 0;
	*v = strtoll(w->p, &end, 10);
	if (errno || end == w->p || (*end && *end != ' '))
		return -1;
	w->p = end;
	return 0;
}

/* Copies the next word into buf; -1 when there is none or it is too long. */
static int word_str(struct words *w, char *buf, size_t len)
{
	size_t n;

	while (*w->p == ' ')
		w->p++;
	n = strcspn(w->p, " ");
	if (!n || n >= len)
		return -1;
	memcpy(buf, w->p, n);
	buf[n] = '\0';
	w->p += n;
	return 0;
}

static int word_range(struct words *w, struct len_range *r)
{
	if (word_u64(w, &r->min_ns) || word_u64(w, &r->max_ns))
		return -1;
	return r->max_ns < r->min_ns ? -1 : 0;
}

static int bad_spec(struct err *err, const char *line)
{
	return err_set(err, 0, "bad workload spec line '%.200s'", line);
}

/* One phase after its kind word; blocks and timers are checked against
 * the rest of the list so that the cursor can trust them. */
static int parse_phase(struct words *w, const char *kind, struct workload *wl,
		       size_t i)
{
	struct wl_phase *ph = &wl->phases[i];
	uint64_t a, b, c;

	if (!strcmp(kind, "run") || !strcmp(kind, "sleep")) {
		ph->kind = !strcmp(kind, "run") ? PHASE_RUN : PHASE_SLEEP;
		return word_range(w, &ph->len);
	}
	if (!strcmp(kind, "timer")) {
		if (word_u64(w, &a) || word_u64(w, &b) || word_u64(w, &c) ||
		    !a || b >= WL_MAX_TIMERS || c > 1)
			return -1;
		ph->kind = PHASE_TIMER;
		ph->len.min_ns = ph->len.max_ns = a;
		ph->timer = (unsigned)b;
		ph->absolute = c == 1;
		return 0;
	}
	if (!strcmp(kind, "block")) {
		if (word_u64(w, &a) || word_u64(w, &b) || !a || !b ||
		    b >= wl->nphases - i)
			return -1;
		ph->kind = PHASE_BLOCK;
		ph->loop = a;
		ph->nchildren = (size_t)b;
		return 0;
	}
	return -1;
}

static int parse_task(struct wlproto_spec *s, struct words *w, const char *line,
		      struct err *err)
{
	struct wlproto_task t;
	uint64_t index, count, n, i;
	long long nice;
	char kind[16];
	const char *name;

	memset(&t, 0, sizeof(t));
	if (word_u64(w, &index) || word_u64(w, &count) || word_int(w, &nice) ||
	    word_u64(w, &t.wl.start_ns) || word_str(w, kind, sizeof(kind)))
		return bad_spec(err, line);
	if (index > UINT32_MAX || !count || count > 4096 || nice < -20 ||
	    nice > 19)
		return bad_spec(err, line);
	t.index = (unsigned)index;
	t.count = (unsigned)count;
	t.nice = (int)nice;
	if (!strcmp(kind, "hog")) {
		t.wl.kind = WL_HOG;
	} else if (!strcmp(kind, "periodic")) {
		t.wl.kind = WL_PERIODIC;
		if (word_range(w, &t.wl.run) || word_u64(w, &t.wl.period_ns) ||
		    !t.wl.period_ns)
			return bad_spec(err, line);
	} else if (!strcmp(kind, "phases")) {
		t.wl.kind = WL_PHASES;
		if (word_u64(w, &t.wl.loop) || word_u64(w, &n) || n > 4096)
			return bad_spec(err, line);
		t.wl.phases = calloc(n ? n : 1, sizeof(*t.wl.phases));
		if (!t.wl.phases)
			abort();
		t.wl.nphases = n;
		for (i = 0; i < n; i++) {
			char pk[8];

			if (word_str(w, pk, sizeof(pk)))
				goto out_bad;
			if (parse_phase(w, pk, &t.wl, i))
				goto out_bad;
		}
		for (i = 0; i < n; i++) /* blocks do not nest */
			if (t.wl.phases[i].kind == PHASE_BLOCK)
				for (uint64_t j = 1;
				     j <= t.wl.phases[i].nchildren; j++)
					if (t.wl.phases[i + j].kind ==
					    PHASE_BLOCK)
						goto out_bad;
	} else if (!strcmp(kind, "requests")) {
		uint64_t arrival, dist;
		struct req_spec *rq = &t.wl.req;

		t.wl.kind = WL_REQUESTS;
		if (word_u64(w, &rq->rate_milli) || word_u64(w, &arrival) ||
		    word_u64(w, &rq->batch_size) ||
		    word_u64(w, &rq->batch_every_ns) || word_u64(w, &dist) ||
		    word_u64(w, &rq->service_mean_ns) ||
		    word_u64(w, &rq->service_sd_ns) || !rq->rate_milli ||
		    arrival > ARRIVAL_BATCH || dist > DIST_LOGNORMAL ||
		    (arrival == ARRIVAL_BATCH &&
		     (!rq->batch_size || !rq->batch_every_ns)))
			return bad_spec(err, line);
		rq->arrival = (enum req_arrival)arrival;
		rq->dist = (enum req_dist)dist;
	} else {
		return err_set(err, 0, "unknown workload kind '%s'", kind);
	}
	name = w->p;
	while (*name == ' ')
		name++;
	if (!*name)
		goto out_bad;
	snprintf(t.name, sizeof(t.name), "%s", name);
	if (s->ntasks == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->tasks = realloc(s->tasks, s->cap * sizeof(*s->tasks));
		if (!s->tasks)
			abort();
	}
	s->tasks[s->ntasks++] = t;
	return 0;

out_bad:
	free(t.wl.phases);
	return bad_spec(err, line);
}

int wlproto_parse_spec_line(struct wlproto_spec *s, const char *line,
			    struct err *err)
{
	struct words w = {line};
	char key[16];

	if (word_str(&w, key, sizeof(key)))
		return bad_spec(err, line);
	if (!strcmp(key, "task"))
		return parse_task(s, &w, line, err);
	if (!strcmp(key, "slice")) {
		uint64_t ns;

		/* the kernel's clamp (__setparam_fair) as the valid range */
		if (!s->ntasks || word_u64(&w, &ns) || *w.p ||
		    ns < 100 * NSEC_PER_USEC || ns > 100 * NSEC_PER_MSEC)
			return bad_spec(err, line);
		s->tasks[s->ntasks - 1].slice_ns = ns;
		return 0;
	}
	if (!strcmp(key, "listen") || !strcmp(key, "target")) {
		struct wlproto_task *t =
			s->ntasks ? &s->tasks[s->ntasks - 1] : NULL;
		char addr[INET_ADDRSTRLEN];
		struct in_addr in = {0};
		uint64_t port;

		if (!t || t->wl.kind != WL_REQUESTS || t->listen_port ||
		    t->target_port)
			return bad_spec(err, line);
		if (key[0] == 't' && (word_str(&w, addr, sizeof(addr)) ||
				      inet_pton(AF_INET, addr, &in) != 1))
			return bad_spec(err, line);
		if (word_u64(&w, &port) || *w.p || !port || port > 65535)
			return bad_spec(err, line);
		if (key[0] == 'l') {
			t->listen_port = (uint16_t)port;
		} else {
			t->target_addr = in.s_addr;
			t->target_port = (uint16_t)port;
		}
		return 0;
	}
	if (!strcmp(key, "end")) {
		if (*w.p)
			return bad_spec(err, line);
		s->complete = 1;
		return 0;
	}
	if (!strcmp(key, "seed")) {
		if (word_u64(&w, &s->seed) || *w.p)
			return bad_spec(err, line);
		return 0;
	}
	if (!strcmp(key, "duration")) {
		if (word_u64(&w, &s->duration_ns) || *w.p || !s->duration_ns)
			return bad_spec(err, line);
		return 0;
	}
	if (!strcmp(key, "crash_after")) {
		if (word_u64(&w, &s->crash_after_ns) || *w.p)
			return bad_spec(err, line);
		return 0;
	}
	return bad_spec(err, line);
}

static int bad_output(struct err *err, const char *line)
{
	return err_set(err, 0, "bad workload output '%.200s'", line);
}

int wlproto_parse_line(const char *line, struct wlproto_line *out,
		       struct err *err)
{
	struct words w = {line};
	char key[16];
	uint64_t v[7];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (word_str(&w, key, sizeof(key)))
		return bad_output(err, line);
	if (!strcmp(key, "ready")) {
		if (word_u64(&w, &v[0]) || *w.p || v[0] > UINT32_MAX)
			return bad_output(err, line);
		out->kind = WLPROTO_READY;
		out->threads = (unsigned)v[0];
		return 0;
	}
	if (!strcmp(key, "done")) {
		if (*w.p)
			return bad_output(err, line);
		out->kind = WLPROTO_DONE;
		return 0;
	}
	if (!strcmp(key, "error")) {
		const char *msg = w.p;

		while (*msg == ' ')
			msg++;
		out->kind = WLPROTO_ERROR;
		snprintf(out->message, sizeof(out->message), "%s", msg);
		return 0;
	}
	if (!strcmp(key, "req") || !strcmp(key, "act")) {
		bool act = key[0] == 'a';
		size_t nv = act ? 5 : 3;

		for (i = 0; i < nv; i++)
			if (word_u64(&w, &v[i]))
				return bad_output(err, line);
		if (*w.p || v[0] > UINT32_MAX || (act && v[1] > UINT32_MAX))
			return bad_output(err, line);
		out->kind = act ? WLPROTO_ACT : WLPROTO_REQ;
		out->lat.task = (unsigned)v[0];
		if (act) {
			out->lat.thread = (unsigned)v[1];
			out->lat.activation_ns = v[2];
			out->lat.first_run_ns = v[3];
			out->lat.end_ns = v[4];
		} else {
			out->lat.seq = v[1];
			out->lat.end_ns = v[2];
		}
		return 0;
	}
	if (!strcmp(key, "thread")) {
		for (i = 0; i < 7; i++)
			if (word_u64(&w, &v[i]))
				return bad_output(err, line);
		if (*w.p || v[0] > UINT32_MAX || v[1] > UINT32_MAX)
			return bad_output(err, line);
		out->kind = WLPROTO_THREAD;
		out->thread.task = (unsigned)v[0];
		out->thread.thread = (unsigned)v[1];
		out->thread.runtime_ns = v[2];
		out->thread.wait_ns = v[3];
		out->thread.nr_voluntary = v[4];
		out->thread.nr_involuntary = v[5];
		out->thread.charged_ns = v[6];
		return 0;
	}
	return bad_output(err, line);
}

int wlproto_format_thread(char *buf, size_t len, const struct wlproto_thread *t)
{
	return snprintf(buf, len,
			"thread %u %u %" PRIu64 " %" PRIu64 " %" PRIu64
			" %" PRIu64 " %" PRIu64 "\n",
			t->task, t->thread, t->runtime_ns, t->wait_ns,
			t->nr_voluntary, t->nr_involuntary, t->charged_ns);
}
