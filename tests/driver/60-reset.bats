#!/usr/bin/env bats
# PF resets and AER: VFs survive.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

setup_file() { stub_setup_file; }

setup()
{
	stub_setup
	stub_load
	stub_bind "$PF"
}
teardown() { stub_teardown; }

vfs_alive()
{
	local vf
	[ "$(pf_vfs "$PF" | wc -l)" -eq "$1" ]
	for vf in $(pf_vfs "$PF"); do
		vm_vf_alive "$vf" || { echo "VF $vf is dead"; return 1; }
	done
	# the device agrees with sysfs (NumVFs register)
	[ $(( 0x$(setpci -s "$PF" ECAP_SRIOV+10.w) )) -eq "$1" ]
}

@test "a PF reset through sysfs leaves the VFs alive in the device" {
	echo 4 >"$P/sriov_numvfs"
	vfs_alive 4
	echo 1 >"$P/reset"
	vfs_alive 4
	[ "$(numvfs "$PF")" -eq 4 ]
	log_has "$PF: device lost its VFs in a reset"
}

@test "a PF reset with a VF bound to vfio-pci leaves it alive and bound" {
	echo 3 >"$P/sriov_numvfs"
	vf=$(pf_vf "$PF" 2)
	vf_bind "$vf" vfio-pci
	echo 1 >"$P/reset"
	vfs_alive 3
	[ "$(dev_driver "$vf")" = vfio-pci ]
}

@test "a PF reset without VFs does nothing to SR-IOV" {
	echo 1 >"$P/reset"
	[ "$(numvfs "$PF")" -eq 0 ]
	! log_has "$PF: device lost its VFs"
}

# The AER core gives up on a subtree where any device lacks an
# error_detected callback, so, as on a host whose VFs serve guests, the
# VFs are bound to vfio-pci first.
bind_all_vfio()
{
	local vf
	for vf in $(pf_vfs "$PF"); do
		vf_bind "$vf" vfio-pci
	done
}

@test "a non-fatal AER error runs error_detected and slot_reset; VFs survive" {
	echo 2 >"$P/sriov_numvfs"
	bind_all_vfio
	vm_hmp "pcie_aer_inject_error $(pf_rootport "$PF") UNSUP"
	vm_wait_for log_has "$PF: resumed after PCI error recovery"
	log_has "$PF: PCI error detected"
	log_has "$PF: recovered after slot reset (2 VFs)"
	vfs_alive 2
}

@test "a fatal AER error resets the link; VFs are restored and alive" {
	echo 2 >"$P/sriov_numvfs"
	bind_all_vfio
	vm_hmp "pcie_aer_inject_error $(pf_rootport "$PF") DLP"
	vm_wait_for log_has "$PF: resumed after PCI error recovery"
	vfs_alive 2
	for vf in $(pf_vfs "$PF"); do
		[ "$(dev_driver "$vf")" = vfio-pci ]
	done
}
