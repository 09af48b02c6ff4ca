#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl udev DEV: the entry point of the udev rules.  Quick and silent
# (exit 0) for every device the configuration does not name.

load helpers/common

P=/sys/bus/pci/devices

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

@test "udev of a configured PF binds it and configures it" {
	fake pf 0000:01:00.0 --driver none --vfs 2 --numvfs 0
	fake driver pci-stub-pf vfio-pci
	printf '[pf 01:00.0]\nvfs = 2\nlock = yes\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	run_sriovctl -n udev 0000:01:00.0
	expect_no_stderr
	expect_stdout "write $P/0000:01:00.0/driver_override 'pci-stub-pf'
write /sys/bus/pci/drivers_probe '0000:01:00.0'
write $P/0000:01:00.0/sriov_numvfs '2'
write $P/0000:01:00.0/sriov_lock 'locked'
write $P/0000:01:00.1/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.1'
write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
}

@test "udev configures a PF named by vendor:device, and only that PF" {
	fake pf 0000:01:00.0 --override pci-stub-pf --id 1b36:0010
	fake pf 0000:02:00.0 --override pci-stub-pf --id 1b36:0010
	printf '[pf 1b36:0010]\nvfs = 3\nautoprobe = yes\n' >"$ETC/sriovctl.conf"
	run_sriovctl -n udev 02:00.0
	expect_stdout "write $P/0000:02:00.0/sriov_drivers_autoprobe '1'
write $P/0000:02:00.0/sriov_numvfs '3'"
	run_sriovctl udev 02:00.0
	expect_file "$(dev 0000:02:00.0)/sriov_numvfs" 3
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 0
}

@test "udev of a PF the configuration does not name does nothing, quietly" {
	std_tree
	printf '[pf 0000:07:00.0]\nvfs = 2\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl udev 01:00.0
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev without configuration files does nothing, at once" {
	std_tree
	tree_snapshot
	local t0
	t0=$(now_ms)
	run_sriovctl udev 00:1f.2
	[ $(($(now_ms) - t0)) -lt 1000 ]
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev of a device that is gone exits 0" {
	printf '[pf 01:00.0]\nvfs = 2\n' >"$ETC/sriovctl.conf"
	run_sriovctl udev 0000:0a:00.0
	expect_no_stdout
	expect_no_stderr
}

@test "udev of an unrelated device does not wait" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 2\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	local t0
	t0=$(now_ms)
	run_sriovctl udev 00:1f.2
	[ $(($(now_ms) - t0)) -lt 1000 ]
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev of a VF of a configured PF hands it to the VF driver" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf
	fake driver vfio-pci
	printf '[pf 01:00.0]\nvfs = 2\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	run_sriovctl -n udev 01:00.2
	expect_stdout "write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
	with_kernel -q udev 01:00.2
	expect_no_stdout
	[ "$(readlink "$(dev 0000:01:00.2)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
	[ ! -e "$(dev 0000:01:00.1)/driver" ]
}

@test "udev of a VF taken by a host driver moves it to the VF driver" {
	fake pf 0000:01:00.0 --vfs 1 --override pci-stub-pf --autoprobe 1
	fake bind 0000:01:00.1 nvme
	fake driver vfio-pci
	printf '[pf 01:00.0]\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	run_sriovctl -n udev 01:00.1
	expect_stdout "write $P/0000:01:00.1/driver/unbind '0000:01:00.1'
write $P/0000:01:00.1/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.1'"
}

@test "udev of a VF whose PF wants no VF driver does nothing" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 2\nvf-driver = none\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl udev 01:00.2
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev of a VF of a PF not in the configuration does nothing" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf
	fake pf 0000:02:00.0 --vfs 2 --override pci-stub-pf
	printf '[pf 02:00.0]\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl udev 01:00.2
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev waits for a VF's physfn link that comes late" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf
	fake driver vfio-pci
	printf '[pf 01:00.0]\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	local link
	link=$(readlink -f "$(dev 0000:01:00.2)")/physfn
	rm "$link"
	(sleep 0.4 && ln -s ../0000:01:00.0 "$link") 3>&- &
	local t0
	t0=$(now_ms)
	run_sriovctl -n udev 01:00.2
	[ $(($(now_ms) - t0)) -lt 2000 ]
	expect_stdout "write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
	wait
}

@test "udev gives up on a physfn link after 2 s and exits 0" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf
	printf '[pf 01:00.0]\nvf-driver = vfio-pci\n' >"$ETC/sriovctl.conf"
	rm "$(readlink -f "$(dev 0000:01:00.2)")/physfn"
	tree_snapshot
	local t0 dt
	t0=$(now_ms)
	run_sriovctl udev 01:00.2
	dt=$(($(now_ms) - t0))
	[ "$dt" -ge 2000 ] && [ "$dt" -lt 4000 ]
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "udev with a malformed configuration exits 2 naming FILE:LINE" {
	std_tree
	printf '[pf 01:00.0]\nvfs = lots\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl 2 udev 01:00.0
	expect_no_stdout
	expect_stderr "sriovctl: /etc/sriovctl.conf:2: vfs: 'lots' is not a VF count (0-65535)"
	expect_tree_unchanged
}

@test "udev refuses a configuration that asks more VFs than the PF has" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 99\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl 2 udev 01:00.0
	expect_stderr "sriovctl: /etc/sriovctl.conf:2: vfs = 99 is above the total of 8 VFs of 0000:01:00.0"
	expect_tree_unchanged
}

@test "udev of a configured PF that cannot be configured exits 1" {
	fake pf 0000:01:00.0 --vfs 2 --lock sealed --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 4\n' >"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl 1 -q udev 01:00.0
	expect_stderr_has "udev 0000:01:00.0: VF count is sealed"
	expect_tree_unchanged
}

@test "udev writes its errors to the kernel log when stderr is /dev/null" {
	fake pf 0000:01:00.0 --vfs 2 --lock sealed --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 4\n' >"$ETC/sriovctl.conf"
	local kmsg=$BATS_TEST_TMPDIR/kmsg
	: >"$kmsg"
	echo "\$ sriovctl -q udev 01:00.0 2>/dev/null"
	local rc=0
	SRIOVCTL_KMSG=$kmsg "$SRIOVCTL" -q udev 01:00.0 2>/dev/null || rc=$?
	[ "$rc" -eq 1 ]
	expect_file "$kmsg" "<11>sriovctl: udev 0000:01:00.0: VF count is sealed until the PF is unbound; run 'sriovctl unbind 0000:01:00.0', 'sriovctl bind 0000:01:00.0', then 'sriovctl unlock 0000:01:00.0'"
	printf '[pf 01:00.0]\nvfs = x\n' >"$ETC/sriovctl.conf"
	: >"$kmsg"
	rc=0
	SRIOVCTL_KMSG=$kmsg "$SRIOVCTL" -q udev 01:00.0 2>/dev/null || rc=$?
	[ "$rc" -eq 2 ]
	expect_file "$kmsg" "<11>sriovctl: $ETC/sriovctl.conf:2: vfs: 'x' is not a VF count (0-65535)"
}

@test "udev writes nothing to the kernel log when stderr is open" {
	fake pf 0000:01:00.0 --vfs 2 --lock sealed --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 4\n' >"$ETC/sriovctl.conf"
	local kmsg=$BATS_TEST_TMPDIR/kmsg
	: >"$kmsg"
	SRIOVCTL_KMSG=$kmsg run_sriovctl 1 -q udev 01:00.0
	expect_stderr_has "VF count is sealed"
	[ ! -s "$kmsg" ]
}
