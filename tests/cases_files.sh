# SPDX-License-Identifier: GPL-2.0-or-later
# cases_files.sh - integration cases for the file views: --bind, --hide,
# --tmpfs, --overlay, --root, --cwd
#
# Sourced by tests/integration.sh, which calls cases_files_bind,
# cases_files_hide, cases_files_tmpfs, cases_files_overlay,
# cases_files_rootfs, cases_files_races and cases_files_usage from its
# scratch directory ($SCR/w), with its helpers (compare, expect, check, skip,
# run, summary, pass, fail) and variables ($FACET, $SCR, $BT, $TOP, $PREFIX).
#
# Where a native run means something, a case runs the same command natively
# on a plain directory and under facet on the view, and compares stdout,
# stderr and status as compare() does.  Commands that write only ever write
# below $SCR, so a facet that ignored an option could not harm the host.
#
# The rootfs cases need the Debian root filesystem that tests/mkrootfs.sh
# builds (as root, once) in $FILES_ROOTFS; they compare "facet -r ROOTFS"
# with "chroot ROOTFS" run as root with /dev, /proc and /sys bound in, in a
# private mount namespace (unshare -m), so nothing stays mounted whatever
# happens.  The root pass keeps the chroot's results in $FILES_ROOTFS.ref,
# and the unprivileged pass, which can neither build the root filesystem nor
# chroot, compares against those; without them, those cases are skipped.

FILES_ROOTFS=/var/cache/facet-tests/rootfs-bookworm
# Python that prints e(call, args...): "ok" or the errno's name
FILES_PY_E='import errno, os, sys
def e(f, *a):
    try:
        f(*a)
        return "ok"
    except OSError as x:
        return errno.errorcode[x.errno]
'
FILES_REF=$FILES_ROOTFS.ref

# --- helpers -----------------------------------------------------------------

# files_setup - fixtures of the file cases in $F (= $SCR/files), once
files_setup() {
	F=$SCR/files
	[ -d "$F" ] && return
	mkdir -p "$F" "$F/n" "$F/f" || exit 125
	# probe.py PATH... - for each PATH "PATH: STAT LSTAT OPEN", each "ok"
	# or the errno's name.  "-C DIR" changes directory first; "@DIR:REL"
	# probes REL relative to a descriptor of DIR (the *at calls);
	# "fd:DIR:REL" probes /proc/self/fd/N/REL, N a descriptor of DIR
	cat >"$F/probe.py" <<'EOF'
import errno, os, sys

def name(f, p, **kw):
    try:
        f(p, **kw)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]

def opn(p, **kw):
    os.close(os.open(p, os.O_RDONLY, **kw))

args = sys.argv[1:]
while args:
    a = args.pop(0)
    if a == "-C":
        os.chdir(args.pop(0))
        continue
    kw, p = {}, a
    if a.startswith("@"):
        d, p = a[1:].rsplit(":", 1)
        kw["dir_fd"] = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    elif a.startswith("fd:"):
        d, rel = a[3:].rsplit(":", 1)
        p = "/proc/self/fd/%d/%s" % (os.open(d, os.O_RDONLY | os.O_DIRECTORY), rel)
    print("%s: %s %s %s" % (a, name(os.stat, p, **kw),
          name(lambda p, **k: os.stat(p, follow_symlinks=False, **k), p, **kw),
          name(opn, p, **kw)))
EOF
	# lpath.py DIR - what a program does with an O_PATH | O_NOFOLLOW fd of
	# the symlink DIR/lnk (which no fd the supervisor makes can stand for):
	# fstat, /proc/self/fd, glibc's lchmod (which opens it so), lchown
	cat >"$F/lpath.py" <<'EOF'
import errno, os, stat, sys, threading
def name(f):
    try:
        r = f()
        return "ok" if r is None else str(r)
    except OSError as e:
        return errno.errorcode[e.errno]
    except NotImplementedError:
        return "notimpl"
d = sys.argv[1]
fd = os.open(d + "/lnk", os.O_PATH | os.O_NOFOLLOW)
print("fstat", stat.S_ISLNK(os.fstat(fd).st_mode), os.fstat(fd).st_size)
print("name", os.readlink("/proc/self/fd/%d" % fd) == d + "/lnk")
print("reopen", name(lambda: os.open("/proc/self/fd/%d" % fd, os.O_RDONLY)))
print("lchmod", name(lambda: os.chmod(d + "/lnk", 0o700, follow_symlinks=False)))
print("lchown", name(lambda: os.chown(d + "/lnk", os.getuid(), -1, follow_symlinks=False)))
print("file", name(lambda: os.close(os.open(d + "/a.txt", os.O_PATH | os.O_NOFOLLOW))))
print("dir", name(lambda: os.open(d + "/lnk", os.O_PATH | os.O_NOFOLLOW | os.O_DIRECTORY)))
os.close(fd)
# with other threads running meanwhile
stop, n = [], [0]
def busy():
    while not stop:
        n[0] += 1
ts = [threading.Thread(target=busy) for i in range(3)]
for t in ts:
    t.start()
ok = 0
for i in range(20):
    fd = os.open(d + "/lnk", os.O_PATH | os.O_NOFOLLOW)
    ok += stat.S_ISLNK(os.fstat(fd).st_mode)
    os.close(fd)
stop.append(1)
for t in ts:
    t.join()
print("threads", ok, len(os.listdir("/proc/self/fd")))
EOF
}

# files_fresh DIR [SRC] - DIR as a fresh copy of SRC (default: the tree)
files_fresh() {
	rm -rf "$1" && mkdir -p "$(dirname "$1")" &&
		cp -a "${2:-$SCR/fix/tree}" "$1" || exit 125
}

# files_vs NAME NATIVE COMMAND... -- FACET ARGS... - the native command
# against facet run with ARGS (which hold their own "--"); $NORM applies
files_vs() {
	local name=$1 native=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		native+=("$1")
		shift
	done
	shift
	run "$SCR/case.native" "${native[@]}"
	run "$SCR/case.facet" "$FACET" "$@"
	judge "$name"
}

# files_sh NAME NDIR GDIR SCRIPT [FACET OPTIONS...] - "sh -c SCRIPT sh NDIR"
# natively against "facet OPTIONS -- sh -c SCRIPT sh GDIR": the script sees
# its directory as $1 and prints nothing that names it
files_sh() {
	local name=$1 nd=$2 gd=$3 script=$4
	shift 4
	files_vs "$name" sh -c "$script" sh "$nd" -- "$@" -- sh -c "$script" sh "$gd"
}

# files_snap DIR [notime] - DIR's tree (names relative to DIR, types, modes,
# owners, sizes of all but directories, mtimes unless "notime", symlink
# targets) and the sha256 of every file
files_snap() {
	local fmt='%p %y %m %U %G %s %T@ %l\n'
	[ "${2:-}" = notime ] && fmt='%p %y %m %U %G %l\n'
	(
		cd "$1" || exit 1
		find . ! -type d -printf "$fmt" | LC_ALL=C sort
		find . -type d -printf "${fmt/ %s/}" | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum
	) 2>&1
}

# files_same NAME WHY A B - pass if the files A and B have the same content
files_same() {
	cmp -s "$3" "$4"
	check "$1" "$2" $? "$(diff -u --label before --label after "$3" "$4")"
}

# files_expect_probe NAME RESULT FACET OPTIONS... -- PROBE ARGS... - every
# path probed (see probe.py) must give RESULT ("ENOENT ENOENT ENOENT")
files_expect_probe() {
	local name=$1 res=$2 opts=() a want="" cd=0
	shift 2
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	for a in "$@"; do
		if [ "$a" = -C ]; then
			cd=1
		elif [ "$cd" = 1 ]; then
			cd=0
		else
			want+="$a: $res"$'\n'
		fi
	done
	printf '%s' "$want" >"$SCR/case.want"
	run "$SCR/case.facet" "$FACET" "${opts[@]}" -- python3 "$F/probe.py" "$@"
	[ "$(cat "$SCR/case.facet.rc")" = 0 ] && [ ! -s "$SCR/case.facet.err" ] &&
		cmp -s "$SCR/case.want" "$SCR/case.facet.out"
	check "$name" "a path is not as expected" $? "$(diff -u --label expected \
		--label facet "$SCR/case.want" "$SCR/case.facet.out"
		cat "$SCR/case.facet.err")"
}

# --- --bind --------------------------------------------------------------------

cases_files_bind() {
	local t=$SCR/fix/tree d
	files_setup

	# reading through a bind: the same as reading the source.  The bind's
	# ".." is its guest parent: a directory made to look like the source's
	# parent ($SCR/fix: one subdirectory, same mode and mtime), so that
	# even "ls -la" matches as it is
	mkdir -p "$F/f/wk/tree"
	touch -d '2021-03-04 05:06:07' "$F/f/wk"
	files_vs bind-ls-la ls -la "$t" -- -b "$t:$F/f/wk/tree" -- \
		ls -la "$F/f/wk/tree"
	NORM="s|^$t|TREE|; s|^$F/f/wk/tree|TREE|" files_vs bind-ls-laR \
		ls -laR "$t" -- -b "$t:$F/f/wk/tree" -- ls -laR "$F/f/wk/tree"
	# at /work, ".." is the guest's /: only that line differs (and with
	# it the width of the link count column)
	NORM='s/  */ /g; /^d.* \.\.$/d' files_vs bind-ls-la-work ls -la "$t" -- \
		-b "$t:/work" -- ls -la /work
	files_vs bind-cat cat "$t/a.txt" "$t/sub/c.bin" "$t/link" -- \
		-b "$t:/work" -- cat /work/a.txt /work/sub/c.bin /work/link
	files_sh bind-sha256sum "$t" /work 'cd "$1" &&
		sha256sum a.txt b.txt sub/c.bin sub/deeper/d.txt link empty' \
		-b "$t:/work"
	files_sh bind-find "$t" /work 'find "$1" -printf "%P %y %m %s %T@ %l\n" |
		sort; find "$1" -name "*.txt" -newer "$1/empty" | wc -l' -b "$t:/work"
	files_sh bind-tar "$t" /work 'tar -C "$1" --sort=name -cf - . | sha256sum;
		tar -C "$1" --sort=name -cf - . | tar -tvf -' -b "$t:/work"
	files_sh bind-stat "$t" /work 'cd "$1" && stat -c "%n %s %a %h %F %U %Y" \
		* sub/* sub/deeper/*; stat -L -c "%n %s %F" link' -b "$t:/work"
	# "name/" names a directory: symlink, mknod and link fail (ENOENT), a
	# file is not renamed to or from it (ENOTDIR), mkdir and a
	# directory's rename succeed
	cat >"$SCR/slash.py" <<'EOF'
import os
for f in (lambda: os.symlink("x", "sl/"), lambda: os.mknod("nd/"),
          lambda: os.link("src", "ln/"), lambda: os.link("/etc/hostname", "l2/"),
          lambda: os.rename("src", "rn/"), lambda: os.rename("src/", "rn"),
          lambda: os.mkdir("dd/"), lambda: os.rename("dd/", "ee/")):
    try:
        f()
        print("made")
    except OSError as e:
        print(e.strerror)
print(sorted(os.listdir(".")))
EOF
	rm -rf "$F/f/slash-n" "$F/f/slash-g"
	mkdir -p "$F/f/slash-n" "$F/f/slash-g" &&
		touch "$F/f/slash-n/src" "$F/f/slash-g/src" || return
	files_sh bind-trailing-slash "$F/f/slash-n" /work \
		"cd \"\$1\" && python3 '$SCR/slash.py'" -b "$F/f/slash-g:/work"
	# a source outside the guest's other paths, at a path the host lacks
	expect bind-dst-missing 0 "hello
world" "" -b "$t:$F/f/not-on-host/mnt" -- cat "$F/f/not-on-host/mnt/a.txt"
	[ ! -e "$F/f/not-on-host" ]
	check bind-dst-missing-host "facet created the mount point on the host" $?

	# a single file
	expect bind-file 0 "hello
world" "" -b "$t/a.txt:/etc/hostname" -- cat /etc/hostname
	printf 'host\n' >"$F/f/target.txt"
	printf 'source\n' >"$F/file.txt"
	expect bind-file-write 0 "source
changed" "" -b "$F/file.txt:$F/f/target.txt" -- sh -c 'cat "$1";
		echo changed >"$1"; cat "$1"' sh "$F/f/target.txt"
	[ "$(cat "$F/file.txt")" = changed ] && [ "$(cat "$F/f/target.txt")" = host ]
	check bind-file-write-host "the write did not land in the source only" $? \
		"source: $(cat "$F/file.txt"), host target: $(cat "$F/f/target.txt")"

	# a bind over a directory hides what is under it
	mkdir -p "$F/f/over" "$F/above" && : >"$F/f/over/under.txt" &&
		: >"$F/above/above.txt"
	expect bind-over-existing 0 "above.txt
absent" "" -b "$F/above:$F/f/over" -- sh -c 'ls -A "$1";
		[ -e "$1/under.txt" ] && echo present || echo absent' sh "$F/f/over"

	# writes through a read-write bind land in the source; the same script
	# natively on a copy leaves the same tree (times aside)
	files_fresh "$F/n/rw"
	files_fresh "$F/src/rw"
	mkdir -p "$F/f/rw"
	files_sh bind-rw-write "$F/n/rw" "$F/f/rw" 'cd "$1" || exit 9
		echo new >new.txt; echo more >>a.txt; mkdir d; mv b.txt d/b.txt
		rm empty; ln -s new.txt sl; chmod 640 a.txt; rm -r sub/deeper
		ln a.txt hard; touch -d "2020-01-01 00:00:00" new.txt
		ls -A . d; cat a.txt sl; stat -c "%n %a %h %s" a.txt
		stat -c "%n %a %h %s %Y" new.txt' \
		-b "$F/src/rw:$F/f/rw"
	files_snap "$F/n/rw" notime >"$F/snap.n"
	files_snap "$F/src/rw" notime >"$F/snap.f"
	files_same bind-rw-source "the source differs from the native result" \
		"$F/snap.n" "$F/snap.f"
	[ -z "$(ls -A "$F/f/rw")" ]
	check bind-rw-host-dst "files appeared at the host's $F/f/rw" $? \
		"$(ls -la "$F/f/rw")"

	# :ro - every change fails with EROFS, reading works, nothing changes
	files_fresh "$F/ro"
	mkdir -p "$F/ro/emptydir" "$F/f/ro"
	touch -d '2021-03-04 05:06:07' "$F/ro/emptydir" "$F/ro"
	files_snap "$F/ro" >"$F/snap.before"
	d=$F/f/ro
	local ro=(-b "$F/ro:$d:ro") erofs='1:Read-only file system$'
	expect bind-ro-read 0 "hello
world
a.txt" "" "${ro[@]}" -- sh -c 'cat "$1/a.txt"; ls "$1" | head -n 1' sh "$d"
	expect bind-ro-touch 1 "" "$erofs" "${ro[@]}" -- touch "$d/a.txt"
	expect bind-ro-touch-new 1 "" "$erofs" "${ro[@]}" -- touch "$d/new"
	expect bind-ro-rm 1 "" "$erofs" "${ro[@]}" -- rm -f "$d/a.txt"
	expect bind-ro-mkdir 1 "" "$erofs" "${ro[@]}" -- mkdir "$d/x"
	expect bind-ro-rmdir 1 "" "$erofs" "${ro[@]}" -- rmdir "$d/emptydir"
	expect bind-ro-mv 1 "" "$erofs" "${ro[@]}" -- mv "$d/a.txt" "$d/z.txt"
	expect bind-ro-chmod 1 "" "$erofs" "${ro[@]}" -- chmod 600 "$d/a.txt"
	expect bind-ro-chown 1 "" "$erofs" "${ro[@]}" -- \
		chown "$(id -u):$(id -g)" "$d/a.txt"
	expect bind-ro-symlink 1 "" "$erofs" "${ro[@]}" -- ln -s a.txt "$d/sl"
	expect bind-ro-truncate 1 "" "$erofs" "${ro[@]}" -- truncate -s 0 "$d/a.txt"
	expect bind-ro-redirect 2 "" "$erofs" "${ro[@]}" -- \
		sh -c 'echo x >>"$1"' sh "$d/a.txt"
	expect bind-ro-python 0 "EROFS EROFS EROFS" "" "${ro[@]}" -- python3 -c "$FILES_PY_E"'
d = sys.argv[1]
print(e(os.open, d + "/a.txt", os.O_RDWR), e(os.utime, d + "/b.txt"),
      e(os.rename, d + "/b.txt", d + "/sub/b.txt"))' "$d"
	# "SRC:ro": SRC at its own path, read-only
	expect bind-ro-same-path 1 "" "$erofs" -b "$F/ro:ro" -- touch "$F/ro/a.txt"
	files_snap "$F/ro" >"$F/snap.after"
	files_same bind-ro-unchanged "the read-only source changed" \
		"$F/snap.before" "$F/snap.after"

	# the working directory inside a bind: -w, cd, getcwd, /proc/self/cwd
	expect bind-cwd 0 "/work
hello
world
c.bin
deeper
/work/sub/deeper
/work/sub/deeper
/work/sub/deeper
/work" "" -b "$t:/work" -w /work -- sh -c 'pwd; cat a.txt; ls sub
		cd sub/deeper && pwd && /bin/pwd && readlink /proc/self/cwd
		cd ../.. && /bin/pwd'
	expect bind-cd 0 "/work
/work
/work
/work" "" -b "$t:/work" -- sh -c 'cd /work && pwd && /bin/pwd &&
		readlink /proc/self/cwd && python3 -c "import os; print(os.getcwd())"'
	expect bind-realpath 0 "/work/a.txt
/work/a.txt
/work/sub/c.bin
/work/b.txt
/work/sub" "" -b "$t:/work" -w /work/sub -- realpath ../a.txt ../link \
		deeper/../c.bin ../../work/b.txt .
	# ".." out of a bind is the bind's guest parent, not the source's
	expect bind-dotdot-root 0 "/
same" "" -b "$t:/work" -w /work/sub -- sh -c 'cd ../.. && /bin/pwd;
		[ /work/.. -ef / ] && echo same || echo different'
	mkdir -p "$F/n/g" "$F/f/g/mnt"
	echo marker >"$F/n/g/marker"
	echo marker >"$F/f/g/marker"
	files_fresh "$F/n/g/mnt"
	files_sh bind-dotdot-parent "$F/n/g" "$F/f/g" 'cd "$1/mnt/sub" || exit 9
		ls ..; ls ../..; cat ../../marker ../../mnt/../marker
		cat deeper/../../../marker; cd ../.. && basename "$(/bin/pwd)"
		python3 -c "import os; print(sorted(os.listdir(\"../g/mnt/..\")))"' \
		-b "$t:$F/f/g/mnt"

	# symbolic links in a bind: relative ones, absolute ones (resolved in
	# the guest's view), and ones climbing out of it
	files_fresh "$F/sl"
	d=$F/f/sl
	mkdir -p "$d"
	echo outside >"$F/f/outside.txt"
	ln -s "$d/a.txt" "$F/sl/abs"
	ln -s sub "$F/sl/dl"
	ln -s ../outside.txt "$F/sl/up"
	ln -s "$F/f/outside.txt" "$F/sl/absout"
	expect bind-symlinks 0 "hello
world
hello
world
outside
outside
1
$d/a.txt
$d/a.txt
$d/sub
$F/f/outside.txt" "" -b "$F/sl:$d" -- sh -c 'cd "$1" && cat link abs up absout
		grep -c binary dl/c.bin; readlink abs; readlink -f link
		cd dl && /bin/pwd; readlink -f "$1/up"' sh "$d"

	# an O_PATH fd of a symlink bound elsewhere: the guest's thread opens
	# it (ADDFD passes no O_PATH file); natively on a plain directory
	files_fresh "$F/lp"
	ln -s a.txt "$F/lp/lnk"
	mkdir -p "$F/f/lp"
	files_vs bind-opath-symlink python3 "$F/lpath.py" "$F/lp" -- \
		-b "$F/lp:$F/f/lp" -- python3 "$F/lpath.py" "$F/f/lp"
	files_vs bind-opath-symlink-sandbox python3 "$F/lpath.py" "$F/lp" -- \
		--sandbox -b "$F:$F" -b "$F/lp:$F/f/lp" -- python3 "$F/lpath.py" "$F/f/lp"
	files_vs tmpfs-opath-symlink python3 "$F/lpath.py" "$F/lp" -- \
		--tmpfs "$F/f/lp" -- sh -c 'ln -s a.txt "$1/lnk" && echo hello >"$1/a.txt" &&
			exec python3 "$2" "$1"' sh "$F/f/lp" "$F/lpath.py"

	# separate binds are separate file systems: rename and link across
	# them fail with EXDEV; mv falls back to copying
	files_fresh "$F/b1"
	files_fresh "$F/b2" "$F/sl"
	rm -f "$F/b2/a.txt"
	mkdir -p "$F/f/one" "$F/f/two" "$F/f/out"
	local two=(-b "$F/b1:$F/f/one" -b "$F/b2:$F/f/two")
	expect bind-exdev-rename 0 "EXDEV
EXDEV
EXDEV
ok" "" "${two[@]}" -- python3 -c '
import errno, os, sys
o, t, out = sys.argv[1:]
for a, b in ((o + "/a.txt", t + "/a.txt"), (o + "/a.txt", out + "/a.txt"),
             (t + "/b.txt", o + "/x.txt"), (o + "/a.txt", o + "/a2.txt")):
    try:
        os.rename(a, b)
        print("ok")
    except OSError as e:
        print(errno.errorcode[e.errno])' "$F/f/one" "$F/f/two" "$F/f/out"
	expect bind-exdev-link 1 "" \
		'1:^ln: failed to create hard link .*: Invalid cross-device link$' \
		"${two[@]}" -- ln "$F/f/one/b.txt" "$F/f/two/b-hard"
	expect bind-link-same 0 "2" "" "${two[@]}" -- sh -c \
		'ln "$1/b.txt" "$1/b-hard" && stat -c %h "$1/b.txt"' sh "$F/f/one"
	# mv falls back to copy and remove; times and contents kept
	files_fresh "$F/b1"
	rm -rf "$F/b2" "$F/f/out"
	mkdir -p "$F/b2" "$F/f/out"
	echo two >"$F/b2/b.txt"
	expect bind-exdev-mv 0 "b.txt link private
a.txt b.txt sub
empty
hello
world
1000
$(date -d '2021-03-04 05:06:07' +%s)" "" "${two[@]}" -- sh -c 'mv "$1/a.txt" "$2/a.txt" &&
		mv "$1/sub" "$2/" && mv "$1/empty" "$3/empty" || exit 9
		echo $(ls "$1"); echo $(ls "$2"); ls "$3"; cat "$2/a.txt"
		wc -l <"$2/sub/deeper/d.txt"; stat -c %Y "$2/a.txt"' \
		sh "$F/f/one" "$F/f/two" "$F/f/out"
	# on the host: moved from one source to the other, and out of the binds
	[ ! -e "$F/b1/a.txt" ] && [ ! -e "$F/b1/sub" ] && [ ! -e "$F/b1/empty" ] &&
		cmp -s "$F/b2/a.txt" "$t/a.txt" && cmp -s "$F/b2/sub/c.bin" \
		"$t/sub/c.bin" && [ -f "$F/f/out/empty" ] && [ ! -e "$F/f/two/a.txt" ]
	check bind-exdev-mv-host "the host's files are not where mv put them" $? \
		"$(cd "$F" && find b1 b2 f/one f/two f/out | sort | head -n 40)"

	# a bind inside another
	files_fresh "$F/outer"
	files_fresh "$F/inner" "$F/above"
	mkdir -p "$F/f/nest"
	expect bind-nested 0 "above.txt
hello
world" "" -b "$F/outer:$F/f/nest" -b "$F/inner:$F/f/nest/sub" -- sh -c \
		'ls "$1/sub"; cat "$1/sub/../a.txt"' sh "$F/f/nest"

	# mount(2) by a guest: the kernel's mount for one really privileged,
	# on a host directory shown as it is (as natively); a fake root's in
	# the view, seen by the processes sharing it (its shell) and gone at
	# the end.  A view has no propagation: --make-private succeeds
	d=$F/f/mnt-t
	mkdir -p "$d"
	# shellcheck disable=SC2016
	local mt='mount -t tmpfs none "$1" && echo x >"$1/f" &&
		mount --make-private "$1" && ls "$1" && umount "$1" && ls -A "$1"; echo "rc $?"'
	if [ "$(id -u)" = 0 ]; then
		compare mount-tmpfs-root -- sh -c "$mt" sh "$d"
		# in a view that shows it elsewhere, the kernel's mount is
		# listed where the view shows it, and found there by name
		# (the view's own bind at /mnt is listed too, after the kernel's)
		expect mount-tmpfs-root-bind 0 "/mnt/t
/mnt
remounted" "" -b "$F/f:/mnt" -w /mnt -- sh -c 'mkdir -p t && mount -t tmpfs none t &&
			awk "\$2 ~ /^\/mnt/ {print \$2}" /proc/self/mounts &&
			mount -o remount,ro t && echo remounted; umount t'
	else
		compare mount-tmpfs-user -- sh -c "$mt" sh "$d"
	fi
	expect mount-tmpfs-fakeroot 0 "f
rc 0" "" -0 -- sh -c "$mt" sh "$d"
	[ -z "$(ls -A "$d")" ] && ! grep -q " $d " /proc/self/mountinfo
	check mount-tmpfs-fakeroot-host "the mount or its file reached the host" $? \
		"$(ls -A "$d"; grep " $d " /proc/self/mountinfo)"
	# a socket bound in a bind has the name the guest gave it
	mkdir -p "$F/f/sock"
	expect bind-unix-getsockname 0 $'/mnt/s1\ns2' "" -b "$F/f/sock:/mnt" -w /mnt -- \
		python3 -c 'import socket
for p in ("/mnt/s1", "s2"):
    s = socket.socket(socket.AF_UNIX); s.bind(p); print(s.getsockname())'
	# and its clients see that name as their peer's (natively, and in
	# the work tree bound elsewhere, as Python's asyncio tests check)
	rm -f "$F/f/sock/"*
	expect bind-unix-getpeername 0 $'/mnt/s1\ns2' "" -b "$F/f/sock:/mnt" -w /mnt -- \
		python3 -c 'import socket
for p in ("/mnt/s1", "s2"):
    s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen(1)
    c = socket.socket(socket.AF_UNIX); c.connect("/mnt/" + p[-2:]); print(c.getpeername())'
	# connects to a listener whose backlog is full: non-blocking gets
	# EAGAIN, SO_SNDTIMEO gives EAGAIN in time, a blocking one waits
	# until accept() while the supervisor serves the other threads
	cat >"$F/backlog.py" <<'EOF'
import errno, os, socket, struct, sys, threading, time
p = sys.argv[1] + "/bl.sock"
l = socket.socket(socket.AF_UNIX); l.bind(p); l.listen(0)
def conn(block, timeo=0):
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(block)
    if timeo:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 0, timeo))
    try:
        c.connect(p)
        return c, "ok"
    except OSError as e:
        return c, errno.errorcode[e.errno]
keep = [conn(False) for i in range(2)]
print("nonblocking", [k[1] for k in keep])
t = time.monotonic()
print("sndtimeo", conn(True, 200000)[1], time.monotonic() - t >= 0.15)
def later():
    time.sleep(0.3)
    print("meanwhile", os.path.exists(p), flush=True)
    l.accept()
th = threading.Thread(target=later); th.start()
print("blocking", conn(True)[1], flush=True)
th.join()
os.unlink(p)
EOF
	files_vs bind-unix-backlog python3 "$F/backlog.py" "$F/f/sock" -- \
		-b "$F/f/sock:/mnt" -- python3 "$F/backlog.py" /mnt
	files_vs bind-unix-backlog-sandbox python3 "$F/backlog.py" "$F/f/sock" -- \
		--sandbox -b "$F:$F" -b "$F/f/sock:/mnt" -- python3 "$F/backlog.py" /mnt
	expect mount-bind-fakeroot 0 "above.txt
rc 0" "" -0 -- sh -c 'mount --bind "$1" "$2" && ls "$2" && umount "$2"; echo "rc $?"' \
		sh "$F/inner" "$d"
}

# --- --hide --------------------------------------------------------------------

cases_files_hide() {
	local t=$SCR/fix/tree h=$SCR/fix/tree/private gone='ENOENT ENOENT ENOENT'
	local hs st
	files_setup
	hs=$F/hs

	expect hide-cat 1 "" '1:^cat: .*/private: No such file or directory$' \
		--hide "$h" -- cat "$h"
	expect hide-stat 1 "" '1:^stat: .*No such file or directory$' \
		--hide "$h" -- stat "$h"
	expect hide-test-e 0 "absent absent absent" "" --hide "$h" -- sh -c '
		for op in -e -f -r; do
			[ $op "$1" ] && printf present || printf absent
			[ $op = -r ] && echo || printf " "
		done' sh "$h"
	expect hide-python 0 "False False False False False ENOENT" "" \
		--hide "$h" -- python3 -c '
import os, sys
p = sys.argv[1]
d, b = os.path.split(p)
try:
    open(p).close()
    e = "opened"
except FileNotFoundError:
    e = "ENOENT"
print(os.path.exists(p), os.path.lexists(p), os.access(p, os.F_OK),
      b in os.listdir(d), b in [x.name for x in os.scandir(d)], e)' "$h"
	# a hidden datagram socket cannot be sent to (the kernel would
	# resolve the address itself); one the view shows can, with fds
	if have hide-dgram python3; then
		rm -rf "$F/dg" && mkdir -p "$F/dg"
		# the host's socket (left bound: natively a send gets
		# ECONNREFUSED, not ENOENT)
		python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$F/dg/hidden"
		expect hide-dgram 0 "hidden: ENOENT
shown: b'x' 1" "" --hide "$F/dg/hidden" -- python3 -c '
import os, socket, sys
d = sys.argv[1]
r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
r.bind(d + "/shown")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.sendto(b"x", d + "/hidden")
    print("hidden: sent")
except OSError as e:
    print("hidden: " + ("ENOENT" if e.errno == 2 else e.strerror))
s.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, (1).to_bytes(4, "little"))], 0, d + "/shown")
msg, anc, _, _ = r.recvmsg(10, 64)
print("shown:", msg, len(anc))' "$F/dg"
	fi
	# programs made during the run beside a hidden path: the fence
	# (files_fence.c) does not grant them, they still run
	rm -rf "$F/nx" && mkdir -p "$F/nx" && echo s >"$F/nx/secret"
	st=none
	printf 'int main(void){return 7;}\n' |
		cc -static -x c -o "$F/static" - 2>/dev/null && st=7
	expect hide-new-exec 0 "dyn-ok
script-ok
cat-ok
$st" "" --hide "$F/nx/secret" -- sh -c '
		cp /bin/echo "$1/prog"; printf "#!/bin/sh\necho script-ok\n" >"$1/scr"
		chmod +x "$1/scr"; mkdir "$1/d"; cp /bin/cat "$1/d/c"
		echo cat-ok >"$1/d/f"
		"$1/prog" dyn-ok; "$1/scr"; "$1/d/c" "$1/d/f"
		if [ -e "$2" ]; then cp "$2" "$1/st"; "$1/st"; echo $?
		else echo none; fi' sh "$F/nx" "$F/static"
	# listings: as natively, less the hidden name (ls -l's total aside)
	files_vs hide-ls sh -c 'ls -la "$1" | sed 1d | grep -v " private$"' sh "$t" -- \
		--hide "$h" -- sh -c 'ls -la "$1" | sed 1d' sh "$t"
	files_vs hide-find sh -c 'find "$1" | grep -v /private$' sh "$t" -- \
		--hide "$h" -- find "$t"
	# the path every way round: "..", ".", "//", relative, *at(), and the
	# magic links of /proc
	files_expect_probe hide-paths "$gone" --hide "$h" -- "$h" \
		"$t/sub/../private" "$t/./private" "$t//private" \
		"$t/sub/deeper/../../private" "$SCR/fix/../fix/tree/private" \
		"/proc/self/root$h" "/proc/self/cwd/private" "fd:$t:private" \
		"@$t:private" "@$t/sub:../private" "@/:${h#/}" -C "$t" private \
		./private sub/../private
	files_expect_probe hide-proc-cwd "$gone" --hide "$h" -w "$t/sub" -- \
		/proc/self/cwd/../private ../private
	expect hide-proc-pid 1 "" 'No such file or directory' --hide "$h" -- \
		sh -c 'cat "/proc/$$/root$1"' sh "$h"
	expect hide-dev-fd 0 "ENOENT" "" --hide "$h" -- sh -c 'exec 3<"$1"
		cat /dev/fd/3/private 2>/dev/null || echo ENOENT' sh "$t"
	# calls that act on a name in its directory (rename, link, unlink,
	# mkdir), the path spelt every way: none reaches the hidden file
	# (and through a symlink to "..", which the text does not show)
	ln -sfn .. "$t/sub/up"
	expect hide-name-ops 0 "ENOENT ENOENT ENOENT ENOENT
ENOENT ENOENT ENOENT ENOENT
ENOENT ENOENT ENOENT ENOENT
ENOENT ENOENT ENOENT ENOENT" "" --hide "$h" -- python3 -c "$FILES_PY_E"'
t = sys.argv[1]
for p in (t + "//private", t + "/./private", t + "/sub/../private",
          t + "/sub/up/private"):
    print(e(os.rename, p, t + "/stolen"), e(os.link, p, t + "/stolen"),
          e(os.unlink, p), e(os.mkdir, p))' "$t"
	rm -f "$t/sub/up"
	check hide-name-ops-kept "the hidden file was moved or removed" \
		"$([ -f "$h" ] && [ ! -e "$t/stolen" ]; echo $?)"

	# a symlink pointing at the hidden file or into a hidden directory
	mkdir -p "$hs"
	ln -sfn "$h" "$hs/abs"
	ln -sfn ../../fix/tree/private "$hs/rel"
	ln -sfn "$t/sub" "$hs/dir"
	files_expect_probe hide-via-symlink "ENOENT ok ENOENT" --hide "$h" -- \
		"$hs/abs" "$hs/rel"
	files_expect_probe hide-via-dir-symlink "$gone" --hide "$t/sub" -- \
		"$hs/dir/c.bin" "$hs/dir/deeper/d.txt" "$hs/dir/." "$hs/dir/"
	expect hide-via-symlink-cat 1 "" 'No such file or directory' \
		--hide "$h" -- cat "$hs/rel"

	# a hidden directory hides everything below it
	files_expect_probe hide-dir "$gone" --hide "$t/sub" -- "$t/sub" \
		"$t/sub/" "$t/sub/." "$t/sub/c.bin" "$t/sub/deeper" \
		"$t/sub/deeper/d.txt" "$t/sub/deeper/../c.bin" "$t/sub/.." \
		"/proc/self/root$t/sub/c.bin" "@$t:sub/deeper" -C "$t" sub/c.bin
	files_vs hide-dir-find sh -c 'find "$1" | grep -v "/sub\(/\|$\)"' sh "$t" -- \
		--hide "$t/sub" -- find "$t"
	expect hide-dir-cd 2 "" 'can.t cd to' --hide "$t/sub" -- \
		sh -c 'cd "$1/sub/deeper"' sh "$t"
	# the hidden directory's siblings, and names it is a prefix of, stay
	mkdir -p "$F/pfx/priv" "$F/pfx/priv.d"
	: >"$F/pfx/private"
	: >"$F/pfx/priv.d/x"
	: >"$F/pfx/priv/x"
	files_expect_probe hide-siblings "ok ok ok" --hide "$F/pfx/priv" -- \
		"$F/pfx/private" "$F/pfx/priv.d/x" "$t/a.txt" "$t/sub/c.bin"
	# hiding a symlink hides the link, not its target
	files_expect_probe hide-symlink-itself "$gone" --hide "$t/link" -- "$t/link"
	files_expect_probe hide-symlink-target "ok ok ok" --hide "$t/link" -- \
		"$t/a.txt"

	# a hidden program cannot be run
	mkdir -p "$F/hx"
	cp /bin/true "$F/hx/prog"
	expect hide-exec 127 "" '1:^facet: ' --hide "$F/hx" -- "$F/hx/prog"
	expect hide-exec-sh 0 "127" 'not found' --hide "$F/hx" -- \
		sh -c '"$1"; echo $?' sh "$F/hx/prog"

	# whatever a guest tries on a hidden file, the file stays as it was
	mkdir -p "$F/hw"
	echo secret >"$F/hw/private"
	chmod 600 "$F/hw/private"
	touch -d '2021-03-04 05:06:07' "$F/hw/private" "$F/hw"
	files_snap "$F/hw" >"$F/snap.before"
	run "$SCR/case.facet" "$FACET" --hide "$F/hw/private" -- sh -c '
		echo pwned >"$1"; echo pwned >>"$1"; chmod 666 "$1"; touch "$1"
		mv "$1" "$1.moved"; rm -f "$1" "$1.moved"; ln -s /etc/passwd "$1"
		true' sh "$F/hw/private"
	files_snap "$F/hw" >"$F/snap.after"
	files_same hide-write-no-effect "the hidden file changed" \
		"$F/snap.before" "$F/snap.after"
}

# --- --tmpfs -------------------------------------------------------------------

cases_files_tmpfs() {
	local d pid i t=$SCR/fix/tree
	files_setup
	d=$F/f/tm
	mkdir -p "$d"
	echo host >"$d/hostfile"
	files_snap "$d" >"$F/snap.before"
	expect tmpfs-empty-writable 0 "0
d
f
hi
x" "" --tmpfs "$d" -- sh -c 'ls -A "$1" | wc -l; echo hi >"$1/f"
		mkdir "$1/d" && echo x >"$1/d/x"; ls "$1"; cat "$1/f" "$1/d/x"' sh "$d"
	expect tmpfs-gone-after-exit 0 "0" "" --tmpfs "$d" -- \
		sh -c 'ls -A "$1" | wc -l' sh "$d"
	files_snap "$d" >"$F/snap.after"
	files_same tmpfs-host-unchanged "the directory under the tmpfs changed" \
		"$F/snap.before" "$F/snap.after"

	# while a guest writes there, the host does not see it
	rm -rf "$F/sync"
	mkdir -p "$F/sync"
	"$FACET" --tmpfs "$d" -- sh -c 'echo x >"$1/f" && : >"$2/ready"
		i=0; while [ ! -e "$2/go" ] && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i + 1)); done
		cat "$1/f"' sh "$d" "$F/sync" >"$F/sync.out" 2>&1 </dev/null &
	pid=$!
	for i in $(seq 200); do
		[ -e "$F/sync/ready" ] && break
		sleep 0.05
	done
	local seen=no
	[ -e "$d/f" ] && seen=yes
	: >"$F/sync/go"
	wait "$pid"
	[ -e "$F/sync/ready" ] && [ $seen = no ] && [ "$(cat "$F/sync.out")" = x ]
	check tmpfs-not-on-host "the host saw the guest's file (or the guest failed)" \
		$? "ready: $([ -e "$F/sync/ready" ] && echo yes || echo no), host saw f: $seen, guest printed: $(cat "$F/sync.out")"

	# a workload in it, against the same in an empty directory ($0 is
	# the tree to copy in)
	local work='cd "$1" || exit 9
		cp -a "$0" copy && find copy ! -type d -printf "%p %y %m %s %T@ %l\n" |
			sort && find copy -type d -printf "%p %m %T@\n" | sort
		mv copy/a.txt copy/z && ln copy/b.txt copy/hard
		stat -c "%n %h %s" copy/b.txt copy/hard; rm -r copy/sub
		ln -s z copy/zl && cat copy/zl
		head -c 3000000 /dev/zero | tr "\0" y >big && wc -c big
		truncate -s 10 big && python3 -c "
f = open(\"big\", \"r+b\"); f.seek(5); f.write(b\"Z\"); f.close()
print(open(\"big\").read())"
		ls -A; ls copy; rm -r copy big && ls -A | wc -l'
	mkdir -p "$F/n/tw" "$F/f/tw"
	files_vs tmpfs-workload sh -c "$work" "$t" "$F/n/tw" -- \
		--tmpfs "$F/f/tw" -- sh -c "$work" "$t" "$F/f/tw"
	expect tmpfs-dst-missing 0 "y" "" --tmpfs "$F/f/nonexist/tm" -- sh -c \
		'echo y >"$1/f" && cat "$1/f"' sh "$F/f/nonexist/tm"
	[ ! -e "$F/f/nonexist" ]
	check tmpfs-dst-missing-host "facet created the mount point on the host" $?
	# the mount tables list the view's mounts, as the kernel would have
	# them: --tmpfs as tmpfs, a bind as the file system its directory is
	# on (findmnt, mountpoint and df read them)
	expect tmpfs-mountinfo 0 "$d tmpfs tmpfs
$d is a mountpoint
$d" "" --tmpfs "$d" -- sh -c \
		'findmnt -n -r -o TARGET,SOURCE,FSTYPE "$1"; mountpoint "$1"
		 df --output=target "$1" | tail -n1' sh "$d"
	expect bind-mountinfo 0 "/srv $(findmnt -n -o FSTYPE -T "$d") ro
/srv is a mountpoint" "" -b "$d:/srv:ro" -- sh -c \
		'findmnt -n -r -o TARGET,FSTYPE,OPTIONS /srv | cut -d, -f1; mountpoint /srv'
}

# --- --overlay -----------------------------------------------------------------

# FILES_OV - changes of every kind in the directory $1, then what they left
FILES_OV='cd "$1" || exit 9
echo new >new.txt; echo more >>a.txt; rm b.txt
mkdir -p nd/deep && echo x >nd/deep/x
mv sub/c.bin moved.bin; chmod 640 empty
ln -s new.txt l2; ln a.txt hard; stat -c "%n %h" a.txt hard
sed -i s/hello/HELLO/ a.txt
python3 -c "import os; open(\"tmp\", \"w\").write(\"t\\n\"); os.replace(\"tmp\", \"replaced\")"
rm link && echo relinked >link
mv sub sub2
echo "-- ls"; ls -A; ls -A sub2 sub2/deeper nd
echo "-- files"; cat a.txt hard new.txt l2 replaced link; sha256sum moved.bin
stat -c "%n %F %a %s %h" a.txt hard empty new.txt moved.bin replaced
stat -c "%n %F %a" sub2 nd l2
stat -c "%n %Y" moved.bin empty private sub2/deeper/d.txt
[ -e b.txt ] && echo "b.txt still there"; [ -e sub ] && echo "sub still there"
echo "-- tree"; find . ! -type d -printf "%p %y %m %s %l\n" | sort
find . -type d -printf "%p %m\n" | sort
echo "-- recreated"; rm -r sub2 && mkdir sub2 && ls -A sub2 | wc -l
rm -r nd && [ ! -e nd/deep/x ] && echo "nd gone"'

# FILES_OV_LIST - what the guest sees in $1 (after FILES_OV)
FILES_OV_LIST='cd "$1" || exit 9
ls -A; ls -A sub2 | wc -l; cat a.txt new.txt link
[ -e b.txt ] && echo "b.txt is back"; [ -e nd ] && echo "nd is back"
find . ! -type d -printf "%p %y %m %s %l\n" | sort'

cases_files_overlay() {
	local l u
	files_setup
	mkdir -p "$F/ovl/upper"
	files_usage usage-overlay-upper-in-lower \
		--overlay "$F/ovl:$F/ovl/upper" -- echo ran
	files_usage usage-overlay-upper-is-lower --overlay "$F/ovl:$F/ovl" -- echo ran

	# a symlink made in the overlay: its own times and xattrs change
	# (lutimes, lsetxattr act on the link where it now is)
	mkdir -p "$F/ovs"
	# shellcheck disable=SC2016
	expect overlay-symlink-attrs 0 "l 2
nowhere" "" --overlay "$F/ovs" -- python3 -c 'import os, sys
d = sys.argv[1] + "/d"; os.mkdir(d); os.symlink("nowhere", d + "/l")
os.utime(d + "/l", (1, 2), follow_symlinks=False)
print("l", int(os.lstat(d + "/l").st_mtime))
try:
    os.setxattr(d + "/l", "trusted.t", b"v", follow_symlinks=False)
except PermissionError:
    pass	# trusted.* is root'"'"'s
print(os.readlink(d + "/l"))' "$F/ovs"
	[ -z "$(ls -A "$F/ovs")" ]
	check overlay-symlink-attrs-lower "the lower directory changed" $?

	# in memory: the guest sees its changes, the directory never changes
	l=$F/ovm
	files_fresh "$l"
	files_fresh "$F/n/ovm"
	files_snap "$l" >"$F/snap.before"
	files_sh overlay-mem "$F/n/ovm" "$l" "$FILES_OV" --overlay "$l"
	files_snap "$l" >"$F/snap.after"
	files_same overlay-mem-lower-unchanged "the lower directory changed" \
		"$F/snap.before" "$F/snap.after"
	files_vs overlay-mem-gone-after-exit ls -A "$SCR/fix/tree" -- \
		--overlay "$l" -- ls -A "$l"

	# with an upper directory: the changes land there, and the next run
	# sees them (deletions and a directory made anew included)
	l=$F/ovu
	u=$F/upu
	files_fresh "$l"
	files_fresh "$F/n/ovu"
	rm -rf "$u"
	mkdir -p "$u"
	files_snap "$l" >"$F/snap.before"
	files_sh overlay-upper "$F/n/ovu" "$l" "$FILES_OV" --overlay "$l:$u"
	files_snap "$l" >"$F/snap.after"
	files_same overlay-upper-lower-unchanged "the lower directory changed" \
		"$F/snap.before" "$F/snap.after"
	[ "$(cat "$u/new.txt" 2>&1)" = new ] &&
		[ "$(cat "$u/a.txt" 2>&1)" = "$(printf 'HELLO\nworld\nmore')" ] &&
		[ "$(cat "$u/replaced" 2>&1)" = t ] && [ -f "$u/moved.bin" ]
	check overlay-upper-has-changes "UPPER lacks the guest's changes" $? \
		"$(cd "$u" && find . -printf '%p %y %s\n' | sort)"
	files_sh overlay-upper-persists "$F/n/ovu" "$l" "$FILES_OV_LIST" \
		--overlay "$l:$u"

	# an upper directory made on the host: both layers merge, upper wins
	l=$F/ovp
	u=$F/upp
	files_fresh "$l"
	rm -rf "$u"
	mkdir -p "$u/sub"
	echo 'from upper' >"$u/a.txt"
	: >"$u/upper-only.txt"
	: >"$u/sub/u.txt"
	expect overlay-merge 0 "a.txt
b.txt
empty
link
private
sub
upper-only.txt
c.bin
deeper
u.txt
from upper
from upper" "" --overlay "$l:$u" -- sh -c 'cd "$1" && ls -A; ls sub;
		cat a.txt link' sh "$l"

	# a parallel build in an overlay of the project: as natively, and the
	# project stays as it was
	files_fresh "$F/n/proj" "$SCR/proj"
	files_snap "$SCR/proj" >"$F/snap.before"
	files_sh overlay-make "$F/n/proj" "$SCR/proj" 'cd "$1" &&
		make -s clean && make -s -j2 && ./prog && make --no-print-directory; echo "make: $?"
		ls; make -s clean; ls' --overlay "$SCR/proj"
	files_snap "$SCR/proj" >"$F/snap.after"
	files_same overlay-make-unchanged "the project changed" \
		"$F/snap.before" "$F/snap.after"

	# a merged directory read in parts, with telldir/seekdir, as natively
	# (names sorted: the order of entries is the filesystem's)
	local seek='cd "$1" && echo new >new.txt && rm b.txt && perl -e '"'"'
		opendir(D, ".") or die; my @a = map { scalar readdir(D) } 1..3;
		my $t = telldir(D); my @r = readdir(D); seekdir(D, $t);
		my @s = readdir(D); rewinddir(D); my @all = readdir(D);
		print join(" ", sort(@a, @r)), "\n", (@r == @s ? "same" : "differ"),
		    "\n", scalar(@all), "\n"'"'"
	files_fresh "$F/ovs"
	files_fresh "$F/n/ovs"
	files_sh overlay-seekdir "$F/n/ovs" "$F/ovs" "$seek" --overlay "$F/ovs"

	# a thread of the guest swaps UPPER's copy of a directory with a
	# symlink to the lower one (renameat2 RENAME_EXCHANGE) while another
	# changes things in it through the overlay: natively (the same program
	# on a plain directory) the writes land in the lower; under facet the
	# lower must not change
	cat >"$F/ovrace.py" <<'EOF'
# ovrace.py DIR UPPER TARGET - writes in DIR/sub while UPPER/sub swaps
# with a symlink to TARGET/sub; prints whether both sides ran enough
import ctypes, os, sys, threading
L, U, T = sys.argv[1], sys.argv[2], sys.argv[3]
libc = ctypes.CDLL(None, use_errno=True)
open(L + "/sub/seed", "w").write("s")
os.symlink(T + "/sub", U + "/sub.l")
stop = []
flips = [0]
def flip():
    while not stop:
        if libc.renameat2(-100, (U + "/sub").encode(), -100,
                          (U + "/sub.l").encode(), 2) == 0:
            flips[0] += 1
t = threading.Thread(target=flip)
t.start()
ok = 0
for i in range(3000):
    for op in (lambda: open(L + "/sub/f%d" % (i % 7), "a").write("x"),
               lambda: os.chmod(L + "/sub/c.bin", 0o600),
               lambda: os.mkdir(L + "/sub/d%d" % i),
               lambda: os.rename(L + "/sub/deeper/d.txt", L + "/sub/moved"),
               lambda: os.unlink(L + "/sub/deeper/d.txt")):
        try:
            op()
            ok += 1
        except OSError:
            pass
stop.append(1)
t.join()
print("flips", flips[0] > 100, "ops", ok > 100)
EOF
	l=$F/ovr
	u=$F/upr
	files_fresh "$l"
	rm -rf "$u" "$F/n/ovr"
	mkdir -p "$u" "$F/n/ovr/sub"
	files_snap "$l" >"$F/snap.before"
	run "$SCR/case.native" python3 "$F/ovrace.py" "$F/n/ovr" "$F/n/ovr" "$l"
	files_snap "$l" >"$F/snap.after"
	! cmp -s "$F/snap.before" "$F/snap.after"
	check overlay-race-native "natively the race did not reach the lower: it proves nothing" $? \
		"$(summary "$SCR/case.native")"
	files_fresh "$l"
	files_snap "$l" >"$F/snap.before"
	expect overlay-race 0 "flips True ops True" "" --overlay "$l:$u" -- \
		python3 "$F/ovrace.py" "$l" "$u" "$l"
	files_snap "$l" >"$F/snap.after"
	files_same overlay-race-lower-unchanged "a change reached the lower directory" \
		"$F/snap.before" "$F/snap.after"

	# changes through descriptors opened before the copy-up: fchmod,
	# fchown, futimens, fsetxattr on a lower file act on its upper copy
	local fdops='cd "$1" && python3 -c "
import os
fd = os.open(\"a.txt\", os.O_RDONLY)
os.fchmod(fd, 0o604)
os.utime(fd, (1000000000, 1000000000))
os.fchown(fd, os.getuid(), os.getgid())
try:
    os.setxattr(fd, \"user.facet\", b\"v\")
    x = os.getxattr(\"a.txt\", \"user.facet\")
except OSError as e:
    x = e.strerror
st = os.stat(\"a.txt\")
print(oct(st.st_mode), st.st_mtime, x, open(\"a.txt\").read())"'
	files_fresh "$F/ovf"
	files_fresh "$F/n/ovf"
	files_snap "$F/ovf" >"$F/snap.before"
	rm -rf "$F/upf" && mkdir -p "$F/upf"	# user xattrs: not on older tmpfs
	files_sh overlay-fd-changes "$F/n/ovf" "$F/ovf" "$fdops" \
		--overlay "$F/ovf:$F/upf"
	files_snap "$F/ovf" >"$F/snap.after"
	files_same overlay-fd-changes-lower-unchanged "the lower file changed" \
		"$F/snap.before" "$F/snap.after"

	# the whole tree copy-on-write: writes vanish, /dev and /proc work
	rm -f "$F/rootovl.txt"
	expect overlay-root 0 "hi
proc" "" --overlay / -- sh -c 'echo hi >"$1" && cat "$1" && echo z >/dev/null &&
		ls /proc/self/fd >/dev/null && echo proc' sh "$F/rootovl.txt"
	[ ! -e "$F/rootovl.txt" ]
	check overlay-root-lower-unchanged "the guest's file reached the host" $?

	# a tree the user may not write natively may not be written in its
	# overlay either (as root it may, and natively it would be harmed)
	if [ "$(id -u)" != 0 ]; then
		local deny='cd /usr/share && for c in "touch facet-probe" \
			"mkdir facet-d" "rm -r doc" "chmod 700 doc" "mv doc doc2" \
			"ln -s x facet-l" "touch -d 2000-01-01 doc"; do
			$c 2>/dev/null; echo "$c: $?"; done; ls doc | wc -l'
		files_vs overlay-no-more-rights sh -c "$deny" -- \
			--overlay /usr/share -- sh -c "$deny"
	fi
}

# --- --root --------------------------------------------------------------------

# FILES_CHROOT - sh -c FILES_CHROOT sh ROOT DIR [SRC:DST...] -- COMMAND...:
# in a private mount namespace, bind /dev, /proc, /sys and each SRC at ROOT
# DST, then run COMMAND in DIR in "chroot ROOT"
FILES_CHROOT='r=$1 cwd=$2; shift 2
for d in /dev /proc /sys; do mount --rbind "$d" "$r$d" || exit 125; done
while [ "$1" != -- ]; do
	mount --bind "${1%%:*}" "$r${1#*:}" || exit 125; shift
done
shift
exec chroot "$r" env -C "$cwd" "$@"'

# files_rootfs NAME [FACET OPTIONS...] -- COMMAND... - "facet -r ROOTFS
# OPTIONS -- COMMAND" against COMMAND in a chroot as root (OPTIONS: -w DIR,
# -b SRC:DST).  As root the chroot's result is kept in $FILES_REF/NAME.sum
# for the unprivileged pass.
files_rootfs() {
	local name=$1 b=$SCR/case opts=() binds=() cwd=/ ref
	shift
	while [ "$1" != -- ]; do
		case $1 in
		-w) cwd=$2 ;;
		-b) binds+=("$2") ;;
		esac
		opts+=("$1" "$2")
		shift 2
	done
	shift
	ref=$FILES_REF/$name
	if [ "$(id -u)" = 0 ]; then
		run "$b.native" unshare -m --propagation private sh -c \
			"$FILES_CHROOT" sh "$FILES_ROOTFS" "$cwd" "${binds[@]}" -- "$@"
		summary "$b.native" >"$ref.sum"
		printf '%q ' "${opts[@]}" -- "$@" >"$ref.cmd"
	elif [ ! -f "$ref.sum" ]; then
		skip "$name" "no chroot result $ref.sum (made by a run as root)"
		return
	fi
	run "$b.facet" "$FACET" -r "$FILES_ROOTFS" "${opts[@]}" -- "$@"
	summary "$b.facet" >"$b.facet.sum"
	if cmp -s "$ref.sum" "$b.facet.sum"; then
		pass "$name"
	else
		fail "$name" "differs from chroot" "$(diff -u --label chroot \
			--label facet "$ref.sum" "$b.facet.sum")"
	fi
}

cases_files_rootfs() {
	local r=$FILES_ROOTFS t=$SCR/fix/tree rc apt
	files_setup
	if [ "$(id -u)" = 0 ]; then
		if [ ! -e "$r/.complete" ] && [ -x "$TOP/tests/mkrootfs.sh" ]; then
			timeout 900 "$TOP/tests/mkrootfs.sh" "$r" </dev/null \
				>/dev/null 2>"$F/mkrootfs.err"
			rc=$?
			if [ $rc != 0 ]; then
				skip rootfs "tests/mkrootfs.sh: status $rc: $(sed -n \
					'$s/^ *//p' "$F/mkrootfs.err")"
				return
			fi
		fi
		if ! unshare -m --propagation private true 2>/dev/null; then
			skip rootfs "unshare -m fails: no chroot to compare with"
			return
		fi
		mkdir -p "$FILES_REF" && chmod 755 "$FILES_REF" || return
	fi
	if [ ! -e "$r/.complete" ]; then
		skip rootfs "no root filesystem in $r (tests/mkrootfs.sh, as root)"
		return
	fi

	files_rootfs rootfs-bash -- bash -c \
		'echo $BASH_VERSION; ls /; cat /etc/debian_version'
	files_rootfs rootfs-ls-usr-bin -- sh -c 'ls -la /usr/bin | head -n 12'
	files_rootfs rootfs-sort -- sort -t: -k3,3n -k1,1 /etc/group
	files_rootfs rootfs-sha256sum -- sha256sum /bin/bash /usr/bin/ls \
		/etc/os-release /usr/lib/os-release
	files_rootfs rootfs-find -- find /etc -maxdepth 1 -name '*.conf'
	files_rootfs rootfs-dpkg -- sh -c 'dpkg-query -W -f "\${Package}\n" | wc -l
		dpkg-query -W -f "\${Package} \${Version}\n" bash coreutils dash'
	# a clean environment; no cache files written into the root
	apt=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-cache
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
	files_rootfs rootfs-apt-cache-policy -- "${apt[@]}" policy
	files_rootfs rootfs-apt-cache-bash -- "${apt[@]}" policy bash
	# python3-minimal: a small standard library
	files_rootfs rootfs-python -- python3 -c 'import os, pathlib, subprocess, sys
print(sys.version.split()[0], sys.executable, sys.prefix)
print(sorted(os.listdir("/")), os.path.realpath("/bin/sh"))
print(pathlib.Path("/etc/debian_version").read_text().strip(),
      os.path.exists("/proc/1"))
print(subprocess.run(["sh", "-c", "echo from $0"], capture_output=True,
                     text=True).stdout.strip())'
	files_rootfs rootfs-perl -- perl -e 'print "perl $]\n"'
	files_rootfs rootfs-readlink-exe -- readlink /proc/self/exe
	files_rootfs rootfs-proc-self -- sh -c 'readlink /proc/self/root
		cd /etc && readlink /proc/self/cwd; cat /proc/self/comm'
	files_rootfs rootfs-script -- sh -c 'printf "#!/bin/sh\n%s\n" \
		"echo \"\$# args: \$*\"; head -n 1 \"\$0\"" >"$1" &&
		chmod 755 "$1" && "$1" a "b c"; s=$?; rm -f "$1"; exit $s' \
		sh "/tmp/facet-script.$$"
	files_rootfs rootfs-sh-dollar0 -- sh -c 'echo $0'
	files_rootfs rootfs-exec-loop -- sh -c 'n=0
		for i in $(seq 200); do /bin/true && n=$((n + 1)); done; echo $n
		seq 100 | xargs -n 10 echo | wc -l'
	files_rootfs rootfs-dev -- sh -c 'head -c 4 /dev/zero | od -An -tx1
		echo x >/dev/null && echo null-ok
		[ -r /proc/self/status ] && [ -d /sys/kernel ] && echo proc-sys-ok'
	files_rootfs rootfs-cwd -w /usr/share -- sh -c 'pwd; /bin/pwd; ls -d doc'
	files_rootfs rootfs-bind -b "$t:/mnt" -- sh -c 'ls /mnt
		cat /mnt/a.txt /mnt/link; sha256sum /mnt/sub/c.bin'
	# the host is not in the view ($1 is a path that exists on the host)
	files_rootfs rootfs-host-invisible -- sh -c '[ -e "$1" ] && echo visible ||
		echo invisible' sh "$SCR/fix/tree/a.txt"
}

# --- races ---------------------------------------------------------------------

# files_race_native PATHRACE DIR - each race of pathrace, natively, leaks
files_race_native() {
	local p=$1 r=$2 b=$SCR/case
	run "$b.native" "$p" buf "$r/pub/f" "$r/sec/f" 2000
	[ "$(cat "$b.native.rc")" = 1 ]
	check race-buf-native-leaks "natively no open reached SECRET" $? \
		"$(summary "$b.native")"
	run "$b.native" "$p" bufat "$r/pub" f ../sec/f 2000
	[ "$(cat "$b.native.rc")" = 1 ]
	check race-bufat-native-leaks "natively no open reached SECRET" $? \
		"$(summary "$b.native")"
	run "$b.native" "$p" link "$r/ln" "$r/pub/f" "$r/sec/f" 2000
	[ "$(cat "$b.native.rc")" = 1 ]
	check race-link-native-leaks "natively no open reached SECRET" $? \
		"$(summary "$b.native")"
	run "$b.native" "$p" exec "$r/pub/prog" "$r/sec/prog" 200
	[ "$(cat "$b.native.rc")" = 1 ]
	check race-exec-native-leaks "natively no exec reached HIDDEN" $? \
		"$(summary "$b.native")"
}

cases_files_races() {
	local p=$BT/pathrace r
	files_setup
	r=$F/race
	if [ ! -x "$p" ]; then
		skip race "$p missing: run make test-build"
		return
	fi
	mkdir -p "$r/pub" "$r/sec" "$r/ln"
	echo public >"$r/pub/f"
	echo secret >"$r/sec/f"
	cp /bin/true "$r/pub/prog"
	cp "$p" "$r/sec/prog"

	# natively each race leaks, so the program can tell
	files_race_native "$p" "$r"

	# under facet, never
	expect race-buf 0 "buf: 0 of 3000 opens read the secret" "" \
		--hide "$r/sec/f" -- "$p" buf "$r/pub/f" "$r/sec/f" 3000
	expect race-buf-dir 0 "buf: 0 of 3000 opens read the secret" "" \
		--hide "$r/sec" -- "$p" buf "$r/pub/f" "$r/sec/f" 3000
	# one name in a directory the kernel may open itself (the fence)
	expect race-bufat 0 "bufat: 0 of 3000 opens read the secret" "" \
		--hide "$r/sec" -- "$p" bufat "$r/pub" f ../sec/f 3000
	expect race-bufat-abs 0 "bufat: 0 of 3000 opens read the secret" "" \
		--hide "$r/sec/f" -- "$p" bufat "$r/pub" f "$r/sec/f" 3000
	expect race-link 0 "link: 0 of 2000 opens read the secret" "" \
		--hide "$r/sec/f" -- "$p" link "$r/ln" "$r/pub/f" "$r/sec/f" 2000
	expect race-exec 0 "exec: 0 of 200 execs ran the hidden program" "" \
		--hide "$r/sec" -- "$p" exec "$r/pub/prog" "$r/sec/prog" 200
}

# --- usage ---------------------------------------------------------------------

# files_usage NAME FACET ARGS... - status 125, nothing run, one line on
# stderr that starts with "facet: "
files_usage() {
	local name=$1 b=$SCR/case why=
	shift
	run "$b.facet" "$FACET" "$@"
	if [ "$(cat "$b.facet.rc")" != 125 ]; then
		why="status $(cat "$b.facet.rc"), expected 125"
	elif [ -s "$b.facet.out" ]; then
		why="output on stdout: did the command run?"
	elif [ "$(wc -l <"$b.facet.err")" != 1 ] ||
	     ! grep -q '^facet: ' "$b.facet.err"; then
		why="stderr is not one line starting 'facet: '"
	fi
	[ -z "$why" ]
	check "$name" "$why" $? "$(summary "$b.facet")"
}

cases_files_usage() {
	local t=$SCR/fix/tree
	files_setup
	files_usage usage-bind-missing-src -b "$SCR/no-such-dir:/x" -- echo ran
	files_usage usage-bind-relative-dst -b "$t:relative/dst" -- echo ran
	files_usage usage-root-missing -r "$SCR/no-such-root" -- echo ran
	files_usage usage-root-not-dir -r "$t/a.txt" -- echo ran
	files_usage usage-cwd-missing -w /no-such-dir-facet -- echo ran
	files_usage usage-hide-relative --hide relative/path -- echo ran
	files_usage usage-tmpfs-relative --tmpfs relative -- echo ran
	files_usage usage-overlay-missing --overlay "$SCR/no-such-dir" -- echo ran
	files_usage usage-overlay-upper-missing --overlay "$t:$SCR/no-such-upper" -- echo ran
	files_usage usage-overlay-not-dir --overlay "$t/a.txt" -- echo ran
	files_usage usage-overlay-upper-holds-lower --overlay "$t/sub:$t" -- echo ran
}
