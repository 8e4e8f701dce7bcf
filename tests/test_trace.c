/* Tests of the Chrome trace-event export (output/trace.c): the JSON parses
 * (with the strict little parser below), every task's slices add up to its
 * runtime exactly, and the counters follow the fixture's throttling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/trace.h"
#include "scenarios/loader.h"
#include "sim/sim.h"
#include "tests/plot_fixture.h"

/* A JSON value; numbers keep their text so decimals convert exactly. */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *text; /* J_STR decoded, J_NUM as written */
	int truth;  /* J_BOOL */
	size_t n;   /* J_ARR, J_OBJ */
	struct jval *items;
	char **keys; /* J_OBJ */
};

struct jparser {
	const char *s;
	const char *err;
};

static void skip_ws(struct jparser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int jfail(struct jparser *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_string(struct jparser *p, char **out)
{
	size_t cap = 16, len = 0;
	char *buf;

	if (*p->s != '"')
		return jfail(p, "expected a string");
	p->s++;
	buf = xmalloc(cap);
	for (;;) {
		unsigned char c = (unsigned char)*p->s++;

		if (len + 8 > cap)
			buf = xrealloc(buf, cap *= 2);
		if (c == '"')
			break;
		if (c < 0x20) {
			free(buf);
			return jfail(p, "raw control character in a string");
		}
		if (c != '\\') {
			buf[len++] = (char)c;
			continue;
		}
		c = (unsigned char)*p->s++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf[len++] = (char)c;
			break;
		case 'b':
			buf[len++] = '\b';
			break;
		case 'f':
			buf[len++] = '\f';
			break;
		case 'n':
			buf[len++] = '\n';
			break;
		case 'r':
			buf[len++] = '\r';
			break;
		case 't':
			buf[len++] = '\t';
			break;
		case 'u': {
			int i, v = 0;

			for (i = 0; i < 4; i++) {
				int h = hexval(p->s[i]);

				if (h < 0) {
					free(buf);
					return jfail(p, "bad \\u escape");
				}
				v = v * 16 + h;
			}
			p->s += 4;
			buf[len++] = v < 0x80 ? (char)v : '?';
			break;
		}
		default:
			free(buf);
			return jfail(p, "bad escape");
		}
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int parse_value(struct jparser *p, struct jval *v);

static int parse_number(struct jparser *p, struct jval *v)
{
	const char *start = p->s;

	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (*p->s >= '1' && *p->s <= '9')
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	else
		return jfail(p, "bad number");
	if (*p->s == '.') {
		p->s++;
		if (!(*p->s >= '0' && *p->s <= '9'))
			return jfail(p, "bad fraction");
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!(*p->s >= '0' && *p->s <= '9'))
			return jfail(p, "bad exponent");
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	v->type = J_NUM;
	v->text = xmalloc((size_t)(p->s - start) + 1);
	memcpy(v->text, start, (size_t)(p->s - start));
	v->text[p->s - start] = '\0';
	return 0;
}

static int parse_container(struct jparser *p, struct jval *v, int obj)
{
	size_t cap = 0;
	char close = obj ? '}' : ']';

	v->type = obj ? J_OBJ : J_ARR;
	p->s++;
	skip_ws(p);
	if (*p->s == close) {
		p->s++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(p);
		if (obj) {
			if (parse_string(p, &key) < 0)
				return -1;
			skip_ws(p);
			if (*p->s++ != ':') {
				free(key);
				return jfail(p, "expected ':'");
			}
		}
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = xrealloc(v->items, cap * sizeof(*v->items));
			if (obj)
				v->keys = xrealloc(v->keys,
						   cap * sizeof(*v->keys));
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (parse_value(p, &v->items[v->n - 1]) < 0)
			return -1;
		skip_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return 0;
		}
		return jfail(p, "expected ',' or a closing bracket");
	}
}

static int parse_value(struct jparser *p, struct jval *v)
{
	skip_ws(p);
	switch (*p->s) {
	case '{':
		return parse_container(p, v, 1);
	case '[':
		return parse_container(p, v, 0);
	case '"':
		v->type = J_STR;
		return parse_string(p, &v->text);
	case 't':
		if (strncmp(p->s, "true", 4) != 0)
			return jfail(p, "bad literal");
		p->s += 4;
		v->type = J_BOOL;
		v->truth = 1;
		return 0;
	case 'f':
		if (strncmp(p->s, "false", 5) != 0)
			return jfail(p, "bad literal");
		p->s += 5;
		v->type = J_BOOL;
		return 0;
	case 'n':
		if (strncmp(p->s, "null", 4) != 0)
			return jfail(p, "bad literal");
		p->s += 4;
		v->type = J_NULL;
		return 0;
	default:
		return parse_number(p, v);
	}
}

static void jfree(struct jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

/* Parses a whole document; fails the test when it is not valid JSON. */
static void jparse(const char *text, struct jval *root)
{
	struct jparser p = {text, NULL};

	memset(root, 0, sizeof(*root));
	if (parse_value(&p, root) < 0)
		fail_msg("invalid JSON at offset %ld: %s", (long)(p.s - text),
			 p.err);
	skip_ws(&p);
	if (*p.s)
		fail_msg("trailing data at offset %ld", (long)(p.s - text));
}

static const struct jval *jget(const struct jval *obj, const char *key)
{
	size_t i;

	if (obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

static const char *jstr(const struct jval *obj, const char *key)
{
	const struct jval *v = jget(obj, key);

	return v && v->type == J_STR ? v->text : NULL;
}

static long jlong(const struct jval *obj, const char *key)
{
	const struct jval *v = jget(obj, key);

	return v && v->type == J_NUM ? atol(v->text) : -1;
}

static int64_t jns(const struct jval *obj, const char *key)
{
	const struct jval *v = jget(obj, key);

	assert_non_null(v);
	assert_int_equal(v->type, J_NUM);
	return fx_us(v->text, strlen(v->text));
}

static char *trace_text(const struct results *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct err err;

	err_init(&err);
	assert_non_null(f);
	if (trace_write(f, r, &err) < 0)
		fail_msg("%s", err.msg);
	fclose(f);
	return buf;
}

static const struct jval *events(const struct jval *root)
{
	const struct jval *ev = jget(root, "traceEvents");

	assert_non_null(ev);
	assert_int_equal(ev->type, J_ARR);
	return ev;
}

static void test_trace_slices_add_up_to_runtime(void **state)
{
	struct results r;
	struct jval root;
	const struct jval *ev;
	int64_t task_ns[4] = {0}, cpu_ns[2] = {0};
	size_t i, nx = 0;
	char *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_build(&r);
	text = trace_text(&r);
	jparse(text, &root);
	ev = events(&root);
	for (i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->items[i];
		const char *ph = jstr(e, "ph");
		long pid = jlong(e, "pid"), tid = jlong(e, "tid");

		assert_non_null(ph);
		if (strcmp(ph, "X") != 0)
			continue;
		nx++;
		if (pid >= TRACE_PID_GROUP) {
			assert_in_range(tid, TRACE_TID_TASK,
					TRACE_TID_TASK + 3);
			task_ns[tid - TRACE_TID_TASK] += jns(e, "dur");
		} else {
			assert_in_range(pid, TRACE_PID_CPU, TRACE_PID_CPU + 1);
			assert_int_equal(tid, pid);
			cpu_ns[pid - TRACE_PID_CPU] += jns(e, "dur");
		}
	}
	assert_int_equal(nx, 2 * (250 + 30));
	for (i = 0; i < 4; i++)
		assert_int_equal(task_ns[i], r.tasks[i].runtime_ns);
	assert_int_equal(task_ns[0], 250 * 3999999LL);
	assert_int_equal(cpu_ns[0], 999999750);
	assert_int_equal(cpu_ns[1], 300 * FX_MS);
	jfree(&root);
	free(text);
	results_destroy(&r);
}

static int has_meta(const struct jval *ev, long pid, long tid, const char *what,
		    const char *name)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->items[i];
		const struct jval *args = jget(e, "args");

		if (strcmp(jstr(e, "ph"), "M") == 0 && jlong(e, "pid") == pid &&
		    jlong(e, "tid") == tid &&
		    strcmp(jstr(e, "name"), what) == 0 && args &&
		    jstr(args, "name") && strcmp(jstr(args, "name"), name) == 0)
			return 1;
	}
	return 0;
}

static void test_trace_names_cpus_groups_and_threads(void **state)
{
	struct results r;
	struct jval root;
	const struct jval *ev, *other;
	char *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_build(&r);
	text = trace_text(&r);
	jparse(text, &root);
	ev = events(&root);
	assert_true(has_meta(ev, 1, -1, "process_name", "CPU 0"));
	assert_true(has_meta(ev, 2, -1, "process_name", "CPU 1"));
	assert_true(has_meta(ev, 1, 1, "thread_name", "running"));
	assert_true(has_meta(ev, 1000, -1, "process_name", "group web"));
	assert_true(
		has_meta(ev, 1002, -1, "process_name", "group batch/inner"));
	assert_true(has_meta(ev, 1001, 100002, "thread_name", "worker#1"));
	assert_true(has_meta(ev, 1002, 100003, "thread_name", "steps#0"));
	other = jget(&root, "otherData");
	assert_non_null(other);
	assert_string_equal(jstr(other, "scenario"),
			    "fixture <two> & \"groups\"");
	assert_string_equal(jstr(other, "source"), "sim");
	jfree(&root);
	free(text);
	results_destroy(&r);
}

/* The counter samples of one track of one process, in file order. */
static size_t counters(const struct jval *ev, long pid, const char *name,
		       const char *key, int64_t *ts, int64_t *val, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->items[i];

		if (strcmp(jstr(e, "ph"), "C") != 0 || jlong(e, "pid") != pid ||
		    strcmp(jstr(e, "name"), name) != 0)
			continue;
		assert_true(n < max);
		ts[n] = jns(e, "ts");
		val[n] = jns(jget(e, "args"), key);
		n++;
	}
	return n;
}

static void check_throttled(const struct jval *ev)
{
	int64_t ts[64], val[64];
	size_t n = counters(ev, 1001, "throttled", "throttled", ts, val, 64);
	size_t k;

	/* a 0 at the start, then per period 1 at +30 ms and 0 at its end;
	 * values are counts, so fx_us reads "1" as 1000 */
	assert_int_equal(n, 1 + 2 * 10);
	assert_int_equal(ts[0], 0);
	assert_int_equal(val[0], 0);
	for (k = 0; k < 10; k++) {
		assert_int_equal(ts[1 + 2 * k],
				 (int64_t)(k * 100 + 30) * FX_MS);
		assert_int_equal(val[1 + 2 * k], 1000);
		assert_int_equal(ts[2 + 2 * k], (int64_t)(k + 1) * 100 * FX_MS);
		assert_int_equal(val[2 + 2 * k], 0);
	}
}

static void test_trace_counters_follow_throttling(void **state)
{
	struct results r;
	struct jval root;
	const struct jval *ev;
	int64_t ts[64], val[64];
	size_t n;
	char *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_build(&r);
	text = trace_text(&r);
	jparse(text, &root);
	ev = events(&root);
	check_throttled(ev);
	n = counters(ev, 1001, "quota left (us)", "quota_left_us", ts, val, 64);
	/* per period: 30 ms at its start, then after each of the three
	 * 10 ms slices of batch's subtree 20, 10 and 0 ms */
	assert_int_equal(n, 4 * 10);
	assert_int_equal(ts[0], 0);
	assert_int_equal(val[0], 30 * FX_MS);
	assert_int_equal(ts[1], 10 * FX_MS);
	assert_int_equal(val[1], 20 * FX_MS);
	assert_int_equal(ts[2], 20 * FX_MS);
	assert_int_equal(val[2], 10 * FX_MS);
	assert_int_equal(ts[3], 30 * FX_MS);
	assert_int_equal(val[3], 0);
	assert_int_equal(ts[4], 100 * FX_MS);
	assert_int_equal(val[4], 30 * FX_MS);
	/* groups without a quota have no counters */
	assert_int_equal(
		counters(ev, 1000, "throttled", "throttled", ts, val, 64), 0);
	assert_int_equal(
		counters(ev, 1002, "throttled", "throttled", ts, val, 64), 0);
	jfree(&root);
	free(text);
	results_destroy(&r);
}

static void test_trace_throttle_start_from_throttled_time(void **state)
{
	struct results r;
	struct jval root;
	size_t k;
	char *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_build(&r);
	/* a quota the slices never reach (say an ancestor throttled the
	 * group): the throttle is placed at end - throttled time = +30 ms */
	for (k = 0; k < r.timeline->nperiods; k++)
		r.timeline->periods[k].quota_ns = 45 * FX_MS;
	text = trace_text(&r);
	jparse(text, &root);
	check_throttled(events(&root));
	jfree(&root);
	free(text);
	results_destroy(&r);
}

static void test_trace_without_timeline_fails(void **state)
{
	struct results r;
	struct err err;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	memset(&r, 0, sizeof(r));
	r.scenario = xstrdup("quiet");
	err_init(&err);
	assert_int_equal(trace_write(f, &r, &err), -1);
	assert_string_equal(err.msg, "results of 'quiet' have no timeline");
	fclose(f);
	results_destroy(&r);
}

static void test_trace_file_cannot_open(void **state)
{
	struct results r;
	struct err err;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_build(&r);
	err_init(&err);
	assert_int_equal(trace_write_file("/nonexistent/dir/t.json", &r, &err),
			 -1);
	assert_string_equal(err.msg, "cannot open '/nonexistent/dir/t.json': "
				     "No such file or directory");
	results_destroy(&r);
}

static void test_json_parser_rejects_bad_documents(void **state)
{
	static const char *const bad[] = {"{\"a\":1,}", "[1 2]", "{a:1}", "\"x",
					  "01",		"[1.]",	 "tru"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jparser p = {bad[i], NULL};
		struct jval v;
		int rc;

		memset(&v, 0, sizeof(v));
		rc = parse_value(&p, &v);
		if (rc == 0) {
			skip_ws(&p);
			rc = *p.s ? -1 : 0;
		}
		assert_int_equal(rc, -1);
		jfree(&v);
	}
}

static void test_trace_of_a_simulated_run_adds_up(void **state)
{
	static const char yaml[] =
		"name: traced\n"
		"duration: 400ms\n"
		"cpus: 2\n"
		"groups:\n"
		"  - name: web\n"
		"    tasks:\n"
		"      - {name: hog, count: 2, workload: hog}\n"
		"  - name: batch\n"
		"    quota: 20ms\n"
		"    period: 50ms\n"
		"    tasks:\n"
		"      - {name: worker, workload: {run: 5ms, period: 10ms}}\n";
	struct sim_options opt = {.timeline = true};
	struct scenario sc;
	struct results r;
	struct jval root;
	const struct jval *ev;
	int64_t task_ns[8] = {0};
	size_t i, ncounters = 0;
	struct err err;
	char *text;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	memset(&r, 0, sizeof(r));
	err_init(&err);
	if (scenario_load_string(yaml, strlen(yaml), "traced.yaml", &sc, &err) <
		    0 ||
	    sim_run(&sc, &opt, &r, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(r.ntasks, 3);
	text = trace_text(&r);
	jparse(text, &root);
	ev = events(&root);
	for (i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->items[i];
		long tid = jlong(e, "tid");

		if (strcmp(jstr(e, "ph"), "C") == 0)
			ncounters++;
		if (strcmp(jstr(e, "ph"), "X") != 0 ||
		    jlong(e, "pid") < TRACE_PID_GROUP)
			continue;
		assert_in_range(tid, TRACE_TID_TASK, TRACE_TID_TASK + 2);
		task_ns[tid - TRACE_TID_TASK] += jns(e, "dur");
	}
	/* each thread's slices on its track add up to its runtime, to the
	 * nanosecond; batch has a quota, so it has counters */
	for (i = 0; i < r.ntasks; i++)
		assert_int_equal(task_ns[i], r.tasks[i].runtime_ns);
	assert_true(ncounters > 0);
	jfree(&root);
	free(text);
	results_destroy(&r);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_slices_add_up_to_runtime),
		cmocka_unit_test(test_trace_names_cpus_groups_and_threads),
		cmocka_unit_test(test_trace_counters_follow_throttling),
		cmocka_unit_test(test_trace_throttle_start_from_throttled_time),
		cmocka_unit_test(test_trace_without_timeline_fails),
		cmocka_unit_test(test_trace_file_cannot_open),
		cmocka_unit_test(test_json_parser_rejects_bad_documents),
		cmocka_unit_test(test_trace_of_a_simulated_run_adds_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
