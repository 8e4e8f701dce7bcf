/* Scenario loader: libyaml events are first built into a small tree of
 * nodes that remember their positions (aliases, anchors and tags are
 * refused there), then the tree is walked key by key into a struct
 * scenario.  Every check stops at the first error, which carries the
 * offending node's 1-based line and column. */
#include "base/cpulist.h"
#include "base/duration.h"
#include "scenarios/loader.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/xalloc.h"
#include "compare/compare.h"
#include "model/kernel.h"
#include "base/file.h"
#include "scenarios/rtapp.h"

#define LOADER_MAX_FILE	       ((size_t)1024 * 1024) /* bytes of YAML */
#define LOADER_MAX_YAML_DEPTH  64     /* nested YAML collections */
#define LOADER_MAX_GROUP_DEPTH 16     /* levels of groups */
#define LOADER_MAX_GROUPS      4096   /* groups of the whole scenario */
#define LOADER_MAX_COUNT       4096   /* threads of one task */
#define LOADER_MAX_THREADS     100000 /* threads of the whole scenario */
#define LOADER_MAX_NAME	       64     /* characters of a name */
#define LOADER_MAX_LEN_NS      (3600 * NSEC_PER_SEC) /* any length: 1 h */
#define LOADER_MAX_QUOTA_NS    (1000 * NSEC_PER_SEC)
#define LOADER_MAX_MILLI       1000000ULL /* 1000 CPUs */
#define LOADER_MAX_LOOP	       1000000000ULL
#define LOADER_MAX_ONLINE      4096
#define LOADER_MAX_REQUESTS    10000000ULL	   /* arrivals of one task */
#define LOADER_MAX_RATE_MILLI  (1000000ULL * 1000) /* 10^6 per second */
#define LOADER_MAX_BATCH       100000

/* kernel: BW_SHIFT, to_ratio() in kernel/sched/core.c */
#define BW_SHIFT 20

enum ykind { Y_SCALAR, Y_MAP, Y_SEQ };

/* One YAML node.  A map holds key, value, key, value ... in items. */
struct ynode {
	enum ykind kind;
	bool plain;	      /* Y_SCALAR written without quotes */
	int line, col;	      /* 1-based */
	char *text;	      /* Y_SCALAR, NUL-terminated, owned */
	struct ynode **items; /* Y_MAP, Y_SEQ: owned children */
	size_t n, cap;
	/* Nodes put there by an edit (scenario_load_edited): what messages
	 * name instead of a position ("--set 'web.quota=10ms'", not owned),
	 * and for a key what holds it ("group 'web'", owned). */
	const char *origin;
	char *owner;
};

struct loader {
	const char *file; /* name used in messages */
	struct scenario *sc;
	struct err *err;
	uint64_t threads; /* sum of task counts so far */
};

/* A known key of a mapping and where it was found (NULL = absent). */
struct field {
	const struct ynode *key;
	const struct ynode *val;
};

static int fail(struct loader *ld, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct loader *ld, const struct ynode *n, const char *fmt, ...)
{
	char msg[sizeof(ld->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n && n->origin)
		return err_at(ld->err, n->origin, 0, 0, "%s", msg);
	return err_at(ld->err, ld->file, n ? n->line : 1, n ? n->col : 1, "%s",
		      msg);
}

/* ---- the YAML tree ---------------------------------------------------- */

static struct ynode *ynode_new(enum ykind kind, yaml_mark_t mark)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (int)mark.line + 1;
	n->col = (int)mark.column + 1;
	return n;
}

static void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->text);
	free(n->owner);
	free(n);
}

static void ynode_append(struct ynode *parent, struct ynode *child)
{
	/* items holds pointers: the element size is a pointer's */
	xgrow((void **)&parent->items, &parent->cap, parent->n + 1,
	      sizeof(*parent->items)); /* NOLINT(bugprone-sizeof-expression) */
	parent->items[parent->n++] = child;
}

/* Line and column of a byte offset, for reader errors that have no mark. */
static void offset_position(const char *text, size_t len, size_t off, int *line,
			    int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int parser_error(struct loader *ld, const yaml_parser_t *p,
			const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	int line, col;

	if (p->error == YAML_READER_ERROR) {
		offset_position(text, len, p->problem_offset, &line, &col);
		return err_at(ld->err, ld->file, line, col, "invalid yaml: %s",
			      problem);
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column + 1;
	if (p->context)
		return err_at(ld->err, ld->file, line, col,
			      "invalid yaml: %s %s", problem, p->context);
	return err_at(ld->err, ld->file, line, col, "invalid yaml: %s",
		      problem);
}

/* Refuses what the tree does not model: anchors (and so aliases) and tags. */
static int check_props(struct loader *ld, const yaml_event_t *ev,
		       const yaml_char_t *anchor, const yaml_char_t *tag)
{
	struct ynode where = {
		.line = (int)ev->start_mark.line + 1,
		.col = (int)ev->start_mark.column + 1,
	};

	if (anchor)
		return fail(ld, &where, "anchors are not supported");
	if (tag)
		return fail(ld, &where, "tags are not supported");
	return 0;
}

/* Handles one event; returns 1 at the end of the stream, -1 on error. */
static int tree_event(struct loader *ld, const yaml_event_t *ev,
		      struct ynode **stack, size_t *depth, struct ynode **root,
		      int *docs)
{
	struct ynode *n = NULL;
	struct ynode where = {
		.line = (int)ev->start_mark.line + 1,
		.col = (int)ev->start_mark.column + 1,
	};

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return fail(
				ld, &where,
				"a scenario file must hold a single document");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(ld, &where, "aliases are not supported");
	case YAML_SCALAR_EVENT:
		if (check_props(ld, ev, ev->data.scalar.anchor,
				ev->data.scalar.tag))
			return -1;
		if (strlen((const char *)ev->data.scalar.value) !=
		    ev->data.scalar.length)
			return fail(ld, &where,
				    "strings must not hold NUL characters");
		n = ynode_new(Y_SCALAR, ev->start_mark);
		n->text = xstrdup((const char *)ev->data.scalar.value);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (check_props(ld, ev, ev->data.sequence_start.anchor,
				ev->data.sequence_start.tag))
			return -1;
		n = ynode_new(Y_SEQ, ev->start_mark);
		break;
	case YAML_MAPPING_START_EVENT:
		if (check_props(ld, ev, ev->data.mapping_start.anchor,
				ev->data.mapping_start.tag))
			return -1;
		n = ynode_new(Y_MAP, ev->start_mark);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (*depth > 0) /* libyaml balances them; stay safe */
			(*depth)--;
		return 0;
	default:
		return 0;
	}
	if (*depth > 0)
		ynode_append(stack[*depth - 1], n);
	else
		*root = n;
	if (n->kind != Y_SCALAR) {
		if (*depth == LOADER_MAX_YAML_DEPTH)
			return fail(ld, n, "yaml nested deeper than %d levels",
				    LOADER_MAX_YAML_DEPTH);
		stack[(*depth)++] = n;
	}
	return 0;
}

/* Parses text into *root (NULL for an empty stream). */
static int tree_build(struct loader *ld, const char *text, size_t len,
		      struct ynode **root)
{
	struct ynode *stack[LOADER_MAX_YAML_DEPTH] = {NULL};
	size_t depth = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	int docs = 0;
	int rc = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		return err_set(ld->err, ENOMEM, "cannot start the yaml parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(ld, &parser, text, len);
			break;
		}
		rc = tree_event(ld, &ev, stack, &depth, root, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc < 0) {
		ynode_free(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

/* ---- scalars ---------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal "I" or "I.F": *ip = I (*overflow when it does not fit), *fp = F
 * without trailing zeros and *fd its digits (19 when F has more significant
 * digits than a uint64_t holds).  Returns the end of the number, NULL when
 * s does not start with one. */
static const char *parse_decimal(const char *s, uint64_t *ip, uint64_t *fp,
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

static uint64_t pow10_u64(unsigned n)
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

	end = parse_decimal(s, &ip, &fp, &fd, &overflow);
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
	if (fd > 9 || (fp * unit) % pow10_u64(fd) != 0)
		return err_set(err, 0, "duration '%s' is finer than 1ns", s);
	frac = fp * unit / pow10_u64(fd);
	if (overflow || ip > (UINT64_MAX - frac) / unit)
		return err_set(err, 0, "duration '%s' is too large", s);
	*ns = ip * unit + frac;
	return 0;
}

/* A plain scalar that is empty is YAML's null: the key was left bare. */
static bool is_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && n->text[0] == '\0';
}

static int get_string(struct loader *ld, const char *name,
		      const struct ynode *n, const char **out)
{
	*out = "";
	if (n->kind != Y_SCALAR)
		return fail(ld, n, "'%s' must be a string", name);
	*out = n->text;
	return 0;
}

static int get_bool(struct loader *ld, const char *name, const struct ynode *n,
		    bool *out)
{
	if (n->kind == Y_SCALAR && strcmp(n->text, "true") == 0)
		*out = true;
	else if (n->kind == Y_SCALAR && strcmp(n->text, "false") == 0)
		*out = false;
	else
		return fail(ld, n, "'%s' must be true or false", name);
	return 0;
}

/* Unsigned decimal integer in [min, max]. */
static int get_u64(struct loader *ld, const char *name, const struct ynode *n,
		   uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t ip, fp;
	const char *end = NULL;
	bool overflow;
	unsigned fd;

	if (n->kind == Y_SCALAR)
		end = parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end || *end || strchr(n->text, '.'))
		return fail(ld, n, "'%s' must be an integer", name);
	if (overflow || ip < min || ip > max)
		return fail(ld, n, "'%s' must be between %llu and %llu", name,
			    (unsigned long long)min, (unsigned long long)max);
	*out = ip;
	return 0;
}

/* Signed decimal integer in [min, max] (nice values). */
static int get_int(struct loader *ld, const char *name, const struct ynode *n,
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
		return fail(ld, n, "'%s' must be between %d and %d", name, min,
			    max);
	*out = (int)v;
	return 0;
bad:
	return fail(ld, n, "'%s' must be an integer", name);
}

/* A duration in [min_ns, max_ns]; whole_us for values the kernel keeps in
 * microseconds (cpu.cfs_*_us, cpu.max, the bandwidth slice sysctl). */
static int get_duration(struct loader *ld, const char *name,
			const struct ynode *n, uint64_t min_ns, uint64_t max_ns,
			bool whole_us, uint64_t *out)
{
	char lo[32], hi[32];
	struct err perr;
	uint64_t ns = 0;

	if (n->kind != Y_SCALAR)
		return fail(ld, n, "'%s' must be a duration", name);
	err_init(&perr);
	if (scenario_parse_duration(n->text, &ns, &perr))
		return fail(ld, n, "%s", perr.msg);
	if (ns < min_ns || ns > max_ns) {
		duration_format(min_ns, DURATION_WHOLE, lo, sizeof(lo));
		duration_format(max_ns, DURATION_WHOLE, hi, sizeof(hi));
		return fail(ld, n, "'%s' must be between %s and %s", name, lo,
			    hi);
	}
	if (whole_us && ns % NSEC_PER_USEC)
		return fail(ld, n,
			    "'%s' must be a whole number of microseconds",
			    name);
	*out = ns;
	return 0;
}

/* ---- mappings --------------------------------------------------------- */

/* Matches the keys of map against keys[nkeys] into f[nkeys]; refuses
 * non-mappings, unknown and duplicate keys and bare (null) values. */
static int get_fields(struct loader *ld, const struct ynode *map,
		      const char *what, const char *const *keys, size_t nkeys,
		      struct field *f)
{
	size_t i, j;

	memset(f, 0, nkeys * sizeof(*f));
	if (map->kind != Y_MAP)
		return fail(ld, map, "'%s' must be a mapping", what);
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->items[i];
		const struct ynode *val = map->items[i + 1];

		if (key->kind != Y_SCALAR)
			return fail(ld, key, "keys in %s must be strings",
				    what);
		for (j = 0; j < nkeys; j++)
			if (strcmp(key->text, keys[j]) == 0)
				break;
		if (j == nkeys && key->owner)
			return fail(ld, key, "no key '%s' in %s", key->text,
				    key->owner);
		if (j == nkeys)
			return fail(ld, key, "unknown key '%s' in %s",
				    key->text, what);
		if (f[j].key)
			return fail(ld, key, "duplicate key '%s' in %s",
				    key->text, what);
		if (is_null(val))
			return fail(ld, key, "'%s' has no value", key->text);
		f[j].key = key;
		f[j].val = val;
	}
	return 0;
}

/* The later of two present keys, to blame the one that conflicts. */
static const struct ynode *later(const struct ynode *a, const struct ynode *b)
{
	if (a->line != b->line)
		return a->line > b->line ? a : b;
	return a->col > b->col ? a : b;
}

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_' || c == '.' || c == '-';
}

/* Names become directory names (cgroups) and report keys. */
static int check_name(struct loader *ld, const char *what,
		      const struct ynode *n)
{
	const char *s = n->text;
	size_t i;

	if (s[0] == '\0')
		return fail(ld, n, "%s name must not be empty", what);
	if (strlen(s) > LOADER_MAX_NAME)
		return fail(ld, n, "%s name '%s' is longer than %d characters",
			    what, s, LOADER_MAX_NAME);
	for (i = 0; s[i]; i++)
		if (!name_char_ok(s[i]))
			return fail(
				ld, n,
				"%s name '%s' may only hold letters, digits, '_', '.' and '-'",
				what, s);
	if (s[0] == '.')
		return fail(ld, n, "%s name '%s' must not start with '.'", what,
			    s);
	return 0;
}

/* Names the kernel gives files inside a cgroup directory: a group so named
 * would collide with them (mkdir fails with EEXIST, or worse, cfssim would
 * write the knobs of a file).  Every interface file is "cgroup.*" or
 * "<controller>.*", or one of v1's three bare names. */
bool scenario_cgroup_file_name(const char *s)
{
	static const char *const bare[] = {"tasks", "notify_on_release",
					   "release_agent"};
	static const char *const prefix[] = {
		"cgroup",     "cpu",	 "cpuacct", "cpuset",  "memory",
		"pids",	      "io",	 "blkio",   "hugetlb", "rdma",
		"misc",	      "devices", "freezer", "net_cls", "net_prio",
		"perf_event", "irq",	 "dmem"};
	const char *dot = strchr(s, '.');
	size_t i;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(s, bare[i]))
			return true;
	if (!dot)
		return false;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strlen(prefix[i]) == (size_t)(dot - s) &&
		    !strncmp(s, prefix[i], (size_t)(dot - s)))
			return true;
	return false;
}

/* ---- cpusets and millicores ------------------------------------------- */

/* Kubernetes CPU quantity: "500m" or CPUs "1.5" / 2, in millicores. */
static int get_milli(struct loader *ld, const char *name, const struct ynode *n,
		     uint64_t *out)
{
	uint64_t ip, fp, m;
	const char *end = NULL;
	bool overflow = false;
	unsigned fd;

	if (n->kind == Y_SCALAR)
		end = parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end)
		goto bad;
	if (overflow)
		ip = UINT64_MAX / 1000;
	if (end[0] == 'm' && end[1] == '\0') {
		if (strchr(n->text, '.'))
			goto bad;
		m = ip;
	} else if (*end == '\0') {
		if (fd > 3 || ip > LOADER_MAX_MILLI)
			goto bad;
		m = ip * 1000 + fp * pow10_u64(3 - fd);
	} else {
		goto bad;
	}
	if (m > LOADER_MAX_MILLI)
		return fail(ld, n, "'%s' must be at most 1000 CPUs", name);
	*out = m;
	return 0;
bad:
	return fail(ld, n,
		    "'%s' must be millicores like '500m' or CPUs like '1.5'",
		    name);
}

/* ---- warnings --------------------------------------------------------- */

static void warn(struct loader *ld, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records a warning at n's position in sc->warnings (the scenario stays
 * valid; the caller prints them). */
static void warn(struct loader *ld, const struct ynode *n, const char *fmt, ...)
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

/* A length in the largest unit that writes it whole ("25ms", "1500us"). */
static const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		uint64_t ns;
		const char *unit;
	} units[] = {{NSEC_PER_SEC, "s"},
		     {NSEC_PER_MSEC, "ms"},
		     {NSEC_PER_USEC, "us"},
		     {1, "ns"}};
	size_t i;

	for (i = 0; ns && ns % units[i].ns; i++)
		;
	snprintf(buf, len, "%llu%s", (unsigned long long)(ns / units[i].ns),
		 ns ? units[i].unit : "ns");
	return buf;
}

static const char *fmt_len_ns(const struct len_range *l, char *buf, size_t len)
{
	char a[32], b[32];

	if (l->min_ns == l->max_ns)
		return fmt_ns(l->min_ns, buf, len);
	snprintf(buf, len, "%s..%s", fmt_ns(l->min_ns, a, sizeof(a)),
		 fmt_ns(l->max_ns, b, sizeof(b)));
	return buf;
}

/* ---- workloads -------------------------------------------------------- */

/* A run or sleep length: a duration or {min: D, max: D}. */
static int get_len(struct loader *ld, const char *name, const struct ynode *n,
		   struct len_range *len)
{
	static const char *const keys[] = {"min", "max"};
	struct field f[2];

	if (n->kind == Y_SCALAR) {
		if (get_duration(ld, name, n, 0, LOADER_MAX_LEN_NS, false,
				 &len->min_ns))
			return -1;
		len->max_ns = len->min_ns;
		return 0;
	}
	if (n->kind != Y_MAP)
		return fail(ld, n, "'%s' must be a duration or {min, max}",
			    name);
	if (get_fields(ld, n, "range", keys, 2, f))
		return -1;
	if (!f[0].val || !f[1].val)
		return fail(ld, n, "'%s' needs 'min' and 'max'", name);
	if (get_duration(ld, "min", f[0].val, 0, LOADER_MAX_LEN_NS, false,
			 &len->min_ns) ||
	    get_duration(ld, "max", f[1].val, 0, LOADER_MAX_LEN_NS, false,
			 &len->max_ns))
		return -1;
	if (len->min_ns > len->max_ns)
		return fail(ld, f[1].val, "'min' must not exceed 'max'");
	return 0;
}

static struct wl_phase *phase_append(struct workload *wl, size_t *cap)
{
	xgrow((void **)&wl->phases, cap, wl->nphases + 1, sizeof(*wl->phases));
	memset(&wl->phases[wl->nphases], 0, sizeof(*wl->phases));
	return &wl->phases[wl->nphases++];
}

/* The least time one pass over phases[from, to) takes: runs, sleeps and
 * timer periods at their minimum, blocks times their loop. */
static uint64_t phases_min_ns(const struct workload *wl, size_t from, size_t to)
{
	uint64_t total = 0, inner;
	size_t i;

	for (i = from; i < to; i++) {
		const struct wl_phase *ph = &wl->phases[i];

		if (ph->kind == PHASE_BLOCK) {
			inner = phases_min_ns(wl, i + 1, i + 1 + ph->nchildren);
			total += inner * ph->loop;
			i += ph->nchildren;
		} else {
			total += ph->len.min_ns;
		}
	}
	return total;
}

enum {
	PH_RUN,
	PH_SLEEP,
	PH_TIMER,
	PH_REF,
	PH_MODE,
	PH_LOOP,
	PH_PHASES,
	PH_NKEYS
};

static int load_phase_list(struct loader *ld, const struct ynode *seq,
			   bool in_block, struct workload *wl, size_t *cap);

/* {timer: P, ref: NAME, mode: absolute|relative} */
static int load_timer(struct loader *ld, const struct ynode *p,
		      const struct field *f, struct wl_phase *ph,
		      struct workload *wl)
{
	const char *ref = "unique", *mode = "relative";
	long idx;

	ph->kind = PHASE_TIMER;
	if (get_duration(ld, "timer", f[PH_TIMER].val, NSEC_PER_USEC,
			 LOADER_MAX_LEN_NS, false, &ph->len.min_ns))
		return -1;
	ph->len.max_ns = ph->len.min_ns;
	if (f[PH_REF].val && (get_string(ld, "ref", f[PH_REF].val, &ref) ||
			      check_name(ld, "timer", f[PH_REF].val)))
		return -1;
	if (f[PH_MODE].val) {
		if (get_string(ld, "mode", f[PH_MODE].val, &mode))
			return -1;
		if (strcmp(mode, "absolute") && strcmp(mode, "relative"))
			return fail(
				ld, f[PH_MODE].val,
				"'mode' must be absolute or relative, not '%s'",
				mode);
	}
	ph->absolute = strcmp(mode, "absolute") == 0;
	idx = workload_timer(wl, ref);
	if (idx < 0)
		return fail(ld, f[PH_REF].val ? f[PH_REF].val : p,
			    "more than %d timers in one workload",
			    WL_MAX_TIMERS);
	ph->timer = (unsigned)idx;
	return 0;
}

static int load_phase(struct loader *ld, const struct ynode *p, bool in_block,
		      struct workload *wl, size_t *cap)
{
	static const char *const keys[PH_NKEYS] = {
		"run", "sleep", "timer", "ref", "mode", "loop", "phases",
	};
	struct field f[PH_NKEYS];
	struct wl_phase *ph;
	size_t at, i;

	if (p->kind != Y_MAP)
		return fail(ld, p, "a phase must be a mapping like {run: 2ms}");
	if (get_fields(ld, p, "phase", keys, PH_NKEYS, f))
		return -1;
	if (f[PH_TIMER].val) {
		for (i = 0; i < PH_NKEYS; i++)
			if (f[i].key && i != PH_TIMER && i != PH_REF &&
			    i != PH_MODE)
				return fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'timer'",
					keys[i]);
		return load_timer(ld, p, f, phase_append(wl, cap), wl);
	}
	for (i = PH_REF; i <= PH_MODE; i++)
		if (f[i].key)
			return fail(ld, f[i].key, "'%s' needs 'timer'",
				    keys[i]);
	if (f[PH_PHASES].val) {
		uint64_t loop = 1;

		if (in_block)
			return fail(ld, f[PH_PHASES].key,
				    "blocks of phases do not nest");
		if (f[PH_RUN].key || f[PH_SLEEP].key)
			return fail(ld,
				    f[PH_RUN].key ? f[PH_RUN].key :
						    f[PH_SLEEP].key,
				    "'%s' cannot be combined with 'phases'",
				    f[PH_RUN].key ? "run" : "sleep");
		if (f[PH_LOOP].val && get_u64(ld, "loop", f[PH_LOOP].val, 1,
					      LOADER_MAX_LOOP, &loop))
			return -1;
		if (loop == 1) /* once: the phases stand in the list */
			return load_phase_list(ld, f[PH_PHASES].val, true, wl,
					       cap);
		at = wl->nphases;
		ph = phase_append(wl, cap);
		ph->kind = PHASE_BLOCK;
		ph->loop = loop;
		if (load_phase_list(ld, f[PH_PHASES].val, true, wl, cap))
			return -1;
		wl->phases[at].nchildren = wl->nphases - at - 1;
		/* a long loop of empty phases would never let time pass */
		if (phases_min_ns(wl, at + 1, wl->nphases) < NSEC_PER_USEC &&
		    loop > 1)
			return fail(
				ld, f[PH_PHASES].val,
				"a repeated block must take at least 1us per loop");
		return 0;
	}
	if (f[PH_LOOP].key)
		return fail(ld, f[PH_LOOP].key, "'loop' needs 'phases'");
	if (p->n != 2)
		return fail(
			ld, p,
			"a phase must have exactly one key, 'run' or 'sleep'");
	ph = phase_append(wl, cap);
	ph->kind = f[PH_RUN].val ? PHASE_RUN : PHASE_SLEEP;
	return get_len(ld, keys[ph->kind == PHASE_RUN ? PH_RUN : PH_SLEEP],
		       f[PH_RUN].val ? f[PH_RUN].val : f[PH_SLEEP].val,
		       &ph->len);
}

static int load_phase_list(struct loader *ld, const struct ynode *seq,
			   bool in_block, struct workload *wl, size_t *cap)
{
	size_t i;

	if (seq->kind != Y_SEQ)
		return fail(ld, seq, "'phases' must be a list");
	if (seq->n == 0)
		return fail(ld, seq, "'phases' must not be empty");
	for (i = 0; i < seq->n; i++)
		if (load_phase(ld, seq->items[i], in_block, wl, cap))
			return -1;
	return 0;
}

static int load_phases(struct loader *ld, const struct ynode *seq,
		       struct workload *wl)
{
	size_t cap = 0;

	return load_phase_list(ld, seq, false, wl, &cap);
}

/* "200/s", "0.5/s" or "3/ms" in requests per 1000 s. */
static int get_rate(struct loader *ld, const struct ynode *n,
		    uint64_t *rate_milli)
{
	uint64_t ip, fp, per_s, milli;
	const char *end = NULL;
	bool overflow = false;
	unsigned fd = 0;

	if (n->kind == Y_SCALAR)
		end = parse_decimal(n->text, &ip, &fp, &fd, &overflow);
	if (!end)
		return fail(ld, n, "'rate' must be a rate like '200/s'");
	if (*end == '\0')
		return fail(ld, n, "rate '%s' needs a unit (/s or /ms)",
			    n->text);
	if (strcmp(end, "/s") == 0)
		per_s = 1;
	else if (strcmp(end, "/ms") == 0)
		per_s = 1000;
	else
		return fail(ld, n, "rate '%s' has an unknown unit (/s or /ms)",
			    n->text);
	if (fd > 3 && per_s == 1)
		return fail(ld, n, "rate '%s' is finer than 0.001/s", n->text);
	if (overflow || ip > LOADER_MAX_RATE_MILLI)
		goto range;
	milli = (ip * 1000 +
		 (fd <= 3 ? fp * pow10_u64(3 - fd) : fp / pow10_u64(fd - 3))) *
		per_s;
	if (!milli)
		return fail(ld, n, "'rate' must be positive");
	if (milli > LOADER_MAX_RATE_MILLI)
		goto range;
	*rate_milli = milli;
	return 0;
range:
	return fail(ld, n, "'rate' must be at most 1000000/s");
}

enum { SV_DIST, SV_MEAN, SV_SD, SV_NKEYS };

/* 'service': a duration (constant) or {dist, mean, sd}. */
static int load_service(struct loader *ld, const struct ynode *n,
			struct req_spec *rq)
{
	static const char *const keys[SV_NKEYS] = {"dist", "mean", "sd"};
	static const char *const dists[] = {"const", "exp", "lognormal"};
	struct field f[SV_NKEYS];
	size_t i;

	if (n->kind == Y_SCALAR) {
		rq->dist = DIST_CONST;
		return get_duration(ld, "service", n, NSEC_PER_USEC,
				    LOADER_MAX_LEN_NS, false,
				    &rq->service_mean_ns);
	}
	if (n->kind != Y_MAP)
		return fail(ld, n,
			    "'service' must be a duration or {dist, mean, sd}");
	if (get_fields(ld, n, "service", keys, SV_NKEYS, f))
		return -1;
	if (!f[SV_MEAN].val)
		return fail(ld, n, "'service' needs 'mean'");
	rq->dist = DIST_CONST;
	if (f[SV_DIST].val) {
		const struct ynode *d = f[SV_DIST].val;

		for (i = 0; i < 3; i++)
			if (d->kind == Y_SCALAR &&
			    strcmp(d->text, dists[i]) == 0)
				break;
		if (i == 3)
			return fail(
				ld, d,
				"unknown dist '%s' (const, exp or lognormal)",
				d->kind == Y_SCALAR ? d->text : "");
		rq->dist = (enum req_dist)i;
	}
	if (get_duration(ld, "mean", f[SV_MEAN].val, NSEC_PER_USEC,
			 LOADER_MAX_LEN_NS, false, &rq->service_mean_ns))
		return -1;
	if (rq->dist == DIST_LOGNORMAL) {
		if (!f[SV_SD].val)
			return fail(ld, n, "dist 'lognormal' needs 'sd'");
		return get_duration(ld, "sd", f[SV_SD].val, 0,
				    LOADER_MAX_LEN_NS, false,
				    &rq->service_sd_ns);
	}
	if (f[SV_SD].key)
		return fail(ld, f[SV_SD].key, "'sd' needs 'dist: lognormal'");
	return 0;
}

enum { RQ_RATE, RQ_ARRIVAL, RQ_BATCH, RQ_SERVICE, RQ_NKEYS };

/* 'batch: {size, every}' of arrival batch; every may come from the rate. */
static int load_batch(struct loader *ld, const struct ynode *n,
		      const struct field *rate, struct req_spec *rq)
{
	static const char *const keys[] = {"size", "every"};
	struct field f[2];
	uint64_t milli;

	if (get_fields(ld, n, "batch", keys, 2, f))
		return -1;
	if (!f[0].val)
		return fail(ld, n, "'batch' needs 'size'");
	if (get_u64(ld, "size", f[0].val, 1, LOADER_MAX_BATCH, &rq->batch_size))
		return -1;
	if (!f[1].val) {
		if (!rate->val)
			return fail(ld, n, "'batch' needs 'every' or a 'rate'");
		/* every = size / rate, to the nanosecond */
		rq->batch_every_ns =
			rq->batch_size * 1000 * NSEC_PER_SEC / rq->rate_milli;
		if (!rq->batch_every_ns)
			return fail(ld, rate->val,
				    "'rate' is too high for batches of %llu",
				    (unsigned long long)rq->batch_size);
		return 0;
	}
	if (get_duration(ld, "every", f[1].val, NSEC_PER_USEC,
			 LOADER_MAX_LEN_NS, false, &rq->batch_every_ns))
		return -1;
	milli = rq->batch_size * 1000 * NSEC_PER_SEC / rq->batch_every_ns;
	if (rate->val && milli != rq->rate_milli)
		return fail(ld, rate->val,
			    "'rate' disagrees with 'batch' (%llu every %s)",
			    (unsigned long long)rq->batch_size, f[1].val->text);
	if (!milli)
		return fail(
			ld, f[1].val,
			"'batch' gives less than 0.001 requests per second");
	rq->rate_milli = milli;
	return 0;
}

static int load_requests(struct loader *ld, const struct ynode *n,
			 struct workload *wl)
{
	static const char *const keys[RQ_NKEYS] = {"rate", "arrival", "batch",
						   "service"};
	static const char *const arrivals[] = {"poisson", "uniform", "batch"};
	struct req_spec *rq = &wl->req;
	struct field f[RQ_NKEYS];
	uint64_t span, expected;
	size_t i;

	if (get_fields(ld, n, "requests", keys, RQ_NKEYS, f))
		return -1;
	wl->kind = WL_REQUESTS;
	rq->arrival = ARRIVAL_POISSON;
	if (f[RQ_ARRIVAL].val) {
		const struct ynode *a = f[RQ_ARRIVAL].val;

		for (i = 0; i < 3; i++)
			if (a->kind == Y_SCALAR &&
			    strcmp(a->text, arrivals[i]) == 0)
				break;
		if (i == 3)
			return fail(
				ld, a,
				"unknown arrival '%s' (poisson, uniform or batch)",
				a->kind == Y_SCALAR ? a->text : "");
		rq->arrival = (enum req_arrival)i;
	}
	if (f[RQ_RATE].val && get_rate(ld, f[RQ_RATE].val, &rq->rate_milli))
		return -1;
	if (rq->arrival == ARRIVAL_BATCH) {
		if (!f[RQ_BATCH].val)
			return fail(ld, f[RQ_ARRIVAL].val,
				    "arrival 'batch' needs 'batch'");
		if (load_batch(ld, f[RQ_BATCH].val, &f[RQ_RATE], rq))
			return -1;
	} else {
		if (f[RQ_BATCH].key)
			return fail(ld, f[RQ_BATCH].key,
				    "'batch' needs 'arrival: batch'");
		if (!f[RQ_RATE].val)
			return fail(ld, n, "'requests' needs 'rate'");
	}
	if (!f[RQ_SERVICE].val)
		return fail(ld, n, "'requests' needs 'service'");
	if (load_service(ld, f[RQ_SERVICE].val, rq))
		return -1;
	if (rq->service_mean_ns >= ld->sc->duration_ns)
		return fail(ld, f[RQ_SERVICE].val,
			    "'service' must be shorter than the duration");
	/* arrivals over the run, bounded so that memory stays bounded */
	span = ld->sc->duration_ns > wl->start_ns ?
		       ld->sc->duration_ns - wl->start_ns :
		       0;
	/* ms times requests per 1000 s, over 10^6 */
	expected = span / NSEC_PER_MSEC * rq->rate_milli / 1000000;
	if (expected > LOADER_MAX_REQUESTS)
		return fail(ld, f[RQ_RATE].val ? f[RQ_RATE].val : n,
			    "'requests' would arrive more than %llu times",
			    (unsigned long long)LOADER_MAX_REQUESTS);
	return 0;
}

enum {
	WL_RUN,
	WL_PERIOD,
	WL_PHASES_K,
	WL_LOOP,
	WL_START,
	WL_REQUESTS_K,
	WL_NKEYS
};

static int load_workload(struct loader *ld, const struct ynode *n,
			 struct workload *wl)
{
	static const char *const keys[WL_NKEYS] = {
		"run", "period", "phases", "loop", "start", "requests"};
	struct field f[WL_NKEYS];
	uint64_t min_total = 0;
	size_t i;

	if (n->kind == Y_SCALAR) {
		if (strcmp(n->text, "hog") != 0)
			return fail(
				ld, n,
				"unknown workload '%s' (hog, {run, period}, {phases} or {requests})",
				n->text);
		wl->kind = WL_HOG;
		return 0;
	}
	if (n->kind != Y_MAP)
		return fail(ld, n, "'workload' must be 'hog' or a mapping");
	if (get_fields(ld, n, "workload", keys, WL_NKEYS, f))
		return -1;
	if (f[WL_START].val &&
	    get_duration(ld, "start", f[WL_START].val, 0, LOADER_MAX_LEN_NS,
			 false, &wl->start_ns))
		return -1;
	if (f[WL_REQUESTS_K].val) {
		for (i = WL_RUN; i <= WL_LOOP; i++)
			if (f[i].key)
				return fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'requests'",
					keys[i]);
		return load_requests(ld, f[WL_REQUESTS_K].val, wl);
	}
	if (f[WL_PHASES_K].val) {
		for (i = WL_RUN; i <= WL_PERIOD; i++)
			if (f[i].key)
				return fail(
					ld, f[i].key,
					"'%s' cannot be combined with 'phases'",
					keys[i]);
		wl->kind = WL_PHASES;
		if (load_phases(ld, f[WL_PHASES_K].val, wl))
			return -1;
		if (f[WL_LOOP].val && get_u64(ld, "loop", f[WL_LOOP].val, 0,
					      LOADER_MAX_LOOP, &wl->loop))
			return -1;
		min_total = phases_min_ns(wl, 0, wl->nphases);
		/* a forever loop of empty phases would never let time pass */
		if (wl->loop == 0 && min_total < NSEC_PER_USEC)
			return fail(
				ld, f[WL_PHASES_K].val,
				"phases repeated forever must take at least 1us per loop");
		return 0;
	}
	if (f[WL_LOOP].key)
		return fail(ld, f[WL_LOOP].key, "'loop' needs 'phases'");
	if (!f[WL_RUN].val && !f[WL_PERIOD].val) {
		wl->kind = WL_HOG; /* {start: D}: a hog that starts late */
		return 0;
	}
	if (!f[WL_RUN].val)
		return fail(ld, n, "periodic workload needs 'run'");
	if (!f[WL_PERIOD].val)
		return fail(ld, n, "periodic workload needs 'period'");
	wl->kind = WL_PERIODIC;
	if (get_len(ld, "run", f[WL_RUN].val, &wl->run))
		return -1;
	/* A thread that never runs would still wake every period: nothing a
	 * user means, so refused. */
	if (wl->run.max_ns == 0)
		return fail(ld, f[WL_RUN].val,
			    "'run' of a periodic workload must be more than 0");
	if (get_duration(ld, "period", f[WL_PERIOD].val, NSEC_PER_USEC,
			 LOADER_MAX_LEN_NS, false, &wl->period_ns))
		return -1;
	/* Longer than the period: valid (an overload, the thread runs again
	 * at once and falls behind), but rarely what was meant. */
	if (wl->run.max_ns > wl->period_ns) {
		char r[64], p[32];

		warn(ld, f[WL_RUN].val,
		     "'run' %s is longer than 'period' %s: the thread falls "
		     "behind its activations",
		     fmt_len_ns(&wl->run, r, sizeof(r)),
		     fmt_ns(wl->period_ns, p, sizeof(p)));
	}
	return 0;
}

/* ---- tasks and groups ------------------------------------------------- */

enum { T_NAME, T_COUNT, T_NICE, T_SLICE, T_WORKLOAD, T_NKEYS };

/* Custom slices (sched_setattr sched_runtime) arrived with the rest of
 * EEVDF in 6.12 (857b158dc5e8); the kernel clamps them to 0.1-100 ms. */
#define SLICE_MIN_NS (100 * NSEC_PER_USEC)
#define SLICE_MAX_NS (100 * NSEC_PER_MSEC)

/* The scenario names a kernel that lacks f (an unset version is the
 * host's, which is not judged here). */
static bool kernel_lacks(const struct kernel_spec *k, enum kernel_feature f)
{
	unsigned major, minor;

	return k->version[0] &&
	       !kernel_version_parse(k->version, &major, &minor) &&
	       !kernel_has(f, major, minor);
}

/* "'<key>' needs kernel X.Y or later (version '<version>')" */
static int fail_kernel(struct loader *ld, const struct ynode *n,
		       const char *key, enum kernel_feature f)
{
	struct kernel_version v = kernel_feature_since(f);

	return fail(ld, n, "'%s' needs kernel %u.%u or later (version '%s')",
		    key, v.major, v.minor, ld->sc->kernel.version);
}

/* An unset policy follows the version. */
static int check_slice_kernel(struct loader *ld, const struct ynode *n)
{
	const struct kernel_spec *k = &ld->sc->kernel;

	if (k->policy_set && k->policy == POLICY_CFS)
		return fail(ld, n, "'slice' needs the eevdf policy");
	if (kernel_lacks(k, KERNEL_CUSTOM_SLICE))
		return fail_kernel(ld, n, "slice", KERNEL_CUSTOM_SLICE);
	return 0;
}

static int load_task(struct loader *ld, const struct ynode *n, size_t group)
{
	static const char *const keys[T_NKEYS] = {"name", "count", "nice",
						  "slice", "workload"};
	struct field f[T_NKEYS];
	struct task_spec *t;
	const char *name;
	uint64_t count = 1, slice = 0;
	size_t i, idx;
	int nice = 0;

	if (n->kind != Y_MAP)
		return fail(ld, n, "a task must be a mapping");
	if (get_fields(ld, n, "task", keys, T_NKEYS, f))
		return -1;
	if (!f[T_NAME].val)
		return fail(ld, n, "task needs a 'name'");
	if (get_string(ld, "name", f[T_NAME].val, &name) ||
	    check_name(ld, "task", f[T_NAME].val))
		return -1;
	for (i = 0; i < ld->sc->ntasks; i++)
		if (ld->sc->tasks[i].group == group &&
		    strcmp(ld->sc->tasks[i].name, name) == 0)
			return fail(ld, f[T_NAME].val,
				    "duplicate task name '%s' in group '%s'",
				    name, ld->sc->groups[group].path);
	if (f[T_COUNT].val &&
	    get_u64(ld, "count", f[T_COUNT].val, 1, LOADER_MAX_COUNT, &count))
		return -1;
	ld->threads += count;
	if (ld->threads > LOADER_MAX_THREADS)
		return fail(ld, f[T_COUNT].val ? f[T_COUNT].val : n,
			    "more than %d tasks in total", LOADER_MAX_THREADS);
	if (f[T_NICE].val && get_int(ld, "nice", f[T_NICE].val, -20, 19, &nice))
		return -1;
	if (f[T_SLICE].val) {
		if (get_duration(ld, "slice", f[T_SLICE].val, SLICE_MIN_NS,
				 SLICE_MAX_NS, false, &slice))
			return -1;
		if (check_slice_kernel(ld, f[T_SLICE].val))
			return -1;
	}
	idx = scenario_add_task(ld->sc, group, name);
	t = &ld->sc->tasks[idx];
	t->count = (unsigned)count;
	t->nice = nice;
	t->slice_ns = slice;
	t->line = n->line;
	t->col = n->col;
	if (f[T_WORKLOAD].val)
		return load_workload(ld, f[T_WORKLOAD].val, &t->wl);
	return 0;
}

/* kernel: to_ratio(period, runtime) */
static uint64_t bw_ratio(uint64_t period_ns, uint64_t quota_ns)
{
	return (quota_ns << BW_SHIFT) / period_ns;
}

/* cgroup v1 refuses a limit above the nearest limited ancestor's. */
static int check_hier_quota(struct loader *ld, size_t idx,
			    const struct ynode *where)
{
	const struct group_spec *g = &ld->sc->groups[idx];
	long p;

	if (!g->has_quota)
		return 0;
	for (p = g->parent; p >= 0; p = ld->sc->groups[p].parent) {
		const struct group_spec *a = &ld->sc->groups[p];

		if (!a->has_quota)
			continue;
		if (bw_ratio(g->period_ns, g->quota_ns) >
		    bw_ratio(a->period_ns, a->quota_ns))
			return fail(
				ld, where,
				"'quota' per 'period' must not exceed the parent's (cgroup v1 refuses it)");
		break;
	}
	return 0;
}

enum {
	G_NAME,
	G_SHARES,
	G_WEIGHT,
	G_QUOTA,
	G_PERIOD,
	G_BURST,
	G_CPUS,
	G_TASKS,
	G_GROUPS,
	G_K8S,
	G_NKEYS
};

static int load_group(struct loader *ld, const struct ynode *n, long parent,
		      unsigned depth);

static int load_k8s(struct loader *ld, const struct field *f, size_t idx)
{
	static const char *const keys[] = {"request", "limit"};
	struct group_spec *g = &ld->sc->groups[idx];
	struct field k[2];
	size_t i;

	for (i = G_SHARES; i <= G_QUOTA; i++)
		if (f[i].key)
			return fail(ld, later(f[G_K8S].key, f[i].key),
				    "'k8s' cannot be combined with '%s'",
				    i == G_SHARES ? "shares" :
				    i == G_WEIGHT ? "weight" :
						    "quota");
	if (get_fields(ld, f[G_K8S].val, "k8s", keys, 2, k))
		return -1;
	g->k8s.set = true;
	if (k[0].val && get_milli(ld, "request", k[0].val, &g->k8s.request_m))
		return -1;
	if (k[1].val && get_milli(ld, "limit", k[1].val, &g->k8s.limit_m))
		return -1;
	if (g->k8s.limit_m && k[0].val && g->k8s.request_m > g->k8s.limit_m)
		return fail(ld, k[0].val, "'request' must not exceed 'limit'");
	/* the API server defaults a missing request to the limit, and the
	 * pod spec then holds it */
	if (!k[0].val)
		g->k8s.request_m = g->k8s.limit_m;
	g->shares = k8s_milli_to_shares(g->k8s.request_m);
	if (g->k8s.limit_m) {
		g->has_quota = true;
		g->quota_ns =
			k8s_milli_to_quota_ns(g->k8s.limit_m, g->period_ns);
	}
	return 0;
}

static int load_group_knobs(struct loader *ld, const struct field *f,
			    size_t idx)
{
	struct group_spec *g = &ld->sc->groups[idx];
	uint64_t v = 0, mask = 0;
	bool outside;
	char buf[256];

	if (f[G_SHARES].key && f[G_WEIGHT].key)
		return fail(ld, later(f[G_SHARES].key, f[G_WEIGHT].key),
			    "'shares' and 'weight' cannot both be given");
	if (f[G_SHARES].val) {
		if (get_u64(ld, "shares", f[G_SHARES].val, SHARES_MIN,
			    SHARES_MAX, &v))
			return -1;
		g->shares = (uint32_t)v;
	}
	if (f[G_WEIGHT].val) {
		if (get_u64(ld, "weight", f[G_WEIGHT].val, WEIGHT_MIN,
			    WEIGHT_MAX, &v))
			return -1;
		g->weight = (uint32_t)v;
		g->shares = weight_to_shares(g->weight);
	}
	if (f[G_PERIOD].val &&
	    get_duration(ld, "period", f[G_PERIOD].val, PERIOD_MIN_NS,
			 PERIOD_MAX_NS, true, &g->period_ns))
		return -1;
	if (f[G_QUOTA].val) {
		if (f[G_QUOTA].val->kind == Y_SCALAR &&
		    strcmp(f[G_QUOTA].val->text, "max") == 0) {
			g->has_quota = false;
		} else {
			if (get_duration(ld, "quota", f[G_QUOTA].val,
					 QUOTA_MIN_NS, LOADER_MAX_QUOTA_NS,
					 true, &g->quota_ns))
				return -1;
			g->has_quota = true;
		}
	}
	if (f[G_K8S].val && load_k8s(ld, f, idx))
		return -1;
	if (f[G_BURST].val) {
		if (get_duration(ld, "burst", f[G_BURST].val, 0,
				 LOADER_MAX_QUOTA_NS, true, &g->burst_ns))
			return -1;
		if (g->burst_ns && !g->has_quota)
			return fail(ld, f[G_BURST].val,
				    "'burst' needs a 'quota'");
		if (g->burst_ns > g->quota_ns)
			return fail(ld, f[G_BURST].val,
				    "'burst' must not exceed 'quota'");
		/* cpu.cfs_burst_us arrived in 5.14 */
		if (g->burst_ns && kernel_lacks(&ld->sc->kernel, KERNEL_BURST))
			return fail_kernel(ld, f[G_BURST].val, "burst",
					   KERNEL_BURST);
	}
	if (check_hier_quota(ld, idx,
			     f[G_QUOTA].val ? f[G_QUOTA].val : f[G_K8S].val))
		return -1;
	if (f[G_CPUS].val) {
		const struct ynode *c = f[G_CPUS].val;
		uint64_t all =
			ld->sc->cpus >= 64 ? ~0ULL : (1ULL << ld->sc->cpus) - 1;

		if (c->kind != Y_SCALAR ||
		    !cpulist_parse(c->text, &mask, &outside))
			return fail(
				ld, c,
				"'cpus' must be a list of CPUs like '0-1,3'");
		if (outside || (mask & ~all)) {
			cpulist_format(all, buf, sizeof(buf));
			return fail(
				ld, c,
				"cpuset '%s' is outside the scenario's CPUs '%s'",
				c->text, buf);
		}
		if (mask & ~g->cpus_mask) {
			cpulist_format(g->cpus_mask, buf, sizeof(buf));
			return fail(
				ld, c,
				"cpuset '%s' is outside the parent's CPUs '%s'",
				c->text, buf);
		}
		g->cpus_mask = mask;
		g->cpus_set = true;
	}
	return 0;
}

static int load_group(struct loader *ld, const struct ynode *n, long parent,
		      unsigned depth)
{
	static const char *const keys[G_NKEYS] = {
		"name",	 "shares", "weight", "quota",  "period",
		"burst", "cpus",   "tasks",  "groups", "k8s",
	};
	struct field f[G_NKEYS];
	const char *name;
	size_t i, idx;

	if (n->kind != Y_MAP)
		return fail(ld, n, "a group must be a mapping");
	if (depth >= LOADER_MAX_GROUP_DEPTH)
		return fail(ld, n, "groups nested deeper than %d levels",
			    LOADER_MAX_GROUP_DEPTH);
	if (get_fields(ld, n, "group", keys, G_NKEYS, f))
		return -1;
	if (!f[G_NAME].val)
		return fail(ld, n, "group needs a 'name'");
	if (get_string(ld, "name", f[G_NAME].val, &name) ||
	    check_name(ld, "group", f[G_NAME].val))
		return -1;
	if (scenario_cgroup_file_name(name))
		return fail(ld, f[G_NAME].val,
			    "group name '%s' is the name of a cgroup "
			    "interface file",
			    name);
	if (ld->sc->ngroups >= LOADER_MAX_GROUPS)
		return fail(ld, n, "more than %d groups in total",
			    LOADER_MAX_GROUPS);
	for (i = 0; i < ld->sc->ngroups; i++)
		if (ld->sc->groups[i].parent == parent &&
		    strcmp(ld->sc->groups[i].name, name) == 0)
			return fail(ld, f[G_NAME].val,
				    "duplicate group name '%s'", name);
	idx = scenario_add_group(ld->sc, parent, name);
	ld->sc->groups[idx].line = n->line;
	ld->sc->groups[idx].col = n->col;
	if (load_group_knobs(ld, f, idx))
		return -1;
	if (f[G_TASKS].val) {
		if (f[G_TASKS].val->kind != Y_SEQ)
			return fail(ld, f[G_TASKS].val,
				    "'tasks' must be a list");
		for (i = 0; i < f[G_TASKS].val->n; i++)
			if (load_task(ld, f[G_TASKS].val->items[i], idx))
				return -1;
	}
	if (f[G_GROUPS].val) {
		if (f[G_GROUPS].val->kind != Y_SEQ)
			return fail(ld, f[G_GROUPS].val,
				    "'groups' must be a list");
		for (i = 0; i < f[G_GROUPS].val->n; i++)
			if (load_group(ld, f[G_GROUPS].val->items[i], (long)idx,
				       depth + 1))
				return -1;
	}
	return 0;
}

/* ---- the scenario ----------------------------------------------------- */

enum { K_HZ, K_SLICE, K_ONLINE, K_POLICY, K_VERSION, K_BUSY, K_NKEYS };

static bool version_ok(const char *s)
{
	size_t a = strspn(s, "0123456789");
	size_t b;

	if (a < 1 || a > 3 || s[a] != '.')
		return false;
	b = strspn(s + a + 1, "0123456789");
	return b >= 1 && b <= 3 && s[a + 1 + b] == '\0';
}

static int load_kernel(struct loader *ld, const struct ynode *n)
{
	static const char *const keys[K_NKEYS] = {
		"hz",	  "bandwidth_slice", "online_cpus",
		"policy", "version",	     "busy_host",
	};
	struct kernel_spec *k = &ld->sc->kernel;
	struct field f[K_NKEYS];
	const char *s;
	uint64_t v = 0;

	if (get_fields(ld, n, "kernel", keys, K_NKEYS, f))
		return -1;
	if (f[K_HZ].val) {
		if (f[K_HZ].val->kind != Y_SCALAR ||
		    get_u64(ld, "hz", f[K_HZ].val, 0, UINT64_MAX, &v) ||
		    (v != 100 && v != 250 && v != 300 && v != 1000))
			return fail(ld, f[K_HZ].val,
				    "'hz' must be 100, 250, 300 or 1000");
		k->hz = (unsigned)v;
	}
	if (f[K_SLICE].val &&
	    get_duration(ld, "bandwidth_slice", f[K_SLICE].val, NSEC_PER_USEC,
			 NSEC_PER_SEC, true, &k->bandwidth_slice_ns))
		return -1;
	if (f[K_ONLINE].val) {
		if (get_u64(ld, "online_cpus", f[K_ONLINE].val, 1,
			    LOADER_MAX_ONLINE, &v))
			return -1;
		if (v < ld->sc->cpus)
			return fail(
				ld, f[K_ONLINE].val,
				"'online_cpus' must not be less than 'cpus'");
		k->online_cpus = (unsigned)v;
	}
	if (f[K_POLICY].val) {
		if (get_string(ld, "policy", f[K_POLICY].val, &s))
			return -1;
		if (strcmp(s, "cfs") == 0)
			k->policy = POLICY_CFS;
		else if (strcmp(s, "eevdf") == 0)
			k->policy = POLICY_EEVDF;
		else
			return fail(ld, f[K_POLICY].val,
				    "'policy' must be 'cfs' or 'eevdf'");
		k->policy_set = true;
	}
	if (f[K_VERSION].val) {
		if (get_string(ld, "version", f[K_VERSION].val, &s))
			return -1;
		if (!version_ok(s))
			return fail(ld, f[K_VERSION].val,
				    "'version' must look like '6.18'");
		snprintf(k->version, sizeof(k->version), "%s", s);
	}
	if (f[K_BUSY].val &&
	    get_bool(ld, "busy_host", f[K_BUSY].val, &k->busy_host))
		return -1;
	return 0;
}

/* A tolerance: "3%" or an absolute count (counters) or duration (times). */
static int get_tolerance(struct loader *ld, const char *name, bool is_time,
			 const struct ynode *n, struct tolerance *t)
{
	uint64_t ip, fp;
	const char *end;
	bool overflow;
	unsigned fd;

	if (n->kind == Y_SCALAR && n->text[0] &&
	    n->text[strlen(n->text) - 1] == '%') {
		end = parse_decimal(n->text, &ip, &fp, &fd, &overflow);
		if (!end || strcmp(end, "%") != 0 || fd > 9)
			return fail(ld, n,
				    "'%s' must be a percentage like '5%%'",
				    name);
		if (overflow || ip > 1000 || (ip == 1000 && fp))
			return fail(ld, n, "'%s' must be at most 1000%%", name);
		t->kind = TOL_REL;
		t->rel = (double)(ip * pow10_u64(fd) + fp) /
			 (double)(100 * pow10_u64(fd));
		return 0;
	}
	if (is_time) {
		if (n->kind != Y_SCALAR)
			return fail(
				ld, n,
				"'%s' must be a duration like '10ms' or a percentage like '5%%'",
				name);
		if (get_duration(ld, name, n, 0, LOADER_MAX_LEN_NS, false,
				 &t->abs))
			return -1;
	} else {
		end = NULL;
		if (n->kind == Y_SCALAR)
			end = parse_decimal(n->text, &ip, &fp, &fd, &overflow);
		if (!end || *end || strchr(n->text, '.') || overflow)
			return fail(
				ld, n,
				"'%s' must be a count like '2' or a percentage like '5%%'",
				name);
		t->abs = ip;
	}
	t->kind = TOL_ABS;
	return 0;
}

static int load_expect(struct loader *ld, const struct ynode *n)
{
	static const char *const keys[] = {
		"usage", "nr_periods", "nr_throttled", "throttled", "nr_bursts",
		"burst", "runtime",    "switches",     "wait",	    "latency",
	};
	static const bool is_time[] = {true, false, false, true, false,
				       true, true,  false, true, true};
	struct expect_spec *e = &ld->sc->expect;
	struct tolerance *tol[] = {
		&e->usage,     &e->nr_periods, &e->nr_throttled, &e->throttled,
		&e->nr_bursts, &e->burst,      &e->runtime,	 &e->switches,
		&e->wait,      &e->latency,
	};
	struct field f[10];
	size_t i;

	if (get_fields(ld, n, "expect", keys, 10, f))
		return -1;
	for (i = 0; i < 10; i++) {
		char msg[160];
		int key;

		if (!f[i].val)
			continue;
		if (get_tolerance(ld, keys[i], is_time[i], f[i].val, tol[i]))
			return -1;
		/* no scenario may allow more than the project's ceiling */
		key = cmp_figure_lookup(keys[i]);
		if (!cmp_within_ceiling(
			    keys[i],
			    key < 0 ? CMP_LATENCY :
				      cmp_figure((enum figure_key)key)->kind,
			    tol[i], ld->sc->kernel.hz, msg, sizeof(msg)))
			return fail(ld, f[i].val, "%s", msg);
	}
	return 0;
}

/* The index of the group at path, or -1. */
static long group_at(const struct scenario *sc, const char *path)
{
	size_t i;

	for (i = 0; i < sc->ngroups; i++)
		if (!strcmp(sc->groups[i].path, path))
			return (long)i;
	return -1;
}

/* One not_modelled entry in its long form, {reason: "...", groups: [path,
 * ...]}: the reason holds only for those groups and those below them. */
static int load_not_modelled_scoped(struct loader *ld, const char *key,
				    const struct ynode *n, const char **reason,
				    struct expect_spec *x, size_t fi)
{
	static const char *const keys[] = {"reason", "groups"};
	struct field f[2];
	const char *path;
	size_t i;

	if (get_fields(ld, n, key, keys, 2, f))
		return -1;
	if (!f[0].val || f[0].val->kind != Y_SCALAR || !f[0].val->text[0])
		return fail(ld, f[0].val ? f[0].val : n,
			    "'%s' needs the reason it is not modelled", key);
	*reason = f[0].val->text;
	if (!f[1].val)
		return 0;
	if (f[1].val->kind != Y_SEQ || !f[1].val->n)
		return fail(ld, f[1].val,
			    "'groups' of '%s' must be a list of group paths",
			    key);
	x->not_modelled_groups[fi] =
		xcalloc(f[1].val->n, sizeof(*x->not_modelled_groups[fi]));
	for (i = 0; i < f[1].val->n; i++) {
		if (get_string(ld, "groups", f[1].val->items[i], &path))
			return -1;
		if (group_at(ld->sc, path) < 0)
			return fail(ld, f[1].val->items[i],
				    "'%s' names no group '%s' (a path such as "
				    "'parent/child')",
				    key, path);
		x->not_modelled_groups[fi][x->not_modelled_ngroups[fi]++] =
			xstrdup(path);
	}
	return 0;
}

/* not_modelled: {figure: reason, ...}: figures the simulator does not
 * model, which compare shows but does not judge; a figure may also take
 * {reason: ..., groups: [...]} to leave the other groups judged.  Loaded
 * after the groups, whose paths it names. */
static int load_not_modelled(struct loader *ld, const struct ynode *n)
{
	struct expect_spec *x = &ld->sc->expect;
	const char *keys[FIG_NKEYS], *reason;
	struct field f[FIG_NKEYS];
	size_t i, k;

	for (i = 0; i < FIG_NKEYS; i++)
		keys[i] = cmp_figure((enum figure_key)i)->key;
	if (get_fields(ld, n, "not_modelled", keys, FIG_NKEYS, f))
		return -1;
	for (i = 0; i < FIG_NKEYS; i++) {
		if (!f[i].val)
			continue;
		for (k = 0; k < x->not_modelled_ngroups[i]; k++)
			free(x->not_modelled_groups[i][k]);
		free(x->not_modelled_groups[i]);
		x->not_modelled_groups[i] = NULL;
		x->not_modelled_ngroups[i] = 0;
		if (f[i].val->kind == Y_MAP) {
			if (load_not_modelled_scoped(ld, keys[i], f[i].val,
						     &reason, x, i))
				return -1;
		} else {
			if (f[i].val->kind != Y_SCALAR || !f[i].val->text[0])
				return fail(ld, f[i].val,
					    "'%s' needs the reason it is not "
					    "modelled",
					    keys[i]);
			if (get_string(ld, keys[i], f[i].val, &reason))
				return -1;
		}
		free(x->not_modelled[i]);
		x->not_modelled[i] = xstrdup(reason);
	}
	return 0;
}

enum {
	S_NAME,
	S_DURATION,
	S_CPUS,
	S_SEED,
	S_KERNEL,
	S_EXPECT,
	S_NOT_MODELLED,
	S_GROUPS,
	S_SWEEP,
	S_NKEYS
};

#define LOADER_MAX_SEEDS 100000

/* sweep: {PATH: VALUES, ..., seeds: K}; VALUES is a string in the syntax
 * of --set or a list of scalars.  Only the shape is checked here: the
 * sweep module parses paths and values and reports at these positions. */
static int load_sweep(struct loader *ld, const struct ynode *n)
{
	struct sweep_spec *sw = &ld->sc->sweep;
	size_t i, j;

	if (n->kind != Y_MAP)
		return fail(ld, n,
			    "'sweep' must be a mapping of paths to values");
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *key = n->items[i];
		const struct ynode *val = n->items[i + 1];
		struct sweep_axis_spec *ax;
		uint64_t seeds;
		size_t len = 0;

		if (key->kind != Y_SCALAR)
			return fail(ld, key, "keys in sweep must be strings");
		if (is_null(val))
			return fail(ld, key, "'%s' has no value", key->text);
		for (j = 0; j < sw->naxes; j++)
			if (strcmp(sw->axes[j].path, key->text) == 0)
				return fail(ld, key,
					    "duplicate key '%s' in sweep",
					    key->text);
		if (strcmp(key->text, "seeds") == 0) {
			if (sw->seeds)
				return fail(ld, key,
					    "duplicate key 'seeds' in sweep");
			if (get_u64(ld, "seeds", val, 1, LOADER_MAX_SEEDS,
				    &seeds))
				return -1;
			sw->seeds = (unsigned)seeds;
			continue;
		}
		if (val->kind == Y_MAP)
			return fail(
				ld, val,
				"'%s' must be values like '10ms,20ms' or a list",
				key->text);
		if (val->kind == Y_SEQ && val->n == 0)
			return fail(ld, val, "'%s' must not be an empty list",
				    key->text);
		for (j = 0; val->kind == Y_SEQ && j < val->n; j++) {
			if (val->items[j]->kind != Y_SCALAR ||
			    is_null(val->items[j]))
				return fail(ld, val->items[j],
					    "values of '%s' must be scalars",
					    key->text);
			len += strlen(val->items[j]->text) + 1;
		}
		sw->axes =
			xrealloc(sw->axes, (sw->naxes + 1) * sizeof(*sw->axes));
		ax = &sw->axes[sw->naxes++];
		memset(ax, 0, sizeof(*ax));
		ax->path = xstrdup(key->text);
		ax->line = val->line;
		ax->col = val->col;
		if (val->kind == Y_SCALAR) {
			ax->values = xstrdup(val->text);
			continue;
		}
		ax->values = xcalloc(1, len);
		for (j = 0; j < val->n; j++) {
			if (j)
				strcat(ax->values, ",");
			strcat(ax->values, val->items[j]->text);
		}
	}
	return 0;
}

static int load_scenario(struct loader *ld, const struct ynode *root)
{
	static const char *const keys[S_NKEYS] = {
		"name",	  "duration",	  "cpus",   "seed",  "kernel",
		"expect", "not_modelled", "groups", "sweep",
	};
	struct scenario *sc = ld->sc;
	struct field f[S_NKEYS];
	const char *name;
	uint64_t v = 0;
	size_t i;

	if (!root)
		return fail(ld, NULL, "scenario is empty");
	if (root->kind != Y_MAP)
		return fail(ld, root, "a scenario must be a mapping");
	if (get_fields(ld, root, "scenario", keys, S_NKEYS, f))
		return -1;
	if (f[S_NAME].val) {
		if (get_string(ld, "name", f[S_NAME].val, &name) ||
		    check_name(ld, "scenario", f[S_NAME].val))
			return -1;
		free(sc->name);
		sc->name = xstrdup(name);
	}
	if (!f[S_DURATION].val)
		return fail(ld, root, "'duration' is required");
	if (get_duration(ld, "duration", f[S_DURATION].val, 1,
			 LOADER_MAX_LEN_NS, false, &sc->duration_ns))
		return -1;
	if (f[S_CPUS].val) {
		if (get_u64(ld, "cpus", f[S_CPUS].val, 1, SIM_MAX_CPUS, &v))
			return -1;
		sc->cpus = (unsigned)v;
	}
	if (f[S_SEED].val &&
	    get_u64(ld, "seed", f[S_SEED].val, 0, UINT64_MAX, &sc->seed))
		return -1;
	if (f[S_KERNEL].val && load_kernel(ld, f[S_KERNEL].val))
		return -1;
	if (f[S_EXPECT].val && load_expect(ld, f[S_EXPECT].val))
		return -1;
	if (f[S_GROUPS].val) {
		if (f[S_GROUPS].val->kind != Y_SEQ)
			return fail(ld, f[S_GROUPS].val,
				    "'groups' must be a list");
		for (i = 0; i < f[S_GROUPS].val->n; i++)
			if (load_group(ld, f[S_GROUPS].val->items[i], -1, 0))
				return -1;
	}
	if (sc->ntasks == 0)
		return fail(ld, root, "scenario has no tasks");
	if (f[S_NOT_MODELLED].val &&
	    load_not_modelled(ld, f[S_NOT_MODELLED].val))
		return -1;
	if (f[S_SWEEP].val && load_sweep(ld, f[S_SWEEP].val))
		return -1;
	return 0;
}

/* The default scenario name: the file name without directory and
 * extension, made safe as a name. */
static char *default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name;
	size_t len, i;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	if (len > LOADER_MAX_NAME)
		len = LOADER_MAX_NAME;
	if (len == 0)
		return xstrdup("scenario");
	name = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		name[i] = name_char_ok(base[i]) ? base[i] : '_';
	name[len] = '\0';
	if (name[0] == '.')
		name[0] = '_';
	return name;
}

/* ---- edits ------------------------------------------------------------ */

/* The value of key in map, or NULL. */
static struct ynode *map_get(const struct ynode *map, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == Y_SCALAR &&
		    strcmp(map->items[i]->text, key) == 0)
			return map->items[i + 1];
	return NULL;
}

/* The mapping in seq whose 'name' is name, or NULL. */
static struct ynode *seq_find_named(const struct ynode *seq, const char *name)
{
	const struct ynode *v;
	size_t i;

	if (!seq || seq->kind != Y_SEQ)
		return NULL;
	for (i = 0; i < seq->n; i++) {
		if (seq->items[i]->kind != Y_MAP)
			continue;
		v = map_get(seq->items[i], "name");
		if (v && v->kind == Y_SCALAR && strcmp(v->text, name) == 0)
			return seq->items[i];
	}
	return NULL;
}

static struct ynode *edit_node(enum ykind kind, const struct scenario_edit *e,
			       const char *text)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = 1;
	n->col = 1;
	n->origin = e->origin;
	if (kind == Y_SCALAR) {
		n->text = xstrdup(text);
		n->plain = text[0] != '\0';
	}
	return n;
}

/* Sets key (one segment) of map to a new node; returns it. */
static struct ynode *map_put(struct ynode *map, const char *key,
			     struct ynode *val, const struct scenario_edit *e,
			     const char *owner)
{
	size_t i;
	struct ynode *k;

	for (i = 0; i + 1 < map->n; i += 2) {
		if (map->items[i]->kind == Y_SCALAR &&
		    strcmp(map->items[i]->text, key) == 0) {
			ynode_free(map->items[i + 1]);
			map->items[i + 1] = val;
			return val;
		}
	}
	k = edit_node(Y_SCALAR, e, key);
	k->owner = xstrdup(owner);
	ynode_append(map, k);
	ynode_append(map, val);
	return val;
}

/* Finds the group map of path ("a/b") below root; NULL with *err set. */
static struct ynode *edit_group(struct loader *ld, struct ynode *root,
				const struct scenario_edit *e)
{
	struct ynode *map = root;
	const char *seg = e->group, *slash;
	char name[LOADER_MAX_NAME + 1];
	struct ynode where = {.origin = e->origin};
	size_t len;

	for (;;) {
		slash = strchr(seg, '/');
		len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (len > LOADER_MAX_NAME)
			len = LOADER_MAX_NAME;
		memcpy(name, seg, len);
		name[len] = '\0';
		map = seq_find_named(map_get(map, "groups"), name);
		if (!map) {
			fail(ld, &where, "no group '%.*s'",
			     (int)(slash ? (size_t)(slash - e->group) :
					   strlen(e->group)),
			     e->group);
			return NULL;
		}
		if (!slash)
			return map;
		seg = slash + 1;
	}
}

/* Puts one edit into the tree: finds the group, task and nested mappings
 * the path names (creating missing mappings along the key), then sets the
 * last key.  Unknown keys are left for the loader, which then names the
 * edit ("no key 'qouta' in group 'web'"). */
static int apply_edit(struct loader *ld, struct ynode *root,
		      const struct scenario_edit *e)
{
	struct ynode where = {.origin = e->origin};
	struct ynode *map = root, *next;
	char owner[512], seg[128];
	const char *key = e->key, *dot;
	size_t len;

	if (!root || root->kind != Y_MAP)
		return 0; /* the loader reports the document itself */
	snprintf(owner, sizeof(owner), "the scenario");
	if (e->group) {
		map = edit_group(ld, root, e);
		if (!map)
			return -1;
		snprintf(owner, sizeof(owner), "group '%s'", e->group);
	}
	if (e->task) {
		map = seq_find_named(map_get(map, "tasks"), e->task);
		if (!map)
			return fail(ld, &where, "no task '%s' in group '%s'",
				    e->task, e->group);
		snprintf(owner, sizeof(owner), "task '%s:%s'", e->group,
			 e->task);
	}
	for (;;) {
		dot = strchr(key, '.');
		len = dot ? (size_t)(dot - key) : strlen(key);
		if (len == 0 || len >= sizeof(seg))
			return fail(ld, &where, "'%s' is not a key", e->key);
		memcpy(seg, key, len);
		seg[len] = '\0';
		if (!dot)
			break;
		next = map_get(map, seg);
		if (!next)
			next = map_put(map, seg, edit_node(Y_MAP, e, NULL), e,
				       owner);
		if (next->kind != Y_MAP)
			return fail(ld, &where, "'%.*s' of %s is not a mapping",
				    (int)(dot - e->key), e->key,
				    e->task || e->group ? owner + 0 : "it");
		map = next;
		snprintf(owner, sizeof(owner), "'%.*s' of %s",
			 (int)(dot - e->key), e->key,
			 e->task  ? "the task" :
			 e->group ? "the group" :
				    "the scenario");
		key = dot + 1;
	}
	map_put(map, seg, edit_node(Y_SCALAR, e, e->value), e, owner);
	return 0;
}

int scenario_load_string(const char *text, size_t len, const char *name,
			 struct scenario *sc, struct err *err)
{
	return scenario_load_edited(text, len, name, NULL, 0, sc, err);
}

int scenario_load_edited(const char *text, size_t len, const char *name,
			 const struct scenario_edit *edits, size_t nedits,
			 struct scenario *sc, struct err *err)
{
	struct loader ld = {.file = name, .sc = sc, .err = err};
	struct ynode *root = NULL;
	char *dname;
	size_t i;
	int rc;

	if (rtapp_is_file(name) && nedits) {
		/* edits name YAML keys: applied to nothing, they would be
		 * dropped without a word */
		memset(sc, 0, sizeof(*sc));
		return err_at(err, edits[0].origin, 0, 0,
			      "'%s' is an rt-app file, which takes no edits: "
			      "convert it with 'cfssim import' first",
			      name);
	}
	if (rtapp_is_file(name))
		return rtapp_load_string(text, len, name, sc, err);
	dname = default_name(name);
	scenario_init(sc, dname);
	free(dname);
	free(sc->file);
	sc->file = xstrdup(name);
	if (len > LOADER_MAX_FILE)
		rc = fail(&ld, NULL, "scenario is larger than 1 MiB");
	else
		rc = tree_build(&ld, text, len, &root);
	for (i = 0; rc == 0 && i < nedits; i++)
		rc = apply_edit(&ld, root, &edits[i]);
	if (rc == 0)
		rc = load_scenario(&ld, root);
	ynode_free(root);
	if (rc)
		scenario_destroy(sc);
	return rc;
}

int scenario_load_file(const char *path, struct scenario *sc, struct err *err)
{
	size_t len;
	char *buf;
	int rc;

	memset(sc, 0, sizeof(*sc));
	/* one byte past the limit is enough for the size check */
	buf = file_read(path, LOADER_MAX_FILE + 1, &len, err);
	if (!buf)
		return -1;
	rc = scenario_load_string(buf, len, path, sc, err);
	free(buf);
	return rc;
}
