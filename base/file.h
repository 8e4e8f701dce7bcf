/* Reading a whole file into memory. */
#ifndef BASE_FILE_H
#define BASE_FILE_H

#include <stddef.h>

#include "base/err.h"

/* Reads at most max bytes of path into a NUL-terminated buffer (free it);
 * *lenp gets the length.  NULL on error: "cannot open '%s'", "cannot read
 * '%s'" (err->code holds errno). */
char *file_read(const char *path, size_t max, size_t *lenp, struct err *err);

#endif
