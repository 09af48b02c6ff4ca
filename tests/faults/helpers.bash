# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the fault suite (tests/faults): hot-unplug, AER, resets,
# races, unload.  Runs inside the test VM as root, after
#
#     load ../test_helper/vm
#     load ../driver/helpers       # stub_*, pf_vfs, vf_bind, numvfs, ...
#     load helpers
#
# Knobs (environment, or a faults.env file of VAR=value lines in the results
# directory: `tests/vm/run --results DIR` with DIR/faults.env, since the
# harness passes only its own variables into the guest):
#
#   FAULTS_CYCLES          bind/unbind and enable/disable cycles (200)
#   FAULTS_ENABLE_CYCLES   enable/disable cycles alone (FAULTS_CYCLES); each
#                          costs at least 1 s (the kernel's ssleep(1))
#   FAULTS_MOD_CYCLES      rmmod/insmod cycles with locked VFs (50)
#   FAULTS_STRESS_SECONDS  duration of the concurrency test (60)
#   FAULTS_STRESS_PROCS    processes in the concurrency test (16)
#   FAULTS_AER_ROUNDS      injections of each AER error (3)
#   FAULTS_RESET_ROUNDS    PF resets through sysfs (5)
#   FAULTS_HUNG_TASK_SECS  hung_task_timeout_secs during the suite (60)

if [ -r "${VM_RESULTS:-}/faults.env" ]; then
	# shellcheck disable=SC1091
	. "$VM_RESULTS/faults.env"
fi
FAULTS_CYCLES=${FAULTS_CYCLES:-200}
FAULTS_ENABLE_CYCLES=${FAULTS_ENABLE_CYCLES:-$FAULTS_CYCLES}
FAULTS_MOD_CYCLES=${FAULTS_MOD_CYCLES:-50}
FAULTS_STRESS_SECONDS=${FAULTS_STRESS_SECONDS:-60}
FAULTS_STRESS_PROCS=${FAULTS_STRESS_PROCS:-16}
FAULTS_AER_ROUNDS=${FAULTS_AER_ROUNDS:-3}
FAULTS_RESET_ROUNDS=${FAULTS_RESET_ROUNDS:-5}
FAULTS_HUNG_TASK_SECS=${FAULTS_HUNG_TASK_SECS:-60}

# What the suite measured, one "test: key=value ..." line per call, in the
# results share (tests/README.md quotes it).
faults_stat()
{
	echo "${BATS_TEST_DESCRIPTION:-${BATS_TEST_FILENAME##*/}}: $*" >>"$VM_RESULTS/faults-stats.txt"
}

# Once per file: the driver suite's PF discovery, vfio-pci, and a hung
# task detector that fires within the suite (Debian's default is 120 s).
faults_setup_file()
{
	stub_setup_file
	if [ -w /proc/sys/kernel/hung_task_timeout_secs ]; then
		echo "$FAULTS_HUNG_TASK_SECS" >/proc/sys/kernel/hung_task_timeout_secs
	fi
	# Under TCG on a loaded host a vCPU can get no time for tens of
	# seconds: the soft lockup and RCU stall detectors then report the idle
	# task.  Their longest thresholds (2 x 60 s, 300 s) still catch a real
	# lockup; the hung task detector above is what "nothing hangs" needs.
	if [ -w /proc/sys/kernel/watchdog_thresh ]; then
		echo 60 >/proc/sys/kernel/watchdog_thresh
	fi
	if [ -w /sys/module/rcupdate/parameters/rcu_cpu_stall_timeout ]; then
		echo 300 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
	fi
	faults_watchdog_start
}

faults_teardown_file()
{
	faults_watchdog_stop
}

# Every test starts from the driver suite's clean state (module unloaded,
# PFs unbound, no VFs) and leaves a marker for its kernel log.
faults_setup()
{
	stub_setup
}

faults_teardown()
{
	local pf
	stub_cleanup
	# sriovctl enable turns autoprobe off; give the next test the default
	for pf in $ALL_PFS; do
		echo 1 >"$(dev_path "$pf")/sriov_drivers_autoprobe"
	done
}

# Read a register of the SR-IOV capability of PF as a number.
sriov_reg()
{
	local v
	v=$(setpci -s "$1" "ECAP_SRIOV+$2") || return 1
	echo $((16#$v))
}

# Print the VFs of PF that the device no longer answers for (config reads
# all ones), one setpci for the whole bus: 127 execs cost 20 s under TCG.
pf_dead_vfs()
{
	local pf=$1 bus line dev val
	local -A cmd=()

	bus=${pf%:*}
	while read -r dev _ _ val; do
		cmd[$dev]=$val
	done < <(setpci -v -s "$bus:" COMMAND)
	for dev in $(pf_vf_list "$pf"); do
		line=${cmd[$dev]:-ffff}
		[ "$line" != ffff ] || echo "$dev"
	done
}

# Fail, saying why, unless sysfs and the device agree about PF: its
# sriov_numvfs equals the number of virtfn links, the device's NumVFs
# register and VF Enable agree, and every VF answers config reads.
# With a second argument, the count must also be that number.
pf_assert_consistent()
{
	local pf=$1 want=${2:-} n links ctrl reg dead

	n=$(numvfs "$pf")
	links=$(pf_vf_count "$pf")
	ctrl=$(sriov_reg "$pf" 8.w)
	reg=$(sriov_reg "$pf" 10.w)
	if [ -n "$want" ] && [ "$n" -ne "$want" ]; then
		echo "$pf: sriov_numvfs $n, expected $want" >&2
		return 1
	fi
	if [ "$links" -ne "$n" ]; then
		echo "$pf: sriov_numvfs $n but $links virtfn links" >&2
		return 1
	fi
	if [ "$n" -gt 0 ]; then
		if ! ((ctrl & 1)) || [ "$reg" -ne "$n" ]; then
			echo "$pf: sriov_numvfs $n but the device has VF Enable $((ctrl & 1)), NumVFs $reg" >&2
			return 1
		fi
		dead=$(pf_dead_vfs "$pf")
		if [ -n "$dead" ]; then
			echo "$pf: VFs listed in sysfs but gone in the device: ${dead//$'\n'/ }" >&2
			return 1
		fi
	elif ((ctrl & 1)); then
		echo "$pf: no VFs in sysfs but VF Enable is set (NumVFs $reg)" >&2
		return 1
	fi
}

# Every VF of PF in VF index order (pf_vfs reads the links without a
# process).
pf_vf_list() { pf_vfs "$1"; }

# The number of VFs of PF in sysfs (virtfn links), without a process.
pf_vf_count()
{
	local p=$SYSFS_PCI/devices/$1 i=0
	while [ -L "$p/virtfn$i" ]; do i=$((i + 1)); done
	echo "$i"
}

# The driver bound to DEV, or nothing, without a process: the driver's
# directory holds a link named after every device it holds.
dev_drv()
{
	local d
	for d in "$SYSFS_PCI"/drivers/*/"$1"; do
		[ -e "$d" ] || continue
		d=${d%/*}
		echo "${d##*/}"
		return 0
	done
}

# The VFs of PF that a driver holds, as "VF DRIVER" lines.
pf_bound_vfs()
{
	local vf drv
	for vf in $(pf_vf_list "$1"); do
		drv=$(dev_drv "$vf")
		[ -z "$drv" ] || echo "$vf $drv"
	done
}

# Bind every VF of PF to vfio-pci (they have no driver yet).
pf_vfs_to_vfio()
{
	local vf
	for vf in $(pf_vf_list "$1"); do
		echo vfio-pci >"$SYSFS_PCI/devices/$vf/driver_override"
		echo "$vf" >"$SYSFS_PCI/drivers_probe"
		[ -e "$SYSFS_PCI/drivers/vfio-pci/$vf" ] || { echo "$vf: not bound to vfio-pci" >&2; return 1; }
	done
}

# Count the lines of the kernel log since this test's marker that match RE.
log_count() { test_log | grep -c -- "$1" || true; }

# Fail if the kernel log since this test's marker has a splat.
faults_assert_clean() { vm_assert_dmesg_clean "$BATS_TEST_NAME"; }

# Seconds (one decimal) since T0, a value of $EPOCHREALTIME; no process.
secs_since()
{
	local t0=${1/./} t1=${EPOCHREALTIME/./} d
	d=$(((t1 - t0) / 100000))
	echo "$((d / 10)).$((d % 10))"
}

# With FAULTS_WATCHDOG=SEC (debugging a run that stops making progress):
# every SEC seconds, append the state of every process that sleeps (ps
# and its kernel stack) to faults-watchdog.txt in the results share.
faults_watchdog_start()
{
	[ -n "${FAULTS_WATCHDOG:-}" ] || return 0
	(
		exec >>"$VM_RESULTS/faults-watchdog.txt" 2>&1 </dev/null 3>&-
		while :; do
			sleep "$FAULTS_WATCHDOG"
			echo "=== $(date +%T) ${BATS_TEST_FILENAME##*/}"
			ps -eo pid,ppid,stat,etimes,wchan:32,args | awk '$3 ~ /^[DS]/ && $6 !~ /^\[/'
			for s in /proc/[0-9]*/stack; do
				grep -q 'pci\|vfio\|sriov\|device_lock\|mutex' "$s" 2>/dev/null || continue
				echo "--- $s: $(tr '\0' ' ' <"${s%stack}cmdline")"
				cat "$s"
			done
		done
	) &
	FAULTS_WATCHDOG_PID=$!
	export FAULTS_WATCHDOG_PID
}

faults_watchdog_stop()
{
	[ -n "${FAULTS_WATCHDOG_PID:-}" ] || return 0
	kill "$FAULTS_WATCHDOG_PID" 2>/dev/null || true
}
