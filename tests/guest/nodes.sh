# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Cases of the guest suite, sourced by check.sh: the nodes= parameter
# makes /dev/msgslot0..N-1 at load and rmmod removes them; and the boot
# configuration the README and message_slot(4) show, read by the real
# readers: systemd-modules-load (/etc/modules-load.d), kmod's modprobe
# (/etc/modprobe.d) and systemd-udevd (the rule).  Those come from
# host/guest-tools and the installed module from a make install stage or
# the packages; where either is missing the case says SKIP.

CASES="$CASES nodes_parameter_makes_each_node nodes_limit_is_256
	boot_config_loads_module_with_nodes"

# node_is NODE MINOR: NODE is a character device of our major and MINOR.
node_is() {
	[ -c "$1" ] || { diag "$1 is missing"; return 1; }
	# shellcheck disable=SC2046 # two words: major and minor in hex
	set -- "$1" "$2" $(stat -c '%t %T' "$1")
	if [ "$((0x$3))" != "$(major_of_module)" ] || [ "$((0x$4))" != "$2" ]; then
		diag "$1 is $((0x$3)):$((0x$4)), not $(major_of_module):$2"
		return 1
	fi
}

# msgslot_nodes: the names of /dev/msgslot*, one a line.
msgslot_nodes() {
	find /dev -maxdepth 1 -name 'msgslot*' | sort
}

case_nodes_parameter_makes_each_node() {
	rmmod message_slot || return 1
	insmod "$KO" nodes=4 || { diag "insmod nodes=4 failed"; insmod "$KO"; return 1; }
	for minor in 0 1 2 3; do
		node_is "/dev/msgslot$minor" "$minor" || return 1
		message_sender -q -d "/dev/msgslot$minor" 1 "node $minor" || return 1
	done
	[ ! -e /dev/msgslot4 ] || { diag "/dev/msgslot4 made too"; return 1; }
	for minor in 0 1 2 3; do
		expect "/dev/msgslot$minor" \
			"$(message_reader -q -d "/dev/msgslot$minor" 1)" "node $minor" ||
			return 1
	done
	rmmod message_slot || return 1
	expect "nodes left after rmmod" "$(msgslot_nodes)" ""
	insmod "$KO" || return 1
	expect "nodes of the default load" "$(msgslot_nodes)" /dev/msgslot0
}

case_nodes_limit_is_256() {
	rmmod message_slot || return 1
	insmod "$KO" nodes=256 || { diag "nodes=256 refused"; insmod "$KO"; return 1; }
	node_is /dev/msgslot255 255 || return 1
	expect "nodes made" "$(msgslot_nodes | wc -l)" 256 || return 1
	rmmod message_slot || return 1
	dmesg -c > /dev/null
	if insmod "$KO" nodes=257 2> /tmp/insmod.err; then
		diag "nodes=257 accepted"
		return 1
	fi
	diag "kernel said: $(dmesg | grep message_slot)"
	! module_loaded || { diag "loaded anyway"; return 1; }
	expect "nodes left" "$(msgslot_nodes)" "" || return 1
	insmod "$KO"
}

# The files the README shows, as host/man-examples took them from it.
MODULES_LOAD_CONF=/examples/modules-load.d-msgslot.conf
MODPROBE_CONF=/examples/modprobe.d-msgslot.conf

case_boot_config_loads_module_with_nodes() {
	release=$(uname -r)
	installed=$(find "/lib/modules/$release/updates" -name 'message_slot.ko*' \
		2> /dev/null | head -n 1)
	for need in "$installed" /usr/sbin/modprobe /lib/systemd/systemd-modules-load \
		/lib/systemd/systemd-udevd "$MODULES_LOAD_CONF" "$MODPROBE_CONF"; do
		[ -e "$need" ] || { diag "SKIP no ${need:-installed module} in this image"; return "$SKIP"; }
	done
	diag "installed module: $installed"
	# The image has none of the kernel's modules.* lists: depmod warns.
	/usr/sbin/depmod "$release" 2> /tmp/depmod.err ||
		{ cat /tmp/depmod.err; return 1; }
	mkdir -p /etc/modules-load.d /etc/modprobe.d
	cp "$MODULES_LOAD_CONF" /etc/modules-load.d/msgslot.conf
	cp "$MODPROBE_CONF" /etc/modprobe.d/msgslot.conf
	grep -q '^msgslot:' /etc/group 2>/dev/null || echo 'msgslot:x:990:' >> /etc/group
	nodes=$(sed -n 's/^options message_slot nodes=\([0-9]*\)$/\1/p' \
		/etc/modprobe.d/msgslot.conf)
	[ -n "$nodes" ] || { diag "no nodes= in the README's modprobe.d file"; return 1; }
	rmmod message_slot || return 1
	mkdir -p /run/udev
	/lib/systemd/systemd-udevd --daemon > /tmp/udevd.log 2>&1
	udevadm control --ping 2> /dev/null || { diag "udevd does not run"; insmod "$KO"; return 1; }
	/lib/systemd/systemd-modules-load
	status=$?
	udevadm settle --timeout=60
	rm /etc/modules-load.d/msgslot.conf /etc/modprobe.d/msgslot.conf
	if [ $status -ne 0 ] || ! module_loaded; then
		udevadm control --exit
		diag "systemd-modules-load: status $status, module not loaded"
		insmod "$KO"
		return 1
	fi
	got=$(for node in $(msgslot_nodes); do stat -c "%n %G %a" "$node"; done)
	udevadm control --exit
	want=$(i=0; while [ $i -lt "$nodes" ]; do
		echo "/dev/msgslot$i msgslot 660"; i=$((i + 1)); done | sort)
	if ! expect "nodes after boot-time load" "$got" "$want"; then
		/usr/sbin/modprobe -r message_slot
		insmod "$KO"
		return 1
	fi
	/usr/sbin/modprobe -r message_slot || { diag "modprobe -r failed"; return 1; }
	insmod "$KO"
}
