/* `cfssim plot --sweep RESULTS.jsonl -o DIR`: each figure of a sweep
 * against one parameter (--x, else the one with most values), one line
 * per combination of the others, the mean over seeds; and with exactly
 * two parameters a heat map of each figure.  The data of each picture is
 * written beside it as CSV. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "output/plot.h"
#include "scenarios/loader.h"
#include "base/xalloc.h"
#include "sweep/figure.h"
#include "sweep/grid.h"
#include "sweep/json.h"

#define SWEEP_PLOT_DEFAULT_MAX 16  /* pictures drawn without --figure */
#define SWEEP_HEAT_LABELS      400 /* cells up to which values are written */

struct spoint {
	char **pv;   /* value of each parameter */
	double *fig; /* value of each figure, NAN when absent */
};

struct sdata {
	char **params;
	size_t nparams;
	char **figs;
	size_t nfigs, capfigs;
	struct spoint *pts;
	size_t npts, cappts;
	char *scenario; /* the results' scenario name, or NULL */
	/* the distinct values of each parameter, sorted */
	char ***vals;
	size_t *nvals;
};

struct collect {
	struct sdata *d;
	struct spoint *p;
	size_t capfig; /* of p->fig */
};

static size_t fig_index(struct sdata *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nfigs; i++)
		if (strcmp(d->figs[i], name) == 0)
			return i;
	xgrow((void **)&d->figs, &d->capfigs, d->nfigs + 1, sizeof(*d->figs));
	d->figs[d->nfigs] = xstrdup(name);
	return d->nfigs++;
}

static void collect_fig(void *ctx, const char *name, double v)
{
	struct collect *c = ctx;
	size_t i = fig_index(c->d, name), k;

	if (i >= c->capfig) {
		c->p->fig = xrealloc(c->p->fig, (i + 16) * sizeof(*c->p->fig));
		for (k = c->capfig; k < i + 16; k++)
			c->p->fig[k] = NAN;
		c->capfig = i + 16;
	}
	c->p->fig[i] = v;
}

static void sdata_free(struct sdata *d)
{
	size_t i, k;

	for (i = 0; i < d->npts; i++) {
		for (k = 0; k < d->nparams; k++)
			free(d->pts[i].pv[k]);
		free(d->pts[i].pv);
		free(d->pts[i].fig);
	}
	for (k = 0; k < d->nparams; k++) {
		free(d->params[k]);
		if (d->vals) {
			for (i = 0; i < d->nvals[k]; i++)
				free(d->vals[k][i]);
			free(d->vals[k]);
		}
	}
	for (i = 0; i < d->nfigs; i++)
		free(d->figs[i]);
	free(d->params);
	free(d->scenario);
	free(d->figs);
	free(d->pts);
	free(d->vals);
	free(d->nvals);
}

static double fig_of(const struct sdata *d, const struct spoint *p, size_t f,
		     size_t nfig_at_read)
{
	(void)d;
	return f < nfig_at_read ? p->fig[f] : NAN;
}

/* Reads the points of path into d. */
static int read_points(const char *path, struct sdata *d, size_t **nfig_at,
		       struct err *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, k, capnf = 0;
	ssize_t len;

	if (!f)
		return err_set(err, errno, "cannot open '%s'", path);
	*nfig_at = NULL;
	while ((len = getline(&line, &cap, f)) > 0) {
		const struct sweep_json *params;
		struct sweep_json *j;
		struct collect c;
		struct spoint *p;

		lineno++;
		if (line[len - 1] != '\n')
			break; /* a torn last line */
		j = sweep_json_parse(line, (size_t)len, err);
		params = sweep_json_get(j, "params");
		if (!j || !params || params->kind != SWEEP_JSON_OBJ ||
		    !sweep_json_get(j, "result")) {
			sweep_json_free(j);
			free(line);
			fclose(f);
			return err_set(
				err, 0,
				"'%s' line %zu is not a point of a sweep", path,
				lineno);
		}
		if (d->npts == 0) {
			const struct sweep_json *name = sweep_json_get(
				sweep_json_get(j, "result"), "scenario");

			if (name && name->kind == SWEEP_JSON_STR)
				d->scenario = xstrdup(name->str);
			d->nparams = params->n;
			d->params = xcalloc(params->n + 1, sizeof(*d->params));
			for (k = 0; k < params->n; k++)
				d->params[k] = xstrdup(params->keys[k]);
		}
		for (k = 0; k < d->nparams && params->n == d->nparams; k++)
			if (strcmp(params->keys[k], d->params[k]) ||
			    params->items[k]->kind != SWEEP_JSON_STR)
				break;
		if (params->n != d->nparams || k < d->nparams) {
			sweep_json_free(j);
			free(line);
			fclose(f);
			return err_set(err, 0,
				       "'%s' line %zu has other parameters "
				       "than line 1",
				       path, lineno);
		}
		xgrow((void **)&d->pts, &d->cappts, d->npts + 1,
		      sizeof(*d->pts));
		xgrow((void **)nfig_at, &capnf, d->npts + 1, sizeof(**nfig_at));
		p = &d->pts[d->npts];
		memset(p, 0, sizeof(*p));
		p->pv = xcalloc(d->nparams + 1, sizeof(*p->pv));
		for (k = 0; k < d->nparams; k++)
			p->pv[k] = xstrdup(params->items[k]->str);
		c.d = d;
		c.p = p;
		c.capfig = 0;
		sweep_figure_headlines(sweep_json_get(j, "result"), collect_fig,
				       &c);
		(*nfig_at)[d->npts] = c.capfig;
		d->npts++;
		sweep_json_free(j);
	}
	free(line);
	fclose(f);
	if (d->npts == 0)
		return err_set(err, 0, "'%s' holds no points", path);
	return 0;
}

static int cmp_str_values(const void *a, const void *b)
{
	return sweep_value_cmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_str_versions(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

static size_t value_rank(const struct sdata *d, size_t k, const char *v)
{
	size_t i;

	for (i = 0; i < d->nvals[k]; i++)
		if (strcmp(d->vals[k][i], v) == 0)
			return i;
	return 0;
}

static void distinct_values(struct sdata *d)
{
	size_t k, i, j;

	d->vals = xcalloc(d->nparams + 1, sizeof(*d->vals));
	d->nvals = xcalloc(d->nparams + 1, sizeof(*d->nvals));
	for (k = 0; k < d->nparams; k++) {
		d->vals[k] = xcalloc(d->npts, sizeof(**d->vals));
		for (i = 0; i < d->npts; i++) {
			for (j = 0; j < d->nvals[k]; j++)
				if (!strcmp(d->vals[k][j], d->pts[i].pv[k]))
					break;
			if (j == d->nvals[k])
				d->vals[k][d->nvals[k]++] =
					xstrdup(d->pts[i].pv[k]);
		}
		qsort(d->vals[k], d->nvals[k], sizeof(**d->vals),
		      sweep_key_is_version(d->params[k]) ? cmp_str_versions :
							   cmp_str_values);
	}
}

/* How a figure is drawn: its unit for people and the factor to it. */
static void fig_scale(const char *name, double *scale, const char **unit)
{
	size_t n = strlen(name);

	*scale = 1;
	*unit = "";
	if ((n > 5 && !strcmp(name + n - 5, "_usec")) ||
	    strstr(name, ".latency.")) {
		*scale = 1e-3;
		*unit = " (ms)";
	} else if (n > 6 && !strcmp(name + n - 6, "_ratio")) {
		*scale = 100;
		*unit = " (%)";
	}
}

/* A file stem from a figure name: letters, digits, '-' and '_'. */
static void stem_of(char *buf, size_t len, const char *prefix, const char *name)
{
	size_t i, n = (size_t)snprintf(buf, len, "%s", prefix);

	for (i = 0; name[i] && n + 1 < len; i++) {
		char c = name[i];

		buf[n++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_') ?
				   c :
				   '-';
	}
	buf[n] = '\0';
}

static void csv_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputs(*s == '"' ? "\"\"" : (char[]){*s, '\0'}, f);
	fputc('"', f);
}

static bool is_duration(const char *s)
{
	struct err e;
	uint64_t ns;

	err_init(&e);
	return scenario_parse_duration(s, &ns, &e) == 0;
}

struct sweep_plot {
	const char *gnuplot, *scripts, *dir, *title;
	struct sdata *d;
	size_t *nfig_at;
	size_t x; /* the parameter on the x axis */
};

/* The series of point p: the rank of its combination of the values of
 * every parameter but x. */
static size_t series_of(const struct sweep_plot *sp, const struct spoint *p)
{
	size_t k, s = 0;

	for (k = 0; k < sp->d->nparams; k++)
		if (k != sp->x)
			s = s * sp->d->nvals[k] +
			    value_rank(sp->d, k, p->pv[k]);
	return s;
}

static void series_label(const struct sweep_plot *sp, size_t s, char *buf,
			 size_t len)
{
	size_t *rank = xcalloc(sp->d->nparams + 1, sizeof(*rank));
	size_t k, used = 0, n = 0;
	int w;

	for (k = sp->d->nparams; k-- > 0;) {
		if (k == sp->x)
			continue;
		rank[k] = s % sp->d->nvals[k];
		s /= sp->d->nvals[k];
	}
	buf[0] = '\0';
	for (k = 0; k < sp->d->nparams && used < len; k++) {
		if (k == sp->x)
			continue;
		w = snprintf(buf + used, len - used, "%s%s=%s", n ? ", " : "",
			     sp->d->params[k], sp->d->vals[k][rank[k]]);
		if (w < 0)
			break;
		used += (size_t)w;
		n++;
	}
	free(rank);
	if (!n)
		snprintf(buf, len, "%s", sp->title);
}

static int draw_lines(const struct sweep_plot *sp, size_t f, char *stem,
		      size_t stemlen, struct err *err)
{
	const struct sdata *d = sp->d;
	size_t nx = d->nvals[sp->x], ns = 1, k, i, s;
	double *sum, *cnt, scale, v;
	char data[PATH_MAX], out[PATH_MAX], log[PATH_MAX], label[512];
	char ylabel[300], ns_arg[16], title[400], script[PATH_MAX];
	const char *unit, *argv[12];
	bool xnum = true;
	FILE *fp;
	int rc;

	for (k = 0; k < d->nparams; k++)
		if (k != sp->x)
			ns *= d->nvals[k];
	for (i = 0; i < nx; i++)
		if (!sweep_value_number(d->vals[sp->x][i], &v))
			xnum = false;
	sum = xcalloc(nx * ns, sizeof(*sum));
	cnt = xcalloc(nx * ns, sizeof(*cnt));
	for (i = 0; i < d->npts; i++) {
		v = fig_of(d, &d->pts[i], f, sp->nfig_at[i]);
		if (isnan(v))
			continue;
		k = value_rank(d, sp->x, d->pts[i].pv[sp->x]) * ns +
		    series_of(sp, &d->pts[i]);
		sum[k] += v;
		cnt[k] += 1;
	}
	fig_scale(d->figs[f], &scale, &unit);
	stem_of(stem, stemlen, "sweep-", d->figs[f]);
	snprintf(data, sizeof(data), "%s/%s.csv", sp->dir, stem);
	snprintf(out, sizeof(out), "%s/%s", sp->dir, stem);
	snprintf(log, sizeof(log), "%s/gnuplot.log", sp->dir);
	fp = fopen(data, "w");
	if (!fp) {
		free(sum);
		free(cnt);
		return err_set(err, errno, "cannot create '%s'", data);
	}
	csv_label(fp, d->params[sp->x]);
	for (s = 0; s < ns; s++) {
		series_label(sp, s, label, sizeof(label));
		fputc(',', fp);
		csv_label(fp, label);
	}
	fputc('\n', fp);
	for (i = 0; i < nx; i++) {
		if (xnum) {
			sweep_value_number(d->vals[sp->x][i], &v);
			/* durations are read in ns: draw them in ms */
			fprintf(fp, "%.10g",
				is_duration(d->vals[sp->x][i]) ? v / 1e6 : v);
		} else {
			csv_label(fp, d->vals[sp->x][i]);
		}
		for (s = 0; s < ns; s++) {
			k = i * ns + s;
			if (cnt[k])
				fprintf(fp, ",%.10g", sum[k] / cnt[k] * scale);
			else
				fputs(",NaN", fp);
		}
		fputc('\n', fp);
	}
	free(sum);
	free(cnt);
	if (fclose(fp))
		return err_set(err, errno, "cannot write '%s'", data);
	snprintf(ylabel, sizeof(ylabel), "%s%s", d->figs[f], unit);
	snprintf(label, sizeof(label), "%s%s", d->params[sp->x],
		 xnum && is_duration(d->vals[sp->x][0]) ? " (ms)" : "");
	snprintf(title, sizeof(title), "%s: %s against %s", sp->title,
		 d->figs[f], d->params[sp->x]);
	snprintf(ns_arg, sizeof(ns_arg), "%zu", ns);
	k = 0;
	argv[k++] = sp->gnuplot;
	argv[k++] = "-c";
	snprintf(script, sizeof(script), "%s/sweep.gp", sp->scripts);
	argv[k++] = script;
	argv[k++] = data;
	argv[k++] = out;
	argv[k++] = title;
	argv[k++] = label;
	argv[k++] = ylabel;
	argv[k++] = xnum ? "1" : "0";
	argv[k++] = ns_arg;
	argv[k] = NULL;
	rc = plot_exec(argv, log, err);
	return rc;
}

/* A gnuplot tic list of the values of parameter k. */
static char *tics_of(const struct sdata *d, size_t k)
{
	size_t len = 0, i;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	const char *p;

	if (!f)
		abort();
	fputc('(', f);
	for (i = 0; i < d->nvals[k]; i++) {
		fprintf(f, "%s\"", i ? ", " : "");
		for (p = d->vals[k][i]; *p; p++)
			if (*p != '"' && *p != '\\')
				fputc(*p, f);
		fprintf(f, "\" %zu", i);
	}
	fputc(')', f);
	fclose(f);
	return buf;
}

static int draw_heat(const struct sweep_plot *sp, size_t f, char *stem,
		     size_t stemlen, struct err *err)
{
	const struct sdata *d = sp->d;
	size_t xk = sp->x, yk = sp->x == 0 ? 1 : 0;
	size_t nx = d->nvals[xk], ny = d->nvals[yk], i, k;
	double *sum, *cnt, scale, v;
	char data[PATH_MAX], out[PATH_MAX], log[PATH_MAX], zlabel[300];
	char title[400], script[PATH_MAX];
	const char *unit, *argv[14];
	char *xt, *yt;
	FILE *fp;
	int rc;

	sum = xcalloc(nx * ny, sizeof(*sum));
	cnt = xcalloc(nx * ny, sizeof(*cnt));
	for (i = 0; i < d->npts; i++) {
		v = fig_of(d, &d->pts[i], f, sp->nfig_at[i]);
		if (isnan(v))
			continue;
		k = value_rank(d, yk, d->pts[i].pv[yk]) * nx +
		    value_rank(d, xk, d->pts[i].pv[xk]);
		sum[k] += v;
		cnt[k] += 1;
	}
	fig_scale(d->figs[f], &scale, &unit);
	stem_of(stem, stemlen, "heat-", d->figs[f]);
	snprintf(data, sizeof(data), "%s/%s.csv", sp->dir, stem);
	snprintf(out, sizeof(out), "%s/%s", sp->dir, stem);
	snprintf(log, sizeof(log), "%s/gnuplot.log", sp->dir);
	fp = fopen(data, "w");
	if (!fp) {
		free(sum);
		free(cnt);
		return err_set(err, errno, "cannot create '%s'", data);
	}
	fprintf(fp, "x_rank,y_rank,value\n");
	for (k = 0; k < nx * ny; k++) {
		if (cnt[k])
			fprintf(fp, "%zu,%zu,%.10g\n", k % nx, k / nx,
				sum[k] / cnt[k] * scale);
		else
			fprintf(fp, "%zu,%zu,NaN\n", k % nx, k / nx);
	}
	free(sum);
	free(cnt);
	if (fclose(fp))
		return err_set(err, errno, "cannot write '%s'", data);
	snprintf(zlabel, sizeof(zlabel), "%s%s", d->figs[f], unit);
	snprintf(title, sizeof(title), "%s: %s", sp->title, d->figs[f]);
	snprintf(script, sizeof(script), "%s/sweep_heatmap.gp", sp->scripts);
	xt = tics_of(d, xk);
	yt = tics_of(d, yk);
	k = 0;
	argv[k++] = sp->gnuplot;
	argv[k++] = "-c";
	argv[k++] = script;
	argv[k++] = data;
	argv[k++] = out;
	argv[k++] = title;
	argv[k++] = d->params[xk];
	argv[k++] = d->params[yk];
	argv[k++] = zlabel;
	argv[k++] = xt;
	argv[k++] = yt;
	argv[k++] = nx * ny <= SWEEP_HEAT_LABELS ? "1" : "0";
	argv[k] = NULL;
	rc = plot_exec(argv, log, err);
	free(xt);
	free(yt);
	return rc;
}

/* Whether figure f takes more than one value over the points. */
static bool varies(const struct sweep_plot *sp, size_t f)
{
	double first = NAN, v;
	size_t i;

	for (i = 0; sp->nfig_at && i < sp->d->npts; i++) {
		v = fig_of(sp->d, &sp->d->pts[i], f, sp->nfig_at[i]);
		if (isnan(v))
			continue;
		if (isnan(first))
			first = v;
		else if (v != first)
			return true;
	}
	return false;
}

static int fail(const struct err *err, int code)
{
	char buf[1200];

	fprintf(stderr, "cfssim: %s\n", err_str(err, buf, sizeof(buf)));
	return code;
}

int cli_plot_sweep(const struct cli_opts *o, char **stems, size_t max)
{
	char gnuplot[PATH_MAX], scripts[PATH_MAX], stem[200];
	struct sweep_plot sp = {0};
	struct sdata d = {0};
	bool *want = NULL;
	size_t f, k, nstems = 0, nwant = 0, best = 0;
	struct err err;
	int rc = EXIT_OK;

	err_init(&err);
	stems[0] = NULL;
	if (!o->output || !*o->output) {
		fprintf(stderr, "cfssim: plot --sweep needs an output "
				"directory: -o DIR\n");
		return EXIT_USAGE;
	}
	if (plot_find_gnuplot(NULL, gnuplot, sizeof(gnuplot), &err) < 0 ||
	    plot_find_scripts(scripts, sizeof(scripts), &err) < 0)
		return fail(&err, EXIT_FAIL);
	if (read_points(o->sweep, &d, &sp.nfig_at, &err)) {
		rc = fail(&err, EXIT_USAGE);
		goto out;
	}
	if (d.nparams == 0) {
		fprintf(stderr,
			"cfssim: '%s' varies no parameter to draw "
			"against\n",
			o->sweep);
		rc = EXIT_USAGE;
		goto out;
	}
	distinct_values(&d);
	sp.d = &d;
	sp.x = d.nparams;
	for (k = 0; k < d.nparams; k++) {
		if (o->x_path && !strcmp(o->x_path, d.params[k]))
			sp.x = k;
		if (d.nvals[k] > d.nvals[best])
			best = k;
	}
	if (o->x_path && sp.x == d.nparams) {
		fprintf(stderr, "cfssim: --x '%s' is no parameter of '%s'\n",
			o->x_path, o->sweep);
		rc = EXIT_USAGE;
		goto out;
	}
	if (!o->x_path)
		sp.x = best;
	want = xcalloc(d.nfigs + 1, sizeof(*want));
	for (k = 0; k < o->nfigures; k++) {
		for (f = 0; f < d.nfigs; f++)
			if (!strcmp(d.figs[f], o->figures[k]))
				break;
		if (f == d.nfigs) {
			fprintf(stderr,
				"cfssim: --figure '%s' is no figure of '%s' "
				"(its CSV columns name them: cfssim sweep "
				"--format csv)\n",
				o->figures[k], o->sweep);
			rc = EXIT_USAGE;
			goto out;
		}
		want[f] = true;
	}
	/* by default the group and latency figures that change */
	for (f = 0; f < d.nfigs && !o->nfigures; f++)
		if ((!strchr(d.figs[f], ':') ||
		     strstr(d.figs[f], ".latency.")) &&
		    varies(&sp, f) && nwant < SWEEP_PLOT_DEFAULT_MAX) {
			want[f] = true;
			nwant++;
		}
	if (mkdir(o->output, 0755) && errno != EEXIST) {
		fprintf(stderr, "cfssim: cannot create '%s': %s\n", o->output,
			strerror(errno));
		rc = EXIT_FAIL;
		goto out;
	}
	sp.gnuplot = gnuplot;
	sp.scripts = scripts;
	sp.dir = o->output;
	if (d.scenario) {
		sp.title = d.scenario;
	} else {
		const char *b = strrchr(o->sweep, '/');

		sp.title = b ? b + 1 : o->sweep;
	}
	for (f = 0; f < d.nfigs; f++) {
		if (!want[f])
			continue;
		if (draw_lines(&sp, f, stem, sizeof(stem), &err)) {
			rc = fail(&err, EXIT_FAIL);
			goto out;
		}
		if (nstems + 1 < max)
			stems[nstems++] = xstrdup(stem);
		if (d.nparams != 2)
			continue;
		if (draw_heat(&sp, f, stem, sizeof(stem), &err)) {
			rc = fail(&err, EXIT_FAIL);
			goto out;
		}
		if (nstems + 1 < max)
			stems[nstems++] = xstrdup(stem);
	}
	stems[nstems] = NULL;
	if (!nstems) {
		fprintf(stderr,
			"cfssim: no figure of '%s' changes over the "
			"sweep; name one with --figure\n",
			o->sweep);
		rc = EXIT_FAIL;
	}
out:
	free(want);
	free(sp.nfig_at);
	sdata_free(&d);
	return rc;
}
