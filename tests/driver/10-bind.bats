#!/usr/bin/env bats
# Loading the module and binding PFs: ID table, ids=, new_id,
# driver_override; probe refuses what it must not bind.

bats_require_minimum_version 1.5.0
load ../test_helper/vm
load helpers

setup_file() { stub_setup_file; }

setup() { stub_setup; }
teardown() { stub_teardown; }

@test "module registers driver pci-stub-pf, listed by lsmod as pci_stub_pf" {
	stub_load
	[ -d /sys/bus/pci/drivers/pci-stub-pf ]
	lsmod | grep -q '^pci_stub_pf '
}

@test "modinfo shows the ID table alias, the version and a description of every parameter" {
	run -0 modinfo "$PCI_STUB_PF_KO"
	[[ "$output" == *"alias:"*"pci:v00001D0Fd00000053sv*sd*bc*sc*i*"* ]]
	[[ "$output" == *"license:"*"GPL"* ]]
	[[ "$output" == *"version:"*"$(cat "$REPO/VERSION")"* ]]
	for p in ids lock_on_enable max_vfs enable_pf; do
		grep -E "^parm: +$p:.*\[default: [^]]+\]" <<<"$output"
	done
}

@test "the ID table autoloads the module through modprobe's alias lookup" {
	# A private module tree: depmod over the host's whole tree is slow.
	base=$BATS_TEST_TMPDIR/root
	kver=$(uname -r)
	mkdir -p "$base/lib/modules/$kver/extra"
	cp "$PCI_STUB_PF_KO" "$base/lib/modules/$kver/extra/"
	touch "$base/lib/modules/$kver/"{modules.order,modules.builtin,modules.builtin.modinfo}
	depmod -b "$base" "$kver"
	run -0 modprobe -d "$base" --resolve-alias 'pci:v00001D0Fd00000053sv00001D0Fsd00000053bc02sc00i00'
	[ "$output" = pci_stub_pf ]
	# QEMU's NVMe is not in the table: no alias resolves to us
	run modprobe -d "$base" --resolve-alias 'pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02'
	[[ "$output" != *pci_stub_pf* ]]
}

@test "module parameters have the documented permissions" {
	stub_load
	[ "$(stat -c %a /sys/module/pci_stub_pf/parameters/ids)" = 444 ]
	[ "$(stat -c %a /sys/module/pci_stub_pf/parameters/lock_on_enable)" = 644 ]
	[ "$(stat -c %a /sys/module/pci_stub_pf/parameters/max_vfs)" = 444 ]
	[ "$(stat -c %a /sys/module/pci_stub_pf/parameters/enable_pf)" = 444 ]
}

@test "driver_override binds any PF without a table entry" {
	stub_load
	stub_bind "$PF"
	[ -f "$P/sriov_lock" ]
	test_log | grep -q "$PF: claimed by pci-stub-pf (0 of 4 VFs enabled)"
}

@test "ids= binds every PF with that ID and refuses the VFs that share it" {
	stub_load ids=1b36:0010
	for pf in $(vm_pfs); do
		[ "$(dev_driver "$pf")" = pci-stub-pf ]
	done
	echo 2 >"$P/sriov_numvfs"
	for vf in $(pf_vfs "$PF"); do
		[ -z "$(dev_driver "$vf")" ]
	done
	log_has 'ids: added 1B36:0010'
}

@test "ids= skips malformed entries, logs each, keeps the good one and the load succeeds" {
	run -0 stub_load 'ids=zzzz:0010,1b36,1b36:0010:1:2:3:4:5,10000:0010,1b36:0010x,,1b36:0010'
	[ "$(cat /sys/module/pci_stub_pf/parameters/ids)" = 'zzzz:0010,1b36,1b36:0010:1:2:3:4:5,10000:0010,1b36:0010x,,1b36:0010' ]
	log=$(test_log)
	for bad in zzzz:0010 1b36 1b36:0010:1:2:3:4:5 10000:0010 1b36:0010x; do
		grep -qF "ids: skipping malformed entry '$bad'" <<<"$log"
	done
	[ "$(grep -c 'ids: added' <<<"$log")" -eq 1 ]
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
}

@test "ids= accepts the full six-field pci-stub grammar" {
	stub_load 'ids=1b36:0010:ffffffff:ffffffff:010802:ffffff'
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
	log_has 'ids: added 1B36:0010 sub=FFFFFFFF:FFFFFFFF cls=00010802/00FFFFFF'
}

@test "ids= with a subvendor that does not match binds nothing" {
	stub_load 'ids=1b36:0010:8086:0001'
	for pf in $(vm_pfs); do
		[ -z "$(dev_driver "$pf")" ]
	done
}

@test "new_id binds PFs by ID after load" {
	stub_load
	echo "1b36 0010" >$STUB_DRV/new_id
	[ "$(dev_driver "$PF")" = pci-stub-pf ]
	[ "$(dev_driver "$BIG")" = pci-stub-pf ]
}

@test "probe refuses a VF bound through driver_override, with one log line" {
	stub_load
	stub_bind "$PF"
	echo 2 >"$P/sriov_numvfs"
	vf=$(pf_vf "$PF" 0)
	echo pci-stub-pf >"$(dev_path "$vf")/driver_override"
	echo "$vf" >/sys/bus/pci/drivers_probe || true
	[ -z "$(dev_driver "$vf")" ]
	[ "$(test_log | grep -c "$vf: is a VF; pci-stub-pf binds only PFs")" -eq 1 ]
}

@test "probe refuses a device without SR-IOV capability, with one log line" {
	stub_load
	dev=$(vm_nonsriov_dev)
	old=$(dev_driver "$dev")
	[ -n "$old" ] && echo "$dev" >"/sys/bus/pci/drivers/$old/unbind"
	echo pci-stub-pf >"$(dev_path "$dev")/driver_override"
	echo "$dev" >/sys/bus/pci/drivers_probe || true
	driver=$(dev_driver "$dev")
	echo >"$(dev_path "$dev")/driver_override"
	[ -z "$old" ] || echo "$dev" >/sys/bus/pci/drivers_probe
	[ -z "$driver" ]
	[ "$(test_log | grep -c "$dev: has no SR-IOV capability")" -eq 1 ]
}

@test "binding does not enable the PF's memory decoding or bus mastering" {
	setpci -s "$PF" COMMAND=0000
	stub_load
	stub_bind "$PF"
	[ "$(setpci -s "$PF" COMMAND)" = 0000 ]
	# The PCI core itself turns on memory decoding for the VF BARs when
	# it enables VFs (sriov_enable); bus mastering stays off.
	echo 2 >"$P/sriov_numvfs"
	[ $(( 0x$(setpci -s "$PF" COMMAND) & 0x4 )) -eq 0 ]
}
