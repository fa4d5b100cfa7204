// SPDX-License-Identifier: GPL-2.0-or-later
/* files_unix.c - AF_UNIX addresses in the view: datagrams sent to a name,
 *		  and a sandbox's own abstract namespace
 *
 * DOC: Theory of Operation
 *
 * An AF_UNIX address is a path, which the kernel resolves in the caller's
 * file tree, or an abstract name, in a namespace the whole host shares.
 * bind() and connect() are made by the supervisor on its copy of the
 * guest's socket (files_ops.c, op_unix()).  A datagram socket also names
 * its destination in each sendto(), sendmsg() and sendmmsg(), in memory
 * another guest thread could rewrite after a check; so every send on an
 * AF_UNIX datagram socket is made by the supervisor, on its copy of the
 * socket, with a copy of the data and the address translated.  The fds of
 * an SCM_RIGHTS message are passed as the supervisor's copies of the
 * guest's; SCM_CREDENTIALS are checked as the kernel checks a guest's own.
 * A receiver that asks for its sender's credentials (SO_PASSCRED) sees the
 * supervisor's pid.  Stream and seqpacket sockets ignore the address of a
 * send, so their data stays the kernel's alone.
 *
 * A sandbox has an abstract namespace of its own: its names live in the
 * host's under a prefix of the run ("facet-PID/"), added to the names a
 * guest binds, connects or sends to and taken off those getsockname() and
 * getpeername() report.  A name already carrying the prefix (the source
 * address of a received datagram, which is not translated) is kept as it
 * is, so a reply to it arrives.  A host socket is reached only through a
 * path the sandbox shows.
 *
 * A send that would block waits in the event loop and is tried again
 * every few milliseconds (an unconnected datagram socket is writable while
 * its destination's queue is full), until SO_SNDTIMEO if it is set.  So
 * does a connect to a listener whose backlog is full: the supervisor
 * connects without blocking (the socket made O_NONBLOCK for the call), as
 * a blocking connect would stop it, and every guest with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "files_internal.h"

#define UX_MAX_DATA	(4u << 20)	/* more than a datagram can hold */
#define UX_MAX_CTL	(64u << 10)
#define UX_WAIT_MAX_MS	50		/* longest pause between tries */
#define UX_PATH_OFF	offsetof(struct sockaddr_un, sun_path)

/**
 * struct unix_wait - a send waiting for room, or a connect for a place in
 *		      a listener's backlog
 * @fs:		module state
 * @d:		the deferred call
 * @sfd:	the supervisor's copy of the socket
 * @tfd:	timerfd of the next try
 * @ms:		pause before the next try
 * @until:	CLOCK_MONOTONIC deadline (SO_SNDTIMEO), 0 for none
 * @to:		for a connect: the host address
 * @tolen:	its length (0 for a send)
 * @hold:	an fd @to names (/proc/self/fd/N), or -1
 */
struct unix_wait {
	struct files *fs;
	struct facet_deferred *d;
	int sfd;
	int tfd;
	unsigned int ms;
	uint64_t until;
	struct sockaddr_un to;
	socklen_t tolen;
	int hold;
};

/**
 * unix_prefix() - the prefix of a sandbox's abstract names
 * @out:	room for it
 * @size:	its size
 * Return: its length
 */
static size_t unix_prefix(char *out, size_t size)
{
	int n = snprintf(out, size, "facet-%d/", (int)getpid());

	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/**
 * unix_abstract() - the host's name for a sandbox's abstract name
 * @name:	the name (after its leading NUL)
 * @len:	its bytes
 * @host:	filled in
 * @hlen:	set to its length
 * Return: 0, or -EINVAL if it does not fit with the prefix
 */
int unix_abstract(const char *name, size_t len, struct sockaddr_un *host,
		  socklen_t *hlen)
{
	char pre[32];
	size_t pl = unix_prefix(pre, sizeof(pre));

	if (len >= pl && !memcmp(name, pre, pl))
		pl = 0;		/* already the sandbox's */
	if (pl + len > sizeof(host->sun_path) - 1)
		return -EINVAL;
	memset(host, 0, sizeof(*host));
	host->sun_family = AF_UNIX;
	memcpy(host->sun_path + 1, pre, pl);
	memcpy(host->sun_path + 1 + pl, name, len);
	*hlen = (socklen_t)(UX_PATH_OFF + 1 + pl + len);
	return 0;
}

/**
 * unix_strip() - a sandbox's abstract name as its guests name it
 * @sun:	the host's address, changed in place
 * @len:	its length, changed
 * Return: true if it was one of the sandbox's names
 */
bool unix_strip(struct sockaddr_un *sun, socklen_t *len)
{
	char pre[32];
	size_t pl = unix_prefix(pre, sizeof(pre)), n;

	if (sun->sun_family != AF_UNIX || *len <= UX_PATH_OFF + 1 || sun->sun_path[0])
		return false;
	n = *len - UX_PATH_OFF - 1;
	if (n < pl || memcmp(sun->sun_path + 1, pre, pl))
		return false;
	memmove(sun->sun_path + 1, sun->sun_path + 1 + pl, n - pl);
	memset(sun->sun_path + 1 + n - pl, 0, pl);
	*len -= (socklen_t)pl;
	return true;
}

/**
 * unix_autobind() - bind(fd, {AF_UNIX}, 2) in a sandbox: a free name of
 *		     five hex digits, as the kernel picks, in the sandbox's
 *		     namespace
 * @fd:		the supervisor's copy of the socket
 * Return: 0 or -errno
 */
int unix_autobind(int fd)
{
	struct sockaddr_un host;
	unsigned int v, i;
	socklen_t hl;
	char name[8];
	int e = -EADDRINUSE;

	for (i = 0; i < 4096 && e == -EADDRINUSE; i++) {
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			v = (unsigned int)rand();
		snprintf(name, sizeof(name), "%05x", v & 0xfffff);
		if ((e = unix_abstract(name, 5, &host, &hl)) < 0)
			break;
		e = bind(fd, (struct sockaddr *)&host, hl) < 0 ? -errno : 0;
	}
	return e;
}

/**
 * unix_autobind_passcred() - before a connect or send that the kernel
 *			      would autobind (an unnamed socket asking for
 *			      credentials, SO_PASSCRED), autobind it in the
 *			      sandbox's namespace: the kernel would pick a
 *			      host name, the one a peer then replies to
 * @fd:		the supervisor's copy of the socket
 */
void unix_autobind_passcred(int fd)
{
	struct sockaddr_un sun;
	socklen_t l = sizeof(sun);
	int on = 0;
	socklen_t ol = sizeof(on);

	if (getsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, &ol) == 0 && on &&
	    getsockname(fd, (struct sockaddr *)&sun, &l) == 0 &&
	    l <= offsetof(struct sockaddr_un, sun_path))
		unix_autobind(fd);
}

/**
 * unix_kind() - the family and type of a socket
 * @fd:		the supervisor's copy
 * @type:	set to SOCK_*
 * Return: true for an AF_UNIX socket
 */
bool unix_kind(int fd, int *type)
{
	int dom = -1;
	socklen_t l = sizeof(dom);

	*type = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l) < 0 || dom != AF_UNIX)
		return false;
	l = sizeof(*type);
	return getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &l) == 0;
}

/**
 * unix_dest() - the host address of a datagram's destination
 * @fs:		module state
 * @call:	the call
 * @ga:		guest address of the destination, 0 for the connected peer
 * @glen:	its length
 * @host:	filled in
 * @hlen:	set to its length (0: no address)
 * @hold:	set to an fd the caller closes after the send, or -1
 * Return: 0 or -errno
 */
static int unix_dest(struct files *fs, struct facet_call *call, uint64_t ga,
		     uint64_t glen, struct sockaddr_un *host, socklen_t *hlen,
		     int *hold)
{
	struct sockaddr_un sun = { 0 };
	size_t len = glen > sizeof(sun) ? sizeof(sun) : glen;
	char path[sizeof(sun.sun_path) + 1];
	struct fres r;
	int e;

	*hlen = 0;
	*hold = -1;
	if (!ga || !glen)
		return 0;
	if (glen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (facet_read(fs->f, call, ga, &sun, len) < 0)
		return -EFAULT;
	*host = sun;
	*hlen = (socklen_t)len;
	if (sun.sun_family == AF_UNIX && glen > sizeof(sun))
		return -EINVAL;	/* the kernel's unix_validate_addr() */
	if (sun.sun_family != AF_UNIX || len <= UX_PATH_OFF)
		return 0;	/* the kernel's error, from the copy */
	if (!sun.sun_path[0])
		return fs->sandbox ? unix_abstract(sun.sun_path + 1, len - UX_PATH_OFF - 1,
						   host, hlen) : 0;
	memcpy(path, sun.sun_path, len - UX_PATH_OFF);
	path[len - UX_PATH_OFF] = 0;
	if ((e = res_resolve(fs, files_proc(fs, call), call, AT_FDCWD, path,
			     RES_FOLLOW, &r)) < 0)
		return e;
	fd_proc_path(host->sun_path, sizeof(host->sun_path), r.fd, NULL);
	*hlen = (socklen_t)(UX_PATH_OFF + strlen(host->sun_path) + 1);
	*hold = r.fd;
	r.fd = -1;
	res_release(&r);
	return 0;
}

/**
 * unix_creds() - may the guest send these credentials?  (The kernel's rule
 *		  for an unprivileged sender: its own pid, one of its user
 *		  and group ids.)  The pid becomes the supervisor's, which
 *		  makes the send.
 * @call:	the call
 * @uc:		the credentials, changed
 * Return: 0 or -EPERM
 */
static int unix_creds(struct facet_call *call, struct ucred *uc)
{
	unsigned int u[4] = { 0 }, g[4] = { 0 };
	char path[64], line[256];
	bool ok_u = false, ok_g = false;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)facet_task_tgid(call->task));
	if (uc->pid != facet_task_tgid(call->task) || !(f = fopen(path, "re")))
		return -EPERM;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Uid: %u %u %u %u", &u[0], &u[1], &u[2], &u[3]) == 4)
			for (i = 0; i < 3; i++)
				ok_u |= u[i] == uc->uid;
		if (sscanf(line, "Gid: %u %u %u %u", &g[0], &g[1], &g[2], &g[3]) == 4)
			for (i = 0; i < 3; i++)
				ok_g |= g[i] == uc->gid;
	}
	fclose(f);
	uc->pid = getpid();
	return ok_u && ok_g ? 0 : -EPERM;
}

/**
 * unix_ctl() - a message's control data, the fds it passes made the
 *		supervisor's copies of the guest's
 * @fs:		module state
 * @call:	the call
 * @m:		the guest's msghdr
 * @ctl:	set to a malloc'ed copy, or NULL if there is none
 * @fds:	set to a malloc'ed list of the copies, to close after the send
 * @nfds:	set to their number
 * Return: the control data's length, or -errno
 */
static ssize_t unix_ctl(struct files *fs, struct facet_call *call,
			const struct msghdr *m, char **ctl, int **fds, size_t *nfds)
{
	struct msghdr h = { .msg_controllen = m->msg_controllen };
	struct cmsghdr *cm;
	size_t i, k;
	int *p, e = 0;

	*ctl = NULL;
	*fds = NULL;
	*nfds = 0;
	if (!m->msg_control || !m->msg_controllen)
		return 0;
	if (m->msg_controllen > UX_MAX_CTL)
		return -ENOBUFS;
	if (!(*ctl = malloc(m->msg_controllen)) ||
	    !(*fds = calloc(m->msg_controllen / sizeof(int) + 1, sizeof(int))))
		return -ENOMEM;
	if (facet_read(fs->f, call, (uint64_t)(uintptr_t)m->msg_control, *ctl,
		       m->msg_controllen) < 0)
		return -EFAULT;
	h.msg_control = *ctl;
	for (cm = CMSG_FIRSTHDR(&h); cm && !e; cm = CMSG_NXTHDR(&h, cm)) {
		/* a length past the buffer: the kernel's EINVAL (and no
		 * read or write past it here) */
		if (cm->cmsg_len > m->msg_controllen - (size_t)((char *)cm - *ctl))
			return -EINVAL;
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_len < CMSG_LEN(0))
			continue;
		if (cm->cmsg_type == SCM_CREDENTIALS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct ucred)))
			e = unix_creds(call, (struct ucred *)CMSG_DATA(cm));
		if (cm->cmsg_type != SCM_RIGHTS)
			continue;
		p = (int *)CMSG_DATA(cm);
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k && !e; i++) {
			if ((e = facet_getfd(fs->f, call, p[i])) >= 0)
				p[i] = (*fds)[(*nfds)++] = e;
			e = e < 0 ? -EBADF : 0;
		}
	}
	return e < 0 ? e : (ssize_t)m->msg_controllen;
}

/**
 * unix_read_buf() - copy the guest buffer one iovec describes
 * @fs:		module state
 * @call:	the call
 * @iov:	the iovec (here), its base a guest address
 * @buf:	set to a malloc'ed copy
 * Return: its length, or -errno
 */
static ssize_t unix_read_buf(struct files *fs, struct facet_call *call,
			     const struct iovec *iov, char **buf)
{
	*buf = NULL;
	if (iov->iov_len > UX_MAX_DATA)
		return -EMSGSIZE;
	if (!(*buf = malloc(iov->iov_len + 1)))
		return -ENOMEM;
	if (iov->iov_len && facet_read(fs->f, call, (uint64_t)(uintptr_t)iov->iov_base,
				       *buf, iov->iov_len) < 0)
		return -EFAULT;
	return (ssize_t)iov->iov_len;
}

/**
 * unix_send_one() - send one guest message on the supervisor's copy
 * @fs:		module state
 * @call:	the call
 * @sfd:	the socket
 * @m:		the guest's msghdr (its pointers are guest addresses)
 * @flags:	MSG_* flags
 * @local:	@m->msg_iov is one iovec here (sendto), not the guest's
 * Return: bytes sent, or -errno
 */
static int64_t unix_send_one(struct files *fs, struct facet_call *call, int sfd,
			     const struct msghdr *m, int flags, bool local)
{
	struct sockaddr_un host;
	struct msghdr hm = { 0 };
	struct iovec iov;
	char *data = NULL, *ctl = NULL;
	int *fds = NULL, hold;
	size_t nfds = 0, i;
	ssize_t len, clen = 0;
	int64_t r;

	if ((r = unix_dest(fs, call, (uint64_t)(uintptr_t)m->msg_name, m->msg_namelen,
			   &host, &hm.msg_namelen, &hold)) < 0)
		return r;
	if (local)
		len = unix_read_buf(fs, call, m->msg_iov, &data);
	else
		len = facet_read_iov(fs->f, call, (uint64_t)(uintptr_t)m->msg_iov,
				     m->msg_iovlen, UX_MAX_DATA, &data);
	if (len < 0 ||
	    (clen = unix_ctl(fs, call, m, &ctl, &fds, &nfds)) < 0) {
		r = len < 0 ? len : clen;
		goto out;
	}
	iov = (struct iovec){ data, (size_t)len };
	hm.msg_name = hm.msg_namelen ? &host : NULL;
	hm.msg_iov = &iov;
	hm.msg_iovlen = 1;
	hm.msg_control = clen ? ctl : NULL;
	hm.msg_controllen = (size_t)clen;
	r = sendmsg(sfd, &hm, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	r = r < 0 ? -errno : r;
out:
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	if (hold >= 0)
		close(hold);
	free(fds);
	free(ctl);
	free(data);
	return r;
}

/**
 * unix_send_now() - the call, on the supervisor's copy @sfd, without
 *		     waiting
 * @fs:		module state
 * @call:	sendto, sendmsg or sendmmsg
 * @sfd:	the socket
 * Return: what the call returns, or -errno
 */
static int64_t unix_send_now(struct files *fs, struct facet_call *call, int sfd)
{
	const uint64_t *a = call->args;
	struct iovec iov = { (void *)(uintptr_t)a[1], a[2] };
	struct msghdr m = { 0 };
	struct mmsghdr mm;
	unsigned int i, n;
	int64_t r = 0;

	switch (call->nr) {
	case __NR_sendto:
		m = (struct msghdr){ .msg_name = (void *)(uintptr_t)a[4],
			.msg_namelen = (socklen_t)a[5], .msg_iov = &iov, .msg_iovlen = 1 };
		return unix_send_one(fs, call, sfd, &m, (int)a[3], true);
	case __NR_sendmsg:
		if (facet_read(fs->f, call, a[1], &m, sizeof(m)) < 0)
			return -EFAULT;
		return unix_send_one(fs, call, sfd, &m, (int)a[2], false);
	}
	n = a[2] > IOV_MAX ? IOV_MAX : (unsigned int)a[2];
	for (i = 0; i < n; i++) {
		uint64_t p = a[1] + i * sizeof(mm);

		if (facet_read(fs->f, call, p, &mm, sizeof(mm)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((r = unix_send_one(fs, call, sfd, &mm.msg_hdr, (int)a[3],
					   false)) < 0)
			break;
		mm.msg_len = (unsigned int)r;
		if (facet_write(fs->f, call, p + offsetof(struct mmsghdr, msg_len),
				&mm.msg_len, sizeof(mm.msg_len)) < 0) {
			r = -EFAULT;
			break;
		}
	}
	return i ? (int64_t)i : r;
}

/**
 * unix_connect_now() - connect @sfd without blocking
 * @sfd:	the supervisor's copy of the guest's socket
 * @to:		address
 * @len:	its length
 *
 * O_NONBLOCK is a flag of the open file, which the guest shares: it is
 * set only for the call.
 *
 * Return: 0 or -errno (-EAGAIN: the listener's backlog is full)
 */
int unix_connect_now(int sfd, const struct sockaddr_un *to, socklen_t len)
{
	int fl = fcntl(sfd, F_GETFL), e;

	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK) && fcntl(sfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	e = connect(sfd, (const struct sockaddr *)to, len) < 0 ? -errno : 0;
	if (!(fl & O_NONBLOCK))
		fcntl(sfd, F_SETFL, fl);
	return e;
}

/**
 * unix_wait_free() - stop waiting and free @w
 * @w:		the wait
 */
static void unix_wait_free(struct unix_wait *w)
{
	facet_unwatch(w->fs->f, w->tfd);
	close(w->tfd);
	close(w->sfd);
	if (w->hold >= 0)
		close(w->hold);
	free(w);
}

/**
 * unix_cancel() - the guest stopped waiting
 * @arg:	struct unix_wait
 */
static void unix_cancel(void *arg)
{
	unix_wait_free(arg);
}

/**
 * unix_now_ms() - CLOCK_MONOTONIC in milliseconds
 * Return: the time
 */
static uint64_t unix_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * unix_arm() - the next try in @w->ms milliseconds
 * @w:		the wait
 * Return: 0 or -errno
 */
static int unix_arm(struct unix_wait *w)
{
	struct itimerspec it = { 0 };

	it.it_value.tv_sec = w->ms / 1000;
	it.it_value.tv_nsec = (long)(w->ms % 1000) * 1000000;
	return timerfd_settime(w->tfd, 0, &it, NULL) < 0 ? -errno : 0;
}

/**
 * unix_retry() - time for another try
 * @f:		supervisor context
 * @fd:		the timerfd
 * @events:	unused
 * @arg:	struct unix_wait
 */
static void unix_retry(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct unix_wait *w = arg;
	uint64_t ticks;
	int64_t r;

	(void)events;
	if (read(fd, &ticks, sizeof(ticks)) < 0 && errno == EAGAIN)
		return;
	r = w->tolen ? unix_connect_now(w->sfd, &w->to, w->tolen)
		     : unix_send_now(w->fs, facet_deferred_call(w->d), w->sfd);
	if (r == -EAGAIN && (!w->until || unix_now_ms() < w->until)) {
		w->ms = w->ms * 2 > UX_WAIT_MAX_MS ? UX_WAIT_MAX_MS : w->ms * 2;
		if (unix_arm(w) == 0)
			return;
	}
	facet_reply(f, w->d, r < 0 ? -1 : r, r < 0 ? (int)-r : 0);
	unix_wait_free(w);
}

/**
 * unix_wait() - wait for room, and try again
 * @fs:		module state
 * @call:	the call
 * @sfd:	the socket (the wait takes it)
 * @to:		for a connect, its host address, else NULL
 * @tolen:	its length
 * @hold:	an fd @to names, or -1 (the wait takes it too)
 * Return: 0 (deferred), or -errno (@sfd and @hold are still the caller's)
 */
static int unix_wait(struct files *fs, struct facet_call *call, int sfd,
		     const struct sockaddr_un *to, socklen_t tolen, int hold)
{
	struct timeval tv = { 0 };
	socklen_t l = sizeof(tv);
	struct unix_wait *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	*w = (struct unix_wait){ .fs = fs, .sfd = sfd, .ms = 1, .hold = hold,
		.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK) };
	if (to) {
		w->to = *to;
		w->tolen = tolen;
	}
	if (getsockopt(sfd, SOL_SOCKET, SO_SNDTIMEO, &tv, &l) == 0 &&
	    (tv.tv_sec || tv.tv_usec))
		w->until = unix_now_ms() + (uint64_t)tv.tv_sec * 1000 +
			   (uint64_t)tv.tv_usec / 1000 + 1;
	if (w->tfd < 0 || unix_arm(w) < 0 ||
	    facet_watch(fs->f, w->tfd, EPOLLIN, unix_retry, w) < 0) {
		if (w->tfd >= 0)
			close(w->tfd);
		free(w);
		return -ENOMEM;
	}
	if (!(w->d = facet_defer(fs->f, call, unix_cancel, w))) {
		facet_unwatch(fs->f, w->tfd);
		close(w->tfd);
		free(w);
		return -ENOMEM;
	}
	return 0;
}

/**
 * unix_send() - sendto, sendmsg or sendmmsg: made by the supervisor on an
 *		 AF_UNIX datagram socket (see Theory of Operation)
 * @fs:		module state
 * @call:	the call
 * Return: FACET_PASS for another socket, else the outcome
 */
enum facet_outcome unix_send(struct files *fs, struct facet_call *call)
{
	int flags = (int)call->args[call->nr == __NR_sendmsg ? 2 : 3];
	int sfd = facet_getfd(fs->f, call, (int)call->args[0]), type, fl;
	int64_t r;

	if (sfd < 0)
		return FACET_PASS;	/* the kernel says EBADF */
	if (!unix_kind(sfd, &type) || type != SOCK_DGRAM) {
		close(sfd);
		return FACET_PASS;	/* the address is not used */
	}
	if (fs->sandbox)
		unix_autobind_passcred(sfd);
	r = unix_send_now(fs, call, sfd);
	fl = fcntl(sfd, F_GETFL);
	if (r == -EAGAIN && !(flags & MSG_DONTWAIT) && fl >= 0 && !(fl & O_NONBLOCK) &&
	    (r = unix_wait(fs, call, sfd, NULL, 0, -1)) == 0)
		return FACET_DEFER;
	close(sfd);
	return facet_result(call, r);
}

/**
 * unix_connect() - connect the guest's AF_UNIX socket to a host address;
 *		    a full backlog is waited for in the event loop, unless
 *		    the guest's socket is non-blocking (EAGAIN, as natively)
 * @fs:		module state
 * @call:	the connect
 * @sfd:	the supervisor's copy of the socket (taken)
 * @to:		the address
 * @len:	its length
 * @hold:	an fd @to names (/proc/self/fd/N), or -1 (taken)
 * Return: 1 if the call is deferred, else 0 or -errno for the guest
 */
int unix_connect(struct files *fs, struct facet_call *call, int sfd,
		 const struct sockaddr_un *to, socklen_t len, int hold)
{
	int e = unix_connect_now(sfd, to, len), fl = fcntl(sfd, F_GETFL);

	if (e == -EAGAIN && fl >= 0 && !(fl & O_NONBLOCK) &&
	    unix_wait(fs, call, sfd, to, len, hold) == 0)
		return 1;
	close(sfd);
	if (hold >= 0)
		close(hold);
	return e;
}
