#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - real test suites, natively and under facet, verdict by verdict
#
# Usage (as root: it installs what it needs and runs as a user too):
#   make compat
#   SUITES="busybox" CONFIGS="native hostname" USERS=root tests/compat/run.sh
#
# Suites (SUITES, default "python busybox"):
#   python    CPython 3.11's regression tests, the core set (Debian's
#             libpython3.11-testsuite), python3.11 -m test -j2
#   python2   the longer set (asyncio, io, multiprocessing, venv, ...)
#   busybox   BusyBox 1.35's own testsuite (Debian's source package,
#             make defconfig, testsuite/runtest: ~900 cases)
# Configurations (CONFIGS, default "native hostname bind overlay net lan proot"):
#   native    the suite as it is: the reference
#   hostname  facet --hostname x -- (the filter live, the host's view)
#   bind      the work tree bound elsewhere (/compatccc..., as long a path)
#             and entered with -w
#   overlay   facet --overlay / -- (the host's root, copy-on-write; the
#             work tree bound in, so that the results are kept)
#   net       facet --net nat -- (a network of the view's own)
#   lan       facet --net vde:SWITCH -- (on a vde_switch of its own, started
#             here; needs vde2 and facet-netstack)
#   proot     proot -r / -w DIR, the peer
# Users (USERS, default "root user"): "user" runs as $COMPAT_USER (facet-test,
# made with useradd if missing) from a copy of the work tree it owns.
#
# Prints, per suite, configuration and user, "N passed, N failed, N skipped"
# and the wall time, then each test whose verdict differs from the native
# run's of the same suite and user.  Exit status 1 if any differ.
# env: FACET (../../facet from here), WORK (/var/tmp/facet-compat: fetched
#      sources, builds, logs; kept between runs), COMPAT_USER
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
FACET=$(realpath -m "${FACET:-$TOP/facet}")
WORK=${WORK:-/var/tmp/facet-compat}
SUITES=${SUITES:-python busybox}
CONFIGS=${CONFIGS:-native hostname bind overlay net lan proot}
USERS=${USERS:-root user}
COMPAT_USER=${COMPAT_USER:-facet-test}
PY=/usr/bin/python3.11
V="$HERE/verdicts.py"
export LC_ALL=C.UTF-8 TZ=UTC

PY_CORE="test_os test_posix test_posixpath test_stat test_fcntl test_fileio
test_tempfile test_shutil test_glob test_pathlib test_tarfile test_zipfile
test_select test_selectors test_poll test_epoll test_signal test_threading
test_subprocess test_pty test_socket test_socketserver test_mmap test_pwd
test_grp test_resource test_time test_getpass test_sys test_site
test_sysconfig test_uuid"
PY_MORE="test_asyncio test_io test_httpservers test_urllib2_localnet
test_multiprocessing_fork test_concurrent_futures test_logging
test_compileall test_venv test_zipimport"

die() { echo "compat: $*" >&2; exit 2; }

# setup - packages, the user, the BusyBox build
setup() {
	local pkgs=() src
	[ -x "$FACET" ] || die "$FACET missing: run make"
	if [ "$(id -u)" = 0 ]; then
		[ -d /usr/lib/python3.11/test ] || pkgs+=(libpython3.11-testsuite)
		command -v proot >/dev/null || pkgs+=(proot)
		command -v bzip2 >/dev/null || pkgs+=(bzip2)
		command -v runuser >/dev/null || pkgs+=(util-linux)
		if [ ${#pkgs[@]} -gt 0 ]; then
			apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null ||
				die "cannot install ${pkgs[*]}"
		fi
		if [[ " $USERS " == *" user "* ]] && ! id "$COMPAT_USER" >/dev/null 2>&1; then
			useradd -m "$COMPAT_USER" || die "cannot create user $COMPAT_USER"
		fi
	elif [[ " $USERS " == *" user "* ]]; then
		USERS=root	# the one running it, whoever that is
	fi
	mkdir -p "$WORK/logs" && chmod 755 "$WORK" || die "cannot make $WORK"
	[[ " $SUITES " == *" busybox "* ]] || return 0
	[ -x "$WORK/busybox/busybox" ] && return 0
	# the source package, through a private sources list: no deb-src
	# entry needed in the system's configuration
	src=$WORK/apt
	mkdir -p "$src/lists/partial" "$src/etc"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
		>"$src/etc/sources.list"
	local opts=(-o "Dir::Etc::sourcelist=$src/etc/sources.list" -o Dir::Etc::sourceparts=-
		    -o "Dir::State::Lists=$src/lists" -o APT::Get::List-Cleanup=0)
	(cd "$src" && apt-get "${opts[@]}" update >/dev/null 2>&1 &&
		apt-get "${opts[@]}" source --download-only busybox >/dev/null 2>&1) ||
		die "cannot fetch BusyBox's source package"
	rm -rf "$WORK/busybox" && mkdir "$WORK/busybox"
	tar xjf "$src"/busybox_1.35.0.orig.tar.bz2 -C "$WORK/busybox" --strip-components=1 ||
		die "cannot unpack BusyBox"
	(cd "$WORK/busybox" && make defconfig >/dev/null 2>&1 && make -j2 >build.log 2>&1) ||
		die "cannot build BusyBox (see $WORK/busybox/build.log)"
}

# wrap CONFIG DIR GUESTDIR - the command prefix of a configuration; the
# suite runs in GUESTDIR, which is DIR as the configuration shows it
wrap() {
	case $1 in
	native) echo env ;;
	hostname) echo "$FACET --hostname x --" ;;
	net) echo "$FACET --net nat --" ;;
	lan) echo "$FACET --net vde:$WORK/switch --ip 10.3.0.2/24 --" ;;
	bind) echo "$FACET -b $2:$3 -w $3 --" ;;
	overlay) echo "$FACET --overlay / -b $2:$2 --" ;;	# results kept
	proot) echo "proot -r / -w $2" ;;
	esac
}

# tree USER - the work tree a user's runs use (a copy it owns)
tree() {
	if [ "$1" = root ]; then
		echo "$WORK/tree.root"
	else
		echo "$WORK/tree.user"
	fi
}

# run_as USER CMD... - CMD as that user, no stdin
run_as() {
	local u=$1
	shift
	if [ "$u" = root ] || [ "$(id -u)" != 0 ]; then
		"$@" </dev/null
	else
		runuser -u "$COMPAT_USER" -- "$@" </dev/null
	fi
}

# one SUITE CONFIG USER - run one; leave verdicts in $WORK/logs
one() {
	local suite=$1 cfg=$2 user=$3 dir gdir w log out t0 t1
	dir=$(tree "$user")/$suite
	log=$WORK/logs/$suite.$cfg.$user
	gdir=$dir
	# bound elsewhere, at a path as long (tests skip where an AF_UNIX
	# path would not fit: the same ones must skip)
	[ "$cfg" = bind ] && gdir=/compat$(printf '%*s' $((${#dir} - 7)) '' | tr ' ' c)
	w=$(wrap "$cfg" "$dir" "$gdir")
	rm -rf "$dir" && mkdir -p "$dir/tmp"
	case $suite in
	busybox)
		cp -a "$WORK/busybox/." "$dir/"
		[ "$user" = root ] || chown -R "$COMPAT_USER:" "$dir"
		out=$log.log
		t0=$(date +%s.%N)
		(cd "$dir/testsuite" && run_as "$user" env TMPDIR="$gdir/tmp" HOME="$gdir/tmp" \
			$w sh -c "cd '$gdir/testsuite' && ./runtest" >"$out" 2>&1)
		t1=$(date +%s.%N)
		"$PY" "$V" busybox "$out" >"$log.v"
		;;
	python*)
		local tests=$PY_CORE
		[ "$suite" = python2 ] && tests=$PY_MORE
		[ "$user" = root ] || chown -R "$COMPAT_USER:" "$dir"
		out=$log.log
		t0=$(date +%s.%N)
		# shellcheck disable=SC2086
		(cd "$dir" && run_as "$user" env TMPDIR="$gdir/tmp" HOME="$gdir/tmp" \
			$w "$PY" -m test -j2 -i '*VSOCK*' --timeout 900 \
			--junit-xml "$gdir/junit.xml" $tests >"$out" 2>&1)
		t1=$(date +%s.%N)
		cp "$dir/junit.xml" "$log.xml" 2>/dev/null || : >"$log.xml"
		"$PY" "$V" junit "$log.xml" >"$log.v"
		;;
	esac
	printf '%-8s %-9s %-5s %s (%s s)\n' "$suite" "$cfg" "$user" \
		"$("$PY" "$V" count "$log.v")" "$("$PY" -c "print(round($t1 - $t0))")"
}

main() {
	local suite cfg user diffs=0 d cfgs=native
	for cfg in $CONFIGS; do
		[ "$cfg" = native ] || cfgs+=" $cfg"
	done
	setup
	if [[ " $cfgs " == *" lan "* ]]; then
		# a switch every user may plug into, for the lan configuration
		rm -rf "$WORK/switch"
		vde_switch -s "$WORK/switch" -m 777 --dirmode 777 -p "$WORK/switch.pid" -d \
			>/dev/null 2>&1 </dev/null || die "cannot start vde_switch (Debian: vde2)"
		trap 'kill "$(cat "$WORK/switch.pid")" 2>/dev/null' EXIT
	fi
	echo "# facet: $FACET; logs in $WORK/logs"
	for suite in $SUITES; do
		for user in $USERS; do
			for cfg in $cfgs; do
				case $cfg in
				proot)
					command -v proot >/dev/null || {
						printf '%-8s %-9s %-5s %s\n' "$suite" proot "$user" "n/a: no proot"
						continue
					} ;;
				esac
				one "$suite" "$cfg" "$user"
				[ "$cfg" = native ] && continue
				d=$("$PY" "$V" diff "$WORK/logs/$suite.native.$user.v" \
					"$WORK/logs/$suite.$cfg.$user.v")
				if [ -n "$d" ]; then
					echo "$d"
					[ "$cfg" = proot ] || diffs=1
				fi
			done
		done
	done
	return $diffs
}

main "$@"
