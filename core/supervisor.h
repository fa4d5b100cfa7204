/* SPDX-License-Identifier: GPL-2.0-or-later */
/* supervisor.h - the supervisor's context, shared by the files of core/ */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "facet_module.h"
#include "syscalls.h"

#define MODULES_MAX 32
#define TRAP_CONDS_MAX 16

/**
 * struct trap_cond - a call trapped only when an argument says so
 *		      (facet_trap_if())
 * @nr:		syscall
 * @arg:	argument index (0-5)
 * @op:		enum facet_cmp: the argument masked with @mask equal to
 *		@value, different from it, or at least it
 * @value:	what they are compared with
 */
struct trap_cond {
	int nr;
	uint8_t arg;
	uint8_t op;
	uint64_t mask;
	uint64_t value;
};

/**
 * struct module_slot - one loaded module
 * @m:		its table of functions
 * @state:	what its option() and init() made
 * @active:	given an option or loaded with --module
 * @traps:	raw numbers it asked for with facet_trap() or facet_trap_fd()
 * @fd_arg:	for a number of facet_trap_fd(): 1 + the fd argument's index;
 *		0 for one trapped whole
 * @conds:	conditions of facet_trap_if(); their numbers are in @traps
 *		too, so that dispatch offers the module their calls
 * @cond_only:	numbers trapped only under @conds
 * @dl:		dlopen() handle of an external module, NULL for a built-in
 * @removed:	taken away at run time (facet-ctl rmmod): inactive, kept
 *		loaded until facet ends, its name free again
 */
struct module_slot {
	const struct facet_module *m;
	void *state;
	bool active;
	uint8_t traps[SYS_NR_MAX / 8];
	uint8_t fd_arg[SYS_NR_MAX];
	struct trap_cond conds[TRAP_CONDS_MAX];
	unsigned int nconds;
	uint8_t cond_only[SYS_NR_MAX / 8];
	void *dl;
	bool removed;
};

/**
 * struct features - what this kernel offers, probed at start-up
 */
struct features {
	bool waitkill;		/* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, 5.19 */
	bool addfd_send;	/* SECCOMP_ADDFD_FLAG_SEND, 5.14 */
	bool sync_wakeup;	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 6.6 */
};

struct facet_task;
struct watch;
struct facet_deferred;

/**
 * struct facet - the supervisor's context, passed first everywhere
 */
struct facet {
	struct module_slot mods[MODULES_MAX];
	int order[MODULES_MAX];	/* slots in the order calls are offered:
				   --module ones first, then the built-ins */
	int nmods;
	int cur_mod;		/* module whose init() is running, for facet_trap */
	bool mod_said;		/* it printed an error with facet_error() */

	uint8_t trap[SYS_NR_MAX / 8];	/* the filter's USER_NOTIF set */
	uint8_t trap_fd[SYS_NR_MAX];	/* notified only on watched fds:
					   1 + the fd argument's index */
	struct trap_cond conds[MODULES_MAX * 2];	/* notified only when
					   an argument says so */
	unsigned int nconds;
	int ntrap;			/* how many numbers it holds */
	bool trap_exec;		/* execve/execveat go to the tracer (RET_TRACE) */
	bool trace_all;		/* --trace: trap every listed syscall */
	bool fixed;		/* --fixed: only what the options need */
	bool allow_insmod;	/* --allow-insmod: facet-ctl insmod works */
	unsigned long long mem_limit;	/* --memory: the guests' RLIMIT_AS, 0: none */
	unsigned int time_limit;	/* --time: seconds the guests may run, 0: no end */
	bool timed_out;		/* --time ran out: the guests were killed */
	bool nested;		/* running inside a facet view: options go
				   to its supervisor (main.c) */
	FILE *trace;		/* --trace output, or NULL */
	int verbose;

	struct features feat;
	pid_t self;		/* the supervisor's pid */
	pid_t child;		/* the first guest */
	int child_status;	/* its wait status, once it ended */
	bool child_done;
	uint64_t child_sig_ms[65];	/* when each signal last reached it */
	bool no_tracees;	/* waitpid() says ECHILD: no guest is left */
	pid_t gone[64];		/* tids that died before their creation event */
	unsigned int ngone;
	int notify_fd;		/* the seccomp listener */
	int fence_fds[FACET_FENCES_MAX];	/* Landlock rulesets the guest enters */
	int nfences;
	int epoll_fd;
	int signal_fd;
	int sweep_fd;		/* timerfd that checks deferred calls */
	struct sigaction chld_action;	/* SIGCHLD as facet found it, for the guest */

	struct facet_task **tasks;	/* hash table of guest tasks by tid */
	unsigned int tasks_size, ntasks;
	unsigned int exec_watches;	/* tasks with a facet_exec_done() */
	struct { pid_t tid; int status; } *held_stops;	/* stops left for the
					   loop by facet_guest_events() */
	unsigned int nheld, held_cap;
	struct seccomp_notif *queued;	/* calls taken by facet_guest_calls()
					   and left for the loop */
	unsigned int nqueued, queued_cap;
	struct watch *watches;
	struct facet_deferred *deferred;	/* list of calls awaiting reply */
	unsigned int ndeferred;
	struct utsname host_uts;	/* the host's, for sys_uname */
	struct { pid_t tgid; int fd; } pidfds[64];	/* facet_getfd()'s
					   pidfds, by tgid modulo 64 */
};

static inline bool bit_test(const uint8_t *set, int nr)
{
	return nr >= 0 && nr < SYS_NR_MAX && (set[nr / 8] >> (nr % 8)) & 1;
}

static inline void bit_set(uint8_t *set, int nr)
{
	set[nr / 8] |= 1u << (nr % 8);
}

/* log.c */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verbose(const struct facet *f, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SUPERVISOR_H */
