// SPDX-License-Identifier: GPL-2.0-or-later
/* archivefs.c - tar, cpio, zip, ISO 9660, 7-Zip... archives, compressed or
 * not, as a read-only file system (libarchive)
 *
 * DOC: Theory of Operation
 * Mounting reads the archive's headers once and builds the whole tree in
 * memory: one node per path, found by a hash of its full path (libfuse's
 * high-level API hands us full paths), children kept in archive order.
 * Directories an archive only implies get mode 0755; a later entry for the
 * same path replaces an earlier one, as extraction would; names with ".."
 * are dropped.  A hard link is a node that points at the one holding the
 * data (tar stores the data with the first name, cpio with the last).
 *
 * libarchive reads archives as streams, so data is read through one open
 * reader, the cursor, left where the last read stopped: a read further on
 * in the same entry, or in a later entry, goes forward from there (for an
 * uncompressed tar, a zip or an ISO image skipping an entry is a seek);
 * only a read behind the cursor opens the archive again.  On its way
 * forward the cursor keeps the data of the small files it passes (up to
 * ARCHIVEFS_KEEP bytes in all), so files read in another order than the
 * archive's do not each start over from the beginning: reading every file
 * of an archive costs about one pass over it.  archivemount starts over
 * for every file it opens.
 *
 * Formats are listed one by one: mtree is left out on purpose, as an mtree
 * "archive" names host files whose contents it would show.
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <archive.h>
#include <archive_entry.h>
#include <fuse3/fuse.h>

#include "fsmod.h"

#define ARCHIVEFS_BLOCK	(1 << 16)		/* libarchive's read size */
#define ARCHIVEFS_SMALL	(1 << 20)		/* files the cursor keeps */
#define ARCHIVEFS_KEEP	(64 << 20)		/* in all, at most */

/**
 * struct anode - one path of the archive
 * @path:	full path, "/" for the root
 * @name:	its last component (in @path)
 * @st:		attributes
 * @link:	symlink target, or NULL
 * @hard:	for a hard link, the node holding the data
 * @entry:	index of the archive entry holding the data, -1 for none
 * @kept:	its data, if the cursor kept it, or NULL
 * @xattr:	extended attributes: for each, its name, NUL, a 4-byte
 *		length and the value; NULL for none
 * @xlen:	bytes in @xattr
 * @parent:	directory
 * @child:	first child, in archive order
 * @last:	last child
 * @next:	next sibling
 * @hnext:	next in its hash chain
 */
struct anode {
	char *path;
	const char *name;
	struct stat st;
	char *link;
	struct anode *hard;
	long entry;
	char *kept;
	char *xattr;
	size_t xlen;
	struct anode *parent, *child, *last, *next, *hnext;
};

/**
 * struct archivefs - a mounted archive
 * @fd:		the archive, opened once (the cursor reads it again from
 *		there, never by name)
 * @size:	its size
 * @root:	the root directory
 * @hash:	nodes by path
 * @hsize:	buckets (a power of two)
 * @count:	nodes
 * @by_entry:	for each entry, the node whose data it holds (or NULL)
 * @nentries:	entries read
 * @cur:	the cursor, or NULL
 * @cur_entry:	entry it is in (-1: before the first)
 * @cur_off:	offset in that entry's data
 * @kept:	bytes the cursor keeps
 * @lock:	the cursor is shared when the program runs multithreaded
 */
struct archivefs {
	int fd;
	off_t size;
	struct anode *root;
	struct anode **hash;
	size_t hsize, count;
	struct anode **by_entry;
	long nentries;
	struct archive *cur;
	long cur_entry;
	off_t cur_off;
	size_t kept;
	pthread_mutex_t lock;
};

/* --- the tree ------------------------------------------------------------ */

/**
 * path_hash() - FNV-1a of a path
 * @p:		the path
 * @n:		its length
 * Return: the hash
 */
static size_t path_hash(const char *p, size_t n)
{
	size_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

/**
 * node_find() - the node of a full path
 * @fs:		the archive
 * @path:	"/..." (no trailing slash)
 * @n:		its length
 * Return: the node, or NULL
 */
static struct anode *node_find(struct archivefs *fs, const char *path, size_t n)
{
	struct anode *a = fs->hash[path_hash(path, n) & (fs->hsize - 1)];

	while (a && (strncmp(a->path, path, n) || a->path[n]))
		a = a->hnext;
	return a;
}

/**
 * hash_grow() - double the buckets when the table is full
 * @fs:		the archive
 * Return: 0 or -ENOMEM
 */
static int hash_grow(struct archivefs *fs)
{
	size_t i, n = fs->hsize * 2;
	struct anode **h = calloc(n, sizeof(*h)), *a, *next;

	if (!h)
		return -ENOMEM;
	for (i = 0; i < fs->hsize; i++)
		for (a = fs->hash[i]; a; a = next) {
			size_t b = path_hash(a->path, strlen(a->path)) & (n - 1);

			next = a->hnext;
			a->hnext = h[b];
			h[b] = a;
		}
	free(fs->hash);
	fs->hash = h;
	fs->hsize = n;
	return 0;
}

/**
 * node_new() - add a node under @parent
 * @fs:		the archive
 * @parent:	its directory (NULL for the root)
 * @path:	its full path
 * @n:		the path's length
 * Return: the node, or NULL (ENOMEM)
 */
static struct anode *node_new(struct archivefs *fs, struct anode *parent,
			      const char *path, size_t n)
{
	struct anode *a;
	size_t b;

	if (fs->count >= fs->hsize && hash_grow(fs) < 0)
		return NULL;
	if (!(a = calloc(1, sizeof(*a))) || !(a->path = strndup(path, n))) {
		free(a);
		return NULL;
	}
	a->name = strrchr(a->path, '/') + 1;
	a->entry = -1;
	a->parent = parent;
	a->st.st_ino = ++fs->count;
	a->st.st_nlink = 1;
	b = path_hash(a->path, n) & (fs->hsize - 1);
	a->hnext = fs->hash[b];
	fs->hash[b] = a;
	if (parent) {
		if (parent->last)
			parent->last->next = a;
		else
			parent->child = a;
		parent->last = a;
	}
	return a;
}

/**
 * dir_stat() - attributes of a directory the archive only implies
 * @fs:		the archive
 * @st:		result (st_ino kept)
 */
static void dir_stat(struct archivefs *fs, struct stat *st)
{
	struct stat ast;

	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
	st->st_uid = getuid();
	st->st_gid = getgid();
	if (fstat(fs->fd, &ast) == 0) {
		st->st_atim = ast.st_atim;
		st->st_mtim = ast.st_mtim;
		st->st_ctim = ast.st_ctim;
	}
}

/**
 * node_path() - the node of a path, making the directories on the way
 * @fs:		the archive
 * @path:	"/..." normalised
 * @n:		its length
 * Return: the node (new ones have no type yet), or NULL (ENOMEM, or a
 *	   file where a directory should be)
 */
static struct anode *node_path(struct archivefs *fs, const char *path, size_t n)
{
	struct anode *a = node_find(fs, path, n), *dir;
	size_t slash = n;

	if (a)
		return a;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	dir = slash <= 1 ? fs->root : node_path(fs, path, slash - 1);
	if (!dir)
		return NULL;
	if (!dir->st.st_mode) {
		dir_stat(fs, &dir->st);
	} else if (!S_ISDIR(dir->st.st_mode)) {
		return NULL;
	}
	return node_new(fs, dir, path, n);
}

/**
 * clean_path() - an entry's name as "/a/b": no "." or empty components
 * @name:	the name the archive gives
 * @out:	result
 * @size:	room there
 * Return: its length, 0 for the root, or -1 if it has ".." or is too long
 */
static long clean_path(const char *name, char *out, size_t size)
{
	size_t n = 0, len;

	while (*name) {
		len = strcspn(name, "/");
		if (len == 2 && !strncmp(name, "..", 2))
			return -1;
		if (len && !(len == 1 && *name == '.')) {
			if (n + 1 + len >= size)
				return -1;
			out[n++] = '/';
			memcpy(out + n, name, len);
			n += len;
		}
		name += len + (name[len] == '/');
	}
	out[n] = 0;
	return (long)n;
}

/**
 * node_hard() - entry @e is a hard link to an earlier name
 * @fs:		the archive
 * @a:		its node
 * @e:		the entry
 * @idx:	its index
 * Return: 0, or -1 if the earlier name is not a file
 */
static int node_hard(struct archivefs *fs, struct anode *a,
		     struct archive_entry *e, long idx)
{
	char path[PATH_MAX];
	struct anode *t;
	long n = clean_path(archive_entry_hardlink(e), path, sizeof(path));

	if (n <= 0 || !(t = node_find(fs, path, (size_t)n)))
		return -1;
	while (t->hard)
		t = t->hard;
	if (t == a || !S_ISREG(t->st.st_mode))
		return -1;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0) {
		t->entry = idx;		/* cpio keeps the data with the last name */
		t->st.st_size = archive_entry_size(e);
		t->st.st_blocks = (t->st.st_size + 511) / 512;
		fs->by_entry[idx] = t;
	}
	a->hard = t;
	a->st = t->st;
	t->st.st_nlink++;
	return 0;
}

/**
 * node_xattrs() - keep an entry's extended attributes
 * @a:		its node
 * @e:		the entry
 * Return: 0 or -ENOMEM
 */
static int node_xattrs(struct anode *a, struct archive_entry *e)
{
	const char *name;
	const void *val;
	size_t size, n;
	uint32_t len;
	char *p;

	free(a->xattr);
	a->xattr = NULL;
	a->xlen = 0;
	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &val, &size) == ARCHIVE_OK) {
		n = strlen(name) + 1;
		if (size > UINT32_MAX || !(p = realloc(a->xattr, a->xlen + n + 4 + size)))
			return -ENOMEM;
		a->xattr = p;
		p += a->xlen;
		len = (uint32_t)size;
		memcpy(p, name, n);
		memcpy(p + n, &len, 4);
		memcpy(p + n + 4, val, size);
		a->xlen += n + 4 + size;
	}
	return 0;
}

/**
 * node_entry() - put entry @e, number @idx, in the tree
 * @fs:		the archive
 * @e:		the entry
 * @idx:	its index
 * Return: 0 (entries that cannot be placed are skipped) or -ENOMEM
 */
static int node_entry(struct archivefs *fs, struct archive_entry *e, long idx)
{
	char path[PATH_MAX];
	const struct stat *st = archive_entry_stat(e);
	long n = clean_path(archive_entry_pathname(e) ? archive_entry_pathname(e) : "",
			    path, sizeof(path));
	struct anode *a;
	ino_t ino;

	if (n < 0 || (!n && !S_ISDIR(st->st_mode)))
		return 0;
	a = n ? node_path(fs, path, (size_t)n) : fs->root;
	if (!a)
		return fs->count < fs->hsize * 2 ? 0 : -ENOMEM;
	if (S_ISDIR(a->st.st_mode) && a->child && !S_ISDIR(st->st_mode))
		return 0;	/* a file cannot replace a directory that has files */
	if (a->hard && a->hard->st.st_nlink > 1)
		a->hard->st.st_nlink--;
	ino = a->st.st_ino;
	free(a->link);
	a->link = NULL;
	a->hard = NULL;
	a->entry = -1;
	if (archive_entry_hardlink(e) && node_hard(fs, a, e, idx) == 0) {
		a->st.st_ino = a->hard->st.st_ino;
		return 0;
	}
	a->st = *st;
	a->st.st_ino = ino;
	a->st.st_nlink = S_ISDIR(st->st_mode) ? 2 : 1;
	a->st.st_blocks = (a->st.st_size + 511) / 512;
	if (S_ISLNK(st->st_mode) && archive_entry_symlink(e) &&
	    !(a->link = strdup(archive_entry_symlink(e))))
		return -ENOMEM;
	if (S_ISLNK(st->st_mode))
		a->st.st_size = a->link ? (off_t)strlen(a->link) : 0;
	if (S_ISREG(st->st_mode) && a->st.st_size > 0) {
		a->entry = idx;
		fs->by_entry[idx] = a;
	}
	return node_xattrs(a, e);
}

/**
 * dir_links() - count each directory's subdirectories in its st_nlink
 * @a:		a directory
 */
static void dir_links(struct anode *a)
{
	struct anode *c;

	a->st.st_nlink = 2;
	for (c = a->child; c; c = c->next)
		if (S_ISDIR(c->st.st_mode)) {
			a->st.st_nlink++;
			dir_links(c);
		}
}

/* --- reading the archive ------------------------------------------------- */

/**
 * reader_open() - a new reader at the start of the archive
 * @fs:		the archive
 * @why:	message on failure, or NULL
 * @whysize:	room there
 * Return: the reader, or NULL
 */
static struct archive *reader_open(struct archivefs *fs, char *why, size_t whysize)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_lzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_compress(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_empty(a);
	if (lseek(fs->fd, 0, SEEK_SET) < 0 ||
	    archive_read_open_fd(a, fs->fd, ARCHIVEFS_BLOCK) != ARCHIVE_OK) {
		if (why)
			snprintf(why, whysize, "%s", archive_error_string(a) ?
				 archive_error_string(a) : "cannot read it");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/**
 * scan() - read every header and build the tree
 * @fs:		the archive
 * @why:	message on failure
 * @whysize:	room there
 * Return: 0 or -errno
 */
static int scan(struct archivefs *fs, char *why, size_t whysize)
{
	struct archive *a = reader_open(fs, why, whysize);
	struct archive_entry *e;
	long cap = 0;
	int r = ARCHIVE_OK, err = 0;

	if (!a)
		return -EINVAL;
	while (!err && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
			r == ARCHIVE_WARN)) {
		if (fs->nentries >= cap) {
			struct anode **b;

			cap = cap ? cap * 2 : 1024;
			if (!(b = realloc(fs->by_entry, (size_t)cap * sizeof(*b)))) {
				err = -ENOMEM;
				break;
			}
			fs->by_entry = b;
		}
		fs->by_entry[fs->nentries] = NULL;
		err = node_entry(fs, e, fs->nentries);
		fs->nentries++;
	}
	if (!err && r != ARCHIVE_EOF) {
		snprintf(why, whysize, "%s", archive_error_string(a) ?
			 archive_error_string(a) : "not an archive libarchive reads");
		err = -EINVAL;
	}
	archive_read_free(a);
	if (!err)
		dir_links(fs->root);
	return err;
}

/**
 * cursor_reset() - close the cursor
 * @fs:		the archive
 */
static void cursor_reset(struct archivefs *fs)
{
	if (fs->cur)
		archive_read_free(fs->cur);
	fs->cur = NULL;
	fs->cur_entry = -1;
	fs->cur_off = 0;
}

/**
 * keep() - the cursor is at the start of entry @idx: keep its data if it
 *	    belongs to a small file not kept yet and there is room
 * @fs:		the archive
 * @idx:	the entry
 */
static void keep(struct archivefs *fs, long idx)
{
	struct anode *a = fs->by_entry[idx];
	size_t n;
	ssize_t r;

	if (!a || a->kept || a->st.st_size > ARCHIVEFS_SMALL ||
	    fs->kept + (size_t)a->st.st_size > ARCHIVEFS_KEEP)
		return;
	if (!(a->kept = malloc((size_t)a->st.st_size)))
		return;
	for (n = 0; n < (size_t)a->st.st_size; n += (size_t)r) {
		r = archive_read_data(fs->cur, a->kept + n, (size_t)a->st.st_size - n);
		if (r <= 0) {
			free(a->kept);
			a->kept = NULL;
			cursor_reset(fs);
			return;
		}
	}
	fs->kept += n;
	fs->cur_off = (off_t)n;
}

/**
 * cursor_to() - move the cursor to offset @off of entry @idx
 * @fs:		the archive
 * @idx:	the entry
 * @off:	offset in its data
 * Return: 0 or -EIO
 */
static int cursor_to(struct archivefs *fs, long idx, off_t off)
{
	struct archive_entry *e;
	char skip[ARCHIVEFS_BLOCK];
	ssize_t r;
	int h;

	if (fs->cur && (fs->cur_entry > idx || (fs->cur_entry == idx && fs->cur_off > off)))
		cursor_reset(fs);
	if (!fs->cur && !(fs->cur = reader_open(fs, NULL, 0)))
		return -EIO;
	while (fs->cur_entry < idx) {
		h = archive_read_next_header(fs->cur, &e);
		if (h != ARCHIVE_OK && h != ARCHIVE_WARN) {
			cursor_reset(fs);
			return -EIO;
		}
		fs->cur_entry++;
		fs->cur_off = 0;
		if (fs->cur_entry < idx)
			keep(fs, fs->cur_entry);
		if (!fs->cur)
			return -EIO;
	}
	while (fs->cur_off < off) {
		size_t want = (size_t)(off - fs->cur_off);

		r = archive_read_data(fs->cur, skip, want < sizeof(skip) ? want : sizeof(skip));
		if (r <= 0) {
			cursor_reset(fs);
			return -EIO;
		}
		fs->cur_off += r;
	}
	return 0;
}

/**
 * read_data() - read a file's data
 * @fs:		the archive
 * @a:		the file (not a hard link)
 * @buf:	where to
 * @size:	how much
 * @off:	from where
 * Return: bytes read, or -EIO
 */
static int read_data(struct archivefs *fs, struct anode *a, char *buf,
		     size_t size, off_t off)
{
	size_t got = 0;
	ssize_t r;
	int e;

	if (off >= a->st.st_size || a->entry < 0)
		return 0;
	if ((off_t)size > a->st.st_size - off)
		size = (size_t)(a->st.st_size - off);
	if (a->kept) {
		memcpy(buf, a->kept + off, size);
		if (off + (off_t)size == a->st.st_size) {	/* read to its end */
			free(a->kept);
			a->kept = NULL;
			fs->kept -= (size_t)a->st.st_size;
		}
		return (int)size;
	}
	if ((e = cursor_to(fs, a->entry, off)) < 0)
		return e;
	while (got < size) {
		r = archive_read_data(fs->cur, buf + got, size - got);
		if (r < 0) {
			cursor_reset(fs);
			return -EIO;
		}
		if (!r)
			break;
		got += (size_t)r;
		fs->cur_off += r;
	}
	return (int)got;
}

/* --- the file system ----------------------------------------------------- */

/**
 * afs() - the mounted archive of the current request
 * Return: it
 */
static struct archivefs *afs(void)
{
	return fuse_get_context()->private_data;
}

/**
 * lookup() - the node of a path libfuse hands us
 * @path:	"/..."
 * Return: the node (a hard link's target), or NULL
 */
static struct anode *lookup(const char *path)
{
	struct archivefs *fs = afs();
	size_t n = strlen(path);
	struct anode *a;

	while (n > 1 && path[n - 1] == '/')
		n--;
	a = n <= 1 ? fs->root : node_find(fs, path, n);
	while (a && a->hard)
		a = a->hard;
	return a;
}

static void *afs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->use_ino = 1;
	cfg->kernel_cache = 1;
	cfg->entry_timeout = cfg->attr_timeout = cfg->negative_timeout = 3600;
	return afs();
}

static int afs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct anode *a = fi && fi->fh ? (struct anode *)(uintptr_t)fi->fh : lookup(path);

	if (!a)
		return -ENOENT;
	*st = a->st;
	return 0;
}

static int afs_readlink(const char *path, char *buf, size_t size)
{
	struct anode *a = lookup(path);

	if (!a)
		return -ENOENT;
	if (!a->link)
		return -EINVAL;
	snprintf(buf, size, "%s", a->link);
	return 0;
}

static int afs_open(const char *path, struct fuse_file_info *fi)
{
	struct anode *a = lookup(path);

	if (!a)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
		return -EROFS;
	fi->fh = (uintptr_t)a;
	fi->keep_cache = 1;
	return 0;
}

static int afs_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct archivefs *fs = afs();
	struct anode *a = fi ? (struct anode *)(uintptr_t)fi->fh : lookup(path);
	int n;

	if (!a)
		return -ENOENT;
	if (S_ISDIR(a->st.st_mode))
		return -EISDIR;
	pthread_mutex_lock(&fs->lock);
	n = read_data(fs, a, buf, size, off);
	pthread_mutex_unlock(&fs->lock);
	return n;
}

static int afs_statfs(const char *path, struct statvfs *sv)
{
	struct archivefs *fs = afs();

	(void)path;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = sv->f_frsize = 4096;
	sv->f_blocks = (fsblkcnt_t)((fs->size + 4095) / 4096);
	sv->f_files = fs->count;
	sv->f_namemax = 255;
	sv->f_flag = ST_RDONLY;
	return 0;
}

static int afs_opendir(const char *path, struct fuse_file_info *fi)
{
	struct anode *a = lookup(path);

	if (!a)
		return -ENOENT;
	if (!S_ISDIR(a->st.st_mode))
		return -ENOTDIR;
	fi->fh = (uintptr_t)a;
	return 0;
}

static int afs_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct anode *a = fi && fi->fh ? (struct anode *)(uintptr_t)fi->fh : lookup(path);
	enum fuse_fill_dir_flags plus = flags & FUSE_READDIR_PLUS ? FUSE_FILL_DIR_PLUS : 0;
	struct anode *c, *t;

	(void)off;
	if (!a)
		return -ENOENT;
	fill(buf, ".", &a->st, 0, plus);
	fill(buf, "..", a->parent ? &a->parent->st : &a->st, 0, plus);
	for (c = a->child; c; c = c->next) {
		for (t = c; t->hard; t = t->hard)
			;
		if (t->st.st_mode && fill(buf, c->name, &t->st, 0, plus))
			break;
	}
	return 0;
}

/**
 * xattr_next() - step through a node's extended attributes
 * @a:		the node
 * @at:		where the next one starts (0 for the first); moved past it
 * @val:	its value
 * @len:	the value's length
 * Return: its name, or NULL after the last
 */
static const char *xattr_next(const struct anode *a, size_t *at,
			      const char **val, uint32_t *len)
{
	const char *name = a->xattr + *at;
	size_t n;

	if (*at >= a->xlen)
		return NULL;
	n = strlen(name) + 1;
	memcpy(len, name + n, 4);
	*val = name + n + 4;
	*at += n + 4 + *len;
	return name;
}

static int afs_getxattr(const char *path, const char *name, char *buf, size_t size)
{
	struct anode *a = lookup(path);
	const char *x, *val;
	size_t at = 0;
	uint32_t len;

	if (!a)
		return -ENOENT;
	while ((x = xattr_next(a, &at, &val, &len)) && strcmp(x, name))
		;
	if (!x)
		return -ENODATA;
	if (size && len > size)
		return -ERANGE;
	if (size)
		memcpy(buf, val, len);
	return (int)len;
}

static int afs_listxattr(const char *path, char *buf, size_t size)
{
	struct anode *a = lookup(path);
	const char *x, *val;
	size_t at = 0, out = 0, n;
	uint32_t len;

	if (!a)
		return -ENOENT;
	while ((x = xattr_next(a, &at, &val, &len))) {
		n = strlen(x) + 1;
		if (size && out + n > size)
			return -ERANGE;
		if (size)
			memcpy(buf + out, x, n);
		out += n;
	}
	return (int)out;
}

static int afs_access(const char *path, int mask)
{
	if (!lookup(path))
		return -ENOENT;
	return mask & W_OK ? -EROFS : 0;
}

static const struct fuse_operations afs_ops = {
	.init = afs_init,
	.getattr = afs_getattr,
	.readlink = afs_readlink,
	.open = afs_open,
	.read = afs_read,
	.statfs = afs_statfs,
	.opendir = afs_opendir,
	.readdir = afs_readdir,
	.access = afs_access,
	.getxattr = afs_getxattr,
	.listxattr = afs_listxattr,
};

/* --- mounting ------------------------------------------------------------ */

/**
 * afs_close() - free a mounted archive
 * @data:	it
 */
static void afs_close(void *data)
{
	struct archivefs *fs = data;
	struct anode *a, *next;
	size_t i;

	cursor_reset(fs);
	for (i = 0; fs->hash && i < fs->hsize; i++)
		for (a = fs->hash[i]; a; a = next) {
			next = a->hnext;
			free(a->path);
			free(a->link);
			free(a->kept);
			free(a->xattr);
			free(a);
		}
	if (fs->fd >= 0)
		close(fs->fd);
	pthread_mutex_destroy(&fs->lock);
	free(fs->hash);
	free(fs->by_entry);
	free(fs);
}

/**
 * afs_open_archive() - mount an archive: read its headers into the tree
 * @source:	the archive
 * @opts:	options (none are known)
 * @data:	the mounted archive
 * @why:	message on failure
 * @whysize:	room there
 * Return: 0 or -errno
 */
static int afs_open_archive(const char *source, const char *opts, void **data,
			    char *why, size_t whysize)
{
	struct archivefs *fs;
	struct stat st;
	int e;

	if (opts && *opts) {
		snprintf(why, whysize, "unknown option \"%s\" (it takes none)", opts);
		return -EINVAL;
	}
	if (!(fs = calloc(1, sizeof(*fs))))
		return -ENOMEM;
	pthread_mutex_init(&fs->lock, NULL);
	fs->cur_entry = -1;
	fs->hsize = 1024;
	if ((fs->fd = open(source, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fs->fd, &st) < 0) {
		e = -errno;
		afs_close(fs);
		return e;
	}
	fs->size = st.st_size;
	if (S_ISDIR(st.st_mode)) {
		afs_close(fs);
		return -EISDIR;
	}
	if (!(fs->hash = calloc(fs->hsize, sizeof(*fs->hash))) ||
	    !(fs->root = node_new(fs, NULL, "/", 1))) {
		afs_close(fs);
		return -ENOMEM;
	}
	dir_stat(fs, &fs->root->st);
	fs->root->name = fs->root->path;
	if ((e = scan(fs, why, whysize)) < 0) {
		afs_close(fs);
		return e;
	}
	*data = fs;
	return 0;
}

const struct fsmod archivefs_mod = {
	.name = "archive",
	.summary = "tar (plain, gz, bz2, xz, zst, lz4), cpio, zip, ISO 9660, 7z, ar, rar, cab, lha, xar archives, read-only",
	.readonly = true,
	.ops = &afs_ops,
	.open = afs_open_archive,
	.close = afs_close,
};
