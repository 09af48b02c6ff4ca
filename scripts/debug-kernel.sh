#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a small debug kernel (KASAN, PROVE_LOCKING, DEBUG_KMEMLEAK,
# DEBUG_ATOMIC_SLEEP, hung task detection) from Debian's linux-source-6.12,
# for running the VM suites (tests/driver, tests/faults) under the kernel's
# own bug detectors (scripts/check-debug-kernel.sh).  Everything lands in a
# cache outside the tree:
#
#   $CACHE/src/linux-source-6.12/     configured and built tree
#   $CACHE/root/boot/vmlinuz-$VER     the kernel image (and config-$VER)
#   $CACHE/root/lib/modules/$VER/     modules_install output, build -> the tree
#   $CACHE/root/kernelrelease         $VER
#   $CACHE/root/build.key             what it was built from (--check)
#
# $CACHE/root is a --kernel-root for tests/vm/run (everything the VM needs
# is built in, so it needs no initramfs modules).
# CACHE defaults to ~/.cache/pci-stub-pf/debug-kernel.  The build runs
# under `nice -n 19`; on a 2-core machine expect one to two hours the first
# time, minutes after a change of the configuration below.
#
# Usage: scripts/debug-kernel.sh [-j JOBS]
#        scripts/debug-kernel.sh --check   exit 0 if the cached kernel was
#                                          built by this script from the
#                                          installed sources, 1 otherwise
#
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/${BASH_SOURCE[0]##*/}
CACHE=${CACHE:-$HOME/.cache/pci-stub-pf/debug-kernel}
SRC_TAR=/usr/src/linux-source-6.12.tar.xz
TREE=$CACHE/src/linux-source-6.12
JOBS=$(nproc)
CHECK=0

while [ $# -gt 0 ]; do
	case "$1" in
	-j) JOBS=${2:?-j needs a number}; shift ;;
	--check) CHECK=1 ;;
	-h | --help) sed -n '3,27p' "$0"; exit 0 ;;
	*) echo "debug-kernel.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

# The sources' identity: a new linux-source-6.12 (a Debian update) needs a
# fresh tree, not a rebuild of the old one.
src_id() {
	stat -L -c '%n %s %Y' "$SRC_TAR"
}

# What a built kernel depends on: this script (the configuration is in it)
# and the sources.
build_key() {
	{ sha256sum <"$SELF"; src_id; } | sha256sum | cut -d' ' -f1
}

if [ "$CHECK" = 1 ]; then
	[ -r "$SRC_TAR" ] || exit 1
	[ -f "$CACHE/root/kernelrelease" ] || exit 1
	read -r ver <"$CACHE/root/kernelrelease"
	[ -f "$CACHE/root/boot/vmlinuz-$ver" ] && [ -d "$CACHE/root/lib/modules/$ver/build" ] || exit 1
	[ "$(cat "$CACHE/root/build.key" 2>/dev/null)" = "$(build_key)" ]
	exit
fi

"$HERE/deps.sh" "$HERE/lib/debug-kernel.txt"
[ -r "$SRC_TAR" ] || { echo "debug-kernel.sh: $SRC_TAR missing: apt-get install linux-source-6.12" >&2; exit 1; }

mkdir -p "$CACHE/src" "$CACHE/root/boot"
rm -f "$CACHE/root/build.key"
# A tree extracted before the sources were recorded is taken as theirs.
if [ -f "$TREE/Makefile" ] && [ ! -f "$CACHE/src/source.id" ]; then
	src_id >"$CACHE/src/source.id"
fi
if [ ! -f "$TREE/Makefile" ] || [ "$(cat "$CACHE/src/source.id")" != "$(src_id)" ]; then
	rm -rf "$TREE"
	nice -n 19 tar -C "$CACHE/src" -xf "$SRC_TAR"
	src_id >"$CACHE/src/source.id"
fi

cd "$TREE"
# defconfig plus what the VM needs built in (so that the harness'
# initramfs needs no modules of this kernel), plus the detectors, minus
# the big subsystems of defconfig the VM never uses (graphics, sound, USB,
# physical and wireless NICs, SATA, RAID, ext4, NFS, IPv6, netfilter,
# traffic control): they would more than double the build.
# No automatic kmemleak scan: one every 10 minutes would put reports of
# leaks that are none of ours into the log of whatever test runs then (and
# costs minutes of emulated CPU); tests/debug scans at the end of a run.
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
	-e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF -d DEBUG_KMEMLEAK_AUTO_SCAN \
	--set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 65536 \
	-e DETECT_HUNG_TASK -e SOFTLOCKUP_DETECTOR \
	-e DEBUG_INFO_NONE -d DEBUG_INFO_BTF \
	-d MODULE_SIG -d SYSTEM_TRUSTED_KEYRING \
	-d DRM -d FB -d AGP -d SOUND -d USB_SUPPORT -d ETHERNET -d WLAN -d WIRELESS \
	-d CFG80211 -d RFKILL -d PCCARD -d ATA -d MD -d EXT4_FS -d NFS_FS -d NFSD \
	-d IPV6 -d NETFILTER -d NET_SCHED -d INPUT_TOUCHSCREEN -d INPUT_JOYSTICK \
	-d INPUT_TABLET -d INPUT_MISC
nice -n 19 make -s olddefconfig

# the options that must have survived olddefconfig (dependencies)
for opt in PCI_IOV HOTPLUG_PCI_PCIE PCIEAER KASAN PROVE_LOCKING DEBUG_KMEMLEAK \
	DEBUG_ATOMIC_SLEEP DETECT_HUNG_TASK VFIO_PCI 9P_FS OVERLAY_FS VIRTIO_PCI INTEL_IOMMU; do
	grep -q "^CONFIG_$opt=y" .config || { echo "debug-kernel.sh: CONFIG_$opt is not =y after olddefconfig" >&2; exit 1; }
done
if grep -q '^CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN=y' .config; then
	echo "debug-kernel.sh: CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN is still on" >&2
	exit 1
fi

nice -n 19 make -s -j"$JOBS" bzImage modules
VER=$(make -s kernelrelease)
# Images and modules of an older release (a Debian update) go: the
# harness would pick the newest anyway, and they would only fill the cache.
find "$CACHE/root/boot" -mindepth 1 -maxdepth 1 ! -name "*-$VER" -exec rm -rf {} +
if [ -d "$CACHE/root/lib/modules" ]; then
	find "$CACHE/root/lib/modules" -mindepth 1 -maxdepth 1 ! -name "$VER" -exec rm -rf {} +
fi
nice -n 19 make -s INSTALL_MOD_PATH="$CACHE/root" modules_install
ln -sfn "$TREE" "$CACHE/root/lib/modules/$VER/build"
cp arch/x86/boot/bzImage "$CACHE/root/boot/vmlinuz-$VER"
cp .config "$CACHE/root/boot/config-$VER"
echo "$VER" >"$CACHE/root/kernelrelease"
build_key >"$CACHE/root/build.key"
echo "debug-kernel.sh: built $VER"
echo "  kernel root: $CACHE/root (tests/vm/run --kernel-root)"
echo "  image:       $CACHE/root/boot/vmlinuz-$VER"
echo "  KDIR:        $TREE"
