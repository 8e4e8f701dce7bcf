/* The kernel: section of the YAML scenario format, and what the kernel the
 * scenario names lacks (scenarios/loader_internal.h). */
#include <stdio.h>
#include <string.h>

#include "scenarios/loader_internal.h"

enum { K_HZ, K_SLICE, K_ONLINE, K_POLICY, K_VERSION, K_BUSY, K_NKEYS };

static bool version_ok(const char *s)
{
	size_t a = strspn(s, "0123456789");
	size_t b;

	if (a < 1 || a > 3 || s[a] != '.')
		return false;
	b = strspn(s + a + 1, "0123456789");
	return b >= 1 && b <= 3 && s[a + 1 + b] == '\0';
}

int ld_load_kernel(struct loader *ld, const struct ynode *n)
{
	static const char *const keys[K_NKEYS] = {
		"hz",	  "bandwidth_slice", "online_cpus",
		"policy", "version",	     "busy_host",
	};
	struct kernel_spec *k = &ld->sc->kernel;
	struct field f[K_NKEYS];
	const char *s;
	uint64_t v = 0;

	if (ld_get_fields(ld, n, "kernel", keys, K_NKEYS, f))
		return -1;
	if (f[K_HZ].val) {
		if (f[K_HZ].val->kind != Y_SCALAR ||
		    ld_get_u64(ld, "hz", f[K_HZ].val, 0, UINT64_MAX, &v) ||
		    (v != 100 && v != 250 && v != 300 && v != 1000))
			return ld_fail(ld, f[K_HZ].val,
				       "'hz' must be 100, 250, 300 or 1000");
		k->hz = (unsigned)v;
	}
	if (f[K_SLICE].val &&
	    ld_get_duration(ld, "bandwidth_slice", f[K_SLICE].val,
			    NSEC_PER_USEC, NSEC_PER_SEC, true,
			    &k->bandwidth_slice_ns))
		return -1;
	if (f[K_ONLINE].val) {
		if (ld_get_u64(ld, "online_cpus", f[K_ONLINE].val, 1,
			       LOADER_MAX_ONLINE, &v))
			return -1;
		if (v < ld->sc->cpus)
			return ld_fail(
				ld, f[K_ONLINE].val,
				"'online_cpus' must not be less than 'cpus'");
		k->online_cpus = (unsigned)v;
	}
	if (f[K_POLICY].val) {
		if (ld_get_string(ld, "policy", f[K_POLICY].val, &s))
			return -1;
		if (strcmp(s, "cfs") == 0)
			k->policy = POLICY_CFS;
		else if (strcmp(s, "eevdf") == 0)
			k->policy = POLICY_EEVDF;
		else
			return ld_fail(ld, f[K_POLICY].val,
				       "'policy' must be 'cfs' or 'eevdf'");
		k->policy_set = true;
	}
	if (f[K_VERSION].val) {
		if (ld_get_string(ld, "version", f[K_VERSION].val, &s))
			return -1;
		if (!version_ok(s))
			return ld_fail(ld, f[K_VERSION].val,
				       "'version' must look like '6.18'");
		snprintf(k->version, sizeof(k->version), "%s", s);
	}
	if (f[K_BUSY].val &&
	    ld_get_bool(ld, "busy_host", f[K_BUSY].val, &k->busy_host))
		return -1;
	return 0;
}

/* The scenario names a kernel that lacks f (an unset version is the
 * host's, which is not judged here). */
static bool kernel_lacks(const struct kernel_spec *k, enum kernel_feature f)
{
	unsigned major, minor;

	return k->version[0] &&
	       !kernel_version_parse(k->version, &major, &minor) &&
	       !kernel_has(f, major, minor);
}

int ld_need_kernel(struct loader *ld, const struct ynode *n, const char *key,
		   enum kernel_feature f)
{
	struct kernel_version v;

	if (!kernel_lacks(&ld->sc->kernel, f))
		return 0;
	v = kernel_feature_since(f);
	return ld_fail(ld, n, "'%s' needs kernel %u.%u or later (version '%s')",
		       key, v.major, v.minor, ld->sc->kernel.version);
}
