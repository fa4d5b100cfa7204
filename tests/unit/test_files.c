// SPDX-License-Identifier: GPL-2.0-or-later
/* test_files.c - the files module's mount table and path helpers */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../modules/files_internal.h"
#include "unit.h"

static const struct { const char *in, *out; } normalize_cases[] = {
	{ "/", "/" },
	{ "//", "/" },
	{ "/a//b/", "/a/b" },
	{ "/a/./b/.", "/a/b" },
	{ "/a/b/../c", "/a/c" },
	{ "/../..", "/" },
	{ "/a/../../b", "/b" },
	{ "/.hidden/..x", "/.hidden/..x" },
};

START_TEST(test_normalize)
{
	char out[PATH_MAX];

	ck_assert_int_eq(path_normalize(normalize_cases[_i].in, out, sizeof(out)), 0);
	ck_assert_str_eq(out, normalize_cases[_i].out);
}
END_TEST

START_TEST(test_normalize_errors)
{
	char out[8];

	ck_assert_int_eq(path_normalize("relative", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(path_normalize("/a/very/long/path", out, sizeof(out)),
			 -ENAMETOOLONG);
}
END_TEST

START_TEST(test_join)
{
	char out[PATH_MAX];

	path_join(out, sizeof(out), "/", "a");
	ck_assert_str_eq(out, "/a");
	path_join(out, sizeof(out), "/a", "b/c");
	ck_assert_str_eq(out, "/a/b/c");
	path_join(out, sizeof(out), "/a", "");
	ck_assert_str_eq(out, "/a");
	path_join(out, sizeof(out), "", "");
	ck_assert_str_eq(out, "/");
	ck_assert_int_eq(path_join(out, 4, "/abc", "d"), -ENAMETOOLONG);
}
END_TEST

/* a view like "-b /usr:/work -b /usr/share:/work/share --hide /etc/shadow" */
static struct fview *sample_view(void)
{
	struct fview *v = fview_new();

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(fview_add(v, "/", "/", FM_BIND, false), 0);
	ck_assert_int_eq(fview_add(v, "/work", "/usr", FM_BIND, true), 0);
	ck_assert_int_eq(fview_add(v, "/work/share", "/usr/share", FM_BIND, false), 0);
	ck_assert_int_eq(fview_add(v, "/etc/shadow", NULL, FM_HIDE, false), 0);
	return v;
}

START_TEST(test_view_under)
{
	struct fview *v = sample_view();
	const char *rest;
	struct fmount *m;

	m = fview_under(v, "/work/share/doc", &rest);
	ck_assert_str_eq(m->guest, "/work/share");
	ck_assert_str_eq(rest, "doc");
	m = fview_under(v, "/work", &rest);
	ck_assert_str_eq(m->guest, "/work");
	ck_assert_str_eq(rest, "");
	ck_assert(m->ro && m->nested);
	m = fview_under(v, "/workshop", &rest);
	ck_assert_str_eq(m->guest, "/");
	ck_assert_str_eq(rest, "workshop");
	m = fview_under(v, "/etc/shadow", &rest);
	ck_assert_int_eq(m->kind, FM_HIDE);
	ck_assert_ptr_null(fview_at(v, "/etc"));
	ck_assert_ptr_nonnull(fview_at(v, "/work/share"));
	fview_put(v);
}
END_TEST

START_TEST(test_view_shadowed)
{
	struct fview *v = sample_view();
	const char *rest;
	struct fmount *root = fview_under(v, "/x", &rest);

	ck_assert(root->nested && root->proc);
	ck_assert(fview_shadowed(v, root, "/work/x"));
	ck_assert(fview_shadowed(v, root, "/etc/shadow"));
	ck_assert(!fview_shadowed(v, root, "/etc/shadow2"));
	ck_assert(!fview_shadowed(v, root, "/etc"));
	fview_put(v);
}
END_TEST

START_TEST(test_view_to_guest)
{
	struct fview *v = sample_view();
	char g[PATH_MAX];

	/* the longest host path wins: /usr/share/doc is /work/share/doc */
	ck_assert_int_eq(fview_to_guest(v, "/usr/share/doc", g, sizeof(g)), 0);
	ck_assert_str_eq(g, "/work/share/doc");
	ck_assert_int_eq(fview_to_guest(v, "/usr/bin", g, sizeof(g)), 0);
	ck_assert_str_eq(g, "/work/bin");
	ck_assert_int_eq(fview_to_guest(v, "/tmp", g, sizeof(g)), 0);
	ck_assert_str_eq(g, "/tmp");
	fview_put(v);
}
END_TEST

START_TEST(test_view_root_only)
{
	struct fview *v = fview_new(), *c;
	char g[PATH_MAX];

	ck_assert_int_eq(fview_add(v, "/", "/tmp", FM_BIND, false), 0);
	/* outside the root folder: the view does not show it */
	ck_assert_int_eq(fview_to_guest(v, "/etc/passwd", g, sizeof(g)), -ENOENT);
	ck_assert_int_eq(fview_to_guest(v, "/tmp/a", g, sizeof(g)), 0);
	ck_assert_str_eq(g, "/a");
	c = fview_copy(v);
	ck_assert_int_eq(fview_add(c, "/x", "/etc", FM_BIND, false), 0);
	ck_assert_int_eq(c->n, 2);
	ck_assert_int_eq(v->n, 1);
	ck_assert_int_eq(fview_add(c, "/y", "/nonexistent-facet", FM_BIND, false), -ENOENT);
	fview_put(c);
	fview_put(v);
}
END_TEST

START_TEST(test_view_plain)
{
	struct fview *v = sample_view();
	struct fmount *root, *work, *share;
	const char *rest;

	root = fview_under(v, "/tmp", &rest);
	work = fview_under(v, "/work/bin", &rest);
	share = fview_under(v, "/work/share/doc", &rest);
	/* the kernel may walk below a directory nothing of the view is in */
	ck_assert(fdir_plain(v, root, "/tmp"));
	ck_assert(fdir_plain(v, work, "/work/bin"));
	ck_assert(fdir_plain(v, share, "/work/share/doc"));
	ck_assert(fdir_plain(v, share, "/work/share"));
	/* another mount, a hide, or the host's /proc below or above it */
	ck_assert(!fdir_plain(v, root, "/"));
	ck_assert(!fdir_plain(v, work, "/work"));
	ck_assert(!fdir_plain(v, root, "/etc"));
	ck_assert(!fdir_plain(v, root, "/proc"));
	ck_assert(!fdir_plain(v, root, "/proc/self"));
	ck_assert(fdir_plain(v, root, "/procfs"));
	ck_assert(!fdir_plain(v, fview_under(v, "/etc/shadow", &rest), "/etc/shadow"));
	fview_put(v);
}
END_TEST

START_TEST(test_fence_covers)
{
	char *roots[] = { strdup("/usr"), strdup("/etc/x") };
	struct files fs = { .fence = true, .fence_roots = roots, .nfence = 2 };

	ck_assert(fence_covers(&fs, "/usr"));
	ck_assert(fence_covers(&fs, "/usr/share/doc"));
	ck_assert(fence_covers(&fs, "/etc/x/y"));
	ck_assert(!fence_covers(&fs, "/usrx"));
	ck_assert(!fence_covers(&fs, "/etc"));
	ck_assert(!fence_covers(&fs, "/"));
	fs.fence = false;	/* no domain: nothing is granted */
	ck_assert(!fence_covers(&fs, "/usr/share"));
	free(roots[0]);
	free(roots[1]);
}
END_TEST

/**
 * procnet_try() - open @path as the guest would, through files_procnet_open()
 * @fs:		module state
 * @path:	a host path
 * @flags:	open flags
 * @text:	set to what the copy holds ("" if none was given)
 * @size:	its room
 * Return: files_procnet_open()'s
 */
static int procnet_try(struct files *fs, const char *path, int flags,
		       char *text, size_t size)
{
	int fd = open(path, O_PATH | O_CLOEXEC), copy = -1, r;
	ssize_t n = 0;

	ck_assert_int_ge(fd, 0);
	r = files_procnet_open(fs, fd, flags, &copy);
	close(fd);
	if (!r) {
		n = read(copy, text, size - 1);
		ck_assert_int_ge(n, 0);
		close(copy);
	}
	text[n] = 0;
	return r;
}

/* The /proc/net files the net module gives, by each of their names */
START_TEST(test_procnet)
{
	struct files fs = { 0 };
	char text[64];

	ck_assert(!files_procnet_named(&fs, "dev"));
	ck_assert_int_eq(procnet_try(&fs, "/proc/self/net/dev", O_RDONLY, text,
				     sizeof(text)), 1);
	ck_assert_int_eq(files_procnet_add(&fs, "dev\nold\n"), 0);
	ck_assert_int_eq(files_procnet_add(&fs, "dev\nview dev\n"), 0);
	ck_assert_int_eq(files_procnet_add(&fs, "lo\nnot here\n"), 0);
	ck_assert_int_eq(files_procnet_add(&fs, "anycast6\n"), 0);
	ck_assert_int_eq(files_procnet_add(&fs, "no newline"), -EINVAL);
	ck_assert_int_eq(files_procnet_add(&fs, "\nno name"), -EINVAL);
	ck_assert_int_eq(files_procnet_add(&fs, "a/b\nslash"), -EINVAL);
	ck_assert(files_procnet_named(&fs, "dev"));
	ck_assert(!files_procnet_named(&fs, "tcp"));

	ck_assert_int_eq(procnet_try(&fs, "/proc/net/dev", O_RDONLY, text,
				     sizeof(text)), 0);
	ck_assert_str_eq(text, "view dev\n");
	ck_assert_int_eq(procnet_try(&fs, "/proc/thread-self/net/dev",
				     O_RDONLY | O_CLOEXEC, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "view dev\n");
	ck_assert_int_eq(procnet_try(&fs, "/proc/1/net/anycast6", O_RDONLY, text,
				     sizeof(text)), 0);
	ck_assert_str_eq(text, "");
	/* the kernel's: other files, other opens, other places */
	ck_assert_int_eq(procnet_try(&fs, "/proc/self/net/tcp", O_RDONLY, text,
				     sizeof(text)), 1);
	ck_assert_int_eq(procnet_try(&fs, "/proc/self/net/dev", O_WRONLY, text,
				     sizeof(text)), 1);
	ck_assert_int_eq(procnet_try(&fs, "/proc/self/net/dev", O_RDONLY | O_PATH,
				     text, sizeof(text)), 1);
	if (!access("/proc/self/net/dev_snmp6/lo", F_OK))
		ck_assert_int_eq(procnet_try(&fs, "/proc/self/net/dev_snmp6/lo",
					     O_RDONLY, text, sizeof(text)), 1);
	ck_assert_int_eq(procnet_try(&fs, "/proc/self/status", O_RDONLY, text,
				     sizeof(text)), 1);
	ck_assert_int_eq(procnet_try(&fs, "/", O_RDONLY, text, sizeof(text)), 1);
	files_procnet_free(&fs);
	ck_assert_ptr_null(fs.procnet);
}
END_TEST

/* a sandbox's abstract AF_UNIX names: prefixed on the way in, the prefix
 * taken off on the way out, kept once only */
START_TEST(test_unix_abstract)
{
	struct sockaddr_un h, again;
	socklen_t hl, al;
	char want[64];
	int pl = snprintf(want, sizeof(want), "facet-%d/", (int)getpid());

	ck_assert_int_eq(unix_abstract("bus", 3, &h, &hl), 0);
	ck_assert_int_eq(h.sun_path[0], 0);
	ck_assert_int_eq(memcmp(h.sun_path + 1, want, (size_t)pl), 0);
	ck_assert_int_eq(memcmp(h.sun_path + 1 + pl, "bus", 3), 0);
	ck_assert_uint_eq(hl, offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)pl + 3);
	/* a name carrying the prefix already (a received source address) */
	ck_assert_int_eq(unix_abstract(h.sun_path + 1, hl - offsetof(struct sockaddr_un, sun_path) - 1,
				       &again, &al), 0);
	ck_assert_uint_eq(al, hl);
	ck_assert_int_eq(memcmp(&again, &h, hl), 0);
	ck_assert(unix_strip(&h, &hl));
	ck_assert_uint_eq(hl, offsetof(struct sockaddr_un, sun_path) + 1 + 3);
	ck_assert_int_eq(memcmp(h.sun_path, "\0bus", 4), 0);
	ck_assert(!unix_strip(&h, &hl));	/* not the sandbox's */
	/* too long with the prefix: EINVAL, as the kernel for a long name */
	memset(want, 'x', sizeof(want));
	ck_assert_int_eq(unix_abstract(want, sizeof(h.sun_path) - 1, &h, &hl), -EINVAL);
}
END_TEST

Suite *suite_files(void)
{
	Suite *s = suite_create("files");
	TCase *t = tcase_create("paths");

	tcase_add_loop_test(t, test_normalize, 0,
			    sizeof(normalize_cases) / sizeof(normalize_cases[0]));
	tcase_add_test(t, test_normalize_errors);
	tcase_add_test(t, test_join);
	suite_add_tcase(s, t);
	t = tcase_create("view");
	tcase_add_test(t, test_view_under);
	tcase_add_test(t, test_view_shadowed);
	tcase_add_test(t, test_view_to_guest);
	tcase_add_test(t, test_view_root_only);
	tcase_add_test(t, test_view_plain);
	tcase_add_test(t, test_fence_covers);
	suite_add_tcase(s, t);
	t = tcase_create("procnet");
	tcase_add_test(t, test_procnet);
	suite_add_tcase(s, t);
	t = tcase_create("unix");
	tcase_add_test(t, test_unix_abstract);
	suite_add_tcase(s, t);
	return s;
}
