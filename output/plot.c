#include "output/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/timeline_csv.h"
#include "base/xalloc.h"

static const char *const picture_names[PLOT_NPICTURES] = {
	[PLOT_USAGE] = "usage",
	[PLOT_THROTTLING] = "throttling",
	[PLOT_GANTT] = "gantt",
	[PLOT_VRUNTIME] = "vruntime",
	[PLOT_LATENCY_CDF] = "latency_cdf",
	[PLOT_LATENCY_TIME] = "latency_time",
	[PLOT_COMPARE] = "compare",
};

bool plot_applies(enum plot_picture p, const struct results *r)
{
	if (p == PLOT_LATENCY_CDF)
		return r->nlatency > 0;
	if (p == PLOT_LATENCY_TIME)
		return r->nlatency > 0 && r->timeline &&
		       r->timeline->nrequests > 0;
	return true;
}

const char *plot_name(enum plot_picture p)
{
	return p < PLOT_NPICTURES ? picture_names[p] : "";
}

int plot_find_gnuplot(const char *path_env, char *buf, size_t len,
		      struct err *err)
{
	const char *p, *end;

	if (!path_env)
		path_env = getenv("PATH");
	for (p = path_env ? path_env : ""; *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0)
			continue;
		if ((size_t)snprintf(buf, len, "%.*s/gnuplot", (int)n, p) >=
		    len)
			continue;
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return err_set(err, 0, PLOT_GNUPLOT_MISSING);
}

static int has_scripts(const char *dir)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/usage.gp", dir) >=
	    sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

static int try_dir(char *buf, size_t len, const char *dir)
{
	if (!has_scripts(dir) || strlen(dir) >= len)
		return 0;
	snprintf(buf, len, "%s", dir);
	return 1;
}

int plot_find_scripts(char *buf, size_t len, struct err *err)
{
	const char *env = getenv("CFSSIM_PLOTS_DIR");
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n;

	if (env && *env) {
		if (try_dir(buf, len, env))
			return 0;
		return err_set(err, 0,
			       "no gnuplot scripts in '%s' (CFSSIM_PLOTS_DIR)",
			       env);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s/../plots", exe);
			if (try_dir(buf, len, dir))
				return 0;
			snprintf(dir, sizeof(dir), "%s/../share/cfssim/plots",
				 exe);
			if (try_dir(buf, len, dir))
				return 0;
		}
	}
	if (try_dir(buf, len, "/usr/local/share/cfssim/plots") ||
	    try_dir(buf, len, "/usr/share/cfssim/plots"))
		return 0;
	return err_set(
		err, 0,
		"cannot find the gnuplot scripts (usage.gp); looked next "
		"to the program and in share/cfssim/plots");
}

/* Parses "<number>[.<digits>]<unit>" with unit ns, us, ms or s. */
static int parse_len(const char *s, size_t n, uint64_t *ns)
{
	static const struct {
		const char *unit;
		uint64_t scale;
	} units[] = {
		{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
	uint64_t whole = 0, frac = 0, frac_scale = 1;
	size_t i = 0, k;
	int digits = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (whole > UINT64_MAX / 10 - 1)
			return -1;
		whole = whole * 10 + (uint64_t)(s[i++] - '0');
		digits++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (frac_scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				frac_scale *= 10;
			}
			i++;
			digits++;
		}
	}
	if (!digits)
		return -1;
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		size_t ul = strlen(units[k].unit);

		if (n - i == ul && strncmp(s + i, units[k].unit, ul) == 0) {
			if (whole > UINT64_MAX / units[k].scale)
				return -1;
			*ns = whole * units[k].scale +
			      frac * units[k].scale / frac_scale;
			return 0;
		}
	}
	return -1;
}

int plot_parse_window(const char *s, uint64_t *start_ns, uint64_t *end_ns,
		      struct err *err)
{
	const char *colon = strchr(s, ':');
	uint64_t a, b;

	if (!colon || parse_len(s, (size_t)(colon - s), &a) < 0 ||
	    parse_len(colon + 1, strlen(colon + 1), &b) < 0)
		return err_set(err, 0,
			       "invalid window '%s': expected START:END with "
			       "units, e.g. 0ms:200ms",
			       s);
	if (b <= a)
		return err_set(err, 0,
			       "invalid window '%s': END must lie after START",
			       s);
	*start_ns = a;
	*end_ns = b;
	return 0;
}

static const struct group_result *find_group(const struct results *r,
					     const char *path)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].path, path) == 0)
			return &r->groups[i];
	return NULL;
}

static void compare_row(FILE *f, const char *group, const char *figure,
			const char *unit, double sim, double real,
			size_t group_id, unsigned figure_id)
{
	timeline_csv_field(f, group);
	fprintf(f, ",%s,%s,%.6f,%.6f,", figure, unit, sim, real);
	if (sim != 0)
		fprintf(f, "%.3f", (real - sim) / sim * 100.0);
	else if (real == 0)
		fputs("0.000", f);
	fprintf(f, ",%zu,%u\n", group_id, figure_id);
}

int plot_write_compare_csv(const char *dir, const struct results *sim,
			   const struct results *real, struct err *err)
{
	size_t len = strlen(dir) + sizeof("/compare.csv");
	char *path = xmalloc(len);
	size_t i, id = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, len, "%s/compare.csv", dir);
	f = fopen(path, "w");
	if (!f) {
		ret = err_set(err, errno, "cannot open '%s'", path);
		free(path);
		return ret;
	}
	fputs("group,figure,unit,sim,real,error_pct,group_id,figure_id\n", f);
	for (i = 0; i < sim->ngroups; i++) {
		const struct group_result *s = &sim->groups[i];
		const struct group_result *m = find_group(real, s->path);

		if (!m)
			continue;
		compare_row(f, s->path, "usage", "ms", s->usage_ns / 1e6,
			    m->usage_ns / 1e6, id, 0);
		compare_row(f, s->path, "nr_periods", "count",
			    (double)s->nr_periods, (double)m->nr_periods, id,
			    1);
		compare_row(f, s->path, "nr_throttled", "count",
			    (double)s->nr_throttled, (double)m->nr_throttled,
			    id, 2);
		compare_row(f, s->path, "throttled time", "ms",
			    s->throttled_ns / 1e6, m->throttled_ns / 1e6, id,
			    3);
		id++;
	}
	if (ferror(f))
		ret = err_set(err, EIO, "cannot write '%s'", path);
	if (fclose(f) != 0 && ret == 0)
		ret = err_set(err, errno, "cannot write '%s'", path);
	free(path);
	return ret;
}

static void us_arg(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%03u", (unsigned long long)(ns / 1000),
		 (unsigned)(ns % 1000));
}

int plot_run_script(const char *gnuplot, const char *scripts,
		    enum plot_picture p, const char *datadir,
		    const char *outdir, const struct plot_opts *o,
		    struct err *err)
{
	char script[PATH_MAX], log[PATH_MAX], a4[32], a5[32];
	const char *argv[10];
	int argc = 0, fd, status;
	pid_t pid;
	uint64_t wend;

	if ((size_t)snprintf(script, sizeof(script), "%s/%s.gp", scripts,
			     plot_name(p)) >= sizeof(script) ||
	    (size_t)snprintf(log, sizeof(log), "%s/gnuplot.log", outdir) >=
		    sizeof(log))
		return err_set(err, ENAMETOOLONG, "cannot run '%s'", gnuplot);
	if (access(script, R_OK) < 0)
		return err_set(err, errno, "cannot read '%s'", script);
	argv[argc++] = gnuplot;
	argv[argc++] = "-c";
	argv[argc++] = script;
	argv[argc++] = datadir;
	argv[argc++] = outdir;
	argv[argc++] = o->title ? o->title : "";
	if (p == PLOT_GANTT) {
		wend = o->window_end_ns ?
			       o->window_end_ns :
			       o->window_start_ns + PLOT_WINDOW_DEFAULT_NS;
		us_arg(a4, sizeof(a4), o->window_start_ns);
		us_arg(a5, sizeof(a5), wend);
		argv[argc++] = a4;
		argv[argc++] = a5;
	} else if (p == PLOT_VRUNTIME) {
		snprintf(a4, sizeof(a4), "%u", o->vruntime_cpu);
		argv[argc++] = a4;
	} else if (p == PLOT_LATENCY_CDF && o->overlay_dir) {
		argv[argc++] = o->overlay_dir;
	}
	argv[argc] = NULL;

	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(err, errno, "cannot open '%s'", log);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return err_set(err, errno, "cannot run '%s'", gnuplot);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execv(gnuplot, (char *const *)argv);
		dprintf(fd, "cannot run '%s': %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(err, errno, "cannot wait for '%s'",
				       gnuplot);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, 0, "gnuplot failed on '%s' (see '%s')",
			       script, log);
	return 0;
}

static bool data_has(const char *dir, const char *file)
{
	char path[PATH_MAX];

	return (size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) <
		       sizeof(path) &&
	       !access(path, R_OK);
}

int plot_render_all(const char *gnuplot, const char *scripts,
		    const char *datadir, const char *outdir,
		    const struct plot_opts *o, struct err *err)
{
	int p;

	if (timeline_csv_mkdirs(outdir, err) < 0)
		return -1;
	for (p = 0; p < PLOT_NPICTURES; p++) {
		if (p == PLOT_COMPARE && !o->compare)
			continue;
		/* the latency pictures only where their data was written */
		if ((p == PLOT_LATENCY_CDF || p == PLOT_LATENCY_TIME) &&
		    !data_has(datadir, p == PLOT_LATENCY_CDF ?
					       "latency_cdf.csv" :
					       "requests.csv"))
			continue;
		if (plot_run_script(gnuplot, scripts, (enum plot_picture)p,
				    datadir, outdir, o, err) < 0)
			return -1;
	}
	return 0;
}
