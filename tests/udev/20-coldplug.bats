#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Coldplug, as at boot: "udevadm trigger --action=add; udevadm settle" with
# the rules installed configures the PFs that the configuration names and
# hands every one of their VFs to the vf-driver; nothing else is touched.
# Repeated, because the VF events race with the PF's own.
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

@test "coldplug: a PF named by address gets 127 VFs, locked, autoprobe off, every VF on vfio-pci (5 rounds)" {
	local big small plain round t0 t1

	big=$(vm_pf_big)
	small=$(vm_pf_small)
	plain=$(vm_nonsriov_dev)
	[ "$(cat "$(dev_path "$big")/sriov_totalvfs")" = 127 ]
	for round in $(seq "$ROUNDS"); do
		udev_config sriovctl.conf <<-EOF
			# the big PF, by address
			[pf $big]
			vfs = 127
			lock = yes
			autoprobe = no
			vf-driver = vfio-pci
		EOF
		vm_dmesg_mark "coldplug-$round"
		t0=$(now)
		udev_coldplug
		t1=$(now)
		echo "# round $round: coldplug with 127 VFs to configure: $(elapsed "$t0" "$t1") s" >&3
		assert_pf "$big" 127 locked 0
		assert_vfs_on "$big" vfio-pci
		assert_pf_untouched "$small"
		[ -z "$(dev_driver "$plain")" ]
		[ "$(dev_override "$plain")" = "(null)" ]
		udev_assert_dmesg_clean "coldplug-$round"
		udev_reset
	done
}

@test "coldplug: a vendor:device section configures every PF of that model (5 rounds)" {
	local pf round

	for round in $(seq "$ROUNDS"); do
		# every QEMU nvme PF is 1b36:0010: both PFs match
		udev_config sriovctl.d/50-nvme.conf <<-EOF
			[pf 1b36:0010]
			vfs = 4
			lock = no
			autoprobe = no
			vf-driver = none
		EOF
		udev_coldplug
		for pf in $(vm_pfs); do
			assert_pf "$pf" 4 unlocked 0
			# vf-driver none: the VFs stay unbound, no override
			assert_vfs_on "$pf" ""
		done
		udev_reset
	done
}

@test "coldplug: sriovctl runs for PFs and VFs only, never for another PCI device" {
	local big dev a

	big=$(vm_pf_big)
	udev_config sriovctl.conf <<-EOF
		[pf $big]
		vfs = 8
		vf-driver = vfio-pci
	EOF
	udev_wrap
	udev_coldplug
	assert_pf "$big" 8 unlocked 0
	assert_vfs_on "$big" vfio-pci
	# every PF's add event ran it (a VF that the PF's run assigned first
	# may need none: the rules skip VFs already bound to their override)
	for a in $(all_pfs); do
		grep -qx -- "-q udev $a" "$UDEV_RUN_LOG" || {
			echo "sriovctl never ran for PF $a" >&2
			return 1
		}
	done
	for dev in "$SYSFS_PCI"/devices/*; do
		[ -e "$dev/sriov_totalvfs" ] || [ -e "$dev/physfn" ] && continue
		a=$(basename "$dev")
		if grep -q -- " $a\$" "$UDEV_RUN_LOG"; then
			echo "sriovctl ran for $a, which is neither PF nor VF" >&2
			return 1
		fi
	done
	# every line is one of ours
	! grep -vxE -- '-q udev [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' "$UDEV_RUN_LOG"
}

@test "coldplug of configured VFs runs no program for them" {
	local big vf line
	local -A vfs=()

	big=$(vm_pf_big)
	udev_config sriovctl.conf <<-EOF
		[pf $big]
		vfs = 8
		vf-driver = vfio-pci
	EOF
	udev_coldplug
	assert_vfs_on "$big" vfio-pci
	udev_wrap
	udev_coldplug
	assert_vfs_on "$big" vfio-pci
	# no run for any of its VFs (one pass over the log: no process per VF)
	for vf in $(pf_vfs "$big"); do
		vfs[$vf]=1
	done
	while read -r line; do
		[ -z "${vfs[${line##* }]:-}" ] || { echo "sriovctl ran for a configured VF: $line"; return 1; }
	done <"$UDEV_RUN_LOG"
	grep -qx -- "-q udev $big" "$UDEV_RUN_LOG"
}

@test "coldplug again changes nothing: no VF is rebound, nothing is written" {
	local big before after

	big=$(vm_pf_big)
	udev_config sriovctl.conf <<-EOF
		[pf $big]
		vfs = 16
		lock = yes
		vf-driver = vfio-pci
	EOF
	udev_coldplug
	assert_pf "$big" 16 locked 0
	before=$(pci_snapshot)
	vm_dmesg_mark recoldplug
	udev_coldplug
	after=$(pci_snapshot)
	[ "$before" = "$after" ]
	# vfio-pci logs nothing when nothing is rebound
	run -0 vm_dmesg_since recoldplug
	! grep -E 'vfio|pci-stub-pf' <<<"$output"
}
