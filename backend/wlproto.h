/* The text protocol between the orchestrator and the workload program that
 * runs as each container's init.  Formatting and parsing live here so both
 * sides agree; the workload links this file statically.  All numbers are
 * decimal; times are ns. */
#ifndef BACKEND_WLPROTO_H
#define BACKEND_WLPROTO_H

/*
 * Parent -> workload (its stdin), one item per line:
 *   seed <u64>
 *   duration <ns>
 *   crash_after <ns>                       (optional debug: SIGSEGV then)
 *   task <index> <count> <nice> <start_ns> hog <name>
 *   task <index> <count> <nice> <start_ns> periodic <run_min> <run_max>
 *        <period_ns> <name>
 *   task <index> <count> <nice> <start_ns> phases <loop> <n>
 *        { run|sleep <min> <max> } x n <name>
 *   slice <ns>                             (optional, after a task line:
 *        its threads ask for this EEVDF slice, 100000..100000000)
 *   task <index> <count> <nice> <start_ns> requests <rate_milli> <arrival>
 *        <batch_size> <batch_every_ns> <dist> <mean_ns> <sd_ns> <name>
 *   listen <port>                          (after a requests task: its
 *        threads serve the requests arriving on this UDP port)
 *   target <a.b.c.d> <port>                (after a requests task, instead:
 *        this workload is the task's load generator, it sends the
 *        task's request stream to that address and gets the replies)
 *   end
 *   ... the workload creates its threads and prints "ready <threads>" ...
 *   start <CLOCK_MONOTONIC ns>             (the common start instant)
 * <index> is the scenario task index (sc->tasks), which with the thread
 * index and the seed selects the random stream exactly as the simulator
 * does (wl_cursor_init(seed, index, thread)).  <name> is the rest of line.
 *
 * Workload -> parent (its stdout):
 *   ready <threads>
 *   thread <task> <thread> <runtime_ns> <wait_ns> <voluntary> <involuntary>
 *          <charged_ns>
 *   req <task> <seq> <end_ns>              (generator: request seq of the
 *        task's stream was answered end_ns after the start instant)
 *   act <task> <thread> <activation_ns> <first_run_ns> <end_ns>
 *        (a periodic thread finished an activation; since the start)
 *   done
 *   error <message>                        (then exit status 1)
 * runtime/wait come from /proc/self/task/<tid>/schedstat (fields 1 and 2),
 * the switch counts from .../status, all measured from the moment the
 * thread started waiting for the start instant to the end of the run;
 * charged is the part of runtime its clock reads saw charged to it while
 * its code did not run (wlspin_charged_ns), over the same span.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "model/model.h"

#define WLPROTO_LINE_MAX 4096
#define WLPROTO_NAME_MAX 64
/* UDP port of the requests of scenario task i: WLPROTO_PORT_BASE + i */
#define WLPROTO_PORT_BASE 20000
/* A request datagram: its sequence number and service time, and the reply:
 * the sequence number; little-endian u64s. */
#define WLPROTO_REQ_BYTES 16

struct wlproto_task {
	unsigned index; /* scenario task index */
	unsigned count;
	int nice;
	uint64_t slice_ns; /* sched_setattr sched_runtime, 0 = default */
	char name[WLPROTO_NAME_MAX];
	struct workload wl;   /* phases owned */
	uint16_t listen_port; /* requests: serve on this port, 0 = none */
	uint32_t target_addr; /* requests: generate to it, network order */
	uint16_t target_port; /* 0 = not the generator */
};

struct wlproto_spec {
	uint64_t seed;
	uint64_t duration_ns;
	uint64_t crash_after_ns;    /* 0 = never */
	struct wlproto_task *tasks; /* owned */
	size_t ntasks, cap;
	int complete; /* "end" seen */
};

enum wlproto_kind {
	WLPROTO_READY,
	WLPROTO_THREAD,
	WLPROTO_DONE,
	WLPROTO_ERROR,
	WLPROTO_REQ,
	WLPROTO_ACT,
};

/* A "req" or "act" line; times since the start instant. */
struct wlproto_latency {
	unsigned task;
	unsigned thread;		      /* act */
	uint64_t seq;			      /* req */
	uint64_t activation_ns, first_run_ns; /* act */
	uint64_t end_ns;
};

struct wlproto_thread {
	unsigned task;	 /* scenario task index */
	unsigned thread; /* 0..count-1 */
	uint64_t runtime_ns;
	uint64_t wait_ns;
	uint64_t nr_voluntary;
	uint64_t nr_involuntary;
	uint64_t charged_ns; /* of runtime_ns: wlspin_charged_ns */
};

struct wlproto_line {
	enum wlproto_kind kind;
	unsigned threads;	      /* READY */
	struct wlproto_thread thread; /* THREAD */
	struct wlproto_latency lat;   /* REQ, ACT */
	char message[256];	      /* ERROR */
};

/* Writes the spec of every task of group `group` of sc (the tasks whose
 * task_spec.group == group), ending with "end\n".  crash_after_ns 0 = none.
 * Returns the number of tasks written. */
size_t wlproto_write_spec(FILE *out, const struct scenario *sc, size_t group,
			  uint64_t seed, uint64_t duration_ns,
			  uint64_t crash_after_ns);

/* The spec of the load generator of every requests task of sc: the task
 * line and "target <server_addr[i]> <port>", server_addr[i] the address
 * (network order) of the container of task i's group.  Returns how many. */
size_t wlproto_write_generator(FILE *out, const struct scenario *sc,
			       const uint32_t *server_addr, uint64_t seed,
			       uint64_t duration_ns);
char *wlproto_format_generator(const struct scenario *sc,
			       const uint32_t *server_addr, uint64_t seed,
			       uint64_t duration_ns);

/* Same, into a malloc'd string (free it). */
char *wlproto_format_spec(const struct scenario *sc, size_t group,
			  uint64_t seed, uint64_t duration_ns,
			  uint64_t crash_after_ns);

void wlproto_spec_init(struct wlproto_spec *s);
void wlproto_spec_destroy(struct wlproto_spec *s);
/* Feeds one spec line (without '\n'); sets s->complete on "end".  Errors:
 * "bad workload spec line 'LINE'", "unknown workload kind 'K'". */
int wlproto_parse_spec_line(struct wlproto_spec *s, const char *line,
			    struct err *err);

/* Parses one workload output line.  Error: "bad workload output 'LINE'". */
int wlproto_parse_line(const char *line, struct wlproto_line *out,
		       struct err *err);

/* Formats a "thread ..." line (with '\n') into buf. */
int wlproto_format_thread(char *buf, size_t len,
			  const struct wlproto_thread *t);

#endif
