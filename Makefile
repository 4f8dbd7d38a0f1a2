# SPDX-License-Identifier: GPL-2.0-only
#
# make              the tool (msgslot, message_sender, message_reader) and
#                   the module for the running kernel (KDIR=... for another)
# make demo         the assignment's flow in a QEMU guest, as a transcript
# make check        every test: host tests, then the guest suite in QEMU
# make shell        a guest shell with the module loaded (needs a terminal)
# make bench        the benchmark against the kernel's own IPC, in the guest
# make check-debug  the guest suite on a KASAN/lockdep/kmemleak kernel
# make check-race   the guest suite on a KCSAN (data race detector) kernel
# make check-i386   the guest suite on Debian 12's 32-bit kernel
# make check-kernels  the guest suite on every kernel lane (host/lane)
#
# demo, check and shell install what they need first (host/deps) and boot
# Debian 12's kernel; KERNEL=LANE boots another (see host/lane).

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
	check-race check-i386 check-kernels guest-demo guest-check guest-shell guest-bench
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
# KERNEL names the lane, the kernel the guest boots (see host/lane):
# stable, Debian 12's own, by default.  The guest targets run in a second
# make, once host/deps has installed what they need and host/lane has
# made the lane's kernel ready and said where it is.

KERNEL ?= stable

deps:
	host/deps

demo check shell bench: deps
	@lane=$$(host/lane $(KERNEL)) && \
		$(MAKE) --no-print-directory guest-$@ $$lane

# The guest suite on the debug kernel (KASAN, lockdep, kmemleak, failslab).
check-debug:
	@$(MAKE) --no-print-directory check KERNEL=debug

# The guest suite on the race kernel (KCSAN, lockdep): a data race fails it.
check-race:
	@$(MAKE) --no-print-directory check KERNEL=race

# The guest suite on Debian 12's 32-bit kernel, with 32-bit programs.
check-i386:
	@$(MAKE) --no-print-directory check KERNEL=i386

# The guest suite on every kernel lane (or those in LANES), a line each.
check-kernels: deps
	tests/check-kernels $(LANES)

ifneq ($(GUEST_KERNEL),)
GUEST_DIR := $(BUILD)/guest/$(GUEST_NAME)
GUEST_INITRAMFS := $(GUEST_DIR)/initramfs.gz
STATIC := $(BUILD)/static
GUEST_CC := $(CC)
ifeq ($(GUEST_ARCH),i386)
# A 32-bit kernel runs 32-bit programs only, and the root's busybox.
STATIC := $(BUILD)/static-i386
GUEST_CC := $(CC) -m32
export GUEST_BUSYBOX := $(GUEST_ROOT)/bin/busybox
endif
# Every program of tests/guest/ and bench/ runs in the guest, statically
# linked; the tool and the device cases also as 32-bit programs.
GUEST_PROGRAMS := $(basename $(notdir $(wildcard tests/programs/*.c bench/*.c)))
# The example programs of message_slot(4), as printed there, run too.
MAN_EXAMPLES := $(shell sed -n 's/^\.\\" SRC BEGIN (\(.*\)\.c)$$/\1/p' \
	man/message_slot.4)
GUEST_BINARIES := $(STATIC)/msgslot $(STATIC)/msgslot32 $(STATIC)/slot_test32 \
	$(STATIC)/poll_test32 $(addprefix $(STATIC)/,$(MAN_EXAMPLES)) \
	$(addprefix $(STATIC)/,$(GUEST_PROGRAMS))
export GUEST_APPEND GUEST_QEMU GUEST_CPU

$(STATIC)/msgslot: msgslot.c module/message_slot.h VERSION
	@mkdir -p $(@D)
	$(GUEST_CC) -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) -o $@ msgslot.c

$(STATIC)/msgslot32: msgslot.c module/message_slot.h VERSION
	@mkdir -p $(@D)
	$(CC) -m32 -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) -o $@ msgslot.c

$(STATIC)/slot_test32: tests/programs/slot_test.c tests/programs/guest.h \
		module/message_slot.h
	@mkdir -p $(@D)
	$(CC) -m32 -static -Imodule $(CFLAGS) $(WARNINGS) -o $@ $<

$(STATIC)/poll_test32: tests/programs/poll_test.c tests/programs/guest.h \
		tests/lib/harness.h module/message_slot.h
	@mkdir -p $(@D)
	$(CC) -m32 -static -pthread -Imodule -Itests/lib $(CFLAGS) $(WARNINGS) \
		-o $@ $<

$(STATIC)/%: tests/programs/%.c tests/programs/guest.h tests/lib/harness.h \
		module/message_slot.h
	@mkdir -p $(@D)
	$(GUEST_CC) -static -pthread -Imodule -Itests/lib $(CFLAGS) $(WARNINGS) \
		-o $@ $<

$(BUILD)/examples/%.c: man/message_slot.4 host/man-examples
	host/man-examples man/message_slot.4 $(@D) > /dev/null

$(STATIC)/%: $(BUILD)/examples/%.c module/message_slot.h
	@mkdir -p $(@D)
	$(GUEST_CC) -static -Imodule $(CFLAGS) $(WARNINGS) -o $@ $<

$(STATIC)/%: bench/%.c module/message_slot.h
	@mkdir -p $(@D)
	$(GUEST_CC) -static -pthread -Imodule $(CFLAGS) $(WARNINGS) -o $@ $<

# Each also depends on the kernel: a rebuilt debug kernel keeps its name.
$(GUEST_DIR)/message_slot.ko: $(MODULE_SOURCES) VERSION host/build-module \
		$(GUEST_KERNEL)
	@mkdir -p $(@D)
	host/build-module $@ $(GUEST_KDIR) $(GUEST_ROOT)

# Where the module builds on the host, the guest also gets what make install
# puts in a stage, and the module as DKMS builds it, for the install cases.
ifeq ($(GUEST_ROOT),)
GUEST_INSTALL := $(GUEST_DIR)/stage.stamp $(GUEST_DIR)/dkms.ko
INITRAMFS_FLAGS := -s $(GUEST_DIR)/stage \
	-f $(GUEST_DIR)/dkms.ko:/lib/dkms/message_slot.ko

$(GUEST_DIR)/stage.stamp: tool $(MODULE_SOURCES) man/msgslot.1 \
		man/message_slot.4 completions/msgslot udev/60-msgslot.rules \
		$(GUEST_KERNEL)
	rm -rf $(GUEST_DIR)/stage
	$(MAKE) --no-print-directory install PREFIX=/usr \
		DESTDIR="$(abspath $(GUEST_DIR)/stage)" KDIR="$(GUEST_KDIR)"
	touch $@

$(GUEST_DIR)/dkms.ko: $(MODULE_SOURCES) VERSION dkms.conf host/dkms-build \
		$(GUEST_KERNEL)
	host/dkms-build $@ $(GUEST_KDIR)
endif

$(GUEST_INITRAMFS): $(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES) \
		$(GUEST_INSTALL) host/mkinitramfs guest/init guest/demo.sh \
		guest/kernel-log-errors $(wildcard tests/guest/*.sh)
	host/mkinitramfs $(INITRAMFS_FLAGS) $@ $(GUEST_DIR)/message_slot.ko \
		$(GUEST_BINARIES)

guest-demo: $(GUEST_INITRAMFS)
	host/run -t 300 -l $(GUEST_DIR)/demo.log $(GUEST_KERNEL) \
		$(GUEST_INITRAMFS) demo

guest-shell: $(GUEST_INITRAMFS)
	host/run $(GUEST_KERNEL) $(GUEST_INITRAMFS) shell

guest-bench: $(GUEST_INITRAMFS)
	bench/run $(GUEST_KERNEL) $(GUEST_INITRAMFS) $(GUEST_DIR)/bench

guest-check: $(GUEST_INITRAMFS) tool
	KDIR="$(GUEST_KDIR)" GUEST_ROOT="$(GUEST_ROOT)" tests/check \
		$(GUEST_KERNEL) $(GUEST_INITRAMFS) $(GUEST_DIR)
endif

# ---- installing -------------------------------------------------------
#
# make install      the tool and its links, man pages, bash completion, the
#                   udev rule, and the module for KDIR's kernel (skipped,
#                   with a message, when KDIR has no kernel build tree)
# make install-tool the user-space part alone
# make install-dkms the module's sources for DKMS in /usr/src, then dkms
# make uninstall    removes exactly what make install installed
# PREFIX (default /usr/local) and DESTDIR work as usual; with DESTDIR set,
# nothing outside it is run or changed (no depmod, groupadd, udevadm, dkms).
# The module is not signed: where Secure Boot wants signed modules, install
# it through DKMS, which signs with its own key.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONSDIR ?= $(or $(shell pkg-config --define-variable=datadir=$(PREFIX)/share \
	--variable=completionsdir bash-completion 2>/dev/null), \
	$(PREFIX)/share/bash-completion/completions)
UDEVRULESDIR ?= /etc/udev/rules.d
DKMS_SRCDIR ?= /usr/src/message_slot-$(VERSION)
# The release the kernel of KDIR reports, which names its module directory.
KERNELRELEASE_OF_KDIR = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	"$(KDIR)/include/generated/utsrelease.h" 2>/dev/null)
MODULE_DIR = /lib/modules/$(KERNELRELEASE_OF_KDIR)/updates

.PHONY: install install-tool install-udev install-module install-dkms \
	uninstall

install: install-tool install-udev install-module

install-tool: tool
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man4 $(DESTDIR)$(COMPLETIONSDIR)
	install -m 755 msgslot $(DESTDIR)$(BINDIR)/msgslot
	ln -sf msgslot $(DESTDIR)$(BINDIR)/message_sender
	ln -sf msgslot $(DESTDIR)$(BINDIR)/message_reader
	install -m 644 man/msgslot.1 $(DESTDIR)$(MANDIR)/man1/msgslot.1
	ln -sf msgslot.1 $(DESTDIR)$(MANDIR)/man1/message_sender.1
	ln -sf msgslot.1 $(DESTDIR)$(MANDIR)/man1/message_reader.1
	install -m 644 man/message_slot.4 $(DESTDIR)$(MANDIR)/man4/message_slot.4
	install -m 644 completions/msgslot $(DESTDIR)$(COMPLETIONSDIR)/msgslot
	ln -sf msgslot $(DESTDIR)$(COMPLETIONSDIR)/message_sender
	ln -sf msgslot $(DESTDIR)$(COMPLETIONSDIR)/message_reader

install-udev:
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 644 udev/60-msgslot.rules $(DESTDIR)$(UDEVRULESDIR)/
ifeq ($(DESTDIR),)
	getent group msgslot > /dev/null || groupadd --system msgslot
	-udevadm control --reload
else
	@echo "install: DESTDIR is set: not creating group msgslot"
endif

install-module:
ifeq ($(KERNELRELEASE_OF_KDIR),)
	@echo "install: no kernel build tree at $(KDIR): skipping the module"
else
	$(MAKE) module
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)/module" MSGSLOT_VERSION=$(VERSION) \
		INSTALL_MOD_PATH="$(DESTDIR)" INSTALL_MOD_DIR=updates \
		DEPMOD=true CONFIG_MODULE_SIG_ALL= modules_install
ifeq ($(DESTDIR),)
	depmod $(KERNELRELEASE_OF_KDIR)
else
	@echo "install: DESTDIR is set: not running depmod" \
		"(on the target: depmod $(KERNELRELEASE_OF_KDIR))"
endif
endif

install-dkms:
	install -d $(DESTDIR)$(DKMS_SRCDIR)/module
	install -m 644 dkms.conf VERSION Makefile $(DESTDIR)$(DKMS_SRCDIR)/
	install -m 644 $(MODULE_SOURCES) $(DESTDIR)$(DKMS_SRCDIR)/module/
ifeq ($(DESTDIR),)
	dkms add message_slot/$(VERSION)
	dkms install message_slot/$(VERSION)
else
	@echo "install: DESTDIR is set: not running dkms"
endif

uninstall:
	$(RM) $(DESTDIR)$(BINDIR)/msgslot $(DESTDIR)$(BINDIR)/message_sender \
		$(DESTDIR)$(BINDIR)/message_reader \
		$(DESTDIR)$(MANDIR)/man1/msgslot.1 \
		$(DESTDIR)$(MANDIR)/man1/message_sender.1 \
		$(DESTDIR)$(MANDIR)/man1/message_reader.1 \
		$(DESTDIR)$(MANDIR)/man4/message_slot.4 \
		$(DESTDIR)$(COMPLETIONSDIR)/msgslot \
		$(DESTDIR)$(COMPLETIONSDIR)/message_sender \
		$(DESTDIR)$(COMPLETIONSDIR)/message_reader \
		$(DESTDIR)$(UDEVRULESDIR)/60-msgslot.rules
ifneq ($(KERNELRELEASE_OF_KDIR),)
	$(RM) $(DESTDIR)$(MODULE_DIR)/message_slot.ko
ifeq ($(DESTDIR),)
	depmod $(KERNELRELEASE_OF_KDIR)
endif
endif

clean:
	rm -rf $(BUILD) msgslot message_sender message_reader
	$(RM) module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/Module.symvers module/modules.order
