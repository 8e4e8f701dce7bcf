/* Groups in the YAML scenario format: names, cgroup knobs (shares or
 * weight, quota, period, burst, cpus, or k8s: resources) checked as the
 * kernel would, then their tasks and the groups below them
 * (scenarios/loader_internal.h). */
#include <string.h>

#include "base/cpulist.h"
#include "scenarios/loader_internal.h"

/* kernel: BW_SHIFT, to_ratio() in kernel/sched/core.c */
#define BW_SHIFT 20

/* Kubernetes CPU quantity: "500m" or CPUs "1.5" / 2, in millicores. */
static int get_milli(struct loader *ld, const char *name, const struct ynode *n,
		     uint64_t *out)
{
	uint64_t ip, fp, m;
	const char *end = NULL;
	bool overflow = false;
	unsigned fd;

	if (n->kind == Y_SCALAR)
		end = ld_parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end)
		goto bad;
	if (overflow)
		ip = UINT64_MAX / 1000;
	if (end[0] == 'm' && end[1] == '\0') {
		if (strchr(n->text, '.'))
			goto bad;
		m = ip;
	} else if (*end == '\0') {
		if (fd > 3 || ip > LOADER_MAX_MILLI)
			goto bad;
		m = ip * 1000 + fp * ld_pow10(3 - fd);
	} else {
		goto bad;
	}
	if (m > LOADER_MAX_MILLI)
		return ld_fail(ld, n, "'%s' must be at most 1000 CPUs", name);
	*out = m;
	return 0;
bad:
	return ld_fail(ld, n,
		       "'%s' must be millicores like '500m' or CPUs like '1.5'",
		       name);
}

/* kernel: to_ratio(period, runtime) */
static uint64_t bw_ratio(uint64_t period_ns, uint64_t quota_ns)
{
	return (quota_ns << BW_SHIFT) / period_ns;
}

/* cgroup v1 refuses a limit above the nearest limited ancestor's. */
static int check_hier_quota(struct loader *ld, size_t idx,
			    const struct ynode *where)
{
	const struct group_spec *g = &ld->sc->groups[idx];
	long p;

	if (!g->has_quota)
		return 0;
	for (p = g->parent; p >= 0; p = ld->sc->groups[p].parent) {
		const struct group_spec *a = &ld->sc->groups[p];

		if (!a->has_quota)
			continue;
		if (bw_ratio(g->period_ns, g->quota_ns) >
		    bw_ratio(a->period_ns, a->quota_ns))
			return ld_fail(
				ld, where,
				"'quota' per 'period' must not exceed the parent's (cgroup v1 refuses it)");
		break;
	}
	return 0;
}

enum {
	G_NAME,
	G_SHARES,
	G_WEIGHT,
	G_QUOTA,
	G_PERIOD,
	G_BURST,
	G_CPUS,
	G_TASKS,
	G_GROUPS,
	G_K8S,
	G_NKEYS
};
static int load_k8s(struct loader *ld, const struct field *f, size_t idx)
{
	static const char *const keys[] = {"request", "limit"};
	struct group_spec *g = &ld->sc->groups[idx];
	struct field k[2];
	size_t i;

	for (i = G_SHARES; i <= G_QUOTA; i++)
		if (f[i].key)
			return ld_fail(ld, ld_later(f[G_K8S].key, f[i].key),
				       "'k8s' cannot be combined with '%s'",
				       i == G_SHARES ? "shares" :
				       i == G_WEIGHT ? "weight" :
						       "quota");
	if (ld_get_fields(ld, f[G_K8S].val, "k8s", keys, 2, k))
		return -1;
	g->k8s.set = true;
	if (k[0].val && get_milli(ld, "request", k[0].val, &g->k8s.request_m))
		return -1;
	if (k[1].val && get_milli(ld, "limit", k[1].val, &g->k8s.limit_m))
		return -1;
	if (g->k8s.limit_m && k[0].val && g->k8s.request_m > g->k8s.limit_m)
		return ld_fail(ld, k[0].val,
			       "'request' must not exceed 'limit'");
	/* the API server defaults a missing request to the limit, and the
	 * pod spec then holds it */
	if (!k[0].val)
		g->k8s.request_m = g->k8s.limit_m;
	g->shares = k8s_milli_to_shares(g->k8s.request_m);
	if (g->k8s.limit_m) {
		g->has_quota = true;
		g->quota_ns =
			k8s_milli_to_quota_ns(g->k8s.limit_m, g->period_ns);
	}
	return 0;
}

static int load_group_knobs(struct loader *ld, const struct field *f,
			    size_t idx)
{
	struct group_spec *g = &ld->sc->groups[idx];
	uint64_t v = 0, mask = 0;
	bool outside;
	char buf[256];

	if (f[G_SHARES].key && f[G_WEIGHT].key)
		return ld_fail(ld, ld_later(f[G_SHARES].key, f[G_WEIGHT].key),
			       "'shares' and 'weight' cannot both be given");
	if (f[G_SHARES].val) {
		if (ld_get_u64(ld, "shares", f[G_SHARES].val, SHARES_MIN,
			       SHARES_MAX, &v))
			return -1;
		g->shares = (uint32_t)v;
	}
	if (f[G_WEIGHT].val) {
		if (ld_get_u64(ld, "weight", f[G_WEIGHT].val, WEIGHT_MIN,
			       WEIGHT_MAX, &v))
			return -1;
		g->weight = (uint32_t)v;
		g->shares = weight_to_shares(g->weight);
	}
	if (f[G_PERIOD].val &&
	    ld_get_duration(ld, "period", f[G_PERIOD].val, PERIOD_MIN_NS,
			    PERIOD_MAX_NS, true, &g->period_ns))
		return -1;
	if (f[G_QUOTA].val) {
		if (f[G_QUOTA].val->kind == Y_SCALAR &&
		    strcmp(f[G_QUOTA].val->text, "max") == 0) {
			g->has_quota = false;
		} else {
			if (ld_get_duration(ld, "quota", f[G_QUOTA].val,
					    QUOTA_MIN_NS, LOADER_MAX_QUOTA_NS,
					    true, &g->quota_ns))
				return -1;
			g->has_quota = true;
		}
	}
	if (f[G_K8S].val && load_k8s(ld, f, idx))
		return -1;
	if (f[G_BURST].val) {
		if (ld_get_duration(ld, "burst", f[G_BURST].val, 0,
				    LOADER_MAX_QUOTA_NS, true, &g->burst_ns))
			return -1;
		if (g->burst_ns && !g->has_quota)
			return ld_fail(ld, f[G_BURST].val,
				       "'burst' needs a 'quota'");
		if (g->burst_ns > g->quota_ns)
			return ld_fail(ld, f[G_BURST].val,
				       "'burst' must not exceed 'quota'");
		/* cpu.cfs_burst_us arrived in 5.14 */
		if (g->burst_ns &&
		    ld_need_kernel(ld, f[G_BURST].val, "burst", KERNEL_BURST))
			return -1;
	}
	if (check_hier_quota(ld, idx,
			     f[G_QUOTA].val ? f[G_QUOTA].val : f[G_K8S].val))
		return -1;
	if (f[G_CPUS].val) {
		const struct ynode *c = f[G_CPUS].val;
		uint64_t all =
			ld->sc->cpus >= 64 ? ~0ULL : (1ULL << ld->sc->cpus) - 1;

		if (c->kind != Y_SCALAR ||
		    !cpulist_parse(c->text, &mask, &outside))
			return ld_fail(
				ld, c,
				"'cpus' must be a list of CPUs like '0-1,3'");
		if (outside || (mask & ~all)) {
			cpulist_format(all, buf, sizeof(buf));
			return ld_fail(
				ld, c,
				"cpuset '%s' is outside the scenario's CPUs '%s'",
				c->text, buf);
		}
		if (mask & ~g->cpus_mask) {
			cpulist_format(g->cpus_mask, buf, sizeof(buf));
			return ld_fail(
				ld, c,
				"cpuset '%s' is outside the parent's CPUs '%s'",
				c->text, buf);
		}
		g->cpus_mask = mask;
		g->cpus_set = true;
	}
	return 0;
}

int ld_load_group(struct loader *ld, const struct ynode *n, long parent,
		  unsigned depth)
{
	static const char *const keys[G_NKEYS] = {
		"name",	 "shares", "weight", "quota",  "period",
		"burst", "cpus",   "tasks",  "groups", "k8s",
	};
	struct field f[G_NKEYS];
	const char *name;
	size_t i, idx;

	if (n->kind != Y_MAP)
		return ld_fail(ld, n, "a group must be a mapping");
	if (depth >= LOADER_MAX_GROUP_DEPTH)
		return ld_fail(ld, n, "groups nested deeper than %d levels",
			       LOADER_MAX_GROUP_DEPTH);
	if (ld_get_fields(ld, n, "group", keys, G_NKEYS, f))
		return -1;
	if (!f[G_NAME].val)
		return ld_fail(ld, n, "group needs a 'name'");
	if (ld_get_string(ld, "name", f[G_NAME].val, &name) ||
	    ld_check_name(ld, "group", f[G_NAME].val))
		return -1;
	if (scenario_cgroup_file_name(name))
		return ld_fail(ld, f[G_NAME].val,
			       "group name '%s' is the name of a cgroup "
			       "interface file",
			       name);
	if (ld->sc->ngroups >= LOADER_MAX_GROUPS)
		return ld_fail(ld, n, "more than %d groups in total",
			       LOADER_MAX_GROUPS);
	for (i = 0; i < ld->sc->ngroups; i++)
		if (ld->sc->groups[i].parent == parent &&
		    strcmp(ld->sc->groups[i].name, name) == 0)
			return ld_fail(ld, f[G_NAME].val,
				       "duplicate group name '%s'", name);
	idx = scenario_add_group(ld->sc, parent, name);
	ld->sc->groups[idx].line = n->line;
	ld->sc->groups[idx].col = n->col;
	if (load_group_knobs(ld, f, idx))
		return -1;
	if (f[G_TASKS].val) {
		if (f[G_TASKS].val->kind != Y_SEQ)
			return ld_fail(ld, f[G_TASKS].val,
				       "'tasks' must be a list");
		for (i = 0; i < f[G_TASKS].val->n; i++)
			if (ld_load_task(ld, f[G_TASKS].val->items[i], idx))
				return -1;
	}
	if (f[G_GROUPS].val) {
		if (f[G_GROUPS].val->kind != Y_SEQ)
			return ld_fail(ld, f[G_GROUPS].val,
				       "'groups' must be a list");
		for (i = 0; i < f[G_GROUPS].val->n; i++)
			if (ld_load_group(ld, f[G_GROUPS].val->items[i],
					  (long)idx, depth + 1))
				return -1;
	}
	return 0;
}
