/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: the steps every command is made of, each checked and each
 * failure explained: attribute writes (kernel refusals translated into
 * what to do), driver loading, and driverctl-style rebinding.
 *
 * Every function returns EXIT_OK or EXIT_REFUSED, having printed the
 * reason.  ctx starts each message ("enable 0000:01:00.0").
 */
#ifndef SRIOVCTL_ACTION_H
#define SRIOVCTL_ACTION_H

#include <stdbool.h>

#include "pci.h"

/* Write a device attribute; pf (may be NULL) gives context to hints. */
int act_write(const char *ctx, const struct pci_dev *d, const char *attr,
	      const char *val);

/* Make /sys/bus/pci/drivers/DRV exist: modprobe DRV when it does not. */
int act_load_driver(const char *ctx, const char *drv);

/*
 * Hand the device to drv: check driver_override exists, load the driver,
 * unbind from the current driver, write driver_override, write
 * drivers_probe, verify the driver link.  Steps already done are skipped.
 */
int act_assign(const char *ctx, const struct pci_dev *d, const char *drv);

/*
 * Give the device back: clear driver_override, unbind; with probe, write
 * drivers_probe so that the default driver may take it.
 */
int act_release(const char *ctx, const struct pci_dev *d, bool probe);

/* Unbind from the current driver (if any). */
int act_unbind(const char *ctx, const struct pci_dev *d);

#endif
