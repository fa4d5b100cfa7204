# SPDX-License-Identifier: GPL-2.0-or-later
# cases_lan.sh - integration cases for virtual LANs: --net vde:URL, --pcap
#
# Sourced by tests/integration.sh after cases_net.sh, whose helpers and
# scripts it uses (net_setup, net_serve, net_bad, net_check, host.py).
# Each case runs views on a vde_switch of its own, started unprivileged in
# the scratch directory: view A (10.1.0.2) serves with host.py (an HTTP
# server, a TCP server that tells each client its address, a UDP echo
# server, a DNS server), view B (10.1.0.3) is the client, with real programs
# (curl, dig) and lan.py below.  What the views must show is stated: each
# other's LAN addresses, never the host's loopback the relays use.
#
# Needs vde_switch (Debian: vde2) and facet-netstack (built by "make" when
# libvdeplug-dev and lwIP's source package are at hand): SKIP without.

LAND=
LAN_SW=

# lan_netstack - where facet finds facet-netstack, if anywhere
lan_netstack() {
	local d f
	d=$(dirname "$FACET")
	for f in "$d/facet-netstack" "$d/build/facet-netstack"; do
		[ -x "$f" ] && { echo "$f"; return 0; }
	done
	command -v facet-netstack
}

# lan_switch NAME - start a vde_switch in $LAND/NAME; LAN_SW is its path
lan_switch() {
	LAN_SW=$LAND/$1
	rm -rf "$LAN_SW"
	vde_switch -s "$LAN_SW" -p "$LAN_SW.pid" -d >/dev/null 2>&1 </dev/null || return 1
	for _ in $(seq 50); do
		[ -S "$LAN_SW/ctl" ] && return 0
		sleep 0.1
	done
	return 1
}

# lan_kill_switch - stop the switch of lan_switch
lan_kill_switch() {
	[ -s "$LAN_SW.pid" ] && kill "$(cat "$LAN_SW.pid")" 2>/dev/null
	rm -f "$LAN_SW.pid"
}

# lan_serve NAME IP MODE PORT [ARG] - run host.py MODE in a view at IP on
# the switch, in the background; wait until it listens
lan_serve() {
	local name=$1 ip=$2 pf=$LAND/$1.port
	shift 2
	rm -f "$pf"
	timeout 120 "$FACET" --net vde:"$LAN_SW" --ip "$ip"/24 -- \
		python3 "$NETD/host.py" "$pf" "$@" >"$LAND/$name.log" 2>&1 </dev/null &
	NET_PIDS+=($!)
	net_wait "$pf" 150
}

# lan_b NAME ARGS... - run ARGS in view B (10.1.0.3) on the switch; output
# in $LAND/NAME.out (stderr with it), status in $LAND/NAME.rc
lan_b() {
	local name=$1
	shift
	timeout 60 "$FACET" --net vde:"$LAN_SW" --ip 10.1.0.3/24 "$@" \
		>"$LAND/$name.out" 2>&1 </dev/null
	echo $? >"$LAND/$name.rc"
}

# lan_setup - the guest tool, in $LAND
lan_setup() {
	LAND=$SCR/lan
	rm -rf "$LAND"
	mkdir -p "$LAND" || exit 125
	chmod 755 "$LAND"
	# lan.py COMMAND ARGS... - the client side; prints what it saw, never
	# ports the kernel picked
	cat >"$LAND/lan.py" <<'EOF'
import errno, hashlib, select, socket, sys

def out(*a):
    print(*a, flush=True)

def err(e):
    return errno.errorcode.get(e.errno, str(e.errno)) if isinstance(e, OSError) and e.errno else type(e).__name__

cmd, a = sys.argv[1], sys.argv[2:]
if cmd == "tcp":		# HOST PORT: names on both ends, and what came back
    s = socket.create_connection((a[0], int(a[1])), timeout=10)
    out("sockname", s.getsockname()[0], "peername", "%s:%d" % s.getpeername()[:2])
    out("got", s.makefile().readline().strip())
elif cmd == "udp":		# HOST PORT: unconnected, then connected
    fam = socket.AF_INET6 if ":" in a[0] else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.sendto(b"one", (a[0], int(a[1])))
    d, peer = s.recvfrom(100)
    out("unconnected", d.decode(), "from", "%s:%d" % peer[:2])
    c = socket.socket(fam, socket.SOCK_DGRAM)
    c.settimeout(10)
    c.connect((a[0], int(a[1])))
    c.send(b"two")
    out("connected", c.recv(100).decode(), "sockname", c.getsockname()[0],
        "peername", "%s:%d" % c.getpeername()[:2])
elif cmd == "refused":		# HOST PORT: blocking, then non-blocking
    try:
        socket.create_connection((a[0], int(a[1])))
        out("blocking: connected")
    except OSError as e:
        out("blocking:", err(e))
    s = socket.socket()
    s.setblocking(False)
    out("non-blocking:", errno.errorcode.get(s.connect_ex((a[0], int(a[1]))), "0"))
    r, w, x = select.select([], [s], [], 10)
    out("then writable" if w else "then nothing",
        errno.errorcode.get(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), "0"))
elif cmd == "nonblock":		# HOST PORT: EINPROGRESS, not writable at once
    s = socket.socket()
    s.setblocking(False)
    out("connect:", errno.errorcode.get(s.connect_ex((a[0], int(a[1]))), "0"))
    r, w, x = select.select([], [s], [], 10)
    out("writable" if w else "not writable",
        errno.errorcode.get(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), "0"),
        "peer", s.getpeername()[0])
    s.setblocking(True)
    out("got", s.makefile().readline().strip())
elif cmd == "unreach":		# ADDR...: each connect's error
    for h in a:
        fam = socket.AF_INET6 if ":" in h else socket.AF_INET
        try:
            s = socket.socket(fam)
            s.settimeout(5)
            s.connect((h, 80))
            out(h, "connected")
        except OSError as e:
            out(h, err(e))
elif cmd == "bulk":		# HOST PORT MIB: send MIB MiB, read the digest back
    n = int(a[2]) << 20
    s = socket.create_connection((a[0], int(a[1])), timeout=60)
    h, chunk, sent = hashlib.sha256(), bytes(range(256)) * 256, 0
    while sent < n:
        s.sendall(chunk)
        h.update(chunk)
        sent += len(chunk)
    s.shutdown(socket.SHUT_WR)
    back = s.makefile().read().strip()
    out("digest", "same" if back == h.hexdigest() else "differs: " + back)
elif cmd == "sink":		# PORTFILE: listen on 9000; digest each stream
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("", 9000))
    l.listen(4)
    open(a[0], "w").write("9000\n")
    while True:
        c, peer = l.accept()
        h = hashlib.sha256()
        while True:
            d = c.recv(1 << 16)
            if not d:
                break
            h.update(d)
        c.sendall(h.hexdigest().encode() + b"\n")
        c.close()
elif cmd == "pcap":		# FILE: frames, and what they carried
    import struct
    b = open(a[0], "rb").read()
    magic, _, _, _, _, _, link = struct.unpack("<IHHiIII", b[:24])
    i, frames, seen = 24, 0, set()
    while i + 16 <= len(b):
        caplen = struct.unpack("<IIII", b[i:i + 16])[2]
        f = b[i + 16:i + 16 + caplen]
        i += 16 + caplen
        frames += 1
        if len(f) >= 34 and f[12:14] == b"\x08\x00" and f[23] == 6:
            src, dst = socket.inet_ntoa(f[26:30]), socket.inet_ntoa(f[30:34])
            ihl = (f[14] & 15) * 4
            sp, dp = struct.unpack("!HH", f[14 + ihl:18 + ihl])
            seen.add("tcp %s -> %s:%d" % (src, dst, dp) if dp == 80 else
                     "tcp %s:%d -> %s" % (src, sp, dst))
        if len(f) >= 14 and f[12:14] == b"\x08\x06":
            seen.add("arp")
    out("magic %x link %d frames>2 %s" % (magic, link, frames > 2))
    for x in sorted(seen):
        out(x)
EOF
}

# --- cases -------------------------------------------------------------------

cases_lan_usage() {
	net_bad lan-bad-switch --net vde:"$LAND/no-such-switch"
	net_bad lan-empty-url --net vde:
	net_bad lan-gateway-off-net --net vde:"$LAN_SW" --ip 10.1.0.5/24 --gateway 10.9.0.1
	net_bad lan-pcap-nat --net nat --pcap "$LAND/x.pcap"
	net_bad lan-pcap-dir --net vde:"$LAN_SW" --pcap "$LAND/no/such/dir/x.pcap"
	net_bad lan-publish --net vde:"$LAN_SW" -p 18081:80
}

cases_lan_tcp() {
	if ! lan_serve tcp 10.1.0.2 tcp 0.0.0.0 7 server-a; then
		fail lan-tcp "view A's server did not start" "$(cat "$LAND/tcp.log")"
		return
	fi
	lan_b tcp -- python3 "$LAND/lan.py" tcp 10.1.0.2 7
	net_check lan-tcp "a connection between two views" "$LAND/tcp.out" \
		'^sockname 10\.1\.0\.3 peername 10\.1\.0\.2:7$' '^got server-a peer=10\.1\.0\.3$'
	net_check lan-tcp-server-side "what view A saw" "$LAND/tcp.log" '^client 10\.1\.0\.3$' \
		'!127\.0\.0\.1'
	# the view's connection is the LAN's, not the host's: 127.0.0.1 is
	# view B's own loopback, where nothing listens on port 7
	lan_b tcp-loopback -- python3 "$LAND/lan.py" refused 127.0.0.1 7
	net_check lan-loopback-own "view B's loopback reached view A" "$LAND/tcp-loopback.out" \
		'^blocking: ECONNREFUSED$' '^non-blocking: EINPROGRESS$' \
		'^then writable ECONNREFUSED$'
	# non-blocking: EINPROGRESS, then writable with SO_ERROR 0
	lan_b tcp-nb -- python3 "$LAND/lan.py" nonblock 10.1.0.2 7
	net_check lan-tcp-nonblocking "a non-blocking connect" "$LAND/tcp-nb.out" \
		'^connect: EINPROGRESS$' '^writable 0 peer 10\.1\.0\.2$' \
		'^got server-a peer=10\.1\.0\.3$'
	net_stop
}

cases_lan_http() {
	local d=$NETD/www
	have lan-http curl || return
	rm -f "$LAND/http.port"
	( cd "$d" && exec timeout 120 "$FACET" --net vde:"$LAN_SW" --ip 10.1.0.2/24 -- \
		python3 -c 'import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): print("client", self.client_address[0], flush=True)
s = http.server.HTTPServer(("", 80), H)
open(sys.argv[1], "w").write("80\n")
s.serve_forever()' "$LAND/http.port" >"$LAND/http.log" 2>&1 </dev/null ) &
	NET_PIDS+=($!)
	if ! net_wait "$LAND/http.port" 150; then
		fail lan-http "view A's HTTP server did not start" "$(cat "$LAND/http.log")"
		return
	fi
	lan_b http -- curl -sS --max-time 20 http://10.1.0.2/hello.txt
	net_check lan-http "curl from view B" "$LAND/http.out" '^hello from the host$'
	net_check lan-http-client "view A's log" "$LAND/http.log" '^client 10\.1\.0\.3$'
	# a bigger body both ways through the relays: 16 MiB up, checked by
	# digest at the other end
	rm -f "$LAND/sink.port"
	timeout 120 "$FACET" --net vde:"$LAN_SW" --ip 10.1.0.4/24 -- \
		python3 "$LAND/lan.py" sink "$LAND/sink.port" >"$LAND/sink.log" 2>&1 </dev/null &
	NET_PIDS+=($!)
	if net_wait "$LAND/sink.port" 150; then
		lan_b bulk -- python3 "$LAND/lan.py" bulk 10.1.0.4 9000 16
		net_check lan-bulk "16 MiB through the LAN" "$LAND/bulk.out" '^digest same$'
	else
		fail lan-bulk "the sink did not start" "$(cat "$LAND/sink.log")"
	fi
	net_stop
}

cases_lan_udp() {
	if ! lan_serve udp 10.1.0.2 udp 0.0.0.0 5353; then
		fail lan-udp "view A's UDP server did not start" "$(cat "$LAND/udp.log")"
		return
	fi
	lan_b udp -- python3 "$LAND/lan.py" udp 10.1.0.2 5353
	net_check lan-udp "datagrams between two views" "$LAND/udp.out" \
		'^unconnected echo:one from 10\.1\.0\.2:5353$' \
		'^connected echo:two sockname 10\.1\.0\.3 peername 10\.1\.0\.2:5353$'
	net_check lan-udp-server-side "what view A saw" "$LAND/udp.log" \
		'^from 10\.1\.0\.3 one$' '^from 10\.1\.0\.3 two$'
	net_stop
	# DNS on the LAN: dig and the resolver of view B (--dns) ask view A
	if ! lan_serve dns 10.1.0.2 dns 0.0.0.0 53; then
		fail lan-dns "view A's DNS server did not start" "$(cat "$LAND/dns.log")"
		return
	fi
	if have lan-dig dig; then
		lan_b dig -- dig +short +time=5 +tries=1 @10.1.0.2 facet.test A
		net_check lan-dig "dig from view B" "$LAND/dig.out" '^192\.0\.2\.7$'
		lan_b dig-tcp -- dig +tcp +short +time=5 +tries=1 @10.1.0.2 facet.test A
		net_check lan-dig-tcp "dig +tcp from view B" "$LAND/dig-tcp.out" '^192\.0\.2\.7$'
	fi
	lan_b getent --dns 10.1.0.2 -- sh -c 'cat /etc/resolv.conf; getent ahostsv4 facet.test'
	net_check lan-resolver "getent through --dns on the LAN" "$LAND/getent.out" \
		'^nameserver 10\.1\.0\.2$' '^192\.0\.2\.7 +STREAM facet\.test$'
	net_stop
}

cases_lan_ipv6() {
	# IPv6 between two views: each has fd00::a.b.c.d from its IPv4 address
	if ! lan_serve tcp6 10.1.0.2 tcp :: 7 server-a6; then
		fail lan-tcp6 "view A's server did not start" "$(cat "$LAND/tcp6.log")"
		return
	fi
	lan_b tcp6 -- python3 "$LAND/lan.py" tcp fd00::a01:2 7
	net_check lan-tcp6 "IPv6 TCP between two views" "$LAND/tcp6.out" \
		'^sockname fd00::a01:3 peername fd00::a01:2:7$' '^got server-a6 peer=fd00::a01:3$'
	net_stop
	if ! lan_serve udp6 10.1.0.2 udp :: 5353; then
		fail lan-udp6 "view A's UDP server did not start" "$(cat "$LAND/udp6.log")"
		return
	fi
	lan_b udp6 -- python3 "$LAND/lan.py" udp fd00::a01:2 5353
	net_check lan-udp6 "IPv6 datagrams between two views" "$LAND/udp6.out" \
		'^unconnected echo:one from fd00::a01:2:5353$' \
		'^connected echo:two sockname fd00::a01:3 peername fd00::a01:2:5353$'
	net_stop
}

cases_lan_unreach() {
	lan_b unreach -- python3 "$LAND/lan.py" unreach 192.0.2.1 2001:db8::1 10.1.0.99
	# no gateway: off the subnet is unreachable at once; an address on
	# the subnet that nobody has times out or is unreachable, as on a
	# real LAN
	net_check lan-unreachable "destinations off the LAN" "$LAND/unreach.out" \
		'^192\.0\.2\.1 ENETUNREACH$' '^2001:db8::1 ENETUNREACH$' \
		'^10\.1\.0\.99 (ETIMEDOUT|EHOSTUNREACH|TimeoutError)$'
}

cases_lan_ifaces() {
	have lan-ip ip || return
	lan_b ip -- sh -c 'ip -4 -o addr show; ip route; ip -o link show eth0'
	net_check lan-ip "ip in view B" "$LAND/ip.out" \
		'^2: eth0 +inet 10\.1\.0\.3/24 brd 10\.1\.0\.255 ' \
		'^10\.1\.0\.0/24 dev eth0 proto kernel scope link src 10\.1\.0\.3' \
		'link/ether 02:fa:0a:01:00:03 ' '!^default'
	lan_b ip-gw --gateway 10.1.0.1 -- ip route
	net_check lan-ip-gateway "--gateway" "$LAND/ip-gw.out" '^default via 10\.1\.0\.1 dev eth0'
}

cases_lan_pcap() {
	if ! lan_serve pcap 10.1.0.2 tcp 0.0.0.0 80 pcap-server; then
		fail lan-pcap "view A's server did not start" "$(cat "$LAND/pcap.log")"
		return
	fi
	rm -f "$LAND/b.pcap"
	lan_b pcap-run --pcap "$LAND/b.pcap" -- python3 "$LAND/lan.py" tcp 10.1.0.2 80
	python3 "$LAND/lan.py" pcap "$LAND/b.pcap" >"$LAND/pcap.out" 2>&1
	cat "$LAND/pcap-run.out" >>"$LAND/pcap.out"
	net_check lan-pcap "the capture of view B's frames" "$LAND/pcap.out" \
		'^magic a1b2c3d4 link 1 frames>2 True$' '^arp$' \
		'^tcp 10\.1\.0\.3 -> 10\.1\.0\.2:80$' '^tcp 10\.1\.0\.2:80 -> 10\.1\.0\.3$' \
		'^got pcap-server peer=10\.1\.0\.3$'
	# and tcpdump reads it as a capture of those frames
	if have lan-pcap-tcpdump tcpdump; then
		tcpdump -nr "$LAND/b.pcap" >"$LAND/tcpdump.out" 2>&1
		net_check lan-pcap-tcpdump "tcpdump -r of the capture" "$LAND/tcpdump.out" \
			'link-type EN10MB' 'ARP, Reply 10\.1\.0\.2 is-at 02:fa:0a:01:00:02' \
			'IP 10\.1\.0\.3\.[0-9]+ > 10\.1\.0\.2\.80: Flags \[S\]' \
			'IP 10\.1\.0\.2\.80 > 10\.1\.0\.3\.[0-9]+: Flags \[S\.\]'
	fi
	net_stop
}

cases_lan_kernel() {
	# the LAN's other end is the Linux kernel's own stack (as a VM's would
	# be): a tap device in a network namespace of its own, plugged into
	# the switch by vde_plug2tap, at 10.1.0.1; root only
	if [ "$(id -u)" != 0 ]; then
		skip lan-kernel-peer "a tap device needs root"
		return
	fi
	if ! command -v vde_plug2tap >/dev/null || [ ! -c /dev/net/tun ] ||
	   ! unshare -n true 2>/dev/null; then
		skip lan-kernel-peer "no vde_plug2tap, /dev/net/tun or network namespaces here"
		return
	fi
	if ! lan_serve kernel 10.1.0.2 tcp 0.0.0.0 7 view-a; then
		fail lan-kernel-peer "view A's server did not start" "$(cat "$LAND/kernel.log")"
		return
	fi
	cat >"$LAND/kpeer.py" <<'EOF'
# kpeer.py SWITCH FACET LAN.PY - in a new network namespace: a tap at
# 10.1.0.1 on the switch; the kernel connects to view A, then view B
# (10.1.0.3) connects to a kernel server
import os, socket, subprocess, sys, time
sw, facet, lan = sys.argv[1:4]
for cmd in ("ip link set lo up", "ip tuntap add dev ftap0 mode tap",
            "ip addr add 10.1.0.1/24 dev ftap0", "ip link set ftap0 up"):
    subprocess.run(cmd.split(), check=True)
plug = subprocess.Popen(["vde_plug2tap", "-s", sw, "ftap0"])
time.sleep(0.5)
subprocess.run(["python3", lan, "tcp", "10.1.0.2", "7"])
l = socket.socket()
l.bind(("10.1.0.1", 8000))
l.listen()
# view B's output after ours: two writers on one file interleave
b = subprocess.Popen([facet, "--net", "vde:" + sw, "--ip", "10.1.0.3/24", "--",
                      "python3", lan, "tcp", "10.1.0.1", "8000"],
                     stdout=subprocess.PIPE)
l.settimeout(20)
c, a = l.accept()
print("kernel accepted", a[0], flush=True)
c.sendall(b"kernel-peer\n")
c.close()
sys.stdout.write(b.communicate()[0].decode())
plug.kill()
EOF
	timeout 60 unshare -n python3 "$LAND/kpeer.py" "$LAN_SW" "$FACET" "$LAND/lan.py" \
		>"$LAND/kpeer.out" 2>&1 </dev/null
	cat "$LAND/kernel.log" >>"$LAND/kpeer.out"
	net_check lan-kernel-peer "the kernel's stack on the LAN" "$LAND/kpeer.out" \
		'^sockname 10\.1\.0\.1 peername 10\.1\.0\.2:7$' '^got view-a peer=10\.1\.0\.1$' \
		'^kernel accepted 10\.1\.0\.3$' '^sockname 10\.1\.0\.3 peername 10\.1\.0\.1:8000$' \
		'^got kernel-peer$' '^client 10\.1\.0\.1$'
	net_stop
}

cases_lan_gone() {
	# the switch goes away under a running view: ENETDOWN, one message
	lan_switch gone || { fail lan-switch-gone "vde_switch did not start"; return; }
	timeout 60 "$FACET" --net vde:"$LAN_SW" --ip 10.1.0.3/24 -- sh -c \
		'sleep 3; python3 "$0" unreach 10.1.0.2' \
		"$LAND/lan.py" >"$LAND/gone.out" 2>&1 </dev/null &
	local p=$!
	sleep 1
	lan_kill_switch
	wait "$p"
	echo "status $?" >>"$LAND/gone.out"
	net_check lan-switch-gone "the switch went away" "$LAND/gone.out" \
		'^10\.1\.0\.2 ENETDOWN$' 'the switch went away' '^status 0$'
}

cases_lan() {
	[ -n "$NETD" ] || net_setup
	lan_setup
	if ! command -v vde_switch >/dev/null; then
		skip lan "vde_switch is not installed (Debian: vde2)"
		return
	fi
	if ! lan_netstack >/dev/null; then
		skip lan "facet-netstack was not built ($(cat "$TOP/build/netstack.built" 2>/dev/null || echo 'make'))"
		return
	fi
	if ! lan_switch sw; then
		fail lan "vde_switch does not start"
		return
	fi
	cases_lan_usage
	cases_lan_tcp
	cases_lan_http
	cases_lan_udp
	cases_lan_ipv6
	cases_lan_unreach
	cases_lan_ifaces
	cases_lan_pcap
	cases_lan_kernel
	lan_kill_switch
	cases_lan_gone
}
