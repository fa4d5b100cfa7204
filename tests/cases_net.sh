# SPDX-License-Identifier: GPL-2.0-or-later
# cases_net.sh - integration cases for the network views: --net none|nat,
# --ip, --gateway, --dns, --dns-forward, -p/--publish
#
# Sourced by tests/integration.sh, which calls cases_net from its scratch
# directory ($SCR/w) with its helpers (compare, expect, check, skip, run,
# summary, pass, fail) and variables ($FACET, $SCR, $BT, $PREFIX).
#
# The host side of each case is a small server of ours on the host's
# loopback (python3: an HTTP server, a TCP server that tells each client the
# address it came from, a UDP echo server, a DNS server answering A for
# facet.test with 192.0.2.7), started on a port the kernel picks, killed at
# the end.  The guest side is tool.py (below) or tests/progs/netblock.c and
# netif.c, which print only what does not depend on ports or timing.  Where
# a native run means something (in-view loopback, blocking and non-blocking
# calls) it is compared with the view; elsewhere the case states what the
# view must show: 10.0.2.15 for itself, 10.0.2.2 for the host, 127.0.0.1
# for its own loopback, never the host's real addresses.  Servers in the
# view listen on fixed view ports; they must never be reachable from the
# host there.

NETD=
NET_PIDS=()
NET_HOST4=()	# the host's IPv4 addresses other than 127.0.0.1
NET_HOST6=()	# its IPv6 addresses other than ::1

# --- helpers -----------------------------------------------------------------

# net_free_port [tcp|udp|both] - a port free on the host (both protocols
# by default), as the kernel picks it
net_free_port() {
	python3 - "${1:-both}" <<'EOF'
import socket, sys
while True:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", p))
        if sys.argv[1] != "udp":
            break
        s.close()
        print(p)
        sys.exit(0)
    except OSError:
        continue
print(p)
EOF
}

# net_serve NAME MODE ADDR PORT [ARG] - run host.py MODE on the host in the
# background (at most 300 s), its output in $NETD/NAME.log; wait for it to
# listen and set NET_PORT to its port.  False if it did not start.
net_serve() {
	local name=$1 pf=$NETD/$1.port
	shift
	rm -f "$pf"
	timeout 300 python3 "$NETD/host.py" "$pf" "$@" >"$NETD/$name.log" \
		2>&1 </dev/null &
	NET_PIDS+=($!)
	for _ in $(seq 100); do
		[ -s "$pf" ] && break
		sleep 0.1
	done
	NET_PORT=$(cat "$pf" 2>/dev/null)
	[ -n "$NET_PORT" ]
}

# net_poll_http PORT - curl http://127.0.0.1:PORT/hello.txt until it
# answers (20 s at most); print what it got
net_poll_http() {
	local got _
	for _ in $(seq 100); do
		got=$(curl -sS --noproxy '*' --max-time 2 "http://127.0.0.1:$1/hello.txt" 2>/dev/null) &&
			[ -n "$got" ] && break
		sleep 0.2
	done
	echo "$got"
}

# net_wait FILE [TENTHS] - wait up to TENTHS/10 s (default 20 s) for FILE
net_wait() {
	local _
	for _ in $(seq "${2:-200}"); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# net_stop - kill the host servers
net_stop() {
	local p
	for p in "${NET_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	NET_PIDS=()
}

# net_bad NAME FACET ARGS... - facet refuses ARGS before running the
# command: status 125, nothing on stdout, one "facet: " line on stderr
# (a second one may only be getopt's "Try 'facet --help'")
net_bad() {
	local name=$1 b=$SCR/case why=
	shift
	run "$b.facet" "$FACET" "$@" -- sh -c 'echo the command ran'
	if [ "$(cat "$b.facet.rc")" != 125 ]; then
		why="status $(cat "$b.facet.rc"), expected 125"
	elif [ -s "$b.facet.out" ]; then
		why="the command ran or facet wrote to stdout"
	elif ! head -n1 "$b.facet.err" | grep -q '^facet: '; then
		why="no 'facet: ' message first"
	elif [ "$(grep -vc '^Try ' "$b.facet.err")" != 1 ]; then
		why="not one message line"
	fi
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why" "$(summary "$b.facet")"
	fi
}

# net_check NAME WHY FILE WANT... - pass if FILE has a line matching each
# extended regex WANT; a WANT of "!RE" means no line may match RE
net_check() {
	local name=$1 why=$2 f=$3 re miss=
	shift 3
	for re in "$@"; do
		if [ "${re:0:1}" = "!" ]; then
			grep -Eq -- "${re:1}" "$f" && miss+="unwanted /${re:1}/ "
		else
			grep -Eq -- "$re" "$f" || miss+="missing /$re/ "
		fi
	done
	if [ -z "$miss" ]; then
		pass "$name"
	else
		fail "$name" "$why: $miss" "$(cat "$f")"
	fi
}

# net_setup - the scripts, in $NETD
net_setup() {
	NETD=$SCR/net
	rm -rf "$NETD"
	mkdir -p "$NETD/www" || exit 125
	echo "hello from the host" >"$NETD/www/hello.txt"
	mkdir -p "$NETD/gwww"
	echo "hello from the guest" >"$NETD/gwww/hello.txt"
	mapfile -t NET_HOST4 < <(ip -4 -o addr show 2>/dev/null |
		awk '{ sub("/.*", "", $4); if ($4 != "127.0.0.1") print $4 }')
	mapfile -t NET_HOST6 < <(ip -6 -o addr show 2>/dev/null |
		awk '{ sub("/.*", "", $4); if ($4 != "::1") print $4 }')

	# host.py PORTFILE MODE ADDR PORT [ARG] - a server on the host, on
	# ADDR:PORT (PORT 0: the kernel picks), its port written to PORTFILE
	# once it is ready; one line per client on stdout
	#   tcp		sends "ARG peer=ADDRESS" (the client's address) and closes
	#   udp		echoes "echo:DATA" to each datagram
	#   dns		answers A facet.test with 192.0.2.7 (NOERROR and no
	#		answer for other types, NXDOMAIN for other names), over
	#		UDP and over TCP on the same port
	cat >"$NETD/host.py" <<'EOF'
import os, socket, struct, sys

pf, mode, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
arg = sys.argv[5] if len(sys.argv) > 5 else ""
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
typ = socket.SOCK_STREAM if mode == "tcp" else socket.SOCK_DGRAM
# dns: a TCP socket on the UDP one's port; a port the kernel picks for
# UDP may be taken for TCP: then another
for attempt in range(50):
    s = socket.socket(fam, typ)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    if mode != "dns":
        break
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        t.bind((addr, s.getsockname()[1]))
        break
    except OSError:
        if port:
            raise
        s.close()
        t.close()
if mode == "tcp":
    s.listen(16)

def log(*a):
    print(*a, flush=True)

def dns(q):
    tid, flags = struct.unpack("!HH", q[:4])
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode().lower())
        i += 1 + q[i]
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    name, question = ".".join(labels), q[12:i + 5]
    log("query", name, qtype)
    ans, an, rcode = b"", 0, 0
    if name != "facet.test":
        rcode = 3
    elif qtype == 1:
        ans = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 7])
        an = 1
    hdr = struct.pack("!HHHHHH", tid, 0x8480 | (flags & 0x0100) | rcode, 1, an, 0, 0)
    return hdr + question + ans

def dns_tcp(t):
    while True:
        c, peer = t.accept()
        try:
            c.settimeout(5)
            n = struct.unpack("!H", c.recv(2, socket.MSG_WAITALL))[0]
            r = dns(c.recv(n, socket.MSG_WAITALL))
            log("(over tcp)")
            c.sendall(struct.pack("!H", len(r)) + r)
        except (OSError, IndexError, struct.error, UnicodeError):
            log("bad tcp query")
        c.close()

if mode == "dns":
    import threading
    t.listen(8)
    threading.Thread(target=dns_tcp, args=(t,), daemon=True).start()
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(pf + ".tmp", pf)

while True:
    if mode == "tcp":
        c, peer = s.accept()
        log("client", peer[0])
        try:
            c.sendall(("%s peer=%s\n" % (arg, peer[0])).encode())
        except OSError:
            pass
        c.close()
    else:
        data, peer = s.recvfrom(4096)
        if mode == "udp":
            log("from", peer[0], data.decode(errors="replace"))
            s.sendto(b"echo:" + data, peer)
        else:
            try:
                s.sendto(dns(data), peer)
            except (IndexError, struct.error, UnicodeError):
                log("bad query")
EOF

	# tool.py COMMAND ARGS... - the guest side (natively too); prints only
	# what does not depend on ports or timing
	cat >"$NETD/tool.py" <<'EOF'
import errno, os, select, socket, struct, sys, time

def out(*a):
    print(*a, flush=True)

def ename(e):
    if isinstance(e, socket.timeout):
        return "timeout"
    return errno.errorcode.get(e.errno, str(e.errno)) if e.errno else str(e)

def fam(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET

def pname(p, want):
    return "PORT" if p == want else ("port>0" if p else "port 0")

def connect(host, port):
    """TCP connect (20 s at most), print what the server sent and the
    addresses, or the error and whether it came at once (< 3 s)"""
    port = int(port)
    s = socket.socket(fam(host), socket.SOCK_STREAM)
    s.settimeout(20)
    t = time.monotonic()
    try:
        s.connect((host, port))
    except OSError as e:
        out("error", ename(e), "fast" if time.monotonic() - t < 3 else "slow")
        return
    me, peer = s.getsockname(), s.getpeername()
    s.settimeout(5)
    data = b""
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
    except OSError as e:
        out("recv", ename(e))
    out("received", data.decode().strip())
    out("sockname", me[0], pname(me[1], -1))
    out("peername", peer[0], pname(peer[1], port))

def bconnect(host, port):
    """bind to the wildcard address, port 0, then connect (as dig, ssh
    -b, curl --interface do), TCP and UDP"""
    for typ, name in ((socket.SOCK_STREAM, "tcp"), (socket.SOCK_DGRAM, "udp")):
        s = socket.socket(fam(host), typ)
        s.settimeout(10)
        s.bind(("::" if ":" in host else "0.0.0.0", 0))
        try:
            s.connect((host, int(port)))
            out(name, "bound, then connected")
        except OSError as e:
            out(name, "bound, then", ename(e))

def udp(host, port, connected=""):
    """send "ping" to HOST:PORT, print the reply and its source (2 s)"""
    port = int(port)
    s = socket.socket(fam(host), socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        if connected:
            s.connect((host, port))
            s.send(b"ping")
            me, peer = s.getsockname(), s.getpeername()
            out("sockname", me[0], pname(me[1], -1))
            out("peername", peer[0], pname(peer[1], port))
        else:
            s.sendto(b"ping", (host, port))
    except OSError as e:
        out("send error", ename(e))
        return
    try:
        data, frm = s.recvfrom(100)
        out("reply", data.decode(), "from", frm[0], pname(frm[1], port))
    except socket.timeout:
        out("no reply")
    except OSError as e:
        out("recv error", ename(e))

def loop(proto, addr, port):
    """a server and a client on ADDR:PORT in this process"""
    port, f = int(port), fam(addr)
    if proto == "tcp":
        l = socket.socket(f, socket.SOCK_STREAM)
        l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind((addr, port))
        l.listen()
        c = socket.socket(f, socket.SOCK_STREAM)
        c.connect((addr, port))
        a, peer = l.accept()
        c.sendall(b"hello")
        got = a.recv(10)
        a.sendall(b"world")
        back = c.recv(10)
        cs, cp, ls, as_ = c.getsockname(), c.getpeername(), l.getsockname(), a.getsockname()
        out("tcp %s: listener %s %s" % (addr, ls[0], pname(ls[1], port)))
        out("  client %s -> %s %s" % (cs[0], cp[0], pname(cp[1], port)))
        out("  accepted %s %s from %s, %s" % (as_[0], pname(as_[1], port), peer[0],
            "the client's port" if peer[1] == cs[1] else "NOT the client's port"))
        out("  data", got.decode(), back.decode())
    else:
        srv = socket.socket(f, socket.SOCK_DGRAM)
        srv.bind((addr, port))
        cli = socket.socket(f, socket.SOCK_DGRAM)
        cli.settimeout(5)
        srv.settimeout(5)
        cli.sendto(b"hello", (addr, port))
        data, frm = srv.recvfrom(100)
        srv.sendto(b"world", frm)
        back, frm2 = cli.recvfrom(100)
        cs, ss = cli.getsockname(), srv.getsockname()
        out("udp %s: server %s %s" % (addr, ss[0], pname(ss[1], port)))
        out("  from %s, %s" % (frm[0], "the client's port" if frm[1] == cs[1] else "NOT the client's port"))
        out("  reply from %s %s" % (frm2[0], pname(frm2[1], port)))
        out("  data", data.decode(), back.decode())

def dual(dst, port):
    """a dual-stack listener on [::]:PORT and a client of DST: the
    addresses each end sees"""
    port = int(port)
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("::", port))
    l.listen()
    c = socket.create_connection((dst, port), timeout=10)
    a, peer = l.accept()
    cs = c.getsockname()
    out("accepted from %s to %s, %s; client %s -> %s %s" % (peer[0],
        a.getsockname()[0], "the client's port" if peer[1] == cs[1] else
        "NOT the client's port", cs[0], c.getpeername()[0],
        pname(c.getpeername()[1], port)))

def hold(port, ready, done):
    """listen on TCP and UDP 0.0.0.0:PORT until the file DONE exists (30 s
    at most), print what came"""
    port = int(port)
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("0.0.0.0", port))
    t.listen()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", port))
    open(ready, "w").close()
    got, end = [], time.monotonic() + 30
    while not os.path.exists(done) and time.monotonic() < end:
        r, _, _ = select.select([t, u], [], [], 0.1)
        if t in r:
            c, p = t.accept()
            got.append("tcp connection from " + p[0])
            c.close()
        if u in r:
            d, p = u.recvfrom(100)
            got.append("udp datagram from " + p[0])
    out("port %d in the view got: %s" % (port, ", ".join(got) or "nothing"))

def view2(port, me, other, dirn):
    """a server on the view's PORT; once the other view listens too, a
    client of the same view connects to 127.0.0.1:PORT and is answered
    by its own view's server"""
    port = int(port)
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("0.0.0.0", port))
    l.listen()
    open(os.path.join(dirn, "up." + me), "w").close()
    end = time.monotonic() + 20
    while not os.path.exists(os.path.join(dirn, "up." + other)):
        if time.monotonic() > end:
            out("the other view never listened")
            return
        time.sleep(0.05)
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    a, _ = l.accept()
    a.sendall(("view " + me).encode())
    a.close()
    out("view %s listens on %d and its client got: %s" % (me, port, c.recv(100).decode()))
    open(os.path.join(dirn, "done." + me), "w").close()
    while not os.path.exists(os.path.join(dirn, "done." + other)):
        if time.monotonic() > end:
            break
        time.sleep(0.05)

def bind80():
    """a server on port 80 and a client of it"""
    try:
        l = socket.socket()
        l.bind(("0.0.0.0", 80))
        l.listen()
        c = socket.create_connection(("127.0.0.1", 80), timeout=5)
        a, peer = l.accept()
        out("port 80: listening, connected, accepted from", peer[0],
            "sockname port", l.getsockname()[1])
    except OSError as e:
        out("port 80:", ename(e))

def ifaces():
    out(socket.if_nameindex())

def resolve(name):
    try:
        a = sorted({ai[4][0] for ai in socket.getaddrinfo(name, 80, socket.AF_INET, socket.SOCK_STREAM)})
        out("getaddrinfo AF_INET", *a)
        a = sorted({ai[4][0] for ai in socket.getaddrinfo(name, 80, 0, socket.SOCK_STREAM)})
        out("getaddrinfo AF_UNSPEC", *a)
        out("gethostbyname", socket.gethostbyname(name))
    except socket.gaierror as e:
        out("gaierror", e.args[1])

def dnsq(server, name, tcp=""):
    """a DNS query of our own to SERVER:53, the answer and its source;
    over TCP from a socket bound first (as dig and BIND's tools do)"""
    q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    q += struct.pack("!HH", 1, 1)
    s = socket.socket(fam(server), socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    s.settimeout(5)
    try:
        if tcp:
            s.bind(("::" if ":" in server else "0.0.0.0", 0))
            s.connect((server, 53))
            s.sendall(struct.pack("!H", len(q)) + q)
            n = struct.unpack("!H", s.recv(2, socket.MSG_WAITALL))[0]
            r, frm = s.recv(n, socket.MSG_WAITALL), s.getpeername()
        else:
            s.sendto(q, (server, 53))
            r, frm = s.recvfrom(512)
    except (OSError, struct.error) as e:
        out("dns error", ename(e) if isinstance(e, OSError) else "short reply")
        return
    tid, flags, qd, an = struct.unpack("!HHHH", r[:8])
    a = socket.inet_ntoa(r[-4:]) if an else "no answer"
    out("answer %s rcode %d id %s from %s %s" % (a, flags & 15,
        "ok" if tid == 0x1234 else "WRONG", frm[0], pname(frm[1], 53)))

def epoll(n):
    """N round trips over the loopback, with epoll and read/write"""
    n = int(n)
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen()
    c = socket.create_connection(l.getsockname())
    a, _ = l.accept()
    ep = select.epoll()
    ep.register(a.fileno(), select.EPOLLIN)
    ep.register(c.fileno(), select.EPOLLIN)
    ok = 0
    for i in range(n):
        os.write(c.fileno(), b"x%d" % i)
        ep.poll(5)
        d = os.read(a.fileno(), 100)
        os.write(a.fileno(), d)
        ep.poll(5)
        ok += os.read(c.fileno(), 100) == d
    out("epoll: %d of %d round trips" % (ok, n))

def serve_udp(port, ready):
    """answer one datagram on the view's UDP PORT, print its source"""
    port = int(port)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", port))
    u.settimeout(30)
    open(ready, "w").close()
    d, p = u.recvfrom(100)
    u.sendto(b"guest:" + d, p)
    out("udp from", p[0], "data", d.decode())

def serve_http(port, dirn, done):
    """http.server on the view's PORT serving DIR until the file DONE
    exists (30 s at most); each request also prints the client's address
    and the local address it came to"""
    import http.server, socketserver, functools
    class H(http.server.SimpleHTTPRequestHandler):
        def log_message(self, fmt, *a):
            super().log_message(fmt, *a)
            me = self.connection.getsockname()
            out("client %s to %s %s: %s" % (self.client_address[0], me[0],
                pname(me[1], int(port)), self.requestline))
    socketserver.TCPServer.allow_reuse_address = True
    srv = socketserver.TCPServer(("", int(port)), functools.partial(H, directory=dirn))
    srv.timeout = 0.1
    end = time.monotonic() + 30
    while not os.path.exists(done) and time.monotonic() < end:
        srv.handle_request()

getattr(sys.modules[__name__], sys.argv[1])(*sys.argv[2:])
EOF
}

# net_supported - true if this facet has --net
net_supported() {
	local b=$SCR/case
	run "$b.probe" "$FACET" --net none -- true
	[ "$(cat "$b.probe.rc")" = 0 ]
}

# --- cases -------------------------------------------------------------------

cases_net_usage() {
	local p
	net_bad net-usage-mode --net bogus
	net_bad net-usage-ip --net nat --ip 10.0.2.300/24
	net_bad net-usage-ip-prefix --net nat --ip 10.0.2.15/33
	net_bad net-usage-ip-words --net nat --ip not-an-address
	net_bad net-usage-gateway --net nat --gateway 10.0.2
	net_bad net-usage-dns --net nat --dns dns.example
	net_bad net-usage-dns-forward-port --net nat --dns-forward 127.0.0.1:70000
	net_bad net-usage-dns-forward-addr --net nat --dns-forward nowhere
	net_bad net-usage-publish-hostport --net nat -p 70000:80
	net_bad net-usage-publish-guestport --net nat -p 8080:0
	net_bad net-usage-publish-one-port --net nat -p 8080
	net_bad net-usage-publish-words --net nat -p http:80
	net_bad net-usage-publish-proto --net nat -p 8080:80/sctp
	net_bad net-usage-publish-hostip --net nat -p 300.1.1.1:8080:80
	# an address the host does not have cannot be bound there
	net_bad net-usage-publish-not-local --net nat -p 203.0.113.9:8080:80
	# a host port some host program holds, TCP and UDP
	if net_serve busy tcp 127.0.0.1 0 busy; then
		net_bad net-usage-publish-in-use --net nat -p "127.0.0.1:$NET_PORT:80"
		net_bad net-usage-publish-in-use-default-ip --net nat -p "$NET_PORT:80"
	else
		fail net-usage-publish-in-use "the host server did not start" "$(cat "$NETD/busy.log")"
	fi
	if net_serve busyu udp 127.0.0.1 0; then
		net_bad net-usage-publish-in-use-udp --net nat -p "127.0.0.1:$NET_PORT:53/udp"
	else
		fail net-usage-publish-in-use-udp "the host server did not start" "$(cat "$NETD/busyu.log")"
	fi
	# the same host port twice
	p=$(net_free_port)
	net_bad net-usage-publish-twice --net nat -p "$p:80" -p "$p:81"
	net_stop
}

cases_net_host() {
	local p
	# --net host (and no --net) is the host's network: same as natively
	if net_serve hostmode tcp 127.0.0.1 0 hi; then
		p=$NET_PORT
		compare net-host-default -- python3 "$NETD/tool.py" connect 127.0.0.1 "$p"
		compare net-host-explicit --net host -- python3 "$NETD/tool.py" connect 127.0.0.1 "$p"
	else
		fail net-host "the host server did not start" "$(cat "$NETD/hostmode.log")"
	fi
	compare net-host-resolv-conf --net host -- cat /etc/resolv.conf
	net_stop
}

cases_net_nat() {
	local b=$SCR/case p hp a
	# curl and urllib through the NAT to python3 -m http.server on the
	# host's loopback, which the view calls 10.0.2.2
	hp=$(net_free_port tcp)
	timeout 300 python3 -m http.server "$hp" --bind 127.0.0.1 \
		--directory "$NETD/www" >"$NETD/http.log" 2>&1 </dev/null &
	NET_PIDS+=($!)
	for _ in $(seq 100); do
		python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' \
			"$hp" 2>/dev/null && break
		sleep 0.1
	done
	if have net-nat-curl curl; then
		: >"$NETD/http.log"
		expect net-nat-curl 0 "hello from the host" "" --net nat -- \
			curl -sS --noproxy '*' --max-time 20 "http://10.0.2.2:$hp/hello.txt"
		# the host's server sees a client on its own loopback
		net_check net-nat-curl-host-log "the host server's log" \
			"$NETD/http.log" '^127\.0\.0\.1 - - .*"GET /hello.txt'
	fi
	expect net-nat-urllib 0 "hello from the host" "" --net nat -- python3 -c '
import sys, urllib.request
o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.stdout.write(o.open(sys.argv[1], timeout=20).read().decode())' \
		"http://10.0.2.2:$hp/hello.txt"
	# the view's own loopback is not the host's: 127.0.0.1:PORT in the
	# view is refused although the host listens there
	expect net-nat-loopback-private 0 "error ECONNREFUSED fast" "" --net nat -- \
		python3 "$NETD/tool.py" connect 127.0.0.1 "$hp"

	# getsockname/getpeername of a connection to the host, IPv4 and IPv6
	# (fd00::2 is the host's ::1); the host sees its loopback
	if net_serve tcp4 tcp 127.0.0.1 0 host4; then
		p=$NET_PORT
		expect net-nat-names-tcp4 0 "received host4 peer=127.0.0.1
sockname 10.0.2.15 port>0
peername 10.0.2.2 PORT" "" --net nat -- python3 "$NETD/tool.py" connect 10.0.2.2 "$p"
		# nothing listens at the gateway's other ports
		expect net-nat-refused 0 "error ECONNREFUSED fast" "" --net nat -- \
			python3 "$NETD/tool.py" connect 10.0.2.2 "$(net_free_port tcp)"
	else
		fail net-nat-names-tcp4 "the host server did not start" "$(cat "$NETD/tcp4.log")"
	fi
	if net_serve tcp6 tcp ::1 0 host6; then
		expect net-nat-names-tcp6 0 "received host6 peer=::1
sockname fd00::15 port>0
peername fd00::2 PORT" "" --net nat -- python3 "$NETD/tool.py" connect fd00::2 "$NET_PORT"
	else
		skip net-nat-names-tcp6 "no IPv6 loopback on the host"
	fi
	# UDP to the host: recvfrom shows the gateway; connected: both ends
	if net_serve udp4 udp 127.0.0.1 0; then
		p=$NET_PORT
		expect net-nat-udp 0 "reply echo:ping from 10.0.2.2 PORT" "" --net nat -- \
			python3 "$NETD/tool.py" udp 10.0.2.2 "$p"
		expect net-nat-udp-connected 0 "sockname 10.0.2.15 port>0
peername 10.0.2.2 PORT
reply echo:ping from 10.0.2.2 PORT" "" --net nat -- \
			python3 "$NETD/tool.py" udp 10.0.2.2 "$p" connected
		net_check net-nat-udp-host-log "the host server's log" \
			"$NETD/udp4.log" '^from 127\.0\.0\.1 ping$'
	else
		fail net-nat-udp "the host server did not start" "$(cat "$NETD/udp4.log")"
	fi
	# the host's other addresses are outside the view, reached through
	# the NAT as they are
	if [ ${#NET_HOST4[@]} -gt 0 ] && net_serve any4 tcp 0.0.0.0 0 any; then
		expect net-nat-host-address 0 "received any peer=${NET_HOST4[0]}
sockname 10.0.2.15 port>0
peername ${NET_HOST4[0]} PORT" "" --net nat -- \
			python3 "$NETD/tool.py" connect "${NET_HOST4[0]}" "$NET_PORT"
	fi

	# a socket bound before it connects reaches outside addresses too:
	# the host's first nameserver, over TCP, if it is not on its loopback
	# and answers natively
	a=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf 2>/dev/null)
	run "$b.native" python3 "$NETD/tool.py" bconnect "${a:-none}" 53
	if [ -z "$a" ] || [[ $a == 127.* || $a == ::1 ]] ||
	   [ "$(cat "$b.native.out")" != $'tcp bound, then connected\nudp bound, then connected' ]; then
		skip net-nat-bound-connect "no nameserver off the loopback that takes TCP here"
	else
		expect net-nat-bound-connect 0 $'tcp bound, then connected\nudp bound, then connected' "" \
			--net nat -- python3 "$NETD/tool.py" bconnect "$a" 53
	fi

	# --ip, --gateway, --dns change the view's addresses
	if net_serve tcp4b tcp 127.0.0.1 0 other; then
		expect net-nat-options 0 "received other peer=127.0.0.1
sockname 10.9.8.7 port>0
peername 10.9.0.1 PORT
nameserver 10.9.0.53" "" --net nat --ip 10.9.8.7/16 --gateway 10.9.0.1 \
			--dns 10.9.0.53 -- sh -c 'python3 "$1" connect 10.9.0.1 "$2" &&
			grep ^nameserver /etc/resolv.conf' sh "$NETD/tool.py" "$NET_PORT"
	fi
	net_stop
}

cases_net_publish() {
	local b=$SCR/case d=$NETD/pub hp up fpid got
	rm -rf "$d" && mkdir -p "$d"
	# http.server in the view on its port 8000, published at a free host
	# port; the guest sees the host's client as 10.0.2.2
	hp=$(net_free_port tcp)
	timeout 60 "$FACET" --net nat -p "127.0.0.1:$hp:8000" -- \
		python3 "$NETD/tool.py" serve_http 8000 "$NETD/gwww" "$d/done" \
		>"$d/http.out" 2>"$d/http.err" </dev/null &
	fpid=$!
	got=$(net_poll_http "$hp")
	touch "$d/done"
	wait "$fpid"
	echo "status: $?" >>"$d/http.out"
	[ "$got" = "hello from the guest" ]
	check net-publish-tcp "the host's curl to 127.0.0.1:$hp got '$got'" $? \
		"$(cat "$d/http.out" "$d/http.err")"
	net_check net-publish-client-address "what the guest saw" "$d/http.out" \
		'^client 10\.0\.2\.2 to 10\.0\.2\.15 PORT: GET /hello.txt' '^status: 0$'
	net_check net-publish-http-server-log "http.server's log" "$d/http.err" \
		'^10\.0\.2\.2 - - .*"GET /hello.txt HTTP/1.1" 200'

	# python3 -m http.server itself (it listens on 0.0.0.0, or on [::]
	# dual stack in some versions: then the client is ::ffff:10.0.2.2)
	hp=$(net_free_port tcp)
	rm -f "$d/done"
	timeout 60 "$FACET" --net nat -p "127.0.0.1:$hp:8000" -- sh -c '
		python3 -m http.server 8000 --directory "$1" & p=$!
		while [ ! -e "$2" ]; do sleep 0.1; done
		kill $p' sh "$NETD/gwww" "$d/done" >"$d/m.out" 2>"$d/m.err" </dev/null &
	fpid=$!
	got=$(net_poll_http "$hp")
	touch "$d/done"
	wait "$fpid"
	echo "status: $?" >>"$d/m.err"
	[ "$got" = "hello from the guest" ]
	check net-publish-http-server-module "the host's curl to 127.0.0.1:$hp got '$got'" $? \
		"$(cat "$d/m.out" "$d/m.err")"
	net_check net-publish-http-server-module-log "python3 -m http.server's log" "$d/m.err" \
		'^(::ffff:)?10\.0\.2\.2 - - .*"GET /hello.txt HTTP/1.1" 200' '^status: 0$'

	# the host IP defaults to 127.0.0.1; UDP
	up=$(net_free_port udp)
	rm -f "$d/ready"
	timeout 60 "$FACET" --net nat -p "$up:5353/udp" -- \
		python3 "$NETD/tool.py" serve_udp 5353 "$d/ready" \
		>"$d/udp.out" 2>"$d/udp.err" </dev/null &
	fpid=$!
	if net_wait "$d/ready"; then
		got=$(python3 "$NETD/tool.py" udp 127.0.0.1 "$up")
	else
		got="the guest never got ready"
	fi
	wait "$fpid"
	echo "status: $?" >>"$d/udp.out"
	[ "$got" = "reply guest:ping from 127.0.0.1 PORT" ]
	check net-publish-udp "the host's datagram to 127.0.0.1:$up: '$got'" $? \
		"$(cat "$d/udp.out" "$d/udp.err")"
	net_check net-publish-udp-source "what the guest saw" "$d/udp.out" \
		'^udp from 10\.0\.2\.2 data ping$' '^status: 0$'
}

cases_net_views() {
	local d=$NETD/views p hpid f1 f2 r1 r2
	rm -rf "$d" && mkdir -p "$d"
	# two views listen on the same view port while a host program holds
	# that port on the host: each view's client reaches its own server
	if ! net_serve shared tcp 127.0.0.1 0 host-server; then
		fail net-two-views "the host server did not start" "$(cat "$NETD/shared.log")"
		return
	fi
	p=$NET_PORT
	timeout 60 "$FACET" --net none -- python3 "$NETD/tool.py" view2 "$p" 1 2 "$d" \
		>"$d/1.out" 2>&1 </dev/null &
	f1=$!
	timeout 60 "$FACET" --net nat -- python3 "$NETD/tool.py" view2 "$p" 2 1 "$d" \
		>"$d/2.out" 2>&1 </dev/null &
	f2=$!
	wait "$f1"; r1=$?
	wait "$f2"; r2=$?
	[ "$r1$r2" = 00 ] &&
		[ "$(cat "$d/1.out")" = "view 1 listens on $p and its client got: view 1" ] &&
		[ "$(cat "$d/2.out")" = "view 2 listens on $p and its client got: view 2" ]
	check net-two-views "the views did not each reach their own server" $? \
		"$(echo "status $r1, $r2"; cat "$d/1.out" "$d/2.out")"
	# and the host's server is still the host's
	[ "$(python3 "$NETD/tool.py" connect 127.0.0.1 "$p" | head -n1)" = \
		"received host-server peer=127.0.0.1" ]
	check net-two-views-host "the host's server on $p did not answer" $?
	net_stop

	# a view server is not reachable from the host at its view port
	p=$(net_free_port)
	rm -f "$d/ready" "$d/done"
	timeout 60 "$FACET" --net none -- python3 "$NETD/tool.py" hold "$p" \
		"$d/ready" "$d/done" >"$d/hold.out" 2>&1 </dev/null &
	hpid=$!
	if net_wait "$d/ready"; then
		python3 "$NETD/tool.py" connect 127.0.0.1 "$p" >"$d/host.out"
		python3 "$NETD/tool.py" udp 127.0.0.1 "$p" >>"$d/host.out"
	else
		echo "the guest never got ready" >"$d/host.out"
	fi
	touch "$d/done"
	wait "$hpid"
	echo "status: $?" >>"$d/hold.out"
	cat "$d/hold.out" >>"$d/host.out"
	net_check net-view-port-private "the host reached the view's port" "$d/host.out" \
		'^error ECONNREFUSED fast$' '^no reply$' \
		"^port $p in the view got: nothing$" '^status: 0$'

	# port 80 in the view: no privilege, nothing taken on the host
	expect net-view-port-80 0 "port 80: listening, connected, accepted from 127.0.0.1 sockname port 80" "" \
		--net none -- python3 "$NETD/tool.py" bind80
	if [ "$(python3 "$NETD/tool.py" connect 127.0.0.1 80)" = "error ECONNREFUSED fast" ]; then
		rm -f "$d/ready" "$d/done"
		timeout 60 "$FACET" --net nat -- python3 "$NETD/tool.py" hold 80 \
			"$d/ready" "$d/done" >"$d/hold80.out" 2>&1 </dev/null &
		hpid=$!
		if net_wait "$d/ready"; then
			python3 "$NETD/tool.py" connect 127.0.0.1 80 >"$d/host80.out"
		else
			echo "the guest never got ready" >"$d/host80.out"
		fi
		touch "$d/done"
		wait "$hpid"
		cat "$d/hold80.out" >>"$d/host80.out"
		net_check net-view-port-80-host "port 80 of the view showed on the host" \
			"$d/host80.out" '^error ECONNREFUSED fast$' '^port 80 in the view got: nothing$'
	else
		skip net-view-port-80-host "something listens on the host's port 80"
	fi
}

cases_net_none() {
	local p d=$NETD/none a out
	mkdir -p "$d"
	# the host's services are out of reach, and fail at once; natively
	# the same connection succeeds
	if ! net_serve anyn tcp 0.0.0.0 0 reachable; then
		fail net-none-connect "the host server did not start" "$(cat "$NETD/anyn.log")"
		return
	fi
	p=$NET_PORT
	out=$(python3 "$NETD/tool.py" connect 127.0.0.1 "$p" | head -n1)
	[ "$out" = "received reachable peer=127.0.0.1" ]
	check net-none-connect-native "natively the host server did not answer" $? "$out"
	for a in 127.0.0.1 10.0.2.2 "${NET_HOST4[@]}" 198.51.100.1; do
		run "$d/c" "$FACET" --net none -- python3 "$NETD/tool.py" connect "$a" "$p"
		grep -Eqx 'error (ECONNREFUSED|ENETUNREACH) fast' "$d/c.out" &&
			[ "$(cat "$d/c.rc")" = 0 ]
		check "net-none-connect-$a" "expected ECONNREFUSED or ENETUNREACH at once" $? \
			"$(summary "$d/c")"
	done
	if net_serve anyn6 tcp ::1 0 reachable6; then
		run "$d/c" "$FACET" --net none -- python3 "$NETD/tool.py" connect ::1 "$NET_PORT"
		grep -Eqx 'error (ECONNREFUSED|ENETUNREACH) fast' "$d/c.out"
		check net-none-connect-ipv6 "expected ECONNREFUSED or ENETUNREACH at once" $? \
			"$(summary "$d/c")"
	fi

	# UDP to a host listener: nothing may arrive (the view's 127.0.0.1
	# is its own); natively it does
	if net_serve udpn udp 127.0.0.1 0; then
		p=$NET_PORT
		for a in 127.0.0.1 10.0.2.2 "${NET_HOST4[@]}"; do
			run "$d/u" "$FACET" --net none -- python3 "$NETD/tool.py" udp "$a" "$p"
			grep -Eqx 'no reply|(send|recv) error E[A-Z]+' "$d/u.out"
			check "net-none-udp-$a" "a reply came" $? "$(summary "$d/u")"
		done
		sleep 0.3
		[ ! -s "$NETD/udpn.log" ]
		check net-none-udp-not-delivered "the host's UDP server got the view's datagrams" $? \
			"$(cat "$NETD/udpn.log")"
		out=$(python3 "$NETD/tool.py" udp 127.0.0.1 "$p")
		[ "$out" = "reply echo:ping from 127.0.0.1 PORT" ]
		check net-none-udp-native "natively the host's UDP server did not answer" $? "$out"
	fi
	net_stop

	# the view's loopback works, IPv4 and IPv6, TCP and UDP, as the
	# host's does natively (same port: natively free, in the view its own)
	p=$(net_free_port)
	for a in 127.0.0.1 ::1; do
		compare "net-none-loop-tcp-$a" --net none -- python3 "$NETD/tool.py" loop tcp "$a" "$p"
		compare "net-none-loop-udp-$a" --net none -- python3 "$NETD/tool.py" loop udp "$a" "$p"
	done
	# also under nat, and on the view's own address
	compare net-nat-loop-tcp --net nat -- python3 "$NETD/tool.py" loop tcp 127.0.0.1 "$p"
	python3 "$NETD/tool.py" loop tcp 127.0.0.1 "$p" | sed 's/127\.0\.0\.1/10.0.2.15/g' >"$d/want"
	expect net-nat-loop-tcp-own-address 0 "$(cat "$d/want")" "" --net nat -- \
		python3 "$NETD/tool.py" loop tcp 10.0.2.15 "$p"
	python3 "$NETD/tool.py" loop udp 127.0.0.1 "$p" | sed 's/127\.0\.0\.1/10.0.2.15/g' >"$d/want"
	expect net-nat-loop-udp-own-address 0 "$(cat "$d/want")" "" --net nat -- \
		python3 "$NETD/tool.py" loop udp 10.0.2.15 "$p"
	# a dual-stack listener: IPv4 clients show as ::ffff:a.b.c.d
	compare net-none-dual-stack --net none -- python3 "$NETD/tool.py" dual 127.0.0.1 "$p"
	expect net-nat-dual-stack 0 "accepted from ::ffff:10.0.2.15 to ::ffff:10.0.2.15, the client's port; client 10.0.2.15 -> 10.0.2.15 PORT
accepted from fd00::15 to fd00::15, the client's port; client fd00::15 -> fd00::15 PORT" "" \
		--net nat -- sh -c 'python3 "$1" dual 10.0.2.15 "$2" && python3 "$1" dual fd00::15 "$2"' \
		sh "$NETD/tool.py" "$p"
	# the view has no 10.0.2.15 under none
	expect net-none-no-eth0-address 0 "EADDRNOTAVAIL" "" --net none -- python3 -c '
import errno, socket
try:
    socket.socket().bind(("10.0.2.15", 0)); print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])'
}

cases_net_block() {
	local t="accept-eintr accept-restart recv-eintr recv-restart connect-nb connect-refused poll-data"
	# shellcheck disable=SC2086 # $t is a list of words
	{
	compare net-block-none-v4 --net none -- "$BT/netblock" 127.0.0.1 $t
	compare net-block-none-v6 --net none -- "$BT/netblock" ::1 $t
	compare net-block-nat-v4 --net nat -- "$BT/netblock" 127.0.0.1 $t
	expect net-block-nat-eth0 0 "$("$BT/netblock" 127.0.0.1 $t)" "" --net nat -- \
		"$BT/netblock" 10.0.2.15 $t
	expect net-block-nat-eth0-v6 0 "$("$BT/netblock" ::1 $t)" "" --net nat -- \
		"$BT/netblock" fd00::15 $t
	}
	# epoll, read, write on the view's sockets work, and the kernel runs
	# them: --trace traps every call, and none of these may be answered
	# by a module
	expect net-epoll 0 "epoll: 200 of 200 round trips" "" --net none \
		--trace="$NETD/epoll.trace" -- python3 "$NETD/tool.py" epoll 200
	[ -s "$NETD/epoll.trace" ] &&
		! grep -E '\] (read|write|epoll_wait|epoll_pwait|epoll_pwait2|poll|ppoll)\(' \
		"$NETD/epoll.trace" | grep -v '<kernel>$' >"$NETD/epoll.mod"
	check net-epoll-kernel "socket I/O answered by a module" $? \
		"$(head -n 5 "$NETD/epoll.mod")"
}

cases_net_dns() {
	local b=$SCR/case dp
	if ! net_serve dns dns 127.0.0.1 0; then
		fail net-dns "the host's DNS server did not start" "$(cat "$NETD/dns.log")"
		return
	fi
	dp=$NET_PORT
	expect net-dns-resolv-conf 0 "nameserver 10.0.2.3" "" --net nat \
		--dns-forward "127.0.0.1:$dp" -- grep ^nameserver /etc/resolv.conf
	expect net-dns-getent 0 "192.0.2.7" "" --net nat --dns-forward "127.0.0.1:$dp" -- \
		sh -c 'getent ahostsv4 facet.test | cut -d" " -f1 | sort -u'
	expect net-dns-getent-nxdomain 2 "" "" --net nat --dns-forward "127.0.0.1:$dp" -- \
		getent hosts nothing.facet.test
	expect net-dns-python 0 "getaddrinfo AF_INET 192.0.2.7
getaddrinfo AF_UNSPEC 192.0.2.7
gethostbyname 192.0.2.7" "" --net nat --dns-forward "127.0.0.1:$dp" -- \
		python3 "$NETD/tool.py" resolve facet.test
	# the answer comes from the address the query went to (resolvers
	# check), on IPv4 and IPv6
	expect net-dns-source 0 "answer 192.0.2.7 rcode 0 id ok from 10.0.2.3 PORT
answer 192.0.2.7 rcode 0 id ok from fd00::3 PORT" "" --net nat \
		--dns-forward "127.0.0.1:$dp" -- sh -c 'python3 "$1" dnsq 10.0.2.3 facet.test;
		python3 "$1" dnsq fd00::3 facet.test' sh "$NETD/tool.py"
	# over TCP (what resolvers fall back to for a truncated answer)
	expect net-dns-tcp 0 "answer 192.0.2.7 rcode 0 id ok from 10.0.2.3 PORT" "" --net nat \
		--dns-forward "127.0.0.1:$dp" -- python3 "$NETD/tool.py" dnsq 10.0.2.3 facet.test tcp
	if have net-dns-dig dig; then
		expect net-dns-dig 0 "192.0.2.7" "" --net nat --dns-forward "127.0.0.1:$dp" -- \
			dig +short +tries=1 +time=5 facet.test A
		expect net-dns-dig-tcp 0 "192.0.2.7" "" --net nat --dns-forward "127.0.0.1:$dp" -- \
			dig +tcp +short +tries=1 +time=5 facet.test A
	fi
	net_check net-dns-forwarded "the host's DNS server log" "$NETD/dns.log" \
		'^query facet\.test 1$'
	# --dns moves the forwarder
	expect net-dns-moved 0 "192.0.2.7" "" --net nat --dns 10.0.2.53 \
		--dns-forward "127.0.0.1:$dp" -- python3 -c '
import socket; print(socket.gethostbyname("facet.test"))'
	# with no --dns-forward: the host's own resolver, as natively
	run "$b.native" getent hosts deb.debian.org
	if [ "$(cat "$b.native.rc")" = 0 ]; then
		compare net-dns-default-upstream --net nat -- getent hosts deb.debian.org
	else
		skip net-dns-default-upstream "the host cannot resolve deb.debian.org"
	fi
	net_stop
}

cases_net_netlink() {
	local b=$SCR/case a have_ip=1 no4=() no6=()
	# none of the host's addresses (but its loopback) may show
	for a in "${NET_HOST4[@]}"; do no4+=("!(^|[^0-9.])${a//./\\.}([^0-9]|\$)"); done
	for a in "${NET_HOST6[@]}"; do no6+=("!(^|[^0-9a-f:])$a([^0-9a-f:]|\$)"); done
	have net-netlink-ip ip || have_ip=
	if [ -n "$have_ip" ]; then
		run "$b.v4" "$FACET" --net nat -- ip -4 addr
		net_check net-netlink-ip-addr "ip -4 addr in the view" "$b.v4.out" \
			'^1: lo: <LOOPBACK,UP' 'inet 127\.0\.0\.1/8 ' '^2: eth0: <.*UP' \
			'inet 10\.0\.2\.15/24 ' "${no4[@]}" '!ifb'
		run "$b.v6" "$FACET" --net nat -- ip -6 addr
		net_check net-netlink-ip-addr6 "ip -6 addr in the view" "$b.v6.out" \
			'inet6 ::1/128 ' 'inet6 fd00::15/64 ' \
			"${no6[@]}"
		run "$b.r" "$FACET" --net nat -- ip route
		net_check net-netlink-ip-route "ip route in the view" "$b.r.out" \
			'^default via 10\.0\.2\.2 dev eth0' '^10\.0\.2\.0/24 dev eth0 .*src 10\.0\.2\.15' \
			"${no4[@]}"
		run "$b.r6" "$FACET" --net nat -- ip -6 route
		net_check net-netlink-ip-route6 "ip -6 route in the view" "$b.r6.out" \
			'^default via fd00::2 dev eth0' '^fd00::/64 dev eth0'
		run "$b.l" "$FACET" --net nat -- ip link
		net_check net-netlink-ip-link "ip link in the view" "$b.l.out" \
			'^1: lo: ' '^2: eth0: ' '!^[3-9][0-9]*: '
		run "$b.n" "$FACET" --net none -- sh -c 'ip -4 addr; echo routes:; ip route; ip link'
		net_check net-netlink-none "ip in a --net none view" "$b.n.out" \
			'inet 127\.0\.0\.1/8 ' '^routes:$' '!eth0' '!^default' '!^2: '
		# the route the view would use to reach the host
		expect net-netlink-ip-route-get 0 "10.0.2.2 dev eth0 src 10.0.2.15" "" --net nat -- \
			sh -c 'ip route get 10.0.2.2 | head -n1 | sed "s/ uid [0-9]*//; s/ *$//"'
		# changes are refused, as for a user in a namespace of its own;
		# as root, a request that reached the kernel would change the
		# host: check, and undo
		run "$b.set" "$FACET" --net nat -- ip addr add 198.51.100.99/32 dev lo
		[ "$(cat "$b.set.rc")" != 0 ] && grep -q 'Operation not permitted' "$b.set.err"
		check net-netlink-ip-addr-add "ip addr add did not fail with EPERM" $? \
			"$(summary "$b.set")"
		if ip -4 -o addr show dev lo | grep -q ' 198\.51\.100\.99/'; then
			fail net-netlink-ip-addr-add-host "the host's lo got 198.51.100.99 (now removed)"
			ip addr del 198.51.100.99/32 dev lo
		fi
	fi
	expect net-netlink-python-nameindex 0 "[(1, 'lo'), (2, 'eth0')]" "" --net nat -- \
		python3 "$NETD/tool.py" ifaces
	expect net-netlink-python-nameindex-none 0 "[(1, 'lo')]" "" --net none -- \
		python3 "$NETD/tool.py" ifaces
	run "$b.g" "$FACET" --net nat -- "$BT/netif"
	net_check net-netlink-getifaddrs "getifaddrs in the view" "$b.g.out" \
		'^lo packet UP,LOOPBACK$' '^eth0 packet UP$' '^lo inet 127\.0\.0\.1/8 UP,LOOPBACK$' \
		'^eth0 inet 10\.0\.2\.15/24 UP$' '^lo inet6 ::1/128 UP,LOOPBACK$' \
		'^eth0 inet6 fd00::15/64 UP$' '^index lo 1 1$' '^index eth0 2 2$' \
		"${no4[@]}" "${no6[@]}" \
		'!^index .* [3-9]'
	if have net-ioctl-ifconfig ifconfig; then
		# net-tools asks with ioctls (SIOCGIFADDR, SIOCGIFNETMASK, ...)
		run "$b.i" "$FACET" --net nat -- ifconfig eth0
		net_check net-ioctl-ifconfig "ifconfig eth0 in the view" "$b.i.out" \
			'inet 10\.0\.2\.15 +netmask 255\.255\.255\.0' 'mtu [0-9]+'
	fi
	if have net-netlink-hostname-I hostname; then
		expect net-netlink-hostname-I 0 "10.0.2.15 fd00::15 " "" --net nat -- hostname -I
	fi
}

# cases_net_procnet - /proc/net files list the view's interfaces, addresses,
# routes and groups (net-tools, "ip maddr" read them), in the kernel's format
cases_net_procnet() {
	local b=$SCR/case a no4=() no6=() p
	for a in "${NET_HOST4[@]}"; do no4+=("!(^|[^0-9.])${a//./\\.}([^0-9]|\$)"); done
	for a in "${NET_HOST6[@]}"; do no6+=("!(^|[^0-9a-f:])$a([^0-9a-f:]|\$)"); done
	expect net-procnet-dev 0 $'lo\neth0' "" --net nat -- \
		awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev
	expect net-procnet-dev-none 0 lo "" --net none -- \
		awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev
	# every name of the file is the view's
	p='for f in /proc/net/dev /proc/self/net/dev /proc/thread-self/net/dev /proc/$$/net/dev; do md5sum <$f; done | uniq | wc -l'
	expect net-procnet-names 0 1 "" --net nat -- sh -c "$p"
	expect net-procnet-if-inet6 0 $'00000000000000000000000000000001 01 80 10 80       lo\nfd000000000000000000000000000015 02 40 00 80     eth0\nfe80000000000000505400fffe123456 02 40 20 80     eth0' \
		"" --net nat -- cat /proc/net/if_inet6
	expect net-procnet-route-file 0 $'eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0' \
		"" --net nat -- sh -c 'tail -n +2 /proc/net/route | sed "s/ *\$//"'
	# without --net, the host's own files
	compare net-procnet-host -- awk -F: 'NR > 2 { print $1 }' /proc/net/dev
	if have net-procnet-route route; then
		expect net-procnet-route 0 "Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.0.2.2        0.0.0.0         UG    0      0        0 eth0
10.0.2.0        0.0.0.0         255.255.255.0   U     0      0        0 eth0" "" --net nat -- route -n
		expect net-procnet-route-none 0 "Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface" "" --net none -- route -n
		run "$b.r6" "$FACET" --net nat -- route -6 -n
		net_check net-procnet-route6 "route -6 -n in the view" "$b.r6.out" \
			'^fd00::/64 +:: +U +256 ' '^::/0 +fd00::2 +UG +1024 ' \
			'^fe80::5054:ff:fe12:3456/128 +:: +Un '
		expect net-procnet-route6-ifs 0 $'eth0\nlo' "" --net nat -- \
			sh -c "route -6 -n | awk 'NR > 2 { print \$NF }' | sort -u"
	fi
	if have net-procnet-ifconfig ifconfig; then
		expect net-procnet-ifconfig-a 0 $'eth0\nlo' "" --net nat -- \
			sh -c "ifconfig -a | sed -n 's/^\\([^ :]*\\):.*/\\1/p'"
		run "$b.i" "$FACET" --net nat -- ifconfig -a
		net_check net-procnet-ifconfig "ifconfig -a in the view" "$b.i.out" \
			'inet6 fd00::15 +prefixlen 64 +scopeid 0x0<global>' \
			'inet6 fe80::5054:ff:fe12:3456 +prefixlen 64 +scopeid 0x20<link>' \
			'inet6 ::1 +prefixlen 128 +scopeid 0x10<host>' \
			'RX packets 0 +bytes 0' "${no4[@]}" "${no6[@]}"
		expect net-procnet-ifconfig-none 0 lo "" --net none -- \
			sh -c "ifconfig -a | sed -n 's/^\\([^ :]*\\):.*/\\1/p'"
	fi
	if have net-procnet-netstat netstat; then
		expect net-procnet-netstat-i 0 $'eth0 1500\nlo 65536' "" --net nat -- \
			sh -c "netstat -i | awk 'NR > 2 { print \$1, \$2 }'"
		run "$b.g" "$FACET" --net nat -- netstat -g
		net_check net-procnet-netstat-g "netstat -g in the view" "$b.g.out" \
			'^lo +1 +224\.0\.0\.1$' '^eth0 +1 +224\.0\.0\.1$' \
			'^eth0 +1 +ff02::1:ff00:15$' '!^[^ lIe-]'
	fi
	if have net-procnet-ip-maddr ip; then
		run "$b.m" "$FACET" --net nat -- ip maddr
		net_check net-procnet-ip-maddr "ip maddr in the view" "$b.m.out" \
			'^1:	lo$' '^2:	eth0$' 'link  33:33:ff:00:00:15' \
			'inet6 ff02::1:ff12:3456' '!^[3-9]:'
	fi
	expect net-procnet-arp 0 "IP address       HW type     Flags       HW address            Mask     Device" \
		"" --net nat -- cat /proc/net/arp
}

cases_net() {
	net_setup
	if ! net_supported; then
		skip net "this facet has no --net: $(head -n1 "$SCR/case.probe.err")"
		return
	fi
	cases_net_usage
	cases_net_host
	cases_net_nat
	cases_net_publish
	cases_net_views
	cases_net_none
	cases_net_block
	cases_net_dns
	cases_net_netlink
	cases_net_procnet
	net_stop
}
