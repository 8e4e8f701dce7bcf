/* The progress line: a thread that wakes every REDRAW_NS, formats the line
 * and writes it after a carriage return; erased with "\r\033[K" at stop.
 * The thread blocks every signal, so SIGINT/SIGTERM still reach the thread
 * that runs the command (the real backend tears down on them). */
#include "cli/progress.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"

#define REDRAW_NS (NSEC_PER_SEC / 2)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Tenths of a second, rounded down: "12.3s". */
static const char *fmt_tenths(uint64_t ns, char *buf, size_t len)
{
	uint64_t tenths = ns / (NSEC_PER_SEC / 10);

	snprintf(buf, len, "%llu.%llus", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
	return buf;
}

const char *progress_format(char *buf, size_t len, const char *what,
			    unsigned step, unsigned nsteps, uint64_t elapsed_ns,
			    uint64_t total_ns)
{
	char steps[48] = "", e[32], t[32];

	if (nsteps > 1)
		snprintf(steps, sizeof(steps), " %u of %u", step, nsteps);
	if (!total_ns)
		snprintf(buf, len, "cfssim: %s%s: %s", what, steps,
			 fmt_tenths(elapsed_ns, e, sizeof(e)));
	else if (elapsed_ns <= total_ns)
		snprintf(buf, len, "cfssim: %s%s: %s of %s", what, steps,
			 fmt_tenths(elapsed_ns, e, sizeof(e)),
			 fmt_tenths(total_ns, t, sizeof(t)));
	else
		snprintf(buf, len, "cfssim: %s%s: %s of %s, finishing", what,
			 steps, fmt_tenths(elapsed_ns, e, sizeof(e)),
			 fmt_tenths(total_ns, t, sizeof(t)));
	return buf;
}

static void put(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a terminal gone away: just stop drawing */
		s += w;
		n -= (size_t)w;
	}
}

static void *progress_thread(void *arg)
{
	struct progress *p = arg;
	char line[256];
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		uint64_t t = now_ns();

		line[0] = '\r';
		progress_format(line + 1, sizeof(line) - 1, p->what, p->step,
				p->nsteps, t - p->start_ns, p->total_ns);
		put(p->fd, line);
		put(p->fd, "\033[K"); /* the rest of a longer line before */
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += REDRAW_NS % NSEC_PER_SEC;
		until.tv_sec += (time_t)(REDRAW_NS / NSEC_PER_SEC) +
				until.tv_nsec / (long)NSEC_PER_SEC;
		until.tv_nsec %= (long)NSEC_PER_SEC;
		while (!p->stop &&
		       pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&p->lock);
	put(p->fd, "\r\033[K");
	return NULL;
}

void progress_start(struct progress *p, int fd, const char *what, unsigned step,
		    unsigned nsteps, uint64_t total_ns)
{
	pthread_condattr_t ca;
	sigset_t all, old;

	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->what = what;
	p->step = step;
	p->nsteps = nsteps;
	p->total_ns = total_ns;
	p->start_ns = now_ns();
	if (!isatty(fd))
		return;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	p->on = pthread_create(&p->thread, NULL, progress_thread, p) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!p->on) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
	}
}

void progress_stop(struct progress *p)
{
	if (!p->on)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	p->on = false;
}
