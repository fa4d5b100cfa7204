// SPDX-License-Identifier: GPL-2.0-or-later
/* hostname.c - the uts module: a host name of the view's own
 *
 * "--hostname NAME" makes uname(2) report NAME as the node name.  A guest
 * that may set the host name (CAP_SYS_ADMIN) changes the view's name, never
 * the host's, as in a UTS namespace of its own; one that may not gets EPERM,
 * as from the kernel.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "facet_module.h"

#define UTS_LEN 64

/**
 * struct hostname - the module's state
 * @f:		supervisor context, for facet_capable()
 * @node:	node name the view reports
 * @domain:	NIS domain name the view reports, if set in the view
 * @has_domain:	setdomainname() was called in the view
 */
struct hostname {
	struct facet *f;
	char node[UTS_LEN + 1];
	char domain[UTS_LEN + 1];
	int has_domain;
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

	if (strcmp(name, "hostname") || !value || !*value ||
	    strlen(value) > UTS_LEN)
		return -EINVAL;
	if (!h && !(h = *state = calloc(1, sizeof(*h))))
		return -ENOMEM;
	h->f = f;
	strcpy(h->node, value);
	return 0;
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
	struct hostname *h = state;

	(void)call;
	memcpy(u->nodename, h->node, sizeof(h->node));
	if (h->has_domain)
		memcpy(u->domainname, h->domain, sizeof(h->domain));
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
	char *dst = domain ? h->domain : h->node;

	if (!facet_capable(h->f, call, CAP_SYS_ADMIN)) {
		call->error = EPERM;
		return FACET_REPLY;
	}
	memset(dst, 0, UTS_LEN + 1);
	memcpy(dst, name, len);
	h->has_domain |= domain;
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
	.fini = free,
	.uname = hostname_uname,
	.sethostname = hostname_set,
};
