/* rt-app JSON loader and writer.
 *
 * Why libyaml and not a JSON library: rt-app files as people write them
 * (and as rt-app's own doc/examples are) are not strict JSON.  They hold
 * C comments, trailing commas and, above all, the same key several times
 * in one object ("run", "sleep", "run" ...), whose order is the order of
 * the events.  Debian's JSON libraries keep one value per key (jansson and
 * json-c replace the earlier one, losing it and the order; json-c is what
 * rt-app links, which is why rt-app needs its workgen script to rename
 * repeated keys first), cJSON keeps the repeats but refuses comments and
 * trailing commas, and none of the three reports where a value stands, so
 * a semantic error ("event 'lock' is not supported") could not carry its
 * line and column.  JSON is, apart from comments, YAML flow syntax, and
 * libyaml (already a dependency) keeps every key of a mapping in order and
 * marks every node with its line and column.  So the loader blanks the
 * comments (keeping every other byte where it was), parses with libyaml,
 * and accepts only what JSON allows: flow collections, double-quoted
 * strings, and plain scalars that are numbers, true, false or null.
 *
 * Semantics follow rt-app's doc/tutorial.txt and its parser
 * (src/rt-app_parse_config.c): an event is a key that starts with an event
 * name, tried in rt-app's order (so "runtime1" is runtime, "run0" is run);
 * a thread without "phases" is its own single phase; "loop" defaults to -1
 * (forever) for a thread and 1 for a phase. */
#include "scenarios/rtapp.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "base/cpulist.h"
#include "base/duration.h"
#include "base/xalloc.h"
#include "scenarios/loader.h"
#include "scenarios/loader_internal.h"
#include "scenarios/name.h"
#include "scenarios/ytree.h"

#define RTAPP_MAX_FILE	  ((size_t)1024 * 1024)
#define RTAPP_MAX_NAME	  SCENARIO_MAX_NAME
#define RTAPP_MAX_COUNT	  4096
#define RTAPP_MAX_THREADS 100000
#define RTAPP_MAX_GROUPS  4096 /* the YAML format's cap */
/* the group of the tasks when no task has a taskgroup ("tasks" would be
 * v1's file of that name) */
#define RTAPP_GROUP	 "rt-app"
#define RTAPP_MAX_EVENTS 4096 /* entries of one workload */
#define RTAPP_MAX_LOOP	 1000000000LL
#define RTAPP_MAX_US	 3600000000LL /* any length: 1 h */
/* kernel: a fair task's custom slice is clamped to 0.1-100 ms
 * (__setparam_fair) */
#define RTAPP_SLICE_MIN_NS (100 * NSEC_PER_USEC)
#define RTAPP_SLICE_MAX_NS (100 * NSEC_PER_MSEC)

/* What JSON makes of a node of the tree (jkind()). */
enum jkind { J_STR, J_NUM, J_BOOL, J_NULL, J_OBJ, J_ARR };

/* One thread object of the file, as loaded. */
struct rt_task {
	const struct ynode *name;
	const struct ynode *obj;
	const struct ynode *group; /* "taskgroup" value, or NULL */
	const struct ynode *cpus;  /* "cpus" key, or NULL */
	uint64_t cpus_mask;
	size_t index;	 /* in sc->tasks */
	bool forever;	 /* loops forever */
	uint64_t end_ns; /* bound of its end, when not forever */
};

/* The loader's state is the YAML loader's (file, scenario, error, threads
 * so far), whose error and judging functions it shares, plus what only an
 * rt-app file needs. */
struct rtld {
	struct loader y;
	uint64_t cpu_total_ns; /* CPU time of every thread, when finite */
};

/* An error at n's position, as the YAML loader reports it. */
#define fail(ld, ...) ld_fail(&(ld)->y, __VA_ARGS__)

static int fail_at(struct rtld *ld, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct rtld *ld, int line, int col, const char *fmt, ...)
{
	char msg[sizeof(ld->y.err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_at(ld->y.err, ld->y.file, line, col, "%s", msg);
}

bool rtapp_is_file(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcasecmp(name + len - 5, ".json") == 0;
}

/* ---- comments ---------------------------------------------------------- */

/* Copies text with every C comment turned into spaces (newlines kept), so
 * that libyaml sees plain JSON at the same lines and columns.  A '#'
 * outside a string would be a YAML comment: JSON has none. */
static int blank_comments(struct rtld *ld, const char *text, size_t len,
			  char **out)
{
	char *b = xmalloc(len + 1);
	int line = 1, col = 1, cline = 0, ccol = 0;
	bool in_str = false, in_block = false, in_line = false;
	size_t i;

	memcpy(b, text, len);
	b[len] = '\0';
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (in_block) {
			if (c == '*' && i + 1 < len && text[i + 1] == '/') {
				b[i] = b[i + 1] = ' ';
				i++;
				col++;
				in_block = false;
			} else if (c != '\n') {
				b[i] = ' ';
			}
		} else if (in_line) {
			if (c == '\n')
				in_line = false;
			else
				b[i] = ' ';
		} else if (in_str) {
			if (c == '\\' && i + 1 < len && text[i + 1] != '\n') {
				i++;
				col++;
			} else if (c == '"' || c == '\n') {
				in_str = false;
			}
		} else if (c == '"') {
			in_str = true;
		} else if (c == '/' && i + 1 < len &&
			   (text[i + 1] == '*' || text[i + 1] == '/')) {
			in_block = text[i + 1] == '*';
			in_line = !in_block;
			cline = line;
			ccol = col;
			b[i] = b[i + 1] = ' ';
			i++;
			col++;
		} else if (c == '#') {
			free(b);
			return fail_at(ld, line, col,
				       "invalid json: '#' outside a string");
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (in_block) {
		free(b);
		return fail_at(ld, cline, ccol,
			       "invalid json: comment not closed");
	}
	*out = b;
	return 0;
}

/* ---- the JSON tree ----------------------------------------------------- */

/* A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (isdigit((unsigned char)*s))
		while (isdigit((unsigned char)*s))
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* What JSON makes of a plain (unquoted) scalar: true, false, null or a
 * number; false for anything else.  "" is a key without a value, as
 * rt-app's workgen lets one write ("suspend",): null, so the key is still
 * judged. */
static bool plain_kind(const char *v, enum jkind *kind)
{
	if (!strcmp(v, "true") || !strcmp(v, "false"))
		*kind = J_BOOL;
	else if (!strcmp(v, "null") || !*v)
		*kind = J_NULL;
	else if (json_number(v))
		*kind = J_NUM;
	else
		return false;
	return true;
}

/* What JSON makes of a node (json_event lets no other scalar in). */
static enum jkind jkind(const struct ynode *n)
{
	enum jkind kind = J_NULL;

	if (n->kind == Y_MAP)
		return J_OBJ;
	if (n->kind == Y_SEQ)
		return J_ARR;
	if (!n->plain)
		return J_STR;
	plain_kind(n->text, &kind);
	return kind;
}

/* A scalar is a double-quoted string or a plain value (plain_kind). */
static int check_scalar(struct rtld *ld, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;
	enum jkind kind;

	if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (strlen(v) != ev->data.scalar.length)
			return fail_at(ld, line, col,
				       "strings must not hold NUL characters");
		return 0;
	}
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return fail_at(ld, line, col,
			       "invalid json: strings need double quotes");
	if (plain_kind(v, &kind))
		return 0;
	if (strcspn(v, " \t\n") < strlen(v))
		/* YAML joins "10 \"sleep\"" into one plain scalar */
		return fail_at(ld, line, col,
			       "invalid json: missing ',' after '%.*s'",
			       (int)strcspn(v, " \t\n"), v);
	return fail_at(ld, line, col,
		       "invalid json: '%s' is not a value (strings "
		       "need double quotes)",
		       v);
}

/* The JSON rules of the tree (struct ytree_rules): flow collections,
 * double-quoted strings and plain numbers, true, false and null; string
 * keys; one top-level value. */
static int json_event(void *ctx, const yaml_event_t *ev,
		      const struct ytree_at *at)
{
	struct rtld *ld = ctx;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;
	bool is_str = false;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (at->root)
			return fail_at(ld, line, col,
				       "invalid json: text after the end of "
				       "the top-level object");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(ld, line, col,
			       "invalid json: '*' outside a string");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor || ev->data.scalar.tag)
			return fail_at(ld, line, col,
				       "invalid json: '%c' outside a string",
				       ev->data.scalar.anchor ? '&' : '!');
		if (check_scalar(ld, ev))
			return -1;
		is_str = ev->data.scalar.style ==
			 YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor ||
		    ev->data.sequence_start.tag ||
		    ev->data.sequence_start.style != YAML_FLOW_SEQUENCE_STYLE)
			return fail_at(ld, line, col,
				       "invalid json: expected a value");
		break;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor ||
		    ev->data.mapping_start.tag ||
		    ev->data.mapping_start.style != YAML_FLOW_MAPPING_STYLE)
			return fail_at(ld, line, col,
				       "invalid json: expected a value");
		break;
	default:
		return 0;
	}
	/* keys: odd positions of an object's items */
	if (at->parent && at->parent->kind == Y_MAP && at->parent->n % 2 == 0 &&
	    !is_str)
		return fail_at(ld, line, col,
			       "invalid json: object keys must be strings");
	if (!at->parent && at->root)
		return fail_at(ld, line, col,
			       "invalid json: text after the end of the "
			       "top-level object");
	return 0;
}

static int json_parser_error(void *ctx, const yaml_parser_t *p,
			     const char *text, size_t len)
{
	struct rtld *ld = ctx;

	if (p->error == YAML_READER_ERROR)
		return fail_at(ld, 1, 1, "invalid json: %s",
			       p->problem ? p->problem : "unknown error");
	if (p->problem && strstr(p->problem, "<document start>"))
		return fail_at(ld, (int)p->problem_mark.line + 1,
			       (int)p->problem_mark.column + 1,
			       "invalid json: text after the end of the "
			       "top-level object");
	return ytree_parser_error(ld->y.err, ld->y.file, "json", p, text, len);
}

static const struct ytree_rules json_rules = {
	.lang = "json",
	.event = json_event,
	.parser_error = json_parser_error,
};

/* ---- values ------------------------------------------------------------ */

static const char *kind_name(enum jkind k)
{
	static const char *const names[] = {"a string",	 "a number",
					    "a boolean", "null",
					    "an object", "an array"};
	return names[k];
}

/* An integer in [min, max] (rt-app reads them with json_object_get_int). */
static int get_int(struct rtld *ld, const char *what, const struct ynode *n,
		   long long min, long long max, long long *out)
{
	const char *s;
	long long v = 0;
	bool neg;

	if (jkind(n) != J_NUM || strpbrk(n->text, ".eE"))
		return fail(ld, n, "'%s' must be an integer", what);
	s = n->text;
	neg = *s == '-';
	if (neg)
		s++;
	for (; *s; s++)
		if (v < 100000000000000LL) /* saturates far outside any range */
			v = v * 10 + (*s - '0');
	if (neg)
		v = -v;
	if (v < min || v > max)
		return fail(ld, n, "'%s' must be between %lld and %lld", what,
			    min, max);
	*out = v;
	return 0;
}

static int get_str(struct rtld *ld, const char *what, const struct ynode *n,
		   const char **out)
{
	*out = "";
	if (jkind(n) != J_STR)
		return fail(ld, n, "'%s' must be a string, not %s", what,
			    kind_name(jkind(n)));
	*out = n->text;
	return 0;
}

/* The YAML format's name rules (scenarios/name.h): names become cgroup
 * directories.  s[0, len) is the name, which n holds. */
static int check_name(struct rtld *ld, const char *what, const struct ynode *n,
		      const char *s, size_t len)
{
	struct err perr;

	err_init(&perr);
	if (scenario_check_name(what, s, len, &perr))
		return fail(ld, n, "%s", perr.msg);
	return 0;
}

/* The value of key in obj, NULL if absent; the last one if repeated, as
 * json-c (rt-app's parser) keeps it. */
static const struct ynode *member(const struct ynode *obj, const char *key)
{
	const struct ynode *v = NULL;
	size_t i;

	for (i = 0; i + 1 < obj->n; i += 2)
		if (!strcmp(obj->items[i]->text, key))
			v = obj->items[i + 1];
	return v;
}

/* ---- events ------------------------------------------------------------ */

/* rt-app's event names in the order its parser tries them as prefixes
 * (events[] in src/rt-app_parse_config.c). */
static const char *const rt_events[] = {
	"lock",	   "unlock",  "wait",	 "signal",   "broad",
	"sync",	   "sleep",   "runtime", "run",	     "timer",
	"suspend", "resume",  "memrun",	 "mem",	     "iorun",
	"yield",   "barrier", "fork",	 "sem_post", "sem_wait",
};

/* The event a key names, or NULL when it is no event. */
static const char *event_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(rt_events) / sizeof(rt_events[0]); i++)
		if (!strncmp(key, rt_events[i], strlen(rt_events[i])))
			return rt_events[i];
	return NULL;
}

static bool event_supported(const char *ev)
{
	return !strcmp(ev, "run") || !strcmp(ev, "runtime") ||
	       !strcmp(ev, "sleep") || !strcmp(ev, "timer");
}

/* How many threads use each non-unique timer ref, over the whole file. */
struct ref_use {
	const char *ref;
	const struct ynode *where;
	uint64_t threads;
	const struct ynode *task; /* first task that uses it */
};

struct refs {
	struct ref_use *v;
	size_t n, cap;
};

static int load_timer(struct rtld *ld, const struct ynode *key,
		      const struct ynode *v, struct workload *wl, size_t *cap)
{
	const struct ynode *ref = NULL, *period = NULL, *mode = NULL;
	const char *refname, *modename = "relative";
	struct wl_phase *ph;
	long long us;
	long idx;
	size_t i;

	if (v->kind != Y_MAP)
		return fail(ld, v,
			    "'%s' must be an object {\"ref\", \"period\"}",
			    key->text);
	for (i = 0; i + 1 < v->n; i += 2) {
		const char *k = v->items[i]->text;

		if (!strcmp(k, "ref"))
			ref = v->items[i + 1];
		else if (!strcmp(k, "period"))
			period = v->items[i + 1];
		else if (!strcmp(k, "mode"))
			mode = v->items[i + 1];
		else
			return fail(ld, v->items[i],
				    "unknown key '%s' in rt-app timer", k);
	}
	if (!ref)
		return fail(ld, v, "rt-app timer needs a 'ref'");
	if (!period)
		return fail(ld, v, "rt-app timer needs a 'period'");
	if (get_str(ld, "ref", ref, &refname) ||
	    check_name(ld, "timer", ref, refname, strlen(refname)) ||
	    get_int(ld, "period", period, 0, RTAPP_MAX_US, &us))
		return -1;
	if (mode) {
		if (get_str(ld, "mode", mode, &modename))
			return -1;
		if (strcmp(modename, "absolute") &&
		    strcmp(modename, "relative"))
			return fail(ld, mode,
				    "'mode' must be \"absolute\" or "
				    "\"relative\", not '%s'",
				    modename);
	}
	if (us == 0) /* t_next += 0: never sleeps, nothing to model */
		return 0;
	idx = workload_timer(wl, refname);
	if (idx < 0)
		return fail(ld, ref, "more than %d timers in one task",
			    WL_MAX_TIMERS);
	ph = workload_add_phase(wl, cap);
	ph->kind = PHASE_TIMER;
	ph->len.min_ns = ph->len.max_ns = (uint64_t)us * NSEC_PER_USEC;
	ph->timer = (unsigned)idx;
	ph->absolute = !strcmp(modename, "absolute");
	return 0;
}

static int note_ref(struct rtld *ld, struct refs *refs, const struct ynode *v,
		    const struct ynode *task, uint64_t instances)
{
	const struct ynode *ref = member(v, "ref");
	size_t i;

	(void)ld;
	if (!ref || jkind(ref) != J_STR || !strncmp(ref->text, "unique", 6))
		return 0;
	for (i = 0; i < refs->n; i++)
		if (!strcmp(refs->v[i].ref, ref->text))
			break;
	if (i == refs->n) {
		xgrow((void **)&refs->v, &refs->cap, refs->n + 1,
		      sizeof(*refs->v));
		refs->v[i].ref = ref->text;
		refs->v[i].where = ref;
		refs->v[i].threads = 0;
		refs->v[i].task = task;
		refs->n++;
	} else if (refs->v[i].task == task) {
		return 0; /* the same thread using its timer again */
	}
	refs->v[i].threads += instances;
	if (refs->v[i].threads > 1)
		return fail(ld, ref,
			    "rt-app timer '%s' is shared by several threads, "
			    "which is not supported (a ref starting with "
			    "\"unique\" gives each thread its own)",
			    ref->text);
	return 0;
}

/* note_ref for every timer event of a phase object. */
static int note_refs(struct rtld *ld, struct refs *refs,
		     const struct ynode *obj, const struct ynode *task,
		     uint64_t instances)
{
	size_t i;

	for (i = 0; i + 1 < obj->n; i += 2) {
		const char *ev = event_of(obj->items[i]->text);
		const struct ynode *v = obj->items[i + 1];

		if (ev && !strcmp(ev, "timer") && v && v->kind == Y_MAP &&
		    note_ref(ld, refs, v, task, instances))
			return -1;
	}
	return 0;
}

/* Keys of a thread or phase object that are no events. */
enum prop {
	P_LOOP,
	P_INSTANCE,
	P_DELAY,
	P_PHASES,
	P_POLICY,
	P_PRIORITY,
	P_DL_RUNTIME,
	P_CPUS,
	P_TASKGROUP,
	P_NPROPS
};

static const char *const prop_names[P_NPROPS] = {
	"loop",	    "instance",	  "delay", "phases",	"policy",
	"priority", "dl-runtime", "cpus",  "taskgroup",
};

/* rt-app keys that change what cfssim cannot model. */
static const char *const refused_props[] = {
	"util_min", "util_max", "nodes_membind", "dl-period", "dl-deadline",
};

/* Sorts the keys of obj into props (the last of a repeated one) and
 * checks that no other non-event key is there.  thread: obj is a thread
 * (instance, delay and phases allowed). */
static int get_props(struct rtld *ld, const struct ynode *obj, bool thread,
		     const struct ynode **props, const struct ynode **keys)
{
	size_t i, j;

	/* arrays of pointers: the element size is a pointer's */
	memset(props, 0, P_NPROPS * sizeof(*props)); /* NOLINT */
	memset(keys, 0, P_NPROPS * sizeof(*keys));   /* NOLINT */
	for (i = 0; i + 1 < obj->n; i += 2) {
		const struct ynode *k = obj->items[i];
		const char *ev = event_of(k->text);

		if (ev) {
			if (!event_supported(ev))
				return fail(
					ld, k,
					"rt-app event '%s' is not supported",
					ev);
			continue;
		}
		for (j = 0; j < P_NPROPS; j++)
			if (!strcmp(k->text, prop_names[j]))
				break;
		if (j < P_NPROPS &&
		    (thread ||
		     (j != P_INSTANCE && j != P_DELAY && j != P_PHASES))) {
			props[j] = obj->items[i + 1];
			keys[j] = k;
			continue;
		}
		for (j = 0; j < sizeof(refused_props) / sizeof(*refused_props);
		     j++)
			if (!strcmp(k->text, refused_props[j]))
				return fail(ld, k,
					    "rt-app key '%s' is not supported",
					    k->text);
		/* the legacy deadline keys of a thread object (period,
		 * deadline) only matter to SCHED_DEADLINE */
		if (thread && (!strcmp(k->text, "period") ||
			       !strcmp(k->text, "deadline")))
			return fail(ld, k, "rt-app key '%s' is not supported",
				    k->text);
		return fail(ld, k, "unknown key '%s' in rt-app %s", k->text,
			    thread ? "task" : "phase");
	}
	return 0;
}

/* The events of one phase object, appended to wl in the order written. */
static int load_events(struct rtld *ld, const struct ynode *obj,
		       struct workload *wl, size_t *cap, size_t *nevents)
{
	size_t i;

	for (i = 0; i + 1 < obj->n; i += 2) {
		const struct ynode *k = obj->items[i];
		const struct ynode *v = obj->items[i + 1];
		const char *ev = event_of(k->text);
		struct wl_phase *ph;
		long long us;

		if (!ev)
			continue;
		(*nevents)++;
		if (!strcmp(ev, "timer")) {
			if (load_timer(ld, k, v, wl, cap))
				return -1;
		} else {
			if (get_int(ld, k->text, v, 0, RTAPP_MAX_US, &us))
				return -1;
			ph = workload_add_phase(wl, cap);
			ph->kind =
				!strcmp(ev, "sleep") ? PHASE_SLEEP : PHASE_RUN;
			ph->len.min_ns = ph->len.max_ns =
				(uint64_t)us * NSEC_PER_USEC;
		}
		if (wl->nphases > RTAPP_MAX_EVENTS)
			return fail(ld, k, "more than %d events in one task",
				    RTAPP_MAX_EVENTS);
	}
	return 0;
}

/* ---- scheduling properties --------------------------------------------- */

/* What a thread's or phase's properties ask for; set = the key was there. */
struct sched_props {
	const struct ynode *cpus_where; /* the "cpus" key */
	bool nice_set, slice_set, group_set, cpus_set;
	int nice;
	uint64_t slice_ns;
	const struct ynode *group; /* taskgroup string */
	uint64_t cpus_mask;
};

static int get_policy(struct rtld *ld, const struct ynode *v)
{
	const char *p;

	if (get_str(ld, "policy", v, &p))
		return -1;
	if (strcmp(p, "SCHED_OTHER") != 0)
		return fail(ld, v, "rt-app policy '%s' is not supported", p);
	return 0;
}

static int get_sched(struct rtld *ld, const struct ynode **props,
		     const struct ynode **keys, const struct ynode *legacy_rt,
		     struct sched_props *sp)
{
	long long v;
	size_t i;

	memset(sp, 0, sizeof(*sp));
	if (props[P_POLICY] && get_policy(ld, props[P_POLICY]))
		return -1;
	if (props[P_PRIORITY]) {
		if (get_int(ld, "priority", props[P_PRIORITY], -20, 19, &v))
			return -1;
		sp->nice_set = true;
		sp->nice = (int)v;
	}
	if (props[P_DL_RUNTIME] || legacy_rt) {
		const struct ynode *n =
			props[P_DL_RUNTIME] ? props[P_DL_RUNTIME] : legacy_rt;

		if (get_int(ld, props[P_DL_RUNTIME] ? "dl-runtime" : "runtime",
			    n, 0, RTAPP_MAX_US, &v))
			return -1;
		sp->slice_set = true;
		sp->slice_ns = (uint64_t)v * NSEC_PER_USEC;
		/* kernel: 0 keeps the base slice, others are clamped */
		if (sp->slice_ns && sp->slice_ns < RTAPP_SLICE_MIN_NS)
			sp->slice_ns = RTAPP_SLICE_MIN_NS;
		if (sp->slice_ns > RTAPP_SLICE_MAX_NS)
			sp->slice_ns = RTAPP_SLICE_MAX_NS;
	}
	if (props[P_TASKGROUP]) {
		const char *g;

		if (get_str(ld, "taskgroup", props[P_TASKGROUP], &g))
			return -1;
		if (g[0] && g[0] != '/')
			return fail(ld, props[P_TASKGROUP],
				    "taskgroup '%s' must start with '/'", g);
		/* "" means no taskgroup data (the tutorial) */
		if (g[0]) {
			sp->group_set = true;
			sp->group = props[P_TASKGROUP];
		}
	}
	if (props[P_CPUS]) {
		const struct ynode *a = props[P_CPUS];

		if (a->kind != Y_SEQ)
			return fail(ld, a, "'cpus' must be an array of CPUs");
		if (a->n == 0)
			return fail(ld, a, "'cpus' must not be empty");
		for (i = 0; i < a->n; i++) {
			if (get_int(ld, "cpus", a->items[i], 0,
				    SIM_MAX_CPUS - 1, &v))
				return -1;
			sp->cpus_mask |= 1ULL << v;
		}
		sp->cpus_set = true;
		sp->cpus_where = keys[P_CPUS];
	}
	return 0;
}

/* A phase may repeat the thread's setting but not change it: a task here
 * stays in one group with one nice value and one slice. */
static int same_sched(struct rtld *ld, struct sched_props *cur,
		      const struct sched_props *ph, const struct ynode **keys)
{
	if (ph->nice_set) {
		if (cur->nice_set && cur->nice != ph->nice)
			return fail(ld, keys[P_PRIORITY],
				    "rt-app 'priority' that changes between "
				    "phases is not supported");
		cur->nice_set = true;
		cur->nice = ph->nice;
	}
	if (ph->slice_set) {
		if (cur->slice_set && cur->slice_ns != ph->slice_ns)
			return fail(ld, keys[P_DL_RUNTIME],
				    "rt-app 'dl-runtime' that changes between "
				    "phases is not supported");
		cur->slice_set = true;
		cur->slice_ns = ph->slice_ns;
	}
	if (ph->group_set) {
		if (cur->group_set && strcmp(cur->group->text, ph->group->text))
			return fail(ld, ph->group,
				    "rt-app 'taskgroup' that changes between "
				    "phases is not supported");
		cur->group_set = true;
		cur->group = ph->group;
	}
	if (ph->cpus_set) {
		if (cur->cpus_set && cur->cpus_mask != ph->cpus_mask)
			return fail(ld, keys[P_CPUS],
				    "rt-app 'cpus' that changes between phases "
				    "is not supported");
		cur->cpus_set = true;
		cur->cpus_mask = ph->cpus_mask;
		cur->cpus_where = ph->cpus_where;
	}
	return 0;
}

/* ---- threads ----------------------------------------------------------- */

/* CPU time (run) and other time (sleep, timer periods) of one pass. */
static void pass_ns(const struct workload *wl, size_t from, size_t to,
		    uint64_t *cpu, uint64_t *other)
{
	uint64_t c, o;
	size_t i;

	for (i = from; i < to; i++) {
		const struct wl_phase *ph = &wl->phases[i];

		if (ph->kind == PHASE_BLOCK) {
			c = o = 0;
			pass_ns(wl, i + 1, i + 1 + ph->nchildren, &c, &o);
			*cpu += c * ph->loop;
			*other += o * ph->loop;
			i += ph->nchildren;
		} else if (ph->kind == PHASE_RUN) {
			*cpu += ph->len.max_ns;
		} else {
			*other += ph->len.max_ns;
		}
	}
}

/* The thread is a hog (only runs, forever) or periodic (one run and one
 * absolute timer, forever): give it the YAML format's own kind, which
 * behaves the same and reads better. */
static void simplify(struct workload *wl)
{
	size_t i;
	bool only_runs = true;

	if (wl->loop != 0)
		return;
	for (i = 0; i < wl->nphases; i++)
		if (wl->phases[i].kind != PHASE_RUN &&
		    wl->phases[i].kind != PHASE_BLOCK)
			only_runs = false;
	if (only_runs) {
		free(wl->phases);
		wl->phases = NULL;
		wl->nphases = 0;
		workload_free_timers(wl);
		wl->kind = WL_HOG;
		return;
	}
	/* (a run of 0 stays phases: the YAML format's periodic kind refuses
	 * a thread that never runs, and the phases say the same) */
	if (wl->nphases == 2 && wl->phases[0].kind == PHASE_RUN &&
	    wl->phases[0].len.max_ns > 0 && wl->phases[1].kind == PHASE_TIMER &&
	    wl->phases[1].absolute) {
		wl->kind = WL_PERIODIC;
		wl->run = wl->phases[0].len;
		wl->period_ns = wl->phases[1].len.min_ns;
		free(wl->phases);
		wl->phases = NULL;
		wl->nphases = 0;
		workload_free_timers(wl);
	}
}

/* One rt-app phase object (or a thread without "phases") into wl: loop 1
 * adds its events in place, a larger loop wraps them in a block.  Returns
 * the phase's loop through *loop_forever when it is -1. */
static int load_phase(struct rtld *ld, const struct ynode *obj,
		      const struct ynode *loop_node, struct workload *wl,
		      size_t *cap, bool *loop_forever)
{
	size_t at = wl->nphases, nevents = 0;
	long long loop = 1;

	*loop_forever = false;
	if (loop_node) {
		if (get_int(ld, "loop", loop_node, -1, RTAPP_MAX_LOOP, &loop))
			return -1;
		if (loop == 0)
			return fail(
				ld, loop_node,
				"'loop' must be -1 (forever) or at least 1");
	}
	if (loop > 1)
		workload_add_phase(wl, cap)->kind = PHASE_BLOCK;
	if (load_events(ld, obj, wl, cap, &nevents))
		return -1;
	if (nevents == 0)
		return fail(ld, obj, "rt-app phase has no events");
	if (loop == -1)
		*loop_forever = true;
	if (loop > 1) {
		if (wl->nphases == at + 1) { /* only zero timers */
			wl->nphases = at;
			return 0;
		}
		wl->phases[at].loop = (uint64_t)loop;
		wl->phases[at].nchildren = wl->nphases - at - 1;
		if (workload_min_ns(wl, at + 1, wl->nphases) < NSEC_PER_USEC)
			return fail(ld, loop_node,
				    "a repeated rt-app phase must take at "
				    "least 1us per loop");
	}
	return 0;
}

static int load_thread(struct rtld *ld, struct rt_task *rt, struct refs *refs,
		       struct sched_props *sp, struct workload *wl,
		       long long *instances)
{
	const struct ynode *obj = rt->obj;
	const struct ynode *props[P_NPROPS], *keys[P_NPROPS];
	const struct ynode *pprops[P_NPROPS], *pkeys[P_NPROPS];
	const struct ynode *loop_node;
	struct sched_props ph;
	long long thread_loop = -1, delay = 0;
	size_t cap = 0, i;
	bool forever;

	if (obj->kind != Y_MAP)
		return fail(ld, obj, "rt-app task '%s' must be an object",
			    rt->name->text);
	if (get_props(ld, obj, true, props, keys) ||
	    get_sched(ld, props, keys,
		      member(obj, "dl-runtime") ? NULL : member(obj, "runtime"),
		      sp))
		return -1;
	*instances = 1;
	if (props[P_INSTANCE] && get_int(ld, "instance", props[P_INSTANCE], 0,
					 RTAPP_MAX_COUNT, instances))
		return -1;
	if (props[P_DELAY] &&
	    get_int(ld, "delay", props[P_DELAY], 0, RTAPP_MAX_US, &delay))
		return -1;
	wl->kind = WL_PHASES;
	wl->start_ns = (uint64_t)delay * NSEC_PER_USEC;
	if (!props[P_PHASES] &&
	    note_refs(ld, refs, obj, rt->name, (uint64_t)*instances))
		return -1;
	if (!props[P_PHASES]) {
		/* the thread is its one phase; a loop given here is the
		 * phase's and the thread then runs it once */
		if (load_phase(ld, obj, props[P_LOOP], wl, &cap, &forever))
			return -1;
		wl->loop = props[P_LOOP] && !forever ? 1 : 0;
	} else {
		const struct ynode *phases = props[P_PHASES];

		if (phases->kind != Y_MAP)
			return fail(ld, phases, "'phases' must be an object");
		if (phases->n == 0)
			return fail(ld, phases, "'phases' must not be empty");
		if (props[P_LOOP] && get_int(ld, "loop", props[P_LOOP], -1,
					     RTAPP_MAX_LOOP, &thread_loop))
			return -1;
		if (thread_loop == 0)
			return fail(
				ld, props[P_LOOP],
				"'loop' must be -1 (forever) or at least 1");
		wl->loop = thread_loop < 0 ? 0 : (uint64_t)thread_loop;
		for (i = 0; i + 1 < phases->n; i += 2) {
			const struct ynode *p = phases->items[i + 1];

			if (p->kind != Y_MAP)
				return fail(ld, p,
					    "rt-app phase '%s' must be an "
					    "object",
					    phases->items[i]->text);
			if (get_props(ld, p, false, pprops, pkeys) ||
			    get_sched(ld, pprops, pkeys, NULL, &ph) ||
			    same_sched(ld, sp, &ph, pkeys))
				return -1;
			if (note_refs(ld, refs, p, rt->name,
				      (uint64_t)*instances))
				return -1;
			loop_node = pprops[P_LOOP];
			if (load_phase(ld, p, loop_node, wl, &cap, &forever))
				return -1;
			if (forever && phases->n != 2)
				return fail(ld, loop_node,
					    "rt-app phase loop -1 (forever) is "
					    "supported only in a task's single "
					    "phase");
			if (forever)
				wl->loop = 0;
		}
	}
	if (sp->group_set)
		rt->group = sp->group;
	if (wl->nphases == 0)
		return fail(ld, rt->name,
			    "rt-app task '%s' has only zero-period timers",
			    rt->name->text);
	if (wl->loop == 0 &&
	    workload_min_ns(wl, 0, wl->nphases) < NSEC_PER_USEC)
		return fail(ld, rt->name,
			    "rt-app task '%s' loops forever but takes no "
			    "time per loop",
			    rt->name->text);
	rt->forever = wl->loop == 0;
	if (!rt->forever) {
		uint64_t cpu = 0, other = 0;

		pass_ns(wl, 0, wl->nphases, &cpu, &other);
		ld->cpu_total_ns += cpu * wl->loop * (uint64_t)*instances;
		rt->end_ns = wl->start_ns + other * wl->loop;
	}
	simplify(wl);
	return 0;
}

/* ---- the file ------------------------------------------------------------ */

/* Checks every level of a taskgroup path ("/a/b"). */
static int check_group_path(struct rtld *ld, const struct ynode *where)
{
	const char *p = where->text + 1, *slash;
	unsigned depth = 0;

	if (!*p)
		return fail(ld, where,
			    "taskgroup '/' (the root) is not supported "
			    "beside tasks in other taskgroups");
	for (;;) {
		char level[RTAPP_MAX_NAME + 1];
		size_t len;

		/* every level has a name: "/a//" has an empty one (it was
		 * let through as a trailing '/', and its task went in no
		 * group); one trailing '/' ends the loop below */
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (check_name(ld, "taskgroup", where, p, len))
			return -1;
		memcpy(level, p, len);
		level[len] = '\0';
		if (scenario_cgroup_file_name(level))
			return fail(ld, where,
				    "taskgroup '%s': '%s' is the name of a "
				    "cgroup interface file",
				    where->text, level);
		if (++depth > 16)
			return fail(
				ld, where,
				"taskgroup '%s' nests deeper than 16 levels",
				where->text);
		if (!slash || !slash[1])
			return 0;
		p = slash + 1;
	}
}

/* The group path of a taskgroup ("/a/b/" -> "a/b"), allocated. */
static char *group_path(const char *tg)
{
	char *path = xstrdup(tg + 1);
	size_t len = strlen(path);

	if (len && path[len - 1] == '/')
		path[len - 1] = '\0';
	return path;
}

/* Adds, below parent, the groups among paths[] whose parent is that path,
 * each followed by its own children (the model's pre-order). */
static void add_groups(struct scenario *sc, char **paths, size_t npaths,
		       long parent, const char *parent_path)
{
	size_t i, plen = parent_path ? strlen(parent_path) : 0;

	for (i = 0; i < npaths; i++) {
		const char *p = paths[i];
		const char *rest = p + (plen ? plen + 1 : 0);
		long g;

		if (plen && (strncmp(p, parent_path, plen) || p[plen] != '/'))
			continue;
		if (!*rest || strchr(rest, '/') ||
		    scenario_find_group(sc, p) >= 0)
			continue;
		g = (long)scenario_add_group(sc, parent, rest);
		add_groups(sc, paths, npaths, g, p);
	}
}

/* Groups for every taskgroup, their ancestors included, in pre-order
 * with siblings in the order the file names them; tasks into them. */
static int make_groups(struct rtld *ld, struct rt_task *rts, size_t nrt)
{
	struct scenario *sc = ld->y.sc;
	char **paths = NULL;
	size_t n = 0, cap = 0, i, j;
	int rc = 0;

	for (i = 0; i < nrt && !rc; i++) {
		char *full = group_path(rts[i].group->text);
		char *slash = full;

		/* every prefix, shortest first */
		for (;;) {
			slash = strchr(slash, '/');
			if (slash)
				*slash = '\0';
			for (j = 0; j < n; j++)
				if (!strcmp(paths[j], full))
					break;
			if (j == n && n == RTAPP_MAX_GROUPS) {
				rc = fail(ld, rts[i].group,
					  "more than %d groups in total "
					  "(taskgroups and those above them)",
					  RTAPP_MAX_GROUPS);
				break;
			}
			if (j == n) {
				xgrow((void **)&paths, &cap, n + 1,
				      sizeof(*paths)); /* NOLINT */
				paths[n++] = xstrdup(full);
			}
			if (!slash)
				break;
			*slash++ = '/';
		}
		free(full);
	}
	if (rc)
		goto out;
	add_groups(sc, paths, n, -1, NULL);
	for (i = 0; i < sc->ngroups; i++) {
		sc->groups[i].line = rts[0].group->line;
		sc->groups[i].col = rts[0].group->col;
	}
	for (i = 0; i < nrt; i++) {
		char *full = group_path(rts[i].group->text);

		sc->tasks[rts[i].index].group =
			(size_t)scenario_find_group(sc, full);
		free(full);
	}
out:
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/* Only what changes the workload is read; rt-app itself ignores keys it
 * does not know here (its shipped examples carry "frag"), and the rest
 * (calibration, logs, ftrace, memory locking) does not change scheduling. */
static int load_global(struct rtld *ld, const struct ynode *g,
		       long long *duration_s, const struct ynode **dur_node,
		       const struct ynode **cfssim)
{
	size_t i;

	if (g->kind != Y_MAP)
		return fail(ld, g, "'global' must be an object");
	for (i = 0; i + 1 < g->n; i += 2) {
		const struct ynode *k = g->items[i], *v = g->items[i + 1];

		if (!strcmp(k->text, "duration")) {
			if (get_int(ld, "duration", v, -1, 3600, duration_s))
				return -1;
			if (*duration_s == 0)
				return fail(ld, v,
					    "'duration' must be -1 (until the "
					    "tasks end) or 1 to 3600 seconds");
			*dur_node = v;
		} else if (!strcmp(k->text, "default_policy")) {
			if (get_policy(ld, v))
				return -1;
		} else if (!strcmp(k->text, "cfssim")) {
			*cfssim = v;
		}
	}
	return 0;
}

/* "global": {"cfssim": {"expect": ..., "not_modelled": ...}}: how cfssim
 * compare judges the file, as the same keys of a YAML scenario (rt-app
 * looks up the global keys it knows and passes over this one).  Loaded
 * once the groups exist, which not_modelled may name. */
static int load_cfssim(struct rtld *ld, const struct ynode *n)
{
	static const char *const keys[] = {"expect", "not_modelled"};
	struct field f[2];

	if (ld_get_fields(&ld->y, n, "cfssim", keys, 2, f))
		return -1;
	if (f[0].val && ld_load_expect(&ld->y, f[0].val))
		return -1;
	if (f[1].val && ld_load_not_modelled(&ld->y, f[1].val))
		return -1;
	return 0;
}

/* CPUs of this machine, as rt-app uses them all. */
static unsigned host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > SIM_MAX_CPUS ? SIM_MAX_CPUS : (unsigned)n;
}

static int load_root(struct rtld *ld, const struct ynode *root)
{
	struct scenario *sc = ld->y.sc;
	const struct ynode *tasks = NULL, *global = NULL, *dur_node = NULL;
	const struct ynode *cfssim = NULL;
	struct rt_task *rts = NULL;
	struct refs refs = {NULL, 0, 0};
	long long duration_s = -1;
	uint64_t mask, end_ns = 0;
	size_t i, nrt = 0, ngrouped = 0;
	int rc = -1;

	if (!root)
		return fail(ld, NULL, "rt-app file is empty");
	if (root->kind != Y_MAP)
		return fail(ld, root, "an rt-app file must be a json object");
	for (i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *k = root->items[i];

		if (!strcmp(k->text, "tasks"))
			tasks = root->items[i + 1];
		else if (!strcmp(k->text, "global"))
			global = root->items[i + 1];
		else if (strcmp(k->text, "resources") != 0) /* legacy */
			return fail(ld, k, "unknown key '%s' in rt-app file",
				    k->text);
	}
	if (global && load_global(ld, global, &duration_s, &dur_node, &cfssim))
		return -1;
	if (!tasks)
		return fail(ld, root, "rt-app file needs 'tasks'");
	if (tasks->kind != Y_MAP)
		return fail(ld, tasks, "'tasks' must be an object");
	rts = xcalloc(tasks->n / 2 + 1, sizeof(*rts));
	for (i = 0; i + 1 < tasks->n; i += 2) {
		struct rt_task *rt = &rts[nrt];
		struct sched_props sp;
		struct workload wl;
		struct task_spec *t;
		long long instances;
		size_t k;

		memset(rt, 0, sizeof(*rt));
		rt->name = tasks->items[i];
		rt->obj = tasks->items[i + 1];
		if (check_name(ld, "task", rt->name, rt->name->text,
			       strlen(rt->name->text)))
			goto out;
		for (k = 0; k < nrt; k++)
			if (!strcmp(rts[k].name->text, rt->name->text)) {
				fail(ld, rt->name, "duplicate task name '%s'",
				     rt->name->text);
				goto out;
			}
		memset(&wl, 0, sizeof(wl));
		memset(&sp, 0, sizeof(sp));
		instances = 1;
		if (load_thread(ld, rt, &refs, &sp, &wl, &instances) ||
		    instances == 0) { /* 0: only for fork, which is refused */
			free(wl.phases);
			workload_free_timers(&wl);
			if (instances == 0)
				continue;
			goto out;
		}
		ld->y.threads += (uint64_t)instances;
		if (ld->y.threads > RTAPP_MAX_THREADS) {
			free(wl.phases);
			workload_free_timers(&wl);
			fail(ld, rt->name, "more than %d threads in total",
			     RTAPP_MAX_THREADS);
			goto out;
		}
		if (sp.cpus_set) {
			rt->cpus = sp.cpus_where;
			rt->cpus_mask = sp.cpus_mask;
		}
		if (rt->group)
			ngrouped++;
		rt->index = scenario_add_task(sc, 0, rt->name->text);
		t = &sc->tasks[rt->index];
		t->count = (unsigned)instances;
		t->nice = sp.nice;
		t->slice_ns = sp.slice_ns;
		t->wl = wl;
		t->line = rt->name->line;
		t->col = rt->name->col;
		nrt++;
	}
	if (nrt == 0) {
		fail(ld, tasks, "rt-app file has no tasks to run");
		goto out;
	}
	/* rt-app runs on the whole machine.  A scenario owns CPUs 0..n-1:
	 * tasks that all name those CPUs (as 'cfssim export' writes them)
	 * make n, none naming any makes this machine's count; one thread's
	 * own affinity is not modelled */
	sc->cpus = host_cpus();
	mask = 0;
	for (i = 0; i < nrt; i++)
		if (rts[i].cpus) {
			mask = rts[i].cpus_mask;
			break;
		}
	if (mask) {
		unsigned n = 0;

		while (n < 64 && (mask >> n) & 1)
			n++;
		for (i = 0; i < nrt; i++) {
			const struct ynode *where =
				rts[i].cpus ? rts[i].cpus : rts[i].name;

			if ((rts[i].cpus && rts[i].cpus_mask != mask) ||
			    (n < 64 && mask >> n) ||
			    (!rts[i].cpus && n != sc->cpus)) {
				fail(ld, where,
				     "rt-app 'cpus' is supported only as the "
				     "same CPUs 0..N-1 for every task (the "
				     "CPUs the scenario owns)");
				goto out;
			}
		}
		sc->cpus = n;
	}
	/* groups: every task in a taskgroup, or none */
	if (ngrouped && ngrouped != nrt) {
		for (i = 0; i < nrt; i++)
			if (!rts[i].group)
				break;
		fail(ld, rts[i].name,
		     "rt-app task '%s' has no taskgroup beside tasks that "
		     "have one, which is not supported",
		     rts[i].name->text);
		goto out;
	}
	if (!ngrouped) {
		scenario_add_group(sc, -1, RTAPP_GROUP);
		sc->groups[0].line = tasks->line;
		sc->groups[0].col = tasks->col;
	} else {
		for (i = 0; i < nrt; i++)
			if (check_group_path(ld, rts[i].group))
				goto out;
		if (make_groups(ld, rts, nrt))
			goto out;
	}
	/* duration -1 runs until every thread ends: by the latest end of
	 * one thread's own delay, sleeps and timers plus every thread's CPU
	 * time (a runnable thread waits only while others run) */
	if (duration_s < 0) {
		for (i = 0; i < nrt; i++) {
			if (rts[i].forever) {
				fail(ld, dur_node ? dur_node : rts[i].name,
				     "rt-app task '%s' loops forever, so "
				     "'duration' must be given (not -1)",
				     rts[i].name->text);
				goto out;
			}
			if (rts[i].end_ns > end_ns)
				end_ns = rts[i].end_ns;
		}
		end_ns += ld->cpu_total_ns;
		if (end_ns >= 3600 * NSEC_PER_SEC) {
			fail(ld, dur_node ? dur_node : tasks,
			     "rt-app tasks may run longer than 1h; give a "
			     "'duration'");
			goto out;
		}
		/* whole milliseconds, and never 0 */
		sc->duration_ns = (end_ns / NSEC_PER_MSEC + 1) * NSEC_PER_MSEC;
	} else {
		sc->duration_ns = (uint64_t)duration_s * NSEC_PER_SEC;
	}
	if (cfssim && load_cfssim(ld, cfssim))
		goto out;
	rc = 0;
out:
	free(refs.v);
	free(rts);
	return rc;
}

int rtapp_load_string(const char *text, size_t len, const char *name,
		      struct scenario *sc, struct err *err)
{
	struct rtld ld = {.y = {.file = name, .sc = sc, .err = err}};
	struct ynode *root = NULL;
	char *dname = scenario_default_name(name), *clean = NULL;
	int rc;

	scenario_init(sc, dname);
	free(dname);
	free(sc->file);
	sc->file = xstrdup(name);
	if (len > RTAPP_MAX_FILE)
		rc = fail(&ld, NULL, "rt-app file is larger than 1 MiB");
	else
		rc = blank_comments(&ld, text, len, &clean);
	if (rc == 0)
		rc = ytree_build(clean, len, name, &json_rules, &ld, err,
				 &root);
	if (rc == 0)
		rc = load_root(&ld, root);
	ynode_free(root);
	free(clean);
	if (rc)
		scenario_destroy(sc);
	return rc;
}

/* ---- the writer -------------------------------------------------------- */

struct rtw {
	FILE *out;
	const struct scenario *sc;
	struct err *err;
	const struct task_spec *task; /* being written, for messages */
	char **names;		      /* rt-app name of each task */
};

/* A length in whole microseconds, as rt-app counts. */
static int whole_us(struct rtw *w, const struct len_range *len, long long *us)
{
	*us = 0;
	if (len->min_ns != len->max_ns)
		return err_set(w->err, 0,
			       "task '%s' has a random length, which rt-app "
			       "cannot express",
			       w->task->name);
	if (len->min_ns % NSEC_PER_USEC)
		return err_set(w->err, 0,
			       "task '%s': %" PRIu64 "ns is not a whole number "
			       "of microseconds, which rt-app needs",
			       w->task->name, len->min_ns);
	*us = (long long)(len->min_ns / NSEC_PER_USEC);
	return 0;
}

/* The ref rt-app needs for a per-thread timer: one starting "unique". */
static void ref_name(const char *ref, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", strncmp(ref, "unique", 6) ? "unique_" : "",
		 ref);
}

/* Each timer of a workload keeps, as its rt-app ref, a name of its own
 * that the importer takes back: "a" and "unique_a" would be one timer. */
static int check_refs(struct rtw *w, const struct workload *wl)
{
	char a[2 * RTAPP_MAX_NAME + 8], b[2 * RTAPP_MAX_NAME + 8];
	size_t i, j;

	for (i = 0; i < wl->ntimers; i++) {
		ref_name(wl->timer_refs[i], a, sizeof(a));
		if (strlen(a) > RTAPP_MAX_NAME)
			return err_set(w->err, 0,
				       "task '%s': timer '%s' would be the "
				       "rt-app ref '%s', longer than %d "
				       "characters",
				       w->task->name, wl->timer_refs[i], a,
				       RTAPP_MAX_NAME);
		for (j = 0; j < i; j++) {
			ref_name(wl->timer_refs[j], b, sizeof(b));
			if (!strcmp(a, b))
				return err_set(w->err, 0,
					       "task '%s': timers '%s' and "
					       "'%s' would both be the rt-app "
					       "ref '%s'",
					       w->task->name, wl->timer_refs[j],
					       wl->timer_refs[i], a);
		}
	}
	return 0;
}

static void write_ref(FILE *out, const char *ref)
{
	char buf[2 * RTAPP_MAX_NAME + 8];

	ref_name(ref, buf, sizeof(buf));
	fprintf(out, "\"%s\"", buf);
}

/* The events of phases[from, to) (no blocks) into one phase object. */
static int write_events(struct rtw *w, const struct workload *wl, size_t from,
			size_t to, unsigned *nev)
{
	size_t i;

	for (i = from; i < to; i++) {
		const struct wl_phase *ph = &wl->phases[i];
		long long us;

		if (whole_us(w, &ph->len, &us))
			return -1;
		if (ph->kind == PHASE_TIMER) {
			fprintf(w->out, ",\n\t\t\t\t\t\"timer%u\": {\"ref\": ",
				(*nev)++);
			write_ref(w->out, wl->timer_refs[ph->timer]);
			fprintf(w->out, ", \"period\": %lld, \"mode\": \"%s\"}",
				us, ph->absolute ? "absolute" : "relative");
		} else {
			fprintf(w->out, ",\n\t\t\t\t\t\"%s%u\": %lld",
				ph->kind == PHASE_RUN ? "run" : "sleep",
				(*nev)++, us);
		}
	}
	return 0;
}

/* A workload as rt-app phases: consecutive entries outside blocks form a
 * phase that runs once, a block a phase with its loop. */
static int write_phases(struct rtw *w, const struct workload *wl)
{
	struct wl_phase one[2];
	struct workload tmp;
	const struct workload *src = wl;
	unsigned nphase = 0, nev = 0;
	size_t i, j, end;
	char *unique = NULL;

	if (check_refs(w, wl))
		return -1;
	memset(&tmp, 0, sizeof(tmp));
	if (wl->kind != WL_PHASES) {
		/* a hog runs 1 s at a time, a periodic task runs and waits
		 * for its absolute timer; both forever */
		memset(one, 0, sizeof(one));
		one[0].kind = PHASE_RUN;
		one[0].len =
			wl->kind == WL_HOG ?
				(struct len_range){NSEC_PER_SEC, NSEC_PER_SEC} :
				wl->run;
		tmp.kind = WL_PHASES;
		tmp.phases = one;
		tmp.nphases = 1;
		if (wl->kind == WL_PERIODIC) {
			unique = xstrdup("unique");
			tmp.timer_refs = &unique;
			tmp.ntimers = 1;
			one[1].kind = PHASE_TIMER;
			one[1].len.min_ns = one[1].len.max_ns = wl->period_ns;
			one[1].absolute = true;
			tmp.nphases = 2;
		}
		src = &tmp;
	}
	fprintf(w->out, ",\n\t\t\t\"loop\": %lld,\n\t\t\t\"phases\": {",
		src->loop ? (long long)src->loop : -1LL);
	for (i = 0; i < src->nphases; i = end) {
		const struct wl_phase *ph = &src->phases[i];

		fprintf(w->out, "%s\n\t\t\t\t\"p%u\": {", nphase ? "," : "",
			nphase);
		nphase++;
		if (ph->kind == PHASE_BLOCK) {
			end = i + 1 + ph->nchildren;
			fprintf(w->out, "\n\t\t\t\t\t\"loop\": %" PRIu64,
				ph->loop);
			j = i + 1;
		} else {
			for (end = i; end < src->nphases &&
				      src->phases[end].kind != PHASE_BLOCK;
			     end++)
				;
			fprintf(w->out, "\n\t\t\t\t\t\"loop\": 1");
			j = i;
		}
		if (write_events(w, src, j, end, &nev)) {
			free(unique);
			return -1;
		}
		fputs("\n\t\t\t\t}", w->out);
	}
	fputs("\n\t\t\t}", w->out);
	free(unique);
	return 0;
}

static void write_cgroup_note(FILE *out, const struct scenario *sc)
{
	char buf[256];
	size_t i;

	fputs("\t * rt-app does not set cgroup CPU controls: before the run,\n"
	      "\t * give the taskgroups these (cgroup v2 file, v1 file):\n",
	      out);
	for (i = 0; i < sc->ngroups; i++) {
		const struct group_spec *g = &sc->groups[i];

		fprintf(out, "\t *   /%s: cpu.weight %u (cpu.shares %u)",
			g->path, shares_to_weight(g->shares), g->shares);
		if (g->has_quota)
			fprintf(out,
				", cpu.max \"%" PRIu64 " %" PRIu64
				"\" (cpu.cfs_quota_us %" PRIu64
				", cpu.cfs_period_us %" PRIu64 ")",
				(uint64_t)(g->quota_ns / NSEC_PER_USEC),
				(uint64_t)(g->period_ns / NSEC_PER_USEC),
				(uint64_t)(g->quota_ns / NSEC_PER_USEC),
				(uint64_t)(g->period_ns / NSEC_PER_USEC));
		if (g->burst_ns)
			fprintf(out, ", cpu.max.burst %" PRIu64,
				(uint64_t)(g->burst_ns / NSEC_PER_USEC));
		if (g->cpus_set)
			fprintf(out, ", cpuset.cpus %s",
				cpulist_format(g->cpus_mask, buf, sizeof(buf)));
		fputc('\n', out);
	}
}

static int write_all(struct rtw *w)
{
	const struct scenario *sc = w->sc;
	FILE *out = w->out;
	char buf[256];
	size_t i;
	unsigned c;

	if (sc->duration_ns % NSEC_PER_SEC)
		return err_set(w->err, 0,
			       "duration %s is not a whole number of seconds, "
			       "which rt-app needs",
			       duration_format(sc->duration_ns,
					       DURATION_DECIMAL, buf,
					       sizeof(buf)));
	fprintf(out,
		"{\n\t/*\n\t * %s: written by 'cfssim export' from %s.\n"
		"\t * Every thread is pinned to the scenario's CPUs %s.\n",
		sc->name, sc->file[0] ? sc->file : "a scenario",
		cpulist_format(scenario_cpus_mask(sc), buf, sizeof(buf)));
	write_cgroup_note(out, sc);
	fprintf(out,
		"\t */\n\t\"global\": {\n\t\t\"duration\": %" PRIu64
		",\n\t\t\"default_policy\": \"SCHED_OTHER\",\n"
		"\t\t\"calibration\": \"CPU0\"\n\t},\n\t\"tasks\": {",
		(uint64_t)(sc->duration_ns / NSEC_PER_SEC));
	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *t = &sc->tasks[i];

		w->task = t;
		if (t->wl.kind == WL_REQUESTS)
			return err_set(
				w->err, 0,
				"task '%s' serves requests, which rt-app "
				"cannot express",
				t->name);
		fprintf(out, "%s\n\t\t\"%s\": {\n\t\t\t\"instance\": %u",
			i ? "," : "", w->names[i], t->count);
		fprintf(out, ",\n\t\t\t\"priority\": %d", t->nice);
		if (t->slice_ns)
			fprintf(out, ",\n\t\t\t\"dl-runtime\": %" PRIu64,
				(uint64_t)(t->slice_ns / NSEC_PER_USEC));
		if (t->wl.start_ns) {
			struct len_range d = {t->wl.start_ns, t->wl.start_ns};
			long long us;

			if (whole_us(w, &d, &us))
				return -1;
			fprintf(out, ",\n\t\t\t\"delay\": %lld", us);
		}
		fprintf(out, ",\n\t\t\t\"taskgroup\": \"/%s\"",
			sc->groups[t->group].path);
		fputs(",\n\t\t\t\"cpus\": [", out);
		for (c = 0; c < sc->cpus; c++)
			fprintf(out, "%s%u", c ? ", " : "", c);
		fputc(']', out);
		if (write_phases(w, &t->wl))
			return -1;
		fputs("\n\t\t}", out);
	}
	fputs("\n\t}\n}\n", out);
	return 0;
}

/* rt-app task names are keys of one object: a name used in two groups
 * becomes "group.path.name" (the path's '/' as '.'). */
static char **export_names(const struct scenario *sc, struct err *err)
{
	char **names = xcalloc(sc->ntasks + 1, sizeof(*names));
	size_t i, j;

	for (i = 0; i < sc->ntasks; i++) {
		const struct task_spec *t = &sc->tasks[i];
		bool shared = false;
		char *p;

		for (j = 0; j < sc->ntasks; j++)
			if (j != i && !strcmp(sc->tasks[j].name, t->name))
				shared = true;
		if (!shared) {
			names[i] = xstrdup(t->name);
			continue;
		}
		names[i] = xmalloc(strlen(sc->groups[t->group].path) +
				   strlen(t->name) + 2);
		sprintf(names[i], "%s.%s", sc->groups[t->group].path, t->name);
		for (p = names[i]; *p; p++)
			if (*p == '/')
				*p = '.';
	}
	for (i = 0; i < sc->ntasks; i++) {
		bool bad = strlen(names[i]) > RTAPP_MAX_NAME;

		for (j = 0; j < i && !bad; j++)
			bad = !strcmp(names[i], names[j]);
		if (bad) {
			err_set(err, 0,
				"task '%s' in group '%s' has no rt-app "
				"name of its own ('%s')",
				sc->tasks[i].name,
				sc->groups[sc->tasks[i].group].path, names[i]);
			for (i = 0; i < sc->ntasks; i++)
				free(names[i]);
			free(names);
			return NULL;
		}
	}
	return names;
}

int rtapp_write(FILE *out, const struct scenario *sc, struct err *err)
{
	struct rtw w = {.sc = sc, .err = err};
	char *text = NULL;
	size_t len = 0, i;
	int rc;

	w.names = export_names(sc, err);
	if (!w.names)
		return -1;
	w.out = open_memstream(&text, &len);
	if (!w.out) {
		rc = err_set(err, errno, "cannot write rt-app json");
		goto out_names;
	}
	rc = write_all(&w);
	if (fclose(w.out) && !rc)
		rc = err_set(err, errno, "cannot write rt-app json");
	if (!rc && fwrite(text, 1, len, out) != len)
		rc = err_set(err, errno, "cannot write rt-app json");
	free(text);
out_names:
	for (i = 0; i < sc->ntasks; i++)
		free(w.names[i]);
	free(w.names);
	return rc;
}
