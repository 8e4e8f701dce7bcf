/* Error objects: a function that can fail returns 0 or -1 and fills the
 * caller's struct err (its last parameter).  The message is owned by the
 * struct; file/line/col locate scenario errors (line 0 = no location). */
#ifndef BASE_ERR_H
#define BASE_ERR_H

#include <stddef.h>

struct err {
	int code; /* errno, or 0 when the error is not a system one */
	int line; /* 1-based scenario position, 0 when none */
	int col;
	char file[256];
	char msg[768];
};

/* Clears *err (no error). */
void err_init(struct err *err);

/* Sets code and a printf-formatted message; always returns -1.  When code is
 * non-zero, ": strerror(code)" is appended. */
int err_set(struct err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like err_set, with a scenario position; never appends strerror. */
int err_at(struct err *err, const char *file, int line, int col,
	   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Formats the error as "file:line:col: msg" (or just "msg") into buf. */
const char *err_str(const struct err *err, char *buf, size_t len);

#endif
