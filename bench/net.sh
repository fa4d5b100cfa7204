#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# net.sh - the network views' speed: TCP throughput and connection rate,
# natively, under facet --net, slirp4netns and pasta
#
# Usage:
#   make                          # builds ./facet
#   bench/net.sh                  # 3 runs of 5 s per throughput figure (~4 min)
#   RUNS=5 T=10 CONNS=5000 bench/net.sh
#
# Workloads (the servers on the host listen on 127.0.0.1 only):
#   tcp guest -> host	iperf3 -c to an "iperf3 -s" on the host's loopback:
#			natively 127.0.0.1, under facet --net nat 10.0.2.2
#			(the gateway, which is the host's loopback), under
#			slirp4netns 10.0.2.2 too, under pasta the default
#			gateway (pasta maps it to the host's loopback), and
#			under "pasta -T PORT" 127.0.0.1 (pasta splices the
#			namespace's loopback port to the host's)
#   tcp host -> guest	the same with iperf3 -R (the host sends)
#   tcp view loopback	"iperf3 -s" and "iperf3 -c 127.0.0.1" both inside one
#			facet --net none (natively: both on the host)
#   conn/s loopback	connrate loop: connect, accept, close on 127.0.0.1,
#			in one process (facet: --net none)
#   conn/s guest -> host	connrate connect to a "connrate serve" on the
#			host's loopback, reached as above
#   LAN		two views on a vde_switch (--net vde:): iperf3 and
#			connrate between them; natively the host's loopback
#   startup		hyperfine: "true" natively, under facet --net none,
#			--net nat, and under pasta
# Throughput is iperf3's receiver figure (-J, end.sum_received), the median
# of RUNS runs of T seconds; connection rates are measured inside connrate
# (a wrapper's start-up does not count), the median of RUNS runs of CONNS
# connections.  Ratios are native / variant for rates and variant / native
# for times: above 1 is slower, either way.
#
# slirp4netns runs as root only (unshare -n, then slirp4netns --configure
# --mtu=65520 on the namespace, as rootless container engines set it up);
# pasta as root needs --runas 0.  A variant that cannot be set up is left
# out with a note.  Needs iperf3, hyperfine, python3, cc (Debian packages;
# as root they are installed if missing); slirp4netns and passt (pasta) are
# optional.
# env: FACET (default ../facet from here), RUNS (3), T (5), CONNS (2000),
#      BUILD (bench/.build/net)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=$(realpath -m "${FACET:-$HERE/../facet}")
RUNS=${RUNS:-3}
T=${T:-5}
CONNS=${CONNS:-2000}
BUILD=${BUILD:-$HERE/.build/net}
RES=$BUILD/results.tsv
PIDS=()
VARIANTS=(native facet slirp4netns pasta pasta-splice)

bench_need iperf3 hyperfine python3 gcc -- iperf3 hyperfine python3 cc
bench_need_facet
if ! "$FACET" --net nat -- true 2>/dev/null; then
	echo "$FACET has no working --net nat: build the net module first" >&2
	exit 2
fi
quiet
mkdir -p "$BUILD" || exit 2
cc -std=gnu11 -O2 -Wall -Wextra -o "$BUILD/connrate" "$HERE/connrate.c" || exit 2
CR=$BUILD/connrate
: >"$RES"

note() { echo "note: $*" >&2; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
trap cleanup EXIT

# free_port - a TCP port free on the host's loopback
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT - wait up to 5 s for a listener on 127.0.0.1:PORT
wait_port() {
	python3 - "$1" <<'EOF'
import socket, sys, time
for i in range(50):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
}

# --- the host's servers ------------------------------------------------------

IP=$(free_port)
iperf3 -s -B 127.0.0.1 -p "$IP" >"$BUILD/iperf3-server.log" 2>&1 &
PIDS+=($!)
rm -f "$BUILD/connrate.port"
"$CR" serve 127.0.0.1 "$BUILD/connrate.port" &
PIDS+=($!)
wait_port "$IP" || { echo "iperf3 -s did not start (see $BUILD/iperf3-server.log)" >&2; exit 2; }
for _ in $(seq 50); do [ -s "$BUILD/connrate.port" ] && break; sleep 0.1; done
CP=$(cat "$BUILD/connrate.port")
# the connrate server's accept loop makes the connection the first test
# would otherwise count; an iperf3 test connects in earnest

# --- the variants ------------------------------------------------------------

# each variant: a command prefix (WRAPS) and the address of the host's
# loopback seen from inside (HOSTS); a variant not in WRAPS is out
declare -A WRAPS=([native]="" [facet]="$FACET --net nat --")
declare -A HOSTS=([native]=127.0.0.1 [facet]=10.0.2.2)

slirp_up() {
	if [ "$(id -u)" != 0 ]; then
		note "slirp4netns: this script sets it up as root only (unshare -n): skipped"
		return 1
	fi
	if ! command -v slirp4netns >/dev/null || [ ! -c /dev/net/tun ]; then
		note "slirp4netns or /dev/net/tun missing: skipped"
		return 1
	fi
	# unshare execs sleep: its pid is the namespace's
	unshare -n sleep 100000 &
	NSPID=$!
	PIDS+=("$NSPID")
	sleep 0.2
	slirp4netns --configure --mtu=65520 "$NSPID" tap0 >"$BUILD/slirp4netns.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 50); do
		nsenter -t "$NSPID" -n ip -4 addr show tap0 2>/dev/null | grep -q inet && return 0
		sleep 0.1
	done
	note "slirp4netns did not configure tap0 (see $BUILD/slirp4netns.log): skipped"
	return 1
}
if slirp_up; then
	WRAPS[slirp4netns]="nsenter -t $NSPID -n"
	HOSTS[slirp4netns]=10.0.2.2
fi

PASTA=
if command -v pasta >/dev/null; then
	PASTA="pasta -q --config-net"
	[ "$(id -u)" = 0 ] && PASTA="pasta -q --runas 0 --config-net"
	GW=$(ip -4 route show default 2>/dev/null | awk '{ print $3; exit }')
	if [ -z "$GW" ]; then
		note "pasta: the host has no default route to copy: skipped"
		PASTA=
	elif ! $PASTA -- true 2>"$BUILD/pasta.log"; then
		note "pasta does not start here (see $BUILD/pasta.log): skipped"
		PASTA=
	fi
else
	note "pasta (Debian package passt) is not installed: skipped"
fi
if [ -n "$PASTA" ]; then
	WRAPS[pasta]="$PASTA --"
	HOSTS[pasta]=$GW
	WRAPS[pasta-splice]="$PASTA -T $IP,$CP --"
	HOSTS[pasta-splice]=127.0.0.1
fi

# wrap VARIANT - its command prefix in WRAP, the host's address in HOST;
# false if the variant is out
wrap() {
	[ -n "${WRAPS[$1]+set}" ] || return 1
	WRAP=${WRAPS[$1]}
	HOST=${HOSTS[$1]}
}

# record WORKLOAD VARIANT VALUE
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# gbits FILE - iperf3 -J's receiver throughput in Gbit/s, or nothing
gbits() {
	python3 - "$1" <<'EOF' 2>/dev/null
import json, sys
j = json.load(open(sys.argv[1]))
if "error" not in j:
    print("%.3f" % (j["end"]["sum_received"]["bits_per_second"] / 1e9))
EOF
}

# iperf WORKLOAD VARIANT CMD... - RUNS runs of CMD (its JSON on stdout)
iperf() {
	local w=$1 v=$2 j=$BUILD/$1.$2.json g
	shift 2
	echo "== $w: $v" >&2
	for _ in $(seq "$RUNS"); do
		timeout $((T * 4 + 30)) "$@" >"$j" 2>"$BUILD/$w.$v.err"
		g=$(gbits "$j")
		if [ -z "$g" ]; then
			note "$v failed on $w (see $j, $BUILD/$w.$v.err): left out"
			return
		fi
		record "$w" "$v" "$g"
	done
}

# rate WORKLOAD VARIANT CMD... - RUNS runs of a connrate command
rate() {
	local w=$1 v=$2 x
	shift 2
	echo "== $w: $v" >&2
	for _ in $(seq "$RUNS"); do
		x=$(timeout 300 "$@" 2>"$BUILD/$w.$v.err")
		if [ -z "$x" ]; then
			note "$v failed on $w (see $BUILD/$w.$v.err): left out"
			return
		fi
		record "$w" "$v" "$x"
	done
}

# the view loopback's iperf3 pair: server and client in one shell
cat >"$BUILD/loop.sh" <<'EOF'
# loop.sh PORT T TMPFILE - iperf3 -s and iperf3 -c 127.0.0.1 in this shell,
# the client's JSON on stdout.  iperf3 -J exits 0 even when it could not
# connect: the JSON says so ("error")
iperf3 -s -1 -p "$1" >/dev/null 2>&1 &
i=0
while [ $i -lt 50 ]; do
	iperf3 -c 127.0.0.1 -p "$1" -t "$2" -J >"$3" 2>/dev/null
	if ! grep -q '"error"' "$3"; then
		wait
		cat "$3"
		exit 0
	fi
	i=$((i + 1))
	sleep 0.1
done
kill $!
cat "$3"
exit 1
EOF

# --- the runs ----------------------------------------------------------------

for v in "${VARIANTS[@]}"; do
	wrap "$v" || continue
	# shellcheck disable=SC2086 # WRAP is a list of words
	iperf up "$v" $WRAP iperf3 -c "$HOST" -p "$IP" -t "$T" -J
	# shellcheck disable=SC2086
	iperf down "$v" $WRAP iperf3 -c "$HOST" -p "$IP" -t "$T" -R -J
	# shellcheck disable=SC2086
	rate connhost "$v" $WRAP "$CR" connect "$HOST" "$CP" "$CONNS"
done
iperf loop native sh "$BUILD/loop.sh" "$(free_port)" "$T" "$BUILD/loop.tmp"
iperf loop facet "$FACET" --net none -- sh "$BUILD/loop.sh" 5201 "$T" "$BUILD/loop.tmp"
rate connloop native "$CR" loop 127.0.0.1 "$CONNS"
rate connloop facet "$FACET" --net none -- "$CR" loop 127.0.0.1 "$CONNS"
rate connloop facet-nat "$FACET" --net nat -- "$CR" loop 127.0.0.1 "$CONNS"

# a virtual LAN: views on a vde_switch of our own, the client in one view,
# the servers in others (the "native" figures are the host's loopback)
lan_up() {
	if ! command -v vde_switch >/dev/null; then
		note "vde_switch (Debian package vde2) is not installed: no LAN rows"
		return 1
	fi
	if ! "$FACET" --net vde:/nonexistent -- true 2>&1 | grep -q "cannot plug"; then
		note "facet-netstack is not built (libvdeplug-dev): no LAN rows"
		return 1
	fi
	SW=$BUILD/switch
	rm -rf "$SW"
	vde_switch -s "$SW" -p "$SW.pid" -d >/dev/null 2>&1 || return 1
	PIDS+=("$(cat "$SW.pid")")
	"$FACET" --net vde:"$SW" --ip 10.9.0.2/24 -- iperf3 -s -p 5201 \
		>"$BUILD/lan-iperf3.log" 2>&1 &
	PIDS+=($!)
	rm -f "$BUILD/lan-connrate.port"
	"$FACET" --net vde:"$SW" --ip 10.9.0.4/24 -- "$CR" serve 0.0.0.0 \
		"$BUILD/lan-connrate.port" >"$BUILD/lan-connrate.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 50); do [ -s "$BUILD/lan-connrate.port" ] && break; sleep 0.1; done
	sleep 1
	LCP=$(cat "$BUILD/lan-connrate.port" 2>/dev/null)
	[ -n "$LCP" ]
}
if lan_up; then
	LAN="$FACET --net vde:$SW --ip 10.9.0.3/24 --"
	iperf lan native iperf3 -c 127.0.0.1 -p "$IP" -t "$T" -J
	# shellcheck disable=SC2086
	iperf lan facet $LAN iperf3 -c 10.9.0.2 -p 5201 -t "$T" -J
	# shellcheck disable=SC2086
	iperf lanrev facet $LAN iperf3 -c 10.9.0.2 -p 5201 -t "$T" -R -J
	iperf lanrev native iperf3 -c 127.0.0.1 -p "$IP" -t "$T" -R -J
	rate connlan native "$CR" connect 127.0.0.1 "$CP" "$CONNS"
	# shellcheck disable=SC2086
	rate connlan facet $LAN "$CR" connect 10.9.0.4 "$LCP" "$CONNS"
fi

echo "== startup" >&2
args=(--command-name native "true"
	--command-name facet-host "$FACET -- true"
	--command-name facet "$FACET --net none -- true"
	--command-name facet-nat "$FACET --net nat -- true")
[ -n "$PASTA" ] && args+=(--command-name pasta "$PASTA -- true")
hyperfine -N --warmup 3 --runs $((RUNS * 5)) --export-json "$BUILD/startup.json" \
	"${args[@]}" >"$BUILD/startup.log" 2>&1 ||
	note "hyperfine failed on startup (see $BUILD/startup.log)"
python3 - "$BUILD/startup.json" >>"$RES" <<'EOF'
import json, sys
try:
    for r in json.load(open(sys.argv[1]))["results"]:
        print("startup\t%s\t%.3f" % (r["command"], r["median"] * 1000))
except (OSError, ValueError, KeyError):
    pass
EOF

# --- the table ---------------------------------------------------------------

python3 - "$RES" "$RUNS" "$T" "$CONNS" <<'EOF'
import statistics, sys
res, runs, t, conns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
vals = {}
for line in open(res):
    w, v, x = line.rstrip("\n").split("\t")
    vals.setdefault((w, v), []).append(float(x))
rows = [("up", "tcp guest -> host, Gbit/s", True),
        ("down", "tcp host -> guest, Gbit/s", True),
        ("loop", "tcp view loopback, Gbit/s", True),
        ("connhost", "conn/s guest -> host", True),
        ("connloop", "conn/s view loopback", True),
        ("lan", "tcp view -> view LAN, Gbit/s", True),
        ("lanrev", "tcp view <- view LAN, Gbit/s", True),
        ("connlan", "conn/s view -> view LAN", True),
        ("startup", "startup (true), ms", False)]
cols = ["native", "facet", "facet-nat", "facet-host", "slirp4netns", "pasta", "pasta-splice"]
cols = [c for c in cols if any(k[1] == c for k in vals)]

def sig(x):
    return "%.3g" % x if x < 1000 else "%.0f" % x

print("\nmedians of %s runs (throughput: %s s each; %s connections); "
      "(ratio): native / variant for rates, variant / native for times, "
      "above 1 is slower" % (runs, t, conns))
print("%-28s" % "workload" + "".join("%-17s" % c for c in cols))
spread = False
for w, label, is_rate in rows:
    base = vals.get((w, "native"))
    base = statistics.median(base) if base else None
    cells = []
    for c in cols:
        xs = vals.get((w, c))
        if not xs:
            cells.append("-")
            continue
        m = statistics.median(xs)
        cell = sig(m)
        if c != "native" and base and m:
            cell += " (%sx)" % sig(base / m if is_rate else m / base)
        if len(xs) > 1 and (max(xs) - min(xs)) > 0.3 * m:
            cell += "*"
            spread = True
        cells.append(cell)
    print("%-28s" % label + "".join("%-17s" % x for x in cells))
print("facet: --net nat, except the loopback rows (--net none); facet-nat: "
      "the loopback under --net nat; facet-host: no --net")
print("pasta: to the default gateway; pasta-splice: pasta -T, to 127.0.0.1")
print("LAN rows: facet --net vde: views on one vde_switch (lwIP in each, "
      "MTU 1500); native: the host's loopback")
if spread:
    print("* max - min above 30% of the median: noisy, rerun on an idle machine")
EOF
echo
echo "JSON, logs and results.tsv: $BUILD"
