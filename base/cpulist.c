/* CPU lists and masks. */
#include "base/cpulist.h"

#include <stdio.h>
#include <string.h>

const char *cpulist_format(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;
	unsigned i = 0;

	buf[0] = '\0';
	while (i < 64) {
		unsigned j;

		if (!(mask >> i & 1)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 64 && (mask >> (j + 1) & 1); j++)
			;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off,
						j > i ? "%s%u-%u" : "%s%u",
						off ? "," : "", i, j);
		i = j + 1;
	}
	return buf;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* a decimal number below 10000 at *s, moving *s past it */
static bool parse_cpu(const char **s, unsigned long *cpu)
{
	const char *p = *s;

	if (!is_digit(*p))
		return false;
	for (*cpu = 0; is_digit(*p); p++)
		if ((*cpu = *cpu * 10 + (unsigned long)(*p - '0')) > 9999)
			return false;
	*s = p;
	return true;
}

bool cpulist_parse(const char *s, uint64_t *mask, bool *outside)
{
	*mask = 0;
	*outside = false;
	for (;;) {
		unsigned long a, b;

		if (!parse_cpu(&s, &a))
			return false;
		b = a;
		if (*s == '-') {
			s++;
			if (!parse_cpu(&s, &b) || b < a)
				return false;
		}
		for (; a <= b; a++) {
			if (a >= 64)
				*outside = true;
			else
				*mask |= 1ULL << a;
		}
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

int cpulist_parse_file(const char *text, uint64_t *mask, struct err *err)
{
	const char *p = text;
	char list[256];
	size_t n;
	bool outside;

	while (*p == ' ')
		p++;
	n = strcspn(p, "\n");
	*mask = 0;
	if (n == 0)
		return 0;
	if (n < sizeof(list)) {
		memcpy(list, p, n);
		list[n] = '\0';
		if (cpulist_parse(list, mask, &outside) && !outside)
			return 0;
	}
	n = strcspn(text, "\n");
	return err_set(err, 0, "invalid cpu list '%.*s'",
		       (int)(n > 60 ? 60 : n), text);
}
