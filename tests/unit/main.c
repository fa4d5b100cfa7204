// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - the one runner of facet's unit suites */
#include <stdlib.h>

#include "unit.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_syscalls());
	int failed;

	srunner_add_suite(sr, suite_decode());
	srunner_add_suite(sr, suite_task());
	srunner_add_suite(sr, suite_notify());
	srunner_add_suite(sr, suite_files());
	srunner_add_suite(sr, suite_overlay());
	srunner_add_suite(sr, suite_ident());
	srunner_add_suite(sr, suite_netaddr());
	srunner_add_suite(sr, suite_netlink());
	srunner_add_suite(sr, suite_netproc());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
