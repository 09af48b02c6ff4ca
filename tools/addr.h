/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: validators for everything that comes from outside (command
 * line, configuration, link targets read from sysfs) before it becomes part
 * of a path or of a sysfs write.  Strict on purpose: what is not accepted
 * here never reaches the filesystem.
 */
#ifndef SRIOVCTL_ADDR_H
#define SRIOVCTL_ADDR_H

#include <stdbool.h>

/* "DDDD:BB:DD.F" and its NUL */
#define PCI_ADDR_LEN	13
/* longest driver name accepted, NUL included */
#define DRIVER_NAME_MAX	64

struct pci_addr {
	unsigned int domain;	/* 0..0xffff */
	unsigned int bus;	/* 0..0xff */
	unsigned int dev;	/* 0..0x1f */
	unsigned int fn;	/* 0..7 */
};

/*
 * Parse "DDDD:BB:DD.F" or "BB:DD.F" (domain 0000): hex digits of exactly
 * these widths, either case, device 00-1f, function 0-7, nothing before or
 * after.  Returns 0 or -1.
 */
int addr_parse(const char *s, struct pci_addr *a);

/* The canonical form, lower case with the domain: "0000:01:00.0". */
void addr_format(const struct pci_addr *a, char buf[PCI_ADDR_LEN]);

/* addr_parse() then addr_format(); returns 0 or -1. */
int addr_canon(const char *s, char buf[PCI_ADDR_LEN]);

/* Parse "VVVV:DDDD" (exactly four hex digits each).  Returns 0 or -1. */
int id_parse(const char *s, unsigned int *vendor, unsigned int *device);

/*
 * A driver name that may become a path component and a driver_override
 * value: 1-63 characters of [A-Za-z0-9_.-], starting with a letter, a
 * digit or '_'.
 */
bool driver_name_valid(const char *s);

#endif
