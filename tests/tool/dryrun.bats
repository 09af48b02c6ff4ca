#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl -n: every write printed, none made.

load helpers/common

P=/sys/bus/pci/devices

@test "-n and --dry-run change nothing, whatever the command" {
	std_tree
	fake bind 0000:01:00.1 nvme
	fake override 0000:01:00.2 vfio-pci
	fake driver pci-stub-pf
	printf '[pf 02:00.0]\nvfs = 2\nlock = yes\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	local cmd
	for cmd in "bind 02:00.0 --force" "unbind 01:00.0" "enable 01:00.0 2 --lock --vf-driver vfio-pci" \
		"enable 01:00.0 8 --seal --autoprobe on" "disable 01:00.0 --release" \
		"lock 01:00.0" "lock 01:00.0 --seal" "autoprobe 01:00.0 on" \
		"assign 01:00.0 vfio-pci" "release 01:00.0" "apply" "udev 02:00.0" \
		"udev 01:00.2"; do
		# shellcheck disable=SC2086
		run_sriovctl '?' -n $cmd
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
		# shellcheck disable=SC2086
		run_sriovctl '?' --dry-run $cmd
	done
	expect_tree_unchanged
}

@test "-n prints only writes (and modprobe runs), one per line, even with -q" {
	std_tree
	run_sriovctl -q -n disable 01:00.0 --release
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'"
	run_sriovctl -n enable 01:00.0 2
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'
write $P/0000:01:00.0/sriov_numvfs '2'"
}

@test "-n still refuses what the real run would refuse" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked
	run_sriovctl 1 -n enable 01:00.0 3
	expect_no_stdout
	expect_stderr "sriovctl: enable 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
}

@test "-j does not change commands other than list and show" {
	fake pf 0000:01:00.0
	run_sriovctl -j -n enable 01:00.0 2
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'"
	run_sriovctl --json --quiet enable 01:00.0 2
	expect_no_stdout
}

@test "show of a VF whose PF link is dangling still shows the VF" {
	fake pf 0000:01:00.0 --vfs 1
	local pf
	pf=$(readlink -f "$(dev 0000:01:00.0)")
	rm "$SYS/bus/pci/devices/0000:01:00.0"
	mv "$pf" "$pf.gone"
	run_sriovctl -j show 01:00.1
	expect_json
	expect_stdout '{"type":"vf","address":"0000:01:00.1","vendor":"1b36","device":"0010","pf":"0000:01:00.0","index":null,"driver":null,"override":null}'
	run_sriovctl show 01:00.1
	expect_stdout "0000:01:00.1 1b36:0010 pf 0000:01:00.0 vf ? driver none override none"
}
