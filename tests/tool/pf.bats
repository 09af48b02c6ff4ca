#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl bind, unbind, enable, disable, lock, unlock, autoprobe: what
# each writes, in which order, and what it refuses (exit 1, tree unchanged).

load helpers/common

P=/sys/bus/pci/devices

# ---- bind ------------------------------------------------------------

@test "bind -n of an unbound PF: override, then drivers_probe" {
	fake pf 0000:03:00.0 --driver none
	fake driver pci-stub-pf
	tree_snapshot
	run_sriovctl -n bind 03:00.0
	expect_no_stderr
	expect_stdout "write $P/0000:03:00.0/driver_override 'pci-stub-pf'
write /sys/bus/pci/drivers_probe '0000:03:00.0'"
	expect_tree_unchanged
}

@test "bind of an unbound PF writes the files and checks the driver took it" {
	fake pf 0000:03:00.0 --driver none
	fake driver pci-stub-pf
	with_kernel bind 03:00.0
	expect_no_stderr
	expect_stdout "bind 0000:03:00.0: 0000:03:00.0 is bound to 'pci-stub-pf'"
	expect_file "$(dev 0000:03:00.0)/driver_override" pci-stub-pf
	expect_file "$SYS/bus/pci/drivers_probe" 0000:03:00.0
	[ "$(readlink "$(dev 0000:03:00.0)/driver")" = ../../../bus/pci/drivers/pci-stub-pf ]
}

@test "bind fails with exit 1 when the driver does not take the PF" {
	fake pf 0000:03:00.0 --driver none
	fake driver pci-stub-pf
	run_sriovctl 1 bind 03:00.0
	expect_no_stdout
	expect_stderr "sriovctl: bind 0000:03:00.0: driver 'pci-stub-pf' did not take 0000:03:00.0: it is bound to no driver; see the kernel log"
}

@test "bind loads the module when the driver is missing" {
	fake pf 0000:03:00.0 --driver none
	cat >"$BATS_TEST_TMPDIR/modprobe" <<-EOF2
	#!/bin/sh
	echo "\$@" >>"$BATS_TEST_TMPDIR/modprobe.log"
	mkdir -p "$SYS/bus/pci/drivers/\$1"
	EOF2
	chmod +x "$BATS_TEST_TMPDIR/modprobe"
	SRIOVCTL_MODPROBE=$BATS_TEST_TMPDIR/modprobe with_kernel -q bind 03:00.0
	expect_no_stdout
	expect_file "$BATS_TEST_TMPDIR/modprobe.log" pci-stub-pf
	[ "$(readlink "$(dev 0000:03:00.0)/driver")" = ../../../bus/pci/drivers/pci-stub-pf ]
}

@test "bind -n shows the modprobe it would run" {
	fake pf 0000:03:00.0 --driver none
	# udevd gives no PATH: modprobe is looked for in /usr/sbin, /sbin
	local mp=/usr/sbin/modprobe
	[ -x $mp ] || mp=/sbin/modprobe
	[ -x $mp ] || mp=modprobe
	run_sriovctl -n bind 03:00.0
	expect_stdout "run $mp 'pci-stub-pf'
write $P/0000:03:00.0/driver_override 'pci-stub-pf'
write /sys/bus/pci/drivers_probe '0000:03:00.0'"
}

@test "bind fails with exit 1 when modprobe fails, and writes nothing" {
	fake pf 0000:03:00.0 --driver none
	tree_snapshot
	SRIOVCTL_MODPROBE=false run_sriovctl 1 bind 03:00.0
	expect_stderr "sriovctl: bind 0000:03:00.0: driver 'pci-stub-pf' is not available: 'false pci-stub-pf' failed with status 1"
	SRIOVCTL_MODPROBE=true run_sriovctl 1 bind 03:00.0
	expect_stderr "sriovctl: bind 0000:03:00.0: driver 'pci-stub-pf' is not available: /sys/bus/pci/drivers/pci-stub-pf does not exist after 'true pci-stub-pf'"
	SRIOVCTL_MODPROBE=$ETC/no-such-program run_sriovctl 1 bind 03:00.0
	expect_stderr "sriovctl: bind 0000:03:00.0: cannot run '/etc/no-such-program pci-stub-pf': No such file or directory"
	expect_tree_unchanged
}

@test "bind in a fake tree never runs modprobe on its own" {
	fake pf 0000:03:00.0 --driver none
	tree_snapshot
	run_sriovctl 1 bind 03:00.0
	expect_stderr "sriovctl: bind 0000:03:00.0: driver 'pci-stub-pf' is not loaded (/sys/bus/pci/drivers/pci-stub-pf does not exist) and modprobe is not run for a sysfs root other than /sys"
	expect_tree_unchanged
}

@test "bind refuses a PF bound to another driver, naming it" {
	std_tree
	tree_snapshot
	run_sriovctl 1 bind 02:00.0
	expect_no_stdout
	expect_stderr "sriovctl: bind 0000:02:00.0: 0000:02:00.0 is bound to 'nvme'; run 'sriovctl bind 0000:02:00.0 --force' to take it from that driver"
	expect_tree_unchanged
}

@test "bind --force unbinds the other driver first" {
	std_tree
	fake driver pci-stub-pf
	run_sriovctl -n bind 02:00.0 --force
	expect_stdout "write $P/0000:02:00.0/driver/unbind '0000:02:00.0'
write $P/0000:02:00.0/driver_override 'pci-stub-pf'
write /sys/bus/pci/drivers_probe '0000:02:00.0'"
	with_kernel bind --force 02:00.0
	expect_file "$SYS/bus/pci/drivers/nvme/unbind" 0000:02:00.0
	expect_file "$(dev 0000:02:00.0)/driver_override" pci-stub-pf
	[ "$(readlink "$(dev 0000:02:00.0)/driver")" = ../../../bus/pci/drivers/pci-stub-pf ]
}

@test "bind of a PF on pci-stub-pf with its override is a no-op" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	tree_snapshot
	run_sriovctl bind 01:00.0
	expect_stdout "bind 0000:01:00.0: 0000:01:00.0 is already bound to 'pci-stub-pf'"
	expect_tree_unchanged
	run_sriovctl -n bind 01:00.0
	expect_no_stdout
}

@test "bind of a PF on pci-stub-pf without override sets the override only" {
	fake pf 0000:01:00.0
	run_sriovctl -n bind 01:00.0
	expect_stdout "write $P/0000:01:00.0/driver_override 'pci-stub-pf'"
}

@test "bind refuses a VF, a non-SR-IOV device and a missing device" {
	std_tree
	tree_snapshot
	run_sriovctl 1 bind 01:00.2
	expect_stderr "sriovctl: bind 0000:01:00.2: 0000:01:00.2 is a VF, not a PF (its PF is 0000:01:00.0)"
	run_sriovctl 1 bind 00:1f.2
	expect_stderr "sriovctl: bind 0000:00:1f.2: 0000:00:1f.2 is not an SR-IOV PF (/sys/bus/pci/devices/0000:00:1f.2/sriov_totalvfs does not exist)"
	run_sriovctl 1 bind 0000:05:00.0
	expect_stderr "sriovctl: bind 0000:05:00.0: no device 0000:05:00.0 (/sys/bus/pci/devices/0000:05:00.0 does not exist)"
	expect_tree_unchanged
}

@test "bind refuses a kernel without driver_override" {
	fake pf 0000:03:00.0 --driver none
	fake driver pci-stub-pf
	rm "$(dev 0000:03:00.0)/driver_override"
	tree_snapshot
	run_sriovctl 1 bind 03:00.0
	expect_stderr "sriovctl: bind 0000:03:00.0: /sys/bus/pci/devices/0000:03:00.0/driver_override does not exist: the kernel cannot hand this device to a driver of choice"
	expect_tree_unchanged
}

# ---- unbind ----------------------------------------------------------

@test "unbind clears the override with a newline, then unbinds" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	run_sriovctl -n unbind 01:00.0
	expect_stdout "write $P/0000:01:00.0/driver_override '\\n'
write $P/0000:01:00.0/driver/unbind '0000:01:00.0'"
	run_sriovctl unbind 01:00.0
	expect_stdout "unbind 0000:01:00.0: 0000:01:00.0 is unbound from 'pci-stub-pf'"
	expect_file "$(dev 0000:01:00.0)/driver_override" ""
	[ "$(od -An -c "$(dev 0000:01:00.0)/driver_override" | tr -d ' ')" = '\n' ]
	expect_file "$SYS/bus/pci/drivers/pci-stub-pf/unbind" 0000:01:00.0
}

@test "unbind of an unbound PF writes nothing" {
	fake pf 0000:03:00.0 --driver none
	tree_snapshot
	run_sriovctl unbind 03:00.0
	expect_stdout "unbind 0000:03:00.0: 0000:03:00.0 is not bound"
	expect_tree_unchanged
}

@test "unbind refuses a VF" {
	std_tree
	tree_snapshot
	run_sriovctl 1 unbind 01:00.1
	expect_stderr "sriovctl: unbind 0000:01:00.1: 0000:01:00.1 is a VF, not a PF (its PF is 0000:01:00.0)"
	expect_tree_unchanged
}

# ---- enable ----------------------------------------------------------

@test "enable writes autoprobe 0 before the count" {
	fake pf 0000:01:00.0 --autoprobe 1
	run_sriovctl -n enable 01:00.0 4
	expect_no_stderr
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '0'
write $P/0000:01:00.0/sriov_numvfs '4'"
	run_sriovctl enable 01:00.0 4
	expect_stdout "enable 0000:01:00.0: 0000:01:00.0 has 4 VFs"
	expect_file "$(dev 0000:01:00.0)/sriov_drivers_autoprobe" 0
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 4
}

@test "enable leaves autoprobe alone when it is off already" {
	fake pf 0000:01:00.0
	run_sriovctl -n enable 01:00.0 8
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '8'"
}

@test "enable --autoprobe on turns it on before the count" {
	fake pf 0000:01:00.0
	run_sriovctl -n enable 01:00.0 2 --autoprobe on
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '1'
write $P/0000:01:00.0/sriov_numvfs '2'"
	run_sriovctl -n enable 01:00.0 2 --autoprobe=off
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'"
}

@test "enable to the current count writes nothing" {
	fake pf 0000:01:00.0 --vfs 4 --autoprobe 1
	tree_snapshot
	run_sriovctl enable 01:00.0 4
	expect_stdout "enable 0000:01:00.0: 0000:01:00.0 already has 4 VFs"
	expect_tree_unchanged
	run_sriovctl -n enable 01:00.0 4
	expect_no_stdout
}

@test "enable from N to M goes through 0" {
	fake pf 0000:01:00.0 --vfs 2
	run_sriovctl -n enable 01:00.0 6
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'
write $P/0000:01:00.0/sriov_numvfs '6'"
	run_sriovctl -n enable 01:00.0 0
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'"
}

@test "enable --lock and --seal write the lock after the count" {
	fake pf 0000:01:00.0
	run_sriovctl -n enable 01:00.0 3 --lock
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '3'
write $P/0000:01:00.0/sriov_lock 'locked'"
	run_sriovctl -n enable 01:00.0 3 --seal
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '3'
write $P/0000:01:00.0/sriov_lock 'sealed'"
	run_sriovctl enable 01:00.0 3 --lock
	expect_file "$(dev 0000:01:00.0)/sriov_lock" locked
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 3
}

@test "enable --lock at the current count only locks" {
	fake pf 0000:01:00.0 --vfs 3
	run_sriovctl -n enable 01:00.0 3 --lock
	expect_stdout "write $P/0000:01:00.0/sriov_lock 'locked'"
}

@test "enable --vf-driver hands every VF to the driver" {
	# the VFs are in the tree already: a fake tree does not create them
	fake pf 0000:01:00.0 --vfs 3 --numvfs 0
	fake driver vfio-pci
	run_sriovctl -n enable 01:00.0 2 --vf-driver vfio-pci --lock
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'
write $P/0000:01:00.0/sriov_lock 'locked'
write $P/0000:01:00.1/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.1'
write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
	with_kernel enable 01:00.0 2 --vf-driver vfio-pci
	expect_no_stderr
	expect_stdout "enable 0000:01:00.0: 0000:01:00.0 has 2 VFs
enable 0000:01:00.0: 0000:01:00.1 is bound to 'vfio-pci'
enable 0000:01:00.0: 0000:01:00.2 is bound to 'vfio-pci'"
	expect_file "$(dev 0000:01:00.1)/driver_override" vfio-pci
	expect_file "$(dev 0000:01:00.2)/driver_override" vfio-pci
	expect_file "$(dev 0000:01:00.3)/driver_override" "(null)"
	[ ! -e "$(dev 0000:01:00.3)/driver" ]
}

@test "enable --vf-driver at the current count still hands out the VFs" {
	fake pf 0000:01:00.0 --vfs 2
	fake driver vfio-pci
	fake bind 0000:01:00.1 vfio-pci
	fake override 0000:01:00.1 vfio-pci
	run_sriovctl -n enable 01:00.0 2 --vf-driver vfio-pci
	expect_stdout "write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
}

@test "enable --vf-driver in dry-run says when the VFs do not exist yet" {
	fake pf 0000:01:00.0
	fake driver vfio-pci
	run_sriovctl -n enable 01:00.0 2 --vf-driver vfio-pci
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'
# 2 of 2 VFs do not exist yet: each would be handed to 'vfio-pci'"
}

@test "enable --vf-driver fails with exit 1 when the VFs did not appear" {
	fake pf 0000:01:00.0
	fake driver vfio-pci
	run_sriovctl 1 enable 01:00.0 2 --vf-driver vfio-pci
	expect_stderr "sriovctl: enable 0000:01:00.0: only 0 of 2 VFs of 0000:01:00.0 exist; the others were not handed to 'vfio-pci'"
}

@test "enable --vf-driver reads in full a new VF that something bound first" {
	# a udev rule may bind a VF between its creation and sriovctl's look
	fake pf 0000:01:00.0 --vfs 2 --numvfs 0
	fake driver vfio-pci
	fake bind 0000:01:00.1 vfio-pci
	fake override 0000:01:00.1 vfio-pci
	with_kernel enable 01:00.0 2 --vf-driver vfio-pci
	expect_no_stderr
	expect_stdout "enable 0000:01:00.0: 0000:01:00.0 has 2 VFs
enable 0000:01:00.0: 0000:01:00.1 is already bound to 'vfio-pci'
enable 0000:01:00.0: 0000:01:00.2 is bound to 'vfio-pci'"
}

@test "enable --vf-driver says a new VF that vanished is gone, and exits 1" {
	fake pf 0000:01:00.0 --vfs 2 --numvfs 0
	fake driver vfio-pci
	rm -r "$(dev 0000:01:00.2)"
	with_kernel 1 enable 01:00.0 2 --vf-driver vfio-pci
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write 'vfio-pci' to /sys/bus/pci/devices/0000:01:00.2/driver_override: No such file or directory (the device is gone)"
	[ "$(readlink "$(dev 0000:01:00.1)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
}

@test "enable --vf-driver goes on after a VF fails and exits 1" {
	fake pf 0000:01:00.0 --vfs 3
	fake driver vfio-pci
	rm "$(dev 0000:01:00.2)/driver_override"
	with_kernel 1 enable 01:00.0 3 --vf-driver vfio-pci
	expect_stderr "sriovctl: enable 0000:01:00.0: /sys/bus/pci/devices/0000:01:00.2/driver_override does not exist: the kernel cannot hand this device to a driver of choice"
	[ "$(readlink "$(dev 0000:01:00.1)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
	[ "$(readlink "$(dev 0000:01:00.3)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
}

@test "enable refuses a count above the PF's total" {
	fake pf 0000:01:00.0 --total 8
	tree_snapshot
	run_sriovctl 1 enable 01:00.0 9
	expect_no_stdout
	expect_stderr "sriovctl: enable 0000:01:00.0: 9 is above the PF's total of 8 VFs"
	run_sriovctl 1 enable 01:00.0 65536
	expect_stderr "sriovctl: enable 0000:01:00.0: 65536 is above the PF's total of 8 VFs"
	run_sriovctl 1 enable 01:00.0 999999999
	expect_tree_unchanged
}

@test "enable refuses while locked" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked
	tree_snapshot
	run_sriovctl 1 enable 01:00.0 4
	expect_no_stdout
	expect_stderr "sriovctl: enable 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
	run_sriovctl 1 enable 01:00.0 0
	expect_tree_unchanged
}

@test "enable to the current count succeeds while locked" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked
	tree_snapshot
	run_sriovctl enable 01:00.0 2 --lock
	expect_tree_unchanged
}

@test "enable refuses while sealed, saying how to get out" {
	fake pf 0000:01:00.0 --vfs 2 --lock sealed
	tree_snapshot
	run_sriovctl 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: VF count is sealed until the PF is unbound; run 'sriovctl unbind 0000:01:00.0', 'sriovctl bind 0000:01:00.0', then 'sriovctl unlock 0000:01:00.0'"
	expect_tree_unchanged
}

@test "enable refuses a PF without driver" {
	fake pf 0000:03:00.0 --driver none
	tree_snapshot
	run_sriovctl 1 enable 03:00.0 2
	expect_stderr "sriovctl: enable 0000:03:00.0: no driver bound to the PF; run 'sriovctl bind 0000:03:00.0'"
	expect_tree_unchanged
}

@test "enable refuses to change the count while a VF is bound" {
	fake pf 0000:01:00.0 --vfs 2
	fake bind 0000:01:00.2 vfio-pci
	tree_snapshot
	run_sriovctl 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: a VF is bound to a driver (0000:01:00.2 to 'vfio-pci'); run 'sriovctl disable 0000:01:00.0 --release' or release the VF"
	expect_tree_unchanged
}

@test "enable --lock refuses a PF that has no lock (not on pci-stub-pf)" {
	std_tree
	tree_snapshot
	run_sriovctl 1 enable 02:00.0 2 --lock
	expect_stderr "sriovctl: enable 0000:02:00.0: 0000:02:00.0 has no VF lock (/sys/bus/pci/devices/0000:02:00.0/sriov_lock does not exist): it is not bound to 'pci-stub-pf'; run 'sriovctl bind 0000:02:00.0'"
	expect_tree_unchanged
}

@test "enable works on a PF bound to another SR-IOV driver" {
	std_tree
	run_sriovctl -n enable 02:00.0 2
	expect_stdout "write $P/0000:02:00.0/sriov_numvfs '2'"
}

@test "enable refuses a VF and a missing device" {
	std_tree
	tree_snapshot
	run_sriovctl 1 enable 01:00.1 2
	expect_stderr "sriovctl: enable 0000:01:00.1: 0000:01:00.1 is a VF, not a PF (its PF is 0000:01:00.0)"
	run_sriovctl 1 enable 07:00.0 2
	expect_stderr "sriovctl: enable 0000:07:00.0: no device 0000:07:00.0 (/sys/bus/pci/devices/0000:07:00.0 does not exist)"
	expect_tree_unchanged
}

@test "enable explains the kernel's EPERM: the count is locked" {
	fake pf 0000:01:00.0
	tree_snapshot
	refused_by_kernel sriov_numvfs $EPERM 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '4' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Operation not permitted (VF count is locked; run 'sriovctl unlock 0000:01:00.0')"
	expect_tree_unchanged
}

@test "enable explains the kernel's ERANGE: above the total" {
	fake pf 0000:01:00.0 --total 4
	refused_by_kernel sriov_numvfs $ERANGE 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '4' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Numerical result out of range (4 is above the PF's total of 4 VFs)"
}

@test "enable explains the kernel's ENOENT: no driver" {
	fake pf 0000:01:00.0
	refused_by_kernel sriov_numvfs $ENOENT 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '4' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: No such file or directory (no driver bound to the PF; run 'sriovctl bind 0000:01:00.0')"
}

@test "enable explains the kernel's EACCES: not root" {
	fake pf 0000:01:00.0
	refused_by_kernel sriov_numvfs $EACCES 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '4' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Permission denied (permission denied; run as root)"
}

@test "enable stops at the first refused write" {
	fake pf 0000:01:00.0 --vfs 2 --autoprobe 1
	refused_by_kernel sriov_numvfs $EBUSY 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '0' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Device or resource busy (a VF is bound to a driver; run 'sriovctl disable 0000:01:00.0 --release' or release the VF)"
	expect_file "$(dev 0000:01:00.0)/sriov_drivers_autoprobe" 0
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 2
}

@test "enable as a user who may not write fails with exit 1 and the hint" {
	can_drop_root || skip "needs root and setpriv to run as nobody"
	nobody_tree
	fake pf 0000:01:00.0
	chmod -R a+rX "$NOBODY_TOP"
	tree_snapshot
	run_as_nobody 1 enable 01:00.0 4
	expect_stderr "sriovctl: enable 0000:01:00.0: cannot write '4' to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Permission denied (permission denied; run as root)"
	run_as_nobody 0 list
	expect_stdout "0000:01:00.0 1b36:0010 driver pci-stub-pf vfs 0/8 lock unlocked autoprobe off"
	expect_tree_unchanged
}

# ---- disable ---------------------------------------------------------

@test "disable writes 0" {
	fake pf 0000:01:00.0 --vfs 4
	run_sriovctl -n disable 01:00.0
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'"
	run_sriovctl disable 01:00.0
	expect_stdout "disable 0000:01:00.0: 0000:01:00.0 has 0 VFs"
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 0
}

@test "disable without VFs writes nothing" {
	fake pf 0000:01:00.0
	tree_snapshot
	run_sriovctl disable 01:00.0
	expect_stdout "disable 0000:01:00.0: 0000:01:00.0 already has 0 VFs"
	expect_tree_unchanged
}

@test "disable refuses while a VF is bound" {
	fake pf 0000:01:00.0 --vfs 4
	fake bind 0000:01:00.3 vfio-pci
	tree_snapshot
	run_sriovctl 1 disable 01:00.0
	expect_no_stdout
	expect_stderr "sriovctl: disable 0000:01:00.0: a VF is bound to a driver (0000:01:00.3 to 'vfio-pci'); run 'sriovctl disable 0000:01:00.0 --release' or release the VF"
	expect_tree_unchanged
}

@test "disable --release clears overrides and unbinds the VFs, then writes 0" {
	fake pf 0000:01:00.0 --vfs 3
	fake bind 0000:01:00.1 vfio-pci
	fake override 0000:01:00.1 vfio-pci
	fake override 0000:01:00.2 vfio-pci
	fake bind 0000:01:00.3 nvme
	run_sriovctl -n disable 01:00.0 --release
	expect_stdout "write $P/0000:01:00.1/driver_override '\\n'
write $P/0000:01:00.1/driver/unbind '0000:01:00.1'
write $P/0000:01:00.2/driver_override '\\n'
write $P/0000:01:00.3/driver/unbind '0000:01:00.3'
write $P/0000:01:00.0/sriov_numvfs '0'"
	with_kernel disable 01:00.0 --release
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 0
	expect_file "$SYS/bus/pci/drivers/vfio-pci/unbind" 0000:01:00.1
	expect_file "$SYS/bus/pci/drivers/nvme/unbind" 0000:01:00.3
}

@test "disable --release does not write 0 when a VF cannot be released" {
	fake pf 0000:01:00.0 --vfs 2
	fake bind 0000:01:00.1 vfio-pci
	refused_by_kernel unbind $ENODEV 1 disable 01:00.0 --release
	expect_stderr "sriovctl: disable 0000:01:00.0: cannot write '0000:01:00.1' to /sys/bus/pci/devices/0000:01:00.1/driver/unbind: No such device"
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 2
}

@test "disable refuses while locked or sealed" {
	fake pf 0000:01:00.0 --vfs 4 --lock locked
	tree_snapshot
	run_sriovctl 1 disable 01:00.0 --release
	expect_stderr "sriovctl: disable 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
	expect_tree_unchanged
	echo sealed >"$(dev 0000:01:00.0)/sriov_lock"
	tree_snapshot
	run_sriovctl 1 disable 01:00.0
	expect_stderr_has "VF count is sealed until the PF is unbound"
	expect_tree_unchanged
}

@test "disable leaves bound VFs to another PF driver to decide" {
	fake pf 0000:02:00.0 --driver nvme --vfs 2 --vf-driver nvme
	run_sriovctl -n disable 02:00.0
	expect_stdout "write $P/0000:02:00.0/sriov_numvfs '0'"
}

# ---- lock, unlock ----------------------------------------------------

@test "lock, lock --seal and unlock write the lock" {
	fake pf 0000:01:00.0 --vfs 2
	run_sriovctl -n lock 01:00.0
	expect_stdout "write $P/0000:01:00.0/sriov_lock 'locked'"
	run_sriovctl -n lock --seal 01:00.0
	expect_stdout "write $P/0000:01:00.0/sriov_lock 'sealed'"
	run_sriovctl lock 01:00.0
	expect_stdout "lock 0000:01:00.0: 0000:01:00.0 is locked"
	expect_file "$(dev 0000:01:00.0)/sriov_lock" locked
	run_sriovctl unlock 01:00.0
	expect_stdout "unlock 0000:01:00.0: 0000:01:00.0 is unlocked"
	expect_file "$(dev 0000:01:00.0)/sriov_lock" unlocked
}

@test "lock when locked, and unlock when unlocked, write nothing" {
	fake pf 0000:01:00.0 --lock locked
	tree_snapshot
	run_sriovctl lock 01:00.0
	expect_stdout "lock 0000:01:00.0: 0000:01:00.0 is already locked"
	expect_tree_unchanged
	echo unlocked >"$(dev 0000:01:00.0)/sriov_lock"
	tree_snapshot
	run_sriovctl unlock 01:00.0
	expect_stdout "unlock 0000:01:00.0: 0000:01:00.0 is already unlocked"
	expect_tree_unchanged
}

@test "lock of a sealed PF writes nothing; --seal of a locked one seals" {
	fake pf 0000:01:00.0 --lock sealed
	tree_snapshot
	run_sriovctl lock 01:00.0
	expect_stdout "lock 0000:01:00.0: 0000:01:00.0 is already sealed"
	expect_tree_unchanged
	echo locked >"$(dev 0000:01:00.0)/sriov_lock"
	run_sriovctl -n lock 01:00.0 --seal
	expect_stdout "write $P/0000:01:00.0/sriov_lock 'sealed'"
}

@test "unlock refuses a sealed lock" {
	fake pf 0000:01:00.0 --vfs 2 --lock sealed
	tree_snapshot
	run_sriovctl 1 unlock 01:00.0
	expect_stderr "sriovctl: unlock 0000:01:00.0: VF count is sealed until the PF is unbound; run 'sriovctl unbind 0000:01:00.0', 'sriovctl bind 0000:01:00.0', then 'sriovctl unlock 0000:01:00.0'"
	expect_tree_unchanged
}

@test "lock explains the kernel's EPERM on a sealed lock" {
	fake pf 0000:01:00.0
	refused_by_kernel sriov_lock $EPERM 1 lock 01:00.0
	expect_stderr "sriovctl: lock 0000:01:00.0: cannot write 'locked' to /sys/bus/pci/devices/0000:01:00.0/sriov_lock: Operation not permitted (the lock is sealed until the PF is unbound)"
}

@test "lock refuses a PF not bound to pci-stub-pf, and a VF" {
	std_tree
	tree_snapshot
	run_sriovctl 1 lock 02:00.0
	expect_stderr "sriovctl: lock 0000:02:00.0: 0000:02:00.0 has no VF lock (/sys/bus/pci/devices/0000:02:00.0/sriov_lock does not exist): it is not bound to 'pci-stub-pf'; run 'sriovctl bind 0000:02:00.0'"
	run_sriovctl 1 unlock 02:00.0
	run_sriovctl 1 lock 01:00.1
	expect_stderr "sriovctl: lock 0000:01:00.1: 0000:01:00.1 is a VF, not a PF (its PF is 0000:01:00.0)"
	expect_tree_unchanged
}

@test "a lock value the tool does not know is refused, not overwritten" {
	fake pf 0000:01:00.0 --lock weird
	tree_snapshot
	run_sriovctl 1 lock 01:00.0
	expect_stderr "sriovctl: lock 0000:01:00.0: cannot read the lock state from /sys/bus/pci/devices/0000:01:00.0/sriov_lock"
	expect_tree_unchanged
	run_sriovctl -j list
	[[ $output == *'"lock":"unknown"'* ]]
}

# ---- autoprobe -------------------------------------------------------

@test "autoprobe on and off write 1 and 0" {
	fake pf 0000:01:00.0
	run_sriovctl -n autoprobe 01:00.0 on
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '1'"
	run_sriovctl autoprobe 01:00.0 on
	expect_stdout "autoprobe 0000:01:00.0: autoprobe is on"
	expect_file "$(dev 0000:01:00.0)/sriov_drivers_autoprobe" 1
	run_sriovctl -n autoprobe 01:00.0 off
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '0'"
}

@test "autoprobe to its current value writes nothing" {
	fake pf 0000:01:00.0 --autoprobe 1
	tree_snapshot
	run_sriovctl autoprobe 01:00.0 on
	expect_stdout "autoprobe 0000:01:00.0: autoprobe is already on"
	expect_tree_unchanged
}

@test "autoprobe works whatever the PF's driver" {
	std_tree
	run_sriovctl -n autoprobe 02:00.0 on
	expect_stdout "write $P/0000:02:00.0/sriov_drivers_autoprobe '1'"
}

@test "autoprobe refuses a VF" {
	std_tree
	tree_snapshot
	run_sriovctl 1 autoprobe 01:00.1 on
	expect_stderr "sriovctl: autoprobe 0000:01:00.1: 0000:01:00.1 is a VF, not a PF (its PF is 0000:01:00.0)"
	expect_tree_unchanged
}

@test "-q silences information, never errors" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked
	run_sriovctl -q lock 01:00.0
	expect_no_stdout
	run_sriovctl 1 -q enable 01:00.0 4
	expect_no_stdout
	expect_stderr "sriovctl: enable 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
}
