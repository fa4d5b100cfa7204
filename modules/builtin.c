// SPDX-License-Identifier: GPL-2.0-or-later
/* builtin.c - the modules compiled into facet, in the order they are asked */
#include <stddef.h>

#include "module.h"

extern const struct facet_module hostname_module;
extern const struct facet_module limits_module;
extern const struct facet_module ident_module;
extern const struct facet_module net_module;
extern const struct facet_module files_module;

const struct facet_module *const builtin_modules[] = {
	&hostname_module,
	&limits_module,
	&ident_module,
	&net_module,
	&files_module,
	NULL,
};
