/* A real run on another kernel: tools/kernel-vm boots Debian's 6.1 cloud
 * kernel under qemu with pure cgroup v2 and runs `cfssim real` inside.
 * Skipped when qemu, a static busybox or the kernel image is missing
 * (tools/kernel-vm exits 77); CFSSIM_REQUIRE_VM=1 (CI, which installs them
 * and runs `tools/kernel-vm fetch 6.1`) turns the skip into a failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define VM_KERNEL "6.1"

/* A lone hog capped at 30 ms per 100 ms for 1 s on one CPU. */
static const char scenario_text[] = "name: vm-quota\n"
				    "duration: 1s\n"
				    "cpus: 1\n"
				    "groups:\n"
				    "  - name: capped\n"
				    "    quota: 30ms\n"
				    "    period: 100ms\n"
				    "    tasks:\n"
				    "      - name: hog\n"
				    "        workload: hog\n";

/* The script run in the guest: the real run, then a check that cgroup2 is
 * the only hierarchy (exit 8) and that the run left no cgroup behind in
 * its root (exit 9). */
static const char guest_script[] =
	"cfssim real --json /cfssim/files/vm-quota.yaml || exit $?\n"
	"grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || exit 8\n"
	"grep -q ' cgroup ' /proc/mounts && exit 8\n"
	"for d in /sys/fs/cgroup/cfssim*; do\n"
	"\t[ -e \"$d\" ] && { echo \"left behind: $d\" >&2; exit 9; }\n"
	"done\n"
	"exit 0\n";

/* The number after "key": in text (after from), or -1. */
static double json_number(const char *text, const char *from, const char *key)
{
	char pat[64];
	const char *p = from ? strstr(text, from) : text;

	if (!p)
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(p, pat);
	if (!p)
		return -1;
	return strtod(p + strlen(pat), NULL);
}

/* Runs tools/kernel-vm (from the source top, the test's working directory)
 * with build/cfssim of this build; returns its exit status and its
 * standard output in out. */
static int run_vm(const char *files, char *out, size_t len)
{
	char self[PATH_MAX], cmd[PATH_MAX * 2 + 1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	size_t got = 0;
	FILE *p;
	int st;

	assert_true(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	assert_non_null(slash);
	*slash = '\0'; /* .../build/tests */
	snprintf(cmd, sizeof(cmd),
		 "CFSSIM_BUILD='%s/..' CFSSIM_VM_FILES='%s' "
		 "tools/kernel-vm run -s -c 2 -t 300 %s -- "
		 "sh /cfssim/files/check.sh",
		 self, files, VM_KERNEL);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (got + 1 < len &&
	       (n = (ssize_t)fread(out + got, 1, len - 1 - got, p)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_vm_real_quota_on_pure_v2(void **state)
{
	char dir[] = "/tmp/cfssim-vmtest.XXXXXX", path[64], script[64];
	char out[16384];
	const char *req = getenv("CFSSIM_REQUIRE_VM");
	double usage, periods, throttled, throttled_us;
	FILE *f;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vm-quota.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(scenario_text, f);
	assert_int_equal(fclose(f), 0);
	snprintf(script, sizeof(script), "%s/check.sh", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs(guest_script, f);
	assert_int_equal(fclose(f), 0);
	/* 125: the guest died before the command ended, with nothing on its
	 * console (a triple fault under emulation, about 1 boot in 10 here);
	 * that is the emulator's, so the run is tried once more */
	rc = run_vm(dir, out, sizeof(out));
	if (rc == 125) {
		print_message("guest died, booting it again\n");
		rc = run_vm(dir, out, sizeof(out));
	}
	unlink(path);
	unlink(script);
	rmdir(dir);
	if (rc == 77) {
		if (req && !strcmp(req, "1"))
			fail_msg("kernel-vm cannot run here (see above)");
		skip();
	}
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"source\": \"real\""));
	usage = json_number(out, "\"path\": \"capped\"", "usage_usec");
	periods = json_number(out, "\"path\": \"capped\"", "nr_periods");
	throttled = json_number(out, "\"path\": \"capped\"", "nr_throttled");
	throttled_us =
		json_number(out, "\"path\": \"capped\"", "throttled_usec");
	/* By hand: 10 periods of 100 ms, each 30 ms running then 70 ms
	 * throttled: 300 ms used, 10 throttled periods, ~700 ms throttled.
	 * Measured here in 11 such runs on 6.1 under tcg with 2 vCPUs (3 of
	 * them with -s, on a host loaded 12-19): usage 234-334 ms, 9-10
	 * periods (the run starts anywhere in the period grid), 9-10
	 * throttled, 458-843 ms throttled: the emulator delivers the
	 * bandwidth timers late by a varying few ms when the host is busy
	 * (docs/kernel-matrix.md).  A quota that were not applied would
	 * show ~1000 ms used and nothing throttled. */
	print_message("vm: usage %.0f us, %.0f/%.0f periods, %.0f us "
		      "throttled\n",
		      usage, throttled, periods, throttled_us);
	assert_true(usage >= 225000 && usage <= 345000);
	assert_true(periods >= 9 && periods <= 11);
	assert_true(throttled >= 9 && throttled <= 11);
	assert_true(throttled_us >= 430000 && throttled_us <= 870000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_real_quota_on_pure_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
