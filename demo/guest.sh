#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: what an operator does on a real host, as a
# readable transcript.  Runs as PID 1's child in the test VM (tests/vm/run
# --udev --script demo/guest.sh); everything it installs lands in the VM's
# throwaway overlay.
set -euo pipefail

# Each heading says how long the demo has run, so that a slow step shows.
step() { printf '\n=== %s  [%d s]\n' "$*" "$SECONDS"; }
# Show a command, run it, show what it printed; a failure stops the demo.
run() { printf '# %s\n' "$*"; "$@" 2>&1; }
# The same for a command that must be refused.
refused()
{
	local rc=0
	printf '# %s\n' "$*"
	"$@" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "demo: '$*' should have been refused" >&2
		return 1
	fi
	echo "(refused, exit status $rc)"
}

KVER=$(uname -r)
PF=$(basename "$(dirname "$(grep -lx 8 /sys/bus/pci/devices/*/sriov_totalvfs | head -n 1)")")
OTHER=$(basename "$(dirname "$(grep -lx 4 /sys/bus/pci/devices/*/sriov_totalvfs | head -n 1)")")

step "The machine: Debian's $KVER kernel, two SR-IOV PFs with no driver"
run lspci -nn -d 1b36:0010

step "Install the module with DKMS and the tools with make install"
# The test harness pre-installs the module; show the operator's path.
rm -f "/lib/modules/$KVER/updates/pci-stub-pf.ko"
run make -s -C "$REPO" dkms-install KVER="$KVER" | grep -E 'Building|Installing|installed|depmod' || true
run dkms status pci-stub-pf
run make -s -C "$REPO" install
run modinfo -F filename pci-stub-pf

step "Create 4 VFs for guests: locked, handed to vfio-pci"
run sriovctl bind "$PF"
run sriovctl enable "$PF" 4 --lock --vf-driver vfio-pci
run sriovctl list
run sriovctl -j show "$PF"
echo
run grep -h 'tainting kernel' <(dmesg)
run cat /proc/sys/kernel/tainted

step "Nobody can pull the VFs from under the guests"
refused sriovctl disable "$PF"
run sriovctl unlock "$PF"
refused sriovctl disable "$PF"
run sriovctl disable "$PF" --release
run sriovctl show "$PF"

step "At boot: udev applies /etc/sriovctl.conf"
cat >/etc/sriovctl.conf <<CONF
# Two VFs on the second PF, for vfio-pci, locked
[pf $OTHER]
vfs = 2
lock = yes
vf-driver = vfio-pci
CONF
run cat /etc/sriovctl.conf
run udevadm control --reload
# A boot's coldplug: every PCI device announced again
run udevadm trigger --action=add --subsystem-match=pci
run udevadm settle --timeout=60
run sriovctl list
run sriovctl show "$OTHER"

step "Done"
