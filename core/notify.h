/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify.h - the seccomp user-notification listener */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/seccomp.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

struct facet;

void notify_probe_filter(struct facet *f);
void notify_probe_listener(struct facet *f);
int notify_recv(int fd, struct seccomp_notif *req);
bool notify_valid(int fd, uint64_t id);
int notify_send(int fd, uint64_t id, int64_t val, int error, bool cont);
int notify_addfd(int fd, uint64_t id, int srcfd, unsigned int newfd_flags,
		 int newfd);
int notify_addfd_only(int fd, uint64_t id, int srcfd, unsigned int newfd_flags);

#endif /* NOTIFY_H */
