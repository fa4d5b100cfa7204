/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tracer.h - the ptrace side channel */
#ifndef TRACER_H
#define TRACER_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct facet;
struct facet_task;

/* no PTRACE_O_TRACEEXEC: its stop after every exec costs ~40 us here, and
 * nothing needs it (see tracer.c on the thread ids of a non-leader exec) */
#define TRACER_OPTIONS (PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | \
			PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | \
			PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)

/* a syscall stop (after PTRACE_SYSCALL), told from a SIGTRAP by TRACESYSGOOD */
#define TRACER_SYSCALL_STOP (SIGTRAP | 0x80)

void tracer_reap(struct facet *f);
void tracer_reap_nested(struct facet *f);
uint64_t tracer_now_ms(void);
void tracer_stopped(struct facet *f, pid_t tid, int status);
void tracer_signal(struct facet *f, struct facet_task *t);
int tracer_hold(struct facet *f, struct facet_task *t, pid_t by);
void tracer_release(struct facet *f, pid_t tgid);

void tracer_exec_report(struct facet *f, struct facet_task *w,
			struct facet_task *t, int error);

#endif /* TRACER_H */
