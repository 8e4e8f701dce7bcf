/* cfssim cleanup: remove what killed real runs left behind (their cgroups,
 * state files, network links and container state dirs), nothing else. */
#include <stdio.h>
#include <unistd.h>

#include "backend/janitor.h"
#include "backend/run.h"
#include "cli/cli.h"

int cmd_cleanup(const struct cli_opts *o)
{
	struct jan_options jo = {0};
	struct jan_report rep = {0};
	struct cg_mounts m;
	struct err err;
	char buf[1200];
	size_t i;
	int rc = EXIT_OK, lock_fd;
	bool waited;

	(void)o;
	if (geteuid() != 0) {
		fprintf(stderr, "cfssim: cleanup needs root (it removes "
				"cgroups and network links); run 'sudo cfssim "
				"cleanup'\n");
		return EXIT_NOREAL;
	}
	err_init(&err);
	/* never beside a run that is starting or running: its journal
	 * would be that of a live owner, but its links and cgroups may not
	 * be journaled yet */
	if (real_lock(JOURNAL_DIR, &lock_fd, &waited, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_FAIL;
	}
	if (waited)
		fprintf(stderr, "cfssim: waited for a real run to finish\n");
	jo.state_dir = JOURNAL_DIR;
	jo.mounts = cg_detect("/proc/self/mountinfo", "/proc/self/cgroup", &m,
			      &err) ?
			    NULL :
			    &m;
	jo.net = true;
	jo.self = getpid();
	if (jan_sweep(&jo, &rep, &err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	}
	for (i = 0; i < rep.n; i++)
		printf("cfssim: %s\n", rep.lines[i]);
	if (!rep.n && rc == EXIT_OK)
		printf("cfssim: nothing to clean up\n");
	jan_report_destroy(&rep);
	close(lock_fd);
	return rc;
}
