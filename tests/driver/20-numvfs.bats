#!/usr/bin/env bats
# sriov_configure: what writing sriov_numvfs does on a bound PF.

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

@test "enable creates the VFs, taints the kernel with TAINT_USER and warns once" {
	echo 3 >"$P/sriov_numvfs"
	[ "$(numvfs "$PF")" -eq 3 ]
	[ "$(pf_vfs "$PF" | wc -l)" -eq 3 ]
	taint_user
	[ "$(test_log | grep -c "$PF: 3 VFs enabled by user space; tainting kernel (TAINT_USER)")" -eq 1 ]
}

@test "enable of all 127 VFs on the big PF" {
	stub_bind "$BIG"
	echo 127 >"$(dev_path "$BIG")/sriov_numvfs"
	[ "$(pf_vfs "$BIG" | wc -l)" -eq 127 ]
	vm_vf_alive "$(pf_vf "$BIG" 126)"
	echo 0 >"$(dev_path "$BIG")/sriov_numvfs"
	[ "$(pf_vfs "$BIG" | wc -l)" -eq 0 ]
}

@test "disable removes every VF" {
	echo 4 >"$P/sriov_numvfs"
	echo 0 >"$P/sriov_numvfs"
	[ "$(numvfs "$PF")" -eq 0 ]
	[ -z "$(pf_vfs "$PF")" ]
	log_has "$PF: VFs disabled"
}

@test "garbage is refused with EINVAL and changes nothing" {
	echo 2 >"$P/sriov_numvfs"
	for bad in abc 1x '' ' ' 0x '2 3'; do
		run -1 sysfs_write "$P/sriov_numvfs" "$bad"
		[ "$output" = "Invalid argument" ]
	done
	[ "$(numvfs "$PF")" -eq 2 ]
}

@test "a negative count is refused with EINVAL" {
	run -1 sysfs_write "$P/sriov_numvfs" -1
	[ "$output" = "Invalid argument" ]
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "a count above sriov_totalvfs is refused with ERANGE" {
	run -1 sysfs_write "$P/sriov_numvfs" 5
	[ "$output" = "Numerical result out of range" ]
	run -1 sysfs_write "$P/sriov_numvfs" 65535
	[ "$output" = "Numerical result out of range" ]
	run -1 sysfs_write "$P/sriov_numvfs" 65536
	[ "$output" = "Invalid argument" ]
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "changing the count while VFs are enabled is refused with EBUSY" {
	echo 2 >"$P/sriov_numvfs"
	run -1 sysfs_write "$P/sriov_numvfs" 3
	[ "$output" = "Device or resource busy" ]
	[ "$(numvfs "$PF")" -eq 2 ]
}

@test "writing the current count succeeds and changes nothing" {
	echo 2 >"$P/sriov_numvfs"
	before=$(pf_vfs "$PF")
	run -0 sysfs_write "$P/sriov_numvfs" 2
	[ "$(pf_vfs "$PF")" = "$before" ]
}

@test "disable is refused with EBUSY while a VF is bound to vfio-pci, and the log names both" {
	echo 2 >"$P/sriov_numvfs"
	vf=$(pf_vf "$PF" 1)
	vf_bind "$vf" vfio-pci
	run -1 sysfs_write "$P/sriov_numvfs" 0
	[ "$output" = "Device or resource busy" ]
	[ "$(numvfs "$PF")" -eq 2 ]
	[ "$(dev_driver "$vf")" = vfio-pci ]
	log_has "$PF: cannot disable VFs: VF $vf is bound to vfio-pci"
	vf_unbind "$vf"
	echo 0 >"$P/sriov_numvfs"
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "sriov_numvfs without a driver is refused with ENOENT" {
	stub_unbind "$PF"
	run -1 sysfs_write "$P/sriov_numvfs" 2
	[ "$output" = "No such file or directory" ]
}

@test "VFs of an enabled PF are alive in the device" {
	echo 4 >"$P/sriov_numvfs"
	for vf in $(pf_vfs "$PF"); do
		vm_vf_alive "$vf"
	done
}
