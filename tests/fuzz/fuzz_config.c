// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the configuration parser (tools/config.c) on any
 * bytes.  Besides the sanitizers' checks, what it parsed must make sense:
 * every section has a canonical selector and values in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "config.h"

static void quiet(void *ctx, const char *file, unsigned int line,
		  const char *msg)
{
	(void)ctx;
	(void)file;
	(void)line;
	if (!msg || !*msg)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char canon[PCI_ADDR_LEN];
	unsigned int e;
	size_t i;

	config_init(&c, quiet, NULL);
	e = config_parse(&c, "fuzz.conf", (const char *)data, size);
	if (e != c.errors)
		abort();
	for (i = 0; i < c.n; i++) {
		const struct cfg_section *s = &c.sec[i];

		if (s->sel == SEL_ADDR &&
		    (addr_canon(s->addr, canon) || strcmp(canon, s->addr)))
			abort();
		if (s->vfs < -1 || s->vfs > 65535 || s->lock < -1 ||
		    s->lock > CFG_LOCK_SEALED || s->autoprobe < -1 ||
		    s->autoprobe > 1)
			abort();
		if (s->vf_driver[0] && !driver_name_valid(s->vf_driver))
			abort();
		if (s->line == 0 || strcmp(s->file, "fuzz.conf"))
			abort();
	}
	config_free(&c);
	return 0;
}
