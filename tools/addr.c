// SPDX-License-Identifier: GPL-2.0
/* sriovctl: strict parsers for device addresses, IDs and driver names. */
#include <stdio.h>
#include <string.h>

#include "addr.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at s; the value in *v.  Returns 0 or -1. */
static int hexn(const char *s, int n, unsigned int *v)
{
	unsigned int x = 0;
	int i, d;

	for (i = 0; i < n; i++) {
		d = hexval(s[i]);
		if (d < 0)
			return -1;
		x = x << 4 | (unsigned int)d;
	}
	*v = x;
	return 0;
}

int addr_parse(const char *s, struct pci_addr *a)
{
	struct pci_addr t = { 0 };
	size_t len = strlen(s);

	if (len == 12) {
		if (hexn(s, 4, &t.domain) || s[4] != ':')
			return -1;
		s += 5;
	} else if (len != 7) {
		return -1;
	}
	/* "BB:DD.F" */
	if (hexn(s, 2, &t.bus) || s[2] != ':' || hexn(s + 3, 2, &t.dev) ||
	    s[5] != '.' || s[6] < '0' || s[6] > '7')
		return -1;
	t.fn = (unsigned int)(s[6] - '0');
	if (t.dev > 0x1f)
		return -1;
	*a = t;
	return 0;
}

void addr_format(const struct pci_addr *a, char buf[PCI_ADDR_LEN])
{
	snprintf(buf, PCI_ADDR_LEN, "%04x:%02x:%02x.%x", a->domain & 0xffff,
		 a->bus & 0xff, a->dev & 0x1f, a->fn & 7);
}

int addr_canon(const char *s, char buf[PCI_ADDR_LEN])
{
	struct pci_addr a;

	if (addr_parse(s, &a))
		return -1;
	addr_format(&a, buf);
	return 0;
}

int id_parse(const char *s, unsigned int *vendor, unsigned int *device)
{
	unsigned int v, d;

	if (strlen(s) != 9 || hexn(s, 4, &v) || s[4] != ':' ||
	    hexn(s + 5, 4, &d))
		return -1;
	*vendor = v;
	*device = d;
	return 0;
}

bool driver_name_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len >= DRIVER_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (alnum || c == '_')
			continue;
		if (i > 0 && (c == '-' || c == '.'))
			continue;
		return false;
	}
	return true;
}
