// SPDX-License-Identifier: GPL-2.0-or-later
/* files_fifo.c - opening a FIFO that must wait for its other end
 *
 * open(2) of a FIFO without O_NONBLOCK sleeps until the other end is
 * opened; that rendezvous is what keeps a writer's data from vanishing.
 * The supervisor's loop must never sleep, so the open runs in a thread of
 * its own, the call is deferred, and the loop answers it (the fd through
 * ADDFD) when the thread's eventfd fires.  If the guest stops waiting (a
 * signal, death), the thread is interrupted with FIFO_SIGNAL and what it
 * opened, if anything, is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "files_internal.h"

#define FIFO_SIGNAL (SIGRTMIN + 3)

/**
 * struct fifo_job - one waiting open
 * @f:		supervisor context
 * @d:		the deferred call, NULL once the guest gave up
 * @path:	"/proc/self/fd/N" of the FIFO
 * @opath:	the O_PATH fd behind @path
 * @flags:	the guest's open flags
 * @fd:		what the open returned, or -errno
 * @efd:	eventfd the thread signals
 * @th:		the thread
 * @running:	the thread has not finished
 */
struct fifo_job {
	struct facet *f;
	struct facet_deferred *d;
	char path[64];
	int opath;
	int flags;
	int fd;
	int efd;
	pthread_t th;
	volatile int running;
};

/**
 * fifo_nothing() - FIFO_SIGNAL handler: only there to interrupt open()
 * @sig:	the signal
 */
static void fifo_nothing(int sig)
{
	(void)sig;
}

/**
 * fifo_thread() - the blocking open
 * @arg:	struct fifo_job
 * Return: NULL
 */
static void *fifo_thread(void *arg)
{
	struct fifo_job *j = arg;
	uint64_t one = 1;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, FIFO_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	j->fd = open(j->path, (j->flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
	if (j->fd < 0)
		j->fd = -errno;
	j->running = 0;
	if (write(j->efd, &one, sizeof(one)) < 0)
		return NULL;
	return NULL;
}

/**
 * fifo_done() - the thread finished: answer the call, clean up
 * @f:		supervisor context
 * @fd:		the eventfd
 * @events:	what happened
 * @arg:	struct fifo_job
 */
static void fifo_done(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct fifo_job *j = arg;
	int r;

	(void)events;
	if (j->running)
		return;
	pthread_join(j->th, NULL);
	facet_unwatch(f, fd);
	if (j->d) {
		r = j->fd;
		if (r >= 0)
			r = facet_addfd(f, facet_deferred_call(j->d), j->fd,
					j->flags & O_CLOEXEC);
		facet_reply(f, j->d, r < 0 ? -1 : r, r < 0 ? -r : 0);
	}
	if (j->fd >= 0)
		close(j->fd);
	close(j->efd);
	close(j->opath);
	free(j);
}

/**
 * fifo_cancel() - the guest stopped waiting: interrupt the thread
 * @arg:	struct fifo_job
 */
static void fifo_cancel(void *arg)
{
	struct fifo_job *j = arg;

	j->d = NULL;
	if (j->running)
		pthread_kill(j->th, FIFO_SIGNAL);
}

/**
 * fifo_open_deferred() - open a FIFO the way the kernel would, later
 * @f:		supervisor context
 * @call:	the open call, deferred here on success
 * @opath:	O_PATH fd of the FIFO (duplicated here)
 * @flags:	the guest's open flags
 * Return: 0 (the handler returns FACET_DEFER), or -errno
 */
int fifo_open_deferred(struct facet *f, struct facet_call *call, int opath,
		       int flags)
{
	static bool handler_set;
	struct sigaction sa = { .sa_handler = fifo_nothing };
	struct fifo_job *j = calloc(1, sizeof(*j));
	sigset_t set, old;
	int e;

	if (!j)
		return -ENOMEM;
	if (!handler_set) {
		sigaction(FIFO_SIGNAL, &sa, NULL);	/* no SA_RESTART */
		sigemptyset(&set);
		sigaddset(&set, FIFO_SIGNAL);
		sigprocmask(SIG_BLOCK, &set, NULL);
		handler_set = true;
	}
	j->f = f;
	j->flags = flags;
	j->opath = fcntl(opath, F_DUPFD_CLOEXEC, 3);
	j->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (j->opath < 0 || j->efd < 0)
		goto fail;
	fd_proc_path(j->path, sizeof(j->path), j->opath, NULL);
	if ((e = facet_watch(f, j->efd, EPOLLIN, fifo_done, j)) < 0)
		goto fail;
	j->d = facet_defer(f, call, fifo_cancel, j);
	if (!j->d) {
		facet_unwatch(f, j->efd);
		goto fail;
	}
	j->running = 1;
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	e = pthread_create(&j->th, NULL, fifo_thread, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		/* the call is deferred: answer it through the normal path */
		j->running = 0;
		j->fd = -e;
		fifo_done(f, j->efd, 0, j);
	}
	return 0;
fail:
	if (j->opath >= 0)
		close(j->opath);
	if (j->efd >= 0)
		close(j->efd);
	free(j);
	return -ENOMEM;
}
