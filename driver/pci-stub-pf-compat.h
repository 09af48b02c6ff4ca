/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels pci-stub-pf builds on, in one place.
 * The HAVE_* macros come from conftest.sh, run by Kbuild for the target
 * kernel.
 */
#ifndef PCI_STUB_PF_COMPAT_H
#define PCI_STUB_PF_COMPAT_H

#include "pci-stub-pf-conftest.h"

#ifndef CONFIG_PCI_IOV
#error "pci-stub-pf needs a kernel built with CONFIG_PCI_IOV"
#endif

#ifndef PCI_STUB_PF_VERSION
#define PCI_STUB_PF_VERSION "unknown"
#endif

/*
 * pci_register_driver() copies pci_driver.dev_groups over
 * driver.dev_groups where the former exists, so use it there.
 */
#ifdef HAVE_PCI_DRIVER_DEV_GROUPS
#define PCI_STUB_PF_DEV_GROUPS(groups)	.dev_groups = (groups),
#else
#define PCI_STUB_PF_DEV_GROUPS(groups)	.driver = { .dev_groups = (groups) },
#endif

/*
 * The stub does no DMA through the kernel's DMA API; saying so keeps the
 * PF's IOMMU group usable by vfio for the VFs that share it.
 */
#ifdef HAVE_PCI_DRIVER_MANAGED_DMA
#define PCI_STUB_PF_DRIVER_MANAGED_DMA	.driver_managed_dma = true,
#else
#define PCI_STUB_PF_DRIVER_MANAGED_DMA
#endif

#ifndef HAVE_SYSFS_EMIT
#define sysfs_emit(buf, fmt, ...) scnprintf(buf, PAGE_SIZE, fmt, ##__VA_ARGS__)
#endif

#endif /* PCI_STUB_PF_COMPAT_H */
