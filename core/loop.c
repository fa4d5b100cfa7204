// SPDX-License-Identifier: GPL-2.0-or-later
/* loop.c - the supervisor's event loop: one epoll, nothing blocks it
 *
 * DOC: Theory of Operation
 *
 * One epoll set holds every fd the supervisor waits on: the seccomp listener
 * (a guest made a trapped call), a signalfd (SIGCHLD for ptrace stops and
 * deaths; signals sent to facet itself), the timer that sweeps deferred calls,
 * and whatever modules watch (FUSE daemons, network stacks).  Each epoll
 * entry points at a struct watch holding its callback, so dispatching an
 * event is one indirect call.  The loop ends when the first guest has ended
 * and waitpid() says no child or tracee is left (ECHILD): the kernel's
 * answer, which no missed event in the process table can falsify.
 *
 * Signals sent to facet: the terminal's (Ctrl-C, Ctrl-\, Ctrl-Z) reach the
 * guests directly, since they share facet's process group, so facet ignores
 * those; SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1 and SIGUSR2 sent to
 * facet's pid (kill PID-of-facet) are passed on to the first guest, unless
 * it received the same signal itself (sent to the process group).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "dispatch.h"
#include "loop.h"
#include "procfs.h"
#include "task.h"
#include "tracer.h"
#include "supervisor.h"

/**
 * struct watch - one fd in the epoll set
 * @fd:		the fd, -1 once unwatched (freed after the current batch)
 * @mod:	the module that watches it (its messages name it)
 * @cb:		what to run on events
 * @arg:	its argument
 * @next:	list of f->watches
 */
struct watch {
	int fd;
	int mod;
	void (*cb)(struct facet *f, int fd, uint32_t events, void *arg);
	void *arg;
	struct watch *next;
};

static const int forwarded[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1,
				 SIGUSR2 };
static const int ignored[] = { SIGTSTP, SIGTTIN, SIGTTOU };

/**
 * facet_watch() - add @fd to the event loop
 * @f:		supervisor context
 * @fd:		fd to watch
 * @events:	EPOLLIN and so on
 * @cb:		run on events
 * @arg:	argument of @cb
 * Return: 0 or -errno
 */
int facet_watch(struct facet *f, int fd, uint32_t events,
		void (*cb)(struct facet *f, int fd, uint32_t events, void *arg),
		void *arg)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = { .events = events };

	if (!w)
		return -ENOMEM;
	*w = (struct watch){ .fd = fd, .mod = f->cur_mod, .cb = cb, .arg = arg,
			     .next = f->watches };
	ev.data.ptr = w;
	if (epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return -errno;
	}
	f->watches = w;
	return 0;
}

/**
 * facet_unwatch() - take @fd out of the event loop
 * @f:	supervisor context
 * @fd:	fd given to facet_watch()
 */
void facet_unwatch(struct facet *f, int fd)
{
	struct watch *w;

	for (w = f->watches; w; w = w->next) {
		if (w->fd == fd) {
			epoll_ctl(f->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
			w->fd = -1;
			return;
		}
	}
}

/**
 * loop_reap_watches() - free the watches unwatched during the last batch
 * @f:	supervisor context
 */
static void loop_reap_watches(struct facet *f)
{
	struct watch **pp = &f->watches, *w;

	while ((w = *pp)) {
		if (w->fd < 0) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

/**
 * loop_child_has() - did the first guest receive @sig itself?
 * @f:		supervisor context
 * @sig:	signal
 *
 * A signal sent to facet's process group (kill -TERM -PGID, timeout(1),
 * the terminal) reached the guest too: it is pending there, or the tracer
 * saw it delivered a moment ago.  One sent to facet's pid alone did not.
 *
 * Return: true if the guest has it
 */
static bool loop_child_has(struct facet *f, int sig)
{
	char buf[2048];
	uint64_t pend;

	tracer_reap(f);		/* take in the deliveries already reported */
	if (f->child_sig_ms[sig] && tracer_now_ms() - f->child_sig_ms[sig] < 200)
		return true;
	if (proc_status(f->child, buf, sizeof(buf)) <= 0)
		return false;
	pend = proc_status_mask(buf, "SigPnd:") | proc_status_mask(buf, "ShdPnd:");
	return (pend >> (sig - 1)) & 1;
}

/**
 * loop_forward() - pass a signal sent to facet on to the first guest
 * @f:	supervisor context
 * @si:	what signalfd read
 */
static void loop_forward(struct facet *f, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	/* from the kernel (the terminal): the foreground group has it */
	if (si->ssi_code != SI_USER && si->ssi_code != SI_QUEUE &&
	    si->ssi_code != SI_TKILL)
		return;
	if (f->child_done || task_find(f, (pid_t)si->ssi_pid) ||
	    loop_child_has(f, sig))
		return;
	verbose(f, 2, "passing SIG%s from %u on to the guest",
		sigabbrev_np(sig), si->ssi_pid);
	kill(f->child, sig);
}

/**
 * loop_on_signal() - signalfd readable
 * @f:		supervisor context
 * @fd:		the signalfd
 * @events:	unused
 * @arg:	unused
 */
static void loop_on_signal(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD && si.ssi_signo != SIGTSTP &&
		    si.ssi_signo != SIGTTIN && si.ssi_signo != SIGTTOU)
			loop_forward(f, &si);
	}
	/* always reap: SIGCHLD may have been merged with one already read */
	tracer_reap(f);
}

/**
 * facet_guest_events_fd() - the fd to poll while a module waits, inside a
 *			     call, on a guest of its own (a FUSE daemon the
 *			     guest runs): readable when facet_guest_events()
 *			     has work
 * @f:		supervisor context
 * Return: the fd
 */
int facet_guest_events_fd(struct facet *f)
{
	return f->signal_fd;
}

/**
 * facet_guest_events() - serve what guests need meanwhile: new threads and
 *			  processes, signals, exits (a daemon that makes its
 *			  threads would otherwise wait on the supervisor
 *			  that waits on it); the rest waits for the loop
 * @f:		supervisor context
 */
void facet_guest_events(struct facet *f)
{
	struct signalfd_siginfo si;

	while (read(f->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD && si.ssi_signo != SIGTSTP &&
		    si.ssi_signo != SIGTTIN && si.ssi_signo != SIGTTOU)
			loop_forward(f, &si);
	}
	tracer_reap_nested(f);
}

static void loop_on_notify(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)fd;
	(void)arg;
	if (events & EPOLLIN)
		dispatch_notify(f);
	else if (events & (EPOLLHUP | EPOLLERR))
		facet_unwatch(f, f->notify_fd);	/* no guest left */
}

static void loop_on_sweep(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	dispatch_sweep(f);
}

/**
 * loop_signals() - block the signals the loop reads through signalfd
 * @f:		supervisor context
 * @old:	filled with the mask to restore in the guest
 */
void loop_signals(struct facet *f, sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaddset(&set, ignored[i]);
	sigprocmask(SIG_BLOCK, &set, old);
	/* SIGCHLD ignored (by whoever started us) would reap our children
	 * behind our back: use the default, and give the guest back the one
	 * facet found */
	sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_DFL },
		  &f->chld_action);
	f->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (f->signal_fd < 0)
		die("signalfd: %s", strerror(errno));
}

/**
 * loop_init() - make the epoll set with the core's own fds
 * @f:	supervisor context, signal_fd made
 */
void loop_init(struct facet *f)
{
	f->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	f->sweep_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (f->epoll_fd < 0 || f->sweep_fd < 0)
		die("cannot set up the event loop: %s", strerror(errno));
	if (facet_watch(f, f->signal_fd, EPOLLIN, loop_on_signal, NULL) ||
	    facet_watch(f, f->sweep_fd, EPOLLIN, loop_on_sweep, NULL))
		die("cannot set up the event loop: %s", strerror(errno));
}

/**
 * loop_run() - serve the guests until the last one is gone
 * @f:	supervisor context, first guest started
 * Return: 0, or -errno if waiting failed
 */
int loop_run(struct facet *f)
{
	struct epoll_event ev[16];
	int n, i;

	if (facet_watch(f, f->notify_fd, EPOLLIN, loop_on_notify, NULL))
		die("cannot watch the seccomp listener: %s", strerror(errno));
	tracer_reap(f);		/* anything that happened before we looked */
	while (!f->child_done || !f->no_tracees) {
		n = epoll_wait(f->epoll_fd, ev, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (i = 0; i < n; i++) {
			struct watch *w = ev[i].data.ptr;

			if (w->fd >= 0) {
				int saved = f->cur_mod;

				f->cur_mod = w->mod;	/* the watcher's, for messages */
				w->cb(f, w->fd, ev[i].events, w->arg);
				f->cur_mod = saved;
			}
		}
		if (f->nheld)	/* stops held while a module waited */
			tracer_reap(f);
		if (f->nqueued)	/* calls kept while a module waited */
			dispatch_queued(f);
		loop_reap_watches(f);
	}
	return 0;
}
