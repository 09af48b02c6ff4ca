// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the device-address, ID and driver-name validators
 * (tools/addr.c), which guard every path the tool builds.  What they accept
 * must be safe as a path component, and parse/format must round-trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, canon[PCI_ADDR_LEN], again[PCI_ADDR_LEN];
	struct pci_addr a, b;
	unsigned int v, d;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (addr_parse(s, &a) == 0) {
		if (a.domain > 0xffff || a.bus > 0xff || a.dev > 0x1f ||
		    a.fn > 7)
			abort();
		addr_format(&a, canon);
		if (strlen(canon) != 12 || strchr(canon, '/') ||
		    addr_parse(canon, &b) || memcmp(&a, &b, sizeof(a)))
			abort();
		if (addr_canon(s, again) || strcmp(canon, again))
			abort();
		/* only "[DDDD:]BB:DD.F" shapes are accepted */
		if (strlen(s) != 7 && strlen(s) != 12)
			abort();
	} else if (addr_canon(s, canon) == 0) {
		abort();
	}
	if (id_parse(s, &v, &d) == 0 && (v > 0xffff || d > 0xffff ||
					 strlen(s) != 9))
		abort();
	if (driver_name_valid(s) &&
	    (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, "..") ||
	     s[0] == '-' || s[0] == '.' || strlen(s) >= DRIVER_NAME_MAX))
		abort();
	free(s);
	return 0;
}
