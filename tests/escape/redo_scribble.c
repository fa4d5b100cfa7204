// SPDX-License-Identifier: GPL-2.0-or-later
/* redo_scribble.c - rewrite the path the supervisor plants on a thread's
 * stack for an O_PATH open of a symlink, and look for the fd it makes
 *
 * usage: redo_scribble WORKDIR SECRET_LINK SECRET_INO TRIES
 * The main thread opens a symlink of its own in WORKDIR with
 * O_PATH | O_NOFOLLOW, TRIES times, by raw syscalls whose stack pointer it
 * knows.  Under facet the kernel cannot pass such an fd from the
 * supervisor, so the guest's thread makes the open itself, with the host
 * path written just below its stack's red zone.  A second thread writes
 * SECRET_LINK (a symlink the view hides; its inode SECRET_INO) over that
 * place all the while; a third fstats the lowest fds, looking for that
 * inode.  Escapes: an fd of the hidden symlink, seen by either thread, and
 * an open that failed: the kernel read the rewritten path (facet closes
 * what it opened then, but the hidden link was reached).
 * Natively nobody plants anything: the case cannot tell there.
 */
#include "escape.h"

#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char link_path[4096], secret[4096];
static size_t plant_len;		/* the planted path's length + 1 */
static unsigned long secret_ino;
static volatile unsigned long plant_at;	/* where facet would write it */
static volatile int stop;
static volatile long seen;

/* scribbler() - write the secret's path where the plant goes */
static void *scribbler(void *arg)
{
	size_t n = strlen(secret) + 1;
	unsigned long at;

	(void)arg;
	while (!stop) {
		at = plant_at;
		if (at)
			memcpy((void *)at, secret, n);
	}
	return NULL;
}

/* checker() - fstat the lowest fds, looking for the secret's inode */
static void *checker(void *arg)
{
	struct stat st;
	int fd;

	(void)arg;
	while (!stop)
		for (fd = 3; fd < 8; fd++)
			if (fstat(fd, &st) == 0 && st.st_ino == secret_ino)
				seen++;
	return NULL;
}

/* sys3() - a raw syscall: no call, so nothing below the stack pointer */
static inline __attribute__((always_inline)) long sys3(long nr, long a,
							long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	long tries, i, got = 0, failed = 0;
	pthread_t th[2];
	struct stat st;
	char pad[256];
	unsigned long sp;

	if (argc != 5)
		return 2;
	secret_ino = strtoul(argv[3], NULL, 10);
	tries = atol(argv[4]);
	/* the supervisor plants the host path of our link: make it longer
	 * than the secret's, so that the secret's path, written there, ends
	 * below the red zone */
	memset(pad, 'x', sizeof(pad) - 1);
	pad[strlen(argv[2]) < 200 ? strlen(argv[2]) : 200] = 0;
	snprintf(link_path, sizeof(link_path), "%s/lk-%s", argv[1], pad);
	snprintf(secret, sizeof(secret), "%s", argv[2]);
	plant_len = strlen(link_path) + 1;
	unlink(link_path);
	if (symlink("public", link_path) < 0) {
		printf("skip: cannot make %s: %s\n", link_path, strerror(errno));
		return 77;
	}
	pthread_create(&th[0], NULL, scribbler, NULL);
	pthread_create(&th[1], NULL, checker, NULL);
	tried("O_PATH | O_NOFOLLOW open of %s, %ld times, while a thread writes %s "
	      "where the supervisor plants the path and another fstats fds 3-7",
	      link_path, tries, secret);
	/* the loop calls no function: the scribbled place below the stack
	 * pointer is never a live frame */
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	plant_at = (sp - 128 - plant_len) & ~15ul;
	for (i = 0; i < tries; i++) {
		long fd = sys3(SYS_openat, AT_FDCWD, (long)link_path,
			       O_PATH | O_NOFOLLOW);

		failed += fd < 0;
		if (fd >= 0) {
			got += sys3(SYS_fstat, fd, (long)&st, 0) == 0 &&
			       st.st_ino == secret_ino;
			sys3(SYS_close, fd, 0, 0);
		}
	}
	plant_at = 0;
	stop = 1;
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	unlink(link_path);
	outcome(got > 0, "%ld opens gave the hidden symlink", got);
	outcome(failed > 0, "%ld opens failed: the kernel read a rewritten path", failed);
	outcome(seen > 0, "another thread saw an fd of the hidden symlink %ld times", seen);
	return finish();
}
