/* The journal of a real run: a state file that lists what the run creates,
 * written before it creates it. */
#include "backend/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void journal_init(struct journal *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

uint64_t journal_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p)
		return 0;
	/* fields after comm start at 3 (state); starttime is field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &v) != 1)
		return 0;
	return v;
}

bool journal_owner_alive(pid_t pid, uint64_t starttime)
{
	if (pid <= 0)
		return false;
	if (kill(pid, 0) && errno == ESRCH)
		return false;
	if (starttime && journal_starttime(pid) != starttime)
		return false; /* the pid was reused by another process */
	return true;
}

uint64_t journal_pidns(pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", (long)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/pid");
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

bool journal_owner_gone(pid_t pid, uint64_t starttime, uint64_t pidns)
{
	if (pid <= 0)
		return false;
	if (pidns && pidns != journal_pidns(0))
		return false; /* its pid means another process here */
	return !journal_owner_alive(pid, starttime);
}

static int open_excl(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

int journal_open(struct journal *s, const char *dir, pid_t owner, bool fake,
		 struct err *err)
{
	unsigned long long start = journal_starttime(owner);
	char head[160];
	int n;

	journal_init(s);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return err_set(err, errno, "cannot create '%s'", dir);
	snprintf(s->path, sizeof(s->path), "%s/%ld-%llu.state", dir,
		 (long)owner, start);
	s->fd = open_excl(s->path);
	if (s->fd < 0 && errno == ENOENT) {
		/* another run's cleanup removed the empty dir meanwhile */
		mkdir(dir, 0755);
		s->fd = open_excl(s->path);
	}
	if (s->fd < 0) {
		/* EEXIST: another run's journal, never ours to truncate */
		err_set(err, errno, "cannot create '%s'", s->path);
		s->path[0] = '\0';
		return -1;
	}
	s->owner = owner;
	n = snprintf(head, sizeof(head),
		     JOURNAL_MAGIC "\nowner %ld %llu %llu\n%s", (long)owner,
		     start, (unsigned long long)journal_pidns(0),
		     fake ? "fake\n" : "");
	if (write(s->fd, head, (size_t)n) != n) {
		err_set(err, errno, "cannot write '%s'", s->path);
		journal_close(s, true);
		return -1;
	}
	return 0;
}

int journal_add(struct journal *s, const char *kind, const char *what,
		struct err *err)
{
	char line[JOURNAL_PATH_MAX + 64];
	int n;

	if (s->fd < 0)
		return 0;
	n = snprintf(line, sizeof(line), "%s %s\n", kind, what);
	if (n < 0 || (size_t)n >= sizeof(line))
		return err_set(err, 0, "state line too long: '%s %s'", kind,
			       what);
	if (write(s->fd, line, (size_t)n) != n)
		return err_set(err, errno, "cannot write '%s'", s->path);
	return 0;
}

void journal_close(struct journal *s, bool remove)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (remove && s->path[0])
		unlink(s->path);
}
