/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriovctl: one printing path for text and JSON, in the style of iproute2's
 * print_*(PRINT_ANY, key, fmt, value): each fact is printed once, with its
 * JSON key and its text format, so the two outputs cannot drift.
 *
 * Text formats are printf formats for the value; JSON is compact, one
 * document per command, newline-terminated.
 */
#ifndef SRIOVCTL_OUTPUT_H
#define SRIOVCTL_OUTPUT_H

#include <stdbool.h>

enum output_type {
	PRINT_FP = 1,	/* text only */
	PRINT_JSON = 2,	/* JSON only */
	PRINT_ANY = 3,	/* both */
};

void output_start(bool json);
/* Ends the JSON document (newline); flushes. */
void output_end(void);
bool output_is_json(void);

/* key is ignored inside an array and for the outermost value */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

/* val NULL: JSON null, text "none" */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned long val);
/* text: "on" / "off" through fmt */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val);
/* JSON null; text shows text through fmt */
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text);
/* Text only, printf-style. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
