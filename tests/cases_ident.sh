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
}

cases_ident() {
	cases_ident_creds
	cases_ident_files
	cases_ident_rootfs
}
