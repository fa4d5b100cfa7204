// SPDX-License-Identifier: GPL-2.0-or-later
/* pathrace.c - race a path against its check: does a hidden file leak?
 *
 * Usage: pathrace buf PUBLIC SECRET N
 *	  pathrace bufat DIR PUBLIC SECRET N
 *	  pathrace link DIR PUBLIC SECRET N
 *	  pathrace exec ALLOWED HIDDEN N
 *
 * A supervisor that reads a path from the guest's memory, checks it and then
 * lets the kernel run the call has a time-of-check/time-of-use hole: the
 * kernel reads the path again, and another thread may have changed it in
 * between.  Each mode runs such a race N times and counts how often the
 * program got at what it should not see (under facet --hide SECRET: never;
 * natively: often, which shows that the race is real):
 *
 *   buf	a thread rewrites a shared path buffer, byte by byte, between
 *		PUBLIC and SECRET while the main thread opens the buffer and
 *		reads what it opened.  Choose two paths of the same length whose
 *		mixtures name no file (".../pub/f" and ".../sec/f").
 *   bufat	the same, but the main thread opens the buffer relative to
 *		an fd of DIR, with O_NOFOLLOW: PUBLIC and SECRET are relative
 *		paths ("f" and "../sec/f"), or SECRET an absolute one.  The
 *		buffer then names one name in a directory of the view, which
 *		the kernel may open itself (see files_fence.c).
 *   link	a thread points the symbolic link DIR/l at PUBLIC or at SECRET
 *		(symlink DIR/l.new, rename over DIR/l: atomic) while the main
 *		thread opens DIR/l and reads it.
 *   exec	a thread rewrites a shared path buffer between ALLOWED and
 *		HIDDEN while the main thread vforks (the child shares the
 *		buffer, so the thread keeps rewriting it) and the child execs
 *		the buffer with argv[0] "pathrace-exec-child".  ALLOWED must
 *		exit 0 (a copy of /bin/true); HIDDEN is a copy of pathrace,
 *		which, run with that argv[0] and no arguments, says so on
 *		stderr and exits 42 (any program that exits with neither 0
 *		nor 127 will do).  A failed exec (127: hidden, or a torn
 *		path) counts as neither.
 *
 * buf and link read PUBLIC first: an open whose content differs from it is
 * counted as a leak.  Prints one line, "MODE: K of N ... " with K the leaks,
 * and exits 0 if K is 0, 1 if not, 2 if the race could not be run or none
 * of the N tries reached PUBLIC (ALLOWED) at all, which would make K = 0
 * mean nothing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_NAME "pathrace-exec-child"
#define CHILD_STATUS 42

static char path[PATH_MAX];		/* the buffer the threads fight over */
static const char *alt[2];		/* what the flipper writes into it */
static char link_dir[PATH_MAX];
static atomic_int stop;
static atomic_long flips;

static void die(const char *what)
{
	fprintf(stderr, "pathrace: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* flip_buf() - rewrite path[] with alt[0], alt[1], ... byte by byte, through
 * a volatile pointer so that every store really happens, in order */
static void *flip_buf(void *arg)
{
	volatile char *p = path;
	int i = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		const char *s = alt[i];
		size_t k = 0;

		do
			p[k] = s[k];
		while (s[k++]);
		i ^= 1;
		atomic_fetch_add_explicit(&flips, 1, memory_order_relaxed);
	}
	return NULL;
}

/* flip_link() - point DIR/l at alt[0], alt[1], ... by symlink and rename */
static void *flip_link(void *arg)
{
	char tmp[PATH_MAX + 8], dst[PATH_MAX + 8];
	int i = 0;

	(void)arg;
	snprintf(tmp, sizeof(tmp), "%s/l.new", link_dir);
	snprintf(dst, sizeof(dst), "%s/l", link_dir);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		unlink(tmp);
		if (symlink(alt[i], tmp) || rename(tmp, dst))
			die("flipping the link");
		i ^= 1;
		atomic_fetch_add_explicit(&flips, 1, memory_order_relaxed);
	}
	return NULL;
}

/* slurp() - up to SIZE-1 bytes of the file FD, NUL-terminated; the length
 * or -1 */
static ssize_t slurp(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		n += r;
	}
	buf[n] = 0;
	return n;
}

/* start() - run FN in a thread and wait until it has flipped twice */
static pthread_t start(void *(*fn)(void *))
{
	pthread_t t;
	int e = pthread_create(&t, NULL, fn, NULL);

	if (e) {
		errno = e;
		die("pthread_create");
	}
	while (atomic_load(&flips) < 2)
		sched_yield();
	return t;
}

/* next() - wait until the flipper has flipped since the last call, so that
 * every try starts from a new state even when the threads seldom run at
 * the same time (one CPU, a busy machine) */
static void next(void)
{
	static long last = -1;
	long now;

	while ((now = atomic_load(&flips)) == last)
		sched_yield();
	last = now;
}

static void finish(pthread_t t)
{
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
}

/* race_open() - buf and link: open TARGET N times, compare with PUBLIC */
static int race_open(const char *mode, int dirfd, const char *target,
		     const char *public, void *(*fn)(void *), long n)
{
	int oflags = O_RDONLY | O_CLOEXEC | (dirfd == AT_FDCWD ? 0 : O_NOFOLLOW);
	static char want[4096], got[4096];
	long i, leaks = 0, reached = 0;
	pthread_t t;
	int fd;

	fd = openat(dirfd, public, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || slurp(fd, want, sizeof(want)) < 0)
		die(public);
	close(fd);
	t = start(fn);
	for (i = 0; i < n; i++) {
		next();
		fd = openat(dirfd, target, oflags);
		if (fd < 0)
			continue;	/* hidden, or a torn path */
		if (slurp(fd, got, sizeof(got)) >= 0) {
			if (strcmp(got, want))
				leaks++;
			else
				reached++;
		}
		close(fd);
	}
	finish(t);
	printf("%s: %ld of %ld opens read the secret\n", mode, leaks, n);
	if (!reached) {
		fprintf(stderr, "pathrace: no open read PUBLIC: the race did not run\n");
		return 2;
	}
	return leaks != 0;
}

/* spawn() - vfork, exec the shared buffer in the child; its wait status.
 * A function of its own: nothing of the caller lives in the vfork frame. */
static __attribute__((noinline)) int spawn(void)
{
	static char *argv[] = { CHILD_NAME, NULL };
	pid_t pid;
	int st;

	pid = vfork();
	if (pid < 0)
		die("vfork");
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return st;
}

/* race_exec() - exec the shared buffer N times */
static int race_exec(long n)
{
	long i, leaks = 0, reached = 0;
	pthread_t t;
	int st;

	t = start(flip_buf);
	for (i = 0; i < n; i++) {
		next();
		st = spawn();
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			reached++;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 127)
			leaks++;
	}
	finish(t);
	printf("exec: %ld of %ld execs ran the hidden program\n", leaks, n);
	if (!reached) {
		fprintf(stderr, "pathrace: ALLOWED never ran: the race did not run\n");
		return 2;
	}
	return leaks != 0;
}

static long count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == 0 || *end || n <= 0) {
		fprintf(stderr, "pathrace: bad count '%s'\n", s);
		exit(2);
	}
	return n;
}

/* copy() - the path SRC into DST (PATH_MAX bytes) or exit */
static void copy(char *dst, const char *src)
{
	if (strlen(src) >= PATH_MAX) {
		fprintf(stderr, "pathrace: path too long\n");
		exit(2);
	}
	strcpy(dst, src);
}

int main(int argc, char **argv)
{
	/* the hidden program of the exec mode, run as a copy of pathrace */
	if (argc == 1 && !strcmp(argv[0], CHILD_NAME)) {
		fputs("pathrace: the hidden program ran\n", stderr);
		return CHILD_STATUS;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "buf")) {
		alt[0] = argv[2];
		alt[1] = argv[3];
		copy(path, argv[2]);
		copy(path, argv[3]);	/* both fit */
		return race_open("buf", AT_FDCWD, path, argv[2], flip_buf,
				 count(argv[4]));
	}
	if (argc == 6 && !strcmp(argv[1], "bufat")) {
		int dirfd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dirfd < 0)
			die(argv[2]);
		alt[0] = argv[3];
		alt[1] = argv[4];
		copy(path, argv[3]);
		copy(path, argv[4]);
		return race_open("bufat", dirfd, path, argv[3], flip_buf,
				 count(argv[5]));
	}
	if (argc == 6 && !strcmp(argv[1], "link")) {
		char target[PATH_MAX + 8];

		copy(link_dir, argv[2]);
		alt[0] = argv[3];
		alt[1] = argv[4];
		snprintf(target, sizeof(target), "%s/l", link_dir);
		return race_open("link", AT_FDCWD, target, argv[3], flip_link,
				 count(argv[5]));
	}
	if (argc == 5 && !strcmp(argv[1], "exec")) {
		alt[0] = argv[2];
		alt[1] = argv[3];
		copy(path, argv[2]);
		copy(path, argv[3]);
		return race_exec(count(argv[4]));
	}
	fprintf(stderr, "usage: pathrace buf PUBLIC SECRET N\n"
		"       pathrace bufat DIR PUBLIC SECRET N\n"
		"       pathrace link DIR PUBLIC SECRET N\n"
		"       pathrace exec ALLOWED HIDDEN N\n");
	return 2;
}
