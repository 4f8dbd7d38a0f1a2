# SPDX-License-Identifier: GPL-2.0-only
#
# The cases of an installed msgslot, sourced by check.sh: the image carries
# what make install DESTDIR=... PREFIX=/usr put in its stage (the module in
# /lib/modules/VERSION/updates, the tool, the udev rule), the host's udevd,
# and the module as DKMS built it (/lib/dkms/message_slot.ko).
# shellcheck shell=sh

CASES="$CASES installed_module_loads_by_modprobe
	installed_tool_works_under_three_names udev_rule_sets_group_and_mode
	dkms_built_module_loads"

# make install puts it in updates/, DKMS in updates/dkms/.
STAGED_KO=$(find "/lib/modules/$(uname -r)/updates" -name message_slot.ko 2> /dev/null | head -n 1)

# reload KO: replace the loaded module with KO; say so if it fails.
reload() {
	rmmod message_slot || { diag "rmmod failed"; return 1; }
	insmod "$1" && return 0
	diag "insmod $1 failed"
	insmod "$KO"
	return 1
}

case_installed_module_loads_by_modprobe() {
	[ -f "$STAGED_KO" ] || { diag "SKIP no staged install in this lane"; return "$SKIP"; }
	rmmod message_slot || return 1
	depmod || { diag "depmod failed"; insmod "$KO"; return 1; }
	if ! modprobe message_slot; then
		diag "modprobe failed"
		insmod "$KO"
		return 1
	fi
	diag "modules.dep: $(grep message_slot "/lib/modules/$(uname -r)/modules.dep")"
	[ -c /dev/msgslot0 ] || { diag "no /dev/msgslot0"; return 1; }
	message_sender -q 2 "modprobed" &&
	expect "round trip" "$(message_reader -q 2)" "modprobed"
}

case_installed_tool_works_under_three_names() {
	[ -x /usr/bin/msgslot ] || { diag "SKIP no staged install in this lane"; return "$SKIP"; }
	/usr/bin/msgslot send -q 1 "installed" || return 1
	expect "msgslot read" "$(/usr/bin/msgslot read -q 1)" "installed" &&
	/usr/bin/message_sender -q 1 "via the installed link" &&
	expect "message_reader" "$(/usr/bin/message_reader -q 1)" \
		"via the installed link" &&
	expect "--version" "$(/usr/bin/msgslot --version)" "$(msgslot --version)"
}

case_udev_rule_sets_group_and_mode() {
	if [ ! -x /lib/systemd/systemd-udevd ] ||
	   [ ! -f /usr/lib/udev/rules.d/60-msgslot.rules ]; then
		diag "SKIP no udevd or no staged rule in this lane"
		return "$SKIP"
	fi
	# What make install does on a real machine: groupadd --system msgslot.
	grep -q '^msgslot:' /etc/group 2>/dev/null || echo 'msgslot:x:990:' >> /etc/group
	stat -c '/dev/msgslot0 before udev: %G %a' /dev/msgslot0
	mkdir -p /run/udev
	SYSTEMD_LOG_TARGET=console /lib/systemd/systemd-udevd --daemon \
		> /tmp/udevd.log 2>&1
	# Every kernel tested has what udevd needs (debug.config adds it).
	if ! udevadm control --ping 2> /dev/null; then
		diag "systemd-udevd does not run:" \
			"$(grep -v '^Starting' /tmp/udevd.log | tail -n 1)"
		return 1
	fi
	udevadm trigger --action=add --subsystem-match=message_slot
	udevadm settle --timeout=60
	got=$(stat -c '%G %a' /dev/msgslot0)
	udevadm control --exit
	expect "/dev/msgslot0 after udev" "$got" "msgslot 660"
}

case_dkms_built_module_loads() {
	[ -f /lib/dkms/message_slot.ko ] || { diag "SKIP no DKMS build in this lane"; return "$SKIP"; }
	reload /lib/dkms/message_slot.ko || return 1
	version=$(cat /sys/module/message_slot/version)
	message_sender -q 3 "built by dkms" &&
	expect "round trip" "$(message_reader -q 3)" "built by dkms" &&
	expect "version" "msgslot $version" "$(msgslot --version)" &&
	reload "$KO"
}
