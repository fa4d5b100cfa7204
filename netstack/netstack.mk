# SPDX-License-Identifier: GPL-2.0-or-later
# netstack.mk - build facet-netstack: lwIP 2.1.3 on a VDE switch
#
# Included by the top Makefile (-include netstack/netstack.mk), or run
# alone from the top directory: make -f netstack/netstack.mk [TARGET]
#
#   netstack          fetch lwIP and build build/facet-netstack; if lwIP's
#                     source package cannot be fetched, say so and succeed
#                     (all depends on it: the rest of facet builds anyway)
#   build/facet-netstack
#                     the same, but fails if lwIP cannot be fetched
#   netstack-check    build, then run netstack/selftest.sh
#   netstack-clean    remove what this file built, keep lwIP's download
#
# lwIP is never kept in facet's repository: netstack/fetch-lwip.sh takes
# Debian's source package with apt-get (private sources list, no root) and
# keeps the tarball in build/lwip-apt.  build/netstack.built says "yes" or
# "no: why" after "make netstack", and NETSTACK_BUILT says whether
# build/facet-netstack existed when make started.

NS_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
NS_MAKEFILE := $(firstword $(MAKEFILE_LIST))
NS_GOAL := $(.DEFAULT_GOAL)

NETSTACK_BUILT := $(if $(wildcard build/facet-netstack),yes,no)

NS_OPT = $(or $(filter -O% -g%,$(CFLAGS)),-O2 -g)
NS_CC = $(or $(CC),cc)
NS_CFLAGS = $(NS_OPT) -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -I$(NS_DIR) \
	-isystem build/lwip/src/include
NS_LIBS := -lvdeplug

# lwIP's core, IPv4, IPv6 and Ethernet: no sockets, netconn, PPP or apps
NS_LWIP_C := $(addprefix build/lwip/src/, \
	core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/stats.c core/tcp.c \
	core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c \
	core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
	core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c \
	core/ipv6/ip6.c core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c \
	core/ipv6/mld6.c core/ipv6/nd6.c \
	netif/ethernet.c)
NS_LWIP_OBJ := $(patsubst build/lwip/src/%.c,build/netstack/lwip/%.o,$(NS_LWIP_C))
NS_PORT_H := $(NS_DIR)/lwipopts.h $(NS_DIR)/arch/cc.h $(NS_DIR)/lwip_hooks.h

NS_SRC := $(filter-out $(NS_DIR)/nstest.c,$(wildcard $(NS_DIR)/*.c))
NS_OBJ := $(patsubst $(NS_DIR)/%.c,build/netstack/%.o,$(NS_SRC))
NS_HDRS := $(wildcard $(NS_DIR)/*.h) $(NS_PORT_H)

all: netstack

# the reasons not to build are checked first, each with its message
netstack:
	@mkdir -p build
	@if ! echo '#include <libvdeplug.h>' | $(NS_CC) -E -x c - >/dev/null 2>&1; then \
		why="libvdeplug.h is missing (Debian: libvdeplug-dev)"; \
	elif ! $(NS_DIR)/fetch-lwip.sh build; then \
		why="cannot fetch lwip's source package"; \
	fi; \
	if [ -n "$$why" ]; then \
		echo "facet-netstack not built: $$why" >&2; \
		echo "no: $$why" > build/netstack.built; \
	else \
		$(MAKE) --no-print-directory -f $(NS_MAKEFILE) build/facet-netstack && \
		echo yes > build/netstack.built; \
	fi

build/lwip/.unpacked: $(NS_DIR)/fetch-lwip.sh
	@mkdir -p build
	$(NS_DIR)/fetch-lwip.sh build

$(NS_LWIP_C): build/lwip/.unpacked ;

$(NS_LWIP_OBJ): build/netstack/lwip/%.o: build/lwip/src/%.c $(NS_PORT_H)
	@mkdir -p $(dir $@)
	$(NS_CC) $(NS_OPT) -std=gnu11 -D_GNU_SOURCE -I$(NS_DIR) \
		-Ibuild/lwip/src/include -c -o $@ $<

build/liblwip-facet.a: $(NS_LWIP_OBJ)
	rm -f $@
	ar rcs $@ $^

$(NS_OBJ): build/netstack/%.o: $(NS_DIR)/%.c $(NS_HDRS) build/lwip/.unpacked
	@mkdir -p $(dir $@)
	$(NS_CC) $(NS_CFLAGS) -c -o $@ $<

build/facet-netstack: $(NS_OBJ) build/liblwip-facet.a
	$(NS_CC) $(NS_OPT) -o $@ $(NS_OBJ) build/liblwip-facet.a $(LDFLAGS) $(NS_LIBS)

# the test driver plays facet's part on fd 3 (netstack/selftest.sh)
build/nstest: $(NS_DIR)/nstest.c $(NS_DIR)/netstack_proto.h
	@mkdir -p build
	$(NS_CC) $(NS_OPT) -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -I$(NS_DIR) \
		-o $@ $< $(LDFLAGS) -lvdeplug -lz

netstack-check: netstack
	@if [ -x build/facet-netstack ]; then $(MAKE) --no-print-directory \
		-f $(NS_MAKEFILE) build/nstest; fi
	$(NS_DIR)/selftest.sh

netstack-clean:
	rm -rf build/netstack build/liblwip-facet.a build/facet-netstack \
		build/nstest build/netstack.built

.PHONY: all netstack netstack-check netstack-clean

# Included before the top Makefile's first rule, this file must not take
# the default goal; run alone, its default is "netstack".
ifeq ($(NS_MAKEFILE),$(lastword $(MAKEFILE_LIST)))
.DEFAULT_GOAL := netstack
else
.DEFAULT_GOAL := $(NS_GOAL)
endif
