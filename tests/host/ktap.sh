# SPDX-License-Identifier: GPL-2.0-only
#
# KTAP output for the host suites, sourced by them:
#   ktap_main NAME...   run the function case_NAME for each NAME, one KTAP
#                       case each; exit non-zero if any failed.
# A case passes by returning 0 and skips by returning 4 after printing
# "SKIP reason"; whatever it prints becomes "# " diagnostics.
# shellcheck shell=bash

KTAP_SKIP=4

diag() {
	echo "$*"
}

ktap_main() {
	local n=0 failed=0 name out status
	echo "KTAP version 1"
	echo "1..$#"
	for name in "$@"; do
		n=$((n + 1))
		out=$( (set -e; "case_$name") 2>&1)
		status=$?
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		if [ "$status" -eq 0 ]; then
			echo "ok $n - $name"
		elif [ "$status" -eq "$KTAP_SKIP" ]; then
			echo "ok $n - $name # SKIP $(printf '%s\n' "$out" |
				sed -n 's/^SKIP //p' | tail -n 1)"
		else
			echo "not ok $n - $name"
			failed=$((failed + 1))
		fi
	done
	[ "$failed" -eq 0 ]
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', expected '$3'"
	return 1
}
