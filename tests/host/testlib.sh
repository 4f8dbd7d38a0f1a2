#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test library of the guest programs (tests/lib/) does what it says:
# harness.h lists, runs, ends and reports cases as its comment tells,
# minors.h gives no minor to two users (nor one a case file names outside
# its rows), every test program lists as many cases as its sources hold
# (as tests/lib/manifest counts them for the guest), and no C file under
# tests/ grows past 600 lines.
# usage: tests/host/testlib.sh
set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cc_test OUTPUT SOURCE...: build a program with the test library.
cc_test() {
	local out=$1
	shift
	cc -Wall -Wextra -Werror -pthread -I"$top/module" -I"$top/include" \
		-I"$top/tests/lib" \
		-o "$out" "$@" "$top"/tests/lib/*.c
}

case_test_harness_lists_runs_and_reports_ktap() {
	cat > "$tmp/sample.c" <<'EOC'
#include <unistd.h>
#include "harness.h"
TEST(passes) { EXPECT_EQ(1, 1); }
TEST32(fails_and_goes_on) { EXPECT_EQ(1, 2); TH_LOG("went on"); }
TEST(assert_ends_case) { ASSERT_EQ(1, 2); TH_LOG("never"); }
TEST(errno_checked) { EXPECT_ERRNO(close(-1), EBADF); ASSERT_ERRNO(close(-1), EINVAL); }
TEST32(skips) { SKIP(return, "not here"); }
TEST(helper_ends_case) { th_abort("helper gave up"); TH_LOG("never"); }
TEST_HARNESS_MAIN
EOC
	cc_test "$tmp/sample" "$tmp/sample.c"
	expect "--list" "$("$tmp/sample" --list | tr '\n' ' ')" \
		"passes fails_and_goes_on assert_ends_case errno_checked skips helper_ends_case "
	expect "--list32" "$("$tmp/sample" --list32 | tr '\n' ' ')" \
		"fails_and_goes_on skips "
	local name want out status
	for want in passes:0 fails_and_goes_on:1 assert_ends_case:1 \
		errno_checked:1 skips:4 helper_ends_case:1 no_such_case:2; do
		name=${want%:*}
		out=$("$tmp/sample" "$name" 2>&1) && status=0 || status=$?
		expect "$name: status" "$status" "${want#*:}"
		[[ $out != *never* ]] || { echo "$name went on after the end"; return 1; }
	done
	[[ $("$tmp/sample" fails_and_goes_on) == *"expected 1 == 2"*"went on"* ]]
	[[ $("$tmp/sample" errno_checked) == *"expected EINVAL, got -1 (EBADF)"* ]]
	[[ $("$tmp/sample" skips) == "# SKIP not here" ]]
	"$tmp/sample" > "$tmp/sample.tap" && status=0 || status=$?
	expect "KTAP run: status" "$status" 1
	grep -v '^#' "$tmp/sample.tap" > "$tmp/sample.results"
	diff -u - "$tmp/sample.results" <<'EOT'
KTAP version 1
1..6
ok 1 - passes
not ok 2 - fails_and_goes_on
not ok 3 - assert_ends_case
not ok 4 - errno_checked
ok 5 - skips # SKIP
not ok 6 - helper_ends_case
EOT
}

case_minor_ranges_never_overlap() {
	cat > "$tmp/minors.c" <<'EOC'
#include <stdio.h>
#include "minors.h"
int main(void)
{
	int i;

	for (i = 0; i < MINOR_RANGE_COUNT; i++)
		printf("%u %u %s %s\n", minor_table[i].first,
		       minor_table[i].count, minor_table[i].name,
		       minor_table[i].who);
	return 0;
}
EOC
	cc -Wall -Werror -I"$top/tests/lib" -o "$tmp/minors" "$tmp/minors.c"
	"$tmp/minors" | sort -n > "$tmp/minors.rows"
	# Each row ends before the next begins, within 20-bit minors.
	awk '$2 < 1 { print $3 ": no minors"; bad = 1 }
		NR > 1 && $1 < end { print $3 " overlaps " last; bad = 1 }
		{ end = $1 + $2; last = $3 }
		END { if (end > 1048576) { print last ": past minor 1048575"; bad = 1 }
		      exit bad }' "$tmp/minors.rows"
	# A case file names a minor only in a row that names the file.
	local file minor status=0
	grep -oE '(mknod [^#]* |MINOR=|--first-minor )[0-9]{4,}' \
		"$top"/tests/guest/*.sh | awk -F: '{ n = split($1, path, "/")
			match($2, /[0-9]+$/)
			print path[n], substr($2, RSTART) }' > "$tmp/minors.used"
	[ -s "$tmp/minors.used" ] || { echo "no minor found in tests/guest/"; return 1; }
	while read -r file minor; do
		awk -v f="$file:" -v m="$minor" '$4 == f && $1 <= m && m < $1 + $2 {
				found = 1 }
			END { exit !found }' "$tmp/minors.rows" ||
			{ echo "minor $minor of $file is in no row of minors.h for $file"; status=1; }
	done < "$tmp/minors.used"
	echo "$(wc -l < "$tmp/minors.rows") rows; minors named in tests/guest/:" \
		"$(tr '\n' ' ' < "$tmp/minors.used")"
	return "$status"
}

case_every_program_lists_its_cases() {
	local kind name list count how src sources listed status=0
	"$top/tests/lib/manifest" > "$tmp/manifest"
	grep -q '^program ' "$tmp/manifest" || { echo "no program"; return 1; }
	while read -r kind name list count how; do
		[ "$kind" = program ] || continue
		src=$top/tests/programs/${name%32}
		[ "$list" = --list32 ] || src=$top/tests/programs/$name
		sources=("$src".c)
		[ -d "$src" ] && sources=("$src"/*.c)
		cc_test "$tmp/$name" "${sources[@]}"
		listed=$("$tmp/$name" "$list" | grep -c .)
		echo "$name $list: $listed cases, $count in the sources ($how)"
		[ "$listed" -gt 0 ] && [ "$listed" = "$count" ] || status=1
	done < "$tmp/manifest"
	return "$status"
}

case_no_test_source_over_600_lines() {
	local long
	long=$(find "$top/tests" -name '*.[ch]' -exec wc -l {} + |
		awk '$2 != "total" && $1 > 600')
	[ -z "$long" ] || { echo "over 600 lines: $long"; return 1; }
}

ktap_main test_harness_lists_runs_and_reports_ktap minor_ranges_never_overlap \
	every_program_lists_its_cases no_test_source_over_600_lines
