/* Tests of a real run's budget (backend/limits.c): the thread, memory and
 * duration refusals with their numbers worked out by hand, the caps written
 * to the run root, and a refused scenario through `cfssim real` (exit 2,
 * nothing created). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/limits.h"
#include "backend/run.h"
#include "scenarios/loader.h"
#include "tests/real_skip.h"

static void load(const char *yaml, struct scenario *sc)
{
	struct err err;

	err_init(&err);
	if (scenario_load_string(yaml, strlen(yaml), "t.yaml", sc, &err))
		fail_msg("load: %s", err.msg);
}

/* A host like this one: pid_max 32768, threads-max 192735, 800 threads
 * alive, 1 GiB available, 2 CPUs. */
static const struct limits_host host = {
	.pid_max = 32768,
	.threads_max = 192735,
	.threads_now = 800,
	.mem_available_bytes = 1024ULL * 1024 * 1024,
	.online_cpus = 2,
};

/* The scenario: 25 tasks of 4000 threads in one group. */
static char *big_scenario(void)
{
	size_t cap = 4096, off;
	char *y = malloc(cap);
	int i;

	assert_non_null(y);
	off = (size_t)snprintf(y, cap,
			       "duration: 1s\ngroups:\n  - name: g\n"
			       "    tasks:\n");
	for (i = 0; i < 25; i++)
		off += (size_t)snprintf(y + off, cap - off,
					"      - {name: t%d, count: 4000}\n",
					i);
	return y;
}

static void test_threads_refused_with_numbers(void **state)
{
	struct limits_plan p;
	struct scenario sc;
	struct err err;
	char *y = big_scenario();

	(void)state;
	load(y, &sc);
	free(y);
	err_init(&err);
	/* 25 * 4000 + 1 container = 100001 threads; the limit is
	 * min(32768, 192735) = 32768, a quarter 8192, half of the
	 * 32768 - 800 = 31968 free is 15984, so 8192 */
	assert_int_equal(limits_plan(&sc, &host, false, &p, &err), -1);
	assert_string_equal(err.msg,
			    "scenario 't' needs 100001 threads; a real run "
			    "may use at most 8192 here (a quarter of the "
			    "limit of 32768 set by kernel.pid_max 32768 and "
			    "kernel.threads-max 192735, and half of the "
			    "31968 not in use)");
	scenario_destroy(&sc);
}

/* A busy host: half of what is free is the smaller share. */
static void test_threads_busy_host(void **state)
{
	struct limits_host busy = host;
	struct limits_plan p;
	struct scenario sc;
	struct err err;

	(void)state;
	busy.threads_now = 30000; /* (32768 - 30000) / 2 = 1384 < 8192 */
	load("duration: 1s\ngroups:\n  - name: g\n    tasks:\n"
	     "      - {name: a, count: 1000}\n      - {name: b, count: 384}\n",
	     &sc);
	/* 1384 + 1 = 1385 > 1384 */
	assert_int_equal(limits_plan(&sc, &busy, false, &p, &err), -1);
	assert_int_equal(p.threads, 1385);
	assert_int_equal(p.threads_allowed, 1384);
	scenario_destroy(&sc);
	load("duration: 1s\ngroups:\n  - name: g\n    tasks:\n"
	     "      - {name: a, count: 1000}\n      - {name: b, count: 383}\n",
	     &sc);
	assert_int_equal(limits_plan(&sc, &busy, false, &p, &err), 0);
	/* 1384 threads + 1 container + 16 = 1401, capped at 1384 */
	assert_int_equal(p.pids_max, 1384);
	scenario_destroy(&sc);
}

/* Caps of a small run: two containers, 3 + 1 threads. */
static void test_caps_of_small_run(void **state)
{
	struct limits_plan p;
	struct scenario sc;
	struct err err;

	(void)state;
	load("duration: 1s\ncpus: 1\ngroups:\n"
	     "  - {name: a, tasks: [{name: t, count: 3}]}\n"
	     "  - {name: b, tasks: [{name: t}]}\n  - {name: empty}\n",
	     &sc);
	assert_int_equal(limits_plan(&sc, &host, false, &p, &err), 0);
	/* 4 task threads + 2 workload main threads */
	assert_int_equal(p.threads, 6);
	assert_int_equal(p.pids_max, 6 + 2 + 16);
	/* 6 * 288 KiB + 2 * 8 MiB */
	assert_int_equal(p.memory_bytes, 6 * 288 * 1024 + 2 * 8 * 1024 * 1024);
	assert_int_equal(p.memory_max_bytes, 512ULL * 1024 * 1024);
	assert_false(p.every_cpu); /* 1 of 2 */
	scenario_destroy(&sc);
	load("duration: 1s\ncpus: 2\ngroups: [{name: a, tasks: [{name: t}]}]\n",
	     &sc);
	assert_int_equal(limits_plan(&sc, &host, false, &p, &err), 0);
	assert_true(p.every_cpu);
	scenario_destroy(&sc);
}

static void test_memory_refused_with_numbers(void **state)
{
	struct limits_host small = host;
	struct limits_plan p;
	struct scenario sc;
	struct err err;

	(void)state;
	small.mem_available_bytes = 64ULL * 1024 * 1024;
	load("duration: 1s\ngroups:\n  - name: g\n    tasks:\n"
	     "      - {name: t, count: 100}\n",
	     &sc);
	/* 101 * 288 KiB + 8 MiB = 29088 + 8192 KiB = 37280 KiB, 36.4 MiB
	 * rounded up to 37, over half of 64 MiB */
	assert_int_equal(limits_plan(&sc, &small, false, &p, &err), -1);
	assert_string_equal(err.msg,
			    "scenario 't' needs about 37 MiB (101 threads at "
			    "288 KiB, 1 containers at 8 MiB); a real run may "
			    "use at most 32 MiB here (half of MemAvailable "
			    "64 MiB)");
	scenario_destroy(&sc);
}

static void test_duration_cap(void **state)
{
	struct limits_plan p;
	struct scenario sc;
	struct err err;

	(void)state;
	load("duration: 601s\ngroups: [{name: g, tasks: [{name: t}]}]\n", &sc);
	assert_int_equal(limits_plan(&sc, &host, false, &p, &err), -1);
	assert_string_equal(err.msg, "scenario 't' lasts 601s; real runs are "
				     "limited to 600s unless --long is given");
	assert_int_equal(limits_plan(&sc, &host, true, &p, &err), 0);
	scenario_destroy(&sc);
	load("duration: 600s\ngroups: [{name: g, tasks: [{name: t}]}]\n", &sc);
	assert_int_equal(limits_plan(&sc, &host, false, &p, &err), 0);
	scenario_destroy(&sc);
}

/* The host's own figures read back as /proc has them. */
static void test_host_read(void **state)
{
	struct limits_host h;
	struct err err;
	FILE *f;
	unsigned long long pm;

	(void)state;
	assert_int_equal(limits_host_read(&h, &err), 0);
	f = fopen("/proc/sys/kernel/pid_max", "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llu", &pm), 1);
	fclose(f);
	assert_int_equal(h.pid_max, pm);
	assert_true(h.threads_now > 0 && h.threads_now < h.threads_max);
	assert_true(h.mem_available_bytes > 0);
	assert_int_equal(h.online_cpus,
			 (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
}

/* real_run refuses before it locks or creates anything: the state dir it
 * would make stays absent. */
static void test_real_run_refuses(void **state)
{
	struct limits_host tiny = host;
	struct real_options opt;
	struct results out;
	struct scenario sc;
	struct err err;
	char dir[] = "/tmp/cfssim-limits-XXXXXX", sd[64];

	(void)state;
	load("duration: 1s\ngroups: [{name: g, tasks: [{name: t, count: "
	     "8}]}]\n",
	     &sc);
	if (!real_can_run(&sc))
		return;
	assert_non_null(mkdtemp(dir));
	snprintf(sd, sizeof(sd), "%s/state", dir);
	/* a quarter of 32 is 8 (half of the 32 free is 16): 8 < 9 */
	tiny.pid_max = 32;
	tiny.threads_now = 0;
	real_options_init(&opt);
	opt.host = &tiny;
	opt.state_dir = sd;
	err_init(&err);
	assert_int_equal(real_run(&sc, &opt, &out, &err), REAL_REFUSED);
	assert_string_equal(err.msg,
			    "scenario 't' needs 9 threads; a real run may use "
			    "at most 8 here (a quarter of the limit of 32 set "
			    "by kernel.pid_max 32 and kernel.threads-max "
			    "192735, and half of the 32 not in use)");
	assert_int_equal(access(sd, F_OK), -1);
	rmdir(dir);
	scenario_destroy(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_refused_with_numbers),
		cmocka_unit_test(test_threads_busy_host),
		cmocka_unit_test(test_caps_of_small_run),
		cmocka_unit_test(test_memory_refused_with_numbers),
		cmocka_unit_test(test_duration_cap),
		cmocka_unit_test(test_host_read),
		cmocka_unit_test(test_real_run_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
