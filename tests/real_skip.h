/* For tests that run on the real kernel: whether a scenario can run here.
 * Include after <cmocka.h>. */
#ifndef TESTS_REAL_SKIP_H
#define TESTS_REAL_SKIP_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/cgroup.h"
#include "backend/run.h"
#include "model/model.h"

/* True when sc can run for real.  Otherwise destroys sc and skips the test
 * with the reason, or fails it under CFSSIM_REQUIRE_REAL=1 (CI). */
static inline bool real_can_run(struct scenario *sc)
{
	struct real_options opt;
	struct cg_mounts m;
	struct err err;
	const char *req = getenv("CFSSIM_REQUIRE_REAL");

	real_options_init(&opt);
	if (real_check(sc, &opt, &m, &err) == 0)
		return true;
	if (req && !strcmp(req, "1"))
		fail_msg("real backend required but unavailable: %s", err.msg);
	print_message("skipped: %s\n", err.msg);
	scenario_destroy(sc);
	skip();
	return false;
}

/* The path of build/cfssim, next to the build/tests/ this test runs from;
 * true if it is there and executable. */
static inline bool real_cfssim_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	assert_true(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(buf, len, "%s/../cfssim", self);
	return access(buf, X_OK) == 0;
}

#endif
