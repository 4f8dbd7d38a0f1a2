#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The rules of completions/msgslot, one KTAP case per position on the command
# line.  Each case sets COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as
# bash does, calls _msgslot with bash-completion loaded, and compares
# COMPREPLY with what the position takes.  The completion reads commands
# and options from the tool's --help, so the cases run the tool built at
# the top of the tree (make tool), under each of its names, and check that
# each command offers exactly the options its --help lists.  Run from the
# top of the tree.

set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"
export LC_ALL=C	# the order sort puts completions in

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
COMPLETION=completions/msgslot
# The device completion offers /dev/msgslot* character devices, and no other
# file: a node it must offer, and a plain file it must not.
TEST_NODE=/dev/msgslot-completion-test0
TEST_FILE=/dev/msgslot-completion-test1

if [ ! -f "$COMPLETION" ]; then
	echo "$0: run from the top of the source tree" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The tool and every link to it, first on PATH.
TOOL=$PWD/msgslot
mkdir "$tmp/bin"
ln -s "$TOOL" "$tmp/bin/msgslot"
export PATH="$tmp/bin:$PATH"

# help_commands: the commands msgslot --help lists.
help_commands() {
	msgslot --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'
}

# help_links: the links msgslot --help lists, as "(also: NAME)".
help_links() {
	msgslot --help | sed -n 's/.*(also: \([a-z_]*\))$/\1/p'
}

# help_options COMMAND...: the option words COMMAND --help lists, sorted.
help_options() {
	"$@" --help | sed -n '/^Options:/,/^$/s/^ *\(-[^ ,]*\(, -[^ ,]*\)*\).*/\1/p' |
		sed 's/, /\n/g; s/=.*//' | LC_ALL=C sort | paste -sd ' '
}

for link in $(help_links); do
	ln -s "$TOOL" "$tmp/bin/$link"
done

# complete LINE: the completions of the last word of LINE, sorted, on one
# line.  A LINE that ends in a space completes an empty word.  Like bash,
# this splits words at blanks and makes each = a word of its own.
complete_line() {
	local line=$1
	local COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS COMP_CWORD

	read -ra COMP_WORDS <<< "${line//=/ = }"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_msgslot "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd ' '
}

# completes LINE WANT: whether LINE completes to WANT (sorted, one line).
completes() {
	expect "'$1'" "$(complete_line "$1")" "$2"
}

# Every case needs bash-completion, loaded below with the completion.
loaded() {
	if [ ! -f "$BASH_COMPLETION" ]; then
		echo "SKIP bash-completion is not installed ($BASH_COMPLETION)"
		return "$KTAP_SKIP"
	fi
	if [ ! -x "$TOOL" ]; then
		echo "$TOOL is not built: run make tool first"
		return 1
	fi
	declare -F _msgslot > /dev/null && return 0
	echo "$COMPLETION defines no _msgslot"
	return 1
}

case_registered_for_every_name() {
	local name

	loaded || return
	for name in msgslot message_sender message_reader message_watcher; do
		expect "complete -p $name" "$(complete -p "$name" 2>&1)" \
			"complete -F _msgslot $name" || return 1
	done
}

case_command_after_msgslot() {
	loaded || return
	completes "msgslot " "$(help_commands | LC_ALL=C sort | paste -sd ' ')" &&
	completes "msgslot s" "send stat" &&
	completes "msgslot w" "watch" &&
	completes "msgslot -" "--help --version"
}

# What each command offers after "-" is what its --help lists, no more and
# no less, under msgslot and under its link.
case_options_are_those_of_help() {
	local command link want

	loaded || return
	for command in $(help_commands); do
		want=$(help_options msgslot "$command")
		# A list that lost its options would match an empty completion.
		[[ " $want " == *" --help "* ]] ||
			{ echo "msgslot $command --help lists no --help: '$want'"; return 1; }
		echo "msgslot $command: $want"
		completes "msgslot $command -" "$want" || return 1
	done
	for link in $(help_links); do
		completes "$link -" "$(help_options "$link")" || return 1
	done
}

case_long_option_prefixes() {
	loaded || return
	completes "msgslot send -q --r" "" &&
	completes "msgslot read --r" "--raw" &&
	completes "message_watcher --c" "--count" &&
	completes "msgslot stat --" "--device --help --syscall --version"
}

# read, watch and stat take options after their operands too; send does not.
case_options_after_operands() {
	loaded || return
	completes "msgslot read 2 -" "$(help_options msgslot read)" &&
	completes "msgslot watch 1 3 --q" "--quiet" &&
	completes "msgslot stat 0 -" "$(help_options msgslot stat)" &&
	completes "msgslot send 2 -" ""
}

case_channels_for_watch_and_stat() {
	loaded || return
	completes "msgslot watch " "0 1 2 3" &&
	completes "msgslot watch 1 " "0 1 2 3" &&
	completes "message_watcher -n 5 -t 2 " "0 1 2 3" &&
	completes "msgslot watch --count=5 2 " "0 1 2 3" &&
	completes "msgslot stat " "0 1 2 3" &&
	completes "msgslot stat 0 1 " "0 1 2 3"
}

# COUNT and SECONDS are numbers: nothing to offer.
case_nothing_for_count_and_timeout() {
	loaded || return
	completes "msgslot watch -n " "" &&
	completes "message_watcher -qt " "" &&
	completes "msgslot watch --timeout=" ""
}

case_channel_after_command() {
	loaded || return
	completes "msgslot send " "0 1 2 3" &&
	completes "msgslot read --raw -q " "0 1 2 3" &&
	completes "msgslot send -d /tmp/slot " "0 1 2 3" &&
	completes "msgslot read --device=/tmp/slot -- " "0 1 2 3" &&
	completes "msgslot read 2" "2"
}

case_channel_for_links() {
	loaded || return
	completes "message_sender " "0 1 2 3" &&
	completes "message_reader " "0 1 2 3" &&
	completes "/usr/bin/message_reader -qd /tmp/slot 3" "3"
}

# Options end at the channel: what follows is the message, or nothing.
case_nothing_after_channel() {
	loaded || return
	completes "msgslot send 1 " "" &&
	completes "msgslot send 1 -" "" &&
	completes "message_sender 1 -d " "" &&
	completes "msgslot read 1 " ""
}

case_device_after_d_offers_dev_msgslot_nodes() {
	local node all

	loaded || return
	# The case runs in a subshell of its own (ktap_main): this trap is its.
	trap 'rm -f "$TEST_NODE" "$TEST_FILE"' EXIT
	rm -f "$TEST_NODE" "$TEST_FILE"
	if ! mknod -m 600 "$TEST_NODE" c 1 3 2> /dev/null; then
		echo "SKIP cannot make $TEST_NODE (needs root)"
		return "$KTAP_SKIP"
	fi
	: > "$TEST_FILE"
	completes "msgslot send -d /dev/msgslot-completion-t" "$TEST_NODE" &&
	completes "message_reader -qd /dev/msgslot-c" "$TEST_NODE" &&
	completes "msgslot read --device=/dev/msgslot-c" "$TEST_NODE" &&
	completes "msgslot read --dev /dev/msgslot-c" "$TEST_NODE" &&
	completes "message_watcher -d /dev/msgslot-c" "$TEST_NODE" &&
	completes "msgslot stat 2 -d /dev/msgslot-c" "$TEST_NODE" || return 1
	# With nothing typed, only nodes: every /dev/msgslot* device there is.
	all=$(for node in /dev/msgslot*; do
		[ -c "$node" ] && echo "$node"
	done | sort | paste -sd ' ')
	(cd "$tmp" && touch msgslot-file && completes "msgslot send -d " "$all")
}

case_device_after_d_falls_back_to_files() {
	loaded || return
	mkdir "$tmp/files"
	touch "$tmp/files/slot-a" "$tmp/files/slot-b" "$tmp/files/other"
	completes "msgslot send -d $tmp/files/slot-" \
		"$tmp/files/slot-a $tmp/files/slot-b" &&
	completes "message_reader --device=$tmp/files/o" "$tmp/files/other"
}

if [ -f "$BASH_COMPLETION" ]; then
	# shellcheck source=/dev/null
	. "$BASH_COMPLETION"
	# shellcheck source=/dev/null
	. "$COMPLETION"
fi

ktap_main registered_for_every_name command_after_msgslot \
	options_are_those_of_help long_option_prefixes options_after_operands \
	channel_after_command channel_for_links channels_for_watch_and_stat \
	nothing_for_count_and_timeout nothing_after_channel \
	device_after_d_offers_dev_msgslot_nodes \
	device_after_d_falls_back_to_files
