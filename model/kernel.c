/* Kernel versions and their features. */
#include "model/kernel.h"

#include <stdio.h>
#include <sys/utsname.h>

/* The first version of each feature (the commits are named where the
 * code that uses a feature models it). */
static const struct kernel_version since[KERNEL_NFEATURES] = {
	[KERNEL_NO_SLICE_EXPIRY] = {5, 4},
	[KERNEL_LB_GROUP_TYPES] = {5, 5},
	[KERNEL_BURST] = {5, 14},
	[KERNEL_EEVDF] = {6, 6},
	[KERNEL_BUSY_SPARE_NO_PULL] = {6, 6},
	[KERNEL_CUSTOM_SLICE] = {6, 12},
	[KERNEL_TASK_THROTTLE] = {6, 18},
};

struct kernel_version kernel_feature_since(enum kernel_feature f)
{
	return since[f];
}

bool kernel_has(enum kernel_feature f, unsigned major, unsigned minor)
{
	return kernel_at_least(major, minor, since[f].major, since[f].minor);
}

int kernel_version_parse(const char *text, unsigned *major, unsigned *minor)
{
	return sscanf(text, "%u.%u", major, minor) == 2 ? 0 : -1;
}

int kernel_host_version(unsigned *major, unsigned *minor)
{
	struct utsname u;

	if (uname(&u))
		return -1;
	return kernel_version_parse(u.release, major, minor);
}
