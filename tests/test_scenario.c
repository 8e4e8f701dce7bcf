/* Tests of the YAML scenario loader: every key parsed to numbers worked
 * out by hand (kernel and kubelet formulas), the defaults, and one test per
 * error message with its exact text and position. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenarios/loader.h"
#include "base/xalloc.h"

#define MS  NSEC_PER_MSEC
#define US  NSEC_PER_USEC
#define SEC NSEC_PER_SEC

/* With CFSSIM_FUZZ_SEEDS set to a folder, every input the tests load is
 * also written there, numbered, as seeds for the loader's fuzz target
 * (`make fuzz`). */
static void save_seed(const char *yaml)
{
	static unsigned seq;
	const char *dir = getenv("CFSSIM_FUZZ_SEEDS");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/test-%04u.yaml", dir, seq++);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write fuzz seed %s", path);
	fputs(yaml, f);
	fclose(f);
}

static int load(const char *yaml, struct scenario *sc, struct err *err)
{
	save_seed(yaml);
	err_init(err);
	return scenario_load_string(yaml, strlen(yaml), "t.yaml", sc, err);
}

static void load_ok(const char *yaml, struct scenario *sc)
{
	struct err err;
	char buf[1024];

	if (load(yaml, sc, &err) != 0)
		fail_msg("unexpected error: %s",
			 err_str(&err, buf, sizeof(buf)));
}

/* Loads yaml, expects failure with exactly msg ("t.yaml:L:C: ...") and an
 * empty scenario. */
static void check_error(const char *yaml, const char *msg)
{
	struct scenario sc;
	struct err err;
	char buf[1024];

	memset(&sc, 0x5a, sizeof(sc));
	assert_int_equal(load(yaml, &sc, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)), msg);
	assert_null(sc.name);
	assert_null(sc.groups);
	assert_null(sc.tasks);
	assert_int_equal(sc.ngroups, 0);
	assert_int_equal(sc.ntasks, 0);
}

/* A scenario with one group g and one task t; G puts group keys on line 4
 * (column 5), T puts task keys on line 6 (column 9), S puts scenario keys
 * first, from line 1. */
#define G(keys) \
	"duration: 1s\ngroups:\n  - name: g\n" keys "    tasks: [{name: t}]\n"
#define T(keys)                                            \
	"duration: 1s\ngroups:\n  - name: g\n    tasks:\n" \
	"      - name: t\n" keys
#define S(keys) keys "groups: [{name: g, tasks: [{name: t}]}]\n"

#define ERR_TEST(fn, yaml, msg)         \
	static void fn(void **state)    \
	{                               \
		(void)state;            \
		check_error(yaml, msg); \
	}

/* ---- values ------------------------------------------------------------ */

static const char design_example[] =
	"# quota-throttling: an unlimited hog beside a hog capped at 30% of one CPU\n"
	"name: quota-throttling      # optional, defaults to the file name\n"
	"duration: 3s\n"
	"cpus: 1\n"
	"seed: 1\n"
	"groups:\n"
	"  - name: web\n"
	"    shares: 1024\n"
	"    tasks:\n"
	"      - name: hog\n"
	"        workload: hog\n"
	"  - name: batch\n"
	"    shares: 512\n"
	"    quota: 30ms\n"
	"    period: 100ms\n"
	"    burst: 0ms\n"
	"    cpus: \"0\"\n"
	"    tasks:\n"
	"      - name: worker\n"
	"        count: 2\n"
	"        nice: 0\n"
	"        workload: {run: 10ms, period: 25ms}\n"
	"      - name: steps\n"
	"        workload: {phases: [{run: 2ms}, {sleep: 8ms}], loop: 50}\n"
	"    groups: []\n"
	"  - name: pod\n"
	"    k8s: {request: 500m, limit: 1500m}\n";

static void test_design_example_loads_every_key(void **state)
{
	struct scenario sc;
	const struct group_spec *g;
	const struct task_spec *t;

	(void)state;
	load_ok(design_example, &sc);
	assert_string_equal(sc.name, "quota-throttling");
	assert_string_equal(sc.file, "t.yaml");
	assert_int_equal(sc.duration_ns, 3 * SEC);
	assert_int_equal(sc.cpus, 1);
	assert_int_equal(sc.seed, 1);
	assert_int_equal(sc.ngroups, 3);
	assert_int_equal(sc.ntasks, 3);

	g = &sc.groups[0];
	assert_string_equal(g->path, "web");
	assert_int_equal(g->parent, -1);
	assert_int_equal(g->shares, 1024);
	assert_int_equal(g->weight, 0);
	assert_false(g->has_quota);
	assert_int_equal(g->period_ns, 100 * MS);
	assert_int_equal(g->cpus_mask, 1);
	assert_false(g->cpus_set);
	assert_int_equal(g->line, 7);
	assert_int_equal(g->col, 5);

	g = &sc.groups[1];
	assert_string_equal(g->path, "batch");
	assert_int_equal(g->shares, 512);
	assert_true(g->has_quota);
	assert_int_equal(g->quota_ns, 30 * MS);
	assert_int_equal(g->period_ns, 100 * MS);
	assert_int_equal(g->burst_ns, 0);
	assert_int_equal(g->cpus_mask, 1);
	assert_true(g->cpus_set);

	/* kubelet: 500 * 1024 / 1000 = 512; 1500 * 100000 / 1000 = 150000 us */
	g = &sc.groups[2];
	assert_string_equal(g->path, "pod");
	assert_true(g->k8s.set);
	assert_int_equal(g->k8s.request_m, 500);
	assert_int_equal(g->k8s.limit_m, 1500);
	assert_int_equal(g->shares, 512);
	assert_true(g->has_quota);
	assert_int_equal(g->quota_ns, 150 * MS);
	assert_int_equal(g->period_ns, 100 * MS);

	t = &sc.tasks[0];
	assert_string_equal(t->name, "hog");
	assert_int_equal(t->group, 0);
	assert_int_equal(t->count, 1);
	assert_int_equal(t->wl.kind, WL_HOG);
	assert_int_equal(t->line, 10);
	assert_int_equal(t->col, 9);

	t = &sc.tasks[1];
	assert_string_equal(t->name, "worker");
	assert_int_equal(t->group, 1);
	assert_int_equal(t->count, 2);
	assert_int_equal(t->nice, 0);
	assert_int_equal(t->wl.kind, WL_PERIODIC);
	assert_int_equal(t->wl.run.min_ns, 10 * MS);
	assert_int_equal(t->wl.run.max_ns, 10 * MS);
	assert_int_equal(t->wl.period_ns, 25 * MS);
	assert_int_equal(t->wl.start_ns, 0);

	t = &sc.tasks[2];
	assert_string_equal(t->name, "steps");
	assert_int_equal(t->wl.kind, WL_PHASES);
	assert_int_equal(t->wl.nphases, 2);
	assert_int_equal(t->wl.phases[0].kind, PHASE_RUN);
	assert_int_equal(t->wl.phases[0].len.min_ns, 2 * MS);
	assert_int_equal(t->wl.phases[0].len.max_ns, 2 * MS);
	assert_int_equal(t->wl.phases[1].kind, PHASE_SLEEP);
	assert_int_equal(t->wl.phases[1].len.min_ns, 8 * MS);
	assert_int_equal(t->wl.loop, 50);
	scenario_destroy(&sc);
}

static void test_defaults(void **state)
{
	struct scenario sc, ref;
	const struct group_spec *g;
	const struct task_spec *t;

	(void)state;
	scenario_init(&ref, "ref");
	load_ok("duration: 500ms\ngroups:\n  - name: g\n    tasks:\n"
		"      - name: t\n",
		&sc);
	/* the policy default belongs to the model (the host's kernel) */
	assert_int_equal(sc.kernel.policy, ref.kernel.policy);
	scenario_destroy(&ref);
	assert_string_equal(sc.name, "t");
	assert_int_equal(sc.duration_ns, 500 * MS);
	assert_int_equal(sc.cpus, 1);
	assert_int_equal(sc.seed, 1);
	assert_int_equal(sc.kernel.hz, 250);
	assert_int_equal(sc.kernel.bandwidth_slice_ns, 5 * MS);
	assert_int_equal(sc.kernel.online_cpus, 0);
	assert_false(sc.kernel.policy_set);
	assert_string_equal(sc.kernel.version, "");
	assert_int_equal(sc.expect.usage.kind, TOL_DEFAULT);
	assert_int_equal(sc.expect.runtime.kind, TOL_DEFAULT);
	g = &sc.groups[0];
	assert_int_equal(g->shares, 1024);
	assert_int_equal(g->weight, 0);
	assert_false(g->has_quota);
	assert_int_equal(g->period_ns, 100 * MS);
	assert_int_equal(g->burst_ns, 0);
	assert_int_equal(g->cpus_mask, 1);
	assert_false(g->k8s.set);
	t = &sc.tasks[0];
	assert_int_equal(t->count, 1);
	assert_int_equal(t->nice, 0);
	assert_int_equal(t->wl.kind, WL_HOG);
	assert_int_equal(t->wl.start_ns, 0);
	scenario_destroy(&sc);
}

static void test_default_cpuset_is_every_scenario_cpu(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(S("duration: 1s\ncpus: 4\n"), &sc);
	assert_int_equal(sc.cpus, 4);
	assert_int_equal(sc.groups[0].cpus_mask, 0xf);
	scenario_destroy(&sc);
	load_ok(S("duration: 1s\ncpus: 64\n"), &sc);
	assert_int_equal(sc.groups[0].cpus_mask, UINT64_MAX);
	scenario_destroy(&sc);
}

static void test_default_name_from_file_name(void **state)
{
	static const struct {
		const char *file, *name;
	} cases[] = {
		{"dir/sub/my-case.yaml", "my-case"},
		{"x.yml", "x"},
		{"plain", "plain"},
		{"a b+c.yaml", "a_b_c"},
		{"/tmp/.hidden.yaml", "_hidden"},
		{".yaml", "_yaml"},
		{"dir/", "scenario"},
	};
	const char *yaml = S("duration: 1s\n");
	struct scenario sc;
	struct err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		save_seed(yaml);
		assert_int_equal(scenario_load_string(yaml, strlen(yaml),
						      cases[i].file, &sc, &err),
				 0);
		assert_string_equal(sc.name, cases[i].name);
		assert_string_equal(sc.file, cases[i].file);
		scenario_destroy(&sc);
	}
}

static void test_scenario_keys(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(S("name: my.case_1\nduration: 1.5s\ncpus: 2\n"
		  "seed: 18446744073709551615\n"
		  "kernel: {hz: 1000, bandwidth_slice: 1ms, online_cpus: 8,"
		  " policy: eevdf, version: \"6.18\", busy_host: true}\n"),
		&sc);
	assert_string_equal(sc.name, "my.case_1");
	assert_int_equal(sc.duration_ns, 1500 * MS);
	assert_int_equal(sc.cpus, 2);
	assert_int_equal(sc.seed, UINT64_MAX);
	assert_int_equal(sc.kernel.hz, 1000);
	assert_int_equal(sc.kernel.bandwidth_slice_ns, 1 * MS);
	assert_int_equal(sc.kernel.online_cpus, 8);
	assert_int_equal(sc.kernel.policy, POLICY_EEVDF);
	assert_true(sc.kernel.policy_set);
	assert_string_equal(sc.kernel.version, "6.18");
	assert_true(sc.kernel.busy_host);
	scenario_destroy(&sc);

	/* an unquoted 6.10 stays "6.10", not the float 6.1 */
	load_ok(S("duration: 1s\nkernel: {hz: 100, version: 6.10, policy: cfs,"
		  " bandwidth_slice: 1us}\n"),
		&sc);
	assert_string_equal(sc.kernel.version, "6.10");
	assert_int_equal(sc.kernel.hz, 100);
	assert_false(sc.kernel.busy_host);
	assert_int_equal(sc.kernel.policy, POLICY_CFS);
	assert_true(sc.kernel.policy_set);
	assert_int_equal(sc.kernel.bandwidth_slice_ns, 1 * US);
	scenario_destroy(&sc);
}

static void test_expect_tolerances(void **state)
{
	struct scenario sc;
	const struct expect_spec *e;

	(void)state;
	load_ok(S("duration: 1s\nexpect:\n  usage: 3%\n  nr_periods: 0\n"
		  "  nr_throttled: 1\n  throttled: 15%\n  nr_bursts: 1\n"
		  "  burst: 1ms\n  runtime: 2.5%\n  switches: 25%\n"
		  "  wait: 4ms\n"),
		&sc);
	e = &sc.expect;
	assert_int_equal(e->usage.kind, TOL_REL);
	assert_true(e->usage.rel == 0.03);
	assert_int_equal(e->nr_periods.kind, TOL_ABS);
	assert_int_equal(e->nr_periods.abs, 0);
	assert_int_equal(e->nr_throttled.kind, TOL_ABS);
	assert_int_equal(e->nr_throttled.abs, 1);
	assert_int_equal(e->throttled.kind, TOL_REL);
	assert_true(e->throttled.rel == 0.15);
	assert_int_equal(e->nr_bursts.kind, TOL_ABS);
	assert_int_equal(e->nr_bursts.abs, 1);
	assert_int_equal(e->burst.kind, TOL_ABS);
	assert_int_equal(e->burst.abs, 1 * MS);
	assert_int_equal(e->runtime.kind, TOL_REL);
	assert_true(e->runtime.rel == 0.025);
	assert_int_equal(e->switches.kind, TOL_REL);
	assert_true(e->switches.rel == 0.25);
	assert_int_equal(e->wait.kind, TOL_ABS);
	assert_int_equal(e->wait.abs, 4 * MS);
	scenario_destroy(&sc);

	load_ok(S("duration: 1s\nexpect: {usage: 250us, nr_throttled: 5%,"
		  " throttled: 25%, runtime: 0%}\n"),
		&sc);
	assert_int_equal(sc.expect.usage.kind, TOL_ABS);
	assert_int_equal(sc.expect.usage.abs, 250 * US);
	assert_int_equal(sc.expect.nr_throttled.kind, TOL_REL);
	assert_true(sc.expect.nr_throttled.rel == 0.05);
	assert_true(sc.expect.throttled.rel == 0.25);
	assert_true(sc.expect.runtime.rel == 0.0);
	scenario_destroy(&sc);
}

/* kernel: shares = round_closest(weight * 1024 / 100) */
static void test_weight_maps_to_shares(void **state)
{
	static const struct {
		const char *weight;
		uint32_t w, shares;
	} cases[] = {
		{"1", 1, 10}, /* 10.24 -> 10 */
		{"50", 50, 512},
		{"100", 100, 1024},
		{"150", 150, 1536},
		{"3", 3, 31}, /* 30.72 -> 31 */
		{"10000", 10000, 102400},
	};
	char yaml[256];
	struct scenario sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml), G("    weight: %s\n"),
			 cases[i].weight);
		load_ok(yaml, &sc);
		assert_int_equal(sc.groups[0].weight, cases[i].w);
		assert_int_equal(sc.groups[0].shares, cases[i].shares);
		scenario_destroy(&sc);
	}
}

static void test_shares_limits_accepted(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(G("    shares: 2\n"), &sc);
	assert_int_equal(sc.groups[0].shares, 2);
	scenario_destroy(&sc);
	load_ok(G("    shares: \"262144\"\n"), &sc);
	assert_int_equal(sc.groups[0].shares, 262144);
	scenario_destroy(&sc);
}

/* docs/scenario.md, k8s: request (m) -> shares = clamp(m * 1024 / 1000) */
static void test_k8s_request_maps_to_shares(void **state)
{
	static const struct {
		const char *request;
		uint64_t milli;
		uint32_t shares;
	} cases[] = {
		{"0", 0, 2},
		{"10m", 10, 10},
		{"100m", 100, 102},
		{"250m", 250, 256},
		{"500m", 500, 512},
		{"1000m", 1000, 1024},
		{"2", 2000, 2048},
		{"4", 4000, 4096},
		{"16", 16000, 16384},
		{"256", 256000, 262144},
		{"0.1", 100, 102},
		{"1.5", 1500, 1536},
		{"1m", 1, 2},		 /* 1.024 -> 1, raised to 2 */
		{"300", 300000, 262144}, /* clamped */
	};
	char yaml[256];
	struct scenario sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml), G("    k8s: {request: %s}\n"),
			 cases[i].request);
		load_ok(yaml, &sc);
		assert_true(sc.groups[0].k8s.set);
		assert_int_equal(sc.groups[0].k8s.request_m, cases[i].milli);
		assert_int_equal(sc.groups[0].shares, cases[i].shares);
		assert_false(sc.groups[0].has_quota);
		scenario_destroy(&sc);
	}
}

/* kubelet: quota_us = limit_m * period_us / 1000, at least 1000 us */
static void test_k8s_limit_maps_to_quota(void **state)
{
	static const struct {
		const char *k8s;
		uint64_t request_m, limit_m, quota_ns, period_ns;
		uint32_t shares;
	} cases[] = {
		{"{request: 500m, limit: 1500m}", 500, 1500, 150 * MS, 100 * MS,
		 512},
		{"{request: 250m, limit: 500m}", 250, 500, 50 * MS, 100 * MS,
		 256},
		{"{request: 1m, limit: 5m}", 1, 5, 1 * MS, 100 * MS, 2},
		{"{request: 1, limit: 4096m}", 1000, 4096, 409600 * US,
		 100 * MS, 1024},
		{"{request: 2, limit: 2}", 2000, 2000, 200 * MS, 100 * MS,
		 2048},
		/* no request: the API server defaults it to the limit */
		{"{limit: 1}", 1000, 1000, 100 * MS, 100 * MS, 1024},
		{"{request: 0, limit: 1}", 0, 1000, 100 * MS, 100 * MS, 2},
		{"{request: 100m, limit: 0}", 100, 0, 0, 100 * MS, 102},
		{"{}", 0, 0, 0, 100 * MS, 2}, /* BestEffort */
	};
	char yaml[256];
	struct scenario sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml), G("    k8s: %s\n"), cases[i].k8s);
		load_ok(yaml, &sc);
		assert_int_equal(sc.groups[0].k8s.request_m,
				 cases[i].request_m);
		assert_int_equal(sc.groups[0].k8s.limit_m, cases[i].limit_m);
		assert_int_equal(sc.groups[0].has_quota, cases[i].limit_m != 0);
		assert_int_equal(sc.groups[0].quota_ns, cases[i].quota_ns);
		assert_int_equal(sc.groups[0].period_ns, cases[i].period_ns);
		assert_int_equal(sc.groups[0].shares, cases[i].shares);
		scenario_destroy(&sc);
	}
}

/* a custom CFS period (kubelet cpuCFSQuotaPeriod): 500m of 50 ms = 25 ms */
static void test_k8s_limit_with_custom_period(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(G("    period: 50ms\n    k8s: {request: 500m, limit: 500m}\n"),
		&sc);
	assert_int_equal(sc.groups[0].period_ns, 50 * MS);
	assert_int_equal(sc.groups[0].quota_ns, 25 * MS);
	scenario_destroy(&sc);
}

static void test_quota_period_burst(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(G("    quota: 1ms\n    period: 1ms\n    burst: 1ms\n"), &sc);
	assert_true(sc.groups[0].has_quota);
	assert_int_equal(sc.groups[0].quota_ns, 1 * MS);
	assert_int_equal(sc.groups[0].period_ns, 1 * MS);
	assert_int_equal(sc.groups[0].burst_ns, 1 * MS);
	scenario_destroy(&sc);

	load_ok(G("    quota: 2.5s\n    period: 1s\n    burst: 500us\n"), &sc);
	assert_int_equal(sc.groups[0].quota_ns, 2500 * MS);
	assert_int_equal(sc.groups[0].period_ns, 1 * SEC);
	assert_int_equal(sc.groups[0].burst_ns, 500 * US);
	scenario_destroy(&sc);

	load_ok(G("    quota: max\n    burst: 0s\n"), &sc);
	assert_false(sc.groups[0].has_quota);
	assert_int_equal(sc.groups[0].burst_ns, 0);
	scenario_destroy(&sc);
}

static void test_nested_groups_paths(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok("duration: 1s\n"
		"groups:\n"
		"  - name: parent\n"
		"    quota: 50ms\n"
		"    groups:\n"
		"      - name: child\n"
		"        weight: 200\n"
		"        groups:\n"
		"          - name: leaf\n"
		"            tasks: [{name: t}]\n"
		"      - name: other\n"
		"        quota: 25ms\n"
		"        period: 50ms\n"
		"        tasks: [{name: t}]\n"
		"  - name: child\n"
		"    tasks: [{name: t}]\n",
		&sc);
	assert_int_equal(sc.ngroups, 5);
	assert_string_equal(sc.groups[0].path, "parent");
	assert_string_equal(sc.groups[1].path, "parent/child");
	assert_string_equal(sc.groups[2].path, "parent/child/leaf");
	assert_string_equal(sc.groups[3].path, "parent/other");
	assert_string_equal(sc.groups[4].path, "child");
	assert_int_equal(sc.groups[0].parent, -1);
	assert_int_equal(sc.groups[1].parent, 0);
	assert_int_equal(sc.groups[2].parent, 1);
	assert_int_equal(sc.groups[3].parent, 0);
	assert_int_equal(sc.groups[4].parent, -1);
	assert_int_equal(sc.groups[2].depth, 2);
	assert_int_equal(sc.groups[1].shares, 2048);
	assert_int_equal(sc.tasks[0].group, 2);
	assert_int_equal(sc.tasks[1].group, 3);
	assert_int_equal(sc.tasks[2].group, 4);
	assert_int_equal(scenario_find_group(&sc, "parent/child/leaf"), 2);
	scenario_destroy(&sc);
}

static void test_cpuset_masks(void **state)
{
	static const struct {
		const char *cpus;
		uint64_t mask;
	} cases[] = {
		{"\"0\"", 0x1}, {"0", 0x1},	    {"3", 0x8},
		{"0-1", 0x3},	{"\"0,2-3\"", 0xd}, {"1,1,0-1", 0x3},
		{"0-3", 0xf},
	};
	char yaml[256];
	struct scenario sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml),
			 "duration: 1s\ncpus: 4\ngroups:\n  - name: g\n"
			 "    cpus: %s\n    tasks: [{name: t}]\n",
			 cases[i].cpus);
		load_ok(yaml, &sc);
		assert_int_equal(sc.groups[0].cpus_mask, cases[i].mask);
		assert_true(sc.groups[0].cpus_set);
		scenario_destroy(&sc);
	}
}

static void test_cpuset_inherited_and_narrowed(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok("duration: 1s\ncpus: 64\ngroups:\n"
		"  - name: p\n    cpus: 2-63\n    groups:\n"
		"      - name: a\n        tasks: [{name: t}]\n"
		"      - name: b\n        cpus: 63\n        tasks: [{name: t}]\n",
		&sc);
	assert_int_equal(sc.groups[0].cpus_mask, UINT64_MAX - 3);
	assert_int_equal(sc.groups[1].cpus_mask, UINT64_MAX - 3);
	assert_false(sc.groups[1].cpus_set);
	assert_int_equal(sc.groups[2].cpus_mask, 1ULL << 63);
	scenario_destroy(&sc);
}

static void test_task_keys(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(T("        count: 4096\n        nice: -20\n"
		  "      - name: u\n        nice: 19\n"
		  "      - name: v\n        nice: +5\n"),
		&sc);
	assert_int_equal(sc.tasks[0].count, 4096);
	assert_int_equal(sc.tasks[0].nice, -20);
	assert_int_equal(sc.tasks[1].nice, 19);
	assert_int_equal(sc.tasks[2].nice, 5);
	assert_int_equal(sc.tasks[2].wl.kind, WL_HOG);
	scenario_destroy(&sc);
}

/* slice: a duration in the kernel's clamp range, 0 when not given */
static void test_task_slice(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok(T("        slice: 100us\n"
		  "      - name: u\n        slice: 100ms\n"
		  "      - name: v\n        slice: 1.5ms\n"
		  "      - name: w\n"),
		&sc);
	assert_int_equal(sc.tasks[0].slice_ns, 100000);
	assert_int_equal(sc.tasks[1].slice_ns, 100000000);
	assert_int_equal(sc.tasks[2].slice_ns, 1500000);
	assert_int_equal(sc.tasks[3].slice_ns, 0);
	scenario_destroy(&sc);
	/* 6.12 has custom slices; an unset version is the host's */
	load_ok("duration: 1s\nkernel: {version: \"6.12\"}\ngroups:\n"
		"  - name: g\n    tasks: [{name: t, slice: 2ms}]\n",
		&sc);
	assert_int_equal(sc.tasks[0].slice_ns, 2000000);
	scenario_destroy(&sc);
}

static void test_random_ranges(void **state)
{
	struct scenario sc;
	const struct workload *wl;

	(void)state;
	load_ok(T("        workload:\n"
		  "          run: {min: 1ms, max: 3ms}\n"
		  "          period: 10ms\n"
		  "          start: 250ms\n"
		  "      - name: u\n"
		  "        workload: {phases: [{run: {min: 0s, max: 1.5ms}},"
		  " {sleep: {max: 5ms, min: 5ms}}, {run: 3600s}]}\n"),
		&sc);
	wl = &sc.tasks[0].wl;
	assert_int_equal(wl->kind, WL_PERIODIC);
	assert_int_equal(wl->run.min_ns, 1 * MS);
	assert_int_equal(wl->run.max_ns, 3 * MS);
	assert_int_equal(wl->period_ns, 10 * MS);
	assert_int_equal(wl->start_ns, 250 * MS);
	wl = &sc.tasks[1].wl;
	assert_int_equal(wl->kind, WL_PHASES);
	assert_int_equal(wl->loop, 0);
	assert_int_equal(wl->nphases, 3);
	assert_int_equal(wl->phases[0].len.min_ns, 0);
	assert_int_equal(wl->phases[0].len.max_ns, 1500 * US);
	assert_int_equal(wl->phases[1].kind, PHASE_SLEEP);
	assert_int_equal(wl->phases[1].len.min_ns, 5 * MS);
	assert_int_equal(wl->phases[1].len.max_ns, 5 * MS);
	assert_int_equal(wl->phases[2].len.min_ns, 3600 * SEC);
	scenario_destroy(&sc);
}

static void test_workload_forms(void **state)
{
	struct scenario sc;

	(void)state;
	/* run longer than the period is legal: the task falls behind */
	load_ok(T("        workload: {run: 30ms, period: 20ms}\n"
		  "      - name: late\n        workload: {start: 1s}\n"
		  "      - name: once\n"
		  "        workload: {phases: [{sleep: 0s}], loop: 1}\n"),
		&sc);
	assert_int_equal(sc.tasks[0].wl.kind, WL_PERIODIC);
	assert_int_equal(sc.tasks[0].wl.run.min_ns, 30 * MS);
	assert_int_equal(sc.tasks[1].wl.kind, WL_HOG);
	assert_int_equal(sc.tasks[1].wl.start_ns, 1 * SEC);
	assert_int_equal(sc.tasks[2].wl.kind, WL_PHASES);
	assert_int_equal(sc.tasks[2].wl.loop, 1);
	scenario_destroy(&sc);
}

static void test_burst_allowed_from_5_14(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok("duration: 1s\nkernel: {version: \"5.14\"}\ngroups:\n"
		"  - name: g\n    quota: 10ms\n    burst: 5ms\n"
		"    tasks: [{name: t}]\n",
		&sc);
	assert_int_equal(sc.groups[0].burst_ns, 5 * MS);
	scenario_destroy(&sc);
	/* burst 0 is what older kernels have anyway */
	load_ok("duration: 1s\nkernel: {version: \"4.19\"}\ngroups:\n"
		"  - name: g\n    quota: 10ms\n    burst: 0s\n"
		"    tasks: [{name: t}]\n",
		&sc);
	scenario_destroy(&sc);
}

static void test_child_quota_within_parent(void **state)
{
	struct scenario sc;

	(void)state;
	/* 25ms/50ms equals the parent's 50ms/100ms; a limit two levels up
	 * applies through an unlimited middle group */
	load_ok("duration: 1s\ngroups:\n"
		"  - name: p\n    quota: 50ms\n    groups:\n"
		"      - name: c\n        quota: 25ms\n        period: 50ms\n"
		"        tasks: [{name: t}]\n"
		"      - name: m\n        groups:\n"
		"          - name: d\n            quota: 50ms\n"
		"            tasks: [{name: t}]\n",
		&sc);
	assert_int_equal(sc.ngroups, 4);
	scenario_destroy(&sc);
}

static void test_names_may_repeat_in_other_groups(void **state)
{
	struct scenario sc;

	(void)state;
	load_ok("duration: 1s\ngroups:\n"
		"  - name: a\n    tasks: [{name: t}]\n"
		"    groups: [{name: a, tasks: [{name: t}]}]\n"
		"  - name: b\n    tasks: [{name: t}]\n",
		&sc);
	assert_string_equal(sc.groups[1].path, "a/a");
	assert_int_equal(sc.ntasks, 3);
	scenario_destroy(&sc);
}

static void test_group_nesting_sixteen_levels_accepted(void **state)
{
	char yaml[4096];
	struct scenario sc;
	size_t off;
	int i;

	(void)state;
	off = (size_t)snprintf(yaml, sizeof(yaml), "duration: 1s\ngroups: ");
	for (i = 0; i < 16; i++)
		off += (size_t)snprintf(
			yaml + off, sizeof(yaml) - off,
			"[{name: g%d, tasks: [{name: t}], groups: ", i);
	off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "[]");
	for (i = 0; i < 16; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "}]");
	snprintf(yaml + off, sizeof(yaml) - off, "\n");
	load_ok(yaml, &sc);
	assert_int_equal(sc.ngroups, 16);
	assert_int_equal(sc.groups[15].depth, 15);
	scenario_destroy(&sc);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/cfssim-test-XXXXXX.yaml";
	struct scenario sc;
	struct err err;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(strchr(design_example, '\n') + 1, f); /* no comment line */
	fclose(f);
	err_init(&err);
	assert_int_equal(scenario_load_file(path, &sc, &err), 0);
	assert_string_equal(sc.file, path);
	assert_string_equal(sc.name, "quota-throttling");
	assert_int_equal(sc.ngroups, 3);
	scenario_destroy(&sc);
	unlink(path);
}

static void test_file_name_becomes_default_name(void **state)
{
	char dir[] = "/tmp/cfssim-test-XXXXXX";
	char path[64];
	struct scenario sc;
	struct err err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/busy-box.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(S("duration: 1s\n"), f);
	fclose(f);
	assert_int_equal(scenario_load_file(path, &sc, &err), 0);
	assert_string_equal(sc.name, "busy-box");
	scenario_destroy(&sc);
	unlink(path);
	rmdir(dir);
}

/* Every prefix of a valid file either loads or fails cleanly. */
static void test_truncated_input_never_crashes(void **state)
{
	size_t len = strlen(design_example), i;
	struct scenario sc;
	struct err err;

	(void)state;
	for (i = 0; i <= len; i++) {
		if (scenario_load_string(design_example, i, "t.yaml", &sc,
					 &err) == 0) {
			scenario_destroy(&sc);
			continue;
		}
		assert_true(err.line >= 1);
		assert_null(sc.groups);
	}
}

/* ---- durations ---------------------------------------------------------- */

static void test_parse_duration_values(void **state)
{
	static const struct {
		const char *s;
		uint64_t ns;
	} cases[] = {
		{"10ns", 10},
		{"250us", 250 * US},
		{"30ms", 30 * MS},
		{"2s", 2 * SEC},
		{"1.5ms", 1500 * US},
		{"1.25s", 1250 * MS},
		{"0.000000001s", 1},
		{"0.0010us", 1},
		{"0s", 0},
		{"007ms", 7 * MS},
		{"18446744073709551615ns", UINT64_MAX},
		{"18446744073.709551615s", UINT64_MAX},
	};
	struct err err;
	uint64_t ns;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns = 12345;
		assert_int_equal(scenario_parse_duration(cases[i].s, &ns, &err),
				 0);
		assert_int_equal(ns, cases[i].ns);
	}
}

static void check_duration_error(const char *s, const char *msg)
{
	struct err err;
	uint64_t ns;

	err_init(&err);
	assert_int_equal(scenario_parse_duration(s, &ns, &err), -1);
	assert_string_equal(err.msg, msg);
	assert_int_equal(err.code, 0);
}

static void test_parse_duration_errors(void **state)
{
	(void)state;
	check_duration_error("30",
			     "duration '30' needs a unit (ns, us, ms, s)");
	check_duration_error("1.5",
			     "duration '1.5' needs a unit (ns, us, ms, s)");
	check_duration_error(
		"30min",
		"duration '30min' has an unknown unit (ns, us, ms, s)");
	check_duration_error(
		"30 ms",
		"duration '30 ms' has an unknown unit (ns, us, ms, s)");
	check_duration_error("", "'' is not a duration");
	check_duration_error("-5ms", "'-5ms' is not a duration");
	check_duration_error(".5ms", "'.5ms' is not a duration");
	check_duration_error("5.ms", "'5.ms' is not a duration");
	check_duration_error("1.5ns", "duration '1.5ns' is finer than 1ns");
	check_duration_error("0.0000000001s",
			     "duration '0.0000000001s' is finer than 1ns");
	check_duration_error(
		"1.0000000000000000000001s",
		"duration '1.0000000000000000000001s' is finer than 1ns");
	check_duration_error("18446744073709551616ns",
			     "duration '18446744073709551616ns' is too large");
	check_duration_error("18446744074s",
			     "duration '18446744074s' is too large");
	check_duration_error(
		"99999999999999999999999s",
		"duration '99999999999999999999999s' is too large");
}

/* ---- errors: the file and the YAML layer --------------------------------- */

static void test_error_cannot_open(void **state)
{
	struct scenario sc;
	struct err err;
	char buf[512];

	(void)state;
	assert_int_equal(scenario_load_file("/nonexistent/x.yaml", &sc, &err),
			 -1);
	assert_string_equal(
		err_str(&err, buf, sizeof(buf)),
		"cannot open '/nonexistent/x.yaml': No such file or directory");
	assert_int_equal(err.code, ENOENT);
	assert_null(sc.name);
}

static void test_error_cannot_read(void **state)
{
	struct scenario sc;
	struct err err;
	char buf[512];

	(void)state;
	assert_int_equal(scenario_load_file("/tmp", &sc, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "cannot read '/tmp': Is a directory");
	assert_null(sc.name);
}

static void test_error_file_too_large(void **state)
{
	size_t len = 1024 * 1024 + 1;
	char *big = xmalloc(len);
	char path[] = "/tmp/cfssim-test-XXXXXX";
	struct scenario sc;
	struct err err;
	char buf[512];
	FILE *f;
	int fd;

	(void)state;
	memset(big, ' ', len);
	memcpy(big, S("duration: 1s\n"), strlen(S("duration: 1s\n")));
	assert_int_equal(scenario_load_string(big, len, "t.yaml", &sc, &err),
			 -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "t.yaml:1:1: scenario is larger than 1 MiB");
	assert_null(sc.name);
	/* exactly 1 MiB is fine */
	assert_int_equal(
		scenario_load_string(big, len - 1, "t.yaml", &sc, &err), 0);
	scenario_destroy(&sc);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(fwrite(big, 1, len, f), len);
	fclose(f);
	assert_int_equal(scenario_load_file(path, &sc, &err), -1);
	snprintf(big, len, "%s:1:1: scenario is larger than 1 MiB", path);
	assert_string_equal(err_str(&err, buf, sizeof(buf)), big);
	unlink(path);
	free(big);
}

static void test_error_yaml_nested_too_deep(void **state)
{
	char yaml[256];
	int i;

	(void)state;
	/* the map is level 1, so the 64th '[' (column 3 + 64) is level 65 */
	strcpy(yaml, "x: ");
	for (i = 0; i < 70; i++)
		strcat(yaml, "[");
	for (i = 0; i < 70; i++)
		strcat(yaml, "]");
	check_error(yaml, "t.yaml:1:67: yaml nested deeper than 64 levels");
}

static void test_error_groups_nested_too_deep(void **state)
{
	char yaml[4096], msg[64];
	size_t off, col = 0;
	int i;

	(void)state;
	off = (size_t)snprintf(yaml, sizeof(yaml), "duration: 1s\ngroups: ");
	for (i = 0; i < 17; i++) {
		/* the 17th group's '{' follows its '[' */
		if (i == 16)
			col = off - strlen("duration: 1s\n") + 2;
		off += (size_t)snprintf(
			yaml + off, sizeof(yaml) - off,
			"[{name: g%d, tasks: [{name: t}], groups: ", i);
	}
	off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "[]");
	for (i = 0; i < 17; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "}]");
	snprintf(msg, sizeof(msg),
		 "t.yaml:2:%zu: groups nested deeper than 16 levels", col);
	check_error(yaml, msg);
}

static void test_error_too_many_tasks(void **state)
{
	char yaml[4096], msg[64];
	size_t off;
	int i;

	(void)state;
	/* 24 * 4096 = 98304 threads; the 25th task (line 27) crosses 100000 */
	off = (size_t)snprintf(
		yaml, sizeof(yaml),
		"duration: 1s\ngroups:\n  - name: g\n    tasks:\n");
	for (i = 0; i < 25; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
					"      - {name: t%d, count: 4096}\n",
					i);
	snprintf(msg, sizeof(msg),
		 "t.yaml:%d:%d: more than 100000 tasks in total", 4 + 25,
		 (int)strlen("      - {name: t24, count: ") + 1);
	check_error(yaml, msg);
}

/* One group past 4096: flow groups on line 2, "[" at column 9, each
 * "{name: gNNNN}" entry 13 + digits long with ", " between. */
static void test_error_too_many_groups(void **state)
{
	size_t cap = 4097 * 24 + 64, off;
	char *yaml = xmalloc(cap), msg[64];
	size_t col = 0;
	int i;

	(void)state;
	off = (size_t)snprintf(yaml, cap,
			       "duration: 1s\ngroups: [{name: t0, tasks: "
			       "[{name: t}]}");
	for (i = 1; i < 4097; i++) {
		/* the 4097th group's '{' comes after ", " */
		if (i == 4096)
			col = off - strlen("duration: 1s\n") + 3;
		off += (size_t)snprintf(yaml + off, cap - off, ", {name: g%d}",
					i);
	}
	snprintf(yaml + off, cap - off, "]\n");
	snprintf(msg, sizeof(msg),
		 "t.yaml:2:%zu: more than 4096 groups in total", col);
	check_error(yaml, msg);
	free(yaml);
}

/* Names of files the kernel puts in every cgroup directory (v1 and v2)
 * cannot be group names; the name sits at line 3, column 11. */
static void test_error_cgroup_file_names(void **state)
{
	static const char *const names[] = {
		"cgroup.procs",		  "cpu.max",	   "tasks",
		"notify_on_release",	  "release_agent", "cpuset.cpus",
		"cpuacct.usage",	  "memory.max",	   "pids.max",
		"cgroup.subtree_control", "io.weight"};
	char yaml[256], msg[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(yaml, sizeof(yaml),
			 "duration: 1s\ngroups:\n  - name: %s\n"
			 "    tasks: [{name: t}]\n",
			 names[i]);
		snprintf(msg, sizeof(msg),
			 "t.yaml:3:11: group name '%s' is the name of a "
			 "cgroup interface file",
			 names[i]);
		check_error(yaml, msg);
	}
}

/* Names that only look alike stay allowed. */
static void test_cgroup_like_names_allowed(void **state)
{
	static const char *const names[] = {"cpu",	"cgroup",     "tasks2",
					    "cpus.max", "my.cpu.max", "io"};
	char yaml[256];
	struct scenario sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(yaml, sizeof(yaml),
			 "duration: 1s\ngroups:\n  - name: %s\n"
			 "    tasks: [{name: t}]\n",
			 names[i]);
		load_ok(yaml, &sc);
		assert_string_equal(sc.groups[0].name, names[i]);
		scenario_destroy(&sc);
	}
}

ERR_TEST(
	test_error_invalid_yaml, "duration: 1s\ncpus: a: b\n",
	"t.yaml:2:8: invalid yaml: mapping values are not allowed in this context")
ERR_TEST(
	test_error_invalid_yaml_with_context, "duration: 1s\ncpus: [1, 2\n",
	"t.yaml:3:1: invalid yaml: did not find expected ',' or ']' while parsing a flow sequence")
ERR_TEST(test_error_invalid_utf8, "duration: 1s\n\xff: 1\n",
	 "t.yaml:2:1: invalid yaml: invalid leading UTF-8 octet")
ERR_TEST(test_error_second_document, S("duration: 1s\n") "---\nduration: 2s\n",
	 "t.yaml:3:1: a scenario file must hold a single document")
ERR_TEST(test_error_anchor, S("duration: &d 1s\n"),
	 "t.yaml:1:11: anchors are not supported")
ERR_TEST(test_error_anchor_on_mapping,
	 S("duration: 1s\nkernel: &k {hz: 250}\n"),
	 "t.yaml:2:9: anchors are not supported")
ERR_TEST(test_error_alias, S("duration: 1s\ncpus: *c\n"),
	 "t.yaml:2:7: aliases are not supported")
ERR_TEST(test_error_tag, S("duration: !!str 1s\n"),
	 "t.yaml:1:11: tags are not supported")
ERR_TEST(test_error_nul_in_string, S("duration: \"1s\\0\"\n"),
	 "t.yaml:1:11: strings must not hold NUL characters")
ERR_TEST(test_error_empty, "", "t.yaml:1:1: scenario is empty")
ERR_TEST(test_error_only_comments, "# nothing\n\n",
	 "t.yaml:1:1: scenario is empty")
ERR_TEST(test_error_not_a_mapping, "- duration: 1s\n",
	 "t.yaml:1:1: a scenario must be a mapping")
ERR_TEST(test_error_key_not_string, S("duration: 1s\n? [a]\n: 1\n"),
	 "t.yaml:2:3: keys in scenario must be strings")
ERR_TEST(test_error_duplicate_key, G("    quota: 30ms\n    quota: 40ms\n"),
	 "t.yaml:5:5: duplicate key 'quota' in group")
ERR_TEST(test_error_duplicate_top_key, S("duration: 1s\nduration: 2s\n"),
	 "t.yaml:2:1: duplicate key 'duration' in scenario")
ERR_TEST(test_error_no_value, S("duration:\n"),
	 "t.yaml:1:1: 'duration' has no value")

/* ---- errors: unknown keys ---------------------------------------------- */

ERR_TEST(test_error_unknown_key_scenario, S("duration: 1s\nnmae: x\n"),
	 "t.yaml:2:1: unknown key 'nmae' in scenario")
ERR_TEST(test_error_unknown_key_group, G("    quotaa: 30ms\n"),
	 "t.yaml:4:5: unknown key 'quotaa' in group")
ERR_TEST(test_error_unknown_key_task, T("        nicee: 1\n"),
	 "t.yaml:6:9: unknown key 'nicee' in task")
ERR_TEST(test_error_unknown_key_kernel,
	 S("duration: 1s\nkernel: {hz: 250, tick: 4ms}\n"),
	 "t.yaml:2:19: unknown key 'tick' in kernel")
ERR_TEST(test_error_unknown_key_expect,
	 S("duration: 1s\nexpect: {usage: 5%, p99: 1%}\n"),
	 "t.yaml:2:21: unknown key 'p99' in expect")
ERR_TEST(test_error_unknown_key_workload,
	 T("        workload: {run: 1ms, period: 2ms, every: 3ms}\n"),
	 "t.yaml:6:43: unknown key 'every' in workload")
ERR_TEST(test_error_unknown_key_k8s, G("    k8s: {request: 1, lim: 2}\n"),
	 "t.yaml:4:23: unknown key 'lim' in k8s")
ERR_TEST(test_error_unknown_key_phase,
	 T("        workload: {phases: [{run: 1ms}, {nap: 1ms}]}\n"),
	 "t.yaml:6:42: unknown key 'nap' in phase")
ERR_TEST(test_error_unknown_key_range,
	 T("        workload: {run: {min: 1ms, mx: 2ms}, period: 5ms}\n"),
	 "t.yaml:6:36: unknown key 'mx' in range")

/* ---- errors: types ------------------------------------------------------ */

ERR_TEST(test_error_kernel_not_mapping, S("duration: 1s\nkernel: 250\n"),
	 "t.yaml:2:9: 'kernel' must be a mapping")
ERR_TEST(test_error_expect_not_mapping, S("duration: 1s\nexpect: 5%\n"),
	 "t.yaml:2:9: 'expect' must be a mapping")
ERR_TEST(test_error_k8s_not_mapping, G("    k8s: 500m\n"),
	 "t.yaml:4:10: 'k8s' must be a mapping")
ERR_TEST(test_error_groups_not_list, "duration: 1s\ngroups: g\n",
	 "t.yaml:2:9: 'groups' must be a list")
ERR_TEST(test_error_child_groups_not_list, G("    groups: {name: c}\n"),
	 "t.yaml:4:13: 'groups' must be a list")
ERR_TEST(test_error_tasks_not_list,
	 "duration: 1s\ngroups:\n  - name: g\n    tasks: t\n",
	 "t.yaml:4:12: 'tasks' must be a list")
ERR_TEST(test_error_group_not_mapping, "duration: 1s\ngroups: [g]\n",
	 "t.yaml:2:10: a group must be a mapping")
ERR_TEST(test_error_task_not_mapping,
	 "duration: 1s\ngroups: [{name: g, tasks: [t]}]\n",
	 "t.yaml:2:28: a task must be a mapping")
ERR_TEST(test_error_name_not_string,
	 "duration: 1s\ngroups:\n  - name: [a]\n    tasks: [{name: t}]\n",
	 "t.yaml:3:11: 'name' must be a string")
ERR_TEST(test_error_not_integer, G("    shares: 1.5\n"),
	 "t.yaml:4:13: 'shares' must be an integer")
ERR_TEST(test_error_hex_not_integer, G("    shares: 0x400\n"),
	 "t.yaml:4:13: 'shares' must be an integer")
ERR_TEST(test_error_nice_not_integer, T("        nice: low\n"),
	 "t.yaml:6:15: 'nice' must be an integer")
ERR_TEST(test_error_seed_negative, S("duration: 1s\nseed: -1\n"),
	 "t.yaml:2:7: 'seed' must be an integer")
ERR_TEST(test_error_quota_not_duration, G("    quota: [1ms]\n"),
	 "t.yaml:4:12: 'quota' must be a duration")

/* ---- errors: durations in context ---------------------------------------- */

ERR_TEST(test_error_duration_needs_unit, G("    quota: 30\n"),
	 "t.yaml:4:12: duration '30' needs a unit (ns, us, ms, s)")
ERR_TEST(test_error_duration_unknown_unit, S("duration: 30min\n"),
	 "t.yaml:1:11: duration '30min' has an unknown unit (ns, us, ms, s)")
ERR_TEST(test_error_duration_garbage, S("duration: fast\n"),
	 "t.yaml:1:11: 'fast' is not a duration")
ERR_TEST(test_error_duration_finer_than_ns, S("duration: 1.5ns\n"),
	 "t.yaml:1:11: duration '1.5ns' is finer than 1ns")
ERR_TEST(test_error_duration_too_large, S("duration: 99999999999s\n"),
	 "t.yaml:1:11: duration '99999999999s' is too large")
ERR_TEST(test_error_duration_required, S("cpus: 1\n"),
	 "t.yaml:1:1: 'duration' is required")
ERR_TEST(test_error_duration_zero, S("duration: 0s\n"),
	 "t.yaml:1:11: 'duration' must be between 1ns and 1h")
ERR_TEST(test_error_duration_over_an_hour, S("duration: 3601s\n"),
	 "t.yaml:1:11: 'duration' must be between 1ns and 1h")

/* ---- errors: ranges ------------------------------------------------------ */

ERR_TEST(test_error_cpus_range, S("duration: 1s\ncpus: 65\n"),
	 "t.yaml:2:7: 'cpus' must be between 1 and 64")
ERR_TEST(test_error_seed_range, S("duration: 1s\nseed: 18446744073709551616\n"),
	 "t.yaml:2:7: 'seed' must be between 0 and 18446744073709551615")
ERR_TEST(test_error_shares_low, G("    shares: 1\n"),
	 "t.yaml:4:13: 'shares' must be between 2 and 262144")
ERR_TEST(test_error_shares_high, G("    shares: 262145\n"),
	 "t.yaml:4:13: 'shares' must be between 2 and 262144")
ERR_TEST(test_error_weight_range, G("    weight: 0\n"),
	 "t.yaml:4:13: 'weight' must be between 1 and 10000")
ERR_TEST(test_error_weight_high, G("    weight: 10001\n"),
	 "t.yaml:4:13: 'weight' must be between 1 and 10000")
ERR_TEST(test_error_quota_below_1ms, G("    quota: 500us\n"),
	 "t.yaml:4:12: 'quota' must be between 1ms and 1000s")
ERR_TEST(test_error_period_range, G("    period: 2s\n"),
	 "t.yaml:4:13: 'period' must be between 1ms and 1s")
ERR_TEST(test_error_period_short, G("    period: 999us\n"),
	 "t.yaml:4:13: 'period' must be between 1ms and 1s")
ERR_TEST(test_error_quota_whole_us, G("    quota: 1.0005ms\n"),
	 "t.yaml:4:12: 'quota' must be a whole number of microseconds")
ERR_TEST(test_error_count_range, T("        count: 0\n"),
	 "t.yaml:6:16: 'count' must be between 1 and 4096")
ERR_TEST(test_error_count_high, T("        count: 4097\n"),
	 "t.yaml:6:16: 'count' must be between 1 and 4096")
ERR_TEST(test_error_nice_range, T("        nice: 20\n"),
	 "t.yaml:6:15: 'nice' must be between -20 and 19")
ERR_TEST(test_error_nice_low, T("        nice: -21\n"),
	 "t.yaml:6:15: 'nice' must be between -20 and 19")
ERR_TEST(test_error_slice_short, T("        slice: 99us\n"),
	 "t.yaml:6:16: 'slice' must be between 100us and 100ms")
ERR_TEST(test_error_slice_long, T("        slice: 101ms\n"),
	 "t.yaml:6:16: 'slice' must be between 100us and 100ms")
ERR_TEST(test_error_slice_bare, T("        slice: 500\n"),
	 "t.yaml:6:16: duration '500' needs a unit (ns, us, ms, s)")
ERR_TEST(test_error_slice_before_6_12,
	 "duration: 1s\nkernel: {version: \"6.11\"}\ngroups:\n"
	 "  - name: g\n    tasks: [{name: t, slice: 1ms}]\n",
	 "t.yaml:5:30: 'slice' needs kernel 6.12 or later (version '6.11')")
ERR_TEST(test_error_slice_cfs,
	 "duration: 1s\nkernel: {policy: cfs}\ngroups:\n"
	 "  - name: g\n    tasks: [{name: t, slice: 1ms}]\n",
	 "t.yaml:5:30: 'slice' needs the eevdf policy")

/* ---- errors: group knobs ------------------------------------------------- */

ERR_TEST(test_error_shares_and_weight, G("    shares: 512\n    weight: 50\n"),
	 "t.yaml:5:5: 'shares' and 'weight' cannot both be given")
ERR_TEST(test_error_weight_and_shares, G("    weight: 50\n    shares: 512\n"),
	 "t.yaml:5:5: 'shares' and 'weight' cannot both be given")
ERR_TEST(test_error_burst_needs_quota, G("    burst: 5ms\n"),
	 "t.yaml:4:12: 'burst' needs a 'quota'")
ERR_TEST(test_error_burst_over_quota, G("    quota: 10ms\n    burst: 20ms\n"),
	 "t.yaml:5:12: 'burst' must not exceed 'quota'")
ERR_TEST(test_error_burst_before_5_14,
	 "duration: 1s\nkernel: {version: \"5.13\"}\ngroups:\n  - name: g\n"
	 "    quota: 10ms\n    burst: 5ms\n    tasks: [{name: t}]\n",
	 "t.yaml:6:12: 'burst' needs kernel 5.14 or later (version '5.13')")
ERR_TEST(
	test_error_child_quota_over_parent,
	"duration: 1s\ngroups:\n  - name: p\n    quota: 50ms\n    groups:\n"
	"      - name: c\n        quota: 60ms\n        tasks: [{name: t}]\n",
	"t.yaml:7:16: 'quota' per 'period' must not exceed the parent's (cgroup v1 refuses it)")
ERR_TEST(
	test_error_child_ratio_over_grandparent,
	"duration: 1s\ngroups:\n  - name: p\n    quota: 50ms\n    groups:\n"
	"      - name: m\n        groups:\n          - name: c\n"
	"            quota: 30ms\n            period: 50ms\n"
	"            tasks: [{name: t}]\n",
	"t.yaml:9:20: 'quota' per 'period' must not exceed the parent's (cgroup v1 refuses it)")
ERR_TEST(test_error_cpuset_syntax, G("    cpus: 0-\n"),
	 "t.yaml:4:11: 'cpus' must be a list of CPUs like '0-1,3'")
ERR_TEST(test_error_cpuset_reversed, G("    cpus: 1-0\n"),
	 "t.yaml:4:11: 'cpus' must be a list of CPUs like '0-1,3'")
ERR_TEST(test_error_cpuset_outside_scenario,
	 "duration: 1s\ncpus: 2\ngroups:\n  - name: g\n    cpus: 0-2\n"
	 "    tasks: [{name: t}]\n",
	 "t.yaml:5:11: cpuset '0-2' is outside the scenario's CPUs '0-1'")
ERR_TEST(test_error_cpuset_beyond_64, G("    cpus: 64\n"),
	 "t.yaml:4:11: cpuset '64' is outside the scenario's CPUs '0'")
ERR_TEST(test_error_cpuset_outside_parent,
	 "duration: 1s\ncpus: 4\ngroups:\n  - name: p\n    cpus: 0,2-3\n"
	 "    groups:\n      - name: c\n        cpus: 1\n"
	 "        tasks: [{name: t}]\n",
	 "t.yaml:8:15: cpuset '1' is outside the parent's CPUs '0,2-3'")

/* ---- errors: k8s ------------------------------------------------------- */

ERR_TEST(test_error_k8s_with_shares,
	 G("    shares: 100\n    k8s: {request: 1}\n"),
	 "t.yaml:5:5: 'k8s' cannot be combined with 'shares'")
ERR_TEST(test_error_k8s_with_weight,
	 G("    k8s: {request: 1}\n    weight: 5\n"),
	 "t.yaml:5:5: 'k8s' cannot be combined with 'weight'")
ERR_TEST(test_error_k8s_with_quota, G("    k8s: {limit: 1}\n    quota: 10ms\n"),
	 "t.yaml:5:5: 'k8s' cannot be combined with 'quota'")
ERR_TEST(
	test_error_k8s_millicores_syntax, G("    k8s: {request: 1.5m}\n"),
	"t.yaml:4:20: 'request' must be millicores like '500m' or CPUs like '1.5'")
ERR_TEST(
	test_error_k8s_below_millicore, G("    k8s: {limit: 0.0005}\n"),
	"t.yaml:4:18: 'limit' must be millicores like '500m' or CPUs like '1.5'")
ERR_TEST(test_error_k8s_too_many_cpus, G("    k8s: {limit: 1001}\n"),
	 "t.yaml:4:18: 'limit' must be at most 1000 CPUs")
ERR_TEST(test_error_k8s_request_over_limit,
	 G("    k8s: {request: 2, limit: 1}\n"),
	 "t.yaml:4:20: 'request' must not exceed 'limit'")

/* ---- errors: names ------------------------------------------------------- */

ERR_TEST(test_error_group_needs_name,
	 "duration: 1s\ngroups:\n  - shares: 10\n    tasks: [{name: t}]\n",
	 "t.yaml:3:5: group needs a 'name'")
ERR_TEST(test_error_task_needs_name,
	 "duration: 1s\ngroups:\n  - name: g\n    tasks:\n      - nice: 1\n",
	 "t.yaml:5:9: task needs a 'name'")
ERR_TEST(test_error_duplicate_group,
	 "duration: 1s\ngroups:\n  - name: g\n    tasks: [{name: t}]\n"
	 "  - name: g\n    tasks: [{name: t}]\n",
	 "t.yaml:5:11: duplicate group name 'g'")
ERR_TEST(test_error_duplicate_task, T("      - name: t\n"),
	 "t.yaml:6:15: duplicate task name 't' in group 'g'")
ERR_TEST(test_error_duplicate_task_nested,
	 "duration: 1s\ngroups:\n  - name: p\n    groups:\n      - name: c\n"
	 "        tasks: [{name: t}, {name: t}]\n",
	 "t.yaml:6:35: duplicate task name 't' in group 'p/c'")
ERR_TEST(test_error_group_name_empty,
	 "duration: 1s\ngroups:\n  - name: \"\"\n    tasks: [{name: t}]\n",
	 "t.yaml:3:11: group name must not be empty")
ERR_TEST(test_error_group_name_too_long,
	 "duration: 1s\ngroups:\n  - name: "
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	 "    tasks: [{name: t}]\n",
	 "t.yaml:3:11: group name "
	 "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"
	 " is longer than 64 characters")
ERR_TEST(
	test_error_group_name_slash,
	"duration: 1s\ngroups:\n  - name: a/b\n    tasks: [{name: t}]\n",
	"t.yaml:3:11: group name 'a/b' may only hold letters, digits, '_', '.' and '-'")
ERR_TEST(test_error_group_name_dotdot,
	 "duration: 1s\ngroups:\n  - name: ..\n    tasks: [{name: t}]\n",
	 "t.yaml:3:11: group name '..' must not start with '.'")
ERR_TEST(
	test_error_task_name_space,
	"duration: 1s\ngroups: [{name: g, tasks: [{name: 'a b'}]}]\n",
	"t.yaml:2:35: task name 'a b' may only hold letters, digits, '_', '.' and '-'")
ERR_TEST(
	test_error_scenario_name, S("name: x/y\nduration: 1s\n"),
	"t.yaml:1:7: scenario name 'x/y' may only hold letters, digits, '_', '.' and '-'")
ERR_TEST(test_error_no_tasks, "duration: 1s\ngroups: [{name: g}]\n",
	 "t.yaml:1:1: scenario has no tasks")
ERR_TEST(test_error_no_groups, "duration: 1s\n",
	 "t.yaml:1:1: scenario has no tasks")

/* ---- errors: request workloads ----------------------------------------- */

ERR_TEST(
	test_error_requests_rate_zero,
	T("        workload:\n          requests: {rate: 0/s, service: 2ms}\n"),
	"t.yaml:7:28: 'rate' must be positive")
ERR_TEST(
	test_error_requests_rate_negative,
	T("        workload:\n          requests: {rate: -5/s, service: 2ms}\n"),
	"t.yaml:7:28: 'rate' must be a rate like '200/s'")
ERR_TEST(
	test_error_requests_rate_no_unit,
	T("        workload:\n          requests: {rate: 200, service: 2ms}\n"),
	"t.yaml:7:28: rate '200' needs a unit (/s or /ms)")
ERR_TEST(
	test_error_requests_rate_bad_unit,
	T("        workload:\n          requests: {rate: 200/h, service: 2ms}\n"),
	"t.yaml:7:28: rate '200/h' has an unknown unit (/s or /ms)")
ERR_TEST(test_error_requests_service_too_long,
	 T("        workload:\n          requests: {rate: 2/s, service: 2s}\n"),
	 "t.yaml:7:42: 'service' must be shorter than the duration")
ERR_TEST(test_error_requests_service_no_unit,
	 T("        workload:\n          requests: {rate: 2/s, service: 2}\n"),
	 "t.yaml:7:42: duration '2' needs a unit (ns, us, ms, s)")
ERR_TEST(
	test_error_requests_batch_no_size,
	T("        workload:\n          requests: {arrival: batch, batch: {every: 40ms}, service: 2ms}\n"),
	"t.yaml:7:45: 'batch' needs 'size'")
ERR_TEST(
	test_error_requests_batch_no_batch,
	T("        workload:\n          requests: {arrival: batch, service: 2ms}\n"),
	"t.yaml:7:31: arrival 'batch' needs 'batch'")
ERR_TEST(
	test_error_requests_batch_without_arrival,
	T("        workload:\n          requests: {rate: 2/s, batch: {size: 2}, service: 2ms}\n"),
	"t.yaml:7:33: 'batch' needs 'arrival: batch'")
ERR_TEST(
	test_error_requests_batch_rate_disagrees,
	T("        workload:\n          requests: {rate: 2/s, arrival: batch, batch: {size: 20, every: 40ms}, service: 2ms}\n"),
	"t.yaml:7:28: 'rate' disagrees with 'batch' (20 every 40ms)")
ERR_TEST(test_error_requests_no_rate,
	 T("        workload:\n          requests: {service: 2ms}\n"),
	 "t.yaml:7:21: 'requests' needs 'rate'")
ERR_TEST(test_error_requests_no_service,
	 T("        workload:\n          requests: {rate: 2/s}\n"),
	 "t.yaml:7:21: 'requests' needs 'service'")
ERR_TEST(
	test_error_requests_unknown_arrival,
	T("        workload:\n          requests: {rate: 2/s, arrival: burst, service: 2ms}\n"),
	"t.yaml:7:42: unknown arrival 'burst' (poisson, uniform or batch)")
ERR_TEST(
	test_error_requests_unknown_dist,
	T("        workload:\n          requests: {rate: 2/s, service: {dist: pareto, mean: 2ms}}\n"),
	"t.yaml:7:49: unknown dist 'pareto' (const, exp or lognormal)")
ERR_TEST(
	test_error_requests_lognormal_no_sd,
	T("        workload:\n          requests: {rate: 2/s, service: {dist: lognormal, mean: 2ms}}\n"),
	"t.yaml:7:42: dist 'lognormal' needs 'sd'")
ERR_TEST(
	test_error_requests_sd_with_exp,
	T("        workload:\n          requests: {rate: 2/s, service: {dist: exp, mean: 2ms, sd: 1ms}}\n"),
	"t.yaml:7:65: 'sd' needs 'dist: lognormal'")
ERR_TEST(test_error_requests_with_run,
	 T("        workload:\n          run: 1ms\n"
	   "          requests: {rate: 2/s, service: 2ms}\n"),
	 "t.yaml:7:11: 'run' cannot be combined with 'requests'")
/* 1000000/s over 20 s: 2 * 10^7 arrivals */
ERR_TEST(test_error_requests_too_many,
	 "duration: 20s\ngroups:\n  - name: g\n    tasks:\n"
	 "      - name: t\n        workload:\n"
	 "          requests: {rate: 1000000/s, service: 1us}\n",
	 "t.yaml:7:28: 'requests' would arrive more than 10000000 times")

/* rate 0.5/s is 500 per 1000 s; a batch's rate comes from size / every */
static void test_requests_values(void **state)
{
	struct scenario sc;
	struct err err;
	const char *y = T(
		"        count: 4\n        workload:\n"
		"          requests: {rate: 0.5/s, arrival: uniform,\n"
		"            service: {dist: lognormal, mean: 2ms, sd: 1ms}}\n"
		"      - name: b\n        workload:\n"
		"          requests: {arrival: batch, batch: {size: 20, every: 40ms},\n"
		"            service: 300us}\n");

	(void)state;
	err_init(&err);
	assert_int_equal(
		scenario_load_string(y, strlen(y), "t.yaml", &sc, &err), 0);
	assert_int_equal(sc.tasks[0].count, 4);
	assert_int_equal(sc.tasks[0].wl.kind, WL_REQUESTS);
	assert_int_equal(sc.tasks[0].wl.req.rate_milli, 500);
	assert_int_equal(sc.tasks[0].wl.req.arrival, ARRIVAL_UNIFORM);
	assert_int_equal(sc.tasks[0].wl.req.dist, DIST_LOGNORMAL);
	assert_int_equal(sc.tasks[0].wl.req.service_mean_ns, 2 * NSEC_PER_MSEC);
	assert_int_equal(sc.tasks[0].wl.req.service_sd_ns, NSEC_PER_MSEC);
	assert_int_equal(sc.tasks[1].wl.req.arrival, ARRIVAL_BATCH);
	assert_int_equal(sc.tasks[1].wl.req.batch_size, 20);
	assert_int_equal(sc.tasks[1].wl.req.batch_every_ns, 40 * NSEC_PER_MSEC);
	/* 20 per 40 ms = 500/s */
	assert_int_equal(sc.tasks[1].wl.req.rate_milli, 500 * 1000);
	assert_int_equal(sc.tasks[1].wl.req.dist, DIST_CONST);
	assert_int_equal(sc.tasks[1].wl.req.service_mean_ns,
			 300 * NSEC_PER_USEC);
	scenario_destroy(&sc);
}

/* ---- errors: workloads --------------------------------------------------- */

ERR_TEST(
	test_error_unknown_workload, T("        workload: spin\n"),
	"t.yaml:6:19: unknown workload 'spin' (hog, {run, period}, {phases} or {requests})")
ERR_TEST(test_error_workload_list, T("        workload: [hog]\n"),
	 "t.yaml:6:19: 'workload' must be 'hog' or a mapping")
ERR_TEST(test_error_run_with_phases,
	 T("        workload: {phases: [{run: 1ms}], run: 1ms}\n"),
	 "t.yaml:6:42: 'run' cannot be combined with 'phases'")
ERR_TEST(test_error_period_with_phases,
	 T("        workload: {period: 1ms, phases: [{run: 1ms}]}\n"),
	 "t.yaml:6:20: 'period' cannot be combined with 'phases'")
ERR_TEST(test_error_phases_not_list, T("        workload: {phases: 1ms}\n"),
	 "t.yaml:6:28: 'phases' must be a list")
ERR_TEST(test_error_phases_empty, T("        workload: {phases: []}\n"),
	 "t.yaml:6:28: 'phases' must not be empty")
ERR_TEST(test_error_phase_not_mapping, T("        workload: {phases: [run]}\n"),
	 "t.yaml:6:29: a phase must be a mapping like {run: 2ms}")
ERR_TEST(test_error_phase_two_keys,
	 T("        workload: {phases: [{run: 1ms, sleep: 1ms}]}\n"),
	 "t.yaml:6:29: a phase must have exactly one key, 'run' or 'sleep'")
ERR_TEST(test_error_phase_no_key, T("        workload: {phases: [{}]}\n"),
	 "t.yaml:6:29: a phase must have exactly one key, 'run' or 'sleep'")
ERR_TEST(
	test_error_phases_forever_empty,
	T("        workload: {phases: [{run: 0ms}, {sleep: {min: 0s, max: 1ms}}]}\n"),
	"t.yaml:6:28: phases repeated forever must take at least 1us per loop")
ERR_TEST(test_error_loop_needs_phases,
	 T("        workload: {run: 1ms, period: 2ms, loop: 3}\n"),
	 "t.yaml:6:43: 'loop' needs 'phases'")
ERR_TEST(test_error_loop_range,
	 T("        workload: {phases: [{run: 1ms}], loop: 1000000001}\n"),
	 "t.yaml:6:48: 'loop' must be between 0 and 1000000000")
ERR_TEST(test_error_periodic_needs_run, T("        workload: {period: 2ms}\n"),
	 "t.yaml:6:19: periodic workload needs 'run'")
ERR_TEST(test_error_periodic_needs_period, T("        workload: {run: 1ms}\n"),
	 "t.yaml:6:19: periodic workload needs 'period'")
ERR_TEST(test_error_periodic_run_zero,
	 T("        workload: {run: 0ms, period: 25ms}\n"),
	 "t.yaml:6:25: 'run' of a periodic workload must be more than 0")
ERR_TEST(test_error_periodic_run_range_zero,
	 T("        workload: {run: {min: 0s, max: 0ns}, period: 25ms}\n"),
	 "t.yaml:6:25: 'run' of a periodic workload must be more than 0")

/* A run longer than its period is valid (an overload) and warned about at
 * the run's position; a run equal to its period, or a range that only
 * starts below it, is not. */
static void test_periodic_run_longer_than_period_warns(void **state)
{
	static const struct {
		const char *wl, *warning;
	} cases[] = {
		{"{run: 30ms, period: 25ms}",
		 "t.yaml:6:25: 'run' 30ms is longer than 'period' 25ms: the "
		 "thread falls behind its activations"},
		{"{run: {min: 1ms, max: 1500us}, period: 1ms}",
		 "t.yaml:6:25: 'run' 1ms..1500us is longer than 'period' 1ms: "
		 "the thread falls behind its activations"},
		{"{run: 25ms, period: 25ms}", NULL},
		{"{run: {min: 0s, max: 25ms}, period: 25ms}", NULL},
	};
	char yaml[256], buf[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scenario sc;

		snprintf(yaml, sizeof(yaml), T("        workload: %s\n"),
			 cases[i].wl);
		load_ok(yaml, &sc);
		if (!cases[i].warning) {
			assert_int_equal(sc.nwarnings, 0);
		} else {
			assert_int_equal(sc.nwarnings, 1);
			assert_string_equal(
				err_str(&sc.warnings[0], buf, sizeof(buf)),
				cases[i].warning);
		}
		scenario_destroy(&sc);
	}
}

ERR_TEST(test_error_workload_period_zero,
	 T("        workload: {run: 1ms, period: 0ns}\n"),
	 "t.yaml:6:38: 'period' must be between 1us and 1h")
ERR_TEST(test_error_run_over_an_hour,
	 T("        workload: {run: 3601s, period: 2ms}\n"),
	 "t.yaml:6:25: 'run' must be between 0s and 1h")
ERR_TEST(test_error_start_over_an_hour, T("        workload: {start: 3601s}\n"),
	 "t.yaml:6:27: 'start' must be between 0s and 1h")
ERR_TEST(test_error_len_not_duration,
	 T("        workload: {run: [1ms], period: 2ms}\n"),
	 "t.yaml:6:25: 'run' must be a duration or {min, max}")
ERR_TEST(test_error_range_needs_min_max,
	 T("        workload: {run: {min: 1ms}, period: 2ms}\n"),
	 "t.yaml:6:25: 'run' needs 'min' and 'max'")
ERR_TEST(test_error_range_min_over_max,
	 T("        workload: {run: {min: 3ms, max: 2ms}, period: 5ms}\n"),
	 "t.yaml:6:41: 'min' must not exceed 'max'")

/* ---- errors: kernel and expect ------------------------------------------- */

ERR_TEST(test_error_hz, S("duration: 1s\nkernel: {hz: 200}\n"),
	 "t.yaml:2:14: 'hz' must be 100, 250, 300 or 1000")
ERR_TEST(test_error_bandwidth_slice,
	 S("duration: 1s\nkernel: {bandwidth_slice: 2s}\n"),
	 "t.yaml:2:27: 'bandwidth_slice' must be between 1us and 1s")
ERR_TEST(test_error_online_cpus_range,
	 S("duration: 1s\nkernel: {online_cpus: 5000}\n"),
	 "t.yaml:2:23: 'online_cpus' must be between 1 and 4096")
ERR_TEST(test_error_busy_host_not_bool,
	 S("duration: 1s\nkernel: {busy_host: yes}\n"),
	 "t.yaml:2:21: 'busy_host' must be true or false")
ERR_TEST(test_error_online_cpus_below_cpus,
	 S("duration: 1s\ncpus: 2\nkernel: {online_cpus: 1}\n"),
	 "t.yaml:3:23: 'online_cpus' must not be less than 'cpus'")
ERR_TEST(test_error_policy, S("duration: 1s\nkernel: {policy: bfs}\n"),
	 "t.yaml:2:18: 'policy' must be 'cfs' or 'eevdf'")
ERR_TEST(test_error_version, S("duration: 1s\nkernel: {version: six}\n"),
	 "t.yaml:2:19: 'version' must look like '6.18'")
ERR_TEST(test_error_expect_percentage,
	 S("duration: 1s\nexpect: {usage: 1.%}\n"),
	 "t.yaml:2:17: 'usage' must be a percentage like '5%'")
ERR_TEST(test_error_expect_percentage_high,
	 S("duration: 1s\nexpect: {usage: 1001%}\n"),
	 "t.yaml:2:17: 'usage' must be at most 1000%")
ERR_TEST(
	test_error_expect_count,
	S("duration: 1s\nexpect: {nr_throttled: 1ms}\n"),
	"t.yaml:2:24: 'nr_throttled' must be a count like '2' or a percentage like '5%'")
ERR_TEST(
	test_error_expect_time_type,
	S("duration: 1s\nexpect: {throttled: [1]}\n"),
	"t.yaml:2:21: 'throttled' must be a duration like '10ms' or a percentage like '5%'")
ERR_TEST(test_error_expect_time_unit,
	 S("duration: 1s\nexpect: {throttled: 15}\n"),
	 "t.yaml:2:21: duration '15' needs a unit (ns, us, ms, s)")

/* ---- errors: the ceilings and not_modelled ----------------------------- */

/* compare/compare.c: throttled 25 %, counters 10 % or 1, times one tick */
ERR_TEST(test_error_expect_above_ceiling,
	 S("duration: 1s\nexpect: {throttled: 100%}\n"),
	 "t.yaml:2:21: 'throttled' may be at most 25%, the ceiling of every "
	 "scenario")
ERR_TEST(test_error_expect_count_above_ceiling,
	 S("duration: 1s\nexpect: {usage: 5%, nr_throttled: 4}\n"),
	 "t.yaml:2:35: 'nr_throttled' may be at most 1, the ceiling of every "
	 "scenario")
ERR_TEST(test_error_expect_time_above_ceiling,
	 S("duration: 1s\nexpect: {throttled: 800ms}\n"),
	 "t.yaml:2:21: 'throttled' may be at most 4ms, the ceiling of every "
	 "scenario")
/* a tick at HZ 100 is 10 ms */
ERR_TEST(test_error_expect_time_above_ceiling_hz,
	 S("duration: 1s\nkernel: {hz: 100}\nexpect: {usage: 11ms}\n"),
	 "t.yaml:3:17: 'usage' may be at most 10ms, the ceiling of every "
	 "scenario")
ERR_TEST(test_error_not_modelled_unknown,
	 S("duration: 1s\nnot_modelled: {latency: x}\n"),
	 "t.yaml:2:16: unknown key 'latency' in not_modelled")
ERR_TEST(test_error_not_modelled_no_reason,
	 S("duration: 1s\nnot_modelled: {wait: ''}\n"),
	 "t.yaml:2:22: 'wait' needs the reason it is not modelled")
ERR_TEST(test_error_not_modelled_list,
	 S("duration: 1s\nnot_modelled: [wait]\n"),
	 "t.yaml:2:15: 'not_modelled' must be a mapping")

/* the long form: a reason limited to some groups, which must exist */
ERR_TEST(test_error_not_modelled_no_such_group,
	 S("duration: 1s\nnot_modelled: {usage: {reason: r, groups: [h]}}\n"),
	 "t.yaml:2:44: 'usage' names no group 'h' (a path such as "
	 "'parent/child')")
ERR_TEST(test_error_not_modelled_scoped_no_reason,
	 S("duration: 1s\nnot_modelled: {usage: {groups: [g]}}\n"),
	 "t.yaml:2:23: 'usage' needs the reason it is not modelled")
ERR_TEST(test_error_not_modelled_groups_not_list,
	 S("duration: 1s\nnot_modelled: {usage: {reason: r, groups: g}}\n"),
	 "t.yaml:2:43: 'groups' of 'usage' must be a list of group paths")

static void test_ceilings_and_not_modelled_load(void **state)
{
	struct scenario sc;

	(void)state;
	/* exactly at the ceilings: 5 %, 1, one tick at HZ 100 */
	load_ok(S("duration: 1s\nkernel: {hz: 100}\nexpect: {usage: 5%, "
		  "nr_periods: 1, runtime: 10ms}\nnot_modelled:\n"
		  "  wait: host threads preempt it\n"
		  "  throttled_local: not shown by this kernel\n"),
		&sc);
	assert_true(sc.expect.usage.rel == 0.05);
	assert_int_equal(sc.expect.runtime.abs, 10 * MS);
	assert_string_equal(sc.expect.not_modelled[FIG_WAIT],
			    "host threads preempt it");
	assert_string_equal(sc.expect.not_modelled[FIG_THROTTLED_LOCAL],
			    "not shown by this kernel");
	assert_null(sc.expect.not_modelled[FIG_USAGE]);
	assert_int_equal(sc.expect.not_modelled_ngroups[FIG_WAIT], 0);
	scenario_destroy(&sc);
	/* limited to a nested group by its path */
	load_ok("duration: 1s\nnot_modelled:\n"
		"  usage: {reason: balancer, groups: [a/b, c]}\n"
		"groups:\n  - name: a\n    groups: [{name: b, tasks: "
		"[{name: t}]}]\n  - name: c\n    tasks: [{name: t}]\n",
		&sc);
	assert_string_equal(sc.expect.not_modelled[FIG_USAGE], "balancer");
	assert_int_equal(sc.expect.not_modelled_ngroups[FIG_USAGE], 2);
	assert_string_equal(sc.expect.not_modelled_groups[FIG_USAGE][0], "a/b");
	assert_string_equal(sc.expect.not_modelled_groups[FIG_USAGE][1], "c");
	scenario_destroy(&sc);
}

/* ---- the shipped examples ------------------------------------------------ */

#define EXAMPLES "scenarios/examples"

/* Every example loads and opens with a comment; at least 10 of them run on
 * 2 CPUs and declare tolerances. */
static void test_examples_load(void **state)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	(void)state;
	d = opendir(EXAMPLES);
	if (!d)
		skip(); /* run from the source tree (make test) */
	while ((de = readdir(d))) {
		char path[512], first[4] = "";
		struct scenario sc;
		struct err err;
		char buf[1024];
		size_t len = strlen(de->d_name);
		FILE *f;

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), EXAMPLES "/%s", de->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(first, sizeof(first), f));
		fclose(f);
		if (first[0] != '#')
			fail_msg("%s does not open with a comment", path);
		err_init(&err);
		if (scenario_load_file(path, &sc, &err))
			fail_msg("%s", err_str(&err, buf, sizeof(buf)));
		assert_true(sc.duration_ns >= 1 * SEC);
		assert_true(sc.duration_ns <= 5 * SEC);
		/* what this 2-CPU machine can run for real declares how
		 * closely simulation and kernel must agree, or why they
		 * do not */
		if (sc.cpus <= 2) {
			assert_true(sc.expect.usage.kind != TOL_DEFAULT ||
				    sc.expect.not_modelled[FIG_USAGE]);
			assert_true(sc.expect.runtime.kind != TOL_DEFAULT ||
				    sc.expect.not_modelled[FIG_RUNTIME]);
			n++;
		}
		scenario_destroy(&sc);
	}
	closedir(d);
	assert_true(n >= 10);
}

/* make run's default scenario is the README tour's example. */
static void test_example_quota_throttling_is_design_example(void **state)
{
	struct scenario sc, ref;
	struct err err;
	size_t i;

	(void)state;
	err_init(&err);
	if (scenario_load_file(EXAMPLES "/quota-throttling.yaml", &sc, &err))
		skip();
	load_ok(design_example, &ref);
	assert_string_equal(sc.name, ref.name);
	assert_int_equal(sc.duration_ns, 3 * SEC);
	assert_int_equal(sc.ngroups, ref.ngroups);
	assert_int_equal(sc.ntasks, ref.ntasks);
	for (i = 0; i < sc.ngroups; i++) {
		assert_string_equal(sc.groups[i].path, ref.groups[i].path);
		assert_int_equal(sc.groups[i].shares, ref.groups[i].shares);
		assert_int_equal(sc.groups[i].quota_ns, ref.groups[i].quota_ns);
		assert_int_equal(sc.groups[i].cpus_mask,
				 ref.groups[i].cpus_mask);
	}
	for (i = 0; i < sc.ntasks; i++) {
		assert_string_equal(sc.tasks[i].name, ref.tasks[i].name);
		assert_int_equal(sc.tasks[i].count, ref.tasks[i].count);
		assert_int_equal(sc.tasks[i].wl.kind, ref.tasks[i].wl.kind);
	}
	scenario_destroy(&sc);
	scenario_destroy(&ref);
}

/* ---- cfssim check ------------------------------------------------------- */

static char *slurp(int fd)
{
	char *buf = xcalloc(1, 65536);
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, 65535);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

/* Runs cmd_check on yaml (written to a temp file whose path lands in
 * path) and returns its status, stdout and stderr. */
static int run_check(const char *yaml, bool json, char *path, char **out,
		     char **errout)
{
	struct cli_opts o;
	int fd, ofd, efd, saved_out, saved_err, rc;

	strcpy(path, "/tmp/cfssim-check-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	memset(&o, 0, sizeof(o));
	o.command = "check";
	o.file = path;
	o.json = json;
	o.cgroup_version = 2;
	o.repeat = 1;
	ofd = fileno(tmpfile());
	efd = fileno(tmpfile());
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(ofd, 1);
	dup2(efd, 2);
	rc = cmd_check(&o);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	*out = slurp(ofd);
	*errout = slurp(efd);
	unlink(path);
	return rc;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

static void test_check_text_design_example(void **state)
{
	char path[64], *out, *err;

	(void)state;
	assert_int_equal(run_check(design_example, false, path, &out, &err),
			 EXIT_OK);
	assert_string_equal(err, "");
	assert_contains(out, "scenario quota-throttling (");
	assert_contains(out, "  duration 3s, seed 1\n"
			     "  cpus: 1 (CPUs the scenario owns: 0)\n");
	assert_contains(out,
			"  kernel: 6.18 (default), eevdf (from the version),"
			" hz 250 (tick 4ms), online cpus 1\n");
	/* 1 CPU: factor 1 + ilog2(1) = 1, base slice 0.7 ms; balance
	 * ceil(16 ms / 4 ms) - 1 = 3 jiffies busy, 1 jiffy idle */
	assert_contains(out,
			"  tunables: factor 1, base slice 700us, bandwidth"
			" slice 5ms, balance every 12ms busy / 4ms idle\n");
	assert_contains(out, "  expect: defaults\n");
	assert_contains(out, "  3 groups, 3 tasks, 4 threads\n");
	/* web: defaults as the kernel shows them */
	assert_contains(out, "  web\n    shares 1024\n"
			     "    no quota (bandwidth period 100ms, unused)\n"
			     "    v1: cpu.shares 1024, cpu.cfs_quota_us -1,"
			     " cpu.cfs_period_us 100000, cpu.cfs_burst_us 0\n"
			     "    v2: cpu.weight 100, cpu.max \"max 100000\","
			     " cpu.max.burst 0\n    cpuset: 0 (inherited)\n"
			     "    task hog: 1 thread, nice 0 (weight 1024),"
			     " hog (always runnable)\n");
	/* batch: 512 shares read back as weight round(512*100/1024) = 50 */
	assert_contains(out,
			"    quota 30ms per period 100ms (bandwidth), burst 0\n"
			"    v1: cpu.shares 512, cpu.cfs_quota_us 30000,"
			" cpu.cfs_period_us 100000, cpu.cfs_burst_us 0\n"
			"    v2: cpu.weight 50, cpu.max \"30000 100000\","
			" cpu.max.burst 0\n    cpuset: 0\n");
	assert_contains(out,
			"    task worker: 2 threads, nice 0 (weight 1024),"
			" periodic: run 10ms every 25ms (activation period)\n");
	assert_contains(out, "    task steps: 1 thread, nice 0 (weight 1024),"
			     " phases: run 2ms, sleep 8ms; 50 loops\n");
	/* pod: kubelet 500m -> 512 shares, 1500m -> 150000 us */
	assert_contains(
		out,
		"  pod\n    k8s request 500m, limit 1500m\n"
		"    shares 512\n    quota 150ms per period 100ms"
		" (bandwidth), burst 0\n    v1: cpu.shares 512, cpu.cfs_quota_us 150000,");
	assert_contains(out, "cpu.max \"150000 100000\"");
	free(out);
	free(err);
}

static void test_check_text_weights_nice_and_more(void **state)
{
	char path[64], *out, *err;

	(void)state;
	assert_int_equal(
		run_check(
			"duration: 1500ms\ncpus: 4\nseed: 7\n"
			"kernel: {hz: 300, bandwidth_slice: 2500us, policy: eevdf,"
			" version: \"6.18\", busy_host: true}\n"
			"expect: {usage: 5%, nr_throttled: 1, throttled: 1.5ms}\n"
			"groups:\n"
			"  - name: p\n    weight: 1\n    cpus: 0,2-3\n"
			"    quota: 1.5ms\n    period: 10ms\n    burst: 500us\n"
			"    groups:\n"
			"      - name: c\n        weight: 50\n"
			"        tasks:\n"
			"          - {name: a, nice: 5}\n"
			"          - {name: b, nice: -5, count: 3}\n"
			"          - {name: c, nice: 19, workload: {run: {min: 1ms,"
			" max: 3ms}, period: 20ms, start: 250ms}}\n"
			"          - {name: d, nice: -20, workload: {phases:"
			" [{run: 1ms}, {sleep: {min: 0s, max: 2ms}}]}}\n",
			false, path, &out, &err),
		EXIT_OK);
	assert_contains(out, "  duration 1.5s, seed 7\n"
			     "  cpus: 4 (CPUs the scenario owns: 0-3)\n");
	/* tick 10^9 / 300 = 3333333 ns; factor 1 + ilog2(4) = 3 */
	assert_contains(out, "  kernel: 6.18, eevdf, hz 300 (tick 3.333333ms),"
			     " online cpus 4, busy host\n");
	assert_contains(out, "  tunables: factor 3, base slice 2.1ms,"
			     " bandwidth slice 2.5ms, balance every ");
	assert_contains(out, "  expect: usage 5%, nr_throttled 1,"
			     " throttled 1.5ms\n");
	/* weight 1 -> shares 10 -> reads back 1; weight 50 -> 512 -> 50 */
	assert_contains(
		out,
		"  p\n    weight 1 -> shares 10\n"
		"    quota 1.5ms per period 10ms (bandwidth), burst 500us\n"
		"    v1: cpu.shares 10, cpu.cfs_quota_us 1500,"
		" cpu.cfs_period_us 10000, cpu.cfs_burst_us 500\n"
		"    v2: cpu.weight 1, cpu.max \"1500 10000\","
		" cpu.max.burst 500\n    cpuset: 0,2-3\n");
	assert_contains(out,
			"    p/c\n      weight 50 -> shares 512\n"
			"      no quota (bandwidth period 100ms, unused)\n");
	assert_contains(out, "      v2: cpu.weight 50, cpu.max \"max 100000\"");
	assert_contains(out, "      cpuset: 0,2-3 (inherited)\n");
	/* kernel nice table: 5 -> 335, -5 -> 3121, 19 -> 15, -20 -> 88761 */
	assert_contains(out,
			"      task a: 1 thread, nice 5 (weight 335), hog");
	assert_contains(out,
			"      task b: 3 threads, nice -5 (weight 3121), hog");
	assert_contains(
		out, "      task c: 1 thread, nice 19 (weight 15),"
		     " periodic: run 1ms..3ms every 20ms (activation period);"
		     " starts at 250ms\n");
	assert_contains(out, "      task d: 1 thread, nice -20 (weight 88761),"
			     " phases: run 1ms, sleep 0..2ms; loops forever\n");
	free(out);
	free(err);
}

/* docs/kernel-rules.md §2.1, §7.2: 2 CPUs, factor 2 */
static void test_check_text_classic_cfs_tunables(void **state)
{
	char path[64], *out, *err;

	(void)state;
	assert_int_equal(run_check(S("duration: 1s\ncpus: 2\n"
				     "kernel: {version: \"6.5\"}\n"),
				   false, path, &out, &err),
			 EXIT_OK);
	assert_contains(out, "  kernel: 6.5, cfs (from the version), hz 250"
			     " (tick 4ms), online cpus 2\n");
	assert_contains(out,
			"  tunables: factor 2, latency 12ms, min"
			" granularity 1.5ms, wakeup granularity 2ms, bandwidth"
			" slice 5ms, balance every 28ms busy / 4ms idle\n");
	free(out);
	free(err);
}

static void test_check_json(void **state)
{
	char path[64], *out, *err;

	(void)state;
	assert_int_equal(run_check(design_example, true, path, &out, &err),
			 EXIT_OK);
	assert_contains(out,
			"{\"scenario\": \"quota-throttling\", \"file\": \"");
	assert_contains(out, "\"duration_ns\": 3000000000, \"cpus\": 1,"
			     " \"seed\": 1,");
	assert_contains(
		out,
		"\"kernel\": {\"version\": \"6.18\","
		" \"version_set\": false, \"policy\": \"eevdf\","
		" \"policy_set\": false, \"hz\": 250, \"tick_ns\": 4000000,"
		" \"online_cpus\": 1,\n    \"factor\": 1,"
		" \"base_slice_ns\": 700000, \"sched_latency_ns\": 6000000,"
		" \"min_granularity_ns\": 750000,"
		" \"wakeup_granularity_ns\": 1000000,"
		" \"bandwidth_slice_ns\": 5000000,"
		" \"balance_busy_ns\": 12000000,"
		" \"balance_idle_ns\": 4000000, \"busy_host\": false}");
	assert_contains(out, "\"expect\": {}");
	assert_contains(out, "{\"path\": \"batch\", \"name\": \"batch\","
			     " \"parent\": null, \"depth\": 0, \"shares\": 512,"
			     " \"cpu_weight\": 50, \"weight\": null,");
	assert_contains(
		out, "\"quota_ns\": 30000000, \"period_ns\": 100000000,"
		     " \"burst_ns\": 0, \"cfs_quota_us\": 30000,"
		     " \"cfs_period_us\": 100000, \"cfs_burst_us\": 0,"
		     " \"cpu_max\": \"30000 100000\", \"cpu_max_burst\": 0,");
	assert_contains(out,
			"\"cfs_quota_us\": -1, \"cfs_period_us\": 100000,"
			" \"cfs_burst_us\": 0, \"cpu_max\": \"max 100000\"");
	assert_contains(out, "\"cpus\": [0], \"cpus_set\": true, \"k8s\": null,"
			     " \"line\": 12, \"col\": 5}");
	assert_contains(out,
			"\"k8s\": {\"request_m\": 500, \"limit_m\": 1500}");
	assert_contains(out, "{\"group\": \"batch\", \"name\": \"worker\","
			     " \"count\": 2, \"nice\": 0, \"weight\": 1024,"
			     " \"line\": 19, \"col\": 9,");
	assert_contains(out,
			"\"workload\": {\"kind\": \"periodic\","
			" \"run_min_ns\": 10000000, \"run_max_ns\": 10000000,"
			" \"period_ns\": 25000000, \"start_ns\": 0}}");
	assert_contains(
		out, "\"workload\": {\"kind\": \"phases\", \"loop\": 50,"
		     " \"phases\": [{\"run_min_ns\": 2000000, \"run_max_ns\":"
		     " 2000000}, {\"sleep_min_ns\": 8000000, \"sleep_max_ns\":"
		     " 8000000}], \"start_ns\": 0}}");
	assert_contains(out,
			"\"workload\": {\"kind\": \"hog\", \"start_ns\": 0}}");
	assert_int_equal(out[strlen(out) - 1], '\n');
	free(out);
	free(err);
}

static void test_check_json_expect(void **state)
{
	char path[64], *out, *err;

	(void)state;
	assert_int_equal(run_check(S("duration: 1s\nexpect: {usage: 5%,"
				     " nr_throttled: 1, burst: 1ms}\n"),
				   true, path, &out, &err),
			 EXIT_OK);
	assert_contains(out, "\"expect\": {\"usage\": {\"rel\": 0.05},"
			     " \"nr_throttled\": {\"abs\": 1},"
			     " \"burst\": {\"abs_ns\": 1000000}}");
	free(out);
	free(err);
}

static void test_check_bad_scenario(void **state)
{
	char path[64], *out, *err, msg[256];

	(void)state;
	assert_int_equal(run_check("duration: 30\n", false, path, &out, &err),
			 EXIT_USAGE);
	assert_string_equal(out, "");
	snprintf(
		msg, sizeof(msg),
		"cfssim: %s:1:11: duration '30' needs a unit (ns, us, ms, s)\n",
		path);
	assert_string_equal(err, msg);
	free(out);
	free(err);
}

#define U(fn) cmocka_unit_test(fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		U(test_design_example_loads_every_key),
		U(test_defaults),
		U(test_default_cpuset_is_every_scenario_cpu),
		U(test_default_name_from_file_name),
		U(test_scenario_keys),
		U(test_expect_tolerances),
		U(test_ceilings_and_not_modelled_load),
		U(test_error_expect_above_ceiling),
		U(test_error_expect_count_above_ceiling),
		U(test_error_expect_time_above_ceiling),
		U(test_error_expect_time_above_ceiling_hz),
		U(test_error_not_modelled_unknown),
		U(test_error_not_modelled_no_reason),
		U(test_error_not_modelled_list),
		U(test_error_not_modelled_no_such_group),
		U(test_error_not_modelled_scoped_no_reason),
		U(test_error_not_modelled_groups_not_list),
		U(test_weight_maps_to_shares),
		U(test_shares_limits_accepted),
		U(test_k8s_request_maps_to_shares),
		U(test_k8s_limit_maps_to_quota),
		U(test_k8s_limit_with_custom_period),
		U(test_quota_period_burst),
		U(test_nested_groups_paths),
		U(test_cpuset_masks),
		U(test_cpuset_inherited_and_narrowed),
		U(test_task_keys),
		U(test_task_slice),
		U(test_random_ranges),
		U(test_workload_forms),
		U(test_burst_allowed_from_5_14),
		U(test_child_quota_within_parent),
		U(test_names_may_repeat_in_other_groups),
		U(test_group_nesting_sixteen_levels_accepted),
		U(test_load_file),
		U(test_file_name_becomes_default_name),
		U(test_truncated_input_never_crashes),
		U(test_examples_load),
		U(test_example_quota_throttling_is_design_example),
		U(test_check_text_design_example),
		U(test_check_text_weights_nice_and_more),
		U(test_check_text_classic_cfs_tunables),
		U(test_check_json),
		U(test_check_json_expect),
		U(test_check_bad_scenario),
		U(test_parse_duration_values),
		U(test_parse_duration_errors),
		U(test_error_cannot_open),
		U(test_error_cannot_read),
		U(test_error_file_too_large),
		U(test_error_yaml_nested_too_deep),
		U(test_error_groups_nested_too_deep),
		U(test_error_too_many_tasks),
		U(test_error_too_many_groups),
		U(test_error_cgroup_file_names),
		U(test_cgroup_like_names_allowed),
		U(test_error_invalid_yaml),
		U(test_error_invalid_yaml_with_context),
		U(test_error_invalid_utf8),
		U(test_error_second_document),
		U(test_error_anchor),
		U(test_error_anchor_on_mapping),
		U(test_error_alias),
		U(test_error_tag),
		U(test_error_nul_in_string),
		U(test_error_empty),
		U(test_error_only_comments),
		U(test_error_not_a_mapping),
		U(test_error_key_not_string),
		U(test_error_duplicate_key),
		U(test_error_duplicate_top_key),
		U(test_error_no_value),
		U(test_error_unknown_key_scenario),
		U(test_error_unknown_key_group),
		U(test_error_unknown_key_task),
		U(test_error_unknown_key_kernel),
		U(test_error_unknown_key_expect),
		U(test_error_unknown_key_workload),
		U(test_error_unknown_key_k8s),
		U(test_error_unknown_key_phase),
		U(test_error_unknown_key_range),
		U(test_error_kernel_not_mapping),
		U(test_error_expect_not_mapping),
		U(test_error_k8s_not_mapping),
		U(test_error_groups_not_list),
		U(test_error_child_groups_not_list),
		U(test_error_tasks_not_list),
		U(test_error_group_not_mapping),
		U(test_error_task_not_mapping),
		U(test_error_name_not_string),
		U(test_error_not_integer),
		U(test_error_hex_not_integer),
		U(test_error_nice_not_integer),
		U(test_error_seed_negative),
		U(test_error_quota_not_duration),
		U(test_error_duration_needs_unit),
		U(test_error_duration_unknown_unit),
		U(test_error_duration_garbage),
		U(test_error_duration_finer_than_ns),
		U(test_error_duration_too_large),
		U(test_error_duration_required),
		U(test_error_duration_zero),
		U(test_error_duration_over_an_hour),
		U(test_error_cpus_range),
		U(test_error_seed_range),
		U(test_error_shares_low),
		U(test_error_shares_high),
		U(test_error_weight_range),
		U(test_error_weight_high),
		U(test_error_quota_below_1ms),
		U(test_error_period_range),
		U(test_error_period_short),
		U(test_error_quota_whole_us),
		U(test_error_count_range),
		U(test_error_count_high),
		U(test_error_nice_range),
		U(test_error_nice_low),
		U(test_error_slice_short),
		U(test_error_slice_long),
		U(test_error_slice_bare),
		U(test_error_slice_before_6_12),
		U(test_error_slice_cfs),
		U(test_error_shares_and_weight),
		U(test_error_weight_and_shares),
		U(test_error_burst_needs_quota),
		U(test_error_burst_over_quota),
		U(test_error_burst_before_5_14),
		U(test_error_child_quota_over_parent),
		U(test_error_child_ratio_over_grandparent),
		U(test_error_cpuset_syntax),
		U(test_error_cpuset_reversed),
		U(test_error_cpuset_outside_scenario),
		U(test_error_cpuset_beyond_64),
		U(test_error_cpuset_outside_parent),
		U(test_error_k8s_with_shares),
		U(test_error_k8s_with_weight),
		U(test_error_k8s_with_quota),
		U(test_error_k8s_millicores_syntax),
		U(test_error_k8s_below_millicore),
		U(test_error_k8s_too_many_cpus),
		U(test_error_k8s_request_over_limit),
		U(test_error_group_needs_name),
		U(test_error_task_needs_name),
		U(test_error_duplicate_group),
		U(test_error_duplicate_task),
		U(test_error_duplicate_task_nested),
		U(test_error_group_name_empty),
		U(test_error_group_name_too_long),
		U(test_error_group_name_slash),
		U(test_error_group_name_dotdot),
		U(test_error_task_name_space),
		U(test_error_scenario_name),
		U(test_error_no_tasks),
		U(test_error_no_groups),
		U(test_error_unknown_workload),
		U(test_error_requests_rate_zero),
		U(test_error_requests_rate_negative),
		U(test_error_requests_rate_no_unit),
		U(test_error_requests_rate_bad_unit),
		U(test_error_requests_service_too_long),
		U(test_error_requests_service_no_unit),
		U(test_error_requests_batch_no_size),
		U(test_error_requests_batch_no_batch),
		U(test_error_requests_batch_without_arrival),
		U(test_error_requests_batch_rate_disagrees),
		U(test_error_requests_no_rate),
		U(test_error_requests_no_service),
		U(test_error_requests_unknown_arrival),
		U(test_error_requests_unknown_dist),
		U(test_error_requests_lognormal_no_sd),
		U(test_error_requests_sd_with_exp),
		U(test_error_requests_with_run),
		U(test_error_requests_too_many),
		U(test_requests_values),
		U(test_error_workload_list),
		U(test_error_run_with_phases),
		U(test_error_period_with_phases),
		U(test_error_phases_not_list),
		U(test_error_phases_empty),
		U(test_error_phase_not_mapping),
		U(test_error_phase_two_keys),
		U(test_error_phase_no_key),
		U(test_error_phases_forever_empty),
		U(test_error_loop_needs_phases),
		U(test_error_loop_range),
		U(test_error_periodic_needs_run),
		U(test_error_periodic_needs_period),
		U(test_error_periodic_run_zero),
		U(test_error_periodic_run_range_zero),
		U(test_periodic_run_longer_than_period_warns),
		U(test_error_workload_period_zero),
		U(test_error_run_over_an_hour),
		U(test_error_start_over_an_hour),
		U(test_error_len_not_duration),
		U(test_error_range_needs_min_max),
		U(test_error_range_min_over_max),
		U(test_error_hz),
		U(test_error_bandwidth_slice),
		U(test_error_online_cpus_range),
		U(test_error_busy_host_not_bool),
		U(test_error_online_cpus_below_cpus),
		U(test_error_policy),
		U(test_error_version),
		U(test_error_expect_percentage),
		U(test_error_expect_percentage_high),
		U(test_error_expect_count),
		U(test_error_expect_time_type),
		U(test_error_expect_time_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
