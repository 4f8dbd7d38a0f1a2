#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness itself must fail when the guest does: a guest that panics or
# hangs makes host/run fail and show the end of the console, and a missing
# package without root makes host/deps print the apt-get line to run.
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

ktap_main panicking_guest_fails_with_console_tail \
	hung_guest_is_killed_and_fails deps_without_root_prints_apt_line
