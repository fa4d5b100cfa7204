// SPDX-License-Identifier: GPL-2.0-or-later
/* test_task.c - the process table and views */
#include "module.h"
#include "task.h"
#include "unit.h"

START_TEST(test_get_find_remove)
{
	struct facet f = { .cur_mod = -1 };
	struct facet_task *t = task_get(&f, 100);

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_eq(task_get(&f, 100), t);		/* idempotent */
	ck_assert_ptr_eq(task_find(&f, 100), t);
	ck_assert_ptr_null(task_find(&f, 101));
	ck_assert_int_eq(t->tgid, 100);
	task_remove(&f, 100);
	task_remove(&f, 100);				/* twice is harmless */
	ck_assert_ptr_null(task_find(&f, 100));
	ck_assert_uint_eq(f.ntasks, 0);
	task_free_all(&f);
}
END_TEST

START_TEST(test_many)
{
	struct facet f = { .cur_mod = -1 };
	pid_t tid;

	for (tid = 1; tid <= 20000; tid++)
		ck_assert_ptr_nonnull(task_get(&f, tid * 7));
	ck_assert_uint_eq(f.ntasks, 20000);
	for (tid = 1; tid <= 20000; tid++)
		ck_assert_int_eq(task_find(&f, tid * 7)->tid, tid * 7);
	for (tid = 1; tid <= 20000; tid += 2)
		task_remove(&f, tid * 7);
	ck_assert_uint_eq(f.ntasks, 10000);
	ck_assert_ptr_null(task_find(&f, 7));
	ck_assert_ptr_nonnull(task_find(&f, 14));
	task_free_all(&f);
}
END_TEST

START_TEST(test_inherit_views)
{
	struct facet f = { .cur_mod = -1 };
	struct facet_task *p = task_get(&f, 10), *c = task_get(&f, 11),
			  *th = task_get(&f, 12);

	p->view = view_new();
	task_inherit(&f, p, c, false);
	task_inherit(&f, p, th, true);
	ck_assert_ptr_eq(c->view, p->view);
	ck_assert_uint_eq(p->view->refs, 3);
	ck_assert_int_eq(c->tgid, 11);		/* a process of its own */
	ck_assert_int_eq(th->tgid, 10);		/* a thread of the parent */
	task_remove(&f, 10);
	ck_assert_uint_eq(c->view->refs, 2);	/* the view outlives its creator */
	task_free_all(&f);
}
END_TEST

Suite *suite_task(void)
{
	Suite *s = suite_create("task");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_get_find_remove);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_inherit_views);
	suite_add_tcase(s, tc);
	return s;
}
