// SPDX-License-Identifier: GPL-2.0-or-later
/* files_exec.c - execve and execveat inside the view
 *
 * The kernel resolves an exec's path, a script's "#!" interpreter and an
 * ELF program's interpreter (PT_INTERP, the dynamic loader) in the host's
 * tree, not the view's.  So the supervisor does all three itself, at the
 * exec's ptrace stop (the core holds every task that shares the caller's
 * memory meanwhile), and turns the call into an execve of a host path:
 *
 * - a static program, or one whose interpreter is the same file in the
 *   view as on the host: the program itself;
 * - otherwise the view's interpreter, run as a command, "LD.SO --argv0
 *   ARGV0 PROGRAM ARGS...": the loader then opens PROGRAM and its
 *   libraries with ordinary (trapped) calls, so they come from the view.
 *   /proc/PID/exe then names the loader: readlink answers PROGRAM.
 *
 * Scripts are unwrapped as the kernel does (up to 4 levels): argv becomes
 * INTERP [ARG] SCRIPT ARGS..., and INTERP is looked at in turn.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_internal.h"

#define SCRIPT_DEPTH 4
#define BINPRM_BUF 256
#define PREFIX_MAX 16

/**
 * struct xprog - what an exec will run, as it is worked out
 * @prefix:	argv strings in front of the guest's argv[1...]
 * @np:		how many
 * @keep:	index of the guest's argv that follows, -1 for none
 * @store:	storage for @prefix strings
 */
struct xprog {
	const char *prefix[PREFIX_MAX + 1];
	int np;
	int keep;
	char store[PREFIX_MAX][PATH_MAX];
};

/**
 * xprog_push() - add a string in front position @at
 * @x:		the exec
 * @at:		index to insert at
 * @s:		the string
 * Return: 0 or -E2BIG
 */
static int xprog_push(struct xprog *x, int at, const char *s)
{
	int i;

	if (x->np >= PREFIX_MAX || strlen(s) >= PATH_MAX)
		return -E2BIG;
	snprintf(x->store[x->np], PATH_MAX, "%s", s);
	for (i = x->np; i > at; i--)
		x->prefix[i] = x->prefix[i - 1];
	x->prefix[at] = x->store[x->np];
	x->np++;
	x->prefix[x->np] = NULL;
	return 0;
}

/**
 * exec_check() - may the file be executed?
 * @fd:		O_PATH fd
 * Return: 0, -EACCES
 */
static int exec_check(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/**
 * read_head() - the first bytes of the file and its ELF interpreter
 * @fd:		O_PATH fd
 * @head:	BINPRM_BUF bytes, NUL-terminated
 * @interp:	PATH_MAX bytes: PT_INTERP, or "" if none or not ELF
 * Return: 'e' ELF, 's' script, or -errno (-ENOEXEC: neither)
 */
static int read_head(int fd, char *head, char *interp)
{
	char path[64];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	ssize_t n;
	int rfd, i, kind = -ENOEXEC;

	*interp = 0;
	fd_proc_path(path, sizeof(path), fd, NULL);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	n = pread(rfd, head, BINPRM_BUF - 1, 0);
	head[n > 0 ? n : 0] = 0;
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		kind = 's';
	else if (n >= (ssize_t)sizeof(eh) && !memcmp(head, ELFMAG, SELFMAG)) {
		kind = 'e';
		memcpy(&eh, head, sizeof(eh));
		for (i = 0; i < eh.e_phnum && i < 128; i++) {
			if (pread(rfd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != sizeof(ph))
				break;
			if (ph.p_type != PT_INTERP || ph.p_filesz >= PATH_MAX)
				continue;
			n = pread(rfd, interp, ph.p_filesz, (off_t)ph.p_offset);
			interp[n > 0 ? n : 0] = 0;
			break;
		}
	}
	close(rfd);
	return kind;
}

/**
 * parse_shebang() - "#!INTERP [ARG]" as the kernel splits it
 * @head:	the first line
 * @interp:	set to the interpreter (in @head)
 * @arg:	set to the optional argument (in @head), or NULL
 * Return: 0, -ENOEXEC if no interpreter is named
 */
static int parse_shebang(char *head, char **interp, char **arg)
{
	char *p = head + 2, *e;

	e = strchr(p, '\n');
	if (e)
		*e = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (*p)
			*arg = p;
	}
	return 0;
}

/* the last component of @path */
static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/**
 * exec_link() - a path to the loader (or the program) named as the guest
 *		 named the program
 * @fs:		module state
 * @ld:		host path of what runs (the loader, or the program)
 * @guest:	the path the process is to be named after
 * @buf:	PATH_MAX bytes for the result
 *
 * The kernel names a process (/proc/PID/comm, ps) after the file it
 * executes: a symlink to what runs, in facet's private directory, named
 * as the guest named the program, keeps the name it would have.
 *
 * Return: the link's path in @buf, or @ld if it cannot be made
 */
static const char *exec_link(struct files *fs, const char *ld,
			     const char *guest, char *buf)
{
	const char *base = strrchr(guest, '/');
	int i;

	base = base ? base + 1 : guest;
	for (i = 0; i < fs->nloaders && strcmp(fs->loaders[i], ld); i++)
		;
	if (i == fs->nloaders) {
		if (i == (int)(sizeof(fs->loaders) / sizeof(fs->loaders[0])) ||
		    !(fs->loaders[i] = strdup(ld)))
			return ld;
		fs->nloaders++;
		snprintf(buf, PATH_MAX, "%s/ld%d", fs->tmpdir, i);
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return ld;
	}
	if (!*base || snprintf(buf, PATH_MAX, "%s/ld%d/%s", fs->tmpdir, i, base) >= PATH_MAX)
		return ld;
	if (symlink(ld, buf) < 0 && errno != EEXIST)
		return ld;
	return buf;
}

/**
 * exec_fenced() - may the guest's kernel open the program itself?
 * @fs:		module state
 * @prog:	its host path
 *
 * Under the fence (files_fence.c), a file made after facet started beside
 * a mount point or a hidden path is not granted; the kernel, opening it
 * for the exec, would say EACCES.
 *
 * Return: true if it may
 */
static bool exec_fenced(const struct files *fs, const char *prog)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(prog, '/');

	if (!fs->fence)
		return true;
	if (!slash || slash == prog)
		return false;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - prog), prog);
	return fence_covers(fs, dir);
}

/**
 * exec_copy() - a copy of a static program the fence does not grant
 * @fs:		module state
 * @fd:		O_PATH fd of the program
 * @buf:	PATH_MAX bytes for the copy's path, in the private directory
 * Return: 0 or -errno
 */
static int exec_copy(struct files *fs, int fd, char *buf)
{
	static unsigned int n;
	char path[64];
	struct stat st;
	int in, out, e = 0;
	ssize_t k;

	fd_proc_path(path, sizeof(path), fd, NULL);
	if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(buf, PATH_MAX, "%s/exe%u", fs->tmpdir, n++);
	out = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0 || fstat(in, &st) < 0) {
		e = -errno;
	} else {
		char data[65536];

		/* different file systems: no copy_file_range() */
		while ((k = read(in, data, sizeof(data))) > 0)
			if (write(out, data, (size_t)k) != k) {
				k = -1;
				break;
			}
		if (k < 0)
			e = errno ? -errno : -EIO;
	}
	close(in);
	if (out >= 0)
		close(out);
	return e;
}

/**
 * exec_elf() - decide how an ELF program runs; redirect the exec there
 * @fs:		module state
 * @p:		calling process
 * @call:	the exec
 * @r:		the program, resolved
 * @interp:	its PT_INTERP, or ""
 * @x:		argv so far
 * @name:	the path the process is named after, as the kernel names it
 *		(the script's, else the program's as the guest gave it), or
 *		NULL for the program's own
 * Return: 0 or -errno
 */
static int exec_elf(struct files *fs, struct fproc *p, struct facet_call *call,
		    struct fres *r, const char *interp, struct xprog *x,
		    const char *name)
{
	char prog[PATH_MAX], ld[PATH_MAX] = "";
	struct stat vs, hs;
	bool fenced, same = false;
	struct fres lr;
	int e;

	if ((e = fd_host_path(r->fd, prog, PATH_MAX)) < 0)
		return e;
	fenced = exec_fenced(fs, prog);
	if (!*interp && !fenced) {
		/* static: the kernel must open it, so a copy it may open */
		char copy[PATH_MAX];

		if ((e = exec_copy(fs, r->fd, copy)) < 0)
			return e;
		free(p->exe);
		free(p->interp);
		p->exe = strdup(r->guest);
		p->interp = strdup(copy);
		return facet_exec_redirect(fs->f, call, copy,
					   x->np ? x->prefix : NULL, x->np ? x->keep : -1);
	}
	if (*interp) {
		e = res_resolve(fs, p, call, AT_FDCWD, interp, RES_FOLLOW, &lr);
		if (e < 0)
			return e == -ENOENT ? -ENOENT : e;
		if (lr.m && lr.m->kind == FM_IMAGE &&
		    (e = img_ready(lr.m, lr.fd, O_RDONLY, false)) < 0) {
			res_release(&lr);
			return e;
		}
		e = fd_host_path(lr.fd, ld, PATH_MAX);
		/* the kernel would load the same file: let it */
		same = fstat(lr.fd, &vs) == 0 && stat(interp, &hs) == 0 &&
		       vs.st_dev == hs.st_dev && vs.st_ino == hs.st_ino;
		res_release(&lr);
		if (e < 0)
			return e;
	}
	if (!*interp || (same && fenced)) {
		free(p->exe);
		p->exe = NULL;
		/* through a link named as the path given (/bin/sh, a link
		 * to dash, is "sh" in ps), where the names differ */
		if (name && strcmp(base_name(name), base_name(prog)))
			return facet_exec_redirect(fs->f, call, exec_link(fs, prog, name, ld),
						   x->np ? x->prefix : NULL, x->np ? x->keep : -1);
		if (!x->np)
			return facet_exec_redirect(fs->f, call, prog, NULL, -1);
		return facet_exec_redirect(fs->f, call, prog, x->prefix, x->keep);
	}
	/* LD.SO --argv0 ARGV0 PROGRAM ...: the view's loader, the view's libs */
	if (!x->np) {
		char a0[PATH_MAX];
		uint64_t a0p = 0, argv = call->nr == __NR_execveat ? call->args[2]
								     : call->args[1];

		a0[0] = 0;
		if (argv && facet_read(fs->f, call, argv, &a0p, 8) == 0 && a0p)
			facet_read_string(fs->f, call, a0p, a0, sizeof(a0));
		x->keep = 1;
		if ((e = xprog_push(x, 0, a0)) < 0)
			return e;
	}
	if ((e = xprog_push(x, 1, r->guest)) < 0 ||
	    (e = xprog_push(x, 0, "--argv0")) < 0 ||
	    (e = xprog_push(x, 0, interp)) < 0)
		return e;
	free(p->exe);
	free(p->interp);
	p->exe = strdup(r->guest);
	p->interp = strdup(ld);
	return facet_exec_redirect(fs->f, call, exec_link(fs, ld, name ? name : r->guest, prog),
				   x->prefix, x->keep);
}

/**
 * exec_path() - the path the guest gave, for a script's argv
 * @fs:		module state
 * @call:	the exec
 * @r:		the resolved program
 * @out:	PATH_MAX bytes
 * Return: 0 or -errno
 */
static int exec_path(struct files *fs, struct facet_call *call,
		     const struct fres *r, char *out)
{
	uint64_t addr = call->nr == __NR_execveat ? call->args[1] : call->args[0];
	int e = facet_read_string(fs->f, call, addr, out, PATH_MAX);

	if (e < 0)
		return e;
	if (!*out || (call->nr == __NR_execveat && out[0] != '/'))
		snprintf(out, PATH_MAX, "%s", r->guest);	/* as /dev/fd/N would */
	return 0;
}

/**
 * files_exec() - execve, execveat (see the file's header)
 * @fs:		module state
 * @p:		calling process
 * @call:	the exec, held in ptrace
 * Return: FACET_CONTINUE with the exec redirected, or FACET_REPLY with
 * the error the kernel would give
 */
enum facet_outcome files_exec(struct files *fs, struct fproc *p,
			      struct facet_call *call)
{
	char path[PATH_MAX], head[BINPRM_BUF], interp[PATH_MAX], *si, *sa;
	char script[PATH_MAX] = "";
	struct xprog x = { .keep = 0 };
	int dirfd = AT_FDCWD, flags = RES_FOLLOW, depth, kind, e;
	uint64_t addr = call->args[0];
	struct fres r = { .fd = -1, .dirfd = -1 };

	if (call->nr == __NR_execveat) {
		dirfd = (int)call->args[0];
		addr = call->args[1];
		if (call->args[4] & AT_SYMLINK_NOFOLLOW)
			flags = 0;
		if (call->args[4] & AT_EMPTY_PATH)
			flags |= RES_EMPTY;
	}
	e = facet_read_string(fs->f, call, addr, path, sizeof(path));
	if (e >= 0)
		e = res_resolve(fs, p, call, dirfd, path, flags, &r);
	for (depth = 0; e >= 0; depth++) {
		if (r.fd < 0 || (e = exec_check(r.fd)) < 0)
			break;
		if (r.m && r.m->kind == FM_IMAGE && (e = img_ready(r.m, r.fd, O_RDONLY, false)) < 0)
			break;
		kind = read_head(r.fd, head, interp);
		if (kind == 'e') {
			e = exec_elf(fs, p, call, &r, interp, &x,
				     *script ? script : *path ? path : NULL);
			res_release(&r);
			if (e >= 0)
				return FACET_CONTINUE;
			break;
		}
		if (kind < 0 || depth == SCRIPT_DEPTH) {
			e = kind < 0 ? kind : -ELOOP;
			break;
		}
		/* a script: INTERP [ARG] SCRIPT ARGS... */
		if ((e = parse_shebang(head, &si, &sa)) < 0)
			break;
		if (!depth)	/* named as the guest gave it */
			snprintf(script, sizeof(script), "%s", *path ? path : r.guest);
		/* the kernel puts the script's path where argv[0] was; a nested
		 * interpreter's path is already there, as the text named it */
		if (!x.np) {
			x.keep = 1;
			if ((e = exec_path(fs, call, &r, path)) < 0 ||
			    (e = xprog_push(&x, 0, path)) < 0)
				break;
		}
		if (sa && (e = xprog_push(&x, 0, sa)) < 0)
			break;
		if ((e = xprog_push(&x, 0, si)) < 0)
			break;
		snprintf(interp, sizeof(interp), "%s", si);
		res_release(&r);
		e = res_resolve(fs, p, call, AT_FDCWD, interp, RES_FOLLOW, &r);
	}
	res_release(&r);
	call->error = -e;
	return FACET_REPLY;
}
