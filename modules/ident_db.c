// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_db.c - the records of owners, modes and device nodes, and their file
 *
 * DOC: The ownership database
 *
 * A record says what the view holds of a host file that the host cannot
 * hold for an unprivileged user: another owner or group, set-id bits, a
 * device node (a regular file stands in its place).  Records are keyed by
 * the file's device and inode, so they follow renames and hard links with
 * no work, and they carry the file's birth time: an inode number the
 * filesystem gives again to a new file after the old one went away behind
 * facet's back does not inherit the old file's record.
 *
 * In memory the records are an open-addressing hash table.  With
 * --fakeroot-db FILE they also live in FILE, a log that every change is
 * appended to at once, each record with its CRC:
 *
 *	header	"facetown", u32 version (2; 1 has no attributes), u32
 *		record size (56)
 *	record	u64 dev, ino, rdev; s64 btime_sec; u32 btime_nsec, what,
 *		uid, gid, mode, crc32 of the 52 bytes before it
 *
 * A record with what 0 deletes one.  An extended attribute the host would
 * not keep (ident_xattr.c) is a record with what REC_XATTR, uid the length
 * of its name, gid that of its value (0xffffffff: a deletion) and mode the
 * number of 56-byte units that follow it, each 52 bytes of the name and
 * then the value, and a CRC.  A killed session loses at most the
 * record being written: on opening, a torn last record is cut off (and
 * said), any other damage is an error, never a silent reset.  Opening and
 * the end of the session rewrite the file with the live records only, in a
 * new file renamed over the old one after fsync, so the file is never
 * half-written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ident_internal.h"

#define DB_MAGIC	"facetown"
#define DB_VERSION	2
#define DB_RECSIZE	56
#define DB_HDRSIZE	16
#define DB_PAYLOAD	52	/* bytes of an attribute in one unit */
#define DB_XDELETED	0xffffffffu
#define DB_XNAME_MAX	255	/* XATTR_NAME_MAX */
#define DB_XSIZE_MAX	65536	/* XATTR_SIZE_MAX */

/**
 * owners_crc() - CRC-32 (IEEE 802.3, as zlib's crc32())
 * @buf:	bytes
 * @len:	how many
 * Return: the CRC
 */
uint32_t owners_crc(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t c = 0xffffffffu;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/**
 * put_le() - store @n bytes of @v little-endian
 * @p:	where
 * @v:	value
 * @n:	4 or 8
 */
static void put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/**
 * get_le() - load @n bytes little-endian
 * @p:	where
 * @n:	4 or 8
 * Return: the value
 */
static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/**
 * rec_encode() - a record as it is stored
 * @r:		the record
 * @b:		DB_RECSIZE bytes
 */
static void rec_encode(const struct rec *r, unsigned char *b)
{
	put_le(b, r->dev, 8);
	put_le(b + 8, r->ino, 8);
	put_le(b + 16, r->rdev, 8);
	put_le(b + 24, (uint64_t)r->btime_sec, 8);
	put_le(b + 32, r->btime_nsec, 4);
	put_le(b + 36, r->what, 4);
	put_le(b + 40, r->uid, 4);
	put_le(b + 44, r->gid, 4);
	put_le(b + 48, r->mode, 4);
	put_le(b + 52, owners_crc(b, 52), 4);
}

/**
 * rec_decode() - a stored record
 * @b:		DB_RECSIZE bytes
 * @r:		the record
 * Return: 0, or -EBADMSG if its CRC is wrong
 */
static int rec_decode(const unsigned char *b, struct rec *r)
{
	if (get_le(b + 52, 4) != owners_crc(b, 52))
		return -EBADMSG;
	r->dev = get_le(b, 8);
	r->ino = get_le(b + 8, 8);
	r->rdev = get_le(b + 16, 8);
	r->btime_sec = (int64_t)get_le(b + 24, 8);
	r->btime_nsec = (uint32_t)get_le(b + 32, 4);
	r->what = (uint32_t)get_le(b + 36, 4);
	r->uid = (uint32_t)get_le(b + 40, 4);
	r->gid = (uint32_t)get_le(b + 44, 4);
	r->mode = (uint32_t)get_le(b + 48, 4);
	return 0;
}

/**
 * slot_of() - the slot of (@dev, @ino), or the free one it would take
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * @found:	set if the record is there
 * Return: slot index
 */
static size_t slot_of(const struct owners *o, uint64_t dev, uint64_t ino,
		      bool *found)
{
	size_t i = (size_t)((dev * 0x9e3779b97f4a7c15ull) ^ ino *
			    0xff51afd7ed558ccdull) & (o->cap - 1);
	size_t tomb = (size_t)-1;

	*found = false;
	for (;; i = (i + 1) & (o->cap - 1)) {
		const struct rec *r = &o->tab[i];

		if (r->what && r->dev == dev && r->ino == ino) {
			*found = true;
			return i;
		}
		if (!r->what && !r->ino)	/* never used: the end */
			return tomb != (size_t)-1 ? tomb : i;
		if (!r->what && tomb == (size_t)-1)
			tomb = i;
	}
}

/**
 * grow() - make room for one more record
 * @o:		the records
 * Return: 0 or -ENOMEM
 */
static int grow(struct owners *o)
{
	struct rec *old = o->tab;
	size_t i, oldcap = o->cap, cap = o->cap ? o->cap : 64;
	bool found;

	if (o->used + 1 <= o->cap / 2)
		return 0;
	if (o->n + 1 > cap / 4)
		cap *= 2;	/* else tombstones alone fill it: rehash */
	o->tab = calloc(cap, sizeof(*o->tab));
	if (!o->tab) {
		o->tab = old;
		return -ENOMEM;
	}
	o->cap = cap;
	o->used = o->n;
	for (i = 0; i < oldcap; i++)
		if (old[i].what)
			o->tab[slot_of(o, old[i].dev, old[i].ino, &found)] = old[i];
	free(old);
	return 0;
}

/**
 * owners_get() - the record of a host file
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * Return: the record, or NULL
 */
const struct rec *owners_get(const struct owners *o, uint64_t dev,
			     uint64_t ino)
{
	bool found;
	size_t i;

	if (!o->n)
		return NULL;
	i = slot_of(o, dev, ino, &found);
	return found ? &o->tab[i] : NULL;
}

/**
 * xfind() - the index of an attribute
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * @name:	its name, or NULL for any of the file's
 * Return: the index, or -1
 */
static long xfind(const struct owners *o, uint64_t dev, uint64_t ino,
		  const char *name)
{
	size_t i;

	for (i = 0; i < o->nx; i++)
		if (o->x[i].dev == dev && o->x[i].ino == ino &&
		    (!name || !strcmp(o->x[i].name, name)))
			return (long)i;
	return -1;
}

/**
 * owners_xget() - an extended attribute of a host file
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * @name:	its name, or NULL for the file's first
 * Return: the attribute, or NULL
 */
const struct xrec *owners_xget(const struct owners *o, uint64_t dev,
			       uint64_t ino, const char *name)
{
	long i = xfind(o, dev, ino, name);

	return i < 0 ? NULL : &o->x[i];
}

/**
 * xunset() - forget one attribute, in memory only
 * @o:		the records
 * @i:		its index
 */
static void xunset(struct owners *o, size_t i)
{
	free(o->x[i].name);
	free(o->x[i].value);
	o->x[i] = o->x[--o->nx];
}

/**
 * xset() - set an attribute in memory only
 * @o:		the records
 * @x:		the attribute (copied)
 * Return: 0 or -ENOMEM
 */
static int xset(struct owners *o, const struct xrec *x)
{
	long i = xfind(o, x->dev, x->ino, x->name);
	struct xrec n = *x, *nx;

	n.name = strdup(x->name);
	n.value = malloc(x->len ? x->len : 1);
	if (!n.name || !n.value) {
		free(n.name);
		free(n.value);
		return -ENOMEM;
	}
	memcpy(n.value, x->value, x->len);
	if (i >= 0) {
		xunset(o, (size_t)i);
	} else if (!(o->nx & (o->nx + 1)) || !o->x) {	/* 0, 1, 3, 7...: grow */
		nx = realloc(o->x, (o->nx * 2 + 2) * sizeof(*nx));
		if (!nx) {
			free(n.name);
			free(n.value);
			return -ENOMEM;
		}
		o->x = nx;
	}
	o->x[o->nx++] = n;
	return 0;
}

/**
 * xencode() - an attribute (or its deletion) as it is stored
 * @x:		the attribute
 * @deleted:	store its deletion
 * @len:	set to the length
 * Return: the bytes (malloc'd), or NULL
 */
static unsigned char *xencode(const struct xrec *x, bool deleted, size_t *len)
{
	size_t nl = strlen(x->name), vl = deleted ? 0 : x->len;
	size_t units = (nl + vl + DB_PAYLOAD - 1) / DB_PAYLOAD, u;
	struct rec head = { .dev = x->dev, .ino = x->ino,
			    .btime_sec = x->btime_sec,
			    .btime_nsec = x->btime_nsec, .what = REC_XATTR,
			    .uid = (uint32_t)nl,
			    .gid = deleted ? DB_XDELETED : x->len,
			    .mode = (uint32_t)units };
	unsigned char *b = calloc(units + 1, DB_RECSIZE), *p;

	if (!b)
		return NULL;
	rec_encode(&head, b);
	p = b + DB_RECSIZE;
	for (u = 0; u < nl + vl; u++)	/* payload, 52 bytes a unit */
		p[u / DB_PAYLOAD * DB_RECSIZE + u % DB_PAYLOAD] =
			u < nl ? (unsigned char)x->name[u]
			       : ((const unsigned char *)x->value)[u - nl];
	for (u = 0; u < units; u++)
		put_le(p + u * DB_RECSIZE + DB_PAYLOAD,
		       owners_crc(p + u * DB_RECSIZE, DB_PAYLOAD), 4);
	*len = (units + 1) * DB_RECSIZE;
	return b;
}

/**
 * xappend() - add an attribute, or its deletion, to the file
 * @o:		the records
 * @x:		the attribute
 * @deleted:	its deletion
 * Return: 0 or -errno
 */
static int xappend(struct owners *o, const struct xrec *x, bool deleted)
{
	unsigned char *b;
	size_t len;
	ssize_t n;

	if (o->fd < 0)
		return 0;
	if (!(b = xencode(x, deleted, &len)))
		return -ENOMEM;
	n = write(o->fd, b, len);
	free(b);
	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/**
 * owners_xput() - set an extended attribute of a host file
 * @o:		the records
 * @x:		the attribute (copied)
 * Return: 0 or -errno
 */
int owners_xput(struct owners *o, const struct xrec *x)
{
	int e = xset(o, x);

	return e < 0 ? e : xappend(o, x, false);
}

/**
 * owners_xdrop() - forget extended attributes of a host file
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * @name:	the attribute, or NULL for all of the file's
 * Return: 0 or -errno
 */
int owners_xdrop(struct owners *o, uint64_t dev, uint64_t ino,
		 const char *name)
{
	long i;
	int e = 0;

	while (!e && (i = xfind(o, dev, ino, name)) >= 0) {
		e = xappend(o, &o->x[i], true);
		xunset(o, (size_t)i);
	}
	return e;
}

/**
 * append() - add a record (or a deletion: what 0) to the file
 * @o:		the records
 * @r:		the record
 * Return: 0 or -errno
 */
static int append(struct owners *o, const struct rec *r)
{
	unsigned char b[DB_RECSIZE];
	ssize_t n;

	if (o->fd < 0)
		return 0;
	rec_encode(r, b);
	n = write(o->fd, b, sizeof(b));
	if (n == (ssize_t)sizeof(b))
		return 0;
	return n < 0 ? -errno : -EIO;
}

/**
 * sgid_dir() - is a record that of a set-group-id directory?
 * @r:		the record
 * Return: 1 or 0
 */
static size_t sgid_dir(const struct rec *r)
{
	return (r->what & REC_MODE) && S_ISDIR(r->mode) && (r->mode & S_ISGID);
}

/**
 * set() - put a record in the table only
 * @o:		the records
 * @r:		the record (what 0: delete)
 * Return: 0 or -ENOMEM
 */
static int set(struct owners *o, const struct rec *r)
{
	bool found;
	size_t i;
	int e;

	if (!r->what) {
		if (o->n && (i = slot_of(o, r->dev, r->ino, &found), found)) {
			o->nodes -= !!(o->tab[i].what & REC_NODE);
			o->sgid_dirs -= sgid_dir(&o->tab[i]);
			o->tab[i].what = 0;	/* a tombstone: ino stays */
			o->n--;
		}
		return 0;
	}
	if ((e = grow(o)) < 0)
		return e;
	i = slot_of(o, r->dev, r->ino, &found);
	if (!found) {
		o->n++;
		if (!o->tab[i].ino)
			o->used++;
	} else {
		o->nodes -= !!(o->tab[i].what & REC_NODE);
		o->sgid_dirs -= sgid_dir(&o->tab[i]);
	}
	o->nodes += !!(r->what & REC_NODE);
	o->sgid_dirs += sgid_dir(r);
	o->tab[i] = *r;
	return 0;
}

/**
 * owners_put() - set the record of a host file, in memory and in the file
 * @o:		the records
 * @r:		the record; what 0 deletes it
 * Return: 0 or -errno
 */
int owners_put(struct owners *o, const struct rec *r)
{
	int e = set(o, r);

	return e < 0 ? e : append(o, r);
}

/**
 * owners_drop() - forget the record of a host file
 * @o:		the records
 * @dev:	device
 * @ino:	inode
 * Return: 0 or -errno
 */
int owners_drop(struct owners *o, uint64_t dev, uint64_t ino)
{
	struct rec r = { .dev = dev, .ino = ino };
	int e = owners_get(o, dev, ino) ? owners_put(o, &r) : 0;

	return e < 0 ? e : owners_xdrop(o, dev, ino, NULL);
}

/**
 * xload() - read an attribute's units after its head record
 * @o:		the records
 * @fd:		the file
 * @off:	where its units start
 * @size:	the file's size
 * @h:		its head record
 * @err:	message on damage
 * @errlen:	its size
 * Return: bytes of units read, 0 if they are cut short (a torn tail),
 * -EBADMSG (with @err) if damaged, or -errno
 */
static long xload(struct owners *o, int fd, off_t off, off_t size,
		  const struct rec *h, char *err, size_t errlen)
{
	size_t nl = h->uid, vl = h->gid == DB_XDELETED ? 0 : h->gid, u;
	size_t bytes = (size_t)h->mode * DB_RECSIZE;
	struct xrec x = { h->dev, h->ino, h->btime_sec, h->btime_nsec,
			  NULL, NULL, (uint32_t)vl };
	unsigned char *b;
	char *name;
	long r = (long)bytes;

	if (nl == 0 || nl > DB_XNAME_MAX || vl > DB_XSIZE_MAX ||
	    h->mode != (nl + vl + DB_PAYLOAD - 1) / DB_PAYLOAD) {
		snprintf(err, errlen, "damaged at byte %lld (attribute)",
			 (long long)off - DB_RECSIZE);
		return -EBADMSG;
	}
	if (off + (off_t)bytes > size)
		return 0;
	b = malloc(bytes);
	name = malloc(nl + 1 + vl);
	if (!b || !name || pread(fd, b, bytes, off) != (ssize_t)bytes) {
		r = !b || !name ? -ENOMEM : -EIO;
		goto out;
	}
	for (u = 0; u < h->mode; u++)
		if (get_le(b + u * DB_RECSIZE + DB_PAYLOAD, 4) !=
		    owners_crc(b + u * DB_RECSIZE, DB_PAYLOAD)) {
			if (off + (off_t)bytes >= size) {	/* the last one */
				r = 0;
				goto out;
			}
			snprintf(err, errlen, "damaged at byte %lld (CRC)",
				 (long long)(off + (off_t)(u * DB_RECSIZE)));
			r = -EBADMSG;
			goto out;
		}
	for (u = 0; u < nl + vl; u++)
		name[u < nl ? u : u + 1] =
			(char)b[u / DB_PAYLOAD * DB_RECSIZE + u % DB_PAYLOAD];
	name[nl] = '\0';
	x.name = name;
	x.value = name + nl + 1;
	if (h->gid == DB_XDELETED) {
		long i = xfind(o, x.dev, x.ino, name);

		if (i >= 0)
			xunset(o, (size_t)i);
	} else if (xset(o, &x) < 0) {
		r = -ENOMEM;
	}
out:
	free(b);
	free(name);
	return r;
}

/**
 * load() - read the records of an open database file
 * @o:		the records
 * @fd:		the file
 * @err:	message on failure
 * @errlen:	its size
 * Return: 0, -EBADMSG (with @err) if it is not a database or is damaged,
 * or -errno
 */
static int load(struct owners *o, int fd, char *err, size_t errlen)
{
	unsigned char h[DB_HDRSIZE], b[DB_RECSIZE];
	off_t off = DB_HDRSIZE, size = lseek(fd, 0, SEEK_END);
	struct rec r;
	ssize_t n;
	int e;

	if (size == 0)
		return 0;	/* new */
	if (size < 0 || pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h, DB_MAGIC, 8) || get_le(h + 8, 4) < 1 ||
	    get_le(h + 8, 4) > DB_VERSION || get_le(h + 12, 4) != DB_RECSIZE) {
		snprintf(err, errlen, "not a facet ownership database "
			 "(or of another version)");
		return -EBADMSG;
	}
	for (; off < size; off += DB_RECSIZE) {
		n = pread(fd, b, sizeof(b), off);
		if (n < 0)
			return -errno;
		if (n < (ssize_t)sizeof(b) ||
		    (rec_decode(b, &r) < 0 && off + DB_RECSIZE >= size)) {
			fprintf(stderr, "facet: %s: the last record was cut "
				"short (a killed session?): dropped\n", o->path);
			break;
		}
		if (rec_decode(b, &r) < 0) {
			snprintf(err, errlen, "damaged at byte %lld (CRC)",
				 (long long)off);
			return -EBADMSG;
		}
		if (r.what & REC_XATTR) {
			long x = xload(o, fd, off + DB_RECSIZE, size, &r, err, errlen);

			if (x < 0)
				return (int)x;
			if (x == 0) {
				fprintf(stderr, "facet: %s: the last record was "
					"cut short (a killed session?): dropped\n",
					o->path);
				break;
			}
			off += x;
			continue;
		}
		if ((e = set(o, &r)) < 0)
			return e;
	}
	return 0;
}

/**
 * owners_save() - rewrite the database file with the live records only
 * @o:		the records
 *
 * Writes FILE.new, syncs it and renames it over FILE; the append fd then
 * points at the new file.
 *
 * Return: 0 or -errno
 */
int owners_save(struct owners *o)
{
	unsigned char h[DB_HDRSIZE], b[DB_RECSIZE];
	char *tmp;
	size_t i;
	int fd, e = 0;

	if (!o->path)
		return 0;
	if (asprintf(&tmp, "%s.new", o->path) < 0)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = -errno;
		free(tmp);
		return e;
	}
	memcpy(h, DB_MAGIC, 8);
	put_le(h + 8, DB_VERSION, 4);
	put_le(h + 12, DB_RECSIZE, 4);
	if (write(fd, h, sizeof(h)) != (ssize_t)sizeof(h))
		e = -EIO;
	for (i = 0; i < o->cap && !e; i++) {
		if (!o->tab[i].what)
			continue;
		rec_encode(&o->tab[i], b);
		if (write(fd, b, sizeof(b)) != (ssize_t)sizeof(b))
			e = errno ? -errno : -EIO;
	}
	for (i = 0; i < o->nx && !e; i++) {
		size_t len;
		unsigned char *x = xencode(&o->x[i], false, &len);

		if (!x)
			e = -ENOMEM;
		else if (write(fd, x, len) != (ssize_t)len)
			e = errno ? -errno : -EIO;
		free(x);
	}
	if (!e && fsync(fd) < 0)
		e = -errno;
	if (!e && rename(tmp, o->path) < 0)
		e = -errno;
	if (e) {
		close(fd);
		unlink(tmp);
	} else {
		if (o->fd >= 0)
			close(o->fd);
		o->fd = fd;
	}
	free(tmp);
	return e;
}

/**
 * owners_open() - start the records, from a database file if given
 * @o:		the records (zeroed)
 * @path:	--fakeroot-db FILE, created if missing, or NULL
 * @err:	what is wrong, on failure
 * @errlen:	its size
 * Return: 0 or -errno
 */
int owners_open(struct owners *o, const char *path, char *err, size_t errlen)
{
	int fd, e;

	o->fd = -1;
	if (!path)
		return 0;
	o->path = strdup(path);
	if (!o->path)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = -errno;
		snprintf(err, errlen, "%s", strerror(-e));
		return e;
	}
	e = load(o, fd, err, errlen);
	close(fd);
	if (e == 0 && (e = owners_save(o)) < 0)
		snprintf(err, errlen, "cannot rewrite it: %s", strerror(-e));
	else if (e < 0 && e != -EBADMSG)
		snprintf(err, errlen, "%s", strerror(-e));
	return e;
}

/**
 * owners_close() - write the database file one last time, free the records
 * @o:		the records
 */
void owners_close(struct owners *o)
{
	int e = owners_save(o);

	if (e < 0)
		fprintf(stderr, "facet: %s: cannot save ownership records: %s\n",
			o->path, strerror(-e));
	if (o->fd >= 0)
		close(o->fd);
	while (o->nx)
		xunset(o, o->nx - 1);
	free(o->x);
	free(o->tab);
	free(o->path);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}
