#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Hotplug through QMP into the empty native-hotplug root port hp0: a PF
# that the configuration names is configured as it appears; unplugging it
# while its VFs are on vfio-pci leaves the kernel log clean.
# Runs in the VM: tests/vm/run --udev tests/udev.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

ROUNDS=${UDEV_HOTPLUG_ROUNDS:-5}
HP_PORT=0000:00:1c.0	# hp0 (tests/vm/lib/qemu.sh)
HP_VFS=8

setup_file() { udev_setup_file; }
teardown_file() { udev_teardown_file; }
setup() {
	udev_need_vm
	udev_reset
}

# The address a device in hp0 gets: function 0 of hp0's secondary bus.
hp_addr() {
	printf '0000:%s:00.0\n' "$(setpci -s "$HP_PORT" SECONDARY_BUS)"
}

# QMP event NAME for device ID in the harness' event log?
qmp_event_seen() {
	grep -F "\"$1\"" "$VM_RESULTS/host/events.jsonl" 2>/dev/null | grep -qF "\"$2\""
}

# Plug an nvme PF with HP_VFS VFs into hp0 as ID.  QEMU 7.2 cannot
# hotplug an nvme-subsys, and an SR-IOV nvme needs one: the new controller
# joins the subsystem of the last boot-time PF, whose serial it must share
# (room for 256 controllers; the nvme driver is blacklisted in the VM, so
# nobody looks at them).
hp_plug() {
	local id=$1 n=$HP_VFS last

	last=$(($(tr , '\n' <<<"$VM_PFS" | wc -l) - 1))
	vm_qmp "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvme\", \"id\": \"$id\", \"bus\": \"hp0\", \"subsys\": \"s$last\", \"serial\": \"pf$last\", \"sriov_max_vfs\": $n, \"sriov_vq_flexible\": $((2 * n)), \"max_ioqpairs\": $((2 * n + 2)), \"sriov_vi_flexible\": $n, \"msix_qsize\": $((n + 1))}}"
}

# Unplug ID and wait until QEMU and the guest are done with it (native
# hotplug: about 6 s, the attention button's 5 s included).
hp_unplug() {
	local id=$1 addr=$2

	vm_qmp "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"$id\"}}"
	vm_wait_for -t 60 qmp_event_seen DEVICE_DELETED "$id"
	vm_wait_for -t 30 test ! -e "$(dev_path "$addr")"
	udev_settle
}

@test "hotplug: a configured PF plugged in gets its VFs on vfio-pci; unplugging it leaves no warning (5 rounds)" {
	local addr round id

	addr=$(hp_addr)
	udev_config sriovctl.d/10-hotplug.conf <<-EOF
		[pf $addr]
		vfs = $HP_VFS
		lock = yes
		vf-driver = vfio-pci
	EOF
	for round in $(seq "$ROUNDS"); do
		id=hpf$round-$RANDOM
		vm_dmesg_mark "hotplug-$id"
		hp_plug "$id"
		vm_wait_for -t 60 test -e "$(dev_path "$addr")"
		vm_wait_for -t 60 test -e "$(dev_path "$addr")/virtfn$((HP_VFS - 1))"
		udev_settle
		assert_pf "$addr" "$HP_VFS" locked 0
		assert_vfs_on "$addr" vfio-pci
		# the PFs that were there are not named: untouched
		assert_pf_untouched "$(vm_pf_big)"
		assert_pf_untouched "$(vm_pf_small)"
		hp_unplug "$id" "$addr"
		# no VF left behind
		[ -z "$(ls -d "$SYSFS_PCI/devices/${addr%.0}".* 2>/dev/null)" ]
		udev_assert_dmesg_clean "hotplug-$id"
	done
}

@test "hotplug: a PF that no configuration names stays untouched" {
	local addr id

	addr=$(hp_addr)
	udev_config sriovctl.conf <<-EOF
		[pf $(vm_pf_small)]
		vfs = 2
	EOF
	id=hpu-$RANDOM
	hp_plug "$id"
	vm_wait_for -t 60 test -e "$(dev_path "$addr")"
	udev_settle
	assert_pf_untouched "$addr"
	hp_unplug "$id" "$addr"
}
