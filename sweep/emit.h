/* Jobs for the cluster engines people already run: a sweep split into N
 * shards as a Slurm array script, a Kubernetes Indexed Job (with the
 * scenario in a ConfigMap) or a GNU parallel command line.  Each shard
 * writes OUT's stem + ".shard-I.jsonl"; `cfssim merge` joins them. */
#ifndef SWEEP_EMIT_H
#define SWEEP_EMIT_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

struct sweep_emit {
	const char *kind;	   /* "slurm", "k8s" or "parallel" */
	unsigned shards;	   /* N >= 1 */
	unsigned points;	   /* of the whole sweep, for comments */
	const char *cfssim;	   /* the program (slurm, parallel) */
	const char *scenario;	   /* its path (slurm, parallel) */
	const char *scenario_name; /* the scenario's name */
	const char *scenario_base; /* file name (k8s ConfigMap key) */
	const char *scenario_text; /* contents (k8s) */
	const char *const *args;   /* the sweep's own options (--set ...) */
	size_t nargs;
	const char *output; /* merged results; shards beside it */
	const char *image;  /* k8s container image with cfssim */
};

/* Writes the job to f. */
int sweep_emit(FILE *f, const struct sweep_emit *e, struct err *err);

/* Writes a word quoted for a POSIX shell (as is when it needs none). */
void sweep_shell_word(FILE *f, const char *s);

#endif
