#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The rules and the unit as files: they parse, and which events of which
# devices make udev run sriovctl (udevadm test evaluates the rules for one
# event without running anything).  Runs in the VM: tests/vm/run --udev.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

setup_file() { udev_setup_file; }
teardown_file() { udev_teardown_file; }
setup() {
	udev_need_vm
	udev_reset
}

# The sriovctl commands udev would run for ACTION on DEV, one per line.
udev_would_run() {
	udevadm test --action="$1" "$(dev_path "$2")" 2>&1 |
		sed -n "s/^run: '\(\/usr\/sbin\/sriovctl .*\)'$/\1/p"
}

@test "the rules file parses: udevadm reports no error in it" {
	run --separate-stderr udevadm test --action=add "$(dev_path "$(vm_pf_big)")"
	[ "$status" -eq 0 ]
	# udevadm names the file and line of anything it cannot parse
	! grep -F "70-sriovctl.rules:" <<<"$output$stderr"
	grep -F "$UDEV_RULES" <<<"$output$stderr"
}

@test "the rules use a udev-end label, an early guard and the installed path" {
	local f=$REPO/udev/70-sriovctl.rules

	grep -qx 'ACTION!="add|change|bind", GOTO="sriovctl_end"' "$f"
	grep -qx 'SUBSYSTEM!="pci", GOTO="sriovctl_end"' "$f"
	grep -qx 'LABEL="sriovctl_end"' "$f"
	# every program is the installed sriovctl, quiet, with the kernel name
	run -0 grep -c 'RUN+=' "$f"
	[ "$output" = "$(grep -c 'RUN+="/usr/sbin/sriovctl -q udev $kernel"' "$f")" ]
	# no attribute is written without a TEST of it first
	! grep -v '^#' "$f" | grep -E 'ATTR\{[^}]+\}=[^=]'
}

@test "a PF's add event runs sriovctl udev PF; its change, unbind and remove run nothing" {
	local pf

	pf=$(vm_pf_big)
	run -0 udev_would_run add "$pf"
	[ "$output" = "/usr/sbin/sriovctl -q udev $pf" ]
	for action in change unbind remove move; do
		run -0 udev_would_run "$action" "$pf"
		[ -z "$output" ]
	done
}

@test "a PF's bind event runs sriovctl only when the driver is pci-stub-pf" {
	local pf

	pf=$(vm_pf_small)
	# no driver: nothing
	run -0 udev_would_run bind "$pf"
	[ -z "$output" ]
	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	[ "$(dev_driver "$pf")" = pci-stub-pf ]
	run -0 udev_would_run bind "$pf"
	[ "$output" = "/usr/sbin/sriovctl -q udev $pf" ]
}

@test "a VF's add and change events run sriovctl udev VF; bind, unbind, remove nothing" {
	local pf vf

	pf=$(vm_pf_small)
	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	echo 2 >"$(dev_path "$pf")/sriov_numvfs"
	udev_settle
	vf=$(pf_vfs "$pf" | head -n1)
	for action in add change; do
		run -0 udev_would_run "$action" "$vf"
		[ "$output" = "/usr/sbin/sriovctl -q udev $vf" ]
	done
	for action in bind unbind remove; do
		run -0 udev_would_run "$action" "$vf"
		[ -z "$output" ]
	done
}

@test "a VF already bound to the driver its override names runs nothing" {
	local pf vf

	pf=$(vm_pf_small)
	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	echo 1 >"$(dev_path "$pf")/sriov_numvfs"
	udev_settle
	vf=$(pf_vfs "$pf")
	echo vfio-pci >"$(dev_path "$vf")/driver_override"
	run -0 udev_would_run add "$vf"
	# an override alone is not enough: the VF is not bound yet
	[ "$output" = "/usr/sbin/sriovctl -q udev $vf" ]
	echo "$vf" >$SYSFS_PCI/drivers_probe
	[ "$(dev_driver "$vf")" = vfio-pci ]
	for action in add change; do
		run -0 udev_would_run "$action" "$vf"
		[ -z "$output" ]
	done
	echo "$vf" >$SYSFS_PCI/drivers/vfio-pci/unbind
	echo >"$(dev_path "$vf")/driver_override"
}

@test "no event of an ordinary PCI device runs anything" {
	local a

	# pci-testdev (no driver), a hotplug root port (pcieport), the 9p
	# share (virtio-pci); 20-coldplug.bats counts the runs for every device
	for a in "$(vm_nonsriov_dev)" 0000:00:1c.0 0000:00:18.0; do
		[ -e "$(dev_path "$a")" ]
		for action in add change bind; do
			run -0 udev_would_run "$action" "$a"
			if [ -n "$output" ]; then
				echo "$action of $a runs: $output" >&2
				return 1
			fi
		done
	done
}

@test "the unit passes systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	run --separate-stderr systemd-analyze verify --man=no /etc/systemd/system/sriovctl.service
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	# verify also warns without failing: none for this unit
	! grep -F sriovctl.service <<<"$output$stderr"
}

@test "the unit runs sriovctl apply once, before the VF consumers" {
	local u=$REPO/systemd/sriovctl.service

	grep -qx 'Type=oneshot' "$u"
	grep -qx 'RemainAfterExit=yes' "$u"
	grep -qx 'ExecStart=/usr/sbin/sriovctl apply' "$u"
	grep -qx 'Wants=network-pre.target' "$u"
	grep -qx 'Before=network-pre.target libvirtd.service kubelet.service' "$u"
	grep -qx 'WantedBy=multi-user.target' "$u"
}
