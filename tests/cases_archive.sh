# SPDX-License-Identifier: GPL-2.0-or-later
# cases_archive.sh - integration cases for facet's own archive file system
# (-m archive:FILE:DST, fsmodules/archivefs.c), in facet and as the
# standalone program build/facet-archivefs
#
# Sourced by tests/integration.sh after cases_image.sh (it uses img_tree,
# have and IMG_LIST from there).  The same tree of files is packed in
# each format with the format's own tool; what a guest sees in the archive
# is compared with the tree, read natively.

# arc_pack TREE DIR - the tree packed in every format whose tool is here;
# prints the archive names made
arc_pack() {
	local t=$1 d=$2
	tar cf "$d/t.tar" -C "$t" . && echo t.tar
	tar czf "$d/t.tgz" -C "$t" . && echo t.tgz
	command -v xz >/dev/null && tar cJf "$d/t.txz" -C "$t" . && echo t.txz
	command -v zstd >/dev/null && tar --zstd -cf "$d/t.tzst" -C "$t" . && echo t.tzst
	command -v zip >/dev/null && (cd "$t" && zip -qry "$d/t.zip" .) && echo t.zip
	command -v cpio >/dev/null &&
		(cd "$t" && find . | cpio --quiet -o -H newc >"$d/t.cpio") && echo t.cpio
	command -v genisoimage >/dev/null &&
		genisoimage -quiet -R -o "$d/t.iso" "$t" 2>/dev/null && echo t.iso
}

# ARC_ORDER - read every file of a tree in reverse order of names and
# print their digests: the archive is read against its own order
ARC_ORDER='import hashlib, os, sys
paths = sorted((os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs), reverse=True)
for p in paths:
    if not os.path.islink(p):
        print(os.path.relpath(p, sys.argv[1]), hashlib.md5(open(p, "rb").read()).hexdigest())'

cases_archive() {
	local t=$SCR/arc/tree a=$SCR/arc f formats
	mkdir -p "$a"
	img_tree "$t"
	ln "$t/a.txt" "$t/hard"
	touch -h -d '2021-03-04 05:06:07' "$t"
	formats=$(arc_pack "$t" "$a")

	for f in $formats; do
		D=$t FENV="D=/mnt" compare "archive-read-$f" -m "archive:$a/$f:/mnt" -- sh -c "$IMG_LIST"
	done
	# hard links are one file (zip has none: it stores two copies)
	for f in $formats; do
		[ "$f" = t.zip ] && continue
		expect "archive-hardlink-$f" 0 "2 2 same" "" -m "archive:$a/$f:/mnt" -- sh -c '
			echo $(stat -c %h /mnt/a.txt /mnt/hard) $([ /mnt/a.txt -ef /mnt/hard ] && echo same)'
	done
	expect archive-exec 0 "script in an image: a b
a.txt" "" -m "archive:$a/t.tgz:/opt" -- sh -c '/opt/bin/hello.sh a b && /opt/bin/ls /opt | head -1'
	expect archive-readonly 0 "EROFS
EROFS
EROFS" "" -m "archive:$a/t.tar:/mnt:ro" -- sh -c '
		touch /mnt/new 2>/dev/null || echo EROFS
		rm /mnt/a.txt 2>&1 | grep -q "Read-only" && echo EROFS
		echo x 2>/dev/null >>/mnt/a.txt || echo EROFS'

	# extended attributes kept by tar --xattrs; the archive's figures
	if python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.color", b"blue")' "$t/a.txt" 2>/dev/null; then
		tar --xattrs -czf "$a/x.tgz" -C "$t" .
		expect archive-xattrs 0 "['user.color'] b'blue' []
fuseblk $(( ($(stat -c %s "$a/x.tgz") + 4095) / 4096 ))" "" -m "archive:$a/x.tgz:/mnt" -- python3 -c '
import os, subprocess
print(os.listxattr("/mnt/a.txt"), os.getxattr("/mnt/a.txt", "user.color"), os.listxattr("/mnt/sub"))
print(subprocess.run(["stat", "-f", "-c", "%T", "/mnt"], capture_output=True, text=True).stdout.strip(),
      os.statvfs("/mnt").f_blocks)'
	else
		skip archive-xattrs "this file system takes no user.* attributes"
	fi

	# many files read against the archive's order, and a big file read
	# at every offset and in every way: the same bytes as natively
	mkdir -p "$a/many/big"
	for f in $(seq 1 1500); do echo "file $f" >"$a/many/f$f"; done
	head -c 9000000 /dev/urandom >"$a/many/big/file"
	tar czf "$a/many.tgz" -C "$a/many" .
	compare archive-order -m "archive:$a/many.tgz:$a/many" -- \
		python3 -c "$ARC_ORDER" "$a/many"
	F=$a/many/big/file FENV="F=/mnt/big/file" compare archive-lazy-reads \
		-m "archive:$a/many.tgz:/mnt" -- python3 -c "$IMG_READS"

	# names that would leave the mount are dropped or kept inside it
	python3 -c '
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("../../escape", "/abs/file", "a/../../b", "./ok", "d/./e"):
        i = tarfile.TarInfo(name); i.size = 3
        t.addfile(i, io.BytesIO(b"hi\n"))' "$a/evil.tar"
	expect archive-evil-names 0 "/mnt
/mnt/abs
/mnt/abs/file
/mnt/d
/mnt/d/e
/mnt/ok" "" -m "archive:$a/evil.tar:/mnt" -- sh -c 'find /mnt | sort'

	# bad input: one message, exit 125
	head -c 100000 /dev/urandom >"$a/noise"
	expect archive-not-an-archive 125 "" "1:archive: .*noise: .*(Unrecognized|format)" \
		-m "archive:$a/noise:/mnt" -- true
	expect archive-missing 125 "" "1:archive: .*nonexistent.tar: No such file" \
		-m "archive:$a/nonexistent.tar:/mnt" -- true
	expect archive-bad-option 125 "" "1:archive: .*unknown option" \
		-m "archive:$a/t.tar:/mnt:frobnicate" -- true

	# the same file system as an ordinary FUSE program: run by a guest
	# (facet takes its mount), and under the kernel where it can mount
	if have archive-guest-program fusermount3; then
		mkdir -p "$a/gm"
		expect archive-guest-program 0 "hello
world
same" "" -b "$a:$a" -- sh -c '
			"$1" "$0/t.tgz" "$0/gm" && cat "$0/gm/a.txt" &&
			diff -r "$0/tree" "$0/gm" >/dev/null && echo same; fusermount3 -u "$0/gm"' \
			"$a" "$FSPROG"
	fi
	arc_kernel "$a" "$t"
}

# arc_kernel DIR TREE - facet-archivefs under the real kernel's FUSE
arc_kernel() {
	local a=$1 t=$2 km=$1/km
	if ! [ -r /dev/fuse ] && ! [ -u "$(command -v fusermount3 2>/dev/null || echo /none)" ]; then
		skip archive-kernel-mount "no /dev/fuse to mount with"
		return
	fi
	mkdir -p "$km"
	if ! "$FSPROG" "$a/t.tgz" "$km" 2>"$a/km.err"; then
		skip archive-kernel-mount "the kernel refused the mount: $(head -1 "$a/km.err")"
		return
	fi
	if diff -r "$t" "$km" >"$a/km.diff" 2>&1 && [ "$(stat -c %h "$km/a.txt")" = 2 ]; then
		pass archive-kernel-mount
	else
		fail archive-kernel-mount "the kernel's mount differs from the tree" "$(cat "$a/km.diff")"
	fi
	fusermount3 -u "$km" || umount "$km"
}
