// SPDX-License-Identifier: GPL-2.0
/* sriovctl: run modprobe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "modprobe.h"

/*
 * udevd runs programs without PATH, where execvp() would look in /bin and
 * /usr/bin only: look where modprobe lives first.
 */
const char *modprobe_prog(void)
{
	static const char *const where[] = {
		"/usr/sbin/modprobe", "/sbin/modprobe",
	};
	const char *p = getenv("SRIOVCTL_MODPROBE");
	size_t i;

	if (p && *p)
		return p;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return "modprobe";
}

int modprobe_run(const char *prog, const char *drv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* drv is a validated driver name: it never starts with '-' */
		execlp(prog, prog, drv, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? -ENOENT :
						     WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
