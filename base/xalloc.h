/* Allocation wrappers that abort on exhaustion, so callers never handle
 * out-of-memory.  Memory from these is released with free(). */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
/* xcalloc on an align-byte boundary (a power of two, a multiple of
 * sizeof(void *)) */
void *xcalloc_aligned(size_t nmemb, size_t size, size_t align);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Grows *array (of *cap elements of elem_size) to hold at least need. */
void xgrow(void **array, size_t *cap, size_t need, size_t elem_size);

#endif
