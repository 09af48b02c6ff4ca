# SPDX-License-Identifier: GPL-2.0
#
# pci-stub-pf: the kernel module (driver/), sriovctl (tools/), udev rules
# (udev/) and their tests.
#
#   make                 build driver/pci-stub-pf.ko (for KDIR) and tools/sriovctl
#   make check           install test dependencies, run every check and test
#   make install         sriovctl, udev rules, unit, man pages (DESTDIR, PREFIX)
#   make dkms-install    build and install the module through DKMS
#   make demo            the whole flow on an emulated SR-IOV device in a VM
#   make bench           benchmarks, in the VM
#   make bench-profile   where provisioning's time goes (strace, callgrind)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
DESTDIR ?=
# Kernel for the VM tests: a version prefix (6.1, 6.12), by default
# Debian 12's own kernel series (linux-image-amd64).  KERNEL_ROOT names a
# directory with a kernel unpacked or built for the VM only (boot/ and
# lib/modules/, see tests/vm/README.md); tests/vm/run reads it from the
# environment.
KERNEL ?= 6.1
export KERNEL_ROOT

VM_RUN := tests/vm/run $(if $(KERNEL),--kernel $(KERNEL))

.PHONY: all module module-clean tool clean deps check check-static check-kernels check-tool check-packaging check-vm \
	check-vm-driver check-vm-dkms check-vm-udev check-faults check-vm-lane-a check-vm-lane-b \
	check-debug-kernel \
	install uninstall dkms-install dkms-remove demo bench bench-profile

all: module tool

module:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "make: no kernel build tree at $(KDIR); install linux-headers-$(KVER) or pass KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver modules

tool:
	$(MAKE) -C tools

module-clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/driver clean; fi

clean: module-clean
	$(MAKE) -C tools clean
	rm -rf build

# Where udev and systemd look on this system (Debian 12: /lib/udev and
# /lib/systemd/system); pkg-config may be absent on a minimal machine.
UDEVDIR ?= $(or $(shell pkg-config --variable=udevdir udev 2>/dev/null),/lib/udev)
SYSTEMDUNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
INSTALL ?= install

# sriovctl, its man pages, completion and examples (tools/), the udev
# rules and the boot-time unit.  udev and systemd are told only when they
# run here and the files land in the live system (no DESTDIR).
install: tool
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(INSTALL) -D -m 0644 udev/70-sriovctl.rules $(DESTDIR)$(UDEVDIR)/rules.d/70-sriovctl.rules
	$(INSTALL) -D -m 0644 systemd/sriovctl.service $(DESTDIR)$(SYSTEMDUNITDIR)/sriovctl.service
	@if [ -z "$(DESTDIR)" ] && udevadm control --ping >/dev/null 2>&1; then \
		echo "udevadm control --reload"; udevadm control --reload; fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		echo "systemctl daemon-reload"; systemctl daemon-reload; fi

uninstall:
	$(MAKE) -C tools uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	rm -f $(DESTDIR)$(UDEVDIR)/rules.d/70-sriovctl.rules
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/sriovctl.service
	@if [ -z "$(DESTDIR)" ] && udevadm control --ping >/dev/null 2>&1; then \
		udevadm control --reload; fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload; fi

# DKMS builds from a copy in /usr/src holding only what the module needs.
VERSION := $(shell cat VERSION)
DKMS_SRC := $(DESTDIR)/usr/src/pci-stub-pf-$(VERSION)
DKMS_FILES := dkms.conf VERSION LICENSE Makefile driver/Kbuild \
	driver/pci-stub-pf.c driver/pci-stub-pf-compat.h driver/conftest.sh

dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/driver
	for f in $(DKMS_FILES); do install -m 0644 $$f $(DKMS_SRC)/$$f; done
	chmod 0755 $(DKMS_SRC)/driver/conftest.sh
	dkms add -m pci-stub-pf -v $(VERSION)
	dkms install -m pci-stub-pf -v $(VERSION) $(if $(filter-out $(shell uname -r),$(KVER)),-k $(KVER))

dkms-remove:
	-dkms remove -m pci-stub-pf -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

deps:
	scripts/deps.sh

# Everything, in order of speed: static checks, the tool on fake sysfs,
# packaging, then the VM suites against the real kernel.
check: deps check-static check-tool check-packaging check-vm

check-static:
	scripts/check-static.sh

# W=1 + sparse builds against 5.10, 6.1, 6.12, 7.2, 7.3-rc and a kernel
# without CONFIG_PCI_IOV (downloads ~340 MB into ~/.cache/pci-stub-pf once).
check-kernels:
	scripts/check-kernels.sh

# Fake-sysfs tests, plain and under ASan/UBSan, the man pages (lint) and
# bash completion, then 30 s of libFuzzer on each parser (make -C tools
# fuzz for long runs).
check-tool:
	$(MAKE) -C tools check check-docs fuzz-short

check-packaging: tool
	bats tests/packaging

# One VM boot per suite that needs its own setup: the driver and
# sriovctl's flows; DKMS (it replaces the module); udev with systemd-udevd
# running; faults injected from the host.  The four boots run in two
# lanes side by side (VM_JOBS=1: one VM at a time), balanced on times
# measured one VM at a time on an idle 2-core host (2026-12-04: udev
# 758 s before its manual-VF test went to 32 VFs, DKMS 174 s, driver
# 307 s, faults 430 s).  Emulation is CPU-bound, so two lanes
# gain only what one VM spends sleeping (hotplug, the kernel's ssleep(1)
# per SR-IOV disable).  Each lane's output is printed when the lane ends.
VM_JOBS ?= 2
check-vm:
	$(MAKE) -k -j$(VM_JOBS) --output-sync=target check-vm-lane-a check-vm-lane-b

check-vm-lane-a:
	$(MAKE) check-vm-udev
	$(MAKE) check-vm-dkms

check-vm-lane-b:
	$(MAKE) check-vm-driver
	$(MAKE) check-faults

check-vm-driver:
	$(VM_RUN) --timeout 2700 tests/driver tests/tool-vm

check-vm-dkms:
	$(VM_RUN) --timeout 2700 tests/dkms

check-vm-udev:
	$(VM_RUN) --udev --timeout 2700 tests/udev

# The kernel sleeps 1 s in every SR-IOV disable: 200 enable/disable
# cycles alone take minutes under emulation, so check runs 50 of them
# (make check-faults FAULTS_ENABLE_CYCLES=200 for the full count).
FAULTS_ENABLE_CYCLES ?= 50
check-faults:
	FAULTS_ENABLE_CYCLES=$(FAULTS_ENABLE_CYCLES) $(VM_RUN) --timeout 2700 tests/faults

# The driver and fault suites under a kernel built with KASAN, lockdep,
# kmemleak and DEBUG_ATOMIC_SLEEP (built once into ~/.cache/pci-stub-pf,
# an hour or two on 2 cores; too slow for check).
check-debug-kernel: deps
	scripts/check-debug-kernel.sh

# Benchmarks in the VM and on fake sysfs; never part of check.
bench: deps
	bench/run

# Not a benchmark: the profile that explains the provisioning figures.
bench-profile: deps
	BENCH_ONLY=profile bench/run

# The operator's flow as a transcript: DKMS, sriovctl, udev at boot.
demo: deps
	$(VM_RUN) --udev --pfs 8,4 --timeout 600 --script demo/guest.sh
