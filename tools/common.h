/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: what every part of the tool shares: exit statuses, the global
 * options and the three ways of talking to the user (error, usage error,
 * information).
 */
#ifndef SRIOVCTL_COMMON_H
#define SRIOVCTL_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#define EXIT_OK		0	/* success */
#define EXIT_REFUSED	1	/* a well-formed request the system refused */
#define EXIT_USAGE	2	/* malformed command line or configuration */

#define PROG "sriovctl"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct global_opts {
	bool json;
	bool dry_run;
	bool quiet;
	const char **config;	/* -c FILE, repeatable; NULL: the defaults */
	size_t nconfig;
};

extern struct global_opts opts;

/*
 * Also send errors to the kernel log (for udev, whose RUN programs have
 * stderr on /dev/null): path is /dev/kmsg, or $SRIOVCTL_KMSG in tests.
 */
void log_errors_to_kmsg(const char *path);

/* "sriovctl: <message>" on stderr, one line. */
void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* err() plus "Try 'sriovctl --help'."; returns EXIT_USAGE. */
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line on stdout, silenced by -q. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A user-supplied string made safe to show: in single quotes, control and
 * non-ASCII bytes as \xNN, long strings cut with "...".  The result lives
 * in one of a few static buffers, good for one message.
 */
const char *quote(const char *s);

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif
