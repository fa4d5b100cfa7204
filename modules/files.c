// SPDX-License-Identifier: GPL-2.0-or-later
/* files.c - the files module: a file tree of the view's own
 *
 * Options build the view the first guest starts in (files_view.c):
 *
 *	-r, --root DIR		DIR is /; the host's /dev, /proc and /sys are
 *				bound in (a rootfs needs them to run programs)
 *	-b, --bind SRC[:DST][:ro]	SRC appears at DST
 *	--hide PATH		PATH does not exist
 *	--tmpfs DST		a private, empty, in-memory directory at DST
 *	--overlay DIR[:UPPER]	DIR copy-on-write: changes land in UPPER, or
 *				in memory (files_overlay.c)
 *	-w, --cwd DIR		start in DIR
 *
 * Each guest process has its own root, working directory and umask
 * (struct fproc): threads share them, fork copies them.  Every path
 * syscall is trapped and handled in files_ops.c through the resolver
 * (files_resolve.c); exec in files_exec.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_internal.h"

/**
 * struct files_opt - one view option, kept in order until init()
 * @kind:	'r', 'b', 'h' (hide), 't' (tmpfs), 'o' (overlay), 'm' (image)
 * @src:	host path (root, bind; an overlay's upper, or NULL); an
 *		image's source
 * @dst:	guest path (an overlay's directory)
 * @type:	an image's FUSE program
 * @opts:	its -o options, or NULL
 * @ro:		read-only bind
 * @next:	next option
 */
struct files_opt {
	int kind;
	char *src, *dst, *type, *opts;
	bool ro;
	struct files_opt *next;
};

/**
 * struct files_state - options as given, then the module's state
 * @fs:		the state handlers use
 * @opts:	options in order
 * @tail:	where the next option goes
 */
struct files_state {
	struct files fs;
	struct files_opt *opts, **tail;
};

static const struct facet_option files_options[] = {
	{ "root", "DIR", "DIR is the guest's / (host /dev, /proc, /sys bound in)", 'r' },
	{ "bind", "SRC[:DST][:ro]", "host SRC appears at DST (ro: read-only)", 'b' },
	{ "hide", "PATH", "PATH appears not to exist", 0 },
	{ "tmpfs", "DST", "a private empty in-memory directory at DST", 0 },
	{ "overlay", "DIR[:UPPER]", "DIR copy-on-write: changes go to UPPER, or to memory", 0 },
	{ "mount", "TYPE:SOURCE:DST[:OPTS]", "image SOURCE at DST through FUSE program TYPE (OPTS: its -o), or TYPE archive: a tar, zip, cpio, ISO... read-only", 'm' },
	{ "cwd", "DIR", "start in DIR (a path in the view)", 'w' },
	{ "sandbox", NULL, "deny by default: / shows only /usr, /bin, /lib*, what of /etc programs need (read-only), a few /dev nodes, /proc, a private /tmp; --net none unless --net", 0 },
	{ "allow-read", "PATH", "with --sandbox: host PATH shown at PATH, read-only", 0 },
	{ "allow-write", "PATH", "with --sandbox: host PATH shown at PATH, writable", 0 },
	{ "log-denials", NULL, "one line on stderr for each call the view refuses, with the reason", 0 },
	{ "allow-userns", NULL, "with --sandbox: let guests make user namespaces (refused by default)", 0 },
	{ "deny-errno", "ERRNO",
	  "what a path the host has but a sandbox or --hide does not show gives: ENOENT (default), EACCES or EPERM", 0 },
	{ NULL, NULL, NULL, 0 },
};

/**
 * opt_abs() - an absolute, lexically canonical form of a command-line path
 * @f:		supervisor context, for messages
 * @what:	what the path is, for messages
 * @in:		the path
 * @relative_ok: a relative path is taken from facet's working directory
 * Return: malloc'd path, or NULL (message printed)
 */
static char *opt_abs(struct facet *f, const char *what, const char *in,
		     bool relative_ok)
{
	char buf[PATH_MAX], out[PATH_MAX];

	if (!*in) {
		facet_error(f, "%s: empty path", what);
		return NULL;
	}
	if (in[0] != '/') {
		if (!relative_ok) {
			facet_error(f, "%s %s: not an absolute path", what, in);
			return NULL;
		}
		if (!getcwd(buf, sizeof(buf)) ||
		    path_join(buf, sizeof(buf), buf, in) < 0) {
			facet_error(f, "%s %s: path too long", what, in);
			return NULL;
		}
		in = buf;
	}
	if (path_normalize(in, out, sizeof(out)) < 0) {
		facet_error(f, "%s %s: path too long", what, in);
		return NULL;
	}
	return strdup(out);
}

/**
 * opt_bind() - parse SRC[:DST][:ro]
 * @f:		supervisor context
 * @o:		option to fill
 * @value:	the argument
 * Return: 0 or -EINVAL (message printed)
 */
static int opt_bind(struct facet *f, struct files_opt *o, const char *value)
{
	char *v = strdup(value), *c, *dst = NULL;
	size_t len;

	if (!v)
		return -ENOMEM;
	len = strlen(v);
	if (len > 3 && !strcmp(v + len - 3, ":ro")) {
		o->ro = true;
		v[len - 3] = 0;
	} else if (len > 3 && !strcmp(v + len - 3, ":rw")) {
		v[len - 3] = 0;
	}
	c = strchr(v, ':');
	if (c) {
		*c = 0;
		dst = c + 1;
	}
	o->src = opt_abs(f, "bind source", v, true);
	o->dst = o->src ? opt_abs(f, "bind destination", dst && *dst ? dst : o->src,
				  false) : NULL;
	free(v);
	return o->src && o->dst ? 0 : -EINVAL;
}

/**
 * opt_overlay() - parse DIR[:UPPER]
 * @f:		supervisor context
 * @o:		option to fill
 * @value:	the argument
 * Return: 0 or -EINVAL (message printed)
 */
static int opt_overlay(struct facet *f, struct files_opt *o, const char *value)
{
	char *v = strdup(value), *c;

	if (!v)
		return -ENOMEM;
	c = strchr(v, ':');
	if (c)
		*c = 0;
	o->dst = opt_abs(f, "overlay", v, true);
	if (o->dst && c)
		o->src = opt_abs(f, "overlay upper", c + 1, true);
	free(v);
	return o->dst && (!c || o->src) ? 0 : -EINVAL;
}

/**
 * opt_mount() - parse TYPE:SOURCE:DST[:OPTS]
 * @f:		supervisor context
 * @o:		option to fill
 * @value:	the argument
 * Return: 0 or -EINVAL (message printed)
 */
static int opt_mount(struct facet *f, struct files_opt *o, const char *value)
{
	char *v = strdup(value), *src, *dst, *opts;
	int e;

	if (!v)
		return -ENOMEM;
	if (!(src = strchr(v, ':')) || !(dst = strchr(src + 1, ':')) ||
	    v == src || src + 1 == dst) {
		facet_error(f, "--mount %s: expected TYPE:SOURCE:DST[:OPTIONS]", value);
		free(v);
		return -EINVAL;
	}
	*src++ = 0;
	*dst++ = 0;
	if ((opts = strchr(dst, ':')))
		*opts++ = 0;
	o->type = strdup(v);
	o->src = strdup(src);
	o->opts = opts && *opts ? strdup(opts) : NULL;
	o->dst = opt_abs(f, "mount point", dst, false);
	e = o->type && o->src && o->dst && (!opts || !*opts || o->opts) ? 0 : -EINVAL;
	free(v);
	return e;
}

/**
 * files_option() - one option (see the file's header)
 * @f:		supervisor context
 * @state:	struct files_state, made on first use
 * @name:	option name
 * @value:	its argument
 * Return: 0 or -errno (message printed)
 */
static int files_option(struct facet *f, void **state, const char *name,
			const char *value)
{
	struct files_state *st = *state;
	struct files_opt *o;

	if (!st) {
		if (!(st = *state = calloc(1, sizeof(*st))))
			return -ENOMEM;
		st->tail = &st->opts;
		st->fs.f = f;
	}
	if (!name)		/* active by default: the host's view, for now */
		return 0;
	if (!strcmp(name, "hosts-name")) {	/* from the uts module */
		free(st->fs.hosts_name);
		st->fs.hosts_name = strdup(value);
		return st->fs.hosts_name ? 0 : -ENOMEM;
	}
	if (!strcmp(name, "resolv-conf")) {	/* from the net module */
		free(st->fs.resolv_conf);
		st->fs.resolv_conf = strdup(value);
		return st->fs.resolv_conf ? 0 : -ENOMEM;
	}
	if (!strcmp(name, "proc-net"))		/* from the net module */
		return files_procnet_add(&st->fs, value);
	if (!strcmp(name, "cwd")) {
		free(st->fs.cwd);
		st->fs.cwd = opt_abs(f, "working directory", value, false);
		return st->fs.cwd ? 0 : -EINVAL;
	}
	if (!strcmp(name, "sandbox")) {
		st->fs.sandbox = true;
		return 0;
	}
	if (!strcmp(name, "log-denials")) {
		st->fs.log_denials = true;
		return 0;
	}
	if (!strcmp(name, "allow-userns")) {
		st->fs.allow_userns = true;
		return 0;
	}
	if (!strcmp(name, "deny-errno")) {
		st->fs.deny_errno = !strcmp(value, "ENOENT") ? 0 : !strcmp(value, "EACCES") ?
				    EACCES : !strcmp(value, "EPERM") ? EPERM : -1;
		if (st->fs.deny_errno >= 0)
			return 0;
		facet_error(f, "--deny-errno: %s: ENOENT, EACCES or EPERM", value);
		return -EINVAL;
	}
	if (!(o = calloc(1, sizeof(*o))))
		return -ENOMEM;
	*st->tail = o;
	st->tail = &o->next;
	o->kind = name[0];
	if (!strncmp(name, "allow-", 6)) {	/* a bind of PATH at itself */
		o->kind = 'b';
		o->ro = !strcmp(name, "allow-read");
		o->src = opt_abs(f, name, value, true);
		o->dst = o->src ? strdup(o->src) : NULL;
		o->type = strdup(name);		/* for messages */
		return o->dst && o->type ? 0 : -EINVAL;
	}
	if (o->kind == 'b')
		return opt_bind(f, o, value);
	if (o->kind == 'o')
		return opt_overlay(f, o, value);
	if (o->kind == 'm')
		return opt_mount(f, o, value);
	if (o->kind == 'r') {
		if (st->fs.root_given) {
			facet_error(f, "--root given twice");
			return -EINVAL;
		}
		st->fs.root_given = true;
		o->src = opt_abs(f, "root", value, true);
		return o->src ? 0 : -EINVAL;
	}
	o->dst = opt_abs(f, o->kind == 'h' ? "hidden path" : "tmpfs", value, false);
	return o->dst ? 0 : -EINVAL;
}

/**
 * host_canon() - the host's canonical path of an existing file
 * @f:		supervisor context
 * @what:	for messages
 * @path:	the path
 * @dir:	it must be a directory
 * Return: malloc'd path, or NULL (message printed)
 */
static char *host_canon(struct facet *f, const char *what, const char *path,
			bool dir)
{
	char *r = realpath(path, NULL);
	struct stat st;

	if (!r || stat(r, &st) < 0) {
		facet_error(f, "%s %s: %s", what, path, strerror(errno));
		free(r);
		return NULL;
	}
	if (dir && !S_ISDIR(st.st_mode)) {
		facet_error(f, "%s %s: not a directory", what, path);
		free(r);
		return NULL;
	}
	return r;
}

/**
 * files_tmpfs() - a fresh private directory for --tmpfs
 * @fs:		module state
 * Return: malloc'd host path, or NULL (message printed)
 */
char *files_tmpfs(struct files *fs)
{
	char path[PATH_MAX];

	if (files_private_dir(fs) < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%d", fs->tmpdir, ++fs->ntmp);
	if (mkdir(path, 0755) < 0) {
		facet_error(fs->f, "cannot make %s: %s", path, strerror(errno));
		return NULL;
	}
	return strdup(path);
}

static void tmp_remove(int dfd, const char *name, int depth);

/**
 * tmp_sweep() - remove what a facet killed before it could clean up left
 *		 in @base: directories "facet.PID.*" of ours whose PID is gone
 * @base:	/dev/shm or the like
 */
static void tmp_sweep(const char *base)
{
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(base);
	int pid;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "facet.%d.", &pid) != 1 || pid <= 0 ||
		    pid == (int)getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid())
			tmp_remove(AT_FDCWD, path, 0);
	}
	closedir(d);
}

/**
 * files_private_dir() - facet's own directory (tmpfs mounts, exec links)
 * @fs:		module state
 *
 * In memory where /dev/shm is, removed at the end, and hidden from the
 * view (quietly: listings of its parent are not filtered for it).
 *
 * Return: 0 or -errno (message printed)
 */
int files_private_dir(struct files *fs)
{
	const char *bases[] = { "/dev/shm", getenv("TMPDIR"), "/tmp" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; !fs->tmpdir && i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (!bases[i])
			continue;
		tmp_sweep(bases[i]);
		snprintf(path, sizeof(path), "%s/facet.%d.XXXXXX", bases[i], (int)getpid());
		if (mkdtemp(path) && !(fs->tmpdir = strdup(path)))
			return -ENOMEM;
	}
	if (!fs->tmpdir) {
		facet_error(fs->f, "cannot make a private directory: %s",
			    strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * path_within() - is @path @dir or below it?
 * @path:	canonical path
 * @dir:	canonical path
 * Return: true if so
 */
static bool path_within(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	if (len == 1)
		return true;
	return !strncmp(path, dir, len) && (!path[len] || path[len] == '/');
}

/**
 * files_overlay() - put an overlay in the view
 * @fs:		module state
 * @o:		the option: its directory as the view so far shows it, and
 *		its upper directory on the host (or none: in memory)
 * Return: 0 or -errno (message printed)
 */
static int files_overlay(struct files *fs, struct files_opt *o)
{
	static const char *const auto_binds[] = { "/dev", "/proc", "/sys" };
	const struct fmount *m;
	const char *rest;
	char host[PATH_MAX];
	char *lower = NULL, *upper = NULL;
	size_t i;
	int r = -EINVAL;

	m = fview_under(fs->view, o->dst, &rest);
	if (m->kind != FM_BIND || !m->dir ||
	    path_join(host, sizeof(host), m->host, rest) < 0) {
		facet_error(fs->f, "overlay %s: not a directory of the view", o->dst);
		return -EINVAL;
	}
	if (!(lower = host_canon(fs->f, "overlay", host, true)))
		return -EINVAL;
	upper = o->src ? host_canon(fs->f, "overlay upper", o->src, true)
		       : files_tmpfs(fs);
	if (!upper)
		goto out;
	if (o->src && path_within(upper, lower)) {
		facet_error(fs->f, "overlay upper %s: %s", o->src, strcmp(upper, lower)
			    ? "inside the directory it overlays" : "is the directory it overlays");
		goto out;
	}
	if (o->src && path_within(lower, upper)) {
		facet_error(fs->f, "overlay upper %s: holds the directory it overlays",
			    o->src);
		goto out;
	}
	r = fview_add_overlay(fs->view, o->dst, lower, upper);
	if (r < 0)
		facet_error(fs->f, "overlay %s: %s", o->dst, strerror(-r));
	/* the whole tree copy-on-write: /dev, /proc and /sys stay the host's */
	for (i = 0; !r && !strcmp(o->dst, "/") && i < sizeof(auto_binds) / sizeof(auto_binds[0]); i++)
		if (!fview_at(fs->view, auto_binds[i]))
			r = fview_add(fs->view, auto_binds[i], auto_binds[i], FM_BIND, false);
out:
	free(lower);
	free(upper);
	return r;
}

/**
 * files_mount_opt() - put one option's mount in the view
 * @fs:		module state
 * @o:		the option
 * Return: 0 or -errno (message printed)
 */
static int files_mount_opt(struct files *fs, struct files_opt *o)
{
	char *host = NULL;
	int r;

	struct stat st;

	if (o->kind == 'h')
		return fview_add(fs->view, o->dst, NULL, FM_HIDE, false);
	if (o->kind == 'o')
		return files_overlay(fs, o);
	if (o->kind == 'm')
		return (r = files_mountpoint(fs, o->dst, true)) < 0 ? r :
		       img_mount(fs, fs->view, o->type, o->src, o->dst, o->opts);
	host = o->kind == 't' ? files_tmpfs(fs)
			      : host_canon(fs->f, o->type ? o->type : "bind source",
					   o->src, false);
	if (!host)
		return -EINVAL;
	if ((r = files_mountpoint(fs, o->dst, stat(host, &st) < 0 ||
				  S_ISDIR(st.st_mode))) < 0) {
		free(host);
		return r;
	}
	r = fview_add(fs->view, o->dst, host, FM_BIND, o->ro);
	if (r < 0)
		facet_error(fs->f, "cannot bind %s: %s", host, strerror(-r));
	free(host);
	return r;
}

/**
 * files_build() - the first guest's view, from the options in order
 * @fs:		module state
 * @opts:	the options
 * Return: 0 or -errno (message printed)
 */
static int files_build(struct files *fs, struct files_opt *opts)
{
	static const char *const auto_binds[] = { "/dev", "/proc", "/sys" };
	struct files_opt *o;
	char *root = NULL;
	size_t i;
	int r;

	for (o = opts; o; o = o->next)
		if (o->kind == 'r' && !(root = host_canon(fs->f, "root", o->src, true)))
			return -EINVAL;
	fs->hostroot = -1;
	if (!(fs->view = fview_new()))
		return -ENOMEM;
	if (fs->sandbox && root) {
		facet_error(fs->f, "--sandbox and --root: the sandbox makes its own /");
		free(root);
		return -EINVAL;
	}
	if (fs->sandbox) {
		if ((r = sandbox_build(fs)) < 0)
			return r;
		for (o = opts; o; o = o->next)
			if ((r = files_mount_opt(fs, o)) < 0)
				return r;
		return 0;
	}
	r = fview_add(fs->view, "/", root ? root : "/", FM_BIND, false);
	for (i = 0; root && !r && i < sizeof(auto_binds) / sizeof(auto_binds[0]); i++)
		r = fview_add(fs->view, auto_binds[i], auto_binds[i], FM_BIND, false);
	free(root);
	if (r < 0) {
		facet_error(fs->f, "cannot open the root: %s", strerror(-r));
		return r;
	}
	for (o = opts; o; o = o->next)
		if (o->kind != 'r' && (r = files_mount_opt(fs, o)) < 0)
			return r;
	return 0;
}

/**
 * files_default_cwd() - where the first guest starts
 * @fs:		module state
 * Return: 0 or -errno (message printed)
 */
static int files_default_cwd(struct files *fs)
{
	char buf[PATH_MAX];

	if (fs->cwd)
		return 0;
	if (fs->root_given || !getcwd(buf, sizeof(buf)))
		strcpy(buf, "/");
	/* a sandbox starts where facet was if it shows that, else at / */
	if (fs->sandbox && strcmp(buf, "/")) {
		struct fproc p = { .view = fs->view, .cwd = (char *)"/",
				   .root = (char *)"/", .pidfd = -1, .cwdfd = -1 };
		struct facet_call call = { .tid = 0 };
		struct fres r = { .fd = -1 };

		if (res_resolve(fs, &p, &call, AT_FDCWD, buf, RES_FOLLOW, &r) < 0)
			strcpy(buf, "/");
		else
			res_release(&r);
	}
	fs->cwd = strdup(buf);
	return fs->cwd ? 0 : -ENOMEM;
}

/**
 * files_check_cwd() - the start directory must exist in the view
 * @fs:		module state
 * Return: 0 or -errno (message printed)
 */
static int files_check_cwd(struct files *fs)
{
	struct fproc p = { .view = fs->view, .cwd = (char *)"/",
			   .root = (char *)"/", .pidfd = -1, .cwdfd = -1 };
	struct facet_call call = { .tid = 0 };
	struct fres r = { .fd = -1 };
	struct stat st;
	int e = res_resolve(fs, &p, &call, AT_FDCWD, fs->cwd,
			    RES_FOLLOW | RES_CANON, &r);

	if (!e && (fstat(r.fd, &st) < 0 || !S_ISDIR(st.st_mode)))
		e = -ENOTDIR;
	if (e < 0) {
		facet_error(fs->f, "working directory %s: %s", fs->cwd, strerror(-e));
		return e;
	}
	free(fs->cwd);
	fs->cwd = strdup(r.guest);
	res_release(&r);
	return fs->cwd ? 0 : -ENOMEM;
}

static void tmp_cleanup(struct files *fs);

/**
 * hosts_names() - does a line of /etc/hosts give @name to an address?
 * @line:	the line
 * @name:	the name
 * Return: true if so
 */
static bool hosts_names(const char *line, const char *name)
{
	char buf[1024], *tok, *save = NULL;
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	buf[strcspn(buf, "#")] = 0;
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), i++)
		if (i && !strcmp(tok, name))
			return true;
	return false;
}

/**
 * files_hosts() - with --hostname NAME, the view's /etc/hosts names NAME
 *		   too (127.0.1.1, as Debian's installer writes it), so that
 *		   the name resolves as a machine's own name does: a private
 *		   copy of the file the view shows, bound over it
 * @fs:		module state
 * Return: 0 or -errno (message printed)
 *
 * Nothing changes where the file already names it, or where the view
 * shows no plain /etc/hosts (a hidden one, an image's).
 */
static int files_hosts(struct files *fs)
{
	char host[PATH_MAX], copy[PATH_MAX], line[1024];
	struct fmount *m;
	const char *rest;
	bool named = false;
	FILE *in, *out;
	int r;

	if (!fs->hosts_name)
		return 0;
	m = fview_under(fs->view, "/etc/hosts", &rest);
	while (*rest == '/')
		rest++;
	if (!m || m->kind != FM_BIND || !m->host ||
	    snprintf(host, sizeof(host), "%s%s%s", m->host,
		     *rest && m->host[m->hlen - 1] != '/' ? "/" : "", rest) >= (int)sizeof(host) ||
	    !(in = fopen(host, "re")))
		return 0;
	snprintf(copy, sizeof(copy), "%s/hosts", fs->tmpdir);
	if (!(out = fopen(copy, "we"))) {
		fclose(in);
		facet_error(fs->f, "cannot make %s: %s", copy, strerror(errno));
		return -EIO;
	}
	while (fgets(line, sizeof(line), in)) {
		named = named || hosts_names(line, fs->hosts_name);
		fputs(line, out);
	}
	fclose(in);
	if (!named)
		fprintf(out, "127.0.1.1\t%s\n", fs->hosts_name);
	if (fclose(out) != 0 || named) {
		unlink(copy);
		return 0;
	}
	chmod(copy, 0644);
	if ((r = fview_add(fs->view, "/etc/hosts", copy, FM_BIND, false)) < 0)
		facet_error(fs->f, "cannot show %s as /etc/hosts: %s", copy, strerror(-r));
	return r;
}

/**
 * files_resolv() - with --net nat, the view's /etc/resolv.conf names the
 *		    DNS forwarder: a private file bound over it
 * @fs:		module state
 * Return: 0 or -errno (message printed)
 */
static int files_resolv(struct files *fs)
{
	char copy[PATH_MAX];
	FILE *out;
	int r;

	if (!fs->resolv_conf)
		return 0;
	snprintf(copy, sizeof(copy), "%s/resolv.conf", fs->tmpdir);
	if (!(out = fopen(copy, "we")) || fputs(fs->resolv_conf, out) < 0 ||
	    fclose(out) != 0) {
		facet_error(fs->f, "cannot make %s: %s", copy, strerror(errno));
		return -EIO;
	}
	chmod(copy, 0644);
	if ((r = fview_add(fs->view, "/etc/resolv.conf", copy, FM_BIND, false)) < 0)
		facet_error(fs->f, "cannot show %s as /etc/resolv.conf: %s", copy,
			    strerror(-r));
	return r;
}

/**
 * files_init() - build the view, trap the path syscalls
 * @f:		supervisor context
 * @state:	struct files_state
 * Return: 0 or -errno (message printed)
 */
static int files_init(struct facet *f, void *state)
{
	struct files_state *st = state;
	struct files *fs = &st->fs;
	struct files_opt *o, *n;
	int r;

	(void)f;
	r = files_build(fs, st->opts);
	for (o = st->opts; o; o = n) {
		n = o->next;
		free(o->src);
		free(o->dst);
		free(o->type);
		free(o->opts);
		free(o);
	}
	st->opts = NULL;
	if (r < 0 || (r = files_default_cwd(fs)) < 0 ||
	    (r = files_check_cwd(fs)) < 0 || (r = files_private_dir(fs)) < 0 ||
	    (r = fview_add(fs->view, fs->tmpdir, NULL, FM_HIDE, false)) < 0) {
		img_fini(fs);		/* no fini() follows a failed init() */
		tmp_cleanup(fs);
		return r;
	}
	fview_at(fs->view, fs->tmpdir)->quiet = true;
	if ((r = files_hosts(fs)) < 0 || (r = files_resolv(fs)) < 0 ||
	    (r = files_trap_all(fs)) < 0 ||
	    (r = fence_build(fs)) < 0) {
		img_fini(fs);
		tmp_cleanup(fs);
	}
	return r;
}

/**
 * tmp_remove() - remove @name and all below it
 * @dfd:	directory it is in, or AT_FDCWD
 * @name:	entry
 * @depth:	how deep this is (a guard against a tree too deep)
 *
 * An image's cache has directories with the image's modes, read-only ones
 * too, which an unprivileged facet could not empty: each directory of ours
 * is made rwx for its owner before it is read and emptied.  Symlinks are
 * removed, never followed.
 */
static void tmp_remove(int dfd, const char *name, int depth)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(dfd, name, 0);
		return;
	}
	if (depth > 256)
		return;
	if ((st.st_mode & 0700) != 0700 && st.st_uid == geteuid())
		fchmodat(dfd, name, (st.st_mode & 07777) | 0700, 0);
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (d = fdopendir(fd))) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			/* what the listing says is no directory goes at once
			 * (an image's cache: a stat less for each file) */
			if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN &&
			    !unlinkat(dirfd(d), e->d_name, 0))
				continue;
			tmp_remove(dirfd(d), e->d_name, depth + 1);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/**
 * tmp_cleanup() - remove the private directory (tmpfs mounts, image caches)
 * @fs:		module state
 */
static void tmp_cleanup(struct files *fs)
{
	if (fs->tmpdir) {
		tmp_remove(AT_FDCWD, fs->tmpdir, 0);
		free(fs->tmpdir);
		fs->tmpdir = NULL;
	}
}

/**
 * files_fini() - the end: remove the tmpfs directories
 * @state:	struct files_state
 */
static void files_fini(void *state)
{
	struct files_state *st = state;

	img_fini(&st->fs);
	tmp_cleanup(&st->fs);
	fview_put(st->fs.view);
	fence_free(&st->fs);
	free(st->fs.cwd);
	free(st->fs.hosts_name);
	free(st->fs.resolv_conf);
	files_procnet_free(&st->fs);
	free(st->fs.unames);
	free(st);
}

/**
 * fproc_new() - process state, a copy of @from or the first guest's
 * @fs:		module state
 * @from:	process to copy, or NULL
 * Return: the state, or NULL if out of memory
 */
static struct fproc *fproc_new(struct files *fs, const struct fproc *from)
{
	struct fproc *p = calloc(1, sizeof(*p));
	mode_t um;

	if (!p)
		return NULL;
	p->refs = 1;
	p->pidfd = p->cwdfd = -1;
	fdir_init(p);
	if (from) {
		p->view = from->view;
		p->cwd = strdup(from->cwd);
		p->root = strdup(from->root);
		p->umask = from->umask;
		p->exe = from->exe ? strdup(from->exe) : NULL;
		p->interp = from->interp ? strdup(from->interp) : NULL;
	} else {
		p->view = fs->view;
		p->cwd = strdup(fs->cwd);
		p->root = strdup("/");
		um = umask(022);
		umask(um);
		p->umask = um;
	}
	p->view->refs++;
	if (!p->cwd || !p->root) {
		free(p->cwd);
		free(p->root);
		fview_put(p->view);
		free(p);
		return NULL;
	}
	return p;
}

/**
 * fproc_put() - drop a reference to process state
 * @p:	the state, or NULL
 */
static void fproc_put(struct fproc *p)
{
	if (!p || --p->refs)
		return;
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->cwdfd >= 0)
		close(p->cwdfd);
	fdir_flush(p);
	fview_put(p->view);
	free(p->cwd);
	free(p->root);
	free(p->exe);
	free(p->interp);
	free(p);
}

/**
 * files_task_proc() - the state of a task, made if it has none yet
 * @fs:		module state
 * @t:		the task
 * Return: the state, or NULL if out of memory
 */
static struct fproc *files_task_proc(struct files *fs, struct facet_task *t)
{
	void **slot = facet_task_data(fs->f, t);

	if (!slot)
		return NULL;
	if (!*slot)
		*slot = fproc_new(fs, NULL);
	return *slot;
}

/**
 * files_proc() - the calling process's state
 * @fs:		module state
 * @call:	the call
 * Return: the state, or NULL if out of memory
 */
struct fproc *files_proc(struct files *fs, struct facet_call *call)
{
	return files_task_proc(fs, call->task);
}

/**
 * files_proc_of() - the state of guest process @tid
 * @fs:		module state
 * @tid:	a thread or process id
 * Return: the state, or NULL if @tid is no guest's
 */
struct fproc *files_proc_of(struct files *fs, pid_t tid)
{
	struct facet_task *t = facet_task_find(fs->f, tid);

	return t ? files_task_proc(fs, t) : NULL;
}

/**
 * files_pidfd() - a pidfd for the process, kept for next time
 * @p:		process state
 * @tgid:	its pid
 * Return: the pidfd, or -errno
 */
int files_pidfd(struct fproc *p, pid_t tgid)
{
	if (p->pidfd < 0)
		p->pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	return p->pidfd < 0 ? -errno : p->pidfd;
}

/**
 * files_task_new() - a child shares (thread) or copies (process) the state
 * @state:	struct files_state
 * @parent:	creator
 * @child:	new task
 */
static void files_task_new(void *state, struct facet_task *parent,
			   struct facet_task *child)
{
	struct files *fs = &((struct files_state *)state)->fs;
	struct fproc *pp = files_task_proc(fs, parent);
	void **slot = facet_task_data(fs->f, child);

	if (!pp || !slot)
		return;
	fproc_put(*slot);
	if (facet_task_tgid(child) == facet_task_tgid(parent)) {
		pp->refs++;
		*slot = pp;
	} else {
		*slot = fproc_new(fs, pp);
	}
}

/**
 * files_task_exit() - a task is gone
 * @state:	struct files_state
 * @t:		the task
 */
static void files_task_exit(void *state, struct facet_task *t)
{
	struct files *fs = &((struct files_state *)state)->fs;
	void **slot = facet_task_data(fs->f, t);

	if (slot) {
		fproc_put(*slot);
		*slot = NULL;
	}
	/* the first guest is gone: daemons guests left serving their mounts
	 * are unmounted, so that they end (facet waits for every guest) */
	if (facet_task_tid(t) == facet_first_guest(fs->f))
		img_detach_later(fs);
}

/**
 * files_syscall() - a trapped call
 * @state:	struct files_state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome files_syscall(void *state, struct facet_call *call)
{
	struct files *fs = &((struct files_state *)state)->fs;
	struct fproc *p = files_proc(fs, call);

	if (!p) {
		call->error = ENOMEM;
		return FACET_REPLY;
	}
	if (call->nr == __NR_execve || call->nr == __NR_execveat)
		return files_exec(fs, p, call);
	return files_handle(fs, call);
}

/**
 * files_resolve() - facet_resolve() for the view's file tree
 * @state:	struct files_state
 * @call:	the call
 * @dirfd:	guest's dirfd or AT_FDCWD
 * @path:	the path
 * @flags:	FACET_RES_*
 * Return: an O_PATH fd, or -errno
 */
static int files_resolve(void *state, struct facet_call *call, int dirfd,
			 const char *path, int flags)
{
	struct files *fs = &((struct files_state *)state)->fs;

	return files_resolve_host(fs, call, dirfd, path, flags);
}

/**
 * files_ctl_call() - facet-mount, facet-umount (files_ctl.c)
 * @state:	module state
 * @call:	the control call
 * @op:		FACET_CTL_*
 * Return: outcome
 */
static enum facet_outcome files_ctl_call(void *state, struct facet_call *call,
					 unsigned int op)
{
	return files_ctl(&((struct files_state *)state)->fs, call, op);
}

/**
 * files_status_lines() - facet-ctl status (files_ctl.c)
 * @state:	module state
 * @call:	the control call
 * @out:	where to
 */
static void files_status_lines(void *state, struct facet_call *call, FILE *out)
{
	files_status(&((struct files_state *)state)->fs, call, out);
}

const struct facet_module files_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "files",
	.summary = "a file tree of the view's own: binds, hidden paths, a root",
	.options = files_options,
	.option = files_option,
	.init = files_init,
	.fini = files_fini,
	.syscall = files_syscall,
	.task_new = files_task_new,
	.task_exit = files_task_exit,
	.resolve = files_resolve,
	.ctl = files_ctl_call,
	.status = files_status_lines,
};
