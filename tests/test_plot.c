/* Tests of the CSV export (output/timeline_csv.c) and of the pictures
 * (output/plot.c, the scripts of plots/) on the hand-built run of plot_fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/plot.h"
#include "output/timeline_csv.h"
#include "scenarios/loader.h"
#include "sim/sim.h"
#include "tests/plot_fixture.h"

/* Splits a CSV line without quoted fields into at most max fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	p = f[n - 1] + strcspn(f[n - 1], "\r\n");
	*p = '\0';
	return n;
}

/* Runs fn on every data row of dir/name; returns the header line. */
static char *each_row(const char *dir, const char *name,
		      void (*fn)(char **f, int n, void *arg), void *arg)
{
	char *path = fx_path(dir, name);
	char *text = fx_read(path, NULL);
	char *line, *save = NULL, *header;

	assert_non_null(text);
	line = strtok_r(text, "\n", &save);
	assert_non_null(line);
	header = xstrdup(line);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f[16];
		int n = split(line, f, 16);

		fn(f, n, arg);
	}
	free(text);
	free(path);
	return header;
}

struct csv_fixture {
	struct results r;
	char *dir;
};

static int setup(void **state)
{
	struct csv_fixture *fx = xcalloc(1, sizeof(*fx));
	struct err err;

	fx_build(&fx->r);
	fx->dir = fx_tmpdir();
	assert_non_null(fx->dir);
	err_init(&err);
	assert_int_equal(timeline_csv_write(&fx->r, fx->dir, 0, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct csv_fixture *fx = *state;
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	results_destroy(&fx->r);
	free(fx->dir);
	free(fx);
	return 0;
}

static void ignore_row(char **f, int n, void *arg)
{
	(void)f;
	(void)n;
	(void)arg;
}

static void check_header(const char *dir, const char *name, const char *want)
{
	char *h = each_row(dir, name, ignore_row, NULL);

	assert_string_equal(h, want);
	free(h);
}

/* Two groups with one hog each on one CPU: each thread is alone in its
 * group's queue, so its own vruntime is always its queue's min_vruntime
 * (0 in the picture's top panel), and what differs is the group entities
 * at the top level.  By hand: both weigh 1024 (one CPU: the group gets its
 * whole shares), they alternate one tick (4 ms) each, and the one that
 * stops is ahead of the other by some d, so its lag is -d/2 of CPU time;
 * the next one to stop is ahead by 4 ms - d, lag -(4 ms - d)/2.  Two
 * consecutive samples therefore add up to -2 ms (to within the group
 * entity's inverse weight, 0xFFFFFFFF / 1024, which loses 1 ns per 4 ms).
 * The CSV names the group. */
static void test_vruntime_top_level_lag(void **state)
{
	static const char yaml[] = "duration: 200ms\ncpus: 1\ngroups:\n"
				   "  - name: a\n    tasks: [{name: t}]\n"
				   "  - name: b\n    tasks: [{name: t}]\n";
	struct sim_options opt = {.timeline = true};
	const struct vruntime_sample *v;
	struct scenario sc;
	struct results r;
	struct err err;
	char *dir, *path, *text, cmd[4200];
	size_t i, n;

	(void)state;
	err_init(&err);
	assert_int_equal(
		scenario_load_string(yaml, strlen(yaml), "two.yaml", &sc, &err),
		0);
	assert_int_equal(sim_run(&sc, &opt, &r, &err), 0);
	v = r.timeline->vruntimes;
	n = r.timeline->nvruntimes;
	/* 200 ms of 4 ms turns: about 50 switches */
	assert_true(n >= 45 && n <= 50);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].vruntime_ns, 0);
		assert_int_equal(v[i].top_group, v[i].task); /* a: 0, b: 1 */
	}
	for (i = 1; i + 1 < n; i++) {
		assert_int_not_equal(v[i].top_group, v[i + 1].top_group);
		assert_true(llabs(v[i].top_lag_ns + v[i + 1].top_lag_ns +
				  (long long)(2 * FX_MS)) <= 10);
	}
	dir = fx_tmpdir();
	assert_int_equal(timeline_csv_write(&r, dir, 0, &err), 0);
	path = fx_path(dir, "vruntime.csv");
	text = fx_read(path, NULL);
	assert_non_null(strstr(text, "\nt,0,0,"));
	assert_non_null(strstr(text, ",0,a,"));
	assert_non_null(strstr(text, ",1,b,"));
	free(text);
	free(path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
	results_destroy(&r);
	scenario_destroy(&sc);
}

static void test_csv_headers_carry_units(void **state)
{
	struct csv_fixture *fx = *state;

	check_header(fx->dir, "periods.csv",
		     "group,start_us,end_us,quota_us,used_us,throttled_us,"
		     "throttled,group_id");
	check_header(fx->dir, "slices.csv",
		     "task,thread,cpu,start_us,end_us,group,task_id");
	check_header(fx->dir, "vruntime.csv",
		     "task,thread,cpu,time_us,vruntime_us,task_id,top_group,"
		     "top_lag_us,top_group_id");
	check_header(
		fx->dir, "usage.csv",
		"group,start_us,end_us,usage_us,self_us,stack_us,group_id");
	check_header(fx->dir, "groups.csv",
		     "id,group,usage_us,user_us,system_us,nr_periods,"
		     "nr_throttled,throttled_us,nr_bursts,burst_us");
	check_header(fx->dir, "tasks.csv",
		     "id,group,task,thread,runtime_us,wait_us,nr_switches,"
		     "nr_voluntary");
}

struct sums {
	int64_t by_id[8];
	int64_t window_start, window_end; /* for slice clipping */
	int rows;
};

static void sum_used(char **f, int n, void *arg)
{
	struct sums *s = arg;

	assert_int_equal(n, 8);
	s->by_id[atoi(f[7])] += fx_us(f[4], strlen(f[4]));
	if (s->rows == 0 || fx_us(f[1], strlen(f[1])) < s->window_start)
		s->window_start = fx_us(f[1], strlen(f[1]));
	if (fx_us(f[2], strlen(f[2])) > s->window_end)
		s->window_end = fx_us(f[2], strlen(f[2]));
	s->rows++;
}

static void sum_batch_slices(char **f, int n, void *arg)
{
	struct sums *s = arg;
	int64_t a = fx_us(f[3], strlen(f[3])), b = fx_us(f[4], strlen(f[4]));

	assert_int_equal(n, 7);
	if (strcmp(f[5], "batch") != 0 && strncmp(f[5], "batch/", 6) != 0)
		return;
	if (a < s->window_start)
		a = s->window_start;
	if (b > s->window_end)
		b = s->window_end;
	if (b > a)
		s->by_id[0] += b - a;
}

static void test_csv_periods_add_up_to_usage(void **state)
{
	struct csv_fixture *fx = *state;
	struct sums per = {{0}, 0, 0, 0}, sl = {{0}, 0, 0, 0};

	free(each_row(fx->dir, "periods.csv", sum_used, &per));
	assert_int_equal(per.rows, 10);
	/* 10 periods of 30 ms used by batch (group 1) */
	assert_int_equal(per.by_id[1], 300 * FX_MS);
	/* ... equal to batch's usage (hierarchical) in the period window */
	sl.window_start = per.window_start;
	sl.window_end = per.window_end;
	free(each_row(fx->dir, "slices.csv", sum_batch_slices, &sl));
	assert_int_equal(sl.by_id[0], per.by_id[1]);
	assert_int_equal(sl.by_id[0], fx->r.groups[1].usage_ns);
}

static void sum_usage(char **f, int n, void *arg)
{
	struct sums *s = arg;

	assert_int_equal(n, 7);
	s->by_id[atoi(f[6])] += fx_us(f[3], strlen(f[3]));
	s->by_id[4 + atoi(f[6])] += fx_us(f[4], strlen(f[4]));
	if (s->rows++ == 0) {
		assert_string_equal(f[1], "0.000");
		assert_string_equal(f[2], "5000.000"); /* 1 s -> 5 ms */
	}
}

static void test_csv_usage_buckets_add_up_to_cpu_stat(void **state)
{
	struct csv_fixture *fx = *state;
	struct sums s = {{0}, 0, 0, 0};

	free(each_row(fx->dir, "usage.csv", sum_usage, &s));
	assert_int_equal(s.rows, 3 * 200);
	assert_int_equal(s.by_id[0], 999999750);       /* web */
	assert_int_equal(s.by_id[1], 300 * FX_MS);     /* batch, with inner */
	assert_int_equal(s.by_id[2], 100 * FX_MS);     /* batch/inner */
	assert_int_equal(s.by_id[4 + 1], 200 * FX_MS); /* batch's own */
}

static void sum_slices(char **f, int n, void *arg)
{
	struct sums *s = arg;

	assert_int_equal(n, 7);
	s->by_id[atoi(f[6])] +=
		fx_us(f[4], strlen(f[4])) - fx_us(f[3], strlen(f[3]));
}

static void test_csv_slices_add_up_to_task_runtime(void **state)
{
	struct csv_fixture *fx = *state;
	struct sums s = {{0}, 0, 0, 0};

	free(each_row(fx->dir, "slices.csv", sum_slices, &s));
	assert_int_equal(s.by_id[0], 250 * 3999999LL);
	assert_int_equal(s.by_id[1], 100 * FX_MS);
	assert_int_equal(s.by_id[2], 100 * FX_MS);
	assert_int_equal(s.by_id[3], 100 * FX_MS);
}

static void test_csv_cannot_create_directory(void **state)
{
	struct csv_fixture *fx = *state;
	char *file = fx_path(fx->dir, "groups.csv");
	char *sub = fx_path(file, "sub");
	char want[4400];
	struct err err;

	err_init(&err);
	assert_int_equal(timeline_csv_write(&fx->r, sub, 0, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot create directory '%s': Not a directory", sub);
	assert_string_equal(err.msg, want);
	free(sub);
	free(file);
}

static void test_csv_auto_bucket(void **state)
{
	(void)state;
	assert_int_equal(timeline_csv_auto_bucket(100 * FX_MS), 1 * FX_MS);
	assert_int_equal(timeline_csv_auto_bucket(300 * FX_MS), 1 * FX_MS);
	assert_int_equal(timeline_csv_auto_bucket(301 * FX_MS), 2 * FX_MS);
	assert_int_equal(timeline_csv_auto_bucket(1000 * FX_MS), 5 * FX_MS);
	assert_int_equal(timeline_csv_auto_bucket(3000 * FX_MS), 10 * FX_MS);
	assert_int_equal(timeline_csv_auto_bucket(1000000 * FX_MS),
			 1000 * FX_MS);
}

static void test_csv_field_quoting(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	timeline_csv_field(f, "plain");
	fputc('|', f);
	timeline_csv_field(f, "a,b");
	fputc('|', f);
	timeline_csv_field(f, "say \"hi\"");
	fclose(f);
	assert_string_equal(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
	free(buf);
}

static void test_window_parse(void **state)
{
	uint64_t a = 1, b = 1;
	struct err err;

	(void)state;
	err_init(&err);
	assert_int_equal(plot_parse_window("100ms:300ms", &a, &b, &err), 0);
	assert_int_equal(a, 100 * FX_MS);
	assert_int_equal(b, 300 * FX_MS);
	assert_int_equal(plot_parse_window("1.5s:2s", &a, &b, &err), 0);
	assert_int_equal(a, 1500 * FX_MS);
	assert_int_equal(b, 2000 * FX_MS);
	assert_int_equal(plot_parse_window("0ns:250us", &a, &b, &err), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 250000);
}

static void test_window_errors(void **state)
{
	uint64_t a, b;
	struct err err;

	(void)state;
	err_init(&err);
	assert_int_equal(plot_parse_window("100:300", &a, &b, &err), -1);
	assert_string_equal(err.msg,
			    "invalid window '100:300': expected START:END "
			    "with units, e.g. 0ms:200ms");
	assert_int_equal(plot_parse_window("200ms", &a, &b, &err), -1);
	assert_string_equal(err.msg,
			    "invalid window '200ms': expected START:END "
			    "with units, e.g. 0ms:200ms");
	assert_int_equal(plot_parse_window("300ms:100ms", &a, &b, &err), -1);
	assert_string_equal(err.msg, "invalid window '300ms:100ms': END "
				     "must lie after START");
}

static void test_gnuplot_missing(void **state)
{
	char buf[PATH_MAX];
	struct err err;

	(void)state;
	err_init(&err);
	assert_int_equal(plot_find_gnuplot("/nonexistent:/also/not", buf,
					   sizeof(buf), &err),
			 -1);
	assert_string_equal(err.msg, "gnuplot not found; install it with: "
				     "apt-get install gnuplot-nox");
	assert_int_equal(plot_find_gnuplot("", buf, sizeof(buf), &err), -1);
	assert_string_equal(err.msg, PLOT_GNUPLOT_MISSING);
}

static void test_scripts_dir_override_missing(void **state)
{
	char buf[PATH_MAX];
	struct err err;
	char *old = getenv("CFSSIM_PLOTS_DIR");

	(void)state;
	old = old ? xstrdup(old) : NULL;
	err_init(&err);
	setenv("CFSSIM_PLOTS_DIR", "/nonexistent/plots", 1);
	assert_int_equal(plot_find_scripts(buf, sizeof(buf), &err), -1);
	assert_string_equal(err.msg, "no gnuplot scripts in "
				     "'/nonexistent/plots' (CFSSIM_PLOTS_DIR)");
	if (old)
		setenv("CFSSIM_PLOTS_DIR", old, 1);
	else
		unsetenv("CFSSIM_PLOTS_DIR");
	free(old);
}

/* The scripts of the source tree: $CFSSIM_PLOTS_DIR, or plots/ next to
 * the working directory (make test runs from the top of the tree). */
static const char *scripts_dir(void)
{
	const char *env = getenv("CFSSIM_PLOTS_DIR");

	return env && *env ? env : "plots";
}

static int need_gnuplot(char *buf, size_t len)
{
	struct err err;

	err_init(&err);
	return plot_find_gnuplot(NULL, buf, len, &err);
}

static void check_picture(const char *dir, const char *stem, unsigned w,
			  unsigned h)
{
	char name[64];
	char *path;
	unsigned pw = 0, ph = 0;

	snprintf(name, sizeof(name), "%s.png", stem);
	path = fx_path(dir, name);
	if (fx_png(path, 10000, &pw, &ph) != 0)
		fail_msg("%s is not a PNG of at least 10000 bytes", path);
	assert_int_equal(pw, w);
	assert_int_equal(ph, h);
	free(path);
	snprintf(name, sizeof(name), "%s.svg", stem);
	path = fx_path(dir, name);
	if (fx_svg(path, 5000) != 0)
		fail_msg("%s is not a well-formed SVG of at least 5000 bytes",
			 path);
	free(path);
}

static void test_every_script_draws_png_and_svg(void **state)
{
	struct csv_fixture *fx = *state;
	struct results real;
	struct plot_opts po;
	struct err err;
	char gnuplot[PATH_MAX];

	if (need_gnuplot(gnuplot, sizeof(gnuplot)) < 0)
		skip();
	memset(&real, 0, sizeof(real));
	fx_build(&real);
	real.source = SOURCE_REAL;
	real.groups[1].usage_ns = 250 * FX_MS;
	memset(&po, 0, sizeof(po));
	po.title = "fixture";
	po.compare = 1;
	err_init(&err);
	assert_int_equal(plot_write_compare_csv(fx->dir, &fx->r, &real, &err),
			 0);
	if (plot_render_all(gnuplot, scripts_dir(), fx->dir, fx->dir, &po,
			    &err) < 0)
		fail_msg("%s", err.msg);
	check_picture(fx->dir, "usage", 1200, 600);
	check_picture(fx->dir, "throttling", 1200, 600); /* 1 panel */
	check_picture(fx->dir, "gantt", 1200, 400);
	check_picture(fx->dir, "vruntime", 1200, 600);
	check_picture(fx->dir, "compare", 1200, 100 + 280 * 4);
	results_destroy(&real);
}

static void test_gantt_window_without_slices_still_draws(void **state)
{
	struct csv_fixture *fx = *state;
	struct plot_opts po;
	struct err err;
	char gnuplot[PATH_MAX];
	char *out = fx_path(fx->dir, "late");

	if (need_gnuplot(gnuplot, sizeof(gnuplot)) < 0)
		skip();
	memset(&po, 0, sizeof(po));
	po.window_start_ns = 2000 * FX_MS; /* after the 1 s run */
	po.window_end_ns = 2100 * FX_MS;
	err_init(&err);
	assert_int_equal(timeline_csv_mkdirs(out, &err), 0);
	if (plot_run_script(gnuplot, scripts_dir(), PLOT_GANTT, fx->dir, out,
			    &po, &err) < 0)
		fail_msg("%s", err.msg);
	check_picture(out, "gantt", 1200, 400);
	free(out);
}

static void compare_row(char **f, int n, void *arg)
{
	struct sums *s = arg;

	assert_int_equal(n, 8);
	if (strcmp(f[0], "batch") == 0 && strcmp(f[1], "usage") == 0) {
		assert_string_equal(f[3], "300.000000");
		assert_string_equal(f[4], "250.000000");
		assert_string_equal(f[5], "-16.667"); /* (250-300)/300 */
	}
	if (strcmp(f[0], "web") == 0 && strcmp(f[1], "nr_throttled") == 0)
		assert_string_equal(f[5], "0.000"); /* 0 vs 0 */
	if (strcmp(f[0], "web") == 0 && strcmp(f[1], "nr_periods") == 0)
		assert_string_equal(f[5], ""); /* sim 0, real 4: no ratio */
	if (strcmp(f[0], "batch") == 0 && strcmp(f[1], "nr_throttled") == 0)
		assert_string_equal(f[5], "-50.000"); /* (5-10)/10 */
	s->rows++;
}

static void test_compare_csv_errors(void **state)
{
	struct csv_fixture *fx = *state;
	struct results real;
	struct sums s = {{0}, 0, 0, 0};
	struct err err;
	char *h;

	memset(&real, 0, sizeof(real));
	fx_build(&real);
	real.groups[1].usage_ns = 250 * FX_MS;
	real.groups[1].nr_throttled = 5;
	real.groups[0].nr_periods = 4;
	err_init(&err);
	assert_int_equal(plot_write_compare_csv(fx->dir, &fx->r, &real, &err),
			 0);
	h = each_row(fx->dir, "compare.csv", compare_row, &s);
	assert_string_equal(h, "group,figure,unit,sim,real,error_pct,"
			       "group_id,figure_id");
	assert_int_equal(s.rows, 3 * 4);
	free(h);
	results_destroy(&real);
}

static void test_script_error_names_log(void **state)
{
	struct csv_fixture *fx = *state;
	struct plot_opts po;
	struct err err;
	char gnuplot[PATH_MAX], want[8400];
	char *bad = fx_path(fx->dir, "badscripts");
	char *script = fx_path(bad, "usage.gp");
	char *log = fx_path(fx->dir, "gnuplot.log");
	FILE *f;

	if (need_gnuplot(gnuplot, sizeof(gnuplot)) < 0)
		skip();
	memset(&po, 0, sizeof(po));
	err_init(&err);
	assert_int_equal(timeline_csv_mkdirs(bad, &err), 0);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("this is not a gnuplot command\n", f);
	fclose(f);
	assert_int_equal(plot_run_script(gnuplot, bad, PLOT_USAGE, fx->dir,
					 fx->dir, &po, &err),
			 -1);
	snprintf(want, sizeof(want), "gnuplot failed on '%s' (see '%s')",
		 script, log);
	assert_string_equal(err.msg, want);
	free(log);
	free(script);
	free(bad);
}

/* ---- the plot subcommand, end to end on the simulator ---- */

static const char e2e_yaml[] =
	"name: e2e\n"
	"duration: 500ms\n"
	"cpus: 2\n"
	"groups:\n"
	"  - name: web\n"
	"    tasks:\n"
	"      - name: hog\n"
	"        workload: hog\n"
	"  - name: batch\n"
	"    quota: 30ms\n"
	"    period: 100ms\n"
	"    tasks:\n"
	"      - name: worker\n"
	"        count: 2\n"
	"        workload: {run: 10ms, period: 25ms}\n"
	"    groups:\n"
	"      - name: inner\n"
	"        tasks:\n"
	"          - name: steps\n"
	"            workload: {phases: [{run: 2ms}, {sleep: 8ms}]}\n";

/* Runs fn(o) with stderr sent to a file; returns the exit code and what
 * was printed (caller frees). */
static int capture(int (*fn)(const struct cli_opts *), const struct cli_opts *o,
		   const char *dir, char **printed)
{
	char *path = fx_path(dir, "stderr.txt");
	int saved = dup(STDERR_FILENO);
	FILE *f = fopen(path, "w");
	int rc;

	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	rc = fn(o);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(f);
	*printed = fx_read(path, NULL);
	free(path);
	return rc;
}

struct e2e {
	char *dir, *yaml, *out;
	struct cli_opts o;
};

static int setup_e2e(void **state)
{
	struct e2e *e = xcalloc(1, sizeof(*e));
	FILE *f;

	e->dir = fx_tmpdir();
	if (!e->dir)
		return -1;
	e->yaml = fx_path(e->dir, "e2e.yaml");
	e->out = fx_path(e->dir, "out");
	f = fopen(e->yaml, "w");
	if (!f)
		return -1;
	fputs(e2e_yaml, f);
	fclose(f);
	e->o.command = "plot";
	e->o.file = e->yaml;
	e->o.output = e->out;
	e->o.cgroup_version = 2;
	if (!getenv("CFSSIM_PLOTS_DIR"))
		setenv("CFSSIM_PLOTS_DIR", "plots", 1);
	*state = e;
	return 0;
}

static int teardown_e2e(void **state)
{
	struct e2e *e = *state;
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", e->dir);
	free(e->dir);
	free(e->yaml);
	free(e->out);
	free(e);
	return 0;
}

static void expect_cmd(int (*fn)(const struct cli_opts *),
		       const struct cli_opts *o, const char *dir, int want_rc,
		       const char *want)
{
	char *printed = NULL;
	int rc = capture(fn, o, dir, &printed);

	assert_non_null(printed);
	assert_string_equal(printed, want);
	assert_int_equal(rc, want_rc);
	free(printed);
}

static void test_cmd_plot_usage_errors(void **state)
{
	struct e2e *e = *state;
	struct cli_opts o = e->o;

	o.output = NULL;
	expect_cmd(cmd_plot, &o, e->dir, EXIT_USAGE,
		   "cfssim: plot needs an output directory: -o DIR\n");
	o.command = "report";
	expect_cmd(cmd_report, &o, e->dir, EXIT_USAGE,
		   "cfssim: report needs an output directory: -o DIR\n");
	o = e->o;
	o.real = o.compare = true;
	expect_cmd(cmd_plot, &o, e->dir, EXIT_USAGE,
		   "cfssim: --real and --compare exclude each other\n");
	o = e->o;
	o.window = "200ms:100ms";
	expect_cmd(cmd_plot, &o, e->dir, EXIT_USAGE,
		   "cfssim: invalid window '200ms:100ms': END must lie after "
		   "START\n");
}

static void test_cmd_plot_without_gnuplot(void **state)
{
	struct e2e *e = *state;
	char *old = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;

	setenv("PATH", "/nonexistent", 1);
	expect_cmd(cmd_plot, &e->o, e->dir, EXIT_FAIL,
		   "cfssim: gnuplot not found; install it with: apt-get "
		   "install gnuplot-nox\n");
	if (old)
		setenv("PATH", old, 1);
	free(old);
}

struct totals {
	struct results r; /* groups.csv and tasks.csv, read back */
	int64_t task_slices[8];
	int64_t group_usage[8];
	int64_t period_used, period_start, period_end, window_usage;
	int nperiods;
};

static void read_group(char **f, int n, void *arg)
{
	struct totals *t = arg;

	assert_int_equal(n, 10);
	assert_true(atoi(f[0]) < 8);
	t->r.groups[atoi(f[0])].usage_ns = (uint64_t)fx_us(f[2], strlen(f[2]));
	t->r.groups[atoi(f[0])].path = xstrdup(f[1]);
	t->r.ngroups++;
}

static void read_task(char **f, int n, void *arg)
{
	struct totals *t = arg;

	assert_int_equal(n, 8);
	assert_true(atoi(f[0]) < 8);
	t->r.tasks[atoi(f[0])].runtime_ns = (uint64_t)fx_us(f[4], strlen(f[4]));
	t->r.ntasks++;
}

static void add_slice(char **f, int n, void *arg)
{
	struct totals *t = arg;
	int64_t a = fx_us(f[3], strlen(f[3])), b = fx_us(f[4], strlen(f[4]));

	assert_int_equal(n, 7);
	assert_true(b >= a);
	t->task_slices[atoi(f[6])] += b - a;
	if (strcmp(f[5], "batch") == 0 || strncmp(f[5], "batch/", 6) == 0) {
		if (a < t->period_start)
			a = t->period_start;
		if (b > t->period_end)
			b = t->period_end;
		if (b > a)
			t->window_usage += b - a;
	}
}

static void add_usage(char **f, int n, void *arg)
{
	struct totals *t = arg;

	assert_int_equal(n, 7);
	t->group_usage[atoi(f[6])] += fx_us(f[3], strlen(f[3]));
}

static void add_period(char **f, int n, void *arg)
{
	struct totals *t = arg;
	int64_t a = fx_us(f[1], strlen(f[1])), b = fx_us(f[2], strlen(f[2]));

	assert_int_equal(n, 8);
	assert_string_equal(f[0], "batch");
	if (t->nperiods++ == 0 || a < t->period_start)
		t->period_start = a;
	if (b > t->period_end)
		t->period_end = b;
	t->period_used += fx_us(f[4], strlen(f[4]));
}

static void test_cmd_plot_draws_a_simulated_run(void **state)
{
	struct e2e *e = *state;
	struct totals t;
	char gnuplot[PATH_MAX];
	char *printed = NULL;
	size_t i;

	if (need_gnuplot(gnuplot, sizeof(gnuplot)) < 0)
		skip();
	memset(&t, 0, sizeof(t));
	assert_int_equal(capture(cmd_plot, &e->o, e->dir, &printed), EXIT_OK);
	assert_string_equal(printed, "");
	free(printed);
	check_picture(e->out, "usage", 1200, 600);
	check_picture(e->out, "throttling", 1200, 600);
	check_picture(e->out, "gantt", 1200, 400);
	check_picture(e->out, "vruntime", 1200, 600);

	/* the series add up to the cpu.stat-style totals of the same run */
	t.r.groups = xcalloc(8, sizeof(*t.r.groups));
	t.r.tasks = xcalloc(8, sizeof(*t.r.tasks));
	free(each_row(e->out, "groups.csv", read_group, &t));
	free(each_row(e->out, "tasks.csv", read_task, &t));
	assert_int_equal(t.r.ngroups, 3);
	assert_int_equal(t.r.ntasks, 4);
	free(each_row(e->out, "periods.csv", add_period, &t));
	free(each_row(e->out, "slices.csv", add_slice, &t));
	free(each_row(e->out, "usage.csv", add_usage, &t));
	for (i = 0; i < t.r.ntasks; i++)
		assert_int_equal(t.task_slices[i], t.r.tasks[i].runtime_ns);
	for (i = 0; i < t.r.ngroups; i++)
		assert_int_equal(t.group_usage[i], t.r.groups[i].usage_ns);
	/* 500 ms at 100 ms periods: batch is throttled, 30 ms each */
	assert_true(t.nperiods >= 5);
	assert_int_equal(t.period_used, t.window_usage);
	for (i = 0; i < t.r.ngroups; i++)
		free(t.r.groups[i].path);
	free(t.r.groups);
	free(t.r.tasks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_headers_carry_units,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_csv_periods_add_up_to_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_csv_usage_buckets_add_up_to_cpu_stat, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_csv_slices_add_up_to_task_runtime, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_csv_cannot_create_directory, setup, teardown),
		cmocka_unit_test(test_csv_auto_bucket),
		cmocka_unit_test(test_vruntime_top_level_lag),
		cmocka_unit_test(test_csv_field_quoting),
		cmocka_unit_test(test_window_parse),
		cmocka_unit_test(test_window_errors),
		cmocka_unit_test(test_gnuplot_missing),
		cmocka_unit_test(test_scripts_dir_override_missing),
		cmocka_unit_test_setup_teardown(
			test_every_script_draws_png_and_svg, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_gantt_window_without_slices_still_draws, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_compare_csv_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_script_error_names_log,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmd_plot_usage_errors,
						setup_e2e, teardown_e2e),
		cmocka_unit_test_setup_teardown(test_cmd_plot_without_gnuplot,
						setup_e2e, teardown_e2e),
		cmocka_unit_test_setup_teardown(
			test_cmd_plot_draws_a_simulated_run, setup_e2e,
			teardown_e2e),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
