#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# workloads.sh - real workloads (shared/bench-workloads) natively, under PRoot
# and under facet, then one table of ratios
#
# Runs the shared run.sh four times in one sitting: native,
# WRAP="proot -0 -r /" LABEL=proot, WRAP="$FACET --hostname bench --"
# LABEL=facet (the default: path calls trapped, so that facet-mount can
# change the view later) and the same with --fixed (LABEL=facet-fixed: only
# what the options need is trapped), and compares their summary.tsv files.
#
# env: FACET (default ../facet from here), WORKLOADS (the bench-workloads
#      folder), PEER_DIR (its data, /tmp/peer), ONLY and RUNS (passed through)
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/common.sh
. "$HERE/common.sh"
FACET=${FACET:-$HERE/../facet}
WORKLOADS=$(realpath -m "${WORKLOADS:-$HERE/../../shared/bench-workloads}")
PEER_DIR=${PEER_DIR:-/tmp/peer}
export PEER_DIR

# need() - hyperfine, proot and the workloads' inputs, else exit 2
need() {
	bench_need hyperfine proot -- hyperfine proot
	if [ ! -x "$WORKLOADS/run.sh" ]; then
		echo "no $WORKLOADS/run.sh: set WORKLOADS to the bench-workloads folder" >&2
		exit 2
	fi
	if [ ! -f "$PEER_DIR/wl/python-src.tar" ] || [ ! -f "$PEER_DIR/wl/www/blob" ]; then
		echo "the workloads' inputs are missing in $PEER_DIR/wl: run $WORKLOADS/obtain.sh first" >&2
		exit 2
	fi
	bench_need_facet
}

# run_one() - one pass of the shared run.sh
# $1: label, $2: wrapper prefix ("" for native)
run_one() {
	echo "== $1 ${2:+($2)}"
	env -u WRAP -u LABEL WRAP="$2" LABEL="$1" "$WORKLOADS/run.sh"
}

# report() - workloads as rows, labels as columns, ratios against native
report() {
	python3 - "$PEER_DIR/wl-results" native proot facet facet-fixed <<'EOF'
import os, sys

root, labels = sys.argv[1], sys.argv[2:]

def sig(x, d=3):
    s = "%.*g" % (d, x)
    return "%f" % float(s) if "e" in s else s

def load(label):
    """summary.tsv: name median min max runs=N rc=N [extra]"""
    rows = {}
    try:
        lines = open(os.path.join(root, label, "summary.tsv")).read().splitlines()
    except OSError:
        return rows
    for line in lines:
        f = line.split("\t")
        if line.startswith("#") or len(f) < 6:
            continue
        extra = f[6] if len(f) > 6 and "=" in f[6] else ""
        try:
            med = float(f[1])
        except ValueError:
            med = None
        rows[f[0]] = (med, f[5], extra)
    return rows

data = {l: load(l) for l in labels}
names = list(data["native"]) or list(data["facet"])
print("\nmedian seconds (ratio to native); for curl/iperf3 the throughput")
print("%-14s" % "workload" + "".join("%-22s" % l for l in labels)
      + "facet/proot")
for name in names:
    cells, vals = [], {}
    for l in labels:
        med, rc, extra = data[l].get(name, (None, "", ""))
        if extra:                     # a rate: higher is better
            unit, _, v = extra.partition("=")
            try:
                vals[l] = 1 / float(v)
                med_s = "%s %s" % (sig(float(v)), unit)
            except ValueError:
                med_s = "NA"
        elif med is not None:
            vals[l] = med
            med_s = sig(med)
        else:
            med_s = "NA"
        if rc and rc != "rc=0":
            med_s += " " + rc
        base = vals.get("native")
        if l != "native" and l in vals and base:
            med_s += " (%sx)" % sig(vals[l] / base)
        cells.append(med_s)
    fp = ""
    if vals.get("facet") and vals.get("proot"):
        fp = sig(vals["facet"] / vals["proot"]) + "x"
    print("%-14s" % name + "".join("%-22s" % c for c in cells) + fp)
print("ratios > 1 are slower than native (for rates: native rate / rate)")
EOF
}

need
run_one native ""
run_one proot "proot -0 -r /"
run_one facet "$(realpath "$FACET") --hostname bench --"
run_one facet-fixed "$(realpath "$FACET") --fixed --hostname bench --"
report
