/* cfssim sweep, merge and tune run as programs: exact messages, shards
 * that add up to the whole sweep, a resume after SIGKILL, the engines'
 * environment, the jobs --emit writes (bash -n, a YAML parser, GNU
 * parallel really running one) and tune's answer for a lone hog worked out
 * by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

extern char **environ;

#define BIG (1 << 22)

struct outcome {
	int status;
	char *out; /* BIG bytes */
	char err[4096];
};

static char dir[64]; /* a fresh directory per test */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, BIG);
	size_t n = 0;

	assert_non_null(buf);
	if (f) {
		n = fread(buf, 1, BIG - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Runs build/cfssim (absolute) with args (NULL-terminated) and env
 * additions ("K=V", NULL-terminated, may be NULL), in dir. */
static pid_t start(const char *const *args, const char *const *env,
		   const char *out_path, const char *err_path)
{
	static char exe[4200];
	const char *argv[64], *envp[256];
	posix_spawn_file_actions_t fa;
	size_t i, n = 0;
	pid_t pid;
	int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char cwd[4096];

	assert_true(fo >= 0 && fe >= 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(exe, sizeof(exe), "%s/build/cfssim", cwd);
	argv[0] = exe;
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	for (i = 0; environ[i] && n < 200; i++)
		if (strncmp(environ[i], "SLURM_", 6) &&
		    strncmp(environ[i], "JOB_COMPLETION_INDEX=", 21) &&
		    strncmp(environ[i], "CFSSIM_SHARDS=", 14))
			envp[n++] = environ[i];
	for (i = 0; env && env[i]; i++)
		envp[n++] = env[i];
	envp[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fo, 1);
	posix_spawn_file_actions_adddup2(&fa, fe, 2);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	assert_int_equal(posix_spawn(&pid, exe, &fa, NULL, (char *const *)argv,
				     (char *const *)envp),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fo);
	close(fe);
	return pid;
}

static void run_env(struct outcome *o, const char *const *args,
		    const char *const *env)
{
	char op[128], ep[128];
	char *e;
	int st;
	pid_t pid;

	snprintf(op, sizeof(op), "%s/.out", dir);
	snprintf(ep, sizeof(ep), "%s/.err", dir);
	pid = start(args, env, op, ep);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	o->status = WEXITSTATUS(st);
	free(o->out);
	o->out = slurp(op, NULL);
	e = slurp(ep, NULL);
	snprintf(o->err, sizeof(o->err), "%s", e);
	free(e);
}

static void run(struct outcome *o, const char *const *args)
{
	run_env(o, args, NULL);
}

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *name, size_t *len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path, len);
}

static bool exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/cfssim-test-sweep-cli-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Lines of text sorted by the id each begins with ({"id": N, ...). */
static int cmp_lines(const void *a, const void *b)
{
	long x = strtol(*(char *const *)a + 7, NULL, 10);
	long y = strtol(*(char *const *)b + 7, NULL, 10);

	return x < y ? -1 : x > y;
}

static char *sorted_by_id(const char *text, size_t *nlines)
{
	char *copy = strdup(text), *p, *out, **lines = NULL;
	size_t n = 0, i, len = strlen(text);

	assert_non_null(copy);
	for (p = strtok(copy, "\n"); p; p = strtok(NULL, "\n")) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		assert_true(strncmp(p, "{\"id\": ", 7) == 0);
		lines[n++] = p;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	out = calloc(1, len + 2);
	for (i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(lines);
	free(copy);
	*nlines = n;
	return out;
}

/* A lone hog limited by quota on 1 CPU for 1 s: 10 periods of 100 ms.
 * Each refill gives it quota; charging at ticks (4 ms, HZ 250) lets a
 * period overrun by less than a tick, repaid in the next, so over the
 * 10 periods usage lies in [10 quota, 10 quota + 4 ms). */
static const char hog[] = "name: hog\n"
			  "duration: 1s\n"
			  "cpus: 1\n"
			  "groups:\n"
			  "  - name: web\n"
			  "    quota: 50ms\n"
			  "    period: 100ms\n"
			  "    tasks:\n"
			  "      - {name: hog, workload: hog}\n";

/* Something with more to simulate, for a sweep that takes a while: 400
 * points of about 3 ms of CPU each. */
static const char busy[] = "name: busy\n"
			   "duration: 10s\n"
			   "cpus: 2\n"
			   "groups:\n"
			   "  - name: web\n"
			   "    quota: 100ms\n"
			   "    tasks:\n"
			   "      - name: server\n"
			   "        count: 8\n"
			   "        workload: {run: 3ms, period: 20ms}\n"
			   "  - name: jobs\n"
			   "    tasks:\n"
			   "      - name: steps\n"
			   "        count: 8\n"
			   "        workload: {phases: [{run: {min: 1ms, max: "
			   "4ms}}, {sleep: {min: 2ms, max: 10ms}}]}\n";

static void test_sweep_cli_bad_path_exits_2_before_running(void **state)
{
	const char *a1[] = {"sweep", "s.yaml",	"--set", "web.qouta=10ms",
			    "-o",    "r.jsonl", NULL};
	const char *a2[] = {"sweep", "s.yaml",	"--set", "web.quota=1ms,abc",
			    "-o",    "r.jsonl", NULL};
	const char *a3[] = {"sweep", "s.yaml", "-o", "r.jsonl", NULL};
	const char *a4[] = {"sweep", "s.yaml", "--set", "web.quota=1ms..5ms",
			    NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a1);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: --set 'web.qouta=10ms': no key "
				   "'qouta' in group 'web'\n");
	assert_string_equal(o.out, "");
	assert_false(exists("r.jsonl"));
	run(&o, a2);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: --set 'web.quota=abc': 'abc' is "
				   "not a duration\n");
	assert_false(exists("r.jsonl"));
	run(&o, a3);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: nothing to sweep: give --set "
				   "PATH=VALUES or a 'sweep:' block\n");
	run(&o, a4);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err,
			    "cfssim: --set 'web.quota=1ms..5ms': range "
			    "'1ms..5ms' needs a step ('/STEP') or a factor "
			    "('*FACTOR')\n");
	free(o.out);
}

static void test_sweep_cli_lines_carry_the_point(void **state)
{
	const char *a[] = {"sweep", "s.yaml", "--set", "web.quota=20ms,10ms",
			   "-j",    "1",      NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	/* ids from the sorted grid: 10ms is point 0 whatever the order on
	 * the command line; usage 10 x 10ms plus less than a tick */
	assert_true(starts(o.out, "{\"id\": 0, \"of\": 2, \"sweep\": \""));
	assert_non_null(strstr(o.out,
			       "\"params\": {\"web.quota\": \"10ms\"}, "
			       "\"seed\": 1, \"result\": { \"scenario\": "
			       "\"hog\", \"source\": \"sim\""));
	assert_non_null(strstr(o.out, "\"wall_usec\": 0,"));
	assert_non_null(strstr(o.out, "\n{\"id\": 1, \"of\": 2,"));
	assert_non_null(strstr(o.out, "\"params\": {\"web.quota\": \"20ms\"}"));
	/* one line per point */
	assert_int_equal(strchr(strchr(o.out, '\n') + 1, '\n')[1], '\0');
	free(o.out);
}

/* The union of N shards, merged, equals the unsharded sweep sorted by id,
 * byte for byte. */
static void test_sweep_cli_shards_add_up(void **state)
{
	static const unsigned ns[] = {1, 3, 7};
	const char *whole[] = {"sweep",	  "s.yaml",
			       "--set",	  "web.quota=10ms..100ms/10ms",
			       "--set",	  "duration=500ms,1s",
			       "--seeds", "2",
			       "-o",	  "whole.jsonl",
			       NULL};
	struct outcome o = {0};
	char *w, *ws, *m, shard[32], out[64], spec[16];
	const char *merge[16];
	size_t n, k, i, nl;

	(void)state;
	put("s.yaml", hog);
	run(&o, whole);
	assert_int_equal(o.status, 0);
	w = get("whole.jsonl", NULL);
	ws = sorted_by_id(w, &nl);
	assert_int_equal(nl, 10 * 2 * 2);
	for (k = 0; k < 3; k++) {
		n = ns[k];
		merge[0] = "merge";
		merge[1] = "merged.jsonl";
		for (i = 0; i < n; i++) {
			const char *a[] = {
				"sweep",   "s.yaml",
				"--set",   "duration=1s,500ms",
				"--set",   "web.quota=10ms..100ms/10ms",
				"--seeds", "2",
				"-j",	   "2",
				"--shard", spec,
				"-o",	   out,
				NULL};

			snprintf(spec, sizeof(spec), "%zu/%zu", i, n);
			snprintf(out, sizeof(out), "shard-%zu.jsonl", i);
			run(&o, a);
			assert_int_equal(o.status, 0);
			merge[2 + i] = strdup(out);
		}
		merge[2 + n] = NULL;
		run(&o, merge);
		assert_int_equal(o.status, 0);
		snprintf(shard, sizeof(shard),
			 "merged.jsonl: 40 of 40 points\n");
		assert_string_equal(o.out, shard);
		m = get("merged.jsonl", NULL);
		assert_string_equal(m, ws);
		free(m);
		for (i = 0; i < n; i++)
			free((char *)merge[2 + i]);
		for (i = 0; i < n; i++) {
			char p[128];

			snprintf(p, sizeof(p), "%s/shard-%zu.jsonl", dir, i);
			unlink(p);
		}
	}
	free(w);
	free(ws);
	free(o.out);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A -j 2 sweep killed with SIGKILL halfway, and a torn line after it,
 * resumes to exactly the whole sweep: nothing lost, nothing twice. */
static void test_sweep_cli_resume_after_kill(void **state)
{
	const char *a[] = {"sweep", "s.yaml",
			   "--set", "web.quota=20ms..800ms/20ms",
			   "--set", "jobs:steps.count=1..10",
			   "-j",    "2",
			   "-o",    "r.jsonl",
			   NULL};
	const char *full[] = {"sweep", "s.yaml",
			      "--set", "web.quota=20ms..800ms/20ms",
			      "--set", "jobs:steps.count=1..10",
			      "-j",    "2",
			      "-o",    "full.jsonl",
			      NULL};
	struct timespec ts = {0, 2 * 1000 * 1000};
	struct outcome o = {0};
	char op[128], ep[128], path[128];
	char *r, *f, *rs, *fs, *nl;
	size_t before = 0, nr, nf, len;
	int st, i;
	pid_t pid;
	FILE *fp;

	(void)state;
	put("s.yaml", busy);
	snprintf(op, sizeof(op), "%s/.out", dir);
	snprintf(ep, sizeof(ep), "%s/.err", dir);
	pid = start(a, NULL, op, ep);
	/* wait for some points but not all 400 */
	for (i = 0; i < 30000 && before < 8; i++) {
		nanosleep(&ts, NULL);
		r = get("r.jsonl", NULL);
		before = count_lines(r);
		free(r);
	}
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	r = get("r.jsonl", &len);
	before = count_lines(r);
	assert_true(before >= 8 && before < 400);
	/* a writer killed inside a line: half of a real line, no newline */
	nl = strchr(r, '\n');
	snprintf(path, sizeof(path), "%s/r.jsonl", dir);
	fp = fopen(path, "a");
	fwrite(r, 1, (size_t)(nl - r) / 2, fp);
	fclose(fp);
	free(r);
	run(&o, a);
	assert_int_equal(o.status, 0);
	run(&o, full);
	assert_int_equal(o.status, 0);
	r = get("r.jsonl", NULL);
	f = get("full.jsonl", NULL);
	rs = sorted_by_id(r, &nr);
	fs = sorted_by_id(f, &nf);
	assert_int_equal(nr, 400);
	assert_int_equal(nf, 400);
	assert_string_equal(rs, fs);
	free(r);
	free(f);
	free(rs);
	free(fs);
	free(o.out);
}

static void test_sweep_cli_resume_refuses_another_sweep(void **state)
{
	const char *a[] = {"sweep", "s.yaml",  "--set", "web.quota=10ms,20ms",
			   "-o",    "r.jsonl", NULL};
	const char *b[] = {"sweep", "s.yaml",  "--set", "web.quota=10ms,30ms",
			   "-o",    "r.jsonl", NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	run(&o, b);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err,
			    "cfssim: 'r.jsonl' holds points of another sweep "
			    "(line 1): the scenario or the grid differ; use "
			    "another output file\n");
	free(o.out);
}

/* ids of the points in JSON Lines text, as a bit mask */
static uint64_t id_mask(const char *s)
{
	uint64_t m = 0;

	for (; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		if (!strncmp(s, "{\"id\": ", 7))
			m |= 1ULL << strtol(s + 7, NULL, 10);
	return m;
}

static void test_sweep_cli_engines_pick_the_shard(void **state)
{
	const char *a[] = {"sweep", "s.yaml", "--set",
			   "web.quota=1ms..10ms/1ms", NULL};
	const char *slurm[] = {"SLURM_ARRAY_TASK_ID=2",
			       "SLURM_ARRAY_TASK_COUNT=3", NULL};
	const char *slurm1[] = {"SLURM_ARRAY_TASK_ID=3",
				"SLURM_ARRAY_TASK_COUNT=3",
				"SLURM_ARRAY_TASK_MIN=1", NULL};
	const char *k8s[] = {"JOB_COMPLETION_INDEX=1", "CFSSIM_SHARDS=4", NULL};
	const char *k8s_bad[] = {"JOB_COMPLETION_INDEX=1", NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	/* ids 2, 5, 8 */
	run_env(&o, a, slurm);
	assert_int_equal(o.status, 0);
	assert_true(id_mask(o.out) == ((1 << 2) | (1 << 5) | (1 << 8)));
	/* an array 1-3: task 3 is the third shard */
	run_env(&o, a, slurm1);
	assert_int_equal(o.status, 0);
	assert_true(id_mask(o.out) == ((1 << 2) | (1 << 5) | (1 << 8)));
	/* ids 1, 5, 9 */
	run_env(&o, a, k8s);
	assert_int_equal(o.status, 0);
	assert_true(id_mask(o.out) == ((1 << 1) | (1 << 5) | (1 << 9)));
	run_env(&o, a, k8s_bad);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: JOB_COMPLETION_INDEX is set but "
				   "CFSSIM_SHARDS (the number of shards) is "
				   "not\n");
	free(o.out);
}

static void test_sweep_cli_slurm_script_is_valid_bash(void **state)
{
	const char *a[] = {"sweep",    "s.yaml",
			   "--set",    "web.quota=1ms..10ms/1ms",
			   "--emit",   "slurm",
			   "--shards", "7",
			   "-o",       "res/out it's.jsonl",
			   NULL};
	struct outcome o = {0};
	char cmd[256];

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	assert_true(starts(o.out, "#!/bin/bash\n"));
	assert_non_null(strstr(o.out, "\n#SBATCH --array=0-6\n"));
	assert_non_null(strstr(o.out, "--shard \"${SLURM_ARRAY_TASK_ID}/7\""));
	put("job.sh", o.out);
	snprintf(cmd, sizeof(cmd), "bash -n '%s/job.sh'", dir);
	assert_int_equal(system(cmd), 0);
	free(o.out);
}

/* The value of a key path ("spec", "completions") in a YAML mapping node
 * of doc, or NULL. */
static yaml_node_t *ymap(yaml_document_t *doc, yaml_node_t *map,
			 const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *yscalar(yaml_node_t *n)
{
	assert_non_null(n);
	assert_int_equal(n->type, YAML_SCALAR_NODE);
	return (const char *)n->data.scalar.value;
}

static void test_sweep_cli_k8s_manifest_parses(void **state)
{
	const char *a[] = {
		"sweep",  "s.yaml",  "--set",	 "web.quota=1ms..10ms/1ms",
		"--emit", "k8s",     "--shards", "5",
		"-o",	  "r.jsonl", NULL};
	yaml_document_t docs[2];
	yaml_node_t *root, *spec, *pod, *c, *cmd;
	yaml_parser_t p;
	struct outcome o = {0};
	int i;

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (unsigned char *)o.out, strlen(o.out));
	for (i = 0; i < 2; i++)
		assert_true(yaml_parser_load(&p, &docs[i]));
	/* the ConfigMap holds the scenario byte for byte */
	root = yaml_document_get_root_node(&docs[0]);
	assert_string_equal(yscalar(ymap(&docs[0], root, "kind")), "ConfigMap");
	assert_string_equal(
		yscalar(ymap(&docs[0], ymap(&docs[0], root, "data"), "s.yaml")),
		hog);
	root = yaml_document_get_root_node(&docs[1]);
	assert_string_equal(yscalar(ymap(&docs[1], root, "kind")), "Job");
	spec = ymap(&docs[1], root, "spec");
	assert_string_equal(yscalar(ymap(&docs[1], spec, "completionMode")),
			    "Indexed");
	assert_string_equal(yscalar(ymap(&docs[1], spec, "completions")), "5");
	pod = ymap(&docs[1], ymap(&docs[1], spec, "template"), "spec");
	c = ymap(&docs[1], pod, "containers");
	assert_int_equal(c->type, YAML_SEQUENCE_NODE);
	c = yaml_document_get_node(&docs[1], *c->data.sequence.items.start);
	cmd = ymap(&docs[1], c, "command");
	assert_int_equal(cmd->type, YAML_SEQUENCE_NODE);
	/* results per shard, named by the completion index */
	assert_string_equal(
		yscalar(yaml_document_get_node(
			&docs[1], cmd->data.sequence.items.top[-1])),
		"/results/r.shard-$(JOB_COMPLETION_INDEX).jsonl");
	assert_non_null(strstr(o.out, "- name: CFSSIM_SHARDS\n"
				      "              value: \"5\"\n"));
	for (i = 0; i < 2; i++)
		yaml_document_delete(&docs[i]);
	yaml_parser_delete(&p);
	free(o.out);
}

/* The GNU parallel line runs here, 7 shards, and merges to the unsplit
 * sweep. */
static void test_sweep_cli_parallel_line_runs(void **state)
{
	const char *a[] = {"sweep",    "s.yaml",
			   "--set",    "web.quota=10ms..100ms/10ms",
			   "--set",    "duration=500ms,1s",
			   "--emit",   "parallel",
			   "--shards", "7",
			   "-o",       "par/r.jsonl",
			   NULL};
	const char *whole[] = {"sweep", "s.yaml",
			       "--set", "web.quota=10ms..100ms/10ms",
			       "--set", "duration=500ms,1s",
			       "-o",	"whole.jsonl",
			       NULL};
	struct outcome o = {0};
	char *cmd, *w, *ws, *m;
	size_t n;

	(void)state;
	if (system("command -v parallel >/dev/null 2>&1") != 0) {
		if (getenv("CFSSIM_REQUIRE_REAL"))
			fail_msg("GNU parallel is missing (tools/deps.sh "
				 "installs it)");
		skip();
	}
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "--joblog par/r.joblog"));
	cmd = malloc(strlen(o.out) + 256);
	sprintf(cmd, "cd '%s' && %s", dir, o.out);
	cmd[strlen(cmd) - 1] = '\0';
	strcat(cmd, " >/dev/null 2>&1");
	assert_int_equal(system(cmd), 0);
	free(cmd);
	run(&o, whole);
	assert_int_equal(o.status, 0);
	w = get("whole.jsonl", NULL);
	ws = sorted_by_id(w, &n);
	assert_int_equal(n, 20);
	m = get("par/r.jsonl", NULL);
	assert_string_equal(m, ws);
	assert_true(exists("par/r.shard-6.jsonl"));
	assert_true(exists("par/r.joblog"));
	free(w);
	free(ws);
	free(m);
	free(o.out);
}

static void test_sweep_cli_merge_reports_missing(void **state)
{
	const char *a[] = {
		"sweep",   "s.yaml", "--set", "web.quota=1ms..10ms/1ms",
		"--shard", "0/3",    "-o",    "s0.jsonl",
		NULL};
	const char *m[] = {"merge", "all.jsonl", "s0.jsonl", NULL};
	const char *m1[] = {"merge", "all.jsonl", NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	run(&o, m);
	assert_int_equal(o.status, 1);
	assert_string_equal(o.out, "all.jsonl: 4 of 10 points\n");
	assert_string_equal(o.err, "cfssim: 6 points are missing: 1-2, 4-5, "
				   "7-8\n");
	run(&o, m1);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: 'merge' needs OUT and at least one "
				   "SHARD\nTry 'cfssim --help' for more "
				   "information.\n");
	free(o.out);
}

/* usage(Q) lies in [10 Q, 10 Q + 4 ms) (see hog above).  The smallest
 * quota with usage >= 600 ms on a 1 ms grid: 59 ms gives less than
 * 594 ms, 60 ms at least 600 ms.  The largest with usage <= 295 ms: 29 ms
 * gives less than 294 ms, 30 ms at least 300 ms. */
static void test_sweep_cli_tune_finds_the_hand_answer(void **state)
{
	const char *a[] = {"tune",     "s.yaml",
			   "--vary",   "web.quota=1ms..100ms/1ms",
			   "--target", "web.usage_usec >= 600ms",
			   NULL};
	const char *b[] = {"tune",     "s.yaml",
			   "--vary",   "web.quota=1ms..100ms/1ms",
			   "--target", "web.usage_usec <= 295ms",
			   "--max",    NULL};
	const char *c[] = {"tune",     "s.yaml",
			   "--vary",   "web.quota=1ms..100ms/1ms",
			   "--target", "web.usage_usec >= 2s",
			   NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	assert_true(starts(o.out,
			   "web.quota = 60ms: the smallest value meeting "
			   "every target\n"));
	/* bisection over 100 values: the two ends and at most 7 more */
	assert_non_null(
		strstr(o.out, " of 100 values evaluated (bisection)\n"));
	assert_string_equal(o.err, "");
	run(&o, b);
	assert_int_equal(o.status, 0);
	assert_true(starts(o.out, "web.quota = 29ms: the largest value meeting "
				  "every target\n"));
	/* 1 s on 1 CPU: never 2 s */
	run(&o, c);
	assert_int_equal(o.status, 1);
	assert_true(starts(o.out,
			   "web.quota: no value from 1ms to 100ms meets every "
			   "target\n"));
	free(o.out);
}

static void test_sweep_cli_tune_messages(void **state)
{
	const char *a[] = {"tune", "s.yaml", "--vary", "web.quota=1ms..2ms",
			   NULL};
	const char *b[] = {"tune",     "s.yaml",
			   "--vary",   "web.quota=1ms..2ms",
			   "--target", "web.usage_usec < 20",
			   NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: tune needs one --vary "
				   "PATH=LO..HI and at least one --target\n");
	run(&o, b);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.err, "cfssim: target 'web.usage_usec < 20': "
				   "'20' must be a duration like '20ms'\n");
	free(o.out);
}

static void test_sweep_cli_csv(void **state)
{
	const char *a[] = {"sweep",    "s.yaml", "--set", "web.quota=10ms,20ms",
			   "--format", "csv",	 "-o",	  "r.csv",
			   "-j",       "1",	 NULL};
	struct outcome o = {0};
	char *csv;

	(void)state;
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	/* resuming adds nothing, and no second header */
	run(&o, a);
	assert_int_equal(o.status, 0);
	csv = get("r.csv", NULL);
	assert_true(starts(csv,
			   "id,seed,web.quota,web.usage_usec,web.nr_periods,"
			   "web.nr_throttled,web.throttled_usec,"
			   "web.throttled_ratio,web:hog.runtime_usec,"
			   "web:hog.wait_usec,web:hog.nr_switches\n"));
	/* 10 periods, each throttled: the ratio is 1 */
	assert_non_null(strstr(csv, "\n0,1,10ms,"));
	assert_non_null(strstr(csv, ",10,10,"));
	assert_int_equal(count_lines(csv), 3);
	free(csv);
	free(o.out);
}

/* Latency results are figures too.  One worker alone on an idle CPU,
 * requests evenly spaced 10 ms apart, each of S CPU: none waits, so every
 * latency (completion - arrival) is S, and p50 = p99 = S. */
static void test_sweep_cli_latency_figures(void **state)
{
	static const char lat[] = "name: lat\n"
				  "duration: 2s\n"
				  "groups:\n"
				  "  - name: web\n"
				  "    tasks:\n"
				  "      - name: server\n"
				  "        workload:\n"
				  "          requests: {rate: 100/s, arrival: "
				  "uniform, service: 2ms}\n";
	const char *a[] = {
		"sweep",    "s.yaml",
		"--set",    "web:server.workload.requests.service=1ms,2ms",
		"--format", "csv",
		"-j",	    "1",
		NULL};
	const char *t[] = {
		"tune",	    "s.yaml",
		"--vary",   "web:server.workload.requests.service=1ms..5ms/1ms",
		"--target", "web:server.latency.p99 <= 3ms",
		"--max",    NULL};
	struct outcome o = {0};

	(void)state;
	put("s.yaml", lat);
	run(&o, a);
	assert_int_equal(o.status, 0);
	assert_true(starts(o.out, "id,seed,web:server.workload.requests."
				  "service,"));
	assert_non_null(strstr(o.out, ",web:server.latency.p50,"
				      "web:server.latency.p99\n"));
	assert_non_null(strstr(o.out, "\n0,1,1ms,"));
	assert_non_null(strstr(o.out, ",1000,1000\n"));
	assert_non_null(strstr(o.out, ",2000,2000\n"));
	run(&o, t);
	assert_int_equal(o.status, 0);
	assert_true(starts(o.out, "web:server.workload.requests.service = 3ms: "
				  "the largest value meeting every target\n"));
	free(o.out);
}

static void test_sweep_cli_plot_draws_the_sweep(void **state)
{
	const char *a[] = {"sweep", "s.yaml",
			   "--set", "web.quota=10ms..50ms/10ms",
			   "--set", "duration=500ms,1s",
			   "-o",    "r.jsonl",
			   NULL};
	const char *p[] = {"plot", "--sweep", "r.jsonl", "-o", "pics", NULL};
	struct outcome o = {0};
	struct stat st;
	char path[256];

	(void)state;
	if (system("command -v gnuplot >/dev/null 2>&1") != 0)
		skip();
	put("s.yaml", hog);
	run(&o, a);
	assert_int_equal(o.status, 0);
	run(&o, p);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "pics/sweep-web-usage_usec.png\n"));
	assert_non_null(strstr(o.out, "pics/heat-web-usage_usec.svg\n"));
	snprintf(path, sizeof(path), "%s/pics/sweep-web-usage_usec.png", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
	free(o.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_bad_path_exits_2_before_running, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_lines_carry_the_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_cli_shards_add_up,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_resume_after_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_resume_refuses_another_sweep, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_engines_pick_the_shard, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_slurm_script_is_valid_bash, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_k8s_manifest_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_parallel_line_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_merge_reports_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_tune_finds_the_hand_answer, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_sweep_cli_tune_messages,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_cli_csv, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sweep_cli_latency_figures,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sweep_cli_plot_draws_the_sweep, setup, teardown),
	};

	if (access("build/cfssim", X_OK)) {
		fprintf(stderr, "build/cfssim missing: run make first\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
