/* Reading a whole file. */
#include "base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"

char *file_read(const char *path, size_t max, size_t *lenp, struct err *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 16384, len = 0, n;
	char *buf;

	if (!f) {
		err_set(err, errno, "cannot open '%s'", path);
		return NULL;
	}
	if (cap > max)
		cap = max;
	buf = xmalloc(cap + 1);
	while (len < max && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap && cap < max) {
			cap = cap > max / 2 ? max : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	if (ferror(f)) {
		err_set(err, errno ? errno : EIO, "cannot read '%s'", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}
