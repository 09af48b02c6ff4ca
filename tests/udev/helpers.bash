# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the udev rules suite (tests/udev/*.bats).  Runs inside the
# test VM started with --udev (systemd-udevd running, no systemd as PID 1),
# as root, against the real sysfs.  Everything written here (rules, the
# tool, /etc/sriovctl*, the module) lands in the VM's throwaway overlay.
#
# Every test starts from the same state (udev_reset): no configuration,
# pci-stub-pf and vfio-pci loaded, every SR-IOV PF without a driver, without
# VFs and without driver_override, the udev queue empty.

SYSFS_PCI=/sys/bus/pci
UDEV_RULES=/etc/udev/rules.d/70-sriovctl.rules
SRIOVCTL_BIN=/usr/sbin/sriovctl
# Log of every sriovctl run from udev, one line "ARGS" each: see
# udev_count_runs.
UDEV_RUN_LOG=/run/sriovctl-udev-runs

dev_path() { echo "$SYSFS_PCI/devices/$1"; }

# The name of the driver bound to DEV, or nothing.
dev_driver() {
	vm_link_name "$SYSFS_PCI/devices/$1/driver" || true
}

# driver_override of DEV ("(null)" when unset, as the kernel prints it).
dev_override() { cat "$(dev_path "$1")/driver_override"; }

# The VFs of PF, one address per line (in no particular order), read
# without a program: every process costs under TCG.
pf_vfs() {
	local link

	for link in "$SYSFS_PCI/devices/$1"/virtfn*; do
		vm_link_name "$link" || true
	done
}

# Every SR-IOV PF present (the VM's nvme PFs and hotplugged ones).
all_pfs() {
	local dev

	for dev in "$SYSFS_PCI"/devices/*; do
		[ -e "$dev/sriov_totalvfs" ] && echo "${dev##*/}"
	done
	return 0
}

udev_need_vm() {
	[ "${VM_UDEV:-0}" = 1 ] ||
		skip "needs systemd-udevd in the VM: tests/vm/run --udev tests/udev"
	[ -n "${SRIOVCTL:-}" ] && [ -x "$SRIOVCTL" ] ||
		skip "sriovctl is not built (make -C tools)"
	[ -n "${PCI_STUB_PF_KO:-}" ] && [ -f "$PCI_STUB_PF_KO" ] ||
		skip "pci-stub-pf.ko is not built"
}

# Install what "make install" would, into the overlay: sriovctl in
# /usr/sbin (where the rules call it), the rules, the unit, and the module
# where modprobe finds it (depmod costs some 15 s over 9p: once per VM).
udev_install() {
	local kdir

	install -m 0755 "$SRIOVCTL" "$SRIOVCTL_BIN"
	install -m 0644 "$REPO/udev/70-sriovctl.rules" "$UDEV_RULES"
	install -D -m 0644 "$REPO/systemd/sriovctl.service" /etc/systemd/system/sriovctl.service
	kdir=/lib/modules/$(uname -r)/updates
	if ! cmp -s "$PCI_STUB_PF_KO" "$kdir/pci-stub-pf.ko"; then
		install -D -m 0644 "$PCI_STUB_PF_KO" "$kdir/pci-stub-pf.ko"
		depmod -a
	fi
	udevadm control --reload
}

# Wrap /usr/sbin/sriovctl so that every run is logged to UDEV_RUN_LOG
# (the real tool then runs as usual); udev_unwrap puts the tool back.
udev_wrap() {
	install -m 0755 "$SRIOVCTL" "$SRIOVCTL_BIN.real"
	cat >"$SRIOVCTL_BIN" <<EOF
#!/bin/sh
echo "\$*" >>$UDEV_RUN_LOG
exec $SRIOVCTL_BIN.real "\$@"
EOF
	chmod 0755 "$SRIOVCTL_BIN"
	: >"$UDEV_RUN_LOG"
}

udev_unwrap() {
	install -m 0755 "$SRIOVCTL" "$SRIOVCTL_BIN"
	rm -f "$SRIOVCTL_BIN.real"
}

udev_settle() { udevadm settle --timeout=180; }

# Write the configuration: udev_config FILE <<EOF ... EOF, FILE relative to
# /etc ("sriovctl.conf" or "sriovctl.d/NAME.conf").
udev_config() {
	mkdir -p /etc/sriovctl.d
	cat >"/etc/$1"
}

udev_unconfigure() {
	rm -f /etc/sriovctl.conf
	rm -rf /etc/sriovctl.d
}

_write() { printf '%s\n' "$2" >"$1"; }

# Bring PF back to "no driver, no VFs, no override".  A PF left with VFs
# and no driver (after rmmod) is bound again first: the driver adopts the
# VFs, locked, and only a bound PF can disable them.  Builtins only in the
# loop over the VFs (DEV/driver/unbind is the driver's unbind file).
udev_reset_pf() {
	local pf=$1 p vf d

	p=$(dev_path "$pf")
	if [ "$(<"$p/sriov_numvfs")" != 0 ]; then
		if [ ! "$p/driver" -ef "$SYSFS_PCI/drivers/pci-stub-pf" ]; then
			[ ! -e "$p/driver" ] || _write "$p/driver/unbind" "$pf"
			_write "$p/driver_override" pci-stub-pf
			_write "$SYSFS_PCI/drivers_probe" "$pf"
		fi
		[ ! -e "$p/sriov_lock" ] || [ "$(<"$p/sriov_lock")" = unlocked ] ||
			_write "$p/sriov_lock" unlocked
		for vf in $(pf_vfs "$pf"); do
			d=$SYSFS_PCI/devices/$vf
			_write "$d/driver_override" ""
			[ ! -e "$d/driver" ] || _write "$d/driver/unbind" "$vf"
		done
		_write "$p/sriov_numvfs" 0
	fi
	[ ! -e "$p/driver" ] || _write "$p/driver/unbind" "$pf"
	_write "$p/driver_override" ""
	_write "$p/sriov_drivers_autoprobe" 1
}

# The common starting state of every test (see the top of this file).
udev_reset() {
	local pf

	udev_unconfigure
	[ ! -e "$SRIOVCTL_BIN.real" ] || udev_unwrap
	udev_settle
	[ -d /sys/module/pci_stub_pf ] || insmod "$PCI_STUB_PF_KO"
	modprobe vfio-pci
	for pf in $(all_pfs); do
		udev_reset_pf "$pf"
	done
	udev_settle
}

udev_setup_file() {
	udev_need_vm
	udev_install
	udev_reset
	# One coldplug without configuration, as the boot did not have one:
	# Debian's rules load the drivers of the VM's other devices (ahci,
	# lpc_ich...) now, not in the middle of a test that compares states.
	udev_coldplug
}

udev_teardown_file() {
	[ "${VM_UDEV:-0}" = 1 ] || return 0
	udev_reset
	rm -f "$UDEV_RULES"
	udevadm control --reload
}

# Coldplug as at boot: an add event for every device, then wait for all
# events (and the RUN programs) to finish.
udev_coldplug() {
	udevadm trigger --action=add
	udev_settle
}

# Fail with a message unless PF is bound to pci-stub-pf with VFS VFs, lock
# LOCK and autoprobe AUTOPROBE (0/1).
assert_pf() {
	local pf=$1 vfs=$2 lock=$3 autoprobe=$4 p got

	p=$(dev_path "$pf")
	got="$(dev_driver "$pf") $(cat "$p/sriov_numvfs") $(cat "$p/sriov_lock" 2>/dev/null) $(cat "$p/sriov_drivers_autoprobe")"
	if [ "$got" != "pci-stub-pf $vfs $lock $autoprobe" ]; then
		echo "$pf: driver, VFs, lock, autoprobe are '$got', want 'pci-stub-pf $vfs $lock $autoprobe'" >&2
		return 1
	fi
}

# Fail unless every VF of PF is bound to DRV with driver_override DRV
# ("" for: no driver, no override); list the VFs that are not.  Builtins
# only in the loop (-ef compares what the driver link points to).
assert_vfs_on() {
	local pf=$1 drv=$2 vf d ov bad=() n=0 want_override=${2:-(null)}

	for vf in $(pf_vfs "$pf"); do
		n=$((n + 1))
		d=$SYSFS_PCI/devices/$vf
		read -r ov <"$d/driver_override"
		if [ -n "$drv" ]; then
			[ "$d/driver" -ef "$SYSFS_PCI/drivers/$drv" ] && [ "$ov" = "$want_override" ] && continue
		else
			[ ! -e "$d/driver" ] && [ "$ov" = "$want_override" ] && continue
		fi
		bad+=("$vf:$(dev_driver "$vf"):$ov")
	done
	if [ ${#bad[@]} -gt 0 ]; then
		echo "$pf: ${#bad[@]} of $n VFs are not on '$drv' (VF:driver:override): ${bad[*]}" >&2
		return 1
	fi
}

# Fail unless PF is as udev_reset left it: no driver, no VFs, no override.
assert_pf_untouched() {
	local pf=$1 got

	got="$(dev_driver "$pf")|$(cat "$(dev_path "$pf")/sriov_numvfs")|$(dev_override "$pf")"
	if [ "$got" != "|0|(null)" ]; then
		echo "$pf was touched: driver|VFs|override is '$got'" >&2
		return 1
	fi
}

# Every PCI device's driver link, driver_override, and for PFs VF count
# and autoprobe, one "PATH: VALUE" line each, sorted.  Two snapshots
# differ iff something was touched.  A few forks for all devices.
pci_snapshot() {
	{
		stat -c '%N' "$SYSFS_PCI"/devices/*/driver 2>/dev/null
		grep -H . "$SYSFS_PCI"/devices/*/driver_override \
			"$SYSFS_PCI"/devices/*/sriov_numvfs \
			"$SYSFS_PCI"/devices/*/sriov_drivers_autoprobe 2>/dev/null
	} | sort
}

# Seconds since the epoch, with nanoseconds, and a difference of two.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# vm_assert_dmesg_clean NAME, and on failure the reports themselves (the
# lines before and after each trace), which the harness keeps only in
# dmesg.txt at the end of the run.  One exception: an RCU stall whose
# report says the grace-period kthread was starved of CPU ("timer wakeup
# didn't happen", "kthread starved") and nothing else: that is the guest
# vCPU not being run by an overloaded host under TCG, not a kernel bug.  It
# is noted in the TAP output, not hidden.
udev_assert_dmesg_clean() {
	local log bad

	vm_assert_dmesg_clean "$1" 2>/dev/null && return 0
	log=$(vm_dmesg_since "$1")
	bad=$(grep -E "$VM_DMESG_BAD" <<<"$log" | grep -v 'Call Trace:')
	if [ -z "$bad" ] && grep -q 'rcu: INFO: rcu_preempt' <<<"$log" &&
		grep -qE "kthread timer wakeup didn't happen|kthread starved for" <<<"$log"; then
		echo "# note: RCU stall from a starved vCPU (host overloaded) since '$1', ignored" >&3
		return 0
	fi
	vm_assert_dmesg_clean "$1" || true
	grep -E -B3 -A25 "$VM_DMESG_BAD" <<<"$log" | head -n 150 >&2
	return 1
}
