#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# files.sh - time facet's file views against native runs and PRoot
#
# Usage:
#   make                              # builds ./facet
#   bench/files.sh                    # all workloads, 10 runs each (~5 min)
#   RUNS=3 ONLY="find_usr exec_rootfs" bench/files.sh
#
# Each workload runs natively, under facet and under PRoot in one hyperfine
# run (-N, so no shell in between; ratios only compare within one sitting),
# then one table gives the mean of each, its ratio to native, and PRoot /
# facet.  For find_usr and tar_include, "nofence" is facet with
# FACET_DISABLE=landlock: every open through facet (files_fence.c):
#
#   find_usr       find /usr			facet -b /usr:/usr, proot -b /usr:/usr
#   tar_include    tar cf - /usr/include | wc -c	the same binds
#   exec_rootfs    sh -c 'for i in $(seq 500); do /bin/true; done' inside the
#                  root filesystem of tests/mkrootfs.sh: facet -r ROOTFS,
#                  proot -r ROOTFS (with /dev, /proc and /sys bound, as facet
#                  does), natively "chroot ROOTFS" (root only; else no
#                  native column for it)
#   make_overlay   make -s -j2 of smallproj: facet --overlay on a clean copy
#                  (nothing reaches the copy, so every run starts clean),
#                  natively and under PRoot in copies of their own cleaned
#                  before each run (PRoot has no copy-on-write view)
#
# Needs hyperfine and proot (Debian packages; as root with apt-get they are
# installed if missing, else it says what is missing and exits 2).  The root
# filesystem is /var/cache/facet-tests/rootfs-bookworm, built by
# tests/mkrootfs.sh as root (about a minute, once); without it exec_rootfs
# is skipped.  Before timing, each variant runs once: one that fails (or
# prints something else than the native run) is left out with a note.
#
# env: FACET (default ../facet from here), PROOT (proot), RUNS (10),
#      ONLY (workload names), BUILD (bench/.build/files),
#      ROOTFS (/var/cache/facet-tests/rootfs-bookworm), LOOPS (500)
set -u
# from `make`: the smallproj build must not join an outer make's jobs
unset MAKEFLAGS MFLAGS MAKELEVEL

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=$(realpath -m "${FACET:-$HERE/../facet}")
PROOT=${PROOT:-proot}
RUNS=${RUNS:-10}
BUILD=${BUILD:-$HERE/.build/files}
ROOTFS=${ROOTFS:-/var/cache/facet-tests/rootfs-bookworm}
LOOPS=${LOOPS:-500}
ONLY=${ONLY:-find_usr tar_include exec_rootfs make_overlay}
OUT=$BUILD/results

# need() - hyperfine and proot (installed as root with apt-get), facet
need() {
	bench_need hyperfine proot build-essential python3 -- \
		hyperfine "$PROOT" make cc python3
	bench_need_facet
}

# prepare() - the smallproj copies and, as root, the root filesystem
prepare() {
	local v
	mkdir -p "$BUILD" "$OUT" || exit 2
	rm -f "$OUT"/*.json "$OUT"/*.log "$OUT"/*.err
	for v in native lower proot; do
		rm -rf "$BUILD/smallproj-$v"
		cp -a "$HERE/smallproj" "$BUILD/smallproj-$v" || exit 2
		make -s -C "$BUILD/smallproj-$v" clean >/dev/null
	done
	if [ ! -e "$ROOTFS/.complete" ] && [ "$(id -u)" = 0 ] &&
	   [[ " $ONLY " == *" exec_rootfs "* ]]; then
		"$HERE/../tests/mkrootfs.sh" "$ROOTFS" ||
			echo "note: no root filesystem: exec_rootfs skipped" >&2
	fi
}

# bench NAME PREP -- LABEL|COMMAND... - one hyperfine run of the variants
# that work; PREP (or "") runs before each timed run of each; a variant's
# output must be the one of the first variant (the reference)
bench() {
	local name=$1 prep=$2 v label cmd ref="" args=() preps=() n=0
	shift 3
	for v in "$@"; do
		label=${v%%|*}
		cmd=${v#*|}
		[ -n "$prep" ] && sh -c "$prep" >/dev/null 2>&1
		# hyperfine -N splits the command as a shell would: so do we
		if ! eval "$cmd" >"$OUT/$name.$label.out" 2>"$OUT/$name.$label.err"; then
			echo "note: $label failed on $name (see $OUT/$name.$label.err): left out" >&2
			continue
		fi
		if [ -z "$ref" ]; then
			ref=$OUT/$name.$label.out
		elif ! cmp -s "$ref" "$OUT/$name.$label.out"; then
			echo "note: $label printed something else than ${ref##*/"$name".} on $name: left out" >&2
			continue
		fi
		args+=(--command-name "$label" "$cmd")
		preps+=(--prepare "${prep:-true}")
		n=$((n + 1))
	done
	[ $n -gt 0 ] || return
	echo "== $name: $n variants, $RUNS runs each" >&2
	hyperfine -N --warmup 1 --runs "$RUNS" "${preps[@]}" \
		--export-json "$OUT/$name.json" "${args[@]}" >"$OUT/$name.log" 2>&1 ||
		echo "warning: hyperfine failed on $name (see $OUT/$name.log)" >&2
}

# q WORD - WORD quoted for the command strings above
q() { printf '%q' "$1"; }

run_all() {
	local w loop tar pb=(-b /dev -b /proc -b /sys) lower=$BUILD/smallproj-lower
	loop="sh -c 'for i in \$(seq $LOOPS); do /bin/true; done'"
	tar="sh -c 'tar cf - /usr/include 2>/dev/null | wc -c'"
	for w in $ONLY; do
		case $w in
		find_usr)
			bench find_usr "" -- "native|find /usr" \
				"facet|$(q "$FACET") -b /usr:/usr -- find /usr" \
				"nofence|env FACET_DISABLE=landlock $(q "$FACET") -b /usr:/usr -- find /usr" \
				"proot|$PROOT -b /usr:/usr find /usr" ;;
		tar_include)
			bench tar_include "" -- "native|$tar" \
				"facet|$(q "$FACET") -b /usr:/usr -- $tar" \
				"nofence|env FACET_DISABLE=landlock $(q "$FACET") -b /usr:/usr -- $tar" \
				"proot|$PROOT -b /usr:/usr $tar" ;;
		exec_rootfs)
			if [ ! -e "$ROOTFS/.complete" ]; then
				echo "note: no root filesystem in $ROOTFS (tests/mkrootfs.sh, as root): exec_rootfs skipped" >&2
				continue
			fi
			local variants=()
			if [ "$(id -u)" = 0 ]; then
				variants+=("native|chroot $(q "$ROOTFS") $loop")
			else
				echo "note: not root: no native (chroot) run of exec_rootfs" >&2
			fi
			bench exec_rootfs "" -- "${variants[@]}" \
				"facet|$(q "$FACET") -r $(q "$ROOTFS") -- $loop" \
				"proot|$PROOT -r $(q "$ROOTFS") ${pb[*]} $loop" ;;
		make_overlay)
			# per variant: native and proot clean their copy, facet's
			# lower stays clean (checked after)
			bench_make
			if [ -n "$(find "$lower" -name '*.o' | head -n 1)" ]; then
				echo "warning: the overlay's lower directory $lower was written to" >&2
			fi ;;
		*)
			echo "unknown workload $w (known: find_usr tar_include exec_rootfs make_overlay)" >&2 ;;
		esac
	done
}

# bench_make - make_overlay, whose variants each have their own preparation
bench_make() {
	local b=$BUILD args=() preps=() label n=0
	local -A cmd=(
		[native]="make -s -j2 -C $(q "$b/smallproj-native")"
		[facet]="$(q "$FACET") --overlay $(q "$b/smallproj-lower") -- make -s -j2 -C $(q "$b/smallproj-lower")"
		[proot]="$PROOT -r / make -s -j2 -C $(q "$b/smallproj-proot")"
	) prep=(
		[native]="make -s -C $(q "$b/smallproj-native") clean"
		[facet]="true"
		[proot]="make -s -C $(q "$b/smallproj-proot") clean"
	)
	for label in native facet proot; do
		sh -c "${prep[$label]}" >/dev/null 2>&1
		if ! eval "${cmd[$label]}" >"$OUT/make_overlay.$label.out" \
			2>"$OUT/make_overlay.$label.err"; then
			echo "note: $label failed on make_overlay (see $OUT/make_overlay.$label.err): left out" >&2
			continue
		fi
		args+=(--command-name "$label" "${cmd[$label]}")
		preps+=(--prepare "${prep[$label]}")
		n=$((n + 1))
	done
	[ $n -gt 0 ] || return
	echo "== make_overlay: $n variants, $RUNS runs each" >&2
	hyperfine -N --warmup 1 --runs "$RUNS" "${preps[@]}" \
		--export-json "$OUT/make_overlay.json" "${args[@]}" \
		>"$OUT/make_overlay.log" 2>&1 ||
		echo "warning: hyperfine failed on make_overlay (see $OUT/make_overlay.log)" >&2
}

# report() - the table, from the JSON files
report() {
	# shellcheck disable=SC2086 # ONLY is a list of words
	python3 - "$OUT" $ONLY <<'EOF'
import json, os, sys

out, names = sys.argv[1], sys.argv[2:]
cols = ["native", "facet", "nofence", "proot"]

def sig(x, d=3):
    """x with d significant digits, in plain decimal notation"""
    s = "%.*g" % (d, x)
    return ("%f" % float(s)).rstrip("0").rstrip(".") if "e" in s else s

print("\nmean wall time in seconds +- standard deviation (ratio to native)")
print("%-14s" % "workload" + "".join("%-26s" % c for c in cols) + "proot/facet")
noisy = False
for name in names:
    try:
        res = json.load(open(os.path.join(out, name + ".json")))["results"]
    except (OSError, ValueError, KeyError):
        print("%-14s" % name + "(not run)")
        continue
    row = {r["command"]: r for r in res}
    base = row.get("native", {}).get("mean")
    cells = []
    for c in cols:
        r = row.get(c)
        if r is None:
            cells.append("-")
            continue
        # a deviation above a quarter of the mean: something else ran
        flag = (r["stddev"] or 0) > 0.25 * r["mean"]
        noisy |= flag
        cell = "%s+-%s" % (sig(r["mean"]), sig(r["stddev"] or 0, 2))
        if c != "native" and base:
            cell += " (%sx)" % sig(r["mean"] / base)
        cells.append(cell + ("*" if flag else ""))
    pf = ""
    if "proot" in row and "facet" in row:
        pf = sig(row["proot"]["mean"] / row["facet"]["mean"]) + "x"
    print("%-14s" % name + "".join("%-26s" % x for x in cells) + pf)
if noisy:
    print("* standard deviation above a quarter of the mean: the machine was busy, rerun")
EOF
}

need
prepare
quiet
run_all
report
echo
echo "JSON and logs: $OUT"
