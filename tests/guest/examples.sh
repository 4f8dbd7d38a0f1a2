# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Cases of the guest suite, sourced by check.sh: the example programs of
# message_slot(4), built from the page as printed (host/man-examples), do
# what the page shows them doing; and every example of the README, taken
# from it the same way into /examples, runs and prints what the README
# shows after it.

CASES="$CASES man_example_slot_demo_round_trip
	man_example_slot_wait_prints_each_new_message
	man_example_slot_peek_reads_through_the_map every_readme_example_runs"

# run_example NAME: run the README's example NAME by its kind.  (Names of
# the case's variables are check.sh's: "name" is taken.)
run_example() {
	case $1 in
	*.sh) sh -e "/examples/$1" ;;
	*.py) /usr/bin/python3 -I -S "/examples/$1" ;;
	*.c) "${1%.c}" ;;
	*) echo "no way to run $1"; return 1 ;;
	esac
}

case_every_readme_example_runs() {
	[ -f /examples/names ] || { diag "SKIP no README examples in this image"; return "$SKIP"; }
	ran=0
	while read -r example; do
		case $example in
		# The output an example prints; files the boot case reads.
		*.out | *.conf) continue ;;
		# The host's python3 (host/guest-tools) runs on a guest of the
		# host's architecture only: not on the i386 lane's kernel.
		*.py) if [ "$(uname -m)" != x86_64 ]; then
			diag "$example not run: the host's python3 does not run on" \
				"this $(uname -m) guest (it runs on the other lanes)"
			continue
		fi ;;
		esac
		diag "---- $example"
		if ! run_example "$example" < /dev/null > /tmp/example.out \
			2> /tmp/example.err; then
			cat /tmp/example.out /tmp/example.err
			diag "$example failed"
			return 1
		fi
		if [ -f "/examples/${example%.*}.out" ]; then
			if ! cmp -s "/examples/${example%.*}.out" /tmp/example.out; then
				diag "$example printed:"
				cat /tmp/example.out
				diag "where the README shows:"
				cat "/examples/${example%.*}.out"
				return 1
			fi
		fi
		cat /tmp/example.out
		ran=$((ran + 1))
	done < /examples/names
	diag "$ran README examples ran"
	[ "$ran" -gt 0 ]
}

case_man_example_slot_demo_round_trip() {
	out=$(slot_demo /dev/msgslot0 2 hello) || return 1
	echo "$out"
	[ "$out" = 'wrote 5 bytes, read 128: "hello"' ] || return 1
	if out=$(slot_demo /dev/msgslot0 7 hello 2>&1); then
		echo "channel 7 was accepted"
		return 1
	fi
	echo "$out"
	[ "$out" = "slot_demo: ioctl: channel 7: Invalid argument" ]
}

case_man_example_slot_wait_prints_each_new_message() {
	major=$(awk '$2 == "message_slot" { print $1 }' /proc/devices)
	# A minor of its own: a message left on /dev/msgslot0 would come first.
	mknod /tmp/slot_wait_node c "$major" 900000 || return 1
	slot_wait /tmp/slot_wait_node 1 2 > /tmp/slot_wait.out 2>&1 &
	pid=$!
	sleep 1
	msgslot send -q -d /tmp/slot_wait_node 1 first
	sleep 1
	msgslot send -q -d /tmp/slot_wait_node 1 second
	i=0
	while kill -0 "$pid" 2> /dev/null && [ $i -lt 100 ]; do
		sleep 1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2> /dev/null; then
		kill "$pid"
		echo "slot_wait did not end after two messages"
		cat /tmp/slot_wait.out
		return 1
	fi
	wait "$pid" || return 1
	cat /tmp/slot_wait.out
	printf 'generation 1: "first"\ngeneration 2: "second"\n' |
		cmp -s - /tmp/slot_wait.out
}

case_man_example_slot_peek_reads_through_the_map() {
	major=$(awk '$2 == "message_slot" { print $1 }' /proc/devices)
	# A minor of its own, as the page's session starts from a fresh slot.
	mknod /tmp/slot_peek_node c "$major" 900001 || return 1
	msgslot send -q -d /tmp/slot_peek_node 1 one &&
		msgslot send -q -d /tmp/slot_peek_node 3 three &&
		msgslot send -q -d /tmp/slot_peek_node 3 'three again' || return 1
	slot_peek /tmp/slot_peek_node > /tmp/slot_peek.out 2>&1 || {
		cat /tmp/slot_peek.out
		return 1
	}
	cat /tmp/slot_peek.out
	printf '%s\n' 'channel 0: never written' \
		'channel 1: generation 1, 3 bytes: "one"' \
		'channel 2: never written' \
		'channel 3: generation 2, 11 bytes: "three again"' |
		cmp -s - /tmp/slot_peek.out
}
