/* What the pieces of the YAML scenario loader share.  The loader builds
 * the document into a tree (scenarios/ytree.h), applies the edits of a
 * sweep to it (loader_edit.c), then walks it key by key into a struct
 * scenario (loader.c, the top level, which calls the others):
 *
 *   loader_value.c   typed values of nodes, mappings' known keys, names,
 *                    and the errors and warnings at a node's position
 *   loader_kernel.c  kernel:, and what the scenario's kernel lacks
 *   loader_group.c   groups and their cgroup knobs (k8s: included)
 *   loader_task.c    tasks and their workloads
 *   loader_expect.c  expect: and not_modelled:
 *
 * Every check stops at the first error, which carries the offending
 * node's 1-based line and column.  Private to scenarios/. */
#ifndef SCENARIOS_LOADER_INTERNAL_H
#define SCENARIOS_LOADER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/kernel.h"
#include "model/model.h"
#include "scenarios/loader.h"
#include "scenarios/ytree.h"

/* The format's limits. */
#define LOADER_MAX_FILE	       ((size_t)1024 * 1024) /* bytes of YAML */
#define LOADER_MAX_GROUP_DEPTH 16		     /* levels of groups */
#define LOADER_MAX_GROUPS      4096   /* groups of the whole scenario */
#define LOADER_MAX_COUNT       4096   /* threads of one task */
#define LOADER_MAX_THREADS     100000 /* threads of the whole scenario */
#define LOADER_MAX_LEN_NS      (3600 * NSEC_PER_SEC) /* any length: 1 h */
#define LOADER_MAX_QUOTA_NS    (1000 * NSEC_PER_SEC)
#define LOADER_MAX_MILLI       1000000ULL /* 1000 CPUs */
#define LOADER_MAX_LOOP	       1000000000ULL
#define LOADER_MAX_ONLINE      4096
#define LOADER_MAX_REQUESTS    10000000ULL	   /* arrivals of one task */
#define LOADER_MAX_RATE_MILLI  (1000000ULL * 1000) /* 10^6 per second */
#define LOADER_MAX_BATCH       100000
#define LOADER_MAX_SEEDS       100000

struct loader {
	const char *file; /* name used in messages */
	struct scenario *sc;
	struct err *err;
	uint64_t threads; /* sum of task counts so far */
};

/* A known key of a mapping and where it was found (NULL = absent). */
struct field {
	const struct ynode *key;
	const struct ynode *val;
};

/* ---- loader_value.c ---- */

/* Sets the error at n's position (n NULL: the file's start); returns -1. */
int ld_fail(struct loader *ld, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records a warning at n's position in sc->warnings (the scenario stays
 * valid; the caller prints them). */
void ld_warn(struct loader *ld, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Decimal "I" or "I.F": *ip = I (*overflow when it does not fit), *fp = F
 * without trailing zeros and *fd its digits (19 when F has more significant
 * digits than a uint64_t holds).  Returns the end of the number, NULL when
 * s does not start with one. */
const char *ld_parse_decimal(const char *s, uint64_t *ip, uint64_t *fp,
			     unsigned *fd, bool *overflow);
/* 10 to the n (n <= 19). */
uint64_t ld_pow10(unsigned n);

/* A plain scalar that is empty is YAML's null: the key was left bare. */
bool ld_is_null(const struct ynode *n);
int ld_get_string(struct loader *ld, const char *name, const struct ynode *n,
		  const char **out);
int ld_get_bool(struct loader *ld, const char *name, const struct ynode *n,
		bool *out);
/* Unsigned decimal integer in [min, max]. */
int ld_get_u64(struct loader *ld, const char *name, const struct ynode *n,
	       uint64_t min, uint64_t max, uint64_t *out);
/* Signed decimal integer in [min, max] (nice values). */
int ld_get_int(struct loader *ld, const char *name, const struct ynode *n,
	       int min, int max, int *out);
/* A duration in [min_ns, max_ns]; whole_us for values the kernel keeps in
 * microseconds (cpu.cfs_*_us, cpu.max, the bandwidth slice sysctl). */
int ld_get_duration(struct loader *ld, const char *name, const struct ynode *n,
		    uint64_t min_ns, uint64_t max_ns, bool whole_us,
		    uint64_t *out);
/* Matches the keys of map against keys[nkeys] into f[nkeys]; refuses
 * non-mappings, unknown and duplicate keys and bare (null) values. */
int ld_get_fields(struct loader *ld, const struct ynode *map, const char *what,
		  const char *const *keys, size_t nkeys, struct field *f);
/* The later of two present keys, to blame the one that conflicts. */
const struct ynode *ld_later(const struct ynode *a, const struct ynode *b);
/* The scalar n is a valid name (scenarios/name.h); what says whose. */
int ld_check_name(struct loader *ld, const char *what, const struct ynode *n);

/* ---- loader_kernel.c ---- */

int ld_load_kernel(struct loader *ld, const struct ynode *n);
/* Refuses key (at n) when the scenario names a kernel that lacks f: "'<key>'
 * needs kernel X.Y or later (version '<version>')".  An unset version is
 * the host's, which is not judged here. */
int ld_need_kernel(struct loader *ld, const struct ynode *n, const char *key,
		   enum kernel_feature f);

/* ---- loader_group.c ---- */

/* One group mapping below parent (-1 = top level), its tasks and the
 * groups below it. */
int ld_load_group(struct loader *ld, const struct ynode *n, long parent,
		  unsigned depth);

/* ---- loader_task.c ---- */

/* One task mapping of group, with its workload. */
int ld_load_task(struct loader *ld, const struct ynode *n, size_t group);

/* ---- loader_expect.c ---- */

int ld_load_expect(struct loader *ld, const struct ynode *n);
/* Loaded after the groups, whose paths it names. */
int ld_load_not_modelled(struct loader *ld, const struct ynode *n);

/* ---- loader_edit.c ---- */

/* Puts one edit into the tree (NULL or not a mapping: nothing to do, the
 * loader reports the document itself). */
int ld_apply_edit(struct loader *ld, struct ynode *root,
		  const struct scenario_edit *e);

#endif
