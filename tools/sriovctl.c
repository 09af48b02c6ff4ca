// SPDX-License-Identifier: GPL-2.0
/*
 * sriovctl: create SR-IOV virtual functions on PFs bound to pci-stub-pf,
 * lock their count, and hand the VFs to the drivers of the operator's
 * choice.  The verb table below drives dispatch and --help.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common.h"
#include "sysfs.h"

#ifndef SRIOVCTL_VERSION
#define SRIOVCTL_VERSION "unknown"
#endif

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

static const struct verb verbs[] = {
	{ "list", cmd_list, "",
	  "list SR-IOV PFs: address, vendor:device, driver, VFs, lock, autoprobe" },
	{ "show", cmd_show, "DEV",
	  "show a PF and its VFs, or a VF and its PF" },
	{ "bind", cmd_bind, "PF [--force]",
	  "bind a PF to pci-stub-pf (--force: take it from another driver)" },
	{ "unbind", cmd_unbind, "PF",
	  "clear the PF's driver_override and unbind it" },
	{ "enable", cmd_enable,
	  "PF N [--lock|--seal] [--vf-driver DRV] [--autoprobe on|off]",
	  "make N VFs exist (autoprobe off unless asked), hand them to DRV" },
	{ "disable", cmd_disable, "PF [--release]",
	  "remove the VFs (--release: unbind them from their drivers first)" },
	{ "lock", cmd_lock, "PF [--seal]",
	  "lock the VF count (--seal: until the PF is unbound)" },
	{ "unlock", cmd_unlock, "PF", "unlock the VF count" },
	{ "autoprobe", cmd_autoprobe, "PF on|off",
	  "let host drivers probe new VFs, or not" },
	{ "assign", cmd_assign, "DEV DRV",
	  "hand a VF (a PF: all its VFs) to driver DRV" },
	{ "release", cmd_release, "DEV",
	  "clear a VF's (a PF: all its VFs') override and unbind it" },
	{ "apply", cmd_apply, "",
	  "apply the configuration files" },
	{ "udev", cmd_udev, "DEV",
	  "configure a device that udev reports (used by the udev rules)" },
};

static void help(void)
{
	size_t i;

	printf("Usage: " PROG " [OPTIONS] COMMAND [ARGS]\n\n"
	       "Create SR-IOV VFs on PFs bound to pci-stub-pf and hand them to drivers.\n"
	       "DEV, PF: a PCI address [DDDD:]BB:DD.F.\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (verbs[i].args[0])
			printf("  %-10s %s\n", verbs[i].name, verbs[i].args);
		else
			printf("  %s\n", verbs[i].name);
		printf("%13s%s\n", "", verbs[i].help);
	}
	printf("\nOptions:\n"
	       "  -j, --json         JSON output (list, show)\n"
	       "  -n, --dry-run      print the sysfs writes, make none\n"
	       "  -q, --quiet        no informational output\n"
	       "      --sysfs DIR    sysfs root (default $SRIOVCTL_SYSFS or /sys)\n"
	       "  -c, --config FILE  read FILE instead of /etc/sriovctl.conf and\n"
	       "                     /etc/sriovctl.d/*.conf (may be repeated)\n"
	       "  -h, --help         this help\n"
	       "  -V, --version      the version\n"
	       "\nExit status: 0 success, 1 refused by the system, 2 usage or configuration error.\n");
}

void verb_help(const char *verb)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (!strcmp(verbs[i].name, verb))
			printf("Usage: " PROG " %s%s%s\n%s\n", verb,
			       verbs[i].args[0] ? " " : "", verbs[i].args,
			       verbs[i].help);
}

/*
 * getopt_long accepts any unambiguous prefix of a long option; we do not:
 * check that the option was written out in full.
 */
static bool long_exact(char **argv, const struct option *lo, int idx)
{
	const char *text;
	size_t len = strlen(lo[idx].name);
	int at = optind - 1;

	if (optarg && at > 0 && argv[at] == optarg && strncmp(argv[at], "--", 2))
		at--;
	text = argv[at];
	if (strncmp(text, "--", 2))
		return true;
	return !strncmp(text + 2, lo[idx].name, len) &&
	       (text[2 + len] == '\0' || text[2 + len] == '=');
}

static int getopt_checked(const char *who, int argc, char **argv,
			  const char *so, const struct option *lo)
{
	int idx = -1, c;

	c = getopt_long(argc, argv, so, lo, &idx);
	if (c == '?') {
		if (optopt)
			usage_err("%sunknown option '-%c'", who, optopt);
		else
			usage_err("%sunknown option %s", who,
				  quote(argv[optind - 1]));
		return VERB_ERR;
	}
	if (c == ':') {
		usage_err("%soption %s needs an argument", who,
			  quote(argv[optind - 1]));
		return VERB_ERR;
	}
	if (c != -1 && idx >= 0 && !long_exact(argv, lo, idx)) {
		usage_err("%sunknown option %s (did you mean '--%s'?)", who,
			  quote(argv[optind - 1 - (optarg && argv[optind - 1] == optarg)]),
			  lo[idx].name);
		return VERB_ERR;
	}
	return c;
}

int verb_getopt(int argc, char **argv, const char *so,
		const struct option *lo)
{
	char who[64];
	int c;

	snprintf(who, sizeof(who), "%s: ", argv[0]);
	c = getopt_checked(who, argc, argv, so, lo);
	if (c == 'h') {
		verb_help(argv[0]);
		return VERB_HELP;
	}
	return c;
}

int verb_nargs(int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	size_t i;

	if (n < min) {
		for (i = 0; i < ARRAY_SIZE(verbs); i++)
			if (!strcmp(verbs[i].name, argv[0]))
				break;
		return usage_err("%s: missing argument; usage: " PROG " %s %s",
				 argv[0], argv[0],
				 i < ARRAY_SIZE(verbs) ? verbs[i].args : "");
	}
	if (n > max)
		return usage_err("%s: unexpected argument %s", argv[0],
				 quote(argv[optind + max]));
	return EXIT_OK;
}

int parse_dev(const char *verb, const char *arg, char addr[PCI_ADDR_LEN])
{
	if (addr_canon(arg, addr))
		return usage_err("%s: %s is not a PCI address [DDDD:]BB:DD.F (hex, device 00-1f, function 0-7)",
				 verb, quote(arg));
	return EXIT_OK;
}

int parse_driver(const char *verb, const char *arg)
{
	if (!driver_name_valid(arg))
		return usage_err("%s: %s is not a driver name", verb,
				 quote(arg));
	return EXIT_OK;
}

/* Output that could not be written is a failure, not a success. */
static int finish(int rc)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	err("cannot write to standard output: %s", strerror(errno));
	return rc ? rc : EXIT_REFUSED;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sysfs", required_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *root = getenv("SRIOVCTL_SYSFS");
	size_t i;
	int c;

	opts.config = calloc((size_t)argc, sizeof(*opts.config));
	if (!opts.config) {
		err("out of memory");
		return EXIT_REFUSED;
	}
	opterr = 0;
	while ((c = getopt_checked("", argc, argv, "+:jnqc:hV", lo)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'n':
			opts.dry_run = true;
			break;
		case 'q':
			opts.quiet = true;
			break;
		case 'S':
			root = optarg;
			break;
		case 'c':
			opts.config[opts.nconfig++] = optarg;
			break;
		case 'h':
			help();
			return EXIT_OK;
		case 'V':
			printf(PROG " %s\n", SRIOVCTL_VERSION);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (root && !sysfs_set_root(root))
		return usage_err("%s is not a usable sysfs root", quote(root));
	sysfs_set_dry_run(opts.dry_run);
	if (optind >= argc)
		return usage_err("missing command");
	for (i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (strcmp(argv[optind], verbs[i].name))
			continue;
		argc -= optind;
		argv += optind;
		optind = 0;	/* glibc: start afresh for the verb */
		return finish(verbs[i].fn(argc, argv));
	}
	return usage_err("unknown command %s", quote(argv[optind]));
}
