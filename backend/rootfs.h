/* The container image: a read-only directory that `make` builds as
 * build/rootfs (mount-point dirs proc sys dev tmp and the static
 * /cfssim-workload, nothing else).  Containers use it as the overlay's lower
 * layer; this module only finds and checks it, it never writes to it. */
#ifndef BACKEND_ROOTFS_H
#define BACKEND_ROOTFS_H

#include <stddef.h>

#include "base/err.h"

#define ROOTFS_ENV "CFSSIM_ROOTFS" /* overrides the search */

/* Finds the image: $CFSSIM_ROOTFS, else <dir of this executable>/rootfs,
 * else <dir of this executable>/../rootfs (tests under build/tests/), else
 * <dir>/../share/cfssim/rootfs (installed), and checks it with rootfs_check.
 * Error: "cannot find the container image (build/rootfs); run 'make' or set
 * CFSSIM_ROOTFS". */
int rootfs_locate(char *dir, size_t len, struct err *err);

/* Checks that dir holds proc/ sys/ dev/ tmp/ and an executable
 * cfssim-workload: "container image 'DIR' lacks 'ENTRY'". */
int rootfs_check(const char *dir, struct err *err);

#endif
