# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# common.sh - what the bench scripts share (sourced, not run)

# bench_need PACKAGE... -- COMMAND... - every COMMAND must be there; if one
# is not, root with apt-get installs the PACKAGEs, anyone else is told what
# to install, and the script exits 2
bench_need() {
	local pkgs=() missing=() c
	while [ "$1" != -- ]; do
		pkgs+=("$1")
		shift
	done
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing: ${pkgs[*]}" >&2
		apt-get install -y "${pkgs[@]}" >/dev/null || exit 2
		return 0
	fi
	echo "missing: ${missing[*]}; as root: apt-get install -y ${pkgs[*]}" >&2
	exit 2
}

# bench_need_facet - the facet binary to time must be there
bench_need_facet() {
	if [ ! -x "$FACET" ]; then
		echo "no facet binary at $FACET: build it (make) or set FACET" >&2
		exit 2
	fi
}

# quiet - warn when something else keeps the CPUs busy
quiet() {
	local load
	read -r load _ </proc/loadavg
	python3 -c "import sys; sys.exit(float(sys.argv[1]) < 0.5)" "$load" &&
		echo "warning: load average $load: other processes are running, figures will be noisy" >&2
}
