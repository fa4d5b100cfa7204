/* SPDX-License-Identifier: GPL-2.0-or-later */
/* files_internal.h - the files module's parts: views, resolver, handlers */
#ifndef FILES_INTERNAL_H
#define FILES_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include "facet_module.h"

#define FILES_MOUNTS_MAX 256

/**
 * enum fmount_kind - what a mount of the view is
 * @FM_BIND:	a host file or directory (-b, -r, --tmpfs: a private one)
 * @FM_HIDE:	nothing: the path does not exist (--hide)
 * @FM_OVERLAY:	a host directory, copy-on-write (--overlay): changes land
 *		in another (files_overlay.c)
 * @FM_IMAGE:	an image served by a FUSE daemon (-m), shown through a
 *		host directory filled on demand (files_image.c)
 */
enum fmount_kind {
	FM_BIND,
	FM_HIDE,
	FM_OVERLAY,
	FM_IMAGE,
};

struct fimg;

/**
 * struct fmount - one entry of a view's mount table
 * @guest:	guest path, absolute and canonical ("/" for the root)
 * @glen:	strlen(@guest)
 * @host:	host path of what is mounted (canonical), or NULL for a hide;
 *		an overlay's lower layer
 * @hlen:	strlen(@host)
 * @fd:		O_PATH fd of @host, or -1
 * @uhost:	an overlay's upper layer, or NULL
 * @ufd:	O_PATH fd of @uhost, or -1
 * @kind:	FM_*
 * @ro:		writes fail with EROFS
 * @dir:	@host is a directory
 * @nested:	another mount lies strictly below @guest
 * @proc:	the host's /proc is @host or below it, at @procrel
 * @procrel:	path of /proc relative to @host ("" if @host is /proc)
 * @id:		number compared for EXDEV
 * @quiet:	a hide that listings need not leave out (facet's own)
 * @runtime:	made at run time (facet-mount): facet-umount may remove it
 * @img:	an image's daemon and cache (shared by copies of the mount)
 */
struct fmount {
	char *guest;
	size_t glen;
	char *host;
	size_t hlen;
	int fd;
	char *uhost;
	int ufd;
	enum fmount_kind kind;
	bool ro, dir, nested, proc, quiet, runtime;
	const char *procrel;
	int id;
	struct fimg *img;
};

/**
 * struct fview - a mount table, shared by the processes that see it
 * @refs:	holders
 * @m:		mounts, longest guest path first
 * @n:		how many
 */
struct fview {
	unsigned int refs;
	struct fmount *m[FILES_MOUNTS_MAX];
	int n;
};

#define FDIR_SLOTS 16

/**
 * struct fdir - a guest's directory fd, as the supervisor last found it
 * @gfd:	the guest's fd number, or -1 (a free slot)
 * @fd:		the supervisor's copy (pidfd_getfd(): the same open file)
 * @gen:	&struct files.gen when it was found
 * @m:		the mount it is in
 * @plain:	nothing of the view lies below it (another mount, a hide,
 *		/proc), and @m is a plain bind: the kernel may walk below it
 * @fenced:	also the fence grants it whole: the guest may open what is
 *		below it itself
 * @img:	a directory of an image with nothing of the view below it: a
 *		name in it is the cache's once img_enter() has made it so
 * @ino:	for @img, the inode number of @fd
 * @guest:	its guest path
 */
struct fdir {
	int gfd;
	int fd;
	unsigned int gen;
	struct fmount *m;
	bool plain;
	bool fenced;
	bool img;
	ino_t ino;
	char *guest;
};

/**
 * struct fproc - what one guest process sees of files (threads share it)
 * @refs:	tasks pointing here
 * @view:	its mount table
 * @cwd:	working directory, a guest path
 * @root:	root directory (chroot), a guest path
 * @umask:	file mode creation mask
 * @exe:	guest path of the program, when it was started through its ELF
 *		interpreter (then /proc/PID/exe names @interp), else NULL
 * @interp:	host path of that interpreter
 * @pidfd:	pidfd of the process, for pidfd_getfd(), or -1
 * @cwdfd:	O_PATH fd of @cwd, or -1 until needed
 * @dirs:	directory fds it used lately, by fd number modulo FDIR_SLOTS
 */
struct fproc {
	unsigned int refs;
	struct fview *view;
	char *cwd;
	char *root;
	mode_t umask;
	char *exe;
	char *interp;
	int pidfd;
	int cwdfd;
	struct fdir dirs[FDIR_SLOTS];
};

/**
 * struct files - the module's state
 * @f:		supervisor context
 * @view:	the view the first guest starts in
 * @cwd:	its working directory (-w), or NULL for facet's own
 * @tmpdir:	private directory holding tmpfs mounts, removed at the end
 * @hosts_name:	a host name (--hostname) /etc/hosts is to give 127.0.1.1
 * @resolv_conf: the text of the view's /etc/resolv.conf (--net nat), or NULL
 * @procnet:	/proc/net files of the view's network (--net), or NULL
 *		(files_procnet.c)
 * @ntmp:	tmpfs mounts made
 * @root_given:	-r was given
 * @getdents:	getdents64 is trapped (a hidden entry may need filtering,
 *		an overlay's directories merging)
 * @overlays:	the view has overlay mounts
 * @loaders:	host paths exec has made named links to (ELF interpreters,
 *		programs run by another name); past the last, execs run
 *		unnamed
 * @nloaders:	how many
 * @gen:	bumped by every rename: the guest paths of &struct fdir are
 *		then to find again
 * @hostroot:	O_PATH fd of the host's /, as the guests' kernel sees it
 * @fence:	the guests are in a Landlock domain (files_fence.c)
 * @fence_roots: host trees it grants whole
 * @nfence:	how many
 * @images:	image mounts (files_image.c)
 * @fdevs:	/dev/fuse sockets guests opened, not mounted yet
 * @lazy:	calls on watched fds are trapped: big files of images are
 *		filled as guests read them
 * @sandbox:	--sandbox: the view shows only what it must
 *		(files_sandbox.c)
 * @log_denials: --log-denials: a line for each call the view refuses
 * @unames:	names guests gave sockets the view bound elsewhere
 * @nunames:	how many
 * @unix_names:	getsockname is trapped for them
 * @unix_send:	sends on AF_UNIX datagram sockets are made by the
 *		supervisor, the view changing what an address names
 *		(files_unix.c)
 * @refused:	the call being answered was refused by the sandbox's
 *		policy (sandbox_policy()), for --log-denials
 * @deny_errno:	--deny-errno: the errno of a path the host has but the
 *		sandbox or a hide does not show, or 0 (ENOENT)
 * @withheld:	the call being answered named such a path
 * @allow_userns: --allow-userns: a sandbox lets guests make user namespaces
 */
struct files {
	struct facet *f;
	struct fview *view;
	char *cwd;
	char *tmpdir;
	char *hosts_name;
	char *resolv_conf;
	struct files_procnet *procnet;
	int ntmp;
	bool root_given;
	bool getdents;
	bool overlays;
	char *loaders[64];
	int nloaders;
	unsigned int gen;
	int hostroot;
	bool fence;
	char **fence_roots;
	int nfence;
	struct fimg *images;
	bool lazy;
	bool sandbox;
	bool log_denials;
	struct fdev *fdevs;
	struct unix_name *unames;
	unsigned int nunames;
	bool unix_names;
	bool unix_send;
	bool refused;
	int deny_errno;
	bool withheld;
	bool allow_userns;
};

#define UNAMES_MAX 256

/**
 * struct unix_name - an AF_UNIX socket the view bound to a path, and the
 *		      name the guest gave it (getsockname answers that)
 * @ino:	the socket's inode
 * @host:	the path it was bound to
 * @guest:	the guest's sun_path
 */
struct unix_name {
	ino_t ino;
	char host[108];
	char guest[108];
};

/* what a resolution is for */
#define RES_FOLLOW	1	/* follow a symlink in the last component */
#define RES_EMPTY	2	/* an empty path names the dirfd (AT_EMPTY_PATH) */
#define RES_PARENT	4	/* the last component may not exist: give the
				   parent directory and the name */
#define RES_DIR		8	/* (set by the resolver) trailing slash */
#define RES_CANON	16	/* @guest must be canonical (chdir) */
#define RES_OPEN	64	/* @oflags is set: see struct fres */
#define RES_NOMOUNT	32	/* an fd (empty path) needs no mount: a
				   lookup that writes nothing (stat) */

/**
 * struct fres - what a path names
 * @m:		mount of the result
 * @fd:		O_PATH fd of the object, or -1 if it does not exist (only
 *		with RES_PARENT) or was not asked for
 * @dirfd:	O_PATH fd of its parent directory, or -1 (mount root)
 * @name:	last component, for *at() calls on @dirfd
 * @guest:	guest path of the object (canonical where the walker made it)
 * @flags:	RES_* as asked, plus RES_DIR
 * @oflags:	open flags, if the fast path may open the object with them
 *		(O_NONBLOCK added) instead of O_PATH; -1 if not
 * @opened:	it did: @fd is open with @oflags
 * @lazy:	open_do() opened a big file of an image, to hand out watched
 * @magic:	the object is a /proc magic link (not followed): which one
 * @magic_pid:	the process it belongs to
 */
struct fres {
	struct fmount *m;
	int fd;
	int dirfd;
	char name[NAME_MAX + 1];
	char guest[PATH_MAX];
	int flags;
	int oflags;
	bool opened;
	bool lazy;
	enum { MAGIC_NONE, MAGIC_CWD, MAGIC_ROOT, MAGIC_EXE, MAGIC_OTHER } magic;
	pid_t magic_pid;
};

/**
 * struct ovl_pos - an object of an overlay mount, in its layers
 * @fd:		O_PATH fd of the object: the upper's if it has one, else the
 *		lower's; -1 if none
 * @low:	O_PATH fd of the lower's directory, if both layers have a
 *		directory here (their entries merge), else -1
 * @up:		@fd is in the upper layer
 * @below:	the lower layer has this name (deleting it needs a whiteout)
 */
struct ovl_pos {
	int fd;
	int low;
	bool up;
	bool below;
};

/**
 * struct ovl_list - the entries of a merged directory
 * @v:		the entries
 * @n:		how many
 * @cap:	room
 */
struct ovl_list {
	struct ovl_ent {
		char *name;
		uint64_t ino;
		unsigned char type;
	} *v;
	size_t n, cap;
};

/* what a change to an overlay object needs (ovl_modify) */
#define OVL_WRITE	1	/* its data: write permission */
#define OVL_OWNER	2	/* mode, owner, times, xattrs: be its owner */
#define OVL_TOUCH	3	/* times to now: owner, or write permission */
#define OVL_DIR		4	/* an entry in it: write and search */

/* files_view.c */
struct fview *fview_new(void);
struct fview *fview_copy(const struct fview *v);
void fview_put(struct fview *v);
int files_mounts_open(const struct files *fs, const struct fview *v, int fd,
		      int flags, int *copy);

/* files_procnet.c */
int files_procnet_add(struct files *fs, const char *value);
bool files_procnet_named(const struct files *fs, const char *name);
int files_procnet_open(const struct files *fs, int fd, int flags, int *copy);
void files_procnet_free(struct files *fs);
int fview_add(struct fview *v, const char *guest, const char *host,
	      enum fmount_kind kind, bool ro);
int fview_add_overlay(struct fview *v, const char *guest, const char *lower,
		      const char *upper);
void fview_finish(struct fview *v);
int fview_remove(struct fview *v, const char *guest);
struct fmount *fview_at(const struct fview *v, const char *guest);
struct fmount *fview_under(const struct fview *v, const char *guest,
			   const char **rest);
bool fview_shadowed(const struct fview *v, const struct fmount *m,
		    const char *guest);
int fview_to_guest(const struct fview *v, const char *host, char *out,
		   size_t size);
int path_normalize(const char *in, char *out, size_t size);
const char *path_under(const char *path, const char *prefix, size_t len);
int path_join(char *out, size_t size, const char *dir, const char *name);

/* files_resolve.c */
int res_resolve(struct files *fs, struct fproc *p, const struct facet_call *call,
		int dirfd, const char *path, int flags, struct fres *r);
int res_fd_guest(struct files *fs, struct fproc *p, pid_t tid, int fd,
		 char *out, size_t size);
void res_release(struct fres *r);
void fdir_init(struct fproc *p);
void fdir_flush(struct fproc *p);
int fdir_quick(struct files *fs, struct fproc *p, const struct facet_call *call,
	       int dirfd, const char *path);
int fdir_quick_stat(struct files *fs, struct fproc *p,
		    const struct facet_call *call, int dirfd, const char *path,
		    struct stat *st, bool *have, struct fmount **img);
struct fdir *fdir_get(struct files *fs, struct fproc *p,
		      const struct facet_call *call, int gfd);
bool fdir_plain(const struct fview *v, const struct fmount *m,
		const char *guest);
bool fast_plain(const char *path);
int openat2_path(int dirfd, const char *path, int flags, uint64_t resolve);
int res_fd_host(pid_t tid, int fd, char *out, size_t size);
int fd_proc_path(char *out, size_t size, int fd, const char *name);
bool fd_is_dir(int fd);
bool fd_is_link(int fd);
int fd_host_path(int fd, char *out, size_t size);

/* files.c */
struct fproc *files_proc(struct files *fs, struct facet_call *call);
struct fproc *files_proc_of(struct files *fs, pid_t tid);
int files_pidfd(struct fproc *p, pid_t tgid);
char *files_tmpfs(struct files *fs);
int files_private_dir(struct files *fs);

/* files_ops.c */
enum facet_outcome files_handle(struct files *fs, struct facet_call *call);
int files_trap_all(struct files *fs);
int files_resolve_host(struct files *fs, struct facet_call *call, int dirfd,
		       const char *path, int flags);

/* files_overlay.c */
bool ovl_whiteout_st(const struct stat *st);
void ovl_pos_close(struct ovl_pos *o);
int ovl_root(const struct fmount *m, struct ovl_pos *o);
int ovl_step(const struct ovl_pos *dir, const char *name, struct ovl_pos *next);
int ovl_lookup(const struct fmount *m, const char *rel, struct ovl_pos *o,
	       struct ovl_pos *parent);
void ovl_tell_copies(struct facet *f);
int ovl_copy_up(const struct fmount *m, const char *rel, bool nodata,
		struct ovl_pos *o);
int ovl_list(const struct ovl_pos *dir, struct ovl_list *l);
void ovl_list_free(struct ovl_list *l);
const char *ovl_rel(const struct fmount *m, const char *guest);
int ovl_modify(struct fres *r, int how, bool nodata);
int ovl_create(struct fres *r);
int ovl_created_dir(struct fres *r);
int ovl_remove(const struct fmount *m, const char *guest, bool dir);
int ovl_rename(const struct fmount *m, const char *og, const char *ng,
	       unsigned int flags);
const struct fmount *ovl_of_host(const struct fview *v, const char *host,
				 char rel[PATH_MAX], bool *upper);
int ovl_fd_modify(const struct fview *v, const char *host, int how, int *fd);
int ovl_dir_of(const struct fview *v, const char *host, struct ovl_pos *o);
int openat2_beneath(int dirfd, const char *rel, int flags);

/* files_image.c */
struct fuse_setattr_in;
int img_mount(struct files *fs, struct fview *v, const char *type,
	      const char *source, const char *dst, const char *opts);
void img_fini(struct files *fs);
int img_enter(struct fmount *m, int d, const char *name);
int img_enter_at(struct fmount *m, int d, ino_t ino, const char *name,
		 struct stat *st);
void img_stat_fix(const struct fmount *m, struct stat *st);
void img_statx_fix(const struct fmount *m, struct statx *stx);
int sandbox_build(struct files *fs);
int sandbox_trap(struct files *fs);
bool sandbox_names_pid(int nr);
bool sandbox_foreign_pid(struct files *fs, const char *name);
bool sandbox_pid_call(struct files *fs, struct facet_call *call, long *reply);
int sandbox_policy_trap(struct files *fs);
bool sandbox_policy(struct files *fs, struct facet_call *call, long *reply);
bool sandbox_policy_only(int nr);
int files_mountpoint(struct files *fs, const char *guest, bool dir);

/* files_unix.c */
int unix_abstract(const char *name, size_t len, struct sockaddr_un *host,
		  socklen_t *hlen);
bool unix_strip(struct sockaddr_un *sun, socklen_t *len);
int unix_autobind(int fd);
void unix_autobind_passcred(int fd);
bool unix_kind(int fd, int *type);
enum facet_outcome unix_send(struct files *fs, struct facet_call *call);
int unix_connect_now(int sfd, const struct sockaddr_un *to, socklen_t len);
int unix_connect(struct files *fs, struct facet_call *call, int sfd,
		 const struct sockaddr_un *to, socklen_t len, int hold);
int img_ready(struct fmount *m, int fd, int flags, bool lazy);
int img_fill(struct files *fs, int fd, uint64_t from, uint64_t to);
int img_dev_open(struct files *fs);
int img_guest_mount(struct files *fs, struct fview *v, const char *guest,
		    int dev, const char *type, bool ro);
void img_guest_umount(struct fmount *m);
void img_sync_image(struct fmount *m);
bool img_opt_ro(const char *opts);
const char *img_type(const struct fmount *m);
const char *img_source(const struct fmount *m);

/* files_ctl.c */
enum facet_outcome files_ctl(struct files *fs, struct facet_call *call,
			     unsigned int op);
void files_status(struct files *fs, struct facet_call *call, FILE *out);
void img_detach_guests(struct files *fs);
void img_detach_later(struct files *fs);
bool img_unmounted(struct files *fs, const char *guest);
bool img_by_guest(const struct fmount *m);
void img_opened(struct fmount *m, int fd, int flags);
int img_create(const struct fres *r, mode_t mode, dev_t dev, const char *target);
void img_made(const struct fres *r);
int img_link(const struct fres *o, const struct fres *n);
int img_remove(const struct fres *r, bool dir);
int img_rename(const struct fres *o, const struct fres *n, unsigned int flags);
int img_setattr(struct fmount *m, int fd, struct fuse_setattr_in *sa);
int img_fsetattr(struct files *fs, int fd, struct fuse_setattr_in *sa);
int img_xattr(struct files *fs, struct fmount *m, int fd, int op,
	      const char *name, void *val, size_t size, int flags, long *n);
void img_touched(struct files *fs, int fd);
int img_sync(struct files *fs, int fd, bool all);
struct statfs;
int img_statfs(struct files *fs, struct fmount *m, int fd, struct statfs *sf);
void img_sync_all(struct files *fs);

/* files_fence.c */
int fence_build(struct files *fs);
bool fence_covers(const struct files *fs, const char *host);
void fence_free(struct files *fs);

/* files_fifo.c */
int fifo_open_deferred(struct facet *f, struct facet_call *call, int opath,
		       int flags);

/* files_exec.c */
enum facet_outcome files_exec(struct files *fs, struct fproc *p,
			      struct facet_call *call);

#endif /* FILES_INTERNAL_H */
