/* cfssim import FILE.json: an rt-app file as scenario YAML.
 * cfssim export FILE: a scenario's workloads as rt-app JSON.
 * Both write to standard output, or with -o to a file that appears only
 * when it is complete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenarios/rtapp.h"
#include "scenarios/writer.h"

enum convert { TO_YAML, TO_RTAPP };

static int write_to(FILE *out, const struct scenario *sc, enum convert how,
		    struct err *err)
{
	char header[1024];

	if (how == TO_RTAPP)
		return rtapp_write(out, sc, err);
	snprintf(header, sizeof(header),
		 "%s: imported by 'cfssim import' from %s (rt-app).\n"
		 "rt-app 'run' and 'runtime' are both CPU time here, so its "
		 "calibration does not matter.\n"
		 "Add shares, weight, quota, period, burst or cpus to the "
		 "groups to put the tasks under limits.",
		 sc->name, sc->file);
	scenario_write_yaml(out, sc, header);
	return ferror(out) ? err_set(err, EIO, "cannot write the scenario") : 0;
}

/* Writes into a temporary file beside path, renamed over it at the end. */
static int write_file(const char *path, const struct scenario *sc,
		      enum convert how, struct err *err)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	FILE *out;
	int fd, rc;

	if (!tmp)
		abort();
	snprintf(tmp, len + 16, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = err_set(err, errno, "cannot create '%s'", path);
		goto out_free;
	}
	out = fdopen(fd, "w");
	if (!out) {
		rc = err_set(err, errno, "cannot create '%s'", path);
		close(fd);
		goto out_unlink;
	}
	rc = write_to(out, sc, how, err);
	if (fclose(out) && !rc)
		rc = err_set(err, errno, "cannot write '%s'", path);
	if (!rc && rename(tmp, path))
		rc = err_set(err, errno, "cannot write '%s'", path);
	if (!rc)
		goto out_free;
out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	return rc;
}

static int convert(const struct cli_opts *o, enum convert how)
{
	struct scenario sc;
	struct err err;
	char buf[1200];
	int rc;

	rc = cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	err_init(&err);
	if (o->output)
		rc = write_file(o->output, &sc, how, &err);
	else
		rc = write_to(stdout, &sc, how, &err);
	if (rc) {
		fprintf(stderr, "cfssim: %s\n",
			err_str(&err, buf, sizeof(buf)));
		rc = err.code ? EXIT_FAIL : EXIT_USAGE;
	}
	scenario_destroy(&sc);
	return rc;
}

int cmd_import(const struct cli_opts *o)
{
	if (!rtapp_is_file(o->file)) {
		fprintf(stderr,
			"cfssim: 'import' reads an rt-app file ending in "
			".json, not '%s'\n",
			o->file);
		return EXIT_USAGE;
	}
	return convert(o, TO_YAML);
}

int cmd_export(const struct cli_opts *o)
{
	return convert(o, TO_RTAPP);
}
