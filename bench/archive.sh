#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# archive.sh - facet's archive file system against archivemount
#
# Usage (as root, for archivemount's kernel FUSE mount to compare with):
#   make                        # builds ./facet
#   bench/archive.sh            # ~2 min
#   FILES=20000 BIG_MB=256 RUNS=3 bench/archive.sh
#
# A tar.gz of FILES (5000) small files in 50 directories and one BIG_MB
# (64) MiB file, read four ways, each including the mount (the archive's
# headers are read when it is mounted):
#   list       find -printf '%s %m' (a stat of each)
#   cat-small  cat of every small file, in find's order
#   cat-big    cat of the big file
#   head-big   the first 4 KiB of the big file
# through archivemount mounted by root under the kernel's FUSE, through
# archivemount run by facet -m (no root, no /dev/fuse) and through facet's
# own file system, facet -m archive:...  The native row extracts the whole
# archive to stdout (tar xzOf), a floor for any of them.  Reports seconds
# (median of RUNS) and archivemount's time over facet -m archive's.
#
# Needs hyperfine, archivemount, fuse3.
# env: FACET (default ../facet from here), RUNS (3), FILES (5000),
#      BIG_MB (64), BUILD (bench/.build/archive)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=$(realpath -m "${FACET:-$HERE/../facet}")
RUNS=${RUNS:-3}
FILES=${FILES:-5000}
BIG_MB=${BIG_MB:-64}
BUILD=${BUILD:-$HERE/.build/archive}

bench_need hyperfine archivemount fuse3 -- hyperfine archivemount fusermount
bench_need_facet
if [ "$(id -u)" != 0 ]; then
	echo "archive.sh: run as root: archivemount's kernel FUSE mount is the baseline" >&2
	exit 2
fi
quiet

mkdir -p "$BUILD"
cd "$BUILD" || exit 2
A=$BUILD/a-$FILES-$BIG_MB.tgz
if [ ! -e "$A" ]; then
	rm -rf tree && mkdir -p tree
	for ((d = 0; d < 50; d++)); do
		mkdir "tree/d$d"
		for ((f = 0; f < FILES / 50; f++)); do
			echo "$d $f" >"tree/d$d/f$f"
		done
	done
	head -c "$((BIG_MB * 1048576))" /dev/urandom >tree/big
	tar czf "$A" -C tree .
	rm -rf tree
fi
mkdir -p mnt

# time_one HOW CMD - seconds, median of RUNS; HOW is kernel (archivemount
# under the kernel's FUSE), daemon (archivemount under facet), facet
# (facet -m archive) or native (CMD run as it is)
time_one() {
	local how=$1 cmd=$2 json=$BUILD/t.json run
	case $how in
	kernel) run="sh -c 'archivemount -o ro $A $BUILD/mnt && D=$BUILD/mnt; $cmd; fusermount -u $BUILD/mnt'" ;;
	daemon) run="$FACET -m archivemount:$A:/arc:ro -- sh -c 'D=/arc; $cmd'" ;;
	facet) run="$FACET -m archive:$A:/arc -- sh -c 'D=/arc; $cmd'" ;;
	native) run="sh -c '$cmd'" ;;
	esac
	hyperfine -N -r "$RUNS" -w 1 --export-json "$json" "$run" >/dev/null 2>&1 || return 1
	python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
}

echo "archive: $FILES files and a $BIG_MB MiB file, $(du -m "$A" | cut -f1) MiB tar.gz"
printf 'native (tar xzOf, every byte): %s s\n' "$(time_one native "tar xzOf $A >/dev/null")"
printf '%-10s %12s %12s %12s %9s\n' workload archivemount 'facet+amount' 'facet -m' speedup
for w in list cat-small cat-big head-big; do
	case $w in
	list) cmd='find $D -printf "%s %m\n" >/dev/null' ;;
	cat-small) cmd='find $D -name "f*" -type f -exec cat {} + >/dev/null' ;;
	cat-big) cmd='cat $D/big >/dev/null' ;;
	head-big) cmd='head -c 4096 $D/big >/dev/null' ;;
	esac
	k=$(time_one kernel "$cmd") || k=nan
	d=$(time_one daemon "$cmd") || d=nan
	f=$(time_one facet "$cmd") || f=nan
	printf '%-10s %12s %12s %12s %9s\n' "$w" "$k" "$d" "$f" \
		"$(python3 -c 'import sys; k,f=sys.argv[1:]; print("%.1fx" % (float(k)/float(f)) if k!="nan" and f!="nan" else "-")' "$k" "$f")"
done
