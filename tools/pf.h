/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: bringing a PF to a wanted state (bound to pci-stub-pf, N VFs,
 * lock, autoprobe, VF driver).  Shared by the commands (bind, enable,
 * disable) and the configuration (apply, udev).  All checks come before the
 * first write: a request refused by a check leaves sysfs as it was.
 */
#ifndef SRIOVCTL_PF_H
#define SRIOVCTL_PF_H

#include <stdbool.h>

#include "pci.h"

#define AUTOPROBE_KEEP		-1
/* off before the VF count changes to N > 0, else untouched (enable) */
#define AUTOPROBE_OFF_ON_ENABLE	-2

struct pf_want {
	int vfs;		/* -1: keep */
	int lock;		/* -1: keep, else enum lock_state */
	int autoprobe;		/* AUTOPROBE_*, 0, 1 */
	const char *vf_driver;	/* NULL: leave the VFs alone */
	bool release;		/* release bound VFs before disabling */
};

/* Print the reason and return EXIT_REFUSED unless d is a PF. */
int pf_check(const char *ctx, const struct pci_dev *d);

/*
 * Bind the PF to pci-stub-pf; refuse if another driver has it unless
 * force.  d is updated to the new state (simulated in dry-run).
 */
int pf_bind(const char *ctx, struct pci_dev *d, bool force);

/* Make the PF as wanted.  d is the PF's current state. */
int pf_configure(const char *ctx, struct pci_dev *d, const struct pf_want *w);

/* Read the device at addr; print why and return EXIT_REFUSED if missing. */
int dev_load(const char *ctx, const char *addr, struct pci_dev *d);

#endif
