#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What the rules must leave alone: PFs that no configuration names, their
# VFs, ordinary devices, and every device when the configuration is broken
# (the reason then goes to the kernel log, the only log there is when udev
# runs without systemd).
# Runs in the VM: tests/vm/run --udev tests/udev.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

setup_file() { udev_setup_file; }
teardown_file() { udev_teardown_file; }
setup() {
	udev_need_vm
	udev_reset
}

# Bind PF to pci-stub-pf by hand and give it N VFs (autoprobe as it is).
manual_vfs() {
	local pf=$1 n=$2

	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	echo "$n" >"$(dev_path "$pf")/sriov_numvfs"
}

@test "a PF that no section names, its VFs and ordinary devices are left as they are" {
	local big small before after

	big=$(vm_pf_big)
	small=$(vm_pf_small)
	# the small PF set up by hand, with autoprobe on: not ours to change
	manual_vfs "$small" 4
	udev_settle
	udev_config sriovctl.conf <<-EOF
		[pf $big]
		vfs = 2
		vf-driver = vfio-pci
	EOF
	before=$(pci_snapshot | grep -v "/devices/0000:01:")
	udev_coldplug
	after=$(pci_snapshot | grep -v "/devices/0000:01:")
	diff <(echo "$before") <(echo "$after")
	assert_pf "$big" 2 unlocked 0
	assert_vfs_on "$small" ""
	[ "$(cat "$(dev_path "$small")/sriov_drivers_autoprobe")" = 1 ]
}

@test "a broken configuration file: no device is touched, the kernel log says which line" {
	local big small before after

	big=$(vm_pf_big)
	small=$(vm_pf_small)
	udev_config sriovctl.conf <<-EOF
		[pf $small]
		vfs = 4
		vf-driver = vfio-pci
	EOF
	udev_config sriovctl.d/60-bad.conf <<-EOF
		[pf $big]
		vf_driver = vfio-pci
	EOF
	before=$(pci_snapshot)
	vm_dmesg_mark broken
	udev_coldplug
	after=$(pci_snapshot)
	diff <(echo "$before") <(echo "$after")
	assert_pf_untouched "$small"
	assert_pf_untouched "$big"
	run -0 vm_dmesg_since broken
	echo "$output"
	grep -F "/etc/sriovctl.d/60-bad.conf:2:" <<<"$output"
	grep -F "vf_driver" <<<"$output"
}

@test "a broken configuration does not stop VF events: a VF made by hand stays unbound" {
	local small vf

	small=$(vm_pf_small)
	udev_config sriovctl.conf <<-EOF
		[pf $small]
		vf-driver = vfio-pci
		lock = maybe
	EOF
	echo 0 >"$(dev_path "$small")/sriov_drivers_autoprobe"
	manual_vfs "$small" 2
	udev_settle
	assert_vfs_on "$small" ""
	for vf in $(pf_vfs "$small"); do
		[ "$(dev_override "$vf")" = "(null)" ]
	done
}
