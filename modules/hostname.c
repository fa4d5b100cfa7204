// SPDX-License-Identifier: GPL-2.0-or-later
/* hostname.c - the uts module: a host name of the view's own
 *
 * "--hostname NAME" makes uname(2) report NAME as the node name.  A guest
 * that may set the host name (CAP_SYS_ADMIN) changes the view's name, never
 * the host's, as in a UTS namespace of its own; one that may not gets EPERM,
 * as from the kernel.
 *
 * The names are shared by a group of processes, as a UTS namespace is:
 * children get their parent's, and facet run inside a view with
 * --hostname gives the command it runs new ones (the control call's
 * FACET_CTL_OPTION), which its children share in turn.  Unless --fixed,
 * the module is active from the start, with the host's names, so that a
 * view made later can have names of its own.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "facet_module.h"

#define UTS_LEN 64

/**
 * struct uts_names - names a group of processes shares
 * @refs:	tasks holding them (the module's default: one more)
 * @node:	node name the view reports
 * @domain:	NIS domain name the view reports, if set in the view
 * @has_domain:	setdomainname() was called in the view
 */
struct uts_names {
	unsigned int refs;
	char node[UTS_LEN + 1];
	char domain[UTS_LEN + 1];
	int has_domain;
};

/**
 * struct hostname - the module's state
 * @f:		supervisor context, for facet_capable()
 * @def:	the names of tasks that have none of their own
 */
struct hostname {
	struct facet *f;
	struct uts_names *def;
};

static const struct facet_option hostname_options[] = {
	{ "hostname", "NAME", "host name the guest sees (uname -n)", 0 },
	{ NULL, NULL, NULL, 0 },
};

/**
 * hostname_option() - --hostname NAME
 * @f:		supervisor context
 * @state:	module state, made here
 * @name:	option name
 * @value:	the host name
 * Return: 0, -EINVAL for an empty or too long name
 */
static int hostname_option(struct facet *f, void **state, const char *name,
			   const char *value)
{
	struct hostname *h = *state;
	struct utsname u;
	int r;

	if (name && (strcmp(name, "hostname") || !value || !*value ||
		     strlen(value) > UTS_LEN))
		return -EINVAL;
	if (!h) {
		if (!(h = calloc(1, sizeof(*h))) || !(h->def = calloc(1, sizeof(*h->def)))) {
			free(h);
			return -ENOMEM;
		}
		*state = h;
		h->def->refs = 1;
		if (uname(&u) == 0)	/* active with no option: the host's */
			snprintf(h->def->node, sizeof(h->def->node), "%s", u.nodename);
	}
	h->f = f;
	if (!name)
		return 0;
	snprintf(h->def->node, sizeof(h->def->node), "%s", value);
	/* the view's /etc/hosts names it, as a machine's own name */
	r = facet_module_option(f, "files", "hosts-name", value);
	return r == -ENOENT ? 0 : r;
}

/**
 * names_put() - drop a reference to names
 * @n:		the names, or NULL
 */
static void names_put(struct uts_names *n)
{
	if (n && !--n->refs)
		free(n);
}

/**
 * names_of() - the names @call's task shares
 * @h:		module state
 * @call:	the call
 * Return: its names
 */
static struct uts_names *names_of(struct hostname *h, struct facet_call *call)
{
	void **d = facet_task_data(h->f, call->task);

	return d && *d ? *d : h->def;
}

/**
 * hostname_task_new() - a child shares its parent's names
 * @state:	module state
 * @parent:	the parent
 * @child:	the child
 */
static void hostname_task_new(void *state, struct facet_task *parent,
			      struct facet_task *child)
{
	struct hostname *h = state;
	void **pd = facet_task_data(h->f, parent), **cd = facet_task_data(h->f, child);
	struct uts_names *n;

	if (!pd || !cd)
		return;
	names_put(*cd);
	if ((n = *cd = *pd))
		n->refs++;
}

/**
 * hostname_task_exit() - a task is gone: its reference to its names too
 * @state:	module state
 * @task:	the task
 */
static void hostname_task_exit(void *state, struct facet_task *task)
{
	struct hostname *h = state;
	void **d = facet_task_data(h->f, task);

	if (d) {
		names_put(*d);
		*d = NULL;
	}
}

/**
 * hostname_ctl() - facet run inside a view with --hostname: names of its
 *		    own for the calling process (and the children it starts)
 * @state:	module state
 * @call:	the control call: FACET_CTL_OPTION (name, value)
 * @op:		FACET_CTL_*
 * Return: outcome, FACET_PASS if not ours
 */
static enum facet_outcome hostname_ctl(void *state, struct facet_call *call,
				       unsigned int op)
{
	struct hostname *h = state;
	char name[16], value[UTS_LEN + 2];
	void **d = facet_task_data(h->f, call->task);
	struct uts_names *n;

	if (op != FACET_CTL_OPTION ||
	    facet_read_string(h->f, call, call->args[1], name, sizeof(name)) < 0 ||
	    strcmp(name, "hostname"))
		return FACET_PASS;
	call->ret = 0;
	if (!d || facet_read_string(h->f, call, call->args[2], value, sizeof(value)) < 0 ||
	    !*value || strlen(value) > UTS_LEN)
		call->error = EINVAL;
	else if (!(n = malloc(sizeof(*n))))
		call->error = ENOMEM;
	else {
		*n = *names_of(h, call);
		n->refs = 1;
		snprintf(n->node, sizeof(n->node), "%s", value);
		names_put(*d);
		*d = n;
	}
	return FACET_REPLY;
}

/**
 * hostname_fini() - free the module's state
 * @state:	module state
 */
static void hostname_fini(void *state)
{
	struct hostname *h = state;

	names_put(h->def);
	free(h);
}

/**
 * hostname_uname() - put the view's names in the uname(2) answer
 * @state:	module state
 * @call:	the call
 * @u:		the answer being prepared
 * Return: FACET_REPLY
 */
static enum facet_outcome hostname_uname(void *state, struct facet_call *call,
					 struct utsname *u)
{
	struct uts_names *n = names_of(state, call);

	memcpy(u->nodename, n->node, sizeof(n->node));
	if (n->has_domain)
		memcpy(u->domainname, n->domain, sizeof(n->domain));
	return FACET_REPLY;
}

/**
 * hostname_set() - sethostname(2) and setdomainname(2) in the view
 * @state:	module state
 * @call:	the call
 * @name:	new name (not NUL-terminated)
 * @len:	its length, at most 64
 * @domain:	setdomainname
 * Return: FACET_REPLY
 */
static enum facet_outcome hostname_set(void *state, struct facet_call *call,
				       const char *name, size_t len, int domain)
{
	struct hostname *h = state;
	struct uts_names *n = names_of(h, call);
	char *dst = domain ? n->domain : n->node;

	if (!facet_capable(h->f, call, CAP_SYS_ADMIN)) {
		call->error = EPERM;
		return FACET_REPLY;
	}
	memset(dst, 0, UTS_LEN + 1);
	memcpy(dst, name, len);
	n->has_domain |= domain;
	call->ret = 0;
	return FACET_REPLY;
}

const struct facet_module hostname_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "uts",
	.summary = "host and domain name of the view (uname, sethostname)",
	.options = hostname_options,
	.option = hostname_option,
	.fini = hostname_fini,
	.task_new = hostname_task_new,
	.task_exit = hostname_task_exit,
	.uname = hostname_uname,
	.sethostname = hostname_set,
	.ctl = hostname_ctl,
};
