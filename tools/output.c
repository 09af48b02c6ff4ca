// SPDX-License-Identifier: GPL-2.0
/* sriovctl: text and JSON output through one path. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "output.h"

#define MAX_DEPTH 16

static bool json;
static int depth;
static bool first[MAX_DEPTH];	/* nothing printed yet at this level */
static bool in_array[MAX_DEPTH];

void output_start(bool j)
{
	json = j;
	depth = 0;
	first[0] = true;
	in_array[0] = true;	/* the top-level value has no key */
}

void output_end(void)
{
	if (json)
		putchar('\n');
	fflush(stdout);
}

bool output_is_json(void)
{
	return json;
}

/* A JSON string, escaped; invalid UTF-8 becomes U+FFFD. */
static void json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;

	putchar('"');
	while (n) {
		unsigned char c = *p;

		if (c == '"' || c == '\\') {
			putchar('\\');
			putchar(c);
		} else if (c == '\n') {
			fputs("\\n", stdout);
		} else if (c == '\t') {
			fputs("\\t", stdout);
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
		} else if (c >= 0x80) {
			len = utf8_seq_len(p, n);
			if (!len) {
				fputs("\\ufffd", stdout);
				len = 1;
			} else {
				fwrite(p, 1, len, stdout);
			}
			p += len;
			n -= len;
			continue;
		} else {
			putchar(c);
		}
		p++;
		n--;
	}
	putchar('"');
}

/* The separator and key before a JSON value at the current level. */
static void json_key(const char *key)
{
	if (!first[depth])
		putchar(',');
	first[depth] = false;
	if (!in_array[depth]) {
		json_string(key ? key : "");
		putchar(':');
	}
}

static void json_open(const char *key, char c, bool array)
{
	json_key(key);
	putchar(c);
	if (depth < MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
	in_array[depth] = array;
}

void open_json_object(const char *key)
{
	if (json)
		json_open(key, '{', false);
}

void close_json_object(void)
{
	if (json) {
		putchar('}');
		if (depth > 0)
			depth--;
	}
}

void open_json_array(const char *key)
{
	if (json)
		json_open(key, '[', true);
}

void close_json_array(void)
{
	if (json) {
		putchar(']');
		if (depth > 0)
			depth--;
	}
}

/*
 * The text formats are the caller's constants: -Wformat-nonliteral is not
 * in -Wall -Wextra, and each print_* passes exactly one value of the type
 * its name says.
 */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		if (val)
			json_string(val);
		else
			fputs("null", stdout);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, val ? val : "none");
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned long val)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		printf("%lu", val);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, val);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool val)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		fputs(val ? "true" : "false", stdout);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, val ? "on" : "off");
	}
}

void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		fputs("null", stdout);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, text);
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
