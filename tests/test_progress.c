/* The progress line of long commands: its exact text, silence when stderr
 * is not a terminal (a pipe), and the line drawn and erased on a terminal
 * (a pseudo-terminal from openpty). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"
#include "model/model.h"

#define MS NSEC_PER_MSEC

static void test_format(void **state)
{
	char buf[128];

	(void)state;
	/* one run: no "k of N"; tenths rounded down (12.49 s -> 12.4s) */
	assert_string_equal(progress_format(buf, sizeof(buf), "real run", 1, 1,
					    12490 * MS, 60000 * MS),
			    "cfssim: real run: 12.4s of 60.0s");
	assert_string_equal(progress_format(buf, sizeof(buf), "real run", 2, 10,
					    0, 3000 * MS),
			    "cfssim: real run 2 of 10: 0.0s of 3.0s");
	/* past the duration: the teardown and reading of results */
	assert_string_equal(
		progress_format(buf, sizeof(buf), "real run", 10, 10, 3100 * MS,
				3000 * MS),
		"cfssim: real run 10 of 10: 3.1s of 3.0s, finishing");
	/* unknown length (a sweep point): elapsed only */
	assert_string_equal(progress_format(buf, sizeof(buf), "sweep point", 7,
					    40, 1500 * MS, 0),
			    "cfssim: sweep point 7 of 40: 1.5s");
}

/* Reads what is waiting on fd (non-blocking) into buf. */
static size_t drain(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void test_silent_on_a_pipe(void **state)
{
	struct progress p;
	char buf[256];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	progress_start(&p, fds[1], "real run", 1, 2, 1000 * MS);
	assert_false(p.on);
	sleep_ms(600); /* longer than a redraw */
	progress_stop(&p);
	close(fds[1]);
	assert_int_equal(drain(fds[0], buf, sizeof(buf)), 0);
	close(fds[0]);
}

static void test_drawn_and_erased_on_a_terminal(void **state)
{
	struct progress p;
	char buf[4096];
	int master, slave;
	size_t n;

	(void)state;
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	progress_start(&p, slave, "real run", 2, 3, 60000 * MS);
	assert_true(p.on);
	sleep_ms(700); /* the first line at once, a second after 500 ms */
	progress_stop(&p);
	n = drain(master, buf, sizeof(buf));
	close(slave);
	close(master);
	/* starts with the first line (0.0s: drawn as the step begins) */
	assert_true(n > 0);
	assert_memory_equal(buf, "\rcfssim: real run 2 of 3: 0.0s of 60.0s",
			    strlen("\rcfssim: real run 2 of 3: 0.0s of 60.0s"));
	/* redrawn after half a second (0.5s or 0.6s on a busy machine) */
	assert_non_null(strstr(buf, "\rcfssim: real run 2 of 3: 0."));
	assert_true(strstr(buf + 1, "\rcfssim: real run 2 of 3: ") != NULL);
	/* erased at the end */
	assert_true(n >= 4);
	assert_string_equal(buf + n - 4, "\r\033[K");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_silent_on_a_pipe),
		cmocka_unit_test(test_drawn_and_erased_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
