// SPDX-License-Identifier: GPL-2.0
/*
 * sriovctl apply, udev: the configuration files brought to the devices.
 *
 * Everything is checked before anything is written: the files' syntax
 * (config.c), then every section against the devices there are (a VF where
 * a PF is needed, more VFs than the PF has, a PF named twice).  Any error
 * is reported as FILE:LINE and nothing is applied (exit 2).  A selector
 * that matches no device is not an error: the device may come later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "action.h"
#include "cmds.h"
#include "common.h"
#include "config.h"
#include "pci.h"
#include "pf.h"
#include "sysfs.h"

/* How long udev waits for a new VF's physfn link, and how often it looks. */
#define UDEV_WAIT_MS	2000
#define UDEV_POLL_MS	50

struct target {
	const struct cfg_section *s;
	char addr[PCI_ADDR_LEN];
};

static int load_config(struct config *c)
{
	const char *dir = getenv("SRIOVCTL_CONFDIR");
	size_t i;

	config_init(c, NULL, NULL);
	if (opts.nconfig) {
		for (i = 0; i < opts.nconfig; i++)
			config_load_file(c, opts.config[i]);
	} else {
		config_load_default(c, dir && *dir ? dir : CONFIG_DEFAULT_DIR);
	}
	return c->errors ? EXIT_USAGE : EXIT_OK;
}

static bool section_matches(const struct cfg_section *s,
			    const struct pci_dev *pf)
{
	if (s->sel == SEL_ADDR)
		return !strcmp(s->addr, pf->addr);
	return pf->has_ids && pf->vendor == s->vendor &&
	       pf->device == s->device;
}

static const char *selector(const struct cfg_section *s)
{
	static char buf[16];

	if (s->sel == SEL_ADDR)
		return s->addr;
	snprintf(buf, sizeof(buf), "%04x:%04x", s->vendor, s->device);
	return buf;
}

/* A section's PF that does not exist, or is not a PF, as found at apply. */
static void check_missing(struct config *c, const struct cfg_section *s)
{
	struct pci_dev d;

	if (s->sel == SEL_ID || pci_dev_read(s->addr, &d)) {
		if (!opts.quiet)
			fprintf(stderr, PROG ": %s:%u: no PF matches '%s' now; skipped\n",
				s->file, s->line, selector(s));
		return;
	}
	if (d.is_vf)
		config_error(c, s->file, s->line, "%s is a VF, not a PF (its PF is %s)",
			     s->addr, d.pf);
	else
		config_error(c, s->file, s->line, "%s is not an SR-IOV PF",
			     s->addr);
	pci_dev_free(&d);
}

/*
 * Match every section with the PFs there are and check what it asks of
 * each.  Returns EXIT_OK with the targets in order, or EXIT_USAGE.
 */
static int resolve(struct config *c, struct target **tp, size_t *ntp)
{
	struct target *t = NULL, *nt;
	struct pci_dev *pfs;
	size_t npfs, n = 0, i, j, k, found;
	int r;

	r = pci_list_pfs(&pfs, &npfs);
	if (r < 0) {
		err("cannot read %s: %s", sysfs_dev_path(NULL, NULL),
		    strerror(-r));
		return EXIT_REFUSED;
	}
	for (i = 0; i < c->n; i++) {
		const struct cfg_section *s = &c->sec[i];

		found = 0;
		for (j = 0; j < npfs; j++) {
			const struct pci_dev *pf = &pfs[j];

			if (!section_matches(s, pf))
				continue;
			found++;
			if (s->vfs >= 0 && (unsigned int)s->vfs > pf->totalvfs)
				config_error(c, s->file, s->vfs_line,
					     "vfs = %d is above the total of %u VFs of %s",
					     s->vfs, pf->totalvfs, pf->addr);
			for (k = 0; k < n; k++)
				if (!strcmp(t[k].addr, pf->addr))
					break;
			if (k < n) {
				config_error(c, s->file, s->line,
					     "%s is configured already, at %s:%u",
					     pf->addr, t[k].s->file, t[k].s->line);
				continue;
			}
			nt = realloc(t, (n + 1) * sizeof(*t));
			if (!nt) {
				config_error(c, s->file, s->line, "out of memory");
				continue;
			}
			t = nt;
			t[n].s = s;
			strcpy(t[n].addr, pf->addr);
			n++;
		}
		if (!found)
			check_missing(c, s);
	}
	pci_devs_free(pfs, npfs);
	if (c->errors) {
		free(t);
		return EXIT_USAGE;
	}
	*tp = t;
	*ntp = n;
	return EXIT_OK;
}

static int cfg_lock(int lock)
{
	switch (lock) {
	case CFG_LOCK_NO:
		return LOCK_UNLOCKED;
	case CFG_LOCK_YES:
		return LOCK_LOCKED;
	case CFG_LOCK_SEALED:
		return LOCK_SEALED;
	default:
		return -1;
	}
}

static const char *vf_driver(const struct cfg_section *s)
{
	if (!s->vf_driver[0] || !strcmp(s->vf_driver, "none"))
		return NULL;
	return s->vf_driver;
}

/* One PF as its section says: bound to pci-stub-pf, then configured. */
static int apply_one(const char *verb, const struct target *t)
{
	const struct cfg_section *s = t->s;
	struct pf_want w = { .vfs = s->vfs, .lock = cfg_lock(s->lock),
			     .autoprobe = s->autoprobe >= 0 ? s->autoprobe : 0,
			     .vf_driver = vf_driver(s) };
	struct pci_dev d;
	char ctx[64];
	int rc;

	snprintf(ctx, sizeof(ctx), "%s %s", verb, t->addr);
	rc = dev_load(ctx, t->addr, &d);
	if (rc)
		return rc;
	/* the configuration names this PF: it is meant for pci-stub-pf */
	rc = pf_bind(ctx, &d, true);
	if (!rc)
		rc = pf_configure(ctx, &d, &w);
	pci_dev_free(&d);
	return rc;
}

int cmd_apply(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config c;
	struct target *t = NULL;
	size_t n = 0, i;
	int ch, rc;

	while ((ch = verb_getopt(argc, argv, ":h", lo)) != -1)
		return ch == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 0, 0))
		return EXIT_USAGE;
	rc = load_config(&c);
	if (!rc)
		rc = resolve(&c, &t, &n);
	/* a PF that fails does not stop the others */
	if (!rc)
		for (i = 0; i < n; i++)
			if (apply_one("apply", &t[i]))
				rc = EXIT_REFUSED;
	free(t);
	config_free(&c);
	return rc;
}

/* The section naming the PF, or NULL. */
static const struct cfg_section *section_for(const struct config *c,
					     const struct pci_dev *pf)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (section_matches(&c->sec[i], pf))
			return &c->sec[i];
	return NULL;
}

/*
 * Could this device be a VF of a configured PF that wants a VF driver?
 * VFs have their PF's vendor and live in its domain.  Cheap, so that udev
 * does not wait for devices that have nothing to do with us.
 */
static bool maybe_configured_vf(const struct config *c, const struct pci_dev *d)
{
	struct pci_addr a, pa;
	struct pci_dev pf;
	bool yes;
	size_t i;

	if (!d->has_ids || addr_parse(d->addr, &a))
		return false;
	for (i = 0; i < c->n; i++) {
		const struct cfg_section *s = &c->sec[i];

		if (!vf_driver(s))
			continue;
		if (s->sel == SEL_ID) {
			if (s->vendor == d->vendor)
				return true;
			continue;
		}
		/* a VF's bus number is its PF's or above */
		if (addr_parse(s->addr, &pa) || pa.domain != a.domain ||
		    pa.bus > a.bus)
			continue;
		if (pci_dev_read(s->addr, &pf)) {
			pci_dev_free(&pf);
			continue;
		}
		yes = pf.has_ids && pf.vendor == d->vendor;
		pci_dev_free(&pf);
		if (yes)
			return true;
	}
	return false;
}

static int udev_vf(const char *ctx, struct config *c, struct pci_dev *d)
{
	const struct cfg_section *s;
	char addr[PCI_ADDR_LEN];
	struct target *t = NULL;
	struct pci_dev pf;
	unsigned int waited = 0;
	size_t n;
	int rc;

	if (!maybe_configured_vf(c, d))
		return EXIT_OK;
	/* the add event may come before the kernel links the VF to its PF */
	strcpy(addr, d->addr);
	while (!d->is_vf && waited < UDEV_WAIT_MS) {
		sysfs_sleep_ms(UDEV_POLL_MS);
		waited += UDEV_POLL_MS;
		pci_dev_free(d);
		if (pci_dev_read(addr, d))
			return EXIT_OK;
	}
	if (!d->is_vf)
		return EXIT_OK;
	if (pci_dev_read(d->pf, &pf)) {
		pci_dev_free(&pf);
		return EXIT_OK;
	}
	s = section_for(c, &pf);
	pci_dev_free(&pf);
	if (!s || !vf_driver(s))
		return EXIT_OK;
	rc = resolve(c, &t, &n);
	free(t);
	if (rc)
		return rc;
	return act_assign(ctx, d, vf_driver(s));
}

/* stderr closed or /dev/null, as udevd gives it to RUN programs */
static bool stderr_is_lost(void)
{
	struct stat st, null;

	if (fstat(STDERR_FILENO, &st))
		return true;
	return S_ISCHR(st.st_mode) && !stat("/dev/null", &null) &&
	       st.st_rdev == null.st_rdev;
}

int cmd_udev(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char addr[PCI_ADDR_LEN], ctx[64];
	struct target *t = NULL;
	struct pci_dev d;
	struct config c;
	size_t n = 0, i;
	int ch, rc;

	while ((ch = verb_getopt(argc, argv, ":h", lo)) != -1)
		return ch == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 1, 1) ||
	    parse_dev(argv[0], argv[optind], addr))
		return EXIT_USAGE;
	snprintf(ctx, sizeof(ctx), "udev %s", addr);
	/*
	 * udevd sets SEQNUM for RUN programs and logs their stderr only at
	 * debug level: the kernel log is where an operator will look.
	 */
	if (stderr_is_lost() || getenv("SEQNUM")) {
		const char *k = getenv("SRIOVCTL_KMSG");

		log_errors_to_kmsg(k && *k ? k : "/dev/kmsg");
	}
	rc = load_config(&c);
	if (rc || c.n == 0) {
		/* broken, or no configuration: nothing to do */
		config_free(&c);
		return rc;
	}
	if (pci_dev_read(addr, &d)) {
		/* gone already */
		pci_dev_free(&d);
		config_free(&c);
		return EXIT_OK;
	}
	if (!d.is_pf) {
		rc = udev_vf(ctx, &c, &d);
	} else if (section_for(&c, &d)) {
		rc = resolve(&c, &t, &n);
		for (i = 0; !rc && i < n; i++)
			if (!strcmp(t[i].addr, addr))
				rc = apply_one("udev", &t[i]);
		free(t);
	}
	pci_dev_free(&d);
	config_free(&c);
	return rc;
}
