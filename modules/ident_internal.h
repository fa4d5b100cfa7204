/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ident_internal.h - the identity module's shared types (ident*.c) */
#ifndef IDENT_INTERNAL_H
#define IDENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "facet_module.h"

/* what a record overrides */
#define REC_UID		1	/* owner */
#define REC_GID		2	/* group */
#define REC_MODE	4	/* permission bits, set-id and sticky bits */
#define REC_XATTR	0x100	/* (in the file only) an extended attribute
				   follows: see ident_db.c */
#define REC_NODE	8	/* a device node: type and rdev (the host has a
				   regular file in its place) */

/**
 * struct rec - what the view says of one host file beyond what the host does
 * @dev:	host device of the file
 * @ino:	host inode
 * @btime:	its birth time (sec, nsec), or 0: a record whose file is gone
 *		and whose inode number came back for another file is told
 *		apart by it
 * @what:	REC_* set here; 0 is no record
 * @uid:	owner (REC_UID)
 * @gid:	group (REC_GID)
 * @mode:	type and mode bits (REC_MODE: bits 07777; REC_NODE: the type)
 * @rdev:	device number (REC_NODE)
 */
struct rec {
	uint64_t dev;
	uint64_t ino;
	int64_t btime_sec;
	uint32_t btime_nsec;
	uint32_t what;
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
	uint64_t rdev;
};

/**
 * struct xrec - an extended attribute the host would not keep for the user
 * @dev:	host device of the file
 * @ino:	host inode
 * @btime_sec:	its birth time, as in struct rec
 * @btime_nsec:	and nanoseconds
 * @name:	the attribute's name ("security.capability", "trusted.x")
 * @value:	its value
 * @len:	the value's length
 */
struct xrec {
	uint64_t dev;
	uint64_t ino;
	int64_t btime_sec;
	uint32_t btime_nsec;
	char *name;
	void *value;
	uint32_t len;
};

/**
 * struct owners - the records, in memory and in their file
 * @tab:	open-addressing hash table of @cap slots (what 0: empty; a
 *		deleted record keeps its slot as a tombstone, what 0 and
 *		ino != 0)
 * @cap:	slots, a power of two
 * @n:		live records
 * @used:	live records and tombstones
 * @nodes:	live records of device nodes (readdir's types need fixing)
 * @sgid_dirs:	live records of set-group-id directories (what is made in
 *		them takes their group)
 * @x:		extended attributes, in no order
 * @nx:		how many
 * @fd:		the database file, appended to on every change, or -1
 * @path:	its name, for messages and the rewrite at the end
 */
struct owners {
	struct rec *tab;
	size_t cap;
	size_t n;
	size_t used;
	size_t nodes;
	size_t sgid_dirs;
	struct xrec *x;
	size_t nx;
	int fd;
	char *path;
};

int owners_open(struct owners *o, const char *path, char *err, size_t errlen);
void owners_close(struct owners *o);
const struct rec *owners_get(const struct owners *o, uint64_t dev,
			     uint64_t ino);
int owners_put(struct owners *o, const struct rec *r);
int owners_drop(struct owners *o, uint64_t dev, uint64_t ino);
int owners_save(struct owners *o);
uint32_t owners_crc(const void *buf, size_t len);
const struct xrec *owners_xget(const struct owners *o, uint64_t dev,
			       uint64_t ino, const char *name);
int owners_xput(struct owners *o, const struct xrec *x);
int owners_xdrop(struct owners *o, uint64_t dev, uint64_t ino,
		 const char *name);

/**
 * struct cred - one thread's credentials in the view, as in the kernel
 * @uid:	real, effective, saved, filesystem uid
 * @gid:	the same for groups
 * @groups:	supplementary groups
 * @ngroups:	how many
 * @cap:	effective, permitted, inheritable, bounding, ambient sets
 * @keepcaps:	PR_SET_KEEPCAPS
 * @nnp:	PR_SET_NO_NEW_PRIVS, as the guest set it (every guest has it
 *		in the kernel: facet's seccomp filter needs it)
 */
struct cred {
	uid_t uid[4];
	gid_t gid[4];
	gid_t *groups;
	int ngroups;
	uint64_t cap[5];
	bool keepcaps;
	bool nnp;
};

enum { R, E, S, FS };				/* index into uid[], gid[] */
enum { C_EFF, C_PERM, C_INH, C_BND, C_AMB };	/* index into cap[] */

/**
 * struct ident - the module's state
 * @f:		supervisor context
 * @start:	credentials of the first guest
 * @host_uid:	facet's own uid: files the host says are its show as
 *		@start's real uid
 * @host_gid:	and its gid, as @start's real gid
 * @on:		an identity was asked for
 * @db_path:	--fakeroot-db, or NULL for records in memory only
 * @own:	the records
 * @capmask:	capabilities this kernel knows (the full set)
 * @bound:	facet's own bounding set: the first guest's, and root's
 *		capabilities
 */
struct ident {
	struct facet *f;
	struct cred start;
	uid_t host_uid;
	gid_t host_gid;
	bool on;
	char *db_path;
	struct owners own;
	uint64_t capmask;
	uint64_t bound;
};

/**
 * struct attrs - the attributes of a file that identity changes
 * @dev:	host device
 * @ino:	host inode
 * @uid:	owner
 * @gid:	group
 * @mode:	type and mode
 * @rdev:	device number
 */
struct attrs {
	uint64_t dev;
	uint64_t ino;
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
	uint64_t rdev;
};

struct cred *ident_cred(struct ident *id, struct facet_call *call);
struct cred *ident_task_cred(struct ident *id, struct facet_task *t);
struct cred *ident_cred_copy(const struct cred *c);
void ident_cred_free(struct cred *c);
enum facet_outcome ident_exec(struct ident *id, struct facet_call *call);
bool ident_capable(const struct cred *c, int cap);
int ident_in_group(const struct cred *c, gid_t g);
enum facet_outcome ident_attr(struct ident *id, struct facet_call *call);
enum facet_outcome ident_reply(struct facet_call *call, long r);
int ident_path(struct ident *id, struct facet_call *call, uint64_t addr,
	       char *buf);
int ident_res_flags(unsigned int at);
int ident_guest_fd(struct facet_call *call, int fd);
int ident_view_attrs(struct ident *id, int fd, struct stat *st,
		     struct attrs *a, const struct rec **r);
int ident_put_record(struct ident *id, int fd, const struct stat *st,
		     uint32_t what, uint32_t uid, uint32_t gid, uint32_t mode,
		     uint64_t rdev);
bool ident_may(const struct cred *c, const struct attrs *a, int mode,
	       bool eff);
mode_t ident_umask(const struct facet_call *call);
void ident_copied(struct ident *id, int from, int to);
void ident_birth(int fd, int64_t *sec, uint32_t *nsec);
enum facet_outcome ident_xattr(struct ident *id, struct facet_call *call);
bool ident_fcaps(struct ident *id, const struct stat *st, uint64_t fc[2],
		 bool *eff);
enum facet_outcome ident_perm(struct ident *id, struct facet_call *call);
int ident_perm_remove(struct ident *id, struct facet_call *call);
int ident_search(struct ident *id, struct facet_call *call);
enum facet_outcome ident_proc_open(struct ident *id, struct facet_call *call,
				   int dirfd, const char *path, uint64_t flags);

#endif /* IDENT_INTERNAL_H */
