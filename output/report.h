/* Writing results for people and scripts: the text tables, the JSON object
 * of docs/results-json.md and CSV.  --cgroup v1 switches the text table to
 * v1 file names and units (nr_periods, nr_throttled, throttled_time ns,
 * cpuacct usage ns); JSON always uses the v2 fields in µs. */
#ifndef OUTPUT_REPORT_H
#define OUTPUT_REPORT_H

#include <stdio.h>

#include "model/results.h"

/* Human-readable tables of groups and tasks. */
void report_text(FILE *f, const struct results *r, int cgroup_version);

/* The JSON object of docs/results-json.md §1 ("scenario", "source", ...,
 * "groups", "tasks"), with indent spaces before each line (0 at top
 * level), no trailing newline. */
void report_json(FILE *f, const struct results *r, int indent);

/* Writes a JSON string literal with escapes. */
void report_json_string(FILE *f, const char *s);

/* CSV of the group figures and of the task figures, header rows included. */
void report_csv_groups(FILE *f, const struct results *r);
void report_csv_tasks(FILE *f, const struct results *r);

#endif
