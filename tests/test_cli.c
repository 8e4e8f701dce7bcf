/* The cfssim command line, run as a program: exit statuses, the exact
 * error messages, option overrides and the figures of a scenario whose
 * results are known by hand (a lone hog owns its CPU). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct outcome {
	int status; /* exit status */
	char out[16384];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Runs build/cfssim with args (NULL-terminated). */
static void run(struct outcome *o, const char *const *args)
{
	char out_path[] = "/tmp/cfssim-cli-out-XXXXXX";
	char err_path[] = "/tmp/cfssim-cli-err-XXXXXX";
	const char *argv[16];
	posix_spawn_file_actions_t fa;
	int fo = mkstemp(out_path), fe = mkstemp(err_path), st;
	size_t i;
	pid_t pid;

	assert_true(fo >= 0 && fe >= 0);
	argv[0] = "build/cfssim";
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fo, 1);
	posix_spawn_file_actions_adddup2(&fa, fe, 2);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL,
				     (char *const *)argv, environ),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	o->status = WEXITSTATUS(st);
	close(fo);
	close(fe);
	slurp(out_path, o->out, sizeof(o->out));
	slurp(err_path, o->err, sizeof(o->err));
	unlink(out_path);
	unlink(err_path);
}

static const char *write_scenario(const char *text)
{
	static char path[] = "/tmp/cfssim-cli-XXXXXX.yaml";
	int fd;

	strcpy(path, "/tmp/cfssim-cli-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* One group, one hog, one CPU, 1 s: it runs the whole second. */
static const char lone_hog[] = "name: lone\n"
			       "duration: 1s\n"
			       "groups:\n"
			       "  - name: g\n"
			       "    tasks:\n"
			       "      - {name: hog, workload: hog}\n";

static const char *write_json(const char *text)
{
	static char path[] = "/tmp/cfssim-cli-XXXXXX.json";
	int fd;

	strcpy(path, "/tmp/cfssim-cli-XXXXXX.json");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* every command loads rt-app JSON; a refused event exits 2 at its place */
static void test_cli_rtapp_refusal(void **state)
{
	const char *path = write_json("{\"tasks\": {\"t\": {\"run\": 10,\n"
				      "  \"lock\": \"m\"}}}\n");
	const char *args[] = {"check", path, NULL};
	char want[256];
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	snprintf(want, sizeof(want),
		 "cfssim: %s:2:3: rt-app event 'lock' is not supported\n",
		 path);
	assert_string_equal(o.err, want);
	assert_string_equal(o.out, "");
	unlink(path);
}

static void test_cli_import_needs_json(void **state)
{
	const char *path = write_scenario(lone_hog);
	const char *args[] = {"import", path, NULL};
	char want[256];
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	snprintf(want, sizeof(want),
		 "cfssim: 'import' reads an rt-app file ending in .json, not "
		 "'%s'\n",
		 path);
	assert_string_equal(o.err, want);
	unlink(path);
}

/* export -o writes rt-app JSON that simulates as the YAML did (the lone
 * hog owns its CPU: 1 s of 1 s) and imports back as a hog */
static void test_cli_export_then_run_and_import(void **state)
{
	const char *yaml = write_scenario(lone_hog);
	char out[] = "/tmp/cfssim-cli-exp-XXXXXX.json";
	const char *exp[] = {"export", yaml, "-o", out, NULL};
	const char *sim[] = {out, "--json", NULL};
	const char *imp[] = {"import", out, NULL};
	struct outcome o;
	int fd;

	(void)state;
	fd = mkstemps(out, 5);
	assert_true(fd >= 0);
	close(fd);
	run(&o, exp);
	assert_int_equal(o.status, 0);
	assert_string_equal(o.out, "");
	run(&o, sim);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "\"usage_usec\": 1000000,"));
	run(&o, imp);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "\nduration: 1s\ncpus: 1\ngroups:\n"
				      "  - name: g\n    tasks:\n"
				      "      - name: hog\n"
				      "        workload: hog\n"));
	unlink(out);
	unlink(yaml);
}

/* a refused export writes nothing, not even an empty file */
static void test_cli_export_refusal_writes_nothing(void **state)
{
	const char *yaml = write_scenario("duration: 1500ms\ngroups: [{name: "
					  "g, tasks: [{name: t}]}]\n");
	const char *args[] = {"export", yaml, "-o", "/tmp/cfssim-cli-none.json",
			      NULL};
	struct outcome o;

	(void)state;
	unlink("/tmp/cfssim-cli-none.json");
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: duration 1.5s is not a whole "
				   "number of seconds, which rt-app needs\n");
	assert_int_equal(access("/tmp/cfssim-cli-none.json", F_OK), -1);
	unlink(yaml);
}

static void test_cli_no_arguments_is_a_usage_error(void **state)
{
	const char *args[] = {NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_true(!strncmp(o.err, "usage: cfssim [sim] FILE", 24));
}

static void test_cli_help_goes_to_stdout(void **state)
{
	const char *args[] = {"--help", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 0);
	assert_true(!strncmp(o.out, "usage: cfssim [sim] FILE", 24));
	assert_non_null(strstr(o.out, "77 the real backend cannot run here"));
}

static void test_cli_unknown_option(void **state)
{
	const char *args[] = {"--bogus", "x.yaml", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err,
			    "cfssim: unknown option '--bogus'\n"
			    "Try 'cfssim --help' for more information.\n");
}

/* cfssim fidelity: its own errors, and the scoreboard of a directory
 * without scenarios (no real run needed): headers, no rows. */
static void test_cli_fidelity_errors_and_empty_dir(void **state)
{
	char dir[] = "/tmp/cfssim-fid-XXXXXX", path[64], md[4096];
	const char *no_out[] = {"fidelity", "/tmp", NULL};
	const char *no_dir[] = {"fidelity", "/nonexistent-cfssim", "-o", "/tmp",
				NULL};
	const char *bad_out[] = {"fidelity", dir, "-o", "/proc/cfssim-no",
				 NULL};
	char sub[64];
	const char *ok[] = {"fidelity", dir, "-o", sub, NULL};
	struct outcome o;

	(void)state;
	assert_non_null(mkdtemp(dir));
	run(&o, no_out);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: fidelity needs -o DIR\n");
	run(&o, no_dir);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: cannot open '/nonexistent-cfssim':"
				   " No such file or directory\n");
	/* the output directory is made (or refused) before any run: a
	 * scoreboard of real runs is not lost at the end for want of it */
	run(&o, bad_out);
	assert_int_equal(o.status, 1);
	assert_string_equal(o.err, "cfssim: cannot create directory "
				   "'/proc/cfssim-no': No such file or "
				   "directory\n");
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	run(&o, ok);
	assert_int_equal(o.status, 0);
	snprintf(path, sizeof(path), "%s/fidelity.md", sub);
	slurp(path, md, sizeof(md));
	assert_non_null(strstr(md, "# Fidelity scoreboard\n"));
	assert_non_null(strstr(md, "| scenario | rows | passed | not modelled "
				   "| verdict |\n| --- | ---: | ---: | ---: | "
				   "--- |\n\nEvery row"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/fidelity.csv", sub);
	slurp(path, md, sizeof(md));
	assert_string_equal(md, "scenario,group,task,index,figure,kind,sim_min,"
				"sim_max,real_mean,real_sd,real_min,real_max,"
				"rel_err,tolerance,runs_passed,runs,verdict\n");
	unlink(path);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	rmdir(sub);
	rmdir(dir);
}

static void test_cli_bad_cgroup_version(void **state)
{
	const char *args[] = {"--cgroup", "v3", "x.yaml", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err,
			    "cfssim: --cgroup must be v1 or v2, not 'v3'\n"
			    "Try 'cfssim --help' for more information.\n");
}

static void test_cli_cleanup_takes_no_file(void **state)
{
	const char *args[] = {"cleanup", "extra", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err,
			    "cfssim: unexpected argument 'extra'\n"
			    "Try 'cfssim --help' for more information.\n");
}

static void test_cli_missing_file(void **state)
{
	const char *args[] = {"/nonexistent/s.yaml", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: cannot open '/nonexistent/s.yaml': "
				   "No such file or directory\n");
	assert_string_equal(o.out, "");
}

static void test_cli_invalid_scenario_has_its_position(void **state)
{
	const char *path = write_scenario("name: x\nduration: 30\n");
	const char *args[] = {"sim", path, NULL};
	char want[256];
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 2);
	snprintf(want, sizeof(want),
		 "cfssim: %s:2:11: duration '30' needs a unit "
		 "(ns, us, ms, s)\n",
		 path);
	assert_string_equal(o.err, want);
	assert_string_equal(o.out, "");
}

/* A run longer than its period: a warning at the run (line 6, column 25)
 * on stderr, and the simulation still runs (exit 0). */
static void test_cli_overload_warns_and_runs(void **state)
{
	const char *path = write_scenario(
		"duration: 100ms\ngroups:\n  - name: g\n    tasks:\n"
		"      - name: t\n        workload: {run: 30ms, period: 25ms}\n");
	const char *args[] = {path, NULL};
	char want[256];
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 0);
	snprintf(want, sizeof(want),
		 "cfssim: %s:6:25: warning: 'run' 30ms is longer than "
		 "'period' 25ms: the thread falls behind its activations\n",
		 path);
	assert_string_equal(o.err, want);
	assert_non_null(strstr(o.out, "g/t[0]"));
}

/* A run of 0 is refused: exit 2, the position, nothing on stdout. */
static void test_cli_run_zero_is_refused(void **state)
{
	const char *path = write_scenario(
		"duration: 100ms\ngroups:\n  - name: g\n    tasks:\n"
		"      - name: t\n        workload: {run: 0us, period: 25ms}\n");
	const char *args[] = {"check", path, NULL};
	char want[256];
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 2);
	snprintf(want, sizeof(want),
		 "cfssim: %s:6:25: 'run' of a periodic workload must be "
		 "more than 0\n",
		 path);
	assert_string_equal(o.err, want);
	assert_string_equal(o.out, "");
}

/* check names both meanings of cpus and of period: the top-level count
 * and the group's cpuset, the group's bandwidth period and the task's
 * activation period (2 CPUs own 0-1; the group pins to CPU 1). */
static void test_cli_check_says_which_cpus_and_period(void **state)
{
	const char *path = write_scenario(
		"duration: 1s\ncpus: 2\ngroups:\n"
		"  - name: g\n    cpus: 1\n    quota: 20ms\n    period: 50ms\n"
		"    tasks:\n"
		"      - {name: t, workload: {run: 5ms, period: 25ms}}\n"
		"  - name: h\n    tasks: [{name: u}]\n");
	const char *args[] = {"check", path, NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 0);
	assert_string_equal(o.err, "");
	assert_non_null(
		strstr(o.out, "\n  cpus: 2 (CPUs the scenario owns: 0-1)\n"));
	assert_non_null(strstr(o.out, "\n    quota 20ms per period 50ms "
				      "(bandwidth), burst 0\n"));
	assert_non_null(strstr(o.out, "\n    cpuset: 1\n"));
	assert_non_null(strstr(o.out, "\n    task t: 1 thread, nice 0 "
				      "(weight 1024), periodic: run 5ms "
				      "every 25ms (activation period)\n"));
	assert_non_null(strstr(o.out, "\n    no quota (bandwidth period "
				      "100ms, unused)\n"));
	assert_non_null(strstr(o.out, "\n    cpuset: 0-1 (inherited)\n"));
}

/* check shows every tolerance of expect:, the per-task ones too, in the
 * order a scenario lists them (text) and as JSON. */
static void test_cli_check_shows_every_tolerance(void **state)
{
	const char *path = write_scenario(
		"duration: 1s\nexpect: {usage: 2%, nr_periods: 1, "
		"switches: 7%, wait: 3ms, latency: 20%}\n"
		"groups: [{name: g, tasks: [{name: t}]}]\n");
	const char *args[] = {"check", path, NULL};
	const char *json_args[] = {"check", path, "--json", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "\n  expect: usage 2%, nr_periods 1, "
				      "switches 7%, wait 3ms, latency 20%\n"));
	run(&o, json_args);
	unlink(path);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "\"switches\": {\"rel\": 0.07}, "
				      "\"wait\": {\"abs_ns\": 3000000}, "
				      "\"latency\": {\"rel\": 0.2}"));
}

/* --kernel may name a kernel older than a feature the file uses: the
 * error points at the task (line 5, where its mapping starts at column 9) */
static void test_cli_kernel_override_without_the_feature(void **state)
{
	const char *path = write_scenario("duration: 1s\n"
					  "groups:\n"
					  "  - name: g\n"
					  "    tasks:\n"
					  "      - name: hog\n"
					  "        slice: 1ms\n");
	const char *args[] = {"--kernel", "6.11", path, NULL};
	char want[300];
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 2);
	snprintf(want, sizeof(want),
		 "cfssim: %s:5:9: task 'g/hog' sets a slice, which kernel "
		 "6.11 with policy eevdf does not have (EEVDF, 6.12 or "
		 "later)\n",
		 path);
	assert_string_equal(o.err, want);
	assert_string_equal(o.out, "");
}

static void test_cli_json_of_a_lone_hog(void **state)
{
	static const char head[] = "{ \"scenario\": \"lone\", \"source\": "
				   "\"sim\", \"duration_usec\": 1000000, "
				   "\"cpus\": 1,";
	const char *path = write_scenario(lone_hog);
	const char *args[] = {path, "--json", NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 0);
	assert_true(!strncmp(o.out, head, sizeof(head) - 1));
	assert_non_null(strstr(o.out, "{ \"path\": \"g\", \"usage_usec\": "
				      "1000000, \"user_usec\": 1000000, "
				      "\"system_usec\": 0, \"nr_periods\": 0"));
	assert_non_null(strstr(o.out, "\"runtime_usec\": 1000000, "
				      "\"wait_usec\": 0, \"nr_switches\": 0"));
}

static void test_cli_duration_override_and_v1_units(void **state)
{
	const char *path = write_scenario(lone_hog);
	const char *args[] = {path,	  "--duration", "500ms",
			      "--cgroup", "v1",		NULL};
	struct outcome o;

	(void)state;
	run(&o, args);
	unlink(path);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "simulated run of 0.500 s on 1 CPU"));
	/* v1 names, nanoseconds: cpuacct.usage of half a second */
	assert_non_null(strstr(o.out, "cpuacct.usage"));
	assert_non_null(strstr(o.out, " 500000000 "));
}

static void test_cli_same_seed_same_output(void **state)
{
	const char *path = write_scenario(
		"duration: 1s\ncpus: 2\nseed: 9\ngroups:\n  - name: g\n"
		"    quota: 70ms\n    tasks:\n      - name: t\n"
		"        count: 3\n        workload: {phases: "
		"[{run: {min: 1ms, max: 9ms}}, {sleep: {min: 1ms, max: "
		"20ms}}]}\n");
	const char *args[] = {path, NULL};
	struct outcome a, b;

	(void)state;
	run(&a, args);
	run(&b, args);
	unlink(path);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.out, b.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_no_arguments_is_a_usage_error),
		cmocka_unit_test(test_cli_help_goes_to_stdout),
		cmocka_unit_test(test_cli_unknown_option),
		cmocka_unit_test(test_cli_bad_cgroup_version),
		cmocka_unit_test(test_cli_cleanup_takes_no_file),
		cmocka_unit_test(test_cli_missing_file),
		cmocka_unit_test(test_cli_invalid_scenario_has_its_position),
		cmocka_unit_test(test_cli_kernel_override_without_the_feature),
		cmocka_unit_test(test_cli_json_of_a_lone_hog),
		cmocka_unit_test(test_cli_duration_override_and_v1_units),
		cmocka_unit_test(test_cli_same_seed_same_output),
		cmocka_unit_test(test_cli_overload_warns_and_runs),
		cmocka_unit_test(test_cli_run_zero_is_refused),
		cmocka_unit_test(test_cli_check_says_which_cpus_and_period),
		cmocka_unit_test(test_cli_check_shows_every_tolerance),
		cmocka_unit_test(test_cli_rtapp_refusal),
		cmocka_unit_test(test_cli_import_needs_json),
		cmocka_unit_test(test_cli_export_then_run_and_import),
		cmocka_unit_test(test_cli_export_refusal_writes_nothing),
		cmocka_unit_test(test_cli_fidelity_errors_and_empty_dir),
	};

	if (access("build/cfssim", X_OK)) {
		fprintf(stderr, "build/cfssim missing: run make\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
