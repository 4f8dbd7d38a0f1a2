# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel lanes: the kernels the guest can boot, one line each.  The
# Makefile includes this file; KERNEL=NAME picks a lane (stable by default).
#
#   $(call lane,NAME,READY,IMAGE,KDIR,ROOT)
#
#   READY  the command that makes the lane's kernel ready, run on every
#          make demo/check/shell/bench, so that it picks up a newer kernel
#          in the archive or a changed debug config; it prints the kernel's
#          release as its last line on standard output (host/lane-ready)
#   IMAGE  the kernel image READY leaves, which the guest boots
#          (empty: build/lanes/NAME/vmlinuz)
#   KDIR   the kernel tree the module is built against, in which $$(release)
#          is the release READY printed (empty: /lib/modules/$$(release)/build)
#   ROOT   the Debian build root that holds KDIR, in which the module is
#          built (chroot), for headers that need another compiler
#          (empty: KDIR is on the host)
# A lane may also set lane.NAME.append, more kernel command line,
# lane.NAME.cpu, QEMU's -cpu (default max), and
# lane.NAME.arch, i386 for a 32-bit guest: booted by qemu-system-i386, with
# every guest program built -m32 (default x86_64).
#
#   stable  Debian 12's own kernel, installed on the host
#   debug   KASAN, lockdep, kmemleak, UBSAN and failslab, built from Debian's
#           linux-source-6.1 with host/debug.config (make check-debug)
#   lts     the 6.12 LTS kernel of Debian 12's bookworm-backports
#   latest  the newest kernel of Debian unstable
#   rt      Debian 12's PREEMPT_RT kernel
#   race    KCSAN (every data race reported) and lockdep, built like debug
#           with host/race.config (make check-race)
#   i386    Debian 12's 32-bit kernel (686-pae) in an i386 root, booted by
#           qemu-system-i386, every guest program -m32 (make check-i386)
# All but stable leave the host's kernels, /boot and apt configuration alone:
# host/lane-root keeps each in a build root under build/lanes/NAME/.

lanes :=
define lane_fields
lanes += $1
lane.$1.ready = $2
lane.$1.image = $(or $3,build/lanes/$1/vmlinuz)
lane.$1.kdir = $(or $4,/lib/modules/$$(release)/build)
lane.$1.root = $5
endef
lane = $(eval $(call lane_fields,$(strip $1),$(strip $2),$(strip $3),$(strip \
	$4),$(strip $5)))

# NAME, READY, IMAGE, KDIR, ROOT
$(call lane,stable,host/lane-host stable,,,)
$(call lane,debug,host/debug-kernel build/debug-kernel host/guest.config host/debug.config,build/debug-kernel/bzImage,build/debug-kernel/build,)
$(call lane,race,host/debug-kernel build/race-kernel host/guest.config host/race.config,build/race-kernel/bzImage,build/race-kernel/build,)
lane.race.append = msgslot_stress_seconds=60
$(call lane,lts,host/lane-root lts bookworm linux-headers-amd64/bookworm-backports,,,build/lanes/lts/root)
$(call lane,latest,host/lane-root latest sid linux-headers-amd64,,,build/lanes/latest/root)
$(call lane,rt,host/lane-root rt bookworm linux-headers-rt-amd64,,,build/lanes/rt/root)
$(call lane,i386,host/lane-root i386 bookworm linux-headers-686-pae i386,,,build/lanes/i386/root)
lane.i386.arch = i386
# QEMU's max CPU says AMD, whose 32-bit kernels refuse SMP.
lane.i386.cpu = max,vendor=GenuineIntel

# What make check-kernels runs unless LANES names others: the
# distribution's kernels.
kernels_lanes := stable lts latest rt
