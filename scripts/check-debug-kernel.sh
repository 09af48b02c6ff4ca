#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug-kernel: the driver and fault suites under a kernel with
# KASAN, lockdep (PROVE_LOCKING), kmemleak and DEBUG_ATOMIC_SLEEP, which
# Debian's kernels do not have.
#
# 1. Builds the kernel with scripts/debug-kernel.sh unless its cache holds
#    one built by the current script from the installed sources (the first
#    build took 25 minutes on a 2-core machine on 2026-12-04, beside a
#    benchmark run; see that script).
# 2. Boots it three times with tests/vm/run --kernel-root: tests/driver,
#    tests/faults without its hot-plug tests, then those (as make
#    check-vm-driver and make check-faults do), each followed in the same
#    boot by tests/debug (detectors still armed, kmemleak scan).  Every test already fails on a KASAN report, a lockdep
#    splat, sleeping in atomic context or a hung task in the kernel log.
#
# Everything runs several times slower than on Debian's kernel (KASAN and
# lockdep under TCG), hence the long timeouts, and the fault suite's cycle
# counts are lower than make check-faults' (the FAULTS_* below; set them in
# the environment to override).  A failing boot does not stop the other.
#
# Environment: CACHE (the kernel's cache, default
# ~/.cache/pci-stub-pf/debug-kernel), DEBUG_TIMEOUT_DRIVER and
# DEBUG_TIMEOUT_FAULTS (seconds per boot), DEBUG_BOOTS (the boots to run,
# default "driver faults hotplug"), FAULTS_*.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-$HOME/.cache/pci-stub-pf/debug-kernel}
export CACHE
DEBUG_TIMEOUT_DRIVER=${DEBUG_TIMEOUT_DRIVER:-10800}
DEBUG_TIMEOUT_FAULTS=${DEBUG_TIMEOUT_FAULTS:-14400}
# the boots to run, of: driver faults hotplug
DEBUG_BOOTS=${DEBUG_BOOTS:-driver faults hotplug}

# The fault suite's knobs for this target: the detectors catch a bug in
# the first cycles that hit it, and each cycle costs 3-5 times more here.
# make check-faults runs 200 bind/unbind, 50 enable/disable and 50
# rmmod/insmod cycles; the others keep their defaults.  Hung tasks are
# reported after 120 s (Debian's default) instead of the suite's 60 s:
# under KASAN and lockdep a 127-VF teardown holds locks that long.
export FAULTS_CYCLES=${FAULTS_CYCLES:-50}
export FAULTS_ENABLE_CYCLES=${FAULTS_ENABLE_CYCLES:-20}
export FAULTS_MOD_CYCLES=${FAULTS_MOD_CYCLES:-20}
export FAULTS_HUNG_TASK_SECS=${FAULTS_HUNG_TASK_SECS:-120}

cd "$REPO"

if ! scripts/debug-kernel.sh --check; then
	echo "check-debug-kernel: building the debug kernel into $CACHE (log: $CACHE/build.log)"
	mkdir -p "$CACHE"
	start=$SECONDS
	if ! scripts/debug-kernel.sh >"$CACHE/build.log" 2>&1; then
		tail -n 40 "$CACHE/build.log" >&2
		echo "check-debug-kernel: the kernel build failed (see $CACHE/build.log)" >&2
		exit 1
	fi
	echo "check-debug-kernel: kernel built in $(((SECONDS - start) / 60)) min"
fi
read -r ver <"$CACHE/root/kernelrelease"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
status=0
summary=()

# One boot: a name for the results directory, its timeout, the suites.
boot() {
	local name=$1 timeout=$2 result=PASSED start=$SECONDS
	local results="$REPO/build/vm-results/debug-$name-$stamp"
	shift 2

	[[ " $DEBUG_BOOTS " == *" $name "* ]] || return 0

	echo "check-debug-kernel: $name: $* on $ver (results: $results)"
	if ! tests/vm/run --kernel-root "$CACHE/root" --kernel "$ver" \
		--timeout "$timeout" --results "$results" "$@" tests/debug; then
		result=FAILED
		status=1
	fi
	summary+=("$name: $result in $(((SECONDS - start) / 60)) min, $results")
}

boot driver "$DEBUG_TIMEOUT_DRIVER" tests/driver
# Hot-plug in a boot of its own: the first hot-add of any device makes
# Debian 6.12's pciehp report a lock-order problem of its own (see
# _vm_drop_known_core_reports in tests/test_helper/vm.bash), and lockdep
# checks nothing after its first report.  The other faults get a boot in
# which lockdep stays on to the end.
boot faults "$DEBUG_TIMEOUT_FAULTS" tests/faults/[2-9]*.bats
FAULTS_KNOWN_CORE_REPORTS=1 boot hotplug "$DEBUG_TIMEOUT_FAULTS" tests/faults/10-hotplug.bats

echo "check-debug-kernel: kernel $ver"
printf 'check-debug-kernel: %s\n' "${summary[@]}"
exit "$status"
