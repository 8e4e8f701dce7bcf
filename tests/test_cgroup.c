/* cgroup layout detection from literal mountinfo lines, and the run's tree
 * built in fake cgroup roots (temp dirs holding the files a kernel would
 * create) for v1 with separate and co-mounted controllers, hybrid and v2:
 * the exact bytes written to each file, reading cpu.stat back, removal, and
 * the janitor's sweep of a dead owner's leftovers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/cgroup.h"
#include "base/cpulist.h"
#include "backend/janitor.h"
#include "model/model.h"

/* ---- fixture helpers ---- */

static char tmp[256];

static void mkdirs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mkdirs(const char *fmt, ...)
{
	char path[512], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
}

static void putf(const char *text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(const char *text, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	put(path, text);
}

/* Contents of a file below tmp, "<missing>" when absent. */
static const char *got(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static const char *got(const char *fmt, ...)
{
	static char buf[4096];
	char rel[512], path[800];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return "<missing>";
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static bool exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool exists(const char *fmt, ...)
{
	char rel[512], path[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return access(path, F_OK) == 0;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/cfssim-test-cgroup-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *const v1_cpu_files[] = {
	"cgroup.procs",
	"tasks",
	"cpu.shares",
	"cpu.cfs_period_us",
	"cpu.cfs_quota_us",
	"cpu.cfs_burst_us",
	"cpu.stat=nr_periods 0\nnr_throttled 0\nthrottled_time 0\n"
	"nr_bursts 0\nburst_time 0\n",
	"cpu.stat.local=throttled_time 0\n",
	NULL};
static const char *const v1_cpu_files_515[] = {
	"cgroup.procs",
	"tasks",
	"cpu.shares",
	"cpu.cfs_period_us",
	"cpu.cfs_quota_us",
	"cpu.stat=nr_periods 0\nnr_throttled 0\nthrottled_time 0\n",
	NULL};
static const char *const v1_cpuacct_files[] = {
	"cgroup.procs", "tasks", "cpuacct.usage=0\n",
	"cpuacct.stat=user 0\nsystem 0\n", NULL};
static const char *const v1_comounted_files[] = {
	"cgroup.procs",
	"tasks",
	"cpu.shares",
	"cpu.cfs_period_us",
	"cpu.cfs_quota_us",
	"cpu.cfs_burst_us",
	"cpu.stat=nr_periods 0\nnr_throttled 0\nthrottled_time 0\n"
	"nr_bursts 0\nburst_time 0\n",
	"cpuacct.usage=0\n",
	"cpuacct.stat=user 0\nsystem 0\n",
	NULL};
static const char *const v1_cpuset_files[] = {
	"cgroup.procs", "tasks", "cpuset.cpus", "cpuset.mems", NULL};
static const char *const mirror_files[] = {
	"cgroup.procs", "cgroup.kill", "cgroup.events=populated 0\nfrozen 0\n",
	"cpu.stat=usage_usec 0\nuser_usec 0\nsystem_usec 0\n", NULL};
static const char *const v2_files[] = {
	"cgroup.procs",
	"cgroup.kill",
	"cgroup.events=populated 0\nfrozen 0\n",
	"cgroup.controllers=cpuset cpu",
	"cgroup.subtree_control",
	"cpu.weight",
	"cpu.max",
	"cpu.max.burst",
	"cpuset.cpus",
	"cpu.stat=usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\n"
	"nr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n",
	"cpu.stat.local=throttled_usec 0\n",
	NULL};

/* A fake host: v1 cpu, cpuacct, cpuset (co-mounted cpu,cpuacct when
 * comount), and a cgroup2 mount when unified. */
static void fake_v1(struct cg_mounts *m, bool comount, bool unified)
{
	char mi[2048], self[256];
	struct err err;

	if (comount) {
		mkdirs("%s/cpu,cpuacct", tmp);
		snprintf(mi, sizeof(mi),
			 "25 18 0:22 / %s/cpu,cpuacct rw,relatime shared:8 - "
			 "cgroup cgroup rw,cpu,cpuacct\n"
			 "26 18 0:23 / %s/cpuset rw,relatime shared:9 - cgroup "
			 "cgroup rw,cpuset\n",
			 tmp, tmp);
		snprintf(self, sizeof(self), "4:cpu,cpuacct:/\n3:cpuset:/\n");
	} else {
		mkdirs("%s/cpu", tmp);
		mkdirs("%s/cpuacct", tmp);
		snprintf(mi, sizeof(mi),
			 "32 31 0:29 / %s/cpu rw,relatime - cgroup cgroup "
			 "rw,cpu\n"
			 "33 31 0:30 / %s/cpuacct rw,relatime - cgroup cgroup "
			 "rw,cpuacct\n"
			 "34 31 0:31 / %s/cpuset rw,relatime - cgroup cgroup "
			 "rw,cpuset\n",
			 tmp, tmp, tmp);
		snprintf(self, sizeof(self),
			 "3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n");
	}
	mkdirs("%s/cpuset", tmp);
	putf("0-1\n", "%s/cpuset/cpuset.cpus", tmp);
	putf("0\n", "%s/cpuset/cpuset.mems", tmp);
	if (unified) {
		mkdirs("%s/unified", tmp);
		snprintf(
			mi + strlen(mi), sizeof(mi) - strlen(mi),
			"41 31 0:38 / %s/unified rw,relatime - cgroup2 cgroup2 "
			"rw\n",
			tmp);
		strcat(self, "0::/\n");
	}
	assert_int_equal(cg_parse_mountinfo(mi, m, &err), 0);
	assert_int_equal(cg_parse_self(self, m, &err), 0);
}

/* web (hog) and batch (shares 512, quota 30 ms / 100 ms, cpu 0) on 2 cpus. */
static void two_groups(struct scenario *sc)
{
	size_t web, batch;

	scenario_init(sc, "t");
	sc->cpus = 2;
	web = scenario_add_group(sc, -1, "web");
	sc->groups[web].cpus_mask = 3;
	scenario_add_task(sc, web, "hog");
	batch = scenario_add_group(sc, -1, "batch");
	sc->groups[batch].shares = 512;
	sc->groups[batch].has_quota = true;
	sc->groups[batch].quota_ns = 30 * NSEC_PER_MSEC;
	sc->groups[batch].cpus_mask = 1;
	sc->groups[batch].cpus_set = true;
	scenario_add_task(sc, batch, "worker");
}

/* ---- mountinfo ---- */

static void test_mountinfo_hybrid_separate(void **state)
{
	struct cg_mounts m;
	struct err err;

	(void)state;
	assert_int_equal(
		cg_parse_mountinfo(
			"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs "
			"rw,mode=755\n"
			"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup "
			"cgroup rw,cpu\n"
			"33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - "
			"cgroup cgroup rw,cpuacct\n"
			"34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - "
			"cgroup cgroup rw,cpuset\n"
			"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - "
			"cgroup cgroup rw,memory\n"
			"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - "
			"cgroup cgroup rw,name=systemd\n"
			"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - "
			"cgroup2 cgroup2 rw\n",
			&m, &err),
		0);
	assert_int_equal(m.layout, CG_LAYOUT_HYBRID);
	assert_string_equal(m.h[CG_CPU].dir, "/sys/fs/cgroup/cpu");
	assert_string_equal(m.h[CG_CPU].dev, "0:29");
	assert_string_equal(m.h[CG_CPUACCT].dir, "/sys/fs/cgroup/cpuacct");
	assert_string_equal(m.h[CG_CPUSET].dir, "/sys/fs/cgroup/cpuset");
	assert_string_equal(m.h[CG_UNIFIED].dir, "/sys/fs/cgroup/unified");
	assert_string_equal(cg_layout_name(m.layout), "hybrid");
	assert_int_equal(
		cg_parse_self("9:name=systemd:/\n4:memory:/x\n"
			      "3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n",
			      &m, &err),
		0);
	assert_string_equal(m.h[CG_CPU].self, "/sys/fs/cgroup/cpu");
	assert_string_equal(m.h[CG_UNIFIED].self, "/sys/fs/cgroup/unified");
}

static void test_mountinfo_comounted(void **state)
{
	struct cg_mounts m;
	struct err err;

	(void)state;
	assert_int_equal(
		cg_parse_mountinfo(
			"25 18 0:22 / /sys/fs/cgroup/cpu,cpuacct "
			"rw,nosuid,nodev,noexec,relatime shared:8 - cgroup "
			"cgroup rw,cpu,cpuacct\n"
			"26 18 0:23 / /sys/fs/cgroup/cpuset "
			"rw,nosuid,nodev,noexec,relatime shared:9 - cgroup "
			"cgroup rw,cpuset\n",
			&m, &err),
		0);
	assert_int_equal(m.layout, CG_LAYOUT_V1);
	assert_string_equal(m.h[CG_CPU].dir, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(m.h[CG_CPUACCT].dir, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(m.h[CG_CPUACCT].dev, m.h[CG_CPU].dev);
	assert_string_equal(m.h[CG_UNIFIED].dir, "");
}

static void test_mountinfo_pure_v2(void **state)
{
	struct cg_mounts m;
	struct err err;

	(void)state;
	assert_int_equal(
		cg_parse_mountinfo(
			"22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root "
			"rw\n"
			"29 23 0:26 / /sys/fs/cgroup "
			"rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
			"cgroup2 rw,nsdelegate,memory_recursiveprot\n",
			&m, &err),
		0);
	assert_int_equal(m.layout, CG_LAYOUT_V2);
	assert_string_equal(m.h[CG_UNIFIED].dir, "/sys/fs/cgroup");
	assert_int_equal(cg_parse_self("0::/user.slice/user-0.slice/s.scope\n",
				       &m, &err),
			 0);
	assert_string_equal(m.h[CG_UNIFIED].self,
			    "/sys/fs/cgroup/user.slice/user-0.slice/s.scope");
}

static void test_mountinfo_none_and_escapes(void **state)
{
	struct cg_mounts m;
	struct err err;

	(void)state;
	assert_int_equal(
		cg_parse_mountinfo("22 1 259:2 / / rw - ext4 /dev/root "
				   "rw\n",
				   &m, &err),
		0);
	assert_int_equal(m.layout, CG_LAYOUT_NONE);
	/* a container's view: the hierarchy's /docker/abc mounted, with a
	 * space in the mount point */
	assert_int_equal(cg_parse_mountinfo("50 40 0:29 /docker/abc "
					    "/my\\040cg/cpu rw - cgroup cgroup "
					    "rw,cpuacct,cpu\n",
					    &m, &err),
			 0);
	assert_int_equal(m.layout, CG_LAYOUT_V1);
	assert_string_equal(m.h[CG_CPU].dir, "/my cg/cpu");
	assert_string_equal(m.h[CG_CPU].root, "/docker/abc");
	assert_int_equal(
		cg_parse_self("1:cpu,cpuacct:/docker/abc/sub\n", &m, &err), 0);
	assert_string_equal(m.h[CG_CPU].self, "/my cg/cpu/sub");
	assert_string_equal(m.h[CG_CPUACCT].self, "/my cg/cpu/sub");
}

static void test_mountinfo_errors(void **state)
{
	struct cg_mounts m;
	struct err err;

	(void)state;
	assert_int_equal(cg_parse_mountinfo("22 1 259:2 / / rw\n", &m, &err),
			 -1);
	assert_string_equal(err.msg, "malformed mountinfo line 1: "
				     "'22 1 259:2 / / rw'");
	assert_int_equal(cg_parse_mountinfo("50 40 0:29 /docker/abc /c rw - "
					    "cgroup cgroup rw,cpu\n",
					    &m, &err),
			 0);
	assert_int_equal(cg_parse_self("1:cpu:/other\n", &m, &err), -1);
	assert_string_equal(err.msg, "cgroup '/other' is outside mount '/c'");
}

static void test_cpulist(void **state)
{
	char buf[64];
	uint64_t mask;
	struct err err;

	(void)state;
	cpulist_format(0x1, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	cpulist_format(0x3, buf, sizeof(buf));
	assert_string_equal(buf, "0-1");
	cpulist_format(0x2d, buf, sizeof(buf));
	assert_string_equal(buf, "0,2-3,5");
	assert_int_equal(cpulist_parse_file("0,2-3,5\n", &mask, &err), 0);
	assert_int_equal(mask, 0x2d);
	assert_int_equal(cpulist_parse_file("\n", &mask, &err), 0);
	assert_int_equal(mask, 0);
	assert_int_equal(cpulist_parse_file("3-1\n", &mask, &err), -1);
	assert_string_equal(err.msg, "invalid cpu list '3-1'");
}

/* ---- fake trees ---- */

static void test_v1_separate_tree(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct cpustat st;
	struct err err;
	long pid = (long)getpid();
	char path[512];

	(void)state;
	fake_v1(&m, false, false);
	assert_int_equal(m.layout, CG_LAYOUT_V1);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_int_equal(t.version, 1);
	assert_false(t.used[CG_UNIFIED]);
	assert_string_equal(got("cpuset/cfssim-%ld/cpuset.cpus", pid), "0-1");
	assert_string_equal(got("cpu/cfssim-%ld/cpu.shares", pid), "262144");
	assert_string_equal(got("cpuset/cfssim-%ld/cpuset.mems", pid), "0");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.shares", pid), "1024");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.cfs_period_us", pid),
			    "100000");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.cfs_quota_us", pid),
			    "-1");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.cfs_burst_us", pid),
			    "");
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.shares", pid), "512");
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.cfs_quota_us", pid),
			    "30000");
	assert_string_equal(got("cpuset/cfssim-%ld/web/cpuset.cpus", pid),
			    "0-1");
	assert_string_equal(got("cpuset/cfssim-%ld/batch/cpuset.cpus", pid),
			    "0");
	assert_string_equal(got("cpuset/cfssim-%ld/batch/cpuset.mems", pid),
			    "0");
	assert_true(exists("cpuacct/cfssim-%ld/batch", pid));
	assert_int_equal(t.groups[1].shares, 512);
	assert_string_equal(t.notes[t.nnotes - 1], "batch/cpuset.mems = 0");

	assert_int_equal(cg_tree_attach(&t, 1, 4242, false, &err), 0);
	assert_string_equal(got("cpu/cfssim-%ld/batch/cgroup.procs", pid),
			    "4242");
	assert_string_equal(got("cpuacct/cfssim-%ld/batch/cgroup.procs", pid),
			    "4242");
	assert_string_equal(got("cpuset/cfssim-%ld/batch/cgroup.procs", pid),
			    "4242");

	snprintf(path, sizeof(path), "%s/cpu/cfssim-%ld/batch/cpu.stat", tmp,
		 pid);
	put(path, "nr_periods 30\nnr_throttled 28\nthrottled_time 2610000000\n"
		  "nr_bursts 0\nburst_time 0\n");
	snprintf(path, sizeof(path),
		 "%s/cpuacct/cfssim-%ld/batch/cpuacct.usage", tmp, pid);
	put(path, "900000000\n");
	assert_int_equal(cg_tree_read(&t, 1, &st, &err), 0);
	assert_int_equal(st.nr_periods, 30);
	assert_int_equal(st.throttled_ns, 2610000000ULL);
	assert_int_equal(st.usage_ns, 900000000);
	assert_true(st.have & CPUSTAT_LOCAL);

	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_false(exists("cpu/cfssim-%ld", pid));
	assert_false(exists("cpuacct/cfssim-%ld", pid));
	assert_false(exists("cpuset/cfssim-%ld", pid));
	scenario_destroy(&sc);
}

static void test_v1_comounted_tree(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct cpustat st;
	struct err err;
	long pid = (long)getpid();
	char path[512];

	(void)state;
	fake_v1(&m, true, false);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_comounted_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_true(t.used[CG_CPU]);
	assert_false(t.used[CG_CPUACCT]);
	assert_string_equal(got("cpu,cpuacct/cfssim-%ld/batch/cpu.shares", pid),
			    "512");
	assert_int_equal(cg_tree_attach(&t, 0, 99, false, &err), 0);
	assert_string_equal(got("cpu,cpuacct/cfssim-%ld/web/cgroup.procs", pid),
			    "99");
	assert_string_equal(got("cpuset/cfssim-%ld/web/cgroup.procs", pid),
			    "99");
	snprintf(path, sizeof(path),
		 "%s/cpu,cpuacct/cfssim-%ld/web/cpuacct.usage", tmp, pid);
	put(path, "123\n");
	assert_int_equal(cg_tree_read(&t, 0, &st, &err), 0);
	assert_int_equal(st.usage_ns, 123);
	assert_false(st.have & CPUSTAT_LOCAL);
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_false(exists("cpu,cpuacct/cfssim-%ld", pid));
	scenario_destroy(&sc);
}

static void test_deferred_quota_written_by_rearm(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	long pid = (long)getpid();

	(void)state;
	fake_v1(&m, false, false);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.defer_quota = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.cfs_quota_us", pid),
			    "-1");
	assert_int_equal(cg_tree_rearm(&t, &sc, &err), 0);
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.cfs_quota_us", pid),
			    "30000");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.cfs_quota_us", pid),
			    "-1");
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	scenario_destroy(&sc);
}

/* After the final snapshot the run lifts every quota, so that workloads
 * report and exit unthrottled (a 1 ms quota under emulation could not
 * exit in the 2 s the run waits: "container 'max' still running"). */
static void test_v1_unlimit_lifts_quotas(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	long pid = (long)getpid();

	(void)state;
	fake_v1(&m, false, false);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.cfs_quota_us", pid),
			    "30000");
	assert_int_equal(cg_tree_unlimit(&t, &sc, &err), 0);
	assert_string_equal(got("cpu/cfssim-%ld/batch/cpu.cfs_quota_us", pid),
			    "-1");
	assert_string_equal(got("cpu/cfssim-%ld/web/cpu.cfs_quota_us", pid),
			    "-1");
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	scenario_destroy(&sc);
}

static void test_hybrid_mirrors_tree(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	long pid = (long)getpid();
	bool done;
	int fd;

	(void)state;
	fake_v1(&m, false, true);
	assert_int_equal(m.layout, CG_LAYOUT_HYBRID);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	opt.fake_files[CG_UNIFIED] = mirror_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_true(t.mirror);
	assert_true(exists("unified/cfssim-%ld/batch", pid));
	assert_false(exists("unified/cfssim-%ld/batch/cpu.max", pid));
	/* born in the mirror through CLONE_INTO_CGROUP: v1 writes only */
	assert_int_equal(cg_tree_open_leaf(&t, 1, &fd, &err), 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cg_tree_attach(&t, 1, 555, true, &err), 0);
	assert_string_equal(got("unified/cfssim-%ld/batch/cgroup.procs", pid),
			    "");
	assert_string_equal(got("cpu/cfssim-%ld/batch/cgroup.procs", pid),
			    "555");
	assert_int_equal(cg_tree_attach(&t, 0, 556, false, &err), 0);
	assert_string_equal(got("unified/cfssim-%ld/web/cgroup.procs", pid),
			    "556");
	assert_false(cg_tree_populated(&t));
	assert_int_equal(cg_tree_kill(&t, &done, &err), 0);
	assert_true(done);
	assert_string_equal(got("unified/cfssim-%ld/web/cgroup.kill", pid),
			    "1");
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_false(exists("unified/cfssim-%ld", pid));
	scenario_destroy(&sc);
}

/* app (shares 512, a task, child db with quota 50 ms and a task) on a v2
 * root: app's tasks go to app/.tasks. */
static void nested(struct scenario *sc)
{
	size_t app, db;

	scenario_init(sc, "n");
	sc->cpus = 2;
	app = scenario_add_group(sc, -1, "app");
	sc->groups[app].shares = 512;
	scenario_add_task(sc, app, "front");
	db = scenario_add_group(sc, (long)app, "db");
	sc->groups[db].has_quota = true;
	sc->groups[db].quota_ns = 50 * NSEC_PER_MSEC;
	sc->groups[db].burst_ns = 10 * NSEC_PER_MSEC;
	scenario_add_task(sc, db, "query");
}

static void fake_v2(struct cg_mounts *m, const char *self)
{
	char mi[512], sf[256];
	struct err err;

	mkdirs("%s/unified%s", tmp, self);
	putf("cpuset cpu memory\n", "%s/unified/cgroup.controllers", tmp);
	putf("", "%s/unified/cgroup.subtree_control", tmp);
	putf("cpuset cpu memory\n", "%s/unified%s/cgroup.controllers", tmp,
	     self);
	putf("", "%s/unified%s/cgroup.subtree_control", tmp, self);
	snprintf(mi, sizeof(mi),
		 "29 23 0:26 / %s/unified rw,relatime shared:4 - cgroup2 "
		 "cgroup2 rw,nsdelegate\n",
		 tmp);
	snprintf(sf, sizeof(sf), "0::%s\n", *self ? self : "/");
	assert_int_equal(cg_parse_mountinfo(mi, m, &err), 0);
	assert_int_equal(cg_parse_self(sf, m, &err), 0);
}

static void test_v2_tree_at_root(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct cpustat st;
	struct err err;
	long pid = (long)getpid();

	(void)state;
	fake_v2(&m, "");
	assert_int_equal(m.layout, CG_LAYOUT_V2);
	nested(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_UNIFIED] = v2_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_int_equal(t.version, 2);
	assert_string_equal(got("unified/cgroup.subtree_control"),
			    "+cpu +cpuset");
	assert_string_equal(
		got("unified/cfssim-%ld/cgroup.subtree_control", pid),
		"+cpu +cpuset");
	assert_string_equal(got("unified/cfssim-%ld/cpuset.cpus", pid), "0-1");
	assert_string_equal(got("unified/cfssim-%ld/cpu.weight", pid), "10000");
	assert_string_equal(got("unified/cfssim-%ld/app/cpu.weight", pid),
			    "50");
	assert_string_equal(got("unified/cfssim-%ld/app/cpu.max", pid),
			    "max 100000");
	assert_string_equal(got("unified/cfssim-%ld/app/cpu.max.burst", pid),
			    "");
	assert_string_equal(
		got("unified/cfssim-%ld/app/cgroup.subtree_control", pid),
		"+cpu +cpuset");
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpu.weight", pid),
			    "100");
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpu.max", pid),
			    "50000 100000");
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpu.max.burst", pid),
			    "10000");
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpuset.cpus", pid),
			    "0-1");
	assert_true(exists("unified/cfssim-%ld/app/.tasks", pid));
	/* one nice-0 thread: weight 1024 = cpu.weight 100 */
	assert_string_equal(
		got("unified/cfssim-%ld/app/.tasks/cpu.weight", pid), "100");
	assert_false(exists("unified/cfssim-%ld/app/db/.tasks", pid));
	assert_int_equal(t.groups[0].weight, 50);
	assert_string_equal(t.groups[0].leaf, "app/.tasks");
	assert_string_equal(t.groups[1].leaf, "app/db");

	assert_int_equal(cg_tree_attach(&t, 0, 77, false, &err), 0);
	assert_string_equal(
		got("unified/cfssim-%ld/app/.tasks/cgroup.procs", pid), "77");
	assert_string_equal(got("unified/cfssim-%ld/app/cgroup.procs", pid),
			    "");
	assert_int_equal(cg_tree_read(&t, 1, &st, &err), 0);
	assert_true(st.have & CPUSTAT_BANDWIDTH);
	assert_true(st.have & CPUSTAT_LOCAL);
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_false(exists("unified/cfssim-%ld", pid));
	scenario_destroy(&sc);
}

static void test_v2_unlimit_lifts_quotas(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	long pid = (long)getpid();

	(void)state;
	fake_v2(&m, "");
	nested(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_UNIFIED] = v2_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpu.max", pid),
			    "50000 100000");
	assert_int_equal(cg_tree_unlimit(&t, &sc, &err), 0);
	assert_string_equal(got("unified/cfssim-%ld/app/db/cpu.max", pid),
			    "max 100000");
	assert_string_equal(got("unified/cfssim-%ld/app/cpu.max", pid),
			    "max 100000");
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	scenario_destroy(&sc);
}

static void test_v2_delegated_moves_self(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	long pid = (long)getpid();
	char me[32], want[800];

	(void)state;
	fake_v2(&m, "/user.slice/run.scope");
	snprintf(me, sizeof(me), "%ld\n", pid);
	putf(me, "%s/unified/user.slice/run.scope/cgroup.procs", tmp);
	nested(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_UNIFIED] = v2_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	me[strlen(me) - 1] = '\0';
	assert_string_equal(got("unified/user.slice/run.scope/cfssim-%ld/"
				".supervisor/cgroup.procs",
				pid),
			    me);
	assert_string_equal(got("unified/user.slice/run.scope/"
				"cgroup.subtree_control"),
			    "+cpu +cpuset");
	assert_true(t.v2_moved_self);
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_string_equal(got("unified/user.slice/run.scope/cgroup.procs"),
			    me);
	assert_string_equal(got("unified/user.slice/run.scope/"
				"cgroup.subtree_control"),
			    "-cpu -cpuset");
	assert_false(exists("unified/user.slice/run.scope/cfssim-%ld", pid));

	/* somebody else in the parent: no way to obey the rule */
	putf("1\n2\n", "%s/unified/user.slice/run.scope/cgroup.procs", tmp);
	putf("", "%s/unified/user.slice/run.scope/cgroup.subtree_control", tmp);
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot enable the cpu controller below "
		 "'%s/unified/user.slice/run.scope': it holds other processes; "
		 "run 'systemd-run --scope -p Delegate=yes cfssim real FILE'",
		 tmp);
	assert_string_equal(err.msg, want);
	scenario_destroy(&sc);
}

static void test_burst_file_absent(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	char want[800];
	long pid = (long)getpid();

	(void)state;
	fake_v1(&m, false, false);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files_515;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_string_equal(t.notes[6],
			    "web/cpu.cfs_burst_us absent, burst 0 not written");
	assert_int_equal(cg_tree_destroy(&t, &err), 0);

	sc.groups[1].burst_ns = 5 * NSEC_PER_MSEC;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot set the burst of group 'batch': "
		 "'%s/cpu/cfssim-%ld/batch/cpu.cfs_burst_us' is missing "
		 "(kernel older than 5.14?)",
		 tmp, pid);
	assert_string_equal(err.msg, want);
	/* a failed create removes what it made */
	assert_false(exists("cpu/cfssim-%ld", pid));
	assert_false(exists("cpuset/cfssim-%ld", pid));
	scenario_destroy(&sc);
}

static void test_create_errors(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	char want[800];
	long pid = (long)getpid();

	(void)state;
	fake_v1(&m, false, false);
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;

	putf("0\n", "%s/cpuset/cpuset.cpus", tmp);
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want),
		 "scenario needs cpus 0-1 but cgroup '%s/cpuset' allows '0'",
		 tmp);
	assert_string_equal(err.msg, want);
	putf("0-1\n", "%s/cpuset/cpuset.cpus", tmp);

	mkdirs("%s/cpu/cfssim-%ld", tmp, pid);
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot create cgroup '%s/cpu/cfssim-%ld' (a leftover? run "
		 "'cfssim cleanup'): File exists",
		 tmp, pid);
	assert_string_equal(err.msg, want);
	assert_true(exists("cpu/cfssim-%ld", pid)); /* not ours: kept */
	scenario_destroy(&sc);
}

static void test_more_create_errors(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m, none = {0};
	struct cg_tree t;
	struct err err;
	char want[800], path[600], buf[4];
	long pid = (long)getpid();

	(void)state;
	two_groups(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_CPU] = v1_cpu_files;
	opt.fake_files[CG_CPUACCT] = v1_cpuacct_files;
	opt.fake_files[CG_CPUSET] = v1_cpuset_files;
	assert_int_equal(cg_tree_create(&t, &none, &sc, &opt, &err), -1);
	assert_string_equal(err.msg, "no cgroup cpu controller is mounted");

	fake_v1(&m, false, false);
	m.h[CG_CPUSET].dir[0] = '\0';
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	assert_string_equal(err.msg,
			    "no cgroup v1 'cpuset' hierarchy is mounted");

	fake_v1(&m, false, false);
	sc.groups[1].cpus_mask = 4; /* cpu 2 of a 2-cpu scenario */
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	assert_string_equal(err.msg,
			    "group 'batch' has no cpu among the scenario's 2");
	assert_false(exists("cpu/cfssim-%ld", pid));
	sc.groups[1].cpus_mask = 1;

	putf("\n", "%s/cpuset/cpuset.mems", tmp);
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want), "cgroup '%s/cpuset' has no memory nodes",
		 tmp);
	assert_string_equal(err.msg, want);

	free(sc.groups[1].path);
	sc.groups[1].path = malloc(500);
	memset(sc.groups[1].path, 'x', 499);
	sc.groups[1].path[499] = '\0';
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "' is too long for a cgroup below '"));

	assert_int_equal(cg_write("/nonexistent", "x", "1", &err), -1);
	assert_string_equal(err.msg, "cannot write '1' to '/nonexistent/x': "
				     "No such file or directory");
	putf("0-1\n", "%s/f", tmp);
	assert_int_equal(cg_read(tmp, "f", buf, sizeof(buf), &err), -1);
	snprintf(want, sizeof(want), "'%s/f' is larger than 3 bytes", tmp);
	assert_string_equal(err.msg, want);
	snprintf(path, sizeof(path), "%s/full", tmp);
	mkdirs("%s", path);
	putf("", "%s/full/cpu.shares", tmp);
	assert_int_equal(cg_rmdir(path, false, 0, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot remove cgroup '%s': Directory not empty", path);
	assert_string_equal(err.msg, want);
	scenario_destroy(&sc);
}

static void test_v2_without_cpu_controller(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct err err;
	char want[800];

	(void)state;
	fake_v2(&m, "");
	putf("memory io\n", "%s/unified/cgroup.controllers", tmp);
	nested(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.fake_files[CG_UNIFIED] = v2_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), -1);
	snprintf(want, sizeof(want),
		 "the cpu controller is not available in '%s/unified' "
		 "(cgroup.controllers: 'memory io')",
		 tmp);
	assert_string_equal(err.msg, want);
	scenario_destroy(&sc);
}

/* ---- janitor ---- */

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* The state file of owner, relative to tmp: run/<pid>-<start time>.state
 * (start time 0 for a pid that is gone). */
static const char *state_of(pid_t owner)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "run/%ld-%llu.state", (long)owner,
		 (unsigned long long)journal_starttime(owner));
	return buf;
}

static bool report_has(const struct jan_report *rep, const char *line)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (!strcmp(rep->lines[i], line))
			return true;
	return false;
}

static void test_janitor_sweeps_dead_owner_only(void **state)
{
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct journal js;
	struct cg_mounts m;
	struct err err;
	char dir[600], sdir[300], want[800];
	pid_t dead = dead_pid(), dead2 = dead_pid(), alive = getppid();

	(void)state;
	fake_v1(&m, false, false);
	snprintf(sdir, sizeof(sdir), "%s/run", tmp);
	/* a dead run: its state file lists two cgroups and a pid */
	assert_int_equal(journal_open(&js, sdir, dead, true, &err), 0);
	snprintf(dir, sizeof(dir), "%s/cpu/cfssim-%ld", tmp, (long)dead);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s", dir);
	putf("", "%s/cpu.shares", dir);
	strcat(dir, "/web");
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s", dir);
	assert_int_equal(journal_add(&js, "pid", "1", &err), 0);
	journal_close(&js, false);
	mkdirs("%s/run/%ld/ctr-5", tmp, (long)dead);
	/* a live run and a stray cfssim-<dead> without state file */
	assert_int_equal(journal_open(&js, sdir, alive, true, &err), 0);
	snprintf(dir, sizeof(dir), "%s/cpu/cfssim-%ld", tmp, (long)alive);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s", dir);
	journal_close(&js, false);
	mkdirs("%s/cpu/cfssim-%ld", tmp, (long)dead2);
	mkdirs("%s/cpu/other", tmp);

	jo.state_dir = sdir;
	jo.mounts = &m;
	jo.self = getpid();
	assert_int_equal(jan_sweep(&jo, &rep, &err), 0);
	assert_int_equal(rep.n, 4);
	snprintf(want, sizeof(want), "removed cgroup '%s/cpu/cfssim-%ld/web'",
		 tmp, (long)dead);
	assert_string_equal(rep.lines[0], want);
	snprintf(want, sizeof(want), "removed cgroup '%s/cpu/cfssim-%ld'", tmp,
		 (long)dead);
	assert_string_equal(rep.lines[1], want);
	snprintf(want, sizeof(want), "removed state dir '%s/run/%ld'", tmp,
		 (long)dead);
	assert_string_equal(rep.lines[2], want);
	snprintf(want, sizeof(want),
		 "left alone '%s/cpu/cfssim-%ld' (no state file)", tmp,
		 (long)dead2);
	assert_string_equal(rep.lines[3], want);
	assert_false(exists("cpu/cfssim-%ld", (long)dead));
	assert_false(exists("%s", state_of(dead)));
	assert_true(exists("cpu/cfssim-%ld", (long)alive));
	assert_true(exists("%s", state_of(alive)));
	assert_true(exists("cpu/cfssim-%ld", (long)dead2));
	assert_true(exists("cpu/other"));
	jan_report_destroy(&rep);
}

/* A delegated parent that handed cpu down before the run (its
 * subtree_control reads "cpu"): the run enables only cpuset, journals
 * "-cpuset" as the undo, and its teardown writes exactly that, so cpu
 * stays on.  The fake file keeps the last write. */
static void test_v2_subtree_restored_exactly(void **state)
{
	struct cg_options opt = {0};
	struct scenario sc;
	struct cg_mounts m;
	struct cg_tree t;
	struct journal js;
	struct err err;
	long pid = (long)getpid();
	char me[32], sdir[300], want[1200];

	(void)state;
	fake_v2(&m, "/user.slice/run.scope");
	snprintf(me, sizeof(me), "%ld\n", pid);
	putf(me, "%s/unified/user.slice/run.scope/cgroup.procs", tmp);
	putf("cpu\n", "%s/unified/user.slice/run.scope/cgroup.subtree_control",
	     tmp);
	snprintf(sdir, sizeof(sdir), "%s/run", tmp);
	assert_int_equal(journal_open(&js, sdir, getpid(), true, &err), 0);
	nested(&sc);
	opt.owner = getpid();
	opt.fake = true;
	opt.state = &js;
	opt.fake_files[CG_UNIFIED] = v2_files;
	assert_int_equal(cg_tree_create(&t, &m, &sc, &opt, &err), 0);
	assert_string_equal(got("unified/user.slice/run.scope/"
				"cgroup.subtree_control"),
			    "+cpuset");
	snprintf(want, sizeof(want),
		 "cfssim-state 1\nowner %ld %llu %llu\nfake\n"
		 "cgroup %s/unified/user.slice/run.scope/cfssim-%ld\n"
		 "cgroup %s/unified/user.slice/run.scope/cfssim-%ld/"
		 ".supervisor\n"
		 "subtree %s/unified/user.slice/run.scope -cpuset\n",
		 pid, (unsigned long long)journal_starttime(getpid()),
		 (unsigned long long)journal_pidns(0), tmp, pid, tmp, pid, tmp);
	assert_true(
		!strncmp(got("%s", state_of(getpid())), want, strlen(want)));
	assert_int_equal(cg_tree_destroy(&t, &err), 0);
	assert_string_equal(got("unified/user.slice/run.scope/"
				"cgroup.subtree_control"),
			    "-cpuset");
	journal_close(&js, true);
	scenario_destroy(&sc);
}

/* After a SIGKILL the janitor undoes the dead run's subtree change as its
 * journal says (only what was off before), and leaves alone any listed
 * cgroup that is not below a cfssim-<owner> directory of a mount. */
static void test_janitor_restores_subtree_and_checks_paths(void **state)
{
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct journal js;
	struct cg_mounts m;
	struct err err;
	char dir[700], sdir[300], want[1200], parent[600];
	pid_t dead = dead_pid();

	(void)state;
	fake_v2(&m, "/user.slice/run.scope");
	snprintf(sdir, sizeof(sdir), "%s/run", tmp);
	snprintf(parent, sizeof(parent), "%s/unified/user.slice/run.scope",
		 tmp);
	assert_int_equal(journal_open(&js, sdir, dead, true, &err), 0);
	snprintf(dir, sizeof(dir), "%s/cfssim-%ld", parent, (long)dead);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s", dir);
	snprintf(want, sizeof(want), "%s -cpuset", parent);
	assert_int_equal(journal_add(&js, "subtree", want, &err), 0);
	/* outside any cfssim-<owner>, and an escape through ".." */
	snprintf(dir, sizeof(dir), "%s/unified/user.slice", tmp);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	snprintf(dir, sizeof(dir), "%s/cfssim-%ld/../keep", parent, (long)dead);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s/keep", parent);
	journal_close(&js, false);
	putf("cpu cpuset\n", "%s/cgroup.subtree_control", parent);

	jo.state_dir = sdir;
	jo.mounts = &m;
	jo.self = getpid();
	assert_int_equal(jan_sweep(&jo, &rep, &err), 0);
	assert_int_equal(rep.n, 4);
	snprintf(want, sizeof(want),
		 "left alone '%s/cfssim-%ld/../keep' (not below cfssim-%ld)",
		 parent, (long)dead, (long)dead);
	assert_string_equal(rep.lines[0], want);
	snprintf(want, sizeof(want),
		 "left alone '%s/unified/user.slice' (not below cfssim-%ld)",
		 tmp, (long)dead);
	assert_string_equal(rep.lines[1], want);
	snprintf(want, sizeof(want), "removed cgroup '%s/cfssim-%ld'", parent,
		 (long)dead);
	assert_string_equal(rep.lines[2], want);
	snprintf(want, sizeof(want),
		 "restored '%s/cgroup.subtree_control' (-cpuset)", parent);
	assert_string_equal(rep.lines[3], want);
	assert_string_equal(got("unified/user.slice/run.scope/"
				"cgroup.subtree_control"),
			    "-cpuset");
	assert_true(exists("unified/user.slice/run.scope/keep"));
	assert_true(exists("unified/user.slice"));
	assert_false(
		exists("unified/user.slice/run.scope/cfssim-%ld", (long)dead));
	jan_report_destroy(&rep);
}

/* The state file is named by pid and start time, holds the owner's pid
 * namespace, and is never opened twice: a second journal of the same owner
 * fails and leaves the first as it was. */
static void test_state_file_format(void **state)
{
	unsigned long long start = journal_starttime(getpid());
	struct journal js, again;
	struct err err;
	char sdir[300], want[200], msg[600];
	pid_t dead = dead_pid();
	struct stat ns;

	(void)state;
	assert_int_equal(stat("/proc/self/ns/pid", &ns), 0);
	assert_int_equal(journal_pidns(0), (uint64_t)ns.st_ino);
	snprintf(sdir, sizeof(sdir), "%s/run", tmp);
	assert_int_equal(journal_open(&js, sdir, getpid(), false, &err), 0);
	assert_int_equal(journal_add(&js, "pid", "12", &err), 0);
	snprintf(want, sizeof(want),
		 "cfssim-state 1\nowner %ld %llu %llu\npid 12\n",
		 (long)getpid(), start, (unsigned long long)ns.st_ino);
	assert_string_equal(got("run/%ld-%llu.state", (long)getpid(), start),
			    want);
	assert_int_equal(journal_open(&again, sdir, getpid(), false, &err), -1);
	snprintf(msg, sizeof(msg), "cannot create '%s/run/%ld-%llu.state'", tmp,
		 (long)getpid(), start);
	assert_int_equal(err.code, EEXIST);
	assert_true(!strncmp(err.msg, msg, strlen(msg)));
	journal_close(&again, true); /* removes nothing: not its file */
	assert_string_equal(got("run/%ld-%llu.state", (long)getpid(), start),
			    want);
	assert_true(start > 0);
	assert_true(journal_owner_alive(getpid(), start));
	assert_false(journal_owner_alive(getpid(), 1));
	assert_false(journal_owner_alive(dead, 0));
	/* gone: a dead pid, or a live pid that started at another time, of
	 * our pid namespace; never the owner of another pid namespace */
	assert_true(journal_owner_gone(dead, 0, 0));
	assert_true(journal_owner_gone(dead, 5, ns.st_ino));
	assert_true(journal_owner_gone(getppid(), 1, ns.st_ino));
	assert_false(journal_owner_gone(getppid(), journal_starttime(getppid()),
					ns.st_ino));
	assert_false(journal_owner_gone(dead, 5, ns.st_ino + 1));
	assert_false(journal_owner_gone(getppid(), 1, ns.st_ino + 1));
	journal_close(&js, true);
	assert_false(exists("run/%ld-%llu.state", (long)getpid(), start));
}

/* A killed run is cleaned and a live run is untouched, also when the
 * killed run's pid was reused by the live run (both name the cgroup
 * cfssim-<pid>), when a run of another pid namespace looks dead here, and
 * when a killed run wrote the older state file (<pid>.state, no pid
 * namespace).  The live run here is our parent: a pid that stays alive. */
static void test_janitor_killed_run_cleaned_live_run_untouched(void **state)
{
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	pid_t live = getppid(), dead = dead_pid(), other = dead_pid();
	unsigned long long ns = journal_pidns(0);
	struct journal js;
	struct cg_mounts m;
	struct err err;
	char dir[600], sdir[300], text[1500], want[800];

	(void)state;
	fake_v1(&m, false, false);
	snprintf(sdir, sizeof(sdir), "%s/run", tmp);
	/* the live run: cfssim-<live> and its group */
	assert_int_equal(journal_open(&js, sdir, live, true, &err), 0);
	snprintf(dir, sizeof(dir), "%s/cpu/cfssim-%ld", tmp, (long)live);
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	mkdirs("%s/web", dir);
	strcat(dir, "/web");
	assert_int_equal(journal_add(&js, "cgroup", dir, &err), 0);
	journal_close(&js, false);
	/* a killed run that had the live run's pid before (start time 1) */
	snprintf(text, sizeof(text),
		 "cfssim-state 1\nowner %ld 1 %llu\nfake\n"
		 "cgroup %s/cpu/cfssim-%ld\ncgroup %s/cpu/cfssim-%ld/web\n",
		 (long)live, ns, tmp, (long)live, tmp, (long)live);
	putf(text, "%s/%ld-1.state", sdir, (long)live);
	/* a killed run of an older cfssim */
	snprintf(
		text, sizeof(text),
		"cfssim-state 1\nowner %ld 0\nfake\ncgroup %s/cpu/cfssim-%ld\n",
		(long)dead, tmp, (long)dead);
	putf(text, "%s/%ld.state", sdir, (long)dead);
	mkdirs("%s/cpu/cfssim-%ld", tmp, (long)dead);
	/* a run of another pid namespace: its pid is nobody here */
	snprintf(text, sizeof(text),
		 "cfssim-state 1\nowner %ld 0 %llu\nfake\n"
		 "cgroup %s/cpu/cfssim-%ld\n",
		 (long)other, ns + 1, tmp, (long)other);
	putf(text, "%s/%ld-0.state", sdir, (long)other);
	mkdirs("%s/cpu/cfssim-%ld", tmp, (long)other);

	jo.state_dir = sdir;
	jo.mounts = &m;
	jo.self = getpid();
	assert_int_equal(jan_sweep(&jo, &rep, &err), 0);
	/* readdir order is the directory's: look the lines up */
	assert_int_equal(rep.n, 3);
	snprintf(want, sizeof(want),
		 "left alone '%s/cpu/cfssim-%ld/web' "
		 "(a live run's)",
		 tmp, (long)live);
	assert_true(report_has(&rep, want));
	snprintf(want, sizeof(want),
		 "left alone '%s/cpu/cfssim-%ld' "
		 "(a live run's)",
		 tmp, (long)live);
	assert_true(report_has(&rep, want));
	snprintf(want, sizeof(want), "removed cgroup '%s/cpu/cfssim-%ld'", tmp,
		 (long)dead);
	assert_true(report_has(&rep, want));
	assert_true(exists("cpu/cfssim-%ld/web", (long)live));
	assert_true(exists("%s", state_of(live)));
	assert_false(exists("run/%ld-1.state", (long)live));
	assert_false(exists("cpu/cfssim-%ld", (long)dead));
	assert_false(exists("run/%ld.state", (long)dead));
	assert_true(exists("cpu/cfssim-%ld", (long)other));
	assert_true(exists("run/%ld-0.state", (long)other));
	jan_report_destroy(&rep);

	/* without a cgroup mount to check paths against, nothing is removed
	 * and the state file is kept */
	snprintf(
		text, sizeof(text),
		"cfssim-state 1\nowner %ld 0\nfake\ncgroup %s/cpu/cfssim-%ld\n",
		(long)dead, tmp, (long)dead);
	putf(text, "%s/%ld.state", sdir, (long)dead);
	mkdirs("%s/cpu/cfssim-%ld", tmp, (long)dead);
	jo.mounts = NULL;
	assert_int_equal(jan_sweep(&jo, &rep, &err), 0);
	assert_int_equal(rep.n, 1);
	snprintf(want, sizeof(want),
		 "left alone '%s/%ld.state' (no cgroup mount found)", sdir,
		 (long)dead);
	assert_string_equal(rep.lines[0], want);
	assert_true(exists("cpu/cfssim-%ld", (long)dead));
	assert_true(exists("run/%ld.state", (long)dead));
	jan_report_destroy(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_hybrid_separate),
		cmocka_unit_test(test_mountinfo_comounted),
		cmocka_unit_test(test_mountinfo_pure_v2),
		cmocka_unit_test(test_mountinfo_none_and_escapes),
		cmocka_unit_test(test_mountinfo_errors),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test_setup_teardown(test_v1_separate_tree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v1_comounted_tree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_deferred_quota_written_by_rearm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_unlimit_lifts_quotas,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v2_unlimit_lifts_quotas,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_hybrid_mirrors_tree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v2_tree_at_root, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v2_delegated_moves_self,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_file_absent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_more_create_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v2_without_cpu_controller,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_janitor_sweeps_dead_owner_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_file_format, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_janitor_killed_run_cleaned_live_run_untouched,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_v2_subtree_restored_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_janitor_restores_subtree_and_checks_paths, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
