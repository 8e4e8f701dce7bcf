/* cfssim fidelity DIR -o OUT [--repeat N]: the scoreboard.  Runs compare
 * (N real runs each, default 5) on every scenario in DIR that fits this
 * machine's CPUs, prints each table, and writes OUT/fidelity.md (per
 * figure kind: rows, passed, median and worst relative error; per
 * scenario: its verdict) and OUT/fidelity.csv (every row). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_compare.h"
#include "cli/cmd_real.h"
#include "compare/compare.h"
#include "base/xalloc.h"

#define FIDELITY_REPEAT 5

struct scored {
	char *name;	      /* scenario name */
	struct cmp_table tab; /* its rows */
	size_t runs;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir, sorted, into *out; -1 if dir cannot be read
 * (printed). */
static int list_scenarios(const char *dir, char ***out, size_t *n)
{
	char **paths = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	*out = NULL;
	if (!d) {
		fprintf(stderr, "cfssim: cannot open '%s': %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		xgrow((void **)&paths, &cap, *n + 1, sizeof(*paths));
		paths[*n] = xmalloc(strlen(dir) + len + 2);
		sprintf(paths[*n], "%s/%s", dir, de->d_name);
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(paths, *n, sizeof(*paths), by_name);
	*out = paths;
	return 0;
}

/* Simulates and runs one scenario n times; EXIT_OK and s filled, or the
 * exit status of what failed (printed). */
static int score_one(const struct cli_opts *o, const char *path, size_t n,
		     struct scored *s)
{
	struct results sim[CMP_SIM_RUNS], *real = xcalloc(n, sizeof(*real));
	struct cli_opts fo = *o;
	struct scenario sc;
	struct err err;
	uint64_t wall;
	size_t done = 0, i;
	char buf[1200];
	int rc;

	fo.file = path;
	rc = cli_load_scenario(&fo, &sc);
	if (rc) {
		free(real);
		return rc;
	}
	err_init(&err);
	if (cmp_simulate(&sc, sim, &wall, &err)) {
		fprintf(stderr, "cfssim: %s: %s\n", path,
			err_str(&err, buf, sizeof(buf)));
		scenario_destroy(&sc);
		free(real);
		return EXIT_USAGE;
	}
	for (; done < n; done++) {
		rc = cli_real_once(&fo, &sc, (unsigned)done + 1, (unsigned)n,
				   &real[done]);
		if (rc != EXIT_OK)
			goto out;
	}
	if (cmp_build(&sc, sim, CMP_SIM_RUNS, real, n, cmp_host_has_local(),
		      &s->tab, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
		goto out;
	}
	s->name = xstrdup(sc.name);
	s->runs = n;
	printf("== %s\n", path);
	cmp_print_text(stdout, &s->tab, wall, real, n);
	fflush(stdout);
out:
	for (i = 0; i < done; i++)
		results_destroy(&real[i]);
	free(real);
	for (i = 0; i < CMP_SIM_RUNS; i++)
		results_destroy(&sim[i]);
	scenario_destroy(&sc);
	return rc;
}

static void csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void write_csv(FILE *f, const struct scored *s, size_t n)
{
	size_t i, k;

	fputs("scenario,group,task,index,figure,kind,sim_min,sim_max,"
	      "real_mean,real_sd,real_min,real_max,rel_err,tolerance,"
	      "runs_passed,runs,verdict\n",
	      f);
	for (i = 0; i < n; i++)
		for (k = 0; k < s[i].tab.n; k++) {
			const struct cmp_row *r = &s[i].tab.rows[k];
			double u = cmp_ceiling(r->kind)->time ? 1000 : 1;

			fprintf(f, "%s,%s,", s[i].name, r->group);
			csv_text(f, r->task ? r->task : "");
			fprintf(f, ",%u,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,",
				r->index, r->figure, cmp_ceiling(r->kind)->name,
				r->sim_min / u, r->sim_max / u,
				r->real_mean / u, r->real_sd / u,
				r->real_min / u, r->real_max / u);
			if (!isnan(r->rel_err))
				fprintf(f, "%.6f", r->rel_err);
			fprintf(f, ",%s,%zu,%zu,%s\n", r->tol, r->runs_passed,
				r->nreal,
				r->not_modelled ? "not modelled" :
				r->pass		? "ok" :
						  "outside");
		}
}

static void write_md(FILE *f, const struct scored *s, size_t n, size_t repeat,
		     const char *dir)
{
	struct cmp_score score[CMP_NKINDS];
	struct cmp_table *tabs = xcalloc(n ? n : 1, sizeof(*tabs));
	struct utsname u;
	char when[32];
	time_t now = time(NULL);
	size_t i, k;

	for (i = 0; i < n; i++)
		tabs[i] = s[i].tab;
	cmp_score(tabs, n, score);
	free(tabs);
	uname(&u);
	strftime(when, sizeof(when), "%Y-%m-%d", gmtime(&now));
	fprintf(f,
		"# Fidelity scoreboard\n\n"
		"How closely the simulator matches the kernel it runs on, "
		"written by `make fidelity` (`cfssim fidelity %s`): every "
		"scenario there that fits this machine is simulated over %d "
		"phase variants and run %zu times for real, and each figure "
		"of each run is judged as `cfssim compare` judges it "
		"(README.md, \"How compare judges\").\n\n"
		"Machine: Linux %s, %ld CPUs, %s.\n\n",
		dir, CMP_SIM_RUNS, repeat, u.release,
		sysconf(_SC_NPROCESSORS_ONLN), when);
	fputs("| figure kind | ceiling | rows | passed | not modelled | "
	      "median rel. error | worst rel. error |\n"
	      "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
	      f);
	for (k = 0; k < CMP_NKINDS; k++) {
		const struct cmp_ceiling *c = cmp_ceiling((enum cmp_kind)k);
		const struct cmp_score *p = &score[k];

		if (!p->rows && !p->not_modelled)
			continue;
		fprintf(f, "| %s | %g %% or %u%s | %zu | %zu | %zu | ", c->name,
			c->rel * 100, c->time ? c->abs_ticks : c->abs_count,
			c->time ? " tick" : "", p->rows, p->passed,
			p->not_modelled);
		if (p->nrel)
			fprintf(f, "%.1f %% | %.1f %% |\n", p->median_rel * 100,
				p->worst_rel * 100);
		else
			fputs("- | - |\n", f);
	}
	fputs("\nRelative errors are those of the mean of the real runs "
	      "against the mean of the simulated variants; rows simulated "
	      "at 0 have none and count in rows only.  A row passes when "
	      "every real run lies in its window.\n\n"
	      "| scenario | rows | passed | not modelled | verdict |\n"
	      "| --- | ---: | ---: | ---: | --- |\n",
	      f);
	for (i = 0; i < n; i++)
		fprintf(f, "| %s | %zu | %zu | %zu | %s |\n", s[i].name,
			s[i].tab.n - s[i].tab.not_modelled,
			s[i].tab.n - s[i].tab.not_modelled - s[i].tab.failed,
			s[i].tab.not_modelled,
			s[i].tab.failed ? "fail" : "pass");
	fputs("\nEvery row is in fidelity.csv beside this file.\n", f);
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "cfssim: cannot write '%s': %s\n", path,
			strerror(errno));
	return f;
}

int cmd_fidelity(const struct cli_opts *o)
{
	size_t repeat = o->repeat > 0 ? (size_t)o->repeat : FIDELITY_REPEAT;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	struct scored *s = NULL;
	size_t npaths, n = 0, cap = 0, i;
	char **paths, path[4096];
	bool failed = false;
	int rc = EXIT_OK;
	FILE *f;

	if (!o->output) {
		fprintf(stderr, "cfssim: fidelity needs -o DIR\n");
		return EXIT_USAGE;
	}
	if (cli_output_dir(o->output) != EXIT_OK)
		return EXIT_FAIL;
	if (list_scenarios(o->file, &paths, &npaths))
		return EXIT_USAGE;
	for (i = 0; i < npaths && rc == EXIT_OK; i++) {
		struct cli_opts lo = *o;
		struct scenario sc;

		lo.file = paths[i];
		rc = cli_load_scenario(&lo, &sc);
		if (rc)
			break;
		if (online > 0 && sc.cpus > (unsigned)online) {
			printf("== %s: needs %u CPUs, skipped\n", paths[i],
			       sc.cpus);
			scenario_destroy(&sc);
			continue;
		}
		scenario_destroy(&sc);
		xgrow((void **)&s, &cap, n + 1, sizeof(*s));
		memset(&s[n], 0, sizeof(s[n]));
		rc = score_one(o, paths[i], repeat, &s[n]);
		if (rc == EXIT_OK) {
			failed |= s[n].tab.failed > 0;
			n++;
		}
	}
	if (rc == EXIT_OK) {
		f = open_out(o->output, "fidelity.csv", path, sizeof(path));
		if (!f) {
			rc = EXIT_FAIL;
		} else {
			write_csv(f, s, n);
			fclose(f);
			f = open_out(o->output, "fidelity.md", path,
				     sizeof(path));
			if (!f) {
				rc = EXIT_FAIL;
			} else {
				write_md(f, s, n, repeat, o->file);
				fclose(f);
			}
		}
	}
	for (i = 0; i < n; i++) {
		free(s[i].name);
		cmp_destroy(&s[i].tab);
	}
	free(s);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	if (rc == EXIT_OK && failed)
		rc = EXIT_FAIL;
	return rc;
}
