# SPDX-License-Identifier: GPL-2.0-or-later
# cases_ident.sh - integration cases for the identity module: -0, --uid,
# --gid, --groups, --fakeroot-db
#
# Sourced by tests/integration.sh, which calls cases_ident from its scratch
# directory ($SCR/w) with its helpers and variables.
#
# What a fake root sees must be what the real root sees.  Each case states
# the output the kernel gives root; in the root pass the same command also
# runs natively, as root, and must print the same, so every expectation here
# is checked against the kernel, and the unprivileged pass (where nothing
# runs as root) checks facet against it.
#
# The rootfs cases extract a tar of the Debian root filesystem of the file
# cases (tests/mkrootfs.sh) as the unprivileged user under "facet -0
# --fakeroot-db", compare every owner, mode and device node with the real
# tree, then install a real .deb from the Debian archive with dpkg in it.
# The root pass makes the tar, the listing of the real tree and the .deb in
# $IDENT_CACHE for the user's pass.

IDENT_CACHE=/var/cache/facet-tests/ident

# ident_expect NAME WANT [FACET OPTIONS...] -- COMMAND... - under facet (-0
# unless options are given) COMMAND prints WANT and exits 0; as root,
# natively too, after the words of $NATIVE (a command such as setpriv that
# takes the identity natively; "none": no native run)
ident_expect() {
	local name=$1 want=$2 b=$SCR/case why=
	shift 2
	split_args "$@"
	[ ${#FACETOPTS[@]} = 0 ] && FACETOPTS=(-0)
	run "$b.facet" "$FACET" "${FACETOPTS[@]}" -- "${CMD[@]}"
	if [ "$(cat "$b.facet.rc")" != 0 ]; then
		why="status $(cat "$b.facet.rc") under facet"
	elif [ "$(cat "$b.facet.out")" != "$want" ]; then
		why="facet printed other than expected"
	elif [ "$(id -u)" = 0 ] && [ "${NATIVE:-}" != none ]; then
		run "$b.native" ${NATIVE:-} "${CMD[@]}"
		[ "$(cat "$b.native.out")" = "$want" ] ||
			why="natively as root it prints other than expected"
	fi
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why" "$(printf 'expected:\n%s\n-- facet:\n' "$want"
			summary "$b.facet"
			[ -e "$b.native.out" ] && { echo "-- native:"; summary "$b.native"; })"
	fi
	rm -f "$b.native.out"
}

cases_ident_creds() {
	ident_expect ident-id $'0\n0\n0\nroot\nroot' -- sh -c \
		'id -u; id -g; id -G; whoami; id -gn'
	ident_expect ident-python-ids "0 0 0 0 (0, 0, 0) (0, 0, 0)" -- python3 -c \
		'import os; print(os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getresuid(), os.getresgid())'
	ident_expect ident-static "$(printf '0 0 0 0\n0:0 755 /')" -- \
		"$BT/ids_static" /
	ident_expect ident-static-same $'0 0\n0 0' -- sh -c \
		'"$1" | cut -d" " -f1,2; echo "$(id -u) $(id -ru)"' sh "$BT/ids_static"
	# drop to a user and back through the saved uid, then for good; the
	# capabilities follow (capabilities(7)): bounding set, effective set
	cat >"$SCR/drop.py" <<'EOF'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def eff():
    hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capget(hdr, data)
    return "cap%d" % (data[0] & 1)
os.setgroups([])
os.setresgid(100, 100, 0)
os.setresuid(1000, 1000, 0)
print(os.getresuid(), os.getresgid(), eff(), os.getgroups())
os.setresuid(0, 0, 0)
print(os.getresuid(), eff())
os.setuid(1000)
try:
    os.setuid(0)
except PermissionError as e:
    print("EPERM", eff(), libc.prctl(23, 0, 0, 0, 0))
EOF
	ident_expect ident-drop-regain $'(1000, 1000, 0) (100, 100, 0) cap0 []\n(0, 0, 0) cap1\nEPERM cap0 1' \
		-- python3 "$SCR/drop.py"
	NATIVE="setpriv --reuid=1000 --regid=100 --groups=4,27 --" \
	ident_expect ident-uid-gid $'uid=1000 gid=100 groups=100,4,27' \
		--uid 1000 --gid 100 --groups 4,27 -- sh -c \
		'echo "uid=$(id -u) gid=$(id -g) groups=$(id -G | tr " " ,)"'
	expect ident-usage-uid 125 "" "--uid wants a number" --uid abc -- true
	expect ident-usage-groups 125 "" "--groups wants numbers" --groups 1,x -- true
}

cases_ident_files() {
	local d=$SCR/ident
	rm -rf "$d" && mkdir -p "$d" && chmod 777 "$d" || return
	# chown, chmod, mknod, mkfifo as root, then what ls, stat, find and a
	# tar archive made in the view say of them
	cat >"$SCR/own.sh" <<'EOF'
set -e
cd "$1"; rm -rf t; mkdir t; cd t; umask 022
touch f g; mkdir dir; ln -s f link
chown 123:45 f; chmod 4755 f; chown :7 g; chmod 2644 g; chmod 1777 dir
chown -h 5:6 link; chown 8 dir
mknod null c 1 3; mknod disk b 8 0; chmod 660 disk; mkfifo fifo
ln f hard; mv g g2
stat -c '%n %u:%g %a %F %t,%T' f hard g2 dir link null disk fifo
find . -mindepth 1 -printf '%p %U:%G %m %y\n' | sort
find . \( -type c -o -type b \) -print | sort
tar cf ../t.tar --sort=name --numeric-owner .
tar tvf ../t.tar --numeric-owner | awk '{print $1, $2, $NF}'
chown 9 f; stat -c '%n %u:%g %a' f
rm hard; rm f; touch f; stat -c '%n %u:%g %a' f
EOF
	local want
	want=$(cat <<'EOF'
f 123:45 4755 regular empty file 0,0
hard 123:45 4755 regular empty file 0,0
g2 0:7 2644 regular empty file 0,0
dir 8:0 1777 directory 0,0
link 5:6 777 symbolic link 0,0
null 0:0 644 character special file 1,3
disk 0:0 660 block special file 8,0
fifo 0:0 644 fifo 0,0
./dir 8:0 1777 d
./disk 0:0 660 b
./f 123:45 4755 f
./fifo 0:0 644 p
./g2 0:7 2644 f
./hard 123:45 4755 f
./link 5:6 777 l
./null 0:0 644 c
./disk
./null
drwxr-xr-x 0/0 ./
drwxrwxrwt 8/0 ./dir/
brw-rw---- 0/0 ./disk
-rwsr-xr-x 123/45 ./f
prw-r--r-- 0/0 ./fifo
-rw-r-Sr-- 0/7 ./g2
hrwsr-xr-x 123/45 ./f
lrwxrwxrwx 5/6 f
crw-r--r-- 0/0 ./null
f 9:45 755
f 0:0 644
EOF
)
	ident_expect ident-owners "$want" -- sh "$SCR/own.sh" "$d"
	# one run records, the next one sees; a damaged file is an error
	local db=$d/owners.db
	rm -f "$db"
	touch "$d/p"
	"$FACET" -0 --fakeroot-db "$db" -- sh -c "chown 77:88 '$d/p'; chmod 4711 '$d/p'" \
		>/dev/null 2>&1 </dev/null
	NATIVE=none ident_expect ident-db-persists "77:88 4711" -0 --fakeroot-db "$db" -- \
		stat -c '%u:%g %a' "$d/p"
	ident_expect ident-db-not-kept-without "0:0 711" -0 -- \
		stat -c '%u:%g %a' "$d/p"
	touch "$d/gone"
	"$FACET" -0 --fakeroot-db "$d/gone.db" -- sh -c "chown 5 '$d/gone'; rm '$d/gone'" \
		>/dev/null 2>&1 </dev/null
	check ident-db-unlink-drops "the removed file's record stayed" \
		"$([ "$(stat -c %s "$d/gone.db")" = 16 ]; echo $?)" \
		"$(stat -c %s "$d/gone.db") bytes"
	cp "$db" "$d/torn.db"
	head -c 20 /dev/zero >>"$d/torn.db"
	expect ident-db-torn-tail 0 "77:88 4711" "cut short" \
		-0 --fakeroot-db "$d/torn.db" -- stat -c '%u:%g %a' "$d/p"
	touch "$d/q"
	"$FACET" -0 --fakeroot-db "$d/bad.db" -- chown 1:1 "$d/p" "$d/q" \
		>/dev/null 2>&1 </dev/null
	# two records: damage the first, which a crash cannot have torn
	printf 'garbage-garbage-garbage-garbage-garbage-garbage-garbage!' |
		dd of="$d/bad.db" bs=1 seek=16 conv=notrunc status=none
	expect ident-db-damaged 125 "" "damaged at byte 16" \
		-0 --fakeroot-db "$d/bad.db" -- true
	echo "not a database at all" >"$d/text.db"
	expect ident-db-not-db 125 "" "not a facet ownership database" \
		-0 --fakeroot-db "$d/text.db" -- true
	expect ident-db-dir 125 "" "fakeroot-db" -0 --fakeroot-db "$d" -- true
}

# the view's ids decide what a thread may do: a root that drops to uid 1000
# meets the owners and modes root recorded, as it would natively
cases_ident_perm() {
	local d=$SCR/identperm
	rm -rf "$d" && mkdir -p "$d" && chmod 777 "$d" || return
	cat >"$SCR/perm.sh" <<'EOF'
cd "$1"; rm -rf d; umask 022; PATH=/usr/bin:/bin
mkdir d; echo hi > d/f; chmod 600 d/f; mkdir d/priv; chmod 700 d/priv
mkdir d/pub; chmod 777 d/pub; mkdir d/sticky; chmod 1777 d/sticky
echo r > d/sticky/rootfile; chmod 666 d/sticky/rootfile
echo ro > d/ro; chmod 644 d/ro
mkdir d/sg; chgrp 100 d/sg; chmod 2775 d/sg
as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
t() { printf '%s: ' "$*"; if as sh -c "$*" >/dev/null 2>&1; then echo ok; else echo no; fi; }
t cat d/f; t cat d/ro; t 'echo x >> d/ro'; t 'echo x > d/new'
t 'ls d/priv'; t 'cd d/priv'; t 'echo x > d/pub/mine'
t 'rm d/sticky/rootfile'; t 'echo y > d/sticky/rootfile'
t 'mkdir d/x'; t 'rm d/ro'; t 'mv d/pub/mine d/pub/mine2'
t 'truncate -s 0 d/ro'; t 'ln -s foo d/pub/l'; t 'ln d/ro d/pub/hard'
t 'ln d/sticky/rootfile d/pub/hard2'
mkdir d/priv/sub; echo hi > d/priv/pf; mkdir d/open; chmod 711 d/open; echo o > d/open/f
t cat d/priv/pf; t stat d/priv/pf; t 'cd d/priv/sub'; t ls d/open; t cat d/open/f
t 'cd d/open && cat ../priv/pf'
as sh -c 'umask 022; echo x > d/pub/u; mkdir d/pub/ud; ln -s u d/pub/us'
as sh -c 'echo x > d/pub/tf/; ln -s u d/pub/tl/' 2>/dev/null; ls d/pub | grep -c '^t[fl]$'
stat -c '%n %u:%g %a' d/pub/u d/pub/ud d/pub/mine2 d/pub/hard2
stat -c '%n %u:%g' d/pub/us
mkdir d/sg/sub; echo x > d/sg/file; stat -c '%n %g %a' d/sg/sub d/sg/file
EOF
	# fs.protected_hardlinks forbids a link to root's file the user may
	# not write
	local hl=no want
	[ "$(cat /proc/sys/fs/protected_hardlinks 2>/dev/null)" = 0 ] && hl=ok
	want=$(cat <<'EOF'
cat d/f: no
cat d/ro: ok
echo x >> d/ro: no
echo x > d/new: no
ls d/priv: no
cd d/priv: no
echo x > d/pub/mine: ok
rm d/sticky/rootfile: no
echo y > d/sticky/rootfile: ok
mkdir d/x: no
rm d/ro: no
mv d/pub/mine d/pub/mine2: ok
truncate -s 0 d/ro: no
ln -s foo d/pub/l: ok
ln d/ro d/pub/hard: HL
ln d/sticky/rootfile d/pub/hard2: ok
cat d/priv/pf: no
stat d/priv/pf: no
cd d/priv/sub: no
ls d/open: no
cat d/open/f: ok
cd d/open && cat ../priv/pf: no
0
d/pub/u 1000:1000 644
d/pub/ud 1000:1000 755
d/pub/mine2 1000:1000 644
d/pub/hard2 0:0 666
d/pub/us 1000:1000
d/sg/sub 100 2755
d/sg/file 100 644
EOF
)
	ident_expect ident-perm "${want/HL/$hl}" -- sh "$SCR/perm.sh" "$d"
	# the same where the file view answers the calls
	ident_expect ident-perm-view "${want/HL/$hl}" -0 -b "$d:$d" -- \
		sh "$SCR/perm.sh" "$d"
	# a recorded set-id bit makes its caller the owner at exec, as the
	# kernel does; not for a script, nor under no_new_privs; root gets
	# its capabilities back at exec
	cat >"$SCR/suid.sh" <<'EOF'
cd "$1"; rm -rf s; mkdir s; PATH=/usr/bin:/bin
cp /usr/bin/id s/uid; chmod 4755 s/uid
cp /usr/bin/id s/gid; chgrp 100 s/gid; chmod 2755 s/gid
printf '#!/bin/sh\nid -u\n' > s/scr; chmod 4755 s/scr
cp /usr/bin/id s/noexec; chmod 644 s/noexec
as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
as s/uid -u; as s/uid -ru; as s/gid -g; as s/gid -rg; as s/scr
as s/noexec 2>/dev/null; echo "as user: $?"
s/noexec 2>/dev/null; echo "as root: $?"
setpriv --reuid 1000 --regid 1000 --clear-groups --no-new-privs s/uid -u
as sh -c 'exec s/uid -u'
setpriv --bounding-set=-net_raw python3 -c 'if 1:
	import ctypes, os
	l = ctypes.CDLL(None)
	h = (ctypes.c_uint32 * 2)(0x20080522, 0)
	print(l.capset(h, (ctypes.c_uint32 * 6)()), l.prctl(23, 13), l.prctl(23, 0), flush=True)
	os.execv("/bin/sh", ["sh", "-c", "grep -E \"^Cap(Prm|Eff):\" /proc/self/status | grep -c -v 0000000000000000"])'
EOF
	ident_expect ident-setuid-exec $'0\n1000\n100\n1000\n1000\nas user: 126\nas root: 126\n1000\n0\n0 0 1\n2' \
		-- sh "$SCR/suid.sh" "$d"
	# /proc/PID/status tells the view's ids
	NATIVE="setpriv --reuid=1000 --regid=1000 --clear-groups --" \
	ident_expect ident-proc-status $'Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t \nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0' \
		--uid 1000 --gid 1000 -- sh -c \
		'grep -E "^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Amb)|NoNewPrivs)" /proc/$$/status'
	cat >"$SCR/status.py" <<'EOF'
import ctypes, os, threading
def field(name, path="/proc/self/status"):
    for line in open(path):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].split()
print(field("Uid"), field("CapEff") == field("CapBnd"), field("NoNewPrivs"))
os.setresuid(1000, 1000, 0)
print(field("Uid", "/proc/thread-self/status"), field("CapEff"),
      field("CapPrm") == field("CapBnd"))
print(field("Uid", "/proc/%d/task/%d/status" % (os.getpid(), threading.get_native_id())))
libc = ctypes.CDLL(None)
print(libc.prctl(39, 0, 0, 0, 0), libc.prctl(38, 1, 0, 0, 0), libc.prctl(39, 0, 0, 0, 0), field("NoNewPrivs"))
EOF
	ident_expect ident-proc-status-root "$(cat <<'EOF'
['0', '0', '0', '0'] True ['0']
['1000', '1000', '0', '1000'] ['0000000000000000'] True
['1000', '1000', '0', '1000']
0 0 1 ['1']
EOF
)" -- python3 "$SCR/status.py"
	# an overlay's copy-up keeps what the view said of the lower file
	mkdir -p "$d/low/d" && touch "$d/low/f" "$d/low/g" || return
	"$FACET" -0 --fakeroot-db "$d/ovl.db" -- sh -c "cd '$d/low' &&
		chown 5:6 f && chmod 4711 f && chown 7 d && mknod null c 1 3" \
		>/dev/null 2>&1 </dev/null
	NATIVE=none ident_expect ident-overlay-copy-up "$(cat <<'EOF'
f 5:6 4711 regular file
d 7:0 755 directory
g 0:0 600 regular empty file
null 9:0 644 character special file
EOF
)" -0 --fakeroot-db "$d/ovl.db" --overlay "$d/low" -- sh -c "cd '$d/low' &&
		echo x >> f && touch d/new && chmod 600 g && chown 9 null &&
		stat -c '%n %u:%g %a %F' f d g null"
	NATIVE=none ident_expect ident-overlay-lower-kept "$(cat <<'EOF'
f 5:6 4711 regular empty file
g 0:0 644 regular empty file
null 0:0 644 character special file
EOF
)" -0 --fakeroot-db "$d/ovl.db" -w "$d/low" -- stat -c '%n %u:%g %a %F' f g null
}

# extended attributes only root may set (file capabilities, trusted.*)
# are kept by the view, with the kernel's rules, and in the database
cases_ident_xattr() {
	local d=$SCR/identx
	rm -rf "$d" && mkdir -p "$d" && chmod 777 "$d" || return
	if ! command -v setcap >/dev/null; then
		skip ident-xattr "no setcap (Debian package libcap2-bin)"
		return
	fi
	cat >"$SCR/caps.sh" <<'EOF'
cd "$1"; rm -rf c; mkdir c; PATH=/usr/bin:/bin:/usr/sbin:/sbin
cp /usr/bin/grep c/g; setcap cap_net_raw,cap_chown+ep c/g; echo "setcap: $?"
getcap c/g
setcap cap_sys_admin+ei c/none 2>/dev/null; echo "missing: $?"
python3 - <<'PY'
import os, errno
def t(f, *a):
    try:
        r = f(*a)
        return r if r is not None else "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
os.setxattr("c/g", "user.u", b"1")
print(t(os.setxattr, "c/g", "trusted.x", b"hello"), t(os.getxattr, "c/g", "trusted.x"))
print(t(os.setxattr, "c/g", "trusted.x", b"again", os.XATTR_CREATE),
      t(os.setxattr, "c/g", "trusted.y", b"1", os.XATTR_REPLACE))
print(sorted(os.listxattr("c/g")))
print(t(os.setxattr, "c/g", "security.capability", b"bad"))
print(t(os.removexattr, "c/g", "trusted.x"), t(os.getxattr, "c/g", "trusted.x"),
      t(os.removexattr, "c/g", "trusted.x"))
os.setxattr("c/g", "trusted.x", b"hello")
PY
as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
as c/g -E '^Cap(Prm|Eff)' /proc/self/status
as python3 -c 'import os; print(sorted(os.listxattr("c/g")))'
as setcap -r c/g 2>/dev/null; echo "user -r: $?"
chown 5 c/g; getcap c/g; echo "after chown: $?"
EOF
	ident_expect ident-xattr "$(cat <<'EOF'
setcap: 0
c/g cap_chown,cap_net_raw=ep
missing: 1
ok b'hello'
EEXIST ENODATA
['security.capability', 'trusted.x', 'user.u']
EINVAL
ok ENODATA ENODATA
CapPrm:	0000000000002001
CapEff:	0000000000002001
['security.capability', 'user.u']
user -r: 1
after chown: 0
EOF
)" -- sh "$SCR/caps.sh" "$d"
	# kept across runs; a torn attribute record is dropped
	local db=$d/x.db long
	long=$(printf '%0200d' 7)
	cp /usr/bin/true "$d/t"
	"$FACET" -0 --fakeroot-db "$db" -- sh -c "setcap cap_net_raw+ep '$d/t' &&
		python3 -c 'import os; os.setxattr(\"$d/t\", \"trusted.long\", b\"$long\")'" \
		>/dev/null 2>&1 </dev/null
	NATIVE=none ident_expect ident-xattr-db "$d/t cap_net_raw=ep
200" -0 --fakeroot-db "$db" -- sh -c "/usr/sbin/getcap '$d/t';
		python3 -c 'import os; print(len(os.getxattr(\"$d/t\", \"trusted.long\")))'"
	cp "$db" "$d/torn.db"
	truncate -s -10 "$d/torn.db"
	expect ident-xattr-db-torn 0 "$d/t cap_net_raw=ep
dropped" "cut short" \
		-0 --fakeroot-db "$d/torn.db" -- sh -c "/usr/sbin/getcap '$d/t'
		python3 -c 'import os; print(\"kept\" if \"trusted.long\" in os.listxattr(\"$d/t\") else \"dropped\")'"
	# a file of the first version (no attributes) is still read
	"$FACET" -0 --fakeroot-db "$d/v1.db" -- chown 3:4 "$d/t" >/dev/null 2>&1 </dev/null
	printf '\001' | dd of="$d/v1.db" bs=1 seek=8 conv=notrunc status=none
	NATIVE=none ident_expect ident-db-version-1 "3:4" -0 --fakeroot-db "$d/v1.db" -- \
		stat -c %u:%g "$d/t"
}

# ident_rootfs_setup - (root) the tar, its listing and a .deb for the user
ident_rootfs_setup() {
	local r=$FILES_ROOTFS
	[ "$(id -u)" = 0 ] && [ -e "$r/.complete" ] || return 0
	mkdir -p "$IDENT_CACHE" && chmod 755 "$IDENT_CACHE"
	if [ ! -e "$IDENT_CACHE/rootfs.tar" ]; then
		(cd "$r" && tar cf "$IDENT_CACHE/rootfs.tar.tmp" --exclude=./.complete .) &&
			mv "$IDENT_CACHE/rootfs.tar.tmp" "$IDENT_CACHE/rootfs.tar"
		(cd "$r" && find . -path ./.complete -prune -o \
			-printf '%u:%g %m %y %p\n' | sort) >"$IDENT_CACHE/rootfs.list"
	fi
	if ! ls "$IDENT_CACHE"/hello_*.deb >/dev/null 2>&1; then
		(cd "$IDENT_CACHE" && timeout 120 apt-get download hello) \
			>/dev/null 2>&1
	fi
	chmod -R a+rX "$IDENT_CACHE"
}

cases_ident_rootfs() {
	local d=$SCR/identroot deb
	ident_rootfs_setup
	if [ ! -e "$IDENT_CACHE/rootfs.tar" ]; then
		skip ident-rootfs "no $IDENT_CACHE/rootfs.tar (made by the root pass from tests/mkrootfs.sh's tree)"
		return
	fi
	rm -rf "$d" && mkdir -p "$d/root" || return
	run "$SCR/case.x" "$FACET" -0 --fakeroot-db "$d/db" -- \
		tar xpf "$IDENT_CACHE/rootfs.tar" -C "$d/root"
	check ident-rootfs-tar-xp "tar xpf failed" "$(cat "$SCR/case.x.rc")" \
		"$(summary "$SCR/case.x")"
	run "$SCR/case.l" "$FACET" -0 --fakeroot-db "$d/db" -w "$d/root" -- \
		find . -printf '%u:%g %m %y %p\n'
	sort "$SCR/case.l.out" >"$d/list"
	if cmp -s "$d/list" "$IDENT_CACHE/rootfs.list"; then
		pass ident-rootfs-owners
	else
		fail ident-rootfs-owners "owners or modes differ from the real tree" \
			"$(diff "$IDENT_CACHE/rootfs.list" "$d/list" | head -n 20)"
	fi
	deb=$(ls "$IDENT_CACHE"/hello_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		skip ident-rootfs-dpkg "no hello .deb (apt-get download hello failed in the root pass)"
		return
	fi
	ident_dpkg() {
		local name=$1 want=$2
		shift 2
		run "$SCR/case.d" "$FACET" -0 --fakeroot-db "$d/db" -r "$d/root" \
			-b "$IDENT_CACHE:/debs:ro" -- "$@"
		if [ "$(cat "$SCR/case.d.rc")" = 0 ] &&
		   [ "$(cat "$SCR/case.d.out")" = "$want" ]; then
			pass "$name"
		else
			fail "$name" "expected: $(printf %q "$want")" "$(summary "$SCR/case.d")"
		fi
	}
	ident_dpkg ident-rootfs-dpkg-i $'install ok installed\nHello, world!' \
		sh -c "dpkg -i /debs/${deb##*/} >/dev/null &&
		       dpkg-query -W -f '\${Status}\n' hello && hello"
	ident_dpkg ident-rootfs-ls $'root:root 755 /usr/bin/hello\nroot:root 4755 /usr/bin/passwd\nroot:shadow 640 /etc/shadow\nroot:mail 2775 /var/mail' \
		stat -c '%U:%G %a %n' /usr/bin/hello /usr/bin/passwd /etc/shadow /var/mail
	ident_dpkg ident-rootfs-tar-c $'-rwsr-xr-x root/root usr/bin/passwd\n-rw-r----- root/shadow etc/shadow' \
		sh -c 'tar cf - -C / usr/bin/passwd etc/shadow | tar tvf - | awk "{print \$1, \$2, \$NF}"'
	# nobody meets the tree's owners and modes; a set-uid copy of id,
	# made by root, makes it root
	ident_dpkg ident-rootfs-nobody $'denied\ndenied\ndenied\nnobody 0 65534' \
		sh -c 'cp /usr/bin/id /usr/local/bin/rid && chmod 4755 /usr/local/bin/rid &&
		setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c "
		cat /etc/shadow 2>/dev/null || echo denied
		ls /root 2>/dev/null || echo denied
		touch /etc/new 2>/dev/null || echo denied
		echo \$(id -un) \$(rid -u) \$(rid -ru)"; rm /usr/local/bin/rid'
}

cases_ident() {
	cases_ident_creds
	cases_ident_files
	cases_ident_perm
	cases_ident_xattr
	cases_ident_rootfs
}
