# SPDX-License-Identifier: GPL-2.0-only
#
# make              the tool (msgslot and its links, TOOL_LINKS) and
#                   the module for the running kernel (KDIR=... for another)
# make demo         the assignment's flow in a QEMU guest, as a transcript
# make check        every test: host tests, then the guest suite in QEMU
# make shell        a guest shell with the module loaded (needs a terminal)
# make bench        the benchmark against the kernel's own IPC, in the guest
#                   (BENCH_ARGS: bench's options; BENCH_BEFORE: the commit
#                   whose module it also measures, empty for none;
#                   BENCH_CPU: QEMU's -cpu, by default max without ERMS)
# make bench-program  the benchmark for this machine, as build/bench
# make check-debug  the guest suite on a KASAN/lockdep/kmemleak kernel
# make check-race   the guest suite on a KCSAN (data race detector) kernel
# make check-i386   the guest suite on Debian 12's 32-bit kernel
# make check-kernels  the guest suite on every kernel lane (host/lane.mk)
#
# demo, check and shell install what they need first (host/deps) and boot
# Debian 12's kernel; KERNEL=LANE boots another (see host/lane.mk).

VERSION := $(shell cat VERSION)
KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD := build

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings
TOOL_FLAGS := -DMSGSLOT_VERSION='"$(VERSION)"' -Iinclude
MODULE_SOURCES := module/Kbuild module/message_slot.c module/message_slot.h \
	module/compat.h
BENCH_SOURCES := $(wildcard bench/*.c)
BENCH_DEPS := $(BENCH_SOURCES) bench/bench.h module/message_slot.h \
	include/msgslot_map.h

.PHONY: all tool module clean deps demo check shell bench check-debug \
	check-race check-i386 check-kernels bench-program guest-packages
.DELETE_ON_ERROR:

all: tool module

# The links that run a command of msgslot, named as its rows in msgslot.c say.
TOOL_LINKS := message_sender message_reader message_watcher

tool: msgslot $(TOOL_LINKS)

msgslot: msgslot.c module/message_slot.h include/msgslot_map.h VERSION
	$(CC) $(CPPFLAGS) $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) $(LDFLAGS) \
		-o $@ msgslot.c

$(TOOL_LINKS): msgslot
	ln -sf msgslot $@

bench-program: $(BUILD)/bench

$(BUILD)/bench: $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) -pthread -Imodule -Iinclude $(CFLAGS) $(WARNINGS) -o $@ \
		$(BENCH_SOURCES)

module:
	@test -f "$(KDIR)/Makefile" || { echo "make: no kernel build tree at" \
		"$(KDIR): install linux-headers-$$(uname -r) or set KDIR" >&2; \
		exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)/module" MSGSLOT_VERSION=$(VERSION) \
		modules

# ---- the QEMU guest --------------------------------------------------
#
# make check, step by step: host/deps installs what is missing; the lane's
# kernel is made ready (host/lane.mk, host/lane-ready); the module is built
# for it (host/build-module) and packed with busybox, guest/, the guest
# programs and tests/guest/ into an initramfs (host/mkinitramfs); then
# tests/check runs the host suites and boots the guest (host/run, QEMU),
# whose /init (guest/init) runs tests/guest/check.sh.
#
# KERNEL names the lane, the kernel the guest boots: stable, Debian 12's
# own, by default; make check-debug is make check KERNEL=debug.

# The copy DKMS builds from (make install-dkms) has the Makefile and
# module/ alone: no guest there.
ifneq ($(wildcard host/lane.mk),)
include host/lane.mk
# make check-LANE for the lanes that have one: make check KERNEL=LANE.
KERNEL ?= $(or $(patsubst check-%,%,$(filter check-debug check-race \
	check-i386,$(MAKECMDGOALS))),stable)

LANE_DIR := $(BUILD)/lanes/$(KERNEL)
# The lane's kernel release and image, rewritten only when they change.
LANE_STAMP := $(LANE_DIR)/ready
release = $(firstword $(file <$(LANE_STAMP)))
GUEST_KERNEL := $(abspath $(lane.$(KERNEL).image))
GUEST_KDIR = $(abspath $(lane.$(KERNEL).kdir))
GUEST_ROOT := $(abspath $(lane.$(KERNEL).root))
GUEST_ARCH := $(or $(lane.$(KERNEL).arch),x86_64)
export GUEST_APPEND := $(lane.$(KERNEL).append)
export GUEST_QEMU := qemu-system-$(GUEST_ARCH)
export GUEST_CPU := $(or $(lane.$(KERNEL).cpu),max)
# A 32-bit kernel runs 32-bit programs only, and the root's busybox.
export GUEST_BUSYBOX := $(if $(filter i386,$(GUEST_ARCH)),$(GUEST_ROOT)/bin/busybox)
GUEST_DIR := $(BUILD)/guest/$(KERNEL)
GUEST_INITRAMFS := $(GUEST_DIR)/initramfs.gz

deps:
	host/deps

# READY=no boots the kernel last made ready without looking for a newer one.
$(LANE_STAMP): $(if $(filter no,$(READY)),,FORCE) | deps
	$(if $(lane.$(KERNEL).ready),,$(error KERNEL=$(KERNEL): no such lane \
		in host/lane.mk (lanes: $(lanes))))
	@host/lane-ready $@ $(GUEST_KERNEL) $(lane.$(KERNEL).ready)

.PHONY: FORCE lane
FORCE:

# The lane's kernel alone (tests/check-kernels times it).
lane: $(LANE_STAMP)

demo: deps $(GUEST_INITRAMFS)
	host/run -t 300 -l $(GUEST_DIR)/demo.log $(GUEST_KERNEL) \
		$(GUEST_INITRAMFS) demo

check check-debug check-race check-i386: deps $(GUEST_INITRAMFS) tool
	KDIR="$(GUEST_KDIR)" GUEST_ROOT="$(GUEST_ROOT)" tests/check \
		$(GUEST_KERNEL) $(GUEST_INITRAMFS) $(GUEST_DIR)

shell: deps $(GUEST_INITRAMFS)
	host/run $(GUEST_KERNEL) $(GUEST_INITRAMFS) shell


# The guest suite on every kernel lane (or those in LANES), a line each.
check-kernels: deps
	tests/check-kernels $(or $(LANES),$(kernels_lanes))

# A test program is tests/programs/NAME.c or the .c files of
# tests/programs/NAME/, linked with the test library tests/lib/; one with
# TEST32 cases also has a 32-bit build, NAME32.  Every test program and
# bench/ runs in the guest, statically linked; the tool also as 32-bit.
STATIC := $(BUILD)/static$(patsubst %,-%,$(filter-out x86_64,$(GUEST_ARCH)))
GUEST_CFLAGS := $(if $(filter i386,$(GUEST_ARCH)),-m32)
test_sources = $(wildcard tests/programs/$(1).c tests/programs/$(1)/*.c)
TEST_PROGRAMS := $(basename $(notdir $(wildcard tests/programs/*.c))) \
	$(notdir $(patsubst %/,%,$(wildcard tests/programs/*/)))
COMPAT_PROGRAMS := $(foreach p,$(TEST_PROGRAMS),$(if $(shell grep -l \
	'^TEST32' $(call test_sources,$(p))),$(p)32))
TEST_LIBRARY := $(wildcard tests/lib/*.c tests/lib/*.h) \
	include/msgslot_map.h module/message_slot.h
GUEST_PROGRAMS := $(TEST_PROGRAMS) $(COMPAT_PROGRAMS) bench
# The example programs of message_slot(4), as printed there, run too.
MAN_EXAMPLES := $(shell sed -n 's/^\.\\" SRC BEGIN (\(.*\)\.c)$$/\1/p' \
	man/message_slot.4)
# So do the README's: its C programs built like those, its shell and Python
# examples and configuration files run by tests/guest/examples.sh and
# nodes.sh from /examples; Python and the boot-time tools busybox lacks
# come from the host (host/guest-tools).
README_DIR := $(BUILD)/readme
README_EXAMPLES := $(shell sed -n 's/^<!-- SRC BEGIN (\(.*\)) -->$$/\1/p' \
	README.md)
README_PROGRAMS := $(addprefix $(STATIC)/,$(basename $(filter %.c, \
	$(README_EXAMPLES))))
README_FILES := $(addprefix $(README_DIR)/,$(filter-out %.c, \
	$(README_EXAMPLES)))
GUEST_TOOLS := $(BUILD)/guest-tools
GUEST_BINARIES := $(STATIC)/msgslot $(STATIC)/msgslot32 \
	$(addprefix $(STATIC)/,$(MAN_EXAMPLES)) \
	$(addprefix $(STATIC)/,$(GUEST_PROGRAMS)) $(README_PROGRAMS)
EXAMPLE_FLAGS := -f $(GUEST_TOOLS)/.:/ -f $(README_DIR)/names:/examples/names \
	$(foreach f,$(README_FILES),-f $(f):/examples/$(notdir $(f)))
INITRAMFS_FLAGS := $(EXAMPLE_FLAGS)

# Built with what host/deps installs (static libc, 32-bit libc).
$(GUEST_BINARIES): | deps

$(STATIC)/msgslot: msgslot.c module/message_slot.h include/msgslot_map.h VERSION
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) \
		-o $@ msgslot.c

$(STATIC)/msgslot32: msgslot.c module/message_slot.h include/msgslot_map.h \
		VERSION
	@mkdir -p $(@D)
	$(CC) -m32 -static $(TOOL_FLAGS) $(CFLAGS) $(WARNINGS) -o $@ msgslot.c

.SECONDEXPANSION:
$(addprefix $(STATIC)/,$(TEST_PROGRAMS)): $(STATIC)/%: \
		$$(call test_sources,$$*) $(TEST_LIBRARY)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static -pthread -Imodule -Iinclude -Itests/lib \
		$(CFLAGS) $(WARNINGS) -o $@ $(filter %.c,$^)

$(addprefix $(STATIC)/,$(COMPAT_PROGRAMS)): $(STATIC)/%32: \
		$$(call test_sources,$$*) $(TEST_LIBRARY)
	@mkdir -p $(@D)
	$(CC) -m32 -static -pthread -Imodule -Iinclude -Itests/lib $(CFLAGS) \
		$(WARNINGS) -o $@ $(filter %.c,$^)

# What the guest suite must find: each program's number of cases.
$(GUEST_DIR)/manifest: tests/lib/manifest $(wildcard tests/programs/*.c \
		tests/programs/*/*.c tests/guest/*.sh)
	@mkdir -p $(@D)
	tests/lib/manifest > $@

$(BUILD)/examples/%.c: man/message_slot.4 host/man-examples
	host/man-examples man/message_slot.4 $(@D) > /dev/null

# The examples include the headers where make install and the package put
# them: <linux/message_slot.h> and <msgslot_map.h>.
EXAMPLE_HEADERS := $(BUILD)/include/linux/message_slot.h \
	$(BUILD)/include/msgslot_map.h

$(STATIC)/%: $(BUILD)/examples/%.c $(EXAMPLE_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static -I$(BUILD)/include $(CFLAGS) $(WARNINGS) \
		-o $@ $<

$(BUILD)/include/linux/message_slot.h: module/message_slot.h
	@mkdir -p $(@D)
	cp $< $@

$(BUILD)/include/msgslot_map.h: include/msgslot_map.h
	@mkdir -p $(@D)
	cp $< $@

$(README_DIR)/names $(addprefix $(README_DIR)/,$(README_EXAMPLES)) &: \
		README.md host/man-examples
	host/man-examples README.md $(README_DIR) > $(README_DIR).names
	mv $(README_DIR).names $(README_DIR)/names

$(README_PROGRAMS): $(STATIC)/%: $(README_DIR)/%.c $(EXAMPLE_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static -I$(BUILD)/include $(CFLAGS) $(WARNINGS) \
		-o $@ $<

$(GUEST_TOOLS): host/guest-tools $(filter %.py,$(README_FILES))
	host/guest-tools $@ $(filter %.py,$(README_FILES))

$(STATIC)/bench: $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static -pthread -Imodule -Iinclude $(CFLAGS) \
		$(WARNINGS) -o $@ $(BENCH_SOURCES)

# Each also depends on the kernel: its stamp changes with its release, and
# with its image when a rebuilt debug kernel keeps its release.
$(GUEST_DIR)/message_slot.ko: $(MODULE_SOURCES) VERSION host/build-module \
		$(LANE_STAMP)
	@mkdir -p $(@D)
	host/build-module $@ $(GUEST_KDIR) $(GUEST_ROOT)

# Where the module builds on the host, the guest also gets what make install
# puts in a stage, and the module as DKMS builds it, for the install cases.
ifeq ($(GUEST_ROOT),)
GUEST_INSTALL := $(GUEST_DIR)/stage.stamp $(GUEST_DIR)/dkms.ko
INITRAMFS_FLAGS += -s $(GUEST_DIR)/stage \
	-f $(GUEST_DIR)/dkms.ko:/lib/dkms/message_slot.ko

# (msgslot rather than the phony tool, which would redo the stage each run)
$(GUEST_DIR)/stage.stamp: msgslot $(MODULE_SOURCES) man/msgslot.1 \
		man/message_slot.4 completions/msgslot udev/60-msgslot.rules \
		$(LANE_STAMP)
	rm -rf $(GUEST_DIR)/stage
	$(MAKE) --no-print-directory install PREFIX=/usr \
		DESTDIR="$(abspath $(GUEST_DIR)/stage)" KDIR="$(GUEST_KDIR)"
	touch $@

$(GUEST_DIR)/dkms.ko: $(MODULE_SOURCES) VERSION dkms.conf host/dkms-build \
		$(LANE_STAMP)
	host/dkms-build $@ $(GUEST_KDIR)
endif

$(GUEST_INITRAMFS): $(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES) \
		$(GUEST_INSTALL) $(GUEST_TOOLS) $(README_DIR)/names $(README_FILES) \
		host/mkinitramfs guest/init guest/demo.sh \
		guest/kernel-log-errors \
		$(wildcard tests/guest/*.sh) $(GUEST_DIR)/manifest
	host/mkinitramfs $(INITRAMFS_FLAGS) \
		-f $(GUEST_DIR)/manifest:/tests/manifest $@ \
		$(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES)

# make bench also measures the module as it was at BENCH_BEFORE (before
# poll), built by that commit's own scripts and loaded in turn in the same
# guest: its own initramfs, so make check does not build it.
BENCH_BEFORE ?= deb35ac
BENCH_INITRAMFS := $(GUEST_DIR)/bench-initramfs.gz
ifneq ($(filter bench,$(MAKECMDGOALS)),)
ifeq ($(shell git cat-file -e '$(BENCH_BEFORE)^{commit}' 2>/dev/null && echo y),)
$(warning commit '$(BENCH_BEFORE)' is not in this clone: measuring this \
	module alone (BENCH_BEFORE= asks for that))
override BENCH_BEFORE :=
endif
endif
ifneq ($(BENCH_BEFORE),)
BENCH_BEFORE_KO := $(GUEST_DIR)/before-$(BENCH_BEFORE)/message_slot.ko
BENCH_FLAGS := -f $(BENCH_BEFORE_KO):/lib/message_slot-before.ko

$(BENCH_BEFORE_KO): $(LANE_STAMP)
	rm -rf $(@D) && mkdir -p $(@D)/src
	git archive $(BENCH_BEFORE) module host VERSION | tar -x -C $(@D)/src
	$(@D)/src/host/build-module $@ $(GUEST_KDIR) $(GUEST_ROOT)
endif

$(BENCH_INITRAMFS): $(GUEST_INITRAMFS) $(BENCH_BEFORE_KO)
	host/mkinitramfs $(INITRAMFS_FLAGS) $(BENCH_FLAGS) $@ \
		$(GUEST_DIR)/message_slot.ko $(GUEST_BINARIES)

# BENCH_ARGS reach guest/init as one word: msgslot_bench_args=-r+3+-m+20.
space := $(subst x, ,x)
BENCH_APPEND := msgslot_bench_args=$(subst $(space),+,$(strip $(BENCH_ARGS)))

# The benchmark's guest CPU has no ERMS (fast "rep movsb"): with it the
# kernel copies user data with rep movsb, which QEMU's TCG emulates one
# iteration per byte, while /dev/zero, the floor's read, clears with rep
# stosq, 8 bytes an iteration.  A 128-byte copy_to_user() then costs 8 times
# what it does beside the rest of a system call on hardware, where rep movsb
# of 128 bytes is as quick as rep movsq, and the round trips measure the
# emulator's string loop.  Without ERMS the kernel copies with rep movsq.
BENCH_CPU ?= $(GUEST_CPU),-erms

# (after the variables above: a prerequisite list is expanded as read)
bench: deps $(BENCH_INITRAMFS)
	GUEST_CPU="$(BENCH_CPU)" \
		GUEST_APPEND="$(GUEST_APPEND) $(BENCH_APPEND)" bench/run \
		$(GUEST_KERNEL) $(BENCH_INITRAMFS) $(GUEST_DIR)/bench

# tests/check-packages: the guest suite on what the packages installed in a
# Debian root: the module DKMS built there (PACKAGES_MODULE) and the files
# of package msgslot (the tree PACKAGES_STAGE), its tool as /bin/msgslot.
PACKAGES_BINARIES := $(filter-out $(STATIC)/msgslot,$(GUEST_BINARIES))
guest-packages: $(LANE_STAMP) $(PACKAGES_BINARIES) $(GUEST_TOOLS) \
		$(README_DIR)/names \
		$(README_FILES) host/mkinitramfs guest/init \
		$(wildcard tests/guest/*.sh) $(GUEST_DIR)/manifest
	host/mkinitramfs $(EXAMPLE_FLAGS) -s $(PACKAGES_STAGE) \
		-f $(GUEST_DIR)/manifest:/tests/manifest \
		$(PACKAGES_STAGE).initramfs.gz $(PACKAGES_MODULE) \
		$(PACKAGES_STAGE)/usr/bin/msgslot $(PACKAGES_BINARIES)
	host/run -l $(PACKAGES_STAGE).console.log $(GUEST_KERNEL) \
		$(PACKAGES_STAGE).initramfs.gz check
endif

# ---- installing -------------------------------------------------------
#
# make install      the tool and its links, man pages, bash completion, the
#                   udev rule, the header, and the module for KDIR's kernel
#                   (skipped, with a message, when KDIR has no build tree)
# make install-tool the user-space part alone
# make install-dkms the module's sources for DKMS in /usr/src, then dkms
# make uninstall    removes exactly what make install installed
# make uninstall-dkms  removes what make install-dkms did, every kernel's
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
INCLUDEDIR ?= $(PREFIX)/include
# udev reads /usr/lib/udev/rules.d, which is the distribution's, and
# /etc/udev/rules.d, which is the local administrator's: nothing under
# /usr/local.
UDEVRULESDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev/rules.d,/etc/udev/rules.d)
DKMS_SRCDIR ?= /usr/src/message_slot-$(VERSION)
# The release the kernel of KDIR reports, which names its module directory.
KERNELRELEASE_OF_KDIR = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	"$(KDIR)/include/generated/utsrelease.h" 2>/dev/null)
MODULE_DIR = /lib/modules/$(KERNELRELEASE_OF_KDIR)/updates

.PHONY: install install-tool install-udev install-header install-module \
	install-dkms uninstall uninstall-dkms

install: install-tool install-udev install-header install-module

install-tool: tool
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man4 $(DESTDIR)$(COMPLETIONSDIR)
	install -m 755 msgslot $(DESTDIR)$(BINDIR)/msgslot
	for link in $(TOOL_LINKS); do \
		ln -sf msgslot $(DESTDIR)$(BINDIR)/$$link && \
		ln -sf msgslot.1 $(DESTDIR)$(MANDIR)/man1/$$link.1 && \
		ln -sf msgslot $(DESTDIR)$(COMPLETIONSDIR)/$$link || exit 1; \
	done
	install -m 644 man/msgslot.1 $(DESTDIR)$(MANDIR)/man1/msgslot.1
	install -m 644 man/message_slot.4 $(DESTDIR)$(MANDIR)/man4/message_slot.4
	install -m 644 completions/msgslot $(DESTDIR)$(COMPLETIONSDIR)/msgslot

install-udev:
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 644 udev/60-msgslot.rules $(DESTDIR)$(UDEVRULESDIR)/
ifeq ($(DESTDIR),)
	getent group msgslot > /dev/null || groupadd --system msgslot
	-udevadm control --reload
else
	@echo "install: DESTDIR is set: not creating group msgslot"
endif

# The uapi header, and the reader of a mapped slot that includes it.
install-header:
	install -d $(DESTDIR)$(INCLUDEDIR)/linux
	install -m 644 module/message_slot.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/message_slot.h
	install -m 644 include/msgslot_map.h $(DESTDIR)$(INCLUDEDIR)/

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

# Modules are removed in whatever compression the kernel's
# modules_install gave them.  The group stays: files or nodes made since may
# belong to it, and a later group could take its number if it went.
uninstall:
	$(RM) $(DESTDIR)$(BINDIR)/msgslot \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(TOOL_LINKS)) \
		$(DESTDIR)$(MANDIR)/man1/msgslot.1 \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(TOOL_LINKS:=.1)) \
		$(DESTDIR)$(MANDIR)/man4/message_slot.4 \
		$(DESTDIR)$(COMPLETIONSDIR)/msgslot \
		$(addprefix $(DESTDIR)$(COMPLETIONSDIR)/,$(TOOL_LINKS)) \
		$(DESTDIR)$(UDEVRULESDIR)/60-msgslot.rules \
		$(DESTDIR)$(INCLUDEDIR)/linux/message_slot.h \
		$(DESTDIR)$(INCLUDEDIR)/msgslot_map.h
ifneq ($(KERNELRELEASE_OF_KDIR),)
	$(RM) $(foreach ext,ko ko.xz ko.zst ko.gz, \
		$(DESTDIR)$(MODULE_DIR)/message_slot.$(ext))
ifeq ($(DESTDIR),)
	depmod $(KERNELRELEASE_OF_KDIR)
endif
endif
	@echo "uninstall: group msgslot is left: files and nodes may still" \
		"belong to it (groupdel msgslot removes it)"

uninstall-dkms:
ifeq ($(DESTDIR),)
	if dkms status message_slot/$(VERSION) | grep -q .; then \
		dkms remove --all message_slot/$(VERSION); fi
endif
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)

# ---- Debian packages --------------------------------------------------
#
# make deb            msgslot and message-slot-dkms, built by
#                     dpkg-buildpackage from debian/, lintian clean, in
#                     build/deb/
# make check-packages build them in a clean Debian 12 root, install them
#                     with apt in another with the stable lane's kernel
#                     headers, boot the guest on what DKMS built there, and
#                     purge them (tests/check-packages)

.PHONY: deb check-packages

deb:
	host/deps debhelper dh-dkms lintian
	host/deb $(BUILD)/deb

check-packages: deps
	tests/check-packages

clean:
	rm -rf $(BUILD) msgslot $(TOOL_LINKS)
	$(RM) module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/Module.symvers module/modules.order
