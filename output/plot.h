/* Drawing pictures: finds gnuplot and the scripts of plots/, writes the
 * comparison CSV the compare picture reads, and runs each script on a
 * directory of timeline CSVs (output/timeline_csv.h), producing PNG and SVG
 * files.  gnuplot's own messages go to OUTDIR/gnuplot.log. */
#ifndef OUTPUT_PLOT_H
#define OUTPUT_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"
#include "model/results.h"

#define PLOT_GNUPLOT_MISSING \
	"gnuplot not found; install it with: apt-get install gnuplot-nox"

/* Default gantt window: the first 200 ms. */
#define PLOT_WINDOW_DEFAULT_NS (200 * 1000000ULL)

/* The pictures, in the order they are drawn; compare is drawn only when a
 * compare.csv was written. */
enum plot_picture {
	PLOT_USAGE,
	PLOT_THROTTLING,
	PLOT_GANTT,
	PLOT_VRUNTIME,
	PLOT_LATENCY_CDF,  /* only for results with latency */
	PLOT_LATENCY_TIME, /* and a timeline of their requests */
	PLOT_COMPARE,
	PLOT_NPICTURES
};

/* Whether picture p has something to draw from results r (the latency
 * pictures need tasks with latency, latency_time also their requests). */
bool plot_applies(enum plot_picture p, const struct results *r);

/* File stem of a picture ("usage"): script plots/<stem>.gp draws
 * <stem>.png and <stem>.svg. */
const char *plot_name(enum plot_picture p);

struct plot_opts {
	const char *title;	  /* shown in every title, may be NULL */
	uint64_t window_start_ns; /* gantt window */
	uint64_t window_end_ns;	  /* 0 = start + 200 ms */
	unsigned vruntime_cpu;	  /* CPU of the vruntime picture */
	int compare;		  /* also draw compare.gp */
	/* latency_cdf: a second run's data directory to draw beside */
	const char *overlay_dir;
};

/* Looks gnuplot up in path_env (a PATH value; NULL = getenv("PATH")) and
 * copies its full path into buf.  Fails with PLOT_GNUPLOT_MISSING. */
int plot_find_gnuplot(const char *path_env, char *buf, size_t len,
		      struct err *err);

/* Finds the directory holding the scripts: $CFSSIM_PLOTS_DIR if set, else
 * <exe dir>/../plots (source tree), <exe dir>/../share/cfssim/plots
 * (installed), /usr/local/share/cfssim/plots, /usr/share/cfssim/plots --
 * the first that has usage.gp. */
int plot_find_scripts(char *buf, size_t len, struct err *err);

/* Parses a gantt window "START:END" (durations with units, e.g.
 * "100ms:300ms"); END must lie after START. */
int plot_parse_window(const char *s, uint64_t *start_ns, uint64_t *end_ns,
		      struct err *err);

/* Writes dir/compare.csv: for each group present in both runs (matched by
 * path) the figures usage (ms), nr_periods, nr_throttled and throttled
 * time (ms), with error_pct = (real - sim) / sim * 100 (signed, relative
 * to the simulated value as cfssim compare reports it), empty when sim is
 * 0 and real is not. */
int plot_write_compare_csv(const char *dir, const struct results *sim,
			   const struct results *real, struct err *err);

/* Runs one script: gnuplot -c scripts/<stem>.gp datadir outdir title
 * [args]. */
int plot_run_script(const char *gnuplot, const char *scripts,
		    enum plot_picture p, const char *datadir,
		    const char *outdir, const struct plot_opts *o,
		    struct err *err);

/* Runs every script (compare only when o->compare). */
int plot_render_all(const char *gnuplot, const char *scripts,
		    const char *datadir, const char *outdir,
		    const struct plot_opts *o, struct err *err);

#endif
