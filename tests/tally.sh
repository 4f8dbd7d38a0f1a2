# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The closing tally, "N passed, N failed, N skipped", in one place: sourced
# by tests/check (which adds up KTAP suites), tests/check-kernels (lanes)
# and .ci/run (steps), each of which prints the total last.
#
#   tally_ktap NAME FILE STATUS   add the top-level KTAP results of FILE,
#                                 the output of a suite that exited STATUS
#   tally_run NAME FILE STATUS    add the closing tally of FILE, the output
#                                 of a run (make check...) that exited STATUS;
#                                 sets $tally to it
#   tally_note LINE...            a line of the summary
#   tally_end                     print the summary and the total; fail if
#                                 any case failed
# A suite or run that ends without saying how it went, or that fails without
# a failed case, counts as one failed case.

tally_passed=0 tally_failed=0 tally_skipped=0 tally_summary=()

tally_note() {
	tally_summary+=("$*")
}

tally_add() {
	tally_passed=$((tally_passed + $1))
	tally_failed=$((tally_failed + $2))
	tally_skipped=$((tally_skipped + $3))
}

tally_ktap() {
	local name=$1 file=$2 status=$3 plan ok skip notok
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$file" | head -n 1)
	ok=$(grep -cE '^ok [0-9]+ ' "$file")
	skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$file")
	notok=$(grep -cE '^not ok [0-9]+ ' "$file")
	if [ -z "$plan" ]; then
		echo "# $name: no KTAP plan: counted as a failed case"
		notok=$((notok + 1))
	elif [ $((ok + notok)) -lt "$plan" ]; then
		echo "# $name: $((plan - ok - notok)) of $plan cases never" \
			"reported: counted as failed"
		notok=$((plan - ok))
	fi
	if [ "$status" -ne 0 ] && [ "$notok" -eq 0 ]; then
		echo "# $name: exit status $status with no failed case:" \
			"counted as a failed case"
		notok=1
	fi
	tally_add $((ok - skip)) "$notok" "$skip"
	tally_note "# $name: $((ok - skip)) passed, $notok failed, $skip skipped"
}

tally_run() {
	local name=$1 file=$2 status=$3 p f s
	tally=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' \
		"$file" | tail -n 1)
	if [ -z "$tally" ]; then
		p=0 f=1 s=0
		tally="0 passed, 1 failed, 0 skipped (no tally)"
	else
		read -r p _ f _ s _ <<< "${tally//,/}"
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			tally="$p passed, 1 failed, $s skipped"
		fi
	fi
	[ "$status" -eq 0 ] || tally+=" ($name exit status $status)"
	tally_add "$p" "$f" "$s"
}

tally_end() {
	echo
	printf '%s\n' "${tally_summary[@]}"
	echo "$tally_passed passed, $tally_failed failed, $tally_skipped skipped"
	[ "$tally_failed" -eq 0 ]
}
