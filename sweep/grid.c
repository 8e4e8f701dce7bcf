/* The grid of a sweep: parsing paths and value lists, ordering values,
 * numbering points and loading the scenario of one point. */
#include "sweep/grid.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/xalloc.h"

#define SWEEP_MAX_FILE ((size_t)1024 * 1024 + 1)

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void sweep_grid_init(struct sweep_grid *g)
{
	memset(g, 0, sizeof(*g));
}

static void axis_destroy(struct sweep_axis *a)
{
	size_t i;

	for (i = 0; i < a->nvalues; i++)
		free(a->values[i]);
	free(a->values);
	free(a->path);
	free(a->group);
	free(a->task);
	free(a->key);
	free(a->origin.opt);
	free(a->origin.text);
	memset(a, 0, sizeof(*a));
}

void sweep_grid_destroy(struct sweep_grid *g)
{
	size_t i;

	for (i = 0; i < g->naxes; i++)
		axis_destroy(&g->axes[i]);
	for (i = 0; i < g->nfixed; i++) {
		free((char *)g->fixed[i].key);
		free((char *)g->fixed[i].value);
		free(g->fixed_origin[i]);
	}
	free(g->fixed);
	free(g->fixed_origin);
	free(g->axes);
	free(g->file);
	free(g->text);
	scenario_destroy(&g->base);
	memset(g, 0, sizeof(*g));
}

/* ---- values ------------------------------------------------------------ */

/* A value read as a number: a duration in ns, or a decimal with a unit
 * suffix ("4", "-5", "0.5", "500m", "200/s"). */
struct num {
	bool dur;
	uint64_t ns;
	double v;
	bool integer;
	long long iv;
	char suffix[16];
};

static bool parse_num(const char *s, struct num *n)
{
	struct err perr;
	const char *p = s;
	char *end;
	size_t len;

	memset(n, 0, sizeof(*n));
	err_init(&perr);
	if (scenario_parse_duration(s, &n->ns, &perr) == 0) {
		n->dur = true;
		n->v = (double)n->ns;
		return true;
	}
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	n->v = strtod(s, &end);
	if (errno || end == s)
		return false;
	n->integer = !memchr(s, '.', (size_t)(end - s)) &&
		     !memchr(s, 'e', (size_t)(end - s)) &&
		     !memchr(s, 'E', (size_t)(end - s));
	if (n->integer) {
		n->iv = strtoll(s, NULL, 10);
		if (errno)
			return false;
	}
	len = strlen(end);
	if (len >= sizeof(n->suffix))
		return false;
	for (p = end; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      *p == '%' || *p == '/'))
			return false;
	memcpy(n->suffix, end, len + 1);
	return true;
}

/* A value with its number parsed once (ok: it is one), for sorting. */
struct keyed {
	char *s;
	bool ok;
	struct num n;
};

static int keyed_cmp(const struct keyed *x, const struct keyed *y)
{
	if (x->ok && y->ok && x->n.dur == y->n.dur &&
	    strcmp(x->n.suffix, y->n.suffix) == 0) {
		if (x->n.dur)
			return x->n.ns < y->n.ns ? -1 : x->n.ns > y->n.ns;
		return x->n.v < y->n.v ? -1 : x->n.v > y->n.v;
	}
	return strverscmp(x->s, y->s);
}

static void keyed_set(struct keyed *k, const char *s)
{
	k->s = (char *)s;
	k->ok = parse_num(s, &k->n);
}

int sweep_value_cmp(const char *a, const char *b)
{
	struct keyed x, y;

	keyed_set(&x, a);
	keyed_set(&y, b);
	return keyed_cmp(&x, &y);
}

bool sweep_value_number(const char *s, double *v)
{
	struct num n;

	if (!parse_num(s, &n))
		return false;
	*v = n.v;
	return true;
}

static int cmp_keyed(const void *a, const void *b)
{
	return keyed_cmp(a, b);
}

static int cmp_versions(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

bool sweep_key_is_version(const char *key)
{
	size_t n = strlen(key);

	return n >= 7 && strcmp(key + n - 7, "version") == 0;
}

/* Kernel versions sort as versions ("6.2" < "6.18"), not decimals. */
static void sort_axis(struct sweep_axis *a)
{
	if (a->key && a->nvalues > 1 && sweep_key_is_version(a->key))
		qsort(a->values, a->nvalues, sizeof(*a->values), cmp_versions);
}

struct vlist {
	char **v;
	size_t n, cap;
};

static int vlist_push(struct vlist *l, const char *s, struct err *err)
{
	if (l->n >= SWEEP_MAX_VALUES)
		return err_set(err, 0, "more than %llu values",
			       (unsigned long long)SWEEP_MAX_VALUES);
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
	return 0;
}

static void vlist_free(struct vlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void format_num(const struct num *lo, double v, bool integer, char *buf,
		       size_t len)
{
	if (lo->dur)
		duration_format((uint64_t)llround(v), DURATION_WHOLE, buf, len);
	else if (integer)
		snprintf(buf, len, "%lld%s", (long long)llround(v), lo->suffix);
	else
		snprintf(buf, len, "%.10g%s", v, lo->suffix);
}

/* Splits "LO..HI/STEP" or "LO..HI*FACTOR" at the step: the rightmost '/'
 * or '*' after which a number follows ("100/s..500/s/100/s" steps by
 * "100/s"). */
static int split_range(const char *spec, const char *rest, struct num *hi,
		       struct num *step, char *op, struct err *err)
{
	char buf[128];
	size_t len = strlen(rest), i;

	if (len >= sizeof(buf))
		return err_set(err, 0, "range '%s' is too long", spec);
	*op = 0;
	for (i = len; i-- > 0;) {
		if (rest[i] != '/' && rest[i] != '*')
			continue;
		memcpy(buf, rest, i);
		buf[i] = '\0';
		if (parse_num(buf, hi) && parse_num(rest + i + 1, step)) {
			*op = rest[i];
			return 0;
		}
	}
	if (!parse_num(rest, hi))
		return err_set(err, 0, "'%s' is not a number or a duration",
			       rest);
	return 0;
}

static int parse_range(const char *spec, const char *dots,
		       uint64_t default_step_ns, struct vlist *out,
		       struct err *err)
{
	struct num lo = {0}, hi = {0}, step = {0};
	char buf[128], v[64];
	bool integer;
	double x;
	size_t n;
	char op = 0;

	if ((size_t)(dots - spec) >= sizeof(buf))
		return err_set(err, 0, "range '%s' is too long", spec);
	memcpy(buf, spec, (size_t)(dots - spec));
	buf[dots - spec] = '\0';
	if (!parse_num(buf, &lo))
		return err_set(err, 0, "'%s' is not a number or a duration",
			       buf);
	if (split_range(spec, dots + 2, &hi, &step, &op, err))
		return -1;
	if (lo.dur != hi.dur || strcmp(lo.suffix, hi.suffix))
		return err_set(err, 0,
			       "range '%s' mixes units: give both ends alike",
			       spec);
	if (hi.v < lo.v)
		return err_set(err, 0, "range '%s' runs backwards", spec);
	if (!op) {
		memset(&step, 0, sizeof(step));
		if (lo.dur && default_step_ns) {
			step.dur = true;
			step.ns = default_step_ns;
			step.v = (double)default_step_ns;
		} else if (!lo.dur && lo.integer && hi.integer) {
			step.integer = true;
			step.v = 1;
			step.iv = 1;
		} else {
			return err_set(err, 0,
				       "range '%s' needs a step ('/STEP') or a "
				       "factor ('*FACTOR')",
				       spec);
		}
		op = '/';
	}
	if (op == '/') {
		if (lo.dur != step.dur || (!lo.dur && step.suffix[0] &&
					   strcmp(step.suffix, lo.suffix)))
			return err_set(
				err, 0,
				"the step of '%s' must be in the range's "
				"unit",
				spec);
		if (step.v <= 0)
			return err_set(err, 0,
				       "the step of '%s' must be "
				       "positive",
				       spec);
		integer = lo.dur || (lo.integer && hi.integer && step.integer);
		if ((hi.v - lo.v) / step.v >= (double)SWEEP_MAX_VALUES)
			return err_set(err, 0,
				       "range '%s' has more than %llu "
				       "values",
				       spec,
				       (unsigned long long)SWEEP_MAX_VALUES);
		for (n = 0;; n++) {
			x = lo.v + (double)n * step.v;
			if (x > hi.v + step.v * 1e-9)
				break;
			format_num(&lo, x, integer, v, sizeof(v));
			if (vlist_push(out, v, err))
				return -1;
		}
		return 0;
	}
	if (step.dur || step.suffix[0] || step.v <= 1)
		return err_set(err, 0,
			       "the factor of '%s' must be a number "
			       "above 1",
			       spec);
	if (lo.v <= 0)
		return err_set(err, 0,
			       "a geometric range like '%s' must start "
			       "above 0",
			       spec);
	integer = lo.dur || (lo.integer && step.integer);
	for (n = 0;; n++) {
		x = lo.v * pow(step.v, (double)n);
		if (x > hi.v * (1 + 1e-12))
			break;
		format_num(&lo, x, integer, v, sizeof(v));
		if (vlist_push(out, v, err))
			return -1;
	}
	return 0;
}

int sweep_values_parse(const char *spec, uint64_t default_step_ns,
		       char ***values, size_t *nvalues, struct err *err)
{
	struct vlist l = {0};
	struct keyed *k;
	const char *p = spec, *comma, *dots;
	char item[256];
	size_t len, i, j;

	*values = NULL;
	*nvalues = 0;
	if (!*spec)
		return err_set(err, 0, "no values");
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(item)) {
			vlist_free(&l);
			return err_set(err, 0,
				       len ? "value too long" :
					     "empty value in '%s'",
				       spec);
		}
		memcpy(item, p, len);
		item[len] = '\0';
		dots = strstr(item, "..");
		if (dots ? parse_range(item, dots, default_step_ns, &l, err) :
			   vlist_push(&l, item, err)) {
			vlist_free(&l);
			return -1;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	/* each value parsed once: a range makes up to SWEEP_MAX_VALUES, and
	 * sorting them by sweep_value_cmp, which parses both values of every
	 * comparison, took seconds (under ASan, a fuzzer's timeout) */
	k = xcalloc(l.n + 1, sizeof(*k));
	for (i = 0; i < l.n; i++)
		keyed_set(&k[i], l.v[i]);
	for (i = 1; i < l.n && keyed_cmp(&k[i - 1], &k[i]) <= 0; i++)
		;
	if (i < l.n) /* a range alone comes out sorted */
		qsort(k, l.n, sizeof(*k), cmp_keyed);
	for (i = j = 0; i < l.n; i++) {
		if (j && keyed_cmp(&k[j - 1], &k[i]) == 0) {
			free(k[i].s);
			continue;
		}
		k[j++] = k[i];
	}
	for (i = 0; i < j; i++)
		l.v[i] = k[i].s;
	free(k);
	*values = l.v;
	*nvalues = j;
	return 0;
}

/* ---- paths -------------------------------------------------------------- */

static bool has_task(const struct scenario *sc, long group, const char *name,
		     size_t len)
{
	size_t i;

	for (i = 0; i < sc->ntasks; i++)
		if ((long)sc->tasks[i].group == group &&
		    strlen(sc->tasks[i].name) == len &&
		    strncmp(sc->tasks[i].name, name, len) == 0)
			return true;
	return false;
}

static bool prefix_is_group(const struct scenario *sc, const char *s,
			    size_t len)
{
	char buf[1024];

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return scenario_find_group(sc, buf) >= 0;
}

int sweep_path_split(const struct scenario *sc, const char *path, char **group,
		     char **task, char **key, struct err *err)
{
	static const char *const blocks[] = {"kernel", "expect", "sweep"};
	const char *colon = strchr(path, ':');
	const char *dot, *rest;
	size_t glen, i;
	long gi;

	*group = *task = *key = NULL;
	if (!*path)
		return err_set(err, 0, "empty path");
	if (colon) {
		glen = (size_t)(colon - path);
		if (glen == 0)
			return err_set(err, 0, "'%s' has no group before ':'",
				       path);
		*group = xstrndup(path, glen);
		gi = scenario_find_group(sc, *group);
		rest = colon + 1;
		dot = strchr(rest, '.');
		/* task names may hold '.': take the split naming a task */
		while (dot && gi >= 0 &&
		       !has_task(sc, gi, rest, (size_t)(dot - rest)) &&
		       strchr(dot + 1, '.'))
			dot = strchr(dot + 1, '.');
		if (gi >= 0 && dot &&
		    !has_task(sc, gi, rest, (size_t)(dot - rest)))
			dot = strchr(rest, '.');
		if (!dot || dot == rest || !dot[1]) {
			free(*group);
			*group = NULL;
			return err_set(err, 0,
				       "'%s' must look like "
				       "GROUP:TASK.KEY",
				       path);
		}
		*task = xstrndup(rest, (size_t)(dot - rest));
		*key = xstrdup(dot + 1);
		return 0;
	}
	for (dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.')) {
		if (prefix_is_group(sc, path, (size_t)(dot - path))) {
			if (!dot[1])
				break;
			*group = xstrndup(path, (size_t)(dot - path));
			*key = xstrdup(dot + 1);
			return 0;
		}
	}
	dot = strchr(path, '.');
	if (dot && dot[1] && dot != path) {
		for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
			if (strlen(blocks[i]) == (size_t)(dot - path) &&
			    strncmp(blocks[i], path, (size_t)(dot - path)) == 0)
				break;
		if (i == sizeof(blocks) / sizeof(blocks[0])) {
			/* neither a group nor a block: let the loader say
			 * "no group" */
			*group = xstrndup(path, (size_t)(dot - path));
			*key = xstrdup(dot + 1);
			return 0;
		}
	}
	if (path[strlen(path) - 1] == '.' || path[0] == '.')
		return err_set(err, 0, "'%s' is not a path", path);
	*key = xstrdup(path);
	return 0;
}

/* ---- the grid ------------------------------------------------------------ */

/* Characters of an argument quoted whole in a message; a message's origin
 * (struct err's file) holds 256. */
#define SWEEP_ORIGIN_ARG 160

/* Writes "OPT 'ARG'" for messages, the middle of a long ARG elided as
 * "...". */
static void origin_format(char *buf, size_t len, const char *opt,
			  const char *arg)
{
	size_t n = strlen(arg);

	if (n <= SWEEP_ORIGIN_ARG)
		snprintf(buf, len, "%s '%s'", opt, arg);
	else
		snprintf(buf, len, "%s '%.*s...%s'", opt, SWEEP_ORIGIN_ARG / 2,
			 arg, arg + n - (SWEEP_ORIGIN_ARG / 2 - 3));
}

/* Loads g->text as file and takes the axes of its sweep: block. */
static int grid_take(struct sweep_grid *g, const char *file, struct err *err)
{
	struct sweep_spec *sw;
	size_t i;

	g->file = xstrdup(file);
	if (scenario_load_string(g->text, g->len, file, &g->base, err))
		return -1;
	g->base_seed = g->base.seed;
	sw = &g->base.sweep;
	for (i = 0; i < sw->naxes; i++) {
		struct sweep_axis *a;
		struct err e2;

		g->axes = xrealloc(g->axes, (g->naxes + 1) * sizeof(*g->axes));
		a = &g->axes[g->naxes++];
		memset(a, 0, sizeof(*a));
		a->path = xstrdup(sw->axes[i].path);
		a->origin.text = xstrdup(file);
		a->origin.line = sw->axes[i].line;
		a->origin.col = sw->axes[i].col;
		err_init(&e2);
		if (sweep_path_split(&g->base, a->path, &a->group, &a->task,
				     &a->key, &e2) ||
		    sweep_values_parse(sw->axes[i].values, 0, &a->values,
				       &a->nvalues, &e2)) {
			return err_at(err, file, a->origin.line, a->origin.col,
				      "%s", e2.msg);
		}
		sort_axis(a);
	}
	return 0;
}

int sweep_grid_load(struct sweep_grid *g, const char *file, struct err *err)
{
	FILE *f;
	int rc;

	f = fopen(file, "r");
	if (!f)
		return err_set(err, errno, "cannot open '%s'", file);
	g->text = xmalloc(SWEEP_MAX_FILE + 1);
	g->len = fread(g->text, 1, SWEEP_MAX_FILE, f);
	g->text[g->len] = '\0';
	rc = ferror(f);
	fclose(f);
	if (rc)
		return err_set(err, EIO, "cannot read '%s'", file);
	return grid_take(g, file, err);
}

int sweep_grid_load_text(struct sweep_grid *g, const char *file,
			 const char *text, size_t len, struct err *err)
{
	g->text = xstrndup(text, len);
	g->len = len;
	return grid_take(g, file, err);
}

int sweep_grid_set(struct sweep_grid *g, const char *opt, const char *arg,
		   uint64_t default_step_ns, struct err *err)
{
	const char *eq = strchr(arg, '=');
	struct sweep_axis a = {0}, *slot = NULL;
	char where[600];
	struct err e2;
	size_t i;

	origin_format(where, sizeof(where), opt, arg);
	if (!eq || eq == arg)
		return err_at(err, where, 0, 0, "expected PATH=VALUES");
	err_init(&e2);
	a.path = xstrndup(arg, (size_t)(eq - arg));
	a.origin.opt = xstrdup(opt);
	a.origin.text = xstrdup(arg);
	if (sweep_path_split(&g->base, a.path, &a.group, &a.task, &a.key,
			     &e2) ||
	    sweep_values_parse(eq + 1, default_step_ns, &a.values, &a.nvalues,
			       &e2)) {
		axis_destroy(&a);
		return err_at(err, where, 0, 0, "%s", e2.msg);
	}
	sort_axis(&a);
	for (i = 0; i < g->naxes; i++)
		if (strcmp(g->axes[i].path, a.path) == 0)
			slot = &g->axes[i];
	if (slot) {
		if (!slot->origin.line) {
			axis_destroy(&a);
			return err_at(err, where, 0, 0, "'%s' is already given",
				      slot->path);
		}
		axis_destroy(slot);
	} else {
		g->axes = xrealloc(g->axes, (g->naxes + 1) * sizeof(*g->axes));
		slot = &g->axes[g->naxes++];
	}
	*slot = a;
	return 0;
}

void sweep_grid_clear_axes(struct sweep_grid *g)
{
	size_t i;

	for (i = 0; i < g->naxes; i++)
		axis_destroy(&g->axes[i]);
	g->naxes = 0;
}

void sweep_grid_fix(struct sweep_grid *g, const char *key, const char *value,
		    const char *origin)
{
	struct scenario_edit *e;

	g->fixed = xrealloc(g->fixed, (g->nfixed + 1) * sizeof(*g->fixed));
	g->fixed_origin = xrealloc(g->fixed_origin,
				   (g->nfixed + 1) * sizeof(*g->fixed_origin));
	e = &g->fixed[g->nfixed];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	g->fixed_origin[g->nfixed] = xstrdup(origin);
	e->origin = g->fixed_origin[g->nfixed];
	g->nfixed++;
}

static int cmp_axes(const void *a, const void *b)
{
	return strcmp(((const struct sweep_axis *)a)->path,
		      ((const struct sweep_axis *)b)->path);
}

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	while (len--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

int sweep_grid_finish(struct sweep_grid *g, unsigned seeds, uint64_t max_check,
		      struct err *err)
{
	uint64_t n = 1, cells, id;
	struct scenario sc;
	size_t i, j;

	if (!seeds)
		seeds = g->base.sweep.seeds ? g->base.sweep.seeds : 1;
	g->seeds = seeds;
	qsort(g->axes, g->naxes, sizeof(*g->axes), cmp_axes);
	for (i = 0; i < g->naxes; i++) {
		if (n > SWEEP_MAX_POINTS / g->axes[i].nvalues)
			return err_set(err, 0,
				       "the grid has more than %llu points",
				       (unsigned long long)SWEEP_MAX_POINTS);
		n *= g->axes[i].nvalues;
	}
	cells = n;
	if (n > SWEEP_MAX_POINTS / seeds)
		return err_set(err, 0, "the grid has more than %llu points",
			       (unsigned long long)SWEEP_MAX_POINTS);
	g->npoints = n * seeds;
	g->hash = hash_bytes(0xcbf29ce484222325ULL, g->text, g->len);
	for (i = 0; i < g->nfixed; i++) {
		g->hash = hash_str(g->hash, g->fixed[i].key);
		g->hash = hash_str(g->hash, g->fixed[i].value);
	}
	for (i = 0; i < g->naxes; i++) {
		g->hash = hash_str(g->hash, g->axes[i].path);
		for (j = 0; j < g->axes[i].nvalues; j++)
			g->hash = hash_str(g->hash, g->axes[i].values[j]);
	}
	g->hash = hash_bytes(g->hash, &g->seeds, sizeof(g->seeds));
	g->hash = hash_bytes(g->hash, &g->base_seed, sizeof(g->base_seed));
	/* each value alone first, so that a bad one is named by itself */
	for (i = 0, n = 0; i < g->naxes; i++)
		n += g->axes[i].nvalues;
	for (i = 0; i < g->naxes && n <= max_check; i++) {
		for (j = 0; j < g->axes[i].nvalues; j++) {
			if (sweep_value_load(g, i, j, &sc, err))
				return -1;
			scenario_destroy(&sc);
		}
	}
	if (cells > max_check)
		return 0;
	for (id = 0; id < cells; id++) {
		if (sweep_point_load(g, id * g->seeds, &sc, err))
			return -1;
		scenario_destroy(&sc);
	}
	return 0;
}

void sweep_point_index(const struct sweep_grid *g, uint64_t id, size_t *idx)
{
	uint64_t cell = id / g->seeds;
	size_t a;

	for (a = g->naxes; a-- > 0;) {
		idx[a] = (size_t)(cell % g->axes[a].nvalues);
		cell /= g->axes[a].nvalues;
	}
}

/* splitmix64's finaliser */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t sweep_point_seed(const struct sweep_grid *g, uint64_t id)
{
	uint64_t k = id % g->seeds;

	/* the points of one seed index share their seed (common random
	 * numbers): differences between them come from the parameters */
	if (k == 0)
		return g->base_seed;
	return mix64(g->base_seed + k * 0x9e3779b97f4a7c15ULL);
}

/* Loads with the fixed edits and, for each axis a with idx[a] != SIZE_MAX,
 * its value idx[a]. */
static int load_with(const struct sweep_grid *g, const size_t *idx,
		     struct scenario *sc, struct err *err)
{
	struct scenario_edit *e;
	char **origins;
	size_t n = 0, i;
	int rc;

	e = xcalloc(g->nfixed + g->naxes + 1, sizeof(*e));
	origins = xcalloc(g->naxes + 1, sizeof(*origins));
	for (i = 0; i < g->nfixed; i++)
		e[n++] = g->fixed[i];
	for (i = 0; i < g->naxes; i++) {
		const struct sweep_axis *a = &g->axes[i];
		size_t len;
		char *arg;

		if (idx[i] == SIZE_MAX)
			continue;
		len = strlen(a->path) + strlen(a->values[idx[i]]) +
		      strlen(a->origin.text) + 32;
		origins[i] = xmalloc(len);
		if (a->origin.line) {
			snprintf(origins[i], len, "%s:%d:%d", a->origin.text,
				 a->origin.line, a->origin.col);
		} else {
			arg = xmalloc(len);
			snprintf(arg, len, "%s=%s", a->path, a->values[idx[i]]);
			origin_format(origins[i], len, a->origin.opt, arg);
			free(arg);
		}
		e[n].group = a->group;
		e[n].task = a->task;
		e[n].key = a->key;
		e[n].value = a->values[idx[i]];
		e[n].origin = origins[i];
		n++;
	}
	rc = scenario_load_edited(g->text, g->len, g->file, e, n, sc, err);
	for (i = 0; i < g->naxes; i++)
		free(origins[i]);
	free(origins);
	free(e);
	return rc;
}

int sweep_point_load(const struct sweep_grid *g, uint64_t id,
		     struct scenario *sc, struct err *err)
{
	size_t *idx = xcalloc(g->naxes + 1, sizeof(*idx));
	int rc;

	sweep_point_index(g, id, idx);
	rc = load_with(g, idx, sc, err);
	free(idx);
	if (rc == 0)
		sc->seed = sweep_point_seed(g, id);
	return rc;
}

int sweep_value_load(const struct sweep_grid *g, size_t axis, size_t value,
		     struct scenario *sc, struct err *err)
{
	size_t *idx = xcalloc(g->naxes + 1, sizeof(*idx));
	size_t i;
	int rc;

	for (i = 0; i < g->naxes; i++)
		idx[i] = i == axis ? value : SIZE_MAX;
	rc = load_with(g, idx, sc, err);
	free(idx);
	if (rc == 0)
		sc->seed = g->base_seed;
	return rc;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void sweep_point_params_json(FILE *f, const struct sweep_grid *g, uint64_t id)
{
	size_t *idx = xcalloc(g->naxes + 1, sizeof(*idx));
	size_t i;

	sweep_point_index(g, id, idx);
	fputc('{', f);
	for (i = 0; i < g->naxes; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, g->axes[i].path);
		fputs(": ", f);
		json_str(f, g->axes[i].values[idx[i]]);
	}
	fputc('}', f);
	free(idx);
}
