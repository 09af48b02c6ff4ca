#!/usr/bin/env bats
# sriovctl against the real kernel and pci-stub-pf: every operator flow of
# SPEC section 2, in the VM.  The fake-sysfs suite (tests/tool) covers
# every option and error path; this one proves the tool and the kernel
# agree.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load ../driver/helpers

setup_file() { stub_setup_file; }
setup() { stub_setup; }
teardown() { stub_teardown; }

# Run sriovctl, check its exit status, echo the command (podman style).
sriovctl()
{
	local want=$1
	shift
	local cmd="$*"
	((${#cmd} <= 120)) || cmd="${cmd:0:100}... (${#cmd} characters)"
	echo "# sriovctl $cmd" >&3
	run --separate-stderr "$SRIOVCTL" "$@"
	if [ "$status" -ne "$want" ]; then
		echo "exit $status, expected $want; stdout: $output; stderr: $stderr"
		return 1
	fi
}

# json_true DOC EXPR...: every Python expression EXPR over the JSON
# document DOC (named d; pf(ADDR) is the entry of a list with that
# address) is true; prints the ones that are not.  One python3 for all
# of them: a process start costs seconds under TCG.
json_true()
{
	python3 - "$@" <<'EOF'
import json
import sys

d = json.loads(sys.argv[1])


def pf(addr):
    return next(p for p in d if p["address"] == addr)


bad = [e for e in sys.argv[2:] if not eval(e)]
for e in bad:
    print("not true of the JSON:", e)
sys.exit(1 if bad else 0)
EOF
}

# Everything one can see of a PF and its VFs: a refused command must not
# change any of it.
pf_state()
{
	local vf drv override

	echo "numvfs=$(numvfs "$1") driver=$(dev_driver "$1")"
	[ -e "$SYSFS_PCI/devices/$1/sriov_lock" ] && echo "lock=$(lockstate "$1")"
	read_attr "$SYSFS_PCI/devices/$1/sriov_drivers_autoprobe"
	# builtins only in the loop: a PF may have 127 VFs
	for vf in $(pf_vfs "$1"); do
		vm_link_name "$SYSFS_PCI/devices/$vf/driver" drv || true
		read -r override <"$SYSFS_PCI/devices/$vf/driver_override"
		echo "$vf $drv $override"
	done
}

@test "bind loads the module with modprobe and binds the PF" {
	! stub_loaded
	sriovctl 0 bind "$PF"
	stub_loaded
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
	[ "$(read_attr "$P/driver_override")" = pci-stub-pf ]
}

@test "bind accepts the short BB:DD.F address form" {
	sriovctl 0 bind "${PF#0000:}"
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
}

@test "the whole flow: enable 127 locked for vfio-pci, list, show, refused disable, unlock, disable --release" {
	B=$SYSFS_PCI/devices/$BIG
	sriovctl 0 bind "$BIG"
	sriovctl 0 enable "$BIG" 127 --lock --vf-driver vfio-pci
	[ "$(numvfs "$BIG")" -eq 127 ]
	[ "$(lockstate "$BIG")" = locked ]
	[ "$(read_attr "$B/sriov_drivers_autoprobe")" = 0 ]
	for vf in $(pf_vfs "$BIG"); do
		vm_link_name "$SYSFS_PCI/devices/$vf/driver" drv || true
		[ "$drv" = vfio-pci ] || { echo "$vf not on vfio-pci"; false; }
	done

	sriovctl 0 -j list
	json_true "$output" "pf('$BIG')['num_vfs'] == 127" \
		"pf('$BIG')['total_vfs'] == 127" \
		"pf('$BIG')['driver'] == 'pci-stub-pf'" \
		"pf('$BIG')['lock'] == 'locked'" \
		"pf('$BIG')['autoprobe'] is False" \
		"(pf('$BIG')['vendor'], pf('$BIG')['device']) == ('1b36', '0010')"

	sriovctl 0 list
	grep -qx "$BIG 1b36:0010 driver pci-stub-pf vfs 127/127 lock locked autoprobe off" <<<"$output"

	sriovctl 0 -j show "$BIG"
	json_true "$output" "d['type'] == 'pf'" \
		"len(d['vfs']) == 127" \
		"[v['driver'] for v in d['vfs']].count('vfio-pci') == 127" \
		"d['vfs'][126]['address'] == '$(pf_vf "$BIG" 126)'" \
		"d['vfs'][126]['index'] == 126"

	vf=$(pf_vf "$BIG" 5)
	sriovctl 0 -j show "$vf"
	json_true "$output" "d['type'] == 'vf'" \
		"d['pf'] == '$BIG'" \
		"d['index'] == 5" \
		"d['driver'] == 'vfio-pci'"

	before=$(pf_state "$BIG")
	sriovctl 1 disable "$BIG"
	[[ "$stderr" == "sriovctl: "*"$BIG"*locked*"sriovctl unlock"* ]]
	[ "$(pf_state "$BIG")" = "$before" ]

	sriovctl 0 unlock "$BIG"
	[ "$(lockstate "$BIG")" = unlocked ]
	sriovctl 1 disable "$BIG"
	[[ "$stderr" == "sriovctl: "*"$BIG"*"--release"* ]]
	[ "$(numvfs "$BIG")" -eq 127 ]

	sriovctl 0 disable "$BIG" --release
	[ "$(numvfs "$BIG")" -eq 0 ]
}

@test "enable is idempotent and resizes N to M through 0" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 2
	vfs=$(pf_vfs "$PF")
	sriovctl 0 -n enable "$PF" 2
	[ -z "$output" ]
	sriovctl 0 enable "$PF" 2
	[ "$(pf_vfs "$PF")" = "$vfs" ]
	sriovctl 0 enable "$PF" 4
	[ "$(numvfs "$PF")" -eq 4 ]
	sriovctl 0 enable "$PF" 1
	[ "$(numvfs "$PF")" -eq 1 ]
}

@test "enable --seal, then every change is refused until unbind" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 2 --seal
	[ "$(lockstate "$PF")" = sealed ]
	before=$(pf_state "$PF")
	sriovctl 1 unlock "$PF"
	sriovctl 1 enable "$PF" 3
	[ "$(pf_state "$PF")" = "$before" ]
}

@test "enable above the total is refused by the kernel and reported" {
	sriovctl 0 bind "$PF"
	before=$(pf_state "$PF")
	sriovctl 1 enable "$PF" 5
	[[ "$stderr" == "sriovctl: "*"$PF"* ]]
	[ "$(pf_state "$PF")" = "$before" ]
}

@test "assign and release a single VF" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 3
	vf=$(pf_vf "$PF" 1)
	sriovctl 0 assign "$vf" vfio-pci
	[ "$(dev_driver "$vf")" = vfio-pci ]
	[ "$(read_attr "$SYSFS_PCI/devices/$vf/driver_override")" = vfio-pci ]
	[ -z "$(dev_driver "$(pf_vf "$PF" 0)")" ]
	sriovctl 0 release "$vf"
	[ -z "$(dev_driver "$vf")" ]
	[ "$(read_attr "$SYSFS_PCI/devices/$vf/driver_override")" = "(null)" ]
}

@test "assign a PF hands all its VFs over; release a PF frees them all" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 4
	sriovctl 0 assign "$PF" vfio-pci
	for vf in $(pf_vfs "$PF"); do [ "$(dev_driver "$vf")" = vfio-pci ]; done
	sriovctl 0 release "$PF"
	for vf in $(pf_vfs "$PF"); do [ -z "$(dev_driver "$vf")" ]; done
}

@test "assign to a driver that does not take the device fails and says so" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 1
	vf=$(pf_vf "$PF" 0)
	sriovctl 1 assign "$vf" pci-stub-pf
	[[ "$stderr" == "sriovctl: "*"$vf"* ]]
	[ -z "$(dev_driver "$vf")" ]
}

@test "unbind with free VFs leaves a PF without driver or VFs" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 2
	sriovctl 0 unbind "$PF"
	[ -z "$(dev_driver "$PF")" ]
	[ "$(numvfs "$PF")" -eq 0 ]
}

@test "lock, unlock and autoprobe reach the kernel" {
	sriovctl 0 bind "$PF"
	sriovctl 0 lock "$PF"
	[ "$(lockstate "$PF")" = locked ]
	sriovctl 0 unlock "$PF"
	[ "$(lockstate "$PF")" = unlocked ]
	sriovctl 0 autoprobe "$PF" on
	[ "$(read_attr "$P/sriov_drivers_autoprobe")" = 1 ]
	sriovctl 0 autoprobe "$PF" off
	[ "$(read_attr "$P/sriov_drivers_autoprobe")" = 0 ]
}

@test "apply configures PFs from a file and is idempotent" {
	conf=$BATS_TEST_TMPDIR/sriovctl.conf
	cat >"$conf" <<-CONF
		# test configuration
		[pf $PF]
		vfs = 3
		lock = yes
		autoprobe = no
		vf-driver = vfio-pci
	CONF
	sriovctl 0 -c "$conf" apply
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
	[ "$(numvfs "$PF")" -eq 3 ]
	[ "$(lockstate "$PF")" = locked ]
	for vf in $(pf_vfs "$PF"); do [ "$(dev_driver "$vf")" = vfio-pci ]; done
	before=$(pf_state "$PF")
	sriovctl 0 -c "$conf" apply
	[ "$(pf_state "$PF")" = "$before" ]
	[ -z "$(dev_driver "$BIG")" ]
}

@test "apply with a broken file applies nothing and names FILE:LINE" {
	conf=$BATS_TEST_TMPDIR/sriovctl.conf
	printf '[pf %s]\nvfs = 2\n[pf %s]\nvfs = many\n' "$PF" "$BIG" >"$conf"
	before=$(pf_state "$PF"; pf_state "$BIG")
	sriovctl 2 -c "$conf" apply
	[[ "$stderr" == *"$conf:4:"* ]]
	[ "$(pf_state "$PF"; pf_state "$BIG")" = "$before" ]
}

@test "a non-root user gets a clear error, exit 1, and nothing changes" {
	sriovctl 0 bind "$PF"
	before=$(pf_state "$PF")
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SRIOVCTL" enable "$PF" 2
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sriovctl: "*[Pp]"ermission denied"* ]]
	[ "$(pf_state "$PF")" = "$before" ]
}

@test "bad device arguments are refused before any sysfs access" {
	for dev in ../../etc 0000:zz:00.0 '' "$(printf 'a%.0s' {1..4096})" 00:00.8 1:2:3; do
		sriovctl 2 show "$dev"
		[[ "$stderr" == "sriovctl: "* ]]
	done
	sriovctl 1 show 0000:7f:1f.7
	[[ "$stderr" == "sriovctl: "*"0000:7f:1f.7"* ]]
}

@test "a VF where a PF is needed is refused" {
	sriovctl 0 bind "$PF"
	sriovctl 0 enable "$PF" 1
	vf=$(pf_vf "$PF" 0)
	before=$(pf_state "$PF")
	run --separate-stderr "$SRIOVCTL" enable "$vf" 1
	[ "$status" -ne 0 ]
	[[ "$stderr" == "sriovctl: "*"$vf"* ]]
	[ "$(pf_state "$PF")" = "$before" ]
}

@test "the kernel log stays clean through the sriovctl flows" {
	vm_assert_dmesg_clean
}
