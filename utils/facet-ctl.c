// SPDX-License-Identifier: GPL-2.0-or-later
/* facet-ctl.c - what the supervisor does for this process
 *
 *	facet-ctl status [--json]	views, mounts, modules, processes
 *	facet-ctl lsmod			the modules and whether they are active
 *	facet-ctl insmod FILE.so [ARGS]	load a module (facet --allow-insmod)
 *	facet-ctl rmmod NAME		unload one
 *
 * The supervisor answers with lines of tab-separated fields, the first
 * naming what the line is ("mount", "module", "task"...); this prints them
 * as a table or as JSON (an object of arrays of arrays, by kind).
 */
#include <stdbool.h>

#include "facet_util.h"

/**
 * status_text() - the supervisor's status lines
 * Return: malloc'd text, or NULL (errno)
 */
static char *status_text(void)
{
	size_t size = 4096;
	char *buf = NULL;
	long n;

	for (;;) {
		char *b = realloc(buf, size);

		if (!b) {
			free(buf);
			return NULL;
		}
		buf = b;
		n = util_ctl(FACET_CTL_STATUS, buf, (void *)size, NULL, NULL);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < size)
			return buf;
		size = (size_t)n + 1;
	}
}

/**
 * json_str() - print @s, @n bytes, as a JSON string
 * @s:		the text
 * @n:		its length
 */
static void json_str(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/**
 * print_json() - the lines as {"KIND": [[FIELD, ...], ...], ...}
 * @text:	the status lines
 */
static void print_json(char *text)
{
	static const char *const kinds[] = {
		"facet", "module", "mount", "cwd", "root", "views", "hostname",
		"task", NULL,
	};
	int k, first = 1;

	printf("{");
	for (k = 0; kinds[k]; k++) {
		size_t kl = strlen(kinds[k]);
		int any = 0;
		char *l;

		for (l = text; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
			size_t len = strcspn(l, "\n"), f;
			const char *p = l + kl + 1;

			if (len <= kl || strncmp(l, kinds[k], kl) || l[kl] != '\t')
				continue;
			printf("%s%s", any ? ", [" : first ? "\"" : ", \"", any ? "" : kinds[k]);
			if (!any)
				printf("\": [[");
			for (f = 0; p < l + len; f++) {
				size_t fl = strcspn(p, "\t\n");

				printf("%s", f ? ", " : "");
				json_str(p, fl);
				p += fl + 1;
			}
			printf("]");
			any = 1;
			first = 0;
		}
		if (any)
			printf("]");
	}
	printf("}\n");
}

/**
 * print_text() - the lines, fields apart by spaces
 * @text:	the status lines
 * @only:	print only lines of this kind, without it, or NULL
 */
static void print_text(const char *text, const char *only)
{
	const char *l;
	size_t len, kl, i;

	for (l = text; *l; l += len + (l[len] != 0)) {
		len = strcspn(l, "\n");
		kl = strcspn(l, "\t");
		if (only && (kl != strlen(only) || strncmp(l, only, kl)))
			continue;
		for (i = only ? kl + 1 : 0; i < len; i++)
			putchar(l[i] == '\t' ? ' ' : l[i]);
		putchar('\n');
	}
}

/**
 * modules() - insmod FILE.so [ARGS], rmmod NAME
 * @cmd:	which
 * @argc:	its arguments
 * @argv:	them
 * Return: exit status
 */
static int modules(const char *cmd, int argc, char *argv[])
{
	bool ins = !strcmp(cmd, "insmod");
	char path[PATH_MAX];

	if (argc < 1 || argc > (ins ? 2 : 1)) {
		fprintf(stderr, "Usage: facet-ctl %s\n", ins ? "insmod FILE.so [ARGS]" : "rmmod NAME");
		return 1;
	}
	util_need_facet("facet-ctl");
	if (ins && !util_abs(argv[0], path)) {
		fprintf(stderr, "facet-ctl: path too long\n");
		return 1;
	}
	if (util_ctl(ins ? FACET_CTL_INSMOD : FACET_CTL_RMMOD, ins ? path : argv[0],
		     argc > 1 ? argv[1] : NULL, NULL, NULL) == 0)
		return 0;
	fprintf(stderr, "facet-ctl: %s %s: %s\n", cmd, argv[0],
		errno == EPERM ? (ins ? "not allowed (start facet with --allow-insmod)"
				 : "a built-in module stays")
		: errno == EBUSY ? (ins ? "it traps calls facet was not started to trap "
				   "(load it with --module; facet said which)"
				    : "in use by a call or a process")
		: errno == ENOEXEC ? "not a facet module (facet said why)"
		: errno == ENOENT && !ins ? "no such module" : strerror(errno));
	return 1;
}

int main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "status";
	char *text;

	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		printf("Usage: facet-ctl [status [--json] | lsmod | insmod FILE.so [ARGS] |\n"
		       "                 rmmod NAME]\n"
		       "What facet does for this process: its view's mounts, the\n"
		       "modules, the processes; load and unload modules.  See facet-ctl(1).\n");
		return 0;
	}
	if (!strcmp(cmd, "insmod") || !strcmp(cmd, "rmmod"))
		return modules(cmd, argc - 2, argv + 2);
	if (strcmp(cmd, "status") && strcmp(cmd, "lsmod")) {
		fprintf(stderr, "facet-ctl: unknown command %s (--help)\n", cmd);
		return 1;
	}
	util_need_facet("facet-ctl");
	if (!(text = status_text())) {
		perror("facet-ctl");
		return 1;
	}
	if (!strcmp(cmd, "lsmod"))
		print_text(text, "module");
	else if (argc > 2 && !strcmp(argv[2], "--json"))
		print_json(text);
	else
		print_text(text, NULL);
	free(text);
	return 0;
}
