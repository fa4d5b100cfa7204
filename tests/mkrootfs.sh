#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mkrootfs.sh - build (once) a minimal Debian 12 root filesystem for the tests
#
# Usage: tests/mkrootfs.sh DIR
#
# Builds a "bookworm" minbase system with python3-minimal in DIR, for
# "facet -r DIR" (tests/cases_files.sh, bench/files.sh).  Cached: if
# DIR/.complete exists it does nothing and exits 0.  It builds in DIR.tmp,
# writes DIR.tmp/.complete and renames DIR.tmp to DIR, so DIR is either
# absent or complete; a DIR without .complete is not ours and is left alone
# (exit 1).  The debootstrap log goes to DIR.log.  Everything in DIR that a
# package made readable stays readable by every user (the tests run as an
# unprivileged user too); what a package keeps private (/etc/shadow, /root,
# ...) stays private.
#
# Needs root and debootstrap (apt-get install debootstrap); without either it
# says why on one line of stderr and exits 77 (the tests report a SKIP).
# The mirror is the one apt uses for Debian here (/etc/apt/sources.list.d/
# *.sources, /etc/apt/sources.list), else http://deb.debian.org/debian;
# MIRROR=URL overrides it.  Takes about a minute with a nearby mirror.
#
# Exit status: 0 built or already there, 77 cannot build here, 1 failed.
set -u
umask 022
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

SUITE=bookworm

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 DIR" >&2
	exit 1
fi
DIR=$(realpath -m -- "$1")
if [ "$DIR" = / ]; then
	echo "mkrootfs.sh: refusing to build into /" >&2
	exit 1
fi
[ -e "$DIR/.complete" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "mkrootfs.sh: not root: cannot build $DIR (run the tests as root once)" >&2
	exit 77
fi
if ! command -v debootstrap >/dev/null; then
	echo "mkrootfs.sh: debootstrap not installed (apt-get install debootstrap)" >&2
	exit 77
fi

# mirror - the URI apt uses for Debian's main archive here (not -security)
mirror() {
	local f u
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822: the URIs: line of a stanza whose Suites: has bookworm
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			u = ""; s = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, w, /[ \t]+/); u = w[2] }
				if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) s = 1
			}
			if (s && u ~ /^https?:\/\// && u !~ /security/) { print u; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '$1 == "deb" {
			for (i = 2; i <= NF; i++) if ($i !~ /^\[/) break
			if ($(i + 1) == "bookworm" && $i ~ /^https?:\/\// &&
			    $i !~ /security/) { print $i; exit }
		}' "$f"
	done
	echo http://deb.debian.org/debian
}
for u in $(mirror); do
	if [ -z "${MIRROR:-}" ] && [[ $u == *debian* ]]; then MIRROR=$u; fi
done
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# one build at a time (two test runs may start together)
mkdir -p "$(dirname "$DIR")" || exit 1
exec 9>"$DIR.lock" || exit 1
flock 9
[ -e "$DIR/.complete" ] && exit 0
if [ -e "$DIR" ]; then
	echo "mkrootfs.sh: $DIR exists but has no .complete: not touching it (remove it to rebuild)" >&2
	exit 1
fi

TMP=$DIR.tmp
LOG=$DIR.log

# unmount_below D - unmount whatever a failed debootstrap left mounted in D
unmount_below() {
	local m
	# deepest first; mountinfo escapes blanks as \040
	awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do
			umount -l "$(printf '%b' "$m")" 2>/dev/null
		done
}

# clean - remove a partial build (never crossing into a mounted filesystem)
clean() {
	[ -e "$TMP" ] || return 0
	unmount_below "$TMP"
	rm -rf --one-file-system "$TMP"
}

clean
trap 'clean' EXIT
trap 'exit 1' HUP INT TERM
t0=$SECONDS
echo "mkrootfs.sh: debootstrap $SUITE from $MIRROR into $DIR (log: $LOG)" >&2
if ! debootstrap --variant=minbase --include=python3-minimal "$SUITE" \
	"$TMP" "$MIRROR" >"$LOG" 2>&1; then
	echo "mkrootfs.sh: debootstrap failed, last lines of $LOG:" >&2
	tail -n 5 "$LOG" | sed 's/^/    /' >&2
	exit 1
fi
unmount_below "$TMP"

# The root itself is 0755 from debootstrap's mkdir under umask 022, but make
# sure: the unprivileged test user must be able to walk into it.  Files a
# package left readable by its owner only are left so on purpose.
chmod 755 "$TMP" || exit 1
# apt's download caches are not needed in the tests
rm -rf "$TMP"/var/cache/apt/archives/*.deb

printf 'debootstrap --variant=minbase --include=python3-minimal %s %s\nbuilt %s in %d s\n' \
	"$SUITE" "$MIRROR" "$(date -u +%FT%TZ)" $((SECONDS - t0)) >"$TMP/.complete"
mv -T "$TMP" "$DIR" || exit 1
trap - EXIT
echo "mkrootfs.sh: $DIR built in $((SECONDS - t0)) s ($(du -sh "$DIR" | cut -f1))" >&2
exit 0
