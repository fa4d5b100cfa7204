// SPDX-License-Identifier: GPL-2.0-or-later
/* ident.c - the identity module: credentials of the view's own (fake root)
 *
 * DOC: Theory of Operation
 *
 * "-0" makes the guest root: uid and gid 0, every capability; "--uid N
 * --gid N --groups A,B" any other identity.  Each guest thread carries
 * credentials of its own, as in the kernel (struct cred): real, effective,
 * saved and filesystem ids, supplementary groups, and the five capability
 * sets.  The get and set calls of the uid, gid, group and capability
 * families read and change them under the kernel's rules (set*id(2),
 * capabilities(7)): a root thread may drop to another uid and back through
 * its saved uid, dropping every uid from 0 clears its capabilities unless
 * it kept them, and so on.  Nothing of it reaches the host: the guest's
 * real uid stays the user's, and the host's checks stay the host's.
 *
 * A file the host says is facet's own user's is shown as the first guest's
 * (root's, under -0); what the guest gives a file beyond that, an owner, a
 * set-id bit, a device node, is a record (ident_attr.c, ident_db.c).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ident_internal.h"

#define NGROUPS_LIMIT	65536
#define CAP_FS_MASK	((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) | \
			 (1ull << CAP_DAC_READ_SEARCH) | (1ull << CAP_FOWNER) | \
			 (1ull << CAP_FSETID) | (1ull << CAP_LINUX_IMMUTABLE) | \
			 (1ull << CAP_MKNOD) | (1ull << CAP_MAC_OVERRIDE))

static const struct facet_option ident_options[] = {
	{ "fakeroot", NULL, "the guest is root (uid and gid 0, all capabilities)", '0' },
	{ "uid", "N", "the guest's uid", 0 },
	{ "gid", "N", "the guest's gid", 0 },
	{ "groups", "A,B,...", "the guest's supplementary groups", 0 },
	{ "fakeroot-db", "FILE", "keep owners, modes and device nodes in FILE", 0 },
	{ NULL, NULL, NULL, 0 },
};

/**
 * parse_id() - a uid or gid given on the command line
 * @s:		the text
 * @out:	the number
 * Return: 0, or -EINVAL if it is not a number below 2^32-1
 */
static int parse_id(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v >= 0xffffffffull)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/**
 * parse_groups() - --groups A,B,...
 * @id:		module state
 * @s:		the list ("" for none)
 * Return: 0 or -EINVAL, -ENOMEM
 */
static int parse_groups(struct ident *id, const char *s)
{
	char *copy = strdup(s ? s : ""), *tok, *save = NULL;
	uint32_t g;
	int e = copy ? 0 : -ENOMEM;

	free(id->start.groups);
	id->start.groups = NULL;
	id->start.ngroups = 0;
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && !e;
	     tok = strtok_r(NULL, ",", &save)) {
		gid_t *n = realloc(id->start.groups,
				   (id->start.ngroups + 1) * sizeof(gid_t));

		if (!n)
			e = -ENOMEM;
		else if ((e = parse_id(tok, &g)) == 0) {
			id->start.groups = n;
			n[id->start.ngroups++] = g;
		} else
			id->start.groups = n;
	}
	free(copy);
	return e;
}

/**
 * ident_option() - -0, --uid, --gid, --groups, --fakeroot-db
 * @f:		supervisor context
 * @state:	module state, made here
 * @name:	option name
 * @value:	its argument
 * Return: 0 or -errno
 */
static int ident_option(struct facet *f, void **state, const char *name,
			const char *value)
{
	struct ident *id = *state;
	uint32_t v;
	int e = 0;

	if (!id) {
		if (!(id = *state = calloc(1, sizeof(*id))))
			return -ENOMEM;
		id->f = f;
		memset(id->start.uid, 0xff, sizeof(id->start.uid));
		memset(id->start.gid, 0xff, sizeof(id->start.gid));
		id->start.ngroups = -1;		/* not given */
	}
	if (!strcmp(name, "fakeroot")) {
		memset(id->start.uid, 0, sizeof(id->start.uid));
		memset(id->start.gid, 0, sizeof(id->start.gid));
	} else if (!strcmp(name, "uid") || !strcmp(name, "gid")) {
		if ((e = parse_id(value, &v)) < 0) {
			facet_error(f, "--%s wants a number, not '%s'", name,
				    value ? value : "");
			return e;
		}
		for (int i = 0; i < 4; i++)
			if (*name == 'u')
				id->start.uid[i] = v;
			else
				id->start.gid[i] = v;
	} else if (!strcmp(name, "groups")) {
		if ((e = parse_groups(id, value)) < 0)
			facet_error(f, "--groups wants numbers separated by "
				    "commas, not '%s'", value ? value : "");
	} else if (!strcmp(name, "fakeroot-db")) {
		if (!value || !*value)
			return -EINVAL;
		free(id->db_path);
		if (!(id->db_path = strdup(value)))
			return -ENOMEM;
	} else
		return -EINVAL;
	return e;
}

/**
 * cap_last() - the highest capability this kernel knows
 * Return: its number
 */
static int cap_last(void)
{
	FILE *fp = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int n = CAP_LAST_CAP;

	if (fp) {
		if (fscanf(fp, "%d", &n) != 1 || n < 0 || n > 63)
			n = CAP_LAST_CAP;
		fclose(fp);
	}
	return n;
}

/**
 * host_bound() - facet's own capability bounding set
 * @mask:	the capabilities this kernel knows
 *
 * A container may have taken some away; the real root in the same place
 * would lack them too.
 *
 * Return: the set (@mask if it cannot be read)
 */
static uint64_t host_bound(uint64_t mask)
{
	unsigned long long v;
	char line[128];
	FILE *fp = fopen("/proc/self/status", "re");
	uint64_t b = mask;

	if (!fp)
		return mask;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "CapBnd: %llx", &v) == 1)
			b = (uint64_t)v & mask;
	fclose(fp);
	return b;
}

/**
 * caps_for() - the capability sets a process with these ids starts with
 * @id:		module state
 * @c:		credentials whose ids are set
 *
 * As execve(2) gives them (capabilities(7)): root has all of the bounding
 * set, another user none.
 */
static void caps_for(const struct ident *id, struct cred *c)
{
	c->cap[C_BND] = id->bound;
	c->cap[C_INH] = c->cap[C_AMB] = 0;
	c->cap[C_PERM] = c->uid[R] == 0 || c->uid[E] == 0 ? id->bound : 0;
	c->cap[C_EFF] = c->uid[E] == 0 ? c->cap[C_PERM] : 0;
}

/**
 * ident_init() - fill in what was not given, open the records, trap
 * @f:		supervisor context
 * @state:	module state
 * Return: 0 or -errno
 */
static int ident_init(struct facet *f, void *state)
{
	static const char *const calls[] = {
		"getuid", "geteuid", "getgid", "getegid", "getresuid",
		"getresgid", "getgroups", "setgroups", "setuid", "setgid",
		"setreuid", "setregid", "setresuid", "setresgid", "setfsuid",
		"setfsgid", "capget", "capset", "prctl",
		/* owners and modes (ident_attr.c) */
		"stat", "lstat", "fstat", "newfstatat", "statx", "chown",
		"lchown", "fchown", "fchownat", "chmod", "fchmod", "fchmodat",
		"fchmodat2", "mknod", "mknodat", "access", "faccessat",
		"faccessat2", "unlink", "unlinkat", "rmdir", "rename",
		"renameat", "renameat2", "getdents64", "setxattr", "lsetxattr",
		"fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
		"llistxattr", "flistxattr", "removexattr", "lremovexattr",
		"fremovexattr",
		/* permission (ident_perm.c) and exec (ident_exec.c) */
		"open", "openat", "openat2", "creat", "mkdir", "mkdirat",
		"symlink", "symlinkat", "link", "linkat", "chdir", "fchdir",
		"truncate", "execve", "execveat",
	};
	struct ident *id = state;
	char err[256] = "";
	size_t i;
	int e;

	id->host_uid = getuid();
	id->host_gid = getgid();
	if (id->start.uid[R] == (uid_t)-1) {
		if (!id->db_path && id->start.gid[R] == (gid_t)-1 &&
		    id->start.ngroups < 0) {
			facet_error(f, "nothing to do: give -0, --uid or --gid");
			return -EINVAL;
		}
		for (i = 0; i < 4; i++)
			id->start.uid[i] = id->host_uid;
	}
	if (id->start.gid[R] == (gid_t)-1)
		for (i = 0; i < 4; i++)
			id->start.gid[i] = id->start.uid[R] == 0 ? 0 : id->host_gid;
	if (id->start.ngroups < 0) {	/* root as after login: its group */
		id->start.ngroups = 0;
		if (id->start.uid[R] == 0 && (id->start.groups = malloc(sizeof(gid_t)))) {
			id->start.groups[0] = id->start.gid[R];
			id->start.ngroups = 1;
		}
	}
	id->capmask = cap_last() == 63 ? ~0ull : (1ull << (cap_last() + 1)) - 1;
	id->bound = host_bound(id->capmask);
	caps_for(id, &id->start);
	id->on = true;
	if ((e = owners_open(&id->own, id->db_path, err, sizeof(err))) < 0) {
		facet_error(f, "--fakeroot-db %s: %s", id->db_path, err);
		return e;
	}
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		int nr = facet_syscall_nr(calls[i]);

		if (nr >= 0 && (e = facet_trap(f, nr)) < 0)
			return e;
	}
	return 0;
}

/**
 * ident_fini() - save the records, free the state
 * @state:	module state
 */
static void ident_fini(void *state)
{
	struct ident *id = state;

	if (!id)
		return;
	if (id->on)
		owners_close(&id->own);
	free(id->start.groups);
	free(id->db_path);
	free(id);
}

/**
 * ident_cred_copy() - a copy of credentials
 * @c:		the original
 * Return: the copy, or NULL if out of memory
 */
struct cred *ident_cred_copy(const struct cred *c)
{
	struct cred *n = malloc(sizeof(*n));

	if (!n)
		return NULL;
	*n = *c;
	n->groups = NULL;
	if (c->ngroups > 0) {
		n->groups = malloc(c->ngroups * sizeof(gid_t));
		if (!n->groups) {
			free(n);
			return NULL;
		}
		memcpy(n->groups, c->groups, c->ngroups * sizeof(gid_t));
	}
	return n;
}

/**
 * ident_cred_free() - free credentials
 * @c:		the credentials, or NULL
 */
void ident_cred_free(struct cred *c)
{
	if (c)
		free(c->groups);
	free(c);
}

/**
 * ident_task_cred() - a task's credentials, the first guest's if it has none
 * @id:		module state
 * @t:		the task
 * Return: the credentials, or NULL if out of memory
 */
struct cred *ident_task_cred(struct ident *id, struct facet_task *t)
{
	void **slot = facet_task_data(id->f, t);

	if (!slot)
		return NULL;
	if (!*slot)
		*slot = ident_cred_copy(&id->start);
	return *slot;
}

/**
 * ident_cred() - the calling thread's credentials
 * @id:		module state
 * @call:	the call
 * Return: the credentials, or NULL if out of memory
 */
struct cred *ident_cred(struct ident *id, struct facet_call *call)
{
	return ident_task_cred(id, call->task);
}

/**
 * ident_task_new() - a new thread or process has its creator's credentials
 * @state:	module state
 * @parent:	creator
 * @child:	new task
 */
static void ident_task_new(void *state, struct facet_task *parent,
			   struct facet_task *child)
{
	struct ident *id = state;
	struct cred *pc = ident_task_cred(id, parent);
	void **slot = facet_task_data(id->f, child);

	if (!pc || !slot)
		return;
	ident_cred_free(*slot);
	*slot = ident_cred_copy(pc);
}

/**
 * ident_task_exit() - free a task's credentials
 * @state:	module state
 * @task:	the task
 */
static void ident_task_exit(void *state, struct facet_task *task)
{
	struct ident *id = state;
	void **slot = facet_task_data(id->f, task);

	if (slot) {
		ident_cred_free(*slot);
		*slot = NULL;
	}
}

/**
 * ident_capable() - does a thread hold a capability?
 * @c:		its credentials
 * @cap:	CAP_*
 * Return: true if in its effective set
 */
bool ident_capable(const struct cred *c, int cap)
{
	return cap >= 0 && cap < 64 && (c->cap[C_EFF] >> cap) & 1;
}

/**
 * ident_in_group() - is @g the thread's filesystem gid or one of its groups?
 * @c:		credentials
 * @g:		a gid
 * Return: 1 or 0
 */
int ident_in_group(const struct cred *c, gid_t g)
{
	int i;

	if (g == c->gid[FS])
		return 1;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == g)
			return 1;
	return 0;
}

/**
 * fix_caps() - what a change of uids does to capabilities
 * @c:		credentials, with the new uids
 * @old:	the uids before (real, effective, saved, fs)
 *
 * capabilities(7), "Effect of user ID changes on capabilities".
 */
static void fix_caps(struct cred *c, const uid_t old[4])
{
	bool was_root = !old[R] || !old[E] || !old[S];
	bool is_root = !c->uid[R] || !c->uid[E] || !c->uid[S];

	if (was_root && !is_root && !c->keepcaps)
		c->cap[C_PERM] = c->cap[C_EFF] = c->cap[C_AMB] = 0;
	if (!old[E] && c->uid[E])
		c->cap[C_EFF] = 0;
	if (old[E] && !c->uid[E])
		c->cap[C_EFF] = c->cap[C_PERM];
	if (!old[FS] && c->uid[FS])
		c->cap[C_EFF] &= ~CAP_FS_MASK;
	if (old[FS] && !c->uid[FS])
		c->cap[C_EFF] |= c->cap[C_PERM] & CAP_FS_MASK;
}

/**
 * id_allowed() - may an unprivileged thread take id @v?
 * @ids:	its real, effective, saved ids
 * @v:		the id
 * Return: true if @v is one of them
 */
static bool id_allowed(const uint32_t ids[4], uint32_t v)
{
	return v == ids[R] || v == ids[E] || v == ids[S];
}

/**
 * set_ids() - setuid/setreuid/setresuid and their gid twins
 * @c:		credentials
 * @ids:	c->uid or c->gid
 * @priv:	the thread holds CAP_SETUID (CAP_SETGID)
 * @kind:	'1' setuid, '2' setreuid, '3' setresuid
 * @a:		the call's arguments
 * Return: 0 or -EPERM (nothing changed)
 */
static int set_ids(uint32_t ids[4], bool priv, int kind, const uint64_t *a)
{
	uint32_t n[3], old[4];
	int i;

	memcpy(old, ids, sizeof(old));
	for (i = 0; i < 3; i++)
		n[i] = (uint32_t)a[i];
	if (kind == '1') {
		if (priv)
			ids[R] = ids[E] = ids[S] = n[0];
		else if (n[0] == old[R] || n[0] == old[S])
			ids[E] = n[0];
		else
			return -EPERM;
	} else {
		for (i = 0; i < (kind == '2' ? 2 : 3); i++)
			if (n[i] != (uint32_t)-1 && !priv &&
			    !id_allowed(old, n[i]) &&
			    !(kind == '2' && i == 0 && n[i] == old[E]))
				return -EPERM;
		if (kind == '2' && n[0] != (uint32_t)-1 && !priv &&
		    n[0] != old[R] && n[0] != old[E])
			return -EPERM;
		for (i = 0; i < (kind == '2' ? 2 : 3); i++)
			if (n[i] != (uint32_t)-1)
				ids[i] = n[i];
		if (kind == '2' && (n[0] != (uint32_t)-1 ||
				    (n[1] != (uint32_t)-1 && n[1] != old[R])))
			ids[S] = ids[E];
	}
	ids[FS] = ids[E];
	return 0;
}

/**
 * put_ids() - getresuid/getresgid: write three ids to the guest
 * @id:		module state
 * @call:	the call
 * @ids:	real, effective, saved
 * Return: 0 or -errno
 */
static int put_ids(struct ident *id, struct facet_call *call,
		   const uint32_t ids[3])
{
	int i, e = 0;

	for (i = 0; i < 3 && !e; i++)
		e = facet_write(id->f, call, call->args[i], &ids[i], sizeof(ids[i]));
	return e;
}

/**
 * do_groups() - getgroups, setgroups
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @set:	setgroups
 * Return: the result, or -errno
 */
static long do_groups(struct ident *id, struct facet_call *call,
		      struct cred *c, bool set)
{
	long n = (long)(int)call->args[0];
	gid_t *g;
	int e;

	if (!set) {
		if (n < 0)
			return -EINVAL;
		if (n == 0)
			return c->ngroups;
		if (n < c->ngroups)
			return -EINVAL;
		e = facet_write(id->f, call, call->args[1], c->groups,
				c->ngroups * sizeof(gid_t));
		return e < 0 ? e : c->ngroups;
	}
	if (!ident_capable(c, CAP_SETGID))
		return -EPERM;
	if (n < 0 || n > NGROUPS_LIMIT)
		return -EINVAL;
	g = malloc(n ? n * sizeof(gid_t) : 1);
	if (!g)
		return -ENOMEM;
	if (n && (e = facet_read(id->f, call, call->args[1], g, n * sizeof(gid_t))) < 0) {
		free(g);
		return e;
	}
	free(c->groups);
	c->groups = g;
	c->ngroups = (int)n;
	return 0;
}

/**
 * do_capget() - capget(hdr, data)
 * @id:		module state
 * @call:	the call
 * @c:		the caller's credentials
 * @set:	capset
 * Return: 0 or -errno
 */
static long do_cap(struct ident *id, struct facet_call *call, struct cred *c,
		   bool set)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2] = { 0 };
	struct cred *t = c;
	int n, i, e;

	if ((e = facet_read(id->f, call, call->args[0], &h, sizeof(h))) < 0)
		return e;
	if (h.version == _LINUX_CAPABILITY_VERSION_1)
		n = 1;
	else if (h.version == _LINUX_CAPABILITY_VERSION_2 ||
		 h.version == _LINUX_CAPABILITY_VERSION_3)
		n = 2;
	else {
		h.version = _LINUX_CAPABILITY_VERSION_3;
		e = facet_write(id->f, call, call->args[0], &h, sizeof(h));
		return e < 0 ? e : (call->args[1] ? -EINVAL : 0);
	}
	if (h.pid < 0)
		return -EINVAL;
	if (h.pid && h.pid != facet_task_tid(call->task) &&
	    h.pid != facet_task_tgid(call->task)) {
		struct facet_task *o = set ? NULL : facet_task_find(id->f, h.pid);

		if (set)
			return -EPERM;
		if (!o || !(t = ident_task_cred(id, o)))
			return -ESRCH;
	}
	if (!set) {
		if (!call->args[1])
			return 0;
		for (i = 0; i < n; i++) {
			d[i].effective = (uint32_t)(t->cap[C_EFF] >> (32 * i));
			d[i].permitted = (uint32_t)(t->cap[C_PERM] >> (32 * i));
			d[i].inheritable = (uint32_t)(t->cap[C_INH] >> (32 * i));
		}
		return facet_write(id->f, call, call->args[1], d, n * sizeof(d[0]));
	}
	if ((e = facet_read(id->f, call, call->args[1], d, n * sizeof(d[0]))) < 0)
		return e;
	{
		uint64_t eff = 0, perm = 0, inh = 0;

		for (i = 0; i < n; i++) {
			eff |= (uint64_t)d[i].effective << (32 * i);
			perm |= (uint64_t)d[i].permitted << (32 * i);
			inh |= (uint64_t)d[i].inheritable << (32 * i);
		}
		if (n == 1) {	/* version 1 leaves the high word as it was */
			eff |= c->cap[C_EFF] & ~0xffffffffull;
			perm |= c->cap[C_PERM] & ~0xffffffffull;
			inh |= c->cap[C_INH] & ~0xffffffffull;
		}
		if ((perm & ~c->cap[C_PERM]) || (eff & ~perm) ||
		    (inh & ~(c->cap[C_INH] | c->cap[C_PERM]) &&
		     !ident_capable(c, CAP_SETPCAP)) ||
		    (inh & ~(c->cap[C_INH] | c->cap[C_BND])))
			return -EPERM;
		c->cap[C_EFF] = eff;
		c->cap[C_PERM] = perm;
		c->cap[C_INH] = inh;
		c->cap[C_AMB] &= perm & inh;
	}
	return 0;
}

/**
 * do_prctl() - the capability options of prctl(2)
 * @call:	the call
 * @c:		credentials
 * @handled:	set if the option is one of these
 * Return: the result, or -errno
 */
static long do_prctl(struct facet_call *call, struct cred *c, bool *handled)
{
	const uint64_t *a = call->args;
	uint64_t bit = a[1] < 64 ? 1ull << a[1] : 0;

	*handled = true;
	switch ((int)a[0]) {
	case PR_CAPBSET_READ:
		return bit ? !!(c->cap[C_BND] & bit) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!bit)
			return -EINVAL;
		if (!ident_capable(c, CAP_SETPCAP))
			return -EPERM;
		c->cap[C_BND] &= ~bit;
		return 0;
	case PR_GET_KEEPCAPS:
		return c->keepcaps;
	case PR_SET_NO_NEW_PRIVS:	/* facet's own filter set it for real */
		if (a[1] != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		c->nnp = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return a[1] || a[2] || a[3] || a[4] ? -EINVAL : c->nnp;
	case PR_SET_KEEPCAPS:
		if (a[1] > 1)
			return -EINVAL;
		c->keepcaps = a[1];
		return 0;
	case PR_CAP_AMBIENT:
		if (a[1] == PR_CAP_AMBIENT_CLEAR_ALL) {
			c->cap[C_AMB] = 0;
			return 0;
		}
		bit = a[2] < 64 ? 1ull << a[2] : 0;
		if (!bit)
			return -EINVAL;
		if (a[1] == PR_CAP_AMBIENT_IS_SET)
			return !!(c->cap[C_AMB] & bit);
		if (a[1] == PR_CAP_AMBIENT_LOWER) {
			c->cap[C_AMB] &= ~bit;
			return 0;
		}
		if (a[1] == PR_CAP_AMBIENT_RAISE) {
			if (!(c->cap[C_PERM] & bit) || !(c->cap[C_INH] & bit))
				return -EPERM;
			c->cap[C_AMB] |= bit;
			return 0;
		}
		return -EINVAL;
	}
	*handled = false;
	return 0;
}

/**
 * do_cred() - the uid, gid, group and capability calls
 * @id:		module state
 * @call:	the call
 * @c:		the caller's credentials
 * @handled:	set if @call is one of them
 * Return: the result, or -errno
 */
static long do_cred(struct ident *id, struct facet_call *call, struct cred *c,
		    bool *handled)
{
	uid_t old[4];
	long r = 0;
	int nr = call->nr;

	*handled = true;
	memcpy(old, c->uid, sizeof(old));
	switch (nr) {
	case SYS_getuid: return c->uid[R];
	case SYS_geteuid: return c->uid[E];
	case SYS_getgid: return c->gid[R];
	case SYS_getegid: return c->gid[E];
	case SYS_getresuid: return put_ids(id, call, c->uid);
	case SYS_getresgid: return put_ids(id, call, c->gid);
	case SYS_getgroups: return do_groups(id, call, c, false);
	case SYS_setgroups: return do_groups(id, call, c, true);
	case SYS_capget: return do_cap(id, call, c, false);
	case SYS_capset: return do_cap(id, call, c, true);
	case SYS_prctl: return do_prctl(call, c, handled);
	case SYS_setuid:
		r = set_ids(c->uid, ident_capable(c, CAP_SETUID), '1', call->args);
		break;
	case SYS_setreuid:
		r = set_ids(c->uid, ident_capable(c, CAP_SETUID), '2', call->args);
		break;
	case SYS_setresuid:
		r = set_ids(c->uid, ident_capable(c, CAP_SETUID), '3', call->args);
		break;
	case SYS_setgid:
		return set_ids(c->gid, ident_capable(c, CAP_SETGID), '1', call->args);
	case SYS_setregid:
		return set_ids(c->gid, ident_capable(c, CAP_SETGID), '2', call->args);
	case SYS_setresgid:
		return set_ids(c->gid, ident_capable(c, CAP_SETGID), '3', call->args);
	case SYS_setfsuid:
		r = c->uid[FS];
		if (ident_capable(c, CAP_SETUID) ||
		    id_allowed(c->uid, (uint32_t)call->args[0]) ||
		    (uint32_t)call->args[0] == c->uid[FS])
			if ((uint32_t)call->args[0] != (uint32_t)-1)
				c->uid[FS] = (uint32_t)call->args[0];
		break;
	case SYS_setfsgid:
		r = c->gid[FS];
		if (ident_capable(c, CAP_SETGID) ||
		    id_allowed(c->gid, (uint32_t)call->args[0]) ||
		    (uint32_t)call->args[0] == c->gid[FS])
			if ((uint32_t)call->args[0] != (uint32_t)-1)
				c->gid[FS] = (uint32_t)call->args[0];
		return r;
	default:
		*handled = false;
		return 0;
	}
	if (r >= 0 || nr == SYS_setfsuid)
		fix_caps(c, old);
	return r;
}

/**
 * ident_syscall() - a trapped call
 * @state:	module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome ident_syscall(void *state, struct facet_call *call)
{
	struct ident *id = state;
	struct cred *c = ident_cred(id, call);
	bool handled;
	long r;

	if (!c) {
		call->error = ENOMEM;
		return FACET_REPLY;
	}
	r = do_cred(id, call, c, &handled);
	if (!handled) {
		int e = ident_search(id, call);

		return e ? ident_reply(call, e) : ident_attr(id, call);
	}
	if (r < 0)
		call->error = (int)-r;
	else
		call->ret = r;
	return FACET_REPLY;
}

/**
 * ident_copied_op() - facet_copied(): records follow a copy-up
 * @state:	module state
 * @from:	the original
 * @to:		the copy
 */
static void ident_copied_op(void *state, int from, int to)
{
	ident_copied(state, from, to);
}

/**
 * ident_capable_op() - facet_capable() in the view
 * @state:	module state
 * @call:	the call
 * @cap:	CAP_*
 * Return: 1 or 0
 */
static int ident_capable_op(void *state, const struct facet_call *call, int cap)
{
	struct ident *id = state;
	struct cred *c = ident_task_cred(id, call->task);

	return c ? ident_capable(c, cap) : 0;
}

const struct facet_module ident_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "ident",
	.summary = "identity of the view: fake root, uids, owners of files",
	.options = ident_options,
	.option = ident_option,
	.init = ident_init,
	.fini = ident_fini,
	.syscall = ident_syscall,
	.task_new = ident_task_new,
	.task_exit = ident_task_exit,
	.capable = ident_capable_op,
	.copied = ident_copied_op,
};
