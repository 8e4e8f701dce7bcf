/* rt-app JSON (scheduler-tools/rt-app, doc/tutorial.txt): loads a file into
 * a struct scenario, refusing with file:line:col what cfssim cannot model,
 * and writes a scenario's workloads back as rt-app JSON.  On error the
 * output scenario is left empty. */
#ifndef SCENARIOS_RTAPP_H
#define SCENARIOS_RTAPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "model/model.h"

/* The file name says rt-app JSON: it ends in ".json" (any case). */
bool rtapp_is_file(const char *name);

/* Loads rt-app JSON from a buffer; name is the file name in messages and
 * gives the default scenario name. */
int rtapp_load_string(const char *text, size_t len, const char *name,
		      struct scenario *sc, struct err *err);

/* Writes sc's tasks as rt-app JSON: each group a taskgroup, its cgroup
 * settings in a comment (rt-app does not set them), each workload as
 * events.  Fails (nothing written) for what rt-app cannot express: random
 * lengths, periodic workloads whose run exceeds the period are fine, but
 * a hog or a range is not. */
int rtapp_write(FILE *out, const struct scenario *sc, struct err *err);

#endif
