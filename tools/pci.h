/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: the device model.  A PF or VF as read from sysfs, so that the
 * commands work on structs and never on paths.
 */
#ifndef SRIOVCTL_PCI_H
#define SRIOVCTL_PCI_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

#define STUB_DRIVER "pci-stub-pf"

enum lock_state {
	LOCK_NA = -1,		/* no sriov_lock: PF not bound to pci-stub-pf */
	LOCK_UNLOCKED = 0,
	LOCK_LOCKED = 1,
	LOCK_SEALED = 2,
	LOCK_UNKNOWN = 3,	/* attribute there, value not understood */
};

struct pci_vf {
	char addr[PCI_ADDR_LEN];
	unsigned int index;	/* N of virtfnN */
};

struct pci_dev {
	char addr[PCI_ADDR_LEN];
	bool has_ids;
	unsigned int vendor, device;
	char driver[DRIVER_NAME_MAX];	/* "" when not bound */
	bool has_override;		/* driver_override exists */
	char override[DRIVER_NAME_MAX];	/* "" when not set */

	/* PF: it has sriov_totalvfs */
	bool is_pf;
	unsigned int numvfs, totalvfs;
	int autoprobe;			/* 0, 1, -1 unknown */
	enum lock_state lock;
	struct pci_vf *vfs;		/* virtfnN links, by N */
	size_t nvfs;

	/* VF: it has a physfn link */
	bool is_vf;
	char pf[PCI_ADDR_LEN];
};

/*
 * Read the device at the canonical address addr.  Returns 0, -ENOENT when
 * there is no such device, another -errno when reading it failed.
 */
int pci_dev_read(const char *addr, struct pci_dev *d);
void pci_dev_free(struct pci_dev *d);

/*
 * Every SR-IOV PF, sorted by address, without their VFs (vfs is NULL:
 * pci_dev_read() one PF for them).  Free with pci_devs_free().
 */
int pci_list_pfs(struct pci_dev **devs, size_t *n);
void pci_devs_free(struct pci_dev *devs, size_t n);

/* Index of the VF in its PF's virtfn links, -1 if not found. */
int pci_vf_index(const struct pci_dev *pf, const char *vf);

const char *lock_name(enum lock_state l);

#endif
