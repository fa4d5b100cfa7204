/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcap.h - a capture of every frame in and out */
#ifndef NS_PCAP_H
#define NS_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct pcap_state - the capture file
 * @f:		open file, or NULL without --pcap
 * @flushed:	last time it was flushed, ms
 */
struct pcap_state {
	FILE *f;
	uint64_t flushed;
};

struct ctx;
int pcap_init(struct ctx *c);
void pcap_frame(struct ctx *c, const void *data, size_t len);
void pcap_tick(struct ctx *c);
void pcap_close(struct ctx *c);

#endif /* NS_PCAP_H */
