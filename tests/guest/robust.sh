# SPDX-License-Identifier: GPL-2.0-only
#
# The robustness cases of the guest suite, sourced by check.sh with
# message_slot loaded: stress on many minors from every vCPU and on files
# shared by threads on every vCPU, rmmod racing with users, a fuzzer checked
# against a model of the slots, and, on a kernel that has them (the debug
# kernel), kmemleak after rmmod and failslab on open.  Each case is a function case_NAME; the programs it runs are
# tests/programs/{stress,rmmod_race,fuzz,open_faults}.c.
# shellcheck shell=sh

CASES="$CASES stress_no_torn_messages fuzz_against_model
	rmmod_races_with_users kmemleak_clean_after_rmmod
	failslab_open_of_new_minor_enomem"

KMEMLEAK=/sys/kernel/debug/kmemleak
FAILSLAB=/sys/kernel/debug/failslab

# Leave the module loaded and /dev/msgslot0 there, as every case must.
reload_module() {
	grep -q '^message_slot ' /proc/modules || insmod /lib/message_slot.ko ||
		return 1
	[ -c /dev/msgslot0 ] || { diag "/dev/msgslot0 is missing"; return 1; }
}

# On a KCSAN kernel (the race lane) stress watches one memory access in
# ~50 rather than ~2000 on each CPU, for up to 400 us rather than 80, so
# that racing accesses of the module's paths meet a watchpoint in the run.
KCSAN_PARAMETERS=/sys/module/kcsan/parameters

case_stress_no_torn_messages() {
	kcsan=
	if [ -w "$KCSAN_PARAMETERS/skip_watch" ]; then
		kcsan="skip_watch $(cat "$KCSAN_PARAMETERS/skip_watch")
udelay_task $(cat "$KCSAN_PARAMETERS/udelay_task")"
		echo 100 > "$KCSAN_PARAMETERS/skip_watch"
		echo 400 > "$KCSAN_PARAMETERS/udelay_task"
		diag "KCSAN: skip_watch 100, udelay_task 400 instead of" \
			"$(echo "$kcsan" | tr "\n" " ")"
	fi
	# msgslot_stress_seconds= on the kernel command line (the race lane's)
	# comes to init, and so here, in the environment.
	stress --seconds "${msgslot_stress_seconds:-12}"
	status=$?
	echo "$kcsan" | while read -r name value; do
		[ -z "$name" ] || echo "$value" > "$KCSAN_PARAMETERS/$name"
	done
	return "$status"
}

case_fuzz_against_model() {
	fuzz --seconds 12
}

case_rmmod_races_with_users() {
	rmmod_race --seconds 8
	status=$?
	reload_module || return 1
	return "$status"
}

# kmemleak's report on standard input, without the objects allocated while
# the kernel booted (pid 0): those are not the module's.
kmemleak_after_boot() {
	awk '/^unreferenced object/ {
			if (!boot) printf "%s", block
			block = ""
			boot = 0
		}
		/^  comm ".*", pid 0,/ { boot = 1 }
		{ block = block $0 "\n" }
		END { if (!boot) printf "%s", block }'
}

case_kmemleak_clean_after_rmmod() {
	if [ ! -w "$KMEMLEAK" ]; then
		echo "# SKIP kmemleak not available (stock kernel)"
		return 4
	fi
	# Forget what earlier scans reported.  (kmemleak reports nothing at
	# the first scan after boot, so what leaked earlier in the suite
	# still counts: the scans below find it.)
	echo clear > "$KMEMLEAK" ||
		{ diag "kmemleak refuses commands (disabled?)"; return 1; }
	# Slots on many minors, with racing first opens.
	stress --seconds 3 --first-minor 530000 > /tmp/kmemleak-stress.out ||
		{ cat /tmp/kmemleak-stress.out; return 1; }
	# Shrinking empties KASAN's quarantine: the count is of live slots.
	echo 1 > /sys/kernel/slab/message_slot/shrink
	objects=$(cut -d' ' -f1 /sys/kernel/slab/message_slot/objects)
	rmmod message_slot || { diag "rmmod failed"; return 1; }
	# kmemleak reports no object younger than 5 s; two scans, as is usual.
	sleep 6
	echo scan > "$KMEMLEAK"
	echo scan > "$KMEMLEAK"
	cat "$KMEMLEAK" > /tmp/kmemleak.out
	reload_module || return 1
	total=$(grep -c '^unreferenced object' /tmp/kmemleak.out)
	leaks=$(kmemleak_after_boot < /tmp/kmemleak.out | grep -c '^unreferenced object')
	diag "$objects slots freed by rmmod; kmemleak: $leaks unreferenced" \
		"objects ($((total - leaks)) more allocated at boot, ignored)"
	if [ "$leaks" -ne 0 ]; then
		kmemleak_after_boot < /tmp/kmemleak.out | sed 's/^/  /'
		return 1
	fi
}

# The failslab settings this case changes, restored at its end.
FAILSLAB_SETTINGS="probability interval times space verbose task-filter
	ignore-gfp-wait cache-filter"

case_failslab_open_of_new_minor_enomem() {
	if [ ! -d "$FAILSLAB" ] || [ ! -w /proc/self/make-it-fail ]; then
		echo "# SKIP failslab not available (stock kernel)"
		return 4
	fi
	# Saved with probability first, so that restoring stops failures first.
	for setting in $FAILSLAB_SETTINGS; do
		echo "$setting $(cat "$FAILSLAB/$setting")"
	done > /tmp/failslab.saved
	# Every allocation of a task marked make-it-fail fails once its
	# budget (space, set by open_faults) is spent; no other task's does.
	# GFP_KERNEL allocations may sleep: ignore-gfp-wait must be off.
	# cache-filter stays off: on 6.1 a cache's failslab flag is read-only
	# (slub_debug=A at boot sets it), and the budget aims at the driver.
	# The task filter comes first and the probability last: the other way
	# round, this very shell's allocations would fail.
	if ! { echo Y > "$FAILSLAB/task-filter" &&
		echo 0 > "$FAILSLAB/verbose" &&
		echo N > "$FAILSLAB/cache-filter" &&
		echo 1 > "$FAILSLAB/interval" &&
		echo -1 > "$FAILSLAB/times" &&
		echo 0 > "$FAILSLAB/space" &&
		echo N > "$FAILSLAB/ignore-gfp-wait" &&
		echo 100 > "$FAILSLAB/probability"; }; then
		diag "cannot set failslab up"
		status=1
	else
		open_faults
		status=$?
	fi
	while read -r setting value; do
		echo "$value" > "$FAILSLAB/$setting"
	done < /tmp/failslab.saved
	return "$status"
}
