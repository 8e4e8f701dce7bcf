/* Containers built by hand: one clone3 child per scenario group in new pid,
 * mount, uts, ipc, net and cgroup namespaces, on an overlay root, that execs
 * the workload program.  It stays paused until ctr_release, so the caller
 * can put it into cgroups and give it a veth first.  struct ctr owns the
 * child, its pipes and its host state dir under /run/cfssim/<owner pid>/. */
#ifndef BACKEND_CONTAINER_H
#define BACKEND_CONTAINER_H

/*
 * How the orchestrator (backend/run.c) uses this module, per group g:
 *
 *   struct ctr_config cfg;  struct ctr c;
 *   ctr_config_init(&cfg, group_name, image_dir);   (rootfs_locate())
 *   cfg.cgroup2_fd = fd of the group's cgroup2 leaf, or -1 (v1 only);
 *   net_slot_config(&net, slot, &cfg.net);           (optional network)
 *   ctr_start(&cfg, &c, err);        child exists, paused, c.pid is its host
 *                                    pid; c.in_cgroup2 says whether it was
 *                                    born in cfg.cgroup2_fd
 *   write c.pid to each v1 cgroup.procs (and to the cgroup2 leaf when
 *     !c.in_cgroup2);
 *   net_attach(&net, c.pid, slot, &link, err);
 *   spec = wlproto_format_spec(sc, g, seed, duration, 0);
 *   ctr_send(&c, spec, strlen(spec), err);   the workload's task list
 *                                    (wlproto.h); buffered in a pipe, so it
 *                                    may precede the release
 *   ctr_release(&c, err);            child mounts its root, configures its
 *                                    network, pivots and execs; returns when
 *                                    the exec succeeded, or -1 with the
 *                                    child's "step: strerror" message
 *   ctr_read_line(&c, line, size, timeout_ms, err)   until "ready
 *                                    <threads>" (wlproto_parse_line); the
 *                                    workload has calibrated its spin loop
 *                                    and its threads wait, so the CPU time
 *                                    spent on setup is behind us
 * then, once every container is ready: snapshot cgroup counters, pick
 * start = now(CLOCK_MONOTONIC) + a margin (10-50 ms), and for each
 *   ctr_send(&c, "start <start ns>\n", ...);
 * read the result lines with ctr_read_line until it returns 0 (EOF):
 * "thread ..." lines, then "done" (or "error <msg>"); then
 * ctr_wait(&c, timeout, &status, err) and check ctr_status_ok(status).
 * Results come only at the end, so that read's timeout must exceed the
 * duration; the output is a few lines (far below a pipe's 64 KiB), so the
 * containers can be read one after another.  Teardown: ctr_kill (on error
 * paths), ctr_destroy, net_detach, cgroup removal.  On any failure after ctr_start, ctr_destroy
 * alone kills, reaps and removes everything this module created.
 *
 * Any failure in the child before exec comes back from ctr_release as
 * "step: strerror(errno)" (e.g. "pivot_root: Invalid argument", "mount
 * overlay: No such file or directory"); a child that neither reports nor
 * execs within cfg.setup_timeout_ms gives "container 'NAME' setup timed out
 * after N ms".  A parent that dies kills its containers (PR_SET_PDEATHSIG on
 * the container init, which takes its whole pid namespace with it).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/net.h"
#include "base/err.h"

#define CTR_RUN_DIR	     "/run/cfssim" /* host state: <dir>/<owner pid>/ */
#define CTR_WORKLOAD_PATH    "/cfssim-workload" /* inside the image */
#define CTR_HOSTNAME_MAX     64
#define CTR_SETUP_TIMEOUT_MS 10000
#define CTR_MAX_ARGS	     16

struct ctr_config {
	const char *name;  /* group name; hostname once sanitised */
	const char *image; /* read-only lower dir (build/rootfs) */
	/* argv[0] is the program's path inside the image; NULL-terminated */
	const char *argv[CTR_MAX_ARGS + 1];
	int cgroup2_fd;		  /* for CLONE_INTO_CGROUP, -1 = none */
	struct net_if_config net; /* .enabled = false: only lo */
	uint64_t cpus_mask; /* sched_setaffinity before exec, 0 = inherit */
	int stderr_fd;	    /* the workload's stderr, -1 = inherit */
	unsigned setup_timeout_ms; /* 0 = CTR_SETUP_TIMEOUT_MS */
	size_t tmpfs_size;	   /* upper layer bytes, 0 = 16 MiB */
	/* A task sets a negative nice: the workload keeps CAP_SYS_NICE (and
	 * nothing else) when RLIMIT_NICE cannot be raised to allow it. */
	bool negative_nice;
};

struct ctr {
	pid_t pid;	  /* host pid of the container init */
	int pidfd;	  /* -1 when clone3/CLONE_PIDFD missing */
	bool in_cgroup2;  /* born in cfg.cgroup2_fd */
	bool used_clone3; /* false: clone() fallback was used */
	int go_fd;	  /* parent -> child "go", -1 once sent */
	int sync_fd;	  /* child -> parent setup errors */
	int ctl_fd;	  /* parent -> workload stdin */
	int out_fd;	  /* workload stdout -> parent */
	char name[CTR_HOSTNAME_MAX];
	char state_dir[128]; /* /run/cfssim/<owner>/ctr-<pid> */
	unsigned setup_timeout_ms;
	bool reaped;
	int status;  /* wait status once reaped */
	char *inbuf; /* ctr_read_line buffer, owned */
	size_t inlen, incap;
};

/* Defaults: argv = { CTR_WORKLOAD_PATH }, no cgroup fd, no network, no
 * pinning, inherited stderr.  name and image are borrowed. */
void ctr_config_init(struct ctr_config *cfg, const char *name,
		     const char *image);

/* Turns a group name into a hostname: [A-Za-z0-9-] kept, anything else
 * becomes '-', runs of '-' collapse, leading/trailing '-' dropped, at most
 * 63 characters, "group" when nothing is left.  out has CTR_HOSTNAME_MAX
 * bytes. */
void ctr_sanitize_hostname(const char *name, char *out);

/* Creates the paused container (clone3, falling back to clone on ENOSYS or
 * EPERM; CLONE_INTO_CGROUP only when cfg->cgroup2_fd >= 0, retried without
 * it when the kernel refuses).  Needs root: "containers need root".  On
 * failure nothing is left and *c is safe to ctr_destroy. */
int ctr_start(const struct ctr_config *cfg, struct ctr *c, struct err *err);

/* Lets the paused child set itself up and exec; waits (up to the setup
 * timeout) for the exec or the child's error report.  On error the child is
 * killed and reaped. */
int ctr_release(struct ctr *c, struct err *err);

/* What the child left on its setup pipe before EOF (len bytes of buf):
 * 0 = the marker it writes just before exec alone (it exec'd), 1 =
 * nothing (it died during its setup), -1 = its error report (or garbage),
 * in err. */
int ctr_setup_outcome(const char *name, const char *buf, size_t len,
		      struct err *err);

/* Writes len bytes to the workload's stdin.  A workload that is gone gives
 * "cannot write to container 'NAME': Broken pipe", never a SIGPIPE. */
int ctr_send(struct ctr *c, const char *buf, size_t len, struct err *err);
/* Closes the workload's stdin (it then sees EOF). */
void ctr_close_input(struct ctr *c);

/* Reads one line of the workload's stdout into line (without '\n').
 * Returns 1 with a line, 0 at end of output, -1 on error or timeout
 * ("no output from container 'NAME' for N ms"; timeout_ms < 0 = forever). */
int ctr_read_line(struct ctr *c, char *line, size_t size, int timeout_ms,
		  struct err *err);

/* Waits for the container init to exit and reaps it; *status is the wait
 * status.  "container 'NAME' still running after N ms" on timeout
 * (timeout_ms < 0 = forever). */
int ctr_wait(struct ctr *c, int timeout_ms, int *status, struct err *err);

/* SIGKILLs the container init (and so its whole pid namespace); safe to call
 * on an exited or never-started container. */
void ctr_kill(struct ctr *c);

/* Kills and reaps the child if still there, closes every fd and removes the
 * host state dir (and the owner dir when empty).  Accepts a zeroed struct
 * or one whose ctr_start failed. */
void ctr_destroy(struct ctr *c);

/* Janitor: removes the state dirs CTR_RUN_DIR/<pid>/ctr-* of dead owner
 * pids (mounts never reach the host, so these are empty directories).
 * *removed (may be NULL) counts the directories deleted. */
int ctr_cleanup_leftovers(unsigned *removed, struct err *err);

/* true when status is a normal exit with code 0. */
bool ctr_status_ok(int status);
/* "exited with status N" or "killed by signal N (NAME)" into buf. */
const char *ctr_status_str(int status, char *buf, size_t len);

#endif
