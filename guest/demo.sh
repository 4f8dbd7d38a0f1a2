#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The flow of the original assignment, run in the guest as a transcript:
# load the module, find its major in the kernel log, make a second device
# node, send and read on several channels of two slots in different orders,
# and unload.  Any step that fails ends the demo with a non-zero status.
set -e

step() {
	printf '\n== %s\n' "$*"
}

# show COMMAND...: print the command as typed, then run it.
show() {
	printf '$'
	for arg; do
		case $arg in
		*" "*) printf ' "%s"' "$arg" ;;
		*) printf ' %s' "$arg" ;;
		esac
	done
	echo
	"$@"
}

step "1. Load the module; its major number is in the kernel log"
show insmod /lib/message_slot.ko
echo "\$ dmesg | grep message_slot"
dmesg | grep message_slot
major=$(awk '$2 == "message_slot" { print $1 }' /proc/devices)

step "2. /dev/msgslot0 (minor 0) appeared by itself; make minor 1 with mknod"
show ls -l /dev/msgslot0
show mknod /dev/msgslot1 c "$major" 1
show ls -l /dev/msgslot1

step "3. Send messages to channels of both slots"
show message_sender 0 "Hello from channel 0"
show msgslot send 3 "Channel 3 keeps its own message"
show msgslot send -d /dev/msgslot1 0 "Slot 1 has a channel 0 of its own"

step "4. Read them back, in another order"
show message_reader 3
show msgslot read -d /dev/msgslot1 0
show message_reader 0

step "5. Again: reading does not consume, writing overwrites"
show message_reader 0
show message_sender 0 "Overwritten"
show message_reader 0
show message_reader 2
echo "(channel 2 was never written: an empty message)"
show msgslot read -d /dev/msgslot1 0
echo "\$ message_sender 9 \"no such channel\""
if message_sender 9 "no such channel"; then
	exit 1
fi
echo "(exit status 1: channels are 0 to 3)"

step "6. Unload: every slot is freed"
show rmmod message_slot
grep -q message_slot /proc/devices && exit 1
echo "message_slot is gone from /proc/devices"

if dmesg | grep -E -f /tests/kernel-log-errors; then
	echo "demo: the kernel log has errors"
	exit 1
fi
printf '\ndemo: every step succeeded, and the kernel log is clean\n'
