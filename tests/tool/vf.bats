#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl assign, release: handing VFs to drivers and back, in
# driverctl's order, every step checked.

load helpers/common

P=/sys/bus/pci/devices

@test "assign -n of an unbound VF: override, then drivers_probe" {
	std_tree
	tree_snapshot
	run_sriovctl -n assign 01:00.2 vfio-pci
	expect_no_stderr
	expect_stdout "write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
	expect_tree_unchanged
}

@test "assign of a bound VF: unbind, override, drivers_probe, in that order" {
	std_tree
	fake bind 0000:01:00.2 nvme
	run_sriovctl -n assign 01:00.2 vfio-pci
	expect_stdout "write $P/0000:01:00.2/driver/unbind '0000:01:00.2'
write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
}

@test "assign binds the VF and checks the driver link" {
	std_tree
	fake bind 0000:01:00.2 nvme
	with_kernel assign 01:00.2 vfio-pci
	expect_no_stderr
	expect_stdout "assign 0000:01:00.2: 0000:01:00.2 is bound to 'vfio-pci'"
	expect_file "$SYS/bus/pci/drivers/nvme/unbind" 0000:01:00.2
	expect_file "$(dev 0000:01:00.2)/driver_override" vfio-pci
	expect_file "$SYS/bus/pci/drivers_probe" 0000:01:00.2
	[ "$(readlink "$(dev 0000:01:00.2)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
	run_sriovctl show 01:00.2
	expect_stdout "0000:01:00.2 1b36:0010 pf 0000:01:00.0 vf 1 driver vfio-pci override vfio-pci"
}

@test "assign fails with exit 1 when the driver does not take the VF" {
	std_tree
	fake bind 0000:01:00.2 nvme
	# no kernel behind the tree: the old driver's link stays
	run_sriovctl 1 assign 01:00.2 vfio-pci
	expect_no_stdout
	expect_stderr "sriovctl: assign 0000:01:00.2: driver 'vfio-pci' did not take 0000:01:00.2: it is bound to 'nvme'; see the kernel log"
	run_sriovctl 1 assign 01:00.3 vfio-pci
	expect_stderr "sriovctl: assign 0000:01:00.3: driver 'vfio-pci' did not take 0000:01:00.3: it is bound to no driver; see the kernel log"
}

@test "assign of a VF already on the driver with its override writes nothing" {
	std_tree
	fake bind 0000:01:00.2 vfio-pci
	fake override 0000:01:00.2 vfio-pci
	tree_snapshot
	run_sriovctl assign 01:00.2 vfio-pci
	expect_stdout "assign 0000:01:00.2: 0000:01:00.2 is already bound to 'vfio-pci'"
	expect_tree_unchanged
}

@test "assign of a VF on the driver without override only sets the override" {
	std_tree
	fake bind 0000:01:00.2 vfio-pci
	run_sriovctl -n assign 01:00.2 vfio-pci
	expect_stdout "write $P/0000:01:00.2/driver_override 'vfio-pci'"
	run_sriovctl assign 01:00.2 vfio-pci
	expect_stdout "assign 0000:01:00.2: 0000:01:00.2 is bound to 'vfio-pci'"
}

@test "assign of a PF hands each of its VFs to the driver" {
	std_tree
	with_kernel assign 01:00.0 vfio-pci
	expect_no_stderr
	expect_stdout "assign 0000:01:00.0: 0000:01:00.1 is bound to 'vfio-pci'
assign 0000:01:00.0: 0000:01:00.2 is bound to 'vfio-pci'
assign 0000:01:00.0: 0000:01:00.3 is bound to 'vfio-pci'
assign 0000:01:00.0: 0000:01:00.4 is bound to 'vfio-pci'"
	for vf in 1 2 3 4; do
		[ "$(readlink "$(dev 0000:01:00.$vf)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
	done
	[ "$(readlink "$(dev 0000:01:00.0)/driver")" = ../../../bus/pci/drivers/pci-stub-pf ]
}

@test "assign of a PF goes on after a VF fails, and exits 1" {
	std_tree
	rm "$(dev 0000:01:00.2)/driver_override"
	with_kernel 1 assign 01:00.0 vfio-pci
	expect_stderr "sriovctl: assign 0000:01:00.0: /sys/bus/pci/devices/0000:01:00.2/driver_override does not exist: the kernel cannot hand this device to a driver of choice"
	for vf in 1 3 4; do
		[ "$(readlink "$(dev 0000:01:00.$vf)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
	done
	[ ! -e "$(dev 0000:01:00.2)/driver" ]
}

@test "assign of a PF without VFs fails with exit 1" {
	std_tree
	tree_snapshot
	run_sriovctl 1 assign 02:00.0 vfio-pci
	expect_stderr "sriovctl: assign 0000:02:00.0: 0000:02:00.0 has no VFs; run 'sriovctl enable 0000:02:00.0 N' first"
	expect_tree_unchanged
}

@test "assign refuses a device that is neither PF nor VF, and a missing one" {
	std_tree
	tree_snapshot
	run_sriovctl 1 assign 00:1f.2 vfio-pci
	expect_stderr "sriovctl: assign 0000:00:1f.2: 0000:00:1f.2 is neither an SR-IOV PF nor a VF"
	run_sriovctl 1 assign 0000:09:00.1 vfio-pci
	expect_stderr "sriovctl: assign 0000:09:00.1: no device 0000:09:00.1 (/sys/bus/pci/devices/0000:09:00.1 does not exist)"
	expect_tree_unchanged
}

@test "assign to a driver that is not loaded runs modprobe first" {
	std_tree
	cat >"$BATS_TEST_TMPDIR/modprobe" <<-EOF2
	#!/bin/sh
	echo "\$@" >>"$BATS_TEST_TMPDIR/modprobe.log"
	mkdir -p "$SYS/bus/pci/drivers/\$1"
	EOF2
	chmod +x "$BATS_TEST_TMPDIR/modprobe"
	SRIOVCTL_MODPROBE=$BATS_TEST_TMPDIR/modprobe with_kernel assign 01:00.1 igbvf
	expect_file "$BATS_TEST_TMPDIR/modprobe.log" igbvf
	[ "$(readlink "$(dev 0000:01:00.1)/driver")" = ../../../bus/pci/drivers/igbvf ]
}

@test "assign to a driver that is not there fails with exit 1, nothing written" {
	std_tree
	tree_snapshot
	run_sriovctl 1 assign 01:00.1 igbvf
	expect_stderr "sriovctl: assign 0000:01:00.1: driver 'igbvf' is not loaded (/sys/bus/pci/drivers/igbvf does not exist) and modprobe is not run for a sysfs root other than /sys"
	SRIOVCTL_MODPROBE=false run_sriovctl 1 assign 01:00.1 igbvf
	expect_stderr "sriovctl: assign 0000:01:00.1: driver 'igbvf' is not available: 'false igbvf' failed with status 1"
	expect_tree_unchanged
}

@test "assign explains a refused driver_override write" {
	std_tree
	refused_by_kernel driver_override $EACCES 1 assign 01:00.1 vfio-pci
	expect_stderr "sriovctl: assign 0000:01:00.1: cannot write 'vfio-pci' to /sys/bus/pci/devices/0000:01:00.1/driver_override: Permission denied (permission denied; run as root)"
}

@test "assign stops when the unbind is refused, before touching the override" {
	std_tree
	fake bind 0000:01:00.1 nvme
	tree_snapshot
	refused_by_kernel unbind $EBUSY 1 assign 01:00.1 vfio-pci
	expect_stderr "sriovctl: assign 0000:01:00.1: cannot write '0000:01:00.1' to /sys/bus/pci/devices/0000:01:00.1/driver/unbind: Device or resource busy"
	expect_tree_unchanged
}

@test "release -n: clear the override, unbind, no probe with autoprobe off" {
	std_tree
	fake bind 0000:01:00.1 vfio-pci
	fake override 0000:01:00.1 vfio-pci
	run_sriovctl -n release 01:00.1
	expect_stdout "write $P/0000:01:00.1/driver_override '\\n'
write $P/0000:01:00.1/driver/unbind '0000:01:00.1'"
}

@test "release lets the default driver probe when autoprobe is on" {
	fake pf 0000:01:00.0 --vfs 2 --autoprobe 1 --vf-driver vfio-pci
	fake override 0000:01:00.1 vfio-pci
	run_sriovctl -n release 01:00.1
	expect_stdout "write $P/0000:01:00.1/driver_override '\\n'
write $P/0000:01:00.1/driver/unbind '0000:01:00.1'
write /sys/bus/pci/drivers_probe '0000:01:00.1'"
	with_kernel release 01:00.1
	expect_stdout "release 0000:01:00.1: 0000:01:00.1 is released"
	[ ! -e "$(dev 0000:01:00.1)/driver" ]
	[ "$(od -An -c "$(dev 0000:01:00.1)/driver_override" | tr -d ' ')" = '\n' ]
	expect_file "$SYS/bus/pci/drivers_probe" 0000:01:00.1
}

@test "release of a PF releases each VF" {
	fake pf 0000:01:00.0 --vfs 2 --vf-driver vfio-pci
	fake override 0000:01:00.2 vfio-pci
	run_sriovctl -n release 01:00.0
	expect_stdout "write $P/0000:01:00.1/driver/unbind '0000:01:00.1'
write $P/0000:01:00.2/driver_override '\\n'
write $P/0000:01:00.2/driver/unbind '0000:01:00.2'"
}

@test "release of a free VF writes nothing" {
	std_tree
	tree_snapshot
	run_sriovctl release 01:00.1
	expect_stdout "release 0000:01:00.1: 0000:01:00.1 is released"
	expect_tree_unchanged
}

@test "release refuses a non-SR-IOV device and a missing one" {
	std_tree
	tree_snapshot
	run_sriovctl 1 release 00:1f.2
	expect_stderr "sriovctl: release 0000:00:1f.2: 0000:00:1f.2 is neither an SR-IOV PF nor a VF"
	run_sriovctl 1 release 0000:09:00.1
	expect_stderr "sriovctl: release 0000:09:00.1: no device 0000:09:00.1 (/sys/bus/pci/devices/0000:09:00.1 does not exist)"
	expect_tree_unchanged
}

@test "release of a PF goes on after a VF fails, and exits 1" {
	fake pf 0000:01:00.0 --vfs 2 --vf-driver vfio-pci
	fake override 0000:01:00.1 vfio-pci
	fake override 0000:01:00.2 vfio-pci
	refused_by_kernel 0000:01:00.1/driver_override $EACCES 1 release 01:00.0
	expect_stdout "release 0000:01:00.0: 0000:01:00.2 is released"
	expect_stderr "sriovctl: release 0000:01:00.0: cannot write '\\n' to /sys/bus/pci/devices/0000:01:00.1/driver_override: Permission denied (permission denied; run as root)"
	[ -e "$(dev 0000:01:00.1)/driver" ]
}
