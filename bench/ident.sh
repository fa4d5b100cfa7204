#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ident.sh - time "tar xpf" as a fake root: facet -0, fakeroot, proot -0
#
# Usage:
#   make                        # builds ./facet
#   bench/ident.sh              # 5 runs each (~1 min)
#   RUNS=3 FILES=5000 bench/ident.sh
#
# The archive holds FILES (20000) small files in 200 directories, owned by
# root, some with set-uid bits, as a package's data.tar would.  Each variant
# extracts it with "tar xpf" into a fresh directory (hyperfine --prepare
# empties it): natively with --no-same-owner (an ordinary user cannot give
# files away), under "facet -0", "fakeroot" and "proot -0".  Then each fake root lists the owners it made: fakeroot and
# facet record them, proot -0 returns success for chown and forgets, as the
# owners line shows.
#
# Needs hyperfine, fakeroot, proot (Debian packages; as root they are
# installed if missing).
# env: FACET (default ../facet from here), RUNS (5), FILES (20000),
#      BUILD (bench/.build/ident)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=$(realpath -m "${FACET:-$HERE/../facet}")
RUNS=${RUNS:-5}
FILES=${FILES:-20000}
BUILD=${BUILD:-$HERE/.build/ident}

bench_need hyperfine fakeroot proot -- hyperfine fakeroot proot
bench_need_facet
quiet
mkdir -p "$BUILD" || exit 2
tarball=$BUILD/files-$FILES.tar
if [ ! -e "$tarball" ]; then
	src=$BUILD/src
	rm -rf "$src" && mkdir -p "$src" || exit 2
	python3 - "$src" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 200))
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, "f%05d" % i)
    with open(p, "w") as f:
        f.write("x" * (i % 300))
    os.chmod(p, 0o4755 if i % 97 == 0 else 0o644)
PY
	tar cf "$tarball" -C "$src" --owner=0 --group=0 . || exit 2
	rm -rf "$src"
fi
dst=$BUILD/dst
prep="sh -c 'rm -rf $dst && mkdir $dst'"
hyperfine -N --warmup 1 --runs "$RUNS" --prepare "$prep" \
	--export-json "$BUILD/ident.json" \
	--command-name native "tar xpf $tarball --no-same-owner -C $dst" \
	--command-name facet "$FACET -0 -- tar xpf $tarball -C $dst" \
	--command-name fakeroot "fakeroot -- tar xpf $tarball -C $dst" \
	--command-name proot "proot -0 tar xpf $tarball -C $dst" \
	>"$BUILD/ident.log" 2>&1 || { cat "$BUILD/ident.log"; exit 1; }
python3 - "$BUILD/ident.json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = res["native"]["mean"]
print("tar xpf of %s: mean wall time, ratio to native" % sys.argv[1].replace("ident.json", ""))
for c in ("native", "facet", "fakeroot", "proot"):
    r = res[c]
    print("  %-9s %7.3f s +- %.3f  %5.2fx" % (c, r["mean"], r["stddev"] or 0, r["mean"] / base))
PY
# what each fake root says of an extracted set-uid file's owner
for v in facet fakeroot proot; do
	rm -rf "$dst" && mkdir "$dst"
	case $v in
	facet) w=("$FACET" -0 --) ;;
	fakeroot) w=(fakeroot --) ;;
	proot) w=(proot -0) ;;
	esac
	"${w[@]}" sh -c "chown 123:45 $dst && tar xpf $tarball -C $dst &&
		stat -c '%U:%G %a' $dst/d000/f00000 && stat -c '%u:%g' $dst" \
		2>/dev/null | tr '\n' ' ' | sed "s/^/  owners under $v: /; s/\$/\n/"
done
rm -rf "$dst"
