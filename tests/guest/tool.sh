# SPDX-License-Identifier: GPL-2.0-only
#
# The cases of the msgslot tool end to end against the real device, sourced
# by check.sh with message_slot loaded.  Each case is a function case_NAME.
# shellcheck shell=sh

CASES="$CASES tool_send_read_round_trip tool_links_are_send_and_read
	tool_status_lines tool_quiet_silences_status
	tool_device_option_and_environment tool_message_from_stdin
	tool_truncation_reported tool_raw_read_is_128_bytes
	tool_bad_channel_error tool_missing_device_error
	tool_32_bit_build_round_trip"

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] && return 0
	diag "$1: got '$2', expected '$3'"
	return 1
}

case_tool_send_read_round_trip() {
	msgslot send 2 "hello, slot" 2> /dev/null || return 1
	expect "msgslot read 2" "$(msgslot read 2 2> /dev/null)" "hello, slot"
}

case_tool_links_are_send_and_read() {
	message_sender 1 "via the link" 2> /dev/null || return 1
	expect "message_reader 1" "$(message_reader 1 2> /dev/null)" "via the link" &&
	expect "msgslot read 1" "$(msgslot read 1 2> /dev/null)" "via the link"
}

case_tool_status_lines() {
	msgslot send 3 "status" 2> /tmp/err > /tmp/out || return 1
	expect "send status" "$(cat /tmp/err)" \
		"msgslot: sent 6 bytes to channel 3 of /dev/msgslot0" &&
	expect "send stdout" "$(cat /tmp/out)" "" || return 1
	message_reader 3 2> /tmp/err > /tmp/out || return 1
	expect "read status" "$(cat /tmp/err)" \
		"message_reader: read 6 bytes from channel 3 of /dev/msgslot0" &&
	expect "read stdout" "$(cat /tmp/out)" "status"
}

case_tool_quiet_silences_status() {
	msgslot send -q 0 "quiet" 2> /tmp/err || return 1
	msgslot read --quiet 0 2>> /tmp/err > /dev/null || return 1
	expect "stderr with -q" "$(cat /tmp/err)" ""
}

case_tool_device_option_and_environment() {
	major=$(awk '$2 == "message_slot" { print $1 }' /proc/devices)
	mknod /tmp/tool-a c "$major" 900
	mknod /tmp/tool-b c "$major" 901
	msgslot send -q -d /tmp/tool-a 0 "on a" || return 1
	MSGSLOT_DEVICE=/tmp/tool-b msgslot send -q 0 "on b" || return 1
	expect "-d a" "$(msgslot read -q --device=/tmp/tool-a 0)" "on a" &&
	expect "env b" "$(MSGSLOT_DEVICE=/tmp/tool-b message_reader -q 0)" "on b" &&
	expect "-d beats env" \
		"$(MSGSLOT_DEVICE=/tmp/tool-b msgslot read -q -d /tmp/tool-a 0)" \
		"on a" &&
	expect "default device untouched" "$(msgslot read -q 0)" "quiet"
}

case_tool_message_from_stdin() {
	printf 'from stdin' | msgslot send -q 1 - || return 1
	expect "read 1" "$(msgslot read -q 1)" "from stdin"
}

case_tool_truncation_reported() {
	long=$(printf '%0200d' 7)
	msgslot send 2 "$long" 2> /tmp/err || return 1
	expect "status" "$(cat /tmp/err)" "msgslot: sent 128 of 200 bytes to \
channel 2 of /dev/msgslot0 (truncated to 128)" &&
	# The first 128 of the 200 characters, all zeros: the 7 was cut off.
	expect "stored" "$(msgslot read -q 2)" "$(printf '%0128d' 0)"
}

case_tool_raw_read_is_128_bytes() {
	msgslot send -q 0 "raw" || return 1
	msgslot read -q --raw 0 > /tmp/raw || return 1
	expect "size" "$(wc -c < /tmp/raw | tr -d ' ')" 128 &&
	expect "start" "$(head -c 3 /tmp/raw)" "raw" &&
	expect "zero fill" "$(tail -c 125 /tmp/raw | tr -d '\0' | wc -c | tr -d ' ')" 0
}

case_tool_bad_channel_error() {
	msgslot send 7 "x" 2> /tmp/err
	status=$?
	expect "exit status" "$status" 1 &&
	expect "error" "$(cat /tmp/err)" \
		"msgslot: /dev/msgslot0: channel 7: Invalid argument"
}

case_tool_missing_device_error() {
	message_reader -d /dev/no-such-slot 0 2> /tmp/err
	status=$?
	expect "exit status" "$status" 1 &&
	expect "error" "$(cat /tmp/err)" \
		"message_reader: /dev/no-such-slot: No such file or directory"
}

case_tool_32_bit_build_round_trip() {
	msgslot32 send -q 1 "from a 32-bit tool" || return 1
	expect "64-bit read" "$(msgslot read -q 1)" "from a 32-bit tool" &&
	expect "32-bit read" "$(msgslot32 read -q 1)" "from a 32-bit tool" &&
	msgslot32 send 9 x 2> /tmp/err
	expect "32-bit bad channel" "$(cat /tmp/err)" \
		"msgslot32: /dev/msgslot0: channel 9: Invalid argument"
}
