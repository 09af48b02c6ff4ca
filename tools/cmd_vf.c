// SPDX-License-Identifier: GPL-2.0
/*
 * sriovctl assign, release: hand VFs to a driver and back.  A PF as the
 * device means each of its VFs; the command goes on after a failure and
 * exits 1 if any VF failed.
 */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "cmds.h"
#include "common.h"
#include "pci.h"
#include "pf.h"

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Run fn on the VF, or on each VF of the PF.  drv is NULL for release. */
static int each_vf(const char *ctx, const char *addr, const char *drv)
{
	struct pci_dev d, vf, pf;
	int rc, probe;
	size_t i;

	rc = dev_load(ctx, addr, &d);
	if (rc)
		return rc;
	if (d.is_pf) {
		if (!d.nvfs) {
			err("%s: %s has no VFs; run '" PROG " enable %s N' first",
			    ctx, d.addr, d.addr);
			pci_dev_free(&d);
			return EXIT_REFUSED;
		}
		probe = d.autoprobe == 1;
		for (i = 0; i < d.nvfs; i++) {
			if (dev_load(ctx, d.vfs[i].addr, &vf)) {
				rc = EXIT_REFUSED;
				continue;
			}
			if (drv ? act_assign(ctx, &vf, drv) :
				  act_release(ctx, &vf, probe))
				rc = EXIT_REFUSED;
			else if (!drv)
				info("%s: %s is released", ctx, vf.addr);
			pci_dev_free(&vf);
		}
		pci_dev_free(&d);
		return rc;
	}
	if (!d.is_vf) {
		err("%s: %s is neither an SR-IOV PF nor a VF", ctx, d.addr);
		pci_dev_free(&d);
		return EXIT_REFUSED;
	}
	if (drv) {
		rc = act_assign(ctx, &d, drv);
	} else {
		/* the default driver may probe only if the PF allows it */
		probe = !pci_dev_read(d.pf, &pf) && pf.autoprobe == 1;
		pci_dev_free(&pf);
		rc = act_release(ctx, &d, probe);
		if (!rc)
			info("%s: %s is released", ctx, d.addr);
	}
	pci_dev_free(&d);
	return rc;
}

int cmd_assign(int argc, char **argv)
{
	char addr[PCI_ADDR_LEN], ctx[64];
	int c;

	while ((c = verb_getopt(argc, argv, ":h", help_only)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 2, 2) ||
	    parse_dev(argv[0], argv[optind], addr) ||
	    parse_driver(argv[0], argv[optind + 1]))
		return EXIT_USAGE;
	snprintf(ctx, sizeof(ctx), "assign %s", addr);
	return each_vf(ctx, addr, argv[optind + 1]);
}

int cmd_release(int argc, char **argv)
{
	char addr[PCI_ADDR_LEN], ctx[64];
	int c;

	while ((c = verb_getopt(argc, argv, ":h", help_only)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 1, 1) ||
	    parse_dev(argv[0], argv[optind], addr))
		return EXIT_USAGE;
	snprintf(ctx, sizeof(ctx), "release %s", addr);
	return each_vf(ctx, addr, NULL);
}
