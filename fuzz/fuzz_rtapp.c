/* libFuzzer target for the rt-app JSON importer: every input, loaded as
 * "t.json" (so through the loader's dispatch on the file name), must either
 * load into a scenario that passes the model's own invariants, or fail with
 * a located message "t.json:LINE:COL: ..." (or a plain message) and leave
 * the scenario empty.  What loads must load again as the YAML that
 * `cfssim import` prints, and, when rtapp_write (`cfssim export`) takes it,
 * as the JSON written.  Crashes, leaks, undefined behaviour and broken
 * invariants all abort. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "scenarios/loader.h"
#include "scenarios/rtapp.h"
#include "scenarios/writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_loaded(const struct scenario *sc)
{
	for (size_t i = 0; i < sc->ngroups; i++) {
		const struct group_spec *g = &sc->groups[i];

		/* Pre-order: a parent comes before its children. */
		if (g->parent >= (long)i || g->parent < -1)
			abort();
		if (!g->name || !g->name[0])
			abort();
	}
	for (size_t i = 0; i < sc->ntasks; i++) {
		const struct task_spec *t = &sc->tasks[i];

		if (t->group >= sc->ngroups || !t->name || !t->name[0])
			abort();
	}
}

/* Writes sc as YAML (yaml) or rt-app JSON; what was written, as name,
 * loads. */
static void check_round_trip(const struct scenario *sc, bool yaml,
			     const char *name)
{
	struct scenario back;
	struct err err;
	char *text = NULL;
	size_t len = 0;
	char buf[1200];
	FILE *f;
	int rc = 0;

	f = open_memstream(&text, &len);
	if (!f)
		abort();
	err_init(&err);
	if (yaml)
		scenario_write_yaml(f, sc, NULL);
	else
		rc = rtapp_write(f, sc, &err);
	fclose(f);
	if (rc == 0) {
		err_init(&err);
		if (scenario_load_string(text, len, name, &back, &err)) {
			fprintf(stderr, "%s written does not load: %s\n%s\n",
				name, err_str(&err, buf, sizeof(buf)), text);
			abort();
		}
		check_loaded(&back);
		scenario_destroy(&back);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct err err;
	char buf[1200];

	memset(&sc, 0x5a, sizeof(sc));
	err_init(&err);
	if (scenario_load_string((const char *)data, size, "t.json", &sc,
				 &err) == 0) {
		check_loaded(&sc);
		check_round_trip(&sc, true, "w.yaml");
		check_round_trip(&sc, false, "w.json");
		scenario_destroy(&sc);
		return 0;
	}
	/* A failed load leaves the scenario empty and says something. */
	if (sc.groups || sc.tasks || sc.ngroups || sc.ntasks || !err.msg[0])
		abort();
	err_str(&err, buf, sizeof(buf));
	if (err.line > 0 && strncmp(buf, "t.json:", 7) != 0)
		abort();
	return 0;
}
