/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h - facet-netstack's small helpers: logging, epoll, time */
#ifndef NS_UTIL_H
#define NS_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct ns_ev;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

extern int log_verbose;

void ns_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ns_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ns_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int ev_add(const struct ctx *c, int fd, uint32_t events, struct ns_ev *ev);
int ev_mod(const struct ctx *c, int fd, uint32_t events, struct ns_ev *ev);
uint64_t now_ms(void);
void close_rst(int fd);

#endif /* NS_UTIL_H */
