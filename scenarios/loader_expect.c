/* The expect: and not_modelled: sections of the YAML scenario format: the
 * tolerances cfssim compare judges a scenario by, within the project's
 * ceilings, and the figures it leaves unjudged
 * (scenarios/loader_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "compare/compare.h"
#include "scenarios/loader_internal.h"

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
		end = ld_parse_decimal(n->text, &ip, &fp, &fd, &overflow);
		if (!end || strcmp(end, "%") != 0 || fd > 9)
			return ld_fail(ld, n,
				       "'%s' must be a percentage like '5%%'",
				       name);
		if (overflow || ip > 1000 || (ip == 1000 && fp))
			return ld_fail(ld, n, "'%s' must be at most 1000%%",
				       name);
		t->kind = TOL_REL;
		t->rel = (double)(ip * ld_pow10(fd) + fp) /
			 (double)(100 * ld_pow10(fd));
		return 0;
	}
	if (is_time) {
		if (n->kind != Y_SCALAR)
			return ld_fail(
				ld, n,
				"'%s' must be a duration like '10ms' or a percentage like '5%%'",
				name);
		if (ld_get_duration(ld, name, n, 0, LOADER_MAX_LEN_NS, false,
				    &t->abs))
			return -1;
	} else {
		end = NULL;
		if (n->kind == Y_SCALAR)
			end = ld_parse_decimal(n->text, &ip, &fp, &fd,
					       &overflow);
		if (!end || *end || strchr(n->text, '.') || overflow)
			return ld_fail(
				ld, n,
				"'%s' must be a count like '2' or a percentage like '5%%'",
				name);
		t->abs = ip;
	}
	t->kind = TOL_ABS;
	return 0;
}

int ld_load_expect(struct loader *ld, const struct ynode *n)
{
	const char *keys[EXPECT_NKEYS];
	struct field f[EXPECT_NKEYS];
	size_t i;

	for (i = 0; i < EXPECT_NKEYS; i++)
		keys[i] = expect_keys[i].name;
	if (ld_get_fields(ld, n, "expect", keys, EXPECT_NKEYS, f))
		return -1;
	for (i = 0; i < EXPECT_NKEYS; i++) {
		struct tolerance *tol = expect_tolerance(&ld->sc->expect, i);
		char msg[160];
		int key;

		if (!f[i].val)
			continue;
		if (get_tolerance(ld, keys[i], expect_keys[i].is_time, f[i].val,
				  tol))
			return -1;
		/* no scenario may allow more than the project's ceiling */
		key = cmp_figure_lookup(keys[i]);
		if (!cmp_within_ceiling(
			    keys[i],
			    key < 0 ? CMP_LATENCY :
				      cmp_figure((enum figure_key)key)->kind,
			    tol, ld->sc->kernel.hz, msg, sizeof(msg)))
			return ld_fail(ld, f[i].val, "%s", msg);
	}
	return 0;
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

	if (ld_get_fields(ld, n, key, keys, 2, f))
		return -1;
	if (!f[0].val || f[0].val->kind != Y_SCALAR || !f[0].val->text[0])
		return ld_fail(ld, f[0].val ? f[0].val : n,
			       "'%s' needs the reason it is not modelled", key);
	*reason = f[0].val->text;
	if (!f[1].val)
		return 0;
	if (f[1].val->kind != Y_SEQ || !f[1].val->n)
		return ld_fail(ld, f[1].val,
			       "'groups' of '%s' must be a list of group paths",
			       key);
	x->not_modelled_groups[fi] =
		xcalloc(f[1].val->n, sizeof(*x->not_modelled_groups[fi]));
	for (i = 0; i < f[1].val->n; i++) {
		if (ld_get_string(ld, "groups", f[1].val->items[i], &path))
			return -1;
		if (scenario_find_group(ld->sc, path) < 0)
			return ld_fail(
				ld, f[1].val->items[i],
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
int ld_load_not_modelled(struct loader *ld, const struct ynode *n)
{
	struct expect_spec *x = &ld->sc->expect;
	const char *keys[FIG_NKEYS], *reason;
	struct field f[FIG_NKEYS];
	size_t i, k;

	for (i = 0; i < FIG_NKEYS; i++)
		keys[i] = cmp_figure((enum figure_key)i)->key;
	if (ld_get_fields(ld, n, "not_modelled", keys, FIG_NKEYS, f))
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
				return ld_fail(
					ld, f[i].val,
					"'%s' needs the reason it is not "
					"modelled",
					keys[i]);
			if (ld_get_string(ld, keys[i], f[i].val, &reason))
				return -1;
		}
		free(x->not_modelled[i]);
		x->not_modelled[i] = xstrdup(reason);
	}
	return 0;
}
