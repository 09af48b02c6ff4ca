#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel's verdict on a whole boot, run last after tests/driver
# or tests/faults by scripts/check-debug-kernel.sh (make check-debug-kernel)
# on the kernel scripts/debug-kernel.sh builds.  On any other kernel it
# fails: without the detectors a clean result would mean nothing.
#
# The suites already fail a test, as it happens, on a KASAN report, a
# lockdep splat, sleeping in atomic context or a hung task
# (vm_assert_dmesg_clean).  What only shows at the end is a leak: kmemleak
# reports an object once it is unreferenced, older than its minimum age and
# unchanged since the scan before, so this scans, waits, scans again,
# saves and prints the whole report, and fails on every leak whose
# allocation backtrace goes through pci-stub-pf or the PCI paths the suites
# drive with it (KMEMLEAK_OURS below).  Other leaks are printed, not failed.

bats_require_minimum_version 1.5.0
load ../test_helper/vm

KMEMLEAK=/sys/kernel/debug/kmemleak

# mm/kmemleak.c: MSECS_MIN_AGE, the age below which an object is never
# reported; one more second for the emulated clock.
KMEMLEAK_MIN_AGE=6

# Backtrace frames that make a leak ours: the module, and what it or the
# suites drive through it in the PCI core: SR-IOV enable/disable and VF
# creation, binding and unbinding PFs and VFs (new_id, driver_override,
# bind/unbind, probe/remove), resets and AER recovery.  Function names as
# %pS prints them ("name+0x12/0x40 [module]").
KMEMLEAK_OURS='pci_stub_pf|pci_enable_sriov|pci_disable_sriov|sriov_enable|sriov_disable|sriov_add_vfs|sriov_del_vfs|pci_iov_add_virtfn|pci_iov_remove_virtfn|virtfn_add_bus|pci_iov_sysfs_link|sriov_numvfs_store|sriov_drivers_autoprobe_store|pci_add_dynid|new_id_store|remove_id_store|driver_override_store|bind_store|unbind_store|drivers_probe_store|pci_device_probe|pci_device_remove|reset_store|pci_reset_function|pci_dev_save_and_disable|pci_dev_restore|pcie_do_recovery|report_error_detected|report_slot_reset|report_resume'

# The options scripts/debug-kernel.sh builds with, that this run relies on.
KMEMLEAK_CONFIG=(KASAN PROVE_LOCKING DEBUG_KMEMLEAK DEBUG_ATOMIC_SLEEP DETECT_HUNG_TASK)

# known_core_pf_leak SUMMARY: in check-debug-kernel's hotplug boot
# (FAULTS_KNOWN_CORE_REPORTS=1), true if the only leaks of ours are
# driver_override strings, no more of them than PFs the PCI core leaked on
# hot-unplug: each VF's reference on its PF is never dropped once pciehp
# has removed the VF (tests/README.md, "Debug kernel"), and a leaked PF
# takes the driver_override string the test bound it with along.
known_core_pf_leak() {
	local pfs overrides

	[ "${FAULTS_KNOWN_CORE_REPORTS:-0}" = 1 ] || return 1
	pfs=$(grep -cE '^OTHER .* pci_alloc_dev\+.* pciehp_configure_device\+' <<<"$1") || true
	overrides=$(grep -cE '^OURS .* kstrndup\+[^ ]* < __device_set_driver_override\+' <<<"$1") || true
	! grep '^OURS ' <<<"$1" | grep -qvE ' kstrndup\+[^ ]* < __device_set_driver_override\+' || return 1
	((overrides <= pfs)) || return 1
	echo "# kmemleak: $overrides driver_override strings of the $pfs PFs the PCI core leaked on hot-unplug: the core's leak, not counted" >&3
}

@test "the kernel runs with KASAN, lockdep, kmemleak and DEBUG_ATOMIC_SLEEP, lockdep still on" {
	local config=${VM_KERNEL_ROOT:-}/boot/config-$VM_KERNEL opt stats

	[ -r "$config" ] || {
		echo "no $config: tests/debug runs only on the debug kernel (make check-debug-kernel)" >&2
		return 1
	}
	for opt in "${KMEMLEAK_CONFIG[@]}"; do
		grep -q "^CONFIG_$opt=y" "$config" || {
			echo "$VM_KERNEL has no CONFIG_$opt: tests/debug runs only on the debug kernel (make check-debug-kernel)" >&2
			return 1
		}
	done
	[ -e "$KMEMLEAK" ] || {
		echo "$KMEMLEAK missing: kmemleak is not in this kernel, or debugfs is not mounted" >&2
		return 1
	}
	# Lockdep switches itself off for the rest of the boot after its first
	# report or when its tables overflow: then it saw only part of the run.
	read -r -d '' stats </proc/lockdep_stats || true
	# In check-debug-kernel's hotplug boot, the PCI core's own report at
	# the first hot-add (vm.bash, _vm_drop_known_core_reports) turns
	# lockdep off; then no other lockdep report may be in the log.
	if [[ ! "$stats" =~ debug_locks:\ +1 ]] && [ "${FAULTS_KNOWN_CORE_REPORTS:-0}" = 1 ] &&
		dmesg | grep -q 'pciehp_configure_device' &&
		! dmesg | _vm_drop_known_core_reports 2>/dev/null |
		grep -qE 'possible circular locking|possible recursive locking|inconsistent lock state|turning off the locking correctness validator'; then
		echo "# lockdep turned itself off at the PCI core's known pciehp report (first hot-add): it validated this boot up to there" >&3
		return 0
	fi
	[[ "$stats" =~ debug_locks:\ +1 ]] || {
		echo "lockdep is off (/proc/lockdep_stats: debug_locks is not 1): it stopped validating during the run" >&2
		grep debug_locks /proc/lockdep_stats >&2
		return 1
	}
}

@test "kmemleak finds no leak from pci-stub-pf or the PCI paths it drives" {
	local report="$VM_RESULTS/kmemleak.txt" summary ours

	[ -w "$KMEMLEAK" ] || {
		echo "$KMEMLEAK missing or not writable: kmemleak is absent or disabled" >&2
		return 1
	}
	# A failed write means kmemleak turned itself off (it logs why).
	echo scan >"$KMEMLEAK"
	_vm_sleep "$KMEMLEAK_MIN_AGE"
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$report"

	# One line per leak: "OURS|OTHER size comm first-frames".
	summary=$(awk -v ours="$KMEMLEAK_OURS" '
		function flush() {
			if (obj != "")
				printf "%s %s %s %s\n", mine ? "OURS" : "OTHER", obj, comm, frames
			obj = ""
		}
		/^unreferenced object/ { flush(); obj = $3 " " $4 " " $5; comm = ""; frames = ""; mine = 0; bt = 0; next }
		/^  comm / { comm = $2; next }
		/^  backtrace/ { bt = 1; next }
		bt && /^    / {
			if ($1 ~ ours || $2 ~ /\[pci_stub_pf\]/)
				mine = 1
			if (n_frames(frames) < 8)
				frames = frames (frames == "" ? "" : " < ") $1
		}
		function n_frames(s) { return s == "" ? 0 : split(s, _, " < ") }
		END { flush() }' "$report")

	{
		echo "kmemleak: $(grep -c . <<<"$summary") unreferenced objects (report: $report)"
		[ -z "$summary" ] || echo "kmemleak: ${summary//$'\n'/$'\n'kmemleak: }"
		echo "kmemleak: the whole report:"
		sed 's/^/  /' "$report"
	} | sed 's/^/# /' >&3

	ours=$(grep '^OURS ' <<<"$summary") || return 0
	known_core_pf_leak "$summary" && return 0
	echo "leaks whose allocation went through pci-stub-pf or the PCI paths it drives:" >&2
	echo "$ours" >&2
	return 1
}
