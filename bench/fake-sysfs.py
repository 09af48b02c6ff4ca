#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build a large fake sysfs tree for the sriovctl scale benchmark, fast.

    bench/fake-sysfs.py ROOT --pfs P --vfs V

Same layout as tests/tool/helpers/fake-sysfs (which forks several
processes per file and is far too slow for 16,000 devices): P PFs
1b36:0010 on pci-stub-pf, unlocked, autoprobe 0, each with V VFs enabled,
bound to vfio-pci with driver_override vfio-pci (a provisioned host).  PF k
is at 0000:BB:00.0 with BB = 1 + k * (1 + V // 256); its VFs follow it
(offset 1, stride 1), spilling over onto the next bus numbers.  ROOT must
not exist yet.
"""
import argparse
import os
import sys

VENDOR, DEVICE = "1b36", "0010"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def rid_addr(rid):
    return "0000:%02x:%02x.%x" % (rid >> 8 & 0xff, rid >> 3 & 0x1f, rid & 7)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--pfs", type=int, required=True)
    ap.add_argument("--vfs", type=int, required=True)
    a = ap.parse_args()
    step = 1 + a.vfs // 256
    if a.pfs < 1 or a.vfs < 0 or a.vfs > 65535 or 1 + a.pfs * step > 255:
        sys.exit("fake-sysfs.py: --pfs/--vfs out of range")

    root = a.root
    os.makedirs(root)
    bus = os.path.join(root, "bus/pci")
    devices = os.path.join(root, "devices/pci0000:00")
    os.makedirs(os.path.join(bus, "devices"))
    os.makedirs(devices)
    for f in ("drivers_probe", "rescan"):
        write(os.path.join(bus, f), "")
    for drv in ("pci-stub-pf", "vfio-pci"):
        d = os.path.join(bus, "drivers", drv)
        os.makedirs(d)
        for f in ("bind", "unbind", "new_id", "remove_id"):
            write(os.path.join(d, f), "")

    def newdev(addr, driver, override):
        d = os.path.join(devices, addr)
        os.mkdir(d)
        os.symlink("../../../devices/pci0000:00/" + addr,
                   os.path.join(bus, "devices", addr))
        write(d + "/vendor", "0x%s\n" % VENDOR)
        write(d + "/device", "0x%s\n" % DEVICE)
        write(d + "/class", "0x010802\n")
        write(d + "/driver_override", override + "\n")
        write(d + "/config", "")
        os.symlink("../../../bus/pci/drivers/" + driver, d + "/driver")
        return d

    for k in range(a.pfs):
        rid = (1 + k * step) << 8
        pf = rid_addr(rid)
        d = newdev(pf, "pci-stub-pf", "pci-stub-pf")
        for f, v in (("sriov_totalvfs", a.vfs), ("sriov_numvfs", a.vfs),
                     ("sriov_drivers_autoprobe", 0), ("sriov_offset", 1),
                     ("sriov_stride", 1), ("sriov_vf_device", DEVICE),
                     ("sriov_lock", "unlocked")):
            write("%s/%s" % (d, f), "%s\n" % v)
        for i in range(a.vfs):
            vf = rid_addr(rid + 1 + i)
            vd = newdev(vf, "vfio-pci", "vfio-pci")
            os.symlink("../" + vf, "%s/virtfn%d" % (d, i))
            os.symlink("../" + pf, vd + "/physfn")


if __name__ == "__main__":
    main()
