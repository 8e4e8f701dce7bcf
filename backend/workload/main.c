/* cfssim-workload: the static program each container runs as its init (pid
 * 1 of its pid namespace).  It reads its task list from stdin, creates the
 * threads, says "ready", waits for the common start instant, runs the
 * scenario's workloads for the duration and prints one line per thread
 * (protocol in backend/wlproto.h).  Exit status 0 on success, 1 on a bad
 * spec or setup failure, 128+N when stopped by signal N. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/wlproto.h"
#include "backend/wlrun.h"
#include "base/err.h"

/* As a pid-namespace init, signals without a handler are ignored: stop for
 * real on SIGTERM/SIGINT/SIGHUP.  _exit is async-signal-safe. */
static void on_stop(int sig)
{
	_exit(128 + sig);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int fail(const char *msg)
{
	printf("error %s\n", msg);
	fflush(stdout);
	return 1;
}

/* Reads one line from stdin without its newline; 0 at EOF. */
static int read_line(char *buf, size_t len)
{
	size_t n;

	if (!fgets(buf, (int)len, stdin))
		return 0;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 1;
}

static int read_spec(struct wlproto_spec *spec, struct err *err)
{
	char line[WLPROTO_LINE_MAX];

	while (!spec->complete) {
		if (!read_line(line, sizeof(line)))
			return err_set(err, 0,
				       "workload spec ended before "
				       "'end'");
		if (!line[0])
			continue;
		if (wlproto_parse_spec_line(spec, line, err))
			return -1;
	}
	if (!spec->duration_ns)
		return err_set(err, 0, "workload spec has no duration");
	return 0;
}

static int read_start(uint64_t *start_ns, struct err *err)
{
	char line[256];
	char *end;

	do {
		if (!read_line(line, sizeof(line)))
			return err_set(err, 0,
				       "no start instant before the "
				       "end of input");
	} while (!line[0]);
	if (strncmp(line, "start ", 6))
		return err_set(err, 0, "expected 'start <ns>', got '%.100s'",
			       line);
	errno = 0;
	*start_ns = strtoull(line + 6, &end, 10);
	if (errno || *end || !*start_ns)
		return err_set(err, 0, "bad start instant '%.100s'", line + 6);
	return 0;
}

static void crash_at(uint64_t at_ns)
{
	volatile int *nowhere = NULL;
	struct timespec ts = {
		.tv_sec = (time_t)(at_ns / NSEC_PER_SEC),
		.tv_nsec = (long)(at_ns % NSEC_PER_SEC),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
	/* a real fault: a forced SIGSEGV kills even a pid-namespace init,
	 * where raise() would be ignored */
	*nowhere = 1; /* NOLINT(clang-analyzer-core.NullDereference) */
}

static void reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(void)
{
	struct wlproto_spec spec;
	struct wlproto_thread *results;
	struct wlrun run;
	struct err err;
	uint64_t start_ns = 0;
	char line[256];
	size_t i;

	install_handlers();
	err_init(&err);
	wlproto_spec_init(&spec);
	if (read_spec(&spec, &err))
		return fail(err.msg);
	if (wlrun_start(&run, &spec, &err))
		return fail(err.msg);
	printf("ready %zu\n", run.nthreads);
	fflush(stdout);
	if (read_start(&start_ns, &err)) {
		wlrun_go(&run, 0);
		wlrun_join(&run, NULL);
		wlrun_destroy(&run);
		return fail(err.msg);
	}
	wlrun_go(&run, start_ns);
	if (spec.crash_after_ns)
		crash_at(start_ns + spec.crash_after_ns);
	results = calloc(run.nthreads + 1, sizeof(*results));
	if (!results)
		abort();
	wlrun_join(&run, results);
	for (i = 0; i < run.nthreads; i++) {
		wlproto_format_thread(line, sizeof(line), &results[i]);
		fputs(line, stdout);
	}
	wlrun_report_latency(&run, stdout);
	puts("done");
	fflush(stdout);
	reap_orphans();
	free(results);
	wlrun_destroy(&run);
	wlproto_spec_destroy(&spec);
	return 0;
}
