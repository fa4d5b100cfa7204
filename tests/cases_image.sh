# SPDX-License-Identifier: GPL-2.0-or-later
# cases_image.sh - integration cases for images mounted through FUSE
# daemons (-m TYPE:SOURCE:DST[:OPTIONS]), no root and no /dev/fuse needed
#
# Sourced by tests/integration.sh, which calls cases_image from its scratch
# directory ($SCR/w) with its helpers and variables.
#
# The images are made here, without root, from a tree of files: ext4 with
# "mke2fs -d", squashfs with mksquashfs, ISO 9660 with genisoimage, zip with
# zip.  What a guest sees in an image is compared with the tree it was made
# from, read natively; what a guest changes in an ext4 image is checked
# after facet has exited with the file system's own tools (e2fsck -fn,
# debugfs).  A case whose tool is missing says SKIP.

# img_tree DIR - the tree the images are made of
img_tree() {
	local t=$1
	mkdir -p "$t/sub/deeper" "$t/bin"
	printf 'hello\nworld\n' >"$t/a.txt"
	seq 1 20000 >"$t/sub/deeper/numbers"
	head -c 3000000 /dev/urandom >"$t/sub/big"
	: >"$t/empty"
	echo secret >"$t/private"
	chmod 600 "$t/private"
	chmod 750 "$t/sub/deeper"
	ln -s a.txt "$t/link"
	ln -s /etc/hostname "$t/abs-link"
	echo 'X = 42' >"$t/m.py"
	cp /bin/ls "$t/bin/ls"
	printf '#!/bin/sh\necho "script in an image: $*"\n' >"$t/bin/hello.sh"
	chmod 755 "$t/bin/hello.sh"
	find "$t" -depth -exec touch -h -d '2021-03-04 05:06:07' {} +
}

# Every way a guest reads a big file, each printing a digest of what it
# read: run natively on the tree and in facet on the image, the outputs
# must be equal.  A big file is given to a guest as a watched fd and filled
# as it is read; copies of the fd at ordinary numbers (dup, SCM_RIGHTS)
# and SEEK_DATA make it be filled whole first.  $F is the file.
IMG_READS='
import hashlib, mmap, os, socket, sys
F = os.environ["F"]
h = lambda b: hashlib.md5(b).hexdigest()[:12]
size = os.stat(F).st_size
fd = os.open(F, os.O_RDONLY)
print("read", h(os.read(fd, 4096)))
print("pread", h(os.pread(fd, 5000, 5 << 20)))
os.lseek(fd, 3 << 20, 0)
a, b = bytearray(70000), bytearray(3000000)
os.readv(fd, [a, b])
print("readv", h(bytes(a) + bytes(b)))
c = bytearray(1 << 20)
os.preadv(fd, [c], size - 1000)
print("preadv tail", h(bytes(c[:1000])))
m = mmap.mmap(fd, 1 << 20, prot=mmap.PROT_READ, offset=6 << 20)
print("mmap", h(m[:]))
m.close()
pid = os.fork()
if pid == 0:
    print("child", h(os.pread(fd, 4096, 7 << 20)), flush=True)
    os._exit(0)
os.waitpid(pid, 0)
d = os.dup(fd)
print("dup", h(os.pread(d, size, 0)))
os.close(d)
g = os.open(F, os.O_RDONLY)
s1, s2 = socket.socketpair()
socket.send_fds(s1, [b"x"], [g])
_, fds, _, _ = socket.recv_fds(s2, 1, 1)
os.close(g)
print("passed", h(os.pread(fds[0], size, 0)))
g = os.open(F, os.O_RDONLY)
print("data", os.lseek(g, 0, os.SEEK_DATA), os.lseek(g, 0, os.SEEK_HOLE) == size)
print("whole", h(open(F, "rb").read()))
'

# The listing a guest makes of an image and the native one of its tree
# must be equal: names, types, modes, owners, sizes of files, targets of
# symlinks, mtimes, data.  $D is the directory (set in the guest by FENV).
IMG_LIST='cd "$D" && find . -mindepth 1 -name lost+found -prune -o -printf "%p %y %m %u %g %l %TY-%Tm-%Td %TH:%TM\n" | sort &&
find . -name lost+found -prune -o -type f -printf "%p %s\n" | sort &&
find . -name lost+found -prune -o -type f -exec md5sum {} + | sort'

# img_space DIR IMAGE DAEMON - what a stat says of the space each entry of
# IMAGE takes (blocks; a directory's and a symlink's size) is the daemon's,
# not that of facet's copy (whose files take nothing until read): as the
# same daemon shows it through the kernel's FUSE, where this may mount
# (root); else at least du finds the files' data
img_space() {
	local i=$1 img=$2 d=$3 km=$1/km-$2 name=image-space-$3
	local list='cd "$D" && find . -name lost+found -prune -o -printf "%p %y %s %b\n" | sort'
	local f k
	f=$("$FACET" -m "$d:$i/$img:/m:ro" -- env D=/m sh -c "$list; du -sk ." 2>&1)
	mkdir -p "$km"
	if [ "$(id -u)" = 0 ] && [ -r /dev/fuse ] && "$d" -o ro "$i/$img" "$km" 2>/dev/null; then
		k=$(D=$km sh -c "$list; du -sk ." 2>&1)
		fusermount3 -u "$km" 2>/dev/null || fusermount -u "$km" 2>/dev/null || umount "$km"
		if [ "$f" = "$k" ]; then
			pass "$name"
		else
			fail "$name" "differs from the kernel's FUSE mount" \
				"$(diff -u --label kernel --label facet <(echo "$k") <(echo "$f"))"
		fi
	elif [ "$(echo "$f" | tail -1 | cut -f1)" -gt 0 ] 2>/dev/null; then
		pass "$name"
	else
		fail "$name" "du finds nothing in the image" "$f"
	fi
}

cases_image() {
	local t=$SCR/img/tree i=$SCR/img b=$SCR/case
	mkdir -p "$i"
	img_tree "$t"

	# ext4 through fuse2fs (libfuse 2): read, then write
	if have image-ext4-read mke2fs fuse2fs e2fsck debugfs; then
		mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$t" "$i/e.img" 32M >/dev/null
		cp "$i/e.img" "$i/w.img"
		D=$t FENV="D=/mnt" compare image-ext4-read -m "fuse2fs:$i/e.img:/mnt" -- sh -c "$IMG_LIST"
		img_space "$i" e.img fuse2fs
		expect image-ext4-symlinks 0 "hello
world
/etc/hostname" "" -m "fuse2fs:$i/e.img:/mnt" -- sh -c 'cat /mnt/link && readlink /mnt/abs-link'
		# the mount tables list the image as a kernel FUSE mount would be
		expect image-mountinfo 0 "/mnt $i/e.img fuse.fuse2fs
/mnt is a mountpoint
$i/e.img /mnt fuse.fuse2fs" "" -m "fuse2fs:$i/e.img:/mnt" -- sh -c \
			'findmnt -n -r -o TARGET,SOURCE,FSTYPE /mnt; mountpoint /mnt
			 grep " /mnt " /proc/self/mounts | cut -d" " -f1-3'

		expect image-ext4-write 0 "" "" -m "fuse2fs:$i/w.img:/mnt" -- sh -c '
			set -e
			echo new >/mnt/new.txt
			mkdir /mnt/d
			mv /mnt/a.txt /mnt/d/moved.txt
			rm /mnt/sub/deeper/numbers
			rmdir /mnt/sub/deeper
			cp /mnt/sub/big /mnt/d/big2
			ln -s d/moved.txt /mnt/sl
			ln /mnt/new.txt /mnt/hard
			chmod 640 /mnt/new.txt
			printf more >>/mnt/empty
			truncate -s 5 /mnt/private'
		run "$b.fsck" e2fsck -fn "$i/w.img"
		if [ "$(cat "$b.fsck.rc")" != 0 ]; then
			fail image-ext4-fsck "e2fsck -fn finds the image damaged" "$(cat "$b.fsck.out")"
		else
			pass image-ext4-fsck
		fi
		debugfs -R "dump /d/big2 $i/big2" "$i/w.img" 2>/dev/null
		local got
		got=$(for c in 'cat /new.txt' 'cat /d/moved.txt' 'cat /empty' 'cat /private' \
			'stat /sub/deeper' 'stat /a.txt'; do debugfs -R "$c" "$i/w.img" 2>&1; echo; done |
			grep -v '^debugfs ' | tr -s '\n')
		if ! cmp -s "$i/big2" "$t/sub/big"; then
			fail image-ext4-debugfs "a copied file's data did not reach the image"
		elif [ "$got" != "$(printf 'new\nhello\nworld\nmore\nsecre\n%s\n%s\n' \
			'/sub/deeper: File not found by ext2_lookup ' \
			'/a.txt: File not found by ext2_lookup ')" ]; then
			fail image-ext4-debugfs "debugfs sees other contents" "$got"
		elif ! debugfs -R 'stat /new.txt' "$i/w.img" 2>/dev/null | grep -q 'Mode:  0640'; then
			fail image-ext4-debugfs "the new mode did not reach the image" \
				"$(debugfs -R 'stat /new.txt' "$i/w.img" 2>&1 | head -5)"
		else
			pass image-ext4-debugfs
		fi
		expect image-ext4-persist 0 "new
hello
world
d/moved.txt" "" -m "fuse2fs:$i/w.img:/mnt" -- sh -c 'cat /mnt/hard /mnt/sl; readlink /mnt/sl'

		# a guest killed while its data is in facet's hands loses none
		cp "$i/e.img" "$i/k.img"
		expect image-ext4-guest-killed 137 "" "" -m "fuse2fs:$i/k.img:/mnt" -- \
			sh -c 'cp /mnt/sub/big /mnt/k && kill -9 $$'
		rm -f "$i/k.out"
		debugfs -R "dump /k $i/k.out" "$i/k.img" 2>/dev/null
		if e2fsck -fn "$i/k.img" >/dev/null 2>&1 && cmp -s "$i/k.out" "$t/sub/big"; then
			pass image-ext4-guest-killed-data
		else
			fail image-ext4-guest-killed-data "the image is damaged or lacks the data"
		fi

		# fsync puts the data in the image: facet itself killed after it
		# loses nothing
		cp "$i/e.img" "$i/fs.img"
		rm -f "$i/synced"
		timeout 60 "$FACET" -m "fuse2fs:$i/fs.img:/mnt" -b "$i:$i" -- python3 -c '
import os, sys, time
fd = os.open("/mnt/durable", os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, b"written and synced\n")
os.fsync(fd)
open(sys.argv[1], "w").close()
time.sleep(60)' "$i/synced" >/dev/null 2>&1 &
		local fpid=$! n
		for ((n = 0; n < 300; n++)); do [ -e "$i/synced" ] && break; sleep 0.1; done
		pkill -9 -P "$fpid" -x facet 2>/dev/null || kill -9 "$fpid"
		wait "$fpid" 2>/dev/null
		sleep 0.5
		check image-ext4-fsync-facet-killed "the synced data is not in the image" \
			"$([ "$(debugfs -R "cat /durable" "$i/fs.img" 2>/dev/null)" = "written and synced" ] &&
			   e2fsck -fn "$i/fs.img" >/dev/null 2>&1; echo $?)"

		# extended attributes and fchmod go to the image; statfs and
		# fstatfs answer with its figures, as the kernel's FUSE would
		mkdir -p "$i/xa"
		echo x >"$i/xa/f"
		if python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.color", b"blue")' "$i/xa/f" 2>/dev/null; then
			mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$i/xa" "$i/xa.img" 8M >/dev/null
			expect image-ext4-xattrs 0 "['user.color'] b'blue'
['user.size'] b'big'
No data available
fuseblk yes yes" "" -m "fuse2fs:$i/xa.img:/mnt" -- python3 -c '
import os, subprocess
p = "/mnt/f"
print(os.listxattr(p), os.getxattr(p, "user.color"))
os.setxattr(p, "user.size", b"big")
os.removexattr(p, "user.color")
fd = os.open(p, os.O_RDONLY)
print(os.listxattr(fd), os.getxattr(fd, "user.size"))
os.setxattr(fd, "user.fd", b"via-fd")
try: os.getxattr(p, "user.none")
except OSError as e: print(e.strerror)
os.fchmod(fd, 0o640)
s, t = os.statvfs("/mnt"), os.fstatvfs(fd)
print(subprocess.run(["stat", "-f", "-c", "%T", "/mnt"], capture_output=True, text=True).stdout.strip(),
      "yes" if 0 < s.f_blocks * s.f_frsize <= 8 << 20 else s,
      "yes" if s.f_blocks == t.f_blocks and s.f_files == t.f_files else t)'
			check image-ext4-xattrs-image "the image lacks the changed attributes or mode" \
				"$(debugfs -R "ea_list /f" "$i/xa.img" 2>/dev/null | tr -d '\n' |
				   grep -q 'user.size (3) = "big".*user.fd (6) = "via-fd"' &&
				   ! debugfs -R "ea_list /f" "$i/xa.img" 2>/dev/null | grep -q color &&
				   debugfs -R "stat /f" "$i/xa.img" 2>/dev/null | grep -q 'Mode:  0640'; echo $?)"
		else
			skip image-ext4-xattrs "this file system takes no user.* attributes"
		fi

		# a big file is read as the guest comes to it: 4 KiB of it
		# fills 1 MiB, and every way of reading it reads the image's
		# bytes.  A stat shows the blocks the image gives the file; the
		# raw fstat(2), which facet does not trap, shows those of its
		# copy, that is how much of it holds data
		mkdir -p "$i/lz"
		head -c 9000000 /dev/urandom >"$i/lz/big"
		mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$i/lz" "$i/lz.img" 32M >/dev/null
		expect image-lazy-head 0 "4096
yes" "" -m "fuse2fs:$i/lz.img:/mnt" -- python3 -c '
import ctypes, os
fd = os.open("/mnt/big", os.O_RDONLY)
print(len(os.read(fd, 4096)))
st = ctypes.create_string_buffer(144)
if ctypes.CDLL(None).syscall(5, fd, st):	# SYS_fstat
    raise SystemExit("fstat failed")
blocks = int.from_bytes(st.raw[64:72], "little")	# st_blocks on x86_64
print("yes" if 0 < blocks <= 4096 else "copy holds %d blocks" % blocks)'
		F=$i/lz/big FENV="F=/mnt/big" compare image-lazy-reads \
			-m "fuse2fs:$i/lz.img:/mnt" -- python3 -c "$IMG_READS"
		expect image-lazy-cp 0 "" "" -m "fuse2fs:$i/lz.img:/mnt" -- \
			sh -c "cp /mnt/big /tmp/facet-lazy.\$\$ && cmp /tmp/facet-lazy.\$\$ '$i/lz/big'; rm -f /tmp/facet-lazy.\$\$"
		# unlinked while a guest holds it: the image frees it, the guest
		# still reads it whole
		cp "$i/lz.img" "$i/lzu.img"
		F=$i/lz/big FENV="F=/mnt/big" compare image-lazy-unlinked \
			-m "fuse2fs:$i/lzu.img:/mnt" -- python3 -c '
import hashlib, os
f = open(os.environ["F"], "rb")
f.read(10)
try: os.unlink(os.environ["F"])
except OSError: pass
f.seek(0)
print(hashlib.md5(f.read()).hexdigest())'
		if e2fsck -fn "$i/lzu.img" >/dev/null 2>&1 &&
		   ! debugfs -R "stat /big" "$i/lzu.img" 2>/dev/null | grep -q Inode; then
			pass image-lazy-unlinked-fsck
		else
			fail image-lazy-unlinked-fsck "the image is damaged or still has /big"
		fi
		# the daemon dies under a half-read file: reading on fails, and
		# does not give zeros
		cp "$i/lz.img" "$i/lzd.img"
		expect image-lazy-daemon-killed 0 "first 100
EIO or ENOTCONN" "*" -m "fuse2fs:$i/lzd.img:/mnt" -- python3 -c '
import os, subprocess, sys
fd = os.open("/mnt/big", os.O_RDONLY)
print("first", len(os.read(fd, 100)), flush=True)
subprocess.run(["pkill", "-9", "-f", "fuse2fs " + sys.argv[1]])
try:
    os.pread(fd, 4096, 8 << 20)
    print("read zeros")
except OSError as e:
    print("EIO or ENOTCONN" if e.errno in (5, 107) else e)' "$i/lzd.img"

		# a daemon that dies: its files fail, the guest and facet go on
		cp "$i/e.img" "$i/dead.img"
		expect image-daemon-killed 0 "failed
still here" "fuse2fs.*(exited|ENOTCONN)" -m "fuse2fs:$i/dead.img:/mnt" -- sh -c '
			pkill -9 -f "fuse2fs $0" ; sleep 0.5
			cat /mnt/a.txt 2>/dev/null || echo failed; echo still here' "$i/dead.img"

		# a daemon that stops answering: after the timeout (1 s here)
		# and an INTERRUPT, the call fails and the guest goes on
		cp "$i/e.img" "$i/hung.img"
		FACET_FUSE_TIMEOUT=1 expect image-daemon-hung 0 "failed
still here" "fuse2fs did not answer" -m "fuse2fs:$i/hung.img:/mnt" -- sh -c '
			ls /mnt >/dev/null; pkill -STOP -f "fuse2fs $0"
			cat /mnt/a.txt 2>/dev/null || echo failed; echo still here
			pkill -CONT -f "fuse2fs $0"' "$i/hung.img"
	fi

	# squashfs through squashfuse (libfuse 3): run what it holds
	if have image-squashfs-read mksquashfs squashfuse; then
		mksquashfs "$t" "$i/s.sqfs" -quiet >/dev/null 2>&1 ||
			mksquashfs "$t" "$i/s.sqfs" >/dev/null
		D=$t FENV="D=/opt/s" compare image-squashfs-read \
			-m "squashfuse:$i/s.sqfs:/opt/s" -- sh -c "$IMG_LIST"
		img_space "$i" s.sqfs squashfuse
		expect image-squashfs-exec 0 "/opt/s
script in an image: a b" "" -m "squashfuse:$i/s.sqfs:/opt/s" -- \
			sh -c '/opt/s/bin/ls -d /opt/s && /opt/s/bin/hello.sh a b'
		expect image-squashfs-erofs 2 "" "Read-only file system" \
			-m "squashfuse:$i/s.sqfs:/opt/s" -- sh -c 'echo x >/opt/s/new'
		# a shared library bigger than the lazy threshold, loaded by
		# ld.so from the image (read, then mmap of its segments)
		mkdir -p "$i/libs/lib"
		cp "$(ldd /bin/echo | awk '/libc.so/ { print $3 }')" "$i/libs/lib/"
		mksquashfs "$i/libs" "$i/libs.sqfs" -quiet >/dev/null 2>&1 ||
			mksquashfs "$i/libs" "$i/libs.sqfs" >/dev/null
		expect image-squashfs-library 0 "ok
from the image" "" -m "squashfuse:$i/libs.sqfs:/opt/l" -- \
			env LD_LIBRARY_PATH=/opt/l/lib sh -c 'echo ok
				grep -q "linux-gnu/libc.so.6" /proc/self/maps || echo from the image'
	fi

	# many entries: the record table grows under a directory being listed,
	# and a directory's names are looked up several at a time, symlinks
	# (whose targets are read after the lookups) and hard links among them
	# (their link counts with fuse2fs; squashfuse gives each name an inode
	# of its own, so each is a file of its own in facet's copy: N is empty)
	local many_list='cd "$D" && P="-name lost+found -prune -o" &&
		find . $P -print | sort | md5sum && find . $P -type f -print | wc -l &&
		find . $P ! -type d -printf "%p %y %l %m %s $N\n" | sort | md5sum'
	if have image-squashfs-many mksquashfs squashfuse; then
		mkdir -p "$i/many"
		for d in 1 2 3 4; do
			mkdir "$i/many/d$d"
			(cd "$i/many/d$d" && seq -f 'f%g' 1 600 | xargs touch)
		done
		(cd "$i/many/d2" && for n in $(seq 1 150); do ln -s "f$n" "s$n"; done &&
			ln -s ../d1/f1 up && ln -s /etc/hostname abs &&
			for n in $(seq 1 60); do echo "$n" >"f$n" && ln "f$n" "h$n"; done)
		mksquashfs "$i/many" "$i/many.sqfs" -quiet >/dev/null 2>&1 ||
			mksquashfs "$i/many" "$i/many.sqfs" >/dev/null
		N= D=$i/many FENV="N= D=/m" compare image-squashfs-many -m "squashfuse:$i/many.sqfs:/m" -- \
			sh -c "$many_list"
		if have image-ext4-many mke2fs fuse2fs; then
			mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$i/many" \
				"$i/many.img" 32M >/dev/null
			N=%n D=$i/many FENV="N=%n D=/m" compare image-ext4-many -m "fuse2fs:$i/many.img:/m:ro" -- \
				sh -c "$many_list"
		fi
	fi

	# ISO 9660 through fuseiso, zip through fuse-zip, both at once
	if have image-iso-zip genisoimage fuseiso zip fuse-zip python3; then
		genisoimage -quiet -R -o "$i/c.iso" "$t" 2>/dev/null
		(cd "$t" && zip -qr "$i/z.zip" .)
		expect image-iso-zip 0 "hello
world
42
20000" "" -m "fuseiso:$i/c.iso:/cdrom" -m "fuse-zip:$i/z.zip:/z:ro" -- \
			sh -c 'cat /cdrom/a.txt && python3 -c "import sys; sys.path.insert(0, \"/z\"); import m; print(m.X)" && wc -l </cdrom/sub/deeper/numbers'
	fi

	# a guest runs a FUSE daemon itself, the ordinary way, in a view:
	# its open of /dev/fuse gets a socket and its mount(2) puts the file
	# system in the view it shares with its parent; fusermount -u takes it
	# out again; one left mounted is unmounted when facet ends
	if have image-guest-fuse2fs mke2fs fuse2fs fusermount debugfs; then
		mkdir -p "$i/gm"
		mke2fs -q -t ext4 -E root_owner="$(id -u):$(id -g)" -d "$t" "$i/g.img" 32M >/dev/null
		expect image-guest-fuse2fs 0 "hello
world
0" "" -b "$i:$i" -- sh -c '
			set -e
			fuse2fs "$0/g.img" "$0/gm"
			cat "$0/gm/a.txt"
			echo from-guest >"$0/gm/new"
			mkdir "$0/gm/dir"
			fusermount -u "$0/gm"
			ls "$0/gm" | wc -l' "$i"
		check image-guest-fuse2fs-fsck "the image lacks the guest's writes" \
			"$(e2fsck -fn "$i/g.img" >/dev/null 2>&1 &&
			   [ "$(debugfs -R "cat /new" "$i/g.img" 2>/dev/null)" = from-guest ] &&
			   debugfs -R "stat /dir" "$i/g.img" 2>/dev/null | grep -q directory; echo $?)"
		expect image-guest-left-mounted 0 "" "" -b "$i:$i" -- sh -c '
			fuse2fs "$0/g.img" "$0/gm" && echo left >"$0/gm/left"' "$i"
		check image-guest-left-mounted-data "the image lacks what was written" \
			"$([ "$(debugfs -R "cat /left" "$i/g.img" 2>/dev/null)" = left ] && e2fsck -fn "$i/g.img" >/dev/null 2>&1; echo $?)"
		expect image-guest-mount-bad-fd 0 "-1 22" "" -b "$i:$i" -- python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.mount(b"x", sys.argv[1].encode(), b"fuse", 0, b"fd=0,rootmode=40000,user_id=0,group_id=0")
print(r, ctypes.get_errno())' "$i/gm"
	fi
	if have image-guest-squashfuse mksquashfs squashfuse fusermount3; then
		expect image-guest-squashfuse 0 "script in an image: a b" "" -b "$i:$i" -- sh -c '
			squashfuse "$0/s.sqfs" "$0/gm" && "$0/gm/bin/hello.sh" a b && fusermount3 -u "$0/gm"' "$i"
	fi
	# a daemon whose files change behind facet's back (bindfs of a host
	# directory the guest changes itself): once the daemon's timeouts are
	# over (1 s), new, removed and replaced names and changed data are
	# seen, as through the kernel's FUSE; what a guest writes is not lost
	if have image-revalidate bindfs python3; then
		local src=$i/bsrc
		rm -rf "$src" && mkdir -p "$src/sub"
		echo one >"$src/f"
		echo gone >"$src/g"
		echo s >"$src/sub/x"
		head -c 3000000 /dev/urandom >"$src/big"
		local changes='
			cat /mnt/f; ls /mnt /mnt/sub
			echo two-longer >"$0/f"; rm "$0/g"; rm -r "$0/sub"
			echo now-a-file >"$0/sub"; echo n >"$0/new"
			sleep 1.5
			cat /mnt/f; stat -c %s /mnt/f; ls -F /mnt; cat /mnt/new /mnt/sub
			cat /mnt/g 2>/dev/null || echo no g'
		expect image-revalidate 0 "one
/mnt:
big
f
g
sub

/mnt/sub:
x
two-longer
11
big
f
new
sub
n
now-a-file
no g" "" -m "bindfs:$src:/mnt" -- sh -c "$changes" "$src"
		expect image-revalidate-writes 0 "abc
abc
more
abc
more
abc
more" "" -m "bindfs:$src:/mnt" -- sh -c '
			echo abc >/mnt/w; sleep 1.5; cat /mnt/w
			exec 3>>/mnt/w; echo more >&3; sleep 1.5; cat /mnt/w; exec 3>&-
			sleep 1.5; cat /mnt/w; cat "$0/w"' "$src"
		# a big file, read in parts: an open descriptor and a new open
		# both read the new data
		expect image-revalidate-big 0 "2500000 True True" "" -m "bindfs:$src:/mnt" -- python3 -c '
import os, sys, time
src = sys.argv[1] + "/big"
fd = os.open("/mnt/big", os.O_RDONLY)
os.pread(fd, 4096, 0)
with open(src, "wb") as f:
    f.write(os.urandom(2500000))
time.sleep(1.5)
host = open(src, "rb").read()
print(os.stat("/mnt/big").st_size, open("/mnt/big", "rb").read() == host,
      os.pread(fd, 10000, 2000000) == host[2000000:2010000])' "$src"
	fi

	# a hostile daemon: names that are not one component, a record
	# running past its reply, data without end; only "fine" is listed,
	# nothing is made outside, and the supervisor does not hang
	esc=/tmp/facet-evil-escape.$$
	rm -f "$esc"
	expect image-guest-hostile 0 "mounted
fine
evil" "" -b "$i:$i" -- sh -c '
		"$1" "$0/gm" "$2" &
		while ! [ -e "$0/gm/fine" ]; do sleep 0.1; done
		ls "$0/gm"; cat "$0/gm/fine"; fusermount -u "$0/gm"; wait' "$i" "$BT/evilfuse" "$esc"
	check image-guest-hostile-escape "the daemon made $esc" "$([ ! -e "$esc" ]; echo $?)"
	rm -f "$esc"
	if [ "$(id -u)" != 0 ]; then
		expect image-guest-mount-denied 1 "" "mount: Operation not permitted" \
			-b "$i:$i" -- "$BT/evilfuse" /usr /tmp/x
	fi

	# bad input: one message, exit 125, nothing left running
	expect image-no-program 125 "" "1:no-such-fuse-prog: no such program" \
		-m "no-such-fuse-prog:$i/e.img:/mnt" -- true
	expect image-bad-spec 125 "" "1:expected TYPE:SOURCE:DST" -m fuse2fs:x -- true
	if have image-missing-image fuse2fs; then
		expect image-missing-image 125 "" "fuse2fs: it exited before mounting" \
			-m "fuse2fs:$i/nonexistent.img:/mnt" -- true
		expect image-not-an-image 125 "" "fuse2fs: it exited before mounting" \
			-m "fuse2fs:$t/a.txt:/mnt" -- true
	fi
}
