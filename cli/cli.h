/* The command line: option parsing shared by every subcommand, and one
 * function per subcommand (cli/cmd_<name>.c).  Only cli/ prints for the
 * user.  Commands return the process exit status. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	  /* failure, or compare outside tolerance */
	EXIT_USAGE = 2,	  /* usage error or invalid scenario */
	EXIT_NOREAL = 77, /* the real backend cannot run here */
};

struct cli_opts {
	const char *command; /* "sim", "real", "compare", ... */
	const char *file;    /* scenario path */
	bool json;
	int cgroup_version;   /* 1 or 2: names and units of the tables */
	uint64_t duration_ns; /* --duration, 0 = scenario's */
	bool seed_set;
	uint64_t seed;		  /* --seed */
	const char *output;	  /* -o/--output */
	int repeat;		  /* --repeat N (compare), default 1 */
	bool real;		  /* plot --real */
	bool compare;		  /* plot/report --compare */
	const char *timeline_dir; /* --timeline DIR */
	const char *trace_file;	  /* --trace FILE.json */
	const char *kernel;	  /* --kernel X.Y */
	const char *window;	  /* --window A:B (plot) */
	bool verbose;
	/* sweep, tune, merge; the arrays hold pointers into argv */
	const char **sets; /* --set PATH=VALUES (sweep, tune), in order */
	size_t nsets;
	const char **varies; /* --vary PATH=LO..HI (tune) */
	size_t nvaries;
	const char **targets; /* --target EXPR (tune) */
	size_t ntargets;
	const char **figures; /* --figure NAME (plot --sweep) */
	size_t nfigures;
	unsigned seeds;	       /* --seeds K, 0 = not given */
	unsigned jobs;	       /* -j N, 0 = online CPUs */
	const char *shard;     /* --shard I/N */
	const char *emit;      /* --emit slurm|k8s|parallel */
	unsigned shards;       /* --shards N (with --emit) */
	const char *image;     /* --image (with --emit k8s) */
	const char *format;    /* --format jsonl|csv */
	bool max;	       /* tune --max */
	const char *sweep;     /* plot/report --sweep RESULTS.jsonl */
	const char *x_path;    /* plot --sweep: --x PATH */
	const char **operands; /* every operand (merge: OUT SHARD...) */
	size_t noperands;
	bool allow_long; /* --long: real runs beyond 10 minutes */
};

int cli_main(int argc, char **argv);

/* Loads o->file and applies --duration/--seed/--kernel; on error prints
 * "cfssim: file:line:col: msg" and returns EXIT_USAGE, else EXIT_OK. */
int cli_load_scenario(const struct cli_opts *o, struct scenario *sc);

/* Makes sure the output directory of -o exists (created with its parents)
 * and can be written in, before a command spends minutes on real runs
 * whose results it then could not keep.  Prints why not and returns
 * EXIT_FAIL, else EXIT_OK. */
int cli_output_dir(const char *dir);

struct results;

/* Writes what o asks for beside the tables (--timeline DIR, --trace FILE),
 * then prints r as text or JSON.  EXIT_FAIL if a file could not be
 * written (after printing why), else EXIT_OK. */
int cli_emit_results(const struct cli_opts *o, const struct results *r);

int cmd_sim(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);
int cmd_real(const struct cli_opts *o);
int cmd_compare(const struct cli_opts *o);
int cmd_plot(const struct cli_opts *o);
int cmd_report(const struct cli_opts *o);
int cmd_cleanup(const struct cli_opts *o);
int cmd_import(const struct cli_opts *o);
int cmd_export(const struct cli_opts *o);
int cmd_fidelity(const struct cli_opts *o);
int cmd_sweep(const struct cli_opts *o);
int cmd_merge(const struct cli_opts *o);
int cmd_tune(const struct cli_opts *o);

struct sweep_grid;
/* The results object of a sweep's point id as JSON text (simulated;
 * wall_usec 0 so that a point reads the same wherever it ran). */
int cli_sweep_result(void *ctx, const struct sweep_grid *g, uint64_t id,
		     char **json, struct err *err);
/* Applies --duration, --seed and --kernel to a sweep's grid. */
void cli_sweep_fix(const struct cli_opts *o, struct sweep_grid *g);
/* Draws the pictures of a sweep's results into o->output (plot --sweep,
 * report --sweep); stems gets the SVG stems drawn (NULL-ended, static
 * storage of up to max entries). */
int cli_plot_sweep(const struct cli_opts *o, char **stems, size_t max);

#endif
