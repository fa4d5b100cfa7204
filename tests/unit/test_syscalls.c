// SPDX-License-Identifier: GPL-2.0-or-later
/* test_syscalls.c - the table generated from core/syscalls.list */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "module.h"
#include "sys_gen.h"
#include "unit.h"

/* rows the generator must have produced, as the list gives them */
static const struct { int nr; const char *name, *args; enum sys_class cls; } rows[] = {
	{ __NR_openat, "openat", "dpom", SC_PATH },
	{ __NR_uname, "uname", "x", SC_IDENT },
	{ __NR_execve, "execve", "pxx", SC_PROC },
	{ __NR_clone3, "clone3", "xu", SC_PROC },
	{ __NR_getpid, "getpid", "", SC_PROC },
	{ __NR_newfstatat, "newfstatat", "dpxa", SC_PATH },
};

START_TEST(test_rows)
{
	const struct sys_desc *d = &sys_table[rows[_i].nr];

	ck_assert_ptr_nonnull(d->name);
	ck_assert_str_eq(d->name, rows[_i].name);
	ck_assert_str_eq(d->args, rows[_i].args);
	ck_assert_int_eq(d->cls, rows[_i].cls);
	ck_assert_int_eq(facet_syscall_nr(rows[_i].name), rows[_i].nr);
}
END_TEST

START_TEST(test_handlers)
{
	/* a row with an operation has its handler and the operation's offset */
	ck_assert_ptr_eq(sys_table[__NR_uname].handler, sys_uname);
	ck_assert_uint_eq(sys_table[__NR_uname].op,
			  offsetof(struct facet_module, uname));
	ck_assert_ptr_eq(sys_table[__NR_setdomainname].handler, sys_sethostname);
	ck_assert_ptr_eq(sys_table[__NR_sethostname].handler, sys_sethostname);
	ck_assert_ptr_null(sys_table[__NR_read].handler);
	ck_assert_uint_eq(sys_table[__NR_read].op, 0);
}
END_TEST

START_TEST(test_unique_names)
{
	int a, b;

	for (a = 0; a < SYS_NR_MAX; a++)
		for (b = a + 1; b < SYS_NR_MAX; b++)
			if (sys_table[a].name && sys_table[b].name)
				ck_assert_str_ne(sys_table[a].name, sys_table[b].name);
	ck_assert_int_eq(facet_syscall_nr("no_such_call"), -ENOENT);
}
END_TEST

/* the generator run on a list of our own: handlers deduplicated per op */
START_TEST(test_generator)
{
	char cmd[256], out[4096];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "printf '# c\\n\\nuname x ident uname\\nsethostname su ident sh\\n"
		 "setdomainname su ident sh\\nread fxu fd -\\n' | "
		 "awk -v out=header -f %s/core/gensys.awk", getenv("TOP") ?: ".");
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_ptr_nonnull(strstr(out, "sys_uname(struct facet"));
	ck_assert_ptr_nonnull(strstr(out, "sys_sh(struct facet"));
	ck_assert_ptr_null(strstr(strstr(out, "sys_sh(") + 1, "sys_sh("));
	ck_assert_ptr_null(strstr(out, "sys_read"));
	ck_assert_ptr_nonnull(strstr(out, "#define SYS_COUNT 4"));
}
END_TEST

/* a module implementing uname makes uname trapped, and nothing else */
START_TEST(test_traps_follow_ops)
{
	static const struct facet_module m = {
		.abi = FACET_MODULE_ABI, .size = sizeof(m), .name = "t",
		.uname = (void *)1,
	};
	struct facet f = { .cur_mod = -1 };
	int slot = module_add(&f, &m, NULL), nr, n = 0;

	ck_assert_int_ge(slot, 0);
	module_traps(&f);
	for (nr = 0; nr < SYS_NR_MAX; nr++)
		n += bit_test(f.trap, nr);
	ck_assert_int_eq(n, 0);		/* inactive: nothing */
	f.mods[slot].active = true;
	module_traps(&f);
	for (nr = 0; nr < SYS_NR_MAX; nr++)
		n += bit_test(f.trap, nr);
	ck_assert_int_eq(n, 1);
	ck_assert(bit_test(f.trap, __NR_uname));
	f.trace_all = true;		/* --trace: every listed call but exec */
	module_traps(&f);
	ck_assert(bit_test(f.trap, __NR_openat));
	ck_assert(!bit_test(f.trap, __NR_execve));
}
END_TEST

/* an old module (smaller table) is read no further than its size */
START_TEST(test_module_size)
{
	struct facet_module m = {
		.abi = FACET_MODULE_ABI, .name = "old", .uname = (void *)1,
	};

	m.size = offsetof(struct facet_module, uname);
	ck_assert(!MODULE_HAS(&m, offsetof(struct facet_module, uname)));
	m.size = sizeof(m);
	ck_assert(MODULE_HAS(&m, offsetof(struct facet_module, uname)));
	m.abi = FACET_MODULE_ABI + 1;
	ck_assert_int_lt(module_add(&(struct facet){ .cur_mod = -1 }, &m, NULL), 0);
}
END_TEST

Suite *suite_syscalls(void)
{
	Suite *s = suite_create("syscalls");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_handlers);
	tcase_add_test(tc, test_unique_names);
	tcase_add_test(tc, test_generator);
	tcase_add_test(tc, test_traps_follow_ops);
	tcase_add_test(tc, test_module_size);
	suite_add_tcase(s, tc);
	return s;
}
