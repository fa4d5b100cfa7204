// SPDX-License-Identifier: GPL-2.0-or-later
/* files_image.c - images mounted through FUSE daemons (-m TYPE:SOURCE:DST)
 *
 * DOC: Theory of Operation
 * A mount of kind FM_IMAGE is served by a FUSE daemon (fuse_client.c) and
 * shown to the guests through a private host directory, its cache, which
 * the view treats as the mount's host tree: every path call, the resolver,
 * getdents, fstat, mmap and exec then work on real files and directories,
 * as design principle 2 asks.  The cache is filled from the daemon on
 * demand:
 *  - a directory's entries when the resolver first steps into it or a
 *    guest opens it (READDIR, then LOOKUP of the names, 16 in flight at
 *    a time, so that the daemon answers while facet makes entries;
 *    READDIRPLUS where the daemon gives it): directories,
 *    symlinks and FIFOs as themselves, files as sparse files of the right
 *    size, with the image's mode and times (and owners, when facet runs as
 *    root);
 *  - a file's data when a guest first opens it (OPEN, READ); but a big
 *    file opened for reading only is given to the guest as a watched fd
 *    (facet_addfd_watched()), and the filter sends the calls that read it
 *    (read, pread, readv, mmap, sendfile, ...: files_trap_all()); each is
 *    let through once the 1 MiB chunks it reaches are in the cache, so
 *    reading 4 KiB of a 1 GiB file reads 1 MiB of it.  A reader that goes
 *    on where the last fill ended gets a read-ahead window that doubles up
 *    to 16 MiB, and each fill keeps several READs in flight
 *    (fusec_read_fd()), so that the daemon reads while facet writes.  Calls that would
 *    let the data out of the watched range (dup, F_DUPFD, SCM_RIGHTS,
 *    pidfd_getfd, SEEK_DATA, which would see the holes) fill it whole
 *    first.
 * A stat of a cache object answers with the blocks of a file, and the size
 * of a directory or symlink, that the daemon gave (img_stat_fix()), not the
 * copy's, which tell what of it was read and what tmpfs uses.
 * Each cache object is known by its host inode number; the table maps it to
 * the daemon's node.  A change is made by the daemon first, so its answer
 * (EROFS, ENOSPC, EACCES) is the guest's, and then in the cache: mkdir,
 * mknod, symlink, link, unlink, rmdir, rename, chmod, chown, utimes,
 * truncate, and creating a file.  What guests write into a file goes to
 * the cache and is written back to the daemon when the last open file
 * description that could write it is closed (inotify IN_CLOSE_WRITE on the
 * cache file), and for all files at the end, before the daemon gets
 * DESTROY.
 *
 * A guest may also run a daemon itself, the ordinary way: its open of
 * /dev/fuse gets a socket (img_dev_open()), and its mount(2) naming that
 * socket as "fd=N" adds an image mount to the view it shares with the
 * processes that started it (img_guest_mount()), served the same way;
 * umount2 or fusermount -u writes back and disconnects it, as does the end
 * of the first guest (the daemon would otherwise keep facet waiting).
 *
 * What the daemon says is trusted for as long as it says (the entry and
 * attribute validity of its LOOKUP, READDIRPLUS and GETATTR answers, at
 * least IMG_MIN_VALID: an NFS client also keeps attributes for 3 s at
 * least), as the kernel's dentry and attribute caches trust it.  After
 * that, a name the resolver steps through is looked up again, and a
 * directory a guest opens is listed again: new names come into the cache,
 * names gone leave it, and a file whose size or modification time changed
 * in the image (a daemon whose backing store changed, as bindfs or sshfs)
 * has its data dropped and read again, as the kernel's auto_inval_data
 * does.  A file a guest is writing keeps what it has; the image gets it
 * at its close.  Lookup references taken again are given back together
 * when the object leaves the cache.
 *
 * Left for later: two threads
 * reading one watched open file description at once may read past what
 * was filled for the other (the position moves between the check and the
 * read).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "files_internal.h"
#include "fuse_client.h"
#include "fsmod.h"

#define IMG_CHUNK	131072	/* bytes per READ and WRITE */
#define IMG_PART	1048576	/* a big file is filled this much at a time */
#define IMG_LAZY	IMG_PART	/* files this big are filled lazily */
#define IMG_AHEAD	16	/* parts filled ahead of a sequential reader */
#define IMG_MIN_VALID	1000	/* ms: the least time an answer is trusted */

/**
 * struct inode_rec - one cache object and the daemon's node it stands for
 * @ino:	host inode number of the cache object (0: free slot)
 * @nodeid:	the daemon's node
 * @mode:	the image's type and mode
 * @listed:	a directory whose entries are all in the cache
 * @filled:	a file whose data in the cache is right
 * @gone:	unlinked from the image
 * @lazy:	handed out as a watched fd while not @filled
 * @have:	for a file filled in parts, a bit per IMG_PART that is in
 * @nhave:	how many are
 * @ahead:	parts to fill ahead of a reader that goes on where the last
 *		fill ended (doubles up to IMG_AHEAD)
 * @writers:	open file descriptions that may write it
 * @wd:		inotify watch while @writers, else -1
 * @fd:		O_PATH fd of the cache file while @writers, else -1
 * @mtime:	a directory's times in the image (listing it changes them)
 * @atime:	likewise
 * @first:	for a file with more than one name in the image, the host
 *		path of the first name put in the cache: the others are
 *		made hard links to it
 * @iino:	its inode number in the image (a daemon may give each name
 *		a node of its own, but they share this)
 * @extra:	lookup references to @nodeid beyond the one kept, given
 *		back all at once (rec_forget()), as the kernel does
 * @uid:	owner in the image when last asked
 * @gid:	group
 * @size:	a file's size in the image when last asked (or made)
 * @blocks:	the 512-byte blocks it takes in the image, when last asked
 * @space:	@size and @blocks are the daemon's word
 * @until:	when its name and attributes (and a directory's entries)
 *		are to be asked for again (now_ms()), or FUSEC_FOREVER
 * @resync:	facet changed it in the image: take what the daemon says
 *		next as it is, not as a change made behind facet's back
 */
struct inode_rec {
	ino_t ino;
	uint64_t nodeid;
	struct timespec mtime, atime;
	uint32_t mode;
	bool listed, filled, gone, lazy;
	uint8_t *have;
	uint64_t nhave;
	uint32_t ahead;
	int writers;
	int wd;
	int fd;
	char *first;
	uint64_t iino;
	uint64_t extra;
	uint32_t uid, gid;
	uint64_t size;
	uint64_t blocks;
	bool space;
	uint64_t until;
	bool resync;
};

/**
 * struct fimg - one image mount
 * @fs:		the files module
 * @c:		connection to its daemon
 * @cache:	host path of the cache's root
 * @dev:	device of the cache's file system
 * @recs:	records, open addressing by inode number (records do not
 *		move when the table grows: callers hold them)
 * @cap:	slots (a power of two)
 * @n:		records used
 * @inotify:	inotify fd, or -1 until a file is written
 * @root:	facet runs as root: the cache takes the image's owners
 * @guest:	a guest mounted it (its own daemon), and may unmount it
 * @root_attr:	the root's attributes are still to ask for (a guest's
 *		daemon cannot answer while its mount(2) waits)
 * @where:	for @guest, the guest path it was mounted on
 * @type:	the daemon or file system, for facet-ctl status
 * @source:	its image's host path (NULL for @guest)
 * @gone:	for @guest, unmounted
 * @ending:	for @guest, being unmounted (img_guest_end())
 * @next:	next image of the module
 */
struct fimg {
	struct files *fs;
	struct fusec *c;
	char *cache;
	dev_t dev;
	struct inode_rec **recs;
	size_t cap, n;
	int inotify;
	bool root, guest, root_attr, gone, ending;
	char *where;
	char *type, *source;
	struct fimg *next;
};

/**
 * struct fdev - a /dev/fuse a guest opened: a socket, until mount(2)
 * @fd:		our end
 * @ino:	inode of the guest's end
 * @next:	next one
 */
struct fdev {
	int fd;
	ino_t ino;
	struct fdev *next;
};

/**
 * rec_find() - the record of a cache inode
 * @im:		image
 * @ino:	inode number
 * Return: the record, or NULL
 */
static struct inode_rec *rec_find(struct fimg *im, ino_t ino)
{
	size_t i;

	if (!im->cap)
		return NULL;
	for (i = ino & (im->cap - 1); im->recs[i]; i = (i + 1) & (im->cap - 1))
		if (im->recs[i]->ino == ino)
			return im->recs[i];
	return NULL;
}

/**
 * rec_slot() - put a record in the table (which has room)
 * @im:		image
 * @rec:	the record
 */
static void rec_slot(struct fimg *im, struct inode_rec *rec)
{
	size_t i;

	for (i = rec->ino & (im->cap - 1); im->recs[i]; i = (i + 1) & (im->cap - 1))
		;
	im->recs[i] = rec;
	im->n++;
}

/**
 * rec_add() - record a cache inode (or return its record)
 * @im:		image
 * @ino:	inode number
 * Return: the record, or NULL if out of memory
 */
static struct inode_rec *rec_add(struct fimg *im, ino_t ino)
{
	struct inode_rec *r = rec_find(im, ino), **old;
	size_t i, oldcap;

	if (r)
		return r;
	if ((im->n + 1) * 2 > im->cap) {
		old = im->recs;
		oldcap = im->cap;
		im->cap = im->cap ? im->cap * 2 : 1024;
		if (!(im->recs = calloc(im->cap, sizeof(*im->recs)))) {
			im->recs = old;
			im->cap = oldcap;
			return NULL;
		}
		im->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				rec_slot(im, old[i]);
		free(old);
	}
	if (!(r = calloc(1, sizeof(*r))))
		return NULL;
	*r = (struct inode_rec){ .ino = ino, .wd = -1, .fd = -1 };
	rec_slot(im, r);
	return r;
}

/**
 * rec_of_fd() - the record of the cache object @fd names
 * @im:		image
 * @fd:		host fd
 * Return: the record, or NULL (not one of the image's)
 */
static struct inode_rec *rec_of_fd(struct fimg *im, int fd)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != im->dev)
		return NULL;
	return rec_find(im, st.st_ino);
}

/* CLOCK_MONOTONIC in milliseconds */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * rec_valid() - note what the daemon said of an object, and for how long
 *		 it holds
 * @rec:	its record
 * @a:		its attributes
 * @valid_ms:	their validity (ms, or FUSEC_FOREVER)
 */
static void rec_valid(struct inode_rec *rec, const struct fuse_attr *a,
		      uint64_t valid_ms)
{
	rec->mode = a->mode;
	rec->uid = a->uid;
	rec->gid = a->gid;
	rec->size = a->size;
	rec->blocks = a->blocks;
	rec->space = true;
	rec->atime = (struct timespec){ (time_t)a->atime, a->atimensec };
	rec->mtime = (struct timespec){ (time_t)a->mtime, a->mtimensec };
	if (valid_ms < IMG_MIN_VALID)
		valid_ms = IMG_MIN_VALID;
	rec->until = valid_ms == FUSEC_FOREVER ? FUSEC_FOREVER : now_ms() + valid_ms;
	rec->resync = false;
}

/**
 * rec_forget() - give back every lookup reference the record holds
 * @im:		image
 * @rec:	the record (its node is then none)
 */
static void rec_forget(struct fimg *im, struct inode_rec *rec)
{
	if (rec->nodeid)
		fusec_forget(im->c, rec->nodeid, 1 + rec->extra);
	rec->nodeid = rec->extra = 0;
}

/* is what the cache holds of @rec to be asked for again? */
static bool rec_stale(const struct inode_rec *rec)
{
	return rec->until != FUSEC_FOREVER && now_ms() >= rec->until;
}

/**
 * proc_chmod() - chmod through an fd of any kind (O_PATH included)
 * @fd:		the object
 * @mode:	new mode
 * Return: 0 or -errno
 */
static int proc_chmod(int fd, mode_t mode)
{
	char path[64];

	fd_proc_path(path, sizeof(path), fd, NULL);
	return chmod(path, mode) < 0 ? -errno : 0;
}

/**
 * unlock_dir() - let facet write into a cache directory whose mode forbids it
 * @d:		the directory
 * @rec:	its record
 * Return: true if its mode was changed (lock_dir() puts it back)
 */
static bool unlock_dir(int d, const struct inode_rec *rec)
{
	if (geteuid() == 0 || (rec->mode & 0300) == 0300)
		return false;
	return proc_chmod(d, (rec->mode & 07777) | 0300) == 0;
}

/**
 * lock_dir() - undo unlock_dir()
 * @d:		the directory
 * @rec:	its record
 * @was:	what unlock_dir() returned
 */
static void lock_dir(int d, const struct inode_rec *rec, bool was)
{
	if (was)
		proc_chmod(d, rec->mode & 07777);
}

/**
 * set_times() - give a cache object the image's times (and owners as root)
 * @im:		image
 * @d:		its directory
 * @name:	its name
 * @fd:		an fd of it, used instead of @d and @name, or -1
 * @a:		the image's attributes
 * @st:		what the object is now, or NULL if not known (owner and mode
 *		are then set whatever they are)
 */
static void set_times(struct fimg *im, int d, const char *name, int fd,
			 const struct fuse_attr *a, const struct stat *st)
{
	struct timespec ts[2] = {
		{ (time_t)a->atime, a->atimensec },
		{ (time_t)a->mtime, a->mtimensec },
	};
	bool chowned = false;

	if (im->root && (!st || st->st_uid != a->uid || st->st_gid != a->gid))
		chowned = !(fd >= 0 ? fchown(fd, a->uid, a->gid) :
			    fchownat(d, name, a->uid, a->gid, AT_SYMLINK_NOFOLLOW));
	/* after chown, which drops set-id bits */
	if (!S_ISLNK(a->mode) && (!st || (chowned && (a->mode & 06000)) ||
				  (st->st_mode & 07777) != (a->mode & 07777))) {
		if (fd >= 0)
			fchmod(fd, a->mode & 07777);
		else
			fchmodat(d, name, a->mode & 07777, 0);
	}
	if (fd >= 0)
		futimens(fd, ts);
	else
		utimensat(d, name, ts, AT_SYMLINK_NOFOLLOW);
}

/**
 * link_entry() - a file with several names in the image: make @name a hard
 *		  link to the name already in the cache, if there is one
 * @im:		image
 * @d:		cache directory
 * @name:	the new name
 * @e:		what LOOKUP gave
 * Return: true if linked (the LOOKUP reference is given back)
 */
static bool link_entry(struct fimg *im, int d, const char *name,
		       const struct fusec_entry *e)
{
	struct inode_rec *r = NULL;
	struct stat st;
	size_t i;

	for (i = 0; i < im->cap && !r; i++)
		if (im->recs[i] && im->recs[i]->first &&
		    im->recs[i]->iino == e->attr.ino && !im->recs[i]->gone)
			r = im->recs[i];
	/* the first name may have been renamed or removed since */
	if (!r || stat(r->first, &st) < 0 || st.st_ino != r->ino ||
	    st.st_dev != im->dev || linkat(AT_FDCWD, r->first, d, name, 0) < 0)
		return false;
	fusec_forget(im->c, e->nodeid, 1);
	return true;
}

/**
 * first_name() - remember where the first name of a hard-linked file is
 * @rec:	its record
 * @d:		cache directory
 * @name:	the name there
 */
static void first_name(struct inode_rec *rec, int d, const char *name)
{
	char proc[64], dir[PATH_MAX];
	ssize_t n;

	fd_proc_path(proc, sizeof(proc), d, NULL);
	if ((n = readlink(proc, dir, sizeof(dir) - 1)) <= 0)
		return;
	dir[n] = 0;
	free(rec->first);
	if (asprintf(&rec->first, "%s/%s", dir, name) < 0)
		rec->first = NULL;
}

/**
 * make_entry() - put one entry of the image in the cache
 * @im:		image
 * @d:		cache directory (unlocked)
 * @name:	the name
 * @e:		what LOOKUP gave (its reference is the record's)
 * Return: 0 or -errno
 */
static int make_entry(struct fimg *im, int d, const char *name,
		      const struct fusec_entry *e)
{
	char target[PATH_MAX];
	struct inode_rec *rec;
	struct stat st;
	int fd = -1, r = 0;

	switch (e->attr.mode & S_IFMT) {
	case S_IFDIR:
		r = mkdirat(d, name, 0700);
		break;
	case S_IFLNK:
		r = fusec_readlink(im->c, e->nodeid, target, sizeof(target));
		if (r < 0)
			return r;
		r = symlinkat(target, d, name);
		break;
	case S_IFIFO:
		r = mknodat(d, name, S_IFIFO | 0600, 0);
		break;
	default:	/* files; devices and sockets as empty files */
		if (S_ISREG(e->attr.mode) && e->attr.nlink > 1 &&
		    link_entry(im, d, name, e))
			return 0;
		/* with its mode, which spares a chmod where the umask
		 * leaves it whole (the creating open may write anyway) */
		fd = openat(d, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
			    e->attr.mode & 0777);
		if (fd < 0)
			return -errno;
		if (S_ISREG(e->attr.mode) && e->attr.size)
			r = ftruncate(fd, (off_t)e->attr.size);
		if (r < 0 || fstat(fd, &st) < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		/* on the fd: no second walk to the name */
		set_times(im, d, name, fd, &e->attr, &st);
		close(fd);
	}
	if (fd < 0 && (r < 0 || fstatat(d, name, &st, AT_SYMLINK_NOFOLLOW) < 0))
		return -errno;
	if (fd < 0)
		set_times(im, d, name, -1, &e->attr, &st);
	if (!(rec = rec_add(im, st.st_ino)))
		return -ENOMEM;
	rec_forget(im, rec);	/* one reference is kept */
	rec->nodeid = e->nodeid;
	rec_valid(rec, &e->attr, e->valid_ms);
	rec->filled = !S_ISREG(e->attr.mode) || !e->attr.size;
	rec->listed = rec->gone = false;
	if (S_ISREG(e->attr.mode) && e->attr.nlink > 1) {
		first_name(rec, d, name);
		rec->iino = e->attr.ino;
	}
	return 0;
}

/**
 * root_attr() - give the cache's root the attributes of the image's
 * @im:		image
 * @d:		the cache's root
 * @rec:	its record
 * Return: 0 or -errno
 */
static int root_attr(struct fimg *im, int d, struct inode_rec *rec)
{
	struct fuse_attr a;
	uint64_t valid;
	char path[64];
	int e;

	if ((e = fusec_getattr(im->c, FUSE_ROOT_ID, &a, &valid)) < 0)
		return e;
	if (!S_ISDIR(a.mode))
		return -ENOTDIR;
	rec_valid(rec, &a, valid);
	fd_proc_path(path, sizeof(path), d, NULL);
	set_times(im, AT_FDCWD, path, -1, &a, NULL);
	im->root_attr = false;
	return 0;
}

/**
 * struct list_names - names of a listing still to be looked up
 * @name:	the names
 * @n:		how many
 * @cap:	room
 * @later:	their entries, for those made after the lookups (symlinks:
 *		READLINK must wait until no LOOKUP is in flight)
 * @nlater:	how many
 */
struct list_names {
	char **name;
	size_t n, cap;
	struct fusec_entry *later;
	size_t *later_i;
	size_t nlater;
};

/**
 * list_entry() - one entry of a READDIR or READDIRPLUS reply into the cache,
 *		  or, without its attributes, into the names to look up
 * @im:		image
 * @d:		the cache directory
 * @dir:	its node
 * @name:	the entry's name (namelen bytes, not terminated)
 * @namelen:	its length
 * @plus:	READDIRPLUS's entry (its lookup reference is ours), or NULL
 * @arg:	the names to look up (struct list_names)
 * Return: 0 or -errno
 */
static int list_entry(struct fimg *im, int d, uint64_t dir, const char *name,
		      size_t namelen, const struct fuse_entry_out *plus, void *arg)
{
	struct list_names *ln = arg;
	char n[NAME_MAX + 1];
	struct fusec_entry e;
	struct stat st;

	(void)dir;
	memcpy(n, name, namelen);
	n[namelen] = 0;
	/* the kernel takes no reference for these two */
	if (!strcmp(n, ".") || !strcmp(n, ".."))
		return 0;
	/* a name is one component: a daemon's "../x" or "a/b" would make
	 * the entry elsewhere */
	if (strlen(n) != namelen || strchr(n, '/') ||
	    fstatat(d, n, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (plus && plus->nodeid)
			fusec_forget(im->c, plus->nodeid, 1);
		return 0;
	}
	if (plus && plus->nodeid) {
		e.nodeid = plus->nodeid;
		e.attr = plus->attr;
		e.valid_ms = fusec_entry_valid(plus);
		return make_entry(im, d, n, &e);
	}
	/* READDIRPLUS may leave an entry without its attributes */
	if (ln->n == ln->cap) {
		size_t cap = ln->cap ? 2 * ln->cap : 64;
		char **nn = realloc(ln->name, cap * sizeof(*nn));

		if (!nn)
			return -ENOMEM;
		ln->name = nn;
		ln->cap = cap;
	}
	if (!(ln->name[ln->n] = strdup(n)))
		return -ENOMEM;
	ln->n++;
	return 0;
}

/**
 * struct looked_up - list_looked_up()'s state
 * @im:		image
 * @d:		the cache directory
 * @ln:		the names
 */
struct looked_up {
	struct fimg *im;
	int d;
	struct list_names *ln;
};

/* made() - make_entry()'s answer @r for @e: a name a daemon listed twice
 * is there already, and the reference of an entry not made is given back */
static int made(struct fimg *im, const struct fusec_entry *e, int r)
{
	if (r < 0)
		fusec_forget(im->c, e->nodeid, 1);
	return r == -EEXIST ? 0 : r;
}

/* list_looked_up() - a name's LOOKUP answer: its entry into the cache, or,
 * for a symlink, kept for after the lookups */
static int list_looked_up(void *arg, size_t i, const struct fusec_entry *e)
{
	struct looked_up *lu = arg;
	struct list_names *ln = lu->ln;

	if (S_ISLNK(e->attr.mode)) {
		if (!ln->later) {
			ln->later = malloc(ln->n * sizeof(*ln->later));
			ln->later_i = malloc(ln->n * sizeof(*ln->later_i));
			if (!ln->later || !ln->later_i) {
				fusec_forget(lu->im->c, e->nodeid, 1);
				return -ENOMEM;
			}
		}
		ln->later[ln->nlater] = *e;
		ln->later_i[ln->nlater++] = i;
		return 0;
	}
	return made(lu->im, e, make_entry(lu->im, lu->d, ln->name[i], e));
}

/**
 * list_names() - look up the names a READDIR listed (several at a time) and
 *		  put them in the cache
 * @im:		image
 * @d:		the cache directory
 * @dir:	its node
 * @ln:		the names (freed here)
 * Return: 0 or -errno
 */
static int list_names(struct fimg *im, int d, uint64_t dir,
		      struct list_names *ln)
{
	struct looked_up lu = { im, d, ln };
	size_t i;
	int e, e2;

	e = fusec_lookup_many(im->c, dir, ln->name, ln->n, list_looked_up, &lu);
	for (i = 0; i < ln->nlater; i++) {
		e2 = e < 0 ? -ECANCELED : make_entry(im, d, ln->name[ln->later_i[i]],
						     &ln->later[i]);
		e2 = made(im, &ln->later[i], e2);
		e = e < 0 ? e : e2;
	}
	for (i = 0; i < ln->n; i++)
		free(ln->name[i]);
	free(ln->name);
	free(ln->later);
	free(ln->later_i);
	return e;
}

/* what read_dir() does with each entry (its lookup reference, if @plus,
 * is the visitor's) */
typedef int (*dir_visit)(struct fimg *im, int d, uint64_t dir, const char *name,
			 size_t namelen, const struct fuse_entry_out *plus,
			 void *arg);

/**
 * struct read_dir_visit - read_dir()'s visitor, for fusec_dirents()
 * @im:		image
 * @d:		the cache directory
 * @dir:	its node
 * @visit:	the visitor
 * @arg:	its argument
 */
struct read_dir_visit {
	struct fimg *im;
	int d;
	uint64_t dir;
	dir_visit visit;
	void *arg;
};

/* read_dir_one() - one entry of a listing, to the visitor */
static int read_dir_one(void *arg, const char *name, size_t namelen,
			const struct fuse_entry_out *plus)
{
	struct read_dir_visit *v = arg;

	return v->visit(v->im, v->d, v->dir, name, namelen, plus, v->arg);
}

/**
 * read_dir() - READDIR (or READDIRPLUS, where the daemon answers it: each
 *		entry then comes with its attributes, saving a LOOKUP per
 *		name) an image directory, handing each entry to @visit
 * @im:		image
 * @d:		the cache directory
 * @rec:	its record
 * @visit:	what to do with an entry; a negative answer stops
 * @arg:	for @visit
 * Return: 0 or -errno
 */
static int read_dir(struct fimg *im, int d, struct inode_rec *rec,
		    dir_visit visit, void *arg)
{
	bool plus = fusec_plus(im->c);
	uint32_t op = plus ? FUSE_READDIRPLUS : FUSE_READDIR;
	struct read_dir_visit v = { im, d, rec->nodeid, visit, arg };
	char *buf = malloc(IMG_CHUNK);
	struct fuse_read_in ri = { .size = IMG_CHUNK };
	struct iovec in = { &ri, sizeof(ri) };
	uint64_t fh;
	int n, e2 = 0, off;

	if (!buf)
		return -ENOMEM;
	if ((n = fusec_open(im->c, rec->nodeid, true, O_RDONLY, &fh)) < 0) {
		free(buf);
		return n;
	}
	ri.fh = fh;
	while ((n = fusec_call(im->c, op, rec->nodeid, &in, 1, buf, IMG_CHUNK)) > 0) {
		uint64_t before = ri.offset;

		off = fusec_dirents(buf, n, plus, read_dir_one, &v, &ri.offset);
		e2 = off < 0 ? off : 0;
		/* a daemon whose offsets do not move would list forever */
		if (off <= 0 || ri.offset == before)
			break;
	}
	fusec_release(im->c, rec->nodeid, true, fh, O_RDONLY);
	free(buf);
	return n < 0 ? n : e2 < 0 ? e2 : 0;
}

/* a directory's times, as the image has them (listing changed them) */
static void dir_times(int d, const struct inode_rec *rec)
{
	struct timespec ts[2] = { rec->atime, rec->mtime };
	char path[64];

	fd_proc_path(path, sizeof(path), d, NULL);
	utimensat(AT_FDCWD, path, ts, 0);
}

/**
 * list_dir() - put every entry of an image directory in the cache
 * @im:		image
 * @d:		the cache directory (any fd)
 * @rec:	its record
 * Return: 0 or -errno
 */
static int list_dir(struct fimg *im, int d, struct inode_rec *rec)
{
	struct list_names ln = { 0 };
	bool was;
	int n, e;

	if (im->root_attr && rec->nodeid == FUSE_ROOT_ID &&
	    (n = root_attr(im, d, rec)) < 0)
		return n;
	was = unlock_dir(d, rec);
	n = read_dir(im, d, rec, list_entry, &ln);
	/* what was listed before a failure is put in the cache all the same */
	e = list_names(im, d, rec->nodeid, &ln);
	n = n < 0 ? n : e;
	lock_dir(d, rec, was);
	dir_times(d, rec);
	if (n < 0)
		return n;
	rec->listed = true;
	return 0;
}

static int relist_dir(struct fimg *im, int d, struct inode_rec *rec);
static int relist_entry(struct fimg *im, int d, uint64_t dir, const char *name,
			const struct fuse_entry_out *plus, uint64_t *valid);

/**
 * img_enter_at() - the resolver is about to look a name up in cache
 *		    directory @d: make its entries be there, and @name as the
 *		    image has it now if the time the daemon gave it is over
 * @m:		the mount
 * @d:		the directory (O_PATH)
 * @ino:	its inode number, or 0 if the caller does not know it
 * @name:	the name (one component)
 * @st:		if not NULL, where the name's lstat goes, when it is known
 * Return: 1 if *@st is the name as the cache has it now, 0 if the name is
 *	   ready but *@st is not filled, or -errno
 */
int img_enter_at(struct fmount *m, int d, ino_t ino, const char *name,
		 struct stat *st)
{
	struct inode_rec *rec, *r;
	uint64_t valid = FUSEC_FOREVER;
	struct stat sn;
	bool was;
	int e;

	if (!ino)
		rec = rec_of_fd(m->img, d);
	else
		rec = rec_find(m->img, ino);
	if (!rec || !S_ISDIR(rec->mode))
		return 0;
	if (!rec->listed && (e = list_dir(m->img, d, rec)) < 0)
		return e;
	/* the name, once the time the daemon gave it (or, for a name the
	 * cache does not have, its directory's entries) is over */
	if (!strcmp(name, ".") || !strcmp(name, "..") || !rec->nodeid)
		return 0;
	if (fstatat(d, name, &sn, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!(r = rec_find(m->img, sn.st_ino)) || !rec_stale(r)) {
			if (st)
				*st = sn;
			return !!st;
		}
	} else if (!rec_stale(rec)) {
		return 0;
	}
	was = unlock_dir(d, rec);
	e = relist_entry(m->img, d, rec->nodeid, name, NULL, &valid);
	lock_dir(d, rec, was);
	return e < 0 ? e : 0;
}

/**
 * img_enter() - img_enter_at() without what it knows of the name
 * @m:		the mount
 * @d:		the directory (O_PATH)
 * @name:	the name (one component)
 * Return: 0 or -errno
 */
int img_enter(struct fmount *m, int d, const char *name)
{
	int e = img_enter_at(m, d, 0, name, NULL);

	return e < 0 ? e : 0;
}

/**
 * img_space() - what the image says of the space a cache object takes
 * @m:		the image mount it was found in
 * @ino:	its inode number in the cache
 * @mode:	its type and mode there
 * @size:	its size there: set to the image's for a directory or symlink
 * Return: its 512-byte blocks in the image, or -1 where the cache's stand
 *	   (not one of the image's, or changed through facet and not asked
 *	   since, or open for writing)
 *
 * A file of the cache takes what has been read of it (nothing, until a
 * guest reads it), a directory what tmpfs gives it, a symlink the length
 * of its text; du, ls -s and the like should see what the daemon says, as
 * through the kernel's FUSE.
 */
static int64_t img_space(const struct fmount *m, ino_t ino, mode_t mode,
			 uint64_t *size)
{
	struct inode_rec *rec;
	int d;

	if (!m || m->kind != FM_IMAGE || !m->img ||
	    !(rec = rec_find(m->img, ino)))
		return -1;
	/* the root, stat'ed before it was first listed: ask the daemon, as
	 * the kernel would */
	if (m->img->root_attr && rec->nodeid == FUSE_ROOT_ID &&
	    (d = open(m->img->cache, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)root_attr(m->img, d, rec);
		close(d);
	}
	if (!rec->space || rec->resync || rec->writers ||
	    (rec->mode & S_IFMT) != (mode & S_IFMT))
		return -1;
	if (S_ISDIR(mode) || S_ISLNK(mode))
		*size = rec->size;
	else if (*size != rec->size)
		return -1;
	return (int64_t)rec->blocks;
}

/**
 * img_stat_fix() - a stat of a cache object, with the image's space
 * @m:		the mount it was found in (nothing is done but for an image)
 * @st:		the stat
 */
void img_stat_fix(const struct fmount *m, struct stat *st)
{
	uint64_t size = (uint64_t)st->st_size;
	int64_t b = img_space(m, st->st_ino, st->st_mode, &size);

	if (b < 0)
		return;
	st->st_blocks = (blkcnt_t)b;
	st->st_size = (off_t)size;
}

/**
 * img_statx_fix() - img_stat_fix() for statx
 * @m:		the mount
 * @stx:	the statx
 */
void img_statx_fix(const struct fmount *m, struct statx *stx)
{
	uint64_t size = stx->stx_size;
	int64_t b;

	if (!(stx->stx_mask & STATX_INO))
		return;
	b = img_space(m, (ino_t)stx->stx_ino, stx->stx_mode, &size);
	if (b < 0)
		return;
	if (stx->stx_mask & STATX_BLOCKS)
		stx->stx_blocks = (uint64_t)b;
	if (stx->stx_mask & STATX_SIZE)
		stx->stx_size = size;
}

/**
 * cache_writer() - a writable fd of a cache file, whatever its mode
 * @fd:		the cache file (any fd)
 * @rec:	its record
 * Return: the fd, or -errno
 */
static int cache_writer(int fd, const struct inode_rec *rec)
{
	char path[64];
	int w;

	fd_proc_path(path, sizeof(path), fd, NULL);
	if (geteuid() && !(rec->mode & 0200))
		chmod(path, (rec->mode & 07777) | 0200);
	w = open(path, O_WRONLY | O_CLOEXEC);
	if (w < 0)
		w = -errno;
	if (geteuid() && !(rec->mode & 0200))
		chmod(path, rec->mode & 07777);
	return w;
}

/**
 * copy_in() - read [@off, @end) of an open file of the image into the cache
 * @im:		image
 * @rec:	its record
 * @fh:		the daemon's handle
 * @w:		writable cache fd
 * @buf:	FUSEC_MAX_READ bytes
 * @off:	start
 * @end:	end, or UINT64_MAX for the whole rest
 * Return: where the data ended (the file's end if before @end), or -errno
 */
static int64_t copy_in(struct fimg *im, struct inode_rec *rec, uint64_t fh,
		       int w, char *buf, uint64_t off, uint64_t end)
{
	return fusec_read_fd(im->c, rec->nodeid, fh, off, end, w, buf,
			     fusec_max_read(im->c));
}

/* is part @c of a file filled in parts in the cache? */
#define HAVE(rec, c)	((rec)->have[(c) / 8] & (1u << ((c) % 8)))

/**
 * fill_parts() - read parts of a file from the image into the cache
 * @im:		image
 * @fd:		the cache file (any fd)
 * @rec:	its record
 * @from:	first byte wanted
 * @to:		end of the bytes wanted; UINT64_MAX with @from 0: the whole
 *		file (its size as the daemon said, or less if its data ends
 *		before)
 * Return: 0 or -errno
 */
static int fill_parts(struct fimg *im, int fd, struct inode_rec *rec,
		      uint64_t from, uint64_t to)
{
	bool whole = !from && to == UINT64_MAX;
	uint64_t fh, c, e, last = 0, nparts;
	int64_t n = 0;
	struct stat st;
	char *buf;
	int w;

	if (rec->filled)
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	nparts = ((uint64_t)st.st_size + IMG_PART - 1) / IMG_PART;
	if (!whole) {
		if (to > (uint64_t)st.st_size)
			to = (uint64_t)st.st_size;
		if (from >= to)
			return 0;
		if (!rec->have && !(rec->have = calloc(nparts / 8 + 1, 1)))
			return -ENOMEM;
		for (c = from / IMG_PART, last = (to - 1) / IMG_PART;
		     c <= last && HAVE(rec, c); c++)
			;
		if (c > last)
			return 0;
		from = c * IMG_PART;
		if (c && HAVE(rec, c - 1)) {	/* sequential: read ahead */
			rec->ahead = rec->ahead ? rec->ahead * 2 : 2;
			if (rec->ahead > IMG_AHEAD)
				rec->ahead = IMG_AHEAD;
			if (last < c + rec->ahead - 1)
				last = c + rec->ahead - 1;
			if (last >= nparts)
				last = nparts - 1;
		} else {
			rec->ahead = 0;
		}
	}
	if ((n = fusec_open(im->c, rec->nodeid, false, O_RDONLY, &fh)) < 0)
		return (int)n;
	if ((w = cache_writer(fd, rec)) < 0 || !(buf = malloc(FUSEC_MAX_READ))) {
		n = w < 0 ? w : -ENOMEM;
		if (w >= 0)
			close(w);
		fusec_release(im->c, rec->nodeid, false, fh, O_RDONLY);
		return (int)n;
	}
	if (whole) {	/* up to the size the daemon gave, as the kernel reads */
		n = copy_in(im, rec, fh, w, buf, 0, (uint64_t)st.st_size);
		if (n >= 0 && n < st.st_size && ftruncate(w, (off_t)n) < 0)
			n = -errno;
	}
	/* each run of parts not in yet, in one pipelined read */
	for (c = from / IMG_PART; !whole && c <= last && n >= 0; c = e) {
		for (; c <= last && HAVE(rec, c); c++)
			;
		for (e = c; e <= last && !HAVE(rec, e); e++)
			;
		if (c > last)
			break;
		n = copy_in(im, rec, fh, w, buf, c * IMG_PART, e * IMG_PART);
		for (; n >= 0 && c < e; c++) {
			rec->have[c / 8] |= (uint8_t)(1u << (c % 8));
			rec->nhave++;
		}
	}
	free(buf);
	close(w);
	fusec_release(im->c, rec->nodeid, false, fh, O_RDONLY);
	if (n < 0)
		return (int)n;
	if (whole || rec->nhave >= nparts) {
		rec->filled = true;
		free(rec->have);
		rec->have = NULL;
	}
	return 0;
}

/**
 * fill() - read a file's data from the image into the cache, whole
 * @im:		image
 * @fd:		the cache file (any fd)
 * @rec:	its record
 * Return: 0 or -errno
 */
static int fill(struct fimg *im, int fd, struct inode_rec *rec)
{
	return fill_parts(im, fd, rec, 0, UINT64_MAX);
}

/* --- what the daemon changed behind facet's back ------------------------- */

/**
 * drop_data() - a file's data changed in the image: what the cache holds
 *		 of it is dropped, and read again
 * @im:		image
 * @fd:		the cache file (any fd)
 * @rec:	its record
 * @size:	its new size
 *
 * A file that was in the cache whole is read again whole at once: a guest
 * may hold it open as an ordinary fd, which would read holes.  One filled
 * in parts is read again as its (watched) readers go on.
 */
static void drop_data(struct fimg *im, int fd, struct inode_rec *rec,
		      uint64_t size)
{
	bool was = rec->filled;
	int w = cache_writer(fd, rec);

	if (w < 0)
		return;
	if (ftruncate(w, 0) < 0 || ftruncate(w, (off_t)size) < 0) {
		close(w);
		return;
	}
	close(w);
	free(rec->have);
	rec->have = NULL;
	rec->nhave = 0;
	rec->ahead = 0;
	rec->filled = !size;
	if (was && size)
		fill(im, fd, rec);
}

/**
 * refresh() - take what the daemon says of an object the cache holds
 * @im:		image
 * @d:		the cache directory it is in
 * @name:	its name there
 * @fd:		the object (any fd)
 * @rec:	its record
 * @a:		its attributes in the image now
 * @valid_ms:	for how long they hold
 *
 * A file's data changed when its size or modification time did; one a
 * guest may be writing (or facet just wrote back) keeps what it has.
 */
static void refresh(struct fimg *im, int d, const char *name, int fd,
		    struct inode_rec *rec, const struct fuse_attr *a,
		    uint64_t valid_ms)
{
	bool changed = a->size != rec->size || a->mtime != (uint64_t)rec->mtime.tv_sec ||
		       a->mtimensec != (uint32_t)rec->mtime.tv_nsec;
	bool same = !changed && a->mode == rec->mode &&
		    a->atime == (uint64_t)rec->atime.tv_sec &&
		    a->atimensec == (uint32_t)rec->atime.tv_nsec &&
		    (!im->root || (a->uid == rec->uid && a->gid == rec->gid));

	if (rec->writers > 0)
		return;
	if (changed && !rec->resync && S_ISREG(a->mode))
		drop_data(im, fd, rec, a->size);
	rec_valid(rec, a, valid_ms);
	if (!same)
		set_times(im, d, name, -1, a, NULL);
}

/**
 * drop_entry() - an object the image no longer has leaves the cache
 * @im:		image
 * @d:		the cache directory it is in (writable)
 * @name:	its name
 * @depth:	how deep this is below the directory being listed
 */
static void drop_entry(struct fimg *im, int d, const char *name, int depth)
{
	struct inode_rec *rec;
	struct dirent *de;
	struct stat st;
	bool was = false;
	DIR *dir;
	int fd;

	if (fstatat(d, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	rec = st.st_dev == im->dev ? rec_find(im, st.st_ino) : NULL;
	if (rec && rec->writers > 0)
		return;	/* a guest writes it: the image gets it at its close */
	if (S_ISDIR(st.st_mode) && depth < 64 &&
	    (fd = openat(d, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		was = rec && unlock_dir(fd, rec);
		if ((dir = fdopendir(fd))) {
			while ((de = readdir(dir)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					drop_entry(im, dirfd(dir), de->d_name, depth + 1);
			closedir(dir);
		} else {
			close(fd);
		}
	}
	if (unlinkat(d, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0) {
		if (was)	/* it stays: a guest writes below it */
			fchmodat(d, name, rec->mode & 07777, 0);
		return;
	}
	if (rec && (S_ISDIR(st.st_mode) || st.st_nlink <= 1)) {
		rec->gone = true;
		rec_forget(im, rec);
	}
}

/**
 * relist_entry() - one entry of the image's directory, listed again
 * @im:		image
 * @d:		the cache directory (writable)
 * @dir:	its node
 * @name:	the entry's name (a checked single component)
 * @plus:	READDIRPLUS's entry (its lookup reference is ours), or NULL
 * @valid:	lowered to the entry's validity
 * Return: 0 or -errno
 */
static int relist_entry(struct fimg *im, int d, uint64_t dir, const char *name,
			const struct fuse_entry_out *plus, uint64_t *valid)
{
	struct inode_rec *rec;
	struct fusec_entry e;
	struct stat st;
	int fd, n;

	if (plus && plus->nodeid) {
		e.nodeid = plus->nodeid;
		e.attr = plus->attr;
		e.valid_ms = fusec_entry_valid(plus);
	} else if ((n = fusec_lookup(im->c, dir, name, &e)) < 0) {
		if (n == -ENOENT)
			drop_entry(im, d, name, 0);	/* gone from the image */
		return 0;
	}
	if (e.valid_ms < *valid)
		*valid = e.valid_ms;
	if (fstatat(d, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return make_entry(im, d, name, &e);
	rec = rec_find(im, st.st_ino);
	if (!rec || (st.st_mode & S_IFMT) != (e.attr.mode & S_IFMT) ||
	    (rec->nodeid != e.nodeid && S_ISLNK(st.st_mode))) {
		if (rec && rec->writers > 0) {
			fusec_forget(im->c, e.nodeid, 1);
			return 0;
		}
		drop_entry(im, d, name, 0);
		return make_entry(im, d, name, &e);	/* another object now */
	}
	if (rec->nodeid != e.nodeid) {
		rec_forget(im, rec);
		rec->nodeid = e.nodeid;
	} else {
		rec->extra++;	/* given back with the others */
	}
	fd = openat(d, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		refresh(im, d, name, fd, rec, &e.attr, e.valid_ms);
		close(fd);
	}
	return 0;
}

/**
 * struct relisting - what a listing again has seen so far
 * @v:		the names, sorted at the end
 * @n:		how many
 * @cap:	room
 * @valid:	the shortest validity of the entries
 */
struct relisting {
	char **v;
	size_t n, cap;
	uint64_t valid;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read_dir()'s visit for relist_dir(): note the name, take the entry */
static int relist_visit(struct fimg *im, int d, uint64_t dir, const char *name,
			size_t namelen, const struct fuse_entry_out *plus,
			void *arg)
{
	struct relisting *l = arg;
	char n[NAME_MAX + 1];

	memcpy(n, name, namelen);
	n[namelen] = 0;
	if (!strcmp(n, ".") || !strcmp(n, ".."))
		return 0;
	if (strlen(n) != namelen || strchr(n, '/')) {	/* not one component */
		if (plus && plus->nodeid)
			fusec_forget(im->c, plus->nodeid, 1);
		return 0;
	}
	if (l->n == l->cap) {
		char **v = realloc(l->v, (l->cap = l->cap * 2 + 64) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
	}
	if (!(l->v[l->n] = strdup(n)))
		return -ENOMEM;
	l->n++;
	return relist_entry(im, d, dir, n, plus, &l->valid);
}

/**
 * relist_dir() - the time the daemon gave a directory's entries is over:
 *		  list it again, and make the cache agree: new names come
 *		  in, names gone go, changed objects are refreshed
 * @im:		image
 * @d:		the cache directory (any fd)
 * @rec:	its record
 * Return: 0 or -errno
 */
static int relist_dir(struct fimg *im, int d, struct inode_rec *rec)
{
	struct relisting l = { .valid = FUSEC_FOREVER };
	struct fuse_attr a;
	struct dirent *de;
	uint64_t avalid;
	char *key;
	size_t i;
	bool was;
	DIR *dir;
	int n, w;

	if ((n = fusec_getattr(im->c, rec->nodeid, &a, &avalid)) < 0)
		return n == -ENOENT || n == -ESTALE ? -ENOENT : 0;
	was = unlock_dir(d, rec);
	n = read_dir(im, d, rec, relist_visit, &l);
	/* what the image no longer has leaves (only after a whole listing) */
	if (n >= 0 && (w = openat(d, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		qsort(l.v, l.n, sizeof(*l.v), name_cmp);
		if ((dir = fdopendir(w))) {
			while ((de = readdir(dir))) {
				key = de->d_name;
				if (strcmp(key, ".") && strcmp(key, "..") &&
				    !(l.n && bsearch(&key, l.v, l.n, sizeof(*l.v), name_cmp)))
					drop_entry(im, dirfd(dir), key, 0);
			}
			closedir(dir);
		} else {
			close(w);
		}
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	rec_valid(rec, &a, avalid < l.valid ? avalid : l.valid);
	lock_dir(d, rec, was);
	dir_times(d, rec);
	return n;
}

/**
 * img_fill() - a guest is about to read [@from, @to) of a file it holds as a
 *		watched fd: fill that much of it
 * @fs:		module state
 * @fd:		the file (the supervisor's copy of the guest's fd)
 * @from:	first byte
 * @to:		end, or UINT64_MAX with @from 0 for the whole file
 * Return: 0 (also for a file of no image), or -errno
 */
int img_fill(struct files *fs, int fd, uint64_t from, uint64_t to)
{
	struct inode_rec *rec;
	struct fimg *im;
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	for (im = fs->images; im; im = im->next)
		if (st.st_dev == im->dev && (rec = rec_find(im, st.st_ino)))
			return fill_parts(im, fd, rec, from, to);
	return 0;
}

/**
 * img_ready() - an object of an image is about to be opened or run: fill
 *		 it (a file's data, a directory's entries)
 * @m:		the mount
 * @fd:		the cache object
 * @flags:	open flags (O_TRUNC: the data is not needed)
 * @lazy:	the caller can hand the file out as a watched fd
 * Return: 0, 1 if @lazy and the caller is to do so (a big file opened for
 * reading), or -errno
 */
int img_ready(struct fmount *m, int fd, int flags, bool lazy)
{
	struct inode_rec *rec = rec_of_fd(m->img, fd);
	struct stat st;
	int e;

	if (!rec)
		return 0;
	if (S_ISDIR(rec->mode))
		return !rec->listed ? list_dir(m->img, fd, rec) :
		       rec_stale(rec) ? relist_dir(m->img, fd, rec) : 0;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
		uint64_t fh;

		/* the daemon decides whether it may be written */
		if ((e = fusec_open(m->img->c, rec->nodeid, false,
				    flags & (O_ACCMODE | O_APPEND), &fh)) < 0)
			return e;
		fusec_release(m->img->c, rec->nodeid, false, fh, flags & O_ACCMODE);
		if ((flags & O_TRUNC) && S_ISREG(rec->mode))
			rec->filled = true;
	}
	if (rec->filled || !S_ISREG(rec->mode))
		return 0;
	if (lazy && m->img->fs->lazy && (flags & O_ACCMODE) == O_RDONLY &&
	    fstat(fd, &st) == 0 && st.st_size >= IMG_LAZY) {
		rec->lazy = true;
		return 1;
	}
	return fill(m->img, fd, rec);
}

/**
 * write_back() - write a file's data from the cache to the image
 * @im:		image
 * @rec:	its record (@rec->fd open)
 * Return: 0 or -errno
 */
static int write_back(struct fimg *im, struct inode_rec *rec)
{
	struct fuse_setattr_in sa = { .valid = FATTR_SIZE | FATTR_FH };
	struct iovec in = { &sa, sizeof(sa) };
	struct fuse_attr_out ao;
	char path[64], *buf;
	uint64_t fh, off = 0;
	long n = 0, w;
	struct stat st;
	int r;

	if (rec->gone || rec->fd < 0)
		return 0;
	fd_proc_path(path, sizeof(path), rec->fd, NULL);
	if ((r = open(path, O_RDONLY | O_CLOEXEC)) < 0 && geteuid()) {
		chmod(path, (rec->mode & 07777) | 0400);
		r = open(path, O_RDONLY | O_CLOEXEC);
		chmod(path, rec->mode & 07777);
	}
	if (r < 0 || fstat(r, &st) < 0 || !(buf = malloc(IMG_CHUNK))) {
		if (r >= 0)
			close(r);
		return -EIO;
	}
	if ((n = fusec_open(im->c, rec->nodeid, false, O_WRONLY, &fh)) < 0)
		goto out;
	sa.fh = fh;
	sa.size = (uint64_t)st.st_size;
	if ((n = fusec_call(im->c, FUSE_SETATTR, rec->nodeid, &in, 1, &ao,
			    sizeof(ao))) < 0)
		goto release;
	while ((n = pread(r, buf, IMG_CHUNK, (off_t)off)) > 0) {
		for (w = 0; w < n;) {
			long k = fusec_write(im->c, rec->nodeid, fh, off + (uint64_t)w,
					     buf + w, (size_t)(n - w));
			if (k <= 0) {
				n = k < 0 ? k : -EIO;
				goto release;
			}
			w += k;
		}
		off += (uint64_t)n;
	}
	if (n < 0)
		n = -EIO;
	else {
		struct fuse_fsync_in fi = { .fh = fh };
		struct iovec fin = { &fi, sizeof(fi) };
		struct fuse_flush_in fl = { .fh = fh };
		struct iovec flin = { &fl, sizeof(fl) };

		fusec_call(im->c, FUSE_FLUSH, rec->nodeid, &flin, 1, NULL, 0);
		fusec_call(im->c, FUSE_FSYNC, rec->nodeid, &fin, 1, NULL, 0);
	}
release:
	fusec_release(im->c, rec->nodeid, false, fh, O_WRONLY);
	rec->resync = true;	/* its size and times are the image's now */
out:
	free(buf);
	close(r);
	if (n < 0)
		facet_error(im->fs->f, "%s: writing a file back failed: %s",
			    fusec_name(im->c), strerror((int)-n));
	return n < 0 ? (int)n : 0;
}

/**
 * img_sync() - a guest's fsync, fdatasync or syncfs: write what it wrote
 *		back to the image now
 * @fs:		module state
 * @fd:		the guest's file (any fd)
 * @all:	every file of its image (syncfs)
 * Return: 0, 1 if @fd is not in an image, or -errno (EIO)
 */
int img_sync(struct files *fs, int fd, bool all)
{
	struct inode_rec *rec = NULL;
	struct fimg *im;
	size_t i;
	int e = 0;

	for (im = fs->images; im && !rec; im = rec ? im : im->next)
		if (!im->gone)
			rec = rec_of_fd(im, fd);
	if (!rec)
		return 1;
	for (i = 0; all && i < im->cap && !e; i++)
		if (im->recs[i] && im->recs[i]->writers > 0)
			e = write_back(im, im->recs[i]);
	if (!all && rec->writers > 0)
		e = write_back(im, rec);
	return e < 0 ? -EIO : 0;
}

/**
 * img_statfs() - statfs or fstatfs of something in an image: the image's
 *		  figures, as the kernel's FUSE gives them
 * @fs:		module state
 * @m:		its mount, if known (else found from @fd)
 * @fd:		the object (any fd)
 * @sf:		the cache's figures in, the image's out
 * Return: 0, or 1 if @fd is not in an image (@sf untouched)
 */
int img_statfs(struct files *fs, struct fmount *m, int fd, struct statfs *sf)
{
	struct fuse_statfs_out out;
	struct fimg *im = m && m->kind == FM_IMAGE ? m->img : NULL;
	int n;

	for (im = im ? im : fs->images; im && !m && !rec_of_fd(im, fd); im = im->next)
		;
	if (!im || im->gone)
		return 1;
	n = fusec_call(im->c, FUSE_STATFS, FUSE_ROOT_ID, NULL, 0, &out, sizeof(out));
	sf->f_type = 0x65735546;	/* FUSE_SUPER_MAGIC */
	if (n < (int)FUSE_COMPAT_STATFS_SIZE) {	/* no figures: the kernel's defaults */
		memset(&out, 0, sizeof(out));
		out.st.bsize = 512;
		out.st.namelen = 255;
	}
	sf->f_bsize = out.st.bsize;
	sf->f_frsize = n >= (int)sizeof(out) && out.st.frsize ? out.st.frsize : out.st.bsize;
	sf->f_blocks = out.st.blocks;
	sf->f_bfree = out.st.bfree;
	sf->f_bavail = out.st.bavail;
	sf->f_files = out.st.files;
	sf->f_ffree = out.st.ffree;
	sf->f_namelen = out.st.namelen;
	return 0;
}

/**
 * img_sync_all() - sync(2): every image writes back what guests wrote
 * @fs:		module state
 */
void img_sync_all(struct files *fs)
{
	struct fimg *im;
	size_t i;

	for (im = fs->images; im; im = im->next)
		for (i = 0; !im->gone && i < im->cap; i++)
			if (im->recs[i] && im->recs[i]->writers > 0)
				write_back(im, im->recs[i]);
}

/**
 * writer_done() - one file description that could write a file is gone
 * @im:		image
 * @rec:	the file
 */
static void writer_done(struct fimg *im, struct inode_rec *rec)
{
	if (rec->writers <= 0 || --rec->writers)
		return;
	if (!im->gone)	/* after a guest's unmount, as the kernel: ENOTCONN */
		write_back(im, rec);
	inotify_rm_watch(im->inotify, rec->wd);
	close(rec->fd);
	rec->fd = rec->wd = -1;
}

/**
 * img_inotify() - the event loop's callback: write back closed files
 * @f:		supervisor
 * @fd:		the inotify fd
 * @events:	epoll events
 * @arg:	the image
 */
static void img_inotify(struct facet *f, int fd, uint32_t events, void *arg)
{
	char buf[4096] __attribute__((aligned(8)));
	struct fimg *im = arg;
	struct inotify_event *ev;
	ssize_t n, off;
	size_t i;

	(void)f;
	(void)events;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += (ssize_t)sizeof(*ev) + ev->len) {
			ev = (struct inotify_event *)(buf + off);
			if (!(ev->mask & IN_CLOSE_WRITE))
				continue;
			for (i = 0; i < im->cap; i++)
				if (im->recs[i] && im->recs[i]->wd == ev->wd &&
				    im->recs[i]->writers > 0) {
					writer_done(im, im->recs[i]);
					break;
				}
		}
	}
}

/**
 * img_opened() - a guest has an open file of an image: if it can write,
 *		  write it back when the last such description closes
 * @m:		the mount
 * @fd:		the supervisor's fd of the guest's open file
 * @flags:	open flags
 */
void img_opened(struct fmount *m, int fd, int flags)
{
	struct fimg *im = m->img;
	struct inode_rec *rec;
	char path[64];
	struct stat st;

	if ((flags & O_ACCMODE) == O_RDONLY || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_dev != im->dev ||
	    !(rec = rec_find(im, st.st_ino)))
		return;
	rec->filled = true;
	if (im->inotify < 0) {
		im->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (im->inotify < 0 ||
		    facet_watch(im->fs->f, im->inotify, EPOLLIN, img_inotify, im) < 0) {
			facet_error(im->fs->f, "%s: no inotify: writes reach the image only at the end",
				    fusec_name(im->c));
			return;
		}
	}
	if (rec->writers++)
		return;
	fd_proc_path(path, sizeof(path), fd, NULL);
	rec->fd = open(path, O_PATH | O_CLOEXEC);
	rec->wd = inotify_add_watch(im->inotify, path, IN_CLOSE_WRITE);
}

/* --- changes ---------------------------------------------------------------- */

/**
 * parent_rec() - the record of a resolution's parent directory
 * @r:		result (RES_PARENT)
 * Return: the record, or NULL
 */
static struct inode_rec *parent_rec(const struct fres *r)
{
	return r->dirfd >= 0 ? rec_of_fd(r->m->img, r->dirfd) : NULL;
}

/* What the daemon answered the last making request (MKDIR, CREATE,
 * SYMLINK...): its node waits here for the cache object the caller makes
 * next (img_made()).  Requests are made one at a time. */
static struct fusec_entry pending;

/**
 * img_made() - the caller made the cache object the daemon made before
 * @r:		where (@r->dirfd, @r->name)
 */
void img_made(const struct fres *r)
{
	struct inode_rec *rec;
	struct stat st;

	if (!pending.nodeid || r->dirfd < 0 ||
	    fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !(rec = rec_add(r->m->img, st.st_ino)))
		return;
	rec_forget(r->m->img, rec);
	rec->nodeid = pending.nodeid;
	rec_valid(rec, &pending.attr, pending.valid_ms);
	rec->filled = rec->listed = true;
	rec->gone = false;
	pending.nodeid = 0;
}

/**
 * mk_reply() - keep the entry a making request answered
 * @im:		image
 * @out:	its fuse_entry_out
 * @n:		reply length or -errno
 * Return: 0 or -errno
 */
static int mk_reply(struct fimg *im, const struct fuse_entry_out *out, int n)
{
	struct fusec_entry e;
	int r = 0;

	if (n < 0)
		return n;
	if (pending.nodeid)
		fusec_forget(im->c, pending.nodeid, 1);
	pending.nodeid = 0;
	if (n >= FUSE_COMPAT_ENTRY_OUT_SIZE && out->nodeid) {
		e.nodeid = out->nodeid;
		e.attr = out->attr;
		e.valid_ms = fusec_entry_valid(out);
		pending = e;
	} else {
		r = -EIO;
	}
	return r;
}

/**
 * img_create() - a guest makes a file, directory, node or symlink
 * @r:		where (RES_PARENT, not existing)
 * @mode:	type and mode, the umask applied
 * @dev:	device number (mknod)
 * @target:	a symlink's target, else NULL
 * Return: 0 or -errno
 */
int img_create(const struct fres *r, mode_t mode, dev_t dev, const char *target)
{
	struct fimg *im = r->m->img;
	struct inode_rec *dir = parent_rec(r);
	struct fuse_entry_out out;
	struct iovec in[2];
	int n;

	if (!dir)
		return -EIO;
	if (target) {
		in[0] = (struct iovec){ (void *)r->name, strlen(r->name) + 1 };
		in[1] = (struct iovec){ (void *)target, strlen(target) + 1 };
		n = fusec_call(im->c, FUSE_SYMLINK, dir->nodeid, in, 2, &out, sizeof(out));
	} else if (S_ISDIR(mode)) {
		struct fuse_mkdir_in mi = { .mode = mode & 07777 };

		in[0] = (struct iovec){ &mi, sizeof(mi) };
		in[1] = (struct iovec){ (void *)r->name, strlen(r->name) + 1 };
		n = fusec_call(im->c, FUSE_MKDIR, dir->nodeid, in, 2, &out, sizeof(out));
	} else {
		struct fuse_mknod_in mi = { .mode = mode, .rdev = (uint32_t)dev };

		in[0] = (struct iovec){ &mi, fusec_minor(im->c) >= 12 ? sizeof(mi)
						: FUSE_COMPAT_MKNOD_IN_SIZE };
		in[1] = (struct iovec){ (void *)r->name, strlen(r->name) + 1 };
		n = fusec_call(im->c, FUSE_MKNOD, dir->nodeid, in, 2, &out, sizeof(out));
		if (n == -ENOSYS && S_ISREG(mode)) {
			struct fuse_create_in ci = { .flags = O_WRONLY | O_CREAT | O_EXCL,
						     .mode = mode };
			struct {
				struct fuse_entry_out e;
				struct fuse_open_out o;
			} co;

			in[0] = (struct iovec){ &ci, fusec_minor(im->c) >= 12 ? sizeof(ci) : 8 };
			n = fusec_call(im->c, FUSE_CREATE, dir->nodeid, in, 2, &co, sizeof(co));
			if (n >= (int)sizeof(co)) {
				fusec_release(im->c, co.e.nodeid, false, co.o.fh, O_WRONLY);
				n = (int)sizeof(co.e);
			} else if (n >= 0) {
				n = -EIO;
			}
			out = co.e;
		}
	}
	return mk_reply(im, &out, n);
}

/**
 * img_link() - a guest links @o at @n (same image)
 * @o:		existing object
 * @n:		new name (RES_PARENT)
 * Return: 0 or -errno
 */
int img_link(const struct fres *o, const struct fres *n)
{
	struct inode_rec *src = rec_of_fd(o->m->img, o->fd), *dir = parent_rec(n);
	struct fuse_link_in li;
	struct fuse_entry_out out;
	struct iovec in[2];

	if (!src || !dir)
		return -EIO;
	li.oldnodeid = src->nodeid;
	in[0] = (struct iovec){ &li, sizeof(li) };
	in[1] = (struct iovec){ (void *)n->name, strlen(n->name) + 1 };
	return mk_reply(n->m->img, &out, fusec_call(n->m->img->c, FUSE_LINK,
						    dir->nodeid, in, 2, &out, sizeof(out)));
}

static struct {		/* other_name()'s search */
	ino_t ino;
	const char *skip;
	char *found;
} other;

/**
 * other_visit() - nftw()'s visit for other_name()
 * Return: 1 to stop at a match, else 0
 */
static int other_visit(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || st->st_ino != other.ino || !strcmp(path, other.skip))
		return 0;
	other.found = strdup(path);
	return 1;
}

/**
 * other_name() - a hard-linked file loses the name its node came from: ask
 *		  the daemon for its node under a name it keeps (a daemon may
 *		  give each name a node of its own, and forget the removed one)
 * @im:		image
 * @rec:	its record
 * @fd:		the name being removed (any fd)
 */
static void other_name(struct fimg *im, struct inode_rec *rec, int fd)
{
	char proc[64], gone[PATH_MAX], *slash;
	struct inode_rec *p;
	struct fusec_entry e;
	ssize_t n;
	int d;

	fd_proc_path(proc, sizeof(proc), fd, NULL);
	if ((n = readlink(proc, gone, sizeof(gone) - 1)) <= 0)
		return;
	gone[n] = 0;
	other = (typeof(other)){ .ino = rec->ino, .skip = gone };
	nftw(im->cache, other_visit, 16, FTW_PHYS | FTW_MOUNT);
	if (!other.found || !(slash = strrchr(other.found, '/')))
		goto out;
	*slash = 0;
	d = open(other.found, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*slash = '/';
	if (d >= 0 && (p = rec_of_fd(im, d)) &&
	    fusec_lookup(im->c, p->nodeid, slash + 1, &e) == 0) {
		rec_forget(im, rec);
		rec->nodeid = e.nodeid;
		free(rec->first);
		rec->first = other.found;
		other.found = NULL;
	}
	if (d >= 0)
		close(d);
out:
	free(other.found);
	other.found = NULL;
}

/**
 * img_remove() - a guest unlinks or removes a directory
 * @r:		what (RES_PARENT, existing)
 * @dir:	rmdir
 * Return: 0 or -errno
 */
int img_remove(const struct fres *r, bool dir)
{
	struct inode_rec *p = parent_rec(r), *rec = rec_of_fd(r->m->img, r->fd);
	struct iovec in = { (void *)r->name, strlen(r->name) + 1 };
	struct stat st;
	int n;

	if (!p)
		return -EIO;
	if (dir && rec && !rec->listed && (n = list_dir(r->m->img, r->fd, rec)) < 0)
		return n;	/* ENOTEMPTY must be the image's */
	if (!dir && rec && rec->lazy && (n = fill(r->m->img, r->fd, rec)) < 0)
		return n;	/* a guest may still read it; the image frees it */
	n = fusec_call(r->m->img->c, dir ? FUSE_RMDIR : FUSE_UNLINK, p->nodeid,
		       &in, 1, NULL, 0);
	if (!n && rec && fstat(r->fd, &st) == 0 && (dir || st.st_nlink <= 1))
		rec->gone = true;
	else if (!n && rec && !dir && rec->first)
		other_name(r->m->img, rec, r->fd);
	return n;
}

/**
 * img_rename() - a guest renames within an image
 * @o:		old name (RES_PARENT, existing)
 * @n:		new name (RES_PARENT)
 * @flags:	RENAME_*
 * Return: 0 or -errno
 */
int img_rename(const struct fres *o, const struct fres *n, unsigned int flags)
{
	struct inode_rec *od = parent_rec(o), *nd = parent_rec(n);
	struct inode_rec *rec = rec_of_fd(n->m->img, n->fd);
	struct fuse_rename2_in ri = { .flags = flags };
	struct iovec in[3];
	int e;

	if (!od || !nd)
		return -EIO;
	if (rec && rec->lazy && (e = fill(n->m->img, n->fd, rec)) < 0)
		return e;	/* replaced, perhaps still read */
	ri.newdir = nd->nodeid;
	in[1] = (struct iovec){ (void *)o->name, strlen(o->name) + 1 };
	in[2] = (struct iovec){ (void *)n->name, strlen(n->name) + 1 };
	if (flags) {
		in[0] = (struct iovec){ &ri, sizeof(ri) };
		e = fusec_call(o->m->img->c, FUSE_RENAME2, od->nodeid, in, 3, NULL, 0);
		if (e == -ENOSYS)
			e = -EINVAL;	/* as a file system without the flags */
	} else {
		in[0] = (struct iovec){ &ri, sizeof(struct fuse_rename_in) };
		e = fusec_call(o->m->img->c, FUSE_RENAME, od->nodeid, in, 3, NULL, 0);
	}
	if (!e && rec && !(flags & RENAME_EXCHANGE))
		rec->gone = true;
	return e;
}

/**
 * img_of() - the image a cache object is in
 * @fs:		module state
 * @m:		its mount, if known
 * @fd:		the object (any fd)
 * @rec:	its record
 * Return: the image, or NULL (not in one, or unknown to it)
 */
static struct fimg *img_of(struct files *fs, struct fmount *m, int fd,
			   struct inode_rec **rec)
{
	struct fimg *im = m && m->kind == FM_IMAGE ? m->img : NULL;

	*rec = NULL;
	for (im = im ? im : fs->images; im; im = m ? NULL : im->next)
		if (!im->gone && (*rec = rec_of_fd(im, fd)))
			return im;
	return NULL;
}

/**
 * setattr_in() - SETATTR of a cache object's node, then the cache's part
 * @im:		image
 * @rec:	its record
 * @fd:		the object
 * @sa:		the change
 * Return: 0 or -errno
 */
static int setattr_in(struct fimg *im, struct inode_rec *rec, int fd,
		      struct fuse_setattr_in *sa)
{
	struct iovec in = { sa, sizeof(*sa) };
	struct fuse_attr_out out;
	int e;

	e = fusec_call(im->c, FUSE_SETATTR, rec->nodeid, &in, 1, &out, sizeof(out));
	if (e >= 0)
		rec->resync = true;
	if (e >= 0 && (sa->valid & FATTR_MODE))
		rec->mode = (rec->mode & S_IFMT) | (sa->mode & 07777);
	if (e >= 0 && (sa->valid & FATTR_SIZE) && S_ISREG(rec->mode) && !rec->filled)
		e = fill(im, fd, rec);
	return e < 0 ? e : 0;
}

/**
 * img_setattr() - a guest changes a mode, owners, times or size
 * @m:		the mount
 * @fd:		the cache object
 * @sa:		the change (valid, mode, uid, gid, size, times)
 * Return: 0 or -errno
 */
int img_setattr(struct fmount *m, int fd, struct fuse_setattr_in *sa)
{
	struct inode_rec *rec = rec_of_fd(m->img, fd);

	return rec ? setattr_in(m->img, rec, fd, sa) : 0;
}

/**
 * img_fsetattr() - fchmod, fchown of a guest's open file, if in an image
 * @fs:		module state
 * @fd:		the file (any fd)
 * @sa:		the change
 * Return: 0, 1 if @fd is not in an image, or -errno
 */
int img_fsetattr(struct files *fs, int fd, struct fuse_setattr_in *sa)
{
	struct inode_rec *rec;
	struct fimg *im = img_of(fs, NULL, fd, &rec);

	return im ? setattr_in(im, rec, fd, sa) : 1;
}

/**
 * img_xattr() - an extended attribute call on something in an image goes
 *		 to its daemon: GETXATTR, LISTXATTR, SETXATTR, REMOVEXATTR
 * @fs:		module state
 * @m:		its mount, if known
 * @fd:		the object (any fd)
 * @op:		'g', 'l', 's' or 'r'
 * @name:	the attribute (not for 'l')
 * @val:	the value ('s'), or room for it ('g', 'l')
 * @size:	its size, or the room (0: ask for the size)
 * @flags:	XATTR_CREATE, XATTR_REPLACE ('s')
 * @n:		result: bytes, or -errno
 * Return: 0, or 1 if @fd is not in an image (*@n untouched)
 */
int img_xattr(struct files *fs, struct fmount *m, int fd, int op,
	      const char *name, void *val, size_t size, int flags, long *n)
{
	struct fuse_setxattr_in si = { .size = (uint32_t)size, .flags = (uint32_t)flags };
	struct fuse_getxattr_in gi = { .size = (uint32_t)size };
	struct fuse_getxattr_out go = { 0 };
	struct inode_rec *rec;
	struct fimg *im = img_of(fs, m, fd, &rec);
	struct iovec in[3];
	int r;

	if (!im)
		return 1;
	in[1] = (struct iovec){ (void *)name, name ? strlen(name) + 1 : 0 };
	switch (op) {
	case 'g': case 'l':
		in[0] = (struct iovec){ &gi, sizeof(gi) };
		r = fusec_call(im->c, op == 'g' ? FUSE_GETXATTR : FUSE_LISTXATTR,
			       rec->nodeid, in, op == 'g' ? 2 : 1,
			       size ? val : (void *)&go, size ? size : sizeof(go));
		if (r >= 0 && !size)
			r = r >= (int)sizeof(go) ? (int)go.size : -EIO;
		break;
	case 's':
		in[0] = (struct iovec){ &si, FUSE_COMPAT_SETXATTR_IN_SIZE };
		in[2] = (struct iovec){ val, size };
		r = fusec_call(im->c, FUSE_SETXATTR, rec->nodeid, in, 3, NULL, 0);
		break;
	default:
		r = fusec_call(im->c, FUSE_REMOVEXATTR, rec->nodeid, in + 1, 1, NULL, 0);
	}
	*n = r == -ENOSYS ? -EOPNOTSUPP : r;	/* as the kernel's FUSE says */
	return 0;
}

/**
 * img_touched() - a cache object's times were set: tell its image
 * @fs:		module state
 * @fd:		the object (any fd; perhaps of no image)
 */
void img_touched(struct files *fs, int fd)
{
	struct fuse_setattr_in sa = { .valid = FATTR_ATIME | FATTR_MTIME };
	struct iovec in = { &sa, sizeof(sa) };
	struct fuse_attr_out out;
	struct inode_rec *rec;
	struct fimg *im;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return;
	for (im = fs->images; im; im = im->next) {
		if (st.st_dev != im->dev || !(rec = rec_find(im, st.st_ino)) || rec->gone)
			continue;
		sa.atime = (uint64_t)st.st_atim.tv_sec;
		sa.atimensec = (uint32_t)st.st_atim.tv_nsec;
		sa.mtime = (uint64_t)st.st_mtim.tv_sec;
		sa.mtimensec = (uint32_t)st.st_mtim.tv_nsec;
		fusec_call(im->c, FUSE_SETATTR, rec->nodeid, &in, 1, &out, sizeof(out));
		return;
	}
}

/* --- mounting ------------------------------------------------------------- */

/**
 * img_opt_ro() - is "ro" among comma-separated options?
 * @opts:	the options, or NULL
 * Return: true if so
 */
bool img_opt_ro(const char *opts)
{
	size_t n;

	while (opts && *opts) {
		n = strcspn(opts, ",");
		if (n == 2 && !strncmp(opts, "ro", 2))
			return true;
		opts += n + (opts[n] == ',');
	}
	return false;
}

static void img_flush(struct fimg *im);

/**
 * img_failed() - an image that could not be mounted: its daemon stopped
 *		  at once (the record stays, gone, until the end)
 * @im:		the image
 * @e:		why
 * Return: @e
 */
static int img_failed(struct fimg *im, int e)
{
	fusec_stop(im->c);
	im->c = NULL;
	im->gone = true;
	return e;
}

/**
 * img_mount() - start a daemon and put its image in a view
 * @fs:		module state
 * @v:		the view
 * @type:	the FUSE program
 * @source:	its image
 * @dst:	guest path
 * @opts:	-o options, or NULL
 * Return: 0 or -errno (message printed)
 */
int img_mount(struct files *fs, struct fview *v, const char *type,
	      const char *source, const char *dst, const char *opts)
{
	char mnt[PATH_MAX], cache[PATH_MAX];
	const struct fsmod *mod;
	struct inode_rec *rec;
	struct fuse_attr a;
	struct fmount *m;
	struct fimg *im;
	struct stat st;
	int e, n = ++fs->ntmp;

	if (files_private_dir(fs) < 0)
		return -EIO;
	snprintf(mnt, sizeof(mnt), "%s/m%d", fs->tmpdir, n);
	snprintf(cache, sizeof(cache), "%s/%d", fs->tmpdir, n);
	if (mkdir(mnt, 0700) < 0 || mkdir(cache, 0700) < 0 || stat(cache, &st) < 0) {
		facet_error(fs->f, "cannot make %s: %s", cache, strerror(errno));
		return -errno;
	}
	if (!(im = calloc(1, sizeof(*im))) || !(im->cache = strdup(cache))) {
		free(im);
		return -ENOMEM;
	}
	im->fs = fs;
	im->dev = st.st_dev;
	im->inotify = -1;
	im->root = geteuid() == 0;
	im->type = strdup(type);
	im->source = strdup(source);
	im->next = fs->images;
	fs->images = im;
	if ((mod = fsmod_find(type)))
		e = fsmod_start(fs->f, mod, source, opts, &im->c);
	else
		e = fusec_start(fs->f, type, source, opts, mnt, &im->c);
	if (e < 0)
		return img_failed(im, e);
	if ((e = fusec_getattr(im->c, FUSE_ROOT_ID, &a, NULL)) < 0) {
		facet_error(fs->f, "%s %s: %s", type, source, strerror(-e));
		return img_failed(im, e);
	}
	if (!S_ISDIR(a.mode)) {
		facet_error(fs->f, "%s %s: its root is not a directory", type, source);
		return img_failed(im, -ENOTDIR);
	}
	if (!(rec = rec_add(im, st.st_ino)))
		return img_failed(im, -ENOMEM);
	rec->nodeid = FUSE_ROOT_ID;
	rec->mode = a.mode;
	rec->size = a.size;
	rec->blocks = a.blocks;
	rec->space = true;
	rec->atime = (struct timespec){ (time_t)a.atime, a.atimensec };
	rec->mtime = (struct timespec){ (time_t)a.mtime, a.mtimensec };
	set_times(im, AT_FDCWD, cache, -1, &a, NULL);
	e = fview_add(v, dst, cache, FM_IMAGE, img_opt_ro(opts) || (mod && mod->readonly));
	if (e < 0) {
		facet_error(fs->f, "cannot mount %s at %s: %s", source, dst, strerror(-e));
		return img_failed(im, e);
	}
	m = fview_at(v, dst);
	m->img = im;
	return 0;
}

/**
 * img_type() - an image mount's daemon or file system, for facet-ctl
 * @m:		the mount
 * Return: its name
 */
const char *img_type(const struct fmount *m)
{
	return m->img && m->img->type ? m->img->type
	       : m->img && m->img->c ? fusec_name(m->img->c) : "image";
}

/**
 * img_source() - an image mount's image, for facet-ctl
 * @m:		the mount
 * Return: its host path, or "-" (a guest's own daemon)
 */
const char *img_source(const struct fmount *m)
{
	return m->img && m->img->source ? m->img->source : "-";
}

/**
 * img_sync_image() - write back what guests wrote into an image's files,
 *		      as at umount; the daemon stays (other views may show it)
 * @m:		a mount of the image
 */
void img_sync_image(struct fmount *m)
{
	if (m->kind == FM_IMAGE && m->img && !m->img->gone)
		img_flush(m->img);
}

/* --- mounts a guest makes with its own daemon ----------------------------- */

/**
 * img_dev_open() - a guest opens /dev/fuse: give it a socket instead, whose
 *		    other end its mount(2) brings to us
 * @fs:		module state
 * Return: the guest's end (the caller installs it and closes it), or -errno
 */
int img_dev_open(struct files *fs)
{
	struct fdev *d, **pp;
	struct pollfd p;
	struct stat st;
	int sv[2];

	for (pp = &fs->fdevs; (d = *pp);) {	/* those the guest closed */
		p = (struct pollfd){ .fd = d->fd, .events = POLLIN };
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) {
			*pp = d->next;
			close(d->fd);
			free(d);
		} else {
			pp = &d->next;
		}
	}
	if (fusec_socketpair(sv) < 0)
		return -errno;
	if (fstat(sv[1], &st) < 0 || !(d = calloc(1, sizeof(*d)))) {
		close(sv[0]);
		close(sv[1]);
		return -ENOMEM;
	}
	d->fd = sv[0];
	d->ino = st.st_ino;
	d->next = fs->fdevs;
	fs->fdevs = d;
	return sv[1];
}

/**
 * img_guest_mount() - a guest's mount(2) of a FUSE file system, whose
 *		       daemon it runs
 * @fs:		module state
 * @v:		the view it lands in
 * @guest:	canonical guest path of the mount point
 * @dev:	our copy of the guest's fd given as "fd=N" (the socket)
 * @type:	the file system's type ("fuse", "fuse.fuse2fs")
 * @ro:		MS_RDONLY
 * Return: 0, -EINVAL if @dev is no socket of img_dev_open(), or -errno
 */
int img_guest_mount(struct files *fs, struct fview *v, const char *guest,
		    int dev, const char *type, bool ro)
{
	char cache[PATH_MAX];
	const char *dot = strchr(type, '.');
	struct fdev *d, **pp;
	struct inode_rec *rec;
	struct fimg *im;
	struct stat st;
	int e;

	if (fstat(dev, &st) < 0)
		return -EINVAL;
	for (pp = &fs->fdevs; (d = *pp) && d->ino != st.st_ino; pp = &d->next)
		;
	if (!d)
		return -EINVAL;
	if (files_private_dir(fs) < 0)
		return -EIO;
	snprintf(cache, sizeof(cache), "%s/%d", fs->tmpdir, ++fs->ntmp);
	if (mkdir(cache, 0700) < 0 || stat(cache, &st) < 0)
		return -errno;
	if (!(im = calloc(1, sizeof(*im))) || !(im->cache = strdup(cache))) {
		free(im);
		return -ENOMEM;
	}
	*pp = d->next;
	e = fusec_adopt(fs->f, dot && dot[1] ? dot + 1 : type, d->fd, d->ino, &im->c);
	free(d);
	im->fs = fs;
	im->dev = st.st_dev;
	im->inotify = -1;
	im->root = geteuid() == 0;
	im->guest = im->root_attr = true;
	im->where = strdup(guest);
	im->next = fs->images;
	fs->images = im;
	if (e < 0)
		return e;
	if (!(rec = rec_add(im, st.st_ino)))
		return -ENOMEM;
	rec->nodeid = FUSE_ROOT_ID;
	rec->mode = S_IFDIR | 0755;
	if ((e = fview_add(v, guest, cache, FM_IMAGE, ro)) < 0)
		return e;
	fview_at(v, guest)->img = im;
	return 0;
}

/**
 * img_by_guest() - was this image mounted by a guest (which may unmount it)?
 * @m:		a mount of kind FM_IMAGE
 * Return: true if so
 */
bool img_by_guest(const struct fmount *m)
{
	return m->img && m->img->guest;
}

/**
 * img_flush() - write back every file still open for writing
 * @im:		image
 */
static void img_flush(struct fimg *im)
{
	size_t i;

	if (im->inotify >= 0)
		img_inotify(im->fs->f, im->inotify, 0, im);
	for (i = 0; i < im->cap; i++)
		if (im->recs[i] && im->recs[i]->writers > 0) {
			im->recs[i]->writers = 1;
			writer_done(im, im->recs[i]);
		}
}

/**
 * img_guest_end() - write back and disconnect an image a guest mounted
 * @im:		the image
 *
 * Waiting on the daemon serves guests' exits meanwhile, which may bring
 * us here again (the first guest's end): @im->ending makes that a no-op.
 */
static void img_guest_end(struct fimg *im)
{
	if (!im->guest || im->ending)
		return;
	im->ending = true;
	img_flush(im);
	fusec_detach(im->c);
	im->gone = true;
}

/**
 * img_guest_umount() - a guest unmounts an image: its data goes back, its
 *			daemon gets DESTROY and sees the socket close; views
 *			that still show it get ENOTCONN
 * @m:		the mount
 */
void img_guest_umount(struct fmount *m)
{
	img_guest_end(m->img);
}

/**
 * img_unmounted() - was a guest's file system at @guest unmounted already?
 *		     (its daemon, ending, unmounts it once more, and with the
 *		     kernel's FUSE would know from /dev/fuse not to)
 * @fs:		module state
 * @guest:	canonical guest path
 * Return: true if so
 */
bool img_unmounted(struct files *fs, const char *guest)
{
	struct fimg *im;

	for (im = fs->images; im; im = im->next)
		if (im->guest && im->gone && im->where && !strcmp(im->where, guest))
			return true;
	return false;
}

/**
 * img_detach_guests() - unmount, in every view, what guests mounted with
 *			 their own daemons: the daemons see DESTROY and end
 * @fs:		module state
 */
void img_detach_guests(struct files *fs)
{
	struct fimg *im;

	for (im = fs->images; im; im = im->next)
		img_guest_end(im);
}

/**
 * img_detach_soon() - the event loop's callback for img_detach_later()
 * @f:		supervisor
 * @fd:		the eventfd
 * @events:	epoll events
 * @arg:	module state
 */
static void img_detach_soon(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)events;
	facet_unwatch(f, fd);
	close(fd);
	img_detach_guests(arg);
}

/**
 * img_detach_later() - img_detach_guests() from the event loop, not from
 *			where we are: a task's exit may be seen while a
 *			request to the same daemon waits for its answer
 * @fs:		module state
 */
void img_detach_later(struct files *fs)
{
	int fd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);

	if (fd >= 0 && facet_watch(fs->f, fd, EPOLLIN, img_detach_soon, fs) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		img_detach_guests(fs);
}

/**
 * img_fini() - the end: write every file back, then stop the daemons
 * @fs:		module state
 */
void img_fini(struct files *fs)
{
	struct fimg *im, *next;
	struct fdev *d;
	size_t i;

	for (im = fs->images; im; im = next) {
		next = im->next;
		if (!im->gone)	/* a guest's unmounted one was written then */
			img_flush(im);
		fusec_stop(im->c);
		if (im->inotify >= 0) {
			facet_unwatch(fs->f, im->inotify);
			close(im->inotify);
		}
		for (i = 0; i < im->cap; i++)
			if (im->recs[i]) {
				free(im->recs[i]->have);
				free(im->recs[i]->first);
				free(im->recs[i]);
			}
		free(im->recs);
		free(im->where);
		free(im->type);
		free(im->source);
		free(im->cache);
		free(im);
	}
	fs->images = NULL;
	while ((d = fs->fdevs)) {
		fs->fdevs = d->next;
		close(d->fd);
		free(d);
	}
}
