/* The grid of a sweep: axes (a scenario path and its values) sorted by path,
 * each with its values sorted and distinct, times K seeds.  A point's id
 * counts through the grid with the first axis slowest and the seed fastest,
 * so an id names the same point however the sweep is split; its seed comes
 * from the id alone.  The grid owns the scenario's text and every string. */
#ifndef SWEEP_GRID_H
#define SWEEP_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenarios/loader.h"
#include "base/err.h"
#include "model/model.h"

#define SWEEP_MAX_POINTS 10000000ULL /* points of one sweep */
#define SWEEP_MAX_VALUES 1000000ULL  /* values of one axis */
#define SWEEP_MAX_SEEDS	 100000U

/* Where an axis was written: "--set 'ARG'" (line 0), or the file position
 * of a sweep: block entry. */
struct sweep_origin {
	char *opt;  /* "--set" or "--vary"; NULL for a sweep: block */
	char *text; /* the option's argument or file name */
	int line, col;
};

struct sweep_axis {
	char *path; /* as written: "web.quota", "web:server.count" */
	char *group, *task, *key; /* the scenario_edit it makes */
	char **values;		  /* sorted, distinct */
	size_t nvalues;
	struct sweep_origin origin;
};

struct sweep_grid {
	char *file; /* scenario path as given */
	char *text; /* its contents, NUL-terminated */
	size_t len;
	struct scenario base; /* the scenario without edits */
	struct sweep_axis *axes;
	size_t naxes;
	struct scenario_edit *fixed; /* --duration, --kernel: before the axes */
	char **fixed_origin;
	size_t nfixed;
	unsigned seeds;	    /* K >= 1 */
	uint64_t base_seed; /* the scenario's seed or --seed */
	uint64_t npoints;   /* product of the axes' values times seeds */
	uint64_t hash;	    /* identifies the sweep (scenario text + grid) */
};

/* Zeroes g; sweep_grid_destroy accepts it. */
void sweep_grid_init(struct sweep_grid *g);
void sweep_grid_destroy(struct sweep_grid *g);

/* Reads and loads the scenario file, and takes the axes of its sweep:
 * block (if any).  Errors carry file:line:col. */
int sweep_grid_load(struct sweep_grid *g, const char *file, struct err *err);
/* The same with the scenario's text given (copied), as if read from file. */
int sweep_grid_load_text(struct sweep_grid *g, const char *file,
			 const char *text, size_t len, struct err *err);

/* Adds an axis from an argument "PATH=VALUES" of option opt ("--set"),
 * replacing one of the sweep: block with the same path.  VALUES: "a,b,c",
 * "LO..HI/STEP", "LO..HI*FACTOR" or, for integers, "LO..HI" (step 1);
 * default_step_ns is the step of a duration range without one (0 = a
 * step is required).  Errors read "--set 'ARG': message". */
int sweep_grid_set(struct sweep_grid *g, const char *opt, const char *arg,
		   uint64_t default_step_ns, struct err *err);
/* Drops every axis (tune ignores a sweep: block). */
void sweep_grid_clear_axes(struct sweep_grid *g);

/* A value every point gets before its axes (--duration: key "duration",
 * --kernel: "kernel.version"); origin names it in messages. */
void sweep_grid_fix(struct sweep_grid *g, const char *key, const char *value,
		    const char *origin);

/* Sorts the axes, sets K seeds (0 = the sweep: block's, else 1), counts
 * the points, and loads each value alone and every distinct combination
 * of values (each when there are at most max_check of them) so that a bad
 * path or value is reported before anything runs. */
int sweep_grid_finish(struct sweep_grid *g, unsigned seeds, uint64_t max_check,
		      struct err *err);

/* The index of each axis's value at point id (idx[naxes]). */
void sweep_point_index(const struct sweep_grid *g, uint64_t id, size_t *idx);
/* The seed of point id: the base seed for the first of the K seeds, then
 * values mixed from it and the seed's index. */
uint64_t sweep_point_seed(const struct sweep_grid *g, uint64_t id);
/* Loads the scenario of point id (edits applied, seed set). */
int sweep_point_load(const struct sweep_grid *g, uint64_t id,
		     struct scenario *sc, struct err *err);
/* Loads the base scenario with one axis set to one of its values (tune). */
int sweep_value_load(const struct sweep_grid *g, size_t axis, size_t value,
		     struct scenario *sc, struct err *err);
/* Writes {"PATH": "VALUE", ...} of point id. */
void sweep_point_params_json(FILE *f, const struct sweep_grid *g, uint64_t id);

/* Parses one value list or range (the VALUES of --set) into a sorted,
 * distinct, newly allocated array of strings. */
int sweep_values_parse(const char *spec, uint64_t default_step_ns,
		       char ***values, size_t *nvalues, struct err *err);
/* Orders two values: durations by length, numbers with the same unit by
 * size, anything else as versions ("6.2" < "6.18"). */
int sweep_value_cmp(const char *a, const char *b);
/* Whether values of key sort as versions ("kernel.version"). */
bool sweep_key_is_version(const char *key);
/* A value as a number for plots and curves: durations in ns, numbers as
 * written; false when it is neither. */
bool sweep_value_number(const char *s, double *v);

/* Splits a scenario path into group, task and key using the groups and
 * tasks sc has ("a.b.quota" is group "a.b" when sc has it).  Top-level
 * keys have group NULL.  The strings are newly allocated. */
int sweep_path_split(const struct scenario *sc, const char *path, char **group,
		     char **task, char **key, struct err *err);

#endif
