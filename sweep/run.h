/* Running the points of a sweep: on this machine with worker processes,
 * one line per point into an output that may already hold some points
 * (resume).  Each line is written with one write(2), so a killed sweep
 * leaves whole lines and at most one torn last line, which the next run
 * cuts off and redoes. */
#ifndef SWEEP_RUN_H
#define SWEEP_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "sweep/grid.h"

/* Produces the results object of point id as JSON text (any layout;
 * newlines are folded away) into a malloc'd *json. */
typedef int (*sweep_result_fn)(void *ctx, const struct sweep_grid *g,
			       uint64_t id, char **json, struct err *err);

/* Called after each point with the points done and to do. */
typedef void (*sweep_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct sweep_run {
	const struct sweep_grid *grid;
	unsigned jobs;	  /* worker processes; 1 = run in this process */
	int out_fd;	  /* lines go there */
	bool csv;	  /* a flat table instead of JSON Lines */
	bool need_header; /* csv: the output has no header line yet */
	char *header;	  /* csv: the existing header, or NULL; owned */
	sweep_result_fn result;
	sweep_progress_fn progress; /* may be NULL */
	void *ctx;
};

/* Runs the points todo[0..n) and writes their lines.  Errors (a point
 * that fails, a worker that dies, a write that fails) stop the sweep;
 * lines written so far stay. */
int sweep_run_points(struct sweep_run *r, const uint64_t *todo, size_t n,
		     struct err *err);

/* The JSON line of point id (with '\n') around result, malloc'd. */
char *sweep_line(const struct sweep_grid *g, uint64_t id, const char *result,
		 size_t *len);

/* Reads an existing output file (JSON Lines, or CSV when csv) and marks
 * in done[] (npoints bytes) the points it holds.  A last line without its
 * newline (a killed writer) is cut off.  Errors when it holds points of
 * another sweep or is not a sweep output.  A missing file is empty.
 * csv: *header gets the existing header line (malloc'd) or NULL. */
int sweep_output_scan(const char *path, const struct sweep_grid *g, bool csv,
		      unsigned char *done, char **header, struct err *err);

/* The shard of a sweep: from "I/N", or from the environment
 * (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, else
 * JOB_COMPLETION_INDEX and CFSSIM_SHARDS); *n = 1 when none applies.
 * *from says which ("--shard", "SLURM_ARRAY_TASK_ID", ...). */
int sweep_shard(const char *arg, unsigned *i, unsigned *n, const char **from,
		struct err *err);

#endif
