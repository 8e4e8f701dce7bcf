/* JSON reader: recursive descent over RFC 8259, depth-limited. */
#include "sweep/json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define JSON_MAX_DEPTH 64

struct jp {
	const char *s;
	size_t len, pos;
	struct err *err;
};

static int jfail(struct jp *p, const char *what)
{
	return err_set(p->err, 0, "at byte %zu: %s", p->pos + 1, what);
}

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len &&
	       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static struct sweep_json *node(enum sweep_json_kind kind)
{
	struct sweep_json *j = xcalloc(1, sizeof(*j));

	j->kind = kind;
	return j;
}

static void put_utf8(char *out, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* A string at p->pos (the opening quote); *out owned by the caller. */
static int parse_string(struct jp *p, char **out)
{
	size_t start = ++p->pos, n = 0;
	char *buf;
	unsigned cp;
	int i;

	while (p->pos < p->len && p->s[p->pos] != '"')
		p->pos += p->s[p->pos] == '\\' ? 2 : 1;
	if (p->pos >= p->len)
		return jfail(p, "unterminated string");
	buf = xmalloc(p->pos - start + 1);
	for (p->pos = start; p->s[p->pos] != '"'; p->pos++) {
		char c = p->s[p->pos];

		if ((unsigned char)c < 0x20) {
			free(buf);
			return jfail(p, "control character in a string");
		}
		if (c != '\\') {
			buf[n++] = c;
			continue;
		}
		c = p->s[++p->pos];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf[n++] = c;
			break;
		case 'b':
			buf[n++] = '\b';
			break;
		case 'f':
			buf[n++] = '\f';
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'u':
			cp = 0;
			for (i = 0; i < 4; i++) {
				char h = p->pos + 1 < p->len ? p->s[++p->pos] :
							       '\0';

				cp <<= 4;
				if (h >= '0' && h <= '9')
					cp |= (unsigned)(h - '0');
				else if (h >= 'a' && h <= 'f')
					cp |= (unsigned)(h - 'a' + 10);
				else if (h >= 'A' && h <= 'F')
					cp |= (unsigned)(h - 'A' + 10);
				else {
					free(buf);
					return jfail(p, "bad \\u escape");
				}
			}
			/* 6 bytes of escape hold up to 3 of UTF-8 */
			put_utf8(buf, &n, cp);
			break;
		default:
			free(buf);
			return jfail(p, "bad escape in a string");
		}
	}
	p->pos++;
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static struct sweep_json *parse_value(struct jp *p, unsigned depth);

static void append(struct sweep_json *parent, struct sweep_json *child,
		   char *key)
{
	size_t cap = parent->cap;

	xgrow((void **)&parent->items, &parent->cap, parent->n + 1,
	      sizeof(*parent->items)); /* NOLINT(bugprone-sizeof-expression) */
	if (parent->kind == SWEEP_JSON_OBJ) {
		if (parent->cap != cap || !parent->keys)
			parent->keys =
				xrealloc(parent->keys,
					 parent->cap * sizeof(*parent->keys));
		parent->keys[parent->n] = key;
	}
	parent->items[parent->n++] = child;
}

static struct sweep_json *parse_container(struct jp *p, unsigned depth,
					  bool obj)
{
	struct sweep_json *j = node(obj ? SWEEP_JSON_OBJ : SWEEP_JSON_ARR);
	char close = obj ? '}' : ']';

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return j;
	}
	for (;;) {
		struct sweep_json *v;
		char *key = NULL;

		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				jfail(p, "expected a key");
				goto bad;
			}
			if (parse_string(p, &key))
				goto bad;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				jfail(p, "expected ':'");
				goto bad;
			}
			p->pos++;
		}
		v = parse_value(p, depth + 1);
		if (!v) {
			free(key);
			goto bad;
		}
		append(j, v, key);
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return j;
		}
		jfail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
bad:
	sweep_json_free(j);
	return NULL;
}

static bool word(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->pos < n || strncmp(p->s + p->pos, w, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static struct sweep_json *parse_value(struct jp *p, unsigned depth)
{
	struct sweep_json *j;
	size_t start;
	char *end;

	if (depth > JSON_MAX_DEPTH) {
		jfail(p, "nested too deeply");
		return NULL;
	}
	skip_ws(p);
	if (p->pos >= p->len) {
		jfail(p, "unexpected end");
		return NULL;
	}
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, depth, true);
	case '[':
		return parse_container(p, depth, false);
	case '"':
		j = node(SWEEP_JSON_STR);
		if (parse_string(p, &j->str)) {
			free(j);
			return NULL;
		}
		return j;
	default:
		break;
	}
	if (word(p, "null"))
		return node(SWEEP_JSON_NULL);
	if (word(p, "true") || word(p, "false")) {
		j = node(SWEEP_JSON_BOOL);
		j->b = p->s[p->pos - 1] == 'e' && p->s[p->pos - 2] == 'u';
		return j;
	}
	start = p->pos;
	while (p->pos < p->len && strchr("+-0123456789.eE", p->s[p->pos]))
		p->pos++;
	if (p->pos == start) {
		jfail(p, "unexpected character");
		return NULL;
	}
	j = node(SWEEP_JSON_NUM);
	j->str = xmalloc(p->pos - start + 1);
	memcpy(j->str, p->s + start, p->pos - start);
	j->str[p->pos - start] = '\0';
	errno = 0;
	j->num = strtod(j->str, &end);
	if (*end || errno) {
		p->pos = start;
		sweep_json_free(j);
		jfail(p, "bad number");
		return NULL;
	}
	return j;
}

struct sweep_json *sweep_json_parse(const char *text, size_t len,
				    struct err *err)
{
	struct jp p = {.s = text, .len = len, .err = err};
	struct sweep_json *j = parse_value(&p, 0);

	if (!j)
		return NULL;
	skip_ws(&p);
	if (p.pos != p.len) {
		sweep_json_free(j);
		jfail(&p, "text after the value");
		return NULL;
	}
	return j;
}

void sweep_json_free(struct sweep_json *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++) {
		sweep_json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
	free(j);
}

const struct sweep_json *sweep_json_get(const struct sweep_json *obj,
					const char *key)
{
	size_t i;

	if (!obj || obj->kind != SWEEP_JSON_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}
