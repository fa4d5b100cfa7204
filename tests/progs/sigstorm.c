// SPDX-License-Identifier: GPL-2.0-or-later
/* sigstorm.c - trapped syscalls must not fail under a storm of signals
 *
 * Usage: sigstorm [THREADS]
 *
 * SIGALRM arrives every millisecond (setitimer(ITIMER_REAL)); its handler is
 * installed without SA_RESTART, so a syscall the kernel interrupts would
 * return -1 EINTR instead of restarting.  Meanwhile uname(2) (trapped by
 * facet's uts module) and getppid(2) run in a loop, 300000 times or for 3 s,
 * whichever comes first: in the main thread, or in THREADS threads while the
 * main thread waits with SIGALRM blocked (else the kernel would deliver most
 * of the process-wide signals to it, idle in pthread_join).  Every call must succeed and uname must keep giving the
 * same node name.  The output does not depend on the timing:
 *
 *	uname: ok
 *	getppid: ok
 *	signals: yes
 *
 * and the exit status is 0; on the first failure it says which call failed
 * and how, and exits 1.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define CALLS		300000
#define SECONDS		3
#define MAX_THREADS	64

static volatile unsigned long signals;	/* SIGALRMs handled */
static pid_t parent;			/* getppid() before the storm */
static char node[sizeof(((struct utsname *)0)->nodename)];
static char msgs[MAX_THREADS + 1][128];	/* one failure message per loop */

/* on_alarm() - count the signal; nothing else (async-signal-safe) */
static void on_alarm(int sig)
{
	(void)sig;
	__atomic_add_fetch(&signals, 1, __ATOMIC_RELAXED);
}

/* now() - seconds on the monotonic clock (vDSO, not a syscall) */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/**
 * storm_loop() - call uname and getppid until CALLS or SECONDS
 * @arg:	index of this loop's slot in msgs[], as a pointer
 * Return: NULL on success, else its msgs[] slot naming the failure
 */
static void *storm_loop(void *arg)
{
	char *msg = msgs[(long)arg];
	double end = now() + SECONDS;
	struct utsname u;
	long i, r;

	for (i = 0; i < CALLS; i++) {
		r = syscall(SYS_uname, &u);
		if (r) {
			snprintf(msg, sizeof(msgs[0]), "uname: returned %ld (%s) at call %ld",
				 r, strerrorname_np(errno), i);
			return msg;
		}
		if (strcmp(u.nodename, node)) {
			snprintf(msg, sizeof(msgs[0]), "uname: node name changed to '%s'",
				 u.nodename);
			return msg;
		}
		r = syscall(SYS_getppid);
		if (r != parent) {
			snprintf(msg, sizeof(msgs[0]), "getppid: returned %ld (%s) at call %ld",
				 r, r < 0 ? strerrorname_np(errno) : "pid changed", i);
			return msg;
		}
		if (!(i & 1023) && now() > end)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	pthread_t tid[MAX_THREADS];
	sigset_t alrm;
	int nthreads = argc > 1 ? atoi(argv[1]) : 0, i;
	const char *fail = NULL;
	struct utsname u;
	void *ret;

	if (nthreads < 0 || nthreads > MAX_THREADS) {
		fprintf(stderr, "usage: sigstorm [THREADS (0-%d)]\n", MAX_THREADS);
		return 2;
	}
	if (uname(&u)) {
		perror("uname");
		return 1;
	}
	strcpy(node, u.nodename);
	parent = getppid();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL)) {
		perror("sigstorm: setting up SIGALRM");
		return 1;
	}
	if (!nthreads) {
		fail = storm_loop(NULL);
	} else {
		for (i = 0; i < nthreads; i++)
			if (pthread_create(&tid[i], NULL, storm_loop,
					   (void *)(long)(i + 1))) {
				fprintf(stderr, "sigstorm: pthread_create failed\n");
				return 1;
			}
		sigemptyset(&alrm);	/* the workers take the storm */
		sigaddset(&alrm, SIGALRM);
		pthread_sigmask(SIG_BLOCK, &alrm, NULL);
		for (i = 0; i < nthreads; i++)
			if (!pthread_join(tid[i], &ret) && ret && !fail)
				fail = ret;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	if (fail) {
		printf("FAIL %s (%lu signals)\n", fail, signals);
		return 1;
	}
	printf("uname: ok\ngetppid: ok\nsignals: %s\n", signals ? "yes" : "no");
	return 0;
}
