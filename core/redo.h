/* SPDX-License-Identifier: GPL-2.0-or-later */
/* redo.h - a call the kernel makes in the guest's thread for the supervisor */
#ifndef REDO_H
#define REDO_H

#include <stdbool.h>

struct facet;
struct facet_task;
struct notif;

bool redo_call(struct facet *f, struct notif *n);
bool redo_stopped(struct facet *f, struct facet_task *t, int status);
void redo_drop(struct facet *f, struct facet_task *t);

#endif /* REDO_H */
