#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The guest test suite, run by the guest's /init (busybox sh): loads
# message_slot and checks every rule of it, one KTAP case per rule:
# the module's life (load, major, device node, rmmod, reload), the device
# cases of slot_test (also as a 32-bit program), the cases of the case
# files (the tool under all its names, ...), and last a clean kernel log.

KO=/lib/message_slot.ko
SLOT_TEST=/bin/slot_test
SLOT_TEST32=/bin/slot_test32
POLL_TEST=/bin/poll_test
POLL_TEST32=/bin/poll_test32
# fail_usercopy on read, write and GET_MESSAGE (SKIPs but on the debug kernel).
USERCOPY_FAULTS=/bin/usercopy_faults
PATTERNS=/tests/kernel-log-errors
SKIP=4

# The device cases that also run as a 32-bit program (compat_ioctl).
COMPAT_CASES="ioctl_accepts_every_channel ioctl_unknown_command_enotty
	ioctl_channel_out_of_range_einval ioctl_failure_keeps_channel
	channel_is_per_open_file write_stores_message_returns_count
	read_copies_min_count write_bad_buffer_efault_unchanged
	read_bad_buffer_efault"

# More cases come from the case files below, if the initramfs has them.
# Each defines a function case_NAME per case and adds NAME to $CASES; each
# case starts and must end with message_slot loaded and /dev/msgslot0 there.
CASES=
for file in tool install robust bench examples; do
	# shellcheck disable=SC1090 # case files, each added to $CASES
	[ -f "/tests/$file.sh" ] && . "/tests/$file.sh"
done

diag() {
	echo "# $*"
}

major_of_module() {
	awk '$2 == "message_slot" { print $1 }' /proc/devices
}

module_loaded() {
	grep -q '^message_slot ' /proc/modules
}

# ---- the module's life --------------------------------------------------

case_module_load_logs_major() {
	dmesg -c > /dev/null
	insmod "$KO" || { diag "insmod failed"; return 1; }
	logged=$(dmesg | sed -n 's/.*message_slot: major \([0-9]*\),.*/\1/p')
	registered=$(major_of_module)
	parameter=$(cat /sys/module/message_slot/parameters/major)
	diag "major in the kernel log: '$logged', in /proc/devices:" \
		"'$registered', parameter: '$parameter'"
	[ -n "$logged" ] && [ "$logged" = "$registered" ] &&
		[ "$logged" = "$parameter" ]
}

case_device_node_for_minor_0() {
	[ -c /dev/msgslot0 ] || { diag "/dev/msgslot0 is missing"; return 1; }
	# stat prints major and minor in hex
	# shellcheck disable=SC2046 # two words: major and minor
	set -- $(stat -c '%t %T' /dev/msgslot0)
	diag "/dev/msgslot0 is $((0x$1)):$((0x$2)), major $(major_of_module)"
	[ "$((0x$1))" = "$(major_of_module)" ] && [ "$((0x$2))" = 0 ]
}

case_rmmod_refused_while_open() {
	message_sender -q 0 "kept" || return 1
	exec 3< /dev/msgslot0
	if rmmod message_slot 2> /tmp/rmmod.err; then
		exec 3<&-
		diag "rmmod succeeded with a file open"
		return 1
	fi
	diag "rmmod said: $(cat /tmp/rmmod.err)"
	module_loaded || { exec 3<&-; diag "module gone"; return 1; }
	exec 3<&-
	[ "$(message_reader -q 0)" = "kept" ] ||
		{ diag "message lost after refused rmmod"; return 1; }
}

case_rmmod_frees_every_slot() {
	objects=$(cut -d' ' -f1 /sys/kernel/slab/message_slot/objects 2>/dev/null)
	diag "slots allocated before rmmod: ${objects:-unknown}"
	[ "${objects:-0}" -gt 0 ] ||
		{ diag "no slots to free: the test would prove nothing"; return 1; }
	dmesg -c > /dev/null
	rmmod message_slot || { diag "rmmod failed"; return 1; }
	! module_loaded || { diag "still loaded"; return 1; }
	[ ! -e /sys/kernel/slab/message_slot ] ||
		{ diag "the slab cache outlived the module"; return 1; }
	# kmem_cache_destroy() reports objects left in the cache.
	if dmesg | grep -E -i 'message_slot|objects remaining|still has objects'; then
		diag "the kernel complained at rmmod"
		return 1
	fi
}

case_major_parameter_selects_major() {
	module_loaded && rmmod message_slot
	# 60 is one of the majors reserved for local and experimental use.
	insmod "$KO" major=60 || { diag "insmod major=60 failed"; return 1; }
	diag "/proc/devices: $(grep message_slot /proc/devices)"
	[ "$(major_of_module)" = 60 ] || return 1
	mknod /tmp/major60 c 60 7
	message_sender -q -d /tmp/major60 1 "on sixty" || return 1
	[ "$(message_reader -q -d /tmp/major60 1)" = "on sixty" ] || return 1
	rm /tmp/major60
	rmmod message_slot
}

case_taken_major_fails_cleanly() {
	module_loaded && rmmod message_slot
	dmesg -c > /dev/null
	# Major 1 is the kernel's own memory devices.
	if insmod "$KO" major=1 2> /tmp/insmod.err; then
		diag "insmod with a taken major succeeded"
		return 1
	fi
	diag "insmod said: $(cat /tmp/insmod.err)"
	diag "kernel said: $(dmesg | grep message_slot)"
	! module_loaded || { diag "module loaded anyway"; return 1; }
	[ ! -e /sys/class/message_slot ] || { diag "class left behind"; return 1; }
	[ ! -e /sys/kernel/slab/message_slot ] ||
		{ diag "slab cache left behind"; return 1; }
	insmod "$KO" || { diag "a later insmod failed"; return 1; }
	rmmod message_slot
}

case_load_unload_20_cycles() {
	module_loaded && rmmod message_slot
	i=1
	while [ $i -le 20 ]; do
		insmod "$KO" || { diag "cycle $i: insmod failed"; return 1; }
		[ "$(message_reader -q 3)" = "" ] ||
			{ diag "cycle $i: a message survived rmmod"; return 1; }
		message_sender -q 3 "cycle $i" || return 1
		[ "$(message_reader -q 3)" = "cycle $i" ] ||
			{ diag "cycle $i: message not read back"; return 1; }
		rmmod message_slot || { diag "cycle $i: rmmod failed"; return 1; }
		i=$((i + 1))
	done
	diag "20 cycles of insmod, send, read, rmmod"
}

case_kernel_log_clean() {
	if dmesg | grep -E -f "$PATTERNS" > /tmp/kernel-errors; then
		diag "the kernel log has errors:"
		sed 's/^/#   /' /tmp/kernel-errors
		return 1
	fi
	diag "no line of the kernel log matches $PATTERNS"
}

# ---- running the cases --------------------------------------------------

n=0
failed=0

# run NAME COMMAND...: run one case; its output becomes KTAP diagnostics.
run() {
	name=$1
	shift
	n=$((n + 1))
	"$@" > /tmp/case.out 2>&1
	status=$?
	sed 's/^\([^#]\)/# \1/' /tmp/case.out
	case $status in
	0) echo "ok $n - $name" ;;
	"$SKIP") echo "ok $n - $name # SKIP $(sed -n 's/^# SKIP //p' /tmp/case.out | tail -n 1)" ;;
	*) echo "not ok $n - $name"; failed=$((failed + 1)) ;;
	esac
}

before_devices="module_load_logs_major device_node_for_minor_0"
after_devices="rmmod_refused_while_open rmmod_frees_every_slot
	major_parameter_selects_major taken_major_fails_cleanly
	load_unload_20_cycles kernel_log_clean"
device_cases=$($SLOT_TEST --list)
poll_cases=$($POLL_TEST --list)
poll_cases32=$($POLL_TEST32 --list32)
usercopy_cases=$($USERCOPY_FAULTS --list)

total=0
for c in $before_devices $device_cases $COMPAT_CASES $poll_cases \
	$poll_cases32 $usercopy_cases $CASES $after_devices; do
	total=$((total + 1))
done

echo "KTAP version 1"
echo "1..$total"
for c in $before_devices; do
	run "$c" "case_$c"
done
for c in $device_cases; do
	run "$c" "$SLOT_TEST" "$c"
done
for c in $COMPAT_CASES; do
	run "compat32_$c" "$SLOT_TEST32" "$c"
done
for c in $poll_cases; do
	run "$c" "$POLL_TEST" "$c"
done
for c in $poll_cases32; do
	run "compat32_$c" "$POLL_TEST32" "$c"
done
for c in $usercopy_cases; do
	run "$c" "$USERCOPY_FAULTS" "$c"
done
for c in $CASES; do
	run "$c" "case_$c"
done
for c in $after_devices; do
	run "$c" "case_$c"
done
echo "# guest: $((n - failed)) of $n cases passed"
[ "$failed" -eq 0 ]
