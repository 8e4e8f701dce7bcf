#include "backend/container.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/xalloc.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The kernel's struct clone_args (linux/sched.h, CLONE_ARGS_SIZE_VER2);
 * declared here because <linux/sched.h> clashes with <sched.h>. */
struct clone3_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

#define NS_FLAGS                                                    \
	(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
	 CLONE_NEWNET)

/* What the child writes just before its exec. */
#define SETUP_DONE "X"

/* What a failing child sends back before it exits. */
struct setup_report {
	int code;      /* errno, 0 when msg already says why */
	char msg[240]; /* the step that failed */
};

/* Everything the child needs, prepared by the parent before cloning so the
 * child does little more than system calls. */
struct child_args {
	const struct ctr_config *cfg;
	char hostname[CTR_HOSTNAME_MAX];
	char state[128]; /* tmpfs mount point (host dir) */
	char upper[160], work[160], merged[160];
	char overlay_opts[1024];
	char tmpfs_opts[64];
	int go_rd, sync_wr, ctl_rd, out_wr;
};

void ctr_config_init(struct ctr_config *cfg, const char *name,
		     const char *image)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = name;
	cfg->image = image;
	cfg->argv[0] = CTR_WORKLOAD_PATH;
	cfg->cgroup2_fd = -1;
	cfg->stderr_fd = -1;
}

void ctr_sanitize_hostname(const char *name, char *out)
{
	size_t n = 0;
	const char *p;

	for (p = name ? name : ""; *p && n < CTR_HOSTNAME_MAX - 1; p++) {
		char ch = *p;
		bool ok = (ch >= 'a' && ch <= 'z') ||
			  (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-';

		if (!ok)
			ch = '-';
		if (ch == '-' && (n == 0 || out[n - 1] == '-'))
			continue;
		out[n++] = ch;
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, CTR_HOSTNAME_MAX, "group");
}

/* ---- the child ----------------------------------------------------------- */

static void child_fail(const struct child_args *a, int code, const char *msg)
{
	struct setup_report rep;
	ssize_t n;

	memset(&rep, 0, sizeof(rep));
	rep.code = code;
	snprintf(rep.msg, sizeof(rep.msg), "%s", msg);
	n = write(a->sync_wr, &rep, sizeof(rep));
	(void)n;
	_exit(127);
}

static void child_mount(const struct child_args *a, const char *step,
			const char *src, const char *target, const char *type,
			unsigned long flags, const char *data)
{
	if (mount(src, target, type, flags, data))
		child_fail(a, errno, step);
}

static void child_path(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* A tmpfs /dev holding the usual character devices (crun's list). */
static void child_dev(const struct child_args *a)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} devs[] = {
		{"null", 1, 3},	  {"zero", 1, 5},    {"full", 1, 7},
		{"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
	};
	static const struct {
		const char *name, *target;
	} links[] = {
		{"fd", "/proc/self/fd"},
		{"stdin", "/proc/self/fd/0"},
		{"stdout", "/proc/self/fd/1"},
		{"stderr", "/proc/self/fd/2"},
	};
	char dev[200], path[240];
	size_t i;

	child_path(dev, sizeof(dev), a->merged, "dev");
	child_mount(a, "mount /dev", "tmpfs", dev, "tmpfs",
		    MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k");
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		child_path(path, sizeof(path), dev, devs[i].name);
		if (mknod(path, S_IFCHR | 0666,
			  makedev(devs[i].major, devs[i].minor)) ||
		    chmod(path, 0666))
			child_fail(a, errno, "mknod /dev");
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		child_path(path, sizeof(path), dev, links[i].name);
		if (symlink(links[i].target, path))
			child_fail(a, errno, "symlink /dev");
	}
}

static void child_pivot(const struct child_args *a)
{
	int oldroot = open("/", O_DIRECTORY | O_PATH | O_CLOEXEC);

	if (oldroot < 0)
		child_fail(a, errno, "open /");
	if (chdir(a->merged))
		child_fail(a, errno, "chdir new root");
	/* the "." trick: the old root ends up stacked under the new one */
	if (syscall(SYS_pivot_root, ".", "."))
		child_fail(a, errno, "pivot_root");
	if (fchdir(oldroot))
		child_fail(a, errno, "fchdir old root");
	child_mount(a, "make old root private", NULL, ".", NULL,
		    MS_REC | MS_PRIVATE, NULL);
	if (umount2(".", MNT_DETACH))
		child_fail(a, errno, "umount old root");
	if (chdir("/"))
		child_fail(a, errno, "chdir /");
	close(oldroot);
}

/* /proc and /sys as runc leaves them: what could change the host
 * (sysctls, sysrq, interrupt affinity, bus and filesystem knobs)
 * read-only, for uid 0 may write them by file mode alone, without any
 * capability; what shows the host's hardware, memory, keys, timers,
 * interrupts and scheduler state masked as in runc's default list
 * (/dev/null over files, an empty read-only tmpfs over directories).
 * Paths this kernel lacks are skipped. */
static void child_proc(const struct child_args *a)
{
	static const char *const ro[] = {"/proc/bus", "/proc/fs", "/proc/irq",
					 "/proc/sys", "/proc/sysrq-trigger"};
	static const char *const masked[] = {
		"/proc/acpi",	     "/proc/asound",
		"/proc/interrupts",  "/proc/kcore",
		"/proc/keys",	     "/proc/latency_stats",
		"/proc/timer_list",  "/proc/timer_stats",
		"/proc/sched_debug", "/proc/scsi",
		"/sys/firmware",     "/sys/devices/virtual/powercap"};
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		if (lstat(ro[i], &st))
			continue;
		child_mount(a, "bind /proc read-only", ro[i], ro[i], NULL,
			    MS_BIND | MS_REC, NULL);
		child_mount(a, "remount /proc read-only", NULL, ro[i], NULL,
			    MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID |
				    MS_NODEV | MS_NOEXEC,
			    NULL);
	}
	for (i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		if (lstat(masked[i], &st))
			continue;
		if (S_ISDIR(st.st_mode))
			child_mount(
				a, "mask /proc", "tmpfs", masked[i], "tmpfs",
				MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				"size=0");
		else
			child_mount(a, "mask /proc", "/dev/null", masked[i],
				    NULL, MS_BIND, NULL);
	}
}

/* The workload needs no privilege once the container is set up: every
 * capability goes (bounding, ambient, permitted, effective, inheritable),
 * no exec may gain any back (no_new_privs), and RLIMIT_NICE stands in for
 * CAP_SYS_NICE so that tasks may still set a negative nice.  Where raising
 * RLIMIT_NICE is not allowed (no CAP_SYS_RESOURCE, as in some sandboxes)
 * and a task needs a negative nice, CAP_SYS_NICE alone stays in the
 * bounding set, which root's exec turns into its only capability. */
static void child_drop_privileges(const struct child_args *a)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[2];
	struct rlimit nice = {40, 40}; /* nice down to 20 - 40 = -20 */
	bool keep_nice = false;
	int cap;

	if (setrlimit(RLIMIT_NICE, &nice)) {
		if (errno != EPERM)
			child_fail(a, errno, "setrlimit RLIMIT_NICE");
		keep_nice = a->cfg->negative_nice;
	}
	for (cap = 0;
	     prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL) >= 0;
	     cap++)
		if (!(keep_nice && cap == CAP_SYS_NICE) &&
		    prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL))
			child_fail(a, errno, "prctl PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) &&
	    errno != EINVAL)
		child_fail(a, errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
	memset(data, 0, sizeof(data));
	if (keep_nice)
		data[0].permitted = data[0].effective = 1U << CAP_SYS_NICE;
	if (syscall(SYS_capset, &hdr, data))
		child_fail(a, errno, "capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL))
		child_fail(a, errno, "prctl PR_SET_NO_NEW_PRIVS");
}

static void child_stdio(const struct child_args *a)
{
	if (dup2(a->ctl_rd, 0) < 0 || dup2(a->out_wr, 1) < 0)
		child_fail(a, errno, "dup2");
	if (a->cfg->stderr_fd >= 0 && dup2(a->cfg->stderr_fd, 2) < 0)
		child_fail(a, errno, "dup2");
}

static void child_signals(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_main(struct child_args *a)
{
	static const char *const envp[] = {"PATH=/", "container=cfssim", NULL};
	const struct ctr_config *cfg = a->cfg;
	struct err err;
	char buf[1];
	char path[200];

	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		child_fail(a, errno, "prctl PR_SET_PDEATHSIG");
	/* paused until the parent put us in cgroups and created our veth;
	 * EOF means it gave up, so leave quietly */
	if (read(a->go_rd, buf, 1) != 1)
		_exit(0);
	close(a->go_rd);

	/* the parent has put us in our cgroups by now: a cgroup namespace
	 * made here is rooted at each of them, v1 hierarchies included
	 * (one from clone3 covers only the cgroup2 we were born in) */
	if (unshare(CLONE_NEWCGROUP))
		child_fail(a, errno, "unshare cgroup namespace");
	if (sethostname(a->hostname, strlen(a->hostname)))
		child_fail(a, errno, "sethostname");
	/* nothing below may propagate back to the host */
	child_mount(a, "make / private", NULL, "/", NULL, MS_REC | MS_PRIVATE,
		    NULL);
	child_mount(a, "mount tmpfs", "tmpfs", a->state, "tmpfs",
		    MS_NOSUID | MS_NODEV, a->tmpfs_opts);
	if (mkdir(a->upper, 0755) || mkdir(a->work, 0700) ||
	    mkdir(a->merged, 0755))
		child_fail(a, errno, "mkdir overlay dirs");
	child_mount(a, "mount overlay", "overlay", a->merged, "overlay", 0,
		    a->overlay_opts);
	child_path(path, sizeof(path), a->merged, "proc");
	child_mount(a, "mount /proc", "proc", path, "proc",
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	child_path(path, sizeof(path), a->merged, "sys");
	child_mount(a, "mount /sys", "sysfs", path, "sysfs",
		    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	child_dev(a);
	if (cfg->cpus_mask) {
		cpu_set_t set;
		unsigned cpu;

		CPU_ZERO(&set);
		for (cpu = 0; cpu < 64; cpu++)
			if (cfg->cpus_mask & (1ULL << cpu))
				CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			child_fail(a, errno, "sched_setaffinity");
	}
	err_init(&err);
	if (net_configure_inside(&cfg->net, &err))
		child_fail(a, 0, err.msg);
	child_pivot(a);
	child_proc(a);
	child_stdio(a);
	child_signals();
	child_drop_privileges(a);
	/* every fd from 3 up closes on exec, the sync pipe included: the
	 * marker, then its EOF, tell the parent the exec succeeded (an EOF
	 * alone is a child that died during its setup: a dying process
	 * closes its files before its parent can see it exit) */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC))
		child_fail(a, errno, "close_range");
	if (write(a->sync_wr, SETUP_DONE, 1) != 1)
		child_fail(a, errno, "write setup marker");
	execve(cfg->argv[0], (char *const *)cfg->argv, (char *const *)envp);
	snprintf(path, sizeof(path), "execve '%s'", cfg->argv[0]);
	child_fail(a, errno, path);
}

/* ---- the parent -------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* write(2) that reports a reader that went away as EPIPE instead of
 * killing the process with SIGPIPE: the signal is blocked in this thread
 * for the call and a pending one is consumed, so the process's own
 * disposition stays untouched. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t len)
{
	struct timespec zero = {0, 0};
	sigset_t pipe_set, old;
	ssize_t n;
	int e;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	e = errno;
	if (n < 0 && e == EPIPE && !sigismember(&old, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return n;
}

/* mkdir that tolerates an existing directory. */
static int mkdir_exist(const char *path, mode_t mode)
{
	return mkdir(path, mode) && errno != EEXIST ? -1 : 0;
}

static int make_state_dir(struct ctr *c, const char *host, struct err *err)
{
	char owner[64];
	int tries;

	snprintf(owner, sizeof(owner), CTR_RUN_DIR "/%d", (int)getpid());
	snprintf(c->state_dir, sizeof(c->state_dir), "%s/ctr-%.40s-XXXXXX",
		 owner, host);
	/* a concurrent ctr_destroy may remove the empty parents: retry */
	for (tries = 0; tries < 5; tries++) {
		if (mkdir_exist(CTR_RUN_DIR, 0755) || mkdir_exist(owner, 0700))
			continue;
		if (mkdtemp(c->state_dir))
			return 0;
		if (errno != ENOENT)
			break;
		snprintf(c->state_dir, sizeof(c->state_dir),
			 "%s/ctr-%.40s-XXXXXX", owner, host);
	}
	err_set(err, errno, "cannot create state dir '%s'", c->state_dir);
	c->state_dir[0] = '\0';
	return -1;
}

static void remove_state_dir(struct ctr *c)
{
	char *slash;

	if (!c->state_dir[0])
		return;
	rmdir(c->state_dir);
	slash = strrchr(c->state_dir, '/');
	if (slash) {
		*slash = '\0';
		rmdir(c->state_dir); /* the owner dir, if now empty */
	}
	rmdir(CTR_RUN_DIR); /* likewise */
	c->state_dir[0] = '\0';
}

static int prepare_args(const struct ctr_config *cfg, struct ctr *c,
			struct child_args *a, struct err *err)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	ctr_sanitize_hostname(cfg->name, a->hostname);
	snprintf(a->state, sizeof(a->state), "%s", c->state_dir);
	snprintf(a->upper, sizeof(a->upper), "%s/upper", a->state);
	snprintf(a->work, sizeof(a->work), "%s/work", a->state);
	snprintf(a->merged, sizeof(a->merged), "%s/merged", a->state);
	snprintf(a->tmpfs_opts, sizeof(a->tmpfs_opts), "mode=0700,size=%zu",
		 cfg->tmpfs_size ? cfg->tmpfs_size : (size_t)16 << 20);
	/* overlay options have no escape for ',' and are cut at a page */
	if (strchr(cfg->image, ','))
		return err_set(err, 0, "image path '%s' contains a comma",
			       cfg->image);
	n = snprintf(a->overlay_opts, sizeof(a->overlay_opts),
		     "lowerdir=%s,upperdir=%s,workdir=%s", cfg->image, a->upper,
		     a->work);
	if (n < 0 || (size_t)n >= sizeof(a->overlay_opts))
		return err_set(err, 0, "image path '%s' is too long",
			       cfg->image);
	return 0;
}

/* clone3 with every namespace.  If clone3 refuses CLONE_INTO_CGROUP
 * (E2BIG, EINVAL, EBADF, EBUSY: an old kernel, or a v1 cgroup fd) the child
 * is created outside and joins its cgroup before it is released; if clone3
 * itself is missing (ENOSYS, or EPERM from a seccomp filter) the raw clone
 * system call does the same job, as crun does.  Returns the pid in the
 * parent, 0 in the child, -1 with errno. */
static pid_t spawn(const struct ctr_config *cfg, struct ctr *c)
{
	struct clone3_args args;
	int pidfd = -1;
	pid_t pid;

	memset(&args, 0, sizeof(args));
	args.flags = NS_FLAGS | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	if (cfg->cgroup2_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP | CLONE_NEWCGROUP;
		args.cgroup = (uint64_t)cfg->cgroup2_fd;
		pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid >= 0)
			goto done_into;
		if (errno == ENOSYS || errno == EPERM)
			goto old_clone;
		/* E2BIG, EINVAL, EBADF, EBUSY...: born outside, joined later */
		args.flags &= ~(CLONE_INTO_CGROUP | CLONE_NEWCGROUP);
		args.cgroup = 0;
	}
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid >= 0) {
		c->used_clone3 = true;
		c->pidfd = pid ? pidfd : -1;
		return pid;
	}
	if (errno != ENOSYS && errno != EPERM)
		return -1;
old_clone:
	/* x86-64 raw clone: (flags, stack, parent_tid, child_tid, tls) */
	pid = (pid_t)syscall(SYS_clone, NS_FLAGS | CLONE_PIDFD | SIGCHLD, NULL,
			     &pidfd, NULL, 0);
	if (pid < 0 && errno == EINVAL) {
		pidfd = -1;
		pid = (pid_t)syscall(SYS_clone, NS_FLAGS | SIGCHLD, NULL, NULL,
				     NULL, 0);
	}
	if (pid > 0)
		c->pidfd = pidfd;
	return pid;

done_into:
	c->used_clone3 = true;
	c->in_cgroup2 = true;
	if (pid)
		c->pidfd = pidfd;
	return pid;
}

static void ctr_clear(struct ctr *c)
{
	memset(c, 0, sizeof(*c));
	c->pidfd = c->go_fd = c->sync_fd = c->ctl_fd = c->out_fd = -1;
}

int ctr_start(const struct ctr_config *cfg, struct ctr *c, struct err *err)
{
	struct child_args a;
	int go[2], sync[2], ctl[2], out[2];
	char host[CTR_HOSTNAME_MAX];
	pid_t pid;

	ctr_clear(c);
	ctr_sanitize_hostname(cfg->name, host);
	snprintf(c->name, sizeof(c->name), "%s", cfg->name ? cfg->name : "");
	c->setup_timeout_ms = cfg->setup_timeout_ms ? cfg->setup_timeout_ms :
						      CTR_SETUP_TIMEOUT_MS;
	if (geteuid() != 0)
		return err_set(err, 0, "containers need root");
	if (!cfg->image || !cfg->argv[0])
		return err_set(err, 0, "container '%s' has no image or program",
			       c->name);
	if (make_state_dir(c, host, err))
		return -1;
	if (prepare_args(cfg, c, &a, err))
		goto out_dir;
	if (pipe2(go, O_CLOEXEC)) {
		err_set(err, errno, "cannot create a pipe");
		goto out_dir;
	}
	if (pipe2(sync, O_CLOEXEC)) {
		err_set(err, errno, "cannot create a pipe");
		goto out_go;
	}
	if (pipe2(ctl, O_CLOEXEC)) {
		err_set(err, errno, "cannot create a pipe");
		goto out_sync;
	}
	if (pipe2(out, O_CLOEXEC)) {
		err_set(err, errno, "cannot create a pipe");
		goto out_ctl;
	}
	a.go_rd = go[0];
	a.sync_wr = sync[1];
	a.ctl_rd = ctl[0];
	a.out_wr = out[1];
	pid = spawn(cfg, c);
	if (pid == 0) {
		close(go[1]);
		close(sync[0]);
		close(ctl[1]);
		close(out[0]);
		child_main(&a);
		_exit(127);
	}
	if (pid < 0) {
		err_set(err, errno, "cannot create container '%s'", c->name);
		close(out[0]);
		close(out[1]);
		goto out_ctl;
	}
	close(go[0]);
	close(sync[1]);
	close(ctl[0]);
	close(out[1]);
	c->pid = pid;
	c->go_fd = go[1];
	c->sync_fd = sync[0];
	c->ctl_fd = ctl[1];
	c->out_fd = out[0];
	return 0;

out_ctl:
	close(ctl[0]);
	close(ctl[1]);
out_sync:
	close(sync[0]);
	close(sync[1]);
out_go:
	close(go[0]);
	close(go[1]);
out_dir:
	remove_state_dir(c);
	return -1;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* poll one fd for input with a deadline (0 = none); 1 ready, 0 timeout. */
static int wait_readable(int fd, uint64_t deadline_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int left, rc;

	for (;;) {
		left = -1;
		if (deadline_ms) {
			uint64_t now = mono_ms();

			left = now >= deadline_ms ? 0 :
						    (int)(deadline_ms - now);
		}
		rc = poll(&p, 1, left);
		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return 1; /* let the read report it */
	}
}

static void reap(struct ctr *c)
{
	if (c->pid > 0 && !c->reaped) {
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
		c->reaped = true;
	}
}

int ctr_setup_outcome(const char *name, const char *buf, size_t len,
		      struct err *err)
{
	struct setup_report rep;
	size_t off = len && buf[0] == SETUP_DONE[0];

	if (len - off == sizeof(rep)) {
		memcpy(&rep, buf + off, sizeof(rep));
		rep.msg[sizeof(rep.msg) - 1] = '\0';
		return err_set(err, rep.code, "%s", rep.msg);
	}
	if (off && len == 1)
		return 0;
	if (len)
		return err_set(err, 0,
			       "container '%s' sent a garbled setup report "
			       "(%zu bytes)",
			       name, len);
	return 1;
}

int ctr_release(struct ctr *c, struct err *err)
{
	char buf[1 + sizeof(struct setup_report)], status[64];
	size_t got = 0;
	uint64_t deadline;
	ssize_t n;
	int rc;

	if (c->go_fd < 0)
		return err_set(err, 0, "container '%s' is not paused", c->name);
	/* a child that failed before reading it closed the pipe: then its
	 * report below says why */
	n = write_nosigpipe(c->go_fd, "G", 1);
	close_fd(&c->go_fd);
	if (n != 1 && errno != EPIPE) {
		err_set(err, errno, "cannot release container '%s'", c->name);
		goto out_kill;
	}
	/* read to EOF: [marker] [report] */
	deadline = mono_ms() + c->setup_timeout_ms;
	while (got < sizeof(buf)) {
		if (!wait_readable(c->sync_fd, deadline)) {
			err_set(err, 0,
				"container '%s' setup timed out after %u ms",
				c->name, c->setup_timeout_ms);
			goto out_kill;
		}
		n = read(c->sync_fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close_fd(&c->sync_fd);
	rc = ctr_setup_outcome(c->name, buf, got, err);
	if (rc < 0)
		goto out_kill;
	if (!rc)
		return 0; /* the exec closed the pipe */
	/* EOF with no marker: the child died in its setup; it is exiting */
	reap(c);
	err_set(err, 0, "container '%s' %s during setup", c->name,
		ctr_status_str(c->status, status, sizeof(status)));
	return -1;

out_kill:
	ctr_kill(c);
	reap(c);
	return -1;
}

int ctr_send(struct ctr *c, const char *buf, size_t len, struct err *err)
{
	ssize_t n;

	while (len) {
		if (c->ctl_fd < 0)
			return err_set(err, 0,
				       "input of container '%s' is "
				       "closed",
				       c->name);
		n = write_nosigpipe(c->ctl_fd, buf, len);
		if (n < 0)
			return err_set(err, errno,
				       "cannot write to container "
				       "'%s'",
				       c->name);
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void ctr_close_input(struct ctr *c)
{
	close_fd(&c->ctl_fd);
}

int ctr_read_line(struct ctr *c, char *line, size_t size, int timeout_ms,
		  struct err *err)
{
	uint64_t deadline =
		timeout_ms < 0 ? 0 :
				 mono_ms() + (uint64_t)timeout_ms + !timeout_ms;
	char *nl;
	ssize_t n;
	size_t len;

	for (;;) {
		nl = c->inbuf ? memchr(c->inbuf, '\n', c->inlen) : NULL;
		if (c->inbuf && (nl || (c->out_fd < 0 && c->inlen))) {
			len = nl ? (size_t)(nl - c->inbuf) : c->inlen;
			if (size) {
				size_t k = len < size - 1 ? len : size - 1;

				memcpy(line, c->inbuf, k);
				line[k] = '\0';
			}
			len += nl ? 1 : 0;
			memmove(c->inbuf, c->inbuf + len, c->inlen - len);
			c->inlen -= len;
			return 1;
		}
		if (c->out_fd < 0)
			return 0;
		if (!wait_readable(c->out_fd, deadline))
			return err_set(err, 0,
				       "no output from container '%s' "
				       "for %d ms",
				       c->name, timeout_ms);
		xgrow((void **)&c->inbuf, &c->incap, c->inlen + 4096, 1);
		n = read(c->out_fd, c->inbuf + c->inlen, c->incap - c->inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, errno,
				       "cannot read from container "
				       "'%s'",
				       c->name);
		if (n == 0)
			close_fd(&c->out_fd);
		c->inlen += (size_t)n;
	}
}

int ctr_wait(struct ctr *c, int timeout_ms, int *status, struct err *err)
{
	uint64_t deadline =
		timeout_ms < 0 ? 0 : mono_ms() + (uint64_t)timeout_ms;
	pid_t rc;

	if (c->pid <= 0)
		return err_set(err, 0, "container '%s' was not started",
			       c->name);
	while (!c->reaped) {
		if (c->pidfd >= 0) {
			if (!wait_readable(c->pidfd, deadline ? deadline : 0) &&
			    deadline)
				goto timeout;
			reap(c);
			break;
		}
		rc = waitpid(c->pid, &c->status, WNOHANG);
		if (rc == c->pid) {
			c->reaped = true;
			break;
		}
		if (rc < 0 && errno != EINTR)
			return err_set(err, errno,
				       "cannot wait for container "
				       "'%s'",
				       c->name);
		if (deadline && mono_ms() >= deadline)
			goto timeout;
		usleep(5000);
	}
	if (status)
		*status = c->status;
	return 0;

timeout:
	return err_set(err, 0, "container '%s' still running after %d ms",
		       c->name, timeout_ms);
}

void ctr_kill(struct ctr *c)
{
	if (c->pid <= 0 || c->reaped)
		return;
	if (c->pidfd >= 0 &&
	    !syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0))
		return;
	kill(c->pid, SIGKILL);
}

void ctr_destroy(struct ctr *c)
{
	/* only a started container owns fds: a zeroed struct's 0s are the
	 * caller's stdin, not ours */
	if (c->pid > 0) {
		if (!c->reaped) {
			ctr_kill(c);
			reap(c);
		}
		close_fd(&c->go_fd);
		close_fd(&c->sync_fd);
		close_fd(&c->ctl_fd);
		close_fd(&c->out_fd);
		close_fd(&c->pidfd);
	}
	free(c->inbuf);
	c->inbuf = NULL;
	c->inlen = c->incap = 0;
	remove_state_dir(c);
}

bool ctr_status_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

const char *ctr_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)) ?
				 sigabbrev_np(WTERMSIG(status)) :
				 "?");
	else
		snprintf(buf, len, "ended with wait status %#x", status);
	return buf;
}

/* Removes <run dir>/<pid>/ctr-* dirs whose owner pid is dead. */
int ctr_cleanup_leftovers(unsigned *removed, struct err *err)
{
	char owner_dir[300], path[600];
	struct dirent *de, *sub;
	unsigned count = 0;
	DIR *d, *od;

	if (removed)
		*removed = 0;
	d = opendir(CTR_RUN_DIR);
	if (!d)
		return errno == ENOENT ? 0 :
					 err_set(err, errno, "cannot open '%s'",
						 CTR_RUN_DIR);
	while ((de = readdir(d))) {
		char *end;
		long owner = strtol(de->d_name, &end, 10);

		if (*end || owner <= 0 || owner == getpid() ||
		    !kill((pid_t)owner, 0) || errno != ESRCH)
			continue;
		snprintf(owner_dir, sizeof(owner_dir), "%s/%s", CTR_RUN_DIR,
			 de->d_name);
		od = opendir(owner_dir);
		if (od) {
			while ((sub = readdir(od))) {
				if (strncmp(sub->d_name, "ctr-", 4))
					continue;
				snprintf(path, sizeof(path), "%s/%s", owner_dir,
					 sub->d_name);
				if (!rmdir(path))
					count++;
			}
			closedir(od);
		}
		if (!rmdir(owner_dir))
			count++;
	}
	closedir(d);
	rmdir(CTR_RUN_DIR);
	if (removed)
		*removed = count;
	return 0;
}
