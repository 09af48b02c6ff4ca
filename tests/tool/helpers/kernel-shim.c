// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the sriovctl tests: the little of the kernel's
 * behaviour a fake tree needs, done synchronously inside write(2) as the
 * kernel does it.
 *
 *   SHIM_FAIL_PATH=SUFFIX SHIM_ERRNO=N
 *	a write to the file whose path ends in SUFFIX fails with errno N
 *	and leaves the file as it was (a refusal by the kernel)
 *   SHIM_KERNEL=1
 *	writing ADDR to .../bus/pci/drivers/X/unbind removes the device's
 *	driver link; writing ADDR to .../bus/pci/drivers_probe links the
 *	device to the driver its driver_override names, if that driver's
 *	directory exists (what the PCI core does for driver_override)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), sl = strlen(suffix);

	return l >= sl && !strcmp(s + l - sl, suffix);
}

/* The device address written, as a string. */
static void value(char *v, size_t size, const void *buf, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(v, buf, n);
	v[n] = '\0';
	v[strcspn(v, "\n")] = '\0';
}

static void kernel(const char *path, const void *buf, size_t n)
{
	char root[PATH_MAX], addr[64], p[PATH_MAX + 128], drv[128];
	char t[PATH_MAX + 256];
	const char *s;
	FILE *f;

	value(addr, sizeof(addr), buf, n);
	if (strchr(addr, '/'))
		return;
	s = strstr(path, "/bus/pci/");
	if (!s)
		return;
	snprintf(root, sizeof(root), "%.*s", (int)(s - path), path);
	snprintf(p, sizeof(p), "%s/bus/pci/devices/%s/driver", root, addr);
	if (ends_with(path, "/unbind")) {
		unlink(p);
		return;
	}
	if (!ends_with(path, "/bus/pci/drivers_probe"))
		return;
	snprintf(t, sizeof(t), "%s/bus/pci/devices/%s/driver_override", root,
		 addr);
	f = fopen(t, "r");
	if (!f)
		return;
	if (!fgets(drv, sizeof(drv), f))
		drv[0] = '\0';
	fclose(f);
	drv[strcspn(drv, "\n")] = '\0';
	if (!drv[0] || !strcmp(drv, "(null)") || strchr(drv, '/'))
		return;
	snprintf(t, sizeof(t), "%s/bus/pci/drivers/%s", root, drv);
	if (access(t, F_OK))
		return;
	if (access(p, F_OK) == 0)
		return;	/* bound already: probing does nothing */
	snprintf(t, sizeof(t), "../../../bus/pci/drivers/%s", drv);
	unlink(p);
	if (symlink(t, p))
		perror("kernel-shim: symlink");
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	const char *suffix = getenv("SHIM_FAIL_PATH");
	const char *e = getenv("SHIM_ERRNO");
	const char *k = getenv("SHIM_KERNEL");
	char link[64], path[PATH_MAX];
	ssize_t l = -1, r;

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
								      "write");
	if (fd > 2 && ((suffix && e) || k)) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		l = readlink(link, path, sizeof(path) - 1);
		if (l > 0)
			path[l] = '\0';
	}
	if (l > 0 && suffix && e && ends_with(path, suffix)) {
		errno = atoi(e);
		return -1;
	}
	r = real(fd, buf, n);
	if (l > 0 && k && r >= 0)
		kernel(path, buf, n);
	return r;
}
