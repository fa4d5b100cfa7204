// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_walk.c - the path resolver's walk over a real view
 * (modules/files_resolve.c: res_resolve()) on arbitrary paths
 *
 * The view, made once on a scratch tree full of awkward symlinks:
 *
 *	/	the tree's root/ (a root directory, as -r gives)
 *	/b	bound/, bound elsewhere (-b)
 *	/b/ro	ro/, read-only
 *	/ov	lower/ copy-on-write, changes in upper/ (--overlay)
 *	/a/hidden, /b/sub/gone	hidden (--hide)
 *
 * and outside/, which the view does not show (root/ holds symlinks to it
 * by its host path, and ones that climb out with "..").  Each hidden
 * directory has no other guest path (a hide hides a path, not an object).  The first input
 * byte picks the resolver's flags, the rest is the path.
 *
 * Whatever the path, the walk ends in one errno or in an object whose host
 * path is below a host directory of the view and below no hidden one; a
 * parent directory (RES_PARENT) likewise.  The guest path it reports is
 * absolute and normalized.  The sanitizers watch the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files_internal.h"
#include "supervisor.h"

static char top[PATH_MAX];
static struct facet fac = { .cur_mod = -1 };
static struct files fs;
static struct fproc proc;

/* mk() - make a directory, file or symlink below the scratch tree */
static void mk(char kind, const char *rel, const char *target)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (kind == 'd' && mkdir(p, 0755) < 0)
		abort();
	if (kind == 'l' && symlink(target, p) < 0)
		abort();
	if (kind == 'f') {
		if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
			abort();
		close(fd);
	}
}

/* rm_one() - nftw() callback of cleanup() */
static int rm_one(const char *p, const struct stat *st, int type, struct FTW *w)
{
	(void)st; (void)type; (void)w;
	remove(p);
	return 0;
}

/* cleanup() - remove the scratch tree at exit */
static void cleanup(void)
{
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* host() - a host directory of the tree, for the view */
static const char *host(const char *rel)
{
	static char p[8][PATH_MAX];
	static int i;

	snprintf(p[i & 7], sizeof(p[0]), "%s/%s", top, rel);
	return p[i++ & 7];
}

/* setup() - the tree and the view, once */
static void setup(void)
{
	static const char *dirs[] = { "root", "root/a", "root/a/hidden", "root/a/b",
		"root/b", "root/ov", "bound", "bound/sub", "bound/sub/gone", "lower",
		"lower/d", "upper", "outside", "outside/in", "ro", "ro/sub" };
	char out[PATH_MAX + 16];
	size_t i;

	snprintf(top, sizeof(top), "/tmp/facet-fuzz-walk.%d", getpid());
	if (mkdir(top, 0755) < 0)
		abort();
	atexit(cleanup);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mk('d', dirs[i], NULL);
	mk('f', "root/f", NULL);
	mk('f', "root/a/hidden/secret", NULL);
	mk('f', "bound/sub/gone/secret", NULL);
	mk('f', "outside/secret", NULL);
	mk('f', "lower/d/x", NULL);
	snprintf(out, sizeof(out), "%s/outside", top);
	mk('l', "root/abs", "/a/b");
	mk('l', "root/host", out);			/* the host path: not shown */
	mk('l', "root/up", "../../../../../..");
	mk('l', "root/loop1", "loop2");
	mk('l', "root/loop2", "loop1");
	mk('l', "root/a/b/back", "../..");
	mk('l', "root/a/toh", "hidden/secret");
	mk('l', "root/a/b/self", ".");
	mk('l', "bound/toroot", "/");
	mk('l', "bound/up", "..");
	mk('l', "bound/sub/gone2", "gone");
	mk('l', "bound/hid", "/a/hidden");
	mk('l', "lower/d/esc", "../../..");
	mk('l', "upper/out", out);
	mk('l', "ro/sub/gone", "../../b/sub/gone");
	if (!(fs.view = fview_new()) ||
	    fview_add(fs.view, "/", host("root"), FM_BIND, false) ||
	    fview_add(fs.view, "/b", host("bound"), FM_BIND, false) ||
	    fview_add(fs.view, "/b/ro", host("ro"), FM_BIND, true) ||
	    fview_add_overlay(fs.view, "/ov", host("lower"), host("upper")) ||
	    fview_add(fs.view, "/a/hidden", NULL, FM_HIDE, false) ||
	    fview_add(fs.view, "/b/sub/gone", NULL, FM_HIDE, false))
		abort();
	fs.f = &fac;
	fs.cwd = "/";
	proc.refs = 1;
	proc.view = fs.view;
	proc.cwd = strdup("/a");
	proc.root = strdup("/");
	proc.pidfd = proc.cwdfd = -1;
	fdir_init(&proc);
}

/* shown() - is host path @p one the view shows? */
static int shown(const char *p)
{
	static const char *const in[] = { "root", "bound", "lower", "upper", "ro" };
	static const char *const out[] = { "root/a/hidden", "bound/sub/gone", "outside" };
	char d[PATH_MAX];
	size_t i, l;
	int ok = 0;

	for (i = 0; i < 5; i++) {
		l = (size_t)snprintf(d, sizeof(d), "%s/%s", top, in[i]);
		ok |= !strncmp(p, d, l) && (!p[l] || p[l] == '/');
	}
	for (i = 0; i < 3; i++) {
		l = (size_t)snprintf(d, sizeof(d), "%s/%s", top, out[i]);
		if (!strncmp(p, d, l) && (!p[l] || p[l] == '/'))
			return 0;
	}
	return ok;
}

/* check_fd() - an fd the walk gave must be something the view shows */
static void check_fd(int fd)
{
	char p[PATH_MAX];

	if (fd >= 0 && (fd_host_path(fd, p, sizeof(p)) <= 0 || !shown(p))) {
		fprintf(stderr, "walk reached %s\n", p);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flags[] = { 0, RES_FOLLOW, RES_PARENT, RES_FOLLOW | RES_CANON,
				     RES_PARENT | RES_FOLLOW, RES_CANON };
	struct facet_call call = { .tid = getpid() };
	char path[PATH_MAX + 64];
	struct fres r;
	size_t n;
	int e;

	if (!fs.view)
		setup();
	if (size < 1)
		return 0;
	n = size - 1 < sizeof(path) - 1 ? size - 1 : sizeof(path) - 1;
	memcpy(path, data + 1, n);
	path[n] = 0;
	e = res_resolve(&fs, &proc, &call, AT_FDCWD, path,
			flags[data[0] % (sizeof(flags) / sizeof(flags[0]))], &r);
	if (e > 0 || e < -4095)
		abort();
	if (!e) {
		check_fd(r.fd);
		check_fd(r.dirfd);
		if (r.guest[0] && (r.guest[0] != '/' || strstr(r.guest, "//") ||
				   strstr(r.guest, "/../") || strstr(r.guest, "/./")))
			abort();
	}
	res_release(&r);
	return 0;
}
