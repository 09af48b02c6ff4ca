#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# AER injected on the root port above the 4-VF PF (QEMU's nvme has no AER
# capability of its own): non-fatal (UNSUP) and fatal (DLP), several times
# in a row.  pci-stub-pf's handlers run, the VFs survive recovery alive and
# still bound, and sysfs agrees with the device.  The VFs are on vfio-pci:
# the AER core gives up on a subtree where a device has no error_detected.

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
	echo 4 >"$P/sriov_numvfs"
	pf_vfs_to_vfio "$PF"
}

teardown() { faults_teardown; }

# The kernel log since marker MARK has a line matching RE?
since_has() { vm_dmesg_since "$1" | grep -q -- "$2"; }

# Inject ERROR on the PF's root port ROUNDS times; after each, wait for the
# driver's resume and check the handlers' log lines, VFs and counts.
aer_rounds()
{
	local error=$1 rounds=$2 round mark t0 total=0 vfs

	vfs=$(pf_vf_list "$PF")
	for round in $(seq "$rounds"); do
		mark="aer-$error-$round"
		vm_dmesg_mark "$mark"
		t0=$EPOCHREALTIME
		vm_hmp "pcie_aer_inject_error $(pf_rootport "$PF") $error"
		vm_wait_for -t 60 since_has "$mark" "$PF: resumed after PCI error recovery"
		faults_stat "$error round $round: recovered in $(secs_since "$t0") s"
		since_has "$mark" "$PF: PCI error detected"
		since_has "$mark" "$PF: recovered after slot reset (4 VFs)"
		pf_assert_consistent "$PF" 4
		[ "$(pf_vf_list "$PF")" = "$vfs" ]
		[ "$(pf_bound_vfs "$PF" | grep -c ' vfio-pci$')" -eq 4 ]
		vm_assert_dmesg_clean "$mark"
		total=$((total + 1))
	done
	[ "$total" -eq "$rounds" ]
}

@test "non-fatal AER (UNSUP) on the root port, repeated: handlers run, VFs alive and bound" {
	aer_rounds UNSUP "$FAULTS_AER_ROUNDS"
	faults_assert_clean
}

@test "fatal AER (DLP) on the root port, repeated: VFs restored, alive and bound" {
	aer_rounds DLP "$FAULTS_AER_ROUNDS"
	# QEMU's nvme drops its VFs on the link reset; the driver restored them
	[ "$(log_count "$PF: device lost its VFs in a reset")" -ge "$FAULTS_AER_ROUNDS" ]
	faults_assert_clean
}

@test "AER alternating fatal and non-fatal with the VF count locked: the lock stays" {
	echo locked >"$P/sriov_lock"
	aer_rounds DLP 1
	aer_rounds UNSUP 1
	aer_rounds DLP 1
	[ "$(lockstate "$PF")" = locked ]
	faults_assert_clean
}
