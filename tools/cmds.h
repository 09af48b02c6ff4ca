/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: the verbs, and what they share for parsing their arguments.
 * Each handler gets argv[0] = the verb and parses its own options.
 */
#ifndef SRIOVCTL_CMDS_H
#define SRIOVCTL_CMDS_H

#include <getopt.h>

#include "addr.h"

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_unbind(int argc, char **argv);
int cmd_enable(int argc, char **argv);
int cmd_disable(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_unlock(int argc, char **argv);
int cmd_autoprobe(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_udev(int argc, char **argv);

/* verb_getopt() results besides option characters and -1 (done) */
#define VERB_HELP	-2	/* help printed: return EXIT_OK */
#define VERB_ERR	-3	/* usage error printed: return EXIT_USAGE */

/*
 * getopt_long for a verb: shortopts must start with ":"; every verb
 * knows -h/--help.  Long options must be spelled out in full.
 */
int verb_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/* Check the number of arguments left after the options. */
int verb_nargs(int argc, char **argv, int min, int max);

/* Parse a device argument into a canonical address, or a usage error. */
int parse_dev(const char *verb, const char *arg, char addr[PCI_ADDR_LEN]);

/* Parse a driver name, or a usage error. */
int parse_driver(const char *verb, const char *arg);

/* Print the synopsis of one verb (for -h). */
void verb_help(const char *verb);

#endif
