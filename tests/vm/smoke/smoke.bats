#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the VM harness itself: the topology, the root filesystem,
# the results share and the host requests work as the other suites expect.
# Run it with: tests/vm/run tests/vm/smoke  (add --udev for the udev test)

bats_require_minimum_version 1.5.0

load ../../test_helper/vm

@test "the boot log is clean" {
	# first: a later test writes a fake WARNING into the log
	vm_assert_dmesg_clean
}

# The --pfs list sorted, min and max: builtins only (every process costs
# 0.1 s or more under TCG).
pfs_sorted() {
	local -a counts
	local n

	IFS=, read -ra counts <<<"$VM_PFS"
	for n in "${counts[@]}"; do echo "$n"; done | sort -n
}

@test "the PFs have the VF totals asked for with --pfs" {
	local pf total got=()

	for pf in $(vm_pfs); do
		read -r total <"/sys/bus/pci/devices/$pf/sriov_totalvfs"
		got+=("$total")
	done
	[ "$(printf '%s\n' "${got[@]}" | sort -n)" = "$(pfs_sorted)" ]
}

@test "vm_pf_big and vm_pf_small pick the PFs with the most and fewest VFs" {
	local -a want
	local big small total

	mapfile -t want < <(pfs_sorted)
	big=$(vm_pf_big)
	small=$(vm_pf_small)
	read -r total <"/sys/bus/pci/devices/$big/sriov_totalvfs"
	[ "$total" = "${want[-1]}" ]
	read -r total <"/sys/bus/pci/devices/$small/sriov_totalvfs"
	[ "$total" = "${want[0]}" ]
	if [ "$VM_PFS" = 127,4 ]; then
		[ "$big" = 0000:01:00.0 ]
		[ "$small" = 0000:02:00.0 ]
	fi
}

@test "no driver holds the PFs: nvme is never loaded" {
	local pf

	run -1 grep -q '^nvme ' /proc/modules
	run -1 modprobe nvme
	for pf in $(vm_pfs); do
		[ ! -e "/sys/bus/pci/devices/$pf/driver" ]
		[ "$(cat "/sys/bus/pci/devices/$pf/sriov_numvfs")" = 0 ]
	done
}

@test "vm_nonsriov_dev is a PCI device without SR-IOV or driver" {
	local dev

	dev=$(vm_nonsriov_dev)
	[ -e "/sys/bus/pci/devices/$dev" ]
	[ ! -e "/sys/bus/pci/devices/$dev/sriov_totalvfs" ]
	[ ! -e "/sys/bus/pci/devices/$dev/driver" ]
	vm_vf_alive "$dev"
}

@test "the root is a switch_root, not a chroot, with a real sysfs" {
	local mounts hostname

	read -r -d '' mounts </proc/self/mounts || true
	[[ "$mounts" == *"sysfs /sys sysfs "* ]]
	[[ "$mounts" == *"overlay / overlay "* ]]
	# what systemd-detect-virt --chroot and udevadm check
	[ / -ef /proc/1/root ]
	read -r hostname </proc/sys/kernel/hostname
	[ "$hostname" = vm ]
}

@test "udevadm works (with --udev)" {
	[ "$VM_UDEV" = 1 ] || skip "the harness ran without --udev"
	udevadm control --ping
	run -0 udevadm trigger --subsystem-match=pci --action=change
	run -0 udevadm settle --timeout=60
	[[ "$output" != *chroot* ]]
}

@test "vfio-pci binds a device behind the IOMMU" {
	local dev group

	[ "$VM_IOMMU" = 1 ] || skip "the harness ran with --no-iommu"
	[ -e "/sys/bus/pci/devices/$(vm_pf_small)/iommu_group" ]
	modprobe vfio-pci
	dev=$(vm_nonsriov_dev)
	group=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")")
	echo vfio-pci >"/sys/bus/pci/devices/$dev/driver_override"
	echo "$dev" >/sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver")")" = vfio-pci ]
	[ -c "/dev/vfio/$group" ]
	# leave the device as the other tests expect it: no driver
	echo "$dev" >/sys/bus/pci/drivers/vfio-pci/unbind
	echo >"/sys/bus/pci/devices/$dev/driver_override"
}

@test "the module was built for this kernel" {
	[ -n "${PCI_STUB_PF_KO:-}" ] || skip "driver/ had no sources"
	[ -f "$PCI_STUB_PF_KO" ]
	[[ "$(modinfo -F vermagic "$PCI_STUB_PF_KO")" == "$(uname -r) "* ]]
}

@test "writes stay in the VM, except on the results share" {
	local f="$VM_RESULTS/smoke-$$"

	grep -q " $VM_RESULTS 9p " /proc/mounts
	echo hello >"$f"
	[ "$(cat "$f")" = hello ]
	rm "$f"
	# / is the tmpfs overlay: this never reaches the host's /etc
	echo vm >/etc/pci-stub-pf-vm-smoke
	rm /etc/pci-stub-pf-vm-smoke
}

@test "vm_hmp and vm_qmp reach QEMU on the host" {
	run -0 vm_hmp 'info version'
	[[ "$output" =~ ^[0-9]+\.[0-9]+ ]]
	run -0 vm_qmp '{"execute": "query-status"}'
	[[ "$output" == *'"status": "running"'* ]]
	run -1 vm_qmp '{"execute": "no-such-command"}'
	[[ "$output" == *CommandNotFound* ]]
	run -2 vm_qmp 'not json'
}

@test "the topology has the hotplug ports and the plain device" {
	run -0 vm_hmp 'info pci'
	[[ "$output" == *'id "hp0"'* ]]
	[[ "$output" == *'id "hp1"'* ]]
	[[ "$output" == *'id "plain0"'* ]]
}

@test "vm_dmesg_mark, vm_dmesg_since and vm_assert_dmesg_clean" {
	vm_dmesg_mark smoke
	echo "vm smoke: after the marker" >/dev/kmsg
	run -0 vm_dmesg_since smoke
	[[ "$output" == *"vm smoke: after the marker"* ]]
	[[ "$output" != *"vm-mark: smoke"* ]]
	vm_assert_dmesg_clean smoke
	echo "vm smoke: WARNING: a fake one" >/dev/kmsg
	run -1 vm_assert_dmesg_clean smoke
	run -1 vm_dmesg_since no-such-marker
}

@test "vm_wait_for waits, and gives up" {
	local f="$BATS_TEST_TMPDIR/flag"

	(sleep 0.5; touch "$f") &
	vm_wait_for -t 10 test -e "$f"
	run -1 vm_wait_for -t 1 false
}
