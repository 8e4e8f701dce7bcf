/* `cfssim sweep FILE --set PATH=VALUES ...`: runs a grid of variants of a
 * scenario here (-j N workers), as one shard of a cluster job (--shard,
 * or the engines' environment), or prints such a job (--emit). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/report.h"
#include "base/duration.h"
#include "scenarios/loader.h"
#include "sim/sim.h"
#include "base/xalloc.h"
#include "sweep/emit.h"
#include "sweep/grid.h"
#include "sweep/run.h"

/* distinct combinations checked before a sweep runs */
#define SWEEP_CHECK_MAX 200000

static int fail_err(const struct err *err, int code)
{
	char buf[1200];

	fprintf(stderr, "cfssim: %s\n", err_str(err, buf, sizeof(buf)));
	return code;
}

int cli_sweep_result(void *ctx, const struct sweep_grid *g, uint64_t id,
		     char **json, struct err *err)
{
	struct scenario sc;
	struct results r;
	size_t len = 0;
	FILE *f;

	(void)ctx;
	if (sweep_point_load(g, id, &sc, err))
		return -1;
	if (sim_run(&sc, NULL, &r, err)) {
		scenario_destroy(&sc);
		return -1;
	}
	/* the time a run took is no figure of the point: a point reads the
	 * same wherever and however fast it ran */
	r.wall_ns = 0;
	f = open_memstream(json, &len);
	if (!f)
		abort();
	report_json(f, &r, 0);
	fclose(f);
	results_destroy(&r);
	scenario_destroy(&sc);
	return 0;
}

void cli_sweep_fix(const struct cli_opts *o, struct sweep_grid *g)
{
	char buf[64], origin[96];

	if (o->duration_ns) {
		duration_format(o->duration_ns, DURATION_WHOLE, buf,
				sizeof(buf));
		snprintf(origin, sizeof(origin), "--duration '%s'", buf);
		sweep_grid_fix(g, "duration", buf, origin);
	}
	if (o->kernel) {
		snprintf(origin, sizeof(origin), "--kernel '%.64s'", o->kernel);
		sweep_grid_fix(g, "kernel.version", o->kernel, origin);
	}
	if (o->seed_set)
		g->base_seed = o->seed;
}

struct progress {
	struct timespec start, last;
	uint64_t before; /* points the output already held */
	uint64_t total;	 /* points of this shard */
	bool shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	struct timespec now;
	double el, rate;
	char left[32];

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done < total && p->shown && since(&p->last, &now) < 0.2)
		return;
	p->last = now;
	p->shown = true;
	el = since(&p->start, &now);
	rate = el > 0 ? (double)done / el : 0;
	if (rate > 0) {
		double s = (double)(total - done) / rate;

		if (s >= 3600)
			snprintf(left, sizeof(left), "%dh%02dm",
				 (int)(s / 3600), (int)(s / 60) % 60);
		else if (s >= 60)
			snprintf(left, sizeof(left), "%dm%02ds", (int)(s / 60),
				 (int)s % 60);
		else
			snprintf(left, sizeof(left), "%.0fs", s);
	} else {
		snprintf(left, sizeof(left), "?");
	}
	fprintf(stderr,
		"\rcfssim: %" PRIu64 "/%" PRIu64 " points, %.1f points/s, %s "
		"left\033[K",
		p->before + done, p->total, rate, left);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* The options a shard of this sweep needs, for --emit. */
static const char **shard_args(const struct cli_opts *o, size_t *n)
{
	const char **a = xcalloc(2 * o->nsets + 16, sizeof(*a));
	static char seeds[32], dur[64], seed[32];
	size_t i, k = 0;

	for (i = 0; i < o->nsets; i++) {
		a[k++] = "--set";
		a[k++] = o->sets[i];
	}
	if (o->seeds) {
		snprintf(seeds, sizeof(seeds), "%u", o->seeds);
		a[k++] = "--seeds";
		a[k++] = seeds;
	}
	if (o->duration_ns) {
		duration_format(o->duration_ns, DURATION_WHOLE, dur,
				sizeof(dur));
		a[k++] = "--duration";
		a[k++] = dur;
	}
	if (o->seed_set) {
		snprintf(seed, sizeof(seed), "%" PRIu64, o->seed);
		a[k++] = "--seed";
		a[k++] = seed;
	}
	if (o->kernel) {
		a[k++] = "--kernel";
		a[k++] = o->kernel;
	}
	*n = k;
	return a;
}

static int emit_job(const struct cli_opts *o, const struct sweep_grid *g)
{
	char exe[PATH_MAX], scen[PATH_MAX];
	struct sweep_emit e = {0};
	const char *base;
	struct err err;
	ssize_t n;
	int rc;

	err_init(&err);
	if (!o->shards) {
		fprintf(stderr, "cfssim: --emit needs the number of shards: "
				"--shards N\n");
		return EXIT_USAGE;
	}
	if (!o->output) {
		fprintf(stderr, "cfssim: --emit needs where the merged "
				"results go: -o RESULTS.jsonl\n");
		return EXIT_USAGE;
	}
	if (o->shard || o->format) {
		fprintf(stderr,
			"cfssim: --emit makes the shards itself (JSON "
			"Lines): drop %s\n",
			o->shard ? "--shard" : "--format");
		return EXIT_USAGE;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		snprintf(exe, sizeof(exe), "cfssim");
	else
		exe[n] = '\0';
	if (!realpath(o->file, scen))
		snprintf(scen, sizeof(scen), "%s", o->file);
	base = strrchr(o->file, '/');
	e.kind = o->emit;
	e.shards = o->shards;
	e.points = (unsigned)g->npoints;
	e.cfssim = exe;
	e.scenario = scen;
	e.scenario_name = g->base.name;
	e.scenario_base = base ? base + 1 : o->file;
	e.scenario_text = g->text;
	e.args = shard_args(o, &e.nargs);
	e.output = o->output;
	e.image = o->image ? o->image : "cfssim:latest";
	rc = sweep_emit(stdout, &e, &err);
	free((void *)e.args);
	if (rc)
		return fail_err(&err, EXIT_USAGE);
	return EXIT_OK;
}

int cmd_sweep(const struct cli_opts *o)
{
	struct sweep_run run = {0};
	struct progress prog = {0};
	struct sweep_grid g;
	unsigned char *done = NULL;
	unsigned shard, nshards;
	const char *from;
	uint64_t *todo = NULL, id, ntodo = 0, before = 0;
	struct err err;
	long cpus;
	int rc = EXIT_OK, fd = STDOUT_FILENO;
	size_t i;

	err_init(&err);
	sweep_grid_init(&g);
	if (o->nvaries || o->ntargets) {
		fprintf(stderr, "cfssim: --vary and --target belong to 'cfssim "
				"tune'\n");
		return EXIT_USAGE;
	}
	if (sweep_grid_load(&g, o->file, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	for (i = 0; i < o->nsets; i++) {
		if (sweep_grid_set(&g, "--set", o->sets[i], 0, &err)) {
			rc = fail_err(&err, EXIT_USAGE);
			goto out;
		}
	}
	cli_sweep_fix(o, &g);
	if (!g.naxes && !o->seeds && !g.base.sweep.seeds) {
		fprintf(stderr, "cfssim: nothing to sweep: give --set "
				"PATH=VALUES or a 'sweep:' block\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (sweep_grid_finish(&g, o->seeds, SWEEP_CHECK_MAX, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	if (o->emit) {
		rc = emit_job(o, &g);
		goto out;
	}
	if (o->shards) {
		fprintf(stderr, "cfssim: --shards goes with --emit; a shard "
				"is chosen with --shard I/N\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (sweep_shard(o->shard, &shard, &nshards, &from, &err)) {
		rc = fail_err(&err, EXIT_USAGE);
		goto out;
	}
	run.csv = o->format && !strcmp(o->format, "csv");
	done = xcalloc(g.npoints + 1, 1);
	if (o->output) {
		if (sweep_output_scan(o->output, &g, run.csv, done, &run.header,
				      &err)) {
			rc = fail_err(&err, EXIT_USAGE);
			goto out;
		}
		fd = open(o->output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			  0644);
		if (fd < 0) {
			fprintf(stderr, "cfssim: cannot open '%s': %s\n",
				o->output, strerror(errno));
			rc = EXIT_FAIL;
			goto out;
		}
	}
	todo = xcalloc(g.npoints / nshards + 2, sizeof(*todo));
	for (id = shard; id < g.npoints; id += nshards) {
		if (done[id])
			before++;
		else
			todo[ntodo++] = id;
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	run.grid = &g;
	run.jobs = o->jobs ? o->jobs : (cpus > 0 ? (unsigned)cpus : 1);
	run.out_fd = fd;
	run.need_header = run.csv && !run.header;
	run.result = cli_sweep_result;
	run.ctx = &prog;
	if (isatty(STDERR_FILENO)) {
		clock_gettime(CLOCK_MONOTONIC, &prog.start);
		prog.before = before;
		prog.total = before + ntodo;
		run.progress = show_progress;
	}
	if (sweep_run_points(&run, todo, ntodo, &err)) {
		if (prog.shown)
			fputc('\n', stderr);
		rc = fail_err(&err, EXIT_FAIL);
	}
out:
	if (fd != STDOUT_FILENO && fd >= 0 && close(fd) && rc == EXIT_OK) {
		fprintf(stderr, "cfssim: cannot write '%s': %s\n", o->output,
			strerror(errno));
		rc = EXIT_FAIL;
	}
	free(run.header);
	free(todo);
	free(done);
	sweep_grid_destroy(&g);
	return rc;
}
