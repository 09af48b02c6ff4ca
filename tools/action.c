// SPDX-License-Identifier: GPL-2.0
/* sriovctl: checked steps, kernel refusals explained. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "common.h"
#include "modprobe.h"
#include "sysfs.h"

/* What the operator can do about a refused write, or "". */
static void hint(char *h, size_t size, const struct pci_dev *d,
		 const char *attr, const char *val, int e)
{
	const char *a = d->addr;

	h[0] = '\0';
	if (e == EACCES) {
		snprintf(h, size, "permission denied; run as root");
	} else if (!strcmp(attr, "sriov_numvfs")) {
		if (e == EPERM)
			snprintf(h, size,
				 "VF count is locked; run '" PROG " unlock %s'",
				 a);
		else if (e == EBUSY && !strcmp(val, "0"))
			snprintf(h, size,
				 "a VF is bound to a driver; run '" PROG " disable %s --release' or release the VF",
				 a);
		else if (e == EBUSY)
			snprintf(h, size,
				 "VFs are enabled; the count changes only through 0");
		else if (e == ERANGE)
			snprintf(h, size,
				 "%s is above the PF's total of %u VFs", val,
				 d->totalvfs);
		else if (e == ENOENT || e == ENOSYS)
			snprintf(h, size,
				 "no driver bound to the PF; run '" PROG " bind %s'",
				 a);
	} else if (!strcmp(attr, "sriov_lock") && e == EPERM) {
		snprintf(h, size,
			 "the lock is sealed until the PF is unbound");
	} else if (!strcmp(attr, "driver_override") && e == ENOENT) {
		if (sysfs_dev_exists(a, NULL))
			snprintf(h, size,
				 "the kernel has no driver_override here");
		else
			snprintf(h, size, "the device is gone");
	}
}

static void write_error(const char *ctx, const struct pci_dev *d,
			const char *path, const char *attr, const char *val,
			int e)
{
	char h[256];

	hint(h, sizeof(h), d, attr, val, e);
	err("%s: cannot write %s to %s: %s%s%s%s", ctx, quote(val), path,
	    strerror(e), h[0] ? " (" : "", h, h[0] ? ")" : "");
}

int act_write(const char *ctx, const struct pci_dev *d, const char *attr,
	      const char *val)
{
	int r = sysfs_dev_write(d->addr, attr, val);

	if (r < 0) {
		write_error(ctx, d, sysfs_dev_path(d->addr, attr), attr, val,
			    -r);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static int write_probe(const char *ctx, const struct pci_dev *d)
{
	int r = sysfs_write("bus/pci/drivers_probe", d->addr);

	if (r < 0) {
		write_error(ctx, d, sysfs_path("bus/pci/drivers_probe"),
			    "drivers_probe", d->addr, -r);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

int act_load_driver(const char *ctx, const char *drv)
{
	const char *prog;
	int r;

	if (sysfs_driver_exists(drv))
		return EXIT_OK;
	/* looked up only now: it is a stat() on each VF's path otherwise */
	prog = modprobe_prog();
	if (sysfs_dry_run()) {
		printf("run %s '%s'\n", prog, drv);
		return EXIT_OK;
	}
	/* a fake tree has no modules behind it, unless the test says so */
	if (!sysfs_root_is_default() && !getenv("SRIOVCTL_MODPROBE")) {
		err("%s: driver '%s' is not loaded (%s does not exist) and modprobe is not run for a sysfs root other than /sys",
		    ctx, drv, sysfs_driver_path(drv));
		return EXIT_REFUSED;
	}
	r = modprobe_run(prog, drv);
	if (r < 0) {
		err("%s: cannot run '%s %s': %s", ctx, prog, drv,
		    strerror(-r));
		return EXIT_REFUSED;
	}
	if (r > 0) {
		err("%s: driver '%s' is not available: '%s %s' failed with status %d",
		    ctx, drv, prog, drv, r);
		return EXIT_REFUSED;
	}
	if (!sysfs_driver_exists(drv)) {
		err("%s: driver '%s' is not available: %s does not exist after '%s %s'",
		    ctx, drv, sysfs_driver_path(drv), prog, drv);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

int act_unbind(const char *ctx, const struct pci_dev *d)
{
	int r;

	if (!d->driver[0])
		return EXIT_OK;
	r = sysfs_dev_write(d->addr, "driver/unbind", d->addr);
	if (r < 0) {
		write_error(ctx, d, sysfs_dev_path(d->addr, "driver/unbind"),
			    "unbind", d->addr, -r);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

int act_assign(const char *ctx, const struct pci_dev *d, const char *drv)
{
	char now[DRIVER_NAME_MAX];
	int r;

	if (!d->has_override) {
		err("%s: %s does not exist: the kernel cannot hand this device to a driver of choice",
		    ctx, sysfs_dev_path(d->addr, "driver_override"));
		return EXIT_REFUSED;
	}
	if (!strcmp(d->driver, drv) && !strcmp(d->override, drv)) {
		info("%s: %s is already bound to '%s'", ctx, d->addr, drv);
		return EXIT_OK;
	}
	if (act_load_driver(ctx, drv))
		return EXIT_REFUSED;
	if (strcmp(d->driver, drv) && act_unbind(ctx, d))
		return EXIT_REFUSED;
	if (strcmp(d->override, drv) &&
	    act_write(ctx, d, "driver_override", drv))
		return EXIT_REFUSED;
	if (!strcmp(d->driver, drv)) {
		info("%s: %s is bound to '%s'", ctx, d->addr, drv);
		return EXIT_OK;
	}
	if (write_probe(ctx, d))
		return EXIT_REFUSED;
	if (sysfs_dry_run())
		return EXIT_OK;
	r = sysfs_dev_link(d->addr, "driver", now, sizeof(now));
	if (r < 0 || strcmp(now, drv)) {
		if (r < 0)
			err("%s: driver '%s' did not take %s: it is bound to no driver; see the kernel log",
			    ctx, drv, d->addr);
		else
			err("%s: driver '%s' did not take %s: it is bound to %s; see the kernel log",
			    ctx, drv, d->addr, quote(now));
		return EXIT_REFUSED;
	}
	info("%s: %s is bound to '%s'", ctx, d->addr, drv);
	return EXIT_OK;
}

int act_release(const char *ctx, const struct pci_dev *d, bool probe)
{
	if (d->override[0] && act_write(ctx, d, "driver_override", "\n"))
		return EXIT_REFUSED;
	if (act_unbind(ctx, d))
		return EXIT_REFUSED;
	if (probe && write_probe(ctx, d))
		return EXIT_REFUSED;
	return EXIT_OK;
}
