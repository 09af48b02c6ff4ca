#!/usr/bin/env bats
# DKMS end to end, in the VM (writes land in the tmpfs overlay): add,
# build, install for the running kernel, modprobe loads the DKMS-built
# module, remove cleans up.  Slow: gcc and depmod under TCG, over the 9p
# root (2 to 5 minutes a build).  AUTOINSTALL for a second kernel needs no
# running kernel, only its headers: tests/packaging/dkms-autoinstall.bats
# runs it on the host, in a throwaway mount namespace, in seconds.

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

@test "make dkms-remove removes every trace" {
	run -0 make -C "$REPO" dkms-remove
	run -0 dkms status -m pci-stub-pf
	[ -z "$output" ]
	! compgen -G "/lib/modules/$KVER/updates/dkms/pci-stub-pf.ko*"
	[ ! -e "/usr/src/pci-stub-pf-$VERSION" ]
	run ! modinfo -n pci-stub-pf
}
