// SPDX-License-Identifier: GPL-2.0
/* sriovctl: every access to sysfs goes through here. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "sysfs.h"

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

static char root[PATH_MAX / 2] = SYSFS_DEFAULT_ROOT;
static bool dry_run;

bool sysfs_set_root(const char *r)
{
	size_t len = strlen(r);

	if (len == 0 || len >= sizeof(root))
		return false;
	memcpy(root, r, len + 1);
	/* "/tmp/sys/" and "/tmp/sys" are the same root */
	while (len > 1 && root[len - 1] == '/')
		root[--len] = '\0';
	return true;
}

const char *sysfs_root(void)
{
	return root;
}

bool sysfs_root_is_default(void)
{
	return strcmp(root, SYSFS_DEFAULT_ROOT) == 0;
}

void sysfs_set_dry_run(bool on)
{
	dry_run = on;
}

bool sysfs_dry_run(void)
{
	return dry_run;
}

/* Paths for messages: a few rotating buffers, good for one message. */
static char *pathbuf(void)
{
	static char bufs[4][PATH_MAX];
	static unsigned int next;

	return bufs[next++ % 4];
}

const char *sysfs_path(const char *rel)
{
	char *b = pathbuf();

	snprintf(b, PATH_MAX, "%s/%s", root, rel);
	return b;
}

const char *sysfs_dev_path(const char *addr, const char *attr)
{
	char *b = pathbuf();

	if (addr && attr)
		snprintf(b, PATH_MAX, "%s/bus/pci/devices/%s/%s", root, addr,
			 attr);
	else if (addr)
		snprintf(b, PATH_MAX, "%s/bus/pci/devices/%s", root, addr);
	else
		snprintf(b, PATH_MAX, "%s/bus/pci/devices", root);
	return b;
}

const char *sysfs_driver_path(const char *drv)
{
	char *b = pathbuf();

	snprintf(b, PATH_MAX, "%s/bus/pci/drivers/%s", root, drv);
	return b;
}

static int read_path(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	/* the value stops at the first newline or NUL */
	n = (ssize_t)strcspn(buf, "\n");
	buf[n] = '\0';
	return (int)n;
}

/* Show "\n" in dry-run output the way a shell user would type it. */
static void print_write(const char *path, const char *val)
{
	printf("write %s '", path);
	for (; *val; val++) {
		if (*val == '\n')
			fputs("\\n", stdout);
		else
			putchar(*val);
	}
	puts("'");
	fflush(stdout);
}

/* Is fd a file of the real sysfs (as opposed to a test tree)? */
static bool on_sysfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == SYSFS_MAGIC;
}

static bool is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static int write_path(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, e;

	if (dry_run) {
		print_write(path, val);
		return 0;
	}
	/*
	 * No O_CREAT: writing an attribute that is not there is an error.
	 * No O_TRUNC: a refused write must leave the file as it was; the
	 * kernel ignores truncation anyway, a test tree is truncated after
	 * the write succeeded.
	 */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	e = errno;
	/* only a test tree's files are truncated: /sys is sysfs, no check */
	if (n >= 0 && !sysfs_root_is_default() && !on_sysfs(fd) &&
	    is_regular(fd) && ftruncate(fd, n) < 0) {
		n = -1;
		e = errno;
	}
	if (close(fd) && n >= 0)
		return -errno;
	if (n < 0)
		return -e;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

int sysfs_dev_read(const char *addr, const char *attr, char *buf, size_t size)
{
	return read_path(sysfs_dev_path(addr, attr), buf, size);
}

int sysfs_dev_write(const char *addr, const char *attr, const char *val)
{
	return write_path(sysfs_dev_path(addr, attr), val);
}

int sysfs_write(const char *rel, const char *val)
{
	return write_path(sysfs_path(rel), val);
}

bool sysfs_dev_exists(const char *addr, const char *attr)
{
	return access(sysfs_dev_path(addr, attr), F_OK) == 0;
}

int sysfs_dev_link(const char *addr, const char *link, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(sysfs_dev_path(addr, link), target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool sysfs_driver_exists(const char *drv)
{
	return access(sysfs_driver_path(drv), F_OK) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sysfs_dev_list(const char *addr, char ***names, size_t *n)
{
	char **v = NULL, **nv;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(sysfs_dev_path(addr, NULL));
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		v[cnt] = strdup(de->d_name);
		if (!v[cnt])
			goto oom;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return 0;
oom:
	closedir(d);
	sysfs_free_names(v, cnt);
	return -ENOMEM;
}

void sysfs_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void sysfs_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
