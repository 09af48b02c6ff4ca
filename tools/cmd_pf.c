// SPDX-License-Identifier: GPL-2.0
/*
 * sriovctl bind, unbind, enable, disable, lock, unlock, autoprobe: the
 * verbs that act on one PF.
 */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "cmds.h"
#include "common.h"
#include "pci.h"
#include "pf.h"
#include "sysfs.h"

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/*
 * The common start of every PF verb: positional PF argument checked, the
 * device read and checked to be a PF.  On failure returns the exit status.
 */
static int load_pf(char **argv, const char *arg, char *ctx, size_t ctxlen,
		   struct pci_dev *d)
{
	char addr[PCI_ADDR_LEN];
	int rc;

	if (parse_dev(argv[0], arg, addr))
		return EXIT_USAGE;
	snprintf(ctx, ctxlen, "%s %s", argv[0], addr);
	rc = dev_load(ctx, addr, d);
	if (rc)
		return rc;
	rc = pf_check(ctx, d);
	if (rc)
		pci_dev_free(d);
	return rc;
}

/* Options done, the PF the only argument left: read it. */
static int simple_pf(int argc, char **argv, char *ctx, size_t ctxlen,
		     struct pci_dev *d)
{
	if (verb_nargs(argc, argv, 1, 1))
		return EXIT_USAGE;
	return load_pf(argv, argv[optind], ctx, ctxlen, d);
}

int cmd_bind(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool force = false;
	struct pci_dev d;
	char ctx[64];
	int c, rc;

	while ((c = verb_getopt(argc, argv, ":fh", lo)) != -1) {
		if (c == 'f')
			force = true;
		else
			return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	}
	rc = simple_pf(argc, argv, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	rc = pf_bind(ctx, &d, force);
	pci_dev_free(&d);
	return rc;
}

int cmd_unbind(int argc, char **argv)
{
	struct pci_dev d;
	char ctx[64];
	int c, rc;

	while ((c = verb_getopt(argc, argv, ":h", help_only)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	rc = simple_pf(argc, argv, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	if (!d.driver[0] && !d.override[0])
		info("%s: %s is not bound", ctx, d.addr);
	rc = act_release(ctx, &d, false);
	if (!rc && d.driver[0])
		info("%s: %s is unbound from '%s'", ctx, d.addr, d.driver);
	pci_dev_free(&d);
	return rc;
}

/* Digits only; a usage error otherwise.  Large values are refused later. */
static int parse_count(const char *verb, const char *arg, int *n)
{
	size_t i, len = strlen(arg);
	long v = 0;

	if (len == 0 || len > 9)
		goto bad;
	for (i = 0; i < len; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			goto bad;
		v = v * 10 + (arg[i] - '0');
	}
	*n = (int)v;
	return EXIT_OK;
bad:
	return usage_err("%s: %s is not a VF count (a decimal number)", verb,
			 quote(arg));
}

/* "on" or "off", exactly. */
static int parse_onoff(const char *verb, const char *what, const char *arg,
		       int *v)
{
	if (!strcmp(arg, "on"))
		*v = 1;
	else if (!strcmp(arg, "off"))
		*v = 0;
	else
		return usage_err("%s: %s %s is not 'on' or 'off'", verb, what,
				 quote(arg));
	return EXIT_OK;
}

int cmd_enable(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "lock", no_argument, NULL, 'l' },
		{ "seal", no_argument, NULL, 's' },
		{ "vf-driver", required_argument, NULL, 'd' },
		{ "autoprobe", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_want w = { .vfs = -1, .lock = -1,
			     .autoprobe = AUTOPROBE_OFF_ON_ENABLE };
	char addr[PCI_ADDR_LEN], ctx[64];
	struct pci_dev d;
	int c, rc;

	while ((c = verb_getopt(argc, argv, ":lsd:a:h", lo)) != -1) {
		switch (c) {
		case 'l':
		case 's':
			if (w.lock >= 0)
				return usage_err("enable: --lock and --seal exclude each other");
			w.lock = c == 'l' ? LOCK_LOCKED : LOCK_SEALED;
			break;
		case 'd':
			if (parse_driver("enable", optarg))
				return EXIT_USAGE;
			w.vf_driver = optarg;
			break;
		case 'a':
			if (parse_onoff("enable", "--autoprobe", optarg,
					&w.autoprobe))
				return EXIT_USAGE;
			break;
		default:
			return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
		}
	}
	if (verb_nargs(argc, argv, 2, 2) ||
	    parse_dev(argv[0], argv[optind], addr) ||
	    parse_count(argv[0], argv[optind + 1], &w.vfs))
		return EXIT_USAGE;
	rc = load_pf(argv, addr, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	rc = pf_configure(ctx, &d, &w);
	pci_dev_free(&d);
	return rc;
}

int cmd_disable(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "release", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_want w = { .vfs = 0, .lock = -1,
			     .autoprobe = AUTOPROBE_KEEP };
	struct pci_dev d;
	char ctx[64];
	int c, rc;

	while ((c = verb_getopt(argc, argv, ":rh", lo)) != -1) {
		if (c == 'r')
			w.release = true;
		else
			return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	}
	rc = simple_pf(argc, argv, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	rc = pf_configure(ctx, &d, &w);
	pci_dev_free(&d);
	return rc;
}

static int lock_verb(int argc, char **argv, bool unlock)
{
	static const struct option lo[] = {
		{ "seal", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_want w = { .vfs = -1, .autoprobe = AUTOPROBE_KEEP };
	struct pci_dev d;
	char ctx[64];
	int c, rc;

	w.lock = unlock ? LOCK_UNLOCKED : LOCK_LOCKED;
	while ((c = verb_getopt(argc, argv, unlock ? ":h" : ":sh",
				unlock ? help_only : lo)) != -1) {
		if (c == 's')
			w.lock = LOCK_SEALED;
		else
			return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	}
	rc = simple_pf(argc, argv, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	if (d.lock == w.lock ||
	    (d.lock == LOCK_SEALED && w.lock == LOCK_LOCKED))
		info("%s: %s is already %s", ctx, d.addr, lock_name(d.lock));
	rc = pf_configure(ctx, &d, &w);
	pci_dev_free(&d);
	return rc;
}

int cmd_lock(int argc, char **argv)
{
	return lock_verb(argc, argv, false);
}

int cmd_unlock(int argc, char **argv)
{
	return lock_verb(argc, argv, true);
}

int cmd_autoprobe(int argc, char **argv)
{
	struct pf_want w = { .vfs = -1, .lock = -1 };
	char addr[PCI_ADDR_LEN], ctx[64];
	struct pci_dev d;
	int c, rc, before;

	while ((c = verb_getopt(argc, argv, ":h", help_only)) != -1)
		return c == VERB_HELP ? EXIT_OK : EXIT_USAGE;
	if (verb_nargs(argc, argv, 2, 2) ||
	    parse_dev(argv[0], argv[optind], addr) ||
	    parse_onoff(argv[0], "value", argv[optind + 1], &w.autoprobe))
		return EXIT_USAGE;
	rc = load_pf(argv, addr, ctx, sizeof(ctx), &d);
	if (rc)
		return rc;
	if (d.autoprobe < 0) {
		err("%s: cannot read %s", ctx,
		    sysfs_dev_path(d.addr, "sriov_drivers_autoprobe"));
		pci_dev_free(&d);
		return EXIT_REFUSED;
	}
	before = d.autoprobe;
	if (before == w.autoprobe)
		info("%s: autoprobe is already %s", ctx,
		     w.autoprobe ? "on" : "off");
	rc = pf_configure(ctx, &d, &w);
	if (!rc && before != w.autoprobe)
		info("%s: autoprobe is %s", ctx, w.autoprobe ? "on" : "off");
	pci_dev_free(&d);
	return rc;
}
