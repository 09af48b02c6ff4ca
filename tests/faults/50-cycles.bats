#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Endurance on the 4-VF PF: FAULTS_CYCLES (200) PF unbind/bind and VF
# vfio-pci unbind/bind cycles, FAULTS_ENABLE_CYCLES (200) enable/disable
# cycles (each disable costs the kernel's fixed ssleep(1)), and
# FAULTS_MOD_CYCLES (50) rmmod/insmod cycles with locked VFs, adopted each
# time.  Counts are checked on every cycle, liveness in the device too.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load ../driver/helpers
load helpers

setup_file() { faults_setup_file; }
teardown_file() { faults_teardown_file; }

setup()
{
	faults_setup
	stub_load
	stub_bind "$PF"
}

teardown() { faults_teardown; }

@test "bind/unbind cycles: PF unbound and rebound with locked VFs (adopted), a VF off and back on vfio-pci" {
	local i vf vfs t0 adopted vfa

	echo 4 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	pf_vfs_to_vfio "$PF"
	vfs=$(pf_vf_list "$PF")
	mapfile -t vfa <<<"$vfs"
	t0=$EPOCHREALTIME
	for ((i = 0; i < FAULTS_CYCLES; i++)); do
		vf=${vfa[i % 4]}
		echo "$vf" >"$SYSFS_PCI/drivers/vfio-pci/unbind"
		stub_unbind "$PF"
		[ ! -e "$STUB_DRV/$PF" ]
		[ -e "$SYSFS_PCI/devices/$PF/virtfn3" ]
		echo "$PF" >"$SYSFS_PCI/drivers_probe"
		[ -e "$STUB_DRV/$PF" ] || { echo "cycle $i: PF not rebound" >&2; return 1; }
		[ "$(lockstate "$PF")" = locked ]
		echo "$vf" >"$SYSFS_PCI/drivers_probe"
		[ -e "$SYSFS_PCI/drivers/vfio-pci/$vf" ] || { echo "cycle $i: $vf not rebound" >&2; return 1; }
		[ "$(numvfs "$PF")" -eq 4 ]
	done
	faults_stat "$FAULTS_CYCLES cycles in $(secs_since "$t0") s"
	pf_assert_consistent "$PF" 4
	[ "$(pf_vf_list "$PF")" = "$vfs" ]
	[ "$(pf_bound_vfs "$PF" | grep -c ' vfio-pci$')" -eq 4 ]
	adopted=$(log_count "$PF: adopted 4 VFs that were already enabled; VF count locked")
	[ "$adopted" -eq "$FAULTS_CYCLES" ]
	faults_assert_clean
}

@test "enable/disable cycles: every enable gives 4 live VFs, every disable removes them" {
	local i t0

	t0=$EPOCHREALTIME
	for ((i = 0; i < FAULTS_ENABLE_CYCLES; i++)); do
		echo 4 >"$P/sriov_numvfs"
		[ -e "$P/virtfn3" ] || { echo "cycle $i: no virtfn3 after enable" >&2; return 1; }
		# the device's view every 10th cycle (setpci costs an exec)
		if ((i % 10 == 0)); then pf_assert_consistent "$PF" 4; fi
		echo 0 >"$P/sriov_numvfs"
		[ ! -e "$P/virtfn0" ] || { echo "cycle $i: virtfn0 left after disable" >&2; return 1; }
	done
	faults_stat "$FAULTS_ENABLE_CYCLES cycles in $(secs_since "$t0") s"
	pf_assert_consistent "$PF" 0
	[ "$(log_count "$PF: 4 VFs enabled by user space")" -eq "$FAULTS_ENABLE_CYCLES" ]
	faults_assert_clean
}

@test "rmmod/insmod cycles with locked VFs, one on vfio-pci: kept and adopted every time" {
	local i vfs t0 vf

	echo 4 >"$P/sriov_numvfs"
	echo locked >"$P/sriov_lock"
	vf=$(pf_vf "$PF" 2)
	vf_bind "$vf" vfio-pci
	vfs=$(pf_vf_list "$PF")
	t0=$EPOCHREALTIME
	for ((i = 0; i < FAULTS_MOD_CYCLES; i++)); do
		rmmod pci_stub_pf
		[ "$(numvfs "$PF")" -eq 4 ] || { echo "cycle $i: VFs gone after rmmod" >&2; return 1; }
		[ -e "$SYSFS_PCI/drivers/vfio-pci/$vf" ]
		stub_load
		stub_bind "$PF"
		[ "$(lockstate "$PF")" = locked ] || { echo "cycle $i: not adopted locked" >&2; return 1; }
		[ "$(numvfs "$PF")" -eq 4 ]
	done
	faults_stat "$FAULTS_MOD_CYCLES cycles in $(secs_since "$t0") s"
	pf_assert_consistent "$PF" 4
	[ "$(pf_vf_list "$PF")" = "$vfs" ]
	[ "$(log_count "$PF: adopted 4 VFs that were already enabled; VF count locked")" -eq "$FAULTS_MOD_CYCLES" ]
	faults_assert_clean
}
