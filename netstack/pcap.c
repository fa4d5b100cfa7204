// SPDX-License-Identifier: GPL-2.0-or-later
/* pcap.c - a capture of every frame in and out
 *
 * The classic pcap format (not pcapng), LINKTYPE_ETHERNET, microsecond
 * time stamps, whole frames: what tcpdump, tshark and wireshark all read.
 * Writes are buffered and flushed every second and at exit, so a capture
 * is readable while facet-netstack runs.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/time.h>

#include "netstack.h"

#define PCAP_MAGIC		0xa1b2c3d4
#define PCAP_SNAPLEN		65535
#define LINKTYPE_ETHERNET	1
#define PCAP_FLUSH_MS		1000

/**
 * struct pcap_hdr - the file's header
 * @magic:	PCAP_MAGIC, in the writer's byte order
 * @major:	2
 * @minor:	4
 * @thiszone:	0 (UTC)
 * @sigfigs:	0
 * @snaplen:	longest frame kept whole
 * @linktype:	LINKTYPE_ETHERNET
 */
struct pcap_hdr {
	uint32_t magic;
	uint16_t major;
	uint16_t minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

/**
 * struct pcap_rec - one frame's header
 * @sec:	time stamp, seconds
 * @usec:	and microseconds
 * @caplen:	bytes in the file
 * @len:	bytes on the wire
 */
struct pcap_rec {
	uint32_t sec;
	uint32_t usec;
	uint32_t caplen;
	uint32_t len;
};

/**
 * pcap_init() - create the --pcap file
 * @c:		context
 *
 * Return: 0, or -errno
 */
int pcap_init(struct ctx *c)
{
	struct pcap_hdr h = {
		.magic = PCAP_MAGIC, .major = 2, .minor = 4,
		.snaplen = PCAP_SNAPLEN, .linktype = LINKTYPE_ETHERNET,
	};

	if (!c->conf.pcap)
		return 0;
	c->pcap.f = fopen(c->conf.pcap, "we");
	if (!c->pcap.f)
		return -errno;
	setvbuf(c->pcap.f, NULL, _IOFBF, 1 << 16);
	if (fwrite(&h, sizeof(h), 1, c->pcap.f) != 1 || fflush(c->pcap.f))
		return -errno;
	return 0;
}

/**
 * pcap_frame() - record one frame
 * @c:		context
 * @data:	the Ethernet frame
 * @len:	its length
 */
void pcap_frame(struct ctx *c, const void *data, size_t len)
{
	struct timeval tv;
	struct pcap_rec r;

	if (!c->pcap.f)
		return;
	gettimeofday(&tv, NULL);
	r.sec = (uint32_t)tv.tv_sec;
	r.usec = (uint32_t)tv.tv_usec;
	r.len = (uint32_t)len;
	r.caplen = (uint32_t)MIN(len, PCAP_SNAPLEN);
	if (fwrite(&r, sizeof(r), 1, c->pcap.f) != 1 ||
	    fwrite(data, r.caplen, 1, c->pcap.f) != 1) {
		ns_err("--pcap %s: write error, capture stopped", c->conf.pcap);
		fclose(c->pcap.f);
		c->pcap.f = NULL;
	}
}

/**
 * pcap_tick() - flush the capture now and then
 * @c:		context
 */
void pcap_tick(struct ctx *c)
{
	if (c->pcap.f && c->now - c->pcap.flushed >= PCAP_FLUSH_MS) {
		fflush(c->pcap.f);
		c->pcap.flushed = c->now;
	}
}

/**
 * pcap_close() - flush and close the capture
 * @c:		context
 */
void pcap_close(struct ctx *c)
{
	if (c->pcap.f && fclose(c->pcap.f))
		ns_err("--pcap %s: write error", c->conf.pcap);
	c->pcap.f = NULL;
}
