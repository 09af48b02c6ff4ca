// SPDX-License-Identifier: GPL-2.0
/*
 * sriovctl list, show: the facts, through one printing path for text and
 * JSON (output.h).
 *
 * Text, one PF per line, the address first (completion relies on it):
 *	0000:01:00.0 1b36:0010 driver pci-stub-pf vfs 4/8 lock locked autoprobe off
 * and for show, one line per VF below its PF:
 *	  vf 0 0000:01:00.1 driver vfio-pci override vfio-pci
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "common.h"
#include "output.h"
#include "pci.h"
#include "pf.h"
#include "sysfs.h"

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_ids(const struct pci_dev *d)
{
	char v[8], dev[8];

	if (d->has_ids) {
		snprintf(v, sizeof(v), "%04x", d->vendor & 0xffff);
		snprintf(dev, sizeof(dev), "%04x", d->device & 0xffff);
		print_string(PRINT_JSON, "vendor", NULL, v);
		print_string(PRINT_JSON, "device", NULL, dev);
		print_text(" %s:%s", v, dev);
	} else {
		print_null(PRINT_JSON, "vendor", NULL, NULL);
		print_null(PRINT_JSON, "device", NULL, NULL);
		print_text(" ????:????");
	}
}

/* The PF's own facts, shared by list and show. */
static void print_pf(const struct pci_dev *d)
{
	const char *lock = lock_name(d->lock);

	print_string(PRINT_ANY, "address", "%s", d->addr);
	print_ids(d);
	print_string(PRINT_ANY, "driver", " driver %s", or_null(d->driver));
	print_uint(PRINT_JSON, "num_vfs", NULL, d->numvfs);
	print_uint(PRINT_JSON, "total_vfs", NULL, d->totalvfs);
	print_text(" vfs %u/%u", d->numvfs, d->totalvfs);
	if (lock)
		print_string(PRINT_ANY, "lock", " lock %s", lock);
	else
		print_null(PRINT_ANY, "lock", " lock %s", "n/a");
	if (d->autoprobe >= 0)
		print_bool(PRINT_ANY, "autoprobe", " autoprobe %s",
			   d->autoprobe);
	else
		print_null(PRINT_ANY, "autoprobe", " autoprobe %s", "n/a");
}

int cmd_list(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pci_dev *devs;
	size_t n, i;
	int c, r;

	while ((c = verb_getopt(argc, argv, ":h", lo)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 0, 0))
		return EXIT_USAGE;
	r = pci_list_pfs(&devs, &n);
	if (r < 0) {
		err("list: cannot read %s: %s", sysfs_dev_path(NULL, NULL),
		    strerror(-r));
		return EXIT_REFUSED;
	}
	output_start(opts.json);
	open_json_array(NULL);
	for (i = 0; i < n; i++) {
		open_json_object(NULL);
		print_pf(&devs[i]);
		close_json_object();
		print_text("\n");
	}
	close_json_array();
	output_end();
	pci_devs_free(devs, n);
	return EXIT_OK;
}

static void print_vf_line(const struct pci_dev *vf, int index)
{
	print_text("  vf");
	if (index >= 0)
		print_uint(PRINT_ANY, "index", " %lu", (unsigned long)index);
	else
		print_null(PRINT_ANY, "index", " %s", "?");
	print_string(PRINT_ANY, "address", " %s", vf->addr);
	print_string(PRINT_ANY, "driver", " driver %s", or_null(vf->driver));
	print_string(PRINT_ANY, "override", " override %s",
		     or_null(vf->override));
	print_text("\n");
}

static int show_pf(const struct pci_dev *d)
{
	struct pci_dev vf;
	size_t i;

	open_json_object(NULL);
	print_string(PRINT_JSON, "type", NULL, "pf");
	print_pf(d);
	print_string(PRINT_ANY, "override", " override %s",
		     or_null(d->override));
	print_text("\n");
	open_json_array("vfs");
	for (i = 0; i < d->nvfs; i++) {
		if (pci_dev_read(d->vfs[i].addr, &vf)) {
			pci_dev_free(&vf);
			continue;
		}
		open_json_object(NULL);
		print_vf_line(&vf, (int)d->vfs[i].index);
		close_json_object();
		pci_dev_free(&vf);
	}
	close_json_array();
	close_json_object();
	return EXIT_OK;
}

static int show_vf(const struct pci_dev *d)
{
	struct pci_dev pf;
	int index = -1;

	if (!pci_dev_read(d->pf, &pf))
		index = pci_vf_index(&pf, d->addr);
	pci_dev_free(&pf);

	open_json_object(NULL);
	print_string(PRINT_JSON, "type", NULL, "vf");
	print_string(PRINT_ANY, "address", "%s", d->addr);
	print_ids(d);
	print_string(PRINT_ANY, "pf", " pf %s", d->pf);
	if (index >= 0)
		print_uint(PRINT_ANY, "index", " vf %lu", (unsigned long)index);
	else
		print_null(PRINT_ANY, "index", " vf %s", "?");
	print_string(PRINT_ANY, "driver", " driver %s", or_null(d->driver));
	print_string(PRINT_ANY, "override", " override %s",
		     or_null(d->override));
	print_text("\n");
	close_json_object();
	return EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char addr[PCI_ADDR_LEN], ctx[64];
	struct pci_dev d;
	int c, rc;

	while ((c = verb_getopt(argc, argv, ":h", lo)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 1, 1) ||
	    parse_dev(argv[0], argv[optind], addr))
		return EXIT_USAGE;
	snprintf(ctx, sizeof(ctx), "show %s", addr);
	rc = dev_load(ctx, addr, &d);
	if (rc)
		return rc;
	if (!d.is_pf && !d.is_vf) {
		rc = pf_check(ctx, &d);
		pci_dev_free(&d);
		return rc;
	}
	output_start(opts.json);
	rc = d.is_pf ? show_pf(&d) : show_vf(&d);
	output_end();
	pci_dev_free(&d);
	return rc;
}
