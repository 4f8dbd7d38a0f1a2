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

ktap_main help_on_stdout_exit_0 version_matches_version_file \
	no_arguments_usage_exit_2 unknown_command_exit_2 \
	missing_operand_exit_2 extra_operand_exit_2 invalid_channel_exit_2 \
	unknown_option_exit_2 option_argument_not_allowed_exit_2 \
	empty_device_name_exit_2 option_needs_argument_exit_2 \
	missing_device_exit_1 not_a_slot_device_exit_1 \
	message_may_start_with_dash stdout_write_error_exit_1
