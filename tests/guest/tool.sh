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
	tool_32_bit_build_round_trip
	tool_send_joins_words_with_single_spaces
	tool_read_takes_options_after_channel
	tool_send_with_stdout_closed_exits_0
	tool_watch_prints_current_then_each_new_message
	tool_watch_waits_for_first_write_of_never_written_channel
	tool_watch_count_exits_0_after_count_messages
	tool_watch_timeout_exits_1_with_one_line
	tool_watch_several_channels_prefixes_channel
	tool_watch_status_line_counts_skipped_writes
	tool_watch_ends_when_pipe_reader_goes
	tool_watch_ends_cleanly_on_sigterm_and_sigint
	tool_watcher_link_is_watch
	tool_stat_prints_one_line_per_channel
	tool_stat_named_channels_in_order
	tool_32_bit_watch_and_stat_agree
	tool_read_through_map_and_syscall_agree
	tool_watch_maps_the_slot_unless_syscall
	tool_stat_through_map_and_syscall_agree"

# The watch and stat cases each use a slot of their own, never opened
# before, so that every channel starts never written: minors from
# TOOL_MINOR on, a range no other test uses.
TOOL_MINOR=950000
tool_slots=0

# new_slot: make a node of a fresh slot and set $slot to its path.
new_slot() {
	slot=/tmp/tool-slot$tool_slots
	mknod "$slot" c "$(awk '$2 == "message_slot" { print $1 }' \
		/proc/devices)" $((TOOL_MINOR + tool_slots)) || return 1
	tool_slots=$((tool_slots + 1))
}

# lines_in FILE N: wait up to 10 s for FILE to have N lines.
lines_in() {
	i=0
	while [ "$(wc -l < "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { diag "$1 never had $2 lines:"; cat "$1"; return 1; }
		sleep 0.1
	done
}

# watch_in_background ARGUMENT...: start msgslot watch ARGUMENT... with its
# output in /tmp/watch and /tmp/err, and set $pid.  Both files are emptied
# first: lines_in must not count the lines of an earlier case.
watch_in_background() {
	: > /tmp/watch
	: > /tmp/err
	msgslot watch "$@" > /tmp/watch 2> /tmp/err &
	pid=$!
}

# ended PID: wait up to 10 s for PID to end, then reap it into $status.
ended() {
	i=0
	while kill -0 "$1" 2> /dev/null && [ $i -le 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	if kill -0 "$1" 2> /dev/null; then
		diag "process $1 still runs after 10 s"
		kill -KILL "$1"
		wait "$1"
		return 1
	fi
	wait "$1"
	status=$?
}

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

case_tool_send_joins_words_with_single_spaces() {
	msgslot send -q 1 hello "big  " world || return 1
	expect "three words" "$(msgslot read -q 1)" "hello big   world" &&
	# After CHANNEL every word is the message's, "--" too.
	msgslot send -q 1 -a -- - -b &&
	expect "dashes are words" "$(msgslot read -q 1)" "-a -- - -b" &&
	message_sender 1 one two 2> /tmp/err &&
	expect "status line" "$(cat /tmp/err)" \
		"message_sender: sent 7 bytes to channel 1 of /dev/msgslot0"
}

case_tool_read_takes_options_after_channel() {
	msgslot send -q 2 "after" || return 1
	msgslot read 2 --raw -q > /tmp/raw 2> /tmp/err || return 1
	expect "--raw after channel" "$(wc -c < /tmp/raw | tr -d ' ')" 128 &&
	expect "-q after channel" "$(cat /tmp/err)" "" &&
	expect "-d after channel" "$(message_reader 2 -q -d /dev/msgslot0)" \
		"after"
}

case_tool_send_with_stdout_closed_exits_0() {
	msgslot send -q 3 "no stdout" >&- || { diag "exit status $?"; return 1; }
	msgslot send 3 "still no stdout" >&- 2> /tmp/err ||
		{ diag "exit status $?"; return 1; }
	expect "status line" "$(cat /tmp/err)" \
		"msgslot: sent 15 bytes to channel 3 of /dev/msgslot0" &&
	expect "stored" "$(msgslot read -q 3)" "still no stdout" &&
	# Standard output closed is still an error where output is due.
	! msgslot read -q 3 >&- 2> /tmp/err &&
	expect "read with stdout closed" "$(cat /tmp/err)" \
		"msgslot: write error on standard output"
}

case_tool_watch_prints_current_then_each_new_message() {
	new_slot || return 1
	msgslot send -q -d "$slot" 2 "current" || return 1
	watch_in_background -q -n 3 -d "$slot" 2
	if ! { lines_in /tmp/watch 1 &&
		msgslot send -q -d "$slot" 2 "second" &&
		lines_in /tmp/watch 2 &&
		msgslot send -q -d "$slot" 2 "third"; }; then
		kill "$pid"
		return 1
	fi
	ended "$pid" || return 1
	expect "exit status" "$status" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "$(printf 'current\nsecond\nthird')" &&
	expect "stderr with -q" "$(cat /tmp/err)" ""
}

case_tool_watch_waits_for_first_write_of_never_written_channel() {
	new_slot || return 1
	watch_in_background -q -n 1 -d "$slot" 0
	sleep 0.5
	kill -0 "$pid" || { diag "watch ended before the first write"; return 1; }
	if ! { expect "nothing yet" "$(cat /tmp/watch)" "" &&
		msgslot send -q -d "$slot" 0 "first write"; }; then
		kill "$pid"
		return 1
	fi
	ended "$pid" || return 1
	expect "exit status" "$status" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "first write"
}

case_tool_watch_count_exits_0_after_count_messages() {
	new_slot || return 1
	msgslot send -q -d "$slot" 1 "one" || return 1
	timeout 10 msgslot watch -n 1 -d "$slot" 1 > /tmp/watch 2> /tmp/err
	expect "exit status" "$?" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "one" &&
	expect "status line" "$(cat /tmp/err)" \
		"msgslot: printed 1 message from channel 1 of $slot, skipped 0" &&
	# Two channels readable at once: still only COUNT lines.
	msgslot send -q -d "$slot" 0 "zero" &&
	timeout 10 msgslot watch -q -n 1 -d "$slot" 0 1 > /tmp/watch
	expect "two channels, exit status" "$?" 0 &&
	expect "two channels, stdout" "$(cat /tmp/watch)" "0: zero"
}

case_tool_watch_timeout_exits_1_with_one_line() {
	new_slot || return 1
	msgslot watch -q -t 0.5 -d "$slot" 3 > /tmp/watch 2> /tmp/err
	expect "exit status" "$?" 1 &&
	expect "stdout" "$(cat /tmp/watch)" "" &&
	expect "stderr" "$(cat /tmp/err)" "msgslot: no new message in 0.5 seconds" &&
	# The timer counts from the last message, not from the start.
	msgslot send -q -d "$slot" 3 "in time" &&
	msgslot watch -t 1 -d "$slot" 3 > /tmp/watch 2> /tmp/err
	expect "exit status after a message" "$?" 1 &&
	expect "stdout after a message" "$(cat /tmp/watch)" "in time" &&
	expect "stderr after a message" "$(cat /tmp/err)" "$(printf '%s\n%s' \
		"msgslot: printed 1 message from channel 3 of $slot, skipped 0" \
		"msgslot: no new message in 1 seconds")"
}

case_tool_watch_several_channels_prefixes_channel() {
	new_slot || return 1
	msgslot send -q -d "$slot" 3 "three" || return 1
	watch_in_background -n 3 -d "$slot" 1 3
	if ! { lines_in /tmp/watch 1 &&
		msgslot send -q -d "$slot" 1 "one" &&
		lines_in /tmp/watch 2 &&
		msgslot send -q -d "$slot" 0 "not watched" &&
		msgslot send -q -d "$slot" 3 "three again"; }; then
		kill "$pid"
		return 1
	fi
	ended "$pid" || return 1
	expect "exit status" "$status" 0 &&
	expect "stdout" "$(cat /tmp/watch)" \
		"$(printf '3: three\n1: one\n3: three again')" &&
	expect "status line" "$(cat /tmp/err)" \
		"msgslot: printed 3 messages from channels 1 3 of $slot, skipped 0"
}

case_tool_watch_status_line_counts_skipped_writes() {
	new_slot || return 1
	msgslot send -q -d "$slot" 0 "seen" || return 1
	watch_in_background -n 2 -d "$slot" 0
	lines_in /tmp/watch 1 || { kill "$pid"; return 1; }
	# Stopped, it cannot look: of three writes it sees the last.
	kill -STOP "$pid"
	for m in missed1 missed2 last; do
		msgslot send -q -d "$slot" 0 "$m"
	done
	kill -CONT "$pid"
	ended "$pid" || return 1
	expect "exit status" "$status" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "$(printf 'seen\nlast')" &&
	expect "status line" "$(cat /tmp/err)" \
		"msgslot: printed 2 messages from channel 0 of $slot, skipped 2"
}

case_tool_watch_ends_when_pipe_reader_goes() {
	new_slot || return 1
	msgslot send -q -d "$slot" 2 "only this" || return 1
	# Nothing more is written: watch must notice that head has gone while
	# it waits, or -t ends it after 20 s with status 1 and its message.
	start=$(date +%s)
	msgslot watch -t 20 -d "$slot" 2 2> /tmp/err | head -n 1 > /tmp/watch
	diag "watch | head -n 1 took $(($(date +%s) - start)) s"
	expect "stdout" "$(cat /tmp/watch)" "only this" &&
	expect "stderr" "$(cat /tmp/err)" \
		"msgslot: printed 1 message from channel 2 of $slot, skipped 0"
}

case_tool_watch_ends_cleanly_on_sigterm_and_sigint() {
	new_slot || return 1
	msgslot send -q -d "$slot" 1 "before" || return 1
	for sig in TERM INT; do
		watch_in_background -d "$slot" 1
		lines_in /tmp/watch 1 || { kill -KILL "$pid"; return 1; }
		kill -"$sig" "$pid"
		ended "$pid" || return 1
		expect "SIG$sig exit status" "$status" 0 &&
		expect "SIG$sig stdout" "$(cat /tmp/watch)" "before" &&
		expect "SIG$sig status line" "$(cat /tmp/err)" \
			"msgslot: printed 1 message from channel 1 of $slot, skipped 0" ||
			return 1
	done
}

case_tool_watcher_link_is_watch() {
	new_slot || return 1
	msgslot send -q -d "$slot" 2 "via the link" || return 1
	timeout 10 message_watcher -n 1 -d "$slot" 2 > /tmp/watch 2> /tmp/err
	expect "exit status" "$?" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "via the link" &&
	expect "status line" "$(cat /tmp/err)" \
		"message_watcher: printed 1 message from channel 2 of $slot, skipped 0"
}

# stat_line LINE CHANNEL GENERATION LENGTH: LINE says that CHANNEL had
# GENERATION writes, the last of LENGTH bytes, made in the last 5 seconds.
stat_line() {
	# shellcheck disable=SC2086 # the fields of the line
	set -- $1 "$2" "$3" "$4"
	[ $# -eq 13 ] || { diag "not 10 fields: $*"; return 1; }
	expect "fields" "$1 $2 $3 $4 $5 $6 $7 $9" \
		"channel ${11} generation ${12} length ${13} written age" ||
		return 1
	age=${10%s}
	if [ "$age" -lt 0 ] || [ "$age" -gt 5 ]; then
		diag "age ${10}"
		return 1
	fi
	# The written time plus the age is the time stat ran, a second or
	# two before now.  The guest's time zone is UTC.
	now=$(date +%s)
	for late in 0 1 2; do
		[ "$8" = "$(date -d "@$((now - age - late))" \
			+%Y-%m-%dT%H:%M:%S)+00:00" ] && return 0
	done
	diag "written $8, age ${10}, now $(date +%Y-%m-%dT%H:%M:%S)"
	return 1
}

case_tool_stat_prints_one_line_per_channel() {
	new_slot || return 1
	msgslot send -q -d "$slot" 1 "first" &&
	msgslot send -q -d "$slot" 1 "hello world" &&
	msgslot send -q -d "$slot" 3 "" || return 1
	msgslot stat -d "$slot" > /tmp/stat 2> /tmp/err || return 1
	cat /tmp/stat
	expect "lines" "$(wc -l < /tmp/stat | tr -d ' ')" 4 &&
	expect "stderr" "$(cat /tmp/err)" "" &&
	expect "channel 0" "$(sed -n 1p /tmp/stat)" "channel 0 never written" &&
	stat_line "$(sed -n 2p /tmp/stat)" 1 2 11 &&
	expect "channel 2" "$(sed -n 3p /tmp/stat)" "channel 2 never written" &&
	stat_line "$(sed -n 4p /tmp/stat)" 3 1 0 &&
	# stat reads what it reports without marking it seen for anyone.
	expect "read after stat" "$(msgslot read -q -d "$slot" 1)" "hello world"
}

case_tool_stat_named_channels_in_order() {
	new_slot || return 1
	msgslot send -q -d "$slot" 2 "two" || return 1
	msgslot stat --device="$slot" 2 0 2 > /tmp/stat || return 1
	cat /tmp/stat
	expect "lines" "$(wc -l < /tmp/stat | tr -d ' ')" 3 &&
	stat_line "$(sed -n 1p /tmp/stat)" 2 1 3 &&
	expect "channel 0" "$(sed -n 2p /tmp/stat)" "channel 0 never written" &&
	stat_line "$(sed -n 3p /tmp/stat)" 2 1 3 &&
	msgslot stat -d "$slot" 4 2> /tmp/err
	expect "bad channel" "$?" 1 &&
	expect "bad channel error" "$(cat /tmp/err)" \
		"msgslot: $slot: channel 4: Invalid argument"
}

# The 32-bit tool gets the same GET_MESSAGE answers, time included.
case_tool_32_bit_watch_and_stat_agree() {
	new_slot || return 1
	msgslot send -q -d "$slot" 1 "for both" || return 1
	expect "watch" "$(timeout 10 msgslot32 watch -q -n 1 -d "$slot" 1)" \
		"for both" || return 1
	msgslot stat -d "$slot" > /tmp/stat64 &&
	msgslot32 stat -d "$slot" > /tmp/stat32 || return 1
	cat /tmp/stat32
	# The fields but the age, which may have ticked between the two.
	expect "stat" "$(cut -d ' ' -f 1-8 /tmp/stat32)" \
		"$(cut -d ' ' -f 1-8 /tmp/stat64)" &&
	stat_line "$(sed -n 2p /tmp/stat32)" 1 1 8
}

# read, watch and stat read through a mapping of the slot unless told
# --syscall: both paths give the same answers.
case_tool_read_through_map_and_syscall_agree() {
	new_slot || return 1
	msgslot send -q -d "$slot" 0 "through the map" &&
	msgslot send -q -d "$slot" 3 "three" &&
	msgslot send -q -d "$slot" 3 "three again" || return 1
	for ch in 0 1 2 3; do
		expect "read $ch" "$(msgslot read -q -d "$slot" "$ch")" \
			"$(msgslot read -q --syscall -d "$slot" "$ch")" || return 1
		msgslot read -q --raw -d "$slot" "$ch" > /tmp/raw-map &&
		msgslot read -q --raw --syscall -d "$slot" "$ch" > /tmp/raw-sys ||
			return 1
		cmp /tmp/raw-map /tmp/raw-sys || return 1
	done
	expect "read 3" "$(msgslot read -q -d "$slot" 3)" "three again"
}

# watch_maps ARGUMENT...: watch channel 1 of a fresh slot for 2 messages,
# and say whether the slot was mapped into it while it waited.
watch_maps() {
	new_slot || return 1
	watch_in_background -q -n 2 -d "$slot" "$@" 1
	sleep 0.5
	if grep -q " $slot\$" "/proc/$pid/maps"; then mapped=yes; else mapped=no; fi
	if ! { msgslot send -q -d "$slot" 1 "one" && lines_in /tmp/watch 1 &&
		msgslot send -q -d "$slot" 1 "two"; }; then
		kill "$pid"
		return 1
	fi
	ended "$pid" || return 1
	expect "exit status" "$status" 0 &&
	expect "stdout" "$(cat /tmp/watch)" "$(printf 'one\ntwo')"
}

case_tool_watch_maps_the_slot_unless_syscall() {
	watch_maps || return 1
	expect "slot mapped by watch" "$mapped" yes || return 1
	watch_maps --syscall || return 1
	expect "slot mapped by watch --syscall" "$mapped" no
}

case_tool_stat_through_map_and_syscall_agree() {
	new_slot || return 1
	msgslot send -q -d "$slot" 2 "two" || return 1
	msgslot stat -d "$slot" > /tmp/stat-map &&
	msgslot stat --syscall -d "$slot" > /tmp/stat-sys || return 1
	cat /tmp/stat-map
	# The fields but the age, which may have ticked between the two.
	expect "stat" "$(cut -d ' ' -f 1-8 /tmp/stat-map)" \
		"$(cut -d ' ' -f 1-8 /tmp/stat-sys)" &&
	stat_line "$(sed -n 3p /tmp/stat-map)" 2 1 3
}
