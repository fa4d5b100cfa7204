// SPDX-License-Identifier: GPL-2.0-or-later
/* fdpass.c - a host directory's fd, passed over an AF_UNIX socket the
 * guest inherited, used to reach what is below it
 *
 * usage: fdpass SECRET_DIR COMMAND...
 * Forks COMMAND (facet ... -- fdpass try) with one end of a socketpair as
 * an extra argument, and sends it an fd of SECRET_DIR (which holds "key",
 * reading "TOPSECRET").  "fdpass try FD" receives it and tries: openat,
 * fchdir, getdents, openat "..", linkat.
 */
#include "escape.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* try() - the guest's side */
static int try(int s)
{
	char ctl[CMSG_SPACE(sizeof(int))], c, dents[4096];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	long n;
	int d, p;

	if (recvmsg(s, &m, 0) < 0 || !(cm = CMSG_FIRSTHDR(&m)) || cm->cmsg_type != SCM_RIGHTS) {
		printf("skip: no fd received\n");
		return 77;
	}
	memcpy(&d, CMSG_DATA(cm), sizeof(d));
	tried("openat(passed dirfd, \"key\")");
	outcome(has_secret(openat(d, "key", O_RDONLY)), "openat");
	tried("getdents64 of the passed dirfd");
	n = syscall(SYS_getdents64, d, dents, sizeof(dents));
	outcome(n > 0 && memmem(dents, (size_t)n, "key", 4) != NULL, "listing: %s",
		n > 0 ? "read" : strerror(errno));
	tried("openat(passed dirfd, \"..\") then the key below it");
	p = openat(d, "..", O_RDONLY | O_DIRECTORY);
	outcome(p >= 0 && faccessat(p, "secret/key", R_OK, 0) == 0 &&
		has_secret(openat(p, "secret/key", O_RDONLY)), "the parent");
	tried("fchdir(passed dirfd), then open \"key\"");
	outcome(fchdir(d) == 0 && has_secret(open("key", O_RDONLY)), "fchdir");
	tried("linkat(passed dirfd, \"key\", AT_FDCWD, \"/tmp/stolen\")");
	refused(linkat(d, "key", AT_FDCWD, "/tmp/stolen", 0), "linkat");
	return finish();
}

int main(int argc, char **argv)
{
	char num[16], ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { (char *)"x", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	char **args;
	int sv[2], d, st, i;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "try"))
		return try(atoi(argv[2]));
	if (argc < 3 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 2;
	snprintf(num, sizeof(num), "%d", sv[1]);
	args = calloc((size_t)argc + 1, sizeof(*args));
	for (i = 2; i < argc; i++)
		args[i - 2] = argv[i];
	args[argc - 2] = num;
	if ((pid = fork()) == 0) {
		close(sv[0]);
		execvp(args[0], args);
		_exit(127);
	}
	close(sv[1]);
	if ((d = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0)
		return 2;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &d, sizeof(d));
	sendmsg(sv[0], &m, 0);
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
