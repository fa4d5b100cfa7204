// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ident.c - the identity module's records and their database file */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../modules/ident_internal.h"
#include "unit.h"

static char dir[] = "/tmp/facet-unit-ident.XXXXXX";
static char db[sizeof(dir) + 8];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/db", dir);
}

static void teardown(void)
{
	unlink(db);
	rmdir(dir);
	strcpy(dir + sizeof(dir) - 7, "XXXXXX");
}

/* open the database, with no error expected */
static void open_ok(struct owners *o)
{
	char err[256] = "";

	memset(o, 0, sizeof(*o));
	ck_assert_msg(owners_open(o, db, err, sizeof(err)) == 0, "%s", err);
}

/* put a record and two attributes of inode 10, and a record of inode 11 */
static void fill(struct owners *o)
{
	struct rec r = { .dev = 1, .ino = 10, .btime_sec = 5, .what = REC_UID,
			 .uid = 123 };
	char big[300];
	struct xrec x = { .dev = 1, .ino = 10, .btime_sec = 5,
			  .name = "security.capability", .value = "\1\0\0\2",
			  .len = 4 };

	ck_assert_int_eq(owners_put(o, &r), 0);
	r.ino = 11;
	r.uid = 7;
	ck_assert_int_eq(owners_put(o, &r), 0);
	ck_assert_int_eq(owners_xput(o, &x), 0);
	memset(big, 'b', sizeof(big));
	x.name = "trusted.big";
	x.value = big;
	x.len = sizeof(big);
	ck_assert_int_eq(owners_xput(o, &x), 0);
}

START_TEST(test_round_trip)
{
	const struct xrec *x;
	struct owners o;

	open_ok(&o);
	fill(&o);
	owners_close(&o);
	open_ok(&o);
	ck_assert_uint_eq(owners_get(&o, 1, 10)->uid, 123);
	ck_assert_uint_eq(owners_get(&o, 1, 11)->uid, 7);
	x = owners_xget(&o, 1, 10, "security.capability");
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->len, 4);
	ck_assert_mem_eq(x->value, "\1\0\0\2", 4);
	x = owners_xget(&o, 1, 10, "trusted.big");
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->len, 300);
	ck_assert_int_eq(((char *)x->value)[299], 'b');
	ck_assert_int_eq(x->btime_sec, 5);
	ck_assert_ptr_null(owners_xget(&o, 1, 11, NULL));
	owners_close(&o);
}
END_TEST

START_TEST(test_drop)
{
	struct owners o;

	open_ok(&o);
	fill(&o);
	/* the log keeps the deletions until the next rewrite */
	ck_assert_int_eq(owners_xdrop(&o, 1, 10, "trusted.big"), 0);
	ck_assert_int_eq(owners_drop(&o, 1, 11), 0);
	ck_assert_int_eq(owners_xput(&o, &(struct xrec){ .dev = 1, .ino = 12,
		.name = "trusted.a", .value = "v", .len = 1 }), 0);
	ck_assert_int_eq(owners_drop(&o, 1, 12), 0);	/* attributes too */
	/* a crash: the file is the log as appended */
	close(o.fd);
	o.fd = -1;
	free(o.path);
	o.path = NULL;
	owners_close(&o);
	open_ok(&o);
	ck_assert_ptr_nonnull(owners_xget(&o, 1, 10, "security.capability"));
	ck_assert_ptr_null(owners_xget(&o, 1, 10, "trusted.big"));
	ck_assert_ptr_null(owners_get(&o, 1, 11));
	ck_assert_ptr_null(owners_xget(&o, 1, 12, NULL));
	ck_assert_uint_eq(o.nx, 1);
	owners_close(&o);
}
END_TEST

START_TEST(test_torn_attribute)
{
	char err[256] = "";
	struct owners o;
	struct stat st;

	open_ok(&o);
	fill(&o);
	owners_close(&o);
	/* the last record is trusted.big: cut into its units */
	ck_assert_int_eq(stat(db, &st), 0);
	ck_assert_int_eq(truncate(db, st.st_size - 30), 0);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(owners_open(&o, db, err, sizeof(err)), 0);
	ck_assert_ptr_null(owners_xget(&o, 1, 10, "trusted.big"));
	ck_assert_ptr_nonnull(owners_xget(&o, 1, 10, "security.capability"));
	owners_close(&o);
}
END_TEST

START_TEST(test_damaged_attribute)
{
	char err[256] = "";
	struct owners o;
	int fd;

	open_ok(&o);
	fill(&o);
	owners_close(&o);
	/* records: header 16, two of 56, then the capability's head and one
	 * unit: damage that unit, which a crash cannot have torn */
	fd = open(db, O_WRONLY | O_CLOEXEC);
	ck_assert_int_eq(pwrite(fd, "XX", 2, 16 + 3 * 56 + 4), 2);
	close(fd);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(owners_open(&o, db, err, sizeof(err)), -EBADMSG);
	ck_assert_msg(strstr(err, "damaged at byte"), "%s", err);
	owners_close(&o);
}
END_TEST

Suite *suite_ident(void)
{
	Suite *s = suite_create("ident");
	TCase *t = tcase_create("db");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_round_trip);
	tcase_add_test(t, test_drop);
	tcase_add_test(t, test_torn_attribute);
	tcase_add_test(t, test_damaged_attribute);
	suite_add_tcase(s, t);
	return s;
}
