/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arch/cc.h - lwIP's port layer for facet-netstack: compiler and platform
 *
 * glibc on Linux: the standard integer types, the host's byte order from
 * <endian.h> and byte swaps from the compiler, diagnostics to stderr, and
 * random numbers (initial sequence numbers, ephemeral ports) from
 * getrandom(2) through port_rand() in port.c.
 */
#ifndef ARCH_CC_H
#define ARCH_CC_H

#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if BYTE_ORDER == LITTLE_ENDIAN
#define lwip_htons(x)	((u16_t)__builtin_bswap16(x))
#define lwip_htonl(x)	((u32_t)__builtin_bswap32(x))
#else
#define lwip_htons(x)	((u16_t)(x))
#define lwip_htonl(x)	((u32_t)(x))
#endif

uint32_t port_rand(void);
void port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LWIP_RAND()		port_rand()
#define LWIP_PLATFORM_DIAG(x)	do { port_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	do { fprintf(stderr,			\
				     "facet-netstack: lwIP assertion \"%s\" " \
				     "failed at %s:%d\n", x, __FILE__, __LINE__); \
				     abort(); } while (0)

#endif /* ARCH_CC_H */
