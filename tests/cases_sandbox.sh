# SPDX-License-Identifier: GPL-2.0-or-later
# cases_sandbox.sh - integration cases for --sandbox, --allow-read and
# --allow-write: what a sandbox shows, what it hides, what it refuses, and
# the ways out a guest would try first
#
# Sourced by tests/integration.sh, which calls cases_sandbox from its
# scratch directory ($SCR/w, under the host's /tmp, which a sandbox does
# not show) with its helpers and variables.

cases_sandbox() {
	local d=$SCR/sbx top want p
	mkdir -p "$d/ro" "$d/rw" "$d/work"
	echo readable >"$d/ro/r.txt"
	ln -s /etc/hostname "$d/ro/abs-link"
	echo 'int main(void) { return 0; }' >"$d/work/t.c"

	# / shows the system's directories as the host has them (merged /usr
	# or not), /dev, /etc, /proc and /tmp, and nothing else
	want=$(for p in bin dev etc lib lib32 lib64 libx32 proc sbin tmp usr; do
		[ -e "/$p" ] || [ -L "/$p" ] && echo "$p"; done)
	expect sandbox-tree 0 "$want" "" --sandbox -- ls /
	top=$(for p in /usr /bin /lib; do
		if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"; else echo "$p dir"; fi; done)
	expect sandbox-system-links 0 "$top" "" --sandbox -- sh -c '
		for p in /usr /bin /lib; do
			if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"; else echo "$p dir"; fi
		done'

	# what it does not show does not exist; the test's own files included
	expect sandbox-hidden 0 "no /etc/shadow
no /home
no /root
no /var
no $SCR
no /sys" "" --sandbox -- sh -c '
		for p in /etc/shadow /home /root /var "$0" /sys; do
			[ -e "$p" ] || echo "no $p"; done' "$SCR"
	expect sandbox-hidden-errno 1 "" "1:/etc/shadow: No such file or directory" \
		--sandbox -- cat /etc/shadow

	# the system is read-only, /tmp is private and writable
	expect sandbox-ro 2 "" "Read-only file system" --sandbox -- sh -c 'echo x >/usr/facet-x'
	expect sandbox-tmp 0 "private" "" --sandbox -- sh -c \
		'echo private >/tmp/facet-sbx && cat /tmp/facet-sbx && ! [ -e /tmp/facet-it.* ]'
	check sandbox-tmp-private "the sandbox's /tmp reached the host's" \
		"$([ ! -e /tmp/facet-sbx ]; echo $?)"
	expect sandbox-devices 0 "0000000
ok" "" --sandbox -- sh -c \
		'head -c 8 /dev/zero | od -An -x | tr -d " " | cut -c1-7; echo hi >/dev/null && echo ok'

	# real programs run as natively: a shell pipeline, Python with its
	# standard library, the loader's cache
	if have sandbox-programs python3; then
		expect sandbox-programs 0 "$(printf 'abc\n' | sha256sum)
$(python3 -c 'import json, hashlib, ssl; print(json.dumps({"h": hashlib.md5(b"x").hexdigest()}))')" "" \
			--sandbox -- sh -c 'printf "abc\n" | sha256sum; python3 -c "
import json, hashlib, ssl; print(json.dumps({\"h\": hashlib.md5(b\"x\").hexdigest()}))"'
	fi
	if have sandbox-build cc; then
		expect sandbox-build 0 "built" "" --sandbox -b "$d/work:/work" -w /work -- \
			sh -c 'cc -o t t.c && ./t && echo built'
		check sandbox-build-out "the build's output did not reach the bound directory" \
			"$([ -x "$d/work/t" ]; echo $?)"
	fi

	# --allow-read and --allow-write widen it, at the same path
	expect sandbox-allow-read 0 "readable" "Read-only file system" \
		--sandbox --allow-read "$d/ro" -- sh -c 'cat "$0/r.txt"; echo x >"$0/new" || true' "$d/ro"
	expect sandbox-allow-write 0 "" "" --sandbox --allow-write "$d/rw" -- sh -c 'echo w >"$0/w.txt"' "$d/rw"
	check sandbox-allow-write-data "a write under --allow-write did not reach the host" \
		"$([ "$(cat "$d/rw/w.txt" 2>/dev/null)" = w ]; echo $?)"
	# the mount point of a bind is in its parent's listing
	expect sandbox-mountpoint 0 "work" "" --sandbox -b "$d/work:/work" -- sh -c 'ls / | grep -x work'
	# in any of facet's own in-memory directories, with the directories
	# above it; a bind at the directory itself needs none
	expect tmpfs-mountpoint-nested 0 "r
readable" "" --tmpfs /x -b "$d/ro/r.txt:/x/a/b/r" -- sh -c 'ls /x/a/b; cat /x/a/b/r'
	expect tmpfs-bind-over 0 "abs-link
r.txt" "" --tmpfs /x -b "$d/ro:/x" -- ls /x
	expect sandbox-cwd 0 "/" "" --sandbox -- pwd

	# abstract AF_UNIX names of the sandbox's own: guests reach each
	# other by the names they gave, and see those names
	# (a socket asking for credentials is bound when it first sends, as
	# the kernel does, and a reply to its name arrives)
	expect sandbox-abstract 0 "b'\\x00facet-test' b'\\x00facet-test' hi
6
b'answer'" "" --sandbox -- python3 -c '
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0facet-test"); s.listen(1)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect("\0facet-test"); a, _ = s.accept(); c.sendall(b"hi")
print(s.getsockname(), c.getpeername(), a.recv(2).decode())
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("")
print(len(d.getsockname()))
p = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
p.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
p.sendto(b"q", d.getsockname())
_, frm = d.recvfrom(10)
d.sendto(b"answer", frm)
print(p.recv(10))'

	# no network unless --net says which
	expect sandbox-net 0 "lo" "" --sandbox -- sh -c "ip -o link | awk -F': ' '{print \$2}'"

	# ways out: .. of /, an absolute symlink in an allowed tree, a hard
	# link to a file not shown, /proc's magic links of the supervisor
	expect sandbox-dotdot 0 "$want" "" --sandbox -- ls /../../..
	expect sandbox-abs-symlink 0 "no /etc/hostname" "" --sandbox --allow-read "$d/ro" -- \
		sh -c 'cat "$0/abs-link" 2>/dev/null || echo "no /etc/hostname"' "$d/ro"
	expect sandbox-hardlink 1 "" "No such file or directory" --sandbox -- ln /etc/shadow /tmp/x
	expect sandbox-proc-root 0 "denied" "" --sandbox -- sh -c \
		'ls "/proc/$PPID/root/" >/dev/null 2>&1 && ls "/proc/$PPID/root/" || echo denied'

	# a host directory's fd passed in from outside over a socket the guest
	# inherited: nothing below it can be opened, listed or entered
	if have sandbox-passed-dirfd python3; then
		run "$SCR/case.facet" python3 -c '
import os, socket, sys
a, b = socket.socketpair()
os.set_inheritable(b.fileno(), True)
if os.fork() == 0:
    a.close()
    os.execvp(sys.argv[1], sys.argv[1:] + [str(b.fileno())])
b.close()
socket.send_fds(a, [b"x"], [os.open("/etc", os.O_RDONLY | os.O_DIRECTORY)])
os.wait()' "$FACET" --sandbox -- python3 -c '
import os, socket, sys
_, fds, _, _ = socket.recv_fds(socket.socket(fileno=int(sys.argv[1])), 1, 1)
for what, f in (("open", lambda: os.open("passwd", os.O_RDONLY, dir_fd=fds[0])),
                ("list", lambda: os.listdir(fds[0])),
                ("stat", lambda: os.stat("passwd", dir_fd=fds[0])),
                ("fchdir", lambda: (os.fchdir(fds[0]), open("passwd")))):
    try:
        f()
        print(what, "got through")
    except OSError:
        print(what, "refused")'
		check sandbox-passed-dirfd "a passed host directory let the guest out" \
			"$([ "$(cat "$SCR/case.facet.out")" = "$(printf '%s refused\n' open list stat fchdir)" ]; echo $?)" \
			"$(summary "$SCR/case.facet")"
	fi

	# the supervisor cannot be reached (it is no process of the sandbox's),
	# nor its notifications taken over
	expect sandbox-guard 0 "ptrace_attach: -1 ESRCH
vm_readv: -1 ESRCH
pidfd_open: -1 ESRCH
listener: -1 EBUSY
io_uring_setup: -1 ENOSYS" "" --sandbox --allow-read "$BT" -- \
		"$BT/guard" ptrace_attach vm_readv pidfd_open listener io_uring_setup

	# other processes: not in /proc, not reachable by pid, and kill(-1)
	# reaches only the sandbox's own; a process of the same user outside
	# it is the target
	sleep 60 &
	local outside=$!
	expect sandbox-proc-foreign 0 "no /proc/1
no /proc/$outside" "" --sandbox -- sh -c '
		for p in 1 "$0"; do [ -e "/proc/$p" ] || echo "no /proc/$p"; done' "$outside"
	if have sandbox-ps ps; then
		# the shell, its sleep, ps and wc: nothing of the host
		expect sandbox-ps 0 "4" "" --sandbox -- sh -c 'sleep 5 & ps -e -o pid= | wc -l; kill $!'
	fi
	expect sandbox-kill-foreign 0 "kill: No such process" "" --sandbox -- python3 -c '
import os, sys
try:
    os.kill(int(sys.argv[1]), 15)
except OSError as e:
    print("kill:", e.strerror)' "$outside"
	expect sandbox-kill-all 0 "137" "*" --sandbox -- sh -c 'sleep 30 & kill -9 -1; wait $!; echo $?'
	check sandbox-kill-all-outside "kill(-1) in a sandbox reached a process outside it" \
		"$(kill -0 "$outside" 2>/dev/null; echo $?)"
	kill "$outside" 2>/dev/null
	wait "$outside" 2>/dev/null

	# --log-denials: a line for what the view refused and why, none for
	# what does not exist anywhere
	run "$SCR/case.facet" "$FACET" --sandbox --log-denials -- sh -c \
		'cat /etc/shadow; cat /facet-nonexistent; echo x >/usr/facet-x; kill 1;
		 unshare -U true'
	check sandbox-log-denials "the denials were not logged as they should" \
		"$(e=$SCR/case.facet.err
		   grep -Eq '^facet: denied: [0-9]+ openat\(/etc/shadow\): .*\(not shown by the view\)$' "$e" &&
		   grep -Eq '^facet: denied: [0-9]+ unshare\(\): .*\(refused in a sandbox' "$e" &&
		   grep -Eq '^facet: denied: [0-9]+ openat\(/usr/facet-x\): .*\(read-only in the view\)$' "$e" &&
		   grep -Eq '^facet: denied: [0-9]+ kill\(1\): .*\(a process outside the sandbox\)$' "$e" &&
		   ! grep -q 'denied.*facet-nonexistent' "$e"; echo $?)" "$(summary "$SCR/case.facet")"
	expect sandbox-no-log 1 "" "1:^cat: /etc/shadow: No such file" --sandbox -- cat /etc/shadow
	# --deny-errno: what the host has and the view withholds fails with
	# that errno (relative paths too); what exists nowhere stays ENOENT
	expect sandbox-deny-errno 0 "EACCES ENOENT EACCES ENOENT" "" --sandbox --deny-errno EACCES -- \
		python3 -c '
import errno, os
os.chdir("/")
out = []
for p in ("/etc/shadow", "/facet-nonexistent", "etc/shadow", "/usr/facet-nonexistent"):
    try:
        os.stat(p)
        out.append("shown")
    except OSError as e:
        out.append(errno.errorcode[e.errno])
print(*out)'
	expect hide-deny-errno 1 "" "1:Operation not permitted" --deny-errno EPERM --hide /etc/shadow -- \
		cat /etc/shadow
	files_usage sandbox-deny-errno-bad --deny-errno EWHAT -- echo ran
	# user namespaces: refused, unless --allow-userns (then as natively)
	expect sandbox-userns 1 "" "Operation not permitted" --sandbox -- unshare -U true
	if [ "$(unshare -U sh -c 'id -u' 2>/dev/null)" != 65534 ]; then
		skip sandbox-allow-userns "no user namespaces here natively"
	else
		expect sandbox-allow-userns 0 "65534" "" --sandbox --allow-userns -- \
			unshare -U sh -c 'id -u'
	fi

	# limits: --time kills every guest (124, as timeout(1)), --memory is
	# each process's address space
	expect sandbox-time 124 "" "1:--time 1 s is over" --sandbox --time 1 -- \
		sh -c 'sleep 31.5 & sleep 31.5; echo not reached'
	check sandbox-time-all "a guest outlived --time" \
		"$(sleep 0.3; pgrep -u "$(id -u)" -f 'sleep 31.5' >/dev/null; [ $? = 1 ]; echo $?)"
	if have sandbox-memory python3; then
		expect sandbox-memory 0 "MemoryError
small" "" --sandbox --memory 200M -- python3 -c '
try:
    b = bytearray(500 << 20)
except MemoryError:
    print("MemoryError")
b = bytearray(20 << 20)
print("small")'
	fi
	# --pids: the guests' tasks, threads included, counted by facet
	if have sandbox-pids python3; then
		expect sandbox-pids 0 "threads 9
forks 9 EAGAIN" "" --sandbox --pids 10 -- python3 -c '
import errno, os, threading, time
ev = threading.Event()
ts = []
try:
    for i in range(20):
        t = threading.Thread(target=ev.wait)
        t.start()
        ts.append(t)
except RuntimeError:
    pass
print("threads", len(ts))
ev.set()
for t in ts:
    t.join()
time.sleep(0.2)
kids = []
try:
    while len(kids) < 20:
        pid = os.fork()
        if pid == 0:
            time.sleep(1)
            os._exit(0)
        kids.append(pid)
except OSError as e:
    print("forks", len(kids), errno.errorcode[e.errno])'
	fi
	expect sandbox-bad-memory 125 "" "1:--memory 12x" --memory 12x -- true
	expect sandbox-bad-time 125 "" "1:--time 0" --time 0 -- true

	# bad input
	expect sandbox-with-root 125 "" "1:--sandbox and --root" --sandbox -r / -- true
	expect sandbox-allow-missing 125 "" "1:allow-read .*/missing: No such file" \
		--sandbox --allow-read "$d/missing" -- true
}
