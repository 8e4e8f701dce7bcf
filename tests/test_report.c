/* Tests of the HTML report (output/html.c): escaping, inlined SVG pictures
 * with per-picture ids, a page that needs nothing from outside, and that
 * headless Chromium renders it without console errors. */
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

#include "cli/cmd_compare.h"
#include "output/html.h"
#include "output/plot.h"
#include "output/timeline_csv.h"
#include "tests/plot_fixture.h"

static const char *const all_stems[] = {"usage",    "throttling", "gantt",
					"vruntime", "compare",	  NULL};

static const char scenario_yaml[] = "name: fixture\n"
				    "# <script>alert('x')</script> & friends\n"
				    "groups:\n  - name: web\n";

static void rm_rf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *capture_svg(const char *path, const char *prefix, struct err *err,
			 int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = html_inline_svg(f, path, prefix, err);
	fclose(f);
	return buf;
}

static void test_html_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *s = "<a href=\"x\">&'</a>";

	(void)state;
	html_escape(f, s, strlen(s));
	fclose(f);
	assert_string_equal(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
				 "&lt;/a&gt;");
	free(buf);
}

static void test_inline_svg_prefixes_ids(void **state)
{
	char *dir = fx_tmpdir();
	char *path = fx_path(dir, "p.svg");
	struct err err;
	char *out;
	int rc;

	(void)state;
	write_file(path, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			 "<!DOCTYPE svg>\n"
			 "<svg viewBox=\"0 0 10 10\" id=\"root\">\n"
			 "<defs><path id='pt' d='M0,0'/></defs>\n"
			 "<use xlink:href='#pt' fill=\"url(#grad)\"/>\n"
			 "<text>valid='x' id</text></svg>\ntrailing\n");
	err_init(&err);
	out = capture_svg(path, "usage", &err, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out,
			    "<svg viewBox=\"0 0 10 10\" id=\"usage-root\">\n"
			    "<defs><path id='usage-pt' d='M0,0'/></defs>\n"
			    "<use xlink:href='#usage-pt' "
			    "fill=\"url(#usage-grad)\"/>\n"
			    "<text>valid='x' id</text></svg>\n");
	free(out);
	free(path);
	rm_rf(dir);
	free(dir);
}

static void test_inline_svg_errors(void **state)
{
	char *dir = fx_tmpdir();
	char *path = fx_path(dir, "not.svg");
	char *missing = fx_path(dir, "missing.svg");
	char want[4400];
	struct err err;
	char *out;
	int rc;

	(void)state;
	write_file(path, "<html><body>no picture</body></html>\n");
	err_init(&err);
	out = capture_svg(path, "x", &err, &rc);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "'%s' is not an SVG picture", path);
	assert_string_equal(err.msg, want);
	free(out);
	out = capture_svg(missing, "x", &err, &rc);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want),
		 "cannot open '%s': No such file or directory", missing);
	assert_string_equal(err.msg, want);
	free(out);
	free(missing);
	free(path);
	rm_rf(dir);
	free(dir);
}

/* A report of the fixture run against a "measured" copy whose batch used
 * 250 ms instead of 300 ms, with the real pictures drawn by gnuplot. */
struct report_fixture {
	struct results sim, real;
	struct cmp_table cmp;
	char *dir;
	char *html_path;
	char *html;
};

static int setup_report(void **state)
{
	struct report_fixture *fx = xcalloc(1, sizeof(*fx));
	struct html_report rep;
	struct plot_opts po;
	struct err err;
	char gnuplot[PATH_MAX];

	*state = fx;
	fx_build(&fx->sim);
	fx_build(&fx->real);
	fx->real.source = SOURCE_REAL;
	fx->real.groups[1].usage_ns = 250 * FX_MS;
	fx->dir = fx_tmpdir();
	if (!fx->dir)
		return -1;
	err_init(&err);
	if (plot_find_gnuplot(NULL, gnuplot, sizeof(gnuplot), &err) < 0)
		return 0; /* the tests skip */
	memset(&po, 0, sizeof(po));
	po.title = fx->sim.scenario;
	po.compare = 1;
	if (timeline_csv_write(&fx->sim, fx->dir, 0, &err) < 0 ||
	    plot_write_compare_csv(fx->dir, &fx->sim, &fx->real, &err) < 0 ||
	    plot_render_all(gnuplot,
			    getenv("CFSSIM_PLOTS_DIR") ?
				    getenv("CFSSIM_PLOTS_DIR") :
				    "plots",
			    fx->dir, fx->dir, &po, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	/* two compared figures as cmd_compare would build them: batch usage
	 * 300 vs 250 ms outside a 5 % tolerance, web nr_throttled 0 vs 0 */
	fx->cmp.n = fx->cmp.cap = 2;
	fx->cmp.failed = 1;
	fx->cmp.rows = xcalloc(2, sizeof(*fx->cmp.rows));
	fx->cmp.rows[0].group = xstrdup("batch");
	fx->cmp.rows[0].figure = "usage_usec";
	fx->cmp.rows[0].kind = CMP_USAGE;
	fx->cmp.rows[0].sim = 300e6;
	fx->cmp.rows[0].real_mean = 250e6;
	fx->cmp.rows[0].abs_err = 50e6;
	fx->cmp.rows[0].rel_err = 50.0 / 300;
	strcpy(fx->cmp.rows[0].tol, "5%");
	fx->cmp.rows[1].group = xstrdup("web");
	fx->cmp.rows[1].figure = "nr_throttled";
	fx->cmp.rows[1].kind = CMP_COUNTER;
	strcpy(fx->cmp.rows[1].tol, "2");
	fx->cmp.rows[1].pass = true;
	memset(&rep, 0, sizeof(rep));
	rep.title = fx->sim.scenario;
	rep.sim = &fx->sim;
	rep.real = &fx->real;
	rep.scenario_file = "scenarios/fixture.yaml";
	rep.scenario_text = scenario_yaml;
	rep.scenario_len = strlen(scenario_yaml);
	rep.cmp = &fx->cmp;
	rep.svg_dir = fx->dir;
	rep.svg_stems = all_stems;
	fx->html_path = fx_path(fx->dir, "report.html");
	if (html_write_file(fx->html_path, &rep, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	fx->html = fx_read(fx->html_path, NULL);
	return fx->html ? 0 : -1;
}

static int teardown_report(void **state)
{
	struct report_fixture *fx = *state;

	if (fx->dir)
		rm_rf(fx->dir);
	free(fx->dir);
	free(fx->html_path);
	free(fx->html);
	results_destroy(&fx->sim);
	results_destroy(&fx->real);
	if (fx->cmp.rows) {
		free(fx->cmp.rows[0].group);
		free(fx->cmp.rows[1].group);
		free(fx->cmp.rows);
	}
	free(fx);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void test_report_holds_everything(void **state)
{
	struct report_fixture *fx = *state;
	const char *h = fx->html;

	if (!h)
		skip();
	assert_int_equal(strncmp(h, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(h, "<title>cfssim report: fixture &lt;two&gt; "
				  "&amp; &quot;groups&quot;</title>"));
	/* the scenario text, escaped */
	assert_non_null(strstr(h, "# &lt;script&gt;alert(&#39;x&#39;)"
				  "&lt;/script&gt; &amp; friends"));
	assert_non_null(strstr(h, "<p class=\"verdict bad\">verdict: fail "
				  "(1 of 2 outside tolerance)</p>"));
	/* five pictures inline, as SVG elements */
	assert_int_equal(count(h, "<svg"), 5);
	assert_int_equal(count(h, "</svg>"), 5);
	assert_int_equal(count(h, "<?xml"), 0);
	/* the comparison: batch usage 250 ms measured for 300 ms simulated
	 * is (250 - 300) / 300 = -16.67 % */
	assert_non_null(strstr(h, "<tr class=\"fail\"><td class=\"l\">batch"
				  "</td><td class=\"l\"></td><td class=\"l\">"
				  "usage (ms)</td><td>300.000</td>"
				  "<td>250.000</td><td>0.000</td>"
				  "<td>-16.67%</td><td>5%</td>"
				  "<td class=\"l\">FAIL</td></tr>"));
	assert_non_null(strstr(h, "<td class=\"l\">nr_throttled</td><td>0</td>"
				  "<td>0</td><td>0</td><td>0.00%</td><td>2</td>"
				  "<td class=\"l\">pass</td></tr>"));
	/* the tables, in ms with µs resolution: web's hog ran 999.99975 ms,
	 * batch was throttled 700 ms in 10 of 10 periods */
	assert_non_null(strstr(h, "<td class=\"l\">hog</td><td>0</td>"
				  "<td>1000.000</td>"));
	assert_non_null(strstr(h, "<td class=\"l\">batch</td><td>300.000</td>"
				  "<td>300.000</td><td>0.000</td><td>10</td>"
				  "<td>10</td><td>700.000</td>"));
}

static void test_report_needs_nothing_from_outside(void **state)
{
	struct report_fixture *fx = *state;
	const char *h = fx->html, *p;

	if (!h)
		skip();
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<link"));
	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "<iframe"));
	assert_null(strstr(h, " src="));
	assert_null(strstr(h, "@import"));
	/* the only URLs are the SVG and XLink namespace names */
	for (p = h; (p = strstr(p, "http")) != NULL; p++)
		if (strncmp(p, "http://www.w3.org/2000/svg\"", 27) != 0 &&
		    strncmp(p, "http://www.w3.org/1999/xlink\"", 29) != 0)
			fail_msg("external reference: %.60s", p);
	/* local references only */
	for (p = h; (p = strstr(p, "href=")) != NULL; p++)
		if (p[6] != '#')
			fail_msg("non-local href: %.60s", p);
}

static void test_report_ids_are_unique(void **state)
{
	struct report_fixture *fx = *state;
	const char *h = fx->html, *p;
	char **ids = NULL;
	size_t n = 0, cap = 0, i;

	if (!h)
		skip();
	for (p = h; (p = strstr(p, " id=")) != NULL; p += 4) {
		char q = p[4];
		const char *end = strchr(p + 5, q);

		assert_non_null(end);
		xgrow((void **)&ids, &cap, n + 1, sizeof(*ids));
		ids[n] = xmalloc((size_t)(end - p - 5) + 1);
		memcpy(ids[n], p + 5, (size_t)(end - p - 5));
		ids[n][end - p - 5] = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(ids[i], ids[n]) == 0)
				fail_msg("duplicate id '%s'", ids[n]);
		n++;
	}
	assert_true(n > 5 * 15); /* gnuplot defines ~20 per picture */
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static int find_chromium(char *buf, size_t len)
{
	static const char *const names[] = {"chromium", "chromium-browser",
					    "google-chrome"};
	const char *path = getenv("PATH");
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = path ? path : "";

		while (*p) {
			size_t n = strcspn(p, ":");

			snprintf(buf, len, "%.*s/%s", (int)n, p, names[i]);
			if (n && access(buf, X_OK) == 0)
				return 0;
			p += n + (p[n] == ':');
		}
	}
	return -1;
}

static int run_chromium(const char *chromium, const char *dir, const char *what,
			const char *url, const char *stdout_path,
			const char *log_path)
{
	char cmd[16384];
	char *profile = fx_path(dir, "chromium-profile");
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s' && timeout 120 '%s' --headless --no-sandbox "
		 "--disable-gpu --disable-quic --no-first-run "
		 "--disable-dev-shm-usage --disable-background-networking "
		 "--disable-component-update "
		 "--disable-sync --user-data-dir='%s' --enable-logging=stderr "
		 "--v=0 %s '%s' >'%s' 2>'%s'",
		 profile, chromium, profile, what, url, stdout_path, log_path);
	rc = system(cmd);
	rm_rf(profile);
	free(profile);
	return rc;
}

/* Lines of Chromium's log that report a page problem. */
static void check_console_clean(const char *log_path)
{
	char *log = fx_read(log_path, NULL);
	char *line, *save = NULL;

	assert_non_null(log);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, ":CONSOLE") || strstr(line, "Uncaught"))
			fail_msg("console: %s", line);
	free(log);
}

static void test_report_renders_in_headless_chromium(void **state)
{
	struct report_fixture *fx = *state;
	char chromium[PATH_MAX], arg[4200], url[4200];
	char *shot, *log, *out, *dom;
	unsigned w = 0, h = 0;

	if (!fx->html)
		skip();
	if (find_chromium(chromium, sizeof(chromium)) < 0) {
		if (getenv("CFSSIM_REQUIRE_REAL") &&
		    strcmp(getenv("CFSSIM_REQUIRE_REAL"), "1") == 0)
			fail_msg("chromium not found (tools/deps.sh installs "
				 "it)");
		skip();
	}
	shot = fx_path(fx->dir, "shot.png");
	log = fx_path(fx->dir, "chromium.log");
	out = fx_path(fx->dir, "chromium.out");
	snprintf(url, sizeof(url), "file://%s", fx->html_path);

	snprintf(arg, sizeof(arg), "--window-size=1200,2000 --screenshot='%s'",
		 shot);
	assert_int_equal(run_chromium(chromium, fx->dir, arg, url, out, log),
			 0);
	check_console_clean(log);
	if (fx_png(shot, 50000, &w, &h) != 0)
		fail_msg("%s is not a PNG of at least 50000 bytes", shot);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 2000);

	assert_int_equal(
		run_chromium(chromium, fx->dir, "--dump-dom", url, out, log),
		0);
	check_console_clean(log);
	dom = fx_read(out, NULL);
	assert_non_null(dom);
	assert_int_equal(count(dom, "</svg>"), 5);
	assert_non_null(strstr(dom, "Simulated vs measured"));
	free(dom);
	free(out);
	free(log);
	free(shot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_inline_svg_prefixes_ids),
		cmocka_unit_test(test_inline_svg_errors),
		cmocka_unit_test_setup_teardown(test_report_holds_everything,
						setup_report, teardown_report),
		cmocka_unit_test_setup_teardown(
			test_report_needs_nothing_from_outside, setup_report,
			teardown_report),
		cmocka_unit_test_setup_teardown(test_report_ids_are_unique,
						setup_report, teardown_report),
		cmocka_unit_test_setup_teardown(
			test_report_renders_in_headless_chromium, setup_report,
			teardown_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
