#!/usr/bin/env bats
# The sriov_lock attribute and what it refuses.

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

@test "sriov_lock exists only while bound, mode 0644, reads unlocked" {
	[ "$(stat -c %a "$P/sriov_lock")" = 644 ]
	[ "$(cat "$P/sriov_lock")" = unlocked ]
	stub_unbind "$PF"
	[ ! -e "$P/sriov_lock" ]
}

@test "sriov_lock accepts every documented spelling" {
	for w in locked 1 y on; do
		echo unlocked >"$P/sriov_lock"
		echo "$w" >"$P/sriov_lock"
		[ "$(lockstate "$PF")" = locked ]
	done
	for w in unlocked 0 n off; do
		echo locked >"$P/sriov_lock"
		echo "$w" >"$P/sriov_lock"
		[ "$(lockstate "$PF")" = unlocked ]
	done
	printf locked >"$P/sriov_lock"
	[ "$(lockstate "$PF")" = locked ]
}

@test "sriov_lock refuses anything else with EINVAL and changes nothing" {
	echo locked >"$P/sriov_lock"
	for bad in yes no LOCKED lock '' ' ' 2 'locked x' unlockedd; do
		run -1 sysfs_write "$P/sriov_lock" "$bad"
		[ "$output" = "Invalid argument" ]
	done
	[ "$(lockstate "$PF")" = locked ]
}

@test "enable is refused with EPERM while locked, and the log says how to unlock" {
	echo locked >"$P/sriov_lock"
	run -1 sysfs_write "$P/sriov_numvfs" 2
	[ "$output" = "Operation not permitted" ]
	[ "$(numvfs "$PF")" -eq 0 ]
	log_has "$PF: VF count is locked; write 'unlocked' to sriov_lock to change it"
}

@test "disable is refused with EPERM while locked; unlock then disable works" {
	echo 3 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	run -1 sysfs_write "$P/sriov_numvfs" 0
	[ "$output" = "Operation not permitted" ]
	[ "$(numvfs "$PF")" -eq 3 ]
	echo unlocked >"$P/sriov_lock"
	echo 0 >"$P/sriov_numvfs"
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "writing the current count while locked succeeds" {
	echo 3 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	run -0 sysfs_write "$P/sriov_numvfs" 3
}

@test "a sealed lock refuses every write with EPERM, even unlock and garbage" {
	echo 2 >"$P/sriov_numvfs"
	echo sealed >"$P/sriov_lock"
	[ "$(lockstate "$PF")" = sealed ]
	for w in unlocked 0 locked sealed garbage; do
		run -1 sysfs_write "$P/sriov_lock" "$w"
		[ "$output" = "Operation not permitted" ]
	done
	run -1 sysfs_write "$P/sriov_numvfs" 0
	[ "$output" = "Operation not permitted" ]
	[ "$(lockstate "$PF")" = sealed ]
	[ "$(numvfs "$PF")" -eq 2 ]
	log_has "$PF: VF count is sealed until the PF is unbound or the module unloaded"
}

@test "a seal lasts until unbind; the next probe adopts the VFs locked" {
	echo 2 >"$P/sriov_numvfs"
	echo sealed >"$P/sriov_lock"
	stub_unbind "$PF"
	[ "$(numvfs "$PF")" -eq 2 ]
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = locked ]
	echo unlocked >"$P/sriov_lock"
	echo 0 >"$P/sriov_numvfs"
}

@test "only root can write sriov_lock" {
	run ! setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "echo unlocked > '$P/sriov_lock'"
	[[ "$output" == *"Permission denied"* ]]
	[ "$(lockstate "$PF")" = unlocked ]
}

@test "lock_on_enable locks the count right after an enable" {
	echo Y >/sys/module/pci_stub_pf/parameters/lock_on_enable
	echo 2 >"$P/sriov_numvfs"
	echo N >/sys/module/pci_stub_pf/parameters/lock_on_enable
	[ "$(lockstate "$PF")" = locked ]
	run -1 sysfs_write "$P/sriov_numvfs" 0
	[ "$output" = "Operation not permitted" ]
}

@test "lock_on_enable=1 at load" {
	stub_cleanup
	stub_load lock_on_enable=1
	stub_bind "$PF"
	[ "$(lockstate "$PF")" = unlocked ]
	echo 1 >"$P/sriov_numvfs"
	[ "$(lockstate "$PF")" = locked ]
}
