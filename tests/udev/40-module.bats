#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The module loaded after the device appeared.  The PF's add event is long
# past; what the rules see is the PF's bind event when the module binds it
# (its driver_override still names pci-stub-pf after rmmod), and for a PF
# that was never bound, the add event that "udevadm trigger" replays (or
# "sriovctl apply", which the unit runs at boot).
# Runs in the VM: tests/vm/run --udev tests/udev.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

ROUNDS=${UDEV_ROUNDS:-5}

setup_file() { udev_setup_file; }
teardown_file() { udev_teardown_file; }
setup() {
	udev_need_vm
	udev_reset
}

# Take PF's VFs away and unload the module, as an operator would before
# an upgrade: the PF keeps driver_override=pci-stub-pf.
unload_clean() {
	local pf=$1 vf drv

	echo unlocked >"$(dev_path "$pf")/sriov_lock"
	for vf in $(pf_vfs "$pf"); do
		vm_link_name "$SYSFS_PCI/devices/$vf/driver" drv
		echo "$vf" >"$SYSFS_PCI/drivers/$drv/unbind"
	done
	echo 0 >"$(dev_path "$pf")/sriov_numvfs"
	rmmod pci_stub_pf
	udev_settle
	[ -z "$(dev_driver "$pf")" ]
	[ "$(cat "$(dev_path "$pf")/sriov_numvfs")" = 0 ]
	[ "$(dev_override "$pf")" = pci-stub-pf ]
}

@test "module loaded after the PF: its bind event configures the PF again (5 rounds)" {
	local pf round

	pf=$(vm_pf_small)
	udev_config sriovctl.conf <<-EOF
		[pf $pf]
		vfs = 4
		lock = yes
		vf-driver = vfio-pci
	EOF
	udevadm trigger --action=add "$(dev_path "$pf")"
	udev_settle
	assert_pf "$pf" 4 locked 0
	assert_vfs_on "$pf" vfio-pci
	for round in $(seq "$ROUNDS"); do
		unload_clean "$pf"
		vm_dmesg_mark "reload-$round"
		insmod "$PCI_STUB_PF_KO"
		udev_settle
		assert_pf "$pf" 4 locked 0
		assert_vfs_on "$pf" vfio-pci
		udev_assert_dmesg_clean "reload-$round"
	done
}

@test "module loaded after the PF: a PF never bound is configured by udevadm trigger" {
	local pf

	pf=$(vm_pf_small)
	rmmod pci_stub_pf
	udev_config sriovctl.conf <<-EOF
		[pf $pf]
		vfs = 2
		vf-driver = vfio-pci
	EOF
	insmod "$PCI_STUB_PF_KO"
	udev_settle
	# loading the module binds nothing by itself (no override, no ID)
	assert_pf_untouched "$pf"
	udevadm trigger --action=add --subsystem-match=pci --attr-match=sriov_totalvfs
	udev_settle
	assert_pf "$pf" 2 unlocked 0
	assert_vfs_on "$pf" vfio-pci
	assert_pf_untouched "$(vm_pf_big)"
}

@test "the rules load pci-stub-pf and vfio-pci when they are not loaded" {
	local pf

	pf=$(vm_pf_small)
	rmmod pci_stub_pf
	rmmod vfio_pci
	udev_config sriovctl.conf <<-EOF
		[pf $pf]
		vfs = 4
		vf-driver = vfio-pci
	EOF
	vm_dmesg_mark autoload
	udevadm trigger --action=add "$(dev_path "$pf")"
	udev_settle
	if [ ! -d /sys/module/pci_stub_pf ] || [ ! -d /sys/module/vfio_pci ]; then
		# what sriovctl says in udev's environment (no PATH), which udevd
		# throws away
		env -i "$SRIOVCTL_BIN" udev "$pf" >&2 || true
		return 1
	fi
	assert_pf "$pf" 4 unlocked 0
	assert_vfs_on "$pf" vfio-pci
	udev_assert_dmesg_clean autoload
}
