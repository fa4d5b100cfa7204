#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - time facet against native, PRoot and the bare notification floor
#
# Builds the helpers (floor, uname_loop, getppid_loop, spawn_loop) and a copy of
# smallproj into bench/.build, then times every variant of every workload with
# hyperfine in one sitting (ratios are only comparable within one run) and
# prints medians, ratios against native and the per-call cost of a trapped
# uname(2). See bench/README.md for what each figure means.
#
# env: FACET (default ../facet from here), RUNS (10), BUILD (bench/.build),
#      PROOT (wrapper command, default "proot -0 -r /"), N (uname/getppid
#      loop iterations, 100000), SPAWNS (fork+exec iterations, 1000)
set -u
# from `make bench`: the smallproj build must not join the outer make's jobs
unset MAKEFLAGS MFLAGS MAKELEVEL

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=${FACET:-$HERE/../facet}
INJECT=${INJECT:-$HERE/../modules/inject.so}
RUNS=${RUNS:-10}
BUILD=${BUILD:-$HERE/.build}
PROOT=${PROOT:-proot -0 -r /}
N=${N:-100000}
SPAWNS=${SPAWNS:-1000}
OUT=$BUILD/results

# need() - install what is missing (as root with apt-get), else exit 2;
# PRoot is optional: without it its column is skipped
need() {
	local pkgs=(hyperfine proot build-essential pkg-config libseccomp-dev)

	# proot is optional for a user (its column is left out), not for root
	[ "$(id -u)" = 0 ] && bench_need "${pkgs[@]}" -- proot
	bench_need "${pkgs[@]}" -- hyperfine cc python3 pkg-config make
	pkg-config --exists libseccomp 2>/dev/null ||
		bench_need "${pkgs[@]}" -- libseccomp-dev	# a package, not a command
}

# build() - compile the helpers and lay out a fresh copy of smallproj
build() {
	local f flags=(-std=gnu11 -O2 -Wall -Wextra)
	mkdir -p "$BUILD" "$OUT" || exit 2
	for f in uname_loop getppid_loop spawn_loop; do
		cc "${flags[@]}" -o "$BUILD/$f" "$HERE/$f.c" || exit 2
	done
	# shellcheck disable=SC2046 # pkg-config's output is several words
	cc "${flags[@]}" -o "$BUILD/floor" "$HERE/floor.c" \
		$(pkg-config --cflags --libs libseccomp) || exit 2
	rm -rf "$BUILD/smallproj"
	cp -a "$HERE/smallproj" "$BUILD/smallproj" || exit 2
	make -s -C "$BUILD/smallproj" clean >/dev/null
}

# variants() - "label|wrapper prefix" lines for the wrappers that work here
variants() {
	echo "native|"
	if [ -x "$FACET" ]; then
		echo "facet|$FACET --hostname bench --"
	else
		echo "note: no facet binary at $FACET (build it with make): column skipped" >&2
	fi
	if command -v "${PROOT%% *}" >/dev/null; then
		echo "proot|$PROOT"
	else
		echo "note: ${PROOT%% *} not installed: PRoot column skipped" >&2
	fi
	echo "floor|$BUILD/floor --"
	echo "floor-write|$BUILD/floor --write --"
	# facet answering uname from a value, with no guest memory touched:
	# the like-for-like comparison with the bare floor (uname loop only)
	[ -x "$FACET" ] && [ -f "$INJECT" ] &&
		echo "facet-reply|$FACET --module $INJECT:uname=EPERM --"
}

# sanity() - check that facet answers uname with the host name it was given
sanity() {
	local got
	[ -x "$FACET" ] || return 0
	got=$("$FACET" --hostname bench -- uname -n 2>&1)
	[ "$got" = bench ] ||
		echo "warning: '$FACET --hostname bench -- uname -n' printed '$got', not 'bench'" >&2
	got=$("$BUILD/floor" --write -- uname -n 2>&1)
	[ "$got" = floor ] ||
		echo "warning: 'floor --write -- uname -n' printed '$got', not 'floor'" >&2
}

# bench() - time one workload under every variant in one hyperfine run
# $1: workload name, $2: command, $3: prepare command or "", $4: "write" to
# include floor --write; prints nothing, writes $OUT/$1.json
bench() {
	local name=$1 cmd=$2 prep=$3 with_write=$4 label wrap args=() count=0
	while IFS='|' read -r label wrap; do
		case $label in floor-write | facet-reply)
			[ "$with_write" != write ] && continue ;;
		esac
		# a variant that fails would abort hyperfine: try it once first
		if [ -n "$prep" ]; then $prep >/dev/null 2>&1; fi
		# shellcheck disable=SC2086 # both are lists of words
		if ! $wrap $cmd >/dev/null 2>"$OUT/$name.$label.err"; then
			echo "note: $label failed on $name (see $OUT/$name.$label.err): skipped" >&2
			continue
		fi
		args+=(--command-name "$label" "$wrap${wrap:+ }$cmd")
		count=$((count + 1))
	done < <(variants 2>/dev/null)
	local extra=()
	[ -n "$prep" ] && extra=(--prepare "$prep")
	echo "== $name: $count variants, $RUNS runs each" >&2
	hyperfine -N --warmup 2 --runs "$RUNS" "${extra[@]}" \
		--export-json "$OUT/$name.json" "${args[@]}" >"$OUT/$name.log" 2>&1 ||
		echo "warning: hyperfine failed on $name (see $OUT/$name.log)" >&2
}

# report() - the tables, from the JSON files
report() {
	python3 - "$OUT" "$N" <<'EOF'
import json, os, sys

out, n = sys.argv[1], int(sys.argv[2])
names = ["startup", "uname_loop", "getppid_loop", "spawn_loop",
         "make_smallproj"]
cols = ["native", "facet", "proot", "floor", "floor-write", "facet-reply"]

def sig(x, d=3):
    """x with d significant digits, in plain decimal notation"""
    s = "%.*g" % (d, x)
    return ("%f" % float(s)).rstrip("0").rstrip(".") if "e" in s else s

med, noisy = {}, False
for name in names:
    try:
        res = json.load(open(os.path.join(out, name + ".json")))["results"]
    except (OSError, ValueError, KeyError):
        continue
    med[name] = {}
    for r in res:
        # a spread wider than half the median: something else was running
        flag = (r["max"] - r["min"]) > 0.5 * r["median"]
        noisy |= flag
        med[name][r["command"]] = (r["median"], flag)

print("\nmedian wall time in seconds (ratio to native)")
print("%-16s" % "workload" + "".join("%-18s" % c for c in cols))
for name in names:
    row = med.get(name, {})
    base = row.get("native", (None,))[0]
    cells = []
    for c in cols:
        if c not in row:
            cells.append("-")
            continue
        t, flag = row[c]
        cell = sig(t)
        if c != "native" and base:
            cell += " (%sx)" % sig(t / base)
        cells.append(cell + ("*" if flag else ""))
    print("%-16s" % name + "".join("%-18s" % x for x in cells))
if noisy:
    print("* max - min above half the median: the machine was busy, rerun")

def t(name, col):
    return med.get(name, {}).get(col, (None,))[0]

def per_call(name, what):
    """added cost per call against native, the start-up taken out"""
    if t(name, "native") is None:
        return
    print("\n%s loop of %d: time per iteration (median / %d), and the "
          "added cost per call:\n((loop - startup) under the variant - the "
          "same natively) / %d" % (what, n, n, n))
    base = t(name, "native") - (t("startup", "native") or 0)
    for c in cols:
        if t(name, c) is None:
            continue
        own = t(name, c) - (t("startup", c) or 0)
        print("  %-12s %8s us/call   %+.3g us" %
              (c, sig(t(name, c) / n * 1e6), (own - base) / n * 1e6))

per_call("uname_loop", "uname(2), trapped")
per_call("getppid_loop", "getppid(2), untrapped")

def ratio(a, b, what):
    u = "uname_loop"
    if t(u, a) is None or t(u, b) is None:
        return
    na = t(u, "native")
    rb = (t(u, a) - na) / (t(u, b) - na) if t(u, b) > na else float("nan")
    print("  %-34s %sx  (added cost only: %sx)" %
          (what, sig(t(u, a) / t(u, b)), sig(rb)))

print("\nkey ratios, uname loop")
ratio("facet", "floor-write", "facet / floor --write (minimal):")
ratio("facet", "floor", "facet / floor (bare RECV+SEND):")
ratio("facet-reply", "floor", "facet-reply / floor (no memory):")
ratio("proot", "facet", "proot / facet:")
EOF
}

need
build
variants >/dev/null	# print the notes on skipped columns once
sanity
quiet
L=$BUILD
bench startup /bin/true "" -
bench uname_loop "$L/uname_loop $N -k" "" write
bench getppid_loop "$L/getppid_loop $N" "" -
bench spawn_loop "$L/spawn_loop $SPAWNS" "" -
bench make_smallproj "make -s -j2 -C $L/smallproj" "make -s -C $L/smallproj clean" -
report
echo
echo "JSON and logs: $OUT"
