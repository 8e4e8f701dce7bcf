/* Merging shard outputs: every line is parsed for its id and sweep, kept
 * once, sorted and written out. */
#include "sweep/merge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "sweep/json.h"

struct mline {
	uint64_t id;
	char *text; /* with its newline */
	size_t len;
};

static int cmp_mline(const void *a, const void *b)
{
	const struct mline *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static char *slurp(const char *path, size_t *len, struct err *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f) {
		err_set(err, errno, "cannot open '%s'", path);
		return NULL;
	}
	for (;;) {
		xgrow((void **)&buf, &cap, *len + 65536 + 1, 1);
		n = fread(buf + *len, 1, 65536, f);
		*len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		err_set(err, EIO, "cannot read '%s'", path);
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static int add_lines(const char *path, const char *buf, size_t len,
		     struct mline **lines, size_t *nlines, size_t *cap,
		     char *sweep, struct sweep_merge_stats *st, struct err *err)
{
	const char *p = buf, *nl;
	size_t lineno = 0;

	while (p < buf + len) {
		const struct sweep_json *id, *of, *sw;
		struct sweep_json *j;
		struct err e2;

		nl = memchr(p, '\n', (size_t)(buf + len - p));
		lineno++;
		if (!nl) {
			st->torn++; /* a shard killed while writing */
			break;
		}
		err_init(&e2);
		j = sweep_json_parse(p, (size_t)(nl - p), &e2);
		id = sweep_json_get(j, "id");
		of = sweep_json_get(j, "of");
		sw = sweep_json_get(j, "sweep");
		if (!j || !id || !of || !sw || id->kind != SWEEP_JSON_NUM ||
		    of->kind != SWEEP_JSON_NUM || sw->kind != SWEEP_JSON_STR ||
		    strlen(sw->str) != 16 || id->num < 0 ||
		    id->num >= of->num) {
			sweep_json_free(j);
			return err_set(
				err, 0,
				"'%s' line %zu is not a point of a sweep", path,
				lineno);
		}
		if (!sweep[0]) {
			memcpy(sweep, sw->str, 17);
			st->points = (uint64_t)of->num;
		} else if (strcmp(sweep, sw->str) != 0 ||
			   st->points != (uint64_t)of->num) {
			sweep_json_free(j);
			return err_set(err, 0,
				       "'%s' line %zu is a point of another "
				       "sweep than the first shard's",
				       path, lineno);
		}
		xgrow((void **)lines, cap, *nlines + 1, sizeof(**lines));
		(*lines)[*nlines].id = (uint64_t)id->num;
		(*lines)[*nlines].text = (char *)p;
		(*lines)[*nlines].len = (size_t)(nl - p) + 1;
		(*nlines)++;
		sweep_json_free(j);
		p = nl + 1;
	}
	return 0;
}

int sweep_merge(const char *out, const char *const *shards, size_t n,
		struct sweep_merge_stats *st, struct err *err)
{
	char **bufs = xcalloc(n + 1, sizeof(*bufs));
	struct mline *lines = NULL;
	size_t nlines = 0, cap = 0, mcap = 0, i, len;
	char sweep[17] = "", *tmp = NULL;
	uint64_t want = 0;
	FILE *f = NULL;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n && !rc; i++) {
		bufs[i] = slurp(shards[i], &len, err);
		if (!bufs[i])
			rc = -1;
		else
			rc = add_lines(shards[i], bufs[i], len, &lines, &nlines,
				       &cap, sweep, st, err);
	}
	if (rc)
		goto out;
	if (!sweep[0]) {
		rc = err_set(err, 0, "the shards hold no points");
		goto out;
	}
	qsort(lines, nlines, sizeof(*lines), cmp_mline);
	tmp = xmalloc(strlen(out) + 32);
	sprintf(tmp, "%s.tmp%ld", out, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		rc = err_set(err, errno, "cannot create '%s'", tmp);
		goto out;
	}
	for (i = 0; i < nlines; i++) {
		if (i && lines[i].id == lines[i - 1].id) {
			st->duplicates++;
			continue;
		}
		for (; want < lines[i].id; want++) {
			xgrow((void **)&st->missing, &mcap, st->nmissing + 1,
			      sizeof(*st->missing));
			st->missing[st->nmissing++] = want;
		}
		want = lines[i].id + 1;
		fwrite(lines[i].text, 1, lines[i].len, f);
		st->written++;
	}
	for (; want < st->points; want++) {
		xgrow((void **)&st->missing, &mcap, st->nmissing + 1,
		      sizeof(*st->missing));
		st->missing[st->nmissing++] = want;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = err_set(err, errno, "cannot write '%s'", tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, out)) {
		rc = err_set(err, errno, "cannot rename '%s' to '%s'", tmp,
			     out);
		goto out;
	}
out:
	if (f)
		fclose(f);
	if (rc && tmp)
		unlink(tmp);
	free(tmp);
	for (i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(lines);
	return rc;
}

void sweep_format_ids(const uint64_t *ids, size_t n, char *buf, size_t len)
{
	size_t i = 0, j, used = 0;
	int w;

	buf[0] = '\0';
	while (i < n && used < len) {
		for (j = i; j + 1 < n && ids[j + 1] == ids[j] + 1; j++)
			;
		if (j == i)
			w = snprintf(buf + used, len - used, "%s%" PRIu64,
				     used ? ", " : "", ids[i]);
		else
			w = snprintf(buf + used, len - used,
				     "%s%" PRIu64 "-%" PRIu64, used ? ", " : "",
				     ids[i], ids[j]);
		if (w < 0 || (size_t)w >= len - used) {
			if (len > 4)
				strcpy(buf + len - 4, "...");
			return;
		}
		used += (size_t)w;
		i = j + 1;
	}
}
