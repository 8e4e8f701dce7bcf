/* The workload's CPU burning: clocks, calibration, spinning to a CPU
 * target (backend/wlspin.h). */
#include "backend/wlspin.h"

#include <errno.h>
#include <time.h>

#include "model/model.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t wlspin_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t wlspin_thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

void wlspin_sleep_until(uint64_t at_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(at_ns / NSEC_PER_SEC),
		.tv_nsec = (long)(at_ns % NSEC_PER_SEC),
	};

	if (wlspin_now_ns() >= at_ns)
		return;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/* The unit of work between two clock reads; volatile so it is not folded. */
static void burn(uint64_t iters)
{
	volatile uint64_t sink = 0;
	uint64_t i;

	for (i = 0; i < iters; i++)
		sink += i;
}

uint64_t wlspin_calibrate(void)
{
	uint64_t iters = 1000, t0, dt, best = 0;
	int round;

	/* grow until a batch takes >= 2 ms, then keep the fastest of three */
	for (;;) {
		t0 = wlspin_thread_cpu_ns();
		burn(iters);
		dt = wlspin_thread_cpu_ns() - t0;
		if (dt >= 2 * NSEC_PER_MSEC)
			break;
		iters *= 2;
	}
	for (round = 0; round < 3; round++) {
		uint64_t rate;

		t0 = wlspin_thread_cpu_ns();
		burn(iters);
		dt = wlspin_thread_cpu_ns() - t0;
		rate = dt ? iters * NSEC_PER_USEC / dt : iters;
		if (rate > best)
			best = rate;
	}
	return best ? best : 1;
}

/* CPU time between clock reads in a hog: the monotonic clock is a vDSO
 * read that never enters the kernel. */
#define SPIN_CHUNK_US 50

/* A gap at least this long between two reads of the monotonic clock, a
 * microsecond of spinning apart, means the thread was not running. */
#define RUN_GAP_NS 20000

/* Burns until this thread's CPU clock reaches cpu_target_ns or the
 * monotonic clock reaches deadline_ns; true if the deadline ended it.
 * Reading the CPU clock makes the kernel account the running task
 * (update_curr), and reading it every few microseconds would hand the
 * scheduler a deadline and bandwidth check at each read, which a program
 * that only computes never gets between ticks.  So the thread reads it
 * only when it believes it is done: in between it counts its own running
 * time from the monotonic clock (a vDSO read), leaving out the gaps in
 * which it was switched out.  Time the hypervisor stole is in that count
 * but not in the CPU clock, so the reading may fall short: the thread then
 * spins for the rest and reads again, which converges in a few rounds.
 * A gap may also have been charged to the thread (an interrupt or softirq
 * it served, a signal handler): so after a gap it reads the CPU clock
 * again instead of going on counting, or every such gap would add to an
 * overshoot the next step cannot take back.  The read falls right after
 * it was switched in, where the kernel has just accounted it anyway. */
static bool spin_to(uint64_t cpu_target_ns, uint64_t deadline_ns,
		    uint64_t spin_iters_per_us)
{
	uint64_t cpu, need, got, last, now;

	while ((cpu = wlspin_thread_cpu_ns()) < cpu_target_ns) {
		need = cpu_target_ns - cpu;
		got = 0;
		last = wlspin_now_ns();
		while (got < need) {
			burn(spin_iters_per_us);
			now = wlspin_now_ns();
			if (now >= deadline_ns)
				return true;
			if (now - last >= RUN_GAP_NS)
				break;
			got += now - last;
			last = now;
		}
	}
	return false;
}

bool wlspin_to(uint64_t cpu_target_ns, uint64_t deadline_ns,
	       uint64_t spin_iters_per_us)
{
	return spin_to(cpu_target_ns, deadline_ns, spin_iters_per_us);
}

bool wlspin_spin(uint64_t cpu_ns, uint64_t deadline_ns,
		 uint64_t spin_iters_per_us)
{
	if (cpu_ns == UINT64_MAX) {
		/* hog: only the (vDSO, cheap) monotonic clock is read */
		while (wlspin_now_ns() < deadline_ns)
			burn(SPIN_CHUNK_US * spin_iters_per_us);
		return true;
	}
	return spin_to(wlspin_thread_cpu_ns() + cpu_ns, deadline_ns,
		       spin_iters_per_us);
}
