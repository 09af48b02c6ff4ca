# Helpers for the pci-stub-pf driver suite.  Runs inside the test VM, as
# root, against the real sysfs.  Loaded by every tests/driver/*.bats file
# after ../test_helper/vm.
#
# Every test starts from the same state, set up by stub_setup: module not
# loaded, every PF without a driver and without VFs.  Tests that leave VFs
# behind on purpose (locked, sealed, bound) are cleaned up by stub_cleanup.

SYSFS_PCI=/sys/bus/pci
STUB_DRV=$SYSFS_PCI/drivers/pci-stub-pf

dev_path() { echo "$SYSFS_PCI/devices/$1"; }

# The name of the driver bound to DEV, or nothing.
dev_driver()
{
	vm_link_name "$SYSFS_PCI/devices/$1/driver" || true
}

# Write VALUE to FILE the way an operator does (one write(2) with a
# newline); on failure print the kernel's errno text and return 1.
sysfs_write()
{
	local file=$1 value=$2 err
	if ! err=$( { printf '%s\n' "$value" >"$file"; } 2>&1); then
		# bash says "...: write error: <strerror>"
		echo "${err##*: }"
		return 1
	fi
}

stub_loaded() { [ -d /sys/module/pci_stub_pf ]; }

stub_load()
{
	insmod "$PCI_STUB_PF_KO" "$@"
}

# Bind PF to pci-stub-pf through driver_override, the way sriovctl does.
stub_bind()
{
	local pf=$1
	echo pci-stub-pf >"$(dev_path "$pf")/driver_override"
	echo "$pf" >$SYSFS_PCI/drivers_probe
	[ "$(dev_driver "$pf")" = pci-stub-pf ]
}

stub_unbind()
{
	echo "$1" >$STUB_DRV/unbind
}

# Hand VF to DRIVER (e.g. vfio-pci) through driver_override.
vf_bind()
{
	local vf=$1 drv=$2
	local cur
	cur=$(dev_driver "$vf")
	[ -z "$cur" ] || echo "$vf" >"$SYSFS_PCI/drivers/$cur/unbind"
	echo "$drv" >"$(dev_path "$vf")/driver_override"
	echo "$vf" >$SYSFS_PCI/drivers_probe
	[ "$(dev_driver "$vf")" = "$drv" ]
}

vf_unbind()
{
	local vf=$1 cur
	cur=$(dev_driver "$vf")
	echo >"$(dev_path "$vf")/driver_override"
	[ -z "$cur" ] || echo "$vf" >"$SYSFS_PCI/drivers/$cur/unbind"
}

# Address of VF number N (0-based) of PF.
pf_vf()
{
	vm_link_name "$SYSFS_PCI/devices/$1/virtfn$2"
}

# Every VF of PF, in VF index order.
pf_vfs()
{
	local i=0
	while [ -L "$SYSFS_PCI/devices/$1/virtfn$i" ]; do
		vm_link_name "$SYSFS_PCI/devices/$1/virtfn$i"
		i=$((i + 1))
	done
}

read_attr() { local v; read -r v <"$1" && echo "$v"; }
numvfs() { read_attr "$SYSFS_PCI/devices/$1/sriov_numvfs"; }
lockstate() { read_attr "$SYSFS_PCI/devices/$1/sriov_lock"; }

# Kernel taint bit 6 is TAINT_USER ('U').
taint_user() { (( ($(read_attr /proc/sys/kernel/tainted) >> 6) & 1 )); }

# Bring every PF back to: no VFs, no driver, module unloaded.  Works from
# any state a test can leave, including sealed locks and bound VFs.
stub_cleanup()
{
	local pf vf

	for pf in $ALL_PFS; do
		for vf in $(pf_vfs "$pf"); do
			vf_unbind "$vf"
		done
	done

	# Unloading drops seals; VFs that stay are adopted locked on reload.
	if stub_loaded; then
		rmmod pci_stub_pf
	fi

	for pf in $ALL_PFS; do
		echo >"$(dev_path "$pf")/driver_override"
		[ "$(numvfs "$pf")" -gt 0 ] || continue
		stub_loaded || stub_load
		stub_bind "$pf"
		echo unlocked >"$(dev_path "$pf")/sriov_lock"
		echo 0 >"$(dev_path "$pf")/sriov_numvfs"
	done

	if stub_loaded; then
		rmmod pci_stub_pf
	fi
	for pf in $ALL_PFS; do
		echo >"$(dev_path "$pf")/driver_override"
		[ "$(numvfs "$pf")" -eq 0 ]
		[ -z "$(dev_driver "$pf")" ]
	done
}

# Once per file: the PFs do not change within the driver suite.
stub_setup_file()
{
	ALL_PFS=$(vm_pfs)
	PF=$(vm_pf_small)
	BIG=$(vm_pf_big)
	export ALL_PFS PF BIG
	modprobe vfio-pci
}

stub_setup()
{
	P=$SYSFS_PCI/devices/$PF
	stub_cleanup
	vm_dmesg_mark "$BATS_TEST_NAME"
}

stub_teardown()
{
	stub_cleanup
}

# The kernel log since this test started.
test_log() { vm_dmesg_since "$BATS_TEST_NAME"; }

# True if the kernel log since this test started has a line matching RE.
log_has() { test_log | grep -q -- "$1"; }

# QEMU id of the root port above PF (the harness puts the big PF on rp0
# and the small one on rp1), for QMP fault injection.
pf_rootport()
{
	if [ "$1" = "$(vm_pf_big)" ]; then echo rp0; else echo rp1; fi
}
