#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Races: FAULTS_STRESS_PROCS processes (16) for FAULTS_STRESS_SECONDS (60)
# write sriov_numvfs, sriov_lock, driver_override, bind/unbind (PF and
# VFs) and drivers_probe, and run sriovctl, on both boot-time PFs at once,
# every error tolerated.  Then, with the load stopped: nothing hung, every
# PF's counts agree (sriov_numvfs, virtfn links, the device's NumVFs),
# every VF is alive, a PF that is locked or has bound VFs still has them;
# rmmod leaves exactly those, and a reload adopts them locked.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load ../driver/helpers
load helpers

setup_file() { faults_setup_file; }
teardown_file() { faults_teardown_file; }

setup()
{
	faults_setup
	stub_load
	STRESS_DIR=$BATS_TEST_TMPDIR/stress
	mkdir -p "$STRESS_DIR"
	WORKERS=()
}

teardown()
{
	local pid
	: >"$STRESS_DIR/stop"
	for pid in "${WORKERS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	faults_teardown
}

# One worker: random operations on random PFs and VFs until the stop file
# appears or the deadline passes; counts its operations.  Errors are the
# point (EBUSY, EPERM, ENODEV, ...): all tolerated, all silenced.
stress_worker()
{
	local id=$1 deadline=$2 ops=0 pf p total n vf drv op
	local -a pfs words args

	set +e
	RANDOM=$((id * 7919 + BASHPID))
	read -r -a pfs <<<"$ALL_PFS"
	words=(unlocked locked sealed 0 1 on off bogus)
	exec 2>/dev/null
	while ((SECONDS < deadline)) && [ ! -e "$STRESS_DIR/stop" ]; do
		pf=${pfs[RANDOM % ${#pfs[@]}]}
		p=$SYSFS_PCI/devices/$pf
		read -r total <"$p/sriov_totalvfs"
		# 1 to 8 VFs: more makes QEMU stall for seconds on every change
		n=$((1 + RANDOM % (total < 8 ? total : 8)))
		# a VF index that may or may not exist right now
		vf=${VF_ADDR[$pf:$((RANDOM % (n + 1)))]:-}
		op=$((RANDOM % 20))
		case $op in
		0 | 1) echo "$n" >"$p/sriov_numvfs" ;;
		2 | 3) echo 0 >"$p/sriov_numvfs" ;;
		4) echo "${words[RANDOM % ${#words[@]}]}" >"$p/sriov_lock" ;;
		5) echo unlocked >"$p/sriov_lock" ;;
		6) echo pci-stub-pf >"$p/driver_override"
		   echo "$pf" >"$SYSFS_PCI/drivers_probe" ;;
		7) echo "$pf" >"$STUB_DRV/unbind" ;;
		8) echo "$pf" >"$STUB_DRV/bind" ;;
		9) echo >"$p/driver_override" ;;
		10 | 11) [ -n "$vf" ] && {
			echo vfio-pci >"$SYSFS_PCI/devices/$vf/driver_override"
			echo "$vf" >"$SYSFS_PCI/drivers_probe"
		   } ;;
		12) [ -n "$vf" ] && echo "$vf" >"$SYSFS_PCI/drivers/vfio-pci/unbind" ;;
		13) [ -n "$vf" ] && echo >"$SYSFS_PCI/devices/$vf/driver_override" ;;
		14) "$SRIOVCTL" -q list >/dev/null
		    "$SRIOVCTL" -j show "$pf" >/dev/null ;;
		15) args=(enable "$pf" "$n")
		    ((RANDOM % 2)) && args+=(--lock)
		    ((RANDOM % 2)) && args+=(--vf-driver vfio-pci)
		    "$SRIOVCTL" -q "${args[@]}" >/dev/null ;;
		16) args=(disable "$pf")
		    ((RANDOM % 2)) && args+=(--release)
		    "$SRIOVCTL" -q "${args[@]}" >/dev/null ;;
		17) if ((RANDOM % 2)); then args=(lock "$pf"); else args=(unlock "$pf"); fi
		    "$SRIOVCTL" -q "${args[@]}" >/dev/null ;;
		18) [ -n "$vf" ] && { drv=$(dev_drv "$vf"); [ -n "$drv" ] && echo "$vf" >"$SYSFS_PCI/drivers/$drv/unbind"; } ;;
		19) read -r _ <"$p/sriov_numvfs"; read -r _ <"$p/sriov_lock"
		    [ -n "$vf" ] && vm_vf_alive "$vf" >/dev/null ;;
		esac
		ops=$((ops + 1))
	done
	echo "$ops" >"$STRESS_DIR/ops.$id"
}

# VF_ADDR[PF:i]: the address VF i of every PF gets (First VF Offset and VF
# Stride from the SR-IOV capability), so that workers pick VFs without a
# readlink each time.
stress_vf_addrs()
{
	local pf dom bus dev fn rid offset stride total i r

	declare -gA VF_ADDR=()
	for pf in $ALL_PFS; do
		IFS=':.' read -r dom bus dev fn <<<"$pf"
		rid=$(((16#$bus << 8) | (16#$dev << 3) | fn))
		offset=$(sriov_reg "$pf" 14.w)
		stride=$(sriov_reg "$pf" 16.w)
		read -r total <"$SYSFS_PCI/devices/$pf/sriov_totalvfs"
		for ((i = 0; i < total; i++)); do
			r=$((rid + offset + i * stride))
			printf -v "VF_ADDR[$pf:$i]" '%s:%02x:%02x.%x' "$dom" $((r >> 8)) $(((r >> 3) & 31)) $((r & 7))
		done
	done
}

# Wait until every worker has ended, at most SEC seconds; a worker still
# there is stuck in the kernel: print where and fail.
stress_wait()
{
	local sec=$1 deadline pid alive

	deadline=$((SECONDS + sec))
	while :; do
		alive=()
		for pid in "${WORKERS[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive+=("$pid")
		done
		[ ${#alive[@]} -gt 0 ] || break
		if ((SECONDS >= deadline)); then
			echo "workers still running $sec s after the stop: ${alive[*]}" >&2
			for pid in "${alive[@]}"; do
				echo "--- $pid: $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null)" >&2
				cat /proc/"$pid"/stack >&2 2>/dev/null || true
				# the children (sriovctl) are where a hang shows
				for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do # shellcheck disable=SC2013
					echo "--- child $c: $(tr '\0' ' ' </proc/"$c"/cmdline 2>/dev/null)" >&2
					cat /proc/"$c"/stack >&2 2>/dev/null || true
				done
			done
			return 1
		fi
		_vm_sleep 0.5
	done
	wait "${WORKERS[@]}" 2>/dev/null || true
}

@test "16 processes racing sysfs writes and sriovctl for 60 s: no VF lost, counts agree, clean unload and adoption" {
	local i deadline t0 pf ops=0 n lock bound drv
	local -A kept=() vflist=() boundlist=()

	[ -x "$SRIOVCTL" ]
	# a starting point with something to lose: VFs on both PFs, some bound
	for pf in $ALL_PFS; do
		stub_bind "$pf"
		echo 4 >"$(dev_path "$pf")/sriov_numvfs"
		vf_bind "$(pf_vf "$pf" 0)" vfio-pci
	done

	stress_vf_addrs
	[ "${VF_ADDR[$PF:1]}" = "$(pf_vf "$PF" 1)" ]
	t0=$EPOCHREALTIME
	deadline=$((SECONDS + FAULTS_STRESS_SECONDS))
	for i in $(seq "$FAULTS_STRESS_PROCS"); do
		stress_worker "$i" "$deadline" &
		WORKERS+=("$!")
	done
	_vm_sleep "$FAULTS_STRESS_SECONDS"
	: >"$STRESS_DIR/stop"
	stress_wait 120
	for i in $(seq "$FAULTS_STRESS_PROCS"); do
		read -r n <"$STRESS_DIR/ops.$i"
		ops=$((ops + n))
	done
	faults_stat "$FAULTS_STRESS_PROCS processes, $FAULTS_STRESS_SECONDS s of load, stopped after $(secs_since "$t0") s, $ops operations"
	vm_assert_dmesg_clean "$BATS_TEST_NAME"

	# The state the load left, load stopped: every PF consistent, every VF
	# alive; a PF that is locked or has bound VFs has its VFs.
	local nvfs_total=0 nbound=0 nlocked=0
	for pf in $ALL_PFS; do
		pf_assert_consistent "$pf"
		n=$(numvfs "$pf")
		nvfs_total=$((nvfs_total + n))
		drv=$(dev_drv "$pf")
		lock=unlocked
		[ "$drv" != pci-stub-pf ] || lock=$(lockstate "$pf")
		bound=$(pf_bound_vfs "$pf")
		[ -z "$bound" ] || nbound=$((nbound + $(wc -l <<<"$bound")))
		[ "$lock" = unlocked ] || nlocked=$((nlocked + 1))
		echo "$pf: driver '${drv}', $n VFs, lock $lock, bound: ${bound//$'\n'/, }"
		# The load stopped, the guards still hold: a locked count or a
		# bound VF refuses a disable and the VFs stay.  (A PF locked at 0
		# VFs is a legal end state: the workers lock at any count.)
		if [ "$n" -gt 0 ] && { [ "$lock" != unlocked ] || [ -n "$bound" ]; }; then
			run ! sysfs_write "$(dev_path "$pf")/sriov_numvfs" 0
			[ "$(numvfs "$pf")" -eq "$n" ] || { echo "$pf: a disable took VFs that were locked or bound" >&2; return 1; }
		fi
		# rmmod keeps the VFs of a PF that pci-stub-pf does not hold (left
		# behind earlier) and of one it holds locked or with bound VFs
		if [ "$n" -gt 0 ] && { [ "$drv" != pci-stub-pf ] || [ "$lock" != unlocked ] || [ -n "$bound" ]; }; then
			kept[$pf]=$n
		fi
		vflist[$pf]=$(pf_vf_list "$pf")
		boundlist[$pf]=$bound
	done
	faults_stat "end state: $nvfs_total VFs on $(wc -w <<<"$ALL_PFS") PFs, $nbound bound, $nlocked PFs locked or sealed, ${#kept[@]} PFs keep VFs over rmmod"

	# Unload: exactly the locked or bound VFs stay, alive and still bound.
	for pf in $ALL_PFS; do echo >"$(dev_path "$pf")/driver_override"; done
	rmmod pci_stub_pf
	for pf in $ALL_PFS; do
		if [ -n "${kept[$pf]:-}" ]; then
			pf_assert_consistent "$pf" "${kept[$pf]}"
			[ "$(pf_vf_list "$pf")" = "${vflist[$pf]}" ]
			[ "$(pf_bound_vfs "$pf")" = "${boundlist[$pf]}" ]
		else
			pf_assert_consistent "$pf" 0
		fi
	done

	# Reload: the PFs with VFs are adopted, locked, with the same VFs.
	stub_load
	for pf in "${!kept[@]}"; do
		stub_bind "$pf"
		[ "$(lockstate "$pf")" = locked ]
		pf_assert_consistent "$pf" "${kept[$pf]}"
		[ "$(pf_vf_list "$pf")" = "${vflist[$pf]}" ]
		log_has "$pf: adopted ${kept[$pf]} VFs that were already enabled; VF count locked"
	done
	run ! grep -q "blocked for more than" <<<"$(test_log)"
	faults_assert_clean
}
