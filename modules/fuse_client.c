// SPDX-License-Identifier: GPL-2.0-or-later
/* fuse_client.c - the kernel's side of the FUSE protocol, spoken to a daemon
 * over a socket instead of /dev/fuse
 *
 * DOC: Theory of Operation
 * An unmodified FUSE daemon (fuse2fs, squashfuse, fuseiso, fuse-zip, ...)
 * runs as a child of the supervisor, outside every view, under a small
 * seccomp filter of its own that traps open, openat, mount and umount2.  Its
 * open("/dev/fuse") gets one end of a SOCK_SEQPACKET socketpair (ADDFD with
 * SEND); its mount(2) and umount2(2) succeed without doing anything; every
 * other open runs as the daemon asked.  libfuse 2 and 3 both mount that way,
 * and neither notices: the socket keeps message boundaries, so each read()
 * returns one request and each writev() sends one reply, as on /dev/fuse.
 *
 * The supervisor then speaks the kernel's side on the other end: INIT, and
 * requests one at a time, each waiting for its reply, except the READs of
 * fusec_read_fd(), a few in flight at once.  While it waits it
 * also answers the daemon's trapped calls and passes on what the daemon
 * writes to stderr.  A daemon that dies makes every call fail with ENOTCONN
 * at once; a request not answered within the timeout (30 s, or
 * FACET_FUSE_TIMEOUT seconds) is sent a FUSE_INTERRUPT, as the kernel
 * sends one for a caller that gives up; a daemon that still does not
 * answer within 2 s is cut off: that call fails with EIO and the later ones
 * with ENOTCONN, as after the kernel's connection abort.
 *
 * A daemon a guest runs itself (fuse2fs img /mnt in the view) is adopted
 * instead (fusec_adopt()): its open("/dev/fuse") got a socket in the view
 * (files_image.c) and its mount(2) brought the other end here.  That one
 * is a guest, under the guests' filter: INIT is sent at the first request,
 * after its mount(2) has returned, and it is gone when every copy of its
 * end is closed.  While it answers, its own trapped calls (an fstat, an
 * open of a locale file) are served at once: a process that holds its end
 * of the socket is the daemon; other guests' calls wait for the loop.
 *
 * facet's own file systems (fsmodules/) need no daemon at all
 * (fusec_local()): each request is handed to a function in this process,
 * which answers through fusec_local_reply() before it returns.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "facet_module.h"
#include "fuse_client.h"

#define FUSEC_START_MS	30000	/* a daemon must mount within this */
#define FUSEC_CALL_MS	30000	/* and answer each request within this */
#define FUSEC_READS	4	/* READs in flight in fusec_read_fd() */
#define FUSEC_LOOKUPS	16	/* LOOKUPs in flight in fusec_lookup_many() */
#define FUSEC_INTR_MS	2000	/* after an INTERRUPT, the last wait */

/**
 * struct fusec - one connection to a daemon
 * @f:		supervisor, for messages
 * @name:	the program's name, for messages
 * @fd:		our end of the socketpair
 * @dev:	the daemon's end, until its open("/dev/fuse") has it
 * @listener:	notification fd of the daemon's filter
 * @errfd:	read end of the daemon's stderr
 * @pidfd:	the daemon
 * @pid:	its pid
 * @unique:	last request number
 * @minor:	protocol minor version agreed
 * @max_write:	largest WRITE the daemon takes
 * @timeout_ms:	how long a reply may take
 * @mounted:	the daemon has called mount(2)
 * @need_init:	adopted, INIT not sent yet
 * @adopted:	the daemon is a guest (fusec_adopt())
 * @plus:	it answers READDIRPLUS
 * @dev_ino:	for @adopted, inode of the daemon's end of the socket
 * @known:	threads seen holding it (the daemon's), most recent first
 * @broken:	the connection is gone: calls fail with ENOTCONN
 * @starting:	its stderr is kept in @err, for a message if it fails
 * @err:	what it wrote to stderr while starting
 * @errlen:	how much
 * @local:	an in-process file system's entry points, or NULL
 * @ctx:	its state
 * @rbuf:	fusec_local_reply() puts the payload here
 * @rsize:	room there
 * @rlen:	bytes of payload, or -errno; 1 past INT_MAX until it answers
 * @runique:	the request it answers
 */
struct fusec {
	struct facet *f;
	char *name;
	int fd, dev, listener, errfd, pidfd;
	pid_t pid;
	uint64_t unique;
	uint32_t minor, max_write;
	ino_t dev_ino;
	pid_t known[8];
	int timeout_ms;
	bool mounted, broken, starting, need_init, adopted, plus;
	char err[4096];
	size_t errlen;
	const struct fusec_local_ops *local;
	void *ctx;
	void *rbuf;
	size_t rsize;
	long rlen;
	uint64_t runique;
};

/**
 * now_ms() - a monotonic clock in milliseconds
 * Return: milliseconds
 */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * drain_err() - take what the daemon wrote to stderr
 * @c:		connection
 *
 * While it starts, keep it for the failure message; afterwards, pass it on
 * line by line as "facet: NAME: ...".
 */
static void drain_err(struct fusec *c)
{
	char buf[4096];
	ssize_t n;

	if (c->errfd < 0)
		return;
	n = read(c->errfd, buf, sizeof(buf));
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		close(c->errfd);
		c->errfd = -1;
		return;
	}
	if (c->starting) {
		if ((size_t)n > sizeof(c->err) - 1 - c->errlen)
			n = (ssize_t)(sizeof(c->err) - 1 - c->errlen);
		memcpy(c->err + c->errlen, buf, (size_t)n);
		c->errlen += (size_t)n;
		c->err[c->errlen] = 0;
		return;
	}
	fprintf(stderr, "facet: %s: %.*s%s", c->name, (int)n, buf,
		buf[n - 1] == '\n' ? "" : "\n");
}

/**
 * daemon_path() - read a path the daemon passed to a trapped call
 * @pid:	its thread
 * @addr:	address of the string
 * @buf:	where to put it
 * @size:	room, with the NUL
 * Return: 0, or -1 if unreadable or too long
 */
static int daemon_path(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0, want;
	struct iovec l, r;
	ssize_t n;

	while (got < size - 1) {
		want = 4096 - ((addr + got) & 4095);
		if (want > size - 1 - got)
			want = size - 1 - got;
		l = (struct iovec){ buf + got, want };
		r = (struct iovec){ (void *)(uintptr_t)(addr + got), want };
		if ((n = process_vm_readv(pid, &l, 1, &r, 1, 0)) <= 0)
			return -1;
		if (memchr(buf + got, 0, (size_t)n))
			return 0;
		got += (size_t)n;
	}
	return -1;
}

/**
 * daemon_call() - answer one trapped call of the daemon
 * @c:		connection
 */
static void daemon_call(struct fusec *c)
{
	union {
		struct seccomp_notif n;
		char room[512];
	} req;
	struct seccomp_notif_resp resp = { 0 };
	struct seccomp_notif_addfd add = { 0 };
	uint64_t addr = 0, flags = 0;
	char path[64];

	memset(&req, 0, sizeof(req));
	if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	resp.id = req.n.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	switch (req.n.data.nr) {
	case __NR_open:
		addr = req.n.data.args[0];
		flags = req.n.data.args[1];
		break;
	case __NR_openat:
		addr = req.n.data.args[1];
		flags = req.n.data.args[2];
		break;
	case __NR_mount:
		c->mounted = true;
		resp.flags = 0;
		break;
	case __NR_umount2:
		c->mounted = false;
		resp.flags = 0;
		break;
	}
	if (addr && !daemon_path(req.n.pid, addr, path, sizeof(path)) &&
	    !strcmp(path, "/dev/fuse")) {
		if (c->dev >= 0) {
			add.id = req.n.id;
			add.flags = SECCOMP_ADDFD_FLAG_SEND;
			add.srcfd = (uint32_t)c->dev;
			add.newfd_flags = flags & O_CLOEXEC;
			if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add) >= 0)
				return;
		}
		resp.flags = 0;
		resp.error = -ENODEV;
	}
	ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/**
 * daemon_gone() - the daemon has exited: say how, once
 * @c:		connection
 */
static void daemon_gone(struct fusec *c)
{
	struct pollfd p = { .fd = c->pidfd, .events = POLLIN };

	c->broken = true;
	if (c->pid <= 0 || poll(&p, 1, 0) != 1)
		return;
	c->pid = 0;
	drain_err(c);
	if (!c->starting)
		facet_error(c->f, "%s has exited: its files now fail with ENOTCONN",
			    c->name);
}

/**
 * is_daemon() - does thread @tid hold the daemon's end of the socket?
 * @arg:	connection (adopted)
 * @tid:	the thread
 * Return: 1 if so, else 0
 */
static int is_daemon(void *arg, pid_t tid)
{
	struct fusec *c = arg;
	char dir[64], path[320], link[64], want[64];
	struct dirent *de;
	int i, yes = 0;
	DIR *d;

	for (i = 0; i < 8; i++)
		if (c->known[i] == tid)
			return 1;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", tid);
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)c->dev_ino);
	if (!(d = opendir(dir)))
		return 0;
	while (!yes && (de = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = 0;
			yes = !strcmp(link, want);
		}
	}
	closedir(d);
	if (yes) {
		memmove(c->known + 1, c->known, sizeof(c->known) - sizeof(c->known[0]));
		c->known[0] = tid;
	}
	return yes;
}

/**
 * wait_event() - wait for the socket, serving the daemon meanwhile
 * @c:		connection
 * @deadline:	now_ms() by which something must come
 * @until:	stop when this becomes true (NULL: when the socket is readable)
 * Return: 0 when the socket is readable (or *@until), -ETIMEDOUT,
 *	   -ENOTCONN if the daemon died
 */
static int wait_event(struct fusec *c, long long deadline, const bool *until)
{
	struct pollfd p[6];
	long long left;
	int n;

	for (;;) {
		if (until && *until)
			return 0;
		if (c->broken)
			return -ENOTCONN;
		p[0] = (struct pollfd){ .fd = until ? -1 : c->fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = c->listener, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = c->errfd, .events = POLLIN };
		p[3] = (struct pollfd){ .fd = c->pidfd, .events = POLLIN };
		p[4] = (struct pollfd){ .fd = c->adopted ? facet_guest_events_fd(c->f) : -1,
					.events = POLLIN };
		p[5] = (struct pollfd){ .fd = c->adopted ? facet_guest_calls_fd(c->f) : -1,
					.events = POLLIN };
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(p, 6, (int)(left > INT_MAX ? INT_MAX : left));
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n <= 0)
			continue;
		if (p[1].revents & POLLIN)
			daemon_call(c);
		if (p[2].revents)
			drain_err(c);
		if (p[4].revents & POLLIN)
			facet_guest_events(c->f);
		if (p[5].revents & POLLIN)
			facet_guest_calls(c->f, is_daemon, c);
		if (p[0].revents & POLLIN)
			return 0;
		if (p[0].revents & (POLLHUP | POLLERR) || p[3].revents)
			daemon_gone(c);
	}
}

static int init_conn(struct fusec *c);

/**
 * ready() - an adopted connection sends INIT before its first request
 *	     (what is sent depends on the version it agrees)
 * @c:		connection
 * Return: 0, or -ENOTCONN
 */
static int ready(struct fusec *c)
{
	int e;

	if (c->need_init) {
		c->need_init = false;
		if ((e = init_conn(c)) < 0) {
			facet_error(c->f, "%s: %s", c->name, e == -EPROTO ?
				    "it speaks another FUSE protocol" : strerror(-e));
			c->broken = true;
		}
	}
	return c->broken ? -ENOTCONN : 0;
}

/**
 * local_call() - hand a request to an in-process file system
 * @c:		connection
 * @h:		its header (length set)
 * @in:		its arguments
 * @nin:	how many pieces
 * @out:	where the reply's payload goes
 * @size:	room there
 * Return: bytes of payload, or -errno
 */
static int local_call(struct fusec *c, const struct fuse_in_header *h,
		      const struct iovec *in, int nin, void *out, size_t size)
{
	char small[512], *req = small;
	size_t at = sizeof(*h);
	int i;

	if (h->len > sizeof(small) && !(req = malloc(h->len)))
		return -ENOMEM;
	memcpy(req, h, sizeof(*h));
	for (i = 0; i < nin; i++) {
		memcpy(req + at, in[i].iov_base, in[i].iov_len);
		at += in[i].iov_len;
	}
	c->rbuf = out;
	c->rsize = size;
	c->rlen = (long)INT_MAX + 1;
	c->runique = h->unique;
	c->local->request(c->ctx, c, req, h->len);
	if (req != small)
		free(req);
	if (h->opcode == FUSE_FORGET)
		return 0;
	if (c->rlen > INT_MAX) {
		facet_error(c->f, "%s did not answer request %u", c->name, h->opcode);
		return -EIO;
	}
	return (int)c->rlen;
}

/**
 * fusec_local_reply() - an in-process file system answers
 * @c:		connection
 * @iov:	the reply, fuse_out_header first
 * @n:		pieces
 */
void fusec_local_reply(struct fusec *c, const struct iovec *iov, int n)
{
	const struct fuse_out_header *oh = iov[0].iov_base;
	size_t at = 0, len;
	int i;

	if (n < 1 || iov[0].iov_len < sizeof(*oh) || oh->unique != c->runique)
		return;		/* a notification */
	if (oh->error) {
		c->rlen = oh->error < 0 && oh->error > -4096 ? oh->error : -EIO;
		return;
	}
	for (i = 0; i < n; i++) {
		const char *p = iov[i].iov_base;

		len = iov[i].iov_len;
		if (!i) {
			p += sizeof(*oh);
			len -= sizeof(*oh);
		}
		if (len > c->rsize - at) {
			c->rlen = -EIO;
			return;
		}
		memcpy((char *)c->rbuf + at, p, len);
		at += len;
	}
	c->rlen = (long)at;
}

/**
 * fusec_socketpair() - the socketpair a daemon and this end speak over, with
 *			room for a reply of FUSEC_MAX_READ bytes
 * @sv:		the two ends
 * Return: 0, or -1 with errno set
 */
int fusec_socketpair(int sv[2])
{
	int room = FUSEC_MAX_READ + 65536, i;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	for (i = 0; i < 2; i++)	/* as far as net.core.wmem_max allows */
		setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &room, sizeof(room));
	return 0;
}

/**
 * cut_off() - a daemon that did not answer in time: no more calls to it
 * @c:		connection
 * Return: -EIO, for the call that waited
 */
static int cut_off(struct fusec *c)
{
	facet_error(c->f, "%s did not answer in %d s: its files now fail with ENOTCONN",
		    c->name, c->timeout_ms / 1000);
	c->broken = true;
	return -EIO;
}

/**
 * send_req() - send a request without waiting for its reply
 * @c:		connection (not local)
 * @h:		its header, filled here but for opcode and nodeid
 * @in:		its arguments
 * @nin:	how many pieces (at most 4)
 * Return: 0 or -errno (ENOTCONN, EIO)
 */
static int send_req(struct fusec *c, struct fuse_in_header *h,
		    const struct iovec *in, int nin)
{
	struct iovec iov[5];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)nin + 1 };
	int i, e;

	iov[0] = (struct iovec){ h, sizeof(*h) };
	for (i = 0; i < nin; i++)
		iov[i + 1] = in[i];
	if (sendmsg(c->fd, &msg, MSG_NOSIGNAL) < 0) {
		e = errno == EMSGSIZE ? -EIO : -ENOTCONN;
		if (e == -ENOTCONN)
			daemon_gone(c);
		return e;
	}
	return 0;
}

/**
 * recv_reply() - wait for the next reply, whichever request it answers
 * @c:		connection (not local)
 * @oh:		its header
 * @out:	where its payload goes
 * @size:	room there
 * @deadline:	when to give up (now_ms()), or 0 for the connection's timeout
 * Return: bytes of payload (the daemon's error is in @oh), or -errno
 *	   (ETIMEDOUT after @deadline, EIO after the connection's timeout,
 *	   which cuts it off; ENOTCONN, EIO for a payload bigger than @size)
 */
static int recv_reply(struct fusec *c, struct fuse_out_header *oh, void *out,
		      size_t size, long long deadline)
{
	struct iovec iov[2];
	struct msghdr msg;
	ssize_t n;
	int e;

	for (;;) {
		e = wait_event(c, deadline ? deadline : now_ms() + c->timeout_ms, NULL);
		if (e == -ETIMEDOUT && deadline)
			return e;
		if (e == -ETIMEDOUT) {
			return cut_off(c);
		}
		if (e < 0)
			return e;
		iov[0] = (struct iovec){ oh, sizeof(*oh) };
		iov[1] = (struct iovec){ out, size };
		msg = (struct msghdr){ .msg_iov = iov, .msg_iovlen = 2 };
		n = recvmsg(c->fd, &msg, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < (ssize_t)sizeof(*oh)) {
			daemon_gone(c);
			c->broken = true;
			return -ENOTCONN;
		}
		if (msg.msg_flags & MSG_TRUNC)
			return -EIO;
		return (int)(n - (ssize_t)sizeof(*oh));
	}
}

/**
 * send_interrupt() - FUSE_INTERRUPT of request @unique
 * @c:		connection (not local)
 * @unique:	the request
 */
static void send_interrupt(struct fusec *c, uint64_t unique)
{
	struct fuse_interrupt_in ii = { .unique = unique };
	struct iovec in = { &ii, sizeof(ii) };
	struct fuse_in_header h = { .len = sizeof(h) + sizeof(ii),
				    .opcode = FUSE_INTERRUPT,
				    .unique = unique | 1 };	/* FUSE_INT_REQ_BIT */

	(void)send_req(c, &h, &in, 1);
}

/**
 * new_req() - a request's header
 * @c:		connection
 * @h:		filled here
 * @opcode:	FUSE_*
 * @nodeid:	the node it is about
 * @in:		its arguments
 * @nin:	how many pieces
 */
static void new_req(struct fusec *c, struct fuse_in_header *h, uint32_t opcode,
		    uint64_t nodeid, const struct iovec *in, int nin)
{
	int i;

	*h = (struct fuse_in_header){ .len = sizeof(*h), .opcode = opcode,
				      .nodeid = nodeid };
	for (i = 0; i < nin; i++)
		h->len += (uint32_t)in[i].iov_len;
	static uint32_t uid, gid, pid;

	if (!pid) {	/* facet's own: it does not change them */
		uid = geteuid();
		gid = getegid();
		pid = (uint32_t)getpid();
	}
	c->unique += 2;
	h->unique = c->unique;
	h->uid = uid;
	h->gid = gid;
	h->pid = pid;
}

/**
 * fusec_call() - send a request and wait for its reply
 * @c:		connection
 * @opcode:	FUSE_*
 * @nodeid:	the node it is about
 * @in:		its arguments
 * @nin:	how many pieces (at most 4)
 * @out:	where the reply's payload goes
 * @size:	room there
 * Return: bytes of payload, or -errno (the daemon's, or ENOTCONN, EIO)
 */
int fusec_call(struct fusec *c, uint32_t opcode, uint64_t nodeid,
	       const struct iovec *in, int nin, void *out, size_t size)
{
	struct fuse_in_header h;
	struct fuse_out_header oh;
	bool interrupted = false;
	long long deadline;
	int n;

	if (ready(c) < 0)
		return -ENOTCONN;
	new_req(c, &h, opcode, nodeid, in, nin);
	if (c->local)
		return local_call(c, &h, in, nin, out, size);
	if ((n = send_req(c, &h, in, nin)) < 0)
		return n;
	if (opcode == FUSE_FORGET)
		return 0;
	/* no answer in time: INTERRUPT it, as the kernel does for a caller
	 * that gives up, and wait a little more before cutting the daemon
	 * off; a reply to the INTERRUPT itself (EAGAIN) is passed over */
	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		n = recv_reply(c, &oh, out, size, deadline);
		if (n == -ETIMEDOUT && !interrupted) {
			interrupted = true;
			send_interrupt(c, h.unique);
			deadline = now_ms() + FUSEC_INTR_MS;
			continue;
		}
		if (n == -ETIMEDOUT) {
			return cut_off(c);
		}
		if (n < 0)
			return n;
		if (oh.unique == h.unique)
			break;
		/* a late reply to another call, or the INTERRUPT's own */
	}
	if (interrupted && oh.error == -EINTR)
		return -EIO;	/* the call was abandoned */
	if (oh.error)
		return oh.error < 0 && oh.error > -4096 ? oh.error : -EIO;
	return n;
}

/**
 * fusec_read_fd() - READ [@off, @end) of an open file and write it to @wfd
 *		     at the same offsets, with FUSEC_READS requests in flight
 *		     so that the daemon reads the next while this writes
 * @c:		connection
 * @node:	the node
 * @fh:		open handle
 * @off:	start
 * @end:	end
 * @wfd:	where the data goes
 * @buf:	@chunk bytes of room
 * @chunk:	bytes per READ
 * Return: where the data ended (before @end at the file's end), or -errno
 */
int64_t fusec_read_fd(struct fusec *c, uint64_t node, uint64_t fh,
		      uint64_t off, uint64_t end, int wfd, void *buf,
		      uint32_t chunk)
{
	struct fuse_read_in ri = { .fh = fh };
	struct iovec in = { &ri, c->minor < 9 ? 24 : sizeof(ri) };
	struct { uint64_t unique, off, size; } q[FUSEC_READS];
	uint64_t next = off, stop = end;
	struct fuse_out_header oh;
	int nq = 0, i, n;
	long r;

	if (ready(c) < 0)
		return -ENOTCONN;
	while (c->local && off < stop) {
		r = fusec_read(c, node, fh, off, buf,
			       end - off < chunk ? end - off : chunk);
		if (r <= 0 || pwrite(wfd, buf, (size_t)r, (off_t)off) != r)
			return r < 0 ? r : r ? -EIO : (int64_t)off;
		off += (uint64_t)r;
	}
	while (!c->local && (nq || next < stop)) {
		while (nq < FUSEC_READS && next < stop) {
			struct fuse_in_header h;

			ri.offset = next;
			ri.size = (uint32_t)(stop - next < chunk ? stop - next : chunk);
			new_req(c, &h, FUSE_READ, node, &in, 1);
			if ((n = send_req(c, &h, &in, 1)) < 0)
				return n;
			q[nq].unique = h.unique;
			q[nq].size = ri.size;
			q[nq++].off = next;
			next += ri.size;
		}
		if ((n = recv_reply(c, &oh, buf, chunk, 0)) < 0)
			return n;
		for (i = 0; i < nq && q[i].unique != oh.unique; i++)
			;
		if (i == nq)
			continue;	/* a late reply to an earlier call */
		off = q[i].off;
		if ((uint64_t)n < q[i].size && off + (uint64_t)n < stop)
			stop = off + (uint64_t)n;	/* the file ends there */
		q[i] = q[--nq];
		if (oh.error)
			return oh.error < 0 && oh.error > -4096 ? oh.error : -EIO;
		if (n && pwrite(wfd, buf, (size_t)n, (off_t)off) != n)
			return -EIO;
	}
	return (int64_t)(c->local ? off : stop);
}

/**
 * fusec_forget() - drop @n lookup references of @nodeid
 * @c:		connection
 * @nodeid:	the node
 * @n:		how many
 */
void fusec_forget(struct fusec *c, uint64_t nodeid, uint64_t n)
{
	struct fuse_forget_in fi = { .nlookup = n };
	struct iovec in = { &fi, sizeof(fi) };

	if (n && nodeid != FUSE_ROOT_ID)
		fusec_call(c, FUSE_FORGET, nodeid, &in, 1, NULL, 0);
}

/**
 * fusec_lookup() - LOOKUP @name in directory @dir
 * @c:		connection
 * @dir:	directory node
 * @name:	the name
 * @e:		result (one lookup reference taken)
 * Return: 0 or -errno
 */
int fusec_lookup(struct fusec *c, uint64_t dir, const char *name,
		 struct fusec_entry *e)
{
	struct iovec in = { (void *)name, strlen(name) + 1 };
	struct fuse_entry_out out;

	return fusec_entry_parse(&out, fusec_call(c, FUSE_LOOKUP, dir, &in, 1, &out,
					  sizeof(out)), e);
}

/**
 * fusec_lookup_many() - LOOKUP each of @n names in directory @dir, with
 *			 FUSEC_LOOKUPS requests in flight, so that the daemon
 *			 answers the next while the caller uses an answer
 * @c:		connection
 * @dir:	directory node
 * @names:	the names
 * @n:		how many
 * @each:	called with each name's index and entry (one lookup
 *		reference taken, the callee's), in the order the answers
 *		come; names the daemon does not have are passed over.  It
 *		must not call the daemon itself (its answer would be taken
 *		for another's); a negative answer stops the lookups, and the
 *		references of answers still to come are given back
 * @arg:	for @each
 * Return: 0 or -errno (@each's, or ENOTCONN, EIO)
 */
int fusec_lookup_many(struct fusec *c, uint64_t dir, char *const *names,
		      size_t n, int (*each)(void *arg, size_t i,
					    const struct fusec_entry *e),
		      void *arg)
{
	struct { uint64_t unique; size_t i; } q[FUSEC_LOOKUPS];
	struct fuse_entry_out out;
	struct fuse_out_header oh;
	struct fusec_entry e;
	size_t next = 0;
	int nq = 0, k, r, err = 0;

	if (ready(c) < 0)
		return -ENOTCONN;
	for (; c->local && next < n && !err; next++)
		if (!fusec_lookup(c, dir, names[next], &e))
			err = each(arg, next, &e);
	while (!c->local && (nq || (next < n && !err))) {
		while (!err && nq < FUSEC_LOOKUPS && next < n) {
			struct iovec in = { names[next], strlen(names[next]) + 1 };
			struct fuse_in_header h;

			new_req(c, &h, FUSE_LOOKUP, dir, &in, 1);
			if ((r = send_req(c, &h, &in, 1)) < 0)
				return r;
			q[nq].unique = h.unique;
			q[nq++].i = next++;
		}
		if ((r = recv_reply(c, &oh, &out, sizeof(out), 0)) < 0)
			return r;
		for (k = 0; k < nq && q[k].unique != oh.unique; k++)
			;
		if (k == nq)
			continue;	/* a late reply to an earlier call */
		if (oh.error)
			r = oh.error < 0 && oh.error > -4096 ? oh.error : -EIO;
		r = fusec_entry_parse(&out, r, &e);
		if (!r && err)
			fusec_forget(c, e.nodeid, 1);
		else if (!r)
			err = each(arg, q[k].i, &e);
		q[k] = q[--nq];
	}
	return err;
}

/**
 * fusec_getattr() - GETATTR
 * @c:		connection
 * @node:	the node
 * @a:		result
 * @valid_ms:	if not NULL, for how long @a may be trusted (ms, or
 *		FUSEC_FOREVER)
 * Return: 0 or -errno
 */
int fusec_getattr(struct fusec *c, uint64_t node, struct fuse_attr *a,
		  uint64_t *valid_ms)
{
	struct fuse_getattr_in gi = { 0 };
	struct iovec in = { &gi, sizeof(gi) };
	struct fuse_attr_out out;
	int n = ready(c);

	if (!n)
		n = fusec_call(c, FUSE_GETATTR, node, &in, c->minor >= 9, &out,
			       sizeof(out));

	if (n < 0)
		return n;
	if (n < FUSE_COMPAT_ATTR_OUT_SIZE)
		return -EIO;
	memset(a, 0, sizeof(*a));
	memcpy(a, &out.attr, (size_t)n >= sizeof(out) ? sizeof(*a)
	       : FUSE_COMPAT_ATTR_OUT_SIZE - offsetof(struct fuse_attr_out, attr));
	if (valid_ms)
		*valid_ms = fusec_valid_ms(out.attr_valid, out.attr_valid_nsec);
	return 0;
}

/**
 * fusec_open() - OPEN or OPENDIR
 * @c:		connection
 * @node:	the node
 * @dir:	OPENDIR
 * @flags:	open flags
 * @fh:		the daemon's handle
 * Return: 0 or -errno
 */
int fusec_open(struct fusec *c, uint64_t node, bool dir, int flags,
	       uint64_t *fh)
{
	struct fuse_open_in oi = { .flags = (uint32_t)flags };
	struct iovec in = { &oi, sizeof(oi) };
	struct fuse_open_out out = { 0 };
	int n = fusec_call(c, dir ? FUSE_OPENDIR : FUSE_OPEN, node, &in, 1,
			   &out, sizeof(out));

	if (n < 0)
		return n;
	*fh = out.fh;
	return 0;
}

/**
 * fusec_release() - RELEASE or RELEASEDIR
 * @c:		connection
 * @node:	the node
 * @dir:	RELEASEDIR
 * @fh:		handle from fusec_open()
 * @flags:	the flags it was opened with
 */
void fusec_release(struct fusec *c, uint64_t node, bool dir, uint64_t fh,
		   int flags)
{
	struct fuse_release_in ri = { .fh = fh, .flags = (uint32_t)flags };
	struct iovec in = { &ri, sizeof(ri) };

	fusec_call(c, dir ? FUSE_RELEASEDIR : FUSE_RELEASE, node, &in, 1, NULL, 0);
}

/**
 * fusec_read() - READ
 * @c:		connection
 * @node:	the node
 * @fh:		open handle
 * @off:	offset
 * @buf:	where to put the data
 * @size:	how much to ask for
 * Return: bytes read (short at the end), or -errno
 */
long fusec_read(struct fusec *c, uint64_t node, uint64_t fh, uint64_t off,
		void *buf, size_t size)
{
	struct fuse_read_in ri = { .fh = fh, .offset = off, .size = (uint32_t)size };
	struct iovec in = { &ri, sizeof(ri) };

	if (ready(c) < 0)
		return -ENOTCONN;
	if (c->minor < 9)
		in.iov_len = 24;
	return fusec_call(c, FUSE_READ, node, &in, 1, buf, size);
}

/**
 * fusec_write() - WRITE
 * @c:		connection
 * @node:	the node
 * @fh:		open handle
 * @off:	offset
 * @buf:	the data
 * @size:	how much (at most fusec_max_write())
 * Return: bytes written, or -errno
 */
long fusec_write(struct fusec *c, uint64_t node, uint64_t fh, uint64_t off,
		 const void *buf, size_t size)
{
	struct fuse_write_in wi = { .fh = fh, .offset = off, .size = (uint32_t)size };
	struct iovec in[2] = {
		{ &wi, sizeof(wi) },
		{ (void *)buf, size },
	};
	struct fuse_write_out out = { 0 };
	int n = ready(c);

	if (!n && c->minor < 9)
		in[0].iov_len = FUSE_COMPAT_WRITE_IN_SIZE;
	if (!n)
		n = fusec_call(c, FUSE_WRITE, node, in, 2, &out, sizeof(out));

	return n < 0 ? n : (long)out.size;
}

/**
 * fusec_readlink() - READLINK
 * @c:		connection
 * @node:	the node
 * @buf:	result, NUL-terminated
 * @size:	room
 * Return: 0 or -errno
 */
int fusec_readlink(struct fusec *c, uint64_t node, char *buf, size_t size)
{
	int n = fusec_call(c, FUSE_READLINK, node, NULL, 0, buf, size - 1);

	if (n < 0)
		return n;
	buf[n] = 0;
	return 0;
}

/**
 * fusec_max_write() - the largest WRITE to send
 * @c:		connection
 * Return: bytes
 */
uint32_t fusec_max_write(struct fusec *c)
{
	ready(c);
	return c->max_write;
}

/**
 * fusec_max_read() - the largest READ to ask for: what one message on the
 *		      socket can carry (fusec_socketpair()), at most
 *		      FUSEC_MAX_READ
 * @c:		connection
 * Return: bytes, a power of two
 */
uint32_t fusec_max_read(const struct fusec *c)
{
	int room = 0;
	socklen_t len = sizeof(room);
	uint32_t n = FUSEC_MAX_READ;

	if (!c->local && getsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &room, &len) == 0)
		while (n > 4096 && n + 4096 > (uint32_t)room)
			n /= 2;
	return n;
}

/**
 * fusec_minor() - the protocol's minor version agreed
 * @c:		connection
 * Return: the version
 */
uint32_t fusec_minor(struct fusec *c)
{
	ready(c);
	return c->minor;
}

/**
 * fusec_plus() - does the daemon answer READDIRPLUS (entries with their
 *		  attributes and a lookup reference each)?
 * @c:		connection
 * Return: true if so
 */
bool fusec_plus(const struct fusec *c)
{
	return c->plus;
}

/**
 * fusec_name() - the daemon's name, for messages
 * @c:		connection
 * Return: the name
 */
const char *fusec_name(const struct fusec *c)
{
	return c->name;
}

/**
 * find_program() - look a daemon up as execvp() would
 * @prog:	name or path
 * @out:	its path
 * @size:	room
 * Return: 0 or -ENOENT
 */
static int find_program(const char *prog, char *out, size_t size)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(prog, '/')) {
		snprintf(out, size, "%s", prog);
		return access(out, X_OK) ? -errno : 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
	for (p = path; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		if ((int)snprintf(out, size, "%.*s/%s", (int)(e - p), p, prog) < (int)size &&
		    !access(out, X_OK))
			return 0;
	}
	return -ENOENT;
}

/**
 * child_run() - in the daemon's process: the filter, then the program
 * @argv:	its arguments, argv[0] its path
 * @ctl:	socket to send the filter's notification fd over
 * @errfd:	its stdout and stderr
 */
static void child_run(char *const argv[], int ctl, int errfd)
{
	static const int trapped[] = { __NR_open, __NR_openat, __NR_mount,
				       __NR_umount2 };
	char cbuf[CMSG_SPACE(2 * sizeof(int))] = { 0 };
	struct msghdr msg = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct iovec iov = { (void *)"f", 1 };
	scmp_filter_ctx ctx;
	int fd[2], nul;
	size_t i;

	nul = open("/dev/null", O_RDONLY);
	dup2(nul, 0);
	dup2(errfd, 1);
	dup2(errfd, 2);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    !(ctx = seccomp_init(SCMP_ACT_ALLOW)))
		goto fail;
	for (i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, trapped[i], 0) < 0)
			goto fail;
	if (seccomp_load(ctx) < 0 || (fd[0] = seccomp_notify_fd(ctx)) < 0 ||
	    (fd[1] = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0)
		goto fail;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_RIGHTS;
	CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(fd));
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), fd, sizeof(fd));
	if (sendmsg(ctl, &msg, 0) < 0)
		goto fail;
	syscall(SYS_close_range, 3U, ~0U, 0);
	execv(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
fail:
	fprintf(stderr, "cannot set up its filter: %s\n", strerror(errno));
	_exit(127);
}

/**
 * recv_fds() - the notification fd and pidfd the daemon sends
 * @c:		connection: @c->listener, @c->pidfd and @c->pid are set
 * @ctl:	socket
 * Return: 0, or -1 (the daemon failed: its stderr says why)
 */
static int recv_fds(struct fusec *c, int ctl)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))], b, line[256];
	struct iovec iov = { &b, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd[2];
	FILE *info;

	if (recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(fd)))
		return -1;
	memcpy(fd, CMSG_DATA(cm), sizeof(fd));
	c->listener = fd[0];
	c->pidfd = fd[1];
	snprintf(line, sizeof(line), "/proc/self/fdinfo/%d", c->pidfd);
	if (!(info = fopen(line, "re")))
		return -1;
	while (fgets(line, sizeof(line), info))
		if (sscanf(line, "Pid: %d", &c->pid) == 1)
			break;
	fclose(info);
	return c->pid > 0 ? 0 : -1;
}

/**
 * spawn() - start the daemon under its filter
 * @c:		connection being made
 * @argv:	its arguments
 * Return: 0 or -errno (message printed)
 */
static int spawn(struct fusec *c, char *const argv[])
{
	int ctl[2], errp[2], e;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0)
		return -errno;
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(ctl[0]);
		close(ctl[1]);
		return -errno;
	}
	fflush(stderr);
	/* the daemon is no child of facet's: the supervisor's loop waits for
	 * every child it has, and ends when none is left */
	if ((pid = fork()) < 0) {
		close(ctl[0]);
		close(ctl[1]);
		close(errp[0]);
		close(errp[1]);
		return -errno;
	}
	if (!pid) {
		if ((pid = fork()) == 0)
			child_run(argv, ctl[1], errp[1]);
		_exit(pid < 0 ? 127 : 0);
	}
	waitpid(pid, NULL, 0);
	close(ctl[1]);
	close(errp[1]);
	c->errfd = errp[0];
	fcntl(c->errfd, F_SETFL, O_NONBLOCK);
	e = recv_fds(c, ctl[0]);
	close(ctl[0]);
	return e < 0 ? -ECHILD : 0;
}

/**
 * init_conn() - FUSE_INIT
 * @c:		connection
 * Return: 0 or -errno
 */
static int init_conn(struct fusec *c)
{
	struct fuse_init_in ii = {
		.major = FUSE_KERNEL_VERSION,
		.minor = FUSE_KERNEL_MINOR_VERSION,
		.max_readahead = 131072,
		.flags = FUSE_BIG_WRITES | FUSE_EXPORT_SUPPORT | FUSE_DO_READDIRPLUS,
	};
	struct iovec in = { &ii, sizeof(ii) };
	struct fuse_init_out out = { 0 };
	int n;

	c->minor = FUSE_KERNEL_MINOR_VERSION;
	n = fusec_call(c, FUSE_INIT, 0, &in, 1, &out, sizeof(out));
	if (n < 0)
		return n;
	if (n < FUSE_COMPAT_INIT_OUT_SIZE || out.major != FUSE_KERNEL_VERSION)
		return -EPROTO;
	c->minor = out.minor < FUSE_KERNEL_MINOR_VERSION ? out.minor
							 : FUSE_KERNEL_MINOR_VERSION;
	c->max_write = c->minor >= 5 && out.max_write ? out.max_write : 4096;
	if (c->max_write > 131072)
		c->max_write = 131072;
	c->plus = c->minor >= 21 && (out.flags & FUSE_DO_READDIRPLUS);
	return 0;
}

/**
 * start_fail() - say why a daemon could not be used, with its own words
 * @c:		connection
 * @why:	what went wrong
 */
static void start_fail(struct fusec *c, const char *why)
{
	drain_err(c);
	while (c->errlen && c->err[c->errlen - 1] == '\n')
		c->err[--c->errlen] = 0;
	facet_error(c->f, "%s: %s%s%s", c->name, why, c->errlen ? ":\n" : "",
		    c->err);
}

/**
 * fusec_start() - run a FUSE daemon and connect to it
 * @f:		supervisor, for messages
 * @prog:	the program (looked up in PATH)
 * @source:	its image or source argument
 * @opts:	-o options, or NULL
 * @mnt:	an empty directory to name as its mount point
 * @out:	the connection
 * Return: 0 or -errno (message printed, nothing left running)
 */
int fusec_start(struct facet *f, const char *prog, const char *source,
		const char *opts, const char *mnt, struct fusec **out)
{
	char path[PATH_MAX], why[128];
	char *argv[8] = { path, (char *)source, (char *)mnt, (char *)"-f" };
	struct fusec *c;
	const char *t;
	int sv[2], e;

	if (find_program(prog, path, sizeof(path)) < 0) {
		facet_error(f, "%s: no such program in PATH", prog);
		return -ENOENT;
	}
	if (opts) {
		argv[4] = (char *)"-o";
		argv[5] = (char *)opts;
	}
	if (!(c = calloc(1, sizeof(*c))) || !(c->name = strdup(prog))) {
		free(c);
		return -ENOMEM;
	}
	c->f = f;
	c->fd = c->dev = c->listener = c->errfd = c->pidfd = -1;
	c->starting = true;
	c->timeout_ms = (t = getenv("FACET_FUSE_TIMEOUT")) && atoi(t) > 0
			? atoi(t) * 1000 : FUSEC_CALL_MS;
	if (fusec_socketpair(sv) < 0) {
		fusec_stop(c);
		return -errno;
	}
	c->fd = sv[0];
	c->dev = sv[1];
	if ((e = spawn(c, argv)) < 0) {
		start_fail(c, "cannot start it");
		fusec_stop(c);
		return e;
	}
	e = wait_event(c, now_ms() + FUSEC_START_MS, &c->mounted);
	close(c->dev);
	c->dev = -1;
	if (!e)
		e = init_conn(c);
	if (e < 0) {
		snprintf(why, sizeof(why), "%s", e == -ENOTCONN ? "it exited before mounting"
			 : e == -ETIMEDOUT ? "it did not mount in time"
			 : e == -EPROTO ? "it speaks another FUSE protocol"
			 : strerror(-e));
		start_fail(c, why);
		fusec_stop(c);
		return -EINVAL;
	}
	c->starting = false;
	drain_err(c);
	if (c->errlen)
		fprintf(stderr, "facet: %s: %s", c->name, c->err);
	*out = c;
	return 0;
}

/**
 * fusec_adopt() - connect to a daemon a guest started, through @fd
 * @f:		supervisor, for messages
 * @name:	the program's name, for messages
 * @fd:		our end of the socket the daemon opened as /dev/fuse (taken)
 * @dev:	inode of the daemon's end
 * @out:	the connection
 * Return: 0 or -ENOMEM (@fd closed)
 */
int fusec_adopt(struct facet *f, const char *name, int fd, ino_t dev,
		struct fusec **out)
{
	struct fusec *c = calloc(1, sizeof(*c));
	const char *t;

	if (!c || !(c->name = strdup(name))) {
		free(c);
		close(fd);
		return -ENOMEM;
	}
	c->f = f;
	c->fd = fd;
	c->dev = c->listener = c->errfd = c->pidfd = -1;
	c->mounted = c->need_init = c->adopted = true;
	c->dev_ino = dev;
	c->timeout_ms = (t = getenv("FACET_FUSE_TIMEOUT")) && atoi(t) > 0
			? atoi(t) * 1000 : FUSEC_CALL_MS;
	*out = c;
	return 0;
}

/**
 * fusec_local() - connect to a file system in this process
 * @f:		supervisor, for messages
 * @name:	its name, for messages
 * @ops:	its entry points
 * @ctx:	its state (given back to @ops; @ops->destroy frees it)
 * @out:	the connection
 * Return: 0 or -errno (@ctx destroyed)
 */
int fusec_local(struct facet *f, const char *name,
		const struct fusec_local_ops *ops, void *ctx, struct fusec **out)
{
	struct fusec *c = calloc(1, sizeof(*c));
	int e;

	if (!c || !(c->name = strdup(name))) {
		free(c);
		ops->destroy(ctx);
		return -ENOMEM;
	}
	c->f = f;
	c->fd = c->dev = c->listener = c->errfd = c->pidfd = -1;
	c->local = ops;
	c->ctx = ctx;
	if ((e = init_conn(c)) < 0) {
		facet_error(f, "%s: %s", name, strerror(-e));
		fusec_stop(c);
		return e;
	}
	c->mounted = true;
	*out = c;
	return 0;
}

/**
 * fusec_detach() - end an adopted connection, as umount does: DESTROY (if
 *		    INIT was sent), then close; calls fail with ENOTCONN after
 * @c:		connection
 */
void fusec_detach(struct fusec *c)
{
	if (c->fd >= 0 && !c->broken && !c->need_init)
		fusec_call(c, FUSE_DESTROY, 0, NULL, 0, NULL, 0);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->broken = true;
}

/**
 * fusec_stop() - end the connection: DESTROY, then let the daemon exit
 * @c:		connection, or NULL
 *
 * The daemon writes what it still holds when it gets DESTROY (fuse2fs
 * closes the file system), then sees the socket close and exits; one that
 * lingers is killed after the timeout.
 */
void fusec_stop(struct fusec *c)
{
	long long deadline;

	if (!c)
		return;
	if (c->local) {
		if (c->mounted)
			fusec_call(c, FUSE_DESTROY, 0, NULL, 0, NULL, 0);
		c->local->destroy(c->ctx);
		free(c->name);
		free(c);
		return;
	}
	if (c->fd >= 0 && !c->broken && !c->starting && c->pid > 0)
		fusec_call(c, FUSE_DESTROY, 0, NULL, 0, NULL, 0);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->starting = true;	/* what it says while it goes is kept quiet */
	deadline = now_ms() + (c->broken ? 1000 : c->timeout_ms);
	while (c->pid > 0 && now_ms() < deadline) {
		struct pollfd p[3] = {
			{ .fd = c->pidfd, .events = POLLIN },
			{ .fd = c->listener, .events = POLLIN },
			{ .fd = c->errfd, .events = POLLIN },
		};

		if (poll(p, 3, (int)(deadline - now_ms())) <= 0)
			continue;
		if (p[1].revents & POLLIN)
			daemon_call(c);
		if (p[2].revents)
			drain_err(c);
		if (p[0].revents)
			c->pid = 0;
	}
	if (c->pid > 0)
		syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
	if (c->dev >= 0)
		close(c->dev);
	if (c->listener >= 0)
		close(c->listener);
	if (c->errfd >= 0)
		close(c->errfd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	free(c->name);
	free(c);
}
