# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The QEMU command line of the test VM (sourced by tests/vm/run).
#
# Topology (pcie.0 slots are fixed, so guest addresses do not depend on the
# order QEMU happens to assign them in):
#
#   00:02.0 + i  rp<i>  pcie-root-port, chassis i+1, holding
#     <i+1>:00.0  pf<i> nvme PF (1b36:0010) with the i-th --pfs VF count,
#                       in its own nvme-subsys s<i>; VFs follow on that bus
#   00:1c.0      hp0    empty pcie-root-port (native hotplug), bus N+1
#   00:1d.0      hp1    empty pcie-root-port (native hotplug), bus N+2
#   00:1a.0      plain0 pci-testdev (1b36:0005): an ordinary PCI device with
#                       no SR-IOV capability and no driver (probe tests)
#   00:18.0      share-root    virtio-9p (1af4:1009), the host root, read-only
#   00:19.0      share-results virtio-9p (1af4:1009), the results share
#
# N is the number of PFs; --pfs allows up to 22 of them (slots 02-17).

# QEMU's own options are comma-separated lists, not shell word lists.
# shellcheck disable=SC2054

# shellcheck disable=SC2034 # used by tests/vm/run
QEMU=qemu-system-x86_64
QEMU_MAX_PFS=22

# Validate a --pfs list ("127,4"): 1..QEMU_MAX_PFS entries, each 1..127.
qemu_check_pfs() {
	local list=$1 n count=0

	[[ "$list" =~ ^[0-9]+(,[0-9]+)*$ ]] || return 1
	for n in ${list//,/ }; do
		((10#$n >= 1 && 10#$n <= 127)) || return 1
		count=$((count + 1))
	done
	((count <= QEMU_MAX_PFS))
}

# Append the devices for PF $1 with $2 VFs to the array qemu_args.  QEMU's
# nvme checks that the flexible resources cover every VF: two queues (admin
# + I/O) and one interrupt per VF, on top of what the PF keeps for itself.
qemu_add_pf() {
	local i=$1 vfs=$((10#$2))

	qemu_args+=(
		-device "pcie-root-port,id=rp$i,bus=pcie.0,addr=$(printf '0x%x' $((2 + i))),chassis=$((i + 1)),slot=$((i + 1))"
		-device "nvme-subsys,id=s$i,nqn=pci-stub-pf-vm-s$i"
		-device "nvme,id=pf$i,bus=rp$i,subsys=s$i,serial=pf$i,sriov_max_vfs=$vfs,sriov_vq_flexible=$((2 * vfs)),max_ioqpairs=$((2 * vfs + 2)),sriov_vi_flexible=$vfs,msix_qsize=$((vfs + 1))"
	)
}

# Fill the array qemu_args.  Inputs: KERNEL_VER, INITRAMFS, RESULTS,
# GUEST_RESULTS, OPT_PFS, OPT_IOMMU, REPO.
qemu_build_args() {
	local append i=0 n

	append="console=ttyS0 loglevel=4 panic=-1 modprobe.blacklist=nvme"
	# Room for the log of 127 VFs coming and going, so that dmesg markers
	# of a test are still there when it checks the log.
	append+=" log_buf_len=8M"
	# TCG: the TSC is stable, calibrating it and the watchdog only cost time.
	append+=" tsc=reliable no_timer_check"
	# An emulated CPU on a busy host can lose its host thread for tens of
	# seconds: the default 21 s RCU stall warning then fires (with a Call
	# Trace) for no fault of the guest.  Real lockups still show at 120 s.
	append+=" rcupdate.rcu_cpu_stall_timeout=120"
	# The same for the soft-lockup detector (2 * watchdog_thresh).
	append+=" watchdog_thresh=60"
	# The console gets errors only; the full log is in dmesg.txt.
	append="${append/loglevel=4/loglevel=3}"
	append+=" vm_repo=$REPO vm_results=$GUEST_RESULTS"

	qemu_args=(
		-M q35 -accel tcg -cpu max -smp 2 -m 3G
		-nodefaults -display none -no-reboot
	)
	# vfio-pci needs an IOMMU (Debian has no vfio no-IOMMU mode).  The
	# IOMMU must come before the devices it translates for.  Under TCG
	# the irqchip is QEMU's own, so intremap=on needs no kernel-irqchip=split.
	if [ "$OPT_IOMMU" = 1 ]; then
		qemu_args+=(-device intel-iommu,intremap=on)
		append+=" intel_iommu=on"
	fi
	qemu_args+=(
		-kernel "$KROOT/boot/vmlinuz-$KERNEL_VER" -initrd "$INITRAMFS"
		-append "$append"
		# Native PCIe hotplug: ACPI hotplug orphans VFs above function 7.
		-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		# Relative path: QEMU runs in the results dir, and a socket path
		# must fit in 108 bytes however deep the checkout is.
		-qmp unix:qmp.sock,server=on,wait=off
		-chardev file,id=console,path=console.log,append=on
		-serial chardev:console
		-fsdev local,id=fs-root,path=/,security_model=none,readonly=on,multidevs=remap
		-device virtio-9p-pci,id=share-root,fsdev=fs-root,mount_tag=hostroot,bus=pcie.0,addr=0x18
		-fsdev local,id=fs-results,path="$RESULTS",security_model=none
		-device virtio-9p-pci,id=share-results,fsdev=fs-results,mount_tag=results,bus=pcie.0,addr=0x19
		-device pci-testdev,id=plain0,bus=pcie.0,addr=0x1a
	)
	for n in ${OPT_PFS//,/ }; do
		qemu_add_pf "$i" "$n"
		i=$((i + 1))
	done
	qemu_args+=(
		-device "pcie-root-port,id=hp0,bus=pcie.0,addr=0x1c,chassis=$((i + 1)),slot=$((i + 1))"
		-device "pcie-root-port,id=hp1,bus=pcie.0,addr=0x1d,chassis=$((i + 2)),slot=$((i + 2))"
	)
}
