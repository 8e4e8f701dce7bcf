/* A hand-built run for the plot, trace and report tests: 2 CPUs, 1 s.
 * CPU 0: web/hog runs [4k ms + 1 ns, 4(k+1) ms) for k = 0..249, i.e.
 * 250 slices of 3,999,999 ns = 999,999,750 ns.  CPU 1, in each 100 ms
 * period p = 0..9: batch/worker#0 runs 10 ms, batch/worker#1 10 ms, then
 * batch/inner/steps#0 10 ms; batch (quota 30 ms) is then throttled for
 * the remaining 70 ms.  So batch uses 300 ms, inner 100 ms, each worker
 * thread 100 ms; batch has 10 periods, all throttled, 700 ms throttled.
 * Also small checks shared by those tests: temporary directories, whole
 * files, PNG headers, SVG well-formedness, exact µs decimals. */
#ifndef TESTS_PLOT_FIXTURE_H
#define TESTS_PLOT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/results.h"
#include "base/xalloc.h"

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
	tl->vruntimes[tl->nvruntimes].top_group = 0;
	tl->vruntimes[tl->nvruntimes].top_lag_ns =
		(int64_t)((end / 5) % (5 * FX_MS)) - (int64_t)(5 * FX_MS / 2);
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

static inline void fx_task(struct results *r, struct task_result *t,
			   const char *group, const char *name, unsigned index,
			   uint64_t runtime_ns)
{
	memset(t, 0, sizeof(*t));
	t->group = results_keep(r, group);
	t->name = results_keep(r, name);
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
	fx_task(r, &r->tasks[0], "web", "hog", 0, 999999750ULL);
	fx_task(r, &r->tasks[1], "batch", "worker", 0, 100 * FX_MS);
	fx_task(r, &r->tasks[2], "batch", "worker", 1, 100 * FX_MS);
	fx_task(r, &r->tasks[3], "batch/inner", "steps", 0, 100 * FX_MS);
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

/* A new directory under $TMPDIR or /tmp; the caller frees the name. */
static inline char *fx_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xmalloc(4096);

	snprintf(dir, 4096, "%s/cfssim-test-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* The whole file, NUL-terminated, or NULL. */
static inline char *fx_read(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, len = 0, n;
	char *buf;

	if (!f)
		return NULL;
	buf = xmalloc(cap + 1);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static inline char *fx_path(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(len);

	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

/* 0 when path is a PNG (signature, IHDR first) of at least min_bytes;
 * fills its width and height. */
static inline int fx_png(const char *path, size_t min_bytes, unsigned *w,
			 unsigned *h)
{
	static const unsigned char sig[8] = {0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1a, '\n'};
	size_t len;
	unsigned char *b = (unsigned char *)fx_read(path, &len);
	int ret = -1;

	if (!b)
		return -1;
	if (len >= 24 && len >= min_bytes && memcmp(b, sig, 8) == 0 &&
	    memcmp(b + 12, "IHDR", 4) == 0) {
		*w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 |
		     (unsigned)b[18] << 8 | b[19];
		*h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 |
		     (unsigned)b[22] << 8 | b[23];
		ret = 0;
	}
	free(b);
	return ret;
}

/* Well-formed enough: every start tag is closed in order, comments,
 * declarations and processing instructions are skipped, quoted attribute
 * values may hold '>'.  Returns 0 when balanced. */
static inline int fx_xml_balanced(const char *s)
{
	char stack[64][64];
	int depth = 0, seen_root = 0;

	while ((s = strchr(s, '<')) != NULL) {
		const char *end;
		char name[64];
		size_t n;
		int closing;

		if (strncmp(s, "<!--", 4) == 0) {
			end = strstr(s, "-->");
			if (!end)
				return -1;
			s = end + 3;
			continue;
		}
		if (s[1] == '?' || s[1] == '!') {
			end = strchr(s, '>');
			if (!end)
				return -1;
			s = end + 1;
			continue;
		}
		closing = s[1] == '/';
		s += closing ? 2 : 1;
		n = strcspn(s, " \t\r\n/>");
		if (n == 0 || n >= sizeof(name))
			return -1;
		memcpy(name, s, n);
		name[n] = '\0';
		for (end = s + n; *end && *end != '>'; end++)
			if (*end == '"' || *end == '\'') {
				const char *q = strchr(end + 1, *end);

				if (!q)
					return -1;
				end = q;
			}
		if (!*end)
			return -1;
		if (closing) {
			if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
				return -1;
			depth--;
		} else if (end[-1] != '/') {
			if (depth == 64)
				return -1;
			strcpy(stack[depth++], name);
			seen_root = 1;
		}
		s = end + 1;
	}
	return depth == 0 && seen_root ? 0 : -1;
}

/* 0 when path starts with "<?xml" or "<svg", ends its root with "</svg>",
 * is balanced and has at least min_bytes. */
static inline int fx_svg(const char *path, size_t min_bytes)
{
	size_t len;
	char *b = fx_read(path, &len);
	int ret = -1;

	if (!b)
		return -1;
	if (len >= min_bytes &&
	    (strncmp(b, "<?xml", 5) == 0 || strncmp(b, "<svg", 4) == 0) &&
	    strstr(b, "</svg>") && fx_xml_balanced(b) == 0)
		ret = 0;
	free(b);
	return ret;
}

/* "-1234.567" (µs, at most 3 decimals) to ns, exactly. */
static inline int64_t fx_us(const char *s, size_t n)
{
	int64_t whole = 0, frac = 0;
	int neg = 0, digits = 0;
	size_t i = 0;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		whole = whole * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			frac = frac * 10 + (s[i] - '0');
	while (digits++ < 3)
		frac *= 10;
	return neg ? -(whole * 1000 + frac) : whole * 1000 + frac;
}

#endif
