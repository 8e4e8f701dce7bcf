/* `cfssim merge OUT SHARD...`: joins the outputs of a sweep's shards into
 * OUT (each point once, sorted by id) and names the points none holds. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "sweep/merge.h"

int cmd_merge(const struct cli_opts *o)
{
	struct sweep_merge_stats st;
	char buf[1200], ids[400];
	struct err err;

	if (o->noperands < 2) {
		fprintf(stderr, "cfssim: 'merge' needs OUT and at least one "
				"SHARD\nTry 'cfssim --help' for more "
				"information.\n");
		return EXIT_USAGE;
	}
	err_init(&err);
	if (sweep_merge(o->operands[0], o->operands + 1, o->noperands - 1, &st,
			&err)) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		return EXIT_USAGE;
	}
	printf("%s: %" PRIu64 " of %" PRIu64 " points", o->operands[0],
	       st.written, st.points);
	if (st.duplicates)
		printf(", %" PRIu64 " duplicate line%s dropped", st.duplicates,
		       st.duplicates == 1 ? "" : "s");
	if (st.torn)
		printf(", %" PRIu64 " torn last line%s ignored", st.torn,
		       st.torn == 1 ? "" : "s");
	printf("\n");
	if (st.nmissing) {
		sweep_format_ids(st.missing, st.nmissing, ids, sizeof(ids));
		fprintf(stderr, "cfssim: %zu point%s missing: %s\n",
			st.nmissing, st.nmissing == 1 ? " is" : "s are", ids);
		free(st.missing);
		return EXIT_FAIL;
	}
	free(st.missing);
	return EXIT_OK;
}
