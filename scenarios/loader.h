/* The YAML scenario format: loads a file (libyaml) into a struct scenario,
 * validating every key against the ranges the kernel enforces.  Errors carry
 * file:line:col; on error the output scenario is left empty. */
#ifndef SCENARIOS_LOADER_H
#define SCENARIOS_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "model/model.h"

/* Loads a scenario file: rt-app JSON when the name ends in ".json"
 * (scenarios/rtapp.h), the YAML format otherwise.  Every command loads
 * its FILE through here. */
int scenario_load_file(const char *path, struct scenario *sc, struct err *err);
/* Same from a buffer; name is used as the file name in messages, as the
 * default scenario name, and to tell rt-app JSON from YAML. */
int scenario_load_string(const char *text, size_t len, const char *name,
			 struct scenario *sc, struct err *err);

/* One value set by path before the scenario is validated (cfssim sweep,
 * tune).  group is a path "a/b" (NULL for a top-level key), task a task
 * of that group (NULL for a group key), key a dotted path of keys below it
 * ("quota", "workload.requests.rate", "kernel.version").  Errors about the
 * value or key are reported as "ORIGIN: message" instead of a position. */
struct scenario_edit {
	const char *group;
	const char *task;
	const char *key;
	const char *value;
	const char *origin; /* e.g. "--set 'web.quota=10ms'" */
};

/* scenario_load_string with edits applied to the document first; a path
 * that names no group or task, or a key the format does not have, is an
 * error ("no key 'qouta' in group 'web'"), and so is any edit of an rt-app
 * file. */
int scenario_load_edited(const char *text, size_t len, const char *name,
			 const struct scenario_edit *edits, size_t nedits,
			 struct scenario *sc, struct err *err);

/* The name is one the kernel gives a file inside a cgroup directory
 * ("tasks", "cgroup.procs", "cpu.max"): no group may have it. */
bool scenario_cgroup_file_name(const char *name);

/* Parses a duration with a unit ("30ms", "1.5s", "250us", "10ns"). */
int scenario_parse_duration(const char *s, uint64_t *ns, struct err *err);

#endif
