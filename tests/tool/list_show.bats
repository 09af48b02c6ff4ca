#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl list, show: text and JSON, from the same facts (golden files).

load helpers/common

# PF 01:00.0: 3 of 8 VFs, locked, autoprobe on, VF 0 on vfio-pci with an
# override, VF 1 unbound with an override, VF 2 on nvme; PF 02:00.0 on nvme
# (no lock), PF 03:00.0 unbound; an ordinary device that is not listed.
golden_tree() {
	fake pf 0000:01:00.0 --vfs 3 --lock locked --autoprobe 1 \
		--override pci-stub-pf --vf-id 0011
	fake bind 0000:01:00.1 vfio-pci
	fake override 0000:01:00.1 vfio-pci
	fake override 0000:01:00.2 vfio-pci
	fake bind 0000:01:00.3 nvme
	fake pf 0000:02:00.0 --driver nvme --total 4 --id 8086:10c9
	fake pf 0000:03:00.0 --driver none --total 2 --id 15b3:1017
	fake dev 0000:00:1f.2 --id 8086:2922 --driver ahci
}

@test "list shows every PF, address first, one line each" {
	golden_tree
	run_sriovctl list
	expect_no_stderr
	expect_golden list.txt
}

@test "list -j is a JSON array with numbers, booleans and a null lock" {
	golden_tree
	run_sriovctl -j list
	expect_no_stderr
	expect_json
	expect_golden list.json
}

@test "list of a tree without PFs is empty, and [] in JSON" {
	fake dev 0000:00:1f.2 --driver ahci
	run_sriovctl list
	expect_no_stdout
	expect_no_stderr
	run_sriovctl -j list
	expect_stdout "[]"
}

@test "list ignores entries of bus/pci/devices that are not addresses" {
	golden_tree
	mkdir -p "$SYS/devices/weird"
	echo 8 >"$SYS/devices/weird/sriov_totalvfs"
	ln -s ../../../devices/weird "$SYS/bus/pci/devices/weird"
	ln -s ../../../devices/weird "$SYS/bus/pci/devices/10000:00:00.0"
	run_sriovctl list
	expect_golden list.txt
}

@test "list fails with exit 1 when the sysfs root has no PCI bus" {
	run_sriovctl 1 --sysfs "$BATS_TEST_TMPDIR/nowhere" list
	expect_no_stdout
	expect_stderr "sriovctl: list: cannot read $BATS_TEST_TMPDIR/nowhere/bus/pci/devices: No such file or directory"
}

@test "SRIOVCTL_SYSFS and --sysfs choose the root, --sysfs winning" {
	golden_tree
	run_sriovctl list
	expect_golden list.txt
	SRIOVCTL_SYSFS=$BATS_TEST_TMPDIR/nowhere run_sriovctl --sysfs "$SYS/" list
	expect_golden list.txt
	SRIOVCTL_SYSFS=$BATS_TEST_TMPDIR/nowhere run_sriovctl 1 list
}

@test "show PF lists its VFs with index, address, driver and override" {
	golden_tree
	run_sriovctl show 01:00.0
	expect_no_stderr
	expect_golden show-pf.txt
}

@test "show -j PF is a JSON object with the VFs in an array" {
	golden_tree
	run_sriovctl -j show 0000:01:00.0
	expect_no_stderr
	expect_json
	expect_golden show-pf.json
}

@test "show VF names its PF and its index" {
	golden_tree
	run_sriovctl show 01:00.2
	expect_golden show-vf.txt
	run_sriovctl -j show 01:00.2
	expect_json
	expect_golden show-vf.json
}

@test "show of a PF without VFs has an empty VF array" {
	golden_tree
	run_sriovctl -j show 02:00.0
	expect_json
	expect_stdout '{"type":"pf","address":"0000:02:00.0","vendor":"8086","device":"10c9","driver":"nvme","num_vfs":0,"total_vfs":4,"lock":null,"autoprobe":false,"override":null,"vfs":[]}'
	run_sriovctl show 02:00.0
	expect_stdout "0000:02:00.0 8086:10c9 driver nvme vfs 0/4 lock n/a autoprobe off override none"
}

@test "show of a device that does not exist fails with exit 1" {
	golden_tree
	tree_snapshot
	run_sriovctl 1 show 05:00.0
	expect_no_stdout
	expect_stderr "sriovctl: show 0000:05:00.0: no device 0000:05:00.0 (/sys/bus/pci/devices/0000:05:00.0 does not exist)"
	expect_tree_unchanged
}

@test "show of a device that is not SR-IOV fails with exit 1" {
	golden_tree
	run_sriovctl 1 show 00:1f.2
	expect_no_stdout
	expect_stderr "sriovctl: show 0000:00:1f.2: 0000:00:1f.2 is not an SR-IOV PF (/sys/bus/pci/devices/0000:00:1f.2/sriov_totalvfs does not exist)"
}

@test "JSON strings are escaped" {
	golden_tree
	# a driver name the kernel would never have: never used as a path
	ln -sfn '../../../bus/pci/drivers/a"b\c' "$(dev 0000:02:00.0)/driver"
	run_sriovctl -j list
	expect_json
	# not a valid driver name: shown as no driver
	[[ $output == *'"address":"0000:02:00.0","vendor":"8086","device":"10c9","driver":null'* ]]
}

@test "the lock state is read as the kernel shows it" {
	for l in unlocked locked sealed; do
		rm -rf "$SYS"
		fake pf 0000:01:00.0 --lock "$l"
		run_sriovctl -j list
		[[ $output == *"\"lock\":\"$l\""* ]]
		run_sriovctl list
		[[ $output == *" lock $l "* ]]
	done
}

@test "the override the kernel shows as (null) is no override" {
	golden_tree
	run_sriovctl -j show 01:00.3
	[[ $output == *'"override":null'* ]]
}
