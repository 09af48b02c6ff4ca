/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: the only module that touches sysfs.  Every path is built here,
 * from the root given by --sysfs / SRIOVCTL_SYSFS (default /sys) and from
 * device addresses and names that addr.c has validated.  Dry-run (-n) lives
 * here too: a write is printed as "write <path> '<value>'" and not made.
 *
 * Functions return 0 (or a length) on success and -errno on failure.
 */
#ifndef SRIOVCTL_SYSFS_H
#define SRIOVCTL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define SYSFS_DEFAULT_ROOT "/sys"

/* Root of the sysfs tree; false if it is too long to build paths from. */
bool sysfs_set_root(const char *root);
const char *sysfs_root(void);
/* True when the root is the real /sys, where running modprobe makes sense. */
bool sysfs_root_is_default(void);

void sysfs_set_dry_run(bool on);
bool sysfs_dry_run(void);

/*
 * Full path, for messages, of the device attribute (attr NULL: the device
 * directory), of a global file (sysfs_path) or a driver directory.
 */
const char *sysfs_dev_path(const char *addr, const char *attr);
const char *sysfs_path(const char *rel);
const char *sysfs_driver_path(const char *drv);

/* Read a device attribute, trailing newline removed; returns the length. */
int sysfs_dev_read(const char *addr, const char *attr, char *buf,
		   size_t size);
/* Write a device attribute in one write(2) (or print it in dry-run). */
int sysfs_dev_write(const char *addr, const char *attr, const char *val);
/* Write a file under the root, e.g. "bus/pci/drivers_probe". */
int sysfs_write(const char *rel, const char *val);
/* Does the device attribute (attr NULL: the device) exist? */
bool sysfs_dev_exists(const char *addr, const char *attr);
/* Last component of the target of a device's link (driver, physfn...). */
int sysfs_dev_link(const char *addr, const char *link, char *buf,
		   size_t size);
/* Is /sys/bus/pci/drivers/DRV there? */
bool sysfs_driver_exists(const char *drv);

/*
 * Names in the device directory (addr NULL: in /sys/bus/pci/devices),
 * sorted.  Free with sysfs_free_names().
 */
int sysfs_dev_list(const char *addr, char ***names, size_t *n);
void sysfs_free_names(char **names, size_t n);

/* Sleep for the given milliseconds (polling for udev). */
void sysfs_sleep_ms(unsigned int ms);

#endif
