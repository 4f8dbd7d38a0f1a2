#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make install, install-tool, install-dkms and uninstall, staged in a
# DESTDIR: the exact file list, an uninstall that removes exactly it, the
# man pages and completions found where man and bash-completion look, one
# version everywhere, and a DKMS build in private DKMS trees.  KDIR is the
# kernel tree to install the module for (make check passes the guest's).
set -u
# shellcheck source=ktap.sh source-path=SCRIPTDIR disable=SC1091
. "$(dirname "$0")/ktap.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
		"$KDIR/include/generated/utsrelease.h" 2>/dev/null
}

need_kdir() {
	[ -n "$(release)" ] && return 0
	echo "SKIP no kernel build tree in KDIR='${KDIR:-}'"
	return "$KTAP_SKIP"
}

# install_into DIR TARGET [VAR=VALUE...]: make TARGET staged in DIR.
install_into() {
	local dir=$1 target=$2
	shift 2
	make -C "$top" --no-print-directory "$target" DESTDIR="$dir" \
		KDIR="${KDIR:-/nonexistent}" "$@" > "$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log"; return 1; }
}

# files DIR: the files and links under DIR, one a line, sorted.
files() {
	(cd "$1" && find . ! -type d | sed 's|^\./|/|' | LC_ALL=C sort)
}

tool_files() {
	local completions
	completions=$(pkg-config --define-variable=datadir=/usr/local/share \
		--variable=completionsdir bash-completion)
	printf '%s\n' /usr/local/bin/message_reader /usr/local/bin/message_sender \
		/usr/local/bin/message_watcher /usr/local/bin/msgslot \
		"$completions/message_reader" "$completions/message_sender" \
		"$completions/message_watcher" "$completions/msgslot" \
		/usr/local/share/man/man1/message_reader.1 \
		/usr/local/share/man/man1/message_sender.1 \
		/usr/local/share/man/man1/message_watcher.1 \
		/usr/local/share/man/man1/msgslot.1 \
		/usr/local/share/man/man4/message_slot.4
}

case_install_puts_exactly_the_expected_files() {
	need_kdir || return
	install_into "$tmp/all" install
	{ tool_files
	  echo /etc/udev/rules.d/60-msgslot.rules
	  echo /usr/local/include/linux/message_slot.h
	  echo /usr/local/include/msgslot_map.h
	  echo "/lib/modules/$(release)/updates/message_slot.ko"
	} | LC_ALL=C sort > "$tmp/want"
	files "$tmp/all" > "$tmp/got"
	diff -u "$tmp/want" "$tmp/got"
	grep -qx "install: DESTDIR is set: not running depmod (on the target: depmod $(release))" \
		"$tmp/make.log" || { echo "no depmod message"; return 1; }
}

case_uninstall_removes_exactly_that() {
	need_kdir || return
	install_into "$tmp/un" install
	# What modules_install writes where the kernel compresses modules.
	touch "$tmp/un/lib/modules/$(release)/updates/message_slot.ko."{xz,zst,gz}
	mkdir -p "$tmp/un/usr/local/bin"
	echo "someone else's" > "$tmp/un/usr/local/bin/other-tool"
	# What a kernel that compresses its modules would have installed.
	touch "$tmp/un/lib/modules/$(release)/updates/message_slot.ko.xz" \
		"$tmp/un/lib/modules/$(release)/updates/message_slot.ko.zst"
	install_into "$tmp/un" uninstall
	expect "left after uninstall" "$(files "$tmp/un")" "/usr/local/bin/other-tool"
	grep -q "^uninstall: group msgslot is left: " "$tmp/make.log" ||
		{ cat "$tmp/make.log"; echo "no word of the group"; return 1; }
}

case_prefix_usr_puts_udev_rule_where_udev_reads() {
	install_into "$tmp/usr" install-udev PREFIX=/usr
	expect "PREFIX=/usr" "$(files "$tmp/usr")" /usr/lib/udev/rules.d/60-msgslot.rules
}

case_uninstall_dkms_removes_the_sources() {
	install_into "$tmp/dk" install-dkms
	[ -f "$tmp/dk/usr/src/message_slot-$version/dkms.conf" ] ||
		{ echo "install-dkms installed no dkms.conf"; return 1; }
	install_into "$tmp/dk" uninstall-dkms
	expect "left after uninstall-dkms" "$(files "$tmp/dk")" ""
}

case_install_tool_is_user_space_only() {
	install_into "$tmp/tool" install-tool
	tool_files | LC_ALL=C sort > "$tmp/want"
	files "$tmp/tool" > "$tmp/got"
	diff -u "$tmp/want" "$tmp/got"
}

case_module_skipped_without_kernel_tree() {
	KDIR=/nonexistent install_into "$tmp/nokdir" install
	grep -qx "install: no kernel build tree at /nonexistent: skipping the module" \
		"$tmp/make.log" || { cat "$tmp/make.log"; return 1; }
	[ -x "$tmp/nokdir/usr/local/bin/msgslot" ] || { echo "no tool"; return 1; }
	! find "$tmp/nokdir" -name '*.ko' | grep . || { echo "a module"; return 1; }
}

case_man_finds_installed_pages() {
	command -v man > /dev/null || { echo "SKIP man is not installed"; return "$KTAP_SKIP"; }
	install_into "$tmp/man" install-tool
	local page name
	for page in msgslot message_sender message_reader message_watcher \
		"4 message_slot"; do
		# shellcheck disable=SC2086 # "4 message_slot" is section and page
		name=$(MANWIDTH=80 man -M "$tmp/man/usr/local/share/man" $page 2>&1 |
			sed -n '/^NAME/{n;p;q}')
		case $name in
		*"${page#4 }"*) echo "man $page: $name" ;;
		*) echo "man $page: no page (NAME: '$name')"; return 1 ;;
		esac
	done
}

case_completion_loads_for_every_name() {
	[ -f /usr/share/bash-completion/bash_completion ] ||
		{ echo "SKIP bash-completion is not installed"; return "$KTAP_SKIP"; }
	install_into "$tmp/comp" install-tool
	local name got
	for name in msgslot message_sender message_reader message_watcher; do
		# bash-completion loads a command's file on first use, by name,
		# from each of $XDG_DATA_DIRS.
		got=$(XDG_DATA_DIRS="$tmp/comp/usr/local/share" bash -c '
			. /usr/share/bash-completion/bash_completion
			__load_completion "$1" && complete -p "$1"' _ "$name" 2>&1)
		expect "$name" "$got" "complete -F _msgslot $name"
	done
}

case_one_version_everywhere() {
	local conf tool
	conf=$(bash -c '. "$1/dkms.conf"; echo "$PACKAGE_VERSION"' _ "$top")
	expect "dkms.conf" "$conf" "$version"
	tool=$("$top/msgslot" --version)
	expect "msgslot --version" "$tool" "msgslot $version"
	need_kdir || return 0
	install_into "$tmp/ver" install
	expect "module version" \
		"$(modinfo -F version "$tmp/ver/lib/modules/$(release)/updates/message_slot.ko")" \
		"$version"
}

case_dkms_builds_from_installed_sources() {
	command -v dkms > /dev/null || { echo "SKIP dkms is not installed"; return "$KTAP_SKIP"; }
	need_kdir || return
	"$top/host/dkms-build" "$tmp/dkms.ko" "$KDIR" > "$tmp/dkms.log" 2>&1 ||
		{ tail -n 30 "$tmp/dkms.log"; return 1; }
	expect "built module version" "$(modinfo -F version "$tmp/dkms.ko")" "$version"
	expect "built for" "$(modinfo -F vermagic "$tmp/dkms.ko" | cut -d' ' -f1)" "$(release)"
}

ktap_main install_puts_exactly_the_expected_files \
	uninstall_removes_exactly_that prefix_usr_puts_udev_rule_where_udev_reads \
	uninstall_dkms_removes_the_sources install_tool_is_user_space_only \
	module_skipped_without_kernel_tree man_finds_installed_pages \
	completion_loads_for_every_name one_version_everywhere \
	dkms_builds_from_installed_sources
