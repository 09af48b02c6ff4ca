#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What the rules cost at boot: coldplug ("udevadm trigger --action=add;
# udevadm settle") of the VM with 127 VFs, with and without
# 70-sriovctl.rules.  Not a pass/fail test: the numbers go to the TAP
# output and to $VM_RESULTS/udev-bench.txt.
#
#   tests/vm/run --udev tests/udev/bench
#
#   steady       127 VFs already on vfio-pci, the PF configured: the rules
#                run sriovctl for the PF and each VF, which find nothing to
#                do.  Without rules against with rules: the rules' overhead.
#   from scratch the PF unbound, no VF: with rules, coldplug binds it, makes
#                127 VFs and binds them to vfio-pci; without rules, the same
#                work is "coldplug, then sriovctl apply".

bats_require_minimum_version 1.5.0
load ../../test_helper/vm
load ../helpers

RUNS=${UDEV_BENCH_RUNS:-3}
OUT=${VM_RESULTS:-/tmp}/udev-bench.txt

setup_file() {
	udev_setup_file
	: >"$OUT"
}
teardown_file() { udev_teardown_file; }

rules_on() {
	install -m 0644 "$REPO/udev/70-sriovctl.rules" "$UDEV_RULES"
	udevadm control --reload
}

rules_off() {
	rm -f "$UDEV_RULES"
	udevadm control --reload
}

# Time one coldplug, in seconds.
time_coldplug() {
	local t0 t1

	t0=$(now)
	udev_coldplug
	t1=$(now)
	elapsed "$t0" "$t1"
}

# The median of the arguments.
median() {
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf "%.2f\n", NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

report() {
	echo "# $*" >&3
	echo "$*" >>"$OUT"
}

config_big() {
	udev_config sriovctl.conf <<-EOF
		[pf $(vm_pf_big)]
		vfs = 127
		lock = yes
		vf-driver = vfio-pci
	EOF
}

@test "bench: coldplug with 127 VFs already configured, without and with the rules" {
	local big i off=() on=()

	big=$(vm_pf_big)
	config_big
	udev_coldplug
	assert_pf "$big" 127 locked 0
	assert_vfs_on "$big" vfio-pci
	for i in $(seq "$RUNS"); do
		rules_off
		off+=("$(time_coldplug)")
		rules_on
		on+=("$(time_coldplug)")
	done
	assert_vfs_on "$big" vfio-pci
	report "steady: coldplug without rules: ${off[*]} s, median $(median "${off[@]}") s"
	report "steady: coldplug with rules:    ${on[*]} s, median $(median "${on[@]}") s"
	report "steady: ratio with/without: $(awk -v a="$(median "${on[@]}")" -v b="$(median "${off[@]}")" 'BEGIN { printf "%.2f", a / b }')"
}

@test "bench: coldplug that creates 127 VFs on vfio-pci, with the rules against coldplug + sriovctl apply" {
	local big i t0 t1 rules=() apply=()

	big=$(vm_pf_big)
	for i in $(seq "$RUNS"); do
		udev_reset
		config_big
		rules_on
		rules+=("$(time_coldplug)")
		assert_pf "$big" 127 locked 0
		assert_vfs_on "$big" vfio-pci

		udev_reset
		config_big
		rules_off
		t0=$(now)
		udev_coldplug
		"$SRIOVCTL_BIN" -q apply
		udev_settle
		t1=$(now)
		apply+=("$(elapsed "$t0" "$t1")")
		assert_pf "$big" 127 locked 0
		assert_vfs_on "$big" vfio-pci
		rules_on
	done
	report "scratch: coldplug with rules:              ${rules[*]} s, median $(median "${rules[@]}") s"
	report "scratch: coldplug without rules + apply:   ${apply[*]} s, median $(median "${apply[@]}") s"
	report "scratch: ratio rules/apply: $(awk -v a="$(median "${rules[@]}")" -v b="$(median "${apply[@]}")" 'BEGIN { printf "%.2f", a / b }')"
}
