#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch-lwip.sh - fetch and unpack lwIP 2.1.3 from Debian's source package
#
#   netstack/fetch-lwip.sh BUILDDIR
#
# facet-netstack is built from Debian's lwip source package, never from a
# copy in facet's repository.  The package is fetched with apt-get and a
# private sources list, list and cache directory under BUILDDIR/lwip-apt, so
# this needs no root, no deb-src line in the system's sources and changes
# nothing of the system's apt state.  The upstream tarball is checked
# against the SHA-256 below (apt has already checked it against the signed
# index) and cached in BUILDDIR/lwip-apt: later builds do not fetch again.
# It is unpacked into BUILDDIR/lwip (src/core, src/include, src/netif).
#
# Environment:
#   LWIP_ORIG     use this lwip_2.1.3+dfsg1.orig.tar.xz instead of fetching
#   LWIP_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   LWIP_SUITE    suite to take the source package from (default bookworm)
#
# Exit status: 0 when BUILDDIR/lwip is ready, 1 with a message otherwise.

set -u

ORIG=lwip_2.1.3+dfsg1.orig.tar.xz
SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# the mirror: $LWIP_MIRROR, else the first Debian archive the system's own
# apt sources name (not its security archive), else deb.debian.org
system_mirror() {
	{ grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
	  grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
		sed 's/\[[^]]*\]//' | awk '{ print $2 }'
	} | grep -v -- '-security' | grep -m1 '/debian/\?$'
}
MIRROR=${LWIP_MIRROR:-$(system_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=${LWIP_SUITE:-bookworm}

BUILD=${1:?usage: fetch-lwip.sh BUILDDIR}
mkdir -p "$BUILD" && BUILD=$(cd "$BUILD" && pwd) || exit 1	# apt wants it absolute
APTDIR=$BUILD/lwip-apt
SRCDIR=$BUILD/lwip
LOG=$APTDIR/fetch.log

# fail() - say why lwIP is not there, and exit 1
fail() {
	echo "facet-netstack: cannot fetch lwip's source package: $*" >&2
	exit 1
}

# check() - is $1 the tarball we expect?
check() {
	echo "$SHA256  $1" | sha256sum -c --status - 2>/dev/null
}

# apt() - apt-get with the private sources list, lists and cache
apt() {
	apt-get -q \
		-o Dir::Etc::sourcelist="$APTDIR/etc/sources.list" \
		-o Dir::Etc::sourceparts="$APTDIR/etc/sources.list.d" \
		-o Dir::State::Lists="$APTDIR/lists" \
		-o Dir::Cache="$APTDIR/cache" \
		-o APT::Get::List-Cleanup=0 \
		-o APT::Sandbox::User="$(id -un)" \
		-o Acquire::Retries=0 \
		-o Acquire::http::Timeout=20 \
		"$@"
}

# download() - apt-get source --download-only lwip into $APTDIR
download() {
	command -v apt-get >/dev/null || fail "apt-get not found"
	[ -r "$KEYRING" ] || fail "$KEYRING missing (package debian-archive-keyring)"
	mkdir -p "$APTDIR/etc/sources.list.d" "$APTDIR/lists/partial" \
		"$APTDIR/cache/archives/partial" "$APTDIR/dl" ||
		fail "cannot create $APTDIR"
	echo "deb-src [signed-by=$KEYRING] $MIRROR $SUITE main" \
		> "$APTDIR/etc/sources.list"
	echo "facet-netstack: fetching Debian's lwip source package (apt-get source)" >&2
	{ apt update && (cd "$APTDIR/dl" && apt source --download-only lwip); } \
		> "$LOG" 2>&1 || fail "apt-get failed, see $LOG"
	[ -f "$APTDIR/dl/$ORIG" ] || fail "no $ORIG in the package, see $LOG"
	mv "$APTDIR/dl/$ORIG" "$APTDIR/$ORIG"
	# the indexes (~10 MB) are only needed for this one download
	rm -rf "$APTDIR/dl" "$APTDIR/lists" "$APTDIR/cache"
}

# unpack() - extract the tarball into $SRCDIR, atomically
unpack() {
	rm -rf "$SRCDIR.tmp"
	mkdir -p "$SRCDIR.tmp" &&
		tar -xJf "$1" -C "$SRCDIR.tmp" --strip-components=1 &&
		[ -f "$SRCDIR.tmp/src/core/tcp.c" ] || fail "cannot unpack $1"
	rm -rf "$SRCDIR"
	mv "$SRCDIR.tmp" "$SRCDIR" && touch "$SRCDIR/.unpacked"
}

[ -f "$SRCDIR/.unpacked" ] && exit 0

if [ -n "${LWIP_ORIG:-}" ]; then
	check "$LWIP_ORIG" || fail "$LWIP_ORIG is not $ORIG (SHA-256 differs)"
	unpack "$LWIP_ORIG"
	exit 0
fi

if ! check "$APTDIR/$ORIG"; then
	download
	check "$APTDIR/$ORIG" || fail "$ORIG does not have the expected SHA-256"
fi
unpack "$APTDIR/$ORIG"
