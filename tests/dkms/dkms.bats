#!/usr/bin/env bats
# DKMS end to end, in the VM (writes land in the tmpfs overlay): add,
# build, install for the running kernel, modprobe loads the DKMS-built
# module, autoinstall for a second kernel, remove cleans up.  Slow: dkms
# runs depmod over the 9p root.

bats_require_minimum_version 1.5.0
load ../test_helper/vm

setup_file()
{
	VERSION=$(cat "$REPO/VERSION")
	KVER=$(uname -r)
	export VERSION KVER
	# The harness installed its own copy in updates/: DKMS's must win.
	rm -f "/lib/modules/$KVER/updates/pci-stub-pf.ko"
	! lsmod | grep -q pci_stub_pf || rmmod pci_stub_pf
}

@test "make dkms-install adds, builds and installs the module for the running kernel" {
	run -0 make -C "$REPO" dkms-install KVER="$KVER"
	run -0 dkms status -m pci-stub-pf -v "$VERSION" -k "$KVER"
	[[ "$output" == *"pci-stub-pf/$VERSION, $KVER, x86_64: installed"* ]]
	# kernels with CONFIG_MODULE_COMPRESS_* (Debian's 6.12) get .ko.xz
	compgen -G "/lib/modules/$KVER/updates/dkms/pci-stub-pf.ko*"
}

@test "modprobe loads the DKMS-built module, with the tree's version" {
	run -0 modinfo -n pci-stub-pf
	[[ "$output" == "/lib/modules/$KVER/updates/dkms/pci-stub-pf.ko"* ]]
	run -0 modinfo -F version pci-stub-pf
	[ "$output" = "$VERSION" ]
	modprobe pci-stub-pf
	[ -d /sys/bus/pci/drivers/pci-stub-pf ]
	rmmod pci_stub_pf
}

@test "dkms autoinstall builds the module for a second kernel" {
	other=
	for build in /lib/modules/*/build; do
		v=${build%/build}
		v=${v##*/}
		[ "$v" != "$KVER" ] && [ -d "$build" ] && other=$v
	done
	[ -n "$other" ] || skip "only one kernel with headers is installed"
	run -0 dkms autoinstall -k "$other"
	run -0 dkms status -m pci-stub-pf -v "$VERSION" -k "$other"
	[[ "$output" == *"installed"* ]]
	compgen -G "/lib/modules/$other/updates/dkms/pci-stub-pf.ko*"
}

@test "make dkms-remove removes every trace" {
	run -0 make -C "$REPO" dkms-remove
	run -0 dkms status -m pci-stub-pf
	[ -z "$output" ]
	! compgen -G "/lib/modules/$KVER/updates/dkms/pci-stub-pf.ko*"
	[ ! -e "/usr/src/pci-stub-pf-$VERSION" ]
	run ! modinfo -n pci-stub-pf
}
