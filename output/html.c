#include "output/html.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "base/xalloc.h"
#include "base/file.h"

void html_escape(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}

static void esc(FILE *f, const char *s)
{
	if (s)
		html_escape(f, s, strlen(s));
}

/* Whether s starts with one of the markers after which an id follows. */
static size_t id_marker(const char *s)
{
	static const char *const markers[] = {"id='", "id=\"", "href='#",
					      "href=\"#", "url(#"};
	size_t i;

	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		size_t n = strlen(markers[i]);

		if (strncmp(s, markers[i], n) == 0)
			return n;
	}
	return 0;
}

int html_inline_svg(FILE *f, const char *svg_path, const char *prefix,
		    struct err *err)
{
	size_t len, i;
	char *svg = file_read(svg_path, SIZE_MAX, &len, err);
	const char *start, *end;

	if (!svg)
		return -1;
	start = strstr(svg, "<svg");
	end = start ? strstr(start, "</svg>") : NULL;
	if (!start || !end) {
		free(svg);
		return err_set(err, 0, "'%s' is not an SVG picture", svg_path);
	}
	end += strlen("</svg>");
	for (i = (size_t)(start - svg); svg + i < end; i++) {
		size_t m = 0;

		/* an attribute or url() starts after a blank or '(' */
		if (i > 0 && (svg[i - 1] == ' ' || svg[i - 1] == '\t' ||
			      svg[i - 1] == '\n' || svg[i - 1] == ':' ||
			      svg[i - 1] == '"' || svg[i - 1] == '\''))
			m = id_marker(svg + i);
		else if (svg[i] == 'u')
			m = id_marker(svg + i);
		if (m) {
			fwrite(svg + i, 1, m, f);
			fprintf(f, "%s-", prefix);
			i += m - 1;
			continue;
		}
		fputc(svg[i], f);
	}
	fputc('\n', f);
	free(svg);
	return 0;
}

static const char style[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:1250px;"
	"color:#222;padding:0 1em}\n"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;"
	"border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}\n"
	"th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n"
	"th{background:#f0f0f0}td.l,th.l{text-align:left}\n"
	"figure{margin:1.5em 0}figure svg{width:100%;height:auto;"
	"border:1px solid #eee}\n"
	"figcaption{font-size:.9em;color:#555}\n"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:1em;"
	"overflow:auto}\n"
	".verdict{padding:.6em 1em;border-radius:4px;font-weight:bold}\n"
	".ok{background:#e3f4e3;border:1px solid #7c7}\n"
	".bad{background:#fbe3e3;border:1px solid #d77}\n"
	".meta{color:#555}tr.fail td{background:#fdeeee}\n";

static void ms_cell(FILE *f, uint64_t ns)
{
	fprintf(f, "<td>%.3f</td>", ns / 1e6);
}

static void count_cell(FILE *f, uint64_t n)
{
	fprintf(f, "<td>%llu</td>", (unsigned long long)n);
}

static void groups_table(FILE *f, const struct results *r)
{
	size_t i;

	fputs("<table>\n<tr><th class=\"l\">group</th><th>usage (ms)</th>"
	      "<th>user (ms)</th><th>system (ms)</th><th>nr_periods</th>"
	      "<th>nr_throttled</th><th>throttled (ms)</th><th>nr_bursts</th>"
	      "<th>burst (ms)</th></tr>\n",
	      f);
	for (i = 0; i < r->ngroups; i++) {
		const struct group_result *g = &r->groups[i];

		fputs("<tr><td class=\"l\">", f);
		esc(f, g->path);
		fputs("</td>", f);
		ms_cell(f, g->usage_ns);
		ms_cell(f, g->user_ns);
		ms_cell(f, g->system_ns);
		count_cell(f, g->nr_periods);
		count_cell(f, g->nr_throttled);
		ms_cell(f, g->throttled_ns);
		count_cell(f, g->nr_bursts);
		ms_cell(f, g->burst_ns);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void tasks_table(FILE *f, const struct results *r)
{
	size_t i;

	fputs("<table>\n<tr><th class=\"l\">group</th><th class=\"l\">task"
	      "</th><th>thread</th><th>runtime (ms)</th><th>wait (ms)</th>"
	      "<th>switches</th><th>voluntary</th></tr>\n",
	      f);
	for (i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->tasks[i];

		fputs("<tr><td class=\"l\">", f);
		esc(f, t->group);
		fputs("</td><td class=\"l\">", f);
		esc(f, t->name);
		fprintf(f, "</td><td>%u</td>", t->index);
		ms_cell(f, t->runtime_ns);
		ms_cell(f, t->wait_ns);
		count_cell(f, t->nr_switches);
		count_cell(f, t->nr_voluntary);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void value_cell(FILE *f, const struct cmp_row *r, double v)
{
	if (!cmp_ceiling(r->kind)->time)
		fprintf(f, "<td>%.0f</td>", v);
	else
		fprintf(f, "<td>%.3f</td>", v / 1e6);
}

/* "usage_usec" is shown as "usage (ms)": the table prints times in ms. */
static void figure_name(FILE *f, const struct cmp_row *r)
{
	size_t n = strlen(r->figure);

	if (cmp_ceiling(r->kind)->time && n > 5 &&
	    strcmp(r->figure + n - 5, "_usec") == 0) {
		html_escape(f, r->figure, n - 5);
		fputs(" (ms)", f);
	} else {
		esc(f, r->figure);
	}
}

/* One row per compared figure, as cmd_compare builds them: times in ms,
 * signed error (measured - simulated) / simulated. */
static void compare_table(FILE *f, const struct cmp_table *t)
{
	size_t i;

	fputs("<table>\n<tr><th class=\"l\">group</th><th class=\"l\">task"
	      "</th><th class=\"l\">figure</th><th>simulated</th>"
	      "<th>measured</th><th>sd</th><th>error</th><th>tolerance</th>"
	      "<th class=\"l\">result</th></tr>\n",
	      f);
	for (i = 0; i < t->n; i++) {
		const struct cmp_row *r = &t->rows[i];

		fprintf(f, "<tr class=\"%s\"><td class=\"l\">",
			r->pass || r->not_modelled ? "pass" : "fail");
		esc(f, r->group);
		fputs("</td><td class=\"l\">", f);
		if (r->task) {
			esc(f, r->task);
			fprintf(f, "#%u", r->index);
		}
		fputs("</td><td class=\"l\">", f);
		figure_name(f, r);
		fputs("</td>", f);
		value_cell(f, r, r->sim);
		value_cell(f, r, r->real_mean);
		value_cell(f, r, r->real_sd);
		if (r->sim != 0)
			fprintf(f, "<td>%+.2f%%</td><td>",
				(r->real_mean - r->sim) / r->sim * 100);
		else
			fputs(r->real_mean == 0 ? "<td>0.00%</td><td>" :
						  "<td>n/a</td><td>",
			      f);
		esc(f, r->tol);
		fprintf(f, "</td><td class=\"l\">%s</td></tr>\n",
			r->not_modelled ? "not modelled" :
			r->pass		? "pass" :
					  "FAIL");
	}
	fputs("</table>\n", f);
}

static void run_meta(FILE *f, const struct results *r)
{
	fprintf(f, "<p class=\"meta\">%s run: %.3f s on %u CPU%s",
		r->source == SOURCE_REAL ? "measured" : "simulated",
		r->duration_ns / 1e9, r->cpus, r->cpus == 1 ? "" : "s");
	if (r->kernel[0]) {
		fputs(", kernel ", f);
		esc(f, r->kernel);
	}
	if (r->wall_ns >= 1000000000)
		fprintf(f, ", produced in %.3f s", r->wall_ns / 1e9);
	else if (r->wall_ns)
		fprintf(f, ", produced in %.3f ms", r->wall_ns / 1e6);
	fputs("</p>\n", f);
}

static int pictures(FILE *f, const struct html_report *rep, struct err *err)
{
	const char *const *stem;
	char path[4096];

	if (!rep->svg_dir || !rep->svg_stems || !rep->svg_stems[0])
		return 0;
	fputs("<h2>Pictures</h2>\n", f);
	for (stem = rep->svg_stems; *stem; stem++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.svg",
				     rep->svg_dir, *stem) >= sizeof(path))
			return err_set(err, ENAMETOOLONG, "cannot open '%s'",
				       rep->svg_dir);
		fprintf(f, "<figure id=\"fig-%s\">\n", *stem);
		if (html_inline_svg(f, path, *stem, err) < 0)
			return -1;
		fprintf(f,
			"<figcaption>%s.svg (PNG beside it)</figcaption>\n"
			"</figure>\n",
			*stem);
	}
	return 0;
}

int html_write(FILE *f, const struct html_report *rep, struct err *err)
{
	const char *title = rep->title ? rep->title : "cfssim";

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n"
	      "<title>cfssim report: ",
	      f);
	esc(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	fputs("<h1>cfssim report: ", f);
	esc(f, title);
	fputs("</h1>\n", f);
	if (rep->sim)
		run_meta(f, rep->sim);
	if (rep->real)
		run_meta(f, rep->real);
	if (rep->cmp) {
		if (rep->cmp->failed == 0)
			fprintf(f,
				"<p class=\"verdict ok\">verdict: pass (%zu "
				"figures within tolerance)</p>\n",
				rep->cmp->n);
		else
			fprintf(f,
				"<p class=\"verdict bad\">verdict: fail "
				"(%zu of %zu outside tolerance)</p>\n",
				rep->cmp->failed, rep->cmp->n);
	}
	if (pictures(f, rep, err) < 0)
		return -1;
	if (rep->cmp) {
		fputs("<h2>Simulated vs measured</h2>\n", f);
		compare_table(f, rep->cmp);
	}
	if (rep->sim) {
		fputs("<h2>Groups (simulated)</h2>\n", f);
		groups_table(f, rep->sim);
		fputs("<h2>Tasks (simulated)</h2>\n", f);
		tasks_table(f, rep->sim);
	}
	if (rep->real) {
		fputs("<h2>Groups (measured)</h2>\n", f);
		groups_table(f, rep->real);
		fputs("<h2>Tasks (measured)</h2>\n", f);
		tasks_table(f, rep->real);
	}
	if (rep->scenario_text) {
		fputs("<h2>Scenario</h2>\n<p class=\"meta\">", f);
		esc(f, rep->scenario_file);
		fputs("</p>\n<pre>", f);
		html_escape(f, rep->scenario_text, rep->scenario_len);
		fputs("</pre>\n", f);
	}
	fputs("<p class=\"meta\">Written by cfssim.</p>\n</body>\n</html>\n",
	      f);
	if (ferror(f))
		return err_set(err, EIO, "cannot write the report");
	return 0;
}

int html_write_file(const char *path, const struct html_report *rep,
		    struct err *err)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return err_set(err, errno, "cannot open '%s'", path);
	ret = html_write(f, rep, err);
	if (fclose(f) != 0 && ret == 0)
		ret = err_set(err, errno, "cannot write '%s'", path);
	return ret;
}
