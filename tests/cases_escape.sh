# SPDX-License-Identifier: GPL-2.0-or-later
# cases_escape.sh - the escape suite: each program of tests/escape/ tries
# one way out of a sandbox (facet --sandbox) and says what it tried; none
# may get out.  Where the way is open natively, the same program is run
# natively first to show that it can tell (it must report an escape there).
#
# The fixture, rebuilt before each run: $E/pub/key ("public", shown
# read-only), $E/work (shown writable) and $E/secret/key ("TOPSECRET", not
# shown), side by side.
#
# Sourced by tests/integration.sh, which calls cases_escape from its
# scratch directory with its helpers and variables ($SCR, $BT, $FACET).

# esc_fixture - (re)make $E
esc_fixture() {
	rm -rf "$E"
	mkdir -p "$E/pub" "$E/work" "$E/secret"
	echo public >"$E/pub/key"
	echo TOPSECRET >"$E/secret/key"
	ln -s public "$E/pub/lk"
	ln -s TOPSECRET "$E/secret/lk"
}

# esc_native NAME PROG ARGS... - natively PROG must report an escape
# (status 1), or the case could not tell one
esc_native() {
	local name=$1 b=$SCR/case
	shift
	esc_fixture
	run "$b.native" "$@"
	check "escape-$name-native" "natively the way is open, but the case saw no escape" \
		"$([ "$(cat "$b.native.rc")" = 1 ]; echo $?)" "$(summary "$b.native")"
}

# esc NAME PROG ARGS... - under a sandbox that shows $E/pub and $E/work and
# the suite's programs, PROG must hold every attempt (status 0, "result:
# held"); 77 is a skip
esc() {
	local name=$1 b=$SCR/case rc
	shift
	esc_fixture
	run "$b.facet" "$FACET" --sandbox --allow-read "$BT/escape" --allow-read "$E/pub" \
		--allow-write "$E/work" -- "$@"
	rc=$(cat "$b.facet.rc")
	if [ "$rc" = 77 ]; then
		skip "escape-$name" "$(grep -m1 '^skip' "$b.facet.out")"
		return
	fi
	check "escape-$name" "a way out was open (or the case did not finish)" \
		"$([ "$rc" = 0 ] && grep -qx 'result: held' "$b.facet.out" &&
		   [ "$(cat "$E/secret/key" 2>/dev/null)" = TOPSECRET ]; echo $?)" \
		"$(summary "$b.facet")"
}

# esc_receiver NAME SECONDS - host sockets the sandbox does not show, which
# count what reaches them: a stream listener at $E/host.sock, a datagram
# socket at $E/host.sock.dg, a listener at the abstract @NAME and a
# datagram socket at @NAME.d, for SECONDS at most.  esc_received then
# stops them and prints the count.
esc_receiver() {
	rm -f "$SCR/recv" "$SCR/recv."*
	python3 - "$E/host.sock" "$1" "$SCR/recv" "$2" <<'EOF' &
import os, select, socket, sys, time
path, name, out, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
socks = []
for addr, kind in ((path, socket.SOCK_STREAM), (path + ".dg", socket.SOCK_DGRAM),
                   ("\0" + name, socket.SOCK_STREAM), ("\0" + name + ".d", socket.SOCK_DGRAM)):
    s = socket.socket(socket.AF_UNIX, kind)
    s.bind(addr)
    if kind == socket.SOCK_STREAM:
        s.listen(64)
    socks.append(s)
open(out + ".ready", "w").close()
got, end = 0, time.time() + secs
while time.time() < end and not os.path.exists(out + ".stop"):
    for s in select.select(socks, [], [], 0.1)[0]:
        if s.type == socket.SOCK_STREAM:
            s.accept()[0].close()
        else:
            s.recv(100)
        got += 1
open(out, "w").write("%d\n" % got)
EOF
	local i
	for i in $(seq 50); do
		[ -e "$SCR/recv.ready" ] && return
		sleep 0.1
	done
}

esc_received() {
	local i
	touch "$SCR/recv.stop"
	for i in $(seq 50); do
		[ -s "$SCR/recv" ] && break
		sleep 0.1
	done
	cat "$SCR/recv" 2>/dev/null || echo "none: the receiver died"
}

cases_escape() {
	local E=$SCR/esc P=$BT/escape b=$SCR/case n name st out
	if [ ! -x "$P/paths" ]; then
		skip escape "$P missing: run make test-build"
		return
	fi
	# "..", /proc's magic links, hard links, openat2, file handles
	esc_native paths "$P/paths" "$E/work" "$E/secret/key"
	esc paths "$P/paths" "$E/work" "$E/secret/key"

	# symlink swaps racing open, rename and unlink; a path buffer rewritten
	# after the check (10^5 tries each)
	esc_native symlink-swap "$P/symlink_swap" "$E/work" "$E/pub" "$E/secret" 3000
	esc symlink-swap "$P/symlink_swap" "$E/work" "$E/pub" "$E/secret" 100000
	esc_native path-toctou "$P/path_toctou" open "$E/pub/key" "$E/secret/key" 3000
	esc path-toctou "$P/path_toctou" open "$E/pub/key" "$E/secret/key" 100000

	# the path facet plants on a thread's stack for an O_PATH open of a
	# symlink, rewritten by another thread to a hidden symlink's
	esc_fixture
	run "$b.facet" "$FACET" --sandbox --allow-read "$P" --allow-read "$E/pub" \
		--allow-write "$E/work" -- "$P/redo_scribble" "$E/work" "$E/secret/lk" \
		"$(stat -c %i "$E/secret/lk")" 20000
	check escape-redo-scribble "a rewritten plant reached the hidden symlink" \
		"$([ "$(cat "$b.facet.rc")" = 0 ] && grep -qx 'result: held' "$b.facet.out"; echo $?)" \
		"$(summary "$b.facet")"

	# a host directory's fd passed over an inherited socket
	esc_native fdpass "$P/fdpass" "$E/secret" "$P/fdpass" try
	esc_fixture
	run "$b.facet" "$P/fdpass" "$E/secret" "$FACET" --sandbox --allow-read "$P" -- \
		"$P/fdpass" try
	check escape-fdpass "a passed directory let the guest out" \
		"$([ "$(cat "$b.facet.rc")" = 0 ]; echo $?)" "$(summary "$b.facet")"

	# the host's AF_UNIX sockets: a path not shown, abstract names, and a
	# datagram address rewritten after the check
	name=facet-esc-$$
	esc_fixture
	esc_receiver "$name-n" 20
	run "$b.native" "$P/unixsock" "$E/host.sock" "$name-n"
	check escape-unixsock-native "natively the host's sockets are reachable" \
		"$([ "$(cat "$b.native.rc")" = 1 ] && [ "$(esc_received)" -gt 0 ]; echo $?)" \
		"$(summary "$b.native")"
	esc_fixture
	esc_receiver "$name-f" 120
	run "$b.facet" "$FACET" --sandbox --allow-read "$P" --allow-write "$E/work" -- \
		sh -c '"$0/unixsock" "$1/host.sock" "$2" &&
		       "$0/path_toctou" dgram "$1/work/pub.sock" "$1/host.sock.dg" 20000' \
		"$P" "$E" "$name-f"
	n=$(esc_received)
	check escape-unixsock "a host socket the sandbox does not show was reached" \
		"$([ "$(cat "$b.facet.rc")" = 0 ] && [ "$n" = 0 ]; echo $?)" \
		"received on the host: $n
$(summary "$b.facet")"

	# mounts and unmounts in the view; calls that reach past any view
	# (not run natively: as root they would change the host)
	esc mounts "$P/mounts" "$E/work" "$E/secret/key"
	esc syscalls "$P/syscalls" "$E/work"
	expect escape-abi-x32 159 "" "" --sandbox --allow-read "$BT" -- "$BT/foreign_abi" x32

	# the supervisor: ptrace, its memory, signals, a pidfd (natively,
	# against a process of the same user's)
	sleep 60 &
	esc_native supervisor "$P/supervisor" $!
	kill $! 2>/dev/null
	esc supervisor "$P/supervisor"

	# facet killed: every guest dies with it
	esc_fixture
	"$FACET" --sandbox --allow-write "$E/work" -- sh -c \
		'sleep 300 & echo $! >"$0/pid"; wait' "$E/work" </dev/null >/dev/null 2>&1 &
	local sup=$! i
	for i in $(seq 50); do
		[ -s "$E/work/pid" ] && break
		sleep 0.1
	done
	kill -9 "$sup"
	wait "$sup" 2>/dev/null
	n=$(cat "$E/work/pid" 2>/dev/null)
	for i in $(seq 20); do
		[ -z "$(alive "$n")" ] && break
		sleep 0.1
	done
	check escape-supervisor-killed "a guest outlived the supervisor by 2 s" \
		"$([ -n "$n" ] && [ -z "$(alive "$n")" ]; echo $?)" "guest pid: ${n:-none}"
	[ -n "$n" ] && kill -9 "$n" 2>/dev/null

	# a setuid-root program (a copy the root run installs for the user's)
	if [ "$(id -u)" = 0 ]; then
		skip escape-setuid "checked as the user"
	elif [ ! -u "$P/euid-suid" ]; then
		skip escape-setuid "no setuid copy of $P/euid"
	else
		run "$b.native" "$P/euid-suid"
		if [ "$(cat "$b.native.out")" != 0 ]; then
			skip escape-setuid "setuid programs do not run here (nosuid?)"
		else
			expect escape-setuid 0 "$(id -u)" "" --sandbox --allow-read "$P" -- "$P/euid-suid"
		fi
	fi
}
