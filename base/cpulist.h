/* CPU lists as the kernel writes them ("0", "0-1", "0,2-3") and their
 * masks: bit i set = CPU i, so at most 64 CPUs. */
#ifndef BASE_CPULIST_H
#define BASE_CPULIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Formats mask as a cpu list into buf (truncated to len); "" for 0.
 * Returns buf. */
const char *cpulist_format(uint64_t mask, char *buf, size_t len);

/* Parses all of s, a non-empty list of CPUs and ranges a-b (a <= b,
 * numbers below 10000) separated by single commas.  CPUs >= 64 are left
 * out of *mask and set *outside.  false when s is not such a list. */
bool cpulist_parse(const char *s, uint64_t *mask, bool *outside);

/* Parses a cpu list read from a kernel file: leading blanks are skipped and
 * the list ends at a newline, an empty list is mask 0, and CPUs >= 64 are refused:
 * "invalid cpu list '%s'". */
int cpulist_parse_file(const char *text, uint64_t *mask, struct err *err);

#endif
