/* The sweep module through its interface: value lists and ranges, point
 * ids and seeds, paths, edits made before validation (and their exact
 * messages), the JSON reader, figures and targets, shards from the
 * environment, merging and tune's bisection on figures given by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenarios/loader.h"
#include "base/xalloc.h"
#include "sweep/figure.h"
#include "sweep/grid.h"
#include "sweep/json.h"
#include "sweep/merge.h"
#include "sweep/run.h"
#include "sweep/tune.h"

static void free_values(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Parses spec and compares with the n strings that follow. */
static void check_values(const char *spec, uint64_t step, size_t n, ...)
{
	struct err err;
	char **v;
	size_t nv, i;
	va_list ap;

	err_init(&err);
	if (sweep_values_parse(spec, step, &v, &nv, &err))
		fail_msg("'%s': %s", spec, err.msg);
	assert_int_equal(nv, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(v[i], va_arg(ap, const char *));
	va_end(ap);
	free_values(v, nv);
}

static void check_values_error(const char *spec, const char *msg)
{
	struct err err;
	char **v;
	size_t nv;

	err_init(&err);
	assert_int_equal(sweep_values_parse(spec, 0, &v, &nv, &err), -1);
	assert_string_equal(err.msg, msg);
}

static void test_sweep_values_lists_and_ranges(void **state)
{
	(void)state;
	check_values("10ms..50ms/10ms", 0, 5, "10ms", "20ms", "30ms", "40ms",
		     "50ms");
	check_values("1..64*2", 0, 7, "1", "2", "4", "8", "16", "32", "64");
	check_values("1ms..8ms*2", 0, 4, "1ms", "2ms", "4ms", "8ms");
	check_values("1..3", 0, 3, "1", "2", "3");
	check_values("-2..2/2", 0, 3, "-2", "0", "2");
	check_values("0.5..1.5/0.5", 0, 3, "0.5", "1", "1.5");
	/* a range's end need not fall on a step */
	check_values("10ms..35ms/10ms", 0, 3, "10ms", "20ms", "30ms");
	/* tune's default step for durations */
	check_values("1ms..1004us", 1000, 5, "1ms", "1001us", "1002us",
		     "1003us", "1004us");
	check_values("500m..1500m/500m", 0, 3, "500m", "1000m", "1500m");
	check_values("100/s..300/s/100/s", 0, 3, "100/s", "200/s", "300/s");
}

static void test_sweep_values_sorted_and_distinct(void **state)
{
	(void)state;
	/* durations by length, whatever the unit; 1000us and 1ms are one */
	check_values("50ms,1s,1000us,10ms,1ms", 0, 4, "1000us", "10ms", "50ms",
		     "1s");
	check_values("16,4,1,4", 0, 3, "1", "4", "16");
	check_values("eevdf,cfs", 0, 2, "cfs", "eevdf");
	check_values("20ms, 10ms..20ms/5ms", 0, 3, "10ms", "15ms", "20ms");
}

/* The most values an axis may have, out of order: the range 2..1000000
 * (999999 values) then 1.  Sorting these parsed both values of every
 * comparison and took seconds (the --set fuzz target's timeout). */
static void test_sweep_values_a_million_sorted(void **state)
{
	struct err err;
	char **v;
	size_t nv, i;

	(void)state;
	err_init(&err);
	assert_int_equal(sweep_values_parse("2..1000000,1", 0, &v, &nv, &err),
			 0);
	assert_int_equal(nv, 1000000);
	assert_string_equal(v[0], "1");
	assert_string_equal(v[1], "2");
	assert_string_equal(v[999999], "1000000");
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
}

static void test_sweep_values_errors(void **state)
{
	(void)state;
	check_values_error("", "no values");
	check_values_error("10ms,,20ms", "empty value in '10ms,,20ms'");
	check_values_error("10ms..1ms/1ms", "range '10ms..1ms/1ms' runs "
					    "backwards");
	check_values_error("10ms..50ms",
			   "range '10ms..50ms' needs a step ('/STEP') or a "
			   "factor ('*FACTOR')");
	check_values_error("1ms..10ms*1",
			   "the factor of '1ms..10ms*1' must be a number "
			   "above 1");
	check_values_error("0..8*2", "a geometric range like '0..8*2' must "
				     "start above 0");
	check_values_error("1ms..20/5", "range '1ms..20/5' mixes units: give "
					"both ends alike");
	check_values_error("1..2/1ms", "the step of '1..2/1ms' must be in the "
				       "range's unit");
	check_values_error("x..2", "'x' is not a number or a duration");
	check_values_error("1..10000000",
			   "range '1..10000000' has more than 1000000 values");
}

static const char scenario_text[] =
	"name: t\n"
	"duration: 1s\n"
	"seed: 7\n"
	"groups:\n"
	"  - name: web\n"
	"    quota: 50ms\n"
	"    tasks:\n"
	"      - name: server\n"
	"        count: 2\n"
	"        workload: {run: 1ms, period: 10ms}\n"
	"      - {name: hog, workload: hog}\n"
	"  - name: a.b\n"
	"    tasks:\n"
	"      - {name: x.y, workload: hog}\n"
	"  - name: tenant\n"
	"    groups:\n"
	"      - name: gold\n"
	"        shares: 2048\n"
	"        tasks:\n"
	"          - {name: w, workload: hog}\n";

static const char *write_file(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/cfssim-test-sweep-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void load_grid(struct sweep_grid *g, const char *text)
{
	const char *path = write_file(text);
	struct err err;

	err_init(&err);
	sweep_grid_init(g);
	if (sweep_grid_load(g, path, &err))
		fail_msg("%s", err.msg);
	unlink(path);
}

static void check_split(const struct scenario *sc, const char *path,
			const char *group, const char *task, const char *key)
{
	char *gr, *ta, *ke;
	struct err err;

	err_init(&err);
	assert_int_equal(sweep_path_split(sc, path, &gr, &ta, &ke, &err), 0);
	if (group)
		assert_string_equal(gr, group);
	else
		assert_null(gr);
	if (task)
		assert_string_equal(ta, task);
	else
		assert_null(ta);
	assert_string_equal(ke, key);
	free(gr);
	free(ta);
	free(ke);
}

static void test_sweep_paths(void **state)
{
	struct sweep_grid g;

	(void)state;
	load_grid(&g, scenario_text);
	check_split(&g.base, "web.quota", "web", NULL, "quota");
	check_split(&g.base, "tenant/gold.shares", "tenant/gold", NULL,
		    "shares");
	/* names may hold dots: the split that names a group or task wins */
	check_split(&g.base, "a.b.shares", "a.b", NULL, "shares");
	check_split(&g.base, "a.b:x.y.nice", "a.b", "x.y", "nice");
	check_split(&g.base, "web:server.workload.requests.rate", "web",
		    "server", "workload.requests.rate");
	check_split(&g.base, "duration", NULL, NULL, "duration");
	check_split(&g.base, "kernel.version", NULL, NULL, "kernel.version");
	/* an unknown group is left for the loader to name */
	check_split(&g.base, "wbe.quota", "wbe", NULL, "quota");
	sweep_grid_destroy(&g);
}

/* Loads scenario_text with one edit and returns the loader's message
 * ("" when it loads). */
static const char *edit_message(const char *group, const char *task,
				const char *key, const char *value)
{
	static char buf[1200];
	struct scenario_edit e = {group, task, key, value, "--set 'X'"};
	struct scenario sc;
	struct err err;

	err_init(&err);
	buf[0] = '\0';
	if (scenario_load_edited(scenario_text, strlen(scenario_text), "t.yaml",
				 &e, 1, &sc, &err))
		return err_str(&err, buf, sizeof(buf));
	scenario_destroy(&sc);
	return buf;
}

static void test_sweep_edit_messages(void **state)
{
	(void)state;
	assert_string_equal(edit_message("web", NULL, "qouta", "10ms"),
			    "--set 'X': no key 'qouta' in group 'web'");
	assert_string_equal(edit_message("web", NULL, "quota", "abc"),
			    "--set 'X': 'abc' is not a duration");
	assert_string_equal(edit_message("web", NULL, "quota", "10"),
			    "--set 'X': duration '10' needs a unit (ns, us, "
			    "ms, s)");
	assert_string_equal(edit_message("wbe", NULL, "quota", "1ms"),
			    "--set 'X': no group 'wbe'");
	assert_string_equal(edit_message("tenant/silver", NULL, "shares", "2"),
			    "--set 'X': no group 'tenant/silver'");
	assert_string_equal(edit_message("web", "srv", "count", "2"),
			    "--set 'X': no task 'srv' in group 'web'");
	assert_string_equal(edit_message("web", "server", "cnt", "2"),
			    "--set 'X': no key 'cnt' in task 'web:server'");
	assert_string_equal(edit_message("web", "hog", "workload.run", "1ms"),
			    "--set 'X': 'workload' of task 'web:hog' is not a "
			    "mapping");
	assert_string_equal(edit_message("web", "server", "workload.rn", "1ms"),
			    "--set 'X': no key 'rn' in 'workload' of the task");
	assert_string_equal(edit_message(NULL, NULL, "durtion", "1s"),
			    "--set 'X': no key 'durtion' in the scenario");
	assert_string_equal(edit_message(NULL, NULL, "kernel.version", "6"),
			    "--set 'X': 'version' must look like '6.18'");
	assert_string_equal(edit_message("web", "server", "count", "0"),
			    "--set 'X': 'count' must be between 1 and 4096");
	/* edits that load */
	assert_string_equal(edit_message("web", "server", "count", "16"), "");
	assert_string_equal(edit_message("tenant/gold", NULL, "quota", "5ms"),
			    "");
	assert_string_equal(edit_message(NULL, NULL, "kernel.version", "5.4"),
			    "");
}

static void test_sweep_edit_sets_the_value(void **state)
{
	struct scenario_edit e[] = {
		{"web", NULL, "quota", "20ms", "a"},
		{"web", "server", "count", "5", "b"},
		{"web", "server", "workload.run", "3ms", "c"},
		{"tenant/gold", NULL, "burst", "1ms", "d"},
		{"tenant/gold", NULL, "quota", "2ms", "e"},
		{NULL, NULL, "duration", "2s", "f"},
	};
	struct scenario sc;
	struct err err;
	long gi;

	(void)state;
	err_init(&err);
	if (scenario_load_edited(scenario_text, strlen(scenario_text), "t.yaml",
				 e, 6, &sc, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sc.duration_ns, 2000000000ULL);
	gi = scenario_find_group(&sc, "web");
	assert_int_equal(sc.groups[gi].quota_ns, 20000000ULL);
	assert_int_equal(sc.tasks[0].count, 5);
	assert_int_equal(sc.tasks[0].wl.run.min_ns, 3000000ULL);
	gi = scenario_find_group(&sc, "tenant/gold");
	assert_int_equal(sc.groups[gi].quota_ns, 2000000ULL);
	assert_int_equal(sc.groups[gi].burst_ns, 1000000ULL);
	scenario_destroy(&sc);
}

static void test_sweep_block_in_the_scenario(void **state)
{
	char text[2048];
	struct sweep_grid g;
	struct err err;
	const char *path;

	(void)state;
	snprintf(text, sizeof(text),
		 "%ssweep:\n  web.quota: 10ms..30ms/10ms\n"
		 "  web:server.count: [4, 1]\n  seeds: 2\n",
		 scenario_text);
	load_grid(&g, text);
	err_init(&err);
	assert_int_equal(sweep_grid_finish(&g, 0, 1000, &err), 0);
	assert_int_equal(g.naxes, 2);
	assert_int_equal(g.seeds, 2);
	assert_int_equal(g.npoints, 3 * 2 * 2);
	assert_string_equal(g.axes[1].values[0], "1");
	sweep_grid_destroy(&g);
	/* a bad value of the block is reported at its position */
	snprintf(text, sizeof(text), "%ssweep:\n  web.quota: 10ms..1ms/1ms\n",
		 scenario_text);
	path = write_file(text);
	sweep_grid_init(&g);
	assert_int_equal(sweep_grid_load(&g, path, &err), -1);
	assert_int_equal(err.line, 22);
	assert_int_equal(err.col, 14);
	assert_string_equal(err.msg, "range '10ms..1ms/1ms' runs backwards");
	sweep_grid_destroy(&g);
	unlink(path);
	snprintf(text, sizeof(text), "%ssweep:\n  seeds: 0\n", scenario_text);
	path = write_file(text);
	assert_int_equal(sweep_grid_load(&g, path, &err), -1);
	assert_string_equal(err.msg, "'seeds' must be between 1 and 100000");
	sweep_grid_destroy(&g);
	unlink(path);
}

static void test_sweep_ids_and_seeds(void **state)
{
	struct sweep_grid g, h;
	struct scenario sc;
	struct err err;
	size_t idx[2];

	(void)state;
	load_grid(&g, scenario_text);
	err_init(&err);
	/* written in another order than they sort */
	assert_int_equal(
		sweep_grid_set(&g, "--set", "web:server.count=4,1", 0, &err),
		0);
	assert_int_equal(sweep_grid_set(&g, "--set", "web.quota=30ms,10ms,20ms",
					0, &err),
			 0);
	assert_int_equal(sweep_grid_finish(&g, 2, 1000, &err), 0);
	/* axes sort by path: "web.quota" < "web:server.count" ('.' < ':') */
	assert_string_equal(g.axes[0].path, "web.quota");
	assert_int_equal(g.npoints, 12);
	/* id = (quota rank * 2 + count rank) * 2 + seed index */
	sweep_point_index(&g, 7, idx);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 1);
	assert_int_equal(sweep_point_seed(&g, 6), 7); /* the scenario's */
	assert_int_equal(sweep_point_seed(&g, 0), 7);
	assert_true(sweep_point_seed(&g, 7) != 7);
	assert_int_equal(sweep_point_seed(&g, 7), sweep_point_seed(&g, 1));
	assert_int_equal(sweep_point_load(&g, 7, &sc, &err), 0);
	assert_int_equal(sc.groups[0].quota_ns, 20000000ULL);
	assert_int_equal(sc.tasks[0].count, 4);
	scenario_destroy(&sc);
	/* the same grid written otherwise is the same sweep */
	load_grid(&h, scenario_text);
	assert_int_equal(sweep_grid_set(&h, "--set",
					"web.quota=10ms..30ms/10ms", 0, &err),
			 0);
	assert_int_equal(
		sweep_grid_set(&h, "--set", "web:server.count=1,4", 0, &err),
		0);
	assert_int_equal(sweep_grid_finish(&h, 2, 1000, &err), 0);
	assert_true(g.hash == h.hash);
	sweep_grid_destroy(&h);
	/* another scenario text is another sweep */
	load_grid(&h, scenario_text + 8);
	assert_int_equal(sweep_grid_set(&h, "--set",
					"web.quota=10ms..30ms/10ms", 0, &err),
			 0);
	assert_int_equal(
		sweep_grid_set(&h, "--set", "web:server.count=1,4", 0, &err),
		0);
	assert_int_equal(sweep_grid_finish(&h, 2, 1000, &err), 0);
	assert_true(g.hash != h.hash);
	sweep_grid_destroy(&h);
	sweep_grid_destroy(&g);
}

static void test_sweep_set_errors(void **state)
{
	struct sweep_grid g;
	struct err err;
	char buf[1200];

	(void)state;
	load_grid(&g, scenario_text);
	err_init(&err);
	assert_int_equal(sweep_grid_set(&g, "--set", "web.quota", 0, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'web.quota': expected PATH=VALUES");
	assert_int_equal(sweep_grid_set(&g, "--set", "web.quota=", 0, &err),
			 -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'web.quota=': no values");
	assert_int_equal(sweep_grid_set(&g, "--set", "web:.count=1", 0, &err),
			 -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'web:.count=1': 'web:.count' must look like "
			    "GROUP:TASK.KEY");
	/* kernel versions sort as versions: 6.2 before 6.18 */
	assert_int_equal(sweep_grid_set(&g, "--set",
					"kernel.version=6.18,5.4,6.2", 0, &err),
			 0);
	assert_string_equal(g.axes[0].values[0], "5.4");
	assert_string_equal(g.axes[0].values[1], "6.2");
	assert_string_equal(g.axes[0].values[2], "6.18");
	assert_int_equal(sweep_grid_set(&g, "--set", "web.quota=1ms", 0, &err),
			 0);
	assert_int_equal(sweep_grid_set(&g, "--set", "web.quota=2ms", 0, &err),
			 -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'web.quota=2ms': 'web.quota' is already "
			    "given");
	/* a value the loader refuses, named with its own value */
	assert_int_equal(
		sweep_grid_set(&g, "--set", "web:server.count=1,0", 0, &err),
		0);
	assert_int_equal(sweep_grid_finish(&g, 1, 1000, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'web:server.count=0': 'count' must be "
			    "between 1 and 4096");
	sweep_grid_destroy(&g);
}

/* Found by the --set fuzz target: a refusal quoted its argument into the
 * 256 bytes a message keeps for its origin, cut off in the middle.  An
 * argument of more than 160 characters is quoted as its first 80, "..."
 * and its last 77. */
static void test_sweep_set_long_argument(void **state)
{
	struct sweep_grid g;
	struct err err;
	char arg[600], buf[1200], want[1200];
	size_t n;

	(void)state;
	load_grid(&g, scenario_text);
	err_init(&err);
	/* "web.quota=1ms,2ms,...,99ms,,x": an empty value */
	n = (size_t)snprintf(arg, sizeof(arg), "web.quota=");
	for (unsigned i = 1; i < 100; i++)
		n += (size_t)snprintf(arg + n, sizeof(arg) - n, "%ums,", i);
	snprintf(arg + n, sizeof(arg) - n, ",x");
	assert_int_equal(sweep_grid_set(&g, "--set", arg, 0, &err), -1);
	snprintf(want, sizeof(want), "--set '%.80s...%s': empty value in '%s'",
		 arg, arg + strlen(arg) - 77, arg + 10);
	assert_string_equal(err_str(&err, buf, sizeof(buf)), want);
	/* 80: "web.quota=" (10), 9 x "Nms," (36), 6 x "NNms," (30), "16ms";
	 * 77: 15 x "NNms," (75), ",x" */
	assert_string_equal(err.file,
			    "--set 'web.quota=1ms,2ms,3ms,4ms,5ms,6ms,7ms,8ms,"
			    "9ms,10ms,11ms,12ms,13ms,14ms,15ms,16ms...85ms,"
			    "86ms,87ms,88ms,89ms,90ms,91ms,92ms,93ms,94ms,95ms,"
			    "96ms,97ms,98ms,99ms,,x'");
	sweep_grid_destroy(&g);
}

/* tune's --vary names itself when the loader refuses one of its values
 * (it was called --set). */
static void test_sweep_vary_names_itself(void **state)
{
	struct sweep_grid g;
	struct err err;
	char buf[1200];

	(void)state;
	load_grid(&g, scenario_text);
	err_init(&err);
	assert_int_equal(
		sweep_grid_set(&g, "--vary", "web:server.count=0..2", 0, &err),
		0);
	assert_int_equal(sweep_grid_finish(&g, 1, 1000, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--vary 'web:server.count=0': 'count' must be "
			    "between 1 and 4096");
	sweep_grid_destroy(&g);
}

/* An rt-app file has no YAML keys to edit: --set and the like are refused
 * instead of dropped, which ran the file unchanged at every point. */
static void test_sweep_rtapp_file_takes_no_edits(void **state)
{
	static const char json[] = "{\"global\": {\"duration\": 1}, "
				   "\"tasks\": {\"t\": {\"taskgroup\": "
				   "\"/g\", \"run\": 1000}}}";
	struct sweep_grid g;
	struct err err;
	char buf[1200];

	(void)state;
	sweep_grid_init(&g);
	err_init(&err);
	assert_int_equal(
		sweep_grid_load_text(&g, "t.json", json, strlen(json), &err),
		0);
	assert_int_equal(sweep_grid_set(&g, "--set", "g.quota=10ms", 0, &err),
			 0);
	assert_int_equal(sweep_grid_finish(&g, 1, 1000, &err), -1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)),
			    "--set 'g.quota=10ms': 't.json' is an rt-app "
			    "file, which takes no edits: convert it with "
			    "'cfssim import' first");
	sweep_grid_destroy(&g);
}

static void test_sweep_json_reader(void **state)
{
	static const char text[] =
		" {\"a\": [1, -2.5e1, true, null, \"x\\\"\\u00e9\\n\"],"
		" \"b\": {}, \"c\": []} ";
	const struct sweep_json *a;
	struct sweep_json *j;
	struct err err;

	(void)state;
	err_init(&err);
	j = sweep_json_parse(text, strlen(text), &err);
	assert_non_null(j);
	a = sweep_json_get(j, "a");
	assert_int_equal(a->n, 5);
	assert_true(a->items[1]->num == -25.0);
	assert_true(a->items[2]->b);
	assert_int_equal(a->items[3]->kind, SWEEP_JSON_NULL);
	assert_string_equal(a->items[4]->str, "x\"\xc3\xa9\n");
	assert_int_equal(sweep_json_get(j, "b")->kind, SWEEP_JSON_OBJ);
	assert_null(sweep_json_get(j, "d"));
	sweep_json_free(j);
	assert_null(sweep_json_parse("{\"a\": 1", 7, &err));
	assert_string_equal(err.msg, "at byte 8: expected ',' or '}'");
	assert_null(sweep_json_parse("[1] x", 5, &err));
	assert_string_equal(err.msg, "at byte 5: text after the value");
}

/* cpu.stat of a group throttled in 28 of 30 periods, a task of two
 * threads and a latency entry, as the JSON results print them. */
static const char result_json[] =
	"{ \"groups\": [ { \"path\": \"web\", \"usage_usec\": 900000, "
	"\"nr_periods\": 30, \"nr_throttled\": 28, \"throttled_usec\": 261000 "
	"}, { \"path\": \"a.b\", \"usage_usec\": 5, \"nr_periods\": 0, "
	"\"nr_throttled\": 0 } ], "
	"\"tasks\": [ { \"group\": \"web\", \"name\": \"server\", \"index\": 0, "
	"\"runtime_usec\": 300, \"wait_usec\": 10, \"nr_switches\": 4 }, "
	"{ \"group\": \"web\", \"name\": \"server\", \"index\": 1, "
	"\"runtime_usec\": 200, \"wait_usec\": 30, \"nr_switches\": 6 } ], "
	"\"latency\": [ { \"group\": \"web\", \"task\": \"server\", \"kind\": "
	"\"requests\", \"n\": 995, \"p50_usec\": 2130, \"p99_usec\": 12200 } ] "
	"}";

static double figure(const char *name)
{
	struct sweep_figure f;
	struct sweep_json *j;
	struct err err;
	double v = -1;

	err_init(&err);
	j = sweep_json_parse(result_json, strlen(result_json), &err);
	assert_non_null(j);
	if (sweep_figure_parse(name, &f, &err) ||
	    sweep_figure_value(&f, j, &v, &err))
		fail_msg("'%s': %s", name, err.msg);
	sweep_figure_destroy(&f);
	sweep_json_free(j);
	return v;
}

static void test_sweep_figures(void **state)
{
	struct sweep_figure f;
	struct sweep_json *j;
	struct err err;
	double v;

	(void)state;
	assert_true(figure("web.usage_usec") == 900000);
	assert_true(figure("web.usage") == 900000);
	assert_true(fabs(figure("web.throttled_ratio") - 28.0 / 30) < 1e-12);
	/* no periods: a ratio of 0, not a division by zero */
	assert_true(figure("a.b.throttled_ratio") == 0);
	assert_true(figure("a.b.usage_usec") == 5);
	/* task figures sum the threads */
	assert_true(figure("web:server.runtime_usec") == 500);
	assert_true(figure("web:server.wait") == 40);
	assert_true(figure("web:server.nr_switches") == 10);
	/* latency figures come from the latency entries */
	assert_true(figure("web:server.latency.p99") == 12200);
	assert_true(figure("web:server.latency.p50") == 2130);
	err_init(&err);
	assert_int_equal(sweep_figure_parse("web.usag", &f, &err), -1);
	assert_non_null(strstr(err.msg, "'web.usag' names no figure (GROUP."));
	j = sweep_json_parse(result_json, strlen(result_json), &err);
	assert_int_equal(sweep_figure_parse("db.usage_usec", &f, &err), 0);
	assert_int_equal(sweep_figure_value(&f, j, &v, &err), -1);
	assert_string_equal(err.msg, "'db.usage_usec': the results have no "
				     "group 'db'");
	sweep_figure_destroy(&f);
	assert_int_equal(sweep_figure_parse("web:hog.latency.p99", &f, &err),
			 0);
	assert_int_equal(sweep_figure_value(&f, j, &v, &err), -1);
	assert_string_equal(err.msg, "'web:hog.latency.p99': the results have "
				     "no latency of 'web:hog'");
	sweep_figure_destroy(&f);
	sweep_json_free(j);
}

static void test_sweep_targets(void **state)
{
	struct sweep_target t;
	struct err err;

	(void)state;
	err_init(&err);
	assert_int_equal(
		sweep_target_parse("web.throttled_ratio < 5%", &t, &err), 0);
	assert_true(fabs(t.bound - 0.05) < 1e-12);
	assert_true(sweep_target_met(&t, 0.04));
	assert_false(sweep_target_met(&t, 0.05));
	sweep_target_destroy(&t);
	assert_int_equal(
		sweep_target_parse("web:server.latency.p99<20ms", &t, &err), 0);
	assert_true(t.bound == 20000); /* µs */
	sweep_target_destroy(&t);
	assert_int_equal(
		sweep_target_parse("web.usage_usec >= 900ms", &t, &err), 0);
	assert_true(t.bound == 900000);
	assert_true(sweep_target_met(&t, 900000));
	sweep_target_destroy(&t);
	assert_int_equal(sweep_target_parse("web.nr_throttled <= 3", &t, &err),
			 0);
	assert_true(t.bound == 3);
	sweep_target_destroy(&t);
	assert_int_equal(sweep_target_parse("web.usage_usec < 20", &t, &err),
			 -1);
	assert_string_equal(err.msg, "target 'web.usage_usec < 20': '20' must "
				     "be a duration like '20ms'");
	assert_int_equal(
		sweep_target_parse("web.throttled_ratio < lots", &t, &err), -1);
	assert_string_equal(err.msg,
			    "target 'web.throttled_ratio < lots': 'lots' must "
			    "be a percentage like '5%' or a fraction");
	assert_int_equal(sweep_target_parse("web.usage_usec = 1s", &t, &err),
			 -1);
	assert_string_equal(err.msg, "target 'web.usage_usec = 1s' must look "
				     "like 'FIGURE < VALUE' (<, <=, >, >=)");
}

static void test_sweep_shard_from_the_environment(void **state)
{
	const char *vars[] = {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
			      "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX",
			      "CFSSIM_SHARDS"};
	unsigned i, n;
	const char *from;
	struct err err;
	size_t k;

	(void)state;
	err_init(&err);
	for (k = 0; k < 5; k++)
		unsetenv(vars[k]);
	assert_int_equal(sweep_shard(NULL, &i, &n, &from, &err), 0);
	assert_int_equal(n, 1);
	assert_null(from);
	assert_int_equal(sweep_shard("2/7", &i, &n, &from, &err), 0);
	assert_int_equal(i, 2);
	assert_int_equal(n, 7);
	assert_int_equal(sweep_shard("7/7", &i, &n, &from, &err), -1);
	assert_string_equal(err.msg, "--shard '7/7' must be I/N with 0 <= I < "
				     "N");
	setenv("JOB_COMPLETION_INDEX", "4", 1);
	assert_int_equal(sweep_shard(NULL, &i, &n, &from, &err), -1);
	assert_string_equal(err.msg, "JOB_COMPLETION_INDEX is set but "
				     "CFSSIM_SHARDS (the number of shards) is "
				     "not");
	setenv("CFSSIM_SHARDS", "5", 1);
	assert_int_equal(sweep_shard(NULL, &i, &n, &from, &err), 0);
	assert_int_equal(i, 4);
	assert_int_equal(n, 5);
	assert_string_equal(from, "JOB_COMPLETION_INDEX");
	/* Slurm's variables come first; an array may start above 0 */
	setenv("SLURM_ARRAY_TASK_ID", "3", 1);
	setenv("SLURM_ARRAY_TASK_COUNT", "3", 1);
	setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
	assert_int_equal(sweep_shard(NULL, &i, &n, &from, &err), 0);
	assert_int_equal(i, 2);
	assert_int_equal(n, 3);
	assert_string_equal(from, "SLURM_ARRAY_TASK_ID");
	/* --shard wins over all of them */
	assert_int_equal(sweep_shard("0/2", &i, &n, &from, &err), 0);
	assert_int_equal(i, 0);
	assert_int_equal(n, 2);
	setenv("SLURM_ARRAY_TASK_ID", "4", 1);
	assert_int_equal(sweep_shard(NULL, &i, &n, &from, &err), -1);
	assert_string_equal(err.msg, "SLURM_ARRAY_TASK_ID '4' does not fit "
				     "SLURM_ARRAY_TASK_COUNT '3'");
	for (k = 0; k < 5; k++)
		unsetenv(vars[k]);
}

static void write_lines(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define PT(id)                                                           \
	"{\"id\": " #id ", \"of\": 6, \"sweep\": \"00000000000000ab\", " \
	"\"result\": {}}\n"

static void test_sweep_merge_sorts_drops_and_reports(void **state)
{
	const char *shards[] = {"/tmp/cfssim-test-merge-a.jsonl",
				"/tmp/cfssim-test-merge-b.jsonl"};
	const char *out = "/tmp/cfssim-test-merge-out.jsonl";
	struct sweep_merge_stats st;
	struct err err;
	char buf[4096], ids[64];
	FILE *f;
	size_t n;

	(void)state;
	err_init(&err);
	/* b repeats 4 and ends in a torn line */
	write_lines(shards[0], PT(4) PT(0));
	write_lines(shards[1], PT(4) PT(1) PT(5) "{\"id\": 3, \"of");
	assert_int_equal(sweep_merge(out, shards, 2, &st, &err), 0);
	assert_int_equal(st.points, 6);
	assert_int_equal(st.written, 4);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.nmissing, 2);
	sweep_format_ids(st.missing, st.nmissing, ids, sizeof(ids));
	assert_string_equal(ids, "2-3");
	free(st.missing);
	f = fopen(out, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, PT(0) PT(1) PT(4) PT(5));
	/* a point of another sweep */
	write_lines(
		shards[1],
		"{\"id\": 1, \"of\": 6, \"sweep\": \"00000000000000ac\"}\n");
	assert_int_equal(sweep_merge(out, shards, 2, &st, &err), -1);
	assert_string_equal(err.msg, "'/tmp/cfssim-test-merge-b.jsonl' line 1 "
				     "is a point of another sweep than the "
				     "first shard's");
	unlink(shards[0]);
	unlink(shards[1]);
	unlink(out);
	{
		uint64_t v[] = {0, 1, 2, 5, 7, 8};

		sweep_format_ids(v, 6, ids, sizeof(ids));
		assert_string_equal(ids, "0-2, 5, 7-8");
	}
}

/* A result whose web.usage_usec is usage[id] (tune's test double). */
struct fake {
	const double *usage;
};

static int fake_result(void *ctx, const struct sweep_grid *g, uint64_t id,
		       char **json, struct err *err)
{
	const struct fake *fk = ctx;
	char buf[256];

	(void)g;
	(void)err;
	snprintf(buf, sizeof(buf),
		 "{\"groups\": [{\"path\": \"web\", \"usage_usec\": %.0f}]}",
		 fk->usage[id]);
	*json = xstrdup(buf);
	return 0;
}

static void tune_on(const double *usage, size_t n, const char *target, bool max,
		    struct sweep_tune *t, struct sweep_grid *g,
		    struct sweep_target *tg)
{
	char set[64];
	struct err err;
	static struct fake fk;

	err_init(&err);
	load_grid(g, scenario_text);
	snprintf(set, sizeof(set), "web:server.count=1..%zu", n);
	assert_int_equal(sweep_grid_set(g, "--vary", set, 0, &err), 0);
	assert_int_equal(sweep_grid_finish(g, 1, 0, &err), 0);
	assert_int_equal(sweep_target_parse(target, tg, &err), 0);
	fk.usage = usage;
	memset(t, 0, sizeof(*t));
	t->grid = g;
	t->targets = tg;
	t->ntargets = 1;
	t->max = max;
	t->result = fake_result;
	t->ctx = &fk;
	assert_int_equal(sweep_tune_run(t, &err), 0);
}

static void test_sweep_tune_bisects(void **state)
{
	/* increasing: the first value >= 50us is index 5 (50) */
	static const double up[16] = {0,  10, 20, 30, 40,  50,	60,  70,
				      80, 90, 95, 99, 100, 101, 102, 103};
	/* not monotone: a peak at index 3 */
	static const double dip[16] = {0,  10, 20, 90, 40,  50,	 60,  70,
				       80, 90, 95, 99, 100, 101, 102, 103};
	struct sweep_target tg;
	struct sweep_grid g;
	struct sweep_tune t;

	(void)state;
	tune_on(up, 16, "web.usage_usec >= 50us", false, &t, &g, &tg);
	assert_int_equal(t.answer, 5);
	assert_true(t.monotone);
	/* 2 ends, then 16 -> 8 -> 4 -> 2 -> 1: at most 2 + 4 points */
	assert_true(t.npoints <= 6);
	sweep_tune_destroy(&t);
	sweep_target_destroy(&tg);
	sweep_grid_destroy(&g);
	tune_on(up, 16, "web.usage_usec <= 95us", true, &t, &g, &tg);
	assert_int_equal(t.answer, 10);
	assert_true(t.monotone);
	sweep_tune_destroy(&t);
	sweep_target_destroy(&tg);
	sweep_grid_destroy(&g);
	tune_on(up, 16, "web.usage_usec >= 1ms", false, &t, &g, &tg);
	assert_int_equal(t.answer, -1);
	sweep_tune_destroy(&t);
	sweep_target_destroy(&tg);
	sweep_grid_destroy(&g);
	/* bisection evaluates 0, 15, 7 (70), 3 (90), 1, 2: the figure falls
	 * from 90 at index 3 to 70 at index 7, and that is reported */
	tune_on(dip, 16, "web.usage_usec >= 50us", false, &t, &g, &tg);
	assert_int_equal(t.answer, 3);
	assert_int_equal(t.npoints, 6);
	assert_false(t.monotone);
	assert_int_equal(t.bad_target, 0);
	sweep_tune_destroy(&t);
	sweep_target_destroy(&tg);
	sweep_grid_destroy(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_values_lists_and_ranges),
		cmocka_unit_test(test_sweep_values_sorted_and_distinct),
		cmocka_unit_test(test_sweep_values_a_million_sorted),
		cmocka_unit_test(test_sweep_values_errors),
		cmocka_unit_test(test_sweep_paths),
		cmocka_unit_test(test_sweep_edit_messages),
		cmocka_unit_test(test_sweep_edit_sets_the_value),
		cmocka_unit_test(test_sweep_block_in_the_scenario),
		cmocka_unit_test(test_sweep_ids_and_seeds),
		cmocka_unit_test(test_sweep_set_errors),
		cmocka_unit_test(test_sweep_set_long_argument),
		cmocka_unit_test(test_sweep_vary_names_itself),
		cmocka_unit_test(test_sweep_rtapp_file_takes_no_edits),
		cmocka_unit_test(test_sweep_json_reader),
		cmocka_unit_test(test_sweep_figures),
		cmocka_unit_test(test_sweep_targets),
		cmocka_unit_test(test_sweep_shard_from_the_environment),
		cmocka_unit_test(test_sweep_merge_sorts_drops_and_reports),
		cmocka_unit_test(test_sweep_tune_bisects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
