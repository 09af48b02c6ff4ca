#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a small debug kernel (KASAN, PROVE_LOCKING, DEBUG_KMEMLEAK,
# DEBUG_ATOMIC_SLEEP, hung task detection) from Debian's linux-source-6.12,
# for running the VM suites (tests/driver, tests/faults) under the kernel's
# own bug detectors.  Everything lands in a cache outside the tree:
#
#   $CACHE/src/linux-source-6.12/     configured and built tree
#   $CACHE/root/boot/vmlinuz-$VER     the kernel image
#   $CACHE/root/lib/modules/$VER/     modules_install output, build -> the tree
#
# $CACHE/root is a --kernel-root for tests/vm/run (everything the VM needs
# is built in, so it needs no initramfs modules).
# CACHE defaults to ~/.cache/pci-stub-pf/debug-kernel.  The build runs
# under `nice -n 19`; on a 2-core machine expect one to two hours.
#
# Usage: scripts/debug-kernel.sh [-j JOBS]
#
set -euo pipefail

CACHE=${CACHE:-$HOME/.cache/pci-stub-pf/debug-kernel}
SRC_TAR=/usr/src/linux-source-6.12.tar.xz
JOBS=$(nproc)

while [ $# -gt 0 ]; do
	case "$1" in
	-j) JOBS=${2:?-j needs a number}; shift ;;
	-h | --help) sed -n '3,20p' "$0"; exit 0 ;;
	*) echo "debug-kernel.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

# Host tools a kernel build needs beyond build-essential
missing=()
for pkg in flex bison bc libelf-dev libssl-dev xz-utils; do
	[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "debug-kernel.sh: missing packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
	exit 1
fi

[ -r "$SRC_TAR" ] || { echo "debug-kernel.sh: $SRC_TAR missing: apt-get install linux-source-6.12" >&2; exit 1; }

mkdir -p "$CACHE/src" "$CACHE/root/boot"
TREE=$CACHE/src/linux-source-6.12
if [ ! -f "$TREE/Makefile" ]; then
	nice -n 19 tar -C "$CACHE/src" -xf "$SRC_TAR"
fi

cd "$TREE"
# defconfig plus what the VM needs built in (so that the harness'
# initramfs needs no modules of this kernel), plus the detectors.
nice -n 19 make -s x86_64_defconfig
nice -n 19 make -s kvm_guest.config
scripts/config \
	--set-str LOCALVERSION "-pci-stub-pf-debug" \
	--disable LOCALVERSION_AUTO \
	-e MODULES -e MODULE_UNLOAD \
	-e PCI -e PCIEPORTBUS -e PCI_IOV -e PCIEAER -e HOTPLUG_PCI -e HOTPLUG_PCI_PCIE \
	-e PCI_STUB \
	-e VIRTIO -e VIRTIO_PCI -e NET_9P -e NET_9P_VIRTIO -e 9P_FS -e 9P_FS_POSIX_ACL \
	-e OVERLAY_FS -e TMPFS -e DEVTMPFS -e DEVTMPFS_MOUNT \
	-e SERIAL_8250 -e SERIAL_8250_CONSOLE \
	-e IOMMU_SUPPORT -e INTEL_IOMMU -e IRQ_REMAP \
	-e VFIO -e VFIO_PCI -e VFIO_GROUP -e VFIO_CONTAINER \
	-d BLK_DEV_NVME -d NVME_CORE \
	-e DEBUG_KERNEL -e KASAN -e KASAN_GENERIC -e KASAN_INLINE \
	-e PROVE_LOCKING -e DEBUG_LOCKDEP -e DEBUG_ATOMIC_SLEEP \
	-e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF \
	--set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 65536 \
	-e DETECT_HUNG_TASK -e SOFTLOCKUP_DETECTOR \
	-e DEBUG_INFO_NONE -d DEBUG_INFO_BTF \
	-d MODULE_SIG -d SYSTEM_TRUSTED_KEYRING
nice -n 19 make -s olddefconfig

# the options that must have survived olddefconfig (dependencies)
for opt in PCI_IOV HOTPLUG_PCI_PCIE PCIEAER KASAN PROVE_LOCKING DEBUG_KMEMLEAK \
	DEBUG_ATOMIC_SLEEP DETECT_HUNG_TASK VFIO_PCI 9P_FS OVERLAY_FS VIRTIO_PCI INTEL_IOMMU; do
	grep -q "^CONFIG_$opt=y" .config || { echo "debug-kernel.sh: CONFIG_$opt is not =y after olddefconfig" >&2; exit 1; }
done

nice -n 19 make -s -j"$JOBS" bzImage modules
VER=$(make -s kernelrelease)
nice -n 19 make -s INSTALL_MOD_PATH="$CACHE/root" modules_install
ln -sfn "$TREE" "$CACHE/root/lib/modules/$VER/build"
cp arch/x86/boot/bzImage "$CACHE/root/boot/vmlinuz-$VER"
cp .config "$CACHE/root/boot/config-$VER"
echo "debug-kernel.sh: built $VER"
echo "  kernel root: $CACHE/root (tests/vm/run --kernel-root)"
echo "  image:       $CACHE/root/boot/vmlinuz-$VER"
echo "  KDIR:        $TREE"
