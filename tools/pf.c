// SPDX-License-Identifier: GPL-2.0
/* sriovctl: a PF brought to the wanted state, checks first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "common.h"
#include "pf.h"
#include "sysfs.h"

int dev_load(const char *ctx, const char *addr, struct pci_dev *d)
{
	int r = pci_dev_read(addr, d);

	if (r == -ENOENT) {
		err("%s: no device %s (%s does not exist)", ctx, addr,
		    sysfs_dev_path(addr, NULL));
		return EXIT_REFUSED;
	}
	if (r < 0) {
		err("%s: cannot read %s: %s", ctx, sysfs_dev_path(addr, NULL),
		    strerror(-r));
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

int pf_check(const char *ctx, const struct pci_dev *d)
{
	if (d->is_pf)
		return EXIT_OK;
	if (d->is_vf)
		err("%s: %s is a VF, not a PF (its PF is %s)", ctx, d->addr,
		    d->pf);
	else
		err("%s: %s is not an SR-IOV PF (%s does not exist)", ctx,
		    d->addr, sysfs_dev_path(d->addr, "sriov_totalvfs"));
	return EXIT_REFUSED;
}

int pf_bind(const char *ctx, struct pci_dev *d, bool force)
{
	char addr[PCI_ADDR_LEN];
	int rc;

	if (!strcmp(d->driver, STUB_DRIVER)) {
		/* bound through ids= or new_id: make it stick */
		if (d->has_override && strcmp(d->override, STUB_DRIVER)) {
			rc = act_write(ctx, d, "driver_override", STUB_DRIVER);
			if (rc)
				return rc;
			strcpy(d->override, STUB_DRIVER);
		}
		info("%s: %s is already bound to '%s'", ctx, d->addr,
		     STUB_DRIVER);
		return EXIT_OK;
	}
	if (d->driver[0] && !force) {
		err("%s: %s is bound to '%s'; run '" PROG " bind %s --force' to take it from that driver",
		    ctx, d->addr, d->driver, d->addr);
		return EXIT_REFUSED;
	}
	rc = act_assign(ctx, d, STUB_DRIVER);
	if (rc)
		return rc;
	if (sysfs_dry_run()) {
		/* what the driver would show: adopted VFs come up locked */
		strcpy(d->driver, STUB_DRIVER);
		strcpy(d->override, STUB_DRIVER);
		d->lock = d->numvfs ? LOCK_LOCKED : LOCK_UNLOCKED;
		return EXIT_OK;
	}
	strcpy(addr, d->addr);
	pci_dev_free(d);
	return dev_load(ctx, addr, d);
}

/* The first VF bound to a driver, or NULL; vf receives it. */
static bool bound_vf(const struct pci_dev *pf, struct pci_dev *vf)
{
	size_t i;

	for (i = 0; i < pf->nvfs; i++) {
		if (pci_dev_read(pf->vfs[i].addr, vf))
			continue;
		if (vf->driver[0])
			return true;
		pci_dev_free(vf);
	}
	return false;
}

static int release_vfs(const char *ctx, const struct pci_dev *pf)
{
	struct pci_dev vf;
	int rc = EXIT_OK;
	size_t i;

	for (i = 0; i < pf->nvfs; i++) {
		if (pci_dev_read(pf->vfs[i].addr, &vf))
			continue;
		if (act_release(ctx, &vf, false))
			rc = EXIT_REFUSED;
		pci_dev_free(&vf);
	}
	return rc;
}

/*
 * What act_assign() needs of a VF this run has just created with autoprobe
 * off: its driver link, which nothing should have made yet (a udev rule
 * may have been quicker: such a VF gets the full read).  The kernel makes
 * a VF with no driver_override, and act_assign() writes it anyway when it
 * is not DRV.  The full read is a dozen system calls more per VF, which
 * under emulation made provisioning measurably slower than the same
 * writes done by hand (bench/README.md, "Profiling a missed target").
 */
static int load_new_vf(const char *ctx, const char *addr, struct pci_dev *vf)
{
	char drv[DRIVER_NAME_MAX];

	if (sysfs_dev_link(addr, "driver", drv, sizeof(drv)) != -ENOENT)
		return dev_load(ctx, addr, vf);
	memset(vf, 0, sizeof(*vf));
	strcpy(vf->addr, addr);
	vf->autoprobe = -1;
	vf->lock = LOCK_NA;
	vf->has_override = true;
	vf->is_vf = true;
	return EXIT_OK;
}

static int assign_vfs(const char *ctx, const struct pci_dev *pf, unsigned int n,
		      const char *drv, bool new_vfs)
{
	struct pci_dev vf;
	int rc = EXIT_OK;
	size_t i, done = 0;

	for (i = 0; i < pf->nvfs; i++) {
		if (pf->vfs[i].index >= n)
			continue;
		if (new_vfs ? load_new_vf(ctx, pf->vfs[i].addr, &vf) :
			      dev_load(ctx, pf->vfs[i].addr, &vf)) {
			rc = EXIT_REFUSED;
			continue;
		}
		if (act_assign(ctx, &vf, drv))
			rc = EXIT_REFUSED;
		pci_dev_free(&vf);
		done++;
	}
	if (done < n && sysfs_dry_run())
		printf("# %zu of %u VFs do not exist yet: each would be handed to '%s'\n",
		       (size_t)n - done, n, drv);
	else if (done < n && !rc) {
		err("%s: only %zu of %u VFs of %s exist; the others were not handed to '%s'",
		    ctx, done, n, pf->addr, drv);
		rc = EXIT_REFUSED;
	}
	return rc;
}

static int refuse_locked(const char *ctx, const struct pci_dev *d)
{
	if (d->lock == LOCK_SEALED)
		err("%s: VF count is sealed until the PF is unbound; run '" PROG " unbind %s', '" PROG " bind %s', then '" PROG " unlock %s'",
		    ctx, d->addr, d->addr, d->addr);
	else
		err("%s: VF count is locked; run '" PROG " unlock %s'", ctx,
		    d->addr);
	return EXIT_REFUSED;
}

int pf_configure(const char *ctx, struct pci_dev *d, const struct pf_want *w)
{
	bool change = w->vfs >= 0 && (unsigned int)w->vfs != d->numvfs;
	enum lock_state lock = d->lock;
	char buf[16], addr[PCI_ADDR_LEN];
	struct pci_dev vf;
	bool new_vfs;
	int ap, rc;

	/* checks, in the order an operator would fix them */
	if (w->vfs >= 0 && (unsigned int)w->vfs > d->totalvfs) {
		err("%s: %d is above the PF's total of %u VFs", ctx, w->vfs,
		    d->totalvfs);
		return EXIT_REFUSED;
	}
	if (change && !d->driver[0]) {
		err("%s: no driver bound to the PF; run '" PROG " bind %s'",
		    ctx, d->addr);
		return EXIT_REFUSED;
	}
	if (w->lock >= 0 && lock == LOCK_NA) {
		err("%s: %s has no VF lock (%s does not exist): it is not bound to '%s'; run '" PROG " bind %s'",
		    ctx, d->addr, sysfs_dev_path(d->addr, "sriov_lock"),
		    STUB_DRIVER, d->addr);
		return EXIT_REFUSED;
	}
	if (lock == LOCK_UNKNOWN && (change || w->lock >= 0)) {
		err("%s: cannot read the lock state from %s", ctx,
		    sysfs_dev_path(d->addr, "sriov_lock"));
		return EXIT_REFUSED;
	}
	if (lock == LOCK_SEALED && (change || w->lock == LOCK_UNLOCKED))
		return refuse_locked(ctx, d);
	if (lock == LOCK_LOCKED && change && w->lock != LOCK_UNLOCKED)
		return refuse_locked(ctx, d);
	if (change && d->numvfs > 0 && !w->release &&
	    !strcmp(d->driver, STUB_DRIVER) && bound_vf(d, &vf)) {
		err("%s: a VF is bound to a driver (%s to '%s'); run '" PROG " disable %s --release' or release the VF",
		    ctx, vf.addr, vf.driver, d->addr);
		pci_dev_free(&vf);
		return EXIT_REFUSED;
	}

	/* writes */
	if (change && lock == LOCK_LOCKED) {
		rc = act_write(ctx, d, "sriov_lock", "unlocked");
		if (rc)
			return rc;
		lock = LOCK_UNLOCKED;
	}
	ap = w->autoprobe;
	if (ap == AUTOPROBE_OFF_ON_ENABLE)
		ap = change && w->vfs > 0 ? 0 : AUTOPROBE_KEEP;
	if (ap >= 0 && ap != d->autoprobe) {
		rc = act_write(ctx, d, "sriov_drivers_autoprobe", ap ? "1" : "0");
		if (rc)
			return rc;
		d->autoprobe = ap;
	}
	if (change && d->numvfs > 0) {
		if (w->release && release_vfs(ctx, d))
			return EXIT_REFUSED;
		rc = act_write(ctx, d, "sriov_numvfs", "0");
		if (rc)
			return rc;
	}
	if (change && w->vfs > 0) {
		snprintf(buf, sizeof(buf), "%d", w->vfs);
		rc = act_write(ctx, d, "sriov_numvfs", buf);
		if (rc)
			return rc;
	}
	if (change)
		info("%s: %s has %d VFs", ctx, d->addr, w->vfs);
	else if (w->vfs >= 0)
		info("%s: %s already has %d VFs", ctx, d->addr, w->vfs);
	if (w->lock >= 0 && w->lock != (int)lock &&
	    !(lock == LOCK_SEALED && w->lock == LOCK_LOCKED)) {
		rc = act_write(ctx, d, "sriov_lock",
			       lock_name((enum lock_state)w->lock));
		if (rc)
			return rc;
		info("%s: %s is %s", ctx, d->addr,
		     lock_name((enum lock_state)w->lock));
	}
	if (!w->vf_driver)
		return EXIT_OK;
	/* the VFs exist now: read their addresses */
	new_vfs = change && w->vfs > 0 && d->autoprobe == 0;
	if (change && !sysfs_dry_run()) {
		strcpy(addr, d->addr);
		pci_dev_free(d);
		rc = dev_load(ctx, addr, d);
		if (rc)
			return rc;
	}
	return assign_vfs(ctx, d, w->vfs >= 0 ? (unsigned int)w->vfs :
						d->numvfs, w->vf_driver, new_vfs);
}
