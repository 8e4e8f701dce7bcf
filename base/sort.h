/* Sorting of unsigned 64-bit values, faster than qsort for the long
 * arrays of latencies a run records. */
#ifndef BASE_SORT_H
#define BASE_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending: a least-significant-digit radix sort, 11 bits
 * a pass, skipping the digits in which all values agree (latencies below
 * 8.6 s take at most 3 passes); insertion sort below 64 values. */
void sort_u64(uint64_t *v, size_t n);

#endif
