/* Latency in a real run: the load generator's container (in a group of its
 * own, without limits, appended to the scenario's groups for the run) and
 * the "req" and "act" lines the workloads print, turned into the results'
 * latency rows.  A real run has no breakdown.  struct rlat owns its
 * streams and buffered records. */
#ifndef BACKEND_REALLAT_H
#define BACKEND_REALLAT_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/wlproto.h"
#include "base/err.h"
#include "model/model.h"
#include "model/reqstream.h"
#include "model/results.h"

/* name of the load generator's group (a scenario group cannot be named so:
 * its name starts with the reserved prefix) */
#define RLAT_GENERATOR_GROUP "cfssim-loadgen"

struct rlat {
	size_t ntasks;
	long *lat_of_task;	 /* [ntasks]: index in results.latency, -1 */
	struct req_item **items; /* [ntasks]: a requests task's stream */
	size_t *nitems;		 /* [ntasks] */
	struct request_record *recs; /* for the timeline */
	size_t nrecs, cap;
};

/* Whether sc has a request workload (and so needs a load generator). */
bool rlat_needs_generator(const struct scenario *sc);

/* *aug = sc with the generator's group appended (a shallow copy: free it
 * with rlat_drop_generator_group, never scenario_destroy); its index is
 * sc->ngroups, its CPUs cpus.  Error when a group already has the name. */
int rlat_add_generator_group(const struct scenario *sc, uint64_t cpus,
			     struct scenario *aug, struct err *err);

/* The load generator's CPUs: those of allowed (this process's affinity)
 * outside the scenario's, so that its wake-ups at every arrival and reply
 * neither wait for the scenario's tasks nor hand them a preemption the
 * simulation has no cause for; the scenario's own when none is spare. */
uint64_t rlat_generator_cpus(const struct scenario *sc, uint64_t allowed);
void rlat_drop_generator_group(struct scenario *aug);

/* Latency rows of out for the request and periodic tasks of sc. */
void rlat_setup(struct rlat *l, const struct scenario *sc, struct results *out);
/* One REQ or ACT line from the container of group `from` of sc: a
 * container speaks only for the activations of its own group's tasks, and
 * only the load generator's (RLAT_GENERATOR_GROUP) for requests.  Errors:
 * "workload of group '%s' reported the latency of task '%s' of group
 * '%s'", "workload of group '%s' reported request %llu of task '%s'
 * (only the load generator does)". */
int rlat_take(struct rlat *l, const struct scenario *sc, size_t from,
	      const struct wlproto_latency *line, bool act, struct results *out,
	      struct err *err);
/* Counts what stayed open, sorts the samples and hands the records to
 * out->timeline if there is one. */
void rlat_finish(struct rlat *l, const struct scenario *sc,
		 struct results *out);
void rlat_destroy(struct rlat *l);

#endif
