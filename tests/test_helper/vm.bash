# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for bats tests that run inside the test VM (tests/vm/run).
#
# Load it from a test file with a path relative to that file (bats' `load`
# resolves relative names against the directory of the .bats file and adds
# ".bash"):
#
#     load ../test_helper/vm          # from tests/<suite>/x.bats
#     load ../../test_helper/vm       # from tests/vm/<suite>/x.bats
#     bats_load_library vm.bash       # anywhere: BATS_LIB_PATH has test_helper
#
# The harness exports REPO, VM_RESULTS, VM_KERNEL, VM_PFS, VM_IOMMU, VM_UDEV,
# and PCI_STUB_PF_KO / SRIOVCTL when they were built.

VM_PF_ID="1b36:0010"        # QEMU nvme: PF and VFs alike
VM_HOST_TIMEOUT=${VM_HOST_TIMEOUT:-120}
VM_WAIT_TIMEOUT=${VM_WAIT_TIMEOUT:-30}

# vm_pfs: print the address of every SR-IOV PF of the emulated type, sorted.
# (These helpers read sysfs with builtins: under TCG every process costs
# tens of milliseconds.)
vm_pfs() {
	local dev vendor device

	for dev in /sys/bus/pci/devices/*; do
		[ -e "$dev/sriov_totalvfs" ] || continue
		read -r vendor <"$dev/vendor"
		read -r device <"$dev/device"
		[ "${vendor#0x}:${device#0x}" = "$VM_PF_ID" ] || continue
		echo "${dev##*/}"
	done
}

# vm_link_name PATH [VAR]: the last component of the path that the
# symlink PATH resolves to (a device's driver, a PF's virtfnN), printed or
# stored in VAR, without running a program: readlink costs 0.1-0.2 s under
# TCG, and the suites read hundreds of links.  Status 1 (VAR empty) if
# PATH does not resolve.
vm_link_name() {
	local here=$PWD name=

	if builtin cd -P -- "$1" 2>/dev/null; then
		name=${PWD##*/}
		builtin cd -- "$here"
	fi
	if [ $# -gt 1 ]; then
		printf -v "$2" '%s' "$name"
	elif [ -n "$name" ]; then
		echo "$name"
	fi
	[ -n "$name" ]
}

# Print the PF with the most ($1 = 1) or fewest ($1 = -1) sriov_totalvfs;
# the first in address order on a tie.
_vm_pf_by_total() {
	local sign=$1 pf total best='' best_total=0

	for pf in $(vm_pfs); do
		read -r total <"/sys/bus/pci/devices/$pf/sriov_totalvfs"
		if [ -z "$best" ] || ((sign * total > sign * best_total)); then
			best=$pf
			best_total=$total
		fi
	done
	[ -n "$best" ] || { echo "no SR-IOV PF ($VM_PF_ID) in this VM" >&2; return 1; }
	echo "$best"
}

# vm_pf_big: the PF with the most VFs (127 in the default topology).
vm_pf_big() { _vm_pf_by_total 1; }

# vm_pf_small: the PF with the fewest VFs (4 in the default topology).
vm_pf_small() { _vm_pf_by_total -1; }

# vm_nonsriov_dev: an ordinary PCI device without SR-IOV and without a
# driver, safe to offer to a driver: QEMU's pci-testdev (1b36:0005).
vm_nonsriov_dev() {
	local dev vendor device

	for dev in /sys/bus/pci/devices/*; do
		read -r vendor <"$dev/vendor"
		read -r device <"$dev/device"
		[ "$vendor:$device" = 0x1b36:0x0005 ] || continue
		[ -e "$dev/sriov_totalvfs" ] && continue
		echo "${dev##*/}"
		return 0
	done
	echo "vm_nonsriov_dev: no pci-testdev in this VM" >&2
	return 1
}

# _vm_sleep SEC: sleep without a process (under TCG every process costs
# 0.1 s or more, sleep 0.1 takes 0.3 s): a read that times out on a pipe this shell also holds open
# for writing, so it never sees EOF.
_vm_sleep() {
	if [ -z "${_vm_sleep_fd:-}" ]; then
		exec {_vm_sleep_fd}<> <(:)
	fi
	read -rt "$1" -u "$_vm_sleep_fd" || true
}

# Send a request of kind $1 (qmp|hmp) to the host harness and print the
# reply; the status is the host's (0 done, 1 QEMU error, 2 malformed, 124
# no answer in VM_HOST_TIMEOUT seconds).  Protocol: lib/host-server.py.
_vm_host_request() {
	local kind=$1 payload=$2 dir="$VM_RESULTS/host" id out rc deadline

	# One write of a newline-terminated line: the host takes the request
	# once the newline is there.  No mv: every process costs (see above).
	id="${EPOCHREALTIME/./}-$BASHPID-$RANDOM"
	printf '%s\n' "${payload//$'\n'/ }" >"$dir/$id.$kind"
	deadline=$((SECONDS + VM_HOST_TIMEOUT))
	until [ -e "$dir/$id.rc" ]; do
		if ((SECONDS >= deadline)); then
			echo "vm_$kind: no answer from the host in $VM_HOST_TIMEOUT s" >&2
			return 124
		fi
		_vm_sleep 0.05
	done
	read -r -d '' out <"$dir/$id.out" || true
	printf '%s' "$out"
	read -r rc <"$dir/$id.rc"
	return "$rc"
}

# vm_qmp JSON: run one QMP command on the host, print the reply (one JSON
# line); fails if QEMU answered with an error.
#   vm_qmp '{"execute": "device_del", "arguments": {"id": "pf1"}}'
# QMP events land in $VM_RESULTS/host/events.jsonl.
vm_qmp() { _vm_host_request qmp "$1"; }

# vm_hmp CMD: run one human monitor command on the host, print its output.
#   vm_hmp 'pcie_aer_inject_error rp0 UNSUP'
vm_hmp() { _vm_host_request hmp "$1"; }

# vm_dmesg_mark NAME: put a marker line into the kernel log.
vm_dmesg_mark() {
	echo "vm-mark: $1" >/dev/kmsg
}

# vm_dmesg_since [NAME]: the kernel log after the last marker NAME (all of
# it without NAME); fails if the marker is not in the log.
vm_dmesg_since() {
	local name=${1:-}

	[ -n "$name" ] || { dmesg; return; }
	dmesg | awk -v m="vm-mark: $name" '
		substr($0, length($0) - length(m) + 1) == m { found = 1; buf = ""; next }
		found { buf = buf $0 "\n" }
		END { printf "%s", buf; exit !found }' || {
		echo "vm_dmesg_since: no marker '$name' in the kernel log" >&2
		return 1
	}
}

# Kernel log lines that mean a kernel bug, whatever the test did.  The
# debug kernel (make check-debug-kernel) adds KASAN ("BUG: KASAN: ..."),
# lockdep ("WARNING: possible circular locking dependency detected", or a
# lockdep that turns itself off) and kmemleak reports.
VM_DMESG_BAD='WARNING:|BUG:|Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|turning off the locking correctness validator|INFO: task .* blocked|sleeping function called from invalid context|Call Trace|kmemleak|KASAN'
# What matches the above but is no bug: kmemleak's own notes at boot.
VM_DMESG_BENIGN='kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread (started|ended))'

# The PCI core's own lockdep report at the first hot-add of any device on
# Debian's 6.12 (seen by make check-debug-kernel, whatever the module
# does): pciehp_ist() holds ctrl->reset_lock, pciehp_configure_device()
# takes pci_rescan_remove_lock, drops reset_lock around driver binding and
# takes it again under pci_rescan_remove_lock.  Only with
# FAULTS_KNOWN_CORE_REPORTS=1 (check-debug-kernel's hotplug boot) this
# drops, from the log on stdin, each lockdep report (its first line to the
# end of its stack) that names those two locks and that function and not
# pci_stub_pf, and says so on stderr.
_vm_drop_known_core_reports() {
	if [ "${FAULTS_KNOWN_CORE_REPORTS:-0}" != 1 ]; then
		cat
		return
	fi
	awk '
		function flush() {
			if (blk ~ /pciehp_configure_device/ && blk ~ /reset_lock/ &&
			    blk ~ /pci_rescan_remove_lock/ && blk !~ /pci_stub_pf/)
				print "known PCI core report, not counted: pciehp reset_lock vs pci_rescan_remove_lock" > "/dev/stderr"
			else
				printf "%s", blk
			blk = ""
			inblk = 0
		}
		/WARNING: possible circular locking dependency detected/ { inblk = 1 }
		inblk { blk = blk $0 "\n"; if ($0 ~ /<\/TASK>/) flush(); next }
		{ print }
		END { if (inblk) flush() }'
}

# vm_assert_dmesg_clean [NAME]: fail, printing them, if the kernel log (since
# marker NAME) has warnings, oopses, lockdep splats, hung tasks or leaks.
vm_assert_dmesg_clean() {
	local log bad

	log=$(vm_dmesg_since "$@") || return 1
	# no extra process per check unless asked: under TCG each start is slow
	if [ "${FAULTS_KNOWN_CORE_REPORTS:-0}" = 1 ]; then
		log=$(_vm_drop_known_core_reports <<<"$log")
	fi
	bad=$(grep -E "$VM_DMESG_BAD" <<<"$log" | grep -vE "$VM_DMESG_BENIGN") || return 0
	echo "kernel log${1:+ since marker \"$1\"} has errors:" >&2
	echo "$bad" >&2
	return 1
}

# vm_vf_alive VF: true if the device answers config reads (a VF that the
# device dropped reads all ones even while sysfs still lists it).
vm_vf_alive() {
	local cmd

	cmd=$(setpci -s "$1" COMMAND) || return 1
	[ "$cmd" != ffff ]
}

# vm_wait_for [-t SEC] CMD...: run CMD every 0.1 s until it succeeds; fail
# after SEC seconds (default VM_WAIT_TIMEOUT, 30).
vm_wait_for() {
	local timeout=$VM_WAIT_TIMEOUT deadline

	if [ "${1:-}" = -t ]; then
		timeout=$2
		shift 2
	fi
	deadline=$((SECONDS + timeout))
	until "$@"; do
		if ((SECONDS >= deadline)); then
			echo "vm_wait_for: '$*' still fails after $timeout s" >&2
			return 1
		fi
		_vm_sleep 0.1
	done
}
