#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness itself must fail when the guest does: a guest that panics or
# hangs makes host/run fail and show the end of the console, and a missing
# package without root makes host/deps print the apt-get line to run.  The
# closing tally (tests/tally.sh) counts what ends without one, or fails
# without a failed case, as failed.
# usage: tests/host/harness.sh KERNEL INITRAMFS
set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${1:-} initramfs=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# boot MODE SECONDS: run host/run, set $status and $out.
boot() {
	"$top/host/run" -t "$2" -l "$tmp/$1.log" "$kernel" "$initramfs" "$1" \
		> "$tmp/$1.out" 2>&1 && status=0 || status=$?
	out=$(cat "$tmp/$1.out")
}

case_panicking_guest_fails_with_console_tail() {
	boot panic 120
	expect "status" "$status" 1
	[[ $out == *"host/run: the guest stopped before finishing"* ]] ||
		{ echo "no 'stopped' line"; return 1; }
	[[ $out == *"host/run: the guest's console shows kernel errors"*"Kernel panic"* ]] ||
		{ echo "no report of the panic"; return 1; }
	[[ $out == *"host/run: the last lines of the console:"*"  | "* ]] ||
		{ echo "no console tail"; return 1; }
}

case_hung_guest_is_killed_and_fails() {
	boot hang 25
	expect "status" "$status" 1
	[[ $out == *"host/run: the guest did not finish in 25s; killed"* ]] ||
		{ echo "no timeout line: $out" | tail -n 5; return 1; }
	[[ $out == *"  | "* ]] || { echo "no console tail"; return 1; }
}

case_deps_without_root_prints_apt_line() {
	local want="apt-get update && apt-get install -y --no-install-recommends msgslot-no-such-package"
	# A copy: the tree itself may be out of an unprivileged user's reach.
	mkdir "$tmp/public"
	cp "$top/host/deps" "$tmp/public/deps"
	chmod 755 "$tmp" "$tmp/public" "$tmp/public/deps"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/public/deps" msgslot-no-such-package > "$tmp/deps" 2>&1 &&
		status=0 || status=$?
	expect "status" "$status" 1
	grep -qxF "  $want" "$tmp/deps" || { cat "$tmp/deps"; return 1; }
}

case_tally_counts_what_ends_badly_as_failed() {
	local out status
	out=$(
		# shellcheck source=../tally.sh source-path=SCRIPTDIR disable=SC1091
		. "$top/tests/tally.sh"
		printf '1 passed, 5 failed, 0 skipped\n3 passed, 0 failed, 1 skipped\n' \
			> "$tmp/ok"
		tally_run ok "$tmp/ok" 0
		echo "no tally at all" > "$tmp/none"
		tally_run none "$tmp/none" 0
		echo "2 passed, 0 failed, 0 skipped" > "$tmp/silent"
		tally_run silent "$tmp/silent" 2
		# shellcheck disable=SC2154 # tally_run sets it
		tally_note "# silent: $tally"
		printf 'KTAP version 1\n1..4\nok 1 - a\nok 2 - b # SKIP no\nnot ok 3 - c\n' \
			> "$tmp/short"
		tally_ktap short "$tmp/short" 1 > /dev/null
		echo "ok 1 - a" > "$tmp/planless"
		tally_ktap planless "$tmp/planless" 0 > /dev/null
		printf '1..1\nok 1 - a\n' > "$tmp/exit"
		tally_ktap exit "$tmp/exit" 3 > /dev/null
		tally_end
	) && status=0 || status=$?
	expect "status" "$status" 1
	expect "tally" "$(tail -n 1 <<< "$out")" "8 passed, 6 failed, 2 skipped"
	grep -qxF "# silent: 2 passed, 1 failed, 0 skipped (silent exit status 2)" \
		<<< "$out" || { echo "$out"; return 1; }
	grep -qxF "# short: 1 passed, 2 failed, 1 skipped" <<< "$out" ||
		{ echo "$out"; return 1; }
	# shellcheck disable=SC1091 # followed above
	out=$(. "$top/tests/tally.sh"; tally_add 1 0 2; tally_end) ||
		{ echo "a tally with no failure failed"; return 1; }
	expect "tally" "$(tail -n 1 <<< "$out")" "1 passed, 0 failed, 2 skipped"
}

ktap_main panicking_guest_fails_with_console_tail \
	hung_guest_is_killed_and_fails deps_without_root_prints_apt_line \
	tally_counts_what_ends_badly_as_failed
