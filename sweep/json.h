/* A small JSON reader for the files sweeps write (JSON Lines of points):
 * parses one text into a tree that owns all its strings and children. */
#ifndef SWEEP_JSON_H
#define SWEEP_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum sweep_json_kind {
	SWEEP_JSON_NULL,
	SWEEP_JSON_BOOL,
	SWEEP_JSON_NUM,
	SWEEP_JSON_STR,
	SWEEP_JSON_ARR,
	SWEEP_JSON_OBJ,
};

struct sweep_json {
	enum sweep_json_kind kind;
	bool b;
	double num;
	char *str;		   /* SWEEP_JSON_STR decoded, NUM as written */
	char **keys;		   /* SWEEP_JSON_OBJ: keys[i] names items[i] */
	struct sweep_json **items; /* ARR, OBJ */
	size_t n, cap;
};

/* Parses text[0..len) (one value, white space around it allowed); NULL
 * with err set ("at byte N: ...") when it is not JSON. */
struct sweep_json *sweep_json_parse(const char *text, size_t len,
				    struct err *err);
/* Frees j and everything below it; accepts NULL. */
void sweep_json_free(struct sweep_json *j);
/* The member key of object obj, or NULL (also when obj is no object). */
const struct sweep_json *sweep_json_get(const struct sweep_json *obj,
					const char *key);

#endif
