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
size_t decode_arg(char *buf, size_t size, char kind, uint64_t v, pid_t tid);
size_t decode_flags(char *buf, size_t size, uint64_t v, char kind);
size_t decode_result(char *buf, size_t size, int64_t ret, int error);

#endif /* TRACE_H */
