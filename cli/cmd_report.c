/* `cfssim report FILE -o DIR [--compare]`: everything `plot` makes, plus
 * DIR/report.html, one self-contained page with the pictures, tables and
 * scenario text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_plot.h"
#include "cli/cmd_compare.h"
#include "output/html.h"
#include "output/plot.h"
#include "base/xalloc.h"
#include "base/file.h"

int cmd_report(const struct cli_opts *o)
{
	struct plot_session s;
	struct html_report rep;
	struct cmp_table cmp;
	struct err err;
	char buf[1200];
	char *text, *path;
	size_t len = 0, plen;
	int rc = plot_session_run(o, &s);

	if (rc != EXIT_OK)
		return rc;
	err_init(&err);
	memset(&rep, 0, sizeof(rep));
	memset(&cmp, 0, sizeof(cmp));
	if (s.have_sim && s.have_real) {
		/* the verdict weighs the real run against the simulated
		 * range, as cfssim compare does */
		struct results sims[CMP_SIM_RUNS];
		uint64_t wall;
		size_t k;

		rc = cmp_simulate(&s.sc, sims, &wall, &err);
		if (!rc) {
			rc = cmp_build(&s.sc, sims, CMP_SIM_RUNS, &s.real, 1,
				       cmp_host_has_local(), &cmp, &err);
			for (k = 0; k < CMP_SIM_RUNS; k++)
				results_destroy(&sims[k]);
		}
		if (rc < 0) {
			fprintf(stderr, "cfssim: %s\n",
				err_str(&err, buf, sizeof(buf)));
			plot_session_destroy(&s);
			return EXIT_FAIL;
		}
		rep.cmp = &cmp;
	}
	text = file_read(o->file, SIZE_MAX, &len, &err);
	if (!text) {
		fprintf(stderr, "cfssim: cannot read '%s': %s\n", o->file,
			strerror(err.code));
		cmp_destroy(&cmp);
		plot_session_destroy(&s);
		return EXIT_FAIL;
	}
	rep.title = s.sc.name;
	rep.sim = s.have_sim ? &s.sim : NULL;
	rep.real = s.have_real ? &s.real : NULL;
	rep.scenario_file = o->file;
	rep.scenario_text = text;
	rep.scenario_len = len;
	rep.svg_dir = o->output;
	rep.svg_stems = s.primary_stems;
	plen = strlen(o->output) + sizeof("/report.html");
	path = xmalloc(plen);
	snprintf(path, plen, "%s/report.html", o->output);
	if (html_write_file(path, &rep, &err) < 0) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = EXIT_FAIL;
	} else {
		printf("%s\n", path);
		/* like compare: outside tolerance is a failure */
		if (rep.cmp && cmp.failed)
			rc = EXIT_FAIL;
	}
	free(path);
	free(text);
	cmp_destroy(&cmp);
	plot_session_destroy(&s);
	return rc;
}
