# SPDX-License-Identifier: GPL-2.0-only
#
# make              the tool (msgslot, message_sender, message_reader) and
#                   the module for the running kernel (KDIR=... for another)
# make demo         the assignment's flow in a QEMU guest, as a transcript
# make check        every test: host tests, then the guest suite in QEMU
# make shell        a guest shell with the module loaded (needs a terminal)
# make bench        the benchmark against the kernel's own IPC, in the guest
# make check-debug  the guest suite on a KASAN/lockdep/kmemleak kernel
# make check-kernels  the guest suite on every kernel lane (guest/lane)
#
# demo, check and shell install what they need first (guest/deps) and boot
# Debian 12's kernel; KERNEL=LANE boots another (see guest/lane).

VERSION := $(shell cat VERSION)
KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD := build

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings
TOOL_FLAGS := -DMSGSLOT_VERSION='"$(VERSION)"'
MODULE_SOURCES := module/Kbuild module/message_slot.c module/message_slot.h \
	module/compat.h

.PHONY: all tool module clean deps demo check shell bench check-debug \
	check-kernels guest-demo guest-check guest-shell guest-bench
.DELETE_ON_ERROR:

all: tool module

tool: msgslot message_sender message_reader

msgslot: msgslot.c module/message_slot.h VERSION
	$(CC) $(CPPFLAGS) $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) $(LDFLAGS) \
		-o $@ msgslot.c

message_sender message_reader: msgslot
	ln -sf msgslot $@

module:
	@test -f "$(KDIR)/Makefile" || { echo "make: no kernel build tree at" \
		"$(KDIR): install linux-headers-$$(uname -r) or set KDIR" >&2; \
		exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)/module" MSGSLOT_VERSION=$(VERSION) \
		modules

# ---- the QEMU guest --------------------------------------------------
#
# KERNEL names the lane, the kernel the guest boots (see guest/lane):
# stable, Debian 12's own, by default.  The guest targets run in a second
# make, once guest/deps has installed what they need and guest/lane has
# made the lane's kernel ready and said where it is.

KERNEL ?= stable

deps:
	guest/deps

demo check shell bench: deps
	@lane=$$(guest/lane $(KERNEL)) && \
		$(MAKE) --no-print-directory guest-$@ $$lane

# The guest suite on the debug kernel (KASAN, lockdep, kmemleak, failslab).
check-debug:
	@$(MAKE) --no-print-directory check KERNEL=debug

# The guest suite on every kernel lane, one summary line each.
check-kernels: deps
	tests/check-kernels

ifneq ($(GUEST_KERNEL),)
GUEST_DIR := $(BUILD)/guest/$(GUEST_NAME)
GUEST_INITRAMFS := $(GUEST_DIR)/initramfs.gz
STATIC := $(BUILD)/static
# Every program of tests/guest/ and bench/ runs in the guest, statically
# linked; the tool and the device cases also as 32-bit programs.
GUEST_PROGRAMS := $(basename $(notdir $(wildcard tests/guest/*.c bench/*.c)))
GUEST_BINARIES := $(STATIC)/msgslot $(STATIC)/msgslot32 $(STATIC)/slot_test32 \
	$(addprefix $(STATIC)/,$(GUEST_PROGRAMS))
export GUEST_APPEND
vpath %.c tests/guest bench

$(STATIC)/msgslot: msgslot.c module/message_slot.h VERSION
	@mkdir -p $(@D)
	$(CC) -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) -o $@ msgslot.c

$(STATIC)/msgslot32: msgslot.c module/message_slot.h VERSION
	@mkdir -p $(@D)
	$(CC) -m32 -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) -o $@ msgslot.c

$(STATIC)/slot_test32: tests/guest/slot_test.c module/message_slot.h
	@mkdir -p $(@D)
	$(CC) -m32 -static -Imodule $(CFLAGS) $(WARNINGS) -o $@ $<

$(STATIC)/%: %.c module/message_slot.h
	@mkdir -p $(@D)
	$(CC) -static -pthread -Imodule $(CFLAGS) $(WARNINGS) -o $@ $<

$(GUEST_DIR)/message_slot.ko: $(MODULE_SOURCES) VERSION guest/build-module
	@mkdir -p $(@D)
	guest/build-module $@ $(GUEST_KDIR) $(GUEST_ROOT)

$(GUEST_INITRAMFS): $(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES) \
		guest/mkinitramfs guest/init guest/demo.sh \
		guest/kernel-log-errors $(wildcard tests/guest/*.sh)
	guest/mkinitramfs $@ $(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES)

guest-demo: $(GUEST_INITRAMFS)
	guest/run -t 300 -l $(GUEST_DIR)/demo.log $(GUEST_KERNEL) \
		$(GUEST_INITRAMFS) demo

guest-shell: $(GUEST_INITRAMFS)
	guest/run $(GUEST_KERNEL) $(GUEST_INITRAMFS) shell

guest-bench: $(GUEST_INITRAMFS)
	bench/run $(GUEST_KERNEL) $(GUEST_INITRAMFS) $(GUEST_DIR)/bench

guest-check: $(GUEST_INITRAMFS) tool
	KDIR="$(GUEST_KDIR)" GUEST_ROOT="$(GUEST_ROOT)" tests/check \
		$(GUEST_KERNEL) $(GUEST_INITRAMFS) $(GUEST_DIR)
endif

clean:
	rm -rf $(BUILD) msgslot message_sender message_reader
	$(RM) module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/Module.symvers module/modules.order
