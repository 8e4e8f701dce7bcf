/* The command line: option parsing shared by every subcommand, and one
 * function per subcommand (cli/cmd_<name>.c).  Only cli/ prints for the
 * user.  Commands return the process exit status. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

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
	bool allow_long; /* --long: real runs beyond 10 minutes */
};

int cli_main(int argc, char **argv);

/* Loads o->file and applies --duration/--seed/--kernel; on error prints
 * "cfssim: file:line:col: msg" and returns EXIT_USAGE, else EXIT_OK. */
int cli_load_scenario(const struct cli_opts *o, struct scenario *sc);

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

#endif
