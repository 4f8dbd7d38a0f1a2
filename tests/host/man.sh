#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The rules of the manual pages under man/, one KTAP case each: mandoc and
# groff find nothing to say about any page, no page has a blank line, and
# the programs in EXAMPLES of message_slot(4) compile against
# module/message_slot.h.  message_sender(1) and message_reader(1) are links
# that make install makes; tests/host/install.sh checks them.
# Run from the top of the source tree.

set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

EXAMPLE_PAGE_SOURCE=man/message_slot.4

if [ ! -d man ] || [ ! -f module/message_slot.h ]; then
	echo "$0: run from the top of the source tree" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The pages in the layout they are installed in (man1/, man4/).
pages=$tmp/pages
shopt -s nullglob
for page in man/*.[1-9]; do
	mkdir -p "$pages/man${page##*.}"
	cp "$page" "$pages/man${page##*.}/"
done
if [ ! -d "$pages" ]; then
	echo "$0: no manual page under man/" >&2
	exit 1
fi

# need PROGRAM: whether PROGRAM is installed; says SKIP if not.
need() {
	command -v "$1" > /dev/null && return 0
	echo "SKIP $1 is not installed"
	return "$KTAP_SKIP"
}

case_every_page_passes_mandoc_lint() {
	local page out all=""

	need mandoc || return
	cd "$pages" || return
	echo "mandoc -Tlint on $(echo man*/*)"
	for page in man*/*; do
		out=$(mandoc -Tlint "$page" 2>&1) || true
		[ -n "$out" ] && all+=$out$'\n'
	done
	[ -z "$all" ] && return 0
	printf '%s' "$all"
	return 1
}

case_every_page_passes_groff_warnings() {
	local page out status=0

	need groff || return
	cd "$pages" || return
	echo "groff -man -ww -z on $(echo man*/*)"
	for page in man*/*; do
		out=$(groff -man -ww -z "$page" 2>&1) || true
		[ -z "$out" ] && continue
		printf '%s\n' "$out"
		status=1
	done
	return "$status"
}

# Neither formatter minds them, but man-pages(7) does: paragraphs are .P.
case_no_page_has_blank_lines() {
	local page status=0

	cd "$pages" || return
	echo "looked for blank lines in $(echo man*/*)"
	for page in man*/*; do
		grep -q '^[[:space:]]*$' "$page" || continue
		grep -n '^[[:space:]]*$' "$page" |
			sed "s|^\([0-9]*\):.*|$page:\1: blank line|"
		status=1
	done
	return "$status"
}

# The programs under EXAMPLES (host/man-examples takes each as printed):
# message_slot(4) has at least one, and every one compiles cleanly.
case_example_programs_compile() {
	local name names status=0

	need cc || return
	names=$(host/man-examples "$EXAMPLE_PAGE_SOURCE" "$tmp/examples") ||
		return 1
	if [ -z "$names" ]; then
		echo "$EXAMPLE_PAGE_SOURCE has no program between SRC BEGIN and SRC END"
		return 1
	fi
	# As installed: <linux/message_slot.h> and <msgslot_map.h>.
	mkdir -p "$tmp/include/linux"
	cp module/message_slot.h "$tmp/include/linux/"
	cp include/msgslot_map.h "$tmp/include/"
	for name in $names; do
		echo "cc -Wall -Wextra -Werror (installed headers) $name:" \
		     "$(wc -l < "$tmp/examples/$name") lines"
		cc -Wall -Wextra -Werror -I "$tmp/include" \
			-o "$tmp/examples/${name%.c}" "$tmp/examples/$name" 2>&1 ||
			status=1
	done
	return "$status"
}

# The boot configuration message_slot(4) shows is the README's, which the
# guest suite runs (tests/guest/nodes.sh): each line of it is on the page.
case_boot_configuration_is_the_readmes() {
	local name line status=0

	for name in modules-load.d-msgslot.conf modprobe.d-msgslot.conf; do
		host/man-examples README.md "$tmp/readme" > /dev/null || return 1
		[ -s "$tmp/readme/$name" ] ||
			{ echo "README.md has no example $name"; return 1; }
		while read -r line; do
			grep -qxF "$line" "$EXAMPLE_PAGE_SOURCE" && continue
			echo "$EXAMPLE_PAGE_SOURCE lacks the README's '$line' ($name)"
			status=1
		done < "$tmp/readme/$name"
	done
	return "$status"
}

ktap_main every_page_passes_mandoc_lint every_page_passes_groff_warnings \
	no_page_has_blank_lines example_programs_compile \
	boot_configuration_is_the_readmes
