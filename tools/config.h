/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: the configuration files.
 *
 *	# comment (a '#' anywhere starts one)
 *	[pf 0000:01:00.0]	# or [pf 01:00.0], or [pf 1b36:0010]: every PF
 *	vfs = 4			# 0..65535 (and at most the PF's total)
 *	lock = yes		# no | yes | sealed
 *	autoprobe = no		# yes | no, default no
 *	vf-driver = vfio-pci	# a driver name, or none
 *
 * The parser works on a buffer so that it can be fuzzed; every problem is
 * reported through a callback as FILE:LINE and parsing goes on, so that
 * one run shows every error.  Matching sections against devices is the
 * caller's job (cmd_config.c).
 */
#ifndef SRIOVCTL_CONFIG_H
#define SRIOVCTL_CONFIG_H

#include <stddef.h>

#include "addr.h"

#define CONFIG_LINE_MAX		4096		/* bytes, newline excluded */
#define CONFIG_FILE_MAX		(4 << 20)	/* bytes */
#define CONFIG_ERRORS_MAX	10		/* per file, then give up */
#define CONFIG_DEFAULT_DIR	"/etc"		/* sriovctl.conf, sriovctl.d/ */

enum cfg_selector { SEL_ADDR, SEL_ID };

enum { CFG_LOCK_NO, CFG_LOCK_YES, CFG_LOCK_SEALED };

struct cfg_section {
	const char *file;
	unsigned int line;
	enum cfg_selector sel;
	char addr[PCI_ADDR_LEN];		/* SEL_ADDR, canonical */
	unsigned int vendor, device;		/* SEL_ID */

	int vfs;				/* -1: not set */
	int lock;				/* -1 or CFG_LOCK_* */
	int autoprobe;				/* -1, 0, 1 */
	char vf_driver[DRIVER_NAME_MAX];	/* "" not set, or "none" */
	/* the line of each key, for errors found against devices */
	unsigned int vfs_line, lock_line, autoprobe_line, vf_driver_line;
};

typedef void (*config_report_fn)(void *ctx, const char *file,
				 unsigned int line, const char *msg);

struct config {
	struct cfg_section *sec;
	size_t n, cap;
	char **files;		/* owned copies of the names */
	size_t nfiles;
	unsigned int errors;
	config_report_fn report;	/* NULL: print to stderr */
	void *ctx;
};

void config_init(struct config *c, config_report_fn report, void *ctx);
void config_free(struct config *c);

/* Parse one file's contents.  Returns the number of errors found in it. */
unsigned int config_parse(struct config *c, const char *file, const char *buf,
			  size_t len);

/* Read and parse a file; an unreadable file is an error. */
unsigned int config_load_file(struct config *c, const char *path);

/*
 * The default files: DIR/sriovctl.conf then DIR/sriovctl.d/ *.conf in
 * byte order; either may be absent.
 */
unsigned int config_load_default(struct config *c, const char *dir);

/* Report an error found later (against devices) as FILE:LINE. */
void config_error(struct config *c, const char *file, unsigned int line,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
