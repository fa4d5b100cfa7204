// SPDX-License-Identifier: GPL-2.0-or-later
/* test_notify.c - trapped calls answered, deferred and interrupted
 *
 * As in the kernel's seccomp selftest, each case forks a child that installs
 * facet's filter (built by filter_build() from a test module's traps) and
 * makes a call to a syscall number the kernel does not have; the parent
 * serves it with the core's dispatcher and sweep, and the child's exit
 * status says whether it saw what the kernel semantics require.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "filter.h"
#include "module.h"
#include "notify.h"
#include "task.h"
#include "unit.h"

#define VNR 1000	/* a virtual syscall: ENOSYS outside facet */

enum mode { REPLY, DEFER_THEN_REPLY, DEFER_FOREVER_THEN_REPLY };

static enum mode mode;
static int calls, cancels;
static struct facet_deferred *pending;
static struct facet *fctx;
static int killable;	/* use WAIT_KILLABLE_RECV (loop tests: 0 and 1) */

static void on_cancel(void *arg)
{
	(void)arg;
	cancels++;
	pending = NULL;
}

static enum facet_outcome t_syscall(void *state, struct facet_call *call)
{
	(void)state;
	calls++;
	if (mode == REPLY || (mode == DEFER_FOREVER_THEN_REPLY && calls > 1)) {
		call->ret = (int64_t)call->args[0] + 1;
		return FACET_REPLY;
	}
	pending = facet_defer(fctx, call, on_cancel, NULL);
	return pending ? FACET_DEFER : FACET_PASS;
}

static int t_init(struct facet *f, void *state)
{
	(void)state;
	return facet_trap(f, VNR);
}

static const struct facet_module tmod = {
	.abi = FACET_MODULE_ABI, .size = sizeof(tmod), .name = "test",
	.init = t_init, .syscall = t_syscall,
};

static void send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) != 1)
		_exit(90);
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	int fd;

	ck_assert_int_eq(recvmsg(sock, &mh, 0), 1);
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	return fd;
}

/* child side ---------------------------------------------------------------- */

static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	(void)sig;
	handled = 1;
}

static void child_alarm(int restart)
{
	struct sigaction sa = { .sa_handler = on_alarm,
				.sa_flags = restart ? SA_RESTART : 0 };
	struct itimerval it = { .it_value = { 0, 50000 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* run one scenario; exit 0 if the call behaved as the kernel would */
static void child_run(int scenario)
{
	long r;

	switch (scenario) {
	case 0:	/* answered at once; untrapped calls untouched */
		r = syscall(VNR, 41);
		_exit(r == 42 && getppid() > 0 ? 0 : 1);
	case 1:	/* deferred, then answered */
		r = syscall(VNR, 6);
		_exit(r == 7 ? 0 : 1);
	case 2:	/* deferred, a handler without SA_RESTART: EINTR */
		child_alarm(0);
		r = syscall(VNR, 1);
		_exit(r == -1 && errno == EINTR && handled ? 0 : 1);
	case 3:	/* deferred, SA_RESTART: the call restarts, then succeeds */
		child_alarm(1);
		r = syscall(VNR, 8);
		_exit(r == 9 && handled ? 0 : 1);
	case 4:	/* deferred, killed while waiting */
		syscall(VNR, 1);
		_exit(1);
	}
	_exit(2);
}

/* parent side --------------------------------------------------------------- */

/* monotonic clock in milliseconds */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * serve() - run a child through @scenario and serve its calls
 * @scenario:	what the child does
 * @m:		how the test module answers
 * @reply_ms:	for DEFER_THEN_REPLY, answer the deferred call after this long
 * @kill_ms:	if not 0, SIGKILL the child after this long
 * Return: the child's wait status
 */
static int serve(int scenario, enum mode m, int reply_ms, int kill_ms)
{
	struct facet f = { .cur_mod = -1, .notify_fd = -1 };
	struct sock_fprog prog = { 0 };
	int sv[2], st = 0, slot, elapsed = 0;
	bool killed = false;
	uint64_t start;
	pid_t child;

	mode = m;
	calls = cancels = 0;
	pending = NULL;
	fctx = &f;
	f.self = getpid();
	slot = module_add(&f, &tmod, NULL);
	ck_assert_int_ge(slot, 0);
	ck_assert_int_eq(module_option(&f, slot, NULL, NULL), 0);
	ck_assert_int_eq(module_init_all(&f), 0);
	module_traps(&f);
	notify_probe_filter(&f);
	f.feat.waitkill &= killable;
	ck_assert_int_eq(filter_build(&f, &prog), 0);
	f.sweep_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	ck_assert_int_ge(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	child = fork();
	if (child == 0) {
		int fd = filter_load(&f, &prog);

		if (fd < 0)
			_exit(91);
		send_fd(sv[1], fd);
		close(fd);
		child_run(scenario);
	}
	f.notify_fd = recv_fd(sv[0]);
	start = now_ms();
	/* elapsed is real time: once the child is gone the listener polls
	 * as hung up at once, and counting turns of the loop would give up
	 * on a child that a loaded machine is still tearing down */
	while (waitpid(child, &st, WNOHANG) == 0 && elapsed < 5000) {
		struct pollfd p[2] = { { f.notify_fd, POLLIN, 0 },
				       { f.sweep_fd, POLLIN, 0 } };

		if (poll(p, 2, 1) > 0 && !(p[0].revents & POLLIN) &&
		    !(p[1].revents & POLLIN))
			usleep(1000);	/* hung up: nothing to read */
		elapsed = (int)(now_ms() - start);
		if (p[0].revents & POLLIN)
			dispatch_notify(&f);
		if (p[1].revents & POLLIN)
			dispatch_sweep(&f);
		if (m == DEFER_THEN_REPLY && pending && elapsed >= reply_ms) {
			facet_reply(&f, pending, 7, 0);
			pending = NULL;
		}
		if (kill_ms && elapsed >= kill_ms && !killed) {
			kill(child, SIGKILL);
			killed = true;
		}
	}
	if (elapsed >= 5000) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		ck_abort_msg("the child hung");
	}
	/* let the sweep see what the exit left behind */
	for (elapsed = 0; pending && elapsed < 100; elapsed++) {
		usleep(2000);
		dispatch_sweep(&f);
	}
	close(f.notify_fd);
	close(f.sweep_fd);
	free(prog.filter);
	task_free_all(&f);
	return st;
}

/* what each scenario must show; run with and without WAIT_KILLABLE_RECV */
static const struct {
	const char *what;
	int scenario;
	enum mode mode;
	int reply_ms, kill_ms;
	int killed;		/* expect death by SIGKILL, not exit 0 */
	int calls, cancels;	/* -1: not checked */
} cases[] = {
	{ "answered at once, getppid untrapped", 0, REPLY, 0, 0, 0, 1, 0 },
	{ "deferred, then answered", 1, DEFER_THEN_REPLY, 100, 0, 0, 1, 0 },
	{ "deferred, EINTR without SA_RESTART", 2, DEFER_FOREVER_THEN_REPLY,
	  0, 0, 0, 1, 1 },
	{ "deferred, restarted with SA_RESTART", 3, DEFER_FOREVER_THEN_REPLY,
	  0, 0, 0, 2, 1 },
	{ "deferred, caller killed", 4, DEFER_FOREVER_THEN_REPLY,
	  0, 100, 1, -1, 1 },
};

START_TEST(test_case)
{
	int c = _i / 2, st;

	killable = _i % 2;
	st = serve(cases[c].scenario, cases[c].mode, cases[c].reply_ms,
		   cases[c].kill_ms);
	if (cases[c].killed) {
		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
			      "%s: status %#x", cases[c].what, st);
	} else {
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			      "%s (killable %d): status %#x", cases[c].what,
			      killable, st);
	}
	if (cases[c].calls >= 0)
		ck_assert_int_eq(calls, cases[c].calls);
	ck_assert_int_eq(cancels, cases[c].cancels);
}
END_TEST

START_TEST(test_features)
{
	struct facet f = { .cur_mod = -1 };

	/* the minimum facet needs: user notification itself */
	notify_probe_filter(&f);
	if (!f.feat.waitkill)
		fprintf(stderr, "note: no WAIT_KILLABLE_RECV on this kernel\n");
}
END_TEST

Suite *suite_notify(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("forked child");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_features);
	tcase_add_loop_test(tc, test_case, 0,
			    2 * (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
