/* Key-value parsing of cgroup CPU accounting files. */
#include "backend/cpustat.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One known key: where its value goes, its unit and the bit it sets. */
struct key {
	const char *name;
	size_t off;	/* offsetof(struct cpustat, field) */
	uint64_t scale; /* multiply to get ns (1 for counters) */
	unsigned have;
	bool required;
};

#define F(field) offsetof(struct cpustat, field)

static const struct key v1_keys[] = {
	{"nr_periods", F(nr_periods), 1, CPUSTAT_BANDWIDTH, true},
	{"nr_throttled", F(nr_throttled), 1, CPUSTAT_BANDWIDTH, true},
	{"throttled_time", F(throttled_ns), 1, CPUSTAT_BANDWIDTH, true},
	{"wait_sum", F(wait_sum_ns), 1, CPUSTAT_WAIT_SUM, false},
	{"nr_bursts", F(nr_bursts), 1, CPUSTAT_BURST, false},
	{"burst_time", F(burst_ns), 1, CPUSTAT_BURST, false},
	{NULL, 0, 0, 0, false},
};

static const struct key v1_local_keys[] = {
	{"throttled_time", F(throttled_local_ns), 1, CPUSTAT_LOCAL, true},
	{NULL, 0, 0, 0, false},
};

static const struct key cpuacct_stat_keys[] = {
	{"user", F(user_ticks), 1, CPUSTAT_TICKS, true},
	{"system", F(system_ticks), 1, CPUSTAT_TICKS, true},
	{NULL, 0, 0, 0, false},
};

static const struct key v2_keys[] = {
	{"usage_usec", F(usage_ns), 1000, CPUSTAT_USAGE, true},
	{"user_usec", F(user_ns), 1000, CPUSTAT_USER_SYSTEM, true},
	{"system_usec", F(system_ns), 1000, CPUSTAT_USER_SYSTEM, true},
	{"nice_usec", F(nice_ns), 1000, CPUSTAT_NICE, false},
	{"core_sched.force_idle_usec", F(force_idle_ns), 1000,
	 CPUSTAT_FORCE_IDLE, false},
	{"nr_periods", F(nr_periods), 1, CPUSTAT_BANDWIDTH, false},
	{"nr_throttled", F(nr_throttled), 1, CPUSTAT_BANDWIDTH, false},
	{"throttled_usec", F(throttled_ns), 1000, CPUSTAT_BANDWIDTH, false},
	{"nr_bursts", F(nr_bursts), 1, CPUSTAT_BURST, false},
	{"burst_usec", F(burst_ns), 1000, CPUSTAT_BURST, false},
	{NULL, 0, 0, 0, false},
};

static const struct key v2_local_keys[] = {
	{"throttled_usec", F(throttled_local_ns), 1000, CPUSTAT_LOCAL, true},
	{NULL, 0, 0, 0, false},
};

static uint64_t *field(struct cpustat *st, size_t off)
{
	return (uint64_t *)(void *)((char *)st + off);
}

/* Parses an unsigned decimal that fills [s, end); v1 prints some counters
 * with %d, so a leading '-' (never seen in practice) is refused too. */
static bool parse_u64(const char *s, const char *end, uint64_t *v)
{
	uint64_t x = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (x > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return true;
}

static int parse_keys(const char *text, const char *name,
		      const struct key *keys, struct cpustat *st,
		      struct err *err)
{
	unsigned seen = 0, lineno = 0, bit;
	const char *line = text, *nl, *sp, *end;
	const struct key *k;
	uint64_t v;
	size_t i;

	while (*line) {
		lineno++;
		nl = strchr(line, '\n');
		end = nl ? nl : line + strlen(line);
		if (end > line) {
			sp = memchr(line, ' ', (size_t)(end - line));
			if (!sp || !parse_u64(sp + 1, end, &v))
				return err_set(
					err, 0,
					"malformed line %u in '%s': '%.*s'",
					lineno, name,
					(int)(end - line > 60 ? 60 :
								end - line),
					line);
			for (i = 0, k = keys; k->name; k++, i++) {
				if (strlen(k->name) != (size_t)(sp - line) ||
				    memcmp(k->name, line, (size_t)(sp - line)))
					continue;
				*field(st, k->off) = v * k->scale;
				st->have |= k->have;
				seen |= 1u << i;
				break;
			}
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	for (i = 0, k = keys; k->name; k++, i++) {
		bit = 1u << i;
		if (k->required && !(seen & bit))
			return err_set(err, 0, "missing '%s' in '%s'", k->name,
				       name);
	}
	return 0;
}

int cpustat_parse_v1(const char *text, const char *name, struct cpustat *st,
		     struct err *err)
{
	return parse_keys(text, name, v1_keys, st, err);
}

int cpustat_parse_v1_local(const char *text, const char *name,
			   struct cpustat *st, struct err *err)
{
	return parse_keys(text, name, v1_local_keys, st, err);
}

int cpustat_parse_cpuacct_stat(const char *text, const char *name,
			       struct cpustat *st, struct err *err)
{
	return parse_keys(text, name, cpuacct_stat_keys, st, err);
}

int cpustat_parse_v2(const char *text, const char *name, struct cpustat *st,
		     struct err *err)
{
	return parse_keys(text, name, v2_keys, st, err);
}

int cpustat_parse_v2_local(const char *text, const char *name,
			   struct cpustat *st, struct err *err)
{
	return parse_keys(text, name, v2_local_keys, st, err);
}

int cpustat_parse_cpuacct_usage(const char *text, const char *name,
				struct cpustat *st, struct err *err)
{
	const char *end = text + strlen(text);
	uint64_t v;

	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (!parse_u64(text, end, &v))
		return err_set(err, 0, "malformed '%s': '%.*s'", name,
			       (int)(end - text > 60 ? 60 : end - text), text);
	st->usage_ns = v;
	st->have |= CPUSTAT_USAGE;
	return 0;
}

int hoststat_parse(const char *text, uint64_t cpus, struct hoststat *h,
		   struct err *err)
{
	const char *line = text;
	uint64_t seen = 0;
	unsigned n;

	memset(h, 0, sizeof(*h));
	while (*line) {
		const char *eol = strchr(line, '\n');
		unsigned long long f[8]; /* user nice system idle iowait irq
					  * softirq steal */
		int used = 0;

		if (!eol)
			eol = line + strlen(line);
		if (!strncmp(line, "cpu", 3) && line[3] >= '0' &&
		    line[3] <= '9' && sscanf(line, "cpu%u%n", &n, &used) == 1 &&
		    n < 64 && (cpus >> n & 1)) {
			if (sscanf(line + used,
				   "%llu %llu %llu %llu %llu %llu %llu %llu",
				   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5],
				   &f[6], &f[7]) != 8)
				return err_set(err, 0,
					       "malformed /proc/stat line "
					       "'%.*s'",
					       (int)(eol - line > 60 ?
							     60 :
							     eol - line),
					       line);
			h->idle_ticks += f[3] + f[4];
			h->steal_ticks += f[7];
			seen |= 1ULL << n;
		}
		line = *eol ? eol + 1 : eol;
	}
	if (seen != cpus) {
		for (n = 0; n < 64 && (seen >> n & 1 || !(cpus >> n & 1)); n++)
			;
		return err_set(err, 0, "/proc/stat has no line for CPU %u", n);
	}
	return 0;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void cpustat_delta(const struct cpustat *before, const struct cpustat *after,
		   struct cpustat *d)
{
	d->have = after->have;
	d->usage_ns = sub0(after->usage_ns, before->usage_ns);
	d->user_ns = sub0(after->user_ns, before->user_ns);
	d->system_ns = sub0(after->system_ns, before->system_ns);
	d->nice_ns = sub0(after->nice_ns, before->nice_ns);
	d->user_ticks = sub0(after->user_ticks, before->user_ticks);
	d->system_ticks = sub0(after->system_ticks, before->system_ticks);
	d->nr_periods = sub0(after->nr_periods, before->nr_periods);
	d->nr_throttled = sub0(after->nr_throttled, before->nr_throttled);
	d->throttled_ns = sub0(after->throttled_ns, before->throttled_ns);
	d->nr_bursts = sub0(after->nr_bursts, before->nr_bursts);
	d->burst_ns = sub0(after->burst_ns, before->burst_ns);
	d->wait_sum_ns = sub0(after->wait_sum_ns, before->wait_sum_ns);
	d->force_idle_ns = sub0(after->force_idle_ns, before->force_idle_ns);
	d->throttled_local_ns =
		sub0(after->throttled_local_ns, before->throttled_local_ns);
}

__extension__ typedef unsigned __int128 u128;

void cpustat_to_result(const struct cpustat *st, struct group_result *g)
{
	uint64_t ticks = st->user_ticks + st->system_ticks;

	g->usage_ns = st->usage_ns;
	if (st->have & CPUSTAT_USER_SYSTEM) {
		g->user_ns = st->user_ns;
		g->system_ns = st->system_ns;
	} else if ((st->have & CPUSTAT_TICKS) && st->system_ticks) {
		/* kernel: cputime_adjust, stime = rtime * stime / total */
		g->system_ns = (uint64_t)((u128)st->usage_ns *
					  st->system_ticks / ticks);
		g->user_ns = st->usage_ns - g->system_ns;
	} else {
		g->user_ns = st->usage_ns;
		g->system_ns = 0;
	}
	g->nr_periods = st->nr_periods;
	g->nr_throttled = st->nr_throttled;
	g->throttled_ns = st->throttled_ns;
	g->nr_bursts = st->nr_bursts;
	g->burst_ns = st->burst_ns;
	g->throttled_local_ns = st->throttled_local_ns;
}
