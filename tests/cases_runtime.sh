# SPDX-License-Identifier: GPL-2.0-or-later
# cases_runtime.sh - integration cases for views changed at run time:
# facet-mount, facet-umount, facet-ctl (utils/), and --fixed
#
# Sourced by tests/integration.sh, which calls cases_runtime from its
# scratch directory ($SCR/w) with its helpers and variables.  $UT is where
# the utilities are; the guests run them by path.

cases_runtime() {
	local d=$SCR/rt a b=$SCR/case
	mkdir -p "$d/src/sub" "$d/dst" "$d/mnt" "$d/secret-dir"
	echo from-src >"$d/src/file"
	echo hidden >"$d/secret-dir/key"
	tar czf "$d/t.tgz" -C "$d/src" .

	# outside facet the utilities say so, with exit 2
	for a in facet-mount facet-umount facet-ctl; do
		case $a in
		facet-mount) run "$b.out" "$UT/$a" --bind x y ;;
		facet-umount) run "$b.out" "$UT/$a" /x ;;
		*) run "$b.out" "$UT/$a" status ;;
		esac
		check "runtime-outside-$a" "expected exit 2 and a message" \
			"$([ "$(cat "$b.out.rc")" = 2 ] && grep -q 'not running under facet' "$b.out.err"; echo $?)" \
			"$(summary "$b.out")"
	done

	# a bind made at run time, seen by the children started afterwards
	expect runtime-bind 0 "from-src
from-src" "" -- sh -c '
		"$0/facet-mount" --bind "$1/src" "$1/dst" && cat "$1/dst/file" && sh -c "cat $1/dst/file"' \
		"$UT" "$d"
	# the parent's view is unchanged by a child's mount
	expect runtime-bind-child 0 "from-src
0" "" -- sh -c '
		sh -c "\"$0/facet-mount\" --bind \"$1/src\" \"$1/dst\" && cat $1/dst/file"
		ls "$1/dst" | wc -l' "$UT" "$d"
	# an image mounted by a shell, two children, one unmounts: the other
	# still sees the files, and so does the shell
	expect runtime-image-siblings 0 "c1: 0
c2: from-src
parent: from-src" "" -- sh -c '
		"$0/facet-mount" archive "$1/t.tgz" "$1/mnt" || exit 1
		rm -f "$1/unmounted"
		( "$0/facet-umount" "$1/mnt"; echo "c1: $(ls "$1/mnt" | wc -l)"; touch "$1/unmounted" ) &
		( while ! [ -e "$1/unmounted" ]; do sleep 0.05; done; echo "c2: $(cat "$1/mnt/file")" ) &
		wait
		echo "parent: $(cat "$1/mnt/file")"' "$UT" "$d"
	# an ext4 image: what was written is in the image after facet-umount,
	# while facet still runs
	if have runtime-image-write mke2fs fuse2fs debugfs; then
		mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$d/src" "$d/e.img" 8M >/dev/null
		expect runtime-image-write 0 "written" "" -- sh -c '
			"$0/facet-mount" fuse2fs "$1/e.img" "$1/mnt" &&
			echo written >"$1/mnt/new" && "$0/facet-umount" "$1/mnt" &&
			debugfs -R "cat /new" "$1/e.img" 2>/dev/null' "$UT" "$d"
	fi
	# facet-ctl status lists the caller's mounts; --json is JSON
	expect runtime-status 0 "mount $d/mnt archive $d/t.tgz ro runtime
mount $d/mnt archive $d/t.tgz ro runtime
ok" "" -- sh -c '
		"$0/facet-mount" archive "$1/t.tgz" "$1/mnt" &&
		"$0/facet-ctl" status | grep "^mount $1/mnt" &&
		"$0/facet-ctl" status --json | python3 -c "
import json, sys
j = json.load(sys.stdin)
m = [x for x in j[\"mount\"] if x[0] == sys.argv[1]]
print(\"mount\", *m[0])
print(\"ok\" if j[\"module\"] and j[\"task\"] else j)" "$1/mnt"' "$UT" "$d"

	# what the view hides stays hidden: no bind from above a hidden path,
	# none from an image; a fixed view does not change at all
	expect runtime-bind-over-hide 32 "" "1:facet-mount: .*hidden path" \
		--hide "$d/secret-dir/key" -- sh -c '
		"$0/facet-mount" --bind "$1" "$1/dst" || { cat "$1/dst/secret-dir/key" 2>/dev/null; exit 32; }' \
		"$UT" "$d"
	expect runtime-bind-from-image 32 "" "1:facet-mount: .*image or an overlay" -- sh -c '
		"$0/facet-mount" archive "$1/t.tgz" "$1/mnt" &&
		"$0/facet-mount" --bind "$1/mnt" "$1/dst"' "$UT" "$d"
	expect runtime-fixed 32 "" "1:facet-mount: .*fixed" --fixed -- \
		"$UT/facet-mount" --bind "$d/src" "$d/dst"
	expect runtime-not-mounted 32 "" "1:facet-umount: .*not mounted" -- \
		"$UT/facet-umount" "$d/dst"
	# what facet's options mounted stays: unmounting it would show the
	# host's directory under it
	expect runtime-umount-option 32 "" "1:facet-umount: .*options" -b "$d/src:$d/dst" -- \
		"$UT/facet-umount" "$d/dst"
	expect runtime-no-program 32 "" "no-such-fuse-prog: no such program" -- \
		"$UT/facet-mount" no-such-fuse-prog "$d/e.img" "$d/mnt"
	expect runtime-bad-usage 1 "" "1:Usage: facet-mount" -- "$UT/facet-mount" onlyone
	runtime_nested
	runtime_modules
	runtime_race
	runtime_docs
}

# runtime_nested - facet run inside a view: a child view of the one it is
# in, served by the same supervisor, isolated from its parent
runtime_nested() {
	local d=$SCR/rt
	expect runtime-nested 0 "inner
from-src
inner
outer 0" "" --hostname outer -- sh -c '
		"$0" --hostname inner -b "$1/src:$1/dst" -- sh -c "uname -n; cat $1/dst/file; sh -c uname\\ -n"
		echo "$(uname -n) $(ls "$1/dst" | wc -l)"' "$FACET" "$d"
	expect runtime-nested-hide 0 "gone
from-src" "" -- sh -c '
		"$0" --hide "$1/src" -w "$1" -- sh -c "cat src/file 2>/dev/null || echo gone"
		cat "$1/src/file"' "$FACET" "$d"
	expect runtime-nested-archive 0 "from-src" "" -- \
		"$FACET" -m "archive:$d/t.tgz:$d/mnt" -- cat "$d/mnt/file"
	# its options are the floor of the view it makes
	expect runtime-nested-floor 32 "" "1:facet-umount: .*options" -- \
		"$FACET" -b "$d/src:$d/dst" -- "$UT/facet-umount" "$d/dst"
	expect runtime-nested-refused 125 "" "1:facet: --fakeroot is not offered" -- \
		"$FACET" -0 -- true
	expect runtime-nested-not-found 127 "" "1:facet: no-such-command" -- \
		"$FACET" --hostname x -- no-such-command
}

# runtime_modules - modules loaded and unloaded while guests run
runtime_modules() {
	local d=$SCR/rt
	rm -rf "$d/m1" "$d/m2" "$d/m3"
	expect runtime-insmod 0 "EROFS
inject active loaded
made" "" --allow-insmod -- sh -c '
		"$0/facet-ctl" insmod "$1" mkdir=EROFS || exit 1
		mkdir "$2/m1" 2>/dev/null || echo EROFS
		"$0/facet-ctl" lsmod | grep inject
		"$0/facet-ctl" rmmod inject && mkdir "$2/m2" && echo made' "$UT" "$INJECT" "$d"
	expect runtime-insmod-denied 1 "" "1:facet-ctl: insmod .*--allow-insmod" -- \
		"$UT/facet-ctl" insmod "$INJECT" mkdir=EROFS
	expect runtime-insmod-broken 0 "still here" "*" --allow-insmod -- sh -c '
		"$0/facet-ctl" insmod /etc/passwd || echo still here' "$UT"
	expect runtime-rmmod-builtin 1 "" "1:facet-ctl: rmmod files: a built-in" -- \
		"$UT/facet-ctl" rmmod files
	# a module is busy while a process holds its state
	expect runtime-rmmod-busy 0 "busy
gone" "" --allow-insmod -- sh -c '
		"$0/facet-ctl" insmod "$1" || exit 1
		sleep 1 &
		"$0/facet-ctl" rmmod hold 2>/dev/null || echo busy
		wait
		"$0/facet-ctl" rmmod hold && echo gone' "$UT" "$BT/holdmod.so"
	# a module whose calls facet was not started to trap cannot come later
	expect runtime-insmod-untrapped 0 "refused" "*" --fixed --allow-insmod -- sh -c '
		"$0/facet-ctl" insmod "$1" mkdir=EROFS 2>/dev/null || echo refused' "$UT" "$INJECT"
}

# runtime_race - a directory on the path swapped for a symlink to a hidden
# place while a bind through it is made (the control call straight from Python, 20000
# times): the bind never shows what the hide covers
runtime_race() {
	local d=$SCR/rt
	mkdir -p "$d/race/real/inner" "$d/sec2/inner"
	echo ok >"$d/race/real/inner/key"
	echo hidden >"$d/sec2/inner/key"
	expect runtime-bind-swap-race 0 "never" "" --hide "$d/sec2/inner/key" -- python3 -c '
import ctypes, os, sys, time
d, dst = sys.argv[1] + "/race", sys.argv[1] + "/dst"
libc = ctypes.CDLL(None, use_errno=True)
os.rename(d + "/real", d + "/x")
os.symlink("../sec2", d + "/y")
if os.fork() == 0:
    x, y = (d + "/x").encode(), (d + "/y").encode()
    end = time.time() + 20
    while time.time() < end and os.path.exists(d):
        for j in range(1000):	# RENAME_EXCHANGE: x is the directory, then the link
            libc.renameat2(-100, x, -100, y, 2)
    os._exit(0)
seen = "never"
for i in range(20000):
    if libc.syscall(4012, 4, b"bind", (d + "/x/inner:" + dst).encode()) == 0:
        try:
            if open(dst + "/key").read() == "hidden\n":
                seen = "hidden"
        except OSError:
            pass
os.rename(d, d + ".done")
os.wait()
os.rename(d + ".done", d)
link = "/x" if os.path.islink(d + "/x") else "/y"
os.unlink(d + link)
os.rename(d + ("/y" if link == "/x" else "/x"), d + "/real")
print(seen)' "$d"
}

# runtime_docs - the man pages render without warnings, make install puts
# everything in place, bash completion completes (from a source tree only)
runtime_docs() {
	local m i=$SCR/inst got
	[ -f "$TOP/Makefile" ] || return 0
	if command -v groff >/dev/null; then
		for m in "$TOP"/man/*.[137]; do
			got=$(groff -ww -z -man "$m" 2>&1)
			check "docs-man-${m##*/}" "groff -ww warns" "$([ -z "$got" ]; echo $?)" "$got"
		done
	else
		skip docs-man "groff is not installed"
	fi
	rm -rf "$i"
	make -s -C "$TOP" install DESTDIR="$i" PREFIX=/usr >"$SCR/inst.log" 2>&1
	got=$(cd "$i/usr" && find . -type f -o -type l | sort | tr '\n' ' ')
	ns=
	[ -x "$TOP/build/facet-netstack" ] && ns="./bin/facet-netstack "
	check docs-install "make install left out something" \
		"$([ "$got" = "./bin/facet ./bin/facet-archivefs ./bin/facet-ctl ./bin/facet-mount ${ns}./bin/facet-umount ./include/facet/module.h ./share/bash-completion/completions/facet ./share/bash-completion/completions/facet-ctl ./share/bash-completion/completions/facet-mount ./share/bash-completion/completions/facet-umount ./share/man/man1/facet-ctl.1 ./share/man/man1/facet-mount.1 ./share/man/man1/facet-umount.1 ./share/man/man1/facet.1 ./share/man/man3/facet-module.3 ./share/man/man7/facet-modules.7 " ]; echo $?)" \
		"$got $(cat "$SCR/inst.log")"
	got=$(PATH=$TOP:$UT:$PATH bash -c '
		. "$1/utils/facet.bash"
		t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "$F"
		      printf "%s " "${COMPREPLY[@]}"; echo; }
		F=_facet t facet --hostn; F=_facet t facet -m archi
		F=_facet_mount t facet-mount --bi; F=_facet_ctl t facet-ctl sta' _ "$TOP" 2>&1)
	check docs-completion "bash completion answers otherwise" \
		"$([ "$(echo "$got" | sed 's/ archivemount://')" = "--hostname 
archive: 
--bind 
status " ]; echo $?)" "$got"
}
