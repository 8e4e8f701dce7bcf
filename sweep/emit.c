/* Writing cluster jobs for a sweep. */
#include "sweep/emit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenarios/writer.h"

void sweep_shell_word(FILE *f, const char *s)
{
	const char *p;

	if (*s &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_-+=/.,:@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

/* OUT without ".jsonl": shards are STEM.shard-I.jsonl. */
static char *stem_of(const char *out)
{
	size_t n = strlen(out);
	char *s = xstrdup(out);

	if (n > 6 && strcmp(out + n - 6, ".jsonl") == 0)
		s[n - 6] = '\0';
	return s;
}

/* "mkdir -p DIR && " for the directory of the shards, if they have one. */
static void mkdir_prefix(FILE *f, const char *stem)
{
	const char *slash = strrchr(stem, '/');
	char *dir;

	if (!slash || slash == stem)
		return;
	dir = xstrdup(stem);
	dir[slash - stem] = '\0';
	fputs("mkdir -p ", f);
	sweep_shell_word(f, dir);
	fputs(" && ", f);
	free(dir);
}

static void args_words(FILE *f, const struct sweep_emit *e)
{
	size_t i;

	for (i = 0; i < e->nargs; i++) {
		fputc(' ', f);
		sweep_shell_word(f, e->args[i]);
	}
}

/* The merge command for when every shard is done. */
static void merge_line(FILE *f, const struct sweep_emit *e, const char *stem)
{
	sweep_shell_word(f, e->cfssim);
	fputs(" merge ", f);
	sweep_shell_word(f, e->output);
	fputc(' ', f);
	sweep_shell_word(f, stem);
	fputs(".shard-*.jsonl", f);
}

static void emit_slurm(FILE *f, const struct sweep_emit *e, const char *stem)
{
	fprintf(f, "#!/bin/bash\n");
	fprintf(f,
		"# cfssim sweep of '%s': %u points in %u shards, one Slurm "
		"array task each.\n",
		e->scenario_name, e->points, e->shards);
	fprintf(f, "# Submit with '");
	mkdir_prefix(f, stem);
	fprintf(f, "sbatch FILE'; when every task is done, join the "
		   "shards:\n#   ");
	merge_line(f, e, stem);
	fprintf(f, "\n# A task that failed can run again alone (sbatch "
		   "--array=I FILE): each shard\n# names its index itself "
		   "and skips the points its file already holds.\n");
	fprintf(f, "#SBATCH --job-name=cfssim-%s\n", e->scenario_name);
	fprintf(f, "#SBATCH --array=0-%u\n", e->shards - 1);
	fprintf(f, "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n");
	fprintf(f, "#SBATCH --output=");
	sweep_shell_word(f, stem);
	fprintf(f, ".shard-%%a.log\n");
	fprintf(f, "set -eu\n");
	fprintf(f, "exec ");
	sweep_shell_word(f, e->cfssim);
	fprintf(f, " sweep ");
	sweep_shell_word(f, e->scenario);
	args_words(f, e);
	fprintf(f,
		" \\\n\t-j \"${SLURM_CPUS_PER_TASK:-1}\" --shard "
		"\"${SLURM_ARRAY_TASK_ID}/%u\" \\\n\t-o ",
		e->shards);
	sweep_shell_word(f, stem);
	fprintf(f, "\".shard-${SLURM_ARRAY_TASK_ID}.jsonl\"\n");
}

/* Kubernetes names: lowercase letters, digits and '-'. */
static void k8s_name(char *buf, size_t len, const char *s)
{
	size_t i, n = 0;

	n = (size_t)snprintf(buf, len, "cfssim-");
	for (i = 0; s[i] && n + 1 < len && n < 52; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		buf[n++] = c;
	}
	while (n > 0 && buf[n - 1] == '-')
		n--;
	buf[n] = '\0';
}

static void emit_k8s(FILE *f, const struct sweep_emit *e, const char *stem)
{
	const char *base = strrchr(stem, '/');
	const char *p, *nl;
	char name[64];
	size_t i, len, trail;

	base = base ? base + 1 : stem;
	k8s_name(name, sizeof(name), e->scenario_name);
	fprintf(f,
		"# cfssim sweep of '%s': %u points in %u shards as a "
		"Kubernetes Indexed Job.\n",
		e->scenario_name, e->points, e->shards);
	fprintf(f,
		"# Shard I writes /results/%s.shard-I.jsonl on the volume "
		"claim '%s-results'\n"
		"# (create it first, ReadWriteMany); apply with 'kubectl "
		"apply -f FILE', then join\n# the shards with 'cfssim merge "
		"%s.jsonl %s.shard-*.jsonl'.\n",
		base, name, base, base);
	fprintf(f,
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
		"data:\n  ",
		name);
	scenario_write_yaml_string(f, e->scenario_base);
	/* keep the text byte for byte (the sweep's identity hashes it):
	 * strip, clip or keep the final newlines as the file has them */
	len = strlen(e->scenario_text);
	for (trail = 0;
	     trail < len && e->scenario_text[len - 1 - trail] == '\n'; trail++)
		;
	fprintf(f, ": |%s\n", trail == 0 ? "-" : trail == 1 ? "" : "+");
	for (p = e->scenario_text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p)
			fprintf(f, "    %.*s", (int)(nl - p), p);
		fputc('\n', f);
		if (!*nl)
			break;
	}
	fprintf(f,
		"---\napiVersion: batch/v1\nkind: Job\nmetadata:\n"
		"  name: %s\nspec:\n"
		"  completionMode: Indexed\n"
		"  completions: %u\n  parallelism: %u\n"
		"  backoffLimit: %u\n"
		"  template:\n    spec:\n      restartPolicy: Never\n"
		"      containers:\n        - name: sweep\n"
		"          image: ",
		name, e->shards, e->shards, 2 * e->shards);
	scenario_write_yaml_string(f, e->image);
	fprintf(f, "\n          command: [\"cfssim\", \"sweep\", ");
	fprintf(f, "\"/scenario/");
	for (p = e->scenario_base; *p; p++)
		fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	fputc('"', f);
	for (i = 0; i < e->nargs; i++) {
		fputs(", ", f);
		scenario_write_yaml_string(f, e->args[i]);
	}
	fprintf(f, ", \"-j\", \"1\", \"-o\", ");
	fprintf(f, "\"/results/");
	for (p = base; *p; p++)
		fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	fprintf(f, ".shard-$(JOB_COMPLETION_INDEX).jsonl\"]\n");
	fprintf(f,
		"          env:\n            - name: CFSSIM_SHARDS\n"
		"              value: \"%u\"\n",
		e->shards);
	fprintf(f, "          resources:\n            requests:\n"
		   "              cpu: \"1\"\n");
	fprintf(f, "          volumeMounts:\n"
		   "            - name: scenario\n"
		   "              mountPath: /scenario\n"
		   "              readOnly: true\n"
		   "            - name: results\n"
		   "              mountPath: /results\n");
	fprintf(f,
		"      volumes:\n        - name: scenario\n"
		"          configMap:\n            name: %s\n"
		"        - name: results\n"
		"          persistentVolumeClaim:\n"
		"            claimName: %s-results\n",
		name, name);
}

static void emit_parallel(FILE *f, const struct sweep_emit *e, const char *stem)
{
	unsigned i;

	mkdir_prefix(f, stem);
	fprintf(f, "parallel -q --joblog ");
	sweep_shell_word(f, stem);
	fprintf(f, ".joblog --resume-failed --halt never ");
	sweep_shell_word(f, e->cfssim);
	fputs(" sweep ", f);
	sweep_shell_word(f, e->scenario);
	args_words(f, e);
	fprintf(f, " -j 1 --shard {}/%u -o ", e->shards);
	sweep_shell_word(f, stem);
	fputs(".shard-{}.jsonl :::", f);
	for (i = 0; i < e->shards; i++)
		fprintf(f, " %u", i);
	fputs(" && ", f);
	merge_line(f, e, stem);
	fputc('\n', f);
}

int sweep_emit(FILE *f, const struct sweep_emit *e, struct err *err)
{
	char *stem = stem_of(e->output);

	if (strcmp(e->kind, "slurm") == 0)
		emit_slurm(f, e, stem);
	else if (strcmp(e->kind, "k8s") == 0)
		emit_k8s(f, e, stem);
	else if (strcmp(e->kind, "parallel") == 0)
		emit_parallel(f, e, stem);
	else {
		free(stem);
		return err_set(
			err, 0,
			"--emit must be slurm, k8s or parallel, not '%s'",
			e->kind);
	}
	free(stem);
	return 0;
}
