#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - run each libFuzzer harness for SECONDS, two at a time, from its
# corpus in tests/fuzz/corpus/NAME/ (inputs it finds go to a scratch copy,
# not to the repository).  A crash or a leak fails the run; its input is
# kept as build/fuzz/NAME.crash and its report printed.
#
# usage: tests/fuzz/run.sh SECONDS FUZZER...
set -u
secs=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d /tmp/facet-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$scratch"' EXIT

# one FUZZER - run it; its report in $scratch/NAME.log, status in .rc
one() {
	local f=$1 name
	name=$(basename "$f")
	mkdir -p "$scratch/$name"
	cp -r "$top/tests/fuzz/corpus/$name/." "$scratch/$name/" 2>/dev/null
	"$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$top/build/fuzz/$name." "$scratch/$name" \
		>"$scratch/$name.log" 2>&1
	echo $? >"$scratch/$name.rc"
}

fail=0
set -- "$@"
while [ $# -gt 0 ]; do
	one "$1" &
	[ $# -gt 1 ] && one "$2" &
	wait
	for f in "$1" "${2:-}"; do
		[ -n "$f" ] || continue
		name=$(basename "$f")
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log")
		if [ "$(cat "$scratch/$name.rc")" = 0 ]; then
			echo "PASS fuzz-${name#fuzz_}: ${runs:-?} inputs in $secs s, corpus $(ls "$scratch/$name" | wc -l)"
		else
			echo "FAIL fuzz-${name#fuzz_} (input kept in build/fuzz/$name.crash-*)"
			grep -A30 -m1 "ERROR\|runtime error\|deadly signal" "$scratch/$name.log" | sed 's/^/    /'
			fail=1
		fi
	done
	shift
	[ $# -gt 0 ] && shift
done
exit $fail
