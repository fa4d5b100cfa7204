// SPDX-License-Identifier: GPL-2.0-or-later
/* files_fence.c - a Landlock domain around what the view shows
 *
 * DOC: Theory of Operation
 *
 * Giving a guest an fd the supervisor opened costs an ADDFD, which wakes the
 * guest to install the fd and the supervisor again when it is done: two
 * wake-ups across CPUs, about 50 us on a virtual machine, ten times the cost
 * of a whole trapped call.  Where the kernel, running the guest's own open
 * on the guest's own arguments, reaches the object the view means, the call
 * can run in the kernel instead (FACET_CONTINUE).  files_ops.c decides when
 * it does (see open_continue()).
 *
 * But the kernel reads the path again, after the supervisor has looked at
 * it, and another thread (or a process sharing the memory) can change it
 * meanwhile; a rename can swap a name for a symlink.  So before its exec
 * the first guest enters a Landlock domain (inherited by every guest after
 * it) that lets it open for reading only what the view shows: each mount's
 * host tree, less the places other mounts and hides cover (the entries
 * beside such a place are granted one by one, down to it).  A guest that
 * wins such a race opens what it could open through the view anyway, or
 * gets EACCES; it never reaches a hidden or unbound host file.
 *
 * Only reading (LANDLOCK_ACCESS_FS_READ_FILE, READ_DIR) is fenced, and only
 * read-only opens run in the kernel: writes, creations, stat and the rest
 * stay with the supervisor, which acts on fds it holds.  Landlock does not
 * apply to the supervisor, nor to fds it hands over.
 *
 * A sandbox (--sandbox) also fences writing: its guests may create,
 * write and remove only below the view's writable binds and facet's
 * private directory (its /tmp, its /).  The supervisor does every write
 * itself, so this layer holds only if the supervisor were fooled into
 * letting a write run in the kernel.
 *
 * A sandbox's domain is also scoped (Landlock ABI 6): its guests can
 * neither connect or send to an abstract AF_UNIX socket bound outside the
 * domain nor signal a process outside it.  The supervisor already keeps
 * both from them (files_unix.c, files_sandbox.c); this holds if it failed.
 *
 * The grants are taken when facet starts.  An entry made later beside a
 * covered place (a new file in a directory holding a mount point) is not
 * granted: the supervisor knows which host trees are granted whole
 * (fence_covers()) and opens anything else itself, as without a fence.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_internal.h"

#define FENCE_DIR	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FENCE_FILE	LANDLOCK_ACCESS_FS_READ_FILE
/* a sandbox also fences writing (Landlock's first rights: every kernel
 * with Landlock has them) */
#define FENCE_WRITE	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
			 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
			 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
			 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
			 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)
/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL (Linux 6.12;
 * Debian 12's headers predate them) */
#define FENCE_SCOPES	3ull
#define FENCE_DEPTH	64

/**
 * fence_rule() - grant reading below (or of) one object
 * @rs:		ruleset
 * @fd:		O_PATH fd of a directory or file
 * @dir:	it is a directory
 * Return: 0 or -errno
 */
static int fence_rule(int rs, int fd, bool dir)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = dir ? FENCE_DIR : FENCE_FILE,
		.parent_fd = fd,
	};

	if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0))
		return -errno;
	return 0;
}

/**
 * fence_write() - a sandbox: grant writing below (or to) one object
 * @rs:		ruleset
 * @fd:		O_PATH fd of a directory or file
 * @dir:	it is a directory
 * Return: 0 or -errno
 */
static int fence_write(int rs, int fd, bool dir)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = dir ? FENCE_DIR | FENCE_WRITE
				      : FENCE_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE,
		.parent_fd = fd,
	};

	if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0))
		return -errno;
	return 0;
}

/**
 * fence_root() - remember a host tree granted whole
 * @fs:		module state
 * @fd:		its O_PATH fd
 * Return: 0 or -ENOMEM
 */
static int fence_root(struct files *fs, int fd)
{
	char host[PATH_MAX], **v;

	if (fd_host_path(fd, host, sizeof(host)) < 0 || host[0] != '/')
		return 0;	/* then it is never taken as covered */
	v = realloc(fs->fence_roots, (fs->nfence + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	fs->fence_roots = v;
	if (!(v[fs->nfence] = strdup(host)))
		return -ENOMEM;
	fs->nfence++;
	return 0;
}

/**
 * fence_below() - does any mount of the view lie strictly below @guest?
 * @v:		the view
 * @guest:	canonical guest path
 * Return: true if so
 */
static bool fence_below(const struct fview *v, const char *guest)
{
	size_t gl = strlen(guest);
	int i;

	for (i = 0; i < v->n; i++)
		if (v->m[i]->glen > gl && !v->m[i]->quiet &&
		    path_under(v->m[i]->guest, guest, gl))
			return true;
	return false;
}

/**
 * fence_tree() - grant what the view shows of a host directory
 * @fs:		module state
 * @rs:		ruleset
 * @fd:		O_PATH fd of the directory (taken)
 * @guest:	where the view shows it
 * @depth:	recursion so far
 *
 * Nothing mounted below @guest: the whole tree.  Else each entry, but for
 * those another mount covers, and the directories among them the same way.
 * facet's private directory is hidden from the view but not fenced: what
 * it holds (tmpfs mounts, overlays' uppers, loader links) the view shows.
 *
 * Return: 0 or -errno
 */
static int fence_tree(struct files *fs, int rs, int fd, const char *guest,
		      int depth)
{
	char child[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int r = 0, dfd, cfd;

	if (!fence_below(fs->view, guest)) {
		if (!(r = fence_rule(rs, fd, true)))
			r = fence_root(fs, fd);
		close(fd);
		return r;
	}
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (dfd < 0 || depth >= FENCE_DEPTH || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return 0;	/* unreadable: nothing granted below it */
	}
	while (!r && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    path_join(child, sizeof(child), guest, e->d_name) < 0 ||
		    (fview_at(fs->view, child) && !fview_at(fs->view, child)->quiet))
			continue;
		cfd = openat(dirfd(d), e->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0)
			continue;
		if (fstat(cfd, &st) < 0 || S_ISLNK(st.st_mode)) {
			close(cfd);	/* its target is granted where it is */
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			r = fence_tree(fs, rs, cfd, child, depth + 1);
		} else {
			r = fence_rule(rs, cfd, false);
			close(cfd);
		}
	}
	closedir(d);
	return r;
}

/**
 * fence_build() - the Landlock domain of the view (see Theory of Operation)
 * @fs:		module state, its view complete
 *
 * Without Landlock (a kernel before 5.13, Landlock not enabled, or
 * FACET_DISABLE=landlock) there is no fence, and every open goes through
 * the supervisor.
 *
 * Return: 0 (with or without a fence), or -errno
 */
int fence_build(struct files *fs)
{
	struct { uint64_t fs, net, scoped; } ra = {
		.fs = FENCE_DIR | (fs->sandbox ? FENCE_WRITE : 0) };
	const struct fview *v = fs->view;
	int rs, i, fd, r = 0;

	fs->hostroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fs->hostroot < 0)
		return 0;
	/* a sandbox's guests reach no abstract socket and signal no process
	 * of the host's by themselves (ABI 6, Linux 6.12) */
	if (fs->sandbox && syscall(SYS_landlock_create_ruleset, NULL, 0,
				   LANDLOCK_CREATE_RULESET_VERSION) >= 6)
		ra.scoped = FENCE_SCOPES;
	rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (rs < 0) {
		facet_verbose(fs->f, "no Landlock (%s): every open goes through facet",
			      strerror(errno));
		return 0;
	}
	for (i = 0; i < v->n && !r; i++) {
		const struct fmount *m = v->m[i];

		if (m->kind == FM_HIDE || m->kind == FM_IMAGE || m->fd < 0)
			continue;	/* an image's cache fills when facet opens it */
		/* a sandbox writes only where the view lets it (the supervisor
		 * does the writing; this holds if it were fooled) */
		if (fs->sandbox && !m->ro && m->kind == FM_BIND &&
		    (r = fence_write(rs, m->fd, m->dir)) < 0)
			break;
		if (!m->dir) {
			r = fence_rule(rs, m->fd, false);
			continue;
		}
		if ((fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 3)) < 0)
			r = -errno;
		else
			r = fence_tree(fs, rs, fd, m->guest, 0);
		if (!r && m->kind == FM_OVERLAY && m->ufd >= 0) {
			if ((fd = fcntl(m->ufd, F_DUPFD_CLOEXEC, 3)) < 0)
				r = -errno;
			else
				r = fence_tree(fs, rs, fd, m->guest, 0);
		}
	}
	/* facet's private directory: tmpfs mounts, the loaders exec links */
	if (!r && fs->tmpdir) {
		fd = open(fs->tmpdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		r = fd < 0 ? -errno : fs->sandbox ? fence_write(rs, fd, true)
						  : fence_rule(rs, fd, true);
		if (fd >= 0)
			close(fd);
	}
	if (r < 0) {
		close(rs);
		return r;
	}
	fs->fence = facet_fence(fs->f, rs) == 0;
	return 0;
}

/**
 * fence_covers() - is a host directory in a tree the fence grants whole?
 * @fs:		module state
 * @host:	canonical host path
 * Return: true if a guest may open (for reading) anything below it itself
 */
bool fence_covers(const struct files *fs, const char *host)
{
	int i;

	if (!fs->fence)
		return false;
	for (i = 0; i < fs->nfence; i++)
		if (path_under(host, fs->fence_roots[i], strlen(fs->fence_roots[i])))
			return true;
	return false;
}

/**
 * fence_free() - forget the granted trees
 * @fs:		module state
 */
void fence_free(struct files *fs)
{
	int i;

	if (fs->hostroot >= 0)
		close(fs->hostroot);
	fs->hostroot = -1;
	for (i = 0; i < fs->nfence; i++)
		free(fs->fence_roots[i]);
	free(fs->fence_roots);
	fs->fence_roots = NULL;
	fs->nfence = 0;
}
