#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# provision.sh PF N DRV: what an operator writes by hand today, in bash
# builtins only (no process per VF): autoprobe off, N VFs, then each VF
# handed to DRV through driver_override and drivers_probe.  The "bash"
# baseline of the provisioning benchmark (bench/README.md).  PF is a full
# DDDD:BB:DD.F address.
set -eu

pf=$1 n=$2 drv=$3
p=/sys/bus/pci/devices/$pf

echo 0 >"$p/sriov_drivers_autoprobe"
echo "$n" >"$p/sriov_numvfs"
for ((i = 0; i < n; i++)); do
	# the VF's address: resolve the virtfn link without readlink(1)
	cd -P "$p/virtfn$i"
	vf=${PWD##*/}
	echo "$drv" >"$p/virtfn$i/driver_override"
	echo "$vf" >/sys/bus/pci/drivers_probe
done
