// SPDX-License-Identifier: GPL-2.0-or-later
/* opath_storm.c - O_PATH | O_NOFOLLOW opens of a symlink from THREADS
 * threads at once, under a SIGALRM every 200 us whose handler has no
 * SA_RESTART: each open must give an fd of the symlink itself, and none
 * may be left open
 *
 * usage: opath_storm SYMLINK COUNT THREADS
 * Prints "N bad, M fds left"; exit 1 if any open went wrong.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *link_path;
static int count, bad;

static void on_alarm(int sig)
{
	(void)sig;
}

/* opener() - COUNT opens, each checked and closed */
static void *opener(void *arg)
{
	struct stat st;
	int i, fd;

	for (i = 0; i < count; i++) {
		fd = open(link_path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode))
			__sync_fetch_and_add(&bad, 1);
		if (fd >= 0)
			close(fd);
	}
	return arg;
}

/* fds_open() - entries of /proc/self/fd but "." and ".." and the DIR's */
static int fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	pthread_t th[16];
	int n, i, before;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > 16)
		return 2;
	link_path = argv[1];
	count = atoi(argv[2]);
	before = fds_open();
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, opener, NULL);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("%d bad, %d fds left\n", bad, fds_open() - before);
	return bad != 0;
}
