/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trace.h - --trace: one line per trapped call */
#ifndef TRACE_H
#define TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "facet_module.h"

struct facet;
struct notif;

void trace_call(struct facet *f, const struct notif *n, enum facet_outcome o);

#endif /* TRACE_H */
