// SPDX-License-Identifier: GPL-2.0-or-later
/* test_overlay.c - the overlay's layers: lookup, copy-up, listing */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../../modules/files_internal.h"
#include "unit.h"

static char base[PATH_MAX], lower[PATH_MAX + 8], upper[PATH_MAX + 8];
static struct fview *view;

/* put - a file with content at base/REL */
static void put(const char *rel, const char *text)
{
	char p[PATH_MAX * 2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* dir - a directory at base/REL */
static void dir(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/facet-unit-ovl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(lower, sizeof(lower), "%s/low", base);
	snprintf(upper, sizeof(upper), "%s/up", base);
	dir("low");
	dir("up");
	dir("low/d");
	dir("low/d/e");
	put("low/a", "lower a\n");
	put("low/d/f", "lower f\n");
	put("low/d/e/g", "g\n");
	view = fview_new();
	ck_assert_ptr_nonnull(view);
	ck_assert_int_eq(fview_add(view, "/", "/", FM_BIND, false), 0);
	ck_assert_int_eq(fview_add_overlay(view, "/o", lower, upper), 0);
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	fview_put(view);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	ck_assert_int_eq(system(cmd), 0);
}

/* names - the merged listing of REL as "n1 n2 ..." sorted, without . and .. */
static void names(const char *rel, char *out, size_t size)
{
	struct ovl_pos d;
	struct ovl_list l;
	char *v[64];
	size_t i, n = 0;

	ck_assert_int_eq(ovl_lookup(fview_at(view, "/o"), rel, &d, NULL), 0);
	ck_assert_int_eq(ovl_list(&d, &l), 0);
	ovl_pos_close(&d);
	for (i = 0; i < l.n && n < 64; i++)
		if (strcmp(l.v[i].name, ".") && strcmp(l.v[i].name, ".."))
			v[n++] = l.v[i].name;
	for (i = 1; i < n; i++) {	/* insertion sort: a handful of names */
		char *t = v[i];
		size_t j = i;

		for (; j > 0 && strcmp(v[j - 1], t) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	out[0] = 0;
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", v[i]);
	ovl_list_free(&l);
}

START_TEST(test_lookup_layers)
{
	struct fmount *m = fview_at(view, "/o");
	struct ovl_pos o;

	ck_assert_int_eq(ovl_lookup(m, "d/f", &o, NULL), 0);
	ck_assert(!o.up);
	ck_assert(o.below);
	ovl_pos_close(&o);
	put("up/a", "upper a\n");
	ck_assert_int_eq(ovl_lookup(m, "a", &o, NULL), 0);
	ck_assert(o.up);
	ck_assert(o.below);
	ovl_pos_close(&o);
	ck_assert_int_eq(ovl_lookup(m, "nothing", &o, NULL), -ENOENT);
	ck_assert_int_eq(ovl_lookup(m, "a/x", &o, NULL), -ENOTDIR);
}
END_TEST

START_TEST(test_copy_up_keeps)
{
	struct fmount *m = fview_at(view, "/o");
	struct timespec ts[2] = { { 1000000000, 5 }, { 1100000000, 7 } };
	char p[PATH_MAX * 2], buf[64];
	struct ovl_pos o;
	struct stat st;
	bool xattrs;
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/d/f", lower);
	ck_assert_int_eq(chmod(p, 0640), 0);
	xattrs = setxattr(p, "user.facet", "v", 1, 0) == 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
	snprintf(p, sizeof(p), "%s/d", lower);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);

	ck_assert_int_eq(ovl_copy_up(m, "d/f", false, &o), 0);
	ck_assert(o.up);
	ovl_pos_close(&o);
	snprintf(p, sizeof(p), "%s/d/f", upper);
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(st.st_mtim.tv_sec, 1100000000);
	ck_assert_int_eq(st.st_mtim.tv_nsec, 7);
	fd = open(p, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	ck_assert_str_eq(buf, "lower f\n");
	if (xattrs) {
		ck_assert_int_eq(getxattr(p, "user.facet", buf, sizeof(buf)), 1);
		ck_assert_int_eq(buf[0], 'v');
	}
	/* the directory copied on the way keeps its times though an entry
	 * was made in it */
	snprintf(p, sizeof(p), "%s/d", upper);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mtim.tv_sec, 1100000000);
	/* the lower is as it was */
	snprintf(p, sizeof(p), "%s/d/f", lower);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
}
END_TEST

START_TEST(test_copy_up_nodata)
{
	struct ovl_pos o;
	char p[PATH_MAX * 2];
	struct stat st;

	ck_assert_int_eq(ovl_copy_up(fview_at(view, "/o"), "a", true, &o), 0);
	ovl_pos_close(&o);
	snprintf(p, sizeof(p), "%s/a", upper);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
}
END_TEST

START_TEST(test_remove_whiteout)
{
	struct fmount *m = fview_at(view, "/o");
	char out[256], p[PATH_MAX * 2];
	struct ovl_pos o;
	struct stat st;

	ck_assert_int_eq(ovl_remove(m, "/o/d/f", false), 0);
	ck_assert_int_eq(ovl_lookup(m, "d/f", &o, NULL), -ENOENT);
	names("d", out, sizeof(out));
	ck_assert_str_eq(out, "e");
	snprintf(p, sizeof(p), "%s/d/f", upper);
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(ovl_whiteout_st(&st));
	ck_assert_int_eq(ovl_remove(m, "/o/d", true), -ENOTEMPTY);
	ck_assert_int_eq(ovl_remove(m, "/o/d/e", false), -EISDIR);
	ck_assert_int_eq(ovl_remove(m, "/o/d/e/g", true), -ENOTDIR);
	ck_assert_int_eq(ovl_remove(m, "/o/d/e/g", false), 0);
	ck_assert_int_eq(ovl_remove(m, "/o/d/e", true), 0);
	ck_assert_int_eq(ovl_remove(m, "/o/d", true), 0);
	names("", out, sizeof(out));
	ck_assert_str_eq(out, "a");
	/* the lower is as it was */
	snprintf(p, sizeof(p), "%s/d/e/g", lower);
	ck_assert_int_eq(stat(p, &st), 0);
}
END_TEST

START_TEST(test_merge_listing)
{
	char out[256];

	dir("up/d");
	put("up/d/new", "n");
	ck_assert_int_eq(mknod(strcat(strcpy(out, upper), "/d/f"), S_IFCHR, makedev(0, 0)), 0);
	names("d", out, sizeof(out));
	ck_assert_str_eq(out, "e new");
}
END_TEST

START_TEST(test_rename)
{
	struct fmount *m = fview_at(view, "/o");
	struct ovl_pos o;
	char out[256];

	ck_assert_int_eq(ovl_rename(m, "/o/d/f", "/o/moved", 0), 0);
	ck_assert_int_eq(ovl_lookup(m, "d/f", &o, NULL), -ENOENT);
	ck_assert_int_eq(ovl_lookup(m, "moved", &o, NULL), 0);
	ck_assert(o.up);
	ovl_pos_close(&o);
	/* a lower directory does not move (EXDEV: mv copies) */
	ck_assert_int_eq(ovl_rename(m, "/o/d", "/o/d2", 0), -EXDEV);
	ck_assert_int_eq(ovl_rename(m, "/o/a", "/o/moved", RENAME_NOREPLACE), -EEXIST);
	ck_assert_int_eq(ovl_rename(m, "/o/a", "/o/d/e", 0), -EISDIR);
	names("", out, sizeof(out));
	ck_assert_str_eq(out, "a d moved");
}
END_TEST

Suite *suite_overlay(void)
{
	Suite *s = suite_create("overlay");
	TCase *t = tcase_create("layers");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_lookup_layers);
	tcase_add_test(t, test_copy_up_keeps);
	tcase_add_test(t, test_copy_up_nodata);
	tcase_add_test(t, test_remove_whiteout);
	tcase_add_test(t, test_merge_listing);
	tcase_add_test(t, test_rename);
	suite_add_tcase(s, t);
	return s;
}
