// SPDX-License-Identifier: GPL-2.0-or-later
/* stress.c - threads that fork, exec, exit and make trapped calls while
 *	      signals fly: shakes the supervisor's process table and tracer
 *
 * Usage: stress [ROUNDS]
 *
 * THREADS workers each run ROUNDS rounds of: uname(2) (trapped under
 * facet --hostname), a fork whose child makes a trapped call and either
 * execs /bin/true or exits, a short-lived thread, and a SIGUSR1 to a random
 * worker; the handler has no SA_RESTART, so any call that leaks EINTR where
 * the kernel never gives it is caught.  Every uname must report the node
 * name the first one did; every child must exit 0.  Prints "ok" and exits 0,
 * or says what went wrong and exits 1.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4

static char node[sizeof(((struct utsname *)0)->nodename)];
static pthread_t workers[THREADS];
static pthread_barrier_t start;	/* no worker signals a handle not yet made */
static pthread_barrier_t done;	/* no worker ends while others may signal it */
static int rounds = 200;
static volatile sig_atomic_t signals;

static void on_usr1(int sig)
{
	(void)sig;
	signals++;
}

/* fail() - report and exit; calls that never fail with EINTR natively
 * (uname, fork) are not retried, on purpose */
static void fail(const char *what, int err)
{
	fprintf(stderr, "FAIL %s: %s\n", what, strerror(err));
	fflush(stderr);
	_exit(1);
}

static void check_uname(void)
{
	struct utsname u;

	if (syscall(SYS_uname, &u))
		fail("uname", errno);
	if (strcmp(u.nodename, node))
		fail("uname gave another node name", EINVAL);
}

/* spawn() - fork a child that checks uname, then execs or exits */
static void spawn(int exec)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		fail("fork", errno);
	if (pid == 0) {
		check_uname();
		if (exec)
			execl("/bin/true", "true", (char *)NULL);
		_exit(exec ? 127 : 0);
	}
	/* waitpid blocks and may be interrupted natively too: retry that */
	while (waitpid(pid, &st, 0) != pid)
		if (errno != EINTR)
			fail("waitpid", errno);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail("child status", EINVAL);
}

static void *short_thread(void *arg)
{
	(void)arg;
	check_uname();
	return NULL;
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	pthread_t t;
	int i, r;

	pthread_barrier_wait(&start);
	for (i = 0; i < rounds; i++) {
		check_uname();
		spawn(i % 2);
		r = pthread_create(&t, NULL, short_thread, NULL);
		if (r || (r = pthread_join(t, NULL)))
			fail("thread", r);
		pthread_kill(workers[rand_r(&seed) % THREADS], SIGUSR1);
	}
	pthread_barrier_wait(&done);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct utsname u;
	int i, r;

	if (argc > 1)
		rounds = atoi(argv[1]);
	sigaction(SIGUSR1, &sa, NULL);
	if (uname(&u))
		fail("uname", errno);
	memcpy(node, u.nodename, sizeof(node));
	pthread_barrier_init(&start, NULL, THREADS + 1);
	pthread_barrier_init(&done, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		if ((r = pthread_create(&workers[i], NULL, worker,
					(void *)(uintptr_t)(i + 1))))
			fail("pthread_create", r);
	pthread_barrier_wait(&start);
	for (i = 0; i < THREADS; i++)
		pthread_join(workers[i], NULL);
	printf("ok\n");
	return 0;
}
