/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuse_client.h - the kernel's side of the FUSE protocol, spoken to a daemon
 * over a socket instead of /dev/fuse */
#ifndef FUSE_CLIENT_H
#define FUSE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/fuse.h>

struct facet;
struct fusec;

/* a validity the daemon gave of a month or more: for ever */
#define FUSEC_FOREVER	UINT64_MAX

/**
 * struct fusec_entry - what LOOKUP, MKDIR, CREATE... answer
 * @nodeid:	the daemon's node number (one lookup reference taken)
 * @attr:	its attributes
 * @valid_ms:	for how long the name and the attributes may be trusted,
 *		the shorter of the two (ms), or FUSEC_FOREVER
 */
struct fusec_entry {
	uint64_t nodeid;
	struct fuse_attr attr;
	uint64_t valid_ms;
};

/* fuse_reply.c: the answers whose layout the daemon chooses */
uint64_t fusec_valid_ms(uint64_t sec, uint32_t nsec);
uint64_t fusec_entry_valid(const struct fuse_entry_out *out);
int fusec_entry_parse(const struct fuse_entry_out *buf, int n,
		      struct fusec_entry *e);
int fusec_dirents(const char *buf, int n, bool plus,
		  int (*each)(void *arg, const char *name, size_t namelen,
			      const struct fuse_entry_out *e),
		  void *arg, uint64_t *next);

/**
 * struct fusec_local_ops - a file system in the supervisor's own process
 * @request:	handle one request (fuse_in_header and arguments, @len bytes);
 *		the answer goes to fusec_local_reply(@c, ...) before it returns
 *		(FORGET has none)
 * @destroy:	free its state, after DESTROY
 */
struct fusec_local_ops {
	void (*request)(void *ctx, struct fusec *c, const void *req, size_t len);
	void (*destroy)(void *ctx);
};

int fusec_start(struct facet *f, const char *prog, const char *source,
		const char *opts, const char *mnt, struct fusec **out);
int fusec_adopt(struct facet *f, const char *name, int fd, ino_t dev,
		struct fusec **out);
int fusec_local(struct facet *f, const char *name,
		const struct fusec_local_ops *ops, void *ctx, struct fusec **out);
void fusec_local_reply(struct fusec *c, const struct iovec *iov, int n);
void fusec_detach(struct fusec *c);
void fusec_stop(struct fusec *c);
int fusec_call(struct fusec *c, uint32_t opcode, uint64_t nodeid,
	       const struct iovec *in, int nin, void *out, size_t size);
void fusec_forget(struct fusec *c, uint64_t nodeid, uint64_t n);
uint32_t fusec_max_write(struct fusec *c);
uint32_t fusec_max_read(const struct fusec *c);
uint32_t fusec_minor(struct fusec *c);
bool fusec_plus(const struct fusec *c);
const char *fusec_name(const struct fusec *c);

int fusec_lookup(struct fusec *c, uint64_t dir, const char *name,
		 struct fusec_entry *e);
int fusec_lookup_many(struct fusec *c, uint64_t dir, char *const *names,
		      size_t n, int (*each)(void *arg, size_t i,
					    const struct fusec_entry *e),
		      void *arg);
int fusec_getattr(struct fusec *c, uint64_t node, struct fuse_attr *a,
		  uint64_t *valid_ms);
int fusec_open(struct fusec *c, uint64_t node, bool dir, int flags,
	       uint64_t *fh);
void fusec_release(struct fusec *c, uint64_t node, bool dir, uint64_t fh,
		   int flags);
long fusec_read(struct fusec *c, uint64_t node, uint64_t fh, uint64_t off,
		void *buf, size_t size);
int fusec_socketpair(int sv[2]);
int64_t fusec_read_fd(struct fusec *c, uint64_t node, uint64_t fh,
		      uint64_t off, uint64_t end, int wfd, void *buf,
		      uint32_t chunk);
long fusec_write(struct fusec *c, uint64_t node, uint64_t fh, uint64_t off,
		 const void *buf, size_t size);
int fusec_readlink(struct fusec *c, uint64_t node, char *buf, size_t size);

/* the largest READ fusec_read_fd() sends, socket room allowing */
#define FUSEC_MAX_READ	262144

#endif /* FUSE_CLIENT_H */
