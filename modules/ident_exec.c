// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_exec.c - what execve does to credentials in the view
 *
 * DOC: Theory of Operation
 *
 * execve(2) is where the kernel changes identity by itself: a set-user-id
 * or set-group-id program runs as its owner or group, and the capability
 * sets are recomputed (capabilities(7), "Transformation of capabilities
 * during execve()"): root gets its bounding set back, another user keeps
 * only its ambient set, and PR_SET_KEEPCAPS ends.  The host runs every
 * program as facet's user, so the view does the same with its own owners
 * and modes: a program recorded as root's with mode 4755 makes its caller
 * root, as su and sudo expect.
 *
 * The exec is checked first (the file must be executable by the view's ids)
 * and offered to the other modules; if the credentials would change, the
 * new ones take effect only once the kernel reports the exec done
 * (facet_exec_done()), so an exec that fails changes nothing.  A set-id bit
 * on a #! script is ignored, as Linux ignores it, and so is one under
 * PR_SET_NO_NEW_PRIVS.  File capabilities are those the view keeps
 * (security.capability, ident_xattr.c): ping made cap_net_raw+ep by
 * setcap starts with CAP_NET_RAW in the view.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ident_internal.h"

/**
 * is_script() - does a file start with "#!"?
 * @fd:		the file (O_PATH)
 * Return: true if so
 */
static bool is_script(int fd)
{
	char proc[64], head[2];
	bool script;
	int rfd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((rfd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return false;
	script = read(rfd, head, 2) == 2 && head[0] == '#' && head[1] == '!';
	close(rfd);
	return script;
}

/**
 * struct fcaps - a program's file capabilities (security.capability)
 * @has:	it has some
 * @set:	permitted, inheritable
 * @eff:	the effective bit
 */
struct fcaps {
	bool has;
	uint64_t set[2];
	bool eff;
};

/**
 * exec_cred() - the credentials a program starts with (capabilities(7))
 * @c:		the caller's, changed in place
 * @a:		the program's attributes in the view
 * @setid:	its set-id bits count
 * @f:		its file capabilities
 */
static void exec_cred(struct cred *c, const struct attrs *a, bool setid,
		      const struct fcaps *f)
{
	uid_t ruid = c->uid[R];
	gid_t rgid = c->gid[R];
	bool is_setid, eff = f->has && f->eff;
	uint64_t perm = f->has ? (c->cap[C_INH] & f->set[1]) |
				 (f->set[0] & c->cap[C_BND]) : 0;

	if (setid && (a->mode & S_ISUID))
		c->uid[E] = a->uid;
	if (setid && (a->mode & S_ISGID) && (a->mode & S_IXGRP))
		c->gid[E] = a->gid;
	is_setid = c->uid[E] != ruid || c->gid[E] != rgid;
	/* root is treated as holding every file capability, but a set-uid
	 * root program with file capabilities gets only those */
	if ((c->uid[E] == 0 || c->uid[R] == 0) &&
	    !(f->has && c->uid[E] == 0 && ruid != 0)) {
		perm = c->cap[C_BND] | c->cap[C_INH];
		eff = eff || c->uid[E] == 0;
	}
	c->uid[S] = c->uid[FS] = c->uid[E];
	c->gid[S] = c->gid[FS] = c->gid[E];
	if (is_setid || f->has)
		c->cap[C_AMB] = 0;
	c->cap[C_PERM] = perm | c->cap[C_AMB];
	c->cap[C_EFF] = eff ? c->cap[C_PERM] : c->cap[C_AMB];
	c->keepcaps = false;
}

/**
 * same_cred() - are two credentials alike?
 * @a:		one
 * @b:		the other (the groups are never changed by an exec)
 * Return: true if so
 */
static bool same_cred(const struct cred *a, const struct cred *b)
{
	return !memcmp(a->uid, b->uid, sizeof(a->uid)) &&
	       !memcmp(a->gid, b->gid, sizeof(a->gid)) &&
	       !memcmp(a->cap, b->cap, sizeof(a->cap)) &&
	       a->keepcaps == b->keepcaps;
}

/**
 * exec_done() - an exec whose credentials change has run, or failed
 * @f:		supervisor context
 * @t:		the task standing for the new program, or NULL
 * @error:	0 if it runs
 * @arg:	the new credentials
 */
static void exec_done(struct facet *f, struct facet_task *t, int error,
		      void *arg)
{
	void **slot = t && !error ? facet_task_data(f, t) : NULL;

	if (!slot) {
		ident_cred_free(arg);
		return;
	}
	ident_cred_free(*slot);
	*slot = arg;
}

/**
 * exec_file() - the program an execve or execveat names
 * @id:		module state
 * @call:	the call
 * Return: an O_PATH fd of it, or -errno
 */
static int exec_file(struct ident *id, struct facet_call *call)
{
	bool at = call->nr == SYS_execveat;
	unsigned int flags = at ? (unsigned int)call->args[4] : 0;
	char path[PATH_MAX];
	int e;

	if ((e = ident_path(id, call, call->args[at ? 1 : 0], path)) < 0)
		return e;
	return facet_resolve(id->f, call, at ? (int)call->args[0] : AT_FDCWD,
			     path, ident_res_flags(flags));
}

/**
 * ident_exec() - execve, execveat: permission, then new credentials
 * @id:		module state
 * @call:	the call (held in ptrace)
 * Return: outcome
 */
enum facet_outcome ident_exec(struct ident *id, struct facet_call *call)
{
	struct cred *c = ident_cred(id, call), *n;
	struct fcaps fc = { false, { 0, 0 }, false };
	enum facet_outcome o;
	const struct rec *r;
	struct attrs a;
	struct stat st;
	bool setid;
	int fd = exec_file(id, call);

	if (!c || fd < 0 || ident_view_attrs(id, fd, &st, &a, &r) < 0 ||
	    !S_ISREG(a.mode)) {
		if (fd >= 0)
			close(fd);
		return c ? facet_next(id->f, call) : ident_reply(call, -ENOMEM);
	}
	setid = (a.mode & (S_ISUID | S_ISGID)) && !c->nnp && !is_script(fd);
	fc.has = id->own.nx && !c->nnp && ident_fcaps(id, &st, fc.set, &fc.eff) &&
		 !is_script(fd);
	close(fd);
	if (!ident_may(c, &a, X_OK, true))
		return ident_reply(call, -EACCES);
	if (!(n = ident_cred_copy(c)))
		return ident_reply(call, -ENOMEM);
	exec_cred(n, &a, setid, &fc);
	o = facet_next(id->f, call);
	if (same_cred(n, c) || o == FACET_REPLY || o == FACET_DEFER ||
	    facet_exec_done(id->f, call, exec_done, n) < 0)
		ident_cred_free(n);
	return o;
}
