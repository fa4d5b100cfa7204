// SPDX-License-Identifier: GPL-2.0-or-later
/* spawn_loop.c - fork, exec /bin/true and wait, N times (default 1000)
 *
 * The process-creation path: fork, execve, exit and wait under the wrapper.
 */

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

/**
 * spawn_true() - run /bin/true once and wait for it
 *
 * Return: 0 if it exited with status 0, -1 otherwise
 */
static int spawn_true(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/**
 * main() - loop over spawn_true()
 * @argc:	argument count
 * @argv:	[N]
 *
 * Return: 0, or 1 if a run failed
 */
int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 1000;

	for (i = 0; i < n; i++) {
		if (spawn_true()) {
			fprintf(stderr, "spawn_loop: run %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}
