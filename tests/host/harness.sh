#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness itself must fail when the guest does: a guest that panics or
# hangs makes host/run fail and show the end of the console, and a missing
# package without root makes host/deps print the apt-get line to run.  The
# flow around it: every lane of host/lane.mk is complete, a lane's stamp
# changes only with its kernel, and the closing tally (tests/tally.sh)
# counts what ends without one, or fails without a failed case, as failed.
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

# lane_table: each lane of host/lane.mk as NAME|READY|IMAGE|KDIR|ROOT,
# then the lanes make check-kernels runs, as "kernels: LANE...".
lane_table() {
	# shellcheck disable=SC2016 # make's variables, not the shell's
	make -C "$top" --no-print-directory -s --eval 'lane-table:
	@$(foreach l,$(lanes),echo "$l|$(lane.$l.ready)|$(lane.$l.image)|$(lane.$l.kdir)|$(lane.$l.root)";)
	@echo "kernels: $(kernels_lanes)"' release=RELEASE lane-table
}

case_every_lane_says_how_its_kernel_is_made_ready() {
	local name ready image kdir root lanes=" " lane
	while IFS='|' read -r name ready image kdir root; do
		[ "${name%%:*}" != kernels ] || break
		lanes+="$name "
		[ -x "$top/${ready%% *}" ] ||
			{ echo "lane $name: READY '$ready' is no program here"; return 1; }
		if [ -z "$image" ] || [ -z "$kdir" ]; then
			echo "lane $name: no image or KDIR"
			return 1
		fi
		if [ -n "$root" ]; then
			expect "lane $name: KDIR in its root" "$kdir" \
				/lib/modules/RELEASE/build
		fi
	done < <(lane_table)
	for lane in $(lane_table | sed -n 's/^kernels: //p'); do
		[[ $lanes == *" $lane "* ]] ||
			{ echo "check-kernels runs '$lane', not in host/lane.mk"; return 1; }
	done
	[[ $lanes == " stable debug "* ]] || { echo "lanes:$lanes"; return 1; }
	make -C "$top" -n check KERNEL=no-such-lane > "$tmp/no-lane" 2>&1 &&
		{ echo "make check KERNEL=no-such-lane went on"; return 1; }
	grep -q "KERNEL=no-such-lane: no such lane in host/lane.mk (lanes: stable" \
		"$tmp/no-lane" || { cat "$tmp/no-lane"; return 1; }
}

case_lane_stamp_changes_only_with_the_kernel() {
	local stamp=$tmp/lane/ready image=$tmp/image before
	# A lane's READY: progress, then the release in $tmp/release.
	printf '#!/bin/sh\necho progress\ncat %s\n' "$tmp/release" > "$tmp/ready"
	chmod +x "$tmp/ready"
	echo 1.0 > "$tmp/release"
	echo kernel > "$image"
	"$top/host/lane-ready" "$stamp" "$image" "$tmp/ready" > "$tmp/out"
	grep -qx progress "$tmp/out" || { echo "progress not shown"; return 1; }
	expect "release" "$(cut -d' ' -f1 "$stamp")" 1.0
	touch -d 2000-01-01 "$stamp"
	before=$(stat -c %Y "$stamp")
	"$top/host/lane-ready" "$stamp" "$image" "$tmp/ready" > /dev/null
	expect "stamp time, same kernel" "$(stat -c %Y "$stamp")" "$before"
	touch -d 2001-01-01 "$image"
	"$top/host/lane-ready" "$stamp" "$image" "$tmp/ready" > /dev/null
	[ "$(stat -c %Y "$stamp")" != "$before" ] ||
		{ echo "a rebuilt image left the stamp alone"; return 1; }
	echo 1.1 > "$tmp/release"
	"$top/host/lane-ready" "$stamp" "$image" "$tmp/ready" > /dev/null
	expect "release" "$(cut -d' ' -f1 "$stamp")" 1.1
	if "$top/host/lane-ready" "$stamp" "$image" false > /dev/null 2>&1 ||
		"$top/host/lane-ready" "$stamp" "$image" true > /dev/null 2>&1 ||
		"$top/host/lane-ready" "$stamp" "$tmp/none" "$tmp/ready" \
			> /dev/null 2>&1; then
		echo "a failed READY, no release or no image made a lane ready"
		return 1
	fi
	expect "release after failures" "$(cut -d' ' -f1 "$stamp")" 1.1
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
	every_lane_says_how_its_kernel_is_made_ready \
	lane_stamp_changes_only_with_the_kernel \
	tally_counts_what_ends_badly_as_failed
