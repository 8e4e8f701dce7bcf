/* The workload's CPU burning, shared by the runner (backend/wlrun.h) and
 * the request server (backend/wlreq.h): the clocks it reads, how many
 * iterations of work take a microsecond, and spinning until the thread's
 * CPU clock reaches a target or a deadline passes. */
#ifndef BACKEND_WLSPIN_H
#define BACKEND_WLSPIN_H

#include <stdbool.h>
#include <stdint.h>

/* A gap at least this long between two reads of the monotonic clock, a
 * microsecond of spinning apart, means the thread was not running. */
#define WLSPIN_RUN_GAP_NS 20000

/* CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID in ns. */
uint64_t wlspin_now_ns(void);
uint64_t wlspin_thread_cpu_ns(void);

/* Sleeps until CLOCK_MONOTONIC reaches at_ns; returns at once, without a
 * system call, when it already has (clock_nanosleep to an instant in the
 * past can still block until the timer interrupt, a voluntary switch the
 * workload never asked for: seen under qemu on 6.1 and 6.12).  After a
 * sleep, notes what was charged to the thread (wlspin_note_syscall). */
void wlspin_sleep_until(uint64_t at_ns);

/* Burns until the thread's CPU clock reaches cpu_target_ns or
 * CLOCK_MONOTONIC reaches deadline_ns; true if the deadline ended it. */
bool wlspin_to(uint64_t cpu_target_ns, uint64_t deadline_ns,
	       uint64_t spin_iters_per_us);

/* Burns CPU on the calling thread until its CPU time advanced by cpu_ns or
 * CLOCK_MONOTONIC reaches deadline_ns, whichever is first (cpu_ns
 * UINT64_MAX = only the deadline).  Returns true if the deadline ended it. */
bool wlspin_spin(uint64_t cpu_ns, uint64_t deadline_ns,
		 uint64_t spin_iters_per_us);

/* CPU time the kernel charged to the calling thread while its spinning
 * loop did not run, 200 us or more at a time: what of a gap in the
 * monotonic clock its CPU clock advanced by as well, and any jump of its
 * CPU clock past what the loop counted.  A switch to another task charges
 * nothing; a hypervisor that does not report steal time charges the time
 * it ran another machine, and a long interrupt or signal handler its own
 * time (the short ones every machine serves are left out: wlspin.c,
 * CHARGED_MIN_NS).  Counted since the thread started, from its CPU clock
 * reads in wlspin_to and wlspin_spin (a jump between two spins counts as
 * far as it passes the wall time between them). */
uint64_t wlspin_charged_ns(void);

/* After a system call that ran little CPU of its own (a send, a receive or
 * a sleep, however long it blocked): notes what the thread's CPU clock
 * advanced since its last read in a spin or here, as charged to it where
 * that passes the threshold.  A jump charged inside a system call is
 * otherwise seen only as far as it passes the wall time around it. */
void wlspin_note_syscall(void);

/* Measures how many spin iterations take a microsecond. */
uint64_t wlspin_calibrate(void);

#endif
