#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# VFs that appear at run time, not at coldplug: made by hand with
# "echo N > sriov_numvfs" on a configured PF, they are still handed to the
# vf-driver, every one of them; and the kernel's uevents are what the rules
# assume (a change event after each VF's add, once physfn exists).
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

@test "the kernel sends each VF's add, then a change once its physfn link exists" {
	local pf log n mon

	pf=$(vm_pf_small)
	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	log=$BATS_TEST_TMPDIR/uevents
	udevadm monitor --kernel --subsystem-match=pci >"$log" &
	mon=$!
	sleep 1
	echo 4 >"$(dev_path "$pf")/sriov_numvfs"
	vm_wait_for -t 10 test "$(grep -c ' change ' "$log")" -ge 5
	kill "$mon"
	n=$(pf_vfs "$pf" | wc -l)
	[ "$n" = 4 ]
	for vf in $(pf_vfs "$pf"); do
		# add, then change, for the VF's devpath
		run -0 grep -E " (add|change) +/devices/.*/$vf \(pci\)" "$log"
		[ "${#lines[@]}" = 2 ]
		[[ "${lines[0]}" == *" add "* ]]
		[[ "${lines[1]}" == *" change "* ]]
	done
}

# 32 VFs a round: each VF's events race the same way whatever the count,
# and every VF on vfio-pci costs about 0.2 s to create and as much to take
# away under TCG.  The coldplug test (20-coldplug.bats) does 127.
MANUAL_VFS=${UDEV_MANUAL_VFS:-32}

@test "VFs made by hand on a configured PF all go to vfio-pci, every one (5 rounds of 32)" {
	local big round t0 t1

	big=$(vm_pf_big)
	# no vfs key: the count is the operator's
	udev_config sriovctl.conf <<-EOF
		[pf $big]
		autoprobe = no
		vf-driver = vfio-pci
	EOF
	udevadm trigger --action=add "$(dev_path "$big")"
	udev_settle
	assert_pf "$big" 0 unlocked 0
	for round in $(seq "$ROUNDS"); do
		vm_dmesg_mark "manual-$round"
		t0=$(now)
		echo "$MANUAL_VFS" >"$(dev_path "$big")/sriov_numvfs"
		udev_settle
		t1=$(now)
		echo "# round $round: $MANUAL_VFS VFs by hand to vfio-pci: $(elapsed "$t0" "$t1") s" >&3
		assert_pf "$big" "$MANUAL_VFS" unlocked 0
		assert_vfs_on "$big" vfio-pci
		udev_assert_dmesg_clean "manual-$round"
		# take them away again: unbind, then disable
		for vf in $(pf_vfs "$big"); do
			echo "$vf" >$SYSFS_PCI/drivers/vfio-pci/unbind
		done
		echo 0 >"$(dev_path "$big")/sriov_numvfs"
		udev_settle
	done
}

@test "VFs made by hand on a PF whose vf-driver is none stay unbound" {
	local small

	small=$(vm_pf_small)
	udev_config sriovctl.conf <<-EOF
		[pf $small]
		vf-driver = none
	EOF
	udevadm trigger --action=add "$(dev_path "$small")"
	udev_settle
	echo 4 >"$(dev_path "$small")/sriov_numvfs"
	udev_settle
	assert_vfs_on "$small" ""
}
