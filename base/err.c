#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_init(struct err *err)
{
	memset(err, 0, sizeof(*err));
}

int err_set(struct err *err, int code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return -1;
	err->code = code;
	err->line = 0;
	err->col = 0;
	err->file[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	if (code && n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
			 strerror(code));
	return -1;
}

int err_at(struct err *err, const char *file, int line, int col,
	   const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = 0;
	err->line = line;
	err->col = col;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

const char *err_str(const struct err *err, char *buf, size_t len)
{
	if (err->line > 0)
		snprintf(buf, len, "%s:%d:%d: %s", err->file, err->line,
			 err->col, err->msg);
	else if (err->file[0])
		snprintf(buf, len, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, len, "%s", err->msg);
	return buf;
}
