/* Allocation wrappers that abort on exhaustion, so callers never handle
 * out-of-memory.  Memory from these is released with free(). */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Grows *array (of *cap elements of elem_size) to hold at least need. */
void xgrow(void **array, size_t *cap, size_t need, size_t elem_size);

#endif
