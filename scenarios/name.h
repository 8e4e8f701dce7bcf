/* Names in scenarios, the same in both formats: what a scenario, group,
 * task or timer may be called (names become cgroup directories and report
 * keys) and the name a file gives its scenario when it names none.  The
 * names the kernel keeps for cgroup files are scenario_cgroup_file_name
 * (scenarios/loader.h).  Private to scenarios/. */
#ifndef SCENARIOS_NAME_H
#define SCENARIOS_NAME_H

#include <stddef.h>

#include "base/err.h"

#define SCENARIO_MAX_NAME 64 /* characters of a name */

/* Checks the name s[0, len): not empty, at most SCENARIO_MAX_NAME
 * characters of letters, digits, '_', '.' and '-', not starting with '.'.
 * what names it in the message ("group name 'a b' may only hold ...");
 * returns 0, or -1 with err set (no position). */
int scenario_check_name(const char *what, const char *s, size_t len,
			struct err *err);

/* The scenario name of a file: its name without directory and extension
 * (".yaml", ".yml", or ".json" in any case), made a valid name; allocated. */
char *scenario_default_name(const char *file);

#endif
