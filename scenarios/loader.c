/* Scenario loader: the YAML document is first built into a tree of nodes
 * that remember their positions (scenarios/ytree.h; aliases, anchors and
 * tags are refused there), edits are applied to it, then the tree is
 * walked key by key into a struct scenario: the top level here, the rest
 * in the other loader_*.c files (scenarios/loader_internal.h).  Every
 * check stops at the first error, which carries the offending node's
 * 1-based line and column. */
#include "scenarios/loader.h"

#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/xalloc.h"
#include "scenarios/loader_internal.h"
#include "scenarios/name.h"
#include "scenarios/rtapp.h"

/* ---- the YAML document ------------------------------------------------ */

/* Refuses what the tree does not model: anchors (and so aliases) and tags. */
static int check_props(struct loader *ld, const yaml_event_t *ev,
		       const yaml_char_t *anchor, const yaml_char_t *tag)
{
	struct ynode where = {
		.line = (int)ev->start_mark.line + 1,
		.col = (int)ev->start_mark.column + 1,
	};

	if (anchor)
		return ld_fail(ld, &where, "anchors are not supported");
	if (tag)
		return ld_fail(ld, &where, "tags are not supported");
	return 0;
}

/* The YAML rules of the tree (struct ytree_rules): one document; no
 * aliases, anchors or tags; no NUL in a string. */
static int yaml_event(void *ctx, const yaml_event_t *ev,
		      const struct ytree_at *at)
{
	struct loader *ld = ctx;
	struct ynode where = {
		.line = (int)ev->start_mark.line + 1,
		.col = (int)ev->start_mark.column + 1,
	};

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (at->docs > 1)
			return ld_fail(
				ld, &where,
				"a scenario file must hold a single document");
		return 0;
	case YAML_ALIAS_EVENT:
		return ld_fail(ld, &where, "aliases are not supported");
	case YAML_SCALAR_EVENT:
		if (check_props(ld, ev, ev->data.scalar.anchor,
				ev->data.scalar.tag))
			return -1;
		if (strlen((const char *)ev->data.scalar.value) !=
		    ev->data.scalar.length)
			return ld_fail(ld, &where,
				       "strings must not hold NUL characters");
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		return check_props(ld, ev, ev->data.sequence_start.anchor,
				   ev->data.sequence_start.tag);
	case YAML_MAPPING_START_EVENT:
		return check_props(ld, ev, ev->data.mapping_start.anchor,
				   ev->data.mapping_start.tag);
	default:
		return 0;
	}
}

static int yaml_parser_error(void *ctx, const yaml_parser_t *p,
			     const char *text, size_t len)
{
	struct loader *ld = ctx;

	return ytree_parser_error(ld->err, ld->file, "yaml", p, text, len);
}

static const struct ytree_rules yaml_rules = {
	.lang = "yaml",
	.event = yaml_event,
	.parser_error = yaml_parser_error,
};

/* ---- the scenario ----------------------------------------------------- */

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

/* sweep: {PATH: VALUES, ..., seeds: K}; VALUES is a string in the syntax
 * of --set or a list of scalars.  Only the shape is checked here: the
 * sweep module parses paths and values and reports at these positions. */
static int load_sweep(struct loader *ld, const struct ynode *n)
{
	struct sweep_spec *sw = &ld->sc->sweep;
	size_t i, j;

	if (n->kind != Y_MAP)
		return ld_fail(ld, n,
			       "'sweep' must be a mapping of paths to values");
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *key = n->items[i];
		const struct ynode *val = n->items[i + 1];
		struct sweep_axis_spec *ax;
		uint64_t seeds;
		size_t len = 0;

		if (key->kind != Y_SCALAR)
			return ld_fail(ld, key,
				       "keys in sweep must be strings");
		if (ld_is_null(val))
			return ld_fail(ld, key, "'%s' has no value", key->text);
		for (j = 0; j < sw->naxes; j++)
			if (strcmp(sw->axes[j].path, key->text) == 0)
				return ld_fail(ld, key,
					       "duplicate key '%s' in sweep",
					       key->text);
		if (strcmp(key->text, "seeds") == 0) {
			if (sw->seeds)
				return ld_fail(
					ld, key,
					"duplicate key 'seeds' in sweep");
			if (ld_get_u64(ld, "seeds", val, 1, LOADER_MAX_SEEDS,
				       &seeds))
				return -1;
			sw->seeds = (unsigned)seeds;
			continue;
		}
		if (val->kind == Y_MAP)
			return ld_fail(
				ld, val,
				"'%s' must be values like '10ms,20ms' or a list",
				key->text);
		if (val->kind == Y_SEQ && val->n == 0)
			return ld_fail(ld, val,
				       "'%s' must not be an empty list",
				       key->text);
		for (j = 0; val->kind == Y_SEQ && j < val->n; j++) {
			if (val->items[j]->kind != Y_SCALAR ||
			    ld_is_null(val->items[j]))
				return ld_fail(ld, val->items[j],
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
		return ld_fail(ld, NULL, "scenario is empty");
	if (root->kind != Y_MAP)
		return ld_fail(ld, root, "a scenario must be a mapping");
	if (ld_get_fields(ld, root, "scenario", keys, S_NKEYS, f))
		return -1;
	if (f[S_NAME].val) {
		if (ld_get_string(ld, "name", f[S_NAME].val, &name) ||
		    ld_check_name(ld, "scenario", f[S_NAME].val))
			return -1;
		free(sc->name);
		sc->name = xstrdup(name);
	}
	if (!f[S_DURATION].val)
		return ld_fail(ld, root, "'duration' is required");
	if (ld_get_duration(ld, "duration", f[S_DURATION].val, 1,
			    LOADER_MAX_LEN_NS, false, &sc->duration_ns))
		return -1;
	if (f[S_CPUS].val) {
		if (ld_get_u64(ld, "cpus", f[S_CPUS].val, 1, SIM_MAX_CPUS, &v))
			return -1;
		sc->cpus = (unsigned)v;
	}
	if (f[S_SEED].val &&
	    ld_get_u64(ld, "seed", f[S_SEED].val, 0, UINT64_MAX, &sc->seed))
		return -1;
	if (f[S_KERNEL].val && ld_load_kernel(ld, f[S_KERNEL].val))
		return -1;
	if (f[S_EXPECT].val && ld_load_expect(ld, f[S_EXPECT].val))
		return -1;
	if (f[S_GROUPS].val) {
		if (f[S_GROUPS].val->kind != Y_SEQ)
			return ld_fail(ld, f[S_GROUPS].val,
				       "'groups' must be a list");
		for (i = 0; i < f[S_GROUPS].val->n; i++)
			if (ld_load_group(ld, f[S_GROUPS].val->items[i], -1, 0))
				return -1;
	}
	if (sc->ntasks == 0)
		return ld_fail(ld, root, "scenario has no tasks");
	if (f[S_NOT_MODELLED].val &&
	    ld_load_not_modelled(ld, f[S_NOT_MODELLED].val))
		return -1;
	if (f[S_SWEEP].val && load_sweep(ld, f[S_SWEEP].val))
		return -1;
	return 0;
}

/* ---- loading ---------------------------------------------------------- */

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
	dname = scenario_default_name(name);
	scenario_init(sc, dname);
	free(dname);
	free(sc->file);
	sc->file = xstrdup(name);
	if (len > LOADER_MAX_FILE)
		rc = ld_fail(&ld, NULL, "scenario is larger than 1 MiB");
	else
		rc = ytree_build(text, len, name, &yaml_rules, &ld, err, &root);
	for (i = 0; rc == 0 && i < nedits; i++)
		rc = ld_apply_edit(&ld, root, &edits[i]);
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
