#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-VM part of "make bench" (bench/run boots the VM through
# tests/vm/run with bench/vm/bench.bats, which runs this script as root).
#
#   bench/guest.sh OUTDIR
#
# Measures, side by side in one boot, each figure's contenders on the same
# PF (bench/README.md has the figures and targets) and appends one line per
# sample to OUTDIR/samples.tsv:
#
#   FIGURE <TAB> VARIANT <TAB> RUN <TAB> SECONDS
#
# RUN is 0-based; warm-up runs are not written.  OUTDIR/meta.tsv gets
# "KEY <TAB> VALUE" lines (guest kernel, VF count, pending figures).
# OUTDIR/params.env (written by bench/run) may set BENCH_RUNS,
# BENCH_WARMUP, BENCH_DRIVERCTL_RUNS, BENCH_FLOOR and BENCH_ONLY (the
# figures to run, space-separated; "profile" adds the provisioning
# profile of bench/guest-profile.bash).  The driverctl
# baselines take minutes per run under TCG: they get no warm-up run (their
# first run's cold caches cost well under 1% of it).
#
# Wall-clock times from bash's $EPOCHREALTIME (CLOCK_REALTIME, microseconds:
# bash has no monotonic clock of its own, and the VM runs no NTP, so the
# clock does not step).  The guest clock is switched to the HPET first: on
# a loaded host the kernel's boot-time TSC calibration under TCG can be off
# by a factor of 50 (seen: "tsc: Using PIT calibration value ... 44.540
# MHz" for 2.6 GHz), and the harness's tsc=reliable keeps the kernel from
# noticing; QEMU's HPET counts host time.  clock_check compares the guest's
# elapsed time with the host's (mtimes of a file on the 9p results share)
# and records the ratio in meta.tsv (clock_ratio, 1.0 when the clock is
# right).  Everything untimed (disable, which always costs
# the kernel's ssleep(1), unbinding, checks) happens outside t0..t1.
# Under TCG every process costs tens of milliseconds: bookkeeping uses
# builtins only.
# shellcheck source-path=SCRIPTDIR/..
set -euo pipefail
export LC_ALL=C

OUT=${1:?usage: guest.sh OUTDIR}
mkdir -p "$OUT"
# shellcheck source=/dev/null
[ ! -f "$OUT/params.env" ] || . "$OUT/params.env"
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
DCTL_RUNS=${BENCH_DRIVERCTL_RUNS:-$RUNS}
FLOOR=${BENCH_FLOOR:-$REPO/build/bench/floor}
ONLY=${BENCH_ONLY:-enable provision inventory udev}
SAMPLES=$OUT/samples.tsv
META=$OUT/meta.tsv
SYSPCI=/sys/bus/pci
VFDRV=vfio-pci

# shellcheck source=tests/test_helper/vm.bash
. "$REPO/tests/test_helper/vm.bash"
# shellcheck source=bench/guest-profile.bash
. "$REPO/bench/guest-profile.bash"

log() { printf '# bench: %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }
put() { printf '%s\n' "$2" >"$1"; }

# record FIGURE VARIANT RUN T0 T1: one sample, unless RUN is a warm-up (< 0).
record() {
	local us=$((${5/./} - ${4/./}))

	(($3 >= 0)) || return 0
	printf '%s\t%s\t%d\t%d.%06d\n' "$1" "$2" "$3" $((us / 1000000)) $((us % 1000000)) >>"$SAMPLES"
	log "$1 $2 run $3: $((us / 1000)) ms"
}

# The name of DEV's driver in REPLY ("" if none), without readlink(1).
driver_of() {
	REPLY=
	if [ -e "$SYSPCI/devices/$1/driver" ]; then
		cd -P "$SYSPCI/devices/$1/driver"
		REPLY=${PWD##*/}
		cd /
	fi
}

# Bind PF to DRV through driver_override, from whatever driver it has.
bind_pf() {
	local pf=$1 drv=$2 p=$SYSPCI/devices/$1

	driver_of "$pf"
	[ "$REPLY" != "$drv" ] || return 0
	[ -z "$REPLY" ] || put "$p/driver/unbind" "$pf"
	put "$p/driver_override" "$drv"
	put "$SYSPCI/drivers_probe" "$pf"
	driver_of "$pf"
	[ "$REPLY" = "$drv" ] || die "$pf: $drv did not bind it (driver '$REPLY')"
}

numvfs() { read -r REPLY <"$SYSPCI/devices/$1/sriov_numvfs"; }

# Untimed: unbind every VF of PF from its driver, then disable the VFs
# (the kernel sleeps 1 s in sriov_disable), autoprobe back to AUTOPROBE.
reset_pf() {
	local pf=$1 autoprobe=${2:-1} p=$SYSPCI/devices/$1 i n

	numvfs "$pf"
	n=$REPLY
	for ((i = 0; i < n; i++)); do
		[ -e "$p/virtfn$i/driver" ] || continue
		cd -P "$p/virtfn$i"
		put "$p/virtfn$i/driver/unbind" "${PWD##*/}"
		cd /
	done
	((n == 0)) || put "$p/sriov_numvfs" 0
	put "$p/sriov_drivers_autoprobe" "$autoprobe"
}

# Fail unless PF has N VFs, each bound to DRV.
check_vfs() {
	local pf=$1 n=$2 drv=$3 p=$SYSPCI/devices/$1 i

	numvfs "$pf"
	[ "$REPLY" = "$n" ] || die "$pf: $REPLY VFs, want $n"
	for ((i = 0; i < n; i++)); do
		[ "$p/virtfn$i/driver" -ef "$SYSPCI/drivers/$drv" ] ||
			die "$pf: VF $i is not bound to $drv"
	done
}

# Use the HPET as clocksource if there is one (see the top of this file).
use_hpet() {
	local cs=/sys/devices/system/clocksource/clocksource0 avail cur

	read -r avail <"$cs/available_clocksource"
	[[ " $avail " != *" hpet "* ]] || put "$cs/current_clocksource" hpet
	read -r cur <"$cs/current_clocksource"
	meta clocksource "$cur"
}

# clock_check start|end: at end, record guest elapsed / host elapsed.
clock_check() {
	local host guest

	: >"$OUT/clock-$1"
	guest=$EPOCHREALTIME
	host=$(stat -c %.6Y "$OUT/clock-$1")
	if [ "$1" = start ]; then
		CLOCK0=("$guest" "$host")
		return 0
	fi
	meta clock_ratio "$(awk -v g0="${CLOCK0[0]}" -v h0="${CLOCK0[1]}" \
		-v g1="$guest" -v h1="$host" \
		'BEGIN { printf "%.4f", (h1 > h0) ? (g1 - g0) / (h1 - h0) : 0 }')"
}

# The order of the contenders rotates from run to run, so that none always
# runs first (after the reset) or last.
rotate() {
	local r=$1 k
	shift
	ORDER=()
	for ((k = 0; k < $#; k++)); do
		ORDER+=("${@:$(((k + r + WARMUP) % $# + 1)):1}")
	done
}

# ---------------------------------------------------------------------------
# 1. enable: echo N > sriov_numvfs (autoprobe 0), pci-stub-pf against the
#    kernel's pci-pf-stub, on the same PF.
bench_enable() {
	local r drv t0 t1 p=$SYSPCI/devices/$PF

	log "enable: $N VFs on $PF, pci-stub-pf against pci-pf-stub"
	for ((r = -WARMUP; r < RUNS; r++)); do
		rotate "$r" pci-stub-pf pci-pf-stub
		for drv in "${ORDER[@]}"; do
			bind_pf "$PF" "$drv"
			put "$p/sriov_drivers_autoprobe" 0
			t0=$EPOCHREALTIME
			echo "$N" >"$p/sriov_numvfs"
			t1=$EPOCHREALTIME
			record enable "$drv" "$r" "$t0" "$t1"
			numvfs "$PF"
			[ "$REPLY" = "$N" ] || die "enable with $drv: $REPLY VFs"
			reset_pf "$PF" 0
		done
	done
	bind_pf "$PF" pci-stub-pf
}

# ---------------------------------------------------------------------------
# 2. provision: N VFs, each bound to vfio-pci, from a PF on pci-stub-pf with
#    no VFs and autoprobe 1 (the kernel's default: each contender turns it
#    off itself).

# (a) by hand with driverctl, as its documentation says.
prov_driverctl() {
	local p=$SYSPCI/devices/$PF i

	echo 0 >"$p/sriov_drivers_autoprobe"
	echo "$N" >"$p/sriov_numvfs"
	for ((i = 0; i < N; i++)); do
		cd -P "$p/virtfn$i"
		driverctl --nosave set-override "${PWD##*/}" "$VFDRV"
	done
	cd /
}

prov_sriovctl() { "$SRIOVCTL" -q enable "$PF" "$N" --vf-driver "$VFDRV"; }
prov_bash() { "$REPO/bench/provision.sh" "$PF" "$N" "$VFDRV"; }
prov_floor() { "$FLOOR" "$PF" "$N" "$VFDRV"; }

bench_provision() {
	local r v t0 t1

	log "provision: $N VFs on $PF to $VFDRV: sriovctl, driverctl, bash, floor"
	bind_pf "$PF" pci-stub-pf
	reset_pf "$PF" 1
	for ((r = -WARMUP; r < RUNS; r++)); do
		rotate "$r" sriovctl driverctl bash floor
		for v in "${ORDER[@]}"; do
			[ "$v" != driverctl ] || ((r >= 0 && r < DCTL_RUNS)) || continue
			t0=$EPOCHREALTIME
			"prov_$v" >/dev/null
			t1=$EPOCHREALTIME
			record provision "$v" "$r" "$t0" "$t1"
			check_vfs "$PF" "$N" "$VFDRV"
			reset_pf "$PF" 1
		done
	done
}

# ---------------------------------------------------------------------------
# 3. inventory: every PF with N VFs; sriovctl -j list against lspci -D and
#    driverctl list-devices.
bench_inventory() {
	local pf r v t0 t1 out

	for pf in "${PFS[@]}"; do
		bind_pf "$pf" pci-stub-pf
		reset_pf "$pf" 0
		put "$SYSPCI/devices/$pf/sriov_numvfs" "$N"
	done
	out=$("$SRIOVCTL" -j list)
	v=${out//[^\{]/}
	[ "${#v}" -ge "${#PFS[@]}" ] || die "sriovctl -j list shows ${#v} PFs, want ${#PFS[@]}"
	log "inventory: ${#PFS[@]} PFs with $N VFs each: sriovctl -j list, lspci -D, driverctl list-devices"
	for ((r = -WARMUP; r < RUNS; r++)); do
		rotate "$r" sriovctl lspci driverctl
		for v in "${ORDER[@]}"; do
			[ "$v" != driverctl ] || ((r >= 0 && r < DCTL_RUNS)) || continue
			case $v in
			sriovctl)
				t0=$EPOCHREALTIME
				"$SRIOVCTL" -j list >/dev/null
				t1=$EPOCHREALTIME
				;;
			lspci)
				t0=$EPOCHREALTIME
				lspci -D >/dev/null
				t1=$EPOCHREALTIME
				;;
			driverctl)
				t0=$EPOCHREALTIME
				driverctl list-devices >/dev/null
				t1=$EPOCHREALTIME
				;;
			esac
			record inventory "$v" "$r" "$t0" "$t1"
		done
	done
	for pf in "${PFS[@]}"; do
		[ "$pf" = "$PF" ] || reset_pf "$pf" 0
	done
}

# ---------------------------------------------------------------------------
# 5. udev: coldplug (udevadm trigger --action=add; udevadm settle) with N
#    VFs of PF configured and already on vfio-pci (the state at every boot
#    after the first), with udev/70-sriovctl.rules against without.
UDEV_RULES=/etc/udev/rules.d/70-sriovctl.rules

coldplug() {
	udevadm trigger --action=add
	udevadm settle --timeout=180
}

rules() {
	if [ "$1" = on ]; then
		install -m 0644 "$REPO/udev/70-sriovctl.rules" "$UDEV_RULES"
	else
		rm -f "$UDEV_RULES"
	fi
	udevadm control --reload
}

bench_udev() {
	local r v t0 t1

	if [ ! -f "$REPO/udev/70-sriovctl.rules" ]; then
		meta pending.udev "no udev/70-sriovctl.rules in the tree"
		return 0
	fi
	log "udev: coldplug with $N VFs of $PF configured, without and with 70-sriovctl.rules"
	# What "make install" puts where the rules look.
	install -m 0755 "$SRIOVCTL" /usr/sbin/sriovctl
	mkdir -p /etc/sriovctl.d
	cat >/etc/sriovctl.conf <<-EOF
		[pf $PF]
		vfs = $N
		lock = no
		autoprobe = no
		vf-driver = $VFDRV
	EOF
	bind_pf "$PF" pci-stub-pf
	"$SRIOVCTL" -q apply
	check_vfs "$PF" "$N" "$VFDRV"

	/lib/systemd/systemd-udevd --daemon
	udevadm control --ping
	# Debian's rules load the drivers of the VM's other devices on the
	# first coldplug; ours settle the PF on theirs: neither is timed.
	rules off
	coldplug
	rules on
	coldplug
	check_vfs "$PF" "$N" "$VFDRV"
	for ((r = -WARMUP; r < RUNS; r++)); do
		rotate "$r" without with
		for v in "${ORDER[@]}"; do
			rules "$([ "$v" = with ] && echo on || echo off)"
			t0=$EPOCHREALTIME
			coldplug
			t1=$EPOCHREALTIME
			record udev "$v" "$r" "$t0" "$t1"
		done
	done
	check_vfs "$PF" "$N" "$VFDRV"
	rules off
	udevadm control --exit
	rm -f /etc/sriovctl.conf
	reset_pf "$PF" 1
}

# ---------------------------------------------------------------------------
main() {
	local total fig

	[ "$(id -u)" = 0 ] || die "needs root (run it in the VM: bench/run)"
	[ -x "${SRIOVCTL:-}" ] || die "sriovctl is not built (SRIOVCTL)"
	[ -f "${PCI_STUB_PF_KO:-}" ] || die "pci-stub-pf.ko is not built (PCI_STUB_PF_KO)"
	[ -x "$FLOOR" ] || die "$FLOOR is not built"
	command -v driverctl >/dev/null || die "driverctl is not installed (scripts/deps/bench.txt)"
	cd /
	: >"$SAMPLES"
	: >"$META"

	mapfile -t PFS < <(vm_pfs)
	[ "${#PFS[@]}" -gt 0 ] || die "no SR-IOV PF in this VM"
	PF=${PFS[0]}
	read -r total <"$SYSPCI/devices/$PF/sriov_totalvfs"
	N=$total
	meta kernel "$(uname -r)"
	meta pfs "${PFS[*]}"
	meta vfs "$N"
	meta runs "$RUNS"
	meta warmup "$WARMUP"
	meta driverctl_runs "$DCTL_RUNS"
	meta vcpus "$(nproc)"

	use_hpet
	clock_check start
	modprobe pci-pf-stub
	modprobe vfio-pci
	[ -d /sys/module/pci_stub_pf ] || insmod "$PCI_STUB_PF_KO"

	for fig in enable provision inventory udev profile; do
		[[ " $ONLY " == *" $fig "* ]] || continue
		"bench_$fig"
	done
	clock_check end
	log "done"
}

main "$@"
