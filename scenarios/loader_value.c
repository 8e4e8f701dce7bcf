/* Values of the YAML scenario format: typed scalars read from nodes with
 * their ranges (durations, integers, booleans, strings, names), mappings
 * matched against their known keys, and the errors and warnings that name
 * a node's position (scenarios/loader_internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/xalloc.h"
#include "scenarios/loader_internal.h"
#include "scenarios/name.h"

int ld_fail(struct loader *ld, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ynode_verr(ld->err, ld->file, n, fmt, ap);
	va_end(ap);
	return rc;
}

void ld_warn(struct loader *ld, const struct ynode *n, const char *fmt, ...)
{
	struct scenario *sc = ld->sc;
	struct err *w;
	char msg[sizeof(w->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc->warnings = xrealloc(sc->warnings,
				(sc->nwarnings + 1) * sizeof(*sc->warnings));
	w = &sc->warnings[sc->nwarnings++];
	err_init(w);
	err_at(w, ld->file, n->line, n->col, "%s", msg);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal "I" or "I.F": *ip = I (*overflow when it does not fit), *fp = F
 * without trailing zeros and *fd its digits (19 when F has more significant
 * digits than a uint64_t holds).  Returns the end of the number, NULL when
 * s does not start with one. */
const char *ld_parse_decimal(const char *s, uint64_t *ip, uint64_t *fp,
			     unsigned *fd, bool *overflow)
{
	const char *p = s;
	const char *f, *fend;

	*ip = 0;
	*fp = 0;
	*fd = 0;
	*overflow = false;
	if (!is_digit(*p))
		return NULL;
	for (; is_digit(*p); p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (*overflow || *ip > (UINT64_MAX - d) / 10)
			*overflow = true;
		else
			*ip = *ip * 10 + d;
	}
	if (*p != '.')
		return p;
	f = ++p;
	if (!is_digit(*p))
		return NULL;
	while (is_digit(*p))
		p++;
	fend = p;
	while (fend > f && fend[-1] == '0')
		fend--;
	if (fend - f > 18) {
		*fd = 19;
		return p;
	}
	for (; f < fend; f++) {
		*fp = *fp * 10 + (uint64_t)(*f - '0');
		(*fd)++;
	}
	return p;
}

uint64_t ld_pow10(unsigned n)
{
	uint64_t v = 1;

	while (n--)
		v *= 10;
	return v;
}

int scenario_parse_duration(const char *s, uint64_t *ns, struct err *err)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{"ns", 1},
		{"us", NSEC_PER_USEC},
		{"ms", NSEC_PER_MSEC},
		{"s", NSEC_PER_SEC},
	};
	uint64_t ip, fp, unit = 0, frac;
	const char *end;
	bool overflow;
	unsigned fd;
	size_t i;

	end = ld_parse_decimal(s, &ip, &fp, &fd, &overflow);
	if (!end)
		return err_set(err, 0, "'%s' is not a duration", s);
	if (*end == '\0')
		return err_set(err, 0,
			       "duration '%s' needs a unit (ns, us, ms, s)", s);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].name) == 0)
			unit = units[i].ns;
	if (!unit)
		return err_set(
			err, 0,
			"duration '%s' has an unknown unit (ns, us, ms, s)", s);
	/* fp has no trailing zeros, so more than 9 digits is below 1 ns */
	if (fd > 9 || (fp * unit) % ld_pow10(fd) != 0)
		return err_set(err, 0, "duration '%s' is finer than 1ns", s);
	frac = fp * unit / ld_pow10(fd);
	if (overflow || ip > (UINT64_MAX - frac) / unit)
		return err_set(err, 0, "duration '%s' is too large", s);
	*ns = ip * unit + frac;
	return 0;
}

bool ld_is_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && n->text[0] == '\0';
}

int ld_get_string(struct loader *ld, const char *name, const struct ynode *n,
		  const char **out)
{
	*out = "";
	if (n->kind != Y_SCALAR)
		return ld_fail(ld, n, "'%s' must be a string", name);
	*out = n->text;
	return 0;
}

int ld_get_bool(struct loader *ld, const char *name, const struct ynode *n,
		bool *out)
{
	if (n->kind == Y_SCALAR && strcmp(n->text, "true") == 0)
		*out = true;
	else if (n->kind == Y_SCALAR && strcmp(n->text, "false") == 0)
		*out = false;
	else
		return ld_fail(ld, n, "'%s' must be true or false", name);
	return 0;
}

int ld_get_u64(struct loader *ld, const char *name, const struct ynode *n,
	       uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t ip, fp;
	const char *end = NULL;
	bool overflow;
	unsigned fd;

	if (n->kind == Y_SCALAR)
		end = ld_parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end || *end || strchr(n->text, '.'))
		return ld_fail(ld, n, "'%s' must be an integer", name);
	if (overflow || ip < min || ip > max)
		return ld_fail(ld, n, "'%s' must be between %llu and %llu",
			       name, (unsigned long long)min,
			       (unsigned long long)max);
	*out = ip;
	return 0;
}

/* Signed decimal integer in [min, max] (nice values). */
int ld_get_int(struct loader *ld, const char *name, const struct ynode *n,
	       int min, int max, int *out)
{
	const char *s = n->text;
	bool neg = false;
	long v = 0;

	if (n->kind != Y_SCALAR)
		goto bad;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!is_digit(*s))
		goto bad;
	for (; is_digit(*s); s++)
		if (v < 1000000) /* saturates far outside any range */
			v = v * 10 + (*s - '0');
	if (*s)
		goto bad;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return ld_fail(ld, n, "'%s' must be between %d and %d", name,
			       min, max);
	*out = (int)v;
	return 0;
bad:
	return ld_fail(ld, n, "'%s' must be an integer", name);
}

int ld_get_duration(struct loader *ld, const char *name, const struct ynode *n,
		    uint64_t min_ns, uint64_t max_ns, bool whole_us,
		    uint64_t *out)
{
	char lo[32], hi[32];
	struct err perr;
	uint64_t ns = 0;

	if (n->kind != Y_SCALAR)
		return ld_fail(ld, n, "'%s' must be a duration", name);
	err_init(&perr);
	if (scenario_parse_duration(n->text, &ns, &perr))
		return ld_fail(ld, n, "%s", perr.msg);
	if (ns < min_ns || ns > max_ns) {
		duration_format(min_ns, DURATION_WHOLE, lo, sizeof(lo));
		duration_format(max_ns, DURATION_WHOLE, hi, sizeof(hi));
		return ld_fail(ld, n, "'%s' must be between %s and %s", name,
			       lo, hi);
	}
	if (whole_us && ns % NSEC_PER_USEC)
		return ld_fail(ld, n,
			       "'%s' must be a whole number of microseconds",
			       name);
	*out = ns;
	return 0;
}

int ld_get_fields(struct loader *ld, const struct ynode *map, const char *what,
		  const char *const *keys, size_t nkeys, struct field *f)
{
	size_t i, j;

	memset(f, 0, nkeys * sizeof(*f));
	if (map->kind != Y_MAP)
		return ld_fail(ld, map, "'%s' must be a mapping", what);
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->items[i];
		const struct ynode *val = map->items[i + 1];

		if (key->kind != Y_SCALAR)
			return ld_fail(ld, key, "keys in %s must be strings",
				       what);
		for (j = 0; j < nkeys; j++)
			if (strcmp(key->text, keys[j]) == 0)
				break;
		if (j == nkeys && key->owner)
			return ld_fail(ld, key, "no key '%s' in %s", key->text,
				       key->owner);
		if (j == nkeys)
			return ld_fail(ld, key, "unknown key '%s' in %s",
				       key->text, what);
		if (f[j].key)
			return ld_fail(ld, key, "duplicate key '%s' in %s",
				       key->text, what);
		if (ld_is_null(val))
			return ld_fail(ld, key, "'%s' has no value", key->text);
		f[j].key = key;
		f[j].val = val;
	}
	return 0;
}

/* The later of two present keys, to blame the one that conflicts. */
const struct ynode *ld_later(const struct ynode *a, const struct ynode *b)
{
	if (a->line != b->line)
		return a->line > b->line ? a : b;
	return a->col > b->col ? a : b;
}

int ld_check_name(struct loader *ld, const char *what, const struct ynode *n)
{
	struct err perr;

	err_init(&perr);
	if (scenario_check_name(what, n->text, strlen(n->text), &perr))
		return ld_fail(ld, n, "%s", perr.msg);
	return 0;
}
