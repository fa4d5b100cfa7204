/* SPDX-License-Identifier: GPL-2.0-or-later */
/* module.h - loading modules and routing options and calls to them */
#ifndef MODULE_H
#define MODULE_H

#include "supervisor.h"

extern const struct facet_module *const builtin_modules[];

/* is member at @off of @m present (within the size it was built with)? */
#define MODULE_HAS(m, off) \
	((off) && (m)->size >= (off) + sizeof(void *) && \
	 *(void *const *)((const char *)(m) + (off)))

int module_add(struct facet *f, const struct facet_module *m, void *dl);
int module_load(struct facet *f, const char *spec);
int module_option(struct facet *f, int slot, const char *name,
		  const char *value);
int module_activate(struct facet *f, const char *name);
int module_insmod(struct facet *f, const char *path, const char *args);
int module_rmmod(struct facet *f, const char *name,
		 bool (*busy)(struct facet *f, int slot));
int module_init_all(struct facet *f);
void module_fini_all(struct facet *f);
void module_traps(struct facet *f);

#endif /* MODULE_H */
