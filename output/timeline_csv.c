#include "output/timeline_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"

#define USAGE_MAX_BUCKETS 300

void timeline_csv_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03u", (unsigned long long)(ns / 1000),
		(unsigned)(ns % 1000));
}

static void csv_signed_us(FILE *f, int64_t ns)
{
	if (ns < 0) {
		fputc('-', f);
		timeline_csv_us(f, (uint64_t)0 - (uint64_t)ns);
	} else {
		timeline_csv_us(f, (uint64_t)ns);
	}
}

void timeline_csv_field(FILE *f, const char *s)
{
	const char *p;

	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

uint64_t timeline_csv_auto_bucket(uint64_t duration_ns)
{
	static const unsigned steps_ms[] = {1,	2,   5,	  10,  20,
					    50, 100, 200, 500, 1000};
	size_t i;

	for (i = 0; i < sizeof(steps_ms) / sizeof(steps_ms[0]); i++) {
		uint64_t b = steps_ms[i] * 1000000ULL;

		if ((duration_ns + b - 1) / b <= USAGE_MAX_BUCKETS)
			return b;
	}
	return 1000000000ULL;
}

long timeline_csv_task_group(const struct results *r, size_t task)
{
	size_t g;

	for (g = 0; g < r->ngroups; g++)
		if (r->tasks[task].group && r->groups[g].path &&
		    strcmp(r->tasks[task].group, r->groups[g].path) == 0)
			return (long)g;
	return -1;
}

long timeline_csv_group_parent(const struct results *r, size_t group)
{
	const char *path = r->groups[group].path;
	const char *slash = path ? strrchr(path, '/') : NULL;
	size_t len, g;

	if (!slash)
		return -1;
	len = (size_t)(slash - path);
	for (g = 0; g < r->ngroups; g++)
		if (r->groups[g].path && strlen(r->groups[g].path) == len &&
		    strncmp(r->groups[g].path, path, len) == 0)
			return (long)g;
	return -1;
}

int timeline_csv_group_within(const struct results *r, size_t g, size_t anc)
{
	long cur = (long)g;
	size_t hops = 0;

	while (cur >= 0 && hops++ <= r->ngroups) {
		if ((size_t)cur == anc)
			return 1;
		cur = timeline_csv_group_parent(r, (size_t)cur);
	}
	return 0;
}

int timeline_csv_mkdirs(const char *dir, struct err *err)
{
	char *path = xstrdup(dir);
	char *p;
	int ret = 0;

	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			ret = err_set(err, errno,
				      "cannot create directory '%s'", path);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(path);
	if (ret == 0) {
		struct stat st;

		if (stat(dir, &st) < 0)
			return err_set(err, errno,
				       "cannot create directory '%s'", dir);
		if (!S_ISDIR(st.st_mode))
			return err_set(err, ENOTDIR,
				       "cannot create directory '%s'", dir);
	}
	return ret;
}

static FILE *open_in(const char *dir, const char *name, char **pathp,
		     struct err *err)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(len);
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		err_set(err, errno, "cannot open '%s'", path);
		free(path);
		return NULL;
	}
	*pathp = path;
	return f;
}

static int close_out(FILE *f, char *path, struct err *err)
{
	int bad = ferror(f);
	int ret = 0;

	if (fclose(f) != 0 || bad)
		ret = err_set(err, errno ? errno : EIO, "cannot write '%s'",
			      path);
	free(path);
	return ret;
}

static void write_groups(FILE *f, const struct results *r)
{
	size_t g;

	fputs("id,group,usage_us,user_us,system_us,nr_periods,nr_throttled,"
	      "throttled_us,nr_bursts,burst_us\n",
	      f);
	for (g = 0; g < r->ngroups; g++) {
		const struct group_result *gr = &r->groups[g];

		fprintf(f, "%zu,", g);
		timeline_csv_field(f, gr->path);
		fputc(',', f);
		timeline_csv_us(f, gr->usage_ns);
		fputc(',', f);
		timeline_csv_us(f, gr->user_ns);
		fputc(',', f);
		timeline_csv_us(f, gr->system_ns);
		fprintf(f, ",%llu,%llu,", (unsigned long long)gr->nr_periods,
			(unsigned long long)gr->nr_throttled);
		timeline_csv_us(f, gr->throttled_ns);
		fprintf(f, ",%llu,", (unsigned long long)gr->nr_bursts);
		timeline_csv_us(f, gr->burst_ns);
		fputc('\n', f);
	}
}

static void write_tasks(FILE *f, const struct results *r)
{
	size_t t;

	fputs("id,group,task,thread,runtime_us,wait_us,nr_switches,"
	      "nr_voluntary\n",
	      f);
	for (t = 0; t < r->ntasks; t++) {
		const struct task_result *tr = &r->tasks[t];

		fprintf(f, "%zu,", t);
		timeline_csv_field(f, tr->group);
		fputc(',', f);
		timeline_csv_field(f, tr->name);
		fprintf(f, ",%u,", tr->index);
		timeline_csv_us(f, tr->runtime_ns);
		fputc(',', f);
		timeline_csv_us(f, tr->wait_ns);
		fprintf(f, ",%llu,%llu\n", (unsigned long long)tr->nr_switches,
			(unsigned long long)tr->nr_voluntary);
	}
}

static void write_periods(FILE *f, const struct results *r)
{
	const struct timeline *tl = r->timeline;
	size_t i;

	fputs("group,start_us,end_us,quota_us,used_us,throttled_us,throttled,"
	      "group_id\n",
	      f);
	for (i = 0; i < tl->nperiods; i++) {
		const struct period_sample *p = &tl->periods[i];

		timeline_csv_field(f, p->group < r->ngroups ?
					      r->groups[p->group].path :
					      "");
		fputc(',', f);
		timeline_csv_us(f, p->start_ns);
		fputc(',', f);
		timeline_csv_us(f, p->end_ns);
		fputc(',', f);
		timeline_csv_us(f, p->quota_ns);
		fputc(',', f);
		timeline_csv_us(f, p->used_ns);
		fputc(',', f);
		timeline_csv_us(f, p->throttled_ns);
		fprintf(f, ",%d,%zu\n", p->throttled ? 1 : 0, p->group);
	}
}

static void write_task_cols(FILE *f, const struct results *r, size_t task)
{
	if (task < r->ntasks) {
		timeline_csv_field(f, r->tasks[task].name);
		fprintf(f, ",%u", r->tasks[task].index);
	} else {
		fputs(",0", f);
	}
}

static void write_slices(FILE *f, const struct results *r)
{
	const struct timeline *tl = r->timeline;
	size_t i;

	fputs("task,thread,cpu,start_us,end_us,group,task_id\n", f);
	for (i = 0; i < tl->nslices; i++) {
		const struct run_slice *s = &tl->slices[i];

		write_task_cols(f, r, s->task);
		fprintf(f, ",%u,", s->cpu);
		timeline_csv_us(f, s->start_ns);
		fputc(',', f);
		timeline_csv_us(f, s->end_ns);
		fputc(',', f);
		timeline_csv_field(
			f, s->task < r->ntasks ? r->tasks[s->task].group : "");
		fprintf(f, ",%zu\n", s->task);
	}
}

static void write_vruntimes(FILE *f, const struct results *r)
{
	const struct timeline *tl = r->timeline;
	size_t i;

	fputs("task,thread,cpu,time_us,vruntime_us,task_id,top_group,"
	      "top_lag_us,top_group_id\n",
	      f);
	for (i = 0; i < tl->nvruntimes; i++) {
		const struct vruntime_sample *v = &tl->vruntimes[i];

		write_task_cols(f, r, v->task);
		fprintf(f, ",%u,", v->cpu);
		timeline_csv_us(f, v->time_ns);
		fputc(',', f);
		csv_signed_us(f, v->vruntime_ns);
		fprintf(f, ",%zu,", v->task);
		if (v->top_group < r->ngroups) {
			timeline_csv_field(f, r->groups[v->top_group].path);
			fputc(',', f);
			csv_signed_us(f, v->top_lag_ns);
			fprintf(f, ",%zu\n", v->top_group);
		} else {
			fputs(",", f);
			csv_signed_us(f, v->top_lag_ns);
			fputs(",-1\n", f);
		}
	}
}

/* One row per completed request or activation, in completion order; the
 * four parts are empty when the run could not split the latency. */
static void write_requests(FILE *f, const struct results *r)
{
	const struct timeline *tl = r->timeline;
	size_t i;

	fputs("group,task,kind,thread,arrival_us,start_us,end_us,latency_us,"
	      "queued_us,runnable_us,throttled_us,running_us\n",
	      f);
	for (i = 0; i < tl->nrequests; i++) {
		const struct request_record *q = &tl->requests[i];
		const struct latency_result *l = &r->latency[q->latency];
		const uint64_t parts[4] = {q->queued_ns, q->runnable_ns,
					   q->throttled_ns, q->running_ns};
		unsigned k;

		timeline_csv_field(f, l->group);
		fputc(',', f);
		timeline_csv_field(f, l->task);
		fprintf(f, ",%s,%u,",
			l->kind == LAT_REQUESTS ? "requests" : "activations",
			q->thread);
		timeline_csv_us(f, q->arrival_ns);
		fputc(',', f);
		timeline_csv_us(f, q->start_ns);
		fputc(',', f);
		timeline_csv_us(f, q->end_ns);
		fputc(',', f);
		timeline_csv_us(f, q->end_ns - q->arrival_ns);
		for (k = 0; k < 4; k++) {
			fputc(',', f);
			if (l->has_breakdown)
				timeline_csv_us(f, parts[k]);
		}
		fputc('\n', f);
	}
}

/* The latency distribution of each task with latency: one block per task
 * (separated by two blank lines, gnuplot's "index"), each opening with the
 * task's name as a header line, then every sample ascending with the share
 * of samples at or below it. */
static void write_latency_cdf(FILE *f, const struct results *r)
{
	size_t i, k;

	for (i = 0; i < r->nlatency; i++) {
		const struct latency_result *l = &r->latency[i];

		if (i)
			fputs("\n\n", f);
		timeline_csv_field(f, l->group);
		fputc('/', f);
		timeline_csv_field(f, l->task);
		fputs(",share\n", f);
		for (k = 0; k < l->n; k++) {
			/* the last of equal samples carries their share */
			if (k + 1 < l->n &&
			    l->samples_ns[k + 1] == l->samples_ns[k])
				continue;
			timeline_csv_us(f, l->samples_ns[k]);
			fprintf(f, ",%.6f\n", (double)(k + 1) / (double)l->n);
		}
	}
}

/* Adds the part of [start, end) in each bucket to row[bucket]. */
static void spread(uint64_t *row, size_t nbuckets, uint64_t bucket_ns,
		   uint64_t start, uint64_t end)
{
	size_t b;

	for (b = start / bucket_ns; b < nbuckets && start < end; b++) {
		uint64_t bend = (b + 1) * bucket_ns;
		uint64_t piece_end = end < bend ? end : bend;

		row[b] += piece_end - start;
		start = piece_end;
	}
}

static void write_usage(FILE *f, const struct results *r, uint64_t bucket_ns)
{
	const struct timeline *tl = r->timeline;
	uint64_t horizon = r->duration_ns;
	size_t nbuckets, i, g, b;
	uint64_t *usage, *self, *stack;
	long *task_group;

	for (i = 0; i < tl->nslices; i++)
		if (tl->slices[i].end_ns > horizon)
			horizon = tl->slices[i].end_ns;
	nbuckets = (size_t)((horizon + bucket_ns - 1) / bucket_ns);
	fputs("group,start_us,end_us,usage_us,self_us,stack_us,group_id\n", f);
	if (nbuckets == 0 || r->ngroups == 0)
		return;
	usage = xcalloc(nbuckets * r->ngroups, sizeof(*usage));
	self = xcalloc(nbuckets * r->ngroups, sizeof(*self));
	stack = xcalloc(nbuckets, sizeof(*stack));
	task_group = xcalloc(r->ntasks ? r->ntasks : 1, sizeof(*task_group));
	for (i = 0; i < r->ntasks; i++)
		task_group[i] = timeline_csv_task_group(r, i);
	for (i = 0; i < tl->nslices; i++) {
		const struct run_slice *s = &tl->slices[i];
		long tg = s->task < r->ntasks ? task_group[s->task] : -1;

		if (tg < 0 || s->end_ns <= s->start_ns)
			continue;
		spread(self + (size_t)tg * nbuckets, nbuckets, bucket_ns,
		       s->start_ns, s->end_ns);
	}
	/* Hierarchical usage: a group's own time plus its descendants'. */
	for (g = 0; g < r->ngroups; g++)
		for (i = 0; i < r->ngroups; i++)
			if (timeline_csv_group_within(r, i, g))
				for (b = 0; b < nbuckets; b++)
					usage[g * nbuckets + b] +=
						self[i * nbuckets + b];
	for (g = 0; g < r->ngroups; g++) {
		for (b = 0; b < nbuckets; b++) {
			uint64_t bstart = b * bucket_ns;
			uint64_t bend = bstart + bucket_ns;

			if (bend > horizon)
				bend = horizon;
			stack[b] += self[g * nbuckets + b];
			timeline_csv_field(f, r->groups[g].path);
			fputc(',', f);
			timeline_csv_us(f, bstart);
			fputc(',', f);
			timeline_csv_us(f, bend);
			fputc(',', f);
			timeline_csv_us(f, usage[g * nbuckets + b]);
			fputc(',', f);
			timeline_csv_us(f, self[g * nbuckets + b]);
			fputc(',', f);
			timeline_csv_us(f, stack[b]);
			fprintf(f, ",%zu\n", g);
		}
	}
	free(task_group);
	free(stack);
	free(self);
	free(usage);
}

typedef void (*writer_fn)(FILE *f, const struct results *r);

static int write_one(const char *dir, const char *name, writer_fn fn,
		     const struct results *r, struct err *err)
{
	char *path;
	FILE *f = open_in(dir, name, &path, err);

	if (!f)
		return -1;
	fn(f, r);
	return close_out(f, path, err);
}

int timeline_csv_write(const struct results *r, const char *dir,
		       uint64_t bucket_ns, struct err *err)
{
	char *path;
	FILE *f;

	if (timeline_csv_mkdirs(dir, err) < 0)
		return -1;
	if (write_one(dir, "groups.csv", write_groups, r, err) < 0 ||
	    write_one(dir, "tasks.csv", write_tasks, r, err) < 0)
		return -1;
	if (r->nlatency &&
	    write_one(dir, "latency_cdf.csv", write_latency_cdf, r, err) < 0)
		return -1;
	if (!r->timeline)
		return 0;
	if (write_one(dir, "periods.csv", write_periods, r, err) < 0 ||
	    write_one(dir, "slices.csv", write_slices, r, err) < 0 ||
	    write_one(dir, "vruntime.csv", write_vruntimes, r, err) < 0)
		return -1;
	if (r->nlatency &&
	    write_one(dir, "requests.csv", write_requests, r, err) < 0)
		return -1;
	if (bucket_ns == 0)
		bucket_ns = timeline_csv_auto_bucket(r->duration_ns);
	f = open_in(dir, "usage.csv", &path, err);
	if (!f)
		return -1;
	write_usage(f, r, bucket_ns);
	return close_out(f, path, err);
}
