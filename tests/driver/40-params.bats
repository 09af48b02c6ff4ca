#!/usr/bin/env bats
# Module parameters max_vfs and enable_pf (lock_on_enable: 30-lock.bats).

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

setup_file() { stub_setup_file; }

setup() { stub_setup; }
teardown() { stub_teardown; }

@test "max_vfs caps sriov_totalvfs at probe and the core enforces it" {
	stub_load max_vfs=2
	stub_bind "$PF"
	[ "$(cat "$P/sriov_totalvfs")" -eq 2 ]
	log_has "$PF: sriov_totalvfs capped at 2 (max_vfs)"
	run -1 sysfs_write "$P/sriov_numvfs" 3
	[ "$output" = "Numerical result out of range" ]
	echo 2 >"$P/sriov_numvfs"
	[ "$(numvfs "$PF")" -eq 2 ]
}

@test "max_vfs above the device's total changes nothing" {
	stub_load max_vfs=64
	stub_bind "$PF"
	[ "$(cat "$P/sriov_totalvfs")" -eq 4 ]
}

@test "the max_vfs cap goes away with unbind" {
	stub_load max_vfs=1
	stub_bind "$PF"
	[ "$(cat "$P/sriov_totalvfs")" -eq 1 ]
	stub_unbind "$PF"
	[ "$(cat "$P/sriov_totalvfs")" -eq 4 ]
}

@test "enable_pf=0 (default) leaves memory decoding and bus mastering off" {
	setpci -s "$PF" COMMAND=0000
	stub_load
	stub_bind "$PF"
	[ $(( 0x$(setpci -s "$PF" COMMAND) & 0x6 )) -eq 0 ]
}

@test "enable_pf=1 turns on memory decoding and bus mastering at probe, bus mastering off at unbind" {
	setpci -s "$PF" COMMAND=0000
	stub_load enable_pf=1
	stub_bind "$PF"
	[ $(( 0x$(setpci -s "$PF" COMMAND) & 0x6 )) -eq 6 ]
	log_has "$PF: PF memory decoding and bus mastering enabled (enable_pf=1)"
	stub_unbind "$PF"
	[ $(( 0x$(setpci -s "$PF" COMMAND) & 0x4 )) -eq 0 ]
}
