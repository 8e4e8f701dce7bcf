/* Option parsing shared by every subcommand and the dispatch to them. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/report.h"
#include "output/timeline_csv.h"
#include "output/trace.h"
#include "scenarios/loader.h"
#include "model/results.h"
#include "sweep/grid.h"

static const char usage_text[] =
	"usage: cfssim [sim] FILE [options]      simulate; print cpu.stat per "
	"group and a task summary\n"
	"       cfssim check FILE [--json]        validate; print what the "
	"scenario resolves to\n"
	"       cfssim real FILE [options]        run in real containers "
	"under real cgroups (root)\n"
	"       cfssim compare FILE [--repeat N]  simulate and run for real, "
	"side by side\n"
	"       cfssim plot FILE -o DIR [--real|--compare]   write PNG and "
	"SVG plots\n"
	"       cfssim report FILE -o DIR [--compare]        write one HTML "
	"report\n"
	"       cfssim cleanup                     remove what a killed real "
	"run left behind\n"
	"       cfssim import FILE.json [-o FILE]  print an rt-app file as "
	"scenario YAML\n"
	"       cfssim export FILE [-o FILE.json]  write a scenario's "
	"workloads as rt-app JSON\n"
	"FILE is a scenario (YAML) or an rt-app file (.json) everywhere.\n"
	"       cfssim fidelity DIR -o OUT [--repeat N]   compare every "
	"scenario in DIR; write the scoreboard\n"
	"       cfssim sweep FILE --set PATH=VALUES...   run a grid of "
	"variants (JSON Lines)\n"
	"       cfssim merge OUT SHARD...          join the outputs of a "
	"sweep's shards\n"
	"       cfssim tune FILE --vary PATH=LO..HI --target EXPR...  "
	"smallest value meeting every target\n"
	"       cfssim plot --sweep RESULTS.jsonl -o DIR     draw a "
	"sweep's curves and heat maps\n"
	"\n"
	"options:\n"
	"  --json              print results as JSON\n"
	"  --cgroup v1|v2      file names and units of the text tables "
	"(default v2)\n"
	"  --duration D        override the scenario's duration (e.g. 2s)\n"
	"  --seed N            override the scenario's seed\n"
	"  --kernel X.Y        kernel behaviour set to simulate\n"
	"  -o, --output PATH   output directory or file\n"
	"  --repeat N          compare: real runs, each judged (default 1; "
	"fidelity 5)\n"
	"  --real, --compare   plot/report: use the real backend too\n"
	"  --timeline DIR      also write the time series as CSV into DIR\n"
	"  --trace FILE        also write a Chrome/Perfetto trace (JSON)\n"
	"  --window A:B        plot: Gantt chart window (e.g. 0ms:200ms)\n"
	"  --set PATH=VALUES   sweep: a parameter and its values (a,b,c; "
	"LO..HI/STEP; LO..HI*FACTOR)\n"
	"  --seeds K           sweep: K seeds per point\n"
	"  -j N                sweep: worker processes (default: online "
	"CPUs)\n"
	"  --shard I/N         sweep: run the points whose id is I modulo "
	"N\n"
	"  --format jsonl|csv  sweep: output format (default jsonl)\n"
	"  --emit slurm|k8s|parallel  sweep: print a job running --shards "
	"N shards\n"
	"  --shards N          sweep --emit: number of shards\n"
	"  --image IMAGE       sweep --emit k8s: container image with "
	"cfssim\n"
	"  --vary PATH=LO..HI[/STEP]  tune: the parameter to search\n"
	"  --target EXPR       tune: e.g. 'web.throttled_ratio < 5%'\n"
	"  --max               tune: the largest value instead of the "
	"smallest\n"
	"  --sweep RESULTS     plot/report: draw a sweep's results\n"
	"  --x PATH            plot --sweep: the parameter on the x axis\n"
	"  --figure NAME       plot --sweep: a figure to draw (repeatable)\n"
	"  --long              real, compare: allow runs over 10 minutes\n"
	"  -h, --help          this text\n"
	"\n"
	"exit status: 0 ok, 1 failure or compare outside tolerance, 2 usage "
	"or invalid scenario, 77 the real backend cannot run here\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt,
							     ...)
{
	va_list ap;

	fprintf(stderr, "cfssim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cfssim --help' for more information.\n");
	return EXIT_USAGE;
}

struct command {
	const char *name;
	int (*run)(const struct cli_opts *o);
	bool needs_file;
};

static const struct command commands[] = {
	{"sim", cmd_sim, true},		 {"check", cmd_check, true},
	{"real", cmd_real, true},	 {"compare", cmd_compare, true},
	{"plot", cmd_plot, true},	 {"report", cmd_report, true},
	{"cleanup", cmd_cleanup, false}, {"import", cmd_import, true},
	{"export", cmd_export, true},	 {"fidelity", cmd_fidelity, true},
	{"sweep", cmd_sweep, true},	 {"merge", cmd_merge, false},
	{"tune", cmd_tune, true},
};

enum {
	OPT_JSON = 256,
	OPT_CGROUP,
	OPT_DURATION,
	OPT_SEED,
	OPT_KERNEL,
	OPT_REPEAT,
	OPT_REAL,
	OPT_COMPARE,
	OPT_TIMELINE,
	OPT_TRACE,
	OPT_WINDOW,
	OPT_SET,
	OPT_SEEDS,
	OPT_SHARD,
	OPT_EMIT,
	OPT_SHARDS,
	OPT_IMAGE,
	OPT_FORMAT,
	OPT_VARY,
	OPT_TARGET,
	OPT_MAX,
	OPT_SWEEP,
	OPT_X,
	OPT_FIGURE,
	OPT_LONG,
};

static const struct option long_opts[] = {
	{"json", no_argument, NULL, OPT_JSON},
	{"cgroup", required_argument, NULL, OPT_CGROUP},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"seed", required_argument, NULL, OPT_SEED},
	{"kernel", required_argument, NULL, OPT_KERNEL},
	{"output", required_argument, NULL, 'o'},
	{"repeat", required_argument, NULL, OPT_REPEAT},
	{"real", no_argument, NULL, OPT_REAL},
	{"compare", no_argument, NULL, OPT_COMPARE},
	{"timeline", required_argument, NULL, OPT_TIMELINE},
	{"trace", required_argument, NULL, OPT_TRACE},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"set", required_argument, NULL, OPT_SET},
	{"seeds", required_argument, NULL, OPT_SEEDS},
	{"jobs", required_argument, NULL, 'j'},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"emit", required_argument, NULL, OPT_EMIT},
	{"shards", required_argument, NULL, OPT_SHARDS},
	{"image", required_argument, NULL, OPT_IMAGE},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"vary", required_argument, NULL, OPT_VARY},
	{"target", required_argument, NULL, OPT_TARGET},
	{"max", no_argument, NULL, OPT_MAX},
	{"sweep", required_argument, NULL, OPT_SWEEP},
	{"x", required_argument, NULL, OPT_X},
	{"figure", required_argument, NULL, OPT_FIGURE},
	{"long", no_argument, NULL, OPT_LONG},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && !*end;
}

static int parse_options(int argc, char **argv, struct cli_opts *o)
{
	struct err err;
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:j:vh", long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_CGROUP:
			if (!strcmp(optarg, "v1") || !strcmp(optarg, "1"))
				o->cgroup_version = 1;
			else if (!strcmp(optarg, "v2") || !strcmp(optarg, "2"))
				o->cgroup_version = 2;
			else
				return usage_error("--cgroup must be v1 or v2, "
						   "not '%s'",
						   optarg);
			break;
		case OPT_DURATION:
			if (scenario_parse_duration(optarg, &o->duration_ns,
						    &err) ||
			    !o->duration_ns)
				return usage_error("invalid --duration '%s'",
						   optarg);
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, &o->seed))
				return usage_error("invalid --seed '%s'",
						   optarg);
			o->seed_set = true;
			break;
		case OPT_KERNEL:
			o->kernel = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_REPEAT:
			if (!parse_u64(optarg, &v) || v < 1 || v > 1000)
				return usage_error("invalid --repeat '%s'",
						   optarg);
			o->repeat = (int)v;
			break;
		case OPT_REAL:
			o->real = true;
			break;
		case OPT_COMPARE:
			o->compare = true;
			break;
		case OPT_TIMELINE:
			o->timeline_dir = optarg;
			break;
		case OPT_TRACE:
			o->trace_file = optarg;
			break;
		case OPT_LONG:
			o->allow_long = true;
			break;
		case OPT_WINDOW:
			o->window = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_SET:
			o->sets[o->nsets++] = optarg;
			break;
		case OPT_VARY:
			o->varies[o->nvaries++] = optarg;
			break;
		case OPT_TARGET:
			o->targets[o->ntargets++] = optarg;
			break;
		case OPT_FIGURE:
			o->figures[o->nfigures++] = optarg;
			break;
		case OPT_SEEDS:
			if (!parse_u64(optarg, &v) || v < 1 ||
			    v > SWEEP_MAX_SEEDS)
				return usage_error("invalid --seeds '%s'",
						   optarg);
			o->seeds = (unsigned)v;
			break;
		case 'j':
			if (!parse_u64(optarg, &v) || v < 1 || v > 4096)
				return usage_error("invalid -j '%s'", optarg);
			o->jobs = (unsigned)v;
			break;
		case OPT_SHARDS:
			if (!parse_u64(optarg, &v) || v < 1 || v > 100000)
				return usage_error("invalid --shards '%s'",
						   optarg);
			o->shards = (unsigned)v;
			break;
		case OPT_SHARD:
			o->shard = optarg;
			break;
		case OPT_EMIT:
			o->emit = optarg;
			break;
		case OPT_IMAGE:
			o->image = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "jsonl") && strcmp(optarg, "csv"))
				return usage_error("--format must be jsonl or "
						   "csv, not '%s'",
						   optarg);
			o->format = optarg;
			break;
		case OPT_MAX:
			o->max = true;
			break;
		case OPT_SWEEP:
			o->sweep = optarg;
			break;
		case OPT_X:
			o->x_path = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	return 0;
}

/* The operands a command takes: merge any number (it checks them),
 * plot none with --sweep, the others at most their scenario file. */
static int check_operands(const struct command *cmd, const struct cli_opts *o)
{
	if (!strcmp(cmd->name, "merge"))
		return 0;
	if (!strcmp(cmd->name, "plot") && o->sweep) {
		if (o->noperands)
			return usage_error("unexpected argument '%s'",
					   o->operands[0]);
		return 0;
	}
	if (o->noperands > 1)
		return usage_error("unexpected argument '%s'", o->operands[1]);
	if (cmd->needs_file && !o->file)
		return usage_error("'%s' needs a scenario file", cmd->name);
	if (!cmd->needs_file && o->file)
		return usage_error("unexpected argument '%s'", o->file);
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_opts o = {.cgroup_version = 2, .repeat = 1};
	const struct command *cmd = &commands[0];
	char **args;
	int nargs, rc, i;
	size_t k;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	/* subcommand first (optional for sim), then options and operands in
	 * any order */
	args = argv + 1;
	nargs = argc - 1;
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (!strcmp(args[0], commands[k].name)) {
			cmd = &commands[k];
			args++;
			nargs--;
			break;
		}
	}
	o.command = cmd->name;
	{
		char **av = calloc((size_t)nargs + 2, sizeof(*av));
		int n = 1, nops = 0;
		const char **ops = calloc((size_t)nargs + 1, sizeof(*ops));

		/* every repeatable option and operand fits in nargs slots */
		o.sets = calloc((size_t)nargs + 1, sizeof(*o.sets));
		o.varies = calloc((size_t)nargs + 1, sizeof(*o.varies));
		o.targets = calloc((size_t)nargs + 1, sizeof(*o.targets));
		o.figures = calloc((size_t)nargs + 1, sizeof(*o.figures));
		if (!av || !ops || !o.sets || !o.varies || !o.targets ||
		    !o.figures) {
			rc = EXIT_FAIL;
			goto out_free;
		}
		av[0] = argv[0];
		for (i = 0; i < nargs; i++)
			av[n++] = args[i];
		optind = 1;
		/* permute: getopt stops at the first operand ("+"), so loop */
		while (optind < n) {
			rc = parse_options(n, av, &o);
			if (rc)
				goto out_free;
			if (optind < n)
				ops[nops++] = av[optind++];
		}
		o.operands = ops;
		o.noperands = (size_t)nops;
		o.file = ops[0];
		rc = check_operands(cmd, &o);
		if (rc == 0)
			rc = cmd->run(&o);
out_free:
		free(av);
		free(ops);
		free(o.sets);
		free(o.varies);
		free(o.targets);
		free(o.figures);
		return rc < 0 ? EXIT_OK : rc;
	}
}

int cli_output_dir(const char *dir)
{
	struct err err;
	char buf[512];

	err_init(&err);
	if (timeline_csv_mkdirs(dir, &err) < 0) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_FAIL;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		fprintf(stderr, "cfssim: cannot write in '%s': %s\n", dir,
			strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_load_scenario(const struct cli_opts *o, struct scenario *sc)
{
	struct err err;
	char buf[1200];

	err_init(&err);
	if (scenario_load_file(o->file, sc, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sc->nwarnings; i++) {
		const struct err *w = &sc->warnings[i];

		fprintf(stderr, "cfssim: %s:%d:%d: warning: %s\n", w->file,
			w->line, w->col, w->msg);
	}
	if (o->duration_ns)
		sc->duration_ns = o->duration_ns;
	if (o->seed_set)
		sc->seed = o->seed;
	if (o->kernel) {
		if (strlen(o->kernel) >= sizeof(sc->kernel.version)) {
			fprintf(stderr, "cfssim: invalid --kernel '%s'\n",
				o->kernel);
			scenario_destroy(sc);
			return EXIT_USAGE;
		}
		strcpy(sc->kernel.version, o->kernel);
	}
	return EXIT_OK;
}

int cli_emit_results(const struct cli_opts *o, const struct results *r)
{
	struct err err;
	char buf[1200];
	int rc = EXIT_OK;

	err_init(&err);
	if (r->timeline && r->timeline->full &&
	    (o->timeline_dir || o->trace_file))
		fprintf(stderr,
			"cfssim: timeline: recording stopped at %.3f s of "
			"%.3f s: more than %zu entries of one kind; shorten "
			"the duration or the scenario for a complete one\n",
			(double)r->timeline->full_at_ns / 1e9,
			(double)r->duration_ns / 1e9, r->timeline->max_entries);
	if (o->timeline_dir &&
	    timeline_csv_write(r, o->timeline_dir, 0, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	}
	if (!rc && o->trace_file && trace_write_file(o->trace_file, r, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	}
	if (o->json) {
		report_json(stdout, r, 0);
		fputc('\n', stdout);
	} else {
		report_text(stdout, r, o->cgroup_version);
	}
	return rc;
}
