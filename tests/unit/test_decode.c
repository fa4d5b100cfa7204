// SPDX-License-Identifier: GPL-2.0-or-later
/* test_decode.c - --trace's decoding of arguments and results */
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "decode.h"
#include "unit.h"

static const struct { char kind; uint64_t v; const char *text; } args[] = {
	{ 'o', O_RDONLY, "O_RDONLY" },
	{ 'o', O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC" },
	{ 'o', O_RDWR | O_CLOEXEC | 0100000, "O_RDWR|O_LARGEFILE|O_CLOEXEC" },
	{ 'o', O_RDONLY | 040000000000ull, "O_RDONLY|0x100000000" },
	{ 'o', O_TMPFILE | O_RDWR, "O_RDWR|O_TMPFILE" },
	{ 'a', AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH,
	  "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH" },
	{ 'a', 0, "0" },
	{ 'c', CLONE_VM | CLONE_VFORK | SIGCHLD, "SIGCHLD|CLONE_VM|CLONE_VFORK" },
	{ 'd', (uint64_t)(int64_t)AT_FDCWD, "AT_FDCWD" },
	{ 'd', 3, "3" },
	{ 'f', (uint64_t)-1, "-1" },
	{ 'm', 0755, "0755" },
	{ 'g', SIGTERM, "SIGTERM" },
	{ 'g', 0, "0" },
	{ 'u', 18446744073709551615ull, "18446744073709551615" },
	{ 'x', 0x7ffd1234, "0x7ffd1234" },
	{ 'p', 0, "NULL" },
};

START_TEST(test_args)
{
	char buf[256];

	decode_arg(buf, sizeof(buf), args[_i].kind, args[_i].v, getpid());
	ck_assert_str_eq(buf, args[_i].text);
}
END_TEST

START_TEST(test_string)
{
	char buf[256];
	const char *s = "a\"b\\c\n\x01";

	/* our own memory stands for the guest's */
	decode_arg(buf, sizeof(buf), 'p', (uint64_t)(uintptr_t)s, getpid());
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\x0a\\x01\"");
}
END_TEST

START_TEST(test_truncation)
{
	char buf[8];

	/* never past the buffer, always terminated */
	decode_flags(buf, sizeof(buf), O_WRONLY | O_CREAT | O_TRUNC, 'o');
	ck_assert_uint_lt(strlen(buf), sizeof(buf));
}
END_TEST

START_TEST(test_small_buffers)
{
	char buf[4];
	size_t n;

	/* what the fuzzer found: the length returned is what the buffer
	 * holds, and a one-byte buffer is still terminated */
	n = decode_arg(buf, 3, 'd', (uint64_t)(int64_t)AT_FDCWD, getpid());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(buf, "AT");
	memset(buf, 'x', sizeof(buf));
	n = decode_arg(buf, 1, 'p', (uint64_t)(uintptr_t)"abc", getpid());
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(buf[0], 0);
	n = decode_arg(buf, 3, 'p', 0, getpid());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(buf, "NU");
}
END_TEST

START_TEST(test_results)
{
	char buf[128];

	decode_result(buf, sizeof(buf), 3, 0);
	ck_assert_str_eq(buf, "3");
	decode_result(buf, sizeof(buf), 0, ENOENT);
	ck_assert_str_eq(buf, "-1 ENOENT (No such file or directory)");
	decode_result(buf, sizeof(buf), 0, 512);
	ck_assert_str_eq(buf, "-1 ERESTARTSYS (interrupted by a signal)");
}
END_TEST

Suite *suite_decode(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("args");

	tcase_add_loop_test(tc, test_args, 0, sizeof(args) / sizeof(args[0]));
	tcase_add_test(tc, test_string);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_small_buffers);
	tcase_add_test(tc, test_results);
	suite_add_tcase(s, tc);
	return s;
}
