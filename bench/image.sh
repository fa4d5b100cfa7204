#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# image.sh - images through FUSE: facet -m against the kernel's FUSE mount
#
# Usage (as root, for the kernel's FUSE mount to compare with):
#   make                        # builds ./facet
#   bench/image.sh              # ~2 min
#   SIZE_MB=256 FILES=20000 RUNS=3 bench/image.sh
#
# Three workloads on an ext4 image served by fuse2fs and a squashfs image
# served by squashfuse, each through the kernel's FUSE (the daemon mounted
# by root on a real mount point) and through facet -m (no root, no
# /dev/fuse), in one run:
#   seq-read   cat of one SIZE_MB file (1024) to /dev/null
#   head-4k    open and read the first 4 KiB of that file
#   find-stat  find -printf '%s %m' (a stat of each) over FILES (50000)
#              small files in 500 directories
# Reports seconds (median of RUNS) and the ratio facet / kernel FUSE.  The
# image itself is in the page cache for both; facet's time includes its own
# start and the daemon's, the kernel's a fresh mount made before each run.
#
# Needs hyperfine, fuse2fs, squashfuse, squashfs-tools, e2fsprogs, fuse3.
# env: FACET (default ../facet from here), RUNS (3), SIZE_MB (1024),
#      FILES (50000), BUILD (bench/.build/image)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=$(realpath -m "${FACET:-$HERE/../facet}")
RUNS=${RUNS:-3}
SIZE_MB=${SIZE_MB:-1024}
FILES=${FILES:-50000}
BUILD=${BUILD:-$HERE/.build/image}

bench_need hyperfine fuse2fs squashfuse squashfs-tools e2fsprogs fuse3 -- \
	hyperfine fuse2fs squashfuse mksquashfs mke2fs fusermount3
bench_need_facet
if [ "$(id -u)" != 0 ]; then
	echo "image.sh: run as root: the kernel's FUSE mount is the baseline" >&2
	exit 2
fi
quiet

mkdir -p "$BUILD"
cd "$BUILD" || exit 2
if [ ! -e big.img ]; then
	rm -rf tree-big tree-many && mkdir -p tree-big tree-many
	head -c "$((SIZE_MB * 1048576))" /dev/urandom >tree-big/big
	for ((d = 0; d < 500; d++)); do
		mkdir "tree-many/d$d"
		for ((f = 0; f < FILES / 500; f++)); do
			echo "$d $f" >"tree-many/d$d/f$f"
		done
	done
	mke2fs -q -t ext4 -d tree-big big.img "$((SIZE_MB + 64))M" >/dev/null
	mke2fs -q -t ext4 -N "$((FILES + 2000))" -d tree-many many.img 512M >/dev/null
	mksquashfs tree-big big.sqfs -quiet >/dev/null
	mksquashfs tree-many many.sqfs -quiet >/dev/null
	rm -rf tree-big tree-many
fi
mkdir -p mnt

# median TYPE IMAGE CMD - seconds, median of RUNS, through the kernel
# ("kernel") or facet
time_one() {
	local how=$1 type=$2 img=$3 cmd=$4 json=$BUILD/t.json
	cat "$img" >/dev/null	# the image in the page cache, for both
	if [ "$how" = kernel ]; then
		# a fresh mount before each run: nothing of the file in the
		# kernel's FUSE page cache, as nothing is in facet's cache
		"$type" "$img" "$BUILD/mnt" -o ro >/dev/null 2>&1 || return 1
		hyperfine -N -r "$RUNS" -w 0 --export-json "$json" \
			--prepare "sh -c 'umount $BUILD/mnt; $type $BUILD/$img $BUILD/mnt -o ro >/dev/null 2>&1; sleep 0.2'" \
			"sh -c 'D=$BUILD/mnt; $cmd'" >/dev/null 2>&1
		umount "$BUILD/mnt"
	else
		hyperfine -N -r "$RUNS" -w 0 --export-json "$json" \
			"$FACET -m $type:$BUILD/$img:/img:ro -- sh -c 'D=/img; $cmd'" >/dev/null 2>&1
	fi
	python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
}

printf '%-10s %-10s %10s %10s %7s\n' daemon workload kernel facet ratio
for type in fuse2fs squashfuse; do
	ext=img
	[ "$type" = squashfuse ] && ext=sqfs
	for w in seq-read head-4k find-stat; do
		case $w in
		seq-read) img=big.$ext cmd='cat $D/big >/dev/null' ;;
		head-4k) img=big.$ext cmd='head -c 4096 $D/big >/dev/null' ;;
		find-stat) img=many.$ext cmd='find $D -printf "%s %m\n" >/dev/null' ;;
		esac
		k=$(time_one kernel "$type" "$img" "$cmd") || k=nan
		f=$(time_one facet "$type" "$img" "$cmd") || f=nan
		printf '%-10s %-10s %10s %10s %7s\n' "$type" "$w" "$k" "$f" \
			"$(python3 -c 'import sys; k,f=sys.argv[1:]; print("%.2fx" % (float(f)/float(k)) if k!="nan" and f!="nan" else "-")' "$k" "$f")"
	done
done
