/* Progress of a long command on a terminal: one line on stderr, redrawn
 * twice a second by a thread ("cfssim: real run 2 of 10: 12.5s of 60.0s"),
 * erased when the step ends.  Nothing at all when the stream is not a
 * terminal, so logs and pipes stay clean.  Any command can use it: start
 * one per step (a run, a sweep point), stop it before printing anything. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	int fd;		   /* where the line goes (a terminal) */
	bool on;	   /* fd is a terminal and the thread runs */
	bool stop;	   /* set under lock to end the thread */
	const char *what;  /* "real run" */
	unsigned step;	   /* 1-based step, of nsteps */
	unsigned nsteps;   /* 1 = no "k of N" */
	uint64_t total_ns; /* expected length of the step, 0 = unknown */
	uint64_t start_ns; /* CLOCK_MONOTONIC at start */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* Writes the line for a step at elapsed_ns into buf (no "\r"):
 * "cfssim: WHAT[ K of N]: E of T" with E, T in seconds to 0.1 s, or
 * "cfssim: WHAT[ K of N]: E" when total_ns is 0, "..., finishing" once E
 * passes T.  Returns buf. */
const char *progress_format(char *buf, size_t len, const char *what,
			    unsigned step, unsigned nsteps, uint64_t elapsed_ns,
			    uint64_t total_ns);

/* Starts showing step of nsteps on fd when fd is a terminal (isatty);
 * otherwise only records that it is off.  what must outlive the progress. */
void progress_start(struct progress *p, int fd, const char *what, unsigned step,
		    unsigned nsteps, uint64_t total_ns);

/* Stops the thread and erases the line; does nothing when it was off. */
void progress_stop(struct progress *p);

#endif
