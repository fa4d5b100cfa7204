/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unit.h - the Check suites of facet's unit tests, one per concern */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

Suite *suite_syscalls(void);
Suite *suite_decode(void);
Suite *suite_task(void);
Suite *suite_notify(void);
Suite *suite_files(void);
Suite *suite_overlay(void);
Suite *suite_ident(void);
Suite *suite_netaddr(void);
Suite *suite_netlink(void);
Suite *suite_netproc(void);

#endif /* UNIT_H */
