// SPDX-License-Identifier: GPL-2.0-or-later
/* execstorm.c - threads that vfork and exec at once, under signals
 *
 * Usage: execstorm PROGRAM [THREADS [ROUNDS]]
 *
 * THREADS threads (default 8) each start PROGRAM (with no arguments) ROUNDS
 * times (default 40) and wait for it; odd ones with posix_spawn(3) (glibc:
 * clone(CLONE_VM | CLONE_VFORK)), even ones with vfork(2) + execv(2).  Two
 * more threads open and close /etc/hostname in a loop meanwhile, and a
 * SIGALRM arrives every 500 us.  So every exec runs while other tasks share
 * its memory, other execs are under way and calls are trapped: where facet
 * redirects an exec (an overlay, a root directory) it holds those tasks
 * until the exec is done, and none may be left stopped.
 *
 * PROGRAM must exit 0.  The output does not depend on the timing:
 *
 *	N runs
 *
 * with the exit status 0; on the first failure it says what failed and
 * exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_THREADS 64

extern char **environ;

static const char *prog;
static int rounds = 40;
static volatile int stop;

/* on_alarm() - nothing: the signal is there to interrupt */
static void on_alarm(int sig)
{
	(void)sig;
}

/**
 * start() - run PROGRAM once and wait for it
 * @spawn:	true for posix_spawn, false for vfork + execv
 */
static void start(int spawn)
{
	char *argv[] = { (char *)prog, NULL };
	pid_t pid;
	int st, r;

	if (spawn) {
		r = posix_spawn(&pid, prog, NULL, NULL, argv, environ);
		if (r) {
			fprintf(stderr, "posix_spawn %s: %s\n", prog, strerror(r));
			exit(1);
		}
	} else {
		pid = vfork();
		if (pid < 0) {
			perror("vfork");
			exit(1);
		}
		if (pid == 0) {
			execv(prog, argv);
			_exit(127);
		}
	}
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		perror("waitpid");
		exit(1);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "%s: wait status %#x\n", prog, st);
		exit(1);
	}
}

/* starter() - one thread's ROUNDS runs; @arg is its number */
static void *starter(void *arg)
{
	long n = (long)arg;
	int i;

	for (i = 0; i < rounds; i++)
		start((int)(n % 2));
	return NULL;
}

/* opener() - trapped calls until told to stop */
static void *opener(void *arg)
{
	int fd;

	(void)arg;
	while (!stop) {
		fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	pthread_t t[MAX_THREADS], o[2];
	int n = 8, i;

	if (argc < 2) {
		fprintf(stderr, "usage: execstorm PROGRAM [THREADS [ROUNDS]]\n");
		return 2;
	}
	prog = argv[1];
	if (argc > 2)
		n = atoi(argv[2]);
	if (argc > 3)
		rounds = atoi(argv[3]);
	if (n < 1 || n > MAX_THREADS || rounds < 1) {
		fprintf(stderr, "execstorm: 1 to %d threads, 1 round or more\n",
			MAX_THREADS);
		return 2;
	}
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 2; i++)
		if (pthread_create(&o[i], NULL, opener, NULL)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, starter, (void *)(long)i)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(o[i], NULL);
	printf("%d runs\n", n * rounds);
	return 0;
}
