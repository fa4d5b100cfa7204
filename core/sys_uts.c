// SPDX-License-Identifier: GPL-2.0-or-later
/* sys_uts.c - core handlers of uname and sethostname/setdomainname
 *
 * The handler prepares what the kernel would answer (the host's utsname,
 * read once at start-up), lets each module with a uname() operation adjust
 * it, and writes it to the guest.  If no module changed anything the kernel
 * answers by itself.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "dispatch.h"
#include "module.h"
#include "sys_gen.h"
#include "supervisor.h"

#define UTS_LEN 64	/* the kernel's __NEW_UTS_LEN */

/**
 * sys_uname() - uname(struct utsname *buf)
 * @f:		supervisor context
 * @call:	the call
 * Return: outcome
 */
enum facet_outcome sys_uname(struct facet *f, struct facet_call *call)
{
	struct utsname u = f->host_uts;
	enum facet_outcome o = FACET_PASS;
	int i, r, saved;

	for (i = 0; i < f->nmods && o != FACET_DEFER; i++) {
		struct module_slot *s = &f->mods[i];
		enum facet_outcome mo;

		if (!s->active || !MODULE_HAS(s->m, offsetof(struct facet_module, uname)))
			continue;
		saved = f->cur_mod;
		f->cur_mod = i;
		mo = s->m->uname(s->state, call, &u);
		f->cur_mod = saved;
		if (mo == FACET_PASS)
			continue;
		dispatch_by(call, i, f);
		o = mo;
		if (call->error)
			return FACET_REPLY;
	}
	if (o != FACET_REPLY)
		return o;
	r = facet_write(f, call, call->args[0], &u, sizeof(u));
	call->error = r < 0 ? EFAULT : 0;
	call->ret = 0;
	return FACET_REPLY;
}

/**
 * sys_sethostname() - sethostname(name, len) and setdomainname(name, len)
 * @f:		supervisor context
 * @call:	the call
 *
 * Validates as the kernel does (EINVAL past 64 bytes, EFAULT), then offers
 * the name to the modules; the first that answers decides.
 *
 * Return: outcome
 */
enum facet_outcome sys_sethostname(struct facet *f, struct facet_call *call)
{
	char name[UTS_LEN + 1] = { 0 };
	size_t len = call->args[1];
	int domain = call->nr == __NR_setdomainname, i, saved;

	if (len > UTS_LEN) {
		call->error = EINVAL;
		return FACET_REPLY;
	}
	if (facet_read(f, call, call->args[0], name, len) < 0) {
		call->error = EFAULT;
		return FACET_REPLY;
	}
	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];
		enum facet_outcome o;

		if (!s->active ||
		    !MODULE_HAS(s->m, offsetof(struct facet_module, sethostname)))
			continue;
		saved = f->cur_mod;
		f->cur_mod = i;
		o = s->m->sethostname(s->state, call, name, len, domain);
		f->cur_mod = saved;
		if (o != FACET_PASS) {
			dispatch_by(call, i, f);
			return o;
		}
	}
	return FACET_CONTINUE;
}
