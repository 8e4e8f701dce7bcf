#include "output/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/timeline_csv.h"
#include "base/xalloc.h"

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

struct out {
	FILE *f;
	int first;
};

static void begin_event(struct out *o)
{
	fputs(o->first ? "\n" : ",\n", o->f);
	o->first = 0;
}

static void meta(struct out *o, int pid, long tid, const char *what,
		 const char *key, const char *sval, long ival)
{
	begin_event(o);
	fprintf(o->f, "{\"ph\":\"M\",\"pid\":%d,", pid);
	if (tid >= 0)
		fprintf(o->f, "\"tid\":%ld,", tid);
	fprintf(o->f, "\"name\":\"%s\",\"args\":{\"%s\":", what, key);
	if (sval)
		json_str(o->f, sval);
	else
		fprintf(o->f, "%ld", ival);
	fputs("}}", o->f);
}

static void label_of(const struct results *r, size_t t, char *buf, size_t len)
{
	const struct task_result *tr = &r->tasks[t];

	snprintf(buf, len, "%s/%s#%u", tr->group ? tr->group : "",
		 tr->name ? tr->name : "", tr->index);
}

static int task_pid(const struct results *r, size_t t)
{
	long g = timeline_csv_task_group(r, t);

	return g < 0 ? TRACE_PID_ORPHANS : TRACE_PID_GROUP + (int)g;
}

static void slice_event(struct out *o, int pid, long tid, const char *name,
			const struct run_slice *s, const struct results *r)
{
	const struct task_result *tr = &r->tasks[s->task];

	begin_event(o);
	fprintf(o->f, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%ld,\"ts\":", pid, tid);
	timeline_csv_us(o->f, s->start_ns);
	fputs(",\"dur\":", o->f);
	timeline_csv_us(o->f, s->end_ns - s->start_ns);
	fputs(",\"name\":", o->f);
	json_str(o->f, name);
	fputs(",\"args\":{\"group\":", o->f);
	json_str(o->f, tr->group);
	fputs(",\"task\":", o->f);
	json_str(o->f, tr->name);
	fprintf(o->f, ",\"thread\":%u,\"cpu\":%u}}", tr->index, s->cpu);
}

static void counter(struct out *o, int pid, const char *name, uint64_t ts_ns,
		    const char *key, uint64_t value_ns, int as_us)
{
	begin_event(o);
	fprintf(o->f, "{\"ph\":\"C\",\"pid\":%d,\"tid\":%d,\"ts\":", pid, pid);
	timeline_csv_us(o->f, ts_ns);
	fputs(",\"name\":", o->f);
	json_str(o->f, name);
	fprintf(o->f, ",\"args\":{\"%s\":", key);
	if (as_us)
		timeline_csv_us(o->f, value_ns);
	else
		fprintf(o->f, "%" PRIu64, value_ns);
	fputs("}}", o->f);
}

/* A slice of a group's subtree clipped to one of its periods. */
struct piece {
	size_t period; /* index into the group's sorted periods */
	uint64_t start_ns, end_ns;
};

/* A period of the group being traced, for sorting by start. */
struct period_ref {
	uint64_t start_ns;
	size_t index; /* into timeline.periods */
};

static int cmp_period(const void *a, const void *b)
{
	const struct period_ref *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->end_ns != y->end_ns)
		return x->end_ns < y->end_ns ? -1 : 1;
	return 0;
}

static void group_counters(struct out *o, const struct results *r, size_t g,
			   const long *task_group)
{
	const struct timeline *tl = r->timeline;
	int pid = TRACE_PID_GROUP + (int)g;
	struct period_ref *per;
	size_t np = 0, i, j, npieces = 0, cap = 0;
	struct piece *pieces = NULL;

	for (i = 0; i < tl->nperiods; i++)
		if (tl->periods[i].group == g)
			np++;
	if (np == 0)
		return;
	per = xmalloc(np * sizeof(*per));
	for (i = 0, j = 0; i < tl->nperiods; i++)
		if (tl->periods[i].group == g) {
			per[j].start_ns = tl->periods[i].start_ns;
			per[j++].index = i;
		}
	qsort(per, np, sizeof(*per), cmp_period);

	for (i = 0; i < tl->nslices; i++) {
		const struct run_slice *s = &tl->slices[i];
		size_t lo = 0, hi = np, k;

		if (s->task >= r->ntasks || task_group[s->task] < 0 ||
		    !timeline_csv_group_within(r, (size_t)task_group[s->task],
					       g))
			continue;
		/* First period whose end lies after the slice's start. */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (tl->periods[per[mid].index].end_ns <= s->start_ns)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < np; k++) {
			const struct period_sample *p =
				&tl->periods[per[k].index];
			uint64_t a = s->start_ns > p->start_ns ? s->start_ns :
								 p->start_ns;
			uint64_t b =
				s->end_ns < p->end_ns ? s->end_ns : p->end_ns;

			if (p->start_ns >= s->end_ns)
				break;
			if (a >= b)
				continue;
			xgrow((void **)&pieces, &cap, npieces + 1,
			      sizeof(*pieces));
			pieces[npieces].period = k;
			pieces[npieces].start_ns = a;
			pieces[npieces].end_ns = b;
			npieces++;
		}
	}
	if (npieces)
		qsort(pieces, npieces, sizeof(*pieces), cmp_piece);

	for (i = 0, j = 0; i < np; i++) {
		const struct period_sample *p = &tl->periods[per[i].index];
		uint64_t used = 0, th_start = 0;
		int reached = 0;

		counter(o, pid, "quota left (us)", p->start_ns, "quota_left_us",
			p->quota_ns, 1);
		if (i == 0)
			counter(o, pid, "throttled", p->start_ns, "throttled",
				0, 0);
		for (; j < npieces && pieces[j].period == i; j++) {
			uint64_t len = pieces[j].end_ns - pieces[j].start_ns;

			if (!reached && used + len >= p->quota_ns) {
				reached = 1;
				th_start = pieces[j].start_ns +
					   (p->quota_ns - used);
			}
			used += len;
			counter(o, pid, "quota left (us)", pieces[j].end_ns,
				"quota_left_us",
				used < p->quota_ns ? p->quota_ns - used : 0, 1);
		}
		if (!p->throttled)
			continue;
		if (!reached) {
			uint64_t len = p->end_ns - p->start_ns;

			th_start =
				p->end_ns -
				(p->throttled_ns < len ? p->throttled_ns : len);
		}
		counter(o, pid, "throttled", th_start, "throttled", 1, 0);
		counter(o, pid, "throttled", p->end_ns, "throttled", 0, 0);
	}
	free(pieces);
	free(per);
}

int trace_write(FILE *f, const struct results *r, struct err *err)
{
	const struct timeline *tl = r->timeline;
	struct out o = {f, 1};
	long *task_group;
	unsigned cpu, maxcpu = r->cpus;
	size_t i;
	char label[512];
	int orphans = 0;

	if (!tl)
		return err_set(err, 0, "results of '%s' have no timeline",
			       r->scenario ? r->scenario : "");
	for (i = 0; i < tl->nslices; i++)
		if (tl->slices[i].cpu + 1 > maxcpu)
			maxcpu = tl->slices[i].cpu + 1;
	task_group = xcalloc(r->ntasks ? r->ntasks : 1, sizeof(*task_group));
	for (i = 0; i < r->ntasks; i++) {
		task_group[i] = timeline_csv_task_group(r, i);
		if (task_group[i] < 0)
			orphans = 1;
	}

	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"scenario\":", f);
	json_str(f, r->scenario);
	fprintf(f, ",\"source\":\"%s\",\"kernel\":",
		r->source == SOURCE_REAL ? "real" : "sim");
	json_str(f, r->kernel);
	fputs("},\n\"traceEvents\":[", f);

	for (cpu = 0; cpu < maxcpu; cpu++) {
		int pid = TRACE_PID_CPU + (int)cpu;

		snprintf(label, sizeof(label), "CPU %u", cpu);
		meta(&o, pid, -1, "process_name", "name", label, 0);
		meta(&o, pid, -1, "process_sort_index", "sort_index", NULL,
		     (long)cpu);
		meta(&o, pid, pid, "thread_name", "name", "running", 0);
	}
	for (i = 0; i < r->ngroups; i++) {
		int pid = TRACE_PID_GROUP + (int)i;

		snprintf(label, sizeof(label), "group %s", r->groups[i].path);
		meta(&o, pid, -1, "process_name", "name", label, 0);
		meta(&o, pid, -1, "process_sort_index", "sort_index", NULL,
		     (long)(maxcpu + i));
	}
	if (orphans)
		meta(&o, TRACE_PID_ORPHANS, -1, "process_name", "name",
		     "tasks without a group", 0);
	for (i = 0; i < r->ntasks; i++) {
		snprintf(label, sizeof(label), "%s#%u", r->tasks[i].name,
			 r->tasks[i].index);
		meta(&o, task_pid(r, i), TRACE_TID_TASK + (long)i,
		     "thread_name", "name", label, 0);
	}

	for (i = 0; i < tl->nslices; i++) {
		const struct run_slice *s = &tl->slices[i];

		if (s->task >= r->ntasks || s->end_ns < s->start_ns)
			continue;
		label_of(r, s->task, label, sizeof(label));
		slice_event(&o, TRACE_PID_CPU + (int)s->cpu,
			    TRACE_PID_CPU + (long)s->cpu, label, s, r);
		snprintf(label, sizeof(label), "CPU %u", s->cpu);
		slice_event(&o, task_pid(r, s->task),
			    TRACE_TID_TASK + (long)s->task, label, s, r);
	}
	for (i = 0; i < r->ngroups; i++)
		group_counters(&o, r, i, task_group);
	fputs("\n]}\n", f);
	free(task_group);
	if (ferror(f))
		return err_set(err, EIO, "cannot write the trace");
	return 0;
}

int trace_write_file(const char *path, const struct results *r, struct err *err)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return err_set(err, errno, "cannot open '%s'", path);
	ret = trace_write(f, r, err);
	if (fclose(f) != 0 && ret == 0)
		ret = err_set(err, errno, "cannot write '%s'", path);
	return ret;
}
