#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything builds without a warning: the module under W=1 and sparse
# against the kernel tree in $KDIR (the guest's, from make check; inside the
# lane's build root $GUEST_ROOT if it has one), the tool and every program
# of the guest (tests and benchmark) with the project's warnings as errors,
# the uapi header on its own in user space, and every shell script clean
# under shellcheck.
set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
warnings=(-Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wwrite-strings -Werror)

# kbuild NAME ARGS...: build a fresh copy of module/ with ARGS against
# $KDIR, inside the build root $GUEST_ROOT if the lane has one; print the
# compiler's and sparse's complaints and fail if there are any.
kbuild() {
	local name=$1 dir seen
	shift
	if [ -n "${GUEST_ROOT:-}" ]; then
		dir=$GUEST_ROOT/tmp/msgslot-$name
		seen=/tmp/msgslot-$name
	else
		dir=$tmp/$name
		seen=$dir
	fi
	# In a root, the tree's path is a link that only resolves in there.
	if ! ${GUEST_ROOT:+chroot "$GUEST_ROOT"} test -f "${KDIR:-/nonexistent}/Makefile"; then
		echo "SKIP no kernel build tree in KDIR='${KDIR:-}'"
		return "$KTAP_SKIP"
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$top"/module/Kbuild "$top"/module/*.[ch] "$dir/"
	${GUEST_ROOT:+chroot "$GUEST_ROOT"} make -C "$KDIR" M="$seen" \
		MSGSLOT_VERSION="$version" "$@" modules > "$tmp/$name.log" 2>&1 &&
		status=0 || status=$?
	[ "$status" -ne 0 ] || [ -f "$dir/message_slot.ko" ] ||
		{ echo "make succeeded but built no module"; status=1; }
	rm -rf "$dir/"*.o "$dir/"*.ko
	# Newer kernels check sparse first and, if it will not do (too old, or
	# their scripts/checker-valid.sh missing), say so and build without it.
	if grep -q 'C=1 specified, but' "$tmp/$name.log"; then
		echo "SKIP sparse not run: $(grep -h 'checker-valid.sh\|C=1 specified' \
			"$tmp/$name.log" | head -n 2 | tr '\n' ' ')"
		return "$KTAP_SKIP"
	fi
	[ "$status" -eq 0 ] || { cat "$tmp/$name.log"; return 1; }
	if grep -E '(warning|error):' "$tmp/$name.log"; then
		return 1
	fi
}

case_module_builds_clean_with_w1() {
	kbuild w1 W=1
}

case_module_is_sparse_clean() {
	command -v sparse > /dev/null || { echo "SKIP sparse is not installed"; return "$KTAP_SKIP"; }
	kbuild sparse C=1
}

case_tool_builds_without_warnings() {
	cc "${warnings[@]}" -DMSGSLOT_VERSION="\"$version\"" -I"$top" \
		-I"$top/include" -o "$tmp/msgslot" "$top/msgslot.c"
}

# Every program that runs in the guest: the tests (a file or a directory
# of tests/programs/, with the test library) and the benchmark.
case_guest_programs_build_without_warnings() {
	local src status=0 sources

	for src in "$top"/tests/programs/*.c "$top"/tests/programs/*/; do
		sources=("$src")
		[ -d "$src" ] && sources=("$src"*.c)
		cc "${warnings[@]}" -pthread -I"$top/module" -I"$top/include" \
			-I"$top/tests/lib" -o "$tmp/$(basename "$src" .c)" \
			"${sources[@]}" "$top"/tests/lib/*.c || status=1
	done
	# The benchmark is one program of several files.
	cc "${warnings[@]}" -pthread -I"$top/module" -I"$top/include" \
		-o "$tmp/bench" "$top"/bench/*.c || status=1
	return "$status"
}

case_header_compiles_alone_in_user_space() {
	cat > "$tmp/header.c" <<'EOC'
#include "message_slot.h"
int main(void)
{
	return MSGSLOT_IOC_SET_CHANNEL == 0 || MSGSLOT_CHANNELS != 4 ||
	       MSGSLOT_MSG_LEN != 128;
}
EOC
	cc -std=c99 -pedantic "${warnings[@]}" -I"$top/module" \
		-o "$tmp/header" "$tmp/header.c"
	"$tmp/header"
}

# msgslot_map.h, as a program includes it: alone, before anything else, in
# 64- and 32-bit programs, and what it reads has the layout of the uapi.
case_map_header_compiles_alone_in_user_space() {
	local bits status=0

	cat > "$tmp/map.c" <<'EOC'
#include <msgslot_map.h>
typedef char map_is_608_bytes[sizeof(struct msgslot_map) == 608 ? 1 : -1];
int main(void)
{
	struct msgslot_map map = { 0 };
	struct msgslot_message msg;

	return msgslot_map_read(&map, 3, &msg) || msg.generation != 0 ||
	       msg.channel != 3;
}
EOC
	for bits in 64 32; do
		echo "cc -m$bits -std=gnu11 -pedantic map.c"
		cc -m$bits -std=gnu11 -pedantic "${warnings[@]}" \
			-I"$top/include" -o "$tmp/map$bits" "$tmp/map.c" &&
			"$tmp/map$bits" || status=1
	done
	return "$status"
}

case_shell_scripts_pass_shellcheck() {
	command -v shellcheck > /dev/null ||
		{ echo "SKIP shellcheck is not installed"; return "$KTAP_SKIP"; }
	cd "$top" || return 1
	# The guest's scripts run under busybox sh; the host's under bash.
	shellcheck -s sh guest/init guest/demo.sh host/deps host/lane-host \
		host/lane-root host/kernel-version host/mkinitramfs \
		host/build-module host/dkms-build host/man-examples tests/guest/*.sh \
		host/deb host/package-root host/guest-tools
	shellcheck -s bash host/run host/lane-ready host/debug-kernel \
		tests/check tests/check-kernels tests/check-packages \
		tests/tally.sh tests/host/*.sh .ci/run completions/msgslot bench/run
}

ktap_main module_builds_clean_with_w1 module_is_sparse_clean \
	tool_builds_without_warnings guest_programs_build_without_warnings \
	header_compiles_alone_in_user_space \
	map_header_compiles_alone_in_user_space shell_scripts_pass_shellcheck
