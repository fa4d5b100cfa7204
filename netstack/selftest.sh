#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# selftest.sh - facet-netstack between two views on a VDE switch
#
#   netstack/selftest.sh [BUILDDIR]      (make netstack-check)
#
# Starts a vde_switch of its own in a temporary directory, then
# build/nstest, which starts two facet-netstack processes on it (10.1.0.2
# and 10.1.0.3) and plays facet's part on their fd 3: TCP both ways (1 MiB
# and NSTEST_BIG MiB, default 200, checked byte for byte and by CRC-32),
# half-close, reset, refusal, many connections, IPv6, UDP with NS_PEER,
# ARP and ping, NS_BYE.  The first run writes pcap files, which must parse
# with tshark (if installed) and show TCP between the two; the throughput
# run is a second one, without capture.  Ends with "netstack: N passed,
# N failed"; exits 1 if any failed.
#
# Says SKIP and exits 0 when vde_switch or the build is missing.  No root
# needed; all traffic stays on the VDE switch and the host's loopback.

BUILD=${1:-build}
BIG=${NSTEST_BIG:-200}

skip() {
	echo "SKIP: netstack selftest: $*"
	exit 0
}

command -v vde_switch >/dev/null || skip "vde_switch not found (Debian: vde2)"
[ -x "$BUILD/facet-netstack" ] || skip "$BUILD/facet-netstack not built ($(cat "$BUILD/netstack.built" 2>/dev/null || echo 'make netstack'))"
[ -x "$BUILD/nstest" ] || skip "$BUILD/nstest not built (make netstack-check)"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/facet-netstack.XXXXXX") || exit 1
cleanup() {
	[ -f "$DIR/switch.pid" ] && kill "$(cat "$DIR/switch.pid")" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

vde_switch -s "$DIR/switch" -p "$DIR/switch.pid" -d >/dev/null 2>&1 ||
	skip "vde_switch does not start"
i=0
while [ ! -S "$DIR/switch/ctl" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# nstest() - run the driver, its summary line as a comment; results go to
# $DIR/results too, to be counted at the end
nstest() {
	timeout 600 "$BUILD/nstest" --netstack "$BUILD/facet-netstack" \
		--vde "$DIR/switch" "$@" 2>&1 |
		sed 's/^\([0-9]* passed, [0-9]* failed\)$/# nstest: \1/' |
		tee -a "$DIR/results"
}

# check() - one result line of this script's own
check() {
	echo "$1" | tee -a "$DIR/results"
}

echo "# functional tests, with capture"
nstest --pcap-dir "$DIR" --ip6 --big 0

if command -v tshark >/dev/null; then
	for s in A B; do
		n=$(tshark -r "$DIR/$s.pcap" -Y 'tcp && ip.addr == 10.1.0.2 && ip.addr == 10.1.0.3' 2>/dev/null | wc -l)
		a=$(tshark -r "$DIR/$s.pcap" -Y 'arp || icmp' 2>/dev/null | wc -l)
		if [ "$n" -gt 0 ] && [ "$a" -gt 0 ]; then
			check "ok - $s.pcap parses with tshark ($n TCP packets between 10.1.0.2 and 10.1.0.3, $a ARP/ICMP)"
		else
			check "not ok - $s.pcap: $n TCP packets between 10.1.0.2 and 10.1.0.3, $a ARP/ICMP"
		fi
	done
else
	echo "# tshark not found: pcap files not checked"
fi

if [ "$BIG" -gt 0 ]; then
	echo "# throughput, $BIG MiB, without capture"
	nstest --only big --big "$BIG"
fi

passed=$(grep -c '^ok - ' "$DIR/results")
failed=$(grep -c '^not ok - ' "$DIR/results")
[ "$passed" -gt 0 ] || failed=$((failed + 1))	# nstest did not run
echo "netstack: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
