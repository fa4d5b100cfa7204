// SPDX-License-Identifier: GPL-2.0-or-later
/* files_ctl.c - a process changes its own view at run time: facet-mount,
 * facet-umount, and what facet-ctl status shows of files
 *
 * DOC: Theory of Operation
 * The control call (core/ctl.c) brings FACET_CTL_MOUNT and
 * FACET_CTL_UMOUNT here.  facet-mount is a program, so the change is made
 * for the process that runs it, its parent (a shell, typically), as cd
 * would be if it could: that view is copied first if other processes
 * share it (copy on change), so siblings and the parent's parent keep
 * theirs, and the children it creates afterwards inherit the new one.
 * Only mounts made at run time can be taken away again: what facet's
 * options built is the floor of every view.  Every path is resolved in
 * that view:
 * a process can mount at, bind from and mount images found only where it
 * already sees.  A bind whose source has a hidden path below it is
 * refused, as the new mount would show what the hide covers; a bind from
 * an image or an overlay is refused too, as those are served by facet and
 * not by the host directory behind them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "files_internal.h"
#include "fuse_client.h"

/**
 * ctl_strings() - the call's string arguments (args[1..4]; NULL pointers
 *		   give empty strings)
 * @fs:		module state
 * @call:	the call
 * @s:		four buffers of PATH_MAX
 * Return: 0 or -errno
 */
static int ctl_strings(struct files *fs, struct facet_call *call, char s[][PATH_MAX])
{
	int i;

	for (i = 0; i < 4; i++) {
		s[i][0] = 0;
		if (call->args[i + 1] &&
		    facet_read_string(fs->f, call, call->args[i + 1], s[i], PATH_MAX) < 0)
			return -EFAULT;
	}
	return 0;
}

/**
 * ctl_target() - whose view a control call changes: the caller's parent,
 *		  if it is a guest, else the caller's
 * @fs:		module state
 * @call:	the call
 * Return: its process state, or NULL
 */
static struct fproc *ctl_target(struct files *fs, struct facet_call *call)
{
	char path[64], line[128];
	struct fproc *p = NULL;
	pid_t ppid = 0;
	FILE *st;

	snprintf(path, sizeof(path), "/proc/%d/status", call->tid);
	if ((st = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), st))
			if (sscanf(line, "PPid: %d", &ppid) == 1)
				break;
		fclose(st);
	}
	if (ppid > 0)
		p = files_proc_of(fs, ppid);
	return p ? p : files_proc(fs, call);
}

/**
 * own_view() - the caller's view, copied first if others share it
 * @p:		the caller's process state
 * Return: the view it alone holds, or NULL (ENOMEM)
 */
static struct fview *own_view(struct fproc *p)
{
	struct fview *v;

	if (p->view->refs == 1)
		return p->view;
	if (!(v = fview_copy(p->view)))
		return NULL;
	fview_put(p->view);
	p->view = v;
	return v;
}

/**
 * bind_source() - the host path a bind from guest @src would show
 * @fs:		module state
 * @p:		the caller's process state
 * @call:	the call
 * @src:	guest path
 * @host:	result
 * @st:		the object it names
 * Return: 0 or -errno
 */
static int bind_source(struct files *fs, struct fproc *p, struct facet_call *call,
		       const char *src, char *host, struct stat *st)
{
	struct fres r;
	int e, i;

	if ((e = res_resolve(fs, p, call, AT_FDCWD, src, RES_FOLLOW | RES_CANON, &r)) < 0)
		return e;
	if (r.m->kind == FM_IMAGE || r.m->kind == FM_OVERLAY)
		e = -EXDEV;
	for (i = 0; !e && i < p->view->n; i++) {
		const struct fmount *m = p->view->m[i];

		if (m->kind == FM_HIDE && path_under(m->guest, r.guest, strlen(r.guest)))
			e = -EPERM;
	}
	if (!e)
		e = fd_host_path(r.fd, host, PATH_MAX);
	if (e >= 0 && fstat(r.fd, st) < 0)
		e = -errno;
	res_release(&r);
	return e < 0 ? e : 0;
}

/**
 * bind_add() - add a bind of host path @host, which must still be the
 *		object resolved (@want): a guest may have swapped a
 *		directory of the path for a symlink since
 * @v:		the view
 * @dst:	guest path
 * @host:	host path
 * @ro:		read-only
 * @want:	the object resolved
 * Return: 0, -EAGAIN if the path now names something else, or -errno
 */
static int bind_add(struct fview *v, const char *dst, const char *host, bool ro,
		    const struct stat *want)
{
	struct fmount *m;
	struct stat st;
	int e = fview_add(v, dst, host, FM_BIND, ro);

	if (e < 0)
		return e;
	m = fview_at(v, dst);
	if (!m || m->fd < 0 || fstat(m->fd, &st) < 0 ||
	    st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		fview_remove(v, dst);
		return -EAGAIN;
	}
	return 0;
}

/**
 * ctl_done() - answer a control call
 * @call:	the call
 * @e:		0 or -errno
 * Return: FACET_REPLY
 */
static enum facet_outcome ctl_done(struct facet_call *call, int e)
{
	call->error = e < 0 ? -e : 0;
	call->ret = 0;
	return FACET_REPLY;
}

/**
 * ctl_mount() - FACET_CTL_MOUNT (type, source, dst, options)
 * @fs:		module state
 * @call:	the call
 * Return: FACET_REPLY
 */
static enum facet_outcome ctl_mount(struct files *fs, struct facet_call *call)
{
	char s[4][PATH_MAX], host[PATH_MAX];
	struct fproc *p = ctl_target(fs, call);
	struct fmount *m;
	struct stat st;
	bool bind, ro;
	struct fres d;
	struct fview *v;
	int e;

	if ((e = ctl_strings(fs, call, s)) < 0)
		return ctl_done(call, e);
	if (!*s[0] || !*s[1] || !*s[2])
		return ctl_done(call, -EINVAL);
	bind = !strcmp(s[0], "bind");
	ro = img_opt_ro(s[3]);
	if ((e = res_resolve(fs, p, call, AT_FDCWD, s[2], RES_FOLLOW | RES_CANON, &d)) < 0)
		return ctl_done(call, e);
	if (!bind && !fd_is_dir(d.fd))
		e = -ENOTDIR;
	/* an image's daemon runs outside the view: it gets the host path */
	if (!e)
		e = bind_source(fs, p, call, s[1], host, &st);
	if (!e && bind && !S_ISDIR(st.st_mode) != !fd_is_dir(d.fd))
		e = -ENOTDIR;	/* as mount(2) */
	if (!e && !(v = own_view(p)))
		e = -ENOMEM;
	if (!e && bind)
		e = bind_add(v, d.guest, host, ro, &st);
	else if (!e)
		e = img_mount(fs, v, s[0], host, d.guest, *s[3] ? s[3] : NULL) < 0 ? -EINVAL : 0;
	if (!e && (m = fview_at(v, d.guest)))
		m->runtime = true;
	if (!e)
		fdir_flush(p);
	res_release(&d);
	return ctl_done(call, e);
}

/**
 * ctl_umount() - FACET_CTL_UMOUNT (dst): what was written to an image is
 *		  written back; its daemon stays while another view shows it
 * @fs:		module state
 * @call:	the call
 * Return: FACET_REPLY
 */
static enum facet_outcome ctl_umount(struct files *fs, struct facet_call *call)
{
	char s[4][PATH_MAX];
	struct fproc *p = ctl_target(fs, call);
	struct fmount *m;
	struct fview *v;
	struct fres d;
	int e;

	if ((e = ctl_strings(fs, call, s)) < 0)
		return ctl_done(call, e);
	if (!*s[0])
		return ctl_done(call, -EINVAL);
	if ((e = res_resolve(fs, p, call, AT_FDCWD, s[0], RES_FOLLOW | RES_CANON, &d)) < 0)
		return ctl_done(call, e);
	m = fview_at(p->view, d.guest);
	if (!m || m->quiet)
		e = -EINVAL;	/* not a mount point, as umount(2) says */
	else if (!m->runtime)
		e = -EPERM;	/* facet's options made it */
	if (!e) {
		img_sync_image(m);
		e = (v = own_view(p)) ? fview_remove(v, d.guest) : -ENOMEM;
		fdir_flush(p);
	}
	res_release(&d);
	return ctl_done(call, e);
}

/**
 * guest_dst() - a DST of facet's options given inside a view: absolute,
 *		 made canonical
 * @in:		the path
 * @out:	PATH_MAX bytes
 * Return: 0, or -EINVAL
 */
static int guest_dst(const char *in, char *out)
{
	return in[0] == '/' && path_normalize(in, out, PATH_MAX) == 0 ? 0 : -EINVAL;
}

/**
 * option_apply() - one of facet's file options for the caller's own view
 * @fs:		module state
 * @p:		the caller's process state
 * @call:	the call
 * @name:	"bind", "hide", "tmpfs" or "mount"
 * @val:	its argument (changed in place)
 * @v:		the caller's view, its own
 * Return: 0, -EOPNOTSUPP for an option not offered there, or -errno
 */
static int option_apply(struct files *fs, struct fproc *p, struct facet_call *call,
			const char *name, char *val, struct fview *v)
{
	char dst[PATH_MAX], host[PATH_MAX], *c, *t;
	size_t n = strlen(val);
	struct stat st;
	bool ro = false;
	int e;

	if (!strcmp(name, "hide"))
		return guest_dst(val, dst) ?: fview_add(v, dst, NULL, FM_HIDE, false);
	if (!strcmp(name, "tmpfs")) {
		if ((e = guest_dst(val, dst)) < 0 || !(t = files_tmpfs(fs)))
			return e < 0 ? e : -EIO;
		e = fview_add(v, dst, t, FM_BIND, false);
		free(t);
		return e;
	}
	if (!strcmp(name, "bind")) {	/* SRC[:DST][:ro] */
		if (n > 3 && !strcmp(val + n - 3, ":ro")) {
			val[n - 3] = 0;
			ro = true;
		}
		c = strchr(val, ':');
		if (c)
			*c++ = 0;
		if ((e = guest_dst(c ? c : val, dst)) < 0 ||
		    (e = bind_source(fs, p, call, val, host, &st)) < 0)
			return e;
		return bind_add(v, dst, host, ro, &st);
	}
	if (!strcmp(name, "mount")) {	/* TYPE:SOURCE:DST[:OPTS] */
		char *src = strchr(val, ':'), *d = src ? strchr(src + 1, ':') : NULL, *o;

		if (!d)
			return -EINVAL;
		*src++ = 0;
		*d++ = 0;
		if ((o = strchr(d, ':')))
			*o++ = 0;
		if ((e = guest_dst(d, dst)) < 0 ||
		    (e = bind_source(fs, p, call, src, host, &st)) < 0)
			return e;
		return img_mount(fs, v, val, host, dst, o) < 0 ? -EINVAL : 0;
	}
	return -EOPNOTSUPP;	/* --root, --overlay: not inside a view */
}

/**
 * ctl_option() - FACET_CTL_OPTION (name, value): facet run inside a view
 *		  gives its file options for its own process, which then runs
 *		  the command (and its children after it); they stay, as the
 *		  options of a view do
 * @fs:		module state
 * @call:	the call
 * Return: outcome, FACET_PASS if not a files option
 */
static enum facet_outcome ctl_option(struct files *fs, struct facet_call *call)
{
	static const char *const mine[] = { "bind", "hide", "tmpfs", "mount",
					    "root", "overlay", NULL };
	char name[16], val[PATH_MAX * 2];
	struct fproc *p = files_proc(fs, call);
	struct fview *v;
	int i, e;

	if (facet_read_string(fs->f, call, call->args[1], name, sizeof(name)) < 0)
		return FACET_PASS;
	for (i = 0; mine[i] && strcmp(mine[i], name); i++)
		;
	if (!mine[i])
		return FACET_PASS;
	if (!call->args[2] ||
	    facet_read_string(fs->f, call, call->args[2], val, sizeof(val)) < 0)
		return ctl_done(call, -EINVAL);
	if (!p || !(v = own_view(p)))
		return ctl_done(call, -ENOMEM);
	e = option_apply(fs, p, call, name, val, v);
	fdir_flush(p);
	return ctl_done(call, e);
}

/**
 * files_ctl() - the control calls of the files module
 * @fs:		module state
 * @call:	the call
 * @op:		FACET_CTL_*
 * Return: outcome, FACET_PASS if not ours
 */
enum facet_outcome files_ctl(struct files *fs, struct facet_call *call,
			     unsigned int op)
{
	if (op == FACET_CTL_MOUNT)
		return ctl_mount(fs, call);
	if (op == FACET_CTL_UMOUNT)
		return ctl_umount(fs, call);
	if (op == FACET_CTL_OPTION)
		return ctl_option(fs, call);
	return FACET_PASS;
}

/**
 * files_status() - the mounts, working directory and root of the process
 *		    running facet-ctl, as "mount\tDST\tKIND\tSOURCE\tro|rw\t
 *		    runtime|options" lines and the like
 * @fs:		module state
 * @call:	the call
 * @out:	where to
 */
void files_status(struct files *fs, struct facet_call *call, FILE *out)
{
	static const char *const kind[] = { "bind", "hide", "overlay", "image" };
	struct fproc *p = ctl_target(fs, call);
	int i;

	if (!p)
		return;
	for (i = p->view->n - 1; i >= 0; i--) {
		const struct fmount *m = p->view->m[i];

		if (m->quiet)
			continue;
		fprintf(out, "mount\t%s\t%s\t%s\t%s\t%s\n", m->guest,
			m->kind == FM_IMAGE ? img_type(m) : kind[m->kind],
			m->kind == FM_HIDE ? "-" : m->kind == FM_IMAGE ? img_source(m)
			: m->host, m->ro ? "ro" : "rw", m->runtime ? "runtime" : "options");
	}
	fprintf(out, "cwd\t%s\nroot\t%s\nviews\t%u\n", p->cwd, p->root ? p->root : "/",
		p->view->refs);
}
