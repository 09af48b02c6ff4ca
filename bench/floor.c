// SPDX-License-Identifier: GPL-2.0
/*
 * floor: the least a program can do to provision the VFs of a PF, the
 * floor that "sriovctl enable PF N --vf-driver DRV" is measured against
 * (bench/README.md, figure "provision").
 *
 *	floor PF N DRV
 *
 * Exactly these sysfs writes, each an open, one write and a close, as an
 * operator's "echo" does: 0 to the PF's sriov_drivers_autoprobe, N to its
 * sriov_numvfs, then for each VF i < N (the PF's virtfn<i> link) DRV to
 * its driver_override and its address to /sys/bus/pci/drivers_probe.  No
 * checks beyond the system calls' own status: the benchmark checks the
 * result afterwards, untimed.  PF is a full DDDD:BB:DD.F address.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEVICES "/sys/bus/pci/devices/"

static int put(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, val, len) != (ssize_t)len) {
		perror(path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	char path[512], link[256];
	const char *pf, *drv, *vf;
	ssize_t len;
	long n, i;

	if (argc != 4 || strlen(argv[1]) > 32 || strchr(argv[1], '/')) {
		fprintf(stderr, "usage: floor PF N DRV\n");
		return 2;
	}
	pf = argv[1];
	n = strtol(argv[2], NULL, 10);
	drv = argv[3];

	snprintf(path, sizeof(path), DEVICES "%s/sriov_drivers_autoprobe", pf);
	if (put(path, "0"))
		return 1;
	snprintf(path, sizeof(path), DEVICES "%s/sriov_numvfs", pf);
	if (put(path, argv[2]))
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), DEVICES "%s/virtfn%ld", pf, i);
		len = readlink(path, link, sizeof(link) - 1);
		if (len < 0) {
			perror(path);
			return 1;
		}
		link[len] = '\0';
		vf = strrchr(link, '/');
		vf = vf ? vf + 1 : link;
		snprintf(path, sizeof(path), DEVICES "%s/driver_override", vf);
		if (put(path, drv) || put("/sys/bus/pci/drivers_probe", vf))
			return 1;
	}
	return 0;
}
