/* The document tree both scenario formats are read into: libyaml's events
 * (YAML, and rt-app's JSON, which is YAML flow syntax) built into nodes
 * that remember their 1-based line and column, so that every later error
 * can name its place.  What a format refuses (anchors, tags, a second
 * document, unquoted strings ...) is said by its own rules, which the
 * builder asks about every event.  Private to scenarios/. */
#ifndef SCENARIOS_YTREE_H
#define SCENARIOS_YTREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "base/err.h"

#define YTREE_MAX_DEPTH 64 /* nested collections */

enum ykind { Y_SCALAR, Y_MAP, Y_SEQ };

/* One node.  A map holds key, value, key, value ... in items. */
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

/* A node of kind at line:col, with nothing in it. */
struct ynode *ynode_new(enum ykind kind, int line, int col);
/* Frees n and everything below it; accepts NULL. */
void ynode_free(struct ynode *n);
/* Appends child (owned from then on) to a map's or sequence's items. */
void ynode_append(struct ynode *parent, struct ynode *child);

/* Sets err to the message at n's place: its origin for a node an edit put
 * there, file:line:col otherwise, file:1:1 for NULL; returns -1. */
int ynode_verr(struct err *err, const char *file, const struct ynode *n,
	       const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Where an event stands in the tree being built. */
struct ytree_at {
	const struct ynode *parent; /* the collection a node goes into, NULL
				     * at the top */
	const struct ynode *root;   /* the top-level node so far, or NULL */
	unsigned docs;		    /* documents begun, this one included */
};

/* A format's rules.  Each hook returns 0 to go on, or -1 with the error
 * set (ctx is the caller's, and holds where the error goes). */
struct ytree_rules {
	const char *lang; /* "yaml", "json": in the builder's messages */
	/* Judges every event before the tree takes it.  It must refuse what
	 * would make a second top-level node. */
	int (*event)(void *ctx, const yaml_event_t *ev,
		     const struct ytree_at *at);
	/* Reports libyaml's error (ytree_parser_error, or the format's). */
	int (*parser_error)(void *ctx, const yaml_parser_t *p, const char *text,
			    size_t len);
};

/* Parses text into *root (NULL for an empty stream).  Collections nested
 * deeper than YTREE_MAX_DEPTH are refused at file:line:col.  On error
 * *root is NULL and -1 is returned. */
int ytree_build(const char *text, size_t len, const char *file,
		const struct ytree_rules *rules, void *ctx, struct err *err,
		struct ynode **root);

/* libyaml's error as "invalid LANG: problem [context]" at file:line:col:
 * where it found it, or for a reader error (bad UTF-8, NUL) at the byte
 * it names. */
int ytree_parser_error(struct err *err, const char *file, const char *lang,
		       const yaml_parser_t *p, const char *text, size_t len);

#endif
