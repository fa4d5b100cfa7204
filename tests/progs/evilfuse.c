// SPDX-License-Identifier: GPL-2.0-or-later
/* evilfuse.c - a hostile FUSE daemon, for the escape cases
 *
 * Usage: evilfuse MOUNTPOINT ESCAPE
 *
 * Mounts itself the ordinary way (open /dev/fuse, mount(2) with "fd=N"),
 * then answers a directory listing of its root with names that are not one
 * path component ("../../../ESCAPE" reaching the absolute path ESCAPE,
 * "a/b", "x\0y"), each of which LOOKUP says is a regular file, and one
 * good name, "fine".  A client that made entries from those names as they
 * came would create ESCAPE outside the mount.  It also answers READDIR
 * with a record whose length runs past the reply, and READ with data
 * however far the offset (a client reading until the data ends would
 * never stop).
 * Prints "mounted" once mount(2) returned, and serves until the socket
 * closes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int dev;

static void reply(uint64_t unique, int error, const void *data, size_t len)
{
	struct fuse_out_header h = {
		.len = (uint32_t)(sizeof(h) + len), .error = error,
		.unique = unique,
	};
	struct iovec v[2] = { { &h, sizeof(h) }, { (void *)data, len } };

	if (writev(dev, v, data ? 2 : 1) < 0)
		exit(0);
}

static void attr(struct fuse_attr *a, uint64_t ino, uint32_t mode)
{
	memset(a, 0, sizeof(*a));
	a->ino = ino;
	a->mode = mode;
	a->nlink = 1;
	a->size = S_ISREG(mode) ? 5 : 0;
}

static size_t dirent(char *buf, size_t off, const char *name, size_t len,
		     uint64_t next)
{
	struct fuse_dirent *d = (struct fuse_dirent *)(buf + off);

	d->ino = 2;
	d->off = next;
	d->namelen = (uint32_t)len;
	d->type = DT_REG;
	memcpy(d->name, name, len);
	return off + FUSE_DIRENT_SIZE(d);
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	char opts[128], out[4096], escape[256];
	struct fuse_in_header *h = (struct fuse_in_header *)buf;
	ssize_t n;

	if (argc != 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: evilfuse MOUNTPOINT /ESCAPE\n");
		return 2;
	}
	snprintf(escape, sizeof(escape), "../../../../../../../../../..%s", argv[2]);
	if ((dev = open("/dev/fuse", O_RDWR)) < 0) {
		perror("/dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=%u,group_id=%u",
		 dev, getuid(), getgid());
	if (mount("evilfuse", argv[1], "fuse.evilfuse", MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("mount");
		return 1;
	}
	printf("mounted\n");
	fflush(stdout);
	while ((n = read(dev, buf, sizeof(buf))) > 0) {
		void *in = buf + sizeof(*h);

		memset(out, 0, sizeof(out));
		switch (h->opcode) {
		case FUSE_INIT: {
			struct fuse_init_out *o = (struct fuse_init_out *)out;

			o->major = FUSE_KERNEL_VERSION;
			o->minor = 19;
			o->max_write = 4096;
			reply(h->unique, 0, o, FUSE_COMPAT_22_INIT_OUT_SIZE);
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out *o = (struct fuse_attr_out *)out;

			attr(&o->attr, h->nodeid, h->nodeid == 1 ? S_IFDIR | 0755
							       : S_IFREG | 0644);
			reply(h->unique, 0, o, sizeof(*o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out *o = (struct fuse_entry_out *)out;

			o->nodeid = 2;
			attr(&o->attr, 2, S_IFREG | 0644);
			reply(h->unique, 0, o, sizeof(*o));
			break;
		}
		case FUSE_OPENDIR: case FUSE_OPEN: {
			struct fuse_open_out o = { .fh = 1 };

			reply(h->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_READDIR: {
			const struct fuse_read_in *r = in;
			size_t off = 0;

			if (r->offset == 0) {
				off = dirent(out, off, escape, strlen(escape), 1);
				off = dirent(out, off, "a/b", 3, 2);
				off = dirent(out, off, "x\0y", 3, 3);
				off = dirent(out, off, "fine", 4, 4);
				/* a record that claims more than is sent */
				((struct fuse_dirent *)(out + off))->namelen = 200;
				off += 24;
			}
			reply(h->unique, 0, out, off);
			break;
		}
		case FUSE_READ:
			reply(h->unique, 0, "evil\n", 5);
			break;
		case FUSE_FORGET: case FUSE_BATCH_FORGET:
			break;
		case FUSE_DESTROY:
			reply(h->unique, 0, NULL, 0);
			return 0;
		default:
			reply(h->unique, -ENOSYS, NULL, 0);
		}
	}
	return 0;
}
