#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The guest test suite, run by the guest's /init (busybox sh): loads
# message_slot and checks every rule of it, one KTAP case per rule:
# the module's life (load, major, device node, rmmod, reload), the cases of
# the test programs (those with TEST32 cases also as their 32-bit build),
# the cases of the case files (the tool under all its names, ...), and last
# a clean kernel log.  Which programs and case files there are, and how many
# cases each program has, comes from /tests/manifest (tests/lib/manifest,
# counted from the sources at build time): a program that is missing or
# lists fewer cases, or a case file that is missing, fails the run.

KO=/lib/message_slot.ko
PATTERNS=/tests/kernel-log-errors
MANIFEST=/tests/manifest
SKIP=4

# More cases come from the case files.  Each defines a function case_NAME
# per case and adds NAME to $CASES; each case starts and must end with
# message_slot loaded and /dev/msgslot0 there.
CASES=
missing_files=
case_files=$(awk '$1 == "case-file" { print $2 }' "$MANIFEST")
for file in $case_files; do
	if [ -f "/tests/$file" ]; then
		# shellcheck disable=SC1090 # case files, each added to $CASES
		. "/tests/$file"
	else
		missing_files="$missing_files $file"
	fi
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

# The test programs whose cases this file runs one by one, as words
# NAME:LIST-FLAG (the others run from a case file, with their options).
suite_programs=$(awk '$1 == "program" && $5 == "suite" { print $2 ":" $3 }' \
	"$MANIFEST")

case_every_program_lists_all_its_cases() {
	[ -s "$MANIFEST" ] || { diag "$MANIFEST is missing"; return 1; }
	status=0
	for file in $missing_files; do
		diag "case file /tests/$file is missing"
		status=1
	done
	# (run() owns $name: these are other names.)
	while read -r kind program list count how; do
		[ "$kind" = program ] || continue
		listed=$("/bin/$program" "$list" | grep -c .)
		diag "$program $list: $listed cases, $count in the sources ($how)"
		[ "$listed" = "$count" ] || status=1
	done < "$MANIFEST"
	return "$status"
}

before_devices="module_load_logs_major device_node_for_minor_0
	every_program_lists_all_its_cases"
after_devices="rmmod_refused_while_open rmmod_frees_every_slot
	major_parameter_selects_major taken_major_fails_cleanly
	load_unload_20_cycles kernel_log_clean"
program_cases=0
for program in $suite_programs; do
	listed=$("/bin/${program%%:*}" "${program#*:}" | grep -c .)
	program_cases=$((program_cases + listed))
done

total=0
for c in $before_devices $CASES $after_devices; do
	total=$((total + 1))
done

echo "KTAP version 1"
echo "1..$((total + program_cases))"
for c in $before_devices; do
	run "$c" "case_$c"
done
for program in $suite_programs; do
	binary=/bin/${program%%:*} list=${program#*:}
	prefix=
	[ "$list" = --list32 ] && prefix=compat32_
	for c in $("$binary" "$list"); do
		run "$prefix$c" "$binary" "$c"
	done
done
for c in $CASES; do
	run "$c" "case_$c"
done
for c in $after_devices; do
	run "$c" "case_$c"
done
echo "# guest: $((n - failed)) of $n cases passed"
[ "$failed" -eq 0 ]
