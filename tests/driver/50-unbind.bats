#!/usr/bin/env bats
# Unbind and unload: free VFs go, locked or bound VFs stay and are adopted.

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

@test "unbind with free VFs disables them first" {
	echo 3 >"$P/sriov_numvfs"
	stub_unbind "$PF"
	[ "$(numvfs "$PF")" -eq 0 ]
	[ -z "$(pf_vfs "$PF")" ]
	log_has "$PF: VFs disabled on unbind"
}

@test "unbind with locked VFs leaves them, warns why, and the next probe adopts them locked" {
	echo 3 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	vfs=$(pf_vfs "$PF")
	stub_unbind "$PF"
	[ "$(numvfs "$PF")" -eq 3 ]
	[ "$(pf_vfs "$PF")" = "$vfs" ]
	log_has "$PF: leaving 3 VFs enabled because the VF count is locked"
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = locked ]
	log_has "$PF: adopted 3 VFs that were already enabled; VF count locked"
	for vf in $vfs; do vm_vf_alive "$vf"; done
}

@test "unbind with a VF bound to vfio-pci leaves the VFs and names the VF" {
	echo 2 >"$P/sriov_numvfs"
	vf=$(pf_vf "$PF" 0)
	vf_bind "$vf" vfio-pci
	stub_unbind "$PF"
	[ "$(numvfs "$PF")" -eq 2 ]
	[ "$(dev_driver "$vf")" = vfio-pci ]
	log_has "$PF: leaving 2 VFs enabled because VF $vf is bound to vfio-pci"
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = locked ]
}

@test "rmmod with free VFs disables them" {
	echo 2 >"$P/sriov_numvfs"
	rmmod pci_stub_pf
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "rmmod with locked VFs leaves them and insmod adopts them locked" {
	echo 4 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	rmmod pci_stub_pf
	[ "$(numvfs "$PF")" -eq 4 ]
	stub_load
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = locked ]
	[ "$(numvfs "$PF")" -eq 4 ]
	for vf in $(pf_vfs "$PF"); do vm_vf_alive "$vf"; done
}

@test "rmmod with a VF bound to vfio-pci leaves the VFs; the guest's VF keeps its driver" {
	echo 2 >"$P/sriov_numvfs"
	vf=$(pf_vf "$PF" 1)
	vf_bind "$vf" vfio-pci
	rmmod pci_stub_pf
	[ "$(numvfs "$PF")" -eq 2 ]
	[ "$(dev_driver "$vf")" = vfio-pci ]
	vm_vf_alive "$vf"
}

@test "rmmod with a sealed lock leaves the VFs; the seal does not survive" {
	echo 2 >"$P/sriov_numvfs"
	echo sealed >"$P/sriov_lock"
	rmmod pci_stub_pf
	stub_load
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = locked ]
}
