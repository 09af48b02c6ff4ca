// SPDX-License-Identifier: GPL-2.0
/* sriovctl: messages to the user. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

struct global_opts opts;

static int kmsg_fd = -1;

void log_errors_to_kmsg(const char *path)
{
	if (kmsg_fd < 0)
		kmsg_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
}

/* One record, level err (3), facility user: "<11>sriovctl: ...". */
static void kmsg(const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf), "<11>" PROG ": ");
	vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	n = (int)strlen(buf);
	buf[n++] = '\n';
	if (write(kmsg_fd, buf, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

static void vmsg(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (prefix)
		fputs(prefix, f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, PROG ": ", fmt, ap);
	va_end(ap);
	if (kmsg_fd >= 0) {
		va_start(ap, fmt);
		kmsg(fmt, ap);
		va_end(ap);
	}
}

int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, PROG ": ", fmt, ap);
	va_end(ap);
	fputs("Try '" PROG " --help'.\n", stderr);
	return EXIT_USAGE;
}

void info(const char *fmt, ...)
{
	va_list ap;

	/* in dry-run, the writes are the output: no claims of success */
	if (opts.quiet || opts.dry_run)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

#define QUOTE_MAX	64
#define QUOTE_BUFS	4

const char *quote(const char *s)
{
	static char bufs[QUOTE_BUFS][QUOTE_MAX * 4 + 8];
	static unsigned next;
	char *b = bufs[next++ % QUOTE_BUFS];
	size_t o = 0, i;

	b[o++] = '\'';
	for (i = 0; s[i] && i < QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			o += (size_t)sprintf(b + o, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
			o += (size_t)sprintf(b + o, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	b[o++] = '\'';
	if (s[i])
		o += (size_t)sprintf(b + o, "...");
	b[o] = '\0';
	return b;
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}
