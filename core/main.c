// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - facet: run a program in a partial virtual machine
 *
 * DOC: Theory of Operation
 *
 * main() parses the command line (each built-in module owns its options;
 * see module.c), starts the active modules, computes what to trap, builds
 * the filter, starts the first guest under it (launch.c) and serves the
 * guests from one event loop (loop.c) until the last is gone.  facet then
 * exits with the first guest's status: its exit code, or 128+N if signal N
 * killed it, as shells report.  Its own failures exit 125 before the command
 * runs; a command that cannot be found or run gives 127 or 126, as env(1).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "launch.h"
#include "loop.h"
#include "module.h"
#include "notify.h"
#include "task.h"

#ifndef FACET_VERSION
#define FACET_VERSION "0.1"
#endif

#define OPTS_MAX 128

static const char *nested_cwd;	/* -w given to facet inside a view */

enum { OPT_TRACE = 256, OPT_MODULE, OPT_VERSION, OPT_FIXED, OPT_INSMOD, OPT_MODOPT,
       OPT_MEMORY, OPT_TIME };

/**
 * struct cmdline - the option table built from core and module options
 * @opts:	for getopt_long
 * @slot:	module slot of each entry (-1: a core option)
 * @name:	module option name of each entry
 */
struct cmdline {
	struct option opts[OPTS_MAX];
	int slot[OPTS_MAX];
	const char *name[OPTS_MAX];
	int key[OPTS_MAX];
	char shortopts[OPTS_MAX * 2 + 4];
	int n;
};

static const struct option core_opts[] = {
	{ "trace", optional_argument, NULL, OPT_TRACE },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "fixed", no_argument, NULL, OPT_FIXED },
	{ "allow-insmod", no_argument, NULL, OPT_INSMOD },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
};

/**
 * usage() - print --help
 * @f:	supervisor context (built-in modules registered)
 */
static void usage(const struct facet *f)
{
	const struct facet_option *o;
	char left[64];
	int i;

	printf("Usage: facet [OPTIONS] [--] COMMAND [ARG...]\n"
	       "Run COMMAND and its descendants in a view of their own, under a\n"
	       "seccomp user-notification supervisor (no root, no namespaces).\n\n"
	       "Options:\n"
	       "  --trace[=FILE]           one line per trapped syscall (to stderr or FILE)\n"
	       "  --module FILE.so[:ARGS]  load an external module (ARGS: a=b,c,...)\n"
	       "  --fixed                  a fixed view: trap only what the options need\n"
	       "                           (then facet-mount cannot change it)\n"
	       "  --allow-insmod           guests may load modules (facet-ctl insmod)\n"
	       "  --memory SIZE            each guest process may map SIZE bytes at most\n"
	       "                           (RLIMIT_AS; K, M, G suffixes)\n"
	       "  --time SECONDS           kill every guest after SECONDS (exit status 124)\n"
	       "  -v, --verbose            say more (repeat for more)\n"
	       "  --version                print the version and exit\n"
	       "  -h, --help               print this help and exit\n");
	for (i = 0; i < f->nmods; i++) {
		printf("\nModule %s: %s\n", f->mods[i].m->name, f->mods[i].m->summary);
		for (o = f->mods[i].m->options; o && o->name; o++) {
			snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
				 o->key ? "-" : "", o->key ? o->key : ' ',
				 o->key ? ", " : "   ", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
			printf("  %-23s  %s\n", left, o->help);
		}
	}
	printf("\nExit status: COMMAND's, or 128+N if signal N killed it;\n"
	       "124 if --time ran out, 125 if facet fails, 126 if COMMAND cannot\n"
	       "run, 127 if not found.\n"
	       "See facet(1).\n");
}

/**
 * cmdline_build() - collect the core's and the built-in modules' options
 * @f:	supervisor context (built-in modules registered)
 * @c:	filled in
 */
static void cmdline_build(const struct facet *f, struct cmdline *c)
{
	const struct facet_option *o;
	size_t i, k;
	int m;

	strcpy(c->shortopts, "+vh");
	k = strlen(c->shortopts);
	for (i = 0; i < sizeof(core_opts) / sizeof(core_opts[0]); i++) {
		c->slot[c->n] = -1;
		c->opts[c->n++] = core_opts[i];
	}
	for (m = 0; m < f->nmods; m++) {
		for (o = f->mods[m].m->options; o && o->name; o++) {
			if (c->n == OPTS_MAX - 1)
				die("too many options");
			c->slot[c->n] = m;
			c->name[c->n] = o->name;
			c->key[c->n] = o->key;
			if (o->key && !f->mods[m].dl) {
				c->shortopts[k++] = (char)o->key;
				if (o->arg)
					c->shortopts[k++] = ':';
			}
			c->opts[c->n++] = (struct option){
				o->name, o->arg ? required_argument : no_argument,
				NULL, OPT_MODOPT };
		}
	}
	c->opts[c->n] = (struct option){ 0 };
}

/**
 * cmdline_key() - which module option a short option letter is
 * @c:		the option table
 * @key:	what getopt_long() returned
 * Return: index into @c, or -1 if @key is no module's
 */
static int cmdline_key(const struct cmdline *c, int key)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->slot[i] >= 0 && c->key[i] == key && key != 'v' && key != 'h')
			return i;
	return -1;
}

/**
 * bad_usage() - complain about the command line and exit 125
 * @msg:	what is wrong, or NULL if getopt already said it
 */
static void __attribute__((noreturn)) bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "facet: %s\n", msg);
	fprintf(stderr, "Try 'facet --help' for more information.\n");
	exit(125);
}

/**
 * parse_count() - a whole number in [@min, @max], or exit 125
 * @s:		the text
 * @what:	the option, for the message
 * @min:	least
 * @max:	most
 * Return: the number
 */
static unsigned long long parse_count(const char *s, const char *what,
				      unsigned long long min, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr, "facet: %s %s: expected a whole number from %llu to %llu\n",
			what, s, min, max);
		exit(125);
	}
	return v;
}

/**
 * parse_size() - SIZE of --memory: bytes, or K, M, G (powers of 1024)
 * @s:		the text
 * Return: bytes (at least 1 MiB), or exit 125
 */
static unsigned long long parse_size(const char *s)
{
	const char *orig = s;
	char num[32];
	size_t n = strlen(s);
	unsigned long long mul = 1, v;

	if (n && n < sizeof(num) && strchr("KkMmGg", s[n - 1])) {
		mul = s[n - 1] == 'K' || s[n - 1] == 'k' ? 1ull << 10 :
		      s[n - 1] == 'M' || s[n - 1] == 'm' ? 1ull << 20 : 1ull << 30;
		memcpy(num, s, n - 1);
		num[n - 1] = 0;
		s = num;
	}
	v = parse_count(s, "--memory", 1, (1ull << 50) / mul);
	if (v * mul < 1ull << 20) {
		fprintf(stderr, "facet: --memory %s: less than 1M would not run a program\n", orig);
		exit(125);
	}
	return v * mul;
}

/**
 * parse_core() - act on one core option
 * @f:		supervisor context
 * @opt:	getopt_long's answer
 */
static void parse_core(struct facet *f, int opt)
{
	switch (opt) {
	case OPT_TRACE:
		f->trace_all = true;
		f->trace = optarg ? fopen(optarg, "we") : stderr;
		if (!f->trace)
			die("cannot open trace file %s: %s", optarg, strerror(errno));
		break;
	case OPT_MODULE:
		if (module_load(f, optarg) < 0)
			exit(125);
		break;
	case OPT_FIXED:
		f->fixed = true;
		break;
	case OPT_INSMOD:
		f->allow_insmod = true;
		break;
	case OPT_MEMORY:
		f->mem_limit = parse_size(optarg);
		break;
	case OPT_TIME:
		f->time_limit = (unsigned int)parse_count(optarg, "--time", 1, 31536000);
		break;
	case 'v':
		f->verbose++;
		break;
	case OPT_VERSION:
		printf("facet %s\n", FACET_VERSION);
		exit(0);
	case 'h':
		usage(f);
		exit(0);
	default:
		bad_usage(NULL);
	}
}

/**
 * nested_option() - facet runs inside a view: give one option to the
 *		     supervisor of that view, for this process and the
 *		     command it becomes (see nested_run())
 * @name:	option name
 * @value:	its argument, or NULL
 */
static void nested_option(const char *name, const char *value)
{
	static char cwd[PATH_MAX];

	if (!strcmp(name, "cwd")) {	/* done last, in the new view */
		snprintf(cwd, sizeof(cwd), "%s", value);
		nested_cwd = cwd;
		return;
	}
	if (syscall(FACET_SYS_CTL, (long)FACET_CTL_OPTION, name, value, NULL, NULL) == 0)
		return;
	if (errno == EOPNOTSUPP || errno == ENOSYS)
		fprintf(stderr, "facet: --%s is not offered to facet run inside a "
			"facet view\n", name);
	else
		fprintf(stderr, "facet: --%s%s%s: %s\n", name, value ? " " : "",
			value ? value : "", strerror(errno));
	exit(125);
}

/**
 * nested_run() - facet inside a view: its options made the view of this
 *		  process a child of the one it was in (in the supervisor
 *		  already serving it: the kernel allows one tracer and one
 *		  listener); now become the command
 * @argv:	the command
 */
static void __attribute__((noreturn)) nested_run(char **argv)
{
	if (nested_cwd && chdir(nested_cwd) < 0) {
		fprintf(stderr, "facet: cannot start in %s: %s\n", nested_cwd, strerror(errno));
		exit(125);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "facet: %s: %s\n", argv[0], strerror(errno));
	exit(errno == ENOENT ? 127 : 126);
}

/**
 * parse_args() - parse the command line
 * @f:		supervisor context (built-in modules registered)
 * @argc:	from main()
 * @argv:	from main()
 * Return: index of COMMAND in @argv
 */
static int parse_args(struct facet *f, int argc, char **argv)
{
	struct cmdline c = { 0 };
	bool sandbox = false, net = false;
	int opt, idx;

	cmdline_build(f, &c);
	argv[0] = (char *)"facet";	/* getopt's messages name it */
	while ((opt = getopt_long(argc, argv, c.shortopts, c.opts, &idx)) != -1) {
		if (opt != OPT_MODOPT && (idx = cmdline_key(&c, opt)) < 0) {
			if (f->nested && (opt == OPT_TRACE || opt == OPT_MODULE ||
					  opt == OPT_FIXED || opt == OPT_INSMOD)) {
				fprintf(stderr, "facet: --%s is not offered to facet run "
					"inside a facet view\n", opt == OPT_TRACE ? "trace"
					: opt == OPT_MODULE ? "module" : opt == OPT_FIXED
					? "fixed" : "allow-insmod");
				exit(125);
			}
			parse_core(f, opt);
			continue;
		}
		if (f->nested) {
			nested_option(c.name[idx], optarg);
			continue;
		}
		sandbox |= !strcmp(c.name[idx], "sandbox");
		net |= !strcmp(f->mods[c.slot[idx]].m->name, "net");
		if (module_option(f, c.slot[idx], c.name[idx], optarg) < 0) {
			if (f->mod_said)
				exit(125);	/* it said what was wrong */
			bad_usage(NULL);
		}
	}
	if (optind >= argc)
		bad_usage("no command given");
	/* a sandbox has no network unless --net says which */
	for (idx = 0; sandbox && !net && idx < f->nmods; idx++)
		if (!strcmp(f->mods[idx].m->name, "net") &&
		    module_option(f, idx, "net", "none") < 0)
			exit(125);
	/* a view may change at run time (facet-mount, facet inside it): its
	 * path calls and names are the modules' from the start */
	if (!f->nested && !f->fixed &&
	    (module_activate(f, "files") < 0 || module_activate(f, "uts") < 0))
		exit(125);
	return optind;
}

/**
 * features_apply_env() - FACET_DISABLE=waitkill,syncwake turns features off
 * ("landlock" is looked at by facet_fence())
 * @f:	supervisor context, features probed
 *
 * For measuring and diagnosing what each kernel feature buys.
 */
static void features_apply_env(struct facet *f)
{
	const char *s = getenv("FACET_DISABLE");

	if (s && strstr(s, "waitkill"))
		f->feat.waitkill = false;
}

/**
 * exit_status() - facet's exit code for the first guest's wait status
 * @status:	wait status
 * Return: exit code, or 128+N for death by signal N
 */
static int exit_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}

/* kill_guest() - facet_task_each(): SIGKILL to each guest process */
static int kill_guest(struct facet_task *t, void *arg)
{
	(void)arg;
	if (facet_task_tid(t) == facet_task_tgid(t))
		kill(facet_task_tgid(t), SIGKILL);
	return 0;
}

/**
 * time_up() - --time ran out: every guest is killed, facet exits 124
 * @f:		supervisor context
 * @fd:		the timerfd
 * @events:	epoll events
 * @arg:	unused
 */
static void time_up(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)events;
	(void)arg;
	facet_unwatch(f, fd);
	close(fd);
	if (f->timed_out)
		return;
	f->timed_out = true;
	fprintf(stderr, "facet: --time %u s is over: the guests are killed\n", f->time_limit);
	facet_task_each(f, kill_guest, NULL);
}

/**
 * time_limit_start() - the clock of --time, from the first guest's start
 * @f:		supervisor context
 */
static void time_limit_start(struct facet *f)
{
	struct itimerspec its = { .it_value = { .tv_sec = f->time_limit } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    facet_watch(f, fd, EPOLLIN, time_up, NULL) < 0)
		die("--time: no timer: %s", strerror(errno));
}

/**
 * start() - everything between the command line and the first guest
 * @f:		supervisor context, options parsed
 * @argv:	the command
 */
static void start(struct facet *f, char **argv)
{
	struct sock_fprog prog = { 0 };
	sigset_t mask;
	int r;

	if (module_init_all(f) < 0)
		exit(125);
	module_traps(f);
	uname(&f->host_uts);
	notify_probe_filter(f);
	features_apply_env(f);
	r = filter_build(f, &prog);
	if (r < 0)
		die("cannot build the seccomp filter: %s", strerror(-r));
	loop_signals(f, &mask);
	loop_init(f);
	launch(f, argv, &prog, &mask);
	free(prog.filter);
	if (f->time_limit)
		time_limit_start(f);
	signal(SIGPIPE, SIG_IGN);	/* a closed trace pipe is no reason to die */
	notify_probe_listener(f);
	verbose(f, 1, "kernel: WAIT_KILLABLE_RECV %s, ADDFD SEND yes, sync wake-up %s, "
		"Landlock fence %s",
		f->feat.waitkill ? "yes" : "no (signals abort pending calls)",
		f->feat.sync_wakeup ? "yes" : "no",
		f->nfences ? "yes" : "no");
}

int main(int argc, char **argv)
{
	struct facet f = { .cur_mod = -1, .notify_fd = -1, .signal_fd = -1 };
	int i, cmd, r;

	f.self = getpid();
	for (i = 0; builtin_modules[i]; i++)
		if (module_add(&f, builtin_modules[i], NULL) < 0)
			die("built-in module %s refused", builtin_modules[i]->name);
	/* the control call answers inside a view (ENOSYS elsewhere) */
	f.nested = syscall(FACET_SYS_CTL, (long)FACET_CTL_PROBE, NULL, NULL, NULL,
			   NULL) == FACET_CTL_MAGIC;
	cmd = parse_args(&f, argc, argv);
	if (f.nested)
		nested_run(argv + cmd);
	start(&f, argv + cmd);
	r = loop_run(&f);
	if (r < 0)
		die("event loop failed: %s", strerror(-r));
	module_fini_all(&f);
	task_free_all(&f);
	if (f.trace && f.trace != stderr)
		fclose(f.trace);
	return f.timed_out ? 124 : exit_status(f.child_status);
}
