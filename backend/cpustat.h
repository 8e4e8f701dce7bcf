/* Parsing of the CPU accounting files cgroups print: v1 cpu.stat,
 * cpu.stat.local, cpuacct.usage and cpuacct.stat, v2 cpu.stat and
 * cpu.stat.local.  Lines are matched by key and unknown keys are ignored, so
 * every kernel variant parses; a struct cpustat holds ns and says which
 * figures the file had (CPUSTAT_* bits in have). */
#ifndef BACKEND_CPUSTAT_H
#define BACKEND_CPUSTAT_H

#include <stdint.h>

#include "base/err.h"
#include "model/results.h"

enum {
	CPUSTAT_USAGE = 1u << 0,       /* usage_ns */
	CPUSTAT_USER_SYSTEM = 1u << 1, /* user_ns, system_ns (v2) */
	CPUSTAT_TICKS = 1u << 2,       /* user_ticks, system_ticks (v1) */
	CPUSTAT_NICE = 1u << 3,	       /* nice_ns (v2, 6.8+) */
	CPUSTAT_BANDWIDTH = 1u << 4,   /* nr_periods, nr_throttled, throttled */
	CPUSTAT_BURST = 1u << 5,       /* nr_bursts, burst_ns (5.16+) */
	CPUSTAT_WAIT_SUM = 1u << 6,    /* v1 wait_sum (schedstats on) */
	CPUSTAT_FORCE_IDLE = 1u << 7,  /* v2 core_sched.force_idle_usec */
	CPUSTAT_LOCAL = 1u << 8,       /* cpu.stat.local throttled time */
};

struct cpustat {
	unsigned have; /* CPUSTAT_* bits */
	uint64_t usage_ns;
	uint64_t user_ns;
	uint64_t system_ns;
	uint64_t nice_ns;
	uint64_t user_ticks; /* cpuacct.stat, USER_HZ */
	uint64_t system_ticks;
	uint64_t nr_periods;
	uint64_t nr_throttled;
	uint64_t throttled_ns;
	uint64_t nr_bursts;
	uint64_t burst_ns;
	uint64_t wait_sum_ns;
	uint64_t force_idle_ns;
	uint64_t throttled_local_ns;
};

/* Each parser adds what text holds to *st (which the caller zeroes once and
 * may fill from several files); name is the file name used in messages.
 * Required keys: v1 cpu.stat nr_periods, nr_throttled, throttled_time;
 * cpuacct.stat user, system; v2 cpu.stat usage_usec, user_usec,
 * system_usec; cpu.stat.local throttled_time (v1) / throttled_usec (v2). */
int cpustat_parse_v1(const char *text, const char *name, struct cpustat *st,
		     struct err *err);
int cpustat_parse_v1_local(const char *text, const char *name,
			   struct cpustat *st, struct err *err);
int cpustat_parse_cpuacct_usage(const char *text, const char *name,
				struct cpustat *st, struct err *err);
int cpustat_parse_cpuacct_stat(const char *text, const char *name,
			       struct cpustat *st, struct err *err);
int cpustat_parse_v2(const char *text, const char *name, struct cpustat *st,
		     struct err *err);
int cpustat_parse_v2_local(const char *text, const char *name,
			   struct cpustat *st, struct err *err);

/* The CPU time of some of the machine's CPUs, from /proc/stat's per-CPU
 * lines, in USER_HZ ticks: idle (idle + iowait; with a tickless idle the
 * kernel measures it, it does not sample it) and stolen by the
 * hypervisor. */
struct hoststat {
	uint64_t idle_ticks;
	uint64_t steal_ticks;
};

/* Sums the lines "cpuN" of /proc/stat's text for each N in cpus (bit N);
 * fails when one of them is missing (an offline CPU) or malformed. */
int hoststat_parse(const char *text, uint64_t cpus, struct hoststat *h,
		   struct err *err);

/* d = after - before, figure by figure (a counter that went backwards gives
 * 0); d->have = after->have. */
void cpustat_delta(const struct cpustat *before, const struct cpustat *after,
		   struct cpustat *d);

/* Fills the figures of g from st.  Without user_ns/system_ns (v1), the
 * usage is split in the ratio of the tick counts so that user + system =
 * usage, as the kernel's cputime_adjust does for v2 (no ticks: all user). */
void cpustat_to_result(const struct cpustat *st, struct group_result *g);

#endif
