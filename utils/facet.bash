# SPDX-License-Identifier: GPL-2.0-or-later
# facet.bash - bash completion for facet, facet-mount, facet-umount and
# facet-ctl (installed as share/bash-completion/completions/facet and
# linked under the utilities' names)

# _facet_options - facet's long and short options, from its own --help
_facet_options()
{
	"${1:-facet}" --help 2>/dev/null |
		grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | sort -u
}

# _facet_fs_types - FUSE programs in PATH and facet's own file systems
_facet_fs_types()
{
	echo archive
	compgen -c | grep -xE 'fuse2fs|squashfuse|squashfuse_ll|fuseiso|fuse-zip|archivemount|sshfs|bindfs|fuse-overlayfs|ratarmount' | sort -u
}

_facet()
{
	local cur prev i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	# after "--" or the first non-option word: the command and its words
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			_command_offset $((i + 1)) 2>/dev/null ||
				COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi
	done
	case $prev in
	-r|--root|-w|--cwd|--tmpfs|--hide|--overlay|-b|--bind|--fakeroot-db|--trace)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--module)
		COMPREPLY=($(compgen -f -X '!*.so' -- "$cur") $(compgen -d -- "$cur"))
		return ;;
	-m|--mount)
		if [[ $cur != *:* ]]; then
			COMPREPLY=($(compgen -W "$(_facet_fs_types)" -S : -- "$cur"))
			compopt -o nospace 2>/dev/null
		else
			COMPREPLY=($(compgen -f -- "${cur#*:}"))
			COMPREPLY=("${COMPREPLY[@]/#/${cur%%:*}:}")
		fi
		return ;;
	--hostname|--uid|--gid|--groups)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_facet_options "${COMP_WORDS[0]}") --" -- "$cur"))
	else
		COMPREPLY=($(compgen -c -- "$cur"))
	fi
}

_facet_mount()
{
	local cur=${COMP_WORDS[COMP_CWORD]} i words=0 bind=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-B|--bind) bind=1 ;;
		-o|--options) ((i++)) ;;
		-*) ;;
		*) ((words++)) ;;
		esac
	done
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-B --bind -r --read-only -o --options -h --help" -- "$cur"))
	elif [[ -z $bind && $words == 0 ]]; then
		COMPREPLY=($(compgen -W "$(_facet_fs_types)" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

_facet_umount()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=($(facet-ctl status 2>/dev/null | awk '$1 == "mount" && $6 == "runtime" { print $2 }' |
		grep -- "^$cur"))
	[[ ${#COMPREPLY[@]} == 0 ]] && COMPREPLY=($(compgen -d -- "$cur"))
}

_facet_ctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "status lsmod insmod rmmod --help" -- "$cur"))
	elif [[ ${COMP_WORDS[1]} == status ]]; then
		COMPREPLY=($(compgen -W "--json" -- "$cur"))
	elif [[ ${COMP_WORDS[1]} == insmod && COMP_CWORD == 2 ]]; then
		COMPREPLY=($(compgen -f -X '!*.so' -- "$cur") $(compgen -d -- "$cur"))
	elif [[ ${COMP_WORDS[1]} == rmmod && COMP_CWORD == 2 ]]; then
		COMPREPLY=($(facet-ctl lsmod 2>/dev/null | awk '$3 == "loaded" { print $1 }' |
			grep -- "^$cur"))
	fi
}

complete -F _facet facet
complete -F _facet_mount facet-mount
complete -F _facet_umount facet-umount
complete -F _facet_ctl facet-ctl
