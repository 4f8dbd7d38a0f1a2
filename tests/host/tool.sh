#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The msgslot tool's command line, on the host: no device needed.  Cases
# that reach a device use paths that are not message slots, so they test
# the error paths.  Run from the top of the tree after "make tool".
set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$top/msgslot" "$tmp/msgslot"
ln -s "$top/msgslot" "$tmp/message_sender"
ln -s "$top/msgslot" "$tmp/message_reader"
ln -s "$top/msgslot" "$tmp/message_watcher"
ln -s "$top/msgslot" "$tmp/other-name"
export PATH="$tmp:$PATH"
unset MSGSLOT_DEVICE

# run COMMAND...: set $out, $err and $status.
run() {
	"$@" > "$tmp/out" 2> "$tmp/err" && status=0 || status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

case_help_on_stdout_exit_0() {
	run msgslot --help
	expect "status" "$status" 0
	expect "stderr" "$err" ""
	expect "first line" "${out%%$'\n'*}" "Usage: msgslot COMMAND [OPTION]... ARGUMENT..."
	run msgslot send --help
	expect "send --help status" "$status" 0
	[[ $out == *"-d, --device=DEVICE"* ]] || { echo "send --help: $out"; return 1; }
	run message_reader -h
	expect "message_reader -h status" "$status" 0
	[[ $out == *"--raw"* ]] || { echo "read help lacks --raw: $out"; return 1; }
}

case_version_matches_version_file() {
	local want
	want="msgslot $(cat "$top/VERSION")"
	run msgslot --version
	expect "msgslot --version" "$out" "$want"
	expect "status" "$status" 0
	run message_sender -V
	expect "message_sender -V" "$out" "$want"
}

case_no_arguments_usage_exit_2() {
	run msgslot
	expect "status" "$status" 2
	expect "stdout" "$out" ""
	[[ $err == "Usage: msgslot COMMAND"* ]] || { echo "stderr: $err"; return 1; }
}

case_unknown_command_exit_2() {
	run msgslot frobnicate 1
	expect "status" "$status" 2
	expect "first line" "${err%%$'\n'*}" "msgslot: unknown command 'frobnicate'"
	# Under a name that is no command's link, msgslot is the multi-call tool.
	run other-name read
	expect "other name status" "$status" 2
	[[ $err == *"Usage: msgslot read"* ]] || { echo "other name: $err"; return 1; }
}

case_missing_operand_exit_2() {
	run msgslot send 1
	expect "send 1" "$status" 2
	expect "message" "${err%%$'\n'*}" "msgslot: missing operand"
	run message_reader
	expect "message_reader" "$status" 2
	expect "message" "${err%%$'\n'*}" "message_reader: missing operand"
}

case_extra_operand_exit_2() {
	run msgslot read 1 2
	expect "status" "$status" 2
	expect "message" "${err%%$'\n'*}" "msgslot: extra operand '2'"
}

case_invalid_channel_exit_2() {
	local channel
	for channel in x -1 +1 1x "" " 1" 0x1 99999999999999999999999; do
		run msgslot read -- "$channel"
		expect "channel '$channel' status" "$status" 2
		expect "channel '$channel'" "${err%%$'\n'*}" \
			"msgslot: invalid channel '$channel': expected a number from 0 to 3"
	done
}

case_unknown_option_exit_2() {
	run msgslot send -z 1 x
	expect "-z" "$status" 2
	expect "-z message" "${err%%$'\n'*}" "msgslot: invalid option -- 'z'"
	run msgslot send --raw 1 x
	expect "send --raw" "$status" 2
	expect "--raw message" "${err%%$'\n'*}" "msgslot: unrecognized option '--raw'"
	run msgslot send 1
	[[ $err == *"Try 'msgslot send --help'"* ]] || { echo "hint: $err"; return 1; }
	run message_sender -z 1 x
	[[ $err == *"Try 'message_sender --help'"* ]] || { echo "hint: $err"; return 1; }
}

case_option_argument_not_allowed_exit_2() {
	local opt
	for opt in --raw=1 --quiet=x --help=x; do
		run msgslot read "$opt" 0
		expect "$opt status" "$status" 2
		expect "$opt message" "${err%%$'\n'*}" \
			"msgslot: option '$opt' doesn't allow an argument"
	done
}

case_empty_device_name_exit_2() {
	run msgslot send -d '' 1 x
	expect "status" "$status" 2
	expect "message" "${err%%$'\n'*}" "msgslot: the device name is empty"
}

case_option_needs_argument_exit_2() {
	run msgslot read -d
	expect "status" "$status" 2
	expect "message" "${err%%$'\n'*}" "msgslot: option '-d' needs an argument"
}

case_missing_device_exit_1() {
	run msgslot send -d "$tmp/none" 1 hello
	expect "status" "$status" 1
	expect "message" "$err" "msgslot: $tmp/none: No such file or directory"
	run env MSGSLOT_DEVICE="$tmp/env-none" message_reader 0
	expect "env status" "$status" 1
	expect "env message" "$err" "message_reader: $tmp/env-none: No such file or directory"
}

case_not_a_slot_device_exit_1() {
	: > "$tmp/plain"
	run message_sender -d "$tmp/plain" 2 hello
	expect "status" "$status" 1
	expect "message" "$err" "message_sender: $tmp/plain: channel 2: Inappropriate ioctl for device"
	expect "file untouched" "$(wc -c < "$tmp/plain")" 0
}

case_message_may_start_with_dash() {
	# Options end at the channel: "-x" is the message, not an option, so
	# the tool gets as far as the (missing) device.
	run msgslot send -d "$tmp/none" 1 -x
	expect "status" "$status" 1
	expect "message" "$err" "msgslot: $tmp/none: No such file or directory"
}

case_stdout_write_error_exit_1() {
	msgslot --help > /dev/full 2> "$tmp/err" && status=0 || status=$?
	expect "status" "$status" 1
	expect "message" "$(cat "$tmp/err")" "msgslot: write error on standard output"
}

case_help_lists_every_command_with_its_synopsis() {
	run msgslot --help
	expect "status" "$status" 0
	expect "synopses" "$(sed -n '2,5p' "$tmp/out")" "\
       msgslot send [-d DEVICE] [-q] CHANNEL MESSAGE...
       msgslot read [-d DEVICE] [-q] [--syscall] [--raw] CHANNEL
       msgslot watch [-d DEVICE] [-q] [--syscall] [-n COUNT] [-t SECONDS] CHANNEL...
       msgslot stat [-d DEVICE] [--syscall] [CHANNEL...]"
	[[ $out == *"  watch "*"(also: message_watcher)"* ]] ||
		{ echo "no watch line: $out"; return 1; }
	run message_watcher --help
	expect "message_watcher --help" "$(sed -n 2p "$tmp/out")" \
		"       message_watcher [-d DEVICE] [-q] [--syscall] [-n COUNT] [-t SECONDS] CHANNEL..."
	[[ $out == *"  -t, --timeout=SECONDS"* ]] || { echo "watch help: $out"; return 1; }
	run msgslot stat --help
	expect "stat --help" "${out%%$'\n'*}" "Usage: msgslot stat [-d DEVICE] [--syscall] [CHANNEL...]"
}

case_watch_needs_a_channel_exit_2() {
	run msgslot watch -q
	expect "status" "$status" 2
	expect "message" "${err%%$'\n'*}" "msgslot: missing operand"
	run message_watcher
	expect "link" "${err%%$'\n'*}" "message_watcher: missing operand"
	[[ $err == *"Try 'message_watcher --help'"* ]] || { echo "hint: $err"; return 1; }
}

case_watch_count_and_timeout_must_be_positive_exit_2() {
	local arg
	for arg in 0 x 1.5 -1 "" " 1" 1x; do
		run msgslot watch -n "$arg" 1
		expect "-n '$arg' status" "$status" 2
		expect "-n '$arg'" "${err%%$'\n'*}" \
			"msgslot: invalid count '$arg': expected a whole number greater than 0, at most 1000000000"
	done
	for arg in 0 0.0 x -1 "" 1e3 1.5s; do
		run msgslot watch --timeout="$arg" 1
		expect "-t '$arg' status" "$status" 2
		expect "-t '$arg'" "${err%%$'\n'*}" \
			"msgslot: invalid timeout '$arg': expected a number greater than 0, at most 1000000"
	done
	# A valid count and timeout get as far as the device.
	run msgslot watch -n 3 -t 0.5 -d "$tmp/none" 1
	expect "valid" "$err" "msgslot: $tmp/none: No such file or directory"
}

case_each_command_takes_only_its_options_exit_2() {
	run msgslot stat -q
	expect "stat -q" "$status" 2
	expect "stat -q message" "${err%%$'\n'*}" "msgslot: invalid option -- 'q'"
	run msgslot read -n 1 2
	expect "read -n message" "${err%%$'\n'*}" "msgslot: invalid option -- 'n'"
	run msgslot send --timeout=1 2 x
	expect "send --timeout message" "${err%%$'\n'*}" \
		"msgslot: unrecognized option '--timeout=1'"
	run msgslot watch 2 --count
	expect "--count without its argument" "${err%%$'\n'*}" \
		"msgslot: option '--count' needs an argument"
}

case_options_after_operands_except_for_send() {
	# read, watch and stat read options anywhere: each gets as far as
	# the device named after the channel.
	run msgslot read 2 --raw -d "$tmp/none"
	expect "read 2 --raw -d" "$err" "msgslot: $tmp/none: No such file or directory"
	run message_watcher 1 2 -q -d "$tmp/none"
	expect "watch 1 2 -q -d" "$err" "message_watcher: $tmp/none: No such file or directory"
	run msgslot stat 0 --device "$tmp/none"
	expect "stat 0 --device" "$err" "msgslot: $tmp/none: No such file or directory"
	run msgslot read 2 --bogus
	expect "read 2 --bogus" "${err%%$'\n'*}" "msgslot: unrecognized option '--bogus'"
	# send: every word after the channel is the message, "-d" too.
	run msgslot send -d "$tmp/none" 1 hello -d world
	expect "send words" "$err" "msgslot: $tmp/none: No such file or directory"
	run msgslot send --help
	[[ $out == *"Options come before the operands"* ]] ||
		{ echo "send --help: $out"; return 1; }
}

case_stat_channel_must_be_a_number_exit_2() {
	run msgslot stat 1 x
	expect "status" "$status" 2
	expect "message" "${err%%$'\n'*}" \
		"msgslot: invalid channel 'x': expected a number from 0 to 3"
}

ktap_main help_on_stdout_exit_0 version_matches_version_file \
	no_arguments_usage_exit_2 unknown_command_exit_2 \
	missing_operand_exit_2 extra_operand_exit_2 invalid_channel_exit_2 \
	unknown_option_exit_2 option_argument_not_allowed_exit_2 \
	empty_device_name_exit_2 option_needs_argument_exit_2 \
	missing_device_exit_1 not_a_slot_device_exit_1 \
	message_may_start_with_dash stdout_write_error_exit_1 \
	help_lists_every_command_with_its_synopsis watch_needs_a_channel_exit_2 \
	watch_count_and_timeout_must_be_positive_exit_2 \
	each_command_takes_only_its_options_exit_2 \
	options_after_operands_except_for_send \
	stat_channel_must_be_a_number_exit_2
