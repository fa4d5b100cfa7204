// SPDX-License-Identifier: GPL-2.0-or-later
/* symlink_swap.c - a thread swaps a symlink (or a directory symlink)
 * between a public target and the secret, atomically (rename), while
 * another opens, renames and unlinks through it
 *
 * usage: symlink_swap WORKDIR PUBLIC_DIR SECRET_DIR TRIES
 * Both directories hold a file "key"; the secret's reads "TOPSECRET", and
 * a symlink "lk", the secret's to "TOPSECRET".  WORKDIR is writable.
 * Escapes: a read of the secret, the secret's key renamed into WORKDIR or
 * unlinked, an O_PATH fd of the secret's symlink (which the supervisor has
 * the guest's own thread open).
 */
#include "escape.h"

#include <pthread.h>
#include <sys/stat.h>

static const char *work, *pub, *sec;
static volatile int stop;

/* swapper() - flip WORK/l between PUB and SEC until told to stop */
static void *swapper(void *arg)
{
	char l[4096], t[4096];
	int i = 0;

	(void)arg;
	snprintf(l, sizeof(l), "%s/l", work);
	snprintf(t, sizeof(t), "%s/l.new", work);
	while (!stop) {
		unlink(t);
		if (symlink(i++ & 1 ? sec : pub, t) == 0)
			rename(t, l);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char p[4096], q[4096], key[4096], lk[4096], t[64];
	long tries, i, n_open = 0, n_ren = 0, n_unl = 0, n_lk = 0;
	pthread_t th;
	struct stat st;

	if (argc != 5)
		return 2;
	work = argv[1];
	pub = argv[2];
	sec = argv[3];
	tries = atol(argv[4]);
	snprintf(key, sizeof(key), "%s/key", sec);
	snprintf(p, sizeof(p), "%s/l/key", work);
	snprintf(q, sizeof(q), "%s/stolen", work);
	pthread_create(&th, NULL, swapper, NULL);
	tried("open %s (l swapped between %s and %s), %ld times", p, pub, sec, tries);
	for (i = 0; i < tries; i++)
		n_open += has_secret(open(p, O_RDONLY));
	snprintf(lk, sizeof(lk), "%s/l/lk", work);
	tried("open %s with O_PATH | O_NOFOLLOW, read the link, %ld times", lk, tries / 100);
	for (i = 0; i < tries / 100; i++) {
		int fd = open(lk, O_PATH | O_NOFOLLOW);
		ssize_t n = fd < 0 ? -1 : readlinkat(fd, "", t, sizeof(t) - 1);

		n_lk += n > 0 && !strncmp(t, "TOPSECRET", 9);
		if (fd >= 0)
			close(fd);
	}
	tried("rename %s to %s, %ld times", p, q, tries / 10);
	for (i = 0; i < tries / 10; i++) {
		if (rename(p, q) == 0 && has_secret(open(q, O_RDONLY))) {
			n_ren++;
			rename(q, key);		/* put it back, natively */
		} else {
			rename(q, p);
		}
	}
	tried("unlink %s, %ld times", p, tries / 10);
	for (i = 0; i < tries / 10 && !n_unl; i++)
		if (unlink(p) == 0 && lstat(key, &st) < 0 && errno == ENOENT)
			n_unl++;
	stop = 1;
	pthread_join(th, NULL);
	outcome(n_open > 0, "%ld of %ld opens read the secret", n_open, tries);
	outcome(n_lk > 0, "%ld O_PATH opens reached the secret's symlink", n_lk);
	outcome(n_ren > 0, "%ld renames took the secret's key", n_ren);
	outcome(n_unl > 0, "an unlink removed the secret's key: %s", n_unl ? "yes" : "no");
	return finish();
}
