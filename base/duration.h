/* Durations for people: "1.5ms", "100ms", "1h".  The one formatter of
 * nanosecond counts in messages, check listings and reports. */
#ifndef BASE_DURATION_H
#define BASE_DURATION_H

#include <stddef.h>
#include <stdint.h>

enum duration_style {
	/* exact, in the largest of s, ms, us not above the value, with the
	 * decimals it needs ("1.5ms", "3.333333ms", "3s"); below 1 us in
	 * ns; 0 is "0" */
	DURATION_DECIMAL,
	/* a whole number of the largest of h, s, ms, us, ns that divides
	 * the value ("90s", "1500us"); 0 is "0s" */
	DURATION_WHOLE,
};

/* Formats ns into buf (truncated to len) and returns buf. */
const char *duration_format(uint64_t ns, enum duration_style style, char *buf,
			    size_t len);

#endif
