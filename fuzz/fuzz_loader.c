/* libFuzzer target for the YAML scenario loader: every input must either
 * load into a scenario that passes the model's own invariants, or fail with
 * a located message "t.yaml:LINE:COL: ..." (or a plain message) and leave
 * the scenario empty.  Crashes, leaks, undefined behaviour and broken
 * invariants all abort. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "scenarios/loader.h"

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

		if (t->group >= sc->ngroups)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct err err;
	char buf[1200];

	memset(&sc, 0x5a, sizeof(sc));
	err_init(&err);
	if (scenario_load_string((const char *)data, size, "t.yaml", &sc,
				 &err) == 0) {
		check_loaded(&sc);
		scenario_destroy(&sc);
		return 0;
	}
	/* A failed load leaves the scenario empty and says something. */
	if (sc.groups || sc.tasks || sc.ngroups || sc.ntasks || !err.msg[0])
		abort();
	err_str(&err, buf, sizeof(buf));
	if (err.line > 0 && strncmp(buf, "t.yaml:", 7) != 0)
		abort();
	return 0;
}
