/* Runs inside a test container in place of the workload (statically
 * linked, like it): prints what the process may do, one line each, for
 * tests/test_container.c to check:
 *   the Cap* and NoNewPrivs lines of /proc/self/status as they are;
 *   "write PATH: ERRNO" for files that must not be writable (0 = it was);
 *   "read PATH: N" for masked files (bytes read, -ERRNO on error);
 *   "list PATH: N" for masked directories (entries, -ERRNO on error);
 *   "end". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	printf("write %s: %s\n", path, fd < 0 ? strerrorname_np(errno) : "0");
	if (fd >= 0)
		close(fd);
}

static void try_read(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		printf("read %s: -%s\n", path, strerrorname_np(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf));
	printf("read %s: %zd\n", path, n);
	close(fd);
}

static void try_list(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	if (!d) {
		printf("list %s: -%s\n", path, strerrorname_np(errno));
		return;
	}
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	printf("list %s: %d\n", path, n);
}

int main(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "Cap", 3) ||
			    !strncmp(line, "NoNewPrivs", 10))
				fputs(line, stdout);
		fclose(f);
	}
	try_write("/proc/sys/kernel/hostname");
	try_write("/proc/sysrq-trigger");
	try_write("/proc/irq/default_smp_affinity");
	try_read("/proc/kcore");
	try_read("/proc/timer_list");
	try_read("/proc/keys");
	try_read("/proc/interrupts");
	try_list("/sys/firmware");
	puts("end");
	return 0;
}
