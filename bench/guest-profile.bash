# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The provisioning profile ("make bench-profile", bench/README.md): where
# the time of each provisioning contender goes, in the same VM and from
# the same state as the benchmark (PF on pci-stub-pf, no VFs, autoprobe 1,
# vfio-pci loaded).  Sourced by bench/guest.sh, which runs bench_profile
# when BENCH_ONLY holds "profile"; it uses guest.sh's helpers.
#
# For each contender V (sriovctl, the bash script, the C floor) it writes
# to OUTDIR/profile/:
#   V.cpu      bench/timer's "wall user sys" seconds, one line per run
#              (RUNS runs after WARMUP, the order rotating as in the
#              benchmark): is the extra time user space, kernel or waiting?
#   V.summary  strace -f -w -c: wall time and count per system call
#   V.strace   strace -f -ttt -T -y: every system call with its file's
#              path and duration (bench/profile-report.py sums them per
#              sysfs attribute)
# and sriovctl.callgrind (valgrind --tool=callgrind: user space by
# function; the host's callgrind_annotate reads it).  strace and valgrind
# slow every system call and instruction: their absolute times are not the
# benchmark's, the proportions are what they are for.

# The command of contender $1 in CMD.
profile_cmd() {
	case $1 in
	sriovctl) CMD=("$SRIOVCTL" -q enable "$PF" "$N" --vf-driver "$VFDRV") ;;
	bash) CMD=("$REPO/bench/provision.sh" "$PF" "$N" "$VFDRV") ;;
	floor) CMD=("$FLOOR" "$PF" "$N" "$VFDRV") ;;
	*) die "profile: no contender '$1'" ;;
	esac
}

# profile_run [WRAPPER...]: CMD under WRAPPER, then the benchmark's check
# and reset (untimed).
profile_run() {
	"$@" "${CMD[@]}" >/dev/null || die "profile: '$* ${CMD[*]}' failed"
	check_vfs "$PF" "$N" "$VFDRV"
	reset_pf "$PF" 1
}

bench_profile() {
	local dir=$OUT/profile timer=${FLOOR%/*}/timer r v line

	command -v strace >/dev/null || die "strace is not installed (scripts/deps/bench.txt)"
	command -v valgrind >/dev/null || die "valgrind is not installed (scripts/deps/bench.txt)"
	[ -x "$timer" ] || die "$timer is not built"
	mkdir -p "$dir"
	log "profile: $N VFs on $PF to $VFDRV: CPU times, strace, callgrind"
	bind_pf "$PF" pci-stub-pf
	reset_pf "$PF" 1

	for v in sriovctl bash floor; do
		: >"$dir/$v.cpu"
	done
	for ((r = -WARMUP; r < RUNS; r++)); do
		rotate "$r" sriovctl bash floor
		for v in "${ORDER[@]}"; do
			profile_cmd "$v"
			line=$("$timer" 1 "${CMD[@]}") || die "profile: $v failed"
			check_vfs "$PF" "$N" "$VFDRV"
			reset_pf "$PF" 1
			((r < 0)) || echo "$line" >>"$dir/$v.cpu"
			log "profile $v run $r: wall user sys $line"
		done
	done

	for v in sriovctl bash floor; do
		profile_cmd "$v"
		profile_run strace -f -w -c -o "$dir/$v.summary"
		profile_run strace -f -ttt -T -y -o "$dir/$v.strace"
	done
	profile_cmd sriovctl
	profile_run valgrind -q --tool=callgrind \
		--callgrind-out-file="$dir/sriovctl.callgrind"
	log "profile: done"
}
