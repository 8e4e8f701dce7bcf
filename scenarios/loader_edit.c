/* Edits of a YAML scenario before it is loaded (scenario_load_edited, for
 * cfssim sweep and tune): each value set by path into the document tree,
 * as new nodes that name the edit in messages instead of a position
 * (scenarios/loader_internal.h). */
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenarios/loader_internal.h"
#include "scenarios/name.h"

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
	struct ynode *n = ynode_new(kind, 1, 1);

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
	char name[SCENARIO_MAX_NAME + 1];
	struct ynode where = {.origin = e->origin};
	size_t len;

	for (;;) {
		slash = strchr(seg, '/');
		len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (len > SCENARIO_MAX_NAME)
			len = SCENARIO_MAX_NAME;
		memcpy(name, seg, len);
		name[len] = '\0';
		map = seq_find_named(map_get(map, "groups"), name);
		if (!map) {
			ld_fail(ld, &where, "no group '%.*s'",
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
int ld_apply_edit(struct loader *ld, struct ynode *root,
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
			return ld_fail(ld, &where, "no task '%s' in group '%s'",
				       e->task, e->group);
		snprintf(owner, sizeof(owner), "task '%s:%s'", e->group,
			 e->task);
	}
	for (;;) {
		dot = strchr(key, '.');
		len = dot ? (size_t)(dot - key) : strlen(key);
		if (len == 0 || len >= sizeof(seg))
			return ld_fail(ld, &where, "'%s' is not a key", e->key);
		memcpy(seg, key, len);
		seg[len] = '\0';
		if (!dot)
			break;
		next = map_get(map, seg);
		if (!next)
			next = map_put(map, seg, edit_node(Y_MAP, e, NULL), e,
				       owner);
		if (next->kind != Y_MAP)
			return ld_fail(ld, &where,
				       "'%.*s' of %s is not a mapping",
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
