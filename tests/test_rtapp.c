/* rt-app JSON: the loader against the equivalent YAML (identical
 * simulations), files in the shapes of rt-app's doc/tutorial.txt and
 * doc/examples with figures worked out by hand, the timer and block
 * semantics of the shared workload cursor, export then import, the YAML
 * writer, and the exact text of every refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/wlproto.h"
#include "scenarios/loader.h"
#include "scenarios/rtapp.h"
#include "scenarios/writer.h"
#include "sim/sim.h"
#include "model/workload.h"

#define MS NSEC_PER_MSEC
#define US NSEC_PER_USEC

/* With CFSSIM_FUZZ_SEEDS set to a folder, every rt-app file the tests load
 * is also written there, numbered, as seeds for the importer's fuzz target
 * (`make fuzz`); but for the few of more than 64 KiB, which would make
 * libFuzzer try inputs that large (its -max_len is the largest seed's). */
static void save_seed(const char *json)
{
	static unsigned seq;
	const char *dir = getenv("CFSSIM_FUZZ_SEEDS");
	char path[4096];
	FILE *f;

	if (!dir || strlen(json) > 64 * 1024)
		return;
	snprintf(path, sizeof(path), "%s/test-%04u.json", dir, seq++);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write fuzz seed %s", path);
	fputs(json, f);
	fclose(f);
}

static void load_as(const char *text, const char *name, struct scenario *sc)
{
	struct err err;
	char buf[1200];

	if (rtapp_is_file(name))
		save_seed(text);
	err_init(&err);
	if (scenario_load_string(text, strlen(text), name, sc, &err))
		fail_msg("unexpected error: %s",
			 err_str(&err, buf, sizeof(buf)));
}

/* sc as the YAML writer writes it (header: its comment lines, or NULL). */
static char *yaml_text(const struct scenario *sc, const char *header)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	scenario_write_yaml(f, sc, header);
	fclose(f);
	return text;
}

static void json_ok(const char *json, struct scenario *sc)
{
	load_as(json, "t.json", sc);
}

static void yaml_ok(const char *yaml, struct scenario *sc)
{
	load_as(yaml, "t.yaml", sc);
}

/* Loads json, expects failure with exactly msg and an empty scenario. */
static void check_error(const char *json, const char *msg)
{
	struct scenario sc;
	struct err err;
	char buf[1200];

	save_seed(json);
	memset(&sc, 0x5a, sizeof(sc));
	err_init(&err);
	assert_int_equal(
		scenario_load_string(json, strlen(json), "t.json", &sc, &err),
		-1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)), msg);
	assert_null(sc.groups);
	assert_null(sc.tasks);
}

static void simulate(const struct scenario *sc, struct results *r)
{
	struct sim_options opt = {0};
	struct err err;
	char buf[1200];

	err_init(&err);
	if (sim_run(sc, &opt, r, &err))
		fail_msg("sim: %s", err_str(&err, buf, sizeof(buf)));
}

/* The two files simulate to the same figures, group by group and thread
 * by thread. */
static void assert_same_sim(const char *json, const char *yaml)
{
	struct scenario a, b;
	struct results ra, rb;
	size_t i;

	json_ok(json, &a);
	yaml_ok(yaml, &b);
	simulate(&a, &ra);
	simulate(&b, &rb);
	assert_int_equal(ra.ngroups, rb.ngroups);
	assert_int_equal(ra.ntasks, rb.ntasks);
	for (i = 0; i < ra.ngroups; i++) {
		assert_string_equal(ra.groups[i].path, rb.groups[i].path);
		assert_int_equal(ra.groups[i].usage_ns, rb.groups[i].usage_ns);
	}
	for (i = 0; i < ra.ntasks; i++) {
		assert_string_equal(ra.tasks[i].name, rb.tasks[i].name);
		assert_int_equal(ra.tasks[i].runtime_ns,
				 rb.tasks[i].runtime_ns);
		assert_int_equal(ra.tasks[i].wait_ns, rb.tasks[i].wait_ns);
		assert_int_equal(ra.tasks[i].nr_switches,
				 rb.tasks[i].nr_switches);
		assert_int_equal(ra.tasks[i].nr_voluntary,
				 rb.tasks[i].nr_voluntary);
	}
	results_destroy(&ra);
	results_destroy(&rb);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

/* An rt-app file of one task "t" in taskgroup /g on CPU 0 for 1 s, whose
 * other keys are K, beside a hog "h" in /g that makes the CPU contended. */
#define J1(k)                                                       \
	"{\"global\": {\"duration\": 1},\n \"tasks\": {\n"          \
	"  \"t\": {\"taskgroup\": \"/g\", \"cpus\": [0], " k "},\n" \
	"  \"h\": {\"taskgroup\": \"/g\", \"cpus\": [0], \"run\": 100000}}}\n"
/* The same as YAML, with the task's other keys K (indented 8). */
#define Y1(k)                                                       \
	"duration: 1s\ncpus: 1\ngroups:\n  - name: g\n    tasks:\n" \
	"      - name: t\n" k "      - name: h\n        workload: hog\n"

/* ---- each event kind against the equivalent YAML ----------------------- */

static void test_rtapp_run_sleep_as_phases(void **state)
{
	(void)state;
	assert_same_sim(J1("\"run\": 2000, \"sleep\": 8000"),
			Y1("        workload: {phases: [{run: 2ms}, "
			   "{sleep: 8ms}]}\n"));
}

/* runtime is wall time in rt-app; here it is CPU time like run */
static void test_rtapp_runtime_is_cpu_time(void **state)
{
	(void)state;
	assert_same_sim(J1("\"runtime\": 3000, \"sleep\": 7000"),
			Y1("        workload: {phases: [{run: 3ms}, "
			   "{sleep: 7ms}]}\n"));
}

static void test_rtapp_repeated_keys_keep_their_order(void **state)
{
	(void)state;
	assert_same_sim(
		J1("\"run\": 1000, \"sleep\": 2000, \"run\": 3000, "
		   "\"sleep\": 4000, \"run5\": 500"),
		Y1("        workload: {phases: [{run: 1ms}, {sleep: 2ms}, "
		   "{run: 3ms}, {sleep: 4ms}, {run: 500us}]}\n"));
}

static void test_rtapp_relative_timer(void **state)
{
	(void)state;
	assert_same_sim(J1("\"run\": 3000, \"timer\": {\"ref\": \"unique\", "
			   "\"period\": 10000}"),
			Y1("        workload: {phases: [{run: 3ms}, "
			   "{timer: 10ms}]}\n"));
}

/* an absolute timer after one run, forever, is the YAML periodic kind */
static void test_rtapp_absolute_timer_is_periodic(void **state)
{
	struct scenario sc;

	(void)state;
	assert_same_sim(J1("\"run\": 3000, \"timer\": {\"ref\": \"unique\", "
			   "\"period\": 10000, \"mode\": \"absolute\"}"),
			Y1("        workload: {run: 3ms, period: 10ms}\n"));
	json_ok(J1("\"run\": 3000, \"timer\": {\"ref\": \"unique\", "
		   "\"period\": 10000, \"mode\": \"absolute\"}"),
		&sc);
	assert_int_equal(sc.tasks[0].wl.kind, WL_PERIODIC);
	assert_int_equal(sc.tasks[0].wl.period_ns, 10 * MS);
	scenario_destroy(&sc);
}

/* A run of 0 before an absolute timer never runs: not the YAML format's
 * periodic kind, which refuses a run of 0 (the import wrote one that
 * 'cfssim check' then refused, found by fuzz_rtapp), but the phases it
 * reads as, which the written YAML loads back as; the thread never runs. */
static void test_rtapp_zero_run_with_timer_stays_phases(void **state)
{
	static const char *const json =
		"{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": "
		"{\"run\": 0, \"timer\": {\"ref\": \"unique\", "
		"\"period\": 10000, \"mode\": \"absolute\"}}}}";
	struct scenario a, b;
	char *text = NULL;

	(void)state;
	json_ok(json, &a);
	assert_int_equal(a.tasks[0].wl.kind, WL_PHASES);
	assert_int_equal(a.tasks[0].wl.nphases, 2);
	assert_int_equal(a.tasks[0].wl.phases[0].len.max_ns, 0);
	text = yaml_text(&a, NULL);
	yaml_ok(text, &b);
	assert_int_equal(b.tasks[0].wl.kind, WL_PHASES);
	assert_same_sim(json, text);
	free(text);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

static void test_rtapp_absolute_timer_in_phases(void **state)
{
	(void)state;
	assert_same_sim(
		J1("\"run\": 3000, \"sleep\": 1000, \"timer\": "
		   "{\"ref\": \"unique\", \"period\": 10000, "
		   "\"mode\": \"absolute\"}"),
		Y1("        workload: {phases: [{run: 3ms}, {sleep: 1ms}, "
		   "{timer: 10ms, mode: absolute}]}\n"));
}

static void test_rtapp_priority_delay_slice(void **state)
{
	(void)state;
	assert_same_sim(
		J1("\"priority\": 5, \"delay\": 20000, "
		   "\"dl-runtime\": 500, \"run\": 2000, \"sleep\": 1000"),
		Y1("        nice: 5\n        slice: 500us\n"
		   "        workload: {start: 20ms, phases: [{run: 2ms}, "
		   "{sleep: 1ms}]}\n"));
}

/* thread loop N runs the phases N times; a phase loop repeats it */
static void test_rtapp_phase_loops_as_blocks(void **state)
{
	(void)state;
	assert_same_sim(
		J1("\"loop\": 3, \"phases\": {\"a\": {\"loop\": 4, "
		   "\"run\": 1000, \"sleep\": 1000}, \"b\": {\"sleep\": 5000}}"),
		Y1("        workload:\n          loop: 3\n          phases:\n"
		   "            - loop: 4\n              phases: [{run: 1ms}, "
		   "{sleep: 1ms}]\n            - {sleep: 5ms}\n"));
}

/* instances with a unique timer each: the YAML count */
static void test_rtapp_instances_unique_timers(void **state)
{
	(void)state;
	assert_same_sim(J1("\"instance\": 3, \"run\": 2000, \"timer\": "
			   "{\"ref\": \"unique\", \"period\": 5000}"),
			Y1("        count: 3\n        workload: {phases: "
			   "[{run: 2ms}, {timer: 5ms}]}\n"));
}

/* ---- files in the shapes rt-app's documentation gives ------------------ */

/* doc/examples/tutorial/example2.json: 10 ms every 100 ms, alone, for 2 s:
 * activations at 0, 100, ... 1900 ms, 20 x 10 ms = 200 ms of CPU */
static void test_rtapp_tutorial_periodic(void **state)
{
	static const char json[] =
		"{\n\t/*\n\t * Simple use case which creates 10% load\n"
		"\t * until the use case is stopped with Ctrl+C\n\t */\n"
		"\t\"tasks\" : {\n\t\t\"thread0\" : {\n"
		"\t\t\t\"instance\" : 1,\n\t\t\t\"loop\" : -1,\n"
		"\t\t\t\"run\" :   10000,\n"
		"\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : 100000 }\n"
		"\t\t}\n\t},\n\t\"global\" : {\n\t\t\"duration\" : 2,\n"
		"\t\t\"calibration\" : \"CPU0\",\n"
		"\t\t\"default_policy\" : \"SCHED_OTHER\",\n"
		"\t\t\"pi_enabled\" : false,\n\t\t\"lock_pages\" : false,\n"
		"\t\t\"logdir\" : \"./\",\n\t\t\"log_basename\" : \"rt-app2\",\n"
		"\t\t\"ftrace\" : \"main,task,loop,event\",\n"
		"\t\t\"gnuplot\" : true\n\t}\n}\n";
	struct scenario sc;
	struct results r;

	(void)state;
	json_ok(json, &sc);
	assert_int_equal(sc.duration_ns, 2000 * MS);
	assert_int_equal(sc.ngroups, 1);
	assert_string_equal(sc.groups[0].path, "rt-app");
	/* the loop key in a thread without phases is the phase's loop: -1
	 * makes it run forever */
	assert_int_equal(sc.tasks[0].wl.kind, WL_PHASES);
	assert_int_equal(sc.tasks[0].wl.loop, 0);
	simulate(&sc, &r);
	assert_int_equal(r.tasks[0].runtime_ns, 200 * MS);
	assert_int_equal(r.tasks[0].nr_voluntary, 20);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* doc/examples/tutorial/example3.json: 12 instances, thread loop 1, light
 * (10 x 3 ms per 30 ms) then heavy (10 x 27 ms per 30 ms); duration -1
 * ends when they do.  CPU per thread 10 x 3 + 10 x 27 = 300 ms; the bound
 * of the end is 600 ms of timer periods + 12 x 300 ms = 4200 ms, and
 * duration -1 gives the next whole ms, 4201 ms.  On one CPU (cpus [0])
 * the 12 threads need 3.6 s of CPU, so each gets its 300 ms. */
static void test_rtapp_tutorial_phases_until_done(void **state)
{
	static const char json[] =
		"{\n\t\"tasks\" : {\n\t\t\"thread0\" : {\n"
		"\t\t\t\"instance\" : 12,\n\t\t\t\"loop\" : 1,\n"
		"\t\t\t\"cpus\" : [0],\n"
		"\t\t\t\"phases\" : {\n\t\t\t\t\"light\" : {\n"
		"\t\t\t\t\t\"loop\" : 10,\n\t\t\t\t\t\"run\" :   3000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"30000 }\n\t\t\t\t},\n\t\t\t\t\"heavy\" : {\n"
		"\t\t\t\t\t\"loop\" : 10,\n\t\t\t\t\t\"run\" :   27000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"30000 }\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n";
	struct scenario sc;
	struct results r;
	size_t i;

	(void)state;
	json_ok(json, &sc);
	assert_int_equal(sc.cpus, 1);
	assert_int_equal(sc.duration_ns, 4201 * MS);
	assert_int_equal(sc.tasks[0].count, 12);
	assert_int_equal(sc.tasks[0].wl.loop, 1);
	assert_int_equal(sc.tasks[0].wl.nphases, 6);
	assert_int_equal(sc.tasks[0].wl.phases[0].kind, PHASE_BLOCK);
	assert_int_equal(sc.tasks[0].wl.phases[0].loop, 10);
	assert_int_equal(sc.tasks[0].wl.phases[0].nchildren, 2);
	assert_int_equal(sc.tasks[0].wl.ntimers, 1);
	simulate(&sc, &r);
	for (i = 0; i < 12; i++)
		assert_int_equal(r.tasks[i].runtime_ns, 300 * MS);
	assert_int_equal(r.groups[0].usage_ns, 3600 * MS);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* doc/examples/tutorial/example10.json and a tree: nested taskgroup paths
 * become nested groups, in pre-order, siblings in file order. */
static void test_rtapp_taskgroup_tree(void **state)
{
	static const char json[] =
		"{\"global\": {\"duration\": 2},\n\"tasks\": {\n"
		"\"a\": {\"run\": 20000, \"sleep\": 80000, "
		"\"taskgroup\": \"/tg1/tg11\"},\n"
		"\"b\": {\"run\": 20000, \"taskgroup\": \"/tg2\"},\n"
		"\"c\": {\"phases\": {\"p\": {\"taskgroup\": \"/tg1/tg12/\", "
		"\"run\": 1000}}},\n"
		"\"d\": {\"run\": 20000, \"taskgroup\": \"/tg1\"}}}\n";
	struct scenario sc;

	(void)state;
	json_ok(json, &sc);
	assert_int_equal(sc.ngroups, 4);
	assert_string_equal(sc.groups[0].path, "tg1");
	assert_string_equal(sc.groups[1].path, "tg1/tg11");
	assert_string_equal(sc.groups[2].path, "tg1/tg12");
	assert_string_equal(sc.groups[3].path, "tg2");
	assert_int_equal(sc.groups[1].parent, 0);
	assert_int_equal(sc.groups[2].parent, 0);
	assert_int_equal(sc.groups[3].parent, -1);
	assert_int_equal(sc.tasks[0].group, 1);
	assert_int_equal(sc.tasks[1].group, 3);
	assert_int_equal(sc.tasks[2].group, 2);
	assert_int_equal(sc.tasks[3].group, 0);
	scenario_destroy(&sc);
}

/* doc/examples/spreading-tasks.json: phases named twice ("heavy1") are
 * kept in order, as workgen renames them; 2 threads of 1 ms and 7 ms per
 * 10 ms phases on 2 CPUs never wait for each other: thread1 runs 300 x
 * 1 ms + 300 x 7 ms = 2.4 s per 6 s pass, 60 s = 10 passes, 24 s. */
static void test_rtapp_spreading_tasks(void **state)
{
	static const char json[] =
		"{\n\t\"tasks\" : {\n\t\t\"thread1\" : {\n"
		"\t\t\t\"instance\" : 1,\n\t\t\t\"loop\" : -1,\n"
		"\t\t\t\"cpus\" : [0, 1],\n"
		"\t\t\t\"phases\" : {\n"
		"\t\t\t\t\"light\" : {\"loop\" : 300, \"run\" : 1000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"10000 }\n\t\t\t\t},\n"
		"\t\t\t\t\"heavy\" : {\"loop\" : 300, \"run\" : 7000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"10000 }\n\t\t\t\t}\n\t\t\t}\n\t\t},\n"
		"\t\t\"thread2\" : {\n\t\t\t\"cpus\" : [0, 1],\n"
		"\t\t\t\"phases\" : {\n"
		"\t\t\t\t\"heavy1\" : {\"loop\" : 600, \"run\" : 7000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"10000 }},\n"
		"\t\t\t\t\"heavy1\" : {\"loop\" : 300, \"run\" : 1000,\n"
		"\t\t\t\t\t\"timer\" : { \"ref\" : \"unique\", \"period\" : "
		"10000 }},\n\t\t\t}\n\t\t}\n\t},\n"
		"\t\"global\" : {\n\t\t\"duration\" : 60,\n"
		"\t\t\"default_policy\" : \"SCHED_OTHER\",\n"
		"\t\t\"calibration\" : \"CPU0\"\n\t}\n}\n";
	struct scenario sc;
	struct results r;

	(void)state;
	json_ok(json, &sc);
	assert_int_equal(sc.cpus, 2);
	assert_int_equal(sc.tasks[1].wl.nphases, 6);
	assert_int_equal(sc.tasks[1].wl.phases[0].loop, 600);
	assert_int_equal(sc.tasks[1].wl.phases[3].loop, 300);
	simulate(&sc, &r);
	assert_int_equal(r.tasks[0].runtime_ns, 24000 * MS);
	/* thread2: 600 x 7 + 300 x 1 = 4.5 s per 9 s pass, 60 s = 6 passes
	 * (27 s) and 6 s of a 7th: 600 x 7 ms = 4.2 s, so 31.2 s */
	assert_int_equal(r.tasks[1].runtime_ns, 31200 * MS);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* no taskgroup anywhere: one group "rt-app"; cpus of this machine */
static void test_rtapp_without_taskgroups(void **state)
{
	struct scenario sc;

	(void)state;
	json_ok("{\"tasks\": {\"a\": {\"run\": 10, \"loop\": 5}}}", &sc);
	assert_int_equal(sc.ngroups, 1);
	assert_string_equal(sc.groups[0].name, "rt-app");
	assert_string_equal(sc.name, "t");
	assert_int_equal(sc.tasks[0].wl.loop, 1);
	assert_int_equal(sc.tasks[0].wl.phases[0].kind, PHASE_BLOCK);
	assert_int_equal(sc.tasks[0].wl.phases[0].loop, 5);
	/* duration -1 (the default): 5 x 10 us of CPU, + 1 ms */
	assert_int_equal(sc.duration_ns, 1 * MS);
	scenario_destroy(&sc);
}

/* rt-app's legacy grammar: a thread's "runtime" key is also its
 * dl-runtime, so on SCHED_OTHER a custom slice (kernel-clamped) */
static void test_rtapp_thread_runtime_is_also_slice(void **state)
{
	struct scenario sc;

	(void)state;
	json_ok("{\"global\": {\"duration\": 1}, \"tasks\": {\"a\": "
		"{\"runtime\": 20, \"sleep\": 1000}}}",
		&sc);
	assert_int_equal(sc.tasks[0].slice_ns, 100 * US);
	assert_int_equal(sc.tasks[0].wl.phases[0].len.min_ns, 20 * US);
	scenario_destroy(&sc);
	json_ok("{\"global\": {\"duration\": 1}, \"tasks\": {\"a\": "
		"{\"runtime\": 20, \"dl-runtime\": 3000, \"sleep\": 1000}}}",
		&sc);
	assert_int_equal(sc.tasks[0].slice_ns, 3 * MS);
	scenario_destroy(&sc);
}

/* ---- the cursor: timers and blocks ------------------------------------- */

static void step_is(struct wl_cursor *c, uint64_t now, enum wl_step_kind k,
		    uint64_t ns)
{
	struct wl_step s;

	wl_next(c, now, &s);
	assert_int_equal(s.kind, k);
	assert_int_equal(s.ns, ns);
}

/* run 5 ms, timer 10 ms; the first run ends late, at 12 ms.  Relative:
 * the expiry (10) has passed, so it restarts from now (12) and the next
 * is 22.  Absolute: the grid stays, the next is 20. */
static void test_wl_timer_late_relative_and_absolute(void **state)
{
	struct wl_phase ph[2] = {
		{.kind = PHASE_RUN, .len = {5 * MS, 5 * MS}},
		{.kind = PHASE_TIMER, .len = {10 * MS, 10 * MS}},
	};
	struct workload wl = {.kind = WL_PHASES, .phases = ph, .nphases = 2};
	struct wl_cursor c;

	(void)state;
	wl_cursor_init(&c, &wl, 1, 0, 0);
	step_is(&c, 0, WL_STEP_RUN, 5 * MS);
	step_is(&c, 12 * MS, WL_STEP_RUN, 5 * MS);
	step_is(&c, 17 * MS, WL_STEP_SLEEP_UNTIL, 22 * MS);
	ph[1].absolute = true;
	wl_cursor_init(&c, &wl, 1, 0, 0);
	step_is(&c, 0, WL_STEP_RUN, 5 * MS);
	step_is(&c, 12 * MS, WL_STEP_RUN, 5 * MS);
	step_is(&c, 17 * MS, WL_STEP_SLEEP_UNTIL, 20 * MS);
	step_is(&c, 20 * MS, WL_STEP_RUN, 5 * MS);
	step_is(&c, 25 * MS, WL_STEP_SLEEP_UNTIL, 30 * MS);
}

/* the expiry starts at the thread's start (rt-app's t_first + delay) */
static void test_wl_timer_starts_at_thread_start(void **state)
{
	struct wl_phase ph[2] = {
		{.kind = PHASE_RUN, .len = {1 * MS, 1 * MS}},
		{.kind = PHASE_TIMER, .len = {10 * MS, 10 * MS}},
	};
	struct workload wl = {.kind = WL_PHASES,
			      .phases = ph,
			      .nphases = 2,
			      .start_ns = 5 * MS};
	struct wl_cursor c;

	(void)state;
	wl_cursor_init(&c, &wl, 1, 0, 0);
	step_is(&c, 5 * MS, WL_STEP_RUN, 1 * MS);
	step_is(&c, 6 * MS, WL_STEP_SLEEP_UNTIL, 15 * MS);
}

/* [block x2 {run 1, sleep 2}], run 3, looped twice, then the end */
static void test_wl_block_repeats_then_moves_on(void **state)
{
	struct wl_phase ph[4] = {
		{.kind = PHASE_BLOCK, .loop = 2, .nchildren = 2},
		{.kind = PHASE_RUN, .len = {1 * MS, 1 * MS}},
		{.kind = PHASE_SLEEP, .len = {2 * MS, 2 * MS}},
		{.kind = PHASE_RUN, .len = {3 * MS, 3 * MS}},
	};
	struct workload wl = {
		.kind = WL_PHASES, .phases = ph, .nphases = 4, .loop = 2};
	struct wl_cursor c;
	unsigned pass;
	uint64_t t = 0;

	(void)state;
	wl_cursor_init(&c, &wl, 1, 0, 0);
	for (pass = 0; pass < 2; pass++) {
		step_is(&c, t, WL_STEP_RUN, 1 * MS);
		step_is(&c, t + 1 * MS, WL_STEP_SLEEP_UNTIL, t + 3 * MS);
		step_is(&c, t + 3 * MS, WL_STEP_RUN, 1 * MS);
		step_is(&c, t + 4 * MS, WL_STEP_SLEEP_UNTIL, t + 6 * MS);
		step_is(&c, t + 6 * MS, WL_STEP_RUN, 3 * MS);
		t += 9 * MS;
	}
	step_is(&c, t, WL_STEP_EXIT, 0);
}

/* the real workload program gets timers and blocks through the protocol */
static void test_wlproto_carries_timers_and_blocks(void **state)
{
	static const char yaml[] =
		"duration: 1s\ngroups:\n  - name: g\n    tasks:\n"
		"      - name: t\n        workload:\n          phases:\n"
		"            - loop: 3\n              phases: [{run: 1ms}, "
		"{timer: 4ms, ref: a, mode: absolute}]\n"
		"            - {timer: 2ms}\n";
	struct wlproto_spec spec;
	struct scenario sc;
	struct err err;
	char *text, *line, *save = NULL;

	(void)state;
	yaml_ok(yaml, &sc);
	text = wlproto_format_spec(&sc, 0, 1, NSEC_PER_SEC, 0);
	wlproto_spec_init(&spec);
	err_init(&err);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_int_equal(wlproto_parse_spec_line(&spec, line, &err), 0);
	assert_int_equal(spec.ntasks, 1);
	assert_int_equal(spec.tasks[0].wl.nphases, 4);
	assert_int_equal(spec.tasks[0].wl.phases[0].kind, PHASE_BLOCK);
	assert_int_equal(spec.tasks[0].wl.phases[0].loop, 3);
	assert_int_equal(spec.tasks[0].wl.phases[0].nchildren, 2);
	assert_int_equal(spec.tasks[0].wl.phases[2].kind, PHASE_TIMER);
	assert_int_equal(spec.tasks[0].wl.phases[2].len.min_ns, 4 * MS);
	assert_true(spec.tasks[0].wl.phases[2].absolute);
	assert_int_equal(spec.tasks[0].wl.phases[2].timer, 0);
	assert_int_equal(spec.tasks[0].wl.phases[3].timer, 1);
	assert_false(spec.tasks[0].wl.phases[3].absolute);
	wlproto_spec_destroy(&spec);
	free(text);
	scenario_destroy(&sc);
}

/* ---- export, import, the YAML writer ----------------------------------- */

static char *export_text(const struct scenario *sc)
{
	struct err err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	char buf[1200];

	assert_non_null(f);
	err_init(&err);
	if (rtapp_write(f, sc, &err))
		fail_msg("export: %s", err_str(&err, buf, sizeof(buf)));
	fclose(f);
	return text;
}

static void assert_same_workload(const struct workload *a,
				 const struct workload *b)
{
	size_t i;

	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->start_ns, b->start_ns);
	assert_int_equal(a->loop, b->loop);
	assert_int_equal(a->run.min_ns, b->run.min_ns);
	assert_int_equal(a->run.max_ns, b->run.max_ns);
	assert_int_equal(a->period_ns, b->period_ns);
	assert_int_equal(a->nphases, b->nphases);
	for (i = 0; i < a->nphases; i++) {
		const struct wl_phase *p = &a->phases[i], *q = &b->phases[i];

		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->len.min_ns, q->len.min_ns);
		assert_int_equal(p->len.max_ns, q->len.max_ns);
		assert_int_equal(p->loop, q->loop);
		assert_int_equal(p->nchildren, q->nchildren);
		assert_int_equal(p->absolute, q->absolute);
		if (p->kind == PHASE_TIMER)
			assert_string_equal(a->timer_refs[p->timer],
					    b->timer_refs[q->timer]);
	}
}

/* Same tasks, workloads, group tree, duration and CPUs. */
static void assert_same_scenario(const struct scenario *a,
				 const struct scenario *b, bool knobs)
{
	size_t i;

	assert_int_equal(a->duration_ns, b->duration_ns);
	assert_int_equal(a->cpus, b->cpus);
	assert_int_equal(a->ngroups, b->ngroups);
	for (i = 0; i < a->ngroups; i++) {
		assert_string_equal(a->groups[i].path, b->groups[i].path);
		assert_int_equal(a->groups[i].parent, b->groups[i].parent);
		if (!knobs)
			continue;
		assert_int_equal(a->groups[i].shares, b->groups[i].shares);
		assert_int_equal(a->groups[i].weight, b->groups[i].weight);
		assert_int_equal(a->groups[i].has_quota,
				 b->groups[i].has_quota);
		assert_int_equal(a->groups[i].quota_ns, b->groups[i].quota_ns);
		assert_int_equal(a->groups[i].period_ns,
				 b->groups[i].period_ns);
		assert_int_equal(a->groups[i].burst_ns, b->groups[i].burst_ns);
		assert_int_equal(a->groups[i].cpus_mask,
				 b->groups[i].cpus_mask);
		assert_int_equal(a->groups[i].k8s.set, b->groups[i].k8s.set);
	}
	assert_int_equal(a->ntasks, b->ntasks);
	for (i = 0; i < a->ntasks; i++) {
		assert_string_equal(a->tasks[i].name, b->tasks[i].name);
		assert_int_equal(a->tasks[i].group, b->tasks[i].group);
		assert_int_equal(a->tasks[i].count, b->tasks[i].count);
		assert_int_equal(a->tasks[i].nice, b->tasks[i].nice);
		assert_int_equal(a->tasks[i].slice_ns, b->tasks[i].slice_ns);
		assert_same_workload(&a->tasks[i].wl, &b->tasks[i].wl);
	}
}

static const char every_shape[] =
	"duration: 3s\ncpus: 2\ngroups:\n"
	"  - name: web\n    groups:\n      - name: front\n        tasks:\n"
	"          - {name: hog, count: 2, nice: -3}\n"
	"          - name: tick\n            slice: 300us\n"
	"            workload: {run: 2ms, period: 10ms, start: 40ms}\n"
	"  - name: batch\n    tasks:\n"
	"      - name: steps\n        workload:\n          loop: 7\n"
	"          phases:\n            - {run: 1ms}\n"
	"            - loop: 30\n              phases:\n"
	"                - {run: 2ms}\n                - {sleep: 1ms}\n"
	"                - {timer: 5ms, mode: absolute}\n"
	"            - {timer: 20ms, ref: uniqueB}\n"
	"      - name: late\n        workload: {start: 1s}\n";

static void test_rtapp_export_then_import(void **state)
{
	struct scenario a, b;
	char *json;

	(void)state;
	yaml_ok(every_shape, &a);
	json = export_text(&a);
	json_ok(json, &b);
	assert_same_scenario(&a, &b, false);
	free(json);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

/* a name in two groups gets its group path; a ref not starting "unique"
 * gets the prefix, as rt-app shares other refs between threads */
static void test_rtapp_export_names_and_refs(void **state)
{
	struct scenario a, b;
	char *json;

	(void)state;
	yaml_ok("duration: 1s\ngroups:\n"
		"  - {name: x, tasks: [{name: w, workload: {phases: "
		"[{run: 1ms}, {timer: 3ms, ref: t1}]}}]}\n"
		"  - {name: y, groups: [{name: z, tasks: [{name: w}]}]}\n",
		&a);
	json = export_text(&a);
	assert_non_null(strstr(json, "\"x.w\": {"));
	assert_non_null(strstr(json, "\"y.z.w\": {"));
	assert_non_null(strstr(json, "\"ref\": \"unique_t1\""));
	json_ok(json, &b);
	assert_string_equal(b.tasks[0].name, "x.w");
	assert_string_equal(b.tasks[1].name, "y.z.w");
	free(json);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

static void check_export_error(const char *yaml, const char *msg)
{
	struct scenario sc;
	struct err err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	char buf[1200];

	yaml_ok(yaml, &sc);
	err_init(&err);
	assert_int_equal(rtapp_write(f, &sc, &err), -1);
	fclose(f);
	assert_int_equal(len, 0); /* nothing half-written */
	assert_string_equal(err_str(&err, buf, sizeof(buf)), msg);
	free(text);
	scenario_destroy(&sc);
}

static void test_rtapp_export_refusals(void **state)
{
	(void)state;
	check_export_error("duration: 1500ms\ngroups: [{name: g, tasks: "
			   "[{name: t}]}]\n",
			   "duration 1.5s is not a whole number of seconds, "
			   "which rt-app needs");
	check_export_error("duration: 1s\ngroups: [{name: g, tasks: [{name: "
			   "t, workload: {phases: [{run: {min: 1ms, max: "
			   "2ms}}]}}]}]\n",
			   "task 't' has a random length, which rt-app cannot "
			   "express");
	check_export_error("duration: 1s\ngroups: [{name: g, tasks: [{name: "
			   "t, workload: {run: 1500ns, period: 1ms}}]}]\n",
			   "task 't': 1500ns is not a whole number of "
			   "microseconds, which rt-app needs");
}

/* A timer's rt-app ref is "unique_" and its name (a name starting with
 * "unique" as it is): the importer takes refs of at most 64 characters, and
 * "a" and "unique_a" would become one timer.  Found by the rt-app fuzz
 * target: a 64-character ref imported, and its export did not. */
#define R64 "r123456789012345678901234567890123456789012345678901234567890123"

static void test_rtapp_export_refuses_refs_it_cannot_keep(void **state)
{
	(void)state;
	/* 64 characters import; "unique_" + 64 would not */
	check_export_error("duration: 1s\ngroups: [{name: g, tasks: [{name: "
			   "t, workload: {phases: [{run: 1ms}, {timer: 5ms, "
			   "ref: " R64 "}]}}]}]\n",
			   "task 't': timer '" R64 "' would be the rt-app ref "
			   "'unique_" R64 "', longer than 64 characters");
	check_export_error("duration: 1s\ngroups: [{name: g, tasks: [{name: "
			   "t, workload: {phases: [{run: 1ms}, {timer: 5ms, "
			   "ref: a}, {run: 1ms}, {timer: 7ms, ref: "
			   "unique_a}]}}]}]\n",
			   "task 't': timers 'a' and 'unique_a' would both be "
			   "the rt-app ref 'unique_a'");
	/* the first task's name was not checked for length: "g.w" is its
	 * own, the 67 characters of R64 + ".w" are not */
	check_export_error("duration: 1s\ngroups: [{name: " R64 ", tasks: "
			   "[{name: w}]}, {name: g, tasks: [{name: w}]}]\n",
			   "task 'w' in group '" R64 "' has no rt-app name of "
			   "its own ('" R64 ".w')");
}

/* the YAML writer gives back every key it knows, knobs included */
static void test_writer_round_trip(void **state)
{
	static const char yaml[] =
		"duration: 2500ms\ncpus: 4\nseed: 9\n"
		"kernel: {version: \"6.10\", hz: 1000, bandwidth_slice: 3ms, "
		"online_cpus: 8}\n"
		"groups:\n"
		"  - name: a\n    weight: 50\n    quota: 30ms\n    period: 50ms\n"
		"    burst: 10ms\n    cpus: \"1-2\"\n    tasks:\n"
		"      - {name: t, count: 3, nice: 7, workload: {phases: "
		"[{run: {min: 1ms, max: 3ms}}, {sleep: 1500us}], loop: 4}}\n"
		"    groups:\n      - name: b\n        shares: 300\n"
		"        tasks: [{name: u}]\n"
		"  - name: pod\n    k8s: {request: 250m, limit: 500m}\n"
		"    tasks: [{name: v, workload: {start: 1ms}}]\n";
	struct scenario a, b;
	char *text = NULL;

	(void)state;
	yaml_ok(yaml, &a);
	text = yaml_text(&a, "a header\nof two lines");
	assert_memory_equal(text, "# a header\n# of two lines\n", 26);
	yaml_ok(text, &b);
	assert_same_scenario(&a, &b, true);
	assert_int_equal(b.seed, 9);
	assert_string_equal(b.kernel.version, "6.10");
	assert_int_equal(b.kernel.hz, 1000);
	assert_int_equal(b.kernel.bandwidth_slice_ns, 3 * MS);
	assert_int_equal(b.kernel.online_cpus, 8);
	assert_int_equal(b.groups[2].k8s.request_m, 250);
	assert_int_equal(b.groups[2].k8s.limit_m, 500);
	free(text);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

/* A name "-" (a valid name) is written quoted: plain, YAML reads it as a
 * sequence entry.  Found by the rt-app fuzz target: taskgroup "/-" imported
 * to YAML that did not load. */
static void test_writer_quotes_a_dash(void **state)
{
	static const char yaml[] =
		"name: \"-\"\nduration: 1s\ngroups: [{name: \"-\", tasks: "
		"[{name: \"-\", workload: {phases: [{run: 1ms}, {timer: 5ms, "
		"ref: \"-\"}]}}]}]\n";
	struct scenario a, b;
	char *text = NULL;

	(void)state;
	yaml_ok(yaml, &a);
	text = yaml_text(&a, NULL);
	assert_non_null(strstr(text, "name: \"-\"\n"));
	assert_non_null(strstr(text, "  - name: \"-\"\n"));
	assert_non_null(strstr(text, "ref: \"-\"}"));
	yaml_ok(text, &b);
	assert_string_equal(b.name, "-");
	assert_string_equal(b.groups[0].name, "-");
	assert_string_equal(b.tasks[0].name, "-");
	assert_string_equal(b.tasks[0].wl.timer_refs[0], "-");
	free(text);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

/* ---- YAML keys for timers and blocks ------------------------------------ */

#define YT(ph)                                                              \
	"duration: 1s\ngroups:\n  - name: g\n    tasks:\n      - name: t\n" \
	"        workload: {phases: [" ph "]}\n"

static void check_yaml_error(const char *yaml, const char *msg)
{
	struct scenario sc;
	struct err err;
	char buf[1200];

	err_init(&err);
	assert_int_equal(
		scenario_load_string(yaml, strlen(yaml), "t.yaml", &sc, &err),
		-1);
	assert_string_equal(err_str(&err, buf, sizeof(buf)), msg);
}

static void test_yaml_timer_and_block_errors(void **state)
{
	(void)state;
	check_yaml_error(YT("{timer: 1ms, run: 1ms}"),
			 "t.yaml:6:42: 'run' cannot be combined with 'timer'");
	check_yaml_error(YT("{run: 1ms, ref: a}"),
			 "t.yaml:6:40: 'ref' needs 'timer'");
	check_yaml_error(YT("{timer: 1ms, mode: late}"),
			 "t.yaml:6:48: 'mode' must be absolute or relative, "
			 "not 'late'");
	check_yaml_error(YT("{timer: 0ms}"),
			 "t.yaml:6:37: 'timer' must be between 1us and 1h");
	check_yaml_error(YT("{loop: 2, phases: [{loop: 2, phases: [{run: "
			    "1ms}]}]}"),
			 "t.yaml:6:58: blocks of phases do not nest");
	check_yaml_error(YT("{loop: 2, phases: [{run: 0ms}]}"),
			 "t.yaml:6:47: a repeated block must take at least "
			 "1us per loop");
	check_yaml_error(YT("{loop: 0, phases: [{run: 1ms}]}"),
			 "t.yaml:6:36: 'loop' must be between 1 and "
			 "1000000000");
	check_yaml_error(YT("{loop: 2, run: 1ms}"),
			 "t.yaml:6:30: 'loop' needs 'phases'");
	check_yaml_error(YT("{timer: 1ms, ref: a}, {timer: 1ms, ref: b}, "
			    "{timer: 1ms, ref: c}, {timer: 1ms, ref: d}, "
			    "{timer: 1ms, ref: e}, {timer: 1ms, ref: f}, "
			    "{timer: 1ms, ref: g}, {timer: 1ms, ref: h}, "
			    "{timer: 1ms, ref: i}"),
			 "t.yaml:6:223: more than 8 timers in one workload");
}

/* a block of loop 1 is its phases in place (as rt-app's phase loop 1) */
static void test_yaml_block_once_is_flat(void **state)
{
	struct scenario sc;

	(void)state;
	yaml_ok(YT("{loop: 1, phases: [{run: 1ms}, {sleep: 1ms}]}"), &sc);
	assert_int_equal(sc.tasks[0].wl.nphases, 2);
	assert_int_equal(sc.tasks[0].wl.phases[0].kind, PHASE_RUN);
	scenario_destroy(&sc);
}

/* ---- refusals and errors ------------------------------------------------ */

#define JT(k) "{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": {" k "}}}"

static void test_rtapp_refused_events(void **state)
{
	static const char *const events[] = {
		"lock",	   "unlock", "wait",	 "signal",   "broad", "sync",
		"suspend", "resume", "memrun",	 "mem",	     "iorun", "yield",
		"barrier", "fork",   "sem_post", "sem_wait",
	};
	char json[256], msg[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(json, sizeof(json), JT("\"run\": 10, \"%s1\": \"x\""),
			 events[i]);
		snprintf(msg, sizeof(msg),
			 "t.json:1:56: rt-app event '%s' is not supported",
			 events[i]);
		check_error(json, msg);
	}
}

static void test_rtapp_refused_policies(void **state)
{
	static const char *const policies[] = {
		"SCHED_FIFO",  "SCHED_RR",   "SCHED_DEADLINE",
		"SCHED_BATCH", "SCHED_IDLE",
	};
	char json[256], msg[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		snprintf(json, sizeof(json),
			 JT("\"run\": 10, \"policy\": \"%s\""), policies[i]);
		snprintf(msg, sizeof(msg),
			 "t.json:1:66: rt-app policy '%s' is not supported",
			 policies[i]);
		check_error(json, msg);
	}
	check_error("{\"global\": {\"default_policy\": \"SCHED_RR\"}, "
		    "\"tasks\": {}}",
		    "t.json:1:31: rt-app policy 'SCHED_RR' is not supported");
}

struct err_case {
	const char *json;
	const char *msg;
};

/* Each error with its exact text; the column is that of the value or key
 * the message is about, counted by hand from the text. */
static const struct err_case err_cases[] = {
	{"{\"tasks\": {} # x\n}",
	 "t.json:1:14: invalid json: '#' outside a string"},
	{"{\"tasks\": {}}\n/* open",
	 "t.json:2:1: invalid json: comment not closed"},
	{"{'tasks': {}}",
	 "t.json:1:2: invalid json: strings need double quotes"},
	{"{\"tasks\": foo}",
	 "t.json:1:11: invalid json: 'foo' is not a value (strings need double quotes)"},
	{"[1]", "t.json:1:1: an rt-app file must be a json object"},
	{"", "t.json:1:1: rt-app file is empty"},
	{"{\"global\": {}}", "t.json:1:1: rt-app file needs 'tasks'"},
	{"{\"tasks\": {}, \"task\": {}}",
	 "t.json:1:15: unknown key 'task' in rt-app file"},
	{"{\"tasks\": {\"t\": {\"run\": 10 \"sleep\": 5}}}",
	 "t.json:1:25: invalid json: missing ',' after '10'"},
	{"{\"tasks\": {}} {}",
	 "t.json:1:15: invalid json: text after the end of the top-level object"},
	{"{1: 2}", "t.json:1:2: invalid json: object keys must be strings"},
	{"{\"tasks\": {}}", "t.json:1:11: rt-app file has no tasks to run"},
	{"{\"tasks\": []}", "t.json:1:11: 'tasks' must be an object"},
	{JT("\"run\": 10, \"nice\": 3"),
	 "t.json:1:56: unknown key 'nice' in rt-app task"},
	{JT("\"run\": 10, \"util_min\": 3"),
	 "t.json:1:56: rt-app key 'util_min' is not supported"},
	{JT("\"run\": 10, \"dl-period\": 3"),
	 "t.json:1:56: rt-app key 'dl-period' is not supported"},
	{JT("\"run\": 1.5"), "t.json:1:52: 'run' must be an integer"},
	{JT("\"sleep\": -1"),
	 "t.json:1:54: 'sleep' must be between 0 and 3600000000"},
	{JT("\"run\": \"10\""), "t.json:1:52: 'run' must be an integer"},
	{JT("\"run\": 10, \"loop\": 0"),
	 "t.json:1:64: 'loop' must be -1 (forever) or at least 1"},
	{JT("\"run\": 10, \"instance\": 5000"),
	 "t.json:1:68: 'instance' must be between 0 and 4096"},
	{JT("\"run\": 10, \"priority\": 20"),
	 "t.json:1:68: 'priority' must be between -20 and 19"},
	{JT("\"run\": 0"),
	 "t.json:1:39: rt-app task 't' loops forever but takes no time per loop"},
	{"{\"global\": {\"duration\": 0}, \"tasks\": {}}",
	 "t.json:1:25: 'duration' must be -1 (until the tasks end) or 1 to 3600 seconds"},
	{"{\"global\": {\"duration\": -1}, \"tasks\": {\"t\": {\"run\": 1}}}",
	 "t.json:1:25: rt-app task 't' loops forever, so 'duration' must be given (not -1)"},
	{"{\"global\": []}", "t.json:1:12: 'global' must be an object"},
	{JT("\"instance\": 2, \"run\": 10, \"timer\": {\"ref\": \"tick\", \"period\": 100}"),
	 "t.json:1:88: rt-app timer 'tick' is shared by several threads, which is not supported (a ref starting with \"unique\" gives each thread its own)"},
	{"{\"global\": {\"duration\": 1}, \"tasks\": {\"a\": {\"run\": 1, \"timer\": {\"ref\": \"tk\", \"period\": 9}}, \"b\": {\"run\": 1, \"timer\": {\"ref\": \"tk\", \"period\": 9}}}}",
	 "t.json:1:126: rt-app timer 'tk' is shared by several threads, which is not supported (a ref starting with \"unique\" gives each thread its own)"},
	{JT("\"run\": 10, \"timer\": {\"ref\": \"unique\"}"),
	 "t.json:1:65: rt-app timer needs a 'period'"},
	{JT("\"run\": 10, \"timer\": {\"period\": 5}"),
	 "t.json:1:65: rt-app timer needs a 'ref'"},
	{JT("\"run\": 10, \"timer\": {\"ref\": \"u\", \"period\": 5, \"at\": 1}"),
	 "t.json:1:91: unknown key 'at' in rt-app timer"},
	{JT("\"run\": 10, \"timer\": {\"ref\": \"u\", \"period\": 5, \"mode\": \"late\"}"),
	 "t.json:1:99: 'mode' must be \"absolute\" or \"relative\", not 'late'"},
	{JT("\"run\": 10, \"timer\": 5"),
	 "t.json:1:65: 'timer' must be an object {\"ref\", \"period\"}"},
	{JT("\"run\": 10, \"cpus\": [1]"),
	 "t.json:1:56: rt-app 'cpus' is supported only as the same CPUs 0..N-1 for every task (the CPUs the scenario owns)"},
	{JT("\"run\": 10, \"cpus\": 1"),
	 "t.json:1:64: 'cpus' must be an array of CPUs"},
	{JT("\"run\": 10, \"taskgroup\": \"tg\""),
	 "t.json:1:69: taskgroup 'tg' must start with '/'"},
	{JT("\"run\": 10, \"taskgroup\": \"/a b\""),
	 "t.json:1:69: taskgroup name 'a b' may only hold letters, digits, '_', '.' and '-'"},
	/* found by the rt-app fuzz target: an empty level before a trailing
	 * '/' put the task in no group (a crash when simulated) */
	{JT("\"run\": 10, \"taskgroup\": \"/a//\""),
	 "t.json:1:69: taskgroup name must not be empty"},
	{JT("\"run\": 10, \"taskgroup\": \"//\""),
	 "t.json:1:69: taskgroup name must not be empty"},
	/* found by the rt-app fuzz target: groups the YAML loader refuses */
	{JT("\"run\": 10, \"taskgroup\": \"/a/cpu.max\""),
	 "t.json:1:69: taskgroup '/a/cpu.max': 'cpu.max' is the name of a cgroup interface file"},
	{JT("\"run\": 10, \"taskgroup\": \"/tasks/\""),
	 "t.json:1:69: taskgroup '/tasks/': 'tasks' is the name of a cgroup interface file"},
	{JT("\"taskgroup\": \"/a\", \"phases\": {\"p\": {\"run\": 1, \"taskgroup\": \"/b\"}}"),
	 "t.json:1:104: rt-app 'taskgroup' that changes between phases is not supported"},
	{JT("\"phases\": {\"p\": {\"run\": 1, \"priority\": 1}, \"q\": {\"run\": 1, \"priority\": 2}}"),
	 "t.json:1:104: rt-app 'priority' that changes between phases is not supported"},
	{"{\"global\": {\"duration\": 1}, \"tasks\": {\"a\": {\"run\": 1, \"taskgroup\": \"/g\"}, \"b\": {\"run\": 1}}}",
	 "t.json:1:75: rt-app task 'b' has no taskgroup beside tasks that have one, which is not supported"},
	{JT("\"phases\": {\"p\": {\"loop\": 3}}"),
	 "t.json:1:61: rt-app phase has no events"},
	{JT("\"phases\": {\"p\": {\"loop\": -1, \"run\": 1}, \"q\": {\"run\": 1}}"),
	 "t.json:1:70: rt-app phase loop -1 (forever) is supported only in a task's single phase"},
	{JT("\"phases\": {\"p\": {\"loop\": 3, \"run\": 0}}"),
	 "t.json:1:70: a repeated rt-app phase must take at least 1us per loop"},
	{JT("\"phases\": {\"p\": 3}"),
	 "t.json:1:61: rt-app phase 'p' must be an object"},
	{JT("\"phases\": []"), "t.json:1:55: 'phases' must be an object"},
	{"{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": {\"run\": 1}, \"t\": {\"run\": 2}}}",
	 "t.json:1:56: duplicate task name 't'"},
	{"{\"global\": {\"duration\": 1}, \"tasks\": {\"a/b\": {\"run\": 1}}}",
	 "t.json:1:39: task name 'a/b' may only hold letters, digits, '_', '.' and '-'"},
	{"{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": 1}}",
	 "t.json:1:44: rt-app task 't' must be an object"},
	{"{\"global\": {\"duration\": 1, \"cfssim\": {\"tolerance\": 1}}, "
	 "\"tasks\": {\"t\": {\"run\": 1}}}",
	 "t.json:1:39: unknown key 'tolerance' in cfssim"},
	{"{\"global\": {\"duration\": 1, \"cfssim\": []}, \"tasks\": {\"t\": "
	 "{\"run\": 1}}}",
	 "t.json:1:38: 'cfssim' must be a mapping"},
	{"{\"global\": {\"duration\": 1, \"cfssim\": {\"expect\": {\"usage\": "
	 "\"30%\"}}}, \"tasks\": {\"t\": {\"run\": 1}}}",
	 "t.json:1:59: 'usage' may be at most 5%, the ceiling of every scenario"},
	{"{\"global\": {\"duration\": 1, \"cfssim\": {\"not_modelled\": "
	 "{\"runtime\": {\"reason\": \"r\", \"groups\": [\"nope\"]}}}}, "
	 "\"tasks\": {\"t\": {\"run\": 1}}}",
	 "t.json:1:94: 'runtime' names no group 'nope' (a path such as "
	 "'parent/child')"},
};

static void test_rtapp_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++)
		check_error(err_cases[i].json, err_cases[i].msg);
}

/* "global": {"cfssim": ...} carries expect: and not_modelled: as a YAML
 * scenario has them, and `cfssim import` writes them into the YAML. */
static void test_rtapp_cfssim_key_judges_the_file(void **state)
{
	static const char json[] =
		"{\"global\": {\"duration\": 2, \"cfssim\": {"
		"\"expect\": {\"usage\": \"2.5%\", \"nr_periods\": 1, "
		"\"wait\": \"3ms\"}, "
		"\"not_modelled\": {\"switches\": \"all \\\"why\\\"\", "
		"\"runtime\": {\"reason\": \"only b\", \"groups\": [\"b\"]}}}}, "
		"\"tasks\": {\"t\": {\"taskgroup\": \"/a\", \"run\": 1000}, "
		"\"u\": {\"taskgroup\": \"/b\", \"run\": 1000}}}";
	struct scenario a, b;
	char *text = NULL;
	size_t i;

	(void)state;
	json_ok(json, &a);
	assert_int_equal(a.expect.usage.kind, TOL_REL);
	assert_true(a.expect.usage.rel > 0.0249999 &&
		    a.expect.usage.rel < 0.0250001);
	assert_int_equal(a.expect.nr_periods.kind, TOL_ABS);
	assert_int_equal(a.expect.nr_periods.abs, 1);
	assert_int_equal(a.expect.wait.kind, TOL_ABS);
	assert_int_equal(a.expect.wait.abs, 3 * MS);
	assert_int_equal(a.expect.runtime.kind, TOL_DEFAULT);
	assert_string_equal(a.expect.not_modelled[FIG_SWITCHES], "all \"why\"");
	assert_int_equal(a.expect.not_modelled_ngroups[FIG_SWITCHES], 0);
	assert_string_equal(a.expect.not_modelled[FIG_RUNTIME], "only b");
	assert_int_equal(a.expect.not_modelled_ngroups[FIG_RUNTIME], 1);
	assert_string_equal(a.expect.not_modelled_groups[FIG_RUNTIME][0], "b");
	/* import writes them; the YAML loads to the same judging */
	text = yaml_text(&a, NULL);
	assert_non_null(strstr(text, "expect:\n  usage: 2.5%\n  nr_periods: "
				     "1\n  wait: 3ms\nnot_modelled:\n"));
	yaml_ok(text, &b);
	assert_memory_equal(&a.expect.usage, &b.expect.usage,
			    sizeof(a.expect.usage));
	assert_memory_equal(&a.expect.wait, &b.expect.wait,
			    sizeof(a.expect.wait));
	for (i = 0; i < FIG_NKEYS; i++) {
		if (!a.expect.not_modelled[i]) {
			assert_null(b.expect.not_modelled[i]);
			continue;
		}
		assert_string_equal(a.expect.not_modelled[i],
				    b.expect.not_modelled[i]);
		assert_int_equal(a.expect.not_modelled_ngroups[i],
				 b.expect.not_modelled_ngroups[i]);
	}
	free(text);
	scenario_destroy(&a);
	scenario_destroy(&b);
}

/* What `cfssim import` prints loads: the group of tasks without a
 * taskgroup was "tasks", a name the YAML loader refuses (cgroup v1's file);
 * found by the rt-app fuzz target. */
static void test_rtapp_import_output_loads(void **state)
{
	struct scenario a, b;
	char *text = NULL;

	(void)state;
	json_ok("{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": "
		"{\"run\": 1000, \"sleep\": 1000}}}",
		&a);
	text = yaml_text(&a, NULL);
	yaml_ok(text, &b);
	assert_string_equal(b.groups[0].path, "rt-app");
	assert_int_equal(b.ntasks, 1);
	free(text);
	scenario_destroy(&a);
	scenario_destroy(&b);
	/* one trailing '/' is fine: "/a/b/" is group b inside a */
	json_ok("{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": "
		"{\"taskgroup\": \"/a/b/\", \"run\": 1000}}}",
		&a);
	assert_int_equal(a.ngroups, 2);
	assert_string_equal(a.groups[1].path, "a/b");
	assert_int_equal(a.tasks[0].group, 1);
	scenario_destroy(&a);
}

/* At most 4096 groups, as in YAML: 4097 taskgroups are refused at the
 * taskgroup of the task that makes the 4097th. */
static void test_rtapp_too_many_groups(void **state)
{
	size_t cap = 4097 * 48 + 64, n, i;
	char *json = malloc(cap), msg[128];
	const char *at;

	(void)state;
	n = (size_t)snprintf(json, cap,
			     "{\"global\": {\"duration\": 1}, "
			     "\"tasks\": {");
	for (i = 0; i < 4097; i++)
		n += (size_t)snprintf(json + n, cap - n,
				      "%s\"t%zu\": {\"taskgroup\": \"/g%zu\", "
				      "\"run\": 1}",
				      i ? ", " : "", i, i);
	snprintf(json + n, cap - n, "}}");
	/* one line: the column is the offset of "/g4096"'s quote, plus 1 */
	at = strstr(json, "\"/g4096\"");
	snprintf(msg, sizeof(msg),
		 "t.json:1:%zu: more than 4096 groups in total (taskgroups "
		 "and those above them)",
		 (size_t)(at - json) + 1);
	check_error(json, msg);
	/* 4096 load */
	strcpy(strstr(json, ", \"t4096\""), "}}");
	{
		struct scenario sc;

		json_ok(json, &sc);
		assert_int_equal(sc.ngroups, 4096);
		scenario_destroy(&sc);
	}
	free(json);
}

/* one task may use 8 timers, not 9 */
static void test_rtapp_too_many_timers(void **state)
{
	char json[2048];
	size_t n, i;

	(void)state;
	n = (size_t)snprintf(json, sizeof(json),
			     "{\"global\": {\"duration\": 1}, \"tasks\": "
			     "{\"t\": {\"run\": 1");
	for (i = 0; i < 9; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
				      ", \"timer\": {\"ref\": \"unique%zu\", "
				      "\"period\": 5}",
				      i);
	snprintf(json + n, sizeof(json) - n, "}}}");
	/* the ninth ref: 52 + 8 x 43 + 12 */
	check_error(json, "t.json:1:408: more than 8 timers in one task");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtapp_run_sleep_as_phases),
		cmocka_unit_test(test_rtapp_export_refuses_refs_it_cannot_keep),
		cmocka_unit_test(test_rtapp_runtime_is_cpu_time),
		cmocka_unit_test(test_rtapp_repeated_keys_keep_their_order),
		cmocka_unit_test(test_rtapp_relative_timer),
		cmocka_unit_test(test_rtapp_absolute_timer_is_periodic),
		cmocka_unit_test(test_rtapp_zero_run_with_timer_stays_phases),
		cmocka_unit_test(test_rtapp_absolute_timer_in_phases),
		cmocka_unit_test(test_rtapp_priority_delay_slice),
		cmocka_unit_test(test_rtapp_phase_loops_as_blocks),
		cmocka_unit_test(test_rtapp_instances_unique_timers),
		cmocka_unit_test(test_rtapp_tutorial_periodic),
		cmocka_unit_test(test_rtapp_tutorial_phases_until_done),
		cmocka_unit_test(test_rtapp_taskgroup_tree),
		cmocka_unit_test(test_rtapp_spreading_tasks),
		cmocka_unit_test(test_rtapp_without_taskgroups),
		cmocka_unit_test(test_rtapp_thread_runtime_is_also_slice),
		cmocka_unit_test(test_wl_timer_late_relative_and_absolute),
		cmocka_unit_test(test_wl_timer_starts_at_thread_start),
		cmocka_unit_test(test_wl_block_repeats_then_moves_on),
		cmocka_unit_test(test_wlproto_carries_timers_and_blocks),
		cmocka_unit_test(test_rtapp_export_then_import),
		cmocka_unit_test(test_rtapp_export_names_and_refs),
		cmocka_unit_test(test_rtapp_export_refusals),
		cmocka_unit_test(test_writer_round_trip),
		cmocka_unit_test(test_yaml_timer_and_block_errors),
		cmocka_unit_test(test_yaml_block_once_is_flat),
		cmocka_unit_test(test_rtapp_refused_events),
		cmocka_unit_test(test_rtapp_refused_policies),
		cmocka_unit_test(test_rtapp_errors),
		cmocka_unit_test(test_rtapp_cfssim_key_judges_the_file),
		cmocka_unit_test(test_writer_quotes_a_dash),
		cmocka_unit_test(test_rtapp_import_output_loads),
		cmocka_unit_test(test_rtapp_too_many_groups),
		cmocka_unit_test(test_rtapp_too_many_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
