/* Formatting durations. */
#include "base/duration.h"

#include <inttypes.h>
#include <stdio.h>

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{"h", 3600 * UINT64_C(1000000000)},
	{"s", UINT64_C(1000000000)},
	{"ms", UINT64_C(1000000)},
	{"us", UINT64_C(1000)},
	{"ns", 1},
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

static const char *format_whole(uint64_t ns, char *buf, size_t len)
{
	size_t i;

	if (ns == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	for (i = 0; i < NUNITS; i++)
		if (ns % units[i].ns == 0)
			break;
	snprintf(buf, len, "%" PRIu64 "%s", ns / units[i].ns, units[i].name);
	return buf;
}

static const char *format_decimal(uint64_t ns, char *buf, size_t len)
{
	size_t i;

	/* s, ms and us: no hours, and ns only below 1 us */
	for (i = 1; i + 1 < NUNITS; i++) {
		uint64_t u = units[i].ns, whole = ns / u, frac = ns % u;
		int digits;

		if (ns < u)
			continue;
		if (frac == 0) {
			snprintf(buf, len, "%" PRIu64 "%s", whole,
				 units[i].name);
			return buf;
		}
		for (digits = 0; u > 1; u /= 10)
			digits++;
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64 "%s", whole, digits,
			 frac, units[i].name);
		return buf;
	}
	snprintf(buf, len, ns ? "%" PRIu64 "ns" : "0", ns);
	return buf;
}

const char *duration_format(uint64_t ns, enum duration_style style, char *buf,
			    size_t len)
{
	return style == DURATION_WHOLE ? format_whole(ns, buf, len) :
					 format_decimal(ns, buf, len);
}
