// SPDX-License-Identifier: GPL-2.0
/*
 * timer: run a command several times, print each run's times.
 *
 *	timer RUNS CMD [ARG...]
 *
 * One line per run on stdout: wall-clock seconds (CLOCK_MONOTONIC, fork to
 * wait), then the child's user and system CPU seconds (wait4's rusage).
 * The command's stdout goes to /dev/null, its stderr is kept.  Exit status
 * 1 if any run failed (the failing run is still printed), 2 for usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

static double tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int runs, i, status, rc = 0, null;
	pid_t pid;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: timer RUNS CMD [ARG...]\n");
		return 2;
	}
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0) {
		perror("/dev/null");
		return 1;
	}
	for (i = 0; i < runs; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			dup2(null, STDOUT_FILENO);
			execvp(argv[2], argv + 2);
			perror(argv[2]);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("wait4");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
		printf("%.6f %.6f %.6f\n", secs(&t1) - secs(&t0),
		       tv(&ru.ru_utime), tv(&ru.ru_stime));
		fflush(stdout);
	}
	return rc;
}
