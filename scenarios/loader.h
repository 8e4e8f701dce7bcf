/* The YAML scenario format: loads a file (libyaml) into a struct scenario,
 * validating every key against the ranges the kernel enforces.  Errors carry
 * file:line:col; on error the output scenario is left empty. */
#ifndef SCENARIOS_LOADER_H
#define SCENARIOS_LOADER_H

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

/* Parses a duration with a unit ("30ms", "1.5s", "250us", "10ns"). */
int scenario_parse_duration(const char *s, uint64_t *ns, struct err *err);

#endif
