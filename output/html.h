/* The HTML report: one self-contained file with the pictures inlined as
 * SVG, the results tables, the scenario text and, for a comparison, the
 * verdict of cli/cmd_compare.h.  It loads nothing from outside (no scripts, fonts or links), so
 * it opens offline and in sandboxed viewers. */
#ifndef OUTPUT_HTML_H
#define OUTPUT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "compare/compare.h"
#include "base/err.h"
#include "model/results.h"

struct html_report {
	const char *title;	    /* scenario name */
	const struct results *sim;  /* may be NULL */
	const struct results *real; /* may be NULL */
	const char *scenario_file;  /* path shown above the text */
	const char *scenario_text;  /* the YAML, may be NULL */
	size_t scenario_len;
	const struct cmp_table *cmp;  /* sim vs real figures, may be NULL */
	const char *svg_dir;	      /* where <stem>.svg live, may be NULL */
	const char *const *svg_stems; /* NULL-terminated picture stems */
};

/* Writes s[0..len) with &, <, >, " and ' escaped. */
void html_escape(FILE *f, const char *s, size_t len);

/* Copies an SVG document into f as an inline <svg> element: drops what
 * precedes "<svg" (XML declaration, doctype) and prefixes every id and
 * every local reference (href="#x", url(#x)) with "<prefix>-" so that
 * several pictures can share one page. */
int html_inline_svg(FILE *f, const char *svg_path, const char *prefix,
		    struct err *err);

/* Writes the report; fails when a listed SVG cannot be read. */
int html_write(FILE *f, const struct html_report *rep, struct err *err);

/* Same into a new file at path. */
int html_write_file(const char *path, const struct html_report *rep,
		    struct err *err);

#endif
