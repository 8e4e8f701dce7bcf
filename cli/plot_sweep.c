/* placeholder replaced below */
#include "cli/cli.h"
int cli_plot_sweep(const struct cli_opts *o, char **stems, size_t max)
{
	(void)o; (void)stems; (void)max;
	return EXIT_FAIL;
}
