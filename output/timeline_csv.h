/* The --timeline export: writes a run's timeline (struct timeline in
 * model/results.h) and its result tables as CSV files into a directory, one
 * file per series, header row first, units in the column names, times in
 * µs with three decimals so that sums stay exact to the nanosecond. */
#ifndef OUTPUT_TIMELINE_CSV_H
#define OUTPUT_TIMELINE_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "model/results.h"

/* Writes into dir (created if missing):
 *   groups.csv   id,group,usage_us,user_us,system_us,nr_periods,
 *                nr_throttled,throttled_us,nr_bursts,burst_us
 *   tasks.csv    id,group,task,thread,runtime_us,wait_us,nr_switches,
 *                nr_voluntary
 * and, when r->timeline is set:
 *   periods.csv  group,start_us,end_us,quota_us,used_us,throttled_us,
 *                throttled,group_id
 *   slices.csv   task,thread,cpu,start_us,end_us,group,task_id
 *   vruntime.csv task,thread,cpu,time_us,vruntime_us,task_id
 *   usage.csv    group,start_us,end_us,usage_us,self_us,stack_us,group_id
 * usage.csv cuts [0, duration) into buckets of bucket_ns (0 = automatic):
 * usage_us is the group's hierarchical usage in the bucket (as cpu.stat
 * counts it), self_us that of its own tasks, stack_us the sum of self_us
 * over this and every earlier group (for stacked plots). */
int timeline_csv_write(const struct results *r, const char *dir,
		       uint64_t bucket_ns, struct err *err);

/* The bucket width timeline_csv_write picks for a run of duration_ns: the
 * smallest of 1, 2, 5, 10, 20, 50, 100, 200, 500 ms and 1 s giving at most
 * 300 buckets. */
uint64_t timeline_csv_auto_bucket(uint64_t duration_ns);

/* Prints ns as µs with three decimals ("1234.567"). */
void timeline_csv_us(FILE *f, uint64_t ns);

/* Writes s as one CSV field, quoted when it holds a comma, quote or line
 * break. */
void timeline_csv_field(FILE *f, const char *s);

/* Index of the group a task belongs to (by path), or -1. */
long timeline_csv_task_group(const struct results *r, size_t task);

/* Index of a group's parent (the group whose path is its path up to the
 * last '/'), or -1 at top level. */
long timeline_csv_group_parent(const struct results *r, size_t group);

/* Whether group anc is group g or one of its ancestors. */
int timeline_csv_group_within(const struct results *r, size_t g, size_t anc);

/* Creates dir and its missing parents (mode 0755). */
int timeline_csv_mkdirs(const char *dir, struct err *err);

#endif
