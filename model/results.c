#include "model/results.h"

#include <stdlib.h>
#include <string.h>

void results_destroy(struct results *r)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i].path);
	if (r->task_strings)
		free(r->task_strings);
	else
		for (i = 0; i < r->ntasks; i++) {
			free(r->tasks[i].group);
			free(r->tasks[i].name);
		}
	free(r->groups);
	free(r->tasks);
	free(r->scenario);
	if (r->timeline) {
		free(r->timeline->periods);
		free(r->timeline->slices);
		free(r->timeline->vruntimes);
		free(r->timeline);
	}
	memset(r, 0, sizeof(*r));
}
