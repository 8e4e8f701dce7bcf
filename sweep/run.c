/* Running a sweep's points: worker processes fed one point at a time over
 * pipes, lines written by the parent alone. */
#include "sweep/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "sweep/figure.h"
#include "sweep/json.h"

/* ---- lines ----------------------------------------------------------------- */

/* Copies JSON text folding each newline and the indentation after it into
 * one space (strings never hold a raw newline). */
static size_t fold(char *dst, const char *src)
{
	size_t n = 0;

	while (*src) {
		if (*src == '\n') {
			while (*src == '\n' || *src == ' ')
				src++;
			dst[n++] = ' ';
			continue;
		}
		dst[n++] = *src++;
	}
	dst[n] = '\0';
	return n;
}

char *sweep_line(const struct sweep_grid *g, uint64_t id, const char *result,
		 size_t *len)
{
	char *params = NULL, *line;
	size_t plen = 0, n;
	FILE *f = open_memstream(&params, &plen);

	if (!f)
		abort();
	sweep_point_params_json(f, g, id);
	fclose(f);
	n = strlen(params) + strlen(result) + 256;
	line = xmalloc(n);
	snprintf(line, n,
		 "{\"id\": %" PRIu64 ", \"of\": %" PRIu64
		 ", \"sweep\": \"%016" PRIx64
		 "\", \"params\": %s, \"seed\": %" PRIu64 ", \"result\": ",
		 id, g->npoints, g->hash, params, sweep_point_seed(g, id));
	n = strlen(line);
	line = xrealloc(line, n + strlen(result) + 3);
	n += fold(line + n, result);
	line[n++] = '}';
	line[n++] = '\n';
	line[n] = '\0';
	*len = n;
	free(params);
	return line;
}

/* ---- CSV ------------------------------------------------------------------- */

struct csv_ctx {
	FILE *head, *row;
};

static void csv_cell(void *ctx, const char *name, double v)
{
	struct csv_ctx *c = ctx;

	fprintf(c->head, ",%s", name);
	fprintf(c->row, ",%.10g", v);
}

/* The header and row of one JSON line (the parsed point p). */
static int csv_of(const struct sweep_grid *g, const struct sweep_json *p,
		  char **header, char **row, struct err *err)
{
	const struct sweep_json *params = sweep_json_get(p, "params");
	const struct sweep_json *id = sweep_json_get(p, "id");
	const struct sweep_json *seed = sweep_json_get(p, "seed");
	struct csv_ctx c;
	size_t hl = 0, rl = 0, i;

	(void)g;
	if (!params || !id || !seed || params->kind != SWEEP_JSON_OBJ)
		return err_set(err, 0, "a point without id, seed or params");
	c.head = open_memstream(header, &hl);
	c.row = open_memstream(row, &rl);
	if (!c.head || !c.row)
		abort();
	fprintf(c.head, "id,seed");
	fprintf(c.row, "%s,%s", id->str, seed->str);
	for (i = 0; i < params->n; i++) {
		fprintf(c.head, ",%s", params->keys[i]);
		fprintf(c.row, ",%s",
			params->items[i]->kind == SWEEP_JSON_STR ?
				params->items[i]->str :
				"");
	}
	sweep_figure_headlines(sweep_json_get(p, "result"), csv_cell, &c);
	fputc('\n', c.head);
	fputc('\n', c.row);
	fclose(c.head);
	fclose(c.row);
	return 0;
}

/* ---- output ---------------------------------------------------------------- */

/* One write(2) per line: a kill leaves whole lines or a torn last one. */
static int write_line(int fd, const char *s, size_t len, struct err *err)
{
	ssize_t w = write(fd, s, len);

	while (w >= 0 && (size_t)w < len) {
		s += w;
		len -= (size_t)w;
		w = write(fd, s, len);
	}
	if (w < 0)
		return err_set(err, errno, "cannot write the results");
	return 0;
}

static int emit(struct sweep_run *r, uint64_t id, const char *result,
		struct err *err)
{
	struct sweep_json *p;
	char *line, *head = NULL, *row = NULL;
	size_t len;
	int rc;

	line = sweep_line(r->grid, id, result, &len);
	if (!r->csv) {
		rc = write_line(r->out_fd, line, len, err);
		free(line);
		return rc;
	}
	p = sweep_json_parse(line, len, err);
	free(line);
	if (!p)
		return -1;
	rc = csv_of(r->grid, p, &head, &row, err);
	sweep_json_free(p);
	if (rc == 0 && (!head || !row))
		rc = err_set(err, ENOMEM, "cannot build a CSV row");
	else if (rc == 0 && r->header && strcmp(r->header, head) != 0)
		rc = err_set(err, 0,
			     "the output's columns differ from this sweep's");
	if (rc || !head || !row) {
		free(head);
		free(row);
		return -1;
	}
	if (r->need_header) {
		if (write_line(r->out_fd, head, strlen(head), err)) {
			free(head);
			free(row);
			return -1;
		}
		r->need_header = false;
		r->header = head;
		head = NULL;
	}
	rc = write_line(r->out_fd, row, strlen(row), err);
	free(head);
	free(row);
	return rc;
}

/* ---- workers --------------------------------------------------------------- */

#define SWEEP_QUEUE 4 /* points queued per worker */

struct worker {
	pid_t pid;
	int cmd_fd; /* parent writes point ids */
	int res_fd; /* parent reads results */
	/* points sent and not answered yet, oldest first: a worker always
	 * has the next one queued, so it never waits for the parent */
	uint64_t ids[SWEEP_QUEUE];
	size_t nids;
};

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A worker: reads ids until EOF, answers each with status, length and
 * the result's JSON (or the error message). */
static void worker_main(struct sweep_run *r, int cmd_fd, int res_fd)
{
	uint64_t id;
	uint32_t hdr[2];
	char *json;
	struct err err;

	while (read_full(cmd_fd, &id, sizeof(id)) == 0) {
		err_init(&err);
		json = NULL;
		if (r->result(r->ctx, r->grid, id, &json, &err)) {
			char buf[1200];

			err_str(&err, buf, sizeof(buf));
			hdr[0] = 1;
			hdr[1] = (uint32_t)strlen(buf);
			if (write_full(res_fd, hdr, sizeof(hdr)) ||
			    write_full(res_fd, buf, hdr[1]))
				_exit(1);
			continue;
		}
		hdr[0] = 0;
		hdr[1] = (uint32_t)strlen(json);
		if (write_full(res_fd, hdr, sizeof(hdr)) ||
		    write_full(res_fd, json, hdr[1]))
			_exit(1);
		free(json);
	}
	_exit(0);
}

static void stop_workers(struct worker *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (w[i].cmd_fd >= 0)
			close(w[i].cmd_fd);
		if (w[i].res_fd >= 0)
			close(w[i].res_fd);
		w[i].cmd_fd = w[i].res_fd = -1;
	}
	for (i = 0; i < n; i++) {
		if (w[i].pid > 0) {
			kill(w[i].pid, SIGKILL);
			waitpid(w[i].pid, NULL, 0);
		}
		w[i].pid = 0;
	}
}

static int start_workers(struct sweep_run *r, struct worker *w, size_t n,
			 struct err *err)
{
	int cmd[2], res[2];
	size_t i, j;

	for (i = 0; i < n; i++)
		w[i].cmd_fd = w[i].res_fd = -1;
	for (i = 0; i < n; i++) {
		if (pipe2(cmd, O_CLOEXEC))
			return err_set(err, errno, "cannot make a pipe");
		if (pipe2(res, O_CLOEXEC)) {
			close(cmd[0]);
			close(cmd[1]);
			return err_set(err, errno, "cannot make a pipe");
		}
		fflush(NULL);
		w[i].pid = fork();
		if (w[i].pid < 0) {
			close(cmd[0]);
			close(cmd[1]);
			close(res[0]);
			close(res[1]);
			return err_set(err, errno, "cannot start a worker");
		}
		if (w[i].pid == 0) {
			/* a worker dies with the sweep that started it */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(1);
			for (j = 0; j < i; j++) {
				close(w[j].cmd_fd);
				close(w[j].res_fd);
			}
			close(cmd[1]);
			close(res[0]);
			close(r->out_fd);
			worker_main(r, cmd[0], res[1]);
		}
		close(cmd[0]);
		close(res[1]);
		w[i].cmd_fd = cmd[1];
		w[i].res_fd = res[0];
	}
	return 0;
}

/* Sends w points until it has its share of the queue: SWEEP_QUEUE, or
 * fewer near the end so that the last points spread over the workers. */
static int feed(struct worker *w, const uint64_t *todo, size_t n, size_t *next,
		size_t nw)
{
	size_t left, want;

	while (*next < n && w->nids < SWEEP_QUEUE) {
		left = n - *next;
		want = left / nw >= SWEEP_QUEUE ? SWEEP_QUEUE : 1;
		if (w->nids >= want)
			break;
		w->ids[w->nids] = todo[(*next)++];
		if (write_full(w->cmd_fd, &w->ids[w->nids], sizeof(*w->ids)))
			return -1;
		w->nids++;
	}
	return 0;
}

static int run_here(struct sweep_run *r, const uint64_t *todo, size_t n,
		    struct err *err)
{
	char *json;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		json = NULL;
		if (r->result(r->ctx, r->grid, todo[i], &json, err))
			return -1;
		rc = emit(r, todo[i], json, err);
		free(json);
		if (rc)
			return -1;
		if (r->progress)
			r->progress(r->ctx, i + 1, n);
	}
	return 0;
}

int sweep_run_points(struct sweep_run *r, const uint64_t *todo, size_t n,
		     struct err *err)
{
	size_t nw = r->jobs < n ? r->jobs : n, next = 0, done = 0, i;
	struct pollfd *pf;
	struct worker *w;
	void (*old_pipe)(int);
	int rc = 0;

	if (n == 0)
		return 0;
	if (nw <= 1)
		return run_here(r, todo, n, err);
	w = xcalloc(nw, sizeof(*w));
	pf = xcalloc(nw, sizeof(*pf));
	old_pipe = signal(SIGPIPE, SIG_IGN);
	if (start_workers(r, w, nw, err)) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < nw; i++) {
		if (feed(&w[i], todo, n, &next, nw)) {
			rc = err_set(err, errno, "cannot reach a worker");
			goto out;
		}
	}
	while (done < n) {
		for (i = 0; i < nw; i++) {
			pf[i].fd = w[i].nids ? w[i].res_fd : -1;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, nw, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = err_set(err, errno, "poll");
			goto out;
		}
		for (i = 0; i < nw && !rc; i++) {
			uint32_t hdr[2];
			char *msg;

			if (!pf[i].revents)
				continue;
			if (read_full(w[i].res_fd, hdr, sizeof(hdr))) {
				rc = err_set(err, 0,
					     "the worker running point %" PRIu64
					     " died",
					     w[i].ids[0]);
				break;
			}
			msg = xmalloc((size_t)hdr[1] + 1);
			if (read_full(w[i].res_fd, msg, hdr[1])) {
				free(msg);
				rc = err_set(err, 0,
					     "the worker running point %" PRIu64
					     " died",
					     w[i].ids[0]);
				break;
			}
			msg[hdr[1]] = '\0';
			if (hdr[0]) {
				rc = err_set(err, 0, "%s", msg);
				free(msg);
				break;
			}
			rc = emit(r, w[i].ids[0], msg, err);
			free(msg);
			if (rc)
				break;
			done++;
			if (r->progress)
				r->progress(r->ctx, done, n);
			memmove(w[i].ids, w[i].ids + 1,
				(w[i].nids - 1) * sizeof(*w[i].ids));
			w[i].nids--;
			if (feed(&w[i], todo, n, &next, nw))
				rc = err_set(err, errno,
					     "cannot reach a worker");
		}
		if (rc)
			goto out;
	}
out:
	stop_workers(w, nw);
	signal(SIGPIPE, old_pipe);
	free(w);
	free(pf);
	return rc;
}

/* ---- resume ---------------------------------------------------------------- */

static int scan_json_line(const struct sweep_grid *g, const char *line,
			  size_t len, size_t lineno, const char *path,
			  unsigned char *done, struct err *err)
{
	const struct sweep_json *id, *sw;
	struct sweep_json *p;
	char want[32];
	struct err e2;

	err_init(&e2);
	p = sweep_json_parse(line, len, &e2);
	id = sweep_json_get(p, "id");
	sw = sweep_json_get(p, "sweep");
	if (!p || !id || id->kind != SWEEP_JSON_NUM || !sw ||
	    sw->kind != SWEEP_JSON_STR) {
		sweep_json_free(p);
		return err_set(err, 0,
			       "'%s' line %zu is not a point of a sweep", path,
			       lineno);
	}
	snprintf(want, sizeof(want), "%016" PRIx64, g->hash);
	if (strcmp(sw->str, want) != 0 || id->num < 0 ||
	    id->num >= (double)g->npoints) {
		sweep_json_free(p);
		return err_set(err, 0,
			       "'%s' holds points of another sweep (line %zu): "
			       "the scenario or the grid differ; use another "
			       "output file",
			       path, lineno);
	}
	done[(uint64_t)id->num] = 1;
	sweep_json_free(p);
	return 0;
}

static int scan_csv_line(const struct sweep_grid *g, const char *line,
			 size_t lineno, const char *path, unsigned char *done,
			 struct err *err)
{
	char *end;
	unsigned long long id;

	errno = 0;
	id = strtoull(line, &end, 10);
	if (errno || end == line || *end != ',')
		return err_set(err, 0,
			       "'%s' line %zu is not a point of a sweep", path,
			       lineno);
	if (id >= g->npoints)
		return err_set(err, 0,
			       "'%s' holds points of another sweep (line %zu)",
			       path, lineno);
	done[id] = 1;
	return 0;
}

int sweep_output_scan(const char *path, const struct sweep_grid *g, bool csv,
		      unsigned char *done, char **header, struct err *err)
{
	char *buf = NULL, *p, *nl;
	size_t len = 0, cap = 0, lineno = 0;
	ssize_t n;
	int fd, rc = 0;

	*header = NULL;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ?
			       0 :
			       err_set(err, errno, "cannot open '%s'", path);
	for (;;) {
		xgrow((void **)&buf, &cap, len + 65536 + 1, 1);
		n = read(fd, buf + len, 65536);
		if (n < 0) {
			rc = err_set(err, errno, "cannot read '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	/* a line cut by a kill: drop it, its point runs again */
	if (len && buf[len - 1] != '\n') {
		p = memrchr(buf, '\n', len);
		len = p ? (size_t)(p - buf) + 1 : 0;
		if (ftruncate(fd, (off_t)len)) {
			rc = err_set(err, errno,
				     "cannot cut the torn last "
				     "line of '%s'",
				     path);
			goto out;
		}
		buf[len] = '\0';
	}
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		lineno++;
		if (csv && lineno == 1) {
			if (strncmp(p, "id,", 3) != 0) {
				rc = err_set(err, 0,
					     "'%s' is not a CSV of a sweep",
					     path);
				goto out;
			}
			*header = xmalloc(strlen(p) + 2);
			sprintf(*header, "%s\n", p);
			continue;
		}
		rc = csv ? scan_csv_line(g, p, lineno, path, done, err) :
			   scan_json_line(g, p, (size_t)(nl - p), lineno, path,
					  done, err);
		if (rc)
			goto out;
	}
out:
	if (rc) {
		free(*header);
		*header = NULL;
	}
	free(buf);
	close(fd);
	return rc;
}

/* ---- shards ---------------------------------------------------------------- */

static bool get_uint(const char *s, unsigned *v)
{
	char *end;
	unsigned long x;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || x > 1000000)
		return false;
	*v = (unsigned)x;
	return true;
}

int sweep_shard(const char *arg, unsigned *i, unsigned *n, const char **from,
		struct err *err)
{
	const char *id, *count, *min;
	unsigned lo = 0;
	char buf[32];
	char *slash;

	*i = 0;
	*n = 1;
	*from = NULL;
	if (arg) {
		*from = "--shard";
		snprintf(buf, sizeof(buf), "%s", arg);
		slash = strchr(buf, '/');
		if (slash)
			*slash = '\0';
		if (!slash || !get_uint(buf, i) || !get_uint(slash + 1, n) ||
		    *n == 0 || *i >= *n)
			return err_set(
				err, 0,
				"--shard '%s' must be I/N with 0 <= I < N",
				arg);
		return 0;
	}
	id = getenv("SLURM_ARRAY_TASK_ID");
	count = getenv("SLURM_ARRAY_TASK_COUNT");
	if (id && count) {
		*from = "SLURM_ARRAY_TASK_ID";
		min = getenv("SLURM_ARRAY_TASK_MIN");
		if (!get_uint(id, i) || !get_uint(count, n) || *n == 0 ||
		    (min && !get_uint(min, &lo)) || *i < lo || *i - lo >= *n)
			return err_set(err, 0,
				       "SLURM_ARRAY_TASK_ID '%s' does not fit "
				       "SLURM_ARRAY_TASK_COUNT '%s'",
				       id, count);
		*i -= lo;
		return 0;
	}
	id = getenv("JOB_COMPLETION_INDEX");
	if (id) {
		*from = "JOB_COMPLETION_INDEX";
		count = getenv("CFSSIM_SHARDS");
		if (!count)
			return err_set(err, 0,
				       "JOB_COMPLETION_INDEX is set but "
				       "CFSSIM_SHARDS (the number of shards) "
				       "is not");
		if (!get_uint(id, i) || !get_uint(count, n) || *n == 0 ||
		    *i >= *n)
			return err_set(err, 0,
				       "JOB_COMPLETION_INDEX '%s' does not fit "
				       "CFSSIM_SHARDS '%s'",
				       id, count);
	}
	return 0;
}
