/* Joining the outputs of a sweep's shards: one file with each point once,
 * sorted by id, and the ids no shard holds. */
#ifndef SWEEP_MERGE_H
#define SWEEP_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct sweep_merge_stats {
	uint64_t points;     /* of the sweep ("of" of its lines) */
	uint64_t written;    /* distinct points written */
	uint64_t duplicates; /* lines dropped as a repeat of an id */
	uint64_t torn;	     /* torn last lines ignored */
	uint64_t *missing;   /* ids no shard holds, ascending, malloc'd */
	size_t nmissing;
};

/* Reads the JSON Lines of shards[0..n) (all of one sweep, else an error),
 * writes the points to out sorted by id (through a temporary file renamed
 * over it) and fills st. */
int sweep_merge(const char *out, const char *const *shards, size_t n,
		struct sweep_merge_stats *st, struct err *err);

/* Writes ids as ranges ("3, 5-9") into buf. */
void sweep_format_ids(const uint64_t *ids, size_t n, char *buf, size_t len);

#endif
