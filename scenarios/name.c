/* Names in scenarios (scenarios/name.h). */
#include "scenarios/name.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "scenarios/loader.h"

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int scenario_check_name(const char *what, const char *s, size_t len,
			struct err *err)
{
	size_t i;

	if (len == 0)
		return err_set(err, 0, "%s name must not be empty", what);
	if (len > SCENARIO_MAX_NAME)
		return err_set(err, 0,
			       "%s name '%.*s' is longer than %d characters",
			       what, (int)len, s, SCENARIO_MAX_NAME);
	for (i = 0; i < len; i++)
		if (!name_char_ok(s[i]))
			return err_set(err, 0,
				       "%s name '%.*s' may only hold letters, "
				       "digits, '_', '.' and '-'",
				       what, (int)len, s);
	if (s[0] == '.')
		return err_set(err, 0, "%s name '%.*s' must not start with '.'",
			       what, (int)len, s);
	return 0;
}

char *scenario_default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name;
	size_t len, i;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	else if (len > 5 && strcasecmp(base + len - 5, ".json") == 0)
		len -= 5; /* rt-app's (rtapp_is_file) */
	if (len > SCENARIO_MAX_NAME)
		len = SCENARIO_MAX_NAME;
	if (len == 0)
		return xstrdup("scenario");
	name = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		name[i] = name_char_ok(base[i]) ? base[i] : '_';
	name[len] = '\0';
	if (name[0] == '.')
		name[0] = '_';
	return name;
}

/* Names the kernel gives files inside a cgroup directory: a group so named
 * would collide with them (mkdir fails with EEXIST, or worse, cfssim would
 * write the knobs of a file).  Every interface file is "cgroup.*" or
 * "<controller>.*", or one of v1's three bare names. */
bool scenario_cgroup_file_name(const char *s)
{
	static const char *const bare[] = {"tasks", "notify_on_release",
					   "release_agent"};
	static const char *const prefix[] = {
		"cgroup",     "cpu",	 "cpuacct", "cpuset",  "memory",
		"pids",	      "io",	 "blkio",   "hugetlb", "rdma",
		"misc",	      "devices", "freezer", "net_cls", "net_prio",
		"perf_event", "irq",	 "dmem"};
	const char *dot = strchr(s, '.');
	size_t i;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(s, bare[i]))
			return true;
	if (!dot)
		return false;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strlen(prefix[i]) == (size_t)(dot - s) &&
		    !strncmp(s, prefix[i], (size_t)(dot - s)))
			return true;
	return false;
}
