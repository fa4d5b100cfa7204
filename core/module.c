// SPDX-License-Identifier: GPL-2.0-or-later
/* module.c - loading modules, their options, their lifecycle and traps
 *
 * DOC: Theory of Operation
 *
 * Modules are const tables of functions (facet_module.h).  The built-in ones
 * are always loaded, inactive until one of their options is given; external
 * ones come from "--module FILE.so[:ARGS]" and are active at once.  Before the
 * guest starts, module_init_all() runs every active module's init(), and
 * module_traps() computes the filter's trap set: a syscall is trapped when an
 * active module trapped it raw (facet_trap()) or implements the operation
 * that syscalls.list names for it.  The table is generated from the same list
 * as the handlers, so nothing can be handled that is not trapped, and
 * nothing is trapped that has no handler.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "module.h"

/**
 * module_add() - register a module's table
 * @f:	supervisor context
 * @m:	the table
 * @dl:	dlopen() handle, or NULL for a built-in
 * Return: slot index, or -errno (the table is refused with a message)
 */
int module_add(struct facet *f, const struct facet_module *m, void *dl)
{
	int i;

	if (m->abi != FACET_MODULE_ABI || m->size < offsetof(struct facet_module, syscall) ||
	    !m->name) {
		warn("module %s: incompatible ABI %u (facet speaks %u)",
		     m->name ? m->name : "?", m->abi, FACET_MODULE_ABI);
		return -EPROTO;
	}
	for (i = 0; i < f->nmods; i++) {
		if (!f->mods[i].removed && !strcmp(f->mods[i].m->name, m->name)) {
			warn("module %s is already loaded", m->name);
			return -EEXIST;
		}
	}
	if (f->nmods == MODULES_MAX) {
		warn("too many modules (at most %d)", MODULES_MAX);
		return -ENOSPC;
	}
	f->mods[f->nmods] = (struct module_slot){ .m = m, .dl = dl };
	return f->nmods++;
}

/**
 * module_args() - pass "name=value,name,..." to a module's option()
 * @f:		supervisor context
 * @slot:	module
 * @args:	the text after ':' in --module, or NULL
 * Return: 0 or -errno
 */
static int module_args(struct facet *f, int slot, const char *args)
{
	char *copy, *tok, *save = NULL, *eq;
	int r = 0;

	if (!args || !*args)
		return module_option(f, slot, NULL, NULL);
	copy = strdup(args);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !r;
	     tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		r = module_option(f, slot, tok, eq);
	}
	free(copy);
	return r;
}

/**
 * module_load() - load an external module: "FILE.so[:ARGS]"
 * @f:		supervisor context
 * @spec:	the --module argument
 * Return: 0, or -errno after a message
 */
static int module_open(struct facet *f, void *dl, const char *path, const char *args);

int module_load(struct facet *f, const char *spec)
{
	char *path = strdup(spec), *args = NULL, *colon;
	void *dl;
	int slot;

	if (!path)
		return -ENOMEM;
	colon = strstr(path, ".so:");
	if (colon) {
		colon[3] = '\0';
		args = colon + 4;
	}
	/* a bare name would be looked up in the library path: mean the file */
	dl = dlopen(strchr(path, '/') ? path : spec, RTLD_NOW | RTLD_LOCAL);
	if (!dl && !strchr(path, '/')) {
		char *rel;

		if (asprintf(&rel, "./%s", path) > 0) {
			dl = dlopen(rel, RTLD_NOW | RTLD_LOCAL);
			free(rel);
		}
	}
	slot = module_open(f, dl, path, args);
	free(path);
	return slot < 0 ? slot : 0;
}

/**
 * module_open() - register a module dlopen() gave, and give it its ARGS
 * @f:		supervisor context
 * @dl:		the handle, or NULL if dlopen() failed (dlerror() says why)
 * @path:	its file, for messages
 * @args:	"name=value,name,...", or NULL
 * Return: its slot, or -errno after a message (@dl closed)
 */
static int module_open(struct facet *f, void *dl, const char *path, const char *args)
{
	const struct facet_module *m;
	int slot;

	if (!dl) {
		warn("cannot load module %s: %s", path, dlerror());
		return -ENOENT;
	}
	m = dlsym(dl, "facet_module");
	if (!m) {
		warn("%s is not a facet module (no symbol facet_module)", path);
		dlclose(dl);
		return -ENOENT;
	}
	slot = module_add(f, m, dl);
	if (slot < 0) {
		dlclose(dl);
		return slot;
	}
	return module_args(f, slot, args) < 0 ? -EINVAL : slot;
}

/**
 * module_option() - give an option to a module, making it active
 * @f:		supervisor context
 * @slot:	module
 * @name:	option name, NULL when an external module is loaded without ARGS
 * @value:	its value, or NULL
 * Return: 0, or -errno after a message
 */
int module_option(struct facet *f, int slot, const char *name,
		  const char *value)
{
	struct module_slot *s = &f->mods[slot];
	int r = 0;

	s->active = true;
	if (!name)
		return 0;
	if (!s->m->option) {
		warn("module %s takes no options (got %s)", s->m->name, name);
		return -EINVAL;
	}
	f->cur_mod = slot;
	f->mod_said = false;
	r = s->m->option(f, &s->state, name, value);
	f->cur_mod = -1;
	if (r < 0 && !f->mod_said)	/* else it said what was wrong */
		warn("module %s: bad option %s%s%s: %s", s->m->name, name,
		     value ? "=" : "", value ? value : "", strerror(-r));
	return r;
}

/**
 * facet_module_option() - give another module an option, as if from the
 *			   command line, without making it active (with
 *			   --fixed it may stay inactive) (facet_module.h)
 * @f:		supervisor context
 * @module:	its name
 * @name:	option name
 * @value:	its value, or NULL
 * Return: 0, -ENOENT if no such module is loaded, or its -errno
 */
int facet_module_option(struct facet *f, const char *module, const char *name,
			const char *value)
{
	int i, r, cur = f->cur_mod;
	bool said = f->mod_said, active;

	for (i = 0; i < f->nmods && strcmp(f->mods[i].m->name, module); i++)
		;
	if (i == f->nmods || f->mods[i].removed)
		return -ENOENT;
	active = f->mods[i].active;
	r = module_option(f, i, name, value);
	f->mods[i].active = active;	/* kept for when it is active */
	f->cur_mod = cur;
	f->mod_said = said;
	return r;
}

/**
 * module_activate() - make a built-in module active with no option given
 *		       (its option() is called with a NULL name, to make its
 *		       state)
 * @f:		supervisor context
 * @name:	the module
 * Return: 0 or -errno
 */
int module_activate(struct facet *f, const char *name)
{
	int i, r = 0;

	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (strcmp(s->m->name, name) || s->active)
			continue;
		s->active = true;
		if (s->m->option) {
			f->cur_mod = i;
			r = s->m->option(f, &s->state, NULL, NULL);
			f->cur_mod = -1;
		}
	}
	return r;
}

/**
 * module_init_all() - start every active module
 * @f:	supervisor context
 * Return: 0, or -errno of the first module that refused
 */
int module_init_all(struct facet *f)
{
	int i, r;

	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (!s->active || !s->m->init)
			continue;
		f->cur_mod = i;
		f->mod_said = false;
		r = s->m->init(f, s->state);
		f->cur_mod = -1;
		if (r < 0 && !f->mod_said)
			warn("module %s failed to start: %s", s->m->name,
			     strerror(-r));
		if (r < 0)
			return r;
	}
	return 0;
}

/**
 * module_fini_all() - stop every active module, unload external ones
 * @f:	supervisor context
 */
void module_fini_all(struct facet *f)
{
	int i;

	for (i = f->nmods - 1; i >= 0; i--) {
		if (f->mods[i].active && f->mods[i].m->fini)
			f->mods[i].m->fini(f->mods[i].state);
		if (f->mods[i].dl)
			dlclose(f->mods[i].dl);
	}
	f->nmods = 0;
}

/**
 * module_order() - the order calls are offered in: a module the user
 *		    loads is there to change what facet does, so it sees a
 *		    call before the built-ins that would answer it
 * @f:		supervisor context
 */
static void module_order(struct facet *f)
{
	int i, k = 0, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < f->nmods; i++)
			if ((f->mods[i].dl != NULL) == (pass == 0))
				f->order[k++] = i;
}

/**
 * module_insmod() - load a module while guests run (facet-ctl insmod)
 * @f:		supervisor context
 * @path:	the .so (a path this process may open)
 * @args:	its ARGS, or NULL
 * Return: 0, or -errno after a message: -EBUSY if it traps a call the
 *	   filter, made at start, does not send (load it with --module)
 */
int module_insmod(struct facet *f, const char *path, const char *args)
{
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	int slot = module_open(f, dl, path, args), r = 0, nr;
	struct module_slot *s;

	if (slot < 0)
		return slot;
	s = &f->mods[slot];
	if (s->m->init) {
		f->cur_mod = slot;
		f->mod_said = false;
		r = s->m->init(f, s->state);
		f->cur_mod = -1;
	}
	for (nr = 0; !r && nr < SYS_NR_MAX; nr++)
		if (bit_test(s->traps, nr) && !bit_test(f->trap, nr)) {
			warn("module %s traps %s, which facet was not started to trap: "
			     "load it with --module", s->m->name, sys_table[nr].name);
			r = -EBUSY;
		}
	if (r < 0) {
		if (s->m->init && s->m->fini)
			s->m->fini(s->state);
		s->active = false;
		s->removed = true;
		return r;
	}
	module_order(f);
	return 0;
}

/**
 * module_rmmod() - take a module loaded with --module or insmod away
 *		    (facet-ctl rmmod); it stays mapped until facet ends
 * @f:		supervisor context
 * @name:	its name
 * @busy:	does a call or task still hold it (the core's check)?
 * Return: 0, -ENOENT, -EPERM for a built-in, -EBUSY while in use
 */
int module_rmmod(struct facet *f, const char *name,
		 bool (*busy)(struct facet *f, int slot))
{
	int i;

	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (s->removed || strcmp(s->m->name, name))
			continue;
		if (!s->dl)
			return -EPERM;
		if (busy(f, i))
			return -EBUSY;
		if (s->active && s->m->fini)
			s->m->fini(s->state);
		s->active = false;
		s->removed = true;
		s->state = NULL;
		return 0;
	}
	return -ENOENT;
}

/**
 * module_conds() - gather the active modules' conditional traps
 *		    (facet_trap_if()) of numbers not trapped whole
 * @f:	supervisor context; fills f->conds
 */
static void module_conds(struct facet *f)
{
	unsigned int j;
	int i;

	f->nconds = 0;
	for (i = 0; i < f->nmods; i++) {
		const struct module_slot *s = &f->mods[i];

		for (j = 0; s->active && j < s->nconds; j++)
			if (!bit_test(f->trap, s->conds[j].nr) &&
			    f->nconds < sizeof(f->conds) / sizeof(f->conds[0]))
				f->conds[f->nconds++] = s->conds[j];
	}
}

/**
 * module_traps() - compute the filter's trap set from the active modules
 * @f:	supervisor context; fills f->trap
 */
void module_traps(struct facet *f)
{
	int nr, i;

	module_order(f);
	memset(f->trap, 0, sizeof(f->trap));
	memset(f->trap_fd, 0, sizeof(f->trap_fd));
	f->ntrap = 0;
	for (nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_desc *d = &sys_table[nr];
		unsigned int arg = 0;

		if (f->trace_all && d->name)
			bit_set(f->trap, nr);
		for (i = 0; i < f->nmods; i++) {
			const struct module_slot *s = &f->mods[i];

			if (!s->active || bit_test(s->cond_only, nr))
				continue;
			if (bit_test(s->traps, nr) && s->fd_arg[nr] &&
			    (!arg || arg == s->fd_arg[nr]))
				arg = s->fd_arg[nr];
			else if (bit_test(s->traps, nr) ||
				 (d->handler && MODULE_HAS(s->m, d->op)))
				bit_set(f->trap, nr);
		}
		/* two modules watching different arguments: trap it whole */
		for (i = 0; arg && i < f->nmods; i++)
			if (f->mods[i].active && bit_test(f->mods[i].traps, nr) &&
			    f->mods[i].fd_arg[nr] && f->mods[i].fd_arg[nr] != arg)
				bit_set(f->trap, nr);
		if (!bit_test(f->trap, nr))
			f->trap_fd[nr] = (uint8_t)arg;
	}
	module_conds(f);
	/* execve/execveat reach the tracer (SECCOMP_RET_TRACE), where their
	 * arguments can be rewritten: never notification */
	f->trap_exec = bit_test(f->trap, __NR_execve) ||
		       bit_test(f->trap, __NR_execveat);
	f->trap[__NR_execve / 8] &= (uint8_t)~(1u << (__NR_execve % 8));
	f->trap[__NR_execveat / 8] &= (uint8_t)~(1u << (__NR_execveat % 8));
	for (nr = 0; nr < SYS_NR_MAX; nr++)
		f->ntrap += bit_test(f->trap, nr);
}
