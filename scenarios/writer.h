/* Writes a struct scenario as scenario YAML that the loader reads back into
 * the same scenario (cfssim import).  Compare tolerances (expect), the
 * kernel's test-only phase settings and request workloads (which rt-app
 * files never hold) are not written. */
#ifndef SCENARIOS_WRITER_H
#define SCENARIOS_WRITER_H

#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

/* Writes sc as YAML to out; header (may be NULL) is written first, each
 * line as a comment. */
void scenario_write_yaml(FILE *out, const struct scenario *sc,
			 const char *header);

/* s as a double-quoted YAML scalar: quotes and backslashes escaped,
 * control characters and DEL as \xHH. */
void scenario_write_yaml_string(FILE *out, const char *s);

#endif
