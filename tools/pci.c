// SPDX-License-Identifier: GPL-2.0
/* sriovctl: PFs and VFs, read from sysfs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci.h"
#include "sysfs.h"

/* Read an unsigned decimal attribute.  Returns 0 or -errno. */
static int read_uint(const char *addr, const char *attr, unsigned int *v)
{
	char buf[32], *end;
	unsigned long x;
	int r;

	r = sysfs_dev_read(addr, attr, buf, sizeof(buf));
	if (r < 0)
		return r;
	errno = 0;
	x = strtoul(buf, &end, 0);
	if (errno || end == buf || *end || x > 0xffffffffUL)
		return -EINVAL;
	*v = (unsigned int)x;
	return 0;
}

static int cmp_vf(const void *a, const void *b)
{
	const struct pci_vf *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* The virtfnN links of a PF, sorted by N; targets must be addresses. */
static int read_vfs(struct pci_dev *d)
{
	char **names, name[PCI_ADDR_LEN + 8], *end;
	struct pci_vf *v;
	size_t n, i, cnt = 0;
	unsigned long idx;
	int r;

	r = sysfs_dev_list(d->addr, &names, &n);
	if (r < 0)
		return r;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		sysfs_free_names(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const char *s = names[i];

		if (strncmp(s, "virtfn", 6) || s[6] < '0' || s[6] > '9')
			continue;
		errno = 0;
		idx = strtoul(s + 6, &end, 10);
		if (errno || *end || idx > 0xffff)
			continue;
		if (sysfs_dev_link(d->addr, s, name, sizeof(name)) ||
		    addr_canon(name, v[cnt].addr))
			continue;
		v[cnt].index = (unsigned int)idx;
		cnt++;
	}
	sysfs_free_names(names, n);
	qsort(v, cnt, sizeof(*v), cmp_vf);
	d->vfs = v;
	d->nvfs = cnt;
	return 0;
}

static void read_lock(struct pci_dev *d)
{
	char buf[32];

	if (sysfs_dev_read(d->addr, "sriov_lock", buf, sizeof(buf)) < 0) {
		d->lock = sysfs_dev_exists(d->addr, "sriov_lock") ?
			  LOCK_UNKNOWN : LOCK_NA;
		return;
	}
	if (!strcmp(buf, "unlocked"))
		d->lock = LOCK_UNLOCKED;
	else if (!strcmp(buf, "locked"))
		d->lock = LOCK_LOCKED;
	else if (!strcmp(buf, "sealed"))
		d->lock = LOCK_SEALED;
	else
		d->lock = LOCK_UNKNOWN;
}

static int dev_read(const char *addr_in, struct pci_dev *d, bool with_vfs)
{
	char addr[PCI_ADDR_LEN];
	char buf[DRIVER_NAME_MAX + 8], name[PCI_ADDR_LEN + 8];
	unsigned int v;
	int r;

	/* addr_in may be d->addr: copy it before clearing d */
	snprintf(addr, sizeof(addr), "%s", addr_in);
	memset(d, 0, sizeof(*d));
	strcpy(d->addr, addr);
	d->autoprobe = -1;
	d->lock = LOCK_NA;
	if (!sysfs_dev_exists(addr, NULL))
		return -ENOENT;

	if (!read_uint(addr, "vendor", &d->vendor) &&
	    !read_uint(addr, "device", &d->device))
		d->has_ids = true;

	if (!sysfs_dev_link(addr, "driver", buf, sizeof(buf)) &&
	    driver_name_valid(buf))
		strcpy(d->driver, buf);

	r = sysfs_dev_read(addr, "driver_override", buf, sizeof(buf));
	if (r >= 0) {
		d->has_override = true;
		/* the kernel shows "(null)" for no override */
		if (strcmp(buf, "(null)") && driver_name_valid(buf))
			strcpy(d->override, buf);
	} else if (r != -ENOENT) {
		d->has_override = true;
	}

	if (!read_uint(addr, "sriov_totalvfs", &d->totalvfs)) {
		d->is_pf = true;
		if (read_uint(addr, "sriov_numvfs", &d->numvfs))
			d->numvfs = 0;
		if (!read_uint(addr, "sriov_drivers_autoprobe", &v))
			d->autoprobe = v ? 1 : 0;
		read_lock(d);
		if (with_vfs) {
			r = read_vfs(d);
			if (r < 0)
				return r;
		}
	}

	if (!sysfs_dev_link(addr, "physfn", name, sizeof(name)) &&
	    !addr_canon(name, d->pf))
		d->is_vf = true;
	return 0;
}

int pci_dev_read(const char *addr, struct pci_dev *d)
{
	return dev_read(addr, d, true);
}

void pci_dev_free(struct pci_dev *d)
{
	free(d->vfs);
	d->vfs = NULL;
	d->nvfs = 0;
}

int pci_list_pfs(struct pci_dev **devs, size_t *n)
{
	struct pci_dev *v;
	char **names, addr[PCI_ADDR_LEN];
	size_t cnt, i, k = 0;
	int r;

	r = sysfs_dev_list(NULL, &names, &cnt);
	if (r < 0)
		return r;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v) {
		sysfs_free_names(names, cnt);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		/* names that are not addresses never become paths */
		if (addr_canon(names[i], addr) || strcmp(addr, names[i]))
			continue;
		if (!sysfs_dev_exists(addr, "sriov_totalvfs"))
			continue;
		/*
		 * No VF walk: list and the configuration need the PFs' own
		 * attributes only, and the virtfn links are most of a big
		 * host's sysfs reads (a readlink per VF).
		 */
		if (dev_read(addr, &v[k], false) || !v[k].is_pf) {
			pci_dev_free(&v[k]);
			continue;
		}
		k++;
	}
	sysfs_free_names(names, cnt);
	*devs = v;
	*n = k;
	return 0;
}

void pci_devs_free(struct pci_dev *devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pci_dev_free(&devs[i]);
	free(devs);
}

int pci_vf_index(const struct pci_dev *pf, const char *vf)
{
	size_t i;

	for (i = 0; i < pf->nvfs; i++)
		if (!strcmp(pf->vfs[i].addr, vf))
			return (int)pf->vfs[i].index;
	return -1;
}

const char *lock_name(enum lock_state l)
{
	switch (l) {
	case LOCK_UNLOCKED:
		return "unlocked";
	case LOCK_LOCKED:
		return "locked";
	case LOCK_SEALED:
		return "sealed";
	case LOCK_UNKNOWN:
		return "unknown";
	default:
		return NULL;
	}
}
