/* Kernel tracing for real runs: finds tracefs (mounting it when needed), owns
 * one trace instance instances/cfssim-<owner pid> that records
 * sched/sched_switch of the run's threads on CLOCK_MONOTONIC (the host's
 * global buffer is never touched), drains its text trace_pipe and turns the
 * events into running intervals.  Text timestamps have µs precision. */
#ifndef BACKEND_TRACEFS_H
#define BACKEND_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"
#include "model/results.h"

#define TRACEFS_PATH_MAX	256
#define TRACEFS_INSTANCE_PREFIX "cfssim-" /* instances/cfssim-<pid> */
#define TRACEFS_MOUNT_POINT	"/sys/kernel/tracing"
#define TRACEFS_DEBUGFS_DIR	"/sys/kernel/debug/tracing"
#define TRACEFS_BUFFER_KB	"4096" /* per CPU, holds seconds of switches */
#define TRACEFS_FILTER_MAX	4000   /* the kernel takes less than a page */

enum tracefs_kind {
	TRACEFS_SWITCH,	 /* sched_switch: prev_pid out, next_pid in */
	TRACEFS_RUNTIME, /* sched_stat_runtime: pid ran runtime_ns more */
};

/* One event of the instance. */
struct tracefs_event {
	enum tracefs_kind kind;
	uint64_t time_ns; /* trace clock (mono: CLOCK_MONOTONIC), µs steps */
	unsigned cpu;
	pid_t prev_pid;	     /* SWITCH */
	pid_t next_pid;	     /* SWITCH */
	pid_t pid;	     /* RUNTIME */
	uint64_t runtime_ns; /* RUNTIME: since the task's last update */
};

/* Parses one line of trace_pipe text: 1 with *ev filled for a
 * sched_switch or sched_stat_runtime event, 0 for any other line
 * (headers, other events), 2 for a "CPU:N [LOST M EVENTS]" line (*lost =
 * M, or 1 when the kernel did not count them), -1 for such an event line
 * it cannot read: "bad sched_switch line '%.80s'", "bad sched_stat_runtime
 * line '%.80s'". */
int tracefs_parse_line(const char *line, struct tracefs_event *ev,
		       uint64_t *lost, struct err *err);

/* The tracefs directory in use, without mounting: TRACEFS_MOUNT_POINT, else
 * TRACEFS_DEBUGFS_DIR (debugfs automounts it), whichever has instances/.
 * false when neither. */
bool tracefs_find(char *dir, size_t len);

/* Lists the threads of process pid (/proc/<pid>/task) other than its main
 * thread, ordered by their tid in the innermost pid namespace (the last
 * NSpid field), which is their creation order in a fresh namespace.
 * *tids is malloc'd (free it), *n its length. */
int tracefs_list_threads(pid_t pid, pid_t **tids, size_t *n, struct err *err);

/* Running intervals from switch events: a thread is on its CPU from the
 * event that switched it in to the one that switched it out.  This kernel
 * (6.18) records no switch away from some tasks (seen: a tokio runtime's
 * workers), so when a followed thread is switched out on a CPU where its
 * switch in is missing, it began that slice its sched_stat_runtime sum
 * since its last switch before the switch out (not before the CPU's
 * previous event); one switched in twice ran until the second.  Slices
 * hold absolute trace-clock times until tracefs_slicer_fill. */
struct tracefs_thread {
	pid_t tid;
	size_t task; /* index into results.tasks */
	bool on;     /* switched in, not out yet */
	unsigned cpu;
	uint64_t since_ns;
	uint64_t ran_ns; /* sched_stat_runtime since its last switch */
};

struct tracefs_slicer {
	struct tracefs_thread *threads; /* sorted by tid, owned */
	size_t nthreads;
	struct run_slice *slices; /* closed, absolute times, owned */
	size_t nslices, cap_slices;
	uint64_t nevents;      /* switch events seen */
	uint64_t ninferred;    /* slices whose switch in was missing */
	uint64_t *cpu_last_ns; /* per CPU: time of its last event, 0 */
	size_t ncpus, cap_cpus;
};

/* Follows n threads: tids[i] is results task tasks[i]. */
void tracefs_slicer_init(struct tracefs_slicer *s, const pid_t *tids,
			 const size_t *tasks, size_t n);
void tracefs_slicer_feed(struct tracefs_slicer *s,
			 const struct tracefs_event *ev);
/* Appends to tl the slices that overlap [from_ns, to_ns), cut to it and
 * shifted so that from_ns is 0; a thread still on its CPU runs to to_ns. */
void tracefs_slicer_fill(const struct tracefs_slicer *s, uint64_t from_ns,
			 uint64_t to_ns, struct timeline *tl);
void tracefs_slicer_destroy(struct tracefs_slicer *s);

/* A run's trace instance.  Owned by the run; tracefs_close removes it. */
struct tracefs {
	char root[TRACEFS_PATH_MAX]; /* tracefs in use */
	bool mounted;		     /* cfssim mounted root; close unmounts */
	char dir[TRACEFS_PATH_MAX + 64]; /* instance, "" when none */
	int pipe_fd;			 /* its trace_pipe, -1 */
	char *text; /* partial line carried between reads */
	size_t len, cap;
	uint64_t nlost; /* events the kernel dropped */
	struct tracefs_slicer slicer;
};

void tracefs_init(struct tracefs *t);

struct journal;

/* Finds or mounts tracefs and creates instances/cfssim-<owner>, recorded in
 * state (a "trace" line) before it exists; sets the instance's clock to
 * mono and its buffer to TRACEFS_BUFFER_KB.  An existing instance of that
 * name is never removed.  Errors: "tracefs is not available ('%s' cannot
 * be mounted)", "trace instance '%s' exists (another run's, or a leftover:
 * see 'cfssim cleanup')", "cannot create trace instance '%s'", "cannot
 * write '%s'". */
int tracefs_open(struct tracefs *t, pid_t owner, struct journal *state,
		 struct err *err);

/* Records sched_switch and sched_stat_runtime events of the n threads
 * tids (event filters on their pid fields, or none when they would not
 * fit), tids[i] being results task tasks[i], and opens trace_pipe. */
int tracefs_follow(struct tracefs *t, const pid_t *tids, const size_t *tasks,
		   size_t n, struct err *err);

/* Reads whatever trace_pipe holds now (never blocks) into the slicer. */
int tracefs_drain(struct tracefs *t, struct err *err);

/* Stops recording (the instance stays until tracefs_close). */
void tracefs_stop(struct tracefs *t);

/* Closes trace_pipe, removes the instance (retrying while busy) and
 * unmounts tracefs if cfssim mounted it; frees everything.  Accepts an
 * initialised struct that was never opened.  Error: "cannot remove trace
 * instance '%s'". */
int tracefs_close(struct tracefs *t, struct err *err);

#endif
