/* The document tree of both scenario formats (scenarios/ytree.h). */
#include "scenarios/ytree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct ynode *ynode_new(enum ykind kind, int line, int col)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

void ynode_free(struct ynode *n)
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

void ynode_append(struct ynode *parent, struct ynode *child)
{
	/* items holds pointers: the element size is a pointer's */
	xgrow((void **)&parent->items, &parent->cap, parent->n + 1,
	      sizeof(*parent->items)); /* NOLINT(bugprone-sizeof-expression) */
	parent->items[parent->n++] = child;
}

int ynode_verr(struct err *err, const char *file, const struct ynode *n,
	       const char *fmt, va_list ap)
{
	char msg[sizeof(err->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n && n->origin)
		return err_at(err, n->origin, 0, 0, "%s", msg);
	return err_at(err, file, n ? n->line : 1, n ? n->col : 1, "%s", msg);
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

int ytree_parser_error(struct err *err, const char *file, const char *lang,
		       const yaml_parser_t *p, const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	int line, col;

	if (p->error == YAML_READER_ERROR) {
		offset_position(text, len, p->problem_offset, &line, &col);
		return err_at(err, file, line, col, "invalid %s: %s", lang,
			      problem);
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column + 1;
	if (p->context)
		return err_at(err, file, line, col, "invalid %s: %s %s", lang,
			      problem, p->context);
	return err_at(err, file, line, col, "invalid %s: %s", lang, problem);
}

/* The state of one build. */
struct builder {
	const char *file;
	const struct ytree_rules *rules;
	void *ctx;
	struct err *err;
	struct ynode *stack[YTREE_MAX_DEPTH];
	size_t depth;
	struct ynode *root;
	unsigned docs;
};

/* Handles one event; returns 1 at the end of the stream, -1 on error. */
static int tree_event(struct builder *b, const yaml_event_t *ev)
{
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;
	struct ytree_at at;
	struct ynode *n;

	if (ev->type == YAML_DOCUMENT_START_EVENT)
		b->docs++;
	at.parent = b->depth > 0 ? b->stack[b->depth - 1] : NULL;
	at.root = b->root;
	at.docs = b->docs;
	if (b->rules->event(b->ctx, ev, &at))
		return -1;
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_SCALAR_EVENT:
		n = ynode_new(Y_SCALAR, line, col);
		n->text = xstrdup((const char *)ev->data.scalar.value);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		n = ynode_new(Y_SEQ, line, col);
		break;
	case YAML_MAPPING_START_EVENT:
		n = ynode_new(Y_MAP, line, col);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0) /* libyaml balances them; stay safe */
			b->depth--;
		return 0;
	default:
		return 0;
	}
	if (b->depth > 0)
		ynode_append(b->stack[b->depth - 1], n);
	else
		b->root = n;
	if (n->kind != Y_SCALAR) {
		if (b->depth == YTREE_MAX_DEPTH)
			return err_at(b->err, b->file, n->line, n->col,
				      "%s nested deeper than %d levels",
				      b->rules->lang, YTREE_MAX_DEPTH);
		b->stack[b->depth++] = n;
	}
	return 0;
}

int ytree_build(const char *text, size_t len, const char *file,
		const struct ytree_rules *rules, void *ctx, struct err *err,
		struct ynode **root)
{
	struct builder b = {
		.file = file, .rules = rules, .ctx = ctx, .err = err};
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		return err_set(err, ENOMEM, "cannot start the %s parser",
			       rules->lang);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = rules->parser_error(ctx, &parser, text, len);
			break;
		}
		rc = tree_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc < 0) {
		ynode_free(b.root);
		return -1;
	}
	*root = b.root;
	return 0;
}
