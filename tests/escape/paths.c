// SPDX-License-Identifier: GPL-2.0-or-later
/* paths.c - ways to name a file the view does not show: "..", /proc's
 * magic links, hard links, openat2's flags, file handles
 *
 * usage: paths WORKDIR SECRET_FILE
 * WORKDIR is a writable directory shown by the view, beside the secret's
 * directory on the host ($E/work and $E/secret/key); SECRET_FILE reads
 * "TOPSECRET".
 */
#include "escape.h"

#include <libgen.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char rel[4096];		/* the secret's path from WORKDIR */

/* try_open() - open @path (at @dirfd) and read it */
static void try_open(int dirfd, const char *path, const char *how)
{
	tried("%s: open %s", how, path);
	outcome(has_secret(openat(dirfd, path, O_RDONLY)), "%s", path);
}

/* dotdot() - ".." from WORKDIR, from /, and many of them */
static void dotdot(const char *work, const char *secret)
{
	char p[8192];
	int i, d;

	try_open(AT_FDCWD, rel, "relative to the cwd");
	d = open(work, O_RDONLY | O_DIRECTORY);
	try_open(d, rel, "relative to a dirfd");
	strcpy(p, "");
	for (i = 0; i < 40; i++)
		strcat(p, "../");
	strcat(p, secret + 1);
	try_open(AT_FDCWD, p, "40 \"..\" then the host path");
	snprintf(p, sizeof(p), "/..%s", secret);
	try_open(AT_FDCWD, p, "/..");
	for (i = 0; i < 40; i++)
		if (chdir("..") < 0)
			break;
	try_open(AT_FDCWD, secret + 1, "chdir(\"..\") 40 times, then relative");
	if (chdir(work) < 0)
		perror("chdir");
	close(d);
}

/* magic() - /proc's links to roots, cwds and fds */
static void magic(const char *work, const char *secret)
{
	char p[8192];
	int d = open(work, O_RDONLY | O_DIRECTORY);

	snprintf(p, sizeof(p), "/proc/self/root%s", secret);
	try_open(AT_FDCWD, p, "the root's magic link");
	snprintf(p, sizeof(p), "/proc/%d/root%s", getppid(), secret);
	try_open(AT_FDCWD, p, "the parent's root");
	snprintf(p, sizeof(p), "/proc/1/root%s", secret);
	try_open(AT_FDCWD, p, "init's root");
	snprintf(p, sizeof(p), "/proc/self/cwd/%s", rel);
	try_open(AT_FDCWD, p, "the cwd's magic link");
	snprintf(p, sizeof(p), "/proc/%d/cwd/%s", getppid(), rel);
	try_open(AT_FDCWD, p, "the parent's cwd");
	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", d, rel);
	try_open(AT_FDCWD, p, "a dirfd's magic link");
	snprintf(p, sizeof(p), "/proc/thread-self/root%s", secret);
	try_open(AT_FDCWD, p, "the thread's root");
	close(d);
}

/* links() - hard links and renames of the secret into view */
static void links(const char *work, const char *secret)
{
	char l[4096], s[4096];

	snprintf(l, sizeof(l), "%s/hard", work);
	snprintf(s, sizeof(s), "%s/soft", work);
	unlink(l);
	unlink(s);
	tried("link(%s, %s)", secret, l);
	refused(link(secret, l), "link");
	outcome(has_secret(open(l, O_RDONLY)), "reading %s", l);
	unlink(l);
	tried("linkat(AT_SYMLINK_FOLLOW) of a symlink to it");
	if (symlink(secret, s) < 0)
		perror("symlink");
	refused(linkat(AT_FDCWD, s, AT_FDCWD, l, AT_SYMLINK_FOLLOW), "linkat");
	outcome(has_secret(open(l, O_RDONLY)), "reading %s", l);
	unlink(l);
	tried("rename(%s, %s)", secret, l);
	refused(rename(secret, l), "rename");
	unlink(l);
	unlink(s);
}

/* beneath() - openat2 with and without its RESOLVE_ flags, and file handles */
static void beneath(const char *work, const char *secret)
{
	struct open_how how = { .flags = O_RDONLY };
	struct { struct file_handle h; unsigned char b[128]; } fh;	/* b: f_handle */
	char p[8192];
	int d = open(work, O_RDONLY | O_DIRECTORY), m, i;
	static const unsigned long long res[] = { 0, 0x08 /* IN_ROOT */,
		0x02 /* NO_MAGICLINKS */, 0x01 /* NO_XDEV */ };

	for (i = 0; i < 4; i++) {
		how.resolve = res[i];
		tried("openat2(dirfd, \"%s\", resolve %#llx)", rel, how.resolve);
		outcome(has_secret((int)syscall(SYS_openat2, d, rel, &how, sizeof(how))),
			"openat2");
	}
	how.resolve = 0;
	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", d, rel);
	tried("openat2 of %s", p);
	outcome(has_secret((int)syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof(how))),
		"openat2 through a magic link");
	/* the root directory of an ext4 file system is inode 2, generation 0:
	 * a handle any root process can forge (the "shocker" way out) */
	m = open("/usr", O_RDONLY | O_DIRECTORY);
	memset(&fh, 0, sizeof(fh));
	fh.h.handle_bytes = 8;
	fh.h.handle_type = 1;	/* FILEID_INO32_GEN */
	memcpy(fh.b, &(unsigned int){ 2 }, sizeof(unsigned int));
	tried("open_by_handle_at(the file system's root, forged)");
	refused(open_by_handle_at(m, &fh.h, O_RDONLY | O_DIRECTORY), "open_by_handle_at");
	tried("name_to_handle_at(%s)", secret);
	fh.h.handle_bytes = 128;
	refused(name_to_handle_at(AT_FDCWD, secret, &fh.h, &i, 0), "name_to_handle_at");
	close(m);
	close(d);
}

int main(int argc, char **argv)
{
	char w[4096], s[4096];

	if (argc != 3)
		return 2;
	/* WORKDIR and the secret's directory are siblings */
	snprintf(w, sizeof(w), "%s", argv[2]);
	snprintf(s, sizeof(s), "%s", argv[2]);
	snprintf(rel, sizeof(rel), "../%s/%s", basename(dirname(w)), basename(s));
	if (chdir(argv[1]) < 0) {
		perror(argv[1]);
		return 2;
	}
	dotdot(argv[1], argv[2]);
	magic(argv[1], argv[2]);
	links(argv[1], argv[2]);
	beneath(argv[1], argv[2]);
	return finish();
}
