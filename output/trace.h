/* The --trace export: a run's timeline as Chrome trace-event JSON, which
 * ui.perfetto.dev and chrome://tracing open.  One process per CPU whose
 * thread carries the task slices that ran there, one process per group with
 * a thread track per task thread, and per group with a quota two counter
 * tracks derived from its periods and slices. */
#ifndef OUTPUT_TRACE_H
#define OUTPUT_TRACE_H

#include <stdio.h>

#include "base/err.h"
#include "model/results.h"

/* Process ids: CPU c is TRACE_PID_CPU + c, group g is TRACE_PID_GROUP + g;
 * task thread t runs on thread TRACE_TID_TASK + t of its group's process.
 * "X" events carry ts and dur in µs with three decimals (exact ns).
 * Counters, per group with periods: "quota left (us)" (the period's quota
 * minus the runtime its tasks consumed so far, at each slice end) and
 * "throttled" (1 from the moment the consumed runtime reached the quota,
 * or from end - throttled time when it never did, to the period's end). */
#define TRACE_PID_CPU	  1
#define TRACE_PID_GROUP	  1000
#define TRACE_PID_ORPHANS 999
#define TRACE_TID_TASK	  100000

/* Writes the trace of r to f.  Fails when r has no timeline. */
int trace_write(FILE *f, const struct results *r, struct err *err);

/* Same into a new file at path. */
int trace_write_file(const char *path, const struct results *r,
		     struct err *err);

#endif
